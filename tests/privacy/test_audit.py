"""The re-identification audit on synthetic profiles: every planted singling-out combination is
flagged with its smallest combination (pure functions, then a built study through
``privacy --outputs``); a study built to be 3-anonymous has no finding with k = 3; accepted
findings need who and why."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from ol_analysis.privacy.audit import is_k_anonymous, rare_terms, singled_out

HERE = Path(__file__).parent / "audit"
FIXTURES = ["planted.yaml", "three_anonymous.yaml"]
ATTRIBUTES = ["team", "age_group", "severity"]


def fixture(name: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((HERE / name).read_text(encoding="utf-8"))
    return data


@pytest.mark.parametrize("name", FIXTURES)
def test_singled_out_cases_and_their_smallest_combination(name: str) -> None:
    data = fixture(name)
    table = data["cases"]
    found = singled_out(table, ATTRIBUTES, table, data["k"])
    assert {f.case: list(f.combination) for f in found} == data["singled_out"]
    for f in found:
        assert f.size < data["k"]
        assert f.values == tuple(table[f.case][a] for a in f.combination)
    assert is_k_anonymous(table, ATTRIBUTES, data["k"]) is (not data["singled_out"])


def test_fewer_published_attributes_single_out_fewer_cases() -> None:
    table = fixture("planted.yaml")["cases"]
    assert [f.case for f in singled_out(table, ["team", "age_group"], table, 2)] == ["a05"]
    assert singled_out(table, ["team"], table, 2) == []


def test_the_three_anonymous_fixture_is_not_two_anonymous_at_k_4() -> None:
    table = fixture("three_anonymous.yaml")["cases"]
    assert is_k_anonymous(table, ATTRIBUTES, 3)
    assert not is_k_anonymous(table, ATTRIBUTES, 4)


def test_rare_terms_are_dates_and_names_of_fewer_than_k_cases() -> None:
    texts = {
        "c1": ["Zij ging in Zuidlaren naar de huisarts, sinds 3 maart 2019 gaat het beter."],
        "c2": ["Hij woont ook in Zuidlaren; het Team belt hem."],
        "c3": ["Via Stichting Kompas kwam zij bij het team."],
    }
    found = {(t.term, t.kind, t.cases) for t in rare_terms(texts, 2, common=["team"])}
    assert found == {
        ("3 maart 2019", "date", ("c1",)),
        ("Stichting Kompas", "name", ("c3",)),
    }


# ── through a built study ────────────────────────────────────────────────────────────────────


def make_study(root: Path, mini: Path, name: str) -> Path:
    """The mini framework and one case per profile of the fixture."""
    study = root / "study"
    (study / "cases").mkdir(parents=True)
    shutil.copy(mini / "framework.yaml", study / "framework.yaml")
    for case_id, profile in fixture(name)["cases"].items():
        (study / "cases" / f"{case_id}.yaml").write_text(
            f"id: {case_id}\ntitle: Casus {case_id}\nprofile:\n"
            f"  team: {profile['team']}\n  age_group: '{profile['age_group']}'\n"
            f"  severity: {profile['severity']}\n"
            "course:\n  pattern: stable\n  outcomes: []\n",
            encoding="utf-8",
        )
    return study


def publish(run_cli: Any, study: Path) -> Path:
    """What a study publishes besides its chapters: stats, the CSV, SQLite and REFI exports."""
    out = study / "out"
    out.mkdir()
    stats = run_cli(["stats", "--json"], cwd=study)
    (out / "stats.json").write_text(stats.stdout, encoding="utf-8")
    for args in (
        ["export", "csv", "--out", "out/csv"],
        ["export", "sqlite", "--out", "out/study.db"],
        ["export", "refi", "--out", "out/study.qdpx"],
    ):
        assert run_cli(args, cwd=study).exit_code == 0
    return out


def test_privacy_outputs_names_output_row_and_combination(
    run_cli: Any, tmp_path: Path, mini_study: Path
) -> None:
    study = make_study(tmp_path, mini_study, "planted.yaml")
    publish(run_cli, study)
    result = run_cli(["privacy", "--outputs", "--out", "out", "--json"], cwd=study)
    assert result.exit_code == 1
    findings = [d for d in yaml.safe_load(result.stdout) if d["rule"] == "privacy-k-anonymity"]
    expected = fixture("planted.yaml")["singled_out"]
    by_output: dict[str, dict[str, str]] = {}
    for d in findings:
        by_output.setdefault(d["path"], {})[d["message"].split()[1]] = d["message"]
    assert sorted(by_output) == [
        "out/csv/codings.csv",
        "out/csv/matrix.csv",
        "out/stats.json",
        "out/study.db",
        "out/study.qdpx",
    ]
    table = fixture("planted.yaml")["cases"]
    for output, messages in by_output.items():
        published = next(iter(messages.values())).split("this output publishes ")[1][:-1]
        attributes = published.split(", ")
        wanted = {f.case: list(f.combination) for f in singled_out(table, attributes, table, 2)}
        assert sorted(messages) == sorted(wanted), output
        for case, combination in wanted.items():
            shown = messages[case].split(" cases has ")[1].split(" (k=")[0]
            assert [part.split("=")[0] for part in shown.split(", ")] == combination
        if attributes == ATTRIBUTES:  # every planted combination, where all are published
            assert wanted == expected, output
    assert by_output["out/stats.json"].keys() == expected.keys()
    # the 0/1 matrix has no column for the integer severity: only a05 is singled out there
    assert list(by_output["out/csv/matrix.csv"]) == ["a05"]
    row = next(d for d in findings if d["path"] == "out/csv/matrix.csv" and " a05 " in d["message"])
    assert row["location"].startswith("row ") and row["location"] in row["message"]


def test_three_anonymous_study_has_no_finding_with_k_3(
    run_cli: Any, tmp_path: Path, mini_study: Path
) -> None:
    study = make_study(tmp_path, mini_study, "three_anonymous.yaml")
    publish(run_cli, study)
    result = run_cli(["privacy", "--outputs", "--out", "out", "--k", "3"], cwd=study)
    assert (result.exit_code, result.stderr) == (0, "")
    at_4 = run_cli(["privacy", "--outputs", "--out", "out", "--k", "4"], cwd=study)
    assert at_4.exit_code == 1 and "error[privacy-k-anonymity]" in at_4.stderr


def test_an_accepted_finding_needs_who_and_why(
    run_cli: Any, tmp_path: Path, mini_study: Path
) -> None:
    study = make_study(tmp_path, mini_study, "planted.yaml")
    publish(run_cli, study)
    allow = study / "privacy-allow.yaml"
    allow.write_text(
        "- rule: privacy-k-anonymity\n  attributes: [team, age_group, severity]\n"
        "  accepted_by: lead-1\n  reason: synthetic cases, published with consent\n",
        encoding="utf-8",
    )
    assert run_cli(["privacy", "--outputs", "--out", "out"], cwd=study).exit_code == 0
    allow.write_text(
        "- rule: privacy-k-anonymity\n  attributes: [severity]\n  cases: [a06, a08]\n"
        "  accepted_by: lead-1\n  reason: severity is shown as published in the report\n"
        "- rule: privacy-k-anonymity\n  attributes: [team]\n  reason: nobody said who\n",
        encoding="utf-8",
    )
    result = run_cli(["privacy", "--outputs", "--out", "out", "out/stats.json"], cwd=study)
    assert result.exit_code == 1
    assert (
        "privacy-allow.yaml:6:3: error[privacy-allow-list]: the privacy-k-anonymity entry "
        "gives no accepted_by" in result.stderr
    )
    singled = {line.split()[3] for line in result.stderr.splitlines() if "k-anonymity]" in line}
    assert singled == {"a05", "a07"}


def test_an_acceptance_must_name_attributes_and_cases_of_the_study(
    run_cli: Any, tmp_path: Path, mini_study: Path
) -> None:
    study = make_study(tmp_path, mini_study, "planted.yaml")
    publish(run_cli, study)
    (study / "privacy-allow.yaml").write_text(
        "# reviewed\n- rule: privacy-k-anonymity\n  attributes: [team, age_grup, severity]\n"
        "  cases: [a05, a99]\n  accepted_by: lead-1\n  reason: consent on file\n",
        encoding="utf-8",
    )
    result = run_cli(["privacy", "--outputs", "--out", "out", "out/stats.json"], cwd=study)
    assert result.exit_code == 1
    assert (
        "privacy-allow.yaml:2:3: error[privacy-allow-list]: the privacy-k-anonymity entry names "
        "'age_grup', which is no attribute of the study profile\n  hint: did you mean 'age_group'?"
    ) in result.stderr
    assert "names 'a99', which is no case of the study" in result.stderr


def test_outputs_without_a_build_is_a_usage_error(
    run_cli: Any, tmp_path: Path, mini_study: Path
) -> None:
    study = make_study(tmp_path, mini_study, "three_anonymous.yaml")
    result = run_cli(["privacy", "--outputs"], cwd=study)
    assert result.exit_code == 2
    assert result.stderr.startswith("error: no build to check: build is not a folder")
