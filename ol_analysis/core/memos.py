"""Analytic memos: Markdown files in a study's ``memos/`` folder, each attached to targets.

A memo is an analyst's note on the analysis — why a case was coded as it was, what a code is
starting to mean, a hunch about a part. It is *not* a feedback comment of a review round
(those live in a case file's ``analysis.comments`` and are opened and closed); a memo stays.

    ---
    title: Home detox as a turning point
    author: analyst-a            # a handle, never a person's name
    date: 2024-05-02
    targets:
      - case: c03
      - code: support.treatment.home_detox
      - part: support
      - quote: {case: c03, text: "thuis afkicken"}       # words of one of the case's quotes
      - quote: {doc: p01-interview, text: "thuis afkicken"}   # ... or of a located quote
      - study
    ---
    Markdown text of the memo.

``target:`` takes one target, ``targets:`` a list. The memo's id is its file name without
``.md``. :func:`read_memos` reads the folder into :class:`Memo` values with every problem as a
located diagnostic; :func:`check_targets` then checks the targets against the study (a case,
a code path or part of the framework, a quote of a case or of a source document).
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ol_analysis.core.framework import Framework
from ol_analysis.core.sources import Sources, normalise
from ol_analysis.core.sources.text import normalise_newlines, split_front_matter
from ol_analysis.core.values import iso_date
from ol_analysis.core.yamlsource import Loc, SourceDocument, parse_text, source_text
from ol_analysis.diagnostics import Diagnostic, did_you_mean

MEMOS_FOLDER = "memos"
MEMO_SUFFIX = ".md"
MEMO_KEYS = ("title", "author", "date", "target", "targets")
TARGET_KINDS = ("case", "code", "part", "quote", "study")
QUOTE_KEYS = ("case", "doc", "text")
MAX_MEMO_BYTES = 1024 * 1024
_HANDLE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_EXAMPLE = (
    "start the file with a front matter: '---', 'title: …', 'author: analyst-a', "
    "'target: {case: c01}', '---' (see docs/memos.md)"
)


@dataclass(frozen=True)
class MemoTarget:
    """What a memo is attached to: ``kind`` is one of :data:`TARGET_KINDS`; ``value`` the case
    id, code path or part id (empty for the study); a quote has ``text`` and its ``case`` or
    ``doc``."""

    kind: str
    value: str = ""
    case: str | None = None
    doc: str | None = None
    text: str | None = None
    loc: Loc = field(default=(), compare=False)

    @property
    def key(self) -> str:
        """``case:c03``, ``code:support.treatment.home_detox``, ``part:support``, ``study``,
        ``quote:c03`` or ``quote:doc:p01-interview`` (what :meth:`Memos.attached_to` takes)."""
        if self.kind == "study":
            return "study"
        if self.kind == "quote":
            return f"quote:{self.case}" if self.case else f"quote:doc:{self.doc}"
        return f"{self.kind}:{self.value}"


@dataclass(frozen=True)
class Memo:
    """One memo: its id (the file name without ``.md``), front matter and Markdown ``text``."""

    id: str
    path: str
    title: str
    targets: tuple[MemoTarget, ...]
    text: str
    author: str | None = None
    date: str | None = None
    first_line: int = 1
    """The file's line where ``text`` starts (after the front matter)."""
    front: str = field(default="", compare=False, repr=False)
    """The front matter as written (for diagnostics at its lines)."""

    def attached_to(self, key: str) -> bool:
        return any(t.key == key for t in self.targets)


@dataclass
class Memos:
    """A study's memos by id (in id order)."""

    memos: dict[str, Memo] = field(default_factory=dict)

    def __iter__(self) -> Iterator[Memo]:
        return iter(self.memos.values())

    def __len__(self) -> int:
        return len(self.memos)

    def get(self, memo_id: str) -> Memo | None:
        return self.memos.get(memo_id)

    def attached_to(self, key: str) -> list[Memo]:
        """The memos attached to a target key (:attr:`MemoTarget.key`), in id order."""
        return [m for m in self.memos.values() if m.attached_to(key)]

    def quote_memos(self) -> list[tuple[Memo, MemoTarget]]:
        """Every quote target with its memo."""
        return [(m, t) for m in self.memos.values() for t in m.targets if t.kind == "quote"]


def memo_files(folder: Path) -> list[Path]:
    """The ``.md`` files under ``folder`` (subfolders too; hidden ones and README.md left out)."""
    if not folder.is_dir():
        return []
    return sorted(
        p
        for p in folder.rglob(f"*{MEMO_SUFFIX}")
        if p.is_file()
        and p.name.lower() != "readme.md"
        and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    )


