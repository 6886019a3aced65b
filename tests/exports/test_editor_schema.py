"""The generated JSON Schema, checked by a validator we did not write: ``check-jsonschema``.

The shipped case files are handed to it as they are: ``ol-analysis fmt`` writes every code id
that a YAML 1.1 reader would take for a number (``"18_25"``) in quotes, so every reader agrees.
Hand-written fixtures that are not in ``fmt``'s form are converted first, and here is why:
check-jsonschema
parses YAML with ruamel, which reads ``age_group: 18_25`` as the integer 1825 (it accepts
underscores in numbers, a YAML 1.1 habit). Our file format is YAML 1.2 core schema, where
``18_25`` is the text an analyst typed, and so is the YAML language server in VS Code (the
``yaml`` npm package, YAML 1.2 core). Run on the raw YAML, check-jsonschema would fail every
case with such a code (that is shown below, so the reason stays visible) — not because the
schema is wrong but because it read a different document. Converting with
:func:`ol_analysis.core.yamlsource.read_yaml` keeps the test honest: the schema is unchanged, the
data is what the editor and ``ol-analysis validate`` see, and the validator is independent.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from ol_analysis import load_framework
from ol_analysis.core.schema import schema_text
from ol_analysis.core.yamlsource import read_yaml

TESTS = Path(__file__).resolve().parents[1]
REPO = TESTS.parent
STUDIES = {
    "shipped": REPO,
    "mini": TESTS / "fixtures" / "mini",
    "interop": TESTS / "exports" / "study",
}

pytestmark = pytest.mark.skipif(
    shutil.which("check-jsonschema") is None, reason="check-jsonschema is not installed"
)


def _check(schema: Path, files: list[Path]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["check-jsonschema", "--no-cache", "--schemafile", str(schema), *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _as_json(case: Path, folder: Path) -> Path:
    doc, problems = read_yaml(case)
    assert doc is not None, problems
    target = folder / f"{case.stem}.json"
    target.write_text(json.dumps(doc.data, ensure_ascii=False), encoding="utf-8")
    return target


def _schema(study: Path, folder: Path) -> Path:
    schema = folder / "schema.json"
    schema.write_text(schema_text(load_framework(study / "framework.yaml")), encoding="utf-8")
    return schema


@pytest.mark.parametrize("name", STUDIES)
def test_case_files_are_valid_against_the_generated_schema(name: str, tmp_path: Path) -> None:
    study = STUDIES[name]
    cases = sorted((study / "cases").glob("*.yaml"))
    assert cases, f"no case files in {study}"
    converted = [_as_json(case, tmp_path) for case in cases]
    result = _check(_schema(study, tmp_path), converted)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_schema_rejects_a_bad_case(tmp_path: Path) -> None:
    study = STUDIES["mini"]
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps(
            {
                "id": "m09",
                "title": "Fout",
                "profile": {"team": "west", "age_group": 1825},
                "course": {"pattern": "stable", "outcomes": ["stability"], "colour": "red"},
            }
        ),
        encoding="utf-8",
    )
    result = _check(_schema(study, tmp_path), [bad])
    assert result.returncode == 1
    report = result.stdout + result.stderr
    assert "west" in report and "1825" in report and "colour" in report


def test_a_missing_required_part_is_rejected(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"id": "m09", "title": "Zonder delen"}), encoding="utf-8")
    result = _check(_schema(STUDIES["mini"], tmp_path), [bad])
    assert result.returncode == 1 and "required" in result.stdout + result.stderr


def test_the_shipped_cases_pass_as_they_are(tmp_path: Path) -> None:
    """No conversion step: the files an analyst commits, read by ruamel's YAML 1.1 rules."""
    cases = sorted((REPO / "cases").glob("*.yaml"))
    result = _check(_schema(REPO, tmp_path), cases)
    assert result.returncode == 0, result.stdout + result.stderr


def test_fmt_makes_a_case_pass_as_it_is(tmp_path: Path, run_cli: Any) -> None:
    study = STUDIES["mini"]
    copy = tmp_path / "study"
    shutil.copytree(study, copy)
    assert run_cli(["fmt"], cwd=copy).exit_code == 0
    result = _check(_schema(copy, tmp_path), sorted((copy / "cases").glob("*.yaml")))
    assert result.returncode == 0, result.stdout + result.stderr


def test_why_unformatted_yaml_is_converted_first(tmp_path: Path) -> None:
    """check-jsonschema on the raw YAML reads 18_25 as 1825 (see the module docstring)."""
    study = STUDIES["mini"]
    raw = _check(_schema(study, tmp_path), [study / "cases" / "m01.yaml"])
    converted = _check(_schema(study, tmp_path), [_as_json(study / "cases" / "m01.yaml", tmp_path)])
    assert converted.returncode == 0
    if raw.returncode == 0:
        pytest.skip("this check-jsonschema reads 18_25 as text; the conversion is still harmless")
    assert "1825" in raw.stdout + raw.stderr


def test_the_example_vscode_settings_point_case_files_at_the_schema() -> None:
    settings = json.loads((REPO / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    assert settings["yaml.schemas"] == {"./build/schema.json": ["cases/*.yaml", "cases/*.yml"]}
    assert settings["yaml.yamlVersion"] == "1.2"
    docs = (REPO / "docs" / "editor-setup.md").read_text(encoding="utf-8")
    assert "# yaml-language-server: $schema=../build/schema.json" in docs
    assert "ol-analysis schema --out build/schema.json" in docs
