"""The package's layering is a contract (``[tool.importlinter]`` in pyproject.toml), and the
commands that only read a study never load the report's libraries."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import ol_analysis

REPO = Path(__file__).resolve().parents[2]
REPORT_LIBRARIES = ("jinja2", "networkx", "matplotlib", "docx", "markdown_it")


def test_import_linter_contracts_are_kept() -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from importlinter.cli import lint_imports; "
            "sys.exit(lint_imports(config_filename='pyproject.toml', no_cache=True))",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    if "No module named importlinter" in result.stderr:
        pytest.fail("import-linter is part of the test extra: pip install -e '.[test]'")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 kept, 0 broken" in result.stdout


def test_the_layering_contract_names_every_subpackage() -> None:
    config = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    package = REPO / "ol_analysis"
    for entry in sorted(package.iterdir()):
        if entry.name.startswith("_") or entry.name in ("templates", "py.typed"):
            continue
        module = entry.stem if entry.suffix == ".py" else entry.name
        if entry.is_dir() or entry.suffix == ".py":
            assert f'"ol_analysis.{module}' in config or f" ol_analysis.{module}" in config, module


def test_validate_imports_no_report_library(repo_root: Path) -> None:
    code = (
        "import sys\n"
        "from ol_analysis.cli import app\n"
        "try:\n"
        "    app(['validate'])\n"
        "except SystemExit as done:\n"
        "    assert done.code == 0, done.code\n"
        f"loaded = [m for m in {REPORT_LIBRARIES!r} if m in sys.modules]\n"
        "print(','.join(loaded))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=repo_root, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


def test_the_facade_lists_only_its_public_names() -> None:
    assert dir(ol_analysis) == list(ol_analysis.__all__)
    for name in ol_analysis.__all__:
        assert getattr(ol_analysis, name) is not None, name
    with pytest.raises(AttributeError):
        ol_analysis.no_such_name  # noqa: B018


def test_report_names_load_lazily() -> None:
    code = (
        "import sys, ol_analysis\n"
        "assert 'jinja2' not in sys.modules\n"
        "ol_analysis.build_report\n"
        "assert 'jinja2' in sys.modules\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_every_public_name_is_documented() -> None:
    for name in ol_analysis.__all__:
        value = getattr(ol_analysis, name)
        if name == "__version__":
            continue
        assert (value.__doc__ or "").strip(), f"ol_analysis.{name} has no docstring"
