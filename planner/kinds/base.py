"""What every rule kind provides (its hooks), and the violation it reports.

A kind is a class with a parameter schema (`Params`) and hooks. The checker, the facts, the
solver and the explanations call the hooks through `rule.impl` and never name a kind, so
adding a kind is one module plus one line in the registry (`planner/kinds/__init__.py`).

Hooks (a kind overrides the ones it has; the defaults do nothing):
- `judge_move` (judge): the violation one move causes. Kinds whose rules judge one move at a
  time (`per_move`) implement it; the checker applies it to every move of a plan, and the
  solver's candidate generator applies the very same function to every option, so a
  forbidden move can never be proposed.
- `check`: every violation in a finished plan (default: `judge_move` on each move). Kinds
  whose rules couple several moves (adaptation, quotas, relatives, tenure) override it.
- `encode`: the rule's rows and costs in the solver's linear model (coupling kinds).
- `due`: when a cadre falls due to move under the rule (tenure limits).
- `exempts`: why the rule keeps a cadre from a form of move on a day (exemptions).
- `allows`: whether a hard rule positively allows a move (explanations list it).
- `adapts_until`: the first day a moved cadre no longer adapts (the plan records it).
- `relax`: the smallest parameter change that frees cadres stuck under the rule.
- `explain`: which clause of the rule a violation broke, in words.
- `prices`: objective terms the kind's `encode` prices itself (the solver then leaves them).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, cast

from pydantic import BaseModel, ConfigDict, ValidationInfo, field_validator

from planner.i18n.messages import Listed, Said
from planner.ruleset import Rule

if TYPE_CHECKING:
    from planner.facts import Facts
    from planner.linear import LinearModel
    from planner.plan import Move, Plan

# The label of the column that lets a due cadre stay (the solver reports it as "stays").
STAY_LABEL = "stays"


class Params(BaseModel):
    """Base of parameter schemas: unknown parameters are errors (with did-you-mean).

    Every value is checked in range whatever the kind: numbers finite, no true/false where a
    number goes (pydantic would read `true` as 1), months whole and not negative — also in
    each value of a dated parameter (`{2025-07-01: 36}`).
    """

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)

    def private(self, name: str) -> Any:
        """A private attribute (`_name`) read straight from pydantic's store: `self._name`
        takes pydantic's slow `__getattr__`, and candidate generation asks hundreds of
        thousands of times."""
        return cast(dict[str, Any], self.__pydantic_private__)[name]

    @field_validator("*", mode="before")
    @classmethod
    def _values_in_range(cls, value: Any, info: ValidationInfo) -> Any:
        name = info.field_name or ""
        annotation = str(cls.model_fields[name].annotation) if name in cls.model_fields else ""
        values = list(value.values()) if isinstance(value, dict) else [value]
        for item in values:
            if isinstance(item, bool) and "bool" not in annotation:
                raise ValueError("expected a number or text, not true/false")
            if "months" in name and item is not None and (
                    not isinstance(item, int) or isinstance(item, bool) or item < 0):
                raise ValueError("months must be a whole number of at least 0")
        if isinstance(value, dict) and not value and "dict[" in annotation \
                and "date" in annotation:
            raise ValueError("a dated value needs at least one date")
        return value


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
    #: the parameter or clause of the rule that failed (e.g. "min_months", "forbid.head_deputy")
    clause: str = ""
    #: the message with its template and values (planner.i18n.messages), to say it in
    #: another language; `message` is its English text
    said: Any = field(default=None, compare=False, repr=False)

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
            "penalty": self.penalty, **({"clause": self.clause} if self.clause else {}),
        }


def violation(rule: Rule, message: str, **facts: Any) -> Violation:
    """A violation of `rule` carrying its label, basis, severity and weight. A message made
    with `planner.i18n.messages.say` keeps its template (`said`) for translation."""
    said = message if isinstance(message, Said | Listed) else None
    return Violation(rule.id, rule.label, rule.basis, rule.spec.severity, str(message),
                     weight=rule.weight, said=said, **facts)


@dataclass(frozen=True)
class Due:
    """A cadre reaches a limit: by `round_index` they must have moved, by one of
    `satisfied_by` (the limit calls for `form`). `why` says it in words for explanations."""

    rule: Rule
    reached_on: dt.date
    round_index: int
    months_at_start: int
    form: str = "position_change"
    satisfied_by: tuple[str, ...] = ()
    why: str = ""


@dataclass(frozen=True)
class Relaxation:
    """A parameter change (`set` values for one rule) and what it does, in words."""

    rule_id: str
    params: dict[str, Any]
    description: str


#: `cadre_class`'s answer for a cadre and form the rule never refuses nor prices
PASSES = "\u2713passes"


def verdict_factors(kind: RuleKind) -> tuple[str, ...]:
    """The move fields a kind's verdict depends on (all four without a declaration; a
    `timeless` kind's cadre, form and post)."""
    if kind.judged_on is not None:
        return kind.judged_on
    return ("cadre", "form", "to") if kind.timeless else ("cadre", "form", "to", "round")


