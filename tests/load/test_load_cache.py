"""A study loaded again with a :class:`CaseFileCache` re-reads only the case files whose bytes
changed, and loads exactly what a load without the cache loads (``serve`` relies on both)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ol_analysis.core.loadcache import CaseFileCache
from ol_analysis.core.study import check_study, load_study
from ol_analysis.diagnostics import format_text

MINI = Path(__file__).resolve().parents[1] / "fixtures" / "mini"


@pytest.fixture
def study(tmp_path: Path) -> Path:
    shutil.copytree(MINI, tmp_path / "mini")
    return tmp_path / "mini"


def _problems(folder: Path, cache: CaseFileCache | None) -> list[str]:
    check = check_study(folder / "framework.yaml", None, folder / "cases", cache=cache)
    return [format_text(d) for d in check.diagnostics]


def test_an_unchanged_study_is_read_once_and_gives_the_same_models(study: Path) -> None:
    cache = CaseFileCache()
    first = load_study(study, cache=cache)
    assert (cache.hits, cache.misses) == (0, 2)
    again = load_study(study, cache=cache)
    assert (cache.hits, cache.misses) == (2, 2)
    assert [c.model for c in again] == [c.model for c in first]
    assert all(a.model is b.model for a, b in zip(again, first, strict=True))


def test_an_edited_case_is_read_again_and_the_others_are_not(study: Path) -> None:
    cache = CaseFileCache()
    first = {c.id: c.model for c in load_study(study, cache=cache)}
    case = study / "cases" / "m01.yaml"
    case.write_text(case.read_text("utf-8").replace("Eerste casus", "Herzien"), "utf-8")
    again = {c.id: c.model for c in load_study(study, cache=cache)}
    assert (cache.hits, cache.misses) == (1, 3)
    assert again["m02"] is first["m02"]
    assert again["m01"] is not first["m01"]
    assert again["m01"].title == "Herzien"
    uncached = {c.id: c.model.model_dump() for c in load_study(study)}
    assert {k: m.model_dump() for k, m in again.items()} == uncached


def test_a_broken_edit_gives_what_an_uncached_check_gives(study: Path) -> None:
    cache = CaseFileCache()
    load_study(study, cache=cache)
    case = study / "cases" / "m02.yaml"
    case.write_text(case.read_text("utf-8").replace("title:", "titel:", 1), "utf-8")
    cached = _problems(study, cache)
    assert cached and cached == _problems(study, None)
    assert any("m02.yaml" in line for line in cached)


def test_a_changed_framework_empties_the_cache(study: Path) -> None:
    cache = CaseFileCache()
    load_study(study, cache=cache)
    framework = study / "framework.yaml"
    framework.write_text(
        framework.read_text("utf-8").replace("en: North}", "en: North side}"), "utf-8"
    )
    load_study(study, cache=cache)
    assert (cache.hits, cache.misses) == (0, 4)


def test_a_removed_case_is_forgotten(study: Path) -> None:
    cache = CaseFileCache()
    load_study(study, cache=cache)
    (study / "cases" / "m02.yaml").unlink()
    assert [c.id for c in load_study(study, cache=cache)] == ["m01"]
    shutil.copy(MINI / "cases" / "m02.yaml", study / "cases" / "m02.yaml")
    assert [c.id for c in load_study(study, cache=cache)] == ["m01", "m02"]
    assert cache.misses == 3


def test_a_file_read_before_is_placed_at_its_line_by_a_later_problem(study: Path) -> None:
    cache = CaseFileCache()
    load_study(study, cache=cache)
    shutil.copy(study / "cases" / "m01.yaml", study / "cases" / "m00.yaml")  # m01's id again
    cached = _problems(study, cache)
    assert any("m01.yaml:1:" in line and "duplicate-case" in line for line in cached), cached
    assert cached == _problems(study, None)
