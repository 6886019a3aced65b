"""ol-analysis: qualitative multi-case analysis as a git repository.

The public API for notebooks and scripts; the command line is a thin layer over it::

    import ol_analysis
    study = ol_analysis.load_study("path/to/study")
    ol_analysis.stats(study)["counts"]["reference.if_then.statement.more_crises"]
"""

from ol_analysis.aggregate import matrix, stats
from ol_analysis.diagnostics import Diagnostic, Severity
from ol_analysis.errors import FrameworkError, OlAnalysisError, StudyError, UsageError
from ol_analysis.framework import Framework, load_framework
from ol_analysis.study import Case, Study, load_study

__version__ = "0.1.0"

__all__ = [
    "Case",
    "Diagnostic",
    "Framework",
    "FrameworkError",
    "OlAnalysisError",
    "Severity",
    "Study",
    "StudyError",
    "UsageError",
    "load_framework",
    "load_study",
    "matrix",
    "stats",
]
