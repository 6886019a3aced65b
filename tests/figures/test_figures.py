"""Figures: one per chart and per case, reproducible SVG, labels in the chosen language, and the
numbers drawn equal to the report data (hence to ``stats --json``)."""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import ol_analysis
from ol_analysis.report.data import ReportData, gather
from ol_analysis.report.figures import FigureFile, render_figures, write_figures

SVG = "{http://www.w3.org/2000/svg}"
CHARTS = {"course_patterns", "key_moments", "if_then_matrix", "partner_network"}
REPO = Path(__file__).parents[2]


@pytest.fixture(scope="module")
def data() -> ReportData:
    return gather(ol_analysis.load_study(REPO), lang="nl")


@pytest.fixture(scope="module")
def figures_nl(data: ReportData) -> dict[str, FigureFile]:
    return {f.name: f for f in render_figures(data)}


@pytest.fixture(scope="module")
def figures_en() -> dict[str, FigureFile]:
    data = gather(ol_analysis.load_study(REPO), lang="en")
    return {f.name: f for f in render_figures(data, png=False)}


def texts(data: bytes) -> list[str]:
    """Every text of an SVG (matplotlib writes text as <text> with ``svg.fonttype: none``)."""
    root = ET.fromstring(data)
    return ["".join(node.itertext()) for node in root.iter(f"{SVG}text")]


def joined(data: bytes) -> str:
    return " ".join(" ".join(texts(data)).split())


def test_one_figure_per_chart_and_per_case(data: ReportData, figures_nl: dict) -> None:
    assert set(figures_nl) == CHARTS | {f"network_{case_id}" for case_id in data.order}


def test_svg_is_well_formed_and_png_only_where_the_docx_needs_one(figures_nl: dict) -> None:
    for name, figure in figures_nl.items():
        assert ET.fromstring(figure.svg).tag == f"{SVG}svg"
        if name.startswith("network_"):  # shown on a case's HTML page only
            assert figure.png is None
        else:
            assert figure.png.startswith(b"\x89PNG\r\n\x1a\n")


def test_svg_is_reproducible(data: ReportData, figures_nl: dict) -> None:
    again = {f.name: f.svg for f in render_figures(data, png=False)}
    assert again == {name: f.svg for name, f in figures_nl.items()}
    assert all(b"<dc:date>" not in f.svg for f in figures_nl.values())


def test_labels_follow_the_language(data: ReportData, figures_nl: dict, figures_en: dict) -> None:
    group = data.framework.group("course_outcome.pattern")
    for code in group.codes:
        assert code.label.nl.split()[0] in joined(figures_nl["course_patterns"].svg)
        assert code.label.en.split()[0] in joined(figures_en["course_patterns"].svg)
    assert "aantal casussen" in joined(figures_nl["course_patterns"].svg)
    assert "number of cases" in joined(figures_en["course_patterns"].svg)
    assert "cliënt" in texts(figures_nl["network_c01"].svg)
    assert "client" in texts(figures_en["network_c01"].svg)


def test_course_pattern_bars_are_labelled_with_the_stats_counts(
    data: ReportData, figures_nl: dict
) -> None:
    numbers = [int(t) for t in texts(figures_nl["course_patterns"].svg) if t.isdigit()]
    for code in data.framework.group("course_outcome.pattern").codes:
        assert data.stats["counts"][code.path]["n"] in numbers


def test_if_then_matrix_names_every_case_and_status(data: ReportData, figures_nl: dict) -> None:
    text = texts(figures_nl["if_then_matrix"].svg)
    assert set(data.order) <= set(text)
    for code in data.framework.group("reference.if_then").field("status").codes:
        assert code.label.nl in text
    assert "niet gecodeerd" in text


def test_partner_network_shows_the_bijlage_i_counts(data: ReportData, figures_nl: dict) -> None:
    shown = {}
    for text in texts(figures_nl["partner_network"].svg):
        match = re.fullmatch(r"(.+) \((\d+)\)", text)
        if match:
            shown[match.group(1)] = int(match.group(2))
    group = data.framework.group("network.partners")
    expected = {
        code.label.nl: data.stats["counts"][code.path]["n"]
        for code in group.field("partner").codes
        if data.stats["counts"][code.path]["n"]
    }
    assert shown == expected


def test_case_network_labels_everyone_around_the_client(data: ReportData, figures_nl: dict) -> None:
    discipline = data.framework.group("support.professionals").field("discipline")
    labels = {code.id: code.label.nl for code in discipline.codes}
    study = ol_analysis.load_study(REPO)
    for case in study:
        text = joined(figures_nl[f"network_{case.id}"].svg)
        for record in case.items("support.professionals"):
            assert labels[record.discipline] in text


def test_write_figures_writes_files_and_removes_stale_case_networks(
    data: ReportData, tmp_path: Path
) -> None:
    stale = tmp_path / "network_gone.svg"
    stale.write_text("<svg/>")
    unrelated = tmp_path / "logo.svg"
    unrelated.write_text("<svg/>")
    written = write_figures(data, tmp_path)
    assert len(written) == len(CHARTS) + len(data.order)
    assert all(w.svg.is_file() for w in written)
    assert all(w.png is not None and w.png.is_file() for w in written if w.name in CHARTS)
    assert not stale.exists()
    assert unrelated.exists()
    assert not list(tmp_path.glob(".*.tmp"))


def test_a_framework_without_the_charted_groups_gets_only_what_it_has(mini_study: Path) -> None:
    mini = gather(ol_analysis.load_study(mini_study), lang="en")
    assert {f.name for f in render_figures(mini, png=False)} == {"if_then_matrix"}


def test_importing_the_cli_does_not_import_matplotlib() -> None:
    code = (
        "import sys, ol_analysis.cli, ol_analysis.report.figures, "
        "ol_analysis.report.figures.networks; "
        "sys.exit('matplotlib' in sys.modules)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
