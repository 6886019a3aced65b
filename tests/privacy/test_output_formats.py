"""Every kind of planted identifier is found in every format a study publishes (Markdown, HTML,
CSV, SQLite, DOCX, REFI-QDA), at a named part of the file; a file that cannot be read is never
called clean. The files are made here, synthetic, one identifier each."""

from __future__ import annotations

import sqlite3
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pytest

from ol_analysis.privacy.outputs import OutputCheck, check_outputs

DENY = ["Tineke Testbuur"]

PLANTED = {
    "bsn with spaces 3-3-3": ("Cliënt heeft BSN 111 222 333 gegeven.", "privacy-bsn"),
    "bsn with spaces 3-2-2-2": ("Nummer 123 45 67 82 staat op de brief.", "privacy-bsn"),
    "geb.datum": ("Intake: geb.datum 12.03.1985, alleenstaand.", "privacy-birthdate"),
    "DOB iso with one digit": ("Patient DOB 1985-3-12 per dossier.", "privacy-birthdate"),
    "street address": ("Zij woont aan de Kerkstraat 5 in het dorp.", "privacy-address"),
    "lower-case postcode": ("Adres met postcode 9401 ab erbij.", "privacy-postcode"),
    "accented deny-listed name": ("Buurvrouw Tinéke Testbüur belt vaak.", "privacy-name"),
    "e-mail address": ("Mail naar begeleider.test@example.org vandaag.", "privacy-email"),
}


def _md(folder: Path, text: str) -> Path:
    path = folder / "chapter.md"
    path.write_text(f"# Hoofdstuk\n\nEen alinea.\n\n{text}\n", encoding="utf-8")
    return path


def _html(folder: Path, text: str) -> Path:
    path = folder / "page.html"
    path.write_text(f"<html><body>\n<h1>c01</h1>\n<p>{text}</p>\n</body></html>\n", "utf-8")
    return path


def _csv(folder: Path, text: str) -> Path:
    path = folder / "codings.csv"
    quoted = text.replace('"', '""')
    path.write_text(f'case_id,path,quote\nc01,a.b,"Niets."\nc02,a.c,"{quoted}"\n', "utf-8")
    return path


def _sqlite(folder: Path, text: str) -> Path:
    path = folder / "study.db"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE evidence (case_id TEXT, n INTEGER, quote TEXT)")
        connection.executemany(
            "INSERT INTO evidence VALUES (?, ?, ?)", [("c01", 1, "Niets."), ("c02", 2, text)]
        )
    connection.close()
    return path


def _docx(where: str) -> Callable[[Path, str], Path]:
    def make(folder: Path, text: str) -> Path:
        path = folder / f"report-{where}.docx"
        document = docx.Document()
        document.add_paragraph("Rapport")
        if where == "body":
            document.add_paragraph(text)
        elif where == "table":
            table = document.add_table(rows=2, cols=2)
            table.cell(1, 1).text = text
        elif where == "header":
            document.sections[0].header.paragraphs[0].text = text
        elif where == "properties":
            document.core_properties.comments = text
        document.save(str(path))
        if where == "footnote":
            _add_footnote(path, text)
        return path

    return make


def _add_footnote(path: Path, text: str) -> None:
    footnotes = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<w:footnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f'<w:footnote w:id="1"><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:footnote>'
        "</w:footnotes>"
    )
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("word/footnotes.xml", footnotes)


def _qdpx(where: str) -> Callable[[Path, str], Path]:
    def make(folder: Path, text: str) -> Path:
        path = folder / f"study-{where}.qdpx"
        escaped = text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
        description = escaped if where == "project" else "Geen."
        project = (
            '<?xml version="1.0" encoding="utf-8"?>\n'
            '<Project xmlns="urn:QDA-XML:project:1.0" name="mini">\n'
            f'  <Cases><Case guid="g1" name="c01"><Description>{description}</Description>'
            "</Case></Cases>\n</Project>\n"
        )
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("project.qde", project)
            archive.writestr("sources/s1.txt", text if where == "source" else "Geen.")
        return path

    return make


