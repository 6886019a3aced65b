"""``rename-code`` and ``merge-codes`` move a memo's code targets with the code; the memo's
text and the rest of its front matter stay as they were."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from ol_analysis.feedback.migrate.memos import memo_edits

MEMO = """---
title: Kinderen
targets:
  - code: support.guidance.contact_with_children   # the code
  - code: "support.guidance.contact_with_children_x"
  - part: support
---
Tekst over support.guidance.contact_with_children blijft.
"""
OLD = "support.guidance.contact_with_children"


def test_only_whole_code_targets_in_the_front_matter_change() -> None:
    text, edits = memo_edits(MEMO, {OLD: "support.guidance.children"})
    assert [(e.line, e.column, e.old, e.new) for e in edits] == [
        (4, 11, OLD, "support.guidance.children")
    ]
    assert text == MEMO.replace(f"code: {OLD}   #", "code: support.guidance.children   #", 1)
    assert "Tekst over support.guidance.contact_with_children blijft." in text


def test_rename_code_moves_the_memo_and_the_study_stays_valid(study: Path, run_cli: Any) -> None:
    memo = study / "memos" / "kinderen.md"
    memo.write_text(MEMO.replace('  - code: "support.guidance.contact_with_children_x"\n', ""))
    dry = run_cli(["rename-code", OLD, "children_contact", "--dry-run"], cwd=study)
    assert dry.exit_code == 0 and "memos/kinderen.md:4:11" in dry.stdout + dry.stderr
    assert OLD in memo.read_text()
    done = run_cli(["rename-code", OLD, "children_contact"], cwd=study)
    assert done.exit_code == 0, done.stderr
    assert "code: support.guidance.children_contact   # the code" in memo.read_text()
    assert run_cli(["validate"], cwd=study).exit_code == 0


def test_merge_codes_moves_the_memo_of_each_merged_code(
    tmp_path: Path, mini_study: Path, run_cli: Any
) -> None:
    study = tmp_path / "mini"
    shutil.copytree(mini_study, study)
    (study / "memos").mkdir()
    memo = study / "memos" / "twee.md"
    memo.write_text(
        "---\ntitle: Twee\ntargets:\n  - code: course.outcomes.stability\n"
        "  - code: course.outcomes.relapse\n---\nTekst.\n"
    )
    assert run_cli(["validate"], cwd=study).exit_code == 0
    result = run_cli(
        ["merge-codes", "course.outcomes.stability", "course.outcomes.relapse", "--into", "mixed"],
        cwd=study,
    )
    assert result.exit_code == 0, result.stderr
    assert memo.read_text().count("code: course.outcomes.mixed\n") == 2
    assert run_cli(["validate"], cwd=study).exit_code == 0
