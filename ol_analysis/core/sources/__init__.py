"""Source documents of a study (``sources/``) and the evidence quotes located in them.

The public values are :class:`Source` (a document: id, path, kind, date, speakers, cases and
its text normalised to UTF-8 with LF line ends and no BOM) and :class:`LocatedQuote` (a quote's
document, code-point offsets with the end exclusive, line and column). :func:`load_sources`
reads the folder, :class:`QuoteChecker` verifies each case's quotes (``validate`` runs it
through :func:`ol_analysis.core.study.check_study`), and a loaded study keeps the result as
``Study.sources``. See ``docs/sources.md``.
"""

from ol_analysis.core.sources.match import Match, closest_passage, find_quote, normalise
from ol_analysis.core.sources.model import SOURCE_SUFFIXES, LocatedQuote, Source
from ol_analysis.core.sources.quotes import (
    SOURCES_FOLDER,
    QuoteChecker,
    Sources,
    evidence_items,
    load_sources,
)
from ol_analysis.core.sources.text import SourceReadError, read_source_text

__all__ = [
    "SOURCES_FOLDER",
    "SOURCE_SUFFIXES",
    "LocatedQuote",
    "Match",
    "QuoteChecker",
    "Source",
    "SourceReadError",
    "Sources",
    "closest_passage",
    "evidence_items",
    "find_quote",
    "load_sources",
    "normalise",
    "read_source_text",
]
