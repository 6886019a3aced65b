"""Agreement statistics, checked against published worked examples and general properties.

Every published figure below is reproduced to the number of decimals its source prints; each test
cites author, year, title and the place of the example.
"""

from __future__ import annotations

import json
import math
import random
from collections.abc import Callable, Hashable, Sequence
from pathlib import Path
from typing import TypeVar

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from ol_analysis.agreement import LEVELS, cohen_kappa, krippendorff_alpha, percent_agreement

FIXTURES = Path(__file__).parent / "fixtures"
NA = None  # a missing value, short so the matrices below line up as in the sources

# Krippendorff, K. (2011). Computing Krippendorff's Alpha-Reliability. Annenberg School for
# Communication, University of Pennsylvania (repository.upenn.edu/asc_papers/43), the example
# "any number of observers, missing data": 4 observers (rows) by 12 units (columns). The same
# data, with pictograms for the values, are the example of Krippendorff, K. (2004). Content
# Analysis: An Introduction to Its Methodology (2nd ed.), Sage, p. 230 (nominal alpha .743).
KRIPPENDORFF_2011_MISSING = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, NA, NA, NA],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NA, 3],
    [NA, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NA],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NA],
]

# Wikipedia, "Krippendorff's alpha", section "A computational example": 3 coders by 15 units.
WIKIPEDIA_ALPHA_EXAMPLE = [
    [NA, NA, NA, NA, NA, 3, 4, 1, 2, 1, 1, 3, 3, NA, 3],
    [1, NA, 2, 1, 3, 3, 4, 3, NA, NA, NA, NA, NA, NA, NA],
    [NA, NA, 2, 1, 3, 4, 4, NA, 2, 1, 1, 3, 3, NA, 4],
]


def _from_contingency_table(
    labels: Sequence[str], rows: Sequence[Sequence[int]]
) -> tuple[list[str], list[str]]:
    """Expand a two-coder table (``rows[i][j]`` items: coder A said ``labels[i]``, B ``labels[j]``)
    into the two coders' label lists, as the functions under test take them."""
    a: list[str] = []
    b: list[str] = []
    for label_a, row in zip(labels, rows, strict=True):
        for label_b, count in zip(labels, row, strict=True):
            a += [label_a] * count
            b += [label_b] * count
    return a, b


def _same(x: float, y: float) -> bool:
    """Equal up to float rounding, treating two NaNs (undefined results) as equal."""
    if math.isnan(x) or math.isnan(y):
        return math.isnan(x) and math.isnan(y)
    return x == pytest.approx(y, rel=1e-9, abs=1e-12)


# --- Krippendorff's alpha: published examples ---------------------------------------------------


@pytest.mark.parametrize(
    ("level", "published"),
    [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849), ("ratio", 0.797)],
)
def test_alpha_krippendorff_2011_four_observers_missing_data(level: str, published: float) -> None:
    # Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability": the 4-observer,
    # 12-unit matrix above gives nominal .743, ordinal .815, interval .849 and ratio .797.
    assert round(krippendorff_alpha(KRIPPENDORFF_2011_MISSING, level), 3) == published


def test_alpha_krippendorff_2011_binary_two_observers() -> None:
    # Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", example "binary or
    # dichotomous data, two observers, no missing data" (p. 3): alpha = .095. Same data in
    # Krippendorff (2004), Content Analysis, p. 224.
    observer_a = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0]
    observer_b = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]
    assert round(krippendorff_alpha([observer_a, observer_b]), 3) == 0.095
    # ... where the observers agree on 6 of the 10 units (Krippendorff 2004, p. 224: 60%).
    assert percent_agreement(observer_a, observer_b) == 0.6


def test_alpha_krippendorff_2011_nominal_two_observers() -> None:
    # Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", example "nominal data,
    # two observers, no missing data" (p. 4): 12 units, values a-e, alpha = .692.
    observer_a = list("aabbdcccedda")
    observer_b = list("babbbccceddd")
    assert round(krippendorff_alpha([observer_a, observer_b]), 3) == 0.692


def test_alpha_krippendorff_2004_three_categories_two_coders() -> None:
    # Krippendorff, K. (2004). Content Analysis: An Introduction to Its Methodology (2nd ed.),
    # p. 227: 12 units, values a-c, two coders agreeing on 10 of them; alpha = .734.
    coder_1 = list("aabbbbbccccc")
    coder_2 = list("abbbbbcccccc")
    assert round(krippendorff_alpha([coder_1, coder_2]), 3) == 0.734


