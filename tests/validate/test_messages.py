"""Messages that used to point the wrong way (issue 16): each says what is wrong and how to
write it. The located cases are fixtures in ``invalid/``; these are the ones a fixture cannot
carry (a file over the size limit) and the helpers behind the hints."""

from __future__ import annotations

from pathlib import Path

import pytest

from ol_analysis.core.casemodel import code_hint, looks_like_date
from ol_analysis.core.validate import iso_form
from ol_analysis.core.yamlsource import parse_text, read_yaml


def test_a_file_over_the_limit_is_not_told_to_split(tmp_path: Path) -> None:
    big = tmp_path / "c01.yaml"
    big.write_text("id: c01\ntitle: " + "x" * 200 + "\n", encoding="utf-8")
    doc, problems = read_yaml(big, max_bytes=100)
    assert doc is None
    (problem,) = problems
    assert problem.rule == "file-too-large"
    assert "split" not in (problem.hint or "")
    assert "transcripts" in (problem.hint or "")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12-03-2021", "2021-03-12"),
        ("3/7/2020", "2020-07-03"),
        ("03-2019", "2019-03"),
        ("maart 2019", "2019-03"),
        ("March 2019", "2019-03"),
        ("3 mrt. 2019", "2019-03-03"),
        ("begin traject", None),
        ("32-01-2020", None),
        ("13-2019", None),
        ("fase 2019", None),
    ],
)
def test_iso_form_of_dates_written_another_way(text: str, expected: str | None) -> None:
    assert iso_form(text) == expected


def test_code_hint_names_the_codes_and_says_a_date_is_not_one() -> None:
    assert code_hint("5", ["north", "south"]) == "allowed: north, south"
    assert "not a date" in code_hint("2019-03", ["north", "south"])
    assert code_hint("nort", ["north", "south"]) == "did you mean 'north'?"
    many = [f"code_{i}" for i in range(20)]
    assert code_hint("5", many).endswith(", …")
    assert looks_like_date("maart 2019") and not looks_like_date("begin traject")


@pytest.mark.parametrize(
    ("line", "hint"),
    [
        ("title: Een: titel", 'put the value in quotes: title: "Een: titel"'),
        ("  - summary: zei: nee", 'put the value in quotes: summary: "zei: nee"'),
        ('title: "Een" titel', "quote the whole value: title: '\"Een\" titel'"),
        ("title: 'Een' titel", "quote the whole value: title: \"'Een' titel\""),
    ],
)
def test_unquoted_values_that_break_yaml_get_a_quoting_hint(line: str, hint: str) -> None:
    doc, problems = parse_text("c.yaml", f"id: c\n{line}\n")
    assert doc is None
    (problem,) = problems
    assert problem.rule == "yaml-syntax"
    assert problem.hint == hint
    # the fix the hint gives is valid YAML that reads as the text typed
    fixed, none = parse_text("c.yaml", "id: c\n" + hint.split(": ", 1)[1] + "\n")
    assert none == [] and fixed is not None


def test_other_syntax_errors_keep_the_general_hint() -> None:
    _doc, problems = parse_text("c.yaml", "id: c\n  title: x\n")
    assert problems[0].hint == "check indentation, colons and quotes around this place"
