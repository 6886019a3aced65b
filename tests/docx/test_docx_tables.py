"""Word tables with a fixed layout whose column widths follow their content.

Checked in the DOCX's XML: ``w:tblLayout`` fixed, one ``w:gridCol`` per column and the same
width as ``w:tcW`` in every cell of that column, the table within the 16 cm text width, and no
column narrower than its longest word. A word's width is estimated with a fixed average
character width of half an em (Word's and LibreOffice's fonts for this template average about
that; digits and capitals are wider, i and l narrower) at the table's font size, plus the cell
margins. ``test_docx_report.py`` checks the real thing in LibreOffice.
"""

from __future__ import annotations

import io
import time
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from ol_analysis.report.docx import TEXT_WIDTH_TWIPS, Chapter, markdown_to_docx, plan_table

AVERAGE_EM = 0.5
STATEMENTS = (
    "Geen of later persoonlijke begeleiding, niet vanuit één team",
    "Minder adequate ondersteuning",
    "Minder ruimte voor out-of-the-box oplossingen",
    "Overall meer ondersteuning nodig",
)


def _matrix(cases: int, rows: int = len(STATEMENTS), total: bool = True) -> str:
    ids = [f"c{i:02d}" if cases < 100 else f"c{i:03d}" for i in range(1, cases + 1)]
    head = ["Stelling", *ids, *(["Totaal"] if total else [])]
    lines = ["| " + " | ".join(head) + " |", "|---|" + ":-:|" * cases + ("--:|" if total else "")]
    for r in range(rows):
        marks = ["✓" if (r + c) % 3 else "·" for c in range(cases)]
        lines.append(
            "| "
            + " | ".join([STATEMENTS[r % len(STATEMENTS)], *marks, *([str(r)] if total else [])])
            + " |"
        )
    return "# Matrix\n\n" + "\n".join(lines) + "\n"


def _document(markdown: str, tmp_path: Path) -> docx.document.Document:
    data = markdown_to_docx([Chapter(markdown, tmp_path)], title="R")
    return docx.Document(io.BytesIO(data))


def _grid(table: docx.table.Table) -> list[int]:
    return [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]


def _font_pt(table: docx.table.Table) -> float:
    sizes = {r.font.size.pt for row in table.rows for c in row.cells for p in c.paragraphs
             for r in p.runs if r.font.size is not None}  # fmt: skip
    assert len(sizes) <= 1, sizes
    return sizes.pop() if sizes else 11.0


def _margins(table: docx.table.Table) -> int:
    """Left plus right cell margin in twips: the table's own, else Table Grid's 108 + 108."""
    margins = table._tbl.tblPr.find(qn("w:tblCellMar"))
    if margins is None:
        return 216
    return sum(int(margins.find(qn(f"w:{side}")).get(qn("w:w"))) for side in ("left", "right"))


def _columns(table: docx.table.Table) -> list[list[str]]:
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    return [list(column) for column in zip(*rows, strict=True)]


def assert_sized_to_content(table: docx.table.Table) -> None:
    """Fixed layout; gridCol = tcW per column; within the text width; each column at least as
    wide as its longest word at the table's font size (fixed average width, bold alike)."""
    properties = table._tbl.tblPr
    assert properties.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
    grid = _grid(table)
    assert sum(grid) <= TEXT_WIDTH_TWIPS
    assert int(properties.find(qn("w:tblW")).get(qn("w:w"))) == sum(grid)
    for row in table.rows:
        widths = [int(tc.tcPr.find(qn("w:tcW")).get(qn("w:w"))) for tc in row._tr.tc_lst]
        assert widths == grid
    size, margins = _font_pt(table), _margins(table)
    for width, column in zip(grid, _columns(table), strict=True):
        longest = max((len(w) for text in column for w in text.split()), default=0)
        assert width >= longest * AVERAGE_EM * size * 20 + margins, (column[0], width)


def test_the_if_then_matrix_has_a_wide_first_column(tmp_path: Path) -> None:
    document = _document(_matrix(11), tmp_path)
    (table,) = document.tables
    assert_sized_to_content(table)
    grid = _grid(table)
    assert grid[0] == max(grid)
    assert grid[0] > 2 * max(grid[1:])
    assert len(set(grid[1:-1])) == 1  # the case columns alike
    assert _font_pt(table) <= 11


def test_a_small_table_keeps_its_natural_width(tmp_path: Path) -> None:
    document = _document("| patroon | n |\n|---|--:|\n| stijgend | 9 |\n", tmp_path)
    (table,) = document.tables
    assert_sized_to_content(table)
    assert _font_pt(table) == 11
    assert sum(_grid(table)) < TEXT_WIDTH_TWIPS / 2


def test_a_table_whose_words_do_not_fit_at_11_pt_is_set_smaller(tmp_path: Path) -> None:
    document = _document(_matrix(14), tmp_path)
    (table,) = document.tables
    assert_sized_to_content(table)
    assert 8 <= _font_pt(table) < 11


def test_a_matrix_too_wide_for_8_pt_is_split_repeating_its_first_column(tmp_path: Path) -> None:
    """A column per case of a big study: several tables of the same rows, no word broken."""
    document = _document(_matrix(120), tmp_path)
    tables = document.tables
    assert len(tables) > 1
    cases: list[str] = []
    for table in tables:
        assert_sized_to_content(table)
        assert _font_pt(table) == 8
        header = [cell.text for cell in table.rows[0].cells]
        assert header[0] == "Stelling"
        assert [row.cells[0].text for row in table.rows[1:]] == [
            STATEMENTS[r % len(STATEMENTS)] for r in range(len(STATEMENTS))
        ]
        cases += header[1:]
    assert cases == [f"c{i:03d}" for i in range(1, 121)] + ["Totaal"]


def test_the_plan_gives_spare_width_in_proportion_to_what_columns_lack() -> None:
    plan = plan_table([3000, 1000, 1000], [100_000, 1000, 1000])
    ((columns, widths),) = plan.parts
    assert plan.size == 11 and columns == (0, 1, 2)
    assert sum(widths) <= TEXT_WIDTH_TWIPS
    assert widths[1] == widths[2] < widths[0]
    assert sum(widths) > TEXT_WIDTH_TWIPS - 3  # the long column takes all that is left


def test_a_word_wider_than_the_page_is_squeezed_not_overflowing() -> None:
    plan = plan_table([200_000, 1000], [200_000, 1000])
    assert all(sum(widths) <= TEXT_WIDTH_TWIPS for _columns, widths in plan.parts)


@pytest.mark.parametrize("rows", [300])
def test_filling_a_big_table_takes_linear_time(tmp_path: Path, rows: int) -> None:
    """300 rows × 15 columns: python-docx's ``Table.cell`` rebuilt the cell list on every call,
    so filling took minutes; row by row it takes seconds (a generous bound, in CPU time)."""
    markdown = _matrix(13, rows=rows)
    started = time.process_time()
    document = _document(markdown, tmp_path)
    assert time.process_time() - started < 30
    (table,) = document.tables
    assert len(table.rows) == rows + 1
    assert table.rows[-1].cells[-1].text == str(rows - 1)


def test_a_shipped_build_has_every_table_sized_to_content(shipped_build: Path) -> None:
    document = docx.Document(str(shipped_build / "docx" / "report.docx"))
    assert len(document.tables) >= 3
    for table in document.tables:
        assert_sized_to_content(table)
    matrix = next(t for t in document.tables if t.rows[0].cells[0].text == "Stelling")
    grid = _grid(matrix)
    assert grid[0] == max(grid)
