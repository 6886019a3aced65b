"""Rendering the report data: one Jinja environment, Markdown chapters, HTML pages.

Templates only format the :class:`~ol_analysis.report.data.ReportData` they are given. They run
in a sandbox (an immutable one: a template can read the data, never change it), with
``StrictUndefined`` so that a typo fails instead of printing nothing, and a study's own
``templates/`` folder is searched before the packaged defaults. Any error a template causes is
turned into a diagnostic naming the template file and line (:func:`template_problem`); how
Jinja tells where is isolated in :mod:`ol_analysis.report.template_errors`.

Chapters are Markdown templates, ``<lang>/chapters/*.md.j2``. The Markdown file is written as
rendered; the HTML page renders the same template with counts as links to the case pages and
converts it with markdown-it (raw HTML disabled, so case text such as ``<script>`` stays text).
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    FileSystemLoader,
    PackageLoader,
    StrictUndefined,
    TemplateError,
    TemplateNotFound,
    TemplateSyntaxError,
    pass_context,
    select_autoescape,
)
from jinja2.bccache import Bucket, BytecodeCache
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError
from markdown_it import MarkdownIt
from markupsafe import Markup

from ol_analysis.diagnostics import Diagnostic
from ol_analysis.errors import StudyError, UsageError
from ol_analysis.report import filters as f
from ol_analysis.report.data import ReportData, ReportLookupError
from ol_analysis.report.memos import case_memos, index_memos, source_memos
from ol_analysis.report.sources import (
    SourceLinks,
    code_anchor,
    code_index,
    document_index,
    source_pages,
)
from ol_analysis.report.template_errors import template_location
from ol_analysis.report.types import matrices_pages
from ol_analysis.safe_write import write_bytes_atomic

CHAPTER_SUFFIX = ".md.j2"


@dataclass(frozen=True)
class Provenance:
    """Where a build came from; shown in the footer of every Markdown and HTML output."""

    framework_id: str
    framework_version: str
    commit: str | None
    date: str
    dirty: bool = False


@dataclass(frozen=True)
class FigureRef:
    """A figure written by the figures hook: ``path`` relative to the build folder."""

    name: str
    title: str
    path: str


@dataclass(frozen=True)
class Chapter:
    """One rendered chapter: ``slug`` names its files (``md/<slug>.md``, ``html/<slug>.html``)."""

    slug: str
    template: str
    title: str
    markdown: str
    html: str
    counts: tuple[Any, ...] = ()
    footer: str = ""


@dataclass
class RenderContext:
    """What every template sees besides the data (kept apart from the aggregation)."""

    data: ReportData
    provenance: Provenance
    figures: Mapping[str, FigureRef] = field(default_factory=dict)
    footnotes: bool = False
    source_links: SourceLinks | None = None
    """With ``build --include-sources``: quotes link to their place on the source pages."""
    _figures_at: dict[str, Mapping[str, FigureRef]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def figures_at(self, root: str) -> Mapping[str, FigureRef]:
        """The figures with their paths as seen from ``root`` (``"../"``, ``"../../"``), made
        once per root: each of a build's hundreds of pages sees every figure."""
        found = self._figures_at.get(root)
        if found is None:
            found = self._figures_at[root] = {
                name: FigureRef(ref.name, ref.title, f"{root}{ref.path}")
                for name, ref in self.figures.items()
            }
        return found


class _CompiledTemplates(BytecodeCache):
    """Templates compiled once per process, by file and source (Jinja compares the source's
    checksum, so an edited template is compiled again): ``serve`` makes an environment per
    build, which compiled every template again, about a second of each rebuild. With a
    ``folder`` (a build's cache, ``--out/.cache/templates``) the compiled code is also kept on
    disk for the next process: compiling the templates is 0.6 s of every ``build``. A folder
    that cannot be read or written costs only that time."""

    def __init__(self, memory: dict[str, bytes], folder: Path | None = None) -> None:
        self._code = memory
        self.folder = folder

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is None and self.folder is not None:
            with contextlib.suppress(OSError):
                code = (self.folder / f"{bucket.key}.jinja").read_bytes()
        if code is not None:
            bucket.bytecode_from_string(code)  # a stale or foreign code is reset, not used

    def dump_bytecode(self, bucket: Bucket) -> None:
        code = self._code[bucket.key] = bucket.bytecode_to_string()
        if self.folder is not None:
            with contextlib.suppress(OSError):
                write_bytes_atomic(self.folder / f"{bucket.key}.jinja", code)


