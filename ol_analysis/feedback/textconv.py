"""The textconv view of a case and ``git-setup``.

``git diff`` of a case file shows lines; with the textconv driver set up by :func:`git_setup`
(``.gitattributes``: ``cases/*.yaml diff=ol-analysis``; local config
``diff.ol-analysis.textconv``) git first turns each version into :func:`render_case`'s stable,
one-line-per-coded-item view, so a diff shows what was coded rather than how it was typed.

git hands the driver one version at a time, as a temporary file, without saying which commit it
comes from. :func:`view` reads it with the current framework; a version that does not validate
against it (coded before a ``rename-code``, say) is read with the ``framework.yaml`` of recent
commits, newest first, and then shown in the current codebook's names, with a
``codebook: OLD → NEW`` line for each renamed or merged code it uses — so the diff of a
migration commit is that one line per case. Which framework a version fitted is remembered by
blob id in ``.git/ol-analysis/textconv-frameworks.json``. A version that fits none of them is
shown as its data, key path by key path (:func:`structure_view`); one that is not even YAML as
its text.
"""

from __future__ import annotations

import contextlib
import json
import os
import shlex
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from ol_analysis.core.casemodel import CaseModels
from ol_analysis.core.framework import Framework, Group, RecordField
from ol_analysis.core.validate import validate_document
from ol_analysis.core.yamlsource import MAX_FILE_BYTES, SourceDocument, parse_text, source_text
from ol_analysis.diagnostics import has_errors
from ol_analysis.errors import OlAnalysisError, UsageError
from ol_analysis.feedback.codebook import compare_frameworks, translate
from ol_analysis.feedback.diff import dump_case
from ol_analysis.feedback.versions import Frameworks, LoadedFramework, framework_from_text
from ol_analysis.git import (
    blob_id,
    git_path,
    is_revision_spec,
    path_in_repository,
    read_blob,
    recent_blobs,
    run_git,
    toplevel,
)
from ol_analysis.safe_write import write_text_atomic

DRIVER = "ol-analysis"


# --- git-setup -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SetupResult:
    attributes: Path
    attributes_changed: bool
    textconv: str
    virtualenv: Path | None = None
    """The virtual environment the driver's Python lives in, if any (moving it breaks git)."""


def driver_command(framework: str) -> str:
    """The textconv command: this very Python by its absolute path, so that git finds it from
    a GUI client or a shell without the virtual environment (``ol-analysis`` on the ``PATH``
    is not needed), and the framework relative to the work tree (git runs it from there)."""
    python = shlex.quote(sys.executable or "python3")
    return f"{python} -m ol_analysis diff --textconv --framework {shlex.quote(framework)}"


def git_setup(study: Path, framework: Path, cases: Path) -> SetupResult:
    """Make ``git diff`` show case files through the textconv driver; safe to run again.

    Adds ``<cases>/*.yaml diff=ol-analysis`` to the study's ``.gitattributes`` (keeping what is
    there) and sets ``diff.ol-analysis.textconv`` in the repository's local config to
    :func:`driver_command`. git runs the driver from the top of the work tree, so the framework
    is named relative to it.
    """
    top = toplevel(study)
    cases_rel = Path(os.path.relpath(cases.resolve(), study.resolve())).as_posix()
    framework_rel = Path(os.path.relpath(framework.resolve(), top.resolve())).as_posix()
    line = f"{cases_rel}/*.yaml diff={DRIVER}"
    attributes = study / ".gitattributes"
    existing = attributes.read_text(encoding="utf-8") if attributes.exists() else ""
    changed = line not in existing.splitlines()
    if changed:
        separator = "" if not existing or existing.endswith("\n") else "\n"
        write_text_atomic(attributes, f"{existing}{separator}{line}\n")
    command = driver_command(framework_rel)
    result = run_git(["config", "--local", f"diff.{DRIVER}.textconv", command], study)
    if result.returncode != 0:
        detail = result.stderr.decode(errors="replace").strip()
        raise UsageError(f"could not set the git config: {detail}")
    virtualenv = Path(sys.prefix) if sys.prefix != sys.base_prefix else None
    return SetupResult(attributes, changed, command, virtualenv)


# --- the textconv view -----------------------------------------------------------------------


def _one_line(text: Any) -> str:
    return " ".join(str(text).split())


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ", ".join(_value(v) for v in value)
    return _one_line(value)


