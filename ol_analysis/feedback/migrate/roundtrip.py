"""ruamel's round-trip tree: read as our loader reads YAML 1.2, edited keeping comments.

ruamel keeps the comments that follow an item in the slot of the item's *last* scalar: the
end-of-line comment of its last line, then the full-line comments before the next item. When
an item is removed or grows, those full-line comments (usually about the next item) are moved
so that they stay where they were. Every helper is a no-op on plain ``dict``/``list`` data, so
the same edits run on our loader's data and on ruamel's tree.
"""

from __future__ import annotations

import io
import re
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark
from ruamel.yaml.resolver import VersionedResolver
from ruamel.yaml.scalarstring import FoldedScalarString, ScalarString
from ruamel.yaml.tokens import CommentToken

FOLD_WIDTH = 90


_CORE_RULES = (
    ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    (
        "float",
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        "-+0123456789.",
    ),
    ("null", r"^(?:~|null|Null|NULL|)$", ("~", "n", "N", "")),
)
_CORE_TABLE: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
for _tag, _pattern, _first in _CORE_RULES:
    for _char in _first:
        _CORE_TABLE.setdefault(_char, []).append(
            (f"tag:yaml.org,2002:{_tag}", re.compile(_pattern))
        )


class _CoreResolver(VersionedResolver):  # type: ignore[misc]
    """YAML 1.2 core schema without underscores in numbers and without timestamps.

    ruamel's own 1.2 rules read ``18_25`` as 1825; with these, a code id stays the text typed,
    and is written back plain. The rules are those of :func:`yamlsource.resolve_plain_scalar`.
    """

    @property
    def versioned_resolver(self) -> Any:
        return _CORE_TABLE


def round_trip_yaml() -> YAML:
    yaml = YAML(typ="rt", pure=True)
    yaml.Resolver = _CoreResolver
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def dump(yaml: YAML, data: Any) -> str:
    buffer = io.StringIO()
    yaml.dump(data, buffer)
    return buffer.getvalue()


def like(old: Any, new: str) -> Any:
    """``new`` in the quoting style of ``old`` (a ruamel quoted scalar stays quoted)."""
    if isinstance(old, FoldedScalarString):
        folded = FoldedScalarString(new)
        folded.fold_pos = fold_positions(new)  # type: ignore[attr-defined]
        return folded
    return type(old)(new) if isinstance(old, ScalarString) else new


def fold_positions(text: str, width: int = FOLD_WIDTH) -> list[int]:
    """Single spaces between words where a folded block breaks its lines (greedy)."""
    positions: list[int] = []
    start, best = 0, None
    for index, char in enumerate(text):
        if char != " " or index in (0, len(text) - 1) or " " in (text[index - 1], text[index + 1]):
            continue
        if index - start > width and best is not None:
            positions.append(best)
            start = best + 1
        best = index
    if len(text.rstrip("\n")) - start > width and best is not None and best > start:
        positions.append(best)
    return positions


def new_map(sibling: Any) -> dict[str, Any]:
    """An empty mapping of the same tree kind as ``sibling`` (ruamel or plain)."""
    return CommentedMap() if isinstance(sibling, CommentedMap | CommentedSeq) else {}


def _tail_slot(parent: Any, key: Any) -> tuple[dict[Any, Any], Any, int] | None:
    """Where ruamel keeps the comment after ``parent[key]``: the slot of its last scalar."""
    value = parent[key]
    if isinstance(value, CommentedMap | CommentedSeq) and value and not value.fa.flow_style():
        last = list(value)[-1] if isinstance(value, CommentedMap) else len(value) - 1
        return _tail_slot(value, last)
    if isinstance(parent, CommentedSeq):
        return parent.ca.items, key, 0
    if isinstance(parent, CommentedMap):
        return parent.ca.items, key, 2
    return None


def detach_tail(parent: Any, key: Any) -> str:
    """Remove the full-line comments after ``parent[key]``; returns them (maybe ``""``).

    The end-of-line comment of the item's last line stays: it belongs to that line.
    """
    slot = _tail_slot(parent, key)
    if slot is None:
        return ""
    items, slot_key, position = slot
    entry = items.get(slot_key)
    token = entry[position] if entry and len(entry) > position else None
    if entry is None or token is None:
        return ""
    eol, _, rest = token.value.partition("\n")
    if eol.strip():
        token.value = eol + "\n"
    else:
        entry[position] = None
    return rest


def attach_tail(parent: Any, key: Any, rest: str) -> None:
    if not rest:
        return
    slot = _tail_slot(parent, key)
    if slot is None:
        return
    items, slot_key, position = slot
    entry = items.setdefault(slot_key, [None, None, None, None])
    while len(entry) <= position:
        entry.append(None)
    if entry[position] is None:
        entry[position] = CommentToken("\n" + rest, CommentMark(0), None)
    else:
        entry[position].value += rest


def move_eol_to_code(seq: Any, index: int, item: dict[str, Any]) -> None:
    """A scalar item that becomes a mapping keeps its end-of-line comment after ``code:``."""
    if not isinstance(seq, CommentedSeq) or not isinstance(item, CommentedMap):
        return
    entry = seq.ca.items.pop(index, None)
    token = entry[0] if entry else None
    if token is not None and token.value.strip():
        item.ca.items["code"] = [None, None, token, None]


def remove_items(
    seq: Any,
    deleted: set[int],
    rests: dict[int, str] | None = None,
    detached: dict[int, str] | None = None,
) -> None:
    """Delete the items at ``deleted``; the comments after each stay before what followed it.

    ``rests`` are comments already detached from surviving items, re-attached after them;
    ``detached`` those already taken from deleted items (before their contents moved).
    """
    rests = dict(rests or {})
    for index in sorted(deleted):
        rest = detached[index] if detached and index in detached else detach_tail(seq, index)
        survivors = [i for i in range(index) if i not in deleted]
        if survivors:
            rests[survivors[-1]] = rests.get(survivors[-1], "") + rest
    for index in sorted(deleted, reverse=True):
        del seq[index]
    for original, rest in rests.items():
        attach_tail(seq, original - sum(1 for d in deleted if d < original), rest)
