"""Import from REFI-QDA: a codebook (``.qdc``) or a project (``.qdpx``) as a study skeleton.

The code tree becomes parts, groups and codes as far as its depth allows (see
:func:`_top_level`): a top-level code with grandchildren is a part; below a part, a code whose
children are all leaves is a multi group, a leaf is a bool group, and a code with grandchildren
is a records group whose children are code fields (deeper codes flattened into them). Top-level
codes without grandchildren become groups of a part ``codes``. Ids come from the ``[id: …]``
trailer our own exports end each description with, else from the name; the trailer's hints
(``kind: single``, ``type: code`` of a record field, ``status: FIELD counts A,B``) restore what
the tree's shape cannot say. Labels take the name in both languages, marked TODO.

A project also gives cases: the codes on each case (``CodeRef``) and on the segments of its
sources, and its variable values, which become profile groups (a Text variable whose name is a
coded profile group gives that group's codes). Segments coded with codes of one records group
make one record each, a coded selection's text an evidence quote. What REFI-QDA cannot carry
back is not invented: inference notes, provenance, record text fields and English labels stay
behind (a project of our own carries them in notes: :mod:`ol_analysis.interop.refi.carrier`).

Input is untrusted: XML is parsed with ``defusedxml`` (no DTDs, no entity expansion), sizes are
capped, and every problem is a :class:`UsageError` with a plain message, never a traceback.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element, ParseError, TreeBuilder

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser, fromstring

from ol_analysis.errors import UsageError
from ol_analysis.interop.refi.export import CODEBOOK_NS, PROJECT_NS
from ol_analysis.interop.yamlwrite import Flow, Note, dump_yaml

MAX_XML_BYTES = 64 * 1024 * 1024
RESERVED_PART_IDS = ("id", "title", "summary", "analysis")
RESERVED_FIELD_IDS = ("evidence", "inferred", "basis", "code", "value")
_TRAILER = re.compile(r"\s*\[id: ([a-z0-9][a-z0-9_]*)((?:; [a-z]+: [^;\]]*)*)\]\s*$")
_EXAMPLES = re.compile(r"(?:^|\n\n)Examples:\n((?:- .*(?:\n|$))+)\s*$")
TODO = "TODO: check nl/en (both copied from the REFI-QDA name)"


class _LineBuilder(TreeBuilder):
    """Notes the line and column each element starts at (for the loss report)."""

    def __init__(self, lines: dict[Element, tuple[int, int]]) -> None:
        super().__init__()
        self.lines = lines
        self.parser: DefusedXMLParser | None = None

    def start(self, tag: str, attrs: dict[str, str]) -> Element:
        element = super().start(tag, attrs)
        if self.parser is not None:
            expat = self.parser.parser
            self.lines[element] = (expat.CurrentLineNumber, expat.CurrentColumnNumber + 1)
        return element


def parse_xml(
    data: bytes, what: str, lines: dict[Element, tuple[int, int]] | None = None
) -> Element:
    """Parse untrusted XML: no DTD, no entities, bounded size; ``lines`` gets each element's
    line and column when given."""
    if len(data) > MAX_XML_BYTES:
        raise UsageError(f"{what}: larger than {MAX_XML_BYTES // (1024 * 1024)} MiB")
    try:
        if lines is None:
            root: Element = fromstring(data, forbid_dtd=True)
        else:
            builder = _LineBuilder(lines)
            parser = DefusedXMLParser(target=builder, forbid_dtd=True)
            builder.parser = parser
            parser.feed(data)
            root = parser.close()
    except DefusedXmlException as error:
        raise UsageError(f"{what}: refused XML with a DTD or entities ({error})") from None
    except (ParseError, ValueError) as error:
        raise UsageError(f"{what}: not well-formed XML ({error})") from None
    return root


def _check_file(path: Path) -> None:
    if path.is_dir():
        raise UsageError(f"{path}: is a folder, not a file")
    if not path.exists():
        raise UsageError(f"{path}: no such file")


def read_qdpx(path: Path, lines: dict[Element, tuple[int, int]] | None = None) -> Element:
    """The ``project.qde`` root of a ``.qdpx`` file (``lines``: see :func:`parse_xml`)."""
    _check_file(path)
    if not zipfile.is_zipfile(path):
        raise UsageError(f"{path}: not a REFI-QDA project (.qdpx is a zip file)")
    try:
        with zipfile.ZipFile(path) as archive:
            names = {info.filename.lower(): info for info in archive.infolist()}
            info = names.get("project.qde")
            if info is None:
                raise UsageError(f"{path}: no project.qde in the archive")
            if info.file_size > MAX_XML_BYTES:
                raise UsageError(f"{path}: project.qde is larger than 64 MiB")
            data = archive.read(info)
    except (zipfile.BadZipFile, OSError, RuntimeError) as error:
        raise UsageError(f"{path}: unreadable zip file ({error})") from None
    root = parse_xml(data, f"{path}: project.qde", lines)
    return _expect_root(root, PROJECT_NS, "Project", path)


def read_qdc(path: Path) -> Element:
    _check_file(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise UsageError(f"{path}: cannot read the file ({error.strerror or error})") from None
    root = parse_xml(data, str(path))
    return _expect_root(root, CODEBOOK_NS, "CodeBook", path)


def _expect_root(root: Element, namespace: str, name: str, path: Path) -> Element:
    if root.tag != f"{{{namespace}}}{name}":
        found_ns, _, found = root.tag.rpartition("}")
        where = f"namespace {found_ns.lstrip('{')}" if found_ns else "no namespace"
        raise UsageError(
            f"{path}: the root element is {found} in {where}, expected {name} in namespace "
            f"{namespace}"
        )
    return root


def _q(root: Element, name: str) -> str:
    """A tag in the document's own namespace."""
    return f"{root.tag.partition('}')[0]}}}{name}"


