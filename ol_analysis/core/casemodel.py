"""The case model: pydantic classes built from the framework when it is loaded.

One model per part, one field per group; codes are checked against the group's vocabulary with
a "did you mean" hint; both the plain form (``stability``) and the expanded form
(``{code: stability, evidence: …}``) are accepted. The JSON Schema for editors is generated from
these same classes (:mod:`ol_analysis.core.schema`).

A loaded study keeps each valid case as a :class:`Record` (:meth:`CaseModels.record`): the same
fields and values, read the same way, without what a pydantic instance carries for validation.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetJsonSchemaHandler,
    StrictBool,
    StrictFloat,
    StrictInt,
    WithJsonSchema,
    create_model,
    model_validator,
)
from pydantic.config import JsonDict
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError

from ol_analysis.core.framework import Code, Framework, Group, Part, RecordField
from ol_analysis.core.yamlsource import source_text
from ol_analysis.diagnostics import did_you_mean

CASE_ID_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MONTH = re.compile(r"^\d{4}-\d{2}$")


def _as_text(value: Any) -> Any:
    """Numbers written where text is expected are read as the text that was typed."""
    if type(value) is str:
        return value
    text = source_text(value)
    return text if text is not None else value


# A number typed where text is expected (``section: 3.1``) is read as the text typed, and the
# schema says so, so that editors and the validator agree.
Text = Annotated[
    str,
    BeforeValidator(_as_text),
    Field(strict=True),
    WithJsonSchema({"type": ["string", "number"]}),
]


def code_type(codes: Sequence[Code], where: str) -> Any:
    """A text type admitting exactly the ids of ``codes``; schema shows each label."""
    ids = [code.id for code in codes]
    known = set(ids)

    def check(value: str) -> str:
        if value not in known:
            raise PydanticCustomError(
                "unknown-code",
                "'{value}' is not a code of {where}",
                {"value": value, "where": where, "hint": code_hint(value, ids)},
            )
        return value

    schema = {
        "type": "string",
        "anyOf": [
            {"const": code.id, "title": code.label.en, "description": _code_doc(code)}
            for code in codes
        ],
    }
    return Annotated[
        str,
        BeforeValidator(_as_text),
        Field(strict=True),
        AfterValidator(check),
        WithJsonSchema(schema),
    ]


_DATE_LIKE = re.compile(
    r"^(\d{1,4}[-/.]\d{1,2}([-/.]\d{1,4})?|[a-z]+\.? \d{4}|\d{1,2} [a-z]+\.? \d{4})$",
    re.IGNORECASE,
)
_ALLOWED_SHOWN = 12


def looks_like_date(value: str) -> bool:
    """``2019-03``, ``12-03-2021``, ``maart 2019``, ``3 mrt. 2019``: a date or month as typed."""
    return _DATE_LIKE.match(value.strip()) is not None


def code_hint(value: str, ids: Sequence[str]) -> str:
    """The hint for a value that is no code: the nearest code, else what the codes are (and that
    a date is not one of them)."""
    close = did_you_mean(value, ids)
    if close:
        return close
    allowed = ", ".join(ids[:_ALLOWED_SHOWN]) + (", …" if len(ids) > _ALLOWED_SHOWN else "")
    if looks_like_date(value):
        return f"this field takes a code, not a date; allowed: {allowed}"
    return f"allowed: {allowed}"


def _code_doc(code: Code) -> str:
    doc = f"{code.label.nl} / {code.label.en}"
    return f"{doc}. {code.description.strip()}" if code.description else doc


def _check_date(kind: str) -> Callable[[str], str]:
    def check(value: str) -> str:
        shape = _DATE if kind == "date" else _MONTH
        if kind == "period" and not (_DATE.match(value) or _MONTH.match(value)):
            return value
        if not shape.match(value) and kind != "period":
            raise PydanticCustomError(
                "invalid-date",
                "'{value}' is not a {kind} ({fmt})",
                {
                    "value": value,
                    "kind": kind,
                    "fmt": "YYYY-MM-DD" if kind == "date" else "YYYY-MM",
                    "hint": "",
                },
            )
        try:
            dt.date.fromisoformat(value if _DATE.match(value) else f"{value}-01")
        except ValueError:
            raise PydanticCustomError(
                "invalid-date",
                "'{value}' is not a real calendar date",
                {"value": value, "hint": ""},
            ) from None
        return value

    return check


def _date_text(kind: str) -> Any:
    # YAML 1.2's core schema has no timestamps, so dates arrive as the text typed.
    return Annotated[
        str, BeforeValidator(_as_text), Field(strict=True), AfterValidator(_check_date(kind))
    ]


# What the model validators check, said in draft-07 so that editors flag it too.
_BASIS_RULE: JsonDict = {
    "if": {"properties": {"inferred": {"const": True}}, "required": ["inferred"]},
    "then": {"required": ["basis"]},
}
_QUOTE_OR_NOTE: JsonDict = {"oneOf": [{"required": ["quote"]}, {"required": ["note"]}]}


class Provenance(BaseModel):
    """Evidence and inference markers that any coded item may carry, and the section of the
    source the item comes from (``section: "3.2 Zorgkosten"``)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, json_schema_extra=_BASIS_RULE)

    section: Text | None = None
    inferred: StrictBool = False
    basis: Text | None = None

    @model_validator(mode="after")
    def _basis_given(self) -> Provenance:
        if self.inferred and not (self.basis or "").strip():
            raise PydanticCustomError(
                "missing-basis",
                "an inferred coding needs a 'basis'",
                {"hint": "say what the coding rests on, e.g. 'Tabel 4 gives totals only'"},
            )
        return self


