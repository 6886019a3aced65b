"""A file with git's conflict markers is one ``merge-conflict`` error per conflict, with its
lines and both sides, and is not read as YAML (which would report a colon at ``=======``)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from ol_analysis.core.yamlsource import merge_conflicts, parse_text, read_yaml

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "validate" / "invalid" / "merge_conflict.yaml"
MINI = ROOT / "fixtures" / "mini" / "framework.yaml"

TWO_CONFLICTS = """\
id: k1
profile:
<<<<<<< HEAD
  team: north
=======
  team: south
>>>>>>> round-1/subgroup-b
course:
<<<<<<< ours
  pattern: rising
||||||| base
  pattern: stable
=======
>>>>>>> theirs
"""


def test_each_conflict_is_one_error_with_its_lines_and_sides() -> None:
    doc, problems = parse_text("cases/k1.yaml", TWO_CONFLICTS)
    assert doc is None
    assert [(p.line, p.column, p.rule) for p in problems] == [
        (3, 1, "merge-conflict"),
        (9, 1, "merge-conflict"),
    ]
    first, second = problems
    assert "lines 3-7" in first.message
    assert "'HEAD' and 'round-1/subgroup-b'" in first.message
    assert "lines 9-14" in second.message and "'ours' and 'theirs' (base 'base')" in second.message
    assert first.hint == "resolve them, then `ol-analysis validate`"
    assert not any(p.rule == "yaml-syntax" for p in problems)


def test_the_fixture_file_reads_as_two_conflicts() -> None:
    doc, problems = read_yaml(FIXTURE)
    assert doc is None
    assert [(p.line, p.rule) for p in problems] == [(6, "merge-conflict"), (13, "merge-conflict")]


def test_markers_must_start_a_line_and_unfinished_or_stray_ones_are_reported() -> None:
    assert merge_conflicts("x.yaml", 'title: "<<<<<<< not a marker"\n') == []
    assert merge_conflicts("x.yaml", "a: 1\n  <<<<<<< HEAD\n") == []
    (unfinished,) = merge_conflicts("x.yaml", "a: 1\n<<<<<<< HEAD\nb: 2\n=======\nb: 3\n")
    assert (unfinished.line, unfinished.rule) == (2, "merge-conflict")
    assert "unfinished" in unfinished.message and "lines 2-5" in unfinished.message
    (stray,) = merge_conflicts("x.yaml", "a: 1\nb: 3\n>>>>>>> theirs\n")
    assert stray.line == 3 and "without its '<<<<<<<'" in stray.message
    crlf = TWO_CONFLICTS.replace("\n", "\r\n")
    assert [p.line for p in merge_conflicts("x.yaml", crlf)] == [3, 9]


def test_status_names_the_conflicted_file_with_its_errors(run_cli: Any, tmp_path: Path) -> None:
    """``status`` lists every case file, the conflicted one with its error count (its id is
    unknown until it is resolved, so it is named by its path), and reports it, exit 1."""
    cases = tmp_path / "cases"
    cases.mkdir()
    shutil.copy(ROOT / "agree" / "fixtures" / "coder_a" / "k2.yaml", cases / "k2.yaml")
    (cases / "k1.yaml").write_text(TWO_CONFLICTS, encoding="utf-8")
    args = ["--framework", str(MINI), "--cases", str(cases)]
    for extra in ([], ["--json"]):
        result = run_cli(["status", *args, *extra])
        assert result.exit_code == 1
        assert "Traceback" not in result.stderr
        assert f"{cases / 'k1.yaml'}:3:1: error[merge-conflict]: merge conflict" in result.stderr
        assert f"{cases / 'k1.yaml'}:9:1: error[merge-conflict]" in result.stderr
        assert "yaml-syntax" not in result.stderr
    listed = json.loads(result.stdout)["subgroups"][0]["cases"]
    assert [(case["id"], case["errors"]) for case in listed] == [
        (str(cases / "k1.yaml"), 2),
        ("k2", 0),
    ]
    assert json.loads(result.stdout)["invalid"] == 1
