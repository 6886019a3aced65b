"""The values of the sources layer: a source document and a quote located in it.

Positions are those of the REFI-QDA standard: Unicode code points into the document's text,
normalised to UTF-8 with LF line ends and no byte-order mark, the end exclusive. ``line`` and
``column`` are 1-based and count code points too, so ``text[start:end]`` is the quoted passage
whatever tool reads it, as long as it reads the same normalised text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

SOURCE_SUFFIXES = (".txt", ".md", ".docx")


@dataclass(frozen=True)
class Source:
    """One source document of a study: its id and metadata from ``sources/sources.yaml``.

    ``text`` is the document's text (UTF-8, LF line ends, no BOM; a DOCX's paragraphs one per
    line; a front matter block left out), or None when the file is not there (a git-ignored
    transcript). Offsets, lines and columns count from the start of ``text``.
    """

    id: str
    path: Path
    file: str
    """The path as shown in messages (``sources/c01-intake.txt``)."""
    kind: str | None = None
    date: str | None = None
    speakers: tuple[str, ...] = ()
    cases: tuple[str, ...] = ()
    title: str | None = None
    text: str | None = field(default=None, repr=False, compare=False)
    first_line: int = 1
    """The file's line where ``text`` starts (after a front matter block)."""

    @property
    def present(self) -> bool:
        return self.text is not None

    def position(self, offset: int) -> tuple[int, int]:
        """The 1-based line and column (in code points) of a code-point offset of ``text``."""
        text = self.text or ""
        line = text.count("\n", 0, offset) + 1
        column = offset - (text.rfind("\n", 0, offset) + 1) + 1
        return line, column

    def file_line(self, offset: int) -> int:
        """The line of the file (front matter included) of a code-point offset of ``text``."""
        return self.position(offset)[0] + self.first_line - 1


@dataclass(frozen=True)
class LocatedQuote:
    """An evidence quote of a case file, found in its source document.

    ``start``/``end`` are code-point offsets into :attr:`Source.text` (end exclusive); ``line``
    and ``column`` are where ``start`` is. ``location`` is the evidence item's dotted path in the
    case file (``support.guidance.0.evidence.1``), ``codes`` the code paths of the item the
    evidence belongs to. ``ambiguous`` is true when the quote occurs more than once (the first
    place is kept).
    """

    doc: str
    start: int
    end: int
    line: int
    column: int
    case_id: str
    location: str
    quote: str
    codes: tuple[str, ...] = ()
    speaker: str | None = None
    ambiguous: bool = False

    @property
    def anchor(self) -> str:
        """The id of this quote's place on the document's HTML page."""
        return f"q-{self.case_id}-{self.location.replace('.', '-')}"
