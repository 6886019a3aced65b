"""``ol-analysis fmt``: one canonical form for case files, keeping every comment.

The canonical text is written from the data our own reader returns
(:mod:`ol_analysis.core.yamlsource`) rather than by ruamel's round-trip dumper, for two reasons:

- meaning: ruamel's round-trip loader reads ``18_25`` as the integer 1825 and ``3.10`` as a float;
  writing values back from *our* tree keeps every number exactly as it was typed and every code
  id as text, so the result reads back to the same data by construction;
- comments: ruamel attaches a comment to the key *before* it, so reordering keys would carry a
  comment away from the key it describes. Here the scanner reports each comment with its
  position (:mod:`ol_analysis.feedback.fmt.comments`) and each one is attached to the entry it
  describes.

Every result is checked before it is returned: it must read back to exactly the same data and
hold exactly the same comments, otherwise the file is left alone and the problem reported.

The form: keys in framework order, block style with sequences indented by two, one blank line
before each part; identifier-like text (codes, ids, dates, handles) plain, other text in double
quotes, wrapped at spaces near :data:`WIDTH`; a text ending in one line break as a folded
``>`` block, a text with inner line breaks as a literal ``|`` block; numbers as typed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ol_analysis.core.casemodel import CaseModels
from ol_analysis.core.framework import load_framework
from ol_analysis.core.study import STUDY_FILE, work_status
from ol_analysis.core.validate import validate_document
from ol_analysis.core.yamlsource import (
    MAX_FILE_BYTES,
    SourceDocument,
    YamlFloat,
    YamlInt,
    parse_text,
    read_yaml,
)
from ol_analysis.diagnostics import Diagnostic, Severity, has_errors, sort_unique
from ol_analysis.feedback.fmt.comments import attach_comments, comment_texts
from ol_analysis.feedback.fmt.emit import format_data
from ol_analysis.safe_write import write_text_atomic


@dataclass(frozen=True)
class FormatResult:
    """One file: its text, the canonical text (None when it could not be formatted), problems."""

    path: str
    original: str
    formatted: str | None
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.formatted is not None and self.formatted != self.original


def format_file(path: Path, models: CaseModels, display_path: str | None = None) -> FormatResult:
    """Format one case file (nothing is written); a file that does not validate is refused."""
    shown = display_path or str(path)
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8").removeprefix("\ufeff") if len(raw) <= MAX_FILE_BYTES else None
    except (OSError, UnicodeDecodeError):
        text = None
    if text is None:  # let the loader say what is wrong
        _doc, problems = read_yaml(path, shown)
        return FormatResult(shown, "", None, problems)
    return format_text(text, models, shown, path if models.scope == "case" else None)


def format_text(
    text: str, models: CaseModels, path: str = "<text>", file_path: Path | None = None
) -> FormatResult:
    """Format case-file text; ``file_path`` also checks the id against the file name."""
    doc, problems = parse_text(path, text)
    if doc is None:
        return FormatResult(path, text, None, problems)
    return _format_document(doc, text, models, problems, file_path)


def _format_document(
    doc: SourceDocument,
    text: str,
    models: CaseModels,
    problems: list[Diagnostic],
    file_path: Path | None,
) -> FormatResult:
    _model, invalid = validate_document(doc, models, file_path)
    problems = [*problems, *invalid]
    if has_errors(problems) and work_status(doc.data) == "draft":
        # an unfinished case is left as it is, its problems shown as warnings: a draft blocks
        # neither the pre-commit hook nor the others' files
        warnings = [replace(d, severity=Severity.WARNING) for d in problems]
        return FormatResult(doc.path, text, None, warnings)
    if has_errors(problems):
        return FormatResult(doc.path, text, None, problems)
    source = text.replace("\r\n", "\n").replace("\r", "\n")
    comments = attach_comments(source)
    formatted = format_data(models.framework, doc.data, comments, study=models.scope == "study")
    unsafe = _check_same(doc, source, formatted)
    if unsafe is not None:
        return FormatResult(doc.path, text, None, [*problems, unsafe])
    return FormatResult(doc.path, text, formatted, problems)


def _check_same(doc: SourceDocument, source: str, formatted: str) -> Diagnostic | None:
    """The safety net: the canonical text must mean the same and keep the same comments."""
    again, _problems = parse_text(doc.path, formatted)
    if again is None or not same_data(doc.data, again.data):
        what = "would change what the file means"
    elif sorted(comment_texts(source)) != sorted(comment_texts(formatted)):
        what = "would lose or alter a comment"
    else:
        return None
    return Diagnostic(
        doc.path,
        0,
        0,
        "fmt-unsafe",
        f"formatting this file {what}; it was left unchanged",
        "please report this as a bug of ol-analysis fmt, with the file",
    )


def same_data(left: Any, right: Any) -> bool:
    """Equal as read by our loader: same types, numbers written the same, mapping order aside."""
    if isinstance(left, dict):
        return (
            isinstance(right, dict)
            and left.keys() == right.keys()
            and all(same_data(left[k], right[k]) for k in left)
        )
    if isinstance(left, list):
        return (
            isinstance(right, list)
            and len(left) == len(right)
            and all(same_data(a, b) for a, b in zip(left, right, strict=True))
        )
    if isinstance(left, YamlInt | YamlFloat):
        return type(right) is type(left) and left.text == right.text  # type: ignore[union-attr]
    return type(left) is type(right) and left == right


@dataclass
class FormatRun:
    """The outcome of formatting several files: what changed (or would) and every problem."""

    results: list[FormatResult]

    @property
    def changed(self) -> list[str]:
        return [result.path for result in self.results if result.changed]

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return sort_unique(d for result in self.results for d in result.diagnostics)


def is_study_file(path: Path) -> bool:
    """``study.yaml`` holds the study-level findings, checked against the study parts."""
    return path.name == STUDY_FILE


def format_files(framework_path: Path, files: Sequence[Path], *, write: bool) -> FormatRun:
    """Format case files (and ``study.yaml``) against the framework; with ``write``, replace
    the changed ones.

    Each file is replaced in one step (a temporary file, then a rename), and only when it
    validated and its canonical text passed the safety net. Raises :class:`FrameworkError` when
    the framework itself has problems.
    """
    framework = load_framework(framework_path, str(framework_path))
    models = CaseModels(framework)
    study_models = CaseModels(framework, scope="study")
    results = []
    for file in files:
        if not file.is_file():
            missing = Diagnostic(str(file), 1, 1, "unreadable", "no such file", None)
            results.append(FormatResult(str(file), "", None, [missing]))
            continue
        result = format_file(file, study_models if is_study_file(file) else models, str(file))
        if write and result.changed and result.formatted is not None:
            try:
                write_text_atomic(file, result.formatted)
            except OSError as error:  # the old file is intact; say so and go on
                message = f"cannot write the file: {error.strerror or error}; it was left unchanged"
                unwritten = Diagnostic(str(file), 1, 1, "unwritable", message, None)
                result = FormatResult(result.path, result.original, None, [unwritten])
        results.append(result)
    return FormatRun(results)
