"""Source pages of the HTML site (``build --include-sources``) and the links to them.

Each present document gets ``html/sources/<id>.html``: its text with every coded segment (a
located quote) highlighted, an anchor at each segment's start, and a list of the segments with
their case, codes and the segments they overlap; ``html/sources/index.html`` lists the
documents and, per code, its segments. Quotes on chapter and case pages link to their anchor
(:class:`SourceLinks`). Without ``--include-sources`` nothing here runs, and no text of a
document reaches ``build/`` beyond the quotes the case files hold.
"""

from __future__ import annotations

import html
import itertools
from collections.abc import Iterator
from dataclasses import dataclass

from markupsafe import Markup

from ol_analysis.core.sources import LocatedQuote, Source, Sources
from ol_analysis.core.study import Study

PAGES = "sources"


@dataclass(frozen=True)
class Segment:
    """A located quote as a page shows it, with the segments it overlaps."""

    quote: LocatedQuote
    text: str
    overlaps: tuple[LocatedQuote, ...]

    @property
    def anchor(self) -> str:
        return self.quote.anchor


@dataclass(frozen=True)
class CaseQuote:
    """An evidence quote of a case page: its words, speaker, codes and link (or None)."""

    text: str
    speaker: str | None
    codes: tuple[str, ...]
    href: str | None


class SourceLinks:
    """Where each located quote is on its document's page, for links from other pages.

    ``root`` is the path from a page to the ``html/`` folder (``""`` or ``"../"``).
    """

    def __init__(self, sources: Sources) -> None:
        self.sources = sources
        self._by_quote: dict[tuple[str, str], LocatedQuote] = {}
        for quote in sources.quotes:
            self._by_quote.setdefault((quote.case_id, quote.quote), quote)

    def href(self, case_id: str, quote: str, root: str = "") -> str | None:
        located = self._by_quote.get((case_id, quote))
        if located is None or not self.sources.documents[located.doc].present:
            return None
        return f"{root}{PAGES}/{located.doc}.html#{located.anchor}"

    def case_quotes(self, study: Study, case_id: str, root: str) -> list[CaseQuote]:
        """Every evidence quote of a case, in file order, each with its link."""
        from ol_analysis.core.sources import evidence_items

        case = study.cases[case_id]
        found = []
        for _loc, evidence, codes in evidence_items(study.framework, case.model):
            text = getattr(evidence, "quote", None)
            if text:
                speaker = getattr(evidence, "speaker", None)
                found.append(CaseQuote(text, speaker, codes, self.href(case_id, text, root)))
        return found


def segments(sources: Sources, source: Source) -> list[Segment]:
    """The document's located quotes in text order, each with the ones it overlaps."""
    quotes = sources.quotes_in(source.id)
    return [
        Segment(
            q,
            (source.text or "")[q.start : q.end],
            tuple(o for o in quotes if o is not q and o.start < q.end and q.start < o.end),
        )
        for q in quotes
    ]


def highlighted(source: Source, found: list[Segment]) -> Markup:
    """The document's text as HTML: each stretch inside one or more segments is a ``<mark>``
    naming them, and an empty anchor element stands where each segment starts."""
    text = source.text or ""
    cuts = sorted({0, len(text), *(s.quote.start for s in found), *(s.quote.end for s in found)})
    parts: list[str] = []
    for start, end in itertools.pairwise(cuts):
        for segment in found:
            if segment.quote.start == start:
                parts.append(f'<span class="anchor" id="{segment.anchor}"></span>')
        inside = [s for s in found if s.quote.start <= start and end <= s.quote.end]
        piece = html.escape(text[start:end])
        if not inside:
            parts.append(piece)
            continue
        names = " ".join(s.anchor for s in inside)
        depth = min(len(inside), 3)
        parts.append(
            f'<mark class="segment depth-{depth}" data-segments="{names}">'
            f'<a href="#seg-{inside[-1].anchor}">{piece}</a></mark>'
        )
    return Markup("".join(parts))


def source_pages(sources: Sources) -> Iterator[tuple[str, dict[str, object]]]:
    """(page name, template context) for each present document's page."""
    for source in sources.documents.values():
        if source.present:
            found = segments(sources, source)
            yield (
                f"{PAGES}/{source.id}.html",
                {
                    "source": source,
                    "segments": found,
                    "segment_count": len(found),
                    "text": highlighted(source, found),
                },
            )


def document_index(sources: Sources) -> list[tuple[Source, int]]:
    """The present documents, each with its number of coded segments."""
    return [
        (source, len(sources.quotes_in(source.id)))
        for source in sources.documents.values()
        if source.present
    ]


def code_index(sources: Sources) -> list[tuple[str, list[LocatedQuote]]]:
    """Per code path, its segments across the present documents, codes in order first met."""
    by_code: dict[str, list[LocatedQuote]] = {}
    for source in sources.documents.values():
        if source.present:
            for quote in sources.quotes_in(source.id):
                for code in quote.codes:
                    by_code.setdefault(code, []).append(quote)
    return list(by_code.items())


def code_anchor(code: str) -> str:
    return "code-" + code.replace(".", "-")
