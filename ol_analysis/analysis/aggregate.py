"""Cross-case aggregation: pure functions over a loaded study (no I/O, no printing)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from types import MappingProxyType
from typing import Any

from ol_analysis.core.framework import Framework, Group
from ol_analysis.core.study import Case, Study
from ol_analysis.core.values import as_list
from ol_analysis.diagnostics import did_you_mean
from ol_analysis.errors import UsageError


def _record_codes(record: Any, field_id: str) -> list[str]:
    return as_list(getattr(record, field_id, None))


def counted_records(group: Group, case: Case) -> list[Any]:
    """The records of a group that count: all, or those whose status is a counting one."""
    records = case.items(group.path)
    if group.status is None:
        return records
    counting = set(group.status.counts)
    return [r for r in records if getattr(r, group.status.field, None) in counting]


def cases_with_code(study: Study, group: Group, field_id: str | None, code: str) -> list[str]:
    """Ids of the cases that code ``code`` in a group (or in a record field of it)."""
    found = []
    for case in study:
        if field_id is None:
            present = code in case.codes(group.path)
        else:
            row_field = group.row_field
            use_status = (
                group.status is not None and row_field is not None and field_id == row_field.id
            )
            records = counted_records(group, case) if use_status else case.items(group.path)
            present = any(code in _record_codes(r, field_id) for r in records)
        if present:
            found.append(case.id)
    return found


def counted_paths(framework: Framework, case: Case) -> set[str]:
    """The dotted paths a case counts under in ``stats``, found in one walk over its groups.

    Codes of single and multi groups; codes of record fields (for a group with a ``status``,
    its row codes only on records whose status counts); bool groups and bool fields when true.
    """
    paths: set[str] = set()
    for _part, group in framework.groups():
        items = case.items(group.path)
        if not items:
            continue
        if group.is_coded:
            paths.update(f"{group.path}.{item.code}" for item in items)
        elif group.kind == "bool":
            if items[0].value is True:
                paths.add(group.path)
        elif group.kind == "records":
            paths.update(_record_paths(group, items))
    return paths


def _record_paths(group: Group, records: list[Any]) -> Iterable[str]:
    row_field = group.row_field
    status = group.status
    for record in records:
        row_counts = status is None or getattr(record, status.field, None) in status.counts
        for field in group.fields:
            if field.is_coded:
                if field is row_field and not row_counts:
                    continue
                yield from (f"{field.path}.{code}" for code in _record_codes(record, field.id))
            elif field.type == "bool" and getattr(record, field.id, None) is True:
                yield field.path


class _JsonMapping(Mapping[str, Any]):
    """A frozen result that also reads as its JSON object (``result["counts"]``), as the
    ``stats()`` and ``matrix()`` of the first releases returned a plain dict."""

    def as_json(self) -> dict[str, Any]:
        raise NotImplementedError

    @cached_property
    def _json(self) -> dict[str, Any]:
        return self.as_json()

    def __getitem__(self, key: str) -> Any:
        return self._json[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._json)

    def __len__(self) -> int:
        return len(self._json)


@dataclass(frozen=True, eq=False)
class Stats(_JsonMapping):
    """Theme counts per code path (every code, zero counts included) and the values of
    integer, number and text groups per case."""

    n_cases: int
    counts: Mapping[str, tuple[str, ...]]
    scalar_values: Mapping[str, Mapping[str, Any]]

    def as_json(self) -> dict[str, Any]:
        """The ``stats --json`` object."""
        return {
            "n_cases": self.n_cases,
            "counts": {p: {"n": len(ids), "cases": list(ids)} for p, ids in self.counts.items()},
            "values": {path: dict(per_case) for path, per_case in self.scalar_values.items()},
        }


@dataclass(frozen=True, eq=False)
class Matrix(_JsonMapping):
    """The case-by-code matrix of a group: ``cells[code][case]``, cases in display order."""

    group: str
    rows: tuple[str, ...]
    cases: tuple[str, ...]
    cells: Mapping[str, Mapping[str, Any]]
    totals: Mapping[str, int]

    def as_json(self) -> dict[str, Any]:
        """The ``matrix --json`` object."""
        return {
            "group": self.group,
            "rows": list(self.rows),
            "cases": list(self.cases),
            "cells": {code: dict(row) for code, row in self.cells.items()},
            "totals": dict(self.totals),
        }


def stats(study: Study) -> Stats:
    """Theme counts per code: ``{"n_cases", "counts": {path: {"n", "cases"}}, "values"}``.

    Every code of the framework is present, zero counts included. Bool groups and bool record
    fields count under their own path (cases where true); integer, number and text groups are
    listed per case under ``values``.
    """
    framework = study.framework
    found: dict[str, list[str]] = {path: [] for path in countable_paths(framework)}
    values: dict[str, dict[str, Any]] = {
        group.path: {}
        for _part, group in framework.groups()
        if group.kind in ("integer", "number", "text")
    }
    for case in study:
        for path in counted_paths(framework, case):
            found[path].append(case.id)
        for path, per_case in values.items():
            value = case.scalar(path)
            if value is not None:
                per_case[case.id] = value
    return Stats(
        len(study),
        MappingProxyType({path: tuple(ids) for path, ids in found.items()}),
        MappingProxyType({path: MappingProxyType(v) for path, v in values.items()}),
    )


def countable_paths(framework: Framework) -> Iterable[str]:
    """Every path ``stats`` reports, in framework order."""
    for _part, group in framework.groups():
        if group.is_coded:
            yield from (code.path for code in group.codes)
        elif group.kind == "bool":
            yield group.path
        for field in group.fields:
            if field.is_coded:
                yield from (code.path for code in field.codes)
            elif field.type == "bool":
                yield field.path


def _resolve_group(study: Study, path: str) -> Group:
    group = study.framework.group(path)
    if group is None:
        known = [g.path for _p, g in study.framework.groups() if g.is_coded or g.kind == "records"]
        hint = did_you_mean(path, known)
        in_part = [g for g in known if g.startswith(f"{path}.")]
        if in_part:
            hint = f"'{path}' is a part; name one of its groups: {', '.join(in_part)}"
        raise UsageError(
            f"'{path}' is not a group of the framework" + (f"; {hint}" if hint else "")
        )
    if not (group.is_coded or (group.kind == "records" and group.row_field is not None)):
        article = "an" if group.kind[0] in "aeiou" else "a"
        raise UsageError(f"'{path}' is {article} {group.kind} group; a matrix needs codes")
    return group


def matrix(study: Study, group: str | None = None, order_by: str | None = None) -> Matrix:
    """The case-by-code matrix of a group, as in ``matrix --json``; without a group, of the
    framework's ``if_then`` role."""
    group = group or study.framework.roles.if_then
    if group is None:
        raise UsageError("name a GROUP: the framework has no 'if_then' role for a default matrix")
    target = _resolve_group(study, group)
    ordered = order_cases(study, order_by) if order_by else list(study)
    if target.is_coded:
        rows = [code.id for code in target.codes]
        cells = {
            code: {case.id: code in case.codes(target.path) for case in ordered} for code in rows
        }
        totals = {code: sum(cells[code].values()) for code in rows}
    else:
        row_field = target.row_field
        assert row_field is not None
        rows = [code.id for code in row_field.codes]
        cells = {
            code: {case.id: _record_cell(target, case, row_field.id, code) for case in ordered}
            for code in rows
        }
        totals = {code: len(cases_with_code(study, target, row_field.id, code)) for code in rows}
    return Matrix(
        target.path,
        tuple(rows),
        tuple(c.id for c in ordered),
        MappingProxyType({code: MappingProxyType(row) for code, row in cells.items()}),
        MappingProxyType(totals),
    )


