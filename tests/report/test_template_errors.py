"""Where a template mistake is reported: one test per branch of ``report.template_errors``.

Each renders a small template folder through :func:`render_template` (or hands an error to
:func:`template_problem`) and checks the file, line and rule of the diagnostic, and that the error
ends there: a :class:`StudyError` with its cause suppressed, no traceback. A Jinja version that
reports errors differently fails here first.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2.loaders
import pytest

from ol_analysis.diagnostics import Diagnostic
from ol_analysis.errors import StudyError
from ol_analysis.report import filters as f
from ol_analysis.report.render import make_env, render_template, template_problem
from ol_analysis.report.template_errors import template_location

CHAPTER = "nl/chapters/9-extra.md.j2"
MACROS = "macros/extra.md.j2"


def _env(tmp_path: Path, **files: str | bytes) -> Any:
    """An environment whose study templates are ``files`` ({"chapter": …, "macros": …})."""
    folder = tmp_path / "templates"
    for key, content in files.items():
        path = folder / {"chapter": CHAPTER, "macros": MACROS}[key]
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return make_env(folder, lang="nl")


def _problem(env: Any, name: str = CHAPTER) -> tuple[Diagnostic, str]:
    """The one diagnostic rendering ``name`` gives, and how the module located it."""
    with pytest.raises(StudyError) as caught:
        render_template(env, name, output=f.Output("md"))
    assert caught.value.__cause__ is None and caught.value.__suppress_context__
    (problem,) = caught.value.diagnostics
    try:
        env.get_template(name).render(output=f.Output("md"))
    except Exception as error:
        return problem, template_location(error, env, name).found
    raise AssertionError("the template rendered without an error")


def test_a_syntax_error_in_a_chapter(tmp_path: Path) -> None:
    env = _env(tmp_path, chapter="# Extra\n\n{% if %}\n")
    problem, found = _problem(env)
    assert (problem.path, problem.line, problem.rule, found) == (
        str(tmp_path / "templates" / CHAPTER),
        3,
        "template-syntax",
        "syntax",
    )


def test_a_syntax_error_in_an_imported_macro_file(tmp_path: Path) -> None:
    env = _env(
        tmp_path,
        chapter=f'# Extra\n{{% import "{MACROS}" as m %}}\n{{{{ m.one() }}}}\n',
        macros="{% macro one() %}\n1\n{% endmacro %}\n\n{% for %}\n",
    )
    problem, found = _problem(env)
    assert (problem.path, problem.line, problem.rule, found) == (
        str(tmp_path / "templates" / MACROS),
        5,
        "template-syntax",
        "syntax",
    )


def test_an_undefined_variable(tmp_path: Path) -> None:
    env = _env(tmp_path, chapter="# Extra\n\nok\n{{ no_such_name }}\n")
    problem, found = _problem(env)
    assert (problem.path, problem.line, problem.rule, found) == (
        str(tmp_path / "templates" / CHAPTER),
        4,
        "template-undefined",
        "traceback",
    )
    assert "no_such_name" in problem.message


def test_an_error_inside_a_macro_defined_in_another_template(tmp_path: Path) -> None:
    env = _env(
        tmp_path,
        chapter=f'# Extra\n{{% import "{MACROS}" as m %}}\n\n{{{{ m.share(0) }}}}\n',
        macros="{% macro share(n) %}\nshare:\n{{ 1 / n }}\n{% endmacro %}\n",
    )
    problem, found = _problem(env)
    assert (problem.path, problem.line, problem.rule, found) == (
        str(tmp_path / "templates" / MACROS),
        3,
        "template-error",
        "traceback",
    )
    assert problem.message == "division by zero"


def test_an_error_inside_a_filter_call_is_at_the_line_that_calls_it(tmp_path: Path) -> None:
    env = _env(tmp_path, chapter="# Extra\n\n{{ 5 | cases }}\n")
    problem, found = _problem(env)
    assert (problem.path, problem.line, problem.rule, found) == (
        str(tmp_path / "templates" / CHAPTER),
        3,
        "template-error",
        "traceback",
    )
    assert problem.message == "the 'cases' filter needs a count, not int"


def test_an_included_template_that_is_not_utf8(tmp_path: Path) -> None:
    env = _env(
        tmp_path, chapter=f'# Extra\n{{% include "{MACROS}" %}}\n', macros=b"ok\nab caf\xe9\n"
    )
    problem, found = _problem(env)
    assert (problem.path, problem.line, problem.column, problem.rule, found) == (
        str(tmp_path / "templates" / MACROS),
        2,
        7,
        "encoding",
        "loading",
    )


def test_a_template_that_cannot_be_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    env = _env(tmp_path, chapter="# Extra\n")
    chapter = str(tmp_path / "templates" / CHAPTER)

    def denied(file: str, *args: Any, **kwargs: Any) -> Any:
        raise PermissionError(13, "Permission denied", file)

    # Running as root, permissions cannot make a file unreadable; the loader's open() can.
    monkeypatch.setattr(jinja2.loaders, "open", denied, raising=False)
    problem, found = _problem(env)
    assert (problem.path, problem.line, problem.rule, found) == (
        chapter,
        1,
        "unreadable",
        "loading",
    )
    assert problem.message == f"cannot read the template: [Errno 13] Permission denied: '{chapter}'"


def test_an_error_with_no_template_frame_is_at_the_template_line_1(tmp_path: Path) -> None:
    # What a Jinja that no longer rewrote tracebacks would leave: the error, no template frame.
    env = _env(tmp_path, chapter="# Extra\n\n{{ 1 / 0 }}\n")
    with pytest.raises(ZeroDivisionError) as caught:
        env.get_template(CHAPTER).render()
    error = caught.value.with_traceback(None)
    assert template_location(error, env, CHAPTER).found == "fallback"
    problem = template_problem(error, CHAPTER, env)
    assert problem is not None
    assert (problem.path, problem.line, problem.rule, problem.message) == (
        str(tmp_path / "templates" / CHAPTER),
        1,
        "template-error",
        "division by zero",
    )
    # A chapter that does not exist at all has no file: its name, at line 1.
    problem, found = _problem(env, "nl/chapters/missing.md.j2")
    assert (problem.path, problem.line, problem.rule, found) == (
        "nl/chapters/missing.md.j2",
        1,
        "template-not-found",
        "fallback",
    )
