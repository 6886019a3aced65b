"""Tables and graphs for other tools: CSV (R, SPSS, Excel), SQLite, GraphML (Gephi, Cytoscape).

Every writer builds its output completely, then replaces the target in one step, so a failed
export never leaves a half-written file behind.

- CSV: ``matrix.csv`` is the case × code matrix of 0/1 (one column per path ``stats`` counts, so
  column sums are its counts); ``codings.csv`` is the long table, one row per coding and
  evidence item, with the case's profile attributes and a ``counted`` column (0 for an
  if…then statement whose status does not count). Plain UTF-8, comma, RFC 4180 quoting:
  R (``read.csv``, readr), pandas and SPSS read it as is. ``bom=True`` starts each file with
  a byte-order mark, which Excel needs to recognise UTF-8 when a file is opened by double-click.
- SQLite: tables ``cases``, ``codes``, ``codings``, ``evidence`` and one table per record group
  (``key_moments``, ``professionals``, ``partners``, ``relatives``, …), with foreign keys.
- GraphML: the support networks (one component per case), the case × partner network and
  code co-occurrence, from :mod:`ol_analysis.analysis.network` (the graphs the report draws).
"""

from __future__ import annotations

import csv
import io
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import networkx as nx

from ol_analysis.analysis.aggregate import stats
from ol_analysis.analysis.codings import (
    Item,
    case_codings,
    clean_text,
    group_value,
    item_codings,
    items,
    text_of,
)
from ol_analysis.core.framework import Framework, Group, RecordField
from ol_analysis.core.study import Study
from ol_analysis.errors import UsageError
from ol_analysis.safe_write import atomic_path, ensure_folder, write_bytes_atomic

GRAPHS = ("support", "partners", "cooccurrence")
CORE_TABLES = ("cases", "codes", "codings", "evidence")
EVIDENCE_COLUMNS = ("quote", "note", "source", "speaker", "section")


def profile_groups(framework: Framework) -> list[Group]:
    profile = framework.roles.profile
    part = framework.part(profile) if profile is not None else None
    return [g for g in part.groups if g.kind != "records"] if part else []


# ── CSV ──────────────────────────────────────────────────────────────────────────────────────


def _csv_bytes(rows: Iterable[list[Any]], bom: bool, delimiter: str = ",") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow([clean_text(text_of(cell)) for cell in row])
    return ("\ufeff" if bom else "").encode("utf-8") + buffer.getvalue().encode("utf-8")


def matrix_rows(study: Study) -> list[list[Any]]:
    counts = stats(study)["counts"]
    header = ["case_id", *counts]
    rows: list[list[Any]] = [header]
    for case in study:
        rows.append([case.id, *(int(case.id in e["cases"]) for e in counts.values())])
    return rows


def codings_rows(study: Study) -> list[list[Any]]:
    framework = study.framework
    profile = profile_groups(framework)
    header = [
        "case_id",
        "title",
        *(g.id for g in profile),
        "part",
        "group",
        "field",
        "code",
        "code_path",
        "label",
        "record",
        "counted",
        "inferred",
        "basis",
        *(f"evidence_{c}" for c in EVIDENCE_COLUMNS),
    ]
    rows: list[list[Any]] = [header]
    for case in study:
        attributes = [group_value(case, g) for g in profile]
        for coding in case_codings(framework, case):
            item = coding.item
            code = framework.code(coding.path)
            label = code.label.get("nl") if code else coding.path.rsplit(".", 1)[-1]
            base = [
                case.id,
                case.title,
                *attributes,
                item.group.path.split(".")[0],
                item.group.id,
                coding.field or "",
                coding.code,
                coding.path,
                label,
                item.index if item.group.kind in ("records", "multi") else "",
                int(coding.counted),
                int(item.inferred),
                item.basis or "",
            ]
            evidence = item.evidence or [None]
            for found in evidence:
                rows.append(base + [getattr(found, c, None) or "" for c in EVIDENCE_COLUMNS])
    return rows


CSV_DELIMITERS = (",", ";", "\t")


def export_csv(study: Study, out: Path, *, bom: bool = False, delimiter: str = ",") -> list[Path]:
    """Write ``matrix.csv`` and ``codings.csv`` into the folder ``out``; ``delimiter=";"`` for
    spreadsheet programs in locales whose decimal separator is the comma (Dutch Excel)."""
    if delimiter not in CSV_DELIMITERS:
        raise UsageError(f"a CSV delimiter is one of ',', ';' or a tab, not {delimiter!r}")
    ensure_folder(out)
    written = []
    for name, rows in (("matrix.csv", matrix_rows(study)), ("codings.csv", codings_rows(study))):
        write_bytes_atomic(out / name, _csv_bytes(rows, bom, delimiter))
        written.append(out / name)
    return written


