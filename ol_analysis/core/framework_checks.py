"""The checks a codebook must pass, each problem reported once, where it is wrong.

Three steps, each building its diagnostics complete (rule, place, message, hint) where it finds
a problem; the wording is data (:data:`MESSAGES`, keyed by rule):

1. :func:`model_problems` turns the pydantic errors of the framework model into diagnostics.
2. :func:`resolve_vocabularies` follows every ``vocabulary:`` reference to the group or field
   that owns the codes, in any file order and through chains, and reports cycles and references
   to nothing. It only computes; the framework adopts the result afterwards.
3. :func:`check_framework` reads the resolved framework and reports everything else (the
   ``roles:`` block among it). It never changes the framework.
"""

from __future__ import annotations

import string
import typing
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeAlias

from pydantic import BaseModel, ValidationError

from ol_analysis.core.pydantic_errors import clean_loc, describe, diagnostic_for, model_at
from ol_analysis.core.yamlsource import Loc, SourceDocument
from ol_analysis.diagnostics import Diagnostic, did_you_mean

if TYPE_CHECKING:
    from ol_analysis.core.framework import Framework, Group, Part, RecordField

    Owner: TypeAlias = Group | RecordField

CASE_TOP_KEYS = ("id", "title", "summary", "analysis")
STUDY_TOP_KEYS = ("id", "title")
PROVENANCE_KEYS = ("section", "evidence", "inferred", "basis")
RESERVED_ITEM_KEYS = (*PROVENANCE_KEYS, "code", "value")


# --- the wording -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Wording:
    """A message and a hint, as templates filled with a problem's values.

    A hint whose values include ``None`` (no "did you mean" suggestion) is left out.
    """

    message: str
    hint: str | None = None


MESSAGES: dict[str, dict[str, Wording]] = {
    "framework-duplicate-id": {
        "": Wording(
            "duplicate {what} id '{id}' (first at line {line})",
            "ids must be unique among siblings",
        ),
        "case-part": Wording(
            "study part id '{id}' is also the id of a case part (line {line})",
            "study parts and case parts share one namespace of paths: choose another id",
        ),
    },
    "framework-reserved-id": {
        "part": Wording(
            "part id '{id}' is reserved for the case file's own key", "choose another id"
        ),
        "field": Wording("field id '{id}' is reserved for provenance", "choose another id"),
        "study-part": Wording(
            "study part id '{id}' is reserved for study.yaml's own key", "choose another id"
        ),
    },
    "framework-missing-key": {
        "": Wording("missing required key '{name}'{within}", "add '{name}:'"),
        "fields": Wording("records group '{id}' has no 'fields'"),
    },
    "framework-missing-label": {
        "": Wording("missing required key '{name}'{within}", "add '{name}:'"),
    },
    "framework-missing-codes": {
        "": Wording("'{id}' is coded but has no 'codes' or 'vocabulary'"),
    },
    "framework-unknown-kind": {
        "": Wording("unknown {option} {found} at {where}", "one of: {allowed}"),
    },
    "framework-invalid-option": {
        "range-kind": Wording("'min'/'max' apply to integer and number groups, not '{kind}'"),
        "min-over-max": Wording("min {low:g} is greater than max {high:g}"),
        "records-only": Wording("'{option}' belongs to records groups, not to a {kind} group"),
        "not-coded": Wording("'{id}' is not coded; it takes no codes or vocabulary"),
        "codes-and-vocabulary": Wording("give either 'codes' or 'vocabulary', not both"),
    },
    "framework-unknown-reference": {
        "only-with": Wording(
            "'{reference}' names no group or code of the framework", "{suggestion}"
        ),
        "only-with-study": Wording(
            "'{reference}' names no code of the study parts (study.yaml codes its own)",
            "{suggestion}",
        ),
        "vocabulary": Wording(
            "vocabulary '{reference}' names no group or code field of the framework",
            "{suggestion}",
        ),
        "vocabulary-uncoded": Wording(
            "vocabulary '{reference}' is {what}, which has no codes to reuse",
            "name a single or multi group, or a code field",
        ),
        "key": Wording("key field '{name}' is not a field of {group}", "{suggestion}"),
        "status-field": Wording(
            "status field '{field}' is not a code field of {group}", "{suggestion}"
        ),
        "status-count": Wording("'{value}' is not a code of {field}", "{suggestion}"),
    },
    "framework-vocabulary-cycle": {
        "": Wording(
            "the vocabulary of {path} goes round in a circle: {cycle}",
            "let one of them list its own 'codes'",
        ),
    },
    "framework-unknown-role": {
        "part": Wording(
            "role {role}: '{reference}' names no part of the framework", "{suggestion}"
        ),
        "group": Wording(
            "role {role}: '{reference}' names no group of the framework", "{suggestion}"
        ),
        "field": Wording("role {role}: '{reference}' names no field of {group}", "{suggestion}"),
        "needs": Wording(
            "role {role} names a field of the professionals group, but no professionals role is"
            " given",
            "add 'professionals: PART.GROUP' to roles",
        ),
        "dotted": Wording(
            "role {role}: '{reference}' is not a GROUP.FIELD path",
            "write GROUP.FIELD: a records group's path, a dot and one of its bool or codes fields",
        ),
    },
    "framework-role-kind": {
        "": Wording(
            "role {role} needs {needed}; '{reference}' is {found}",
            "{suggestion}",
        ),
    },
    "not-a-mapping": {
        "": Wording("framework.yaml must be a mapping with 'framework', 'evidence' and 'parts'"),
    },
    "empty-file": {
        "": Wording(
            "the file holds no YAML document",
            "a framework has 'framework', 'evidence' and 'parts'; see docs/file-formats.md",
        ),
    },
}


