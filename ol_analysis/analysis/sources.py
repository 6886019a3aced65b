"""Coverage of a study's source documents: per document, the coded passages (its located
quotes), their codes and cases, and the share of the text they cover (``ol-analysis sources``).

Pure: it reads the :class:`~ol_analysis.core.sources.Sources` that loading the study found.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ol_analysis.core.sources import LocatedQuote, Source, Sources
from ol_analysis.core.study import Study


@dataclass(frozen=True)
class DocumentCoverage:
    """One document: its located quotes in text order and how much of its text they cover."""

    source: Source
    passages: tuple[LocatedQuote, ...]
    coded_characters: int

    @property
    def characters(self) -> int | None:
        return len(self.source.text) if self.source.text is not None else None

    @property
    def share(self) -> float | None:
        """The share of the text inside at least one coded passage (None without the text)."""
        if not self.characters:
            return None if self.characters is None else 0.0
        return self.coded_characters / self.characters

    @property
    def codes(self) -> tuple[str, ...]:
        """The distinct code paths of its passages, in the order first met."""
        return tuple(dict.fromkeys(code for q in self.passages for code in q.codes))

    @property
    def coded(self) -> bool:
        return bool(self.passages)


@dataclass(frozen=True)
class Coverage:
    """Every document of the study; ``verified`` is false when the texts were not there."""

    documents: tuple[DocumentCoverage, ...]
    verified: bool
    folder: str

    @property
    def uncoded(self) -> tuple[str, ...]:
        return tuple(d.source.id for d in self.documents if not d.coded)

    def as_json(self, sources: Sources | None = None) -> dict[str, Any]:
        """The ``sources --format json`` object; with ``sources``, each passage's text."""
        return {
            "verified": self.verified,
            "documents": [_document_json(d, sources) for d in self.documents],
            "uncoded": list(self.uncoded),
        }


def _covered(passages: tuple[LocatedQuote, ...]) -> int:
    """Characters inside the union of the passages (overlaps counted once)."""
    total, reach = 0, 0
    for quote in sorted(passages, key=lambda q: q.start):
        start = max(quote.start, reach)
        if quote.end > start:
            total += quote.end - start
            reach = quote.end
    return total


def coverage(study: Study) -> Coverage:
    """The coverage of each document of ``study.sources``, in manifest order."""
    sources = study.sources
    if sources is None:
        return Coverage((), False, "sources")
    documents = []
    for doc_id, source in sources.documents.items():
        passages = tuple(sources.quotes_in(doc_id))
        documents.append(DocumentCoverage(source, passages, _covered(passages)))
    return Coverage(tuple(documents), sources.found, sources.shown)


def _document_json(document: DocumentCoverage, sources: Sources | None) -> dict[str, Any]:
    source = document.source
    return {
        "id": source.id,
        "file": source.file,
        "title": source.title,
        "kind": source.kind,
        "date": source.date,
        "cases": list(source.cases),
        "speakers": list(source.speakers),
        "present": source.present,
        "characters": document.characters,
        "coded_characters": document.coded_characters,
        "share": None if document.share is None else round(document.share, 4),
        "codes": list(document.codes),
        "passages": [
            {
                "case": q.case_id,
                "location": q.location,
                "start": q.start,
                "end": q.end,
                "line": q.line,
                "column": q.column,
                "codes": list(q.codes),
                "speaker": q.speaker,
                "ambiguous": q.ambiguous,
                **({"text": sources.passage(q)} if sources is not None else {}),
            }
            for q in document.passages
        ],
    }
