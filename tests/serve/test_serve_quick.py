"""``serve`` answers a save in two steps (:mod:`ol_analysis.report.live`): the saved case's
page first, then the whole build. The first step writes the very bytes the second writes, and
declines every save it cannot answer on its own."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from ol_analysis.report.live import LiveBuild
from ol_analysis.report.serve import ReportServer

REPO = Path(__file__).parents[2]


def _built(folder: Path) -> LiveBuild:
    study = folder / "study"
    study.mkdir()
    shutil.copy(REPO / "framework.yaml", study / "framework.yaml")
    shutil.copytree(REPO / "cases", study / "cases")
    live = LiveBuild(
        study / "framework.yaml", study / "cases", study / "templates", study / "build"
    )
    live.full()
    return live


@pytest.fixture
def live(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> LiveBuild:
    monkeypatch.setenv("OL_ANALYSIS_BUILD_DATE", "2024-05-01")
    monkeypatch.setenv("OL_ANALYSIS_BUILD_COMMIT", "")
    return _built(tmp_path)


@pytest.fixture(scope="module")
def declining(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveBuild]:
    """One build for the saves the first step declines: each test puts its files back."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("OL_ANALYSIS_BUILD_DATE", "2024-05-01")
        patch.setenv("OL_ANALYSIS_BUILD_COMMIT", "")
        live = _built(tmp_path_factory.mktemp("declining"))
        yield live


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert re.search(old, text, flags=re.M), old
    path.write_text(re.sub(old, new, text, count=1, flags=re.M), encoding="utf-8")


def _outputs(live: LiveBuild, case_id: str) -> tuple[bytes, bytes]:
    return (
        (live.out / "html" / "cases" / f"{case_id}.html").read_bytes(),
        (live.out / "figures" / f"network_{case_id}.svg").read_bytes(),
    )


def test_the_saved_case_page_is_the_page_the_whole_build_writes(live: LiveBuild) -> None:
    case = live.cases / "c04.yaml"
    chapter = live.out / "html" / "3.1-casusbeschrijvingen.html"
    before = chapter.read_bytes()
    _, network_before = _outputs(live, "c04")
    _edit(case, r"^title: .*$", "title: Vuur!")
    assert live.quick([str(case)]) is True
    quick_page, quick_network = _outputs(live, "c04")
    assert quick_network == network_before  # a title is not part of the network's drawing
    assert "Vuur!" in quick_page.decode("utf-8")
    assert chapter.read_bytes() == before  # the chapters wait for the whole build
    live.full()
    assert _outputs(live, "c04") == (quick_page, quick_network)
    assert chapter.read_bytes() != before


def test_a_changed_network_is_drawn_in_the_first_step(live: LiveBuild) -> None:
    _, network_before = _outputs(live, "c04")
    _edit(
        live.cases / "c04.yaml",
        r"^      coordinated_by_ol: false$",
        "      coordinated_by_ol: true",
    )
    assert live.quick([str(live.cases / "c04.yaml")]) is True
    quick = _outputs(live, "c04")
    assert quick[1] != network_before
    live.full()
    assert _outputs(live, "c04") == quick


@pytest.mark.parametrize(
    ("old", "new", "why"),
    [
        (r"^id: c04$", "id: c04b", "another id: a renamed case"),
        (r"^title: .*$", "titel: kapot", "an invalid case"),
        (r"^  status: final$", "  status: draft", "a draft is not counted"),
    ],
)
def test_a_save_it_cannot_answer_alone_goes_to_the_whole_build(
    declining: LiveBuild, old: str, new: str, why: str
) -> None:
    case = declining.cases / "c04.yaml"
    text = case.read_text(encoding="utf-8")
    page = (declining.out / "html" / "cases" / "c04.html").read_bytes()
    _edit(case, old, new)
    try:
        assert declining.quick([str(case)]) is False, why
    finally:
        case.write_text(text, encoding="utf-8")
    assert (declining.out / "html" / "cases" / "c04.html").read_bytes() == page


def test_other_files_and_new_cases_go_to_the_whole_build(declining: LiveBuild) -> None:
    cases = declining.cases
    new_case = cases / "c99.yaml"
    new_case.write_text((cases / "c04.yaml").read_text("utf-8").replace("id: c04", "id: c99", 1))
    try:
        assert declining.quick([str(new_case)]) is False
        assert declining.quick([str(cases / "c04.yaml"), str(new_case)]) is False
    finally:
        new_case.unlink()
    assert declining.quick([str(new_case)]) is False
    assert declining.quick([str(declining.framework)]) is False
    assert declining.quick([str(cases / "c04.yaml")]) is True  # unchanged: the same page


def test_the_server_publishes_the_page_then_the_whole_build(live: LiveBuild) -> None:
    published: list[tuple[int, bool]] = []
    logged: list[str] = []
    server = ReportServer(
        live.full,
        [live.cases],
        live.out,
        port=0,
        quick=live.quick,
        events=False,
        log=logged.append,
    )
    original = server._publish

    def record(error: str | None, *, complete: bool) -> object:
        state = original(error, complete=complete)
        published.append((state.version, state.complete))
        return state

    server._publish = record  # type: ignore[method-assign]
    server.rebuild()
    _edit(live.cases / "c04.yaml", r"^title: .*$", "title: Vuur!")
    assert server.check() is True
    assert published == [(1, True), (2, False), (3, True)]
    assert server.next_state(after=2, timeout=0).version == 3
    assert any(line.startswith("page rebuilt after a change to") for line in logged), logged
