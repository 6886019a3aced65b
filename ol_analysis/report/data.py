"""The report-data object: every count, matrix and graph the report needs, gathered once.

:func:`gather` runs pure functions over a loaded :class:`~ol_analysis.core.study.Study` (no I/O, no
printing) and returns one frozen :class:`ReportData`. Renderers — the Markdown and HTML chapters,
the figures, the DOCX export — only format what it holds, so every output of a build tells the
same numbers. Everything is driven by the framework: groups, codes and labels come from
``framework.yaml``, the groups of the study-wide pictures too (its ``roles:``, a :class:`Roles`:
which groups draw the support network, the timeline, the if…then matrix, …), and a chapter
template may name any path it likes.

A count is always a :class:`Count`: ``k`` of ``N`` cases *with the cases behind it*, so that a
chapter can say "5 van 11 casussen (c01, c04, …)" and never a bare tally.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property, wraps
from types import MappingProxyType
from typing import Any, Concatenate, ParamSpec, TypeVar

import networkx as nx

from ol_analysis.analysis import queries
from ol_analysis.analysis.aggregate import order_cases, stats
from ol_analysis.analysis.counts import Count, Roles, freeze
from ol_analysis.analysis.network import (
    CaseNetwork,
    PartnerNetwork,
    case_network,
    cooccurrence_graph,
    partner_network,
)
from ol_analysis.core.framework import Framework
from ol_analysis.diagnostics import did_you_mean
from ol_analysis.report.adjudication import RoundSummary, study_rounds
from ol_analysis.report.cases import case_views
from ol_analysis.report.records import record_summary
from ol_analysis.report.tables import (
    case_code_matrix,
    crosstabs,
    group_counts,
    status_matrices,
)
from ol_analysis.report.types import (
    CaseCodeMatrix,
    CaseView,
    CodeCount,
    Crosstab,
    FrameworkMatrix,
    GroupCounts,
    ItemView,
    PartView,
    RecordSummary,
    StatusMatrix,
)


class ReportLookupError(LookupError):
    """A template asked for a path the report data does not hold (a typo, or another framework)."""

    def __init__(self, what: str, path: str, known: Iterable[str]) -> None:
        hint = did_you_mean(path, known)
        super().__init__(f"'{path}' is not {what}" + (f"; {hint}" if hint else ""))


P = ParamSpec("P")
R = TypeVar("R")


def _key(value: Any) -> Any:
    """A hashable stand-in for a query's argument that tells apart what ``==`` would not
    (``True`` and ``1``, a list and a tuple)."""
    if isinstance(value, list | tuple):
        return (type(value), tuple(_key(v) for v in value))
    if isinstance(value, dict):
        return (dict, tuple((k, _key(v)) for k, v in sorted(value.items())))
    return (type(value), value)


def _remembered(
    method: Callable[Concatenate[ReportData, P], R],
) -> Callable[Concatenate[ReportData, P], R]:
    """A named query whose answer the :class:`ReportData` keeps: the queries are pure, and the
    chapters ask the same ones again (within a chapter, and in its Markdown and its HTML)."""
    name = method.__name__

    @wraps(method)
    def remembered(self: ReportData, *args: P.args, **kwargs: P.kwargs) -> R:
        key = (name, _key(args), _key(dict(kwargs)))
        try:
            return self._answers[key]  # type: ignore[no-any-return]
        except KeyError:
            answer = self._answers[key] = method(self, *args, **kwargs)
            return answer
        except TypeError:  # an argument that cannot be a key: ask again
            return method(self, *args, **kwargs)

    return remembered


@dataclass(frozen=True)
class ReportData:
    """Everything a report shows, computed before anything is rendered; read-only.

    ``cases`` and every per-case tuple follow ``order`` (case-id order unless the build asked to
    order by an attribute); the case lists inside a :class:`Count` are in case-id order, as in
    ``stats --json``.
    """

    framework: Framework
    lang: str
    n_cases: int
    order: tuple[str, ...]
    order_by: str | None
    stats: Mapping[str, Any]
    counts: Mapping[str, Count]
    groups: Mapping[str, GroupCounts]
    values: Mapping[str, Mapping[str, Any]]
    crosstabs: Mapping[tuple[str, str], Crosstab]
    matrices: Mapping[str, CaseCodeMatrix]
    status_matrices: Mapping[str, StatusMatrix]
    records: Mapping[str, RecordSummary]
    framework_matrix: FrameworkMatrix
    cases: Mapping[str, CaseView]
    cooccurrence: nx.Graph
    networks: Mapping[str, CaseNetwork]
    partners: PartnerNetwork
    roles: Roles
    study: Any = field(default=None, compare=False, repr=False)
    """The study itself, for the named queries of :mod:`ol_analysis.analysis.queries`."""
    drafts_left_out: int = 0
    """Drafts checked but not counted (every chapter's footer says how many)."""
    adjudication: tuple[RoundSummary, ...] = ()
    """Agreement and adjudication per round, from the study's adjudication log (none without)."""

    @cached_property
    def _answers(self) -> dict[Any, Any]:
        """The answers of the named queries asked so far (see :func:`_remembered`)."""
        return {}

    @cached_property
    def _index(self) -> queries.CaseIndex:
        return queries.CaseIndex.of(self.study)

    @cached_property
    def _numbering(self) -> Mapping[str, int]:
        return queries.case_numbering(self.study)

    # -- lookups for templates: each names the path it could not find ----------------------------

    def count(self, path: str) -> Count:
        """The count of a code (``course_outcome.pattern.rising``) or a bool group/field."""
        try:
            return self.counts[path]
        except KeyError:
            raise ReportLookupError("a counted path of the framework", path, self.counts) from None

    def group(self, path: str) -> GroupCounts:
        """The counts of every code of a single/multi group or a coded record field."""
        try:
            return self.groups[path]
        except KeyError:
            raise ReportLookupError("a coded group or field", path, self.groups) from None

    def crosstab(self, path: str, by: str) -> Crosstab:
        """Codes of ``path`` against the values of a profile attribute ``by`` (e.g. per team)."""
        try:
            return self.crosstabs[(path, by)]
        except KeyError:
            known = [f"{p}" for p, _b in self.crosstabs]
            if path in known:
                bys = [b for p, b in self.crosstabs if p == path]
                raise ReportLookupError("a profile attribute to cross by", by, bys) from None
            raise ReportLookupError("a coded group or field", path, known) from None

    def matrix(self, path: str) -> CaseCodeMatrix:
        """The case-by-code matrix of a group (as ``matrix --json``, with labels)."""
        try:
            return self.matrices[path]
        except KeyError:
            raise ReportLookupError("a group with a matrix", path, self.matrices) from None

    def status_matrix(self, path: str) -> StatusMatrix:
        """Rows × cases with each record's status, e.g. the if…then matrix."""
        try:
            return self.status_matrices[path]
        except KeyError:
            known = self.status_matrices
            raise ReportLookupError("a record group with a status", path, known) from None

    def record_group(self, path: str) -> RecordSummary:
        """Tallies of a record group: records per case, per code field, bool and number fields."""
        try:
            return self.records[path]
        except KeyError:
            raise ReportLookupError("a record group", path, self.records) from None

    def case(self, case_id: str) -> CaseView:
        try:
            return self.cases[case_id]
        except KeyError:
            raise ReportLookupError("a case of the study", case_id, self.cases) from None

    def case_part(self, case_id: str, part_id: str) -> PartView | None:
        """A part of a case's view (``.items``, ``.records``), or None when it has none."""
        return next((part for part in self.case(case_id).parts if part.id == part_id), None)

    def case_item(self, case_id: str, path: str) -> ItemView | None:
        """A group of a case's view (``.text``, ``.inferred``, ``.codes``), or None when the
        case does not code it: ``data.case_item(case.id, "scaling.cost_band")``."""
        parts = self.case(case_id).parts
        return next((item for part in parts for item in part.items if item.path == path), None)

    def label(self, path: str) -> str:
        """The label of a part, group, field or code in the report's language."""
        framework = self.framework
        found: Any = (
            framework.part(path)
            or framework.group(path)
            or framework.vocabulary_owner(path)
            or framework.code(path)
        )
        if found is None:
            known = [p.id for p in framework.parts] + list(self.counts) + list(self.groups)
            raise ReportLookupError("a part, group, field or code", path, known)
        return str(found.label.get(self.lang))

    def labels(self, field_path: str, codes: Iterable[str]) -> tuple[str, ...]:
        """The labels of codes of a field or group, of the cases or of ``study.yaml``
        (``labels("costs.cost_types.cost_type", ["regular_dbc", "admission"])``)."""
        group_path, _, field_id = field_path.rpartition(".")
        framework = self.framework
        group = framework.study_group(group_path) or framework.group(group_path)
        owner: Any = group.field(field_id) if group is not None else None
        if owner is None:
            owner = framework.study_group(field_path) or framework.group(field_path)
        if owner is None:
            raise ReportLookupError("a coded field or group", field_path, self.records)
        by_id = {code.id: code for code in owner.codes}
        for code in codes:
            if str(code) not in by_id:
                raise ReportLookupError(f"a code of {field_path}", str(code), by_id)
        return tuple(str(by_id[str(code)].label.get(self.lang)) for code in codes)

    def value_list(self, path: str) -> list[Any]:
        """The values of an integer/number/text group in case order (cases without one left out)."""
        if path not in self.values:
            raise ReportLookupError("an integer, number or text group", path, self.values)
        values = self.values[path]
        return [values[case_id] for case_id in self.order if case_id in values]

    @_remembered
    def in_range(self, path: str, low: float, high: float) -> Count:
        """Cases whose value of an integer/number group lies in ``[low, high]``."""
        if path not in self.values:
            raise ReportLookupError("an integer or number group", path, self.values)
        return queries.in_range(self.study, path, low, high)

    @_remembered
    def count_all(self, *paths: str) -> Count:
        """Cases that carry every one of the given codes (e.g. both GGZ Drenthe and Cosis)."""
        return self._index.all_of([self._counted(p) for p in paths])

    @_remembered
    def count_any(self, *paths: str) -> Count:
        """Cases that carry at least one of the given codes."""
        return self._index.any_of([self._counted(p) for p in paths])

    @_remembered
    def counted(self, path: str) -> Count:
        """Like :meth:`count`, and says which cases count only through inferred codings."""
        return self._index.cases_with(self._counted(path))

    @_remembered
    def exactly(self, group_path: str, *codes: str) -> Count:
        """Cases whose codes in a group are exactly ``codes`` ("GGZ Drenthe and Cosis only")."""
        if group_path not in self.groups:
            raise ReportLookupError("a coded group or field", group_path, self.groups)
        return queries.exactly(self.study, group_path, codes)

    @_remembered
    def per_case(self, group_path: str, **where: Any) -> queries.PerCase:
        """Records of a group per case, only those whose fields equal ``where`` (mean, range,
        distribution), e.g. ``per_case("support.professionals", involvement="core")``."""
        if group_path not in self.records:
            raise ReportLookupError("a record group", group_path, self.records)
        return queries.records_per_case(self.study, group_path, where)

    @_remembered
    def distinct(self, field_path: str, **where: Any) -> queries.Distinct:
        """The distinct values of a record field across the cases, each with its cases (of a
        single or multi group: its codes that cases have)."""
        group = self.framework.group(field_path)
        if group is not None and group.is_coded and not where:
            return queries.distinct_codes(self.study, field_path)
        return queries.distinct(self.study, field_path, where)

    def qca(self, outcome: str | None = None, *conditions: str, cutoff: float = 1.0) -> Any:
        """The crisp-set QCA of the study as the data of the ``qca.md.j2`` section: the
        framework's ``qca.defaults``, or the outcome and conditions named (ids or paths, see
        :func:`ol_analysis.analysis.qca.qca`): ``{{ q.section(data.qca()) }}``."""
        from ol_analysis.analysis.qca import qca

        return qca(self.study, outcome, list(conditions) or None, cutoff).as_json(self.lang)

    def quantifier(self, count: Count) -> str:
        """all, most, half, some or none: how the report words a count."""
        return queries.quantifier(count)

    def _counted(self, path: str) -> str:
        if path not in self.counts:
            raise ReportLookupError("a counted path of the framework", path, self.counts)
        return path

    def pairs(self, path: str, limit: int = 3) -> list[tuple[CodeCount, CodeCount, Count]]:
        """The commonest pairs of codes within one group, most cases first."""
        codes = [c for c in self.group(path).codes if c.count.n]
        found = []
        for i, first in enumerate(codes):
            for second in codes[i + 1 :]:
                both = self.count_all(first.path, second.path)
                if both.n:
                    found.append((first, second, both))
        found.sort(key=lambda item: -item[2].n)
        return found[:limit]

    def cooccurring(self, limit: int = 10) -> list[tuple[str, str, Count]]:
        """The pairs of codes (outside the profile) that most cases share: (label, label, count)."""
        graph = self.cooccurrence
        edges = sorted(graph.edges(data=True), key=lambda e: (-e[2]["weight"], e[0], e[1]))
        return [
            (graph.nodes[a]["label"], graph.nodes[b]["label"], Count.of(d["cases"], self.n_cases))
            for a, b, d in edges[:limit]
        ]

    def memo(self, memo_id: str) -> Any:
        """A memo of ``memos/`` by its id (the file name without ``.md``): ``.title``,
        ``.author``, ``.date``, ``.text`` (Markdown), ``.targets`` (docs/memos.md)."""
        memos = getattr(self.study, "memos", None)
        found = memos.get(memo_id) if memos is not None else None
        if found is None:
            known = [m.id for m in memos] if memos is not None else []
            raise ReportLookupError("a memo of the study", memo_id, known)
        return found

    def memos(self, target: str = "") -> tuple[Any, ...]:
        """The memos attached to a target, in id order: ``"case:c03"``, ``"code:PATH"``,
        ``"part:ID"``, ``"quote:c03"`` (quotes of a case), ``"study"``; every memo without one."""
        memos = getattr(self.study, "memos", None)
        if memos is None:
            return ()
        if not target:
            return tuple(memos)
        kind = target.partition(":")[0]
        if kind not in ("case", "code", "part", "quote", "study"):
            raise ReportLookupError(
                "a memo target (case:ID, code:PATH, part:ID, quote:CASE, study)", target, ()
            )
        return tuple(memos.attached_to(target))

    @property
    def stats_order(self) -> tuple[str, ...]:
        """Case ids in id order (the order of ``stats --json``)."""
        return tuple(sorted(self.order))

    @property
    def title(self) -> str:
        return self.framework.framework.title.get(self.lang)

    @_remembered
    def with_records(self, group_path: str, **where: Any) -> Count:
        """Cases with at least one record of a group whose fields equal ``where``, e.g.
        ``with_records("support.professionals", discipline="nurse", casemanager=True)``."""
        if group_path not in self.records:
            raise ReportLookupError("a record group", group_path, self.records)
        return queries.cases_with_records(self.study, group_path, where)

    @_remembered
    def with_each(self, field_path: str, *alternatives: list[str], **where: Any) -> Count:
        """Cases whose records hold a code of every alternative, e.g. ``with_each(
        "support.professionals.discipline", ["psychiatrist", "nurse_specialist"],
        ["personal_counsellor"], ["nurse", "spv"], involvement="core")``."""
        group_path = field_path.rpartition(".")[0]
        if group_path not in self.records:
            raise ReportLookupError("a record group", group_path, self.records)
        return queries.cases_with_each(self.study, field_path, alternatives, where)

    def findings_where(self, path: str, **where: Any) -> queries.Selected:
        """The records of a study-level record group whose fields equal ``where``, e.g.
        ``findings_where("costs.cost_types", financier="zvw")``; ``.n`` and ``.items``."""
        records = self.finding(path)
        if not isinstance(records, list):
            raise ReportLookupError("a record group of study.yaml", path, ())
        return queries.select_records(records, where)

    @_remembered
    def quote(self, path: str, speaker: str | None = None, **where: Any) -> queries.Quote | None:
        """The first verbatim evidence quote behind a path (of ``speaker``, when given), or None."""
        found = queries.quotes(self.study, path, speaker, where)
        return found[0] if found else None

    @_remembered
    def quotes(self, path: str, speaker: str | None = None, **where: Any) -> tuple[Any, ...]:
        """All verbatim evidence quotes behind a path (of ``speaker``, when given), case order."""
        return queries.quotes(self.study, path, speaker, where)

    def finding(self, path: str) -> Any:
        """A study-level finding of ``study.yaml`` (``costs.mean_dbc_month_first_year``)."""
        findings = getattr(self.study, "findings", None)
        try:
            if findings is None:
                raise LookupError(path)
            return findings.lookup(path) if hasattr(findings, "lookup") else findings.scalar(path)
        except LookupError:
            raise ReportLookupError("a finding of study.yaml", path, ()) from None

    def case_number(self, case_id: str) -> int:
        """The report's number of a case (position in case-id order + 1: c02 is "casus 2")."""
        return queries.case_numbers(self.study, [case_id], self._numbering)[0]

    def case_numbers(self, count: Count) -> tuple[int, ...]:
        """The report's numbers of a count's cases ("casus 2, 3, 7, 9 en 10"), in case-id order."""
        return queries.case_numbers(self.study, count.cases, self._numbering)

    def has_finding(self, path: str) -> bool:
        """Whether ``study.yaml`` holds a study-level finding at ``path`` (a chapter states the
        study's conclusions when it has them, and says so when it has not)."""
        try:
            self.finding(path)
        except ReportLookupError:
            return False
        return True

    def tallies(self, group_path: str, field_id: str, flag: str | None = None) -> tuple[Any, ...]:
        """The codes of a record field that have records, most records first; with ``flag``,
        over the records where that bool field is true."""
        summary = self.record_group(group_path)
        found = summary.where_true(flag, field_id) if flag else summary.field(field_id)
        return queries.ranked_by_records(found)

    def used_rows(self, crosstab: Crosstab) -> tuple[Any, ...]:
        """The rows of a crosstab that have at least one case."""
        return queries.with_cases(crosstab.rows)

    def case_labels(self, path: str, case_id: str) -> tuple[str, ...]:
        """The labels of one case's codes in a coded group, in the framework's order."""
        group = self.group(path)
        return queries.labels_of(group.codes, group.per_case.get(case_id, ()))

    def parts_with_content(self, case: CaseView) -> tuple[Any, ...]:
        """The parts of a case view that hold items or records."""
        return queries.with_content(case.parts)

    def matrix_groups(self, part: Any) -> tuple[Any, ...]:
        """The groups of a framework part that have a case × code matrix."""
        return tuple(group for group in part.groups if group.path in self.matrices)

    def status_row(self, path: str, code: str) -> Any:
        """One row of a status matrix by its code (a statement's status per case)."""
        for row in self.status_matrix(path).rows:
            if row.id == code:
                return row
        raise ReportLookupError(
            f"a row of {path}", code, [r.id for r in self.status_matrix(path).rows]
        )


def gather(
    study: Any,
    *,
    lang: str = "nl",
    order_by: str | None = None,
    roles: Roles | None = None,
) -> ReportData:
    """Compute everything the report shows from a loaded study; pure and deterministic."""
    roles = roles or study.framework.roles
    framework: Framework = study.framework
    ordered = order_cases(study, order_by) if order_by else list(study)
    order = tuple(case.id for case in ordered)
    total = len(study)
    result = stats(study)
    counts = {path: Count.of(e["cases"], total, path) for path, e in result["counts"].items()}
    groups = group_counts(study, framework, counts, lang)
    statuses = status_matrices(study, framework, order, lang)
    matrices = {
        group.path: case_code_matrix(group, order, lang, groups, statuses)
        for _part, group in framework.groups()
        if group.is_coded or (group.kind == "records" and group.row_field is not None)
    }
    views, framework_matrix = case_views(study, ordered, lang, roles, order_by)
    return ReportData(
        framework=framework,
        lang=lang,
        n_cases=total,
        drafts_left_out=getattr(study, "drafts_left_out", 0),
        adjudication=study_rounds(study),
        order=order,
        order_by=order_by,
        stats=MappingProxyType(result.as_json()),
        counts=freeze(counts),
        groups=freeze(groups),
        values=freeze({p: MappingProxyType(v) for p, v in result["values"].items()}),
        crosstabs=freeze(crosstabs(study, framework, groups, lang)),
        matrices=freeze(matrices),
        status_matrices=freeze(statuses),
        records=freeze(
            {
                g.path: record_summary(study, g, lang)
                for _p, g in framework.groups()
                if g.kind == "records"
            }
        ),
        framework_matrix=framework_matrix,
        cases=freeze(views),
        cooccurrence=cooccurrence_graph(study, lang, exclude_parts=_profile_parts(study)),
        networks=freeze({case.id: case_network(study, case, lang, roles) for case in ordered}),
        partners=partner_network(study, lang, roles),
        roles=roles,
        study=study,
    )


def _profile_parts(study: Any) -> tuple[str, ...]:
    """The profile part (the framework's ``profile`` role), left out of co-occurrence."""
    profile = study.framework.roles.profile
    return (profile,) if profile is not None else ()
