"""``ol-analysis diff``: what changed between two versions of a case, by identity, not by line.

Both versions are validated case models. Plain and expanded forms of the same coding are equal;
the order of codes in a multi group and of keys in a mapping means nothing. Codes are matched
by id, records by the ``key`` fields the framework gives their group (when a key field is free
text, such as a key moment's ``when`` and ``summary``, records left unmatched are then paired in
order, so an edited summary reads as a change, not as one moment removed and another added),
evidence items by their text (or a close variant of it).

Paths are dotted, as in diagnostics: ``course_outcome.outcomes.stability`` for a code,
``reference.if_then.0.status`` for a record field (the index in the new version; in the old one
for what was removed), ``….evidence.1`` for an evidence item.

The two versions may have been coded with different versions of the codebook (an old revision
is read with the framework of its own revision). The old version is then first put into the new
codebook's names (:mod:`ol_analysis.feedback.codebook`): a renamed or merged code is one
``codebook`` change (``codebook: support.guidance.finances → money_matters``), not a code
removed and another added.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel

from ol_analysis.core.casemodel import CaseModels
from ol_analysis.core.framework import Framework, Group, RecordField
from ol_analysis.core.validate import validate_document
from ol_analysis.core.yamlsource import parse_text
from ol_analysis.diagnostics import has_errors, sort_unique
from ol_analysis.errors import StudyError
from ol_analysis.feedback.codebook import compare_frameworks, translate

ChangeKind = Literal["added", "removed", "changed", "codebook"]
_PROVENANCE = ("evidence", "inferred", "basis")
_WORDS = {
    "nl": {"case": "Casus", "analysis": "Analyse", "evidence": "bewijs", "inferred": "afgeleid",
           "basis": "basis", "comments": "opmerking", "analysts": "analisten"},
    "en": {"case": "Case", "analysis": "Analysis", "evidence": "evidence", "inferred": "inferred",
           "basis": "basis", "comments": "comment", "analysts": "analysts"},
}  # fmt: skip
_SIMILAR = 0.6


@dataclass(frozen=True)
class Change:
    """One difference. ``where`` and ``shown_*`` are for people; :meth:`as_json` for machines."""

    path: str
    change: ChangeKind
    old: Any = None
    new: Any = None
    part: str = ""
    where: str = ""
    shown_old: str = ""
    shown_new: str = ""

    def as_json(self) -> dict[str, Any]:
        return {"path": self.path, "change": self.change, "old": self.old, "new": self.new}


def compact(value: Any) -> Any:
    """A dumped item without empty provenance; a bare code (or value) when nothing else is left.

    Keys come in the canonical order: the item's own fields, then evidence, inferred, basis.
    """
    if isinstance(value, list):
        return [compact(item) for item in value]
    if not isinstance(value, dict):
        return value
    kept = {
        key: compact(item)
        for key, item in sorted(value.items(), key=lambda kv: kv[0] in _PROVENANCE)
        if item is not None and not (key == "inferred" and item is False) and item != []
    }
    if len(kept) == 1 and next(iter(kept)) in ("code", "value"):
        return next(iter(kept.values()))
    return kept


def dump_case(model: BaseModel) -> dict[str, Any]:
    return model.model_dump(mode="json")


def case_from_text(models: CaseModels, text: str, display_path: str) -> BaseModel:
    """A validated case from YAML text; raises :class:`StudyError` with every problem.

    The id is not checked against a file name: git hands a textconv driver temporary files.
    """
    doc, problems = parse_text(display_path, text)
    model = None
    if doc is not None:
        model, invalid = validate_document(doc, models)
        problems = [*problems, *invalid]
    if model is None or has_errors(problems):
        raise StudyError(sort_unique(problems))
    return model


def diff_cases(
    framework: Framework,
    old: BaseModel,
    new: BaseModel,
    lang: str = "nl",
    *,
    old_framework: Framework | None = None,
) -> list[Change]:
    """Every difference between two validated versions of a case, in framework order.

    ``framework`` is the one ``new`` was validated with; ``old_framework``, when ``old`` was
    validated with another one, is compared with it and ``old`` translated into its names
    first: the codebook changes the case uses come first, as ``codebook`` changes.
    """
    differ = _Differ(framework, lang)
    before = dump_case(old)
    if old_framework is not None and old_framework is not framework:
        translation = translate(before, compare_frameworks(old_framework, framework), framework)
        before = translation.data
        for change in translation.applied:
            differ.changes.append(
                Change(change.old, "codebook", change.old, change.new, "codebook", change.line)
            )
        for group, value in translation.dropped:
            part = group.path.split(".")[0]
            differ.add(part, group.path, group.label.get(lang), compact(value), None, group.codes)
    differ.case(before, dump_case(new))
    return differ.changes


@dataclass
class _Differ:
    framework: Framework
    lang: str
    changes: list[Change] = field(default_factory=list)

    def word(self, key: str) -> str:
        return _WORDS.get(self.lang, _WORDS["en"])[key]

    def add(
        self,
        part: str,
        path: str,
        where: str,
        old: Any,
        new: Any,
        vocabulary: list[Any] | None = None,
        hidden: tuple[str, ...] = (),
    ) -> None:
        """Record a change; ``hidden`` keys of an item are left out of what people see."""
        if old == new:
            return
        kind: ChangeKind = "added" if old is None else "removed" if new is None else "changed"
        shown_old, shown_new = (
            self.show(
                {k: x for k, x in v.items() if k not in hidden} if isinstance(v, dict) else v,
                vocabulary,
            )
            for v in (old, new)
        )
        self.changes.append(Change(path, kind, old, new, part, where, shown_old, shown_new))

    def show(self, value: Any, vocabulary: list[Any] | None) -> str:
        """A value for people: code labels, texts on one line, items as a short summary."""
        if value is None:
            return ""
        if isinstance(value, str) and vocabulary:
            label = next((c.label.get(self.lang) for c in vocabulary if c.id == value), None)
            return f"{label} [{value}]" if label and label != value else value
        if isinstance(value, dict):
            return self.show_item(value, vocabulary)
        if isinstance(value, list):
            return "; ".join(self.show(v, vocabulary) for v in value)
        if isinstance(value, bool):
            return "true" if value else "false"
        text = " ".join(str(value).split())
        return f'"{text}"' if isinstance(value, str) and " " in text else text

    def show_item(self, item: dict[str, Any], vocabulary: list[Any] | None) -> str:
        if "quote" in item or "note" in item:  # an evidence item
            where = ", ".join(str(item[k]) for k in ("source", "speaker", "section") if k in item)
            return f"{self.show(item.get('quote') or item.get('note'), None)} ({where})"
        if "code" in item or "value" in item:
            main = self.show(item.get("code", item.get("value")), vocabulary)
        else:
            main = ", ".join(
                f"{k}: {self.show(v, None)}" for k, v in item.items() if k not in _PROVENANCE
            )
        marks = [f"{self.word('evidence')}: {len(item['evidence'])}"] if "evidence" in item else []
        marks += [self.word("inferred")] if item.get("inferred") else []
        return main + (f" [{', '.join(marks)}]" if marks else "")

    # --- the case -----------------------------------------------------------------------------

    def case(self, old: dict[str, Any], new: dict[str, Any]) -> None:
        for key in ("id", "title", "summary"):
            self.add("", key, key, old.get(key), new.get(key))
        self.analysis(old.get("analysis") or {}, new.get("analysis") or {})
        for part in self.framework.parts:
            old_part, new_part = old.get(part.id) or {}, new.get(part.id) or {}
            for group in part.groups:
                self.group(group, old_part.get(group.id), new_part.get(group.id))

    def analysis(self, old: dict[str, Any], new: dict[str, Any]) -> None:
        for key in ("subgroup", "status"):
            self.add("analysis", f"analysis.{key}", key, old.get(key), new.get(key))
        old_names, new_names = old.get("analysts") or [], new.get("analysts") or []
        for name in old_names:
            if name not in new_names:
                self.add("analysis", "analysis.analysts", self.word("analysts"), name, None)
        for name in new_names:
            if name not in old_names:
                self.add("analysis", "analysis.analysts", self.word("analysts"), None, name)
        pairs, removed, added = _match(
            old.get("comments") or [],
            new.get("comments") or [],
            lambda c: (c["path"], c["author"], c["round"]),
            by_position=False,
        )
        word = self.word("comments")
        for i, comment in removed:
            self.add(
                "analysis", f"analysis.comments.{i}", f"{word} {i + 1}", compact(comment), None
            )
        for i, comment in added:
            self.add(
                "analysis", f"analysis.comments.{i}", f"{word} {i + 1}", None, compact(comment)
            )
        for (_i, before), (j, after) in pairs:
            for key in ("text", "resolved"):
                where = f"{word} {j + 1} ({after['path']}, {after['author']}) {key}"
                path = f"analysis.comments.{j}.{key}"
                self.add("analysis", path, where, before.get(key), after.get(key))

    # --- groups -------------------------------------------------------------------------------

    def group(self, group: Group, old: Any, new: Any) -> None:
        part, label = group.path.split(".")[0], group.label.get(self.lang)
        if group.kind == "records":
            self.records(group, old or [], new or [])
        elif group.kind == "multi":
            self.multi(group, old, new)
        elif old is None or new is None:
            self.add(part, group.path, label, compact(old), compact(new), group.codes)
        else:
            main = "code" if group.is_coded else "value"
            self.add(part, group.path, label, old[main], new[main], group.codes)
            self.provenance(part, group.path, label, old, new)

    def multi(self, group: Group, old: list[Any] | None, new: list[Any] | None) -> None:
        part, label = group.path.split(".")[0], group.label.get(self.lang)
        if old is None or new is None:  # not coded at all, versus coded (perhaps as 'none')
            if old != new:
                self.add(part, group.path, label, compact(old), compact(new), group.codes)
            return
        before = {item["code"]: item for item in old}
        after = {item["code"]: item for item in new}
        known = [c.id for c in group.codes]
        unknown = [code for code in (*before, *after) if code not in known]  # a removed code
        for code in dict.fromkeys([*known, *unknown]):
            path = f"{group.path}.{code}"
            if code in before and code not in after:
                self.add(part, path, label, compact(before[code]), None, group.codes)
            elif code in after and code not in before:
                self.add(part, path, label, None, compact(after[code]), group.codes)
            elif code in after:
                shown = self.show(code, group.codes)
                self.provenance(part, path, f"{label}: {shown}", before[code], after[code])

    def records(self, group: Group, old: list[dict[str, Any]], new: list[dict[str, Any]]) -> None:
        part, label = group.path.split(".")[0], group.label.get(self.lang)
        keys = group.key or [f.id for f in group.fields]
        by_position = any(
            (f := group.field(k)) is not None and not f.is_coded for k in keys
        )  # a free-text key may have been edited
        pairs, removed, added = _match(
            old, new, lambda r: tuple(_hashable(r.get(k)) for k in keys), by_position=by_position
        )
        for i, record in removed:
            where = f"{label}: {self.identity(group, record)}"
            self.add(part, f"{group.path}.{i}", where, compact(record), None, hidden=tuple(keys))
        for i, record in added:
            where = f"{label}: {self.identity(group, record)}"
            self.add(part, f"{group.path}.{i}", where, None, compact(record), hidden=tuple(keys))
        for (_i, before), (j, after) in pairs:
            where = f"{label}: {self.identity(group, after)}"
            for record_field in group.fields:
                self.field(part, f"{group.path}.{j}", where, record_field, before, after)
            self.provenance(part, f"{group.path}.{j}", where, before, after)

    def identity(self, group: Group, record: dict[str, Any]) -> str:
        keys = group.key or [f.id for f in group.fields[:1]]
        values = []
        for key in keys:
            record_field = group.field(key)
            codes = record_field.codes if record_field is not None else None
            values.append(self.show(record.get(key), codes))
        return " / ".join(v for v in values if v)

    def field(
        self,
        part: str,
        path: str,
        where: str,
        record_field: RecordField,
        before: dict[str, Any],
        after: dict[str, Any],
    ) -> None:
        name = record_field.label.get(self.lang)
        old, new = before.get(record_field.id), after.get(record_field.id)
        if record_field.type == "codes":
            for code in old or []:
                if code not in (new or []):
                    path_to = f"{path}.{record_field.id}.{code}"
                    self.add(part, path_to, f"{where} › {name}", code, None, record_field.codes)
            for code in new or []:
                if code not in (old or []):
                    path_to = f"{path}.{record_field.id}.{code}"
                    self.add(part, path_to, f"{where} › {name}", None, code, record_field.codes)
            return
        path_to = f"{path}.{record_field.id}"
        self.add(part, path_to, f"{where} › {name}", old, new, record_field.codes)

    # --- provenance ---------------------------------------------------------------------------

    def provenance(
        self, part: str, path: str, where: str, old: dict[str, Any], new: dict[str, Any]
    ) -> None:
        for key in ("inferred", "basis"):
            before = old.get(key) or None
            after = new.get(key) or None
            self.add(part, f"{path}.{key}", f"{where} › {self.word(key)}", before, after)
        pairs, removed, added = _match_evidence(
            old.get("evidence") or [], new.get("evidence") or []
        )
        word = self.word("evidence")
        for i, item in removed:
            self.add(part, f"{path}.evidence.{i}", f"{where} › {word} {i + 1}", compact(item), None)
        for i, item in added:
            self.add(part, f"{path}.evidence.{i}", f"{where} › {word} {i + 1}", None, compact(item))
        for (_i, before), (j, after) in pairs:
            for key in ("quote", "note", "source", "speaker", "section"):
                path_to = f"{path}.evidence.{j}.{key}"
                place = f"{where} › {word} {j + 1} › {key}"
                self.add(part, path_to, place, before.get(key), after.get(key))


Indexed = list[tuple[int, Any]]


def _hashable(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def _match(
    old: list[Any], new: list[Any], identity: Any, *, by_position: bool
) -> tuple[list[tuple[tuple[int, Any], tuple[int, Any]]], Indexed, Indexed]:
    """Pairs by identity (then, with ``by_position``, the rest in order), and the unpaired."""
    waiting: dict[Any, list[int]] = {}
    for index, item in enumerate(old):
        waiting.setdefault(identity(item), []).append(index)
    pairs, added = [], []
    for j, item in enumerate(new):
        candidates = waiting.get(identity(item))
        if candidates:
            i = candidates.pop(0)
            pairs.append(((i, old[i]), (j, item)))
        else:
            added.append((j, item))
    paired = {i for (i, _), _ in pairs}
    removed = [(i, item) for i, item in enumerate(old) if i not in paired]
    if by_position:
        extra = list(zip(removed, added, strict=False))
        pairs += extra
        removed, added = removed[len(extra) :], added[len(extra) :]
    pairs.sort(key=lambda pair: pair[1][0])
    return pairs, removed, added


def _text(evidence: dict[str, Any]) -> str:
    return str(evidence.get("quote") or evidence.get("note") or "")


def _match_evidence(
    old: list[dict[str, Any]], new: list[dict[str, Any]]
) -> tuple[list[tuple[tuple[int, Any], tuple[int, Any]]], Indexed, Indexed]:
    """Same item, then same text, then the most similar text (above a threshold)."""
    pairs, removed, added = _match(old, new, lambda e: tuple(sorted(e.items())), by_position=False)
    unchanged = list(pairs)
    for key in (_text, None):
        still_added: Indexed = []
        for j, item in added:
            best = _closest(item, removed, key)
            if best is None:
                still_added.append((j, item))
                continue
            removed.remove(best)
            unchanged.append((best, (j, item)))
        added = still_added
    unchanged.sort(key=lambda pair: pair[1][0])
    return unchanged, removed, added


def _closest(item: dict[str, Any], candidates: Indexed, key: Any) -> tuple[int, Any] | None:
    if key is not None:
        return next((c for c in candidates if key(c[1]) == key(item)), None)
    scored = [
        (difflib.SequenceMatcher(None, _text(c[1]), _text(item)).ratio(), c) for c in candidates
    ]
    scored = [s for s in scored if s[0] >= _SIMILAR]
    return max(scored, key=lambda s: s[0])[1] if scored else None


def by_part(
    framework: Framework, changes: list[Change], lang: str
) -> Iterator[tuple[str, list[Change]]]:
    """Changes grouped under a heading per part (the case's own keys and analysis first).

    ``codebook`` changes are not among them: they are shown before the parts, one line each.
    A group the framework no longer has is under its old part's id.
    """
    words = _WORDS.get(lang, _WORDS["en"])
    headings = [("", words["case"]), ("analysis", words["analysis"])]
    headings += [(p.id, f"{p.label.get(lang)} [{p.id}]") for p in framework.parts]
    known = {part_id for part_id, _heading in headings} | {"codebook"}
    headings += [(c.part, f"[{c.part}]") for c in changes if c.part not in known]
    headings = list(dict.fromkeys(headings))
    for part_id, heading in headings:
        selected = [change for change in changes if change.part == part_id]
        if selected:
            yield heading, selected
