"""Partitioned planning (`solver.partition`): plan parts of the roster as Dask tasks, merge,
and check the merged plan against the whole roster.

`province` cuts the roster by the children of the territory root — provinces in the national
two-tier tree, districts in Hanoi's three-tier one; units at the root itself (city
departments) form a part of their own. A part keeps every locality (hometowns point
anywhere), its units, posts and their holders, cadres without a post by their hometown, and
the relations and history rows that stay inside it. Each part is planned on a Dask worker by
the whole shipped pipeline (facts → candidates → model → HiGHS → plan → checker); the client
merges the moves, sums objectives and bounds, and runs the independent checker once on the
merged plan with the full roster, so nothing the split drops goes unchecked.

`auto` cuts along the connected components of the whole roster's candidate graph (cadre —
held post, cadre — offered post, post — unit: `split_auto`), grouped into `solver.parts`
balanced parts; a component is a set of cadres and posts no option joins to the rest, so
planning it apart loses no move. The law joins most real rosters into one component.

What partitioning changes, and is reported rather than hidden (`Partitioned.cross`):
- moves stay inside a part: a cadre is never offered a post in another part;
- relative pairs across parts are not in any part's model; the full check judges them;
- history rows in another part's posts are not in the part's roster (tenure counts only the
  current post, so they matter only to rules that read history); the full check has them;
- rules with a group wider than a unit (a `quota` per round, year or horizon) hold in each
  part, not in total; the full check reports any total they break.
Hard violations the full check finds beyond hard-due cadres left in place are
cross-partition conflicts: the plan is marked infeasible and they are listed.

The parts travel to the workers as in-memory scenarios with the client's rule set (no files
are written, and the workers do not read the rule files).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from planner.checker import CheckReport, check_plan
from planner.facts import Facts
from planner.plan import Move, Plan, Unplaced
from planner.roster_io import Roster
from planner.ruleset import RuleSet
from planner.scenario import Scenario
from planner.solver.engines import Status
from planner.solver.solve import Solution

Progress = Callable[[str], None]


@dataclass
class Part:
    name: str
    scenario: Scenario
    cadres: int
    positions: int


@dataclass
class Split:
    parts: list[Part]
    #: what the split leaves to the full check: relations/history rows across parts,
    #: rules whose groups span parts
    cross: dict[str, Any] = field(default_factory=dict)
    #: how an automatic split was found (components of the candidate graph, their sizes)
    about: dict[str, Any] = field(default_factory=dict)


def part_of_locality(roster: Roster) -> Callable[[str], str]:
    """Locality id → the child of its root it lies under (the root itself for root units)."""
    parent = {loc.id: loc.parent for loc in roster.localities}
    cache: dict[str, str] = {}

    def top(locality: str) -> str:
        if locality in cache:
            return cache[locality]
        chain, current = [locality], locality
        while parent.get(current) and parent.get(parent[current] or ""):
            current = parent[current] or ""
            chain.append(current)
        for item in chain:
            cache[item] = current
        return current

    return top


def split_by_province(scenario: Scenario, facts: Facts | None = None) -> Split:
    """The scenario's roster cut into parts (see the module docstring), in name order."""
    roster = scenario.roster
    top = part_of_locality(roster)
    unit_part = {u.id: top(u.locality) for u in roster.units}
    position_part = {p.id: unit_part[p.unit] for p in roster.positions}
    names = sorted(set(unit_part.values()))
    cadre_part = {}
    for cadre in roster.cadres:
        if cadre.position:
            cadre_part[cadre.id] = position_part[cadre.position]
        else:
            home = top(cadre.hometown) if cadre.hometown in roster.locality_by_id else ""
            cadre_part[cadre.id] = home if home in names else names[0]
    return _cut(scenario, facts, names, unit_part, cadre_part)


