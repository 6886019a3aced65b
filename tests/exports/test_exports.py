"""CSV, SQLite and GraphML exports, read back with their usual Python readers."""

from __future__ import annotations

import csv
import sqlite3
from collections import defaultdict
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from ol_analysis import load_study, stats
from ol_analysis.interop.tables import export_csv, export_graphml, export_sqlite

TESTS = Path(__file__).resolve().parents[1]
STUDIES = {"interop": TESTS / "exports" / "study", "mini": TESTS / "fixtures" / "mini"}
SHIPPED = TESTS.parent


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize("name", [*STUDIES, "shipped"])
def test_csv_matrix_and_codings_keep_the_counts(name: str, tmp_path: Path) -> None:
    study = load_study(STUDIES.get(name, SHIPPED))
    counts = stats(study)["counts"]
    export_csv(study, tmp_path)
    matrix = _read_csv(tmp_path / "matrix.csv")
    assert [row["case_id"] for row in matrix] == list(study.cases)
    assert list(matrix[0])[1:] == list(counts)
    for path, entry in counts.items():
        assert [r["case_id"] for r in matrix if r[path] == "1"] == entry["cases"], path
    holders: dict[str, set[str]] = defaultdict(set)
    for row in _read_csv(tmp_path / "codings.csv"):
        if row["counted"] == "1":
            holders[row["code_path"]].add(row["case_id"])
    assert {p: sorted(c) for p, c in holders.items()} == {
        p: e["cases"] for p, e in counts.items() if e["n"]
    }


def test_codings_csv_rows_carry_attributes_and_evidence(tmp_path: Path) -> None:
    export_csv(load_study(STUDIES["interop"]), tmp_path)
    rows = _read_csv(tmp_path / "codings.csv")
    quote = [r for r in rows if r["evidence_quote"].startswith("Ik voelde me")]
    assert len(quote) == 1
    assert quote[0]["code_path"] == "profile.problem_domains.mental_health"
    assert (
        quote[0]["age_group"] == "18_25" and quote[0]["problem_domains"] == "mental_health; housing"
    )
    assert quote[0]["evidence_speaker"] == "client" and quote[0]["evidence_section"] == "3.1"
    contested = [r for r in rows if r["code_path"] == "reference.if_then.statement.longer_recovery"]
    assert [(r["counted"], r["inferred"], r["basis"]) for r in contested] == [
        ("0", "1", "De deelnemers zijn het oneens.")
    ]


def test_csv_byte_order_mark_only_on_request(tmp_path: Path) -> None:
    study = load_study(STUDIES["mini"])
    export_csv(study, tmp_path / "plain")
    export_csv(study, tmp_path / "excel", bom=True)
    assert (tmp_path / "plain" / "matrix.csv").read_bytes().startswith(b"case_id,")
    assert (tmp_path / "excel" / "matrix.csv").read_bytes().startswith(b"\xef\xbb\xbfcase_id,")


@pytest.mark.parametrize("name", [*STUDIES, "shipped"])
def test_sqlite_has_foreign_keys_and_the_counts(name: str, tmp_path: Path) -> None:
    study = load_study(STUDIES.get(name, SHIPPED))
    database = tmp_path / "study.db"
    export_sqlite(study, database)
    db = sqlite3.connect(database)
    db.execute("PRAGMA foreign_keys = ON")
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert [r[0] for r in db.execute("SELECT id FROM cases ORDER BY id")] == list(study.cases)
    for path, entry in stats(study)["counts"].items():
        found = db.execute(
            "SELECT DISTINCT case_id FROM codings WHERE code_path = ? AND counted = 1 "
            "ORDER BY case_id",
            (path,),
        ).fetchall()
        assert [r[0] for r in found] == entry["cases"], path
    with pytest.raises(sqlite3.IntegrityError):
        db.execute(
            "INSERT INTO codings (case_id, code_path, grp, counted, inferred) "
            "VALUES ('nope', 'x', 'g', 1, 0)"
        )


def test_sqlite_tables_of_the_record_groups(tmp_path: Path) -> None:
    study = load_study(STUDIES["interop"])
    database = tmp_path / "study.db"
    export_sqlite(study, database)
    db = sqlite3.connect(database)
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert tables == {
        "cases",
        "codes",
        "codings",
        "evidence",
        "professionals",
        "key_moments",
        "relatives",
        "partners",
        "if_then",
    }
    rows = db.execute(
        'SELECT case_id, position, "when", summary, valence FROM key_moments ORDER BY id'
    ).fetchall()
    assert rows[0] == (
        "f01",
        0,
        "2019-03",
        "Eerste huisbezoek; de cliënt opent de deur.",
        "positive",
    )
    nurse = db.execute(
        "SELECT p.frequency, e.quote FROM professionals p JOIN evidence e "
        "ON e.record_table = 'professionals' AND e.record_id = p.id"
    ).fetchall()
    assert nurse == [("wekelijks", "De verpleegkundige komt elke week langs.")]
    profile = db.execute("SELECT age_group, severity_start, homeless FROM cases WHERE id='f01'")
    assert profile.fetchone() == ("18_25", 8, 1)
    assert db.execute("SELECT count(*) FROM codes").fetchone()[0] == len(stats(study)["counts"])


