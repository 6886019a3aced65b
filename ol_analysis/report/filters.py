"""Jinja filters for the report's prose: numbers in words, plurals, euro amounts, and counts that
always name the cases behind them ("5 van 11 casussen (c01, c04, …)").

Every filter takes the language it writes in; :func:`ol_analysis.report.render.make_env` binds it.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from babel.dates import format_date
from babel.numbers import format_currency, format_decimal, format_percent
from markupsafe import Markup, escape
from num2words import num2words

from ol_analysis.analysis.counts import Count

LOCALES = {"nl": "nl_NL", "en": "en_GB"}

IDS_INLINE_MAX = 12
"""Running text names at most this many cases in brackets; a longer list becomes a footnote
(Markdown, DOCX) so that "210 van 330 casussen" does not fill pages. HTML keeps the links."""

STRINGS: dict[str, dict[str, str]] = {
    "nl": {
        "case": "casus",
        "cases": "casussen",
        "of": "van",
        "of_the": "van de",
        "and": "en",
        "none": "geen",
        "contents": "Inhoud",
        "chapters": "Hoofdstukken",
        "cases_title": "Casussen",
        "matrices": "Matrices",
        "framework_matrix": "Kadermatrix (casussen × onderdelen)",
        "ordered_by": "geordend op",
        "case_code_matrices": "Casus × code-matrices",
        "total": "totaal",
        "summary": "Samenvatting",
        "timeline": "Sleutelmomenten in de tijd",
        "network": "Netwerk rond de cliënt",
        "figure_missing": "(nog geen figuur)",
        "codings": "Coderingen",
        "inferred": "afgeleid",
        "status": "status",
        "title": "titel",
        "case_id": "casus",
        "not_coded": "niet gecodeerd",
        "professionals": "hulpverleners",
        "relatives": "naasten",
        "partners": "netwerkpartners",
        "coordination": "afstemmingslijnen",
        "back": "terug naar de inhoud",
        "agreement_title": "Overeenstemming en beslissingen per ronde",
        "agreement_intro": "Per ronde: de overeenstemming tussen de coderingen toen de ronde "
        "begon (Krippendorffs alfa, nominaal, met een 95%-bootstrapinterval) en hoe de "
        "verschillen zijn beslecht (het beslissingslogboek, adjudication.yaml).",
        "round": "ronde",
        "date": "datum",
        "coders": "coderingen",
        "units": "eenheden",
        "agreement": "overeenstemming",
        "differences": "verschillen",
        "decided": "beslist",
        "other_value": "anders dan beide",
        "not_decided": "niet beslist",
    },
    "en": {
        "case": "case",
        "cases": "cases",
        "of": "of",
        "of_the": "of the",
        "and": "and",
        "none": "no",
        "contents": "Contents",
        "chapters": "Chapters",
        "cases_title": "Cases",
        "matrices": "Matrices",
        "framework_matrix": "Framework matrix (cases × parts)",
        "ordered_by": "ordered by",
        "case_code_matrices": "Case × code matrices",
        "total": "total",
        "summary": "Summary",
        "timeline": "Key moments over time",
        "network": "Network around the client",
        "figure_missing": "(no figure yet)",
        "codings": "Codings",
        "inferred": "inferred",
        "status": "status",
        "title": "title",
        "case_id": "case",
        "not_coded": "not coded",
        "professionals": "professionals",
        "relatives": "relatives",
        "partners": "network partners",
        "coordination": "coordination links",
        "back": "back to the contents",
        "agreement_title": "Agreement and adjudication per round",
        "agreement_intro": "Per round: the agreement between the codings when the round began "
        "(Krippendorff's alpha, nominal, with a 95% bootstrap interval) and how their "
        "disagreements were settled (the adjudication log, adjudication.yaml).",
        "round": "round",
        "date": "date",
        "coders": "codings",
        "units": "units",
        "agreement": "agreement",
        "differences": "disagreements",
        "decided": "decided",
        "other_value": "another value",
        "not_decided": "not decided",
    },
}

_APPROX_NL = {
    2: "tweetal",
    3: "drietal",
    4: "viertal",
    5: "vijftal",
    6: "zestal",
    7: "zevental",
    8: "achttal",
    9: "negental",
    10: "tiental",
    12: "twaalftal",
}


def text(lang: str, key: str) -> str:
    return STRINGS[lang][key]


@dataclass
class Output:
    """How counts are written in the document being rendered, and what it collected.

    ``md``: ids in brackets, or as footnotes when ``footnotes``; ``page``: HTML links to the
    case pages, for the HTML templates; ``html``: the same links in Markdown that is converted to
    HTML afterwards — as placeholders that :meth:`fill` replaces once converted, because a big
    study's thousands of links would otherwise dominate the Markdown parser's time.
    ``counts`` records every count that was written, so tests can hold the chapters to
    ``stats --json``. ``max_ids``: in Markdown, a count of more cases than this names them in a
    footnote instead of in brackets (None: always in brackets unless ``footnotes``).
    """

    kind: Literal["md", "html", "page"] = "md"
    footnotes: bool = False
    case_href: str = "cases/{id}.html"
    notes: list[str] = field(default_factory=list)
    counts: list[Count] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    nonce: str = field(default_factory=lambda: secrets.token_hex(6))
    max_ids: int | None = IDS_INLINE_MAX
    _case_links: dict[str, str] = field(default_factory=dict, init=False, repr=False, compare=False)

    def _placeholder(self, html: str) -> str:
        self.links.append(html)
        return f"OLREF{self.nonce}N{len(self.links) - 1}E"

    def fill(self, html: str) -> str:
        """Put the links in place of their placeholders in the converted HTML."""
        pattern = re.compile(f"OLREF{self.nonce}N(\\d+)E")
        return pattern.sub(lambda match: self.links[int(match[1])], html)

    def _link(self, case_id: str) -> str:
        """A case's link, escaped as ``Markup.format`` would, made once per document: a big
        study's counts name the same cases thousands of times."""
        link = self._case_links.get(case_id)
        if link is None:
            href = escape(self.case_href.format(id=case_id))
            link = self._case_links[case_id] = f'<a href="{href}">{escape(case_id)}</a>'
        return link

    def _links(self, count: Count) -> Markup:
        return Markup(", ".join(map(self._link, count.cases)))

    def ids(self, count: Count) -> str:
        self.counts.append(count)
        if not count.n:
            return ""
        if self.kind == "page":
            return Markup(" (") + self._links(count) + Markup(")")
        if self.kind == "html":
            return " (" + self._placeholder(self._links(count)) + ")"
        if self.footnotes or self.too_many(count):
            self.notes.append(", ".join(count.cases))
            return f"[^{len(self.notes)}]"
        return f" ({', '.join(count.cases)})"

    def too_many(self, count: Count) -> bool:
        """Whether running text leaves this count's case ids to a footnote (see ``max_ids``)."""
        return self.max_ids is not None and count.n > self.max_ids

    def listing(self, count: Count) -> str:
        """The cases alone, for a table column: "c01, c04", links, or a footnote mark."""
        self.counts.append(count)
        if not count.n:
            return "—"
        if self.kind == "page":
            return self._links(count)
        if self.kind == "html":
            return self._placeholder(self._links(count))
        if self.footnotes:
            self.notes.append(", ".join(count.cases))
            return f"[^{len(self.notes)}]"
        return ", ".join(count.cases)

    def footnote_block(self) -> str:
        if not self.notes:
            return ""
        return "\n" + "".join(f"[^{i}]: {note}\n" for i, note in enumerate(self.notes, 1))