def _cut(scenario: Scenario, facts: Facts | None, names: list[str],
         unit_part: dict[str, str], cadre_part: dict[str, str]) -> Split:
    """The roster cut into the named parts: each unit with its posts, each cadre where
    `cadre_part` says; relations and history rows inside a part kept, the rest counted."""
    roster = scenario.roster
    position_part = {p.id: unit_part[p.unit] for p in roster.positions}
    buckets: dict[str, dict[str, list[Any]]] = {
        name: {table: [] for table in ("units", "positions", "cadres", "relations", "history")}
        for name in names}
    origins: dict[str, dict[tuple[str, int], Any]] = {name: {} for name in names}

    def put(name: str, table: str, index: int, record: Any) -> None:
        bucket = buckets[name][table]
        origin = roster.origins.get((table, index))
        if origin is not None:
            origins[name][(table, len(bucket))] = origin
        bucket.append(record)

    for i, unit in enumerate(roster.units):
        put(unit_part[unit.id], "units", i, unit)
    for i, position in enumerate(roster.positions):
        put(position_part[position.id], "positions", i, position)
    for i, cadre in enumerate(roster.cadres):
        put(cadre_part[cadre.id], "cadres", i, cadre)
    across: Counter[str] = Counter()
    relation_pairs: list[str] = []
    for i, relation in enumerate(roster.relations):
        a, b = cadre_part[relation.a], cadre_part[relation.b]
        if a == b:
            put(a, "relations", i, relation)
        else:
            across["relations"] += 1
            if len(relation_pairs) < 20:
                relation_pairs.append(f"{relation.a} ({a}) – {relation.b} ({b}): "
                                      f"{relation.relation}")
    for i, entry in enumerate(roster.history):
        home = cadre_part[entry.cadre]
        if position_part.get(entry.position) == home:
            put(home, "history", i, entry)
        else:
            across["history"] += 1
    for key, origin in roster.origins.items():
        if key[0] == "localities":  # every part keeps every locality, at the same index
            for name in names:
                origins[name][key] = origin
    parts = []
    for name in names:
        rows = buckets[name]
        sub = Roster(localities=roster.localities, units=tuple(rows["units"]),
                     positions=tuple(rows["positions"]), cadres=tuple(rows["cadres"]),
                     relations=tuple(rows["relations"]), history=tuple(rows["history"]),
                     origins=origins[name], source=roster.source)
        part_ids = {c.id for c in rows["cadres"]}
        sub_scenario = replace(
            scenario, roster=sub, patches=[],
            pins=[p for p in scenario.pins if p.value.cadre in part_ids],
            forbids=[f for f in scenario.forbids if f.value.cadre in part_ids])
        parts.append(Part(name, sub_scenario, len(rows["cadres"]), len(rows["positions"])))
    cross: dict[str, Any] = {"relations": across["relations"], "history": across["history"]}
    if relation_pairs:
        cross["relation_examples"] = relation_pairs
    if facts is not None:
        wide = [r.id for r in facts.ruleset.active if r.kind == "quota"
                and getattr(r.params, "per", "horizon") != "unit"]
        if wide:
            cross["rules_held_per_part"] = wide
    return Split(parts, cross)


