"""`relatives`: relatives may not share a collective, head and deputy one unit, or head a
level while the other heads one of its sensitive sectors.

QĐ 114-QĐ/TW (11 Jul 2023) Art 9 and Luật PCTN 2018 Art 20(3): relatives (spouse, parents,
parents-in-law, children, siblings) may not sit together in one standing committee or
leadership collective, be head and deputy of one body, or be the Party or government head of
a level while the other heads one of 13 listed sectors at that level.

Each round's state of the plan is judged (seconded cadres at their destination). A conflict
is reported only in rounds where at least one of the pair holds a post the plan gave them —
a conflict already in the roster is not the plan's doing, so an empty plan never violates
this rule. Each (pair, conflict) is reported once, with the first round it appears.
`applies_to` (cadre fields) selects pairs with at least one matching member.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field

from planner.kinds.base import Params, RuleKind, Timeline, Violation, violation
from planner.models import LEADER_ROLES, RelationKind
from planner.ruleset import Rule

if TYPE_CHECKING:
    from planner.facts import Facts
    from planner.linear import LinearModel
    from planner.plan import Plan

Conflict = Literal["same_collective", "head_deputy_same_unit", "head_and_sector_head"]
CONFLICTS: tuple[Conflict, ...] = ("same_collective", "head_deputy_same_unit",
                                   "head_and_sector_head")

# QĐ 114-QĐ/TW Art 9: the sectors a relative of the level's Party or government head may
# not lead (matched against units.csv `sector`).
QD114_SECTORS: tuple[str, ...] = (
    "internal_affairs", "inspection", "finance", "banking", "tax", "customs",
    "industry_trade", "planning_investment", "natural_resources_environment", "army",
    "police", "court", "procuracy",
)
ALL_RELATIONS: tuple[RelationKind, ...] = (
    "spouse", "parent", "child", "sibling", "parent_in_law", "child_in_law", "sibling_in_law")
HEAD_ROLES = frozenset({"head", "chair", "secretary"})
DEPUTY_ROLES = frozenset({"deputy_head", "vice_chair", "deputy_secretary"})
LEVEL_HEAD_ROLES = frozenset({"secretary", "chair"})
LEVEL_HEAD_UNIT_KINDS = frozenset({"dang_uy", "ubnd"})

CONFLICT_WORDS = {
    "same_collective": "sit in one leadership collective",
    "head_deputy_same_unit": "are head and deputy of one unit",
    "head_and_sector_head": "head a level and one of its listed sectors",
}


class RelativesParams(Params):
    relations: list[RelationKind] = Field(
        default_factory=lambda: list(ALL_RELATIONS),
        description="relations (relations.csv) that count as relatives")
    forbid: list[Conflict] = Field(
        default_factory=lambda: list(CONFLICTS), min_length=1,
        description="same_collective, head_deputy_same_unit, head_and_sector_head")
    sectors: list[str] = Field(
        default_factory=lambda: list(QD114_SECTORS),
        description="unit sectors a relative of the level's secretary or chair may not head")


def _is_level_head(place: dict[str, Any]) -> bool:
    return place["role"] in LEVEL_HEAD_ROLES and place["unit_kind"] in LEVEL_HEAD_UNIT_KINDS


def conflicts_between(params: RelativesParams, place_a: dict[str, Any],
                      place_b: dict[str, Any]) -> list[Conflict]:
    """The forbidden conflicts of two relatives holding these posts (Facts.place dicts).

    Pure: the solver reuses it to forbid pairs of candidate posts for a pair of relatives.
    """
    found: list[Conflict] = []
    same_unit = place_a["unit"] == place_b["unit"]
    roles = {place_a["role"], place_b["role"]}
    if ("same_collective" in params.forbid and same_unit
            and place_a["role"] in LEADER_ROLES and place_b["role"] in LEADER_ROLES):
        found.append("same_collective")
    if ("head_deputy_same_unit" in params.forbid and same_unit and roles & HEAD_ROLES
            and roles & DEPUTY_ROLES):
        found.append("head_deputy_same_unit")
    if "head_and_sector_head" in params.forbid and place_a["locality"] == place_b["locality"]:
        sectors = set(params.sectors)
        for head, other in ((place_a, place_b), (place_b, place_a)):
            if _is_level_head(head) and other["role"] == "head" and other["sector"] in sectors:
                found.append("head_and_sector_head")
                break
    return found


@dataclass(frozen=True)
class RelativePair:
    a: str
    b: str
    relation: str


def relative_pairs(rule: Rule, facts: Facts) -> list[RelativePair]:
    """Pairs of relatives the rule covers (one per unordered pair, in relations.csv order)."""
    wanted = set(rule.params.relations)
    seen: set[frozenset[str]] = set()
    pairs = []
    for relation in facts.roster.relations:
        key = frozenset((relation.a, relation.b))
        if relation.relation not in wanted or key in seen:
            continue
        if not (rule.selector.matches(facts.cadre_context(relation.a))
                or rule.selector.matches(facts.cadre_context(relation.b))):
            continue
        seen.add(key)
        pairs.append(RelativePair(relation.a, relation.b, relation.relation))
    return pairs


class Relatives(RuleKind):
    """Two relatives placed by the plan in one of the forbidden configurations."""

    name = "relatives"
    Params = RelativesParams

    def encode(self, rule: Rule, facts: Facts, model: LinearModel) -> None:
        """A move into a post that conflicts with a relative's current post is excluded (the
        relative might stay); two moves that would conflict are not chosen together.

        Dates are ignored (the rule is in force throughout Plan 188's horizon): conservative.
        """
        params: RelativesParams = rule.params
        if not any(rule.in_force(r.start) for r in facts.rounds):
            return
        for pair in relative_pairs(rule, facts):
            own = {pair.a: model.by_cadre.get(pair.a, []), pair.b: model.by_cadre.get(pair.b, [])}
            for mover, other in ((pair.a, pair.b), (pair.b, pair.a)):
                home = facts.cadre(other).position
                if home is None:
                    continue
                for column in own[mover]:
                    target = facts.place(model.candidates[column].to_position)
                    if conflicts_between(params, target, facts.place(home)):
                        model.add_row([(column, 1.0)], upper=0.0, rule=rule.id,
                                      label=f"{mover} not beside relative {other} in {home}")
            for column_a in own[pair.a]:
                place_a = facts.place(model.candidates[column_a].to_position)
                for column_b in own[pair.b]:
                    place_b = facts.place(model.candidates[column_b].to_position)
                    if conflicts_between(params, place_a, place_b):
                        model.add_row([(column_a, 1.0), (column_b, 1.0)], upper=1.0,
                                      rule=rule.id, label=f"relatives {pair.a}/{pair.b}")

    def check(self, rule: Rule, facts: Facts, plan: Plan) -> list[Violation]:
        params: RelativesParams = rule.params
        moved = set(plan.move_by_cadre)
        timeline = Timeline(facts, plan)
        found = []
        for pair in relative_pairs(rule, facts):
            if pair.a not in moved and pair.b not in moved:
                continue
            reported: set[Conflict] = set()
            for round_ in facts.rounds:
                if not rule.in_force(round_.start):
                    continue
                post_a = timeline.post_of(pair.a, round_.index)
                post_b = timeline.post_of(pair.b, round_.index)
                if post_a is None or post_b is None:
                    continue
                if (post_a == facts.cadre(pair.a).position
                        and post_b == facts.cadre(pair.b).position):
                    continue  # the roster's own state: not caused by the plan
                place_a, place_b = facts.place(post_a), facts.place(post_b)
                for conflict in conflicts_between(params, place_a, place_b):
                    if conflict in reported:
                        continue
                    reported.add(conflict)
                    found.append(violation(
                        rule, f"{pair.a} and {pair.b} ({pair.relation}) "
                        f"{CONFLICT_WORDS[conflict]} from {round_.name}: {pair.a} in {post_a} "
                        f"({place_a['role']}, {place_a['unit']}), {pair.b} in {post_b} "
                        f"({place_b['role']}, {place_b['unit']})",
                        amount=1, unit="pairs", cadres=(pair.a, pair.b),
                        positions=(post_a, post_b),
                        units=tuple(dict.fromkeys((place_a["unit"], place_b["unit"]))),
                        rounds=(round_.name,)))
        return found
