"""The `applies_to` selector language (DESIGN §2.3), evaluated without ever calling eval.

A selector maps dotted paths to conditions: a scalar means equals, a list means any of,
`{not: …}` negates, `{min: …, max: …}` bounds a number. Paths name fields of the cadre, of
their current position, unit and locality, and of a move (`move.form`, `from.*`, `to.*`).
List-valued fields (skills, pool) match when any element matches.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from planner.errors import did_you_mean

# Fields of a place (a position with its unit and locality), readable under position./from./to.
PLACE_FIELDS = ("id", "role", "grade", "key", "listed_sector", "profession", "skills", "title",
                "unit", "bloc", "unit_kind", "sector", "locality", "level", "locality_kind")
CADRE_FIELDS = ("id", "gender", "status", "profession", "skills", "pool", "volunteer",
                "hometown", "age")
PATHS: tuple[str, ...] = (
    *(f"cadre.{f}" for f in CADRE_FIELDS),
    *(f"position.{f}" for f in PLACE_FIELDS),
    "unit.id", "unit.bloc", "unit.kind", "unit.sector",
    "locality.id", "locality.level", "locality.kind",
    "move.form", "move.direction",
    *(f"from.{f}" for f in PLACE_FIELDS),
    *(f"to.{f}" for f in PLACE_FIELDS),
)
MOVE_PATH_ROOTS = ("move.", "from.", "to.")


class SelectorError(ValueError):
    """A selector that cannot be compiled; `path` is the offending key."""

    def __init__(self, path: str, message: str):
        super().__init__(message)
        self.path = path


@dataclass(frozen=True)
class Condition:
    path: str
    equals: tuple[str, ...] | None = None
    negate: bool = False
    low: float | None = None
    high: float | None = None

    def holds(self, value: Any) -> bool:
        values = value if isinstance(value, tuple | list | frozenset) else (value,)
        if self.equals is not None:
            hit = any(_text(v) in self.equals for v in values)
            if not values:
                hit = "" in self.equals
            return hit != self.negate
        numbers = [v for v in values if isinstance(v, int | float)]
        if not numbers:
            return False
        ok = any((self.low is None or n >= self.low) and (self.high is None or n <= self.high)
                 for n in numbers)
        return ok != self.negate


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


@dataclass(frozen=True)
class Selector:
    """A compiled selector: all conditions must hold."""

    conditions: tuple[Condition, ...] = ()

    @property
    def needs_move(self) -> bool:
        return any(c.path.startswith(MOVE_PATH_ROOTS) for c in self.conditions)

    def matches(self, context: Mapping[str, Any]) -> bool:
        """Evaluate on a flat context {path: value}. Paths absent from it do not constrain:
        a cadre-level question ignores move conditions, which are judged per move."""
        for condition in self.conditions:
            if condition.path in context and not condition.holds(context[condition.path]):
                return False
        return True


def compile_selector(spec: Mapping[str, Any] | None) -> Selector:
    """Compile an `applies_to` mapping; SelectorError names the bad path or condition."""
    if not spec:
        return Selector()
    conditions = []
    for path, condition in spec.items():
        if path not in PATHS:
            raise SelectorError(path, f"unknown selector path '{path}'{did_you_mean(path, PATHS)}")
        conditions.append(_condition(path, condition))
    return Selector(tuple(conditions))


def _condition(path: str, spec: Any) -> Condition:
    if isinstance(spec, Mapping):
        keys = set(spec)
        if not keys:
            raise SelectorError(path, f"empty condition {{}} for '{path}' (expected a value, "
                                "a list, {not: …} or {min: …, max: …})")
        if keys == {"not"}:
            inner = _condition(path, spec["not"])
            return Condition(path, inner.equals, not inner.negate, inner.low, inner.high)
        if keys and keys <= {"min", "max"}:
            for key in keys:
                if not isinstance(spec[key], int | float) or isinstance(spec[key], bool) \
                        or not math.isfinite(spec[key]):
                    raise SelectorError(path, f"'{key}' of '{path}' must be a finite number")
            return Condition(path, low=spec.get("min"), high=spec.get("max"))
        bad = sorted(keys - {"not", "min", "max"}) or sorted(keys)
        raise SelectorError(path, f"unknown condition '{bad[0]}' for '{path}'"
                            f"{did_you_mean(bad[0], ('not', 'min', 'max'))}"
                            " (expected a value, a list, {not: …} or {min: …, max: …})")
    if isinstance(spec, list):
        return Condition(path, equals=tuple(_text(v) for v in spec))
    return Condition(path, equals=(_text(spec),))
