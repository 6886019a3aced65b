"""Record tallies, case views and the framework matrix: pure functions for the report data."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from statistics import fmean
from types import MappingProxyType
from typing import Any

from ol_analysis.framework import Framework, Group, Part, RecordField
from ol_analysis.report_types import (
    CaseView,
    Count,
    FlagTally,
    FrameworkMatrix,
    FrameworkRow,
    ItemView,
    Moment,
    NumberSummary,
    PairTable,
    PartView,
    RecordSummary,
    RecordView,
    Roles,
    TallyCode,
    freeze,
)

TRUE_MARK = "✓"
FALSE_MARK = "✗"


def _count(case_ids: Iterable[str], total: int, path: str = "") -> Count:
    ids = tuple(case_ids)
    return Count(len(ids), ids, total, path)


def _field_codes(record: Any, field: RecordField) -> list[str]:
    value = getattr(record, field.id, None)
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _tallies(
    study: Any, group: Group, fields: Sequence[RecordField], lang: str, flag: str | None = None
) -> dict[str, tuple[TallyCode, ...]]:
    """Per code field: records and cases per code, in one pass over the records.

    With ``flag``, only the records whose bool field ``flag`` is true are counted.
    """
    total = len(study)
    records: dict[str, Counter[str]] = {f.id: Counter() for f in fields}
    cases: dict[str, dict[str, list[str]]] = {f.id: {} for f in fields}
    for case in study:
        for record in case.items(group.path):
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
                _count(cases[field.id].get(code.id, []), total),
            )
            for code in field.codes
        )
        for field in fields
    }


def _flag(study: Any, group: Group, field: RecordField) -> FlagTally:
    total = len(study)
    per_case = {
        case.id: sum(1 for r in case.items(group.path) if getattr(r, field.id, None) is True)
        for case in study
    }
    spread = Counter(k for k in per_case.values() if k)
    distribution = tuple(
        (k, _count([c for c, n in per_case.items() if n == k], total)) for k in sorted(spread)
    )
    return FlagTally(
        sum(per_case.values()),
        _count([c for c, n in per_case.items() if n], total, field.path),
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
    for case in study:
        for record in case.items(group.path):
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
                tuple(tuple(_count(cases.get(k, []), total) for k in row) for row in keys),
            )
    return tables


def _numbers(study: Any, group: Group, field: RecordField) -> NumberSummary:
    values = [
        float(v)
        for case in study
        for r in case.items(group.path)
        if isinstance(v := getattr(r, field.id, None), int | float) and not isinstance(v, bool)
    ]
    if not values:
        return NumberSummary(0, 0.0, 0.0, 0.0, 0.0)
    return NumberSummary(len(values), sum(values), fmean(values), min(values), max(values))


def record_summary(study: Any, group: Group, lang: str) -> RecordSummary:
    """Every tally of one record group the chapters draw on."""
    total = len(study)
    per_case = {case.id: len(case.items(group.path)) for case in study}
    coded = [f for f in group.fields if f.is_coded]
    flags = [f for f in group.fields if f.type == "bool"]
    numbers = [f for f in group.fields if f.type in ("integer", "number")]

    return RecordSummary(
        path=group.path,
        label=group.label.get(lang),
        count=_count([c for c, n in per_case.items() if n], total),
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


# --- one case as text ---------------------------------------------------------------------------


def _labels_of(codes: Sequence[Any], ids: Iterable[str], lang: str) -> list[str]:
    labels = {code.id: code.label.get(lang) for code in codes}
    return [labels.get(code_id, code_id) for code_id in ids]


def _mark(value: bool) -> str:
    return TRUE_MARK if value else FALSE_MARK


def _item(case: Any, group: Group, lang: str) -> ItemView | None:
    items = case.items(group.path)
    if not items and group.kind != "multi":
        return None
    if case.value(group.path) is None:
        return None
    inferred = any(getattr(item, "inferred", False) for item in items)
    label = group.label.get(lang)
    if group.is_coded:
        codes = tuple(item.code for item in items)
        text = ", ".join(_labels_of(group.codes, codes, lang))
        return ItemView(group.path, label, text, codes, inferred)
    value = case.scalar(group.path)
    text = _mark(value) if group.kind == "bool" else str(value)
    return ItemView(group.path, label, text, (), inferred)


def _field_text(record: Any, field: RecordField, lang: str) -> str | None:
    value = getattr(record, field.id, None)
    if value is None:
        return None
    if field.is_coded:
        return ", ".join(_labels_of(field.codes, _field_codes(record, field), lang))
    if field.type == "bool":
        return _mark(value)
    return str(value)


def _record(record: Any, group: Group, lang: str) -> RecordView:
    fields = tuple(
        (field.label.get(lang), text)
        for field in group.fields
        if (text := _field_text(record, field, lang)) is not None
    )
    return RecordView(fields, bool(getattr(record, "inferred", False)))


def _part_view(case: Any, part: Part, lang: str) -> PartView:
    items = tuple(
        item
        for group in part.groups
        if group.kind != "records" and (item := _item(case, group, lang)) is not None
    )
    records = {
        group.label.get(lang): tuple(_record(r, group, lang) for r in case.items(group.path))
        for group in part.groups
        if group.kind == "records" and case.items(group.path)
    }
    return PartView(part.id, part.label.get(lang), items, freeze(records))


def timeline(framework: Framework, case: Any, lang: str, group_path: str) -> tuple[Moment, ...]:
    """A case's moments in file order (which the file format says is chronological)."""
    group = framework.group(group_path)
    if group is None or group.kind != "records":
        return ()
    when = next((f for f in group.fields if f.type in ("period", "date", "month")), None)
    summary = next((f for f in group.fields if f.type == "text"), None)
    coded = [f for f in group.fields if f.type == "code"]
    moments = []
    for record in case.items(group.path):
        codes = {f.id: getattr(record, f.id) for f in coded if getattr(record, f.id, None)}
        labels = {f.id: _labels_of(f.codes, [codes[f.id]], lang)[0] for f in coded if f.id in codes}
        moments.append(
            Moment(
                str(getattr(record, when.id, "") or "") if when else "",
                " ".join(str(getattr(record, summary.id, "") or "").split()) if summary else "",
                freeze(codes),
                freeze(labels),
            )
        )
    return tuple(moments)


