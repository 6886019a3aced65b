"""What a person sees in a terminal: help without Python types, --version, and tables that
never cut a number or an id, at 80 columns and when piped."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

import ol_analysis

COMMANDS = [
    ["validate"], ["status"], ["new"], ["schema"], ["privacy"], ["stats"], ["matrix"],
    ["fmt"], ["diff"], ["git-setup"], ["agree"], ["rename-code"], ["merge-codes"], ["build"],
    ["serve"], ["export", "refi"], ["export", "csv"], ["import", "refi"],
]  # fmt: skip


def test_version(run_cli: Any) -> None:
    result = run_cli(["--version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == f"ol-analysis {ol_analysis.__version__}"


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_help_shows_no_python_types(run_cli: Any, command: list[str]) -> None:
    result = run_cli([*command, "--help"])
    assert result.exit_code == 0
    assert not re.search(r"<(list\[|str>|int|Path|float|bool)", result.stdout), result.stdout


@pytest.fixture
def narrow(monkeypatch: pytest.MonkeyPatch) -> None:
    """An 80-column terminal."""
    monkeypatch.setattr("ol_analysis.cli.count.out", Console(width=80, highlight=False))


def test_matrix_at_80_columns_cuts_nothing(run_cli: Any, repo_root: Path, narrow: None) -> None:
    result = run_cli(["matrix"], cwd=repo_root)
    assert result.exit_code == 0
    assert "…" not in result.stdout
    header = next(line for line in result.stdout.splitlines() if "c01" in line)
    assert all(f"c{i:02d}" in header for i in range(1, 12)) and "total" in header
    assert "+ supports" in result.stdout  # the legend of the status marks
    assert max(len(line) for line in result.stdout.splitlines()) <= 80


def test_stats_at_80_columns_cuts_nothing(run_cli: Any, repo_root: Path, narrow: None) -> None:
    result = run_cli(["stats"], cwd=repo_root)
    assert result.exit_code == 0
    assert "…" not in result.stdout
    assert "team.hoogeveen_de_wolden (Hoogeveen/De Wolden): 3/11" in result.stdout
    counts = ol_analysis.stats(ol_analysis.load_study(repo_root))["counts"]
    text = " ".join(result.stdout.split())
    for path, entry in counts.items():
        if entry["n"] and path.startswith("profile."):
            assert ", ".join(entry["cases"]) in text, path


def test_stats_text_lists_integer_groups(run_cli: Any, repo_root: Path) -> None:
    result = run_cli(["stats"], cwd=repo_root)
    assert "severity_start (" in result.stdout
    assert re.search(r"c01 \d+, c02 \d+", result.stdout)


def test_piped_tables_are_not_cut(run_cli: Any, repo_root: Path) -> None:
    result = run_cli(["stats"], cwd=repo_root)  # CliRunner's stdout is not a terminal
    assert "…" not in result.stdout


@pytest.mark.parametrize("command", [["stats"], ["matrix"], ["status"]])
def test_format_json_and_the_old_json_flag_agree(
    run_cli: Any, repo_root: Path, command: list[str]
) -> None:
    new = run_cli([*command, "--format", "json"], cwd=repo_root)
    old = run_cli([*command, "--json"], cwd=repo_root)
    assert new.exit_code == old.exit_code == 0
    assert json.loads(new.stdout) == json.loads(old.stdout)
