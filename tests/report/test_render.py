"""Filters, the Jinja environment, and what the rendered chapters say."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
from jinja2.sandbox import SecurityError

import ol_analysis
from ol_analysis.errors import StudyError
from ol_analysis.report.data import ReportData, gather
from ol_analysis.report.filters import approx, cases_noun, euro, join_and, number, words, years
from ol_analysis.report.render import (
    FigureRef,
    Provenance,
    RenderContext,
    make_env,
    render_chapters,
    render_template,
)

PROVENANCE = Provenance("optimaal-leven", "1.0.0", "abc1234", "2024-05-01")
REPO = Path(__file__).resolve().parents[2]


def test_dutch_and_english_number_words_plurals_and_amounts() -> None:
    assert words(5, "nl") == "vijf"
    assert words(11, "nl") == "elf"
    assert words(5, "en") == "five"
    assert approx(2, "nl") == "een tweetal"
    assert approx(3, "nl") == "een drietal"
    assert approx(1, "nl") == "één"
    assert approx(2, "en") == "a couple of"
    assert (cases_noun(1, "nl"), cases_noun(2, "nl")) == ("casus", "casussen")
    assert (cases_noun(1, "en"), cases_noun(0, "en")) == ("case", "cases")
    assert euro(1234.56, lang="nl") == "€ 1.234,56"
    assert euro(7000, 0, lang="nl") == "€ 7.000"
    assert euro(1234.5, lang="en") == "€1,234.50"
    assert number(3.75, lang="nl") == "3,8"
    assert join_and(["a", "b", "c"], "nl") == "a, b en c"


def _render(source: str, data: ReportData, **extra: object) -> str:
    from ol_analysis.report.filters import Output

    env = make_env(lang=data.lang)
    template = env.from_string(source)
    return template.render(data=data, output=extra.pop("output", Output()), **extra)


def test_filters_take_their_arguments_in_templates(tiny: ReportData) -> None:
    assert _render("{{ 7000|euro(0) }} {{ 1234.5|euro }} {{ 2.25|number(2) }}", tiny) == (
        "€7,000 €1,234.50 2.25"
    )
    nl = gather(ol_analysis.load_study(Path(__file__).parent / "fixtures" / "tiny"), lang="nl")
    assert _render("{{ 7000|euro(0) }} {{ 3|words }} {{ ['a', 'b']|join_and }}", nl) == (
        "€ 7.000 drie a en b"
    )


def test_counts_always_name_their_cases(tiny: ReportData) -> None:
    from ol_analysis.report.filters import Output

    nl = gather(ol_analysis.load_study(Path(__file__).parent / "fixtures" / "tiny"), lang="nl")
    rising = 'data.count("course.pattern.rising")'
    assert _render(f"{{{{ {rising}|cases }}}}", nl) == "3 van 4 casussen (t1, t3, t4)"
    assert _render(f"{{{{ {rising}|cases('words') }}}}", nl) == (
        "drie van de vier casussen (t1, t3, t4)"
    )
    assert _render(f"{{{{ {rising}|cases }}}}", tiny) == "3 of 4 cases (t1, t3, t4)"
    assert _render("bij {{ 2|approx }} {{ 2|cases_noun }}", nl) == ("bij een tweetal casussen")
    footnotes = Output("md", footnotes=True)
    text = _render(f"{{{{ {rising}|cases }}}}", nl, output=footnotes)
    assert text == "3 van 4 casussen[^1]"
    assert footnotes.footnote_block() == "\n[^1]: t1, t3, t4\n"
    html = Output("html")
    links = html.fill(_render(f"{{{{ {rising}|cases }}}}", nl, output=html))
    assert links == (
        '3 van 4 casussen (<a href="cases/t1.html">t1</a>, <a href="cases/t3.html">t3</a>, '
        '<a href="cases/t4.html">t4</a>)'
    )


def test_environment_is_sandboxed_strict_and_read_only(tiny: ReportData) -> None:
    from jinja2 import UndefinedError

    with pytest.raises(UndefinedError):
        _render("{{ data.no_such_thing }}", tiny)
    with pytest.raises(SecurityError):
        _render("{{ data.__class__.__mro__ }}", tiny)
    with pytest.raises(SecurityError):
        _render("{% set xs = [1] %}{{ xs.append(2) }}", tiny)
    env = make_env()
    assert env.autoescape("x.html") is True  # type: ignore[operator]
    assert env.autoescape("x.md.j2") is False  # type: ignore[operator]


def test_template_errors_name_the_template_and_line(tmp_path: Path, tiny: ReportData) -> None:
    (tmp_path / "broken.md.j2").write_text("# Title\n\n{{ data.cuont('x') }}\n", encoding="utf-8")
    (tmp_path / "syntax.md.j2").write_text("ok\n{% if %}\n", encoding="utf-8")
    (tmp_path / "path.md.j2").write_text("\n{{ data.count('course.pattern.rsing') }}\n")
    env = make_env(tmp_path, lang="en")
    with pytest.raises(StudyError) as caught:
        render_template(env, "broken.md.j2", data=tiny)
    (problem,) = caught.value.diagnostics
    assert problem.path.endswith("broken.md.j2")
    assert (problem.line, problem.rule) == (3, "template-undefined")
    assert "cuont" in problem.message
    with pytest.raises(StudyError) as caught:
        render_template(env, "syntax.md.j2", data=tiny)
    assert (caught.value.diagnostics[0].line, caught.value.diagnostics[0].rule) == (
        2,
        "template-syntax",
    )
    with pytest.raises(StudyError) as caught:
        render_template(env, "path.md.j2", data=tiny)
    problem = caught.value.diagnostics[0]
    assert (problem.line, problem.rule) == (2, "template-unknown-path")
    assert "did you mean 'course.pattern.rising'" in problem.message


def test_a_bug_outside_templates_is_not_hidden(tiny: ReportData) -> None:
    env = make_env()

    class Boom:
        def __str__(self) -> str:
            raise RuntimeError("bug")

    with pytest.raises(RuntimeError):
        render_template(env, "en/footer.md.j2", provenance=Provenance("x", "1", None, Boom()))


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_chapter_numbers_equal_stats(lang: str) -> None:
    """Every count a chapter writes is the `stats --json` count of its path, and every
    "k van N casussen (ids)" in the text names exactly k cases."""
    study = ol_analysis.load_study(REPO)
    data = gather(study, lang=lang)
    chapters = render_chapters(make_env(lang=lang), RenderContext(data, PROVENANCE))
    assert len(chapters) == 6
    counted = [c for chapter in chapters for c in chapter.counts if c.path]
    assert len(counted) > 100
    for count in counted:
        if count.path in data.stats["counts"]:
            entry = data.stats["counts"][count.path]
            assert (count.n, list(count.cases)) == (entry["n"], entry["cases"]), count.path
    noun = "casussen|casus" if lang == "nl" else "cases|case"
    of = "van" if lang == "nl" else "of"
    inferred = r"(?:, waarvan \d+ afgeleid|, \d+ of them inferred)?"
    # the ids follow in brackets, or after a colon when the phrase is itself in brackets
    phrase = re.compile(rf"(\d+) {of} (\d+) (?:{noun}){inferred}(?: \(([^)]*)\)|: ([^)]*)\))?")
    seen = 0
    for chapter in chapters:
        for k, n, bracketed, after_colon in phrase.findall(chapter.markdown):
            listed = bracketed or after_colon
            seen += 1
            assert int(n) == data.n_cases
            assert (len(listed.split(", ")) if listed else 0) == int(k)
    assert seen > 20


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_packaged_chapters_render_every_optional_branch(lang: str, tmp_path: Path) -> None:
    """A generated study fills groups the shipped cases leave empty (monthly costs, relatives,
    every if…then status); every packaged chapter and page must still render."""
    import sys

    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        from generate import write_study  # type: ignore[import-not-found]
    finally:
        sys.path.remove(str(REPO / "benchmarks"))
    from ol_analysis.report.build import build_report

    write_study(REPO / "framework.yaml", tmp_path / "study", 25)
    study = ol_analysis.load_study(tmp_path / "study")
    result = build_report(study, tmp_path / "out", lang=lang, formats=("md", "html"))
    assert result.count("md") == 6
    support = next((tmp_path / "out" / "md").glob("3.2-*.md")).read_text(encoding="utf-8")
    assert "€" in support  # the monthly costs table
    # more cases than fit across a page: the if…then matrix is turned, one line per case
    added_value = next((tmp_path / "out" / "md").glob("3.3-*.md")).read_text(encoding="utf-8")
    table = [line for line in added_value.splitlines() if line.startswith("| ")]
    assert sorted(line.split(" | ")[0][2:] for line in table[1:]) == sorted(study.cases)
    assert max(len(line) for line in table) < 120
    assert "OLREF" not in "".join(
        p.read_text(encoding="utf-8") for p in (tmp_path / "out" / "html").glob("*.html")
    )


@pytest.mark.parametrize(
    ("amount", "nl", "en"),
    [
        (0.5, "een half jaar", "half a year"),
        (1, "één jaar", "one year"),
        (1.5, "anderhalf jaar", "a year and a half"),
        (2.5, "tweeënhalf jaar", "two and a half years"),
        (4.5, "vierenhalf jaar", "four and a half years"),
        (3, "drie jaar", "three years"),
    ],
)
def test_years_as_the_report_writes_them(amount: float, nl: str, en: str) -> None:
    assert (years(amount, "nl"), years(amount, "en")) == (nl, en)


def test_case_ids_inside_brackets_join_them_with_a_colon() -> None:
    from ol_analysis.report.filters import unnest_ids

    assert unnest_ids("(bij 9 casussen (c01, c02))") == "(bij 9 casussen: c01, c02)"
    assert unnest_ids("(3 van 11 casussen (q-1.a))") == "(3 van 11 casussen: q-1.a)"
    kept = "(6 casussen (c02, c03), waarvan 6 afgeleid) en bij vijf casussen (c01, c04)"
    assert unnest_ids(kept) == kept


class _Log:
    """Not a known mutable: its ``append`` is as safe as any method."""

    def append(self, entry: object) -> str:
        return f"logged {entry}"


def test_the_sandbox_judges_each_type_and_attribute_every_time() -> None:
    env = make_env()
    template = env.from_string("{{ log.append(1) }}|{{ xs.index(1) }}|{{ xs.append(2) }}")
    for _ in range(2):  # the kept verdicts are those the sandbox gives the first time
        with pytest.raises(SecurityError):
            template.render(log=_Log(), xs=[1])
        assert env.from_string("{{ log.append(1) }}").render(log=_Log()) == "logged 1"
        with pytest.raises(SecurityError):
            env.from_string("{{ log.__class__ }}").render(log=_Log())


def test_a_template_edited_between_builds_is_compiled_again(tmp_path: Path) -> None:
    template = tmp_path / "note.md.j2"
    template.write_text("first {{ 1 }}\n", encoding="utf-8")
    assert make_env(tmp_path).get_template("note.md.j2").render() == "first 1\n"
    assert make_env(tmp_path).get_template("note.md.j2").render() == "first 1\n"
    template.write_text("again {{ 2 }}\n", encoding="utf-8")
    assert make_env(tmp_path).get_template("note.md.j2").render() == "again 2\n"
    other = tmp_path / "other"
    other.mkdir()
    (other / "note.md.j2").write_text("other\n", encoding="utf-8")
    assert make_env(other).get_template("note.md.j2").render() == "other\n"


def test_figures_as_seen_from_each_page_depth(tiny: ReportData) -> None:
    figure = FigureRef("network_t1", "Netwerk t1", "figures/network_t1.svg")
    ctx = RenderContext(tiny, PROVENANCE, {"network_t1": figure})
    assert ctx.figures_at("../")["network_t1"].path == "../figures/network_t1.svg"
    assert ctx.figures_at("../../")["network_t1"].path == "../../figures/network_t1.svg"
    assert ctx.figures_at("../") is ctx.figures_at("../")
    moved = FigureRef("network_t1", "Netwerk t1", "figures/network_t1b.svg")
    later = replace(ctx, figures={"network_t1": moved})
    assert later.figures_at("../")["network_t1"].path == "../figures/network_t1b.svg"
