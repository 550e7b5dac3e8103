"""`move_graph`: the allowed directions of each form; a move matching no edge is forbidden.

QĐ 65-QĐ/TW: rotation goes down a level, up a level, to another locality or to another
agency at the same level; the destination is an equivalent post (higher only by decision,
never lower). NĐ 59/2019: a periodic position change keeps the profession and changes the
section, area or unit within the same managing authority (`scope: same_authority`). The
equivalence of posts is the `equivalence` kind's table; `grade` here is kept for rule files
that still compare grades.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import TYPE_CHECKING, Any, Literal, cast

from pydantic import Field, PrivateAttr, field_validator

from planner.errors import did_you_mean
from planner.i18n.messages import say
from planner.kinds.base import Params, RuleKind, Violation, violation
from planner.models import Form

if TYPE_CHECKING:
    from planner.facts import Facts
    from planner.plan import Move
    from planner.ruleset import Rule

END_FIELDS = ("level", "bloc", "unit_kind", "role", "key", "sector", "locality_kind")
Scope = Literal["any", "same_locality", "other_locality", "same_district", "other_district",
                "same_unit", "other_unit", "same_authority"]
GradeRule = Literal["any", "equivalent", "up_one", "not_lower"]


class Edge(Params):
    from_: dict[str, Any] = Field(default_factory=dict, alias="from",
                                  description="fields of the origin post, e.g. {level: district}")
    to: dict[str, Any] = Field(default_factory=dict, description="fields of the destination")
    forms: list[Form]
    scope: Scope = "any"

    @field_validator("from_", "to", mode="before")
    @classmethod
    def _known_fields(cls, value: Any) -> Any:
        if value in ("any", None):
            return {}
        if isinstance(value, str):  # shorthand: a level name
            return {"level": value}
        if isinstance(value, dict):
            for key in value:
                if key not in END_FIELDS:
                    raise ValueError(f"unknown edge field '{key}'{did_you_mean(key, END_FIELDS)}"
                                     f" (expected: {', '.join(END_FIELDS)})")
        return value


class MoveGraphParams(Params):
    edges: list[Edge] = Field(min_length=1)
    same_profession: list[Form] = Field(default_factory=list,
                                        description="forms that keep the cadre's profession")
    grade: dict[Form, GradeRule] = Field(default_factory=dict,
                                         description="destination grade per form")
    # the place fields the edges test at each end and the scopes they use (move_class)
    _reads: tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]] = PrivateAttr()

    def model_post_init(self, context: Any) -> None:
        self._reads = (tuple(sorted({k for e in self.edges for k in e.from_})),
                       tuple(sorted({k for e in self.edges for k in e.to})),
                       tuple(sorted({e.scope for e in self.edges})))

    @property
    def reads(self) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
        return cast(tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]],
                    self.private("_reads"))


def _end_matches(spec: dict[str, Any], place: dict[str, Any]) -> bool:
    for key, wanted in spec.items():
        options = wanted if isinstance(wanted, list) else [wanted]
        value = place.get(key)
        if isinstance(value, bool):
            value = "true" if value else "false"
        if str(value) not in [("true" if o is True else "false" if o is False else str(o))
                              for o in options]:
            return False
    return True


def _scope_holds(scope: str, facts: Facts, source: dict[str, Any], target: dict[str, Any]) -> bool:
    if scope == "any":
        return True
    if scope in ("same_locality", "other_locality"):
        return (source["locality"] == target["locality"]) == (scope == "same_locality")
    if scope in ("same_unit", "other_unit"):
        return (source["unit"] == target["unit"]) == (scope == "same_unit")
    if scope == "same_authority":
        return managing_authority(facts, source) == managing_authority(facts, target)
    same = facts.graph.district_of(source["locality"]) == facts.graph.district_of(
        target["locality"])
    return same == (scope == "same_district")


# the origin–destination relation each scope reads (the vectorised judge's pair_reads)
_SCOPE_RELATION = {"same_locality": "same_locality", "other_locality": "same_locality",
                   "same_unit": "same_unit", "other_unit": "same_unit",
                   "same_authority": "same_authority", "same_district": "same_district",
                   "other_district": "same_district"}


def managing_authority(facts: Facts, place: dict[str, Any]) -> str:
    """The locality whose People's Committee manages a post's civil servants [I]: the
    district for district and (before 2025) commune posts, else the locality itself."""
    return facts.graph.district_of(place["locality"]) or place["locality"]


#: Why a grade step fails each rule, in words ("grade 4 → 7 is higher than equivalent").
_GRADE_REFUSAL = {"equivalent": "not equivalent", "up_one": "not equivalent or one step up",
                  "not_lower": "lower", "any": "allowed"}


def grade_ok(rule_name: str, from_grade: int, to_grade: int) -> bool:
    if rule_name == "equivalent":
        return to_grade == from_grade
    if rule_name == "up_one":
        return from_grade <= to_grade <= from_grade + 1
    if rule_name == "not_lower":
        return to_grade >= from_grade
    return True


class MoveGraph(RuleKind):
    name = "move_graph"
    Params = MoveGraphParams
    move_rule = True
    per_move = True
    judged_on = ("cadre", "form", "to")
    timeless = True

    def allows(self, rule: Rule, move: Move) -> bool:
        return True  # its edges are the allowed directions of every form

    def move_class(self, rule: Rule, facts: Facts, cadre_id: str, form: str,
                   to_position: str) -> Hashable | None:
        """What the verdict reads: the fields the edges name at each end, the grades, each
        scope the edges use, and (for a form that keeps it) whether the profession matches."""
        origin = facts.cadre(cadre_id).position
        if origin is None:
            return None
        params: MoveGraphParams = rule.params
        source, target = facts.place(origin), facts.place(to_position)
        from_keys, to_keys, scopes = params.reads
        return (tuple(source.get(k) for k in from_keys), source["grade"],
                tuple(target.get(k) for k in to_keys), target["grade"],
                tuple(_scope_holds(scope, facts, source, target) for scope in scopes),
                form in params.same_profession
                and facts.cadre(cadre_id).profession == target["profession"])

    def cadre_class(self, rule: Rule, facts: Facts, cadre_id: str, form: str
                    ) -> Hashable | None:
        """The form, the origin's fields the edges name and its grade (move_class's origin
        half); whether the profession must match."""
        origin = facts.cadre(cadre_id).position
        if origin is None:
            return None
        params: MoveGraphParams = rule.params
        source = facts.place(origin)
        return (form, tuple(source.get(k) for k in params.reads[0]), source["grade"],
                form in params.same_profession)

    def post_class(self, rule: Rule, facts: Facts, to_position: str) -> Hashable:
        target = facts.place(to_position)
        return tuple(target.get(k) for k in rule.params.reads[1]), target["grade"]

    def pair_reads(self, rule: Rule) -> tuple[str, ...]:
        params: MoveGraphParams = rule.params
        return tuple(sorted({_SCOPE_RELATION[s] for s in params.reads[2] if s != "any"})) + (
            ("same_profession",) if params.same_profession else ())

    def judge_move(self, rule: Rule, facts: Facts, move: Move) -> Violation | None:
        params: MoveGraphParams = rule.params
        target = facts.place(move.to_position)
        where = dict(cadres=(move.cadre,), positions=(move.from_position or "", move.to_position),
                     units=(target["unit"],), rounds=(move.round,))
        if move.from_position is None:
            return violation(rule, say("{cadre} holds no post; a {form} needs an origin",
                                       cadre=move.cadre, form=move.form), **where)
        source = facts.place(move.from_position)
        direction = facts.direction(move.from_position, move.to_position)
        if not any(move.form in edge.forms and _end_matches(edge.from_, source)
                   and _end_matches(edge.to, target)
                   and _scope_holds(edge.scope, facts, source, target)
                   for edge in params.edges):
            return violation(rule, say("{cadre}: {form} {origin} → {post} ({direction}) "
                                       "matches no allowed direction", cadre=move.cadre,
                                       form=move.form, origin=move.from_position,
                                       post=move.to_position, direction=direction), **where)
        grade_rule = params.grade.get(move.form, "any")  # type: ignore[call-overload]
        if not grade_ok(grade_rule, source["grade"], target["grade"]):
            return violation(rule, say("{cadre}: grade {before} → {after} is {refusal} for a "
                                       "{form}", cadre=move.cadre, before=source["grade"],
                                       after=target["grade"], refusal=_GRADE_REFUSAL[grade_rule],
                                       form=move.form),
                             amount=abs(target["grade"] - source["grade"]), unit="grades",
                             **where)
        cadre = facts.cadre(move.cadre)
        if move.form in params.same_profession and cadre.profession != target["profession"]:
            return violation(rule, say("{cadre}: a {form} keeps the profession, but {before} ≠ "
                                       "{after}", cadre=move.cadre, form=move.form,
                                       before=cadre.profession or "(none)",
                                       after=target["profession"] or "(none)"), **where)
        return None
