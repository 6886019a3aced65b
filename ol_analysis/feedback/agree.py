"""Agreement between two independent codings of the same cases (``ol-analysis agree``).

Two analysts code the same cases separately (two folders of case files, two files, or two git
revisions); before the consensus meeting we want to know, per group, how far they agree and
where exactly they differ.

The unit of analysis depends on the kind of group:

- a *single* group is one nominal variable: one unit per case, its value the code or
  "(not coded)" — as SPSS or R's ``irr`` compute kappa and alpha for a categorical variable
  (counting a unit per code would count every disagreement twice and inflate the figures);
- a *multi* group is a set of yes/no questions: one binary unit per *(case × code)*, does
  each side code it? A record group without a status is compared the same way by the codes of
  its row field (e.g. ``network.partners.partner.gp``);
- a record group with a ``status`` field (the if…then matrix) has a unit per *(case × code)*
  whose value is the record's status, or "not coded" — a "supports" against a "contested" is a
  disagreement, as it is in the matrix.

Bool, number and text groups are not compared. Each group's result names its unit
(:data:`UNIT_CASE`, :data:`UNIT_BINARY`, :data:`UNIT_STATUS`).

A ``REV:PATH`` side is read with the framework of its own revision
(:mod:`ol_analysis.feedback.versions`) and then put into the names of the framework the
comparison is made in (:mod:`ol_analysis.feedback.codebook`), so that a code renamed or merged
since is still the same unit.

Per group we report percent agreement, Cohen's kappa and Krippendorff's alpha (nominal), from
:mod:`ol_analysis.agreement`, and every disagreement. Undefined statistics (no variation, no
units) are NaN here, ``null`` in JSON and "undefined" in text. Cases on one side only are
reported, never dropped silently; they are not units (there is nothing to compare them with).
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ol_analysis.agreement import bootstrap_alpha, cohen_kappa, fleiss_kappa, krippendorff_alpha
from ol_analysis.core.case_ids import CaseIds
from ol_analysis.core.casemodel import CaseModels
from ol_analysis.core.framework import Framework, Group
from ol_analysis.core.pydantic_errors import to_diagnostics
from ol_analysis.core.study import CASE_SUFFIXES, Case, case_files, check_cases, work_status
from ol_analysis.core.validate import case_id_of, validate_document
from ol_analysis.core.values import as_list
from ol_analysis.core.yamlsource import MAX_FILE_BYTES, SourceDocument, parse_text
from ol_analysis.diagnostics import Diagnostic, Severity, has_errors
from ol_analysis.errors import StudyError, UsageError
from ol_analysis.feedback.codebook import Codebook, compare_frameworks, translate
from ol_analysis.feedback.diff import dump_case
from ol_analysis.feedback.versions import Frameworks
from ol_analysis.git import read_revision, revision_files

NOT_CODED = "(not coded)"
"""The value of a unit a side did not code, in a single group or a status-valued record group
(``null`` in JSON)."""

UNIT_CASE = "case"
"""A single group: one nominal unit per case."""
UNIT_BINARY = "case × code (binary)"
"""A multi group, or a record group without a status: one yes/no unit per case and code."""
UNIT_STATUS = "case × code (status)"
"""A record group with a status: one unit per case and code, valued by the status."""


@dataclass(frozen=True)
class Coding:
    """One side of the comparison: where it came from and its cases by id."""

    source: str
    cases: dict[str, Case]
    single_file: bool = False
    framework: str = ""
    """The framework a ``REV:PATH`` side was read with, when not the comparison's own."""
    codebook: tuple[str, ...] = ()
    """The codebook changes its cases were translated by (``codebook: OLD → NEW`` lines)."""
    warnings: tuple[Diagnostic, ...] = ()
    """Problems that did not stop the comparison: those of an invalid draft (left out)."""


@dataclass(frozen=True)
class Disagreement:
    """A unit on which the coders differ; ``left``/``right`` are the first two coders' values,
    ``values`` every coder's, in the order of the comparison's sources."""

    case: str
    code: str
    left: Hashable
    right: Hashable
    values: tuple[Hashable, ...] = ()

    @property
    def all_values(self) -> tuple[Hashable, ...]:
        return self.values or (self.left, self.right)

    def as_json(self) -> dict[str, Any]:
        return {
            "case": self.case,
            "code": self.code,
            "left": _json_value(self.left),
            "right": _json_value(self.right),
            "values": [_json_value(v) for v in self.all_values],
        }


