"""The pre-commit hooks and the CI example of docs/study-ci.md stay true to the CLI."""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from ol_analysis.cli import app
from ol_analysis.core.yamlsource import parse_text

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "study-ci.md"


def _blocks(language: str) -> list[str]:
    text = DOC.read_text(encoding="utf-8")
    return [
        body for lang, body in re.findall(r"```(\w*)\n(.*?)```", text, re.S) if lang == language
    ]


def _commands() -> set[str]:
    import typer.main

    group = typer.main.get_command(app)
    return set(group.commands)  # type: ignore[attr-defined]


def test_hooks_manifest() -> None:
    doc, problems = parse_text(
        ".pre-commit-hooks.yaml", (ROOT / ".pre-commit-hooks.yaml").read_text()
    )
    assert doc is not None and not problems
    hooks = {hook["id"]: hook for hook in doc.data}
    assert set(hooks) == {"ol-analysis-validate", "ol-analysis-fmt-check", "ol-analysis-privacy"}
    for hook in hooks.values():
        assert hook["language"] == "python"
        assert hook["entry"].split()[0] == "ol-analysis"
    assert hooks["ol-analysis-validate"]["pass_filenames"] is False
    assert re.search(hooks["ol-analysis-validate"]["files"], "cases/c04.yaml")
    assert re.search(hooks["ol-analysis-validate"]["files"], "framework.yaml")
    assert not re.search(hooks["ol-analysis-fmt-check"]["files"], "framework.yaml")
    assert re.search(hooks["ol-analysis-fmt-check"]["files"], "study.yaml")
    assert hooks["ol-analysis-privacy"]["pass_filenames"] is False
    assert re.search(hooks["ol-analysis-privacy"]["files"], "cases/c04.yaml")


def test_workflow_example_runs_real_commands(run_cli) -> None:  # type: ignore[no-untyped-def]
    workflow_text = _blocks("yaml")[1]
    doc, problems = parse_text("study.yml", workflow_text)
    assert doc is not None and not problems
    runs = [step["run"] for step in doc.data["jobs"]["check"]["steps"] if "run" in step]
    lines = [line.strip() for run in runs for line in run.splitlines()]
    used = [shlex.split(line) for line in lines if line.startswith("ol-analysis ")]
    assert [words[1] for words in used] == [
        "validate", "fmt", "build", "export", "export", "export", "privacy", "agree",
    ]  # fmt: skip
    known = _commands()
    for words in used:
        if words[1] not in known:
            continue  # a command another part of the toolkit adds
        command = words[1:3] if words[1] in ("export", "import") else words[1:2]
        help_text = run_cli([*command, "--help"]).stdout
        for option in (w for w in words[2:] if w.startswith("--")):
            assert option in help_text, (words[1], option)


def test_workflow_example_is_a_valid_github_workflow(tmp_path: Path) -> None:
    if shutil.which("check-jsonschema") is None:
        pytest.skip("check-jsonschema is not installed")
    workflow = tmp_path / "study.yml"
    workflow.write_text(_blocks("yaml")[1], encoding="utf-8")
    result = subprocess.run(
        ["check-jsonschema", "--builtin-schema", "vendor.github-workflows", str(workflow)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_problem_matcher_matches_our_diagnostics(run_cli, mini_study: Path) -> None:  # type: ignore[no-untyped-def]
    matcher = json.loads(_blocks("json")[0])["problemMatcher"][0]["pattern"][0]
    regexp = re.compile(matcher["regexp"])
    cases = ROOT / "tests" / "review" / "fixtures" / "cases"
    args = ["validate", "--strict", "--framework", str(mini_study / "framework.yaml")]
    result = run_cli([*args, "--cases", str(cases)])
    lines = [line for line in result.stderr.splitlines() if not line.startswith(" ")][:-1]
    assert lines
    for line in lines:
        match = regexp.match(line)
        assert match is not None, line
        assert match.group(matcher["severity"]) in ("error", "warning")
        assert Path(match.group(matcher["file"])).is_file()
