"""The coverage of the claims corpus (test_claims.py), printed at the end of a run."""

from __future__ import annotations

from collections import Counter

import pytest

COVERAGE_KEY = pytest.StashKey[Counter[str]]()


@pytest.fixture
def claims_coverage(request: pytest.FixtureRequest) -> Counter[str]:
    return request.config.stash.setdefault(COVERAGE_KEY, Counter())


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    coverage = terminalreporter.config.stash.get(COVERAGE_KEY, None)
    if not coverage:
        return
    total, carried = coverage["corpus"], coverage["carried"]
    terminalreporter.write_line(
        f"claims corpus: {total} published figures and claims; {carried} carried by the data "
        f"({total - carried} not, each with its reason); {coverage['reproduced']} of {carried} "
        f"reproduced by their query; {coverage['stated']} of {carried} stated in the chapters"
    )
