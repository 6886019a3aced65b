"""Which framework a version of a case is read with.

A case in the work tree is read with ``--framework`` (``framework.yaml``). A version from git,
``REV:PATH``, is read with the framework of that same revision — ``REV:framework.yaml``, the
framework's path from the top of the repository — so that an old version is checked against the
codebook it was coded with, not against today's. ``--framework`` may itself be ``REV:PATH``.
When a revision has no framework at that path (the study was laid out differently then), the
version is read with ``--framework``.

:class:`Frameworks` loads each framework once; two specs with the same text share one
:class:`~ol_analysis.core.framework.Framework` object, so "read with the same framework" is
``is``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ol_analysis.core.casemodel import CaseModels
from ol_analysis.core.framework import Framework, framework_from_document, load_framework
from ol_analysis.core.yamlsource import MAX_FILE_BYTES, parse_text
from ol_analysis.diagnostics import sort_unique
from ol_analysis.errors import FrameworkError, UsageError
from ol_analysis.git import is_revision_spec, object_exists, path_in_repository, read_revision


@dataclass
class LoadedFramework:
    """A framework, where it was read from, and its case models (built when first asked)."""

    spec: str
    framework: Framework
    _models: CaseModels | None = field(default=None, repr=False)

    @property
    def models(self) -> CaseModels:
        if self._models is None:
            self._models = CaseModels(self.framework)
        return self._models


def framework_from_text(display: str, text: str) -> Framework:
    """A framework from its text; raises :class:`FrameworkError` with every problem, located
    at ``display`` (``HEAD~1:framework.yaml:12:7``)."""
    doc, problems = parse_text(display, text)
    framework = None
    if doc is not None:
        framework, more = framework_from_document(doc)
        problems = [*problems, *more]
    problems = sort_unique(problems)
    if framework is None or any(d.is_error for d in problems):
        raise FrameworkError(problems)
    framework._source = display
    return framework


class Frameworks:
    """The frameworks the versions of one command are read with, each loaded once."""

    def __init__(self, default: str, cwd: Path = Path(".")) -> None:
        self.default = default
        self.cwd = cwd
        self._by_spec: dict[str, LoadedFramework] = {}
        self._by_text: dict[str, LoadedFramework] = {}

    def spec_for(self, operand: str) -> str:
        """The framework a version is read with: ``REV:<framework>`` for ``REV:PATH``."""
        if not is_revision_spec(operand):
            return self.default
        revision = operand.partition(":")[0]
        if is_revision_spec(self.default):
            inner: str | None = self.default.partition(":")[2]
        else:
            inner = path_in_repository(Path(self.default), self.cwd)
        if inner is None:
            return self.default
        candidate = f"{revision}:{inner}"
        if candidate == self.default or object_exists(candidate, self.cwd):
            return candidate
        return self.default

    def for_version(self, operand: str) -> LoadedFramework:
        return self.load(self.spec_for(operand))

    def load(self, spec: str) -> LoadedFramework:
        if spec in self._by_spec:
            return self._by_spec[spec]
        framework: Framework | None = None
        if is_revision_spec(spec):
            text = read_revision(spec, self.cwd, max_bytes=MAX_FILE_BYTES)
        else:
            path = self.cwd / spec
            framework = load_framework(path, spec)  # a missing or broken file: its errors
            try:
                text = path.read_bytes().decode("utf-8", errors="replace")
            except OSError as error:
                raise UsageError(f"cannot read {spec}: {error.strerror or error}") from None
        loaded = self._by_text.get(text)
        if loaded is None:
            framework = framework or framework_from_text(spec, text)
            loaded = self._by_text[text] = LoadedFramework(spec, framework)
        self._by_spec[spec] = loaded
        return loaded
