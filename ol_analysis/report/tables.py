"""From the stats counts to tables: every coded group's counts with labels, crosstabs by a
profile attribute, case-by-code matrices and status matrices. Pure functions for
:func:`ol_analysis.report.data.gather`."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from ol_analysis.analysis.aggregate import cases_with_code
from ol_analysis.analysis.counts import Count
from ol_analysis.core.framework import Framework, Group
from ol_analysis.report.types import (
    CaseCodeMatrix,
    CodeCount,
    Crosstab,
    CrosstabRow,
    GroupCounts,
    MatrixRow,
    StatusMatrix,
    StatusRow,
)


def _coded_owners(framework: Framework) -> list[tuple[Group, str | None, str, list[Any]]]:
    """(group, field id or None, path, codes) of every coded group and coded record field."""
    owners: list[tuple[Group, str | None, str, list[Any]]] = []
    for _part, group in framework.groups():
        if group.is_coded:
            owners.append((group, None, group.path, list(group.codes)))
        for field in group.fields:
            if field.is_coded:
                owners.append((group, field.id, field.path, list(field.codes)))
    return owners


def group_counts(
    study: Any, framework: Framework, counts: Mapping[str, Count], lang: str
) -> dict[str, GroupCounts]:
    groups = {}
    for group, field_id, path, codes in _coded_owners(framework):
        code_counts = tuple(
            CodeCount(code.id, code.path, code.label.get(lang), counts[code.path]) for code in codes
        )
        holders = {cc.id: set(cc.count.cases) for cc in code_counts}
        anywhere = set().union(*holders.values())
        per_case = {
            case.id: tuple(cc.id for cc in code_counts if case.id in holders[cc.id])
            for case in study
        }
        owner = framework.vocabulary_owner(path)
        label = owner.label.get(lang) if owner is not None else path
        groups[path] = GroupCounts(
            path=path,
            label=label,
            kind=group.kind if field_id is None else "records",
            codes=code_counts,
            coded=Count.of(sorted(anywhere), len(study)),
            per_case=MappingProxyType(per_case),
        )
    return groups


def _profile_attributes(framework: Framework) -> list[Group]:
    profile = framework.roles.profile
    part = framework.part(profile) if profile is not None else None
    return [g for g in (part.groups if part else []) if g.kind == "single"]


def crosstabs(
    study: Any, framework: Framework, groups: Mapping[str, GroupCounts], lang: str
) -> dict[tuple[str, str], Crosstab]:
    """Every coded group and field crossed with every single-choice profile attribute."""
    tables = {}
    total = len(study)
    for by in _profile_attributes(framework):
        columns = tuple(
            CodeCount(
                c.id,
                c.path,
                c.label.get(lang),
                Count.of(cases_with_code(study, by, None, c.id), total),
            )
            for c in by.codes
        )
        value_of = {case_id: i for i, col in enumerate(columns) for case_id in col.count.cases}
        for path, counted in groups.items():
            if path == by.path:
                continue
            rows = []
            for code in counted.codes:
                split: list[list[str]] = [[] for _ in columns]
                for case_id in code.count.cases:
                    if case_id in value_of:
                        split[value_of[case_id]].append(case_id)
                cells = tuple(Count.of(ids, total) for ids in split)
                rows.append(CrosstabRow(code.id, code.label, cells, code.count))
            tables[(path, by.path)] = Crosstab(
                path, counted.label, by.path, by.label.get(lang), columns, tuple(rows)
            )
    return tables


def case_code_matrix(
    group: Group,
    order: tuple[str, ...],
    lang: str,
    groups: Mapping[str, GroupCounts],
    status_matrices: Mapping[str, StatusMatrix],
) -> CaseCodeMatrix:
    """The ``matrix --json`` of a group, derived from the counts already gathered (the tests
    hold it equal to :func:`ol_analysis.analysis.aggregate.matrix`)."""
    if group.is_coded:
        counted = groups[group.path]
    else:
        assert group.row_field is not None
        counted = groups[f"{group.path}.{group.row_field.id}"]
    status = status_matrices.get(group.path)
    rows = []
    for index, code in enumerate(counted.codes):
        if status is not None:
            cells: tuple[Any, ...] = status.rows[index].cells
            total = status.rows[index].count
        else:
            cells = tuple(code.id in counted.per_case[case_id] for case_id in order)
            total = code.count
        rows.append(MatrixRow(code.id, code.label, cells, total))
    return CaseCodeMatrix(group.path, group.label.get(lang), order, tuple(rows))


def status_matrices(
    study: Any, framework: Framework, order: tuple[str, ...], lang: str
) -> dict[str, StatusMatrix]:
    tables = {}
    total = len(study)
    by_id = {case.id: case for case in study}
    for _part, group in framework.groups():
        if group.status is None or group.row_field is None:
            continue
        row_field = group.row_field
        status_field = group.field(group.status.field)
        assert status_field is not None
        statuses = tuple((c.id, c.label.get(lang)) for c in status_field.codes)
        rows = []
        for code in row_field.codes:
            cells = []
            for case_id in order:
                found = [
                    r
                    for r in by_id[case_id].items(group.path)
                    if getattr(r, row_field.id, None) == code.id
                ]
                cells.append(getattr(found[0], status_field.id, None) if found else None)
            by_status = {
                status: Count.of(
                    [c for c, s in zip(order, cells, strict=True) if s == status and c], total
                )
                for status, _label in statuses
            }
            sorted_by_status = {
                s: Count.of(sorted(cnt.cases), total) for s, cnt in by_status.items()
            }
            counting = set(group.status.counts)
            supporting = sorted(c for c, s in zip(order, cells, strict=True) if s in counting)
            rows.append(
                StatusRow(
                    code.id,
                    code.label.get(lang),
                    tuple(cells),
                    MappingProxyType(sorted_by_status),
                    Count.of(supporting, total, code.path),
                )
            )
        tables[group.path] = StatusMatrix(
            group.path,
            group.label.get(lang),
            order,
            statuses,
            tuple(group.status.counts),
            tuple(rows),
        )
    return tables
