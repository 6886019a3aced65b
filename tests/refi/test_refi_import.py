"""REFI-QDA import: round trips keep every code, case and attribute; bad input is refused."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pytest

from ol_analysis import load_framework, load_study
from ol_analysis.analysis.codings import case_code_paths, code_paths, group_value
from ol_analysis.interop.refi.codebook import framework_yaml, import_codebook
from ol_analysis.interop.refi.export import export_codebook, export_project
from ol_analysis.interop.refi.project import import_project

TESTS = Path(__file__).resolve().parents[1]
REPO = TESTS.parent
STUDIES = {
    "interop": TESTS / "exports" / "study",
    "mini": TESTS / "fixtures" / "mini",
    "shipped": REPO,
}


def _profile(study: Any, case: Any) -> dict[str, Any]:
    """Profile values as comparable data: code sets for coded groups, values otherwise."""
    part = study.framework.part("profile")
    values = {}
    for group in part.groups if part else []:
        value = group_value(case, group)
        values[group.id] = (
            set([value] if isinstance(value, str) and group.is_coded else value)
            if (group.is_coded and value is not None)
            else value
        )
    return values


@pytest.mark.parametrize("name", STUDIES)
def test_round_trip_keeps_codes_cases_and_profile_values(name: str, tmp_path: Path) -> None:
    original = load_study(STUDIES[name])
    qdpx = tmp_path / "study.qdpx"
    qdpx.write_bytes(export_project(original))
    import_project(qdpx, tmp_path / "imported")
    imported = load_study(tmp_path / "imported")  # valid, or this raises StudyError
    assert list(imported.cases) == list(original.cases)
    assert set(code_paths(imported.framework)) == set(code_paths(original.framework))
    for case_id, case in original.cases.items():
        again = imported.cases[case_id]
        assert again.title == case.title
        assert set(case_code_paths(imported.framework, again)) == set(
            case_code_paths(original.framework, case)
        ), case_id
        assert _profile(imported, again) == _profile(original, case), case_id


def _without_carriers(data: bytes) -> bytes:
    """A project as another tool might save it: without the notes that carry the study files."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    root = ET.fromstring(entries["project.qde"])
    ns = "{urn:QDA-XML:project:1.0}"
    carriers = set()
    for parent in root.iter():
        for child in list(parent):
            if child.tag == f"{ns}Note" and child.get("name", "").startswith("ol-analysis carrier"):
                carriers.add(child.get("guid"))
                parent.remove(child)
    for parent in root.iter():
        for child in list(parent):
            if child.tag == f"{ns}NoteRef" and child.get("targetGUID") in carriers:
                parent.remove(child)
    ET.register_namespace("", ns[1:-1])
    entries["project.qde"] = ET.tostring(root, encoding="utf-8")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, entry in entries.items():
            archive.writestr(name, entry)
    return buffer.getvalue()


def test_round_trip_rebuilds_records_from_their_segments(tmp_path: Path) -> None:
    """Without the carried case files, records come back from the coded segments."""
    qdpx = tmp_path / "study.qdpx"
    qdpx.write_bytes(_without_carriers(export_project(load_study(STUDIES["interop"]))))
    result = import_project(qdpx, tmp_path / "imported", accept_losses=True)
    assert not result.carried and result.losses
    f01 = load_study(tmp_path / "imported").cases["f01"]
    professionals = [
        (r.discipline, r.organisation, r.casemanager) for r in f01.items("support.professionals")
    ]
    # the fields' type (a single code) comes back from the code descriptions' [id: …; type: code]
    assert professionals == [("psychiatrist", "ggz", None), ("nurse", "ggz", True)]
    if_then = [(r.statement, r.status) for r in f01.items("reference.if_then")]
    assert if_then == [("more_crises", "supports"), ("longer_recovery", "contested")]


