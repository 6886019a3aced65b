"""Loading a study: the framework, then every case file and ``study.yaml`` (the study-level
findings, when there is one), collecting all problems in one run."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from ol_analysis.core.casemodel import CaseModels, Record
from ol_analysis.core.framework import Framework, Group, load_framework
from ol_analysis.core.loadcache import CaseFileCache, read_case
from ol_analysis.core.memos import MEMOS_FOLDER, Memos, check_targets, memo_files, read_memos
from ol_analysis.core.review_checks import check_review
from ol_analysis.core.sources import (
    SOURCES_FOLDER,
    QuoteChecker,
    Sources,
    evidence_items,
    load_sources,
)
from ol_analysis.core.validate import START_HINTS, case_id_of, validate_document
from ol_analysis.core.values import as_list
from ol_analysis.core.yamlsource import SourceDocument, read_yaml
from ol_analysis.diagnostics import Diagnostic, Severity, has_errors, sort_unique
from ol_analysis.errors import FrameworkError, StudyError, UsageError

CASE_SUFFIXES = (".yaml", ".yml")
"""Suffixes of case files, compared without regard to case (``C04.YAML`` is a case file too)."""
STUDY_FILE = "study.yaml"

WORK_STATUSES = ("draft", "feedback", "final")
"""The values of a case's ``analysis.status``."""
COUNTED_STATUSES: frozenset[str | None] = frozenset({None, "feedback", "final"})
"""Which cases count by default: every case but a draft. A case without ``analysis.status`` counts
like a final one (a study that does not track review counts every case)."""
EVERY_STATUS: frozenset[str | None] = frozenset({None, *WORK_STATUSES})


def status_selection(
    statuses: Collection[str] | None = None, *, include_drafts: bool = False
) -> frozenset[str | None]:
    """The work statuses whose cases count: ``statuses`` as given (``final`` also takes the
    cases without a status), else every status but ``draft`` unless ``include_drafts``."""
    if statuses is None:
        return EVERY_STATUS if include_drafts else COUNTED_STATUSES
    unknown = sorted(set(statuses) - set(WORK_STATUSES))
    if unknown:
        raise UsageError(
            f"unknown status {', '.join(repr(s) for s in unknown)}: use {', '.join(WORK_STATUSES)}"
        )
    chosen: set[str | None] = set(statuses)
    if "final" in chosen:
        chosen.add(None)
    if include_drafts:
        chosen.add("draft")
    return frozenset(chosen)


def work_status(data: Any) -> str | None:
    """A raw case document's ``analysis.status`` as written (None when it has none)."""
    analysis = data.get("analysis") if isinstance(data, dict) else None
    status = analysis.get("status") if isinstance(analysis, dict) else None
    return status if isinstance(status, str) else None


def _subgroup(data: Any) -> str | None:
    analysis = data.get("analysis") if isinstance(data, dict) else None
    subgroup = analysis.get("subgroup") if isinstance(analysis, dict) else None
    return str(subgroup) if subgroup not in (None, "") else None


@dataclass(frozen=True)
class CaseFile:
    """What checking one case file found, valid or not: its id, work status and subgroup as
    written (None when unreadable or absent), and how many errors and warnings it has (a
    draft's errors are counted as errors even where they are reported as warnings)."""

    path: str
    case_id: str | None
    status: str | None
    subgroup: str | None
    errors: int
    warnings: int = 0

    @property
    def is_draft(self) -> bool:
        return self.status == "draft"


