"""Source documents in the REFI-QDA project: real text sources with a coded selection per
located quote, and back (the example study of ``examples/transcripts-study``)."""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from ol_analysis import load_study
from ol_analysis.interop.refi.export import export_project
from ol_analysis.interop.refi.project import import_project
from ol_analysis.interop.refi.text import guid

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "transcripts-study"
P = "{urn:QDA-XML:project:1.0}"


def _example(tmp_path: Path) -> Path:
    target = tmp_path / "example"
    shutil.copytree(EXAMPLE, target, ignore=shutil.ignore_patterns("build", "templates"))
    return target


def _located(study: Any) -> set[tuple[str, int, int, str, str]]:
    return {(q.doc, q.start, q.end, q.case_id, q.location) for q in study.sources.quotes}


def test_documents_are_text_sources_valid_against_the_xsd(
    tmp_path: Path, project_xsd: object
) -> None:
    study = load_study(_example(tmp_path))
    data = export_project(study)
    archive = zipfile.ZipFile(io.BytesIO(data))
    project_xsd.validate(archive.read("project.qde"))  # type: ignore[attr-defined]


def test_every_located_quote_is_a_coded_selection_that_slices_to_it(tmp_path: Path) -> None:
    """Read back with zipfile and ElementTree only (not our importer)."""
    study = load_study(_example(tmp_path))
    assert study.sources is not None and study.sources.quotes
    with zipfile.ZipFile(io.BytesIO(export_project(study))) as archive:
        root = ET.fromstring(archive.read("project.qde"))
        documents = {
            s.get("name"): s
            for s in root.iter(f"{P}TextSource")
            if s.get("name") in study.sources.documents
        }
        assert set(documents) == {
            d for d, s in study.sources.documents.items() if s.text is not None
        }
        refs = {
            c.get("name"): {r.get("targetGUID") for r in c.findall(f"{P}SelectionRef")}
            for c in root.iter(f"{P}Case")
        }
        for located in study.sources.quotes:
            source = documents[located.doc]
            path = source.get("plainTextPath", "")
            raw = archive.read(f"sources/{path[len('internal://') :]}")
            assert not raw.startswith(b"\xef\xbb\xbf") and b"\r" not in raw
            text = raw.decode("utf-8")
            selection = next(
                s
                for s in source.findall(f"{P}PlainTextSelection")
                if int(s.get("startPosition", -1)) == located.start
                and int(s.get("endPosition", -1)) == located.end
            )
            assert text[located.start : located.end] == study.sources.passage(located)
            assert selection.get("name") == study.sources.passage(located)
            codes = {r.get("targetGUID") for r in selection.iter(f"{P}CodeRef")}
            assert codes == {guid(path) for path in located.codes} and codes
            assert selection.get("guid") in refs[located.case_id]


def test_round_trip_restores_documents_and_positions(tmp_path: Path, run_cli: Any) -> None:
    example = _example(tmp_path)
    qdpx = tmp_path / "example.qdpx"
    assert run_cli(["export", "refi", "--out", str(qdpx)], cwd=example).exit_code == 0
    out = tmp_path / "imported"
    result = run_cli(["import", "refi", str(qdpx), "--out", str(out)])
    assert result.exit_code == 0, result.stderr
    assert "refi-loss" not in result.stderr
    for name in sorted(p.name for p in (example / "sources").iterdir()):
        if name.endswith((".txt", ".md")):
            assert (out / "sources" / name).read_text(encoding="utf-8") == (
                example / "sources" / name
            ).read_text(encoding="utf-8").replace("\r\n", "\n").removeprefix("\ufeff")
        else:
            assert (out / "sources" / name).read_bytes() == (
                example / "sources" / name
            ).read_bytes()
    original, imported = load_study(example), load_study(out)
    assert imported.sources is not None and imported.sources.found
    assert _located(imported) == _located(original)
    stats = [json.loads(run_cli(["stats", "--json"], cwd=d).stdout) for d in (example, out)]
    assert stats[0] == stats[1]
    for case_file in sorted((example / "cases").glob("*.yaml")):
        diff = run_cli(
            ["diff", "--exit-code", str(case_file), str(out / "cases" / case_file.name)],
            cwd=example,
        )
        assert diff.exit_code == 0, diff.stdout


def _strip_carriers(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    ET.register_namespace("", P[1:-1])
    root = ET.fromstring(entries["project.qde"])
    for parent in root.iter():
        for child in list(parent):
            if child.get("name", "").startswith("ol-analysis carrier") or (
                child.tag == f"{P}NoteRef"
            ):
                parent.remove(child)
    entries["project.qde"] = ET.tostring(root, encoding="utf-8")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, entry in entries.items():
            archive.writestr(name, entry)
    return buffer.getvalue()


def test_a_rebuild_maps_selections_to_quotes_with_document_and_position(
    tmp_path: Path,
) -> None:
    """Without the carried files (as from another tool), every selection of a document comes
    back as an evidence quote naming that document, located where the selection was."""
    study = load_study(_example(tmp_path))
    qdpx = tmp_path / "foreign.qdpx"
    qdpx.write_bytes(_strip_carriers(export_project(study)))
    result = import_project(qdpx, tmp_path / "rebuilt", accept_losses=True)
    assert not result.carried
    rebuilt = load_study(tmp_path / "rebuilt")  # valid: every quote is found in its document
    assert rebuilt.sources is not None and rebuilt.sources.found
    located = {(q.doc, q.start, q.end) for q in rebuilt.sources.quotes}
    expected = {
        (q.doc.replace("-", "_"), q.start, q.end)
        for q in study.sources.quotes  # type: ignore[union-attr]
    }
    assert expected <= located


def _as_nvivo_would(data: bytes, documents: dict[str, str]) -> bytes:
    """The project with each document's text stored with CR LF and its selections counted
    with line ends as two characters (as NVivo on Windows does)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    ET.register_namespace("", P[1:-1])
    root = ET.fromstring(entries["project.qde"])
    for source in root.iter(f"{P}TextSource"):
        text = documents.get(source.get("name", ""))
        if text is None:
            continue
        path = source.get("plainTextPath", "")[len("internal://") :]
        entries[f"sources/{path}"] = text.replace("\n", "\r\n").encode("utf-8")
        for selection in source.findall(f"{P}PlainTextSelection"):
            for attribute in ("startPosition", "endPosition"):
                offset = int(selection.get(attribute, "0"))
                selection.set(attribute, str(offset + text.count("\n", 0, offset)))
    entries["project.qde"] = ET.tostring(root, encoding="utf-8")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, entry in entries.items():
            archive.writestr(name, entry)
    return buffer.getvalue()


def test_offsets_of_another_model_still_land_on_the_right_text(tmp_path: Path) -> None:
    study = load_study(_example(tmp_path))
    assert study.sources is not None
    texts = {d: s.text for d, s in study.sources.documents.items() if s.text is not None}
    assert any("\n" in text for text in texts.values())
    qdpx = tmp_path / "nvivo.qdpx"
    qdpx.write_bytes(_as_nvivo_would(_strip_carriers(export_project(study)), texts))
    result = import_project(qdpx, tmp_path / "rebuilt", accept_losses=True)
    read_as = [n for n in result.notices if "positions read as" in n]
    assert any(n.startswith("p01-interview: ") and "line ends as two" in n for n in read_as)
    rebuilt = load_study(tmp_path / "rebuilt")
    located = {(q.doc, q.start, q.end) for q in rebuilt.sources.quotes}  # type: ignore[union-attr]
    expected = {(q.doc.replace("-", "_"), q.start, q.end) for q in study.sources.quotes}
    assert expected <= located
