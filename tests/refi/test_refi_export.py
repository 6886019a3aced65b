"""REFI-QDA export: valid against the official XSDs, deterministic, faithful to the study."""

from __future__ import annotations

import io
import uuid
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from ol_analysis import load_framework, load_study, stats
from ol_analysis.analysis.codings import case_code_paths, code_paths
from ol_analysis.interop.refi.export import export_codebook, export_project
from ol_analysis.interop.refi.text import NAMESPACE, guid

TESTS = Path(__file__).resolve().parents[1]
REPO = TESTS.parent
INTEROP_STUDY = TESTS / "exports" / "study"
MINI_STUDY = TESTS / "fixtures" / "mini"

P = "{urn:QDA-XML:project:1.0}"
C = "{urn:QDA-XML:codebook:1.0}"
STUDIES = {"interop": INTEROP_STUDY, "mini": MINI_STUDY, "shipped": REPO}


def _project(study_dir: Path) -> tuple[ET.Element, zipfile.ZipFile]:
    archive = zipfile.ZipFile(io.BytesIO(export_project(load_study(study_dir))))
    return ET.fromstring(archive.read("project.qde")), archive


@pytest.mark.parametrize("name", STUDIES)
def test_codebook_is_valid_against_codebook_xsd(name: str, codebook_xsd: object) -> None:
    data = export_codebook(load_framework(STUDIES[name] / "framework.yaml"))
    codebook_xsd.validate(data)  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", STUDIES)
def test_project_is_valid_against_project_xsd(name: str, project_xsd: object) -> None:
    archive = zipfile.ZipFile(io.BytesIO(export_project(load_study(STUDIES[name]))))
    project_xsd.validate(archive.read("project.qde"))  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", STUDIES)
def test_exports_are_byte_identical(name: str) -> None:
    framework = load_framework(STUDIES[name] / "framework.yaml")
    assert export_codebook(framework) == export_codebook(framework)
    assert export_project(load_study(STUDIES[name])) == export_project(load_study(STUDIES[name]))


def test_codebook_tree_guids_colours_and_codability() -> None:
    framework = load_framework(INTEROP_STUDY / "framework.yaml")
    root = ET.fromstring(export_codebook(framework))
    assert root.tag == f"{C}CodeBook"
    by_guid = {e.get("guid"): e for e in root.iter(f"{C}Code")}
    # every countable path is a codable code whose GUID is uuid5(namespace, dotted path)
    for path in code_paths(framework):
        element = by_guid[str(uuid.uuid5(NAMESPACE, path))]
        assert element.get("isCodable") == "true", path
    parts = root.findall(f"{C}Codes/{C}Code")
    assert [p.get("name") for p in parts][:2] == ["Kenmerken", "Beloop & uitkomst"]
    assert all(p.get("isCodable") == "false" for p in parts)
    profile = parts[0]
    assert {e.get("color") for e in profile.iter(f"{C}Code")} == {"#332288"}
    assert parts[1].get("color") == "#4477AA"
    team = profile.find(f"{C}Code")
    assert team is not None and team.get("isCodable") == "false"
    emmen = by_guid[guid("profile.team.emmen")]
    assert emmen.findtext(f"{C}Description") == "The Emmen team.\n\n[id: emmen]"
    field = by_guid[guid("support.professionals.discipline")]
    assert field.get("isCodable") == "false"
    assert [c.get("name") for c in field.findall(f"{C}Code")] == ["psychiater", "verpleegkundige"]


def test_codebook_in_english() -> None:
    framework = load_framework(INTEROP_STUDY / "framework.yaml")
    root = ET.fromstring(export_codebook(framework, "en"))
    assert root.find(f"{C}Codes/{C}Code").get("name") == "Profile"  # type: ignore[union-attr]


