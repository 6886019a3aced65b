"""ol-analysis sources: per document the coded passages, their codes, the share coded and the
uncoded documents, as text and JSON."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import ol_analysis


def test_json_lists_documents_passages_codes_and_share(example: Path, run_cli) -> None:
    result = run_cli(["sources", "--format", "json"], cwd=example)
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    study = ol_analysis.load_study(example)
    assert study.sources is not None
    assert data["verified"] is True
    assert [d["id"] for d in data["documents"]] == list(study.sources.documents)
    assert data["uncoded"] == ["teamoverleg-2023-05"]
    assert sum(len(d["passages"]) for d in data["documents"]) == len(study.sources.quotes)
    for document in data["documents"]:
        text = study.sources.documents[document["id"]].text
        assert document["characters"] == len(text)
        covered = set()
        for passage in document["passages"]:
            assert text[passage["start"] : passage["end"]] == passage["text"]
            covered |= set(range(passage["start"], passage["end"]))
            assert set(passage["codes"]) <= set(document["codes"])
        assert document["coded_characters"] == len(covered)
        assert document["share"] == round(len(covered) / len(text), 4)
    p01 = data["documents"][0]
    assert "support.guidance.finances" in p01["codes"]
    assert p01["cases"] == ["p01"] and p01["kind"] == "interview"


def test_text_output_names_each_document_and_the_uncoded(example: Path, run_cli) -> None:
    result = run_cli(["sources"], cwd=example)
    assert result.exit_code == 0
    for doc_id in ("p01-interview", "p02-casusbespreking", "p03-interview"):
        assert f"{doc_id}: coded passages" in result.stdout
    assert "uncoded documents: teamoverleg-2023-05" in result.stdout
    assert "14.6%" in result.stdout


def test_without_the_transcripts_nothing_is_verified(example_copy: Path, run_cli) -> None:
    shutil.rmtree(example_copy / "sources")
    result = run_cli(["sources", "--format", "json"], cwd=example_copy)
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {"verified": False, "documents": [], "uncoded": []}
    text = run_cli(["sources"], cwd=example_copy)
    assert "quotes not verified" in text.stdout


def test_an_invalid_study_exits_1(example_copy: Path, run_cli) -> None:
    transcript = example_copy / "sources" / "p01-interview.txt"
    transcript.write_text("Niets van dit alles.\n", encoding="utf-8")
    result = run_cli(["sources"], cwd=example_copy)
    assert result.exit_code == 1
    assert "quote-not-found" in result.stderr
