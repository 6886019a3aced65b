"""Network pictures: the people around one client, and network partners across the cases.

The graphs themselves are gathered in :mod:`ol_analysis.analysis.network` (part of the report
data); this module only draws them. Node ids and kinds follow that module: ``client``, ``team``,
``professional:<key>…``, ``relative:<code>``, ``partner:<code>``, ``case:<id>``.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from ol_analysis.report.figures.style import (
    PALETTE,
    colours_for,
    field_codes,
    new_figure,
    ui_text,
    wrap,
)

if TYPE_CHECKING:
    import networkx as nx
    from matplotlib.figure import Figure

    from ol_analysis.core.framework import Code
    from ol_analysis.report.data import ReportData

KIND_ORDER = {"professional": 0, "relative": 1, "partner": 2}
KIND_STYLE = {"client": ("#332288", "o"), "relative": ("#CC6677", "s"), "partner": ("#DDCC77", "D")}
COORDINATED = "#555555"


def _ring(nodes: list[str]) -> dict[str, tuple[float, float]]:
    """The client in the centre, the others on one circle in the given order.

    One ring rather than a force layout: a star drawn this way never has an edge crossing a
    node, and the same case always looks the same.
    """
    pos = {"client": (0.0, 0.0)}
    for index, node in enumerate(nodes):
        angle = math.pi / 2 - 2 * math.pi * index / max(len(nodes), 1)
        pos[node] = (math.cos(angle), math.sin(angle))
    return pos


def _outward_labels(
    axes: Any, pos: dict[str, tuple[float, float]], labels: dict[str, str], fontsize: float
) -> None:
    """Labels pushed away from the centre, so they never sit on an edge."""
    for node, (x, y) in pos.items():
        ha = "left" if x > 0.3 else "right" if x < -0.3 else "center"
        va = "bottom" if y > 0.3 else "top" if y < -0.3 else "center"
        axes.annotate(
            labels[node],
            (x, y),
            xytext=(x * 11, y * 11),
            textcoords="offset points",
            ha=ha,
            va=va,
            fontsize=fontsize,
        )


def _professional_style(
    data: ReportData, graph: nx.Graph
) -> tuple[dict[str, str], str, list[Code]]:
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


def draw_case_network(data: ReportData, case_id: str) -> Figure:
    """Client in the centre; professionals, relatives and partners on a ring around them.

    Professionals are coloured by organisation; relatives and partners the team coordinates
    with are joined by a solid dark line, the others by a dashed one.
    """
    import networkx as nx
    from matplotlib.lines import Line2D

    lang = data.lang
    full = data.networks[case_id].graph
    coordinated = {
        v if u == "team" else u for u, v, k in full.edges(data="kind") if k == "coordination"
    }
    graph = full.subgraph(n for n in full if n != "team")
    ring = sorted(
        (n for n in graph if n != "client"), key=lambda n: KIND_ORDER.get(graph.nodes[n]["kind"], 3)
    )
    pos = _ring(ring)
    labels, colour_field, colour_codes = _professional_style(data, graph)
    org_colours = colours_for(c.id for c in colour_codes)
    figure = new_figure(5.0)
    axes = figure.add_subplot()
    axes.set_axis_off()
    edges = list(graph.edges("client"))
    others = [e for e in edges if graph.nodes[e[1]]["kind"] != "professional"]
    styles = (
        ([e for e in edges if e not in others], "#999999", "solid", 1.0),
        ([e for e in others if e[1] in coordinated], COORDINATED, "solid", 2.0),
        ([e for e in others if e[1] not in coordinated], "#AAAAAA", "dashed", 1.0),
    )
    for edgelist, colour, style, width in styles:
        nx.draw_networkx_edges(
            graph, pos, edgelist=edgelist, ax=axes, edge_color=colour, style=style, width=width
        )
    for kind, (fill, marker) in (("professional", (PALETTE[-1], "o")), *KIND_STYLE.items()):
        nodes = [n for n, k in graph.nodes(data="kind") if k == kind]
        fills = [org_colours.get(graph.nodes[n].get(colour_field, ""), fill) for n in nodes]
        rims = [2.0 if graph.nodes[n].get("casemanager") else 0.0 for n in nodes]
        nx.draw_networkx_nodes(
            graph,
            pos,
            nodelist=nodes,
            node_color=fills,
            node_shape=marker,
            ax=axes,
            node_size=900 if kind == "client" else 260,
            edgecolors="#222222",
            linewidths=rims,
        )
    text = {n: wrap(labels[n], 22) for n in ring}
    _outward_labels(axes, {n: pos[n] for n in ring}, text, 9)
    axes.annotate(
        ui_text("client", lang), (0, 0), ha="center", va="center", fontsize=7.5, color="white"
    )
    axes.margins(0.3, 0.12)
    kinds = {kind for _n, kind in graph.nodes(data="kind")}
    used = {graph.nodes[n].get(colour_field) for n in graph}
    legend = [
        Line2D([], [], marker="o", linestyle="", color=org_colours[c.id], label=c.label.get(lang))
        for c in colour_codes
        if c.id in used
    ]
    legend += [
        Line2D([], [], marker=m, linestyle="", color=c, label=ui_text(k, lang))
        for k, (c, m) in KIND_STYLE.items()
        if k != "client" and k in kinds
    ]
    if any(casemanager for _n, casemanager in graph.nodes(data="casemanager")):
        legend.append(
            Line2D(
                [],
                [],
                marker="o",
                linestyle="",
                markerfacecolor="white",
                markeredgecolor="#222222",
                markeredgewidth=2,
                label=ui_text("casemanager", lang),
            )
        )
    if coordinated:
        legend.append(
            Line2D([], [], color=COORDINATED, linewidth=2, label=ui_text("coordinated", lang))
        )
    if legend:
        figure.legend(
            handles=legend,
            loc="outside lower center",
            ncols=min(len(legend), 3),
            fontsize=9,
            frameon=False,
        )
    return figure


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