def words(n: Any, lang: str) -> str:
    """A number in words: ``5`` → "vijf" / "five"; a mean is rounded first (3.9 → "vier")."""
    return str(num2words(round(float(n)), lang=lang))


def month(value: Any, lang: str) -> str:
    """A month written ``YYYY-MM`` (as study.yaml holds periods) in words: "oktober 2018"."""
    year, number_ = str(value).split("-")[:2]
    name = format_date(date(int(year), int(number_), 1), "LLLL", locale=LOCALES[lang])
    return f"{name} {year}"


def years(value: Any, lang: str) -> str:
    """A length of time in years as the report writes it: 1.5 → "anderhalf jaar" / "a year and
    a half", 2.5 → "tweeënhalf jaar" / "two and a half years", 3 → "drie jaar"."""
    amount = float(value)
    whole, half = int(amount), amount - int(amount) == 0.5
    if lang == "nl":
        if half:
            if whole <= 1:
                return "een half jaar" if whole == 0 else "anderhalf jaar"
            number = words(whole, lang)
            return f"{number}{'ënhalf' if number.endswith('e') else 'enhalf'} jaar"
        return f"{words(amount, lang)} jaar"
    if half:
        if whole <= 1:
            return "half a year" if whole == 0 else "a year and a half"
        return f"{words(whole, lang)} and a half years"
    return f"{words(amount, lang)} {'year' if round(amount) == 1 else 'years'}"


