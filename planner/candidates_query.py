"""Who can fill this post: the cadres who may lawfully take a post, ranked by what it costs
the plan, and for the closest excluded ones the rule that stops them (`rotation candidates`).

1. Every cadre holding another post is judged for the post by the per-move hard rules
   (the kinds' `judge_move`, as the candidate generator judges options), form by form, in
   the asked round or the first round that allows it.
2. Cadres are taken in closeness order (same profession, nearby grade, same area — the
   planner's own ranking); the lawful ones are checked with the coupled hard rules
   (relatives, adaptation shares, quotas, tenure) on the plan with the move added, until k
   pass (and the closest refusals are known): a city is never judged whole.
3. Each of the k is verified by re-solving the scenario with the move pinned: the objective
   delta against the plan, bounded by a time budget (`time_limit_s`); a candidate the
   pinned re-solve cannot place (the other rules leave no plan with it) is excluded with the
   reason, one whose re-solve does not fit in the budget keeps the move's own cost terms,
   labelled as an estimate.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass, field
from typing import Any

from planner.facts import Facts
from planner.models import Pin
from planner.plan import Move, Plan
from planner.scenario import Located
from planner.solver.build import cost_terms
from planner.solver.candidates import (
    PROPOSED_FORMS,
    Option,
    PostFeatures,
    judge,
    per_move_rules,
    post_features,
)


@dataclass
class Candidate:
    """A cadre who may take the post: the move, its delta and how it was established."""

    cadre: str
    name: str
    position: str | None
    form: str
    round: str
    delta: float | None = None  # objective change of the plan, by a pinned re-solve
    estimate: float = 0.0  # the move's own objective terms (when the re-solve is not run)
    verified: bool = False
    note: str = ""
    changes: int = 0  # other moves the pinned plan changes

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass
class Excluded:
    """A close cadre who may not take the post, and the rule that stops them."""

    cadre: str
    name: str
    position: str | None
    rule_id: str
    label: str
    clause: str
    form: str = ""

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass
class CandidateList:
    post: str
    title: str
    round: str | None
    candidates: list[Candidate] = field(default_factory=list)
    excluded: list[Excluded] = field(default_factory=list)
    judged: int = 0
    lawful: int = 0
    base_objective: float | None = None
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {"post": self.post, "title": self.title, "round": self.round,
                "judged": self.judged, "lawful_by_per_move_rules": self.lawful,
                "base_objective": self.base_objective, "seconds": round(self.seconds, 3),
                "candidates": [c.as_dict() for c in self.candidates],
                "excluded": [e.as_dict() for e in self.excluded]}


def _closeness(facts: Facts, cadre_id: str, target: PostFeatures,
               cache: dict[str, PostFeatures]) -> tuple[int, int]:
    """The planner's closeness (grade gap, leader vs staff, profession, area), smaller first."""
    cadre = facts.cadre(cadre_id)
    assert cadre.position is not None
    origin = cache.get(cadre.position)
    if origin is None:
        origin = cache[cadre.position] = post_features(facts, cadre.position)
    gap = abs(origin.grade - target.grade) + 3 * (origin.staff != target.staff)
    return (gap + int(cadre.profession != target.profession) + int(origin.area != target.area),
            -len(set(cadre.skills) & target.skills))


