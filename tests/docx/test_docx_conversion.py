"""Markdown chapters → DOCX: real Word headings, tables, lists and inline figures.

These tests convert small hand-written chapters; ``test_docx_report.py`` checks the DOCX a
build writes for the shipped study.
"""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from PIL import Image

from ol_analysis.report.docx import (
    Chapter,
    chapter_files,
    markdown_to_docx,
    write_docx_from_files,
)

CHAPTER = """\
# 3.1 Casusbeschrijvingen

Tekst met **vet**, *cursief*, `code` en een [link](cases/c01.html).

## Beloop

| patroon | n |
|---|--:|
| stijgend | 9 |
| **anders** | 2 |

![Beloop per casus](../figures/course_patterns.svg)

- een
- twee
  - sub

1. eerst
2. dan

> een citaat
"""


@pytest.fixture
def study_build(tmp_path: Path) -> Path:
    """A build folder with one chapter and the PNG twin of the figure it shows."""
    (tmp_path / "md").mkdir()
    (tmp_path / "figures").mkdir()
    (tmp_path / "md" / "01-casussen.md").write_text(CHAPTER, encoding="utf-8")
    (tmp_path / "md" / "02-bijlage.md").write_text("# Bijlage I\n\nNetwerk.\n", encoding="utf-8")
    (tmp_path / "figures" / "course_patterns.svg").write_text("<svg/>", encoding="utf-8")
    Image.new("RGB", (300, 150), "white").save(tmp_path / "figures" / "course_patterns.png")
    return tmp_path


def _open(path: Path) -> docx.document.Document:
    return docx.Document(str(path))


def test_headings_use_word_heading_styles(study_build: Path) -> None:
    out = write_docx_from_files(
        chapter_files(study_build / "md"), study_build / "docx" / "report.docx", title="Rapport"
    )
    document = _open(out)
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name != "Normal"]
    assert ("Title", "Rapport") in headings
    assert ("Heading 1", "3.1 Casusbeschrijvingen") in headings
    assert ("Heading 2", "Beloop") in headings
    assert ("Heading 1", "Bijlage I") in headings
    assert document.core_properties.title == "Rapport"


def test_a_markdown_table_becomes_a_word_table(study_build: Path) -> None:
    out = write_docx_from_files(
        chapter_files(study_build / "md"), study_build / "r.docx", title="R"
    )
    (table,) = _open(out).tables
    assert [[cell.text for cell in row.cells] for row in table.rows] == [
        ["patroon", "n"],
        ["stijgend", "9"],
        ["anders", "2"],
    ]
    assert table.style.name == "Table Grid"
    header = table.rows[0].cells[0].paragraphs[0].runs[0]
    assert header.bold
    assert table.rows[1].cells[1].paragraphs[0].alignment == 2  # right, as `--:` says
    assert table.rows[0]._tr.trPr.xml.count("tblHeader") == 1


def test_a_figure_is_its_png_twin_inline_with_a_caption(study_build: Path) -> None:
    out = write_docx_from_files(
        chapter_files(study_build / "md"), study_build / "r.docx", title="R"
    )
    document = _open(out)
    assert len(document.inline_shapes) == 1
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    assert captions == ["Beloop per casus"]


def test_inline_formatting_lists_and_quotes(study_build: Path) -> None:
    out = write_docx_from_files(
        chapter_files(study_build / "md"), study_build / "r.docx", title="R"
    )
    paragraphs = _open(out).paragraphs
    body = next(p for p in paragraphs if p.text.startswith("Tekst met"))
    assert body.text == "Tekst met vet, cursief, code en een link."
    assert any(run.bold and run.text == "vet" for run in body.runs)
    assert any(run.italic and run.text == "cursief" for run in body.runs)
    styles = {p.text: p.style.name for p in paragraphs}
    assert styles["een"] == "List Bullet"
    assert styles["sub"] == "List Bullet 2"
    assert styles["1.\teerst"] == "List Number"  # numbered in the text: every list from its start
    assert styles["een citaat"] == "Quote"


def test_a_missing_figure_leaves_its_caption_not_a_crash(tmp_path: Path) -> None:
    data = markdown_to_docx([Chapter("![Weg](figures/gone.svg)\n", tmp_path)], title="R")
    (tmp_path / "r.docx").write_bytes(data)
    document = _open(tmp_path / "r.docx")
    assert len(document.inline_shapes) == 0
    assert "[Weg]" in [p.text for p in document.paragraphs]


def test_an_unreadable_png_leaves_its_caption_not_a_crash(tmp_path: Path) -> None:
    (tmp_path / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    data = markdown_to_docx([Chapter("![Kapot](broken.png)\n", tmp_path)], title="R")
    (tmp_path / "r.docx").write_bytes(data)
    assert "[Kapot]" in [p.text for p in _open(tmp_path / "r.docx").paragraphs]


def test_remote_images_are_never_fetched(tmp_path: Path) -> None:
    data = markdown_to_docx(
        [Chapter("![x](https://example.org/x.png)\n", tmp_path)], title="R", footer="v1"
    )
    (tmp_path / "r.docx").write_bytes(data)
    document = _open(tmp_path / "r.docx")
    assert len(document.inline_shapes) == 0
    assert document.sections[0].footer.paragraphs[0].text == "v1"


def test_chapters_start_on_a_new_page(study_build: Path) -> None:
    out = write_docx_from_files(
        chapter_files(study_build / "md"), study_build / "r.docx", title="R"
    )
    breaks = _open(out).element.body.xml.count('w:type="page"')
    assert breaks == 1
