"""The ``ol-analysis`` command line: parses options, calls the public API, prints, exits.

Exit codes: 0 success; 1 the input has problems; 2 usage error or unreadable input.
"""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from ol_analysis.diagnostics import to_json
from ol_analysis.errors import OlAnalysisError, StudyError, UsageError
from ol_analysis.reporting import print_diagnostics, summary_line

app = typer.Typer(
    name="ol-analysis",
    help="Qualitative multi-case analysis: validate, count and report a coded study.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True, highlight=False)
out = Console(highlight=False)


class Lang(StrEnum):
    nl = "nl"
    en = "en"


class OutputFormat(StrEnum):
    text = "text"
    json = "json"


FrameworkOpt = Annotated[Path, typer.Option("--framework", help="The codebook.", show_default=True)]
CasesOpt = Annotated[Path, typer.Option("--cases", help="Folder of case files.")]
LangOpt = Annotated[Lang, typer.Option("--lang", help="Language of labels and chapters.")]
TemplatesOpt = Annotated[Path, typer.Option("--templates", help="The study's own templates.")]
OutOpt = Annotated[Path, typer.Option("--out", help="Output folder.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Machine-readable output on stdout.")]


def _fail(error: OlAnalysisError) -> NoReturn:
    if isinstance(error, StudyError):
        print_diagnostics(err, error.diagnostics)
        raise typer.Exit(1)
    err.print(Text.assemble(("error:", "bold red"), f" {error}"), soft_wrap=True)
    raise typer.Exit(2)


def _load(framework: Path, cases: Path) -> Any:
    from ol_analysis.study import load_study

    return load_study(".", framework=framework, cases=cases)


def _print_json(data: object) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


@app.command()
def validate(
    files: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="FILES", help="Case files or folders of them (default: all of --cases)."
        ),
    ] = None,
    framework: FrameworkOpt = Path("framework.yaml"),
    cases: CasesOpt = Path("cases"),
    output_format: Annotated[OutputFormat, typer.Option("--format", help="text or json.")] = (
        OutputFormat.text
    ),
    strict: Annotated[
        bool,
        typer.Option(
            "--strict",
            help="Also review checks: open comments in final cases (error), "
            "comment paths the framework lacks (warning).",
        ),
    ] = False,
) -> None:
    """Check the framework and case files; print every problem at its line and column."""
    from ol_analysis.study import case_files, check_study

    try:
        # a folder among the files stands for its case files, as with --cases
        listed = [
            f for given in files or [] for f in (case_files(given) if given.is_dir() else [given])
        ]
        check = check_study(framework, listed if files else None, cases, keep_cases=strict)
    except OlAnalysisError as error:
        _fail(error)
    if strict and check.framework is not None:
        from ol_analysis.diagnostics import sort_unique
        from ol_analysis.review import check_review

        review = check_review(check.framework, check.cases.values())
        check.diagnostics = sort_unique([*check.diagnostics, *review])
    if check.framework is not None and check.files_checked == 0:
        where = ", ".join(str(f) for f in files) if files else str(cases)
        err.print(f"warning: no case files (*.yaml) in {where}", markup=False, soft_wrap=True)
    if output_format is OutputFormat.json:
        sys.stdout.write(to_json(check.diagnostics) + "\n")
    elif check.diagnostics:
        print_diagnostics(err, check.diagnostics)
        err.print(summary_line(check.diagnostics, check.files_checked), style="bold")
    raise typer.Exit(0 if check.ok else 1)


@app.command()
def status(
    framework: FrameworkOpt = Path("framework.yaml"),
    cases: CasesOpt = Path("cases"),
    as_json: JsonOpt = False,
) -> None:
    """Per subgroup: its cases, their review status and open comments."""
    from ol_analysis.review import review_status, status_json, status_table
    from ol_analysis.study import case_files, check_study

    try:
        check = check_study(framework, case_files(cases))
    except OlAnalysisError as error:
        _fail(error)
    statuses = review_status(check.cases.values())
    if as_json:
        _print_json(status_json(statuses))
    else:
        out.print(status_table(statuses))
    if not check.ok:
        print_diagnostics(err, check.diagnostics)
        err.print("cases with errors are not listed; run 'ol-analysis validate'", style="bold")
        raise typer.Exit(1)


