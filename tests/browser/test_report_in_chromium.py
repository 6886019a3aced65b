"""The HTML report in a real browser: headless Chromium opens the built pages from disk and we
check what a reader would get — tables, case links that lead somewhere, figures that load —
and that the page logs no console error, uncaught exception or failed resource load.

Debian's ``chromium`` only (``.ci/run`` installs it); skipped with a reason when absent.
Screenshots of the index and of a case page are kept in the test's temporary folder, and in
``$OL_ANALYSIS_SCREENSHOTS`` when that is set, for a person to look at.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from chromium_cdp import Browser, find_chromium

import ol_analysis
from ol_analysis.report.build import build_report
from ol_analysis.report.render import Provenance

REPO = Path(__file__).parents[2]
CHROMIUM = find_chromium()

pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="chromium is not installed (apt-get install chromium; .ci/run does this)",
)


@pytest.fixture(scope="module")
def html(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped study's report, built into a temporary folder."""
    out = tmp_path_factory.mktemp("build")
    provenance = Provenance("optimaal-leven", "1.0.0", None, "2024-01-01")
    build_report(ol_analysis.load_study(REPO), out, lang="nl", provenance=provenance)
    return out / "html"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert CHROMIUM is not None
    with Browser(CHROMIUM) as running:
        yield running


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = os.environ.get("OL_ANALYSIS_SCREENSHOTS")
    target = Path(folder) if folder else tmp_path_factory.mktemp("screenshots")
    target.mkdir(parents=True, exist_ok=True)
    return target


def images_loaded(browser: Browser) -> list[dict[str, object]]:
    return browser.evaluate(
        "[...document.images].map(i => ({src: i.getAttribute('src'), ok: i.complete &&"
        " i.naturalWidth > 0, alt: i.alt}))"
    )


def test_index_lists_every_case_with_a_working_link(
    browser: Browser, html: Path, shots: Path
) -> None:
    report = browser.open((html / "index.html").as_uri())
    assert report.errors == []
    study = ol_analysis.load_study(REPO)
    links = browser.evaluate(
        "[...document.querySelectorAll('table.cases a')].map(a => [a.textContent, a.href])"
    )
    assert [text for text, _href in links] == list(study.cases)
    for _text, href in links:
        assert Path(href.removeprefix("file://")).is_file(), href
    rows = browser.evaluate("document.querySelectorAll('table.cases tbody tr').length")
    assert rows == len(study)
    titles = browser.evaluate(
        "[...document.querySelectorAll('table.cases tbody tr td:nth-child(2)')]"
        ".map(td => td.textContent)"
    )
    assert titles == [case.title for case in study]
    browser.screenshot(shots / "index.png")


def test_a_case_page_shows_its_timeline_network_and_codings(
    browser: Browser, html: Path, shots: Path
) -> None:
    case = ol_analysis.load_study(REPO).cases["c04"]
    report = browser.open((html / "cases" / "c04.html").as_uri())
    assert report.errors == []
    assert case.title in browser.evaluate("document.querySelector('h1').textContent")
    moments = browser.evaluate("document.querySelectorAll('.timeline li').length")
    assert moments == len(case.items("key_moments.moments"))
    images = images_loaded(browser)
    assert [i["src"] for i in images] == ["../../figures/network_c04.svg"]
    assert all(i["ok"] for i in images), images
    assert browser.evaluate("document.querySelectorAll('section.part dt').length") >= 10
    browser.screenshot(shots / "case-c04.png")


TABLE_RULE = re.compile(r"^\|(?:\s*:?-+:?\s*\|)+\s*$", re.MULTILINE)
PAGES = [
    "3.1-casusbeschrijvingen.html",
    "3.2-ondersteuning.html",
    "3.3-meerwaarde.html",
    "4-conclusie.html",
    "bijlage-1-netwerkpartners.html",
    "matrices.html",
]


@pytest.mark.parametrize("page", PAGES)
def test_every_chapter_renders_its_tables_and_figures_without_errors(
    browser: Browser, html: Path, page: str
) -> None:
    report = browser.open((html / page).as_uri())
    assert report.errors == []
    markdown = html.parent / "md" / page.replace(".html", ".md")
    tables = browser.evaluate("document.querySelectorAll('main table').length")
    if markdown.is_file():  # every Markdown table of the chapter is a rendered table
        assert tables == len(TABLE_RULE.findall(markdown.read_text(encoding="utf-8")))
    else:
        assert tables >= 1
    assert browser.evaluate("document.querySelectorAll('main h1').length") == 1
    images = images_loaded(browser)
    assert all(i["ok"] for i in images), images
    dead = browser.evaluate(
        "[...document.querySelectorAll('a[href]')].map(a => a.href)"
        ".filter(h => h.startsWith('file://'))"
    )
    missing = [h for h in dead if not Path(h.removeprefix("file://").split("#")[0]).exists()]
    assert missing == []


def test_the_bijlage_table_numbers_match_stats(browser: Browser, html: Path) -> None:
    browser.open((html / "bijlage-1-netwerkpartners.html").as_uri())
    rows = browser.evaluate(
        "[...document.querySelectorAll('main table tbody tr')]"
        ".map(tr => [...tr.cells].map(td => td.textContent.trim()))"
    )
    stats = ol_analysis.stats(ol_analysis.load_study(REPO))["counts"]
    framework = ol_analysis.load_framework(REPO / "framework.yaml")
    labels = {
        c.label.nl.casefold(): stats[c.path]["n"]
        for c in framework.group("network.partners").field("partner").codes
    }
    assert rows
    for row in rows:
        assert int(row[2]) == labels[row[1].casefold()], row


def test_a_broken_page_is_reported(browser: Browser, tmp_path: Path) -> None:
    """The checker itself: a missing image and a script error are caught."""
    page = tmp_path / "broken.html"
    page.write_text(
        "<html><body><img src='gone.svg'><script>console.error('boom'); nope();</script>"
        "</body></html>",
        encoding="utf-8",
    )
    errors = browser.open(page.as_uri()).errors
    assert any("ERR_FILE_NOT_FOUND" in e for e in errors)
    assert any("boom" in e for e in errors)
    assert any("nope" in e for e in errors)


def test_chromium_binary_is_debians() -> None:
    assert CHROMIUM is not None and shutil.which(Path(CHROMIUM).name) is not None
