"""Review diagnostics of ``validate --strict``, over the ``analysis`` block of loaded cases:

- ``open-comment`` (error): an unresolved comment in a case marked ``final`` — a case is not
  final while a reviewer still waits for an answer;
- ``unknown-comment-path`` (warning): a comment whose ``path`` names no part, group, record
  field or code of the framework (nor the case's ``title`` or ``summary``), typically left behind
  by a renamed code.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING

from ol_analysis.core.framework import Framework
from ol_analysis.diagnostics import Diagnostic, Severity, did_you_mean

if TYPE_CHECKING:
    from ol_analysis.core.study import Case

CASE_LEVEL_PATHS = ("title", "summary")


def commentable_paths(framework: Framework) -> list[str]:
    """Every path a feedback comment may name: parts, groups, record fields and codes."""
    paths: list[str] = [*CASE_LEVEL_PATHS]
    for part in framework.parts:
        paths.append(part.id)
        for group in part.groups:
            paths.append(group.path)
            paths.extend(code.path for code in group.codes)
            for record_field in group.fields:
                paths.append(record_field.path)
                paths.extend(code.path for code in record_field.codes)
    return paths


def check_review(framework: Framework, cases: Iterable[Case]) -> list[Diagnostic]:
    """Review diagnostics (``open-comment`` errors, ``unknown-comment-path`` warnings)."""
    known = commentable_paths(framework)
    known_set = set(known)
    problems: list[Diagnostic] = []
    for case in cases:
        analysis = case.analysis
        if analysis is None or case.document is None:
            continue
        doc = case.document
        for index, comment in enumerate(analysis.comments):
            loc = ("analysis", "comments", index)
            if analysis.status == "final" and not comment.resolved:
                problems.append(
                    doc.diagnostic(
                        loc,
                        "open-comment",
                        f"case '{case.id}' is final but the comment of {comment.author} "
                        f"on {comment.path} (round {comment.round}) is not resolved",
                        "answer it and set 'resolved: true', or set the status back to feedback",
                    )
                )
            if comment.path not in known_set:
                diagnostic = doc.diagnostic(
                    (*loc, "path"),
                    "unknown-comment-path",
                    f"comment path '{comment.path}' names no part, group or code of the framework",
                    did_you_mean(comment.path, known) or "use a dotted path like part.group.code",
                )
                problems.append(_as_warning(diagnostic))
    return problems


def _as_warning(diagnostic: Diagnostic) -> Diagnostic:
    return replace(diagnostic, severity=Severity.WARNING)
