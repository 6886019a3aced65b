"""The crisp-set QCA against a published example with known solutions: Lipset's indicators for
the survival of democracy in inter-war Europe, 18 countries, in the binary crisp calibration.

Source of the data and of every expected figure below:

- the data set ``LC`` of Adrian Dușa's R package QCA (``data(LC)``; documented in the package
  as "taken from Lipset (1959), as used by Rihoux and De Meur (2009), Cronqvist and
  Berg-Schlosser (2009) and Ragin (2009)", i.e. the chapters of Rihoux & Ragin (eds.),
  *Configurational Comparative Methods*, Sage 2009): conditions DEV (development), URB
  (urbanisation), LIT (literacy), IND (industrialisation), STB (government stability), outcome
  SURV (survival of democracy);
- the package's own regression snapshots of ``truthTable(LC)`` and ``minimize(...)``, file
  ``tests/testthat/_snaps/minimize.md`` of github.com/dusadrian/QCA (commit ee9fd13d8e49):
  the truth table ``ttLC``; the conservative solution ``DEV*~URB*LIT*STB + DEV*LIT*IND*STB``
  (inclS 1.000, covS 0.500 / 0.750, covU 0.250 / 0.500, model 1.000 / 1.000); the
  parsimonious ``DEV*STB`` (1.000 / 1.000) with its simplifying assumptions (truth-table rows
  18, 20, 26, 28, 30); and for the negated outcome the conservative
  ``~DEV*~URB*~IND + DEV*LIT*IND*~STB`` and the parsimonious ``~DEV + ~STB`` (covS 0.800 /
  0.700, covU 0.300 / 0.200).
"""

from __future__ import annotations

import pytest

from ol_analysis.analysis.qca import Analysis, Solution, analyse

CONDITIONS = ("DEV", "URB", "LIT", "IND", "STB")

# country: DEV URB LIT IND STB SURV (QCA's LC data)
LC = {
    "AU": (1, 0, 1, 1, 0, 0),
    "BE": (1, 1, 1, 1, 1, 1),
    "CZ": (1, 1, 1, 1, 1, 1),
    "EE": (0, 0, 1, 0, 1, 0),
    "FI": (1, 0, 1, 0, 1, 1),
    "FR": (1, 0, 1, 1, 1, 1),
    "DE": (1, 1, 1, 1, 0, 0),
    "GR": (0, 0, 0, 0, 0, 0),
    "HU": (0, 0, 1, 0, 0, 0),
    "IE": (1, 0, 1, 0, 1, 1),
    "IT": (0, 0, 0, 0, 1, 0),
    "NL": (1, 1, 1, 1, 1, 1),
    "PL": (0, 0, 1, 0, 0, 0),
    "PT": (0, 0, 0, 0, 0, 0),
    "RO": (0, 0, 0, 0, 1, 0),
    "ES": (0, 0, 0, 0, 0, 0),
    "SE": (1, 0, 1, 1, 1, 1),
    "UK": (1, 1, 1, 1, 1, 1),
}
MEMBERSHIPS = {country: row[:5] for country, row in LC.items()}
SURV = {country: row[5] for country, row in LC.items()}
NOT_SURV = {country: 1 - value for country, value in SURV.items()}


def row_number(configuration: tuple[int, ...]) -> int:
    """R's QCA numbers truth-table rows from 1, reading the configuration as a binary number."""
    return int("".join(map(str, configuration)), 2) + 1


@pytest.fixture(scope="module")
def surv() -> Analysis:
    return analyse(MEMBERSHIPS, SURV, CONDITIONS)


@pytest.fixture(scope="module")
def not_surv() -> Analysis:
    return analyse(MEMBERSHIPS, NOT_SURV, CONDITIONS)


def only(solutions: tuple[Solution, ...]) -> Solution:
    assert len(solutions) == 1, [s.expression for s in solutions]
    return solutions[0]


def fits(solution: Solution) -> dict[str, tuple[float | None, float | None, float | None]]:
    return {
        t.expression: (t.consistency, t.raw_coverage, t.unique_coverage) for t in solution.terms
    }