def read_memos(folder: Path, shown: str | None = None) -> tuple[Memos, list[Diagnostic]]:
    """Read every memo of ``folder``; the memos whose front matter is valid, and every problem
    (targets are not checked here: see :func:`check_targets`)."""
    shown = shown if shown is not None else str(folder)
    memos = Memos()
    problems: list[Diagnostic] = []
    for path in memo_files(folder):
        file = f"{shown}/{path.relative_to(folder).as_posix()}"
        memo, found = read_memo(path, file)
        problems += found
        if memo is None:
            continue
        if memo.id in memos.memos:
            other = memos.memos[memo.id].path
            problems.append(
                Diagnostic(
                    file,
                    1,
                    1,
                    "duplicate-memo",
                    f"memo id '{memo.id}' is also used by {other}",
                    "give each memo its own file name",
                )
            )
            continue
        memos.memos[memo.id] = memo
    memos.memos = dict(sorted(memos.memos.items()))
    return memos, problems


def read_memo(path: Path, shown: str) -> tuple[Memo | None, list[Diagnostic]]:
    """One memo file: the memo (None when its front matter is unusable) and its problems."""
    try:
        if path.stat().st_size > MAX_MEMO_BYTES:
            return None, [Diagnostic(shown, 1, 1, "file-too-large", "the memo is over 1 MiB", None)]
        text = normalise_newlines(path.read_bytes().decode("utf-8"))
    except UnicodeDecodeError as error:
        return None, [
            Diagnostic(
                shown,
                1,
                1,
                "encoding",
                f"the memo is not UTF-8 (byte 0x{error.object[error.start]:02x} at offset "
                f"{error.start})",
                "save the file as UTF-8 in your editor",
            )
        ]
    except OSError as error:
        return None, [Diagnostic(shown, 1, 1, "unreadable", str(error.strerror or error), None)]
    return parse_memo(path.stem, shown, text)


def parse_memo(memo_id: str, shown: str, text: str) -> tuple[Memo | None, list[Diagnostic]]:
    """A memo from its normalised text (see :func:`read_memo`)."""
    front, body, first_line = split_front_matter(text)
    if front is None:
        return None, [
            Diagnostic(shown, 1, 1, "memo-front-matter", "the memo has no front matter", _EXAMPLE)
        ]
    doc, problems = parse_text(shown, "\n" + front)  # line 1 is the opening '---'
    if doc is None:
        problems = [
            Diagnostic(shown, 2, 1, "memo-front-matter", "the front matter is empty", _EXAMPLE)
            if d.rule == "empty-file"
            else d
            for d in problems
        ]
        return None, problems
    if not isinstance(doc.data, dict):
        return None, [
            *problems,
            doc.diagnostic((), "wrong-type", "a front matter is a mapping of keys", _EXAMPLE),
        ]
    checker = _FrontMatter(doc)
    memo = checker.memo(memo_id, body, first_line)
    memo = replace(memo, front=front) if memo is not None else None
    if not body.strip():
        checker.problems.append(
            Diagnostic(
                shown,
                max(first_line - 1, 1),
                1,
                "empty-memo",
                "the memo has no text after its front matter",
                "write the memo below the closing '---', or delete the file",
            )
        )
    return memo, [*problems, *checker.problems]


