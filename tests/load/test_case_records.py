"""A loaded study holds each case as a compact, read-only record, not the pydantic model it was
validated with (issue 12: a build of 10,000 cases holds every case at once), and reads it as
before."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from ol_analysis.core.casemodel import CaseModels, Record
from ol_analysis.core.study import Study, load_study
from ol_analysis.core.validate import validate_document
from ol_analysis.core.yamlsource import read_yaml

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def study() -> Study:
    return load_study(REPO)


def _values(value: Any) -> Iterator[Any]:
    """Every value inside a record, nested records and lists included."""
    yield value
    if isinstance(value, Record):
        for name in value._field_names:
            yield from _values(getattr(value, name))
    elif isinstance(value, list):
        for item in value:
            yield from _values(item)


def _validated(study: Study, case_id: str) -> BaseModel:
    path = REPO / "cases" / f"{case_id}.yaml"
    doc, _problems = read_yaml(path, str(path))
    assert doc is not None
    model, _problems = validate_document(doc, CaseModels(study.framework), path)
    assert model is not None
    return model


def test_a_loaded_case_holds_records_and_no_pydantic_model(study: Study) -> None:
    for case in study:
        values = list(_values(case.model))
        assert isinstance(case.model, Record)
        assert not any(isinstance(v, BaseModel) for v in values)
        assert sum(isinstance(v, Record) for v in values) > 20


def test_a_record_reads_and_dumps_as_its_model(study: Study) -> None:
    for case in study:
        model = _validated(study, case.id)
        assert case.model.model_dump() == model.model_dump()
        assert case.model.model_dump_json() == model.model_dump_json()
        assert repr(case.model) == repr(model)


def test_records_are_read_only(study: Study) -> None:
    case = study.cases["c01"]
    with pytest.raises(AttributeError, match="read-only"):
        case.model.title = "Another title"  # type: ignore[union-attr]
    item = case.items("reference.if_then")[0]
    with pytest.raises(AttributeError, match="read-only"):
        del item.status


def test_short_texts_are_shared_between_cases(study: Study) -> None:
    first, second = study.cases["c01"], study.cases["c02"]
    codes_1 = {c: c for c in first.codes("profile.organisations")}
    shared = [c for c in second.codes("profile.organisations") if c in codes_1]
    assert shared
    assert all(code is codes_1[code] for code in shared)
