"""The organisation as graphs (networkx): the territory tree and the units inside it.

Rules ask questions such as "is this hometown inside that locality", "which district is this
commune in", "is this move up a level or across blocs"; they are answered here, once.
"""

from __future__ import annotations

from functools import cached_property

import networkx as nx

from planner.models import LEVELS, Position
from planner.roster_io import Roster


class OrgGraph:
    """Territory tree (parent → child edges) plus unit and position lookups."""

    def __init__(self, roster: Roster):
        self.roster = roster
        self.tree = nx.DiGraph()
        for loc in roster.localities:
            self.tree.add_node(loc.id, level=loc.level, name=loc.name)
        for loc in roster.localities:
            if loc.parent and loc.parent in roster.locality_by_id:
                self.tree.add_edge(loc.parent, loc.id)

    def find_cycle(self) -> list[str]:
        """Locality ids on a parent cycle, or [] if the territory is a forest."""
        try:
            edges = nx.find_cycle(self.tree)
        except nx.NetworkXNoCycle:
            return []
        return [str(edge[0]) for edge in edges]

    @cached_property
    def _ancestors(self) -> dict[str, tuple[str, ...]]:
        chains: dict[str, tuple[str, ...]] = {}
        for loc in self.roster.localities:
            chain: list[str] = []
            parent = loc.parent
            seen = {loc.id}
            while parent and parent in self.roster.locality_by_id and parent not in seen:
                chain.append(parent)
                seen.add(parent)
                parent = self.roster.locality_by_id[parent].parent
            chains[loc.id] = tuple(chain)
        return chains

    def ancestors(self, locality_id: str) -> tuple[str, ...]:
        """Parent, grandparent, … of a locality (nearest first)."""
        return self._ancestors.get(locality_id, ())

    def is_within(self, locality_id: str | None, container_id: str) -> bool:
        """True if `locality_id` is `container_id` or lies inside it."""
        if locality_id is None:
            return False
        return locality_id == container_id or container_id in self.ancestors(locality_id)

    def level(self, locality_id: str) -> str:
        return self.roster.locality_by_id[locality_id].level

    def level_rank(self, locality_id: str) -> int:
        """0 for city, 1 district, 2 commune: larger is lower in the hierarchy."""
        return LEVELS.index(self.level(locality_id))

    def district_of(self, locality_id: str) -> str | None:
        """The district-level locality containing this one (itself if a district)."""
        return self._district.get(locality_id)

    @cached_property
    def _district(self) -> dict[str, str | None]:
        found: dict[str, str | None] = {}
        for loc in self.roster.localities:
            found[loc.id] = next((loc_id for loc_id in (loc.id, *self.ancestors(loc.id))
                                  if self.level(loc_id) == "district"), None)
        return found

    def locality_of(self, position: Position) -> str:
        return self.roster.unit_by_id[position.unit].locality

    def bloc_of(self, position: Position) -> str:
        return self.roster.unit_by_id[position.unit].bloc

    def level_of(self, position: Position) -> str:
        return self.level(self.locality_of(position))

    def leadership(self, unit_id: str) -> list[Position]:
        """The leader posts (every role but staff) of a unit."""
        return [p for p in self.positions_by_unit.get(unit_id, []) if p.role != "staff"]

    @cached_property
    def positions_by_unit(self) -> dict[str, list[Position]]:
        grouped: dict[str, list[Position]] = {}
        for position in self.roster.positions:
            grouped.setdefault(position.unit, []).append(position)
        return grouped

    @cached_property
    def units_by_locality(self) -> dict[str, list[str]]:
        grouped: dict[str, list[str]] = {}
        for unit in self.roster.units:
            grouped.setdefault(unit.locality, []).append(unit.id)
        return grouped
