"""`adjudicate` and the adjudication log: a round on two fixture codings, the log's checks, its
writes.

The codings are those of tests/agree (coder_a and coder_b on the mini framework), copied into a
study folder; k1–k4 are in both, and they differ on six units (see tests/agree/test_agree.py).
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ol_analysis.cli import app
from ol_analysis.core.adjudication import read_log
from ol_analysis.core.framework import load_framework
from ol_analysis.errors import WriteError
from ol_analysis.feedback import adjudicate as adj

HERE = Path(__file__).resolve().parent
AGREE = HERE.parent / "agree" / "fixtures"
MINI = HERE.parent / "fixtures" / "mini" / "framework.yaml"
EXPECT = re.compile(r"^# expect: (\d+):(\d+) ([a-z-]+)(?: (.*))?$")
SIX = [
    "k1:course.outcomes.relapse",
    "k1:reference.if_then.statement.longer_recovery",
    "k2:reference.if_then.statement.more_crises",
    "k3:profile.team",
    "k3:course.outcomes.relapse",
    "k4:course.outcomes.more_self_direction",
]


@pytest.fixture
def study(tmp_path: Path) -> Path:
    shutil.copy(MINI, tmp_path / "framework.yaml")
    for coder in ("coder_a", "coder_b"):
        shutil.copytree(AGREE / coder, tmp_path / coder)
    (tmp_path / "coder_a" / "k5.yaml").unlink()
    (tmp_path / "coder_b" / "k6.yaml").unlink()
    (tmp_path / "cases").mkdir()
    for case in ("k1", "k2", "k3", "k4"):
        shutil.copy(tmp_path / "coder_a" / f"{case}.yaml", tmp_path / "cases")
    return tmp_path


def _open(run_cli, study: Path) -> list[str]:  # type: ignore[no-untyped-def]
    result = run_cli(["adjudicate", "coder_a", "coder_b", "--list", "--format", "json"], study)
    assert result.exit_code == 0, result.stderr
    return [f"{item['case']}:{item['unit']}" for item in json.loads(result.stdout)]


def _decide(run_cli, study: Path, *options: str):  # type: ignore[no-untyped-def]
    args = ["adjudicate", "coder_a", "coder_b", "--by", "AB", "--date", "2026-11-30", *options]
    return run_cli(args, study)


def test_a_round_ends_with_every_disagreement_logged(  # type: ignore[no-untyped-def]
    run_cli, study: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _open(run_cli, study) == SIX
    status = json.loads(run_cli(["status", "--format", "json"], study).stdout)
    assert "adjudication" not in status  # no log yet: nothing to say
    # two by option, two from a decisions file, two interactively
    decided = _decide(
        run_cli,
        study,
        "--decide",
        "k1:course.outcomes.relapse=true",
        "--decide",
        "k3:profile.team=south",
        "--reason",
        "named in the referral",
    )
    assert decided.exit_code == 0, decided.stderr
    assert "4 open" in decided.stderr
    (study / "decisions.yaml").write_text(
        "- {case: k2, unit: reference.if_then.statement.more_crises, decision: supports,"
        " reason: two crises in 2019}\n"
        "- {case: k3, unit: course.outcomes.relapse, decision: false, reason: no relapse,"
        " by: CD}\n",
        encoding="utf-8",
    )
    from_file = _decide(run_cli, study, "--decisions", "decisions.yaml")
    assert from_file.exit_code == 0, from_file.stderr
    assert _open(run_cli, study) == [SIX[1], SIX[5]]
    monkeypatch.chdir(study)
    walked = CliRunner().invoke(
        app,
        ["adjudicate", "coder_a", "coder_b"],
        input="2\nEF\nthe report contests it\n-\nEF\nnot in the sources\n",
        catch_exceptions=False,
    )
    assert walked.exit_code == 0, walked.stderr
    assert "[1/2] k1 reference.if_then.statement.longer_recovery" in walked.stdout
    assert _open(run_cli, study) == []

    log, problems = read_log(study / "adjudication.yaml", load_framework(MINI))
    assert problems == []
    assert [f"{d.case}:{d.unit}" for d in log.decisions] == [
        SIX[0],
        SIX[3],
        SIX[2],
        SIX[4],
        SIX[1],
        SIX[5],
    ]
    assert [(d.decision, d.by) for d in log.decisions] == [
        (True, "AB"),
        ("south", "AB"),
        ("supports", "AB"),
        (False, "CD"),
        ("contested", "EF"),
        (False, "EF"),
    ]
    assert log.decisions[0].codings == {"coder_a": True, "coder_b": False}
    assert {d.round for d in log.decisions} == {1}
    (round_one,) = log.rounds
    assert (round_one.round, round_one.coders, round_one.units) == (1, ["coder_a", "coder_b"], 44)
    assert round_one.disagreements == 6
    assert round_one.alpha_ci is not None
    assert round_one.alpha_ci[0] <= round_one.krippendorff_alpha <= round_one.alpha_ci[1]

    status = run_cli(["status", "--format", "json"], study)
    assert status.exit_code == 0, status.stderr
    assert json.loads(status.stdout)["adjudication"]["open"] == 0
    assert "0 of 6 disagreements open" in run_cli(["status"], study).stdout


def test_a_changed_coding_reopens_its_unit(run_cli, study: Path) -> None:  # type: ignore[no-untyped-def]
    _decide(run_cli, study, "--decide", "k3:profile.team=south", "--reason", "r")
    assert "k3:profile.team" not in _open(run_cli, study)
    for coder, old, new in (("coder_a", "north", "south"), ("coder_b", "south", "north")):
        case = study / coder / "k3.yaml"
        case.write_text(case.read_text().replace(f"team: {old}", f"team: {new}"), encoding="utf-8")
    # they still differ, but not as they did when the decision was taken: open again
    listed = run_cli(["adjudicate", "coder_a", "coder_b", "--list"], study).stdout
    assert "k3" in listed and "decided in round 1 on other codings" in listed


def test_decisions_that_settle_nothing_are_refused(run_cli, study: Path) -> None:  # type: ignore[no-untyped-def]
    refused = _decide(run_cli, study, "--decide", "k2:profile.team=north", "--reason", "r")
    assert refused.exit_code == 2
    assert "not an open disagreement" in refused.stderr
    wrong = _decide(run_cli, study, "--decide", "k3:profile.team=west", "--reason", "r")
    assert wrong.exit_code == 2 and "expected null or one of north, south" in wrong.stderr
    no_reason = _decide(run_cli, study, "--decide", "k3:profile.team=north")
    assert no_reason.exit_code == 2 and "--reason" in no_reason.stderr
    assert _decide(run_cli, study, "--decide", "k3=north", "--reason", "r").exit_code == 2
    assert not (study / "adjudication.yaml").exists()
    _decide(run_cli, study, "--decide", "k3:profile.team=north", "--reason", "r")
    again = _decide(run_cli, study, "--decide", "k3:profile.team=south", "--reason", "r")
    assert again.exit_code == 2 and "already decided in round 1" in again.stderr


def test_a_bad_decisions_file_gives_located_diagnostics(run_cli, study: Path) -> None:  # type: ignore[no-untyped-def]
    (study / "decisions.yaml").write_text(
        "- case: k3\n  unit: profile.team\n  desicion: south\n  reason: r\n", encoding="utf-8"
    )
    result = _decide(run_cli, study, "--decisions", "decisions.yaml")
    assert result.exit_code == 1
    assert "decisions.yaml:3:3: error[unknown-key]" in result.stderr
    assert "did you mean 'decision'?" in result.stderr
    assert "decisions.yaml:1:3: error[missing-field]" in result.stderr


def test_comments_in_the_log_are_kept(run_cli, study: Path) -> None:  # type: ignore[no-untyped-def]
    _decide(run_cli, study, "--decide", "k3:profile.team=south", "--reason", "r")
    log = study / "adjudication.yaml"
    text = log.read_text().replace(
        "decisions:", "# settled at the meeting of 30 November\ndecisions:"
    )
    log.write_text(text.replace("reason: r", "reason: r  # see the minutes"), encoding="utf-8")
    _decide(
        run_cli, study, "--decide", "k4:course.outcomes.more_self_direction=no", "--reason", "s"
    )
    after = log.read_text()
    assert "# settled at the meeting of 30 November\ndecisions:" in after
    assert "reason: r  # see the minutes" in after
    assert after.count("- case:") == 2 and after.count("- round:") == 1


def test_a_failed_write_leaves_the_old_log(study: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    framework = load_framework(MINI)
    log = study / "adjudication.yaml"
    entry = {
        "case": "k3",
        "unit": "profile.team",
        "codings": {"a": "north", "b": "south"},
        "decision": "south",
        "by": "AB",
        "reason": "r",
        "round": 1,
        "date": "2026-11-30",
    }
    adj.write_log(log, framework, None, [entry])
    before = log.read_bytes()

    def refuse(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("ol_analysis.safe_write.os.replace", refuse)
    with pytest.raises(WriteError):
        adj.write_log(log, framework, None, [{**entry, "case": "k4"}])
    assert log.read_bytes() == before
    assert [p.name for p in study.iterdir() if p.name.startswith(".adjudication")] == []


def test_an_invalid_entry_is_never_written(study: Path) -> None:
    from ol_analysis.errors import StudyError

    log = study / "adjudication.yaml"
    log.write_text("# hand-made\ndecisions: []\n", encoding="utf-8")
    bad = {
        "case": "k3",
        "unit": "profile.team",
        "codings": {"a": "north", "b": "south"},
        "decision": "west",
        "by": "AB",
        "reason": "r",
        "round": 1,
        "date": "2026-11-30",
    }
    with pytest.raises(StudyError) as raised:
        adj.write_log(log, load_framework(MINI), None, [bad])
    assert raised.value.diagnostics[0].rule == "adjudication-invalid-value"
    assert log.read_text() == "# hand-made\ndecisions: []\n"


def test_a_broken_log_stops_adjudicate_and_status(run_cli, study: Path) -> None:  # type: ignore[no-untyped-def]
    (study / "adjudication.yaml").write_text("decisions:\n  - case: [k1\n", encoding="utf-8")
    for args in (["adjudicate", "coder_a", "coder_b", "--list"], ["status"]):
        result = run_cli(args, study)
        assert result.exit_code == 1
        assert "adjudication.yaml:3:1: error[yaml-syntax]" in result.stderr
        assert "Traceback" not in result.stderr


def _expectations(path: Path) -> list[tuple[int, int, str, str | None]]:
    found = []
    for line in path.read_text(encoding="utf-8").splitlines():
        match = EXPECT.match(line)
        if match:
            found.append((int(match[1]), int(match[2]), match[3], match[4]))
    return found


@pytest.mark.parametrize("path", sorted((HERE / "invalid").glob("*.yaml")), ids=lambda p: p.stem)
def test_invalid_log_reports_expected_diagnostics(path: Path) -> None:
    expected = _expectations(path)
    assert expected, f"{path.name} names no expected diagnostic"
    _, problems = read_log(path, load_framework(MINI))
    assert sorted((d.line, d.column, d.rule) for d in problems) == sorted(
        (line, column, rule) for line, column, rule, _ in expected
    )
    for line, column, rule, words in expected:
        if words:
            (problem,) = [d for d in problems if (d.line, d.column, d.rule) == (line, column, rule)]
            assert words in f"{problem.message} {problem.hint}"


def test_apply_writes_decisions_into_the_case_files(run_cli, study: Path) -> None:  # type: ignore[no-untyped-def]
    k3 = study / "cases" / "k3.yaml"
    k3.write_text(k3.read_text().replace("title:", "# kept\ntitle:"), encoding="utf-8")
    result = _decide(
        run_cli,
        study,
        "--apply",
        "cases",
        "--reason",
        "r",
        "--decide",
        "k3:profile.team=south",
        "--decide",
        "k3:course.outcomes.relapse=true",
        "--decide",
        "k1:course.outcomes.relapse=false",
    )
    assert result.exit_code == 0, result.stderr
    assert "applied to cases/k3.yaml" in result.stderr
    assert run_cli(["validate"], study).exit_code == 0
    assert run_cli(["fmt", "--check", "cases/k1.yaml", "cases/k3.yaml"], study).exit_code == 0
    assert "# kept" in k3.read_text()
    # the consensus folder now agrees with coder_b on those three units
    agree = run_cli(["agree", "cases", "coder_b", "--format", "json", "--bootstrap", "0"], study)
    differ = {(d["case"], d["code"]) for g in json.loads(agree.stdout) for d in g["disagreements"]}
    assert {("k3", "profile.team"), ("k3", "course.outcomes.relapse")}.isdisjoint(differ)
    assert ("k1", "course.outcomes.relapse") not in differ


def test_apply_refuses_records_and_writes_nothing(run_cli, study: Path) -> None:  # type: ignore[no-untyped-def]
    before = {p.name: p.read_bytes() for p in (study / "cases").iterdir()}
    result = _decide(
        run_cli,
        study,
        "--apply",
        "cases",
        "--reason",
        "r",
        "--decide",
        "k3:profile.team=south",
        "--decide",
        "k2:reference.if_then.statement.more_crises=supports",
    )
    assert result.exit_code == 2 and "edit records by hand" in result.stderr
    assert {p.name: p.read_bytes() for p in (study / "cases").iterdir()} == before
    assert not (study / "adjudication.yaml").exists()
