"""The report as a Word document, converted from the rendered Markdown chapters.

The DOCX is made from the same Markdown the HTML comes from, so a study's own templates shape
every output alike. The conversion uses python-docx and gives real Word structure: ``#``/``##``
headings become the Heading 1/2 styles (Word's navigation pane and table of contents use them),
Markdown tables become Word tables, lists use the List Bullet/Number styles and a figure
(``![caption](figures/x.svg)``) becomes its PNG twin inline, with the caption underneath. Word
cannot show SVG in older versions and python-docx cannot embed it, hence the PNGs that
``figures.write_figures`` writes next to every SVG.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlparse

from ol_analysis.safe_write import write_bytes_atomic

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.text.paragraph import Paragraph
    from markdown_it.tree import SyntaxTreeNode

    from ol_analysis.report.data import ReportData

MAX_IMAGE_WIDTH_CM = 16.0  # A4 minus 2.5 cm margins
LIST_STYLES = {"bullet_list": "List Bullet", "ordered_list": "List Number"}


@dataclass(frozen=True)
class Chapter:
    """One Markdown chapter; images are resolved relative to ``base``."""

    markdown: str
    base: Path


def chapter_files(md_dir: Path) -> list[Path]:
    """The chapter files of a Markdown folder in report order (their names sort that way)."""
    return sorted(p for p in Path(md_dir).glob("*.md") if p.is_file())


def markdown_to_docx(
    chapters: Sequence[Chapter],
    *,
    title: str,
    footer: str = "",
    lang: str = "nl",
    page_break_between_chapters: bool = True,
    drop_closing_footer: bool = False,
) -> bytes:
    """Convert chapters to the bytes of one .docx (nothing is written).

    ``drop_closing_footer`` leaves out what follows a chapter's last rule (``---``) when that
    is one paragraph: the provenance line a build puts under every Markdown chapter, which the
    DOCX shows once, in the page footer.
    """
    import docx
    from docx.shared import Cm
    from markdown_it import MarkdownIt
    from markdown_it.tree import SyntaxTreeNode

    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2.5))
    document.core_properties.title = title
    document.core_properties.language = lang
    if footer:
        section.footer.paragraphs[0].text = footer
    document.add_heading(title, level=0)
    parser = MarkdownIt("commonmark").enable("table")
    for index, chapter in enumerate(chapters):
        if index and page_break_between_chapters:
            document.add_page_break()
        blocks = SyntaxTreeNode(parser.parse(chapter.markdown)).children
        if drop_closing_footer and len(blocks) >= 2 and blocks[-2].type == "hr":
            blocks = blocks[:-2] if blocks[-1].type == "paragraph" else blocks
        _Writer(document, chapter.base).blocks(blocks)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def write_docx(
    data: ReportData,
    out_dir: Path,
    *,
    chapters: Sequence[Any],
    figures: Mapping[str, Any] | None = None,
    provenance: Any = None,
) -> list[Path]:
    """The build's hook: ``out_dir/report.docx`` from the rendered chapters, in their order.

    ``chapters`` are the build's rendered chapters (``.markdown``, written to the sibling
    ``md/`` folder, whose relative figure links are resolved from there); the provenance goes
    into the page footer instead of closing every chapter. ``figures`` is accepted for the
    build's hook signature; the links in the Markdown already name every figure.
    """
    del figures
    base = Path(out_dir).parent / "md"
    parts = [Chapter(chapter.markdown, base) for chapter in chapters]
    footer = provenance_line(provenance) if provenance is not None else ""
    content = markdown_to_docx(
        parts, title=data.title, footer=footer, lang=data.lang, drop_closing_footer=True
    )
    out_file = Path(out_dir) / "report.docx"
    out_file.parent.mkdir(parents=True, exist_ok=True)
    write_bytes_atomic(out_file, content)
    return [out_file]


def provenance_line(provenance: Any) -> str:
    """``framework-id version · commit · date``, the build's provenance in one line."""
    commit = provenance.commit or "-"
    if provenance.commit and getattr(provenance, "dirty", False):
        commit += "+"
    return (
        f"{provenance.framework_id} {provenance.framework_version} · {commit} · {provenance.date}"
    )


def write_docx_from_files(
    md_files: Sequence[Path], out_file: Path, *, title: str, footer: str = "", lang: str = "nl"
) -> Path:
    """Convert Markdown files (e.g. a study's own chapters) to ``out_file``, atomically."""
    parts = [Chapter(Path(f).read_text(encoding="utf-8"), Path(f).parent) for f in md_files]
    out_file = Path(out_file)
    out_file.parent.mkdir(parents=True, exist_ok=True)
    write_bytes_atomic(out_file, markdown_to_docx(parts, title=title, footer=footer, lang=lang))
    return out_file


