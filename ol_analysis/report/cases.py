"""Each case as the report shows it (its codings as text, its timeline) and the framework
matrix built from those texts. Pure; the per-group facts are looked up once per framework, not
once per case, so that this stays cheap for thousands of cases."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ol_analysis.analysis.counts import Roles, freeze
from ol_analysis.core.framework import Framework, Group, RecordField
from ol_analysis.core.values import as_list
from ol_analysis.report.types import (
    CaseView,
    FrameworkMatrix,
    FrameworkRow,
    ItemView,
    Moment,
    PartView,
    RecordView,
)

TRUE_MARK = "✓"
FALSE_MARK = "✗"


def _mark(value: bool) -> str:
    return TRUE_MARK if value else FALSE_MARK


@dataclass(frozen=True)
class _Field:
    id: str
    label: str
    type: str
    labels: dict[str, str]


@dataclass(frozen=True)
class _Group:
    """What the case texts need of a group, computed once."""

    path: str
    label: str
    kind: str
    labels: dict[str, str]
    fields: tuple[_Field, ...]
    row: str | None
    status: str | None
    counting: frozenset[str]

    @classmethod
    def of(cls, group: Group, lang: str) -> _Group:
        row = group.row_field
        return cls(
            path=group.path,
            label=group.label.get(lang),
            kind=group.kind,
            labels={c.id: c.label.get(lang) for c in group.codes},
            fields=tuple(_field(f, lang) for f in group.fields),
            row=row.id if row is not None else None,
            status=group.status.field if group.status is not None else None,
            counting=frozenset(group.status.counts if group.status is not None else ()),
        )


def _field(field: RecordField, lang: str) -> _Field:
    return _Field(
        field.id, field.label.get(lang), field.type, {c.id: c.label.get(lang) for c in field.codes}
    )


class CaseTexts:
    """Turns cases into :class:`CaseView` s and framework-matrix cells in one language."""

    def __init__(self, framework: Framework, lang: str, roles: Roles) -> None:
        self.parts = [
            (part.id, part.label.get(lang), [_Group.of(g, lang) for g in part.groups])
            for part in framework.parts
        ]
        timeline = framework.group(roles.timeline)
        self.timeline = (
            _Group.of(timeline, lang)
            if timeline is not None and timeline.kind == "records"
            else None
        )
        self._seen: dict[Any, Any] = {}

    def _shared(self, value: Any) -> Any:
        """An equal value made for an earlier case, when there is one: items, records and
        their fields repeat across cases (a team, a discipline), and a build of 10,000 cases
        holds every view at once. The views are frozen, so sharing changes nothing they show."""
        return self._seen.setdefault(value, value)

    def view(self, case: Any) -> tuple[CaseView, tuple[str, ...]]:
        """The case's view, and its framework-matrix cells (one per part)."""
        parts = []
        cells = []
        inferred = 0
        for part_id, part_label, groups in self.parts:
            items: list[ItemView] = []
            records: dict[str, tuple[RecordView, ...]] = {}
            bits: list[str] = []
            for group in groups:
                found = case.items(group.path)
                inferred += sum(1 for item in found if getattr(item, "inferred", False))
                if group.kind == "records":
                    if found:
                        records[group.label] = tuple(
                            self._shared(_record(r, group, self._shared)) for r in found
                        )
                        bits.append(_records_cell(found, group))
                    continue
                item = _item(case, group, found)
                if item is None:
                    continue
                items.append(self._shared(item))
                if item.text and item.text != FALSE_MARK:
                    bits.append(
                        group.label if item.text == TRUE_MARK else f"{group.label}: {item.text}"
                    )
            parts.append(PartView(part_id, part_label, tuple(items), freeze(records)))
            cells.append("; ".join(bits))
        view = CaseView(
            id=case.id,
            title=case.title,
            summary=" ".join(case.summary.split()),
            status=str(getattr(case.analysis, "status", "") or ""),
            parts=tuple(parts),
            timeline=self._timeline(case),
            inferred_items=inferred,
        )
        return view, tuple(cells)

    def _timeline(self, case: Any) -> tuple[Moment, ...]:
        """The moments in file order (which the file format says is chronological)."""
        group = self.timeline
        if group is None:
            return ()
        when = next((f for f in group.fields if f.type in ("period", "date", "month")), None)
        summary = next((f for f in group.fields if f.type == "text"), None)
        coded = [f for f in group.fields if f.type == "code"]
        moments = []
        for record in case.items(group.path):
            codes = {f.id: getattr(record, f.id) for f in coded if getattr(record, f.id, None)}
            labels = {f.id: f.labels.get(codes[f.id], codes[f.id]) for f in coded if f.id in codes}
            moments.append(
                Moment(
                    str(getattr(record, when.id, "") or "") if when else "",
                    " ".join(str(getattr(record, summary.id, "") or "").split()) if summary else "",
                    freeze(codes),
                    freeze(labels),
                )
            )
        return tuple(moments)


def _item(case: Any, group: _Group, found: list[Any]) -> ItemView | None:
    value = case.value(group.path)
    if value is None or (not found and group.kind != "multi"):
        return None
    inferred = any(getattr(item, "inferred", False) for item in found)
    if group.kind in ("single", "multi"):
        codes = tuple(item.code for item in found)
        text = ", ".join(group.labels.get(c, c) for c in codes)
        return ItemView(group.path, group.label, text, codes, inferred)
    scalar = getattr(value, "value", None)
    text = _mark(bool(scalar)) if group.kind == "bool" else str(scalar)
    return ItemView(group.path, group.label, text, (), inferred)


def _field_text(record: Any, field: _Field) -> str | None:
    value = getattr(record, field.id, None)
    if value is None:
        return None
    if field.type in ("code", "codes"):
        return ", ".join(field.labels.get(c, c) for c in as_list(value))
    if field.type == "bool":
        return _mark(value)
    return str(value)


def _record(record: Any, group: _Group, shared: Callable[[Any], Any]) -> RecordView:
    fields = tuple(
        shared((field.label, text))
        for field in group.fields
        if (text := _field_text(record, field)) is not None
    )
    return RecordView(fields, bool(getattr(record, "inferred", False)))


def _records_cell(records: list[Any], group: _Group) -> str:
    """ "label (n): row labels" — with a status, only the records whose status counts."""
    if group.status is not None:
        records = [r for r in records if getattr(r, group.status, None) in group.counting]
    shown: list[str] = []
    if group.row is not None:
        row = next(f for f in group.fields if f.id == group.row)
        ids = [c for r in records for c in as_list(getattr(r, row.id, None))]
        shown = list(dict.fromkeys(row.labels.get(c, c) for c in ids))
    return f"{group.label} ({len(records)})" + (f": {', '.join(shown)}" if shown else "")


def case_views(
    study: Any, ordered: Sequence[Any], lang: str, roles: Roles, order_by: str | None
) -> tuple[dict[str, CaseView], FrameworkMatrix]:
    """Every case's view (in ``ordered`` order) and the framework matrix (cases × parts)."""
    texts = CaseTexts(study.framework, lang, roles)
    views: dict[str, CaseView] = {}
    rows = []
    for case in ordered:
        view, cells = texts.view(case)
        views[case.id] = view
        rows.append(FrameworkRow(case.id, case.title, cells))
    parts = tuple((part_id, label) for part_id, label, _groups in texts.parts)
    return views, FrameworkMatrix(order_by, parts, tuple(rows))
