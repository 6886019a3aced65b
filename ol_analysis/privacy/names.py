"""Dutch person names in free text through ``deduce`` (the optional ``names`` extra).

Without deduce installed, :func:`person_names` finds nothing and :data:`AVAILABLE` is false;
nothing else of the privacy checks depends on it.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import Any

try:  # pragma: no cover - depends on the environment
    import deduce as _deduce_module
except ImportError:  # pragma: no cover
    _deduce_module = None

AVAILABLE = _deduce_module is not None


@functools.cache
def _deduce() -> Any:
    assert _deduce_module is not None
    return _deduce_module.Deduce()


def person_names(text: str) -> Iterator[tuple[int, int, str]]:
    """(line, column, name) of every person name deduce annotates in ``text`` (1-based)."""
    if _deduce_module is None or not text.strip():
        return
    starts = [0]
    for index, char in enumerate(text):
        if char == "\n":
            starts.append(index + 1)
    document = _deduce().deidentify(text)
    for annotation in sorted(document.annotations, key=lambda a: a.start_char):
        if "persoon" not in annotation.tag and "patient" not in annotation.tag:
            continue
        line = max(i for i, start in enumerate(starts) if start <= annotation.start_char)
        yield line + 1, annotation.start_char - starts[line] + 1, annotation.text
