"""Checking one case document against the framework's case model.

Two passes: the pydantic model (types, vocabularies, required groups, provenance), and the rules
a model cannot express on its own (duplicates, ``only_with``, the id matching the file name).
The second pass reads the raw data, so it reports even when the first found problems.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from ol_analysis.core.casemodel import CASE_ID_PATTERN, CaseModels
from ol_analysis.core.framework import Group
from ol_analysis.core.pydantic_errors import to_diagnostics
from ol_analysis.core.values import as_list
from ol_analysis.core.yamlsource import SourceDocument, source_text
from ol_analysis.diagnostics import Diagnostic, Severity, has_errors


def validate_document(
    doc: SourceDocument, models: CaseModels, file_path: Path | None = None
) -> tuple[BaseModel | None, list[Diagnostic]]:
    """The validated case model (None when invalid) and every problem found.

    ``models`` may be the study scope's (:class:`CaseModels` with ``scope="study"``): then the
    document is ``study.yaml``, checked the same way against the study parts.
    """
    if not isinstance(doc.data, dict):
        kind = "a list" if isinstance(doc.data, list) else "a single value"
        return None, [
            doc.diagnostic(
                (),
                "not-a-mapping",
                f"{models.document_name} must be a mapping of keys, found {kind}",
                START_HINTS[models.scope],
            )
        ]
    problems: list[Diagnostic] = []
    model: BaseModel | None = None
    try:
        model = models.case.model_validate(doc.data)
    except ValidationError as error:
        problems += to_diagnostics(error, doc, models.case)
    problems += _rule_checks(doc, models)
    if file_path is not None:
        problems = [_id_hint(d, file_path) for d in problems]
        problems += _check_id(doc, file_path)
    return (model if not has_errors(problems) else None), problems


START_HINTS = {
    "case": "start from 'ol-analysis new ID --title TITLE'",
    "study": "write 'id:', 'title:' and one key per study part of framework.yaml",
}


def case_id_of(data: Any) -> str | None:
    """A document's ``id`` as the text typed: ``id: 12`` is the case ``12``, as in the model."""
    value = data.get("id") if isinstance(data, dict) else None
    if isinstance(value, str):
        return value
    return source_text(value) if value is not None else None


def _id_hint(diagnostic: Diagnostic, file_path: Path) -> Diagnostic:
    """An invalid id's hint names the file: its name is the id to write when it is valid."""
    stem = file_path.stem
    if diagnostic.rule != "invalid-id" or re.fullmatch(CASE_ID_PATTERN, stem) is None:
        return diagnostic
    suggested = (diagnostic.hint or "").split("'")[1:2]
    hint = f"write 'id: {stem}', as the file is named"
    if suggested and suggested[0] != f"id: {stem}":
        hint += f", or '{suggested[0]}' and rename the file to {suggested[0][4:]}.yaml"
    return replace(diagnostic, hint=hint)


def _check_id(doc: SourceDocument, file_path: Path) -> list[Diagnostic]:
    case_id = case_id_of(doc.data)
    if case_id is not None and re.fullmatch(CASE_ID_PATTERN, case_id) is None:
        return []  # an invalid id is reported as such ('invalid-id'), with the file's name
    if case_id is not None and case_id != file_path.stem:
        stem = file_path.stem
        fits = re.fullmatch(CASE_ID_PATTERN, stem) is not None
        return [
            doc.diagnostic(
                ("id",),
                "id-mismatch",
                f"id '{case_id}' differs from the file name '{file_path.name}'",
                f"rename the file to {case_id}.yaml" + (f" or set id: {stem}" if fits else ""),
            )
        ]
    return []


def _rule_checks(doc: SourceDocument, models: CaseModels) -> list[Diagnostic]:
    problems: list[Diagnostic] = []
    coded = _coded_paths(doc.data, models)
    for part, group in models.groups():
        value = _get(doc.data, part.id, group.id)
        if value is None:
            continue
        loc = (part.id, group.id)
        if group.kind == "multi" and isinstance(value, list):
            problems += _duplicate_codes(doc, loc, value)
        if group.kind == "records" and isinstance(value, list) and group.key:
            problems += _duplicate_records(doc, loc, group, value)
        if group.kind == "records" and isinstance(value, list):
            problems += _date_labels(doc, loc, group, value)
        if group.only_with and group.only_with not in coded:
            problems.append(
                doc.diagnostic(
                    loc,
                    "only-with",
                    f"{group.path} may only be coded together with {group.only_with}",
                    f"remove it, or code {group.only_with}",
                    key=True,
                )
            )
    return problems


