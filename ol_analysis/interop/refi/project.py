"""Import a REFI-QDA project (``.qdpx``) as a study folder: ``framework.yaml`` + ``cases/``
(and ``study.yaml``, ``sources/`` when the project has them).

Two ways, decided per project (:func:`import_project`):

- **carried**: a project exported by ol-analysis holds the study's own files as notes
  (:mod:`ol_analysis.interop.refi.carrier`). They are used when its codebook is still the
  framework's; each case is compared with the project's codes, variable values and title, and
  what another tool changed is applied to it (:mod:`ol_analysis.interop.refi.merge`);
- **rebuilt**: otherwise the framework comes from the codebook
  (:mod:`ol_analysis.interop.refi.codebook`), variables become profile groups, each ``Case``
  (or, in a project without cases, each source) a case file, each coded selection an evidence
  quote in its document (read under the offset model that fits,
  :mod:`ol_analysis.interop.refi.offsets`).

Everything the study does not get is a ``refi-loss`` diagnostic at its element
(:mod:`ol_analysis.interop.refi.losses`); docs/refi.md has the whole mapping.
"""

from __future__ import annotations

import re
import zipfile
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from ol_analysis.analysis.codings import case_code_paths, code_paths, group_value
from ol_analysis.core.framework import Group
from ol_analysis.core.sources import Source
from ol_analysis.core.study import Case, Study
from ol_analysis.diagnostics import Diagnostic
from ol_analysis.errors import OlAnalysisError, StudyError, UsageError
from ol_analysis.interop.refi.carrier import (
    FRAMEWORK_FILE,
    MANIFEST_FILE,
    PREFIX,
    STUDY_FILE,
    Carried,
    CaseFacts,
    RefiFacts,
    case_file_name,
    expected_note_guids,
    find_carried,
    load_carried,
    what_the_rebuild_loses,
)
from ol_analysis.interop.refi.codebook import (
    MAX_XML_BYTES,
    RefiCode,
    Skeleton,
    _Ids,
    _label,
    _q,
    parse_codes,
    read_qdpx,
    skeleton_from_codes,
    slug,
)
from ol_analysis.interop.refi.documents import document_guid
from ol_analysis.interop.refi.export import CodeNode, codebook_tree, variable_groups, variable_text
from ol_analysis.interop.refi.losses import LossReport
from ol_analysis.interop.refi.memos import imported_memos, is_carried_memo
from ol_analysis.interop.refi.merge import CaseChanges, merge_case
from ol_analysis.interop.refi.offsets import (
    STANDARD,
    OffsetModel,
    choose_model,
    mismatches,
    plain_text,
)
from ol_analysis.interop.refi.text import guid
from ol_analysis.interop.yamlwrite import Flow, dump_yaml
from ol_analysis.safe_write import ensure_folder, write_bytes_atomic, write_text_atomic

VARIABLE_KINDS = {
    "Text": "text",
    "Boolean": "bool",
    "Integer": "integer",
    "Float": "number",
    "Date": "text",
    "DateTime": "text",
}
VALUE_TAGS = ("TextValue", "BooleanValue", "IntegerValue", "FloatValue", "DateValue")


@dataclass
class RefiCase:
    name: str
    title: str
    codes: set[str] = field(default_factory=set)  # code GUIDs on the case as a whole
    segments: list[set[str]] = field(default_factory=list)  # code GUIDs per coded segment
    texts: list[str | None] = field(default_factory=list)  # each segment's text, if known
    docs: list[str | None] = field(default_factory=list)  # each segment's source GUID
    values: dict[str, str] = field(default_factory=dict)  # variable GUID → value text
    element: Element | None = None
    source_guids: list[str] = field(default_factory=list)


@dataclass
class Project:
    name: str
    skeleton: Skeleton
    variables: dict[str, tuple[str, str]]  # GUID → (name, typeOfVariable)
    cases: list[RefiCase]
    root: Element | None = None
    lines: dict[Element, tuple[int, int]] = field(default_factory=dict)
    code_guids: set[str] = field(default_factory=set)  # every code of the codebook
    sources: dict[str, tuple[Element, dict[str, set[str]]]] = field(default_factory=dict)
    notes: list[tuple[Element, str, str]] = field(default_factory=list)  # element, name, text
    variable_elements: dict[str, Element] = field(default_factory=dict)
    cases_from_sources: bool = False
    selection_texts: dict[str, str] = field(default_factory=dict)  # selection GUID → its text
    offset_models: dict[str, OffsetModel] = field(default_factory=dict)  # source GUID → model
    unplaced: list[tuple[Element, str]] = field(default_factory=list)  # selection, why
    textless: list[Element] = field(default_factory=list)  # text sources without their text
    source_texts: dict[str, str] = field(default_factory=dict)  # source GUID → its text
    rich: dict[str, bytes] = field(default_factory=dict)  # source GUID → rich text file
    selection_starts: dict[str, int] = field(default_factory=dict)  # selection GUID → start


