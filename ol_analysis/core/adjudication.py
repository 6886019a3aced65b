"""The adjudication log (``adjudication.yaml``): how each disagreement between coders was settled.

The log is a study file beside ``framework.yaml``, written by ``ol-analysis adjudicate`` and
readable (and editable) by hand. It holds the agreement of each round and one decision per
settled disagreement::

    rounds:
      - {round: 1, date: 2026-11-30, coders: [coding-a, coding-b], units: 48,
         percent_agreement: 0.9375, krippendorff_alpha: 0.81, alpha_ci: [0.62, 0.95],
         disagreements: 3}
    decisions:
      - case: k1
        unit: course.outcomes.relapse
        codings: {coding-a: true, coding-b: false}
        decision: true
        by: AB
        reason: the relapse in month 3 is in the session notes
        round: 1
        date: 2026-11-30

A unit is a case and a dotted path: ``part.group`` for a single group (the value is a code, or
``null`` for not coded), ``part.group.code`` for a multi group (``true``/``false``: coded or
not), and ``part.group.field.code`` for a record group (``true``/``false``, or the record's
status, ``null`` when there is no record). This module reads and checks the log like a case
file: every problem is a located :class:`~ol_analysis.diagnostics.Diagnostic`. Writing it is
:mod:`ol_analysis.feedback.adjudicate`'s job.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ol_analysis.core.framework import Framework, Group
from ol_analysis.core.values import iso_date
from ol_analysis.core.yamlsource import Loc, SourceDocument, read_yaml
from ol_analysis.diagnostics import Diagnostic, did_you_mean, has_errors

LOG_FILE = "adjudication.yaml"
"""The log's name in the study folder (beside ``framework.yaml``)."""

TOP_KEYS = ("rounds", "decisions")
ROUND_KEYS = (
    "round",
    "date",
    "coders",
    "units",
    "percent_agreement",
    "krippendorff_alpha",
    "alpha_ci",
    "disagreements",
)
ROUND_REQUIRED = ("round", "date", "coders")
DECISION_KEYS = ("case", "unit", "codings", "decision", "by", "reason", "round", "date")

BINARY = "binary"
"""A unit valued ``true``/``false``: a code of a multi group, a record group's row code."""
CODE = "code"
"""A unit valued by a code or ``null``: a single group, or a record group's status."""


@dataclass(frozen=True)
class UnitKind:
    """What values a unit takes: ``true``/``false``, or one of ``codes`` (or ``null``)."""

    kind: str
    codes: tuple[str, ...] = ()

    def accepts(self, value: object) -> bool:
        if self.kind == BINARY:
            return isinstance(value, bool)
        if value is None:
            return True
        # a record coded twice with different statuses is compared as "contested+supports"
        return isinstance(value, str) and all(p in self.codes for p in value.split("+"))

    def expected(self) -> str:
        if self.kind == BINARY:
            return "true or false"
        return "null or one of " + ", ".join(self.codes)


def _group_units(group: Group) -> Iterator[tuple[str, UnitKind]]:
    if group.kind == "single":
        yield group.path, UnitKind(CODE, tuple(c.id for c in group.codes))
    elif group.kind == "multi":
        for code in group.codes:
            yield f"{group.path}.{code.id}", UnitKind(BINARY)
    elif group.kind == "records" and group.row_field is not None:
        row = group.row_field
        status = group.field(group.status.field) if group.status is not None else None
        kind = UnitKind(BINARY)
        if status is not None and status.id != row.id:
            kind = UnitKind(CODE, tuple(c.id for c in status.codes))
        for code in row.codes:
            yield f"{row.path}.{code.id}", kind


def unit_kinds(framework: Framework) -> dict[str, UnitKind]:
    """Every unit path ``agree`` compares, with the values it takes, in framework order."""
    return {path: kind for _, group in framework.groups() for path, kind in _group_units(group)}


@dataclass(frozen=True)
class Round:
    """One round of comparison: who was compared and how far they agreed when it started."""

    round: int
    date: str
    coders: list[str]
    units: int | None = None
    percent_agreement: float | None = None
    krippendorff_alpha: float | None = None
    alpha_ci: tuple[float, float] | None = None
    disagreements: int | None = None


@dataclass(frozen=True)
class Decision:
    """How one disagreement was settled."""

    case: str
    unit: str
    codings: dict[str, Hashable]
    decision: Hashable
    by: str
    reason: str
    round: int
    date: str
    line: int = 0

    @property
    def key(self) -> tuple[str, str]:
        return self.case, self.unit