class _FrontMatter:
    def __init__(self, doc: SourceDocument) -> None:
        self.doc = doc
        self.problems: list[Diagnostic] = []

    def problem(
        self, loc: Loc, rule: str, message: str, hint: str | None, *, key: bool = False
    ) -> None:
        self.problems.append(self.doc.diagnostic(loc, rule, message, hint, key=key))

    def memo(self, memo_id: str, body: str, first_line: int) -> Memo | None:
        data: dict[str, Any] = self.doc.data
        for key in data:
            if key not in MEMO_KEYS:
                hint = did_you_mean(str(key), MEMO_KEYS) or f"known keys: {', '.join(MEMO_KEYS)}"
                self.problem((key,), "unknown-key", f"unknown key '{key}'", hint, key=True)
        title = self.text(data, "title")
        author = self.author(data)
        date = self.date(data)
        targets = self.targets(data)
        if "title" not in data:
            self.problem((), "missing-key", "a memo needs a 'title'", _EXAMPLE)
        if "target" not in data and "targets" not in data:
            self.problem(
                (),
                "missing-key",
                "a memo needs a 'target' (or 'targets')",
                "attach it to a case, code, part, quote or the study: target: {case: c01}",
            )
        if title is None or not targets:
            return None
        return Memo(
            memo_id, self.doc.path, title, tuple(targets), body.strip("\n"), author, date,
            first_line,
        )  # fmt: skip

    def text(self, data: dict[str, Any], key: str) -> str | None:
        if data.get(key) is None:
            return None
        value = data[key] if isinstance(data[key], str) else source_text(data[key])
        if value is None or not value.strip():
            self.problem((key,), "wrong-type", f"'{key}' is a line of text", None)
            return None
        return value.strip()

    def author(self, data: dict[str, Any]) -> str | None:
        author = self.text(data, "author")
        if author is not None and not _HANDLE.match(author):
            self.problem(
                ("author",),
                "invalid-handle",
                f"'{author}' is not a handle",
                "name the author by a pseudonymous handle such as 'analyst-a' (letters, digits, "
                "'-', '_', '.'), never by a person's name",
            )
            return None
        return author

    def date(self, data: dict[str, Any]) -> str | None:
        if data.get("date") is None:
            return None
        raw = data["date"]
        value = raw.isoformat() if isinstance(raw, dt.date) else (source_text(raw) or str(raw))
        if iso_date(value) is None:
            self.problem(("date",), "invalid-date", f"'{value}' is not a date (YYYY-MM-DD)", None)
            return None
        return value

    def targets(self, data: dict[str, Any]) -> list[MemoTarget]:
        found: list[MemoTarget] = []
        if "target" in data:
            found += self.target(("target",), data["target"])
        if "targets" in data:
            raw = data["targets"]
            if not isinstance(raw, list) or not raw:
                self.problem(("targets",), "wrong-type", "'targets' is a list of targets", None)
            else:
                for index, item in enumerate(raw):
                    found += self.target(("targets", index), item)
        return found

    def target(self, loc: Loc, raw: Any) -> list[MemoTarget]:
        if (raw if isinstance(raw, str) else source_text(raw)) == "study":
            return [MemoTarget("study", loc=loc)]
        if not isinstance(raw, dict) or not raw:
            word = raw if isinstance(raw, str) else None
            self.problem(
                loc,
                "wrong-type",
                "a target is 'study' or a mapping such as {case: c01}",
                (did_you_mean(word, ["study"]) if word else None)
                or f"target kinds: {', '.join(TARGET_KINDS)}",
            )
            return []
        found = []
        for kind, value in raw.items():
            where = (*loc, kind)
            if kind not in TARGET_KINDS:
                hint = did_you_mean(str(kind), TARGET_KINDS) or (
                    f"target kinds: {', '.join(TARGET_KINDS)}"
                )
                self.problem(where, "unknown-key", f"unknown target kind '{kind}'", hint, key=True)
            elif kind == "quote":
                quote = self.quote(where, value)
                found += [quote] if quote is not None else []
            elif kind == "study":
                found.append(MemoTarget("study", loc=where))
            else:
                text = value if isinstance(value, str) else source_text(value)
                if not text:
                    self.problem(where, "wrong-type", f"'{kind}' names one {kind} id", None)
                    continue
                found.append(MemoTarget(kind, text, loc=where))
        return found

    def quote(self, loc: Loc, raw: Any) -> MemoTarget | None:
        if not isinstance(raw, dict):
            self.problem(
                loc, "wrong-type", "a quote target is {case: ID, text: WORDS} or {doc: …}", None
            )
            return None
        for key in raw:
            if key not in QUOTE_KEYS:
                hint = did_you_mean(str(key), QUOTE_KEYS) or f"known keys: {', '.join(QUOTE_KEYS)}"
                self.problem((*loc, key), "unknown-key", f"unknown key '{key}'", hint, key=True)
        values = {k: raw[k] if isinstance(raw[k], str) else source_text(raw[k]) for k in raw}
        text, case, doc = values.get("text"), values.get("case"), values.get("doc")
        if not text or (case is None) == (doc is None):
            self.problem(
                loc,
                "wrong-type",
                "a quote target holds 'text' and either 'case' or 'doc'",
                'e.g. quote: {case: c01, text: "the quoted words"}',
            )
            return None
        return MemoTarget("quote", text, case=case, doc=doc, text=text, loc=loc)


# --- targets against the study ----------------------------------------------------------------

EvidenceQuotes = Callable[[str], Sequence[str] | None]
"""The evidence quotes of a valid case by its id (None when the study has no such case)."""


