"""``ol-analysis qca`` through its entry point, on the synthetic study beside this file.

The study (``tests/qca/study``): conditions home_visits (H), peer_support (P) and severe
(severity >= 7, S); outcome stable (Y). By hand: q01, q02 are H P S with Y; q03 is H ~P S
with Y; q04 ~H P ~S and q05 ~H ~P ~S without; q06 (Y) and q07 (not Y) share H ~P ~S, a
contradiction; q08 has no severity and is left out. So the positive configurations are 111 and
101, the remainders 001, 011 and 110.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

STUDY = Path(__file__).parent / "study"


def qca_json(run_cli: Any, *args: str) -> dict[str, Any]:
    result = run_cli(["qca", "--format", "json", *args], cwd=STUDY)
    assert result.exit_code == 0, result.stderr
    return dict(json.loads(result.stdout))


def test_defaults_come_from_the_framework(run_cli: Any) -> None:
    data = qca_json(run_cli)
    assert data["outcome"]["id"] == "stable"
    assert [c["id"] for c in data["conditions"]] == ["home_visits", "peer_support", "severe"]
    assert data["conditions"][2]["calibration"] == "profile.severity ≥ 7"
    assert data["conditions"][2]["rationale"] == "Severity of 7 or more at the start."
    assert data["excluded"] == {"q08": "profile.severity is not coded"}


def test_truth_table_contradictions_and_remainders(run_cli: Any) -> None:
    data = qca_json(run_cli)
    rows = {
        "".join(str(v) for v in r["configuration"].values()): (r["cases"], r["outcome"])
        for r in data["truth_table"]
    }
    assert rows == {
        "000": (["q05"], 0),
        "010": (["q04"], 0),
        "100": (["q06", "q07"], 0),
        "101": (["q03"], 1),
        "111": (["q01", "q02"], 1),
    }
    [contradiction] = data["contradictions"]
    quotes = {c["id"]: [q["quote"] for q in c["quotes"]] for c in contradiction["cases"]}
    assert quotes == {
        "q06": ["Het gaat nu al maanden goed."],
        "q07": ["We kwamen twee keer per week langs."],
    }
    remainders = {"".join(str(v) for v in r.values()) for r in data["remainders"]}
    assert remainders == {"001", "011", "110"}


def test_solutions_with_fit_and_leave_one_case_out(run_cli: Any) -> None:
    data = qca_json(run_cli)
    [conservative] = data["solutions"]["conservative"]
    [parsimonious] = data["solutions"]["parsimonious"]
    assert conservative["expression"] == "home_visits*severe"
    assert parsimonious["expression"] == "severe"
    # four cases show the outcome (q08 is left out); the term covers q01-q03
    term = conservative["terms"][0]
    assert (term["consistency"], term["raw_coverage"], term["unique_coverage"]) == (1, 0.75, 0.75)
    assert term["cases"] == ["q01", "q02", "q03"]
    # without q03 row 101 is gone and the term becomes home_visits*peer_support*severe
    assert term["depends_on"] == ["q03"]
    # without q07 row 100 turns positive and 'home_visits' alone is the parsimonious solution
    assert parsimonious["terms"][0]["depends_on"] == ["q07"]
    necessity = {n["condition"]: (n["consistency"], n["coverage"]) for n in data["necessity"]}
    assert necessity["home_visits"] == (1.0, 0.8)  # 4 of 4 stable cases; 4 of 5 with visits


def test_a_lower_cutoff_takes_in_the_contradictory_row(run_cli: Any) -> None:
    data = qca_json(run_cli, "--cutoff", "0.5")
    [conservative] = data["solutions"]["conservative"]
    terms = {t["expression"]: t for t in conservative["terms"]}
    assert set(terms) == {"home_visits*severe", "home_visits*~peer_support"}
    assert conservative["consistency"] == 0.8  # q07 is covered without the outcome
    assert conservative["coverage"] == 1.0
    assert terms["home_visits*~peer_support"]["inconsistent_cases"] == ["q07"]
    assert terms["home_visits*~peer_support"]["consistency"] == 0.667


def test_paths_and_thresholds_on_the_command_line(run_cli: Any) -> None:
    data = qca_json(
        run_cli,
        "--outcome",
        "reference.if_then.statement.fewer_admissions",
        "--conditions",
        "support.team_wide,profile.severity<=8",
    )
    assert data["outcome"]["declared"] is False
    # q02's statement is contested: only q01 counts (status supports)
    assert [c for c, v in data["cases"].items() if v["outcome"]] == ["q01"]
    assert data["conditions"][1]["calibration"] == "profile.severity ≤ 8"
    assert data["cases"]["q02"]["configuration"] == {"team_wide": 0, "severity_le_8": 0}


def test_a_negated_outcome(run_cli: Any) -> None:
    data = qca_json(run_cli, "--outcome", "~stable")
    assert data["outcome"]["name"] == "~stable"
    assert [c for c, v in data["cases"].items() if v["outcome"]] == ["q04", "q05", "q07"]


def test_text_output_shows_every_section(run_cli: Any) -> None:
    result = run_cli(["qca"], cwd=STUDY)
    assert result.exit_code == 0, result.stderr
    for heading in (
        "QCA of stable over 7 cases",
        "Truth table",
        "Contradictory configurations",
        "Logical remainders (3)",
        "Conservative solution: home_visits*severe → stable",
        "Parsimonious solution: severe → stable",
        "Necessity",
        "We kwamen twee keer per week langs.",
        "Not in the truth table: q08",
    ):
        assert heading in result.stdout


def test_the_report_section(run_cli: Any) -> None:
    result = run_cli(["qca", "--format", "md", "--lang", "en"], cwd=STUDY)
    assert result.exit_code == 0, result.stderr
    assert "## Configurations of conditions (QCA)" in result.stdout
    assert "| `home_visits*severe` | 1.000 | 0.750 | 0.750 | q01, q02, q03 | q03 |" in result.stdout
    dutch = run_cli(["qca", "--format", "md"], cwd=STUDY)
    assert "### Waarheidstabel" in dutch.stdout


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--conditions", "home_visit"], "did you mean 'home_visits'?"),
        (["--conditions", "profile.severity"], "give a threshold"),
        (["--outcome", "severe"], "an outcome is a code or a bool"),
        (["--outcome", "profile.severity>=3"], "an outcome is a code or a bool"),
        (["--conditions", "home_visits,home_visits"], "named twice"),
        (["--conditions", "stable"], "named twice"),
        (["--cutoff", "0"], "cut-off"),
    ],
)
def test_usage_errors_exit_2(run_cli: Any, args: list[str], words: str) -> None:
    result = run_cli(["qca", *args], cwd=STUDY)
    assert result.exit_code == 2
    assert words in result.stderr
    assert "Traceback" not in result.stderr


def test_a_bad_qca_block_exits_1_with_its_location(run_cli: Any, tmp_path: Path) -> None:
    text = (STUDY / "framework.yaml").read_text(encoding="utf-8")
    (tmp_path / "framework.yaml").write_text(
        text.replace("path: support.measures.peer_support", "path: support.measures.peer_suport"),
        encoding="utf-8",
    )
    result = run_cli(["qca", "--cases", str(STUDY / "cases")], cwd=tmp_path)
    assert result.exit_code == 1
    assert "error[framework-qca-unknown-path]" in result.stderr
    assert "did you mean 'support.measures.peer_support'?" in result.stderr


def test_without_leave_one_out(run_cli: Any) -> None:
    data = qca_json(run_cli, "--no-leave-one-out")
    terms = [t for kind in data["solutions"].values() for m in kind for t in m["terms"]]
    assert terms and all(t["depends_on"] == [] for t in terms)


def test_a_framework_without_a_qca_block(run_cli: Any, mini_study: Path) -> None:
    result = run_cli(["qca"], cwd=mini_study)
    assert result.exit_code == 2
    assert "no outcome" in result.stderr
    result = run_cli(
        [
            "qca",
            "--format",
            "json",
            "--outcome",
            "course.outcomes.stability",
            "--conditions",
            "course.team_wide,profile.severity>=5",
        ],
        cwd=mini_study,
    )
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert [c["declared"] for c in data["conditions"]] == [False, False]


def test_a_new_condition_is_an_edit_of_the_framework_only(run_cli: Any, tmp_path: Path) -> None:
    study = tmp_path / "study"
    shutil.copytree(STUDY, study)
    framework = study / "framework.yaml"
    framework.write_text(
        framework.read_text(encoding="utf-8")
        + "    - id: mild\n"
        + "      path: profile.severity\n"
        + "      rule: at_most\n"
        + "      threshold: 3\n"
        + "      rationale: Mild problems at the start.\n",
        encoding="utf-8",
    )
    # run from the cases folder: the study is found upward, as for every command
    result = run_cli(
        ["qca", "--format", "json", "--conditions", "home_visits,mild,whole_team"],
        cwd=study / "cases",
    )
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["conditions"][1]["calibration"] == "profile.severity ≤ 3"
    mild = {case: v["configuration"]["mild"] for case, v in data["cases"].items()}
    assert [case for case, inside in mild.items() if inside] == ["q04", "q05"]
    whole_team = {case: v["configuration"]["whole_team"] for case, v in data["cases"].items()}
    assert [case for case, inside in whole_team.items() if inside] == ["q01"]