@pytest.mark.parametrize(("level", "published"), [("nominal", 0.691), ("interval", 0.811)])
def test_alpha_wikipedia_computational_example(level: str, published: float) -> None:
    # Wikipedia, "Krippendorff's alpha", section "A computational example" (3 coders, 15 units
    # with missing values): alpha_nominal = 0.691, alpha_interval = 0.811.
    assert round(krippendorff_alpha(WIKIPEDIA_ALPHA_EXAMPLE, level), 3) == published


def test_alpha_hayes_krippendorff_2007_ordinal() -> None:
    # Hayes, A. F., & Krippendorff, K. (2007). Answering the call for a standard reliability
    # measure for coding data. Communication Methods and Measures 1(1), 77-89: example data on
    # p. 84 (5 observers, 40 units, values 0-3, missing values); ordinal alpha = .7598.
    fixture = json.loads((FIXTURES / "hayes_krippendorff_2007.json").read_text())
    by_observer = [list(column) for column in zip(*fixture["units"], strict=True)]
    assert round(krippendorff_alpha(by_observer, "ordinal"), 4) == fixture["published"]["ordinal"]


def test_alpha_ordinal_uses_rank_order_of_any_sortable_labels() -> None:
    # The ordinal metric depends only on the order of the values, so letters for 1-5 reproduce
    # Krippendorff's (2011) ordinal .815.
    letters = [
        [None if v is None else "abcde"[v - 1] for v in row] for row in KRIPPENDORFF_2011_MISSING
    ]
    assert round(krippendorff_alpha(letters, "ordinal"), 3) == 0.815


def test_alpha_ignores_units_with_a_single_value() -> None:
    # Unit 12 of Krippendorff's (2011) matrix has one value only; it is not pairable.
    without_unit_12 = [row[:11] for row in KRIPPENDORFF_2011_MISSING]
    for level in LEVELS:
        assert krippendorff_alpha(without_unit_12, level) == pytest.approx(
            krippendorff_alpha(KRIPPENDORFF_2011_MISSING, level)
        )


def test_alpha_treats_float_nan_as_missing() -> None:
    with_nan = [[math.nan if v is None else v for v in row] for row in KRIPPENDORFF_2011_MISSING]
    assert krippendorff_alpha(with_nan) == krippendorff_alpha(KRIPPENDORFF_2011_MISSING)


# --- Krippendorff's alpha: degenerate input -------------------------------------------------------


@pytest.mark.parametrize("level", LEVELS)
def test_alpha_is_nan_without_variation(level: str) -> None:
    # All pairable values equal: expected disagreement is 0 and alpha is 0/0.
    assert math.isnan(krippendorff_alpha([[2, 2, 2, None], [2, 2, None, 5]], level))


@pytest.mark.parametrize("data", [[[1, None], [None, 2]], [[], []], [[None, None], [None, None]]])
def test_alpha_is_nan_without_pairable_values(data: list[list[int | None]]) -> None:
    assert math.isnan(krippendorff_alpha(data))


@pytest.mark.parametrize("data", [[], [[1, 2, 3]]])
def test_alpha_rejects_fewer_than_two_coders(data: list[list[int]]) -> None:
    with pytest.raises(ValueError, match="at least 2 coders"):
        krippendorff_alpha(data)


def test_alpha_rejects_coders_of_unequal_length() -> None:
    with pytest.raises(ValueError, match=r"one value .* per unit"):
        krippendorff_alpha([[1, 2, 3], [1, 2]])


def test_alpha_rejects_unknown_level() -> None:
    with pytest.raises(ValueError, match="unknown level of measurement 'cardinal'"):
        krippendorff_alpha([[1, 2], [1, 2]], level="cardinal")


@pytest.mark.parametrize("level", ["interval", "ratio"])
def test_alpha_rejects_non_numbers_for_metric_levels(level: str) -> None:
    with pytest.raises(ValueError, match="must be real numbers"):
        krippendorff_alpha([["low", "high"], ["low", "low"]], level)


