"""The named queries behind every figure a chapter states: pure functions over a loaded study.

Each returns a value with the cases behind it, so that a sentence of a chapter ("bij vijf
casussen", "gemiddeld vier, minimaal twee, maximaal vijf medewerkers") can always be traced to
its cases. Templates call these through :class:`~ol_analysis.report.data.ReportData` and only
format the results; the claims corpus of a study (``tests/study/claims.yaml`` for the shipped
one) names them through :func:`run`.

Paths are the dotted paths of ``stats --json``: ``part.group.code`` for a code of a single or
multi group, ``part.group.field.code`` for a code of a record field, ``part.group`` or
``part.group.field`` for a bool.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from statistics import fmean
from typing import Any, Literal

from ol_analysis.analysis.aggregate import countable_paths, counted_records
from ol_analysis.analysis.counts import Count
from ol_analysis.core.framework import Framework, Group
from ol_analysis.core.study import Case, Study
from ol_analysis.core.values import as_list
from ol_analysis.diagnostics import did_you_mean
from ol_analysis.errors import UsageError

Quantifier = Literal["all", "most", "half", "some", "none"]


@dataclass(frozen=True)
class PerCase:
    """A number per case (e.g. core professionals per case), with its mean and range."""

    values: Mapping[str, int | float]
    total_cases: int

    @property
    def count(self) -> Count:
        return Count.of(sorted(self.values), self.total_cases)

    @property
    def mean(self) -> float | None:
        return fmean(self.values.values()) if self.values else None

    @property
    def minimum(self) -> int | float | None:
        return min(self.values.values()) if self.values else None

    @property
    def maximum(self) -> int | float | None:
        return max(self.values.values()) if self.values else None

    @property
    def total(self) -> int | float:
        return sum(self.values.values())

    def cases_with(self, value: int | float) -> Count:
        """The cases whose number is ``value`` (e.g. the cases with two casemanagers)."""
        return Count.of(sorted(c for c, v in self.values.items() if v == value), self.total_cases)

    @property
    def distribution(self) -> tuple[tuple[int | float, Count], ...]:
        """Each value that occurs, ascending, with the cases that have it."""
        return tuple((v, self.cases_with(v)) for v in sorted(set(self.values.values())))


@dataclass(frozen=True)
class Distinct:
    """The distinct values of a field across the cases, each with the cases that have it."""

    values: tuple[tuple[str, Count], ...]

    @property
    def n(self) -> int:
        return len(self.values)


@dataclass(frozen=True)
class Money:
    """Amounts in euro: how many, total, mean and range."""

    amounts: tuple[float, ...]

    @property
    def n(self) -> int:
        return len(self.amounts)

    @property
    def total(self) -> float:
        return sum(self.amounts)

    @property
    def mean(self) -> float | None:
        return fmean(self.amounts) if self.amounts else None

    @property
    def minimum(self) -> float | None:
        return min(self.amounts) if self.amounts else None

    @property
    def maximum(self) -> float | None:
        return max(self.amounts) if self.amounts else None


# --- resolving paths --------------------------------------------------------------------------


def _group(study: Study, path: str) -> Group:
    group = study.framework.group(path)
    if group is None:
        known = [g.path for _p, g in study.framework.groups()]
        hint = did_you_mean(path, known)
        raise UsageError(
            f"'{path}' is not a group of the framework" + (f"; {hint}" if hint else "")
        )
    return group


def _split(study: Study, path: str) -> tuple[Group, str | None, str | None]:
    """(group, record field id or None, code or None) of a counted path."""
    parts = path.split(".")
    group = study.framework.group(".".join(parts[:2]))
    rest = parts[2:]
    if group is not None and group.kind == "records" and rest:
        field = group.field(rest[0])
        if field is not None and len(rest) <= 2:
            return group, field.id, rest[1] if len(rest) > 1 else None
    if group is not None and len(rest) == 1 and group.is_coded:
        return group, None, rest[0]
    if group is not None and not rest and group.kind == "bool":
        return group, None, None
    known = list(_known_paths(study))
    hint = did_you_mean(path, known)
    raise UsageError(
        f"'{path}' is not a counted path of the framework" + (f"; {hint}" if hint else "")
    )


def _known_paths(study: Study) -> Iterable[str]:
    for _part, group in study.framework.groups():
        yield group.path
        yield from (code.path for code in group.codes)
        for field in group.fields:
            yield field.path
            yield from (code.path for code in field.codes)


def _matches(study: Study, case: Case, path: str) -> tuple[bool, bool]:
    """(does the case count under ``path``, does that rest only on inferred codings)."""
    group, field_id, code = _split(study, path)
    if field_id is None and code is not None:
        items = [item for item in case.items(group.path) if item.code == code]
    elif field_id is None:
        items = [item for item in case.items(group.path) if getattr(item, "value", None) is True]
    else:
        row_field = group.row_field
        on_row = group.status is not None and row_field is not None and field_id == row_field.id
        records = counted_records(group, case) if on_row else case.items(group.path)
        if code is None:
            items = [r for r in records if getattr(r, field_id, None) is True]
        else:
            items = [r for r in records if code in as_list(getattr(r, field_id, None))]
    if not items:
        return False, False
    return True, all(getattr(item, "inferred", False) for item in items)


# --- counts -----------------------------------------------------------------------------------


def _count(study: Study, matching: Iterable[tuple[str, bool]], path: str = "") -> Count:
    found = sorted(matching)
    inferred = tuple(case_id for case_id, rests_on_inference in found if rests_on_inference)
    return Count(len(found), tuple(c for c, _i in found), len(study), path, inferred)


def cases_with(study: Study, path: str) -> Count:
    """The cases that count under a code or bool path, and which of them only by inference."""
    hits = ((case.id, _matches(study, case, path)) for case in study)
    return _count(study, ((case_id, m[1]) for case_id, m in hits if m[0]), path)


def all_of(study: Study, paths: Sequence[str]) -> Count:
    """The cases that count under every one of ``paths`` ("both GGZ Drenthe and Cosis")."""
    matching = []
    for case in study:
        results = [_matches(study, case, path) for path in paths]
        if paths and all(found for found, _i in results):
            matching.append((case.id, any(inferred for _f, inferred in results)))
    return _count(study, matching)


def any_of(study: Study, paths: Sequence[str]) -> Count:
    """The cases that count under at least one of ``paths``."""
    matching = []
    for case in study:
        results = [m for m in (_matches(study, case, path) for path in paths) if m[0]]
        if results:
            matching.append((case.id, all(inferred for _f, inferred in results)))
    return _count(study, matching)


@dataclass(frozen=True)
class CaseIndex:
    """Every counted path with the cases that count under it, found in one walk over the cases,
    so that :func:`cases_with`, :func:`all_of` and :func:`any_of` become set operations: a report
    asks about a hundred of them of one study, and each query matched every case.

    ``paths`` maps each counted path of the framework (every path of ``stats``, zero counts
    included) to its cases, each with whether it counts only through inferred codings. A path
    that is not among them is answered by the query itself, so the results, and the errors, are
    always those of the query.
    """

    study: Study
    paths: Mapping[str, Mapping[str, bool]]

    @classmethod
    def of(cls, study: Study) -> CaseIndex:
        paths: dict[str, dict[str, bool]] = {path: {} for path in countable_paths(study.framework)}
        for case in study:
            for path, inferred in _case_matches(study.framework, case).items():
                paths.setdefault(path, {})[case.id] = inferred
        return cls(study, paths)

    def cases_with(self, path: str) -> Count:
        """As :func:`cases_with`."""
        found = self.paths.get(path)
        if found is None:
            return cases_with(self.study, path)
        return _count(self.study, found.items(), path)

    def all_of(self, paths: Sequence[str]) -> Count:
        """As :func:`all_of`."""
        if not paths or any(path not in self.paths for path in paths):
            return all_of(self.study, paths)
        each = [self.paths[path] for path in paths]
        shared = set(each[0]).intersection(*each[1:])
        return _count(self.study, ((c, any(found[c] for found in each)) for c in shared))

    def any_of(self, paths: Sequence[str]) -> Count:
        """As :func:`any_of`."""
        if any(path not in self.paths for path in paths):
            return any_of(self.study, paths)
        each = [self.paths[path] for path in paths]
        either = set().union(*each)
        return _count(
            self.study, ((c, all(found[c] for found in each if c in found)) for c in either)
        )


def _case_matches(framework: Framework, case: Case) -> dict[str, bool]:
    """The counted paths a case counts under, each with whether it does only through inferred
    codings: what :func:`_matches` says of each path, in one walk over the case's groups."""
    found: dict[str, bool] = {}

    def note(path: str, item: Any) -> None:
        found[path] = found.get(path, True) and bool(getattr(item, "inferred", False))

    for _part, group in framework.groups():
        items = case.items(group.path)
        if not items:
            continue
        if group.is_coded:
            for item in items:
                note(f"{group.path}.{item.code}", item)
        elif group.kind == "bool":
            for item in items:
                if getattr(item, "value", None) is True:
                    note(group.path, item)
        elif group.kind == "records":
            _record_matches_of(group, case, items, note)
    return found


