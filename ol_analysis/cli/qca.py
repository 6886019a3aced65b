"""``qca``: crisp-set Qualitative Comparative Analysis of the coded cases."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from ol_analysis.cli.common import (
    CasesOpt,
    FrameworkOpt,
    Lang,
    LangOpt,
    TemplatesOpt,
    app,
    handle_errors,
    load,
    out,
    print_json,
)
from ol_analysis.cli.output import qca_renderables


class QcaFormat(StrEnum):
    text = "text"
    json = "json"
    md = "md"


@app.command()
@handle_errors
def qca(
    outcome: Annotated[
        str | None,
        typer.Option(
            "--outcome",
            metavar="NAME_OR_PATH",
            help="An outcome of the framework's qca block (~NAME for its negation), or a code "
            "or bool path (default: qca.defaults.outcome).",
        ),
    ] = None,
    conditions: Annotated[
        str | None,
        typer.Option(
            "--conditions",
            metavar="A,B,…",
            help="Conditions of the qca block, code or bool paths, or INTEGER_PATH>=N / <=N, "
            "comma-separated (default: qca.defaults.conditions).",
        ),
    ] = None,
    cutoff: Annotated[
        float,
        typer.Option(
            "--cutoff",
            help="Consistency a configuration needs to count as showing the outcome.",
        ),
    ] = 1.0,
    leave_one_out: Annotated[
        bool,
        typer.Option(
            "--leave-one-out/--no-leave-one-out",
            help="Repeat the analysis without each case to find terms resting on one case.",
        ),
    ] = True,
    framework: FrameworkOpt = Path("framework.yaml"),
    cases: CasesOpt = Path("cases"),
    templates: TemplatesOpt = Path("templates"),
    lang: LangOpt = Lang.nl,
    output_format: Annotated[
        QcaFormat,
        typer.Option("--format", help="text, json, or md (the report section)."),
    ] = QcaFormat.text,
) -> None:
    """Which combinations of conditions go with the outcome: truth table, contradictions with
    their quotes, remainders, conservative and parsimonious solutions, necessity, and a
    leave-one-case-out check of each solution term."""
    from ol_analysis.analysis.qca import qca as compute_qca

    study = load(framework, cases)
    names = [n.strip() for n in conditions.split(",") if n.strip()] if conditions else None
    result = compute_qca(study, outcome, names, cutoff, leave_one_out=leave_one_out)
    data = result.as_json(lang.value)
    if output_format is QcaFormat.json:
        print_json(data)
    elif output_format is QcaFormat.md:
        from ol_analysis.report.qca import qca_markdown

        sys.stdout.write(qca_markdown(data, lang.value, templates))  # never wrapped by rich
    else:
        for renderable in qca_renderables(data):
            out.print(renderable)