def wording(rule: str, variant: str = "", **values: Any) -> tuple[str, str | None]:
    """The message and hint of a problem: the templates of ``MESSAGES`` filled in."""
    template = MESSAGES[rule][variant]
    message = template.message.format(**values)
    if template.hint is None:
        return message, None
    used = {name for _text, name, _spec, _conv in string.Formatter().parse(template.hint) if name}
    if any(values.get(name) is None for name in used):
        return message, None
    return message, template.hint.format(**values)


def problem(
    doc: SourceDocument,
    loc: Loc,
    rule: str,
    variant: str = "",
    *,
    key: bool = False,
    **values: Any,
) -> Diagnostic:
    """The diagnostic of one problem at ``loc``, worded from :data:`MESSAGES`."""
    message, hint = wording(rule, variant, **values)
    return doc.diagnostic(loc, rule, message, hint, key=key)


# --- step 1: the model -----------------------------------------------------------------------


def model_problems(
    error: ValidationError, doc: SourceDocument, model: type[BaseModel]
) -> list[Diagnostic]:
    """The framework model's errors: a missing key or label, an unknown kind, and the errors
    every document shares (unknown key, wrong type, …) with ``framework-`` rules."""
    return [_model_problem(item, doc, model) for item in error.errors(include_url=False)]


def _model_problem(item: Any, doc: SourceDocument, model: type[BaseModel]) -> Diagnostic:
    loc = clean_loc(item["loc"])
    if item["type"] == "missing":
        parent = loc[:-1]
        rule = "framework-missing-label" if "label" in loc else "framework-missing-key"
        within = f" in {'.'.join(str(p) for p in parent)}" if parent else ""
        key = bool(parent) and not isinstance(parent[-1], int)
        return problem(doc, parent, rule, key=key, name=loc[-1], within=within)
    allowed = _choices(model, loc)
    if allowed and item.get("input") is not None:
        return problem(
            doc,
            loc,
            "framework-unknown-kind",
            option=loc[-1],
            found=describe(item.get("input")),
            where=".".join(str(p) for p in loc),
            allowed=", ".join(allowed),
        )
    return diagnostic_for(item, doc, model, rule_prefix="framework-")


