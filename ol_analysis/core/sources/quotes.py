"""Checking the evidence quotes of case files against their source documents.

:func:`load_sources` reads ``sources/`` (the manifest and every document's text);
:class:`QuoteChecker` is then given each valid case in turn and finds every quote whose
evidence item names a document (``doc:``), recording a :class:`LocatedQuote` or reporting a
diagnostic at the quote. When the documents are not there at all (no ``sources/`` folder, or
none of its files: transcripts kept out of the repository), nothing can be verified, and the
run gets one warning, ``quotes-not-verified``, not one per quote.
"""

from __future__ import annotations

import itertools
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from ol_analysis.core.casemodel import Record
from ol_analysis.core.framework import Framework
from ol_analysis.core.sources.manifest import (
    Entry,
    front_matter_entry,
    read_manifest,
    unlisted_file,
)
from ol_analysis.core.sources.match import Normalised, closest_passage, find_quote, normalise
from ol_analysis.core.sources.model import SOURCE_SUFFIXES, LocatedQuote, Source
from ol_analysis.core.sources.text import SourceReadError, read_source_text, split_front_matter
from ol_analysis.core.values import as_list
from ol_analysis.core.yamlsource import Loc, SourceDocument
from ol_analysis.diagnostics import Diagnostic, Severity, did_you_mean

SOURCES_FOLDER = "sources"
_SHOWN_PASSAGE = 70


@dataclass
class Sources:
    """A study's source documents (manifest order) and the quotes located in them.

    ``found`` is false when the folder is absent or none of its documents is there; the quotes
    were then not verified.
    """

    folder: Path
    shown: str
    documents: dict[str, Source] = field(default_factory=dict)
    quotes: list[LocatedQuote] = field(default_factory=list)
    found: bool = False

    def quotes_in(self, doc_id: str) -> list[LocatedQuote]:
        """The located quotes of one document, in text order."""
        return sorted(
            (q for q in self.quotes if q.doc == doc_id), key=lambda q: (q.start, q.end, q.case_id)
        )

    def locate(self, case_id: str, doc_id: str | None, quote: str) -> LocatedQuote | None:
        """The located quote of a case's evidence item (by its document and words), or None."""
        for located in self.quotes:
            if located.case_id == case_id and located.doc == doc_id and located.quote == quote:
                return located
        return None

    def passage(self, located: LocatedQuote) -> str:
        """The document's text at a located quote."""
        return (self.documents[located.doc].text or "")[located.start : located.end]


def load_sources(
    folder: Path, framework: Framework, case_ids: Collection[str], shown: str | None = None
) -> tuple[Sources, list[Diagnostic]]:
    """Read ``folder`` (a study's ``sources/``): the manifest, each document's metadata (from
    the manifest, else from the document's front matter) and each document's text."""
    shown = shown if shown is not None else str(folder)
    sources = Sources(folder, shown)
    if not folder.is_dir():
        return sources, []
    manifest = read_manifest(folder, shown, framework, case_ids)
    problems = list(manifest.diagnostics)
    texts: dict[str, tuple[str | None, int]] = {}
    entries = list(manifest.entries)
    listed = {e.file for e in entries}
    for path in sorted(folder.iterdir()):
        if not path.is_file() or path.suffix.lower() not in SOURCE_SUFFIXES:
            continue
        if path.name in listed:
            continue
        file = f"{shown}/{path.name}"
        text, first_line, front = _read(path, file, problems)
        texts[path.name] = (text, first_line)
        if front is not None:
            entry, more = front_matter_entry(path.name, file, front, framework, case_ids)
            problems += more
            if entry is not None:
                entries.append(entry)
        elif manifest.document is None:
            entries.append(Entry(path.stem, path.name))
        elif manifest.usable:
            problems.append(unlisted_file(shown, path.name))
    present = [e for e in entries if (folder / e.file).is_file()]
    for entry in entries:
        path = folder / entry.file
        if entry.id in sources.documents:
            problems.append(
                Diagnostic(
                    f"{shown}/{entry.file}",
                    1,
                    1,
                    "duplicate-source",
                    f"document id '{entry.id}' is also used by {sources.documents[entry.id].file}",
                    "give each document its own id",
                )
            )
            continue
        text, first_line = None, 1
        if entry.file in texts:
            text, first_line = texts[entry.file]
        elif path.is_file():
            try:
                text, _front, first_line = _strip(path, read_source_text(path))
            except SourceReadError as error:
                problems.append(
                    _at_entry(manifest.document, entry, shown, "unreadable", str(error))
                )
        elif present:
            problems.append(
                _at_entry(
                    manifest.document,
                    entry,
                    shown,
                    "missing-source",
                    f"{shown}/{entry.file} not found",
                    "restore the file, or remove its entry when the document is gone",
                )
            )
        sources.documents[entry.id] = Source(
            entry.id,
            path,
            f"{shown}/{entry.file}",
            entry.kind,
            entry.date,
            entry.speakers,
            entry.cases,
            entry.title,
            text,
            first_line,
        )
    sources.found = any(s.present for s in sources.documents.values())
    return sources, problems


