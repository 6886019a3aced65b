"""Graphs of the report: each case's support network, the cross-case partner graph, and code
co-occurrence. Pure functions returning frozen networkx graphs with summaries beside them.

Node ids follow one scheme that the figures share: ``client``, ``team``,
``professional:<key>:<key>``, ``relative:<code>``, ``partner:<code>``, ``case:<id>`` and, in
the co-occurrence graph, dotted code paths.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from statistics import fmean
from types import MappingProxyType
from typing import Any

import networkx as nx

from ol_analysis.analysis.counts import Count, Roles
from ol_analysis.core.framework import Framework, Group
from ol_analysis.core.values import as_list

__all__ = [
    "CaseNetwork",
    "PartnerNetwork",
    "PartnerTally",
    "Roles",
    "case_network",
    "cooccurrence_graph",
    "partner_network",
]


@dataclass(frozen=True)
class CaseNetwork:
    """The people and organisations around one client, and how many of each.

    Edges carry ``kind``: ``care`` (client–professional), ``team`` (team–professional),
    ``relative`` and ``partner`` (client–them) and ``coordination`` (team–relative/partner the
    team coordinates with).
    """

    case_id: str
    graph: nx.Graph
    professionals: int
    disciplines: int
    organisations: tuple[str, ...]
    casemanagers: int
    relatives: int
    partners: int
    coordination: int
    degree: Mapping[str, int]


@dataclass(frozen=True)
class PartnerTally:
    """One network partner across the cases (a row of Bijlage I)."""

    id: str
    path: str
    label: str
    count: Count
    coordinated: Count


@dataclass(frozen=True)
class PartnerNetwork:
    """Cases linked to their network partners (bipartite), with degree summaries.

    ``partners`` has every partner code in framework order (zero counts included);
    ``per_case`` is each case's number of partners.
    """

    graph: nx.Graph
    partners: tuple[PartnerTally, ...]
    per_case: Mapping[str, int]
    distinct: int
    coordinated_distinct: int
    mean: float
    minimum: int
    maximum: int

    @property
    def present(self) -> tuple[PartnerTally, ...]:
        return tuple(p for p in self.partners if p.count.n)

    @property
    def ranked(self) -> tuple[PartnerTally, ...]:
        return tuple(sorted(self.present, key=lambda p: -p.count.n))

    @property
    def coordinated_present(self) -> tuple[PartnerTally, ...]:
        return tuple(p for p in self.partners if p.coordinated.n)


def _codes(record: Any, field_id: str) -> list[str]:
    return as_list(getattr(record, field_id, None))


def _coordinated(record: Any, field_id: str | None) -> bool:
    if field_id is None:
        return False
    value = getattr(record, field_id, None)
    return bool(value) if not isinstance(value, list) else len(value) > 0


def _labels(group: Group | None, field_id: str, lang: str) -> dict[str, str]:
    field = group.field(field_id) if group is not None else None
    return {c.id: c.label.get(lang) for c in field.codes} if field is not None else {}


def _records_group(framework: Framework, path: str | None) -> Group | None:
    group = framework.group(path)
    return group if group is not None and group.kind == "records" else None


def case_network(study: Any, case: Any, lang: str, roles: Roles) -> CaseNetwork:
    """The client, the team's professionals, relatives and network partners of one case."""
    framework: Framework = study.framework
    graph = nx.Graph(case=case.id)
    graph.add_node("client", kind="client", label=case.id)
    professionals = _records_group(framework, roles.professionals)
    organisations: dict[str, None] = {}
    disciplines: set[str] = set()
    casemanagers = 0
    if professionals is not None:
        graph.add_node("team", kind="team", label=professionals.label.get(lang))
        key = professionals.key or [f.id for f in professionals.fields if f.is_coded][:1]
        for record in case.items(professionals.path):
            parts = [str(getattr(record, k, "")) for k in key]
            names = [
                _labels(professionals, k, lang).get(p, p) for k, p in zip(key, parts, strict=True)
            ]
            node = "professional:" + ":".join(parts)
            manager = roles.casemanager
            is_cm = manager is not None and getattr(record, manager, None) is True
            casemanagers += is_cm
            graph.add_node(
                node,
                kind="professional",
                label=" · ".join(names),
                casemanager=is_cm,
                **{k: p for k, p in zip(key, parts, strict=True)},
            )
            graph.add_edge("client", node, kind="care", casemanager=is_cm)
            graph.add_edge("team", node, kind="team")
            disciplines.add(parts[0])
            if len(names) > 1:
                organisations[names[1]] = None
    coordination = 0
    counts = {"relative": 0, "partner": 0}
    for kind, path in (("relative", roles.relatives), ("partner", roles.partners)):
        group = _records_group(framework, path)
        if group is None or group.row_field is None:
            continue
        row = group.row_field
        row_labels = _labels(group, row.id, lang)
        field = roles.coordination_field(path)
        for record in case.items(group.path):
            for code in _codes(record, row.id):
                node = f"{kind}:{code}"
                graph.add_node(node, kind=kind, label=row_labels.get(code, code))
                graph.add_edge("client", node, kind=kind)
                counts[kind] += 1
                if _coordinated(record, field) and "team" in graph:
                    graph.add_edge("team", node, kind="coordination")
                    coordination += 1
    return CaseNetwork(
        case_id=case.id,
        graph=nx.freeze(graph),
        professionals=sum(1 for _n, k in graph.nodes(data="kind") if k == "professional"),
        disciplines=len(disciplines),
        organisations=tuple(organisations),
        casemanagers=casemanagers,
        relatives=counts["relative"],
        partners=counts["partner"],
        coordination=coordination,
        degree=MappingProxyType(dict(graph.degree())),
    )


