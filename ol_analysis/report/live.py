"""The builds of ``serve``: the page of a saved case first, then everything else.

A report author who saves a case wants to see that case's page. A whole build, even an
incremental one, loads and gathers every case and renders every cross-case chapter: seconds at
a few hundred cases. So a :class:`LiveBuild` answers a save in two steps:

1. **The saved cases' pages** (:meth:`LiveBuild.quick`): when the save changed case files only,
   and each is still valid on its own, under the same id and still counted, their pages and
   network figures are rendered from the previous build's data with those cases replaced, and
   written over the previous ones. What a case page shows depends on its own case only (the
   navigation and the footer aside, which such a save does not change), so the page is the
   same bytes the whole build writes next. Milliseconds, whatever the number of cases.
2. **The whole build** (:meth:`LiveBuild.full`), incremental, with the study loaded through a
   :class:`~ol_analysis.core.loadcache.CaseFileCache` (only changed files are read again).
   It brings the chapters, the matrices and the index up to date, and reports any problem
   across files (a duplicate id, a memo's target) that step 1 does not look at.

Any save that step 1 cannot answer — the framework, a template, a memo, ``study.yaml``, a new,
removed or renamed case, a case made invalid or a draft — goes straight to step 2.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import replace
from pathlib import Path

from ol_analysis.analysis.counts import freeze
from ol_analysis.analysis.network import case_network
from ol_analysis.core.loadcache import CaseFileCache
from ol_analysis.core.sources import QuoteChecker
from ol_analysis.core.study import (
    Case,
    Study,
    is_case_file,
    load_study,
    status_selection,
    work_status,
)
from ol_analysis.core.validate import case_id_of
from ol_analysis.core.yamlsource import SourceDocument
from ol_analysis.diagnostics import has_errors
from ol_analysis.report.build import Progress, build_report, study_provenance
from ol_analysis.report.cases import CaseTexts
from ol_analysis.report.data import ReportData
from ol_analysis.report.figures import figure_titles, network_figure
from ol_analysis.report.render import SitePages, SiteState
from ol_analysis.safe_write import write_bytes_atomic

SERVED_FORMATS = ("html", "figures")
"""What ``serve`` builds: the pages and their figures (each chapter template rendered once,
for its page); the Markdown and the DOCX are left to ``build``."""


class LiveBuild:
    """The two-step builds of a study folder for ``serve``; see the module docstring.

    ``statuses`` and ``include_drafts`` choose the cases counted, as for ``load_study``.
    """

    def __init__(
        self,
        framework: Path,
        cases: Path,
        templates: Path,
        out: Path,
        *,
        lang: str = "nl",
        statuses: Collection[str] | None = None,
        include_drafts: bool = False,
    ) -> None:
        self.framework, self.cases, self.templates, self.out = framework, cases, templates, out
        self.lang = lang
        self.statuses, self.include_drafts = statuses, include_drafts
        self.selected = status_selection(statuses, include_drafts=include_drafts)
        self.files = CaseFileCache()
        self._study: Study | None = None
        self._site: SiteState | None = None

    def full(self, progress: Progress | None = None) -> None:
        """Load the study (re-reading changed files only) and build what ``serve`` shows."""
        self._study = self._site = None
        study = load_study(
            ".",
            framework=self.framework,
            cases=self.cases,
            statuses=self.statuses,
            include_drafts=self.include_drafts,
            cache=self.files,
        )
        build_report(
            study,
            self.out,
            lang=self.lang,
            templates_dir=self.templates,
            provenance=study_provenance(study, self.framework.parent),
            protected={
                "study folder": self.framework.parent,
                "cases": self.cases,
                "templates": self.templates,
            },
            formats=SERVED_FORMATS,
            progress=progress,
            rendered=self._keep,
        )
        self._study = study

    def _keep(self, site: SiteState) -> None:
        self._site = site

    def quick(self, changed: Sequence[str | Path]) -> bool:
        """Render the pages of the saved cases ``changed``, when that is all the save changed
        and each is still valid, under the same id and counted; True when it wrote them."""
        study, site = self._study, self._site
        if study is None or site is None or not changed:
            return False
        found = [self._saved(study, Path(path)) for path in changed]
        saved = [case for case in found if case is not None]
        if len(saved) < len(found):
            return False
        now = replace(study, cases=study.cases | {case.id: case for case in saved})
        data = _with_cases(site.ctx.data, now, saved)
        titles = figure_titles(data)
        figures = dict(site.ctx.figures)
        drawn: dict[str, bytes] = {}  # by figure name
        for case in saved:
            name = f"network_{case.id}"
            svg = network_figure(data, case.id)
            if (svg is None) != (name not in figures):
                return False  # a figure appears or goes: the page changes more; build it all
            if svg is not None:
                drawn[name] = svg
                figures[name] = replace(figures[name], title=titles[name])
        pages = SitePages(site.env, replace(site.ctx, data=data, figures=figures), site.nav)
        for name, svg in drawn.items():
            write_bytes_atomic(self.out / "figures" / f"{name}.svg", svg)
        for case in saved:
            page = pages.case_page(case.id).encode("utf-8")
            write_bytes_atomic(self.out / "html" / "cases" / f"{case.id}.html", page)
        self._study, self._site = now, replace(site, ctx=pages.ctx)
        return True

    def _saved(self, study: Study, path: Path) -> Case | None:
        """The saved file as a case that step 1 can render on its own, or None."""
        if not is_case_file(path) or not path.is_file():
            return None
        where = path.resolve()
        before = next((c for c in study if Path(c.path).resolve() == where), None)
        if before is None:
            return None
        models = self.files.models(study.framework)
        problems, model, doc = self.files.read(models, path, before.path)
        if model is None or doc is None or has_errors(problems):
            return None
        if case_id_of(doc.data) != before.id or work_status(doc.data) not in self.selected:
            return None
        if study.sources is not None:
            quotes = QuoteChecker(study.framework, study.sources)
            if has_errors(quotes.check_case(before.id, model, doc)):
                return None
        return Case(before.id, before.path, model, SourceDocument(before.path, None, file=path))


def _with_cases(data: ReportData, study: Study, saved: Sequence[Case]) -> ReportData:
    """The report data with the views and networks of the ``saved`` cases made anew."""
    texts = CaseTexts(study.framework, data.lang, data.roles)
    views, networks = dict(data.cases), dict(data.networks)
    for case in saved:
        views[case.id] = texts.view(case)[0]
        networks[case.id] = case_network(study, case, data.lang, data.roles)
    return replace(data, cases=freeze(views), networks=freeze(networks), study=study)
