"""Turning pydantic validation errors into located diagnostics.

Friendly wording lives here as data (error type → rule and message), so that the models stay
declarative and every stage reports problems the same way.
"""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Iterator
from typing import Any, Union

from pydantic import BaseModel, ValidationError

from ol_analysis.core.yamlsource import Loc, SourceDocument
from ol_analysis.diagnostics import Diagnostic, did_you_mean

_WRONG_TYPE_EXPECTED = {
    "string_type": "text",
    "int_type": "a whole number",
    "int_from_float": "a whole number",
    "int_parsing": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "dict_type": "a mapping of keys",
    "model_type": "a mapping of keys",
    "model_attributes_type": "a mapping of keys",
    "list_type": "a list",
    "literal_error": "one of the allowed values",
}

_UNION_TAGS = {"float", "int", "str", "bool"}
_YAML11_BOOLS = {"yes", "no", "on", "off", "y", "n"}
_BOUND_WORDS = {"ge": "at least", "le": "at most", "gt": "more than", "lt": "less than"}
_RANGE_TYPES = {"greater_than_equal", "less_than_equal", "greater_than", "less_than"}


def describe(value: object) -> str:
    """How an offending value reads in a message."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"'{str(value).lower()}'"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    text = str(value)
    return f"'{text[:60]}…'" if len(text) > 60 else f"'{text}'"


def _unwrap(annotation: Any) -> Iterator[Any]:
    """The model classes an annotation may hold (through Optional, Annotated, list, Union)."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        yield from _unwrap(typing.get_args(annotation)[0])
    elif origin in (list, Union, types.UnionType):
        for arg in typing.get_args(annotation):
            yield from _unwrap(arg)
    elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation


def model_at(model: type[BaseModel], loc: Loc) -> type[BaseModel] | None:
    """The model class that validates the mapping at ``loc`` below ``model``."""
    current: type[BaseModel] | None = model
    for part in loc:
        if current is None:
            return None
        if isinstance(part, int):
            continue
        field = current.model_fields.get(part)
        if field is None:
            return None
        candidates = list(_unwrap(field.annotation))
        current = candidates[0] if candidates else None
    return current


def allowed_keys(model: type[BaseModel]) -> list[str]:
    return [field.alias or name for name, field in model.model_fields.items()]


def to_diagnostics(
    error: ValidationError, doc: SourceDocument, root_model: type[BaseModel]
) -> list[Diagnostic]:
    """One diagnostic per pydantic error, located in the YAML source."""
    return [_one(item, doc, root_model) for item in error.errors(include_url=False)]


def clean_loc(loc: tuple[Any, ...]) -> Loc:
    """A pydantic error location without the names of union members (``[function-after]``)."""
    return tuple(part for part in loc if isinstance(part, int) or not str(part).startswith("["))


def diagnostic_for(
    item: Any, doc: SourceDocument, root_model: type[BaseModel], *, rule_prefix: str = ""
) -> Diagnostic:
    """The diagnostic of one pydantic error (an item of ``ValidationError.errors()``).

    ``rule_prefix`` names the kind of document in every rule (``framework-`` gives
    ``framework-unknown-key``).
    """
    return _one(item, doc, root_model, rule_prefix)