# ── SQLite ───────────────────────────────────────────────────────────────────────────────────


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def record_tables(framework: Framework) -> dict[str, Group]:
    """Table name → record group: the group id, or the part id where it contains the group id
    (``key_moments.moments`` → ``key_moments``); clashes get ``<part>_<group>``."""
    tables: dict[str, Group] = {}
    for part, group in framework.groups():
        if group.kind != "records":
            continue
        name = part.id if group.id in part.id else group.id
        if name in tables or name in CORE_TABLES:
            name = f"{part.id}_{group.id}"
        tables[name] = group
    return tables


def _schema(framework: Framework, tables: dict[str, Group]) -> list[str]:
    profile = [f"{_quote(g.id)}" for g in profile_groups(framework)]
    statements = [
        "CREATE TABLE cases (id TEXT PRIMARY KEY, title TEXT NOT NULL, summary TEXT, "
        "subgroup TEXT, status TEXT, analysts TEXT, file TEXT"
        + "".join(f", {c}" for c in profile)
        + ")",
        "CREATE TABLE codes (path TEXT PRIMARY KEY, part TEXT NOT NULL, grp TEXT NOT NULL, "
        "field TEXT, code TEXT NOT NULL, label_nl TEXT, label_en TEXT, description TEXT)",
    ]
    for name, group in tables.items():
        columns = "".join(f", {_quote(f.id)}" for f in group.fields)
        statements.append(
            f"CREATE TABLE {_quote(name)} (id INTEGER PRIMARY KEY, "
            "case_id TEXT NOT NULL REFERENCES cases(id), position INTEGER NOT NULL"
            f"{columns}, inferred INTEGER NOT NULL, basis TEXT)"
        )
    statements += [
        "CREATE TABLE codings (id INTEGER PRIMARY KEY, "
        "case_id TEXT NOT NULL REFERENCES cases(id), "
        "code_path TEXT NOT NULL REFERENCES codes(path), grp TEXT NOT NULL, "
        "record_table TEXT, record_id INTEGER, counted INTEGER NOT NULL, "
        "inferred INTEGER NOT NULL, basis TEXT)",
        "CREATE TABLE evidence (id INTEGER PRIMARY KEY, "
        "case_id TEXT NOT NULL REFERENCES cases(id), grp TEXT NOT NULL, "
        "code_path TEXT REFERENCES codes(path), record_table TEXT, record_id INTEGER, "
        "position INTEGER NOT NULL, quote TEXT, note TEXT, source TEXT NOT NULL, "
        "speaker TEXT, section TEXT)",
        "CREATE INDEX codings_case ON codings(case_id)",
        "CREATE INDEX codings_code ON codings(code_path)",
    ]
    return statements


def _cell(value: Any) -> Any:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, list):
        return text_of(value)
    if isinstance(value, str):
        return clean_text(value)
    return value


def _insert(db: sqlite3.Connection, table: str, row: dict[str, Any]) -> int:
    columns = ", ".join(_quote(c) for c in row)
    marks = ", ".join("?" for _ in row)
    cursor = db.execute(
        f"INSERT INTO {_quote(table)} ({columns}) VALUES ({marks})",
        [_cell(v) for v in row.values()],
    )
    return int(cursor.lastrowid or 0)


def _fill(db: sqlite3.Connection, study: Study, tables: dict[str, Group]) -> None:
    framework = study.framework
    table_of = {group.path: name for name, group in tables.items()}
    for part, group in framework.groups():
        owners: list[RecordField | None] = [None] if group.is_coded else []
        owners += [f for f in group.fields if f.is_coded]
        for fld in owners:
            for code in fld.codes if fld is not None else group.codes:
                _insert(db, "codes", _code_row(part.id, group, fld.id if fld else None, code))
        bools: list[tuple[str, str | None]] = [(group.path, None)] if group.kind == "bool" else []
        bools += [(f.path, f.id) for f in group.fields if f.type == "bool"]
        for path, field_id in bools:
            row = {"path": path, "part": part.id, "grp": group.id, "field": field_id}
            label = group.field(field_id).label if field_id else group.label  # type: ignore[union-attr]
            _insert(
                db, "codes", {**row, "code": "true", "label_nl": label.nl, "label_en": label.en}
            )
    for case in study:
        analysis = case.analysis
        row = {
            "id": case.id,
            "title": case.title,
            "summary": " ".join(case.summary.split()) or None,
            "subgroup": getattr(analysis, "subgroup", None),
            "status": getattr(analysis, "status", None),
            "analysts": text_of(list(getattr(analysis, "analysts", None) or [])) or None,
            "file": case.path,
        }
        for group in profile_groups(framework):
            row[group.id] = group_value(case, group)
        _insert(db, "cases", row)
        for item in items(framework, case):
            _fill_item(db, item, table_of.get(item.group.path))


