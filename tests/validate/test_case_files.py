"""Case files against the mini framework: every fixture in valid/ passes; every fixture in
invalid/ yields exactly the diagnostics its ``# expect: LINE:COL rule [hint words]`` lines name."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ol_analysis.core.casemodel import CaseModels
from ol_analysis.core.framework import load_framework
from ol_analysis.core.study import check_cases

HERE = Path(__file__).parent
MINI = HERE.parent / "fixtures" / "mini" / "framework.yaml"
EXPECT = re.compile(r"^# expect: (\d+):(\d+) ([a-z-]+)(?: (.*))?$")


@pytest.fixture(scope="module")
def models() -> CaseModels:
    return CaseModels(load_framework(MINI))


def expectations(path: Path) -> list[tuple[int, int, str, str | None]]:
    found = []
    for line in path.read_text(encoding="utf-8").splitlines():
        match = EXPECT.match(line)
        if match:
            found.append((int(match[1]), int(match[2]), match[3], match[4]))
    return found


@pytest.mark.parametrize("path", sorted((HERE / "valid").glob("*.yaml")), ids=lambda p: p.stem)
def test_valid_fixture_has_no_diagnostics(models: CaseModels, path: Path) -> None:
    cases, diagnostics = check_cases(models, [path])
    assert diagnostics == []
    assert list(cases) == [path.stem]


@pytest.mark.parametrize("path", sorted((HERE / "invalid").glob("*.yaml")), ids=lambda p: p.stem)
def test_invalid_fixture_reports_expected_diagnostics(models: CaseModels, path: Path) -> None:
    expected = expectations(path)
    assert expected, f"{path.name} names no expected diagnostic"
    cases, diagnostics = check_cases(models, [path])
    assert cases == {}
    found = [(d.line, d.column, d.rule) for d in diagnostics]
    assert sorted(found) == sorted((line, col, rule) for line, col, rule, _hint in expected)
    for line, col, rule, hint in expected:
        if hint:
            diagnostic = next(
                d for d in diagnostics if (d.line, d.column, d.rule) == (line, col, rule)
            )
            assert diagnostic.hint is not None and hint in diagnostic.hint
    assert all(d.path == str(path) for d in diagnostics)


def test_underscore_ids_stay_text(models: CaseModels) -> None:
    cases, _ = check_cases(models, [HERE / "valid" / "numeric_ids.yaml"])
    assert cases["numeric_ids"].codes("profile.age_group") == ["18_25"]


def test_plain_and_expanded_forms_give_the_same_codes(models: CaseModels) -> None:
    cases, _ = check_cases(models, [HERE / "valid" / "expanded_forms.yaml"])
    case = cases["expanded_forms"]
    assert case.codes("course.outcomes") == ["stability", "more_self_direction"]
    assert case.codes("profile.team") == ["south"]
    assert case.scalar("profile.severity") == 6
    assert case.scalar("course.team_wide") is False
    outcome = case.items("course.outcomes")[1]
    assert outcome.evidence[0].quote == "Ik heb de regie terug: #1"
    assert outcome.evidence[0].section == "3.1"
    assert case.items("profile.team")[0].inferred is True


def test_all_files_are_checked_in_one_run(models: CaseModels) -> None:
    files = sorted((HERE / "invalid").glob("*.yaml")) + sorted((HERE / "valid").glob("*.yaml"))
    cases, diagnostics = check_cases(models, files)
    assert set(cases) == {"numeric_ids", "expanded_forms"}
    assert {d.path for d in diagnostics} == {str(p) for p in (HERE / "invalid").glob("*.yaml")}


def test_duplicate_case_ids_across_files(models: CaseModels, tmp_path: Path) -> None:
    text = (HERE / "valid" / "numeric_ids.yaml").read_text(encoding="utf-8")
    (tmp_path / "numeric_ids.yaml").write_text(text, encoding="utf-8")
    sub = tmp_path / "copy"
    sub.mkdir()
    (sub / "numeric_ids.yaml").write_text(text, encoding="utf-8")
    cases, diagnostics = check_cases(
        models, [tmp_path / "numeric_ids.yaml", sub / "numeric_ids.yaml"]
    )
    assert [d.rule for d in diagnostics] == ["duplicate-case"]
    assert diagnostics[0].path == str(sub / "numeric_ids.yaml")
    assert list(cases) == ["numeric_ids"]
