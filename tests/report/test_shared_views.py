"""The report data's case views share what repeats across cases (issue 12: memory at 10,000
cases): an item or a record's field that two cases show alike is one object."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import ol_analysis
from ol_analysis.report.data import gather

REPO = Path(__file__).resolve().parents[2]


def _each_made_once(values: list[Any]) -> None:
    first: dict[Any, Any] = {}
    for value in values:
        assert first.setdefault(value, value) is value, f"{value!r} made again"
    assert len(first) < len(values), "nothing repeats across the cases"


def test_equal_items_and_record_fields_of_the_cases_are_one_object() -> None:
    data = gather(ol_analysis.load_study(REPO))
    parts = [part for view in data.cases.values() for part in view.parts]
    _each_made_once([item for part in parts for item in part.items])
    _each_made_once(
        [
            pair
            for part in parts
            for records in part.records.values()
            for record in records
            for pair in record.fields
        ]
    )
