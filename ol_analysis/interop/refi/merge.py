"""A carried case file brought up to date with what another tool changed in the project.

When the codebook of a project still is the study's framework but a case's codes, variable
values or title were changed in another tool, the carried case file is kept and the changes are
applied to it (comments and everything else stay, through ruamel.yaml's round trip):

- a code removed in the project is removed from the case: a single or bool group is left out,
  a multi group loses the item, a record field loses the code (and a record that then lacks a
  required field goes);
- a code added is added: a single group takes it (when it holds no other code), a multi group
  gets the item, a bool group becomes true; a code of a record field cannot be added, since a
  record needs its other fields, and is reported;
- a changed variable value replaces the group's value (its evidence and inference with it);
- a changed title replaces the title.

Whatever cannot be applied, or is dropped on the way, is returned as a sentence for the loss
report.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

from ol_analysis.core.framework import Framework, Group, RecordField


@dataclass
class CaseChanges:
    """What the project says differently from a carried case (code paths, group paths)."""

    removed: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    values: dict[str, str] = field(default_factory=dict)  # group path → the project's text
    cleared: list[str] = field(default_factory=list)  # group paths whose value is gone
    title: str | None = None


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 100
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def _code_of(item: Any) -> Any:
    return item.get("code") if isinstance(item, dict) else item


def _owner(framework: Framework, path: str) -> tuple[Group, RecordField | None, str | None]:
    """The group, record field and code id a code path names."""
    parts = path.split(".")
    group = framework.group(".".join(parts[:2]))
    if group is None:
        raise KeyError(path)
    if group.kind == "records":
        fld = group.field(parts[2])
        return group, fld, parts[3] if len(parts) > 3 else None
    return group, None, parts[2] if len(parts) > 2 else None


def _remove(framework: Framework, data: CommentedMap, path: str, lost: list[str]) -> None:
    group, fld, code = _owner(framework, path)
    part_id, group_id = group.path.split(".")
    part = data.get(part_id)
    if not isinstance(part, dict) or group_id not in part:
        return
    value = part[group_id]
    if group.kind in ("single", "bool"):
        del part[group_id]
    elif group.kind == "multi" and isinstance(value, list):
        for item in [i for i in value if _code_of(i) == code]:
            value.remove(item)
    elif group.kind == "records" and fld is not None and isinstance(value, list):
        for record in list(value):
            if not isinstance(record, dict) or fld.id not in record:
                continue
            held = record[fld.id]
            if fld.type == "bool" or held == code:
                del record[fld.id]
            elif isinstance(held, list) and code in held:
                held.remove(code)
                if not held:
                    del record[fld.id]
            missing = [f.id for f in group.fields if f.required and f.id not in record]
            if missing:
                value.remove(record)
                lost.append(f"a record of {group.path} (it lost its required {missing[0]})")
    if not part[group_id] and group_id in part and group.kind != "bool":
        del part[group_id]
    if not part:
        del data[part_id]


def _add(framework: Framework, data: CommentedMap, path: str, lost: list[str]) -> None:
    group, fld, code = _owner(framework, path)
    part_id, group_id = group.path.split(".")
    if group.kind == "records" or fld is not None:
        lost.append(f"the code {path} (a new record needs fields REFI-QDA does not carry)")
        return
    part = data.setdefault(part_id, CommentedMap())
    if group.kind == "bool":
        part[group_id] = True
    elif group.kind == "single":
        if part.get(group_id) is not None and _code_of(part[group_id]) != code:
            lost.append(f"the code {path} (the single group already holds {part[group_id]})")
            return
        part.setdefault(group_id, code)
    elif group.kind == "multi":
        items = part.setdefault(group_id, CommentedSeq())
        if code not in [_code_of(i) for i in items]:
            items.append(code)


def _set_value(
    framework: Framework, data: CommentedMap, path: str, text: str, convert: Callable[..., Any]
) -> str | None:
    group = framework.group(path)
    if group is None:
        return None
    part_id, group_id = path.split(".")
    part = data.setdefault(part_id, CommentedMap())
    old = part.get(group_id)
    try:
        part[group_id] = convert(group, text)
    except ValueError:
        return f"the value '{text}' of {path} (not a {group.kind})"
    if isinstance(old, dict) and (old.get("evidence") or old.get("inferred")):
        return f"the evidence and inference of {path} (its value changed in the project)"
    return None


def merge_case(
    framework: Framework, text: str, changes: CaseChanges, convert: Callable[..., Any]
) -> tuple[str, list[str]]:
    """The carried case ``text`` with ``changes`` applied, and what could not be kept.

    ``convert(group, text)`` turns a variable's text into the group's value (raises
    ValueError)."""
    yaml = _yaml()
    try:
        data = yaml.load(text)
    except YAMLError as error:  # the carrier was checked before; this is a guard
        raise ValueError(f"the carried case file is not YAML ({error})") from None
    lost: list[str] = []
    for path in changes.removed:
        _remove(framework, data, path, lost)
    for path in changes.added:
        _add(framework, data, path, lost)
    for path, value in changes.values.items():
        problem = _set_value(framework, data, path, value, convert)
        if problem:
            lost.append(problem)
    for path in changes.cleared:
        part_id, group_id = path.split(".")
        part = data.get(part_id)
        if isinstance(part, dict) and group_id in part:
            del part[group_id]
    if changes.title is not None:
        data["title"] = changes.title
    buffer = io.StringIO()
    yaml.dump(data, buffer)
    return buffer.getvalue(), lost