def partner_network(study: Any, lang: str, roles: Roles) -> PartnerNetwork:
    """Cases × network partners: who is involved where, and where the team coordinates."""
    framework: Framework = study.framework
    total = len(study)
    graph = nx.Graph()
    group = _records_group(framework, roles.partners)
    row = group.row_field if group is not None else None
    field = roles.coordination_field(roles.partners)
    involved: dict[str, list[str]] = {}
    coordinated: dict[str, list[str]] = {}
    per_case: dict[str, int] = {}
    for case in study:
        graph.add_node(f"case:{case.id}", kind="case", label=case.id)
        if group is None or row is None:
            per_case[case.id] = 0
            continue
        records = case.items(group.path)
        per_case[case.id] = len({c for r in records for c in _codes(r, row.id)})
        for record in records:
            for code in _codes(record, row.id):
                involved.setdefault(code, []).append(case.id)
                if _coordinated(record, field):
                    coordinated.setdefault(code, []).append(case.id)
                graph.add_edge(
                    f"case:{case.id}", f"partner:{code}", coordinated=_coordinated(record, field)
                )
    tallies = []
    for partner in row.codes if row is not None else []:
        node = f"partner:{partner.id}"
        if node in graph:
            graph.nodes[node].update(kind="partner", label=partner.label.get(lang))
        tallies.append(
            PartnerTally(
                partner.id,
                partner.path,
                partner.label.get(lang),
                Count.of(sorted(set(involved.get(partner.id, []))), total, partner.path),
                Count.of(sorted(set(coordinated.get(partner.id, []))), total),
            )
        )
    values = list(per_case.values())
    return PartnerNetwork(
        graph=nx.freeze(graph),
        partners=tuple(tallies),
        per_case=MappingProxyType(per_case),
        distinct=sum(1 for t in tallies if t.count.n),
        coordinated_distinct=sum(1 for t in tallies if t.coordinated.n),
        mean=fmean(values) if values else 0.0,
        minimum=min(values, default=0),
        maximum=max(values, default=0),
    )


def cooccurrence_graph(study: Any, lang: str, *, exclude_parts: Iterable[str] = ()) -> nx.Graph:
    """Codes of single and multi groups as nodes; an edge's ``weight`` is the number of cases
    that have both codes (``cases`` lists them). Codes no case has are left out."""
    framework: Framework = study.framework
    excluded = set(exclude_parts)
    groups = [g for part, g in framework.groups() if part.id not in excluded and g.is_coded]
    labels = {c.path: (c.label.get(lang), g.path) for g in groups for c in g.codes}
    vocabulary = [(g.path, [(c.id, c.path) for c in g.codes]) for g in groups]
    holders: dict[str, list[str]] = {}
    shared: dict[tuple[str, str], list[str]] = {}
    for case in study:
        paths = []  # in framework order, so that a pair has one key whatever the file order
        for group_path, codes in vocabulary:
            coded = set(case.codes(group_path))
            paths += [code_path for code_id, code_path in codes if code_id in coded]
        for i, first in enumerate(paths):
            holders.setdefault(first, []).append(case.id)
            for second in paths[i + 1 :]:
                shared.setdefault((first, second), []).append(case.id)
    graph = nx.Graph()
    for path in labels:
        if path in holders:
            label, group = labels[path]
            graph.add_node(path, label=label, group=group, n=len(holders[path]))
    for (first, second), cases in shared.items():
        graph.add_edge(first, second, weight=len(cases), cases=tuple(cases))
    return nx.freeze(graph)
