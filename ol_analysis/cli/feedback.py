"""``fmt``, ``diff``, ``git-setup``, ``agree``, ``rename-code`` and ``merge-codes``: the
commands of a feedback round in git."""

from __future__ import annotations

import shlex
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.text import Text

from ol_analysis.cli.common import (
    CasesOpt,
    FormatOpt,
    FrameworkOpt,
    JsonAliasOpt,
    Lang,
    LangOpt,
    OutputFormat,
    TableFormat,
    TableFormatOpt,
    app,
    err,
    handle_errors,
    out,
    print_json,
    wants_json,
)
from ol_analysis.cli.output import (
    agreement_tables,
    as_tsv,
    open_item,
    open_table,
    print_diagnostics,
)
from ol_analysis.diagnostics import has_errors
from ol_analysis.errors import StudyError, UsageError

_SIGN = {"added": ("+", "green"), "removed": ("-", "red"), "changed": ("~", "yellow")}

FrameworkSpecOpt = Annotated[
    str,
    typer.Option(
        "--framework",
        metavar="PATH",
        help="The codebook: a file, or REV:PATH in git. A REV:PATH version of a case is read "
        "with the framework of its own revision.",
        show_default=True,
    ),
]


@app.command()
@handle_errors
def fmt(
    files: Annotated[
        list[Path] | None,
        typer.Argument(help="Case files or study.yaml (default: all cases and study.yaml)."),
    ] = None,
    check: Annotated[
        bool, typer.Option("--check", help="Write nothing; exit 1 if a file would change.")
    ] = False,
    framework: FrameworkOpt = Path("framework.yaml"),
    cases: CasesOpt = Path("cases"),
) -> None:
    """Rewrite case files and study.yaml in canonical form (key order, quoting, indentation),
    keeping comments."""
    from ol_analysis.core.study import STUDY_FILE, case_files
    from ol_analysis.feedback.fmt import format_files

    study_file = framework.parent / STUDY_FILE
    every = [*case_files(cases), *([study_file] if study_file.is_file() else [])]
    run = format_files(framework, files or every, write=not check)
    print_diagnostics(err, run.diagnostics)
    for path in run.changed:
        err.print(f"would reformat {path}" if check else f"reformatted {path}", markup=False)
    raise typer.Exit(1 if has_errors(run.diagnostics) or (check and run.changed) else 0)


def _version(spec: str) -> tuple[str, str]:
    from ol_analysis.core.yamlsource import MAX_FILE_BYTES
    from ol_analysis.git import is_revision_spec, read_revision

    if is_revision_spec(spec):
        return spec, read_revision(spec, max_bytes=MAX_FILE_BYTES)
    path = Path(spec)
    if not path.is_file():
        raise UsageError(f"no such file: {spec}")
    try:
        return spec, path.read_bytes().decode("utf-8").removeprefix("\ufeff")
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"cannot read {spec}: {error}") from None


