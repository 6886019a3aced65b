"""The re-identification audit, as pure functions of the study and of what an output publishes.

With eleven cases, "the only woman of 18–25 in team Assen" is identifying although no name
appears. An output publishes, for each case it names, the profile attributes whose labels it
shows (the framework's ``roles: profile`` part, its single, multi, bool and number groups). A
case is *singled out* when fewer than ``k`` cases of the study share its values on those
attributes (k-anonymity); the finding names the smallest combination of attributes that already
does it, since that is what a reader needs to know.

Rare terms are the second way in: a place, an organisation or a date that stands in the quotes
and narratives of fewer than ``k`` cases tells a local reader who it is. Candidates are full
dates, month-and-year dates, capitalised words inside a sentence and acronyms, less the words of
the framework itself (its labels name the study's teams and partners on purpose).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ol_analysis.analysis.codings import group_value
from ol_analysis.core.framework import Framework, Group
from ol_analysis.core.study import Case, Study

Value = Any
"""A profile value as compared: a code, a sorted tuple of codes, a number, a bool or None."""

_PROFILE_KINDS = ("single", "multi", "bool", "integer", "number")


@dataclass(frozen=True)
class Attribute:
    """One profile group: its short id, dotted path and the labels an output shows it by."""

    id: str
    path: str
    labels: tuple[str, ...]


def profile_attributes(framework: Framework) -> list[Attribute]:
    """The groups of the framework's profile part (``roles: profile``), in framework order."""
    part_id = framework.roles.profile
    part = framework.part(part_id) if part_id else None
    if part is None:
        return []
    attributes = []
    for group in part.groups:
        if group.kind in _PROFILE_KINDS:
            labels = tuple(sorted({label for label in _labels(group) if len(label) >= 3}, key=len))
            attributes.append(Attribute(group.id, group.path, labels))
    return attributes


def _labels(group: Group) -> Iterator[str]:
    yield group.path
    label = group.label
    for text in (getattr(label, "nl", None), getattr(label, "en", None)):
        if text:
            yield text


def profile_table(study: Study, attributes: Sequence[Attribute]) -> dict[str, dict[str, Value]]:
    """Case id → attribute id → comparable value (multi codes as a sorted tuple)."""
    table: dict[str, dict[str, Value]] = {}
    for case_id, case in study.cases.items():
        row = {}
        for attribute in attributes:
            group = study.framework.group(attribute.path)
            value = group_value(case, group) if group is not None else None
            row[attribute.id] = tuple(sorted(value)) if isinstance(value, list) else value
        table[case_id] = row
    return table


@dataclass(frozen=True)
class SinglingOut:
    """``case`` is one of ``size`` cases (fewer than k) with ``values`` on ``combination``."""

    case: str
    combination: tuple[str, ...]
    values: tuple[Value, ...]
    size: int


def class_size(
    table: Mapping[str, Mapping[str, Value]], case: str, combination: Sequence[str]
) -> int:
    """How many cases share ``case``'s values on every attribute of ``combination``."""
    mine = [table[case].get(a) for a in combination]
    return sum(1 for row in table.values() if [row.get(a) for a in combination] == mine)


def singled_out(
    table: Mapping[str, Mapping[str, Value]],
    published: Sequence[str],
    cases: Iterable[str],
    k: int,
) -> list[SinglingOut]:
    """Each case of ``cases`` that fewer than ``k`` cases share on the ``published`` attributes,
    with the smallest combination of them that already singles it out (first in attribute order
    among the smallest)."""
    found = []
    for case in cases:
        if case not in table or not published or class_size(table, case, published) >= k:
            continue
        for size in range(1, len(published) + 1):
            combination = next(
                (
                    combo
                    for combo in itertools.combinations(published, size)
                    if class_size(table, case, combo) < k
                ),
                None,
            )
            if combination is not None:
                values = tuple(table[case].get(a) for a in combination)
                found.append(
                    SinglingOut(case, combination, values, class_size(table, case, combination))
                )
                break
    return found


def is_k_anonymous(
    table: Mapping[str, Mapping[str, Value]], attributes: Sequence[str], k: int
) -> bool:
    """Every case shares its values on ``attributes`` with at least ``k - 1`` other cases."""
    return not singled_out(table, attributes, table, k)


def show_value(value: Value) -> str:
    if isinstance(value, tuple):
        return "[" + ", ".join(str(v) for v in value) + "]"
    if value is None:
        return "(none)"
    return str(value).lower() if isinstance(value, bool) else str(value)


