"""``ol-analysis new``: a case file scaffold with every part and hints from the codebook."""

from __future__ import annotations

import json
import re
import textwrap

from ol_analysis.core.casemodel import CASE_ID_PATTERN
from ol_analysis.core.framework import Framework, Group, RecordField

WIDTH = 96


def _comment(text: str, indent: int) -> list[str]:
    prefix = " " * indent + "# "
    return (
        textwrap.wrap(
            " ".join(text.split()),
            WIDTH - len(prefix),
            initial_indent=prefix,
            subsequent_indent=prefix,
        )
        if text.strip()
        else []
    )


def _choices(codes: list[object], lang: str) -> str:
    return ", ".join(f"{c.id} ({c.label.get(lang)})" for c in codes)  # type: ignore[attr-defined]


def _quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def valid_case_id(case_id: str) -> bool:
    return re.match(CASE_ID_PATTERN, case_id) is not None


def scaffold(
    framework: Framework,
    case_id: str,
    title: str,
    *,
    lang: str = "nl",
    schema_path: str = "../build/schema.json",
) -> str:
    """YAML text of a new case: every part and group, required ones marked, all commented."""
    lines = [
        f"# yaml-language-server: $schema={schema_path}",
        f"# Case {case_id}, coded against {framework.framework.id} {framework.version}.",
        "# Fill in each group; leave out (or delete) optional groups the case does not speak to.",
        "# Any coded item may take the expanded form {code: …, evidence: […], inferred: true,",
        "# basis: …}. Check with: ol-analysis validate",
        f"id: {case_id}",
        f"title: {_quote(title)}",
        "summary: >",
        "  ",
        "analysis:",
        "  subgroup:",
        "  analysts: []",
        "  status: draft",
    ]
    for part in framework.parts:
        lines.append("")
        lines += _comment(f"{part.label.get(lang)} — {part.description}".rstrip(" —"), 0)
        lines.append(f"{part.id}:")
        for group in part.groups:
            lines += _group_lines(group, lang)
    return "\n".join(lines) + "\n"


def _group_lines(group: Group, lang: str) -> list[str]:
    need = "required" if group.required else "optional"
    head = f"{group.label.get(lang)} ({group.kind}, {need})"
    if group.only_with:
        head += f", only with {group.only_with}"
    lines = _comment(f"{head}. {group.description}".strip(), 2)
    if group.is_coded:
        lines += _comment(f"codes: {_choices(list(group.codes), lang)}", 2)
    elif group.kind in ("integer", "number") and (group.min is not None or group.max is not None):
        lines += _comment(
            f"from {group.min:g} to {group.max:g}"
            if group.min is not None and group.max is not None
            else "a number",
            2,
        )
    if group.kind == "multi":
        lines.append(f"  {group.id}: []")
    elif group.kind == "records":
        lines.append(f"  {group.id}: []")
        lines += _comment("one record per item: replace [] by copies of this block, uncommented", 4)
        for index, field in enumerate(group.fields):
            lines += _field_lines(field, lang, first=index == 0)
    else:
        lines.append(f"  {group.id}:")
    return lines


def _field_lines(field: RecordField, lang: str, *, first: bool) -> list[str]:
    need = "required" if field.required else "optional"
    detail = f"{field.label.get(lang)} ({field.type}, {need})"
    if field.is_coded:
        detail += f": {_choices(list(field.codes), lang)}"
    elif field.type == "period":
        detail += ": YYYY-MM-DD, YYYY-MM or a label such as 'begin traject'"
    empty = " []" if field.type == "codes" else ""
    lead = "    # - " if first else "    #   "
    return [*_comment(detail, 4 if first else 6), f"{lead}{field.id}:{empty}"]
