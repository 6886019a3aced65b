"""Running text names the cases behind a count in brackets up to ``IDS_INLINE_MAX`` of them;
a longer list goes to a footnote in Markdown (and so in the DOCX), and the HTML keeps every
link."""

from __future__ import annotations

import re

import pytest

from ol_analysis.analysis.counts import Count
from ol_analysis.report import filters as f
from ol_analysis.report.render import make_env


def count(n: int, total: int = 330) -> Count:
    return Count.of([f"c{i:03d}" for i in range(1, n + 1)], total)


def render(source: str, output: f.Output, **values: object) -> str:
    return make_env(lang="nl").from_string(source).render(output=output, **values)


def test_up_to_the_threshold_the_ids_stay_in_the_sentence() -> None:
    at_limit = count(f.IDS_INLINE_MAX)
    text = render("{{ c|cases }}", f.Output("md"), c=at_limit)
    assert text == f"{f.IDS_INLINE_MAX} van 330 casussen ({', '.join(at_limit.cases)})"


def test_above_the_threshold_the_sentence_says_k_of_n_and_a_footnote_lists_them() -> None:
    many = count(210)
    output = f.Output("md")
    text = render("In {{ c|cases }} kwam het voor.", output, c=many)
    assert text == "In 210 van 330 casussen[^1] kwam het voor."
    assert output.footnote_block() == "\n[^1]: " + ", ".join(many.cases) + "\n"


def test_short_and_long_lists_in_one_chapter_number_their_footnotes_in_order() -> None:
    output = f.Output("md")
    text = render(
        "{{ a|cases }}; {{ b|ids }}; {{ c|ids }}", output, a=count(20), b=count(2), c=count(13)
    )
    assert text == "20 van 330 casussen[^1];  (c001, c002); [^2]"
    assert re.findall(r"\[\^(\d)\]: c001", output.footnote_block()) == ["1", "2"]


@pytest.mark.parametrize("kind", ["html", "page"])
def test_html_keeps_a_link_to_every_case(kind: str) -> None:
    output = f.Output(kind, case_href="cases/{id}.html")  # type: ignore[arg-type]
    text = output.fill(str(render("{{ c|cases }}", output, c=count(40))))
    assert text.startswith("40 van 330 casussen (")
    assert len(re.findall(r'<a href="cases/c\d{3}\.html">', text)) == 40


def test_no_threshold_keeps_every_id_in_brackets() -> None:
    output = f.Output("md", max_ids=None)
    assert render("{{ c|ids }}", output, c=count(30)).count("c0") == 30
    assert output.notes == []


def test_a_table_column_still_lists_every_case() -> None:
    assert f.Output("md").listing(count(30)).count(", ") == 29