_COMPILED: dict[str, bytes] = {}


class _Sandbox(ImmutableSandboxedEnvironment):
    """The immutable sandbox, keeping its verdict on each attribute a template reads: the
    verdict depends only on the object's type and the attribute's name (not on the value), and
    the chapters of a big study ask it a hundred thousand times."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._verdicts: dict[tuple[type, str], bool] = {}

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        key = (type(obj), attr)
        verdict = self._verdicts.get(key)
        if verdict is None:
            verdict = self._verdicts[key] = super().is_safe_attribute(obj, attr, value)
        return verdict


def make_env(
    templates_dir: Path | None = None, *, lang: str = "nl", compiled: Path | None = None
) -> ImmutableSandboxedEnvironment:
    """The one Jinja environment of the toolkit: sandboxed, strict, study templates first;
    ``compiled`` is a folder that keeps the compiled templates between processes."""
    loaders: list[BaseLoader] = []
    if templates_dir is not None and Path(templates_dir).is_file():
        raise UsageError(f"--templates {templates_dir} is a file, not a folder")
    if templates_dir is not None and Path(templates_dir).is_dir():
        loaders.append(FileSystemLoader(str(templates_dir)))
    loaders.append(PackageLoader("ol_analysis", "templates"))
    env = _Sandbox(
        loader=ChoiceLoader(loaders),
        bytecode_cache=_CompiledTemplates(_COMPILED, compiled),
        undefined=StrictUndefined,
        autoescape=select_autoescape(
            enabled_extensions=("html", "htm", "xml"), default_for_string=False, default=False
        ),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        words=partial(f.words, lang=lang),
        approx=partial(f.approx, lang=lang),
        years=partial(f.years, lang=lang),
        percentage=partial(f.percentage, lang=lang),
        plural=f.plural,
        cases_noun=partial(f.cases_noun, lang=lang),
        euro=partial(f.euro, lang=lang),
        number=partial(f.number, lang=lang),
        month=partial(f.month, lang=lang),
        percent=partial(f.percent, lang=lang),
        join_and=partial(f.join_and, lang=lang),
        capfirst=f.capfirst,
        inferred=partial(f.inferred_phrase, lang=lang),
        cell=f.md_cell,
        cases=_cases_filter(lang),
        ids=_ids_filter,
        case_list=_list_filter,
        quote_link=_quote_link_filter,
    )
    env.globals.update(lang=lang, t=partial(f.text, lang))
    return env


def _output(context: Context) -> f.Output:
    output = context.get("output")
    if not isinstance(output, f.Output):
        raise TypeError("counts can only be written inside a chapter or page of a build")
    return output


def _cases_filter(lang: str) -> Callable[..., str]:
    @pass_context
    def cases(context: Context, count: Any, style: str = "digits") -> str:
        """``count|cases`` → "5 van 11 casussen (c01, …)"; ``count|cases("words")``."""
        return f.count_phrase(count, _output(context), lang, style)

    return cases


@pass_context
def _ids_filter(context: Context, count: Any) -> str:
    """Just the cases behind a count: " (c01, c04)", a footnote mark, or links."""
    return _output(context).ids(count)


@pass_context
def _list_filter(context: Context, count: Any) -> str:
    """The cases behind a count for a table column: "c01, c04", links, or a footnote mark."""
    return _output(context).listing(count)


@pass_context
def _quote_link_filter(context: Context, found: Any) -> str:
    """A quote's link to its place in its source document (``build --include-sources``), for
    HTML outputs; nothing otherwise."""
    href = context.get("quote_href")
    output = context.get("output")
    if found is None or href is None or not isinstance(output, f.Output) or output.kind == "md":
        return ""
    target = href(found.case_id, found.text)
    if target is None:
        return ""
    word = "bron" if context.get("lang") == "nl" else "source"
    link = Markup(' <a class="source-link" href="{}">[{}]</a>').format(target, word)
    return output._placeholder(link) if output.kind == "html" else link


# --- template errors as diagnostics --------------------------------------------------------------


PACKAGE_TEMPLATES = Path(__file__).resolve().parent / "templates"


def _shown(path: str) -> str:
    """A template's path as the user can find it: relative to the working folder, or inside the
    package (``ol_analysis/templates/…``) for a packaged default; a load name stays as it is."""
    resolved = Path(path).resolve()
    if resolved.is_relative_to(PACKAGE_TEMPLATES):
        return f"ol_analysis/templates/{resolved.relative_to(PACKAGE_TEMPLATES).as_posix()}"
    try:
        relative = os.path.relpath(path)
    except ValueError:
        return path
    return path if relative.startswith("..") else relative


# What a template can get wrong: Jinja's own errors, a path the data does not hold, a filter or
# macro called with the wrong kind or number of arguments, arithmetic such as a division by a
# count of zero. Anything else is a bug in Python code.
TEMPLATE_MISTAKES = (TemplateError, LookupError, TypeError, ValueError, ArithmeticError)


def _unreadable_template(error: BaseException, path: str) -> Diagnostic:
    """A template file that is not UTF-8 (or cannot be read)."""
    if isinstance(error, UnicodeDecodeError):
        before = bytes(error.object[: error.start])
        return Diagnostic(
            _shown(path),
            before.count(b"\n") + 1,
            len(before) - (before.rfind(b"\n") + 1) + 1,
            "encoding",
            f"the template is not UTF-8 (byte 0x{error.object[error.start]:02x} at offset "
            f"{error.start})",
            "save the file as UTF-8 in your editor",
        )
    return Diagnostic(_shown(path), 1, 1, "unreadable", f"cannot read the template: {error}")


def template_problem(
    error: BaseException, name: str, env: ImmutableSandboxedEnvironment
) -> Diagnostic | None:
    """A diagnostic for a mistake in template ``name`` of ``env`` (or a template it uses), or None
    when the error is not a template's mistake (then it is a bug and must not be hidden). Where
    the mistake is comes from :func:`~ol_analysis.report.template_errors.template_location`."""
    if not isinstance(error, (*TEMPLATE_MISTAKES, OSError)):
        return None
    where = template_location(error, env, name)
    if where.found == "loading":
        return _unreadable_template(error, where.path)
    if isinstance(error, TemplateSyntaxError):
        return Diagnostic(
            _shown(where.path),
            where.line,
            1,
            "template-syntax",
            error.message or str(error),
            "check the Jinja syntax at this line",
        )
    if isinstance(error, TemplateNotFound) and where.found == "fallback":
        return Diagnostic(
            _shown(where.path), 1, 1, "template-not-found", f"template '{error.name}' not found"
        )
    if not isinstance(error, TEMPLATE_MISTAKES):
        return None
    rule, hint = _rule(error)
    message = (
        str(error)
        if not isinstance(error, TemplateNotFound)
        else (f"template '{error.name}' not found")
    )
    return Diagnostic(_shown(where.path), where.line, 1, rule, message, hint)


def _rule(error: BaseException) -> tuple[str, str | None]:
    if isinstance(error, SecurityError):
        return "template-unsafe", "templates may read the report data, not change it"
    if isinstance(error, ReportLookupError):
        return "template-unknown-path", None
    if isinstance(error, TemplateError):
        return "template-undefined", "a name or attribute the template uses does not exist"
    return "template-error", None


def render_template(env: ImmutableSandboxedEnvironment, name: str, **context: Any) -> str:
    """Render one template; any error it causes becomes a :class:`StudyError` diagnostic."""
    try:
        return env.get_template(name).render(**context)
    except Exception as error:
        problem = template_problem(error, name, env)
        if problem is None:
            raise
        raise StudyError([problem]) from None


# --- chapters ------------------------------------------------------------------------------------


def _natural(name: str) -> list[Any]:
    return [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", name)]


def chapter_templates(env: ImmutableSandboxedEnvironment, lang: str) -> list[str]:
    """``<lang>/chapters/*.md.j2`` from the study's templates and the packaged ones, in order."""
    prefix = f"{lang}/chapters/"
    names = {n for n in env.list_templates() if n.startswith(prefix) and n.endswith(CHAPTER_SUFFIX)}
    return sorted(names, key=_natural)


def tidy(markdown: str) -> str:
    """No trailing spaces, at most one blank line in a row, one newline at the end, and no
    case ids in brackets inside brackets."""
    markdown = f.unnest_ids(re.sub(r"[ \t]+\n", "\n", markdown))
    return re.sub(r"\n{3,}", "\n\n", markdown).strip("\n") + "\n"


def _plain(markdown: str) -> str:
    """The text of a one-paragraph Markdown footer, without rules and emphasis marks."""
    lines = [line.strip().strip("*_") for line in markdown.splitlines()]
    return " ".join(line for line in lines if line and set(line) != {"-"})


def _title(markdown: str, fallback: str) -> str:
    for line in markdown.splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return fallback


_MD = MarkdownIt("commonmark", {"html": False}).enable("table")


def markdown_to_html(markdown: str) -> Markup:
    """Markdown → HTML with raw HTML disabled: text that looks like HTML is escaped."""
    return Markup(_MD.render(markdown))


def _context(ctx: RenderContext, output: f.Output, root: str) -> dict[str, Any]:
    links = ctx.source_links
    html_root = root.removesuffix("../")
    return {
        "data": ctx.data,
        "provenance": ctx.provenance,
        "figures": ctx.figures_at(root),
        "output": output,
        "quote_href": None if links is None else partial(links.href, root=html_root),
    }


def render_chapters(
    env: ImmutableSandboxedEnvironment,
    ctx: RenderContext,
    names: Sequence[str] | None = None,
    *,
    html: bool = True,
    markdown: bool = True,
) -> list[Chapter]:
    """Every chapter as Markdown (with the provenance footer) and, with ``html``, as an HTML
    body whose counts link to the case pages. ``markdown=False`` (a build that writes neither
    Markdown nor DOCX, such as ``serve``'s) renders each template once, for the HTML body: the
    chapter's ``markdown`` is then empty and its title read from the HTML's Markdown source."""
    lang = ctx.data.lang
    footer_name = f"{lang}/footer.md.j2"
    markdown = markdown or not html
    chapters = []
    for name in names if names is not None else chapter_templates(env, lang):
        slug = name.rsplit("/", 1)[-1].removesuffix(CHAPTER_SUFFIX)
        md_out = f.Output("md", footnotes=ctx.footnotes)
        text = render_template(env, name, **_context(ctx, md_out, "../")) if markdown else ""
        html_out = f.Output("html")
        html_md = render_template(env, name, **_context(ctx, html_out, "../")) if html else ""
        if not (text if markdown else html_md).strip():
            continue  # a study leaves a packaged chapter out by overriding it with nothing
        footer = render_template(env, footer_name, **_context(ctx, f.Output("md"), "../"))
        if markdown:
            text = tidy(text) + md_out.footnote_block() + "\n" + footer
        body = html_out.fill(str(markdown_to_html(tidy(html_md)))) if html else ""
        chapters.append(
            Chapter(
                slug,
                name,
                _title(text if markdown else tidy(html_md), slug),
                text,
                body,
                tuple(md_out.counts),
                _plain(footer),
            )
        )
    return chapters


class SitePages:
    """What every HTML page shares (the navigation and the rendered footer), and the pages."""

    def __init__(
        self,
        env: ImmutableSandboxedEnvironment,
        ctx: RenderContext,
        nav: Sequence[tuple[str, str]],
    ) -> None:
        self.env, self.ctx, self.nav = env, ctx, list(nav)
        self.footer_md = render_template(
            env, f"{ctx.data.lang}/footer.md.j2", **_context(ctx, f.Output(), "")
        )
        self.footer = markdown_to_html(self.footer_md)
        self.shared = repr((self.nav, self.footer_md))
        """The text every page shares, for the keys of reused pages."""

    def page(self, template: str, root: str, **extra: Any) -> str:
        output = f.Output("page", case_href=f"{root}cases/{{id}}.html")
        context = _context(self.ctx, output, f"{root}../")
        return render_template(
            self.env, template, nav=self.nav, root=root, footer=self.footer, **context, **extra
        )

    def case_notes(self, case_id: str) -> Any:
        data = self.ctx.data
        return case_memos(data.study.memos, case_id, data.framework, data.lang, markdown_to_html)

    def case_page(self, case_id: str, notes: Any = None) -> str:
        """``cases/<id>.html``; ``notes`` are its memos when the caller has them already."""
        ctx = self.ctx
        return self.page(
            "html/case.html",
            "../",
            case=ctx.data.case(case_id),
            network=ctx.data.networks[case_id],
            memos=self.case_notes(case_id) if notes is None else notes,
            quotes=[]
            if ctx.source_links is None
            else ctx.source_links.case_quotes(ctx.data.study, case_id, "../"),
        )


def chapter_nav(chapters: Sequence[Chapter]) -> tuple[tuple[str, str], ...]:
    """The navigation of the HTML site: each chapter's slug and title."""
    return tuple((c.slug, c.title) for c in chapters)


@dataclass(frozen=True)
class SiteState:
    """What a build's HTML pages were rendered from: enough to render one of them again."""

    env: ImmutableSandboxedEnvironment
    ctx: RenderContext
    nav: tuple[tuple[str, str], ...]


def render_html_pages(
    env: ImmutableSandboxedEnvironment,
    ctx: RenderContext,
    chapters: Sequence[Chapter],
    *,
    reuse: Callable[[str, str], bool] | None = None,
) -> Iterator[tuple[str, str]]:
    """The HTML site, page by page (so that thousands of case pages are never all in memory):
    ``index.html``, a page per chapter, ``matrices.html`` (and ``matrices-2.html``, … past
    :data:`~ol_analysis.report.types.CASES_ON_A_MATRICES_PAGE` cases), ``cases/<id>.html`` and
    ``style.css``, each with its path relative to the ``html/`` folder.

    ``reuse(case_id, shared)`` is asked before each case page, with the text every page shares
    (navigation and footer); when it returns True the page is neither rendered nor yielded
    (an incremental build took the previous one, :mod:`ol_analysis.report.incremental`)."""
    site = SitePages(env, ctx, chapter_nav(chapters))
    page = site.page
    memos, framework, lang = ctx.data.study.memos, ctx.data.framework, ctx.data.lang
    index = index_memos(memos, framework, lang, markdown_to_html)
    yield "index.html", page("html/index.html", "", chapters=chapters, memos=index)
    for chapter in chapters:
        yield (
            f"{chapter.slug}.html",
            page("html/chapter.html", "", chapter=chapter, body=Markup(chapter.html)),
        )
    pages = matrices_pages(ctx.data.order)
    for current in pages:
        yield current.name, page("html/matrices.html", "", pages=pages, current=current)
    for case_id in ctx.data.order:
        notes = site.case_notes(case_id)
        if reuse is not None and reuse(case_id, site.shared + repr(notes)):
            continue
        yield f"cases/{case_id}.html", site.case_page(case_id, notes)
    if ctx.source_links is not None:
        sources = ctx.source_links.sources
        for name, extra in source_pages(sources):
            doc_id = name.rsplit("/", 1)[-1].removesuffix(".html")
            notes = source_memos(memos, sources, doc_id, framework, lang, markdown_to_html)
            yield (
                name,
                page("html/source.html", "../", code_anchor=code_anchor, memos=notes, **extra),
            )
        yield (
            "sources/index.html",
            page(
                "html/sources.html",
                "../",
                documents=document_index(sources),
                codes=code_index(sources),
                code_anchor=code_anchor,
            ),
        )
    yield "style.css", render_template(env, "html/style.css")