@pytest.mark.parametrize("name", STUDIES)
def test_codebook_round_trip(name: str, tmp_path: Path) -> None:
    framework = load_framework(STUDIES[name] / "framework.yaml")
    qdc = tmp_path / "codebook.qdc"
    qdc.write_bytes(export_codebook(framework))
    text = framework_yaml(import_codebook(qdc), qdc.name)
    assert "# TODO: check nl/en" in text
    (tmp_path / "framework.yaml").write_text(text, encoding="utf-8")
    again = load_framework(tmp_path / "framework.yaml")
    assert set(code_paths(again)) == set(code_paths(framework))
    for path, code in framework.code_paths():
        copy = again.code(path)
        assert copy is not None and copy.label.nl == copy.label.en == code.label.nl
        assert copy.description == " ".join(code.description.split())
        assert copy.examples == [" ".join(e.split()) for e in code.examples]
    for _part, group in framework.groups():  # kinds, field types and status from the trailers
        again_group = again.group(group.path)
        if not (group.is_coded or group.kind == "bool" or any(f.is_coded for f in group.fields)):
            continue  # integer, number and text groups are variables, not codes
        assert again_group is not None and again_group.kind == group.kind, group.path
        assert again_group.status == group.status, group.path
        for fld in group.fields:
            again_field = again_group.field(fld.id)
            if fld.is_coded:
                assert again_field is not None and again_field.type == fld.type, fld.path


FOREIGN = """<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="another tool">
  <Codes>
    <Code guid="{00000000-0000-0000-0000-000000000001}" name="Gevoelens" isCodable="true">
      <Description>Emoties van de cliënt</Description>
      <Code guid="00000000-0000-0000-0000-000000000002" name="Boos!" isCodable="true"/>
      <Code guid="00000000-0000-0000-0000-000000000003" name="Blij" isCodable="true"/>
    </Code>
    <Code guid="00000000-0000-0000-0000-000000000004" name="Zorg" isCodable="false">
      <Code guid="00000000-0000-0000-0000-000000000005" name="Wachtlijst" isCodable="true"/>
      <Code guid="00000000-0000-0000-0000-000000000006" name="Hulpverleners" isCodable="false">
        <Code guid="00000000-0000-0000-0000-000000000007" name="Rol" isCodable="false">
          <Code guid="00000000-0000-0000-0000-000000000008" name="Arts" isCodable="true">
            <Code guid="00000000-0000-0000-0000-000000000009" name="Huisarts" isCodable="true"/>
          </Code>
        </Code>
        <Code guid="00000000-0000-0000-0000-00000000000a" name="Vast" isCodable="true"/>
      </Code>
    </Code>
    <Code guid="00000000-0000-0000-0000-00000000000b" name="Los" isCodable="true"/>
    <Code guid="00000000-0000-0000-0000-00000000000c" name="title" isCodable="true"/>
  </Codes>
</CodeBook>
"""


def test_foreign_codebook_becomes_a_valid_framework(tmp_path: Path) -> None:
    qdc = tmp_path / "Ander Boek.qdc"
    qdc.write_text(FOREIGN, encoding="utf-8")
    skeleton = import_codebook(qdc)
    (tmp_path / "framework.yaml").write_text(framework_yaml(skeleton, qdc.name), encoding="utf-8")
    framework = load_framework(tmp_path / "framework.yaml")
    assert framework.framework.id == "ander_boek"
    assert [p.id for p in framework.parts] == ["zorg", "codes"]
    zorg = framework.parts[0]
    assert [(g.id, g.kind) for g in zorg.groups] == [
        ("wachtlijst", "bool"),
        ("hulpverleners", "records"),
    ]
    rol = framework.group("zorg.hulpverleners")
    assert rol is not None and [(f.id, f.type) for f in rol.fields] == [
        ("rol", "codes"),
        ("vast", "bool"),
    ]
    assert [c.id for c in rol.fields[0].codes] == ["arts", "arts_huisarts"]
    assert {g.id: [c.id for c in g.codes] for g in framework.parts[1].groups} == {
        "gevoelens": ["gevoelens", "boos", "blij"],
        "other": ["los", "title"],
    }
    assert skeleton.paths["00000000-0000-0000-0000-000000000001"] == "codes.gevoelens.gevoelens"