def _record_matches_of(
    group: Group, case: Case, records: list[Any], note: Callable[[str, Any], None]
) -> None:
    row_field = group.row_field
    for field in group.fields:
        if field.is_coded:
            on_row = group.status is not None and field is row_field
            for record in counted_records(group, case) if on_row else records:
                for code in as_list(getattr(record, field.id, None)):
                    note(f"{field.path}.{code}", record)
        elif field.type == "bool":
            for record in records:
                if getattr(record, field.id, None) is True:
                    note(field.path, record)


def exactly(study: Study, group_path: str, codes: Sequence[str]) -> Count:
    """The cases whose codes in a single or multi group are exactly ``codes`` (in any order):
    "GGZ Drenthe and Cosis, and no other organisation"."""
    group = _group(study, group_path)
    known = {code.id for code in group.codes}
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise UsageError(f"'{unknown[0]}' is not a code of {group_path}")
    wanted = set(codes)
    matching = []
    for case in study:
        items = case.items(group_path)
        if {item.code for item in items} == wanted:
            matching.append((case.id, any(getattr(i, "inferred", False) for i in items)))
    return _count(study, matching)


def in_range(study: Study, path: str, low: float, high: float) -> Count:
    """The cases whose integer or number group lies in ``[low, high]``."""
    group = _group(study, path)
    matching = []
    for case in study:
        value = case.value(group.path)
        number = getattr(value, "value", None)
        if isinstance(number, int | float) and low <= number <= high:
            matching.append((case.id, bool(getattr(value, "inferred", False))))
    return _count(study, matching)


