"""The study's source documents (``sources/``) in a REFI-QDA project, and back.

Export: every document that is there becomes a ``TextSource`` (GUID from its id, name = its
id) whose plain text is the document's normalised text (UTF-8, LF, no BOM) in
``sources/<guid>.txt``; a DOCX also travels as itself (``richTextPath``). Every located quote
is a ``PlainTextSelection`` at its code-point offsets (end exclusive), named by the quoted
passage and coded with the codes of its evidence item; the quote's case refers to it
(``SelectionRef``).

Import: a carried project writes the documents back under the names of the carried manifest
(``sources/sources.yaml``); a rebuilt one writes each text source as ``sources/<id>.txt`` with a
manifest naming its cases, and its selections become evidence quotes with ``doc:``. The
positions come back when ``validate`` locates each quote in its document again.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.etree import ElementTree as ET

from ol_analysis.core.sources import LocatedQuote, Source
from ol_analysis.core.study import Study
from ol_analysis.interop.refi.text import guid

MANIFEST = "sources/sources.yaml"


def document_guid(doc_id: str) -> str:
    return guid(f"document:{doc_id}")


def selection_guid(quote: LocatedQuote) -> str:
    return guid(f"selection:doc:{quote.case_id}/{quote.location}")


@dataclass(frozen=True)
class ExportedDocument:
    source: Source
    quotes: list[LocatedQuote]


def exported_documents(study: Study) -> list[ExportedDocument]:
    """The documents an export carries: those that are there, with their located quotes."""
    sources = getattr(study, "sources", None)
    if sources is None or not sources.found:
        return []
    found = []
    for doc_id, source in sources.documents.items():
        if source.text is not None:
            found.append(ExportedDocument(source, sources.quotes_in(doc_id)))
    return found


def case_selections(documents: list[ExportedDocument], case_id: str) -> list[str]:
    return [
        selection_guid(quote)
        for document in documents
        for quote in document.quotes
        if quote.case_id == case_id
    ]


def document_element(
    parent: ET.Element, document: ExportedDocument, coder: dict[str, str]
) -> dict[str, bytes]:
    """Append the document's ``TextSource``; returns the zip entries it needs."""
    source = document.source
    source_guid = document_guid(source.id)
    attributes = {"guid": source_guid, "name": source.id}
    entries = {f"sources/{source_guid}.txt": (source.text or "").encode("utf-8")}
    if source.path.suffix.lower() == ".docx" and source.path.is_file():
        attributes["richTextPath"] = f"internal://{source_guid}.docx"
        entries[f"sources/{source_guid}.docx"] = source.path.read_bytes()
    attributes["plainTextPath"] = f"internal://{source_guid}.txt"
    element = ET.SubElement(parent, "TextSource", attributes)
    if source.title:
        ET.SubElement(element, "Description").text = source.title
    text = source.text or ""
    for quote in document.quotes:
        selection = ET.SubElement(
            element,
            "PlainTextSelection",
            {
                "guid": selection_guid(quote),
                "name": text[quote.start : quote.end],
                "startPosition": str(quote.start),
                "endPosition": str(quote.end),
            },
        )
        for path in quote.codes:
            coding = ET.SubElement(
                selection,
                "Coding",
                {"guid": guid(f"coding:doc:{quote.case_id}/{quote.location}/{path}"), **coder},
            )
            ET.SubElement(coding, "CodeRef", {"targetGUID": guid(path)})
    return entries
