"""The index of counted paths answers as the queries do: the same cases in the same order, the
same inferred ones, the same errors, on the synthetic study and on the shipped one with drafts
and work statuses selected (the cases a study counts change, and the index with them)."""

from __future__ import annotations

import itertools
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

import ol_analysis
from ol_analysis.analysis import queries
from ol_analysis.analysis.aggregate import countable_paths
from ol_analysis.errors import UsageError

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
DRAFTS = {"c03": "draft", "c07": "draft", "c05": "feedback"}


@pytest.fixture(scope="module")
def shipped_with_drafts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped study, with two cases marked draft and one in feedback."""
    target = tmp_path_factory.mktemp("study")
    shutil.copy(REPO / "framework.yaml", target / "framework.yaml")
    shutil.copytree(REPO / "cases", target / "cases")
    for case_id, status in DRAFTS.items():
        path = target / "cases" / f"{case_id}.yaml"
        text = path.read_text(encoding="utf-8")
        assert text.count("\n  status: final\n") == 1
        path.write_text(
            text.replace("\n  status: final\n", f"\n  status: {status}\n"), encoding="utf-8"
        )
    return target


def studies(folder: Path) -> Iterator[tuple[str, ol_analysis.Study]]:
    yield "counted", ol_analysis.load_study(folder)
    yield "with drafts", ol_analysis.load_study(folder, include_drafts=True)
    yield "feedback only", ol_analysis.load_study(folder, statuses=["feedback"])
    yield "final only", ol_analysis.load_study(folder, statuses=["final"])


@pytest.fixture(scope="module")
def loaded(shipped_with_drafts: Path) -> list[tuple[str, ol_analysis.Study]]:
    return [("synthetic", ol_analysis.load_study(HERE / "study")), *studies(shipped_with_drafts)]


def test_the_fixture_selects_different_cases(loaded: list[tuple[str, ol_analysis.Study]]) -> None:
    sizes = {name: len(study) for name, study in loaded}
    assert sizes == {
        "synthetic": 4,
        "counted": 9,
        "with drafts": 11,
        "feedback only": 1,
        "final only": 8,
    }


def test_every_counted_path_as_the_query(loaded: list[tuple[str, ol_analysis.Study]]) -> None:
    inferred_seen = 0
    for name, study in loaded:
        index = queries.CaseIndex.of(study)
        for path in countable_paths(study.framework):
            expected = queries.cases_with(study, path)
            assert index.cases_with(path) == expected, (name, path)
            inferred_seen += bool(expected.inferred)
    assert inferred_seen > 20  # the comparison covers the inferred cases, not only empty tuples


def test_the_row_codes_of_a_status_group_count_only_counting_records(
    loaded: list[tuple[str, ol_analysis.Study]],
) -> None:
    study = dict(loaded)["with drafts"]
    group = next(g for _p, g in study.framework.groups() if g.status is not None)
    assert group.row_field is not None
    index = queries.CaseIndex.of(study)
    row_paths = [code.path for code in group.row_field.codes]
    every_record = {
        case.id for case in study for r in case.items(group.path) if r.status != "supports"
    }
    assert every_record  # some records do not count, so the status filter is exercised
    for path in row_paths:
        assert index.cases_with(path) == queries.cases_with(study, path)


def test_combinations_as_the_queries(loaded: list[tuple[str, ol_analysis.Study]]) -> None:
    for name, study in loaded:
        index = queries.CaseIndex.of(study)
        held = [path for path in countable_paths(study.framework) if index.paths[path]]
        some = [*held[:: max(1, len(held) // 14)], "profile.organisations.nobody"]
        for pair in [*itertools.combinations(some, 2), *itertools.combinations(some[:8], 3)]:
            assert index.all_of(pair) == queries.all_of(study, pair), (name, pair)
            assert index.any_of(pair) == queries.any_of(study, pair), (name, pair)
        assert index.all_of([]) == queries.all_of(study, [])
        assert index.any_of([]) == queries.any_of(study, [])


def test_a_path_outside_the_index_is_answered_by_the_query(
    loaded: list[tuple[str, ol_analysis.Study]],
) -> None:
    study = dict(loaded)["synthetic"]
    index = queries.CaseIndex.of(study)
    not_a_code = "profile.organisations.nobody"
    assert not_a_code not in index.paths
    assert index.cases_with(not_a_code) == queries.cases_with(study, not_a_code)
    mixed = ["profile.organisations.cosis", not_a_code]
    assert index.any_of(mixed) == queries.any_of(study, mixed)
    assert index.all_of(mixed) == queries.all_of(study, mixed)
    with pytest.raises(UsageError, match="not a counted path") as error:
        index.cases_with("profile.organisatons.cosis")
    with pytest.raises(UsageError) as expected:
        queries.cases_with(study, "profile.organisatons.cosis")
    assert str(error.value) == str(expected.value)


def test_case_numbers_with_a_kept_numbering(loaded: list[tuple[str, ol_analysis.Study]]) -> None:
    study = dict(loaded)["counted"]
    numbering = queries.case_numbering(study)
    ids = [case.id for case in study][::-1]
    assert queries.case_numbers(study, ids, numbering) == queries.case_numbers(study, ids)
    assert queries.case_numbers(study, iter(ids)) == queries.case_numbers(study, ids)
    with pytest.raises(UsageError, match="no case 'c03'"):
        queries.case_numbers(study, ["c03"], numbering)  # a draft has no number
