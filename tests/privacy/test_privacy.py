"""The personal-data scanner on synthetic data: every planted identifier is found, at its place,
and nothing that merely looks like one (no false BSNs, no years taken for dates of birth)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ol_analysis.privacy import Allowed, eleven_test, iban_valid, mask, scan_text

HERE = Path(__file__).parent


def scan(name: str, **options: Any) -> list[tuple[int, int, str]]:
    text = (HERE / name).read_text(encoding="utf-8")
    return [(d.line, d.column, d.rule) for d in scan_text(name, text, **options)]


def test_every_planted_identifier_is_found_where_it_stands() -> None:
    found = scan("planted_case.yaml", deny_names=["Tineke Testbuur"])
    assert found == [
        (2, 22, "privacy-email"),
        (5, 15, "privacy-bsn"),
        (5, 44, "privacy-postcode"),
        (5, 72, "privacy-phone"),
        (6, 10, "privacy-phone"),
        (6, 39, "privacy-iban"),
        (6, 74, "privacy-birthdate"),
        (7, 18, "privacy-name"),
    ]


def test_look_alikes_are_not_reported() -> None:
    assert scan("clean_case.yaml") == []


@pytest.mark.parametrize(
    ("digits", "is_bsn"),
    [
        ("111222333", True),
        ("123456782", True),
        ("123456789", False),
        ("000000000", False),
        ("12345678", False),
    ],
)
def test_eleven_test(digits: str, is_bsn: bool) -> None:
    assert eleven_test(digits) is is_bsn


def test_iban_mod_97() -> None:
    assert iban_valid("NL91ABNA0417164300")
    assert iban_valid("GB82 WEST 1234 5698 7654 32")
    assert not iban_valid("NL91ABNA0417164301")


def test_allow_list_entry_suppresses_exactly_its_text() -> None:
    text = "postcode 9401 AB en 9402 CD"
    allowed = [Allowed("privacy-postcode", "9401 AB", "the team's office, published")]
    found = scan_text("x", text, allowed=allowed)
    assert [(d.column, d.rule) for d in found] == [(21, "privacy-postcode")]


def test_findings_are_masked_in_messages() -> None:
    (finding,) = scan_text("x", "BSN 111222333")
    assert "111222333" not in finding.message and mask("111222333") in finding.message


def test_deny_list_matches_whole_words_case_insensitively() -> None:
    found = scan_text("x", "jansen, Jansens en JANSEN", deny_names=["Jansen"])
    assert [d.column for d in found] == [1, 20]


def test_privacy_command(run_cli: Any, tmp_path: Path, mini_study: Path) -> None:
    study = tmp_path / "study"
    (study / "cases").mkdir(parents=True)
    (study / "framework.yaml").write_text((mini_study / "framework.yaml").read_text("utf-8"))
    (study / "cases" / "p01.yaml").write_text((HERE / "planted_case.yaml").read_text("utf-8"))
    deny = tmp_path / "deny.txt"
    deny.write_text("# names\nTineke Testbuur\n", encoding="utf-8")
    result = run_cli(["privacy", "--deny-list", str(deny)], cwd=study)
    assert result.exit_code == 1
    assert result.stderr.count("error[privacy-") == 8
    assert "cases/p01.yaml:5:15: error[privacy-bsn]" in result.stderr
    (study / "privacy-allow.yaml").write_text(
        "- {rule: privacy-postcode, text: 9401 AB}\n", encoding="utf-8"
    )
    no_reason = run_cli(["privacy", "--deny-list", str(deny)], cwd=study)
    assert "error[privacy-allow-list]" in no_reason.stderr
    (study / "cases" / "p01.yaml").write_text("id: p01\ntitle: schoon\n", encoding="utf-8")
    (study / "privacy-allow.yaml").unlink()
    clean = run_cli(["privacy", "--deny-list", str(deny)], cwd=study)
    assert (clean.exit_code, clean.stderr) == (0, "")


def test_shipped_study_is_clean(run_cli: Any, repo_root: Path) -> None:
    result = run_cli(["privacy", "--json"], cwd=repo_root)
    assert result.exit_code == 0, result.stdout


@pytest.mark.parametrize("colour", ["#4477AA", "#4477aa", "fill='#6688CC'"])
def test_a_colour_code_is_no_postcode(colour: str) -> None:
    """Figures and pages carry hex colours (#4477AA): a postcode never follows a '#'."""
    assert [d.rule for d in scan_text("figure.svg", colour)] == []
    beside = scan_text("figure.svg", f"{colour} 9401 AB")
    assert [d.rule for d in beside] == ["privacy-postcode"]
