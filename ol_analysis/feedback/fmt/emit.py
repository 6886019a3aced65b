"""Writing a case document in canonical form: key order, scalar styles, comment placement.

See :mod:`ol_analysis.feedback.fmt` for the form and why it is written from our own tree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ol_analysis.core.framework import PROVENANCE_KEYS, Framework
from ol_analysis.core.yamlsource import Loc, YamlFloat, YamlInt, resolve_plain_scalar
from ol_analysis.feedback.fmt.comments import Attached, Block

WIDTH = 100
INDENT = 2
TOP_KEYS = ("id", "title", "summary", "analysis")
ANALYSIS_KEYS = ("subgroup", "analysts", "status", "comments")
COMMENT_KEYS = ("path", "author", "round", "text", "resolved")
EVIDENCE_KEYS = ("quote", "note", "source", "speaker", "section")

_PLAIN = re.compile(r"\w[\w.+/-]*")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\t": "\\t", "\n": "\\n", "\r": "\\r", "\0": "\\0"}


def format_data(
    framework: Framework, data: dict[str, Any], comments: Attached, *, study: bool = False
) -> str:
    """The canonical text of a case document (``study``: of ``study.yaml``, whose parts are
    the framework's study parts) read by our loader, with its comments."""
    return _Emitter(framework, comments, study=study).document(data)


# --- key order -------------------------------------------------------------------------------


def key_order(framework: Framework, loc: Loc, *, study: bool = False) -> tuple[str, ...]:
    """The canonical order of the keys of the mapping at ``loc`` (unknown keys go last)."""
    if not loc:
        parts = framework.study_parts if study else framework.parts
        return (*TOP_KEYS, *(part.id for part in parts))
    if len(loc) >= 2 and loc[-2] == "evidence":
        return EVIDENCE_KEYS
    if loc[0] == "analysis":
        return ANALYSIS_KEYS if len(loc) == 1 else COMMENT_KEYS
    part = framework.study_part(str(loc[0])) if study else framework.part(str(loc[0]))
    if part is None:
        return ()
    if len(loc) == 1:
        return tuple(group.id for group in part.groups)
    path = f"{loc[0]}.{loc[1]}"
    group = framework.study_group(path) if study else framework.group(path)
    if group is None:
        return ()
    if group.kind == "records":
        return (*(f.id for f in group.fields), *PROVENANCE_KEYS)
    return ("code" if group.is_coded else "value", *PROVENANCE_KEYS)


def _ordered(keys: list[str], order: tuple[str, ...]) -> list[str]:
    rank = {key: index for index, key in enumerate(order)}
    return sorted(keys, key=lambda k: rank.get(k, len(order)))


# --- scalars ---------------------------------------------------------------------------------


def _printable(ch: str) -> bool:
    code = ord(ch)
    return (
        0x20 <= code <= 0x7E
        or 0xA0 <= code <= 0xD7FF
        or (0xE000 <= code <= 0xFFFD and code != 0xFEFF)
        or 0x10000 <= code <= 0x10FFFF
    ) and ch not in "\u2028\u2029"


# What a YAML 1.1 reader (PyYAML, and ruamel.yaml, which check-jsonschema uses) reads as a
# number, a boolean, null or a date when written plain: ``18_25`` is the integer 1825 there,
# ``no`` is false, ``2021-03-12`` a date. Our reader (YAML 1.2) keeps them text; written quoted,
# every reader agrees.
_YAML11_NOT_TEXT = re.compile(
    r"""(?x)
    y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF
    | ~|null|Null|NULL
    | [-+]?0b[0-1_]+ | [-+]?0[0-7_]+ | [-+]?(?:0|[1-9][0-9_]*) | [-+]?0x[0-9a-fA-F_]+
    | [-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+
    | [-+]?(?:[0-9][0-9_]*)?\.[0-9.]*(?:[eE][-+]?[0-9]+)?
    | [-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*
    | [-+]?\.(?:inf|Inf|INF) | \.(?:nan|NaN|NAN)
    | [0-9][0-9_]*[eE][-+]?[0-9]+
    | [0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}.*)?
    | =
    """
)


def plain_ok(text: str) -> bool:
    """Identifier-like text that every YAML reader reads back as the same text when written
    plain: ours (YAML 1.2) and the YAML 1.1 readers of other tools."""
    return (
        _PLAIN.fullmatch(text) is not None
        and all(_printable(ch) for ch in text)
        and resolve_plain_scalar(text) == text
        and isinstance(resolve_plain_scalar(text), str)
        and _YAML11_NOT_TEXT.fullmatch(text) is None
    )


def _escape(text: str) -> str:
    out = []
    for ch in text:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif _printable(ch):
            out.append(ch)
        elif ord(ch) <= 0xFF:
            out.append(f"\\x{ord(ch):02x}")
        elif ord(ch) <= 0xFFFF:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(f"\\U{ord(ch):08x}")
    return "".join(out)


def _wrap(text: str, first: int, rest: int, *, escaped: bool = False) -> list[str]:
    """Break ``text`` at single spaces between two visible characters, greedily.

    Such a break reads back as exactly one space in a folded block and in double quotes.
    ``first`` and ``rest`` are the room on the first and on later lines.
    """
    points = [
        i
        for i in range(1, len(text) - 1)
        if text[i] == " "
        and text[i - 1] not in " \t"
        and text[i + 1] not in " \t"
        and not (escaped and text[i - 1] == "\\")
    ]
    lines: list[str] = []
    start, best = 0, None
    for point in [*points, len(text)]:
        room = first if not lines else rest
        if point - start > room and best is not None:
            lines.append(text[start:best])
            start = best + 1
        best = point
    lines.append(text[start:])
    return lines


def _foldable(text: str) -> bool:
    return (
        bool(text)
        and "\n" not in text
        and text[0] not in " \t"
        and text[-1] not in " \t"
        and all(_printable(ch) or ch == "\t" for ch in text)
    )


def _literal_ok(text: str) -> bool:
    """A ``|`` block keeps every line as it is, trailing spaces included, provided the first
    line does not start with a space (that would need an indentation indicator) and no line is
    spaces only (a reader takes it for an empty line)."""
    lines = text.split("\n")
    content = [line for line in lines if line]
    return (
        bool(content)
        and content[0][0] not in " \t"
        and all(line.strip(" \t") for line in content)
        and all(_printable(ch) or ch in "\t\n" for ch in text)
    )


@dataclass
class _Scalar:
    """A rendered scalar: text for the entry's line, and the lines of a block that follow."""

    head: list[str]
    block: list[str] = field(default_factory=list)


def render_scalar(value: Any, column: int, indent: int) -> _Scalar:
    """``value`` written from ``column`` on; continuation and block lines at ``indent``."""
    if value is None:
        return _Scalar([""])
    if isinstance(value, bool):
        return _Scalar(["true" if value else "false"])
    if isinstance(value, YamlInt | YamlFloat):
        return _Scalar([value.text])
    if isinstance(value, int | float):  # not from our loader; written as Python does
        return _Scalar([repr(value)])
    text = str(value)
    pad = " " * indent
    if "\n" in text:
        body = text[:-1]
        if text.endswith("\n") and _foldable(body):
            lines = _wrap(body, WIDTH - indent, WIDTH - indent)
            return _Scalar([">"], [pad + line for line in lines])
        if _literal_ok(text) and not text.endswith("\n\n"):  # '|+' would swallow blank lines
            chomp = "" if text.endswith("\n") else "-"
            lines = (text[:-1] if text.endswith("\n") else text).split("\n")
            return _Scalar([f"|{chomp}"], [pad + line if line else "" for line in lines])
    elif plain_ok(text):
        return _Scalar([text])
    quoted = f'"{_escape(text)}"'
    lines = _wrap(quoted, WIDTH - column, WIDTH - indent, escaped=True)
    return _Scalar([lines[0], *(pad + line for line in lines[1:])])


def _key(key: str) -> str:
    return key if plain_ok(key) else f'"{_escape(key)}"'


# --- the emitter -----------------------------------------------------------------------------


class _Emitter:
    """Writes the data in canonical form, placing each comment where :class:`Attached` says."""

    def __init__(self, framework: Framework, comments: Attached, *, study: bool = False) -> None:
        self.framework = framework
        self.study = study
        self.comments = comments
        self.parts = {part.id for part in (framework.study_parts if study else framework.parts)}
        self.lines: list[str] = []
        self.open_block: int | None = None  # content column of a block scalar just written

    def document(self, data: dict[str, Any]) -> str:
        self._comments(self.comments.header, 0)
        self._mapping(data, (), 0, None)
        return "\n".join(self.lines) + "\n"

    def _write(self, *lines: str) -> None:
        self.lines += lines
        self.open_block = None

    def _comments(self, block: Block, indent: int) -> None:
        for offset, text in block:
            column = indent + offset
            if self.open_block is not None and column >= self.open_block:
                column = self.open_block - 1  # deeper would continue the text
            self.lines.append(" " * column + text)
            self.open_block = None

    def _with_eol(self, line: str, loc: Loc) -> str:
        eol = self.comments.eol.get(loc)
        return f"{line}  {eol[0]}" if eol else line

    def _eol_extras(self, loc: Loc, indent: int) -> None:
        self._comments([(0, text) for text in self.comments.eol.get(loc, [])[1:]], indent)

    def _mapping(self, data: dict[str, Any], loc: Loc, indent: int, dash: str | None) -> None:
        keys = _ordered(list(data), key_order(self.framework, loc, study=self.study))
        for index, key in enumerate(keys):
            key_loc = (*loc, key)
            if not loc and key in self.parts and self.lines:
                self.lines.append("")  # a blank line does not end a block scalar
            if dash is None or index > 0:
                self._comments(self.comments.leading.get(key_loc, []), indent)
            prefix = (dash if dash is not None and index == 0 else " " * indent) + _key(key) + ":"
            self._entry(prefix, data[key], key_loc, indent)
        self._comments(self.comments.trailing.get(loc, []), indent)

    def _sequence(self, data: list[Any], loc: Loc, indent: int) -> None:
        for index, item in enumerate(data):
            item_loc = (*loc, index)
            dash = " " * indent + "-"
            if isinstance(item, dict) and item:
                first = _ordered(list(item), key_order(self.framework, item_loc, study=self.study))[
                    0
                ]
                leading = [
                    *self.comments.leading.get(item_loc, []),
                    *((0, text) for text in self.comments.eol.get(item_loc, [])),
                    *self.comments.leading.get((*item_loc, first), []),
                ]
                self._comments(leading, indent)
                self._mapping(item, item_loc, indent + INDENT, dash + " ")
                self._after(item_loc, indent)
            else:
                self._comments(self.comments.leading.get(item_loc, []), indent)
                self._entry(dash, item, item_loc, indent)
        self._comments(self.comments.trailing.get(loc, []), indent)

    def _entry(self, prefix: str, value: Any, loc: Loc, indent: int) -> None:
        """One mapping entry or sequence item whose first line starts with ``prefix``."""
        child = indent + INDENT
        if isinstance(value, dict | list) and value:
            self._write(self._with_eol(prefix, loc))
            self._eol_extras(loc, child)
            if isinstance(value, dict):
                self._mapping(value, loc, child, None)
            else:
                self._sequence(value, loc, child)
        elif isinstance(value, dict | list):
            empty = "{}" if isinstance(value, dict) else "[]"
            self._write(self._with_eol(f"{prefix} {empty}", loc))
            self._eol_extras(loc, indent)
        else:
            scalar = render_scalar(value, len(prefix) + 1, child)
            head = [f"{prefix} {scalar.head[0]}".rstrip(), *scalar.head[1:]]
            head[-1] = self._with_eol(head[-1], loc)
            self._write(*head, *scalar.block)
            if scalar.block:
                self.open_block = child
            self._eol_extras(loc, indent)
        self._after(loc, indent)

    def _after(self, loc: Loc, indent: int) -> None:
        """Comments that followed the entry, indented deeper than what came next."""
        self._comments(self.comments.after.get(loc, []), indent)
