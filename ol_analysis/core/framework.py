"""The codebook: ``framework.yaml`` read, checked and made navigable.

Everything downstream — the case model, the JSON Schema, counts, matrices, chapters — is driven
by the :class:`Framework` this module returns, so adding a code, a group or a part needs no
Python change.
"""

from __future__ import annotations

import typing
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator

from ol_analysis.core.framework_checks import CASE_TOP_KEYS as CASE_TOP_KEYS
from ol_analysis.core.framework_checks import PROVENANCE_KEYS as PROVENANCE_KEYS
from ol_analysis.core.framework_checks import RESERVED_ITEM_KEYS as RESERVED_ITEM_KEYS
from ol_analysis.core.framework_checks import (
    check_framework,
    model_problems,
    problem,
    resolve_vocabularies,
    wording,
)
from ol_analysis.core.qca_checks import check_qca
from ol_analysis.core.yamlsource import SourceDocument, read_yaml
from ol_analysis.diagnostics import Diagnostic, sort_unique
from ol_analysis.errors import FrameworkError, UsageError

GroupKind = Literal["single", "multi", "bool", "integer", "number", "text", "records"]
FieldType = Literal["code", "codes", "text", "integer", "number", "bool", "date", "month", "period"]

ID_PATTERN = r"^[a-z0-9][a-z0-9_]*$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False)


def _own_path(model: BaseModel) -> str:
    """A code's or group's dotted path (set when the framework is read), from pydantic's store
    of private attributes: ``self._path`` goes through ``BaseModel.__getattr__`` (5 µs a read,
    forty times this), and a build reads paths some 250,000 times at 600 cases."""
    private = model.__pydantic_private__
    return str(private["_path"]) if private else ""


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
        return _own_path(self)


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
        return _own_path(self)


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


@dataclass(frozen=True)
class Roles:
    """Which parts and groups of the framework draw the report's cross-case pictures.

    Read from the framework's ``roles:`` block (:attr:`Framework.roles`); a framework without
    one has no roles, and a role that is not given (``None``) leaves its picture or table empty.

    - ``profile``: the part whose single groups describe a case as a whole (crosstabs, the
      profile columns of exports, left out of co-occurrence).
    - ``timeline``: the record group each case's timeline is drawn from (its first period/date
      field is "when", its first text field the summary, its code fields the labels).
    - ``professionals``: people of the team around the client; one node per record, labelled
      by the group's ``key`` fields; ``casemanager`` names the bool field that marks the
      casemanager.
    - ``relatives``, ``partners``: the client's relatives and network partners.
    - ``coordinated``: (group, field) pairs: the field saying the team coordinates with that
      person or partner (a bool that is true, or a codes field that is not empty) gives a
      coordination edge.
    - ``if_then``: the records group of the if…then matrix (``matrix`` without a GROUP).
    - ``course_pattern``: the single or multi group of the course-pattern chart.
    """

    profile: str | None = None
    timeline: str | None = None
    professionals: str | None = None
    casemanager: str | None = None
    relatives: str | None = None
    partners: str | None = None
    coordinated: tuple[tuple[str, str], ...] = ()
    if_then: str | None = None
    course_pattern: str | None = None

    def coordination_field(self, group_path: str | None) -> str | None:
        return dict(self.coordinated).get(group_path) if group_path else None


class RolesSpec(_Strict):
    """The ``roles:`` block as written: dotted paths (``coordinated``: ``group.field`` paths)."""

    profile: str | None = None
    timeline: str | None = None
    professionals: str | None = None
    casemanager: str | None = None
    relatives: str | None = None
    partners: str | None = None
    coordinated: list[str] = []
    if_then: str | None = None
    course_pattern: str | None = None

    def as_roles(self) -> Roles:
        pairs = tuple(tuple(path.rsplit(".", 1)) for path in self.coordinated if "." in path)
        return Roles(
            profile=self.profile,
            timeline=self.timeline,
            professionals=self.professionals,
            casemanager=self.casemanager,
            relatives=self.relatives,
            partners=self.partners,
            coordinated=typing.cast(tuple[tuple[str, str], ...], pairs),
            if_then=self.if_then,
            course_pattern=self.course_pattern,
        )


QcaRule = Literal["present", "true", "at_least", "at_most"]


class QcaSet(_Strict):
    """One calibrated crisp set of the ``qca:`` block, a condition or an outcome: a case is in
    the set when the code at ``path`` is present, the bool is true, or the integer is at least
    or at most ``threshold``. Checked by :mod:`ol_analysis.core.qca_checks`."""

    id: str = Field(pattern=ID_PATTERN)
    path: str
    rule: QcaRule
    threshold: int | None = None
    label: Label | None = None
    rationale: str = Field(min_length=1)

    @field_validator("rule", mode="before")
    @classmethod
    def _bool_rule(cls, value: object) -> object:
        """``rule: true`` unquoted is a YAML bool; it means the rule ``true``."""
        return "true" if value is True else value


class QcaDefaults(_Strict):
    """What ``ol-analysis qca`` analyses when given no ``--outcome`` or ``--conditions``."""

    outcome: str | None = None
    conditions: list[str] = []


class QcaSpec(_Strict):
    """The ``qca:`` block: named conditions and outcomes with their calibration rules."""

    defaults: QcaDefaults = Field(default_factory=QcaDefaults)
    conditions: list[QcaSet] = []
    outcomes: list[QcaSet] = []

    def find(self, set_id: str) -> QcaSet | None:
        return next((s for s in (*self.conditions, *self.outcomes) if s.id == set_id), None)


