"""What a codebook change means for case data: old codes and groups under their new names.

Between two versions of ``framework.yaml`` (the one an old version of a case was coded with,
and the one it is compared in) :func:`compare_frameworks` finds

- *renamed codes*: in one vocabulary, a code only the old version has and one only the new
  version has, with the same label (``rename-code`` keeps the label);
- *merged codes*: two codes only the old version has and one only the new version has whose
  label is theirs joined with " / " (what ``merge-codes`` writes when no label is given), or
  whose description is theirs joined;
- *moved groups*: a group that left one part and turned up in another, with the same id (or
  the same label) and kind.

A merge into a code that already existed leaves no trace in the codebook itself (the target
keeps its entry), so it is not recognised: its cases show the old code removed and the target
added.

:func:`translate` then rewrites a dumped case (``model_dump(mode="json")``) of the old version
into the new names, joining what a merge makes one (evidence lists joined, inferred only if
both were, bases joined), and says which of the changes the case actually used. Groups the new
framework no longer has are taken out and returned apart, so that nothing disappears unseen.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from ol_analysis.core.framework import Code, Framework, Group, RecordField

_PROVENANCE = ("evidence", "inferred", "basis")


@dataclass(frozen=True)
class CodebookChange:
    """One renamed or merged code, or one moved group, by dotted path."""

    kind: Literal["code", "group"]
    old: str
    new: str

    @property
    def line(self) -> str:
        """``codebook: support.guidance.finances → money_matters`` (the new path in full when
        the code or group moved to another owner)."""
        old_owner, _, _ = self.old.rpartition(".")
        new_owner, _, new_id = self.new.rpartition(".")
        return f"codebook: {self.old} → {new_id if old_owner == new_owner else self.new}"

    def as_json(self) -> dict[str, Any]:
        return {"path": self.old, "change": "codebook", "old": self.old, "new": self.new}


@dataclass(frozen=True)
class _Owner:
    """A vocabulary in the new framework and its counterpart in the old one."""

    old_path: str
    new_path: str
    mapping: dict[str, str]


@dataclass
class Codebook:
    """How the codes and groups of an old framework are named in a new one."""

    groups: dict[str, str] = field(default_factory=dict)
    """Old group path → new group path, for groups that moved to another part."""
    owners: dict[str, _Owner] = field(default_factory=dict)
    """New owner path (a group or a record field) → its old path and old id → new id."""
    dropped: dict[str, Group] = field(default_factory=dict)
    """Groups of the old framework the new one has no place for, by old path."""

    def __bool__(self) -> bool:
        return bool(self.groups or self.owners or self.dropped)

    @property
    def changes(self) -> list[CodebookChange]:
        """Every change, groups first, each code once per vocabulary that uses it."""
        found = [CodebookChange("group", old, new) for old, new in self.groups.items()]
        for owner in self.owners.values():
            found += [
                CodebookChange("code", f"{owner.old_path}.{old}", f"{owner.new_path}.{new}")
                for old, new in owner.mapping.items()
            ]
        return found


def compare_frameworks(old: Framework, new: Framework) -> Codebook:
    """The renamed and merged codes and the moved groups between two frameworks."""
    codebook = Codebook()
    old_groups = {group.path: group for _part, group in old.groups()}
    new_groups = {group.path: group for _part, group in new.groups()}
    gone = [path for path in old_groups if path not in new_groups]
    came = [path for path in new_groups if path not in old_groups]
    for same in (_same_id, _same_label):
        for old_path in list(gone):
            group = old_groups[old_path]
            matches = [p for p in came if same(group, new_groups[p])]
            if len(matches) == 1 and [
                g for g in gone if same(old_groups[g], new_groups[matches[0]])
            ] == [old_path]:
                codebook.groups[old_path] = matches[0]
                gone.remove(old_path)
                came.remove(matches[0])
    codebook.dropped = {path: old_groups[path] for path in gone}
    moved_from = {new_path: old_path for old_path, new_path in codebook.groups.items()}
    for path, group in new_groups.items():
        before = old_groups.get(moved_from.get(path, path))
        if before is None or before.kind != group.kind:
            continue
        pairs: list[tuple[Group | RecordField, Group | RecordField]] = [(before, group)]
        for now_field in group.fields:
            was_field = before.field(now_field.id)
            if was_field is not None and now_field.codes and was_field.codes:
                pairs.append((was_field, now_field))
        for was, now in pairs:
            mapping = _code_mapping(was.codes, now.codes)
            if mapping:
                codebook.owners[now.path] = _Owner(was.path, now.path, mapping)
    return codebook


def _same_id(old: Group, new: Group) -> bool:
    return old.id == new.id and old.kind == new.kind


def _same_label(old: Group, new: Group) -> bool:
    return old.label == new.label and old.kind == new.kind


def _code_mapping(old: list[Code], new: list[Code]) -> dict[str, str]:
    """Old id → new id for the codes renamed or merged between two versions of a vocabulary."""
    old_ids, new_ids = {c.id for c in old}, {c.id for c in new}
    gone = [c for c in old if c.id not in new_ids]
    came = [c for c in new if c.id not in old_ids]
    if not gone or not came:
        return {}
    mapping: dict[str, str] = {}
    for code in list(came):
        same = [c for c in gone if c.label == code.label]
        if len(same) == 1 and [c for c in came if c.label == same[0].label] == [code]:
            mapping[same[0].id] = code.id
            gone.remove(same[0])
            came.remove(code)
    for code in came:
        for first, second in _pairs(gone):
            if _joined(first, second, code):
                mapping[first.id] = mapping[second.id] = code.id
                gone = [c for c in gone if c not in (first, second)]
                break
    return mapping


def _pairs(codes: list[Code]) -> Iterator[tuple[Code, Code]]:
    for index, first in enumerate(codes):
        for second in codes[index + 1 :]:
            yield first, second
            yield second, first


def _joined(first: Code, second: Code, target: Code) -> bool:
    """``target`` is what ``merge-codes first second`` makes of them by default."""
    labels = all(
        target.label.get(lang) == f"{first.label.get(lang)} / {second.label.get(lang)}"
        for lang in ("nl", "en")
    )
    described = " ".join(d.strip() for d in (first.description, second.description) if d.strip())
    return labels or bool(described and target.description.strip() == described)


# --- translating a case ---------------------------------------------------------------------------


@dataclass
class Translation:
    """A dumped case in the new framework's names, and what it took."""

    data: dict[str, Any]
    applied: list[CodebookChange]
    dropped: list[tuple[Group, Any]]
    """Groups of the old framework the new one lacks, with what this case held there."""


