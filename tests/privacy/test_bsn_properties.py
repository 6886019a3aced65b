"""Property tests of the BSN rule: any nine digits that pass the 11-proef are found however
they are grouped (none, 4-2-3, 3-3-3, 3-2-2-2 with spaces or dots), and nine digits that fail
it never are (the precision that keeps a row of figures out of the findings)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ol_analysis.privacy import eleven_test, scan_text

GROUPINGS = [(9,), (4, 2, 3), (3, 3, 3), (3, 2, 2, 2)]

nine_digits = st.text(alphabet="0123456789", min_size=9, max_size=9)


def grouped(digits: str, sizes: tuple[int, ...], separator: str) -> str:
    parts, start = [], 0
    for size in sizes:
        parts.append(digits[start : start + size])
        start += size
    return separator.join(parts)


@given(
    digits=nine_digits,
    sizes=st.sampled_from(GROUPINGS),
    separator=st.sampled_from([" ", "."]),
)
def test_found_exactly_when_it_passes_the_eleven_test(
    digits: str, sizes: tuple[int, ...], separator: str
) -> None:
    written = grouped(digits, sizes, separator)
    found = [
        d for d in scan_text("x", f"Cliënt, nummer {written}, belt.") if d.rule == "privacy-bsn"
    ]
    assert len(found) == (1 if eleven_test(digits) else 0)
    if found:
        assert found[0].column == len("Cliënt, nummer ") + 1


@given(digits=nine_digits)
def test_mixed_separators_are_not_one_number(digits: str) -> None:
    written = f"{digits[:3]} {digits[3:6]}.{digits[6:]}"
    assert not [d for d in scan_text("x", written) if d.rule == "privacy-bsn"]
