"""`agree`: agreement figures on a hand-computed fixture (two coders, four shared cases).

The expected figures are worked out by hand in the comments; a single group has one unit per
case, a multi or record group one per (case × code).
"""

from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
from fractions import Fraction
from pathlib import Path

import pytest

from ol_analysis.core.casemodel import CaseModels
from ol_analysis.core.framework import load_framework
from ol_analysis.errors import StudyError, UsageError
from ol_analysis.feedback.agree import NOT_CODED, compare, load_coding, pair_files, report_json

HERE = Path(__file__).resolve().parent
CODER_A = HERE / "fixtures" / "coder_a"
CODER_B = HERE / "fixtures" / "coder_b"


@pytest.fixture
def framework_file(mini_study: Path) -> Path:
    return mini_study / "framework.yaml"


@pytest.fixture
def report(framework_file: Path):  # type: ignore[no-untyped-def]
    framework = load_framework(framework_file)
    models = CaseModels(framework)
    return compare(framework, load_coding(str(CODER_A), models), load_coding(str(CODER_B), models))


def _group(report, path: str):  # type: ignore[no-untyped-def]
    return next(g for g in report.groups if g.group == path)


def test_cases_on_one_side_are_reported(report) -> None:  # type: ignore[no-untyped-def]
    assert report.cases == ["k1", "k2", "k3", "k4"]
    assert report.only_left == ["k5"]
    assert report.only_right == ["k6"]


def test_multi_group_by_hand(report) -> None:  # type: ignore[no-untyped-def]
    # outcomes (stability, more_self_direction, relapse) per case, A vs B:
    #   k1 101/100, k2 010/010, k3 000/001, k4 100/110 → 12 units, 3 disagreements.
    # kappa: p_o = 9/12; A has 4 ones, B 5 → (12·9 − (4·5 + 8·7)) / (144 − 76) = 32/68 = 8/17.
    # alpha: n = 24 values, n_1 = 9, n_0 = 15 → 1 − 23·(2·3) / (2·15·9) = 22/45.
    g = _group(report, "course.outcomes")
    assert (g.unit, g.units) == ("case × code (binary)", 12)
    assert g.percent_agreement == 0.75
    assert g.cohen_kappa == pytest.approx(float(Fraction(8, 17)))
    assert g.krippendorff_alpha == pytest.approx(float(Fraction(22, 45)))
    assert [(d.case, d.code, d.left, d.right) for d in g.disagreements] == [
        ("k1", "course.outcomes.relapse", True, False),
        ("k3", "course.outcomes.relapse", False, True),
        ("k4", "course.outcomes.more_self_direction", False, True),
    ]


def test_single_group_by_hand(report) -> None:  # type: ignore[no-untyped-def]
    # team is one nominal variable: A n s n s, B n s s s → 4 units (cases), k3 differs.
    # kappa: p_o = 3/4; A n2 s2, B n1 s3 → p_e = (2·1 + 2·3)/16 = 1/2 → (3/4 − 1/2)/(1/2) = 1/2.
    # alpha: n = 8 values, n_n = 3, n_s = 5 → 1 − 7·2/(64 − 9 − 25) = 8/15.
    g = _group(report, "profile.team")
    assert (g.unit, g.units, g.percent_agreement) == ("case", 4, 0.75)
    assert g.cohen_kappa == pytest.approx(0.5)
    assert g.krippendorff_alpha == pytest.approx(8 / 15)
    assert [(d.case, d.code, d.left, d.right) for d in g.disagreements] == [
        ("k3", "profile.team", "north", "south")
    ]


def test_status_record_group_by_hand(report) -> None:  # type: ignore[no-untyped-def]
    # if_then by statement (more_crises, longer_recovery), value = status or not coded (N):
    #   k1 S,N / S,C; k2 C,N / S,N; k3 N,N / N,N; k4 N,S / N,S → 8 units, 2 disagreements.
    # kappa: A S2 C1 N5, B S3 C1 N4 → (8·6 − 27)/(64 − 27) = 21/37.
    # alpha: n = 16, n_S = 5, n_C = 2, n_N = 9 → 1 − 15·4/(256 − 110) = 43/73.
    g = _group(report, "reference.if_then")
    assert (g.unit, g.units) == ("case × code (status)", 8)
    assert g.cohen_kappa == pytest.approx(21 / 37)
    assert g.krippendorff_alpha == pytest.approx(43 / 73)
    assert [(d.case, d.code, d.left, d.right) for d in g.disagreements] == [
        ("k1", "reference.if_then.statement.longer_recovery", NOT_CODED, "contested"),
        ("k2", "reference.if_then.statement.more_crises", "contested", "supports"),
    ]


def test_no_variation_is_undefined_not_perfect(report) -> None:  # type: ignore[no-untyped-def]
    # Nobody coded a moment: agreement is total but shows nothing about reliability.
    g = _group(report, "reference.moments")
    assert g.percent_agreement == 1.0
    assert math.isnan(g.cohen_kappa) and math.isnan(g.krippendorff_alpha)
    assert report.below(0.99) == [
        _group(report, name) for name in ("profile.team", "course.outcomes", "reference.if_then")
    ]


