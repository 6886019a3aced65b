"""Checking one case document against the framework's case model.

Two passes: the pydantic model (types, vocabularies, required groups, provenance), and the rules
a model cannot express on its own (duplicates, ``only_with``, the id matching the file name).
The second pass reads the raw data, so it reports even when the first found problems.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from ol_analysis.core.casemodel import CASE_ID_PATTERN, CaseModels
from ol_analysis.core.framework import Group
from ol_analysis.core.pydantic_errors import to_diagnostics
from ol_analysis.core.values import as_list
from ol_analysis.core.yamlsource import SourceDocument, source_text
from ol_analysis.diagnostics import Diagnostic, has_errors


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


def _check_id(doc: SourceDocument, file_path: Path) -> list[Diagnostic]:
    case_id = case_id_of(doc.data)
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
