"""The JSON Schema of a case file, generated from the case model, in draft-07.

Draft-07 is the dialect the YAML language server (VS Code's YAML extension) fully supports, so
an editor pointed at this schema autocompletes part, group and code ids and shows their labels.
"""

from __future__ import annotations

import json
from typing import Any

from ol_analysis.core.casemodel import CaseModels
from ol_analysis.core.framework import Framework

DRAFT_07 = "http://json-schema.org/draft-07/schema#"


def case_schema(framework: Framework) -> dict[str, Any]:
    models = CaseModels(framework)
    schema = models.case.model_json_schema(ref_template="#/definitions/{model}")
    definitions = schema.pop("$defs", {})
    return {
        "$schema": DRAFT_07,
        "$id": f"urn:ol-analysis:{framework.framework.id}:{framework.version}:case",
        "title": f"{framework.framework.title.en} — case file",
        **{k: v for k, v in schema.items() if k != "title"},
        "definitions": definitions,
    }


def schema_text(framework: Framework) -> str:
    return json.dumps(case_schema(framework), ensure_ascii=False, indent=2) + "\n"