NO_CI: tuple[float, float] = (math.nan, math.nan)


@dataclass(frozen=True)
class GroupAgreement:
    """The agreement figures of one group; the statistics are NaN where undefined.

    ``cohen_kappa`` is Cohen's kappa for two coders and Fleiss' kappa for more (``kappa`` says
    which). ``values[coder][unit]`` holds every coder's value per unit, ``unit_cases`` and
    ``unit_codes`` say which case and dotted path each unit is.
    """

    group: str
    units: int
    percent_agreement: float
    cohen_kappa: float
    krippendorff_alpha: float
    disagreements: list[Disagreement]
    left_values: list[Hashable] = field(repr=False, default_factory=list)
    right_values: list[Hashable] = field(repr=False, default_factory=list)
    unit: str = UNIT_BINARY
    """What one unit is: :data:`UNIT_CASE`, :data:`UNIT_BINARY` or :data:`UNIT_STATUS`."""
    part: str = ""
    values: list[list[Hashable]] = field(repr=False, default_factory=list)
    unit_cases: list[str] = field(repr=False, default_factory=list)
    unit_codes: list[str] = field(repr=False, default_factory=list)
    alpha_ci: tuple[float, float] = NO_CI
    kappa: str = "cohen"


@dataclass(frozen=True)
class Summary:
    """Agreement over a set of units from several groups: one case, one part, or all."""

    name: str
    units: int
    percent_agreement: float
    krippendorff_alpha: float
    alpha_ci: tuple[float, float]
    disagreements: int


@dataclass(frozen=True)
class AgreementReport:
    left: str
    right: str
    cases: list[str]
    only_left: list[str]
    only_right: list[str]
    groups: list[GroupAgreement]
    sources: list[str] = field(default_factory=list)
    """Every coding compared, in order (the first two are ``left`` and ``right``)."""
    missing: dict[str, list[str]] = field(default_factory=dict)
    """Per source, the cases another source has and it has not (not compared)."""
    bootstrap: int = 0
    seed: int = 0
    confidence: float = 0.95

    @property
    def coders(self) -> list[str]:
        return self.sources or [self.left, self.right]

    @property
    def overall_alpha(self) -> float:
        """Krippendorff's alpha over the units of every group together (shown, not tested)."""
        return self.overall().krippendorff_alpha

    def overall(self) -> Summary:
        """The units of every group together."""
        return self._summary("overall", self.groups, None, with_ci=True)

    def per_part(self) -> list[Summary]:
        """One summary per part of the framework: the units of its compared groups."""
        parts: dict[str, list[GroupAgreement]] = {}
        for group in self.groups:
            parts.setdefault(group.part or group.group.partition(".")[0], []).append(group)
        return [self._summary(part, groups, None, with_ci=True) for part, groups in parts.items()]

    def per_case(self) -> list[Summary]:
        """One summary per compared case: its units in every group (no interval: see docs)."""
        return [self._summary(case, self.groups, case, with_ci=False) for case in self.cases]

    def _summary(
        self, name: str, groups: Sequence[GroupAgreement], case: str | None, *, with_ci: bool
    ) -> Summary:
        data: list[list[Hashable]] = [[] for _ in self.coders]
        for group in groups:
            for index, unit_case in enumerate(group.unit_cases):
                if case is None or unit_case == case:
                    for coder, values in zip(data, group.values, strict=True):
                        coder.append(values[index])
        differ = sum(1 for g in groups for d in g.disagreements if case is None or d.case == case)
        if not data[0]:
            return Summary(name, 0, math.nan, math.nan, NO_CI, 0)
        interval = NO_CI
        if with_ci and self.bootstrap:
            interval = bootstrap_alpha(
                data, samples=self.bootstrap, seed=self.seed, confidence=self.confidence
            )
        return Summary(
            name,
            len(data[0]),
            _all_agree(data),
            krippendorff_alpha(data, "nominal"),
            interval,
            differ,
        )

    def below(self, min_alpha: float) -> list[GroupAgreement]:
        """Groups whose alpha is below ``min_alpha`` (an undefined alpha is not below)."""
        return [g for g in self.groups if g.krippendorff_alpha < min_alpha]


def _all_agree(data: Sequence[Sequence[Hashable]]) -> float:
    """Share of units on which every coder gives the same value (percent agreement)."""
    units = list(zip(*data, strict=True))
    return sum(1 for unit in units if len(set(unit)) == 1) / len(units)


def coder_name(source: str) -> str:
    """How a coding is named in output and in the adjudication log: its source as given,
    without a trailing slash."""
    return source.rstrip("/") or source


