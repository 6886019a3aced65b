"""The feedback-round bookkeeping: who analyses which case, its status, and open comments.

Each case may carry an ``analysis`` block (subgroup, analysts, status draft/feedback/final,
comments). This module turns those blocks into an overview per subgroup (``ol-analysis status``)
and into review diagnostics (``ol-analysis validate --strict``):

- ``open-comment`` (error): an unresolved comment in a case marked ``final`` — a case is not
  final while a reviewer still waits for an answer;
- ``unknown-comment-path`` (warning): a comment whose ``path`` names no part, group, record
  field or code of the framework (nor the case's ``title`` or ``summary``), typically left behind
  by a renamed code.

Pure functions over loaded cases; rendering returns rich renderables and never prints.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from rich.table import Table

from ol_analysis.diagnostics import Diagnostic, Severity, did_you_mean
from ol_analysis.framework import Framework
from ol_analysis.study import Case

STATUSES = ("draft", "feedback", "final")
CASE_LEVEL_PATHS = ("title", "summary")
NO_SUBGROUP = "-"


@dataclass(frozen=True)
class OpenComment:
    """An unresolved comment, with the line it starts at (0 when unknown)."""

    path: str
    author: str
    round: int
    text: str
    line: int = 0

    def as_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "author": self.author,
            "round": self.round,
            "text": self.text,
            "line": self.line,
        }


@dataclass(frozen=True)
class CaseStatus:
    """Where one case stands in the feedback rounds."""

    id: str
    file: str
    status: str | None
    analysts: list[str]
    open_comments: list[OpenComment]

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "file": self.file,
            "status": self.status,
            "analysts": self.analysts,
            "open_comments": [c.as_json() for c in self.open_comments],
        }


@dataclass(frozen=True)
class SubgroupStatus:
    """The cases of one subgroup (``None``: cases without an analysis block or subgroup)."""

    subgroup: str | None
    cases: list[CaseStatus]

    def counts(self) -> dict[str, int]:
        """Cases per status, and the number of open comments."""
        counts = {status: sum(1 for c in self.cases if c.status == status) for status in STATUSES}
        counts["open_comments"] = sum(len(c.open_comments) for c in self.cases)
        return counts

    def as_json(self) -> dict[str, Any]:
        return {
            "subgroup": self.subgroup,
            "counts": self.counts(),
            "cases": [c.as_json() for c in self.cases],
        }


def _comment_line(case: Case, index: int) -> int:
    if case.document is None:
        return 0
    return case.document.position(("analysis", "comments", index))[0]


def case_status(case: Case) -> CaseStatus:
    analysis = case.analysis
    if analysis is None:
        return CaseStatus(case.id, case.path, None, [], [])
    open_comments = [
        OpenComment(c.path, c.author, c.round, c.text, _comment_line(case, index))
        for index, c in enumerate(analysis.comments)
        if not c.resolved
    ]
    return CaseStatus(case.id, case.path, analysis.status, list(analysis.analysts), open_comments)


def review_status(cases: Iterable[Case]) -> list[SubgroupStatus]:
    """The cases per subgroup, subgroups in name order and cases without one last."""
    by_subgroup: dict[str | None, list[CaseStatus]] = {}
    for case in sorted(cases, key=lambda c: c.id):
        subgroup = case.analysis.subgroup if case.analysis is not None else None
        by_subgroup.setdefault(subgroup or None, []).append(case_status(case))
    order = sorted(by_subgroup, key=lambda s: (s is None, s or ""))
    return [SubgroupStatus(subgroup, by_subgroup[subgroup]) for subgroup in order]


def status_json(statuses: list[SubgroupStatus]) -> dict[str, Any]:
    """The ``status --json`` object: ``{"subgroups": [...], "counts": {...}}``."""
    totals = {key: 0 for key in (*STATUSES, "open_comments")}
    for subgroup in statuses:
        for key, value in subgroup.counts().items():
            totals[key] += value
    return {"subgroups": [s.as_json() for s in statuses], "counts": totals}


def status_table(statuses: list[SubgroupStatus]) -> Table:
    """One row per case, grouped by subgroup, with the open comments spelled out."""
    table = Table(title="Review status", title_justify="left")
    for column in ("subgroup", "case", "status", "analysts", "open comments"):
        table.add_column(column, overflow="fold")
    for subgroup in statuses:
        for index, case in enumerate(subgroup.cases):
            comments = "\n".join(
                f"{c.path} ({c.author}, round {c.round}, line {c.line}): {c.text}"
                for c in case.open_comments
            )
            table.add_row(
                (subgroup.subgroup or NO_SUBGROUP) if index == 0 else "",
                case.id,
                case.status or NO_SUBGROUP,
                ", ".join(case.analysts),
                comments,
            )
        table.add_section()
    return table


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
