"""The codebook: the shipped framework keeps the contract's ids, and a broken framework is
reported at the line and column of each problem (fixtures in invalid/ name what they expect)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from ol_analysis.core.framework import Framework, load_framework
from ol_analysis.core.yamlsource import read_yaml
from ol_analysis.errors import FrameworkError, UsageError

HERE = Path(__file__).parent
REPO_ROOT = HERE.parents[1]
EXPECT = re.compile(r"^# expect: (\d+):(\d+) ([a-z-]+)(?: (.*))?$")


@pytest.fixture(scope="module")
def shipped() -> Framework:
    return load_framework(REPO_ROOT / "framework.yaml")


def test_shipped_framework_keeps_every_contract_id(shipped: Framework) -> None:
    contract, problems = read_yaml(HERE / "contract_ids.yaml")
    assert problems == [] and contract is not None
    groups = {group.path for _part, group in shipped.groups()}
    for path, codes in contract.data.items():
        owner = shipped.vocabulary_owner(path)
        assert owner is not None, f"{path} is missing from framework.yaml"
        assert [code.id for code in owner.codes] == codes, path
    contract_groups = {".".join(path.split(".")[:2]) for path in contract.data}
    assert groups == contract_groups


def test_shipped_framework_parts_in_report_order(shipped: Framework) -> None:
    assert [part.id for part in shipped.parts] == [
        "profile",
        "course_outcome",
        "support",
        "scaling",
        "key_moments",
        "approach",
        "network",
        "reference",
    ]


def test_every_entry_has_both_labels_and_a_description(shipped: Framework) -> None:
    for part, group in shipped.groups():
        assert part.label.nl and part.label.en
        assert group.label.nl and group.label.en and group.description.strip(), group.path
        for _path, code in shipped.code_paths():
            assert code.label.nl and code.label.en and code.description.strip(), code.path


def test_if_then_counts_only_supporting_records(shipped: Framework) -> None:
    group = shipped.group("reference.if_then")
    assert group is not None and group.status is not None
    assert group.status.field == "status" and group.status.counts == ["supports"]
    assert group.row_field is not None and group.row_field.id == "statement"


def test_vocabulary_reuse_copies_codes_with_their_own_paths(shipped: Framework) -> None:
    field = shipped.vocabulary_owner("support.professionals.organisation")
    assert field is not None
    assert [c.id for c in field.codes] == ["ggz_drenthe", "cosis", "vnn", "welfare"]
    assert field.codes[0].path == "support.professionals.organisation.ggz_drenthe"


def expectations(path: Path) -> list[tuple[int, int, str, str | None]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [
        (int(m[1]), int(m[2]), m[3], m[4])
        for m in (EXPECT.match(line) for line in lines)
        if m is not None
    ]


@pytest.mark.parametrize("path", sorted((HERE / "invalid").glob("*.yaml")), ids=lambda p: p.stem)
def test_invalid_framework_is_reported_where_it_is_wrong(path: Path) -> None:
    expected = expectations(path)
    assert expected
    with pytest.raises(FrameworkError) as raised:
        load_framework(path)
    found = sorted((d.line, d.column, d.rule) for d in raised.value.diagnostics)
    assert found == sorted((line, col, rule) for line, col, rule, _ in expected)
    for line, col, _rule, hint in expected:
        if hint:
            match = next(d for d in raised.value.diagnostics if (d.line, d.column) == (line, col))
            assert match.hint is not None and hint in match.hint, match


def test_missing_framework_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError):
        load_framework(tmp_path / "framework.yaml")


def test_a_new_part_needs_no_python_change(tmp_path: Path) -> None:
    """Adding a part with a group and codes to the codebook is enough to code and count it."""
    import ol_analysis

    mini = HERE.parent / "fixtures" / "mini"
    text = (mini / "framework.yaml").read_text(encoding="utf-8")
    text += (
        "  - id: wellbeing\n"
        "    label: {nl: Welzijn, en: Wellbeing}\n"
        "    groups:\n"
        "      - id: sleep\n"
        "        kind: multi\n"
        "        label: {nl: Slaap, en: Sleep}\n"
        "        codes:\n"
        "          - {id: better, label: {nl: beter, en: better}}\n"
        "          - {id: 2020_cohort, label: {nl: cohort 2020, en: 2020 cohort}}\n"
    )
    (tmp_path / "framework.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "cases").mkdir()
    for case in (mini / "cases").glob("*.yaml"):
        (tmp_path / "cases" / case.name).write_text(case.read_text(encoding="utf-8"))
    with (tmp_path / "cases" / "m01.yaml").open("a", encoding="utf-8") as handle:
        handle.write("wellbeing:\n  sleep: [better, 2020_cohort]\n")
    study = ol_analysis.load_study(tmp_path)
    counts = ol_analysis.stats(study)["counts"]
    assert counts["wellbeing.sleep.better"] == {"n": 1, "cases": ["m01"]}
    assert counts["wellbeing.sleep.2020_cohort"] == {"n": 1, "cases": ["m01"]}


@pytest.mark.parametrize("path", sorted((HERE / "valid").glob("*.yaml")), ids=lambda p: p.stem)
def test_valid_framework_loads(path: Path) -> None:
    load_framework(path)


def test_vocabulary_chain_resolves_in_any_file_order() -> None:
    """care.staff.organisation → profile.contacts.organisation → profile.organisations, the
    source last in the file: each user gets the codes under its own paths."""
    framework = load_framework(HERE / "valid" / "vocabulary_chain_reverse_order.yaml")
    for path in ("care.staff.organisation", "profile.contacts.organisation"):
        owner = framework.vocabulary_owner(path)
        assert owner is not None
        assert [c.path for c in owner.codes] == [f"{path}.ggz", f"{path}.welfare"]


def test_vocabulary_cycle_is_named_at_each_member() -> None:
    with pytest.raises(FrameworkError) as raised:
        load_framework(HERE / "invalid" / "vocabulary_cycle.yaml")
    messages = {d.line: d.message for d in raised.value.diagnostics}
    assert messages[14].endswith(
        "profile.team → profile.region → profile.staff.team → profile.team"
    )
    assert messages[26].endswith(
        "profile.staff.team → profile.team → profile.region → profile.staff.team"
    )


def test_missing_vocabulary_names_the_reference_not_a_later_group() -> None:
    with pytest.raises(FrameworkError) as raised:
        load_framework(HERE / "invalid" / "vocabulary_missing_target.yaml")
    first = raised.value.diagnostics[0]
    assert first.message.startswith("vocabulary 'profile.organisation' names no group")


def test_checking_does_not_change_the_framework() -> None:
    from ol_analysis.core.framework_checks import check_framework

    path = HERE / "valid" / "vocabulary_chain_reverse_order.yaml"
    doc, _ = read_yaml(path)
    assert doc is not None
    framework = load_framework(path)
    before = framework.model_dump()
    assert check_framework(framework, doc) == []
    assert framework.model_dump() == before


def test_framework_wording_is_data() -> None:
    """Messages and hints come from one table keyed by rule; a hint without its suggestion is
    left out rather than worded as 'None'."""
    from ol_analysis.core.framework_checks import MESSAGES, wording

    assert {r for r in MESSAGES if not r.startswith("framework-")} == {
        "not-a-mapping",
        "empty-file",
    }
    message, hint = wording(
        "framework-unknown-reference", "key", name="x", group="g", suggestion=None
    )
    assert message == "key field 'x' is not a field of g" and hint is None
    _, hint = wording("framework-unknown-reference", "key", name="x", group="g", suggestion="y?")
    assert hint == "y?"


def test_unknown_kind_names_the_value_written() -> None:
    with pytest.raises(FrameworkError) as raised:
        load_framework(HERE / "invalid" / "missing_label_and_numeric_kind.yaml")
    kind = next(d for d in raised.value.diagnostics if d.rule == "framework-unknown-kind")
    assert kind.message == "unknown kind '7' at parts.0.groups.1.kind"


def test_shipped_framework_names_its_roles(shipped: Framework) -> None:
    from ol_analysis.analysis.counts import Roles as ReExported
    from ol_analysis.core.framework import Roles

    assert ReExported is Roles
    assert shipped.roles == Roles(
        profile="profile",
        timeline="key_moments.moments",
        professionals="support.professionals",
        casemanager="casemanager",
        relatives="network.relatives",
        partners="network.partners",
        coordinated=(
            ("network.partners", "coordinated_by_ol"),
            ("network.relatives", "involvement"),
        ),
        if_then="reference.if_then",
        course_pattern="course_outcome.pattern",
    )
    assert shipped.roles.coordination_field("network.partners") == "coordinated_by_ol"


def test_a_framework_without_roles_has_none() -> None:
    from ol_analysis.core.framework import Roles

    framework = load_framework(HERE / "valid" / "vocabulary_chain_reverse_order.yaml")
    assert framework.roles == Roles()
    assert framework.roles.coordination_field(None) is None


def test_roles_messages_name_the_role() -> None:
    with pytest.raises(FrameworkError) as raised:
        load_framework(HERE / "invalid" / "roles.yaml")
    messages = [d.message for d in raised.value.diagnostics]
    assert "role timeline needs a records group; 'profile.team' is a single group" in messages
    assert "role partners: 'profile.staf' names no group of the framework" in messages


def test_without_roles_no_picture_and_matrix_asks_for_a_group(tmp_path: Path, run_cli: Any) -> None:
    """A study whose framework names no roles gets no study-specific defaults."""
    import shutil

    import ol_analysis
    from ol_analysis.report.data import gather
    from ol_analysis.report.figures import available

    mini = HERE.parent / "fixtures" / "mini"
    shutil.copytree(mini, tmp_path / "study")
    framework = tmp_path / "study" / "framework.yaml"
    text = framework.read_text(encoding="utf-8")
    framework.write_text(re.sub(r"\nroles:\n(?:  .*\n)+", "\n", text), encoding="utf-8")
    study = ol_analysis.load_study(tmp_path / "study")
    assert study.framework.roles.if_then is None
    assert available(gather(study, lang="en")) == []
    result = run_cli(["matrix"], cwd=tmp_path / "study")
    assert result.exit_code == 2
    assert "name a GROUP" in result.stderr
    assert run_cli(["matrix", "reference.if_then"], cwd=tmp_path / "study").exit_code == 0
