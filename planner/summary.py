"""Counts a planner reads first: the organisation's size and how long cadres have served."""

from __future__ import annotations

from collections import Counter
from typing import Any

from planner.calendar import months_between
from planner.graph import OrgGraph
from planner.scenario import Scenario

TENURE_BUCKETS = ((0, 24), (24, 48), (48, 60), (60, 96), (96, 10_000))


def roster_summary(scenario: Scenario) -> dict[str, Any]:
    """Counts by level, bloc and role, vacancies, and months in post at the horizon start."""
    roster = scenario.roster
    graph = OrgGraph(roster)
    start = scenario.horizon.start
    months_in_post = {
        cadre.id: months_between(cadre.position_start, start)
        for cadre in roster.cadres
        if cadre.position and cadre.position_start
    }
    buckets: dict[str, int] = {}
    for low, high in TENURE_BUCKETS:
        label = f"{low}–{high - 1}" if high < 10_000 else f"≥{low}"
        buckets[label] = sum(1 for m in months_in_post.values() if low <= m < high)
    return {
        "scenario": scenario.name,
        "title": scenario.title,
        "horizon": {
            "start": start.isoformat(),
            "end": scenario.horizon.end.isoformat(),
            "rounds": [r.name for r in scenario.rounds],
        },
        "localities_by_level": dict(sorted(Counter(x.level for x in roster.localities).items())),
        "units_by_bloc": dict(sorted(Counter(u.bloc for u in roster.units).items())),
        "positions_by_role": dict(sorted(Counter(p.role for p in roster.positions).items())),
        "positions": len(roster.positions),
        "cadres": len(roster.cadres),
        "cadres_without_post": sum(1 for c in roster.cadres if not c.position),
        "vacancies": len(roster.vacant_positions),
        "vacancies_by_level": dict(
            sorted(Counter(graph.level_of(p) for p in roster.vacant_positions).items())
        ),
        "statuses": dict(sorted(Counter(c.status for c in roster.cadres).items())),
        "relations": len(roster.relations),
        "months_in_post_at_start": buckets,
        "months_in_post": dict(sorted(months_in_post.items())),
    }
