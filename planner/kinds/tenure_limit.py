"""`tenure_limit`: a cadre reaching the limit in the horizon is due and must move by then.

Periodic position change (NĐ 59/2019 Art 36: every 2–5 years in listed posts) and the
two-term rotation of heads are tenure limits. A cadre exempted or deferred for the form the
limit triggers (pregnant, under investigation, …) is not due while that lasts: once the
deferral ends inside the horizon (`status_until`, the last day of the status, has passed; the
child turns 36 months) the cadre is due from the first round after it.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from pydantic import Field

from planner.calendar import add_months, earliest_reaching, months_between
from planner.i18n.messages import say
from planner.kinds.base import STAY_LABEL, Due, Params, Relaxation, RuleKind, Violation, violation
from planner.models import FORMS_EXCEPT_SECONDMENT, Form
from planner.ruleset import Dated, Rule

if TYPE_CHECKING:
    from planner.facts import Facts
    from planner.linear import LinearModel
    from planner.plan import Plan


class TenureLimitParams(Params):
    max_months: Dated[int] = Field(description="months in one post after which the cadre is due")
    form: Form = Field("position_change", description="the form the limit calls for")
    satisfied_by: list[Form] = Field(
        default_factory=lambda: list(FORMS_EXCEPT_SECONDMENT),
        description="forms of move that end the tenure (a secondment returns, so it does not)")
    restart_with_post: bool = Field(
        False, description="count months from the day the post came to be (`valid_from`) when "
        "that is later than position_start: leaders of a new body are designated afresh [I]")


def due_under(rule: Rule, facts: Facts, cadre_id: str) -> Due | None:
    """When (if at all) this cadre becomes due under `rule` in the horizon."""
    cadre = facts.cadre(cadre_id)
    start = facts.tenure_start(cadre_id, rule.params.restart_with_post)
    if cadre.position is None or start is None:
        return None
    fixed = not isinstance(rule.params.max_months, dict)
    if fixed and start >= earliest_reaching(int(rule.params.max_months), facts.rounds[-1].end):
        return None  # the usual case, and cheap: the limit falls after the horizon
    if not rule.selector.matches(facts.cadre_context(cadre_id)):
        return None
    ends = facts.graph.window(cadre.position)[1]
    for round_ in facts.rounds:
        if not rule.in_force(round_.start):
            continue
        limit = rule.param("max_months", round_.start)
        if limit is None:
            continue
        reached_on = add_months(start, int(limit))
        if ends is not None and ends <= reached_on:
            return None  # the post ceases first: its end, not the limit, moves the holder
        if reached_on < round_.end:
            return _after_deferrals(rule, facts, cadre_id, reached_on, round_.index, start,
                                    f"reaches {limit} months in post on {reached_on}")
    return None


def _after_deferrals(rule: Rule, facts: Facts, cadre_id: str, reached_on: dt.date,
                     first: int, start: dt.date, why: str) -> Due | None:
    """Due in the first round from `first` on in which no exemption keeps the cadre from the
    limit's form: a deferral that ends inside the horizon (status_until, a child turning 36
    months) makes the cadre due in the round after it; a lasting one (retirement) never."""
    months = max(0, months_between(start, facts.rounds[0].start))
    deferred = ""
    for round_ in facts.rounds[first:]:
        # a move in the round takes effect on its first day: deferred then (the status ends
        # between the round's start and the day the limit is reached) is deferred too
        found = facts.exemptions(cadre_id, rule.params.form, max(reached_on, round_.start))
        if not found and round_.start < reached_on:
            found = facts.exemptions(cadre_id, rule.params.form, round_.start)
        if not found:
            if deferred:
                why = f"{why}; deferred ({deferred}), due once that ended, from {round_.name}"
            return Due(rule, reached_on, round_.index, months, rule.params.form,
                       tuple(rule.params.satisfied_by), why)
        deferred = found[0].reason
    return None


__all__ = ["STAY_LABEL", "TenureLimit", "due_under"]
# A due cadre under a hard limit who stays costs this much: the model stays solvable when the
# rules leave someone no lawful move, so the plan can name them and explain the conflict.
HARD_STAY_COST = 1e6


class TenureLimit(RuleKind):
    name = "tenure_limit"
    Params = TenureLimitParams

    def due(self, rule: Rule, facts: Facts, cadre_id: str) -> Due | None:
        return due_under(rule, facts, cadre_id)

    def relax(self, rule: Rule, facts: Facts, cadre_ids: list[str]) -> Relaxation | None:
        """Raise max_months just past the longest stuck tenure at the horizon's end, so the
        stuck cadres fall due after it."""
        end = facts.rounds[-1].end
        needed = 1 + max((facts.months_in_post(c, end) or 0 for c in cadre_ids), default=0)
        current = int(rule.param("max_months", facts.rounds[0].start) or 0)
        if needed <= current:
            return None
        return Relaxation(rule.id, {"max_months": needed},
                          f"raise {rule.id} max_months from {current} to {needed} "
                          f"(+{needed - current}), so the stuck cadres fall due after the "
                          "horizon")

    def encode(self, rule: Rule, facts: Facts, model: LinearModel) -> None:
        """Each cadre this rule makes due moves (candidates only reach the due round for a
        hard limit) or stays at a price: the scenario's overdue weight per round to the
        horizon's end (soft), or HARD_STAY_COST (hard: reported as infeasible)."""
        weight = facts.scenario.weights.overdue
        for cadre_id in facts.due_cadres:
            due = facts.due(cadre_id)
            if due is None or due.rule.id != rule.id or not facts.cadre(cadre_id).position:
                continue
            if any(entry.value.cadre == cadre_id for entry in facts.scenario.pins):
                continue  # a pin already makes the cadre move
            stay_cost = HARD_STAY_COST if rule.hard else weight * (
                len(facts.rounds) - due.round_index)
            stay = model.add_column(stay_cost, 1.0, f"{cadre_id} {STAY_LABEL}", rule.id)
            model.add_row([*((c, 1.0) for c in model.by_cadre.get(cadre_id, [])), (stay, 1.0)],
                          lower=1.0, label=f"{cadre_id} due under {rule.id}", rule=rule.id)

    def check(self, rule: Rule, facts: Facts, plan: Plan) -> list[Violation]:
        found = []
        last = len(facts.rounds)
        for cadre_id in facts.due_cadres:
            due = due_under(rule, facts, cadre_id)
            if due is None:
                continue
            move = plan.move_by_cadre.get(cadre_id)
            satisfied = move is not None and move.form in rule.params.satisfied_by
            if satisfied and move is not None and move.round_index <= due.round_index:
                continue
            due_round = facts.rounds[due.round_index].name
            # the limit in force when the cadre falls due (a dated limit may have changed
            # since the day it was reached)
            limit = rule.param("max_months", facts.rounds[due.round_index].start)
            if satisfied and move is not None:
                late = move.round_index - due.round_index
                message = say("{cadre} reaches {months} months in post on {day} (due by "
                              "{round}) but moves only in {moved}", cadre=cadre_id,
                              months=limit,
                              day=due.reached_on, round=due_round, moved=move.round)
            else:
                late = last - due.round_index
                how = ("is not moved in the horizon" if move is None else
                       f"moves only by {move.form}, which does not end the tenure "
                       f"({', '.join(rule.params.satisfied_by)} would)")
                message = say("{cadre} reaches {months} months in post on {day} (due by "
                              "{round}) and {how}", cadre=cadre_id,
                              months=limit,
                              day=due.reached_on, round=due_round, how=how)
            clause = "satisfied_by" if move and not satisfied else "max_months"
            found.append(violation(rule, message, amount=late, unit="rounds late", clause=clause,
                                   cadres=(cadre_id,),
                                   positions=(facts.cadre(cadre_id).position or "",),
                                   rounds=(due_round,)))
        return found

