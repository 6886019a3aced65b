"""What every command shares: the app, the consoles, the common options, and the one place
where library errors become exit codes (:func:`handle_errors`)."""

from __future__ import annotations

import functools
import json
import os
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, ParamSpec, TypeVar

import typer
import typer.core
from rich.console import Console
from rich.text import Text

from ol_analysis.cli.output import print_diagnostics
from ol_analysis.errors import OlAnalysisError, StudyError

if TYPE_CHECKING:
    from ol_analysis.core.study import CaseFile, Study


def _plain_help_types() -> None:
    """Show value types in help as words (``PATH``, ``TEXT``), never as Python types.

    typer 0.2x prints each parameter's Python annotation in help (``FILES <list[Path]>``,
    ``--title <str>``) and gives arguments no way to opt out. This wraps typer's (private)
    ``_TyperParameter.display_type``; where a typer release lacks it, help simply keeps
    typer's own wording.
    """
    parameter = getattr(typer.core, "_TyperParameter", None)
    original = getattr(parameter, "display_type", None)
    if parameter is None or original is None or getattr(original, "plain", False):
        return
    words = {"str": "TEXT", "int": "INTEGER", "float": "NUMBER", "path": "PATH", "Path": "PATH"}

    def display_type(self: Any, ctx: Any) -> str:
        label = str(original(self, ctx)).removeprefix("<").removesuffix(">")
        if label.startswith("list[") and label.endswith("]"):
            label = label[5:-1]
        if label.endswith(" range"):
            label = label.removesuffix(" range")
        if "|" in label:
            return f"[{label}]"
        if isinstance(self, typer.core.TyperArgument):
            return ""
        return words.get(label, label.upper())

    display_type.plain = True  # type: ignore[attr-defined]
    parameter.display_type = display_type


_plain_help_types()