class _Writer:
    """Walks a markdown-it syntax tree and appends the matching Word blocks."""

    def __init__(self, document: DocxDocument, base: Path) -> None:
        self.document = document
        self.base = base

    def blocks(self, nodes: Sequence[SyntaxTreeNode], list_depth: int = 0) -> None:
        for node in nodes:
            self.block(node, list_depth)

    def block(self, node: SyntaxTreeNode, list_depth: int) -> None:
        kind = node.type
        if kind == "heading":
            level = min(int(node.tag[1]), 9)
            heading = self.document.add_heading(level=level)
            self.inline(heading, node.children[0] if node.children else None)
        elif kind == "paragraph":
            self.paragraph(node)
        elif kind in LIST_STYLES:
            self.list(node, list_depth + 1)
        elif kind == "table":
            self.table(node)
        elif kind == "blockquote":
            for child in node.children:
                quote = self.document.add_paragraph(style="Quote")
                self.inline(quote, child.children[0] if child.children else None)
        elif kind in ("fence", "code_block"):
            self.code(node.content)
        # hr, html_block and front matter carry nothing a Word reader needs.

    def paragraph(self, node: SyntaxTreeNode, style: str | None = None) -> None:
        inline = node.children[0] if node.children else None
        images = [c for c in inline.children if c.type == "image"] if inline else []
        if inline is not None and len(images) == 1 and len(inline.children) == 1:
            self.figure(images[0])
            return
        self.inline(self.document.add_paragraph(style=style), inline)

    def list(self, node: SyntaxTreeNode, depth: int) -> None:
        base = LIST_STYLES[node.type]
        style = base if depth == 1 else f"{base} {min(depth, 3)}"
        for item in node.children:
            for child in item.children:
                if child.type == "paragraph":
                    self.paragraph(child, style)
                else:
                    self.block(child, depth)

    def table(self, node: SyntaxTreeNode) -> None:
        from docx.enum.table import WD_TABLE_ALIGNMENT
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        rows: list[tuple[bool, list[SyntaxTreeNode]]] = []
        for section in node.children:
            for row in section.children:
                rows.append((section.type == "thead", list(row.children)))
        if not rows:
            return
        width = max(len(cells) for _head, cells in rows)
        table = self.document.add_table(rows=len(rows), cols=width)
        table.style = self.document.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for r, (is_head, cells) in enumerate(rows):
            if is_head:
                _repeat_as_header(table.rows[r])
            for c, cell in enumerate(cells):
                paragraph = table.cell(r, c).paragraphs[0]
                self.inline(paragraph, cell.children[0] if cell.children else None, bold=is_head)
                align = str(cell.attrs.get("style", ""))
                if "right" in align:
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                elif "center" in align:
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        self.document.add_paragraph()

    def figure(self, image: SyntaxTreeNode) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.image.exceptions import (
            InvalidImageStreamError,
            UnexpectedEndOfFileError,
            UnrecognizedImageError,
        )
        from docx.shared import Cm

        caption = image.content or str(image.attrs.get("title", "") or "")
        source = _raster_twin(self.base, str(image.attrs.get("src", "")))
        try:
            if source is None:
                raise FileNotFoundError(image.attrs.get("src"))
            picture = self.document.add_picture(str(source))  # natural size, from its dpi
        except (
            OSError,
            InvalidImageStreamError,
            UnexpectedEndOfFileError,
            UnrecognizedImageError,
        ):
            self.document.add_paragraph(f"[{caption}]", style="Caption")
            return
        if picture.width > Cm(MAX_IMAGE_WIDTH_CM):
            ratio = Cm(MAX_IMAGE_WIDTH_CM) / picture.width
            picture.width, picture.height = Cm(MAX_IMAGE_WIDTH_CM), int(picture.height * ratio)
        self.document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
        if caption:
            self.document.add_paragraph(caption, style="Caption")

    def code(self, text: str) -> None:
        paragraph = self.document.add_paragraph(style="No Spacing")
        run = paragraph.add_run(text.rstrip("\n"))
        run.font.name = "Courier New"

    def inline(self, paragraph: Paragraph, node: SyntaxTreeNode | None, bold: bool = False) -> None:
        if node is not None:
            _runs(paragraph, node.children, {"bold": bold, "italic": False})


def _runs(paragraph: Paragraph, nodes: Sequence[SyntaxTreeNode], fmt: dict[str, bool]) -> None:
    """Inline Markdown as Word runs: bold, italic and code keep their look; links their text."""
    for node in nodes:
        kind = node.type
        if kind == "text":
            _run(paragraph, node.content, fmt)
        elif kind in ("softbreak",):
            _run(paragraph, " ", fmt)
        elif kind == "hardbreak":
            paragraph.add_run().add_break()
        elif kind == "strong":
            _runs(paragraph, node.children, {**fmt, "bold": True})
        elif kind == "em":
            _runs(paragraph, node.children, {**fmt, "italic": True})
        elif kind == "code_inline":
            _run(paragraph, node.content, fmt).font.name = "Courier New"
        elif kind == "link":
            _runs(paragraph, node.children, fmt)
        elif kind == "image":
            _run(paragraph, node.content, fmt)


def _run(paragraph: Paragraph, text: str, fmt: dict[str, bool]) -> Any:
    run = paragraph.add_run(text)
    run.bold = fmt["bold"] or None
    run.italic = fmt["italic"] or None
    return run


def _repeat_as_header(row: Any) -> None:
    """Mark a table row as a header row: Word repeats it on every page the table spans."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _raster_twin(base: Path, src: str) -> Path | None:
    """The local image file a Markdown image points at, as PNG or JPEG (SVG → its .png twin)."""
    url = urlparse(src)
    if url.scheme or url.netloc or not url.path:
        return None
    path = (base / unquote(url.path)).resolve()
    candidates = [path.with_suffix(".png")] if path.suffix.lower() == ".svg" else [path]
    for candidate in candidates:
        if candidate.is_file() and candidate.suffix.lower() in (".png", ".jpg", ".jpeg"):
            return candidate
    return None
