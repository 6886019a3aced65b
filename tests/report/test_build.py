"""`ol-analysis build` through its entry point: outputs, errors, overrides and atomicity."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

import ol_analysis
import ol_analysis.analysis.aggregate
from ol_analysis.core.schema import schema_text
from ol_analysis.report.build import _swap, build_report

CHAPTERS_NL = [
    "3.1-casusbeschrijvingen.md",
    "3.2-ondersteuning.md",
    "3.3-meerwaarde.md",
    "4-conclusie.md",
    "bijlage-1-netwerkpartners.md",
    "bijlage-2-kosten.md",
]


def tree(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` with a hash of its content."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_build_with_no_options_from_a_fresh_study(
    run_cli: Any, study_copy: Path, frozen: None
) -> None:
    """The main job: every output, figures and DOCX included, from the defaults."""
    before = set(tree(study_copy))
    result = run_cli(["build"], cwd=study_copy)
    assert result.exit_code == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    assert result.stderr.startswith("wrote build/: stats.json, schema.json, 6 chapters in md/")
    build = study_copy / "build"
    stats = run_cli(["stats", "--json"], cwd=study_copy)
    assert (build / "stats.json").read_text(encoding="utf-8") == stats.stdout
    framework = ol_analysis.load_framework(study_copy / "framework.yaml")
    assert (build / "schema.json").read_text(encoding="utf-8") == schema_text(framework)
    assert sorted(p.name for p in (build / "md").iterdir()) == CHAPTERS_NL
    n_cases = len(list((study_copy / "cases").glob("*.yaml")))
    assert len(list((build / "html" / "cases").glob("*.html"))) == n_cases
    for page in ("index.html", "matrices.html", "style.css", "3.3-meerwaarde.html"):
        assert (build / "html" / page).is_file()
    assert (build / "docx" / "report.docx").is_file()
    assert (build / "figures" / "network_c01.svg").is_file()
    assert 'src="../../figures/network_c01.svg"' in (build / "html/cases/c01.html").read_text()
    assert set(tree(study_copy)) - before == {f"build/{name}" for name in tree(build)}
    assert [p.name for p in build.iterdir() if p.name.startswith(".")] == [".cache"]  # figures


def test_every_output_has_the_provenance_footer(
    run_cli: Any, study_copy: Path, frozen: None, no_hooks: None
) -> None:
    assert run_cli(["build"], cwd=study_copy).exit_code == 0
    build = study_copy / "build"
    footer = "2024-05-01 uit het analysekader optimaal-leven (versie 1.0.0)"
    for page in [*(build / "md").iterdir(), *(build / "html").rglob("*.html")]:
        text = page.read_text(encoding="utf-8")
        assert footer in text, page
        assert "abc1234" in text


def test_provenance_names_the_study_commit_or_none(
    study_copy: Path, no_hooks: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OL_ANALYSIS_BUILD_DATE", "2024-05-01")
    monkeypatch.delenv("OL_ANALYSIS_BUILD_COMMIT", raising=False)
    study = ol_analysis.load_study(study_copy)
    build_report(study, study_copy / "build", formats=("md",))
    chapter = (study_copy / "build" / "md" / CHAPTERS_NL[0]).read_text(encoding="utf-8")
    assert chapter.rstrip().endswith("geen git-commit.*")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], cwd=study_copy, check=True)
    subprocess.run([*git, "add", "framework.yaml", "cases"], cwd=study_copy, check=True)
    subprocess.run([*git, "commit", "-qm", "x"], cwd=study_copy, check=True)
    head = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=study_copy, capture_output=True, text=True
    ).stdout.strip()
    build_report(study, study_copy / "build", formats=("md",))
    chapter = (study_copy / "build" / "md" / CHAPTERS_NL[0]).read_text(encoding="utf-8")
    assert f"git-commit van de studie {head}.*" in chapter


def test_case_text_is_escaped_in_html(
    run_cli: Any, study_copy: Path, frozen: None, no_hooks: None
) -> None:
    case = study_copy / "cases" / "c01.yaml"
    text = case.read_text(encoding="utf-8")
    text = re.sub(
        r"^title: .*$", 'title: "Dat is <script>alert(1)</script>"', text, count=1, flags=re.M
    )
    text = text.replace("summary: >\n", "summary: >\n  <script>alert(2)</script> <b>vet</b>\n", 1)
    case.write_text(text, encoding="utf-8")
    result = run_cli(["build"], cwd=study_copy)
    assert result.exit_code == 0, result.stderr
    html = study_copy / "build" / "html"
    for page in html.rglob("*.html"):
        content = page.read_text(encoding="utf-8")
        assert "<script" not in content, page
        assert "<b>" not in content, page
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in (html / "cases/c01.html").read_text()
    assert "&lt;script&gt;alert(1)" in (html / "3.1-casusbeschrijvingen.html").read_text()
    md = (study_copy / "build/md/3.1-casusbeschrijvingen.md").read_text(encoding="utf-8")
    assert "<script>alert(2)</script>" in md  # Markdown keeps the text as written


def test_template_typo_is_a_diagnostic_with_template_and_line(
    run_cli: Any, study_copy: Path, no_hooks: None
) -> None:
    write(
        study_copy / "templates/nl/chapters/3.1-casusbeschrijvingen.md.j2",
        "# 3.1 Casusbeschrijvingen\n\n{{ data.cuont('course_outcome.pattern.rising') }}\n",
    )
    result = run_cli(["build"], cwd=study_copy)
    assert result.exit_code == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert (
        "templates/nl/chapters/3.1-casusbeschrijvingen.md.j2:3:1: error[template-undefined]"
        in result.stderr
    )
    assert "cuont" in result.stderr
    assert not (study_copy / "build" / "md").exists()


def test_study_templates_override_the_packaged_ones(
    run_cli: Any, study_copy: Path, frozen: None, no_hooks: None
) -> None:
    chapters = study_copy / "templates" / "nl" / "chapters"
    write(chapters / "3.3-meerwaarde.md.j2", "# 3.3 Eigen tekst\n\n{{ data.n_cases|words }}\n")
    write(chapters / "5-extra.md.j2", "# 5 Extra\n\n{{ data.count('profile.team.assen')|cases }}\n")
    write(chapters / "4-conclusie.md.j2", "{# left out #}\n")
    write(study_copy / "templates" / "html" / "style.css", "body { color: red; }\n")
    result = run_cli(["build"], cwd=study_copy)
    assert result.exit_code == 0, result.stderr
    md = study_copy / "build" / "md"
    assert sorted(p.name for p in md.iterdir()) == [
        "3.1-casusbeschrijvingen.md",
        "3.2-ondersteuning.md",
        "3.3-meerwaarde.md",
        "5-extra.md",
        "bijlage-1-netwerkpartners.md",
        "bijlage-2-kosten.md",
    ]
    assert (md / "3.3-meerwaarde.md").read_text().startswith("# 3.3 Eigen tekst\n\nelf\n")
    assert "van 11 casussen (c" in (md / "5-extra.md").read_text()
    html = study_copy / "build" / "html"
    assert (html / "style.css").read_text() == "body { color: red; }\n"
    assert '<a href="5-extra.html">5 Extra</a>' in (html / "index.html").read_text()


def test_a_failed_build_leaves_the_previous_build_intact(
    run_cli: Any, study_copy: Path, no_hooks: None
) -> None:
    assert run_cli(["build"], cwd=study_copy).exit_code == 0
    previous = tree(study_copy / "build")
    write(study_copy / "templates/nl/chapters/4-conclusie.md.j2", "{% for %}\n")
    result = run_cli(["build"], cwd=study_copy)
    assert result.exit_code == 1
    assert "error[template-syntax]" in result.stderr
    assert tree(study_copy / "build") == previous
    leftovers = [p.name for p in (study_copy / "build").iterdir() if p.name.startswith(".")]
    assert leftovers in ([], [".cache"])  # no staging folder; the figure cache may stay
    case = study_copy / "cases" / "c02.yaml"
    case.write_text(case.read_text().replace("pattern:", "patern:", 1), encoding="utf-8")
    result = run_cli(["build"], cwd=study_copy)
    assert result.exit_code == 1
    assert "cases/c02.yaml:" in result.stderr and "unknown-key" in result.stderr
    assert tree(study_copy / "build") == previous


def test_swap_puts_everything_back_when_a_move_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out, staging = tmp_path / "out", tmp_path / "out" / ".staging-x"
    for name in ("a", "b", "c"):
        write(out / name / "f.txt", f"old {name}")
        write(staging / name / "f.txt", f"new {name}")
    write(out / "keep.txt", "mine")
    previous = tree(out)
    import os

    real_replace = os.replace
    calls = []

    def flaky(src: Any, dst: Any) -> None:
        calls.append(src)
        if len(calls) == 4:  # a moved aside, a installed, b moved aside, then b fails
            raise OSError("disk full")
        real_replace(src, dst)

    monkeypatch.setattr("ol_analysis.report.build.os.replace", flaky)
    with pytest.raises(OSError, match="disk full"):
        _swap(staging, out)
    monkeypatch.setattr("ol_analysis.report.build.os.replace", real_replace)
    after = {k: v for k, v in tree(out).items() if not k.startswith(".staging-")}
    assert after == {k: v for k, v in previous.items() if not k.startswith(".staging-")}


def test_footnotes_and_english(
    run_cli: Any, study_copy: Path, frozen: None, no_hooks: None
) -> None:
    assert run_cli(["build", "--footnotes", "--out", "fn"], cwd=study_copy).exit_code == 0
    chapter = (study_copy / "fn/md/3.1-casusbeschrijvingen.md").read_text(encoding="utf-8")
    assert "mannen[^1]" in chapter and "van 11 casussen[^" in chapter
    assert "\n[^1]: c" in chapter
    assert "(c01, " not in chapter
    result = run_cli(["build", "--lang", "en", "--out", "en"], cwd=study_copy)
    assert result.exit_code == 0, result.stderr
    names = sorted(p.name for p in (study_copy / "en" / "md").iterdir())
    assert names[0] == "3.1-case-descriptions.md"
    text = (study_copy / "en/md/3.2-support.md").read_text(encoding="utf-8")
    assert "of 11 cases (c" in text and "casussen" not in text
    assert '<html lang="en">' in (study_copy / "en/html/index.html").read_text()


def test_html_counts_link_to_their_cases(
    run_cli: Any, study_copy: Path, frozen: None, no_hooks: None
) -> None:
    assert run_cli(["build"], cwd=study_copy).exit_code == 0
    html = study_copy / "build" / "html"
    chapter = (html / "3.3-meerwaarde.html").read_text(encoding="utf-8")
    assert '<a href="cases/c01.html">c01</a>' in chapter
    assert chapter.count("<table>") == 1
    matrices = (html / "matrices.html").read_text(encoding="utf-8")
    assert '<details class="count"><summary>' in matrices
    assert '<a href="cases/c05.html">c05</a>' in matrices
    case = (html / "cases" / "c05.html").read_text(encoding="utf-8")
    assert '<ol class="timeline">' in case and 'class="figure-slot"' in case


def test_refuses_to_build_over_the_study(run_cli: Any, study_copy: Path) -> None:
    result = run_cli(["build", "--out", "."], cwd=study_copy)
    assert result.exit_code == 2
    assert "refusing to build into ." in result.stderr
    result = run_cli(["build", "--out", "cases/c01.yaml"], cwd=study_copy)
    assert result.exit_code == 2


def test_build_report_api_writes_only_the_formats_asked(study_copy: Path) -> None:
    study = ol_analysis.load_study(study_copy)
    result = build_report(study, study_copy / "out", formats=("md", "html"))
    assert result.formats == ("md", "html")
    assert result.count("md") == 6 and result.count("figures") == 0
    assert json.loads((study_copy / "out" / "stats.json").read_text())["n_cases"] == len(study)
    with pytest.raises(ol_analysis.UsageError, match="unknown output format"):
        build_report(study, study_copy / "out", formats=("pdf",))


def test_order_by_orders_the_cases_of_every_matrix(
    run_cli: Any, study_copy: Path, frozen: None, no_hooks: None
) -> None:
    result = run_cli(["build", "--order-by", "profile.team"], cwd=study_copy)
    assert result.exit_code == 0, result.stderr
    study = ol_analysis.load_study(study_copy)
    order = [case.id for case in ol_analysis.analysis.aggregate.order_cases(study, "profile.team")]
    matrices = (study_copy / "build/html/matrices.html").read_text(encoding="utf-8")
    first_row = matrices.split('<table class="framework">', 1)[1]
    positions = [first_row.index(f'href="cases/{case_id}.html"') for case_id in order]
    assert positions == sorted(positions)
    result = run_cli(["build", "--order-by", "profile.teem"], cwd=study_copy)
    assert result.exit_code == 2
    assert "cannot order by 'profile.teem'" in result.stderr
    assert "Traceback" not in result.stderr


def test_progress_is_reported_step_by_step(study_copy: Path) -> None:
    steps: list[tuple[str, int, int]] = []
    study = ol_analysis.load_study(study_copy)
    build_report(study, study_copy / "out", formats=("md",), progress=lambda *s: steps.append(s))
    assert [s[0] for s in steps] == [
        "gather",
        "figures",
        "chapters",
        "html",
        "docx",
        "swap",
        "done",
    ]
    assert steps[-1][1:] == (6, 6)


def test_build_format_picks_the_outputs(run_cli: Any, study_copy: Path, frozen: None) -> None:
    result = run_cli(["build", "--format", "md,html"], cwd=study_copy)
    assert result.exit_code == 0, result.stderr
    built = {p.name for p in (study_copy / "build").iterdir()}
    assert {"md", "html"} <= built and not {"figures", "docx"} & built
    bad = run_cli(["build", "--format", "md,pdf"], cwd=study_copy)
    assert bad.exit_code == 2 and "unknown output format" in bad.stderr
    alone = run_cli(["build", "--format", "docx"], cwd=study_copy)  # wrote nothing, said nothing
    assert alone.exit_code == 2 and "ask for both (md,docx)" in alone.stderr
