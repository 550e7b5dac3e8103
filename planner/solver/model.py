"""A solver-neutral 0/1 linear model over candidate moves, built by the rule kinds.

Rule kinds add rows through this small interface (`add_row`, `add_soft_row`), in plain
Python numbers, so a kind's encoding sits beside its checker without importing a solver. The
backend (HiGHS) receives the finished arrays in one call.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from planner.plan import Move


@dataclass(frozen=True)
class Candidate:
    """One option the planner may choose: cadre moves by form to position in round."""

    index: int
    cadre: str
    form: str
    from_position: str | None
    to_position: str
    round_index: int
    start: dt.date
    cost: float
    unit: str
    locality: str
    role: str
    key: bool
    soft_rules: tuple[str, ...] = ()
    #: a secondment's return (planner.forms.secondment_end); None for permanent moves
    end: dt.date | None = None


@dataclass
class Row:
    columns: list[int]
    coefs: list[float]
    lower: float
    upper: float
    label: str
    rule: str


@dataclass
class LinearModel:
    """min cost·x subject to rows; columns 0..n-1 are candidates, later ones are slacks."""

    candidates: list[Candidate] = field(default_factory=list)
    costs: list[float] = field(default_factory=list)
    upper: list[float] = field(default_factory=list)
    integral: list[bool] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    column_labels: dict[int, str] = field(default_factory=dict)
    column_rules: dict[int, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_cadre: dict[str, list[int]] = defaultdict(list)
        self.by_position: dict[str, list[int]] = defaultdict(list)
        self.by_unit_round: dict[tuple[str, int], list[int]] = defaultdict(list)

    def matching(self, rule: Any, facts: Any) -> list[Candidate]:
        """Candidates in force and selected by `rule` (a kind's encoding starts here)."""
        if not rule.selector.conditions:
            return [c for c in self.candidates if rule.in_force(c.start)]
        found = []
        for candidate in self.candidates:
            if not rule.in_force(candidate.start):
                continue
            name = facts.rounds[candidate.round_index].name
            if rule.selector.matches(facts.move_context(candidate_move(candidate, name))):
                found.append(candidate)
        return found

    def add_candidate(self, candidate: Candidate) -> None:
        assert candidate.index == len(self.costs)
        self.candidates.append(candidate)
        self.costs.append(candidate.cost)
        self.upper.append(1.0)
        self.integral.append(True)
        self.by_cadre[candidate.cadre].append(candidate.index)
        self.by_position[candidate.to_position].append(candidate.index)
        self.by_unit_round[(candidate.unit, candidate.round_index)].append(candidate.index)

    @property
    def num_candidates(self) -> int:
        return len(self.candidates)

    def add_column(self, cost: float, upper: float, label: str, rule: str = "",
                   integral: bool = False) -> int:
        """An extra column (a slack), returning its index."""
        self.costs.append(cost)
        self.upper.append(upper)
        self.integral.append(integral)
        index = len(self.costs) - 1
        self.column_labels[index] = label
        if rule:
            self.column_rules[index] = rule
        return index

    def add_row(self, terms: Iterable[tuple[int, float]], lower: float = -math.inf,
                upper: float = math.inf, label: str = "", rule: str = "") -> None:
        """lower ≤ Σ coef·x ≤ upper (terms with the same column are summed)."""
        merged: dict[int, float] = {}
        for column, coef in terms:
            merged[column] = merged.get(column, 0.0) + coef
        columns = sorted(c for c, v in merged.items() if v != 0.0)
        if not columns:
            return
        self.rows.append(Row(columns, [merged[c] for c in columns], lower, upper, label, rule))

    def add_soft_row(self, terms: Iterable[tuple[int, float]], upper: float, weight: float,
                     label: str, rule: str) -> None:
        """Σ coef·x ≤ upper + slack, the slack costing `weight` per unit (soft rules)."""
        term_list = list(terms)
        if not term_list:
            return
        slack = self.add_column(weight, math.inf, f"slack {label}", rule)
        self.add_row([*term_list, (slack, -1.0)], upper=upper, label=label, rule=rule)


def candidate_move(candidate: Candidate, round_name: str) -> Move:
    """The Move a candidate stands for (what the checker would see if it is chosen)."""
    from planner.plan import Move

    return Move(candidate.cadre, candidate.form, candidate.from_position, candidate.to_position,
                round_name, candidate.round_index, candidate.start, candidate.end)
