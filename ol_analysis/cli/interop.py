"""``ol-analysis export …`` and ``ol-analysis import …``: the study in other tools' formats.

The work is done by :mod:`ol_analysis.interop.refi` and :mod:`ol_analysis.interop.tables`.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from ol_analysis.cli.common import (
    CasesOpt,
    FormatOpt,
    FrameworkOpt,
    Lang,
    LangOpt,
    OutputFormat,
    app,
    err,
    fail_with,
    handle_errors,
    load,
    wrote,
)
from ol_analysis.errors import StudyError, UsageError
from ol_analysis.safe_write import write_bytes_atomic, write_text_atomic

export_app = typer.Typer(
    help="Write the study for other tools: REFI-QDA, CSV, SQLite, GraphML.",
    no_args_is_help=True,
)
import_app = typer.Typer(
    help="Read a REFI-QDA codebook or project into a framework or a study folder.",
    no_args_is_help=True,
)


class Graph(StrEnum):
    support = "support"
    partners = "partners"
    cooccurrence = "cooccurrence"


def _out(what: str, default: str | None = None) -> object:
    """``--out``; ``default`` is named only where typer cannot show it (a default of None)."""
    return typer.Option("--out", help=f"{what} (default {default})." if default else f"{what}.")


@export_app.command("codebook")
@handle_errors
def export_codebook(
    out: Annotated[Path, _out("The .qdc file")] = Path("build/codebook.qdc"),
    framework: FrameworkOpt = Path("framework.yaml"),
    lang: LangOpt = Lang.nl,
) -> None:
    """The framework as a REFI-QDA codebook (.qdc) for ATLAS.ti, MAXQDA, NVivo, QualCoder."""
    from ol_analysis.core.framework import load_framework
    from ol_analysis.interop.refi.export import export_codebook as build

    data = build(load_framework(framework, str(framework)), lang.value)
    write_bytes_atomic(out, data)
    wrote(out)


@export_app.command("refi")
@handle_errors
def export_refi(
    out: Annotated[Path, _out("The .qdpx file")] = Path("build/study.qdpx"),
    framework: FrameworkOpt = Path("framework.yaml"),
    cases: CasesOpt = Path("cases"),
    lang: LangOpt = Lang.nl,
) -> None:
    """The study as a REFI-QDA project (.qdpx): codebook, cases, variables, coded texts, notes
    (drafts included: the project is a copy of the study, not a count)."""
    from ol_analysis.interop.refi.export import export_project

    data = export_project(load(framework, cases, include_drafts=True), lang.value)
    write_bytes_atomic(out, data)
    wrote(out)


@export_app.command("graphml")
@handle_errors
def export_graphml(
    out: Annotated[Path | None, _out("The .graphml file", "build/GRAPH.graphml")] = None,
    graph: Annotated[Graph, typer.Option("--graph", help="Which network.")] = Graph.support,
    framework: FrameworkOpt = Path("framework.yaml"),
    cases: CasesOpt = Path("cases"),
    lang: LangOpt = Lang.nl,
) -> None:
    """A network for Gephi or Cytoscape: support networks, case × partners, co-occurrence."""
    from ol_analysis.interop.tables import export_graphml as write

    target = out or Path("build") / f"{graph.value}.graphml"
    write(load(framework, cases), target, graph.value, lang.value)
    wrote(target)


@export_app.command("csv")
@handle_errors
def export_csv(
    out: Annotated[Path, _out("Folder for matrix.csv and codings.csv")] = Path("build/csv"),
    bom: Annotated[
        bool, typer.Option("--bom", help="Start with a UTF-8 byte-order mark (for Excel).")
    ] = False,
    delimiter: Annotated[
        str,
        typer.Option(
            "--delimiter",
            metavar="CHAR",
            help="',' (default), ';' for Dutch Excel, or 'tab'.",
        ),
    ] = ",",
    framework: FrameworkOpt = Path("framework.yaml"),
    cases: CasesOpt = Path("cases"),
) -> None:
    """The case × code matrix (0/1) and the long table of codings, for R, SPSS and Excel."""
    from ol_analysis.interop.tables import export_csv as write

    written = write(
        load(framework, cases), out, bom=bom, delimiter="\t" if delimiter == "tab" else delimiter
    )
    for path in written:
        wrote(path)


@export_app.command("sqlite")
@handle_errors
def export_sqlite(
    out: Annotated[Path, _out("The database file")] = Path("build/study.db"),
    framework: FrameworkOpt = Path("framework.yaml"),
    cases: CasesOpt = Path("cases"),
) -> None:
    """The study as a SQLite database with foreign keys, to browse and query."""
    from ol_analysis.interop.tables import export_sqlite as write

    write(load(framework, cases), out)
    wrote(out)


@import_app.command("codebook")
@handle_errors
def import_codebook(
    file: Annotated[Path, typer.Argument(metavar="FILE.qdc", help="A REFI-QDA codebook.")],
    out: Annotated[
        Path | None, typer.Option("--out", help="Write framework.yaml here (default: stdout).")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """A framework.yaml skeleton from a codebook made in another tool (review its TODOs)."""
    from ol_analysis.interop.refi.codebook import framework_yaml
    from ol_analysis.interop.refi.codebook import import_codebook as read

    text = framework_yaml(read(file), file.name)
    if out is None:
        sys.stdout.write(text)
        return
    if out.exists() and not force:
        raise UsageError(f"{out} already exists (use --force to overwrite)")
    write_text_atomic(out, text)
    wrote(out)


@import_app.command("refi")
@handle_errors
def import_refi(
    file: Annotated[Path, typer.Argument(metavar="FILE.qdpx", help="A REFI-QDA project.")],
    out: Annotated[Path, typer.Option("--out", help="The new study folder.")],
    force: Annotated[bool, typer.Option("--force", help="Overwrite a study there.")] = False,
    accept_losses: Annotated[
        bool,
        typer.Option(
            "--accept-losses",
            help="Import even when something of the project cannot be brought back (the loss "
            "report is then printed as warnings).",
        ),
    ] = False,
    output_format: FormatOpt = OutputFormat.text,
) -> None:
    """A study folder (framework.yaml + cases/) from a REFI-QDA project; then validates it.

    Exits 1 with a loss report (rule refi-loss) when the study would lack something the
    project holds, and writes nothing, unless --accept-losses is given. --format json prints
    the loss report on stdout as a JSON list of diagnostics (empty when nothing is lost)."""
    from ol_analysis.cli.output import print_diagnostics
    from ol_analysis.core.study import load_study
    from ol_analysis.diagnostics import to_json
    from ol_analysis.interop.refi.project import import_project

    as_json = output_format is OutputFormat.json
    try:
        result = import_project(file, out, force=force, accept_losses=accept_losses)
    except StudyError as error:
        if not as_json:
            raise
        sys.stdout.write(to_json(error.diagnostics) + "\n")
        raise typer.Exit(1) from None
    if as_json:
        sys.stdout.write(to_json(result.losses) + "\n")
    else:
        print_diagnostics(err, result.losses)
    for notice in result.notices:
        err.print(f"note: {notice}", markup=False)
    try:
        load_study(out)
    except StudyError as error:
        err.print(f"the imported study in {out} does not validate:", markup=False)
        raise fail_with(error) from None
    cases = sum(1 for path in result.written if path.parent.name == "cases")
    memos = sum(1 for path in result.written if path.parent.name == "memos")
    what = f"{cases} case file(s)"
    what = f"framework.yaml, {what} and {memos} memo(s)" if memos else f"framework.yaml and {what}"
    how = "its own files, checked" if result.carried else "rebuilt from the REFI-QDA elements"
    err.print(f"wrote {out}: {what} ({how})", markup=False)


app.add_typer(export_app, name="export")
app.add_typer(import_app, name="import")
