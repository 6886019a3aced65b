"""``stats`` and ``matrix``: counting across the cases."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ol_analysis.cli.common import (
    CasesOpt,
    FrameworkOpt,
    IncludeDraftsOpt,
    JsonAliasOpt,
    Lang,
    LangOpt,
    StatusOpt,
    TableFormat,
    TableFormatOpt,
    app,
    handle_errors,
    load,
    out,
    print_json,
    wants_json,
)
from ol_analysis.cli.output import as_tsv, matrix_table, stats_tables


@app.command()
@handle_errors
def stats(
    framework: FrameworkOpt = Path("framework.yaml"),
    cases: CasesOpt = Path("cases"),
    lang: LangOpt = Lang.nl,
    output_format: TableFormatOpt = TableFormat.text,
    json_alias: JsonAliasOpt = False,
    all_codes: Annotated[bool, typer.Option("--all", help="Also list codes no case has.")] = False,
    status: StatusOpt = None,
    include_drafts: IncludeDraftsOpt = False,
) -> None:
    """Theme counts per code across the cases, with the cases behind each count."""
    from ol_analysis.analysis.aggregate import stats as compute_stats

    study = load(framework, cases, status, include_drafts)
    result = compute_stats(study)
    if wants_json(output_format, json_alias):
        print_json(result.as_json())
        return
    if output_format is TableFormat.tsv:
        wide = stats_tables(study.framework, result.as_json(), lang.value, all_codes)
        typer.echo(as_tsv(wide), nl=False)
        return
    tables = stats_tables(study.framework, result.as_json(), lang.value, all_codes, out.width)
    for table in tables:
        out.print(table)


@app.command()
@handle_errors
def matrix(
    group: Annotated[
        str | None,
        typer.Argument(
            metavar="GROUP",
            help="Dotted group path, e.g. course_outcome.outcomes "
            "(default: the framework's if_then role).",
        ),
    ] = None,
    framework: FrameworkOpt = Path("framework.yaml"),
    cases: CasesOpt = Path("cases"),
    lang: LangOpt = Lang.nl,
    order_by: Annotated[
        str | None,
        typer.Option("--order-by", metavar="DOTTED.PATH", help="Order cases by a group or code."),
    ] = None,
    output_format: TableFormatOpt = TableFormat.text,
    json_alias: JsonAliasOpt = False,
    status: StatusOpt = None,
    include_drafts: IncludeDraftsOpt = False,
) -> None:
    """The case-by-code matrix of a group (default: the framework's if…then matrix)."""
    from ol_analysis.analysis.aggregate import matrix as compute_matrix

    study = load(framework, cases, status, include_drafts)
    result = compute_matrix(study, group, order_by)
    if wants_json(output_format, json_alias):
        print_json(result.as_json())
        return
    table = matrix_table(study.framework, result.as_json(), lang.value)
    if output_format is TableFormat.tsv:
        typer.echo(as_tsv([table]), nl=False)
        return
    out.print(table)
