"""The codebook: ``framework.yaml`` read, checked and made navigable.

Everything downstream — the case model, the JSON Schema, counts, matrices, chapters — is driven
by the :class:`Framework` this module returns, so adding a code, a group or a part needs no
Python change.
"""

from __future__ import annotations

import typing
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError

from ol_analysis.core.pydantic_errors import to_diagnostics
from ol_analysis.core.yamlsource import SourceDocument, read_yaml
from ol_analysis.diagnostics import Diagnostic, did_you_mean, sort_unique
from ol_analysis.errors import FrameworkError, UsageError

GroupKind = Literal["single", "multi", "bool", "integer", "number", "text", "records"]
FieldType = Literal["code", "codes", "text", "integer", "number", "bool", "date", "month", "period"]

ID_PATTERN = r"^[a-z0-9][a-z0-9_]*$"
CASE_TOP_KEYS = ("id", "title", "summary", "analysis")
PROVENANCE_KEYS = ("evidence", "inferred", "basis")
RESERVED_ITEM_KEYS = (*PROVENANCE_KEYS, "code", "value")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False)


class Label(_Strict):
    nl: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.nl


class Code(_Strict):
    id: str = Field(pattern=ID_PATTERN)
    label: Label
    description: str = ""
    examples: list[str] = []
    _path: str = PrivateAttr(default="")

    @property
    def path(self) -> str:
        return self._path


class StatusSpec(_Strict):
    """The field whose value a matrix cell shows, and the values that count a row code."""

    field: str
    counts: list[str]


class _Coded(_Strict):
    """What groups and record fields share: an id, labels, a vocabulary or a value range."""

    id: str = Field(pattern=ID_PATTERN)
    label: Label
    description: str = ""
    required: bool = False
    codes: list[Code] = []
    vocabulary: str | None = None
    min: float | None = None
    max: float | None = None
    _path: str = PrivateAttr(default="")

    @property
    def path(self) -> str:
        return self._path


class RecordField(_Coded):
    type: FieldType

    @property
    def is_coded(self) -> bool:
        return self.type in ("code", "codes")


class Group(_Coded):
    kind: GroupKind
    only_with: str | None = None
    key: list[str] = []
    status: StatusSpec | None = None
    fields: list[RecordField] = []
    examples: list[str] = []

    @property
    def is_coded(self) -> bool:
        return self.kind in ("single", "multi")

    def field(self, field_id: str) -> RecordField | None:
        return next((f for f in self.fields if f.id == field_id), None)

    @property
    def row_field(self) -> RecordField | None:
        """The code field a record group is tallied by in a matrix: its first coded key field."""
        for field_id in self.key:
            field = self.field(field_id)
            if field is not None and field.is_coded:
                return field
        return next((f for f in self.fields if f.is_coded), None)


class Part(_Strict):
    id: str = Field(pattern=ID_PATTERN)
    label: Label
    description: str = ""
    colour: str | None = Field(default=None, pattern=r"^#[0-9a-fA-F]{6}$")
    groups: list[Group]


class Vocabulary(_Strict):
    sources: list[Code]
    speakers: list[Code]


