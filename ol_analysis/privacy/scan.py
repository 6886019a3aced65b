"""A scanner for personal data that must never stand in a pseudonymised case file or report.

It reads raw text (comments included), line by line, and reports each finding as a diagnostic
with rule ``privacy-<kind>``. Precision matters as much as recall: a nine-digit number that
fails the 11-proef is not a BSN, an IBAN must pass its mod-97 check, and a year or a case id is
not a date of birth. Findings are shown masked, so that a CI log does not repeat the leak.
"""

from __future__ import annotations

import fnmatch
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ol_analysis.diagnostics import Diagnostic
from ol_analysis.errors import UsageError

# Nine digits, or grouped as people write them: 1234.56.782, 111 222 333, 123 45 67 82 (one
# separator throughout, so that a row of numbers in a table is not joined into one).
_BSN = re.compile(
    r"(?<![\d.\-])(\d{9}|\d{4}([. ])\d{2}\2\d{3}|\d{3}([. ])\d{3}\3\d{3}"
    r"|\d{3}([. ])\d{2}\4\d{2}\4\d{2})(?![\d\-]|[. ]\d)"
)
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b")
_PHONE = re.compile(r"(?<![\w+])(?:\+31|0031|0)(?:[\s\-]?\(?0?\)?[\s\-]?\d){9}(?!\d)")
_POSTCODE = re.compile(r"(?<![\w#-])[1-9]\d{3} ?(?!SA|SD|SS)[A-Z]{2}(?![\w-])")
# 9401ab, 9401 ab, 9401 Ab: lower or mixed case; with a space only when the letters are no
# common two-letter word ("in 2019 is"), and never a year followed by a word.
_POSTCODE_LOWER = re.compile(r"(?<![\w#-])([1-9]\d{3})( ?)([a-zA-Z]{2})(?![\w-])")
_TWO_LETTER_WORDS = frozenset(
    [
        "al",
        "an",
        "as",
        "at",
        "be",
        "bv",
        "by",
        "de",
        "do",
        "dr",
        "en",
        "er",
        "ga",
        "go",
        "ha",
        "he",
        "hi",
        "ik",
        "in",
        "is",
        "it",
        "je",
        "ja",
        "la",
        "me",
        "mr",
        "my",
        "na",
        "no",
        "nu",
        "of",
        "oh",
        "ok",
        "om",
        "on",
        "op",
        "or",
        "pm",
        "so",
        "te",
        "to",
        "up",
        "us",
        "we",
        "ze",
        "zo",
    ]
)
_STREET_SUFFIXES = (
    "straat|str\\.|weg|laan|plein|gracht|kade|singel|dijk|steeg|pad|hof|dreef|markt|park|"
    "wal|allee|brink|esch"
)
_STREET = re.compile(
    rf"(?<![\w-])((?:[A-Z][\w'-]*\s)?[A-Za-zÀ-ÿ][a-zà-ÿ'-]+(?:{_STREET_SUFFIXES}))\s+"
    r"(\d{1,4})(?:\s?[a-zA-Z](?![\w-])|-\d{1,4})?(?![\d,.]\d|\w|\s?%)",
)
_IBAN = re.compile(
    r"(?<![A-Z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?(?![A-Z0-9])"
)
_MONTHS = (
    "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|"
    "jan|feb|mrt|apr|jun|jul|aug|sep|sept|okt|nov|dec|"
    "january|february|march|may|june|july|august|october"
)
_DATE = (
    r"(?:\d{1,2}[-/.]\d{1,2}[-/.](?:19|20)\d{2}"
    r"|(?:19|20)\d{2}-\d{2}-\d{2}"
    r"|(?:19|20)\d{2}[-/.]\d{1,2}[-/.]\d{1,2}(?!\d)"
    rf"|\d{{1,2}} (?:{_MONTHS})\.? (?:19|20)\d{{2}})"
)
_BIRTH = re.compile(
    rf"\b(?:geboren|geb\.?\s?datum|geb\.|geboortedatum|born|date of birth|d\.?o\.?b\.?)(?!\w)"
    rf"[^\n\d]{{0,20}}({_DATE})",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Allowed:
    """An allow-list entry: this exact text is not personal data under this rule, because…"""

    rule: str
    text: str
    reason: str


def eleven_test(digits: str) -> bool:
    """The Dutch BSN 11-proef: 9·d1 + 8·d2 + … + 2·d8 − d9 is a multiple of 11 (and not 0)."""
    if len(digits) != 9 or not digits.isdigit() or digits == "0" * 9:
        return False
    total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True))
    return (total - int(digits[8])) % 11 == 0


