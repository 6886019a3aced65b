"""Reading YAML files safely into plain data with the source position of every key and value.

The tree is built from the parser's events rather than by a YAML constructor, so that

- scalars are resolved by YAML 1.2's core schema *without* underscores in numbers: ``18_25`` and
  ``0_5`` stay the text an analyst typed (ruamel reads them as 1825 and 5), and ``no`` stays text;
- anchors, aliases, merge keys and explicit tags are refused before anything is expanded or
  constructed (ruamel has no guard against alias bombs);
- duplicate keys are reported at the second occurrence, with the first one named;
- every key and value keeps its 1-based line and column, addressed by its path in the tree.

A file with git's conflict markers (``<<<<<<<``, ``|||||||``, ``=======``, ``>>>>>>>``) is not
parsed at all: each conflict is one ``merge-conflict`` error with its lines and both sides.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml import events as ev
from ruamel.yaml.error import MarkedYAMLError, YAMLError

try:
    from ruamel.yaml.cyaml import CParser
except ImportError:  # pragma: no cover - ruamel.yaml.clib is a dependency, but may fail to build
    CParser = None

from ol_analysis.diagnostics import Diagnostic

MAX_FILE_BYTES = 1024 * 1024
MAX_DEPTH = 64

Loc = tuple[str | int, ...]


class YamlInt(int):
    """An integer that remembers how it was written, so a code id like ``2020`` stays ``2020``."""

    text: str

    def __new__(cls, value: int, text: str) -> YamlInt:
        obj = super().__new__(cls, value)
        obj.text = text
        return obj


class YamlFloat(float):
    """A float that remembers how it was written."""

    text: str

    def __new__(cls, value: float, text: str) -> YamlFloat:
        obj = super().__new__(cls, value)
        obj.text = text
        return obj


def source_text(value: object) -> str | None:
    """The text a plain scalar was written as, for a value read where text is expected."""
    if isinstance(value, YamlInt | YamlFloat):
        return value.text
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return None


_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_TRUE = re.compile(r"^(?:true|True|TRUE)$")
_FALSE = re.compile(r"^(?:false|False|FALSE)$")
_INT10 = re.compile(r"^[-+]?[0-9]+$")
_INT8 = re.compile(r"^0o[0-7]+$")
_INT16 = re.compile(r"^0x[0-9a-fA-F]+$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
_INF = re.compile(r"^[-+]?\.(?:inf|Inf|INF)$")
_NAN = re.compile(r"^\.(?:nan|NaN|NAN)$")


def resolve_plain_scalar(text: str) -> Any:
    """YAML 1.2 core schema, minus the underscores some parsers accept in numbers."""
    first = text[:1]
    if first.isalpha() and first not in "nNtTfF":
        return text  # most scalars are words or code ids: no pattern can match them
    if _NULL.match(text):
        return None
    if _TRUE.match(text):
        return True
    if _FALSE.match(text):
        return False
    if _INT10.match(text):
        return YamlInt(int(text), text)
    if _INT8.match(text):
        return YamlInt(int(text[2:], 8), text)
    if _INT16.match(text):
        return YamlInt(int(text[2:], 16), text)
    if _FLOAT.match(text) and any(ch.isdigit() for ch in text):
        return YamlFloat(float(text), text)
    if _INF.match(text):
        return YamlFloat(float("-inf") if text.startswith("-") else float("inf"), text)
    if _NAN.match(text):
        return YamlFloat(float("nan"), text)
    return text


Positions = dict[Loc, tuple[int, int]]


@dataclass
class SourceDocument:
    """A YAML document as plain data, with where each key and value stands in the file.

    Positions are found on demand: a valid file never needs them, so they are computed (by
    parsing ``text`` once more) only when the first diagnostic asks where something stands.
    That keeps loading fast and memory small for thousands of files.
    """

    path: str
    data: Any
    text: str | None = None
    file: Path | None = None
    """Where to re-read the text from when positions are asked for and ``text`` is not kept."""
    _keys: Positions | None = field(default=None, repr=False, compare=False)
    _values: Positions | None = field(default=None, repr=False, compare=False)

    @property
    def key_positions(self) -> Positions:
        return self._positions()[0]

    @property
    def value_positions(self) -> Positions:
        return self._positions()[1]

    def _positions(self) -> tuple[Positions, Positions]:
        if self._keys is None or self._values is None:
            builder = _TreeBuilder(self.path, track_positions=True)
            text = self.text
            if text is None and self.file is not None:
                with contextlib.suppress(OSError, UnicodeDecodeError):
                    text = self.file.read_text(encoding="utf-8").removeprefix("\ufeff")
            if text is not None:
                with contextlib.suppress(_Refused, YAMLError):
                    builder.build(_events(text, fast=True))
            self._keys, self._values = builder.keys, builder.values
        return self._keys, self._values

    def position(self, loc: Loc, *, key: bool = False) -> tuple[int, int]:
        """Line and column of the value (or key) at ``loc``, or of its nearest ancestor."""
        keys, values = self._positions()
        table = keys if key else values
        current = tuple(loc)
        while current:
            if current in table:
                return table[current]
            if not key and current in keys:
                return keys[current]
            current = current[:-1]
        return values.get((), (1, 1))

    def diagnostic(
        self, loc: Loc, rule: str, message: str, hint: str | None = None, *, key: bool = False
    ) -> Diagnostic:
        line, column = self.position(loc, key=key)
        return Diagnostic(
            self.path,
            line,
            column,
            rule,
            message,
            hint,
            location=".".join(str(part) for part in loc),
        )


class _Refused(Exception):
    def __init__(self, diagnostic: Diagnostic) -> None:
        self.diagnostic = diagnostic


class _TreeBuilder:
    """Builds plain data from parser events, refusing what a case file must not contain.

    With ``track_positions`` it also records where every key and value stands, by path.
    """

    def __init__(self, path: str, *, track_positions: bool = False) -> None:
        self.path = path
        self.data: Any = None
        self.track = track_positions
        self.keys: Positions = {}
        self.values: Positions = {}
        self.diagnostics: list[Diagnostic] = []

    def _at(self, event: ev.Event) -> tuple[int, int]:
        mark = event.start_mark
        return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)

    def _refuse(self, event: ev.Event, rule: str, message: str, hint: str) -> _Refused:
        line, column = self._at(event)
        return _Refused(Diagnostic(self.path, line, column, rule, message, hint))

    def _check_node_event(self, event: ev.NodeEvent) -> None:
        if type(event) is not ev.AliasEvent and event.anchor is None and event.ctag is None:  # type: ignore[attr-defined]
            return  # the common case, checked first: this runs for every node of every file
        if isinstance(event, ev.AliasEvent):
            raise self._refuse(
                event,
                "yaml-alias",
                f"alias '*{event.anchor}' is not allowed in a case file",
                "write the value out in full where it applies",
            )
        if event.anchor is not None:
            raise self._refuse(
                event,
                "yaml-alias",
                f"anchor '&{event.anchor}' is not allowed in a case file",
                "remove the anchor and write each value out in full",
            )
        tag = getattr(event, "tag", None)
        if tag is not None:
            raise self._refuse(
                event,
                "yaml-tag",
                f"explicit tag '{tag}' is not allowed",
                "remove the tag; quote the value if it must be text",
            )

    def build(self, events: Any) -> None:
        documents = 0
        stream = iter(events)
        for event in stream:
            if isinstance(event, ev.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise self._refuse(
                        event,
                        "yaml-syntax",
                        "a case file holds one YAML document, found a second ('---')",
                        "split the documents into separate files",
                    )
            elif isinstance(event, ev.NodeEvent):
                self.values[()] = self._at(event)
                self.data = self._node(event, stream, (), 0)

    def _node(self, event: ev.Event, stream: Any, loc: Loc, depth: int) -> Any:
        self._check_node_event(event)  # type: ignore[arg-type]
        if depth > MAX_DEPTH:
            raise self._refuse(
                event, "yaml-syntax", f"nesting deeper than {MAX_DEPTH} levels", "flatten the data"
            )
        if type(event) is ev.ScalarEvent:
            if not event.style and event.implicit[0]:
                return resolve_plain_scalar(event.value)
            return event.value
        if isinstance(event, ev.SequenceStartEvent):
            return self._sequence(stream, loc, depth)
        if isinstance(event, ev.MappingStartEvent):
            return self._mapping(stream, loc, depth)
        raise self._refuse(event, "yaml-syntax", "unexpected YAML structure", "check the syntax")

    def _sequence(self, stream: Any, loc: Loc, depth: int) -> list[Any]:
        items: list[Any] = []
        for event in stream:
            if isinstance(event, ev.SequenceEndEvent):
                return items
            item_loc = loc
            if self.track:
                item_loc = (*loc, len(items))
                self.values[item_loc] = self._at(event)
            items.append(self._node(event, stream, item_loc, depth + 1))
        return items

    def _mapping(self, stream: Any, loc: Loc, depth: int) -> dict[str, Any]:
        mapping: dict[str, Any] = {}
        key_lines: dict[str, int] = {}
        for event in stream:
            if isinstance(event, ev.MappingEndEvent):
                return mapping
            self._check_node_event(event)  # type: ignore[arg-type]
            if not isinstance(event, ev.ScalarEvent):
                raise self._refuse(
                    event, "wrong-type", "a key must be plain text", "write the key as a word"
                )
            key = event.value
            if key == "<<" and not event.style:
                raise self._refuse(
                    event,
                    "yaml-alias",
                    "merge keys ('<<') are not allowed in a case file",
                    "write the merged keys out in full",
                )
            position = self._at(event)
            key_loc = (*loc, key) if self.track else loc
            value_event = next(stream)
            if key in mapping:
                self.diagnostics.append(
                    Diagnostic(
                        self.path,
                        *position,
                        "duplicate-key",
                        f"duplicate key '{key}' (first at line {key_lines[key]})",
                        "remove one of them or merge their contents",
                        location=".".join(str(p) for p in (*loc, key)) if self.track else key,
                    )
                )
                self._node(value_event, stream, ("#duplicate", *key_loc), depth + 1)
                continue
            key_lines[key] = position[0]
            if self.track:
                self.keys[key_loc] = position
                empty = isinstance(value_event, ev.ScalarEvent) and value_event.value == ""
                # an empty value has no place of its own: point at its key
                self.values[key_loc] = position if empty else self._at(value_event)
            mapping[key] = self._node(value_event, stream, key_loc, depth + 1)
        return mapping


def _decode(path: str, raw: bytes) -> tuple[str | None, Diagnostic | None]:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        return None, Diagnostic(
            path,
            line,
            column,
            "encoding",
            f"the file is not UTF-8 (byte 0x{raw[error.start]:02x} at offset {error.start})",
            "save the file as UTF-8 in your editor",
        )
    return text.removeprefix("\ufeff"), None


def _c_events(text: str) -> Iterator[ev.Event]:
    parser = CParser(text)
    while parser.check_event():
        yield parser.get_event()


def _events(text: str, *, fast: bool) -> Iterator[ev.Event]:
    """Parser events: libyaml's C parser when available, else ruamel's pure-Python one.

    Only the parser is shared with libyaml, never its YAML 1.1 scalar resolution: scalars are
    resolved here, so the fast path reads every file exactly as the pure one does.
    """
    if fast and CParser is not None:
        return _c_events(text)
    # not the round-trip parser: it marks folds in '>' scalars with '\a' characters
    yaml = YAML(typ="safe", pure=True)
    yaml.version = (1, 2)
    return iter(yaml.parse(text))


_CONFLICT_START = re.compile(r"^<{7}(?: (.*))?$")
_CONFLICT_BASE = re.compile(r"^\|{7}(?: (.*))?$")
_CONFLICT_MIDDLE = re.compile(r"^={7}$")
_CONFLICT_END = re.compile(r"^>{7}(?: (.*))?$")
_CONFLICT_HINT = "resolve them, then `ol-analysis validate`"


def merge_conflicts(path: str, text: str) -> list[Diagnostic]:
    """One ``merge-conflict`` error per block of git conflict markers, at its first line.

    A block is ``<<<<<<< OURS`` … (``||||||| BASE`` …, as ``merge.conflictStyle diff3`` writes
    it) ``=======`` … ``>>>>>>> THEIRS``, each marker at the start of its line. A block git left
    unfinished runs to the end of the file.
    """
    if "<<<<<<<" not in text and ">>>>>>>" not in text:
        return []  # the common case, answered without splitting the text
    lines = text.splitlines()
    found: list[Diagnostic] = []
    start: int | None = None
    ours, base, middle = "", "", False
    for number, line in enumerate(lines, start=1):
        opened = _CONFLICT_START.match(line)
        if opened and start is None:
            start, ours, base, middle = number, _label(opened, "ours"), "", False
        elif start is not None and not middle and (common := _CONFLICT_BASE.match(line)):
            base = _label(common, "base")
        elif start is not None and _CONFLICT_MIDDLE.match(line):
            middle = True
        elif start is not None and middle and (closed := _CONFLICT_END.match(line)):
            sides = f"'{ours}' and '{_label(closed, 'theirs')}'"
            found.append(
                _conflict(path, start, number, sides + (f" (base '{base}')" if base else ""))
            )
            start = None
        elif start is None and (_CONFLICT_END.match(line) or _CONFLICT_BASE.match(line)):
            kind = "'>>>>>>>'" if line.startswith(">") else "'|||||||'"
            found.append(
                Diagnostic(
                    path,
                    number,
                    1,
                    "merge-conflict",
                    f"a git conflict marker {kind} without its '<<<<<<<' "
                    "(a conflict resolved only in part)",
                    _CONFLICT_HINT,
                )
            )
    if start is not None:
        found.append(_conflict(path, start, len(lines), f"'{ours}'", finished=False))
    return found


def _label(marker: re.Match[str], default: str) -> str:
    return (marker[1] or "").strip() or default


def _conflict(path: str, start: int, end: int, sides: str, *, finished: bool = True) -> Diagnostic:
    if finished:
        what = f"merge conflict at lines {start}-{end} between {sides}"
    else:
        what = f"unfinished merge conflict at lines {start}-{end} from {sides} (no '>>>>>>>')"
    return Diagnostic(
        path,
        start,
        1,
        "merge-conflict",
        f"{what}; the file is not read until it is resolved",
        _CONFLICT_HINT,
    )


_KEY_VALUE = re.compile(r"^(\s*(?:-\s+)?)([^\s:#'\"][^:#]*?):\s+(.+?)\s*$")


def _quoted(value: str) -> str:
    """``value`` as a YAML quoted scalar every reader takes as that text."""
    if '"' not in value and "\\" not in value:
        return f'"{value}"'
    return "'" + value.replace("'", "''") + "'"


def _plain_value_problem(line: str, problem: str) -> tuple[str, str] | None:
    """A clearer message and hint for the two ways an unquoted value breaks YAML: a ``: `` inside
    it (``title: Een: titel``), or a value that starts with a quote and goes on after it
    (``title: "Een" titel``). None when the line is neither."""
    match = _KEY_VALUE.match(line)
    if match is None:
        return None
    key, value = match[2].strip(), match[3]
    if value.endswith(("|", ">")) or value.startswith(("{", "[", "&", "*", "!")):
        return None
    if "mapping values are not allowed" in problem and ": " in value:
        return (
            f"': ' inside the unquoted value of '{key}' would start another key",
            f"put the value in quotes: {key}: {_quoted(value)}",
        )
    quote = value[:1]
    if quote in ("'", '"') and "expected key" in problem:
        closing = value.find(quote, 1)
        if 0 < closing < len(value) - 1:
            return (
                f"the value of '{key}' starts with a quote and goes on after the closing quote",
                f"quote the whole value: {key}: {_quoted(value)}",
            )
    return None


def parse_text(
    path: str, text: str, *, fast: bool = True, track_positions: bool = False
) -> tuple[SourceDocument | None, list[Diagnostic]]:
    """Parse YAML text; returns the document (None when unusable) and the problems found."""
    conflicts = merge_conflicts(path, text)
    if conflicts:
        return None, conflicts
    builder = _TreeBuilder(path, track_positions=track_positions)
    try:
        builder.build(_events(text, fast=fast))
    except _Refused as refused:
        return None, [*builder.diagnostics, refused.diagnostic]
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        message = (error.problem or error.context or "invalid YAML").strip()
        context = ""
        if error.context and error.problem:
            started = error.context_mark
            where = f" started at line {started.line + 1}" if started is not None else ""
            context = f" ({error.context.strip()}{where})"
        lines = text.splitlines()
        tab = line <= len(lines) and lines[line - 1][column - 1 : column] == "\t"
        plain = _plain_value_problem(lines[line - 1] if line <= len(lines) else "", message)
        if plain is not None:
            message, context, hint = plain[0], "", plain[1]
        elif tab:
            hint = "YAML does not allow a tab here: indent with spaces"
        else:
            hint = "check indentation, colons and quotes around this place"
        return None, [
            *builder.diagnostics,
            Diagnostic(path, line, column, "yaml-syntax", f"{message}{context}", hint),
        ]
    except YAMLError as error:
        return None, [Diagnostic(path, 1, 1, "yaml-syntax", str(error).strip(), None)]
    if builder.data is None:
        return None, [
            *builder.diagnostics,
            Diagnostic(
                path,
                1,
                1,
                "empty-file",
                "the file holds no YAML document",
                "start from 'ol-analysis new ID --title TITLE'",
            ),
        ]
    doc = SourceDocument(path, builder.data, text)
    if track_positions:
        doc._keys, doc._values = builder.keys, builder.values
    return doc, builder.diagnostics


def read_yaml(
    path: Path, display_path: str | None = None, *, max_bytes: int = MAX_FILE_BYTES
) -> tuple[SourceDocument | None, list[Diagnostic]]:
    """Read and parse one YAML file, never raising for bad content."""
    shown = display_path or str(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            return None, [
                Diagnostic(
                    shown,
                    1,
                    1,
                    "file-too-large",
                    f"the file is {size:,} bytes, over the limit of {max_bytes:,}",
                    "a case file is a coding, far below this size: check that this is the file "
                    "you meant (not an export or a pasted document), and keep long texts such "
                    "as transcripts outside the study, quoting only what a coding rests on",
                )
            ]
        raw = path.read_bytes()
    except OSError as error:
        return None, [
            Diagnostic(
                shown, 1, 1, "unreadable", f"cannot read the file: {error.strerror or error}", None
            )
        ]
    text, problem = _decode(shown, raw)
    if text is None:
        return None, [problem] if problem else []
    return parse_text(shown, text)
