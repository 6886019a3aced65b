"""Everything the CLI shows in a terminal, in one place: diagnostics, summary lines and the
tables of ``stats``, ``matrix``, ``status`` and ``agree``. Library modules return data; this
module turns it into rich renderables."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
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


def _plain(cell: Any) -> str:
    text = cell.plain if isinstance(cell, Text) else Text.from_markup(str(cell)).plain
    return " ".join(text.replace("\t", " ").split())


def as_tsv(renderables: Iterable[RenderableType], *, fill_down: bool = False) -> str:
    """The tables among ``renderables`` as tab-separated text, for scripts and spreadsheets:
    a header line and one line per row each, a blank line between tables; styles, box
    drawing and line breaks inside a cell dropped. ``fill_down`` repeats a first column that
    the terminal table leaves blank under its first row (a subgroup over its cases)."""
    blocks = []
    for table in renderables:
        if not isinstance(table, Table):
            continue
        columns = [[_plain(cell) for cell in column.cells] for column in table.columns]
        if fill_down and columns:
            for row in range(1, table.row_count):
                columns[0][row] = columns[0][row] or columns[0][row - 1]
        rows = [[_plain(column.header) for column in table.columns]]
        rows += [[cells[row] for cells in columns] for row in range(table.row_count)]
        blocks.append("\n".join("\t".join(row) for row in rows))
    return "\n\n".join(blocks) + "\n" if blocks else ""


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


def _coders(report: AgreementReport) -> str:
    from ol_analysis.feedback.agree import coder_name

    names = [coder_name(source) for source in report.coders]
    return ", ".join(names[:-1]) + f" and {names[-1]}"


def summary_table(report: AgreementReport) -> Table:
    """Per group: its unit, units, percent agreement, kappa, alpha (with its bootstrap interval
    when there is one), number of disagreements."""
    from ol_analysis.feedback import agree

    kappa = "kappa" if len(report.coders) == 2 else "Fleiss kappa"
    ci = f"{report.confidence:.0%} CI" if report.bootstrap else None
    table = Table(
        title=f"Agreement of {_coders(report)}, {len(report.cases)} "
        + ("case" if len(report.cases) == 1 else "cases"),
        title_justify="left",
        caption="unit: case = one unit per case, valued by its code (single groups); "
        "code = case × code (binary), coded or not; status = case × code, valued by the status"
        + (
            f"; CI: percentile bootstrap of alpha, {report.bootstrap} resamples of the units"
            if ci
            else ""
        ),
        caption_justify="left",
    )
    table.add_column("group", no_wrap=True)
    table.add_column("unit", no_wrap=True)  # short: the caption spells the units out
    for column in ("units", "agreement", kappa, "alpha", *([ci] if ci else []), "differ"):
        table.add_column(column, justify="right", no_wrap=True)
    for g in report.groups:
        table.add_row(
            g.group,
            _UNIT_SHORT.get(g.unit, g.unit),
            str(g.units),
            agree.fmt_number(g.percent_agreement, percent=True),
            agree.fmt_number(g.cohen_kappa),
            agree.fmt_number(g.krippendorff_alpha),
            *([agree.fmt_interval(g.alpha_ci)] if ci else []),
            str(len(g.disagreements)),
        )
    table.add_section()
    overall = report.overall()
    table.add_row(
        "overall",
        "",
        str(overall.units),
        agree.fmt_number(overall.percent_agreement, percent=True),
        "",
        agree.fmt_number(overall.krippendorff_alpha),
        *([agree.fmt_interval(overall.alpha_ci)] if ci else []),
        str(overall.disagreements),
    )
    return table


def breakdown_table(report: AgreementReport, by: str) -> Table:
    """Per part or per case: units, percent agreement, alpha (and its interval), differ."""
    from ol_analysis.feedback import agree

    summaries = report.per_part() if by == "part" else report.per_case()
    ci = by == "part" and report.bootstrap
    table = Table(title=f"Agreement per {by}", title_justify="left")
    table.add_column(by, no_wrap=True)
    for column in ("units", "agreement", "alpha", *(["CI"] if ci else []), "differ"):
        table.add_column(column, justify="right", no_wrap=True)
    for s in summaries:
        table.add_row(
            s.name,
            str(s.units),
            agree.fmt_number(s.percent_agreement, percent=True),
            agree.fmt_number(s.krippendorff_alpha),
            *([agree.fmt_interval(s.alpha_ci)] if ci else []),
            str(s.disagreements),
        )
    return table


def disagreements_table(report: AgreementReport) -> Table | None:
    """Every disagreement, by group and case, for the consensus meeting (None when none)."""
    from ol_analysis.feedback.agree import coder_name

    rows = [d for g in report.groups for d in g.disagreements]
    if not rows:
        return None
    table = Table(title="To discuss", title_justify="left")
    coders = report.coders
    headings = ["left", "right"] if len(coders) == 2 else [coder_name(c) for c in coders]
    for column in ("case", "code", *headings):
        table.add_column(column)
    for d in sorted(rows, key=lambda d: d.case):
        table.add_row(d.case, d.code, *(_agree_value(v) for v in d.all_values))
    return table


def agreement_tables(report: AgreementReport) -> list[Table]:
    """What ``agree`` prints: per group, per part, per case, then the disagreements."""
    tables = [
        summary_table(report),
        breakdown_table(report, "part"),
        breakdown_table(report, "case"),
    ]
    disagreements = disagreements_table(report)
    return [*tables, disagreements] if disagreements is not None else tables


def _log_value(value: Hashable) -> str:
    if value is None:
        return "-"
    return "coded" if value is True else "-" if value is False else str(value)


def open_table(items: Sequence[Any], coders: Sequence[str]) -> Table:
    """``adjudicate --list``: the disagreements the adjudication log leaves open."""
    from ol_analysis.feedback.agree import coder_name

    table = Table(title=f"Open disagreements: {len(items)}", title_justify="left")
    for column in ("case", "unit", *(coder_name(c) for c in coders), "note"):
        table.add_column(column)
    for item in items:
        note = f"decided in round {item.outdated.round} on other codings" if item.outdated else ""
        table.add_row(item.case, item.unit, *(_log_value(v) for v in item.codings.values()), note)
    return table


def open_item(item: Any, index: int, total: int) -> Text:
    """One open disagreement as ``adjudicate`` asks about it: its codings, numbered."""
    text = Text(f"[{index}/{total}] {item.case} {item.unit}\n", style="bold")
    for number, value in enumerate(dict.fromkeys(item.codings.values()), start=1):
        who = ", ".join(c for c, v in item.codings.items() if v == value)
        text.append(f"  {number}. {_log_value(value)}  ({who})\n", style="")
    return text


def adjudication_line(status: Any) -> Text:
    """``status``'s line on the adjudication: open disagreements of the log's latest round."""
    head = f"Adjudication, round {status.round} ({', '.join(status.coders)}): "
    if status.open is None:
        return Text(head + f"cannot compare the codings again: {status.problem}", style="yellow")
    total = status.open + status.decisions
    return Text(
        head + f"{status.open} of {total} disagreements open, {status.decisions} decided",
        style="bold" if status.open else "green",
    )


def status_table(statuses: list[SubgroupStatus]) -> Table:
    """One row per case, grouped by subgroup, with the open comments spelled out; an
    ``errors`` column when a listed case file is invalid."""
    from ol_analysis.feedback import review

    with_errors = any(case.errors for subgroup in statuses for case in subgroup.cases)
    table = Table(title="Review status", title_justify="left")
    columns = ("subgroup", "case", "status", "analysts", "open comments")
    for column in (*columns, "errors") if with_errors else columns:
        table.add_column(column, overflow="fold")
    for subgroup in statuses:
        for index, case in enumerate(subgroup.cases):
            comments = "\n".join(
                f"{c.path} ({c.author}, round {c.round}, line {c.line}): {c.text}"
                for c in case.open_comments
            )
            row = [
                (subgroup.subgroup or review.NO_SUBGROUP) if index == 0 else "",
                case.id,
                case.status or review.NO_SUBGROUP,
                ", ".join(case.analysts),
                comments,
            ]
            table.add_row(*row, *([str(case.errors) if case.errors else ""] if with_errors else []))
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


# --- qca ----------------------------------------------------------------------------------------


def _share(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def _config_text(configuration: dict[str, int]) -> str:
    """A configuration as a term: ``A*~B*C``."""
    return "*".join(name if value else f"~{name}" for name, value in configuration.items())


def qca_renderables(result: dict[str, Any]) -> list[RenderableType]:
    """What ``qca`` prints, from :meth:`ol_analysis.analysis.qca.QcaResult.as_json`: the sets
    and their calibration, the truth table, contradictions with quotes, remainders, both
    solutions with their fit and leave-one-case-out dependence, and necessity."""
    shown: list[RenderableType] = [_qca_sets_table(result)]
    if result["excluded"]:
        left = "; ".join(f"{case}: {why}" for case, why in result["excluded"].items())
        shown.append(Text(f"Not in the truth table: {left}"))
    shown.append(_qca_truth_table(result))
    shown.append(_qca_contradictions(result))
    remainders = result["remainders"]
    listed = ", ".join(_config_text(r) for r in remainders) if remainders else "none"
    shown.append(Text(f"Logical remainders ({len(remainders)}): {listed}"))
    for kind in ("conservative", "parsimonious"):
        shown.extend(_qca_solution_tables(result, kind))
    shown.append(_qca_necessity_table(result))
    return shown


def _qca_sets_table(result: dict[str, Any]) -> Table:
    outcome = result["outcome"]
    table = Table(
        title=f"QCA of {outcome['name']} over {len(result['cases'])} cases "
        f"(consistency cut-off {result['cutoff']:g})",
        title_justify="left",
    )
    for column in ("set", "role", "calibration", "label", "rationale"):
        table.add_column(column, overflow="fold")
    for role, item in [("outcome", outcome), *(("condition", c) for c in result["conditions"])]:
        table.add_row(item["name"], role, item["calibration"], item["label"], item["rationale"])
    return table


def _qca_truth_table(result: dict[str, Any]) -> Table:
    names = [c["id"] for c in result["conditions"]]
    table = Table(
        title="Truth table",
        title_justify="left",
        caption="OUT: 1 when the consistency reaches the cut-off; C: contradictory configuration",
        caption_justify="left",
    )
    for name in names:
        table.add_column(name, justify="center", no_wrap=True)
    for column in ("OUT", "n", "consistency"):
        table.add_column(column, justify="right", no_wrap=True)
    table.add_column("cases (with the outcome)", overflow="fold")
    for row in result["truth_table"]:
        cases = ", ".join(row["cases"])
        positive = ", ".join(row["positive"]) or "none"
        table.add_row(
            *(str(row["configuration"][n]) for n in names),
            f"{row['outcome']}{' C' if row['contradictory'] else ''}",
            str(row["n"]),
            _share(row["consistency"]),
            f"{cases} ({positive})",
        )
    return table


def _qca_contradictions(result: dict[str, Any]) -> RenderableType:
    if not result["contradictions"]:
        return Text("Contradictory configurations: none")
    lines = [Text("Contradictory configurations", style="bold")]
    for item in result["contradictions"]:
        lines.append(Text(f"  {_config_text(item['configuration'])}"))
        for case in item["cases"]:
            mark = "with" if case["outcome"] else "without"
            lines.append(Text(f"    {case['id']} ({mark} the outcome)"))
            for quote in case["quotes"]:
                who = f", {quote['speaker']}" if quote["speaker"] else ""
                lines.append(Text(f"      [{quote['set']}{who}] “{quote['quote']}”"))
    return Group(*lines)


def _qca_solution_tables(result: dict[str, Any], kind: str) -> list[RenderableType]:
    models = result["solutions"][kind]
    if not models:
        return [Text(f"{kind.capitalize()} solution: none (no configuration shows the outcome)")]
    shown: list[RenderableType] = []
    for index, model in enumerate(models, start=1):
        name = f" M{index}" if len(models) > 1 else ""
        table = Table(
            title=f"{kind.capitalize()} solution{name}: {model['expression']} → "
            f"{result['outcome']['name']}",
            title_justify="left",
            caption="depends on: cases without which the term is in no model of the solution"
            " (leave one case out)",
            caption_justify="left",
        )
        table.add_column("term")
        for column in ("consistency", "raw cov.", "unique cov."):
            table.add_column(column, justify="right", no_wrap=True)
        table.add_column("cases", overflow="fold")
        table.add_column("depends on", overflow="fold")
        for term in model["terms"]:
            cases = ", ".join(term["cases"])
            if term["inconsistent_cases"]:
                cases += f" (not: {', '.join(term['inconsistent_cases'])})"
            table.add_row(
                term["expression"],
                _share(term["consistency"]),
                _share(term["raw_coverage"]),
                _share(term["unique_coverage"]),
                cases,
                ", ".join(term["depends_on"]) or "–",
            )
        table.add_section()
        table.add_row(
            "solution", _share(model["consistency"]), _share(model["coverage"]), "", "", ""
        )
        shown.append(table)
        if model["remainders_used"]:
            used = ", ".join(_config_text(r) for r in model["remainders_used"])
            shown.append(Text(f"  simplifying assumptions (remainders used): {used}"))
    return shown


def _qca_necessity_table(result: dict[str, Any]) -> Table:
    table = Table(title="Necessity", title_justify="left")
    table.add_column("condition")
    for column in ("consistency", "coverage"):
        table.add_column(column, justify="right", no_wrap=True)
    for item in result["necessity"]:
        table.add_row(item["condition"], _share(item["consistency"]), _share(item["coverage"]))
    return table


def _excerpt(text: str, width: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def sources_tables(result: dict[str, Any]) -> list[RenderableType]:
    """``ol-analysis sources``: one row per document (passages, codes, share coded), then per
    coded document its passages with line:column, case, codes and text, then the uncoded."""
    documents = result["documents"]
    overview = Table(title="Source documents", title_justify="left")
    for column in ("document", "file", "cases", "kind", "date", "passages", "coded"):
        overview.add_column(column, overflow="fold")
    for doc in documents:
        share = "—" if doc["share"] is None else f"{doc['share']:.1%}"
        overview.add_row(
            doc["id"],
            doc["file"] + ("" if doc["present"] else " (absent)"),
            ", ".join(doc["cases"]),
            doc["kind"] or "",
            doc["date"] or "",
            str(len(doc["passages"])),
            share,
        )
    shown: list[RenderableType] = [overview]
    for doc in documents:
        if not doc["passages"]:
            continue
        table = Table(title=f"{doc['id']}: coded passages", title_justify="left")
        for column in ("line:col", "case", "codes", "passage"):
            table.add_column(column, overflow="fold")
        for passage in doc["passages"]:
            table.add_row(
                f"{passage['line']}:{passage['column']}",
                passage["case"],
                "\n".join(passage["codes"]),
                _excerpt(passage.get("text", "")),
            )
        shown.append(table)
    uncoded = result["uncoded"]
    shown.append(Text(f"uncoded documents: {', '.join(uncoded) if uncoded else 'none'}"))
    if not result["verified"]:
        shown.append(Text("quotes not verified: the source documents are not there", "yellow"))
    return shown
