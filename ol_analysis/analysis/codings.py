"""A case flattened into its coded items: the shared input of every export.

A case file nests codes in parts, groups, records and fields. Exports (REFI-QDA, CSV, SQLite,
GraphML) all need the same flat view: which code paths a case holds, on which item, with what
evidence and inference. Bool groups and bool record fields count as a "code" under their own
path when true, as in :func:`ol_analysis.stats`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ol_analysis.core.framework import Framework, Group
from ol_analysis.core.study import Case
from ol_analysis.core.values import as_list

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(text: str) -> str:
    """Text without control characters (other than tab and newline), which XML 1.0 cannot
    carry and no export needs; a stray one in a case file must not make an export invalid."""
    return _CONTROL.sub("", text)


@dataclass(frozen=True)
class Item:
    """One coded item of a case: a single/multi code, an expanded value, or a record."""

    case_id: str
    group: Group
    index: int  # position in the group's list (0 for a single or a scalar)
    model: Any

    @property
    def key(self) -> str:
        """A stable name of the item inside the study: ``c01/support.professionals/2``."""
        return f"{self.case_id}/{self.group.path}/{self.index}"

    @property
    def evidence(self) -> list[Any]:
        return list(getattr(self.model, "evidence", None) or [])

    @property
    def inferred(self) -> bool:
        return bool(getattr(self.model, "inferred", False))

    @property
    def basis(self) -> str | None:
        return getattr(self.model, "basis", None)


@dataclass(frozen=True)
class Coding:
    """A code path an item holds; ``counted`` is False where ``stats`` does not count it."""

    item: Item
    path: str
    field: str | None
    code: str
    counted: bool = True


def items(framework: Framework, case: Case) -> Iterator[Item]:
    """Every coded item of the case, in framework order then file order."""
    for _part, group in framework.groups():
        for index, model in enumerate(case.items(group.path)):
            yield Item(case.id, group, index, model)


def item_codings(item: Item) -> list[Coding]:
    """The code paths one item holds (empty for integer, number and text values)."""
    group, model = item.group, item.model
    if group.is_coded:
        return [Coding(item, f"{group.path}.{model.code}", None, model.code)]
    if group.kind == "bool":
        return [Coding(item, group.path, None, "true")] if model.value is True else []
    if group.kind != "records":
        return []
    counting = True
    row_field = group.row_field
    if group.status is not None:
        counting = getattr(model, group.status.field, None) in set(group.status.counts)
    found = []
    for field in group.fields:
        value = getattr(model, field.id, None)
        if field.is_coded and value is not None:
            counted = counting or row_field is None or field.id != row_field.id
            for code in as_list(value):
                found.append(Coding(item, f"{field.path}.{code}", field.id, code, counted))
        elif field.type == "bool" and value is True:
            found.append(Coding(item, field.path, field.id, "true"))
    return found


def case_codings(framework: Framework, case: Case) -> list[Coding]:
    return [coding for item in items(framework, case) for coding in item_codings(item)]


def code_paths(framework: Framework) -> list[str]:
    """Every path a case can hold: codes, bool groups and bool fields, in framework order."""
    paths = []
    for _part, group in framework.groups():
        if group.is_coded:
            paths += [code.path for code in group.codes]
        elif group.kind == "bool":
            paths.append(group.path)
        for field in group.fields:
            if field.is_coded:
                paths += [code.path for code in field.codes]
            elif field.type == "bool":
                paths.append(field.path)
    return paths


def case_code_paths(framework: Framework, case: Case) -> list[str]:
    """The distinct paths a case holds anywhere (status or not), in framework order."""
    held = {coding.path for coding in case_codings(framework, case)}
    return [path for path in code_paths(framework) if path in held]


def group_value(case: Case, group: Group) -> Any:
    """A group's value as plain data: a code, a list of codes, a scalar, or None if absent.

    A multi group coded as ``[]`` gives ``[]``; a group left out gives ``None``.
    """
    value = case.value(group.path)
    if value is None:
        return None
    if group.kind == "single":
        return value.code
    if group.kind == "multi":
        return [item.code for item in value]
    if group.kind == "records":
        return None
    return value.value


def text_of(value: Any) -> str:
    """A plain value as one cell of text: code lists joined by ``; ``, booleans as true/false."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return str(value)


def record_text_fields(group: Group, model: Any) -> dict[str, Any]:
    """A record's fields as plain values (code lists kept as lists)."""
    return {field.id: getattr(model, field.id, None) for field in group.fields}
