"""The review workflow: `status` per subgroup and `validate --strict` on the analysis blocks."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from ol_analysis.core.review_checks import check_review, commentable_paths
from ol_analysis.core.study import load_study
from ol_analysis.diagnostics import Severity
from ol_analysis.feedback.review import review_status, status_json

HERE = Path(__file__).resolve().parent
CASES = HERE / "fixtures" / "cases"


@pytest.fixture
def study_args(mini_study: Path) -> list[str]:
    return ["--framework", str(mini_study / "framework.yaml"), "--cases", str(CASES)]


def test_status_groups_cases_by_subgroup(mini_study: Path) -> None:
    study = load_study(framework=mini_study / "framework.yaml", cases=CASES, include_drafts=True)
    statuses = review_status(study)
    assert [s.subgroup for s in statuses] == ["A", "B", None]
    assert [[c.id for c in s.cases] for s in statuses] == [["r01", "r02"], ["r03"], ["r04"]]
    r01 = statuses[0].cases[0]
    assert r01.status == "final"
    assert [(c.path, c.author, c.round, c.line) for c in r01.open_comments] == [
        ("course.outcomes", "analyst-b1", 2, 13)
    ]
    assert statuses[0].counts() == {"draft": 0, "feedback": 1, "final": 1, "open_comments": 2}
    assert status_json(statuses)["counts"] == {
        "draft": 1,
        "feedback": 1,
        "final": 1,
        "open_comments": 2,
    }


def test_check_review_reports_open_comment_and_unknown_path(mini_study: Path) -> None:
    study = load_study(framework=mini_study / "framework.yaml", cases=CASES)
    problems = check_review(study.framework, study)
    found = [(Path(d.path).name, d.line, d.column, d.severity, d.rule) for d in problems]
    assert found == [
        ("r01.yaml", 13, 7, Severity.ERROR, "open-comment"),
        ("r01.yaml", 17, 13, Severity.WARNING, "unknown-comment-path"),
    ]
    assert problems[1].hint == "did you mean 'course.outcomes.stability'?"


def test_commentable_paths_cover_parts_groups_fields_and_codes(mini_study: Path) -> None:
    study = load_study(framework=mini_study / "framework.yaml", cases=CASES)
    paths = commentable_paths(study.framework)
    for path in (
        "summary",
        "course",
        "course.outcomes",
        "course.outcomes.relapse",
        "reference.if_then.statement",
        "reference.if_then.statement.more_crises",
        "reference.moments.organisation.north",  # a field reusing profile.team's codes
    ):
        assert path in paths


def test_validate_strict_fails_only_with_strict(run_cli, study_args: list[str]) -> None:
    plain = run_cli(["validate", *study_args])
    assert plain.exit_code == 0
    assert plain.stderr == ""
    strict = run_cli(["validate", "--strict", *study_args])
    assert strict.exit_code == 1
    assert "r01.yaml:13:7: error[open-comment]: case 'r01' is final" in strict.stderr
    assert "r01.yaml:17:13: warning[unknown-comment-path]" in strict.stderr


def test_validate_strict_json(run_cli, study_args: list[str]) -> None:
    result = run_cli(["validate", "--strict", "--format", "json", *study_args])
    assert result.exit_code == 1
    rules = [(d["rule"], d["severity"], d["line"]) for d in json.loads(result.stdout)]
    assert rules == [("open-comment", "error", 13), ("unknown-comment-path", "warning", 17)]


def test_unknown_path_alone_is_a_warning(run_cli, mini_study: Path, tmp_path: Path) -> None:
    cases = tmp_path / "cases"
    cases.mkdir()
    text = (CASES / "r01.yaml").read_text(encoding="utf-8")
    (cases / "r01.yaml").write_text(text.replace("status: final", "status: feedback"))
    result = run_cli(
        ["validate", "--strict", "--framework", str(mini_study / "framework.yaml"),
         "--cases", str(cases)]
    )  # fmt: skip
    assert result.exit_code == 0
    assert "warning[unknown-comment-path]" in result.stderr
    assert "open-comment" not in result.stderr


def test_status_command_text_and_json(run_cli, study_args: list[str]) -> None:
    text = run_cli(["status", *study_args])
    assert text.exit_code == 0
    assert "r01" in text.stdout and "Evidence for" in text.stdout
    data = json.loads(run_cli(["status", "--json", *study_args]).stdout)
    assert [s["subgroup"] for s in data["subgroups"]] == ["A", "B", None]
    assert data["subgroups"][0]["cases"][1]["open_comments"] == [
        {
            "path": "course.outcomes.relapse",
            "author": "analyst-b2",
            "round": 1,
            "text": "Relapse or a dip?",
            "line": 8,
        }
    ]


def test_status_lists_valid_cases_and_fails_on_invalid(
    run_cli, mini_study: Path, tmp_path: Path
) -> None:
    cases = tmp_path / "cases"
    shutil.copytree(CASES, cases)
    (cases / "r03.yaml").write_text("id: r03\ntitle: broken\nprofile: {team: west}\n")
    result = run_cli(
        ["status", "--json", "--framework", str(mini_study / "framework.yaml"),
         "--cases", str(cases)]
    )  # fmt: skip
    assert result.exit_code == 1
    listed = [
        (c["id"], c["errors"]) for s in json.loads(result.stdout)["subgroups"] for c in s["cases"]
    ]
    assert listed == [("r01", 0), ("r02", 0), ("r03", 2), ("r04", 0)]
    assert "unknown-code" in result.stderr
