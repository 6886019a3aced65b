"""build --include-sources: a page per document with its segments highlighted, quotes on chapter
and case pages linked to them; and without the flag no text of a transcript in build/."""

from __future__ import annotations

import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

import ol_analysis
from ol_analysis.cli import app
from ol_analysis.core.sources import normalise

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "transcripts-study"

# A sentence only the transcripts hold (no case file quotes it).
ONLY_IN_TRANSCRIPTS = (
    "De vergadering sluit met een korte ronde over de werkdruk",
    "ik ging de deur niet meer uit",
    "Ik dacht eerst: daar gaan we weer",
    "De huisarts zei dat er in de wijk een team was",
)


def build(example: Path, out: Path, run_cli, *flags: str) -> Path:
    result = run_cli(
        ["build", "--format", "md,html", "--out", str(out), *flags],
        cwd=example,
    )
    assert result.exit_code == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The example study built without and with --include-sources."""
    outs = []
    for flags in ([], ["--include-sources"]):
        out = tmp_path_factory.mktemp("build")
        previous = Path.cwd()
        os.chdir(EXAMPLE)
        try:
            result = CliRunner().invoke(
                app, ["build", "--format", "md,html", "--out", str(out), *flags]
            )
        finally:
            os.chdir(previous)
        assert result.exit_code == 0, result.output
        outs.append(out)
    return outs[0], outs[1]


def every_text(folder: Path) -> str:
    return "\n".join(
        p.read_text(encoding="utf-8", errors="replace") for p in folder.rglob("*") if p.is_file()
    )


def test_the_example_has_sentences_only_its_transcripts_hold(example: Path) -> None:
    cases = "\n".join(p.read_text(encoding="utf-8") for p in (example / "cases").glob("*.yaml"))
    transcripts = "\n".join(
        ol_analysis.load_study(example).sources.documents[d].text or ""
        for d in ("p01-interview", "teamoverleg-2023-05", "p03-interview")
    )
    for sentence in ONLY_IN_TRANSCRIPTS:
        assert sentence.lower() not in cases.lower()
        assert sentence.lower() in normalise(transcripts).text.lower()


def test_without_the_flag_no_transcript_text_reaches_the_build(built: tuple[Path, Path]) -> None:
    plain, _ = built
    everything = normalise(every_text(plain)).text.lower()
    for sentence in ONLY_IN_TRANSCRIPTS:
        assert sentence.lower() not in everything
    assert not (plain / "html" / "sources").exists()
    assert "source-link" not in everything


def test_with_the_flag_each_present_document_has_a_page(built: tuple[Path, Path]) -> None:
    _, full = built
    pages = sorted(p.name for p in (full / "html" / "sources").iterdir())
    assert pages == [
        "index.html",
        "p01-interview.html",
        "p02-casusbespreking.html",
        "p03-interview.html",
        "teamoverleg-2023-05.html",
    ]
    page = (full / "html" / "sources" / "teamoverleg-2023-05.html").read_text(encoding="utf-8")
    assert "De vergadering sluit met een korte ronde" in page


class Anchors(HTMLParser):
    """Ids, links and the text of the first mark after each anchor of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.after: dict[str, str] = {}
        self._pending: list[str] = []
        self._in_mark = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"] or "")
            if values.get("class") == "anchor":
                self._pending.append(values["id"] or "")
        if tag == "a" and values.get("href"):
            self.links.append(values["href"] or "")
        if tag == "mark":
            self._in_mark += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "mark":
            self._in_mark -= 1

    def handle_data(self, data: str) -> None:
        if self._in_mark and self._pending:
            for anchor in self._pending:
                self.after[anchor] = data
            self._pending = []


def parse(path: Path) -> Anchors:
    parser = Anchors()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_every_quote_link_lands_on_its_highlighted_segment(built: tuple[Path, Path]) -> None:
    _, full = built
    html = full / "html"
    study = ol_analysis.load_study(EXAMPLE)
    pages = [html / "1-stemmen.html", *sorted((html / "cases").glob("*.html"))]
    followed = 0
    for page in pages:
        text = page.read_text(encoding="utf-8")
        for href in re.findall(r'class="source-link" href="([^"]+)"', text):
            target, _, anchor = href.partition("#")
            landed = parse((page.parent / target).resolve())
            assert anchor in landed.ids, (page, href)
            located = next(q for q in study.sources.quotes if q.anchor == anchor)
            first_words = normalise(located.quote).text.lstrip("…. ")[:12]
            assert normalise(landed.after[anchor]).text.startswith(first_words), href
            followed += 1
    assert followed >= len(study.sources.quotes)


def test_source_pages_link_cases_codes_and_overlaps(
    example_copy: Path, run_cli, tmp_path: Path
) -> None:
    case_file = example_copy / "cases" / "p01.yaml"
    # a second coding whose quote overlaps the first one's
    case_file.write_text(
        case_file.read_text(encoding="utf-8").replace(
            "    - mental_health\n",
            "    - code: mental_health\n"
            "      evidence:\n"
            '        - quote: "Ik sliep bijna niet, ik had schulden"\n'
            "          source: interview\n"
            "          doc: p01-interview\n",
        ),
        encoding="utf-8",
    )
    out = build(example_copy, tmp_path / "out", run_cli, "--include-sources")
    page = out / "html" / "sources" / "p01-interview.html"
    parsed = parse(page)
    text = page.read_text(encoding="utf-8")
    first = "q-p01-profile-problem_domains-0-evidence-0"
    second = "q-p01-profile-problem_domains-1-evidence-0"
    assert f'href="#seg-{second}"' in text.split(f'id="seg-{first}"')[1].split("</li>")[0]
    assert f'href="#seg-{first}"' in text.split(f'id="seg-{second}"')[1].split("</li>")[0]
    assert "depth-2" in text
    assert "../cases/p01.html" in parsed.links
    assert "index.html#code-support-guidance-finances" in parsed.links
    index = parse(out / "html" / "sources" / "index.html")
    assert "code-support-guidance-finances" in index.ids