def iban_valid(text: str) -> bool:
    """ISO 13616 mod-97: move the first four characters to the end, letters to numbers."""
    compact = text.replace(" ", "")
    if not 15 <= len(compact) <= 34:
        return False
    rearranged = compact[4:] + compact[:4]
    number = "".join(str(int(ch, 36)) for ch in rearranged)
    return int(number) % 97 == 1


def _phone_digits(text: str) -> str:
    digits = re.sub(r"\D", "", text)
    if digits.startswith("0031"):
        return digits[4:].removeprefix("0")
    if text.lstrip().startswith("+31"):
        return digits[2:].removeprefix("0")
    return digits[1:]


def mask(text: str) -> str:
    """Enough to find the place, not enough to repeat the identifier."""
    if len(text) <= 4:
        return "*" * len(text)
    return f"{text[:2]}{'*' * (len(text) - 3)}{text[-1]}"


def fold(text: str) -> tuple[str, list[int]]:
    """``text`` case-folded and without accents (NFKD, combining marks dropped), and for each
    character of the result the index of the character it came from: "Tinéke" finds "Tineke"."""
    folded: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        plain = "".join(
            c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
        ).casefold()
        folded.append(plain)
        origin.extend([index] * len(plain))
    return "".join(folded), origin


def name_patterns(deny_names: Iterable[str]) -> list[re.Pattern[str]]:
    """One pattern per deny-listed name, folded like the text, any run of spaces between words."""
    patterns = []
    for name in deny_names:
        words = fold(name)[0].split()
        if words:
            body = r"\s+".join(re.escape(word) for word in words)
            patterns.append(re.compile(rf"(?<!\w){body}(?!\w)"))
    return patterns


Span = tuple[str, int, int]
"""(kind, start, end) of one candidate in a line."""


def _name_spans(line: str, deny_names: Sequence[re.Pattern[str]]) -> Iterator[Span]:
    if not deny_names:
        return
    folded, origin = fold(line)
    for pattern in deny_names:
        for match in pattern.finditer(folded):
            if match.end() > match.start():
                yield "name", origin[match.start()], origin[match.end() - 1] + 1


def _postcode_spans(line: str) -> Iterator[Span]:
    for match in _POSTCODE.finditer(line):
        yield "postcode", *match.span()
    for match in _POSTCODE_LOWER.finditer(line):
        digits, space, letters = match.groups()
        if letters.isupper() or letters.upper() in ("SA", "SD", "SS"):
            continue  # upper case: the strict pattern's
        if space and (letters.lower() in _TWO_LETTER_WORDS or digits[:2] in ("19", "20")):
            continue
        yield "postcode", *match.span()


_ANY_DIGIT = re.compile(r"\d")


def _candidates(line: str, deny_names: Sequence[re.Pattern[str]]) -> Iterator[Span]:
    """Candidates in order of precedence: an IBAN's digits are no phone number."""
    if not _ANY_DIGIT.search(line):  # every pattern but a name needs a digit or an @
        if "@" in line:
            for match in _EMAIL.finditer(line):
                yield "email", *match.span()
        yield from _name_spans(line, deny_names)
        return
    for match in _IBAN.finditer(line):
        if iban_valid(match[0]):
            yield "iban", *match.span()
    for match in _EMAIL.finditer(line):
        yield "email", *match.span()
    for match in _BSN.finditer(line):
        if eleven_test(re.sub(r"\D", "", match[1])):
            yield "bsn", *match.span(1)
    for match in _BIRTH.finditer(line):
        yield "birthdate", *match.span(1)
    for match in _PHONE.finditer(line):
        digits = _phone_digits(match[0])
        if len(digits) == 9 and digits[0] != "0":
            yield "phone", *match.span()
    yield from _postcode_spans(line)
    for match in _STREET.finditer(line):
        yield "address", *match.span()
    yield from _name_spans(line, deny_names)


