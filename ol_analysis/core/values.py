"""Small conversions of the values a case model holds, shared by every stage that reads cases."""

from __future__ import annotations

from typing import Any


def as_list(value: Any) -> list[Any]:
    """A list, or a one-item list; ``None`` → ``[]``.

    A multi-valued field of a case model holds a list and a single-valued one a bare value; this
    lets a reader treat both alike. A list is copied (the caller may change the result); any
    other value, a tuple included, becomes a one-item list.
    """
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]
