"""`quota`: at least / at most so many moves of a form or direction per round, year, unit or
horizon.

Kế hoạch 188-KH/TU sets targets for the number of cadres rotated and transferred in
2024–2025, and organisation boards cap how many moves one round or one receiving unit can
absorb. `applies_to` picks the moves counted (`move.form`, `move.direction`, `from.*`,
`to.*`, cadre fields); a move counts when the rule is in force on its start.

Groups: `round` — each round of the horizon; `year` — each calendar year the horizon
touches (a partial year is still one group); `horizon` — the whole horizon; `unit` — each
destination unit. For round, year and horizon every group in force is checked, empty ones
too, so `min` can report a shortfall. A per-unit minimum is not offered (a unit that
receives nothing would be judged too — is that a shortfall? the texts do not say), and
`min` with `per: unit` is refused when the rule file is read.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Literal

from pydantic import Field, model_validator

from planner.i18n.messages import say
from planner.kinds.base import Params, RuleKind, Violation, violation
from planner.linear import candidate_move

if TYPE_CHECKING:
    from planner.facts import Facts
    from planner.linear import LinearModel
    from planner.plan import Move, Plan
    from planner.ruleset import Rule

#: optional movers recruited per move a minimum asks (choice among them is the model's)
RECRUITS_PER_MOVE = 3

QuotaGroup = Literal["round", "year", "unit", "horizon"]


class QuotaParams(Params):
    min: int | None = Field(None, ge=0, description="at least this many matching moves per group")
    max: int | None = Field(None, ge=0, description="at most this many matching moves per group")
    per: QuotaGroup = Field("horizon", description="group: round, year, unit (destination unit) "
                            "or horizon")

    @model_validator(mode="after")
    def _bounds(self) -> QuotaParams:
        if self.min is None and self.max is None:
            raise ValueError("a quota needs min, max or both")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min {self.min} is above max {self.max}")
        if self.per == "unit" and self.min is not None:
            raise ValueError("min cannot be used with per: unit (only max); use per: round, "
                             "year or horizon for a minimum")
        return self


def quota_group(per: str, facts: Facts, move: Move) -> str:
    """The name of the group a move counts in: a round, a year, a unit id or 'horizon'."""
    if per == "round":
        return move.round
    if per == "year":
        return str(move.start.year)
    if per == "unit":
        return str(facts.place(move.to_position)["unit"])
    return "horizon"


def quota_groups(rule: Rule, facts: Facts) -> list[str]:
    """Groups checked even when empty (round, year, horizon; none for unit), in order."""
    per = rule.params.per
    in_force = [r for r in facts.rounds if rule.in_force(r.start)]
    if per == "round":
        return [r.name for r in in_force]
    if per == "year":
        return list(dict.fromkeys(str(r.start.year) for r in in_force))
    if per == "horizon":
        return ["horizon"] if in_force else []
    return []


def group_rounds(per: str, facts: Facts, name: str, moves: list[Move]) -> tuple[str, ...]:
    """Rounds a violation names: the round itself, the rounds of an empty year or horizon
    (where the shortfall lies), or the rounds of the counted moves."""
    if per == "round":
        return (name,)
    if not moves and per == "year":
        return tuple(r.name for r in facts.rounds if str(r.start.year) == name)
    if not moves and per == "horizon":
        return tuple(r.name for r in facts.rounds)
    return tuple(dict.fromkeys(m.round for m in moves))


def counted_moves(rule: Rule, facts: Facts, plan: Plan) -> list[Move]:
    """The plan's moves the quota counts: in force on their start and matching applies_to."""
    return [m for m in plan.moves
            if rule.in_force(m.start) and rule.selector.matches(facts.move_context(m))]


