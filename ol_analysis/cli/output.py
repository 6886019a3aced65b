"""Everything the CLI shows in a terminal, in one place: diagnostics, summary lines and the
tables of ``stats``, ``matrix``, ``status`` and ``agree``. Library modules return data; this
module turns it into rich renderables."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import TYPE_CHECKING, Any

from rich import box
from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from ol_analysis.diagnostics import Diagnostic

if TYPE_CHECKING:
    from ol_analysis.core.framework import Framework
    from ol_analysis.feedback.agree import AgreementReport
    from ol_analysis.feedback.review import SubgroupStatus

_STYLE = {"error": "bold red", "warning": "bold yellow"}


def print_diagnostics(console: Console, diagnostics: Sequence[Diagnostic]) -> None:
    for diagnostic in diagnostics:
        severity = diagnostic.severity.value
        line = Text()
        line.append(f"{diagnostic.path}:{diagnostic.line}:{diagnostic.column}:", style="bold")
        line.append(f" {severity}", style=_STYLE[severity])
        line.append(f"[{diagnostic.rule}]", style="dim")
        line.append(f": {diagnostic.message}")
        console.print(line, soft_wrap=True)
        if diagnostic.hint:
            console.print(Text(f"  hint: {diagnostic.hint}", style="cyan"), soft_wrap=True)


def summary_line(diagnostics: Sequence[Diagnostic], files_checked: int) -> str:
    errors = sum(1 for d in diagnostics if d.is_error)
    warnings = len(diagnostics) - errors
    files = len({d.path for d in diagnostics})
    parts = [f"{errors} error{'s' if errors != 1 else ''}"]
    if warnings:
        parts.append(f"{warnings} warning{'s' if warnings != 1 else ''}")
    return (
        f"{', '.join(parts)} in {files} file{'s' if files != 1 else ''} ({files_checked} checked)"
    )


def _agree_value(value: Hashable) -> str:
    from ol_analysis.feedback import agree

    if value is True:
        return "coded"
    if value is False or value == agree.NOT_CODED:
        return "-"
    return str(value)


_UNIT_SHORT = {"case": "case", "case × code (binary)": "code", "case × code (status)": "status"}


def summary_table(report: AgreementReport) -> Table:
    """Per group: its unit, units, percent agreement, kappa, alpha, number of disagreements."""
    from ol_analysis.feedback import agree

    table = Table(
        title=f"Agreement of {report.left} and {report.right}, {len(report.cases)} "
        + ("case" if len(report.cases) == 1 else "cases"),
        title_justify="left",
        caption="unit: case = one unit per case, valued by its code (single groups); "
        "code = case × code (binary), coded or not; status = case × code, valued by the status",
        caption_justify="left",
    )
    table.add_column("group", no_wrap=True)
    table.add_column("unit", no_wrap=True)  # short: the caption spells the units out
    for column in ("units", "agreement", "kappa", "alpha", "differ"):
        table.add_column(column, justify="right", no_wrap=True)
    for g in report.groups:
        table.add_row(
            g.group,
            _UNIT_SHORT.get(g.unit, g.unit),
            str(g.units),
            agree.fmt_number(g.percent_agreement, percent=True),
            agree.fmt_number(g.cohen_kappa),
            agree.fmt_number(g.krippendorff_alpha),
            str(len(g.disagreements)),
        )
    table.add_section()
    table.add_row("overall", "", "", "", "", agree.fmt_number(report.overall_alpha), "")
    return table


def disagreements_table(report: AgreementReport) -> Table | None:
    """Every disagreement, by group and case, for the consensus meeting (None when none)."""
    rows = [d for g in report.groups for d in g.disagreements]
    if not rows:
        return None
    table = Table(title="To discuss", title_justify="left")
    for column in ("case", "code", "left", "right"):
        table.add_column(column)
    for d in sorted(rows, key=lambda d: d.case):
        table.add_row(d.case, d.code, _agree_value(d.left), _agree_value(d.right))
    return table


def status_table(statuses: list[SubgroupStatus]) -> Table:
    """One row per case, grouped by subgroup, with the open comments spelled out."""
    from ol_analysis.feedback import review

    table = Table(title="Review status", title_justify="left")
    for column in ("subgroup", "case", "status", "analysts", "open comments"):
        table.add_column(column, overflow="fold")
    for subgroup in statuses:
        for index, case in enumerate(subgroup.cases):
            comments = "\n".join(
                f"{c.path} ({c.author}, round {c.round}, line {c.line}): {c.text}"
                for c in case.open_comments
            )
            table.add_row(
                (subgroup.subgroup or review.NO_SUBGROUP) if index == 0 else "",
                case.id,
                case.status or review.NO_SUBGROUP,
                ", ".join(case.analysts),
                comments,
            )
        table.add_section()
    return table


def stats_tables(
    framework: Framework, result: dict[str, Any], lang: str, all_codes: bool, width: int = 10_000
) -> list[RenderableType]:
    """A table per part: code, label, n of N and the cases (codes no case has only with
    ``all_codes``), and the values of integer groups per case. Where a table would not fit in
    ``width`` columns, a part is a list instead, wrapped at word boundaries, so that no code id,
    number or case id is ever cut."""
    n_cases = result["n_cases"]
    shown: list[RenderableType] = []
    for part in framework.parts:
        rows = [
            (
                path.removeprefix(f"{part.id}."),
                _label(framework, path, lang),
                f"{entry['n']}/{n_cases}",
                ", ".join(entry["cases"]),
            )
            for path, entry in result["counts"].items()
            if path.startswith(f"{part.id}.") and (all_codes or entry["n"])
        ]
        values = [
            (path.removeprefix(f"{part.id}."), _label(framework, path, lang), per_case)
            for path, per_case in result["values"].items()
            if path.startswith(f"{part.id}.") and per_case
        ]
        if not rows and not values:
            continue
        title = part.label.get(lang)
        borders = 13  # the table's rules and padding around four columns
        natural = borders + sum(max(map(len, column)) for column in zip(*rows, strict=True))
        if not rows or natural <= width:
            table = Table(title=title, title_justify="left", show_lines=False)
            for column in ("code", "label"):
                table.add_column(column)
            table.add_column("n", justify="right")
            table.add_column("cases")
            for row in rows:
                table.add_row(*row)
            shown.append(table)
        else:
            lines = [Text(title, style="bold")]
            lines += [Text(f"  {code} ({label}): {n}: {cases}") for code, label, n, cases in rows]
            shown.append(Group(*lines))
        for code, label, per_case in values:
            listed = ", ".join(f"{case_id} {value}" for case_id, value in per_case.items())
            shown.append(Text(f"  {code} ({label}): {listed}"))
    return shown


def _label(framework: Framework, path: str, lang: str) -> str:
    found = framework.code(path) or framework.group(path)
    return str(found.label.get(lang)) if found else path.rsplit(".", 1)[-1]


STATUS_MARKS = {"supports": "+", "contested": "±", "contradicts": "−", "insufficient": "?"}


def _cell(value: object) -> str:
    if value is True:
        return "✓"
    if value in (False, None):
        return "·"
    return STATUS_MARKS.get(str(value), str(value))


def matrix_table(framework: Framework, result: dict[str, Any], lang: str) -> Table:
    """The case-by-code matrix: a row per code (labelled), a column per case, and the total."""
    owner = framework.vocabulary_owner(result["group"])
    group = framework.group(result["group"])
    vocab = (
        owner.codes
        if owner is not None and owner.codes
        else (group.row_field.codes if group and group.row_field else [])
    )
    labels = {c.id: c.label.get(lang) for c in vocab}
    shown = {str(v) for row in result["cells"].values() for v in row.values()}
    legend = ", ".join(
        f"{mark} {status}" for status, mark in STATUS_MARKS.items() if status in shown
    )
    table = Table(
        title=result["group"],
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        collapse_padding=True,
        caption=legend or None,
        caption_justify="left",
    )
    table.add_column("code", ratio=1, min_width=min(16, max(map(len, labels.values()), default=4)))
    for case_id in result["cases"]:
        table.add_column(case_id, justify="center", no_wrap=True, width=len(case_id))
    table.add_column("total", justify="right", no_wrap=True)
    for row in result["rows"]:
        cells = [_cell(result["cells"][row][c]) for c in result["cases"]]
        table.add_row(labels.get(row, row), *cells, str(result["totals"][row]))
    return table
