"""Document properties from the build's provenance, none from python-docx's template, and the
same bytes for the same provenance (every ZIP entry stamped with the build date)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import docx
import pytest

from ol_analysis.report.docx import Chapter, markdown_to_docx, write_docx
from ol_analysis.report.render import Provenance
from ol_analysis.version import __version__


def test_a_build_takes_its_properties_from_the_provenance(shipped_build: Path) -> None:
    path = shipped_build / "docx" / "report.docx"
    properties = docx.Document(str(path)).core_properties
    assert properties.title == "Gewoon doen wat nodig is? — evaluatie Optimaal Leven"
    assert properties.author == properties.last_modified_by == "ol-analysis"
    assert properties.created == properties.modified == dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    assert properties.revision == 1
    assert properties.subject == "optimaal-leven 1.0.0"
    assert properties.comments == "optimaal-leven 1.0.0 · abc1234 · 2024-01-01"
    assert properties.language == "nl"
    assert "python-docx" not in (properties.keywords + properties.category + properties.comments)
    with zipfile.ZipFile(path) as package:
        assert {i.date_time for i in package.infolist()} == {(2024, 1, 1, 0, 0, 0)}
        assert "docProps/thumbnail.jpeg" not in package.namelist()
        app = package.read("docProps/app.xml").decode("utf-8")
    assert f"<Application>ol-analysis {__version__}</Application>" in app
    for template_value in ("Microsoft", "<Pages>", "<Words>", "Normal.dotm", "AppVersion"):
        assert template_value not in app, template_value


class _Data:
    title = "Just doing what is needed?"
    lang = "en"


@pytest.mark.parametrize("commit", ["abc1234", None])
def test_the_same_provenance_gives_the_same_bytes(tmp_path: Path, commit: str | None) -> None:
    chapter = type("Rendered", (), {"markdown": "# One\n\n| a | b |\n|---|---|\n| x | y |\n"})
    provenance = Provenance("fw", "2.1.0", commit, "2023-05-06", dirty=True)
    first = write_docx(_Data(), tmp_path / "a", chapters=[chapter], provenance=provenance)[0]  # type: ignore[arg-type]
    second = write_docx(_Data(), tmp_path / "b", chapters=[chapter], provenance=provenance)[0]  # type: ignore[arg-type]
    assert first.read_bytes() == second.read_bytes()
    properties = docx.Document(str(first)).core_properties
    assert properties.title == "Just doing what is needed?" and properties.language == "en"
    assert properties.created == dt.datetime(2023, 5, 6, tzinfo=dt.UTC)
    assert properties.comments == f"fw 2.1.0 · {commit + '+' if commit else '-'} · 2023-05-06"


def test_without_a_date_today_is_the_date(tmp_path: Path) -> None:
    data = markdown_to_docx([Chapter("Tekst.\n", tmp_path)], title="R", author="A. Onderzoeker")
    properties = docx.Document(io.BytesIO(data)).core_properties
    assert properties.author == properties.last_modified_by == "A. Onderzoeker"
    assert properties.created.date() == dt.date.today()
