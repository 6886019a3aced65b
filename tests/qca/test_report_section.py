"""The QCA section in a chapter: ``data.qca()`` computes, the packaged ``qca.md.j2`` formats."""

from __future__ import annotations

from pathlib import Path

import ol_analysis
from ol_analysis.report.render import make_env

STUDY = Path(__file__).parent / "study"
CHAPTER = '{% import "qca.md.j2" as q %}{{ q.section(data.qca(OUTCOME)) }}'


def render(outcome: str | None, lang: str = "en") -> str:
    study = ol_analysis.load_study(STUDY)
    data = ol_analysis.gather(study, lang=lang)
    env = make_env(None, lang=lang)
    return env.from_string(CHAPTER.replace("OUTCOME", repr(outcome))).render(data=data)


def test_a_chapter_shows_the_computed_analysis() -> None:
    text = render(None)
    assert "## Configurations of conditions (QCA)" in text
    assert "| 1 | 0 | 1 | 1 | 1 | 1.000 | q03 (q03) |" in text
    assert "`home_visits*~peer_support*~severe`:" in text  # the contradiction
    assert "“We kwamen twee keer per week langs.” (home_visits, professional)" in text
    assert "Not in the truth table: q08 (profile.severity is not coded)." in text


def test_the_section_follows_the_named_outcome_and_language() -> None:
    text = render("~stable", lang="nl")
    assert "### Waarheidstabel" in text
    assert "`~stable`" in text