@dataclass(frozen=True)
class Case:
    """One validated case: its model plus accessors by dotted group path.

    A loaded study's cases hold their model as a :class:`~ol_analysis.core.casemodel.Record`,
    the compact read-only copy of the validated pydantic model, read the same way. The
    study-level findings (``study.yaml``) are read into the same class: ``Study.findings``.
    """

    id: str
    path: str
    model: BaseModel | Record
    document: SourceDocument | None = field(default=None, compare=False, repr=False)
    """The parsed file with source positions, for checks that report at a line."""
    framework: Framework | None = field(default=None, compare=False, repr=False)
    """The codebook the document was checked against (for :meth:`lookup` by record key)."""

    @property
    def title(self) -> str:
        return str(self.model.title)  # type: ignore[union-attr]

    @property
    def summary(self) -> str:
        return str(getattr(self.model, "summary", None) or "")

    @property
    def analysis(self) -> Any:
        return getattr(self.model, "analysis", None)

    def value(self, group_path: str) -> Any:
        """What the case holds for a group (a model, a list, or None when not coded)."""
        part_id, _, group_id = group_path.partition(".")
        part = getattr(self.model, part_id, None)
        return getattr(part, group_id, None) if part is not None else None

    def items(self, group_path: str) -> list[Any]:
        """The coded items of a group as a list (a single group gives at most one)."""
        return as_list(self.value(group_path))

    def codes(self, group_path: str) -> list[str]:
        """The code ids of a single or multi group, in file order."""
        return [item.code for item in self.items(group_path)]

    def scalar(self, group_path: str) -> Any:
        """The value of a bool, integer, number or text group, or None."""
        value = self.value(group_path)
        return getattr(value, "value", None) if value is not None else None

    def lookup(self, path: str) -> Any:
        """What a dotted path names; raises :class:`LookupError` when nothing is coded there.

        - ``part.group``: a single group's code, a multi group's codes, a bool/integer/number/
          text group's value, a records group's records;
        - ``part.group.field``: a field's values over the records that have it;
        - ``part.group.KEY`` and ``part.group.KEY.field``: the record whose key code (its first
          coded key field) is ``KEY``, or one of its fields (``costs.cost_periods.billing.start``);
        - ``part.group.code``: True when a single or multi group codes it.
        """
        steps = path.split(".")
        group_path, rest = ".".join(steps[:2]), steps[2:]
        value = self.value(group_path) if len(steps) >= 2 else None
        found = _lookup(value, rest, self._group(group_path)) if value is not None else None
        if found is None or found == []:
            raise LookupError(path)
        return found

    def _group(self, group_path: str) -> Group | None:
        if self.framework is None:
            return None
        return self.framework.group(group_path) or self.framework.study_group(group_path)


def _lookup(value: Any, rest: list[str], group: Group | None) -> Any:
    items = as_list(value)
    codes = [item.code for item in items if hasattr(item, "code")]
    if not rest:
        if isinstance(value, list):
            return codes if len(codes) == len(items) else list(value)
        return value.code if hasattr(value, "code") else getattr(value, "value", None)
    head, *tail = rest
    if codes and not tail:
        return True if head in codes else None
    if group is None or group.kind != "records" or len(tail) > 1:
        return None
    if not tail and group.field(head) is not None:
        return [v for v in (getattr(r, head, None) for r in items) if v is not None]
    key = group.row_field
    if key is None:
        return None

    record = next((r for r in items if head in as_list(getattr(r, key.id, None))), None)
    if record is None or not tail:
        return record
    return getattr(record, tail[0], None)


@dataclass(frozen=True)
class Study:
    """A loaded, valid study: the framework and its cases by id, in id order.

    ``findings`` is ``study.yaml``, the findings of the study as a whole (its ``study_parts``),
    read like a case (``findings.scalar("costs.cost_unit")``); None when the study has none.
    """

    framework: Framework
    cases: dict[str, Case]
    root: Path = Path(".")
    warnings: list[Diagnostic] = field(default_factory=list)
    findings: Case | None = None
    left_out: list[CaseFile] = field(default_factory=list)
    """Case files checked but not counted: drafts (valid or not) and, with a status filter,
    cases of another status."""
    sources: Sources | None = None
    """The documents of ``sources/`` and the quotes located in them (docs/sources.md)."""
    memos: Memos = field(default_factory=Memos)
    """The analytic memos of ``memos/`` (docs/memos.md)."""

    @property
    def drafts_left_out(self) -> int:
        """How many drafts are not counted (the chapters say so)."""
        return sum(1 for f in self.left_out if f.is_draft)

    def __iter__(self) -> Iterator[Case]:
        return iter(self.cases.values())

    def __len__(self) -> int:
        return len(self.cases)


@dataclass
class StudyCheck:
    """The outcome of checking a study: whatever could be loaded, and every problem."""

    framework: Framework | None
    cases: dict[str, Case]
    diagnostics: list[Diagnostic]
    files_checked: int = 0
    findings: Case | None = None
    files: list[CaseFile] = field(default_factory=list)
    """Every case file checked, valid or not, in the order checked."""
    sources: Sources | None = None
    memos: Memos = field(default_factory=Memos)

    @property
    def ok(self) -> bool:
        return not has_errors(self.diagnostics)


def display_path(path: Path) -> str:
    """A path as the user gave it (a found case file: as its folder was given)."""
    return str(path)


def is_case_file(path: Path) -> bool:
    """A case file by its name: ``.yaml`` or ``.yml`` in any case, not hidden."""
    return path.suffix.lower() in CASE_SUFFIXES and not path.name.startswith(".")