def translate(data: dict[str, Any], codebook: Codebook, new: Framework) -> Translation:
    """``data`` (a dumped case of the old framework) with the new names; ``data`` is unchanged."""
    data = copy.deepcopy(data)
    applied: list[CodebookChange] = []
    dropped: list[tuple[Group, Any]] = []
    for old_path, new_path in codebook.groups.items():
        value = _pop(data, old_path)
        if not _empty(value):
            applied.append(CodebookChange("group", old_path, new_path))
        _put(data, new_path, value)
    for old_path, group in codebook.dropped.items():
        value = _pop(data, old_path)
        if not _empty(value):
            dropped.append((group, value))
    used: dict[tuple[str, str], CodebookChange] = {}
    for _part, group in new.groups():
        value = _get(data, group.path)
        if value is None:
            continue
        owner = codebook.owners.get(group.path)
        if owner is not None and group.kind == "single" and isinstance(value, dict):
            _rename(value, "code", owner, used)
        elif owner is not None and group.kind == "multi" and isinstance(value, list):
            for item in value:
                _rename(item, "code", owner, used)
            _put(data, group.path, _join_equal(value))
        elif group.kind == "records" and isinstance(value, list):
            changed = False
            for record_field in group.fields:
                field_owner = codebook.owners.get(record_field.path)
                if field_owner is not None:
                    for record in value:
                        changed |= _rename(record, record_field.id, field_owner, used)
            if changed:
                _put(data, group.path, _join_equal(value))
    _translate_comments(data, codebook)
    known = {part.id for part in new.parts}
    for key in [k for k, v in data.items() if isinstance(v, dict) and k != "analysis"]:
        if key not in known and not any(v is not None for v in data[key].values()):
            del data[key]
    applied += used.values()
    return Translation(data, applied, dropped)


