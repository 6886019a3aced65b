"""``fmt`` and work in progress: an invalid draft is left as it is with its problems as
warnings (the pre-commit hook does not block it), and a warning never fails ``fmt``."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

MINI = Path(__file__).resolve().parents[1] / "fixtures" / "mini"


def test_fmt_leaves_an_invalid_draft_alone(run_cli: Any, tmp_path: Path) -> None:
    shutil.copytree(MINI, tmp_path, dirs_exist_ok=True)
    assert run_cli(["fmt"], cwd=tmp_path).exit_code == 0  # the mini cases in canonical form
    assert run_cli(["new", "m03", "--title", "Half af"], cwd=tmp_path).exit_code == 0
    draft = tmp_path / "cases" / "m03.yaml"
    before = draft.read_bytes()
    result = run_cli(["fmt", "--check"], cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    assert "cases/m03.yaml:" in result.stderr and "warning[empty-value]" in result.stderr
    assert run_cli(["fmt"], cwd=tmp_path).exit_code == 0
    assert draft.read_bytes() == before
    # the same file, no longer a draft, is refused as before
    draft.write_text(before.decode("utf-8").replace("status: draft", "status: feedback"), "utf-8")
    refused = run_cli(["fmt", "--check"], cwd=tmp_path)
    assert refused.exit_code == 1
    assert "error[empty-value]" in refused.stderr


def test_a_warning_does_not_fail_fmt(run_cli: Any, tmp_path: Path) -> None:
    shutil.copytree(MINI, tmp_path, dirs_exist_ok=True)
    case = tmp_path / "cases" / "m01.yaml"
    case.write_text(
        case.read_text(encoding="utf-8").replace("when: 2020-03", "when: maart 2020"), "utf-8"
    )
    result = run_cli(["fmt"], cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    assert "warning[date-label]" in result.stderr
    assert 'when: "maart 2020"' in case.read_text(encoding="utf-8")  # formatted, kept
