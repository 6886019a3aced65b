"""Memos on the HTML pages of what they are attached to, and nowhere else; memo text in a
chapter through ``data.memo`` / ``data.memos``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

P02_MEMO = "De thuisdetox als keerpunt"
STUDY_MEMO = "Eerst vertrouwen, dan hulp"


def build(run_cli: Any, study: Path, *flags: str) -> Path:
    out = study / "build"
    result = run_cli(["build", "--format", "md,html", "--out", str(out), *flags], cwd=study)
    assert result.exit_code == 0, result.stderr
    return out / "html"


def page(html: Path, name: str) -> str:
    return (html / name).read_text(encoding="utf-8")


def test_a_case_memo_is_on_its_case_page_only(study: Path, run_cli: Any) -> None:
    html = build(run_cli, study)
    assert P02_MEMO in page(html, "cases/p02.html")
    for other in ("cases/p01.html", "cases/p03.html", "index.html", "1-stemmen.html"):
        assert P02_MEMO not in page(html, other), other
    # its Markdown is rendered
    assert "<strong>thuisdetox</strong>" in page(html, "cases/p02.html")


def test_study_part_and_code_memos_are_on_the_index_page(study: Path, run_cli: Any) -> None:
    (study / "memos" / "code-memo.md").write_text(
        "---\ntitle: Over contact met de kinderen\nauthor: analyst-c\n"
        "target: {code: support.guidance.contact_with_children}\n---\nEen *code*memo.\n",
        encoding="utf-8",
    )
    html = build(run_cli, study)
    index = page(html, "index.html")
    assert STUDY_MEMO in index and "Over contact met de kinderen" in index
    assert "(support.guidance.contact_with_children)" in index  # the target, with its label
    assert P02_MEMO not in index
    for case in ("p01", "p02", "p03"):
        assert STUDY_MEMO not in page(html, f"cases/{case}.html")


def test_raw_html_in_a_memo_stays_text(study: Path, run_cli: Any) -> None:
    (study / "memos" / "script.md").write_text(
        "---\ntitle: <b>Bold</b> title\ntarget: {case: p01}\n---\n<script>alert(1)</script>\n",
        encoding="utf-8",
    )
    text = page(build(run_cli, study), "cases/p01.html")
    assert "<script>alert(1)</script>" not in text and "<b>Bold</b>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text


@pytest.mark.parametrize("with_sources", [False, True])
def test_a_quote_memo_is_on_its_source_page_with_include_sources(
    study: Path, run_cli: Any, with_sources: bool
) -> None:
    html = build(run_cli, study, *(["--include-sources"] if with_sources else []))
    source_page = html / "sources" / "p02-casusbespreking.html"
    assert source_page.is_file() is with_sources
    if with_sources:
        assert P02_MEMO in source_page.read_text(encoding="utf-8")
        assert P02_MEMO not in page(html, "sources/p01-interview.html")


def test_a_changed_memo_changes_its_case_page_in_a_rebuild(study: Path, run_cli: Any) -> None:
    html = build(run_cli, study)
    memo = study / "memos" / "p02-thuisdetox.md"
    memo.write_text(memo.read_text(encoding="utf-8").replace("keerpunt", "omslagpunt"), "utf-8")
    html = build(run_cli, study)
    assert "De thuisdetox als omslagpunt" in page(html, "cases/p02.html")


CHAPTER = """# Memo's
{{ data.memo("p02-thuisdetox").title }} door {{ data.memo("p02-thuisdetox").author }}.
{% for memo in data.memos("case:p02") %}- {{ memo.id }}
{% endfor %}
{% for memo in data.memos("study") %}* {{ memo.id }}
{% endfor %}
Alle: {{ data.memos()|length }}
"""


def test_templates_read_memos_by_id_and_by_target(study: Path, run_cli: Any) -> None:
    (study / "templates" / "nl" / "chapters" / "9-memos.md.j2").write_text(CHAPTER, "utf-8")
    build(run_cli, study)
    text = (study / "build" / "md" / "9-memos.md").read_text(encoding="utf-8")
    assert "De thuisdetox als keerpunt door analyst-a." in text
    assert "- p02-thuisdetox\n" in text and "- vertrouwen-eerst" not in text
    assert "* vertrouwen-eerst\n" in text and "* p02-thuisdetox" not in text
    assert "Alle: 2" in text


@pytest.mark.parametrize(
    ("call", "words"),
    [('data.memo("p02-thuisdetx")', "p02-thuisdetox"), ('data.memos("kaas:p02")', "memo target")],
)
def test_an_unknown_memo_in_a_template_is_a_located_diagnostic(
    study: Path, run_cli: Any, call: str, words: str
) -> None:
    (study / "templates" / "nl" / "chapters" / "9-memos.md.j2").write_text(
        f"# Memo's\n\n{{{{ {call} }}}}\n", "utf-8"
    )
    result = run_cli(["build", "--format", "md", "--out", str(study / "build")], cwd=study)
    assert result.exit_code == 1
    assert "9-memos.md.j2:3:1: error[template-unknown-path]" in result.stderr
    assert words in result.stderr


def test_serve_rebuilds_when_a_memo_changes(study: Path) -> None:
    from ol_analysis.report.serve import study_server

    server = study_server(
        study / "framework.yaml",
        study / "cases",
        study / "templates",
        study / "build",
        port=0,
        interval=60,
        events=False,
    )
    assert server.rebuild().error is None
    assert server.check() is False
    memo = study / "memos" / "p02-thuisdetox.md"
    memo.write_text(memo.read_text(encoding="utf-8").replace("keerpunt", "omslagpunt"), "utf-8")
    assert server.check() is True
    assert "De thuisdetox als omslagpunt" in page(study / "build" / "html", "cases/p02.html")
