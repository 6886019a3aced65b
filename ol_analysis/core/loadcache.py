"""Case files read and validated once, for a process that loads the same study again and again.

``serve`` loads the study after every save. Parsing and validating every case file is most of
that (4 s of a reload at 600 cases), though a save changes one file. A :class:`CaseFileCache`
keeps, per file, what reading and validating it gave — the problems, the model and the parsed
document — under a digest of the file's bytes, so that a load re-reads only the files whose
bytes changed. Everything across files (duplicate ids, quotes against sources, memos, the
review checks) is checked again on every load, as without a cache.

The entries are valid for one framework: when the framework's content changes, the cache
starts empty (the case models are made from it). An unchanged file gives the very same model
object as before, so that later stages may recognise an unchanged case by identity.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel

from ol_analysis.core.casemodel import CaseModels, Record
from ol_analysis.core.framework import Framework
from ol_analysis.core.validate import validate_document
from ol_analysis.core.yamlsource import MAX_FILE_BYTES, SourceDocument, read_yaml
from ol_analysis.diagnostics import Diagnostic

ReadCase = tuple[list[Diagnostic], BaseModel | Record | None, SourceDocument | None]
"""What reading one case file gives: its problems, its model (None when invalid) and its
parsed document (None when unreadable)."""


def read_case(models: CaseModels, file: Path, shown: str) -> ReadCase:
    """Parse and validate one case file on its own (nothing across files)."""
    doc, problems = read_yaml(file, shown)
    if doc is None:
        return problems, None, None
    model, more = validate_document(doc, models, file)
    return [*problems, *more], model, doc


def _slim(doc: SourceDocument, file: Path) -> SourceDocument:
    """What a load reads of a document it has checked before: the case's id and its ``analysis``
    (work status, subgroup); positions are read again from the file when a message needs one
    (its bytes are the ones checked). The whole parsed tree and text of every file, kept, would
    cost about 60 KB a case for as long as ``serve`` runs."""
    data = doc.data if isinstance(doc.data, dict) else {}
    essentials = {key: data[key] for key in ("id", "analysis") if key in data}
    return SourceDocument(doc.path, essentials, file=file)


@dataclass(frozen=True)
class _Entry:
    digest: bytes
    shown: str
    read: ReadCase


class CaseFileCache:
    """Each case file's :data:`ReadCase`, by the digest of its bytes; see the module docstring.

    ``hits`` and ``misses`` count the files taken from the cache and read anew.
    """

    def __init__(self) -> None:
        self._framework: str | None = None
        self._models: CaseModels | None = None
        self._entries: dict[str, _Entry] = {}
        self.hits = 0
        self.misses = 0

    def models(self, framework: Framework) -> CaseModels:
        """The case models of ``framework``: the cached ones while its content is unchanged."""
        text = framework.model_dump_json()
        if self._models is None or text != self._framework:
            self._framework, self._models = text, CaseModels(framework)
            self._entries.clear()
        return self._models

    def read(self, models: CaseModels, file: Path, shown: str) -> ReadCase:
        """What :func:`read_case` gives for ``file``, read again only when its bytes changed."""
        try:
            if file.stat().st_size > MAX_FILE_BYTES:  # not read whole: read_case refuses it
                return read_case(models, file, shown)
            digest = hashlib.blake2b(file.read_bytes(), digest_size=20).digest()
        except OSError:  # read_case says why, at the file's position
            return read_case(models, file, shown)
        key = str(file)
        entry = self._entries.get(key)
        if (
            entry is not None
            and models is self._models
            and entry.digest == digest
            and entry.shown == shown
        ):
            self.hits += 1
            return list(entry.read[0]), entry.read[1], entry.read[2]
        self.misses += 1
        problems, model, doc = read_case(models, file, shown)
        # kept as the compact record a loaded study holds, so that a load gives the same object
        read = (problems, models.record(model) if model is not None else None, doc)
        if models is self._models:
            kept = _slim(doc, file) if doc is not None else None
            self._entries[key] = _Entry(digest, shown, (list(read[0]), read[1], kept))
        return read

    def forget_missing(self, present: set[str]) -> None:
        """Drop the entries of files no longer in the study (deleted or renamed)."""
        for key in [k for k in self._entries if k not in present]:
            del self._entries[key]