# --- loading -------------------------------------------------------------------------------------


def load_coding(spec: str, models: CaseModels, frameworks: Frameworks | None = None) -> Coding:
    """Read one side: a folder of case files, one case file, or ``REV:PATH`` in git.

    With ``frameworks``, a ``REV:PATH`` side is read with its own revision's framework and
    translated into ``models``' names. Raises :class:`StudyError` when a case file is invalid
    (its codes cannot be trusted to mean what the framework says) and :class:`UsageError` when
    ``spec`` names nothing readable.
    """
    path = Path(spec)
    if path.is_dir():
        files = case_files(path)
    elif path.is_file():
        files = [path]
    elif ":" in spec:
        return _load_revision(spec, models, frameworks)
    else:
        raise UsageError(f"{spec}: no such file or folder")
    cases, diagnostics = check_cases(models, files, drafts_block=False)
    if has_errors(diagnostics):
        raise StudyError(diagnostics)
    return Coding(spec, cases, single_file=path.is_file(), warnings=tuple(diagnostics))


def _load_revision(spec: str, models: CaseModels, frameworks: Frameworks | None) -> Coding:
    """``REV:FILE`` or ``REV:DIR`` (paths as git takes them), read through :mod:`ol_analysis.git`;
    case ids are checked as :func:`check_cases` checks them (:mod:`ol_analysis.core.case_ids`)."""
    specs = revision_files(spec, CASE_SUFFIXES)
    own = frameworks.for_version(spec) if frameworks is not None else None
    read_with = own.models if own is not None else models
    codebook = None
    if read_with.framework is not models.framework:
        codebook = compare_frameworks(read_with.framework, models.framework)
    cases: dict[str, Case] = {}
    case_ids = CaseIds()
    diagnostics = []
    applied: dict[str, None] = {}
    for one in specs:
        doc, problems = parse_text(one, read_revision(one, max_bytes=MAX_FILE_BYTES))
        diagnostics += problems
        if doc is None:
            continue
        model, problems = validate_document(doc, read_with, Path(one.partition(":")[2]))
        if work_status(doc.data) == "draft":  # an unfinished case does not stop the comparison
            problems = [replace(d, severity=Severity.WARNING) for d in problems]
        diagnostics += problems
        duplicate = case_ids.claim(doc, one)
        if duplicate is not None:
            diagnostics.append(duplicate)
            continue
        case_id = case_id_of(doc.data)
        if model is not None and codebook is not None:
            model, problems, lines = _translated(
                model, doc, codebook, models, own.spec if own is not None else None
            )
            diagnostics += problems
            applied.update(dict.fromkeys(lines))
        if model is not None and case_id is not None:
            cases[case_id] = Case(case_id, one, model, doc)
    if has_errors(diagnostics):
        raise StudyError(diagnostics)
    return Coding(
        spec,
        dict(sorted(cases.items())),
        warnings=tuple(diagnostics),
        single_file=specs == [spec],
        framework=own.spec if own is not None and codebook is not None else "",
        codebook=tuple(applied),
    )


def _translated(
    model: Any, doc: SourceDocument, codebook: Codebook, models: CaseModels, read_with: str | None
) -> tuple[Any, list[Diagnostic], list[str]]:
    """A case read with an older framework, in the names of ``models``' framework."""
    translation = translate(dump_case(model), codebook, models.framework)
    lines = [change.line for change in translation.applied]
    data = {  # what the file leaves out is not there, rather than there without a value
        key: {k: v for k, v in value.items() if v is not None} if isinstance(value, dict) else value
        for key, value in translation.data.items()
        if value is not None
    }
    try:
        return models.case.model_validate(data), [], lines
    except ValidationError as error:
        moved = SourceDocument(doc.path, data, doc.text)
        note = (
            f" (read with {read_with}, compared in {models.framework.source})" if read_with else ""
        )
        problems = [
            replace(d, message=d.message + note) for d in to_diagnostics(error, moved, models.case)
        ]
        return None, problems, lines


def pair_files(left: Coding, right: Coding) -> Coding:
    """Two single files are compared with each other whatever their ids: key right by left."""
    if left.single_file and right.single_file and len(left.cases) == len(right.cases) == 1:
        (left_id,) = left.cases
        (case,) = right.cases.values()
        return Coding(right.source, {left_id: case}, single_file=True)
    return right


# --- comparing -----------------------------------------------------------------------------------


