"""`adaptation`: after a move the cadre adapts; a unit keeps most of its leadership steady.

Standard practice [I] under QĐ 65-QĐ/TW Art 8 (the receiving body helps the rotated cadre
settle in) and Kế hoạch 188-KH/TU (keep the apparatus working during rotation): after taking
a post a cadre adapts for `months` (`key_months` for key posts); at most a share of a unit's
leadership may be adapting at once; and a locality's secretary and chair are never both new
— `key_roles_not_together` lists the roles of which at most one holder per locality adapts.

A cadre is adapting in round r if they took their post (by a move of the plan, or on their
`position_start` in the roster) on or before r's first day and less than the adaptation
period before it. Only leadership posts (every role but staff) count towards the share.
Groups whose adapting cadres all come from the roster are not the plan's doing and are
not reported, so an empty plan never violates this rule. `applies_to` selects the cadres
(and moves: `move.form`, `to.*`) that adapt; move conditions do not constrain cadres who took
their post before the plan (how they arrived is not recorded).
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from pydantic import Field

from planner.calendar import Round, add_months
from planner.i18n.messages import listed, say
from planner.kinds.base import Params, RuleKind, Timeline, Violation, violation
from planner.models import LEADER_ROLES, Role
from planner.plan import Plan
from planner.ruleset import Dated, Rule

if TYPE_CHECKING:
    from planner.facts import Facts
    from planner.linear import LinearModel
    from planner.plan import Move


class AdaptationParams(Params):
    months: Dated[int] = Field(3, description="months a cadre adapts after taking a post")
    key_months: Dated[int] | None = Field(
        None, description="months of adaptation after taking a key post (default: months)")
    max_share_per_unit: float | None = Field(
        None, gt=0, le=1, description="share of a unit's leadership posts that may be adapting "
        "at once; cap = max(1, floor(share × number of leadership posts))")
    key_roles_not_together: list[Role] = Field(
        default_factory=list, description="roles of which at most one holder per locality may "
        "be adapting at once (e.g. [secretary, chair])")


def adaptation_months(rule: Rule, facts: Facts, position_id: str, day: dt.date) -> int:
    """Months of adaptation after taking `position_id` on `day` (key posts: key_months)."""
    months = rule.param("months", day)
    if facts.place(position_id)["key"]:
        key_months = rule.param("key_months", day)
        if key_months is not None:
            months = key_months
    return int(months or 0)


def adaptation_until(rule: Rule, facts: Facts, move: Move) -> dt.date:
    """The first day the cadre of `move` no longer adapts (the plan's `adaptation_until`)."""
    return add_months(move.start, adaptation_months(rule, facts, move.to_position, move.start))


def leadership_cap(share: float, num_leadership_posts: int) -> int:
    """How many of a unit's leaders may adapt at once: max(1, ⌊share × posts⌋).

    The solver reuses this for its per-unit, per-round constraint. The tiny epsilon keeps
    products such as 0.29 × 100 from flooring to 28 on binary floating point.
    """
    return max(1, math.floor(share * num_leadership_posts + 1e-9))


@dataclass(frozen=True)
class Adapting:
    """A cadre adapting in a round: in which post, since and until when, and whether the
    plan put them there (False: they took the post before the plan, per the roster)."""

    cadre: str
    position: str
    since: dt.date
    until: dt.date
    planned: bool

    def describe(self) -> str:
        return say("{cadre} in {post} {since}…{until}", cadre=self.cadre, post=self.position,
                   since=self.since, until=self.until)


def _grouped(key: np.ndarray, columns: np.ndarray,
             where: np.ndarray) -> list[tuple[int, np.ndarray]]:
    """(key, its columns) of the selected entries, keys in order of their first entry and
    columns in entry order (what a dict of lists filled in entry order would hold)."""
    picked = np.flatnonzero(where)
    if not len(picked):
        return []
    keys = key[picked]
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    starts = np.r_[0, np.flatnonzero(np.diff(sorted_keys)) + 1]
    chunks = np.split(columns[picked[order]], starts[1:])
    # np.argsort is stable: a group's first entry is its smallest position in `picked`
    first_entry = order[starts]
    return [(int(sorted_keys[starts[g]]), chunks[g])
            for g in np.argsort(first_entry, kind="stable").tolist()]


def longest_adaptation(rule: Rule) -> int:
    """The most months any post adapts under this rule, over all its dated values."""
    values = []
    for name in ("months", "key_months"):
        param = getattr(rule.params, name)
        if isinstance(param, dict):
            values += [int(v) for v in param.values() if v is not None]
        elif param is not None:
            values.append(int(param))
    return max(values, default=0)


def adapting_in_round(rule: Rule, facts: Facts, plan: Plan, timeline: Timeline,
                      round_: Round) -> list[Adapting]:
    """Every cadre (selected by the rule) adapting in `round_` under `plan`."""
    found = []
    # only the plan's movers and cadres who took their post recently can be adapting
    earliest = add_months(round_.start, -longest_adaptation(rule))
    recent = facts.started_between(earliest, round_.start)
    movers = [facts.cadre(m.cadre) for m in plan.moves]
    # whether the rule selects a cadre's arrival and when it stops adapting depend on the
    # arrival only, not on the round: worked out once per timeline, rule and arrival
    ends: dict[tuple[str, bool], tuple[bool, dt.date]] = timeline.memo.setdefault(
        ("adapting", rule.id), {})
    for cadre in {c.id: c for c in [*recent, *movers]}.values():
        move = plan.move_by_cadre.get(cadre.id)
        post = cadre.position if move is None else timeline.post_of(cadre.id, round_.index)
        if post is None:
            continue
        if move is not None and move.round_index <= round_.index and post == move.to_position:
            since, planned = move.start, True
        elif post == cadre.position and cadre.position_start is not None:
            since, planned = cadre.position_start, False
        else:
            continue
        if since > round_.start:
            continue
        known = ends.get((cadre.id, planned))
        if known is None:
            context = facts.move_context(move) if planned and move is not None \
                else facts.cadre_context(cadre.id)
            known = ends[(cadre.id, planned)] = (
                rule.selector.matches(context),
                add_months(since, adaptation_months(rule, facts, post, since)))
        selected, until = known
        if selected and round_.start < until:
            found.append(Adapting(cadre.id, post, since, until, planned))
    return found


class Adaptation(RuleKind):
    """Too many leaders of one unit adapting at once, or two key roles of one locality."""

    name = "adaptation"
    Params = AdaptationParams
    move_rule = True

    def adapts_until(self, rule: Rule, facts: Facts, move: Move) -> dt.date | None:
        return adaptation_until(rule, facts, move)

    def check(self, rule: Rule, facts: Facts, plan: Plan) -> list[Violation]:
        params: AdaptationParams = rule.params
        if not plan.moves:
            return []
        timeline = Timeline.of(facts, plan)
        found = []
        for round_ in facts.rounds:
            if not rule.in_force(round_.start):
                continue
            adapting = adapting_in_round(rule, facts, plan, timeline, round_)
            if params.max_share_per_unit is not None:
                found += self._share_violations(rule, facts, round_, adapting)
            if params.key_roles_not_together:
                found += self._key_role_violations(rule, facts, round_, adapting)
        return found

    def encode(self, rule: Rule, facts: Facts, model: LinearModel) -> None:
        """Per unit and round: planned arrivals adapting ≤ cap − leaders already adapting;
        per locality and round: at most one key role adapting (minus those already adapting).

        Leaders who took their post before the plan count as adapting even if the plan moves
        them away later: conservative, so every plan the model allows passes `check`.
        The arrivals adapting in each round are found over arrays of the limited candidates
        (first and last round adapting), the rows added as blocks.
        """
        params: AdaptationParams = rule.params
        empty = Plan([])
        timeline = Timeline(facts, empty)
        # only arrivals into leadership (the share) or key roles (not together) are limited
        counted = set(LEADER_ROLES) if params.max_share_per_unit is not None else set()
        counted |= set(params.key_roles_not_together)
        # what the limits read of a candidate is its post's (role, unit, locality): read once
        # per post, from the post's first candidate
        arrays = model.candidate_arrays()
        codes, first_of = np.unique(arrays.to, return_index=True)
        post_of = np.full(len(arrays.posts), -1, dtype=np.int64)
        post_of[codes] = np.arange(len(codes))
        heads = [model.candidates[i] for i in first_of.tolist()]
        limited = np.array([c.role in counted for c in heads], dtype=bool)
        pool = np.flatnonzero(limited[post_of[arrays.to]])
        if rule.selector.conditions:
            chosen = model.matching(rule, facts, [model.candidates[i] for i in pool.tolist()])
            index = np.fromiter((c.index for c in chosen), np.int64, len(chosen))
        else:  # `matching` without conditions: the rule in force on the round's start
            in_force = np.array([rule.in_force(r.start) for r in facts.rounds], dtype=bool)
            index = pool[in_force[arrays.round[pool]]]
        at_post = post_of[arrays.to[index]]
        first = arrays.round[index]
        starts = [r.start for r in facts.rounds]
        # per post and round of arrival: the first round the arrival no longer adapts in
        ends = np.zeros((len(heads), len(starts)), dtype=np.int64)
        for post, round_index in set(zip(at_post.tolist(), first.tolist(), strict=True)):
            start, to = starts[round_index], heads[post].to_position
            until = add_months(start, adaptation_months(rule, facts, to, start))
            ends[post, round_index] = bisect.bisect_left(starts, until)
        until_round = ends[at_post, first]
        unit_code: dict[str, int] = {}
        locality_code: dict[str, int] = {}
        post_unit = np.array([unit_code.setdefault(c.unit, len(unit_code)) for c in heads],
                             dtype=np.int64)
        post_locality = np.array([locality_code.setdefault(c.locality, len(locality_code))
                                  for c in heads], dtype=np.int64)
        units, localities = list(unit_code), list(locality_code)
        roles = set(params.key_roles_not_together)
        unit, locality = post_unit[at_post], post_locality[at_post]
        leader = np.array([c.role in LEADER_ROLES for c in heads], dtype=bool)[at_post]
        key_role = np.array([c.role in roles for c in heads], dtype=bool)[at_post]
        groups: list[np.ndarray] = []
        caps: list[float] = []
        caps_of: dict[str, int] = {}  # per unit: its leadership cap
        labels: list[str] = []
        for round_ in facts.rounds:
            if not rule.in_force(round_.start):
                continue
            already = adapting_in_round(rule, facts, empty, timeline, round_)
            arriving = (first <= round_.index) & (round_.index < until_round)
            # leaders already adapting per unit, key roles per locality (counted once)
            places = [facts.place(a.position) for a in already]
            leaders_in = Counter(p["unit"] for p in places if p["role"] in LEADER_ROLES)
            if params.max_share_per_unit is not None:
                for unit_at, columns in _grouped(unit, index, arriving & leader):
                    unit_id = units[unit_at]
                    cap = caps_of.get(unit_id)
                    if cap is None:
                        cap = caps_of[unit_id] = leadership_cap(
                            params.max_share_per_unit, len(facts.graph.leadership(unit_id)))
                    present = leaders_in[unit_id]
                    if len(columns) > max(cap - present, 0):
                        groups.append(columns)
                        caps.append(max(cap - present, 0))
                        labels.append(f"{unit_id} leaders adapting in {round_.name}")
            if params.key_roles_not_together:
                key_in = Counter(p["locality"] for p in places if p["role"] in roles)
                for locality_at, columns in _grouped(locality, index, arriving & key_role):
                    locality_id = localities[locality_at]
                    present = key_in[locality_id]
                    if len(columns) > max(1 - present, 0):
                        groups.append(columns)
                        caps.append(max(1 - present, 0))
                        labels.append(f"{locality_id} key roles adapting in {round_.name}")
        model.add_count_rows(groups, caps, labels, rule.id,
                             None if rule.hard else rule.weight)

    def _share_violations(self, rule: Rule, facts: Facts, round_: Round,
                          adapting: list[Adapting]) -> list[Violation]:
        share: float = rule.params.max_share_per_unit
        by_unit: dict[str, list[Adapting]] = {}
        for item in adapting:
            place = facts.place(item.position)
            if place["role"] in LEADER_ROLES:
                by_unit.setdefault(place["unit"], []).append(item)
        found = []
        for unit_id, group in by_unit.items():
            posts = len(facts.graph.leadership(unit_id))
            cap = leadership_cap(share, posts)
            if len(group) <= cap or not any(item.planned for item in group):
                continue
            found.append(violation(
                rule, say("{unit}: {count} of its {posts} leaders adapt in {round}, at most "
                          "{cap} ({share} of {posts}): {who}", unit=unit_id, count=len(group),
                          posts=posts, round=round_.name, cap=cap, share=f"{share:.0%}",
                          who=listed(", ", [item.describe() for item in group])),
                amount=len(group) - cap, unit="cadres over the cap",
                cadres=tuple(item.cadre for item in group),
                positions=tuple(item.position for item in group),
                units=(unit_id,), rounds=(round_.name,), clause="max_share_per_unit"))
        return found

    def _key_role_violations(self, rule: Rule, facts: Facts, round_: Round,
                             adapting: list[Adapting]) -> list[Violation]:
        roles = set(rule.params.key_roles_not_together)
        by_locality: dict[str, list[Adapting]] = {}
        for item in adapting:
            place = facts.place(item.position)
            if place["role"] in roles:
                by_locality.setdefault(place["locality"], []).append(item)
        found = []
        for locality_id, group in by_locality.items():
            if len(group) <= 1 or not any(item.planned for item in group):
                continue
            held = listed(" and ", [say("{role}", role=role) for role in sorted(
                {facts.place(item.position)["role"] for item in group})])
            found.append(violation(
                rule, say("{locality}: {held} adapt together in {round}: {who}",
                          locality=locality_id, held=held, round=round_.name,
                          who=listed(", ", [item.describe() for item in group])),
                amount=len(group) - 1, unit="cadres over the cap",
                cadres=tuple(item.cadre for item in group),
                positions=tuple(item.position for item in group),
                units=tuple(sorted({facts.place(item.position)["unit"] for item in group})),
                rounds=(round_.name,), clause="key_roles_not_together"))
        return found
