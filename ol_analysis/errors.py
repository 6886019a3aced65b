"""The exception tree. User errors carry diagnostics; anything else is a bug.

- :class:`OlAnalysisError` — base of every error the toolkit raises on purpose.
  - :class:`StudyError` — the input has problems (exit 1); ``.diagnostics`` says where.
    - :class:`FrameworkError` — the problems are in ``framework.yaml`` itself.
  - :class:`UsageError` — the command cannot even start (exit 2): a missing folder, bad option.
"""

from __future__ import annotations

from collections.abc import Sequence

from ol_analysis.diagnostics import Diagnostic


class OlAnalysisError(Exception):
    """Base class of the toolkit's deliberate errors."""


class UsageError(OlAnalysisError):
    """The command cannot start: a missing file or folder, an invalid option value."""


class StudyError(OlAnalysisError):
    """The study has problems; ``diagnostics`` lists every one of them."""

    def __init__(self, diagnostics: Sequence[Diagnostic]) -> None:
        self.diagnostics = list(diagnostics)
        errors = sum(1 for d in self.diagnostics if d.is_error)
        super().__init__(f"{errors} problem(s) in the study")


class FrameworkError(StudyError):
    """``framework.yaml`` has problems; no case can be checked against it."""
