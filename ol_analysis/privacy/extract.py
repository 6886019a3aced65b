"""The text of each output format, part by part, for the scanner.

A part is a piece of text and the name of where it stands in its file ("paragraph 12",
"table 2, row 3, cell 1", "core properties: author", "sources/….txt", "table codings, row 4,
column quote"). Text formats are one part (the file, line by line). A file that cannot be read
raises :class:`Unreadable`: a scan must never call such a file clean.
"""

from __future__ import annotations

import csv
import io
import sqlite3
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

TEXT_SUFFIXES = (".md", ".html", ".htm", ".json", ".txt", ".svg", ".yaml", ".yml", ".xml", ".qdc")
DOCX_SUFFIXES = (".docx",)
QDPX_SUFFIXES = (".qdpx",)
CSV_SUFFIXES = (".csv", ".tsv")
SQLITE_SUFFIXES = (".db", ".sqlite", ".sqlite3")
SCANNED_SUFFIXES = (
    *TEXT_SUFFIXES,
    *DOCX_SUFFIXES,
    *QDPX_SUFFIXES,
    *CSV_SUFFIXES,
    *SQLITE_SUFFIXES,
)
"""Every suffix the scanner reads; images (``.png``) carry no text it could read."""

_CORE_PROPERTIES = (
    "author",
    "category",
    "comments",
    "content_status",
    "identifier",
    "keywords",
    "last_modified_by",
    "subject",
    "title",
)


class Unreadable(Exception):
    """The file could not be read as its suffix says; the message says why."""


@dataclass(frozen=True)
class Part:
    """Text from one place in a file; ``where`` is empty when the lines are the file's own."""

    where: str
    text: str


def parts(path: Path) -> Iterator[Part]:
    """Every part of ``path`` that holds text, by its suffix; :class:`Unreadable` otherwise."""
    suffix = path.suffix.lower()
    try:
        if suffix in DOCX_SUFFIXES:
            yield from _docx_parts(path)
        elif suffix in QDPX_SUFFIXES:
            yield from _qdpx_parts(path)
        elif suffix in CSV_SUFFIXES:
            yield from _csv_parts(path)
        elif suffix in SQLITE_SUFFIXES:
            yield from _sqlite_parts(path)
        else:
            yield Part("", _decode(path.read_bytes()))
    except OSError as error:
        raise Unreadable(f"cannot read the file: {error.strerror or error}") from None


def _decode(data: bytes) -> str:
    if b"\x00" in data[:8192]:
        raise Unreadable("it is a binary file, not text; the scanner cannot read it")
    return data.decode("utf-8", errors="replace")


def _zip(path: Path, what: str) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise Unreadable(f"it is not a {what} (not a ZIP archive)") from None


def _docx_parts(path: Path) -> Iterator[Part]:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    _zip(path, "DOCX").close()
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError) as error:
        raise Unreadable(f"it is not a readable DOCX ({error})") from None
    for number, paragraph in enumerate(document.paragraphs, start=1):
        if paragraph.text.strip():
            yield Part(f"paragraph {number}", paragraph.text)
    for t_number, table in enumerate(document.tables, start=1):
        for r_number, row in enumerate(table.rows, start=1):
            for c_number, cell in enumerate(row.cells, start=1):
                if cell.text.strip():
                    yield Part(f"table {t_number}, row {r_number}, cell {c_number}", cell.text)
    for s_number, section in enumerate(document.sections, start=1):
        for kind in ("header", "footer", "first_page_header", "first_page_footer"):
            block = getattr(section, kind)
            text = "\n".join(p.text for p in block.paragraphs if p.text.strip())
            if text:
                yield Part(f"section {s_number} {kind.replace('_', ' ')}", text)
    properties = document.core_properties
    for name in _CORE_PROPERTIES:
        value = getattr(properties, name, None)
        if isinstance(value, str) and value.strip():
            yield Part(f"core properties: {name}", value)
    yield from _docx_xml_parts(path)


