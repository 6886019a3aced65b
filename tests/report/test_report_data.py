"""Each aggregation of the report data against counts made by hand on the tiny fixture study.

The four cases (tests/report/fixtures/tiny/cases) in brief:

| case | team  | sev | pattern | outcomes            | members (* lead)      | events           |
|------|-------|-----|---------|---------------------|-----------------------|------------------|
| t1   | north | 5   | rising  | stability, self_dir | nurse*, counsellor    | life-, sup+      |
| t2   | north | 8   | stable  | —                   | psych, nurse*, couns* | sup+, sup+, ext- |
| t3   | south | 7   | rising  | stability           | nurse*                | life+            |
| t4   | south | 9   | rising  | self_dir, stability | couns*, psych         | —                |

Partners: t1 gp (aligned), home help; t2 gp; t4 home help (aligned), gp (aligned).
Family: t1 parent (contact); t3 partner (contact, info), child (none).
If…then: t1 more_crises supports, longer_recovery contested; t2 both supports;
t3 more_crises insufficient; t4 none.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

import ol_analysis
from ol_analysis.analysis.aggregate import stats
from ol_analysis.analysis.counts import Count
from ol_analysis.report.data import ReportData, ReportLookupError


def ids(count: Count) -> tuple[str, ...]:
    return count.cases


def test_counts_are_the_stats_object(tiny: ReportData, tiny_study: object) -> None:
    expected = stats(tiny_study)  # type: ignore[arg-type]
    assert json.dumps(dict(tiny.stats), sort_keys=True) == json.dumps(
        expected.as_json(), sort_keys=True
    )
    for path, entry in tiny.stats["counts"].items():
        count = tiny.count(path)
        assert (count.n, list(count.cases), count.total) == (entry["n"], entry["cases"], 4)


def test_theme_counts_with_their_cases(tiny: ReportData) -> None:
    assert ids(tiny.count("course.pattern.rising")) == ("t1", "t3", "t4")
    assert tiny.count("profile.team.east").n == 0
    assert ids(tiny.count("care.whole_team")) == ("t2",)
    outcomes = tiny.group("course.outcomes")
    assert [(c.id, c.count.n) for c in outcomes.codes] == [("stability", 3), ("self_direction", 2)]
    assert ids(outcomes.coded) == ("t1", "t3", "t4")
    assert outcomes.per_case["t2"] == ()
    assert outcomes.per_case["t4"] == ("stability", "self_direction")  # framework order
    assert [c.id for c in tiny.group("profile.domains").ranked] == ["mental", "housing", "finances"]


def test_distribution_of_an_attribute_and_crosstab_per_team(tiny: ReportData) -> None:
    team = tiny.group("profile.team")
    assert [(c.label, c.count.n) for c in team.present] == [("North", 2), ("South", 2)]
    table = tiny.crosstab("course.outcomes", "profile.team")
    assert [c.id for c in table.columns] == ["north", "south", "east"]
    assert table.used_columns == (0, 1)
    stability, self_direction = table.rows
    assert [ids(cell) for cell in stability.cells] == [("t1",), ("t3", "t4"), ()]
    assert [ids(cell) for cell in self_direction.cells] == [("t1",), ("t4",), ()]
    members = tiny.crosstab("care.members.discipline", "profile.team")
    psychiatrist = members.rows[0]
    assert [ids(cell) for cell in psychiatrist.cells] == [("t2",), ("t4",), ()]


def test_case_code_matrix_and_if_then_matrix(tiny: ReportData) -> None:
    outcomes = tiny.matrix("course.outcomes")
    assert outcomes.cases == ("t1", "t2", "t3", "t4")
    assert outcomes.rows[0].cells == (True, False, True, True)
    assert outcomes.rows[0].total.n == 3
    if_then = tiny.status_matrix("reference.if_then")
    more, longer = if_then.rows
    assert more.cells == ("supports", "supports", "insufficient", None)
    assert ids(more.count) == ("t1", "t2")
    assert ids(more.by_status["insufficient"]) == ("t3",)
    assert longer.cells == ("contested", "supports", None, None)
    assert ids(longer.count) == ("t2",)
    assert ids(longer.by_status["contested"]) == ("t1",)
    assert tiny.count(more.count.path) == more.count


def test_framework_matrix_cells_summarise_codings_in_the_language(tiny: ReportData) -> None:
    matrix = tiny.framework_matrix
    assert [p for p, _label in matrix.parts] == [
        "profile",
        "course",
        "care",
        "timeline",
        "circle",
        "reference",
    ]
    t2 = matrix.rows[1]
    assert t2.case_id == "t2"
    assert t2.cells[1] == "pattern: stable"
    assert t2.cells[2] == "team members (3): psychiatrist, nurse, counsellor; whole team"
    assert matrix.rows[0].cells[5] == "if-then (1): more crises"  # counted statuses only
    assert matrix.rows[3].cells[5] == ""


def test_ordered_by_an_attribute(tiny_study: object) -> None:
    from ol_analysis.report.data import gather

    data = gather(tiny_study, lang="nl", order_by="profile.severity")
    assert data.order == ("t1", "t3", "t2", "t4")
    assert [row.case_id for row in data.framework_matrix.rows] == list(data.order)
    assert data.matrix("course.outcomes").cases == data.order
    assert data.framework_matrix.rows[0].cells[1].startswith("patroon: stijgend")


def test_record_tallies_by_category_and_valence(tiny: ReportData) -> None:
    events = tiny.record_group("timeline.events")
    assert (events.records, events.minimum, events.maximum, events.mean) == (6, 0, 3, 1.5)
    assert dict(events.per_case) == {"t1": 2, "t2": 3, "t3": 1, "t4": 0}
    assert ids(events.count) == ("t1", "t2", "t3")
    category = {t.id: (t.records, ids(t.count)) for t in events.field("category")}
    assert category == {
        "life": (2, ("t1", "t3")),
        "support": (3, ("t1", "t2")),
        "external": (1, ("t2",)),
    }
    valence = {t.id: (t.records, ids(t.count)) for t in events.field("valence")}
    assert valence == {"positive": (4, ("t1", "t2", "t3")), "negative": (2, ("t1", "t2"))}
    pair = events.pair("category", "valence")
    assert pair.records == ((1, 1), (3, 0), (0, 1))
    assert ids(pair.cases[1][0]) == ("t1", "t2")


def test_professionals_casemanagers_and_where_true(tiny: ReportData) -> None:
    members = tiny.record_group("care.members")
    assert (members.records, members.minimum, members.maximum, members.mean) == (8, 1, 3, 2.0)
    lead = members.flag("lead")
    assert lead.records == 5
    assert [(k, ids(c)) for k, c in lead.distribution] == [(1, ("t1", "t3", "t4")), (2, ("t2",))]
    leads = {t.id: (t.records, ids(t.count)) for t in members.where_true("lead", "discipline")}
    assert leads == {
        "psychiatrist": (0, ()),
        "nurse": (3, ("t1", "t2", "t3")),
        "counsellor": (2, ("t2", "t4")),
    }


def test_support_network_of_each_case(tiny: ReportData) -> None:
    t1 = tiny.networks["t1"]
    assert (t1.professionals, t1.relatives, t1.partners, t1.coordination) == (2, 1, 2, 2)
    assert t1.casemanagers == 1
    assert t1.organisations == ("GGZ", "Cosis")
    assert t1.degree["client"] == 5
    assert t1.degree["team"] == 4  # two members and two coordination edges (gp, parent)
    kinds = {data["kind"] for _a, _b, data in t1.graph.edges(data=True)}
    assert kinds == {"care", "team", "relative", "partner", "coordination"}
    t3 = tiny.networks["t3"]
    assert (t3.relatives, t3.coordination) == (2, 1)  # the child has no ties
    assert tiny.networks["t2"].disciplines == 3


def test_cross_case_partner_graph_with_degrees(tiny: ReportData) -> None:
    partners = tiny.partners
    gp, home_help, police = partners.partners
    assert (ids(gp.count), ids(gp.coordinated)) == (("t1", "t2", "t4"), ("t1", "t4"))
    assert (ids(home_help.count), ids(home_help.coordinated)) == (("t1", "t4"), ("t4",))
    assert police.count.n == 0
    assert (partners.distinct, partners.coordinated_distinct) == (2, 2)
    assert dict(partners.per_case) == {"t1": 2, "t2": 1, "t3": 0, "t4": 2}
    assert (partners.mean, partners.minimum, partners.maximum) == (1.25, 0, 2)
    assert partners.graph.degree("partner:gp") == 3
    assert [p.id for p in partners.ranked] == ["gp", "home_help"]


def test_code_cooccurrence_is_a_weighted_graph(tiny: ReportData) -> None:
    graph = tiny.cooccurrence
    assert "profile.team.north" not in graph  # the profile is left out
    rising, stability = "course.pattern.rising", "course.outcomes.stability"
    assert graph[rising][stability]["weight"] == 3
    assert graph[rising]["course.outcomes.self_direction"]["cases"] == ("t1", "t4")
    assert graph.degree("course.pattern.stable") == 0
    first = tiny.cooccurring(1)[0]
    assert first[:2] == ("rising", "stability") and ids(first[2]) == ("t1", "t3", "t4")


def test_combinations_ranges_and_values(tiny: ReportData) -> None:
    mental, housing, _score = tiny.pairs("profile.domains", 1)[0]
    assert (mental.id, housing.id, ids(_score)) == ("mental", "housing", ("t1", "t3"))
    assert ids(tiny.count_all("profile.domains.mental", "profile.domains.housing")) == ("t1", "t3")
    assert ids(tiny.count_any("profile.domains.finances", "course.pattern.stable")) == ("t2", "t3")
    assert ids(tiny.in_range("profile.severity", 6, 8)) == ("t2", "t3")
    assert tiny.value_list("profile.severity") == [5, 8, 7, 9]


def test_case_views_and_timeline(tiny: ReportData) -> None:
    t1 = tiny.case("t1")
    assert [m.when for m in t1.timeline] == ["2020-01", "2020-03"]
    assert dict(t1.timeline[0].labels) == {"category": "life event", "valence": "negative"}
    care = next(p for p in t1.parts if p.id == "care")
    assert [item.text for item in care.items] == ["✗"]
    assert care.records["team members"][0].fields[:2] == (
        ("discipline", "nurse"),
        ("organisation", "GGZ"),
    )
    assert tiny.case("t4").summary == ""


def test_a_part_and_a_group_of_a_case_view_by_id(tiny: ReportData) -> None:
    profile = tiny.case_part("t3", "profile")
    assert profile is not None and profile.id == "profile"
    assert profile == next(p for p in tiny.case("t3").parts if p.id == "profile")
    assert tiny.case_part("t3", "no_such_part") is None
    pattern = tiny.case_item("t3", "course.pattern")
    assert pattern is not None and (pattern.path, pattern.codes) == ("course.pattern", ("rising",))
    empty = tiny.case_item("t2", "course.outcomes")  # coded as an empty list
    assert empty is not None and empty.text == ""
    assert tiny.case_item("t2", "course.no_such_group") is None
    with pytest.raises(ReportLookupError, match="a case of the study"):
        tiny.case_item("t9", "course.pattern")


def test_report_data_is_read_only(tiny: ReportData) -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        tiny.n_cases = 5  # type: ignore[misc]
    with pytest.raises(TypeError):
        tiny.counts["x"] = tiny.count("course.pattern.rising")  # type: ignore[index]
    with pytest.raises(Exception):  # noqa: B017  networkx: frozen graph can't be modified
        tiny.cooccurrence.add_node("x")


def test_unknown_paths_name_the_nearest(tiny: ReportData) -> None:
    with pytest.raises(ReportLookupError, match=r"did you mean 'course\.pattern\.rising'"):
        tiny.count("course.pattern.rsing")
    with pytest.raises(ReportLookupError, match="profile attribute"):
        tiny.crosstab("course.outcomes", "profile.severity")
    assert tiny.label("care.members.lead") == "casemanager"
    assert tiny.label("circle") == "Network"


@pytest.mark.parametrize("order_by", [None, "profile.severity", "course.outcomes.stability"])
def test_every_case_code_matrix_equals_matrix_json(
    tiny_study: object, order_by: str | None
) -> None:
    """The matrices are derived from the gathered counts; they must say what `matrix --json`
    says, for every group and any ordering."""
    from ol_analysis.analysis.aggregate import matrix
    from ol_analysis.report.data import gather

    data = gather(tiny_study, lang="en", order_by=order_by)
    assert data.matrices
    for path, derived in data.matrices.items():
        expected = matrix(tiny_study, path, order_by)  # type: ignore[arg-type]
        assert list(derived.cases) == expected["cases"], path
        assert [row.id for row in derived.rows] == expected["rows"], path
        for row in derived.rows:
            assert dict(zip(derived.cases, row.cells, strict=True)) == expected["cells"][row.id]
            assert row.total.n == expected["totals"][row.id], (path, row.id)


def test_shipped_matrices_equal_matrix_json() -> None:
    from ol_analysis.analysis.aggregate import matrix
    from ol_analysis.report.data import gather

    study = ol_analysis.load_study(Path(__file__).resolve().parents[2])
    data = gather(study, order_by="profile.team")
    for path, derived in data.matrices.items():
        expected = matrix(study, path, "profile.team")
        cells = {row.id: dict(zip(derived.cases, row.cells, strict=True)) for row in derived.rows}
        assert cells == expected["cells"], path
        assert {row.id: row.total.n for row in derived.rows} == expected["totals"], path
