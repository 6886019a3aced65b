"""``build`` checks the new build before it swaps it in: a planted identifier refuses the whole
build and leaves the previous one as it was; re-identification findings warn, or refuse with
``--reidentification error`` unless the study accepted them. Real exporters, synthetic data."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
PLANTED = (
    "BSN 111 222 333 en 123 45 67 82, geb.datum 12.03.1985, DOB 1985-3-12, Kerkstraat 5, "
    "9401 ab, Tinéke Testbüur, begeleider.test@example.org"
)
RULES = {
    "privacy-bsn": 2,
    "privacy-birthdate": 2,
    "privacy-address": 1,
    "privacy-postcode": 1,
    "privacy-name": 1,
    "privacy-email": 1,
}


def tree(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def study(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The shipped framework and cases (synthetic reconstructions), a deny-list outside it."""
    target = tmp_path / "study"
    target.mkdir()
    shutil.copy(REPO / "framework.yaml", target / "framework.yaml")
    shutil.copytree(REPO / "cases", target / "cases")
    deny = tmp_path / "deny.txt"
    deny.write_text("Tineke Testbuur\n", encoding="utf-8")
    monkeypatch.setenv("OL_ANALYSIS_DENY_LIST", str(deny))
    monkeypatch.setattr("ol_analysis.report.build.DEFAULT_FORMATS", ("md", "html"))
    return target


def plant(study: Path, text: str = PLANTED) -> None:
    case = study / "cases" / "c04.yaml"
    source = case.read_text(encoding="utf-8")
    case.write_text(source.replace("summary: >\n", f"summary: >\n  {text}\n", 1), "utf-8")


def rules_per_file(stderr: str) -> dict[str, dict[str, int]]:
    found: dict[str, dict[str, int]] = {}
    for line in stderr.splitlines():
        if ": error[privacy-" in line:
            path = line.split(":", 1)[0]
            rule = line.split("error[", 1)[1].split("]", 1)[0]
            found.setdefault(path, {}).setdefault(rule, 0)
            found[path][rule] += 1
    return found


def test_build_refuses_a_planted_identifier_and_keeps_the_old_build(
    run_cli: Any, study: Path
) -> None:
    first = run_cli(["build"], cwd=study)
    assert first.exit_code == 0, first.stderr
    before = tree(study / "build")
    plant(study)
    refused = run_cli(["build"], cwd=study)
    assert refused.exit_code == 1
    assert "Traceback" not in refused.stderr
    assert tree(study / "build") == before
    found = rules_per_file(refused.stderr)
    for output in ("build/md/3.1-casusbeschrijvingen.md", "build/html/cases/c04.html"):
        assert found[output] == RULES, output
    assert "warning[" not in refused.stderr  # the refusal names the errors only


def test_build_refuses_it_in_the_docx_too(
    run_cli: Any, study: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("ol_analysis.report.build.DEFAULT_FORMATS", ("md", "docx"))
    plant(study)
    refused = run_cli(["build"], cwd=study)
    assert refused.exit_code == 1
    assert rules_per_file(refused.stderr)["build/docx/report.docx"] == RULES
    assert "(in paragraph " in refused.stderr
    assert not (study / "build" / "docx").exists()


def test_an_allowed_text_is_published(run_cli: Any, study: Path) -> None:
    plant(study, "Het team zit aan de Kerkstraat 5.")
    assert run_cli(["build"], cwd=study).exit_code == 1
    (study / "privacy-allow.yaml").write_text(
        "- {rule: privacy-address, text: Kerkstraat 5, reason: the team's public office}\n",
        encoding="utf-8",
    )
    result = run_cli(["build"], cwd=study)
    assert result.exit_code == 0, result.stderr
    assert "Kerkstraat 5" in (study / "build" / "html" / "cases" / "c04.html").read_text("utf-8")


def test_reidentification_warns_by_default_and_refuses_on_request(
    run_cli: Any, study: Path
) -> None:
    warned = run_cli(["build"], cwd=study)
    assert warned.exit_code == 0
    lines = warned.stderr.splitlines()
    assert lines[0].startswith("wrote build/")
    assert lines[1].startswith("warning[privacy-reidentification]: ")
    assert "11 case(s) singled out (k=2)" in lines[1]
    before = tree(study / "build")
    refused = run_cli(["build", "--reidentification", "error"], cwd=study)
    assert refused.exit_code == 1
    assert "build/html/cases/c01.html" in refused.stderr
    assert "error[privacy-k-anonymity]: case c01 is singled out" in refused.stderr
    assert tree(study / "build") == before
    shutil.copy(REPO / "privacy-allow.yaml", study / "privacy-allow.yaml")
    accepted = run_cli(["build", "--reidentification", "error"], cwd=study)
    assert accepted.exit_code == 0, accepted.stderr
    assert "privacy" not in accepted.stderr
    off = run_cli(["build", "--reidentification", "off"], cwd=study)
    assert "privacy" not in off.stderr


def test_real_names_of_analysts_and_comment_authors(run_cli: Any, study: Path) -> None:
    case = study / "cases" / "c04.yaml"
    text = case.read_text(encoding="utf-8").replace("    - analyst-a2\n", "    - Jan de Vries\n")
    text = text.replace(
        "  status: final\n",
        "  status: final\n  comments:\n    - path: profile.team\n      author: Marieke\n"
        "      round: 1\n      text: klopt dit?\n      resolved: true\n",
        1,
    )
    case.write_text(text, encoding="utf-8")
    result = run_cli(["privacy"], cwd=study)
    assert result.exit_code == 1
    lines = text.splitlines()
    analyst = next(n for n, t in enumerate(lines, 1) if "Jan de Vries" in t)
    author = next(n for n, t in enumerate(lines, 1) if "author: Marieke" in t)
    assert result.stderr.count("error[privacy-analyst-name]") == 2
    assert f"cases/c04.yaml:{analyst}:7: error[privacy-analyst-name]" in result.stderr
    assert f"cases/c04.yaml:{author}:15: error[privacy-analyst-name]" in result.stderr


def test_the_exports_carry_no_planted_identifier_unseen(run_cli: Any, study: Path) -> None:
    """The real exporters (CSV, SQLite, REFI-QDA) with the identifiers planted in a quote."""
    case = study / "cases" / "c04.yaml"
    source = case.read_text(encoding="utf-8")
    quote = 'quote: "Mevrouw is getrouwd en heeft een gezin."'
    assert quote in source
    case.write_text(source.replace(quote, f'quote: "{PLANTED}"', 1), encoding="utf-8")
    for args in (
        ["export", "csv", "--out", "out/csv"],
        ["export", "sqlite", "--out", "out/study.db"],
        ["export", "refi", "--out", "out/study.qdpx"],
    ):
        assert run_cli(args, cwd=study).exit_code == 0, args
    result = run_cli(["privacy", "out"], cwd=study)
    assert result.exit_code == 1
    found = rules_per_file(result.stderr)
    for output in ("out/csv/codings.csv", "out/study.db", "out/study.qdpx"):
        assert set(found[output]) == set(RULES), output
        assert all(found[output][rule] >= n for rule, n in RULES.items()), output
