"""`qualification`: a cadre moved by these forms meets the destination's professional
requirements.

Luật CBCC 2008 Đ.50(2): the transferred civil servant must meet the professional
requirements of the new post. In the roster a post's requirements are its `profession` and
its `skills`: the cadre qualifies with the same profession, or with one of the post's
skills (a post that states neither asks nothing). [I] what "requirements" means in data.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import TYPE_CHECKING

from pydantic import Field

from planner.i18n.messages import say
from planner.kinds.base import PASSES, Params, RuleKind, Violation, violation
from planner.models import Form

if TYPE_CHECKING:
    from planner.facts import Facts
    from planner.plan import Move
    from planner.ruleset import Rule


class QualificationParams(Params):
    forms: list[Form] = Field(min_length=1, description="forms whose mover must qualify")


def unqualified(facts: Facts, cadre_id: str, position_id: str) -> str | None:
    """Why the cadre does not meet the post's requirements, in words (None: they do)."""
    cadre = facts.cadre(cadre_id)
    place = facts.place(position_id)
    if not place["profession"] and not place["skills"]:
        return None
    if place["profession"] and cadre.profession == place["profession"]:
        return None
    if set(cadre.skills) & set(place["skills"]):
        return None
    needs = [f"profession {place['profession']}"] if place["profession"] else []
    if place["skills"]:
        needs.append("one of the skills " + ", ".join(place["skills"]))
    return (f"{position_id} needs {' or '.join(needs)}; {cadre_id} is "
            f"{cadre.profession or '(no profession)'} with skills "
            f"{', '.join(cadre.skills) or '(none)'}")


class Qualification(RuleKind):
    """A move of one of `forms` by a cadre who does not meet the post's requirements."""

    name = "qualification"
    Params = QualificationParams
    move_rule = True
    per_move = True
    timeless = True

    def cadre_class(self, rule: Rule, facts: Facts, cadre_id: str, form: str
                    ) -> Hashable | None:
        if form not in rule.params.forms:
            return PASSES
        cadre = facts.cadre(cadre_id)
        return cadre.profession, frozenset(cadre.skills)  # all `unqualified` reads of them

    def post_class(self, rule: Rule, facts: Facts, to_position: str) -> Hashable:
        place = facts.place(to_position)
        return place["profession"], frozenset(place["skills"])

    def judge_move(self, rule: Rule, facts: Facts, move: Move) -> Violation | None:
        if move.form not in rule.params.forms:
            return None
        why = unqualified(facts, move.cadre, move.to_position)
        if why is None:
            return None
        return violation(rule, say("{cadre} may not take a {form} to {post}: {why}",
                                   cadre=move.cadre, form=move.form, post=move.to_position,
                                   why=why), cadres=(move.cadre,),
                         positions=(move.from_position or "", move.to_position),
                         units=(facts.place(move.to_position)["unit"],), rounds=(move.round,))