def _guid(element: Element, attribute: str = "targetGUID") -> str:
    return (element.get(attribute) or "").strip("{}").lower()


def _segments(root: Element, source: Element) -> dict[str, set[str]]:
    """Every element of a source that carries codings (itself or a selection) → code GUIDs."""
    found: dict[str, set[str]] = {}
    for element in source.iter():
        codings = element.findall(_q(root, "Coding"))
        guids = {_guid(ref) for coding in codings for ref in coding.findall(_q(root, "CodeRef"))}
        if guids:
            found[_guid(element, "guid")] = guids
    return found


def _values(root: Element, owner: Element) -> dict[str, str]:
    values = {}
    for value in owner.findall(_q(root, "VariableValue")):
        ref = value.find(_q(root, "VariableRef"))
        if ref is None:
            continue
        for tag in VALUE_TAGS:
            found = value.find(_q(root, tag))
            if found is not None:
                values[_guid(ref)] = found.text or ""
    return values


@dataclass
class Placed:
    """The text of every selection of the text sources, read with the offset model that fits."""

    texts: dict[str, str] = field(default_factory=dict)
    models: dict[str, OffsetModel] = field(default_factory=dict)
    unplaced: list[tuple[Element, str]] = field(default_factory=list)
    textless: list[Element] = field(default_factory=list)
    source_texts: dict[str, str] = field(default_factory=dict)  # source GUID → its text
    rich: dict[str, bytes] = field(default_factory=dict)  # source GUID → its rich text file
    starts: dict[str, int] = field(default_factory=dict)  # selection GUID → code-point start


def _internal(archive: zipfile.ZipFile | None, where: str) -> bytes | None:
    """An ``internal://`` file of the project's ``sources/`` folder (None when absent)."""
    if archive is None or not where.startswith("internal://"):
        return None
    wanted = f"sources/{where[len('internal://') :]}".lower()
    info = next((i for i in archive.infolist() if i.filename.lower() == wanted), None)
    if info is None or info.file_size > MAX_XML_BYTES:
        return None
    return archive.read(info)


def _source_text(archive: zipfile.ZipFile | None, root: Element, source: Element) -> str | None:
    """A text source's plain text: its PlainTextContent, or its ``internal://`` file."""
    inline = source.find(_q(root, "PlainTextContent"))
    if inline is not None:
        return plain_text((inline.text or "").encode("utf-8"))
    data = _internal(archive, source.get("plainTextPath") or "")
    return plain_text(data) if data is not None else None


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _place_selections(path: Path, root: Element, sources: list[Element]) -> Placed:
    placed = Placed()
    try:
        archive: zipfile.ZipFile | None = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        archive = None
    try:
        for source in sources:
            if source.tag != _q(root, "TextSource"):
                continue
            selections = source.findall(_q(root, "PlainTextSelection"))
            text = _source_text(archive, root, source)
            if text is None:
                if selections:
                    placed.textless.append(source)
                continue
            placed.source_texts[_guid(source, "guid")] = text
            rich = _internal(archive, source.get("richTextPath") or "")
            if rich is not None:
                placed.rich[_guid(source, "guid")] = rich
            wanted = []
            for selection in selections:
                start = _int(selection.get("startPosition"))
                end = _int(selection.get("endPosition"))
                known = selection.get("name") or None
                wanted.append((start if start is not None else -1, end or -1, known))
            model, spans = choose_model(text, wanted)
            placed.models[_guid(source, "guid")] = model
            bad = set(mismatches(spans, wanted))
            for index, (selection, span) in enumerate(zip(selections, spans, strict=True)):
                if index in bad:
                    start, end, known = wanted[index]
                    why = (
                        f"positions {start}–{end} do not fit the text under any offset model"
                        if span.text is None
                        else f"its stored text '{known}' is not at {start}–{end} under {model.name}"
                    )
                    placed.unplaced.append((selection, why))
                elif span.text is not None and span.start is not None:
                    placed.texts[_guid(selection, "guid")] = span.text
                    placed.starts[_guid(selection, "guid")] = span.start
    finally:
        if archive is not None:
            archive.close()
    return placed


def _code_guids(codes: list[RefiCode]) -> set[str]:
    return {c.guid for c in codes} | {g for c in codes for g in _code_guids(c.children)}