class Quota(RuleKind):
    """Too many (over `max`) or too few (under `min`) matching moves in a group."""

    name = "quota"
    Params = QuotaParams
    move_rule = True

    def recruits(self, rule: Rule, facts: Facts) -> list[str]:
        """For a minimum: the cadres whose moves from their own post it would count, the
        longest in post first (whom a board moves first), RECRUITS_PER_MOVE per move asked.

        Without them a target over cadres who are not due (Plan 188's unit leaders, key ward
        cadres) could only be met by the few due cadres and chain partners the generator
        picks for other reasons. A condition on the move or its destination (move.*, to.*)
        is left to the model: the cadre's own fields and post (`from.*`) decide here."""
        params: QuotaParams = rule.params
        if not params.min:
            return []
        groups = quota_groups(rule, facts)
        if not groups:
            return []
        roster = facts.roster
        found: list[tuple[dt.date, str]] = []
        for cadre in roster.cadres:
            if not cadre.position:
                continue
            context = dict(facts.cadre_context(cadre.id))
            context.update({f"from.{k}": v for k, v in facts.place(cadre.position).items()})
            if rule.selector.matches(context):
                found.append((cadre.position_start or dt.date.min, cadre.id))
        found.sort()
        wanted = RECRUITS_PER_MOVE * params.min * len(groups)
        return [cadre_id for _, cadre_id in found[:wanted]]

    def encode(self, rule: Rule, facts: Facts, model: LinearModel) -> None:
        """min ≤ Σ chosen matching candidates ≤ max in every group (soft: slack per move)."""
        params: QuotaParams = rule.params
        groups: dict[str, list[int]] = {name: [] for name in quota_groups(rule, facts)}
        for candidate in model.matching(rule, facts):
            move = candidate_move(candidate, facts.rounds[candidate.round_index].name)
            groups.setdefault(quota_group(params.per, facts, move), []).append(candidate.index)
        for name, columns in groups.items():
            terms = [(c, 1.0) for c in columns]
            label = f"quota {name}"
            if params.max is not None and len(columns) > params.max:
                if rule.hard:
                    model.add_row(terms, upper=params.max, label=label, rule=rule.id)
                else:
                    model.add_soft_row(terms, params.max, rule.weight, label, rule.id)
            if params.min is not None:
                if rule.hard:
                    # an empty group under a hard minimum is infeasible: keep it visible
                    slack = model.add_column(1e6, params.min, f"shortfall {label}", rule.id)
                else:
                    slack = model.add_column(rule.weight, params.min, f"shortfall {label}",
                                             rule.id)
                model.add_row([*terms, (slack, 1.0)], lower=params.min, label=label,
                              rule=rule.id)

    def check(self, rule: Rule, facts: Facts, plan: Plan) -> list[Violation]:
        params: QuotaParams = rule.params
        groups: dict[str, list[Move]] = {name: [] for name in quota_groups(rule, facts)}
        for move in counted_moves(rule, facts, plan):
            groups.setdefault(quota_group(params.per, facts, move), []).append(move)
        found = []
        for name, moves in groups.items():
            count = len(moves)
            where = "in the horizon" if name == "horizon" else (
                f"into {name}" if params.per == "unit" else f"in {name}")
            facts_of = dict(
                cadres=tuple(m.cadre for m in moves),
                positions=tuple(m.to_position for m in moves),
                units=(name,) if params.per == "unit" else tuple(dict.fromkeys(
                    facts.place(m.to_position)["unit"] for m in moves)),
                rounds=group_rounds(params.per, facts, name, moves))
            if params.max is not None and count > params.max:
                found.append(violation(
                    rule, say("{count} matching move {where}, at most {max}: {moves}"
                              if count == 1 else
                              "{count} matching moves {where}, at most {max}: {moves}",
                              count=count, where=where, max=params.max,
                              moves=", ".join(f"{m.cadre}→{m.to_position}" for m in moves)),
                    amount=count - params.max, unit="moves over the maximum", clause="max",
                    **facts_of))
            if params.min is not None and count < params.min:
                found.append(violation(
                    rule, say("{count} matching move {where}, at least {min} needed"
                              if count == 1 else
                              "{count} matching moves {where}, at least {min} needed",
                              count=count, where=where, min=params.min),
                    amount=params.min - count, unit="moves short of the minimum", clause="min",
                    **facts_of))
        return found
