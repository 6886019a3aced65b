"""The frozen value types the report data is made of (see :mod:`ol_analysis.report.data`).

Plain dataclasses with tuples and read-only mappings, so that templates (and the figure and DOCX
exporters) can read but never change what a build gathered.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ol_analysis.analysis.counts import Count


@dataclass(frozen=True)
class CodeCount:
    """One code of a group or field, its label in the report's language, and its count."""

    id: str
    path: str
    label: str
    count: Count


@dataclass(frozen=True)
class GroupCounts:
    """Every code of a single/multi group (or a coded record field) with its count.

    ``coded`` counts the cases that have any code of the group; ``per_case`` lists each case's
    codes in framework order.
    """

    path: str
    label: str
    kind: str
    codes: tuple[CodeCount, ...]
    coded: Count
    per_case: Mapping[str, tuple[str, ...]]

    @property
    def present(self) -> tuple[CodeCount, ...]:
        """The codes at least one case has, in framework order."""
        return tuple(code for code in self.codes if code.count.n)

    @property
    def ranked(self) -> tuple[CodeCount, ...]:
        """The codes at least one case has, most cases first (framework order within a tie)."""
        return tuple(sorted(self.present, key=lambda code: -code.count.n))

    def code(self, code_id: str) -> CodeCount:
        for code in self.codes:
            if code.id == code_id:
                return code
        raise LookupError(f"'{code_id}' is not a code of {self.path}")


@dataclass(frozen=True)
class CrosstabRow:
    id: str
    label: str
    cells: tuple[Count, ...]
    total: Count


@dataclass(frozen=True)
class Crosstab:
    """Codes of ``path`` (rows) against the values of profile attribute ``by`` (columns).

    A column's ``count`` is the cases with that attribute value; a cell holds the cases that have
    both the row code and the column value.
    """

    path: str
    label: str
    by: str
    by_label: str
    columns: tuple[CodeCount, ...]
    rows: tuple[CrosstabRow, ...]

    @property
    def used_columns(self) -> tuple[int, ...]:
        """Indexes of the columns at least one case falls in (an unused team is left out)."""
        return tuple(i for i, column in enumerate(self.columns) if column.count.n)


@dataclass(frozen=True)
class MatrixRow:
    id: str
    label: str
    cells: tuple[Any, ...]
    total: Count


CASES_ACROSS_A_PAGE = 15
"""The most cases a matrix shows as columns; beyond it, cases are rows (a chart of one counts
them instead of naming them)."""

LINES_DOWN_A_PAGE = 40
"""The most labels a chart lists one under another: a line of 9 pt text takes 0.22 inch, and
an A4 page's text is 9.7 inches high. A chart with more (a case or a partner each) is drawn
as counts instead."""

BARS_DOWN_A_PAGE = 30
"""The most bars a chart draws one under another: a bar with a label of up to two lines takes
a quarter inch, and the axis and legend take the rest of a page. Beyond it, the smallest
share one bar."""


CASES_ON_A_MATRICES_PAGE = 500
"""The most cases one matrices page shows, a row each in every matrix: at 600 cases one page
is 4.4 MB, at 10,000 it would be about 75 MB. More cases are split over ``matrices.html``,
``matrices-2.html``, …"""


@dataclass(frozen=True)
class MatricesPage:
    """One page of the matrices: its file name and the cases it shows, ``order[start:stop]``
    of ``total``, from ``first`` to ``last``."""

    name: str
    start: int
    stop: int
    total: int
    first: str
    last: str

    @property
    def split(self) -> bool:
        """Whether the page shows only some of the cases (the matrices take several pages)."""
        return self.stop - self.start < self.total

    def of(self, rows: Sequence[Any]) -> Sequence[Any]:
        """The rows of this page's cases, of rows that follow the cases' order."""
        return rows[self.start : self.stop]


def matrices_pages(order: tuple[str, ...]) -> tuple[MatricesPage, ...]:
    """The matrices pages of a study whose cases are ``order``; one page holds them all up to
    :data:`CASES_ON_A_MATRICES_PAGE`."""
    size, total = CASES_ON_A_MATRICES_PAGE, len(order)
    pages = []
    for number, start in enumerate(range(0, max(total, 1), size)):
        stop = min(start + size, total)
        name = "matrices.html" if number == 0 else f"matrices-{number + 1}.html"
        first, last = (order[start], order[stop - 1]) if order else ("", "")
        pages.append(MatricesPage(name, start, stop, total, first, last))
    return tuple(pages)


@dataclass(frozen=True)
class CaseCodeMatrix:
    """The case-by-code matrix of a group: ``cells`` follow ``cases`` (``matrix --json``)."""

    path: str
    label: str
    cases: tuple[str, ...]
    rows: tuple[MatrixRow, ...]

    @property
    def wide(self) -> bool:
        """More cases than fit across a page: the matrices page shows it turned, a case a
        row."""
        return len(self.cases) > CASES_ACROSS_A_PAGE

    @property
    def by_case(self) -> tuple[tuple[str, tuple[Any, ...]], ...]:
        """The matrix turned: each case with its cell per row."""
        return _by_case(self.cases, self.rows)


@dataclass(frozen=True)
class StatusRow:
    """One row code of a status matrix: the status per case, cases per status, the count."""

    id: str
    label: str
    cells: tuple[str | None, ...]
    by_status: Mapping[str, Count]
    count: Count


