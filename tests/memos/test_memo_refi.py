"""Memos as REFI-QDA notes: the project validates against the XSD, each memo's note is
referenced from its targets, and ``import refi`` writes the memos back into ``memos/``."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import xmlschema

from ol_analysis.core.memos import read_memos, squash
from ol_analysis.interop.refi.documents import document_guid
from ol_analysis.interop.refi.memos import memo_guid
from ol_analysis.interop.refi.text import guid

REPO = Path(__file__).resolve().parents[2]
XSD = REPO / "tests" / "refi" / "xsd" / "Project.xsd"
P = "{urn:QDA-XML:project:1.0}"


def export(run_cli: Any, study: Path) -> Path:
    qdpx = study.parent / "study.qdpx"
    result = run_cli(["export", "refi", "--out", str(qdpx)], cwd=study)
    assert result.exit_code == 0, result.stderr
    return qdpx


def project(qdpx: Path) -> ET.Element:
    with zipfile.ZipFile(qdpx) as archive:
        return ET.fromstring(archive.read("project.qde"))


def refs(element: ET.Element) -> set[str]:
    return {r.get("targetGUID", "") for r in element.findall(f"{P}NoteRef")}


def test_the_project_with_memos_validates_against_the_xsd(study: Path, run_cli: Any) -> None:
    qdpx = export(run_cli, study)
    with zipfile.ZipFile(qdpx) as archive:
        xmlschema.XMLSchema(str(XSD)).validate(archive.read("project.qde").decode("utf-8"))


def test_each_memo_is_a_note_referenced_from_its_targets(study: Path, run_cli: Any) -> None:
    root = project(export(run_cli, study))
    notes = {n.get("guid"): n for n in root.iterfind(f"{P}Notes/{P}Note")}
    case_memo, study_memo = memo_guid("p02-thuisdetox"), memo_guid("vertrouwen-eerst")
    assert notes[case_memo].get("name") == "De thuisdetox als keerpunt"
    assert notes[case_memo].get("creationDateTime") == "2024-05-02T00:00:00Z"
    users = {u.get("guid"): u.get("name") for u in root.iter(f"{P}User")}
    assert users[notes[case_memo].get("creatingUser")] == "analyst-a"
    assert "**thuisdetox**" in (notes[case_memo].findtext(f"{P}PlainTextContent") or "")
    # the study: the project; a part: its code in the codebook
    assert study_memo in refs(root) and case_memo not in refs(root)
    codes = {c.get("guid"): c for c in root.iter(f"{P}Code")}
    assert study_memo in refs(codes[guid("support")])
    # a case: its text source; a quote: the selections that hold it (case text and transcript)
    sources = {s.get("guid"): s for s in root.iter(f"{P}TextSource")}
    assert case_memo in refs(sources[guid("source:p02")])
    assert case_memo not in refs(sources[guid("source:p01")])
    quoted = [
        owner
        for owner in (guid("source:p02"), document_guid("p02-casusbespreking"))
        for s in sources[owner].findall(f"{P}PlainTextSelection")
        if case_memo in refs(s)
    ]
    assert sorted(quoted) == sorted([guid("source:p02"), document_guid("p02-casusbespreking")])
    for selection in root.iter(f"{P}PlainTextSelection"):
        if case_memo in refs(selection):
            assert "samen een thuisdetox voorbereid" in squash(selection.get("name") or "")


def _memo_facts(folder: Path) -> list[tuple[Any, ...]]:
    memos, problems = read_memos(folder)
    assert problems == []
    return [(m.id, m.title, m.author, m.date, [t.key for t in m.targets], m.text) for m in memos]


def test_import_writes_the_memos_back(study: Path, run_cli: Any, tmp_path: Path) -> None:
    qdpx = export(run_cli, study)
    out = tmp_path / "imported"
    result = run_cli(["import", "refi", str(qdpx), "--out", str(out)])
    assert result.exit_code == 0, result.stderr  # no loss: the memos come back
    assert "framework.yaml, 3 case file(s) and 2 memo(s)" in result.stderr
    assert _memo_facts(out / "memos") == _memo_facts(study / "memos")
    assert run_cli(["validate"], cwd=out).exit_code == 0


def test_shipped_study_with_a_memo_round_trips(run_cli: Any, tmp_path: Path) -> None:
    study = tmp_path / "shipped"
    study.mkdir()
    for name in ("framework.yaml", "study.yaml"):
        if (REPO / name).is_file():
            shutil.copy(REPO / name, study)
    shutil.copytree(REPO / "cases", study / "cases", ignore=shutil.ignore_patterns("README*"))
    (study / "memos").mkdir()
    (study / "memos" / "c03.md").write_text(
        "---\ntitle: Test memo\nauthor: analyst-x\ntargets: [{case: c03}, study]\n---\nTekst.\n",
        encoding="utf-8",
    )
    before = run_cli(["stats", "--json"], cwd=study)
    qdpx = export(run_cli, study)
    out = tmp_path / "imported"
    result = run_cli(["import", "refi", str(qdpx), "--out", str(out)])
    assert result.exit_code == 0, result.stderr
    after = run_cli(["stats", "--json"], cwd=out)
    assert json.loads(after.stdout) == json.loads(before.stdout)
    assert _memo_facts(out / "memos") == _memo_facts(study / "memos")


def test_another_tools_note_is_still_reported(study: Path, run_cli: Any, tmp_path: Path) -> None:
    qdpx = export(run_cli, study)
    with zipfile.ZipFile(qdpx) as archive:
        entries = {n: archive.read(n) for n in archive.namelist()}
    text = entries["project.qde"].decode("utf-8")
    foreign = (
        '<Note guid="0f0f0f0f-0000-4000-8000-000000000001" name="Mijn notitie">'
        "<PlainTextContent>iets</PlainTextContent></Note>"
    )
    entries["project.qde"] = text.replace("</Notes>", foreign + "</Notes>", 1).encode("utf-8")
    changed = tmp_path / "changed.qdpx"
    with zipfile.ZipFile(changed, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    result = run_cli(["import", "refi", str(changed), "--out", str(tmp_path / "x")])
    assert result.exit_code == 1
    assert "refi-loss" in result.stderr and "Mijn notitie" in result.stderr
    assert "De thuisdetox" not in result.stderr
