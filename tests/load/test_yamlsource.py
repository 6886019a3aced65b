"""The safe YAML reader: scalar resolution, refusals, positions, and no traceback on any input."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ol_analysis.core.yamlsource import parse_text, read_yaml, resolve_plain_scalar


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("18_25", "18_25"),
        ("0_5", "0_5"),
        ("5_10", "5_10"),
        ("800_2000", "800_2000"),
        ("2020_cohort", "2020_cohort"),
        ("no", "no"),
        ("yes", "yes"),
        ("off", "off"),
        ("true", True),
        ("False", False),
        ("~", None),
        ("null", None),
        ("7", 7),
        ("-3", -3),
        ("0x1F", 31),
        ("0o17", 15),
        ("1.5", 1.5),
        ("2020-03-01", "2020-03-01"),
        ("3.1", 3.1),
    ],
)
def test_plain_scalars_follow_yaml_1_2_core_without_underscore_numbers(
    text: str, expected: object
) -> None:
    value = resolve_plain_scalar(text)
    assert value == expected
    assert type(value) is not str or isinstance(expected, str)


def test_numbers_remember_how_they_were_written() -> None:
    doc, problems = parse_text("t.yaml", "a: 007\nb: 3.10\n")
    assert problems == [] and doc is not None
    assert doc.data["a"].text == "007"
    assert doc.data["b"].text == "3.10"


def test_quoted_scalars_are_text() -> None:
    doc, _ = parse_text("t.yaml", "a: '7'\nb: \"true\"\n")
    assert doc is not None and doc.data == {"a": "7", "b": "true"}


def test_positions_found_on_demand_equal_those_tracked_while_parsing() -> None:
    text = "a:\n  b: [x, y]\n  c:\n    - k: 1\n"
    lazy, _ = parse_text("t.yaml", text)
    eager, _ = parse_text("t.yaml", text, track_positions=True)
    assert lazy is not None and eager is not None
    assert lazy._keys is None  # nothing computed until asked
    assert lazy.key_positions == eager.key_positions
    assert lazy.value_positions == eager.value_positions


def test_positions_of_keys_and_values_are_one_based() -> None:
    doc, _ = parse_text("t.yaml", "top:\n  list:\n    - first\n    - key: value\n")
    assert doc is not None
    assert doc.key_positions[("top",)] == (1, 1)
    assert doc.key_positions[("top", "list")] == (2, 3)
    assert doc.value_positions[("top", "list", 0)] == (3, 7)
    assert doc.value_positions[("top", "list", 1, "key")] == (4, 12)


@pytest.mark.parametrize(
    ("text", "rule", "line", "column"),
    [
        ("a: 1\nb: 2\na: 3\n", "duplicate-key", 3, 1),
        ("a: &x 1\n", "yaml-alias", 1, 4),
        ("a: [1]\nb: *x\n", "yaml-alias", 2, 4),
        ("a:\n  <<: {b: 1}\n", "yaml-alias", 2, 3),
        ("a: !!str x\n", "yaml-tag", 1, 4),
        ("a: !local x\n", "yaml-tag", 1, 4),
        ("a: 1\n---\nb: 2\n", "yaml-syntax", 2, 1),
        ("a: [1,\n", "yaml-syntax", 2, 1),
        ("# only a comment\n", "empty-file", 1, 1),
        ("", "empty-file", 1, 1),
    ],
)
def test_refused_input(text: str, rule: str, line: int, column: int) -> None:
    _doc, problems = parse_text("t.yaml", text)
    assert [(p.rule, p.line, p.column) for p in problems] == [(rule, line, column)]


def test_alias_bomb_is_refused_before_expansion() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 12)]
    started = time.perf_counter()
    doc, problems = parse_text("bomb.yaml", "\n".join(lines) + "\n")
    assert doc is None
    assert [p.rule for p in problems] == ["yaml-alias"]
    assert time.perf_counter() - started < 5  # refused at the first anchor, never expanded


def test_non_utf8_bytes_are_located(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("id: c01\ntitle: caf\xe9\n".encode("latin-1"))
    doc, problems = read_yaml(path)
    assert doc is None
    assert [(p.rule, p.line, p.column) for p in problems] == [("encoding", 2, 11)]


def test_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes("\ufeffid: c01\n".encode())
    doc, problems = read_yaml(path)
    assert problems == [] and doc is not None and doc.data == {"id": "c01"}


def test_file_over_the_size_limit_is_not_read(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text("a: " + "x" * 2000 + "\n", encoding="utf-8")
    doc, problems = read_yaml(path, max_bytes=1000)
    assert doc is None
    assert [p.rule for p in problems] == ["file-too-large"]


def test_deep_nesting_is_refused() -> None:
    doc, problems = parse_text("deep.yaml", "[" * 200 + "]" * 200)
    assert doc is None and [p.rule for p in problems] == ["yaml-syntax"]


yaml_like = st.text(
    alphabet=st.sampled_from([*list("ab:-[]{}&*!|>#'\"\n\t ,?%@`0_19.~\\"), "é", "\x00", "\ufeff"]),
    max_size=200,
)


@settings(max_examples=300, deadline=None)
@given(yaml_like)
def test_no_input_raises(text: str) -> None:
    doc, problems = parse_text("fuzz.yaml", text)
    assert doc is not None or problems
    for problem in problems:
        assert problem.line >= 1 and problem.column >= 1


def _all_yaml_files() -> list[Path]:
    root = Path(__file__).resolve().parents[2]
    return sorted(
        [*root.glob("cases/*.yaml"), root / "framework.yaml", *root.glob("tests/**/*.yaml")]
    )


@pytest.mark.parametrize("path", _all_yaml_files(), ids=lambda p: p.name)
def test_fast_and_pure_parsers_read_every_file_alike(path: Path) -> None:
    """libyaml's parser is a speed-up only: it must never change what a file means."""
    text = path.read_text(encoding="utf-8", errors="replace")
    fast, fast_problems = parse_text(str(path), text, fast=True, track_positions=True)
    pure, pure_problems = parse_text(str(path), text, fast=False, track_positions=True)
    assert (fast is None) == (pure is None)
    assert [p.rule for p in fast_problems] == [p.rule for p in pure_problems]
    if fast is not None and pure is not None:
        assert fast.data == pure.data
        assert fast.key_positions == pure.key_positions


@settings(max_examples=500, deadline=None)
@given(yaml_like)
def test_fast_and_pure_parsers_agree_on_generated_mappings(text: str) -> None:
    """Case files are mappings. (The parsers do differ on a top-level block scalar whose next
    line starts with '#': libyaml reads a comment, ruamel reads text; such a document is
    refused as not-a-mapping either way.)"""
    fast, _ = parse_text("f.yaml", "k: " + text, fast=True)
    pure, _ = parse_text("f.yaml", "k: " + text, fast=False)
    if fast is not None and pure is not None:
        assert repr(fast.data) == repr(pure.data)
