"""Codebook migrations: rename a code, or merge two codes, in ``framework.yaml`` and every case.

``rename-code support.guidance.finances money_matters`` and ``merge-codes A B --into C`` rewrite
the codebook and each case file that uses the codes: the group itself, fields and groups that
reuse its vocabulary (``vocabulary:``), ``only_with`` and ``status.counts`` references, and the
``path`` of feedback comments. When a case codes both A and B, the two items become one and their
evidence lists are joined.

Safety, in this order — nothing is written unless every step passes:

1. the study must validate before (a migration of a broken study would hide its problems);
2. each file is rewritten so that it keeps its comments and formatting: a plain rename replaces
   only the characters of the old id (at the position our loader reports), so every other byte
   stays; a structural change (merged items, removed codebook entries) goes through ruamel's
   round-trip writer, and only for files that ruamel reproduces byte for byte;
3. every rewritten file is read back with :mod:`ol_analysis.core.yamlsource` and must hold
   exactly the data the migration meant (YAML 1.2, ``18_25`` stays text);
4. the whole study, as it would be, must validate (in memory);
5. all files are written to temporary files first, then renamed into place; if a rename fails
   the files already replaced are put back.
"""

from __future__ import annotations

import difflib
import os
import re
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ol_analysis.core.casemodel import CaseModels
from ol_analysis.core.framework import (
    ID_PATTERN,
    Framework,
    Group,
    RecordField,
    framework_from_document,
)
from ol_analysis.core.study import check_study, work_status
from ol_analysis.core.validate import validate_document
from ol_analysis.core.yamlsource import SourceDocument, parse_text, resolve_plain_scalar
from ol_analysis.diagnostics import Diagnostic, did_you_mean, has_errors, sort_unique
from ol_analysis.errors import StudyError, UsageError
from ol_analysis.feedback.migrate.edit import Edit, Plan, Site, edit_case, edit_framework, frozen
from ol_analysis.feedback.migrate.memos import memo_changes
from ol_analysis.feedback.migrate.roundtrip import dump, round_trip_yaml


class MigrationRefused(StudyError):
    """The migration would break or garble the study; nothing was written."""


@dataclass(frozen=True)
class Occurrence:
    """One change, located in the file as it was."""

    line: int
    column: int
    location: str
    old: str
    new: str


@dataclass
class FileChange:
    path: Path
    shown: str
    old_bytes: bytes
    new_text: str
    occurrences: list[Occurrence] = field(default_factory=list)

    def diff(self) -> str:
        old = self.old_bytes.decode("utf-8").splitlines(keepends=True)
        new = self.new_text.splitlines(keepends=True)
        return "".join(difflib.unified_diff(old, new, f"a/{self.shown}", f"b/{self.shown}"))


@dataclass(frozen=True)
class TemplateMention:
    """A line of one of the study's templates that names a code path the migration changes;
    templates are Jinja, not data, so they are listed for a person to change, not rewritten."""

    path: Path
    line: int
    column: int
    old: str
    new: str


@dataclass
class Migration:
    """What a migration changes; :func:`write_migration` applies it."""

    summary: str
    changes: list[FileChange]
    template_mentions: list[TemplateMention] = field(default_factory=list)

    @property
    def occurrences(self) -> int:
        return sum(len(change.occurrences) for change in self.changes)


# --- plans ----------------------------------------------------------------------------------------


def _owner(framework: Framework, code_path: str) -> tuple[str, Group | RecordField, str]:
    owner_path, _, code_id = code_path.rpartition(".")
    owner = framework.vocabulary_owner(owner_path)
    if owner is None or not owner.codes or code_id not in [c.id for c in owner.codes]:
        known = [path for path, _code in framework.code_paths()]
        hint = did_you_mean(code_path, known)
        raise UsageError(
            f"'{code_path}' is not a code of the framework" + (f"; {hint}" if hint else "")
        )
    if owner.vocabulary:
        raise UsageError(
            f"{owner_path} reuses the codes of {owner.vocabulary}; "
            f"migrate {owner.vocabulary}.{code_id} instead (its users follow)"
        )
    return owner_path, owner, code_id


