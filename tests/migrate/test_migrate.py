"""Codebook migrations: rename-code and merge-codes on copies of synthetic studies."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from ol_analysis.core.study import case_files, load_study
from ol_analysis.core.yamlsource import parse_text
from ol_analysis.errors import StudyError, UsageError
from ol_analysis.feedback.migrate import (
    MigrationRefused,
    merge_plan,
    plan_migration,
    rename_plan,
    write_migration,
)

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures"


def _study(tmp_path: Path, mini_study: Path, *case_dirs: Path) -> Path:
    """A writable study: the mini framework, and the case files of ``case_dirs``."""
    root = tmp_path / "study"
    (root / "cases").mkdir(parents=True)
    shutil.copy(mini_study / "framework.yaml", root / "framework.yaml")
    for folder in case_dirs:
        for file in folder.glob("*.yaml"):
            shutil.copy(file, root / "cases" / file.name)
    return root


def _snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def _rename(root: Path, old: str, new: str):  # type: ignore[no-untyped-def]
    return plan_migration(
        root / "framework.yaml",
        case_files(root / "cases"),
        lambda fw: rename_plan(fw, old, new),
        lambda plan: "rename",
    )


def _merge(root: Path, a: str, b: str, c: str, **options: object):  # type: ignore[no-untyped-def]
    return plan_migration(
        root / "framework.yaml",
        case_files(root / "cases"),
        lambda fw: merge_plan(fw, a, b, c, **options),  # type: ignore[arg-type]
        lambda plan: "merge",
    )


@pytest.fixture
def study(tmp_path: Path, mini_study: Path) -> Path:
    return _study(tmp_path, mini_study, mini_study / "cases", FIXTURES / "cases")


def test_rename_changes_only_the_ids_byte_for_byte(study: Path) -> None:
    before = _snapshot(study)
    migration = _rename(study, "profile.team.north", "noord")
    write_migration(migration)
    after = _snapshot(study)
    changed = {c.path.name: c for c in migration.changes}
    assert set(changed) == {"framework.yaml", "g01.yaml", "m01.yaml"}
    for name, old in before.items():
        new = after[name]
        if Path(name).name not in changed:
            assert new == old, name
            continue
        old_lines, new_lines = old.decode().split("\n"), new.decode().split("\n")
        assert len(old_lines) == len(new_lines)
        lines = {o.line for o in changed[Path(name).name].occurrences}
        for number, (a, b) in enumerate(zip(old_lines, new_lines, strict=True), start=1):
            if number in lines:
                assert b == a.replace("north", "noord", 1) or b.endswith("profile.team.noord")
            else:
                assert a == b
    g01 = (study / "cases" / "g01.yaml").read_text()
    assert "  team: noord   # from the intake\n" in g01
    assert "      organisation: noord   # a field reusing profile.team\n" in g01
    assert "    - path: profile.team.noord\n" in g01
    assert "age_group: 18_25\n" in g01
    assert [(o.location, o.old, o.new) for o in changed["g01.yaml"].occurrences] == [
        ("profile.team", "north", "noord"),
        ("reference.moments.0.organisation", "north", "noord"),
        ("analysis.comments.0.path", "profile.team.north", "profile.team.noord"),
    ]
    load_study(study)


def test_rename_updates_only_with_and_status_counts(study: Path) -> None:
    write_migration(_rename(study, "course.pattern.rising", "rising_line"))
    framework = (study / "framework.yaml").read_text()
    assert "only_with: course.pattern.rising_line\n" in framework
    write_migration(_rename(study, "reference.if_then.status.supports", "backs"))
    framework = (study / "framework.yaml").read_text()
    assert "status: {field: status, counts: [backs]}" in framework
    assert "      status: backs\n" in (study / "cases" / "g01.yaml").read_text()
    study_data = load_study(study)
    assert study_data.cases["m01"].codes("course.pattern") == ["rising_line"]


def test_rename_of_a_number_like_id(study: Path) -> None:
    write_migration(_rename(study, "profile.age_group.18_25", "18_24"))
    assert "  age_group: 18_24\n" in (study / "cases" / "g01.yaml").read_text()
    assert load_study(study).cases["m01"].codes("profile.age_group") == ["18_24"]


def test_merge_joins_items_and_keeps_comments(study: Path) -> None:
    old = (study / "cases" / "g01.yaml").read_text()
    migration = _merge(
        study, "course.outcomes.stability", "course.outcomes.more_self_direction", "steady"
    )
    write_migration(migration)
    new = (study / "cases" / "g01.yaml").read_text()
    assert (
        "  outcomes:\n"
        "    - code: steady # said in session 2\n"
        "      evidence:\n"
        '        - quote: "Ik doe het nu zelf."\n'
        "          source: report\n"
        "          speaker: client\n"
        "          section: 3.1   # a number on purpose\n"
        "      basis: the client says so\n"
        "    # the next item has a quote\n"
        "    # relapse came later\n"
        "    - relapse\n"
    ) in new
    # Every full-line comment is still there, unchanged.
    for line in old.splitlines():
        if line.lstrip().startswith("#"):
            assert line in new.splitlines(), line
    head = old.split("  outcomes:")[0]  # the comment column is kept
    assert new.startswith(head.replace("outcomes.stability   #", "outcomes.steady      #"))
    tail = old.split("    - relapse\n")[1]
    assert new.endswith(tail)
    loaded = load_study(study)
    assert loaded.cases["g01"].codes("course.outcomes") == ["steady", "relapse"]
    item = loaded.cases["g01"].items("course.outcomes")[0]
    assert item.inferred is False  # one of the two was not inferred
    assert len(item.evidence) == 1
    assert loaded.cases["g02"].codes("course.outcomes") == ["steady", "relapse"]
    framework = (study / "framework.yaml").read_text()
    assert "{id: steady, label: {nl: stabiliteit / meer eigen regie" in framework
    assert "more_self_direction" not in framework
    comment_paths = [c.path for c in loaded.cases["g01"].analysis.comments]
    assert comment_paths == ["profile.team.north", "course.outcomes.steady"]


def test_merge_into_an_existing_code_with_labels(study: Path) -> None:
    migration = _merge(
        study,
        "course.outcomes.relapse",
        "course.outcomes.stability",
        "course.outcomes.stability",
    )
    write_migration(migration)
    loaded = load_study(study)
    assert loaded.cases["g01"].codes("course.outcomes") == [
        "stability",
        "more_self_direction",
    ]
    assert [c.id for c in loaded.framework.group("course.outcomes").codes] == [
        "stability",
        "more_self_direction",
    ]


def test_merge_in_a_single_group_and_its_vocabulary_users(study: Path) -> None:
    migration = _merge(study, "profile.team.north", "profile.team.south", "one_team")
    changed = {change.path.name for change in migration.changes}
    assert changed == {"framework.yaml", "g01.yaml", "g02.yaml", "m01.yaml", "m02.yaml"}
    write_migration(migration)
    loaded = load_study(study)
    assert {case.codes("profile.team")[0] for case in loaded} == {"one_team"}
    assert loaded.cases["g01"].items("reference.moments")[0].organisation == "one_team"
    assert loaded.cases["m01"].items("reference.moments")[0].organisation == "one_team"
    assert [c.id for c in loaded.framework.group("profile.team").codes] == ["one_team"]
    # the plain form stays plain, the expanded form keeps its provenance
    assert "  team: {code: one_team, inferred: true" in (study / "cases" / "m02.yaml").read_text()


def test_merge_of_record_codes_joins_equal_records(tmp_path: Path, mini_study: Path) -> None:
    root = _study(tmp_path, mini_study, FIXTURES / "cases")
    write_migration(
        _merge(
            root,
            "reference.if_then.statement.more_crises",
            "reference.if_then.statement.longer_recovery",
            "slower_recovery",
            label={"nl": "trager herstel", "en": "slower recovery"},
        )
    )
    text = (root / "cases" / "g01.yaml").read_text()
    assert "and the other statement" in text
    records = load_study(root).cases["g01"].items("reference.if_then")
    assert [(r.statement, r.status, len(r.evidence)) for r in records] == [
        ("slower_recovery", "supports", 1)
    ]
    assert (
        "{id: slower_recovery, label: {nl: trager herstel, en: slower recovery}"
        in (root / "framework.yaml").read_text()
    )


def test_a_migration_that_would_break_validation_writes_nothing(study: Path) -> None:
    # m01 holds both statements with different statuses: one record each after the merge.
    before = _snapshot(study)
    with pytest.raises(MigrationRefused) as refused:
        _merge(
            study,
            "reference.if_then.statement.more_crises",
            "reference.if_then.statement.longer_recovery",
            "slower_recovery",
        )
    assert {(Path(d.path).name, d.rule) for d in refused.value.diagnostics} == {
        ("m01.yaml", "duplicate-record")
    }
    assert _snapshot(study) == before


def test_dry_run_writes_nothing(run_cli, study: Path) -> None:
    before = _snapshot(study)
    result = run_cli(["rename-code", "course.outcomes.relapse", "setback", "--dry-run"], study)
    assert result.exit_code == 0, result.stderr
    assert "cases/g01.yaml:" in result.stdout
    assert "would change 3 place(s) in 3 file(s) (dry run: nothing written)" in result.stdout
    assert _snapshot(study) == before
    diff = run_cli(["merge-codes", "course.outcomes.relapse", "course.outcomes.stability",
                    "--into", "stability", "--dry-run", "--diff"], study)  # fmt: skip
    assert diff.exit_code == 0, diff.stderr
    assert "+++ b/cases/g01.yaml" in diff.stdout
    assert _snapshot(study) == before


def test_cli_writes_and_reports(run_cli, study: Path) -> None:
    result = run_cli(["rename-code", "course.outcomes.relapse", "setback"], study)
    assert result.exit_code == 0, result.stderr
    assert "changed 3 place(s) in 3 file(s)" in result.stdout
    assert run_cli(["validate"], study).exit_code == 0
    assert "- setback" in (study / "cases" / "g01.yaml").read_text()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["rename-code", "course.outcomes.relaps", "x"], "did you mean 'course.outcomes.relapse'"),
        (["rename-code", "course.outcomes.relapse", "stability"], "already has a code"),
        (["rename-code", "course.outcomes.relapse", "Bad-Id"], "not a valid code id"),
        (["rename-code", "reference.moments.organisation.north", "x"], "migrate profile.team"),
        (
            ["merge-codes", "course.outcomes.relapse", "profile.team.north", "--into", "x"],
            "same group",
        ),
        (
            [
                "merge-codes",
                "course.outcomes.relapse",
                "course.outcomes.stability",
                "--into",
                "x",
                "--label-nl",
                "x",
            ],
            "--label-en",
        ),
    ],
)
def test_usage_errors(run_cli, study: Path, args: list[str], message: str) -> None:
    before = _snapshot(study)
    result = run_cli(args, study)
    assert result.exit_code == 2
    assert message in result.stderr
    assert _snapshot(study) == before


def test_an_invalid_study_is_refused(run_cli, study: Path) -> None:
    (study / "cases" / "g02.yaml").write_text("id: g02\ntitle: x\nprofile: {team: west}\n")
    before = _snapshot(study)
    result = run_cli(["rename-code", "course.outcomes.relapse", "setback"], study)
    assert result.exit_code == 1
    assert "unknown-code" in result.stderr and "nothing was written" in result.stderr
    assert _snapshot(study) == before


def test_unusual_layout_rename_is_exact_and_merge_refused(tmp_path: Path, mini_study: Path) -> None:
    root = _study(tmp_path, mini_study, FIXTURES / "unusual")
    before = (root / "cases" / "g03.yaml").read_text()
    write_migration(_rename(root, "course.outcomes.relapse", "setback"))
    assert (root / "cases" / "g03.yaml").read_text() == before.replace("relapse", "setback")
    with pytest.raises(StudyError) as refused:
        _merge(root, "course.outcomes.stability", "course.outcomes.setback", "steady")
    assert [d.rule for d in refused.value.diagnostics] == ["migrate-format"]


def test_every_rewritten_file_reads_back_as_intended(study: Path) -> None:
    migration = _merge(study, "course.outcomes.stability", "course.outcomes.relapse", "mixed")
    for change in migration.changes:
        doc, problems = parse_text(change.shown, change.new_text)
        assert doc is not None and not problems


def test_write_is_all_or_nothing(study: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    migration = _rename(study, "course.outcomes.relapse", "setback")
    before = _snapshot(study)
    calls = []
    real_replace = os.replace

    def failing_replace(src: str, dst: object) -> None:
        calls.append(dst)
        if len(calls) == 2:
            raise OSError(28, "No space left on device", str(dst))
        real_replace(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(UsageError, match="nothing changed"):
        write_migration(migration)
    monkeypatch.undo()
    assert _snapshot(study) == before  # the first file was put back, no temporary files left


def test_a_file_edited_meanwhile_is_not_overwritten(study: Path) -> None:
    migration = _rename(study, "course.outcomes.relapse", "setback")
    target = migration.changes[-1].path
    target.write_text(target.read_text() + "# edited\n")
    before = _snapshot(study)
    with pytest.raises(UsageError, match="changed while migrating"):
        write_migration(migration)
    assert _snapshot(study) == before


def test_merge_in_a_file_in_canonical_fmt_form(tmp_path: Path, mini_study: Path) -> None:
    fmt = pytest.importorskip("ol_analysis.feedback.fmt")
    from ol_analysis.core.casemodel import CaseModels
    from ol_analysis.core.framework import load_framework
    from ol_analysis.feedback.migrate.roundtrip import dump, round_trip_yaml

    root = _study(tmp_path, mini_study, FIXTURES / "cases")
    models = CaseModels(load_framework(root / "framework.yaml"))
    long_quote = " ".join(["een lange zin over het herstel van de cliënt"] * 6)
    text = (root / "cases" / "g01.yaml").read_text().replace("Ik doe het nu zelf.", long_quote)
    path = root / "cases" / "g01.yaml"
    canonical = fmt.format_text(text, models, str(path), path).formatted
    assert canonical is not None
    path.write_text(canonical)
    yaml = round_trip_yaml()
    assert dump(yaml, yaml.load(canonical)) != canonical  # ruamel would re-wrap the quote
    write_migration(
        _merge(root, "course.outcomes.stability", "course.outcomes.more_self_direction", "steady")
    )
    new_models = CaseModels(load_framework(root / "framework.yaml"))
    merged = path.read_text()
    assert fmt.format_text(merged, new_models, str(path), path).formatted == merged
    assert "# said in session 2" in merged and "# the end" in merged
    assert load_study(root).cases["g01"].codes("course.outcomes") == ["steady", "relapse"]


def test_template_lines_naming_a_renamed_path_are_listed(study: Path) -> None:
    templates = study / "templates" / "nl" / "chapters"
    templates.mkdir(parents=True)
    chapter = templates / "3.1-x.md.j2"
    chapter.write_text(
        "{{ data.count('course.outcomes.stability')|cases }}\n"
        "no mention here: course.outcomes.stability_plus\n"
        '{{ data.counted("course.outcomes.stability") }} and course.outcomes.relapse\n',
        encoding="utf-8",
    )
    migration = plan_migration(
        study / "framework.yaml",
        case_files(study / "cases"),
        lambda fw: rename_plan(fw, "course.outcomes.stability", "steady"),
        lambda plan: "rename",
        templates=study / "templates",
    )
    assert [(m.path, m.line, m.column, m.new) for m in migration.template_mentions] == [
        (chapter, 1, 16, "course.outcomes.steady"),
        (chapter, 3, 18, "course.outcomes.steady"),
    ]
    assert chapter.read_text(encoding="utf-8").count("stability") == 3  # listed, not rewritten