class RuleKind:
    """Base class of the rule kinds (DESIGN §2.4): the hooks and their defaults."""

    name: ClassVar[str]
    Params: ClassVar[type[BaseModel]]
    #: True if rules of this kind judge moves (may use move.*, from.*, to.* selectors).
    move_rule: ClassVar[bool] = False
    #: True if `judge_move` decides the rule alone (the solver filters candidates with it).
    per_move: ClassVar[bool] = False
    #: True if `judge_move` never reads the move's date or round (the candidate generator
    #: then judges it once per cadre, post and form rather than once per round).
    timeless: ClassVar[bool] = False
    #: The move fields `judge_move`'s verdict (violated or not, and its penalty) depends on,
    #: among "cadre", "form", "to" and "round" (the from post is the cadre's own), or None
    #: for all of them. The candidate generator judges once per distinct value of these
    #: factors (e.g. per cadre and round) and reuses the verdict for every option sharing
    #: them; the checker still judges every move. A property test holds the two equal.
    judged_on: ClassVar[tuple[str, ...] | None] = None
    #: True if a cadre this kind makes due must leave their post (it ends), not merely
    #: change it in time: the candidate generator keeps every allowed post it scans for
    #: them instead of the closest few (planner/solver/candidates.py, the keep limit)
    vacates: ClassVar[bool] = False

    def move_class(self, rule: Rule, facts: Facts, cadre_id: str, form: str,
                   to_position: str) -> Hashable | None:
        """What `judge_move`'s verdict reads of the cadre and the destination, as a key:
        moves of one form (and round, for a kind judged on it) whose keys are equal get
        the same verdict, so the candidate generator judges one of them and reuses it (a
        few dozen classes of post instead of thousands of posts). None: no such key (the
        verdict is judged per cadre and post). A property test holds the reuse exact."""
        return None

    # The vectorised candidate judge's factoring (planner/solver/vectorised.py): a move's
    # verdict is a function of `cadre_class` (the cadre and the form), `post_class` (the
    # destination alone), the `pair_reads` relations between the two (computed over arrays)
    # and — unless `judged_on` leaves it out — the round. The defaults follow `judged_on`
    # (identity keys: the cadre and form, the post); kinds override them with coarser keys
    # so one verdict serves every cadre and post of a class. A property test holds the
    # vectorised verdicts equal to `judge_move`'s on random rosters.

    def cadre_class(self, rule: Rule, facts: Facts, cadre_id: str, form: str
                    ) -> Hashable | None:
        """What the verdict reads of the cadre and the form, as a key; PASSES if the rule
        allows every move of this cadre by this form; None if the verdict cannot be
        factored for this cadre (then judged per cadre, form and post)."""
        fields = verdict_factors(self)
        return (cadre_id if "cadre" in fields else None, form if "form" in fields else None)

    def post_class(self, rule: Rule, facts: Facts, to_position: str) -> Hashable:
        """What the verdict reads of the destination alone, as a key."""
        return to_position if "to" in verdict_factors(self) else None

    def pair_reads(self, rule: Rule) -> tuple[str, ...]:
        """The relations between origin (or cadre) and destination the verdict reads besides
        the two classes, among planner.solver.vectorised.PAIR_RELATIONS."""
        return ()

    #: objective terms this kind's encode prices itself (e.g. "weights.vacancy")
    prices: ClassVar[frozenset[str]] = frozenset()

    def has(self, hook: str) -> bool:
        """True if this kind implements `hook` (overrides the do-nothing default)."""
        return getattr(type(self), hook) is not getattr(RuleKind, hook)

    def judge_move(self, rule: Rule, facts: Facts, move: Move) -> Violation | None:
        """The violation this single move causes, if any (per-move kinds only)."""
        return None

    def encode(self, rule: Rule, facts: Facts, model: LinearModel) -> None:
        """Add the rule's rows and costs to the solver's model (kinds that couple moves)."""

    def due(self, rule: Rule, facts: Facts, cadre_id: str) -> Due | None:
        """When (if at all) the rule makes this cadre due to move in the horizon."""
        return None

    def exempts(self, rule: Rule, facts: Facts, cadre_id: str, form: str,
                day: dt.date) -> str | None:
        """Why the rule keeps this cadre from a `form` move on `day`, in words (None: not)."""
        return None

    def allows(self, rule: Rule, move: Move) -> bool:
        """True if this (hard) rule positively allows the move's form; explanations name it."""
        return False

    def recruits(self, rule: Rule, facts: Facts) -> list[str]:
        """Cadres (not due) the rule wants the plan free to move: a minimum quota counts
        their moves, so the candidate generator makes them optional movers. In order of
        preference; the generator keeps them whatever the roster size."""
        return []

    def adapts_until(self, rule: Rule, facts: Facts, move: Move) -> dt.date | None:
        """The first day the moved cadre no longer adapts under the rule (None: no period)."""
        return None

    def relax(self, rule: Rule, facts: Facts, cadre_ids: list[str]) -> Relaxation | None:
        """The smallest change of the rule's parameters that frees these stuck cadres."""
        return None

    def explain(self, rule: Rule, found: Violation) -> str:
        """Which clause of the rule `found` broke, in words: the clause, its value in force
        on the violation's day where it is a parameter, and the facts."""
        clause = found.clause
        if not clause:
            return found.message
        name = clause.split(".")[0]
        # a parameter spelled with a Python keyword is stored with a trailing _ (from → from_)
        value = getattr(rule.params, name, getattr(rule.params, name + "_", None))
        shown = "" if value is None else f" = {_shown(value)}"
        return f"clause {clause}{shown} fails: {found.message}"

    def check(self, rule: Rule, facts: Facts, plan: Plan) -> list[Violation]:
        """Every violation of `rule` in a finished plan. Default: judge each move."""
        found = []
        in_force: dict[dt.date, bool] = {}  # moves share a few round starts
        for move in plan.moves:
            now = in_force.get(move.start)
            if now is None:
                now = in_force[move.start] = rule.in_force(move.start)
            if not now:
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
    #: what the kinds derive from the timeline per round (e.g. vacancy's occupied posts)
    memo: dict[Hashable, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, facts: Facts, plan: Plan) -> Timeline:
        """The plan's timeline under these facts, shared by every rule that checks it (a
        plan's moves are fixed when it is made: `move_by_cadre` is built then)."""
        # keyed by id: the cached timeline holds the facts, so the id is not reused
        shared: dict[int, Timeline] = plan.__dict__.setdefault("_timelines", {})
        found = shared.get(id(facts))
        if found is None:
            found = shared[id(facts)] = cls(facts, plan)
        return found

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
            moved = self.plan.move_by_cadre
            for cadre in self.facts.roster.cadres:
                # most cadres do not move: their post is the roster's (post_of, inlined)
                post = self.post_of(cadre.id, round_index) if cadre.id in moved \
                    else cadre.position
                if post is not None:
                    cached[post] = cadre.id
            self._by_round[round_index] = cached
        return cached

    def arrivals(self, round_index: int) -> Iterator[Move]:
        return (m for m in self.plan.moves if m.round_index == round_index)


def _shown(value: Any) -> str:
    """A parameter value as a planner reads it: lists comma-separated, dated maps by date."""
    if isinstance(value, dict):
        return ", ".join(f"{_shown(v)} from {k}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return ", ".join(_shown(v) for v in value)
    if isinstance(value, BaseModel):
        return str(value.model_dump(by_alias=True, exclude_defaults=True))
    return str(value)
