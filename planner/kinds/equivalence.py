"""`equivalence`: the table of equivalent posts, and how high each form may move a cadre.

DOMAIN §3: a transfer goes to an equivalent or lower post, never a promotion (NĐ 138/2020
Đ.26, NĐ 170/2025 Đ.25); a secondment to an equivalent post; a periodic position change
keeps an equivalent post (NĐ 59/2019 Đ.36); a rotation goes to an equivalent post, a lower
one keeping the allowance (NĐ 170 Đ.27), a higher one only by an explicit decision (QĐ 65
Đ.4; the pin's `higher: true`); an appointment is what moves a cadre up. Posts are ranked by
the table — title class (role, optionally role/unit_kind) × level — not by `grade`.
"""

from __future__ import annotations

import re
from collections.abc import Hashable
from typing import TYPE_CHECKING, Any, Literal, cast

from pydantic import Field, PrivateAttr, field_validator

from planner.forms import post_tokens, rank_by, relation
from planner.i18n.messages import say
from planner.kinds.base import Params, RuleKind, Violation, violation
from planner.kinds.existence import abolished_in_horizon
from planner.models import LEVELS, ROLES, Form

if TYPE_CHECKING:
    from planner.facts import Facts
    from planner.plan import Move
    from planner.ruleset import Rule

Direction = Literal["higher", "equivalent", "lower"]
TOKEN = re.compile(r"^(?P<role>[a-z_]+)@(?P<level>[a-z]+)(/(?P<kind>[a-z0-9_]+))?$")


class RankClass(Params):
    rank: int = Field(ge=0, description="higher ranks are higher posts")
    posts: list[str] = Field(min_length=1, description="role@level or role@level/unit_kind")

    @field_validator("posts")
    @classmethod
    def _tokens(cls, value: list[str]) -> list[str]:
        for token in value:
            found = TOKEN.match(token)
            if not found:
                raise ValueError(f"'{token}' must look like role@level or role@level/unit_kind")
            if found["role"] not in ROLES:
                raise ValueError(f"'{token}': unknown role '{found['role']}' "
                                 f"(expected: {', '.join(ROLES)})")
            if found["level"] not in LEVELS:
                raise ValueError(f"'{token}': unknown level '{found['level']}' "
                                 f"(expected: {', '.join(LEVELS)})")
        return value


class EquivalenceParams(Params):
    ranks: list[RankClass] = Field(min_length=1, description="the table: posts of one rank "
                                   "are equivalent")
    forms: dict[Form, list[Direction]] = Field(
        description="per form, the directions it may take (higher / equivalent / lower)")
    by_decision: list[Form] = Field(
        default_factory=list, description="forms that may go higher only by an explicit "
        "decision (a pin with `higher: true`)")
    leader_to_staff: list[Form] = Field(
        default_factory=list, description="forms that may take a leader to a staff post. "
        "None by default: leaving leadership for a post without a title is a dismissal or a "
        "resignation (miễn nhiệm, từ chức), not a move a plan proposes; the holder of a post "
        "abolished before the horizon ends (a reorganisation: they are placed in this plan) "
        "may always be placed on a staff post")
    _table: dict[str, int] = PrivateAttr(default_factory=dict)

    def model_post_init(self, context: Any) -> None:
        seen: dict[str, int] = {}
        for item in self.ranks:
            for token in item.posts:
                if token in seen:
                    raise ValueError(f"'{token}' is listed twice (ranks {seen[token]} and "
                                     f"{item.rank})")
                seen[token] = item.rank
        self._table = seen

    @property
    def table(self) -> dict[str, int]:
        return cast(dict[str, int], self.private("_table"))


def decided_higher(facts: Facts, cadre_id: str, to_position: str) -> bool:
    """A pin records the Standing Committee's decision to move this cadre up to the post."""
    return any(p.value.higher and p.value.cadre == cadre_id and p.value.to == to_position
               for p in facts.scenario.pins)


class Equivalence(RuleKind):
    """A move whose direction (higher, equivalent, lower) its form may not take."""

    name = "equivalence"
    Params = EquivalenceParams
    move_rule = True
    per_move = True
    timeless = True  # judged by its own table; the rule's window is checked per round

    def move_class(self, rule: Rule, facts: Facts, cadre_id: str, form: str,
                   to_position: str) -> Hashable | None:
        """What the verdict reads: staff or leader and rank in the table at each end, and
        whether a pin decided a higher move."""
        origin = facts.cadre(cadre_id).position
        target = facts.place(to_position)
        ends: tuple[object, ...] = (target["role"] == "staff", rank_by(facts, rule, to_position))
        if origin is not None:
            ends += (facts.place(origin)["role"] == "staff", rank_by(facts, rule, origin))
        decided = form in rule.params.by_decision and decided_higher(facts, cadre_id,
                                                                     to_position)
        ending = origin is not None and abolished_in_horizon(facts, origin)
        return (origin is None, *ends, decided, ending)

    def judge_move(self, rule: Rule, facts: Facts, move: Move) -> Violation | None:
        params: EquivalenceParams = rule.params
        where = dict(cadres=(move.cadre,), positions=(move.from_position or "", move.to_position),
                     units=(facts.place(move.to_position)["unit"],), rounds=(move.round,))
        for position_id in (move.from_position, move.to_position):
            if position_id is None:
                continue
            place = facts.place(position_id)
            if place["role"] != "staff" and not any(t in params.table for t in post_tokens(place)):
                return violation(rule, say("{post} ({tokens}) is not in the table of "
                                           "equivalent posts", post=position_id,
                                           tokens=" or ".join(post_tokens(place))), **where)
        if move.from_position is not None and move.form not in params.leader_to_staff \
                and facts.place(move.from_position)["role"] != "staff" \
                and facts.place(move.to_position)["role"] == "staff" \
                and not abolished_in_horizon(facts, move.from_position):
            return violation(rule, say("{cadre}: {origin} → {post} takes a leader to a staff "
                                       "post; leaving leadership is a dismissal or a "
                                       "resignation, not a {form}", cadre=move.cadre,
                                       origin=move.from_position, post=move.to_position,
                                       form=move.form), clause="leader_to_staff", **where)
        allowed = params.forms.get(move.form)  # type: ignore[call-overload]
        if allowed is None:
            return None
        found = relation(facts, move.from_position, move.to_position, move.start, params.table)
        if found in allowed:
            return None
        if found == "higher" and move.form in params.by_decision and \
                decided_higher(facts, move.cadre, move.to_position):
            return None
        if found == "higher" and move.form in params.by_decision:
            why = "a higher post needs an explicit decision (pin with higher: true)"
        else:
            why = f"a {move.form} may go {' or '.join(allowed)} only"
        return violation(rule, say("{cadre}: {origin} → {post} is a {relation} post; {why}",
                                   cadre=move.cadre, origin=move.from_position,
                                   post=move.to_position, relation=found, why=why), **where)
