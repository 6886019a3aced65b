"""Diagnostics: every problem found in the input, as a value with a location.

The library never prints. Each stage returns the diagnostics it found; the CLI renders them in
one place (:func:`format_text` or :func:`to_json`), in the compiler format editors and CI annotate.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from enum import StrEnum


class Severity(StrEnum):
    """How bad a problem is: an error fails the command (exit 1), a warning does not."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem at one place: ``path:line:column: severity[rule]: message``.

    ``line`` and ``column`` are 1-based; a problem with the file as a whole (unreadable, not
    UTF-8 at its start) stands at 1:1.
    ``location`` is the dotted path inside the document (``key_moments.moments.2.kind``).
    """

    path: str
    line: int
    column: int
    rule: str
    message: str
    hint: str | None = None
    severity: Severity = Severity.ERROR
    location: str = ""

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def as_json(self) -> dict[str, object]:
        data = asdict(self)
        data["severity"] = self.severity.value
        return {
            key: data[key]
            for key in ("path", "line", "column", "severity", "rule", "message", "hint", "location")
        }


def sort_unique(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Diagnostics in file and line order, one per (path, line, column, rule)."""
    seen: set[tuple[str, int, int, str]] = set()
    unique: list[Diagnostic] = []
    for diagnostic in sorted(diagnostics, key=lambda d: (d.path, d.line, d.column, d.rule)):
        key = (diagnostic.path, diagnostic.line, diagnostic.column, diagnostic.rule)
        if key not in seen:
            seen.add(key)
            unique.append(diagnostic)
    return unique


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.is_error for d in diagnostics)


def format_text(diagnostic: Diagnostic) -> str:
    """The compiler format: ``PATH:LINE:COL: error[rule]: message`` and an indented hint."""
    head = (
        f"{diagnostic.path}:{diagnostic.line}:{diagnostic.column}: "
        f"{diagnostic.severity.value}[{diagnostic.rule}]: {diagnostic.message}"
    )
    if diagnostic.hint:
        return f"{head}\n  hint: {diagnostic.hint}"
    return head


def to_json(diagnostics: Sequence[Diagnostic]) -> str:
    return json.dumps([d.as_json() for d in diagnostics], ensure_ascii=False, indent=2)


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    """A "did you mean" hint naming the closest choice, or None when nothing is close."""
    candidates = list(choices)
    matches = difflib.get_close_matches(word, candidates, n=1, cutoff=0.6)
    if not matches:
        lowered = {c.lower(): c for c in candidates}
        if word.lower() in lowered:
            matches = [lowered[word.lower()]]
    return f"did you mean '{matches[0]}'?" if matches else None
