"""`agree` per part and per case, for three coders, and with a bootstrap interval for alpha.

Every expected figure is worked out by hand in the comments. Nominal alpha over a set of units
is ``1 - (n - 1) * D / (n² - Σ n_c²)``: ``n`` pairable values, ``n_c`` of them equal to ``c``,
``D`` the off-diagonal coincidences (a unit with ``m`` values adds ``n_c·n_k / (m - 1)`` for each
ordered pair of different values).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ol_analysis.agreement import (
    _alpha_of,
    _pairable_units,
    _unit_summary,
    bootstrap_alpha,
    fleiss_kappa,
    krippendorff_alpha,
)
from ol_analysis.core.casemodel import CaseModels
from ol_analysis.core.framework import load_framework
from ol_analysis.feedback.agree import compare, compare_all, load_coding

HERE = Path(__file__).resolve().parent
CODER_A = HERE / "fixtures" / "coder_a"
CODER_B = HERE / "fixtures" / "coder_b"
MINI = HERE.parent / "fixtures" / "mini" / "framework.yaml"


@pytest.fixture(scope="module")
def models() -> CaseModels:
    return CaseModels(load_framework(MINI))


def _two(models: CaseModels, groups: list[str], bootstrap: int = 0):  # type: ignore[no-untyped-def]
    return compare(
        models.framework,
        load_coding(str(CODER_A), models),
        load_coding(str(CODER_B), models),
        groups,
        bootstrap=bootstrap,
    )


def test_per_part_pools_the_groups_of_a_part(models: CaseModels) -> None:
    # profile = team (A n s n s, B n s s s) + age_group (k1 18_25 on both, else not coded):
    # 8 units, 7 agree. Values: north 3, south 5, 18_25 2, not coded 6 → n = 16, Σn_c² = 74;
    # k3 gives D = 2 → α = 1 − 15·2/(256 − 74) = 76/91.
    report = _two(models, ["profile.team", "profile.age_group", "course.outcomes"])
    parts = {s.name: s for s in report.per_part()}
    assert list(parts) == ["profile", "course"]
    assert (parts["profile"].units, parts["profile"].disagreements) == (8, 1)
    assert parts["profile"].percent_agreement == 7 / 8
    assert parts["profile"].krippendorff_alpha == pytest.approx(76 / 91)
    # course is outcomes alone: the group's own figures (22/45, see test_agree.py)
    assert parts["course"].krippendorff_alpha == pytest.approx(22 / 45)


def test_per_case_pools_a_cases_units(models: CaseModels) -> None:
    # k1: team n/n, age 18_25/18_25, stability T/T, self-direction F/F, relapse T/F:
    # 5 units, 4 agree; values n 2, 18_25 2, T 3, F 3 → n = 10, Σn_c² = 26, D = 2
    # → α = 1 − 9·2/(100 − 26) = 28/37.
    # k2: team s/s, age -/-, outcomes 010/010: all agree → α = 1.
    report = _two(models, ["profile.team", "profile.age_group", "course.outcomes"])
    cases = {s.name: s for s in report.per_case()}
    assert list(cases) == ["k1", "k2", "k3", "k4"]
    assert (cases["k1"].units, cases["k1"].disagreements) == (5, 1)
    assert cases["k1"].percent_agreement == 4 / 5
    assert cases["k1"].krippendorff_alpha == pytest.approx(28 / 37)
    assert (cases["k2"].percent_agreement, cases["k2"].krippendorff_alpha) == (1.0, 1.0)
    # the overall figure pools every unit: 5 per case
    assert report.overall().units == 20


def _case(folder: Path, case: str, team: str, outcomes: str = "[stability]") -> None:
    folder.mkdir(exist_ok=True)
    (folder / f"{case}.yaml").write_text(
        f"id: {case}\ntitle: T\nprofile:\n  team: {team}\n"
        f"course:\n  pattern: stable\n  outcomes: {outcomes}\n",
        encoding="utf-8",
    )


@pytest.fixture
def three(tmp_path: Path, models: CaseModels):  # type: ignore[no-untyped-def]
    # team per case and coder (X, Y, Z): c1 n n n; c2 s s n; c3 n s s. Outcomes all agree.
    teams = {"c1": "nnn", "c2": "ssn", "c3": "nss"}
    names = {"n": "north", "s": "south"}
    for index, coder in enumerate("xyz"):
        for case, codes in teams.items():
            _case(tmp_path / coder, case, names[codes[index]])
    return [load_coding(str(tmp_path / coder), models) for coder in "xyz"]


def test_three_coders_by_hand(three, models: CaseModels) -> None:  # type: ignore[no-untyped-def]
    # team, 3 units of 3 values. Fleiss: P_i = 1, 1/3, 1/3 → P̄ = 5/9; north 5/9, south 4/9
    # → P_e = 41/81 → κ = (5/9 − 41/81)/(40/81) = 1/10.
    # alpha: o_nn = 3 (c1); c2 and c3 each o_ss = 1, o_sn = o_ns = 1 → D = 4; n = 9,
    # n_north = 5, n_south = 4 → α = 1 − 8·4/(81 − 25 − 16) = 1/5.
    report = compare_all(models.framework, three, ["profile.team", "course.outcomes"])
    team = next(g for g in report.groups if g.group == "profile.team")
    assert (team.units, team.kappa) == (3, "fleiss")
    assert team.percent_agreement == pytest.approx(1 / 3)
    assert team.cohen_kappa == pytest.approx(0.1)
    assert team.krippendorff_alpha == pytest.approx(0.2)
    assert [(d.case, d.values) for d in team.disagreements] == [
        ("c2", ("south", "south", "north")),
        ("c3", ("north", "south", "south")),
    ]
    # c2 over team and the three outcome units: values s 2, n 1, T 3, F 6 → n = 12,
    # Σn_c² = 50, D = 2 → α = 1 − 11·2/(144 − 50) = 36/47; 3 of 4 units agree.
    c2 = next(s for s in report.per_case() if s.name == "c2")
    assert (c2.units, c2.percent_agreement) == (4, 0.75)
    assert c2.krippendorff_alpha == pytest.approx(36 / 47)


def test_three_coders_through_the_cli(run_cli, three, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    args = ["agree", "x", "y", "z", "--framework", str(MINI), "--group", "profile.team"]
    result = run_cli([*args, "--format", "json", "--seed", "3"], cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    (team,) = json.loads(result.stdout)
    assert team["coders"] == ["x", "y", "z"] and team["kappa"] == "fleiss"
    assert team["disagreements"][0]["values"] == ["south", "south", "north"]
    assert team["alpha_ci"]["samples"] == 1000 and team["alpha_ci"]["seed"] == 3
    assert team["alpha_ci"]["low"] <= team["krippendorff_alpha"] <= team["alpha_ci"]["high"]
    by_case = json.loads(run_cli([*args, "--json", "--by", "case"], cwd=tmp_path).stdout)
    assert [(c["case"], c["units"], c["differ"]) for c in by_case] == [
        ("c1", 1, 0),
        ("c2", 1, 1),
        ("c3", 1, 1),
    ]
    text = run_cli(args, cwd=tmp_path).stdout
    assert "Fleiss kappa" in text and "Agreement per part" in text and "Agreement per case" in text


def test_fleiss_kappa_by_hand() -> None:
    # the three-coder table above, directly
    data = [["n", "s", "n"], ["n", "s", "s"], ["n", "n", "s"]]
    assert fleiss_kappa(data) == pytest.approx(0.1)
    assert math.isnan(fleiss_kappa([["a", "a"], ["a", "a"]]))
    with pytest.raises(ValueError):
        fleiss_kappa([["a", None], ["a", "b"]])


# --- bootstrap -----------------------------------------------------------------------------------

# Two coders, 20 binary units, 3 of them disagree.
LEFT = [1, 1, 0, 0, 1, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 1, 1, 0, 1, 0]
RIGHT = [1, 1, 0, 0, 1, 0, 1, 0, 0, 0, 1, 1, 1, 0, 0, 1, 0, 0, 1, 0]


def test_interval_contains_the_estimate_and_is_reproducible() -> None:
    alpha = krippendorff_alpha([LEFT, RIGHT])
    low, high = bootstrap_alpha([LEFT, RIGHT], samples=500, seed=1)
    assert low < alpha < high
    assert bootstrap_alpha([LEFT, RIGHT], samples=500, seed=1) == (low, high)
    assert bootstrap_alpha([LEFT, RIGHT], samples=500, seed=2) != (low, high)


def test_interval_narrows_with_more_units() -> None:
    small = bootstrap_alpha([LEFT, RIGHT], samples=500, seed=1)
    large = bootstrap_alpha([LEFT * 10, RIGHT * 10], samples=500, seed=1)
    # same agreement pattern, ten times the units: the interval is about √10 ≈ 3 times narrower
    assert large[1] - large[0] < (small[1] - small[0]) / 2
    assert large[0] < krippendorff_alpha([LEFT * 10, RIGHT * 10]) < large[1]


def test_undefined_alpha_has_no_interval() -> None:
    assert all(math.isnan(v) for v in bootstrap_alpha([[1, 1, 1], [1, 1, 1]]))
    with pytest.raises(ValueError):
        bootstrap_alpha([LEFT, RIGHT], samples=0)
    with pytest.raises(ValueError):
        bootstrap_alpha([LEFT, RIGHT], confidence=1.5)


def test_groups_parts_and_overall_get_intervals(models: CaseModels) -> None:
    report = _two(models, ["profile.team", "course.outcomes"], bootstrap=300)
    for low, high, alpha in [
        *((g.alpha_ci[0], g.alpha_ci[1], g.krippendorff_alpha) for g in report.groups),
        *((s.alpha_ci[0], s.alpha_ci[1], s.krippendorff_alpha) for s in report.per_part()),
        (*report.overall().alpha_ci, report.overall().krippendorff_alpha),
    ]:
        assert low <= alpha <= high
    assert all(math.isnan(s.alpha_ci[0]) for s in report.per_case())  # cases: no interval


@settings(max_examples=200, deadline=None)
@given(
    st.integers(min_value=2, max_value=4).flatmap(
        lambda coders: st.lists(
            st.lists(st.sampled_from(["a", "b", "c", None]), min_size=coders, max_size=coders),
            min_size=1,
            max_size=12,
        )
    )
)
def test_bootstrap_arithmetic_is_krippendorffs_alpha(units: list[list[str | None]]) -> None:
    """The bootstrap's fast nominal alpha on all units equals :func:`krippendorff_alpha`."""
    data = [list(coder) for coder in zip(*units, strict=True)]
    expected = krippendorff_alpha(data)
    summaries = [_unit_summary(unit) for unit in _pairable_units(data)]
    found = _alpha_of(summaries, [1] * len(summaries))
    assert (math.isnan(expected) and math.isnan(found)) or found == pytest.approx(expected)
