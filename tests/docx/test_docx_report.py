"""The DOCX a build writes for the shipped study: its chapters as Word headings, tables whose
counts equal ``stats --json``, figures inline; re-opened with python-docx, and opened in
LibreOffice to check that no word of a table is broken across lines."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pytest

import ol_analysis

REPO = Path(__file__).parents[2]


@pytest.fixture(scope="module")
def build(shipped_build: Path) -> Path:
    return shipped_build


@pytest.fixture(scope="module")
def document(build: Path) -> docx.document.Document:
    return docx.Document(str(build / "docx" / "report.docx"))


def _key(text: str) -> str:
    return text.strip().casefold()


def _table_with(document: docx.document.Document, header: str) -> list[list[str]]:
    for table in document.tables:
        rows = [[cell.text for cell in row.cells] for row in table.rows]
        if header in rows[0]:
            return rows
    raise AssertionError(f"no table with a column {header!r}")


def test_every_chapter_is_a_heading_1_in_report_order(
    build: Path, document: docx.document.Document
) -> None:
    level_1 = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    chapters = [re.search(r"^# (.+)$", md, re.M)[1] for md in _markdown(build)]  # type: ignore[index]
    assert level_1 == chapters
    assert level_1[:5] == [
        h for h in level_1 if h.startswith(("3.1 ", "3.2 ", "3.3 ", "4 ", "Bijlage I "))
    ]
    assert document.paragraphs[0].style.name == "Title"
    assert sum(p.style.name == "Heading 2" for p in document.paragraphs) >= 10


def test_each_case_has_its_own_heading(document: docx.document.Document) -> None:
    study = ol_analysis.load_study(REPO)
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    for case in study:
        assert any(case.title in h and case.id in h for h in headings), case.id


def test_bijlage_i_table_counts_equal_stats(build: Path, document: docx.document.Document) -> None:
    stats = ol_analysis.stats(ol_analysis.load_study(REPO))["counts"]
    framework = ol_analysis.load_framework(REPO / "framework.yaml")
    partner = framework.group("network.partners").field("partner")
    expected = {_key(c.label.nl): stats[c.path]["n"] for c in partner.codes}
    rows = _table_with(document, "Netwerkpartner")
    column = next(i for i, header in enumerate(rows[0]) if header.startswith("Totaal"))
    shown = {_key(row[1]): int(row[column]) for row in rows[1:]}
    assert shown == {label: n for label, n in expected.items() if label in shown}
    assert len(shown) == sum(1 for n in expected.values() if n)


def test_if_then_table_marks_equal_stats(document: docx.document.Document) -> None:
    """The if…then matrix: one row per statement, one column per case; its ✓ (supports) per
    row are the statement's count in ``stats --json``."""
    stats = ol_analysis.stats(ol_analysis.load_study(REPO))["counts"]
    framework = ol_analysis.load_framework(REPO / "framework.yaml")
    statement = framework.group("reference.if_then").field("statement")
    rows = _table_with(document, "Stelling")
    shown = {_key(row[0]): row[1:].count("✓") for row in rows[1:]}
    assert shown == {_key(c.label.nl): stats[c.path]["n"] for c in statement.codes}
    cases = [header for header in rows[0][1:] if header != "Totaal"]
    assert cases == sorted(ol_analysis.load_study(REPO).cases)


def test_the_chapter_figures_are_inline_with_captions(
    build: Path, document: docx.document.Document
) -> None:
    linked = sum(text.count("](../figures/") for text in _markdown(build))
    assert linked >= 2
    assert len(document.inline_shapes) == linked
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    assert len(captions) == linked
    assert not any(c.startswith("[") for c in captions)  # no figure fell back to its caption


def test_provenance_is_in_the_page_footer_once(document: docx.document.Document) -> None:
    assert document.sections[0].footer.paragraphs[0].text == (
        "optimaal-leven 1.0.0 · abc1234 · 2024-01-01"
    )
    assert not any("abc1234" in p.text for p in document.paragraphs)


def test_libreoffice_breaks_no_word_of_a_table(
    document: docx.document.Document, build: Path, pdf_of: Callable[[Path], list[Any]]
) -> None:
    """Open the DOCX in LibreOffice (converted to PDF) and read the PDF back word by word
    (``pdftotext -bbox-layout``).

    A word LibreOffice breaks across lines — a column narrower than "Stelling" gets
    "Ste/llin/g", or one letter per line — comes out of the PDF as fragments that are no word
    of the DOCX. So: (1) every PDF word with a letter or digit in it is a word of the DOCX's
    paragraphs, table cells or page footer, or a part of one cut after a hyphen or slash (the
    places where a line may break); (2) every word of every table cell of the DOCX (that has a
    letter or digit) is a whole word of the PDF, "Stelling" and each case id of the if…then
    matrix among them; (3) no PDF line is a single letter (unless a paragraph or cell is one).
    """
    lines = pdf_of(build / "docx" / "report.docx")
    pdf_words = [w for line in lines for w in line.words]
    paragraphs = [p.text for p in document.paragraphs]
    cells = [
        p.text
        for table in document.tables
        for row in table.rows
        for cell in row.cells
        for p in cell.paragraphs
    ]
    footer = [p.text for p in document.sections[0].footer.paragraphs]
    allowed = {piece for text in paragraphs + cells + footer for piece in _pieces(text)}
    fragments = sorted({w for w in pdf_words if _wordlike(w)} - allowed)
    assert not fragments, f"words LibreOffice broke: {fragments[:20]}"
    whole = set(pdf_words)
    table_words = {
        w for text in cells for w in unicodedata.normalize("NFKC", text).split() if _wordlike(w)
    }
    assert "Stelling" in table_words
    assert {f"c{i:02d}" for i in range(1, 12)} <= table_words
    assert sorted(table_words - whole) == []
    texts = {t.strip() for t in paragraphs + cells + footer}
    single = [line.text for line in lines if len(line.text) == 1 and line.text.isalpha()]
    assert [letter for letter in single if letter not in texts] == []


def _wordlike(word: str) -> bool:
    return any(c.isalnum() for c in word)


def _pieces(text: str) -> set[str]:
    """The words of ``text`` and every run of their parts cut after ``-``, ``–``, ``—``, ``/``
    (NFKC-normalised, as the PDF's words are: "…" reads "...")."""
    pieces = set()
    for word in unicodedata.normalize("NFKC", text).split():
        parts = re.findall(r"[^-–—/]*[-–—/]|[^-–—/]+$", word)
        for i in range(len(parts)):
            for j in range(i + 1, len(parts) + 1):
                pieces.add("".join(parts[i:j]))
    return pieces


def _markdown(build: Path) -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted((build / "md").glob("*.md"))]