def _strip(path: Path, text: str) -> tuple[str, str | None, int]:
    """A text or Markdown file's text without its front matter, the front matter, and the line
    the text starts on (a Word document has none)."""
    if path.suffix.lower() == ".docx":
        return text, None, 1
    front, body, first_line = split_front_matter(text)
    return body, front, first_line


def _read(path: Path, file: str, problems: list[Diagnostic]) -> tuple[str | None, int, str | None]:
    try:
        text, front, first_line = _strip(path, read_source_text(path))
    except SourceReadError as error:
        problems.append(Diagnostic(file, 1, 1, "unreadable", str(error)))
        return None, 1, None
    return text, first_line, front


def _at_entry(
    doc: SourceDocument | None,
    entry: Entry,
    shown: str,
    rule: str,
    message: str,
    hint: str | None = None,
) -> Diagnostic:
    if doc is None:
        return Diagnostic(f"{shown}/{entry.file}", 1, 1, rule, message, hint)
    return doc.diagnostic((*entry.loc, "file"), rule, message, hint)


def evidence_items(
    framework: Framework, model: BaseModel | Record
) -> Iterator[tuple[Loc, Any, tuple[str, ...]]]:
    """Every evidence item of a case model: its path in the file, the item, and the code paths
    of the coding it supports (the parts of a case, or of ``study.yaml``'s findings)."""
    for part, group in itertools.chain(framework.groups(), framework.study_groups()):
        value = getattr(getattr(model, part.id, None), group.id, None)
        if value is None:
            continue
        listed = isinstance(value, list)
        for index, item in enumerate(as_list(value)):
            base: Loc = (part.id, group.id, index) if listed else (part.id, group.id)
            codes = _codes(group, item)
            for number, evidence in enumerate(getattr(item, "evidence", None) or ()):
                yield (*base, "evidence", number), evidence, codes


def _codes(group: Any, item: Any) -> tuple[str, ...]:
    if group.is_coded:
        return (f"{group.path}.{item.code}",)
    if group.kind != "records":
        return (group.path,)
    found = []
    for record_field in group.fields:
        value = getattr(item, record_field.id, None)
        if record_field.is_coded and value is not None:
            found += [f"{record_field.path}.{code}" for code in as_list(value)]
    return tuple(found) or (group.path,)