@dataclass
class AdjudicationLog:
    """A read log; ``path`` is where it lives (it may not exist yet)."""

    path: str
    rounds: list[Round] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)

    @property
    def exists(self) -> bool:
        return Path(self.path).is_file()

    def latest_round(self) -> int:
        """The highest round named anywhere in the log, 0 for an empty log."""
        return max([r.round for r in self.rounds] + [d.round for d in self.decisions], default=0)

    def round(self, number: int) -> Round | None:
        return next((r for r in self.rounds if r.round == number), None)

    def settled(self) -> dict[tuple[str, str], Decision]:
        """The decision that stands per (case, unit): the one of the latest round."""
        standing: dict[tuple[str, str], Decision] = {}
        for decision in sorted(self.decisions, key=lambda d: d.round):
            standing[decision.key] = decision
        return standing


def read_log(path: Path, framework: Framework) -> tuple[AdjudicationLog, list[Diagnostic]]:
    """Read and check the log at ``path``; a missing file is an empty log without problems."""
    if not path.exists():
        return AdjudicationLog(str(path)), []
    doc, problems = read_yaml(path)
    if doc is None:
        return AdjudicationLog(str(path)), problems
    log, more = check_log(doc, framework)
    return log, [*problems, *more]


def check_log(
    doc: SourceDocument, framework: Framework
) -> tuple[AdjudicationLog, list[Diagnostic]]:
    """The log a parsed document holds, and every problem in it (located)."""
    checker = _Checker(doc, unit_kinds(framework))
    log = AdjudicationLog(doc.path)
    data = doc.data
    if not isinstance(data, dict):
        return log, [doc.diagnostic((), "not-a-mapping", "the log must be a mapping", _TOP_HINT)]
    checker.unknown_keys(data, (), TOP_KEYS)
    for index, item in enumerate(checker.items(data, "rounds")):
        one = checker.round(item, ("rounds", index))
        if one is not None:
            log.rounds.append(one)
    seen: dict[tuple[str, str, int], int] = {}
    for index, item in enumerate(checker.items(data, "decisions")):
        decision = checker.decision(item, ("decisions", index))
        if decision is None:
            continue
        first = seen.setdefault((*decision.key, decision.round), decision.line)
        if first != decision.line:
            checker.problem(
                ("decisions", index, "unit"),
                "adjudication-duplicate",
                f"{decision.case} {decision.unit} is decided twice in round {decision.round} "
                f"(first at line {first})",
                "keep one decision per unit and round; a later round may decide it again",
            )
        log.decisions.append(decision)
    return log, checker.problems


_TOP_HINT = "start it with 'rounds:' and 'decisions:', or let 'ol-analysis adjudicate' write it"


