"""Property test: for generated valid cases, written in messy ways with comments everywhere,
``fmt`` keeps the meaning and every comment, and formatting twice changes nothing.

Cases are generated from a framework (the mini fixture and the shipped ``framework.yaml``):
random codes in plain and expanded form, evidence with awkward texts (quotes, colons, ``#``,
unicode, leading spaces, line breaks), records, the analysis block. The text is then written
with random key order, indentation, flow or block style, quoting and comments.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ol_analysis.core.casemodel import CaseModels
from ol_analysis.core.framework import Framework, Group, RecordField, load_framework
from ol_analysis.core.validate import validate_document
from ol_analysis.core.yamlsource import parse_text, resolve_plain_scalar
from ol_analysis.feedback.fmt import format_text, same_data
from ol_analysis.feedback.fmt.comments import comment_texts

HERE = Path(__file__).resolve().parent
FRAMEWORKS = {
    "mini": HERE.parent / "fixtures" / "mini" / "framework.yaml",
    "shipped": HERE.parents[1] / "framework.yaml",
}
EXAMPLES = 60

_CHARS = st.sampled_from(list("abcdefghij klmn XYZ 0123:#'\"-,.é€ü“”ĳ→\\\t\n"))
TEXT = st.text(_CHARS, min_size=1, max_size=40).filter(lambda s: s.strip())
LONG = st.text(st.sampled_from(list("abcdef ghij klmno pq, ")), min_size=90, max_size=240)
WORDS = st.sampled_from(["kort na de start", "2020-03", "2021-11-02", "begin traject", "daarna"])
COMMENT = st.text(st.sampled_from(list("abc xyz #:'\"é-")), max_size=20).map(lambda s: "# " + s)


@st.composite
def texts(draw: st.DrawFn) -> str:
    text = draw(st.one_of(TEXT, LONG, WORDS))
    if draw(st.booleans()) and draw(st.booleans()):
        text = "  " + text  # leading spaces
    return text


@st.composite
def provenance(draw: st.DrawFn, framework: Framework) -> dict[str, Any]:
    extra: dict[str, Any] = {}
    evidence = []
    for _ in range(draw(st.integers(0, 2))):
        item: dict[str, Any] = {
            draw(st.sampled_from(["quote", "note"])): draw(texts()),
            "source": draw(st.sampled_from([c.id for c in framework.evidence.sources])),
        }
        if draw(st.booleans()):
            item["speaker"] = draw(st.sampled_from([c.id for c in framework.evidence.speakers]))
        if draw(st.booleans()):
            item["section"] = draw(st.sampled_from(["3.1", "3.2", "Bijlage II", "4"]))
        evidence.append(item)
    if evidence:
        extra["evidence"] = evidence
    if draw(st.booleans()):
        extra["inferred"] = True
        extra["basis"] = draw(texts())
    return extra


@st.composite
def field_value(draw: st.DrawFn, field: RecordField) -> Any:
    if field.type == "code":
        return draw(st.sampled_from([c.id for c in field.codes]))
    if field.type == "codes":
        codes = [c.id for c in field.codes]
        return draw(st.lists(st.sampled_from(codes), unique=True, max_size=3))
    if field.type in ("integer", "number"):
        low, high = int(field.min or 0), int(field.max if field.max is not None else 50_000)
        return draw(st.integers(low, high))
    if field.type == "bool":
        return draw(st.booleans())
    if field.type == "date":
        return draw(st.sampled_from(["2020-03-05", "2021-12-31"]))
    if field.type == "month":
        return draw(st.sampled_from(["2020-03", "2021-12"]))
    return draw(st.one_of(WORDS, TEXT))


@st.composite
def group_value(draw: st.DrawFn, framework: Framework, group: Group) -> Any:
    codes = [c.id for c in group.codes]
    expanded = draw(st.booleans())
    if group.kind == "single":
        code = draw(st.sampled_from(codes))
        return {"code": code, **draw(provenance(framework))} if expanded else code
    if group.kind == "multi":
        chosen = draw(st.lists(st.sampled_from(codes), unique=True, max_size=4))
        return [
            {"code": c, **draw(provenance(framework))} if draw(st.booleans()) else c for c in chosen
        ]
    if group.kind == "records":
        records, seen = [], set()
        for _ in range(draw(st.integers(0, 3))):
            record = {
                f.id: draw(field_value(f))
                for f in group.fields
                if f.required or draw(st.booleans())
            }
            identity = tuple(str(record.get(k)) for k in group.key)
            if identity not in seen:
                seen.add(identity)
                records.append({**record, **draw(provenance(framework))})
        return records
    if group.kind == "bool":
        value: Any = draw(st.booleans())
    elif group.kind in ("integer", "number"):
        low = int(group.min) if group.min is not None else -5
        value = draw(st.integers(low, int(group.max) if group.max is not None else 99))
    else:
        value = draw(texts())
    return {"value": value, **draw(provenance(framework))} if expanded else value


@st.composite
def cases(draw: st.DrawFn, framework: Framework) -> dict[str, Any]:
    case: dict[str, Any] = {"id": "c01", "title": draw(st.one_of(WORDS, TEXT))}
    if draw(st.booleans()):
        case["summary"] = draw(st.one_of(texts(), LONG.map(lambda s: s.strip() + "\n")))
    if draw(st.booleans()):
        case["analysis"] = {
            "subgroup": "A",
            "analysts": ["analyst-a1", "analyst-b2"],
            "status": draw(st.sampled_from(["draft", "feedback", "final"])),
            "comments": [{"path": "course.pattern", "author": "analyst-b2", "text": draw(TEXT)}],
        }
    coded: set[str] = set()
    for part in framework.parts:
        values = {}
        for group in part.groups:
            if group.only_with and group.only_with not in coded:
                continue
            if group.required or draw(st.booleans()):
                values[group.id] = draw(group_value(framework, group))
                items = (
                    values[group.id] if isinstance(values[group.id], list) else [values[group.id]]
                )
                coded |= {f"{group.path}.{_code(i)}" for i in items if group.is_coded}
        if values or any(g.required for g in part.groups):
            case[part.id] = values
    return case


def _code(item: Any) -> str:
    return str(item["code"] if isinstance(item, dict) else item)


# --- writing the case messily ----------------------------------------------------------------


def _plain_ok(text: str) -> bool:
    return re.fullmatch(r"[a-z0-9_][a-z0-9_.-]*", text) is not None and isinstance(
        resolve_plain_scalar(text), str
    )


class Messy:
    """Writes data as YAML with random styles and comments, drawing every choice."""

    def __init__(self, draw: st.DrawFn) -> None:
        self.draw = draw
        self.step = draw(st.sampled_from([2, 4]))
        self.after_block = False  # a deeper comment line would continue a block scalar

    def maybe(self) -> bool:
        return self.draw(st.integers(0, 3)) == 0

    def eol(self) -> str:
        return f"  {self.draw(COMMENT)}" if self.maybe() else ""

    def own(self, indent: int) -> list[str]:
        if not self.maybe():
            return []
        deeper = [] if self.after_block else [indent + 2]
        column = self.draw(st.sampled_from([0, indent, *deeper]))
        self.after_block = False
        return [" " * column + self.draw(COMMENT)]

    def scalar(self, value: Any, indent: int = 0) -> str:
        if isinstance(value, bool):
            return self.draw(st.sampled_from(["true", "True"] if value else ["false", "FALSE"]))
        if isinstance(value, int):
            return str(value)
        if _plain_ok(value) and self.draw(st.booleans()):
            return value
        block = self.block(value, indent)
        if block is not None and self.draw(st.booleans()):
            return block
        if "\n" not in value and "\t" not in value and self.draw(st.booleans()):
            return "'" + value.replace("'", "''") + "'"
        return json.dumps(value, ensure_ascii=self.draw(st.booleans()))

    def block(self, value: str, indent: int) -> str | None:
        """A literal or folded block scalar, when one can hold the text exactly."""
        pad = "\n" + " " * (indent + self.step)
        lines = value.split("\n")
        clean = all(line == line.strip(" \t") for line in lines if line)
        if value.endswith("\n") and value.count("\n") == 1 and clean and "  " not in value:
            words = value[:-1].split(" ")
            cut = self.draw(st.integers(1, max(1, len(words))))
            folded = " ".join(words[:cut]) + (pad + " ".join(words[cut:]) if words[cut:] else "")
            return ">" + pad + folded
        if clean and value.strip(" \t\n") and not value.endswith("\n\n") and lines[0]:
            chomp = "" if value.endswith("\n") else "-"
            body = lines[:-1] if value.endswith("\n") else lines
            return f"|{chomp}" + "".join(pad + line if line else "\n" for line in body)
        return None

    def flow(self, value: Any) -> str | None:
        if isinstance(value, list) and all(isinstance(v, str) and _plain_ok(v) for v in value):
            gap = f",  {self.draw(COMMENT)}\n  " if self.maybe() else ", "
            return "[" + gap.join(value) + "]"
        if isinstance(value, dict) and all(not isinstance(v, dict | list) for v in value.values()):
            items = (f"{k}: {self.scalar(v)}" for k, v in value.items() if "\n" not in str(v))
            if len(list(items)) != len(value):
                return None
            return "{" + ", ".join(f"{k}: {json.dumps(v)}" for k, v in value.items()) + "}"
        return None

    def node(self, value: Any, indent: int) -> tuple[str, list[str]]:
        """The rest of the line after 'key:' or '-', and the lines below it."""
        if isinstance(value, dict | list) and not value:
            return (" {}" if isinstance(value, dict) else " []") + self.eol(), []
        if isinstance(value, dict | list):
            flow = self.flow(value)
            if flow is not None and self.maybe():
                return " " + flow + self.eol(), []
            lines = (
                self.mapping(value, indent) if isinstance(value, dict) else self.seq(value, indent)
            )
            return self.eol(), lines
        text = self.scalar(value, indent - self.step)
        if text.startswith(("|", ">")):  # a comment may follow the indicator, not the text
            head, _, body = text.partition("\n")
            self.after_block = True
            return f" {head}{self.eol()}\n{body}", []
        return " " + text + self.eol(), []

    def mapping(self, data: dict[str, Any], indent: int) -> list[str]:
        keys = list(data)
        keys = self.draw(st.permutations(keys)) if self.maybe() else keys
        lines: list[str] = []
        for key in keys:
            lines += self.own(indent)
            rest, below = self.node(data[key], indent + self.step)
            lines.append(" " * indent + f"{key}:{rest}")
            lines += below
        return lines

    def seq(self, data: list[Any], indent: int) -> list[str]:
        lines: list[str] = []
        pad = " " * indent
        for item in data:
            lines += self.own(indent)
            if isinstance(item, dict) and item:
                inner = self.mapping(item, indent + 2)
                lines.append(
                    pad + "- " + inner[0].lstrip()
                    if not inner[0].lstrip().startswith("#")
                    else pad + "-"
                )
                lines += inner[1:] if not inner[0].lstrip().startswith("#") else inner
            else:
                rest, below = self.node(item, indent + self.step)
                lines.append(pad + "-" + rest)
                lines += below
        return lines


@st.composite
def messy_cases(draw: st.DrawFn, framework: Framework) -> str:
    case = draw(cases(framework))
    writer = Messy(draw)
    header = [draw(COMMENT)] if draw(st.booleans()) else []
    footer = [draw(COMMENT)] if draw(st.booleans()) else []
    return "\n".join([*header, *writer.mapping(case, 0), *footer]) + "\n"


def _check(models: CaseModels, text: str) -> None:
    doc, problems = parse_text("in.yaml", text)
    assert doc is not None, problems
    problems = validate_document(doc, models)[1]
    assert problems == [], (problems, text)  # the generator writes valid cases
    result = format_text(text, models)
    assert result.diagnostics == [] and result.formatted is not None, (text, result.diagnostics)
    formatted = result.formatted
    again = parse_text("out.yaml", formatted)[0]
    assert again is not None and same_data(doc.data, again.data)
    assert sorted(comment_texts(text)) == sorted(comment_texts(formatted))
    assert format_text(formatted, models).formatted == formatted, formatted


@pytest.mark.parametrize("name", sorted(FRAMEWORKS))
def test_fmt_keeps_meaning_and_comments_and_is_idempotent(name: str) -> None:
    framework = load_framework(FRAMEWORKS[name])
    models = CaseModels(framework)

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(messy_cases(framework))
    def run(text: str) -> None:
        _check(models, text)

    run()