def parse_project(path: Path) -> Project:
    lines: dict[Element, tuple[int, int]] = {}
    root = read_qdpx(path, lines)
    codebook = root.find(_q(root, "CodeBook"))
    codes = codebook.find(_q(root, "Codes")) if codebook is not None else None
    refi_codes = parse_codes(root, codes) if codes is not None else []
    name = root.get("name") or path.stem
    skeleton = skeleton_from_codes(refi_codes, slug(path.stem, "imported"), name)
    variables = {
        _guid(v, "guid"): (v.get("name") or "variable", v.get("typeOfVariable") or "Text")
        for v in root.iterfind(f"{_q(root, 'Variables')}/{_q(root, 'Variable')}")
    }
    sources: dict[str, tuple[Element, dict[str, set[str]]]] = {}
    sources_element = root.find(_q(root, "Sources"))
    for source in list(sources_element) if sources_element is not None else []:
        sources[_guid(source, "guid")] = (source, _segments(root, source))
    placed = _place_selections(path, root, [s for s, _segs in sources.values()])
    selections = {key: codes for _s, segs in sources.values() for key, codes in segs.items()}
    owners = {key: g for g, (_s, segs) in sources.items() for key in segs}
    cases = []
    for element in root.iterfind(f"{_q(root, 'Cases')}/{_q(root, 'Case')}"):
        case = RefiCase(
            element.get("name") or _guid(element, "guid"),
            element.findtext(_q(root, "Description")) or element.get("name") or "",
        )
        case.codes = {_guid(ref) for ref in element.findall(_q(root, "CodeRef"))}
        case.values = _values(root, element)
        case.element = element
        for ref in element.findall(_q(root, "SourceRef")):
            case.source_guids.append(_guid(ref))
            for key, coded in sources.get(_guid(ref), (None, {}))[1].items():
                case.segments.append(coded)
                case.texts.append(placed.texts.get(key))
                case.docs.append(_guid(ref))
        for ref in element.findall(_q(root, "SelectionRef")):
            case.segments.append(selections.get(_guid(ref), set()))
            case.texts.append(placed.texts.get(_guid(ref)))
            case.docs.append(owners.get(_guid(ref)))
        cases.append(case)
    from_sources = not cases
    if from_sources:  # a project without cases: each source is one
        for source, segments in sources.values():
            name = source.get("name") or _guid(source, "guid")
            case = RefiCase(name, name, set(), list(segments.values()))
            case.values = _values(root, source)
            case.texts = [placed.texts.get(key) for key in segments]
            case.docs = [_guid(source, "guid")] * len(segments)
            case.element, case.source_guids = source, [_guid(source, "guid")]
            cases.append(case)
    notes = [
        (note, note.get("name") or "", note.findtext(_q(root, "PlainTextContent")) or "")
        for note in root.iterfind(f"{_q(root, 'Notes')}/{_q(root, 'Note')}")
    ]
    project = Project(name, skeleton, variables, cases, root, lines, _code_guids(refi_codes))
    project.sources, project.notes, project.cases_from_sources = sources, notes, from_sources
    project.selection_texts, project.offset_models = placed.texts, placed.models
    project.unplaced, project.textless = placed.unplaced, placed.textless
    project.source_texts, project.rich = placed.source_texts, placed.rich
    project.selection_starts = placed.starts
    project.variable_elements = {
        _guid(v, "guid"): v
        for v in root.iterfind(f"{_q(root, 'Variables')}/{_q(root, 'Variable')}")
    }
    return project


def _owner(skeleton: Skeleton, path: str) -> tuple[str, str | None]:
    """The group path and record field id (or None) a code path belongs to."""
    parts = path.split(".")
    group = ".".join(parts[:2])
    kind = skeleton.kinds.get(group)
    if kind == "records" and len(parts) >= 3:
        return group, parts[2]
    return group, None


def _field_type(skeleton: Skeleton, group_path: str, field_id: str) -> str:
    part_id, group_id = group_path.split(".")
    part = skeleton.part(part_id) or {"groups": []}
    group = next(g for g in part["groups"] if g["id"] == group_id)
    return str(next(f["type"] for f in group["fields"] if f["id"] == field_id))


def _records(
    skeleton: Skeleton,
    paths: list[str],
    case: RefiCase,
    doc_ids: dict[str, str],
    dropped: list[str],
) -> dict[str, list[Any]]:
    """Records per group: one per coded segment (equal ones merged), leftovers in one more."""
    records: dict[str, list[dict[str, Any]]] = defaultdict(list)
    covered: set[str] = set()

    def record_of(codes: list[str]) -> dict[str, dict[str, Any]]:
        found: dict[str, dict[str, Any]] = defaultdict(dict)
        for path in codes:
            group, field_id = _owner(skeleton, path)
            if field_id is None or skeleton.kinds.get(group) != "records":
                continue
            kind = _field_type(skeleton, group, field_id)
            code = path.split(".")[3] if len(path.split(".")) > 3 else ""
            if kind == "bool":
                found[group][field_id] = True
            elif kind == "code":
                held = found[group].setdefault(field_id, code)
                if held != code:
                    dropped.append(f"{path} (the record's {field_id} is already {held})")
            else:
                found[group].setdefault(field_id, []).append(code)
        return found

    for segment, text, doc in zip(case.segments, case.texts, case.docs, strict=True):
        codes = [skeleton.paths[g] for g in segment if g in skeleton.paths]
        for group, record in record_of(sorted(set(codes), key=paths.index)).items():
            same = next((r for r in records[group] if _bare(r) == record), None)
            if same is None:
                same = record
                records[group].append(record)
            if text and text.strip():
                _add_evidence(same, text, doc_ids.get(doc or ""))
            covered.update(c for c in codes if c.startswith(group + "."))
    left = [skeleton.paths[g] for g in case.codes if g in skeleton.paths]
    left = sorted({p for p in left if p not in covered}, key=paths.index)
    for group, record in record_of(left).items():
        records[group].append(record)
    return dict(records)