@app.command()
@handle_errors
def diff(
    old: Annotated[str, typer.Argument(metavar="OLD", help="A case file or REV:PATH.")],
    new: Annotated[
        str | None, typer.Argument(metavar="NEW", help="A case file or REV:PATH.")
    ] = None,
    framework: FrameworkSpecOpt = "framework.yaml",
    lang: LangOpt = Lang.nl,
    output_format: FormatOpt = OutputFormat.text,
    json_alias: JsonAliasOpt = False,
    exit_code: Annotated[
        bool, typer.Option("--exit-code", help="Exit 1 when there are differences (as git).")
    ] = False,
    textconv: Annotated[
        bool,
        typer.Option("--textconv", help="Print OLD as stable lines, for git's diff driver."),
    ] = False,
) -> None:
    """Semantic diff of two versions of a case: codes, records and evidence by identity."""
    from ol_analysis.feedback.diff import by_part, case_from_text, diff_cases
    from ol_analysis.feedback.versions import Frameworks

    if textconv:
        _textconv(old, framework)
        return
    if new is None:
        raise UsageError("diff needs OLD and NEW (or --textconv FILE)")
    old_name, old_text = _version(old)
    new_name, new_text = _version(new)
    frameworks = Frameworks(framework)
    old_framework, new_framework = frameworks.for_version(old), frameworks.for_version(new)
    before = case_from_text(old_framework.models, old_text, old_name)
    after = case_from_text(new_framework.models, new_text, new_name)
    changes = diff_cases(
        new_framework.framework,
        before,
        after,
        lang.value,
        old_framework=old_framework.framework,
    )
    if wants_json(output_format, json_alias):
        print_json([change.as_json() for change in changes])
    elif changes:
        out.print(Text(f"--- {old}\n+++ {new}", style="bold"))
        for change in changes:
            if change.change == "codebook":
                out.print(Text(change.where, style="cyan"), soft_wrap=True)
        for heading, selected in by_part(new_framework.framework, changes, lang.value):
            out.print(Text(heading, style="bold"))
            for change in selected:
                sign, style = _SIGN[change.change]
                if change.change == "changed":
                    detail = f"{change.shown_old} → {change.shown_new}"
                else:
                    detail = change.shown_new or change.shown_old
                line = f"  {sign} {change.where}" + (f": {detail}" if detail else "")
                out.print(Text(line, style=style), soft_wrap=True)
    raise typer.Exit(1 if exit_code and changes else 0)


def _textconv(file: str, framework: str) -> None:
    """What git shows for a version of a case (:func:`ol_analysis.feedback.textconv.view`).

    git passes temporary files and fails the whole diff when a driver fails, so this never
    fails on the file's content: a file that cannot be read as a case is shown as it is.
    """
    from ol_analysis.feedback.textconv import view

    try:
        raw = Path(file).read_bytes()
    except OSError as error:
        raise UsageError(f"cannot read {file}: {error.strerror or error}") from None
    sys.stdout.write(view(Path(file), raw, framework))


@app.command("git-setup")
@handle_errors
def git_setup(
    framework: FrameworkOpt = Path("framework.yaml"),
    cases: CasesOpt = Path("cases"),
) -> None:
    """Make `git diff` show case files semantically (.gitattributes and local git config)."""
    from ol_analysis.feedback.textconv import git_setup as setup

    result = setup(Path("."), framework, cases)
    if result.attributes_changed:
        err.print(f"updated {result.attributes}", markup=False)
    err.print(
        f"git config diff.ol-analysis.textconv {shlex.quote(result.textconv)}",
        markup=False,
        soft_wrap=True,  # one line, to copy as it is
    )
    if result.virtualenv is not None:
        err.print(
            f"warning: the diff driver runs the Python of the virtual environment "
            f"{result.virtualenv}; if it is moved or deleted, `git diff` of case files fails "
            "until you run `ol-analysis git-setup` again",
            markup=False,
            soft_wrap=True,
        )


class AgreeBy(StrEnum):
    group = "group"
    part = "part"
    case = "case"


