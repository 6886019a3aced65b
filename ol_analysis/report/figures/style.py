"""What every figure shares: size, palette, colours by meaning, interface text and labels."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from ol_analysis.core.framework import Code, Framework

if TYPE_CHECKING:
    from matplotlib.figure import Figure

PNG_DPI = 150
WIDTH = 6.3  # inches: 16 cm, the text width of an A4 page in the DOCX, so it scales 1:1

TEXT = {
    "n_cases": {"nl": "aantal casussen", "en": "number of cases"},
    "n_moments": {"nl": "aantal sleutelmomenten", "en": "number of key moments"},
    "not_coded": {"nl": "niet gecodeerd", "en": "not coded"},
    "client": {"nl": "cliënt", "en": "client"},
    "relative": {"nl": "naaste", "en": "relative"},
    "partner": {"nl": "netwerkpartner", "en": "network partner"},
    "casemanager": {"nl": "casemanager", "en": "case manager"},
    "coordinated": {"nl": "afstemming door het team", "en": "coordinated by the team"},
    "network_of": {
        "nl": "Netwerk rond casus {id}: {title}",
        "en": "Network around case {id}: {title}",
    },
    "network_title": {"nl": "Netwerk rond casus {id}", "en": "Network around case {id}"},
    "network_desc": {
        "nl": "De {client} in het midden, met daaromheen: {names}.",
        "en": "The {client} in the centre, with around them: {names}.",
    },
    "partner_network": {
        "nl": "Netwerkpartners per casus (tussen haakjes: het aantal casussen)",
        "en": "Network partners per case (in brackets: the number of cases)",
    },
    "partner_counts": {
        "nl": "Netwerkpartners naar het aantal casussen waarin zij betrokken zijn",
        "en": "Network partners by the number of cases they are involved in",
    },
    "other_partners": {
        "nl": "overige {n} netwerkpartners samen",
        "en": "the other {n} network partners together",
    },
    "with_coordination": {"nl": "met afstemming door het team", "en": "coordinated by the team"},
    "without_coordination": {
        "nl": "zonder afstemming door het team",
        "en": "not coordinated by the team",
    },
    "status_counts": {
        "nl": "{label}: aantal casussen per status ({n} casussen)",
        "en": "{label}: number of cases per status ({n} cases)",
    },
}
# Paul Tol's colour-blind safe palette; status and valence colours by meaning where known.
PALETTE = ("#4477AA", "#EE6677", "#228833", "#CCBB44", "#66CCEE", "#AA3377", "#BBBBBB")
MEANING = {
    "supports": "#228833",
    "contested": "#CCBB44",
    "contradicts": "#EE6677",
    "insufficient": "#BBBBBB",
    "positive": "#228833",
    "negative": "#EE6677",
}
EMPTY = "#FFFFFF"


def ui_text(key: str, lang: str) -> str:
    return TEXT[key][lang if lang in TEXT[key] else "en"]


def colours_for(code_ids: Iterable[str]) -> dict[str, str]:
    """A colour per code: by meaning where known (supports, negative …), else the palette."""
    return {
        code_id: MEANING.get(code_id, PALETTE[index % len(PALETTE)])
        for index, code_id in enumerate(code_ids)
    }


def field_codes(framework: Framework, group_path: str, field_id: str) -> list[Code]:
    """The codes of a record field, following ``vocabulary`` to the group that owns them."""
    group = framework.group(group_path)
    field = group.field(field_id) if group is not None else None
    if field is None:
        return []
    if field.codes or not field.vocabulary:
        return list(field.codes)
    owner = framework.vocabulary_owner(field.vocabulary)
    return list(owner.codes) if owner is not None else []


def new_figure(height: float) -> Figure:
    from matplotlib.figure import Figure

    return Figure(figsize=(WIDTH, height), layout="constrained")


def wrap(text: str, width: int) -> str:
    """Wrap a label on spaces, and after a slash inside a word too long for one line."""
    import textwrap

    words = [w.replace("/", "/ ") if len(w) > width else w for w in text.split(" ")]
    lines = textwrap.wrap(" ".join(words), width, break_long_words=False, break_on_hyphens=False)
    return "\n".join(line.replace("/ ", "/") for line in lines) or text
