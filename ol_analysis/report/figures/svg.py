"""A case's support network written as SVG text directly, without matplotlib.

Drawing one matplotlib figure per case cost about 100 ms (most of a first full build at a few
hundred cases); building the same picture as XML costs a few milliseconds. The content and look
follow what matplotlib drew: the client in the centre, everyone else on one ring (positions from
:func:`ol_analysis.report.figures.networks.ring`), professionals coloured by organisation, the
palette of :mod:`ol_analysis.report.figures.style`, labels pushed outward, a legend below.

The output is deterministic (the figure cache relies on it): elements and attributes are written
in a fixed order, numbers with at most two decimals, and nothing depends on memory addresses,
dates or hash seeds. Every SVG has a ``<title>`` and a ``<desc>`` naming everyone drawn, and its
text stays text. Label widths are estimated from the number of characters (there is no font
engine here), generously, so that the picture is scaled to keep every label inside it.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ol_analysis.report.figures.networks import (
    COORDINATED,
    KIND_ORDER,
    KIND_STYLE,
    professional_style,
    ring,
)
from ol_analysis.report.figures.style import PALETTE, WIDTH, colours_for, ui_text, wrap

if TYPE_CHECKING:
    from ol_analysis.report.data import ReportData

SVG_NS = "http://www.w3.org/2000/svg"
FORMAT = "svg-direct-1"
"""Part of a case network's cache key: changes whenever this module draws differently."""

W = WIDTH * 72  # points, as matplotlib's figure of the same size
H = 5.0 * 72
PAD = 6.0
FONT = "DejaVu Sans, Verdana, sans-serif"
LABEL_SIZE = 9.0
LINE = 1.2 * LABEL_SIZE
CHAR = 0.62  # an upper estimate of DejaVu Sans's mean character width, in ems
OFFSET = 11.0  # a label's distance from its node, in points, as before
CLIENT_R = 15.0  # sqrt(node_size) / 2 with matplotlib's node sizes 900 and 260
NODE_R = 8.06
LEGEND_ROW = 16.0
LEGEND_COLUMNS = 3
EDGE_STYLES = {  # kind of edge: colour, width, dash pattern (matplotlib's "dashed" at 1 pt)
    "care": ("#999999", 1.0, ""),
    "coordinated": (COORDINATED, 2.0, ""),
    "other": ("#AAAAAA", 1.0, "3.7,1.6"),
}


def num(value: float) -> str:
    """A coordinate with at most two decimals and no ``-0``, the same on every platform."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(value: str) -> str:
    """``value`` without the control characters XML 1.0 cannot hold (a YAML string can: "\\x01"),
    which would make the whole SVG unreadable; ElementTree escapes the rest."""
    return _NOT_XML.sub("", value)


@dataclass(frozen=True)
class Node:
    id: str
    kind: str
    x: float
    y: float
    fill: str
    rim: float
    lines: tuple[str, ...]
    linked: bool  # joined to the client by an edge


@dataclass(frozen=True)
class LegendEntry:
    label: str
    shape: str  # "o", "s", "D" or "line"
    fill: str
    rim: float = 0.0


def _text_width(lines: Iterable[str], size: float = LABEL_SIZE) -> float:
    return max((len(line) for line in lines), default=0) * CHAR * size


def _label_box(node: Node) -> tuple[float, float, float, float]:
    """The label's extent around its node in points (left, right, up, down), y pointing up,
    with matplotlib's alignment: outward of the centre, centred near the axes."""
    width = _text_width(node.lines)
    height = len(node.lines) * LINE
    dx, dy = node.x * OFFSET, node.y * OFFSET
    left = dx if node.x > 0.3 else dx - width if node.x < -0.3 else dx - width / 2
    bottom = dy if node.y > 0.3 else dy - height if node.y < -0.3 else dy - height / 2
    return left, left + width, bottom + height, bottom


def _scale(extent: float, spans: list[tuple[float, float, float]]) -> float:
    """Points per layout unit along one axis, so that every span ``(coordinate, low, high)`` —
    a node at ``coordinate`` reaching from ``low`` to ``high`` points around it — stays within
    ``±extent`` of the centre; at most the matplotlib margin (30 % around the ring)."""
    scale = extent / 1.3
    for coordinate, low, high in spans:
        if coordinate > 1e-9:
            scale = min(scale, (extent - high) / coordinate)
        elif coordinate < -1e-9:
            scale = min(scale, (extent + low) / -coordinate)
    return max(scale, extent / 4)


