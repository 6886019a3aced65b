"""Old versions are read with their own codebook: ``diff``, ``agree`` and the textconv driver
across ``rename-code``, ``merge-codes`` and a group moved to another part, and
``--framework REV:PATH`` — all through a temporary git repository."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest
from gitrepo import HAS_GIT, changed_lines, git, make_study, use_textconv

from ol_analysis.feedback.textconv import structure_view, view

pytestmark = pytest.mark.skipif(not HAS_GIT, reason="git is not installed")

CASE = """\
id: m01
title: Eerste casus
profile:
  team: north
course:
  pattern: rising
  outcomes:
    - code: stability
      evidence:
        - {quote: "Het gaat goed.", source: report}
    - code: relapse
      evidence:
        - {note: een terugval in 2021, source: session}
  team_wide: true
"""


@pytest.fixture
def study(tmp_path: Path) -> Path:
    return make_study(tmp_path, {"m01": CASE})


def _commit(repo: Path, message: str) -> None:
    git(repo, "commit", "-q", "-am", message)


def _rename(run_cli: Any, repo: Path) -> None:
    result = run_cli(["rename-code", "course.outcomes.relapse", "setback"], cwd=repo)
    assert result.exit_code == 0, result.stderr
    _commit(repo, "rename relapse to setback")


# --- rename ---------------------------------------------------------------------------------


def test_before_the_fix_the_old_version_failed_against_todays_codebook(
    run_cli: Any, study: Path
) -> None:
    """What the old version says in today's codebook is an error: 'relapse' is no code now."""
    _rename(run_cli, study)
    old = study / "old.yaml"
    old.write_text(git(study, "show", "HEAD~1:cases/m01.yaml"), encoding="utf-8")
    result = run_cli(["diff", "old.yaml", "cases/m01.yaml"], cwd=study)
    assert result.exit_code == 1 and "'relapse' is not a code" in result.stderr


def test_a_rename_is_one_codebook_line(run_cli: Any, study: Path) -> None:
    _rename(run_cli, study)
    for new in ("cases/m01.yaml", "HEAD:cases/m01.yaml"):
        result = run_cli(["diff", "--lang", "en", "HEAD~1:cases/m01.yaml", new], cwd=study)
        assert result.exit_code == 0, result.stderr
        assert result.stdout.splitlines() == [
            "--- HEAD~1:cases/m01.yaml",
            f"+++ {new}",
            "codebook: course.outcomes.relapse → setback",
        ]
    data = json.loads(run_cli(["diff", "--json", "HEAD~1:cases/m01.yaml", "cases/m01.yaml"],
                              cwd=study).stdout)  # fmt: skip
    assert data == [
        {
            "path": "course.outcomes.relapse",
            "change": "codebook",
            "old": "course.outcomes.relapse",
            "new": "course.outcomes.setback",
        }
    ]


def test_a_rename_and_a_coding_change_show_both(run_cli: Any, study: Path) -> None:
    _rename(run_cli, study)
    case = study / "cases" / "m01.yaml"
    case.write_text(case.read_text().replace("pattern: rising", "pattern: stable"))
    result = run_cli(["diff", "--lang", "en", "HEAD~1:cases/m01.yaml", "cases/m01.yaml"],
                     cwd=study)  # fmt: skip
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "codebook: course.outcomes.relapse → setback" in lines
    assert "  ~ Pattern: rising → stable" in lines
    assert not any("Outcomes" in line for line in lines)  # setback is no new outcome


def test_git_show_of_a_rename_commit_is_the_codebook_line(run_cli: Any, study: Path) -> None:
    use_textconv(study)
    _rename(run_cli, study)
    shown = git(study, "show", "--no-color", "--format=", "HEAD", "--", "cases")
    assert changed_lines(shown) == ["-codebook: course.outcomes.relapse → setback"]
    cache = json.loads((study / ".git" / "ol-analysis" / "textconv-frameworks.json").read_text())
    old_case = git(study, "rev-parse", "HEAD~1:cases/m01.yaml").strip()
    assert cache[old_case] == git(study, "rev-parse", "HEAD~1:framework.yaml").strip()
    again = git(study, "show", "--no-color", "--format=", "HEAD", "--", "cases")
    assert again == shown  # now from the cache


# --- merge ----------------------------------------------------------------------------------


def test_a_merge_is_one_line_per_merged_code(run_cli: Any, study: Path) -> None:
    result = run_cli(
        ["merge-codes", "course.outcomes.stability", "course.outcomes.relapse", "--into", "steady"],
        cwd=study,
    )
    assert result.exit_code == 0, result.stderr
    _commit(study, "merge stability and relapse")
    result = run_cli(["diff", "--json", "HEAD~1:cases/m01.yaml", "cases/m01.yaml"], cwd=study)
    assert result.exit_code == 0, result.stderr
    assert [(c["change"], c["old"], c["new"]) for c in json.loads(result.stdout)] == [
        ("codebook", "course.outcomes.stability", "course.outcomes.steady"),
        ("codebook", "course.outcomes.relapse", "course.outcomes.steady"),
    ]  # the two items became one, their evidence joined: nothing else changed
    use_textconv(study)
    shown = git(study, "show", "--no-color", "--format=", "HEAD", "--", "cases")
    assert changed_lines(shown) == [
        "-codebook: course.outcomes.stability → steady",
        "-codebook: course.outcomes.relapse → steady",
    ]


