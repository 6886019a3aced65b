"""The exception tree. User errors carry diagnostics; anything else is a bug.

- :class:`OlAnalysisError` — base of every error the toolkit raises on purpose.
  - :class:`StudyError` — the input has problems (exit 1); ``.diagnostics`` says where.
    - :class:`FrameworkError` — the problems are in ``framework.yaml`` itself.
  - :class:`UsageError` — the command cannot even start (exit 2): a missing folder, bad option.
    - :class:`WriteError` — an output that cannot be written; also an :class:`OSError`.
"""

from __future__ import annotations

from collections.abc import Sequence

from ol_analysis.diagnostics import Diagnostic


class OlAnalysisError(Exception):
    """Base class of the toolkit's deliberate errors."""


class UsageError(OlAnalysisError):
    """The command cannot start: a missing file or folder, an invalid option value."""


class WriteError(UsageError, OSError):
    """A file or folder that cannot be written; the old file is left as it was.

    A usage error for the command line (``error: cannot write PATH: REASON``, exit 2), and still
    an :class:`OSError` (with ``strerror`` and ``filename``) for code that catches those.
    """

    def __init__(self, path: object, reason: str, message: str | None = None) -> None:
        OSError.__init__(self, None, reason, str(path))
        self.message = message or f"cannot write {path}: {reason}"

    def __str__(self) -> str:
        return self.message


class StudyError(OlAnalysisError):
    """The study has problems; ``diagnostics`` lists every one of them."""

    def __init__(self, diagnostics: Sequence[Diagnostic]) -> None:
        self.diagnostics = list(diagnostics)
        errors = sum(1 for d in self.diagnostics if d.is_error)
        super().__init__(f"{errors} problem(s) in the study")


class FrameworkError(StudyError):
    """``framework.yaml`` has problems; no case can be checked against it."""
