"""Small conversions of the values a case model holds, shared by every stage that reads cases."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def as_list(value: Any) -> list[Any]:
    """A list, or a one-item list; ``None`` → ``[]``.

    A multi-valued field of a case model holds a list and a single-valued one a bare value; this
    lets a reader treat both alike. A list is copied (the caller may change the result); any
    other value, a tuple included, becomes a one-item list.
    """
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def iso_date(value: Any) -> str | None:
    """A calendar date written ``YYYY-MM-DD`` (a date object counts), as that text; ``None``
    for anything else: another spelling (``20261130``, ``30-11-2026``) or no such day."""
    text = value.isoformat() if isinstance(value, dt.date) else value
    if not isinstance(text, str) or not _ISO_DATE.fullmatch(text):
        return None
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return None
    return text