def test_alpha_rejects_negative_ratio_values() -> None:
    with pytest.raises(ValueError, match="non-negative"):
        krippendorff_alpha([[-1, 2], [1, 2]], "ratio")


def test_alpha_rejects_unsortable_ordinal_values() -> None:
    with pytest.raises(ValueError, match="sortable"):
        krippendorff_alpha([[1, "b"], [1, "b"]], "ordinal")


def test_alpha_ratio_treats_two_zeros_as_equal() -> None:
    assert krippendorff_alpha([[0, 1, 2], [0, 1, 2]], "ratio") == 1.0


# --- Cohen's kappa and percent agreement: published examples -------------------------------------


def test_kappa_wikipedia_grant_proposals() -> None:
    # Wikipedia, "Cohen's kappa", section "Simple example": 50 grant proposals; both readers
    # say yes 20 times, both no 15 times, A yes/B no 5, A no/B yes 10: p_o = 0.7, kappa = 0.4.
    a, b = _from_contingency_table(["yes", "no"], [[20, 5], [10, 15]])
    assert percent_agreement(a, b) == pytest.approx(0.7)
    assert round(cohen_kappa(a, b), 3) == 0.4


def test_kappa_cohen_1960_three_categories() -> None:
    # Cohen, J. (1960). A coefficient of agreement for nominal scales. Educational and
    # Psychological Measurement 20(1), 37-46: worked example on p. 45, 200 items in 3 categories
    # (judge A rows, judge B columns): p_o = .70, p_c = .41, kappa = .492.
    a, b = _from_contingency_table(["1", "2", "3"], [[88, 14, 18], [10, 40, 10], [2, 6, 12]])
    assert percent_agreement(a, b) == pytest.approx(0.70)
    assert round(cohen_kappa(a, b), 3) == 0.492


@pytest.mark.parametrize(
    ("rows", "published_kappa"),
    [
        # Disagreements spread evenly, equal marginals: kappa = .186 (equal to Scott's pi).
        ([[12, 9, 9], [9, 14, 9], [9, 9, 20]], 0.186),
        # Same agreement, all disagreements above the diagonal: kappa rises to .258.
        ([[12, 18, 18], [0, 14, 18], [0, 0, 20]], 0.258),
    ],
)
def test_kappa_krippendorff_2004_marginal_dependence(
    rows: list[list[int]], published_kappa: float
) -> None:
    # Krippendorff, K. (2004). Content Analysis: An Introduction to Its Methodology (2nd ed.),
    # p. 246: two tables with the same 46% agreement (12 a-a, 14 b-b, 20 c-c of 100) whose
    # kappas differ, .186 and .258, because kappa rewards coders for differing marginals.
    a, b = _from_contingency_table(["a", "b", "c"], rows)
    assert percent_agreement(a, b) == pytest.approx(0.46)
    assert round(cohen_kappa(a, b), 3) == published_kappa


# --- Cohen's kappa and percent agreement: degenerate input ----------------------------------------


def test_kappa_is_nan_when_both_coders_use_one_and_the_same_label() -> None:
    # p_e = 1 (and so p_o = 1): kappa is 0/0; the raw agreement is still reported.
    assert math.isnan(cohen_kappa(["x"] * 4, ["x"] * 4))
    assert percent_agreement(["x"] * 4, ["x"] * 4) == 1.0


def test_kappa_is_one_for_perfect_agreement_with_variation() -> None:
    assert cohen_kappa(["x", "y", "y"], ["x", "y", "y"]) == 1.0


@pytest.mark.parametrize("statistic", [cohen_kappa, percent_agreement])
def test_two_coder_statistics_reject_malformed_input(
    statistic: Callable[[Sequence[Hashable], Sequence[Hashable]], float],
) -> None:
    with pytest.raises(ValueError, match="different numbers of items: 2 vs 1"):
        statistic(["x", "y"], ["x"])
    with pytest.raises(ValueError, match="at least one item"):
        statistic([], [])
    with pytest.raises(ValueError, match="krippendorff_alpha handles missing data"):
        statistic(["x", None], ["x", "y"])


# --- properties ----------------------------------------------------------------------------------

LABELS = st.sampled_from(["a", "b", "c", "d"])
SMALL_NUMBERS = st.integers(min_value=0, max_value=6)
T = TypeVar("T", bound=Hashable)


