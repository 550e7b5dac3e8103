"""`freeze`: no moves of given forms into given roles inside a date window.

KL 128-KL/TW (7 Mar 2025) suspended leadership rotations, transfers and appointments until
the administrative mergers were done (1 Jul 2025). A move whose first day falls in
[from, to), of a frozen form, into a post of a frozen role, breaks the rule.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable
from typing import TYPE_CHECKING

from pydantic import Field, model_validator

from planner.i18n.messages import say
from planner.kinds.base import PASSES, Params, RuleKind, Violation, violation
from planner.models import ALL_FORMS, Form, Role

if TYPE_CHECKING:
    from planner.facts import Facts
    from planner.plan import Move
    from planner.ruleset import Rule


class FreezeParams(Params):
    from_: dt.date = Field(alias="from", description="first day of the freeze")
    to: dt.date | None = Field(None, description="first day after the freeze (open if omitted)")
    forms: list[Form] = Field(default_factory=lambda: list(ALL_FORMS),
                              description="forms of move that are frozen")
    roles: list[Role] | None = Field(None, description="destination roles frozen (all if omitted)")

    @model_validator(mode="after")
    def _ordered(self) -> FreezeParams:
        if self.to is not None and self.to <= self.from_:
            raise ValueError(f"freeze 'to' {self.to} must be after 'from' {self.from_}")
        return self

    def covers(self, day: dt.date) -> bool:
        return self.from_ <= day and (self.to is None or day < self.to)


class Freeze(RuleKind):
    """A move of a frozen form into a frozen role inside the freeze window."""

    name = "freeze"
    Params = FreezeParams
    move_rule = True
    per_move = True
    judged_on = ("form", "to", "round")

    def cadre_class(self, rule: Rule, facts: Facts, cadre_id: str, form: str
                    ) -> Hashable | None:
        return form if form in rule.params.forms else PASSES

    def judge_move(self, rule: Rule, facts: Facts, move: Move) -> Violation | None:
        params: FreezeParams = rule.params
        if move.form not in params.forms or not params.covers(move.start):
            return None
        target = facts.place(move.to_position)
        if params.roles is not None and target["role"] not in params.roles:
            return None
        until = f"until {params.to}" if params.to else "with no end date"
        return violation(rule, say("{cadre}: {form} to {post} ({role}) on {day} falls in the "
                                   "freeze from {since} {until}", cadre=move.cadre,
                                   form=move.form, post=move.to_position, role=target["role"],
                                   day=move.start, since=params.from_, until=until),
                         cadres=(move.cadre,),
                         positions=(move.to_position,), units=(target["unit"],),
                         rounds=(move.round,), clause="from")
