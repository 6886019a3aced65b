"""The example study (examples/transcripts-study): every quote verified and located, and what
validate says when a transcript changes, a quote is ambiguous, or the transcripts are absent."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import ol_analysis
from ol_analysis.core.sources import evidence_items, normalise
from ol_analysis.core.sources.match import quote_pieces


def quotes_naming_a_document(study: ol_analysis.Study) -> list[tuple[str, str, str]]:
    return [
        (case.id, evidence.doc, evidence.quote)
        for case in study
        for _loc, evidence, _codes in evidence_items(study.framework, case.model)
        if evidence.doc and evidence.quote
    ]


def test_every_quote_is_verified_and_located(example: Path, run_cli) -> None:
    result = run_cli(["validate"], cwd=example)
    assert (result.exit_code, result.stderr) == (0, "")
    study = ol_analysis.load_study(example)
    sources = study.sources
    assert sources is not None and sources.found
    wanted = quotes_naming_a_document(study)
    assert len(wanted) >= 20
    assert sorted((q.case_id, q.doc, q.quote) for q in sources.quotes) == sorted(wanted)
    for located in sources.quotes:
        source = sources.documents[located.doc]
        passage = normalise(sources.passage(located)).text
        pieces = quote_pieces(located.quote)
        assert passage.startswith(pieces[0]) and passage.endswith(pieces[-1]), located
        assert all(piece in passage for piece in pieces)
        assert source.position(located.start) == (located.line, located.column)
        assert not located.ambiguous


def test_positions_are_lines_and_code_points_of_the_normalised_text(example: Path) -> None:
    study = ol_analysis.load_study(example)
    assert study.sources is not None
    text = study.sources.documents["p01-interview"].text
    assert text is not None and "\r" not in text and not text.startswith("\ufeff")
    located = study.sources.locate(
        "p01", "p01-interview", "Samen hebben we die doos met post opengemaakt."
    )
    assert located is not None
    line = text.splitlines()[located.line - 1]
    assert line[located.column - 1 :].startswith("Samen hebben we die doos")
    assert located.codes == ("support.guidance.finances",)


def test_a_crlf_transcript_with_a_bom_gives_the_same_offsets(example_copy: Path) -> None:
    transcript = example_copy / "sources" / "p01-interview.txt"
    before = ol_analysis.load_study(example_copy).sources
    text = transcript.read_text(encoding="utf-8")
    transcript.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    after = ol_analysis.load_study(example_copy).sources
    assert before is not None and after is not None
    assert [(q.start, q.end, q.line, q.column) for q in before.quotes] == [
        (q.start, q.end, q.line, q.column) for q in after.quotes
    ]


def test_a_changed_word_is_reported_at_the_quote_with_the_closest_passage(
    example_copy: Path, run_cli, line_of
) -> None:
    transcript = example_copy / "sources" / "p01-interview.txt"
    text = transcript.read_text(encoding="utf-8")
    transcript.write_text(text.replace("doos met post opengemaakt", "doos met brieven opengemaakt"))
    result = run_cli(["validate", "--format", "json"], cwd=example_copy)
    assert result.exit_code == 1
    problems = json.loads(result.stdout)
    assert [p["rule"] for p in problems] == ["quote-not-found"]
    [problem] = problems
    case_file = example_copy / "cases" / "p01.yaml"
    assert problem["path"] == "cases/p01.yaml"
    assert problem["line"] == line_of(case_file, "Samen hebben we die doos met post opengemaakt.")
    assert problem["location"] == "support.guidance.0.evidence.0.quote"
    line = line_of(transcript, "doos met brieven opengemaakt")
    assert f"line {line} of sources/p01-interview.txt" in problem["hint"]
    assert "doos met brieven opengemaakt" in problem["hint"]


def test_a_quote_found_twice_is_ambiguous(example_copy: Path, run_cli, line_of) -> None:
    transcript = example_copy / "sources" / "p02-casusbespreking.md"
    with transcript.open("a", encoding="utf-8") as handle:
        handle.write("\nZ: De tuin is mijn plek geworden. Dat zei ze later nog eens.\n")
    result = run_cli(["validate", "--format", "json"], cwd=example_copy)
    problems = json.loads(result.stdout)
    assert result.exit_code == 0, problems
    assert [(p["rule"], p["severity"]) for p in problems] == [("ambiguous-quote", "warning")]
    assert problems[0]["line"] == line_of(example_copy / "cases" / "p02.yaml", "De tuin is mijn")
    assert "2 times" in problems[0]["message"]


def test_absent_sources_give_one_warning_for_the_whole_run(example_copy: Path, run_cli) -> None:
    shutil.rmtree(example_copy / "sources")
    result = run_cli(["validate", "--format", "json"], cwd=example_copy)
    problems = json.loads(result.stdout)
    assert result.exit_code == 0
    assert [p["rule"] for p in problems] == ["quotes-not-verified"]
    assert "22 quotes name a document" in problems[0]["message"]
    study = ol_analysis.load_study(example_copy)
    assert study.sources is not None and study.sources.quotes == []
    build = run_cli(["build", "--format", "md,html", "--out", "build"], cwd=example_copy)
    assert build.exit_code == 0, build.stderr
    assert build.stderr.count("quotes-not-verified") == 1


def test_git_ignored_transcripts_with_the_manifest_kept_give_one_warning(
    example_copy: Path, run_cli, line_of
) -> None:
    for transcript in (example_copy / "sources").iterdir():
        if transcript.name != "sources.yaml":
            transcript.unlink()
    result = run_cli(["validate", "--format", "json"], cwd=example_copy)
    problems = json.loads(result.stdout)
    assert result.exit_code == 0
    assert [p["rule"] for p in problems] == ["quotes-not-verified"]
    assert "holds none of its documents" in problems[0]["message"]


def test_a_document_the_manifest_lacks_is_named_with_a_suggestion(
    example_copy: Path, run_cli, line_of
) -> None:
    case_file = example_copy / "cases" / "p03.yaml"
    case_file.write_text(
        case_file.read_text(encoding="utf-8").replace(
            "doc: p03-interview\n", "doc: p03-intervew\n", 1
        )
    )
    result = run_cli(["validate", "--format", "json"], cwd=example_copy)
    problems = json.loads(result.stdout)
    assert result.exit_code == 1
    assert [p["rule"] for p in problems] == ["unknown-doc"]
    assert problems[0]["line"] == line_of(case_file, "doc: p03-intervew")
    assert problems[0]["column"] == 16
    assert problems[0]["hint"] == "did you mean 'p03-interview'?"
