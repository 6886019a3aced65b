"""A build keeps its compiled templates in ``--out/.cache/templates`` for the next process: the
next build compiles nothing, a damaged or stale file is compiled again, and the outputs are
the same bytes either way."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

import ol_analysis
from ol_analysis.report import render
from ol_analysis.report.build import COMPILED_TEMPLATES, build_report

REPO = Path(__file__).resolve().parents[2]


def _compiles(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the templates compiled from now on."""
    compiled: list[str] = []
    original = jinja2.Environment.compile

    def counting(self: jinja2.Environment, source: str, name: str | None = None, *a, **k):  # type: ignore[no-untyped-def]
        compiled.append(str(name))
        return original(self, source, name, *a, **k)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    return compiled


def _outputs(out: Path) -> dict[str, bytes]:
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and ".cache" not in p.parts
    }


def _new_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(render, "_COMPILED", {})


def _first_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[ol_analysis.Study, Path, dict[str, bytes]]:
    """The shipped study built once, as by a process of its own: the study, where, what."""
    monkeypatch.setenv("OL_ANALYSIS_BUILD_DATE", "2024-05-01")
    study = ol_analysis.load_study(REPO)
    out = tmp_path / "build"
    _new_process(monkeypatch)
    build_report(study, out, formats=("md", "html"))
    return study, out, _outputs(out)


def test_the_next_build_compiles_nothing_and_writes_the_same_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    study, out, first = _first_build(tmp_path, monkeypatch)
    kept = sorted((out / COMPILED_TEMPLATES).glob("*.jinja"))
    assert len(kept) >= 10
    _new_process(monkeypatch)
    compiled = _compiles(monkeypatch)
    build_report(study, out, formats=("md", "html"))
    assert compiled == []
    assert _outputs(out) == first


def test_damaged_compiled_templates_are_compiled_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    study, out, first = _first_build(tmp_path, monkeypatch)
    for kept in (out / COMPILED_TEMPLATES).glob("*.jinja"):
        kept.write_bytes(b"not compiled code")
    _new_process(monkeypatch)
    compiled = _compiles(monkeypatch)
    build_report(study, out, formats=("md", "html"))
    assert compiled  # every damaged one compiled again
    assert _outputs(out) == first


def test_without_the_cache_nothing_is_kept(tmp_path: Path) -> None:
    out = tmp_path / "build"
    build_report(ol_analysis.load_study(REPO), out, formats=("md",), use_cache=False)
    assert not (out / COMPILED_TEMPLATES).exists()