def _findings(line: str, deny_names: Sequence[re.Pattern[str]]) -> list[tuple[str, int, str]]:
    taken: list[tuple[int, int]] = []
    found = []
    for kind, start, end in _candidates(line, deny_names):
        if any(start < t_end and t_start < end for t_start, t_end in taken):
            continue
        taken.append((start, end))
        found.append((kind, start, line[start:end]))
    return sorted(found, key=lambda item: item[1])


# Who coded or commented: pseudonymous handles (analyst-a1), never a person's name.
_AUTHOR = re.compile(
    r"^\s*(?:-\s+)?(?:author|reviewer|decided_by|accepted_by)\s*:\s*(?P<value>[^#\s][^#]*?)\s*(?:#.*)?$"
)
_ANALYSTS = re.compile(r"^(?P<indent>\s*)analysts\s*:\s*(?P<rest>[^#]*?)\s*(?:#.*)?$")
_ITEM = re.compile(r"^(?P<indent>\s*)-\s+(?P<value>[^#\s][^#]*?)\s*(?:#.*)?$")


def looks_like_a_name(value: str) -> bool:
    """Two or more words, or one capitalised word ("Marieke"): not a handle like analyst-a1."""
    value = value.strip().strip("'\"")
    if "@" in value:
        return False  # an e-mail address: the e-mail rule reports it
    words = re.findall(r"[^\W\d_]+", value)
    return bool(re.search(r"[^\W\d_]\s+[^\W\d_]", value)) or (
        len(words) == 1 and value == words[0] and value[:1].isupper() and value[1:].islower()
    )


def handle_spans(lines: Sequence[str]) -> Iterator[tuple[int, int, str]]:
    """(line index, column, value) of every analyst or author that is not a pseudonymous handle."""
    block: int | None = None  # indent of an open ``analysts:`` block
    for number, line in enumerate(lines):
        item = _ITEM.match(line)
        if block is not None and item and len(item["indent"]) >= block:
            values = [(item.start("value"), item["value"])]
        else:
            block = None
            values = []
            analysts = _ANALYSTS.match(line)
            author = _AUTHOR.match(line)
            if author:
                values = [(author.start("value"), author["value"])]
            elif analysts and analysts["rest"].startswith("["):
                rest_at = analysts.start("rest")
                values = [
                    (rest_at + m.start(1), m[1])
                    for m in re.finditer(r"([^,\[\]]+?)\s*(?=[,\]])", analysts["rest"])
                ]
                values = [(c + len(v) - len(v.lstrip()), v.strip()) for c, v in values]
            elif analysts and not analysts["rest"]:
                block = len(analysts["indent"])
        for column, value in values:
            if looks_like_a_name(value):
                yield number, column, value.strip("'\"")


_WHAT = {
    "bsn": "a citizen service number (BSN, passes the 11-proef)",
    "email": "an e-mail address",
    "phone": "a Dutch phone number",
    "postcode": "a Dutch postcode",
    "iban": "a bank account number (IBAN, passes mod-97)",
    "birthdate": "a date of birth",
    "address": "a street address",
    "name": "a name from the deny-list",
    "analyst-name": "a person's name where a pseudonymous handle belongs (analysts, authors)",
    "person-name": "a person's name (found by deduce)",
}


def line_findings(
    lines: Sequence[str], deny_names: Sequence[re.Pattern[str]]
) -> Iterator[tuple[int, int, str, str]]:
    """(line index, column index, kind, found text) of every finding, line by line."""
    handles: dict[int, list[tuple[int, str]]] = {}
    for number, column, value in handle_spans(lines):
        handles.setdefault(number, []).append((column, value))
    for number, line in enumerate(lines):
        found = _findings(line, deny_names)
        taken = [(column, column + len(text)) for _, column, text in found]
        for column, value in handles.get(number, []):
            if not any(column < end and start < column + len(value) for start, end in taken):
                found.append(("analyst-name", column, value))
        for kind, column, text in sorted(found, key=lambda item: item[1]):
            yield number, column, kind, text


