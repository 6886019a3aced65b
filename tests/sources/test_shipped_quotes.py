"""The shipped study's evidence quotes come from the published report: each one is found in it
by the matcher that checks a study's sources (core.sources.find_quote).

The report is read from ``../shared/seeds/`` beside the repository and never copied into it;
the test is skipped where it is absent. A quote that does not verify must be listed in
``KNOWN_MISMATCHES`` with its reason (none today); a listed quote that verifies again fails the
test too, so the list stays true.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import ol_analysis
from ol_analysis.core.sources import evidence_items, find_quote, normalise, read_source_text

REPO = Path(__file__).resolve().parents[2]
REPORT = REPO.parent / "shared" / "seeds" / "004_97785c2a4569107b.txt"

KNOWN_MISMATCHES: dict[tuple[str, str], str] = {
    # (case id, evidence location): why the quote is not verbatim in the report
}


@pytest.fixture(scope="module")
def report() -> str:
    if not REPORT.is_file():
        pytest.skip(f"the published report is not at {REPORT}")
    return read_source_text(REPORT)


def shipped_quotes() -> list[tuple[str, str, str]]:
    study = ol_analysis.load_study(REPO, include_drafts=True)
    documents = [*study.cases.values(), *([study.findings] if study.findings else [])]
    return [
        (case.id, ".".join(str(step) for step in loc), evidence.quote)
        for case in documents
        for loc, evidence, _codes in evidence_items(study.framework, case.model)
        if evidence.quote and evidence.source == "report"
    ]


def test_every_shipped_quote_is_in_the_published_report(report: str) -> None:
    text = normalise(report)
    quotes = shipped_quotes()
    assert len(quotes) > 400
    missing = {
        (case, where): quote for case, where, quote in quotes if find_quote(quote, text) is None
    }
    unexplained = {key: quote for key, quote in missing.items() if key not in KNOWN_MISMATCHES}
    assert unexplained == {}, "quotes not in the report: list each with its reason"
    assert set(KNOWN_MISMATCHES) == set(missing), "a listed mismatch verifies now: remove it"


def test_the_matcher_would_notice_a_changed_word(report: str) -> None:
    text = normalise(report)
    _case, _where, quote = max(shipped_quotes(), key=lambda found: len(found[2]))
    words = quote.split()
    words[len(words) // 2] = "olifant"
    assert find_quote(" ".join(words), text) is None
