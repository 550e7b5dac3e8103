"""`appointment_conditions`: the conditions every upward move meets, whatever its form.

DOMAIN §3: a move to a higher post, or from staff into leadership, is an appointment (bổ
nhiệm) in substance — by the form `appointment`, or by a rotation the Standing Committee
decided to make upward. It needs: the planning pool for that title or an equivalent or
higher one (QĐ 80-QĐ/TW 2022; QĐ 377-QĐ/TW Đ.34 from 8 Oct 2025); enough service left for
a full term (60 months, NĐ 138/2020 Đ.42); time in the current post (24 months [I]); and no
discipline, investigation, prosecution or trial (Luật CBCC 2008 Đ.82(3)). Moves that are
not upward pass this rule (the `equivalence` rule says which forms may go where).
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import TYPE_CHECKING

from pydantic import Field

from planner.forms import is_upward, pool_covers, rank_signature
from planner.i18n.messages import listed, say
from planner.kinds.base import Params, RuleKind, Violation, violation
from planner.models import Status
from planner.ruleset import Dated

if TYPE_CHECKING:
    from planner.facts import Facts
    from planner.plan import Move
    from planner.ruleset import Rule


class AppointmentParams(Params):
    pool_needed: bool = Field(True, description="the planning pool must hold the title or an "
                              "equivalent or higher one")
    remaining_service_months_min: Dated[int] | None = Field(
        None, description="months of service left at the start, at least (60: one term)")
    months_in_post_min: Dated[int] | None = Field(
        None, description="whole months in the current post before moving up, at least")
    statuses: list[Status] = Field(default_factory=list,
                                   description="statuses that bar an appointment while they last")


class Appointment(RuleKind):
    """An upward move by a cadre who does not meet the appointment conditions."""

    name = "appointment_conditions"
    Params = AppointmentParams
    move_rule = True
    per_move = True
    # upward or not, pool, service, months in post and status: not the form or the end
    judged_on = ("cadre", "to", "round")

    def move_class(self, rule: Rule, facts: Facts, cadre_id: str, form: str,
                   to_position: str) -> Hashable | None:
        """The cadre (origin, pool, service, status) and what ranks read of the post."""
        return cadre_id, rank_signature(facts, to_position)

    def cadre_class(self, rule: Rule, facts: Facts, cadre_id: str, form: str
                    ) -> Hashable | None:
        return cadre_id

    def post_class(self, rule: Rule, facts: Facts, to_position: str) -> Hashable:
        return rank_signature(facts, to_position)

    def judge_move(self, rule: Rule, facts: Facts, move: Move) -> Violation | None:
        if not is_upward(facts, move):
            return None
        params: AppointmentParams = rule.params
        cadre = facts.cadre(move.cadre)
        missing: list[str] = []
        amount, unit = 1.0, ""
        if params.pool_needed and not pool_covers(facts, move.cadre, move.to_position,
                                                  move.start):
            pool = ", ".join(str(p) for p in cadre.pool) or "none"
            place = facts.place(move.to_position)
            missing.append(f"no planning pool for {place['role']}@{place['level']} or an "
                           f"equivalent or higher title (pool: {pool})")
        needed = rule.param("remaining_service_months_min", move.start)
        if needed is not None:
            left = facts.months_to_retirement(move.cadre, move.start)
            if left < int(needed):
                missing.append(f"{left} months of service left (retires "
                               f"{facts.retirement_date(move.cadre)}), {needed} needed")
                amount, unit = float(int(needed) - left), "months of service short"
        served_min = rule.param("months_in_post_min", move.start)
        served = facts.months_in_post(move.cadre, move.start)
        if served_min is not None and served is not None and served < int(served_min):
            missing.append(f"{served} months in the current post (since "
                           f"{cadre.position_start}), {served_min} needed")
        # status_until is the status's last day (inclusive), as in the exemption kind
        if cadre.status in params.statuses and (cadre.status_until is None
                                                or move.start <= cadre.status_until):
            until = f" until {cadre.status_until}" if cadre.status_until else ""
            missing.append(f"under {cadre.status}{until}")
        if not missing:
            return None
        return violation(
            rule, say("{cadre} may not move up to {post} by {form} on {day}: {missing}",
                      cadre=move.cadre, post=move.to_position, form=move.form, day=move.start,
                      missing=listed("; ", missing)),
            amount=amount, unit=unit, cadres=(move.cadre,),
            positions=(move.from_position or "", move.to_position),
            units=(facts.place(move.to_position)["unit"],), rounds=(move.round,))