def case_files(cases_dir: Path) -> list[Path]:
    """Every case file under ``cases_dir``, subfolders included (hidden ones left out), in
    path order; ``.yml`` and upper-case suffixes count too."""
    if not cases_dir.is_dir():
        what = "is a file, not a folder" if cases_dir.exists() else "not found"
        raise UsageError(f"cases folder {what}: {display_path(cases_dir)}")
    found = (
        p
        for p in cases_dir.rglob("*")
        if is_case_file(p)
        and p.is_file()
        and not any(part.startswith(".") for part in p.relative_to(cases_dir).parts)
    )
    return sorted(found)


RENDERED_SUFFIXES = (".md", ".html", ".json", ".txt", ".csv", ".svg")


def study_text_files(framework_path: Path, cases_dir: Path, out_dir: Path) -> list[Path]:
    """The files a privacy scan reads: the framework, ``study.yaml``, the case files, the memos
    (``memos/``), the source documents (``sources/``), rendered text outputs."""
    if not framework_path.is_file():
        what = "is a folder, not a file" if framework_path.is_dir() else "not found"
        raise UsageError(f"framework file {what}: {display_path(framework_path)}")
    study_file = framework_path.parent / STUDY_FILE
    files = [
        framework_path,
        *([study_file] if study_file.is_file() else []),
        *case_files(cases_dir),
        *memo_files(framework_path.parent / MEMOS_FOLDER),
        *_source_files(framework_path.parent / SOURCES_FOLDER),
    ]
    if out_dir.is_dir():
        files += sorted(
            p for p in out_dir.rglob("*") if p.suffix in RENDERED_SUFFIXES and p.is_file()
        )
    return files


def _source_files(folder: Path) -> list[Path]:
    """The documents (and manifest) of ``sources/``: transcripts hold personal data first."""
    if not folder.is_dir():
        return []
    return sorted(
        p
        for p in folder.iterdir()
        if p.is_file() and p.suffix.lower() in (".txt", ".md", ".docx", ".yaml", ".yml")
    )


def check_study(
    framework_path: Path,
    files: Sequence[Path] | None = None,
    cases_dir: Path = Path("cases"),
    *,
    keep_cases: bool = True,
    strict: bool = False,
    study_file: Path | None = None,
    cache: CaseFileCache | None = None,
) -> StudyCheck:
    """Check the framework, then the given case files (default: all in ``cases_dir``, and
    ``study.yaml`` beside the framework when there is one).

    ``study_file`` is where ``study.yaml`` is (default: beside the framework); among ``files``
    it, or a ``study.yaml`` outside the cases folder, is checked as the study-level findings.
    ``strict`` adds the review checks of :mod:`ol_analysis.core.review_checks` (open comments
    in final cases, comment paths the framework lacks), and makes the problems of a draft
    errors; without it they are warnings (:attr:`StudyCheck.files` says whose they are).

    ``cache`` keeps what each case file gave between calls (:mod:`ol_analysis.core.loadcache`):
    a file whose bytes did not change is not parsed or validated again.

    Never raises for bad content; raises :class:`UsageError` when the framework file or the
    cases folder does not exist.
    """
    try:
        framework = load_framework(framework_path, display_path(framework_path))
    except FrameworkError as error:
        return StudyCheck(None, {}, sort_unique(error.diagnostics))
    study_path = study_file if study_file is not None else framework_path.parent / STUDY_FILE
    others: list[Path] = []  # case files not checked, for the targets of memos
    if files is None:
        files = case_files(cases_dir)
        study_files = [study_path] if study_path.is_file() else []
    else:
        others = case_files(cases_dir) if cases_dir.is_dir() else []
        study_files = [f for f in files if _is_study_file(f, study_path, cases_dir)]
        files = [f for f in files if f not in study_files]
    models = cache.models(framework) if cache is not None else CaseModels(framework)
    if cache is not None:
        cache.forget_missing({str(f) for f in files})
    sources_dir = framework_path.parent / SOURCES_FOLDER
    known: set[str] = set()
    if sources_dir.is_dir():  # the case ids a manifest may name: every case file's name
        known = {p.stem for p in files} | (
            {p.stem for p in case_files(cases_dir)} if cases_dir.is_dir() else set()
        )
    sources, source_problems = load_sources(sources_dir, framework, known)
    quotes = QuoteChecker(framework, sources)
    cases, diagnostics, checked = check_case_files(
        models,
        files,
        keep_cases=keep_cases or strict,
        drafts_block=strict,
        quotes=quotes,
        cache=cache,
    )
    findings = None
    for path in study_files:
        findings, problems = check_study_file(framework, path)
        if findings is not None and findings.document is not None:
            problems += quotes.check_case(findings.id, findings.model, findings.document)
        diagnostics = sort_unique([*diagnostics, *problems])
    diagnostics = sort_unique([*diagnostics, *source_problems, *quotes.finish()])
    if strict:
        diagnostics = sort_unique([*diagnostics, *check_review(framework, cases.values())])
    memos, memo_problems = _check_memos(
        framework_path.parent, framework, models, cases, checked, sources, others
    )
    return StudyCheck(
        framework,
        cases,
        sort_unique([*diagnostics, *memo_problems]),
        len(files) + len(study_files),
        findings,
        checked,
        sources,
        memos,
    )


