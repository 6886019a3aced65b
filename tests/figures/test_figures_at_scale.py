"""Charts that hold at scale: beyond the cases a page fits, the if…then matrix and the partner
network are drawn as counts (a stacked bar per statement, a bar per partner), whose numbers
are the report data's; below it they are drawn as before, a case a column or a node."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest

import ol_analysis
from ol_analysis.report.data import ReportData, gather
from ol_analysis.report.figures import (
    draw_if_then_matrix,
    figure_titles,
    render_figures,
)
from ol_analysis.report.figures import networks as network_charts
from ol_analysis.report.figures.cache import FigureCache
from ol_analysis.report.types import CASES_ACROSS_A_PAGE, LINES_DOWN_A_PAGE

SVG = "{http://www.w3.org/2000/svg}"
IF_THEN = "reference.if_then"
LARGE = LINES_DOWN_A_PAGE + 4


def _gather(study: Path) -> ReportData:
    return gather(ol_analysis.load_study(study), lang="nl")


@pytest.fixture(scope="module")
def large(replicated: Callable[[int], Path]) -> ReportData:
    return _gather(replicated(LARGE))


@pytest.fixture(scope="module")
def large_figures(large: ReportData) -> dict[str, bytes]:
    return {f.name: f.svg for f in render_figures(large, png=False)}


def texts(svg: bytes) -> list[str]:
    return ["".join(node.itertext()) for node in ET.fromstring(svg).iter(f"{SVG}text")]


def one_line(label: str) -> str:
    return " ".join(label.split())


@pytest.mark.parametrize(
    "n",
    [CASES_ACROSS_A_PAGE, CASES_ACROSS_A_PAGE + 1, LINES_DOWN_A_PAGE, LINES_DOWN_A_PAGE + 1],
)
def test_the_variant_follows_the_number_of_cases(replicated: Callable[[int], Path], n: int) -> None:
    titles = figure_titles(_gather(replicated(n)))
    if n > CASES_ACROSS_A_PAGE:
        assert titles["if_then_matrix"] == (
            f"Als…dan-stellingen: aantal casussen per status ({n} casussen)"
        )
    else:
        assert titles["if_then_matrix"] == "Als…dan-stellingen"
    if n > LINES_DOWN_A_PAGE:
        expected = "Netwerkpartners naar het aantal casussen waarin zij betrokken zijn"
    else:
        expected = "Netwerkpartners per casus (tussen haakjes: het aantal casussen)"
    assert titles["partner_network"] == expected


def test_status_bars_are_the_matrix_counts(large: ReportData) -> None:
    table = large.status_matrix(IF_THEN)
    axes = draw_if_then_matrix(large).axes[0]
    series = [*(label for _status, label in table.statuses), "niet gecodeerd"]
    assert [bars.get_label() for bars in axes.containers] == series
    for index, row in enumerate(table.rows):
        widths = [bars.patches[index].get_width() for bars in axes.containers]
        expected = [row.cells.count(status) for status, _label in table.statuses]
        assert widths == [*expected, row.cells.count(None)], row.id
        assert sum(widths) == large.n_cases
    labels = [one_line(tick.get_text()) for tick in axes.get_yticklabels()]
    assert labels == [row.label for row in table.rows]


def test_status_chart_counts_cases_without_naming_them(
    large: ReportData, large_figures: dict[str, bytes]
) -> None:
    shown = texts(large_figures["if_then_matrix"])
    assert not set(large.order) & set(shown)
    assert {"aantal casussen", "niet gecodeerd"} <= set(shown)
    numbers = {int(text) for text in shown if text.isdigit()}
    supports = large.stats["counts"]
    for row in large.status_matrix(IF_THEN).rows:
        assert supports[row.count.path]["n"] in numbers, row.id


def test_partner_bars_are_the_bijlage_counts(
    large: ReportData, large_figures: dict[str, bytes]
) -> None:
    figure = network_charts.draw_partner_counts(large)
    axes = figure.axes[0]
    coordinated, others = axes.containers
    labels = [one_line(tick.get_text()) for tick in axes.get_yticklabels()]
    counts = large.stats["counts"]
    group = large.framework.group("network.partners")
    by_label = {code.label.nl: counts[code.path]["n"] for code in group.field("partner").codes}
    expected = sorted(((label, n) for label, n in by_label.items() if n), key=lambda item: -item[1])
    assert [(label, by_label[label]) for label in labels] == expected
    coordinated_by_label = {p.label: p.coordinated.n for p in large.partners.partners}
    for index, label in enumerate(labels):
        with_team = coordinated.patches[index].get_width()
        without = others.patches[index].get_width()
        assert (with_team, with_team + without) == (coordinated_by_label[label], by_label[label])
    shown = texts(large_figures["partner_network"])
    assert not set(large.order) & set(shown)
    assert {"met afstemming door het team", "zonder afstemming door het team"} <= set(shown)


def test_partners_beyond_a_page_share_one_bar_of_the_cases_with_any_of_them(
    large: ReportData, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(network_charts, "BARS_DOWN_A_PAGE", 10)
    bars = network_charts.partner_bars(large)
    ranked = large.partners.ranked
    assert len(bars) == 10
    assert [(label, n) for label, n, _c in bars[:9]] == [(p.label, p.count.n) for p in ranked[:9]]
    rest = ranked[9:]
    graph = large.partners.graph
    cases = {case for p in rest for case in graph.neighbors(f"partner:{p.id}")}
    label, n, _coordinated = bars[-1]
    assert (label, n) == (f"overige {len(rest)} netwerkpartners samen", len(cases))


def test_charts_at_scale_cached_are_the_bytes_drawn(large: ReportData, tmp_path: Path) -> None:
    uncached = {f.name: (f.svg, f.png) for f in render_figures(large)}
    charts = {name for name in uncached if not name.startswith("network_")}
    render_figures(large, cache=FigureCache(tmp_path))
    again = FigureCache(tmp_path)
    cached = {f.name: (f.svg, f.png) for f in render_figures(large, cache=again)}
    assert cached == uncached
    assert len(again.used) == len(uncached)
    assert all(uncached[name][1] is not None for name in charts)
