"""The plain text of a case for a REFI-QDA ``TextSource``, and the notes that go with it.

The text reads as a short case document: title, summary, then per part a line for every record
(a key moment's line is its summary) and for every item with evidence, each quote or note on its
own line. Each quote, note and record line is a selection coded with the item's codes.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from ol_analysis.analysis.codings import Item, clean_text, items, text_of
from ol_analysis.core.framework import Framework, Group
from ol_analysis.core.study import Case
from ol_analysis.core.values import as_list

NAMESPACE = uuid.UUID("4f1c2a7e-9b3d-5c8e-a6f0-0d2b7e91c3a5")  # never change: GUIDs derive from it


def guid(name: str) -> str:
    """A deterministic GUID; codes use their dotted path, other objects ``kind:key``."""
    return str(uuid.uuid5(NAMESPACE, name))


class CaseText:
    """The plain text of one case, with the selections coded on it."""

    def __init__(self) -> None:
        self.chunks: list[str] = []
        self.length = 0
        self.selections: list[tuple[str, int, int, Item, str | None]] = []

    def add(self, text: str) -> tuple[int, int]:
        text = clean_text(text.replace("\r\n", "\n").replace("\r", "\n"))
        start = self.length
        self.chunks.append(text)
        self.length += len(text)
        return start, self.length

    def select(self, key: str, text: str, item: Item, description: str | None = None) -> None:
        start, end = self.add(text)
        self.selections.append((key, start, end, item, description))

    @property
    def text(self) -> str:
        return "".join(self.chunks)


def _item_label(framework: Framework, item: Item, lang: str) -> str:
    group, model = item.group, item.model
    if group.is_coded:
        code = framework.code(f"{group.path}.{model.code}")
        return code.label.get(lang) if code else model.code
    if group.kind == "records":
        shown = []
        others = [f.id for f in group.fields if f.is_coded and f.id not in group.key]
        for field_id in [*group.key, *others]:
            fld = group.field(field_id)
            value = getattr(model, field_id, None)
            if fld is None or value is None or (fld.type == "text" and field_id not in group.key):
                continue
            if fld.is_coded:
                labels = {c.id: c.label.get(lang) for c in fld.codes}
                values = as_list(value)
                shown.append(", ".join(labels.get(str(v), str(v)) for v in values))
            else:
                shown.append(str(value))
        return " · ".join(shown)
    return text_of(model.value)


def _text_key_field(group: Group) -> str | None:
    """A record group's text key field (a key moment's summary): each record gets a line."""
    for field_id in group.key:
        fld = group.field(field_id)
        if fld is not None and fld.type == "text":
            return field_id
    return None


def case_text(framework: Framework, case: Case, lang: str) -> CaseText:
    text = CaseText()
    text.add(case.title.strip() + "\n")
    if case.summary.strip():
        text.add("\n" + " ".join(case.summary.split()) + "\n")
    vocab = framework.evidence
    sources = {c.id: c.label.get(lang) for c in vocab.sources}
    speakers = {c.id: c.label.get(lang) for c in vocab.speakers}
    current_part = None
    for item in items(framework, case):
        group = item.group
        line_field = _text_key_field(group) if group.kind == "records" else None
        if not item.evidence and group.kind != "records":
            continue
        part_id = group.path.partition(".")[0]
        if part_id != current_part:
            part = framework.part(part_id)
            text.add(f"\n{part.label.get(lang) if part else part_id}\n")
            current_part = part_id
        label = group.label.get(lang)
        description = None if group.is_coded or group.kind in ("records", "bool") else label
        if line_field is not None:
            others = [text_of(getattr(item.model, f, None)) for f in group.key if f != line_field]
            text.add("- " + "".join(f"{o}: " for o in others if o))
            text.select(
                f"{item.key}/line", " ".join(str(getattr(item.model, line_field)).split()), item
            )
            text.add("\n")
        elif group.kind == "records":  # every record gets a line coded with its codes
            text.add(f"- {label}: ")
            text.select(f"{item.key}/line", _item_label(framework, item, lang) or label, item)
            text.add("\n")
        else:
            text.add(f"- {label}: {_item_label(framework, item, lang)}\n")
        for index, evidence in enumerate(item.evidence):
            where = [sources.get(evidence.source, evidence.source)]
            if evidence.speaker:
                where.append(speakers.get(evidence.speaker, evidence.speaker))
            if evidence.section:
                where.append(f"§{evidence.section}")
            key = f"{item.key}/evidence/{index}"
            if evidence.quote is not None:
                text.add("  “")
                text.select(key, " ".join(evidence.quote.split()), item, description)
                text.add(f"” ({', '.join(where)})\n")
            else:
                text.add("  [")
                text.select(key, " ".join(evidence.note.split()), item, description)
                text.add(f"] ({', '.join(where)})\n")
    return text


@dataclass
class RefiNote:
    guid: str
    name: str
    text: str
    author: str | None


def case_notes(framework: Framework, case: Case, lang: str) -> list[RefiNote]:
    notes = []
    for item in items(framework, case):
        if item.inferred and item.basis:
            label = f"{item.group.label.get(lang)}: {_item_label(framework, item, lang)}"
            notes.append(
                RefiNote(
                    guid(f"note:{item.key}/basis"),
                    f"{case.id} — inferred: {label}",
                    " ".join(item.basis.split()),
                    None,
                )
            )
    analysis = case.analysis
    for index, comment in enumerate(getattr(analysis, "comments", None) or []):
        state = " (resolved)" if comment.resolved else ""
        notes.append(
            RefiNote(
                guid(f"note:{case.id}/comment/{index}"),
                f"{case.id} — feedback round {comment.round}, {comment.path}{state}",
                comment.text.strip(),
                comment.author,
            )
        )
    return notes
