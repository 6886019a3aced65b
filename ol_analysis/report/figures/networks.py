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
)

if TYPE_CHECKING:
    import networkx as nx
    from matplotlib.figure import Figure

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
