"""Counts of cases; :class:`Roles` (the framework's ``roles:``) is re-exported from the core.

The value types shared by every consumer of the analysis (the report, the exports): a
:class:`Count` always carries the ids of the cases behind it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TypeVar

from ol_analysis.core.framework import Roles

__all__ = ["Count", "Roles", "freeze"]

K = TypeVar("K")
V = TypeVar("V")


def freeze(mapping: Mapping[K, V]) -> Mapping[K, V]:
    """A read-only view of a mapping (insertion order kept)."""
    return MappingProxyType(dict(mapping))


@dataclass(frozen=True)
class Count:
    """``n`` of ``total`` cases, with the ids of the cases behind the count (in id order).

    ``path`` is the dotted path of ``stats --json`` the count comes from, or ``""`` for a count
    derived in the report (a combination, a range of values, records with a flag).
    ``inferred`` says which of the cases rest on an allocation rather than on the case's own
    material ("4 van 11, waarvan 4 afgeleid").
    """

    n: int
    cases: tuple[str, ...]
    total: int
    path: str = ""
    inferred: tuple[str, ...] = ()
    """The cases among ``cases`` that count only through codings marked ``inferred``."""

    @classmethod
    def of(cls, case_ids: Iterable[str], total: int, path: str = "") -> Count:
        """The count of these cases (given in id order) out of ``total``."""
        ids = tuple(case_ids)
        return cls(len(ids), ids, total, path)

    @property
    def all(self) -> bool:
        return self.total > 0 and self.n == self.total

    @property
    def n_inferred(self) -> int:
        return len(self.inferred)

    @property
    def share(self) -> float:
        return self.n / self.total if self.total else 0.0
