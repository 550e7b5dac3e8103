"""`vacancy`: vacant posts should be filled, by priority.

A post vacant when the horizon starts, or vacated by the plan, breaks the rule once, by the
number of rounds it stands without a holder (filled later, it still cost the rounds it
waited: planners want posts filled, and filled soon). The penalty is the rule's weight ×
`priority` × rounds — linear in the plan, so the solver minimises exactly this. A seconded
cadre keeps their home post: it is not vacant while they are away.

`roles` and `levels` pick the posts; `applies_to` may also name `position.*`, `unit.*` and
`locality.*` fields of the post (cadre fields do not constrain: a vacant post has no cadre).
"""

from __future__ import annotations

import bisect
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import numpy as np
from pydantic import Field

from planner.forms import away_posts, secondment_end
from planner.i18n.messages import say
from planner.kinds.base import Params, RuleKind, Timeline, Violation, violation
from planner.models import Level, Role

if TYPE_CHECKING:
    from planner.facts import Facts
    from planner.linear import LinearModel
    from planner.plan import Plan
    from planner.ruleset import Rule


class VacancyParams(Params):
    priority: float = Field(1.0, ge=0, description="multiplier of the rule's weight")
    roles: list[Role] | None = Field(None, description="roles of the posts (all if omitted)")
    levels: list[Level] | None = Field(None, description="levels of the posts (all if omitted)")


def post_context(facts: Facts, position_id: str) -> dict[str, Any]:
    """Selector context of a post without its holder: position.*, unit.*, locality.*."""
    place = facts.place(position_id)
    context: dict[str, Any] = {f"position.{k}": v for k, v in place.items()}
    context.update({"unit.id": place["unit"], "unit.bloc": place["bloc"],
                    "unit.kind": place["unit_kind"], "unit.sector": place["sector"],
                    "locality.id": place["locality"], "locality.level": place["level"],
                    "locality.kind": place["locality_kind"]})
    return context


def occupied(timeline: Timeline, round_index: int) -> set[str]:
    """Posts with a holder in a round, counting a seconded cadre's home post as held
    (a fresh set; computed once per timeline and round)."""
    key = ("occupied", round_index)
    cached = timeline.memo.get(key)
    if cached is not None:
        return set(cached)
    facts, plan = timeline.facts, timeline.plan
    day = facts.rounds[round_index].start
    away = away_posts(facts)
    held = {post for post, cadre_id in timeline.holders(round_index).items()
            if not (post in away and day < away[post]
                    and facts.roster.holder_by_position.get(post) == cadre_id)}
    for move in plan.moves:
        if move.to_position in away and move.round_index <= round_index and (
                move.end is None or day < move.end) and move.form == "secondment":
            held.add(move.to_position)  # the secondee fills the away holder's post
        if (move.form == "secondment" and move.from_position and move.round_index <= round_index
                and (move.end is None or day < move.end)):
            held.add(move.from_position)
    timeline.memo[key] = frozenset(held)
    return held


def counts_vacant(facts: Facts, position_id: str, round_index: int) -> bool:
    """Whether an empty post counts as vacant in a round: it exists then, no running
    secondment from the last cycle holds it, and it is not promised to the holder of a post
    it succeeds (planner.graph: existence)."""
    day = facts.rounds[round_index].start
    if not facts.graph.exists(position_id, day):
        return False
    reserved = facts.graph.reserved.get(position_id)
    return reserved is None or (reserved[0] is not None and day >= reserved[0])


