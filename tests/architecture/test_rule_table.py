"""The rule table of ``docs/file-formats.md`` lists every diagnostic rule the package can emit,
and nothing else: the rule ids are collected from the source and compared with the table both
ways.

A rule reaches a diagnostic in one of these ways, each read here from the syntax tree:

- a string literal passed where a function of the package takes its ``rule`` parameter
  (``doc.diagnostic(loc, RULE, …)``, ``make(loc, RULE, …)``, ``problem(doc, loc, RULE)`` …),
  or at the rule position of ``Diagnostic(path, line, column, RULE, …)``, or as ``rule=``;
- an f-string there whose text starts with a prefix (``f"privacy-{kind}"``): a family, listed
  in the table as ``privacy-*``;
- the kind of a ``PydanticCustomError`` (it becomes the rule, see ``core/pydantic_errors.py``);
- a key of a ``MESSAGES`` table of worded rules (``core/framework_checks.py``);
- a literal assigned to a name ``rule``/``RULE``, a hyphenated one in a tuple named
  ``…RULES``, or the first of a (rule, hint) pair returned by a function whose name says
  ``rule``.

The framework's own copies of the case-file rules (``framework-unknown-key`` …, made with a
``rule_prefix``) are one row, ``framework-<rule>``, which the test does not collect.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "ol_analysis"
DOC = ROOT / "docs" / "file-formats.md"
SECTION = "## Diagnostic rules"

FIXED_ARGUMENT = {"Diagnostic": 3, "PydanticCustomError": 0}
"""Callables that are not functions of the package with a ``rule`` parameter."""
RULE = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
FAMILY = re.compile(r"^[a-z][a-z0-9-]*-$")
PREFIXED_ROW = "framework-<rule>"

Positions = dict[str, dict[bool, int]]


def _trees() -> list[tuple[Path, ast.Module]]:
    return [
        (path, ast.parse(path.read_text(encoding="utf-8")))
        for path in sorted(PACKAGE.rglob("*.py"))
    ]


def _rule_positions(trees: list[tuple[Path, ast.Module]]) -> Positions:
    """For each function of the package with a ``rule`` parameter: its position, as called as a
    function (False) or as a method, ``self`` not counted (True)."""
    positions: Positions = {}
    for _path, tree in trees:
        for node in ast.walk(tree):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            names = [a.arg for a in (*node.args.posonlyargs, *node.args.args)]
            if "rule" not in names:
                continue
            index = names.index("rule")
            method = bool(names) and names[0] in ("self", "cls")
            positions.setdefault(node.name, {})[method] = index - 1 if method else index
    return positions


def _rule_of(node: ast.expr | None) -> set[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and RULE.match(node.value):
        return {node.value}
    if isinstance(node, ast.JoinedStr) and node.values:
        head = node.values[0]
        if isinstance(head, ast.Constant) and FAMILY.match(str(head.value)):
            return {f"{head.value}*"}
    if isinstance(node, ast.IfExp):
        return _rule_of(node.body) | _rule_of(node.orelse)
    return set()


def _call_rules(call: ast.Call, positions: Positions) -> set[str]:
    func = call.func
    method = isinstance(func, ast.Attribute)
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
    found = {r for k in call.keywords if k.arg == "rule" for r in _rule_of(k.value)}
    index = FIXED_ARGUMENT.get(name or "")
    if index is None:
        by_kind = positions.get(name or "", {})
        index = by_kind.get(method, by_kind.get(not method))
    if index is None:
        return found
    starred = [i for i, arg in enumerate(call.args[: index + 1]) if isinstance(arg, ast.Starred)]
    if starred:  # Diagnostic(path, *position, RULE, …): the first rule after the unpacking
        after = (r for arg in call.args[starred[0] + 1 :] for r in _rule_of(arg))
        found |= set(list(after)[:1])
    elif index < len(call.args):
        found |= _rule_of(call.args[index])
    return found


def _named_rules(node: ast.AST) -> set[str]:
    """Literals assigned to ``rule``/``RULE``/``…RULES``/``MESSAGES``, or returned by a
    function whose name says ``rule``."""
    found: set[str] = set()
    if isinstance(node, ast.FunctionDef) and "rule" in node.name.lower():
        for ret in ast.walk(node):  # ``return "template-unsafe", hint``: a (rule, hint) pair
            if isinstance(ret, ast.Return) and isinstance(ret.value, ast.Tuple):
                found |= _rule_of(ret.value.elts[0]) if ret.value.elts else set()
    if not isinstance(node, ast.Assign | ast.AnnAssign) or node.value is None:
        return found
    targets = [node.target] if isinstance(node, ast.AnnAssign) else node.targets
    for target in targets:
        name = target.id if isinstance(target, ast.Name) else ""
        if name in ("rule", "RULE"):
            found |= _rule_of(node.value)
        elif name.endswith("RULES") and isinstance(node.value, ast.Tuple | ast.List | ast.Set):
            # a tuple of rule ids; one-word values ('present') are not diagnostic rules
            found |= {r for elt in node.value.elts for r in _rule_of(elt) if "-" in r}
        elif name == "MESSAGES" and isinstance(node.value, ast.Dict):
            found |= {r for key in node.value.keys for r in _rule_of(key)}
    return found


def rules_in_source() -> dict[str, set[str]]:
    """Every rule id the package's source can emit, with the files it appears in."""
    trees = _trees()
    positions = _rule_positions(trees)
    found: dict[str, set[str]] = {}
    for path, tree in trees:
        for node in ast.walk(tree):
            rules = (
                _call_rules(node, positions) if isinstance(node, ast.Call) else _named_rules(node)
            )
            for rule in rules:
                found.setdefault(rule, set()).add(str(path.relative_to(ROOT)))
    return found