def find_candidates(facts: Facts, post: str, plan: Plan | None = None,
                    round_name: str | None = None, k: int = 10, excluded: int = 5,
                    time_limit_s: float | None = None,
                    base_objective: float | None = None) -> CandidateList:
    """The k best cadres for `post` (see the module docstring); `plan`: the plan to compare
    with (solved if not given); `time_limit_s`: the budget of the pinned re-solves."""
    from planner.checker import structure_violations
    from planner.solver.run import solve_workspace

    started = time.perf_counter()
    budget = time_limit_s if time_limit_s is not None else facts.scenario.solver.time_limit_s
    deadline = started + budget
    position = facts.position(post)
    result = CandidateList(post, position.title, round_name)
    rounds = [r for r in facts.rounds if round_name is None or r.name == round_name]
    if plan is None or base_objective is None:
        solved = solve_workspace(facts)
        plan = plan or solved.plan
        base_objective = solved.solution.objective
    result.base_objective = base_objective
    rules = per_move_rules(facts)
    target = post_features(facts, post)
    cache: dict[str, PostFeatures] = {}
    holder = facts.roster.holder_by_position.get(post)
    people = [c for c in facts.roster.cadres if c.position and c.position != post]
    people.sort(key=lambda c: (_closeness(facts, c.id, target, cache), c.id))
    refused: list[tuple[str, str, str]] = []  # cadre, rule, clause (first refusal, closest)
    forbidden = {(f.value.cadre, f.value.to) for f in facts.scenario.forbids}
    coupled = [r for r in facts.ruleset.active if r.hard and r not in rules]

    def hard_of(candidate_plan: Plan) -> set[tuple[str, str]]:
        found = [v for v in structure_violations(facts, candidate_plan) if v.hard]
        for rule in coupled:
            found += [v for v in rule.impl.check(rule, facts, candidate_plan) if v.hard]
        return {(v.rule_id, v.message) for v in found}

    began = time.perf_counter()
    before = hard_of(plan)
    # on a city-size roster one check of the coupled rules takes seconds: when k of them do
    # not fit in half the budget, the coupled rules are left to the pinned re-solve (and
    # the candidates say so)
    check_coupled = (time.perf_counter() - began) * k <= budget / 2
    chosen: list[Move] = []
    # closest first; stop once k are lawful under every hard rule and enough refusals are
    # known to show the closest excluded (a city of 15,000 cadres is never judged whole)
    for cadre in people:
        if len(chosen) >= k and len(refused) >= excluded:
            break
        result.judged += 1
        if (cadre.id, None) in forbidden or (cadre.id, post) in forbidden:
            refused.append((cadre.id, "scenario.forbid", "the scenario forbids this move"))
            continue
        first = _first_allowed(facts, rules, cadre.id, cadre.position, post, rounds)
        if not isinstance(first, Move):
            if first is not None:
                refused.append((cadre.id, first[0], first[1]))
            continue
        result.lawful += 1
        if len(chosen) >= k:
            continue
        if not check_coupled:
            chosen.append(first)
            continue
        # coupled hard rules on the plan with the move added
        trial = Plan([*(m for m in plan.moves if m.cadre != first.cadre), first])
        new = {(rule_id, message) for rule_id, message in hard_of(trial) - before
               if not rule_id.startswith("structure.")}  # a holder may move: re-solved below
        if new:
            rule_id, message = sorted(new)[0]
            refused.append((first.cadre, rule_id, message))
            continue
        chosen.append(first)
    for move in chosen:
        cadre = facts.cadre(move.cadre)
        option = Option(move.cadre, move.form, post, move.round_index, 0.0, ())
        item = Candidate(move.cadre, cadre.name, cadre.position, move.form, move.round,
                         estimate=round(sum(cost_terms(facts, option).values()), 3))
        remaining = deadline - time.perf_counter()
        share = remaining / max(1, len(chosen) - len(result.candidates))
        if share >= 0.5:
            _verify(facts, item, move, plan, base_objective, share, round_name)
        else:
            item.note = "estimate: the pinned re-solve did not fit in the time budget"
            if not check_coupled:
                item.note += "; coupled rules (relatives, adaptation, quotas) not checked"
        if item.note.startswith("excluded:"):
            refused.append((move.cadre, "pinned re-solve", item.note.removeprefix("excluded: ")))
            continue
        result.candidates.append(item)
    result.candidates.sort(key=lambda c: (c.delta if c.delta is not None else c.estimate,
                                          c.cadre))
    for cadre_id, rule_id, clause in refused[:excluded]:
        cadre = facts.cadre(cadre_id)
        rule = next((r for r in facts.ruleset.rules if r.id == rule_id), None)
        label = rule.label if rule else ("the holder stays" if cadre_id == holder else rule_id)
        result.excluded.append(Excluded(cadre_id, cadre.name, cadre.position, rule_id, label,
                                        clause))
    result.seconds = time.perf_counter() - started
    return result