def _check_new_id(owner: Group | RecordField, new_id: str, *, may_exist: bool) -> None:
    if not re.match(ID_PATTERN, new_id):
        raise UsageError(f"'{new_id}' is not a valid code id: use lower-case a-z, 0-9 and '_'")
    if not may_exist and new_id in [c.id for c in owner.codes]:
        raise UsageError(f"{owner.path} already has a code '{new_id}'")


def _sites(framework: Framework, owner_path: str) -> tuple[tuple[Site, ...], tuple[str, ...]]:
    """Every group and record field whose codes are the owner's, and status groups among them."""
    sites: list[Site] = []
    status_groups: list[str] = []
    for part, group in framework.groups():
        if group.is_coded and (group.path == owner_path or group.vocabulary == owner_path):
            sites.append(Site(part.id, group.id, None, group.kind, group.path))
        for fld in group.fields:
            if fld.is_coded and (fld.path == owner_path or fld.vocabulary == owner_path):
                sites.append(
                    Site(part.id, group.id, fld.id, fld.type, fld.path, fld.id in group.key)
                )
                if group.status is not None and group.status.field == fld.id:
                    status_groups.append(group.path)
    return tuple(sites), tuple(status_groups)


def rename_plan(framework: Framework, old_path: str, new_id: str) -> Plan:
    owner_path, owner, old_id = _owner(framework, old_path)
    _check_new_id(owner, new_id, may_exist=False)
    sites, status_groups = _sites(framework, owner_path)
    return Plan(owner_path, {old_id: new_id}, sites, None, status_groups)


def merge_plan(
    framework: Framework,
    first: str,
    second: str,
    into: str,
    *,
    label: dict[str, str] | None = None,
    description: str | None = None,
) -> Plan:
    """Merge ``first`` and ``second`` into ``into`` (a code of the same vocabulary, or a new one).

    A new target takes the first code's place; its label defaults to both labels joined with
    " / ", its description to both descriptions — worded for review, not for keeps.
    """
    owner_path, owner, a = _owner(framework, first)
    second_owner, _owner_b, b = _owner(framework, second)
    if "." not in into:
        into = f"{owner_path}.{into}"
    target_owner, _, c = into.rpartition(".")
    if second_owner != owner_path or target_owner != owner_path:
        raise UsageError(f"{first}, {second} and {into} must be codes of the same group or field")
    if a == b:
        raise UsageError("merge two different codes")
    existing = {code.id: code for code in owner.codes}
    _check_new_id(owner, c, may_exist=True)
    new_entry = None
    if c not in existing:
        code_a, code_b = existing[a], existing[b]
        new_entry = {
            "label": label
            or {
                lang: f"{code_a.label.get(lang)} / {code_b.label.get(lang)}"
                for lang in ("nl", "en")
            },
            "description": description
            or " ".join(d.strip() for d in (code_a.description, code_b.description) if d.strip()),
            "examples": [*code_a.examples, *code_b.examples],
        }
    sites, status_groups = _sites(framework, owner_path)
    mapping = {old: c for old in (a, b) if old != c}
    return Plan(owner_path, mapping, sites, new_entry, status_groups)


# --- rewriting one file ---------------------------------------------------------------------------


def _refuse(shown: str, rule: str, message: str, hint: str) -> MigrationRefused:
    return MigrationRefused([Diagnostic(shown, 1, 1, rule, message, hint)])


def _replace_scalars(doc: SourceDocument, text: str, edits: list[Edit]) -> str | None:
    """Replace each renamed id where it stands; None when a value is not a simple scalar."""
    lines = text.split("\n")
    for edit in sorted(edits, key=lambda e: doc.position(e.loc), reverse=True):
        if edit.loc not in doc.value_positions:
            return None
        line, column = doc.value_positions[edit.loc]
        row = lines[line - 1]
        start = column - 1
        quote = row[start] if row[start : start + 1] in ("'", '"') else ""
        token = f"{quote}{edit.old}{quote}"
        after = row[start + len(token) : start + len(token) + 1]
        if not row.startswith(token, start) or (
            not quote and after not in ("", " ", ",", "}", "]")
        ):
            return None
        new = edit.new
        if not quote and not isinstance(resolve_plain_scalar(new), str):
            quote = '"'
        lines[line - 1] = f"{row[:start]}{quote}{new}{quote}{row[start + len(token) :]}"
    return "\n".join(lines)


Formatter = Callable[[str, Path], "str | None"]