def test_code_ids_that_look_like_numbers_stay_codes(report) -> None:  # type: ignore[no-untyped-def]
    g = _group(report, "profile.age_group")
    assert g.left_values == ["18_25", NOT_CODED, NOT_CODED, NOT_CODED]  # only k1 codes one
    assert g.krippendorff_alpha == 1.0


def test_json_shape_and_nan_as_null(report) -> None:  # type: ignore[no-untyped-def]
    data = report_json(report)
    moments = next(g for g in data if g["group"] == "reference.moments")
    assert moments["cohen_kappa"] is None and moments["krippendorff_alpha"] is None
    if_then = next(g for g in data if g["group"] == "reference.if_then")
    assert set(if_then) >= {
        "group",
        "unit",
        "units",
        "percent_agreement",
        "cohen_kappa",
        "krippendorff_alpha",
        "disagreements",
    }
    assert if_then["disagreements"][0] == {
        "case": "k1",
        "code": "reference.if_then.statement.longer_recovery",
        "left": None,
        "right": "contested",
        "values": [None, "contested"],
    }
    team = next(g for g in data if g["group"] == "profile.team")
    assert (team["unit"], team["units"]) == ("case", 4)
    assert team["disagreements"] == [
        {
            "case": "k3",
            "code": "profile.team",
            "left": "north",
            "right": "south",
            "values": ["north", "south"],
        }
    ]
    assert [g["unit"] for g in data if g["group"] == "course.outcomes"] == ["case × code (binary)"]
    json.dumps(data, allow_nan=False)


def test_two_files_are_paired_whatever_their_ids(framework_file: Path) -> None:
    models = CaseModels(load_framework(framework_file))
    left = load_coding(str(CODER_A / "k3.yaml"), models)
    right = pair_files(left, load_coding(str(CODER_B / "k3.yaml"), models))
    framework = models.framework
    report = compare(framework, left, right, ["profile.team"])
    assert report.cases == ["k3"]
    assert [g.group for g in report.groups] == ["profile.team"]


def test_invalid_or_missing_sides(framework_file: Path, tmp_path: Path) -> None:
    models = CaseModels(load_framework(framework_file))
    with pytest.raises(UsageError):
        load_coding(str(tmp_path / "nowhere"), models)
    (tmp_path / "x1.yaml").write_text("id: x1\ntitle: t\nprofile: {team: west}\n")
    with pytest.raises(StudyError) as raised:
        load_coding(str(tmp_path), models)
    assert {d.rule for d in raised.value.diagnostics} >= {"unknown-code"}


def _agree(run_cli, framework_file: Path, *extra: str):  # type: ignore[no-untyped-def]
    return run_cli(
        ["agree", str(CODER_A), str(CODER_B), "--framework", str(framework_file), *extra]
    )


def test_cli_text(run_cli, framework_file: Path) -> None:
    result = _agree(run_cli, framework_file)
    assert result.exit_code == 0
    assert "course.outcomes" in result.stdout and "undefined" in result.stdout
    assert "k4" in result.stdout and "course.outcomes.more_self_direction" in result.stdout
    assert "case k5 is only in" in result.stderr and "case k6 is only in" in result.stderr


def test_cli_min_alpha(run_cli, framework_file: Path) -> None:
    failing = _agree(run_cli, framework_file, "--min-alpha", "0.5")
    assert failing.exit_code == 1
    assert "course.outcomes: alpha 0.489 is below 0.5" in failing.stderr
    assert "profile.team" not in failing.stderr  # 0.533; undefined alphas never fail
    assert _agree(run_cli, framework_file, "--min-alpha", "0.48").exit_code == 0


def test_cli_json_per_group(run_cli, framework_file: Path) -> None:
    result = _agree(run_cli, framework_file, "--json", "--group", "course.outcomes")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert [g["group"] for g in data] == ["course.outcomes"]
    assert data[0]["krippendorff_alpha"] == pytest.approx(22 / 45)


def test_cli_usage_errors(run_cli, framework_file: Path, tmp_path: Path) -> None:
    assert _agree(run_cli, framework_file, "--group", "course.nothing").exit_code == 2
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run_cli(["agree", str(CODER_A), str(empty), "--framework", str(framework_file)])
    assert result.exit_code == 1
    assert "no case is coded in both" in result.stderr


def test_git_revisions(run_cli, mini_study: Path, tmp_path: Path) -> None:
    pytest.importorskip("ol_analysis.git")
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    shutil.copy(mini_study / "framework.yaml", tmp_path / "framework.yaml")
    shutil.copytree(CODER_A, tmp_path / "cases")
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org"}
    env |= {"GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "coder a"]):
        subprocess.run(["git", *args], cwd=tmp_path, check=True, env={**os.environ, **env})
    shutil.rmtree(tmp_path / "cases")
    shutil.copytree(CODER_B, tmp_path / "cases")
    result = run_cli(["agree", "HEAD:cases", "cases", "--json", "--group", "course.outcomes"],
                     tmp_path)  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)[0]["krippendorff_alpha"] == pytest.approx(22 / 45)
    one = run_cli(["agree", "HEAD:cases/k3.yaml", "cases/k3.yaml", "--json"], tmp_path)
    assert one.exit_code == 0 and '"left": "north"' in one.stdout
    assert run_cli(["agree", "NOPE:cases", "cases"], tmp_path).exit_code == 2
