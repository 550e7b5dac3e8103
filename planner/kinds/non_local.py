"""`non_local`: key posts go to cadres whose hometown lies outside the locality.

QĐ 65-QĐ/TW Đ.4: key leaders of province and district level — Party secretary, People's
Committee chair, court president, chief procurator, heads of police, inspection, finance,
tax and customs — are placed where they are not natives; Hướng dẫn 09-HD/TU (Hà Nội, 2025)
applies it to commune secretaries. `roles` names the destination roles; `applies_to`
(`to.level`, `to.sector`, `to.unit_kind`) narrows them to the list. What counts as local is
not fixed by the texts [I]: here it is the cadre's `hometown` lying inside the destination's
locality (`scope: locality`) or inside its district (`scope: district`). A cadre with no
recorded hometown is not local.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import TYPE_CHECKING, Literal

from pydantic import Field

from planner.i18n.messages import say
from planner.kinds.base import Params, RuleKind, Violation, violation
from planner.models import Role
from planner.ruleset import Rule

if TYPE_CHECKING:
    from planner.facts import Facts
    from planner.plan import Move

LocalScope = Literal["locality", "district"]


class NonLocalParams(Params):
    roles: list[Role] = Field(min_length=1,
                              description="destination roles that must go to non-locals")
    scope: LocalScope = Field(
        "locality", description="local means a hometown inside the destination's locality, "
        "or (district) inside the district containing it")


def local_area(facts: Facts, locality_id: str, scope: str) -> str:
    """The locality a hometown must lie in to count as local to `locality_id`."""
    if scope == "district":
        return facts.graph.district_of(locality_id) or locality_id
    return locality_id


def is_local(facts: Facts, cadre_id: str, locality_id: str, scope: str) -> bool:
    """True if the cadre's hometown lies within the area `scope` draws around the locality."""
    hometown = facts.cadre(cadre_id).hometown
    return facts.graph.is_within(hometown, local_area(facts, locality_id, scope))


class NonLocal(RuleKind):
    """A local cadre moved into one of `roles` breaks the rule."""

    name = "non_local"
    Params = NonLocalParams
    move_rule = True
    per_move = True
    judged_on = ("cadre", "to")
    timeless = True

    def cadre_class(self, rule: Rule, facts: Facts, cadre_id: str, form: str
                    ) -> Hashable | None:
        return facts.cadre(cadre_id).hometown  # all is_local reads of the cadre

    def post_class(self, rule: Rule, facts: Facts, to_position: str) -> Hashable:
        target = facts.place(to_position)
        return (target["role"] in rule.params.roles,
                local_area(facts, target["locality"], rule.params.scope))

    def judge_move(self, rule: Rule, facts: Facts, move: Move) -> Violation | None:
        params: NonLocalParams = rule.params
        target = facts.place(move.to_position)
        if target["role"] not in params.roles:
            return None
        if not is_local(facts, move.cadre, target["locality"], params.scope):
            return None
        area = local_area(facts, target["locality"], params.scope)
        hometown = facts.cadre(move.cadre).hometown
        return violation(
            rule, say("{cadre} (hometown {hometown}) is local to {area} and may not take "
                      "{role} post {post} there", cadre=move.cadre, hometown=hometown,
                      area=area, role=target["role"], post=move.to_position),
            cadres=(move.cadre,), positions=(move.from_position or "", move.to_position),
            units=(target["unit"],), rounds=(move.round,), clause="scope")