def case_formatter(models: CaseModels) -> Formatter | None:
    """The canonical form of ``ol-analysis fmt`` for case files, where that module exists."""
    try:
        from ol_analysis.feedback.fmt import format_text
    except ImportError:
        return None

    def run(text: str, path: Path) -> str | None:
        return format_text(text, models, str(path), path).formatted

    return run


def _round_trip(
    shown: str,
    text: str,
    editor: Callable[[Any], list[Edit]],
    edits: list[Edit],
    formatters: tuple[Formatter, Formatter] | None,
) -> str:
    """Apply the edits through ruamel's round-trip tree.

    The result keeps every other byte when ruamel reproduces the file exactly; a case file in
    ``fmt``'s canonical form (which ruamel does not reproduce: it wraps long texts) is written
    back in canonical form, which likewise leaves every untouched entry as it was.
    """
    yaml = round_trip_yaml()
    stable = dump(yaml, yaml.load(text)) == text
    canonical = formatters is not None and formatters[0](text, Path(shown)) == text
    if not (stable or canonical):
        raise _refuse(
            shown,
            "migrate-format",
            "merging items here means rewriting the file, and its layout would change",
            "run 'ol-analysis fmt' on the file (or merge the two items by hand), then run the "
            "migration again",
        )
    tree = yaml.load(text)
    tree_edits = editor(tree)
    if [(e.loc, e.old, e.new) for e in tree_edits] != [(e.loc, e.old, e.new) for e in edits]:
        raise _refuse(shown, "migrate-internal", "the two rewrites differ", "report this bug")
    new_text: str | None = dump(yaml, tree)
    if not stable and formatters is not None:
        new_text = formatters[1](new_text or "", Path(shown))
    if new_text is None:
        raise _refuse(shown, "migrate-format", "the merged file cannot be formatted", "")
    return new_text


def rewrite(
    shown: str,
    raw: bytes,
    editor: Callable[[Any], list[Edit]],
    formatters: tuple[Formatter, Formatter] | None = None,
) -> tuple[str, list[Edit], SourceDocument] | None:
    """The file's new text, the edits made and the original document; None when unchanged.

    ``formatters`` (old and new framework) bring case files in canonical form through merges.
    """
    bom = raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8").removeprefix("\ufeff")
    doc, problems = parse_text(shown, text)
    if doc is None:
        raise MigrationRefused(problems)
    edits = editor(doc.data)  # positions stay those of the file as it is
    if not edits:
        return None
    new_text = None
    if all(edit.kind == "rename" for edit in edits):
        new_text = _replace_scalars(doc, text, edits)
    if new_text is None:
        new_text = _round_trip(shown, text, editor, edits, formatters)
    again, _problems = parse_text(shown, new_text)
    if again is None or frozen(again.data) != frozen(doc.data):
        raise _refuse(
            shown,
            "migrate-meaning",
            "the rewritten file would not mean what the migration intends; nothing written",
            "report this as a bug of ol-analysis, with the file",
        )
    return ("\ufeff" if bom else "") + new_text, edits, doc


# --- the whole study ------------------------------------------------------------------------------


def plan_migration(
    framework_path: Path,
    case_paths: Sequence[Path],
    make_plan: Callable[[Framework], Plan],
    summary: Callable[[Plan], str],
    templates: Path | None = None,
) -> Migration:
    """Everything a migration would write, checked; raises :class:`StudyError` if unsafe.

    ``templates`` is the study's template folder: every line there that names a changed code
    path is listed in :attr:`Migration.template_mentions`.
    """
    check = check_study(framework_path, case_paths)
    if not check.ok or check.framework is None:
        raise StudyError(check.diagnostics)
    framework = check.framework
    plan = make_plan(framework)
    changes: list[FileChange] = []
    new_framework = framework
    _rewrite_into(changes, framework_path, lambda data: edit_framework(data, plan))
    if changes:
        new_framework = _framework_of(framework_path, changes[0].new_text)
    old_models, new_models = CaseModels(framework), CaseModels(new_framework)
    old_format, new_format = case_formatter(old_models), case_formatter(new_models)
    formatters = (old_format, new_format) if old_format and new_format else None
    record_keys = {group.path: group.key for _p, group in framework.groups() if group.key}
    for path in case_paths:
        _rewrite_into(changes, path, lambda data: edit_case(data, plan, record_keys), formatters)
    _validate_after(new_models, case_paths, changes)
    for path, raw, new_text, edits in memo_changes(framework_path.parent, plan.path_mapping()):
        found = [Occurrence(e.line, e.column, "target", e.old, e.new) for e in edits]
        changes.append(FileChange(path, str(path), raw, new_text, found))
    mentions = template_mentions(templates, plan.path_mapping()) if templates else []
    return Migration(summary(plan), changes, mentions)


