"""Inter-coder agreement statistics: Krippendorff's alpha, Cohen's kappa, percent agreement.

Pure Python on purpose: reliability data in qualitative studies are small (a few coders, at most
some thousands of units), and the toolkit does not depend on numpy.

Krippendorff's alpha follows Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability"
(Annenberg School for Communication, University of Pennsylvania): values are tallied in a
coincidence matrix, units with fewer than two pairable values are dropped, and

    alpha = 1 - D_o / D_e

where ``D_o`` is the disagreement observed within units and ``D_e`` the disagreement expected if
the same values had been paired by chance. Both are weighted by a squared difference function
``delta2(c, k)`` that encodes the level of measurement.

Undefined results are ``float("nan")``, never an exception: "the data cannot show reliability"
is a property of the data (every coder used one and the same value, or no unit was coded twice),
which a report should show as such. Malformed input — a programming error in the caller — raises
:class:`ValueError`.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from itertools import accumulate
from numbers import Real

__all__ = [
    "LEVELS",
    "bootstrap_alpha",
    "cohen_kappa",
    "fleiss_kappa",
    "krippendorff_alpha",
    "percent_agreement",
]

LEVELS = ("nominal", "ordinal", "interval", "ratio")
"""Levels of measurement accepted by :func:`krippendorff_alpha`."""

Coincidences = dict[tuple[Hashable, Hashable], float]
DifferenceFunction = Callable[[Hashable, Hashable], float]


def krippendorff_alpha(data: Sequence[Sequence[Hashable | None]], level: str = "nominal") -> float:
    """Krippendorff's alpha for ``data[coder][unit]``; ``None`` (or a float NaN) is missing.

    Any number of coders (at least two) and any amount of missing data are allowed. A unit
    contributes only if at least two coders gave it a value ("pairable values"); the others carry
    no information about agreement and are dropped, as Krippendorff prescribes.

    ``level`` chooses the squared difference between two values ``c`` and ``k``:

    - ``"nominal"``: 0 if ``c == k`` else 1. Values need only be hashable.
    - ``"ordinal"``: ``(sum(n_g for g from c to k) - (n_c + n_k) / 2) ** 2`` where ``n_g`` is how
      often value ``g`` occurs among the pairable values. Values need only be sortable; their
      sorted order is their rank order, and distance grows with how many *observed* values lie
      between them, not with their numeric gap.
    - ``"interval"``: ``(c - k) ** 2``. Values must be real numbers.
    - ``"ratio"``: ``((c - k) / (c + k)) ** 2``. Values must be non-negative real numbers (a
      ratio scale has an absolute zero); two zeros do not differ.

    Returns ``float("nan")`` when alpha is undefined (0/0): no unit has two pairable values, or
    all pairable values are equal so there is no variation whose reproducibility could be judged
    (expected disagreement 0). Returning 1.0 there would report perfect reliability for data that
    cannot discriminate between anything.

    Raises ValueError for fewer than two coders, coders with different numbers of units, an
    unknown ``level``, or values that the level cannot measure.
    """
    _check_reliability_data(data)
    difference = _DIFFERENCE_FACTORIES.get(level)
    if difference is None:
        raise ValueError(f"unknown level of measurement {level!r}; expected one of {LEVELS}")
    units = _pairable_units(data)
    coincidences = _coincidences(units)
    marginals = _marginals(coincidences)
    total = sum(marginals.values())
    if total == 0:
        return math.nan
    delta2 = difference(marginals)
    observed = sum(count * delta2(c, k) for (c, k), count in coincidences.items())
    expected = sum(
        n_c * n_k * delta2(c, k) for c, n_c in marginals.items() for k, n_k in marginals.items()
    )
    if expected == 0:
        return math.nan
    # 1 - D_o/D_e with D_o = observed/n and D_e = expected/(n(n-1)), simplified.
    return 1.0 - (total - 1) * observed / expected


def cohen_kappa(a: Sequence[Hashable], b: Sequence[Hashable]) -> float:
    """Cohen's (1960) kappa for two coders who labelled the same items, in the same order.

    ``kappa = (p_o - p_e) / (1 - p_e)`` where ``p_o`` is the share of items given the same label
    and ``p_e`` the agreement expected from each coder's own label frequencies. Unlike alpha,
    kappa credits the coders with their differing preferences for labels, so the two can differ
    on the same data. Kappa has no notion of missing data: use :func:`krippendorff_alpha`.

    Returns ``float("nan")`` when ``p_e == 1``. That happens only when both coders used one and
    the same label for every item, so ``p_o`` is 1 as well and kappa is 0/0. We do not return
    1.0: such data show agreement that chance alone explains fully, and the value would inflate
    any average over codes. This matches :func:`krippendorff_alpha` for data without variation;
    :func:`percent_agreement` still reports the raw agreement (1.0).

    Raises ValueError for sequences of different lengths, empty sequences, or ``None`` labels.
    """
    _check_label_pairs(a, b)
    n = len(a)
    agreements = sum(1 for x, y in zip(a, b, strict=True) if x == y)
    counts_a, counts_b = Counter(a), Counter(b)
    chance = sum(count * counts_b[label] for label, count in counts_a.items())
    # Multiplied through by n**2 so the arithmetic is exact in integers.
    denominator = n * n - chance
    if denominator == 0:
        return math.nan
    return (n * agreements - chance) / denominator


def percent_agreement(a: Sequence[Hashable], b: Sequence[Hashable]) -> float:
    """Share (0 to 1) of items to which two coders gave the same label.

    Not corrected for chance, so it flatters codes that are rarely (or almost always) applied;
    report it next to kappa or alpha, not instead of them. Raises ValueError like
    :func:`cohen_kappa`.
    """
    _check_label_pairs(a, b)
    return sum(1 for x, y in zip(a, b, strict=True) if x == y) / len(a)


# --- input checks -------------------------------------------------------------------------------


def _check_reliability_data(data: Sequence[Sequence[Hashable | None]]) -> None:
    if len(data) < 2:
        raise ValueError(f"reliability data need at least 2 coders, got {len(data)}")
    lengths = {len(coder) for coder in data}
    if len(lengths) > 1:
        raise ValueError(
            "every coder must have one value (or None) per unit; "
            f"got coders with {sorted(lengths)} units"
        )


def _check_label_pairs(a: Sequence[Hashable], b: Sequence[Hashable]) -> None:
    if len(a) != len(b):
        raise ValueError(
            f"the two coders labelled different numbers of items: {len(a)} vs {len(b)}"
        )
    if not a:
        raise ValueError("agreement needs at least one item, got none")
    if any(label is None for label in (*a, *b)):
        raise ValueError(
            "missing labels (None) are not allowed here; krippendorff_alpha handles missing data"
        )


def _is_missing(value: Hashable | None) -> bool:
    # NaN is accepted as missing because data often arrive from spreadsheets or pandas with it.
    return value is None or (isinstance(value, float) and math.isnan(value))


# --- coincidence matrix ---------------------------------------------------------------------------


def _pairable_units(data: Sequence[Sequence[Hashable | None]]) -> list[list[Hashable]]:
    """Values per unit, missing ones removed; units with fewer than two values are dropped."""
    units = ([v for v in values if not _is_missing(v)] for values in zip(*data, strict=True))
    return [unit for unit in units if len(unit) >= 2]


def _coincidences(units: list[list[Hashable]]) -> Coincidences:
    """Krippendorff's coincidence matrix ``o_ck``.

    Every ordered pair of values from different coders within a unit counts ``1 / (m_u - 1)``,
    with ``m_u`` the unit's number of values: each value then contributes exactly 1 in total,
    so units coded by many coders do not outweigh units coded by few.
    """
    matrix: Coincidences = {}
    for unit in units:
        weight = 1.0 / (len(unit) - 1)
        counts = Counter(unit)
        for c, n_c in counts.items():
            for k, n_k in counts.items():
                pairs = n_c * (n_c - 1) if c == k else n_c * n_k
                if pairs:
                    matrix[c, k] = matrix.get((c, k), 0.0) + pairs * weight
    return matrix


def _marginals(coincidences: Coincidences) -> dict[Hashable, float]:
    """``n_c``: how often each value occurs among the pairable values (row sums of ``o_ck``)."""
    totals: dict[Hashable, float] = {}
    for (c, _), count in coincidences.items():
        totals[c] = totals.get(c, 0.0) + count
    return totals


# --- squared difference functions, one factory per level
# Each factory sees the marginals first: the ordinal metric depends on them, and the others use
# them to reject values their level cannot measure before any arithmetic happens.


def _nominal(marginals: Mapping[Hashable, float]) -> DifferenceFunction:
    return lambda c, k: 0.0 if c == k else 1.0


def _ordinal(marginals: Mapping[Hashable, float]) -> DifferenceFunction:
    try:
        ranked = sorted(marginals)  # type: ignore[type-var]
    except TypeError as exc:
        raise ValueError(f"ordinal values must be mutually sortable: {exc}") from None
    # cumulative[i] = n of all values ranked below ranked[i]; then the sum of n_g from c to k
    # minus (n_c + n_k)/2 is the difference of the values' "mid-cumulative" frequencies.
    cumulative = [0.0, *accumulate(marginals[value] for value in ranked)]
    middle = {value: cumulative[i] + marginals[value] / 2 for i, value in enumerate(ranked)}
    return lambda c, k: (middle[c] - middle[k]) ** 2


def _interval(marginals: Mapping[Hashable, float]) -> DifferenceFunction:
    numbers = _as_numbers(marginals, "interval")
    return lambda c, k: (numbers[c] - numbers[k]) ** 2


def _ratio(marginals: Mapping[Hashable, float]) -> DifferenceFunction:
    numbers = _as_numbers(marginals, "ratio")
    negative = sorted(v for v in numbers.values() if v < 0)
    if negative:
        raise ValueError(f"ratio values must be non-negative, got {negative[0]!r}")

    def delta2(c: Hashable, k: Hashable) -> float:
        x, y = numbers[c], numbers[k]
        return 0.0 if x == y else ((x - y) / (x + y)) ** 2

    return delta2


def _as_numbers(marginals: Mapping[Hashable, float], level: str) -> dict[Hashable, float]:
    wrong = [value for value in marginals if not isinstance(value, Real)]
    if wrong:
        raise ValueError(f"{level} values must be real numbers, got {wrong[0]!r}")
    return {value: float(value) for value in marginals}  # type: ignore[arg-type]


_DIFFERENCE_FACTORIES: dict[str, Callable[[Mapping[Hashable, float]], DifferenceFunction]] = {
    "nominal": _nominal,
    "ordinal": _ordinal,
    "interval": _interval,
    "ratio": _ratio,
}


# --- more than two coders, and the uncertainty of alpha ------------------------------------------


def fleiss_kappa(data: Sequence[Sequence[Hashable]]) -> float:
    """Fleiss' (1971) kappa for ``data[coder][unit]``: any number of coders, no missing values.

    ``P_i = (sum_c n_ic**2 - m) / (m (m - 1))`` is the share of agreeing coder pairs in unit
    ``i`` (``m`` coders, ``n_ic`` of them chose ``c``), ``P_e = sum_c p_c**2`` with ``p_c`` the
    share of all values that are ``c``; ``kappa = (mean(P_i) - P_e) / (1 - P_e)``. With two coders
    it differs from :func:`cohen_kappa`, which uses each coder's own label frequencies.

    Returns ``float("nan")`` when ``P_e == 1`` (every value the same). Raises ValueError like
    :func:`cohen_kappa` for fewer than two coders, unequal lengths, no units or ``None`` values.
    """
    _check_reliability_data(data)
    if not data[0]:
        raise ValueError("agreement needs at least one item, got none")
    if any(_is_missing(value) for coder in data for value in coder):
        raise ValueError("missing values are not allowed here; krippendorff_alpha handles them")
    m = len(data)
    units = list(zip(*data, strict=True))
    totals: Counter[Hashable] = Counter()
    observed = 0.0
    for unit in units:
        counts = Counter(unit)
        totals.update(counts)
        observed += (sum(n * n for n in counts.values()) - m) / (m * (m - 1))
    p_o = observed / len(units)
    p_e = sum((n / (m * len(units))) ** 2 for n in totals.values())
    if math.isclose(p_e, 1.0):
        return math.nan
    return (p_o - p_e) / (1 - p_e)


def bootstrap_alpha(
    data: Sequence[Sequence[Hashable | None]],
    *,
    samples: int = 1000,
    seed: int = 0,
    confidence: float = 0.95,
) -> tuple[float, float]:
    """A percentile bootstrap confidence interval for nominal Krippendorff's alpha.

    The units (the columns of ``data[coder][unit]``) with at least two pairable values are drawn
    with replacement, as many as there are, ``samples`` times; alpha is computed on each
    resample and the interval is the ``(1 - confidence) / 2`` and ``(1 + confidence) / 2``
    quantiles of the defined values (linear interpolation). Resampling units keeps each unit's
    values together, so it respects that the values of one unit are not independent.
    Hayes and Krippendorff (2007, "Answering the call for a standard reliability measure for
    coding data", *Communication Methods and Measures* 1(1), 77-89) introduced bootstrapping
    alpha; their KALPHA macro resamples pairs of values within the coincidence matrix instead
    of units, so its intervals can differ somewhat from these.

    The same ``seed`` gives the same interval. Returns ``(nan, nan)`` when alpha is undefined on
    the data or on fewer than half of the resamples (too little variation to say anything).
    Raises ValueError for malformed data, ``samples < 1`` or a confidence outside (0, 1).
    """
    _check_reliability_data(data)
    if samples < 1:
        raise ValueError(f"the bootstrap needs at least one sample, got {samples}")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must lie between 0 and 1, got {confidence}")
    summaries = [_unit_summary(unit) for unit in _pairable_units(data)]
    if not summaries:
        return math.nan, math.nan
    # Units with the same values are interchangeable: resample the kinds of unit by their
    # frequency and weigh each by how often it was drawn (the same draw as resampling units).
    kinds = Counter(summaries)
    distinct = list(kinds)
    cumulative = list(accumulate(kinds.values()))
    if math.isnan(_alpha_of(distinct, kinds.values())):
        return math.nan, math.nan
    rng = random.Random(seed)
    positions = range(len(distinct))
    values = []
    for _ in range(samples):
        drawn = Counter(rng.choices(positions, cum_weights=cumulative, k=len(summaries)))
        alpha = _alpha_of(distinct, [drawn[i] for i in positions])
        if not math.isnan(alpha):
            values.append(alpha)
    values.sort()
    if len(values) * 2 < samples:
        return math.nan, math.nan
    tail = (1 - confidence) / 2
    return _quantile(values, tail), _quantile(values, 1 - tail)


_UnitSummary = tuple[int, float, tuple[tuple[Hashable, int], ...]]


def _unit_summary(unit: list[Hashable]) -> _UnitSummary:
    """A unit's number of values, its off-diagonal coincidence weight and its value counts
    (hashable, so that units with the same values are one kind)."""
    counts = Counter(unit)
    m = len(unit)
    ordered = tuple(sorted(counts.items(), key=repr))
    return m, (m * m - sum(n * n for n in counts.values())) / (m - 1), ordered


def _alpha_of(summaries: Sequence[_UnitSummary], weights: Iterable[int]) -> float:
    """Nominal alpha of units drawn ``weights[i]`` times each: ``1 - (n-1) D / (n² - Σ n_c²)``."""
    n = 0
    disagreement = 0.0
    marginals: Counter[Hashable] = Counter()
    for (m, weight, counts), times in zip(summaries, weights, strict=True):
        if not times:
            continue
        n += m * times
        disagreement += weight * times
        for value, count in counts:
            marginals[value] += count * times
    expected = n * n - sum(count * count for count in marginals.values())
    if expected == 0:
        return math.nan
    return 1.0 - (n - 1) * disagreement / expected


def _quantile(ordered: Sequence[float], q: float) -> float:
    position = q * (len(ordered) - 1)
    below = math.floor(position)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (ordered[above] - ordered[below]) * (position - below)
