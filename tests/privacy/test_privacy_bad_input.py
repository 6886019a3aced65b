"""Bad input to ``privacy``: lists that cannot be read, a list given that is not there, no
framework. Each is a usage error (exit 2) that names the file; a scan never passes silently on
input it did not read."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest


@pytest.fixture
def study(tmp_path: Path, mini_study: Path) -> Path:
    root = tmp_path / "study"
    shutil.copytree(mini_study, root)
    return root


def test_a_deny_list_that_is_not_utf8(run_cli: Any, study: Path, tmp_path: Path) -> None:
    deny = tmp_path / "deny.txt"
    deny.write_bytes(b"Jan Jansen\nJos\xe9 Smit\n")
    result = run_cli(["privacy", "--deny-list", str(deny)], cwd=study)
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: deny-list {deny} is not UTF-8 (byte 0xe9 at offset 14); save it as UTF-8\n"
    )


def test_a_deny_list_with_a_byte_order_mark_matches_its_first_name(
    run_cli: Any, study: Path, tmp_path: Path
) -> None:
    deny = tmp_path / "deny.txt"
    deny.write_bytes("\ufeffEerste\n".encode())
    (study / "cases" / "m01.yaml").write_text("id: m01\ntitle: Eerste casus\n", "utf-8")
    result = run_cli(["privacy", "--deny-list", str(deny)], cwd=study)
    assert result.exit_code == 1
    assert "cases/m01.yaml:2:8: error[privacy-name]" in result.stderr


def test_a_deny_list_that_is_a_folder(run_cli: Any, study: Path, tmp_path: Path) -> None:
    result = run_cli(["privacy", "--deny-list", str(tmp_path)], cwd=study)
    assert result.exit_code == 2
    assert result.stderr == f"error: deny-list is a folder, not a file: {tmp_path}\n"


def test_an_allow_list_given_but_missing(run_cli: Any, study: Path) -> None:
    result = run_cli(["privacy", "--allow-list", "allow.yaml"], cwd=study)
    assert result.exit_code == 2
    assert result.stderr == "error: allow-list not found: allow.yaml\n"
    # the default allow-list is optional
    assert run_cli(["privacy"], cwd=study).exit_code == 0


def test_no_framework_is_a_usage_error(run_cli: Any, study: Path) -> None:
    result = run_cli(["privacy", "--framework", "nope.yaml"], cwd=study)
    assert result.exit_code == 2
    assert result.stderr == "error: framework file not found: nope.yaml\n"