# ── codebook ─────────────────────────────────────────────────────────────────────────────────


@dataclass
class RefiCode:
    guid: str
    name: str
    description: str
    codable: bool
    children: list[RefiCode] = field(default_factory=list)
    trailer_id: str | None = None
    examples: list[str] = field(default_factory=list)
    hints: dict[str, str] = field(default_factory=dict)  # kind, type, status from the trailer


def parse_codes(root: Element, codes: Element) -> list[RefiCode]:
    found = []
    for element in codes.findall(_q(root, "Code")):
        guid, name = element.get("guid"), element.get("name")
        if not guid or name is None:
            raise UsageError("a Code element has no guid or name (not valid QDA-XML)")
        description = element.findtext(_q(root, "Description")) or ""
        code = RefiCode(guid.strip("{}").lower(), name, "", element.get("isCodable") == "true")
        match = _TRAILER.search(description)
        if match:
            code.trailer_id = match.group(1)
            for hint in match.group(2).split("; ")[1:]:
                key, _, value = hint.partition(": ")
                code.hints[key] = value.strip()
            description = description[: match.start()]
        examples = _EXAMPLES.search(description)
        if examples:
            code.examples = [line[2:] for line in examples.group(1).splitlines() if line]
            description = description[: examples.start()]
        code.description = description.strip()
        code.children = parse_codes(root, element)
        found.append(code)
    return found


def slug(text: str, fallback: str = "code") -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    result = re.sub(r"[^a-z0-9]+", "_", ascii_text.lower()).strip("_")
    return result or fallback


class _Ids:
    """Unique ids among siblings, from the trailer when there is one, else from the name."""

    def __init__(self, reserved: tuple[str, ...] = ()) -> None:
        self.used: set[str] = set()
        self.reserved = reserved

    def take(self, code: RefiCode, suffix: str = "") -> str:
        return self.unique(code.trailer_id or slug(code.name), suffix)

    def unique(self, base: str, suffix: str = "") -> str:
        if base in self.reserved:
            base = f"{base}_{suffix or 'x'}"
        candidate, number = base, 2
        while candidate in self.used:
            candidate, number = f"{base}_{number}", number + 1
        self.used.add(candidate)
        return candidate


@dataclass
class Skeleton:
    """A framework as plain data, and where each REFI code GUID landed (a dotted path)."""

    data: dict[str, Any]
    paths: dict[str, str] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)  # group path → kind

    def part(self, part_id: str) -> dict[str, Any] | None:
        return next((p for p in self.data["parts"] if p["id"] == part_id), None)


def _label(name: str) -> Any:
    return Note(Flow({"nl": name or "?", "en": name or "?"}), TODO)


def _code(code: RefiCode, code_id: str) -> dict[str, Any]:
    data: dict[str, Any] = {"id": code_id, "label": _label(code.name)}
    if code.description:
        data["description"] = code.description
    if code.examples:
        data["examples"] = code.examples
    return data


def _flatten(code: RefiCode, prefix: str = "") -> list[tuple[RefiCode, str]]:
    """A code and its descendants as (code, id suffix) pairs, deeper ids joined by '_'."""
    own = slug(prefix + (code.trailer_id or slug(code.name)))
    found = [(code, own)] if code.codable or not code.children else []
    for child in code.children:
        found += _flatten(child, own + "_")
    return found


def _codes_of(skeleton: Skeleton, owner_path: str, codes: list[tuple[RefiCode, str]]) -> list[Any]:
    ids = _Ids()
    result = []
    for code, wanted in codes:
        code_id = ids.unique(wanted)
        skeleton.paths[code.guid] = f"{owner_path}.{code_id}"
        result.append(_code(code, code_id))
    return result


