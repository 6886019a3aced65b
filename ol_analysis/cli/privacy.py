"""``privacy``: personal data in the study and in everything its build publishes, and the
re-identification audit (``--outputs``); :func:`build_check` is the same check for ``build``."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ol_analysis.cli.common import (
    CasesOpt,
    FormatOpt,
    FrameworkOpt,
    JsonAliasOpt,
    OutOpt,
    OutputFormat,
    app,
    err,
    handle_errors,
    wants_json,
)
from ol_analysis.cli.output import print_diagnostics
from ol_analysis.diagnostics import Diagnostic, has_errors, to_json
from ol_analysis.errors import UsageError

if TYPE_CHECKING:
    from ol_analysis.core.study import Study


class Reidentification(StrEnum):
    """What the build does with re-identification findings nobody accepted."""

    error = "error"
    warning = "warning"
    off = "off"


DenyListOpt = Annotated[
    Path | None,
    typer.Option(
        "--deny-list",
        help="Names to refuse, one per line; keep it outside the repository "
        "(default: $OL_ANALYSIS_DENY_LIST or ~/.config/ol-analysis/deny-list.txt).",
    ),
]
AllowListOpt = Annotated[
    Path | None,
    typer.Option(
        "--allow-list",
        help="Reviewed exceptions: {rule, text, reason}, and accepted audit findings "
        "{rule, attributes|text, accepted_by, reason} (default: privacy-allow.yaml beside the "
        "framework, if there is one).",
    ),
]
KOpt = Annotated[
    int,
    typer.Option(
        "--k", min=1, help="Re-identification audit: a combination must fit at least K cases."
    ),
]


@app.command()
@handle_errors
def privacy(
    files: Annotated[
        list[Path] | None,
        typer.Argument(metavar="FILES", help="Files or folders (default: the study and --out)."),
    ] = None,
    framework: FrameworkOpt = Path("framework.yaml"),
    cases: CasesOpt = Path("cases"),
    out_dir: OutOpt = Path("build"),
    outputs: Annotated[
        bool,
        typer.Option(
            "--outputs",
            help="Scan what the build published (--out, or FILES) and audit it for "
            "re-identification: profile combinations that fit fewer than K cases, rare terms.",
        ),
    ] = False,
    k: KOpt = 2,
    names: Annotated[
        bool,
        typer.Option(
            "--names",
            help="Also find Dutch person names in free text with deduce (the 'names' extra; "
            "slow: it loads its lexicons first).",
        ),
    ] = False,
    deny_list: DenyListOpt = None,
    allow_list: AllowListOpt = None,
    output_format: FormatOpt = OutputFormat.text,
    json_alias: JsonAliasOpt = False,
) -> None:
    """Scan case files, the framework and every output (Markdown, HTML, JSON, CSV, DOCX,
    REFI-QDA, SQLite) for personal data; --outputs also audits re-identification."""
    from ol_analysis.core.study import load_study, study_text_files
    from ol_analysis.privacy.outputs import (
        OutputCheck,
        check_acceptances,
        check_outputs,
        output_files,
    )
    from ol_analysis.privacy.scan import read_lists

    if names:
        from ol_analysis.privacy.names import AVAILABLE

        if not AVAILABLE:
            raise UsageError(
                "--names needs deduce: pip install 'ol-analysis[names]' (or pip install deduce)"
            )
    lists = read_lists(
        deny_list, allow_list, default_allow_list=framework.parent / "privacy-allow.yaml"
    )
    study = load_study(".", framework=framework, cases=cases) if outputs else None
    if files:
        targets = [
            f for given in files for f in (output_files(given) if given.is_dir() else [given])
        ]
    elif outputs:
        if not out_dir.is_dir():
            raise UsageError(
                f"no build to check: {out_dir} is not a folder (run `ol-analysis build` first, "
                "or name the outputs)"
            )
        targets = output_files(out_dir)
    else:
        targets = study_text_files(framework, cases, Path("/nonexistent-ol-analysis-out"))
        targets += output_files(out_dir) if out_dir.is_dir() else []
    check = OutputCheck(study, lists.deny_names, lists.allowed, lists.accepted, k, names)
    problems = lists.problems + (check_acceptances(lists.accepted, study) if study else [])
    problems += check_outputs(targets, check)
    if wants_json(output_format, json_alias):
        sys.stdout.write(to_json(problems) + "\n")
    else:
        print_diagnostics(err, problems)
    raise typer.Exit(1 if has_errors(problems) else 0)


def build_check(
    study: Study, out_dir: Path, *, k: int, reidentification: str
) -> Callable[[Path], Sequence[Diagnostic]]:
    """The check ``build`` runs on its staging folder before it swaps it in: identifiers are
    errors; the re-identification audit's findings are errors, warnings or left out
    (``reidentification``: ``error``, ``warning``, ``off``). Paths are shown under ``out_dir``."""
    from dataclasses import replace

    from ol_analysis.diagnostics import Severity
    from ol_analysis.privacy.outputs import (
        AUDIT_RULES,
        OutputCheck,
        check_acceptances,
        check_outputs,
        output_files,
    )
    from ol_analysis.privacy.scan import read_lists

    lists = read_lists(default_allow_list=study.root / "privacy-allow.yaml")
    audited = study if reidentification != "off" else None
    check = OutputCheck(audited, lists.deny_names, lists.allowed, lists.accepted, k)

    def run(staging: Path) -> Sequence[Diagnostic]:
        found = check_outputs(output_files(staging), check, shown=out_dir, root=staging)
        if reidentification == "warning":
            found = [
                replace(d, severity=Severity.WARNING) if d.rule in AUDIT_RULES else d for d in found
            ]
        return [*lists.problems, *check_acceptances(lists.accepted, study), *found]

    return run