def test_project_cases_variables_users_and_sources() -> None:
    study = load_study(INTEROP_STUDY)
    root, archive = _project(INTEROP_STUDY)
    assert root.get("origin", "").startswith("ol-analysis ")
    assert "creationDateTime" not in root.attrib
    users = [u.get("name") for u in root.iter(f"{P}User")]
    assert users == ["analyst-a1", "analyst-a2", "analyst-b2"]
    variables = {v.get("name"): v.get("typeOfVariable") for v in root.iter(f"{P}Variable")}
    assert variables == {
        "team": "Text",
        "age_group": "Text",
        "severity_start": "Integer",
        "problem_domains": "Text",
        "homeless": "Boolean",
        "monthly_cost": "Float",
        "course_outcome.remark": "Text",
    }
    cases = {c.get("name"): c for c in root.iter(f"{P}Case")}
    assert list(cases) == list(study.cases)
    for case in study:
        refs = {r.get("targetGUID") for r in cases[case.id].findall(f"{P}CodeRef")}
        assert refs == {guid(p) for p in case_code_paths(study.framework, case)}
    f01 = cases["f01"]
    values = {
        v.find(f"{P}VariableRef").get("targetGUID"): v[1].text  # type: ignore[union-attr]
        for v in f01.findall(f"{P}VariableValue")
    }
    assert values[guid("variable:profile.age_group")] == "18_25"
    assert values[guid("variable:profile.problem_domains")] == "mental_health; housing"
    assert values[guid("variable:profile.homeless")] == "true"
    assert values[guid("variable:profile.monthly_cost")] == "812.5"
    sources = root.findall(f"{P}Sources/{P}TextSource")
    assert len(sources) == len(study)
    names = sorted(n for n in archive.namelist() if n.startswith("sources/"))
    assert names == sorted(f"sources/{s.get('guid')}.txt" for s in sources)
    assert all(s.get("plainTextPath") == f"internal://{s.get('guid')}.txt" for s in sources)


def test_selections_cover_the_exact_characters_of_the_evidence() -> None:
    """Positions count Unicode code points (Python string indices), end exclusive."""
    root, archive = _project(INTEROP_STUDY)
    source = next(s for s in root.iter(f"{P}TextSource") if s.get("name", "").startswith("f01"))
    text = archive.read(f"sources/{source.get('guid')}.txt").decode("utf-8")
    assert text.startswith("Eén stap tegelijk 🌱\n")
    selected = {}
    for selection in source.findall(f"{P}PlainTextSelection"):
        start, end = int(selection.get("startPosition", -1)), int(selection.get("endPosition", -1))
        codes = [r.get("targetGUID") for r in selection.iter(f"{P}CodeRef")]
        selected[text[start:end]] = codes
    quote = "Ik voelde me 😞 en alleen — echt alleen."  # a character outside the BMP before it
    assert selected[quote] == [guid("profile.problem_domains.mental_health")]
    note = "Neemt zelf contact op met de woningcorporatie."
    assert selected[note] == [guid("course_outcome.outcomes.more_self_direction")]
    nurse = [
        guid("support.professionals.discipline.nurse"),
        guid("support.professionals.organisation.ggz"),
        guid("support.professionals.casemanager"),
    ]
    assert selected["De verpleegkundige komt elke week langs."] == nurse
    moment = "Eerste huisbezoek; de cliënt opent de deur."
    assert selected[moment] == [guid("key_moments.moments.valence.positive")]


def test_notes_for_inferences_and_feedback_comments() -> None:
    root, _archive = _project(INTEROP_STUDY)
    notes = {n.get("name"): n for n in root.iter(f"{P}Note")}
    texts = {name: n.findtext(f"{P}PlainTextContent") for name, n in notes.items()}
    assert texts["f01 — inferred: Team: Emmen"] == "Tabel 4 geeft alleen totalen."
    comment = "f01 — feedback round 1, course_outcome.pattern"
    assert texts[comment] == "Is 'stijgend' niet te stellig?"
    assert notes[comment].get("creatingUser") == guid("user:analyst-b2")
    source = next(s for s in root.iter(f"{P}TextSource") if s.get("name", "").startswith("f01"))
    refs = {r.get("targetGUID") for r in source.findall(f"{P}NoteRef")}
    carried = "ol-analysis carrier: cases/f01.yaml"
    assert refs == {
        n.get("guid") for name, n in notes.items() if name.startswith("f01") or name == carried
    }


def test_shipped_study_counts_survive_in_the_project() -> None:
    """Every case of the shipped study holds, in REFI-QDA, the paths stats counts it for."""
    study = load_study(REPO)
    root, _archive = _project(REPO)
    refs = {
        c.get("name"): {r.get("targetGUID") for r in c.findall(f"{P}CodeRef")}
        for c in root.iter(f"{P}Case")
    }
    for path, entry in stats(study)["counts"].items():
        for case_id in entry["cases"]:
            assert guid(path) in refs[case_id], (path, case_id)


def test_copied_xsds_equal_the_shared_originals() -> None:
    shared = Path(__file__).resolve().parents[3] / "shared" / "refi-qda"
    if not shared.is_dir():
        pytest.skip("the shared originals are not beside the repository")
    for name in ("Codebook.xsd", "Project.xsd"):
        copy = Path(__file__).parent / "xsd" / name
        assert copy.read_bytes() == (shared / name).read_bytes(), name
