"""``build`` and ``serve``: the report chapters, rendered from the data."""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated

import typer

from ol_analysis.cli.common import (
    CasesOpt,
    FrameworkOpt,
    IncludeDraftsOpt,
    Lang,
    LangOpt,
    OutOpt,
    StatusOpt,
    TemplatesOpt,
    app,
    err,
    handle_errors,
    load,
    status_words,
    warn_templates,
)
from ol_analysis.cli.output import print_diagnostics
from ol_analysis.cli.privacy import KOpt, Reidentification, build_check
from ol_analysis.diagnostics import Diagnostic
from ol_analysis.report.formats import FORMATS


@app.command()
@handle_errors
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
    formats: Annotated[
        str | None,
        typer.Option(
            "--format",
            metavar="LIST",
            help=f"The outputs, comma-separated (default: all of {','.join(FORMATS)}; "
            "the DOCX needs md).",
        ),
    ] = None,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Draw every figure again (same bytes, slower).")
    ] = False,
    status: StatusOpt = None,
    include_drafts: IncludeDraftsOpt = False,
    include_sources: Annotated[
        bool,
        typer.Option(
            "--include-sources",
            help="HTML: a page per source document with its coded segments, quotes linked to "
            "them (sources are confidential: off by default).",
        ),
    ] = False,
    k: KOpt = 2,
    reidentification: Annotated[
        Reidentification,
        typer.Option(
            "--reidentification",
            help="What re-identification findings not accepted in privacy-allow.yaml do: "
            "error (refuse to publish), warning (publish, say so) or off. Identifiers always "
            "refuse.",
        ),
    ] = Reidentification.warning,
) -> None:
    """Validate, aggregate and render the report (Markdown, HTML, DOCX, figures) into --out;
    nothing is published when the privacy check of the new build finds personal data."""
    from rich.progress import Progress

    from ol_analysis.report.build import build_report, study_provenance

    study = load(framework, cases, status, include_drafts)
    warn_templates(templates)
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
            protected={"study folder": framework.parent, "cases": cases, "templates": templates},
            formats=[f.strip() for f in formats.split(",") if f.strip()] if formats else None,
            use_cache=not no_cache,
            include_sources=include_sources,
            check=build_check(study, out_dir, k=k, reidentification=reidentification.value),
        )
    made = [f"{len(result.chapters)} chapters in md/"] if result.count("md") else []
    made += [
        f"{result.count(folder)} file{'s' if result.count(folder) != 1 else ''} in {folder}/"
        for folder in ("html", "figures", "docx")
        if result.count(folder)
    ]
    err.print(
        f"wrote {out_dir}/: stats.json, schema.json, {', '.join(made)} ({result.seconds:.1f} s)",
        markup=False,
        soft_wrap=True,
    )
    _privacy_warnings(result.warnings, k)


def _privacy_warnings(warnings: Sequence[Diagnostic], k: int) -> None:
    """Other warnings in full; the audit's as one line (there may be one per case and output)."""
    from ol_analysis.privacy.outputs import AUDIT_RULES

    audit = [w for w in warnings if w.rule in AUDIT_RULES]
    print_diagnostics(err, [w for w in warnings if w.rule not in AUDIT_RULES])
    if audit:
        cases = len({(w.message.split()[1]) for w in audit if w.rule == AUDIT_RULES[0]})
        err.print(
            f"warning[privacy-reidentification]: {len(audit)} re-identification finding(s) in "
            f"{len({w.path for w in audit})} output(s), {cases} case(s) singled out (k={k}); "
            "`ol-analysis privacy --outputs` lists them; accept them in privacy-allow.yaml or "
            "build with --reidentification error to refuse",
            markup=False,
            soft_wrap=True,
        )


@app.command()
@handle_errors
def serve(
    framework: FrameworkOpt = Path("framework.yaml"),
    cases: CasesOpt = Path("cases"),
    templates: TemplatesOpt = Path("templates"),
    out_dir: OutOpt = Path("build"),
    lang: LangOpt = Lang.nl,
    port: Annotated[
        int, typer.Option("--port", min=0, max=65535, help="Port on 127.0.0.1 (0: any free port).")
    ] = 8000,
    status: StatusOpt = None,
    include_drafts: IncludeDraftsOpt = False,
) -> None:
    """Build the HTML report into --out and serve it on localhost, rebuilding on every change."""
    from rich.progress import Progress

    from ol_analysis.report.serve import study_server

    def log(message: str) -> None:
        err.print(f"{time.strftime('%H:%M:%S')} {message}", markup=False, soft_wrap=True)

    warn_templates(templates)
    with Progress(console=err, transient=True, disable=not err.is_terminal) as bar:
        task = bar.add_task("building the report (HTML and figures)", total=1)

        def progress(step: str, done: int, total: int) -> None:
            bar.update(task, description=f"first build: {step}", completed=done, total=total)

        server = study_server(
            framework,
            cases,
            templates,
            out_dir,
            lang=lang.value,
            port=port,
            log=log,
            statuses=status_words(status),
            include_drafts=include_drafts,
            progress=progress,
        )
        server.start()
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