def _get(data: dict[str, Any], path: str) -> Any:
    part, _, group = path.partition(".")
    holder = data.get(part)
    return holder.get(group) if isinstance(holder, dict) else None


def _pop(data: dict[str, Any], path: str) -> Any:
    part, _, group = path.partition(".")
    holder = data.get(part)
    return holder.pop(group, None) if isinstance(holder, dict) else None


def _put(data: dict[str, Any], path: str, value: Any) -> None:
    part, _, group = path.partition(".")
    holder = data.get(part)
    if not isinstance(holder, dict):
        holder = data[part] = {}
    holder[group] = value


def _empty(value: Any) -> bool:
    return value is None or value == []


def _rename(
    item: Any, key: str, owner: _Owner, used: dict[tuple[str, str], CodebookChange]
) -> bool:
    """Rename the code(s) at ``item[key]``; True when something changed."""
    if not isinstance(item, dict):
        return False
    value = item.get(key)
    codes = value if isinstance(value, list) else [value]
    renamed = []
    for code in codes:
        new = owner.mapping.get(code) if isinstance(code, str) else None
        if new is not None:
            change = CodebookChange("code", f"{owner.old_path}.{code}", f"{owner.new_path}.{new}")
            used.setdefault((change.old, change.new), change)
        renamed.append(new if new is not None else code)
    if renamed == codes:
        return False
    if isinstance(value, list):
        item[key] = list(dict.fromkeys(renamed))  # a merge may make two codes of a list one
    else:
        item[key] = renamed[0]
    return True


def _join_equal(items: list[Any]) -> list[Any]:
    """Items that are now equal but for their provenance become one, as ``merge-codes`` does."""
    joined: list[Any] = []
    seen: dict[str, dict[str, Any]] = {}
    for item in items:
        if not isinstance(item, dict):
            joined.append(item)
            continue
        identity = repr(sorted((k, repr(v)) for k, v in item.items() if k not in _PROVENANCE))
        if identity in seen:
            _join_provenance(seen[identity], item)
            continue
        seen[identity] = item
        joined.append(item)
    return joined


def _join_provenance(target: dict[str, Any], other: dict[str, Any]) -> None:
    evidence = [e for e in other.get("evidence") or [] if e not in (target.get("evidence") or [])]
    if evidence:
        target["evidence"] = [*(target.get("evidence") or []), *evidence]
    target["inferred"] = bool(target.get("inferred")) and bool(other.get("inferred"))
    mine, theirs = (str(x).strip() if x else "" for x in (target.get("basis"), other.get("basis")))
    if theirs and theirs != mine:
        target["basis"] = f"{mine} / {theirs}" if mine else theirs


def _translate_comments(data: dict[str, Any], codebook: Codebook) -> None:
    """Feedback comments follow the codes and groups they are about."""
    analysis = data.get("analysis")
    comments = analysis.get("comments") if isinstance(analysis, dict) else None
    for comment in comments or []:
        path = comment.get("path") if isinstance(comment, dict) else None
        if not isinstance(path, str):
            continue
        for old, new in codebook.groups.items():
            if path == old or path.startswith(f"{old}."):
                path = new + path[len(old) :]
        for owner in codebook.owners.values():
            for old_id, new_id in owner.mapping.items():
                old = f"{owner.new_path}.{old_id}"
                if path == old or path.startswith(f"{old}."):
                    path = f"{owner.new_path}.{new_id}" + path[len(old) :]
        comment["path"] = path
