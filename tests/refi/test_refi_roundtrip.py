"""``export refi`` then ``import refi`` keeps every finding; what cannot come back is reported.

The round trip of our own projects gives the same ``stats --json`` and case files that
``ol-analysis diff`` finds equal. A project changed in another tool, or made by one, is rebuilt
from its REFI-QDA elements, and the import exits 1 with a loss report (rule ``refi-loss``)
unless ``--accept-losses`` is given.
"""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pytest

from ol_analysis.interop.refi.text import guid

TESTS = Path(__file__).resolve().parents[1]
REPO = TESTS.parent
STUDIES = {
    "interop": TESTS / "exports" / "study",
    "mini": TESTS / "fixtures" / "mini",
    "shipped": REPO,
}
P = "{urn:QDA-XML:project:1.0}"


def _snapshot(study: Path, target: Path) -> Path:
    """A copy of a study's framework, study.yaml and cases (the shipped study is being edited
    by others while the tests run; both sides of a comparison must read the same files)."""
    target.mkdir()
    shutil.copy(study / "framework.yaml", target)
    if (study / "study.yaml").is_file():
        shutil.copy(study / "study.yaml", target)
    shutil.copytree(study / "cases", target / "cases", ignore=shutil.ignore_patterns("README*"))
    return target


def _export(run_cli: Any, study: Path, qdpx: Path) -> None:
    result = run_cli(["export", "refi", "--out", str(qdpx)], cwd=study)
    assert result.exit_code == 0, result.stderr