@app.command()
def agree(
    left: Annotated[
        str, typer.Argument(metavar="LEFT", help="First coding: a folder, a case file or REV:PATH.")
    ],
    right: Annotated[str, typer.Argument(metavar="RIGHT", help="Second coding of the same cases.")],
    framework: FrameworkOpt = Path("framework.yaml"),
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
    as_json: JsonOpt = False,
) -> None:
    """Agreement between two independent codings: per group kappa, alpha, disagreements."""
    from ol_analysis import agree as ag
    from ol_analysis.casemodel import CaseModels
    from ol_analysis.framework import load_framework

    try:
        loaded = load_framework(framework, str(framework))
        models = CaseModels(loaded)
        left_coding = ag.load_coding(left, models)
        right_coding = ag.pair_files(left_coding, ag.load_coding(right, models))
        report = ag.compare(loaded, left_coding, right_coding, groups or ())
    except OlAnalysisError as error:
        _fail(error)
    for side, ids in ((left, report.only_left), (right, report.only_right)):
        for case_id in ids:
            err.print(f"warning: case {case_id} is only in {side}; not compared", markup=False)
    if as_json:
        _print_json(ag.report_json(report))
    else:
        out.print(ag.summary_table(report))
        table = ag.disagreements_table(report)
        if table is not None:
            out.print(table)
    if not report.cases:
        err.print(f"error: no case is coded in both {left} and {right}", markup=False)
        raise typer.Exit(1)
    failing = report.below(min_alpha) if min_alpha is not None else []
    for group in failing:
        err.print(
            f"error: {group.group}: alpha {ag.fmt_number(group.krippendorff_alpha)} "
            f"is below {min_alpha}",
            markup=False,
        )
    raise typer.Exit(1 if failing else 0)


DryRunOpt = Annotated[bool, typer.Option("--dry-run", help="Show the changes; write nothing.")]
DiffOpt = Annotated[bool, typer.Option("--diff", help="Also print the changes as a unified diff.")]


def _migrate(
    framework: Path, cases: Path, make_plan: Any, summary: Any, dry_run: bool, diff: bool
) -> None:
    """Plan a codebook migration, report it, and write it unless ``dry_run``."""
    from ol_analysis.migrate import plan_migration, write_migration
    from ol_analysis.study import case_files

    try:
        migration = plan_migration(framework, case_files(cases), make_plan, summary)
        if not dry_run:
            write_migration(migration)
    except StudyError as error:
        print_diagnostics(err, error.diagnostics)
        err.print("the migration needs a valid study and must leave it valid; nothing was written")
        raise typer.Exit(1) from None
    except OlAnalysisError as error:
        _fail(error)
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
def rename_code(
    old_path: Annotated[str, typer.Argument(metavar="OLD_PATH", help="Dotted path of the code.")],
    new_id: Annotated[str, typer.Argument(metavar="NEW_ID", help="The code's new id.")],
    framework: FrameworkOpt = Path("framework.yaml"),
    cases: CasesOpt = Path("cases"),
    dry_run: DryRunOpt = False,
    diff: DiffOpt = False,
) -> None:
    """Rename a code in framework.yaml and every case file, keeping comments and layout."""
    from ol_analysis.migrate import rename_plan

    _migrate(
        framework,
        cases,
        lambda fw: rename_plan(fw, old_path, new_id),
        lambda plan: f"rename {old_path} to {new_id}",
        dry_run,
        diff,
    )


@app.command("merge-codes")
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
    from ol_analysis.migrate import merge_plan

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