def _bare(record: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if k != "evidence"}


def _add_evidence(owner: dict[str, Any], text: str, doc: str | None = None) -> None:
    """A selection's text as an evidence quote, with its document when the study gets it
    (source and speaker are unknown to REFI-QDA)."""
    quote = " ".join(_HYPHENATED.sub(r"\1\2", text).split())
    evidence = owner.setdefault("evidence", [])
    if all((item["quote"], item.get("doc")) != (quote, doc) for item in evidence):
        item = Flow({"quote": quote, "source": "document", "speaker": "unknown"})
        if doc is not None:
            item["doc"] = doc
        evidence.append(item)


_HYPHENATED = re.compile(r"(\w)-[ \t]*\n\s*(\w)")  # a word hyphenated at a line end
Quotes = dict[str, list[tuple[str, str | None]]]  # code path → (selection text, doc id)


def _with_evidence(kind: str, value: Any, group: str, quotes: Quotes) -> Any:
    """A coded value in its expanded form when selections quote it."""

    def expand(key: str, plain: Any, field: str) -> Any:
        if not quotes.get(key):
            return plain
        owner: dict[str, Any] = {field: plain}
        for text, doc in quotes[key]:
            _add_evidence(owner, text, doc)
        return owner

    if kind == "bool" and value is True:
        return expand(group, True, "value")
    if kind == "single" and isinstance(value, str):
        return expand(f"{group}.{value}", value, "code")
    if kind == "multi" and isinstance(value, list):
        return [expand(f"{group}.{code}", code, "code") for code in value]
    return value


def _all_paths(skeleton: Skeleton) -> list[str]:
    return sorted(set(skeleton.paths.values()), key=list(skeleton.paths.values()).index)


def _variable_group(skeleton: Skeleton, name: str, kind: str) -> str:
    """The group path a variable lands in, created (in ``profile``) when the codebook lacks it."""
    part_id, _, group_id = name.rpartition(".")
    part_id, group_id = part_id or "profile", slug(group_id, "variable")
    path = f"{part_id}.{group_id}"
    if path in skeleton.kinds:
        return path
    part = skeleton.part(part_id)
    if part is None:
        label = Flow({"nl": "Kenmerken", "en": "Profile"}) if part_id == "profile" else None
        part = {"id": part_id, "label": label or _label(part_id), "groups": []}
        skeleton.data["parts"].insert(
            0 if part_id == "profile" else len(skeleton.data["parts"]), part
        )
    part["groups"].append({"id": group_id, "kind": kind, "label": _label(name)})
    skeleton.kinds[path] = kind
    return path


def _convert(kind: str, text: str) -> Any:
    text = text.strip()
    if kind == "bool":
        return text.lower() in ("true", "1")
    if kind == "integer":
        return int(text)
    if kind == "number":
        number = float(text)
        return int(number) if number.is_integer() else number
    return text


def document_ids(project: Project) -> dict[str, str]:
    """Source GUID → document id, for the text sources a rebuilt study keeps as documents:
    those with their text whose selections or codings some case holds."""
    used = {doc for case in project.cases for doc in case.docs if doc}
    ids = _Ids()
    found = {}
    for source_guid, (element, _coded) in project.sources.items():
        if source_guid in used and source_guid in project.source_texts:
            found[source_guid] = ids.unique(slug(element.get("name") or "", "document"))
    return found


def documents_manifest(project: Project, case_ids: dict[str, str]) -> dict[str, Any]:
    """``sources/sources.yaml`` of a rebuilt study: each document with the cases quoting it.

    ``case_ids``: the REFI case name → the case id the study gives it."""
    doc_ids = document_ids(project)
    cases: dict[str, list[str]] = defaultdict(list)
    for case in project.cases:
        for doc in case.docs:
            case_id = case_ids.get(case.name)
            if doc in doc_ids and case_id and case_id not in cases[doc]:
                cases[doc].append(case_id)
    return {
        "documents": [
            {"id": doc_id, "file": f"{doc_id}.txt", "cases": cases[g]}
            for g, doc_id in doc_ids.items()
        ]
    }


