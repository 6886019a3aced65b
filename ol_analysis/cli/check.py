"""``validate``, ``status``, ``new`` and ``schema``: reading and checking a study (``privacy`` is
in :mod:`ol_analysis.cli.privacy`)."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ol_analysis.cli.common import (
    CasesOpt,
    FormatOpt,
    FrameworkOpt,
    JsonAliasOpt,
    Lang,
    LangOpt,
    ListStatusOpt,
    OutputFormat,
    TableFormat,
    TableFormatOpt,
    app,
    err,
    handle_errors,
    out,
    print_json,
    status_words,
    wants_json,
    wrote,
)
from ol_analysis.cli.output import (
    adjudication_line,
    as_tsv,
    print_diagnostics,
    status_table,
    summary_line,
)
from ol_analysis.diagnostics import to_json
from ol_analysis.errors import UsageError

if TYPE_CHECKING:
    from ol_analysis.core.study import Case


@app.command()
@handle_errors
def validate(
    files: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="FILES", help="Case files or folders of them (default: all of --cases)."
        ),
    ] = None,
    framework: FrameworkOpt = Path("framework.yaml"),
    cases: CasesOpt = Path("cases"),
    output_format: FormatOpt = OutputFormat.text,
    strict: Annotated[
        bool,
        typer.Option(
            "--strict",
            help="Also review checks: open comments in final cases (error), "
            "comment paths the framework lacks (warning).",
        ),
    ] = False,
) -> None:
    """Check the framework and case files; print every problem at its line and column."""
    from ol_analysis.core.study import case_files, check_study

    # a folder among the files stands for its case files, as with --cases
    listed = [
        f for given in files or [] for f in (case_files(given) if given.is_dir() else [given])
    ]
    check = check_study(
        framework, listed if files else None, cases, keep_cases=False, strict=strict
    )
    if check.framework is not None and check.files_checked == 0:
        where = ", ".join(str(f) for f in files) if files else str(cases)
        err.print(f"warning: no case files (*.yaml) in {where}", markup=False, soft_wrap=True)
    if output_format is OutputFormat.json:
        sys.stdout.write(to_json(check.diagnostics) + "\n")
    elif check.diagnostics:
        print_diagnostics(err, check.diagnostics)
        err.print(summary_line(check.diagnostics, check.files_checked), style="bold")
        drafts = [f.case_id or f.path for f in check.files if f.is_draft and f.errors]
        if drafts and not strict:
            err.print(
                f"the problems of drafts ({', '.join(drafts)}) are warnings; "
                "--strict makes them errors",
                markup=False,
                soft_wrap=True,
            )
    raise typer.Exit(0 if check.ok else 1)


@app.command()
@handle_errors
def status(
    framework: FrameworkOpt = Path("framework.yaml"),
    cases: CasesOpt = Path("cases"),
    output_format: TableFormatOpt = TableFormat.text,
    json_alias: JsonAliasOpt = False,
    status: ListStatusOpt = None,
) -> None:
    """Per subgroup: every case file (invalid ones with their error count), its review status
    and open comments. Exit 1 when a case that is not a draft has errors."""
    from ol_analysis.core.study import EVERY_STATUS, check_study, status_selection
    from ol_analysis.feedback.adjudicate import adjudication_status
    from ol_analysis.feedback.review import review_status, status_json

    chosen = status_selection(status_words(status)) if status else EVERY_STATUS
    check = check_study(framework, None, cases)
    invalid = [f for f in check.files if f.errors and f.status in chosen]
    valid = [c for c in check.cases.values() if _status_of(c) in chosen]
    statuses = review_status(valid, invalid)
    adjudication = adjudication_status(str(framework))  # None without a log
    if wants_json(output_format, json_alias):
        data = status_json(statuses)
        if adjudication is not None:
            data["adjudication"] = adjudication.as_json()
        print_json(data)
    elif output_format is TableFormat.tsv:
        typer.echo(as_tsv([status_table(statuses)], fill_down=True), nl=False)
    else:
        out.print(status_table(statuses))
        if adjudication is not None:
            out.print(adjudication_line(adjudication))
    if check.diagnostics:
        print_diagnostics(err, check.diagnostics)
    if not check.ok:
        err.print("run 'ol-analysis validate' and fix the errors listed above", style="bold")
        raise typer.Exit(1)


def _status_of(case: Case) -> str | None:
    return case.analysis.status if case.analysis is not None else None


@app.command()
@handle_errors
def new(
    case_id: Annotated[str, typer.Argument(metavar="ID", help="The new case's id, e.g. c12.")],
    title: Annotated[str, typer.Option("--title", help="The case's title.")],
    framework: FrameworkOpt = Path("framework.yaml"),
    cases: CasesOpt = Path("cases"),
    lang: LangOpt = Lang.nl,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a scaffold cases/ID.yaml with every part and hints from the codebook."""
    from ol_analysis.core.framework import load_framework
    from ol_analysis.core.scaffold import scaffold, valid_case_id
    from ol_analysis.safe_write import ensure_folder, write_text_atomic

    if not valid_case_id(case_id):
        raise UsageError(
            f"'{case_id}' is not a valid case id: use lower-case letters, digits, '-' and '_'"
        )
    loaded = load_framework(framework, str(framework))
    target = cases / f"{case_id}.yaml"
    if target.exists() and not force:
        raise UsageError(f"{target} already exists (use --force to overwrite)")
    ensure_folder(cases, "cases folder")
    write_text_atomic(target, scaffold(loaded, case_id, title, lang=lang.value))
    wrote(target)


class SchemaFor(StrEnum):
    case = "case"
    study = "study"


@app.command()
@handle_errors
def schema(
    framework: FrameworkOpt = Path("framework.yaml"),
    out_file: Annotated[Path | None, typer.Option("--out", help="Write to FILE.")] = None,
    document: Annotated[
        SchemaFor,
        typer.Option("--for", help="The schema of a case file, or of study.yaml."),
    ] = SchemaFor.case,
) -> None:
    """Print the JSON Schema (draft-07) of a case file or study.yaml, for editor autocompletion."""
    from ol_analysis.core.framework import load_framework
    from ol_analysis.core.schema import schema_text
    from ol_analysis.safe_write import write_text_atomic

    text = schema_text(load_framework(framework, str(framework)), document.value)
    if out_file is None:
        sys.stdout.write(text)
        return
    write_text_atomic(out_file, text)
    wrote(out_file)
