"""Case networks written as SVG without matplotlib: well-formed, accessible, complete (every
person of the case's network is drawn and named), reproducible, and shown on the case pages."""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ol_analysis
from ol_analysis.report.data import ReportData, gather
from ol_analysis.report.figures import render_figures
from ol_analysis.report.figures.networks import professional_style
from ol_analysis.report.figures.style import ui_text
from ol_analysis.report.figures.svg import case_network_svg, text

SVG = "{http://www.w3.org/2000/svg}"
REPO = Path(__file__).resolve().parents[2]
MARKERS = {f"{SVG}circle", f"{SVG}rect", f"{SVG}polygon"}


@pytest.fixture(scope="module")
def data() -> ReportData:
    return gather(ol_analysis.load_study(REPO), lang="nl")


@pytest.fixture(scope="module")
def networks(data: ReportData) -> dict[str, bytes]:
    return {f.name: f.svg for f in render_figures(data, png=False) if f.name.startswith("network_")}


def lines(svg: bytes) -> list[str]:
    return ["".join(t.itertext()) for t in ET.fromstring(svg).iter(f"{SVG}text")]


def test_every_case_network_is_well_formed_svg_with_a_title_and_description(
    data: ReportData, networks: dict[str, bytes]
) -> None:
    assert set(networks) == {f"network_{case_id}" for case_id in data.order}
    for name, svg in networks.items():
        root = ET.fromstring(svg)
        assert root.tag == f"{SVG}svg"
        assert root.find(f"{SVG}title") is not None
        assert name.removeprefix("network_") in (root.findtext(f"{SVG}title") or "")
        assert root.findtext(f"{SVG}desc")
        assert root.get("viewBox")


def test_every_person_of_the_network_is_drawn_and_named(
    data: ReportData, networks: dict[str, bytes]
) -> None:
    for case_id in data.order:
        graph = data.networks[case_id].graph
        drawn = graph.subgraph(n for n in graph if n != "team")
        labels, _field, _codes = professional_style(data, drawn)
        svg = networks[f"network_{case_id}"]
        root = ET.fromstring(svg)
        shown = " ".join(" ".join(lines(svg)).split())
        desc = root.findtext(f"{SVG}desc") or ""
        for node in drawn:
            name = ui_text("client", "nl") if node == "client" else labels[node]
            assert name in shown, (case_id, node)
            assert name in " ".join(desc.split()), (case_id, node)
        groups = {g.get("class"): g for g in root.iter(f"{SVG}g")}
        people = [e for e in groups["people"] if e.tag in MARKERS]
        assert len(people) == len(drawn)
        edges = [e for g in root.iter(f"{SVG}g") if "edges" in g.get("class", "") for e in g]
        assert len(edges) == drawn.degree("client")


def test_the_same_study_gives_the_same_bytes_in_another_process(networks: dict[str, bytes]) -> None:
    code = (
        "import sys, ol_analysis; from ol_analysis.report.data import gather; "
        "from ol_analysis.report.figures.svg import case_network_svg; "
        f"d = gather(ol_analysis.load_study({str(REPO)!r}), lang='nl'); "
        "sys.stdout.buffer.write(case_network_svg(d, 'c04', 'Netwerk rond casus c04')); "
        "sys.exit('matplotlib' in sys.modules)"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, env=env, check=False)
    assert result.returncode == 0, result.stderr  # and drawing a network imports no matplotlib
    assert result.stdout == networks["network_c04"]


def test_a_network_in_english_has_english_text(
    data: ReportData, networks: dict[str, bytes]
) -> None:
    english = gather(ol_analysis.load_study(REPO), lang="en")
    svg = case_network_svg(english, "c04", "Network around case c04")
    assert "client" in lines(svg)
    assert "cliënt" in lines(networks["network_c04"])
    assert svg != networks["network_c04"]


@given(st.text())
def test_any_label_text_gives_well_formed_xml(label: str) -> None:
    root = ET.Element("svg", {"xmlns": "http://www.w3.org/2000/svg"})
    text(root, (label, label), 1.0, 2.0, "start")
    parsed = ET.fromstring(ET.tostring(root, encoding="unicode").encode("utf-8", "surrogatepass"))
    assert len(list(parsed.iter(f"{SVG}text"))) == 2


def test_a_built_case_page_shows_its_network_svg(tmp_path: Path) -> None:
    out = tmp_path / "build"
    ol_analysis.build_report(ol_analysis.load_study(REPO), out, formats=("html", "figures"))
    page = (out / "html" / "cases" / "c04.html").read_text(encoding="utf-8")
    assert 'src="../../figures/network_c04.svg"' in page
    svg = (out / "figures" / "network_c04.svg").read_bytes()
    assert "Netwerk rond casus c04" in ET.fromstring(svg).findtext(f"{SVG}title", "")


def test_a_network_svg_holds_nothing_the_privacy_check_of_a_build_flags(
    networks: dict[str, bytes],
) -> None:
    from ol_analysis.privacy.scan import scan_text

    for name, svg in networks.items():  # a colour written "#4477AA" reads as a postcode
        assert scan_text(f"{name}.svg", svg.decode("utf-8")) == [], name


def test_a_new_svg_format_draws_every_network_again_but_no_chart(
    data: ReportData, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cache filled by an earlier drawer (matplotlib's networks) is not served as this one's."""
    import ol_analysis.report.figures as figures

    before = figures.figure_keys(data)
    monkeypatch.setattr(figures, "FORMAT", "svg-direct-next")
    after = figures.figure_keys(data)
    changed = {name for name in before if before[name] != after[name]}
    assert changed == {name for name in before if name.startswith("network_")}
