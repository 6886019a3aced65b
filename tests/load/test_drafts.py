"""Work in progress: a draft (``analysis.status: draft``) is checked but not counted, and an
invalid draft does not block the study unless ``--strict``; subfolders of ``cases/`` and
``.yml``/``.YAML`` files are case files too."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from ol_analysis.core.study import case_files, load_study, status_selection
from ol_analysis.diagnostics import Severity
from ol_analysis.errors import StudyError, UsageError

MINI = Path(__file__).resolve().parents[1] / "fixtures" / "mini"

VALID_DRAFT = """\
id: d1
title: Concept
analysis:
  status: draft
profile:
  team: south
course:
  pattern: stable
  outcomes: [relapse]
"""
INVALID_DRAFT = """\
id: d2
title: Half af
analysis:
  status: draft
profile:
  team: west
course:
  pattern:
  outcomes: []
"""


@pytest.fixture
def study(tmp_path: Path) -> Path:
    """The mini study's two cases plus a valid and an invalid draft."""
    shutil.copytree(MINI, tmp_path, dirs_exist_ok=True)
    (tmp_path / "cases" / "d1.yaml").write_text(VALID_DRAFT, encoding="utf-8")
    (tmp_path / "cases" / "d2.yaml").write_text(INVALID_DRAFT, encoding="utf-8")
    return tmp_path


def stats_json(run_cli: Any, folder: Path, *extra: str) -> Any:
    result = run_cli(["stats", "--format", "json", *extra], cwd=folder)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout), result.stderr


def test_drafts_are_not_counted_and_an_invalid_draft_does_not_block(study: Path) -> None:
    loaded = load_study(study)
    assert list(loaded.cases) == ["m01", "m02"]
    assert [(f.case_id, f.status, f.errors) for f in loaded.left_out] == [
        ("d1", "draft", 0),
        ("d2", "draft", 2),
    ]
    assert loaded.drafts_left_out == 2
    # the invalid draft's problems still show, as warnings at their place
    shown = {(Path(d.path).name, d.line, d.rule, d.severity) for d in loaded.warnings}
    assert ("d2.yaml", 6, "unknown-code", Severity.WARNING) in shown
    assert ("d2.yaml", 8, "empty-value", Severity.WARNING) in shown


def test_include_drafts_counts_the_valid_draft_and_strict_blocks(study: Path) -> None:
    assert list(load_study(study, include_drafts=True).cases) == ["d1", "m01", "m02"]
    with pytest.raises(StudyError) as raised:
        load_study(study, strict=True)
    assert {d.rule for d in raised.value.diagnostics if d.is_error} >= {"unknown-code"}


def test_status_filter(study: Path) -> None:
    (study / "cases" / "m02.yaml").write_text(
        (study / "cases" / "m02.yaml")
        .read_text(encoding="utf-8")
        .replace("title:", "analysis:\n  status: feedback\ntitle:", 1),
        encoding="utf-8",
    )
    # final also takes the cases without a status (m01); feedback is m02 alone
    assert list(load_study(study, statuses=["final"]).cases) == ["m01"]
    assert list(load_study(study, statuses=["feedback"]).cases) == ["m02"]
    assert list(load_study(study, statuses=["draft"]).cases) == ["d1"]
    assert status_selection(["final"]) == frozenset({"final", None})
    with pytest.raises(UsageError, match="unknown status 'done'"):
        load_study(study, statuses=["done"])


def test_stats_leaves_drafts_out_and_says_so(run_cli: Any, study: Path) -> None:
    counted, stderr = stats_json(run_cli, study)
    assert counted["n_cases"] == 2
    assert counted["counts"]["course.outcomes.relapse"]["cases"] == []
    assert "not counted: 2 case file(s): d1 (draft), d2 (draft, 2 errors)" in stderr
    assert "d2.yaml:6:9: warning[unknown-code]" in stderr
    with_drafts, _ = stats_json(run_cli, study, "--include-drafts")
    assert with_drafts["n_cases"] == 3
    assert with_drafts["counts"]["course.outcomes.relapse"]["cases"] == ["d1"]
    only, _ = stats_json(run_cli, study, "--status", "draft")
    assert only["n_cases"] == 1


def test_matrix_takes_the_same_options(run_cli: Any, study: Path) -> None:
    result = run_cli(["matrix", "course.outcomes", "--format", "json"], cwd=study)
    assert result.exit_code == 0
    assert "d1" not in json.loads(result.stdout)["cases"]
    result = run_cli(
        ["matrix", "course.outcomes", "--format", "json", "--include-drafts"], cwd=study
    )
    assert "d1" in json.loads(result.stdout)["cases"]


