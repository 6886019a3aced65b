"""sources/sources.yaml is checked with located diagnostics: unknown keys and case ids with a
suggestion, missing and unsupported files, wrong shapes; unlisted files get a warning."""

from __future__ import annotations

import json
from pathlib import Path

import ol_analysis

MANIFEST = """\
documents:
  - id: p01-interview
    file: p01-interview.txt
    cases: [p1]
    kind: interveiw
    speaker: [client]
    date: 2023-02-30
  - id: p02-casusbespreking
    file: p02-casusbespreking.md
    cases: [p02]
  - id: p03-interview
    file: p03-interview.docx
    cases: [p03]
  - id: teamoverleg-2023-05
    file: teamoverleg-2023-05.txt
  - id: gone
    file: no-such-file.txt
  - id: scan
    file: scan.pdf
  - id: p02-casusbespreking
    file: p02-casusbespreking.md
"""


def test_manifest_errors_are_located(example_copy: Path, run_cli, line_of) -> None:
    manifest = example_copy / "sources" / "sources.yaml"
    manifest.write_text(MANIFEST, encoding="utf-8")
    (example_copy / "sources" / "stray.txt").write_text("not listed\n", encoding="utf-8")
    result = run_cli(["validate", "--format", "json"], cwd=example_copy)
    assert result.exit_code == 1
    found = {
        (p["rule"], p["line"], p["column"], p["severity"]): p for p in json.loads(result.stdout)
    }

    def at(rule: str, text: str, column: int, severity: str = "error") -> dict:
        return found.pop((rule, line_of(manifest, text), column, severity))

    assert at("unknown-case", "cases: [p1]", 13)["hint"] == "did you mean 'p01'?"
    assert at("unknown-code", "kind: interveiw", 11)["hint"] == "did you mean 'interview'?"
    assert at("unknown-key", "speaker: [client]", 5)["hint"] == "did you mean 'speakers'?"
    assert "'2023-02-30' is not a date" in at("invalid-date", "date: 2023-02-30", 11)["message"]
    assert "no-such-file.txt not found" in at("missing-source", "file: no-such-file", 11)["message"]
    assert at("unsupported-source", "file: scan.pdf", 11)["rule"] == "unsupported-source"
    duplicate = next(k for k in found if k[0] == "duplicate-source")
    assert duplicate[1] == MANIFEST.splitlines().index("  - id: p02-casusbespreking", 10) + 1
    found.pop(duplicate)
    stray = found.pop(("unlisted-source", 1, 1, "warning"))
    assert stray["path"] == "sources/stray.txt"
    assert found == {}


def test_a_manifest_that_is_not_a_list_of_documents(example_copy: Path, run_cli) -> None:
    (example_copy / "sources" / "sources.yaml").write_text("- p01\n", encoding="utf-8")
    result = run_cli(["validate", "--format", "json"], cwd=example_copy)
    problems = json.loads(result.stdout)
    assert result.exit_code == 1
    rules = {(p["path"], p["rule"], p["severity"]) for p in problems}
    assert rules == {
        ("sources/sources.yaml", "wrong-type", "error"),
        ("cases/p01.yaml", "quotes-not-verified", "warning"),
    }


def test_an_unreadable_transcript_is_named(example_copy: Path, run_cli) -> None:
    (example_copy / "sources" / "p01-interview.txt").write_bytes(b"caf\xe9\n")
    result = run_cli(["validate", "--format", "json"], cwd=example_copy)
    problems = json.loads(result.stdout)
    assert result.exit_code == 1
    assert [p["rule"] for p in problems] == ["unreadable"]
    assert "not UTF-8" in problems[0]["message"]
    assert problems[0]["path"] == "sources/sources.yaml"


def test_without_a_manifest_the_files_are_the_documents(example_copy: Path, run_cli) -> None:
    (example_copy / "sources" / "sources.yaml").unlink()
    result = run_cli(["validate", "--format", "json"], cwd=example_copy)
    problems = json.loads(result.stdout)
    assert result.exit_code == 0, problems
    assert problems == []
    study = ol_analysis.load_study(example_copy)
    assert sorted(study.sources.documents) == [
        "p01-interview",
        "p02-casusbespreking",
        "p03-interview",
        "teamoverleg-2023-05",
    ]
    assert len(study.sources.quotes) == 22


def test_a_document_of_other_cases_is_a_warning_at_the_doc(
    example_copy: Path, run_cli, line_of
) -> None:
    manifest = example_copy / "sources" / "sources.yaml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text.replace("cases: [p03]", "cases: [p01]"), encoding="utf-8")
    result = run_cli(["validate", "--format", "json"], cwd=example_copy)
    problems = json.loads(result.stdout)
    assert result.exit_code == 0
    assert {(p["path"], p["rule"], p["severity"]) for p in problems} == {
        ("cases/p03.yaml", "doc-case-mismatch", "warning")
    }
    lines = {p["line"] for p in problems}
    assert line_of(example_copy / "cases" / "p03.yaml", "doc: p03-interview") in lines


def test_quotes_of_study_yaml_are_verified_too(tmp_path: Path, run_cli, repo_root: Path) -> None:
    study = tmp_path / "study"
    (study / "cases").mkdir(parents=True)
    (study / "sources").mkdir()
    (study / "framework.yaml").write_bytes((repo_root / "framework.yaml").read_bytes())
    findings = (repo_root / "study.yaml").read_text(encoding="utf-8")
    quote = "De vraag is onderzocht met behulp van een meervoudige casusstudie."
    anchor = f'      - quote: "{quote}"\n'
    assert anchor in findings
    (study / "study.yaml").write_text(
        findings.replace(anchor, anchor + "        doc: methode\n"), encoding="utf-8"
    )
    (study / "sources" / "sources.yaml").write_text(
        "documents:\n  - {id: methode, file: methode.txt}\n", encoding="utf-8"
    )
    methode = study / "sources" / "methode.txt"
    methode.write_text(f"Inleiding.\n{quote}\n", encoding="utf-8")
    assert run_cli(["validate"], cwd=study).exit_code == 0
    methode.write_text(
        "Inleiding over de aanpak van het team en de keuze van de elf casussen.\n"
        "De vraag is onderzocht met behulp van een enkele casusstudie.\nSlot.\n",
        encoding="utf-8",
    )
    result = run_cli(["validate", "--format", "json"], cwd=study)
    problems = json.loads(result.stdout)
    assert result.exit_code == 1
    assert [(p["path"], p["rule"]) for p in problems] == [("study.yaml", "quote-not-found")]
    assert "line 2 of sources/methode.txt" in problems[0]["hint"]