def split_auto(facts: Facts, parts: int) -> Split:
    """The roster cut along the connected components of its candidate graph, grouped into
    at most `parts` parts of balanced size (see the module docstring).

    The graph's nodes are cadres, posts and units; its edges join a cadre to the post they
    hold (and the one they are seconded to) and to every post the candidate generator
    offers them on the whole roster, and a post to its unit (a unit's rules — adaptation
    shares, one holder per post — stay inside one part). Two components share no option:
    no move of one can take, open or free a post of the other. Components are placed
    largest first (by cadres), each into the part with the fewest cadres so far (ties: the
    first), so the parts come out within one component of each other."""
    import numpy as np
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    from planner.solver.candidates import build_candidates

    roster = facts.roster
    cadres = [c.id for c in roster.cadres]
    posts = [p.id for p in roster.positions]
    units = [u.id for u in roster.units]
    node: dict[tuple[str, str], int] = {}
    for kind, ids in (("c", cadres), ("p", posts), ("u", units)):
        for id_ in ids:
            node[(kind, id_)] = len(node)
    edges: list[tuple[int, int]] = [(node[("p", p.id)], node[("u", p.unit)])
                                    for p in roster.positions]
    for cadre in roster.cadres:
        for held in (cadre.position, cadre.secondment_post):
            if held and ("p", held) in node:
                edges.append((node[("c", cadre.id)], node[("p", held)]))
    candidates = build_candidates(facts)
    edges += [(node[("c", o.cadre)], node[("p", o.to_position)])
              for o in candidates.options]
    if edges:
        rows, cols = (np.array(side, dtype=np.int64) for side in zip(*edges, strict=True))
    else:
        rows = cols = np.zeros(0, dtype=np.int64)
    graph = coo_matrix((np.ones(len(rows), dtype=np.int8), (rows, cols)),
                       shape=(len(node), len(node)))
    _count, label = connected_components(graph, directed=False)
    members: dict[int, list[str]] = {}  # component → its cadres
    for id_ in cadres:
        members.setdefault(int(label[node[("c", id_)]]), []).append(id_)
    first_unit: dict[int, str] = {}
    for id_ in sorted(units):
        first_unit.setdefault(int(label[node[("u", id_)]]), id_)
    # components with cadres, largest first; ties by their first unit (or cadre) id
    order = sorted(members, key=lambda k: (-len(members[k]),
                                           first_unit.get(k, min(members[k]))))
    bins = max(1, min(parts, len(order)))
    names = [f"part-{i + 1}" for i in range(bins)]
    load = [0] * bins
    part_of_component: dict[int, str] = {}
    for component in order:
        lightest = min(range(bins), key=lambda i: (load[i], i))
        load[lightest] += len(members[component])
        part_of_component[component] = names[lightest]
    # units of components without cadres (vacant units) go with the first part
    unit_part = {u: part_of_component.get(int(label[node[("u", u)]]), names[0]) for u in units}
    cadre_part = {c: part_of_component[int(label[node[("c", c)]])] for c in cadres}
    split = _cut(facts.scenario, facts, names, unit_part, cadre_part)
    split.about = {"components": len(order),
                   "largest_component": len(members[order[0]]) if order else 0,
                   "options": len(candidates.options)}
    return split


def auto_parts(facts: Facts, workers: int | None) -> int:
    """How many parts `auto` makes: `solver.parts`, else one per worker asked for, else one
    per core of this machine (set `parts` for the same split on every machine)."""
    import os

    if facts.scenario.solver.parts:
        return facts.scenario.solver.parts
    if workers:
        return workers
    return os.cpu_count() or 1


# ------------------------------------------------------------------------------ one part
@dataclass
class PartOutcome:
    name: str
    moves: list[Move]
    unplaced: list[Unplaced]
    status: str
    objective: float
    bound: float
    seconds: float
    refusals: dict[str, Counter[str]]
    counts: dict[str, Any]
    error: str = ""
    pin_conflicts: list[str] = field(default_factory=list)


