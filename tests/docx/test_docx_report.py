"""The DOCX a build writes for the shipped study: chapters 3.1–4 and Bijlage I as Word headings,
tables whose counts equal ``stats --json``, figures inline; re-opened with python-docx."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import docx
import pytest

import ol_analysis
from ol_analysis.report.build import build_report
from ol_analysis.report.render import Provenance

REPO = Path(__file__).parents[2]
CHAPTERS = ("3.1", "3.2", "3.3", "4 ", "Bijlage I")


@pytest.fixture(scope="module")
def build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    study = ol_analysis.load_study(REPO)
    out = tmp_path_factory.mktemp("build")
    provenance = Provenance("optimaal-leven", "1.0.0", "abc1234", "2024-01-01")
    build_report(study, out, lang="nl", provenance=provenance)
    return out


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


def test_every_chapter_is_a_heading_1_in_report_order(document: docx.document.Document) -> None:
    level_1 = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert len(level_1) == len(CHAPTERS)
    for heading, start in zip(level_1, CHAPTERS, strict=True):
        assert heading.startswith(start.strip()), (heading, start)
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
    column = rows[0].index("Totaal")
    shown = {_key(row[1]): int(row[column]) for row in rows[1:]}
    assert shown == {label: n for label, n in expected.items() if label in shown}
    assert len(shown) == sum(1 for n in expected.values() if n)


def test_if_then_table_totals_equal_stats(document: docx.document.Document) -> None:
    stats = ol_analysis.stats(ol_analysis.load_study(REPO))["counts"]
    framework = ol_analysis.load_framework(REPO / "framework.yaml")
    statement = framework.group("reference.if_then").field("statement")
    rows = _table_with(document, "Stelling")
    column = rows[0].index("Totaal")
    shown = {_key(row[0]): int(row[column]) for row in rows[1:]}
    assert shown == {_key(c.label.nl): stats[c.path]["n"] for c in statement.codes}
    cases = rows[0][1:column]
    assert cases == sorted(ol_analysis.load_study(REPO).cases)


def test_the_chapter_figures_are_inline_with_captions(
    build: Path, document: docx.document.Document
) -> None:
    linked = sum(text.count("](../figures/") for text in _markdown(build))
    assert linked >= 4
    assert len(document.inline_shapes) == linked
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    assert len(captions) == linked
    assert not any(c.startswith("[") for c in captions)  # no figure fell back to its caption


def test_provenance_is_in_the_page_footer_once(document: docx.document.Document) -> None:
    assert document.sections[0].footer.paragraphs[0].text == (
        "optimaal-leven 1.0.0 · abc1234 · 2024-01-01"
    )
    assert not any("abc1234" in p.text for p in document.paragraphs)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_converts_it(build: Path, tmp_path: Path) -> None:
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
         str(build / "docx" / "report.docx")],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    assert (tmp_path / "report.pdf").stat().st_size > 10_000


def _markdown(build: Path) -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted((build / "md").glob("*.md"))]
