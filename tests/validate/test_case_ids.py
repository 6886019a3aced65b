"""Case ids that YAML reads as numbers, file names that are no ids, and tabs: each case is
counted or reported, never silently dropped."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import ol_analysis


def _study(tmp_path: Path, mini_study: Path) -> Path:
    root = tmp_path / "study"
    shutil.copytree(mini_study, root)
    return root


def _renamed(study: Path, old: str, new_id: str, file_name: str) -> Path:
    source = study / "cases" / f"{old}.yaml"
    text = source.read_text(encoding="utf-8").replace(f"id: {old}\n", f"id: {new_id}\n", 1)
    source.unlink()
    target = study / "cases" / file_name
    target.write_text(text, encoding="utf-8")
    return target


def test_a_numeric_case_id_is_a_case(run_cli: Any, mini_study: Path, tmp_path: Path) -> None:
    study = _study(tmp_path, mini_study)
    _renamed(study, "m02", "0012", "0012.yaml")
    assert run_cli(["validate"], cwd=study).exit_code == 0
    loaded = ol_analysis.load_study(study)
    assert list(loaded.cases) == ["0012", "m01"]
    assert ol_analysis.stats(loaded)["n_cases"] == 2


def test_a_numeric_id_that_differs_from_the_file_name(
    run_cli: Any, mini_study: Path, tmp_path: Path
) -> None:
    study = _study(tmp_path, mini_study)
    _renamed(study, "m02", "12", "m02.yaml")
    result = run_cli(["validate"], cwd=study)
    assert result.exit_code == 1
    assert "cases/m02.yaml:1:5: error[id-mismatch]: id '12' differs" in result.stderr


def test_numeric_ids_are_told_apart(run_cli: Any, mini_study: Path, tmp_path: Path) -> None:
    study = _study(tmp_path, mini_study)
    _renamed(study, "m01", "12", "12.yaml")
    _renamed(study, "m02", "12", "m02.yaml")
    result = run_cli(["validate"], cwd=study)
    assert "error[duplicate-case]: case id '12' is also used by cases/12.yaml" in result.stderr


def test_the_id_hint_never_suggests_an_invalid_id(
    run_cli: Any, mini_study: Path, tmp_path: Path
) -> None:
    study = _study(tmp_path, mini_study)
    _renamed(study, "m02", "m02", "m02 copy.yaml")
    result = run_cli(["validate"], cwd=study)
    assert result.exit_code == 1
    assert "  hint: rename the file to m02.yaml\n" in result.stderr
    assert "set id: m02 copy" not in result.stderr
    # a file name that is a valid id is still offered as one
    (study / "cases" / "m02 copy.yaml").rename(study / "cases" / "m03.yaml")
    assert "or set id: m03" in run_cli(["validate"], cwd=study).stderr


def test_a_tab_in_the_indentation_says_so(run_cli: Any, mini_study: Path, tmp_path: Path) -> None:
    study = _study(tmp_path, mini_study)
    case = study / "cases" / "m01.yaml"
    case.write_text(
        case.read_text(encoding="utf-8").replace("  team: north", "\tteam: north"), "utf-8"
    )
    result = run_cli(["validate"], cwd=study)
    assert result.exit_code == 1
    assert "cases/m01.yaml:4:1: error[yaml-syntax]" in result.stderr
    assert "hint: YAML does not allow a tab here: indent with spaces" in result.stderr