class Vacancy(RuleKind):
    """A post left without a holder at the horizon's end, by rounds vacant."""

    name = "vacancy"
    Params = VacancyParams
    prices = frozenset({"weights.vacancy"})  # the scenario's vacancy weight stays out

    def selects(self, rule: Rule, facts: Facts, position_id: str) -> bool:
        """Whether the rule covers this post (roles, levels, applies_to)."""
        params: VacancyParams = rule.params
        place = facts.place(position_id)
        if params.roles is not None and place["role"] not in params.roles:
            return False
        if params.levels is not None and place["level"] not in params.levels:
            return False
        # (no conditions: every post matches, its context is not needed)
        return not rule.selector.conditions or rule.selector.matches(
            post_context(facts, position_id))

    def encode(self, rule: Rule, facts: Facts, model: LinearModel) -> None:
        """rounds vacant(p) = [vacant at start]·R + Σ_out (rounds from r)·x − Σ_in (rounds
        from r)·x: linear, so each candidate carries its share of the penalty (computed over
        the candidates' arrays: rounds counted by prefix sums per post)."""
        params: VacancyParams = rule.params
        in_force = [r.index for r in facts.rounds if rule.in_force(r.start)]
        if not in_force or not model.candidates:
            return
        weight = rule.weight * params.priority
        arrays = model.candidate_arrays()
        num_rounds = len(facts.rounds)
        covered = np.array([self.selects(rule, facts, p) for p in arrays.posts], dtype=bool)
        # only rounds in which the post exists can leave it vacant
        vacant = np.zeros((len(arrays.posts), num_rounds), dtype=np.int64)
        for i in np.flatnonzero(covered).tolist():
            for r in in_force:
                vacant[i, r] = counts_vacant(facts, arrays.posts[i], r)
        before = np.zeros((len(arrays.posts), num_rounds + 1), dtype=np.int64)
        before[:, 1:] = np.cumsum(vacant, axis=1)  # rounds vacant before each round
        to, origin, start = arrays.to, arrays.origin, arrays.round
        secondment = arrays.secondment
        # a secondee fills a post only until the secondment ends (or the holder is back):
        # the rounds counted are those that start before then
        away = away_posts(facts)
        cutoff = np.full(len(to), num_rounds, dtype=np.int64)
        away_code = np.array([arrays.index[p] for p in away if p in arrays.index],
                             dtype=np.int64)
        bounded = covered[to] & (secondment | np.isin(to, away_code))
        starts = [r.start for r in facts.rounds]
        for i in np.flatnonzero(bounded).tolist():
            candidate = model.candidates[i]
            # (a secondment's candidate carries its end: planner.forms.secondment_end)
            end = (candidate.end or secondment_end(facts, candidate.to_position,
                                                   candidate.start)) if secondment[i] else None
            if candidate.to_position in away:
                end = min(end or away[candidate.to_position], away[candidate.to_position])
            if end is not None:
                cutoff[i] = bisect.bisect_left(starts, end)
        filled = np.where(cutoff > start, before[to, np.maximum(cutoff, start)]
                          - before[to, start], 0)
        opened_post = np.where(origin >= 0, origin, 0)
        opens = (origin >= 0) & covered[opened_post] & ~secondment
        opened = before[opened_post, num_rounds] - before[opened_post, start]
        costs = np.array(model.costs[: len(to)])
        costs -= np.where(covered[to], weight * filled, 0.0)
        costs += np.where(opens, weight * opened, 0.0)
        model.costs[: len(to)] = costs.tolist()

    def check(self, rule: Rule, facts: Facts, plan: Plan) -> list[Violation]:
        params: VacancyParams = rule.params
        timeline = Timeline.of(facts, plan)
        rounds = [r for r in facts.rounds if rule.in_force(r.start)]
        if not rounds:
            return []
        held = {r.index: occupied(timeline, r.index) for r in rounds}
        last = rounds[-1]
        found = []
        vacated = {m.from_position for m in plan.moves if m.from_position}
        away = away_posts(facts)
        for position in facts.roster.positions:
            if position.id in facts.roster.holder_by_position and position.id not in vacated \
                    and position.id not in away:
                continue
            empty = [r.name for r in rounds if position.id not in held[r.index]
                     and counts_vacant(facts, position.id, r.index)]
            if not empty or not self.selects(rule, facts, position.id):
                continue
            place = facts.place(position.id)
            if position.id not in facts.roster.holder_by_position:
                since = "is vacant from the horizon start"
            elif position.id in away:
                since = f"has its holder away (back on {away[position.id]})" + (
                    ", then is vacated by the plan" if position.id in vacated else "")
            else:
                since = f"is vacated by the plan in {empty[0]}"
            found.append(replace(
                violation(rule, say("{post} ({title}) {since}: {count} rounds without a "
                                    "holder by {round}", post=position.id,
                                    title=position.title, since=since, count=len(empty),
                                    round=last.name),
                          amount=len(empty), unit="rounds vacant", positions=(position.id,),
                          units=(place["unit"],), rounds=tuple(empty)),
                weight=rule.weight * params.priority))
        return found