def squash(text: str) -> str:
    """Words compared as the quote matcher compares them (spacing, quote marks, dashes and
    hyphenation at line ends normalised), without regard to case."""
    return normalise(text).text.casefold()


def code_targets(framework: Framework) -> list[str]:
    """The dotted paths a code target may name: every code, and every group."""
    paths = [path for path, _code in framework.code_paths()]
    paths += [path for path, _code in framework.study_code_paths()]
    paths += [group.path for _part, group in framework.groups()]
    paths += [group.path for _part, group in framework.study_groups()]
    return sorted(set(paths))


def check_targets(
    memos: Memos,
    framework: Framework,
    case_ids: Iterable[str],
    evidence: EvidenceQuotes,
    sources: Sources | None = None,
) -> list[Diagnostic]:
    """Every memo target that names nothing of the study, at its place in the memo's front
    matter (``unknown-target``, with a did-you-mean hint)."""
    cases = sorted(set(case_ids))
    codes = code_targets(framework)
    parts = [p.id for p in framework.parts] + [p.id for p in framework.study_parts]
    problems: list[Diagnostic] = []
    for memo in memos:
        doc: SourceDocument | None = None
        for target in memo.targets:
            problem = _target_problem(target, cases, codes, parts, evidence, sources)
            if problem is None:
                continue
            if doc is None:
                doc = _front_document(memo)
            message, hint = problem
            problems.append(doc.diagnostic(target.loc, "unknown-target", message, hint))
    return problems


def _front_document(memo: Memo) -> SourceDocument:
    """The memo's front matter parsed again, with positions (targets are rarely wrong)."""
    doc, _problems = parse_text(memo.path, "\n" + memo.front)
    return doc if doc is not None else SourceDocument(memo.path, {}, "")


def _unknown(value: str, known: Sequence[str], what: str) -> tuple[str, str]:
    hint = did_you_mean(value, known) or (
        f"known: {', '.join(known[:8])}{', …' if len(known) > 8 else ''}"
        if known
        else f"the study has no {what}s"
    )
    return f"'{value}' is not a {what} of the study", hint


def _target_problem(
    target: MemoTarget,
    cases: Sequence[str],
    codes: Sequence[str],
    parts: Sequence[str],
    evidence: EvidenceQuotes,
    sources: Sources | None,
) -> tuple[str, str] | None:
    if target.kind == "case" and target.value not in cases:
        return _unknown(target.value, cases, "case")
    if target.kind == "code" and target.value not in codes:
        return _unknown(target.value, codes, "code path")
    if target.kind == "part" and target.value not in parts:
        return _unknown(target.value, parts, "part")
    if target.kind != "quote":
        return None
    if target.case is not None:
        return _case_quote_problem(target, cases, evidence)
    return _doc_quote_problem(target, sources)


def _closest(words: str, quotes: Sequence[str]) -> str | None:
    if not quotes:
        return None
    best = max(
        quotes, key=lambda q: difflib.SequenceMatcher(None, squash(words), squash(q)).ratio()
    )
    return best if len(best) <= 90 else best[:87] + "…"


def _case_quote_problem(
    target: MemoTarget, cases: Sequence[str], evidence: EvidenceQuotes
) -> tuple[str, str] | None:
    case = target.case or ""
    if case not in cases:
        return _unknown(case, cases, "case")
    quotes = evidence(case) or ()
    words = squash(target.text or "")
    if any(words in squash(q) for q in quotes):
        return None
    closest = _closest(target.text or "", quotes)
    hint = f'the closest quote of {case} is "{closest}"' if closest else f"{case} has no quotes"
    return f'no evidence quote of {case} holds "{target.text}"', hint


def _doc_quote_problem(target: MemoTarget, sources: Sources | None) -> tuple[str, str] | None:
    doc_id = target.doc or ""
    documents = sorted(sources.documents) if sources is not None else []
    if sources is None or doc_id not in sources.documents:
        return _unknown(doc_id, documents, "source document")
    if not sources.documents[doc_id].present:
        return None  # the transcript is not here: nothing to check the words against
    located = [q.quote for q in sources.quotes_in(doc_id)]
    words = squash(target.text or "")
    if any(words in squash(q) for q in located):
        return None
    closest = _closest(target.text or "", located)
    hint = (
        f'the closest located quote is "{closest}"'
        if closest
        else f"no quote is located in {doc_id}"
    )
    return f"no located quote of document '{doc_id}' holds \"{target.text}\"", hint