def plan_part(name: str, scenario: Scenario, ruleset: RuleSet | None = None) -> PartOutcome:
    """The shipped pipeline on one part (runs on a Dask worker). `ruleset`: the whole
    scenario's, as the client loaded it (a part has the scenario's rule files, overrides and
    horizon, so it is the part's too); without it the worker reads the rule files."""
    from planner.solver.run import NoPlanInTime, PinConflict, solve_workspace
    from planner.workspace import load_rules_for

    started = time.perf_counter()
    facts = Facts(scenario, ruleset if ruleset is not None else load_rules_for(scenario))
    empty = PartOutcome(name, [], [], "failed", 0.0, 0.0, 0.0, {}, {})
    try:
        result = solve_workspace(facts)
    except PinConflict as conflict:
        return replace(empty, pin_conflicts=conflict.messages,
                       error="a pinned move breaks the hard rules",
                       seconds=time.perf_counter() - started)
    except NoPlanInTime as timeout:
        return replace(empty, error=str(timeout), seconds=time.perf_counter() - started)
    stuck = {u.cadre for u in result.plan.unplaced}
    return PartOutcome(
        name, list(result.plan.moves), list(result.plan.unplaced), result.solution.status.value,
        result.solution.objective, result.solution.bound, time.perf_counter() - started,
        {c: result.candidates.refusals[c] for c in stuck if c in result.candidates.refusals},
        {"cadres": len(scenario.roster.cadres), "movers": len(result.candidates.movers),
         "options": len(result.candidates.options), "columns": len(result.model.costs),
         "rows": result.model.num_rows, "moves": len(result.plan.moves),
         "unplaced": len(result.plan.unplaced),
         **{f"{k}_s": round(v, 3) for k, v in result.timings.items()}})


# ------------------------------------------------------------------------------ the merge
@dataclass
class MergedCandidates:
    """What explanations read of the parts' candidate sets: refusals of unplaced cadres."""

    refusals: dict[str, Counter[str]]


@dataclass
class Partitioned:
    """A merged plan with what `rotation plan` needs of a PlanResult, and the parts."""

    plan: Plan
    solution: Solution
    report: CheckReport
    candidates: MergedCandidates
    parts: list[PartOutcome]
    cross: dict[str, Any]
    by: str
    conflicts: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    workers: int = 0
    about: dict[str, Any] = field(default_factory=dict)  # Split.about

    @property
    def status(self) -> str:
        return self.solution.status.value

    def record(self) -> dict[str, Any]:
        """For plan.yaml: how the plan was partitioned, per part, and what crossed parts
        (deterministic: no times, no workers)."""
        return {"by": self.by, **self.about,
                "parts": {p.name: {"status": p.status, "objective": round(p.objective, 6),
                                   **{k: v for k, v in p.counts.items()
                                      if not k.endswith("_s")}}
                          for p in self.parts},
                "cross_partition": {**self.cross, "conflicts": self.conflicts}}


class PartitionFailed(Exception):
    """A part could not be planned (its pins or time limit); the messages say which."""

    def __init__(self, messages: list[str], pins: bool):
        super().__init__("\n".join(messages))
        self.messages = messages
        self.pins = pins


