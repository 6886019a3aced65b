"""The report's figures as SVG (for HTML) and PNG (for DOCX), drawn with matplotlib.

Everything up to the final write is pure: ``render_figures`` returns the bytes of every figure,
``write_figures`` puts them in place atomically. matplotlib is imported inside the functions so
that commands that draw nothing (``validate``) do not pay for it. Figures are drawn on
``matplotlib.figure.Figure`` objects, never through ``pyplot``, so no global backend or figure
registry is touched; the SVG carries no date and a fixed hash salt, so the same study gives the
same bytes on every build.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ol_analysis.aggregate import matrix, stats
from ol_analysis.framework import Code, Framework
from ol_analysis.safe_write import write_bytes_atomic
from ol_analysis.study import Case, Study

if TYPE_CHECKING:
    import networkx as nx
    from matplotlib.figure import Figure

RC = {"svg.hashsalt": "ol-analysis", "svg.fonttype": "none", "font.family": "DejaVu Sans"}
PNG_DPI = 150
WIDTH = 7.0  # inches: the text width of an A4 page with normal margins, so DOCX scales 1:1
NAMES = ("course_patterns", "key_moments", "if_then_matrix", "partner_network")

TEXT = {
    "n_cases": {"nl": "aantal casussen", "en": "number of cases"},
    "n_moments": {"nl": "aantal sleutelmomenten", "en": "number of key moments"},
    "not_coded": {"nl": "niet gecodeerd", "en": "not coded"},
    "client": {"nl": "cliënt", "en": "client"},
    "relative": {"nl": "naaste", "en": "relative"},
    "partner": {"nl": "netwerkpartner", "en": "network partner"},
    "case": {"nl": "casus", "en": "case"},
    "network_of": {"nl": "Netwerk rond casus {id}: {title}", "en": "Network around case {id}: {title}"},
    "partner_network": {
        "nl": "Netwerkpartners over de casussen (grootte: aantal casussen)",
        "en": "Network partners across cases (size: number of cases)",
    },
}
# Paul Tol's colour-blind safe palette; status and valence colours by meaning where known.
PALETTE = ("#4477AA", "#EE6677", "#228833", "#CCBB44", "#66CCEE", "#AA3377", "#BBBBBB")
MEANING = {
    "supports": "#228833",
    "contested": "#CCBB44",
    "contradicts": "#EE6677",
    "insufficient": "#BBBBBB",
    "positive": "#228833",
    "negative": "#EE6677",
}
EMPTY = "#FFFFFF"


@dataclass(frozen=True)
class FigureFile:
    """One drawn figure: ``name`` is the file stem (``network_c01``), ``title`` its caption."""

    name: str
    title: str
    svg: bytes
    png: bytes | None = None


@dataclass(frozen=True)
class WrittenFigure:
    name: str
    title: str
    svg: Path
    png: Path | None


def _t(key: str, lang: str) -> str:
    return TEXT[key][lang if lang in TEXT[key] else "en"]


def _colours(codes: Iterable[Code]) -> dict[str, str]:
    colours: dict[str, str] = {}
    for index, code in enumerate(codes):
        colours[code.id] = MEANING.get(code.id, PALETTE[index % len(PALETTE)])
    return colours


def _field_codes(framework: Framework, group_path: str, field_id: str) -> list[Code]:
    """The codes of a record field, following ``vocabulary`` to the group that owns them."""
    group = framework.group(group_path)
    field = group.field(field_id) if group is not None else None
    if field is None:
        return []
    if field.codes or not field.vocabulary:
        return list(field.codes)
    owner = framework.vocabulary_owner(field.vocabulary)
    return list(owner.codes) if owner is not None else []


def _labels(codes: Iterable[Code], lang: str) -> dict[str, str]:
    return {code.id: code.label.get(lang) for code in codes}


def _new_figure(height: float) -> Figure:
    from matplotlib.figure import Figure

    return Figure(figsize=(WIDTH, height), layout="constrained")


def _encode(figure: Figure, png: bool) -> tuple[bytes, bytes | None]:
    svg_buffer = io.BytesIO()
    figure.savefig(svg_buffer, format="svg", metadata={"Date": None})
    png_bytes = None
    if png:
        png_buffer = io.BytesIO()
        figure.savefig(png_buffer, format="png", dpi=PNG_DPI, metadata={"Software": None})
        png_bytes = png_buffer.getvalue()
    return svg_buffer.getvalue(), png_bytes


# --- data: small pure functions over the study -------------------------------------------------


def course_pattern_counts(study: Study, lang: str = "nl") -> list[tuple[str, int]]:
    """(label, number of cases) per ``course_outcome.pattern`` code, in framework order."""
    group = study.framework.group("course_outcome.pattern")
    counts = stats(study)["counts"]
    return [(c.label.get(lang), counts[c.path]["n"]) for c in (group.codes if group else [])]


def key_moment_tallies(study: Study) -> dict[str, Counter[str]]:
    """Number of key moments per category and valence (moments, not cases)."""
    tallies: dict[str, Counter[str]] = {}
    for case in study:
        for moment in case.items("key_moments.moments"):
            category = getattr(moment, "category", None)
            if category is not None:
                tallies.setdefault(category, Counter())[str(getattr(moment, "valence", None))] += 1
    return tallies


def case_network(study: Study, case: Case, lang: str = "nl") -> nx.Graph:
    """The client with the OL professionals, relatives and network partners around them.

    Node attributes: ``kind`` (client/professional/relative/partner), ``label`` and, for
    professionals, ``organisation``.
    """
    import networkx as nx

    framework = study.framework
    disciplines = _labels(_field_codes(framework, "support.professionals", "discipline"), lang)
    relations = _labels(_field_codes(framework, "network.relatives", "relation"), lang)
    partners = _labels(_field_codes(framework, "network.partners", "partner"), lang)
    graph = nx.Graph(case=case.id)
    graph.add_node("client", kind="client", label=_t("client", lang))
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

    labels = _labels(_field_codes(study.framework, "network.partners", "partner"), lang)
    graph = nx.Graph()
    for case in study:
        graph.add_node(f"case:{case.id}", kind="case", label=case.id)
        for record in case.items("network.partners"):
            node = f"partner:{record.partner}"
            if node not in graph:
                graph.add_node(node, kind="partner", label=labels.get(record.partner, "?"))
            graph.add_edge(f"case:{case.id}", node)
    return graph


# --- drawing ------------------------------------------------------------------------------------


def _bar_axes(figure: Figure, ylabel: str) -> Any:
    axes = figure.add_subplot()
    axes.set_ylabel(ylabel)
    axes.yaxis.get_major_locator().set_params(integer=True)
    axes.spines[["top", "right"]].set_visible(False)
    return axes


def draw_course_patterns(study: Study, lang: str = "nl") -> Figure:
    counts = course_pattern_counts(study, lang)
    part = study.framework.part("course_outcome")
    figure = _new_figure(3.2)
    axes = _bar_axes(figure, _t("n_cases", lang))
    labels = [_wrap(label, 24) for label, _n in counts]
    bars = axes.bar(labels, [n for _label, n in counts], color=(part.colour if part else None))
    axes.bar_label(bars, padding=2)
    axes.set_ylim(0, max([n for _l, n in counts] + [1]) * 1.15)
    return figure


def draw_key_moments(study: Study, lang: str = "nl") -> Figure:
    framework = study.framework
    categories = _field_codes(framework, "key_moments.moments", "category")
    valences = _field_codes(framework, "key_moments.moments", "valence")
    tallies = key_moment_tallies(study)
    colours = _colours(valences)
    figure = _new_figure(3.4)
    axes = _bar_axes(figure, _t("n_moments", lang))
    names = [_wrap(c.label.get(lang), 18) for c in categories]
    bottom = [0] * len(categories)
    for valence in valences:
        heights = [tallies.get(c.id, Counter())[valence.id] for c in categories]
        axes.bar(names, heights, bottom=bottom, color=colours[valence.id],
                 label=valence.label.get(lang))
        bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
    axes.set_ylim(0, max(bottom + [1]) * 1.1)
    axes.legend(frameon=False)
    axes.tick_params(axis="x", labelsize=8)
    return figure


def draw_if_then_matrix(study: Study, lang: str = "nl") -> Figure:
    """Statements × cases, one colour per status; uncoded cells white."""
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch

    data = matrix(study, "reference.if_then")
    group = study.framework.group("reference.if_then")
    row_codes = group.row_field.codes if group is not None and group.row_field else []
    statuses = _field_codes(study.framework, "reference.if_then", "status")
    colours = _colours(statuses)
    index = {status.id: i + 1 for i, status in enumerate(statuses)}
    grid = [[index.get(data["cells"][row][case], 0) for case in data["cases"]]
            for row in data["rows"]]
    cmap = ListedColormap([EMPTY] + [colours[s.id] for s in statuses])
    figure = _new_figure(0.6 + 0.36 * max(len(data["rows"]), 1))
    axes = figure.add_subplot()
    axes.imshow(grid or [[0]], cmap=cmap, vmin=0, vmax=len(statuses), aspect="auto")
    axes.set_xticks(range(len(data["cases"])), data["cases"], fontsize=8)
    axes.xaxis.tick_top()
    labels = _labels(row_codes, lang)
    axes.set_yticks(range(len(data["rows"])), [_wrap(labels[r], 40) for r in data["rows"]],
                    fontsize=8)
    axes.set_xticks([x - 0.5 for x in range(1, len(data["cases"]))], minor=True)
    axes.set_yticks([y - 0.5 for y in range(1, len(data["rows"]))], minor=True)
    axes.grid(which="minor", color="#888888", linewidth=0.5)
    axes.tick_params(which="minor", length=0)
    handles = [Patch(facecolor=colours[s.id], edgecolor="#888888", label=s.label.get(lang))
               for s in statuses]
    handles.append(Patch(facecolor=EMPTY, edgecolor="#888888", label=_t("not_coded", lang)))
    figure.legend(handles=handles, loc="outside lower center", ncols=len(handles), fontsize=8,
                  frameon=False)
    return figure


def _ring(graph: nx.Graph) -> dict[str, tuple[float, float]]:
    """Client in the centre, everyone else on one ring grouped by kind, so no edge crosses a node."""
    import networkx as nx

    order = {"professional": 0, "relative": 1, "partner": 2}
    others = sorted((n for n in graph if n != "client"), key=lambda n: order[graph.nodes[n]["kind"]])
    if not others:
        return {"client": (0.0, 0.0)}
    pos = nx.shell_layout(graph, nlist=[["client"], others], rotate=0)
    return {node: (float(x), float(y)) for node, (x, y) in pos.items()}


def _outward_labels(axes: Any, pos: dict[str, tuple[float, float]], labels: dict[str, str],
                    fontsize: float, gap: float = 11) -> None:
    """Labels pushed away from the centre, so they never sit on an edge."""
    for node, (x, y) in pos.items():
        norm = (x * x + y * y) ** 0.5 or 1.0
        dx, dy = (x / norm, y / norm) if (x, y) != (0.0, 0.0) else (0.0, -1.0)
        ha = "left" if dx > 0.3 else "right" if dx < -0.3 else "center"
        va = "bottom" if dy > 0.3 else "top" if dy < -0.3 else "center"
        axes.annotate(labels[node], (x, y), xytext=(dx * gap, dy * gap), fontsize=fontsize,
                      textcoords="offset points", ha=ha, va=va)


def draw_case_network(study: Study, case: Case, lang: str = "nl") -> Figure:
    """Client in the centre; professionals (coloured by organisation), relatives, partners."""
    import networkx as nx
    from matplotlib.lines import Line2D

    graph = case_network(study, case, lang)
    organisations = _field_codes(study.framework, "support.professionals", "organisation")
    org_colours = _colours(organisations)
    pos = _ring(graph)
    style = {"client": ("#332288", "o"), "relative": ("#CC6677", "s"), "partner": ("#DDCC77", "D")}
    figure = _new_figure(5.0)
    axes = figure.add_subplot()
    axes.set_axis_off()
    dashed = [e for e in graph.edges if graph.nodes[e[1]]["kind"] != "professional"]
    solid = [e for e in graph.edges if e not in dashed]
    nx.draw_networkx_edges(graph, pos, edgelist=solid, ax=axes, edge_color="#888888")
    nx.draw_networkx_edges(graph, pos, edgelist=dashed, ax=axes, edge_color="#AAAAAA",
                           style="dashed")
    for kind, (fill, marker) in (("professional", (PALETTE[-1], "o")), *style.items()):
        nodes = [n for n, k in graph.nodes(data="kind") if k == kind]
        fills = [org_colours.get(graph.nodes[n].get("organisation", ""), fill) for n in nodes]
        nx.draw_networkx_nodes(graph, pos, nodelist=nodes, node_color=fills, node_shape=marker,
                               node_size=520 if kind == "client" else 260, ax=axes)
    labels = {n: _wrap(graph.nodes[n]["label"], 22) for n in graph}
    _outward_labels(axes, {n: p for n, p in pos.items() if n != "client"}, labels, 7.5)
    axes.annotate(labels["client"], pos["client"], xytext=(0, -13), textcoords="offset points",
                  ha="center", va="top", fontsize=8)
    axes.margins(0.3, 0.12)
    kinds = {kind for _n, kind in graph.nodes(data="kind")}
    orgs = {graph.nodes[n].get("organisation") for n in graph}
    legend = [Line2D([], [], marker="o", linestyle="", color=org_colours[o.id],
                     label=o.label.get(lang)) for o in organisations if o.id in orgs]
    legend += [Line2D([], [], marker=m, linestyle="", color=c, label=_t(k, lang))
               for k, (c, m) in style.items() if k != "client" and k in kinds]
    if legend:
        figure.legend(handles=legend, loc="outside lower center", ncols=min(len(legend), 5),
                      fontsize=8, frameon=False)
    return figure


def draw_partner_network(study: Study, lang: str = "nl") -> Figure:
    """Cases (left) linked to network partners (right, most frequent first, with counts).

    A two-column layout rather than a force layout: with 25 partners and 11 cases a spring
    layout puts labels on top of each other, while the columns read like Bijlage I.
    """
    import networkx as nx

    graph = partner_network(study, lang)
    cases = [n for n, kind in graph.nodes(data="kind") if kind == "case"]
    partners = sorted((n for n, kind in graph.nodes(data="kind") if kind == "partner"),
                      key=lambda n: (-graph.degree(n), graph.nodes[n]["label"]))
    pos: dict[str, tuple[float, float]] = {}
    for column, nodes in ((0.0, cases), (1.0, partners)):
        for row, node in enumerate(nodes):
            pos[node] = (column, -row / max(len(nodes) - 1, 1))
    figure = _new_figure(0.8 + 0.22 * max(len(partners), len(cases), 4))
    axes = figure.add_subplot()
    axes.set_axis_off()
    nx.draw_networkx_edges(graph, pos, ax=axes, edge_color="#BBBBBB", width=0.8)
    nx.draw_networkx_nodes(graph, pos, nodelist=cases, node_shape="s", node_color="#332288",
                           node_size=80, ax=axes)
    nx.draw_networkx_nodes(graph, pos, nodelist=partners, node_color="#CC6677", ax=axes,
                           node_size=[30 + 25 * graph.degree(n) for n in partners])
    for node in cases:
        axes.annotate(graph.nodes[node]["label"], pos[node], xytext=(-8, 0), fontsize=8,
                      textcoords="offset points", ha="right", va="center")
    for node in partners:
        text = f"{graph.nodes[node]['label']} ({graph.degree(node)})"
        axes.annotate(text, pos[node], xytext=(8, 0), fontsize=8, textcoords="offset points",
                      ha="left", va="center")
    axes.set_xlim(-0.35, 1.9)
    axes.margins(y=0.04)
    return figure


def _wrap(text: str, width: int) -> str:
    import textwrap

    lines = textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)
    return "\n".join(lines) or text


# --- all figures, and writing them --------------------------------------------------------------


def figure_titles(study: Study, lang: str = "nl") -> dict[str, str]:
    """Caption per figure name: the framework's group labels where a figure shows one group."""
    framework = study.framework

    def label(path: str) -> str:
        group = framework.group(path)
        return group.label.get(lang) if group is not None else path

    titles = {
        "course_patterns": label("course_outcome.pattern").capitalize(),
        "key_moments": label("key_moments.moments").capitalize(),
        "if_then_matrix": label("reference.if_then").capitalize(),
        "partner_network": _t("partner_network", lang),
    }
    for case in study:
        titles[f"network_{case.id}"] = _t("network_of", lang).format(id=case.id, title=case.title)
    return titles


