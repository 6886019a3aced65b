"""Loading a study: the framework, then every case file, collecting all problems in one run."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from ol_analysis.core.casemodel import CaseModels
from ol_analysis.core.framework import Framework, load_framework
from ol_analysis.core.review_checks import check_review
from ol_analysis.core.validate import case_id_of, validate_document
from ol_analysis.core.yamlsource import SourceDocument, read_yaml
from ol_analysis.diagnostics import Diagnostic, has_errors, sort_unique
from ol_analysis.errors import FrameworkError, StudyError, UsageError

CASE_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class Case:
    """One validated case: its model plus accessors by dotted group path."""

    id: str
    path: str
    model: BaseModel
    document: SourceDocument | None = field(default=None, compare=False, repr=False)
    """The parsed file with source positions, for checks that report at a line."""

    @property
    def title(self) -> str:
        return str(self.model.title)  # type: ignore[attr-defined]

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
        value = self.value(group_path)
        if value is None:
            return []
        return list(value) if isinstance(value, list) else [value]

    def codes(self, group_path: str) -> list[str]:
        """The code ids of a single or multi group, in file order."""
        return [item.code for item in self.items(group_path)]

    def scalar(self, group_path: str) -> Any:
        """The value of a bool, integer, number or text group, or None."""
        value = self.value(group_path)
        return getattr(value, "value", None) if value is not None else None


@dataclass(frozen=True)
class Study:
    """A loaded, valid study: the framework and its cases by id, in id order."""

    framework: Framework
    cases: dict[str, Case]
    root: Path = Path(".")
    warnings: list[Diagnostic] = field(default_factory=list)

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

    @property
    def ok(self) -> bool:
        return not has_errors(self.diagnostics)


def display_path(path: Path) -> str:
    """A path as the user gave it (a found case file: as its folder was given)."""
    return str(path)


def case_files(cases_dir: Path) -> list[Path]:
    if not cases_dir.is_dir():
        what = "is a file, not a folder" if cases_dir.exists() else "not found"
        raise UsageError(f"cases folder {what}: {display_path(cases_dir)}")
    return sorted(p for p in cases_dir.iterdir() if p.suffix in CASE_SUFFIXES and p.is_file())


RENDERED_SUFFIXES = (".md", ".html", ".json", ".txt", ".csv", ".svg")


def study_text_files(framework_path: Path, cases_dir: Path, out_dir: Path) -> list[Path]:
    """The files a privacy scan reads: the framework, the case files, rendered text outputs."""
    if not framework_path.is_file():
        what = "is a folder, not a file" if framework_path.is_dir() else "not found"
        raise UsageError(f"framework file {what}: {display_path(framework_path)}")
    files = [framework_path, *case_files(cases_dir)]
    if out_dir.is_dir():
        files += sorted(
            p for p in out_dir.rglob("*") if p.suffix in RENDERED_SUFFIXES and p.is_file()
        )
    return files


def check_study(
    framework_path: Path,
    files: Sequence[Path] | None = None,
    cases_dir: Path = Path("cases"),
    *,
    keep_cases: bool = True,
    strict: bool = False,
) -> StudyCheck:
    """Check the framework, then the given case files (default: all in ``cases_dir``).

    ``strict`` adds the review checks of :mod:`ol_analysis.core.review_checks` (open comments
    in final cases, comment paths the framework lacks).

    Never raises for bad content; raises :class:`UsageError` when the framework file or the
    cases folder does not exist.
    """
    try:
        framework = load_framework(framework_path, display_path(framework_path))
    except FrameworkError as error:
        return StudyCheck(None, {}, sort_unique(error.diagnostics))
    if files is None:
        files = case_files(cases_dir)
    models = CaseModels(framework)
    cases, diagnostics = check_cases(models, files, keep_cases=keep_cases or strict)
    if strict:
        diagnostics = sort_unique([*diagnostics, *check_review(framework, cases.values())])
    return StudyCheck(framework, cases, diagnostics, len(files))


def check_cases(
    models: CaseModels, files: Iterable[Path], *, keep_cases: bool = True
) -> tuple[dict[str, Case], list[Diagnostic]]:
    """Check case files one by one; ``keep_cases=False`` returns no cases and keeps memory
    flat (a plain ``validate`` of thousands of files needs only the diagnostics)."""
    cases: dict[str, Case] = {}
    first_seen: dict[str, str] = {}
    diagnostics: list[Diagnostic] = []
    for file in files:
        shown = display_path(file)
        if not file.is_file():
            what = "a folder, not a case file" if file.is_dir() else "no such file"
            diagnostics.append(Diagnostic(shown, 1, 1, "unreadable", what, None))
            continue
        doc, problems = read_yaml(file, shown)
        diagnostics += problems
        if doc is None:
            continue
        model, problems = validate_document(doc, models, file)
        diagnostics += problems
        case_id = case_id_of(doc.data)
        if case_id is not None:
            if case_id in first_seen:
                diagnostics.append(
                    doc.diagnostic(
                        ("id",),
                        "duplicate-case",
                        f"case id '{case_id}' is also used by {first_seen[case_id]}",
                        "give each case its own id",
                    )
                )
                continue
            first_seen[case_id] = shown
        if keep_cases and model is not None and case_id is not None:
            # the case keeps only where its text is: positions are re-read on demand, so that a
            # study of thousands of cases holds its models and not every parsed tree twice
            cases[case_id] = Case(case_id, shown, model, SourceDocument(shown, None, file=file))
    ordered = dict(sorted(cases.items()))
    return ordered, sort_unique(diagnostics)


def load_study(
    folder: Path | str = ".",
    *,
    framework: Path | str | None = None,
    cases: Path | str | Sequence[Path | str] | None = None,
) -> Study:
    """Load and validate a study; raises :class:`StudyError` listing every problem.

    ``cases`` is a folder (default ``<folder>/cases``) or a list of case files.
    """
    root = Path(folder)
    framework_path = Path(framework) if framework is not None else root / "framework.yaml"
    cases_dir = root / "cases"
    files: list[Path] | None = None
    if isinstance(cases, str | Path):
        cases_dir = Path(cases)
    elif cases is not None:
        files = [Path(p) for p in cases]
    check = check_study(framework_path, files, cases_dir)
    if not check.ok or check.framework is None:
        raise StudyError(check.diagnostics)
    return Study(check.framework, check.cases, root, check.diagnostics)
