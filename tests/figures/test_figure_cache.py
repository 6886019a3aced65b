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


def _changed(study: Path, case_id: str, old: str, new: str) -> set[str]:
    before = _keys(study)
    case = study / "cases" / f"{case_id}.yaml"
    text = case.read_text(encoding="utf-8")
    assert old in text
    case.write_text(text.replace(old, new, 1), encoding="utf-8")
    after = _keys(study)
    return {name for name in before if before[name] != after[name]}


def test_an_edit_no_figure_shows_keeps_every_figure(study_copy: Path) -> None:
    assert _changed(study_copy, "c04", "title:", "title: X") == set()


def test_a_coding_change_invalidates_the_charts_that_show_it(study_copy: Path) -> None:
    changed = _changed(study_copy, "c03", "code: decompensation_recovery", "code: ups_downs_milder")
    assert changed == {"course_patterns"}  # not the other charts, nor any case's network


def test_a_network_change_invalidates_its_network_and_the_partner_chart(
    study_copy: Path,
) -> None:
    changed = _changed(study_copy, "c04", "partner: youth_care", "partner: gp")
    assert {"network_c04", "partner_network"} <= changed
    assert "network_c01" not in changed


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
