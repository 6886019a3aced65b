"""``rename-code`` and ``merge-codes`` in the memos: a memo attached to a code that is renamed
or merged is attached to its new path (docs/memos.md).

Only the ``code:`` targets of a memo's front matter change; the memo's text is the analyst's
prose and is left as it was. The front matter is edited as text, value by value, so that its
comments and layout stay.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ol_analysis.core.memos import MEMOS_FOLDER, memo_files
from ol_analysis.core.sources.text import split_front_matter

_CODE_VALUE = re.compile(r"""(?<![\w.-])code\s*:\s*(['"]?)([\w.]+)\1""")


@dataclass(frozen=True)
class MemoEdit:
    """One code target of a memo that changes: where its value stands in the file."""

    line: int
    column: int
    old: str
    new: str


def memo_edits(text: str, paths: Mapping[str, str]) -> tuple[str, list[MemoEdit]]:
    """The memo's text with every ``code:`` target in ``paths`` (old → new) replaced."""
    front, _body, body_line = split_front_matter(text.replace("\r\n", "\n"))
    if front is None or not paths:
        return text, []
    lines = text.split("\n")
    edits: list[MemoEdit] = []
    for index in range(1, body_line - 2):  # the front matter's lines, after the opening '---'
        line = lines[index]

        def swap(match: re.Match[str], number: int = index) -> str:
            old = match.group(2)
            if old not in paths:
                return match.group(0)
            start = match.start(2)
            edits.append(MemoEdit(number + 1, start + 1, old, paths[old]))
            return (
                match.group(0)[: start - match.start()]
                + paths[old]
                + match.group(0)[match.end(2) - match.start() :]
            )

        lines[index] = _CODE_VALUE.sub(swap, line)
    return "\n".join(lines), edits


def memo_changes(
    study_folder: Path, paths: Mapping[str, str]
) -> list[tuple[Path, bytes, str, list[MemoEdit]]]:
    """Per memo of ``study_folder/memos`` whose code targets change: its path, old bytes, new
    text and the edits. A memo that is not UTF-8 is left alone (``validate`` reports it)."""
    found = []
    for path in memo_files(study_folder / MEMOS_FOLDER):
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            continue
        new_text, edits = memo_edits(text, paths)
        if edits:
            found.append((path, raw, new_text, edits))
    return found
