"""Counts of cases, and the roles of the framework's groups in cross-case pictures.

The value types shared by every consumer of the analysis (the report, the exports): a
:class:`Count` always carries the ids of the cases behind it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TypeVar

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


@dataclass(frozen=True)
class Roles:
    """Which record groups of the framework draw the report's pictures.

    The defaults fit the Optimaal Leven codebook; a study with another framework passes its own
    paths. A group the framework lacks simply leaves that picture empty.

    - ``timeline``: the record group each case's timeline is drawn from (its first period/date
      field is "when", its first text field the summary, its code fields the labels).
    - ``professionals``: people of the team around the client; one node per record, labelled
      by the group's ``key`` fields; ``casemanager`` names the bool field that marks the
      casemanager.
    - ``relatives``, ``partners``: the client's relatives and network partners.
    - ``coordinated``: (group, field) pairs: the field saying the team coordinates with that
      person or partner (a bool that is true, or a codes field that is not empty) gives a
      coordination edge.
    """

    timeline: str = "key_moments.moments"
    professionals: str = "support.professionals"
    casemanager: str = "casemanager"
    relatives: str = "network.relatives"
    partners: str = "network.partners"
    coordinated: tuple[tuple[str, str], ...] = (
        ("network.partners", "coordinated_by_ol"),
        ("network.relatives", "involvement"),
    )

    def coordination_field(self, group_path: str) -> str | None:
        return dict(self.coordinated).get(group_path)
