"""``serve`` rebuilds incrementally: after a case is saved, the reload shows the edit, only that
case's page is rendered again, and every other case page is the previous build's file."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from ol_analysis.report.serve import study_server

REPO = Path(__file__).parents[2]


@pytest.fixture
def shipped(tmp_path: Path) -> Path:
    target = tmp_path / "study"
    target.mkdir()
    shutil.copy(REPO / "framework.yaml", target / "framework.yaml")
    shutil.copytree(REPO / "cases", target / "cases")
    return target


def test_a_reload_renders_the_saved_case_page_and_reuses_the_others(
    shipped: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OL_ANALYSIS_BUILD_DATE", "2024-05-01")
    monkeypatch.setenv("OL_ANALYSIS_BUILD_COMMIT", "")
    out = shipped / "build"
    server = study_server(
        shipped / "framework.yaml", shipped / "cases", shipped / "templates", out, port=0
    )
    server.rebuild()
    pages = out / "html" / "cases"
    before = {page.name: (page.stat().st_ino, page.read_bytes()) for page in pages.iterdir()}
    assert len(before) == 11
    case = shipped / "cases" / "c04.yaml"
    text = case.read_text(encoding="utf-8")
    case.write_text(re.sub(r"(?m)^title: .*$", "title: Vuur!", text, count=1), "utf-8")
    assert server.check() is True
    assert server.state.error is None
    assert "Vuur!" in (pages / "c04.html").read_text(encoding="utf-8")
    for page in pages.iterdir():
        inode, content = before[page.name]
        if page.name == "c04.html":
            assert page.read_bytes() != content
        else:  # the previous build's file itself, linked into the new build
            assert (page.stat().st_ino, page.read_bytes()) == (inode, content)
