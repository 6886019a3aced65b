"""DOCX sources: the text core.sources reads (standard library, so that validate loads no
report library) is python-docx's, and quotes in a Word transcript are located in it."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

import ol_analysis
from ol_analysis.core.sources import SourceReadError, read_source_text


def python_docx_text(path: Path) -> str:
    """The body as python-docx reads it: paragraphs, and tables cell by cell, in order."""
    document = docx.Document(str(path))
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, docx.table.Table):
            lines += [p.text for row in block.rows for cell in row.cells for p in cell.paragraphs]
        else:
            lines.append(block.text)
    return "\n".join(lines)


def test_the_text_of_a_docx_is_python_docx_s(example: Path, tmp_path: Path) -> None:
    transcript = example / "sources" / "p03-interview.docx"
    assert read_source_text(transcript) == python_docx_text(transcript)
    made = docx.Document()
    paragraph = made.add_paragraph("Eerste regel\tmet tab")
    paragraph.add_run().add_break()
    paragraph.add_run("na de regelbreuk, “aanhalingstekens” en één accent")
    made.add_paragraph("")
    made.add_paragraph("Laatste alinea.")
    target = tmp_path / "made.docx"
    made.save(str(target))
    assert read_source_text(target) == python_docx_text(target)


def test_quotes_in_a_word_transcript_are_located(example: Path) -> None:
    study = ol_analysis.load_study(example)
    assert study.sources is not None
    located = [q for q in study.sources.quotes if q.doc == "p03-interview"]
    assert len(located) == 4
    text = study.sources.documents["p03-interview"].text
    assert text is not None
    for quote in located:
        line = text.splitlines()[quote.line - 1]
        assert line[quote.column - 1 :].startswith(study.sources.passage(quote)[:15])


def test_a_file_that_is_not_a_word_document(tmp_path: Path) -> None:
    fake = tmp_path / "fake.docx"
    fake.write_text("plain text, not a zip", encoding="utf-8")
    with pytest.raises(SourceReadError, match="not a Word document"):
        read_source_text(fake)
