"""``--format tsv``: the tables of stats, matrix, status and agree as tab-separated text for
scripts and spreadsheets (issue 16: tables that a pipe can read)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
BOX = set("│┃┏┓┗┛━─╇┡┩└┘┌┐")


def _blocks(text: str) -> list[list[list[str]]]:
    return [[line.split("\t") for line in block.splitlines()] for block in text.split("\n\n")]


def _rectangular(text: str) -> list[list[list[str]]]:
    assert text.endswith("\n") and not BOX & set(text)
    blocks = _blocks(text.rstrip("\n"))
    for rows in blocks:
        assert len({len(row) for row in rows}) == 1, rows[0]
    return blocks


@pytest.mark.parametrize("command", [["stats"], ["matrix"], ["status"]])
def test_a_table_command_writes_one_tab_separated_table_per_table(
    run_cli: Any, command: list[str]
) -> None:
    result = run_cli([*command, "--format", "tsv"], cwd=REPO)
    assert result.exit_code == 0, result.stderr
    assert _rectangular(result.stdout)


def test_matrix_tsv_holds_the_json_figures(run_cli: Any) -> None:
    (rows,) = _rectangular(run_cli(["matrix", "--format", "tsv"], cwd=REPO).stdout)
    data = json.loads(run_cli(["matrix", "--format", "json"], cwd=REPO).stdout)
    assert rows[0] == ["code", *data["cases"], "total"]
    assert [int(row[-1]) for row in rows[1:]] == [data["totals"][code] for code in data["rows"]]


def test_stats_tsv_names_every_case_of_a_count(run_cli: Any) -> None:
    blocks = _rectangular(run_cli(["stats", "--format", "tsv"], cwd=REPO).stdout)
    counts = json.loads(run_cli(["stats", "--format", "json"], cwd=REPO).stdout)["counts"]
    team = next(row for rows in blocks for row in rows if row[0] == "team.assen")
    assert team[-1].split(", ") == counts["profile.team.assen"]["cases"]


def test_status_tsv_repeats_the_subgroup_on_every_row(run_cli: Any) -> None:
    (rows,) = _rectangular(run_cli(["status", "--format", "tsv"], cwd=REPO).stdout)
    assert rows[0][:2] == ["subgroup", "case"]
    assert all(row[0] for row in rows[1:])
    assert len(rows) == 1 + len(list((REPO / "cases").glob("*.yaml")))


def test_agree_tsv_gives_each_group_its_row(run_cli: Any, tmp_path: Path) -> None:
    for side in ("a", "b"):
        shutil.copytree(REPO / "cases", tmp_path / side)
    case = tmp_path / "b" / "c01.yaml"
    case.write_text(case.read_text(encoding="utf-8").replace("code: emmen", "code: assen", 1))
    result = run_cli(
        ["agree", "a", "b", "--format", "tsv", "--bootstrap", "0", "--framework",
         str(REPO / "framework.yaml")],
        cwd=tmp_path,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    first, *_ = _rectangular(result.stdout)
    team = next(row for row in first if row[0] == "profile.team")
    assert team[-1] == "1"
