"""The developer docs stay true to the code: every module, function and file that
``docs/architecture.md``, ``docs/api.md`` and ``CONTRIBUTING.md`` name exists, and ``docs/api.md``
lists every public name of ``ol_analysis`` with the parameters it really has.

Names are found in three spellings: a file path (``ol_analysis/core/study.py``, or any
backticked ``….py`` relative to the repository or the package), a dotted name starting with
``ol_analysis.``, and a backticked dotted name relative to the package whose first part is one
of its modules (``core.study.check_cases``).
"""

from __future__ import annotations

import importlib
import inspect
import re
from pathlib import Path
from typing import Any

import pytest

import ol_analysis

REPO = Path(__file__).resolve().parents[2]
PACKAGE = REPO / "ol_analysis"
DOCS = ("docs/architecture.md", "docs/api.md", "CONTRIBUTING.md")
API = REPO / "docs" / "api.md"

PACKAGE_PATH = re.compile(r"(?<![\w/.-])ol_analysis/[\w./-]*[\w/]")
BACKTICKED_FILE = re.compile(r"`([\w./-]+\.py)`")
DOTTED = re.compile(r"(?<![\w/.-])ol_analysis(?:\.[A-Za-z_]\w*)+")
BACKTICKED_DOTTED = re.compile(r"`([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+)(?:\(\))?`")
BULLET = re.compile(r"^- `(\w+)(\(.*?\))?(?: -> (\w+))?`", re.MULTILINE)


def _top_level_names() -> set[str]:
    names = set()
    for entry in PACKAGE.iterdir():
        if entry.suffix == ".py" and entry.stem != "__init__":
            names.add(entry.stem)
        elif entry.is_dir() and (entry / "__init__.py").exists():
            names.add(entry.name)
    return names


def named_paths(text: str) -> set[str]:
    return set(PACKAGE_PATH.findall(text)) | set(BACKTICKED_FILE.findall(text))


def named_objects(text: str) -> set[str]:
    top = _top_level_names()
    found = {name.rstrip(".") for name in DOTTED.findall(text)}
    for name in BACKTICKED_DOTTED.findall(text):
        if name.split(".")[0] in top and not name.endswith(".py"):  # a file: named_paths
            found.add(f"ol_analysis.{name}")
    return found


def resolves(dotted: str) -> bool:
    """A module, or an attribute (a class, function, constant, method) of one."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        module_name = ".".join(parts[:cut])
        try:
            obj: Any = importlib.import_module(module_name)
        except ModuleNotFoundError as error:
            if error.name is not None and module_name.startswith(error.name):
                continue
            raise
        for attribute in parts[cut:]:
            if not hasattr(obj, attribute):
                return False
            obj = getattr(obj, attribute)
        return True
    return False


def _read(name: str) -> str:
    return (REPO / name).read_text(encoding="utf-8")


@pytest.mark.parametrize("doc", DOCS)
def test_every_named_file_exists(doc: str) -> None:
    paths = named_paths(_read(doc))
    missing = [p for p in sorted(paths) if not ((REPO / p).exists() or (PACKAGE / p).exists())]
    assert not missing, f"{doc} names files that do not exist: {missing}"


@pytest.mark.parametrize("doc", DOCS)
def test_every_named_module_and_function_exists(doc: str) -> None:
    names = named_objects(_read(doc))
    missing = [name for name in sorted(names) if not resolves(name)]
    assert not missing, f"{doc} names what the package does not have: {missing}"


def test_the_architecture_tour_names_the_code_it_describes() -> None:
    """The extraction works: the tour names dozens of functions, and a wrong one is caught."""
    names = named_objects(_read("docs/architecture.md"))
    assert "ol_analysis.core.study.check_cases" in names
    assert "ol_analysis.report.build.build_report" in names
    assert len(names) > 50
    assert "ol_analysis/core/study.py" in named_paths(_read("docs/architecture.md"))
    assert not resolves("ol_analysis.core.study.no_such_function")
    assert not resolves("ol_analysis.no_such_module")


def _documented() -> dict[str, tuple[str, str]]:
    """Each bullet ``- `name(params) -> returns` — …`` of the API page ('' where not shown)."""
    bullets = BULLET.findall(_read("docs/api.md"))
    return {name: (params, returns) for name, params, returns in bullets}


def test_every_public_name_is_in_the_api_page() -> None:
    documented = _documented()
    missing = [name for name in ol_analysis.__all__ if name not in documented]
    assert not missing, f"docs/api.md does not document {missing}"
    extra = [name for name in documented if name not in ol_analysis.__all__]
    assert not extra, f"docs/api.md documents names that are not public: {extra}"


def _split_top_level(params: str) -> list[str]:
    pieces, depth, current = [], 0, ""
    for char in params:
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        if char == "," and depth == 0:
            pieces.append(current.strip())
            current = ""
        else:
            current += char
    if current.strip():
        pieces.append(current.strip())
    return pieces


def _shown(params: str) -> list[tuple[str, bool]]:
    """``(a, b=1, *, c=None)`` → ``[("a", False), ("b", True), ("*", False), ("c", True)]``."""
    shown = []
    for piece in _split_top_level(params[1:-1]):
        name = re.match(r"\*{0,2}\w*", piece)
        assert name is not None, piece
        shown.append((name[0], "=" in piece))
    return shown


def _actual(obj: Any) -> list[tuple[str, bool, bool]]:
    """(name, has a default, keyword-only) of each parameter, ``*`` marking where keywords start."""
    actual: list[tuple[str, bool, bool]] = []
    star = False
    for param in inspect.signature(obj).parameters.values():
        if param.kind is param.VAR_POSITIONAL:
            star = True
            actual.append((f"*{param.name}", False, False))
        elif param.kind is param.VAR_KEYWORD:
            actual.append((f"**{param.name}", False, False))
        else:
            keyword = param.kind is param.KEYWORD_ONLY
            if keyword and not star:
                star = True
                actual.append(("*", False, False))
            actual.append((param.name, param.default is not param.empty, keyword))
    return actual


@pytest.mark.parametrize("name", sorted(_documented()))
def test_the_api_page_shows_the_real_parameters(name: str) -> None:
    """Every parameter shown exists, in that order, with a default where it has one, and every
    required parameter is shown; a new optional parameter may wait for the page to name it."""
    params, returns = _documented()[name]
    obj = getattr(ol_analysis, name)
    if params:
        shown = _shown(params)
        names = {shown_name for shown_name, _default in shown}
        keywords_shown = any(a[0] in names and a[2] for a in _actual(obj))
        expected = [
            (a[0], a[1])
            for a in _actual(obj)
            if a[0] in names or (a[0] == "*" and keywords_shown) or not (a[1] or a[0] == "*")
        ]
        assert shown == expected, f"docs/api.md shows {name}{params}"
    if returns:
        assert str(inspect.signature(obj).return_annotation) == returns, name