# ── what an output publishes ─────────────────────────────────────────────────────────────────


def case_id_pattern(case_ids: Iterable[str]) -> re.Pattern[str] | None:
    ids = sorted(case_ids, key=len, reverse=True)
    if not ids:
        return None
    return re.compile(r"(?<![\w-])(" + "|".join(re.escape(i) for i in ids) + r")(?![\w-])")


def published_attributes(text: str, attributes: Sequence[Attribute]) -> list[str]:
    """The attributes whose dotted path or label (nl or en, any case) stands in ``text``."""
    folded = text.casefold()
    found = []
    for attribute in attributes:
        for label in attribute.labels:
            if re.search(rf"(?<![\w-]){re.escape(label.casefold())}(?![\w-])", folded):
                found.append(attribute.id)
                break
    return found


# ── rare terms ────────────────────────────────────────────────────────────────────────────────

_MONTHS = (
    "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|"
    "january|february|march|may|june|july|august|october"
)
_DATE_TERM = re.compile(
    rf"(?<![\w-])(?:\d{{1,2}}[-/.]\d{{1,2}}[-/.](?:19|20)\d{{2}}|(?:19|20)\d{{2}}-\d{{1,2}}-\d{{1,2}}"
    rf"|(?:\d{{1,2}} )?(?:{_MONTHS}) (?:19|20)\d{{2}})(?![\w-])",
    re.IGNORECASE,
)
_PROPER = re.compile(r"(?<![\w-])(?:[A-Z][a-zà-ÿ]+(?:[- ][A-Z][a-zà-ÿ]+)*|[A-Z]{2,6})(?![\w-])")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;]\s+|[\"'“‘(]\s*|\n\s*[-*]?\s*)$")


@dataclass(frozen=True)
class RareTerm:
    """A term of the case texts that stands in fewer than k cases, and which cases."""

    term: str
    kind: str  # "date" or "name"
    cases: tuple[str, ...]


def case_texts(case: Case) -> list[str]:
    """The narratives and quotes of a case: every string value of its data, keys aside."""
    return list(_strings(case.model.model_dump(mode="python")))


_NOT_TEXT = frozenset(
    ("id", "code", "codes", "source", "speaker", "section", "status", "subgroup", "analysts")
)


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            if key not in _NOT_TEXT:
                yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def terms_of(text: str) -> Iterator[tuple[str, str]]:
    """(term, kind) of every candidate: dates, and capitalised words inside a sentence."""
    for match in _DATE_TERM.finditer(text):
        yield match[0], "date"
    for match in _PROPER.finditer(text):
        term = match[0]
        if _SENTENCE_START.search(text[: match.start()]):
            # a capital because the sentence starts there: what follows may still be a name
            term = term.partition(" ")[2] if " " in term else ""
        if term:
            yield term, "name"


def framework_words(framework: Framework) -> set[str]:
    """Every word of the framework's labels, descriptions and examples, case-folded: a term the
    codebook itself names (a team, a partner, an agency) is published by design."""
    words: set[str] = set()
    for part, group in framework.groups():
        things = [
            part,
            group,
            *group.fields,
            *group.codes,
            *(c for f in group.fields for c in f.codes),
        ]
        for thing in things:
            words |= _words(getattr(thing, "label", None))
            texts = [getattr(thing, "description", ""), *(getattr(thing, "examples", None) or [])]
            words |= {
                w.casefold() for t in texts if isinstance(t, str) for w in re.findall(r"[\w-]+", t)
            }
    return words


def _words(label: Any) -> set[str]:
    texts = [getattr(label, "nl", None), getattr(label, "en", None)] if label else []
    return {w.casefold() for t in texts if t for w in re.findall(r"[\w-]+", t)}


def rare_terms(
    texts: Mapping[str, Sequence[str]], k: int, common: Iterable[str] = ()
) -> list[RareTerm]:
    """Terms that stand in the texts of fewer than ``k`` cases (case id → texts), less the
    ``common`` words (case-folded: the framework's own words)."""
    known = {c.casefold() for c in common}
    where: dict[tuple[str, str], set[str]] = {}
    for case_id, case_texts_ in texts.items():
        for text in case_texts_:
            for term, kind in terms_of(text):
                if kind == "name" and all(w.casefold() in known for w in re.findall(r"\w+", term)):
                    continue
                where.setdefault((term, kind), set()).add(case_id)
    return [
        RareTerm(term, kind, tuple(sorted(cases)))
        for (term, kind), cases in sorted(where.items())
        if len(cases) < k
    ]