def plan_partitioned(facts: Facts, *, scheduler: str | None = None,
                     workers: int | None = None, progress: Progress | None = None,
                     client: Any = None) -> Partitioned:
    """Split, plan the parts as Dask tasks (serially when workers == 0), merge, check.
    `client`: a Dask client or a started `cluster.LocalStart` (waited for only when the
    parts are submitted), closed by the caller."""
    say = progress or (lambda _m: None)
    by = facts.scenario.solver.partition
    if by not in ("province", "auto"):
        raise ValueError(f"unknown partition {by!r}")
    timings: dict[str, float] = {}
    started = time.perf_counter()
    if by == "auto":
        split = split_auto(facts, auto_parts(facts, workers))
    else:
        split = split_by_province(facts.scenario, facts)
    timings["split"] = time.perf_counter() - started
    found = (f" ({split.about['components']} components of the candidate graph, the "
             f"largest {split.about['largest_component']} cadres; "
             f"{timings['split']:.1f} s)") if split.about else ""
    say(f"split into {len(split.parts)} parts by {by}{found} "
        f"({split.cross['relations']} relative pairs and {split.cross['history']} history "
        "rows span parts: left to the full check)")
    started = time.perf_counter()
    outcomes, used = _run_parts(split.parts, facts.ruleset, scheduler, workers, say, client)
    timings["parts"] = time.perf_counter() - started
    failed = [o for o in outcomes if o.status == "failed"]
    if failed:
        pins = [m for o in failed for m in o.pin_conflicts]
        raise PartitionFailed(pins or [f"part {o.name}: {o.error}" for o in failed],
                              pins=bool(pins))
    started = time.perf_counter()
    plan = Plan([m for o in outcomes for m in o.moves],
                [u for o in outcomes for u in o.unplaced])
    report = check_plan(facts, plan)
    timings["check"] = time.perf_counter() - started
    stuck = {u.cadre for u in plan.unplaced
             if (due := facts.due(u.cadre)) is not None and due.rule.hard}
    kinds = {r.id: r.kind for r in facts.ruleset.rules}
    conflicts = [f"{v.rule_id}: {v.message}" for v in report.hard
                 if not (v.cadres and set(v.cadres) <= stuck
                         and kinds.get(v.rule_id) == "tenure_limit")]
    objective = sum(o.objective for o in outcomes)
    bound = sum(o.bound for o in outcomes)
    gap = abs(objective - bound) / max(1e-9, abs(objective)) if objective else 0.0
    # the whole is as good as its worst part: proven optimal only if every part is
    statuses = {Status(o.status) for o in outcomes}
    status = Status.OPTIMAL if statuses <= {Status.OPTIMAL} else \
        Status.WITHIN_GAP if statuses <= {Status.OPTIMAL, Status.WITHIN_GAP} else \
        Status.FEASIBLE
    solution = Solution(status, [], objective, bound, gap, sum(o.seconds for o in outcomes), 0)
    refusals = {c: r for o in outcomes for c, r in o.refusals.items()}
    say(f"merged {len(plan.moves)} moves of {len(outcomes)} parts; full check: "
        f"{len(report.hard)} hard violations ({len(conflicts)} across parts)")
    return Partitioned(plan, solution, report, MergedCandidates(refusals), outcomes,
                       split.cross, by, conflicts, timings, used, split.about)


def _run_parts(parts: list[Part], ruleset: RuleSet, scheduler: str | None, workers: int | None,
               say: Progress, client: Any) -> tuple[list[PartOutcome], int]:
    """Largest parts first (better balance); outcomes in part-name order. Every part plans
    under the client's rule set: the workers do not re-read the rule files."""
    order = sorted(parts, key=lambda p: (-p.cadres, p.name))
    done: dict[str, PartOutcome] = {}
    started = time.perf_counter()

    def finished(outcome: PartOutcome) -> None:
        done[outcome.name] = outcome
        what = outcome.error or (f"{outcome.status}, {len(outcome.moves)} moves, "
                                 f"{len(outcome.unplaced)} unplaced")
        say(f"[{len(done)}/{len(parts)} parts, {time.perf_counter() - started:.0f} s] "
            f"{outcome.name}: {what} ({outcome.seconds:.1f} s)")

    if workers == 0 and not scheduler and client is None:
        for part in order:
            finished(plan_part(part.name, part.scenario, ruleset))
        return [done[p.name] for p in parts], 0
    import uuid

    from distributed import as_completed

    from planner.cluster import LocalStart, close_client, open_client

    if isinstance(client, LocalStart):  # started by the caller, who closes it
        client = client.client()
    own = client is None
    client = client or open_client(scheduler, workers)
    try:
        count = len(client.scheduler_info().get("workers", {}))
        say(f"planning {len(parts)} parts on {count} Dask workers")
        token = uuid.uuid4().hex[:8]
        # one task group ("rotation-part": the token ends Dask's key prefix) submitted at
        # once: the scheduler queues the parts and hands the next one to the first free
        # worker. Each task carries the rule set (tens of kB), so a retried task needs
        # nothing a dead worker held.
        futures = client.map(plan_part, [p.name for p in order], [p.scenario for p in order],
                             [ruleset] * len(order), retries=1, pure=False,
                             key=[f"rotation-part-{token}-{p.name}" for p in order])
        for future in as_completed(futures):
            finished(future.result())
    finally:
        if own:
            close_client(client, scheduler)
    return [done[p.name] for p in parts], count
