"""The rendered chapters of the shipped study, held to reviewed golden files.

The goldens are the Markdown chapters as ``build`` writes them, with a frozen date and commit
and without the figures step (so the figure lines are absent). After a deliberate change to the
templates, the framework or the cases, regenerate them and read the diff before committing:

    python3 -m pytest tests/report/test_goldens.py --update-goldens
    git diff tests/report/golden
"""

from __future__ import annotations

from pathlib import Path

import pytest

import ol_analysis
from ol_analysis.report.build import build_report
from ol_analysis.report.render import Provenance

REPO = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).resolve().parent / "golden"


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_chapters_match_the_goldens(lang: str, tmp_path: Path, update_goldens: bool) -> None:
    study = ol_analysis.load_study(REPO)
    info = study.framework.framework
    provenance = Provenance(info.id, info.version, "abc1234", "2024-05-01")
    result = build_report(
        study, tmp_path / "build", lang=lang, formats=("md",), provenance=provenance
    )
    written = {Path(f).name: tmp_path / "build" / f for f in result.files if f.startswith("md/")}
    golden = GOLDEN / lang
    if update_goldens:
        golden.mkdir(parents=True, exist_ok=True)
        for stale in golden.glob("*.md"):
            if stale.name not in written:
                stale.unlink()
        for name, path in written.items():
            (golden / name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    expected = sorted(p.name for p in golden.glob("*.md"))
    assert sorted(written) == expected, "chapters differ; rerun with --update-goldens and review"
    for name, path in written.items():
        actual = path.read_text(encoding="utf-8")
        assert actual == (golden / name).read_text(encoding="utf-8"), (
            f"{lang}/{name} differs from its golden file; if the change is meant, rerun with "
            "--update-goldens and review the diff"
        )
