"""Record tallies, case views and the framework matrix: pure functions for the report data."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from statistics import fmean
from types import MappingProxyType
from typing import Any

from ol_analysis.analysis.counts import Count, freeze
from ol_analysis.core.framework import Group, RecordField
from ol_analysis.core.values import as_list
from ol_analysis.report.types import (
    FlagTally,
    NumberSummary,
    PairTable,
    RecordSummary,
    TallyCode,
)

TRUE_MARK = "✓"
FALSE_MARK = "✗"


def _field_codes(record: Any, field: RecordField) -> list[str]:
    return as_list(getattr(record, field.id, None))


def _tallies(
    study: Any, group: Group, fields: Sequence[RecordField], lang: str, flag: str | None = None
) -> dict[str, tuple[TallyCode, ...]]:
    """Per code field: records and cases per code, in one pass over the records.

    With ``flag``, only the records whose bool field ``flag`` is true are counted.
    """
    total = len(study)
    records: dict[str, Counter[str]] = {f.id: Counter() for f in fields}
    cases: dict[str, dict[str, list[str]]] = {f.id: {} for f in fields}
    path = group.path
    for case in study:
        for record in case.items(path):
            if flag is not None and getattr(record, flag, None) is not True:
                continue
            for field in fields:
                for code in set(_field_codes(record, field)):
                    records[field.id][code] += 1
                    holders = cases[field.id].setdefault(code, [])
                    if not holders or holders[-1] != case.id:
                        holders.append(case.id)
    return {
        field.id: tuple(
            TallyCode(
                code.id,
                code.path,
                code.label.get(lang),
                records[field.id][code.id],
                Count.of(cases[field.id].get(code.id, []), total),
            )
            for code in field.codes
        )
        for field in fields
    }


def _flag(study: Any, group: Group, field: RecordField) -> FlagTally:
    total, path, flag = len(study), group.path, field.id
    per_case = {
        case.id: sum(1 for r in case.items(path) if getattr(r, flag, None) is True)
        for case in study
    }
    spread = Counter(k for k in per_case.values() if k)
    distribution = tuple(
        (k, Count.of([c for c, n in per_case.items() if n == k], total)) for k in sorted(spread)
    )
    return FlagTally(
        sum(per_case.values()),
        Count.of([c for c, n in per_case.items() if n], total, field.path),
        MappingProxyType(per_case),
        distribution,
    )


def _pairs(
    study: Any, group: Group, fields: Sequence[RecordField], lang: str
) -> dict[tuple[str, str], PairTable]:
    """Every ordered pair of code fields crossed, in one pass over the records."""
    total = len(study)
    records: Counter[tuple[str, str, str, str]] = Counter()
    cases: dict[tuple[str, str, str, str], list[str]] = {}
    path = group.path
    for case in study:
        for record in case.items(path):
            codes = {f.id: set(_field_codes(record, f)) for f in fields}
            for first in fields:
                for second in fields:
                    if first.id == second.id:
                        continue
                    for a in codes[first.id]:
                        for b in codes[second.id]:
                            key = (first.id, second.id, a, b)
                            records[key] += 1
                            holders = cases.setdefault(key, [])
                            if not holders or holders[-1] != case.id:
                                holders.append(case.id)
    tables = {}
    for first in fields:
        for second in fields:
            if first.id == second.id:
                continue
            keys = [[(first.id, second.id, a.id, b.id) for b in second.codes] for a in first.codes]
            tables[(first.id, second.id)] = PairTable(
                first.id,
                second.id,
                tuple((c.id, c.label.get(lang)) for c in first.codes),
                tuple((c.id, c.label.get(lang)) for c in second.codes),
                tuple(tuple(records[k] for k in row) for row in keys),
                tuple(tuple(Count.of(cases.get(k, []), total) for k in row) for row in keys),
            )
    return tables


def _numbers(study: Any, group: Group, field: RecordField) -> NumberSummary:
    path = group.path
    values = [
        float(v)
        for case in study
        for r in case.items(path)
        if isinstance(v := getattr(r, field.id, None), int | float) and not isinstance(v, bool)
    ]
    if not values:
        return NumberSummary(0, 0.0, 0.0, 0.0, 0.0)
    return NumberSummary(len(values), sum(values), fmean(values), min(values), max(values))


def record_summary(study: Any, group: Group, lang: str) -> RecordSummary:
    """Every tally of one record group the chapters draw on."""
    total, path = len(study), group.path
    per_case = {case.id: len(case.items(path)) for case in study}
    coded = [f for f in group.fields if f.is_coded]
    flags = [f for f in group.fields if f.type == "bool"]
    numbers = [f for f in group.fields if f.type in ("integer", "number")]

    return RecordSummary(
        path=group.path,
        label=group.label.get(lang),
        count=Count.of([c for c, n in per_case.items() if n], total),
        records=sum(per_case.values()),
        per_case=MappingProxyType(per_case),
        minimum=min(per_case.values(), default=0),
        maximum=max(per_case.values(), default=0),
        mean=fmean(per_case.values()) if per_case else 0.0,
        fields=freeze(_tallies(study, group, coded, lang)),
        flags=freeze({f.id: _flag(study, group, f) for f in flags}),
        where=freeze(
            {flag.id: freeze(_tallies(study, group, coded, lang, flag.id)) for flag in flags}
        ),
        pairs=freeze(_pairs(study, group, coded, lang)),
        numbers=freeze({f.id: _numbers(study, group, f) for f in numbers}),
    )
