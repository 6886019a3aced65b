"""The quote links of an --include-sources build in a real browser: every link of the chapter
and of the case pages opens the source page scrolled to its segment, which the page marks as
the target (outlined), and whose text starts with the quote's words.

Driven as tests/browser/ drives Chromium (its ``chromium_cdp`` helper); skipped when Debian's
``chromium`` is not installed.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import ol_analysis
from ol_analysis.core.sources import normalise
from ol_analysis.report.build import build_report
from ol_analysis.report.render import Provenance

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "browser"))
from chromium_cdp import Browser, find_chromium

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "transcripts-study"
CHROMIUM = find_chromium()

pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="chromium is not installed (apt-get install chromium; .ci/run does this)",
)

LANDED = """(() => {
  const target = document.querySelector(':target');
  if (!target) return null;
  let mark = target.nextElementSibling;
  while (mark && mark.tagName !== 'MARK') mark = mark.nextElementSibling;
  if (!mark) return {id: target.id};
  const box = mark.getBoundingClientRect();
  return {id: target.id, text: mark.textContent, outline: getComputedStyle(mark).outlineStyle,
          top: box.top, bottom: box.bottom, height: window.innerHeight};
})()"""


@pytest.fixture(scope="module")
def html(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("build")
    study = ol_analysis.load_study(EXAMPLE)
    build_report(
        study,
        out,
        lang="nl",
        templates_dir=EXAMPLE / "templates",
        provenance=Provenance("transcripts-example", "0.1.0", None, "2024-01-01"),
        formats=("md", "html"),
        include_sources=True,
    )
    return out / "html"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert CHROMIUM is not None
    with Browser(CHROMIUM) as running:
        yield running


def test_quote_links_land_on_the_highlighted_segment(browser: Browser, html: Path) -> None:
    study = ol_analysis.load_study(EXAMPLE)
    assert study.sources is not None
    by_anchor = {q.anchor: q for q in study.sources.quotes}
    pages = [html / "1-stemmen.html", *sorted((html / "cases").glob("*.html"))]
    followed = set()
    for page in pages:
        report = browser.open(page.as_uri())
        assert report.errors == [], page
        links = browser.evaluate("[...document.querySelectorAll('a.source-link')].map(a => a.href)")
        for href in links:
            browser.open(page.as_uri())  # a new document: a fragment alone would not load
            landed = browser.open(href)
            assert landed.errors == [], href
            found = browser.evaluate(LANDED)
            anchor = href.rsplit("#", 1)[1]
            assert found is not None and found["id"] == anchor, href
            quote = by_anchor[anchor]
            words = normalise(quote.quote).text.lstrip("…. ")[:12]
            assert normalise(found["text"]).text.startswith(words), (href, found["text"])
            assert found["outline"] == "solid", href
            assert found["bottom"] > 0 and found["top"] < found["height"], href  # in view
            followed.add(anchor)
    assert followed == set(by_anchor)
