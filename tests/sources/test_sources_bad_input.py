"""Bad input in sources/ is never a traceback: any manifest, any transcript bytes, any doc: value
gives diagnostics (or none) at real positions."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ol_analysis.core.sources.manifest import ENTRY_KEYS
from ol_analysis.core.study import check_study

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "transcripts-study"

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 3000),
    st.sampled_from(["p01", "p1", "interview", "2023-02-30", "2023-03-14", "../x.txt", "a.pdf"]),
    st.sampled_from(["p01-interview.txt", "p03-interview.docx", "gone.txt", "", "x/y.txt"]),
    st.text(max_size=8),
)
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=3), max_leaves=6)
ENTRIES = st.dictionaries(
    st.one_of(st.sampled_from(ENTRY_KEYS), st.sampled_from(["speaker", "files", "1"])),
    VALUES,
    max_size=8,
)
MANIFESTS = st.one_of(
    st.fixed_dictionaries({"documents": st.lists(st.one_of(ENTRIES, SCALARS), max_size=4)}),
    VALUES,
    st.dictionaries(st.sampled_from(["documents", "docs"]), VALUES, max_size=2),
)


@pytest.fixture(scope="module")
def study(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("bad") / "study"
    shutil.copytree(EXAMPLE, target, ignore=shutil.ignore_patterns("build", "templates"))
    return target


def check(study: Path) -> None:
    result = check_study(study / "framework.yaml", cases_dir=study / "cases", keep_cases=False)
    for diagnostic in result.diagnostics:
        assert diagnostic.line >= 1 and diagnostic.column >= 1, diagnostic


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(MANIFESTS)
def test_any_manifest_gives_diagnostics_not_a_traceback(study: Path, manifest: object) -> None:
    (study / "sources" / "sources.yaml").write_text(
        yaml.safe_dump(manifest, allow_unicode=True), encoding="utf-8"
    )
    check(study)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.binary(max_size=200))
def test_any_transcript_bytes_give_diagnostics_not_a_traceback(study: Path, raw: bytes) -> None:
    shutil.copy(EXAMPLE / "sources" / "sources.yaml", study / "sources" / "sources.yaml")
    (study / "sources" / "p01-interview.txt").write_bytes(raw)
    (study / "sources" / "p03-interview.docx").write_bytes(raw)
    check(study)
