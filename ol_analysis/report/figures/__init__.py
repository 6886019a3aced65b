"""The report's figures as SVG (for HTML) and PNG (for DOCX).

The cross-case charts are drawn with matplotlib; each case's network, one per case and shown on
its HTML page only, is written as SVG text directly (:mod:`ol_analysis.report.figures.svg`),
about a hundred times faster than a matplotlib figure.

Everything up to the final write is pure: ``render_figures`` returns the bytes of every figure,
``write_figures`` puts them in place atomically. matplotlib is imported inside the functions so
that commands that draw nothing (``validate``) do not pay for it. Figures are drawn on
``matplotlib.figure.Figure`` objects, never through ``pyplot``, so no global backend or figure
registry is touched; the SVG carries no date and a fixed hash salt, so the same study gives the
same bytes on every build.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from ol_analysis.report.figures.cache import (
    FigureCache,
    graph_fingerprint,
    stable_text,
    study_fingerprint,
)
from ol_analysis.report.figures.networks import (
    draw_partner_counts,
    draw_partner_network,
    partner_bars,
    partners_at_scale,
)
from ol_analysis.report.figures.style import (
    EMPTY,
    PNG_DPI,
    colours_for,
    new_figure,
    ui_text,
    wrap,
)
from ol_analysis.report.figures.svg import FORMAT, case_network_svg
from ol_analysis.safe_write import write_bytes_atomic

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from ol_analysis.core.study import Study
    from ol_analysis.report.data import ReportData
    from ol_analysis.report.types import StatusMatrix


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


def _encode(figure: Figure, png: bool) -> tuple[bytes, bytes | None]:
    svg_buffer = io.BytesIO()
    figure.savefig(svg_buffer, format="svg", metadata={"Date": None})
    png_bytes = None
    if png:
        figure.set_layout_engine("none")  # keep the layout just computed for the SVG
        png_buffer = io.BytesIO()
        figure.savefig(png_buffer, format="png", dpi=PNG_DPI, metadata={"Software": None})
        png_bytes = png_buffer.getvalue()
    return svg_buffer.getvalue(), png_bytes


# --- charts -------------------------------------------------------------------------------------

MOMENT_FIELDS = ("category", "valence")


def _bar_axes(figure: Figure, ylabel: str) -> Any:
    from matplotlib.ticker import MaxNLocator

    axes = figure.add_subplot()
    axes.set_ylabel(ylabel)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.spines[["top", "right"]].set_visible(False)
    return axes


def draw_course_patterns(data: ReportData) -> Figure:
    """Cases per course pattern (one bar per code, zero counts shown)."""
    pattern = data.roles.course_pattern or ""
    codes = data.group(pattern).codes
    part = data.framework.part(pattern.split(".")[0])
    figure = new_figure(3.2)
    axes = _bar_axes(figure, ui_text("n_cases", data.lang))
    heights = [code.count.n for code in codes]
    bars = axes.bar([wrap(c.label, 24) for c in codes], heights, color=part and part.colour)
    axes.bar_label(bars, padding=2)
    axes.set_ylim(0, max([*heights, 1]) * 1.15)
    return figure


def draw_key_moments(data: ReportData) -> Figure:
    """Key moments (records, not cases) per category, stacked by valence."""
    table = data.record_group(data.roles.timeline or "").pair(*MOMENT_FIELDS)
    colours = colours_for(code_id for code_id, _label in table.columns)
    figure = new_figure(3.4)
    axes = _bar_axes(figure, ui_text("n_moments", data.lang))
    names = [wrap(label, 16) for _id, label in table.rows]
    bottom = [0] * len(table.rows)
    for j, (valence, label) in enumerate(table.columns):
        heights = [row[j] for row in table.records]
        axes.bar(names, heights, bottom=bottom, color=colours[valence], label=label)
        bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
    axes.set_ylim(0, max([*bottom, 1]) * 1.1)
    axes.legend(frameon=False)
    axes.tick_params(axis="x", labelsize=9)
    return figure


def draw_if_then_matrix(data: ReportData) -> Figure:
    """Statements × cases, one colour per status; cells of cases without a record white. With
    more cases than fit across a page (``StatusMatrix.wide``), each statement's cases counted
    per status instead (:func:`draw_status_counts`)."""
    table = data.status_matrix(data.roles.if_then or "")
    if table.wide:
        return draw_status_counts(data, table)
    return _draw_status_grid(data, table)


def _draw_status_grid(data: ReportData, table: StatusMatrix) -> Figure:
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch

    colours = colours_for(code_id for code_id, _label in table.statuses)
    index = {status: i + 1 for i, (status, _label) in enumerate(table.statuses)}
    grid = [[index.get(cell or "", 0) for cell in row.cells] for row in table.rows]
    cmap = ListedColormap([EMPTY] + [colours[s] for s, _label in table.statuses])
    figure = new_figure(1.0 + 0.4 * max(len(table.rows), 1))
    axes = figure.add_subplot()
    shown = grid if table.cases and grid else [[0]]  # no case or no statement: one empty cell
    axes.imshow(shown, cmap=cmap, vmin=0, vmax=len(table.statuses), aspect="auto")
    axes.set_xticks(range(len(table.cases)), table.cases, fontsize=9)
    axes.xaxis.tick_top()
    axes.set_yticks(range(len(table.rows)), [wrap(r.label, 40) for r in table.rows], fontsize=9)
    axes.set_xticks([x - 0.5 for x in range(1, len(table.cases))], minor=True)
    axes.set_yticks([y - 0.5 for y in range(1, len(table.rows))], minor=True)
    axes.grid(which="minor", color="#888888", linewidth=0.5)
    axes.tick_params(which="minor", length=0)
    handles = [
        Patch(facecolor=colours[status], edgecolor="#888888", label=label)
        for status, label in table.statuses
    ]
    handles.append(
        Patch(facecolor=EMPTY, edgecolor="#888888", label=ui_text("not_coded", data.lang))
    )
    figure.legend(handles=handles, loc="outside lower center", ncols=3, fontsize=9, frameon=False)
    return figure


LABELLED_SHARE = 0.05
"""A bar segment shows its count when it is at least this share of all cases: a narrower
one has no room for the number (the counts are in the chapter's table too)."""


def status_counts(table: StatusMatrix) -> tuple[tuple[int, ...], ...]:
    """Per row of a status matrix: its cases per status, in the order of ``table.statuses``,
    and last the cases without a record for the row."""
    return tuple(
        (*(row.by_status[status].n for status, _label in table.statuses), row.cells.count(None))
        for row in table.rows
    )


def draw_status_counts(data: ReportData, table: StatusMatrix) -> Figure:
    """A status matrix of many cases: per row (statement) one bar of all cases, split by
    status in the matrix's colours, the cases without a record white; the cases are counted,
    not named (the chapter's table has a line per case)."""
    colours = colours_for(status for status, _label in table.statuses)
    series = [(colours[s], label) for s, label in table.statuses]
    series.append((EMPTY, ui_text("not_coded", data.lang)))
    counts = status_counts(table)
    rows = range(len(table.rows))
    figure = new_figure(1.4 + 0.4 * max(len(table.rows), 1))
    axes = figure.add_subplot()
    axes.set_xlabel(ui_text("n_cases", data.lang))
    axes.spines[["top", "right"]].set_visible(False)
    least = max(LABELLED_SHARE * len(table.cases), 1)
    left = [0] * len(table.rows)
    for index, (colour, label) in enumerate(series):
        widths = [row[index] for row in counts]
        bars = axes.barh(
            rows, widths, left=left, color=colour, edgecolor="#888888", linewidth=0.5, label=label
        )
        shown = [str(width) if width >= least else "" for width in widths]
        axes.bar_label(bars, labels=shown, label_type="center", fontsize=8)
        left = [start + width for start, width in zip(left, widths, strict=True)]
    axes.set_yticks(rows, [wrap(r.label, 40) for r in table.rows], fontsize=9)
    axes.invert_yaxis()
    axes.set_xlim(0, max(len(table.cases), 1))
    figure.legend(loc="outside lower center", ncols=3, fontsize=9, frameon=False)
    return figure


# --- all figures, and writing them --------------------------------------------------------------


def figure_titles(data: ReportData) -> dict[str, str]:
    """Caption per figure name, in the report's language (only for figures the study has)."""
    lang = data.lang
    titles = {
        "course_patterns": lambda: data.label(data.roles.course_pattern or "").capitalize(),
        "key_moments": lambda: data.label(data.roles.timeline or "").capitalize(),
        "if_then_matrix": lambda: _status_title(data),
        "partner_network": lambda: ui_text(
            "partner_counts" if partners_at_scale(data) else "partner_network", lang
        ),
    }
    found = {name: titles[name]() for name in available(data)}
    for case_id in data.order:
        title = data.case(case_id).title
        found[f"network_{case_id}"] = ui_text("network_of", lang).format(id=case_id, title=title)
    return found


def _status_title(data: ReportData) -> str:
    label = data.label(data.roles.if_then or "").capitalize()
    table = data.status_matrix(data.roles.if_then or "")
    if not table.wide:
        return label
    return ui_text("status_counts", data.lang).format(label=label, n=len(table.cases))


def available(data: ReportData) -> list[str]:
    """The charts this study can draw: a framework may lack the groups a chart shows."""
    names = []
    if data.roles.course_pattern in data.groups:
        names.append("course_patterns")
    timeline = data.records.get(data.roles.timeline or "")
    if timeline is not None and MOMENT_FIELDS in timeline.pairs:
        names.append("key_moments")
    if data.roles.if_then in data.status_matrices:
        names.append("if_then_matrix")
    if data.framework.group(data.roles.partners) is not None:
        names.append("partner_network")
    return names


Drawer = Callable[[], "Figure | bytes"]
"""Draws one figure: a matplotlib figure (a chart) or the finished SVG (a case's network)."""


def _drawers(data: ReportData) -> list[tuple[str, Drawer]]:
    charts: dict[str, Callable[[], Figure]] = {
        "course_patterns": lambda: draw_course_patterns(data),
        "key_moments": lambda: draw_key_moments(data),
        "if_then_matrix": lambda: draw_if_then_matrix(data),
        "partner_network": lambda: (
            draw_partner_counts(data) if partners_at_scale(data) else draw_partner_network(data)
        ),
    }
    drawers: list[tuple[str, Drawer]] = [(name, charts[name]) for name in available(data)]
    drawers += [
        (
            f"network_{case_id}",
            partial(case_network_svg, data, case_id, _network_title(data, case_id)),
        )
        for case_id in data.order
        if _has_network(data, case_id)
    ]
    return drawers


def _has_network(data: ReportData, case_id: str) -> bool:
    """Whether the case's network is drawn: not when it holds nobody but the client."""
    return case_id in data.networks and len(data.networks[case_id].graph) > 1


def network_figure(data: ReportData, case_id: str) -> bytes | None:
    """The case's network figure as the build writes it (SVG), or None when it has none."""
    if not _has_network(data, case_id):
        return None
    return case_network_svg(data, case_id, _network_title(data, case_id))


def _network_title(data: ReportData, case_id: str) -> str:
    """The SVG's own ``<title>``: the case id but not its title, so that a title edit (shown in
    the caption on the page) does not invalidate the cached network."""
    return ui_text("network_title", data.lang).format(id=case_id)


def _needs_png(name: str, png: bool) -> bool:
    """PNG twins are made for the DOCX, whose chapters show the cross-case charts; a case's
    network is shown on its HTML page only."""
    return png and not name.startswith("network_")


def figure_keys(data: ReportData) -> dict[str, str]:
    """The cache key of every figure of the study: what its bytes depend on, hashed."""
    return _keys(data, [name for name, _d in _drawers(data)])


def _chart_input(data: ReportData, name: str) -> Any:
    """What a cross-case chart shows of the data (its drawer reads nothing else besides the
    framework and the language), so that an edit the chart does not show keeps it cached. A
    chart drawn as counts at scale is keyed by its counts."""
    roles = data.roles
    if name == "course_patterns":
        return (roles, data.group(roles.course_pattern or ""))
    if name == "key_moments":
        return (roles, data.record_group(roles.timeline or "").pair(*MOMENT_FIELDS))
    if name == "if_then_matrix":
        table = data.status_matrix(roles.if_then or "")
        if table.wide:
            labels = tuple(row.label for row in table.rows)
            return (roles, "counts", len(table.cases), table.statuses, labels, status_counts(table))
        return (roles, table)
    if partners_at_scale(data):
        return (roles, "counts", partner_bars(data))
    return (roles, data.order, data.partners)


def _keys(data: ReportData, names: list[str]) -> dict[str, str]:
    base = study_fingerprint(data.framework, (), data.lang)
    keys = {}
    for name in names:
        case_id = name.removeprefix("network_")
        if name.startswith("network_"):
            own = FORMAT + graph_fingerprint(data.networks[case_id].graph)
        else:
            own = stable_text(_chart_input(data, name))
        keys[name] = FigureCache.key(name, base, own)
    return keys


_DRAWING: dict[str, tuple[Drawer, bool]] = {}
"""Each figure being rendered: its drawer and whether it needs a PNG twin. Read by the worker
processes, forked after it is set, so that the report data is shared rather than pickled."""


def _draw(name: str) -> tuple[str, bytes, bytes | None]:
    if name.startswith("network_"):  # written as SVG text, no matplotlib (nor a PNG) needed
        return name, cast(bytes, _DRAWING[name][0]()), None
    import matplotlib

    with matplotlib.rc_context(
        {"svg.hashsalt": "ol-analysis", "svg.fonttype": "none", "font.family": "DejaVu Sans"}
    ):
        draw, png = _DRAWING[name]
        svg, png_bytes = _encode(cast("Figure", draw()), png)
    return name, svg, png_bytes


def _draw_all(names: list[str], workers: int) -> dict[str, tuple[bytes, bytes | None]]:
    """Draw figures: the matplotlib charts one each on ``workers`` processes (at 600 cases the
    status matrix and the partner network take 6–8 s each), the case networks, a millisecond
    each as SVG text, in this process meanwhile."""
    import multiprocessing

    charts = [name for name in names if not name.startswith("network_")]
    direct = [name for name in names if name.startswith("network_")]
    if workers > 1 and len(charts) >= 2 and "fork" in multiprocessing.get_all_start_methods():
        with multiprocessing.get_context("fork").Pool(min(workers, len(charts))) as pool:
            pending = pool.map_async(_draw, charts, chunksize=1)
            drawn = [_draw(name) for name in direct]
            drawn += pending.get()
    else:
        drawn = [_draw(name) for name in names]
    return {name: (svg, png_bytes) for name, svg, png_bytes in drawn}


def render_figures(
    data: ReportData, *, png: bool = True, cache: FigureCache | None = None, workers: int = 1
) -> list[FigureFile]:
    """Every figure the study supports, drawn from the report data and encoded in memory.

    SVG text stays text (``svg.fonttype: none``): smaller files, searchable and readable by
    screen readers; the SVG has no date and a fixed hash salt, so its bytes are reproducible.
    With a ``cache``, a figure whose inputs have not changed is taken from it instead of being
    drawn; the figures left to draw are drawn on ``workers`` processes.
    """
    drawers = _drawers(data)
    titles = figure_titles(data)
    keys = _keys(data, [name for name, _d in drawers]) if cache is not None else {}
    found: dict[str, tuple[bytes, bytes | None]] = {}
    for name, _draw_one in drawers:
        hit = cache.get(keys[name], _needs_png(name, png)) if cache is not None else None
        if hit is not None:
            found[name] = hit
    missing = [name for name, _d in drawers if name not in found]
    _DRAWING.clear()
    _DRAWING.update((name, (draw, _needs_png(name, png))) for name, draw in drawers)
    try:
        drawn = _draw_all(missing, workers)
    finally:
        _DRAWING.clear()
    for name, (svg, png_bytes) in drawn.items():
        if cache is not None:
            cache.put(keys[name], svg, png_bytes)
        found[name] = (svg, png_bytes)
    return [FigureFile(name, titles[name], *found[name]) for name, _d in drawers]


def _as_report_data(source: ReportData | Study, lang: str | None) -> ReportData:
    from ol_analysis.report.data import ReportData, gather

    if isinstance(source, ReportData):
        if lang is not None and lang != source.lang:
            raise ValueError(f"report data is in '{source.lang}', figures asked in '{lang}'")
        return source
    return gather(source, lang=lang or "nl")


def write_figures(
    source: ReportData | Study,
    figures_dir: Path,
    lang: str | None = None,
    *,
    png: bool = True,
    cache: FigureCache | None = None,
    workers: int = 1,
    staging: bool = False,
) -> list[WrittenFigure]:
    """Write ``figures_dir/<name>.svg`` (and ``.png``) for every figure; returns what was written.

    ``source`` is the build's gathered report data (or a loaded study, gathered here in
    ``lang``). Figures of cases no longer in the study (``network_<id>``) are removed so that a
    renamed case leaves nothing stale behind. Each file replaces the old one in one step;
    ``staging`` says ``figures_dir`` is a build's staging folder, swapped in whole once every
    output is written, where plain writes do (one synced write per file took 2.5 s of 600).
    """
    data = _as_report_data(source, lang)
    figures_dir = Path(figures_dir)
    figures_dir.mkdir(parents=True, exist_ok=True)
    write = Path.write_bytes if staging else write_bytes_atomic
    written = []
    for figure in render_figures(data, png=png, cache=cache, workers=workers):
        svg_path = figures_dir / f"{figure.name}.svg"
        write(svg_path, figure.svg)
        png_path = None
        if figure.png is not None:
            png_path = figures_dir / f"{figure.name}.png"
            write(png_path, figure.png)
        written.append(WrittenFigure(figure.name, figure.title, svg_path, png_path))
    current = {f.name for f in written}
    for stale in figures_dir.glob("network_*.*"):
        if stale.suffix in (".svg", ".png") and stale.stem not in current:
            stale.unlink()
    return written
