"""Mutations of the shipped cases through the command line: whatever an analyst's editor leaves
behind, `validate` answers with diagnostics and exit 0, 1 or 2 — never a traceback or a hang."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

REPO_ROOT = Path(__file__).resolve().parents[2]
SHIPPED = sorted((REPO_ROOT / "cases").glob("*.yaml"))


def mutate(text: str, operations: list[tuple[str, int, str]]) -> str:
    lines = text.splitlines(keepends=True)
    for operation, position, fragment in operations:
        if not lines:
            lines = [fragment]
            continue
        index = position % len(lines)
        line = lines[index]
        if operation == "delete":
            del lines[index]
        elif operation == "duplicate":
            lines.insert(index, line)
        elif operation == "indent":
            lines[index] = "  " + line
        elif operation == "dedent":
            lines[index] = line[2:] if line.startswith("  ") else line
        elif operation == "insert":
            column = position % (len(line) + 1)
            lines[index] = line[:column] + fragment + line[column:]
        elif operation == "truncate":
            lines = lines[: index + 1]
            lines[-1] = line[: position % (len(line) + 1)]
    return "".join(lines)


OPERATION = st.tuples(
    st.sampled_from(["delete", "duplicate", "indent", "dedent", "insert", "truncate"]),
    st.integers(0, 10_000),
    st.sampled_from(
        [
            ":",
            "- ",
            "&a ",
            "*a",
            "!!python/object ",
            "'",
            '"',
            "[",
            "}",
            "\t",
            "relapce",
            "18_25",
            "no",
            "~",
            "\ufffd",
            "# x",
            "\n",
            "---\n",
        ]
    ),
)


@pytest.fixture(scope="module")
def study(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("study")
    shutil.copy(REPO_ROOT / "framework.yaml", root / "framework.yaml")
    (root / "cases").mkdir()
    return root


@pytest.mark.skipif(not SHIPPED, reason="the shipped study has no cases")
@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(case=st.sampled_from(SHIPPED), operations=st.lists(OPERATION, min_size=1, max_size=4))
def test_mutated_case_gives_diagnostics_not_tracebacks(
    run_cli: Any, study: Path, case: Path, operations: list[tuple[str, int, str]]
) -> None:
    target = study / "cases" / case.name
    target.write_text(mutate(case.read_text(encoding="utf-8"), operations), encoding="utf-8")
    result = run_cli(["validate", "--format", "json", str(target)], cwd=study)
    assert result.exit_code in (0, 1, 2)
    assert "Traceback" not in result.stderr
    if result.exit_code == 1:
        assert result.stdout.startswith("[")
