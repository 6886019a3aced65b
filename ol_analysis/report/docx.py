"""The report as a Word document, converted from the rendered Markdown chapters.

The DOCX is made from the same Markdown the HTML comes from, so a study's own templates shape
every output alike. The conversion uses python-docx and gives real Word structure: ``#``/``##``
headings become the Heading 1/2 styles (Word's navigation pane and table of contents use them),
Markdown tables become Word tables, lists use the List Bullet/Number styles and a figure
(``![caption](figures/x.svg)``) becomes its PNG twin inline, with the caption underneath. Word
cannot show SVG in older versions and python-docx cannot embed it, hence the PNGs that
``figures.write_figures`` writes next to every SVG.

**Tables** get a fixed layout whose column widths follow their content, so neither Word nor
LibreOffice has to guess (LibreOffice otherwise breaks a header such as "Stelling" letter by
letter). Every column gets at least the width of its longest word and the rest of the 16 cm text
width goes to the columns with the most text, in proportion (a long statement or label column
ends up widest; a narrow table stays narrow). Widths are estimated from the advance widths of
DejaVu Sans and Serif, the widest fonts the template's Cambria and Calibri are shown in (by
LibreOffice, when Caladea and Carlito are missing), so a word that fits the estimate fits. When the
longest words do not fit side by side, the table is set in 10, 9 and at last 8 pt; when even 8 pt
does not fit (a matrix with a column per case of a big study) the table is split into several
tables of the same rows, each repeating the first column, rather than breaking words: no page
holds hundreds of columns. Only a single word wider than the text width is broken.

**Footnotes**: ``[^label]`` references with a ``[^label]: text`` definition in the same chapter
(what ``build --footnotes`` writes) become real Word footnotes, numbered through the document;
python-docx has no footnote API, so the footnotes part, its styles and its separators are written
here. **Document properties** (title, author, dates, subject, comments) come from the caller —
for a build, from its provenance — and the ZIP entries carry the build date, so the same
provenance gives the same bytes.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlparse

from ol_analysis.safe_write import write_bytes_atomic
from ol_analysis.version import __version__

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.table import Table
    from docx.text.paragraph import Paragraph
    from docx.text.run import Run
    from markdown_it import MarkdownIt
    from markdown_it.tree import SyntaxTreeNode

    from ol_analysis.report.data import ReportData

MAX_IMAGE_WIDTH_CM = 16.0  # A4 minus 2.5 cm margins
LIST_STYLES = {"bullet_list": "List Bullet", "ordered_list": "List Number"}
DEFAULT_AUTHOR = "ol-analysis"

TEXT_WIDTH_TWIPS = 9070  # 16 cm: A4 minus 2.5 cm margins (1 cm = 567 twips)
CELL_MARGIN_TWIPS = 57  # 0.1 cm left and right of a cell's text (Word's default is 0.19 cm)
COLUMN_SLACK_TWIPS = 40  # borders and rounding
BODY_PT = 11.0  # the template's Normal size
TABLE_PT = (11.0, 10.0, 9.0, 8.0)  # tried in turn until the longest words fit side by side

# Advance widths (1/1000 em) for ASCII 32–126, regular and bold: the wider of DejaVu Sans and
# DejaVu Serif, what LibreOffice shows Calibri and Cambria (the template's fonts) in when
# Carlito and Caladea are missing. Those fonts, and Word's own, are narrower: an estimate with
# these widths is on the safe side.
_REGULAR = (
    318, 402, 460, 838, 636, 950, 890, 275, 390, 390, 500, 838, 318, 361, 318, 337,
    636, 636, 636, 636, 636, 636, 636, 636, 636, 636, 337, 337, 838, 838, 838, 536,
    1000, 722, 735, 765, 802, 730, 694, 799, 872, 395, 401, 747, 664, 1024, 875, 820,
    673, 820, 753, 685, 667, 843, 722, 1028, 712, 660, 695, 390, 337, 390, 838, 500,
    500, 613, 640, 560, 640, 615, 370, 640, 644, 320, 310, 606, 320, 974, 644, 612,
    640, 640, 478, 521, 402, 644, 592, 856, 592, 592, 527, 636, 337, 636, 838,
)  # fmt: skip
_BOLD = (
    348, 456, 521, 838, 696, 1002, 903, 306, 473, 473, 523, 838, 380, 415, 380, 365,
    696, 696, 696, 696, 696, 696, 696, 696, 696, 696, 400, 400, 838, 838, 838, 586,
    1000, 776, 845, 796, 867, 762, 710, 854, 945, 468, 473, 869, 703, 1107, 914, 871,
    752, 871, 831, 722, 744, 872, 776, 1123, 776, 724, 730, 473, 365, 473, 838, 500,
    500, 675, 716, 609, 716, 678, 435, 716, 727, 380, 362, 693, 380, 1058, 727, 687,
    716, 716, 527, 595, 478, 727, 652, 924, 645, 652, 582, 712, 365, 712, 838,
)  # fmt: skip
_OTHER_EM = 1000  # a character outside ASCII that is no accented letter: ✓, ±, —, …
_CODE_EM = 620  # a character of inline code (Courier New, Liberation Mono, DejaVu Sans Mono)
_NOTE_MARK_EM = 1250  # a footnote mark: up to three superscript digits

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
FOOTNOTES_PART = "/word/footnotes.xml"
_FOOTNOTES_XML = f"""\
<w:footnotes xmlns:w="{W_NS}">
<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" w:line="240" \
w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>
<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0" \
w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>
</w:footnotes>"""
_FOOTNOTE_STYLES = (
    f"""<w:style xmlns:w="{W_NS}" w:type="paragraph" w:styleId="FootnoteText">
