"""What REFI-QDA has no element for, carried in notes: the study's own files.

QDA-XML has codes, cases, variables, sources, selections and notes, but no group kinds, no
record fields, no ``status`` that decides what counts, no case summary, analysis block,
evidence provenance or ``inferred``/``basis``. An export therefore adds, as the standard allows,
one ``Note`` per study file, its ``PlainTextContent`` the file's text as it is:

- ``ol-analysis carrier: framework.yaml`` and (when there is one) ``ol-analysis carrier:
  study.yaml``, referenced from the project (``Project/NoteRef``);
- ``ol-analysis carrier: cases/<id>.yaml`` per case, referenced from the case's text source.

The REFI-QDA elements stay the authority. An import uses the carried files only after checking
them against the elements (``project.check_carried``): the codebook has the framework's codes (same
GUIDs), and every case has the cases' codes, variable values and title. Anything another tool
changed makes the check fail with the reasons, and the import rebuilds the study from the
elements instead (and reports what that loses).
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import Element

from ol_analysis.analysis.codings import items
from ol_analysis.core.framework import Framework
from ol_analysis.core.study import Case, Study, load_study
from ol_analysis.interop.refi.text import RefiNote, case_notes, guid

PREFIX = "ol-analysis carrier: "
FRAMEWORK_FILE = "framework.yaml"
STUDY_FILE = "study.yaml"
MANIFEST_FILE = "sources/sources.yaml"
DESCRIPTION = (
    "A file of the ol-analysis study as it was exported, for what REFI-QDA has no element for "
    "(group kinds, record fields, status, summary, analysis, evidence provenance, inferred and "
    "basis). `ol-analysis import refi` uses it only where the codes, cases and variables of "
    "this project agree with it."
)


def carrier_guid(name: str) -> str:
    return guid(f"carrier:{name}")


def case_file_name(case_id: str) -> str:
    return f"cases/{case_id}.yaml"


def _read(path: Path | None) -> str | None:
    if path is None or not path.is_file():
        return None
    try:
        return path.read_text(encoding="utf-8").removeprefix("\ufeff")
    except (OSError, UnicodeDecodeError):
        return None


def study_notes(study: Study) -> list[RefiNote]:
    """The notes of the project as a whole: framework.yaml and study.yaml."""
    found = []
    source = getattr(study.framework, "_source", None)
    framework_text = _read(Path(source)) if source else None
    if framework_text is None:
        framework_text = _read(study.root / FRAMEWORK_FILE)
    if framework_text is not None:
        found.append(_note(FRAMEWORK_FILE, framework_text))
    findings = study.findings
    if findings is not None and findings.document is not None:
        text = _read(findings.document.file)
        if text is not None:
            found.append(_note(STUDY_FILE, text))
    sources = getattr(study, "sources", None)
    if sources is not None and sources.found:
        manifest = _read(sources.folder / "sources.yaml")
        if manifest is not None:
            found.append(_note(MANIFEST_FILE, manifest))
    return found


def case_note(case: Case) -> RefiNote | None:
    """The note that carries a case file, or None when the file cannot be read."""
    text = _read(case.document.file) if case.document is not None else None
    return _note(case_file_name(case.id), text) if text is not None else None


def _note(name: str, text: str) -> RefiNote:
    return RefiNote(carrier_guid(name), PREFIX + name, text, None)


# ── import ───────────────────────────────────────────────────────────────────────────────────


@dataclass
class Carried:
    """The carried files found in a project: relative path → (text, the note element)."""

    files: dict[str, tuple[str, Element]] = field(default_factory=dict)

    @property
    def framework(self) -> str | None:
        found = self.files.get(FRAMEWORK_FILE)
        return found[0] if found else None

    def element(self, name: str) -> Element | None:
        found = self.files.get(name)
        return found[1] if found else None


def find_carried(notes: list[tuple[Element, str, str]]) -> Carried:
    """Carrier notes among ``(element, name, text)`` notes, by their name."""
    carried = Carried()
    for element, name, text in notes:
        if name.startswith(PREFIX):
            carried.files[name[len(PREFIX) :]] = (text, element)
    return carried


def load_carried(files: dict[str, str]) -> Study:
    """Carried files (relative path → text) as a study, loaded and validated from a temporary
    folder. Raises :class:`OlAnalysisError` when they do not make a valid study."""
    with tempfile.TemporaryDirectory(prefix="ol-refi-") as folder:
        root = Path(folder)
        (root / "cases").mkdir()
        for name, text in files.items():
            target = root / name
            if target.parent not in (root, root / "cases") or not name.endswith(".yaml"):
                continue  # a carrier note of another name is not one of ours
            target.write_text(text, encoding="utf-8")
        return load_study(root)


@dataclass
class RefiFacts:
    """What the REFI-QDA elements say, in GUIDs and texts, to check the carried files with."""

    code_guids: set[str]
    cases: dict[str, CaseFacts]


@dataclass
class CaseFacts:
    title: str
    codes: set[str]  # code GUIDs on the case and on the selections of its sources
    values: dict[str, str]  # variable GUID → value text


def expected_note_guids(study: Study, framework: Framework) -> set[str]:
    """The GUIDs of every note an export of ``study`` writes (inferences, comments, carriers)."""
    found = {carrier_guid(FRAMEWORK_FILE), carrier_guid(STUDY_FILE)}
    for case in study:
        found.add(carrier_guid(case_file_name(case.id)))
        found.update(note.guid for note in case_notes(framework, case, "nl"))
    return found


def what_the_rebuild_loses(study: Study) -> dict[str, list[str]]:
    """Per case id, what a carried case holds that a study rebuilt from the elements lacks."""
    framework = study.framework
    found: dict[str, list[str]] = {}
    for case in study:
        lost = []
        if case.summary.strip():
            lost.append("summary")
        if case.analysis is not None:
            lost.append("analysis block")
        evidence = inferred = text_fields = 0
        for item in items(framework, case):
            evidence += len(item.evidence)
            inferred += bool(item.inferred)
            if item.group.kind == "records":
                text_fields += sum(
                    1
                    for fld in item.group.fields
                    if not fld.is_coded
                    and fld.type != "bool"
                    and getattr(item.model, fld.id, None) is not None
                )
        for count, what in (
            (evidence, "evidence item(s)"),
            (inferred, "inferred flag(s) with basis"),
            (text_fields, "record text/date/number field(s)"),
        ):
            if count:
                lost.append(f"{count} {what}")
        if lost:
            found[case.id] = lost
    return found