class _PlainOrExpanded(Provenance):
    """Accepts a bare value as shorthand for ``{<_plain_key>: value}``."""

    _plain_key: ClassVar[str] = "code"
    _plain_schema: ClassVar[dict[str, Any]] = {}

    @model_validator(mode="before")
    @classmethod
    def _expand(cls, value: Any) -> Any:
        return value if isinstance(value, dict) else {cls._plain_key: value}

    @classmethod
    def __get_pydantic_json_schema__(
        cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        expanded = handler(core_schema)
        return {"anyOf": [cls._plain_schema, expanded]} if cls._plain_schema else expanded


def _model_name(*parts: str) -> str:
    return "".join(word.capitalize() for part in parts for word in part.split("_") if word)


Scope = Literal["case", "study"]


class CaseModels:
    """The pydantic classes of one framework: the case itself and each part.

    With ``scope="study"`` the same machinery builds the model of ``study.yaml`` from the
    framework's ``study_parts`` instead: ``id``, ``title`` and one key per study part. ``case``
    is then that document's model.
    """

    def __init__(self, framework: Framework, scope: Scope = "case") -> None:
        self.framework = framework
        self.scope: Scope = scope
        self._records: dict[type[BaseModel], type[Record]] = {}
        self.part_specs: list[Part] = framework.parts if scope == "case" else framework.study_parts
        self.evidence = self._evidence_model()
        self.analysis = self._analysis_model()
        self.parts: dict[str, type[BaseModel]] = {
            part.id: create_model(  # type: ignore[call-overload]
                _model_name(part.id, "part"),
                __config__=ConfigDict(extra="forbid"),
                __doc__=part.description or part.label.en,
                **{group.id: self._group_field(group) for group in part.groups},
            )
            for part in self.part_specs
        }
        own_keys: dict[str, Any] = {
            "id": (Annotated[Text, Field(pattern=CASE_ID_PATTERN)], ...),
            "title": (Text, ...),
        }
        if scope == "case":
            own_keys |= {"summary": (Text | None, None), "analysis": (self.analysis | None, None)}
        title = framework.framework.title.en
        self.case = create_model(  # type: ignore[call-overload]
            "Case" if scope == "case" else "StudyFindings",
            __config__=ConfigDict(extra="forbid"),
            __doc__=f"A case of {title}"
            if scope == "case"
            else f"The study-level findings of {title}",
            **own_keys,
            **{
                part.id: (
                    (self.parts[part.id], ...)
                    if any(g.required for g in part.groups)
                    else (self.parts[part.id] | None, None)
                )
                for part in self.part_specs
            },
        )

    def record(self, model: BaseModel | Record) -> Record:
        """A validated model of these classes as a :class:`Record`, built once: short texts
        shared with the other cases, the pydantic instance left to be freed. A record is
        returned as it is."""
        return self._compact(model)  # type: ignore[no-any-return]

    def _compact(self, value: Any) -> Any:
        kind = type(value)
        if kind is str:
            return sys.intern(value) if len(value) <= _SHARED_TEXT_MAX else value
        if kind is list:
            return [self._compact(item) for item in value]
        if kind in _PLAIN:
            return value
        record = self._records.get(kind)
        if record is None:
            if not issubclass(kind, BaseModel):
                return value
            record = self._records[kind] = _record_class(kind)
        made = _new(record)
        values = value.__dict__
        for name, put in record._setters:
            item = values[name]
            kind = type(item)
            if kind is str:
                put(made, sys.intern(item) if len(item) <= _SHARED_TEXT_MAX else item)
            else:
                put(made, item if kind in _PLAIN else self._compact(item))
        return made

    @property
    def document_name(self) -> str:
        """How a message names the document: "a case file" or "study.yaml"."""
        return "a case file" if self.scope == "case" else "study.yaml"

    def groups(self) -> Iterator[tuple[Part, Group]]:
        """The parts and groups of this document, in framework order."""
        for part in self.part_specs:
            for group in part.groups:
                yield part, group

    def _evidence_model(self) -> type[BaseModel]:
        vocab = self.framework.evidence
        source = code_type(vocab.sources, "evidence sources")
        speaker = code_type(vocab.speakers, "evidence speakers")

        def one_text(item: BaseModel) -> BaseModel:
            if (getattr(item, "quote", None) is None) == (getattr(item, "note", None) is None):
                raise PydanticCustomError(
                    "evidence-text",
                    "an evidence item has either a 'quote' or a 'note'",
                    {"hint": "quote the source's words, or describe it in a note"},
                )
            return item

        return create_model(  # type: ignore[call-overload, no-any-return]
            "Evidence",
            __config__=ConfigDict(extra="forbid", json_schema_extra=_QUOTE_OR_NOTE),
            __validators__={"_one_text": model_validator(mode="after")(one_text)},  # type: ignore[dict-item]
            quote=(Text | None, None),
            note=(Text | None, None),
            source=(source, ...),
            speaker=(speaker | None, None),
            section=(Text | None, None),
            doc=(
                Text | None,
                Field(
                    default=None,
                    description="The source document (an id of sources/sources.yaml) the quote"
                    " is from; validate then finds the quote in it.",
                ),
            ),
        )

    def _analysis_model(self) -> type[BaseModel]:
        comment = create_model(  # type: ignore[call-overload]
            "FeedbackComment",
            __config__=ConfigDict(extra="forbid"),
            path=(Text, ...),
            author=(Text, ...),
            round=(StrictInt, 1),
            text=(Text, ...),
            resolved=(StrictBool, False),
        )
        return create_model(  # type: ignore[call-overload, no-any-return]
            "Analysis",
            __config__=ConfigDict(extra="forbid"),
            subgroup=(Text | None, None),
            analysts=(list[Text], []),
            status=(Literal["draft", "feedback", "final"] | None, None),  # type: ignore[arg-type, maybe-unrecognized-str-typeform]
            comments=(list[comment], []),
        )

    def _provenanced(
        self, name: str, plain_key: str | None, plain_schema: dict[str, Any], **fields: Any
    ) -> type[BaseModel]:
        base = _PlainOrExpanded if plain_key else Provenance
        model = create_model(  # type: ignore[call-overload]
            name,
            __base__=base,
            evidence=(list[self.evidence], []),  # type: ignore[name-defined]
            **fields,
        )
        if plain_key:
            model._plain_key = plain_key  # type: ignore[attr-defined]
            model._plain_schema = plain_schema  # type: ignore[attr-defined]
        return model  # type: ignore[no-any-return]

    def _group_field(self, group: Group) -> tuple[Any, Any]:
        annotation = self._group_type(group)
        description = group.description or group.label.en
        info = Field(
            default=... if group.required else None,
            title=group.label.en,
            description=f"{group.label.nl} / {group.label.en}. {description}".strip(),
        )
        return (annotation if group.required else annotation | None, info)

    def _group_type(self, group: Group) -> Any:
        name = _model_name(group.path.replace(".", "_"))
        if group.kind in ("single", "multi"):
            codes = code_type(group.codes, group.path)
            item = self._provenanced(
                f"{name}Item", "code", _schema_of(group.codes), code=(codes, ...)
            )
            return item if group.kind == "single" else list[item]  # type: ignore[valid-type]
        if group.kind == "records":
            fields = {f.id: self._record_field(f) for f in group.fields}
            record = self._provenanced(f"{name}Record", None, {}, **fields)
            return list[record]  # type: ignore[valid-type]
        value_type = _scalar_type(group.kind, group.min, group.max)
        return self._provenanced(
            f"{name}Value", "value", _scalar_schema(group.kind, group), value=(value_type, ...)
        )

    def _record_field(self, field: RecordField) -> tuple[Any, Any]:
        if field.type in ("code", "codes"):
            annotation: Any = code_type(field.codes, field.path)
            if field.type == "codes":
                annotation = list[annotation]  # type: ignore[valid-type]
        elif field.type in ("date", "month", "period"):
            annotation = _date_text(field.type)
        else:
            annotation = _scalar_type(field.type, field.min, field.max)
        info = Field(
            default=... if field.required else None,
            title=field.label.en,
            description=f"{field.label.nl} / {field.label.en}. {field.description}".strip(),
        )
        return (annotation if field.required else annotation | None, info)


def _scalar_type(kind: str, low: float | None, high: float | None) -> Any:
    if kind == "bool":
        return StrictBool
    if kind == "text":
        return Text
    base: Any = StrictInt if kind == "integer" else StrictFloat | StrictInt
    return Annotated[base, Field(ge=low, le=high)]


def _schema_of(codes: Sequence[Code]) -> dict[str, Any]:
    return {
        "anyOf": [{"const": c.id, "title": c.label.en, "description": _code_doc(c)} for c in codes]
    }


def _scalar_schema(kind: str, group: Group) -> dict[str, Any]:
    if kind == "bool":
        return {"type": "boolean"}
    if kind == "text":
        return {"type": "string"}
    schema: dict[str, Any] = {"type": "integer" if kind == "integer" else "number"}
    if group.min is not None:
        schema["minimum"] = group.min
    if group.max is not None:
        schema["maximum"] = group.max
    return schema


_SHARED_TEXT_MAX = 40
"""Texts up to this length (codes, statuses, sections, short answers) are shared between the
cases that hold them (:func:`sys.intern`); longer ones (quotes, notes) are mostly unique."""


class Record:
    """The values of a validated model, compact and read-only: a slot per field.

    A study of thousands of cases holds every case at once. A pydantic instance keeps, besides
    its values, an instance dict and the set of fields given, about 500 bytes per coded item
    before any value; a record keeps its values only (76 KB a synthetic case as models, about
    a third of it as records). It is read like the model it was made from: attributes by field
    name (``item.code``, ``record.evidence``), ``model_dump()`` and ``model_dump_json()`` with
    the model's output, equality by class and values.
    """

    __slots__ = ()
    _field_names: ClassVar[tuple[str, ...]] = ()
    _setters: ClassVar[tuple[tuple[str, Callable[[Any, Any], None]], ...]] = ()

    def __init__(self, *values: Any) -> None:
        for (_name, put), value in zip(self._setters, values, strict=True):
            put(self, value)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is read-only: a loaded case does not change")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is read-only: a loaded case does not change")

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return all(getattr(self, n) == getattr(other, n) for n in self._field_names)

    __hash__ = None  # type: ignore[assignment]  # like the model: values may be lists

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._field_names)
        return f"{type(self).__name__}({shown})"

    def model_dump(self, *, mode: Literal["python", "json"] = "python") -> dict[str, Any]:
        """Every field as plain data, nested records as dicts (the model's ``model_dump``; the
        values are JSON's own types, so both modes give the same)."""
        return {name: _dumped(getattr(self, name)) for name in self._field_names}

    def model_dump_json(self) -> str:
        """:meth:`model_dump` as compact JSON, the text of the model's ``model_dump_json``."""
        return json.dumps(self, default=_fields, ensure_ascii=False, separators=(",", ":"))


_PLAIN = frozenset({type(None), bool, int, float})
_new = object.__new__


def _dumped(value: Any) -> Any:
    if isinstance(value, Record):
        return value.model_dump()
    if isinstance(value, list):
        return [_dumped(item) for item in value]
    return value


def _fields(value: Any) -> dict[str, Any]:
    """A record's fields for :func:`json.dumps`, which writes the values itself."""
    if not isinstance(value, Record):
        raise TypeError(f"{type(value).__name__} is not JSON serialisable")
    return {name: getattr(value, name) for name in value._field_names}


def _record_class(model: type[BaseModel]) -> type[Record]:
    names = tuple(model.model_fields)
    record = type(
        model.__name__,
        (Record,),
        {
            "__slots__": names,
            "_field_names": names,
            "__doc__": model.__doc__,
            "__module__": __name__,
        },
    )
    # each slot's own setter: a record is read-only to everyone else
    record._setters = tuple((name, getattr(record, name).__set__) for name in names)  # type: ignore[attr-defined]
    return record
