"""Analytic memos on the HTML pages of what they are attached to (docs/memos.md).

A case page shows the memos attached to its case (and to quotes of it); the index page the
memos attached to the study, a part or a code, each under the label of its target; a source
page (``build --include-sources``) the memos attached to a quote located in that document.
A memo's Markdown is rendered by the build's converter (raw HTML disabled), passed in as
``to_html`` so that this module does not depend on the renderer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from markupsafe import Markup

from ol_analysis.core.framework import Framework
from ol_analysis.core.memos import Memo, Memos, MemoTarget, squash
from ol_analysis.core.sources import Sources

ToHtml = Callable[[str], Markup]


@dataclass(frozen=True)
class MemoView:
    """A memo as a page shows it: its front matter, what it is attached to, its text as HTML."""

    id: str
    title: str
    author: str | None
    date: str | None
    targets: tuple[str, ...]
    html: Markup

    @property
    def anchor(self) -> str:
        return f"memo-{self.id}"


def target_label(target: MemoTarget, framework: Framework, lang: str) -> str:
    """A target in words: the part's or code's label with its path, the case id, the quote."""
    if target.kind == "study":
        return "studie" if lang == "nl" else "study"
    if target.kind == "quote":
        return f"“{target.text}” ({target.case or target.doc})"
    if target.kind == "part":
        part = framework.part(target.value) or framework.study_part(target.value)
        return f"{part.label.get(lang)} ({target.value})" if part is not None else target.value
    if target.kind == "code":
        code = framework.code(target.value)
        group = framework.group(target.value) or framework.study_group(target.value)
        named = code or group
        return f"{named.label.get(lang)} ({target.value})" if named is not None else target.value
    return target.value


def memo_view(memo: Memo, framework: Framework, lang: str, to_html: ToHtml) -> MemoView:
    return MemoView(
        memo.id,
        memo.title,
        memo.author,
        memo.date,
        tuple(target_label(t, framework, lang) for t in memo.targets),
        to_html(memo.text),
    )


def _views(
    memos: Iterable[Memo], framework: Framework, lang: str, to_html: ToHtml
) -> list[MemoView]:
    return [memo_view(m, framework, lang, to_html) for m in memos]


def case_memos(
    memos: Memos, case_id: str, framework: Framework, lang: str, to_html: ToHtml
) -> list[MemoView]:
    """The memos of a case page: attached to the case, or to a quote of the case."""
    keys = (f"case:{case_id}", f"quote:{case_id}")
    chosen = [m for m in memos if any(m.attached_to(key) for key in keys)]
    return _views(chosen, framework, lang, to_html)


def index_memos(memos: Memos, framework: Framework, lang: str, to_html: ToHtml) -> list[MemoView]:
    """The memos of the index page: attached to the study, a part or a code."""
    chosen = [m for m in memos if any(t.kind in ("study", "part", "code") for t in m.targets)]
    return _views(chosen, framework, lang, to_html)


def source_memos(
    memos: Memos,
    sources: Sources,
    doc_id: str,
    framework: Framework,
    lang: str,
    to_html: ToHtml,
) -> list[MemoView]:
    """The memos of a source page: attached to a quote of this document, named by the
    document or by a case whose quote is located in it."""
    located = [(q.case_id, squash(q.quote)) for q in sources.quotes_in(doc_id)]

    def here(target: MemoTarget) -> bool:
        if target.kind != "quote":
            return False
        if target.doc is not None:
            return target.doc == doc_id
        words = squash(target.text or "")
        return any(case == target.case and words in quote for case, quote in located)

    chosen = [m for m in memos if any(here(t) for t in m.targets)]
    return _views(chosen, framework, lang, to_html)
