"""What every rule kind provides, and the violation it reports.

A kind is a class with a parameter schema (`Params`) and a checker. Kinds whose rules judge
one move at a time implement `judge_move`; the checker applies it to every move of a plan,
and the solver's candidate generator applies the very same function to every option it
considers, so a forbidden move can never be proposed. Kinds whose rules couple several moves
(adaptation, quotas, relatives, tenure) implement `check` over the whole plan.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from pydantic import BaseModel, ConfigDict

from planner.ruleset import Rule

if TYPE_CHECKING:
    from planner.facts import Facts
    from planner.plan import Move, Plan


class Params(BaseModel):
    """Base of parameter schemas: unknown parameters are errors (with did-you-mean)."""

    model_config = ConfigDict(frozen=True, extra="forbid")


@dataclass(frozen=True)
class Violation:
    """A rule broken by a plan, with the facts involved and by how much.

    `amount` is in `unit` (months over the limit, rounds late, cadres over the cap) so soft
    penalties grow with the size of the violation.
    """

    rule_id: str
    label: str
    basis: str
    severity: str
    message: str
    amount: float = 1.0
    unit: str = ""
    cadres: tuple[str, ...] = ()
    positions: tuple[str, ...] = ()
    units: tuple[str, ...] = ()
    rounds: tuple[str, ...] = ()
    weight: float = 0.0

    @property
    def hard(self) -> bool:
        return self.severity == "hard"

    @property
    def penalty(self) -> float:
        return 0.0 if self.hard else self.weight * self.amount

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule_id, "label": self.label, "basis": self.basis,
            "severity": self.severity, "message": self.message, "amount": self.amount,
            "unit": self.unit, "cadres": list(self.cadres), "positions": list(self.positions),
            "units": list(self.units), "rounds": list(self.rounds),
            "penalty": self.penalty,
        }


def violation(rule: Rule, message: str, **facts: Any) -> Violation:
    """A violation of `rule` carrying its label, basis, severity and weight."""
    return Violation(rule.id, rule.label, rule.basis, rule.spec.severity, message,
                     weight=rule.weight, **facts)


class RuleKind:
    """Base class of the thirteen rule kinds (DESIGN §2.4)."""

    name: ClassVar[str]
    Params: ClassVar[type[BaseModel]]
    #: True if rules of this kind judge moves (may use move.*, from.*, to.* selectors).
    move_rule: ClassVar[bool] = False
    #: True if `judge_move` decides the rule alone (the solver filters candidates with it).
    per_move: ClassVar[bool] = False
    #: True if `judge_move` never reads the move's date or round (the candidate generator
    #: then judges it once per cadre, post and form rather than once per round).
    timeless: ClassVar[bool] = False

    def judge_move(self, rule: Rule, facts: Facts, move: Move) -> Violation | None:
        """The violation this single move causes, if any (per-move kinds only)."""
        return None

    def check(self, rule: Rule, facts: Facts, plan: Plan) -> list[Violation]:
        """Every violation of `rule` in a finished plan. Default: judge each move."""
        found = []
        for move in plan.moves:
            if not rule.in_force(move.start):
                continue
            if not rule.selector.matches(facts.move_context(move)):
                continue
            judged = self.judge_move(rule, facts, move)
            if judged is not None:
                found.append(judged)
        return found


@dataclass
class Timeline:
    """Where every cadre is in every round of a plan (one move per cadre at most).

    A seconded cadre keeps their home post (it is not vacated) and returns on `end`.
    """

    facts: Facts
    plan: Plan
    _by_round: dict[int, dict[str, str]] = field(default_factory=dict)

    def post_of(self, cadre_id: str, round_index: int) -> str | None:
        cadre = self.facts.cadre(cadre_id)
        move = self.plan.move_by_cadre.get(cadre_id)
        if move is None or move.round_index > round_index:
            return cadre.position
        if move.form == "secondment" and move.end is not None \
                and self.facts.rounds[round_index].start >= move.end:
            return move.from_position
        return move.to_position

    def holders(self, round_index: int) -> dict[str, str]:
        """position id → cadre id in a round (seconded cadres at their destination)."""
        cached = self._by_round.get(round_index)
        if cached is None:
            cached = {}
            for cadre in self.facts.roster.cadres:
                post = self.post_of(cadre.id, round_index)
                if post is not None:
                    cached[post] = cadre.id
            self._by_round[round_index] = cached
        return cached

    def arrivals(self, round_index: int) -> Iterator[Move]:
        return (m for m in self.plan.moves if m.round_index == round_index)