class _Svg:
    """An SVG document built with ElementTree, attributes in the order given."""

    def __init__(self, width: float, height: float, title: str, desc: str) -> None:
        self.root = ET.Element(
            "svg",
            {
                "xmlns": SVG_NS,
                "width": f"{num(width)}pt",
                "height": f"{num(height)}pt",
                "viewBox": f"0 0 {num(width)} {num(height)}",
                "role": "img",
                "font-family": FONT,
            },
        )
        ET.SubElement(self.root, "title").text = xml_safe(title)
        ET.SubElement(self.root, "desc").text = xml_safe(desc)
        ET.SubElement(self.root, "rect", {"width": "100%", "height": "100%", "fill": "#ffffff"})

    def group(self, attrs: dict[str, str]) -> ET.Element:
        return ET.SubElement(self.root, "g", attrs)

    def bytes(self) -> bytes:
        text = ET.tostring(self.root, encoding="unicode", short_empty_elements=True)
        return ('<?xml version="1.0" encoding="utf-8"?>\n' + text + "\n").encode("utf-8")


def marker(
    parent: ET.Element, shape: str, x: float, y: float, r: float, fill: str, rim: float
) -> None:
    """A node marker centred on (x, y): circle, square or diamond of half-size ``r``."""
    attrs = {"fill": fill.lower()}  # "#4477AA" would read as a postcode to `privacy`
    if rim:
        attrs.update({"stroke": "#222222", "stroke-width": num(rim)})
    if shape == "s":
        box = {"x": num(x - r), "y": num(y - r), "width": num(2 * r), "height": num(2 * r)}
        ET.SubElement(parent, "rect", {**box, **attrs})
    elif shape == "D":
        d = r * math.sqrt(2)  # matplotlib's "D": the square of the same size, turned 45°
        corners = ((x, y - d), (x + d, y), (x, y + d), (x - d, y))
        points = " ".join(f"{num(px)},{num(py)}" for px, py in corners)
        ET.SubElement(parent, "polygon", {"points": points, **attrs})
    else:
        ET.SubElement(parent, "circle", {"cx": num(x), "cy": num(y), "r": num(r), **attrs})


def text(parent: ET.Element, lines: tuple[str, ...], x: float, y: float, anchor: str) -> None:
    """Lines of text, the first baseline at ``y``; each line its own ``<text>``, so that a
    reader (or a text extraction) never runs the last word of one into the next."""
    for index, line in enumerate(lines):
        attrs = {"x": num(x), "y": num(y + index * LINE), "text-anchor": anchor}
        ET.SubElement(parent, "text", attrs).text = xml_safe(line)


def _nodes(data: ReportData, case_id: str) -> tuple[list[Node], set[str], list[LegendEntry]]:
    """Everyone drawn, the nodes the team coordinates with, and the legend."""
    lang = data.lang
    full = data.networks[case_id].graph
    coordinated = {
        v if u == "team" else u for u, v, k in full.edges(data="kind") if k == "coordination"
    }
    graph = full.subgraph(n for n in full if n != "team")
    around = sorted(
        (n for n in graph if n != "client"), key=lambda n: KIND_ORDER.get(graph.nodes[n]["kind"], 3)
    )
    pos = ring(around)
    labels, colour_field, colour_codes = professional_style(data, graph)
    org_colours = colours_for(c.id for c in colour_codes)
    nodes = []
    for kind in ("professional", *KIND_STYLE):
        fill = PALETTE[-1] if kind == "professional" else KIND_STYLE[kind][0]
        for node, attrs in graph.nodes(data=True):
            if attrs["kind"] != kind:
                continue
            label = ui_text("client", lang) if node == "client" else wrap(labels[node], 22)
            nodes.append(
                Node(
                    id=node,
                    kind=kind,
                    x=pos[node][0],
                    y=pos[node][1],
                    fill=org_colours.get(attrs.get(colour_field, ""), fill),
                    rim=2.0 if attrs.get("casemanager") else 0.0,
                    lines=tuple(label.split("\n")),
                    linked=graph.has_edge("client", node),
                )
            )
    kinds = {kind for _n, kind in graph.nodes(data="kind")}
    used = {graph.nodes[n].get(colour_field) for n in graph}
    legend = [
        LegendEntry(c.label.get(lang), "o", org_colours[c.id]) for c in colour_codes if c.id in used
    ]
    legend += [
        LegendEntry(ui_text(k, lang), m, c)
        for k, (c, m) in KIND_STYLE.items()
        if k != "client" and k in kinds
    ]
    if any(node.rim for node in nodes):
        legend.append(LegendEntry(ui_text("casemanager", lang), "o", "#ffffff", 2.0))
    if coordinated:
        legend.append(LegendEntry(ui_text("coordinated", lang), "line", COORDINATED))
    return nodes, coordinated, legend


