"""``ol-analysis diff``: hand-written expected change lists, text output, exit codes, REV:PATH."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from gitrepo import git

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures"
CASES = sorted(p.name for p in FIXTURES.iterdir() if p.is_dir())
MINI = HERE.parent / "fixtures" / "mini" / "framework.yaml"

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def _diff(run_cli, *args: str, cwd: Path | None = None):
    return run_cli(["diff", "--framework", str(MINI), *args], cwd=cwd)


@pytest.mark.parametrize("name", CASES)
def test_json_matches_the_expected_change_list(name: str, run_cli) -> None:
    folder = FIXTURES / name
    result = _diff(run_cli, "--json", str(folder / "old.yaml"), str(folder / "new.yaml"))
    assert result.exit_code == 0, result.stderr
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    assert json.loads(result.stdout) == expected


@pytest.mark.parametrize("name", CASES)
def test_a_version_against_itself_has_no_changes(name: str, run_cli) -> None:
    path = str(FIXTURES / name / "new.yaml")
    result = _diff(run_cli, "--exit-code", path, path)
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")


def test_text_output_is_grouped_by_part_with_labels(run_cli) -> None:
    folder = FIXTURES / "codes_and_evidence"
    result = _diff(run_cli, "--lang", "en", str(folder / "old.yaml"), str(folder / "new.yaml"))
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith("--- ") and lines[1].startswith("+++ ")
    assert lines.index("Profile [profile]") < lines.index("Course [course]")
    assert "  ~ Team: North [north] → South [south]" in lines
    assert "  + Outcomes: relapse" in lines
    assert "  - Outcomes: stability" in lines
    dutch = _diff(run_cli, str(folder / "old.yaml"), str(folder / "new.yaml")).stdout
    assert "Kenmerken [profile]" in dutch and "  ~ Team: Noord [north] → Zuid [south]" in dutch


def test_exit_code_option_signals_differences(run_cli) -> None:
    folder = FIXTURES / "records"
    args = ("--exit-code", str(folder / "old.yaml"), str(folder / "new.yaml"))
    assert _diff(run_cli, *args).exit_code == 1
    assert _diff(run_cli, *args[1:]).exit_code == 0


def test_invalid_input_gives_diagnostics_and_exit_1(tmp_path: Path, run_cli) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: m01\ntitle: T\nprofile: {team: west}\n", encoding="utf-8")
    result = _diff(run_cli, str(bad), str(FIXTURES / "records" / "new.yaml"))
    assert result.exit_code == 1
    assert f"{bad}:3:17: error[unknown-code]" in result.stderr
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: [m01\n", encoding="utf-8")
    result = _diff(run_cli, str(broken), str(broken))
    assert result.exit_code == 1 and "error[yaml-syntax]" in result.stderr


def test_missing_file_is_a_usage_error(run_cli) -> None:
    result = _diff(run_cli, "nowhere.yaml", str(FIXTURES / "records" / "new.yaml"))
    assert result.exit_code == 2
    assert "no such file: nowhere.yaml" in result.stderr


def test_new_is_required_without_textconv(run_cli) -> None:
    assert _diff(run_cli, str(FIXTURES / "records" / "new.yaml")).exit_code == 2


# --- REV:PATH through a temporary git repository --------------------------------------------


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A study in git: the mini framework and one case, committed, then edited."""
    shutil.copy(MINI, tmp_path / "framework.yaml")
    (tmp_path / "cases").mkdir()
    case = tmp_path / "cases" / "m01.yaml"
    shutil.copy(FIXTURES / "records" / "old.yaml", case)
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "first coding")
    shutil.copy(FIXTURES / "records" / "new.yaml", case)
    return tmp_path


@needs_git
def test_revision_against_working_file(repo: Path, run_cli) -> None:
    result = run_cli(["diff", "--json", "main:cases/m01.yaml", "cases/m01.yaml"], cwd=repo)
    assert result.exit_code == 0, result.stderr
    expected = json.loads((FIXTURES / "records" / "expected.json").read_text(encoding="utf-8"))
    assert json.loads(result.stdout) == expected


@needs_git
def test_revision_against_revision(repo: Path, run_cli) -> None:
    git(repo, "commit", "-q", "-am", "second coding")
    result = run_cli(["diff", "--json", "HEAD~1:cases/m01.yaml", "HEAD:cases/m01.yaml"], cwd=repo)
    assert result.exit_code == 0, result.stderr
    assert len(json.loads(result.stdout)) == 5
    staged = run_cli(["diff", "--exit-code", ":cases/m01.yaml", "cases/m01.yaml"], cwd=repo)
    assert staged.exit_code == 0  # the index holds what was committed last


@needs_git
@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("nosuchbranch:cases/m01.yaml", "unknown revision 'nosuchbranch'"),
        ("main:cases/m99.yaml", "'cases/m99.yaml' is not in revision 'main'"),
    ],
)
def test_unknown_revision_or_path_exits_2(repo: Path, run_cli, spec: str, message: str) -> None:
    result = run_cli(["diff", spec, "cases/m01.yaml"], cwd=repo)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


@needs_git
def test_revision_outside_a_repository_exits_2(tmp_path: Path, run_cli) -> None:
    shutil.copy(MINI, tmp_path / "framework.yaml")
    result = run_cli(["diff", "main:cases/m01.yaml", "main:cases/m01.yaml"], cwd=tmp_path)
    assert result.exit_code == 2
    assert "not inside a git repository" in result.stderr