def _count_inferred(case: Any, framework: Framework) -> int:
    return sum(
        1
        for _part, group in framework.groups()
        for item in case.items(group.path)
        if getattr(item, "inferred", False)
    )


def case_view(study: Any, case: Any, lang: str, roles: Roles) -> CaseView:
    framework: Framework = study.framework
    analysis = case.analysis
    return CaseView(
        id=case.id,
        title=case.title,
        summary=" ".join(case.summary.split()),
        status=str(getattr(analysis, "status", "") or ""),
        parts=tuple(_part_view(case, part, lang) for part in framework.parts),
        timeline=timeline(framework, case, lang, roles.timeline),
        inferred_items=_count_inferred(case, framework),
    )


# --- the framework matrix -----------------------------------------------------------------------


def _cell(case: Any, part: Part, lang: str) -> str:
    bits = []
    for group in part.groups:
        label = group.label.get(lang)
        if group.kind == "records":
            records = case.items(group.path)
            if not records:
                continue
            row = group.row_field
            shown: list[str] = []
            if row is not None:
                if group.status is not None:
                    counting = set(group.status.counts)
                    records = [r for r in records if getattr(r, group.status.field) in counting]
                ids = [c for r in records for c in _field_codes(r, row)]
                shown = list(dict.fromkeys(_labels_of(row.codes, ids, lang)))
            bits.append(f"{label} ({len(records)})" + (f": {', '.join(shown)}" if shown else ""))
            continue
        item = _item(case, group, lang)
        if item is None or not item.text or item.text == FALSE_MARK:
            continue
        bits.append(label if item.text == TRUE_MARK else f"{label}: {item.text}")
    return "; ".join(bits)


def framework_matrix(
    study: Any, ordered: Sequence[Any], lang: str, order_by: str | None
) -> FrameworkMatrix:
    """Cases × parts of the framework, each cell the case's codings in that part."""
    parts = study.framework.parts
    return FrameworkMatrix(
        order_by,
        tuple((part.id, part.label.get(lang)) for part in parts),
        tuple(
            FrameworkRow(case.id, case.title, tuple(_cell(case, part, lang) for part in parts))
            for case in ordered
        ),
    )