@dataclass(frozen=True)
class StatusMatrix:
    """Row codes × cases with each case's status (the if…then matrix); ``count`` of a row is
    the cases whose status is one of ``counting``, as in ``stats --json``."""

    path: str
    label: str
    cases: tuple[str, ...]
    statuses: tuple[tuple[str, str], ...]
    counting: tuple[str, ...]
    rows: tuple[StatusRow, ...]

    def status_label(self, status: str | None) -> str:
        return dict(self.statuses).get(status or "", "")

    @property
    def wide(self) -> bool:
        """More cases than fit across a page: a chapter shows the matrix turned, one line per
        case (a study of a few hundred cases would otherwise write lines of thousands of
        characters)."""
        return len(self.cases) > CASES_ACROSS_A_PAGE

    @property
    def by_case(self) -> tuple[tuple[str, tuple[str | None, ...]], ...]:
        """The matrix turned: each case with its status per row."""
        return _by_case(self.cases, self.rows)


def _by_case(cases: tuple[str, ...], rows: tuple[Any, ...]) -> tuple[tuple[str, Any], ...]:
    cells = zip(*(row.cells for row in rows), strict=True) if rows else ((),) * len(cases)
    return tuple(zip(cases, cells, strict=True))


@dataclass(frozen=True)
class TallyCode:
    """A code of a record field: how many records carry it and in how many cases."""

    id: str
    path: str
    label: str
    records: int
    count: Count


@dataclass(frozen=True)
class FlagTally:
    """A bool record field: records where it is true, the cases with such a record, and how
    many cases have k such records (``distribution``: (k, cases with exactly k))."""

    records: int
    count: Count
    per_case: Mapping[str, int]
    distribution: tuple[tuple[int, Count], ...]


@dataclass(frozen=True)
class NumberSummary:
    """A number field of a record group over all its records (e.g. monthly costs)."""

    records: int
    total: float
    mean: float
    minimum: float
    maximum: float


@dataclass(frozen=True)
class PairTable:
    """Two code fields of one record group crossed: ``cells[i][j]`` counts records and cases."""

    rows_field: str
    columns_field: str
    rows: tuple[tuple[str, str], ...]
    columns: tuple[tuple[str, str], ...]
    records: tuple[tuple[int, ...], ...]
    cases: tuple[tuple[Count, ...], ...]


@dataclass(frozen=True)
class ItemView:
    """One coded group of one case, as text: ``text`` is the labels or the value."""

    path: str
    label: str
    text: str
    codes: tuple[str, ...] = ()
    inferred: bool = False


@dataclass(frozen=True)
class RecordView:
    """One record of a case: each filled field as (field label, text)."""

    fields: tuple[tuple[str, str], ...]
    inferred: bool = False


@dataclass(frozen=True)
class PartView:
    id: str
    label: str
    items: tuple[ItemView, ...]
    records: Mapping[str, tuple[RecordView, ...]]


@dataclass(frozen=True)
class Moment:
    """One timeline record: ``when``, ``summary`` and its code fields (id → code, id → label)."""

    when: str
    summary: str
    codes: Mapping[str, str]
    labels: Mapping[str, str]


@dataclass(frozen=True)
class CaseView:
    """A case as the report shows it: text, codings per part and its timeline."""

    id: str
    title: str
    summary: str
    status: str
    parts: tuple[PartView, ...]
    timeline: tuple[Moment, ...]
    inferred_items: int


@dataclass(frozen=True)
class FrameworkRow:
    case_id: str
    title: str
    cells: tuple[str, ...]


@dataclass(frozen=True)
class FrameworkMatrix:
    """Cases × parts; each cell a short summary of the case's codings in that part."""

    order_by: str | None
    parts: tuple[tuple[str, str], ...]
    rows: tuple[FrameworkRow, ...]


@dataclass(frozen=True)
class RecordSummary:
    """Tallies of one record group across the cases.

    ``count``: cases with at least one record; ``per_case``: records per case (0 included);
    ``fields``: per code field, each code's records and cases; ``flags``: per bool field;
    ``where``: per bool field, the code fields tallied over the records where it is true (the
    disciplines of the casemanagers); ``pairs``: two code fields crossed (category × valence);
    ``numbers``: per number field over all records.
    """

    path: str
    label: str
    count: Count
    records: int
    per_case: Mapping[str, int]
    minimum: int
    maximum: int
    mean: float
    fields: Mapping[str, tuple[TallyCode, ...]]
    flags: Mapping[str, FlagTally]
    where: Mapping[str, Mapping[str, tuple[TallyCode, ...]]]
    pairs: Mapping[tuple[str, str], PairTable]
    numbers: Mapping[str, NumberSummary]

    def field(self, field_id: str) -> tuple[TallyCode, ...]:
        if field_id not in self.fields:
            raise LookupError(f"'{field_id}' is not a code field of {self.path}")
        return self.fields[field_id]

    def flag(self, field_id: str) -> FlagTally:
        if field_id not in self.flags:
            raise LookupError(f"'{field_id}' is not a bool field of {self.path}")
        return self.flags[field_id]

    def where_true(self, flag: str, field_id: str) -> tuple[TallyCode, ...]:
        if flag not in self.where or field_id not in self.where[flag]:
            raise LookupError(f"no tally of '{field_id}' where '{flag}' in {self.path}")
        return self.where[flag][field_id]

    def pair(self, rows_field: str, columns_field: str) -> PairTable:
        if (rows_field, columns_field) not in self.pairs:
            raise LookupError(f"no table of '{rows_field}' × '{columns_field}' in {self.path}")
        return self.pairs[(rows_field, columns_field)]
