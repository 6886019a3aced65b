"""The report data keeps the answers of its named queries (a chapter asks the same ones again,
in its Markdown and its HTML) and answers through the index of counted paths: every answer is
the query's own, asked once or again, and a mistake is never kept."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import ol_analysis
from ol_analysis.analysis import queries
from ol_analysis.report.data import ReportData, ReportLookupError, gather

REPO = Path(__file__).resolve().parents[2]

FLAT = "course_outcome.pattern.rising"
INFERRED = "profile.inflow.automatic_transfer"
MOMENTS = "key_moments.moments"
DISCIPLINE = "support.professionals.discipline"


@pytest.fixture(scope="module")
def study() -> ol_analysis.Study:
    return ol_analysis.load_study(REPO)


@pytest.fixture
def data(study: ol_analysis.Study) -> ReportData:
    return gather(study)


def asked(study: ol_analysis.Study) -> list[tuple[Callable[[ReportData], Any], Any]]:
    """(a question to the report data, the query's own answer)."""
    alternatives = (["psychiatrist", "nurse_specialist"], ["personal_counsellor"])
    return [
        (lambda d: d.counted(FLAT), queries.cases_with(study, FLAT)),
        (lambda d: d.counted(INFERRED), queries.cases_with(study, INFERRED)),
        (
            lambda d: d.count_any(FLAT, INFERRED),
            queries.any_of(study, [FLAT, INFERRED]),
        ),
        (
            lambda d: d.count_all(FLAT, INFERRED),
            queries.all_of(study, [FLAT, INFERRED]),
        ),
        (
            lambda d: d.with_records(MOMENTS, category="ol_support", valence="negative"),
            queries.cases_with_records(
                study, MOMENTS, {"category": "ol_support", "valence": "negative"}
            ),
        ),
        (
            lambda d: d.with_each(DISCIPLINE, *alternatives, involvement="core"),
            queries.cases_with_each(study, DISCIPLINE, alternatives, {"involvement": "core"}),
        ),
        (
            lambda d: d.per_case("support.professionals", involvement="core"),
            queries.records_per_case(study, "support.professionals", {"involvement": "core"}),
        ),
        (lambda d: d.distinct(DISCIPLINE), queries.distinct(study, DISCIPLINE, {})),
        (
            lambda d: d.in_range("profile.severity_start", 6, 7),
            queries.in_range(study, "profile.severity_start", 6, 7),
        ),
        (
            lambda d: d.exactly("profile.organisations", "ggz_drenthe", "cosis"),
            queries.exactly(study, "profile.organisations", ["ggz_drenthe", "cosis"]),
        ),
        (lambda d: d.quotes(FLAT), queries.quotes(study, FLAT)),
        (lambda d: d.case_number("c07"), 7),
        (
            lambda d: d.case_numbers(d.counted(FLAT)),
            queries.case_numbers(study, queries.cases_with(study, FLAT).cases),
        ),
    ]


def test_each_answer_is_the_querys_asked_once_or_again(
    data: ReportData, study: ol_analysis.Study
) -> None:
    for question, expected in asked(study):
        first = question(data)
        assert first == expected
        assert question(data) == expected
    assert data.counted(INFERRED).inferred  # the comparison covers inferred cases too


def test_an_answer_is_kept_for_the_same_question_only(data: ReportData) -> None:
    assert data.counted(FLAT) is data.counted(FLAT)
    core = data.with_each(DISCIPLINE, ["nurse", "spv"], involvement="core")
    assert data.with_each(DISCIPLINE, ["nurse", "spv"], involvement="core") is core
    negative = data.with_records(MOMENTS, valence="negative")
    positive = data.with_records(MOMENTS, valence="positive")
    assert negative.cases != positive.cases
    assert positive == queries.cases_with_records(data.study, MOMENTS, {"valence": "positive"})


def test_each_report_data_keeps_its_own_answers(study: ol_analysis.Study) -> None:
    first, second = gather(study), gather(study)
    assert first.counted(FLAT) == second.counted(FLAT)
    assert first.counted(FLAT) is not second.counted(FLAT)


def test_a_mistake_is_raised_each_time(data: ReportData) -> None:
    for _ in range(2):
        with pytest.raises(ReportLookupError, match="did you mean"):
            data.counted("course_outcome.pattern.risin")
        with pytest.raises(ReportLookupError):
            data.per_case("support.profesionals", involvement="core")


def test_an_argument_that_cannot_be_kept_is_asked_each_time(data: ReportData) -> None:
    unhashable = {"nurse"}  # a set: no key can be made of it, so the query answers directly
    found = data.with_records("support.professionals", discipline=unhashable)
    assert found == queries.cases_with_records(
        data.study, "support.professionals", {"discipline": unhashable}
    )
