"""Fixtures of the memo tests: copies of the example study (examples/transcripts-study), which
holds two memos, to add memos to or break."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "transcripts-study"


@pytest.fixture
def study(tmp_path: Path) -> Path:
    """A copy of the example study (its memos included, build outputs left out)."""
    target = tmp_path / "study"
    shutil.copytree(EXAMPLE, target, ignore=shutil.ignore_patterns("build", "__pycache__"))
    return target


@pytest.fixture
def diagnostics(run_cli: Any) -> Callable[[Path], tuple[int, list[dict[str, Any]]]]:
    """``validate --format json`` of a study: its exit code and the diagnostics."""

    def run(folder: Path) -> tuple[int, list[dict[str, Any]]]:
        result = run_cli(["validate", "--format", "json"], cwd=folder)
        return result.exit_code, json.loads(result.stdout)

    return run
