"""The study folder is found upward from the working folder, as git finds its repository: a
command run in ``cases/`` (or deeper) works as from the study folder; options given still win;
with no study above, the error says where it looked."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from ol_analysis.cli.common import study_root

MINI = Path(__file__).resolve().parents[1] / "fixtures" / "mini"


@pytest.fixture
def study(tmp_path: Path) -> Path:
    folder = tmp_path / "study"
    shutil.copytree(MINI, folder)
    (folder / ".git").mkdir()  # a repository's top folder, as a study usually is
    (folder / "cases" / "round-2").mkdir()
    return folder


def test_study_root_stops_at_the_repository(study: Path, tmp_path: Path) -> None:
    assert study_root(study / "cases" / "round-2") == study
    assert study_root(study) == study
    outside = tmp_path / "elsewhere" / "deeper"
    outside.mkdir(parents=True)
    assert study_root(outside) is None
    # a framework.yaml above a repository's top folder belongs to something else
    (tmp_path / "framework.yaml").write_text("{}", encoding="utf-8")
    nested = tmp_path / "repo" / "sub"
    nested.mkdir(parents=True)
    (tmp_path / "repo" / ".git").mkdir()
    assert study_root(nested) is None


def test_commands_work_from_the_cases_folder(run_cli: Any, study: Path) -> None:
    for where in (study / "cases", study / "cases" / "round-2"):
        result = run_cli(["validate"], cwd=where)
        assert result.exit_code == 0, result.stderr
        stats = run_cli(["stats", "--format", "json"], cwd=where)
        assert json.loads(stats.stdout)["n_cases"] == 2
    # a file named on the command line is relative to the working folder, as always
    assert run_cli(["validate", "m01.yaml"], cwd=study / "cases").exit_code == 0
    # diagnostics name files relative to the working folder
    (study / "cases" / "m01.yaml").write_text(
        (study / "cases" / "m01.yaml").read_text(encoding="utf-8").replace("north", "nort"),
        encoding="utf-8",
    )
    result = run_cli(["validate"], cwd=study / "cases" / "round-2")
    assert result.exit_code == 1
    assert result.stderr.startswith("../m01.yaml:")


def test_options_given_still_win(run_cli: Any, study: Path, tmp_path: Path) -> None:
    other = tmp_path / "other-cases"
    other.mkdir()
    shutil.copy(study / "cases" / "m01.yaml", other / "m01.yaml")
    result = run_cli(["stats", "--format", "json", "--cases", str(other)], cwd=study / "cases")
    assert json.loads(result.stdout)["n_cases"] == 1


def test_outputs_go_to_the_study_folder(run_cli: Any, study: Path) -> None:
    result = run_cli(["new", "m03", "--title", "Nieuw"], cwd=study / "cases" / "round-2")
    assert result.exit_code == 0, result.stderr
    assert (study / "cases" / "m03.yaml").is_file()
    result = run_cli(["schema", "--out", "schema.json"], cwd=study / "cases")
    assert (study / "cases" / "schema.json").is_file()  # a given --out is where it says


def test_no_study_above_says_where_it_looked(run_cli: Any, tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    result = run_cli(["validate"], cwd=tmp_path)
    assert result.exit_code == 2
    assert "framework file not found: framework.yaml" in result.stderr
    assert "no framework.yaml here or in a folder above" in result.stderr