def rules_in_table() -> list[str]:
    """The rule ids in the first column of the rule table, in order."""
    text = DOC.read_text(encoding="utf-8")
    assert SECTION in text, f"{DOC.name} has no '{SECTION}' section"
    section = text.split(SECTION, 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    return [re.match(r"\| `([^`]+)`", row)[1] for row in rows]  # type: ignore[index]


def test_the_collector_finds_rules_of_every_kind() -> None:
    """The collector itself: one rule of each way a rule is written (so that a change to the
    source's idioms makes this test, not the comparison, fail)."""
    found = rules_in_source()
    for rule in (
        "yaml-syntax",  # Diagnostic(…, "yaml-syntax", …)
        "duplicate-case",  # doc.diagnostic(loc, "duplicate-case", …)
        "invalid-id",  # make(loc, "invalid-id", …)
        "yaml-alias",  # self._refuse(event, "yaml-alias", …)
        "unknown-code",  # PydanticCustomError("unknown-code", …)
        "framework-vocabulary-cycle",  # MESSAGES key
        "merge-conflict",
        "privacy-*",  # f"privacy-{kind}"
        "template-unsafe",  # returned by report.render._rule
        "refi-loss",  # RULE = "refi-loss"
    ):
        assert rule in found, rule


def test_every_rule_the_package_emits_has_a_row() -> None:
    table = set(rules_in_table())
    found = rules_in_source()
    missing = {rule: sorted(files) for rule, files in found.items() if rule not in table}
    assert not missing, f"add a row to the rule table of {DOC.name} for: {missing}"


def test_every_row_names_a_rule_the_package_emits() -> None:
    found = rules_in_source()
    extra = [rule for rule in rules_in_table() if rule not in found and rule != PREFIXED_ROW]
    assert not extra, f"rows of {DOC.name} that no code emits: {extra}"


def test_each_rule_has_one_row() -> None:
    rows = rules_in_table()
    assert len(rows) == len(set(rows)), sorted({r for r in rows if rows.count(r) > 1})
