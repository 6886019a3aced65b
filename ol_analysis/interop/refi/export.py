"""Export to the REFI-QDA exchange standard (QDA-XML 1.0): a codebook ``.qdc``, a project ``.qdpx``.

What maps to what:

- **Codebook.** Parts, groups and record fields are parent codes (``isCodable="false"``); codes,
  bool groups and bool record fields are codable children. A code's name is its label in
  ``lang``; its description ends with ``[id: <id>]`` so that an import gets the ids (and so the
  dotted paths) back. Every code of a part carries the part's colour.
- **Project.** Users are the analysts and comment authors; one variable per profile group (plus
  one per integer, number or text group elsewhere, named by its dotted path); one ``Case`` per
  case file with a ``CodeRef`` for every path it holds, its ``VariableValue`` s and a
  ``SourceRef`` to its text. The text (title, summary, key-moment lines, evidence) is a
  ``TextSource`` in ``sources/<guid>.txt`` with a ``PlainTextSelection`` + ``Coding`` on the
  exact characters of each quote, note and record line. Inferences (their basis) and feedback
  comments are ``Note`` s referenced from the case's text.

Positions count characters as the standard says: Unicode code points from 0, end exclusive,
in the UTF-8 plain-text file (Python string indices). GUIDs are uuid5 of a fixed namespace and
a stable name (a code's dotted path), no dates are written and zip entries carry a fixed
timestamp, so exporting the same study twice gives identical bytes.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from xml.etree import ElementTree as ET

from ol_analysis.analysis.codings import (
    case_code_paths,
    clean_text,
    group_value,
    item_codings,
    text_of,
)
from ol_analysis.core.framework import Code, Framework, Group, Label
from ol_analysis.core.study import Case, Study
from ol_analysis.interop.refi.carrier import DESCRIPTION as CARRIER_DESCRIPTION
from ol_analysis.interop.refi.carrier import case_note, study_notes
from ol_analysis.interop.refi.documents import (
    ExportedDocument,
    case_selections,
    document_element,
    exported_documents,
)
from ol_analysis.interop.refi.memos import add_memo_notes, memo_authors
from ol_analysis.interop.refi.text import RefiNote, case_notes, case_text, guid

CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
PROJECT_NS = "urn:QDA-XML:project:1.0"
ID_TRAILER = "[id: {id}]"
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
VARIABLE_TYPES = {
    "single": "Text",
    "multi": "Text",
    "text": "Text",
    "bool": "Boolean",
    "integer": "Integer",
    "number": "Float",
}
VALUE_ELEMENTS = {
    "Text": "TextValue",
    "Boolean": "BooleanValue",
    "Integer": "IntegerValue",
    "Float": "FloatValue",
}


@dataclass
class CodeNode:
    path: str
    name: str
    description: str
    codable: bool
    colour: str | None
    children: list[CodeNode] = field(default_factory=list)


def _describe(node_id: str, description: str, examples: Iterable[str] = (), hints: str = "") -> str:
    """The description, its examples and the trailer ``[id: …]`` (with ``; kind: …`` and the
    like for what the code tree's shape cannot say)."""
    text = " ".join(description.split())
    examples = list(examples)
    if examples:
        text += "\n\nExamples:\n" + "\n".join(f"- {' '.join(e.split())}" for e in examples)
    trailer = ID_TRAILER.format(id=node_id)
    if hints:
        trailer = f"{trailer[:-1]}; {hints}]"
    return f"{text}\n\n{trailer}".lstrip()


def _leaf(code: Code, colour: str | None, lang: str) -> CodeNode:
    description = _describe(code.id, code.description, code.examples)
    return CodeNode(code.path, code.label.get(lang), description, True, colour)


def _parent(
    path: str, label: Label, description: str, colour: str | None, lang: str, hints: str = ""
) -> CodeNode:
    node_id = path.rpartition(".")[2]
    text = _describe(node_id, description, hints=hints)
    return CodeNode(path, label.get(lang), text, False, colour)


def _group_hints(group: Group) -> str:
    hints = f"kind: {group.kind}" if group.kind in ("single", "records") else ""
    if group.status is not None:
        hints += f"; status: {group.status.field} counts {','.join(group.status.counts)}"
    return hints


def codebook_tree(framework: Framework, lang: str = "nl") -> list[CodeNode]:
    """The framework as a code tree: part → group → (field →) code."""
    tree = []
    for part in framework.parts:
        colour = part.colour
        part_node = _parent(part.id, part.label, part.description, colour, lang)
        for group in part.groups:
            node = _parent(
                group.path, group.label, group.description, colour, lang, _group_hints(group)
            )
            if group.is_coded:
                node.children = [_leaf(code, colour, lang) for code in group.codes]
            elif group.kind == "bool":
                node.codable = True
            elif group.kind == "records":
                for fld in group.fields:
                    hints = "type: code" if fld.type == "code" else ""
                    child = _parent(fld.path, fld.label, fld.description, colour, lang, hints)
                    if fld.is_coded:
                        child.children = [_leaf(code, colour, lang) for code in fld.codes]
                    elif fld.type == "bool":
                        child.codable = True
                    else:
                        continue
                    node.children.append(child)
                if not node.children:
                    continue
            else:
                continue
            part_node.children.append(node)
        if part_node.children:
            tree.append(part_node)
    return tree


def _code_element(parent: ET.Element, node: CodeNode) -> None:
    attributes = {
        "guid": guid(node.path),
        "name": node.name,
        "isCodable": "true" if node.codable else "false",
    }
    if node.colour:
        attributes["color"] = node.colour.upper()
    element = ET.SubElement(parent, "Code", attributes)
    if node.description:
        ET.SubElement(element, "Description").text = node.description
    for child in node.children:
        _code_element(element, child)


def _serialise(root: ET.Element) -> bytes:
    for element in root.iter():
        if element.text:
            element.text = clean_text(element.text)
        for name, value in element.attrib.items():
            element.set(name, clean_text(value))
    ET.indent(root, space="  ")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def export_codebook(framework: Framework, lang: str = "nl") -> bytes:
    """The framework as a REFI-QDA codebook document (``.qdc``)."""
    root = ET.Element("CodeBook", {"xmlns": CODEBOOK_NS, "origin": _origin(framework)})
    codes = ET.SubElement(root, "Codes")
    for node in codebook_tree(framework, lang):
        _code_element(codes, node)
    return _serialise(root)


def _origin(framework: Framework) -> str:
    from ol_analysis.version import __version__

    info = framework.framework
    return f"ol-analysis {__version__}; framework {info.id} {info.version}"


# ── project ───────────────────────────────────────────────────────────────────────────────────


def variable_groups(framework: Framework) -> list[Group]:
    """Groups exported as variables: every profile group, and scalar groups elsewhere."""
    found = []
    for part, group in framework.groups():
        if group.kind not in VARIABLE_TYPES:
            continue
        if part.id == framework.roles.profile or group.kind in ("integer", "number", "text"):
            found.append(group)
    return found


def variable_name(group: Group, profile: str | None = None) -> str:
    """A profile group by its id, any other group by its path (``profile``: the profile role)."""
    part_id, _, group_id = group.path.partition(".")
    return group_id if part_id == profile else group.path


def _analysts(case: Case) -> list[str]:
    return list(getattr(case.analysis, "analysts", None) or [])


def _users(study: Study) -> list[str]:
    names = set()
    for case in study:
        names.update(_analysts(case))
        names.update(c.author for c in getattr(case.analysis, "comments", None) or [])
    names.update(memo_authors(study))
    return sorted(names)


def _user_guid(name: str) -> str:
    return guid(f"user:{name}")


def variable_text(group: Group, value: Any) -> tuple[str, str]:
    """The REFI-QDA variable type of a group and a value's text as it is exported."""
    kind = VARIABLE_TYPES[group.kind]
    if kind == "Boolean":
        shown = "true" if value else "false"
    elif kind == "Float":
        shown = format(Decimal(str(value)), "f")  # xsd:decimal has no exponent
    else:
        shown = text_of(value)
    return kind, clean_text(shown)


def _variable_value(parent: ET.Element, group: Group, value: Any) -> None:
    kind, shown = variable_text(group, value)
    element = ET.SubElement(parent, "VariableValue")
    ET.SubElement(element, "VariableRef", {"targetGUID": guid(f"variable:{group.path}")})
    ET.SubElement(element, VALUE_ELEMENTS[kind]).text = shown


def build_project(study: Study, lang: str = "nl") -> tuple[bytes, dict[str, bytes]]:
    """``project.qde`` and the source files (``sources/<guid>.txt``) of a study."""
    framework = study.framework
    info = framework.framework
    root = ET.Element(
        "Project",
        {"xmlns": PROJECT_NS, "name": info.title.get(lang), "origin": _origin(framework)},
    )
    users = _users(study)
    if users:
        users_element = ET.SubElement(root, "Users")
        for name in users:
            ET.SubElement(
                users_element, "User", {"guid": _user_guid(name), "name": name, "id": name}
            )
    codes = ET.SubElement(ET.SubElement(root, "CodeBook"), "Codes")
    for node in codebook_tree(framework, lang):
        _code_element(codes, node)
    variables = variable_groups(framework)
    if variables:
        variables_element = ET.SubElement(root, "Variables")
        for group in variables:
            variable = ET.SubElement(
                variables_element,
                "Variable",
                {
                    "guid": guid(f"variable:{group.path}"),
                    "name": variable_name(group, framework.roles.profile),
                    "typeOfVariable": VARIABLE_TYPES[group.kind],
                },
            )
            ET.SubElement(variable, "Description").text = _describe(
                group.id, f"{group.label.get(lang)}. {group.description}".strip()
            )
    files: dict[str, bytes] = {}
    cases = list(study)
    notes_element = ET.Element("Notes")
    documents = exported_documents(study)
    if cases:
        cases_element = ET.SubElement(root, "Cases")
        sources_element = ET.Element("Sources")
        for case in cases:
            source_guid = guid(f"source:{case.id}")
            case_element = ET.SubElement(
                cases_element, "Case", {"guid": guid(f"case:{case.id}"), "name": case.id}
            )
            ET.SubElement(case_element, "Description").text = case.title
            for path in case_code_paths(framework, case):
                ET.SubElement(case_element, "CodeRef", {"targetGUID": guid(path)})
            for group in variables:
                value = group_value(case, group)
                if value is not None:
                    _variable_value(case_element, group, value)
            ET.SubElement(case_element, "SourceRef", {"targetGUID": source_guid})
            for selection in case_selections(documents, case.id):
                ET.SubElement(case_element, "SelectionRef", {"targetGUID": selection})
            notes = case_notes(framework, case, lang)
            carried = case_note(case)
            files[f"sources/{source_guid}.txt"] = _source_element(
                sources_element, framework, case, lang, [*notes, *([carried] if carried else [])]
            )
            for note in notes:
                _note_element(notes_element, note)
            if carried is not None:
                _note_element(notes_element, carried, CARRIER_DESCRIPTION)
        for document in documents:
            files.update(document_element(sources_element, document, _coder(document, study)))
        root.append(sources_element)
    project_notes = study_notes(study)
    for note in project_notes:
        _note_element(notes_element, note, CARRIER_DESCRIPTION)
    if len(notes_element):
        root.append(notes_element)
    if info.description:
        ET.SubElement(root, "Description").text = " ".join(info.description.split())
    for note in project_notes:
        ET.SubElement(root, "NoteRef", {"targetGUID": note.guid})
    add_memo_notes(root, study, _user_guid)
    return _serialise(root), files


def _coder(document: ExportedDocument, study: Study) -> dict[str, str]:
    """The first analyst of the first case quoting the document, as the coding's user."""
    for quote in document.quotes:
        case = study.cases.get(quote.case_id)
        analysts = _analysts(case) if case is not None else []
        if analysts:
            return {"creatingUser": _user_guid(analysts[0])}
    return {}


def _note_element(parent: ET.Element, note: RefiNote, description: str | None = None) -> None:
    attributes = {"guid": note.guid, "name": note.name}
    if note.author:
        attributes["creatingUser"] = _user_guid(note.author)
    element = ET.SubElement(parent, "Note", attributes)
    if description:
        ET.SubElement(element, "Description").text = description
    ET.SubElement(element, "PlainTextContent").text = note.text


def _source_element(
    parent: ET.Element, framework: Framework, case: Case, lang: str, notes: list[RefiNote]
) -> bytes:
    source_guid = guid(f"source:{case.id}")
    text = case_text(framework, case, lang)
    full = text.text
    source = ET.SubElement(
        parent,
        "TextSource",
        {
            "guid": source_guid,
            "name": f"{case.id} — {case.title}",
            "plainTextPath": f"internal://{source_guid}.txt",
        },
    )
    analysts = _analysts(case)
    coder = {"creatingUser": _user_guid(analysts[0])} if analysts else {}
    basis_notes = {n.guid for n in notes}
    for key, start, end, item, description in text.selections:
        selection = ET.SubElement(
            source,
            "PlainTextSelection",
            {
                "guid": guid(f"selection:{key}"),
                "name": full[start:end],  # the passage, so that a reader can check offsets
                "startPosition": str(start),
                "endPosition": str(end),
            },
        )
        if description:
            ET.SubElement(selection, "Description").text = description
        for coding in item_codings(item):
            element = ET.SubElement(
                selection, "Coding", {"guid": guid(f"coding:{key}/{coding.path}"), **coder}
            )
            ET.SubElement(element, "CodeRef", {"targetGUID": guid(coding.path)})
            note_guid = guid(f"note:{item.key}/basis")
            if note_guid in basis_notes:
                ET.SubElement(element, "NoteRef", {"targetGUID": note_guid})
    for note in notes:
        ET.SubElement(source, "NoteRef", {"targetGUID": note.guid})
    return full.encode("utf-8")


def zip_bytes(entries: dict[str, bytes]) -> bytes:
    """A zip with the entries in name order and fixed timestamps: identical for identical input."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, entries[name])
    return buffer.getvalue()


def export_project(study: Study, lang: str = "nl") -> bytes:
    """The study as a REFI-QDA project (``.qdpx``: ``project.qde`` plus ``sources/``)."""
    project, files = build_project(study, lang)
    return zip_bytes({"project.qde": project, **files})
