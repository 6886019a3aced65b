"""``qca`` on the shipped study with the sets its framework declares: it runs, and what it
prints agrees with the case files as a plain YAML reader sees them."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML
from typer.testing import CliRunner

from ol_analysis.cli import app


def _codes(value: Any) -> set[str]:
    """The codes of a plain or expanded list (``[a, {code: b}]``)."""
    items = value if isinstance(value, list) else [] if value is None else [value]
    return {item["code"] if isinstance(item, dict) else str(item) for item in items}


def _scalar(value: Any) -> Any:
    return value.get("value") if isinstance(value, dict) else value


def expected_from_files(repo_root: Path) -> dict[str, tuple[dict[str, int], int]]:
    """Each case's memberships in the framework's default sets, read straight from YAML."""
    yaml = YAML(typ="safe")
    found = {}
    for path in sorted((repo_root / "cases").glob("*.yaml")):
        case = yaml.load(path.read_text(encoding="utf-8"))
        start = _codes((case.get("course_outcome") or {}).get("start_situation"))
        up = _codes((case.get("scaling") or {}).get("up"))
        severity = _scalar((case.get("profile") or {}).get("severity_start"))
        if_then = (case.get("reference") or {}).get("if_then") or []
        outcome = any(
            r.get("statement") == "more_crises" and r.get("status") == "supports" for r in if_then
        )
        found[case["id"]] = (
            {
                "recurrent_crises": int("recurrent_crises" in start),
                "crisis_service": int("crisis_service" in up),
                "daily_contact": int("daily_contact" in up),
                "severe_start": int(severity >= 8),
            },
            int(outcome),
        )
    return found


REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def shipped() -> dict[str, Any]:
    """``ol-analysis qca --format json`` in the repository (the shipped study)."""
    previous = Path.cwd()
    os.chdir(REPO)
    try:
        result = CliRunner().invoke(app, ["qca", "--format", "json"], catch_exceptions=False)
    finally:
        os.chdir(previous)
    assert result.exit_code == 0, result.stderr
    return dict(json.loads(result.stdout))


def test_the_defaults_are_the_declared_sets(shipped: dict[str, Any]) -> None:
    assert shipped["outcome"]["id"] == "more_crises"
    assert [c["id"] for c in shipped["conditions"]] == [
        "recurrent_crises",
        "crisis_service",
        "daily_contact",
        "severe_start",
    ]
    assert all(c["rationale"] and c["declared"] for c in shipped["conditions"])


def test_memberships_agree_with_the_case_files(shipped: dict[str, Any]) -> None:
    expected = expected_from_files(REPO)
    assert set(shipped["cases"]) == set(expected)
    assert shipped["excluded"] == {}
    for case_id, (configuration, outcome) in expected.items():
        assert shipped["cases"][case_id] == {"configuration": configuration, "outcome": outcome}


def test_the_truth_table_accounts_for_every_case(shipped: dict[str, Any]) -> None:
    rows = shipped["truth_table"]
    assert sorted(c for r in rows for c in r["cases"]) == sorted(shipped["cases"])
    for row in rows:
        positive = [c for c in row["cases"] if shipped["cases"][c]["outcome"]]
        assert row["positive"] == positive
        assert row["consistency"] == round(len(positive) / row["n"], 3)
    assert len(rows) + len(shipped["remainders"]) == 2 ** len(shipped["conditions"])


def test_each_solution_covers_exactly_the_cases_it_names(shipped: dict[str, Any]) -> None:
    names = [c["id"] for c in shipped["conditions"]]
    positives = {c for c, v in shipped["cases"].items() if v["outcome"]}
    for kind in ("conservative", "parsimonious"):
        for model in shipped["solutions"][kind]:
            covered: set[str] = set()
            for term in model["terms"]:
                literals = term["expression"].split("*")
                inside = {
                    case_id
                    for case_id, v in shipped["cases"].items()
                    if all(
                        v["configuration"][lit.lstrip("~")] == (0 if lit.startswith("~") else 1)
                        for lit in literals
                        if lit.lstrip("~") in names
                    )
                }
                assert set(term["cases"]) == inside & positives
                assert set(term["inconsistent_cases"]) == inside - positives
                covered |= inside
            assert model["coverage"] == round(len(covered & positives) / len(positives), 3)