def build_study(
    project: Project, losses: LossReport | None = None
) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """The framework and the cases (by id) as plain data; what is dropped goes to ``losses``."""
    losses = losses if losses is not None else LossReport("", {})
    skeleton = project.skeleton
    paths = _all_paths(skeleton)
    cases: dict[str, dict[str, Any]] = {}
    ids = _Ids()
    values: dict[str, dict[str, Any]] = {}
    coded_variables: dict[str, list[str]] = {}
    quotes: dict[str, Quotes] = {}
    doc_ids = document_ids(project)
    for refi_case in project.cases:
        case_id = ids.unique(_case_id(refi_case.name))
        data: dict[str, dict[str, Any]] = defaultdict(dict)
        held = [skeleton.paths[g] for g in refi_case.codes if g in skeleton.paths]
        dropped: list[str] = []
        case_quotes: Quotes = defaultdict(list)
        segments = zip(refi_case.segments, refi_case.texts, refi_case.docs, strict=True)
        for segment, text, doc in segments:
            held += [skeleton.paths[g] for g in segment if g in skeleton.paths]
            for g in segment:
                if g in skeleton.paths and text and text.strip():
                    case_quotes[skeleton.paths[g]].append((text, doc_ids.get(doc or "")))
        quotes[case_id] = case_quotes
        for path in sorted(set(held), key=paths.index):
            group, _field = _owner(skeleton, path)
            part_id, group_id = group.split(".")
            kind = skeleton.kinds.get(group)
            if kind == "bool":
                data[part_id][group_id] = True
            elif kind == "multi":
                data[part_id].setdefault(group_id, []).append(path.split(".")[2])
            elif kind == "single":
                held_code = data[part_id].setdefault(group_id, path.split(".")[2])
                if held_code != path.split(".")[2]:
                    dropped.append(f"{path} (the single group already holds {held_code})")
        for group, records in _records(skeleton, paths, refi_case, doc_ids, dropped).items():
            part_id, group_id = group.split(".")
            data[part_id][group_id] = records
        for variable_guid, text in refi_case.values.items():
            if variable_guid not in project.variables:
                losses.add(
                    refi_case.element,
                    f"case '{refi_case.name}': a value ('{text}') of a variable the project "
                    "does not declare",
                )
                continue
            name, type_name = project.variables[variable_guid]
            kind = VARIABLE_KINDS.get(type_name, "text")
            group = _variable_group(skeleton, name, kind)
            part_id, group_id = group.split(".")
            if skeleton.kinds[group] == "multi":
                codes = [c.strip() for c in text.split(";") if c.strip()]
                known = [c for c in codes if f"{group}.{c}" in paths]
                if len(known) < len(codes):
                    unknown = ", ".join(c for c in codes if c not in known)
                    losses.add(
                        refi_case.element,
                        f"case '{refi_case.name}': variable '{name}' names code(s) the "
                        f"codebook lacks: {unknown}",
                    )
                merged = data[part_id].get(group_id, []) + known
                data[part_id][group_id] = sorted(set(merged), key=merged.index)
                coded_variables.setdefault(group, []).append(case_id)
            elif skeleton.kinds[group] == "records":
                losses.add(
                    refi_case.element,
                    f"case '{refi_case.name}': variable '{name}' is a group of records here; "
                    f"its value '{text}' has no place",
                )
            else:
                try:
                    data[part_id][group_id] = _convert(skeleton.kinds[group], text)
                except ValueError:
                    raise UsageError(
                        f"case '{refi_case.name}': variable '{name}' has the value '{text}', "
                        f"not a {type_name}"
                    ) from None
        for what in dropped:
            losses.add(refi_case.element, f"case '{refi_case.name}': the code {what} is dropped")
        values[case_id] = data
        cases[case_id] = {"id": case_id, "title": refi_case.title or case_id}
    _singles(skeleton, values, coded_variables)
    for case_id, data in values.items():
        for part in skeleton.data["parts"]:
            if data.get(part["id"]):
                order = [g["id"] for g in part["groups"]]
                part_data = data[part["id"]]
                cases[case_id][part["id"]] = {
                    g: _with_evidence(
                        skeleton.kinds[f"{part['id']}.{g}"],
                        part_data[g],
                        f"{part['id']}.{g}",
                        quotes.get(case_id, {}),
                    )
                    for g in order
                    if g in part_data
                }
    return skeleton.data, cases


