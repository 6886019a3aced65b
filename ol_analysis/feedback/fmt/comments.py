"""Comments of a YAML file, found by the scanner and attached to the entry each one describes.

YAML parsers drop comments; ruamel's round-trip mode keeps them but hangs each one on the key
*before* it. For canonical formatting a comment must travel with the key it describes when keys
are reordered, so here every comment is recorded with its position by a small scanner subclass
and attached by where it stands:

- a comment after code on the same line is an end-of-line comment of the entry (mapping key or
  sequence item) that started last before it;
- comment lines before an entry, no deeper than it, lead that entry;
- comment lines deeper than the entry that follows belong to what came before: the container
  they are aligned with (written after its last entry), or the entry they are indented under;
- comments before the first entry stay at the top of the file.

Blocks of comment lines keep their indentation relative to each other.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml import events as ev
from ruamel.yaml.scanner import Scanner

from ol_analysis.core.yamlsource import Loc

_END = "\0\r\n\x85\u2028\u2029"

Block = list[tuple[int, str]]
"""Comment lines as (indentation relative to where the block is written, text)."""


@dataclass(frozen=True)
class Comment:
    line: int  # 1-based
    column: int  # 1-based
    text: str
    own_line: bool


@dataclass(frozen=True)
class _Entry:
    loc: Loc
    line: int
    column: int  # of the key, or of the '-' of a sequence item
    order: tuple[int, int, int]


@dataclass
class Attached:
    """Where each comment goes in the canonical text."""

    header: Block = field(default_factory=list)
    leading: dict[Loc, Block] = field(default_factory=dict)
    eol: dict[Loc, list[str]] = field(default_factory=dict)
    trailing: dict[Loc, Block] = field(default_factory=dict)
    after: dict[Loc, Block] = field(default_factory=dict)


class _RecordingScanner(Scanner):  # type: ignore[misc]
    """ruamel's scanner, noting every comment it skips (the same loop as the original)."""

    def _note(self) -> None:
        mark = self.reader.get_mark()
        text = ""
        while self.reader.peek() not in _END:
            text += self.reader.peek()
            self.reader.forward()
        self.__dict__.setdefault("found", []).append((mark.line, mark.column, text))

    def scan_to_next_token(self) -> Any:
        if self.reader.index == 0 and self.reader.peek() == "\ufeff":
            self.reader.forward()
        white = " \t" if self.flow_level > 0 else " "
        while True:
            while self.reader.peek() in white:
                self.reader.forward()
            if self.reader.peek() == "#":
                self._note()
            if self.scan_line_break():
                if not self.flow_level:
                    self.allow_simple_key = True
            else:
                return None

    def scan_block_scalar_ignored_line(self, start_mark: Any) -> Any:
        while self.reader.peek() == " ":
            self.reader.forward()
        if self.reader.peek() == "#":
            self._note()
        return super().scan_block_scalar_ignored_line(start_mark)


def _scan(text: str) -> tuple[list[Comment], list[ev.Event]]:
    yaml = YAML(typ="safe", pure=True)
    yaml.version = (1, 2)
    yaml.Scanner = _RecordingScanner
    events = list(yaml.parse(text))
    found = getattr(yaml.scanner, "found", [])
    lines = text.split("\n")
    comments = [
        Comment(line + 1, column + 1, body.rstrip(), not lines[line][:column].strip())
        for line, column, body in found
    ]
    return comments, events


def comment_texts(text: str) -> list[str]:
    """The text of every comment in ``text`` (YAML that parses), in file order."""
    return [comment.text for comment in _scan(text)[0]]


def _dash_column(lines: list[str], code_ends: dict[int, int], line: int, column: int) -> int:
    """The column of the '-' that introduces a sequence item starting at ``line:column``.

    The '-' may stand on an earlier line (``-`` alone, then the item below it), with blank or
    comment lines between; ``code_ends`` gives where a line's comment starts.
    """
    row, index = line - 1, column - 2
    while row >= 0:
        text = lines[row]
        if row != line - 1:
            index = code_ends.get(row + 1, len(text) + 1) - 2
        while index >= 0 and text[index] in " \t":
            index -= 1
        if index >= 0:
            return index + 1 if text[index] == "-" else column
        row -= 1
    return column