# --- a group moved to another part ----------------------------------------------------------


def _move_team_wide(repo: Path) -> None:
    """``course.team_wide`` becomes ``profile.team_wide``, and the part ``course`` moves to the
    end of the framework."""
    framework = (repo / "framework.yaml").read_text(encoding="utf-8")
    block = framework[
        framework.index("      - id: team_wide") : framework.index("  - id: reference")
    ]
    framework = framework.replace(block, "")
    framework = framework.replace("  - id: course\n", block + "  - id: course\n", 1)
    course = framework[framework.index("  - id: course\n") : framework.index("  - id: reference")]
    framework = framework.replace(course, "").rstrip("\n") + "\n" + course
    (repo / "framework.yaml").write_text(framework, encoding="utf-8")
    case = repo / "cases" / "m01.yaml"
    text = case.read_text(encoding="utf-8").replace("  team_wide: true\n", "")
    case.write_text(text.replace("  team: north\n", "  team: north\n  team_wide: true\n"))
    _commit(repo, "team_wide is a profile")


def test_a_group_moved_to_another_part(run_cli: Any, study: Path) -> None:
    _move_team_wide(study)
    result = run_cli(["diff", "--lang", "en", "HEAD~1:cases/m01.yaml", "HEAD:cases/m01.yaml"],
                     cwd=study)  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[2:] == ["codebook: course.team_wide → profile.team_wide"]
    use_textconv(study)
    shown = git(study, "show", "--no-color", "--format=", "HEAD", "--", "cases")
    assert changed_lines(shown) == ["-codebook: course.team_wide → profile.team_wide"]


# --- agree ----------------------------------------------------------------------------------


def test_agree_across_a_rename(run_cli: Any, study: Path) -> None:
    _rename(run_cli, study)
    result = run_cli(["agree", "HEAD~1:cases", "cases", "--json"], cwd=study)
    assert result.exit_code == 0, result.stderr
    outcomes = next(g for g in json.loads(result.stdout) if g["group"] == "course.outcomes")
    assert outcomes["percent_agreement"] == 1.0 and outcomes["disagreements"] == []
    assert "read with HEAD~1:framework.yaml" in result.stderr
    assert "codebook: course.outcomes.relapse → setback" in result.stderr
    both_old = run_cli(["agree", "HEAD~1:cases", "HEAD~1:cases", "--json"], cwd=study)
    assert both_old.exit_code == 0, both_old.stderr


def test_agree_finds_a_real_difference_across_a_rename(run_cli: Any, study: Path) -> None:
    _rename(run_cli, study)
    case = study / "cases" / "m01.yaml"
    text = case.read_text(encoding="utf-8")
    case.write_text(text[: text.index("    - code: setback")] + "  team_wide: true\n")
    result = run_cli(["agree", "HEAD~1:cases", "cases", "--json"], cwd=study)
    assert result.exit_code == 0, result.stderr
    outcomes = next(g for g in json.loads(result.stdout) if g["group"] == "course.outcomes")
    assert outcomes["disagreements"] == [
        {
            "case": "m01",
            "code": "course.outcomes.setback",
            "left": True,
            "right": False,
            "values": [True, False],
        }
    ]


# --- --framework REV:PATH -------------------------------------------------------------------


def test_framework_option_takes_a_revision(run_cli: Any, study: Path) -> None:
    _rename(run_cli, study)
    old = study / "old.yaml"
    old.write_text(git(study, "show", "HEAD~1:cases/m01.yaml"), encoding="utf-8")
    args = ["--framework", "HEAD~1:framework.yaml"]
    same = run_cli(["diff", *args, "--exit-code", "old.yaml", "HEAD~1:cases/m01.yaml"], cwd=study)
    assert (same.exit_code, same.stderr) == (0, "")
    copy = study / "old_cases"
    copy.mkdir()
    shutil.copy(old, copy / "m01.yaml")
    agreed = run_cli(["agree", *args, "old_cases", "HEAD~1:cases", "--json"], cwd=study)
    assert agreed.exit_code == 0, agreed.stderr
    assert all(g["disagreements"] == [] for g in json.loads(agreed.stdout))
    textconv = run_cli(["diff", "--textconv", *args, "old.yaml"], cwd=study)
    assert "course.outcomes: relapse [evidence: 1]" in textconv.stdout


@pytest.mark.parametrize(
    ("framework", "message"),
    [
        ("NOPE:framework.yaml", "unknown revision 'NOPE'"),
        ("HEAD:nothing.yaml", "'nothing.yaml' is not in revision 'HEAD'"),
    ],
)
def test_a_bad_framework_revision_is_a_usage_error(
    run_cli: Any, study: Path, framework: str, message: str
) -> None:
    for command in (["diff", "cases/m01.yaml", "cases/m01.yaml"], ["agree", "cases", "cases"]):
        result = run_cli([*command, "--framework", framework], cwd=study)
        assert result.exit_code == 2
        assert message in result.stderr and "Traceback" not in result.stderr


