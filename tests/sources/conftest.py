"""Fixtures of the sources tests: the example study (examples/transcripts-study) and copies of
it to break."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "transcripts-study"


@pytest.fixture
def example() -> Path:
    return EXAMPLE


@pytest.fixture
def example_copy(tmp_path: Path) -> Path:
    """A copy of the example study to change (build outputs left out)."""
    target = tmp_path / "study"
    shutil.copytree(EXAMPLE, target, ignore=shutil.ignore_patterns("build", "__pycache__"))
    return target


def find_line(path: Path, text: str) -> int:
    """The 1-based line of ``path`` where ``text`` first occurs."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if text in line:
            return number
    raise AssertionError(f"{text!r} not in {path}")


@pytest.fixture
def line_of() -> Callable[[Path, str], int]:
    return find_line