def approx(n: Any, lang: str) -> str:
    """An approximate amount before a noun: 2 → "een tweetal" / "a couple of"."""
    n = int(n)
    if lang == "nl":
        if n == 0:
            return "geen"
        if n == 1:
            return "één"
        return f"een {_APPROX_NL[n]}" if n in _APPROX_NL else f"een stuk of {words(n, lang)}"
    if n == 0:
        return "no"
    if n == 1:
        return "one"
    return "a couple of" if n == 2 else f"some {words(n, lang)}"


def plural(n: Any, one: str, many: str) -> str:
    return one if int(n) == 1 else many


def cases_noun(n: Any, lang: str) -> str:
    """ "casus"/"casussen", "case"/"cases"."""
    return plural(n, text(lang, "case"), text(lang, "cases"))


def euro(amount: Any, digits: int = 2, spaced: bool = True, *, lang: str) -> str:
    """Euros in the language's format: ``1234.56`` → "€ 1.234,56" (nl), "€1,234.56" (en);
    ``spaced=False`` writes the Dutch sign tight to the amount ("€1.292"), as prose often does."""
    pattern = "¤ #,##0" if lang == "nl" and spaced else "¤#,##0"
    if digits:
        pattern += "." + "0" * digits
    return str(
        format_currency(amount, "EUR", format=pattern, locale=LOCALES[lang], currency_digits=False)
    )


def number(value: Any, digits: int = 1, *, lang: str) -> str:
    """A number with at most ``digits`` decimals, in the language's format (3,4 / 3.4)."""
    pattern = "#,##0" + ("." + "#" * digits if digits else "")
    return str(format_decimal(value, format=pattern, locale=LOCALES[lang]))


def percent(count: Count, lang: str) -> str:
    return str(format_percent(count.share, locale=LOCALES[lang]))


def percentage(fraction: Any, digits: int = 1, *, lang: str) -> str:
    """A share given as a fraction, as a percentage: ``0.875`` → "87,5%" / "87.5%"."""
    return number(float(fraction) * 100, digits, lang=lang) + "%"


def join_and(items: Iterable[Any], lang: str) -> str:
    """ "a, b en c" / "a, b and c"."""
    parts = [str(item) for item in items]
    if len(parts) < 2:
        return "".join(parts)
    return f"{', '.join(parts[:-1])} {text(lang, 'and')} {parts[-1]}"


def count_phrase(count: Count, output: Output, lang: str, style: str = "digits") -> str:
    """ "k van N casussen (ids)"; ``style="words"``: "vijf van de elf casussen (ids)"."""
    if not isinstance(count, Count):
        raise TypeError(f"the 'cases' filter needs a count, not {type(count).__name__}")
    noun = cases_noun(count.total, lang)
    if style == "words":
        head = f"{words(count.n, lang)} {text(lang, 'of_the')} {words(count.total, lang)}"
    else:
        head = f"{count.n} {text(lang, 'of')} {count.total}"
    tail = f", {inferred_phrase(count, lang)}" if count.inferred else ""
    if output.kind == "page":
        return escape(f"{head} {noun}{tail}") + output.ids(count)
    return f"{head} {noun}{tail}{output.ids(count)}"


def inferred_phrase(count: Count, lang: str) -> str:
    """How many of a count's cases rest on an inferred coding: "waarvan 4 afgeleid" /
    "4 of them inferred"; empty when none does."""
    if not count.inferred:
        return ""
    if lang == "nl":
        return f"waarvan {count.n_inferred} {text(lang, 'inferred')}"
    return f"{count.n_inferred} of them {text(lang, 'inferred')}"


_NESTED_IDS = re.compile(r"\(([^()\n]*?) \(([\w.-]+(?:, [\w.-]+)*)\)\)")


def unnest_ids(markdown: str) -> str:
    """A list of case ids at the end of a parenthesis joins it with a colon: "(bij 9 casussen
    (c01, c02))" → "(bij 9 casussen: c01, c02)", as a report writes it."""
    return _NESTED_IDS.sub(r"(\1: \2)", markdown)


def capfirst(value: Any) -> str:
    """Upper-case the first letter only (Jinja's ``capitalize`` lowers the rest)."""
    value = str(value)
    return value[:1].upper() + value[1:]


def md_cell(value: Any) -> str:
    """Text made safe for a Markdown table cell (no pipes, no line breaks)."""
    return " ".join(str(value).split()).replace("|", "\\|")