def scan_text(
    path: str,
    text: str,
    *,
    deny_names: Iterable[str] = (),
    allowed: Iterable[Allowed] = (),
    part: str = "",
) -> list[Diagnostic]:
    """Every finding in ``text``, located at its line and column; ``part`` names where in a
    document the text stands ("table 2, row 3"), for formats whose lines are not the file's."""
    patterns = name_patterns(deny_names)
    allow = {(a.rule, a.text) for a in allowed}
    problems = []
    where = f" (in {part})" if part else ""
    for index, column, kind, found in line_findings(text.splitlines(), patterns):
        rule = f"privacy-{kind}"
        if (rule, found) in allow:
            continue
        problems.append(
            Diagnostic(
                path,
                index + 1,
                column + 1,
                rule,
                f"{_WHAT[kind]} ('{mask(found)}'){where} must not be in a pseudonymised study",
                "remove or pseudonymise it; if it is not personal data, add it to the "
                "allow-list with a reason",
                location=part,
            )
        )
    return problems


def read_deny_list(path: Path) -> list[str]:
    """Names to refuse, one per line (``#`` comments); kept outside the repository."""
    try:
        lines = path.read_bytes().decode("utf-8-sig").splitlines()
    except UnicodeDecodeError as error:
        raise UsageError(
            f"deny-list {path} is not UTF-8 (byte 0x{error.object[error.start]:02x} at offset "
            f"{error.start}); save it as UTF-8"
        ) from None
    except OSError as error:
        raise UsageError(f"cannot read the deny-list {path}: {error.strerror or error}") from None
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


AUDIT_RULES = ("privacy-k-anonymity", "privacy-rare-term")


@dataclass(frozen=True)
class Accepted:
    """An allow-list entry accepting re-identification findings (see ``privacy.outputs``)."""

    rule: str
    accepted_by: str
    reason: str
    attributes: tuple[str, ...] = ()
    cases: tuple[str, ...] = ()
    output: str = ""
    text: str = ""
    line: int = 1
    column: int = 1
    source: str = ""  # the allow-list file, for diagnostics about the entry

    def accepts(self, rule: str, output: str, case: str, combination: Iterable[str]) -> bool:
        """A k-anonymity finding is accepted when its combination lies within ``attributes``,
        a rare term when it is ``text``; ``cases`` and ``output`` (a glob) narrow the entry."""
        if rule != self.rule or (self.cases and case not in self.cases):
            return False
        if self.output and not fnmatch.fnmatch(output, self.output):
            return False
        if rule == "privacy-k-anonymity":
            return set(combination) <= set(self.attributes)
        return set(combination) == {self.text}


def _strings_of(value: object) -> tuple[str, ...] | None:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    return None


def _accepted(doc: Any, index: int, item: dict[str, Any]) -> Accepted | Diagnostic:
    """An audit entry: ``accepted_by`` and ``reason`` are required; a k-anonymity entry names
    its ``attributes``, a rare-term entry its ``text``."""
    rule = item["rule"]
    missing = [k for k in ("accepted_by", "reason") if not str(item.get(k) or "").strip()]
    if missing:
        return doc.diagnostic(
            (index,),
            "privacy-allow-list",
            f"the {rule} entry gives no {' and no '.join(missing)}",
            "say who accepted the finding (a handle) and why it may be published",
        )
    attributes = _strings_of(item.get("attributes", []))
    cases = _strings_of(item.get("cases", []))
    if rule == "privacy-k-anonymity" and not attributes:
        return doc.diagnostic(
            (index,),
            "privacy-allow-list",
            "a privacy-k-anonymity entry needs 'attributes': the profile attributes it accepts",
        )
    if rule == "privacy-rare-term" and not str(item.get("text") or "").strip():
        return doc.diagnostic(
            (index,), "privacy-allow-list", "a privacy-rare-term entry needs 'text': the term"
        )
    if attributes is None or cases is None:
        return doc.diagnostic(
            (index,), "privacy-allow-list", "'attributes' and 'cases' are lists of ids"
        )
    line, column = doc.position((index,)) if hasattr(doc, "position") else (1, 1)
    return Accepted(
        rule,
        str(item["accepted_by"]),
        str(item["reason"]),
        attributes,
        cases,
        str(item.get("output") or ""),
        str(item.get("text") or ""),
        line,
        column,
        str(getattr(doc, "path", "")),
    )


