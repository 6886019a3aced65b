"""A feedback round end to end, as two analyst subgroups run it in git (issue 16, "done when").

One temporary repository, one story, checked at every step:

1. the study is committed on ``main`` and ``git-setup`` installs the diff driver;
2. subgroup A codes on its branch; ``main`` then renames a code (``rename-code``) and subgroup B
   branches from there, codes the same cases and adds a new case that is still an invalid draft;
3. review: ``agree`` compares the two branches across the rename (A's old code is read with A's
   own codebook), ``diff`` shows a case between the branches in analysis terms, and
   ``git log -p`` shows the rename commit as a codebook change through the textconv driver;
4. merging both branches conflicts in one case file: ``validate`` reports each conflict as a
   located ``merge-conflict`` (not as YAML), and the counting commands refuse to count it;
5. resolved and committed, the study is valid although the draft is not: ``validate`` exits 0
   with the draft's problems as warnings, ``stats`` counts the final cases only and says so;
6. ``git diff`` of a new edit works with a bare PATH, where only git is found and the driver is
   reached through the absolute command ``git-setup`` wrote.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
MINI = ROOT / "fixtures" / "mini"
BARE_PATH = "/usr/bin:/bin"

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


def git(repo: Path, *args: str, check: bool = True, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(
        ["git", "-c", "user.name=Analyst", "-c", "user.email=analyst@example.org", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    if check and result.returncode != 0:
        raise AssertionError(f"git {' '.join(args)}: {result.stderr}")
    return result.stdout


def edit(repo: Path, name: str, old: str, new: str) -> None:
    path = repo / "cases" / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def changed(diff: str) -> list[str]:
    return [
        line
        for line in diff.splitlines()
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    study = tmp_path / "study"
    shutil.copytree(MINI, study)
    git(study, "init", "-q", "-b", "main")
    git(study, "add", ".")
    git(study, "commit", "-q", "-m", "the study: framework and first codings")
    return study


def test_a_feedback_round_end_to_end(run_cli: Any, repo: Path) -> None:
    # 1. the diff driver, committed with the study
    setup = run_cli(["git-setup"], cwd=repo)
    assert setup.exit_code == 0, setup.stderr
    git(repo, "add", ".gitattributes")
    git(repo, "commit", "-q", "-m", "semantic diffs of case files")

    # 2a. subgroup A codes m02 on its own branch (before the rename)
    git(repo, "switch", "-q", "-c", "subgroup-a")
    edit(repo, "m02.yaml", "  outcomes: []", "  outcomes:\n    - stability\n    - relapse")
    git(repo, "commit", "-q", "-am", "subgroup A: outcomes of m02")

    # 2b. main renames a code; subgroup B branches from there
    git(repo, "switch", "-q", "main")
    rename = run_cli(["rename-code", "course.outcomes.stability", "steady"], cwd=repo)
    assert rename.exit_code == 0, rename.stderr
    assert "rename course.outcomes.stability to steady" in rename.stdout
    git(repo, "commit", "-q", "-am", "codebook: stability is now steady")
    git(repo, "switch", "-q", "-c", "subgroup-b")
    edit(repo, "m02.yaml", "  outcomes: []", "  outcomes:\n    - steady")
    assert run_cli(["new", "m03", "--title", "Nog bezig"], cwd=repo).exit_code == 0
    git(repo, "add", "cases/m03.yaml")
    git(repo, "commit", "-q", "-am", "subgroup B: outcomes of m02, a new case started")

    # the unfinished draft blocks nobody on B's branch: it is checked, reported, not counted
    counted = run_cli(["stats", "--format", "json"], cwd=repo)
    assert counted.exit_code == 0, counted.stderr
    assert json.loads(counted.stdout)["n_cases"] == 2
    assert "cases/m03.yaml:" in counted.stderr and "warning[" in counted.stderr
    assert "m03 (draft" in counted.stderr

    # 3a. agree across the rename: A's 'stability' is read with A's codebook and compared as
    # 'steady'; only 'relapse' differs, in m02; the draft m03 (B only) stops nothing
    agreed = run_cli(
        ["agree", "subgroup-a:cases", "subgroup-b:cases", "--format", "json"], cwd=repo
    )
    assert agreed.exit_code == 0, agreed.stderr
    groups = {g["group"]: g for g in json.loads(agreed.stdout)}
    outcomes = groups["course.outcomes"]
    assert [(d["case"], d["code"], d["left"], d["right"]) for d in outcomes["disagreements"]] == [
        ("m02", "course.outcomes.relapse", True, False)
    ]
    assert "stability → steady" in agreed.stderr  # the translation is said, not hidden

    # 3b. diff between the branches, in analysis terms and in the newer codebook's names
    diffed = run_cli(
        ["diff", "subgroup-a:cases/m02.yaml", "subgroup-b:cases/m02.yaml", "--format", "json"],
        cwd=repo,
    )
    assert diffed.exit_code == 0, diffed.stderr
    changes = {(c["path"], c["change"], c.get("new")) for c in json.loads(diffed.stdout)}
    assert changes == {
        ("course.outcomes.stability", "codebook", "course.outcomes.steady"),  # the rename
        ("course.outcomes.relapse", "removed", None),  # the one coding that differs
    }

    # 3c. git log -p shows the rename commit as the codebook change and its consequence
    log = git(repo, "log", "-p", "-1", "--no-color", "main", "--", "cases/m01.yaml")
    assert "codebook: stability is now steady" in log
    assert "-course.outcomes: stability" not in changed(log)
    assert any("codebook" in line and "steady" in line for line in changed(log)), log

    # 4. merging both subgroups conflicts in m02: located merge-conflict diagnostics
    git(repo, "switch", "-q", "main")
    git(repo, "merge", "-q", "--no-edit", "subgroup-b")
    merged = subprocess.run(
        ["git", "-c", "user.name=A", "-c", "user.email=a@example.org", "merge", "subgroup-a"],
        cwd=repo,
        capture_output=True,
        text=True,
        check=False,
    )
    assert merged.returncode != 0  # a conflict
    conflicted = (repo / "cases" / "m02.yaml").read_text(encoding="utf-8")
    start = conflicted.splitlines().index("<<<<<<< HEAD") + 1
    checked = run_cli(["validate"], cwd=repo)
    assert checked.exit_code == 1
    assert f"cases/m02.yaml:{start}:1: error[merge-conflict]" in checked.stderr
    assert "subgroup-a" in checked.stderr and "yaml-syntax" not in checked.stderr
    assert run_cli(["stats"], cwd=repo).exit_code == 1  # a conflicted case is not counted

    # 5. resolved (B's 'steady' plus A's 'relapse'): valid, the draft's problems are warnings
    theirs = git(repo, "show", "subgroup-b:cases/m02.yaml")
    (repo / "cases" / "m02.yaml").write_text(
        theirs.replace("    - steady\n", "    - steady\n    - relapse\n"), encoding="utf-8"
    )
    git(repo, "commit", "-q", "-am", "merge subgroup A: m02 resolved")
    checked = run_cli(["validate"], cwd=repo)
    assert checked.exit_code == 0, checked.stderr
    assert "cases/m03.yaml" in checked.stderr and "--strict makes them errors" in checked.stderr
    assert run_cli(["validate", "--strict"], cwd=repo).exit_code == 1
    counted = run_cli(["stats", "--format", "json"], cwd=repo)
    assert counted.exit_code == 0
    result = json.loads(counted.stdout)
    assert result["n_cases"] == 2
    assert result["counts"]["course.outcomes.steady"]["cases"] == ["m01", "m02"]
    status = run_cli(["status", "--format", "json"], cwd=repo)
    listed = {c["id"]: c for s in json.loads(status.stdout)["subgroups"] for c in s["cases"]}
    assert listed["m03"]["status"] == "draft" and listed["m03"]["errors"] > 0

    # 6. git diff with a bare PATH: only git is found, the driver through its absolute command
    git_program = shutil.which("git", path=BARE_PATH)
    if git_program is None:
        pytest.skip("git is not in /usr/bin or /bin")
    assert shutil.which("ol-analysis", path=BARE_PATH) is None
    edit(repo, "m02.yaml", "    - relapse\n", "")
    env = {"PATH": BARE_PATH, "HOME": str(repo), "LANG": os.environ.get("LANG", "C.UTF-8")}
    shown = subprocess.run(
        [git_program, "diff", "--no-color", "-U0"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert shown.returncode == 0, shown.stderr
    assert changed(shown.stdout) == ["-course.outcomes: relapse"]


def test_a_revision_folder_is_read_as_a_working_folder_is(run_cli: Any, repo: Path) -> None:
    """``agree REV:cases cases`` sees the cases in subfolders and with any suffix case, as the
    working folder's ``cases/`` is read (so both sides hold the same cases)."""
    (repo / "cases" / "round-2").mkdir()
    git(repo, "mv", "cases/m02.yaml", "cases/round-2/m02.YML")
    git(repo, "commit", "-q", "-m", "m02 in a subfolder")
    result = run_cli(["agree", "HEAD:cases", "cases", "--format", "json"], cwd=repo)
    assert result.exit_code == 0, result.stderr
    assert "only in" not in result.stderr
    groups = json.loads(result.stdout)
    assert groups and all(g["only_left"] == [] and g["only_right"] == [] for g in groups)
    assert {g["units"] for g in groups if g["group"] == "profile.team"} == {2}


def test_an_invalid_draft_does_not_block_a_rename(run_cli: Any, repo: Path) -> None:
    """The codebook can change while a case is half coded: the draft is rewritten with the
    others, its own problems stay warnings."""
    assert run_cli(["new", "m03", "--title", "Half af"], cwd=repo).exit_code == 0
    draft = repo / "cases" / "m03.yaml"
    text = draft.read_text(encoding="utf-8")
    draft.write_text(text.replace("  outcomes: []", "  outcomes: [stability]", 1), "utf-8")
    result = run_cli(["rename-code", "course.outcomes.stability", "steady"], cwd=repo)
    assert result.exit_code == 0, result.stderr
    assert "cases/m03.yaml:" in result.stdout  # the draft's coding is renamed too
    assert "outcomes: [steady]" in draft.read_text(encoding="utf-8")
    assert run_cli(["validate"], cwd=repo).exit_code == 0
