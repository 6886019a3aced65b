"""The ``ol-analysis`` command line: parses options, calls the public API, prints, exits.

Exit codes: 0 success; 1 the input has problems; 2 usage error or unreadable input. One module
per family of commands registers them on :data:`~ol_analysis.cli.common.app`; errors become
exit codes in one place (:func:`~ol_analysis.cli.common.handle_errors`) and everything shown in
a terminal is drawn by :mod:`ol_analysis.cli.output`.
"""

from __future__ import annotations

from ol_analysis.cli import check, count, feedback, interop, privacy, qca, report, sources
from ol_analysis.cli.common import app

__all__ = [
    "app",
    "check",
    "count",
    "feedback",
    "interop",
    "main",
    "privacy",
    "qca",
    "report",
    "sources",
]


def main() -> None:
    """Entry point of the console script and ``python -m ol_analysis``."""
    app()
