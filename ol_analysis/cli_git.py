"""``ol-analysis fmt``, ``diff`` and ``git-setup``: case files in a git workflow.

Registered on the main app by importing this module at the end of :mod:`ol_analysis.cli`; the
work is done by :mod:`ol_analysis.fmt`, :mod:`ol_analysis.diff` and :mod:`ol_analysis.gitio`.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from ol_analysis.cli import CasesOpt, FrameworkOpt, Lang, LangOpt, _fail, _print_json, app, err, out
from ol_analysis.errors import OlAnalysisError, UsageError
from ol_analysis.reporting import print_diagnostics

_SIGN = {"added": ("+", "green"), "removed": ("-", "red"), "changed": ("~", "yellow")}


@app.command()
def fmt(
    files: Annotated[list[Path] | None, typer.Argument(help="Case files (default: all).")] = None,
    check: Annotated[
        bool, typer.Option("--check", help="Write nothing; exit 1 if a file would change.")
    ] = False,
    framework: FrameworkOpt = Path("framework.yaml"),
    cases: CasesOpt = Path("cases"),
) -> None:
    """Rewrite case files in canonical form (key order, quoting, indentation), keeping comments."""
    from ol_analysis.fmt import format_files
    from ol_analysis.study import case_files

    try:
        run = format_files(framework, files or case_files(cases), write=not check)
    except OlAnalysisError as error:
        _fail(error)
    print_diagnostics(err, run.diagnostics)
    for path in run.changed:
        err.print(f"would reformat {path}" if check else f"reformatted {path}", markup=False)
    raise typer.Exit(1 if run.diagnostics or (check and run.changed) else 0)


def _version(spec: str) -> tuple[str, str]:
    from ol_analysis.gitio import is_revision_spec, read_revision

    if is_revision_spec(spec):
        return spec, read_revision(spec)
    path = Path(spec)
    if not path.is_file():
        raise UsageError(f"no such file: {spec}")
    try:
        return spec, path.read_bytes().decode("utf-8").removeprefix("\ufeff")
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"cannot read {spec}: {error}") from None


@app.command()
def diff(
    old: Annotated[str, typer.Argument(metavar="OLD", help="A case file or REV:PATH.")],
    new: Annotated[
        str | None, typer.Argument(metavar="NEW", help="A case file or REV:PATH.")
    ] = None,
    framework: FrameworkOpt = Path("framework.yaml"),
    lang: LangOpt = Lang.nl,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
    exit_code: Annotated[
        bool, typer.Option("--exit-code", help="Exit 1 when there are differences (as git).")
    ] = False,
    textconv: Annotated[
        bool,
        typer.Option("--textconv", help="Print OLD as stable lines, for git's diff driver."),
    ] = False,
) -> None:
    """Semantic diff of two versions of a case: codes, records and evidence by identity."""
    from ol_analysis.casemodel import CaseModels
    from ol_analysis.diff import by_part, case_from_text, diff_cases
    from ol_analysis.framework import load_framework

    if textconv:
        _textconv(old, framework)
        return
    if new is None:
        _fail(UsageError("diff needs OLD and NEW (or --textconv FILE)"))
    try:
        models = CaseModels(load_framework(framework, str(framework)))
        old_name, old_text = _version(old)
        new_name, new_text = _version(new)
        before = case_from_text(models, old_text, old_name)
        after = case_from_text(models, new_text, new_name)
    except OlAnalysisError as error:
        _fail(error)
    changes = diff_cases(models.framework, before, after, lang.value)
    if as_json:
        _print_json([change.as_json() for change in changes])
    elif changes:
        out.print(Text(f"--- {old}\n+++ {new}", style="bold"))
        for heading, selected in by_part(models.framework, changes, lang.value):
            out.print(Text(heading, style="bold"))
            for change in selected:
                sign, style = _SIGN[change.change]
                if change.change == "changed":
                    detail = f"{change.shown_old} → {change.shown_new}"
                else:
                    detail = change.shown_new or change.shown_old
                line = f"  {sign} {change.where}" + (f": {detail}" if detail else "")
                out.print(Text(line, style=style), soft_wrap=True)
    raise typer.Exit(1 if exit_code and changes else 0)


def _textconv(file: str, framework: Path) -> None:
    """What git shows for a version of a case; the raw text when it cannot be read as a case.

    git passes temporary files and fails the whole diff when a driver fails, so a file that
    does not validate (work in progress) is shown as it is, under a one-line notice.
    """
    from ol_analysis.casemodel import CaseModels
    from ol_analysis.diff import case_from_text
    from ol_analysis.framework import load_framework
    from ol_analysis.gitio import render_case

    try:
        text = Path(file).read_bytes().decode("utf-8", errors="replace")
    except OSError as error:
        _fail(UsageError(f"cannot read {file}: {error.strerror or error}"))
    try:
        models = CaseModels(load_framework(framework, str(framework)))
        rendered = render_case(models.framework, case_from_text(models, text, file))
    except OlAnalysisError:
        rendered = "# ol-analysis: not a valid case file; the text as it is:\n" + text
    sys.stdout.write(rendered)


@app.command("git-setup")
def git_setup(
    framework: FrameworkOpt = Path("framework.yaml"),
    cases: CasesOpt = Path("cases"),
) -> None:
    """Make `git diff` show case files semantically (.gitattributes and local git config)."""
    from ol_analysis.gitio import git_setup as setup

    try:
        result = setup(Path("."), framework, cases)
    except OlAnalysisError as error:
        _fail(error)
    if result.attributes_changed:
        err.print(f"updated {result.attributes}", markup=False)
    err.print(f"git config diff.ol-analysis.textconv '{result.textconv}'", markup=False)
