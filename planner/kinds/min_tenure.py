"""`min_tenure`: no move before the cadre has served this many months in the current post.

QĐ 65-QĐ/TW Art 7: a rotation lasts at least 36 months (a rotated cadre is not moved on
before that); the adaptation period after an appointment works the same way. The months are
counted from `position_start` to the move's first day, in whole calendar months.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import Field

from planner.i18n.messages import say
from planner.kinds.base import Params, RuleKind, Violation, violation
from planner.ruleset import Dated, Rule

if TYPE_CHECKING:
    from planner.facts import Facts
    from planner.plan import Move


class MinTenureParams(Params):
    min_months: Dated[int] = Field(
        description="whole months in the current post needed before the cadre may move")


class MinTenure(RuleKind):
    """A move earlier than `min_months` after taking the current post breaks the rule."""

    name = "min_tenure"
    Params = MinTenureParams
    move_rule = True
    per_move = True

    def judge_move(self, rule: Rule, facts: Facts, move: Move) -> Violation | None:
        needed = rule.param("min_months", move.start)
        served = facts.months_in_post(move.cadre, move.start)
        if needed is None or served is None or served >= needed:
            return None
        short = int(needed) - served
        since = facts.cadre(move.cadre).position_start
        return violation(
            rule, say("{cadre} has served {served} months in {origin} (since {since}) on "
                      "{day}; {needed} are needed before a {form} → {short} months short",
                      cadre=move.cadre, served=served, origin=move.from_position, since=since,
                      day=move.start, needed=needed, form=move.form, short=short),
            amount=short, unit="months short", cadres=(move.cadre,),
            positions=(move.from_position or "", move.to_position),
            units=(facts.place(move.to_position)["unit"],), rounds=(move.round,))
