"""`skill_demand`: destinations that need a skill reward cadres who have it.

Districts ask for specialists in urban management, natural resources and environment, and
health (seed article, 3 Dec 2023). A position lists its `skills`; those also named by the
rule are *demanded*. A cadre moving into such a post without any of its demanded skills
breaks the rule, by the number of demanded skills they lack. Usually soft: the penalty grows
with the gap.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import TYPE_CHECKING

from pydantic import Field

from planner.i18n.messages import listed, say
from planner.kinds.base import Params, RuleKind, Violation, violation

if TYPE_CHECKING:
    from planner.facts import Facts
    from planner.plan import Move
    from planner.ruleset import Rule


class SkillDemandParams(Params):
    skills: list[str] = Field(min_length=1,
                              description="skills in demand: a destination listing one of them "
                                          "wants a cadre who has it")


def demanded_skills(rule: Rule, position_skills: tuple[str, ...]) -> list[str]:
    """The skills of a position that `rule` demands, in the position's order."""
    wanted = set(rule.params.skills)
    return [skill for skill in position_skills if skill in wanted]


class SkillDemand(RuleKind):
    """A move into a post demanding skills the cadre has none of."""

    name = "skill_demand"
    Params = SkillDemandParams
    move_rule = True
    per_move = True
    judged_on = ("cadre", "to")
    timeless = True

    def cadre_class(self, rule: Rule, facts: Facts, cadre_id: str, form: str
                    ) -> Hashable | None:
        return frozenset(facts.cadre(cadre_id).skills)

    def post_class(self, rule: Rule, facts: Facts, to_position: str) -> Hashable:
        return tuple(demanded_skills(rule, facts.place(to_position)["skills"]))

    def judge_move(self, rule: Rule, facts: Facts, move: Move) -> Violation | None:
        target = facts.place(move.to_position)
        demanded = demanded_skills(rule, target["skills"])
        if not demanded:
            return None
        cadre = facts.cadre(move.cadre)
        if set(cadre.skills) & set(demanded):
            return None
        has = ", ".join(cadre.skills) or "none"
        return violation(rule, say("{cadre} → {post} needs {demanded}; {cadre} has {has}",
                                   cadre=move.cadre, post=move.to_position,
                                   demanded=listed(" or ", demanded), has=has),
                         amount=len(demanded), unit="skills missing", cadres=(move.cadre,),
                         positions=(move.to_position,), units=(target["unit"],),
                         rounds=(move.round,), clause="skills")
