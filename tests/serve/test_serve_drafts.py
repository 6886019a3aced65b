"""``serve`` counts the cases ``build`` counts: drafts are left out (an invalid one does not
break the page) unless ``include_drafts``, and the footer says how many were left out."""

from __future__ import annotations

import shutil
from pathlib import Path

from ol_analysis.core.framework import load_framework
from ol_analysis.core.scaffold import scaffold
from ol_analysis.report.serve import study_server

REPO = Path(__file__).parents[2]


def served_index(study: Path, **options: object) -> str:
    out = study / "build"
    server = study_server(
        study / "framework.yaml",
        study / "cases",
        study / "templates",
        out,
        port=0,
        interval=60,
        events=False,
        **options,  # type: ignore[arg-type]
    )
    server.start()
    try:
        assert server.state.error is None, server.state.error
        return (out / "html" / "index.html").read_text(encoding="utf-8")
    finally:
        server.stop()


def test_serve_leaves_drafts_out_unless_asked(tmp_path: Path) -> None:
    study = tmp_path / "study"
    study.mkdir()
    shutil.copy(REPO / "framework.yaml", study / "framework.yaml")
    shutil.copytree(REPO / "cases", study / "cases")
    c04 = study / "cases" / "c04.yaml"
    c04.write_text(
        c04.read_text(encoding="utf-8").replace("status: final", "status: draft", 1), "utf-8"
    )
    framework = load_framework(study / "framework.yaml")
    (study / "cases" / "c12.yaml").write_text(scaffold(framework, "c12", "Nieuw"), "utf-8")
    index = served_index(study)
    assert "Vuur aan de schenen" not in index  # c04's title: a draft, not counted
    assert "niet meegeteld: 2 casussen in concept" in index  # c04 and the invalid c12
    index = served_index(study, include_drafts=True)
    assert "Vuur aan de schenen" in index
    assert "niet meegeteld: 1 casus in concept" in index  # c12 is invalid: never counted
