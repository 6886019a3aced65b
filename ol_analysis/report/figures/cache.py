"""A content-addressed cache of drawn figures, kept in the output folder between builds.

A figure's key is a hash of everything its bytes depend on: the figure's name, the report
language, the tool's version, the framework (labels, colours, codes) and the figure's own
input (a case's network graph; for a cross-case chart, the part of the report data it shows:
the counts of a group, a record table, a status matrix, the partner network). A cached figure
is the exact bytes an uncached build draws, so a cached build and an uncached one are
byte-identical; an unchanged case's network is never drawn again, and an edit no chart shows
(a title, a quote) draws no chart again.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ol_analysis.safe_write import write_bytes_atomic
from ol_analysis.version import __version__

CACHE_FOLDER = ".cache/figures"


def digest(*parts: str) -> str:
    """SHA-256 of the parts, each ended by a NUL so that no two splits hash alike."""
    hasher = hashlib.sha256()
    for part in parts:
        hasher.update(part.encode("utf-8"))
        hasher.update(b"\0")
    return hasher.hexdigest()


def graph_fingerprint(graph: Any) -> str:
    """A stable text of a networkx graph: its nodes and edges with their attributes, sorted."""
    nodes = sorted(
        (str(n), sorted(map(repr, attrs.items()))) for n, attrs in graph.nodes(data=True)
    )
    edges = sorted(
        (*sorted((str(u), str(v))), sorted(map(repr, attrs.items())))
        for u, v, attrs in graph.edges(data=True)
    )
    return json.dumps([nodes, edges], ensure_ascii=False)


def stable_text(value: Any) -> str:
    """A value the report data holds (dataclasses, mappings, sequences, graphs, scalars) as
    text that is the same in every process and complete: a graph by its nodes and edges."""
    if hasattr(value, "nodes") and hasattr(value, "edges") and hasattr(value, "subgraph"):
        return graph_fingerprint(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = (f.name for f in dataclasses.fields(value) if f.compare)
        inner = ", ".join(f"{name}={stable_text(getattr(value, name))}" for name in fields)
        return f"{type(value).__name__}({inner})"
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{k!r}: {stable_text(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(stable_text(v) for v in value) + "]"
    if isinstance(value, (set, frozenset)):
        return "{" + ", ".join(sorted(stable_text(v) for v in value)) + "}"
    return repr(value)


def study_fingerprint(framework: Any, cases: Iterable[Any], lang: str) -> str:
    """What every figure of a study depends on at least: the framework and the language; with
    ``cases``, every case's coding too (for the cross-case charts)."""
    models = [case.model.model_dump_json() for case in cases]
    return digest(__version__, lang, framework.model_dump_json(), *models)


@dataclass
class FigureCache:
    """Figures by key in ``folder``; :meth:`prune` keeps only the keys used by the last build."""

    folder: Path
    used: set[str] = field(default_factory=set)

    @staticmethod
    def key(name: str, base: str, own_input: str = "") -> str:
        return digest(name, base, own_input)

    def get(self, key: str, png: bool) -> tuple[bytes, bytes | None] | None:
        svg_path = self.folder / f"{key}.svg"
        png_path = self.folder / f"{key}.png"
        try:
            svg = svg_path.read_bytes()
            png_bytes = png_path.read_bytes() if png else None
        except OSError:
            return None
        self.used.add(key)
        return svg, png_bytes

    def put(self, key: str, svg: bytes, png: bytes | None) -> None:
        """Store a figure; a cache that cannot be written only costs the next build time."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            write_bytes_atomic(self.folder / f"{key}.svg", svg)
            if png is not None:
                write_bytes_atomic(self.folder / f"{key}.png", png)
        except OSError:
            return
        self.used.add(key)

    def prune(self) -> None:
        """Remove the figures no longer used, so the cache does not grow without end."""
        if not self.folder.is_dir():
            return
        for path in self.folder.iterdir():
            if path.suffix in (".svg", ".png") and path.stem not in self.used:
                path.unlink(missing_ok=True)
