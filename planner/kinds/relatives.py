"""`relatives`: relatives may not lead together, one under the other, or one over the other's
sensitive sector or post.

QĐ 114-QĐ/TW (11 Jul 2023) Đ.6 k.5 — relatives (spouse; parents, children, siblings; the
spouse's parents) are not placed together as:
- members of one Standing Committee or leadership collective: of one unit (`same_collective`),
  or of one locality across its Party committee, People's Committee and People's Council
  (`locality_collective`: their leaders stand in for the Standing Committee, whose membership
  the roster does not record [I]);
- the head and a deputy of the head in one unit (`head_deputy_same_unit`) or one locality
  (`head_deputy_same_locality`: the head of one of the locality's collective units and a
  deputy in another [I]);
- the Party or government head of a level (secretary of its Party committee, chair of its
  People's Committee) and the head of one of 13 listed sectors at that level
  (`head_and_sector_head`).
Luật PCTN 2018 Đ.20 k.3 (`pctn_unit_post`): the head or a deputy head of a unit may not have
a spouse, parent, child or sibling in its personnel or accounting management, or as its
cashier or storekeeper — posts picked by `pctn_posts` (position fields; the roster marks them
in `listed_sector`).

Each round's state of the plan is judged (seconded cadres at their destination, back home
after their end date). A conflict is reported only in rounds where at least one of the pair
holds a post the plan gave them — a conflict already in the roster is not the plan's doing,
so an empty plan never violates this rule. Each (pair, clause) is reported once, with the
first round it appears. `applies_to` (cadre fields) selects pairs with a matching member.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field

from planner.i18n.messages import say
from planner.kinds.base import Params, RuleKind, Timeline, Violation, violation
from planner.models import LEADER_ROLES, RelationKind, Role
from planner.ruleset import Rule

if TYPE_CHECKING:
    from planner.facts import Facts
    from planner.linear import Candidate, LinearModel
    from planner.plan import Plan

Conflict = Literal["same_collective", "locality_collective", "head_deputy_same_unit",
                   "head_deputy_same_locality", "head_and_sector_head", "pctn_unit_post"]
CONFLICTS: tuple[Conflict, ...] = ("same_collective", "locality_collective",
                                   "head_deputy_same_unit", "head_deputy_same_locality",
                                   "head_and_sector_head", "pctn_unit_post")

# QĐ 114-QĐ/TW Đ.6 k.5: the sectors a relative of the level's Party or government head may
# not lead (matched against units.csv `sector`).
QD114_SECTORS: tuple[str, ...] = (
    "internal_affairs", "inspection", "finance", "banking", "tax", "customs",
    "industry_trade", "planning_investment", "natural_resources_environment", "army",
    "police", "court", "procuracy",
)
ALL_RELATIONS: tuple[RelationKind, ...] = (
    "spouse", "parent", "child", "sibling", "parent_in_law", "child_in_law", "sibling_in_law")
COLLECTIVE_ROLES: tuple[Role, ...] = ("secretary", "deputy_secretary", "chair", "vice_chair",
                                     "council_chair")
HEAD_ROLES = frozenset({"head", "chair", "secretary", "council_chair", "front_chair"})
DEPUTY_ROLES = frozenset({"deputy_head", "vice_chair", "deputy_secretary"})
LEVEL_HEAD_ROLES = frozenset({"secretary", "chair"})
LEVEL_HEAD_UNIT_KINDS = frozenset({"dang_uy", "ubnd"})

CONFLICT_WORDS: dict[str, str] = {
    "same_collective": "sit in one unit's leadership collective",
    "locality_collective": "sit in one locality's leadership (Party committee, People's "
                           "Committee, Council)",
    "head_deputy_same_unit": "are head and deputy of one unit",
    "head_deputy_same_locality": "are head and deputy in one locality",
    "head_and_sector_head": "head a level and one of its listed sectors",
    "pctn_unit_post": "one leads a unit where the other holds a personnel, accounting, "
                      "cashier or storekeeper post",
}


class RelativesParams(Params):
    relations: list[RelationKind] = Field(
        default_factory=lambda: list(ALL_RELATIONS),
        description="relations (relations.csv) that count as relatives")
    forbid: list[Conflict] = Field(
        default_factory=lambda: list(CONFLICTS), min_length=1,
        description="clauses: " + ", ".join(CONFLICTS))
    sectors: list[str] = Field(
        default_factory=lambda: list(QD114_SECTORS),
        description="unit sectors a relative of the level's secretary or chair may not head")
    collective_units: list[str] = Field(
        default_factory=lambda: ["dang_uy", "ubnd", "hdnd"],
        description="unit kinds whose leaders form a locality's leadership collective")
    collective_roles: list[Role] = Field(
        default_factory=lambda: list(COLLECTIVE_ROLES),
        description="roles in those units that belong to the locality's collective")
    pctn_posts: dict[str, list[str]] = Field(
        default_factory=lambda: {"listed_sector": ["personnel", "accounting", "cashier",
                                                   "storekeeper"]},
        description="position fields → values marking the posts Luật PCTN Đ.20 k.3 names "
                    "(a post matching any field counts)")


def _in_collective(params: RelativesParams, place: dict[str, Any]) -> bool:
    return (place["unit_kind"] in params.collective_units
            and place["role"] in params.collective_roles)


def _is_level_head(place: dict[str, Any]) -> bool:
    return place["role"] in LEVEL_HEAD_ROLES and place["unit_kind"] in LEVEL_HEAD_UNIT_KINDS


def _is_pctn_post(params: RelativesParams, place: dict[str, Any]) -> bool:
    return any(str(place.get(name, "")) in values for name, values in params.pctn_posts.items())


def _head_and_deputy(one: dict[str, Any], other: dict[str, Any]) -> bool:
    return one["role"] in HEAD_ROLES and other["role"] in DEPUTY_ROLES


def conflicts_between(params: RelativesParams, place_a: dict[str, Any],
                      place_b: dict[str, Any]) -> list[Conflict]:
    """The forbidden conflicts of two relatives holding these posts (Facts.place dicts).

    Pure: the solver reuses it to forbid pairs of candidate posts for a pair of relatives.
    Locality clauses judge posts of different units (one unit is the unit clauses' case).
    """
    forbid = params.forbid
    found: list[Conflict] = []
    same_unit = place_a["unit"] == place_b["unit"]
    same_locality = place_a["locality"] == place_b["locality"]
    both_lead = place_a["role"] in LEADER_ROLES and place_b["role"] in LEADER_ROLES
    if "same_collective" in forbid and same_unit and both_lead:
        found.append("same_collective")
    if ("locality_collective" in forbid and same_locality and not same_unit
            and _in_collective(params, place_a) and _in_collective(params, place_b)):
        found.append("locality_collective")
    head_deputy = _head_and_deputy(place_a, place_b) or _head_and_deputy(place_b, place_a)
    if "head_deputy_same_unit" in forbid and same_unit and head_deputy:
        found.append("head_deputy_same_unit")
    if ("head_deputy_same_locality" in forbid and same_locality and not same_unit
            and head_deputy and _in_collective(params, place_a)
            and _in_collective(params, place_b)):
        found.append("head_deputy_same_locality")
    if "head_and_sector_head" in forbid and same_locality:
        sectors = set(params.sectors)
        for head, other in ((place_a, place_b), (place_b, place_a)):
            if _is_level_head(head) and other["role"] == "head" and other["sector"] in sectors:
                found.append("head_and_sector_head")
                break
    if "pctn_unit_post" in forbid and same_unit:
        for leader, other in ((place_a, place_b), (place_b, place_a)):
            if leader["role"] in HEAD_ROLES | DEPUTY_ROLES and _is_pctn_post(params, other):
                found.append("pctn_unit_post")
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


@dataclass(frozen=True)
class _Stint:
    """Where a candidate puts its cadre: `post` in rounds [first, last), home otherwise."""

    post: str
    first: int
    last: int

    @classmethod
    def of(cls, facts: Facts, candidate: Candidate) -> _Stint:
        last = len(facts.rounds)
        # a temporary move (a candidate with an end date) brings the cadre home on its end
        end = getattr(candidate, "end", None)
        if end is not None:
            last = next((r.index for r in facts.rounds if r.start >= end), last)
        return cls(candidate.to_position, candidate.round_index, last)


class Relatives(RuleKind):
    """Two relatives placed by the plan in one of the forbidden configurations."""

    name = "relatives"
    Params = RelativesParams

    def encode(self, rule: Rule, facts: Facts, model: LinearModel) -> None:
        """Exactly the plans `check` accepts. For each pair (a, b) and round t in force, with
        A_t(P) = Σ x over a's options holding post P in round t and A_t = Σ_P A_t(P) (a away
        from home in t; each cadre moves at most once, so A_t ≤ 1), likewise B_t:

        - posts P, Q that clash:          A_t(P) + B_t(Q) ≤ 1;
        - P clashes with b's home post:   A_t(P) − B_t ≤ 0 (b must be away by then);
        - Q clashes with a's home post:   B_t(Q) − A_t ≤ 0.
        Both at home is the roster's state, never a violation. A temporary move (a candidate
        with an end date) holds its post only until the round its cadre returns.
        """
        params: RelativesParams = rule.params
        rounds = [r.index for r in facts.rounds if rule.in_force(r.start)]
        if not rounds:
            return
        clashes: dict[tuple[str, str], bool] = {}

        def clash(post_a: str, post_b: str) -> bool:
            key = (post_a, post_b)
            if key not in clashes:
                clashes[key] = bool(conflicts_between(params, facts.place(post_a),
                                                      facts.place(post_b)))
            return clashes[key]

        for pair in relative_pairs(rule, facts):
            home = {c: facts.cadre(c).position for c in (pair.a, pair.b)}
            stints = {c: [(i, _Stint.of(facts, model.candidates[i]))
                          for i in model.by_cadre.get(c, [])] for c in (pair.a, pair.b)}
            posts = {c: sorted({s.post for _i, s in stints[c]}) for c in stints}
            clashing = [(p, q) for p in posts[pair.a] for q in posts[pair.b] if clash(p, q)]
            home_a, home_b = home[pair.a], home[pair.b]
            near_home = {pair.a: [p for p in posts[pair.a] if home_b and clash(p, home_b)],
                         pair.b: [q for q in posts[pair.b] if home_a and clash(home_a, q)]}
            if not clashing and not near_home[pair.a] and not near_home[pair.b]:
                continue  # the usual case: no option of either ever clashes
            for t in rounds:
                at: dict[str, dict[str, list[int]]] = {pair.a: {}, pair.b: {}}
                for cadre, options in stints.items():
                    for column, stint in options:
                        if stint.first <= t < stint.last:
                            at[cadre].setdefault(stint.post, []).append(column)
                away = {c: [col for cols in at[c].values() for col in cols] for c in at}
                name = facts.rounds[t].name
                for p, q in clashing:
                    if p in at[pair.a] and q in at[pair.b]:
                        model.add_row([(c, 1.0) for c in at[pair.a][p] + at[pair.b][q]],
                                      upper=1.0, rule=rule.id,
                                      label=f"relatives {pair.a}/{pair.b} {p}/{q} {name}")
                for mover, other in ((pair.a, pair.b), (pair.b, pair.a)):
                    for p in near_home[mover]:
                        if p in at[mover]:
                            model.add_row([*((c, 1.0) for c in at[mover][p]),
                                           *((c, -1.0) for c in away[other])],
                                          upper=0.0, rule=rule.id,
                                          label=f"{mover} in {p} only once relative {other} "
                                                f"left {home[other]} ({name})")

    def check(self, rule: Rule, facts: Facts, plan: Plan) -> list[Violation]:
        params: RelativesParams = rule.params
        moved = set(plan.move_by_cadre)
        timeline = Timeline.of(facts, plan)
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
                        rule, say("{a} and {b} ({relation}) {conflict} from {round}: {a} in "
                                  "{post_a} ({role_a}, {unit_a}), {b} in {post_b} ({role_b}, "
                                  "{unit_b})", a=pair.a, b=pair.b, relation=pair.relation,
                                  conflict=CONFLICT_WORDS[conflict], round=round_.name,
                                  post_a=post_a, role_a=say("{role}", role=place_a["role"]),
                                  unit_a=place_a["unit"], post_b=post_b,
                                  role_b=say("{role}", role=place_b["role"]),
                                  unit_b=place_b["unit"]),
                        amount=1, unit="pairs", cadres=(pair.a, pair.b),
                        positions=(post_a, post_b),
                        units=tuple(dict.fromkeys((place_a["unit"], place_b["unit"]))),
                        rounds=(round_.name,), clause=f"forbid.{conflict}"))
        return found

    def explain(self, rule: Rule, found: Violation) -> str:
        conflict = found.clause.removeprefix("forbid.")
        words = CONFLICT_WORDS.get(conflict)
        if words is None:
            return super().explain(rule, found)
        return f"clause {conflict} (relatives who {words}) fails: {found.message}"
