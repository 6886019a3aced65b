"""Incremental builds: a rebuild into the same folder reuses the case pages and the DOCX that
nothing changed, and gives the same bytes as a clean build (``report.incremental``)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from unittest.mock import ANY

import pytest

import ol_analysis
from ol_analysis.report.build import BuildResult, build_report
from ol_analysis.report.incremental import MANIFEST

FORMATS = ("md", "html", "docx")
CASE_PAGES = [f"html/cases/c{n:02d}.html" for n in range(1, 12)]


@pytest.fixture(autouse=True)
def _frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OL_ANALYSIS_BUILD_DATE", "2024-05-01")
    monkeypatch.setenv("OL_ANALYSIS_BUILD_COMMIT", "")


def build(study: Path, out: Path, **options: object) -> BuildResult:
    formats = options.pop("formats", FORMATS)
    loaded = ol_analysis.load_study(study)
    return build_report(loaded, out, formats=formats, **options)  # type: ignore[arg-type]


def files(folder: Path) -> dict[str, bytes]:
    """Every output file and its bytes (the caches in ``.cache`` are not outputs)."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and ".cache" not in p.relative_to(folder).parts
    }


def retitle(study: Path, case_id: str, title: str) -> None:
    case = study / "cases" / f"{case_id}.yaml"
    text = case.read_text(encoding="utf-8")
    case.write_text(re.sub(r"(?m)^title: .*$", f"title: {title}", text, count=1), "utf-8")


def test_a_rebuild_after_one_edit_is_byte_identical_to_a_clean_build(study_copy: Path) -> None:
    out = study_copy / "build"
    build(study_copy, out)
    retitle(study_copy, "c04", "Herziene titel")
    incremental = build(study_copy, out)
    clean = build(study_copy, study_copy / "clean", use_cache=False)
    assert clean.reused == ()
    assert incremental.files == clean.files
    assert files(out) == files(study_copy / "clean")
    assert "Herziene titel" in (out / "html" / "cases" / "c04.html").read_text("utf-8")


def test_only_the_edited_case_page_is_rendered_again(study_copy: Path) -> None:
    out = study_copy / "build"
    first = build(study_copy, out)
    assert first.reused == ()
    unchanged = build(study_copy, out)
    assert unchanged.reused == tuple(sorted([*CASE_PAGES, "docx/report.docx"]))
    retitle(study_copy, "c04", "Herziene titel")
    edited = build(study_copy, out)
    assert set(edited.reused) == set(CASE_PAGES) - {"html/cases/c04.html"}
    # the title is in a chapter, so the chapters' text changed and the DOCX was made again
    assert "docx/report.docx" not in edited.reused


def test_a_framework_change_renders_every_page_again(study_copy: Path) -> None:
    out = study_copy / "build"
    build(study_copy, out, formats=("md", "html"))
    framework = study_copy / "framework.yaml"
    text = framework.read_text(encoding="utf-8")
    label = re.search(r"(?m)^\s+nl: (.+)$", text)
    assert label is not None
    framework.write_text(text.replace(label[0], label[0] + " (herzien)", 1), "utf-8")
    again = build(study_copy, out, formats=("md", "html"))
    assert again.reused == ()
    clean = build(study_copy, study_copy / "clean", formats=("md", "html"), use_cache=False)
    assert files(out) == files(study_copy / "clean")
    assert clean.files == again.files


def test_a_study_page_template_renders_every_page_again(study_copy: Path) -> None:
    out = study_copy / "build"
    build(study_copy, out, formats=("md", "html"))
    templates = study_copy / "templates"
    packaged = Path(ol_analysis.__file__).parent / "templates" / "html" / "case.html"
    page = packaged.read_text(encoding="utf-8").replace("<article", "<article data-own", 1)
    (templates / "html").mkdir(parents=True)
    (templates / "html" / "case.html").write_text(page, "utf-8")
    again = build(study_copy, out, formats=("md", "html"), templates_dir=templates)
    assert again.reused == ()
    assert "data-own" in (out / "html" / "cases" / "c01.html").read_text("utf-8")
    # with its own page templates, a page's key covers every case: one edit renders them all
    retitle(study_copy, "c04", "Herziene titel")
    edited = build(study_copy, out, formats=("md", "html"), templates_dir=templates)
    assert edited.reused == ()


def test_a_new_build_date_renders_every_page_again(
    study_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = study_copy / "build"
    build(study_copy, out)
    monkeypatch.setenv("OL_ANALYSIS_BUILD_DATE", "2024-06-01")
    again = build(study_copy, out)
    assert again.reused == ()
    assert "2024-06-01" in (out / "html" / "cases" / "c01.html").read_text("utf-8")


def test_no_cache_reuses_nothing_but_leaves_a_manifest(study_copy: Path) -> None:
    out = study_copy / "build"
    build(study_copy, out, formats=("md", "html"))
    assert build(study_copy, out, formats=("md", "html"), use_cache=False).reused == ()
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    assert set(manifest["entries"]) == set(CASE_PAGES)
    assert len(build(study_copy, out, formats=("md", "html")).reused) == len(CASE_PAGES)


def test_a_missing_or_broken_manifest_or_page_means_rendering_again(study_copy: Path) -> None:
    out = study_copy / "build"
    build(study_copy, out, formats=("md", "html"))
    (out / "html" / "cases" / "c02.html").unlink()
    again = build(study_copy, out, formats=("md", "html"))
    assert "html/cases/c02.html" not in again.reused
    assert (out / "html" / "cases" / "c02.html").is_file()
    (out / MANIFEST).write_text("{not json", encoding="utf-8")
    assert build(study_copy, out, formats=("md", "html")).reused == ()
    shutil.rmtree(out / ".cache")
    assert build(study_copy, out, formats=("md", "html")).reused == ()


def test_a_failed_build_keeps_the_manifest_of_the_build_in_place(study_copy: Path) -> None:
    out = study_copy / "build"
    build(study_copy, out, formats=("md", "html"))
    before = (out / MANIFEST).read_bytes()
    templates = study_copy / "templates" / "nl" / "chapters"
    templates.mkdir(parents=True)
    (templates / "9-broken.md.j2").write_text("{{ data.nothing_here }}\n", "utf-8")
    with pytest.raises(ol_analysis.StudyError):
        build(study_copy, out, formats=("md", "html"), templates_dir=study_copy / "templates")
    assert (out / MANIFEST).read_bytes() == before
    assert len(build(study_copy, out, formats=("md", "html")).reused) == len(CASE_PAGES)


def test_pages_without_markdown_are_the_pages_with_it(study_copy: Path) -> None:
    """``serve`` builds HTML alone (each chapter rendered once); its pages are the same bytes."""
    build(study_copy, study_copy / "both", formats=("md", "html"))
    alone = build(study_copy, study_copy / "alone", formats=("html",))
    assert not any(f.startswith("md/") for f in alone.files)
    both = {k: v for k, v in files(study_copy / "both").items() if k.startswith("html/")}
    assert files(study_copy / "alone") == {**both, "stats.json": ANY, "schema.json": ANY}
