"""No input yields a traceback: arbitrary data shaped like a case file is checked, never raised."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from ol_analysis.core.casemodel import CaseModels
from ol_analysis.core.framework import load_framework
from ol_analysis.core.validate import validate_document
from ol_analysis.core.yamlsource import SourceDocument

MODELS = CaseModels(
    load_framework(Path(__file__).parents[1] / "fixtures" / "mini" / "framework.yaml")
)
KEYS = [
    "id",
    "title",
    "profile",
    "course",
    "reference",
    "team",
    "pattern",
    "outcomes",
    "code",
    "evidence",
    "quote",
    "source",
    "inferred",
    "basis",
    "if_then",
    "statement",
    "status",
    "moments",
    "when",
    "summary",
    "value",
    "severity",
    "team_wide",
    "x",
]
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 20),
    st.floats(allow_nan=True),
    st.sampled_from(
        [
            "north",
            "rising",
            "stability",
            "supports",
            "more_crises",
            "2020-02-30",
            "begin",
            "",
            "m01",
        ]
    ),
    st.text(max_size=8),
)
DATA = st.recursive(
    SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(st.sampled_from(KEYS), children, max_size=5)
    ),
    max_leaves=30,
)


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(st.sampled_from(KEYS), DATA, max_size=6))
def test_any_case_shaped_data_gives_diagnostics_not_exceptions(data: dict[str, Any]) -> None:
    model, problems = validate_document(SourceDocument("fuzz.yaml", data), MODELS)
    assert (model is None) == bool(problems)
    for problem in problems:
        assert problem.path == "fuzz.yaml" and problem.rule and problem.message
