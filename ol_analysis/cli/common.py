"""What every command shares: the app, the consoles, the common options, and the one place
where library errors become exit codes (:func:`handle_errors`)."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, ParamSpec, TypeVar

import typer
from rich.console import Console
from rich.text import Text

from ol_analysis.cli.output import print_diagnostics
from ol_analysis.errors import OlAnalysisError, StudyError

if TYPE_CHECKING:
    from ol_analysis.core.study import Study

app = typer.Typer(
    name="ol-analysis",
    help="Qualitative multi-case analysis: validate, count and report a coded study.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True, highlight=False)
out = Console(highlight=False)

P = ParamSpec("P")
R = TypeVar("R")


class Lang(StrEnum):
    nl = "nl"
    en = "en"


class OutputFormat(StrEnum):
    text = "text"
    json = "json"


FrameworkOpt = Annotated[Path, typer.Option("--framework", help="The codebook.", show_default=True)]
CasesOpt = Annotated[Path, typer.Option("--cases", help="Folder of case files.")]
LangOpt = Annotated[Lang, typer.Option("--lang", help="Language of labels and chapters.")]
TemplatesOpt = Annotated[Path, typer.Option("--templates", help="The study's own templates.")]
OutOpt = Annotated[Path, typer.Option("--out", help="Output folder.")]
FormatOpt = Annotated[OutputFormat, typer.Option("--format", help="text or json.")]
JsonAliasOpt = Annotated[
    bool, typer.Option("--json", hidden=True, help="The same as --format json (older spelling).")
]


def wants_json(output_format: OutputFormat, json_alias: bool) -> bool:
    return json_alias or output_format is OutputFormat.json


def fail_with(error: OlAnalysisError) -> typer.Exit:
    """Print a library error and return the exit to raise: 1 for problems in the input (with
    their diagnostics), 2 for a usage error."""
    if isinstance(error, StudyError):
        print_diagnostics(err, error.diagnostics)
        return typer.Exit(1)
    err.print(Text.assemble(("error:", "bold red"), f" {error}"), soft_wrap=True)
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


def load(framework: Path, cases: Path) -> Study:
    from ol_analysis.core.study import load_study

    return load_study(".", framework=framework, cases=cases)


def print_json(data: object) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def wrote(path: Path) -> None:
    err.print(f"wrote {path}", markup=False)
