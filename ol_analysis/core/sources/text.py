"""Reading a source document's text: plain text, Markdown and DOCX, normalised to UTF-8 with
LF line ends and no byte-order mark (the text every offset refers to).

A DOCX is read from its XML with the standard library (and defusedxml against hostile XML),
not with python-docx: ``validate`` must not load the report's libraries (the
``[tool.importlinter]`` contract). The text is the same as python-docx's: the body's paragraphs
in document order, tables row by row, one paragraph a line, tabs and line breaks kept
(``tests/sources/test_docx.py`` compares the two).
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.etree.ElementTree import Element

from defusedxml import ElementTree

MAX_SOURCE_BYTES = 20 * 1024 * 1024
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


class SourceReadError(Exception):
    """A document that cannot be read as text (the message says why)."""


def normalise_newlines(text: str) -> str:
    """LF line ends and no byte-order mark."""
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def split_front_matter(text: str) -> tuple[str | None, str, int]:
    """A leading front matter block (``---`` lines around YAML) and the text after it, with the
    file line that text starts on; ``(None, text, 1)`` when there is none."""
    if not text.startswith("---\n"):
        return None, text, 1
    lines = text.split("\n")
    for number, line in enumerate(lines[1:], 1):
        if line.rstrip() in ("---", "..."):
            return "\n".join(lines[1:number]) + "\n", "\n".join(lines[number + 1 :]), number + 2
    return None, text, 1


def read_source_text(path: Path) -> str:
    """The normalised text of a ``.txt``, ``.md`` or ``.docx`` file."""
    try:
        if path.stat().st_size > MAX_SOURCE_BYTES:
            raise SourceReadError(f"the file is over the limit of {MAX_SOURCE_BYTES:,} bytes")
        if path.suffix.lower() == ".docx":
            return normalise_newlines(_docx_text(path))
        return normalise_newlines(path.read_bytes().decode("utf-8"))
    except UnicodeDecodeError as error:
        raise SourceReadError(
            f"the file is not UTF-8 (byte 0x{error.object[error.start]:02x} at offset "
            f"{error.start})"
        ) from None
    except OSError as error:
        raise SourceReadError(f"cannot read the file: {error.strerror or error}") from None


def _docx_text(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            xml = archive.read("word/document.xml")
    except (zipfile.BadZipFile, KeyError) as error:
        raise SourceReadError(f"not a Word document: {error}") from None
    try:
        root = ElementTree.fromstring(xml)
    except Exception as error:  # defusedxml raises its own and ElementTree's errors
        raise SourceReadError(f"the document's XML cannot be read: {error}") from None
    body = root.find(f"{_W}body")
    if body is None:
        return ""
    return "\n".join(_paragraphs(body))


def _paragraphs(parent: Element) -> list[str]:
    lines: list[str] = []
    for child in parent:
        if child.tag == f"{_W}p":
            lines.append(_paragraph_text(child))
        elif child.tag == f"{_W}tbl":
            for row in child.findall(f"{_W}tr"):
                for cell in row.findall(f"{_W}tc"):
                    lines += _paragraphs(cell)
        elif child.tag == f"{_W}sdt":
            content = child.find(f"{_W}sdtContent")
            if content is not None:
                lines += _paragraphs(content)
    return lines


def _paragraph_text(paragraph: Element) -> str:
    """A paragraph's runs, including those inside hyperlinks and inserted revisions."""
    parts: list[str] = []
    for node in paragraph.iter():
        if node.tag == f"{_W}t":
            parts.append(node.text or "")
        elif node.tag == f"{_W}tab":
            parts.append("\t")
        elif node.tag in (f"{_W}br", f"{_W}cr"):
            parts.append("\n")
        elif node.tag == f"{_W}noBreakHyphen":
            parts.append("-")
    return "".join(parts)
