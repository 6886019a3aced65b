"""The named queries behind the chapters' figures, on a four-case synthetic study whose every
figure can be counted by hand (tests/analysis/study)."""

from __future__ import annotations

from pathlib import Path

import pytest

import ol_analysis
from ol_analysis.analysis import queries
from ol_analysis.analysis.counts import Count

STUDY = Path(__file__).parent / "study"


@pytest.fixture(scope="module")
def study() -> ol_analysis.Study:
    return ol_analysis.load_study(STUDY)


def test_cases_with_a_code_name_the_inferred_ones(study: ol_analysis.Study) -> None:
    cosis = queries.cases_with(study, "profile.organisations.cosis")
    assert (cosis.n, cosis.cases, cosis.total) == (3, ("q1", "q2", "q3"), 4)
    assert cosis.inferred == ("q2", "q3")
    assert queries.cases_with(study, "profile.organisations.ggz").inferred == ("q3",)


def test_a_record_field_code_and_a_bool_field(study: ol_analysis.Study) -> None:
    assert queries.cases_with(study, "support.professionals.discipline.psychiatrist").cases == (
        "q1",
        "q2",
    )
    assert queries.cases_with(study, "support.professionals.casemanager").n == 3


def test_exact_combination_differs_from_both_present(study: ol_analysis.Study) -> None:
    exact = queries.exactly(study, "profile.organisations", ["cosis", "ggz"])
    assert exact.cases == ("q1", "q3")
    assert exact.inferred == ("q3",)
    both = queries.all_of(study, ["profile.organisations.ggz", "profile.organisations.cosis"])
    assert both.cases == ("q1", "q2", "q3")
    assert queries.any_of(study, ["profile.organisations.vnn"]).cases == ("q2", "q4")


def test_records_per_case_over_a_filtered_set(study: ol_analysis.Study) -> None:
    core = queries.records_per_case(study, "support.professionals", {"involvement": "core"})
    assert dict(core.values) == {"q1": 2, "q2": 3, "q3": 2}
    assert (core.mean, core.minimum, core.maximum) == (pytest.approx(7 / 3), 2, 3)
    assert core.count.cases == ("q1", "q2", "q3")  # q4 has no professionals: not a zero
    managers = queries.records_per_case(study, "support.professionals", {"casemanager": True})
    assert [(v, c.cases) for v, c in managers.distribution] == [(1, ("q1", "q3")), (2, ("q2",))]
    every = queries.records_per_case(study, "support.professionals")
    assert every.total == 9


def test_distinct_values_with_their_cases(study: ol_analysis.Study) -> None:
    disciplines = queries.distinct(study, "support.professionals.discipline")
    assert [v for v, _c in disciplines.values] == ["nurse", "counsellor", "psychiatrist"]
    assert disciplines.n == 3
    on_call = queries.distinct(study, "support.professionals.discipline", {"involvement": "ad_hoc"})
    assert [(v, c.cases) for v, c in on_call.values] == [
        ("nurse", ("q2",)),
        ("psychiatrist", ("q1",)),
    ]


@pytest.mark.parametrize(
    ("n", "word"), [(0, "none"), (1, "some"), (2, "half"), (3, "most"), (4, "all")]
)
def test_quantifiers(n: int, word: str) -> None:
    assert queries.quantifier(Count.of([f"c{i}" for i in range(n)], 4)) == word


def test_values_in_a_band(study: ol_analysis.Study) -> None:
    band = queries.in_range(study, "profile.severity", 8, 9)
    assert (band.cases, band.inferred) == (("q2", "q3"), ("q2",))


def test_money_totals_and_ranges() -> None:
    amounts = queries.money([1099, None, 1464, 1292.5])
    assert (amounts.n, amounts.total, amounts.minimum, amounts.maximum) == (3, 3855.5, 1099, 1464)
    assert queries.money([]).mean is None


def test_the_claims_query_language(study: ol_analysis.Study) -> None:
    run = queries.run
    assert run(study, {"count": "profile.organisations.cosis"}) == 3
    assert run(study, {"cases": "profile.organisations.vnn"}) == ["q2", "q4"]
    assert run(study, {"count_exact": "profile.organisations", "codes": ["ggz", "cosis"]}) == 2
    assert (
        run(study, {"count_all": ["profile.organisations.ggz", "profile.organisations.vnn"]}) == 1
    )
    query = {"records_per_case": "support.professionals", "where": {"involvement": "core"}}
    assert run(study, {**query, "stat": "max"}) == 3
    assert run(study, {"distinct": "support.professionals.discipline"}) == 3
    assert run(study, {"quantifier": "profile.organisations.ggz"}) == "most"
    assert run(study, {"values": "profile.severity", "band": [5, 6]}) == 2
    assert run(study, {"count_any": ["profile.organisations.vnn"]}) == 2
    managers = {"count": "support.professionals", "where": {"casemanager": True}}
    assert run(study, managers) == 3
    assert (
        run(study, {**managers, "where": {"discipline": "psychiatrist", "involvement": "core"}})
        == 1
    )
    assert (
        run(study, {"quantifier": ["profile.organisations.vnn", "profile.organisations.cosis"]})
        == "all"
    )
    assert run(study, {"records_per_case": "profile.organisations", "stat": "max"}) == 3
    assert run(study, {"distinct": "profile.organisations"}) == 3