def _first_allowed(facts: Facts, rules: list[Any], cadre_id: str, origin: str | None,
                   post: str, rounds: list[Any]) -> Move | tuple[str, str] | None:
    """The first (form, round) the per-move hard rules allow, or the first refusal (rule id,
    clause in words) of the most fitting form."""
    refusal: tuple[str, str] | None = None
    for form in PROPOSED_FORMS:
        probe = Move(cadre_id, form, origin, post, rounds[0].name, rounds[0].index,
                     rounds[0].start)
        context = facts.move_context(probe)
        matching = [r for r in rules if r.hard and r.selector.matches(context)]
        timeless: dict[str, Any] = {}
        blocked = None
        for rule in matching:
            if rule.impl.timeless:
                found = rule.impl.judge_move(rule, facts, probe)
                timeless[rule.id] = found
                # a dated rule blocks every round only if it is in force in every one
                if found is not None and blocked is None and \
                        all(rule.in_force(r.start) for r in rounds):
                    blocked = (rule.id, rule.impl.explain(rule, found))
        if blocked is not None:
            refusal = refusal or blocked
            continue
        for round_ in rounds:
            move = Move(cadre_id, form, origin, post, round_.name, round_.index, round_.start)
            hard, _cost, _soft = judge(facts, matching, move, context, timeless)
            if not hard:
                return move
            if refusal is None:
                rule = facts.ruleset.by_id(hard[0])
                found = rule.impl.judge_move(rule, facts, move)
                refusal = (rule.id, rule.impl.explain(rule, found) if found else rule.label)
    return refusal


def _verify(facts: Facts, item: Candidate, move: Move, plan: Plan, base_objective: float,
            seconds: float, round_name: str | None) -> None:
    """The objective delta of the plan with this move pinned (a re-solve within `seconds`)."""
    from planner.solver.run import NoPlanInTime, PinConflict, solve_workspace

    pin = Located("candidates", None, Pin(cadre=move.cadre, to=move.to_position,
                                          round=round_name, form=move.form))
    scenario = facts.scenario
    pinned = dataclasses.replace(
        scenario, pins=[p for p in scenario.pins if p.value.cadre != move.cadre] + [pin],
        solver=scenario.solver.model_copy(update={"time_limit_s": max(seconds, 0.5)}))
    try:
        solved = solve_workspace(Facts(pinned, facts.ruleset))
    except PinConflict as conflict:
        item.note = "excluded: " + "; ".join(conflict.messages)
        return
    except NoPlanInTime:
        item.note = "estimate: the pinned re-solve found no plan in the time budget"
        return
    stuck = [u.cadre for u in solved.plan.unplaced
             if (due := facts.due(u.cadre)) is not None and due.rule.hard]
    if stuck and not any(u.cadre for u in plan.unplaced if u.cadre in stuck):
        item.note = f"excluded: pinned, it leaves {', '.join(stuck)} without a lawful move"
        return
    item.delta = round(solved.solution.objective - base_objective, 3)
    item.verified = solved.status == "optimal"
    if not item.verified:
        item.note = f"re-solve {solved.status} within the time budget"
    before = {(m.cadre, m.to_position, m.round) for m in plan.moves}
    after = {(m.cadre, m.to_position, m.round) for m in solved.plan.moves}
    item.changes = len(before ^ after) - 1


def describe(result: CandidateList) -> list[str]:
    lines = [f"{result.post} ({result.title})"
             + (f" in {result.round}" if result.round else "")
             + f": {result.lawful} of the {result.judged} closest cadres judged may take it by "
             f"the per-move rules; best {len(result.candidates)} (objective delta by a pinned "
             f"re-solve "
             f"against {result.base_objective:g}; {result.seconds:.1f} s):"]
    for number, item in enumerate(result.candidates, 1):
        delta = f"{item.delta:+g}" if item.delta is not None else f"≈{item.estimate:+g}"
        note = f" ({item.note})" if item.note else ""
        changes = f", {item.changes} other moves change" if item.delta is not None else ""
        lines.append(f"  {number:>2}. {item.cadre} {item.name} ({item.position}) by "
                     f"{item.form} in {item.round}: {delta}{changes}{note}")
    if result.excluded:
        lines.append("closest excluded:")
        for other in result.excluded:
            lines.append(f"  - {other.cadre} {other.name} ({other.position}): {other.rule_id} "
                         f"— {other.label}: {other.clause}")
    return lines
