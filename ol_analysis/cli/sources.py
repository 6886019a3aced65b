"""``sources``: the study's source documents, their coded passages and how much is coded."""

from __future__ import annotations

from pathlib import Path

from ol_analysis.cli.common import (
    CasesOpt,
    FormatOpt,
    FrameworkOpt,
    OutputFormat,
    app,
    handle_errors,
    load,
    out,
    print_json,
)
from ol_analysis.cli.output import sources_tables


@app.command()
@handle_errors
def sources(
    framework: FrameworkOpt = Path("framework.yaml"),
    cases: CasesOpt = Path("cases"),
    output_format: FormatOpt = OutputFormat.text,
) -> None:
    """Per source document: its coded passages, their codes, the share of the text coded;
    then the uncoded documents."""
    from ol_analysis.analysis.sources import coverage

    study = load(framework, cases)
    result = coverage(study).as_json(study.sources)
    if output_format is OutputFormat.json:
        print_json(result)
        return
    for shown in sources_tables(result):
        out.print(shown)
