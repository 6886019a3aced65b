"""The command line through its entry point: output shapes and exit codes of the contract."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from ol_analysis.core.yamlsource import read_yaml

HERE = Path(__file__).parent
VALIDATE_FIXTURES = HERE.parent / "validate"
MINI_FRAMEWORK = HERE.parent / "fixtures" / "mini" / "framework.yaml"


def test_validate_is_quiet_and_exits_0_on_a_valid_study(run_cli: Any, mini_study: Path) -> None:
    result = run_cli(["validate"], cwd=mini_study)
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")


def test_validate_reports_every_problem_in_compiler_format(run_cli: Any, mini_study: Path) -> None:
    files = [
        str(VALIDATE_FIXTURES / "invalid" / name)
        for name in ("unknown_code.yaml", "duplicates.yaml")
    ]
    result = run_cli(["validate", *files], cwd=mini_study)
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert f"{files[1]}:8:3: error[duplicate-key]: duplicate key 'team' (first at line 7)" in lines
    assert (
        f"{files[0]}:9:7: error[unknown-code]: 'relapce' is not a code of course.outcomes" in lines
    )
    assert "  hint: did you mean 'relapse'?" in lines
    assert lines[-1] == "4 errors in 2 files (2 checked)"


def test_validate_json_format(run_cli: Any, mini_study: Path) -> None:
    path = str(VALIDATE_FIXTURES / "invalid" / "unknown_code.yaml")
    result = run_cli(["validate", "--format", "json", path], cwd=mini_study)
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert [(d["path"], d["line"], d["column"], d["severity"], d["rule"]) for d in data] == [
        (path, 9, 7, "error", "unknown-code")
    ]
    assert data[0]["hint"] == "did you mean 'relapse'?"
    assert set(data[0]) >= {"path", "line", "column", "severity", "rule", "message", "hint"}
    clean = run_cli(["validate", "--format", "json"], cwd=mini_study)
    assert (clean.exit_code, json.loads(clean.stdout)) == (0, [])


def test_usage_errors_exit_2(run_cli: Any, tmp_path: Path) -> None:
    missing_framework = run_cli(["validate"], cwd=tmp_path)
    assert missing_framework.exit_code == 2
    assert "framework file not found" in missing_framework.stderr
    bad_option = run_cli(["validate", "--format", "xml"], cwd=tmp_path)
    assert bad_option.exit_code == 2


def test_broken_framework_exits_1_with_its_diagnostics(run_cli: Any, tmp_path: Path) -> None:
    (tmp_path / "framework.yaml").write_text("framework: [\n", encoding="utf-8")
    (tmp_path / "cases").mkdir()
    result = run_cli(["validate"], cwd=tmp_path)
    assert result.exit_code == 1
    assert result.stderr.startswith("framework.yaml:2:1: error[yaml-syntax]")


def test_new_writes_a_scaffold_that_names_every_part(run_cli: Any, tmp_path: Path) -> None:
    (tmp_path / "framework.yaml").write_text(MINI_FRAMEWORK.read_text(encoding="utf-8"))
    result = run_cli(["new", "m09", "--title", "Een nieuwe casus: proef"], cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    text = (tmp_path / "cases" / "m09.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../build/schema.json\n")
    for part in ("profile:", "course:", "reference:"):
        assert f"\n{part}\n" in text
    assert "# codes: north (Noord), south (Zuid)" in text
    doc, problems = read_yaml(tmp_path / "cases" / "m09.yaml")
    assert problems == [] and doc is not None
    assert doc.data["title"] == "Een nieuwe casus: proef"
    # an unfilled scaffold names exactly what is left to fill in: its required single groups
    check = run_cli(["validate", "--format", "json"], cwd=tmp_path)
    todo = {(d["rule"], d["location"]) for d in json.loads(check.stdout)}
    assert todo == {("empty-value", "profile.team"), ("empty-value", "course.pattern")}
    again = run_cli(["new", "m09", "--title", "x"], cwd=tmp_path)
    assert again.exit_code == 2 and "already exists" in again.stderr
    bad_id = run_cli(["new", "../escape", "--title", "x"], cwd=tmp_path)
    assert bad_id.exit_code == 2 and not (tmp_path / "escape.yaml").exists()


def _schema(run_cli: Any, cwd: Path) -> dict[str, Any]:
    result = run_cli(["schema"], cwd=cwd)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_schema_is_draft_07_and_names_codes_with_labels(run_cli: Any, mini_study: Path) -> None:
    schema = _schema(run_cli, mini_study)
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert "$defs" not in json.dumps(schema)
    jsonschema.Draft7Validator.check_schema(schema)
    text = json.dumps(schema, ensure_ascii=False)
    assert '"const": "relapse"' in text and "terugval / relapse" in text


def _load(path: Path) -> Any:
    doc, _problems = read_yaml(path)
    assert doc is not None
    return json.loads(json.dumps(doc.data))


def test_schema_accepts_good_and_rejects_bad_fixtures(run_cli: Any, mini_study: Path) -> None:
    validator = jsonschema.Draft7Validator(_schema(run_cli, mini_study))
    good = [
        *sorted((mini_study / "cases").glob("*.yaml")),
        *sorted((VALIDATE_FIXTURES / "valid").glob("*.yaml")),
    ]
    for path in good:
        assert list(validator.iter_errors(_load(path))) == [], path
    rejected = [
        "unknown_code",
        "unknown_key",
        "wrong_types",
        "missing_part",
        "empty_value",
        "provenance",
    ]
    for name in rejected:
        assert list(validator.iter_errors(_load(VALIDATE_FIXTURES / "invalid" / f"{name}.yaml"))), (
            name
        )


def test_schema_out_writes_a_file(run_cli: Any, mini_study: Path, tmp_path: Path) -> None:
    target = tmp_path / "sub" / "schema.json"
    result = run_cli(["schema", "--out", str(target)], cwd=mini_study)
    assert result.exit_code == 0
    assert json.loads(target.read_text(encoding="utf-8"))["$schema"].endswith("draft-07/schema#")


def test_stats_json_lists_every_code_with_zero_counts(run_cli: Any, mini_study: Path) -> None:
    result = run_cli(["stats", "--json"], cwd=mini_study)
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["n_cases"] == 2
    counts = data["counts"]
    assert counts["course.outcomes.relapse"] == {"n": 0, "cases": []}
    assert counts["profile.age_group.18_25"] == {"n": 1, "cases": ["m01"]}
    # if…then statements count only cases whose record supports them
    assert counts["reference.if_then.statement.more_crises"] == {"n": 1, "cases": ["m01"]}
    assert counts["reference.if_then.statement.longer_recovery"] == {"n": 0, "cases": []}
    # a record field reusing another group's vocabulary counts under its own path
    assert counts["reference.moments.organisation.south"] == {"n": 1, "cases": ["m01"]}
    assert counts["course.team_wide"] == {"n": 1, "cases": ["m01"]}


def test_stats_text_shows_k_of_n_with_cases(run_cli: Any, mini_study: Path) -> None:
    result = run_cli(["stats", "--lang", "en"], cwd=mini_study)
    assert result.exit_code == 0
    row = next(line for line in result.stdout.splitlines() if "outcomes.stability" in line)
    assert "stability" in row and "1/2" in row and "m01" in row


def test_matrix_json_of_the_if_then_matrix(run_cli: Any, mini_study: Path) -> None:
    result = run_cli(["matrix", "--json"], cwd=mini_study)
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {
        "group": "reference.if_then",
        "rows": ["more_crises", "longer_recovery"],
        "cases": ["m01", "m02"],
        "cells": {
            "more_crises": {"m01": "supports", "m02": "contested"},
            "longer_recovery": {"m01": "contested", "m02": None},
        },
        "totals": {"more_crises": 1, "longer_recovery": 0},
    }


def test_matrix_of_a_multi_group_ordered_by_a_profile_attribute(
    run_cli: Any, mini_study: Path
) -> None:
    result = run_cli(
        ["matrix", "course.pattern", "--json", "--order-by", "profile.team"], cwd=mini_study
    )
    data = json.loads(result.stdout)
    assert data["cases"] == ["m01", "m02"]
    assert data["cells"]["stable"] == {"m01": False, "m02": True}
    reverse = run_cli(
        ["matrix", "course.pattern", "--json", "--order-by", "course.pattern.stable"],
        cwd=mini_study,
    )
    assert json.loads(reverse.stdout)["cases"] == ["m02", "m01"]
    unknown = run_cli(["matrix", "course.patern"], cwd=mini_study)
    assert unknown.exit_code == 2 and "did you mean 'course.pattern'" in unknown.stderr


def test_stats_on_an_invalid_study_exits_1(run_cli: Any, tmp_path: Path) -> None:
    (tmp_path / "framework.yaml").write_text(MINI_FRAMEWORK.read_text(encoding="utf-8"))
    (tmp_path / "cases").mkdir()
    (tmp_path / "cases" / "x.yaml").write_text("id: x\ntitle: [\n", encoding="utf-8")
    result = run_cli(["stats", "--json"], cwd=tmp_path)
    assert result.exit_code == 1 and result.stdout == ""
    assert "error[yaml-syntax]" in result.stderr


def test_python_dash_m_is_the_same_program(mini_study: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ol_analysis", "validate"],
        cwd=mini_study,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


@pytest.mark.parametrize("command", ["validate", "new", "schema", "stats", "matrix"])
def test_every_command_has_help_and_is_in_the_readme(run_cli: Any, command: str) -> None:
    result = run_cli([command, "--help"])
    assert result.exit_code == 0 and "Usage" in result.stdout
    readme = (HERE.parents[1] / "README.md").read_text(encoding="utf-8")
    assert f"ol-analysis {command}" in readme
