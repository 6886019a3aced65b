"""``ol-analysis build``: gather everything, then render, then put the build in place at once.

:func:`build_report` reads top to bottom: the report data is gathered first (no file is
touched), then every output is written into a staging folder inside ``--out``
(``stats.json``, ``schema.json``, ``figures/``, ``md/``, ``html/``, ``docx/``), and only when
all of it succeeded is each top-level entry swapped in. A failing build — a template typo, a
crash in an exporter — leaves the previous build exactly as it was, and nothing is written
outside ``--out``.

``formats`` picks the outputs: figures are drawn before the chapters so that they can show
them (:func:`ol_analysis.report.figures.write_figures`); the DOCX is made from the rendered
chapters (:func:`ol_analysis.report.docx.write_docx`). ``DEFAULT_FORMATS`` is read at call time,
so tests can leave out the slow outputs in one place.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ol_analysis.core.schema import schema_text
from ol_analysis.core.study import Study
from ol_analysis.diagnostics import Diagnostic, has_errors
from ol_analysis.errors import StudyError, UsageError
from ol_analysis.report.data import ReportData, gather
from ol_analysis.report.docx import write_docx
from ol_analysis.report.figures import write_figures
from ol_analysis.report.figures.cache import CACHE_FOLDER, FigureCache
from ol_analysis.report.formats import FORMATS
from ol_analysis.report.incremental import DOCX_FILE, BuildCache, PageKeys, docx_key
from ol_analysis.report.render import (
    Chapter,
    FigureRef,
    Provenance,
    RenderContext,
    SiteState,
    chapter_nav,
    make_env,
    render_chapters,
    render_html_pages,
)
from ol_analysis.report.sources import SourceLinks
from ol_analysis.safe_write import ensure_folder

DATE_ENV = "OL_ANALYSIS_BUILD_DATE"
COMMIT_ENV = "OL_ANALYSIS_BUILD_COMMIT"
STAGING_PREFIX = ".staging-"
PREVIOUS_PREFIX = ".previous-"
DEFAULT_FORMATS: tuple[str, ...] = FORMATS

Progress = Callable[[str, int, int], None]
"""``progress(step, done, total)``: called before each step, and once at the end."""


@dataclass(frozen=True)
class BuildResult:
    """What a build wrote: paths relative to ``out`` (sorted), chapters, time taken."""

    out: Path
    files: tuple[str, ...]
    chapters: tuple[str, ...]
    seconds: float
    formats: tuple[str, ...] = field(default=())
    warnings: tuple[Diagnostic, ...] = field(default=())
    """What the ``check`` found that does not stop the build (e.g. re-identification warnings)."""

    reused: tuple[str, ...] = field(default=())
    """Outputs taken unchanged from the previous build (see :mod:`~.incremental`)."""

    def count(self, folder: str) -> int:
        return sum(1 for f in self.files if f.startswith(f"{folder}/"))


def study_provenance(
    study: Study, folder: Path, *, date: str | None = None, commit: str | None = None
) -> Provenance:
    """Framework id and version, the study's git commit (when it is a repository) and the date.

    ``OL_ANALYSIS_BUILD_DATE`` and ``OL_ANALYSIS_BUILD_COMMIT`` (or the parameters) freeze the
    date and commit, e.g. for golden files; an empty commit variable means "no commit".
    """
    info = study.framework.framework
    date = date or os.environ.get(DATE_ENV) or dt.date.today().isoformat()
    dirty = False
    if commit is None and COMMIT_ENV in os.environ:
        commit = os.environ[COMMIT_ENV] or None
    elif commit is None:
        commit, dirty = _git_commit(folder)
    return Provenance(info.id, info.version, commit, date, dirty)


def _git(folder: Path, *args: str) -> subprocess.CompletedProcess[str] | None:
    try:
        return subprocess.run(
            ["git", *args], cwd=folder, capture_output=True, text=True, timeout=10, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None


def _git_commit(folder: Path) -> tuple[str | None, bool]:
    head = _git(folder, "rev-parse", "--short", "HEAD")
    if head is None or head.returncode != 0 or not head.stdout.strip():
        return None, False
    status = _git(folder, "status", "--porcelain", "--untracked-files=no", "--", ".")
    return head.stdout.strip(), bool(status is not None and status.stdout.strip())


def _write(root: Path, relative: str, text: str, written: list[str]) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    written.append(relative)


def _check_out(out: Path, protected: Mapping[str, Path]) -> None:
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out} is a file, not a folder")
    resolved = out.resolve()
    for what, path in protected.items():
        target = path.resolve()
        if resolved == target or resolved in target.parents:
            raise UsageError(f"refusing to build into {out}: it would replace the {what}")


def build_report(
    study: Study,
    out_dir: Path | str,
    *,
    lang: str = "nl",
    templates_dir: Path | None = None,
    footnotes: bool = False,
    order_by: str | None = None,
    provenance: Provenance | None = None,
    progress: Progress | None = None,
    protected: Mapping[str, Path] | None = None,
    formats: Collection[str] | None = None,
    use_cache: bool = True,
    include_sources: bool = False,
    check: Callable[[Path], Sequence[Diagnostic]] | None = None,
    rendered: Callable[[SiteState], None] | None = None,
) -> BuildResult:
    """Render a loaded, valid study into ``out_dir``; see the module docstring.

    ``formats`` picks the outputs besides ``stats.json`` and ``schema.json`` (``md``, ``html``,
    ``figures``, ``docx``; DOCX needs ``md``). ``protected`` names folders the build must never
    replace (the study folder, the cases, the templates). Figures whose inputs did not change
    since the last build into ``out_dir`` are taken from its cache (``.cache/figures``) unless
    ``use_cache`` is false; either way the bytes are the same. ``include_sources`` adds a page
    per source document (``html/sources/``) and links quotes to it; without it no text of a
    source document beyond the case files' quotes is written. ``check`` is called with the
    staging folder once every output is written, before the swap: an error among its
    diagnostics (a privacy finding, say) raises :class:`StudyError` and leaves the previous
    build as it was; its warnings are returned in :attr:`BuildResult.warnings`. ``rendered``
    is called, once the new build is in place, with what its HTML pages were rendered from
    (``serve`` renders a saved case's page from it, :mod:`ol_analysis.report.live`).
    """
    formats = tuple(DEFAULT_FORMATS if formats is None else formats)
    unknown = sorted(set(formats) - set(FORMATS))
    if unknown:
        raise UsageError(f"unknown output format(s): {', '.join(unknown)}")
    if "docx" in formats and "md" not in formats:
        raise UsageError("the DOCX is made from the Markdown chapters: ask for both (md,docx)")
    started = time.perf_counter()
    out = Path(out_dir)
    _check_out(out, protected or {})
    report = _notify(progress)
    report("gather", 0)
    data = gather(study, lang=lang, order_by=order_by)
    compiled = out / COMPILED_TEMPLATES if use_cache else None
    env = make_env(templates_dir, lang=lang, compiled=compiled)
    provenance = provenance or study_provenance(study, study.root)
    ensure_folder(out, "output folder")
    try:
        _clear_leftovers(out)
        staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=out))
        builds = BuildCache(out, enabled=use_cache)
    except OSError as error:
        raise UsageError(f"cannot write into {out}: {error.strerror or error}") from None
    try:
        written: list[str] = []
        _write(
            staging,
            "stats.json",
            json.dumps(dict(data.stats), ensure_ascii=False, indent=2) + "\n",
            written,
        )
        _write(staging, "schema.json", schema_text(study.framework), written)
        report("figures", 1)
        cache = FigureCache(out / CACHE_FOLDER) if use_cache else None
        figures = _figures(data, staging, written, cache) if "figures" in formats else {}
        links = SourceLinks(study.sources) if include_sources and study.sources else None
        ctx = RenderContext(data, provenance, figures, footnotes, links)
        report("chapters", 2)
        chapters = render_chapters(env, ctx, html="html" in formats, markdown="md" in formats)
        if "md" in formats:
            for chapter in chapters:
                _write(staging, f"md/{chapter.slug}.md", chapter.markdown, written)
        report("html", 3)
        if "html" in formats:
            pages = PageKeys(data, env, figures, templates_dir=templates_dir)
            fresh = links is not None  # pages linking quotes to sources depend on them too

            def reuse(case_id: str, shared: str) -> bool:
                relative = f"html/cases/{case_id}.html"
                if not builds.reuse(relative, pages.key(case_id, shared), staging):
                    return False
                written.append(relative)
                return True

            pages_out = render_html_pages(env, ctx, chapters, reuse=None if fresh else reuse)
            for relative, text in pages_out:
                _write(staging, f"html/{relative}", text, written)
        report("docx", 4)
        if "docx" in formats:
            markdowns = [c.markdown for c in chapters]
            key = docx_key(markdowns, data.title, data.lang, provenance, staging / "md")
            if builds.reuse(DOCX_FILE, key, staging):
                written.append(DOCX_FILE)
            else:
                _docx(data, staging, chapters, ctx, written)
        found = tuple(check(staging)) if check is not None else ()
        if has_errors(found):
            raise StudyError([d for d in found if d.is_error])
        report("swap", 5)
        builds.forget()
        _swap(staging, out)
        builds.save(written)
        if cache is not None:
            cache.prune()
        if rendered is not None and "html" in formats:
            rendered(SiteState(env, ctx, chapter_nav(chapters)))
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    report("done", 6)
    return BuildResult(
        out,
        tuple(sorted(written)),
        tuple(c.slug for c in chapters),
        time.perf_counter() - started,
        tuple(f for f in FORMATS if f in formats),
        found,
        reused=tuple(sorted(builds.reused)),
    )


STEPS = 6
COMPILED_TEMPLATES = ".cache/templates"
"""Where a build keeps the compiled templates for the next build into the same folder."""


def _notify(progress: Progress | None) -> Callable[[str, int], None]:
    def report(step: str, done: int) -> None:
        if progress is not None:
            progress(step, done, STEPS)

    return report


def _figures(
    data: ReportData, staging: Path, written: list[str], cache: FigureCache | None
) -> dict[str, FigureRef]:
    refs = {}
    workers = min(os.cpu_count() or 1, 4)
    figures = write_figures(data, staging / "figures", cache=cache, workers=workers, staging=True)
    for figure in figures:
        for path in (figure.svg, figure.png):
            if path is not None:
                written.append(Path(path).relative_to(staging).as_posix())
        svg = Path(figure.svg).relative_to(staging).as_posix()
        refs[figure.name] = FigureRef(figure.name, figure.title, svg)
    return refs


def _docx(
    data: ReportData,
    staging: Path,
    chapters: list[Chapter],
    ctx: RenderContext,
    written: list[str],
) -> None:
    paths = write_docx(
        data, staging / "docx", chapters=chapters, figures=ctx.figures, provenance=ctx.provenance
    )
    written.extend(Path(p).relative_to(staging).as_posix() for p in paths)


def _clear_leftovers(out: Path) -> None:
    """Remove staging folders of builds that were killed half-way (they are ours)."""
    for entry in out.iterdir():
        if entry.is_dir() and entry.name.startswith((STAGING_PREFIX, PREVIOUS_PREFIX)):
            shutil.rmtree(entry, ignore_errors=True)


def _swap(staging: Path, out: Path) -> None:
    """Move every entry of ``staging`` into ``out``, replacing what was there, all or nothing.

    Each replaced entry is first moved aside; if any move fails, the new entries are removed and
    the old ones put back, so ``out`` holds either the previous build or the new one.
    """
    previous = Path(tempfile.mkdtemp(prefix=PREVIOUS_PREFIX, dir=out))
    installed: list[str] = []
    moved_aside: list[str] = []
    try:
        for entry in sorted(staging.iterdir()):
            target = out / entry.name
            if target.exists() or target.is_symlink():
                os.replace(target, previous / entry.name)
                moved_aside.append(entry.name)
            os.replace(entry, target)
            installed.append(entry.name)
    except BaseException:
        for name in installed:
            _remove(out / name)
        for name in moved_aside:
            os.replace(previous / name, out / name)
        raise
    finally:
        shutil.rmtree(previous, ignore_errors=True)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)