def _code_row(part_id: str, group: Group, field_id: str | None, code: Any) -> dict[str, Any]:
    return {
        "path": code.path,
        "part": part_id,
        "grp": group.id,
        "field": field_id,
        "code": code.id,
        "label_nl": code.label.nl,
        "label_en": code.label.en,
        "description": " ".join(code.description.split()) or None,
    }


def _fill_item(db: sqlite3.Connection, item: Item, table: str | None) -> None:
    record_id = None
    if table is not None:
        row = {"case_id": item.case_id, "position": item.index}
        row.update({f.id: getattr(item.model, f.id, None) for f in item.group.fields})
        row.update({"inferred": item.inferred, "basis": item.basis})
        record_id = _insert(db, table, row)
    codings = item_codings(item)
    for coding in codings:
        _insert(
            db,
            "codings",
            {
                "case_id": item.case_id,
                "code_path": coding.path,
                "grp": item.group.path,
                "record_table": table,
                "record_id": record_id,
                "counted": coding.counted,
                "inferred": item.inferred,
                "basis": item.basis,
            },
        )
    single_code = codings[0].path if item.group.is_coded and codings else None
    for position, evidence in enumerate(item.evidence):
        row = {
            "case_id": item.case_id,
            "grp": item.group.path,
            "code_path": single_code,
            "record_table": table,
            "record_id": record_id,
            "position": position,
        }
        row.update({c: getattr(evidence, c, None) for c in EVIDENCE_COLUMNS})
        _insert(db, "evidence", row)


def export_sqlite(study: Study, out: Path) -> None:
    """Write the study as one SQLite database (built in a temporary file, then renamed)."""
    with atomic_path(out) as temporary:
        db = sqlite3.connect(temporary)
        try:
            db.execute("PRAGMA foreign_keys = ON")
            tables = record_tables(study.framework)
            with db:
                for statement in _schema(study.framework, tables):
                    db.execute(statement)
                _fill(db, study, tables)
            problems = db.execute("PRAGMA foreign_key_check").fetchall()
            if problems:  # a bug, not bad input: every reference is made above
                raise RuntimeError(f"foreign key check failed: {problems[:3]}")
        finally:
            db.close()


# ── GraphML ──────────────────────────────────────────────────────────────────────────────────


def _graphml_value(value: Any) -> Any:
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, bool | int | float):
        return value
    if isinstance(value, list | tuple):
        return "; ".join(str(v) for v in value)
    return "" if value is None else str(value)


def _plain(graph: nx.Graph) -> nx.Graph:
    """A thawed copy whose attributes GraphML can hold (sequences joined by '; ')."""
    plain = nx.Graph()
    plain.graph.update({k: _graphml_value(v) for k, v in graph.graph.items()})
    for node, data in graph.nodes(data=True):
        plain.add_node(node, **{k: _graphml_value(v) for k, v in data.items()})
    for first, second, data in graph.edges(data=True):
        plain.add_edge(first, second, **{k: _graphml_value(v) for k, v in data.items()})
    return plain


def build_graph(study: Study, which: str, lang: str = "nl") -> nx.Graph:
    """One of :data:`GRAPHS` as a plain networkx graph."""
    from ol_analysis.analysis.network import (
        case_network,
        cooccurrence_graph,
        partner_network,
    )

    if which == "partners":
        return _plain(partner_network(study, lang, study.framework.roles).graph)
    if which == "cooccurrence":
        return _plain(cooccurrence_graph(study, lang))
    if which != "support":
        raise UsageError(f"unknown graph '{which}'; choose one of {', '.join(GRAPHS)}")
    combined = nx.Graph(name="support networks")
    for case in study:
        network = _plain(case_network(study, case, lang, study.framework.roles).graph)
        mapping = {node: f"{case.id}/{node}" for node in network}
        for node, data in network.nodes(data=True):
            combined.add_node(mapping[node], case=case.id, **data)
        for first, second, data in network.edges(data=True):
            combined.add_edge(mapping[first], mapping[second], case=case.id, **data)
    return combined


def graphml_bytes(graph: nx.Graph) -> bytes:
    buffer = io.BytesIO()
    nx.write_graphml(graph, buffer, encoding="utf-8", prettyprint=True)
    return buffer.getvalue()


def export_graphml(study: Study, out: Path, which: str = "support", lang: str = "nl") -> None:
    graph = build_graph(study, which, lang)
    write_bytes_atomic(out, graphml_bytes(graph))
