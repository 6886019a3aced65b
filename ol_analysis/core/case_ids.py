"""Case ids across files: the ``duplicate-case`` rule, for every reader of a set of case files.

:func:`ol_analysis.core.study.check_cases` reads case files from disk; ``agree`` reads them from
git revisions (:mod:`ol_analysis.feedback.agree`). Both report a case id used by two files in the
same words: the first file keeps the id, each later one gets the diagnostic and is left out.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ol_analysis.core.validate import case_id_of
from ol_analysis.core.yamlsource import SourceDocument
from ol_analysis.diagnostics import Diagnostic


@dataclass
class CaseIds:
    """The case ids seen so far, each with the file (as shown to the user) that used it first."""

    first_seen: dict[str, str] = field(default_factory=dict)

    def claim(self, doc: SourceDocument, shown: str) -> Diagnostic | None:
        """Claim the id of ``doc``, read from ``shown``; ``duplicate-case`` if already taken.

        A document without an id claims nothing (the validator reports the missing id).
        """
        case_id = case_id_of(doc.data)
        if case_id is None:
            return None
        if case_id in self.first_seen:
            return doc.diagnostic(
                ("id",),
                "duplicate-case",
                f"case id '{case_id}' is also used by {self.first_seen[case_id]}",
                "give each case its own id",
            )
        self.first_seen[case_id] = shown
        return None
