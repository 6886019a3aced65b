"""The report states agreement and adjudications per round, from the study's adjudication log."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import ol_analysis
from ol_analysis.core.adjudication import AdjudicationLog, Decision, Round
from ol_analysis.errors import StudyError
from ol_analysis.report.adjudication import round_summaries
from ol_analysis.report.build import build_report

REPO = Path(__file__).resolve().parents[2]

LOG = """\
# two rounds of the shipped study's double coding (synthetic)
rounds:
  - round: 1
    date: 2026-10-01
    coders: [team-a, team-b]
    units: 1870
    percent_agreement: 0.9412
    krippendorff_alpha: 0.8123
    alpha_ci: [0.7712, 0.8489]
    disagreements: 3
decisions:
  - case: c01
    unit: profile.team
    codings: {team-a: assen, team-b: emmen}
    decision: assen
    by: AB
    reason: the referral names the team
    round: 1
    date: 2026-10-02
  - case: c02
    unit: reference.if_then.statement.no_or_later_guidance
    codings: {team-a: supports, team-b: null}
    decision: contested
    by: CD
    reason: the report gives both readings
    round: 1
    date: 2026-10-02
  - case: c03
    unit: profile.sex
    codings: {team-a: male, team-b: female}
    decision: female
    by: AB
    reason: as in the intake
    round: 2
    date: 2026-11-05
"""


def _decision(unit: str, decided: object, number: int) -> Decision:
    return Decision("c1", unit, {"a": True, "b": False}, decided, "AB", "r", number, "2026-10-02")


def test_round_summaries_count_decisions_per_round() -> None:
    log = AdjudicationLog(
        "adjudication.yaml",
        [Round(1, "2026-10-01", ["a", "b"], 10, 0.8, 0.6, (0.4, 0.8), 2)],
        [_decision("x.y.z", True, 1), _decision("x.y.w", False, 1), _decision("x.y.v", True, 2)],
    )
    first, second = round_summaries(log)
    assert (first.round, first.decided, first.not_decided, first.other_value) == (1, 2, 0, 0)
    # round 2 has no rounds entry: its decisions alone, no figures
    assert (second.round, second.decided, second.units, second.not_decided) == (2, 1, None, None)
    assert second.coders == ("a", "b")


@pytest.fixture
def study(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr("ol_analysis.report.build.DEFAULT_FORMATS", ("md", "html"))
    target = tmp_path / "study"
    target.mkdir()
    for name in ("framework.yaml", "study.yaml"):
        if (REPO / name).exists():
            shutil.copy(REPO / name, target / name)
    shutil.copytree(REPO / "cases", target / "cases", ignore=shutil.ignore_patterns("README*"))
    return target


def test_the_html_index_states_each_round(study: Path) -> None:
    (study / "adjudication.yaml").write_text(LOG, encoding="utf-8")
    build_report(ol_analysis.load_study(study), study / "build", lang="en", use_cache=False)
    page = (study / "build" / "html" / "index.html").read_text(encoding="utf-8")
    section = page[page.index('id="agreement"') :]
    assert "Agreement and adjudication per round" in section
    rows = section.split("<tr>")[2:]
    assert "team-a, team-b" in rows[0] and "1870" in rows[0] and "94.1%" in rows[0]
    assert "[0.77; 0.85]" in rows[0]
    # 3 disagreements, 2 decided (one for a value neither coding had), 1 not decided
    cells = [cell.split("</td>")[0] for cell in rows[0].split("<td>")[1:]]
    assert cells[-4:] == ["3", "2", "1", "1"]
    assert "2026-11-05" in rows[1] and "–" in rows[1]


def test_no_log_no_section(study: Path) -> None:
    build_report(ol_analysis.load_study(study), study / "build", lang="en", use_cache=False)
    page = (study / "build" / "html" / "index.html").read_text(encoding="utf-8")
    assert 'id="agreement"' not in page


def test_a_broken_log_stops_the_build_with_its_place(study: Path) -> None:
    (study / "adjudication.yaml").write_text(LOG.replace("unit: profile.sex", "unit: profile.sx"))
    with pytest.raises(StudyError) as raised:
        build_report(ol_analysis.load_study(study), study / "build", lang="en", use_cache=False)
    (problem,) = raised.value.diagnostics
    assert (problem.line, problem.column, problem.rule) == (
        29,
        11,
        "adjudication-unknown-unit",
    )
    assert problem.hint == "did you mean 'profile.sex'?"


@pytest.mark.parametrize(
    ("lang", "name", "heading"),
    [
        ("nl", "bijlage-3-overeenstemming.md", "Bijlage III Overeenstemming"),
        ("en", "appendix-3-agreement.md", "Appendix III Agreement"),
    ],
)
def test_the_methods_appendix_states_each_round(
    study: Path, lang: str, name: str, heading: str
) -> None:
    """The Markdown chapters (and so the DOCX) carry the rounds too, as their last appendix."""
    build_report(
        ol_analysis.load_study(study), study / "no-log", lang=lang, formats=("md",), use_cache=False
    )
    assert not (study / "no-log" / "md" / name).exists()
    (study / "adjudication.yaml").write_text(LOG, encoding="utf-8")
    build_report(
        ol_analysis.load_study(study), study / "build", lang=lang, formats=("md",), use_cache=False
    )
    text = (study / "build" / "md" / name).read_text(encoding="utf-8")
    assert text.startswith(f"# {heading}")
    rows = [
        line for line in text.splitlines() if line.startswith("| 1 |") or line.startswith("| 2 |")
    ]
    first = [cell.strip() for cell in rows[0].strip("|").split("|")]
    assert first[2:] == (
        ["team-a, team-b", "1870", "94,1%" if lang == "nl" else "94.1%"]
        + (["0,81", "[0,77; 0,85]"] if lang == "nl" else ["0.81", "[0.77; 0.85]"])
        + ["3", "2", "1", "1"]
    )
    assert rows[1].split("|")[2].strip() == "2026-11-05"