@app.command()
def new(
    case_id: Annotated[str, typer.Argument(metavar="ID", help="The new case's id, e.g. c12.")],
    title: Annotated[str, typer.Option("--title", help="The case's title.")],
    framework: FrameworkOpt = Path("framework.yaml"),
    cases: CasesOpt = Path("cases"),
    lang: LangOpt = Lang.nl,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a scaffold cases/ID.yaml with every part and hints from the codebook."""
    from ol_analysis.framework import load_framework
    from ol_analysis.safe_write import ensure_folder, write_text_atomic
    from ol_analysis.scaffold import scaffold, valid_case_id

    try:
        if not valid_case_id(case_id):
            raise UsageError(
                f"'{case_id}' is not a valid case id: use lower-case letters, digits, '-' and '_'"
            )
        loaded = load_framework(framework, str(framework))
        target = cases / f"{case_id}.yaml"
        if target.exists() and not force:
            raise UsageError(f"{target} already exists (use --force to overwrite)")
        ensure_folder(cases, "cases folder")
        write_text_atomic(target, scaffold(loaded, case_id, title, lang=lang.value))
    except OlAnalysisError as error:
        _fail(error)
    err.print(f"wrote {target}", markup=False)


@app.command()
def schema(
    framework: FrameworkOpt = Path("framework.yaml"),
    out_file: Annotated[Path | None, typer.Option("--out", help="Write to FILE.")] = None,
) -> None:
    """Print the JSON Schema (draft-07) of a case file, for editor autocompletion."""
    from ol_analysis.framework import load_framework
    from ol_analysis.safe_write import write_text_atomic
    from ol_analysis.schema import schema_text

    try:
        text = schema_text(load_framework(framework, str(framework)))
        if out_file is None:
            sys.stdout.write(text)
            return
        write_text_atomic(out_file, text)
    except OlAnalysisError as error:
        _fail(error)
    err.print(f"wrote {out_file}", markup=False)


@app.command()
def stats(
    framework: FrameworkOpt = Path("framework.yaml"),
    cases: CasesOpt = Path("cases"),
    lang: LangOpt = Lang.nl,
    as_json: JsonOpt = False,
    all_codes: Annotated[bool, typer.Option("--all", help="Also list codes no case has.")] = False,
) -> None:
    """Theme counts per code across the cases, with the cases behind each count."""
    from ol_analysis.aggregate import stats as compute_stats

    try:
        study = _load(framework, cases)
    except OlAnalysisError as error:
        _fail(error)
    result = compute_stats(study)
    if as_json:
        _print_json(result)
        return
    n_cases = result["n_cases"]
    for part in study.framework.parts:
        table = Table(title=part.label.get(lang.value), title_justify="left", show_lines=False)
        table.add_column("code")
        table.add_column("label")
        table.add_column("n", justify="right")
        table.add_column("cases")
        rows = [
            (path, entry)
            for path, entry in result["counts"].items()
            if path.startswith(f"{part.id}.") and (all_codes or entry["n"])
        ]
        for path, entry in rows:
            code = study.framework.code(path)
            label = code.label.get(lang.value) if code else path.rsplit(".", 1)[-1]
            table.add_row(
                path.removeprefix(f"{part.id}."),
                label,
                f"{entry['n']}/{n_cases}",
                ", ".join(entry["cases"]),
            )
        if rows:
            out.print(table)


@app.command()
def matrix(
    group: Annotated[
        str,
        typer.Argument(metavar="GROUP", help="Dotted group path, e.g. course_outcome.outcomes."),
    ] = "reference.if_then",
    framework: FrameworkOpt = Path("framework.yaml"),
    cases: CasesOpt = Path("cases"),
    lang: LangOpt = Lang.nl,
    order_by: Annotated[
        str | None,
        typer.Option("--order-by", metavar="DOTTED.PATH", help="Order cases by a group or code."),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """The case-by-code matrix of a group (default: the if…then matrix)."""
    from ol_analysis.aggregate import matrix as compute_matrix

    try:
        study = _load(framework, cases)
        result = compute_matrix(study, group, order_by)
    except OlAnalysisError as error:
        _fail(error)
    if as_json:
        _print_json(result)
        return
    owner = study.framework.vocabulary_owner(result["group"])
    group_obj = study.framework.group(result["group"])
    vocab = (
        owner.codes
        if owner is not None and owner.codes
        else (group_obj.row_field.codes if group_obj and group_obj.row_field else [])
    )
    labels = {c.id: c.label.get(lang.value) for c in vocab}
    table = Table(title=result["group"], title_justify="left")
    table.add_column("code")
    for case_id in result["cases"]:
        table.add_column(case_id, justify="center")
    table.add_column("total", justify="right")
    for row in result["rows"]:
        cells = [_cell(result["cells"][row][c]) for c in result["cases"]]
        table.add_row(labels.get(row, row), *cells, str(result["totals"][row]))
    out.print(table)


@app.command()
def privacy(
    files: Annotated[
        list[Path] | None, typer.Argument(metavar="FILES", help="Files (default: the study).")
    ] = None,
    framework: FrameworkOpt = Path("framework.yaml"),
    cases: CasesOpt = Path("cases"),
    out_dir: OutOpt = Path("build"),
    deny_list: Annotated[
        Path | None,
        typer.Option(
            "--deny-list",
            help="Names to refuse, one per line; keep it outside the repository "
            "(default: $OL_ANALYSIS_DENY_LIST or ~/.config/ol-analysis/deny-list.txt).",
        ),
    ] = None,
    allow_list: Annotated[
        Path | None,
        typer.Option(
            "--allow-list",
            help="Entries {rule, text, reason} that are not personal data "
            "(default: privacy-allow.yaml, if there is one).",
        ),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Scan case files, the framework and rendered outputs for personal data."""
    from ol_analysis.privacy import default_deny_list, read_allow_list, read_deny_list, scan_files
    from ol_analysis.study import study_text_files

    try:
        deny_path = deny_list or default_deny_list()
        if deny_path is not None and not deny_path.is_file():
            what = "is a folder, not a file" if deny_path.is_dir() else "not found"
            raise UsageError(f"deny-list {what}: {deny_path}")
        names = read_deny_list(deny_path) if deny_path is not None else []
        if allow_list is not None and not allow_list.is_file():
            what = "is a folder, not a file" if allow_list.is_dir() else "not found"
            raise UsageError(f"allow-list {what}: {allow_list}")
        allow_path = allow_list or Path("privacy-allow.yaml")
        allowed, problems = read_allow_list(allow_path) if allow_path.is_file() else ([], [])
        targets = files or study_text_files(framework, cases, out_dir)
    except OlAnalysisError as error:
        _fail(error)
    problems += scan_files(targets, deny_names=names, allowed=allowed)
    if as_json:
        sys.stdout.write(to_json(problems) + "\n")
    else:
        print_diagnostics(err, problems)
    raise typer.Exit(1 if problems else 0)


@app.command()
def build(
    framework: FrameworkOpt = Path("framework.yaml"),
    cases: CasesOpt = Path("cases"),
    templates: TemplatesOpt = Path("templates"),
    out_dir: OutOpt = Path("build"),
    lang: LangOpt = Lang.nl,
    footnotes: Annotated[
        bool, typer.Option("--footnotes", help="Markdown: case ids behind each count as footnotes.")
    ] = False,
    order_by: Annotated[
        str | None,
        typer.Option("--order-by", metavar="DOTTED.PATH", help="Order the cases in matrices."),
    ] = None,
) -> None:
    """Validate, aggregate and render the report (Markdown, HTML, DOCX, figures) into --out."""
    from rich.progress import Progress

    from ol_analysis.build import build_report, study_provenance

    try:
        study = _load(framework, cases)
        with Progress(console=err, transient=True, disable=not err.is_terminal) as bar:
            task = bar.add_task("build", total=1)

            def progress(step: str, done: int, total: int) -> None:
                bar.update(task, description=step, completed=done, total=total)

            result = build_report(
                study,
                out_dir,
                lang=lang.value,
                templates_dir=templates,
                footnotes=footnotes,
                order_by=order_by,
                progress=progress,
                provenance=study_provenance(study, framework.parent),
                protected={
                    "study folder": framework.parent,
                    "cases": cases,
                    "templates": templates,
                },
            )
    except OlAnalysisError as error:
        _fail(error)
    if study.warnings:
        print_diagnostics(err, study.warnings)
    made = [f"{len(result.chapters)} chapters in md/", f"{result.count('html')} files in html/"]
    made += [
        f"{result.count(folder)} file{'s' if result.count(folder) != 1 else ''} in {folder}/"
        for folder in ("figures", "docx")
        if result.count(folder)
    ]
    err.print(
        f"wrote {out_dir}/: stats.json, schema.json, {', '.join(made)} ({result.seconds:.1f} s)",
        markup=False,
        soft_wrap=True,
    )


@app.command()
def serve(
    framework: FrameworkOpt = Path("framework.yaml"),
    cases: CasesOpt = Path("cases"),
    templates: TemplatesOpt = Path("templates"),
    out_dir: OutOpt = Path("build"),
    lang: LangOpt = Lang.nl,
    port: Annotated[
        int, typer.Option("--port", min=0, max=65535, help="Port on 127.0.0.1 (0: any free port).")
    ] = 8000,
) -> None:
    """Build the HTML report into --out and serve it on localhost, rebuilding on every change."""
    from ol_analysis.serve import study_server

    server = study_server(framework, cases, templates, out_dir, lang=lang.value, port=port)
    try:
        server.start()
    except OlAnalysisError as error:
        _fail(error)
    err.print(f"serving {server.url} (Ctrl-C to stop)", markup=False)
    if server.state.error:
        err.print(
            f"the build failed; the page shows why:\n{server.state.error}",
            markup=False,
            soft_wrap=True,
        )
    try:
        server.wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()


def _cell(value: object) -> str:
    if value is True:
        return "✓"
    if value in (False, None):
        return "·"
    return str(value)


from ol_analysis.cli_interop import export_app, import_app  # noqa: E402  (uses the above)

app.add_typer(export_app, name="export")
app.add_typer(import_app, name="import")

import ol_analysis.cli_git  # noqa: E402, F401  (registers fmt, diff and git-setup on app)


def main() -> None:
    """Entry point of the console script and ``python -m ol_analysis``."""
    app()
