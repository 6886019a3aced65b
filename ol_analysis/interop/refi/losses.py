"""The loss report of a REFI-QDA import: everything in the project that the study does not get.

The standard asks an importer to say what it could not bring back. Each loss is a
:class:`Diagnostic` with rule ``refi-loss``, standing at the element of ``project.qde`` it is
about (line and column in that file; the path is the ``.qdpx``). Without ``--accept-losses`` they
are errors and nothing is written; with it they are warnings beside the imported study.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from xml.etree.ElementTree import Element

from ol_analysis.diagnostics import Diagnostic, Severity

RULE = "refi-loss"


@dataclass
class LossReport:
    path: str
    lines: dict[Element, tuple[int, int]]
    accepted: bool = False
    losses: list[Diagnostic] = field(default_factory=list)

    def add(self, element: Element | None, message: str, hint: str | None = None) -> None:
        line, column = self.lines.get(element, (1, 1)) if element is not None else (1, 1)
        severity = Severity.WARNING if self.accepted else Severity.ERROR
        location = element.tag.rpartition("}")[2] if element is not None else ""
        self.losses.append(
            Diagnostic(self.path, line, column, RULE, message, hint, severity, location)
        )

    def __bool__(self) -> bool:
        return bool(self.losses)

    def sorted(self) -> list[Diagnostic]:
        return sorted(self.losses, key=lambda d: (d.line, d.column, d.message))
