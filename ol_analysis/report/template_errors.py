"""Where in a template an error happened: the one module that knows how Jinja reports it.

:func:`template_location` turns an exception raised while loading or rendering a template into the
template file and line to name in a diagnostic. What it relies on, read in Jinja 3.1.4 to 3.1.6
(and unchanged on Jinja's main branch when checked), from most to least supported:

1. Documented API: ``TemplateSyntaxError.filename``, ``.lineno`` and ``.name`` (API docs,
   "Exceptions"); ``Template.filename``; ``Environment.list_templates``; and
   ``BaseLoader.get_source(environment, template)``, which returns ``(source, filename,
   uptodate)`` and whose documentation says "the filename is used by Python for the tracebacks".
2. A documented feature without a documented form: "exceptions point to the correct line in
   templates" (changelog 2.11: tracebacks "show the correct line numbers and source").
   ``jinja2.debug.rewrite_traceback_stack`` does it by replacing each frame of compiled template
   code with one whose ``f_code.co_filename`` is the template's filename exactly as
   ``get_source`` returned it, at the template's own line. The innermost such frame, found with
   :func:`traceback.walk_tb`, is where a runtime error happened: inside a macro that is the macro's
   file, for an error in a filter it is the line that called the filter.
3. Not documented: a template file that cannot be decoded raises a plain
   :class:`UnicodeDecodeError`, which carries no file name; it is read from the local variable
   ``filename`` of the loader's ``get_source`` frame (``FileSystemLoader.get_source``). An
   :class:`OSError` names its file itself (``OSError.filename``, Python's own API).

Because of 2 and 3, ``pyproject.toml`` bounds Jinja to ``<3.2``, and
``tests/report/test_template_errors.py`` exercises every branch here, so that an upgrade which
changes any of this fails a test first. Should a Jinja version still get past that, nothing turns
into a traceback: when no frame points into a template, the location falls back to the template
being rendered, at line 1.
"""

from __future__ import annotations

import os
import traceback
from typing import Literal, NamedTuple

from jinja2 import Environment, TemplateSyntaxError

Found = Literal["syntax", "loading", "traceback", "fallback"]


class TemplateLocation(NamedTuple):
    """A template file (as Jinja's loader names it on disk, or its load name when it has no file)
    and a line; ``found`` tells how: ``"syntax"`` from a syntax error, ``"loading"`` for a file
    that could not be read, ``"traceback"`` from a template frame, ``"fallback"`` when nothing in
    the error pointed into a template (the template being rendered, line 1)."""

    path: str
    line: int
    found: Found


def template_location(error: BaseException, env: Environment, name: str) -> TemplateLocation:
    """Where ``error``, raised while loading or rendering template ``name`` of ``env``, happened."""
    if isinstance(error, TemplateSyntaxError):
        return TemplateLocation(error.filename or error.name or name, error.lineno or 1, "syntax")
    if isinstance(error, UnicodeDecodeError | OSError):
        loading = _loading_file(error)
        if loading is not None:
            return TemplateLocation(loading, 1, "loading")
    files = _template_files(env)
    frames = [
        (frame.f_code.co_filename, line)
        for frame, line in traceback.walk_tb(error.__traceback__)
        if frame.f_code.co_filename in files
    ]
    if frames:
        path, line = frames[-1]
        return TemplateLocation(path, line, "traceback")
    return TemplateLocation(_filename(env, name), 1, "fallback")


def _loading_file(error: UnicodeDecodeError | OSError) -> str | None:
    """The file a loader's ``get_source`` was reading when ``error`` was raised, if it was."""
    loader_frames = [
        frame
        for frame, _line in traceback.walk_tb(error.__traceback__)
        if frame.f_code.co_name == "get_source"
    ]
    if not loader_frames:
        return None
    if isinstance(error, OSError) and error.filename is not None:
        return os.fsdecode(error.filename)
    filename = loader_frames[-1].f_locals.get("filename")  # undocumented: see the module's 3.
    return filename if isinstance(filename, str) else None


def _template_files(env: Environment) -> set[str]:
    """The file names of the templates ``env`` can load, as its loader reports them."""
    if env.loader is None:
        return set()
    files = set()
    try:
        names = env.list_templates()
    except TypeError:  # a loader that cannot list its templates
        return set()
    for template in names:
        try:
            _source, filename, _uptodate = env.loader.get_source(env, template)
        except Exception:  # an unreadable file is not where a frame can point
            continue
        if filename:
            files.add(filename)
    return files


def _filename(env: Environment, name: str) -> str:
    """Template ``name``'s file, or ``name`` itself when it has none or cannot be loaded."""
    try:
        return env.get_template(name).filename or name
    except Exception:  # the template itself is what failed to load
        return name
