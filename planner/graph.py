"""The organisation as graphs (networkx): the territory tree and the units inside it.

Rules ask questions such as "is this hometown inside that locality", "which district is this
commune in", "is this move up a level or across blocs", "does this post exist on that day";
they are answered here, once.

Existence in time: a locality, unit or post exists in [`valid_from`, `valid_to`). A post
exists while it, its unit and its locality all exist — except that a unit or locality that
ends with a `successor` carries what it holds on (a merger: the units of a merged ward keep
working in the ward it joined; a unit renamed or merged keeps its posts). A post that ends
with a `successor` post hands its holder over to it on `valid_to`; one that ends without
one is abolished, and its holder must be moved by then.
"""

from __future__ import annotations

import datetime as dt
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
        """True if `locality_id` is `container_id` or lies inside it — or if a locality it
        merged into (its `successor`, and theirs) does: a native of a merged ward is a native
        of the ward it joined (DOMAIN §3: hometowns map to the successor)."""
        if locality_id is None:
            return False
        return any(place == container_id or container_id in self.ancestors(place)
                   for place in self.successors(locality_id))

    def successors(self, locality_id: str) -> tuple[str, ...]:
        """The locality itself, then what it merged into, and so on (stops at a cycle)."""
        chain = [locality_id]
        by_id = self.roster.locality_by_id
        current = by_id.get(locality_id)
        while current is not None and current.successor and current.successor not in chain:
            chain.append(current.successor)
            current = by_id.get(current.successor)
        return tuple(chain)

    # ------------------------------------------------------------------ existence in time
    def window(self, position_id: str) -> tuple[dt.date | None, dt.date | None]:
        """[start, end) in which a post exists (None: open-ended), see the module docstring."""
        cached = self._windows.get(position_id)
        if cached is None:
            cached = self._windows[position_id] = self._window(position_id)
        return cached

    @cached_property
    def _windows(self) -> dict[str, tuple[dt.date | None, dt.date | None]]:
        return {}

    def _window(self, position_id: str) -> tuple[dt.date | None, dt.date | None]:
        position = self.roster.position_by_id[position_id]
        unit = self.roster.unit_by_id[position.unit]
        locality = self.roster.locality_by_id[unit.locality]
        starts = [d for d in (position.valid_from, unit.valid_from, locality.valid_from) if d]
        ends = [position.valid_to] if position.valid_to else []
        if unit.valid_to and not unit.successor:
            ends.append(unit.valid_to)
        elif not unit.valid_to and locality.valid_to and not locality.successor:
            ends.append(locality.valid_to)
        return (max(starts) if starts else None, min(ends) if ends else None)

    def exists(self, position_id: str, day: dt.date) -> bool:
        start, end = self.window(position_id)
        return (start is None or start <= day) and (end is None or day < end)

    def exists_through(self, position_id: str, start: dt.date, end: dt.date) -> bool:
        """True if the post exists on every day of [start, end)."""
        first, last = self.window(position_id)
        return (first is None or first <= start) and (last is None or end <= last)

    def handed_to(self, position_id: str) -> str | None:
        """The post a post's holder is handed to when it ends (its `successor`), if any."""
        position = self.roster.position_by_id[position_id]
        return position.successor if position.valid_to else None

    @cached_property
    def reserved(self) -> dict[str, tuple[dt.date | None, str]]:
        """Posts promised to someone: post → (from when, why). A post that receives a held
        post's holder on its end (its successor), and the destination of a secondment still
        running from the last cycle, take no one else's move before `until` (None: never)."""
        found: dict[str, tuple[dt.date | None, str]] = {}
        for cadre in self.roster.cadres:
            if cadre.secondment_post and cadre.secondment_end:
                found[cadre.secondment_post] = (
                    cadre.secondment_end, f"held by {cadre.id} on secondment until "
                    f"{cadre.secondment_end - dt.timedelta(days=1)}")
            if cadre.position:
                target = self.handed_to(cadre.position)
                end = self.window(cadre.position)[1]
                if target and end:
                    found[target] = (None, f"receives {cadre.id} from {cadre.position} "
                                     f"on {end} (successor post)")
        return found

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