def _docx_xml_parts(path: Path) -> Iterator[Part]:
    """Footnotes, endnotes and comments, which python-docx does not expose as text."""
    namespace = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    with _zip(path, "DOCX") as archive:
        for member, element in (
            ("word/footnotes.xml", "footnote"),
            ("word/endnotes.xml", "endnote"),
            ("word/comments.xml", "comment"),
        ):
            if member not in archive.namelist():
                continue
            root = _xml(archive.read(member), member)
            for note in root.iter(f"{namespace}{element}"):
                text = "".join(t.text or "" for t in note.iter(f"{namespace}t"))
                if text.strip():
                    yield Part(f"{element} {note.get(f'{namespace}id')}", text)
                author = note.get(f"{namespace}author")
                if author:
                    yield Part(f"{element} {note.get(f'{namespace}id')} author", author)


def _xml(data: bytes, member: str) -> Any:
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        raise Unreadable(f"{member} is not well-formed XML ({error})") from None


def _qdpx_parts(path: Path) -> Iterator[Part]:
    """The project XML (every element's text and attribute values) and every source text."""
    with _zip(path, "REFI-QDA project") as archive:
        names = archive.namelist()
        projects = [n for n in names if n.lower().endswith(".qde")]
        if not projects:
            raise Unreadable("it holds no project.qde: not a REFI-QDA project")
        for name in projects:
            root = _xml(archive.read(name), name)
            for element in root.iter():
                tag = element.tag if isinstance(element.tag, str) else ""
                local = tag.rsplit("}", 1)[-1]
                label = element.get("name") or element.get("guid") or ""
                where = f"{name} line {element.sourceline}, <{local}{' ' + label if label else ''}>"
                if element.text and element.text.strip():
                    yield Part(where, element.text)
                for attribute, value in element.attrib.items():
                    if attribute not in ("guid", "targetGUID", "plainTextPath") and value.strip():
                        yield Part(f"{where} @{attribute}", value)
        for name in names:
            if name.startswith("sources/") and not name.endswith("/"):
                yield Part(name, _decode(archive.read(name)))


def _csv_parts(path: Path) -> Iterator[Part]:
    text = _decode(path.read_bytes()).removeprefix("\ufeff")
    delimiter = "\t" if path.suffix.lower() == ".tsv" else _sniff(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header: list[str] = []
        for number, row in enumerate(reader, start=1):
            if number == 1:
                header = row
            for c_number, cell in enumerate(row, start=1):
                if cell.strip():
                    column = header[c_number - 1] if c_number <= len(header) else str(c_number)
                    yield Part(f"row {number}, column {column}", cell)
    except csv.Error as error:
        raise Unreadable(f"it is not readable CSV ({error})") from None


def _sniff(text: str) -> str:
    first = text.split("\n", 1)[0]
    return max((",", ";", "\t"), key=first.count)


def _sqlite_parts(path: Path) -> Iterator[Part]:
    with path.open("rb") as file:
        if file.read(16) != b"SQLite format 3\x00":
            raise Unreadable("it is not an SQLite database")
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as error:
        raise Unreadable(f"cannot open the SQLite database ({error})") from None
    try:
        tables = [
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        for table in tables:
            quoted = '"' + table.replace('"', '""') + '"'
            cursor = connection.execute(f"SELECT * FROM {quoted}")
            columns = [d[0] for d in cursor.description]
            for number, row in enumerate(cursor, start=1):
                for column, value in zip(columns, row, strict=True):
                    if isinstance(value, bytes):
                        value = value.decode("utf-8", errors="replace")
                    if isinstance(value, str) and value.strip():
                        yield Part(f"table {table}, row {number}, column {column}", value)
    except sqlite3.Error as error:
        raise Unreadable(f"cannot read the SQLite database ({error})") from None
    finally:
        connection.close()
