"""Invariants of the crisp-set minimisation on random data (hypothesis)."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ol_analysis.analysis.qca import Analysis, analyse, covers, prime_implicants
from ol_analysis.errors import UsageError

Data = tuple[dict[str, tuple[int, ...]], dict[str, int], list[str]]
"""Memberships per case, the outcome per case, and the condition names."""


@st.composite
def crisp_data(draw: st.DrawFn) -> Data:
    n_conditions = draw(st.integers(1, 4))
    n_cases = draw(st.integers(1, 12))
    memberships = {
        f"c{i:02d}": tuple(
            draw(st.lists(st.integers(0, 1), min_size=n_conditions, max_size=n_conditions))
        )
        for i in range(n_cases)
    }
    outcome = {case: draw(st.integers(0, 1)) for case in memberships}
    return memberships, outcome, [f"X{i}" for i in range(n_conditions)]


def run(data: Data) -> Analysis:
    memberships, outcome, names = data
    return analyse(memberships, outcome, names, leave_one_out=False)


def positive_configurations(analysis: Analysis) -> list[tuple[int, ...]]:
    return [row.configuration for row in analysis.rows if row.outcome == 1]


def negative_configurations(analysis: Analysis) -> list[tuple[int, ...]]:
    return [row.configuration for row in analysis.rows if row.outcome == 0]


@settings(max_examples=150, deadline=None)
@given(crisp_data())
def test_every_solution_covers_every_positive_configuration(data: Data) -> None:
    analysis = run(data)
    positive = positive_configurations(analysis)
    for solution in (*analysis.conservative, *analysis.parsimonious):
        for configuration in positive:
            assert any(covers(t.term, configuration) for t in solution.terms)
    assert bool(analysis.conservative) == bool(positive)


@settings(max_examples=150, deadline=None)
@given(crisp_data())
def test_no_solution_covers_a_negative_configuration(data: Data) -> None:
    analysis = run(data)
    for solution in (*analysis.conservative, *analysis.parsimonious):
        for configuration in negative_configurations(analysis):
            assert not any(covers(t.term, configuration) for t in solution.terms)
        # at the default cut-off of 1, every term is fully consistent
        assert all(t.consistency == 1.0 for t in solution.terms)


@settings(max_examples=150, deadline=None)
@given(crisp_data())
def test_the_conservative_solution_uses_no_remainder(data: Data) -> None:
    analysis = run(data)
    for solution in analysis.conservative:
        for remainder in analysis.remainders:
            assert not any(covers(t.term, remainder) for t in solution.terms)


@settings(max_examples=150, deadline=None)
@given(crisp_data())
def test_each_conservative_term_implies_a_parsimonious_implicant(data: Data) -> None:
    """The parsimonious solution is a superset: every configuration a conservative term covers
    lies in a prime implicant of the positive configurations and the remainders."""
    analysis = run(data)
    pool = [*positive_configurations(analysis), *analysis.remainders]
    primes = prime_implicants(pool)
    names = len(analysis.conditions)
    for solution in analysis.conservative:
        for term_fit in solution.terms:
            inside = [
                c for c in itertools.product((0, 1), repeat=names) if covers(term_fit.term, c)
            ]
            assert any(all(covers(p, c) for c in inside) for p in primes)
    for solution in analysis.parsimonious:
        assert {t.term for t in solution.terms} <= primes


@settings(max_examples=150, deadline=None)
@given(crisp_data())
def test_solutions_are_irredundant_and_equally_short(data: Data) -> None:
    analysis = run(data)
    positive = positive_configurations(analysis)
    for solutions in (analysis.conservative, analysis.parsimonious):
        assert len({len(s.terms) for s in solutions}) <= 1
        for solution in solutions:
            for left_out in solution.terms:
                rest = [t.term for t in solution.terms if t is not left_out]
                assert not all(any(covers(t, c) for t in rest) for c in positive)


@settings(max_examples=150, deadline=None)
@given(crisp_data())
def test_coverage_and_necessity_follow_their_definitions(data: Data) -> None:
    memberships, outcome, _names = data
    analysis = run(data)
    positives = [c for c in memberships if outcome[c]]
    in_positive_rows = sum(len(row.positive) for row in analysis.rows if row.outcome == 1)
    for solution in analysis.conservative:
        assert solution.coverage == in_positive_rows / len(positives)
        for term_fit in solution.terms:
            assert term_fit.unique_coverage is not None and term_fit.raw_coverage is not None
            assert 0 <= term_fit.unique_coverage <= term_fit.raw_coverage <= 1
    for plain, negated in zip(analysis.necessity[::2], analysis.necessity[1::2], strict=True):
        if positives:
            assert plain.consistency is not None and negated.consistency is not None
            assert abs(plain.consistency + negated.consistency - 1) < 1e-9
        else:
            assert plain.consistency is None


def test_a_cyclic_chart_lists_both_minimal_models() -> None:
    """f = Σm(0, 1, 2, 5, 6, 7) over A, B, C (A the most significant) is the textbook cyclic
    prime implicant chart: six prime implicants, two minimal covers of three terms each."""
    configurations = [tuple(int(b) for b in f"{m:03b}") for m in range(8)]
    memberships = {f"m{i}": c for i, c in enumerate(configurations)}
    outcome = {f"m{i}": int(i in (0, 1, 2, 5, 6, 7)) for i in range(8)}
    analysis = analyse(memberships, outcome, ["A", "B", "C"], leave_one_out=False)
    found = {frozenset(t.expression for t in s.terms) for s in analysis.conservative}
    assert found == {
        frozenset({"~A*~B", "B*~C", "A*C"}),
        frozenset({"~A*~C", "~B*C", "A*B"}),
    }
    positive = [c for i, c in enumerate(configurations) if outcome[f"m{i}"]]
    assert len(prime_implicants(positive)) == 6


def test_a_chart_too_large_to_solve_is_a_usage_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import ol_analysis.analysis.qca as qca_module

    monkeypatch.setattr(qca_module, "MAX_STEPS", 3)
    configurations = [tuple(int(b) for b in f"{m:03b}") for m in range(8)]
    memberships = {f"m{i}": c for i, c in enumerate(configurations)}
    outcome = {f"m{i}": int(i in (0, 1, 2, 5, 6, 7)) for i in range(8)}
    with pytest.raises(UsageError, match="too large to solve exactly"):
        analyse(memberships, outcome, ["A", "B", "C"], leave_one_out=False)
