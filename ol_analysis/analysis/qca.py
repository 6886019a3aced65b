"""Crisp-set Qualitative Comparative Analysis (QCA) of the coded cases. Pure: no I/O.

Two layers:

- :func:`analyse` works on plain data (case ids, 0/1 memberships, condition names), so that it
  can be checked against the published examples of the QCA literature: the truth table, its
  contradictions and logical remainders, the conservative and parsimonious solutions found by
  Quine–McCluskey minimisation, consistency and coverage of every term and solution, necessity
  of each condition and its negation, and a leave-one-case-out check of the solution terms.
- :func:`qca` calibrates a :class:`~ol_analysis.core.study.Study` on the sets of the
  framework's ``qca:`` block (or sets named by path) and attaches the evidence quotes of the
  cases in contradictory configurations.

The measures are those of Ragin (2008) and of Dușa's R package QCA for crisp sets: the
consistency of a term X for the outcome Y is |X∩Y|/|X|, its raw coverage |X∩Y|/|Y|, its unique
coverage the part of |Y| that no other term of the solution covers; necessity consistency is
|X∩Y|/|Y| and necessity coverage |X∩Y|/|X|.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from ol_analysis.analysis.queries import cases_with, quotes
from ol_analysis.core.framework import Framework, Label, QcaSet
from ol_analysis.core.qca_checks import qca_paths, rule_problem
from ol_analysis.core.study import Study
from ol_analysis.diagnostics import did_you_mean
from ol_analysis.errors import UsageError

MAX_CONDITIONS = 10
"""A truth table of more conditions has over a thousand rows: no case study fills it."""
MAX_MODELS = 20
"""At most this many equally short solutions are listed (R's QCA lists them as M1, M2, …)."""
MAX_STEPS = 200_000
"""Steps of the prime implicant chart's search before it gives up (see :func:`minimal_covers`)."""

Term = tuple[int | None, ...]
"""A conjunction: per condition 1 (present), 0 (absent, ``~``) or None (does not matter)."""


# --- the plain-data analysis ----------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One configuration of the truth table and the cases in it."""

    configuration: tuple[int, ...]
    cases: tuple[str, ...]
    positive: tuple[str, ...]
    """The cases of this configuration that show the outcome."""
    outcome: int
    """1 when the consistency reaches the cut-off, else 0."""

    @property
    def n(self) -> int:
        return len(self.cases)

    @property
    def consistency(self) -> float:
        return len(self.positive) / len(self.cases)

    @property
    def contradictory(self) -> bool:
        """Some cases show the outcome and some do not."""
        return 0 < len(self.positive) < len(self.cases)


@dataclass(frozen=True)
class TermFit:
    """A solution term with its consistency, raw and unique coverage and its cases."""

    term: Term
    expression: str
    consistency: float | None
    raw_coverage: float | None
    unique_coverage: float | None
    cases: tuple[str, ...]
    """The cases the term covers that show the outcome."""
    inconsistent: tuple[str, ...]
    """The cases the term covers that do not show the outcome."""
    depends_on: tuple[str, ...] = ()
    """Cases without which the term drops out of the solution (leave-one-case-out)."""


@dataclass(frozen=True)
class Solution:
    """One model: a disjunction of terms, with the fit of each term and of the whole."""

    terms: tuple[TermFit, ...]
    consistency: float | None
    coverage: float | None
    remainders_used: tuple[tuple[int, ...], ...] = ()
    """The logical remainders the model covers: its simplifying assumptions."""

    @property
    def expression(self) -> str:
        return " + ".join(t.expression for t in self.terms) if self.terms else "(none)"


@dataclass(frozen=True)
class Necessity:
    condition: str
    negated: bool
    consistency: float | None
    coverage: float | None

    @property
    def expression(self) -> str:
        return f"~{self.condition}" if self.negated else self.condition


@dataclass(frozen=True)
class Analysis:
    """Everything :func:`analyse` finds."""

    conditions: tuple[str, ...]
    cutoff: float
    rows: tuple[Row, ...]
    remainders: tuple[tuple[int, ...], ...]
    conservative: tuple[Solution, ...]
    parsimonious: tuple[Solution, ...]
    necessity: tuple[Necessity, ...]
    positive_cases: tuple[str, ...]

    @property
    def contradictions(self) -> tuple[Row, ...]:
        return tuple(row for row in self.rows if row.contradictory)


def expression(term: Term, names: Sequence[str]) -> str:
    """``DEV*~URB*LIT``; the empty conjunction (every case) is ``1``."""
    literals = [
        name if value == 1 else f"~{name}"
        for name, value in zip(names, term, strict=True)
        if value is not None
    ]
    return "*".join(literals) if literals else "1"


def covers(term: Term, configuration: Sequence[int]) -> bool:
    return all(t is None or t == c for t, c in zip(term, configuration, strict=True))


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def truth_table(
    memberships: Mapping[str, Sequence[int]], outcome: Mapping[str, int], cutoff: float = 1.0
) -> tuple[Row, ...]:
    """The observed configurations, in the order of their binary number (the first condition
    is the most significant digit, as in R's QCA), each with its cases."""
    by_config: dict[tuple[int, ...], list[str]] = {}
    for case_id in sorted(memberships):
        by_config.setdefault(tuple(memberships[case_id]), []).append(case_id)
    rows = []
    for config in sorted(by_config):
        cases = tuple(by_config[config])
        positive = tuple(c for c in cases if outcome[c])
        out = 1 if len(positive) / len(cases) >= cutoff else 0
        rows.append(Row(config, cases, positive, out))
    return tuple(rows)


def prime_implicants(minterms: Iterable[tuple[int, ...]]) -> set[Term]:
    """Quine–McCluskey: merge terms that differ in one present condition until none merge."""
    level: set[Term] = set(minterms)
    primes: set[Term] = set()
    while level:
        merged: set[Term] = set()
        used: set[Term] = set()
        for term in level:
            for index, value in enumerate(term):
                if value != 0:
                    continue
                partner = (*term[:index], 1, *term[index + 1 :])
                if partner in level:
                    merged.add((*term[:index], None, *term[index + 1 :]))
                    used.update((term, partner))
        primes |= level - used
        level = merged
    return primes


def minimal_covers(primes: Iterable[Term], positive: Sequence[tuple[int, ...]]) -> list[list[Term]]:
    """Every smallest set of prime implicants that covers all positive configurations (the
    prime implicant chart, solved exactly), at most :data:`MAX_MODELS` of them.

    A branch and bound search: take the uncovered configuration with the fewest implicants
    covering it and try each of them; a branch ends once a lower bound on the implicants still
    needed (configurations no two of which share an implicant) cannot beat the best size. A
    chart too large to solve within :data:`MAX_STEPS` is a :class:`UsageError`, never a hang.
    """
    if not positive:
        return []
    useful = sorted((p for p in primes if any(covers(p, c) for c in positive)), key=_term_order)
    covering = {c: frozenset(p for p in useful if covers(p, c)) for c in positive}
    best = [len(useful) + 1]
    found: set[frozenset[Term]] = set()
    seen: set[frozenset[Term]] = set()
    steps = [0]

    def lower_bound(uncovered: list[tuple[int, ...]]) -> int:
        used: set[Term] = set()
        bound = 0
        for config in sorted(uncovered, key=lambda c: len(covering[c])):
            if not covering[config] & used:
                bound += 1
                used |= covering[config]
        return bound

    def search(chosen: frozenset[Term], uncovered: list[tuple[int, ...]]) -> None:
        steps[0] += 1
        if steps[0] > MAX_STEPS:
            raise UsageError(
                "the prime implicant chart is too large to solve exactly; use fewer conditions"
            )
        if not uncovered:
            if len(chosen) < best[0]:
                best[0] = len(chosen)
                found.clear()
            if len(found) < MAX_MODELS:
                found.add(chosen)
            return
        limit = best[0] if len(found) < MAX_MODELS else best[0] - 1
        if chosen in seen or len(chosen) + lower_bound(uncovered) > limit:
            return
        seen.add(chosen)
        target = min(uncovered, key=lambda c: len(covering[c]))
        for implicant in sorted(covering[target], key=_term_order):
            search(chosen | {implicant}, [c for c in uncovered if not covers(implicant, c)])

    search(frozenset(), list(positive))
    return sorted(
        (sorted(model, key=_term_order) for model in found if len(model) == best[0]),
        key=lambda model: [_term_order(t) for t in model],
    )


def _term_order(term: Term) -> tuple[int, tuple[int, ...]]:
    """Shorter terms first, then by the conditions they use (present before absent)."""
    literals = sum(v is not None for v in term)
    return literals, tuple(2 if v is None else 1 - v for v in term)


def fit(
    terms: Sequence[Term],
    names: Sequence[str],
    memberships: Mapping[str, Sequence[int]],
    outcome: Mapping[str, int],
) -> Solution:
    """Consistency and coverage of each term and of the disjunction, over the cases."""
    positives = [c for c in sorted(memberships) if outcome[c]]
    members = {t: [c for c in sorted(memberships) if covers(t, memberships[c])] for t in terms}
    covered = {c for t in terms for c in members[t]}
    fits = []
    for term in terms:
        inside = members[term]
        hits = [c for c in inside if outcome[c]]
        by_others = {c for t in terms if t != term for c in members[t] if outcome[c]}
        only = [c for c in hits if c not in by_others]
        fits.append(
            TermFit(
                term,
                expression(term, names),
                _ratio(len(hits), len(inside)),
                _ratio(len(hits), len(positives)),
                _ratio(len(only), len(positives)),
                tuple(hits),
                tuple(c for c in inside if not outcome[c]),
            )
        )
    hits_all = [c for c in covered if outcome[c]]
    return Solution(
        tuple(fits), _ratio(len(hits_all), len(covered)), _ratio(len(hits_all), len(positives))
    )


def necessity(
    names: Sequence[str], memberships: Mapping[str, Sequence[int]], outcome: Mapping[str, int]
) -> tuple[Necessity, ...]:
    """Is each condition (and its negation) necessary for the outcome: consistency |X∩Y|/|Y|,
    coverage |X∩Y|/|X|."""
    positives = [c for c in memberships if outcome[c]]
    found = []
    for index, name in enumerate(names):
        for negated in (False, True):
            wanted = 0 if negated else 1
            inside = [c for c in memberships if memberships[c][index] == wanted]
            both = [c for c in inside if outcome[c]]
            found.append(
                Necessity(
                    name, negated, _ratio(len(both), len(positives)), _ratio(len(both), len(inside))
                )
            )
    return tuple(found)


def _solutions(
    names: Sequence[str],
    memberships: Mapping[str, Sequence[int]],
    outcome: Mapping[str, int],
    rows: Sequence[Row],
    remainders: Sequence[tuple[int, ...]],
    *,
    with_remainders: bool,
) -> tuple[Solution, ...]:
    positive = [row.configuration for row in rows if row.outcome == 1]
    pool = [*positive, *remainders] if with_remainders else positive
    models = minimal_covers(prime_implicants(pool), positive)
    solutions = []
    for terms in models:
        solution = fit(terms, names, memberships, outcome)
        if with_remainders:
            used = tuple(r for r in remainders if any(covers(t, r) for t in terms))
            solution = replace(solution, remainders_used=used)
        solutions.append(solution)
    return tuple(solutions)


def analyse(
    memberships: Mapping[str, Sequence[int]],
    outcome: Mapping[str, int],
    conditions: Sequence[str],
    cutoff: float = 1.0,
    *,
    leave_one_out: bool = True,
) -> Analysis:
    """The crisp-set analysis of cases given as 0/1 memberships in ``conditions`` and the
    outcome. A configuration is positive when the share of its cases with the outcome (its
    consistency) reaches ``cutoff``. The conservative solution minimises the positive
    configurations alone; the parsimonious one may also use the logical remainders."""
    if not conditions:
        raise UsageError("a QCA needs at least one condition")
    if len(conditions) > MAX_CONDITIONS:
        raise UsageError(
            f"{len(conditions)} conditions make a truth table of {2 ** len(conditions)} rows; "
            f"use at most {MAX_CONDITIONS}"
        )
    if not 0 < cutoff <= 1:
        raise UsageError(f"the consistency cut-off must lie in (0, 1], not {cutoff:g}")
    rows = truth_table(memberships, outcome, cutoff)
    observed = {row.configuration for row in rows}
    remainders = tuple(
        config
        for config in itertools.product((0, 1), repeat=len(conditions))
        if config not in observed
    )
    args = (conditions, memberships, outcome, rows, remainders)
    conservative = _solutions(*args, with_remainders=False)
    parsimonious = _solutions(*args, with_remainders=True)
    if leave_one_out and len(memberships) > 1:
        conservative, parsimonious = _leave_one_out(
            memberships, outcome, conditions, cutoff, conservative, parsimonious
        )
    return Analysis(
        tuple(conditions),
        cutoff,
        rows,
        remainders,
        conservative,
        parsimonious,
        necessity(conditions, memberships, outcome),
        tuple(c for c in sorted(memberships) if outcome[c]),
    )


def _leave_one_out(
    memberships: Mapping[str, Sequence[int]],
    outcome: Mapping[str, int],
    conditions: Sequence[str],
    cutoff: float,
    conservative: tuple[Solution, ...],
    parsimonious: tuple[Solution, ...],
) -> tuple[tuple[Solution, ...], tuple[Solution, ...]]:
    """Mark each term with the cases without which it is in no model of the solution."""
    without: dict[str, Analysis] = {}
    for case_id in sorted(memberships):
        rest = {c: m for c, m in memberships.items() if c != case_id}
        without[case_id] = analyse(rest, outcome, conditions, cutoff, leave_one_out=False)

    def mark(solutions: tuple[Solution, ...], kind: str) -> tuple[Solution, ...]:
        marked = []
        for solution in solutions:
            terms = []
            for term_fit in solution.terms:
                depends = tuple(
                    case_id
                    for case_id, other in without.items()
                    if not any(
                        term_fit.term in {t.term for t in model.terms}
                        for model in getattr(other, kind)
                    )
                )
                terms.append(replace(term_fit, depends_on=depends))
            marked.append(replace(solution, terms=tuple(terms)))
        return tuple(marked)

    return mark(conservative, "conservative"), mark(parsimonious, "parsimonious")


# --- calibrating a study --------------------------------------------------------------------


@dataclass(frozen=True)
class Calibrated:
    """A crisp set as used: its declaration (or the one made from a path) and whether the
    outcome is negated (``~NAME``)."""

    spec: QcaSet
    negated: bool = False
    declared: bool = True
    """False for a set named by path on the command line."""

    @property
    def name(self) -> str:
        return f"~{self.spec.id}" if self.negated else self.spec.id

    def rule_text(self) -> str:
        """The calibration rule in words: ``support.team_wide is true``."""
        spec = self.spec
        words = {
            "present": f"{spec.path} is coded",
            "true": f"{spec.path} is true",
            "at_least": f"{spec.path} ≥ {spec.threshold}",
            "at_most": f"{spec.path} ≤ {spec.threshold}",
        }[spec.rule]
        return f"not ({words})" if self.negated else words

    def label(self, lang: str) -> str:
        return self.spec.label.get(lang) if self.spec.label is not None else self.spec.id

    def as_json(self, lang: str) -> dict[str, Any]:
        return {
            "id": self.spec.id,
            "name": self.name,
            "path": self.spec.path,
            "rule": self.spec.rule,
            "threshold": self.spec.threshold,
            "negated": self.negated,
            "calibration": self.rule_text(),
            "label": self.label(lang),
            "rationale": self.spec.rationale,
            "declared": self.declared,
        }


_THRESHOLD = re.compile(r"^\s*([a-z0-9_.]+)\s*(>=|<=)\s*(-?\d+)\s*$")


def resolve_set(framework: Framework, text: str, *, outcome: bool = False) -> Calibrated:
    """A set named on the command line: the id of a declared condition or outcome (an outcome
    may be negated, ``~ID``), a code or bool path, or ``INTEGER_PATH>=N`` / ``<=N``."""
    raw = text.strip()
    negated = outcome and raw.startswith("~")
    raw = raw.removeprefix("~").strip() if negated else raw
    spec = framework.qca.find(raw) if framework.qca is not None else None
    if spec is not None:
        if outcome and spec.rule not in ("present", "true"):
            raise UsageError(f"'{raw}' reads an integer; an outcome is a code or a bool")
        return Calibrated(spec, negated)
    paths = qca_paths(framework)
    threshold: int | None = None
    rule = ""
    match = _THRESHOLD.match(raw)
    path = match.group(1) if match else raw
    kind = paths.get(path)
    if kind is None:
        declared = (
            []
            if framework.qca is None
            else [s.id for s in (*framework.qca.conditions, *framework.qca.outcomes)]
        )
        hint = did_you_mean(path, [*declared, *paths])
        what = "outcome" if outcome else "condition"
        raise UsageError(
            f"'{raw}' is not a declared {what} nor a code, bool or integer path"
            + (f"; {hint}" if hint else "")
        )
    if match:
        rule = "at_least" if match.group(2) == ">=" else "at_most"
        threshold = int(match.group(3))
    else:
        rule = {"code": "present", "bool": "true", "integer": ""}[kind]
    problem = rule_problem(kind, rule or "at_least", threshold, outcome=outcome)
    if problem is not None:
        message, hint = problem
        if kind == "integer" and not match and not outcome:
            message, hint = f"'{path}' is an integer", f"give a threshold: {path}>=N or {path}<=N"
        raise UsageError(f"{message}; {hint}")
    name = re.sub(r"[^a-z0-9_]", "_", path.rsplit(".", 1)[-1])
    if threshold is not None:
        name += f"_{'ge' if rule == 'at_least' else 'le'}_{threshold}".replace("-", "m")
    label = _path_label(framework, path)
    spec = QcaSet(
        id=name,
        path=path,
        rule=rule,  # type: ignore[arg-type]
        threshold=threshold,
        label=label,
        rationale="named on the command line",
    )
    return Calibrated(spec, negated, declared=False)


def _path_label(framework: Framework, path: str) -> Label | None:
    found = framework.code(path) or framework.group(path)
    if found is None:
        head, _, field_id = path.rpartition(".")
        group = framework.group(head)
        found = group.field(field_id) if group is not None else None  # type: ignore[assignment]
    return found.label if found is not None else None


def default_sets(framework: Framework) -> tuple[str | None, list[str]]:
    """The outcome and conditions of the ``qca:`` block's ``defaults``."""
    if framework.qca is None:
        return None, []
    return framework.qca.defaults.outcome, list(framework.qca.defaults.conditions)


def memberships_of(study: Study, calibrated: Calibrated) -> tuple[dict[str, int], dict[str, str]]:
    """Each case's 0/1 membership in the set, and the cases that cannot be placed (an integer
    that is not coded) with the reason. An absent code counts as not present, as in ``stats``."""
    spec = calibrated.spec
    found: dict[str, int] = {}
    missing: dict[str, str] = {}
    if spec.rule in ("present", "true"):
        held = set(cases_with(study, spec.path).cases)
        found = {case.id: int(case.id in held) for case in study}
    else:
        for case in study:
            value = case.scalar(spec.path)
            if not isinstance(value, int | float):
                missing[case.id] = f"{spec.path} is not coded"
                continue
            assert spec.threshold is not None
            inside = value >= spec.threshold if spec.rule == "at_least" else value <= spec.threshold
            found[case.id] = int(inside)
    if calibrated.negated:
        found = {case_id: 1 - value for case_id, value in found.items()}
    return found, missing


@dataclass(frozen=True)
class CaseQuote:
    set: str
    text: str
    speaker: str | None


@dataclass(frozen=True)
class QcaResult:
    """A calibrated study analysed: the sets, the cases left out, the analysis, and the
    evidence quotes of the cases in contradictory configurations."""

    outcome: Calibrated
    conditions: tuple[Calibrated, ...]
    memberships: dict[str, tuple[int, ...]]
    outcome_values: dict[str, int]
    excluded: dict[str, str]
    analysis: Analysis
    quotes: dict[str, tuple[CaseQuote, ...]] = field(default_factory=dict)

    def as_json(self, lang: str = "nl") -> dict[str, Any]:
        names = self.analysis.conditions
        a = self.analysis

        def config(values: Sequence[int]) -> dict[str, int]:
            return dict(zip(names, values, strict=True))

        return {
            "outcome": self.outcome.as_json(lang),
            "conditions": [c.as_json(lang) for c in self.conditions],
            "cutoff": a.cutoff,
            "cases": {
                case_id: {"configuration": config(values), "outcome": self.outcome_values[case_id]}
                for case_id, values in self.memberships.items()
            },
            "excluded": self.excluded,
            "truth_table": [_row_json(row, config) for row in a.rows],
            "contradictions": [
                {
                    "configuration": config(row.configuration),
                    "cases": [
                        {
                            "id": case_id,
                            "outcome": int(case_id in row.positive),
                            "quotes": [
                                {"set": q.set, "quote": q.text, "speaker": q.speaker}
                                for q in self.quotes.get(case_id, ())
                            ],
                        }
                        for case_id in row.cases
                    ],
                }
                for row in a.contradictions
            ],
            "remainders": [config(r) for r in a.remainders],
            "n_remainders": len(a.remainders),
            "solutions": {
                "conservative": [_solution_json(s, config) for s in a.conservative],
                "parsimonious": [_solution_json(s, config) for s in a.parsimonious],
            },
            "necessity": [
                {
                    "condition": n.expression,
                    "consistency": _round(n.consistency),
                    "coverage": _round(n.coverage),
                }
                for n in a.necessity
            ],
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def _row_json(row: Row, config: Any) -> dict[str, Any]:
    return {
        "configuration": config(row.configuration),
        "cases": list(row.cases),
        "positive": list(row.positive),
        "n": row.n,
        "consistency": _round(row.consistency),
        "outcome": row.outcome,
        "contradictory": row.contradictory,
    }


def _solution_json(solution: Solution, config: Any) -> dict[str, Any]:
    return {
        "expression": solution.expression,
        "consistency": _round(solution.consistency),
        "coverage": _round(solution.coverage),
        "terms": [
            {
                "expression": t.expression,
                "consistency": _round(t.consistency),
                "raw_coverage": _round(t.raw_coverage),
                "unique_coverage": _round(t.unique_coverage),
                "cases": list(t.cases),
                "inconsistent_cases": list(t.inconsistent),
                "depends_on": list(t.depends_on),
            }
            for t in solution.terms
        ],
        "remainders_used": [config(r) for r in solution.remainders_used],
    }


def qca(
    study: Study,
    outcome: str | None = None,
    conditions: Sequence[str] | None = None,
    cutoff: float = 1.0,
    *,
    leave_one_out: bool = True,
) -> QcaResult:
    """The crisp-set QCA of a study. ``outcome`` and ``conditions`` name sets of the
    framework's ``qca:`` block or paths (see :func:`resolve_set`); left out, they are the
    block's ``defaults``. ``leave_one_out=False`` skips the check that repeats the analysis
    without each case (it costs one analysis per case). Raises :class:`UsageError` for a set
    that cannot be read."""
    default_outcome, default_conditions = default_sets(study.framework)
    outcome = outcome or default_outcome
    names = list(conditions) if conditions else default_conditions
    if outcome is None:
        raise UsageError("no outcome: give --outcome, or qca.defaults.outcome in the framework")
    if not names:
        raise UsageError(
            "no conditions: give --conditions, or qca.defaults.conditions in the framework"
        )
    target = resolve_set(study.framework, outcome, outcome=True)
    sets = tuple(resolve_set(study.framework, name) for name in names)
    ids = [s.spec.id for s in sets]
    repeated = sorted({i for i in ids if ids.count(i) > 1} | ({target.spec.id} & set(ids)))
    if repeated:
        raise UsageError(f"'{repeated[0]}' is named twice among the outcome and conditions")
    excluded: dict[str, str] = {}
    columns = []
    for calibrated in (*sets, target):
        values, missing = memberships_of(study, calibrated)
        for case_id, reason in missing.items():
            excluded.setdefault(case_id, reason)
        columns.append(values)
    kept = [case.id for case in study if case.id not in excluded]
    memberships = {c: tuple(col[c] for col in columns[:-1]) for c in kept}
    outcome_values = {c: columns[-1][c] for c in kept}
    if not kept:
        raise UsageError(
            "no case can be placed in the truth table: "
            + "; ".join(f"{c}: {r}" for c, r in sorted(excluded.items()))
        )
    analysis = analyse(memberships, outcome_values, ids, cutoff, leave_one_out=leave_one_out)
    contradictory = {c for row in analysis.contradictions for c in row.cases}
    return QcaResult(
        target,
        sets,
        memberships,
        outcome_values,
        excluded,
        analysis,
        _quotes(study, (target, *sets), contradictory),
    )


def _quotes(
    study: Study, sets: Sequence[Calibrated], case_ids: set[str]
) -> dict[str, tuple[CaseQuote, ...]]:
    """The evidence quotes behind the codes of the sets, for the given cases (outcome first)."""
    found: dict[str, list[CaseQuote]] = {case_id: [] for case_id in sorted(case_ids)}
    if not case_ids:
        return {}
    for calibrated in sets:
        if calibrated.spec.rule not in ("present", "true"):
            continue
        for quote in quotes(study, calibrated.spec.path):
            if quote.case_id in found:
                found[quote.case_id].append(
                    CaseQuote(calibrated.spec.id, quote.text, quote.speaker)
                )
    return {case_id: tuple(q) for case_id, q in found.items()}
