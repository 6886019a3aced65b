"""Templates only format: every figure a chapter states is computed by a named function of the
library (``ol_analysis.analysis.queries`` through ``ReportData``), never in a template.

The packaged templates are parsed with Jinja's own parser and walked node by node; arithmetic,
and filters or loop conditions that filter or count records, fail the test with the template
and line, so a figure computed in a template cannot come back unnoticed.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from jinja2 import Environment, nodes

TEMPLATES = Path(__file__).resolve().parents[2] / "ol_analysis" / "templates"
ARITHMETIC = (nodes.Add, nodes.Sub, nodes.Mul, nodes.Div, nodes.FloorDiv, nodes.Mod, nodes.Pow)
COMPUTING_FILTERS = {
    "length", "count", "sum", "min", "max", "selectattr", "rejectattr", "select", "reject",
    "groupby", "unique", "batch", "slice", "round", "int", "float", "abs",
}  # fmt: skip
COMPUTING_CALLS = {"range", "namespace"}


def _problems(source: str) -> list[str]:
    tree = Environment(extensions=["jinja2.ext.do"]).parse(source)
    found = []
    for node in tree.find_all(nodes.Node):
        line = getattr(node, "lineno", 0)
        if isinstance(node, ARITHMETIC):
            found.append(f"line {line}: arithmetic ({type(node).__name__})")
        elif isinstance(node, nodes.Filter | nodes.Test) and node.name in COMPUTING_FILTERS:
            found.append(f"line {line}: filter '{node.name}' computes")
        elif isinstance(node, nodes.For) and node.test is not None:
            found.append(f"line {line}: a loop that filters ('for … if …')")
        elif (
            isinstance(node, nodes.Call)
            and isinstance(node.node, nodes.Name)
            and node.node.name in COMPUTING_CALLS
        ):
            found.append(f"line {line}: '{node.node.name}()' computes")
    return found


TEMPLATE_FILES = sorted(p for p in TEMPLATES.rglob("*") if p.suffix in (".j2", ".html"))


@pytest.mark.parametrize(
    "template", TEMPLATE_FILES, ids=lambda p: p.relative_to(TEMPLATES).as_posix()
)
def test_packaged_template_does_not_compute(template: Path) -> None:
    problems = _problems(template.read_text(encoding="utf-8"))
    assert not problems, f"{template.relative_to(TEMPLATES)}: " + "; ".join(problems)


@pytest.mark.parametrize(
    "source",
    [
        "{{ a + b }}",
        "{{ items|length }}",
        "{{ records|selectattr('core')|list }}",
        "{% for r in records if r.core %}{{ r }}{% endfor %}",
        "{{ total / n }}",
        "{{ values|sum }}",
        "{% for i in range(3) %}{% endfor %}",
    ],
)
def test_the_check_catches_computing(source: str) -> None:
    assert _problems(source)


def test_the_check_lets_formatting_through() -> None:
    source = (
        "{% import 'macros.md.j2' as m %}{% if c.n > 1 %}{{ c|cases }}{% endif %}"
        "{{ 'a' ~ b }}{{ x|words|capfirst }}{% for k, v in d.items() %}{{ k }}{% endfor %}"
    )
    assert _problems(source) == []
