"""Analytic memos (``memos/``) as REFI-QDA ``Note`` s, and back.

Each memo is one ``Note``: its ``name`` is the memo's title, its ``PlainTextContent`` the memo's
Markdown text, ``creatingUser`` its author (a ``User`` of the project) and ``creationDateTime``
its date. The note is referenced (``NoteRef``) from what the memo is attached to, where the
standard has a place for it:

- the study → the ``Project`` (``Project/NoteRef``);
- a code or a group → its ``Code`` in the codebook; a part → the part's parent ``Code``;
- a case → the case's text source (QDA-XML 1.0 gives ``Case`` no ``NoteRef``);
- a quote → the ``PlainTextSelection`` s of that quote (the case text's, and the source
  document's when the quote is located in one).

The note's ``Description`` starts with ``ol-analysis memo: <id>`` and holds the memo's front
matter, so that ``import refi`` writes ``memos/<id>.md`` back as it was meant (other tools show
the description as the note's description). A note without that line is another tool's note.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from xml.etree import ElementTree as ET

from ol_analysis.core.memos import MEMOS_FOLDER, Memo, MemoTarget, parse_memo, squash
from ol_analysis.core.study import Study
from ol_analysis.interop.refi.documents import document_guid
from ol_analysis.interop.refi.text import guid

MEMO_PREFIX = "ol-analysis memo: "
_AFTER_NOTES = ("Links", "Sets", "Graphs", "Description", "NoteRef")


def memo_guid(memo_id: str) -> str:
    return guid(f"memo:{memo_id}")


def memo_authors(study: Study) -> list[str]:
    """The memos' authors, who are users of the project."""
    return sorted({m.author for m in getattr(study, "memos", ()) if m.author})


def _value(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _target_yaml(target: MemoTarget) -> str:
    if target.kind == "study":
        return "study"
    if target.kind == "quote":
        owner = (
            f"case: {_value(target.case)}" if target.case else f"doc: {_value(target.doc or '')}"
        )
        return f"quote: {{{owner}, text: {_value(target.text or '')}}}"
    return f"{target.kind}: {_value(target.value)}"


def front_matter(memo: Memo) -> str:
    """The memo's front matter as YAML (without the ``---`` lines)."""
    lines = [f"title: {_value(memo.title)}"]
    if memo.author:
        lines.append(f"author: {_value(memo.author)}")
    if memo.date:
        lines.append(f"date: {memo.date}")
    lines.append("targets:")
    lines += [f"  - {_target_yaml(t)}" for t in memo.targets]
    return "\n".join(lines) + "\n"


def memo_file_text(front: str, text: str) -> str:
    return f"---\n{front.rstrip()}\n---\n{text.strip()}\n"


# ── export ────────────────────────────────────────────────────────────────────────────────────


def _ns(root: ET.Element) -> str:
    return root.tag[: root.tag.index("}") + 1] if root.tag.startswith("{") else ""


def _notes_element(root: ET.Element) -> ET.Element:
    """The project's ``Notes``, created in its place in the sequence when it is not there."""
    found = root.find("Notes")
    if found is not None:
        return found
    notes = ET.Element("Notes")
    index = next(
        (i for i, child in enumerate(root) if child.tag in _AFTER_NOTES),
        len(root),
    )
    root.insert(index, notes)
    return notes


def _add_ref(element: ET.Element, note_guid: str, before: Iterable[str] = ()) -> None:
    """A ``NoteRef`` in ``element``, after its other NoteRefs and before the ``before`` tags."""
    if any(r.get("targetGUID") == note_guid for r in element.findall("NoteRef")):
        return
    stop = tuple(before)
    index = next((i for i, child in enumerate(element) if child.tag in stop), len(element))
    element.insert(index, ET.Element("NoteRef", {"targetGUID": note_guid}))


def _attachments(root: ET.Element, study: Study, target: MemoTarget) -> list[ET.Element]:
    """The elements of the project that a target attaches a note to."""
    if target.kind in ("code", "part"):
        code = next(
            (c for c in root.iter("Code") if c.get("guid") == guid(target.value)),
            None,
        )
        return [code] if code is not None else []
    sources = {s.get("guid"): s for s in root.iter("TextSource")}
    if target.kind == "case":
        source = sources.get(guid(f"source:{target.value}"))
        return [source] if source is not None else []
    if target.kind != "quote":
        return []
    owners = []
    if target.case is not None:
        owners.append(sources.get(guid(f"source:{target.case}")))
        located = study.sources.quotes if study.sources is not None else []
        docs = {q.doc for q in located if q.case_id == target.case}
        owners += [sources.get(document_guid(doc)) for doc in sorted(docs)]
    else:
        owners.append(sources.get(document_guid(target.doc or "")))
    words = squash(target.text or "")
    return [
        selection
        for owner in owners
        if owner is not None
        for selection in owner.findall("PlainTextSelection")
        if words and words in squash(selection.get("name") or "")
    ]


def add_memo_notes(root: ET.Element, study: Study, user_guid: Callable[[str], str]) -> None:
    """Add every memo of ``study`` to a project tree (before it is serialised)."""
    memos = list(getattr(study, "memos", ()))
    if not memos:
        return
    notes = _notes_element(root)
    for memo in memos:
        note_guid = memo_guid(memo.id)
        attributes = {"guid": note_guid, "name": memo.title}
        if memo.author:
            attributes["creatingUser"] = user_guid(memo.author)
        if memo.date:
            attributes["creationDateTime"] = f"{memo.date}T00:00:00Z"
        note = ET.SubElement(notes, "Note", attributes)
        ET.SubElement(note, "Description").text = f"{MEMO_PREFIX}{memo.id}\n{front_matter(memo)}"
        ET.SubElement(note, "PlainTextContent").text = memo.text
        for target in memo.targets:
            if target.kind == "study":
                _add_ref(root, note_guid)
                continue
            for element in _attachments(root, study, target):
                before: tuple[str, ...] = ()
                if element.tag in ("Code", "TextSource"):
                    before = ("Code",) if element.tag == "Code" else ("VariableValue",)
                _add_ref(element, note_guid, before)


# ── import ────────────────────────────────────────────────────────────────────────────────────


def memo_of_note(note: ET.Element, text: str) -> tuple[str, str] | None:
    """``(relative path, file text)`` of the memo a note of ours carries, or None."""
    description = note.findtext(f"{_ns(note)}Description") or ""
    head, _, front = description.partition("\n")
    if not head.startswith(MEMO_PREFIX):
        return None
    memo_id = head[len(MEMO_PREFIX) :].strip()
    if not memo_id or "/" in memo_id or "\\" in memo_id or memo_id.startswith("."):
        return None
    return f"{MEMOS_FOLDER}/{memo_id}.md", memo_file_text(front, text)


def is_memo_note(note: ET.Element) -> bool:
    description = note.findtext(f"{_ns(note)}Description") or ""
    return description.startswith(MEMO_PREFIX)


def imported_memos(notes: Iterable[tuple[ET.Element, str, str]]) -> dict[str, str]:
    """The memo files carried by a project's notes (``(element, name, text)``), by path; a
    note whose memo would not parse is left out (it stays in the loss report)."""
    files: dict[str, str] = {}
    for element, _name, text in notes:
        found = memo_of_note(element, text)
        if found is None:
            continue
        path, content = found
        memo, _problems = parse_memo(path.rsplit("/", 1)[-1][:-3], path, content)
        if memo is not None:
            files[path] = content
    return files


def is_carried_memo(note: ET.Element, text: str) -> bool:
    """True when the note carries a memo that ``import refi`` writes back."""
    return bool(imported_memos([(note, "", text)]))