def _draw_legend(svg: _Svg, entries: list[LegendEntry], top: float) -> None:
    """Entries in up to three columns, filled top to bottom as matplotlib does, centred below
    the network."""
    rows = math.ceil(len(entries) / LEGEND_COLUMNS)
    columns = [entries[c * rows : (c + 1) * rows] for c in range(LEGEND_COLUMNS)]
    widths = [28 + max(_text_width([e.label]) for e in column) for column in columns if column]
    left = max(PAD, (W - sum(widths)) / 2)
    group = svg.group({"class": "legend", "font-size": num(LABEL_SIZE), "fill": "#000000"})
    for index, entry in enumerate(entries):
        column, row = divmod(index, rows)
        x = left + sum(widths[:column]) + 7
        y = top + row * LEGEND_ROW + LEGEND_ROW / 2
        if entry.shape == "line":
            ET.SubElement(
                group,
                "line",
                {
                    "x1": num(x - 7),
                    "y1": num(y),
                    "x2": num(x + 7),
                    "y2": num(y),
                    "stroke": entry.fill.lower(),
                    "stroke-width": "2",
                },
            )
        else:
            marker(group, entry.shape, x, y, 4.0, entry.fill, entry.rim)
        text(group, (entry.label,), x + 12, y + 0.35 * LABEL_SIZE, "start")


def case_network_svg(data: ReportData, case_id: str, title: str) -> bytes:
    """The case's support network as SVG: client in the centre, the others on a ring.

    Professionals are coloured by organisation; relatives and partners the team coordinates
    with are joined by a solid dark line, the others by a dashed one; a case manager has a dark
    rim. ``title`` becomes the SVG's ``<title>``.
    """
    nodes, coordinated, legend = _nodes(data, case_id)
    around = [n for n in nodes if n.id != "client"]
    desc = ui_text("network_desc", data.lang).format(
        client=ui_text("client", data.lang),
        names="; ".join(" ".join(n.lines) for n in around),
    )
    svg = _Svg(W, H, title, desc)
    rows = math.ceil(len(legend) / LEGEND_COLUMNS)
    legend_top = H - PAD - rows * LEGEND_ROW
    bottom = legend_top - (PAD if legend else 0)
    half_w, half_h = W / 2 - PAD, (bottom - PAD) / 2
    cx, cy = W / 2, PAD + half_h
    boxes = {n.id: _label_box(n) for n in around}
    sx = _scale(half_w, [(n.x, boxes[n.id][0] - NODE_R, boxes[n.id][1] + NODE_R) for n in around])
    sy = _scale(half_h, [(n.y, boxes[n.id][3] - NODE_R, boxes[n.id][2] + NODE_R) for n in around])

    def at(node: Node) -> tuple[float, float]:
        return cx + sx * node.x, cy - sy * node.y

    for style in ("care", "coordinated", "other"):
        colour, width, dash = EDGE_STYLES[style]
        attrs = {"stroke": colour.lower(), "stroke-width": num(width), "fill": "none"}
        if dash:
            attrs["stroke-dasharray"] = dash
        group = svg.group({"class": f"edges {style}", **attrs})
        for node in around:
            kind = "care" if node.kind == "professional" else None
            kind = kind or ("coordinated" if node.id in coordinated else "other")
            if kind == style and node.linked:
                x, y = at(node)
                line = {"x1": num(cx), "y1": num(cy), "x2": num(x), "y2": num(y)}
                ET.SubElement(group, "line", line)
    shapes = svg.group({"class": "people"})
    for node in nodes:
        x, y = at(node)
        shape = "o" if node.kind == "professional" else KIND_STYLE[node.kind][1]
        radius = CLIENT_R if node.id == "client" else NODE_R
        marker(shapes, shape, x, y, radius, node.fill, node.rim)
    labels = svg.group({"class": "labels", "font-size": num(LABEL_SIZE), "fill": "#000000"})
    for node in around:
        x, y = at(node)
        up = boxes[node.id][2]
        anchor = "start" if node.x > 0.3 else "end" if node.x < -0.3 else "middle"
        first_baseline = y - up + 0.8 * LABEL_SIZE
        text(labels, node.lines, x + node.x * OFFSET, first_baseline, anchor)
    client = svg.group({"class": "labels", "font-size": "7.5", "fill": "#ffffff"})
    for node in nodes:
        if node.id == "client":
            x, y = at(node)
            text(client, node.lines, x, y + 0.35 * 7.5, "middle")
    if legend:
        _draw_legend(svg, legend, legend_top)
    return svg.bytes()
