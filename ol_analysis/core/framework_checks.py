"""The checks a codebook must pass beyond its pydantic model, each reported where it is wrong.

Two passes over a validated :class:`~ol_analysis.core.framework.Framework`:

1. :func:`resolve_vocabularies` follows every ``vocabulary:`` reference to the group or field
   that owns the codes, in any file order and through chains, and reports cycles and references
   to nothing. It only computes; the framework adopts the result afterwards.
2. :func:`check_framework` reads the resolved framework and reports everything else. It never
   changes the framework.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import TYPE_CHECKING, TypeAlias

from ol_analysis.core.yamlsource import Loc, SourceDocument
from ol_analysis.diagnostics import Diagnostic, did_you_mean

if TYPE_CHECKING:
    from ol_analysis.core.framework import Framework, Group, Part, RecordField

    Owner: TypeAlias = Group | RecordField

CASE_TOP_KEYS = ("id", "title", "summary", "analysis")
PROVENANCE_KEYS = ("evidence", "inferred", "basis")
RESERVED_ITEM_KEYS = (*PROVENANCE_KEYS, "code", "value")


# --- where everything stands ---------------------------------------------------------------


def owners(framework: Framework) -> Iterator[tuple[Owner, Loc]]:
    """Every group and record field, with its place in the document, in file order."""
    for p_index, part in enumerate(framework.parts):
        for g_index, group in enumerate(part.groups):
            group_loc: Loc = ("parts", p_index, "groups", g_index)
            yield group, group_loc
            for f_index, field in enumerate(group.fields):
                yield field, (*group_loc, "fields", f_index)


def _coded_owner_paths(framework: Framework) -> list[str]:
    return [owner.path for owner, _loc in owners(framework) if owner.is_coded]


# --- pass 1: vocabularies --------------------------------------------------------------------


def resolve_vocabularies(
    framework: Framework, doc: SourceDocument
) -> tuple[dict[str, str], list[Diagnostic]]:
    """Which owner's codes each ``vocabulary:`` user reuses, and the references that fail.

    The result maps the path of every group or field with a resolvable ``vocabulary`` to the
    path of the group or field that lists the codes itself (following chains in any order).
    A cycle is reported at each of its members; a reference to a group that does not exist, or
    to one without codes, where it is written. Nothing is changed.
    """
    resolved: dict[str, str] = {}
    problems: list[Diagnostic] = []
    for owner, loc in owners(framework):
        if owner.vocabulary is None or not owner.is_coded:
            continue  # an uncoded owner with a vocabulary is reported by the checks
        if owner.codes:
            problems.append(
                doc.diagnostic(
                    (*loc, "vocabulary"),
                    "framework-invalid-option",
                    "give either 'codes' or 'vocabulary', not both",
                )
            )
            continue
        source, problem = _follow(framework, doc, owner, loc)
        if problem is not None:
            problems.append(problem)
        elif source is not None:
            resolved[owner.path] = source
    return resolved, problems


def _follow(
    framework: Framework, doc: SourceDocument, owner: Owner, loc: Loc
) -> tuple[str | None, Diagnostic | None]:
    """The owner of the codes ``owner`` reuses, or the problem its own reference has.

    Only the first link of a chain is reported here: a later broken link is reported by the
    owner that wrote it, and a cycle by each of its members (an owner that merely leads into a
    cycle gets no diagnostic of its own, and no codes).
    """
    chain = [owner.path]
    current: Owner = owner
    while current.vocabulary is not None and not current.codes:
        reference = current.vocabulary
        target = framework.vocabulary_owner(reference)
        if target is None or not target.is_coded:
            if current is owner:
                return None, _unknown_vocabulary(framework, doc, loc, reference, target)
            return None, None
        if target.path in chain:
            if target.path != owner.path:
                return None, None
            cycle = " → ".join([*chain, target.path])
            return None, doc.diagnostic(
                (*loc, "vocabulary"),
                "framework-vocabulary-cycle",
                f"the vocabulary of {owner.path} goes round in a circle: {cycle}",
                "let one of them list its own 'codes'",
            )
        chain.append(target.path)
        current = target
    return current.path, None


def _unknown_vocabulary(
    framework: Framework, doc: SourceDocument, loc: Loc, reference: str, target: Owner | None
) -> Diagnostic:
    if target is None:
        message = f"vocabulary '{reference}' names no group or code field of the framework"
        hint = did_you_mean(reference, _coded_owner_paths(framework))
    else:
        what = f"a {target.kind} group" if hasattr(target, "kind") else f"a {target.type} field"
        message = f"vocabulary '{reference}' is {what}, which has no codes to reuse"
        hint = "name a single or multi group, or a code field"
    return doc.diagnostic((*loc, "vocabulary"), "framework-unknown-reference", message, hint)


# --- pass 2: the checks ----------------------------------------------------------------------


def check_framework(framework: Framework, doc: SourceDocument) -> list[Diagnostic]:
    """Every problem of a framework whose vocabularies are resolved; reads, never changes."""
    problems: list[Diagnostic] = []
    problems += _duplicates(doc, ("parts",), [p.id for p in framework.parts], "part")
    for p_index, part in enumerate(framework.parts):
        problems += _check_part(framework, doc, part, ("parts", p_index))
    return problems


def _check_part(
    framework: Framework, doc: SourceDocument, part: Part, part_loc: Loc
) -> list[Diagnostic]:
    problems: list[Diagnostic] = []
    if part.id in CASE_TOP_KEYS:
        problems.append(
            doc.diagnostic(
                (*part_loc, "id"),
                "framework-reserved-id",
                f"part id '{part.id}' is reserved for the case file's own key",
                "choose another id",
            )
        )
    problems += _duplicates(doc, (*part_loc, "groups"), [g.id for g in part.groups], "group")
    for g_index, group in enumerate(part.groups):
        problems += _check_group(framework, doc, group, (*part_loc, "groups", g_index))
    return problems


def _duplicates(doc: SourceDocument, loc: Loc, ids: list[str], what: str) -> list[Diagnostic]:
    seen = Counter[str]()
    problems = []
    for index, item_id in enumerate(ids):
        seen[item_id] += 1
        if seen[item_id] == 2:
            first = ids.index(item_id)
            line = doc.position((*loc, first, "id"))[0]
            problems.append(
                doc.diagnostic(
                    (*loc, index, "id"),
                    "framework-duplicate-id",
                    f"duplicate {what} id '{item_id}' (first at line {line})",
                    "ids must be unique among siblings",
                )
            )
    return problems


def _own_codes(owner: Owner) -> list[str]:
    """The ids of the codes an owner lists itself (reused codes are checked at their owner)."""
    return [] if owner.vocabulary is not None else [c.id for c in owner.codes]


def _check_group(
    framework: Framework, doc: SourceDocument, group: Group, loc: Loc
) -> list[Diagnostic]:
    problems = _duplicates(doc, (*loc, "codes"), _own_codes(group), "code")
    problems += _check_codes(doc, group, loc)
    if group.kind in ("single", "multi", "records", "bool", "text") and (
        group.min is not None or group.max is not None
    ):
        problems.append(
            doc.diagnostic(
                (*loc, "kind"),
                "framework-invalid-option",
                f"'min'/'max' apply to integer and number groups, not '{group.kind}'",
            )
        )
    problems += _check_range(doc, group.min, group.max, loc)
    if group.only_with is not None and framework.code(group.only_with) is None:
        problems.append(_unknown_reference(framework, doc, (*loc, "only_with"), group.only_with))
    if group.kind == "records":
        problems += _check_records(doc, group, loc)
    elif group.fields or group.key or group.status:
        option = next(o for o in ("fields", "key", "status") if getattr(group, o))
        problems.append(
            doc.diagnostic(
                (*loc, option),
                "framework-invalid-option",
                f"'{option}' belongs to records groups, not to a {group.kind} group",
                key=True,
            )
        )
    return problems


def _check_records(doc: SourceDocument, group: Group, loc: Loc) -> list[Diagnostic]:
    problems: list[Diagnostic] = []
    if not group.fields:
        problems.append(
            doc.diagnostic(
                (*loc, "kind"),
                "framework-missing-key",
                f"records group '{group.id}' has no 'fields'",
            )
        )
    field_ids = [f.id for f in group.fields]
    problems += _duplicates(doc, (*loc, "fields"), field_ids, "field")
    for f_index, field in enumerate(group.fields):
        field_loc = (*loc, "fields", f_index)
        if field.id in RESERVED_ITEM_KEYS:
            problems.append(
                doc.diagnostic(
                    (*field_loc, "id"),
                    "framework-reserved-id",
                    f"field id '{field.id}' is reserved for provenance",
                    "choose another id",
                )
            )
        problems += _duplicates(doc, (*field_loc, "codes"), _own_codes(field), "code")
        problems += _check_codes(doc, field, field_loc)
        problems += _check_range(doc, field.min, field.max, field_loc)
    for k_index, key in enumerate(group.key):
        if key not in field_ids:
            problems.append(
                doc.diagnostic(
                    (*loc, "key", k_index),
                    "framework-unknown-reference",
                    f"key field '{key}' is not a field of {group.id}",
                    did_you_mean(key, field_ids),
                )
            )
    if group.status is not None:
        status_field = group.field(group.status.field)
        if status_field is None or status_field.type != "code":
            problems.append(
                doc.diagnostic(
                    (*loc, "status", "field"),
                    "framework-unknown-reference",
                    f"status field '{group.status.field}' is not a code field of {group.id}",
                    did_you_mean(group.status.field, field_ids),
                )
            )
        elif status_field.codes:
            known = [c.id for c in status_field.codes]
            for c_index, value in enumerate(group.status.counts):
                if value not in known:
                    problems.append(
                        doc.diagnostic(
                            (*loc, "status", "counts", c_index),
                            "framework-unknown-reference",
                            f"'{value}' is not a code of {status_field.path}",
                            did_you_mean(value, known),
                        )
                    )
    return problems


def _check_codes(doc: SourceDocument, owner: Owner, loc: Loc) -> list[Diagnostic]:
    """A coded owner lists codes or reuses a vocabulary; an uncoded one does neither.

    Vocabulary references themselves were checked when they were resolved.
    """
    if not owner.is_coded:
        if owner.codes or owner.vocabulary:
            return [
                doc.diagnostic(
                    (*loc, "codes" if owner.codes else "vocabulary"),
                    "framework-invalid-option",
                    f"'{owner.id}' is not coded; it takes no codes or vocabulary",
                )
            ]
        return []
    if owner.vocabulary is None and not owner.codes:
        return [
            doc.diagnostic(
                (*loc, "id"),
                "framework-missing-codes",
                f"'{owner.id}' is coded but has no 'codes' or 'vocabulary'",
            )
        ]
    return []


def _check_range(
    doc: SourceDocument, low: float | None, high: float | None, loc: Loc
) -> list[Diagnostic]:
    if low is not None and high is not None and low > high:
        return [
            doc.diagnostic(
                (*loc, "min"),
                "framework-invalid-option",
                f"min {low:g} is greater than max {high:g}",
            )
        ]
    return []


def _unknown_reference(
    framework: Framework, doc: SourceDocument, loc: Loc, reference: str
) -> Diagnostic:
    known = [g.path for _p, g in framework.groups()] + [p for p, _c in framework.code_paths()]
    return doc.diagnostic(
        loc,
        "framework-unknown-reference",
        f"'{reference}' names no group or code of the framework",
        did_you_mean(reference, known),
    )