def _entries(events: list[ev.Event], lines: list[str], comments: list[Comment]) -> list[_Entry]:
    """Every mapping entry and sequence item, with where it starts, in file order."""
    entries: list[_Entry] = []
    code_ends = {comment.line: comment.column for comment in comments}
    stack: list[list[Any]] = []  # [loc, is_mapping, next index, expecting key, pending key]

    def add(loc: Loc, event: ev.Event, dash: bool) -> None:
        line, column = event.start_mark.line + 1, event.start_mark.column + 1
        shown = _dash_column(lines, code_ends, line, column) if dash else column
        entries.append(_Entry(loc, line, shown, (line, column, len(loc))))

    for event in events:
        if not isinstance(event, ev.NodeEvent | ev.CollectionEndEvent):
            continue
        if isinstance(event, ev.CollectionEndEvent):
            stack.pop()
            if stack and stack[-1][1]:
                stack[-1][3] = True
            continue
        loc: Loc = ()
        if stack:
            parent = stack[-1]
            if parent[1] and parent[3]:  # a key
                parent[4] = str(getattr(event, "value", ""))
                parent[3] = False
                add((*parent[0], parent[4]), event, dash=False)
                continue
            if parent[1]:
                loc = (*parent[0], parent[4])
                parent[3] = True
            else:
                loc = (*parent[0], parent[2])
                parent[2] += 1
                add(loc, event, dash=True)
        if isinstance(event, ev.MappingStartEvent):
            stack.append([loc, True, 0, True, None])
        elif isinstance(event, ev.SequenceStartEvent):
            stack.append([loc, False, 0, False, None])
    entries.sort(key=lambda entry: entry.order)
    return entries


def _relative(comments: list[Comment], base: int) -> Block:
    return [(max(0, comment.column - base), comment.text) for comment in comments]


def attach_comments(text: str) -> Attached:
    """Attach every comment of ``text`` (YAML that parses) to the entry it describes."""
    comments, events = _scan(text)
    lines = text.split("\n")
    entries = _entries(events, lines, comments)
    starts = [(entry.line, entry.order[1]) for entry in entries]
    attached = Attached()
    runs: dict[int, list[Comment]] = {}
    for comment in comments:
        index = bisect.bisect_left(starts, (comment.line, comment.column))
        if comment.own_line:
            runs.setdefault(index, []).append(comment)
        elif index == 0:
            attached.header.append((0, comment.text))
        else:
            attached.eol.setdefault(entries[index - 1].loc, []).append(comment.text)
    for index, run in runs.items():
        following = entries[index] if index < len(entries) else None
        split = len(run)
        if following is not None:
            split = next((i for i, c in enumerate(run) if c.column <= following.column), len(run))
        deeper, leading = run[:split], run[split:]
        if deeper:
            _attach_deeper(attached, deeper, entries[:index], following)
        if leading and following is not None:  # written from its first line, which is no deeper
            base = leading[0].column
            attached.leading.setdefault(following.loc, []).extend(_relative(leading, base))
    if entries:
        attached.header += attached.leading.pop(entries[0].loc, [])
    return attached


def _attach_deeper(
    attached: Attached, run: list[Comment], before: list[_Entry], following: _Entry | None
) -> None:
    anchor = min(comment.column for comment in run)
    owner = next((entry for entry in reversed(before) if entry.column <= anchor), None)
    if owner is None:
        if following is not None:
            attached.leading.setdefault(following.loc, []).extend(_relative(run, anchor))
        else:
            attached.header.extend(_relative(run, anchor))
    elif owner.column == anchor:
        attached.trailing.setdefault(owner.loc[:-1], []).extend(_relative(run, anchor))
    else:
        attached.after.setdefault(owner.loc, []).extend(_relative(run, owner.column))
