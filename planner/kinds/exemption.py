"""`exemption`: who is not moved (retirement soon, status, young child) and by which forms.

Covers NĐ 59/2019 Đ.38 (less than 18 months to retirement is exempt from periodic change)
and Đ.39 (discipline, investigation, illness, study ≥ 12 months, secondment, pregnancy or a
child under 36 months defer it), and NĐ 170/2025's seven cases for secondment and transfer,
where a volunteer lifts the child and hardship cases; Luật CBCC 2008 Đ.82(3): no rotation,
transfer, secondment or appointment while under discipline review, investigation,
prosecution or trial. The young-child case spares a man only as the child's carer (NĐ 59
Đ.39: his wife has died or another objective reason) — the roster's `sole_carer`, false by default.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable
from typing import TYPE_CHECKING, Literal

from pydantic import Field

from planner.calendar import months_between
from planner.i18n.messages import say
from planner.kinds.base import PASSES, Params, RuleKind, Violation, violation
from planner.models import ALL_FORMS, Cadre, Form, Status
from planner.ruleset import Dated, Rule

if TYPE_CHECKING:
    from planner.facts import Facts
    from planner.plan import Move

Liftable = Literal["child", "status"]


class ExemptionParams(Params):
    forms: list[Form] = Field(default_factory=lambda: list(ALL_FORMS),
                              description="forms of move the exemption covers")
    statuses: list[Status] = Field(default_factory=list,
                                   description="statuses that exempt while they last")
    months_to_retirement_lt: Dated[int] | None = Field(
        None, description="exempt if fewer months than this remain to retirement")
    child_months_lt: Dated[int] | None = Field(
        None, description="exempt while raising a child younger than this many months")
    volunteer_lifts: list[str] = Field(
        default_factory=list,
        description="cases a volunteer waives: 'child' and/or status names (e.g. hardship)")
    effect: Literal["exempt", "defer"] = "exempt"
    fathers: Literal["sole_carer", "all"] = Field(
        "sole_carer", description="which fathers the child case spares: only a sole carer "
        "(the law) or every father")


def _extension(cadre: Cadre, form: str, to_position: str | None) -> bool:
    """A secondment to the post a seconded cadre already holds extends it (Luật CBCC Đ.53:
    extended by decision): being on secondment does not defer its own extension."""
    return (form == "secondment" and cadre.status == "seconded" and to_position is not None
            and to_position == cadre.secondment_post)


def exemption_reason(rule: Rule, facts: Facts, cadre_id: str, form: str,
                     day: dt.date, to_position: str | None = None) -> str | None:
    """Why `rule` keeps this cadre from a `form` move on `day`, or None."""
    params: ExemptionParams = rule.params
    if form not in params.forms:
        return None
    cadre = facts.cadre(cadre_id)
    lifted = set(params.volunteer_lifts) if cadre.volunteer else set()
    # status_until is the status's last day (inclusive), here, in facts and in apply
    if (cadre.status in params.statuses and cadre.status not in lifted
            and (cadre.status_until is None or day <= cadre.status_until)
            and not _extension(cadre, form, to_position)):
        until = f" until {cadre.status_until}" if cadre.status_until else ""
        return f"status {cadre.status}{until}"
    limit = value_or_none(rule, "months_to_retirement_lt", day)
    if limit is not None:
        remaining = facts.months_to_retirement(cadre_id, day)
        if remaining < limit:
            return (f"{remaining} months to retirement on {day} (retires "
                    f"{facts.retirement_date(cadre_id)}; fewer than {limit})")
    child_limit = value_or_none(rule, "child_months_lt", day)
    carer = cadre.gender == "female" or cadre.sole_carer or params.fathers == "all"
    if child_limit is not None and cadre.child_birth_date and "child" not in lifted and carer:
        age = months_between(cadre.child_birth_date, day)
        if 0 <= age < child_limit:
            return f"raising a child of {age} months (born {cadre.child_birth_date})"
    return None


def value_or_none(rule: Rule, name: str, day: dt.date) -> int | None:
    value = rule.param(name, day)
    return None if value is None else int(value)


class Exemption(RuleKind):
    name = "exemption"
    Params = ExemptionParams
    per_move = True
    # the post matters too: a status extension may allow moves to some posts
    judged_on = ("cadre", "form", "to", "round")

    def move_class(self, rule: Rule, facts: Facts, cadre_id: str, form: str,
                   to_position: str) -> Hashable | None:
        """The post matters only as the extension of the cadre's own secondment."""
        return cadre_id, _extension(facts.cadre(cadre_id), form, to_position)

    def cadre_class(self, rule: Rule, facts: Facts, cadre_id: str, form: str
                    ) -> Hashable | None:
        """The cadre alone, but for a secondment that may extend their own (post by post)."""
        if form not in rule.params.forms:
            return PASSES
        if _extension(facts.cadre(cadre_id), form, facts.cadre(cadre_id).secondment_post):
            return None
        return cadre_id, form

    def post_class(self, rule: Rule, facts: Facts, to_position: str) -> Hashable:
        return None

    def exempts(self, rule: Rule, facts: Facts, cadre_id: str, form: str,
                day: dt.date) -> str | None:
        return exemption_reason(rule, facts, cadre_id, form, day)

    def judge_move(self, rule: Rule, facts: Facts, move: Move) -> Violation | None:
        reason = exemption_reason(rule, facts, move.cadre, move.form, move.start,
                                  move.to_position)
        if reason is None:
            return None
        effect = "deferred" if rule.params.effect == "defer" else "exempt"
        template = "{cadre} is deferred from {form} on {day}: {reason}" \
            if effect == "deferred" else "{cadre} is exempt from {form} on {day}: {reason}"
        return violation(rule, say(template, cadre=move.cadre, form=move.form, day=move.start,
                                   reason=reason), cadres=(move.cadre,),
                         positions=(move.to_position,), rounds=(move.round,))
