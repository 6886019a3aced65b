"""Network pictures: the people around one client, and network partners across cases.

The graphs are plain networkx graphs with ``kind`` and ``label`` node attributes, built from the
study; drawing them is separate, so a notebook can analyse the graphs without matplotlib.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ol_analysis.figures import (
    PALETTE,
    colours_for,
    field_codes,
    labels_of,
    new_figure,
    ui_text,
    wrap,
)
from ol_analysis.study import Case, Study

if TYPE_CHECKING:
    import networkx as nx
    from matplotlib.figure import Figure


def case_network(study: Study, case: Case, lang: str = "nl") -> nx.Graph:
    """The client with the OL professionals, relatives and network partners around them.

    Node attributes: ``kind`` (client/professional/relative/partner), ``label`` and, for
    professionals, ``organisation``.
    """
    import networkx as nx

    framework = study.framework
    disciplines = labels_of(field_codes(framework, "support.professionals", "discipline"), lang)
    relations = labels_of(field_codes(framework, "network.relatives", "relation"), lang)
    partners = labels_of(field_codes(framework, "network.partners", "partner"), lang)
    graph = nx.Graph(case=case.id)
    graph.add_node("client", kind="client", label=ui_text("client", lang))
    for record in case.items("support.professionals"):
        node = f"professional:{record.discipline}:{record.organisation}"
        label = disciplines.get(record.discipline, record.discipline)
        graph.add_node(node, kind="professional", label=label, organisation=record.organisation)
        graph.add_edge("client", node, casemanager=bool(getattr(record, "casemanager", False)))
    for record in case.items("network.relatives"):
        node = f"relative:{record.relation}"
        graph.add_node(node, kind="relative", label=relations.get(record.relation, record.relation))
        graph.add_edge("client", node)
    for record in case.items("network.partners"):
        node = f"partner:{record.partner}"
        graph.add_node(node, kind="partner", label=partners.get(record.partner, record.partner))
        graph.add_edge("client", node, coordinated=bool(getattr(record, "coordinated_by_ol", 0)))
    return graph


def partner_network(study: Study, lang: str = "nl") -> nx.Graph:
    """Cases linked to the network partners involved in them (a bipartite graph)."""
    import networkx as nx

    labels = labels_of(field_codes(study.framework, "network.partners", "partner"), lang)
    graph = nx.Graph()
    for case in study:
        graph.add_node(f"case:{case.id}", kind="case", label=case.id)
        for record in case.items("network.partners"):
            node = f"partner:{record.partner}"
            if node not in graph:
                graph.add_node(node, kind="partner", label=labels.get(record.partner, "?"))
            graph.add_edge(f"case:{case.id}", node)
    return graph


def _ring(graph: nx.Graph) -> dict[str, tuple[float, float]]:
    """Client in the centre, the others on one ring grouped by kind: no edge crosses a node."""
    import networkx as nx

    order = {"professional": 0, "relative": 1, "partner": 2}
    others = sorted(
        (n for n in graph if n != "client"), key=lambda n: order[graph.nodes[n]["kind"]]
    )
    if not others:
        return {"client": (0.0, 0.0)}
    pos = nx.shell_layout(graph, nlist=[["client"], others], rotate=0)
    return {node: (float(x), float(y)) for node, (x, y) in pos.items()}


def _outward_labels(
    axes: Any,
    pos: dict[str, tuple[float, float]],
    labels: dict[str, str],
    fontsize: float,
    gap: float = 11,
) -> None:
    """Labels pushed away from the centre, so they never sit on an edge."""
    for node, (x, y) in pos.items():
        norm = (x * x + y * y) ** 0.5 or 1.0
        dx, dy = (x / norm, y / norm) if (x, y) != (0.0, 0.0) else (0.0, -1.0)
        ha = "left" if dx > 0.3 else "right" if dx < -0.3 else "center"
        va = "bottom" if dy > 0.3 else "top" if dy < -0.3 else "center"
        axes.annotate(
            labels[node],
            (x, y),
            xytext=(dx * gap, dy * gap),
            fontsize=fontsize,
            textcoords="offset points",
            ha=ha,
            va=va,
        )


def draw_case_network(study: Study, case: Case, lang: str = "nl") -> Figure:
    """Client in the centre; professionals (coloured by organisation), relatives, partners."""
    import networkx as nx
    from matplotlib.lines import Line2D

    graph = case_network(study, case, lang)
    organisations = field_codes(study.framework, "support.professionals", "organisation")
    org_colours = colours_for(organisations)
    pos = _ring(graph)
    style = {"client": ("#332288", "o"), "relative": ("#CC6677", "s"), "partner": ("#DDCC77", "D")}
    figure = new_figure(5.0)
    axes = figure.add_subplot()
    axes.set_axis_off()
    dashed = [e for e in graph.edges if graph.nodes[e[1]]["kind"] != "professional"]
    solid = [e for e in graph.edges if e not in dashed]
    nx.draw_networkx_edges(graph, pos, edgelist=solid, ax=axes, edge_color="#888888")
    nx.draw_networkx_edges(
        graph, pos, edgelist=dashed, ax=axes, edge_color="#AAAAAA", style="dashed"
    )
    for kind, (fill, marker) in (("professional", (PALETTE[-1], "o")), *style.items()):
        nodes = [n for n, k in graph.nodes(data="kind") if k == kind]
        fills = [org_colours.get(graph.nodes[n].get("organisation", ""), fill) for n in nodes]
        nx.draw_networkx_nodes(
            graph,
            pos,
            nodelist=nodes,
            node_color=fills,
            node_shape=marker,
            node_size=520 if kind == "client" else 260,
            ax=axes,
        )
    labels = {n: wrap(graph.nodes[n]["label"], 22) for n in graph}
    _outward_labels(axes, {n: p for n, p in pos.items() if n != "client"}, labels, 7.5)
    axes.annotate(
        labels["client"],
        pos["client"],
        xytext=(0, -13),
        textcoords="offset points",
        ha="center",
        va="top",
        fontsize=8,
    )
    axes.margins(0.3, 0.12)
    kinds = {kind for _n, kind in graph.nodes(data="kind")}
    orgs = {graph.nodes[n].get("organisation") for n in graph}
    legend = [
        Line2D([], [], marker="o", linestyle="", color=org_colours[o.id], label=o.label.get(lang))
        for o in organisations
        if o.id in orgs
    ]
    legend += [
        Line2D([], [], marker=m, linestyle="", color=c, label=ui_text(k, lang))
        for k, (c, m) in style.items()
        if k != "client" and k in kinds
    ]
    if legend:
        figure.legend(
            handles=legend,
            loc="outside lower center",
            ncols=min(len(legend), 5),
            fontsize=8,
            frameon=False,
        )
    return figure


def draw_partner_network(study: Study, lang: str = "nl") -> Figure:
    """Cases (left) linked to network partners (right, most frequent first, with counts).

    A two-column layout rather than a force layout: with 25 partners and 11 cases a spring
    layout puts labels on top of each other, while the columns read like Bijlage I.
    """
    import networkx as nx

    graph = partner_network(study, lang)
    cases = [n for n, kind in graph.nodes(data="kind") if kind == "case"]
    partners = sorted(
        (n for n, kind in graph.nodes(data="kind") if kind == "partner"),
        key=lambda n: (-graph.degree(n), graph.nodes[n]["label"]),
    )
    pos: dict[str, tuple[float, float]] = {}
    for column, nodes in ((0.0, cases), (1.0, partners)):
        for row, node in enumerate(nodes):
            pos[node] = (column, -row / max(len(nodes) - 1, 1))
    figure = new_figure(0.8 + 0.22 * max(len(partners), len(cases), 4))
    axes = figure.add_subplot()
    axes.set_axis_off()
    nx.draw_networkx_edges(graph, pos, ax=axes, edge_color="#BBBBBB", width=0.8)
    nx.draw_networkx_nodes(
        graph, pos, nodelist=cases, node_shape="s", node_color="#332288", node_size=80, ax=axes
    )
    nx.draw_networkx_nodes(
        graph,
        pos,
        nodelist=partners,
        node_color="#CC6677",
        ax=axes,
        node_size=[30 + 25 * graph.degree(n) for n in partners],
    )
    for node in cases:
        axes.annotate(
            graph.nodes[node]["label"],
            pos[node],
            xytext=(-8, 0),
            fontsize=8,
            textcoords="offset points",
            ha="right",
            va="center",
        )
    for node in partners:
        text = f"{graph.nodes[node]['label']} ({graph.degree(node)})"
        axes.annotate(
            text,
            pos[node],
            xytext=(8, 0),
            fontsize=8,
            textcoords="offset points",
            ha="left",
            va="center",
        )
    axes.set_xlim(-0.35, 1.9)
    axes.margins(y=0.04)
    return figure
