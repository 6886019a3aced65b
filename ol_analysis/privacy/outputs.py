"""Everything a build publishes, scanned and audited: ``privacy --outputs`` and the build's check.

:func:`check_outputs` reads every output file part by part (:mod:`.extract`), scans each part
for identifiers (:mod:`.scan`), and audits what the output publishes per case
(:mod:`.audit`): k-anonymity of the profile attributes it shows, and the rare terms of the case
texts that stand in it. Findings the study accepted in its allow-list are left out; an
acceptance must say who accepted it and why.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ol_analysis.core.study import Study
from ol_analysis.diagnostics import Diagnostic, Severity, did_you_mean
from ol_analysis.privacy import audit
from ol_analysis.privacy.extract import SCANNED_SUFFIXES, Part, Unreadable, parts
from ol_analysis.privacy.scan import AUDIT_RULES, Accepted, Allowed, scan_text

K_ANONYMITY, RARE_TERM = AUDIT_RULES
DEFAULT_K = 2


@dataclass
class OutputCheck:
    """The study, the lists and the policy a check of outputs runs with."""

    study: Study | None = None
    deny_names: Sequence[str] = ()
    allowed: Sequence[Allowed] = ()
    accepted: Sequence[Accepted] = ()
    k: int = DEFAULT_K
    names: bool = False  # person names through the optional deduce extra (slow: opt in)
    _attributes: list[audit.Attribute] = field(default_factory=list, init=False)

    def __post_init__(self) -> None:
        if self.study is not None:
            self._attributes = audit.profile_attributes(self.study.framework)


def check_acceptances(accepted: Sequence[Accepted], study: Study) -> list[Diagnostic]:
    """An accepted k-anonymity finding must name profile attributes and cases of the study (a
    misspelt attribute would accept nothing, silently)."""
    attributes = [a.id for a in audit.profile_attributes(study.framework)]
    problems = []
    for entry in accepted:
        unknown = [("attribute", a, attributes) for a in entry.attributes if a not in attributes]
        unknown += [("case", c, list(study.cases)) for c in entry.cases if c not in study.cases]
        for what, name, choices in unknown:
            problems.append(
                Diagnostic(
                    entry.source,
                    entry.line,
                    entry.column,
                    "privacy-allow-list",
                    f"the {entry.rule} entry names '{name}', which is no {what} of the study"
                    + (" profile" if what == "attribute" else ""),
                    did_you_mean(name, choices) or f"{what}s: {', '.join(choices)}",
                )
            )
    return problems


def output_files(folder: Path) -> list[Path]:
    """Every file under ``folder`` the scanner reads, skipping the build's own caches and
    staging folders (names starting with a dot)."""
    if folder.is_file():
        return [folder]
    return sorted(
        path
        for path in folder.rglob("*")
        if path.is_file()
        and path.suffix.lower() in SCANNED_SUFFIXES
        and not any(p.startswith(".") for p in path.relative_to(folder).parts[:-1])
    )


def check_outputs(
    files: Iterable[Path],
    check: OutputCheck,
    *,
    shown: Path | None = None,
    root: Path | None = None,
) -> list[Diagnostic]:
    """Every finding in ``files``; with ``root`` and ``shown``, a path under ``root`` is
    reported under ``shown`` instead (the build checks its staging folder as ``build/``)."""
    problems: list[Diagnostic] = []
    table, rare = _study_facts(check)
    common = audit.framework_words(check.study.framework) if check.study else set()
    for file in files:
        name = str(shown / file.relative_to(root)) if shown and root else str(file)
        try:
            file_parts = list(parts(file))
        except Unreadable as error:
            problems.append(_unreadable(name, str(error)))
            continue
        for part in file_parts:
            problems += scan_text(
                name, part.text, deny_names=check.deny_names, allowed=check.allowed, part=part.where
            )
            if check.names:
                problems += _person_names(name, part, check.allowed, common)
        if check.study is not None:
            problems += _audit(name, file_parts, check, table, rare)
    return problems


def _unreadable(name: str, why: str) -> Diagnostic:
    return Diagnostic(
        name,
        1,
        1,
        "privacy-unreadable",
        f"{why}; not scanned, so not known to be clean",
        "repair or remove the file, or scan its text another way",
    )


def _study_facts(
    check: OutputCheck,
) -> tuple[dict[str, dict[str, audit.Value]], list[audit.RareTerm]]:
    study = check.study
    if study is None:
        return {}, []
    table = audit.profile_table(study, check._attributes)
    texts = {case_id: audit.case_texts(case) for case_id, case in study.cases.items()}
    return table, audit.rare_terms(texts, check.k, audit.framework_words(study.framework))


def _first_mentions(
    file_parts: Sequence[Part], case_ids: Iterable[str]
) -> dict[str, tuple[str, int, int]]:
    """Case id → (part, line, column) of its first mention in the output."""
    pattern = audit.case_id_pattern(case_ids)
    found: dict[str, tuple[str, int, int]] = {}
    if pattern is None:
        return found
    for part in file_parts:
        for number, line in enumerate(part.text.splitlines(), start=1):
            for match in pattern.finditer(line):
                found.setdefault(match[1], (part.where, number, match.start() + 1))
    return found


def _audit(
    name: str,
    file_parts: Sequence[Part],
    check: OutputCheck,
    table: dict[str, dict[str, audit.Value]],
    rare: Sequence[audit.RareTerm],
) -> list[Diagnostic]:
    text = "\n".join(part.text for part in file_parts)
    mentions = _first_mentions(file_parts, table)
    published = audit.published_attributes(text, check._attributes) if mentions else []
    problems = []
    for found in audit.singled_out(table, published, mentions, check.k):
        if any(a.accepts(K_ANONYMITY, name, found.case, found.combination) for a in check.accepted):
            continue
        where, line, column = mentions[found.case]
        shown = ", ".join(
            f"{a}={audit.show_value(v)}"
            for a, v in zip(found.combination, found.values, strict=True)
        )
        n = len(table)
        problems.append(
            Diagnostic(
                name,
                line,
                column,
                K_ANONYMITY,
                f"case {found.case} is singled out{' in ' + where if where else ''}: "
                f"{found.size} of {n} cases {'has' if found.size == 1 else 'have'} {shown} "
                f"(k={check.k}; this output publishes {', '.join(published)})",
                "coarsen or leave out an attribute of the combination, or accept it in the "
                "allow-list with accepted_by and a reason",
                location=where,
            )
        )
    for term in rare:
        position = _find(file_parts, term.term)
        if position is None:
            continue
        if any(
            a.accepts(RARE_TERM, name, case, [term.term])
            for a in check.accepted
            for case in term.cases
        ):
            continue
        where, line, column = position
        problems.append(
            Diagnostic(
                name,
                line,
                column,
                RARE_TERM,
                f"the {'date' if term.kind == 'date' else 'name'} '{term.term}' stands in the "
                f"texts of only {len(term.cases)} case(s) ({', '.join(term.cases)}; k={check.k})"
                f"{' in ' + where if where else ''}",
                "generalise it (a region, a kind of organisation, a year) or accept it in the "
                "allow-list with accepted_by and a reason",
                Severity.WARNING,
                location=where,
            )
        )
    return problems


def _find(file_parts: Sequence[Part], term: str) -> tuple[str, int, int] | None:
    pattern = re.compile(rf"(?<![\w-]){re.escape(term)}(?![\w-])")
    for part in file_parts:
        for number, line in enumerate(part.text.splitlines(), start=1):
            match = pattern.search(line)
            if match:
                return part.where, number, match.start() + 1
    return None


def _person_names(
    name: str, part: Part, allowed: Sequence[Allowed], common: set[str]
) -> list[Diagnostic]:
    """deduce's person names, less those made of the framework's own words ("Ernst bij
    start" is a label, not Mr Ernst)."""
    from ol_analysis.privacy import names

    allow = {(a.rule, a.text) for a in allowed}
    problems = []
    for line, column, found in names.person_names(part.text):
        words = re.findall(r"\w+", found.casefold())
        if ("privacy-person-name", found) in allow or all(w in common for w in words):
            continue
        problems.append(
            Diagnostic(
                name,
                line,
                column,
                "privacy-person-name",
                f"a person's name ('{found[:2]}…', found by deduce)"
                f"{' in ' + part.where if part.where else ''} must not be in a pseudonymised "
                "study",
                "pseudonymise it, or allow it with a reason if it is not a person",
                Severity.WARNING,
                location=part.where,
            )
        )
    return problems
