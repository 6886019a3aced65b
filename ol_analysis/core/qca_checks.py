"""The checks of the framework's ``qca:`` block: every condition and outcome names a path a
case can be calibrated on, with a rule that fits it.

A crisp set is read from a code (``present``), a bool group or bool record field (``true``)
or an integer group (``at_least``/``at_most`` a ``threshold``). An outcome is a code or a bool.
:func:`qca_paths` lists what may be named; :func:`rule_problem` is shared with the sets a user
names on the command line (``ol-analysis qca --conditions PATH>=N``).
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Literal

from ol_analysis.core.yamlsource import Loc, SourceDocument
from ol_analysis.diagnostics import Diagnostic, did_you_mean

if TYPE_CHECKING:
    from ol_analysis.core.framework import Framework, QcaSet

PathKind = Literal["code", "bool", "integer"]

RULES_OF: dict[PathKind, tuple[str, ...]] = {
    "code": ("present",),
    "bool": ("true",),
    "integer": ("at_least", "at_most"),
}
OUTCOME_RULES = ("present", "true")


def qca_paths(framework: Framework) -> dict[str, PathKind]:
    """Every path of the case parts a crisp set can be read from, with its kind."""
    paths: dict[str, PathKind] = {}
    for _part, group in framework.groups():
        if group.is_coded:
            paths.update((code.path, "code") for code in group.codes)
        elif group.kind == "bool":
            paths[group.path] = "bool"
        elif group.kind == "integer":
            paths[group.path] = "integer"
        for field in group.fields:
            if field.is_coded:
                paths.update((code.path, "code") for code in field.codes)
            elif field.type == "bool":
                paths[field.path] = "bool"
    return paths


def rule_problem(
    kind: PathKind, rule: str, threshold: int | None, *, outcome: bool = False
) -> tuple[str, str] | None:
    """(message, hint) when ``rule`` does not fit a path of ``kind``; None when it does."""
    fitting = RULES_OF[kind]
    a_kind = f"{'an' if kind == 'integer' else 'a'} {kind}"
    if outcome and (kind == "integer" or rule not in OUTCOME_RULES):
        return (
            f"an outcome is a code or a bool, not {a_kind}"
            if kind == "integer"
            else f"an outcome is a code or a bool; rule '{rule}' reads an integer",
            "name a code (rule: present) or a bool (rule: true)",
        )
    if rule not in fitting:
        return (
            f"rule '{rule}' does not fit {a_kind} path",
            f"{a_kind} path takes rule: {' or '.join(fitting)}",
        )
    if kind == "integer" and threshold is None:
        return (f"rule '{rule}' needs a threshold", "add 'threshold: N'")
    if kind != "integer" and threshold is not None:
        return (f"rule '{rule}' takes no threshold", "remove 'threshold'")
    return None


def check_qca(framework: Framework, doc: SourceDocument) -> list[Diagnostic]:
    """Every problem of the ``qca:`` block, located where it is written."""
    spec = framework.qca
    if spec is None:
        return []
    paths = qca_paths(framework)
    problems: list[Diagnostic] = []
    for key in ("conditions", "outcomes"):
        for index, qca_set in enumerate(getattr(spec, key)):
            loc: Loc = ("qca", key, index)
            problems += _check_set(doc, paths, qca_set, loc, outcome=key == "outcomes")
    problems += _duplicates(doc, spec.conditions, spec.outcomes)
    problems += _check_defaults(framework, doc)
    return problems


def _check_set(
    doc: SourceDocument, paths: dict[str, PathKind], qca_set: QcaSet, loc: Loc, *, outcome: bool
) -> list[Diagnostic]:
    kind = paths.get(qca_set.path)
    if kind is None:
        hint = did_you_mean(qca_set.path, list(paths))
        return [
            doc.diagnostic(
                (*loc, "path"),
                "framework-qca-unknown-path",
                f"'{qca_set.path}' names no code, bool or integer of the case parts",
                hint or "a condition is a code, a bool or an integer; an outcome a code or a bool",
            )
        ]
    found = rule_problem(kind, qca_set.rule, qca_set.threshold, outcome=outcome)
    if found is None:
        return []
    where = "threshold" if "threshold" in found[0] and qca_set.threshold is not None else "rule"
    return [doc.diagnostic((*loc, where), "framework-qca-rule", *found)]


def _duplicates(
    doc: SourceDocument, conditions: list[QcaSet], outcomes: list[QcaSet]
) -> list[Diagnostic]:
    """Conditions and outcomes share one namespace: ``--outcome`` and ``--conditions`` name
    them by id."""
    seen = Counter[str]()
    first: dict[str, Loc] = {}
    problems = []
    for key, sets in (("conditions", conditions), ("outcomes", outcomes)):
        for index, qca_set in enumerate(sets):
            loc: Loc = ("qca", key, index, "id")
            seen[qca_set.id] += 1
            first.setdefault(qca_set.id, loc)
            if seen[qca_set.id] == 2:
                line = doc.position(first[qca_set.id])[0]
                problems.append(
                    doc.diagnostic(
                        loc,
                        "framework-duplicate-id",
                        f"duplicate qca set id '{qca_set.id}' (first at line {line})",
                        "conditions and outcomes share one namespace of ids",
                    )
                )
    return problems


def _check_defaults(framework: Framework, doc: SourceDocument) -> list[Diagnostic]:
    spec = framework.qca
    assert spec is not None
    conditions = [s.id for s in spec.conditions]
    outcomes = [s.id for s in spec.outcomes]
    problems = []
    wanted: list[tuple[Loc, str, list[str], str]] = [
        (("qca", "defaults", "conditions", i), name, conditions, "condition")
        for i, name in enumerate(spec.defaults.conditions)
    ]
    if spec.defaults.outcome is not None:
        wanted.insert(
            0, (("qca", "defaults", "outcome"), spec.defaults.outcome, outcomes, "outcome")
        )
    for loc, name, known, what in wanted:
        if name not in known:
            hint = did_you_mean(name, known) or (
                f"the {what}s: {', '.join(known)}" if known else f"declare it under qca.{what}s"
            )
            problems.append(
                doc.diagnostic(
                    loc,
                    "framework-qca-unknown-set",
                    f"'{name}' is not a {what} of the qca block",
                    hint,
                )
            )
    return problems