FORMATS: dict[str, Callable[[Path, str], Path]] = {
    "md": _md,
    "html": _html,
    "csv": _csv,
    "sqlite": _sqlite,
    "docx body": _docx("body"),
    "docx table": _docx("table"),
    "docx header": _docx("header"),
    "docx footnote": _docx("footnote"),
    "docx core properties": _docx("properties"),
    "qdpx project": _qdpx("project"),
    "qdpx source": _qdpx("source"),
}

PARTS = {
    "csv": "row 3, column quote",
    "sqlite": "table evidence, row 2, column quote",
    "docx body": "paragraph 2",
    "docx table": "table 1, row 2, cell 2",
    "docx header": "section 1 header",
    "docx footnote": "footnote 1",
    "docx core properties": "core properties: comments",
    "qdpx source": "sources/s1.txt",
    "qdpx project": "project.qde line 3, <Description>",
}


@pytest.mark.parametrize("kind", list(PLANTED))
@pytest.mark.parametrize("fmt", list(FORMATS))
def test_a_planted_identifier_is_found_in_every_format(tmp_path: Path, fmt: str, kind: str) -> None:
    text, rule = PLANTED[kind]
    path = FORMATS[fmt](tmp_path, text)
    found = check_outputs([path], OutputCheck(deny_names=DENY))
    assert [d.rule for d in found] == [rule], found
    assert found[0].path == str(path)
    assert found[0].location == PARTS.get(fmt, "")


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_the_same_files_without_an_identifier_are_clean(tmp_path: Path, fmt: str) -> None:
    path = FORMATS[fmt](tmp_path, "Een gewone zin over 3 gesprekken in 2019 en 45 minuten.")
    assert check_outputs([path], OutputCheck(deny_names=DENY)) == []


@pytest.mark.parametrize(
    ("name", "content", "why"),
    [
        ("report.docx", b"not a zip at all", "not a DOCX"),
        ("report.docx", None, "not a readable DOCX"),
        ("study.qdpx", b"PK\x05\x06" + b"\x00" * 18, "holds no project.qde"),
        ("study.db", b"SQLite format 3\x00" + b"\x00" * 50, "SQLite database"),
        ("study.db", b"just text", "not an SQLite database"),
        ("chapter.md", b"\x89PNG\r\n\x1a\n\x00\x00", "binary file"),
    ],
)
def test_a_file_that_cannot_be_read_is_not_called_clean(
    tmp_path: Path, name: str, content: bytes | None, why: str
) -> None:
    path = tmp_path / name
    if content is None:  # a ZIP that is no Word document
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("hello.txt", "hi")
    else:
        path.write_bytes(content)
    (found,) = check_outputs([path], OutputCheck())
    assert (found.rule, found.line, found.column) == ("privacy-unreadable", 1, 1)
    assert why in found.message and "not known to be clean" in found.message


def test_named_docx_and_qdpx_are_scanned_by_the_command(run_cli: Any, tmp_path: Path) -> None:
    """Issue 15: naming a DOCX or a .qdpx gave exit 0 and no output."""
    text = PLANTED["bsn with spaces 3-3-3"][0]
    report = _docx("body")(tmp_path, text)
    project = _qdpx("source")(tmp_path, text)
    result = run_cli(["privacy", str(report), str(project)], cwd=tmp_path)
    assert result.exit_code == 1
    assert f"{report}:1:18: error[privacy-bsn]" in result.stderr
    assert "(in paragraph 2)" in result.stderr
    assert f"{project}:1:18: error[privacy-bsn]" in result.stderr
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"nonsense")
    unreadable = run_cli(["privacy", str(broken)], cwd=tmp_path)
    assert unreadable.exit_code == 1
    assert f"{broken}:1:1: error[privacy-unreadable]" in unreadable.stderr
