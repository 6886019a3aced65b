"""The tree edits of a codebook migration, applied alike to plain data and to ruamel's tree.

A rename or merge is described by a :class:`Plan`; :func:`edit_framework` and :func:`edit_case`
apply it to a document's data in place and return the :class:`Edit` s they made. The same
functions run on the plain data of :mod:`ol_analysis.core.yamlsource` (to know what the result must
mean) and on ruamel's round-trip tree (to write it with comments and formatting kept), so the
written file can be checked against the plain result.

Comments and quoting are looked after by :mod:`ol_analysis.feedback.migrate.roundtrip`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ol_analysis.core.yamlsource import Loc, source_text
from ol_analysis.feedback.migrate.roundtrip import (
    detach_tail,
    like,
    move_eol_to_code,
    new_map,
    remove_items,
)

PROVENANCE = ("evidence", "inferred", "basis")


@dataclass(frozen=True)
class Site:
    """A place in case files where the migrated vocabulary is used."""

    part: str
    group: str
    field: str | None  # a record field, or None for a single/multi group
    kind: str  # single | multi | code | codes
    path: str  # dotted path the codes hang under: part.group or part.group.field
    key: bool = False  # the field identifies records: merged records may collide


@dataclass(frozen=True)
class Plan:
    """What to change: ``mapping`` old code id → new id, in the vocabulary at ``owner``."""

    owner: str
    mapping: dict[str, str]
    sites: tuple[Site, ...]
    new_entry: dict[str, Any] | None = None  # label/description of a new merge target
    status_groups: tuple[str, ...] = ()  # record groups whose status.counts use these codes

    def path_mapping(self) -> dict[str, str]:
        """Every dotted code path that changes, at every site."""
        return {
            f"{site.path}.{old}": f"{site.path}.{new}"
            for site in self.sites
            for old, new in self.mapping.items()
        }


@dataclass(frozen=True)
class Edit:
    """One change at ``loc``; a ``rename`` replaces one scalar, a ``structure`` edit more."""

    loc: Loc
    old: str
    new: str
    kind: str = "rename"


@dataclass
class _Edits:
    items: list[Edit] = field(default_factory=list)

    def add(self, loc: Loc, old: object, new: object, kind: str = "rename") -> None:
        self.items.append(Edit(tuple(loc), str(old), str(new), kind))


def text_of(value: Any) -> str | None:
    """A code as the text that was typed (ruamel and yamlsource numbers alike)."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool) or value is None:
        return None
    return source_text(value) or str(value)


# --- items ----------------------------------------------------------------------------------------


def _merge_provenance(target: dict[str, Any], other: Any) -> None:
    """Evidence lists are joined; the result is inferred only if both items were."""
    other_map = other if isinstance(other, dict) else {}
    evidence = list(other_map.get("evidence") or [])
    if evidence:
        if target.get("evidence"):
            target["evidence"].extend(evidence)
        else:
            target["evidence"] = other_map["evidence"]
    if target.get("inferred") is True and other_map.get("inferred") is not True:
        del target["inferred"]
    basis = other_map.get("basis")
    if basis:
        mine = target.get("basis")
        if not mine:
            target["basis"] = basis
        elif str(mine).strip() != str(basis).strip():
            joined = f"{str(mine).strip()} / {str(basis).strip()}"
            target["basis"] = like(mine, joined + ("\n" if str(mine).endswith("\n") else ""))


def _as_item_map(seq: Any, index: int, code_key: str) -> dict[str, Any]:
    """The item at ``index`` as a mapping (a plain ``- code`` item is expanded)."""
    item = seq[index]
    if isinstance(item, dict):
        return item
    expanded = new_map(seq)
    expanded[code_key] = item
    move_eol_to_code(seq, index, expanded)
    seq[index] = expanded
    return expanded