def template_mentions(folder: Path, paths: dict[str, str]) -> list[TemplateMention]:
    """Every place in the templates under ``folder`` that names one of ``paths`` (old → new) as
    a whole dotted path."""
    if not folder.is_dir() or not paths:
        return []
    pattern = re.compile(
        r"(?<![\w.])("
        + "|".join(re.escape(old) for old in sorted(paths, key=len, reverse=True))
        + r")(?![\w.])"
    )
    found = []
    for file in sorted(f for f in folder.rglob("*") if f.is_file()):
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        for number, line in enumerate(text.splitlines(), start=1):
            for match in pattern.finditer(line):
                old = match.group(1)
                found.append(TemplateMention(file, number, match.start() + 1, old, paths[old]))
    return found


def _rewrite_into(
    changes: list[FileChange],
    path: Path,
    editor: Callable[[Any], list[Edit]],
    formatters: tuple[Formatter, Formatter] | None = None,
) -> None:
    raw = path.read_bytes()
    result = rewrite(str(path), raw, editor, formatters)
    if result is not None:
        new_text, edits, doc = result
        occurrences = [
            Occurrence(*doc.position(e.loc), ".".join(map(str, e.loc)), e.old, e.new) for e in edits
        ]
        changes.append(FileChange(path, str(path), raw, new_text, occurrences))


def _framework_of(path: Path, text: str) -> Framework:
    doc, problems = parse_text(str(path), text.removeprefix("\ufeff"))
    framework, more = framework_from_document(doc) if doc is not None else (None, [])
    problems = [*problems, *more]
    if framework is None or has_errors(problems):
        raise MigrationRefused(sort_unique(d for d in problems if d.is_error))
    return framework


def _validate_after(
    models: CaseModels, case_paths: Sequence[Path], changes: list[FileChange]
) -> None:
    """The study as it would be must validate; its problems are reported at the new lines."""
    new_texts = {change.path: change.new_text for change in changes}
    problems: list[Diagnostic] = []
    for path in case_paths:
        raw = new_texts[path] if path in new_texts else path.read_bytes().decode("utf-8")
        case_doc, found = parse_text(str(path), raw.removeprefix("\ufeff"))
        problems += found
        if case_doc is not None and work_status(case_doc.data) != "draft":
            problems += validate_document(case_doc, models, path)[1]  # a draft may be unfinished
    if has_errors(problems):
        raise MigrationRefused(sort_unique(d for d in problems if d.is_error))


def write_migration(migration: Migration) -> None:
    """Write every changed file, or none: temporary files first, then one rename each."""
    staged: list[tuple[FileChange, str]] = []
    try:
        for change in migration.changes:
            if change.path.read_bytes() != change.old_bytes:
                raise UsageError(f"{change.shown} changed while migrating; run the command again")
            descriptor, temporary = tempfile.mkstemp(
                prefix=f".{change.path.name}.", suffix=".tmp", dir=change.path.parent
            )
            staged.append((change, temporary))
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(change.new_text.encode("utf-8"))
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(temporary, change.path.stat().st_mode & 0o777)
    except BaseException as error:
        for _change, temporary in staged:
            Path(temporary).unlink(missing_ok=True)
        if isinstance(error, OSError):  # the file being staged when it failed
            raise UsageError(
                f"cannot write {change.shown}: {error.strerror or error}; nothing changed"
            ) from None
        raise
    replaced: list[FileChange] = []
    try:
        for change, temporary in staged:
            os.replace(temporary, change.path)
            replaced.append(change)
    except OSError as error:
        for change in replaced:
            change.path.write_bytes(change.old_bytes)
        for _change, temporary in staged:
            Path(temporary).unlink(missing_ok=True)
        raise UsageError(
            f"cannot write {error.filename}: {error.strerror}; nothing changed"
        ) from None