def test_the_truth_table_is_ttLC(surv: Analysis) -> None:
    # ttLC: rows 32, 22, 24 with OUT 1 (n 4, 2, 2); rows 1, 2, 5, 6, 23, 31 with OUT 0
    # (n 3, 2, 2, 1, 1, 1); every incl is 1.000 or 0.000.
    table = {row_number(r.configuration): (r.outcome, r.n, r.consistency) for r in surv.rows}
    assert table == {
        32: (1, 4, 1.0),
        22: (1, 2, 1.0),
        24: (1, 2, 1.0),
        1: (0, 3, 0.0),
        2: (0, 2, 0.0),
        5: (0, 2, 0.0),
        6: (0, 1, 0.0),
        23: (0, 1, 0.0),
        31: (0, 1, 0.0),
    }
    assert surv.contradictions == ()
    assert len(surv.remainders) == 32 - 9


def test_the_cases_of_each_row_are_those_of_the_snapshot(surv: Analysis) -> None:
    cases = {row_number(r.configuration): set(r.cases) for r in surv.rows}
    assert cases[32] == {"BE", "CZ", "NL", "UK"}
    assert cases[22] == {"FI", "IE"}
    assert cases[24] == {"FR", "SE"}


def test_the_conservative_solution_of_surv(surv: Analysis) -> None:
    solution = only(surv.conservative)
    assert solution.expression == "DEV*~URB*LIT*STB + DEV*LIT*IND*STB"
    assert fits(solution) == {
        "DEV*~URB*LIT*STB": (1.0, 0.5, 0.25),
        "DEV*LIT*IND*STB": (1.0, 0.75, 0.5),
    }
    assert (solution.consistency, solution.coverage) == (1.0, 1.0)
    cases = {t.expression: set(t.cases) for t in solution.terms}
    assert cases["DEV*~URB*LIT*STB"] == {"FI", "IE", "FR", "SE"}
    assert cases["DEV*LIT*IND*STB"] == {"FR", "SE", "BE", "CZ", "NL", "UK"}


def test_the_parsimonious_solution_of_surv(surv: Analysis) -> None:
    solution = only(surv.parsimonious)
    assert solution.expression == "DEV*STB"
    assert fits(solution)["DEV*STB"][:2] == (1.0, 1.0)
    assert (solution.consistency, solution.coverage) == (1.0, 1.0)
    # pLC$SA: the remainders the parsimonious solution assumes to show the outcome
    assert sorted(row_number(r) for r in solution.remainders_used) == [18, 20, 26, 28, 30]


def test_the_conservative_solution_of_the_negated_outcome(not_surv: Analysis) -> None:
    solution = only(not_surv.conservative)
    assert solution.expression == "~DEV*~URB*~IND + DEV*LIT*IND*~STB"
    assert (solution.consistency, solution.coverage) == (1.0, 1.0)


def test_the_parsimonious_solution_of_the_negated_outcome(not_surv: Analysis) -> None:
    solution = only(not_surv.parsimonious)
    assert solution.expression == "~DEV + ~STB"
    assert fits(solution) == {"~DEV": (1.0, 0.8, 0.3), "~STB": (1.0, 0.7, 0.2)}
    assert (solution.consistency, solution.coverage) == (1.0, 1.0)
    cases = {t.expression: set(t.cases) for t in solution.terms}
    assert cases["~DEV"] == {"GR", "PT", "ES", "IT", "RO", "HU", "PL", "EE"}
    assert cases["~STB"] == {"GR", "PT", "ES", "HU", "PL", "AU", "DE"}


def test_necessity_follows_its_definition(surv: Analysis) -> None:
    # Every surviving democracy is developed (8 of 8), and 8 of the 10 developed countries
    # survived; half of the survivors are urbanised (BE, CZ, NL, UK), 4 of 5 urbanised ones;
    # every survivor is stable, and 8 of the 11 stable countries survived.
    found = {n.expression: (n.consistency, n.coverage) for n in surv.necessity}
    assert found["DEV"] == (1.0, 0.8)
    assert found["~DEV"] == (0.0, 0.0)
    assert found["URB"] == (0.5, 0.8)
    assert found["STB"] == (1.0, 8 / 11)


def test_leave_one_case_out_finds_the_single_case_terms(not_surv: Analysis) -> None:
    # DEV*LIT*IND*~STB rests on AU and DE alone (rows 23 and 31): without either, the term
    # changes; ~DEV*~URB*~IND needs Estonia, the only case of row 6 (without it, row 6 is a
    # remainder and the conservative solution no longer merges rows 5 and 6 into it).
    depends = {t.expression: set(t.depends_on) for t in only(not_surv.conservative).terms}
    assert depends == {"~DEV*~URB*~IND": {"EE"}, "DEV*LIT*IND*~STB": {"AU", "DE"}}
    # the parsimonious terms survive leaving out any single country
    assert all(not t.depends_on for t in only(not_surv.parsimonious).terms)
