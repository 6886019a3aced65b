"""Figures: one per chart and per case, reproducible SVG, labels in the chosen language."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import ol_analysis
from ol_analysis.aggregate import stats
from ol_analysis.figure_networks import case_network, partner_network
from ol_analysis.figures import (
    course_pattern_counts,
    key_moment_tallies,
    render_figures,
    write_figures,
)
from ol_analysis.study import Study

SVG = "{http://www.w3.org/2000/svg}"
CHARTS = {"course_patterns", "key_moments", "if_then_matrix", "partner_network"}


@pytest.fixture(scope="module")
def study() -> Study:
    return ol_analysis.load_study(Path(__file__).parents[2])


@pytest.fixture(scope="module")
def figures_nl(study: Study) -> dict[str, object]:
    return {f.name: f for f in render_figures(study, "nl")}


def svg_text(data: bytes) -> str:
    """All text of an SVG (matplotlib writes text as <text> with svg.fonttype none)."""
    root = ET.fromstring(data)
    return " ".join("".join(node.itertext()) for node in root.iter(f"{SVG}text"))


def test_one_figure_per_chart_and_per_case(study: Study, figures_nl: dict) -> None:
    expected = CHARTS | {f"network_{case.id}" for case in study}
    assert set(figures_nl) == expected


def test_svg_is_well_formed_and_png_is_a_png(figures_nl: dict) -> None:
    for figure in figures_nl.values():
        assert ET.fromstring(figure.svg).tag == f"{SVG}svg"
        assert figure.png.startswith(b"\x89PNG\r\n\x1a\n")


def test_svg_is_reproducible(study: Study, figures_nl: dict) -> None:
    again = {f.name: f.svg for f in render_figures(study, "nl", png=False)}
    assert again == {name: f.svg for name, f in figures_nl.items()}
    assert all(b"<dc:date>" not in f.svg for f in figures_nl.values())


def test_labels_follow_the_language(study: Study, figures_nl: dict) -> None:
    group = study.framework.group("course_outcome.pattern")
    figures_en = {f.name: f for f in render_figures(study, "en", png=False)}
    for code in group.codes:
        first_word = code.label.nl.split()[0]
        assert first_word in svg_text(figures_nl["course_patterns"].svg)
        assert code.label.en.split()[0] in svg_text(figures_en["course_patterns"].svg)
    assert "aantal casussen" in svg_text(figures_nl["course_patterns"].svg)
    assert "number of cases" in svg_text(figures_en["course_patterns"].svg)


def test_if_then_matrix_names_every_case_and_status(study: Study, figures_nl: dict) -> None:
    text = svg_text(figures_nl["if_then_matrix"].svg)
    for case in study:
        assert case.id in text
    status = study.framework.group("reference.if_then").field("status")
    for code in status.codes:
        assert code.label.nl in text
    assert "niet gecodeerd" in text


def test_course_pattern_counts_equal_stats(study: Study) -> None:
    counts = stats(study)["counts"]
    group = study.framework.group("course_outcome.pattern")
    assert [n for _label, n in course_pattern_counts(study)] == [
        counts[code.path]["n"] for code in group.codes
    ]
    assert sum(n for _label, n in course_pattern_counts(study)) <= len(study)


def test_key_moment_tallies_count_every_moment(study: Study) -> None:
    tallies = key_moment_tallies(study)
    total = sum(len(case.items("key_moments.moments")) for case in study)
    assert sum(sum(counter.values()) for counter in tallies.values()) == total
    assert set().union(*tallies.values()) <= {"positive", "negative"}


def test_case_network_holds_everyone_around_the_client(study: Study) -> None:
    for case in study:
        graph = case_network(study, case)
        people = {
            "professional": {
                (r.discipline, r.organisation) for r in case.items("support.professionals")
            },
            "relative": {r.relation for r in case.items("network.relatives")},
            "partner": {r.partner for r in case.items("network.partners")},
        }
        kinds = [kind for _node, kind in graph.nodes(data="kind")]
        assert kinds.count("client") == 1
        for kind, members in people.items():
            assert kinds.count(kind) == len(members)
        assert graph.degree("client") == len(graph) - 1


def test_partner_network_degree_is_the_bijlage_i_count(study: Study) -> None:
    graph = partner_network(study)
    counts = stats(study)["counts"]
    for node, kind in graph.nodes(data="kind"):
        if kind == "partner":
            code = node.removeprefix("partner:")
            assert graph.degree(node) == counts[f"network.partners.partner.{code}"]["n"]


def test_write_figures_writes_files_and_removes_stale_case_networks(
    study: Study, tmp_path: Path
) -> None:
    stale = tmp_path / "network_gone.svg"
    tmp_path.mkdir(exist_ok=True)
    stale.write_text("<svg/>")
    unrelated = tmp_path / "logo.svg"
    unrelated.write_text("<svg/>")
    written = write_figures(study, tmp_path, "nl")
    assert {w.svg.name for w in written} == {f"{w.name}.svg" for w in written}
    assert all(w.svg.is_file() and w.png is not None and w.png.is_file() for w in written)
    assert not stale.exists()
    assert unrelated.exists()
    assert not list(tmp_path.glob(".*.tmp"))


def test_a_framework_without_the_charted_groups_gets_only_what_it_has(mini_study: Path) -> None:
    mini = ol_analysis.load_study(mini_study)
    names = {f.name for f in render_figures(mini, "en", png=False)}
    assert names == {"if_then_matrix"}


def test_importing_the_cli_does_not_import_matplotlib() -> None:
    code = (
        "import sys, ol_analysis.cli, ol_analysis.figures, ol_analysis.figure_networks; "
        "sys.exit('matplotlib' in sys.modules)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