def collapse(
    seq: Any, loc: Loc, identity: Callable[[Any], object | None], edits: _Edits, code_key: str
) -> None:
    """Merge items of ``seq`` with the same identity into the first one, keeping comments."""
    first: dict[object, int] = {}
    merges: list[tuple[int, int]] = []
    for index, item in enumerate(seq):
        ident = identity(item)
        if ident is None:
            continue
        if ident in first:
            merges.append((first[ident], index))
        else:
            first[ident] = index
    if not merges:
        return
    deleted = {index for _keep, index in merges}
    # Comments are taken off first: a deleted item's evidence may move into the kept one.
    rests = {keep: detach_tail(seq, keep) for keep in sorted({keep for keep, _ in merges})}
    detached = {index: detach_tail(seq, index) for index in sorted(deleted)}
    for keep, index in merges:
        other = seq[index]
        if isinstance(other, dict) or isinstance(seq[keep], dict):
            _merge_provenance(_as_item_map(seq, keep, code_key), other)
        edits.add((*loc, index), f"item {index}", f"merged into item {keep}", "structure")
    remove_items(seq, deleted, rests, detached)


def _code_identity(item: Any) -> object | None:
    return text_of(item.get("code") if isinstance(item, dict) else item)


def _rename_scalar(holder: Any, key: Any, loc: Loc, mapping: dict[str, str], edits: _Edits) -> bool:
    old = text_of(holder[key])
    if old is None or old not in mapping:
        return False
    holder[key] = like(holder[key], mapping[old])
    edits.add(loc, old, mapping[old])
    return True


def _rename_item(seq_or_map: Any, key: Any, loc: Loc, mapping: dict[str, str], ed: _Edits) -> bool:
    item = seq_or_map[key]
    if isinstance(item, dict):
        return "code" in item and _rename_scalar(item, "code", (*loc, "code"), mapping, ed)
    return _rename_scalar(seq_or_map, key, loc, mapping, ed)


# --- cases ----------------------------------------------------------------------------------------


def edit_case(data: Any, plan: Plan, record_keys: dict[str, list[str]]) -> list[Edit]:
    """Apply ``plan`` to a case document; ``record_keys``: key fields per record group path."""
    edits = _Edits()
    if not isinstance(data, dict):
        return []
    for site in plan.sites:
        part = data.get(site.part)
        if not isinstance(part, dict) or part.get(site.group) is None:
            continue
        loc: Loc = (site.part, site.group)
        value = part[site.group]
        if site.kind == "single":
            _rename_item(part, site.group, loc, plan.mapping, edits)
        elif site.kind == "multi" and isinstance(value, list):
            renamed = [
                _rename_item(value, i, (*loc, i), plan.mapping, edits) for i in range(len(value))
            ]
            if any(renamed):
                collapse(value, loc, _code_identity, edits, "code")
        elif isinstance(value, list):
            _edit_records(value, loc, site, plan, record_keys, edits)
    _edit_comment_paths(data, plan.path_mapping(), edits)
    return edits.items


def _edit_records(
    records: list[Any],
    loc: Loc,
    site: Site,
    plan: Plan,
    record_keys: dict[str, list[str]],
    edits: _Edits,
) -> None:
    assert site.field is not None
    changed = False
    for index, record in enumerate(records):
        if not isinstance(record, dict) or record.get(site.field) is None:
            continue
        here = (*loc, index, site.field)
        value = record[site.field]
        if site.kind == "code":
            changed |= _rename_scalar(record, site.field, here, plan.mapping, edits)
        elif isinstance(value, list):
            renamed = [
                _rename_scalar(value, i, (*here, i), plan.mapping, edits) for i in range(len(value))
            ]
            if any(renamed):
                changed = True
                collapse(value, here, text_of, edits, "code")
    key = record_keys.get(f"{site.part}.{site.group}", [])
    if changed and site.key and key:

        def identity(record: Any) -> object | None:
            if not isinstance(record, dict):
                return None
            return tuple((k, frozen(v)) for k, v in sorted(record.items()) if k not in PROVENANCE)

        collapse(records, loc, identity, edits, site.field)