def _item(path: str, head: str, item: dict[str, Any]) -> list[str]:
    evidence = item.get("evidence") or []
    marks = [f"evidence: {len(evidence)}"] if evidence else []
    if item.get("inferred"):
        marks.append("inferred")
    lines = [f"{path}: {head}" + (f" [{', '.join(marks)}]" if marks else "")]
    for entry in evidence:
        text = f'"{_one_line(entry["quote"])}"' if entry.get("quote") else _one_line(entry["note"])
        where = [entry.get("source"), entry.get("speaker"), entry.get("section")]
        shown = ", ".join(str(w) for w in where if w)
        lines.append(f"    {'quote' if entry.get('quote') else 'note'}: {text} ({shown})")
    if item.get("basis"):
        lines.append(f"    basis: {_one_line(item['basis'])}")
    return lines


def render_case(framework: Framework, model: BaseModel) -> str:
    """A case as stable lines: one per coded item, in framework order, evidence indented below.

    Only meaning shows: key order, quoting, line wrapping and the order of codes in a multi
    group do not; the order of records does (key moments are a sequence).
    """
    return render_data(framework, dump_case(model))


def render_data(
    framework: Framework,
    data: dict[str, Any],
    codebook: Sequence[str] = (),
    dropped: Sequence[tuple[Group, Any]] = (),
) -> str:
    """:func:`render_case` of a dumped case, with ``codebook`` lines after the analysis and the
    groups the framework no longer has (``dropped``) at the end."""
    lines = [f"id: {data['id']}", f"title: {_one_line(data['title'])}"]
    if data.get("summary"):
        lines.append(f"summary: {_one_line(data['summary'])}")
    analysis = data.get("analysis") or {}
    for key in ("subgroup", "analysts", "status"):
        if analysis.get(key) not in (None, []):
            lines.append(f"analysis.{key}: {_value(analysis[key])}")
    for comment in analysis.get("comments") or []:
        state = "resolved" if comment.get("resolved") else "open"
        lines.append(
            f"analysis.comments: {comment['path']} (round {comment['round']}, "
            f"{comment['author']}, {state}): {_one_line(comment['text'])}"
        )
    lines.extend(codebook)
    groups = [
        (group, (data.get(part.id) or {}).get(group.id)) for part, group in framework.groups()
    ]
    for group, value in [*groups, *dropped]:
        if value is None:
            continue
        lines += _group_lines(group, value)
    return "\n".join(lines) + "\n"


def _group_lines(group: Group, value: Any) -> list[str]:
    lines: list[str] = []
    if group.kind == "multi":
        order = {code.id: index for index, code in enumerate(group.codes)}
        items = sorted(value, key=lambda item: order.get(item["code"], len(order)))
        lines += [f"{group.path}: (none)"] if not items else []
        for item in items:
            lines += _item(group.path, item["code"], item)
    elif group.kind == "records":
        for record in value:
            fields = [
                f"{f.id}={_value(record.get(f.id))}"
                for f in group.fields
                if record.get(f.id) not in (None, [])
            ]
            lines += _item(group.path, " ".join(fields), record)
    else:
        main = "code" if group.is_coded else "value"
        lines += _item(group.path, _value(value.get(main)), value)
    return lines


# --- which framework a version fits ----------------------------------------------------------

HISTORY = 50
"""How many commits that changed the framework are searched for one a version fits."""
NOT_A_CASE = "# ol-analysis: not a valid case file; the text as it is:\n"
NO_FRAMEWORK = (
    "# ol-analysis: valid against no framework.yaml of the last {n} commits that changed it; "
    "its data, key by key:\n"
)
_CACHE = "ol-analysis/textconv-frameworks.json"
CACHE_SIZE = 10_000


def view(path: Path, raw: bytes, framework: str, cwd: Path = Path(".")) -> str:
    """What git shows for one version of a case (never raises for the file's content).

    The current framework first; then the frameworks of recent commits (the one found is
    remembered by the version's blob id); then the data without a framework; then the text.
    """
    text = raw.decode("utf-8", errors="replace").removeprefix("\ufeff")
    doc, problems = parse_text(str(path), text)
    if doc is None or has_errors(problems) or not isinstance(doc.data, dict):
        return NOT_A_CASE + text
    current: LoadedFramework | None = None
    with contextlib.suppress(OlAnalysisError, OSError):
        current = Frameworks(framework, cwd).load(framework)
        model = _validated(doc, current.models)
        if model is not None:
            return render_case(current.framework, model)
    with contextlib.suppress(OlAnalysisError, OSError):
        found = _from_history(path, doc, framework, current, cwd)
        if found is not None:
            older, model = found
            if current is None:
                return render_case(older, model)
            translation = translate(
                dump_case(model), compare_frameworks(older, current.framework), current.framework
            )
            lines = [change.line for change in translation.applied]
            return render_data(current.framework, translation.data, lines, translation.dropped)
    return NO_FRAMEWORK.format(n=HISTORY) + structure_view(doc.data)