def _stats(run_cli: Any, study: Path) -> Any:
    result = run_cli(["stats", "--json"], cwd=study)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def _rewrite(qdpx: Path, target: Path, change: Any) -> Path:
    """A copy of ``qdpx`` whose project.qde is ``change(text)``."""
    with zipfile.ZipFile(qdpx) as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    entries["project.qde"] = change(entries["project.qde"].decode("utf-8")).encode("utf-8")
    with zipfile.ZipFile(target, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return target


@pytest.mark.parametrize("name", STUDIES)
def test_round_trip_gives_the_same_stats_and_equal_cases(
    name: str, tmp_path: Path, run_cli: Any
) -> None:
    original = _snapshot(STUDIES[name], tmp_path / "original")
    qdpx = tmp_path / "study.qdpx"
    _export(run_cli, original, qdpx)
    result = run_cli(["import", "refi", str(qdpx), "--out", str(tmp_path / "imported")])
    assert result.exit_code == 0, result.stderr
    assert "refi-loss" not in result.stderr
    assert "its own files, checked" in result.stderr
    imported = tmp_path / "imported"
    assert _stats(run_cli, imported) == _stats(run_cli, original)
    files = sorted(p.name for p in (original / "cases").glob("*.yaml"))
    assert files and sorted(p.name for p in (imported / "cases").glob("*.yaml")) == files
    for file in files:
        diff = run_cli(
            [
                "diff",
                "--exit-code",
                "--format",
                "json",
                str(original / "cases" / file),
                str(imported / "cases" / file),
            ],
            cwd=original,
        )
        assert diff.exit_code == 0 and json.loads(diff.stdout) == [], (file, diff.stdout)


def test_shipped_if_then_counts_keep_status_semantics(tmp_path: Path, run_cli: Any) -> None:
    """The finding the old import lost: contested statements do not count as support."""
    original = _snapshot(REPO, tmp_path / "original")
    qdpx = tmp_path / "study.qdpx"
    _export(run_cli, original, qdpx)
    assert run_cli(["import", "refi", str(qdpx), "--out", str(tmp_path / "new")]).exit_code == 0
    before = _stats(run_cli, original)["counts"]
    after = _stats(run_cli, tmp_path / "new")["counts"]
    statements = [k for k in before if k.startswith("reference.if_then.statement.")]
    assert statements
    assert {k: after[k] for k in statements} == {k: before[k] for k in statements}


def test_an_independent_reader_finds_the_carried_files(tmp_path: Path, run_cli: Any) -> None:
    """Read with zipfile and ElementTree only: every study file is a note of the project,
    referenced from the project (framework) or from its case's text source (case files)."""
    study = STUDIES["interop"]
    qdpx = tmp_path / "study.qdpx"
    _export(run_cli, study, qdpx)
    with zipfile.ZipFile(qdpx) as archive:
        root = ET.fromstring(archive.read("project.qde"))
    notes = {n.get("name"): n for n in root.iter(f"{P}Note")}
    framework = notes["ol-analysis carrier: framework.yaml"]
    text = framework.findtext(f"{P}PlainTextContent")
    assert text == (study / "framework.yaml").read_text(encoding="utf-8")
    assert framework.get("guid") in {r.get("targetGUID") for r in root.findall(f"{P}NoteRef")}
    sources = {s.get("name", "").split(" ")[0]: s for s in root.iter(f"{P}TextSource")}
    for case_file in sorted((study / "cases").glob("*.yaml")):
        note = notes[f"ol-analysis carrier: cases/{case_file.stem}.yaml"]
        assert note.findtext(f"{P}PlainTextContent") == case_file.read_text(encoding="utf-8")
        refs = {r.get("targetGUID") for r in sources[case_file.stem].findall(f"{P}NoteRef")}
        assert note.get("guid") in refs
    cases = [c.get("name") for c in root.iter(f"{P}Case")]
    assert cases == sorted(p.stem for p in (study / "cases").glob("*.yaml"))
    assert [v.get("name") for v in root.iter(f"{P}Variable")]
    assert [c.get("name") for c in root.iter(f"{P}Code")]


UNCODED = "course_outcome.outcomes.more_self_direction"


def _uncode(text: str, case_id: str, path: str) -> str:
    """Uncode ``path`` in one case, as another tool would: the case's CodeRef and the codings
    on its text go."""
    ET.register_namespace("", P[1:-1])
    root = ET.fromstring(text)
    target = guid(path)
    for case in root.iter(f"{P}Case"):
        if case.get("name") == case_id:
            for ref in case.findall(f"{P}CodeRef"):
                if ref.get("targetGUID") == target:
                    case.remove(ref)
    for source in root.iter(f"{P}TextSource"):
        if source.get("name", "").startswith(f"{case_id} "):
            for selection in source.findall(f"{P}PlainTextSelection"):
                for coding in selection.findall(f"{P}Coding"):
                    if coding.find(f"{P}CodeRef").get("targetGUID") == target:  # type: ignore[union-attr]
                        selection.remove(coding)
    return ET.tostring(root, encoding="unicode")


def _add_a_memo(text: str) -> str:
    memo = (
        '<Note guid="11111111-2222-3333-4444-555555555555" name="Memo uit een ander programma">'
        "<PlainTextContent>Eerste indruk.</PlainTextContent></Note></Notes>"
    )
    return text.replace("</Notes>", memo)


def _drop_a_code_and_add_a_memo(text: str) -> str:
    return _add_a_memo(_uncode(text, "f01", UNCODED))


def _diff(run_cli: Any, study: Path, old: Path, new: Path) -> list[dict[str, Any]]:
    result = run_cli(["diff", "--format", "json", str(old), str(new)], cwd=study)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_a_code_removed_elsewhere_is_applied_to_the_carried_case(
    tmp_path: Path, run_cli: Any
) -> None:
    """The carried files stay; the case loses just that code; a foreign memo is a loss."""
    study = _snapshot(STUDIES["interop"], tmp_path / "original")
    qdpx = tmp_path / "study.qdpx"
    _export(run_cli, study, qdpx)
    changed = _rewrite(qdpx, tmp_path / "changed.qdpx", _drop_a_code_and_add_a_memo)
    out = tmp_path / "new"
    refused = run_cli(["import", "refi", str(changed), "--out", str(out)])
    assert refused.exit_code == 1
    assert not out.exists()
    losses = [line for line in refused.stderr.splitlines() if "[refi-loss]" in line]
    assert len(losses) == 1 and losses[0].startswith(f"{changed}:")
    assert "error[refi-loss]: note 'Memo uit een ander programma' is not brought back" in losses[0]
    accepted = run_cli(["import", "refi", str(changed), "--out", str(out), "--accept-losses"])
    assert accepted.exit_code == 0, accepted.stderr
    assert "warning[refi-loss]" in accepted.stderr and "error[" not in accepted.stderr
    assert "note: case f01: 1 code(s) removed in the project, applied" in accepted.stderr
    before = _stats(run_cli, study)["counts"]
    after = _stats(run_cli, out)["counts"]
    changed_paths = [p for p in before if before[p] != after[p]]
    assert changed_paths == [UNCODED]
    assert after[UNCODED]["cases"] == [c for c in before[UNCODED]["cases"] if c != "f01"]
    changes = _diff(run_cli, study, study / "cases" / "f01.yaml", out / "cases" / "f01.yaml")
    # f01's only outcome was that code, so the group goes
    assert [(c["path"], c["change"]) for c in changes] == [("course_outcome.outcomes", "removed")]
    for other in ("f02", "f03"):
        assert (out / "cases" / f"{other}.yaml").read_bytes() == (
            study / "cases" / f"{other}.yaml"
        ).read_bytes()


def _set_variable(case_id: str, variable: str, value: str) -> Any:
    def change(text: str) -> str:
        ET.register_namespace("", P[1:-1])
        root = ET.fromstring(text)
        target = guid(f"variable:{variable}")
        case = next(c for c in root.iter(f"{P}Case") if c.get("name") == case_id)
        for element in case.findall(f"{P}VariableValue"):
            if element.find(f"{P}VariableRef").get("targetGUID") == target:  # type: ignore[union-attr]
                element[1].text = value
        return ET.tostring(root, encoding="unicode")

    return change


def test_a_variable_changed_elsewhere_replaces_the_value_and_reports_its_inference(
    tmp_path: Path, run_cli: Any
) -> None:
    study = _snapshot(STUDIES["interop"], tmp_path / "original")
    qdpx = tmp_path / "study.qdpx"
    _export(run_cli, study, qdpx)
    changed = _rewrite(qdpx, tmp_path / "c.qdpx", _set_variable("f01", "profile.team", "assen"))
    out = tmp_path / "new"
    refused = run_cli(["import", "refi", str(changed), "--out", str(out)])
    assert refused.exit_code == 1
    assert (
        "case f01: not brought back: the evidence and inference of profile.team (its value "
        "changed in the project)" in refused.stderr
    )
    accepted = run_cli(["import", "refi", str(changed), "--out", str(out), "--accept-losses"])
    assert accepted.exit_code == 0, accepted.stderr
    changes = _diff(run_cli, study, study / "cases" / "f01.yaml", out / "cases" / "f01.yaml")
    assert changes and all(c["path"].startswith("profile.team") for c in changes)
    after = _stats(run_cli, out)["counts"]
    assert "f01" in after["profile.team.assen"]["cases"]
    assert "f01" not in after["profile.team.emmen"]["cases"]


def test_a_record_code_added_elsewhere_is_reported(tmp_path: Path, run_cli: Any) -> None:
    """A code of a record field cannot come back: a new record needs fields REFI-QDA lacks."""
    from ol_analysis import load_study
    from ol_analysis.analysis.codings import case_code_paths, code_paths

    study = _snapshot(STUDIES["interop"], tmp_path / "original")
    loaded = load_study(study)
    held = set(case_code_paths(loaded.framework, loaded.cases["f01"]))
    record_code = next(
        p for p in code_paths(loaded.framework) if p.count(".") == 3 and p not in held
    )
    qdpx = tmp_path / "study.qdpx"
    _export(run_cli, study, qdpx)

    def add(text: str) -> str:
        start = text.index('name="f01"')
        end = text.index("<CodeRef", start)
        return text[:end] + f'<CodeRef targetGUID="{guid(record_code)}"/>' + text[end:]

    changed = _rewrite(qdpx, tmp_path / "c.qdpx", add)
    refused = run_cli(["import", "refi", str(changed), "--out", str(tmp_path / "new")])
    assert refused.exit_code == 1
    assert f"case f01: not brought back: the code {record_code} (a new record" in refused.stderr


def test_a_codebook_changed_elsewhere_means_a_rebuild_with_its_losses(
    tmp_path: Path, run_cli: Any
) -> None:
    study = _snapshot(STUDIES["interop"], tmp_path / "original")
    qdpx = tmp_path / "study.qdpx"
    _export(run_cli, study, qdpx)
    new_code = '<Code guid="22222222-0000-0000-0000-000000000001" name="Nieuw" isCodable="true"/>'
    changed = _rewrite(
        qdpx, tmp_path / "c.qdpx", lambda text: text.replace("</Codes>", new_code + "</Codes>", 1)
    )
    out = tmp_path / "new"
    refused = run_cli(["import", "refi", str(changed), "--out", str(out)])
    assert refused.exit_code == 1 and not out.exists()
    text = refused.stderr
    assert (
        "carrier notes were not used: the codebook differs from framework.yaml "
        "(1 code(s) added, 0 removed)" in text
    )
    assert "case f01: rebuilt without its summary, analysis block" in text
    assert "evidence item(s)" in text and "inferred flag(s) with basis" in text
    accepted = run_cli(["import", "refi", str(changed), "--out", str(out), "--accept-losses"])
    assert accepted.exit_code == 0, accepted.stderr
    assert "rebuilt from the REFI-QDA elements" in accepted.stderr
    assert run_cli(["validate"], cwd=out).exit_code == 0


def test_losses_stand_at_their_element(tmp_path: Path, run_cli: Any) -> None:
    """Each loss names the line and column of its element in project.qde."""
    qdpx = tmp_path / "study.qdpx"
    _export(run_cli, STUDIES["mini"], qdpx)
    changed = _rewrite(qdpx, tmp_path / "changed.qdpx", _add_a_memo)
    result = run_cli(["import", "refi", str(changed), "--out", str(tmp_path / "x")])
    assert result.exit_code == 1
    with zipfile.ZipFile(changed) as archive:
        lines = archive.read("project.qde").decode("utf-8").splitlines()
    memo = next(line for line in result.stderr.splitlines() if "Memo uit" in line)
    line_no, column = (int(n) for n in memo[len(str(changed)) + 1 :].split(":")[:2])
    assert lines[line_no - 1][column - 1 :].startswith('<Note guid="11111111')


FOREIGN = """<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Ander project" origin="another tool">
  <CodeBook>
    <Codes>
      <Code guid="00000000-0000-0000-0000-000000000001" name="Gevoelens" isCodable="true">
        <Code guid="00000000-0000-0000-0000-000000000002" name="Boos" isCodable="true"/>
      </Code>
    </Codes>
  </CodeBook>
  <Sources>
    <TextSource guid="00000000-0000-0000-0000-0000000000a1" name="interview 1"
        plainTextPath="internal://00000000-0000-0000-0000-0000000000a1.txt">
      <PlainTextSelection guid="00000000-0000-0000-0000-0000000000b1" startPosition="0"
          endPosition="4">
        <Coding guid="00000000-0000-0000-0000-0000000000c1">
          <CodeRef targetGUID="00000000-0000-0000-0000-000000000002"/>
        </Coding>
      </PlainTextSelection>
    </TextSource>
  </Sources>
  <Notes>
    <Note guid="00000000-0000-0000-0000-0000000000d1" name="Memo">
      <PlainTextContent>Een memo.</PlainTextContent>
    </Note>
  </Notes>
  <Sets>
    <Set guid="00000000-0000-0000-0000-0000000000e1" name="Set 1"/>
  </Sets>
</Project>
"""


def test_a_foreign_project_needs_accept_losses(tmp_path: Path, run_cli: Any) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("project.qde", FOREIGN)
        archive.writestr("sources/00000000-0000-0000-0000-0000000000a1.txt", "Boos was ik.")
    qdpx = tmp_path / "foreign.qdpx"
    qdpx.write_bytes(buffer.getvalue())
    out = tmp_path / "study"
    refused = run_cli(["import", "refi", str(qdpx), "--out", str(out)])
    assert refused.exit_code == 1 and not out.exists()
    losses = [line for line in refused.stderr.splitlines() if "error[refi-loss]" in line]
    messages = [line.split("error[refi-loss]: ")[1] for line in losses]
    assert messages == [
        "note 'Memo' is not brought back (not a memo of an ol-analysis export)",
        "1 sets not brought back (the study has none)",
    ]
    accepted = run_cli(["import", "refi", str(qdpx), "--out", str(out), "--accept-losses"])
    assert accepted.exit_code == 0, accepted.stderr
    assert accepted.stderr.count("warning[refi-loss]") == 2
    stats = _stats(run_cli, out)
    assert stats["counts"]["codes.gevoelens.boos"]["cases"] == ["interview-1"]
    # the selection is an evidence quote in its document, located where it was
    from ol_analysis import load_study

    study = load_study(out)
    assert study.sources is not None
    located = [(q.doc, q.start, q.end, q.quote) for q in study.sources.quotes]
    assert located == [("interview_1", 0, 4, "Boos")]


@pytest.mark.parametrize("name", ["interop", "shipped"])
def test_slicing_the_exported_text_at_each_selection_gives_the_quotes(
    name: str, tmp_path: Path, run_cli: Any
) -> None:
    """Read with zipfile and ElementTree: every evidence quote of a case is the slice, in code
    points, of its case's text at one of the selections; the text is UTF-8, LF, no BOM."""
    from ol_analysis import load_study
    from ol_analysis.analysis.codings import items

    study_dir = _snapshot(STUDIES[name], tmp_path / "original")
    study = load_study(study_dir)
    qdpx = tmp_path / "study.qdpx"
    _export(run_cli, study_dir, qdpx)
    checked = coded = 0
    with zipfile.ZipFile(qdpx) as archive:
        root = ET.fromstring(archive.read("project.qde"))
        for source in root.iter(f"{P}TextSource"):
            case_id = source.get("name", "").split(" ")[0]
            raw = archive.read(f"sources/{source.get('plainTextPath', '')[len('internal://') :]}")
            assert not raw.startswith(b"\xef\xbb\xbf") and b"\r" not in raw
            text = raw.decode("utf-8")
            selections = source.findall(f"{P}PlainTextSelection")
            coded += sum(1 for s in selections if s.findall(f"{P}Coding/{P}CodeRef"))
            sliced = set()
            for selection in selections:
                start = int(selection.get("startPosition", "-1"))
                end = int(selection.get("endPosition", "-1"))
                assert 0 <= start < end <= len(text)
                sliced.add(text[start:end])
            quotes = {
                " ".join(evidence.quote.split())
                for item in items(study.framework, study.cases[case_id])
                for evidence in item.evidence
                if evidence.quote is not None
            }
            assert quotes <= sliced, case_id
            checked += len(quotes)
    assert checked and coded


def test_the_loss_report_as_json(tmp_path: Path, run_cli: Any) -> None:
    study = STUDIES["interop"]
    qdpx = tmp_path / "study.qdpx"
    _export(run_cli, study, qdpx)
    changed = _rewrite(qdpx, tmp_path / "changed.qdpx", _add_a_memo)
    refused = run_cli(
        ["import", "refi", str(changed), "--out", str(tmp_path / "x"), "--format", "json"]
    )
    assert refused.exit_code == 1
    (loss,) = json.loads(refused.stdout)
    assert (loss["rule"], loss["severity"], loss["path"]) == ("refi-loss", "error", str(changed))
    assert loss["message"].startswith("note 'Memo uit een ander programma'")
    accepted = run_cli(
        [
            "import",
            "refi",
            str(changed),
            "--out",
            str(tmp_path / "x"),
            "--accept-losses",
            "--format",
            "json",
        ]
    )
    assert accepted.exit_code == 0, accepted.stderr
    assert [d["severity"] for d in json.loads(accepted.stdout)] == ["warning"]
    clean = run_cli(["import", "refi", str(qdpx), "--out", str(tmp_path / "y"), "--format", "json"])
    assert clean.exit_code == 0 and json.loads(clean.stdout) == []
