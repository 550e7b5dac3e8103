"""One clock for a whole run: every phase (candidates, model, solve, conflict core, relaxation
search) stops at the same deadline, made once from the time limit, and says what it reached.

Why a scope (a context variable) and not a parameter: the phases nest deeply — the relaxation
search re-plans, re-planning builds candidates and a model, the model asks every rule kind to
encode itself — and a parameter would have to pass through every kind's hooks. A phase opens
`scope(seconds)`; a nested scope can only shorten the deadline, never extend it, so a
re-plan inside the relaxation search stops when the whole run must stop. Loops call
`check(phase, done, total)` at their heads: past the deadline it raises `TimeLimitReached`,
which names the phase and how far it got, in planner terms.
"""

from __future__ import annotations

import contextvars
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

# how much of the time limit a run may overrun (the promise the README makes: a run stops
# within limit × OVERRUN); phases keep this much slack for what follows the deadline (writing
# the plan folder, describing what was reached)
OVERRUN = 1.2


class TimeLimitReached(TimeoutError):
    """The time limit ran out during `phase`, after `done` of `total` steps."""

    def __init__(self, phase: str, done: int | None = None, total: int | None = None,
                 unit: str = "", limit: float | None = None):
        self.phase = phase
        self.done = done
        self.total = total
        self.unit = unit
        self.limit = limit
        reached = f" ({done} of {total} {unit})" if done is not None and total else ""
        within = f" of {limit:g} s" if limit is not None else ""
        super().__init__(f"time limit{within} reached while {phase}{reached}")


@dataclass(frozen=True)
class Deadline:
    """A point in time (perf_counter seconds) and the limit it was made from."""

    at: float
    limit: float

    @classmethod
    def after(cls, seconds: float) -> Deadline:
        return cls(time.perf_counter() + seconds, seconds)

    def remaining(self) -> float:
        return max(0.0, self.at - time.perf_counter())

    def expired(self) -> bool:
        return time.perf_counter() >= self.at

    def share(self, fraction: float) -> Deadline:
        """A deadline `fraction` of the remaining time from now (one phase's part), never
        later than this one."""
        now = time.perf_counter()
        return Deadline(min(self.at, now + fraction * max(0.0, self.at - now)), self.limit)


_CURRENT: contextvars.ContextVar[Deadline | None] = contextvars.ContextVar(
    "planner_deadline", default=None)


def current() -> Deadline | None:
    """The innermost deadline in force (None outside any scope: no limit)."""
    return _CURRENT.get()


@contextmanager
def scope(seconds: float | None = None, deadline: Deadline | None = None) -> Iterator[Deadline]:
    """Run the block under a deadline `seconds` from now (or `deadline`), or the enclosing
    one if that comes first."""
    outer = _CURRENT.get()
    mine = deadline if deadline is not None else Deadline.after(
        seconds if seconds is not None else float("inf"))
    if outer is not None and outer.at <= mine.at:
        mine = outer
    token = _CURRENT.set(mine)
    try:
        yield mine
    finally:
        _CURRENT.reset(token)


def remaining(default: float) -> float:
    """Seconds left under the current deadline, at most `default` (a phase's own limit)."""
    found = _CURRENT.get()
    return default if found is None else min(default, found.remaining())


def check(phase: str, done: int | None = None, total: int | None = None,
          unit: str = "") -> None:
    """Raise TimeLimitReached if the current deadline has passed (cheap: call at loop heads)."""
    found = _CURRENT.get()
    if found is not None and time.perf_counter() >= found.at:
        raise TimeLimitReached(phase, done, total, unit, found.limit)