def _singles(
    skeleton: Skeleton, values: dict[str, dict[str, Any]], coded: dict[str, list[str]]
) -> None:
    """A coded variable that no case holds more than one code of is a single group."""
    for group in coded:
        part_id, group_id = group.split(".")
        held = [data.get(part_id, {}).get(group_id) for data in values.values()]
        if all(v is None or len(v) == 1 for v in held):
            skeleton.kinds[group] = "single"
            part = skeleton.part(part_id) or {"groups": []}
            for g in part["groups"]:
                if g["id"] == group_id:
                    g["kind"] = "single"
            for data in values.values():
                if data.get(part_id, {}).get(group_id):
                    data[part_id][group_id] = data[part_id][group_id][0]


def _case_id(name: str) -> str:
    text = slug(name, "case").replace("_", "-") if not _is_case_id(name) else name
    return text


def _is_case_id(name: str) -> bool:
    import re

    return re.fullmatch(r"[a-z0-9][a-z0-9_-]*", name) is not None


@dataclass
class ImportResult:
    """What :func:`import_project` wrote, how, and what it could not bring back."""

    written: list[Path]
    carried: bool  # True: the study's own files, checked against the REFI-QDA elements
    losses: list[Diagnostic]
    notices: list[str] = field(default_factory=list)  # offset models other than the standard


def _facts(project: Project) -> RefiFacts:
    cases = {}
    for case in project.cases:
        codes = set(case.codes) | {g for segment in case.segments for g in segment}
        cases[case.name] = CaseFacts(case.title, codes, dict(case.values))
    return RefiFacts(project.code_guids, cases)


def _extras(project: Project, study: Study, losses: LossReport) -> None:
    """Losses of a carried import: what the project holds beyond what an export writes."""
    assert project.root is not None
    root = project.root
    notes = expected_note_guids(study, study.framework)
    for element, name, _text in project.notes:
        if _guid(element, "guid") not in notes and not _ours(element, name, _text):
            losses.add(
                element,
                f"note '{name}' is not brought back (not a memo of an ol-analysis export)",
            )
    known_sources = {guid(f"source:{case_id}") for case_id in study.cases}
    manifest = next((t for _e, n, t in project.notes if n == PREFIX + MANIFEST_FILE), None)
    known_sources |= {document_guid(d) for d in _manifest_files(manifest or "")}
    for source_guid, (element, _segments) in project.sources.items():
        if source_guid not in known_sources:
            kind = element.tag.rpartition("}")[2]
            losses.add(
                element,
                f"{kind} '{element.get('name', '')}' and its codings are not "
                "brought back (not a case text of this study)",
            )
    known_variables = {guid(f"variable:{g.path}") for g in variable_groups(study.framework)}
    for variable_guid, element in project.variable_elements.items():
        if variable_guid not in known_variables:
            losses.add(
                element,
                f"variable '{element.get('name', '')}' and its values are not brought back "
                "(framework.yaml has no group for it)",
            )
    _containers(root, losses)


def _ours(element: Element, name: str, text: str) -> bool:
    """A note an export of ol-analysis writes for a file: a carrier, or a memo."""
    return name.startswith(PREFIX) or is_carried_memo(element, text)


def _containers(root: Element, losses: LossReport) -> None:
    for name, what in (("Sets", "sets"), ("Graphs", "graphs"), ("Links", "links")):
        element = root.find(_q(root, name))
        if element is not None and len(element):
            losses.add(element, f"{len(element)} {what} not brought back (the study has none)")


def _rebuild_losses(project: Project, losses: LossReport) -> None:
    """Losses of a study rebuilt from the elements alone (a foreign project, or a changed one)."""
    assert project.root is not None
    root = project.root
    for element, name, _text in project.notes:
        if not _ours(element, name, _text):
            losses.add(
                element,
                f"note '{name}' is not brought back (not a memo of an ol-analysis export)",
            )
    used = {g for case in project.cases for g in [*case.source_guids, *case.docs] if g}
    for source_guid, (element, _coded) in project.sources.items():
        kind, name = element.tag.rpartition("}")[2], element.get("name", "")
        if source_guid not in used:
            what = "its codings are not brought back" if _coded else "it is not brought back"
            losses.add(element, f"{kind} '{name}' belongs to no case: {what}")
            continue
        text = project.source_texts.get(source_guid)
        for selection in element.findall(_q(root, "PlainTextSelection")):
            key = _guid(selection, "guid")
            passage, start = project.selection_texts.get(key), project.selection_starts.get(key)
            if text is None or passage is None or start is None:
                continue
            first = text.find(passage)
            if first != start:
                where = Source("", Path(), "", text=text)
                losses.add(
                    selection,
                    f"{kind} '{name}': the passage at line {where.position(start)[0]} also "
                    f"occurs at line {where.position(first)[0]}; its quote is located at the "
                    "first place",
                )
        if kind != "TextSource":
            losses.add(element, f"{kind} '{name}': the source itself is not brought back")
    for element in project.textless:
        losses.add(
            element,
            f"TextSource '{element.get('name', '')}': its text is not in the project, so its "
            "selections' text is not brought back (their codes are)",
        )
    for element, why in project.unplaced:
        losses.add(element, f"a selection's text is not brought back: {why}")
    _containers(root, losses)


