"""Settling the disagreements ``agree`` finds, and keeping the record (``ol-analysis adjudicate``).

The comparison of two or more codings (:mod:`ol_analysis.feedback.agree`) gives the units on
which they differ. Each one the log (:mod:`ol_analysis.core.adjudication`) has no decision for
is *open*; so is one whose decision was taken on other codings than the ones compared now (a
coder changed the case since). A decision is appended to the log with the codings it settles,
the decided value, who decided, why, the round and the date. The log is rewritten through
ruamel's round-trip writer, so hand-written comments stay, read back and checked before it is
written (:mod:`ol_analysis.safe_write`: a failed write leaves the old log as it was).

The first decision of a round also records the round: the codings compared and their agreement
at that moment, so the report can state agreement and adjudications per round.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from ol_analysis.core.adjudication import (
    LOG_FILE,
    AdjudicationLog,
    Decision,
    UnitKind,
    check_log,
    read_log,
    unit_kinds,
)
from ol_analysis.core.framework import Framework
from ol_analysis.core.yamlsource import parse_text
from ol_analysis.diagnostics import has_errors
from ol_analysis.errors import StudyError, UsageError
from ol_analysis.feedback.agree import (
    NOT_CODED,
    AgreementReport,
    Coding,
    coder_name,
    compare_all,
    load_coding,
    pair_files,
)
from ol_analysis.feedback.migrate.roundtrip import dump, round_trip_yaml
from ol_analysis.feedback.versions import Frameworks, LoadedFramework
from ol_analysis.safe_write import write_text_atomic

HEADER = (
    "Adjudication log of this study, written by 'ol-analysis adjudicate' (docs/agreement.md).\n"
    "One decision per settled disagreement; comments you add here are kept."
)


def load_codings(framework: str, specs: Sequence[str]) -> tuple[LoadedFramework, list[Coding]]:
    """The framework the codings are compared in, and each coding read with it (``REV:PATH``
    sides with their own revision's framework); two single files are paired whatever their ids."""
    frameworks = Frameworks(framework)
    compared_in = frameworks.load(framework)
    first = load_coding(specs[0], compared_in.models, frameworks)
    rest = [pair_files(first, load_coding(s, compared_in.models, frameworks)) for s in specs[1:]]
    return compared_in, [first, *rest]


def log_path(framework: str) -> Path:
    """The log beside a framework file (``adjudication.yaml`` in the study folder)."""
    base = (
        framework.partition(":")[2]
        if ":" in framework and not Path(framework).exists()
        else framework
    )
    return Path(base).parent / LOG_FILE


def load_log(path: Path, framework: Framework) -> AdjudicationLog:
    """The log at ``path`` (empty when absent); raises :class:`StudyError` when it has errors."""
    log, problems = read_log(path, framework)
    if has_errors(problems):
        raise StudyError(problems)
    return log


@dataclass(frozen=True)
class OpenDisagreement:
    """A disagreement no decision in the log settles (yet)."""

    case: str
    unit: str
    codings: dict[str, Hashable]
    """Each coder's value, ``None`` for not coded."""
    kind: UnitKind
    outdated: Decision | None = None
    """A decision taken on other codings than these (a coder changed the case since)."""

    @property
    def id(self) -> str:
        return unit_id(self.case, self.unit)

    def as_json(self) -> dict[str, Any]:
        return {
            "case": self.case,
            "unit": self.unit,
            "codings": self.codings,
            "outdated_decision_round": self.outdated.round if self.outdated else None,
        }


def unit_id(case: str, unit: str) -> str:
    """How a unit is named on the command line: ``CASE:PART.GROUP[.CODE]``."""
    return f"{case}:{unit}"


def _plain(value: Hashable) -> Hashable:
    return None if value == NOT_CODED else value


def _same_codings(decided: dict[str, Hashable], now: dict[str, Hashable]) -> bool:
    if set(decided) == set(now):
        return all(decided[coder] == now[coder] for coder in now)
    return sorted(map(repr, decided.values())) == sorted(map(repr, now.values()))


def open_disagreements(
    report: AgreementReport, log: AdjudicationLog, framework: Framework
) -> list[OpenDisagreement]:
    """The comparison's disagreements the log leaves open, by case and then framework order."""
    kinds = unit_kinds(framework)
    settled = log.settled()
    coders = [coder_name(source) for source in report.coders]
    found = []
    for group in report.groups:
        for d in group.disagreements:
            codings = {coder: _plain(v) for coder, v in zip(coders, d.all_values, strict=True)}
            decision = settled.get((d.case, d.code))
            if decision is not None and _same_codings(decision.codings, codings):
                continue
            found.append(OpenDisagreement(d.case, d.code, codings, kinds[d.code], decision))
    order = {unit: index for index, unit in enumerate(kinds)}
    return sorted(found, key=lambda o: (o.case, order[o.unit]))


def parse_value(text: str, kind: UnitKind, unit: str) -> Hashable:
    """A decision typed on the command line: ``true``/``false`` (or ``yes``/``no``) for a
    binary unit, a code or ``-``/``null`` (not coded) otherwise; :class:`UsageError` if neither."""
    word = text.strip()
    if kind.kind == "binary":
        truth = {"true": True, "yes": True, "coded": True, "false": False, "no": False, "-": False}
        if word.lower() in truth:
            return truth[word.lower()]
    elif word.lower() in ("-", "null", "none", "~"):
        return None
    elif kind.accepts(word):
        return word
    raise UsageError(f"'{text}' is not a value of {unit}: expected {kind.expected()}")


def parse_decide(option: str) -> tuple[str, str, str]:
    """``CASE:UNIT=VALUE`` → ``(case, unit, value text)``."""
    unit, equals, value = option.partition("=")
    case, colon, path = unit.partition(":")
    if not (equals and colon and case and path):
        raise UsageError(
            f"--decide {option!r}: write CASE:UNIT=VALUE, e.g. k1:course.outcomes.relapse=true"
        )
    return case.strip(), path.strip(), value


def round_figures(report: AgreementReport, number: int, date: str) -> dict[str, Any]:
    """The ``rounds`` entry of a comparison: its codings and overall agreement."""
    overall = report.overall()

    def number_or_none(value: float) -> float | None:
        return None if math.isnan(value) else round(value, 4)

    interval = None
    if report.bootstrap and not any(math.isnan(v) for v in overall.alpha_ci):
        interval = [round(overall.alpha_ci[0], 4), round(overall.alpha_ci[1], 4)]
    return {
        "round": number,
        "date": date,
        "coders": [coder_name(source) for source in report.coders],
        "units": overall.units,
        "percent_agreement": number_or_none(overall.percent_agreement),
        "krippendorff_alpha": number_or_none(overall.krippendorff_alpha),
        "alpha_ci": interval,
        "disagreements": overall.disagreements,
    }


def decision_entry(
    item: OpenDisagreement, decided: Hashable, by: str, reason: str, number: int, date: str
) -> dict[str, Any]:
    """A ``decisions`` entry for one open disagreement."""
    return {
        "case": item.case,
        "unit": item.unit,
        "codings": dict(item.codings),
        "decision": decided,
        "by": by,
        "reason": reason,
        "round": number,
        "date": date,
    }


def today() -> str:
    return datetime.date.today().isoformat()


def _flow(data: dict[str, Any]) -> CommentedMap:
    mapping = CommentedMap(data)
    mapping.fa.set_flow_style()
    return mapping


def _block(data: dict[str, Any], flow_keys: tuple[str, ...]) -> CommentedMap:
    mapping = CommentedMap()
    for key, value in data.items():
        if key in flow_keys and isinstance(value, dict):
            value = _flow(value)
        elif key in flow_keys and isinstance(value, list):
            value = CommentedSeq(value)
            value.fa.set_flow_style()
        mapping[key] = value
    return mapping


def _null(representer: Any, _data: None) -> Any:
    """``null`` written out: an empty ``decision:`` reads as a value someone forgot."""
    return representer.represent_scalar("tag:yaml.org,2002:null", "null")


def log_text(
    path: Path, round_entry: dict[str, Any] | None, decisions: Sequence[dict[str, Any]]
) -> str:
    """The log's new text: the old one (comments kept) with the round and decisions added."""
    yaml = round_trip_yaml()
    yaml.representer.add_representer(type(None), _null)
    tree = None
    if path.exists():
        try:
            tree = yaml.load(path.read_text(encoding="utf-8"))
        except OSError as error:
            raise UsageError(f"cannot read {path}: {error.strerror or error}") from None
    if not isinstance(tree, CommentedMap):
        tree = CommentedMap()
        tree.yaml_set_start_comment(HEADER)
    for key in ("rounds", "decisions"):
        if not isinstance(tree.get(key), list):
            tree[key] = CommentedSeq()
    if round_entry is not None:
        tree["rounds"].append(_block(round_entry, ("coders", "alpha_ci")))
    for entry in decisions:
        tree["decisions"].append(_block(entry, ("codings",)))
    return dump(yaml, tree)


def write_log(
    path: Path,
    framework: Framework,
    round_entry: dict[str, Any] | None,
    decisions: Sequence[dict[str, Any]],
) -> AdjudicationLog:
    """Add a round and decisions to the log at ``path``; the new text is checked first, and
    written in one step (nothing is written when it has a problem)."""
    text = log_text(path, round_entry, decisions)
    doc, problems = parse_text(str(path), text)
    log = AdjudicationLog(str(path))
    if doc is not None:
        log, more = check_log(doc, framework)
        problems = [*problems, *more]
    if doc is None or has_errors(problems):
        raise StudyError(problems)
    write_text_atomic(path, text)
    return log


@dataclass(frozen=True)
class AdjudicationStatus:
    """Where the adjudication stands: the latest round, its codings, how many are open."""

    log: str
    round: int
    coders: list[str]
    decisions: int
    open: int | None
    """None when the round's codings cannot be read any more (``problem`` says why)."""
    problem: str = ""

    def as_json(self) -> dict[str, Any]:
        return {
            "log": self.log,
            "round": self.round,
            "coders": self.coders,
            "decisions": self.decisions,
            "open": self.open,
            "problem": self.problem or None,
        }


def adjudication_status(framework: str) -> AdjudicationStatus | None:
    """For ``status``: the open disagreements of the log's latest round, compared anew; None
    when the study has no log (or a log without a round)."""
    path = log_path(framework)
    if not path.exists():
        return None
    compared_in = Frameworks(framework).load(framework)
    log = load_log(path, compared_in.framework)
    latest = log.round(log.latest_round())
    if latest is None:
        return None
    decided = sum(1 for d in log.decisions if d.round == latest.round)
    try:
        _, codings = load_codings(framework, latest.coders)
    except (UsageError, StudyError) as error:
        return AdjudicationStatus(str(path), latest.round, latest.coders, decided, None, str(error))
    report = compare_all(compared_in.framework, codings)
    still = open_disagreements(report, log, compared_in.framework)
    return AdjudicationStatus(str(path), latest.round, latest.coders, decided, len(still))


DECISION_FILE_KEYS = ("case", "unit", "decision", "by", "reason")


@dataclass(frozen=True)
class Requested:
    """A decision asked for on the command line or in a decisions file."""

    case: str
    unit: str
    value: str
    by: str | None = None
    reason: str | None = None
    where: str = ""
    """``FILE:LINE:COL`` of the entry in a decisions file, for messages."""


def read_decisions(path: Path) -> list[Requested]:
    """A decisions file: a YAML list of ``{case, unit, decision, reason, by}`` mappings (``by``
    may come from ``--by``). Raises :class:`StudyError` with located problems."""
    from ol_analysis.core.yamlsource import read_yaml
    from ol_analysis.diagnostics import did_you_mean

    if not path.is_file():
        raise UsageError(f"{path}: no such file")
    doc, problems = read_yaml(path)
    if doc is None:
        raise StudyError(problems)
    if not isinstance(doc.data, list):
        raise StudyError(
            [doc.diagnostic((), "wrong-type", "a decisions file is a list of decisions", None)]
        )
    found = []
    for index, item in enumerate(doc.data):
        if not isinstance(item, dict):
            problems.append(doc.diagnostic((index,), "wrong-type", "a decision is a mapping"))
            continue
        for key in item:
            if key not in DECISION_FILE_KEYS:
                hint = did_you_mean(str(key), DECISION_FILE_KEYS) or "expected " + ", ".join(
                    DECISION_FILE_KEYS
                )
                problems.append(
                    doc.diagnostic(
                        (index, key),
                        "unknown-key",
                        f"'{key}' is not a key of a decision",
                        hint,
                        key=True,
                    )
                )
        for key in ("case", "unit", "decision", "reason"):
            if key not in item:
                problems.append(
                    doc.diagnostic((index,), "missing-field", f"this decision has no '{key}'")
                )
        if all(key in item for key in ("case", "unit", "decision", "reason")):
            line, column = doc.position((index,))
            value = item["decision"]
            text = (
                "null"
                if value is None
                else str(value).lower()
                if isinstance(value, bool)
                else str(value)
            )
            found.append(
                Requested(
                    str(item["case"]),
                    str(item["unit"]),
                    text,
                    str(item["by"]) if item.get("by") is not None else None,
                    str(item["reason"]),
                    f"{doc.path}:{line}:{column}",
                )
            )
    if has_errors(problems):
        raise StudyError(problems)
    return found


def settle(
    requested: Sequence[Requested],
    still_open: Sequence[OpenDisagreement],
    log: AdjudicationLog,
    *,
    by: str | None,
    reason: str | None,
    number: int,
    date: str,
) -> list[dict[str, Any]]:
    """The log entries for requested decisions; a :class:`UsageError` names the first that
    settles no open disagreement, has a value the unit does not take, or lacks who or why."""
    by_id = {item.id: item for item in still_open}
    entries = []
    for request in requested:
        where = f"{request.where}: " if request.where else ""
        ident = unit_id(request.case, request.unit)
        item = by_id.pop(ident, None)
        if item is None:
            decided = log.settled().get((request.case, request.unit))
            problem = (
                f"already decided in round {decided.round}"
                if decided is not None
                else "not an open disagreement of these codings"
            )
            raise UsageError(f"{where}{ident}: {problem} (see 'ol-analysis adjudicate --list')")
        who, why = request.by or by, request.reason or reason
        if not who or not why:
            raise UsageError(f"{where}{ident}: say who decided (--by) and why (--reason)")
        value = parse_value(request.value, item.kind, item.unit)
        entries.append(decision_entry(item, value, who, why, number, date))
    return entries


# --- applying decisions to case files ------------------------------------------------------------


def _item_code(item: Any) -> Any:
    return item.get("code") if isinstance(item, dict) else item


def _has_evidence(item: Any) -> bool:
    return isinstance(item, dict) and any(key != "code" for key in item)


def _edit_tree(tree: Any, framework: Framework, case: str, unit: str, value: Hashable) -> None:
    """Put ``value`` at ``unit`` in a ruamel case tree: a single group's code, or a code in or
    out of a multi group's list. Codings that carry evidence or provenance are not touched."""
    group_path, _, code = unit.rpartition(".")
    group = framework.group(unit) or framework.group(group_path)
    if group is None or group.kind not in ("single", "multi"):
        raise UsageError(
            f"{case}:{unit}: only single and multi groups are applied; edit records by hand"
        )
    part_id, group_id = group.path.split(".")
    part = tree.get(part_id)
    if not isinstance(part, dict):
        part = tree[part_id] = CommentedMap()
    current = part.get(group_id)
    if group.kind == "single":
        if _has_evidence(current):
            raise UsageError(f"{case}:{unit}: the coding carries evidence; edit it by hand")
        if value is None:
            part.pop(group_id, None)
        else:
            part[group_id] = value
        return
    items = current if isinstance(current, list) else CommentedSeq()
    present = [i for i, item in enumerate(items) if _item_code(item) == code]
    if value is True and not present:
        items.append(code)
    for index in reversed(present if value is False else []):
        if _has_evidence(items[index]):
            raise UsageError(f"{case}:{unit}: the coding carries evidence; edit it by hand")
        del items[index]
    part[group_id] = items


def applied_text(
    path: Path, text: str, compared_in: LoadedFramework, case: str, unit: str, value: Hashable
) -> str:
    """The text of case file ``path`` with a decision applied, in ``fmt``'s canonical form
    (comments kept), checked: it must validate and then hold the decided value."""
    from ol_analysis.core.study import Case
    from ol_analysis.core.validate import validate_document
    from ol_analysis.feedback.fmt import format_text

    yaml = round_trip_yaml()
    tree = yaml.load(text)
    if not isinstance(tree, CommentedMap):
        raise UsageError(f"{path} is not a case file")
    framework = compared_in.framework
    _edit_tree(tree, framework, case, unit, value)
    result = format_text(dump(yaml, tree), compared_in.models, str(path), path)
    if result.formatted is None:
        raise StudyError(result.diagnostics)
    doc, problems = parse_text(str(path), result.formatted)
    model = None
    if doc is not None:
        model, more = validate_document(doc, compared_in.models, path)
        problems = [*problems, *more]
    if model is None or doc is None:
        raise StudyError(problems)
    group = framework.group(unit) or framework.group(unit.rpartition(".")[0])
    assert group is not None  # _edit_tree has found it
    codes = Case(case, str(path), model, doc).codes(group.path)
    held = (
        (codes[0] if codes else None)
        if group.kind == "single"
        else unit.rpartition(".")[2] in codes
    )
    if held != value:
        raise UsageError(f"{case}:{unit}: the decision could not be applied to {path}")
    return result.formatted


def applied_texts(
    folder: Path, compared_in: LoadedFramework, entries: Sequence[dict[str, Any]]
) -> dict[Path, str]:
    """The new text of each case file in ``folder`` that the decisions change (nothing is
    written); raises when a decision cannot be applied, so that none is."""
    from ol_analysis.core.study import case_files

    if not folder.is_dir():
        raise UsageError(f"--apply {folder}: no such folder")
    files = {path.stem: path for path in case_files(folder)}
    texts: dict[Path, str] = {}
    for entry in entries:
        path = files.get(entry["case"])
        if path is None:
            raise UsageError(f"--apply: no case file for {entry['case']} in {folder}")
        if path not in texts:
            try:
                texts[path] = path.read_text(encoding="utf-8").removeprefix("\ufeff")
            except (OSError, UnicodeDecodeError) as error:
                raise UsageError(f"cannot read {path}: {error}") from None
        texts[path] = applied_text(
            path, texts[path], compared_in, entry["case"], entry["unit"], entry["decision"]
        )
    return texts


def write_texts(texts: dict[Path, str]) -> None:
    """Write each case file in one step (a failed write leaves that file as it was)."""
    for path, text in texts.items():
        write_text_atomic(path, text)