def quantifier(count: Count) -> Quantifier:
    """How a report words a count: all, most (more than half), half, some, none."""
    if count.n == 0:
        return "none"
    if count.n == count.total:
        return "all"
    if 2 * count.n > count.total:
        return "most"
    return "half" if 2 * count.n == count.total else "some"


# --- records ----------------------------------------------------------------------------------


def _record_matches(record: Any, where: Mapping[str, Any]) -> bool:
    for field_id, wanted in where.items():
        value = getattr(record, field_id, None)
        if isinstance(value, list):
            if wanted not in value:
                return False
        elif value != wanted:
            return False
    return True


def records_per_case(
    study: Study, group_path: str, where: Mapping[str, Any] | None = None
) -> PerCase:
    """How many records of a group each case has, counting only records whose fields equal
    ``where`` (e.g. ``{"involvement": "core"}`` for the 'vaste schil'). Cases without any
    record of the group are left out of the mean and range."""
    group = _group(study, group_path)
    if group.kind != "records":
        raise UsageError(f"'{group_path}' is a {group.kind} group, not a record group")
    for field_id in where or {}:
        if group.field(field_id) is None:
            known = [f.id for f in group.fields]
            raise UsageError(f"'{field_id}' is not a field of {group_path}; fields: {known}")
    values: dict[str, int] = {}
    for case in study:
        records = case.items(group_path)
        if records:
            values[case.id] = sum(1 for r in records if _record_matches(r, where or {}))
    return PerCase(values, len(study))