@pytest.mark.parametrize(
    "query",
    [
        {"count": "profile.organisation.cosis"},
        {"count_exact": "profile.organisations", "codes": ["ggzz"]},
        {"records_per_case": "profile.severity", "stat": "mean"},
        {"records_per_case": "support.professionals", "where": {"role": 1}, "stat": "mean"},
        {"nonsense": 1},
    ],
)
def test_a_bad_query_is_a_usage_error(study: ol_analysis.Study, query: dict) -> None:
    with pytest.raises(ol_analysis.UsageError):
        queries.run(study, query)


def test_quotes_from_the_evidence(study: ol_analysis.Study) -> None:
    by_code = queries.quotes(study, "profile.organisations.cosis")
    assert [(q.case_id, q.text, q.speaker) for q in by_code] == [("q1", "Cosis was er ook.", None)]
    record = queries.quotes(study, "support.professionals", where={"discipline": "counsellor"})
    assert [(q.case_id, q.text) for q in record] == [("q1", "We praten over alles.")]
    assert queries.quotes(study, "support.professionals.discipline.counsellor", "client") == record
    assert queries.quotes(study, "support.professionals", "client", {"discipline": "nurse"}) == ()


def test_ranked_by_records_with_cases_labels_of_and_with_content() -> None:
    from types import SimpleNamespace as NS

    tallies = [NS(id="a", records=1), NS(id="b", records=0), NS(id="c", records=3)]
    assert [t.id for t in queries.ranked_by_records(tallies)] == ["c", "a"]
    rows = [NS(id="x", total=Count.of(["q1"], 2)), NS(id="y", total=Count.of([], 2))]
    assert [r.id for r in queries.with_cases(rows)] == ["x"]
    codes = [NS(id="a", label="A"), NS(id="b", label="B"), NS(id="c", label="C")]
    assert queries.labels_of(codes, ["c", "a"]) == ("A", "C")
    assert queries.labels_of(codes, []) == ()
    parts = [NS(id="p", items=(1,), records={}), NS(id="q", items=(), records={})]
    assert [p.id for p in queries.with_content(parts)] == ["p"]


def test_case_numbers_follow_case_id_order(study: ol_analysis.Study) -> None:
    assert queries.case_numbers(study, ["q1", "q3"]) == (1, 3)
    assert queries.case_numbers(study, ["q4", "q2"]) == (4, 2)
    assert queries.case_numbers(study, []) == ()
    with pytest.raises(ol_analysis.UsageError):
        queries.case_numbers(study, ["q9"])


def test_a_combination_of_functions_in_the_filtered_records(study: ol_analysis.Study) -> None:
    # q1: nurse + counsellor core, psychiatrist ad hoc; q2: all three core; q3: counsellor +
    # nurse core; q4: none.
    team = [["psychiatrist"], ["nurse", "counsellor"]]
    core = queries.cases_with_each(
        study, "support.professionals.discipline", team, {"involvement": "core"}
    )
    assert core.cases == ("q2",)
    anyone = queries.cases_with_each(study, "support.professionals.discipline", team)
    assert anyone.cases == ("q1", "q2")
    pair = queries.cases_with_each(
        study, "support.professionals.discipline", [["nurse"], ["counsellor"]]
    )
    assert pair.cases == ("q1", "q2", "q3")
    assert (
        queries.run(
            study,
            {
                "quantifier": "support.professionals.discipline",
                "of": team,
                "where": {"involvement": "core"},
            },
        )
        == "some"
    )


def test_a_combination_names_an_unknown_code(study: ol_analysis.Study) -> None:
    with pytest.raises(ol_analysis.UsageError, match="did you mean 'nurse'"):
        queries.cases_with_each(study, "support.professionals.discipline", [["nurze"]])


def test_selecting_study_level_records() -> None:
    from types import SimpleNamespace as Record

    rows = [Record(kind="a", text="x"), Record(kind="b", text="y"), Record(kind="a", text=None)]
    selected = queries.select_records(rows, {"kind": "a"})
    assert selected.n == 2
    assert selected.values("text") == ("x",)
    assert queries.select_records(rows, {"kind": "c"}).n == 0
