"""The feedback-round bookkeeping: who analyses which case, its status, and open comments.

Each case may carry an ``analysis`` block (subgroup, analysts, status draft/feedback/final,
comments). This module turns those blocks into an overview per subgroup (``ol-analysis status``),
invalid case files included with their error count; the review diagnostics of ``validate
--strict`` are :mod:`ol_analysis.core.review_checks`. Pure functions over loaded cases.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ol_analysis.core.study import Case, CaseFile

STATUSES = ("draft", "feedback", "final")
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
    errors: int = 0
    """Errors in the file (0 for a valid case); an invalid case is listed all the same."""

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "file": self.file,
            "status": self.status,
            "analysts": self.analysts,
            "open_comments": [c.as_json() for c in self.open_comments],
            "errors": self.errors,
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


def _subgroup_of(case: Case) -> str | None:
    return case.analysis.subgroup if case.analysis is not None else None


def invalid_status(file: CaseFile) -> CaseStatus:
    """An invalid case file as a row: its id (or file name), status as written, error count."""
    return CaseStatus(file.case_id or file.path, file.path, file.status, [], [], file.errors)


def review_status(cases: Iterable[Case], invalid: Iterable[CaseFile] = ()) -> list[SubgroupStatus]:
    """The cases per subgroup, subgroups in name order and cases without one last; the
    ``invalid`` case files (those with errors) are listed too, under the subgroup they name."""
    rows = [
        (c.analysis.subgroup if c.analysis is not None else None, case_status(c)) for c in cases
    ]
    rows += [(f.subgroup, invalid_status(f)) for f in invalid if f.errors]
    by_subgroup: dict[str | None, list[CaseStatus]] = {}
    for subgroup, row in sorted(rows, key=lambda r: (r[1].id, r[1].file)):
        by_subgroup.setdefault(subgroup or None, []).append(row)
    order = sorted(by_subgroup, key=lambda s: (s is None, s or ""))
    return [SubgroupStatus(subgroup, by_subgroup[subgroup]) for subgroup in order]


def status_json(statuses: list[SubgroupStatus]) -> dict[str, Any]:
    """The ``status --json`` object: ``{"subgroups": [...], "counts": {...}, "invalid": n}``
    (``invalid``: how many listed case files have errors)."""
    totals = {key: 0 for key in (*STATUSES, "open_comments")}
    for subgroup in statuses:
        for key, value in subgroup.counts().items():
            totals[key] += value
    invalid = sum(1 for s in statuses for c in s.cases if c.errors)
    return {"subgroups": [s.as_json() for s in statuses], "counts": totals, "invalid": invalid}