def _choices(model: type[BaseModel], loc: Loc) -> tuple[str, ...]:
    """The allowed values of an option the model types as a ``Literal`` (``kind``, ``type``)."""
    if not loc or isinstance(loc[-1], int):
        return ()
    owner = model_at(model, loc[:-1])
    field = owner.model_fields.get(str(loc[-1])) if owner is not None else None
    if field is None or typing.get_origin(field.annotation) is not typing.Literal:
        return ()
    return tuple(str(arg) for arg in typing.get_args(field.annotation))


# --- where everything stands ---------------------------------------------------------------


def owners(framework: Framework) -> Iterator[tuple[Owner, Loc]]:
    """Every group and record field of the case parts, then of the study parts, with its place
    in the document, in file order."""
    for key, parts in (("parts", framework.parts), ("study_parts", framework.study_parts)):
        for p_index, part in enumerate(parts):
            for g_index, group in enumerate(part.groups):
                group_loc: Loc = (key, p_index, "groups", g_index)
                yield group, group_loc
                for f_index, field in enumerate(group.fields):
                    yield field, (*group_loc, "fields", f_index)


def _coded_owner_paths(framework: Framework) -> list[str]:
    return [owner.path for owner, _loc in owners(framework) if owner.is_coded]


# --- step 2: vocabularies --------------------------------------------------------------------


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
                problem(
                    doc, (*loc, "vocabulary"), "framework-invalid-option", "codes-and-vocabulary"
                )
            )
            continue
        source, found = _follow(framework, doc, owner, loc)
        if found is not None:
            problems.append(found)
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
            return None, problem(
                doc,
                (*loc, "vocabulary"),
                "framework-vocabulary-cycle",
                path=owner.path,
                cycle=cycle,
            )
        chain.append(target.path)
        current = target
    return current.path, None


def _unknown_vocabulary(
    framework: Framework, doc: SourceDocument, loc: Loc, reference: str, target: Owner | None
) -> Diagnostic:
    rule, where = "framework-unknown-reference", (*loc, "vocabulary")
    if target is None:
        suggestion = did_you_mean(reference, _coded_owner_paths(framework))
        return problem(doc, where, rule, "vocabulary", reference=reference, suggestion=suggestion)
    what = f"a {target.kind} group" if hasattr(target, "kind") else f"a {target.type} field"
    return problem(doc, where, rule, "vocabulary-uncoded", reference=reference, what=what)


# --- step 3: the checks ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Scope:
    """The case parts or the study parts: where they stand, which top-level keys their document
    reserves, and what an ``only_with`` in them may name (a code of the same document)."""

    key: str
    reserved: tuple[str, ...]
    reserved_variant: str
    paths: tuple[str, ...]
    codes: frozenset[str]


def _scopes(framework: Framework) -> list[tuple[_Scope, list[Part]]]:
    scopes = []
    for key, parts, groups, codes, reserved, variant in (
        (
            "parts",
            framework.parts,
            framework.groups(),
            framework.code_paths(),
            CASE_TOP_KEYS,
            "part",
        ),
        (
            "study_parts",
            framework.study_parts,
            framework.study_groups(),
            framework.study_code_paths(),
            STUDY_TOP_KEYS,
            "study-part",
        ),
    ):
        code_paths = [path for path, _code in codes]
        paths = (*(g.path for _p, g in groups), *code_paths)
        scopes.append((_Scope(key, reserved, variant, paths, frozenset(code_paths)), parts))
    return scopes


