"""The figure cache: a cached figure is the very bytes an uncached build draws, and a change
invalidates exactly the figures that depend on it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import ol_analysis
from ol_analysis.report.data import gather
from ol_analysis.report.figures import figure_keys, render_figures
from ol_analysis.report.figures.cache import FigureCache

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def study_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "study"
    copy.mkdir()
    shutil.copy(REPO / "framework.yaml", copy / "framework.yaml")
    shutil.copytree(REPO / "cases", copy / "cases")
    return copy


def _render(study: Path, cache: FigureCache | None, workers: int = 1) -> dict[str, tuple]:
    data = gather(ol_analysis.load_study(study), lang="nl")
    return {f.name: (f.svg, f.png) for f in render_figures(data, cache=cache, workers=workers)}


def test_cached_uncached_and_parallel_figures_are_the_same_bytes(
    study_copy: Path, tmp_path: Path
) -> None:
    uncached = _render(study_copy, None)
    cache = FigureCache(tmp_path / "cache")
    first = _render(study_copy, cache, workers=2)
    assert first == uncached
    assert len(list((tmp_path / "cache").glob("*.svg"))) == len(uncached)
    again = FigureCache(tmp_path / "cache")
    assert _render(study_copy, again) == uncached
    assert len(again.used) == len(uncached)


def _keys(study: Path) -> dict[str, str]:
    return figure_keys(gather(ol_analysis.load_study(study), lang="nl"))


def test_a_case_change_invalidates_its_network_and_the_cross_case_charts(study_copy: Path) -> None:
    before = _keys(study_copy)
    case = study_copy / "cases" / "c04.yaml"
    case.write_text(case.read_text(encoding="utf-8").replace("title:", "title: X", 1))
    after = _keys(study_copy)
    changed = {name for name in before if before[name] != after[name]}
    assert "network_c01" not in changed  # another case's network is reused
    assert {"course_patterns", "if_then_matrix"} <= changed  # charts count every case


def test_a_framework_change_invalidates_every_figure(study_copy: Path) -> None:
    before = _keys(study_copy)
    framework = study_copy / "framework.yaml"
    text = framework.read_text(encoding="utf-8")
    framework.write_text(text.replace("en: Assen}", "en: Assen town}", 1), encoding="utf-8")
    after = _keys(study_copy)
    assert all(before[name] != after[name] for name in before)


def test_prune_keeps_only_the_figures_of_the_last_build(tmp_path: Path) -> None:
    cache = FigureCache(tmp_path)
    cache.put("a", b"<svg/>", None)
    (tmp_path / "old.svg").write_bytes(b"<svg/>")
    cache.prune()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.svg"]
