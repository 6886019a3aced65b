"""Agreement and adjudication per round, for the report's methods section.

Read from the study's adjudication log (:mod:`ol_analysis.core.adjudication`): each round's
agreement when it started (recorded by ``ol-analysis adjudicate``) and the decisions taken in it.
The build has no coder folders to compare again, so "not decided" is the round's disagreements
less its decisions, as the log records them; ``ol-analysis status`` compares anew.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ol_analysis.core.adjudication import LOG_FILE, AdjudicationLog, read_log
from ol_analysis.diagnostics import has_errors
from ol_analysis.errors import StudyError


@dataclass(frozen=True)
class RoundSummary:
    """One round as the methods section states it; figures are None where the log has none."""

    round: int
    date: str
    coders: tuple[str, ...]
    units: int | None
    percent_agreement: float | None
    krippendorff_alpha: float | None
    alpha_ci: tuple[float, float] | None
    disagreements: int | None
    decided: int
    """Decisions taken in this round."""
    other_value: int
    """Decisions for a value none of the coders had given."""

    @property
    def not_decided(self) -> int | None:
        if self.disagreements is None:
            return None
        return max(self.disagreements - self.decided, 0)


def round_summaries(log: AdjudicationLog) -> tuple[RoundSummary, ...]:
    """Every round of the log, in order; a round with decisions but no ``rounds`` entry is
    listed with its decisions alone."""
    numbers = sorted({r.round for r in log.rounds} | {d.round for d in log.decisions})
    summaries = []
    for number in numbers:
        entry = log.round(number)
        decisions = [d for d in log.decisions if d.round == number]
        summaries.append(
            RoundSummary(
                number,
                entry.date if entry else min((d.date for d in decisions), default=""),
                tuple(entry.coders) if entry else tuple(_coders(decisions)),
                entry.units if entry else None,
                entry.percent_agreement if entry else None,
                entry.krippendorff_alpha if entry else None,
                entry.alpha_ci if entry else None,
                entry.disagreements if entry else None,
                len(decisions),
                sum(1 for d in decisions if d.decision not in d.codings.values()),
            )
        )
    return tuple(summaries)


def _coders(decisions: list[Any]) -> list[str]:
    return list(dict.fromkeys(coder for d in decisions for coder in d.codings))


def study_rounds(study: Any) -> tuple[RoundSummary, ...]:
    """The rounds of the log beside the study's framework (none when there is no log); raises
    :class:`StudyError` with located diagnostics when the log has errors."""
    source = Path(study.framework.source)
    folder = source.parent if source.name else Path(study.root)
    path = folder / LOG_FILE
    if not path.is_file():
        path = Path(study.root) / LOG_FILE
    if not path.is_file():
        return ()
    log, problems = read_log(path, study.framework)
    if has_errors(problems):
        raise StudyError(problems)
    return round_summaries(log)
