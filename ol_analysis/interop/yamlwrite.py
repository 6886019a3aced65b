"""A small YAML writer for files the toolkit creates (imported frameworks and cases).

Block style, two-space indents, and quoting that every YAML reader agrees on: a string is
written plain only when it is a lower-case id that no reader could take for a number, a bool
or null (``18_25`` is quoted, since YAML 1.1 readers take it for 1825); everything else is a
JSON string, which is valid YAML 1.2 double-quoted text.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

_PLAIN = re.compile(r"^[a-z_][a-z0-9_-]*$")
_AMBIGUOUS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}


class Flow(dict[str, Any]):
    """A mapping written on one line: ``{nl: …, en: …}``."""


@dataclass(frozen=True)
class Note:
    """A value followed by an end-of-line comment."""

    value: Any
    comment: str


def scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    text = str(value)
    if _PLAIN.match(text) and text not in _AMBIGUOUS:
        return text
    return json.dumps(text, ensure_ascii=False)


def _inline(value: Any) -> str:
    if isinstance(value, Flow):
        return "{" + ", ".join(f"{scalar(k)}: {_inline(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list) and not value:
        return "[]"
    if isinstance(value, dict) and not value:
        return "{}"
    return scalar(value)


def _is_inline(value: Any) -> bool:
    return isinstance(value, Flow) or not isinstance(value, dict | list) or not value


def _lines(value: Any, indent: int) -> list[str]:
    pad = " " * indent
    lines: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            comment = ""
            if isinstance(item, Note):
                item, comment = item.value, f"  # {item.comment}"
            if _is_inline(item):
                lines.append(f"{pad}{scalar(key)}: {_inline(item)}{comment}")
            else:
                lines.append(f"{pad}{scalar(key)}:{comment}")
                lines += _lines(item, indent + 2)
    else:
        for item in value:
            if _is_inline(item):
                lines.append(f"{pad}- {_inline(item)}")
                continue
            nested = _lines(item, indent + 2)
            lines.append(f"{pad}- {nested[0].lstrip()}")
            lines += nested[1:]
    return lines


def dump_yaml(data: dict[str, Any] | list[Any]) -> str:
    """``data`` as a YAML document (mappings keep their order)."""
    return "\n".join(_lines(data, 0)) + "\n"
