"""Network pictures: the people around one client (laid out here, drawn as SVG text by
:mod:`ol_analysis.report.figures.svg`), and network partners across the cases (matplotlib).

The graphs themselves are gathered in :mod:`ol_analysis.analysis.network` (part of the report
data); this module only draws them. Node ids and kinds follow that module: ``client``, ``team``,
``professional:<key>…``, ``relative:<code>``, ``partner:<code>``, ``case:<id>``.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from ol_analysis.report.figures.style import (
    field_codes,
    new_figure,
    ui_text,
    wrap,
)
from ol_analysis.report.types import BARS_DOWN_A_PAGE, LINES_DOWN_A_PAGE

if TYPE_CHECKING:
    import networkx as nx
    from matplotlib.figure import Figure

    from ol_analysis.analysis.network import PartnerTally
    from ol_analysis.core.framework import Code
    from ol_analysis.report.data import ReportData

KIND_ORDER = {"professional": 0, "relative": 1, "partner": 2}
KIND_STYLE = {"client": ("#332288", "o"), "relative": ("#CC6677", "s"), "partner": ("#DDCC77", "D")}
COORDINATED = "#555555"


def ring(nodes: list[str]) -> dict[str, tuple[float, float]]:
    """The client in the centre, the others on one circle in the given order.

    One ring rather than a force layout: a star drawn this way never has an edge crossing a
    node, and the same case always looks the same.
    """
    pos = {"client": (0.0, 0.0)}
    for index, node in enumerate(nodes):
        angle = math.pi / 2 - 2 * math.pi * index / max(len(nodes), 1)
        pos[node] = (math.cos(angle), math.sin(angle))
    return pos


def professional_style(data: ReportData, graph: nx.Graph) -> tuple[dict[str, str], str, list[Code]]:
    """Label professionals by their first key field, colour them by the second.

    For the Optimaal Leven codebook: the discipline, coloured by the mother organisation.
    """
    group = data.framework.group(data.roles.professionals)
    key = list(group.key) if group is not None else []
    label_field = key[0] if key else ""
    colour_field = key[1] if len(key) > 1 else ""
    path = group.path if group is not None else ""
    names = {c.id: c.label.get(data.lang) for c in field_codes(data.framework, path, label_field)}
    labels = {
        node: names.get(attrs.get(label_field, ""), attrs.get("label", node))
        for node, attrs in graph.nodes(data=True)
    }
    return labels, colour_field, field_codes(data.framework, path, colour_field)


def draw_partner_network(data: ReportData) -> Figure:
    """Cases (left) linked to network partners (right, most frequent first, with counts).

    A two-column layout rather than a force layout: with 25 partners and 11 cases a spring
    layout puts labels on top of each other, while the columns read like Bijlage I.
    """
    import networkx as nx

    graph = data.partners.graph
    cases = [f"case:{case_id}" for case_id in data.order if f"case:{case_id}" in graph]
    partners = [f"partner:{p.id}" for p in data.partners.ranked if f"partner:{p.id}" in graph]
    pos: dict[str, tuple[float, float]] = {}
    for column, nodes in ((0.0, cases), (1.0, partners)):
        for row, node in enumerate(nodes):
            pos[node] = (column, -row / max(len(nodes) - 1, 1))
    drawn = graph.subgraph(pos)
    figure = new_figure(0.8 + 0.22 * max(len(partners), len(cases), 4))
    axes = figure.add_subplot()
    axes.set_axis_off()
    nx.draw_networkx_edges(drawn, pos, ax=axes, edge_color="#BBBBBB", width=0.8)
    nx.draw_networkx_nodes(
        drawn, pos, nodelist=cases, node_shape="s", node_color="#332288", node_size=80, ax=axes
    )
    sizes = [30 + 15 * graph.degree(n) for n in partners]
    nx.draw_networkx_nodes(
        drawn, pos, nodelist=partners, node_color="#CC6677", node_size=sizes, ax=axes
    )
    for node in cases:
        axes.annotate(
            node.removeprefix("case:"),
            pos[node],
            xytext=(-8, 0),
            textcoords="offset points",
            ha="right",
            va="center",
            fontsize=9,
        )
    for node in partners:
        text = f"{graph.nodes[node]['label']} ({graph.degree(node)})"
        axes.annotate(
            text,
            pos[node],
            xytext=(11, 0),
            textcoords="offset points",
            ha="left",
            va="center",
            fontsize=9,
        )
    axes.set_xlim(-0.35, 1.9)
    axes.margins(y=0.04)
    return figure


def partners_at_scale(data: ReportData) -> bool:
    """More cases or partners than a page lists one under another: the partner chart counts
    cases per partner (:func:`draw_partner_counts`) instead of drawing every case's links."""
    return max(len(data.order), len(data.partners.present)) > LINES_DOWN_A_PAGE


def partner_bars(data: ReportData) -> tuple[tuple[str, int, int], ...]:
    """(label, cases, of which coordinated by the team) per partner, most frequent first.

    Beyond a page of bars, the least frequent partners share one bar: the cases with any of
    them, so that no bar counts a case twice.
    """
    ranked = data.partners.ranked
    room = BARS_DOWN_A_PAGE if len(ranked) <= BARS_DOWN_A_PAGE else BARS_DOWN_A_PAGE - 1
    bars = [(p.label, p.count.n, p.coordinated.n) for p in ranked[:room]]
    rest: tuple[PartnerTally, ...] = ranked[room:]
    if rest:
        cases = set().union(*(p.count.cases for p in rest))
        coordinated = set().union(*(p.coordinated.cases for p in rest))
        label = ui_text("other_partners", data.lang).format(n=len(rest))
        bars.append((label, len(cases), len(coordinated)))
    return tuple(bars)


def draw_partner_counts(data: ReportData) -> Figure:
    """Network partners (one bar each, most frequent first) by the number of cases they are
    involved in, split by whether the team coordinated with them. The cases behind each bar
    are listed in the partner table (Bijlage I), so the chart need not name them."""
    bars = partner_bars(data)
    rows = range(len(bars))
    coordinated = [c for _label, _n, c in bars]
    figure = new_figure(1.2 + 0.25 * max(len(bars), 4))
    axes = figure.add_subplot()
    axes.set_xlabel(ui_text("n_cases", data.lang))
    axes.spines[["top", "right"]].set_visible(False)
    left = [0] * len(bars)
    if any(coordinated):
        with_label = ui_text("with_coordination", data.lang)
        axes.barh(rows, coordinated, color=COORDINATED, label=with_label)
        left = coordinated
    others = [n - c for (_label, n, _c), c in zip(bars, left, strict=True)]
    without_label = ui_text("without_coordination", data.lang) if any(coordinated) else None
    last = axes.barh(rows, others, left=left, color=KIND_STYLE["partner"][0], label=without_label)
    axes.bar_label(last, labels=[str(n) for _label, n, _c in bars], padding=3, fontsize=8)
    axes.set_yticks(rows, [wrap(label, 32) for label, _n, _c in bars], fontsize=9)
    axes.invert_yaxis()
    axes.set_xlim(0, max([n for _label, n, _c in bars] + [1]) * 1.1)
    if any(coordinated):
        figure.legend(loc="outside lower center", ncols=2, fontsize=9, frameon=False)
    return figure
