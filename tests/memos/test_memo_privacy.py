"""``privacy`` scans memos (and the transcripts of ``sources/``) with the rules it applies to
case files; a build does not publish a memo's identifier on a page."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

BSN = "111222333"  # passes the 11-proef; synthetic


def findings(run_cli: Any, study: Path) -> tuple[int, list[dict[str, Any]]]:
    result = run_cli(["privacy", "--format", "json"], cwd=study)
    return result.exit_code, json.loads(result.stdout)


def test_the_example_memos_are_clean(study: Path, run_cli: Any) -> None:
    assert findings(run_cli, study) == (0, [])


def test_a_bsn_and_a_name_as_author_in_a_memo_are_found_at_their_place(
    study: Path, run_cli: Any
) -> None:
    (study / "memos" / "leak.md").write_text(
        "---\ntitle: Lek\nauthor: Marieke Jansen\ntarget: {case: p01}\n---\n"
        f"De cliënt (BSN {BSN}) belde.\n",
        encoding="utf-8",
    )
    code, found = findings(run_cli, study)
    assert code == 1
    places = {(d["path"], d["line"], d["column"], d["rule"]) for d in found}
    assert places == {
        ("memos/leak.md", 3, 9, "privacy-analyst-name"),
        ("memos/leak.md", 6, 16, "privacy-bsn"),
    }
    assert BSN not in json.dumps(found)  # masked


def test_an_e_mail_address_in_a_transcript_is_found(study: Path, run_cli: Any) -> None:
    transcript = study / "sources" / "teamoverleg-2023-05.txt"
    transcript.write_text(
        transcript.read_text(encoding="utf-8") + "Mail: iemand@example.org\n", encoding="utf-8"
    )
    code, found = findings(run_cli, study)
    assert code == 1
    assert [(d["path"], d["rule"]) for d in found] == [
        ("sources/teamoverleg-2023-05.txt", "privacy-email")
    ]


def test_a_build_refuses_a_memo_with_a_bsn(study: Path, run_cli: Any) -> None:
    (study / "memos" / "leak.md").write_text(
        f"---\ntitle: Lek\ntarget: {{case: p01}}\n---\nBSN {BSN}.\n", encoding="utf-8"
    )
    out = study / "build"
    result = run_cli(["build", "--format", "md,html", "--out", str(out)], cwd=study)
    assert result.exit_code == 1
    assert "error[privacy-bsn]" in result.stderr and "cases/p01.html" in result.stderr
    assert not (out / "html").exists()