<w:name w:val="footnote text"/><w:basedOn w:val="Normal"/><w:uiPriority w:val="99"/>
<w:unhideWhenUsed/><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>
<w:rPr><w:sz w:val="20"/><w:szCs w:val="20"/></w:rPr></w:style>""",
    f"""<w:style xmlns:w="{W_NS}" w:type="character" w:styleId="FootnoteReference">
<w:name w:val="footnote reference"/><w:basedOn w:val="DefaultParagraphFont"/>
<w:uiPriority w:val="99"/><w:unhideWhenUsed/><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>
</w:style>""",
)
# The settings that may follow w:footnotePr (ECMA-376 CT_Settings), to insert it in order.
_AFTER_FOOTNOTE_PR = ("endnotePr", "compat", "docVars", "rsids", "mathPr", "attachedSchema",
                      "themeFontLang", "clrSchemeMapping", "doNotIncludeSubdocsInStats",
                      "doNotAutoCompressPictures", "forceUpgrade", "captions",
                      "readModeInkLockDown", "smartTagType", "schemaLibrary", "shapeDefaults",
                      "doNotEmbedSmartTags", "decimalSymbol", "listSeparator")  # fmt: skip

_NOTE_DEFINITION = re.compile(r"^ {0,3}\[\^([^\]\s]+)\]:[ \t]?(.*)$")
_NOTE_REFERENCE = re.compile(r"\[\^([^\]\s]+)\]")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_MARK = re.compile("\ue000(\\d+)\ue001")  # a footnote reference, once its chapter is prepared
_ZIP_EPOCH = dt.datetime(1980, 1, 1)


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
    author: str = DEFAULT_AUTHOR,
    date: str | dt.date | None = None,
    subject: str = "",
    comments: str = "",
) -> bytes:
    """Convert chapters to the bytes of one .docx (nothing is written).

    ``drop_closing_footer`` leaves out what follows a chapter's last rule (``---``) when that
    is one paragraph: the provenance line a build puts under every Markdown chapter, which the
    DOCX shows once, in the page footer. ``author``, ``subject`` and ``comments`` go into the
    document properties; ``date`` (an ISO date or date-time; today when ``None`` or unreadable)
    is the created and modified date and the time stamp of every ZIP entry.
    """
    import docx
    from docx.shared import Cm
    from markdown_it import MarkdownIt
    from markdown_it.tree import SyntaxTreeNode

    when = _datetime(date)
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2.5))
    _set_properties(document, title, lang, author, when, subject, comments)
    if footer:
        section.footer.paragraphs[0].text = footer
    document.add_heading(title, level=0)
    parser = MarkdownIt("commonmark").enable("table")
    notes = _Footnotes(document, parser)
    for index, chapter in enumerate(chapters):
        if index and page_break_between_chapters:
            document.add_page_break()
        markdown = notes.prepare(chapter.markdown)
        blocks = SyntaxTreeNode(parser.parse(markdown)).children
        if drop_closing_footer and len(blocks) >= 2 and blocks[-2].type == "hr":
            blocks = blocks[:-2] if blocks[-1].type == "paragraph" else blocks
        _Writer(document, chapter.base, notes).blocks(blocks)
    buffer = io.BytesIO()
    document.save(buffer)
    return _fixed_zip(buffer.getvalue(), when)


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
    into the page footer instead of closing every chapter, and into the document properties:
    the build date as created/modified date, framework id and version as subject, the whole
    provenance line as comments. ``figures`` is accepted for the build's hook signature; the
    links in the Markdown already name every figure.
    """
    del figures
    base = Path(out_dir).parent / "md"
    parts = [Chapter(chapter.markdown, base) for chapter in chapters]
    footer = provenance_line(provenance) if provenance is not None else ""
    content = markdown_to_docx(
        parts,
        title=data.title,
        footer=footer,
        lang=data.lang,
        drop_closing_footer=True,
        date=getattr(provenance, "date", None),
        subject=(f"{provenance.framework_id} {provenance.framework_version}" if provenance else ""),
        comments=footer,
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


def _datetime(date: str | dt.date | None) -> dt.datetime:
    """The document's date as a naive UTC date-time; midnight for a date; today if unreadable."""
    if isinstance(date, dt.datetime):
        value = date
    elif isinstance(date, dt.date):
        value = dt.datetime(date.year, date.month, date.day)
    else:
        try:
            value = dt.datetime.fromisoformat(str(date).strip())
        except ValueError:
            today = dt.date.today()
            value = dt.datetime(today.year, today.month, today.day)
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return value.replace(microsecond=0)


def _set_properties(
    document: DocxDocument,
    title: str,
    lang: str,
    author: str,
    when: dt.datetime,
    subject: str,
    comments: str,
) -> None:
    """The core properties, all of them ours: nothing is left from python-docx's template."""
    properties = document.core_properties
    properties.title = title
    properties.language = lang
    properties.author = properties.last_modified_by = author
    properties.created = properties.modified = when
    properties.revision = 1
    properties.subject = subject
    properties.comments = comments
    properties.keywords = properties.category = ""
    package = document.part.package
    for rel_id, rel in list(package.rels.items()):  # the template's thumbnail is not ours
        if rel.reltype.endswith("/metadata/thumbnail"):
            del package.rels[rel_id]


_APP_PROPERTIES = (
    "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"'
    ' xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    "<Application>ol-analysis {version}</Application><DocSecurity>0</DocSecurity>"
    "<ScaleCrop>false</ScaleCrop><LinksUpToDate>false</LinksUpToDate>"
    "<SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged></Properties>"
)


def _fixed_zip(content: bytes, when: dt.datetime) -> bytes:
    """The package again, with every entry stamped ``when`` (not the time of saving), and
    extended properties of our own: python-docx's template names "Microsoft Macintosh Word"
    as the application and a page and word count of its empty document."""
    stamp = max(when, _ZIP_EPOCH).timetuple()[:6]
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(content)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for entry in source.infolist():
            fixed = zipfile.ZipInfo(entry.filename, date_time=stamp)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.create_system = 3
            fixed.external_attr = 0o644 << 16
            data = source.read(entry)
            if entry.filename == "docProps/app.xml":
                data = _APP_PROPERTIES.format(version=__version__).encode("utf-8")
            target.writestr(fixed, data)
    return out.getvalue()


@dataclass(frozen=True)
class TablePlan:
    """How a Markdown table is set: font size, and one (columns, widths in twips) per table."""

    size: float
    parts: tuple[tuple[tuple[int, ...], tuple[int, ...]], ...]


def plan_table(
    longest: Sequence[int], natural: Sequence[int], available: int = TEXT_WIDTH_TWIPS
) -> TablePlan:
    """Font size and column widths from each column's longest word and longest cell (1/1000 em).

    The largest of :data:`TABLE_PT` at which every column holds its longest word wins; the
    width left over goes to the columns in proportion to how much more their longest cell needs
    (a table whose cells all fit on one line keeps its natural width). When not even 8 pt fits,
    the columns are split over several tables that each repeat the first column.
    """
    for size in TABLE_PT:
        widths = _widths(longest, natural, size, available)
        if widths is not None:
            return TablePlan(size, ((tuple(range(len(longest))), widths),))
    size = TABLE_PT[-1]
    mins = [_twips(em, size) for em in longest]
    groups: list[list[int]] = []
    current, used = [0], mins[0]
    for column in range(1, len(longest)):
        if len(current) > 1 and used + mins[column] > available:
            groups.append(current)
            current, used = [0], mins[0]
        current.append(column)
        used += mins[column]
    groups.append(current)
    parts = []
    for group in groups:
        sub_longest = [longest[c] for c in group]
        widths = _widths(sub_longest, [natural[c] for c in group], size, available)
        if widths is None:  # a word wider than the page: squeeze, it breaks anyway
            sub_mins = [_twips(em, size) for em in sub_longest]
            total = sum(sub_mins)
            widths = tuple(m * available // total for m in sub_mins)
        parts.append((tuple(group), widths))
    return TablePlan(size, tuple(parts))


def _twips(em: int, size: float) -> int:
    """A column's width in twips for text ``em`` thousandths of an em wide at ``size`` pt."""
    return -(-int(em * size * 20) // 1000) + 2 * CELL_MARGIN_TWIPS + COLUMN_SLACK_TWIPS


def _widths(
    longest: Sequence[int], natural: Sequence[int], size: float, available: int
) -> tuple[int, ...] | None:
    mins = [_twips(em, size) for em in longest]
    if sum(mins) > available:
        return None
    wants = [
        min(max(_twips(em, size), low), available) for em, low in zip(natural, mins, strict=True)
    ]
    if sum(wants) <= available:
        return tuple(wants)
    spare, extra = available - sum(mins), sum(w - m for w, m in zip(wants, mins, strict=True))
    return tuple(m + (w - m) * spare // extra for w, m in zip(wants, mins, strict=True))


def _char_em(char: str, bold: bool) -> int:
    table = _BOLD if bold else _REGULAR
    code = ord(char)
    if 32 <= code < 127:
        return table[code - 32]
    base = unicodedata.normalize("NFD", char)[:1]
    if base and 32 <= ord(base) < 127:
        return table[ord(base) - 32]
    return _OTHER_EM


def _cell_extent(node: SyntaxTreeNode | None, bold: bool) -> tuple[int, int]:
    """A cell's longest word and its whole text on one line, in thousandths of an em."""
    widths: list[int] = []  # one per character; 0 for a space
    if node is not None:
        _char_widths(node.children, bold, widths)
    longest = word = total = 0
    for width in widths:
        total += width or _REGULAR[0]
        word = 0 if width == 0 else word + width
        longest = max(longest, word)
    return longest, total


def _char_widths(nodes: Sequence[SyntaxTreeNode], bold: bool, out: list[int]) -> None:
    for node in nodes:
        kind = node.type
        if kind in ("text", "image"):
            for index, piece in enumerate(_MARK.split(node.content)):
                if index % 2:  # a footnote mark: its number
                    out.append(_NOTE_MARK_EM)
                else:
                    out.extend(0 if c.isspace() else _char_em(c, bold) for c in piece)
        elif kind == "code_inline":
            out.extend(0 if c.isspace() else _CODE_EM for c in node.content)
        elif kind in ("softbreak", "hardbreak"):
            out.append(0)
        elif kind == "strong":
            _char_widths(node.children, True, out)
        else:
            _char_widths(node.children, bold, out)


class _Footnotes:
    """The document's footnotes: definitions gathered per chapter, the part made on first use.

    :meth:`prepare` takes a chapter's ``[^label]: text`` definitions out of its Markdown and
    replaces each reference to one of them by a private-use mark that the Markdown parser
    leaves alone; :meth:`reference` turns a mark into a footnote and its reference run.
    """

    def __init__(self, document: DocxDocument, parser: MarkdownIt) -> None:
        self.document = document
        self.parser = parser
        self.texts: list[str] = []  # the definition behind each mark, in mark order
        self.labels: list[str] = []
        self.count = 0
        self._root: Any = None

    def prepare(self, markdown: str) -> str:
        lines = markdown.split("\n")
        definitions: dict[str, str] = {}
        kept: list[str] = []
        fence = ""
        current: str | None = None
        for line in lines:
            if fence:
                kept.append(line)
                if line.strip().startswith(fence):
                    fence = ""
                continue
            if current is not None and line.startswith(("    ", "\t")) and line.strip():
                definitions[current] += "\n" + line.strip()
                continue
            current = None
            opening = _FENCE.match(line)
            definition = _NOTE_DEFINITION.match(line)
            if opening:
                fence = opening[1][:3]
            elif definition and definition[1] not in definitions:
                current = definition[1]
                definitions[current] = definition[2]
                continue
            kept.append(line)
        if not definitions:
            return markdown
        out, fence = [], ""
        for line in kept:
            opening = _FENCE.match(line)
            if fence or opening:
                if fence and line.strip().startswith(fence):
                    fence = ""
                elif not fence and opening:
                    fence = opening[1][:3]
                out.append(line)
                continue
            out.append(_NOTE_REFERENCE.sub(lambda m: self._mark(m[1], definitions), line))
        return "\n".join(out)

    def _mark(self, label: str, definitions: Mapping[str, str]) -> str:
        if label not in definitions:
            return f"[^{label}]"
        self.texts.append(definitions[label])
        self.labels.append(label)
        return f"\ue000{len(self.texts) - 1}\ue001"

    def restore(self, text: str) -> str:
        """``text`` with its marks as the ``[^label]`` they stood for (for code and alt text)."""
        return _MARK.sub(lambda m: f"[^{self.labels[int(m[1])]}]", text)

    def reference(self, paragraph: Paragraph, mark: int, style: _Style) -> None:
        """A footnote with the text behind ``mark``, referenced from the end of ``paragraph``."""
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        note_id = self._add(self.texts[mark], style)
        run = paragraph.add_run()
        run._r.get_or_add_rPr().style = "FootnoteReference"
        if style.size is not None:
            run.font.size = _pt(style.size)
        reference = OxmlElement("w:footnoteReference")
        reference.set(qn("w:id"), str(note_id))
        run._r.append(reference)

    def _add(self, text: str, style: _Style) -> int:
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn
        from docx.text.paragraph import Paragraph

        root = self._part()
        self.count += 1
        note = OxmlElement("w:footnote")
        note.set(qn("w:id"), str(self.count))
        root.append(note)
        inlines = list(_inlines(self.parser.parse(text)))
        for index, inline in enumerate(inlines or [None]):
            p = OxmlElement("w:p")
            note.append(p)
            p.get_or_add_pPr().style = "FootnoteText"
            paragraph = Paragraph(p, None)  # type: ignore[arg-type]
            if index == 0:
                mark = paragraph.add_run()
                mark._r.get_or_add_rPr().style = "FootnoteReference"
                mark._r.append(OxmlElement("w:footnoteRef"))
                paragraph.add_run(" ")
            if inline is not None:
                _runs(paragraph, inline.children, _Style(), None)
        return self.count

    def _part(self) -> Any:
        if self._root is None:
            from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
            from docx.opc.packuri import PackURI
            from docx.opc.part import XmlPart
            from docx.oxml.parser import parse_xml

            self._root = parse_xml(_FOOTNOTES_XML.encode())
            main = self.document.part
            part = XmlPart(
                PackURI(FOOTNOTES_PART), CONTENT_TYPE.WML_FOOTNOTES, self._root, main.package
            )
            main.relate_to(part, RELATIONSHIP_TYPE.FOOTNOTES)
            _add_footnote_styles(self.document)
        return self._root


def _inlines(tokens: Any) -> Iterator[SyntaxTreeNode]:
    """The inline content of every paragraph or heading in a parsed Markdown text, in order."""
    from markdown_it.tree import SyntaxTreeNode

    for node in SyntaxTreeNode(tokens).walk():
        if node.type == "inline":
            yield node


def _add_footnote_styles(document: DocxDocument) -> None:
    """The Footnote Text and Footnote Reference styles, and the separators in the settings."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.oxml.parser import parse_xml

    styles = document.styles.element
    present = {s.get(qn("w:styleId")) for s in styles.findall(qn("w:style"))}
    for xml in _FOOTNOTE_STYLES:
        style = parse_xml(xml.encode())
        if style.get(qn("w:styleId")) not in present:
            styles.append(style)
    settings = document.settings.element
    if settings.find(qn("w:footnotePr")) is None:
        properties = OxmlElement("w:footnotePr")
        for special in ("-1", "0"):
            separator = OxmlElement("w:footnote")
            separator.set(qn("w:id"), special)
            properties.append(separator)
        follower = next(
            (c for c in settings if str(c.tag).rsplit("}", 1)[-1] in _AFTER_FOOTNOTE_PR), None
        )
        if follower is None:
            settings.append(properties)
        else:
            follower.addprevious(properties)


def _pt(size: float) -> Any:
    from docx.shared import Pt

    return Pt(size)


@dataclass(frozen=True)
class _Style:
    """How an inline run looks."""

    bold: bool = False
    italic: bool = False
    size: float | None = None  # pt; None: the paragraph style's


class _Writer:
    """Walks a markdown-it syntax tree and appends the matching Word blocks."""

    def __init__(self, document: DocxDocument, base: Path, notes: _Footnotes) -> None:
        self.document = document
        self.base = base
        self.notes = notes
        self._style_ids: dict[str, str | None] = {}

    def add_paragraph(self, text: str = "", style: str | None = None) -> Paragraph:
        """``document.add_paragraph(text, style)``, each style's id looked up once: python-docx
        looks it up on every call, scanning every style of the document (at 600 cases a
        quarter of the DOCX's time)."""
        from docx.enum.style import WD_STYLE_TYPE

        paragraph = self.document.add_paragraph(text)
        if style is not None:
            if style not in self._style_ids:
                part = self.document.part
                self._style_ids[style] = part.get_style_id(style, WD_STYLE_TYPE.PARAGRAPH)
            paragraph._p.style = self._style_ids[style]
        return paragraph

    def blocks(self, nodes: Sequence[SyntaxTreeNode], list_depth: int = 0) -> None:
        for node in nodes:
            self.block(node, list_depth)

    def block(self, node: SyntaxTreeNode, list_depth: int) -> None:
        kind = node.type
        if kind == "heading":
            level = min(int(node.tag[1]), 9)
            heading = self.add_paragraph(style=f"Heading {level}")
            self.inline(heading, node.children[0] if node.children else None)
        elif kind == "paragraph":
            self.paragraph(node)
        elif kind in LIST_STYLES:
            self.list(node, list_depth + 1)
        elif kind == "table":
            self.table(node)
        elif kind == "blockquote":
            for child in node.children:
                quote = self.add_paragraph(style="Quote")
                self.inline(quote, child.children[0] if child.children else None)
        elif kind in ("fence", "code_block"):
            self.code(self.notes.restore(node.content))
        # hr, html_block and front matter carry nothing a Word reader needs.

    def paragraph(self, node: SyntaxTreeNode, style: str | None = None) -> None:
        inline = node.children[0] if node.children else None
        images = [c for c in inline.children if c.type == "image"] if inline else []
        if inline is not None and len(images) == 1 and len(inline.children) == 1:
            self.figure(images[0])
            return
        self.inline(self.add_paragraph(style=style), inline)

    def list(self, node: SyntaxTreeNode, depth: int) -> None:
        if node.type == "ordered_list":
            self.numbered_list(node, depth)
            return
        base = LIST_STYLES[node.type]
        style = base if depth == 1 else f"{base} {min(depth, 3)}"
        for item in node.children:
            for child in item.children:
                if child.type == "paragraph":
                    self.paragraph(child, style)
                else:
                    self.block(child, depth)

    def numbered_list(self, node: SyntaxTreeNode, depth: int) -> None:
        """An ordered list with its own numbers, written out ("1.", "2.", … from the list's
        start), on a hanging indent wide enough for two digits. Word's List Number style would
        continue one numbering through every list of the document and set "10." against the
        text."""
        from docx.shared import Cm

        start = int(str(node.attrs.get("start", 1) or 1))
        for number, item in enumerate(node.children, start=start):
            for index, child in enumerate(item.children):
                if index > 0 or child.type != "paragraph":
                    self.block(child, depth + 1)
                    continue
                paragraph = self.add_paragraph(style="List Number")
                numbering = paragraph.paragraph_format
                numbering.left_indent = Cm(0.9 * depth)
                numbering.first_line_indent = Cm(-0.9)
                _no_auto_number(paragraph)
                paragraph.add_run(f"{number}.\t")
                self.inline(paragraph, child.children[0] if child.children else None)

    def table(self, node: SyntaxTreeNode) -> None:
        """A Markdown table as one or more Word tables laid out by :func:`plan_table`."""
        rows: list[tuple[bool, list[SyntaxTreeNode | None]]] = []
        for section in node.children:
            for row in section.children:
                cells = [cell.children[0] if cell.children else None for cell in row.children]
                rows.append((section.type == "thead", cells))
        if not rows:
            return
        width = max(len(cells) for _head, cells in rows)
        longest, natural = [0] * width, [0] * width
        for is_head, cells in rows:
            for column, cell in enumerate(cells):
                word, line = _cell_extent(cell, is_head)
                longest[column] = max(longest[column], word)
                natural[column] = max(natural[column], line)
        aligns = [""] * width
        for section in node.children:
            for row in section.children:
                for column, cell in enumerate(row.children):
                    aligns[column] = aligns[column] or str(cell.attrs.get("style", ""))
        plan = plan_table(longest, natural)
        size = plan.size if plan.size < BODY_PT else None
        for columns, widths in plan.parts:
            self._table(rows, columns, widths, [aligns[c] for c in columns], size)
            self.document.add_paragraph()

    def _table(
        self,
        rows: Sequence[tuple[bool, Sequence[SyntaxTreeNode | None]]],
        columns: Sequence[int],
        widths: Sequence[int],
        aligns: Sequence[str],
        size: float | None,
    ) -> Table:
        """One Word table: fixed layout, ``widths`` in its grid and in every cell, filled
        row by row (python-docx's ``Table.cell`` rebuilds the table's cell list per call)."""
        from docx.enum.table import WD_TABLE_ALIGNMENT
        from docx.shared import Twips
        from docx.table import _Cell
        from docx.text.paragraph import Paragraph

        table = self.document.add_table(rows=0, cols=len(columns))
        table.style = self.document.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False  # w:tblLayout fixed: the widths below are the widths
        for grid_column, twips in zip(table._tbl.tblGrid.gridCol_lst, widths, strict=True):
            grid_column.w = Twips(twips)
        _table_width_and_margins(table, sum(widths))
        cell_style = _Style(size=size)
        templates = {head: _row_template(table, head, aligns) for head in (False, True)}
        for is_head, cells in rows:
            row = copy.deepcopy(templates[is_head])  # a copy: add_row costs 3 ms a row
            table._tbl._insert_tr(row)
            style = replace(cell_style, bold=is_head)
            for tc, column in zip(row.tc_lst, columns, strict=True):
                cell = cells[column] if column < len(cells) else None
                if cell is not None:
                    paragraph = Paragraph(tc.p_lst[0], _Cell(tc, table))
                    _runs(paragraph, cell.children, style, self.notes)
        return table

    def figure(self, image: SyntaxTreeNode) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.image.exceptions import (
            InvalidImageStreamError,
            UnexpectedEndOfFileError,
            UnrecognizedImageError,
        )
        from docx.shared import Cm

        caption = self.notes.restore(image.content or str(image.attrs.get("title", "") or ""))
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
            self.add_paragraph(f"[{caption}]", style="Caption")
            return
        if picture.width > Cm(MAX_IMAGE_WIDTH_CM):
            ratio = Cm(MAX_IMAGE_WIDTH_CM) / picture.width
            picture.width, picture.height = Cm(MAX_IMAGE_WIDTH_CM), int(picture.height * ratio)
        self.document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
        if caption:
            self.add_paragraph(caption, style="Caption")

    def code(self, text: str) -> None:
        paragraph = self.add_paragraph(style="No Spacing")
        run = paragraph.add_run(text.rstrip("\n"))
        run.font.name = "Courier New"

    def inline(self, paragraph: Paragraph, node: SyntaxTreeNode | None, bold: bool = False) -> None:
        if node is not None:
            _runs(paragraph, node.children, _Style(bold=bold), self.notes)


def _no_auto_number(paragraph: Paragraph) -> None:
    """Switch off the style's automatic numbering for this paragraph (numId 0), keeping the
    List Number style for its spacing and for readers that look for numbered lists."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = paragraph._p.get_or_add_pPr()
    numbering = OxmlElement("w:numPr")
    for tag, value in (("w:ilvl", "0"), ("w:numId", "0")):
        element = OxmlElement(tag)
        element.set(qn("w:val"), value)
        numbering.append(element)
    style = properties.find(qn("w:pStyle"))
    if style is None:
        properties.insert(0, numbering)
    else:
        style.addnext(numbering)


def _runs(
    paragraph: Paragraph,
    nodes: Sequence[SyntaxTreeNode],
    style: _Style,
    notes: _Footnotes | None,
) -> None:
    """Inline Markdown as Word runs: bold, italic and code keep their look; links their text;
    footnote marks become footnotes (``notes`` is ``None`` inside a footnote)."""
    for node in nodes:
        kind = node.type
        if kind == "text":
            for index, piece in enumerate(_MARK.split(node.content)):
                if index % 2 == 0:
                    if piece:
                        _run(paragraph, piece, style)
                elif notes is not None:
                    notes.reference(paragraph, int(piece), style)
        elif kind == "softbreak":
            _run(paragraph, " ", style)
        elif kind == "hardbreak":
            paragraph.add_run().add_break()
        elif kind == "strong":
            _runs(paragraph, node.children, replace(style, bold=True), notes)
        elif kind == "em":
            _runs(paragraph, node.children, replace(style, italic=True), notes)
        elif kind == "code_inline":
            content = notes.restore(node.content) if notes else node.content
            _run(paragraph, content, style).font.name = "Courier New"
        elif kind == "link":
            _runs(paragraph, node.children, style, notes)
        elif kind == "image":
            _run(paragraph, notes.restore(node.content) if notes else node.content, style)


_SPECIAL = re.compile(r"[\t\n\r]")


def _run(paragraph: Paragraph, text: str, style: _Style) -> Run:
    """A run of ``text`` in ``style`` at the end of ``paragraph``: a copy of the style's empty
    run (python-docx builds a run's properties element by element, 0.3 ms a run)."""
    from docx.text.run import Run

    element = copy.deepcopy(_empty_run(style))
    paragraph._p._insert_r(element)
    run = Run(element, paragraph)
    if _SPECIAL.search(text):
        run.text = text  # tabs and breaks become their own elements
    elif text:
        element.add_t(text)  # what run.text makes of plain text, without its per-character loop
    return run


@cache
def _empty_run(style: _Style) -> Any:
    """An empty run with the properties ``style`` asks for, as python-docx writes them."""
    from docx.oxml import OxmlElement
    from docx.text.paragraph import Paragraph

    run = Paragraph(OxmlElement("w:p"), None).add_run()  # type: ignore[arg-type]
    run.bold = style.bold or None
    run.italic = style.italic or None
    if style.size is not None:
        run.font.size = _pt(style.size)
    run._r.getparent().remove(run._r)
    return run._r


def _row_template(table: Table, head: bool, aligns: Sequence[str]) -> Any:
    """An empty row of ``table`` as python-docx's ``add_row`` makes it (every cell with its
    column's width), marked as a header row when ``head``, each cell aligned as its column;
    taken out of the table, for copies."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    row = table.add_row()
    if head:
        _repeat_as_header(row)
    for cell, align in zip(row.cells, aligns, strict=True):
        if "right" in align:
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
        elif "center" in align:
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    table._tbl.remove(row._tr)
    return row._tr


def _table_width_and_margins(table: Table, width: int) -> None:
    """``w:tblW`` as the sum of the columns, and narrow left/right cell margins."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = table._tbl.tblPr
    table_width = properties.find(qn("w:tblW"))
    if table_width is None:
        table_width = OxmlElement("w:tblW")
        properties.append(table_width)
    table_width.set(qn("w:type"), "dxa")
    table_width.set(qn("w:w"), str(width))
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), str(CELL_MARGIN_TWIPS))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    look = properties.find(qn("w:tblLook"))
    if look is None:
        properties.append(margins)
    else:
        look.addprevious(margins)


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
