"""A migration that cannot stage its files (a read-only folder, a full disk) is a usage error
through the command line, with every file as it was; never a traceback."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest


def _snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


@pytest.mark.parametrize(("fail_at", "shown"), [(1, "framework.yaml"), (2, "cases/m01.yaml")])
def test_staging_that_fails_changes_nothing(
    run_cli: Any,
    mini_study: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    fail_at: int,
    shown: str,
) -> None:
    study = tmp_path / "study"
    shutil.copytree(mini_study, study)
    before = _snapshot(study)
    real_mkstemp = tempfile.mkstemp
    calls: list[object] = []

    def failing_mkstemp(*args: Any, **kwargs: Any) -> tuple[int, str]:
        calls.append(kwargs.get("dir"))
        if len(calls) == fail_at:
            raise PermissionError(13, "Permission denied")
        return real_mkstemp(*args, **kwargs)

    monkeypatch.setattr("ol_analysis.feedback.migrate.tempfile.mkstemp", failing_mkstemp)
    result = run_cli(["rename-code", "profile.team.north", "noord"], cwd=study)
    assert result.exit_code == 2
    assert result.stderr == f"error: cannot write {shown}: Permission denied; nothing changed\n"
    assert _snapshot(study) == before