def _group(skeleton: Skeleton, part_id: str, node: RefiCode, group_id: str) -> dict[str, Any]:
    path = f"{part_id}.{group_id}"
    data: dict[str, Any] = {"id": group_id, "kind": "multi", "label": _label(node.name)}
    if node.description:
        data["description"] = node.description
    if not node.children:
        data["kind"] = "bool"
        skeleton.paths[node.guid] = path
    elif all(not child.children for child in node.children):
        own = [(node, node.trailer_id or slug(node.name))] if node.codable else []
        children = [(c, c.trailer_id or slug(c.name)) for c in node.children]
        data["codes"] = _codes_of(skeleton, path, own + children)
        if node.hints.get("kind") == "single" and not own:
            data["kind"] = "single"
    else:
        data["kind"] = "records"
        data["fields"] = _fields(skeleton, path, node)
        status = _status(node.hints.get("status"), data["fields"])
        if status is not None:
            data["status"] = status
    skeleton.kinds[path] = data["kind"]
    return data


def _status(hint: str | None, fields: list[dict[str, Any]]) -> dict[str, Any] | None:
    """``status: FIELD counts A,B`` of our own trailer, when the field and its codes exist."""
    if not hint:
        return None
    field_id, _, counted = hint.partition(" counts ")
    found = next((f for f in fields if f["id"] == field_id and f.get("codes")), None)
    codes = [c.strip() for c in counted.split(",") if c.strip()]
    if found is None or not codes or not set(codes) <= {c["id"] for c in found["codes"]}:
        return None
    return {"field": field_id, "counts": codes}


def _fields(skeleton: Skeleton, group_path: str, node: RefiCode) -> list[dict[str, Any]]:
    ids = _Ids(RESERVED_FIELD_IDS)
    fields = []
    for child in node.children:
        field_id = ids.take(child, "field")
        path = f"{group_path}.{field_id}"
        data: dict[str, Any] = {"id": field_id, "label": _label(child.name)}
        if child.description:
            data["description"] = child.description
        if child.children:
            data["type"] = "code" if child.hints.get("type") == "code" else "codes"
            own = [(child, child.trailer_id or slug(child.name))] if child.codable else []
            flat = own + [pair for grand in child.children for pair in _flatten(grand)]
            data["codes"] = _codes_of(skeleton, path, flat)
        else:
            data["type"] = "bool"
            skeleton.paths[child.guid] = path
        fields.append({"id": data.pop("id"), "type": data.pop("type"), **data})
    return fields


def skeleton_from_codes(codes: list[RefiCode], framework_id: str, title: str) -> Skeleton:
    """A framework (as data) from a REFI code tree; see the module docstring for the rules."""
    skeleton = Skeleton(
        {
            "framework": {
                "id": framework_id,
                "version": "0.1.0",
                "title": _label(title),
                "description": "Imported from REFI-QDA by ol-analysis; review every TODO.",
            },
            "evidence": {
                "sources": [
                    {"id": "document", "label": Flow({"nl": "document", "en": "document"})}
                ],
                "speakers": [{"id": "unknown", "label": Flow({"nl": "onbekend", "en": "unknown"})}],
            },
            "parts": [],
        }
    )
    part_ids = _Ids(RESERVED_PART_IDS)
    loose: list[RefiCode] = []
    for node in codes:
        if any(child.children for child in node.children):
            part_id = part_ids.take(node, "part")
            groups, group_ids = [], _Ids()
            for child in node.children:
                groups.append(_group(skeleton, part_id, child, group_ids.take(child)))
            part: dict[str, Any] = {"id": part_id, "label": _label(node.name)}
            if node.description:
                part["description"] = node.description
            skeleton.data["parts"].append({**part, "groups": groups})
        else:
            loose.append(node)
    if loose:
        part_id = part_ids.take(RefiCode("", "codes", "", False))
        groups, group_ids = [], _Ids()
        leaves = [node for node in loose if not node.children]
        for node in loose:
            if node.children:
                groups.append(_group(skeleton, part_id, node, group_ids.take(node)))
        if leaves:
            other = RefiCode("", "other", "", False, children=leaves)
            groups.append(_group(skeleton, part_id, other, group_ids.take(other)))
        label = Flow({"nl": "codes", "en": "codes"})
        skeleton.data["parts"].append({"id": part_id, "label": label, "groups": groups})
    return skeleton


def import_codebook(path: Path) -> Skeleton:
    root = read_qdc(path)
    codes = root.find(_q(root, "Codes"))
    if codes is None:
        raise UsageError(f"{path}: the codebook has no Codes element")
    return skeleton_from_codes(parse_codes(root, codes), slug(path.stem, "imported"), path.stem)


def framework_yaml(skeleton: Skeleton, source: str) -> str:
    header = (
        f"# framework.yaml skeleton imported from {source} by ol-analysis; review every TODO.\n"
    )
    return header + dump_yaml(skeleton.data)
