"""Warnings for files in a study's ``templates/`` folder that no build will use.

An override counts only at the relative path of the packaged template it replaces
(``nl/chapters/3.1-casusbeschrijvingen.md.j2``), and a new chapter only as
``<lang>/chapters/NAME.md.j2``. A file anywhere else, or without ``.j2``, used to be ignored
without a word; :func:`template_warnings` names each such file and the place it would be used
from (rule ``template-ignored``, a warning). Pure path logic: no template is parsed.
"""

from __future__ import annotations

import re
from pathlib import Path

from ol_analysis.diagnostics import Diagnostic, Severity

PACKAGED = Path(__file__).resolve().parents[1] / "templates"
"""The packaged templates a study's folder overrides."""
CHAPTER = re.compile(r"^[a-z]{2}/chapters/[^/]+\.md\.j2$")
TEMPLATE_SUFFIXES = (".j2", ".md", ".html", ".css", ".jinja", ".jinja2")
NOT_TEMPLATES = ("README.md",)
RULE = "template-ignored"


def packaged_templates(root: Path = PACKAGED) -> list[str]:
    """The relative paths of the packaged templates, ``/``-separated."""
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def template_warnings(templates_dir: Path, shown: str | None = None) -> list[Diagnostic]:
    """One ``template-ignored`` warning per file of ``templates_dir`` that no build reads, with
    the place it belongs as the hint. ``shown`` is how the folder is named in paths (default:
    as given)."""
    if not templates_dir.is_dir():
        return []
    packaged = packaged_templates()
    folder = shown if shown is not None else str(templates_dir)
    files = sorted(p for p in templates_dir.rglob("*") if p.is_file())
    texts = _texts(templates_dir, files)
    warnings = []
    for file in files:
        relative = file.relative_to(templates_dir).as_posix()
        if any(part.startswith(".") for part in relative.split("/")) or relative in NOT_TEMPLATES:
            continue
        problem = _problem(relative, packaged, texts)
        if problem is not None:
            message, hint = problem
            path = f"{folder.rstrip('/')}/{relative}"
            warnings.append(Diagnostic(path, 1, 1, RULE, message, hint, severity=Severity.WARNING))
    return warnings


def _texts(templates_dir: Path, files: list[Path]) -> str:
    """Every template's text, the study's and the package's, to see which names are included."""
    texts = []
    for file in [*files, *(p for p in PACKAGED.rglob("*") if p.is_file())]:
        if file.suffix in TEMPLATE_SUFFIXES:
            try:
                texts.append(file.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError):
                continue
    return "\n".join(texts)


def _problem(relative: str, packaged: list[str], texts: str) -> tuple[str, str] | None:
    """(message, hint) when ``relative`` is not read by any build; None when it is."""
    if relative in packaged or CHAPTER.match(relative):
        return None
    name = relative.rsplit("/", 1)[-1]
    if f"{relative}.j2" in packaged or (relative.endswith(".md") and "/chapters/" in relative):
        return (
            f"{relative} is not used: a Markdown template's name ends in '.j2'",
            f"rename it to {relative}.j2",
        )
    same_name = [p for p in packaged if p.rsplit("/", 1)[-1] in (name, f"{name}.j2")]
    if same_name:
        return (
            f"{relative} is not used: it overrides a packaged template only at the same path",
            f"move it to {' or '.join(same_name)}",
        )
    if name.endswith(".md.j2") and not _included(relative, texts):
        return (
            f"{relative} is not used: a chapter is a file in <lang>/chapters/",
            f"move it to nl/chapters/{name} (or en/chapters/{name}), or include it from a template",
        )
    if relative.endswith(TEMPLATE_SUFFIXES) and not _included(relative, texts):
        return (
            f"{relative} is not used: no template includes or imports it",
            "an override has the relative path of the packaged template it replaces "
            "(see templates/README.md)",
        )
    return None


def _included(relative: str, texts: str) -> bool:
    return f'"{relative}"' in texts or f"'{relative}'" in texts