def check_framework(framework: Framework, doc: SourceDocument) -> list[Diagnostic]:
    """Every problem of a framework whose vocabularies are resolved; reads, never changes."""
    problems: list[Diagnostic] = []
    for scope, parts in _scopes(framework):
        problems += _duplicates(doc, (scope.key,), [p.id for p in parts], "part")
        for p_index, part in enumerate(parts):
            problems += _check_part(doc, part, (scope.key, p_index), scope)
    problems += _study_part_clashes(framework, doc)
    problems += _check_roles(framework, doc)
    return problems


def _study_part_clashes(framework: Framework, doc: SourceDocument) -> list[Diagnostic]:
    """A study part may not take the id of a case part: a path must name one thing."""
    case_parts = [p.id for p in framework.parts]
    return [
        problem(
            doc,
            ("study_parts", index, "id"),
            "framework-duplicate-id",
            "case-part",
            id=part.id,
            line=doc.position(("parts", case_parts.index(part.id), "id"))[0],
        )
        for index, part in enumerate(framework.study_parts)
        if part.id in case_parts
    ]


def _check_part(doc: SourceDocument, part: Part, part_loc: Loc, scope: _Scope) -> list[Diagnostic]:
    problems: list[Diagnostic] = []
    if part.id in scope.reserved:
        where = (*part_loc, "id")
        problems.append(
            problem(doc, where, "framework-reserved-id", scope.reserved_variant, id=part.id)
        )
    problems += _duplicates(doc, (*part_loc, "groups"), [g.id for g in part.groups], "group")
    for g_index, group in enumerate(part.groups):
        problems += _check_group(doc, group, (*part_loc, "groups", g_index), scope)
    return problems


def _duplicates(doc: SourceDocument, loc: Loc, ids: list[str], what: str) -> list[Diagnostic]:
    seen = Counter[str]()
    problems = []
    for index, item_id in enumerate(ids):
        seen[item_id] += 1
        if seen[item_id] == 2:
            line = doc.position((*loc, ids.index(item_id), "id"))[0]
            problems.append(
                problem(
                    doc,
                    (*loc, index, "id"),
                    "framework-duplicate-id",
                    what=what,
                    id=item_id,
                    line=line,
                )
            )
    return problems


def _own_codes(owner: Owner) -> list[str]:
    """The ids of the codes an owner lists itself (reused codes are checked at their owner)."""
    return [] if owner.vocabulary is not None else [c.id for c in owner.codes]


def _check_group(doc: SourceDocument, group: Group, loc: Loc, scope: _Scope) -> list[Diagnostic]:
    problems = _duplicates(doc, (*loc, "codes"), _own_codes(group), "code")
    problems += _check_codes(doc, group, loc)
    if group.kind in ("single", "multi", "records", "bool", "text") and (
        group.min is not None or group.max is not None
    ):
        problems.append(
            problem(doc, (*loc, "kind"), "framework-invalid-option", "range-kind", kind=group.kind)
        )
    problems += _check_range(doc, group.min, group.max, loc)
    if group.only_with is not None and group.only_with not in scope.codes:
        known = scope.paths
        problems.append(
            problem(
                doc,
                (*loc, "only_with"),
                "framework-unknown-reference",
                "only-with" if scope.key == "parts" else "only-with-study",
                reference=group.only_with,
                suggestion=did_you_mean(group.only_with, known),
            )
        )
    if group.kind == "records":
        problems += _check_records(doc, group, loc)
    elif group.fields or group.key or group.status:
        option = next(o for o in ("fields", "key", "status") if getattr(group, o))
        problems.append(
            problem(
                doc,
                (*loc, option),
                "framework-invalid-option",
                "records-only",
                key=True,
                option=option,
                kind=group.kind,
            )
        )
    return problems