def _one(
    item: Any, doc: SourceDocument, root_model: type[BaseModel], rule_prefix: str = ""
) -> Diagnostic:
    def make(
        loc: Loc, rule: str, message: str, hint: str | None, *, key: bool = False
    ) -> Diagnostic:
        return doc.diagnostic(loc, f"{rule_prefix}{rule}", message, hint, key=key)

    loc = clean_loc(item["loc"])
    while loc and loc[-1] in _UNION_TAGS and loc not in doc.value_positions:
        loc = loc[:-1]  # a member of a union (a number is float | int), not a key of the file
    if len(loc) > 1 and loc[-1] in ("code", "value") and loc not in doc.value_positions:
        loc = loc[:-1]  # the plain form: the value stands where the item does
    kind: str = item["type"]
    value = item.get("input")
    where = ".".join(str(part) for part in loc) or "the document"
    ctx = item.get("ctx") or {}
    if kind == "extra_forbidden":
        owner = model_at(root_model, loc[:-1])
        choices = allowed_keys(owner) if owner else []
        return make(
            loc,
            "unknown-key",
            f"unknown key '{loc[-1]}' in {'.'.join(str(p) for p in loc[:-1]) or 'the document'}",
            did_you_mean(str(loc[-1]), choices)
            or (f"allowed: {', '.join(choices)}" if choices else None),
            key=True,
        )
    if kind == "missing":
        what = _missing_what(loc)
        parent = loc[:-1]
        return make(
            parent,
            "missing-field" if what == "field" else "missing-group",
            f"missing required {what} '{loc[-1]}'"
            + (f" in {'.'.join(str(p) for p in parent)}" if parent else ""),
            f"add '{loc[-1]}:'",
            key=bool(parent) and not isinstance(parent[-1], int),
        )
    if value is None and kind in _WRONG_TYPE_EXPECTED:
        return make(loc, "empty-value", f"{where} has no value", _empty_hint(root_model, loc))
    if kind == "string_pattern_mismatch" and loc == ("id",):
        return make(
            loc,
            "invalid-id",
            f"{describe(value)} is not a valid id: use lower-case letters, digits, '-' and '_', "
            "starting with a letter or digit",
            _id_hint(str(value)),
        )
    if kind in _RANGE_TYPES:
        bound = next(iter(ctx.items()), ("", ""))
        return make(
            loc,
            "out-of-range",
            f"{describe(value)} is out of range for "
            f"{where}: it must be {_BOUND_WORDS.get(bound[0], bound[0])} "
            f"{bound[1]}",
            None,
        )
    if kind == "missing-basis" and (*loc, "inferred") in doc.key_positions:
        return make((*loc, "inferred"), kind, item["msg"], ctx.get("hint"), key=True)
    if "hint" in ctx or kind in {"unknown-code", "missing-basis", "invalid-date", "evidence-text"}:
        return make(loc, kind, item["msg"], ctx.get("hint") or None)
    if kind == "list_type" and isinstance(value, dict):
        return make(
            loc,
            "wrong-type",
            f"{where} must be a list, found a mapping",
            "write each entry on its own line starting with '- '",
        )
    if kind == "list_type" and value is not None and not isinstance(value, list):
        return make(
            loc,
            "wrong-type",
            f"{where} must be a list, found {describe(value)}",
            f"a list, even of one: '{loc[-1]}: [{value}]', or each entry on its own line "
            "starting with '- '",
        )
    if kind == "string_type" and isinstance(value, list) and _takes_one_code(root_model, loc):
        return make(
            loc,
            "wrong-type",
            f"{where} takes one code, found a list",
            f"a single group holds one code: write '{loc[-1]}: {value[0]}'"
            if len(value) == 1 and isinstance(value[0], str)
            else "choose one code; only a multi group takes a list",
        )
    if kind in _NUMBER_TYPES and isinstance(value, str) and _is_number(value):
        return make(
            loc,
            "wrong-type",
            f"{where} must be {_WRONG_TYPE_EXPECTED[kind]}, found the text '{value}' (in quotes)",
            f"remove the quotes: '{loc[-1]}: {value}'",
        )
    expected = _WRONG_TYPE_EXPECTED.get(kind)
    if expected:
        hint = None
        if expected == "true or false" and str(value).lower() in _YAML11_BOOLS:
            hint = "YAML 1.2 reads yes/no/on/off as text: write true or false"
        elif expected == "text" and isinstance(value, list | dict):
            hint = "write the text on one line, or as a block after '>'"
        return make(loc, "wrong-type", f"{where} must be {expected}, found {describe(value)}", hint)
    return make(loc, "invalid-value", f"{where}: {item['msg']}", None)


_NUMBER_TYPES = {"int_type", "int_parsing", "float_type", "float_parsing"}
_ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


def _is_number(text: str) -> bool:
    try:
        float(text.strip())
    except ValueError:
        return False
    return bool(text.strip())


def _id_hint(value: str) -> str:
    """A valid id close to ``value`` (``C15`` → ``c15``), as a hint."""
    suggestion = re.sub(r"[^a-z0-9_-]+", "-", value.strip().lower()).strip("-_")
    if _ID_PATTERN.match(suggestion):
        return f"write 'id: {suggestion}' and name the file {suggestion}.yaml"
    return "write an id such as 'c12' and name the file after it (c12.yaml)"


def _takes_one_code(root_model: type[BaseModel], loc: Loc) -> bool:
    """True when ``loc`` is a single group's coded item (its model has a ``code`` field)."""
    owner = model_at(root_model, loc)
    return owner is not None and "code" in owner.model_fields


def _empty_hint(root_model: type[BaseModel], loc: Loc) -> str:
    """Fill in a required key; fill in or remove an optional one."""
    owner = model_at(root_model, loc[:-1]) if loc else None
    field = owner.model_fields.get(str(loc[-1])) if owner is not None and loc else None
    if field is not None and field.is_required():
        return f"fill it in: '{loc[-1]}' is required"
    if field is not None:
        return f"fill it in, or remove the line: '{loc[-1]}' is optional"
    return "fill it in, or remove the line"


def _missing_what(loc: Loc) -> str:
    if len(loc) == 1:
        return "key" if loc[0] in {"id", "title"} else "part"
    if any(isinstance(part, int) for part in loc):
        return "field"
    return "group"
