"""A text or Markdown document may describe itself in a front matter block instead of the
manifest: the same keys but ``file``; the block is not part of the document's text, and its
problems stand at the file's lines."""

from __future__ import annotations

import json
from pathlib import Path

import ol_analysis

FRONT = """\
---
cases: [p01, p2]
kind: document
date: 2023-05-11
speakers: [professional]
---
"""


def move_to_front_matter(study: Path, front: str) -> Path:
    manifest = study / "sources" / "sources.yaml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text[: text.index("  - id: teamoverleg-2023-05")], encoding="utf-8")
    report = study / "sources" / "teamoverleg-2023-05.txt"
    report.write_text(front + report.read_text(encoding="utf-8"), encoding="utf-8")
    return report


def test_a_front_matter_describes_its_document(example_copy: Path, run_cli) -> None:
    report = move_to_front_matter(example_copy, FRONT.replace("p2]", "p02]"))
    result = run_cli(["validate", "--format", "json"], cwd=example_copy)
    assert (result.exit_code, json.loads(result.stdout)) == (0, [])
    study = ol_analysis.load_study(example_copy)
    assert study.sources is not None
    source = study.sources.documents["teamoverleg-2023-05"]  # id: the file name
    assert (source.cases, source.kind, source.date) == (("p01", "p02"), "document", "2023-05-11")
    assert source.text is not None and not source.text.startswith("---")
    assert source.text.startswith("Verslag teamoverleg")
    assert source.first_line == 7
    assert report.read_text(encoding="utf-8").splitlines()[6].startswith("Verslag teamoverleg")


def test_front_matter_problems_stand_at_the_file_s_lines(example_copy: Path, run_cli) -> None:
    move_to_front_matter(example_copy, FRONT.replace("kind: document", "kind: documnet"))
    result = run_cli(["validate", "--format", "json"], cwd=example_copy)
    problems = json.loads(result.stdout)
    assert result.exit_code == 1
    found = {(p["path"], p["line"], p["column"], p["rule"], p["hint"]) for p in problems}
    assert found == {
        ("sources/teamoverleg-2023-05.txt", 2, 14, "unknown-case", "did you mean 'p02'?"),
        ("sources/teamoverleg-2023-05.txt", 3, 7, "unknown-code", "did you mean 'document'?"),
    }


def test_a_quote_s_closest_passage_is_named_by_the_file_s_line(
    example_copy: Path, run_cli, line_of
) -> None:
    transcript = example_copy / "sources" / "p01-interview.txt"
    text = transcript.read_text(encoding="utf-8")
    changed = text.replace("doos met post opengemaakt", "doos met brieven opengemaakt")
    transcript.write_text("---\nid: p01-interview\ncases: [p01]\n---\n" + changed, "utf-8")
    manifest = example_copy / "sources" / "sources.yaml"
    lines = manifest.read_text(encoding="utf-8").splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if "id: p01-interview" in line)
    manifest.write_text("".join(lines[:start] + lines[start + 7 :]), encoding="utf-8")
    result = run_cli(["validate", "--format", "json"], cwd=example_copy)
    problems = json.loads(result.stdout)
    assert [p["rule"] for p in problems] == ["quote-not-found"], problems
    line = line_of(transcript, "doos met brieven opengemaakt")
    assert f"line {line} of sources/p01-interview.txt" in problems[0]["hint"]
