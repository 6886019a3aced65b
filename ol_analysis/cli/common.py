"""What every command shares: the app, the consoles, the common options, and the one place
where library errors become exit codes (:func:`handle_errors`)."""

from __future__ import annotations

import functools
import json
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
    from ol_analysis.core.study import Study


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
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_print_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Qualitative multi-case analysis: validate, count and report a coded study."""


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
