"""Rule-set files (DESIGN §2.3): loading, `include`, scenario overrides, validation.

A rule file names its rules with a kind, a Vietnamese label and a legal `basis`; parameters
are checked against the kind's own schema, so `max_month` is reported with its line and
"did you mean 'max_months'?". Parameters may be dated maps: the value in force on a date
applies (`{2019-11-15: 60, 2025-07-01: 48}`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypeAlias, TypeVar

from pydantic import Field, ValidationError, model_validator

from planner.errors import Problem, ProblemCollector, unknown
from planner.models import Config
from planner.selectors import Selector, SelectorError, compile_selector
from planner.yamlio import Locator, read_yaml, validation_problems

T = TypeVar("T")

# A parameter that may change over time: a plain value, or {date: value} in force from date.
Dated: TypeAlias = T | dict[dt.date, T]


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
    weight: float | None = Field(None, ge=0)
    verified: bool = True
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


class RuleSetFile(Config):
    """A rule file: a named set of rules, possibly including other files."""

    ruleset: str = Field(min_length=1)
    title: str = ""
    include: list[str] = Field(default_factory=list)
    rules: list[RuleSpec] = Field(default_factory=list)


@dataclass(frozen=True)
class Rule:
    """A rule ready to use: its spec, parsed parameters, compiled selector and origin."""

    spec: RuleSpec
    params: Any
    selector: Selector
    file: str
    line: int | None

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

    def by_id(self, rule_id: str) -> Rule:
        return next(r for r in self.rules if r.id == rule_id)


@dataclass
class _RawRule:
    spec: RuleSpec
    file: str
    locate: Locator
    index: int


def load_ruleset(
    paths: Sequence[Path],
    overrides: dict[str, dict[str, Any]] | None = None,
    override_origins: dict[str, tuple[str, int | None]] | None = None,
    disable: Sequence[tuple[str, str, int | None]] = (),
    enable: Sequence[tuple[str, str, int | None]] = (),
) -> RuleSet:
    """Load rule files with their includes, apply scenario overrides, check everything.

    `disable`/`enable` entries are (rule id, file, line) of the scenario that names them.
    """
    from planner.kinds import KIND_BY_NAME

    problems = ProblemCollector()
    raw: list[_RawRule] = []
    ruleset = RuleSet()
    visiting: list[Path] = []

    def visit(path: Path) -> None:
        resolved = path.resolve()
        if resolved in visiting:
            problems.add(str(path), None, "include", "include cycle: "
                         + " → ".join(str(p) for p in [*visiting, resolved]))
            return
        if resolved in ruleset.files:
            return
        visiting.append(resolved)
        data, locate = read_yaml(path)
        if not isinstance(data, dict):
            problems.add(str(path), 1, None, "a rule file must be a YAML mapping")
            visiting.pop()
            return
        try:
            file_spec = RuleSetFile.model_validate(data)
        except ValidationError as exc:
            problems.extend(validation_problems(exc, str(path), locate, RuleSetFile))
            visiting.pop()
            return
        for index, included in enumerate(file_spec.include):
            target = path.parent / included
            if not target.exists():
                line, col = locate(["include", index])
                problems.add(str(path), line, "include", f"included file '{included}' not found",
                             col)
                continue
            visit(target)
        ruleset.files.append(resolved)
        ruleset.names.append(file_spec.ruleset)
        raw.extend(_RawRule(spec, str(path), locate, i) for i, spec in enumerate(file_spec.rules))
        visiting.pop()

    for path in paths:
        if not path.exists():
            problems.add(str(path), None, "rules", "rule file not found")
            continue
        visit(path)
    problems.raise_if_any()

    seen: dict[str, _RawRule] = {}
    for item in raw:
        line, col = item.locate(["rules", item.index, "id"])
        if item.spec.id in seen:
            first = seen[item.spec.id]
            first_line = first.locate(["rules", first.index, "id"])[0]
            problems.add(item.file, line, "id", f"duplicate rule id '{item.spec.id}' (first in "
                         f"{first.file}:{first_line})", col)
            continue
        seen[item.spec.id] = item

    overrides = overrides or {}
    override_origins = override_origins or {}
    for rule_id in overrides:
        if rule_id not in seen:
            file, line = override_origins.get(rule_id, ("scenario", None))
            problems.add(file, line, f"set.{rule_id}", unknown("rule id", rule_id, seen))
    for rule_id, file, line in [*disable, *enable]:
        if rule_id not in seen:
            problems.add(file, line, "disable/enable", unknown("rule id", rule_id, list(seen)))

    for item in seen.values():
        spec = item.spec
        base: list[int | str] = ["rules", item.index]
        kind = KIND_BY_NAME.get(spec.kind)
        if kind is None:
            line, col = item.locate([*base, "kind"])
            problems.add(item.file, line, "kind", unknown("rule kind", spec.kind, KIND_BY_NAME),
                         col)
            continue
        override = dict(overrides.get(spec.id, {}))
        origin = override_origins.get(spec.id, (item.file, None))
        fields = {k: override.pop(k) for k in RULE_FIELDS_SETTABLE if k in override}
        if fields:
            try:
                spec = RuleSpec.model_validate({**spec.model_dump(by_alias=True), **fields})
            except ValidationError as exc:
                for error in exc.errors():
                    problems.add(origin[0], origin[1], f"set.{spec.id}",
                                 str(error["msg"]).removeprefix("Value error, "))
                continue
            for name, value in fields.items():
                if getattr(item.spec, name) == value:
                    ruleset.notes.append(f"{origin[0]}:{origin[1]}: set.{spec.id}.{name} = "
                                         f"{value} has no effect (the rule file says the same)")
        for name, value in override.items():
            if name in spec.params and spec.params[name] == value:
                ruleset.notes.append(f"{origin[0]}:{origin[1]}: set.{spec.id}.{name} = {value} "
                                     "has no effect (the rule file says the same)")
        if spec.severity == "hard" and "weight" in fields:
            ruleset.notes.append(f"{origin[0]}:{origin[1]}: set.{spec.id}.weight has no effect "
                                 "on a hard rule (set severity: soft too)")
        params = {**spec.params, **override}
        try:
            parsed = kind.Params.model_validate(params)
        except ValidationError as exc:
            for problem in validation_problems(exc, item.file, item.locate, kind.Params,
                                               [*base, "params"]):
                param = (problem.field or "").split(".")[3:4]
                if param and param[0] in overrides.get(spec.id, {}):
                    # the bad value came from the scenario's `set`: point there
                    file, line = override_origins.get(spec.id, (item.file, None))
                    problem = Problem(file, line, None, f"set.{spec.id}.{param[0]}",
                                      problem.message)
                problems.extend([problem])
            continue
        if not _ranges_hold(spec, params, override, item, origin, problems, kind.Params):
            continue
        try:
            selector = compile_selector(spec.applies_to)
        except SelectorError as exc:
            line, col = item.locate([*base, "applies_to", exc.path])
            problems.add(item.file, line, f"applies_to.{exc.path}", str(exc), col)
            continue
        if selector.needs_move and not kind.move_rule:
            line, col = item.locate([*base, "applies_to"])
            problems.add(item.file, line, "applies_to",
                         f"a {spec.kind} rule judges cadres, not moves: move.*, from.* and to.*"
                         " paths cannot be used here", col)
            continue
        line = item.locate([*base])[0]
        ruleset.rules.append(Rule(spec, parsed, selector, item.file, line))
    problems.raise_if_any()

    enabled_ids = {rule_id for rule_id, _f, _l in enable}
    ruleset.disabled = {r.id for r in ruleset.rules if not r.spec.enabled} - enabled_ids
    ruleset.disabled |= {rule_id for rule_id, _f, _l in disable}
    return ruleset



def _ranges_hold(spec: RuleSpec, params: dict[str, Any], override: dict[str, Any],
                 item: _RawRule, origin: tuple[str, int | None], problems: ProblemCollector,
                 schema: Any) -> bool:
    """Every declared range names a parameter, and every value (each dated value) is in it;
    a value from the scenario's `set` is reported at the `set` line."""
    fine = True
    for name, lawful in spec.ranges.items():
        if name not in schema.model_fields:
            line, col = item.locate(["rules", item.index, "ranges", name])
            problems.add(item.file, line, f"ranges.{name}",
                         unknown("parameter", name, list(schema.model_fields)), col)
            fine = False
            continue
        value = params.get(name)
        values = list(value.values()) if isinstance(value, dict) else [value]
        for single in values:
            if single is None or not isinstance(single, int | float) or lawful.holds(single):
                continue
            if name in override:
                file, line = origin
            else:
                file, line = item.file, item.locate(["rules", item.index, "params"])[0]
            problems.add(file, line, f"{spec.id}.{name}",
                         f"{single:g} is outside the lawful range {lawful.describe()}")
            fine = False
    return fine