def _bad_inputs(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    def zipped(name: str, entries: dict[str, bytes]) -> Path:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            for entry, data in entries.items():
                archive.writestr(entry, data)
        path = tmp_path / name
        path.write_bytes(buffer.getvalue())
        return path

    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        b'<Project xmlns="urn:QDA-XML:project:1.0" name="x">&lol2;</Project>'
    )
    text = tmp_path / "text.qdpx"
    text.write_text("not a zip", encoding="utf-8")
    return {
        "not a zip": (text, "not a REFI-QDA project"),
        "no project.qde": (zipped("empty.qdpx", {"sources/a.txt": b"x"}), "no project.qde"),
        "malformed": (zipped("bad.qdpx", {"project.qde": b"<Project><"}), "not well-formed"),
        "billion laughs": (zipped("lol.qdpx", {"project.qde": laughs}), "refused XML with a DTD"),
        "wrong root": (
            zipped("root.qdpx", {"project.qde": b'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"/>'}),
            "expected Project",
        ),
        "missing file": (tmp_path / "nope.qdpx", "no such file"),
    }


@pytest.mark.parametrize(
    "case",
    ["not a zip", "no project.qde", "malformed", "billion laughs", "wrong root", "missing file"],
)
def test_bad_projects_are_refused_with_a_clear_error(
    case: str, tmp_path: Path, run_cli: Any
) -> None:
    path, message = _bad_inputs(tmp_path)[case]
    result = run_cli(["import", "refi", str(path), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert message in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "out" / "framework.yaml").exists()


def test_bad_codebooks_are_refused(tmp_path: Path, run_cli: Any) -> None:
    entity = tmp_path / "entity.qdc"
    entity.write_text(
        '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><CodeBook>&e;</CodeBook>'
    )
    result = run_cli(["import", "codebook", str(entity)])
    assert result.exit_code == 2 and "refused XML" in result.stderr
    project_root = tmp_path / "project.qdc"
    project_root.write_text('<Project xmlns="urn:QDA-XML:project:1.0" name="p"/>')
    result = run_cli(["import", "codebook", str(project_root)])
    assert result.exit_code == 2 and "expected CodeBook" in result.stderr


def test_cli_export_then_import(tmp_path: Path, run_cli: Any) -> None:
    study = STUDIES["interop"]
    qdpx, qdc = tmp_path / "s.qdpx", tmp_path / "c.qdc"
    assert run_cli(["export", "refi", "--out", str(qdpx)], cwd=study).exit_code == 0
    assert (
        run_cli(["export", "codebook", "--out", str(qdc), "--lang", "en"], cwd=study).exit_code == 0
    )
    result = run_cli(["import", "codebook", str(qdc)])
    assert result.exit_code == 0 and result.stdout.startswith("# framework.yaml skeleton")
    result = run_cli(["import", "refi", str(qdpx), "--out", str(tmp_path / "new")])
    assert result.exit_code == 0, result.stderr
    assert "3 case file(s)" in result.stderr
    again = run_cli(["import", "refi", str(qdpx), "--out", str(tmp_path / "new")])
    assert again.exit_code == 2 and "--force" in again.stderr
    assert run_cli(["validate"], cwd=tmp_path / "new").exit_code == 0


def test_import_codebook_never_overwrites_without_force(tmp_path: Path, run_cli: Any) -> None:
    qdc = tmp_path / "c.qdc"
    qdc.write_text(FOREIGN, encoding="utf-8")
    target = tmp_path / "framework.yaml"
    target.write_text("keep me", encoding="utf-8")
    result = run_cli(["import", "codebook", str(qdc), "--out", str(target)])
    assert result.exit_code == 2 and target.read_text(encoding="utf-8") == "keep me"
    assert run_cli(["import", "codebook", str(qdc), "--out", str(target), "--force"]).exit_code == 0
    assert load_framework(target).parts


@pytest.mark.parametrize("name", STUDIES)
def test_without_carried_files_the_counts_still_survive(name: str, tmp_path: Path) -> None:
    """Even as another tool may save it (carrier notes dropped), the project keeps the counts:
    group kinds, single-code fields and what a status counts travel in the code descriptions
    (``[id: …; kind: …; status: …]``), so ``stats`` of the rebuilt study equals the original's
    (c05's contested if…then statements do not count as support)."""
    from ol_analysis import stats

    original = load_study(STUDIES[name])
    qdpx = tmp_path / "study.qdpx"
    qdpx.write_bytes(_without_carriers(export_project(original)))
    result = import_project(qdpx, tmp_path / "rebuilt", accept_losses=True)
    assert not result.carried
    rebuilt = load_study(tmp_path / "rebuilt")
    assert stats(rebuilt)["counts"] == stats(original)["counts"]