def _check_records(doc: SourceDocument, group: Group, loc: Loc) -> list[Diagnostic]:
    problems: list[Diagnostic] = []
    if not group.fields:
        problems.append(
            problem(doc, (*loc, "kind"), "framework-missing-key", "fields", id=group.id)
        )
    field_ids = [f.id for f in group.fields]
    problems += _duplicates(doc, (*loc, "fields"), field_ids, "field")
    for f_index, field in enumerate(group.fields):
        field_loc = (*loc, "fields", f_index)
        if field.id in RESERVED_ITEM_KEYS:
            problems.append(
                problem(doc, (*field_loc, "id"), "framework-reserved-id", "field", id=field.id)
            )
        problems += _duplicates(doc, (*field_loc, "codes"), _own_codes(field), "code")
        problems += _check_codes(doc, field, field_loc)
        problems += _check_range(doc, field.min, field.max, field_loc)
    rule = "framework-unknown-reference"
    for k_index, key in enumerate(group.key):
        if key not in field_ids:
            problems.append(
                problem(
                    doc,
                    (*loc, "key", k_index),
                    rule,
                    "key",
                    name=key,
                    group=group.id,
                    suggestion=did_you_mean(key, field_ids),
                )
            )
    if group.status is None:
        return problems
    status_field = group.field(group.status.field)
    if status_field is None or status_field.type != "code":
        problems.append(
            problem(
                doc,
                (*loc, "status", "field"),
                rule,
                "status-field",
                field=group.status.field,
                group=group.id,
                suggestion=did_you_mean(group.status.field, field_ids),
            )
        )
    elif status_field.codes:
        known = [c.id for c in status_field.codes]
        for c_index, value in enumerate(group.status.counts):
            if value not in known:
                problems.append(
                    problem(
                        doc,
                        (*loc, "status", "counts", c_index),
                        rule,
                        "status-count",
                        value=value,
                        field=status_field.path,
                        suggestion=did_you_mean(value, known),
                    )
                )
    return problems


def _check_codes(doc: SourceDocument, owner: Owner, loc: Loc) -> list[Diagnostic]:
    """A coded owner lists codes or reuses a vocabulary; an uncoded one does neither.

    Vocabulary references themselves were checked when they were resolved.
    """
    if not owner.is_coded:
        if owner.codes or owner.vocabulary:
            where = (*loc, "codes" if owner.codes else "vocabulary")
            return [problem(doc, where, "framework-invalid-option", "not-coded", id=owner.id)]
        return []
    if owner.vocabulary is None and not owner.codes:
        return [problem(doc, (*loc, "id"), "framework-missing-codes", id=owner.id)]
    return []


def _check_range(
    doc: SourceDocument, low: float | None, high: float | None, loc: Loc
) -> list[Diagnostic]:
    if low is not None and high is not None and low > high:
        return [
            problem(
                doc, (*loc, "min"), "framework-invalid-option", "min-over-max", low=low, high=high
            )
        ]
    return []


# --- roles -------------------------------------------------------------------------------------

# role → (the kinds of group it may name, how to say them)
_GROUP_ROLES: dict[str, tuple[tuple[str, ...], str]] = {
    "timeline": (("records",), "a records group"),
    "professionals": (("records",), "a records group"),
    "relatives": (("records",), "a records group"),
    "partners": (("records",), "a records group"),
    "if_then": (("records",), "a records group"),
    "course_pattern": (("single", "multi"), "a single or multi group"),
}
_COORDINATION_TYPES = ("bool", "codes")


def _check_roles(framework: Framework, doc: SourceDocument) -> list[Diagnostic]:
    """Each role names a part, group or field of the kind its picture needs."""
    spec = framework.roles_spec
    if spec is None:
        return []
    problems: list[Diagnostic] = []
    if spec.profile is not None and framework.part(spec.profile) is None:
        problems.append(
            problem(
                doc,
                ("roles", "profile"),
                "framework-unknown-role",
                "part",
                role="profile",
                reference=spec.profile,
                suggestion=did_you_mean(spec.profile, [p.id for p in framework.parts]),
            )
        )
    for role, (kinds, needed) in _GROUP_ROLES.items():
        path = getattr(spec, role)
        if path is not None:
            problems += _check_group_role(framework, doc, role, path, kinds, needed)
    if spec.casemanager is not None:
        problems += _check_casemanager(framework, doc, spec.casemanager, spec.professionals)
    for index, path in enumerate(spec.coordinated):
        problems += _check_coordinated(framework, doc, index, path)
    return problems


