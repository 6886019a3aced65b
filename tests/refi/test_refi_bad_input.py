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


def _rewrite_note(qdpx: Path, target: Path, name: str, text: str) -> Path:
    """A copy of ``qdpx`` whose note ``name`` holds ``text`` (as if edited in another tool)."""
    import zipfile
    from xml.etree import ElementTree as ET

    ns = "urn:QDA-XML:project:1.0"
    with zipfile.ZipFile(qdpx) as archive:
        entries = {entry: archive.read(entry) for entry in archive.namelist()}
    ET.register_namespace("", ns)
    root = ET.fromstring(entries["project.qde"])
    note = next(n for n in root.iter(f"{{{ns}}}Note") if n.get("name") == name)
    content = note.find(f"{{{ns}}}PlainTextContent")
    assert content is not None
    content.text = text
    entries["project.qde"] = ET.tostring(root, encoding="utf-8")
    with zipfile.ZipFile(target, "w") as archive:
        for entry, data in entries.items():
            archive.writestr(entry, data)
    return target


def test_a_broken_carried_case_file_means_a_rebuild_and_a_loss(
    run_cli: Any, mini_study: Path, tmp_path: Path
) -> None:
    qdpx = tmp_path / "study.qdpx"
    assert run_cli(["export", "refi", "--out", str(qdpx)], cwd=mini_study).exit_code == 0
    first = sorted((mini_study / "cases").glob("*.yaml"))[0].stem
    broken = _rewrite_note(
        qdpx, tmp_path / "broken.qdpx", f"ol-analysis carrier: cases/{first}.yaml", "id: [\n"
    )
    result = run_cli(["import", "refi", str(broken), "--out", str(tmp_path / "new")])
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    assert "carrier notes were not used: they do not make a valid study" in result.stderr
    assert not (tmp_path / "new").exists()


def test_a_carried_manifest_cannot_write_outside_the_study(run_cli: Any, tmp_path: Path) -> None:
    import shutil

    example = Path(__file__).resolve().parents[2] / "examples" / "transcripts-study"
    study = tmp_path / "example"
    shutil.copytree(example, study, ignore=shutil.ignore_patterns("build", "templates"))
    qdpx = tmp_path / "study.qdpx"
    assert run_cli(["export", "refi", "--out", str(qdpx)], cwd=study).exit_code == 0
    manifest = (study / "sources" / "sources.yaml").read_text(encoding="utf-8")
    evil = manifest.replace("file: p01-interview.txt", "file: ../../../escaped.txt")
    changed = _rewrite_note(
        qdpx, tmp_path / "evil.qdpx", "ol-analysis carrier: sources/sources.yaml", evil
    )
    out = tmp_path / "deep" / "new"
    run_cli(["import", "refi", str(changed), "--out", str(out), "--accept-losses"])
    assert list(tmp_path.rglob("escaped.txt")) == [out / "sources" / "escaped.txt"]