@app.command()
@handle_errors
def agree(
    codings: Annotated[
        list[str],
        typer.Argument(
            metavar="LEFT RIGHT [MORE]...",
            help="Two or more independent codings of the same cases: folders, case files or "
            "REV:PATH.",
        ),
    ],
    framework: FrameworkSpecOpt = "framework.yaml",
    min_alpha: Annotated[
        float | None,
        typer.Option(
            "--min-alpha",
            metavar="X",
            help="Exit 1 when any group's Krippendorff's alpha is below X (undefined is not).",
        ),
    ] = None,
    groups: Annotated[
        list[str] | None,
        typer.Option("--group", metavar="PART.GROUP", help="Compare only this group (repeatable)."),
    ] = None,
    bootstrap: Annotated[
        int,
        typer.Option(
            "--bootstrap",
            metavar="N",
            min=0,
            help="Resamples for the 95% bootstrap interval of alpha (0: no interval).",
        ),
    ] = 1000,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the bootstrap.")] = 0,
    by: Annotated[
        AgreeBy,
        typer.Option("--by", help="JSON output per group, per part or per case."),
    ] = AgreeBy.group,
    output_format: TableFormatOpt = TableFormat.text,
    json_alias: JsonAliasOpt = False,
) -> None:
    """Agreement among two or more codings: per group, part and case; kappa, alpha with a
    bootstrap interval, disagreements."""
    from ol_analysis.feedback import agree as ag
    from ol_analysis.feedback.adjudicate import load_codings

    if len(codings) < 2:
        raise UsageError("agree needs at least two codings (LEFT RIGHT)")
    compared_in, loaded = load_codings(framework, codings)
    report = ag.compare_all(
        compared_in.framework, loaded, groups or (), bootstrap=bootstrap, seed=seed
    )
    for coding in loaded:
        print_diagnostics(err, list(coding.warnings))
        if coding.framework:
            err.print(
                f"note: {coding.source} is read with {coding.framework} and compared in "
                f"{framework}" + "".join(f"; {line}" for line in coding.codebook),
                markup=False,
                soft_wrap=True,
            )
    if len(loaded) == 2:
        for side, ids in ((codings[0], report.only_left), (codings[1], report.only_right)):
            for case_id in ids:
                err.print(f"warning: case {case_id} is only in {side}; not compared", markup=False)
    for side, ids in report.missing.items() if len(loaded) > 2 else ():
        for case_id in ids:
            err.print(f"warning: case {case_id} is not in {side}; not compared", markup=False)
    if wants_json(output_format, json_alias):
        print_json(
            ag.report_json(report) if by is AgreeBy.group else ag.summary_json(report, by.value)
        )
    elif output_format is TableFormat.tsv:
        typer.echo(as_tsv(agreement_tables(report)), nl=False)
    else:
        for table in agreement_tables(report):
            out.print(table)
    if not report.cases:
        sides = (
            f"both {codings[0]} and {codings[1]}"
            if len(codings) == 2
            else f"every one of {', '.join(codings)}"
        )
        err.print(f"error: no case is coded in {sides}", markup=False)
        raise typer.Exit(1)
    failing = report.below(min_alpha) if min_alpha is not None else []
    for group in failing:
        err.print(
            f"error: {group.group}: alpha {ag.fmt_number(group.krippendorff_alpha)} "
            f"is below {min_alpha}",
            markup=False,
        )
    raise typer.Exit(1 if failing else 0)