def read_allow_list(path: Path) -> tuple[list[Allowed], list[Diagnostic]]:
    """``privacy-allow.yaml``: a list of ``{rule, text, reason}``; a reason is required.
    Entries for the audit rules are read by :func:`read_acceptances`."""
    allowed, _accepted_entries, problems = read_allow_file(path)
    return allowed, problems


def read_acceptances(path: Path) -> tuple[list[Accepted], list[Diagnostic]]:
    """The audit entries of ``privacy-allow.yaml`` (rules ``privacy-k-anonymity`` and
    ``privacy-rare-term``), each with ``accepted_by`` and ``reason``."""
    _allowed, accepted, problems = read_allow_file(path)
    return accepted, problems


def read_allow_file(path: Path) -> tuple[list[Allowed], list[Accepted], list[Diagnostic]]:
    """Both kinds of entry of an allow-list, and its problems (located)."""
    from ol_analysis.core.yamlsource import read_yaml

    doc, problems = read_yaml(path, str(path))
    if doc is None:
        return [], [], problems
    entries: list[Allowed] = []
    accepted: list[Accepted] = []
    data = doc.data if isinstance(doc.data, list) else None
    if data is None:
        return (
            [],
            [],
            [
                doc.diagnostic(
                    (),
                    "privacy-allow-list",
                    "the allow-list must be a list of {rule, text, reason}",
                )
            ],
        )
    for index, item in enumerate(data):
        if isinstance(item, dict) and item.get("rule") in AUDIT_RULES:
            entry = _accepted(doc, index, item)
            if isinstance(entry, Diagnostic):
                problems.append(entry)
            else:
                accepted.append(entry)
            continue
        if not isinstance(item, dict) or not all(
            isinstance(item.get(key), str) and item[key].strip() for key in ("rule", "text")
        ):
            problems.append(
                doc.diagnostic((index,), "privacy-allow-list", "an entry needs 'rule' and 'text'")
            )
            continue
        reason = item.get("reason")
        if not isinstance(reason, str) or not reason.strip():
            problems.append(
                doc.diagnostic(
                    (index,),
                    "privacy-allow-list",
                    f"the entry for '{mask(item['text'])}' gives no reason",
                    "say why this is not personal data",
                )
            )
            continue
        entries.append(Allowed(item["rule"], item["text"], reason))
    return entries, accepted, problems


def default_deny_list() -> Path | None:
    """``$OL_ANALYSIS_DENY_LIST``, else ``~/.config/ol-analysis/deny-list.txt`` if it exists."""
    import os

    configured = os.environ.get("OL_ANALYSIS_DENY_LIST")
    if configured:
        return Path(configured)
    home = Path.home() / ".config" / "ol-analysis" / "deny-list.txt"
    return home if home.is_file() else None


@dataclass(frozen=True)
class PrivacyLists:
    """The names to refuse, the reviewed exceptions, and the problems of the allow-list."""

    deny_names: list[str]
    allowed: list[Allowed]
    problems: list[Diagnostic]
    accepted: list[Accepted] = field(default_factory=list)


def _existing_file(path: Path, what: str) -> Path:
    if not path.is_file():
        state = "is a folder, not a file" if path.is_dir() else "not found"
        raise UsageError(f"{what} {state}: {path}")
    return path


def read_lists(
    deny_list: Path | None = None,
    allow_list: Path | None = None,
    *,
    default_allow_list: Path = Path("privacy-allow.yaml"),
) -> PrivacyLists:
    """The deny-list (given, else :func:`default_deny_list`) and the allow-list (given, else
    ``default_allow_list`` when it exists). A list that is named but missing is a usage error."""
    deny_path = deny_list or default_deny_list()
    names = read_deny_list(_existing_file(deny_path, "deny-list")) if deny_path else []
    allow_path = _existing_file(allow_list, "allow-list") if allow_list else default_allow_list
    allowed, accepted, problems = (
        read_allow_file(allow_path) if allow_path.is_file() else ([], [], [])
    )
    return PrivacyLists(names, allowed, problems, accepted)