def _codebook_reason(study: Study, facts: RefiFacts) -> str | None:
    """Why the project's codebook is not the carried framework's (None: it is)."""
    expected = {guid(node.path) for node in _walk(codebook_tree(study.framework))}
    if expected == facts.code_guids:
        return None
    added, removed = len(facts.code_guids - expected), len(expected - facts.code_guids)
    return f"the codebook differs from framework.yaml ({added} code(s) added, {removed} removed)"


def _walk(nodes: list[CodeNode]) -> Iterator[CodeNode]:
    for node in nodes:
        yield node
        yield from _walk(node.children)


def _case_changes(study: Study, case: Case, refi: CaseFacts) -> CaseChanges:
    """What the project says differently from a carried case."""
    framework = study.framework
    order = code_paths(framework)
    by_guid = {guid(path): path for path in order}
    held = set(case_code_paths(framework, case))
    said = {by_guid[g] for g in refi.codes if g in by_guid}
    changes = CaseChanges(
        removed=[p for p in order if p in held - said],
        added=[p for p in order if p in said - held],
    )
    for group in variable_groups(framework):
        key = guid(f"variable:{group.path}")
        value = group_value(case, group)
        mine = variable_text(group, value)[1] if value is not None else None
        theirs = refi.values.get(key)
        if theirs is not None and theirs != mine:
            changes.values[group.path] = theirs
        elif theirs is None and mine is not None:
            changes.cleared.append(group.path)
    if " ".join(refi.title.split()) != " ".join(case.title.split()):
        changes.title = refi.title
    return changes


def _convert_value(group: Group, text: str) -> Any:
    """A variable's text as the value of its group (ValueError when it is not one)."""
    if group.kind == "multi":
        return [code.strip() for code in text.split(";") if code.strip()]
    if group.kind == "single":
        return text.strip()
    return _convert(group.kind, text)


def _described(changes: CaseChanges) -> str:
    said = []
    if changes.removed:
        said.append(f"{len(changes.removed)} code(s) removed")
    if changes.added:
        said.append(f"{len(changes.added)} code(s) added")
    if changes.values or changes.cleared:
        said.append(f"{len(changes.values) + len(changes.cleared)} variable value(s) changed")
    if changes.title is not None:
        said.append("the title changed")
    return ", ".join(said)


def _rebuild_instead(
    carried: Carried, study: Study | None, losses: LossReport, reason: str
) -> None:
    losses.add(
        carried.element(FRAMEWORK_FILE),
        f"the ol-analysis carrier notes were not used: {reason}",
        "the study is rebuilt from the REFI-QDA elements; group kinds, roles, second-language "
        "labels and the losses below follow from that",
    )
    for case_id, lost in (what_the_rebuild_loses(study) if study else {}).items():
        losses.add(
            carried.element(case_file_name(case_id)),
            f"case {case_id}: rebuilt without its {', '.join(lost)}",
        )


def _problem(error: OlAnalysisError) -> str:
    if isinstance(error, StudyError) and error.diagnostics:
        first = error.diagnostics[0]
        where = Path(first.path)
        shown = f"cases/{where.name}" if where.parent.name == "cases" else where.name
        return f"{shown}:{first.line}: {first.message}"
    return str(error)


def _manifest_files(manifest: str) -> dict[str, str]:
    """Document id → file name, from a carried ``sources/sources.yaml``."""
    try:
        data = YAML(typ="safe").load(manifest)
    except YAMLError:
        return {}
    entries = data.get("documents") if isinstance(data, dict) else None
    found = {}
    for entry in entries if isinstance(entries, list) else []:
        if isinstance(entry, dict) and isinstance(entry.get("id"), str):
            name = Path(str(entry.get("file") or "")).name
            if name and name not in (".", ".."):
                found[entry["id"]] = name
    return found


def _carried_documents(project: Project, manifest: str | None) -> dict[str, str | bytes]:
    """The study's documents as the carried manifest names them, from the project's sources."""
    if manifest is None:
        return {}
    files: dict[str, str | bytes] = {MANIFEST_FILE: manifest}
    for doc_id, name in _manifest_files(manifest).items():
        source_guid = document_guid(doc_id)
        if name.lower().endswith(".docx") and source_guid in project.rich:
            files[f"sources/{name}"] = project.rich[source_guid]
        elif source_guid in project.source_texts and not name.lower().endswith(".docx"):
            files[f"sources/{name}"] = project.source_texts[source_guid]
    return files


