"""``study.yaml``: the findings of the study as a whole, coded against the framework's
``study_parts`` and checked exactly like a case file (fixtures in study_file/)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

import ol_analysis
from ol_analysis.core.casemodel import CaseModels
from ol_analysis.core.framework import Framework, load_framework
from ol_analysis.core.study import check_cases, check_study, check_study_file
from ol_analysis.errors import StudyError

HERE = Path(__file__).parent / "study_file"
MINI = Path(__file__).parents[1] / "fixtures" / "mini" / "framework.yaml"


@pytest.fixture(scope="module")
def framework() -> Framework:
    return load_framework(HERE / "framework.yaml")


@pytest.fixture
def study(tmp_path: Path) -> Path:
    """A study folder: the framework, study.yaml beside it, one case."""
    root = tmp_path / "study"
    (root / "cases").mkdir(parents=True)
    shutil.copy(HERE / "framework.yaml", root / "framework.yaml")
    shutil.copy(HERE / "study.yaml", root / "study.yaml")
    (root / "cases" / "c1.yaml").write_text("id: c1\ntitle: Een\nprofile:\n  team: north\n")
    return root


def found(framework: Framework, name: str) -> list[tuple[int, int, str, str | None]]:
    findings, diagnostics = check_study_file(framework, HERE / name)
    assert findings is None
    return [(d.line, d.column, d.rule, d.hint) for d in diagnostics]


def test_valid_study_file_reads_like_a_case(framework: Framework) -> None:
    findings, diagnostics = check_study_file(framework, HERE / "study.yaml")
    assert diagnostics == []
    assert findings is not None
    assert (findings.id, findings.title) == ("studyfile", "Studiebestand")
    assert findings.scalar("design.cases") == 11
    assert findings.codes("design.teams") == ["north", "south"]  # a case part's vocabulary
    assert findings.scalar("costs.cost_unit") == "totale zorgkosten per cliënt per maand"
    cost = findings.items("costs.cost_types")[0]
    assert (cost.cost_type, cost.amount, cost.section) == ("dbc", 1250.5, "3.2 Zorgkosten")
    assert cost.inferred is True
    assert findings.value("costs.cost_unit").section == "3.2 Zorgkosten"
    assert findings.items("design.periods")[0].start == "2021-05"


def test_a_typo_in_a_code_is_located_with_a_hint(framework: Framework) -> None:
    assert found(framework, "typo_code.yaml") == [
        (5, 18, "unknown-code", "did you mean 'south'?"),
        (8, 18, "unknown-code", "did you mean 'wmo'?"),
    ]


def test_an_unknown_key_is_located_with_a_hint(framework: Framework) -> None:
    assert found(framework, "unknown_key.yaml") == [
        (5, 3, "unknown-key", "did you mean 'periods'?"),
        (6, 1, "unknown-key", "did you mean 'costs'?"),
    ]


def test_a_wrong_type_is_located(framework: Framework) -> None:
    problems = found(framework, "wrong_type.yaml")
    assert [(line, col, rule) for line, col, rule, _hint in problems] == [
        (4, 10, "wrong-type"),
        (6, 5, "wrong-type"),
        (10, 15, "wrong-type"),
    ]
    _, diagnostics = check_study_file(framework, HERE / "wrong_type.yaml")
    assert diagnostics[2].message == "costs.cost_types.0.amount must be a number, found 'veel'"


def test_case_parts_are_not_study_keys_and_the_reverse(framework: Framework) -> None:
    findings, diagnostics = check_study_file(framework, HERE / "case_with_sections.yaml")
    assert findings is None
    assert {d.rule for d in diagnostics} == {"unknown-key", "missing-group"}  # design
    assert CaseModels(framework, "study").case.model_fields.keys() == {
        "id",
        "title",
        "design",
        "costs",
    }


def test_a_required_study_group_is_required(framework: Framework, tmp_path: Path) -> None:
    path = tmp_path / "study.yaml"
    path.write_text("id: s\ntitle: S\ndesign:\n  teams: [north]\n", encoding="utf-8")
    _, diagnostics = check_study_file(framework, path)
    assert [(d.line, d.column, d.rule) for d in diagnostics] == [(3, 1, "missing-group")]


def test_a_list_is_not_a_study_file(framework: Framework, tmp_path: Path) -> None:
    path = tmp_path / "study.yaml"
    path.write_text("- a\n", encoding="utf-8")
    _, diagnostics = check_study_file(framework, path)
    assert [(d.rule, d.message) for d in diagnostics] == [
        ("not-a-mapping", "study.yaml must be a mapping of keys, found a list")
    ]


def test_any_case_item_may_name_its_source_section() -> None:
    models = CaseModels(load_framework(MINI))
    cases, diagnostics = check_cases(models, [HERE / "case_with_sections.yaml"])
    assert diagnostics == []
    case = cases["case_with_sections"]
    assert case.items("profile.team")[0].section == "Tabel 4"
    assert case.value("profile.severity").section == "3.1"  # a number typed is the text typed
    assert case.items("reference.if_then")[0].section == "4 Conclusie"


def test_load_study_reads_the_findings(study: Path) -> None:
    loaded = ol_analysis.load_study(study)
    assert loaded.findings is not None and loaded.findings.scalar("design.cases") == 11
    assert list(loaded.cases) == ["c1"]
    (study / "study.yaml").unlink()
    assert ol_analysis.load_study(study).findings is None


def test_load_study_refuses_a_bad_study_file(study: Path) -> None:
    shutil.copy(HERE / "typo_code.yaml", study / "study.yaml")
    with pytest.raises(StudyError) as raised:
        ol_analysis.load_study(study)
    located = [(Path(d.path).name, d.line, d.column, d.rule) for d in raised.value.diagnostics]
    assert located == [
        ("study.yaml", 5, 18, "unknown-code"),
        ("study.yaml", 8, 18, "unknown-code"),
    ]
    with pytest.raises(StudyError):
        ol_analysis.load_study(study, cases=[study / "cases" / "c1.yaml"])


def test_check_study_counts_the_study_file(study: Path) -> None:
    check = check_study(study / "framework.yaml", cases_dir=study / "cases")
    assert check.ok and check.files_checked == 2 and check.findings is not None


def test_validate_checks_study_yaml(run_cli: Any, study: Path) -> None:
    assert run_cli(["validate"], cwd=study).exit_code == 0
    assert run_cli(["validate", "study.yaml"], cwd=study).exit_code == 0
    shutil.copy(HERE / "unknown_key.yaml", study / "study.yaml")
    for args in (["validate"], ["validate", "study.yaml"]):
        result = run_cli(args, cwd=study)
        assert result.exit_code == 1
        assert "study.yaml:5:3: error[unknown-key]" in result.stderr
    only_cases = run_cli(["validate", "cases/c1.yaml"], cwd=study)
    assert only_cases.exit_code == 0


def test_schema_for_study(run_cli: Any, study: Path) -> None:
    result = run_cli(["schema", "--for", "study"], cwd=study)
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema["$id"].endswith(":study")
    assert set(schema["properties"]) == {"id", "title", "design", "costs"}
    assert schema["required"] == ["id", "title", "design"]
    case = json.loads(run_cli(["schema"], cwd=study).stdout)
    assert set(case["properties"]) == {"id", "title", "summary", "analysis", "profile"}


def test_lookup_by_dotted_path(framework: Framework) -> None:
    findings, _ = check_study_file(framework, HERE / "study.yaml")
    assert findings is not None
    assert findings.lookup("design.cases") == 11
    assert findings.lookup("design.teams") == ["north", "south"]
    assert findings.lookup("design.teams.north") is True
    assert findings.lookup("design.periods.sessions.end") == "2021-11"
    assert findings.lookup("design.periods.start") == ["2021-05"]
    assert findings.lookup("costs.cost_types.dbc").amount == 1250.5
    for absent in ("design.periods.costs", "costs.cost_types.wmo.amount", "nothing.here", "design"):
        with pytest.raises(LookupError):
            findings.lookup(absent)


def test_a_study_file_beside_another_framework_is_not_read(tmp_path: Path, study: Path) -> None:
    """load_study(framework=…) reads the study.yaml beside that framework, not in the folder."""
    other = tmp_path / "other"
    other.mkdir()
    shutil.copy(study / "framework.yaml", other / "framework.yaml")
    loaded = ol_analysis.load_study(
        study, framework=other / "framework.yaml", cases=[study / "cases" / "c1.yaml"]
    )
    assert loaded.findings is None