def test_a_broken_framework_in_a_revision_is_located(run_cli: Any, study: Path) -> None:
    framework = study / "framework.yaml"
    good = framework.read_text(encoding="utf-8")
    framework.write_text(good.replace("kind: multi", "kind: many", 1), encoding="utf-8")
    _commit(study, "a typo")
    framework.write_text(good, encoding="utf-8")
    _commit(study, "fixed")
    result = run_cli(["diff", "HEAD~1:cases/m01.yaml", "cases/m01.yaml"], cwd=study)
    assert result.exit_code == 1
    assert "HEAD~1:framework.yaml:" in result.stderr and "unknown-kind" in result.stderr


def test_a_revision_without_a_framework_uses_the_given_one(run_cli: Any, study: Path) -> None:
    """A study that moved: the revision has no framework.yaml where today's is."""
    git(study, "mv", "framework.yaml", "codebook.yaml")
    _commit(study, "renamed the framework file")
    result = run_cli(["diff", "--framework", "codebook.yaml", "--exit-code",
                      "HEAD~1:cases/m01.yaml", "cases/m01.yaml"], cwd=study)  # fmt: skip
    assert (result.exit_code, result.stderr) == (0, "")


# --- the textconv driver without a framework that fits --------------------------------------


def test_textconv_falls_back_to_the_data_key_by_key(run_cli: Any, study: Path) -> None:
    odd = study / "odd.yaml"
    odd.write_text("id: m01\ntitle: T\nprofile: {team: west, zz: [b, a]}\n", encoding="utf-8")
    result = run_cli(["diff", "--textconv", "--framework", "framework.yaml", "odd.yaml"],
                     cwd=study)  # fmt: skip
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith("# ol-analysis: valid against no framework.yaml")
    assert lines[1:] == ["id: m01", "profile.team: west", "profile.zz.0: b", "profile.zz.1: a",
                         "title: T"]  # fmt: skip


def test_textconv_outside_a_repository_needs_no_git(tmp_path: Path) -> None:
    shutil.copy(Path(__file__).parent.parent / "fixtures" / "mini" / "framework.yaml", tmp_path)
    raw = b"id: m01\ntitle: T\nprofile: {team: west}\n"
    shown = view(tmp_path / "x.yaml", raw, "framework.yaml", tmp_path)
    assert shown.endswith("id: m01\nprofile.team: west\ntitle: T\n")


def test_structure_view_is_stable() -> None:
    data = {"b": {"y": [1, {"k": None}], "x": "two  words\nhere"}, "a": [], "c": {}}
    assert structure_view(data) == ("a: []\nb.x: two words here\nb.y.0: 1\nb.y.1.k: null\nc: {}\n")
    assert sys.executable  # the driver in use_textconv runs this interpreter


# --- what the new codebook has no place for --------------------------------------------------


def test_a_group_the_new_codebook_dropped_shows_as_removed(run_cli: Any, study: Path) -> None:
    framework = study / "framework.yaml"
    text = framework.read_text(encoding="utf-8")
    block = text[text.index("      - id: team_wide") : text.index("  - id: reference")]
    framework.write_text(text.replace(block, ""), encoding="utf-8")
    case = study / "cases" / "m01.yaml"
    case.write_text(case.read_text(encoding="utf-8").replace("  team_wide: true\n", ""))
    _commit(study, "no more team_wide")
    result = run_cli(["diff", "--lang", "en", "--json", "HEAD~1:cases/m01.yaml", "cases/m01.yaml"],
                     cwd=study)  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == [
        {"path": "course.team_wide", "change": "removed", "old": True, "new": None}
    ]
    text_output = run_cli(["diff", "--lang", "en", "HEAD~1:cases/m01.yaml", "cases/m01.yaml"],
                          cwd=study).stdout  # fmt: skip
    assert "  - Whole team: true" in text_output.splitlines()
    use_textconv(study)
    shown = git(study, "show", "--no-color", "--format=", "HEAD", "--", "cases")
    assert changed_lines(shown) == ["-course.team_wide: true"]


def test_agree_reports_an_old_case_the_new_codebook_refuses(run_cli: Any, study: Path) -> None:
    """A group that became required: the old coding lacks it, located in the old file."""
    framework = study / "framework.yaml"
    text = framework.read_text(encoding="utf-8")
    framework.write_text(
        text.replace("      - id: age_group\n        kind: single\n",
                     "      - id: age_group\n        kind: single\n        required: true\n"),
        encoding="utf-8",
    )  # fmt: skip
    case = study / "cases" / "m01.yaml"
    case.write_text(
        case.read_text().replace("  team: north\n", "  team: north\n  age_group: 18_25\n")
    )
    _commit(study, "age group required")
    result = run_cli(["agree", "HEAD~1:cases", "cases"], cwd=study)
    assert result.exit_code == 1
    assert "HEAD~1:cases/m01.yaml:3:1: error[" in result.stderr
    assert "read with HEAD~1:framework.yaml, compared in framework.yaml" in result.stderr
    assert "Traceback" not in result.stderr
