"""`eligibility`: who may be moved by a form — origin role, planning pool, remaining service.

QĐ 65-QĐ/TW Đ.4(2), Đ.5: a cadre is rotated when they are in a planning pool for a
leadership title (any pool, for an equivalent post), or hold one of the listed key posts and
are moved under the non-local or two-term policy — a key-post holder who is due under a
tenure limit calling for this form, or a native of the locality they lead; at the start they
must have at least 10 years of service left (at least 5 — one term — when rotated into a key
post). `roles` limits who a form may move at all: a secondment moves civil servants (Luật
CBCC 2008 Đ.53), a periodic position change non-leaders (NĐ 59/2019 Đ.36).

The rule judges moves of its `form` only; `applies_to` narrows it further (e.g. `to.role`).
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import TYPE_CHECKING, Literal

from pydantic import Field

from planner.i18n.messages import listed, say
from planner.kinds.base import PASSES, Params, RuleKind, Violation, violation
from planner.kinds.non_local import is_local
from planner.models import Form, Role
from planner.ruleset import Dated, Rule

if TYPE_CHECKING:
    from planner.facts import Facts
    from planner.plan import Move

PoolRequirement = Literal["none", "any", "destination"]


class EligibilityParams(Params):
    form: Form = Field(description="the form of move this rule judges (others pass)")
    pool: PoolRequirement = Field(
        "none", description="planning pool needed: none; any pool token; or 'destination' — "
        "the pool holds the destination's role@level token (e.g. chair@commune)")
    remaining_service_months_min: Dated[int] | None = Field(
        None, description="months of service left at the move's start, at least (QĐ 65: 120)")
    key_post_remaining_service_months_min: Dated[int] | None = Field(
        None, description="the same minimum for moves into key posts, replacing the one above "
        "(QĐ 65: 60, one term, for policy rotations of key posts)")
    key_post_holders_eligible: bool = Field(
        False, description="holders of a key post moved under the policy need no pool: due "
        "under a tenure limit calling for this form (two terms), or natives of the locality "
        "they lead (non-local)")
    roles: list[Role] | None = Field(
        None, description="roles of the origin post this form may move (all if omitted)")
    to_roles: list[Role] | None = Field(
        None, description="roles of the destination post this form may fill (all if omitted)")


def service_needed(rule: Rule, facts: Facts, move: Move) -> int | None:
    """Months of remaining service this move needs under `rule` (None: no minimum)."""
    needed = None
    if facts.place(move.to_position)["key"]:
        needed = rule.param("key_post_remaining_service_months_min", move.start)
    if needed is None:
        needed = rule.param("remaining_service_months_min", move.start)
    return None if needed is None else int(needed)


def policy_move(facts: Facts, move: Move) -> bool:
    """A key-post holder moved under the two-term or the non-local policy (QĐ 65 Đ.4(2))."""
    if move.from_position is None:
        return False
    origin = facts.place(move.from_position)
    if not origin["key"]:
        return False
    due = facts.due(move.cadre)
    if due is not None and due.form == move.form:
        return True
    return is_local(facts, move.cadre, origin["locality"], "locality")


def pool_missing(rule: Rule, facts: Facts, move: Move) -> str | None:
    """What the cadre's planning pool lacks for this move, in words (None: nothing)."""
    params: EligibilityParams = rule.params
    if params.pool == "none":
        return None
    if params.key_post_holders_eligible and policy_move(facts, move):
        return None
    pool = tuple(str(token) for token in facts.cadre(move.cadre).pool)
    if params.pool == "any":
        return None if pool else "is in no planning pool"
    target = facts.place(move.to_position)
    token = f"{target['role']}@{target['level']}"
    if token in pool:
        return None
    listed = f" (pool: {', '.join(pool)})" if pool else ""
    return f"is not in a planning pool for {token}{listed}"


class Eligibility(RuleKind):
    """A move of `form` by a cadre outside the required pool or with too little service left."""

    name = "eligibility"
    Params = EligibilityParams
    move_rule = True
    per_move = True

    # the form, the cadre (pool, origin, due form, service) and the round (service left);
    # of the destination only its role, level and key-post flag (move_class)
    judged_on = ("cadre", "form", "to", "round")

    def allows(self, rule: Rule, move: Move) -> bool:
        return bool(rule.params.form == move.form)

    def move_class(self, rule: Rule, facts: Facts, cadre_id: str, form: str,
                   to_position: str) -> Hashable | None:
        target = facts.place(to_position)
        return cadre_id, target["role"], target["level"], bool(target["key"])

    def cadre_class(self, rule: Rule, facts: Facts, cadre_id: str, form: str
                    ) -> Hashable | None:
        return (cadre_id, form) if form == rule.params.form else PASSES

    def post_class(self, rule: Rule, facts: Facts, to_position: str) -> Hashable:
        target = facts.place(to_position)
        return target["role"], target["level"], bool(target["key"])

    def judge_move(self, rule: Rule, facts: Facts, move: Move) -> Violation | None:
        if move.form != rule.params.form:
            return None
        missing = []
        roles = rule.params.roles
        if roles is not None and move.from_position is not None:
            role = facts.place(move.from_position)["role"]
            if role not in roles:
                missing.append(f"holds a {role} post; a {move.form} moves "
                               f"{', '.join(roles)} only")
        to_roles = rule.params.to_roles
        if to_roles is not None:
            role = facts.place(move.to_position)["role"]
            if role not in to_roles:
                missing.append(f"a {move.form} fills {', '.join(to_roles)} posts only, not a "
                               f"{role} post")
        pool_gap = pool_missing(rule, facts, move)
        if pool_gap:
            missing.append(pool_gap)
        amount, unit = 1.0, ""
        needed = service_needed(rule, facts, move)
        if needed is not None:
            left = facts.months_to_retirement(move.cadre, move.start)
            if left < needed:
                missing.append(f"has {left} months of service left on {move.start} (retires "
                               f"{facts.retirement_date(move.cadre)}), {needed} needed")
                amount, unit = float(needed - left), "months of service short"
        if not missing:
            return None
        return violation(
            rule, say("{cadre} may not take a {form} to {post}: {missing}", cadre=move.cadre,
                      form=move.form, post=move.to_position, missing=listed("; ", missing)),
            amount=amount, unit=unit, cadres=(move.cadre,),
            positions=(move.from_position or "", move.to_position),
            units=(facts.place(move.to_position)["unit"],), rounds=(move.round,))