class _Checker:
    """Collects the diagnostics of one log while turning its items into values."""

    def __init__(self, doc: SourceDocument, units: dict[str, UnitKind]) -> None:
        self.doc = doc
        self.units = units
        self.problems: list[Diagnostic] = []

    def problem(self, loc: Loc, rule: str, message: str, hint: str | None = None) -> None:
        self.problems.append(self.doc.diagnostic(loc, rule, message, hint, key=False))

    def unknown_keys(self, mapping: dict[str, Any], loc: Loc, known: tuple[str, ...]) -> None:
        for key in mapping:
            if key not in known:
                self.problems.append(
                    self.doc.diagnostic(
                        (*loc, key),
                        "unknown-key",
                        f"'{key}' is not a key of {'an entry of ' if loc else ''}the log"
                        + (f" ({loc[0]})" if loc else ""),
                        did_you_mean(key, known) or "expected one of " + ", ".join(known),
                        key=True,
                    )
                )

    def items(self, data: dict[str, Any], key: str) -> list[dict[str, Any] | None]:
        value = data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem((key,), "wrong-type", f"'{key}' must be a list", "write '- ' items")
            return []
        found: list[dict[str, Any] | None] = []
        for index, item in enumerate(value):
            if isinstance(item, dict):
                found.append(item)
            else:
                self.problem(
                    (key, index),
                    "wrong-type",
                    f"an entry of '{key}' must be a mapping",
                    "write its keys under the '- ', one per line",
                )
                found.append(None)
        return found

    def _missing(self, item: dict[str, Any], loc: Loc, required: tuple[str, ...]) -> bool:
        missing = [key for key in required if item.get(key) is None and key not in item]
        for key in missing:
            self.problem(loc, "missing-field", f"this entry has no '{key}'", f"add '{key}: …'")
        return bool(missing)

    def _text(self, item: dict[str, Any], loc: Loc, key: str) -> str | None:
        value = item.get(key)
        if isinstance(value, bool) or not isinstance(value, str | int):
            self.problem((*loc, key), "wrong-type", f"'{key}' must be text", "quote it")
            return None
        if not str(value).strip():
            self.problem((*loc, key), "empty-value", f"'{key}' is empty", f"fill in '{key}'")
            return None
        return str(value)

    def _round_number(self, item: dict[str, Any], loc: Loc) -> int | None:
        value = item.get("round")
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            self.problem(
                (*loc, "round"),
                "wrong-type",
                "'round' must be a whole number from 1",
                "the first round is 1",
            )
            return None
        return int(value)

    def _date(self, item: dict[str, Any], loc: Loc) -> str | None:
        value = item.get("date")
        if iso_date(value) is None:
            self.problem(
                (*loc, "date"),
                "invalid-date",
                f"'{value}' is not a date",
                "write it as YYYY-MM-DD, e.g. 2026-11-30",
            )
            return None
        return str(value)

    def round(self, item: dict[str, Any] | None, loc: Loc) -> Round | None:
        if item is None:
            return None
        self.unknown_keys(item, loc, ROUND_KEYS)
        if self._missing(item, loc, ROUND_REQUIRED):
            return None
        number, date = self._round_number(item, loc), self._date(item, loc)
        coders = item.get("coders")
        if not (
            isinstance(coders, list)
            and len(coders) >= 2
            and all(isinstance(c, str) and c for c in coders)
        ):
            self.problem(
                (*loc, "coders"),
                "wrong-type",
                "'coders' must list two or more codings",
                "e.g. [coding-a, coding-b]",
            )
            coders = None
        figures = {key: self._number(item, loc, key) for key in ROUND_KEYS[3:] if key != "alpha_ci"}
        interval = self._interval(item, loc)
        if number is None or date is None or coders is None:
            return None
        units, differ = figures["units"], figures["disagreements"]
        return Round(
            number,
            date,
            list(coders),
            int(units) if units is not None else None,
            figures["percent_agreement"],
            figures["krippendorff_alpha"],
            interval,
            int(differ) if differ is not None else None,
        )

    def _number(self, item: dict[str, Any], loc: Loc, key: str) -> float | None:
        value = item.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
            self.problem(
                (*loc, key), "wrong-type", f"'{key}' must be a number or null", "e.g. 0.75"
            )
            return None
        return float(value)

    def _interval(self, item: dict[str, Any], loc: Loc) -> tuple[float, float] | None:
        value = item.get("alpha_ci")
        if value is None:
            return None
        if (
            isinstance(value, list)
            and len(value) == 2
            and all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
        ):
            return float(value[0]), float(value[1])
        self.problem(
            (*loc, "alpha_ci"),
            "wrong-type",
            "'alpha_ci' must be [low, high] or null",
            "e.g. [0.61, 0.9]",
        )
        return None

    def decision(self, item: dict[str, Any] | None, loc: Loc) -> Decision | None:
        if item is None:
            return None
        self.unknown_keys(item, loc, DECISION_KEYS)
        if self._missing(item, loc, DECISION_KEYS):
            return None
        case, by, reason = (self._text(item, loc, key) for key in ("case", "by", "reason"))
        number, date = self._round_number(item, loc), self._date(item, loc)
        kind = self._unit(item, loc)
        codings = self._codings(item, loc, kind)
        decided = item.get("decision")
        if kind is not None and not kind.accepts(decided):
            self.problem(
                (*loc, "decision"),
                "adjudication-invalid-value",
                f"decision {_shown(decided)} is not a value of {item['unit']}",
                f"take one of the codings, or {kind.expected()}",
            )
            return None
        if None in (case, by, reason, number, date, kind, codings):
            return None
        assert case and by and reason and number and date and codings is not None
        line = self.doc.position(loc)[0]
        return Decision(case, str(item["unit"]), codings, decided, by, reason, number, date, line)

    def _unit(self, item: dict[str, Any], loc: Loc) -> UnitKind | None:
        unit = item.get("unit")
        kind = self.units.get(unit) if isinstance(unit, str) else None
        if kind is None:
            self.problem(
                (*loc, "unit"),
                "adjudication-unknown-unit",
                f"{_shown(unit)} is not a unit agree compares",
                did_you_mean(str(unit), self.units)
                or "a unit is part.group, part.group.code or part.group.field.code",
            )
        return kind

    def _codings(
        self, item: dict[str, Any], loc: Loc, kind: UnitKind | None
    ) -> dict[str, Hashable] | None:
        codings = item.get("codings")
        if not isinstance(codings, dict) or len(codings) < 2:
            self.problem(
                (*loc, "codings"),
                "wrong-type",
                "'codings' must map each coding to its value",
                "e.g. {coding-a: true, coding-b: false}",
            )
            return None
        ok = True
        for coder, value in codings.items():
            if kind is not None and not kind.accepts(value):
                ok = False
                self.problem(
                    (*loc, "codings", coder),
                    "adjudication-invalid-value",
                    f"{_shown(value)} is not a value of {item['unit']}",
                    f"expected {kind.expected()}",
                )
        return dict(codings) if ok else None


def _shown(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return f"'{value}'"


def log_ok(diagnostics: list[Diagnostic]) -> bool:
    return not has_errors(diagnostics)
