"""The ``qca:`` block of framework.yaml is validated like everything else: each problem a
located diagnostic with a rule and, for a name that is not there, the nearest one."""

from __future__ import annotations

from pathlib import Path

import pytest

from ol_analysis.core.framework import load_framework
from ol_analysis.errors import FrameworkError

STUDY_FRAMEWORK = Path(__file__).parent / "study" / "framework.yaml"


def problems(tmp_path: Path, old: str, new: str) -> list[tuple[int, str, str, str | None]]:
    text = STUDY_FRAMEWORK.read_text(encoding="utf-8")
    assert old in text
    changed = text.replace(old, new, 1)
    path = tmp_path / "framework.yaml"
    path.write_text(changed, encoding="utf-8")
    with pytest.raises(FrameworkError) as caught:
        load_framework(path)
    return [(d.line, d.rule, d.message, d.hint) for d in caught.value.diagnostics]


def line_of(text: str) -> int:
    lines = STUDY_FRAMEWORK.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, start=1) if text in line)


def test_the_fixture_block_is_valid() -> None:
    framework = load_framework(STUDY_FRAMEWORK)
    assert framework.qca is not None
    assert [s.id for s in framework.qca.conditions] == [
        "home_visits",
        "peer_support",
        "severe",
        "whole_team",
    ]
    # `rule: true` unquoted is a YAML bool; it still names the rule
    assert framework.qca.conditions[3].rule == "true"


def test_an_unknown_path_with_did_you_mean(tmp_path: Path) -> None:
    found = problems(tmp_path, "path: profile.severity", "path: profile.severty")
    assert found == [
        (
            line_of("path: profile.severity"),
            "framework-qca-unknown-path",
            "'profile.severty' names no code, bool or integer of the case parts",
            "did you mean 'profile.severity'?",
        )
    ]


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        ("rule: at_least", "rule: present", "rule 'present' does not fit an integer path"),
        ("      threshold: 7\n", "", "rule 'at_least' needs a threshold"),
        (
            "path: support.measures.home_visits\n      rule: present",
            "path: support.measures.home_visits\n      rule: present\n      threshold: 2",
            "rule 'present' takes no threshold",
        ),
        (
            "path: course.outcomes.stable",
            "path: profile.severity",
            "an outcome is a code or a bool, not an integer",
        ),
    ],
)
def test_a_rule_that_does_not_fit(tmp_path: Path, old: str, new: str, words: str) -> None:
    found = problems(tmp_path, old, new)
    assert [(rule, message) for _line, rule, message, _hint in found] == [
        ("framework-qca-rule", words)
    ]


def test_an_unknown_rule_lists_the_rules(tmp_path: Path) -> None:
    [(_line, rule, _message, hint)] = problems(tmp_path, "rule: at_least", "rule: above")
    assert rule == "framework-unknown-kind"
    assert hint == "one of: present, true, at_least, at_most"


def test_defaults_name_declared_sets(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        "conditions: [home_visits, peer_support, severe]",
        "conditions: [home_visit, peer_support, severe]",
    )
    assert found == [
        (
            line_of("conditions: [home_visits"),
            "framework-qca-unknown-set",
            "'home_visit' is not a condition of the qca block",
            "did you mean 'home_visits'?",
        )
    ]


def test_ids_are_unique_across_conditions_and_outcomes(tmp_path: Path) -> None:
    found = problems(tmp_path, "- id: whole_team", "- id: stable")
    assert [(rule, hint) for _line, rule, _message, hint in found] == [
        ("framework-duplicate-id", "conditions and outcomes share one namespace of ids")
    ]


def test_a_rationale_is_required(tmp_path: Path) -> None:
    found = problems(tmp_path, "      rationale: Outreach at home.\n", "")
    assert [(rule, message) for _line, rule, message, _hint in found] == [
        ("framework-missing-key", "missing required key 'rationale' in qca.conditions.0")
    ]
