"""Import a REFI-QDA project (``.qdpx``) as a study folder: ``framework.yaml`` + ``cases/``.

The framework comes from the project's codebook (:mod:`ol_analysis.interop.refi.codebook`);
variables become profile groups; each ``Case`` (or, in a project without cases, each source)
becomes a case file. See :mod:`ol_analysis.interop.refi.codebook` for what is and is not
carried back.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

from ol_analysis.errors import UsageError
from ol_analysis.interop.refi.codebook import (
    Skeleton,
    _Ids,
    _label,
    _q,
    parse_codes,
    read_qdpx,
    skeleton_from_codes,
    slug,
)
from ol_analysis.interop.yamlwrite import Flow, dump_yaml
from ol_analysis.safe_write import ensure_folder, write_text_atomic

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
    values: dict[str, str] = field(default_factory=dict)  # variable GUID → value text


@dataclass
class Project:
    name: str
    skeleton: Skeleton
    variables: dict[str, tuple[str, str]]  # GUID → (name, typeOfVariable)
    cases: list[RefiCase]


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


def parse_project(path: Path) -> Project:
    root = read_qdpx(path)
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
    selections = {key: codes for _s, segs in sources.values() for key, codes in segs.items()}
    cases = []
    for element in root.iterfind(f"{_q(root, 'Cases')}/{_q(root, 'Case')}"):
        case = RefiCase(
            element.get("name") or _guid(element, "guid"),
            element.findtext(_q(root, "Description")) or element.get("name") or "",
        )
        case.codes = {_guid(ref) for ref in element.findall(_q(root, "CodeRef"))}
        case.values = _values(root, element)
        for ref in element.findall(_q(root, "SourceRef")):
            case.segments += sources.get(_guid(ref), (None, {}))[1].values()
        for ref in element.findall(_q(root, "SelectionRef")):
            case.segments.append(selections.get(_guid(ref), set()))
        cases.append(case)
    if not cases:  # a project without cases: each source is one
        for source, segments in sources.values():
            name = source.get("name") or _guid(source, "guid")
            cases.append(
                RefiCase(name, name, set(), list(segments.values()), _values(root, source))
            )
    return Project(name, skeleton, variables, cases)


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


def _records(skeleton: Skeleton, paths: list[str], case: RefiCase) -> dict[str, list[Any]]:
    """Records per group: one per coded segment (equal ones merged), leftovers in one more."""
    records: dict[str, list[dict[str, Any]]] = defaultdict(list)
    covered: set[str] = set()

    def record_of(codes: list[str]) -> dict[str, dict[str, Any]]:
        found: dict[str, dict[str, Any]] = defaultdict(dict)
        for path in codes:
            group, field_id = _owner(skeleton, path)
            if field_id is None or skeleton.kinds.get(group) != "records":
                continue
            if _field_type(skeleton, group, field_id) == "bool":
                found[group][field_id] = True
            else:
                found[group].setdefault(field_id, []).append(path.split(".")[3])
        return found

    for segment in case.segments:
        codes = [skeleton.paths[g] for g in segment if g in skeleton.paths]
        for group, record in record_of(sorted(set(codes), key=paths.index)).items():
            if record not in records[group]:
                records[group].append(record)
            covered.update(c for c in codes if c.startswith(group + "."))
    left = [skeleton.paths[g] for g in case.codes if g in skeleton.paths]
    left = sorted({p for p in left if p not in covered}, key=paths.index)
    for group, record in record_of(left).items():
        records[group].append(record)
    return dict(records)


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


def build_study(project: Project) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """The framework and the cases (by id) as plain data."""
    skeleton = project.skeleton
    paths = _all_paths(skeleton)
    cases: dict[str, dict[str, Any]] = {}
    ids = _Ids()
    values: dict[str, dict[str, Any]] = {}
    coded_variables: dict[str, list[str]] = {}
    for refi_case in project.cases:
        case_id = ids.unique(_case_id(refi_case.name))
        data: dict[str, dict[str, Any]] = defaultdict(dict)
        held = [skeleton.paths[g] for g in refi_case.codes if g in skeleton.paths]
        for segment in refi_case.segments:
            held += [skeleton.paths[g] for g in segment if g in skeleton.paths]
        for path in sorted(set(held), key=paths.index):
            group, _field = _owner(skeleton, path)
            part_id, group_id = group.split(".")
            kind = skeleton.kinds.get(group)
            if kind == "bool":
                data[part_id][group_id] = True
            elif kind == "multi":
                data[part_id].setdefault(group_id, []).append(path.split(".")[2])
        for group, records in _records(skeleton, paths, refi_case).items():
            part_id, group_id = group.split(".")
            data[part_id][group_id] = records
        for variable_guid, text in refi_case.values.items():
            if variable_guid not in project.variables:
                continue
            name, type_name = project.variables[variable_guid]
            kind = VARIABLE_KINDS.get(type_name, "text")
            group = _variable_group(skeleton, name, kind)
            part_id, group_id = group.split(".")
            if skeleton.kinds[group] == "multi":
                codes = [c.strip() for c in text.split(";") if c.strip()]
                known = [c for c in codes if f"{group}.{c}" in paths]
                merged = data[part_id].get(group_id, []) + known
                data[part_id][group_id] = sorted(set(merged), key=merged.index)
                coded_variables.setdefault(group, []).append(case_id)
            elif skeleton.kinds[group] != "records":
                try:
                    data[part_id][group_id] = _convert(skeleton.kinds[group], text)
                except ValueError:
                    raise UsageError(
                        f"case '{refi_case.name}': variable '{name}' has the value '{text}', "
                        f"not a {type_name}"
                    ) from None
        values[case_id] = data
        cases[case_id] = {"id": case_id, "title": refi_case.title or case_id}
    _singles(skeleton, values, coded_variables)
    for case_id, data in values.items():
        for part in skeleton.data["parts"]:
            if data.get(part["id"]):
                order = [g["id"] for g in part["groups"]]
                cases[case_id][part["id"]] = {
                    g: data[part["id"]][g] for g in order if g in data[part["id"]]
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


def import_project(path: Path, out: Path, *, force: bool = False) -> list[Path]:
    """Write ``out/framework.yaml`` and ``out/cases/<id>.yaml``; returns the files written."""
    project = parse_project(path)
    framework, cases = build_study(project)
    target = out / "framework.yaml"
    cases_dir = out / "cases"
    if not force and (target.exists() or (cases_dir.is_dir() and any(cases_dir.iterdir()))):
        raise UsageError(f"{out} already holds a study (use --force to overwrite)")
    ensure_folder(cases_dir)
    header = f"# Imported from {path.name} by ol-analysis; review every TODO.\n"
    write_text_atomic(target, header + dump_yaml(framework))
    written = [target]
    for case_id, data in cases.items():
        file = cases_dir / f"{case_id}.yaml"
        schema = "# yaml-language-server: $schema=../build/schema.json\n"
        write_text_atomic(file, schema + dump_yaml(data))
        written.append(file)
    return written