def test_sqlite_replaces_an_old_database_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    database = tmp_path / "study.db"
    database.write_bytes(b"old")
    export_sqlite(load_study(STUDIES["mini"]), database)
    assert sqlite3.connect(database).execute("SELECT count(*) FROM cases").fetchone() == (2,)
    assert [p.name for p in tmp_path.iterdir()] == ["study.db"]


def _graph(study: Any, which: str, tmp_path: Path) -> nx.Graph:
    path = tmp_path / f"{which}.graphml"
    export_graphml(study, path, which)
    return nx.read_graphml(path)


def test_graphml_support_networks(tmp_path: Path) -> None:
    study = load_study(STUDIES["interop"])
    graph = _graph(study, "support", tmp_path)
    clients = [n for n, kind in graph.nodes(data="kind") if kind == "client"]
    assert sorted(clients) == ["f01/client", "f02/client", "f03/client"]
    assert graph.nodes["f01/professional:nurse:ggz"]["casemanager"] is True
    f01 = [n for n, case in graph.nodes(data="case") if case == "f01"]
    kinds = sorted(graph.nodes[n]["kind"] for n in f01)
    assert kinds == [
        "client",
        "partner",
        "partner",
        "professional",
        "professional",
        "relative",
        "team",
    ]
    assert graph.has_edge("f01/team", "f01/partner:housing_corporation")
    assert not graph.has_edge("f01/team", "f01/partner:gp")


def test_graphml_partners_and_cooccurrence(tmp_path: Path) -> None:
    study = load_study(STUDIES["interop"])
    partners = _graph(study, "partners", tmp_path)
    assert sorted(partners.neighbors("partner:gp")) == ["case:f01", "case:f02"]
    assert partners.edges["case:f02", "partner:gp"]["coordinated"] is True
    counts = stats(study)["counts"]
    cooccurrence = _graph(study, "cooccurrence", tmp_path)
    for node, n in cooccurrence.nodes(data="n"):
        assert n == counts[node]["n"], node
    edge = cooccurrence.edges["profile.team.assen", "course_outcome.pattern.rising"]
    assert edge["weight"] == 1 and edge["cases"] == "f03"


@pytest.mark.parametrize("which", ["support", "partners", "cooccurrence"])
def test_cli_exports(which: str, tmp_path: Path, run_cli: Any) -> None:
    study = STUDIES["interop"]
    out = tmp_path / "g.graphml"
    result = run_cli(["export", "graphml", "--graph", which, "--out", str(out)], cwd=study)
    assert result.exit_code == 0, result.stderr
    assert nx.read_graphml(out).number_of_nodes() > 0
    assert run_cli(["export", "csv", "--out", str(tmp_path / "csv")], cwd=study).exit_code == 0
    assert run_cli(["export", "sqlite", "--out", str(tmp_path / "s.db")], cwd=study).exit_code == 0
    assert {p.name for p in (tmp_path / "csv").iterdir()} == {"matrix.csv", "codings.csv"}


def test_cli_export_of_an_invalid_study_exits_1(tmp_path: Path, run_cli: Any) -> None:
    (tmp_path / "cases").mkdir()
    (tmp_path / "framework.yaml").write_text(
        (STUDIES["mini"] / "framework.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (tmp_path / "cases" / "x1.yaml").write_text("id: x1\ntitle: X\nprofile: {team: west}\n")
    result = run_cli(["export", "csv"], cwd=tmp_path)
    assert result.exit_code == 1 and "unknown-code" in result.stderr
    assert not (tmp_path / "build").exists()


def test_csv_with_a_semicolon_for_dutch_excel(
    run_cli: Any, repo_root: Path, tmp_path: Path
) -> None:
    result = run_cli(["export", "csv", "--delimiter", ";", "--out", str(tmp_path)], cwd=repo_root)
    assert result.exit_code == 0, result.stderr
    header = (tmp_path / "matrix.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith("case_id;profile.team.assen;")
    rows = list(csv.reader((tmp_path / "codings.csv").open(encoding="utf-8"), delimiter=";"))
    assert len({len(row) for row in rows}) == 1  # every row splits into the same columns


def test_csv_refuses_another_delimiter(run_cli: Any, repo_root: Path, tmp_path: Path) -> None:
    result = run_cli(["export", "csv", "--delimiter", "|", "--out", str(tmp_path)], cwd=repo_root)
    assert result.exit_code == 2
    assert "CSV delimiter" in result.stderr
