"""`agree` pairs cases whose ids YAML reads as numbers (``id: 0012``) by the id as typed, and
reports a case id used twice in the words of ``validate``."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent


def _numbered(source: Path, target: Path) -> None:
    """A copy of a coder's cases with ids ``0001``, ``0002``, … instead of their names."""
    target.mkdir()
    for number, case in enumerate(sorted(source.glob("*.yaml")), start=1):
        new_id = f"{number:04d}"
        text = case.read_text(encoding="utf-8").replace(f"id: {case.stem}\n", f"id: {new_id}\n")
        (target / f"{new_id}.yaml").write_text(text, encoding="utf-8")


def test_numeric_case_ids_are_compared(run_cli: Any, mini_study: Path, tmp_path: Path) -> None:
    left, right = tmp_path / "a", tmp_path / "b"
    _numbered(HERE / "fixtures" / "coder_a", left)
    _numbered(HERE / "fixtures" / "coder_a", right)
    shutil.copy(mini_study / "framework.yaml", tmp_path / "framework.yaml")
    result = run_cli(["agree", "a", "b", "--json", "--group", "course.outcomes"], cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    (group,) = json.loads(result.stdout)
    cases = len(list(left.glob("*.yaml")))
    assert group["percent_agreement"] == 1.0 and group["units"] > 0 and cases > 1


def test_a_revision_reports_a_duplicate_id_as_validate_does(
    run_cli: Any, mini_study: Path, tmp_path: Path
) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    shutil.copy(mini_study / "framework.yaml", tmp_path / "framework.yaml")
    shutil.copytree(HERE / "fixtures" / "coder_a", tmp_path / "cases")
    shutil.copy(tmp_path / "cases" / "k1.yaml", tmp_path / "cases" / "k9.yaml")
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org"}
    env |= {"GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "coder a"]):
        subprocess.run(["git", *args], cwd=tmp_path, check=True, env={**os.environ, **env})
    validated = run_cli(["validate"], cwd=tmp_path)
    assert "error[duplicate-case]: case id 'k1' is also used by cases/k1.yaml" in validated.stderr
    result = run_cli(["agree", "HEAD:cases", "cases"], cwd=tmp_path)
    assert result.exit_code == 1
    assert "error[duplicate-case]: case id 'k1' is also used by HEAD:cases/k1.yaml" in result.stderr
    assert "hint: give each case its own id" in result.stderr
