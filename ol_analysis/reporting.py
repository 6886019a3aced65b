"""Rendering diagnostics and tables for the terminal, in one place."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.text import Text

from ol_analysis.diagnostics import Diagnostic

_STYLE = {"error": "bold red", "warning": "bold yellow"}


def print_diagnostics(console: Console, diagnostics: Sequence[Diagnostic]) -> None:
    for diagnostic in diagnostics:
        severity = diagnostic.severity.value
        line = Text()
        line.append(f"{diagnostic.path}:{diagnostic.line}:{diagnostic.column}:", style="bold")
        line.append(f" {severity}", style=_STYLE[severity])
        line.append(f"[{diagnostic.rule}]", style="dim")
        line.append(f": {diagnostic.message}")
        console.print(line, soft_wrap=True)
        if diagnostic.hint:
            console.print(Text(f"  hint: {diagnostic.hint}", style="cyan"), soft_wrap=True)


def summary_line(diagnostics: Sequence[Diagnostic], files_checked: int) -> str:
    errors = sum(1 for d in diagnostics if d.is_error)
    warnings = len(diagnostics) - errors
    files = len({d.path for d in diagnostics})
    parts = [f"{errors} error{'s' if errors != 1 else ''}"]
    if warnings:
        parts.append(f"{warnings} warning{'s' if warnings != 1 else ''}")
    return (
        f"{', '.join(parts)} in {files} file{'s' if files != 1 else ''} ({files_checked} checked)"
    )
