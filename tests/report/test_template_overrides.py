"""A file in the study's ``templates/`` that no build reads gets a ``template-ignored`` warning
naming the place it would be used from (it used to be ignored without a word)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from ol_analysis.diagnostics import Severity
from ol_analysis.report.overrides import packaged_templates, template_warnings

CHAPTER = "nl/chapters/3.1-casusbeschrijvingen.md.j2"


def write(folder: Path, relative: str, text: str = "{# x #}\n") -> None:
    (folder / relative).parent.mkdir(parents=True, exist_ok=True)
    (folder / relative).write_text(text, encoding="utf-8")


def test_overrides_and_new_chapters_at_their_place_are_quiet(tmp_path: Path) -> None:
    assert CHAPTER in packaged_templates()
    for relative in (CHAPTER, "nl/chapters/5-discussie.md.j2", "html/style.css", "README.md"):
        write(tmp_path, relative)
    write(tmp_path, "nl/eigen-macros.md.j2")
    write(tmp_path, "nl/chapters/6-extra.md.j2", '{% import "nl/eigen-macros.md.j2" as m %}\n')
    assert template_warnings(tmp_path) == []


def test_each_ignored_file_is_named_with_its_place(tmp_path: Path) -> None:
    write(tmp_path, "nl/chapters/3.1-casusbeschrijvingen.md")  # no .j2
    write(tmp_path, "chapters/3.2-ondersteuning.md.j2")  # no language folder
    write(tmp_path, "4-conclusie.md.j2")  # at the top
    write(tmp_path, "nl/5-discussie.md.j2")  # a chapter outside chapters/
    write(tmp_path, "html/extra.html")  # included by nothing
    found = {Path(d.path).relative_to(tmp_path).as_posix(): d for d in template_warnings(tmp_path)}
    assert set(found) == {
        "nl/chapters/3.1-casusbeschrijvingen.md",
        "chapters/3.2-ondersteuning.md.j2",
        "4-conclusie.md.j2",
        "nl/5-discussie.md.j2",
        "html/extra.html",
    }
    assert all(
        d.rule == "template-ignored" and d.severity is Severity.WARNING for d in found.values()
    )
    assert found["nl/chapters/3.1-casusbeschrijvingen.md"].hint == f"rename it to {CHAPTER[:-3]}.j2"
    assert found["chapters/3.2-ondersteuning.md.j2"].hint == (
        "move it to nl/chapters/3.2-ondersteuning.md.j2"
    )
    assert "nl/chapters/4-conclusie.md.j2" in (found["4-conclusie.md.j2"].hint or "")
    assert "nl/chapters/5-discussie.md.j2" in (found["nl/5-discussie.md.j2"].hint or "")


def test_build_prints_the_warnings(run_cli: Any, repo_root: Path, tmp_path: Path) -> None:
    shutil.copytree(repo_root / "cases", tmp_path / "cases")
    for name in ("framework.yaml", "study.yaml"):
        shutil.copy(repo_root / name, tmp_path / name)
    write(tmp_path / "templates", "3.1-casusbeschrijvingen.md.j2")
    result = run_cli(["build", "--format", "md"], cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    assert "templates/3.1-casusbeschrijvingen.md.j2:1:1: warning[template-ignored]" in result.stderr
    assert "hint: move it to nl/chapters/3.1-casusbeschrijvingen.md.j2" in result.stderr