@app.command()
@handle_errors
def adjudicate(
    codings: Annotated[
        list[str],
        typer.Argument(
            metavar="LEFT RIGHT [MORE]...", help="The codings compared, as for 'agree'."
        ),
    ],
    framework: FrameworkSpecOpt = "framework.yaml",
    log: Annotated[
        Path | None,
        typer.Option(
            "--log", metavar="FILE", help="The log [default: adjudication.yaml beside --framework]."
        ),
    ] = None,
    list_open: Annotated[
        bool, typer.Option("--list", help="Print the open disagreements; decide nothing.")
    ] = False,
    decide: Annotated[
        list[str] | None,
        typer.Option(
            "--decide",
            metavar="CASE:UNIT=VALUE",
            help="Settle one disagreement, e.g. k1:course.outcomes.relapse=true (repeatable).",
        ),
    ] = None,
    decisions: Annotated[
        Path | None,
        typer.Option(
            "--decisions",
            metavar="FILE",
            help="Settle the disagreements listed in a YAML file of {case, unit, decision, "
            "reason, by}.",
        ),
    ] = None,
    by: Annotated[str | None, typer.Option("--by", metavar="NAME", help="Who decided.")] = None,
    reason: Annotated[
        str | None, typer.Option("--reason", metavar="TEXT", help="Why (for --decide).")
    ] = None,
    round_number: Annotated[
        int | None,
        typer.Option(
            "--round", metavar="N", min=1, help="The round [default: the log's latest, or 1]."
        ),
    ] = None,
    date: Annotated[
        str | None, typer.Option("--date", metavar="YYYY-MM-DD", help="[default: today]")
    ] = None,
    apply: Annotated[
        Path | None,
        typer.Option(
            "--apply",
            metavar="DIR",
            help="Also write each decision into the case files in DIR (single and multi "
            "groups; canonical form).",
        ),
    ] = None,
    output_format: FormatOpt = OutputFormat.text,
    json_alias: JsonAliasOpt = False,
) -> None:
    """Settle the disagreements of two or more codings one by one, in the adjudication log."""
    from dataclasses import replace

    from ol_analysis.feedback import adjudicate as adj
    from ol_analysis.feedback.agree import compare_all

    if len(codings) < 2:
        raise UsageError("adjudicate needs at least two codings (LEFT RIGHT)")
    compared_in, loaded = adj.load_codings(framework, codings)
    frame = compared_in.framework
    path = log or adj.log_path(framework)
    record = adj.load_log(path, frame)
    report = compare_all(frame, loaded)
    still_open = adj.open_disagreements(report, record, frame)
    if list_open:
        if wants_json(output_format, json_alias):
            print_json([item.as_json() for item in still_open])
        else:
            out.print(open_table(still_open, report.coders))
        raise typer.Exit(0)
    number = round_number or max(record.latest_round(), 1)
    day = date or adj.today()
    first = (
        None
        if record.round(number)
        else adj.round_figures(replace(report, bootstrap=1000), number, day)
    )
    if decide or decisions:
        requested = [adj.Requested(*adj.parse_decide(d)) for d in decide or []]
        requested += adj.read_decisions(decisions) if decisions else []
        entries = adj.settle(
            requested, still_open, record, by=by, reason=reason, number=number, date=day
        )
        texts = adj.applied_texts(apply, compared_in, entries) if apply else {}
        adj.write_log(path, frame, first, entries)
        adj.write_texts(texts)
        for changed in texts:
            err.print(f"applied to {changed}", markup=False)
        left = len(still_open) - len(entries)
        err.print(f"logged {len(entries)} decision(s) in {path}; {left} open", markup=False)
        raise typer.Exit(0)
    _walk(still_open, path, compared_in, first, by, number, day, apply)


def _walk(
    still_open: list[Any],
    path: Path,
    compared_in: Any,
    first: Any,
    by: str | None,
    number: int,
    day: str,
    apply: Path | None,
) -> None:
    """Ask for each open disagreement in turn; every decision is written at once."""
    from ol_analysis.feedback import adjudicate as adj

    if not still_open:
        err.print("no open disagreements", markup=False)
        raise typer.Exit(0)
    logged = 0
    for index, item in enumerate(still_open, start=1):
        out.print(open_item(item, index, len(still_open)))
        choices = list(dict.fromkeys(item.codings.values()))
        answer = typer.prompt(
            "decision: a number, another value, 's' to skip, 'q' to stop", default="s"
        ).strip()
        if answer == "q":
            break
        if answer == "s":
            continue
        if answer.isdigit() and 1 <= int(answer) <= len(choices):
            value = choices[int(answer) - 1]
        else:
            try:
                value = adj.parse_value(answer, item.kind, item.unit)
            except UsageError as error:
                err.print(f"{error}; skipped", markup=False)
                continue
        who = by or typer.prompt("decided by")
        why = typer.prompt("reason")
        entry = adj.decision_entry(item, value, who, why, number, day)
        try:
            texts = adj.applied_texts(apply, compared_in, [entry]) if apply else {}
        except UsageError as error:
            err.print(f"{error}; not applied", markup=False)
            texts = {}
        adj.write_log(path, compared_in.framework, first, [entry])
        adj.write_texts(texts)
        first = None
        logged += 1
    err.print(
        f"logged {logged} decision(s) in {path}; {len(still_open) - logged} open", markup=False
    )