def _record_cell(group: Group, case: Case, field_id: str, code: str) -> Any:
    records = [r for r in case.items(group.path) if code in _record_codes(r, field_id)]
    if group.status is None:
        return bool(records)
    return getattr(records[0], group.status.field) if records else None


def order_cases(study: Study, order_by: str) -> list[Case]:
    """Cases ordered by a profile attribute, a group, or the presence of a code.

    Codes sort in framework order, numbers ascending, presence first; cases without a value
    come last; ties keep case-id order.
    """
    framework = study.framework
    group = framework.group(order_by)
    if group is not None:
        return _order_by_group(study, group)
    head, _, code = order_by.rpartition(".")
    owner = framework.group(head)
    if owner is not None and owner.is_coded and code in {c.id for c in owner.codes}:
        return sorted(study, key=lambda case: code not in case.codes(owner.path))
    raise UsageError(
        f"cannot order by '{order_by}': name a group (profile.team) or a code "
        f"(course_outcome.outcomes.stability)"
    )


def _order_by_group(study: Study, group: Group) -> list[Case]:
    if group.is_coded:
        rank = {code.id: index for index, code in enumerate(group.codes)}

        def by_code(case: Case) -> tuple[int, ...]:
            ranks = sorted(rank[c] for c in case.codes(group.path))
            return (0, *ranks) if ranks else (1,)

        return sorted(study, key=by_code)
    if group.kind in ("integer", "number", "bool", "text"):

        def by_value(case: Case) -> tuple[int, Any]:
            value = case.scalar(group.path)
            return (1, 0) if value is None else (0, value if group.kind != "bool" else not value)

        return sorted(study, key=by_value)
    return sorted(study, key=lambda case: -len(case.items(group.path)))
