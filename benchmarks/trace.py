"""Anytime traces of MIP solves: when the first plan appeared and when the gap reached 1%.

HiGHS: every `highspy.Highs` built while a tracer is installed is a subclass that subscribes
to `kCallbackMipImprovingSolution` (each new incumbent) and `kCallbackMipInterrupt` (called
throughout branch and bound; we record a point only when the incumbent or the dual bound
changed). This observes the planner's own code path (`planner.solver.highs.solve`, called
per component by `solve_by_components`) without changing it. CP-SAT: a solution callback
and `best_bound_callback` feed the same kind of trace.

The planner's `solve` may run one Highs instance several times (LP relaxation first, then a
MIP over the fractional rest with the other columns fixed, then the full MIP): an LP run
counts as a plan only if its optimum is integral, and after an LP run the LP value is the
bound used (a MIP over a restricted model has no valid bound of its own).

A decomposed solve runs its components one after another, so a complete plan exists only
once the last component has an incumbent; the combined objective and bound at a moment of
that last solve are the finished components' final values plus the last one's current ones
(plus the free columns' constant). `milestones` computes exactly that, so the numbers for
our decomposed planner and for a monolithic solver mean the same thing.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Any


def gap_of(objective: float, bound: float) -> float:
    """|objective − bound| / |objective| (HiGHS's and the planner's definition)."""
    if not (math.isfinite(objective) and math.isfinite(bound)):
        return math.inf
    if objective == bound:
        return 0.0
    return abs(objective - bound) / max(1e-9, abs(objective))


@dataclass
class Point:
    t: float  # seconds since the tracer's origin
    primal: float
    dual: float


@dataclass
class SolveTrace:
    """One solver call: its points and the final incumbent/bound."""

    started: float = 0.0
    ended: float | None = None
    points: list[Point] = field(default_factory=list)
    objective: float = math.nan
    bound: float = -math.inf
    has_solution: bool = False
    lp_bound: float | None = None  # set once an LP relaxation ran on this instance

    def add(self, t: float, primal: float, dual: float) -> None:
        primal = primal if math.isfinite(primal) and abs(primal) < 1e29 else math.inf
        dual = dual if math.isfinite(dual) and abs(dual) < 1e29 else -math.inf
        if self.points and self.points[-1].primal == primal and self.points[-1].dual == dual:
            return
        self.points.append(Point(t, primal, dual))


@dataclass
class Tracer:
    origin: float = field(default_factory=time.perf_counter)
    solves: list[SolveTrace] = field(default_factory=list)

    def now(self) -> float:
        return time.perf_counter() - self.origin

    def reset(self) -> None:
        self.origin = time.perf_counter()
        self.solves.clear()


def install_highs_tracer(tracer: Tracer) -> None:
    """Make every later `highspy.Highs()` a traced instance (this process only)."""
    import highspy

    base = highspy.Highs
    if getattr(base, "_benchmark_traced", False):
        return

    class TracedHighs(base):  # type: ignore[misc, valid-type]
        _benchmark_traced = True

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._trace = SolveTrace(started=tracer.now())
            tracer.solves.append(self._trace)
            self.cbMipImprovingSolution.subscribe(self._on_event)
            self.cbMipInterrupt.subscribe(self._on_event)

        def _dual(self, mip_dual: float) -> float:
            # after an LP run on this instance, MIP runs may be over a restricted model (the
            # planner's fix-and-finish): only the LP value is a bound we know is valid
            lp_bound = self._trace.lp_bound
            return mip_dual if lp_bound is None else lp_bound

        def _on_event(self, event: Any) -> None:
            data = event.data_out
            self._trace.add(tracer.now(), data.mip_primal_bound, self._dual(data.mip_dual_bound))

        def run(self) -> Any:
            trace = self._trace
            if trace.ended is None:
                trace.started = tracer.now()
            status = super().run()
            trace.ended = tracer.now()
            info = self.getInfo()
            feasible = info.primal_solution_status == 2
            if info.mip_node_count < 0:  # an LP run (integrality dropped)
                if feasible:
                    value = info.objective_function_value
                    trace.lp_bound = value
                    if _integral(self.getSolution().col_value):  # the LP optimum is a plan
                        trace.has_solution, trace.objective, trace.bound = True, value, value
                        trace.add(trace.ended, value, value)
                return status
            if feasible:
                trace.has_solution = True
                trace.objective = info.objective_function_value
                trace.bound = self._dual(info.mip_dual_bound)
                trace.add(trace.ended, trace.objective, trace.bound)
            return status

    highspy.Highs = TracedHighs  # type: ignore[misc]


def _integral(values: Any) -> bool:
    import numpy as np

    array = np.asarray(values, dtype=float)
    return bool(np.all(np.abs(array - np.round(array)) <= 1e-6))


@dataclass
class Milestones:
    first_plan_s: float | None
    gap_1pct_s: float | None


def milestones(solves: list[SolveTrace], final_objective: float, final_bound: float,
               target_gap: float = 0.01) -> Milestones:
    """First complete plan and first moment the combined gap ≤ target, for solves run one
    after another (a single monolithic solve is the one-element case)."""
    if not solves:
        return Milestones(0.0, 0.0 if gap_of(final_objective, final_bound) <= target_gap
                          else None)
    last = solves[-1]
    done = solves[:-1]
    # free columns (components without rows) are solved exactly outside HiGHS: their share
    # of the objective is also their share of the bound
    const = final_objective - sum(s.objective for s in done) - (
        last.objective if last.has_solution else 0.0)
    prefix_obj = const + sum(s.objective for s in done)
    prefix_bound = const + sum(s.bound for s in done)
    first: float | None = None
    reached: float | None = None
    for point in last.points:
        if not math.isfinite(point.primal):
            continue
        if first is None:
            first = point.t
        if reached is None and gap_of(prefix_obj + point.primal,
                                      prefix_bound + point.dual) <= target_gap + 1e-12:
            reached = point.t
            break
    if reached is None and first is not None and gap_of(final_objective,
                                                        final_bound) <= target_gap + 1e-12:
        reached = last.ended if last.ended is not None else last.points[-1].t
    return Milestones(first, reached)


def series_milestones(points: list[Point], target_gap: float = 0.01) -> Milestones:
    """Milestones of one anytime solver (CP-SAT) from its merged (time, primal, dual) points;
    a bound-only point keeps the last incumbent."""
    first: float | None = None
    incumbent = math.inf
    bound = -math.inf
    for point in sorted(points, key=lambda p: p.t):
        if math.isfinite(point.primal):
            incumbent = point.primal
            if first is None:
                first = point.t
        if math.isfinite(point.dual):
            bound = max(bound, point.dual)
        if math.isfinite(incumbent) and gap_of(incumbent, bound) <= target_gap + 1e-12:
            return Milestones(first, point.t)
    return Milestones(first, None)
