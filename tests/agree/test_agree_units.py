"""The unit of agreement: a single group is one nominal variable (one unit per case), as SPSS
and R's ``irr`` compute kappa and alpha; a multi group stays one binary unit per (case × code).

Eleven cases, four team codes (one never used), two coders who differ on two cases:

=====  ==========  ==========
case   left        right
=====  ==========  ==========
t01-5  assen       assen       (t05: right says hoogeveen)
t06-9  emmen       emmen       (t09: right says hoogeveen)
t10-11 hoogeveen   hoogeveen
=====  ==========  ==========

One unit per case (11 units, 9 agree):

- percent agreement 9/11 = 81.8 %;
- Cohen's kappa: left assen 5, emmen 4, hoogeveen 2; right 4, 3, 4.
  p_e = (5·4 + 4·3 + 2·4)/11² = 40/121, p_o = 99/121 → κ = (99 − 40)/(121 − 40) = 59/81 = 0.728;
- Krippendorff's alpha (nominal): 22 values, assen 9, emmen 7, hoogeveen 6; the two
  disagreeing units give 4 off-diagonal coincidences → α = 1 − 21·4/(22² − 9² − 7² − 6²)
  = 1 − 84/318 = 39/53 = 0.736.

Counted per (case × code) as before (44 binary units, 4 of them differ: every disagreement
counts twice), the same data gave 90.9 %, κ 0.758, α 0.760 — an inflated picture.
"""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from ol_analysis.core.casemodel import CaseModels
from ol_analysis.core.framework import load_framework
from ol_analysis.feedback.agree import NOT_CODED, compare, load_coding

HERE = Path(__file__).resolve().parent
TEAMS = HERE / "fixtures" / "teams" / "framework.yaml"
MINI = HERE.parent / "fixtures" / "mini" / "framework.yaml"

LEFT = ["assen"] * 5 + ["emmen"] * 4 + ["hoogeveen"] * 2
RIGHT = ["assen"] * 4 + ["hoogeveen"] + ["emmen"] * 3 + ["hoogeveen"] * 3


def _coding(folder: Path, teams: list[str | None]) -> Path:
    folder.mkdir()
    for number, team in enumerate(teams, start=1):
        case = f"t{number:02d}"
        line = f"profile:\n  team: {team}\n" if team else "profile: {}\n"
        (folder / f"{case}.yaml").write_text(f"id: {case}\ntitle: T\n{line}", encoding="utf-8")
    return folder


@pytest.fixture
def sides(tmp_path: Path) -> tuple[Path, Path]:
    return _coding(tmp_path / "left", LEFT), _coding(tmp_path / "right", RIGHT)


def test_a_single_group_is_one_nominal_unit_per_case(sides: tuple[Path, Path]) -> None:
    framework = load_framework(TEAMS)
    models = CaseModels(framework)
    left, right = (load_coding(str(side), models) for side in sides)
    (team,) = compare(framework, left, right).groups
    assert (team.unit, team.units) == ("case", 11)
    assert team.percent_agreement == pytest.approx(9 / 11)
    assert round(team.percent_agreement * 100, 1) == 81.8
    assert team.cohen_kappa == pytest.approx(float(Fraction(59, 81)))
    assert team.krippendorff_alpha == pytest.approx(float(Fraction(39, 53)))
    assert (round(team.cohen_kappa, 3), round(team.krippendorff_alpha, 3)) == (0.728, 0.736)
    assert [(d.case, d.code, d.left, d.right) for d in team.disagreements] == [
        ("t05", "profile.team", "assen", "hoogeveen"),
        ("t09", "profile.team", "emmen", "hoogeveen"),
    ]


def test_cli_text_and_json_name_the_unit(run_cli: Any, sides: tuple[Path, Path]) -> None:
    args = ["agree", str(sides[0]), str(sides[1]), "--framework", str(TEAMS)]
    data = json.loads(run_cli([*args, "--json"]).stdout)
    assert [(g["group"], g["unit"], g["units"]) for g in data] == [("profile.team", "case", 11)]
    assert round(data[0]["cohen_kappa"], 3) == 0.728
    assert round(data[0]["krippendorff_alpha"], 3) == 0.736
    assert [d["case"] for d in data[0]["disagreements"]] == ["t05", "t09"]
    text = run_cli(args)
    assert text.exit_code == 0
    row = next(line for line in text.stdout.splitlines() if "profile.team" in line)
    assert "case" in row and "81.8%" in row and "0.728" in row and "0.736" in row
    assert "t05" in text.stdout and "hoogeveen" in text.stdout


def test_not_coded_is_a_value_of_its_own(tmp_path: Path) -> None:
    """A case one side leaves uncoded is a disagreement on that case, valued "(not coded)"."""
    framework = load_framework(MINI)
    models = CaseModels(framework)
    left = _mini(tmp_path / "a", ["18_25", "18_25", None, "26_35"])
    right = _mini(tmp_path / "b", ["18_25", None, None, "26_35"])
    report = compare(framework, load_coding(str(left), models), load_coding(str(right), models))
    age = next(g for g in report.groups if g.group == "profile.age_group")
    assert (age.unit, age.units, age.percent_agreement) == ("case", 4, 0.75)
    assert age.left_values == ["18_25", "18_25", NOT_CODED, "26_35"]
    assert [(d.case, d.left, d.right) for d in age.disagreements] == [("m2", "18_25", NOT_CODED)]
    # kappa: A 18_25 2, nc 1, 26_35 1; B 1, 2, 1 → p_e = (2 + 2 + 1)/16 = 5/16 →
    # (12/16 − 5/16)/(11/16) = 7/11
    assert age.cohen_kappa == pytest.approx(7 / 11)
    outcomes = next(g for g in report.groups if g.group == "course.outcomes")
    assert (outcomes.unit, outcomes.units) == ("case × code (binary)", 12)
    assert outcomes.cohen_kappa == 1.0  # every case codes 'stability', and only that


def _mini(folder: Path, ages: list[str | None]) -> Path:
    folder.mkdir()
    for number, age in enumerate(ages, start=1):
        case = f"m{number}"
        age_line = f"  age_group: {age}\n" if age else ""
        (folder / f"{case}.yaml").write_text(
            f"id: {case}\ntitle: T\nprofile:\n  team: north\n{age_line}"
            "course:\n  pattern: stable\n  outcomes: [stability]\n",
            encoding="utf-8",
        )
    return folder
