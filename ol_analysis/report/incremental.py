"""Incremental builds: outputs of the last build that nothing changed are reused, not rendered.

A build into a folder that already holds a build keeps a manifest there
(``.cache/build.json``): for every reusable output, the key it was made from. A key is a hash
of everything the output's bytes depend on — the tool's version and code, the report language,
the source of every template the environment can load (a study's own templates included), the
framework, and the output's own input:

- a **case page** (``html/cases/<id>.html``): the case as the report shows it (its view and its
  network), its network figure's reference, and what every page shares (the navigation, the
  rendered footer with the provenance, the report title). A change to one case re-renders that
  case's page only. When the study overrides any HTML template (``templates/html/…``), a page
  may read anything, so its key covers every case as well.
- the **DOCX** (``docx/report.docx``): the chapters' Markdown, the report title and language,
  the provenance, and the bytes of every local image the chapters show. It is made again only
  when the chapter text or a chart changed.

The chapters, the other pages, ``stats.json`` and ``schema.json`` depend on every case and are
rendered every time; figures have their own cache (:mod:`ol_analysis.report.figures.cache`). A
reused file is the previous build's file, linked (or copied) into the new build, so an
incremental build and a clean one are byte-identical. The manifest is removed before a build
is swapped in and written after, so it never describes files that are not there.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from jinja2 import Environment

from ol_analysis.report.figures.cache import digest, graph_fingerprint
from ol_analysis.safe_write import write_bytes_atomic
from ol_analysis.version import __version__

MANIFEST = ".cache/build.json"
MANIFEST_VERSION = 1
DOCX_FILE = "docx/report.docx"
_IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)")


@lru_cache(maxsize=1)
def code_digest() -> str:
    """The tool's version and its own source: an editable install keeps its version number
    while its code changes, and a page must not outlive the code that rendered it."""
    package = Path(__file__).resolve().parents[1]
    parts = [__version__]
    for path in sorted(package.rglob("*.py")):
        try:
            parts += [path.relative_to(package).as_posix(), path.read_text(encoding="utf-8")]
        except (OSError, UnicodeDecodeError):
            parts.append(path.name)
    return digest(*parts)


def templates_digest(env: Environment) -> str:
    """The source of every template ``env`` can load, by name (the study's overrides win)."""
    loader = env.loader
    if loader is None:
        return digest()
    parts = []
    for name in sorted(env.list_templates()):
        source, _filename, _uptodate = loader.get_source(env, name)
        parts += [name, source]
    return digest(*parts)


def overrides_html(templates_dir: Path | None) -> bool:
    """Whether a study's templates folder has its own HTML page templates."""
    folder = Path(templates_dir) / "html" if templates_dir is not None else None
    return folder is not None and folder.is_dir() and any(folder.iterdir())


def network_text(network: Any) -> str:
    """A case network as stable text: its graph (sorted) and its tallies."""
    fields = {
        name: value for name, value in sorted(vars(network).items()) if name not in ("graph",)
    }
    return graph_fingerprint(network.graph) + repr(fields)


class BuildCache:
    """The manifest of the last build into ``out``, and the keys of the build under way.

    ``enabled=False`` reuses nothing (every output is rendered) but still records the keys, so
    the next build can reuse what this one wrote.
    """

    def __init__(self, out: Path, *, enabled: bool = True) -> None:
        self.out = Path(out)
        self.path = self.out / MANIFEST
        self.previous: dict[str, str] = self._read() if enabled else {}
        self.keys: dict[str, str] = {}
        self.reused: list[str] = []

    def _read(self) -> dict[str, str]:
        try:
            manifest = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(manifest, dict) or manifest.get("version") != MANIFEST_VERSION:
            return {}
        entries = manifest.get("entries")
        if not isinstance(entries, dict):
            return {}
        return {str(k): str(v) for k, v in entries.items()}

    def reuse(self, relative: str, key: str, staging: Path) -> bool:
        """Record ``key`` for ``relative``; if the last build made it from the same key, put
        its file into ``staging`` and return True (then it need not be rendered)."""
        self.keys[relative] = key
        if self.previous.get(relative) != key:
            return False
        source = self.out / relative
        if not source.is_file() or source.is_symlink():
            return False
        target = staging / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(source, target)
        except OSError:
            try:
                shutil.copyfile(source, target)
            except OSError:
                return False
        self.reused.append(relative)
        return True

    def forget(self) -> None:
        """Remove the manifest (before the new build is swapped in)."""
        with contextlib.suppress(OSError):
            self.path.unlink(missing_ok=True)

    def save(self, written: Iterable[str]) -> None:
        """Write the keys of the outputs this build put in place; a manifest that cannot be
        written only costs the next build time."""
        present = set(written)
        entries = {k: v for k, v in sorted(self.keys.items()) if k in present}
        text = json.dumps({"version": MANIFEST_VERSION, "entries": entries}, indent=0)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_bytes_atomic(self.path, text.encode("utf-8"))
        except OSError:
            return


class PageKeys:
    """The key of each case page: what it shows of its case, and what every page shares."""

    def __init__(
        self,
        data: Any,
        env: Environment,
        figures: Any,
        *,
        templates_dir: Path | None = None,
    ) -> None:
        self.data = data
        self.figures = figures
        wide = every_case_digest(data) if overrides_html(templates_dir) else None
        self.base = digest(
            code_digest(),
            data.lang,
            templates_digest(env),
            data.framework.model_dump_json(),
            data.title,
            repr(data.roles),
            wide or "",
        )

    def key(self, case_id: str, shared: str) -> str:
        """``shared`` is what the renderer gives every page (navigation, footer)."""
        figure = self.figures.get(f"network_{case_id}")
        return digest(
            self.base,
            shared,
            repr(self.data.case(case_id)),
            network_text(self.data.networks[case_id]),
            repr(figure),
        )


def every_case_digest(data: Any) -> str:
    """Every case's coding, for keys of outputs that may read any of them."""
    cases = getattr(data, "study", None) or ()
    return digest(*(case.model.model_dump_json() for case in cases))


def _images(markdown: str, base: Path) -> list[str]:
    """Each local image a chapter shows, with the bytes the DOCX would embed (an SVG's PNG)."""
    found = []
    for src in _IMAGE.findall(markdown):
        url = urlparse(src)
        if url.scheme or url.netloc or not url.path:
            continue
        path = (base / unquote(url.path)).resolve()
        for candidate in (path.with_suffix(".png"), path):
            if candidate.is_file():
                found += [src, candidate.name, hashlib.sha256(candidate.read_bytes()).hexdigest()]
                break
        else:
            found += [src, ""]
    return found


def docx_key(markdowns: Sequence[str], title: str, lang: str, provenance: Any, md_dir: Path) -> str:
    """What the DOCX is made from: the chapters' text, the images they show, the provenance."""
    images = [part for text in markdowns for part in _images(text, md_dir)]
    return digest(code_digest(), title, lang, repr(provenance), *markdowns, *images)
