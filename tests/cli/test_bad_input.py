"""Bad input to validate, new, schema and matrix: a message that says what is wrong and what to
do, a non-zero exit, and never a traceback."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from ol_analysis.core.study import check_study


def _study(tmp_path: Path, mini_study: Path) -> Path:
    root = tmp_path / "study"
    shutil.copytree(mini_study, root)
    return root


def test_a_folder_given_as_a_case_file_is_named_a_folder(mini_study: Path, tmp_path: Path) -> None:
    folder = tmp_path / "x.yaml"
    folder.mkdir()
    check = check_study(mini_study / "framework.yaml", [folder])
    assert [(d.rule, d.message) for d in check.diagnostics] == [
        ("unreadable", "a folder, not a case file")
    ]


def test_validate_checks_the_cases_of_a_folder_among_its_files(
    run_cli: Any, mini_study: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "more"
    folder.mkdir()
    shutil.copy(mini_study / "cases" / "m01.yaml", folder / "m01.yaml")
    (folder / "broken.yaml").write_text("id: broken\ntitle: [\n", encoding="utf-8")
    result = run_cli(["validate", "--format", "json", str(folder)], cwd=mini_study)
    assert result.exit_code == 1
    assert [d["path"] for d in json.loads(result.stdout)] == [str(folder / "broken.yaml")]
    empty = tmp_path / "empty"
    empty.mkdir()
    quiet = run_cli(["validate", str(empty)], cwd=mini_study)
    assert (quiet.exit_code, quiet.stderr) == (0, f"warning: no case files (*.yaml) in {empty}\n")


def test_framework_and_cases_of_the_wrong_kind(
    run_cli: Any, mini_study: Path, tmp_path: Path
) -> None:
    folder = run_cli(["validate", "--framework", str(tmp_path)], cwd=mini_study)
    assert folder.exit_code == 2
    assert folder.stderr == f"error: framework file is a folder, not a file: {tmp_path}\n"
    file = run_cli(["validate", "--cases", "framework.yaml"], cwd=mini_study)
    assert file.exit_code == 2
    assert file.stderr == "error: cases folder is a file, not a folder: framework.yaml\n"


def test_an_empty_framework_gets_a_framework_hint(run_cli: Any, tmp_path: Path) -> None:
    (tmp_path / "framework.yaml").write_text("", encoding="utf-8")
    (tmp_path / "cases").mkdir()
    result = run_cli(["validate"], cwd=tmp_path)
    assert result.exit_code == 1
    assert "framework.yaml:1:1: error[empty-file]" in result.stderr
    assert "ol-analysis new" not in result.stderr
    assert "hint: a framework has 'framework', 'evidence' and 'parts'" in result.stderr


def test_validate_warns_about_an_empty_cases_folder(
    run_cli: Any, mini_study: Path, tmp_path: Path
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run_cli(["validate", "--cases", str(empty)], cwd=mini_study)
    assert result.exit_code == 0
    assert result.stderr == f"warning: no case files (*.yaml) in {empty}\n"
    as_json = run_cli(["validate", "--cases", str(empty), "--format", "json"], cwd=mini_study)
    assert json.loads(as_json.stdout) == []


def test_schema_out_under_a_file(run_cli: Any, mini_study: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    result = run_cli(["schema", "--out", str(blocker / "schema.json")], cwd=mini_study)
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: cannot write {blocker / 'schema.json'}: {blocker} is a file, not a folder\n"
    )


def test_new_into_a_cases_path_that_is_a_file(
    run_cli: Any, mini_study: Path, tmp_path: Path
) -> None:
    study = _study(tmp_path, mini_study)
    result = run_cli(["new", "m09", "--title", "x", "--cases", "framework.yaml"], cwd=study)
    assert result.exit_code == 2
    assert "framework.yaml is a file, not a folder" in result.stderr


def test_new_force_onto_a_folder_keeps_the_folder(
    run_cli: Any, mini_study: Path, tmp_path: Path
) -> None:
    study = _study(tmp_path, mini_study)
    (study / "cases" / "m09.yaml").mkdir()
    result = run_cli(["new", "m09", "--title", "x", "--force"], cwd=study)
    assert result.exit_code == 2
    assert result.stderr == "error: cannot write cases/m09.yaml: it is a folder\n"
    assert (study / "cases" / "m09.yaml").is_dir()


def test_matrix_of_a_part_names_its_groups(run_cli: Any, mini_study: Path) -> None:
    result = run_cli(["matrix", "course"], cwd=mini_study)
    assert result.exit_code == 2
    assert "'course' is a part; name one of its groups: course.pattern" in result.stderr
    integer = run_cli(["matrix", "profile.severity"], cwd=mini_study)
    assert integer.exit_code == 2
    assert "'profile.severity' is an integer group" in integer.stderr
