"""Fixtures of the report tests: the tiny synthetic study, and a disposable copy of the shipped
study to build into."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import ol_analysis
from ol_analysis.analysis.counts import Roles
from ol_analysis.report.data import ReportData, gather

HERE = Path(__file__).resolve().parent
TINY = HERE / "fixtures" / "tiny"
REPO = HERE.parents[1]

# The tiny framework names its groups unlike the Optimaal Leven codebook; the report finds them
# through these roles.
TINY_ROLES = Roles(
    timeline="timeline.events",
    professionals="care.members",
    casemanager="lead",
    relatives="circle.family",
    partners="circle.partners",
    coordinated=(("circle.partners", "aligned"), ("circle.family", "ties")),
)


@pytest.fixture(scope="session")
def tiny_study() -> ol_analysis.Study:
    return ol_analysis.load_study(TINY)


@pytest.fixture(scope="session")
def tiny(tiny_study: ol_analysis.Study) -> ReportData:
    return gather(tiny_study, lang="en", roles=TINY_ROLES)


@pytest.fixture
def study_copy(tmp_path: Path) -> Path:
    """The shipped framework and cases in a fresh folder (not a git repository)."""
    target = tmp_path / "study"
    target.mkdir()
    shutil.copy(REPO / "framework.yaml", target / "framework.yaml")
    shutil.copytree(REPO / "cases", target / "cases")
    return target


@pytest.fixture
def no_hooks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Builds without the figures and DOCX exporters (fast, and independent of them)."""
    monkeypatch.setattr("ol_analysis.report.build.DEFAULT_FORMATS", ("md", "html"))


@pytest.fixture
def frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    """A fixed build date and commit, as the golden files have them."""
    monkeypatch.setenv("OL_ANALYSIS_BUILD_DATE", "2024-05-01")
    monkeypatch.setenv("OL_ANALYSIS_BUILD_COMMIT", "abc1234")
