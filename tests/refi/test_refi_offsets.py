"""Selections counted in another offset model still land on the right text.

QDA-XML counts code points; some tools count UTF-16 code units or a line end as two characters.
The import tries every model and keeps the one under which the selections' stored text
(their ``name``) matches.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from ol_analysis.interop.refi.offsets import MODELS, STANDARD, choose_model, plain_text

TEXT = "Ik voel me 😞 vandaag.\nMaar morgen 🌱 weer beter.\nEcht waar."


def _offsets(text: str, start: int, end: int, utf16: bool, crlf: bool) -> tuple[int, int]:
    """Code-point positions as a tool of the given model would write them (computed here by
    encoding, independently of the importer's tables)."""

    def units(prefix: str) -> int:
        counted = prefix.replace("\n", "\r\n") if crlf else prefix
        return len(counted.encode("utf-16-le")) // 2 if utf16 else len(counted)

    return units(text[:start]), units(text[:end])


def test_each_model_is_recognised_from_the_stored_text() -> None:
    quotes = ["morgen 🌱 weer", "Echt waar", "😞 vandaag"]
    for model in MODELS:
        selections = []
        for quote in quotes:
            start = TEXT.index(quote)
            s, e = _offsets(TEXT, start, start + len(quote), model.utf16, model.crlf)
            selections.append((s, e, quote))
        chosen, spans = choose_model(TEXT, selections)
        assert chosen == model, model.name
        assert [span.text for span in spans] == quotes


def test_the_standard_wins_when_nothing_tells_the_models_apart() -> None:
    chosen, spans = choose_model("abc def", [(0, 3, None)])
    assert chosen == STANDARD and spans[0].text == "abc"


def test_plain_text_drops_the_bom_and_crlf() -> None:
    assert plain_text("\ufeffa\r\nb\rc".encode()) == "a\nb\nc"


@settings(max_examples=60, deadline=None)
@given(
    text=st.text(alphabet=st.sampled_from(["a", "b", " ", "\n", "é", "😞", "🌱", "—"]), min_size=1),
    data=st.data(),
)
def test_any_span_in_any_model_comes_back(text: str, data: Any) -> None:
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    model = data.draw(st.sampled_from(MODELS))
    s, e = _offsets(text, start, end, model.utf16, model.crlf)
    _chosen, spans = choose_model(text, [(s, e, text[start:end])])
    assert spans[0].text is not None
    assert " ".join(spans[0].text.split()) == " ".join(text[start:end].split())


def _project(selections: list[tuple[int, int, str]]) -> bytes:
    """A foreign project whose one text source holds TEXT with the given selections, each
    coded with code 'Gevoel' and named by its text (as some tools store it)."""
    rows = "".join(
        f'<PlainTextSelection guid="00000000-0000-0000-0000-{index:012x}" name="{name}" '
        f'startPosition="{start}" endPosition="{end}"><Coding guid="10000000-0000-0000-0000-'
        f'{index:012x}"><CodeRef targetGUID="00000000-0000-0000-0000-0000000000c1"/></Coding>'
        "</PlainTextSelection>"
        for index, (start, end, name) in enumerate(selections, start=1)
    )
    project = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Ander project">
  <CodeBook><Codes>
    <Code guid="00000000-0000-0000-0000-0000000000c1" name="Gevoel" isCodable="true"/>
  </Codes></CodeBook>
  <Sources>
    <TextSource guid="00000000-0000-0000-0000-0000000000a1" name="gesprek"
        plainTextPath="internal://00000000-0000-0000-0000-0000000000a1.txt">{rows}</TextSource>
  </Sources>
</Project>
"""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("project.qde", project)
        # stored as a Windows tool might: with a BOM and CR LF line ends
        archive.writestr(
            "sources/00000000-0000-0000-0000-0000000000a1.txt",
            "\ufeff" + TEXT.replace("\n", "\r\n"),
        )
    return buffer.getvalue()


def test_a_project_in_utf16_and_crlf_offsets_lands_on_the_right_text(
    tmp_path: Path, run_cli: Any
) -> None:
    quotes = ["morgen 🌱 weer", "Echt waar"]
    selections = []
    for quote in quotes:
        start = TEXT.index(quote)
        selections.append((*_offsets(TEXT, start, start + len(quote), True, True), quote))
    # a third selection whose stored text is not where its positions say: reported, not guessed
    selections.append((0, 2, "iets anders"))
    qdpx = tmp_path / "nvivo.qdpx"
    qdpx.write_bytes(_project(selections))
    out = tmp_path / "study"
    refused = run_cli(["import", "refi", str(qdpx), "--out", str(out)])
    assert refused.exit_code == 1
    assert "a selection's text is not brought back: its stored text 'iets anders'" in (
        refused.stderr
    )
    result = run_cli(["import", "refi", str(qdpx), "--out", str(out), "--accept-losses"])
    assert result.exit_code == 0, result.stderr
    assert "note: gesprek: positions read as UTF-16 code units, line ends as two" in (result.stderr)
    case = yaml.safe_load((out / "cases" / "gesprek.yaml").read_text(encoding="utf-8"))
    (part,) = [v for k, v in case.items() if k not in ("id", "title")]
    (value,) = part.values()
    found = [e["quote"] for item in value for e in item.get("evidence", [])]
    assert found == quotes
