"""``serve``'s injected script in a real browser: the open page reloads itself after a rebuild,
shows the diagnostics page for a broken case, and logs no console error while doing so."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from chromium_cdp import Browser, find_chromium

import ol_analysis
from ol_analysis.report.serve import ReportServer
from ol_analysis.safe_write import write_text_atomic

REPO = Path(__file__).parents[2]
CHROMIUM = find_chromium()

pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="chromium is not installed (apt-get install chromium; .ci/run does this)",
)


def page_of_titles(study: Path, out: Path) -> None:
    """A fast stand-in for the report build: one page with the case titles."""
    items = "".join(f"<li>{c.title}</li>" for c in ol_analysis.load_study(study))
    (out / "html").mkdir(parents=True, exist_ok=True)
    write_text_atomic(out / "html" / "index.html", f"<html><body><ul>{items}</ul></body></html>")


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[ReportServer, Path]]:
    study = tmp_path / "study"
    shutil.copytree(REPO / "tests" / "fixtures" / "mini", study)
    out = tmp_path / "build"
    server = ReportServer(
        lambda: page_of_titles(study, out),
        [study / "cases"],
        out,
        port=0,
        interval=60,
        events=False,
    )
    server.start()
    try:
        yield server, study
    finally:
        server.stop()


def wait_for_reload(browser: Browser, seconds: float = 20) -> bool:
    """True once the page has been replaced (our marker on ``window`` is gone)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if browser.evaluate("window.__olMarker === undefined && document.readyState") == (
            "complete"
        ):
            return True
        time.sleep(0.1)
    return False


def test_the_page_reloads_after_a_rebuild_and_shows_a_broken_case(
    served: tuple[ReportServer, Path],
) -> None:
    server, study = served
    assert CHROMIUM is not None
    with Browser(CHROMIUM) as browser:
        report = browser.open(server.url)
        assert report.errors == []
        case = study / "cases" / "m01.yaml"
        good = case.read_text(encoding="utf-8")
        title = next(line for line in good.splitlines() if line.startswith("title:"))

        browser.evaluate("window.__olMarker = 1")
        case.write_text(good.replace(title, "title: Herladen"), encoding="utf-8")
        assert server.check()
        assert wait_for_reload(browser)
        assert "Herladen" in browser.evaluate("document.body.textContent")

        browser.evaluate("window.__olMarker = 1")
        case.write_text(good + "\nprofile: [unclosed\n", encoding="utf-8")
        assert server.check()
        assert wait_for_reload(browser)
        assert "error[yaml-syntax]" in browser.evaluate("document.body.textContent")

        browser.evaluate("window.__olMarker = 1")
        case.write_text(good, encoding="utf-8")
        assert server.check()
        assert wait_for_reload(browser)
        assert "could not be built" not in browser.evaluate("document.body.textContent")
        assert browser.open(server.url).errors == []


def test_a_saved_case_shows_in_its_open_page_with_no_help_from_the_test(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The real ``serve``: the watcher sees the save by itself (file events), the page of the
    saved case is published first, the open page reloads and shows it; the chapters follow."""
    from ol_analysis.report.serve import study_server

    monkeypatch.setenv("OL_ANALYSIS_BUILD_COMMIT", "")
    study = tmp_path / "study"
    study.mkdir()
    shutil.copy(REPO / "framework.yaml", study / "framework.yaml")
    shutil.copytree(REPO / "cases", study / "cases")
    server = study_server(
        study / "framework.yaml", study / "cases", study / "templates", study / "build", port=0
    )
    server.start()
    assert CHROMIUM is not None
    try:
        with Browser(CHROMIUM) as browser:
            report = browser.open(server.url + "html/cases/c04.html")
            assert report.errors == []
            browser.evaluate("window.__olMarker = 1")
            case = study / "cases" / "c04.yaml"
            text = case.read_text(encoding="utf-8")
            title = next(line for line in text.splitlines() if line.startswith("title:"))
            case.write_text(text.replace(title, "title: Meteen zichtbaar", 1), encoding="utf-8")
            assert wait_for_reload(browser, seconds=60)
            assert "Meteen zichtbaar" in browser.evaluate(
                "document.title + document.body.textContent"
            )
            deadline = time.monotonic() + 120
            while not server.state.complete and time.monotonic() < deadline:
                time.sleep(0.1)
            assert server.state.complete and server.state.error is None
            chapter = browser.open(server.url + "html/3.1-casusbeschrijvingen.html")
            assert chapter.errors == []
            assert "Meteen zichtbaar" in browser.evaluate("document.body.textContent")
    finally:
        server.stop()