app = typer.Typer(
    name="ol-analysis",
    help="Qualitative multi-case analysis: validate, count and report a coded study.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True, highlight=False)
out = Console(highlight=False, width=None if sys.stdout.isatty() else 10_000)
"""Tables go to stdout; piped into a file or another program they are never cut to 80 columns."""


def _print_version(value: bool) -> None:
    if value:
        from ol_analysis.version import __version__

        sys.stdout.write(f"ol-analysis {__version__}\n")
        raise typer.Exit(0)


@app.callback()
def _main(
    ctx: typer.Context,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_print_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Qualitative multi-case analysis: validate, count and report a coded study."""
    try:
        here = Path.cwd()
    except OSError:  # the working folder was removed: nothing to find from
        return
    root = study_root(here)
    if root is not None and root != here:
        ctx.default_map = _defaults_under(ctx.command, root)


STUDY_MARKER = "framework.yaml"


def study_root(start: Path) -> Path | None:
    """The study folder: ``start`` or the nearest folder above it with a ``framework.yaml``,
    as git finds its repository. The search stops at a git repository's top folder (a
    ``framework.yaml`` above a repository belongs to something else); None when there is none.
    """
    for folder in (start, *start.parents):
        if (folder / STUDY_MARKER).is_file():
            return folder
        if (folder / ".git").exists():
            return None
    return None


def _defaults_under(command: Any, root: Path) -> dict[str, Any]:
    """click's ``default_map`` for every command: each relative path default (``framework.yaml``,
    ``cases``, ``build`` …) taken from ``root``, written relative to the working folder
    (``../cases``), so that a command run below the study folder works as from the folder.
    Options given on the command line still win."""
    defaults: dict[str, Any] = {}
    for param in command.params:
        default = param.default
        if isinstance(default, Path) and not default.is_absolute() and param.name:
            defaults[param.name] = Path(os.path.relpath(root / default))
    for name, sub in getattr(command, "commands", {}).items():
        defaults[name] = _defaults_under(sub, root)
    return defaults


P = ParamSpec("P")
R = TypeVar("R")


class Lang(StrEnum):
    nl = "nl"
    en = "en"


class OutputFormat(StrEnum):
    text = "text"
    json = "json"


class TableFormat(StrEnum):
    """The output of a command that shows tables: ``tsv`` is for scripts and spreadsheets
    (tab-separated, one line per row, no box drawing)."""

    text = "text"
    json = "json"
    tsv = "tsv"


FrameworkOpt = Annotated[Path, typer.Option("--framework", help="The codebook.", show_default=True)]
CasesOpt = Annotated[Path, typer.Option("--cases", help="Folder of case files.")]
LangOpt = Annotated[Lang, typer.Option("--lang", help="Language of labels and chapters.")]
TemplatesOpt = Annotated[Path, typer.Option("--templates", help="The study's own templates.")]
OutOpt = Annotated[Path, typer.Option("--out", help="Output folder.")]
FormatOpt = Annotated[OutputFormat, typer.Option("--format", help="text or json.")]
TableFormatOpt = Annotated[
    TableFormat, typer.Option("--format", help="text, json, or tsv (tab-separated tables).")
]


def _status_option(verb: str) -> Any:
    return typer.Option(
        "--status",
        metavar="STATUS",
        help=f"{verb} only cases of this work status (draft, feedback, final; repeat or "
        "comma-separate for several; final includes cases without a status).",
    )


StatusOpt = Annotated[list[str] | None, _status_option("Count")]
ListStatusOpt = Annotated[list[str] | None, _status_option("List")]
IncludeDraftsOpt = Annotated[
    bool,
    typer.Option(
        "--include-drafts", help="Count drafts too (by default they are checked, not counted)."
    ),
]
JsonAliasOpt = Annotated[
    bool, typer.Option("--json", hidden=True, help="The same as --format json (older spelling).")
]


def wants_json(output_format: OutputFormat | TableFormat, json_alias: bool) -> bool:
    return json_alias or output_format.value == "json"


def fail_with(error: OlAnalysisError) -> typer.Exit:
    """Print a library error and return the exit to raise: 1 for problems in the input (with
    their diagnostics), 2 for a usage error."""
    if isinstance(error, StudyError):
        print_diagnostics(err, error.diagnostics)
        return typer.Exit(1)
    err.print(Text.assemble(("error:", "bold red"), f" {error}"), soft_wrap=True)
    if str(error) == f"framework file not found: {STUDY_MARKER}":
        err.print(
            f"  hint: no {STUDY_MARKER} here or in a folder above; run ol-analysis in a study "
            "folder (or below it), or give --framework FILE",
            markup=False,
            soft_wrap=True,
        )
    return typer.Exit(2)


def handle_errors(command: Callable[P, R]) -> Callable[P, R]:
    """The one error path of the CLI: a library error ends the command with its exit code; any
    other exception is a bug and keeps its traceback."""

    @functools.wraps(command)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except OlAnalysisError as error:
            raise fail_with(error) from None

    return run


def status_words(statuses: list[str] | None) -> list[str] | None:
    """``--status a,b --status c`` as one list (None: no filter)."""
    words = [word.strip() for given in statuses or [] for word in given.split(",")]
    return [word for word in words if word] or None


def load(
    framework: Path,
    cases: Path,
    statuses: list[str] | None = None,
    include_drafts: bool = False,
) -> Study:
    """Load the study for a counting command; print its warnings and what is not counted."""
    from ol_analysis.core.study import load_study

    study = load_study(
        ".",
        framework=framework,
        cases=cases,
        statuses=status_words(statuses),
        include_drafts=include_drafts,
    )
    if study.warnings:
        print_diagnostics(err, study.warnings)
    note = left_out_note(study)
    if note:
        err.print(note, markup=False, soft_wrap=True)
    return study


def _left_out_words(file: CaseFile) -> str:
    errors = f", {file.errors} error{'s' if file.errors != 1 else ''}" if file.errors else ""
    return f"{file.case_id or file.path} ({file.status or 'no status'}{errors})"


def warn_templates(templates: Path) -> None:
    """Name each file of the study's templates folder that no build uses, and where it goes."""
    from ol_analysis.report.overrides import template_warnings

    warnings = template_warnings(templates)
    if warnings:
        print_diagnostics(err, warnings)


def left_out_note(study: Study) -> str | None:
    """One line naming the case files that are checked but not counted, or None."""
    if not study.left_out:
        return None
    named = ", ".join(_left_out_words(f) for f in study.left_out)
    valid_drafts = any(f.is_draft and not f.errors for f in study.left_out)
    hint = " (--include-drafts counts drafts)" if valid_drafts else ""
    return f"not counted: {len(study.left_out)} case file(s): {named}{hint}"


def print_json(data: object) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def wrote(path: Path) -> None:
    err.print(f"wrote {path}", markup=False)
