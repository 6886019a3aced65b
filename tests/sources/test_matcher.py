"""The quote matcher: what it forgives (whitespace, quote marks, dashes, hyphenation, ellipses),
what it does not (other words, capitals), offsets in code points, and ambiguity."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ol_analysis.core.sources import closest_passage, find_quote, normalise


def located(quote: str, text: str) -> str | None:
    match = find_quote(quote, normalise(text))
    return None if match is None else text[match.start : match.end]


def test_whitespace_and_line_ends_are_one_space() -> None:
    text = "Hij zei:\n  dat het\tgoed   ging.\nEinde."
    assert located("dat het goed ging.", text) == "dat het\tgoed   ging."
    assert located("Hij zei: dat", text) == "Hij zei:\n  dat"


def test_curly_angled_and_low_quote_marks_match_straight_ones() -> None:
    text = "Ze zei: „vanwege de privacy” en ‘niks’ en «echt»."
    assert located('Ze zei: "vanwege de privacy" en \'niks\' en "echt".', text) == text
    assert located("“echt”", text) == "«echt»"


def test_dashes_are_alike() -> None:
    text = "wat moet nu – wat kan wachten — wat kan weg"
    assert located("wat moet nu - wat kan wachten - wat kan weg", text) == text


def test_hyphenation_at_a_line_end_joins_the_word() -> None:
    text = "met de schuld-\nhulpverlening gebeld"
    assert located("de schuldhulpverlening gebeld", text) == "de schuld-\nhulpverlening gebeld"


def test_a_compound_broken_at_its_hyphen_matches_the_hyphenated_word() -> None:
    text = "een VNN-\nmedewerker uit OL"
    assert located("een VNN-medewerker uit OL", text) == text


def test_a_soft_hyphen_is_invisible() -> None:
    assert located("opname", "geen op\u00adname nodig") == "op\u00adname"


def test_an_ellipsis_stands_for_omitted_text() -> None:
    text = "Ik wilde eerst rust in mijn hoofd, en pas daarna aan de schulden. Dat mocht."
    for quote in (
        "Ik wilde eerst rust … Dat mocht.",
        "Ik wilde eerst rust ... Dat mocht.",
        "Ik wilde eerst rust […] Dat mocht.",
        "…pas daarna aan de schulden",
    ):
        found = located(quote, text)
        assert found is not None, quote
        assert found.endswith(("Dat mocht.", "schulden")), found
    assert located("…pas daarna aan de schulden", text) == "pas daarna aan de schulden"


def test_an_ellipsis_keeps_the_order_of_its_pieces() -> None:
    assert located("Dat mocht. … Ik wilde", "Ik wilde rust. Dat mocht.") is None


def test_another_word_or_other_capitals_are_not_forgiven() -> None:
    text = "Samen hebben we die doos met post opengemaakt."
    assert located("Samen hebben we die doos met post geopend.", text) is None
    assert located("samen hebben we", text) is None


def test_offsets_are_code_points_end_exclusive() -> None:
    text = "é😀 “Cliënt” zegt ja"
    match = find_quote('"Cliënt" zegt', normalise(text))
    assert match is not None
    assert (match.start, match.end) == (3, 16)
    assert text[match.start : match.end] == "“Cliënt” zegt"


def test_a_quote_found_twice_counts_its_places() -> None:
    text = "Het ging goed. Toen niet. Het ging goed."
    match = find_quote("Het ging goed.", normalise(text))
    assert match is not None and match.occurrences == 2 and match.start == 0
    unique = find_quote("Toen niet. Het ging goed.", normalise(text))
    assert unique is not None and unique.occurrences == 1


def test_the_closest_passage_of_a_changed_quote() -> None:
    text = "Eerst iets anders.\nSamen hebben we die doos met post opengemaakt.\nDaarna koffie."
    closest = closest_passage("Samen hebben we die doos met brieven opengemaakt.", normalise(text))
    assert closest is not None and closest.score > 80
    assert "doos met post" in text[closest.start : closest.end]
    assert text.count("\n", 0, closest.start) == 1


WORDS = st.sampled_from(["zorg", "cliënt", "team", "rust", "ja", "één", "over-leg", "„zo”"])
GAPS = st.sampled_from([" ", "\n", "  ", "\t", " \n "])


@given(st.lists(st.tuples(WORDS, GAPS), min_size=1, max_size=30), st.data())
def test_any_run_of_whole_words_is_found_where_it_is(
    words: list[tuple[str, str]], data: st.DataObject
) -> None:
    text = "".join(word + gap for word, gap in words)
    starts = [0]
    for word, gap in words:
        starts.append(starts[-1] + len(word) + len(gap))
    first = data.draw(st.integers(0, len(words) - 1))
    last = data.draw(st.integers(first, len(words) - 1))
    start, end = starts[first], starts[last] + len(words[last][0])
    quote = " ".join(word for word, _gap in words[first : last + 1])
    match = find_quote(quote, normalise(text))
    assert match is not None
    found = normalise(text[match.start : match.end]).text
    assert found == normalise(text[start:end]).text


def test_a_line_end_hyphen_kept_as_hyphen_space_in_a_quote() -> None:
    text = "digitaal (1x) of face-\nto-face (10x) plaats"
    assert located("digitaal (1x) of face- to-face (10x) plaats", text) == text
    assert located("of face-to-face (10x)", text) == "of face-\nto-face (10x)"
    assert located("2018- 2021", "van 2018- 2021") == "2018- 2021"
