"""Builds of the shipped study shared by the DOCX tests, and LibreOffice/poppler helpers that
read a converted PDF back as words and lines with their positions."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

import ol_analysis
from ol_analysis.report.build import build_report
from ol_analysis.report.render import Provenance

REPO = Path(__file__).parents[2]
PROVENANCE = Provenance("optimaal-leven", "1.0.0", "abc1234", "2024-01-01")


def _build(out: Path, footnotes: bool) -> Path:
    study = ol_analysis.load_study(REPO)
    build_report(study, out, lang="nl", provenance=PROVENANCE, footnotes=footnotes)
    return out


@pytest.fixture(scope="session")
def shipped_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped study built in Dutch, with a frozen provenance."""
    return _build(tmp_path_factory.mktemp("build"), footnotes=False)


@pytest.fixture(scope="session")
def shipped_footnotes_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same build with ``--footnotes``: case ids as ``[^n]`` footnotes in the Markdown."""
    return _build(tmp_path_factory.mktemp("build-footnotes"), footnotes=True)


@dataclass(frozen=True)
class PdfLine:
    page: int
    page_height: float
    y_min: float
    words: tuple[str, ...]

    @property
    def text(self) -> str:
        return " ".join(self.words)


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", html.unescape(text))


def pdf_lines(pdf: Path) -> list[PdfLine]:
    """Every text line of ``pdf`` as ``pdftotext -bbox-layout`` finds it, word by word."""
    out = subprocess.run(
        ["pdftotext", "-bbox-layout", str(pdf), "-"],
        check=True, capture_output=True, text=True, timeout=120,
    ).stdout  # fmt: skip
    lines: list[PdfLine] = []
    for number, page in enumerate(re.findall(r"<page (.*?)</page>", out, re.S), 1):
        height = float(re.search(r'height="([\d.]+)"', page)[1])  # type: ignore[index]
        for attributes, body in re.findall(r"<line ([^>]*)>(.*?)</line>", page, re.S):
            y_min = float(re.search(r'yMin="([\d.]+)"', attributes)[1])  # type: ignore[index]
            words = tuple(_norm(w) for w in re.findall(r"<word [^>]*>(.*?)</word>", body))
            lines.append(PdfLine(number, height, y_min, words))
    return lines


@pytest.fixture(scope="session")
def pdf_of(tmp_path_factory: pytest.TempPathFactory) -> Callable[[Path], list[PdfLine]]:
    """Convert a DOCX to PDF with LibreOffice (headless), as a reader without Word would open
    it, and read the PDF's lines back (:func:`pdf_lines`). Skips when LibreOffice is not
    installed; ``.ci/run`` installs it with poppler-utils."""
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    if shutil.which("pdftotext") is None:
        pytest.fail("LibreOffice is installed but pdftotext is not: apt-get install poppler-utils")

    def convert(docx_file: Path) -> list[PdfLine]:
        out = tmp_path_factory.mktemp("pdf")
        profile = tmp_path_factory.mktemp("lo-profile")
        subprocess.run(
            ["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless",
             "--convert-to", "pdf", "--outdir", str(out), str(docx_file)],
            check=True, capture_output=True, timeout=300,
        )  # fmt: skip
        pdf = out / (docx_file.stem + ".pdf")
        assert pdf.stat().st_size > 10_000
        return pdf_lines(pdf)

    return convert
