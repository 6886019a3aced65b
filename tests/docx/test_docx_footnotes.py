"""``[^n]`` footnotes in the Markdown (``build --footnotes``) as real Word footnotes: a
``word/footnotes.xml`` part with Word's two separators, one ``w:footnoteReference`` per
reference in the FootnoteReference style, and no ``[^`` left in the text; LibreOffice prints
them at the foot of the page."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
from lxml import etree

from ol_analysis.report.docx import Chapter, markdown_to_docx

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
FOOTNOTES_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
FOOTNOTES_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return {name: package.read(name) for name in package.namelist()}


def _notes(parts: dict[str, bytes]) -> dict[str, str]:
    """Footnote id → its text, the separators (ids -1 and 0) left out."""
    root = etree.fromstring(parts["word/footnotes.xml"])
    return {
        note.get(f"{W}id"): "".join(note.itertext())
        for note in root.iter(f"{W}footnote")
        if note.get(f"{W}type") is None
    }


def _references(parts: dict[str, bytes]) -> list[str]:
    root = etree.fromstring(parts["word/document.xml"])
    return [ref.get(f"{W}id") for ref in root.iter(f"{W}footnoteReference")]


def _text(parts: dict[str, bytes]) -> str:
    return "".join(etree.fromstring(parts["word/document.xml"]).itertext())


def test_references_become_footnotes_numbered_through_the_document(tmp_path: Path) -> None:
    first = "# Een\n\nDrie casussen[^1] en twee[^2].\n\n| a | b |\n|---|---|\n| x | y[^3] |\n\n"
    first += "[^1]: c01, c02, *c03*\n[^2]: c04, c05\n[^3]: c06\n"
    second = "# Twee\n\nOpnieuw bij 1[^1].\n\n[^1]: c07\n"
    data = markdown_to_docx([Chapter(first, tmp_path), Chapter(second, tmp_path)], title="R")
    parts = _parts(data)
    assert _references(parts) == ["1", "2", "3", "4"]
    assert _notes(parts) == {"1": " c01, c02, c03", "2": " c04, c05", "3": " c06", "4": " c07"}
    assert "[^" not in _text(parts)
    footnotes = etree.fromstring(parts["word/footnotes.xml"])
    separators = {n.get(f"{W}id"): n.get(f"{W}type") for n in footnotes.iter(f"{W}footnote")}
    assert separators["-1"] == "separator" and separators["0"] == "continuationSeparator"
    assert FOOTNOTES_TYPE in parts["[Content_Types].xml"].decode()
    assert FOOTNOTES_REL in parts["word/_rels/document.xml.rels"].decode()
    document = docx.Document(io.BytesIO(data))
    assert document.styles["footnote reference"].type == 2  # character
    assert document.styles["footnote text"].type == 1  # paragraph
    assert b'w:footnotePr><w:footnote w:id="-1"/>' in parts["word/settings.xml"]
    body = etree.fromstring(parts["word/document.xml"])
    for reference in body.iter(f"{W}footnoteReference"):
        style = reference.getparent().find(f"{W}rPr/{W}rStyle")
        assert style.get(f"{W}val") == "FootnoteReference"
    italic = etree.fromstring(parts["word/footnotes.xml"]).iter(f"{W}i")
    assert len(list(italic)) == 1  # Markdown inside a footnote keeps its look


def test_without_definitions_nothing_changes(tmp_path: Path) -> None:
    data = markdown_to_docx(
        [Chapter("Een [^1] zonder definitie, `[^2]` in code.\n\n[^2]: x\n", tmp_path)],
        title="R",
    )
    parts = _parts(data)
    assert "word/footnotes.xml" not in parts
    assert "Een [^1] zonder definitie, [^2] in code." in _text(parts)


def test_a_shipped_footnotes_build_has_one_footnote_per_reference(
    shipped_footnotes_build: Path,
) -> None:
    markdown = [p.read_text("utf-8") for p in sorted((shipped_footnotes_build / "md").glob("*.md"))]
    references = sum(len(re.findall(r"\[\^\d+\](?!:)", text)) for text in markdown)
    assert references > 100
    parts = _parts((shipped_footnotes_build / "docx" / "report.docx").read_bytes())
    assert len(_references(parts)) == len(_notes(parts)) == references
    assert sorted(_references(parts), key=int) == sorted(_notes(parts), key=int)
    document = docx.Document(str(shipped_footnotes_build / "docx" / "report.docx"))
    texts = [p.text for p in document.paragraphs] + [
        cell.text for table in document.tables for row in table.rows for cell in row.cells
    ]
    assert not [t for t in texts if "[^" in t]


def test_libreoffice_prints_the_footnotes_at_the_foot_of_the_page(
    shipped_footnotes_build: Path, pdf_of: Callable[[Path], list[Any]]
) -> None:
    """Converted to PDF by LibreOffice: no ``[^`` anywhere, and the text of the first chapter's
    first footnotes stands on a line of its own in the lower part of a page (below 60 % of
    its height), above the page footer."""
    lines = pdf_of(shipped_footnotes_build / "docx" / "report.docx")
    assert not [line.text for line in lines if "[^" in line.text]
    first = sorted((shipped_footnotes_build / "md").glob("*.md"))[0].read_text("utf-8")
    notes = re.findall(r"^\[\^\d+\]: (.+)$", first, re.M)[:3]
    assert notes
    footers = {line.page: line.y_min for line in lines if line.text.startswith("optimaal-leven")}
    for note in notes:
        found = [line for line in lines if line.text == note or line.text.endswith(" " + note)]
        assert found, note
        line = found[0]
        assert 0.6 * line.page_height < line.y_min < footers[line.page], (note, line)