class QuoteChecker:
    """Verifies the quotes of one case after another; :meth:`finish` adds the run's warning."""

    def __init__(self, framework: Framework, sources: Sources) -> None:
        self.framework = framework
        self.sources = sources
        self._normalised: dict[str, Normalised] = {}
        self._unverified = 0
        self._first_unverified: Diagnostic | None = None

    def check_case(
        self, case_id: str, model: BaseModel | Record, doc: SourceDocument
    ) -> list[Diagnostic]:
        """Check every quote of a valid case that names its document."""
        problems: list[Diagnostic] = []
        for loc, evidence, codes in evidence_items(self.framework, model):
            doc_id = getattr(evidence, "doc", None)
            if doc_id is None:
                continue
            if not self.sources.found:
                if getattr(evidence, "quote", None) is None:
                    continue
                self._unverified += 1
                if self._first_unverified is None:
                    self._first_unverified = doc.diagnostic((*loc, "doc"), "", "")
                continue
            source = self.sources.documents.get(doc_id)
            if source is None:
                problems.append(self._unknown_doc(doc, loc, doc_id))
                continue
            if case_id not in source.cases and source.cases:
                problems.append(
                    _warning(
                        doc,
                        (*loc, "doc"),
                        "doc-case-mismatch",
                        f"document '{doc_id}' belongs to {', '.join(source.cases)}, "
                        f"not to {case_id}",
                        f"add {case_id} to its cases in sources.yaml, or name another document",
                    )
                )
            quote = getattr(evidence, "quote", None)
            if quote is None or source.text is None:
                continue  # a note names its document but has nothing to find; a missing file
            problems += self._find(case_id, doc, loc, evidence, codes, source, quote)
        return problems

    def _unknown_doc(self, doc: SourceDocument, loc: Loc, doc_id: str) -> Diagnostic:
        known = list(self.sources.documents)
        hint = did_you_mean(doc_id, known) or (
            f"the documents of sources.yaml: {', '.join(known)}" if known else None
        )
        return doc.diagnostic(
            (*loc, "doc"),
            "unknown-doc",
            f"'{doc_id}' is not a document of {self.sources.shown}",
            hint,
        )

    def _find(
        self,
        case_id: str,
        doc: SourceDocument,
        loc: Loc,
        evidence: Any,
        codes: tuple[str, ...],
        source: Source,
        quote: str,
    ) -> list[Diagnostic]:
        text = self._normalised.get(source.id)
        if text is None:
            text = self._normalised[source.id] = normalise(source.text or "")
        match = find_quote(quote, text)
        if match is None:
            return [self._not_found(doc, loc, source, quote, text)]
        line, column = source.position(match.start)
        location = ".".join(str(step) for step in loc)
        self.sources.quotes.append(
            LocatedQuote(
                source.id,
                match.start,
                match.end,
                line,
                column,
                case_id,
                location,
                quote,
                codes,
                getattr(evidence, "speaker", None),
                match.occurrences > 1,
            )
        )
        if match.occurrences == 1:
            return []
        return [
            _warning(
                doc,
                (*loc, "quote"),
                "ambiguous-quote",
                f"the quote occurs {match.occurrences} times in {source.file} "
                f"(first at line {source.file_line(match.start)})",
                "quote a few more words, so that it names one place",
            )
        ]

    def _not_found(
        self, doc: SourceDocument, loc: Loc, source: Source, quote: str, text: Normalised
    ) -> Diagnostic:
        closest = closest_passage(quote, text)
        hint = None
        if closest is not None:
            line = source.file_line(closest.start)
            passage = " ".join((source.text or "")[closest.start : closest.end].split())
            if len(passage) > _SHOWN_PASSAGE:
                passage = passage[: _SHOWN_PASSAGE - 1] + "…"
            hint = f'closest passage, line {line} of {source.file}: "{passage}"'
        return doc.diagnostic(
            (*loc, "quote"), "quote-not-found", f"the quote is not in {source.file}", hint
        )

    def finish(self) -> list[Diagnostic]:
        """The run's one warning when quotes name documents that are not there."""
        first = self._first_unverified
        if first is None:
            return []
        folder = self.sources.shown
        why = (
            f"{folder}/ holds none of its documents"
            if self.sources.folder.is_dir()
            else f"there is no {folder}/ folder"
        )
        noun = "quote names a document" if self._unverified == 1 else "quotes name a document"
        return [
            Diagnostic(
                first.path,
                first.line,
                first.column,
                "quotes-not-verified",
                f"quotes not verified: {self._unverified} {noun}, but {why}",
                "put the transcripts in the sources folder to check every quote",
                Severity.WARNING,
                first.location,
            )
        ]


def _warning(doc: SourceDocument, loc: Loc, rule: str, message: str, hint: str) -> Diagnostic:
    return replace(doc.diagnostic(loc, rule, message, hint), severity=Severity.WARNING)
