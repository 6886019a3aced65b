"""``as_list``: the one conversion of a case value to a list that every stage shares."""

from __future__ import annotations

from ol_analysis.core.values import as_list


def test_none_is_an_empty_list() -> None:
    assert as_list(None) == []


def test_a_bare_value_is_a_one_item_list() -> None:
    assert as_list("gp") == ["gp"]
    assert as_list(0) == [0]
    assert as_list(False) == [False]
    assert as_list(("a", "b")) == [("a", "b")]


def test_a_list_is_copied() -> None:
    value = ["gp", "police"]
    result = as_list(value)
    assert result == value and result is not value
