"""Rules as written (DESIGN §2.3) and as used: spec, dated parameters, rule sets.

A rule file names its rules with a kind, a Vietnamese label and a legal `basis`. Parameters
may be dated maps: the value in force on a date applies (`{2019-11-15: 60, 2025-07-01: 48}`).
Reading the files is `planner.rulefiles` (it needs the kinds; this module must not, so the
kinds can import it without an import cycle).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeAlias, TypeVar

from pydantic import Field, model_validator

from planner.errors import Problem
from planner.models import MAX_WEIGHT, Config
from planner.selectors import Selector

if TYPE_CHECKING:
    from planner.kinds.base import RuleKind

T = TypeVar("T")

# A parameter that may change over time: a plain value, or {date: value} in force from date.
Dated: TypeAlias = T | dict[dt.date, T]


def dated_gaps(ruleset: RuleSet, start: dt.date) -> list[Problem]:
    """Dated parameters that have no value on the first day a rule is in force within the
    horizon (a `{2025-07-01: 36}` limit says nothing about 2024): one problem each."""
    problems = []
    for rule in ruleset.active:
        first_day = max(start, rule.spec.effective.from_ or start)
        for name in type(rule.params).model_fields:
            value = getattr(rule.params, name)
            if isinstance(value, dict) and value and all(isinstance(k, dt.date) for k in value):
                earliest = min(value)
                if earliest > first_day:
                    problems.append(Problem(
                        rule.file, rule.line, None, f"{rule.id}.params.{name}",
                        f"no value in force from {first_day} until {earliest}: date a value "
                        f"on or before {first_day}, or start the rule later with "
                        f"`effective: {{from: {earliest}}}`"))
    return problems


def value_on(param: Any, day: dt.date) -> Any:
    """The value of a (possibly dated) parameter in force on `day` (None before the first)."""
    if not isinstance(param, dict):
        return param
    current = None
    for since in sorted(param):
        if since <= day:
            current = param[since]
    return current


class Effective(Config):
    """When a rule is in force: [from, to)."""

    from_: dt.date | None = Field(None, alias="from")
    to: dt.date | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Effective:
        if self.from_ and self.to and self.from_ >= self.to:
            raise ValueError(f"effective from {self.from_} must be before to {self.to}")
        return self

    def covers(self, day: dt.date) -> bool:
        return (self.from_ is None or day >= self.from_) and (self.to is None or day < self.to)


class ParamRange(Config):
    """The lawful range of a numeric parameter (`range` of a rule parameter, with its basis):
    a scenario's `set` and every relaxation the planner suggests stay inside it."""

    min: float | None = None
    max: float | None = None
    basis: str = Field(min_length=1)

    @model_validator(mode="after")
    def _ordered(self) -> ParamRange:
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"range min {self.min:g} must not exceed max {self.max:g}")
        return self

    def holds(self, value: Any) -> bool:
        return (self.min is None or value >= self.min) and (self.max is None or value <= self.max)

    def describe(self) -> str:
        low = "−∞" if self.min is None else f"{self.min:g}"
        high = "∞" if self.max is None else f"{self.max:g}"
        return f"{low}–{high} [{self.basis}]"


# what a scenario's `set` may change besides parameters (DESIGN: weights that mean what
# they say): a soft rule's weight, and a rule's severity
RULE_FIELDS_SETTABLE = ("severity", "weight")


