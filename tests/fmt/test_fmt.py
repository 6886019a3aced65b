"""``ol-analysis fmt``: golden files, comment placement, refusals, --check and atomic writes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ol_analysis.core.casemodel import CaseModels
from ol_analysis.core.framework import load_framework
from ol_analysis.core.yamlsource import parse_text
from ol_analysis.feedback.fmt import format_text, same_data
from ol_analysis.feedback.fmt.comments import comment_texts

HERE = Path(__file__).resolve().parent
GOLDEN = HERE / "golden"
INPUTS = sorted(p for p in GOLDEN.glob("*.yaml") if not p.name.endswith(".expected.yaml"))


@pytest.fixture(scope="module")
def models() -> CaseModels:
    return CaseModels(load_framework(HERE.parent / "fixtures" / "mini" / "framework.yaml"))


def _fmt(models: CaseModels, text: str) -> str:
    result = format_text(text, models)
    assert result.diagnostics == []
    assert result.formatted is not None
    return result.formatted


@pytest.mark.parametrize("source", INPUTS, ids=lambda p: p.stem)
def test_golden(
    source: Path, models: CaseModels, update_goldens: bool
) -> None:  # every input file has its expected canonical form next to it
    expected = source.with_name(f"{source.stem}.expected.yaml")
    formatted = _fmt(models, source.read_text(encoding="utf-8"))
    if update_goldens:
        expected.write_text(formatted, encoding="utf-8")
    assert formatted == expected.read_text(encoding="utf-8")


@pytest.mark.parametrize("source", INPUTS, ids=lambda p: p.stem)
def test_meaning_comments_and_idempotence(source: Path, models: CaseModels) -> None:
    text = source.read_text(encoding="utf-8")
    formatted = _fmt(models, text)
    before, after = parse_text("in", text)[0], parse_text("out", formatted)[0]
    assert before is not None and after is not None
    assert same_data(before.data, after.data)
    assert sorted(comment_texts(text)) == sorted(comment_texts(formatted))
    assert _fmt(models, formatted) == formatted


def _lines_around(text: str, needle: str) -> tuple[str, str]:
    lines = text.splitlines()
    index = next(i for i, line in enumerate(lines) if needle in line)
    return lines[index], lines[index + 1]


def test_comment_moves_with_the_key_it_describes(models: CaseModels) -> None:
    formatted = _fmt(models, (GOLDEN / "comments_reordered.yaml").read_text(encoding="utf-8"))
    _, following = _lines_around(formatted, "# the statement of the first record")
    assert following.strip() == "- statement: more_crises"
    _, following = _lines_around(formatted, "# before profile")
    assert following == "profile:"
    assert formatted.startswith("# yaml-language-server: $schema=../build/schema.json\n")
    assert '  age_group: "18_25"  # a code id' in formatted
    assert "status: supports  # eol on status, moves with it" in formatted
    assert formatted.endswith("# footer comment\n# second footer line\n")


def test_comments_between_list_items_stay_between_them(models: CaseModels) -> None:
    formatted = _fmt(models, (GOLDEN / "comments_reordered.yaml").read_text(encoding="utf-8"))
    lines = formatted.splitlines()
    index = lines.index("    # a comment between list items")
    assert lines[index - 1] == "    - stability  # first outcome"
    assert lines[index + 1] == "    - code: more_self_direction"


def test_comment_after_a_block_scalar_stays_a_comment(models: CaseModels) -> None:
    text = (
        "id: m01\ntitle: T\nsummary: |\n    two\n    lines\n  # deeper than the key: a comment\n"
        "profile:\n  team: north\ncourse:\n  pattern: stable\n  outcomes: []\n"
    )
    formatted = _fmt(models, text)
    # the text is re-indented to column 2, so the comment goes to column 1: still deeper than
    # the key it follows, no longer deep enough to be part of the text
    assert "\n # deeper than the key: a comment\n" in formatted
    again = parse_text("out", formatted)[0]
    assert again is not None and again.data["summary"] == "two\nlines\n"


def test_numbers_and_ids_are_kept_as_typed(models: CaseModels) -> None:
    text = (
        "id: m01\ntitle: T\nprofile:\n  team: north\n  age_group: 18_25\n  severity: 0x0A\n"
        "course:\n  pattern: stable\n  outcomes:\n    - code: stability\n      evidence:\n"
        "        - {note: n, source: report, section: 3.10}\n"
    )
    formatted = _fmt(models, text)
    assert 'age_group: "18_25"\n' in formatted  # quoted: a YAML 1.1 reader would see 1825
    assert "severity: 0x0A\n" in formatted
    assert "section: 3.10\n" in formatted


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("18_25", '"18_25"'),  # YAML 1.1: the integer 1825
        ("no", '"no"'),  # YAML 1.1: false
        ("2021-03-12", '"2021-03-12"'),  # YAML 1.1: a date
        ("north", "north"),
    ],
)
def test_scalars_are_written_so_that_every_yaml_reader_agrees(
    models: CaseModels, typed: str, written: str
) -> None:
    text = "id: m01\ntitle: T\nprofile:\n  team: north\ncourse:\n  pattern: stable\n"
    text += "  outcomes:\n    - code: stability\n      evidence:\n"
    text += f"        - {{note: {typed}, source: report}}\n"
    formatted = _fmt(models, text)
    assert f"note: {written}\n" in formatted


def test_a_literal_block_with_trailing_spaces_stays_a_block(models: CaseModels) -> None:
    text = (
        "id: m01\ntitle: T\nprofile:\n  team: north\ncourse:\n  pattern: stable\n"
        "  outcomes:\n    - code: stability\n      evidence:\n        - source: report\n"
        "          note: |\n            first line  \n            second line\n"
    )
    formatted = _fmt(models, text)
    assert "note: |\n" in formatted
    assert "first line  \n" in formatted


# --- the command line ------------------------------------------------------------------------


@pytest.fixture
def study(tmp_path: Path, mini_study: Path) -> Path:
    shutil.copy(mini_study / "framework.yaml", tmp_path / "framework.yaml")
    shutil.copytree(mini_study / "cases", tmp_path / "cases")
    return tmp_path


def test_check_names_files_and_writes_nothing(study: Path, run_cli) -> None:
    before = {p: p.read_bytes() for p in (study / "cases").iterdir()}
    result = run_cli(["fmt", "--check"], cwd=study)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "would reformat cases/m01.yaml",
        "would reformat cases/m02.yaml",
    ]
    assert {p: p.read_bytes() for p in (study / "cases").iterdir()} == before


def test_fmt_writes_then_check_passes(study: Path, run_cli) -> None:
    result = run_cli(["fmt"], cwd=study)
    assert result.exit_code == 0, result.stderr
    assert "reformatted cases/m01.yaml" in result.stderr
    assert run_cli(["validate"], cwd=study).exit_code == 0
    again = run_cli(["fmt", "--check"], cwd=study)
    assert (again.exit_code, again.stdout, again.stderr) == (0, "", "")
    # no temporary files left behind
    assert sorted(p.name for p in (study / "cases").iterdir()) == ["m01.yaml", "m02.yaml"]


def test_fmt_given_files_only(study: Path, run_cli) -> None:
    untouched = (study / "cases" / "m02.yaml").read_bytes()
    result = run_cli(["fmt", "cases/m01.yaml"], cwd=study)
    assert result.exit_code == 0
    assert (study / "cases" / "m02.yaml").read_bytes() == untouched


def test_a_file_with_a_syntax_error_is_never_rewritten(study: Path, run_cli) -> None:
    broken = study / "cases" / "m02.yaml"
    broken.write_text("id: m02\ntitle: [unclosed\n", encoding="utf-8")
    before = broken.read_bytes()
    result = run_cli(["fmt"], cwd=study)
    assert result.exit_code == 1
    assert "cases/m02.yaml:" in result.stderr and "error[yaml-syntax]" in result.stderr
    assert broken.read_bytes() == before
    assert "reformatted cases/m01.yaml" in result.stderr  # the other files are still formatted


def test_an_invalid_file_is_refused_with_its_diagnostics(study: Path, run_cli) -> None:
    invalid = study / "cases" / "m02.yaml"
    invalid.write_text(
        invalid.read_text(encoding="utf-8").replace("pattern: stable", "pattern: stabel"),
        encoding="utf-8",
    )
    before = invalid.read_bytes()
    result = run_cli(["fmt", "--check", "cases/m02.yaml"], cwd=study)
    assert result.exit_code == 1
    assert "error[unknown-code]" in result.stderr
    assert "would reformat" not in result.stderr
    assert run_cli(["fmt", "cases/m02.yaml"], cwd=study).exit_code == 1
    assert invalid.read_bytes() == before


def test_missing_framework_is_a_usage_error(tmp_path: Path, run_cli) -> None:
    (tmp_path / "cases").mkdir()
    result = run_cli(["fmt"], cwd=tmp_path)
    assert result.exit_code == 2
    assert "framework file not found" in result.stderr


def test_write_is_atomic(study: Path, run_cli, monkeypatch: pytest.MonkeyPatch) -> None:
    target = study / "cases" / "m01.yaml"
    before = target.read_bytes()

    def failing_replace(src: object, dst: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr("ol_analysis.safe_write.os.replace", failing_replace)
    result = run_cli(["fmt", "cases/m01.yaml"], cwd=study)
    assert result.exit_code in (1, 2)  # reported, not a traceback
    assert "cases/m01.yaml" in result.stderr and "disk full" in result.stderr
    assert "reformatted" not in result.stderr
    assert target.read_bytes() == before
    assert sorted(p.name for p in (study / "cases").iterdir()) == ["m01.yaml", "m02.yaml"]


def test_safety_net_refuses_output_that_changes_meaning(
    study: Path, run_cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ol_analysis.feedback.fmt as fmt_module

    original = fmt_module.format_data

    def lossy(framework, data, comments, **options):  # drops the integer's spelling: 7 → 7.0
        return original(framework, data, comments, **options).replace(
            "severity: 7", "severity: 7.0"
        )

    monkeypatch.setattr(fmt_module, "format_data", lossy)
    target = study / "cases" / "m01.yaml"
    before = target.read_bytes()
    result = run_cli(["fmt", "cases/m01.yaml"], cwd=study)
    assert result.exit_code == 1
    assert "error[fmt-unsafe]" in result.stderr
    assert target.read_bytes() == before


def test_safety_net_refuses_output_that_loses_a_comment(
    study: Path, run_cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ol_analysis.feedback.fmt as fmt_module

    target = study / "cases" / "m02.yaml"
    target.write_text("# keep me\n" + target.read_text(encoding="utf-8"), encoding="utf-8")
    original = fmt_module.format_data
    monkeypatch.setattr(
        fmt_module,
        "format_data",
        lambda fw, data, comments, **options: original(fw, data, comments, **options).replace(
            "# keep me\n", ""
        ),
    )
    result = run_cli(["fmt", "cases/m02.yaml"], cwd=study)
    assert result.exit_code == 1
    assert "lose or alter a comment" in result.stderr


def test_study_yaml_is_formatted_against_the_study_parts(
    tmp_path: Path, mini_study: Path, run_cli
) -> None:
    """study.yaml is no case file: its parts are the framework's study parts, in their order,
    and its id need not match its file name."""
    framework = (mini_study / "framework.yaml").read_text(encoding="utf-8")
    (tmp_path / "framework.yaml").write_text(
        framework
        + "study_parts:\n"
        + "  - id: design\n"
        + "    label: {nl: opzet, en: design}\n"
        + "    groups:\n"
        + "      - {id: sessions, kind: integer, label: {nl: sessies, en: sessions}}\n"
        + "  - id: costs\n"
        + "    label: {nl: kosten, en: costs}\n"
        + "    groups:\n"
        + "      - {id: peak_month, kind: number, label: {nl: piek, en: peak}}\n",
        encoding="utf-8",
    )
    shutil.copytree(mini_study / "cases", tmp_path / "cases")
    assert run_cli(["fmt"], cwd=tmp_path).exit_code == 0  # the cases first
    (tmp_path / "study.yaml").write_text(
        "id: synthetic-study\n"
        "costs:\n"
        "  peak_month:\n"
        "    value: 100  # a comment stays\n"
        "title: Een synthetische studie\n"
        "design:\n"
        "  sessions:\n"
        "    value: 3\n",
        encoding="utf-8",
    )
    check = run_cli(["fmt", "--check"], cwd=tmp_path)
    assert (check.exit_code, check.stderr.strip()) == (1, "would reformat study.yaml")
    assert run_cli(["fmt"], cwd=tmp_path).exit_code == 0
    assert (tmp_path / "study.yaml").read_text(encoding="utf-8") == (
        "id: synthetic-study\n"
        'title: "Een synthetische studie"\n'
        "\n"
        "design:\n"
        "  sessions:\n"
        "    value: 3\n"
        "\n"
        "costs:\n"
        "  peak_month:\n"
        "    value: 100  # a comment stays\n"
    )
    assert run_cli(["fmt", "--check"], cwd=tmp_path).exit_code == 0
