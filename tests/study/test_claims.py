"""The published report as a test corpus (``tests/study/claims.yaml``).

Every figure and quantified claim of the report's 3.1–3.3, chapter 4 and Bijlage I and II is an
entry with the report's line, sentence and value, the query that reproduces it, and the chapter
that must state it. This module checks, for the shipped study:

- the corpus itself: ids unique, each sentence at its line of the report (where the report is
  at hand), a reason for every claim the data cannot carry;
- the data: every query of a claim marked ``data_agrees: true`` reproduces the published value,
  and a claim marked ``false`` still does not (so the flag is flipped when the data is mended);
- the chapters: every claim the data carries is stated in its rendered Dutch chapter with the
  published value (its ``states`` phrases), unless the entry says why not yet (``pending``); a
  pending claim that is in fact stated fails too, so the list only shrinks.

The coverage, k of N, is printed at the end of the test run.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

import ol_analysis
from ol_analysis.analysis import queries

HERE = Path(__file__).parent
REPO = HERE.parents[1]
SEED = REPO.parent / "shared" / "seeds" / "004_97785c2a4569107b.txt"
CLAIMS: list[dict[str, Any]] = yaml.safe_load((HERE / "claims.yaml").read_text(encoding="utf-8"))
CHAPTER_PREFIX = {
    "3.1": "3.1-",
    "3.2": "3.2-",
    "3.3": "3.3-",
    "4": "4-",
    "bijlage-1": "bijlage-1-",
    "bijlage-2": "bijlage-2-",
}


def _ids(claims: list[dict[str, Any]]) -> Iterator[str]:
    return (claim["id"] for claim in claims)


def _plain(text: str) -> str:
    """Chapter text as a reader sees it: no Markdown emphasis or links, one space, lower case."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"[*_`]", "", text)
    text = text.replace("’", "'").replace("‘", "'").replace("\u00a0", " ")
    return " ".join(text.split()).lower()


@pytest.fixture(scope="module")
def study() -> ol_analysis.Study:
    return ol_analysis.load_study(REPO)


@pytest.fixture(scope="module")
def chapters(study: ol_analysis.Study, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    from ol_analysis.report.build import build_report, study_provenance

    out = tmp_path_factory.mktemp("claims-build")
    provenance = study_provenance(study, REPO, date="2024-05-01", commit="abc1234")
    build_report(study, out, lang="nl", formats=("md",), provenance=provenance)
    texts = {path.name: path.read_text(encoding="utf-8") for path in (out / "md").glob("*.md")}
    found = {}
    for chapter, prefix in CHAPTER_PREFIX.items():
        names = [name for name in texts if name.startswith(prefix)]
        found[chapter] = _plain(texts[names[0]]) if names else ""
    return found


def _finding(study: ol_analysis.Study, path: str) -> Any:
    findings = getattr(study, "findings", None)
    if findings is None:
        raise LookupError("the study has no study.yaml")
    return findings.lookup(path) if hasattr(findings, "lookup") else findings.scalar(path)


QUANTIFIERS = {  # the corpus's word → the words of queries.quantifier it admits
    "all": {"all"},
    "most": {"most", "all"},
    "some": {"some", "half", "most"},
    "none": {"none"},
}


def _reproduces(study: ol_analysis.Study, query: dict[str, Any]) -> bool:
    expect = query.get("expect")
    try:
        got = _finding(study, query["study"]) if "study" in query else queries.run(study, query)
    except (LookupError, ol_analysis.UsageError, AttributeError):
        return False
    if "contains" in query:  # a phrase of a study-level text
        texts = got if isinstance(got, list) else [got]
        return any(query["contains"] in " ".join(str(text).split()) for text in texts)
    if "includes" in query:  # codes among a study-level list
        return set(query["includes"]) <= set(got if isinstance(got, list) else [got])
    if "length" in query:  # how many study-level records
        return isinstance(got, list) and len(got) == query["length"]
    if "quantifier" in query:
        return got in QUANTIFIERS[expect]
    if isinstance(got, float) and isinstance(expect, int | float):
        digits = 0 if isinstance(expect, int) else len(str(expect).split(".")[1])
        return round(got, digits) == expect
    return bool(got == expect)


def _queries(claim: dict[str, Any]) -> list[dict[str, Any]]:
    query = claim.get("query")
    return query if isinstance(query, list) else [query] if query else []


def test_the_corpus_is_well_formed() -> None:
    ids = list(_ids(CLAIMS))
    assert len(ids) == len(set(ids)), [i for i, n in Counter(ids).items() if n > 1]
    for claim in CLAIMS:
        assert claim["chapter"] in CHAPTER_PREFIX, claim["id"]
        assert claim["sentence"] and claim["value"], claim["id"]
        if not claim["carried"]:
            assert claim.get("reason"), f"{claim['id']}: a claim the data cannot carry says why"
        elif claim.get("pending"):
            assert isinstance(claim["pending"], str), claim["id"]


@pytest.mark.skipif(not SEED.is_file(), reason="the published report is not beside the repository")
def test_each_sentence_is_at_its_line_of_the_report() -> None:
    lines = SEED.read_text(encoding="utf-8").splitlines()
    for claim in CLAIMS:
        start = claim["line"] - 1
        window = " ".join(" ".join(lines[start : start + 6]).split())
        words = " ".join(claim["sentence"].split()[:3])
        assert words in window, f"{claim['id']}: '{words}' not at line {claim['line']}"


@pytest.mark.parametrize(
    "claim", [c for c in CLAIMS if c["carried"]], ids=lambda claim: claim["id"]
)
def test_the_data_gives_the_published_value(
    study: ol_analysis.Study, claim: dict[str, Any], claims_coverage: Counter[str]
) -> None:
    claims_coverage["corpus"] = len(CLAIMS)
    claims_coverage["carried"] += 1
    if not _queries(claim):
        assert claim.get("note"), f"{claim['id']}: a claim without a query says why in its note"
        return
    reproduced = all(_reproduces(study, query) for query in _queries(claim))
    claims_coverage["reproduced"] += reproduced
    if claim["data_agrees"]:
        assert reproduced, f"{claim['id']}: the data no longer gives {claim['value']!r}"
    else:
        assert not reproduced, f"{claim['id']}: the data now agrees; set data_agrees: true"


@pytest.mark.parametrize(
    "claim", [c for c in CLAIMS if c["carried"]], ids=lambda claim: claim["id"]
)
def test_the_chapter_states_it(
    chapters: dict[str, str], claim: dict[str, Any], claims_coverage: Counter[str]
) -> None:
    text = chapters[claim["chapter"]]
    missing = [phrase for phrase in claim["states"] if _plain(phrase) not in text]
    stated = not missing
    claims_coverage["stated"] += stated
    if claim.get("pending"):
        assert not stated, f"{claim['id']}: stated now; remove its 'pending'"
    else:
        assert stated, f"{claim['id']}: chapter {claim['chapter']} lacks {missing}"
