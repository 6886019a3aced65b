"""Finding a quote in a document's text, forgiving what typing and typesetting change.

Both the quote and the document are normalised before they are compared, keeping a map from
each normalised character back to its code-point offset in the original text:

- runs of whitespace (line ends, tabs, non-breaking spaces) are one space;
- curly and angled quote marks (“ ” ‘ ’ „ ‚ « » ‹ ›) are straight ones;
- dashes (‐ ‑ ‒ – — ―, minus) are a hyphen, and a hyphen between two letters or digits is
  dropped, so that ``VNN-medewerker`` matches ``VNN-`` at a line end followed by
  ``medewerker``; a hyphen at a line end (hyphenation) joins the word, and so does a hyphen
  followed by a space and a lower-case letter (what a line-end hyphen becomes in a quote copied
  from a PDF: ``face- to-face``); soft hyphens vanish;
- an ellipsis in the quote (``…``, ``...``, ``[…]``, ``(...)``) stands for omitted text: the
  pieces must occur in order, each within :data:`MAX_GAP` characters of the one before.

Case and every other character must be as in the document. The closest passage of a quote
that is not found comes from rapidfuzz's partial-ratio alignment.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_GAP = 2000
"""How much text (normalised characters) an ellipsis may stand for."""

_DOUBLE_QUOTES = frozenset('"“”„‟«»〝〞')
_SINGLE_QUOTES = frozenset("'‘’‚‛‹›`´")
_DASHES = frozenset("-‐‑‒–—―−")
_SOFT_HYPHEN = "\u00ad"
_ELLIPSIS = re.compile(r"\s*(?:[\[(]\s*(?:…|\.\.\.)\s*[\])]|…|\.\.\.)\s*")


@dataclass(frozen=True)
class Normalised:
    """A normalised text and, per character, the code-point offset it came from."""

    text: str
    offsets: tuple[int, ...]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original offsets (end exclusive) of the normalised span ``[start, end)``."""
        return self.offsets[start], self.offsets[end - 1] + 1


def _word(char: str) -> bool:
    return char.isalnum()


def normalise(text: str) -> Normalised:
    """The text as the matcher compares it, with the map back to ``text``."""
    out: list[str] = []
    offsets: list[int] = []
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char == _SOFT_HYPHEN:
            i += 1
            continue
        if char.isspace():
            j = i
            while j < n and (text[j].isspace() or text[j] == _SOFT_HYPHEN):
                j += 1
            if out and out[-1] != " ":
                out.append(" ")
                offsets.append(i)
            i = j
            continue
        if char in _DASHES:
            previous = out[-1] if out else ""
            j = i + 1
            while j < n and text[j] in " \t":
                j += 1
            broken = j < n and text[j] == "\n"
            while j < n and text[j].isspace():
                j += 1
            following = text[j] if j < n else ""
            if (
                _word(previous)
                and _word(following)
                and (broken or j == i + 1 or following.islower())
            ):
                # hyphenation at a line end (or its trace in a quote taken from a PDF,
                # "face- to-face"), or a hyphen inside a compound word
                i = j
                continue
            out.append("-")
        elif char in _DOUBLE_QUOTES:
            out.append('"')
        elif char in _SINGLE_QUOTES:
            out.append("'")
        else:
            out.append(char)
        offsets.append(i)
        i += 1
    if out and out[-1] == " ":
        out.pop()
        offsets.pop()
    return Normalised("".join(out), tuple(offsets))


def quote_pieces(quote: str) -> list[str]:
    """The normalised pieces of a quote between its ellipses (empty pieces left out)."""
    return [p for p in (normalise(part).text.strip() for part in _ELLIPSIS.split(quote)) if p]


@dataclass(frozen=True)
class Match:
    """Where a quote is: original offsets, end exclusive, and how many places it fits."""

    start: int
    end: int
    occurrences: int


def find_quote(quote: str, document: Normalised) -> Match | None:
    """The first place ``quote`` fits in the document, or None; ``occurrences`` counts every
    place the whole quote fits (more than one: the quote is ambiguous)."""
    pieces = quote_pieces(quote)
    if not pieces:
        return None
    haystack = document.text
    found: list[tuple[int, int]] = []
    at = haystack.find(pieces[0])
    while at != -1:
        end = _rest(pieces[1:], haystack, at + len(pieces[0]))
        if end is not None:
            found.append((at, end))
        at = haystack.find(pieces[0], at + 1)
    if not found:
        return None
    start, end = document.span(*found[0])
    return Match(start, end, len(found))


def _rest(pieces: list[str], haystack: str, after: int) -> int | None:
    end = after
    for piece in pieces:
        at = haystack.find(piece, end, end + MAX_GAP + len(piece))
        if at == -1:
            return None
        end = at + len(piece)
    return end


@dataclass(frozen=True)
class Closest:
    """The passage most like a quote that was not found: original offsets and a 0–100 score."""

    start: int
    end: int
    score: float


def closest_passage(quote: str, document: Normalised) -> Closest | None:
    """The passage of the document most like the quote (its longest piece, for an ellipsis)."""
    pieces = quote_pieces(quote)
    if not pieces or not document.text:
        return None
    from rapidfuzz import fuzz  # only when a quote is not found: validate starts without it

    needle = max(pieces, key=len)
    found = fuzz.partial_ratio_alignment(needle, document.text)
    if found is None:
        return None
    first, last = found.dest_start, found.dest_end
    while first < last and document.text[first] == " ":
        first += 1
    while last > first and document.text[last - 1] == " ":
        last -= 1
    if last <= first:
        return None
    while first > 0 and document.text[first - 1] != " ":
        first -= 1  # whole words: the alignment may cut one
    while last < len(document.text) and document.text[last] != " ":
        last += 1
    start, end = document.span(first, last)
    return Closest(start, end, found.score)