def _groups_of(parts: Iterable[Part]) -> Iterator[tuple[Part, Group]]:
    for part in parts:
        for group in part.groups:
            yield part, group


def _code_paths_of(groups: Iterable[tuple[Part, Group]]) -> Iterator[tuple[str, Code]]:
    for _part, group in groups:
        yield from ((code.path, code) for code in group.codes)
        for field in group.fields:
            yield from ((code.path, code) for code in field.codes)


class Framework(_Strict):
    """The whole codebook. ``path`` lookups use dotted paths: ``part.group[.field].code``.

    ``parts`` are coded per case (``cases/*.yaml``); ``study_parts``, with the same structure,
    hold the findings of the study as a whole (``study.yaml``). The lookups without ``study`` in
    their name (``part``, ``group``, ``groups``, ``code_paths``) are about the case parts.
    """

    framework: FrameworkInfo
    evidence: Vocabulary
    parts: list[Part]
    study_parts: list[Part] = []
    roles_spec: RolesSpec | None = Field(default=None, alias="roles")
    qca: QcaSpec | None = None
    _groups: dict[str, Group] = PrivateAttr(default_factory=dict)
    _study_groups: dict[str, Group] = PrivateAttr(default_factory=dict)
    _source: str = PrivateAttr(default="framework.yaml")
    _roles: Roles = PrivateAttr(default_factory=Roles)

    @property
    def roles(self) -> Roles:
        """The framework's roles (none at all when it has no ``roles:`` block)."""
        return self._roles

    def model_post_init(self, _context: object) -> None:
        if self.roles_spec is not None:
            self._roles = self.roles_spec.as_roles()
        for parts, table in ((self.parts, self._groups), (self.study_parts, self._study_groups)):
            _place(parts, table)

    def _adopt_vocabularies(self, sources: dict[str, str]) -> None:
        """Give each ``vocabulary:`` user a copy of its source's codes, with its own paths.

        ``sources`` maps a user's path to the path of the group or field that lists the codes
        (:func:`~ol_analysis.core.framework_checks.resolve_vocabularies`).
        """
        for user_path, source_path in sources.items():
            user, source = self.vocabulary_owner(user_path), self.vocabulary_owner(source_path)
            if user is None or source is None:
                continue
            user.codes = [code.model_copy() for code in source.codes]
            for code in user.codes:
                code._path = f"{user.path}.{code.id}"

    @property
    def version(self) -> str:
        return self.framework.version

    @property
    def source(self) -> str:
        return self._source

    def part(self, part_id: str) -> Part | None:
        return next((p for p in self.parts if p.id == part_id), None)

    def group(self, path: str | None) -> Group | None:
        """The group at ``part.group``; None for a path (or a role) that names none."""
        return self._groups.get(path) if path is not None else None

    def groups(self) -> Iterator[tuple[Part, Group]]:
        return _groups_of(self.parts)

    def code_paths(self) -> Iterator[tuple[str, Code]]:
        """Every code of the framework with its dotted path, in framework order."""
        return _code_paths_of(self.groups())

    def code(self, path: str) -> Code | None:
        return next((code for code_path, code in self.code_paths() if code_path == path), None)

    def study_part(self, part_id: str) -> Part | None:
        return next((p for p in self.study_parts if p.id == part_id), None)

    def study_group(self, path: str | None) -> Group | None:
        """The group of a study part at ``part.group``."""
        return self._study_groups.get(path) if path is not None else None

    def study_groups(self) -> Iterator[tuple[Part, Group]]:
        return _groups_of(self.study_parts)

    def study_code_paths(self) -> Iterator[tuple[str, Code]]:
        """Every code of the study parts with its dotted path, in framework order."""
        return _code_paths_of(self.study_groups())

    def vocabulary_owner(self, path: str) -> Group | RecordField | None:
        """The group or record field a dotted path (without the code) names, in the case parts
        or the study parts (a vocabulary may be reused across them)."""
        group = self.group(path) or self.study_group(path)
        if group is not None:
            return group
        head, _, field_id = path.rpartition(".")
        owner = self.group(head) or self.study_group(head)
        return owner.field(field_id) if owner is not None else None


def _place(parts: list[Part], table: dict[str, Group]) -> None:
    """Give every group, field and code of ``parts`` its dotted path; index the groups."""
    for part in parts:
        for group in part.groups:
            group._path = f"{part.id}.{group.id}"
            table[group._path] = group
            for code in group.codes:
                code._path = f"{group._path}.{code.id}"
            for field in group.fields:
                field._path = f"{group._path}.{field.id}"
                for code in field.codes:
                    code._path = f"{field._path}.{code.id}"


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
    return replace(diagnostic, hint=wording("empty-file")[1])


def framework_from_document(doc: SourceDocument) -> tuple[Framework | None, list[Diagnostic]]:
    if not isinstance(doc.data, dict):
        return None, [problem(doc, (), "not-a-mapping")]
    try:
        framework = Framework.model_validate(doc.data)
    except ValidationError as error:
        return None, model_problems(error, doc, Framework)
    links, problems = resolve_vocabularies(framework, doc)
    framework._adopt_vocabularies(links)
    return framework, [*problems, *check_framework(framework, doc), *check_qca(framework, doc)]