def frozen(value: Any) -> object:
    """A hashable, tree-independent form of a value (ruamel and plain data compare alike)."""
    if isinstance(value, dict):
        return tuple((str(k), frozen(v)) for k, v in sorted(value.items()))
    if isinstance(value, list):
        return tuple(frozen(v) for v in value)
    if isinstance(value, bool | str) or value is None:
        return value
    return ("number", text_of(value))


def _edit_comment_paths(data: dict[str, Any], paths: dict[str, str], edits: _Edits) -> None:
    analysis = data.get("analysis")
    comments = analysis.get("comments") if isinstance(analysis, dict) else None
    if not isinstance(comments, list):
        return
    for index, comment in enumerate(comments):
        if isinstance(comment, dict) and "path" in comment:
            loc = ("analysis", "comments", index, "path")
            _rename_scalar(comment, "path", loc, paths, edits)


# --- the framework --------------------------------------------------------------------------------


def _owner_node(data: Any, owner: str) -> tuple[Any, Loc]:
    """The mapping (group or record field) in framework.yaml that holds the vocabulary."""
    part_id, group_id, *rest = owner.split(".")
    for p, part in enumerate(data["parts"]):
        if part.get("id") != part_id:
            continue
        for g, group in enumerate(part.get("groups") or []):
            if group.get("id") != group_id:
                continue
            if not rest:
                return group, ("parts", p, "groups", g)
            for f, fld in enumerate(group.get("fields") or []):
                if fld.get("id") == rest[0]:
                    return fld, ("parts", p, "groups", g, "fields", f)
    raise KeyError(owner)


def edit_framework(data: Any, plan: Plan) -> list[Edit]:
    """Rename or merge the codes in the vocabulary, and every reference to them."""
    edits = _Edits()
    node, loc = _owner_node(data, plan.owner)
    codes = node["codes"]
    ids = [text_of(code.get("id")) for code in codes]
    keep = {new: ids.index(new) for new in plan.mapping.values() if new in ids}
    deleted: list[int] = []
    for index, code_id in enumerate(ids):
        new = plan.mapping.get(code_id or "")
        if new is None:
            continue
        if new in keep:
            deleted.append(index)
            edits.add((*loc, "codes", index, "id"), code_id, f"merged into {new}", "structure")
            continue
        entry = codes[index]
        entry["id"] = like(entry["id"], new)
        edits.add((*loc, "codes", index, "id"), code_id, new)
        keep[new] = index
        if plan.new_entry is not None:
            _describe(entry, plan.new_entry)
            edits.add((*loc, "codes", index), "entry", "label and description", "structure")
    remove_items(codes, set(deleted))
    paths = plan.path_mapping()
    for p, part in enumerate(data["parts"]):
        for g, group in enumerate(part.get("groups") or []):
            here: Loc = ("parts", p, "groups", g)
            if group.get("only_with") is not None:
                _rename_scalar(group, "only_with", (*here, "only_with"), paths, edits)
            status = group.get("status")
            group_path = f"{part.get('id')}.{group.get('id')}"
            if isinstance(status, dict) and group_path in plan.status_groups:
                counts = status.get("counts") or []
                renamed = [
                    _rename_scalar(counts, i, (*here, "status", "counts", i), plan.mapping, edits)
                    for i in range(len(counts))
                ]
                if any(renamed):
                    collapse(counts, (*here, "status", "counts"), text_of, edits, "code")
    return edits.items


def _describe(entry: dict[str, Any], described: dict[str, Any]) -> None:
    """Give a new merge target its own label, description and examples."""
    label = entry.get("label")
    if isinstance(label, dict):
        for lang, text in described["label"].items():
            label[lang] = like(label.get(lang), text)
    for key in ("description", "examples"):
        value = described.get(key)
        if value:
            entry[key] = like(entry.get(key), value) if isinstance(value, str) else value
        elif key in entry:
            del entry[key]
