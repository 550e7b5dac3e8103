"""Cross-checks over a whole roster: references, uniqueness, the tree, dates, holders.

Each record checks its own fields while loading; what needs the whole roster lives here.
All problems are collected and reported at once, each at the row that has to change.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable

from planner.calendar import add_months
from planner.errors import ProblemCollector, unknown
from planner.forms import covers_absence
from planner.graph import OrgGraph
from planner.models import LEVELS
from planner.roster_io import Roster


def check_roster(roster: Roster, horizon_start: dt.date | None = None) -> None:
    """Raise InputError listing every cross-reference and consistency problem."""
    problems = ProblemCollector()

    def report(table: str, index: int, field: str, message: str) -> None:
        origin = roster.origin(table, index)
        problems.add(origin.file, origin.line or None, field, message)

    for table in ("localities", "units", "positions", "cadres"):
        counts = Counter(record.id for record in roster.table(table))  # type: ignore[attr-defined]
        first_seen: dict[str, int] = {}
        for index, record in enumerate(roster.table(table)):
            record_id = record.id  # type: ignore[attr-defined]
            if counts[record_id] > 1:
                if record_id in first_seen:
                    line = roster.origin(table, first_seen[record_id]).line
                    report(table, index, "id", f"duplicate id '{record_id}' (first on line {line})")
                else:
                    first_seen[record_id] = index

    loc_ids = roster.locality_by_id
    for index, loc in enumerate(roster.localities):
        if loc.parent and loc.parent not in loc_ids:
            report("localities", index, "parent", unknown("locality", loc.parent, loc_ids))
        elif loc.parent and LEVELS.index(loc_ids[loc.parent].level) > LEVELS.index(loc.level):
            report(
                "localities",
                index,
                "parent",
                f"a {loc.level} cannot lie inside the {loc_ids[loc.parent].level} '{loc.parent}'",
            )
        if loc.successor and loc.successor not in loc_ids:
            report("localities", index, "successor", unknown("locality", loc.successor, loc_ids))
    cycle = OrgGraph(roster).find_cycle()
    if cycle:
        index = next(i for i, loc in enumerate(roster.localities) if loc.id == cycle[0])
        report(
            "localities",
            index,
            "parent",
            f"the territory tree has a cycle: {' → '.join([*cycle, cycle[0]])}",
        )

    for index, unit in enumerate(roster.units):
        if unit.locality not in loc_ids:
            report("units", index, "locality", unknown("locality", unit.locality, loc_ids))
        if unit.successor and unit.successor not in roster.unit_by_id:
            report("units", index, "successor",
                   unknown("unit", unit.successor, roster.unit_by_id))
        elif unit.successor and not unit.valid_to:
            report("units", index, "successor", "a successor needs valid_to (the day the unit "
                   "hands over)")
    for index, position in enumerate(roster.positions):
        if position.unit not in roster.unit_by_id:
            report("positions", index, "unit", unknown("unit", position.unit, roster.unit_by_id))
        if position.successor and position.successor not in roster.position_by_id:
            report("positions", index, "successor",
                   unknown("position", position.successor, roster.position_by_id))
        elif position.successor and not position.valid_to:
            report("positions", index, "successor", "a successor needs valid_to (the day the "
                   "holder is handed over)")
    if not problems.problems:
        _check_existence(roster, report)

    holder_of: dict[str, int] = {}
    for index, cadre in enumerate(roster.cadres):
        if cadre.hometown and cadre.hometown not in loc_ids:
            report("cadres", index, "hometown", unknown("locality", cadre.hometown, loc_ids))
        if cadre.position:
            if cadre.position not in roster.position_by_id:
                report(
                    "cadres",
                    index,
                    "position",
                    unknown("position", cadre.position, roster.position_by_id),
                )
            elif cadre.position in holder_of:
                other = roster.cadres[holder_of[cadre.position]]
                report(
                    "cadres",
                    index,
                    "position",
                    f"position '{cadre.position}' is already held by {other.id}"
                    " (a position has at most one holder)",
                )
            else:
                holder_of[cadre.position] = index
        if cadre.secondment_post and cadre.secondment_post not in roster.position_by_id:
            report("cadres", index, "secondment_post",
                   unknown("position", cadre.secondment_post, roster.position_by_id))
        elif bool(cadre.secondment_post) != bool(cadre.secondment_end):
            report("cadres", index, "secondment_end" if cadre.secondment_post else
                   "secondment_post", "secondment_post and secondment_end go together")
        elif cadre.secondment_post and not cadre.position:
            report("cadres", index, "secondment_post",
                   "a seconded cadre keeps a home post (position is empty)")
        adult = add_months(cadre.birth_date, 18 * 12)
        if cadre.position_start and cadre.position_start < adult:
            report(
                "cadres",
                index,
                "position_start",
                f"{cadre.position_start} is before the cadre turned 18 ({adult})",
            )
        if cadre.position_start and horizon_start and cadre.position_start > horizon_start:
            report(
                "cadres",
                index,
                "position_start",
                f"{cadre.position_start} is after the horizon starts ({horizon_start})",
            )
        if horizon_start and cadre.birth_date > add_months(horizon_start, -18 * 12):
            report(
                "cadres",
                index,
                "birth_date",
                f"{cadre.birth_date}: the cadre is under 18 when the horizon starts",
            )

    pairs: dict[frozenset[str], int] = {}
    for index, relation in enumerate(roster.relations):
        for field in ("a", "b"):
            cadre_id = getattr(relation, field)
            if cadre_id not in roster.cadre_by_id:
                report("relations", index, field, unknown("cadre", cadre_id, roster.cadre_by_id))
        pair = frozenset((relation.a, relation.b))
        if pair in pairs:
            line = roster.origin("relations", pairs[pair]).line
            report(
                "relations",
                index,
                "b",
                f"{relation.a}–{relation.b} already listed on line {line}"
                " (relations read both ways)",
            )
        pairs.setdefault(pair, index)

    for index, entry in enumerate(roster.history):
        if entry.cadre not in roster.cadre_by_id:
            report("history", index, "cadre", unknown("cadre", entry.cadre, roster.cadre_by_id))
        if entry.position not in roster.position_by_id:
            report(
                "history",
                index,
                "position",
                unknown("position", entry.position, roster.position_by_id),
            )
        holder = roster.cadre_by_id.get(entry.cadre)
        if holder and entry.start < add_months(holder.birth_date, 18 * 12):
            report("history", index, "start", f"{entry.start} is before the cadre turned 18")
    problems.raise_if_any()


def _check_existence(roster: Roster, report: Callable[[str, int, str, str], None]) -> None:
    """A held post handed to a successor needs one that exists on the handover day and is
    free then; a running secondment's post must exist until the return."""
    graph = OrgGraph(roster)
    receives: dict[str, str] = {}
    held = {c.position for c in roster.cadres if c.position}
    for index, position in enumerate(roster.positions):
        target = graph.handed_to(position.id)
        end = graph.window(position.id)[1]
        if target is None or end is None or position.id not in held:
            continue
        if not graph.exists(target, end):
            start, stop = graph.window(target)
            report("positions", index, "successor",
                   f"the successor '{target}' does not exist on {end}, when "
                   f"{position.id} ends (it exists {start or '…'} – {stop or '…'}): its "
                   "holder would have nowhere to go")
        elif target in held:
            report("positions", index, "successor",
                   f"the successor '{target}' is held already: its holder and the holder of "
                   f"{position.id} would share it from {end}")
        elif target in receives:
            report("positions", index, "successor",
                   f"'{target}' already receives the holder of {receives[target]}")
        receives[target] = position.id
    holder_of = {c.position: c for c in roster.cadres if c.position}
    for index, cadre in enumerate(roster.cadres):
        holder = holder_of.get(cadre.secondment_post or "")
        if cadre.secondment_post and cadre.secondment_end and holder is not None \
                and not covers_absence(holder, cadre):
            report("cadres", index, "secondment_post",
                   f"'{cadre.secondment_post}' has a holder of its own; a running secondment "
                   "holds its post until the return")
