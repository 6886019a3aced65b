"""Memos are validated like case files: every problem at its line and column in the memo, with
a hint; an unknown target gets a did-you-mean."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ol_analysis.core.memos import Memos, check_targets, parse_memo, read_memos
from ol_analysis.core.study import load_study

Run = Callable[[Path], tuple[int, list[dict[str, Any]]]]

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "transcripts-study"
GOOD_FRONT = "---\ntitle: A memo\nauthor: analyst-c\ndate: 2024-06-01\n"


def write(study: Path, name: str, text: str) -> str:
    path = study / "memos" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return f"memos/{name}"


def test_the_example_memos_are_valid_and_loaded(study: Path, diagnostics: Run) -> None:
    code, found = diagnostics(study)
    assert (code, found) == (0, [])
    memos = load_study(study).memos
    assert sorted(m.id for m in memos) == ["p02-thuisdetox", "vertrouwen-eerst"]
    memo = memos.get("p02-thuisdetox")
    assert memo is not None and memo.author == "analyst-a" and memo.date == "2024-05-02"
    assert [t.key for t in memo.targets] == ["case:p02", "quote:p02"]
    assert memo.text.startswith("In de casusbespreking") and "---" not in memo.text


CASES = [
    # (memo text, line, column, rule, words of the hint)
    (GOOD_FRONT + "target: study\ntitel: x\n---\nText.\n", 6, 1, "unknown-key", "title"),
    (GOOD_FRONT + "target: {case: p04}\n---\nText.\n", 5, 16, "unknown-target", "p03"),
    (
        GOOD_FRONT + "target: {code: support.guidance.contact_with_childern}\n---\nText.\n",
        5,
        16,
        "unknown-target",
        "support.guidance.contact_with_children",
    ),
    (GOOD_FRONT + "targets:\n  - part: suport\n---\nText.\n", 6, 11, "unknown-target", "support"),
    (
        GOOD_FRONT + 'targets:\n  - quote: {case: p02, text: "thuisdetox gepland"}\n---\nT.\n',
        6,
        12,
        "unknown-target",
        "We hebben samen een thuisdetox voorbereid",
    ),
    (
        GOOD_FRONT + 'targets:\n  - quote: {doc: p01-intervew, text: "schulden"}\n---\nT.\n',
        6,
        12,
        "unknown-target",
        "p01-interview",
    ),
    (GOOD_FRONT + "targets:\n  - stud\n---\nText.\n", 6, 5, "wrong-type", "study"),
    (
        "---\ntitle: A memo\ndate: 2024-02-30\ntarget: study\n---\nText.\n",
        3,
        7,
        "invalid-date",
        "",
    ),
    (
        "---\ntitle: A memo\nauthor: Jan de Vries\ntarget: study\n---\nText.\n",
        3,
        9,
        "invalid-handle",
        "handle",
    ),
    ("---\ntitle: A memo\ntarget: study\n---\n\n", 4, 1, "empty-memo", "below"),
    ("Just text, no front matter.\n", 1, 1, "memo-front-matter", "front matter"),
    ("---\ntarget: study\n---\nText.\n", 2, 1, "missing-key", "title"),
    ("---\ntitle: A memo\n---\nText.\n", 2, 1, "missing-key", "target"),
    ("---\ntitle: [unclosed\ntarget: study\n---\nText.\n", 3, 7, "yaml-syntax", ""),
]


@pytest.mark.parametrize(("text", "line", "column", "rule", "hint"), CASES)
def test_each_rule_at_its_place(
    study: Path, diagnostics: Run, text: str, line: int, column: int, rule: str, hint: str
) -> None:
    path = write(study, "broken.md", text)
    code, found = diagnostics(study)
    assert code == 1
    mine = [d for d in found if d["path"] == path]
    assert [(d["line"], d["column"], d["rule"]) for d in mine] == [(line, column, rule)]
    assert hint in (mine[0]["hint"] or "")


def test_every_target_kind_that_names_something_is_valid(study: Path, diagnostics: Run) -> None:
    write(
        study,
        "all-kinds.md",
        GOOD_FRONT + "targets:\n"
        "  - case: p01\n"
        "  - code: support.guidance.contact_with_children\n"
        "  - code: support.guidance\n"
        "  - part: profile\n"
        "  - quote: {case: p01, text: 'zelf gebeld met de SCHULDHULPVERLENING'}\n"
        "  - quote: {doc: p01-interview, text: zelf gebeld met de schuldhulpverlening}\n"
        "  - study\n"
        "---\nText.\n",
    )
    assert diagnostics(study) == (0, [])
    memo = load_study(study).memos.get("all-kinds")
    assert memo is not None and len(memo.targets) == 7


def test_a_memo_in_a_subfolder_with_the_name_of_another_is_a_duplicate(
    study: Path, diagnostics: Run
) -> None:
    path = write(study, "old/p02-thuisdetox.md", GOOD_FRONT + "target: study\n---\nText.\n")
    code, found = diagnostics(study)
    assert code == 1
    assert [(d["path"], d["rule"]) for d in found] == [
        ("memos/p02-thuisdetox.md", "duplicate-memo")
    ]
    assert path in found[0]["message"]


def test_a_quote_of_a_missing_transcript_is_not_checked(study: Path, diagnostics: Run) -> None:
    (study / "sources" / "p01-interview.txt").unlink()
    write(
        study,
        "missing.md",
        GOOD_FRONT + "target: {quote: {doc: p01-interview, text: anything}}\n---\nText.\n",
    )
    _code, found = diagnostics(study)
    assert "unknown-target" not in {d["rule"] for d in found}


def test_bad_bytes_are_a_diagnostic_not_a_traceback(tmp_path: Path) -> None:
    folder = tmp_path / "memos"
    folder.mkdir()
    (folder / "latin.md").write_bytes(b"---\ntitle: caf\xe9\n---\n")
    (folder / "list.md").write_text("---\n- a\n- b\n---\nText.\n", encoding="utf-8")
    (folder / "scalar-target.md").write_text(
        "---\ntitle: x\ntarget: [1, 2]\ntargets: {a: 1}\n---\nText.\n", encoding="utf-8"
    )
    memos, problems = read_memos(folder, "memos")
    assert len(memos) == 0
    assert {(d.path, d.rule) for d in problems} == {
        ("memos/latin.md", "encoding"),
        ("memos/list.md", "wrong-type"),
        ("memos/scalar-target.md", "wrong-type"),
    }


def test_front_matter_lines_are_the_file_lines() -> None:
    memo, problems = parse_memo("m", "memos/m.md", "---\ntitle: T\ntarget: study\n---\nA\nB\n")
    assert problems == [] and memo is not None
    assert (memo.first_line, memo.text) == (5, "A\nB")


_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.text(max_size=12),
    st.lists(st.text(max_size=6), max_size=3),
    st.dictionaries(st.sampled_from(["case", "doc", "text", "code", "x"]), st.text(max_size=8)),
)
_TARGETS = st.one_of(
    _VALUES,
    st.dictionaries(
        st.sampled_from(["case", "code", "part", "quote", "study", "kaas"]), _VALUES, max_size=3
    ),
)


@settings(max_examples=150, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["title", "author", "date", "target", "targets", "extra"]),
        st.one_of(_VALUES, _TARGETS, st.lists(_TARGETS, max_size=3)),
        max_size=5,
    ),
    st.text(max_size=30),
)
def test_any_front_matter_gives_diagnostics_never_a_traceback(
    front: dict[str, Any], body: str
) -> None:
    text = "---\n" + json.dumps(front, ensure_ascii=False) + "\n---\n" + body
    memo, problems = parse_memo("m", "memos/m.md", text)
    assert memo is not None or problems
    if memo is not None:
        memos = Memos({"m": memo})
        check_targets(memos, load_study(EXAMPLE).framework, ["p01"], lambda _c: ["x"], None)


def test_validating_some_case_files_still_knows_every_case(study: Path, run_cli: Any) -> None:
    result = run_cli(["validate", "cases/p01.yaml"], cwd=study)
    assert (result.exit_code, result.stderr) == (0, "")  # the memos target p02 and its quote
    write(study, "p05.md", GOOD_FRONT + "target: {case: p05}\n---\nText.\n")
    result = run_cli(["validate", "cases/p01.yaml"], cwd=study)
    assert result.exit_code == 1 and "memos/p05.md:5:16: error[unknown-target]" in result.stderr


def test_the_pre_commit_hooks_run_when_a_memo_changes() -> None:
    import re

    import yaml

    hooks_file = EXAMPLE.parents[1] / ".pre-commit-hooks.yaml"
    hooks = {h["id"]: h for h in yaml.safe_load(hooks_file.read_text(encoding="utf-8"))}
    for hook in ("ol-analysis-validate", "ol-analysis-privacy"):
        assert re.search(hooks[hook]["files"], "memos/p02-thuisdetox.md"), hook
        assert not re.search(hooks[hook]["files"], "notes/p02.md"), hook