def _validated(doc: SourceDocument, models: CaseModels) -> BaseModel | None:
    model, problems = validate_document(doc, models)
    return None if has_errors(problems) else model


def _from_history(
    path: Path, doc: SourceDocument, framework: str, current: LoadedFramework | None, cwd: Path
) -> tuple[Framework, BaseModel] | None:
    """The newest framework of recent commits this version validates against, and the case."""
    inner = (
        framework.partition(":")[2]
        if is_revision_spec(framework)
        else path_in_repository(Path(framework), cwd)
    )
    if inner is None:
        return None
    case_blob = blob_id(path, cwd)
    cache_file = git_path(_CACHE, cwd)
    cache = _read_cache(cache_file)
    if case_blob is not None and cache.get(case_blob):
        candidates = [cache[case_blob]]
    else:
        candidates = recent_blobs(inner, cwd, commits=HISTORY)
    # "fits none": remembered only as long as the framework's history stays as it is
    unfit = f"{case_blob}@{candidates[0] if candidates else ''}"
    if unfit in cache:
        return None
    current_text = None
    if current is not None:
        with contextlib.suppress(OSError):
            current_text = (cwd / current.spec).read_text(encoding="utf-8")
    found: tuple[str, Framework, BaseModel] | None = None
    for blob in candidates:
        text = read_blob(blob, cwd, max_bytes=MAX_FILE_BYTES)
        if text is None or text == current_text:
            continue
        try:
            older = framework_from_text(f"{blob[:12]}:{inner}", text)
        except OlAnalysisError:
            continue
        if not _may_fit(older, doc.data):
            continue
        model = _validated(doc, CaseModels(older))
        if model is not None:
            found = (blob, older, model)
            break
    if case_blob is not None and cache_file is not None:
        if found:
            cache[case_blob] = found[0]
        else:
            cache[unfit] = ""
        _write_cache(cache_file, cache)
    return (found[1], found[2]) if found else None


def _read_cache(file: Path | None) -> dict[str, str]:
    if file is None:
        return {}
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {k: v for k, v in data.items() if isinstance(v, str)} if isinstance(data, dict) else {}


def _write_cache(file: Path, cache: dict[str, str]) -> None:
    """The cache file, at most :data:`CACHE_SIZE` entries (the oldest go first)."""
    kept = dict(list(cache.items())[-CACHE_SIZE:])
    with contextlib.suppress(OSError, OlAnalysisError):
        file.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(file, json.dumps(kept, indent=0) + "\n")


def _codes_of(value: Any, key: str) -> Iterator[Any]:
    """The codes written at ``key`` in plain (``code``, ``[a, b]``) or expanded form."""
    items = value if isinstance(value, list) else [value]
    for item in items:
        code = item.get(key) if isinstance(item, dict) else item
        yield from code if isinstance(code, list) else [code]


def _may_fit(framework: Framework, data: dict[str, Any]) -> bool:
    """A quick look before building a framework's case models (the slow part): every part,
    group and code the file uses must be in the framework."""
    for part_id, groups in data.items():
        if part_id in ("id", "title", "summary", "analysis") or not isinstance(groups, dict):
            continue
        if framework.part(part_id) is None:
            return False
        for group_id, value in groups.items():
            group = framework.group(f"{part_id}.{group_id}")
            if group is None:
                return False
            checks: list[tuple[str, Group | RecordField]] = (
                [("code", group)] if group.is_coded else []
            )
            checks += (
                [(f.id, f) for f in group.fields if f.codes] if group.kind == "records" else []
            )
            for key, owner in checks:
                known = {code.id for code in owner.codes}
                for code in _codes_of(value, key) if value is not None else []:
                    text = code if isinstance(code, str) else source_text(code)
                    if text is not None and text not in known:
                        return False
    return True


# --- without a framework ------------------------------------------------------------------------


def structure_view(data: Any) -> str:
    """Any YAML data as ``key.path: value`` lines: mapping keys sorted, lists in their order,
    texts on one line — a stable view of a file no framework can read."""
    return "".join(f"{path}: {value}\n" for path, value in _leaves(data, ""))


def _leaves(value: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, dict):
        if not value:
            yield path or ".", "{}"
        for key in sorted(value, key=str):
            yield from _leaves(value[key], f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        if not value:
            yield path or ".", "[]"
        for index, item in enumerate(value):
            yield from _leaves(item, f"{path}.{index}" if path else str(index))
    elif value is None:
        yield path or ".", "null"
    else:
        yield path or ".", source_text(value) or _one_line(value)