def render_figures(study: Study, lang: str = "nl", *, png: bool = True) -> list[FigureFile]:
    """Every figure of the report, drawn and encoded in memory (nothing is written)."""
    import matplotlib

    drawers: list[tuple[str, Any]] = [
        ("course_patterns", lambda: draw_course_patterns(study, lang)),
        ("key_moments", lambda: draw_key_moments(study, lang)),
        ("if_then_matrix", lambda: draw_if_then_matrix(study, lang)),
        ("partner_network", lambda: draw_partner_network(study, lang)),
    ]
    drawers += [(f"network_{c.id}", lambda c=c: draw_case_network(study, c, lang)) for c in study]
    titles = figure_titles(study, lang)
    files = []
    with matplotlib.rc_context(RC):
        for name, draw in drawers:
            svg, png_bytes = _encode(draw(), png)
            files.append(FigureFile(name, titles[name], svg, png_bytes))
    return files


def write_figures(
    study: Study, figures_dir: Path, lang: str = "nl", *, png: bool = True
) -> list[WrittenFigure]:
    """Write ``figures_dir/<name>.svg`` (and ``.png``) for every figure; returns what was written.

    Figures of cases no longer in the study (``network_<id>``) are removed so that a renamed
    case leaves nothing stale behind.
    """
    figures_dir = Path(figures_dir)
    figures_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for figure in render_figures(study, lang, png=png):
        svg_path = figures_dir / f"{figure.name}.svg"
        write_bytes_atomic(svg_path, figure.svg)
        png_path = None
        if figure.png is not None:
            png_path = figures_dir / f"{figure.name}.png"
            write_bytes_atomic(png_path, figure.png)
        written.append(WrittenFigure(figure.name, figure.title, svg_path, png_path))
    current = {f.name for f in written}
    for stale in figures_dir.glob("network_*.*"):
        if stale.suffix in (".svg", ".png") and stale.stem not in current:
            stale.unlink()
    return written