def compared_groups(framework: Framework, only: Sequence[str] = ()) -> list[Group]:
    """Single and multi groups, and record groups with a coded row field, in framework order."""
    groups = []
    for _part, group in framework.groups():
        if only and group.path not in only:
            continue
        if group.is_coded or (group.kind == "records" and group.row_field is not None):
            groups.append(group)
    unknown = [path for path in only if framework.group(path) is None]
    if unknown:
        raise UsageError(f"no such group: {', '.join(unknown)}")
    return groups


def unit_values(group: Group, case: Case) -> dict[str, Hashable]:
    """What a case holds per code of a group: True, or the status of a status-valued record."""
    if group.is_coded:
        return dict.fromkeys(case.codes(group.path), True)
    row = group.row_field
    assert row is not None
    status_field = group.status.field if group.status and group.status.field != row.id else None
    found: dict[str, set[str]] = {}
    for record in case.items(group.path):
        value = getattr(record, row.id, None)
        codes = as_list(value)
        status = str(getattr(record, status_field, None)) if status_field else ""
        for code in codes:
            found.setdefault(code, set()).add(status)
    if status_field is None:
        return dict.fromkeys(found, True)
    return {code: "+".join(sorted(statuses)) for code, statuses in found.items()}


def _absent(group: Group) -> Hashable:
    status = group.status
    row = group.row_field
    return NOT_CODED if status and row is not None and status.field != row.id else False


def _vocabulary(group: Group) -> list[str]:
    if group.is_coded:
        return [code.id for code in group.codes]
    row = group.row_field
    return [code.id for code in row.codes] if row is not None else []


def unit_of(group: Group) -> str:
    """The unit a group is compared on (see the module's description)."""
    if group.kind == "single":
        return UNIT_CASE
    return UNIT_STATUS if _absent(group) == NOT_CODED else UNIT_BINARY


def _case_value(group: Group, case: Case) -> Hashable:
    """A single group's value in a case: its code, or :data:`NOT_CODED`."""
    codes = case.codes(group.path)
    return codes[0] if codes else NOT_CODED


def _unit_rows(group: Group, cases: tuple[Case, ...]) -> list[tuple[str, list[Hashable]]]:
    """The units of one case in a group: its dotted path and each coder's value."""
    if unit_of(group) == UNIT_CASE:
        return [(group.path, [_case_value(group, case) for case in cases])]
    absent = _absent(group)
    coded = [unit_values(group, case) for case in cases]
    return [
        (f"{_path(group)}.{code}", [values.get(code, absent) for values in coded])
        for code in _vocabulary(group)
    ]


def compare_group(
    group: Group,
    cases: Iterable[tuple[Any, ...]],
    *,
    bootstrap: int = 0,
    seed: int = 0,
    confidence: float = 0.95,
    part: str = "",
) -> GroupAgreement:
    """One group's figures over ``(case id, case of coder 1, case of coder 2, …)`` tuples."""
    unit = unit_of(group)
    data: list[list[Hashable]] = []
    unit_cases: list[str] = []
    unit_codes: list[str] = []
    disagreements = []
    for case_id, *coded in cases:
        if not data:
            data = [[] for _ in coded]
        for code, values in _unit_rows(group, tuple(coded)):
            unit_cases.append(case_id)
            unit_codes.append(code)
            for coder, value in zip(data, values, strict=True):
                coder.append(value)
            if len(set(values)) > 1:
                disagreements.append(
                    Disagreement(case_id, code, values[0], values[1], tuple(values))
                )
    if not unit_cases:
        return GroupAgreement(group.path, 0, math.nan, math.nan, math.nan, [], unit=unit, part=part)
    two = len(data) == 2
    return GroupAgreement(
        group.path,
        len(unit_cases),
        _all_agree(data),
        cohen_kappa(data[0], data[1]) if two else fleiss_kappa(data),
        krippendorff_alpha(data, "nominal"),
        disagreements,
        data[0],
        data[1],
        unit,
        part=part,
        values=data,
        unit_cases=unit_cases,
        unit_codes=unit_codes,
        alpha_ci=bootstrap_alpha(data, samples=bootstrap, seed=seed, confidence=confidence)
        if bootstrap
        else NO_CI,
        kappa="cohen" if two else "fleiss",
    )


def _path(group: Group) -> str:
    if group.is_coded or group.row_field is None:
        return group.path
    return group.row_field.path