def distinct(study: Study, field_path: str, where: Mapping[str, Any] | None = None) -> Distinct:
    """The distinct codes (or texts) of a record field across all cases, in framework order for
    codes, each with the cases that have it (e.g. the 25 network partners of Bijlage I)."""
    group_path, _, field_id = field_path.rpartition(".")
    group = _group(study, group_path)
    field = group.field(field_id)
    if field is None:
        raise UsageError(f"'{field_id}' is not a field of {group_path}")
    seen: dict[str, set[str]] = {}
    for case in study:
        for record in case.items(group_path):
            if _record_matches(record, where or {}):
                for value in as_list(getattr(record, field_id, None)):
                    seen.setdefault(str(value), set()).add(case.id)
    order = {code.id: index for index, code in enumerate(field.codes)}
    keys = sorted(seen, key=lambda v: (order.get(v, len(order)), v))
    return Distinct(tuple((k, Count.of(sorted(seen[k]), len(study))) for k in keys))


def cases_with_each(
    study: Study,
    field_path: str,
    alternatives: Sequence[Sequence[str]],
    where: Mapping[str, Any] | None = None,
) -> Count:
    """The cases whose records of a group, counting only those whose fields equal ``where``,
    hold at least one code of every alternative: a combination of functions, e.g. a main
    practitioner (psychiatrist or nurse specialist), a personal counsellor and a nurse or SPV
    in the 'vaste schil' (``[[psychiatrist, nurse_specialist], [personal_counsellor], [nurse,
    spv]]`` with ``{"involvement": "core"}``)."""
    group_path, _, field_id = field_path.rpartition(".")
    group = _group(study, group_path)
    field = group.field(field_id)
    if field is None:
        raise UsageError(f"'{field_id}' is not a field of {group_path}")
    known = {code.id for code in field.codes}
    for code in (code for alternative in alternatives for code in alternative):
        if known and code not in known:
            hint = did_you_mean(code, known)
            raise UsageError(
                f"'{code}' is not a code of {field_path}" + (f"; {hint}" if hint else "")
            )
    matching = []
    for case in study:
        held = {
            str(value)
            for record in case.items(group_path)
            if _record_matches(record, where or {})
            for value in as_list(getattr(record, field_id, None))
        }
        if all(held & set(alternative) for alternative in alternatives):
            matching.append(case.id)
    return Count.of(sorted(matching), len(study))


@dataclass(frozen=True)
class Selected:
    """The study-level records (of ``study.yaml``) whose fields equal a filter, in file order."""

    items: tuple[Any, ...]

    @property
    def n(self) -> int:
        return len(self.items)

    def values(self, field_id: str) -> tuple[Any, ...]:
        """One field of each selected record, leaving out the records without it."""
        return tuple(v for v in (getattr(i, field_id, None) for i in self.items) if v is not None)


def select_records(records: Iterable[Any], where: Mapping[str, Any]) -> Selected:
    """The records whose fields equal ``where`` (a codes field matches when it holds the
    value); for the record groups of study-level findings."""
    return Selected(tuple(r for r in records if _record_matches(r, where)))


def money(amounts: Iterable[float | int | None]) -> Money:
    """Amounts in euro, leaving out the missing ones."""
    return Money(tuple(float(a) for a in amounts if a is not None))


