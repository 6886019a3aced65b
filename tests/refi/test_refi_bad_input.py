"""Bad input to ``import`` and ``export`` of REFI-QDA files: folders, pipes, foreign roots and
outputs that cannot be written. Each is a usage error (exit 2) that names the path."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest


@pytest.mark.parametrize("kind", ["codebook", "refi"])
def test_a_folder_given_as_the_file(run_cli: Any, tmp_path: Path, kind: str) -> None:
    result = run_cli(["import", kind, str(tmp_path), "--out", str(tmp_path / "new")])
    assert result.exit_code == 2
    assert result.stderr == f"error: {tmp_path}: is a folder, not a file\n"


def test_a_codebook_read_from_a_pipe(run_cli: Any, mini_study: Path, tmp_path: Path) -> None:
    qdc = tmp_path / "study.qdc"
    assert run_cli(["export", "codebook", "--out", str(qdc)], cwd=mini_study).exit_code == 0
    read, write = os.pipe()
    with os.fdopen(write, "wb") as sink:
        sink.write(qdc.read_bytes())
    try:
        result = run_cli(["import", "codebook", f"/dev/fd/{read}"])
    finally:
        os.close(read)
    assert result.exit_code == 0, result.stderr
    assert "parts:" in result.stdout


def test_a_root_element_in_another_namespace(run_cli: Any, tmp_path: Path) -> None:
    qdc = tmp_path / "other.qdc"
    qdc.write_text('<?xml version="1.0"?><CodeBook xmlns="urn:other"/>', encoding="utf-8")
    result = run_cli(["import", "codebook", str(qdc)])
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: {qdc}: the root element is CodeBook in namespace urn:other, expected CodeBook "
        "in namespace urn:QDA-XML:codebook:1.0\n"
    )


def test_import_outputs_under_a_file(run_cli: Any, mini_study: Path, tmp_path: Path) -> None:
    qdc, qdpx = tmp_path / "study.qdc", tmp_path / "study.qdpx"
    run_cli(["export", "codebook", "--out", str(qdc)], cwd=mini_study)
    run_cli(["export", "refi", "--out", str(qdpx)], cwd=mini_study)
    blocker = tmp_path / "file"
    blocker.write_text("keep", encoding="utf-8")
    codebook = run_cli(["import", "codebook", str(qdc), "--out", str(blocker / "fw.yaml")])
    assert codebook.exit_code == 2
    assert f"{blocker} is a file, not a folder" in codebook.stderr
    project = run_cli(["import", "refi", str(qdpx), "--out", str(blocker / "study")])
    assert project.exit_code == 2
    assert f"{blocker} is a file, not a folder" in project.stderr
    folder = run_cli(["import", "codebook", str(qdc), "--out", str(tmp_path), "--force"])
    assert folder.exit_code == 2
    assert folder.stderr == f"error: cannot write {tmp_path}: it is a folder\n"
    assert blocker.read_text(encoding="utf-8") == "keep"