DryRunOpt = Annotated[bool, typer.Option("--dry-run", help="Show the changes; write nothing.")]
DiffOpt = Annotated[bool, typer.Option("--diff", help="Also print the changes as a unified diff.")]


def _migrate(
    framework: Path, cases: Path, make_plan: Any, summary: Any, dry_run: bool, diff: bool
) -> None:
    """Plan a codebook migration, report it, and write it unless ``dry_run``."""
    from ol_analysis.core.study import case_files
    from ol_analysis.feedback.migrate import plan_migration, write_migration

    try:
        migration = plan_migration(framework, case_files(cases), make_plan, summary)
        if not dry_run:
            write_migration(migration)
    except StudyError as error:
        print_diagnostics(err, error.diagnostics)
        err.print("the migration needs a valid study and must leave it valid; nothing was written")
        raise typer.Exit(1) from None
    for change in migration.changes:
        for o in change.occurrences:
            out.print(
                f"{change.shown}:{o.line}:{o.column}: {o.location}: {o.old} → {o.new}",
                markup=False,
                soft_wrap=True,
            )
        if diff:
            sys.stdout.write(change.diff())
    files = len(migration.changes)
    done = "would change" if dry_run else "changed"
    out.print(
        f"{migration.summary}: {done} {migration.occurrences} place(s) in {files} file(s)"
        + (" (dry run: nothing written)" if dry_run else ""),
        markup=False,
        soft_wrap=True,
    )


@app.command("rename-code")
@handle_errors
def rename_code(
    old_path: Annotated[str, typer.Argument(metavar="OLD_PATH", help="Dotted path of the code.")],
    new_id: Annotated[str, typer.Argument(metavar="NEW_ID", help="The code's new id.")],
    framework: FrameworkOpt = Path("framework.yaml"),
    cases: CasesOpt = Path("cases"),
    dry_run: DryRunOpt = False,
    diff: DiffOpt = False,
) -> None:
    """Rename a code in framework.yaml and every case file, keeping comments and layout."""
    from ol_analysis.feedback.migrate import rename_plan

    _migrate(
        framework,
        cases,
        lambda fw: rename_plan(fw, old_path, new_id),
        lambda plan: f"rename {old_path} to {new_id}",
        dry_run,
        diff,
    )


@app.command("merge-codes")
@handle_errors
def merge_codes(
    first: Annotated[str, typer.Argument(metavar="A", help="Dotted path of a code.")],
    second: Annotated[str, typer.Argument(metavar="B", help="Another code of the same group.")],
    into: Annotated[str, typer.Option("--into", metavar="C", help="The code both become.")],
    framework: FrameworkOpt = Path("framework.yaml"),
    cases: CasesOpt = Path("cases"),
    label_nl: Annotated[str | None, typer.Option("--label-nl", help="Label of a new C.")] = None,
    label_en: Annotated[str | None, typer.Option("--label-en", help="Label of a new C.")] = None,
    description: Annotated[
        str | None, typer.Option("--description", help="Description of a new C.")
    ] = None,
    dry_run: DryRunOpt = False,
    diff: DiffOpt = False,
) -> None:
    """Merge codes A and B into C (new or existing) in framework.yaml and every case file."""
    from ol_analysis.feedback.migrate import merge_plan

    def plan(fw: Any) -> Any:
        label = None
        if label_nl or label_en:
            if not (label_nl and label_en):
                raise UsageError("give both --label-nl and --label-en")
            label = {"nl": label_nl, "en": label_en}
        return merge_plan(fw, first, second, into, label=label, description=description)

    _migrate(
        framework, cases, plan, lambda p: f"merge {first} and {second} into {into}", dry_run, diff
    )
