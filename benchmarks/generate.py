"""A seeded generator of realistic synthetic studies, drawn from a framework.

    python benchmarks/generate.py --cases 1000 --out /tmp/study-1000 [--seed 7]

Each case codes every required group and about half of the optional ones, with records, key
moments and evidence quotes of realistic length (made-up Dutch-like words; no personal data).
"""

from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path
from typing import Any

from ol_analysis.core.framework import Framework, Group, RecordField, load_framework

WORDS = tuple(
    [
        "cliënt",
        "begeleider",
        "team",
        "contact",
        "week",
        "gesprek",
        "behandeling",
        "medicatie",
        "rust",
        "dagbesteding",
        "vertrouwen",
        "regie",
        "netwerk",
        "familie",
        "partner",
        "huisarts",
        "opname",
        "crisis",
        "herstel",
        "stap",
        "samen",
        "afspraak",
        "wonen",
        "werk",
        "geld",
        "structuur",
        "zorg",
        "steun",
        "tijd",
        "ritme",
        "moeite",
        "hulp",
        "plan",
        "doel",
    ]
)


def sentence(rng: random.Random, low: int = 8, high: int = 30) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(low, high))]
    return " ".join(words).capitalize() + "."


def evidence(rng: random.Random) -> list[dict[str, Any]]:
    return [
        {
            "quote": " ".join(sentence(rng) for _ in range(rng.randint(1, 3))),
            "source": "report",
            "speaker": rng.choice(["client", "relative", "professional"]),
            "section": "3.1",
        }
        for _ in range(rng.randint(1, 2))
    ]


def _code_item(rng: random.Random, code: str) -> Any:
    if rng.random() < 0.3:
        item: dict[str, Any] = {"code": code, "evidence": evidence(rng)}
        if rng.random() < 0.3:
            item.update(inferred=True, basis=sentence(rng))
        return item
    return code


def _field_value(rng: random.Random, field: RecordField, index: int) -> Any:
    if field.type == "code":
        return rng.choice(field.codes).id
    if field.type == "codes":
        return sorted({rng.choice(field.codes).id for _ in range(rng.randint(1, 2))})
    if field.type == "bool":
        return rng.random() < 0.5
    if field.type in ("integer", "number"):
        low = int(field.min) if field.min is not None else 0
        high = int(field.max) if field.max is not None else 5000
        return rng.randint(low, high)
    if field.type in ("date", "month"):
        return f"20{19 + index // 12:02d}-{index % 12 + 1:02d}" + (
            "-15" if field.type == "date" else ""
        )
    if field.type == "period":
        return f"fase {index + 1}"
    return sentence(rng, 5, 15)


def _records(rng: random.Random, group: Group) -> list[dict[str, Any]]:
    count = rng.randint(2, 6)
    records: list[dict[str, Any]] = []
    keys: set[tuple[Any, ...]] = set()
    for index in range(count * 3):
        record = {
            f.id: _field_value(rng, f, index)
            for f in group.fields
            if f.required or rng.random() < 0.6
        }
        key = tuple(str(record.get(k)) for k in group.key)
        if key in keys:
            continue
        keys.add(key)
        if rng.random() < 0.4:
            record["evidence"] = evidence(rng)
        records.append(record)
        if len(records) == count:
            break
    return records


def _group_value(rng: random.Random, group: Group, coded: dict[str, Any]) -> Any:
    if group.kind == "single":
        return _code_item(rng, rng.choice(group.codes).id)
    if group.kind == "multi":
        chosen = rng.sample(group.codes, k=rng.randint(1, min(4, len(group.codes))))
        return [_code_item(rng, code.id) for code in chosen]
    if group.kind == "records":
        return _records(rng, group)
    if group.kind == "bool":
        return rng.random() < 0.5
    if group.kind in ("integer", "number"):
        return rng.randint(int(group.min or 0), int(group.max or 100))
    return sentence(rng)


def generate_case(framework: Framework, case_id: str, rng: random.Random) -> dict[str, Any]:
    case: dict[str, Any] = {
        "id": case_id,
        "title": sentence(rng, 2, 5).rstrip("."),
        "summary": " ".join(sentence(rng) for _ in range(6)),
        "analysis": {"subgroup": rng.choice("AB"), "analysts": ["analyst-1"], "status": "final"},
    }
    coded: dict[str, Any] = {}
    for part in framework.parts:
        values: dict[str, Any] = {}
        for group in part.groups:
            if group.only_with:
                continue
            if group.required or rng.random() < 0.5:
                values[group.id] = _group_value(rng, group, coded)
        case[part.id] = values
    return case


def write_study(framework_path: Path, out: Path, n_cases: int, seed: int = 7) -> Path:
    import yaml  # PyYAML's C emitter: fast; it quotes ids such as '18_25', which is fine

    framework = load_framework(framework_path)
    if out.exists():
        shutil.rmtree(out)
    (out / "cases").mkdir(parents=True)
    shutil.copy(framework_path, out / "framework.yaml")
    rng = random.Random(seed)
    for number in range(1, n_cases + 1):
        case_id = f"s{number:05d}"
        text = yaml.dump(
            generate_case(framework, case_id, rng),
            Dumper=yaml.CSafeDumper,
            allow_unicode=True,
            sort_keys=False,
            width=100,
        )
        (out / "cases" / f"{case_id}.yaml").write_text(text, encoding="utf-8")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=100)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--framework", type=Path, default=Path(__file__).resolve().parents[1] / "framework.yaml"
    )
    args = parser.parse_args()
    write_study(args.framework, args.out, args.cases, args.seed)


if __name__ == "__main__":
    main()