class FrameworkInfo(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    version: str
    title: Label
    description: str = ""


class Framework(_Strict):
    """The whole codebook. ``path`` lookups use dotted paths: ``part.group[.field].code``."""

    framework: FrameworkInfo
    evidence: Vocabulary
    parts: list[Part]
    _groups: dict[str, Group] = PrivateAttr(default_factory=dict)
    _source: str = PrivateAttr(default="framework.yaml")

    def model_post_init(self, _context: object) -> None:
        for part in self.parts:
            for group in part.groups:
                group._path = f"{part.id}.{group.id}"
                self._groups[group._path] = group
                for code in group.codes:
                    code._path = f"{group._path}.{code.id}"
                for field in group.fields:
                    field._path = f"{group._path}.{field.id}"
                    for code in field.codes:
                        code._path = f"{field._path}.{code.id}"

    @property
    def version(self) -> str:
        return self.framework.version

    @property
    def source(self) -> str:
        return self._source

    def part(self, part_id: str) -> Part | None:
        return next((p for p in self.parts if p.id == part_id), None)

    def group(self, path: str) -> Group | None:
        return self._groups.get(path)

    def groups(self) -> Iterator[tuple[Part, Group]]:
        for part in self.parts:
            for group in part.groups:
                yield part, group

    def code_paths(self) -> Iterator[tuple[str, Code]]:
        """Every code of the framework with its dotted path, in framework order."""
        for _part, group in self.groups():
            yield from ((code.path, code) for code in group.codes)
            for field in group.fields:
                yield from ((code.path, code) for code in field.codes)

    def code(self, path: str) -> Code | None:
        return next((code for code_path, code in self.code_paths() if code_path == path), None)

    def vocabulary_owner(self, path: str) -> Group | RecordField | None:
        """The group or record field a dotted path (without the code) names."""
        group = self.group(path)
        if group is not None:
            return group
        head, _, field_id = path.rpartition(".")
        owner = self.group(head)
        return owner.field(field_id) if owner is not None else None


def load_framework(
    path: Path | str = "framework.yaml", display_path: str | None = None
) -> Framework:
    """Read and check ``framework.yaml``; raises :class:`FrameworkError` with every problem."""
    path = Path(path)
    if not path.is_file():
        what = "is a folder, not a file" if path.is_dir() else "not found"
        raise UsageError(f"framework file {what}: {display_path or path}")
    doc, diagnostics = read_yaml(path, display_path)
    if doc is None:
        raise FrameworkError([_framework_hint(d) for d in diagnostics])
    framework, problems = framework_from_document(doc)
    diagnostics = sort_unique([*diagnostics, *problems])
    if framework is None or any(d.is_error for d in diagnostics):
        raise FrameworkError(diagnostics)
    framework._source = doc.path
    return framework


def _framework_hint(diagnostic: Diagnostic) -> Diagnostic:
    """An empty framework needs a codebook, not a case scaffold: say so in the hint."""
    if diagnostic.rule != "empty-file":
        return diagnostic
    return replace(
        diagnostic,
        hint="a framework has 'framework', 'evidence' and 'parts'; see docs/file-formats.md",
    )


def framework_from_document(doc: SourceDocument) -> tuple[Framework | None, list[Diagnostic]]:
    if not isinstance(doc.data, dict):
        return None, [
            doc.diagnostic(
                (),
                "not-a-mapping",
                "framework.yaml must be a mapping with 'framework', 'evidence' and 'parts'",
            )
        ]
    try:
        framework = Framework.model_validate(doc.data)
    except ValidationError as error:
        return None, [
            _rename_framework_rule(d)
            for d in to_diagnostics(error, doc, Framework, prefix="framework")
        ]
    return framework, _check_semantics(framework, doc)


_KINDS = {"kind": GroupKind, "type": FieldType}


def _rename_framework_rule(diagnostic: Diagnostic) -> Diagnostic:
    """Framework problems carry ``framework-`` rules, with the kinds spelled out."""
    location = diagnostic.location.split(".")
    rule, message, hint = diagnostic.rule, diagnostic.message, diagnostic.hint
    if rule in ("missing-group", "missing-field"):
        rule = "missing-key"
    if "label" in location and rule == "missing-key":
        rule = "missing-label"
    elif location[-1] in _KINDS and rule in ("wrong-type", "invalid-value"):
        allowed = typing.get_args(_KINDS[location[-1]])
        rule = "unknown-kind"
        found = diagnostic.message.rpartition("found ")[2]
        message = f"unknown {location[-1]} {found} at {diagnostic.location}"
        hint = f"one of: {', '.join(allowed)}"
    return replace(diagnostic, rule=f"framework-{rule}", message=message, hint=hint)


def _check_semantics(framework: Framework, doc: SourceDocument) -> list[Diagnostic]:
    problems: list[Diagnostic] = []
    problems += _duplicates(doc, ("parts",), [p.id for p in framework.parts], "part")
    for p_index, part in enumerate(framework.parts):
        part_loc = ("parts", p_index)
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


def _duplicates(
    doc: SourceDocument, loc: tuple[str | int, ...], ids: list[str], what: str
) -> list[Diagnostic]:
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


def _check_group(
    framework: Framework, doc: SourceDocument, group: Group, loc: tuple[str | int, ...]
) -> list[Diagnostic]:
    problems = _duplicates(doc, (*loc, "codes"), [c.id for c in group.codes], "code")
    problems += _check_vocabulary(framework, doc, group, loc, coded=group.is_coded)
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
        problems += _check_records(framework, doc, group, loc)
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


def _check_records(
    framework: Framework, doc: SourceDocument, group: Group, loc: tuple[str | int, ...]
) -> list[Diagnostic]:
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
        problems += _duplicates(doc, (*field_loc, "codes"), [c.id for c in field.codes], "code")
        problems += _check_vocabulary(framework, doc, field, field_loc, coded=field.is_coded)
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
        else:
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


def _check_vocabulary(
    framework: Framework,
    doc: SourceDocument,
    owner: Group | RecordField,
    loc: tuple[str | int, ...],
    *,
    coded: bool,
) -> list[Diagnostic]:
    if not coded:
        if owner.codes or owner.vocabulary:
            return [
                doc.diagnostic(
                    (*loc, "codes" if owner.codes else "vocabulary"),
                    "framework-invalid-option",
                    f"'{owner.id}' is not coded; it takes no codes or vocabulary",
                )
            ]
        return []
    if owner.vocabulary is not None:
        if owner.codes:
            return [
                doc.diagnostic(
                    (*loc, "vocabulary"),
                    "framework-invalid-option",
                    "give either 'codes' or 'vocabulary', not both",
                )
            ]
        source = framework.vocabulary_owner(owner.vocabulary)
        if source is None or not source.codes:
            return [_unknown_reference(framework, doc, (*loc, "vocabulary"), owner.vocabulary)]
        owner.codes = [code.model_copy() for code in source.codes]
        for code in owner.codes:
            code._path = f"{owner.path}.{code.id}"
        return []
    if not owner.codes:
        return [
            doc.diagnostic(
                (*loc, "id"),
                "framework-missing-codes",
                f"'{owner.id}' is coded but has no 'codes' or 'vocabulary'",
            )
        ]
    return []


def _check_range(
    doc: SourceDocument, low: float | None, high: float | None, loc: tuple[str | int, ...]
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
    framework: Framework, doc: SourceDocument, loc: tuple[str | int, ...], reference: str
) -> Diagnostic:
    known = [g.path for _p, g in framework.groups()] + [p for p, _c in framework.code_paths()]
    return doc.diagnostic(
        loc,
        "framework-unknown-reference",
        f"'{reference}' names no group or code of the framework",
        did_you_mean(reference, known),
    )