def _check_memos(
    folder: Path,
    framework: Framework,
    models: CaseModels,
    cases: dict[str, Case],
    checked: Sequence[CaseFile],
    sources: Sources | None = None,
    others: Sequence[Path] = (),
) -> tuple[Memos, list[Diagnostic]]:
    """The memos of ``memos/`` beside the framework (when there is one), their targets checked
    against the valid cases (and the case files of the folder that were not checked); a case's
    quotes are read again only when a memo quotes it and the cases were not kept."""
    memos_dir = folder / MEMOS_FOLDER
    if not memos_dir.is_dir():
        return Memos(), []
    shown = display_path(memos_dir)
    memos, problems = read_memos(memos_dir, shown)
    seen = {f.path for f in checked}
    valid = {p.stem: str(p) for p in others if str(p) not in seen}  # not among those checked
    valid |= {f.case_id: f.path for f in checked if f.case_id is not None and f.errors == 0}

    def evidence(case_id: str) -> list[str] | None:
        case = cases.get(case_id)
        model = case.model if case is not None else None
        if model is None and case_id in valid:
            model = _check_one(models, Path(valid[case_id]), valid[case_id], {})[1]
        if model is None:
            return None
        return [
            str(item.quote)
            for _loc, item, _codes in evidence_items(framework, model)
            if getattr(item, "quote", None)
        ]

    problems += check_targets(memos, framework, valid, evidence, sources)
    return memos, problems


def _study_hint(diagnostic: Diagnostic) -> Diagnostic:
    """An empty study.yaml needs the study's findings, not a case scaffold: say so."""
    if diagnostic.rule != "empty-file":
        return diagnostic
    return replace(diagnostic, hint=START_HINTS["study"])


def _is_study_file(file: Path, study_path: Path, cases_dir: Path) -> bool:
    if file.name != STUDY_FILE:
        return False
    where = file.resolve()
    return where == study_path.resolve() or where.parent != cases_dir.resolve()


def check_study_file(framework: Framework, path: Path) -> tuple[Case | None, list[Diagnostic]]:
    """Check ``study.yaml`` against the framework's study parts, as a case file is checked
    against its parts; the findings (None when invalid) and every problem found."""
    shown = display_path(path)
    if not path.is_file():
        what = "a folder, not a file" if path.is_dir() else "no such file"
        return None, [Diagnostic(shown, 1, 1, "unreadable", what, None)]
    doc, problems = read_yaml(path, shown)
    if doc is None:
        return None, [_study_hint(d) for d in problems]
    model, more = validate_document(doc, CaseModels(framework, scope="study"))
    problems = [*problems, *more]
    if model is None or has_errors(problems):
        return None, sort_unique(problems)
    document = SourceDocument(shown, None, file=path)
    findings = Case(str(case_id_of(doc.data)), shown, model, document, framework)
    return findings, sort_unique(problems)


def check_cases(
    models: CaseModels,
    files: Iterable[Path],
    *,
    keep_cases: bool = True,
    drafts_block: bool = True,
) -> tuple[dict[str, Case], list[Diagnostic]]:
    """Check case files one by one; ``keep_cases=False`` returns no cases and keeps memory
    flat (a plain ``validate`` of thousands of files needs only the diagnostics).

    ``drafts_block=False`` reports the problems of a draft (``analysis.status: draft``) as
    warnings: an unfinished case then does not make the study invalid.
    """
    cases, diagnostics, _files = check_case_files(
        models, files, keep_cases=keep_cases, drafts_block=drafts_block
    )
    return cases, diagnostics


