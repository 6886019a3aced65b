"""The textconv view of a case and ``git-setup``.

``git diff`` of a case file shows lines; with the textconv driver set up by :func:`git_setup`
(``.gitattributes``: ``cases/*.yaml diff=ol-analysis``; local config
``diff.ol-analysis.textconv``) git first turns each version into :func:`render_case`'s stable,
one-line-per-coded-item view, so a diff shows what was coded rather than how it was typed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from ol_analysis.core.framework import Framework
from ol_analysis.errors import UsageError
from ol_analysis.feedback.diff import dump_case
from ol_analysis.git import run_git, toplevel
from ol_analysis.safe_write import write_text_atomic

DRIVER = "ol-analysis"


# --- git-setup -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SetupResult:
    attributes: Path
    attributes_changed: bool
    textconv: str


def git_setup(study: Path, framework: Path, cases: Path) -> SetupResult:
    """Make ``git diff`` show case files through the textconv driver; safe to run again.

    Adds ``<cases>/*.yaml diff=ol-analysis`` to the study's ``.gitattributes`` (keeping what is
    there) and sets ``diff.ol-analysis.textconv`` in the repository's local config. git runs the
    driver from the top of the work tree, so the framework is named relative to it.
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
    command = f"{DRIVER} diff --textconv --framework {_shell_word(framework_rel)}"
    result = run_git(["config", "--local", f"diff.{DRIVER}.textconv", command], study)
    if result.returncode != 0:
        detail = result.stderr.decode(errors="replace").strip()
        raise UsageError(f"could not set the git config: {detail}")
    return SetupResult(attributes, changed, command)


def _shell_word(text: str) -> str:
    """``text`` as one word for the shell git runs the textconv command with."""
    if text and all(ch.isalnum() or ch in "._/-+" for ch in text):
        return text
    return "'" + text.replace("'", "'\\''") + "'"


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
    data = dump_case(model)
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
    for part in framework.parts:
        values = data.get(part.id) or {}
        for group in part.groups:
            value = values.get(group.id)
            if value is None:
                continue
            if group.kind == "multi":
                order = {code.id: index for index, code in enumerate(group.codes)}
                items = sorted(value, key=lambda item: order.get(item["code"], len(order)))
                lines += [f"{group.path}: (none)"] if not items else []
                for item in items:
                    lines += _item(group.path, item["code"], item)
            elif group.kind == "records":
                for record in value:
                    fields = [
                        f"{f.id}={_value(record[f.id])}"
                        for f in group.fields
                        if record.get(f.id) not in (None, [])
                    ]
                    lines += _item(group.path, " ".join(fields), record)
            else:
                main = "code" if group.is_coded else "value"
                lines += _item(group.path, _value(value[main]), value)
    return "\n".join(lines) + "\n"