def test_validate_reports_a_draft_as_warnings_unless_strict(run_cli: Any, study: Path) -> None:
    result = run_cli(["validate"], cwd=study)
    assert result.exit_code == 0
    assert "cases/d2.yaml:6:9: warning[unknown-code]" in result.stderr
    assert "--strict makes them errors" in result.stderr
    strict = run_cli(["validate", "--strict"], cwd=study)
    assert strict.exit_code == 1
    assert "cases/d2.yaml:6:9: error[unknown-code]" in strict.stderr


def test_status_lists_every_case_file(run_cli: Any, study: Path) -> None:
    result = run_cli(["status", "--format", "json"], cwd=study)
    assert result.exit_code == 0, result.stderr
    listed = {c["id"]: (c["status"], c["errors"]) for s in json.loads(result.stdout)["subgroups"]
              for c in s["cases"]}  # fmt: skip
    assert listed == {"d1": ("draft", 0), "d2": ("draft", 2), "m01": (None, 0), "m02": (None, 0)}
    text = run_cli(["status"], cwd=study)
    assert "errors" in text.stdout and "d2" in text.stdout
    drafts = run_cli(["status", "--status", "draft", "--format", "json"], cwd=study)
    ids = [c["id"] for s in json.loads(drafts.stdout)["subgroups"] for c in s["cases"]]
    assert ids == ["d1", "d2"]


def test_a_scaffold_is_a_draft_and_blocks_nobody(run_cli: Any, tmp_path: Path) -> None:
    shutil.copytree(MINI, tmp_path, dirs_exist_ok=True)
    assert run_cli(["new", "m03", "--title", "Nieuw"], cwd=tmp_path).exit_code == 0
    assert "status: draft" in (tmp_path / "cases" / "m03.yaml").read_text(encoding="utf-8")
    counted, stderr = stats_json(run_cli, tmp_path)
    assert counted["n_cases"] == 2
    assert "m03 (draft" in stderr


def test_the_chapters_say_how_many_drafts_were_left_out(run_cli: Any, tmp_path: Path) -> None:
    from ol_analysis.report.build import build_report

    repo = Path(__file__).resolve().parents[2]
    shutil.copytree(repo / "cases", tmp_path / "cases")
    for name in ("framework.yaml", "study.yaml"):
        shutil.copy(repo / name, tmp_path / name)
    built: dict[str, str] = {}
    for label in ("clean", "draft"):
        if label == "draft":
            assert run_cli(["new", "c12", "--title", "Nieuw"], cwd=tmp_path).exit_code == 0
        study = load_study(tmp_path)
        assert len(study) == 11
        out = tmp_path / label
        build_report(study, out, formats=("md",))
        built[label] = "".join(p.read_text(encoding="utf-8") for p in (out / "md").glob("*.md"))
    assert "niet meegeteld" not in built["clean"]
    assert "niet meegeteld: 1 casus in concept" in built["draft"]


def test_case_files_in_subfolders_and_any_suffix_case(tmp_path: Path) -> None:
    cases = tmp_path / "cases"
    (cases / "subgroup-a").mkdir(parents=True)
    (cases / ".hidden").mkdir()
    for name in ("c01.yaml", "subgroup-a/c02.yml", "subgroup-a/C03.YAML", "notes.md"):
        (cases / name).write_text("id: x\n", encoding="utf-8")
    (cases / ".hidden" / "c04.yaml").write_text("id: x\n", encoding="utf-8")
    (cases / ".c05.yaml").write_text("id: x\n", encoding="utf-8")
    found = [p.relative_to(cases).as_posix() for p in case_files(cases)]
    assert found == ["c01.yaml", "subgroup-a/C03.YAML", "subgroup-a/c02.yml"]


def test_a_case_in_a_subfolder_is_counted(run_cli: Any, tmp_path: Path) -> None:
    shutil.copytree(MINI, tmp_path, dirs_exist_ok=True)
    (tmp_path / "cases" / "round-2").mkdir()
    shutil.move(tmp_path / "cases" / "m02.yaml", tmp_path / "cases" / "round-2" / "m02.yml")
    counted, _ = stats_json(run_cli, tmp_path)
    assert counted["n_cases"] == 2


def test_export_refi_keeps_drafts_and_the_counting_exports_leave_them_out(
    run_cli: Any, study: Path
) -> None:
    import zipfile

    assert run_cli(["export", "refi", "--out", "p.qdpx"], cwd=study).exit_code == 0
    with zipfile.ZipFile(study / "p.qdpx") as project:
        qde = project.read("project.qde").decode("utf-8")
    assert 'name="d1"' in qde  # the valid draft travels with the study
    assert run_cli(["export", "csv", "--out", "csv"], cwd=study).exit_code == 0
    long_table = "".join(p.read_text(encoding="utf-8") for p in (study / "csv").glob("*.csv"))
    assert "m01" in long_table and "d1" not in long_table  # counts equal stats
