"""Shared test fixtures: paths of the shipped study and the synthetic fixture studies, and a way
to run the command line in-process through its entry point."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ol_analysis.cli import app

REPO_ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens",
        action="store_true",
        default=False,
        help="Rewrite golden files from the current output (review the diff before committing).",
    )


@pytest.fixture
def update_goldens(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-goldens"))


@pytest.fixture
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture
def mini_study() -> Path:
    """A small synthetic study exercising every kind of group and field."""
    return FIXTURES / "mini"


@dataclass
class CliResult:
    exit_code: int
    stdout: str
    stderr: str


@pytest.fixture
def run_cli() -> Iterator[object]:
    """Run ``ol-analysis ARGS`` in-process from a working folder; returns exit code and output."""
    runner = CliRunner()

    def run(args: Sequence[str], cwd: Path | None = None) -> CliResult:
        previous = Path.cwd()
        if cwd is not None:
            os.chdir(cwd)
        try:
            result = runner.invoke(app, list(args), catch_exceptions=False)
        finally:
            os.chdir(previous)
        return CliResult(result.exit_code, result.stdout, result.stderr)

    yield run


@pytest.fixture(scope="session")
def replicated(tmp_path_factory: pytest.TempPathFactory) -> Callable[[int], Path]:
    """A study of ``n`` cases: the shipped framework, and the shipped cases copied under new ids
    (c01 → c01x0, c01x1, …) until there are ``n`` (as ``benchmarks/run.py`` replicates them)."""
    shipped = sorted((REPO_ROOT / "cases").glob("c*.yaml"))

    def make(n: int) -> Path:
        study = tmp_path_factory.mktemp(f"replicated-{n}")
        (study / "cases").mkdir()
        shutil.copy(REPO_ROOT / "framework.yaml", study / "framework.yaml")
        for index in range(n):
            source = shipped[index % len(shipped)]
            new_id = f"{source.stem}x{index // len(shipped)}"
            text = source.read_text(encoding="utf-8")
            text = text.replace(f"id: {source.stem}", f"id: {new_id}", 1)
            (study / "cases" / f"{new_id}.yaml").write_text(text, encoding="utf-8")
        return study

    return make
