"""`secondment_max`: a secondment ends within the limit (36 months).

Law on Cadres and Civil Servants Art 53; NĐ 138/2020 Art 23, carried into NĐ 170/2025: a
secondment (biệt phái) lasts at most 36 months, then the cadre returns or it is extended by a
new decision. A secondment without an end date is open-ended and breaks the rule too.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import TYPE_CHECKING

from pydantic import Field

from planner.calendar import add_months, months_between
from planner.i18n.messages import say
from planner.kinds.base import PASSES, Params, RuleKind, Violation, violation
from planner.models import Form
from planner.ruleset import Dated

TEMPORARY_FORMS: tuple[Form, ...] = ("secondment",)

if TYPE_CHECKING:
    import datetime as dt

    from planner.facts import Facts
    from planner.plan import Move
    from planner.ruleset import Rule


class SecondmentMaxParams(Params):
    max_months: Dated[int] = Field(description="longest secondment, in months from its start")
    forms: list[Form] = Field(default_factory=lambda: list(TEMPORARY_FORMS),
                              description="forms of move that are temporary and must end")


def months_over(start: dt.date, end: dt.date, limit: int) -> int:
    """Whole months (rounded up) by which [start, end) exceeds `limit` months; 0 if within."""
    if end <= add_months(start, limit):
        return 0
    # count from `start` (not from the clipped allowed end: 29 Mar + 35 months is 28 Feb)
    over = max(1, months_between(start, end) - limit)
    while add_months(start, limit + over) < end:
        over += 1  # a part month over the limit counts as a month
    return over


class SecondmentMax(RuleKind):
    """A secondment longer than `max_months`, or without an end date."""

    name = "secondment_max"
    Params = SecondmentMaxParams
    move_rule = True
    per_move = True
    judged_on = ("form", "to", "round")  # the end: the away holder's return at `to`

    def cadre_class(self, rule: Rule, facts: Facts, cadre_id: str, form: str
                    ) -> Hashable | None:
        return form if form in rule.params.forms else PASSES

    def judge_move(self, rule: Rule, facts: Facts, move: Move) -> Violation | None:
        if move.form not in rule.params.forms:
            return None
        limit = rule.param("max_months", move.start)
        if limit is None:
            return None
        limit = int(limit)
        where = dict(cadres=(move.cadre,), positions=(move.to_position,),
                     rounds=(move.round,))
        if move.end is None:
            # open-ended: at least as far as the horizon reaches
            horizon_end = facts.scenario.horizon.end
            over = max(1, months_over(move.start, horizon_end, limit))
            return violation(rule, say("{cadre}: {form} to {post} from {day} has no end date "
                                       "(at most {limit} months)", cadre=move.cadre,
                                       form=move.form, post=move.to_position, day=move.start,
                                       limit=limit),
                             amount=over, unit="months over", **where)
        over = months_over(move.start, move.end, limit)
        if over == 0:
            return None
        length = months_between(move.start, move.end)
        return violation(rule, say("{cadre}: {form} to {post} {day} → {end} lasts {length} "
                                   "months, {over} over the limit of {limit}", cadre=move.cadre,
                                   form=move.form, post=move.to_position, day=move.start,
                                   end=move.end, length=length, over=over, limit=limit),
                         amount=over, unit="months over", **where)
