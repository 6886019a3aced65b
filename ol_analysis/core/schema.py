"""The JSON Schema of a case file (or of ``study.yaml``), generated from the case model, in
draft-07.

Draft-07 is the dialect the YAML language server (VS Code's YAML extension) fully supports, so
an editor pointed at this schema autocompletes part, group and code ids and shows their labels.
"""

from __future__ import annotations

import json
from typing import Any

from ol_analysis.core.casemodel import CaseModels, Scope
from ol_analysis.core.framework import Framework

DRAFT_07 = "http://json-schema.org/draft-07/schema#"


_TITLES = {"case": "case file", "study": "study-level findings (study.yaml)"}


def case_schema(framework: Framework, scope: Scope = "case") -> dict[str, Any]:
    """The schema of a case file, or with ``scope="study"`` of ``study.yaml``."""
    models = CaseModels(framework, scope)
    schema = models.case.model_json_schema(ref_template="#/definitions/{model}")
    definitions = schema.pop("$defs", {})
    return {
        "$schema": DRAFT_07,
        "$id": f"urn:ol-analysis:{framework.framework.id}:{framework.version}:{scope}",
        "title": f"{framework.framework.title.en} — {_TITLES[scope]}",
        **{k: v for k, v in schema.items() if k != "title"},
        "definitions": definitions,
    }


def study_schema(framework: Framework) -> dict[str, Any]:
    """The schema of ``study.yaml``: ``id``, ``title`` and one key per study part."""
    return case_schema(framework, "study")


def schema_text(framework: Framework, scope: Scope = "case") -> str:
    return json.dumps(case_schema(framework, scope), ensure_ascii=False, indent=2) + "\n"