def check_case_files(
    models: CaseModels,
    files: Iterable[Path],
    *,
    keep_cases: bool = True,
    drafts_block: bool = True,
    quotes: QuoteChecker | None = None,
    cache: CaseFileCache | None = None,
) -> tuple[dict[str, Case], list[Diagnostic], list[CaseFile]]:
    """:func:`check_cases`, and a :class:`CaseFile` for every file checked; ``quotes`` verifies
    the evidence quotes of each valid case against its source documents; ``cache`` gives the
    files read before whose bytes did not change."""
    cases: dict[str, Case] = {}
    first_seen: dict[str, str] = {}
    diagnostics: list[Diagnostic] = []
    checked: list[CaseFile] = []
    for file in files:
        shown = display_path(file)
        found, model, doc = _check_one(models, file, shown, first_seen, cache)
        if quotes is not None and model is not None and doc is not None and not has_errors(found):
            found = [*found, *quotes.check_case(str(case_id_of(doc.data)), model, doc)]
        status = work_status(doc.data) if doc is not None else None
        errors = sum(1 for d in found if d.is_error)
        if status == "draft" and not drafts_block:
            found = [replace(d, severity=Severity.WARNING) for d in found]
        diagnostics += found
        case_id = case_id_of(doc.data) if doc is not None else None
        subgroup = _subgroup(doc.data) if doc is not None else None
        checked.append(CaseFile(shown, case_id, status, subgroup, errors, len(found) - errors))
        if keep_cases and model is not None and case_id is not None:
            # the case keeps only where its text is: positions are re-read on demand, so that a
            # study of thousands of cases holds its models and not every parsed tree twice
            cases[case_id] = Case(
                case_id, shown, models.record(model), SourceDocument(shown, None, file=file)
            )
    ordered = dict(sorted(cases.items()))
    return ordered, sort_unique(diagnostics), checked


def _check_one(
    models: CaseModels,
    file: Path,
    shown: str,
    first_seen: dict[str, str],
    cache: CaseFileCache | None = None,
) -> tuple[list[Diagnostic], BaseModel | Record | None, SourceDocument | None]:
    """The problems of one case file, its model (None when invalid) and its parsed document."""
    if not file.is_file():
        what = "a folder, not a case file" if file.is_dir() else "no such file"
        return [Diagnostic(shown, 1, 1, "unreadable", what, None)], None, None
    problems, model, doc = (cache.read if cache is not None else read_case)(models, file, shown)
    if doc is None:
        return problems, None, None
    case_id = case_id_of(doc.data)
    if case_id is not None:
        if case_id in first_seen:
            problems.append(
                doc.diagnostic(
                    ("id",),
                    "duplicate-case",
                    f"case id '{case_id}' is also used by {first_seen[case_id]}",
                    "give each case its own id",
                )
            )
            return problems, None, doc
        first_seen[case_id] = shown
    return problems, model, doc


def load_study(
    folder: Path | str = ".",
    *,
    framework: Path | str | None = None,
    cases: Path | str | Sequence[Path | str] | None = None,
    statuses: Collection[str] | None = None,
    include_drafts: bool = False,
    strict: bool = False,
    cache: CaseFileCache | None = None,
) -> Study:
    """Load and validate a study; raises :class:`StudyError` listing every problem.

    ``cases`` is a folder (default ``<folder>/cases``, subfolders included) or a list of case
    files. ``study.yaml`` beside the framework, when there is one, is read into
    :attr:`Study.findings`.

    Drafts (``analysis.status: draft``) are checked but not counted: an invalid draft does not
    make the study invalid (its problems are in :attr:`Study.warnings`) unless ``strict``.
    ``include_drafts`` counts them too; ``statuses`` counts only cases of those statuses
    (``final`` includes the cases without a status). What is not counted is in
    :attr:`Study.left_out`. ``cache`` (a :class:`~ol_analysis.core.loadcache.CaseFileCache`
    kept between calls) re-reads only the case files whose bytes changed since the last load.
    """
    selected = status_selection(statuses, include_drafts=include_drafts)
    root = Path(folder)
    framework_path = Path(framework) if framework is not None else root / "framework.yaml"
    cases_dir = root / "cases"
    study_file = framework_path.parent / STUDY_FILE
    files: list[Path] | None = None
    if isinstance(cases, str | Path):
        cases_dir = Path(cases)
    elif cases is not None:
        files = [Path(p) for p in cases]
        if study_file.is_file():
            files.append(study_file)
    check = check_study(
        framework_path, files, cases_dir, study_file=study_file, strict=strict, cache=cache
    )
    if not check.ok or check.framework is None:
        raise StudyError(check.diagnostics)
    counted = {f.case_id for f in check.files if f.status in selected and f.errors == 0}
    kept = {case_id: case for case_id, case in check.cases.items() if case_id in counted}
    left_out = [f for f in check.files if f.status not in selected or f.errors]
    return Study(
        check.framework,
        kept,
        root,
        check.diagnostics,
        check.findings,
        left_out=left_out,
        sources=check.sources,
        memos=check.memos,
    )
