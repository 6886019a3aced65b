"""Positions of text selections, and the ways tools count them.

QDA-XML counts a ``PlainTextSelection``'s ``startPosition``/``endPosition`` in Unicode code
points from 0, end exclusive, in the source's plain text. Not every tool does: some count
UTF-16 code units (a character outside the Basic Multilingual Plane, such as most emoji, is two),
and some count a line end as two characters (CR LF) even in a text stored with LF. An import
reads the text with every model (:data:`MODELS`) and keeps the one under which the selections
whose text is known (the tool stored it as the selection's name, or the study quotes it) match
that text; with nothing to compare, the standard's model.

Texts are compared as the study's quotes are: whitespace runs as one space, ends trimmed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class OffsetModel:
    name: str
    utf16: bool  # count UTF-16 code units (a character beyond U+FFFF is two)
    crlf: bool  # count every line end as two characters (CR LF)

    def index(self, text: str) -> dict[int, int]:
        """Offset in this model → code-point offset in ``text`` (LF line ends)."""
        table = {0: 0}
        offset = 0
        for position, char in enumerate(text):
            offset += 2 if self.utf16 and ord(char) > 0xFFFF else 1
            if self.crlf and char == "\n":
                offset += 1
            table[offset] = position + 1
        return table


STANDARD = OffsetModel("Unicode code points (the standard)", utf16=False, crlf=False)
MODELS = (
    STANDARD,
    OffsetModel("UTF-16 code units", utf16=True, crlf=False),
    OffsetModel("code points, line ends as two (CR LF)", utf16=False, crlf=True),
    OffsetModel("UTF-16 code units, line ends as two (CR LF)", utf16=True, crlf=True),
)


def plain_text(raw: bytes) -> str:
    """A source's text as the standard stores it: UTF-8 without a BOM, LF line ends."""
    text = raw.decode("utf-8-sig", errors="replace")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def same_text(a: str, b: str) -> bool:
    return " ".join(a.split()) == " ".join(b.split())


@dataclass(frozen=True)
class Span:
    """A selection placed in the text: code points, end exclusive (None: it does not fit)."""

    start: int | None
    end: int | None
    text: str | None


def place(text: str, start: int, end: int, table: dict[int, int]) -> Span:
    """The span of ``start``–``end`` (offsets of one model, ``table`` from its index)."""
    begin, finish = table.get(start), table.get(end)
    if begin is None or finish is None or finish < begin:
        return Span(None, None, None)
    return Span(begin, finish, text[begin:finish])


def choose_model(
    text: str, selections: Sequence[tuple[int, int, str | None]]
) -> tuple[OffsetModel, list[Span]]:
    """The model under which most selections with a known text match it, and every span.

    ``selections`` are ``(start, end, known text or None)``. Ties go to the earlier model of
    :data:`MODELS`, so the standard wins when nothing tells the models apart."""
    best: tuple[int, OffsetModel, list[Span]] | None = None
    for model in MODELS:
        table = model.index(text)
        spans = [place(text, start, end, table) for start, end, _known in selections]
        score = sum(
            1
            for span, (_s, _e, known) in zip(spans, selections, strict=True)
            if known is not None and span.text is not None and same_text(span.text, known)
        )
        if best is None or score > best[0]:
            best = (score, model, spans)
    assert best is not None
    return best[1], best[2]


def mismatches(
    spans: Iterable[Span], selections: Sequence[tuple[int, int, str | None]]
) -> list[int]:
    """Indexes of the selections that do not fit the text, or whose known text differs."""
    found = []
    for index, (span, (_s, _e, known)) in enumerate(zip(spans, selections, strict=True)):
        if span.text is None or (known is not None and not same_text(span.text, known)):
            found.append(index)
    return found
