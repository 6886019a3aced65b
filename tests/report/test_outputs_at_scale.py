"""A full build of more cases than a page fits: the matrices page turns its matrices (a case a
row, every case linked; past a page of cases, split over pages), the chapters caption the
charts drawn as counts, the DOCX has no table wider than Word allows nor a figure taller than
a page, and a cached rebuild gives the bytes of a clean build."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

import ol_analysis
from ol_analysis.report.build import build_report
from ol_analysis.report.data import ReportData, gather
from ol_analysis.report.render import Provenance, RenderContext, make_env, render_html_pages
from ol_analysis.report.types import LINES_DOWN_A_PAGE

CASES = LINES_DOWN_A_PAGE + 4
WORD_MAX_COLUMNS = 63
PAGE_TEXT_HEIGHT = 9.7  # inches: an A4 page less its margins


@pytest.fixture(scope="module")
def study(replicated: Callable[[int], Path]) -> Path:
    return replicated(CASES)


@pytest.fixture(scope="module")
def frozen() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("OL_ANALYSIS_BUILD_DATE", "2024-05-01")
        patch.setenv("OL_ANALYSIS_BUILD_COMMIT", "")
        yield


@pytest.fixture(scope="module")
def out(study: Path, frozen: None) -> Path:
    build_report(ol_analysis.load_study(study), study / "build")
    return study / "build"


@pytest.fixture(scope="module")
def data(study: Path) -> ReportData:
    return gather(ol_analysis.load_study(study), lang="nl")


def files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and ".cache" not in p.relative_to(folder).parts
    }


def test_chapters_caption_the_charts_as_drawn(out: Path) -> None:
    added_value = (out / "md" / "3.3-meerwaarde.md").read_text(encoding="utf-8")
    assert f"![Als…dan-stellingen: aantal casussen per status ({CASES} casussen)](" in added_value
    partners = (out / "md" / "bijlage-1-netwerkpartners.md").read_text(encoding="utf-8")
    assert "![Netwerkpartners naar het aantal casussen waarin zij betrokken zijn](" in partners


def test_the_matrices_page_has_a_case_a_row(out: Path, data: ReportData) -> None:
    page = (out / "html" / "matrices.html").read_text(encoding="utf-8")
    assert '<th scope="col"><a href="cases/' not in page  # no case is a column
    bodies = re.findall(r"<tbody>(.*?)</tbody>", page, re.S)
    assert len(bodies) == 1 + len(data.status_matrices) + len(data.matrices)
    for body in bodies:
        linked = re.findall(r'<tr><th scope="row"><a href="cases/([^"]+)\.html">\1</a>', body)
        assert linked == list(data.order)


def test_the_turned_status_matrix_shows_each_cases_statuses(out: Path, data: ReportData) -> None:
    page = (out / "html" / "matrices.html").read_text(encoding="utf-8")
    table = data.status_matrix("reference.if_then")
    section = page.split('<h2 id="reference.if_then">', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r'<a href="cases/([^"]+)\.html">[^<]*</a></th>(.*?)</tr>', section)
    assert [case_id for case_id, _cells in rows] == list(data.order)
    for index, (case_id, cells) in enumerate(rows):
        shown = re.findall(r'<td class="status-([^"]+)"', cells)
        assert shown == [row.cells[index] or "none" for row in table.rows], case_id
    totals = re.search(r"<tfoot>(.*?)</tfoot>", section, re.S)
    assert totals is not None
    assert re.findall(r"<td>(\d+)</td>", totals.group(1)) == [str(r.count.n) for r in table.rows]


def test_the_docx_fits_word_and_the_page(out: Path) -> None:
    document = Document(str(out / "docx" / "report.docx"))
    columns = [len(t._tbl.tblGrid.findall(qn("w:gridCol"))) for t in document.tables]
    assert columns
    assert max(columns) <= WORD_MAX_COLUMNS
    heights = [shape.height.inches for shape in document.inline_shapes]
    assert len(heights) == 2  # the if…then chart and the partner chart
    assert max(heights) <= PAGE_TEXT_HEIGHT


def test_a_cached_rebuild_is_the_clean_build(study: Path, out: Path, frozen: None) -> None:
    build_report(ol_analysis.load_study(study), out)
    clean = study / "clean"
    build_report(ol_analysis.load_study(study), clean, use_cache=False)
    assert files(out) == files(clean)


def test_past_a_page_of_cases_the_matrices_are_split_over_pages(
    data: ReportData, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("ol_analysis.report.types.CASES_ON_A_MATRICES_PAGE", 20)
    context = RenderContext(data, Provenance("x", "1", None, "2024-05-01"))
    pages = {
        name: text
        for name, text in render_html_pages(make_env(lang="nl"), context, [])
        if name.startswith("matrices")
    }
    assert list(pages) == ["matrices.html", "matrices-2.html", "matrices-3.html"]
    order = list(data.order)
    slices = [order[0:20], order[20:40], order[40:]]
    tables = 1 + len(data.status_matrices) + len(data.matrices)
    for (name, page), cases in zip(pages.items(), slices, strict=True):
        bodies = re.findall(r"<tbody>(.*?)</tbody>", page, re.S)
        assert len(bodies) == tables
        for body in bodies:
            linked = re.findall(r'<tr><th scope="row"><a href="cases/([^"]+)\.html">\1</a>', body)
            assert linked == cases, name
        others = [other for other in pages if other != name]
        nav = page.split('<nav class="matrix-pages">', 1)[1].split("</nav>", 1)[0]
        assert re.findall(r'<a href="([^"]+)">', nav) == others
        assert f"<strong>{cases[0]} – {cases[-1]}</strong>" in nav
        assert f"totaal ({CASES} casussen)" in page