def _groups_of_kind(framework: Framework, kinds: tuple[str, ...]) -> list[str]:
    return [g.path for _p, g in framework.groups() if g.kind in kinds]


def _check_group_role(
    framework: Framework,
    doc: SourceDocument,
    role: str,
    path: str,
    kinds: tuple[str, ...],
    needed: str,
) -> list[Diagnostic]:
    group = framework.group(path)
    loc = ("roles", role)
    suggestion = did_you_mean(path, _groups_of_kind(framework, kinds))
    if group is None:
        return [
            problem(
                doc,
                loc,
                "framework-unknown-role",
                "group",
                role=role,
                reference=path,
                suggestion=suggestion,
            )
        ]
    if group.kind not in kinds:
        return [
            problem(
                doc,
                loc,
                "framework-role-kind",
                role=role,
                needed=needed,
                reference=path,
                found=f"a {group.kind} group",
                suggestion=suggestion,
            )
        ]
    return []


def _check_casemanager(
    framework: Framework, doc: SourceDocument, field_id: str, professionals: str | None
) -> list[Diagnostic]:
    loc = ("roles", "casemanager")
    group = framework.group(professionals) if professionals is not None else None
    if group is None or group.kind != "records":
        if professionals is None:
            return [problem(doc, loc, "framework-unknown-role", "needs", role="casemanager")]
        return []  # the professionals role is reported itself
    bools = [f.id for f in group.fields if f.type == "bool"]
    suggestion = did_you_mean(field_id, bools) or (
        f"bool fields of {group.path}: {', '.join(bools)}" if bools else None
    )
    field = group.field(field_id)
    if field is None:
        return [
            problem(
                doc,
                loc,
                "framework-unknown-role",
                "field",
                role="casemanager",
                reference=field_id,
                group=group.path,
                suggestion=suggestion,
            )
        ]
    if field.type != "bool":
        return [
            problem(
                doc,
                loc,
                "framework-role-kind",
                role="casemanager",
                needed=f"a bool field of {group.path}",
                reference=field_id,
                found=f"a {field.type} field",
                suggestion=suggestion,
            )
        ]
    return []


def _check_coordinated(
    framework: Framework, doc: SourceDocument, index: int, path: str
) -> list[Diagnostic]:
    """``coordinated`` entries are ``GROUP.FIELD``: a bool or codes field of a records group."""
    loc = ("roles", "coordinated", index)
    fields = [
        f.path
        for _p, g in framework.groups()
        if g.kind == "records"
        for f in g.fields
        if f.type in _COORDINATION_TYPES
    ]
    suggestion = did_you_mean(path, fields)
    head, _, field_id = path.rpartition(".")
    group = framework.group(head) if head else None
    field = group.field(field_id) if group is not None else None
    values: dict[str, Any] = {"role": "coordinated", "suggestion": suggestion}
    if not head:
        return [problem(doc, loc, "framework-unknown-role", "dotted", reference=path, **values)]
    if group is None:
        return [problem(doc, loc, "framework-unknown-role", "group", reference=head, **values)]
    if group.kind != "records":
        found = f"a {group.kind} group"
        needed = "a field of a records group"
    elif field is None:
        return [
            problem(
                doc,
                loc,
                "framework-unknown-role",
                "field",
                reference=field_id,
                group=head,
                **values,
            )
        ]
    elif field.type not in _COORDINATION_TYPES:
        found, needed = f"a {field.type} field", "a bool or codes field"
    else:
        return []
    return [
        problem(
            doc, loc, "framework-role-kind", reference=path, found=found, needed=needed, **values
        )
    ]
