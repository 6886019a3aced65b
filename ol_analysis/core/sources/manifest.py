"""``sources/sources.yaml``: the documents of a study and their metadata, checked with located
diagnostics.

    documents:
      - id: c01-intake            # what an evidence item's ``doc:`` names
        file: c01-intake.txt      # in sources/: .txt, .md or .docx
        cases: [c01]              # the case(s) it belongs to
        kind: interview           # a code of the framework's evidence sources
        date: 2024-03-05
        speakers: [client, professional]   # codes of the framework's evidence speakers
        title: Intake interview   # optional

Without a manifest the documents are the folder's files, each named by its file name without
suffix, with no metadata.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ol_analysis.core.framework import Framework
from ol_analysis.core.sources.model import SOURCE_SUFFIXES
from ol_analysis.core.values import iso_date
from ol_analysis.core.yamlsource import Loc, SourceDocument, parse_text, read_yaml, source_text
from ol_analysis.diagnostics import Diagnostic, Severity, did_you_mean

MANIFEST = "sources.yaml"
ENTRY_KEYS = ("id", "file", "cases", "kind", "date", "speakers", "title")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


@dataclass(frozen=True)
class Entry:
    """One document as the manifest lists it (before its file is read)."""

    id: str
    file: str
    cases: tuple[str, ...] = ()
    kind: str | None = None
    date: str | None = None
    speakers: tuple[str, ...] = ()
    title: str | None = None
    loc: Loc = field(default=(), compare=False)


@dataclass
class Manifest:
    entries: list[Entry]
    document: SourceDocument | None
    diagnostics: list[Diagnostic]
    usable: bool = True
    """False when the file is not a list of documents (then its files are not "unlisted")."""


def _text(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    return source_text(value)


def _texts(value: Any) -> list[str] | None:
    values = value if isinstance(value, list) else [value]
    texts = [_text(v) for v in values]
    return None if any(t is None for t in texts) else [t for t in texts if t is not None]


def read_manifest(
    folder: Path, shown: str, framework: Framework, case_ids: Collection[str]
) -> Manifest:
    """The manifest of ``folder`` (``shown`` is how messages name the folder)."""
    path = folder / MANIFEST
    if not path.is_file():
        return Manifest([], None, [])
    doc, problems = read_yaml(path, f"{shown}/{MANIFEST}")
    if doc is None:
        return Manifest([], None, problems, usable=False)
    checker = _Checker(doc, framework, case_ids)
    entries = checker.entries()
    usable = isinstance(doc.data, dict) and isinstance(doc.data.get("documents"), list)
    return Manifest(entries, doc, [*problems, *checker.problems], usable)


class _Checker:
    def __init__(
        self, doc: SourceDocument, framework: Framework, case_ids: Collection[str]
    ) -> None:
        self.doc = doc
        self.kinds = [c.id for c in framework.evidence.sources]
        self.speakers = [c.id for c in framework.evidence.speakers]
        self.case_ids = sorted(case_ids)
        self.problems: list[Diagnostic] = []

    def problem(
        self, loc: Loc, rule: str, message: str, hint: str | None, *, key: bool = False
    ) -> None:
        self.problems.append(self.doc.diagnostic(loc, rule, message, hint, key=key))

    def entries(self) -> list[Entry]:
        data = self.doc.data
        if not isinstance(data, dict) or not isinstance(data.get("documents"), list):
            self.problem((), "wrong-type", "sources.yaml holds a list 'documents:'", _EXAMPLE_HINT)
            return []
        for key in data:
            if key != "documents":
                self.problem(
                    (key,),
                    "unknown-key",
                    f"unknown key '{key}'",
                    "the file holds 'documents:'",
                    key=True,
                )
        entries: list[Entry] = []
        seen: dict[str, int] = {}
        for index, raw in enumerate(data["documents"]):
            entry = self.entry(("documents", index), raw)
            if entry is None:
                continue
            if entry.id in seen:
                self.problem(
                    (*entry.loc, "id"),
                    "duplicate-source",
                    f"document id '{entry.id}' is also used by entry {seen[entry.id] + 1}",
                    "give each document its own id",
                )
                continue
            seen[entry.id] = index
            entries.append(entry)
        return entries

    def entry(self, loc: Loc, raw: Any) -> Entry | None:
        if not isinstance(raw, dict):
            self.problem(loc, "wrong-type", "a document is a mapping", _EXAMPLE_HINT)
            return None
        for key in raw:
            if key not in ENTRY_KEYS:
                hint = did_you_mean(str(key), ENTRY_KEYS) or f"known keys: {', '.join(ENTRY_KEYS)}"
                self.problem((*loc, key), "unknown-key", f"unknown key '{key}'", hint, key=True)
        ok = True
        for key in ("id", "file"):
            if key not in raw:
                self.problem(loc, "missing-key", f"a document needs '{key}'", _EXAMPLE_HINT)
                ok = False
        doc_id = _text(raw.get("id"))
        if "id" in raw and (doc_id is None or not _ID.match(doc_id)):
            self.problem(
                (*loc, "id"),
                "wrong-type",
                f"'{raw['id']}' is not a document id",
                "use letters, digits, '-', '_' and '.'",
            )
            ok = False
        file = _text(raw.get("file"))
        if "file" in raw and (file is None or not _plain_name(file)):
            self.problem(
                (*loc, "file"),
                "wrong-type",
                f"'{raw['file']}' is not a file name in the sources folder",
                "name a file beside sources.yaml, without folders",
            )
            ok = False
        elif file is not None and not file.lower().endswith(SOURCE_SUFFIXES):
            self.problem(
                (*loc, "file"),
                "unsupported-source",
                f"'{file}' is not a text, Markdown or Word file",
                f"use one of {', '.join(SOURCE_SUFFIXES)}",
            )
            ok = False
        cases = self.codes(loc, raw, "cases", self.case_ids, "unknown-case", "a case")
        speakers = self.codes(loc, raw, "speakers", self.speakers, "unknown-code", "a speaker")
        kind = self.codes(loc, raw, "kind", self.kinds, "unknown-code", "a source kind")
        date = self.date(loc, raw)
        title = _text(raw.get("title")) if raw.get("title") is not None else None
        if not ok or doc_id is None or file is None:
            return None
        return Entry(
            doc_id,
            file,
            tuple(cases),
            kind[0] if kind else None,
            date,
            tuple(speakers),
            title,
            loc,
        )

    def codes(
        self, loc: Loc, raw: dict[str, Any], key: str, known: Sequence[str], rule: str, what: str
    ) -> list[str]:
        if raw.get(key) is None:
            return []
        values = _texts(raw[key])
        single = key == "kind"
        if values is None or (single and isinstance(raw[key], list)):
            shape = "one code" if single else "a list of ids"
            self.problem((*loc, key), "wrong-type", f"'{key}' is {shape}", _EXAMPLE_HINT)
            return []
        good = []
        for index, value in enumerate(values):
            where = (*loc, key, index) if isinstance(raw[key], list) else (*loc, key)
            if value in known:
                good.append(value)
                continue
            hint = did_you_mean(value, known) or (
                f"known: {', '.join(known)}" if known else "the study has no cases yet"
            )
            self.problem(where, rule, f"'{value}' is not {what} of the study", hint)
        return good

    def date(self, loc: Loc, raw: dict[str, Any]) -> str | None:
        if raw.get("date") is None:
            return None
        value = iso_date(_text(raw["date"]))
        if value is None:
            self.problem(
                (*loc, "date"), "invalid-date", f"'{raw['date']}' is not a date (YYYY-MM-DD)", None
            )
            return None
        return value


def _plain_name(name: str) -> bool:
    return bool(name) and "/" not in name and "\\" not in name and name not in (".", "..")


_EXAMPLE_HINT = (
    "see docs/sources.md: documents: [{id: c01-intake, file: c01-intake.txt, cases: [c01]}]"
)


def unlisted_file(shown: str, name: str) -> Diagnostic:
    """The warning for a document file in the folder that the manifest does not list."""
    return Diagnostic(
        f"{shown}/{name}",
        1,
        1,
        "unlisted-source",
        f"{name} is not listed in {MANIFEST}",
        "add it to documents: with its id and cases, give it a front matter, or move it out",
        Severity.WARNING,
    )


def front_matter_entry(
    name: str, shown: str, front: str, framework: Framework, case_ids: Collection[str]
) -> tuple[Entry | None, list[Diagnostic]]:
    """A document described by its own front matter: the keys of a manifest entry but ``file``;
    ``id`` defaults to the file name without its suffix. Diagnostics stand at the file's lines."""
    doc, problems = parse_text(shown, "\n" + front)  # line 1 is the opening '---'
    if doc is None:
        return None, [d for d in problems if d.rule != "empty-file"]
    if not isinstance(doc.data, dict):
        return None, [doc.diagnostic((), "wrong-type", "a front matter is a mapping", None)]
    checker = _Checker(doc, framework, case_ids)
    if "file" in doc.data:
        checker.problem(
            ("file",),
            "unknown-key",
            "unknown key 'file'",
            "a front matter describes its own file",
            key=True,
        )
    raw = {key: value for key, value in doc.data.items() if key != "file"}
    raw.setdefault("id", Path(name).stem)
    entry = checker.entry((), {**raw, "file": name})
    return entry, [*problems, *checker.problems]