def compare(
    framework: Framework,
    left: Coding,
    right: Coding,
    groups: Sequence[str] = (),
    *,
    bootstrap: int = 0,
    seed: int = 0,
) -> AgreementReport:
    """Agreement per group between the cases both codings hold."""
    return compare_all(framework, [left, right], groups, bootstrap=bootstrap, seed=seed)


def compare_all(
    framework: Framework,
    codings: Sequence[Coding],
    groups: Sequence[str] = (),
    *,
    bootstrap: int = 0,
    seed: int = 0,
    confidence: float = 0.95,
) -> AgreementReport:
    """Agreement per group among two or more codings, on the cases every one of them holds.

    With ``bootstrap`` > 0, each group, part and the whole get a percentile bootstrap interval
    for alpha from that many resamples of their units, seeded with ``seed``.
    """
    if len(codings) < 2:
        raise UsageError("agreement needs at least two codings")
    every = set.intersection(*(set(c.cases) for c in codings))
    anywhere = set.union(*(set(c.cases) for c in codings))
    common = sorted(every)
    rows = [(c, *(coding.cases[c] for coding in codings)) for c in common]
    parts = {group.path: part.id for part, group in framework.groups()}
    left, right = codings[0], codings[1]
    return AgreementReport(
        left.source,
        right.source,
        common,
        sorted(set(left.cases) - every)
        if len(codings) > 2
        else sorted(set(left.cases) - set(right.cases)),
        sorted(set(right.cases) - every)
        if len(codings) > 2
        else sorted(set(right.cases) - set(left.cases)),
        [
            compare_group(
                group,
                rows,
                bootstrap=bootstrap,
                seed=seed,
                confidence=confidence,
                part=parts.get(group.path, ""),
            )
            for group in compared_groups(framework, groups)
        ],
        sources=[coding.source for coding in codings],
        missing={
            coding.source: sorted(anywhere - set(coding.cases))
            for coding in codings
            if anywhere - set(coding.cases)
        },
        bootstrap=bootstrap,
        seed=seed,
        confidence=confidence,
    )


# --- output --------------------------------------------------------------------------------------


def _json_value(value: Hashable) -> Any:
    return None if value == NOT_CODED else value


def _json_number(value: float) -> float | None:
    return None if math.isnan(value) else value


def ci_json(report: AgreementReport, interval: tuple[float, float]) -> dict[str, Any] | None:
    """An alpha interval as ``{"low", "high", "confidence", "samples", "seed"}``; None without
    a bootstrap."""
    if not report.bootstrap:
        return None
    return {
        "low": _json_number(interval[0]),
        "high": _json_number(interval[1]),
        "confidence": report.confidence,
        "samples": report.bootstrap,
        "seed": report.seed,
    }


def report_json(report: AgreementReport) -> list[dict[str, Any]]:
    """The ``agree --json`` list: one object per group, NaN as ``null``."""
    return [
        {
            "group": g.group,
            "part": g.part,
            "unit": g.unit,
            "units": g.units,
            "coders": [coder_name(s) for s in report.coders],
            "percent_agreement": _json_number(g.percent_agreement),
            "cohen_kappa": _json_number(g.cohen_kappa),
            "kappa": g.kappa,
            "krippendorff_alpha": _json_number(g.krippendorff_alpha),
            "alpha_ci": ci_json(report, g.alpha_ci),
            "disagreements": [d.as_json() for d in g.disagreements],
            "only_left": report.only_left,
            "only_right": report.only_right,
        }
        for g in report.groups
    ]


def summary_json(report: AgreementReport, by: str) -> list[dict[str, Any]]:
    """``agree --by case|part --format json``: one object per case or part, NaN as ``null``."""
    summaries = report.per_case() if by == "case" else report.per_part()
    return [
        {
            by: s.name,
            "units": s.units,
            "coders": [coder_name(source) for source in report.coders],
            "percent_agreement": _json_number(s.percent_agreement),
            "krippendorff_alpha": _json_number(s.krippendorff_alpha),
            "alpha_ci": ci_json(report, s.alpha_ci) if by != "case" else None,
            "differ": s.disagreements,
        }
        for s in summaries
    ]


def fmt_interval(interval: tuple[float, float]) -> str:
    """``[0.412, 0.733]``, or "" when there is no interval."""
    if any(math.isnan(v) for v in interval):
        return ""
    return f"[{interval[0]:.3f}, {interval[1]:.3f}]"


def fmt_number(value: float, *, percent: bool = False) -> str:
    if math.isnan(value):
        return "undefined"
    return f"{value:.1%}" if percent else f"{value:.3f}"