def _carried_study(
    project: Project, losses: LossReport, notices: list[str]
) -> tuple[dict[str, str | bytes], Study | None]:
    """The study's own files, with what another tool changed applied; ``({}, None)`` when the
    study must be rebuilt from the elements (the reasons go to ``losses``)."""
    carried = find_carried(project.notes)
    if carried.framework is None:
        return {}, None
    texts: dict[str, str] = {name: text for name, (text, _element) in carried.files.items()}
    try:
        study = load_carried(texts)
    except OlAnalysisError as error:
        _rebuild_instead(
            carried, None, losses, f"they do not make a valid study ({_problem(error)})"
        )
        return {}, None
    facts = _facts(project)
    reason = _codebook_reason(study, facts)
    if reason:
        _rebuild_instead(carried, study, losses, reason)
        return {}, None
    files: dict[str, str | bytes] = {
        name: texts[name] for name in (FRAMEWORK_FILE, STUDY_FILE) if name in texts
    }
    files.update(_carried_documents(project, texts.get(MANIFEST_FILE)))
    for case_id, case in study.cases.items():
        name = case_file_name(case_id)
        refi = facts.cases.get(case_id)
        if refi is None:
            notices.append(f"case {case_id} is not in the project (deleted there): not written")
            continue
        changes = _case_changes(study, case, refi)
        if not _described(changes):
            files[name] = texts[name]
            continue
        merged, lost = merge_case(study.framework, texts[name], changes, _convert_value)
        files[name] = merged
        notices.append(f"case {case_id}: {_described(changes)} in the project, applied")
        for what in lost:
            losses.add(carried.element(name), f"case {case_id}: not brought back: {what}")
    for refi_case in project.cases:
        if refi_case.name not in study.cases:
            losses.add(
                refi_case.element,
                f"case '{refi_case.name}' has no carried case file (added in another tool): "
                "not brought back",
            )
    try:
        merged_study = load_carried({k: v for k, v in files.items() if isinstance(v, str)})
    except OlAnalysisError as error:
        losses.losses.clear()
        _rebuild_instead(
            carried,
            study,
            losses,
            f"with the project's changes applied they do not validate ({_problem(error)})",
        )
        return {}, None
    return files, merged_study


def _rebuilt_documents(project: Project, case_ids: dict[str, str]) -> dict[str, str | bytes]:
    manifest = documents_manifest(project, case_ids)
    if not manifest["documents"]:
        return {}
    files: dict[str, str | bytes] = {
        MANIFEST_FILE: "# Documents imported from a REFI-QDA project by ol-analysis.\n"
        + dump_yaml(manifest)
    }
    for source_guid, doc_id in document_ids(project).items():
        files[f"sources/{doc_id}.txt"] = project.source_texts[source_guid]
    return files


def import_project(
    path: Path, out: Path, *, force: bool = False, accept_losses: bool = False
) -> ImportResult:
    """Write ``out/framework.yaml`` and ``out/cases/<id>.yaml`` (and ``study.yaml``).

    A project exported by ol-analysis gives back its own files when the REFI-QDA elements agree
    with them (:mod:`ol_analysis.interop.refi.carrier`); any other project is rebuilt from its
    elements. What cannot be brought back is listed as ``refi-loss`` diagnostics: without
    ``accept_losses`` they raise :class:`StudyError` and nothing is written.
    """
    project = parse_project(path)
    losses = LossReport(str(path), project.lines, accepted=accept_losses)
    notices: list[str] = []
    files, study = _carried_study(project, losses, notices)
    if study is not None:
        _extras(project, study, losses)
    else:
        framework, cases = build_study(project, losses)
        _rebuild_losses(project, losses)
        header = f"# Imported from {path.name} by ol-analysis; review every TODO.\n"
        files[FRAMEWORK_FILE] = header + dump_yaml(framework)
        schema = "# yaml-language-server: $schema=../build/schema.json\n"
        for case_id, data in cases.items():
            files[case_file_name(case_id)] = schema + dump_yaml(data)
        files.update(
            _rebuilt_documents(
                project, dict(zip([c.name for c in project.cases], cases, strict=True))
            )
        )
    files.update(imported_memos(project.notes))
    if losses and not accept_losses:
        raise StudyError(losses.sorted())
    target = out / FRAMEWORK_FILE
    cases_dir = out / "cases"
    if not force and (target.exists() or (cases_dir.is_dir() and any(cases_dir.iterdir()))):
        raise UsageError(f"{out} already holds a study (use --force to overwrite)")
    ensure_folder(cases_dir)
    written = []
    for name, content in files.items():
        ensure_folder((out / name).parent)
        if isinstance(content, bytes):
            write_bytes_atomic(out / name, content)
        else:
            write_text_atomic(out / name, content)
        written.append(out / name)
    notices += [
        f"{project.sources[g][0].get('name', g)}: positions read as {model.name}"
        for g, model in project.offset_models.items()
        if model != STANDARD and g in project.sources
    ]
    return ImportResult(written, study is not None, losses.sorted(), notices)
