"""The QCA section of a report: ``templates/qca.md.j2`` filled with a computed result.

The template formats only; the figures come from
:meth:`ol_analysis.analysis.qca.QcaResult.as_json`. A study's own ``templates/qca.md.j2``
replaces the packaged one, as chapters do.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ol_analysis.errors import StudyError
from ol_analysis.report.render import make_env, template_problem, tidy

TEMPLATE = "qca.md.j2"
_SECTION = '{% import "qca.md.j2" as q with context %}{{ q.section(result) }}'


def qca_markdown(result: dict[str, Any], lang: str = "nl", templates: Path | None = None) -> str:
    """The Markdown section of a QCA result (its JSON data) in ``lang``; an error in a study's
    own ``qca.md.j2`` is a diagnostic, as for chapters."""
    env = make_env(templates, lang=lang)
    try:
        return tidy(env.from_string(_SECTION).render(result=result))
    except Exception as error:
        problem = template_problem(error, TEMPLATE, env)
        if problem is None:
            raise
        raise StudyError([problem]) from None
