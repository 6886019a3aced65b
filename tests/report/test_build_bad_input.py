"""Bad input to `build`: an output folder that cannot be made, templates that cannot be read or
that fail while rendering. Each is a diagnostic or a usage error, never a traceback."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import ol_analysis
from ol_analysis.report.data import gather

HERE = Path(__file__).resolve().parent
TINY = HERE / "fixtures" / "tiny"
CHAPTER = "nl/chapters/9-extra.md.j2"


def _templates(tmp_path: Path, content: bytes) -> Path:
    folder = tmp_path / "templates"
    (folder / CHAPTER).parent.mkdir(parents=True)
    (folder / CHAPTER).write_bytes(content)
    return folder


def _build(run_cli: Any, study: Path, *args: str) -> Any:
    return run_cli(["build", "--out", str(study.parent / "build"), *args], cwd=study)


def test_out_under_a_file(run_cli: Any, tmp_path: Path, no_hooks: None) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("keep", encoding="utf-8")
    result = run_cli(["build", "--out", str(blocker / "build")], cwd=TINY)
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: cannot create the output folder {blocker / 'build'}: "
        f"{blocker} is a file, not a folder\n"
    )
    assert blocker.read_text(encoding="utf-8") == "keep"


def test_templates_that_is_a_file(run_cli: Any, study_copy: Path, no_hooks: None) -> None:
    file = study_copy.parent / "templates"
    file.write_text("", encoding="utf-8")
    result = _build(run_cli, study_copy, "--templates", str(file))
    assert result.exit_code == 2
    assert result.stderr == f"error: --templates {file} is a file, not a folder\n"


def test_a_template_that_is_not_utf8(run_cli: Any, study_copy: Path, no_hooks: None) -> None:
    folder = _templates(study_copy.parent, b"# Extra\n\nab caf\xe9\n")
    result = _build(run_cli, study_copy, "--templates", str(folder))
    assert result.exit_code == 1
    assert f"{folder / CHAPTER}:3:7: error[encoding]: the template is not UTF-8" in result.stderr
    assert "hint: save the file as UTF-8" in result.stderr


def test_a_division_by_zero_in_a_template(run_cli: Any, study_copy: Path, no_hooks: None) -> None:
    zero = b"{{ 1 / (data.order | length - data.order | length) }}"
    folder = _templates(study_copy.parent, b"# Extra\n\n" + zero + b"\n")
    result = _build(run_cli, study_copy, "--templates", str(folder))
    assert result.exit_code == 1
    assert f"{folder / CHAPTER}:3:1: error[template-error]: division by zero" in result.stderr


def test_figures_of_a_study_without_cases_raise_no_warning(tmp_path: Path) -> None:
    from ol_analysis.report.figures import draw_if_then_matrix

    (tmp_path / "cases").mkdir()
    study = ol_analysis.load_study(tmp_path, framework=HERE.parents[1] / "framework.yaml")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        draw_if_then_matrix(gather(study, lang="nl"))