_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("januari", "january", "jan"),
            ("februari", "february", "feb"),
            ("maart", "march", "mrt", "mar"),
            ("april", "apr"),
            ("mei", "may"),
            ("juni", "june", "jun"),
            ("juli", "july", "jul"),
            ("augustus", "august", "aug"),
            ("september", "sep", "sept"),
            ("oktober", "october", "okt", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_MONTH_YEAR = re.compile(r"^(\d{1,2})[-/.](\d{4})$")
_NAMED_MONTH = re.compile(r"^(?:(\d{1,2}) )?([a-z]+)\.? (\d{4})$", re.IGNORECASE)


def iso_form(text: str) -> str | None:
    """``12-03-2021`` → ``2021-03-12``, ``03-2019`` and ``maart 2019`` → ``2019-03``; None when
    the text is not a date or month written another way."""
    text = text.strip()
    if match := _DAY_MONTH_YEAR.match(text):
        day, month, year = int(match[1]), int(match[2]), match[3]
        return f"{year}-{month:02d}-{day:02d}" if 1 <= month <= 12 and 1 <= day <= 31 else None
    if match := _MONTH_YEAR.match(text):
        month = int(match[1])
        return f"{match[2]}-{month:02d}" if 1 <= month <= 12 else None
    if match := _NAMED_MONTH.match(text):
        number = _MONTHS.get(match[2].lower())
        if number is None:
            return None
        return f"{match[3]}-{number:02d}" + (f"-{int(match[1]):02d}" if match[1] else "")
    return None


def _date_labels(
    doc: SourceDocument, loc: tuple[str, str], group: Group, records: list[Any]
) -> list[Diagnostic]:
    """A period written as a date another way (``12-03-2021``, ``maart 2019``) is a label to
    the validator, so it neither sorts nor counts as a date: a warning that says how to write
    it."""
    periods = [f.id for f in group.fields if f.type == "period"]
    problems = []
    for index, record in enumerate(records):
        for field_id in periods:
            value = record.get(field_id) if isinstance(record, dict) else None
            iso = iso_form(value) if isinstance(value, str) else None
            if iso is None:
                continue
            diagnostic = doc.diagnostic(
                (*loc, index, field_id),
                "date-label",
                f"'{value}' in {group.path}.{field_id} looks like a date but is kept as a label "
                "(it does not sort or count as a date)",
                f"write it as {iso}; a label is a phrase such as 'begin traject'",
            )
            problems.append(replace(diagnostic, severity=Severity.WARNING))
    return problems


def _get(data: Any, part_id: str, group_id: str) -> Any:
    part = data.get(part_id) if isinstance(data, dict) else None
    return part.get(group_id) if isinstance(part, dict) else None


def _code_of(item: Any) -> str | None:
    value = item.get("code") if isinstance(item, dict) else item
    if isinstance(value, str):
        return value
    return source_text(value)


def _coded_paths(data: Any, models: CaseModels) -> set[str]:
    """Dotted paths of the single and multi codes a raw case document codes."""
    paths: set[str] = set()
    for part, group in models.groups():
        value = _get(data, part.id, group.id)
        items = as_list(value)
        if group.is_coded:
            paths.update(f"{group.path}.{code}" for code in map(_code_of, items) if code)
    return paths


def _duplicate_codes(
    doc: SourceDocument, loc: tuple[str, str], items: list[Any]
) -> list[Diagnostic]:
    first: dict[str, int] = {}
    problems = []
    for index, item in enumerate(items):
        code = _code_of(item)
        if code is None:
            continue
        if code in first:
            line = doc.position((*loc, first[code]))[0]
            problems.append(
                doc.diagnostic(
                    (*loc, index),
                    "duplicate-code",
                    f"'{code}' is coded twice in {'.'.join(loc)} (first at line {line})",
                    "merge the two items",
                )
            )
        else:
            first[code] = index
    return problems


def _duplicate_records(
    doc: SourceDocument, loc: tuple[str, str], group: Group, records: list[Any]
) -> list[Diagnostic]:
    first: dict[tuple[str, ...], int] = {}
    problems = []
    for index, record in enumerate(records):
        if not isinstance(record, dict):
            continue
        identity = tuple(str(record.get(key)) for key in group.key)
        if identity in first:
            line = doc.position((*loc, first[identity]))[0]
            shown = ", ".join(f"{k}: {v}" for k, v in zip(group.key, identity, strict=True))
            problems.append(
                doc.diagnostic(
                    (*loc, index),
                    "duplicate-record",
                    f"a second record with {shown} in {group.path} (first at line {line})",
                    "merge the records; evidence lists can hold several items",
                )
            )
        else:
            first[identity] = index
    return problems
