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
from ol_analysis.study import Study

if TYPE_CHECKING:
    from matplotlib.figure import Figure

PNG_DPI = 150
WIDTH = 7.0  # inches: the text width of an A4 page with normal margins, so DOCX scales 1:1

TEXT = {
    "n_cases": {"nl": "aantal casussen", "en": "number of cases"},
    "n_moments": {"nl": "aantal sleutelmomenten", "en": "number of key moments"},
    "not_coded": {"nl": "niet gecodeerd", "en": "not coded"},
    "client": {"nl": "cliënt", "en": "client"},
    "relative": {"nl": "naaste", "en": "relative"},
    "partner": {"nl": "netwerkpartner", "en": "network partner"},
    "network_of": {
        "nl": "Netwerk rond casus {id}: {title}",
        "en": "Network around case {id}: {title}",
    },
    "partner_network": {
        "nl": "Netwerkpartners per casus (tussen haakjes: het aantal casussen)",
        "en": "Network partners per case (in brackets: the number of cases)",
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


def ui_text(key: str, lang: str) -> str:
    return TEXT[key][lang if lang in TEXT[key] else "en"]


def colours_for(codes: Iterable[Code]) -> dict[str, str]:
    colours: dict[str, str] = {}
    for index, code in enumerate(codes):
        colours[code.id] = MEANING.get(code.id, PALETTE[index % len(PALETTE)])
    return colours


def field_codes(framework: Framework, group_path: str, field_id: str) -> list[Code]:
    """The codes of a record field, following ``vocabulary`` to the group that owns them."""
    group = framework.group(group_path)
    field = group.field(field_id) if group is not None else None
    if field is None:
        return []
    if field.codes or not field.vocabulary:
        return list(field.codes)
    owner = framework.vocabulary_owner(field.vocabulary)
    return list(owner.codes) if owner is not None else []


def labels_of(codes: Iterable[Code], lang: str) -> dict[str, str]:
    return {code.id: code.label.get(lang) for code in codes}


def new_figure(height: float) -> Figure:
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


# --- drawing ------------------------------------------------------------------------------------


def _bar_axes(figure: Figure, ylabel: str) -> Any:
    from matplotlib.ticker import MaxNLocator

    axes = figure.add_subplot()
    axes.set_ylabel(ylabel)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.spines[["top", "right"]].set_visible(False)
    return axes


def draw_course_patterns(study: Study, lang: str = "nl") -> Figure:
    counts = course_pattern_counts(study, lang)
    part = study.framework.part("course_outcome")
    figure = new_figure(3.2)
    axes = _bar_axes(figure, ui_text("n_cases", lang))
    labels = [wrap(label, 24) for label, _n in counts]
    bars = axes.bar(labels, [n for _label, n in counts], color=(part.colour if part else None))
    axes.bar_label(bars, padding=2)
    axes.set_ylim(0, max([n for _l, n in counts] + [1]) * 1.15)
    return figure


def draw_key_moments(study: Study, lang: str = "nl") -> Figure:
    framework = study.framework
    categories = field_codes(framework, "key_moments.moments", "category")
    valences = field_codes(framework, "key_moments.moments", "valence")
    tallies = key_moment_tallies(study)
    colours = colours_for(valences)
    figure = new_figure(3.4)
    axes = _bar_axes(figure, ui_text("n_moments", lang))
    names = [wrap(c.label.get(lang), 18) for c in categories]
    bottom = [0] * len(categories)
    for valence in valences:
        heights = [tallies.get(c.id, Counter())[valence.id] for c in categories]
        axes.bar(
            names, heights, bottom=bottom, color=colours[valence.id], label=valence.label.get(lang)
        )
        bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
    axes.set_ylim(0, max([*bottom, 1]) * 1.1)
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
    statuses = field_codes(study.framework, "reference.if_then", "status")
    colours = colours_for(statuses)
    index = {status.id: i + 1 for i, status in enumerate(statuses)}
    grid = [
        [index.get(data["cells"][row][case], 0) for case in data["cases"]] for row in data["rows"]
    ]
    cmap = ListedColormap([EMPTY] + [colours[s.id] for s in statuses])
    figure = new_figure(0.6 + 0.36 * max(len(data["rows"]), 1))
    axes = figure.add_subplot()
    axes.imshow(grid or [[0]], cmap=cmap, vmin=0, vmax=len(statuses), aspect="auto")
    axes.set_xticks(range(len(data["cases"])), data["cases"], fontsize=8)
    axes.xaxis.tick_top()
    labels = labels_of(row_codes, lang)
    axes.set_yticks(
        range(len(data["rows"])), [wrap(labels[r], 40) for r in data["rows"]], fontsize=8
    )
    axes.set_xticks([x - 0.5 for x in range(1, len(data["cases"]))], minor=True)
    axes.set_yticks([y - 0.5 for y in range(1, len(data["rows"]))], minor=True)
    axes.grid(which="minor", color="#888888", linewidth=0.5)
    axes.tick_params(which="minor", length=0)
    handles = [
        Patch(facecolor=colours[s.id], edgecolor="#888888", label=s.label.get(lang))
        for s in statuses
    ]
    handles.append(Patch(facecolor=EMPTY, edgecolor="#888888", label=ui_text("not_coded", lang)))
    figure.legend(
        handles=handles, loc="outside lower center", ncols=len(handles), fontsize=8, frameon=False
    )
    return figure


def wrap(text: str, width: int) -> str:
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
        "partner_network": ui_text("partner_network", lang),
    }
    for case in study:
        titles[f"network_{case.id}"] = ui_text("network_of", lang).format(
            id=case.id, title=case.title
        )
    return titles


NEEDS = {
    "course_patterns": ("course_outcome.pattern",),
    "key_moments": ("key_moments.moments",),
    "if_then_matrix": ("reference.if_then",),
    "partner_network": ("network.partners",),
    "network": ("support.professionals", "network.relatives", "network.partners"),
}


def available(framework: Framework, name: str) -> bool:
    """Whether the framework has a group a figure draws (a study may leave parts out)."""
    return any(framework.group(path) is not None for path in NEEDS[name])


def render_figures(study: Study, lang: str = "nl", *, png: bool = True) -> list[FigureFile]:
    """Every figure the study's framework supports, drawn and encoded in memory.

    SVG text stays text (``svg.fonttype: none``): smaller files, searchable and readable by
    screen readers; the SVG has no date and a fixed hash salt, so its bytes are reproducible.
    """
    import matplotlib

    from ol_analysis.figure_networks import draw_case_network, draw_partner_network

    drawers: list[tuple[str, Any]] = [
        ("course_patterns", lambda: draw_course_patterns(study, lang)),
        ("key_moments", lambda: draw_key_moments(study, lang)),
        ("if_then_matrix", lambda: draw_if_then_matrix(study, lang)),
        ("partner_network", lambda: draw_partner_network(study, lang)),
    ]
    drawers = [(name, draw) for name, draw in drawers if available(study.framework, name)]
    if available(study.framework, "network"):
        drawers += [
            (f"network_{c.id}", lambda c=c: draw_case_network(study, c, lang)) for c in study
        ]
    titles = figure_titles(study, lang)
    files = []
    with matplotlib.rc_context(
        {"svg.hashsalt": "ol-analysis", "svg.fonttype": "none", "font.family": "DejaVu Sans"}
    ):
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
