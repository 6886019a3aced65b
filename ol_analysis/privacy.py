"""A scanner for personal data that must never stand in a pseudonymised case file or report.

It reads raw text (comments included), line by line, and reports each finding as a diagnostic
with rule ``privacy-<kind>``. Precision matters as much as recall: a nine-digit number that
fails the 11-proef is not a BSN, an IBAN must pass its mod-97 check, and a year or a case id is
not a date of birth. Findings are shown masked, so that a CI log does not repeat the leak.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from ol_analysis.diagnostics import Diagnostic
from ol_analysis.errors import UsageError

_BSN = re.compile(r"(?<![\d.\-])(\d{4}[. ]?\d{2}[. ]?\d{3}|\d{9})(?![\d\-]|\.\d)")
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b")
_PHONE = re.compile(r"(?<![\w+])(?:\+31|0031|0)(?:[\s\-]?\(?0?\)?[\s\-]?\d){9}(?!\d)")
_POSTCODE = re.compile(r"(?<![\w-])[1-9]\d{3} ?(?!SA|SD|SS)[A-Z]{2}(?![\w-])")
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
    rf"|\d{{1,2}} (?:{_MONTHS})\.? (?:19|20)\d{{2}})"
)
_BIRTH = re.compile(
    rf"\b(?:geboren|geb\.|geboortedatum|born|date of birth|dob)(?!\w)[^\n\d]{{0,20}}({_DATE})",
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


def _candidates(
    line: str, deny_names: Sequence[re.Pattern[str]]
) -> Iterator[tuple[str, re.Match[str], int]]:
    """(kind, match, group) in order of precedence: an IBAN's digits are no phone number."""
    for match in _IBAN.finditer(line):
        if iban_valid(match[0]):
            yield "iban", match, 0
    for match in _EMAIL.finditer(line):
        yield "email", match, 0
    for match in _BSN.finditer(line):
        if eleven_test(re.sub(r"\D", "", match[1])):
            yield "bsn", match, 1
    for match in _BIRTH.finditer(line):
        yield "birthdate", match, 1
    for match in _PHONE.finditer(line):
        digits = _phone_digits(match[0])
        if len(digits) == 9 and digits[0] != "0":
            yield "phone", match, 0
    for match in _POSTCODE.finditer(line):
        yield "postcode", match, 0
    for pattern in deny_names:
        for match in pattern.finditer(line):
            yield "name", match, 0


def _findings(line: str, deny_names: Sequence[re.Pattern[str]]) -> list[tuple[str, int, str]]:
    taken: list[tuple[int, int]] = []
    found = []
    for kind, match, group in _candidates(line, deny_names):
        start, end = match.span(group)
        if any(start < t_end and t_start < end for t_start, t_end in taken):
            continue
        taken.append((start, end))
        found.append((kind, start, match[group]))
    return sorted(found, key=lambda item: item[1])


_WHAT = {
    "bsn": "a citizen service number (BSN, passes the 11-proef)",
    "email": "an e-mail address",
    "phone": "a Dutch phone number",
    "postcode": "a Dutch postcode",
    "iban": "a bank account number (IBAN, passes mod-97)",
    "birthdate": "a date of birth",
    "name": "a name from the deny-list",
}


def scan_text(
    path: str,
    text: str,
    *,
    deny_names: Iterable[str] = (),
    allowed: Iterable[Allowed] = (),
) -> list[Diagnostic]:
    """Every finding in ``text``, located at its line and column."""
    patterns = [
        re.compile(rf"(?<!\w){re.escape(name)}(?!\w)", re.IGNORECASE)
        for name in deny_names
        if name.strip()
    ]
    allow = {(a.rule, a.text) for a in allowed}
    problems = []
    for number, line in enumerate(text.splitlines(), start=1):
        for kind, column, found in _findings(line, patterns):
            rule = f"privacy-{kind}"
            if (rule, found) in allow:
                continue
            problems.append(
                Diagnostic(
                    path,
                    number,
                    column + 1,
                    rule,
                    f"{_WHAT[kind]} ('{mask(found)}') must not be in a pseudonymised study",
                    "remove or pseudonymise it; if it is not personal data, add it to the "
                    "allow-list with a reason",
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


def read_allow_list(path: Path) -> tuple[list[Allowed], list[Diagnostic]]:
    """``privacy-allow.yaml``: a list of ``{rule, text, reason}``; a reason is required."""
    from ol_analysis.core.yamlsource import read_yaml

    doc, problems = read_yaml(path, str(path))
    if doc is None:
        return [], problems
    entries: list[Allowed] = []
    data = doc.data if isinstance(doc.data, list) else None
    if data is None:
        return [], [
            doc.diagnostic(
                (), "privacy-allow-list", "the allow-list must be a list of {rule, text, reason}"
            )
        ]
    for index, item in enumerate(data):
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
    return entries, problems


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
    allowed, problems = read_allow_list(allow_path) if allow_path.is_file() else ([], [])
    return PrivacyLists(names, allowed, problems)


def scan_files(
    files: Iterable[Path], *, deny_names: Sequence[str] = (), allowed: Sequence[Allowed] = ()
) -> list[Diagnostic]:
    problems: list[Diagnostic] = []
    for file in files:
        try:
            text = file.read_bytes().decode("utf-8", errors="replace")
        except OSError as error:
            problems.append(
                Diagnostic(
                    str(file),
                    1,
                    1,
                    "unreadable",
                    f"cannot read the file: {error.strerror or error}",
                )
            )
            continue
        problems += scan_text(str(file), text, deny_names=deny_names, allowed=allowed)
    return problems
