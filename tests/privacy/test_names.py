"""Dutch person names through the optional deduce extra: found when it is installed (skipped
cleanly without it); asked for without it, a usage error. Nothing else depends on it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ol_analysis.privacy import names
from ol_analysis.privacy.outputs import OutputCheck, check_outputs


def test_names_are_found_with_deduce(tmp_path: Path) -> None:
    pytest.importorskip("deduce")
    page = tmp_path / "page.md"
    page.write_text("# c01\n\nZij belt met haar zus Tineke de Vries.\n", encoding="utf-8")
    found = check_outputs([page], OutputCheck(names=True))
    assert [(d.rule, d.line, d.severity.value) for d in found] == [
        ("privacy-person-name", 3, "warning")
    ]
    assert "Tineke de Vries" not in found[0].message  # masked
    assert check_outputs([page], OutputCheck()) == []  # off unless asked for


def test_names_without_deduce_is_a_usage_error(
    run_cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(names, "AVAILABLE", False)
    page = tmp_path / "page.md"
    page.write_text("Niets.\n", encoding="utf-8")
    result = run_cli(["privacy", "--names", str(page)], cwd=tmp_path)
    assert result.exit_code == 2
    assert "--names needs deduce" in result.stderr
    assert run_cli(["privacy", str(page)], cwd=tmp_path).exit_code == 0
