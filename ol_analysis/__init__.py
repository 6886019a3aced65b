"""ol-analysis: qualitative multi-case analysis as a git repository.

The public API for notebooks and scripts; the command line is a thin layer over it::

    import ol_analysis
    study = ol_analysis.load_study("path/to/study")
    ol_analysis.stats(study)["counts"]["reference.if_then.statement.more_crises"]

Reading and checking a study imports only what that needs; the report's names (``gather``,
``build_report``, ``ReportData``) are loaded on first use, so ``ol-analysis validate`` never
imports jinja2, networkx or matplotlib.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ol_analysis.analysis.aggregate import Matrix, Stats, matrix, stats
from ol_analysis.analysis.qca import QcaResult, qca
from ol_analysis.core.framework import Framework, load_framework
from ol_analysis.core.study import Case, Study, StudyCheck, check_study, load_study
from ol_analysis.diagnostics import Diagnostic, Severity
from ol_analysis.errors import FrameworkError, OlAnalysisError, StudyError, UsageError, WriteError
from ol_analysis.version import __version__

if TYPE_CHECKING:
    from ol_analysis.report.build import BuildResult, build_report
    from ol_analysis.report.data import ReportData, gather

_LAZY = {
    "BuildResult": "ol_analysis.report.build",
    "build_report": "ol_analysis.report.build",
    "ReportData": "ol_analysis.report.data",
    "gather": "ol_analysis.report.data",
}

__all__ = [
    "BuildResult",
    "Case",
    "Diagnostic",
    "Framework",
    "FrameworkError",
    "Matrix",
    "OlAnalysisError",
    "QcaResult",
    "ReportData",
    "Severity",
    "Stats",
    "Study",
    "StudyCheck",
    "StudyError",
    "UsageError",
    "WriteError",
    "__version__",
    "build_report",
    "check_study",
    "gather",
    "load_framework",
    "load_study",
    "matrix",
    "qca",
    "stats",
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'ol_analysis' has no attribute {name!r}")


def __dir__() -> list[str]:
    return list(__all__)