# --- the query language of a claims corpus ----------------------------------------------------


def cases_with_records(study: Study, group_path: str, where: Mapping[str, Any]) -> Count:
    """The cases with at least one record of a group whose fields equal ``where`` (a codes
    field matches when it contains the value)."""
    per_case = records_per_case(study, group_path, where)
    return Count.of(sorted(c for c, n in per_case.values.items() if n), len(study))


def codes_per_case(study: Study, group_path: str) -> PerCase:
    """How many codes of a multi group each case has (cases without any left out)."""
    group = _group(study, group_path)
    if not group.is_coded:
        raise UsageError(f"'{group_path}' is a {group.kind} group; it has no codes to count")
    values = {case.id: len(case.codes(group_path)) for case in study if case.codes(group_path)}
    return PerCase(values, len(study))


def distinct_codes(study: Study, group_path: str) -> Distinct:
    """The codes of a single or multi group that at least one case has, in framework order."""
    group = _group(study, group_path)
    found = [(code.id, count) for code in group.codes if (count := cases_with(study, code.path)).n]
    return Distinct(tuple(found))


def _selection(study: Study, query: Mapping[str, Any], key: str) -> Count:
    """The cases a query's ``key`` names: a path, a list of paths (any of them), or a record
    group with ``where``."""
    target = query[key]
    if "of" in query:
        return cases_with_each(study, target, query["of"], query.get("where"))
    if isinstance(target, list):
        return any_of(study, target)
    group = study.framework.group(target)
    if group is not None and group.kind == "records":
        return cases_with_records(study, target, query.get("where") or {})
    if group is not None and group.is_coded:
        return any_of(study, [code.path for code in group.codes])
    return cases_with(study, target)


def _per_case(study: Study, query: Mapping[str, Any]) -> PerCase:
    group = _group(study, query["records_per_case"])
    if group.kind == "records":
        return records_per_case(study, group.path, query.get("where"))
    return codes_per_case(study, group.path)


def run(study: Study, query: Mapping[str, Any]) -> Any:
    """Run one query of a claims corpus and return its comparable value.

    ``{count: PATH}`` → k (a record group with ``where``: cases with a matching record);
    ``{cases: PATH}`` → [case ids]; ``{count_exact: GROUP, codes: [..]}`` → k; ``{count_all:
    [PATH, ..]}`` / ``{count_any: [..]}`` → k; ``{records_per_case: GROUP, where: {..}, stat:
    mean|min|max}`` → number (a multi group: codes per case); ``{distinct: GROUP[.FIELD],
    where: {..}}`` → n; ``{quantifier: PATH or [PATH, ..], where: {..}}`` →
    all|most|half|some|none; ``{values: PATH, band: [low, high]}`` → k. Study-level findings
    (``{study: PATH}``) are looked up by the caller, which holds the study file. A record
    field with ``of: [[CODE, ..], ..]`` (and ``where``) selects the cases whose records hold a
    code of each alternative (:func:`cases_with_each`), for ``count``, ``cases`` and
    ``quantifier``.
    """
    if "count" in query:
        return _selection(study, query, "count").n
    if "cases" in query:
        return list(_selection(study, query, "cases").cases)
    if "count_exact" in query:
        return exactly(study, query["count_exact"], query["codes"]).n
    if "count_all" in query:
        return all_of(study, query["count_all"]).n
    if "count_any" in query:
        return any_of(study, query["count_any"]).n
    if "records_per_case" in query:
        per_case = _per_case(study, query)
        stat = {"mean": per_case.mean, "min": per_case.minimum, "max": per_case.maximum}
        return stat[query["stat"]]
    if "distinct" in query:
        path = query["distinct"]
        group = study.framework.group(path)
        if group is not None and group.is_coded:
            return distinct_codes(study, path).n
        return distinct(study, path, query.get("where")).n
    if "quantifier" in query:
        return quantifier(_selection(study, query, "quantifier"))
    if "values" in query:
        low, high = query["band"]
        return in_range(study, query["values"], low, high).n
    raise UsageError(f"not a query: {dict(query)}")