class RuleSpec(Config):
    """One rule as written in a rule file."""

    id: str = Field(min_length=1, pattern=r"^[a-z0-9][a-z0-9_.-]*$")
    kind: str
    label: str = Field(min_length=1)
    basis: str = Field(min_length=1)
    severity: Literal["hard", "soft"] = "hard"
    weight: float | None = Field(None, ge=0, le=MAX_WEIGHT, allow_inf_nan=False)
    # only a rule whose article and number were checked in a public source says true
    verified: bool = False
    enabled: bool = True
    description: str = ""
    applies_to: dict[str, Any] = Field(default_factory=dict)
    params: dict[str, Any] = Field(default_factory=dict)
    ranges: dict[str, ParamRange] = Field(
        default_factory=dict, description="lawful range of a numeric parameter, by name")
    effective: Effective = Field(default_factory=Effective)

    @model_validator(mode="after")
    def _soft_needs_weight(self) -> RuleSpec:
        if self.severity == "soft" and self.weight is None:
            raise ValueError("a soft rule needs a weight")
        return self


class ReplacedBy(Config):
    """The rule files that take over from this one for horizons starting on or after `on`
    (a plan's own term ends, a reform re-draws the organisation): `rotation apply` writes
    them into the next cycle's scenario, and a scenario that starts on or after `on` with
    this file is warned."""

    on: dt.date
    files: list[str] = Field(min_length=1, description="paths relative to this rule file")
    basis: str = ""


class RuleSetFile(Config):
    """A rule file: a named set of rules, possibly including other files."""

    ruleset: str = Field(min_length=1)
    title: str = ""
    include: list[str] = Field(default_factory=list)
    replaced_by: ReplacedBy | None = None
    rules: list[RuleSpec] = Field(default_factory=list)


@dataclass(frozen=True)
class Replacement:
    """A loaded file's `replaced_by`, with the files resolved."""

    file: Path
    line: int | None
    on: dt.date
    files: tuple[Path, ...]
    basis: str


@dataclass(frozen=True)
class Rule:
    """A rule ready to use: its spec, parsed parameters, compiled selector, origin, and
    `impl` — the rule kind whose hooks judge it (callers never look a kind up by name)."""

    spec: RuleSpec
    params: Any
    selector: Selector
    file: str
    line: int | None
    impl: RuleKind = field(repr=False, compare=False)

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def kind(self) -> str:
        return self.spec.kind

    @property
    def label(self) -> str:
        return self.spec.label

    @property
    def basis(self) -> str:
        return self.spec.basis

    @property
    def hard(self) -> bool:
        return self.spec.severity == "hard"

    @property
    def weight(self) -> float:
        return self.spec.weight or 0.0

    def in_force(self, day: dt.date) -> bool:
        return self.spec.effective.covers(day)

    def param(self, name: str, day: dt.date) -> Any:
        """A parameter's value in force on `day`."""
        return value_on(getattr(self.params, name), day)


@dataclass
class RuleSet:
    """All rules of a scenario, in file order (included files first), enabled or not."""

    rules: list[Rule] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    #: the files' `replaced_by`, by file
    replacements: dict[Path, Replacement] = field(default_factory=dict)
    disabled: set[str] = field(default_factory=set)
    #: warnings for the user (a `set` that changes nothing), with file and line
    notes: list[str] = field(default_factory=list)
    _of_kind: dict[tuple[str, frozenset[str]], list[Rule]] = field(default_factory=dict,
                                                                   repr=False)

    @property
    def active(self) -> list[Rule]:
        return [r for r in self.rules if r.id not in self.disabled]

    def of_kind(self, kind: str) -> list[Rule]:
        # hot path (asked per cadre and move): cached, keyed by the disabled set it saw
        key = (kind, frozenset(self.disabled))
        cached = self._of_kind.get(key)
        if cached is None:
            cached = self._of_kind[key] = [r for r in self.active if r.kind == kind]
        return cached

    def with_hook(self, hook: str) -> list[Rule]:
        """Active rules whose kind implements `hook` (e.g. "due", "exempts"), in order."""
        key = ("hook:" + hook, frozenset(self.disabled))
        cached = self._of_kind.get(key)
        if cached is None:
            cached = self._of_kind[key] = [r for r in self.active if r.impl.has(hook)]
        return cached

    def by_id(self, rule_id: str) -> Rule:
        return next(r for r in self.rules if r.id == rule_id)