def _reliability_data(
    values: st.SearchStrategy[T], max_coders: int = 4
) -> st.SearchStrategy[list[list[T | None]]]:
    """Coders x units matrices with some missing values."""
    cell: st.SearchStrategy[T | None] = st.one_of(st.none(), values)
    return st.integers(min_value=2, max_value=max_coders).flatmap(
        lambda coders: st.integers(min_value=0, max_value=12).flatmap(
            lambda units: st.lists(
                st.lists(cell, min_size=units, max_size=units), min_size=coders, max_size=coders
            )
        )
    )


@given(
    units=st.lists(SMALL_NUMBERS, min_size=2, max_size=15),
    coders=st.integers(min_value=2, max_value=5),
    level=st.sampled_from(LEVELS),
)
def test_alpha_is_one_for_identical_coders_with_variation(
    units: list[int], coders: int, level: str
) -> None:
    assume(len(set(units)) >= 2)
    assert krippendorff_alpha([list(units) for _ in range(coders)], level) == 1.0


@given(data=_reliability_data(SMALL_NUMBERS), level=st.sampled_from(LEVELS))
def test_alpha_is_at_most_one(data: list[list[int | None]], level: str) -> None:
    alpha = krippendorff_alpha(data, level)
    assert math.isnan(alpha) or alpha <= 1.0 + 1e-12


@given(data=_reliability_data(LABELS), permutation=st.permutations(["a", "b", "c", "d"]))
def test_alpha_nominal_is_invariant_under_relabelling(
    data: list[list[str | None]], permutation: list[str]
) -> None:
    rename = dict(zip("abcd", permutation, strict=True))
    relabelled = [[None if v is None else rename[v] for v in coder] for coder in data]
    assert _same(krippendorff_alpha(relabelled), krippendorff_alpha(data))


@given(data=_reliability_data(SMALL_NUMBERS), level=st.sampled_from(LEVELS), seed=st.randoms())
def test_alpha_does_not_depend_on_the_order_of_coders_or_units(
    data: list[list[int | None]], level: str, seed: random.Random
) -> None:
    coders = [list(coder) for coder in data]
    seed.shuffle(coders)
    order = list(range(len(coders[0])))
    seed.shuffle(order)
    shuffled = [[coder[i] for i in order] for coder in coders]
    assert _same(krippendorff_alpha(shuffled, level), krippendorff_alpha(data, level))


@given(data=_reliability_data(SMALL_NUMBERS))
def test_alpha_ordinal_depends_only_on_rank_order(data: list[list[int | None]]) -> None:
    def stretch(v: int | None) -> int | None:
        return None if v is None else 100 + 3**v  # strictly increasing

    stretched = [[stretch(v) for v in coder] for coder in data]
    assert _same(krippendorff_alpha(stretched, "ordinal"), krippendorff_alpha(data, "ordinal"))


@given(
    data=_reliability_data(SMALL_NUMBERS),
    shift=st.integers(min_value=-50, max_value=50),
    scale=st.integers(min_value=1, max_value=20),
)
def test_alpha_interval_is_invariant_under_linear_rescaling(
    data: list[list[int | None]], shift: int, scale: int
) -> None:
    rescaled = [[None if v is None else shift + scale * v for v in c] for c in data]
    assert _same(krippendorff_alpha(rescaled, "interval"), krippendorff_alpha(data, "interval"))


TWO_CODERS = st.integers(min_value=1, max_value=30).flatmap(
    lambda n: st.tuples(
        st.lists(LABELS, min_size=n, max_size=n), st.lists(LABELS, min_size=n, max_size=n)
    )
)


@given(pair=TWO_CODERS)
def test_two_coder_alpha_and_kappa_are_symmetric_and_bounded(
    pair: tuple[Sequence[str], Sequence[str]],
) -> None:
    a, b = pair
    kappa = cohen_kappa(a, b)
    assert _same(kappa, cohen_kappa(b, a))
    assert math.isnan(kappa) or -1.0 <= kappa <= 1.0
    alpha = krippendorff_alpha([list(a), list(b)])
    assert _same(alpha, krippendorff_alpha([list(b), list(a)]))
    assert math.isnan(alpha) or alpha <= 1.0
    assert 0.0 <= percent_agreement(a, b) == percent_agreement(b, a) <= 1.0