# --- quotes from the evidence -----------------------------------------------------------------


@dataclass(frozen=True)
class Quote:
    """A verbatim quote from a coding's evidence: the case, the words, and who said them."""

    case_id: str
    text: str
    speaker: str | None


def quotes(
    study: Study, path: str, speaker: str | None = None, where: Mapping[str, Any] | None = None
) -> tuple[Quote, ...]:
    """The evidence quotes behind a counted path (a code, a record field's code or a bool) or,
    for a record group path, behind its records whose fields equal ``where``; in case order,
    only those of ``speaker`` when given."""
    group = study.framework.group(path)
    found = []
    for case in study:
        if group is not None and group.kind == "records":
            items = [r for r in case.items(path) if _record_matches(r, where or {})]
        else:
            group_of, field_id, code = _split(study, path)
            items = case.items(group_of.path)
            if field_id is None and code is not None:
                items = [i for i in items if i.code == code]
            elif field_id is None:
                items = [i for i in items if getattr(i, "value", None) is True]
            else:
                wanted = True if code is None else code
                items = [
                    r
                    for r in items
                    if (wanted is True and getattr(r, field_id, None) is True)
                    or wanted in as_list(getattr(r, field_id, None))
                ]
        for item in items:
            for evidence in getattr(item, "evidence", None) or ():
                text = getattr(evidence, "quote", None)
                who = getattr(evidence, "speaker", None)
                if text and (speaker is None or who == speaker):
                    found.append(Quote(case.id, " ".join(str(text).split()), who))
    return tuple(found)


def ranked_by_records(tallies: Iterable[Any]) -> tuple[Any, ...]:
    """The tallies (anything with ``records``) that have at least one record, most records
    first; ties keep their order (a table of key-moment categories, most moments first)."""
    kept = [tally for tally in tallies if getattr(tally, "records", 0)]
    return tuple(sorted(kept, key=lambda tally: -tally.records))


def with_cases(rows: Iterable[Any], attribute: str = "total") -> tuple[Any, ...]:
    """The rows whose Count ``attribute`` (``total`` of a crosstab row, ``count`` of a code)
    names at least one case, in their order."""
    return tuple(row for row in rows if getattr(row, attribute).n)


def labels_of(codes: Iterable[Any], ids: Iterable[str]) -> tuple[str, ...]:
    """The labels of the codes (anything with ``id`` and ``label``) whose id is in ``ids``, in
    the codes' order (the labels of one case's codes in a group)."""
    wanted = set(ids)
    return tuple(code.label for code in codes if code.id in wanted)


def with_content(parts: Iterable[Any]) -> tuple[Any, ...]:
    """The parts of a case view that hold items or records (empty parts left out)."""
    return tuple(part for part in parts if part.items or part.records)


def case_numbering(study: Study) -> Mapping[str, int]:
    """Each case's number in the report: its position in case-id order, counted from 1."""
    return {case_id: n for n, case_id in enumerate(sorted(case.id for case in study), 1)}


def case_numbers(
    study: Study, case_ids: Iterable[str], numbering: Mapping[str, int] | None = None
) -> tuple[int, ...]:
    """The report's numbers of cases: a case's position in case-id order, counted from 1 (the
    published report numbers its cases as §3.1 lists them, so c02 is "casus 2").
    ``numbering``: :func:`case_numbering` of the study, when the caller keeps it."""
    numbers = case_numbering(study) if numbering is None else numbering
    case_ids = tuple(case_ids)
    unknown = [case_id for case_id in case_ids if case_id not in numbers]
    if unknown:
        raise UsageError(f"no case '{unknown[0]}' in the study")
    return tuple(numbers[case_id] for case_id in case_ids)
