"""Solve the planner's linear model: LP by column generation, then the integral finish.

1. LP relaxation by column generation (engines with duals: highs, glop). The restricted
   master holds every slack column and the K_CHEAPEST cheapest options of each cadre; after
   each LP, the reduced cost of every option, c − Aᵀy, is priced with one sparse product and
   the negative ones join the master. No negative reduced cost left: the master's LP optimum
   is the whole model's, a valid bound. (Engines without duals solve the whole LP at once;
   CP-SAT has no LP step.)
2. Integral finish. The model is nearly a network (one move per cadre, one holder per post
   and round), so the LP optimum is integral or a few moves away from it: integral → proven
   optimal; otherwise the fractional moves are solved as a small MIP with every other column
   fixed, and the plan's gap to the LP bound decides.
3. MIP fallback, when the finish is outside the requested gap (or fails): the whole model as
   a MIP, started from the finish's plan where the engine takes a start.

A plan within the gap but not proven optimal is labelled `within_gap`, never `optimal`.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from planner.linear import LinearModel
from planner.solver.engines import ENGINE_BY_NAME, Arrays, Result, Status, WarmLP, run

# options per cadre in the first restricted master (more rounds of pricing add the rest);
# measured on hanoi-2023 (LP CPU seconds under load): 12 → 5.0 s (its first master leaves
# hard-due cadres unplaced, 32,525 columns price in), 14 → 2.2 s, 16 → 2.0 s (4 rounds),
# 20 → 2.3 s, 24 → 2.6 s; pricing in at most a few columns per cadre each round was slower
K_CHEAPEST = 16
# a reduced cost below −PRICE_TOLERANCE prices a column into the master
PRICE_TOLERANCE = 1e-6
# the relative gap under which a plan counts as proven optimal (floating-point noise)
PROVEN = 1e-9
MAX_ROUNDS = 50


@dataclass
class Solution:
    status: Status
    values: list[float]
    objective: float
    bound: float
    gap: float
    seconds: float
    nodes: int = 0
    engine: str = ""
    phases: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    first_plan_s: float | None = None


def model_arrays(model: LinearModel) -> Arrays:
    lower, upper = model.row_bounds()
    return Arrays(model.cost_array(), model.upper_array(), model.integral_array(),
                  model.matrix(), lower, upper)


def cadre_groups(model: LinearModel) -> np.ndarray:
    """For each column, its cadre's number (−1 for slacks): the master's seed is per cadre."""
    group = np.full(model.num_columns, -1, dtype=np.int64)
    arrays = model.candidate_arrays()
    if arrays.cadre is not None:
        group[: len(arrays.cadre)] = arrays.cadre
        return group
    number: dict[str, int] = {}
    for candidate in model.candidates:
        group[candidate.index] = number.setdefault(candidate.cadre, len(number))
    return group


def cheapest_per_group(cost: np.ndarray, group: np.ndarray, k: int) -> np.ndarray:
    """Mask of the k cheapest columns of each group (ties by column index); slacks all in."""
    order = np.lexsort((np.arange(len(cost)), cost, group))
    sorted_group = group[order]
    starts = np.r_[0, np.flatnonzero(np.diff(sorted_group)) + 1]
    first = np.repeat(starts, np.diff(np.r_[starts, len(order)]))
    rank = np.arange(len(order)) - first
    keep = np.zeros(len(cost), dtype=bool)
    keep[order[rank < k]] = True
    keep[group < 0] = True
    return keep


def solve_model(model: LinearModel, engine_name: str, time_limit_s: float, gap: float,
                seed: int, threads: int = 1, log: bool = False,
                start: list[float] | None = None,
                progress: Callable[[str], None] | None = None,
                on_incumbent: Callable[[str], None] | None = None) -> Solution:
    """Solve `model` with the named engine (see the module docstring)."""
    say = progress or (lambda _m: None)
    began = time.perf_counter()
    engine = ENGINE_BY_NAME[engine_name]
    arrays = model_arrays(model)
    phases: dict[str, float] = {}
    notes: list[str] = []
    hint = np.asarray(start, dtype=np.float64) if start is not None and any(start) else None

    def left() -> float:
        return max(0.5, time_limit_s - (time.perf_counter() - began))

    def finish(status: Status, values: np.ndarray, objective: float, bound: float,
               first: float | None) -> Solution:
        rounded = np.where(arrays.integral, np.round(values), values)
        rel = _gap(objective, bound)
        if status.has_plan and status is not Status.FEASIBLE:
            status = Status.OPTIMAL if rel <= PROVEN else (
                Status.WITHIN_GAP if rel <= gap + PROVEN else Status.FEASIBLE)
        return Solution(status, rounded.tolist(), objective, bound, rel,
                        time.perf_counter() - began, 0, engine.name, phases, notes, first)

    if model.num_columns == 0:
        return Solution(Status.OPTIMAL, [], 0.0, 0.0, 0.0, 0.0, 0, engine.name)

    lp: Result | None = None
    master = np.ones(model.num_columns, dtype=bool)
    if engine.lp is not None:
        clock = time.perf_counter()
        if engine.duals:
            lp, master, rounds = _column_generation(model, arrays, engine.lp, hint, left, say)
            notes.append(f"column generation: {rounds} rounds, {int(master.sum())} of "
                         f"{model.num_columns} columns")
        else:
            lp = run(engine.lp, arrays, integral=False, time_limit_s=left(), log=log)
        phases["lp"] = time.perf_counter() - clock
        if lp.status is not Status.OPTIMAL:
            notes.append(f"LP relaxation: {lp.status}")
            lp = None
    bound = lp.bound if lp is not None else -math.inf
    first_plan: float | None = None
    best: tuple[np.ndarray, float] | None = None
    if lp is not None:
        clock = time.perf_counter()
        values = lp.values
        fractional = arrays.integral & (np.abs(values - np.round(values)) > 1e-6)
        if not fractional.any():
            phases["finish"] = time.perf_counter() - clock
            first_plan = time.perf_counter() - began
            _report(on_incumbent, lp.objective, bound)
            return finish(Status.OPTIMAL, values, lp.objective, bound, first_plan)
        # fix every integral column the LP already decided (and those outside the master
        # at 0); the few fractional moves become a small MIP
        fixed = (arrays.integral & ~fractional) | ~master
        value = np.where(master, np.round(values), 0.0)
        part = _fixed_mip(engine.mip, arrays, fixed, value, 0.0, seed, threads, left(), log)
        phases["finish"] = time.perf_counter() - clock
        notes.append(f"integral finish: {int(fractional.sum())} fractional moves")
        if part.status.has_plan:
            first_plan = time.perf_counter() - began
            best = (part.values, part.objective)
            _report(on_incumbent, part.objective, bound)
            if _gap(part.objective, bound) <= gap + PROVEN:
                return finish(Status.OPTIMAL, part.values, part.objective, bound, first_plan)
        if not master.all():
            # price-and-branch: the MIP over the columns the LP priced in (its optimum's
            # support and their neighbours; the rest stay 0) — a few percent of the whole
            # model, so it proves the gap where the whole MIP would not finish in time
            clock = time.perf_counter()
            restricted = _fixed_mip(engine.mip, arrays, ~master, np.zeros(model.num_columns),
                                    gap, seed, threads, 0.6 * left(), log,
                                    hint=None if best is None else best[0])
            phases["master_mip"] = time.perf_counter() - clock
            notes.append(f"MIP over the {int(master.sum())} priced-in columns: "
                         f"{restricted.status}")
            if restricted.status.has_plan and (best is None
                                               or restricted.objective < best[1]):
                if first_plan is None:
                    first_plan = time.perf_counter() - began
                best = (restricted.values, restricted.objective)
                _report(on_incumbent, restricted.objective, bound)
                if _gap(restricted.objective, bound) <= gap + PROVEN:
                    return finish(Status.OPTIMAL, restricted.values, restricted.objective,
                                  bound, first_plan)
    # the MIP fallback: the whole model, from the best plan so far
    clock = time.perf_counter()
    start_values = best[0] if best is not None else hint
    whole = run(engine.mip, arrays, integral=True, time_limit_s=left(), gap=gap, seed=seed,
                threads=threads, log=log, hint=start_values)
    phases["mip"] = time.perf_counter() - clock
    notes.append(f"MIP fallback ({engine.mip}): {whole.status}")
    # (the whole MIP may meet the finish's plan to the last digit only: 90.01063000001)
    if whole.status.has_plan and (best is None or whole.objective
                                  <= best[1] + PROVEN * max(1.0, abs(best[1]))):
        if first_plan is None:
            first_plan = time.perf_counter() - began
        if not engine.mip_bound and whole.status is Status.OPTIMAL:
            # the engine stopped at the gap but does not report its bound: within the gap by
            # its word (proven optimal only at gap 0), not by a bound we can show
            _report(on_incumbent, whole.objective, bound)
            proven = gap == 0
            return Solution(Status.OPTIMAL if proven else Status.WITHIN_GAP, np.where(
                arrays.integral, np.round(whole.values), whole.values).tolist(),
                whole.objective, whole.objective if proven else bound,
                0.0 if proven else min(gap, _gap(whole.objective, bound)),
                time.perf_counter() - began, 0, engine.name, phases, notes, first_plan)
        mip_bound = whole.bound if engine.mip_bound and math.isfinite(whole.bound) else -math.inf
        bound = max(bound, mip_bound)
        status = whole.status
        _report(on_incumbent, whole.objective, bound)
        return finish(status, whole.values, whole.objective, bound, first_plan)
    if best is not None:
        return finish(Status.FEASIBLE, best[0], best[1], bound, first_plan)
    status = whole.status if whole.status in (Status.INFEASIBLE, Status.UNBOUNDED) else \
        Status.NO_SOLUTION
    return Solution(status, [0.0] * model.num_columns, math.nan, bound, math.inf,
                    time.perf_counter() - began, 0, engine.name, phases, notes, None)


def _column_generation(model: LinearModel, arrays: Arrays, solver: str,
                       hint: np.ndarray | None, left: Callable[[], float],
                       say: Callable[[str], None]) -> tuple[Result, np.ndarray, int]:
    """The LP optimum of the whole model, by pricing columns into a restricted master.

    Stops when no column prices in, or when the Lagrangian bound z + Σ min(0, d_j)·u_j over
    the columns left out meets the master's optimum z: then z is the whole LP's optimum (to
    PROVEN), even if degenerate duals still price in columns that cannot lower it."""
    group = cadre_groups(model)
    master = cheapest_per_group(arrays.cost, group, K_CHEAPEST)
    if hint is not None:
        master |= hint > 0.5
    # one column-major copy serves the master's columns and, transposed (a view), pricing
    csc = arrays.matrix.tocsc()
    transposed = csc.T
    full = Arrays(arrays.cost, arrays.upper, arrays.integral, csc, arrays.row_lower,
                  arrays.row_upper)
    warm = WarmLP(arrays, csc) if solver == "highspy" else None
    if warm is not None:
        warm.add(np.flatnonzero(master))
    rounds = 0
    previous: Result | None = None
    while True:
        rounds += 1
        columns = np.flatnonzero(master)
        if warm is not None:
            result = warm.solve(0.7 * left())
        else:
            result = run(solver, full.columns(columns), integral=False,
                         time_limit_s=0.7 * left())
            if result.status is Status.OPTIMAL:
                values = np.zeros(model.num_columns)
                values[columns] = result.values
                result.values = values
        if result.status is not Status.OPTIMAL or result.duals is None:
            if previous is not None:
                # the clock ran out mid-pricing: the last master's optimum is a plan-worthy
                # LP point, its Lagrangian bound still a valid bound
                return previous, master, rounds
            return result, master, rounds
        reduced = arrays.cost - transposed @ result.duals
        outside = ~master
        entering = (reduced < -PRICE_TOLERANCE) & outside
        bound = result.objective + float(np.minimum(reduced[outside], 0.0) @ np.where(
            np.isfinite(arrays.upper[outside]), arrays.upper[outside], 1e12))
        say(f"column generation round {rounds}: {len(columns)} columns, LP "
            f"{result.objective:.3f}, bound {bound:.3f}, {int(entering.sum())} priced in")
        if not entering.any() or _gap(result.objective, bound) <= PROVEN \
                or rounds >= MAX_ROUNDS:
            return Result(Status.OPTIMAL, result.values, result.objective,
                          bound if entering.any() else result.objective,
                          result.duals), master, rounds
        previous = Result(Status.OPTIMAL, result.values, result.objective, bound, result.duals)
        master |= entering
        if warm is not None:
            warm.add(np.flatnonzero(entering))


def _fixed_mip(solver: str, arrays: Arrays, fixed: np.ndarray, value: np.ndarray,
               gap: float, seed: int, threads: int, time_limit_s: float, log: bool,
               hint: np.ndarray | None = None) -> Result:
    """The MIP over the free columns (to `gap`), the fixed ones moved into the row bounds."""
    free = np.flatnonzero(~fixed)
    activity = arrays.matrix @ np.where(fixed, value, 0.0)
    part = Arrays(arrays.cost[free], arrays.upper[free], arrays.integral[free],
                  arrays.matrix.tocsc()[:, free].tocsr(), arrays.row_lower - activity,
                  arrays.row_upper - activity)
    result = run(solver, part, integral=True, time_limit_s=time_limit_s, gap=gap,
                 seed=seed, threads=threads, log=log,
                 hint=None if hint is None else hint[free])
    if not result.status.has_plan:
        return result
    values = np.where(fixed, value, 0.0)
    values[free] = result.values
    return Result(result.status, values, float(arrays.cost @ values), -math.inf)


def _gap(objective: float, bound: float) -> float:
    if not math.isfinite(objective):
        return math.inf
    if not math.isfinite(bound):
        return math.inf
    return abs(objective - bound) / max(abs(objective), 1e-9)


def _report(on_incumbent: Callable[[str], None] | None, objective: float,
            bound: float) -> None:
    if on_incumbent is not None:
        on_incumbent(f"incumbent {objective:g}, bound {bound:g}, gap "
                     f"{100 * _gap(objective, bound):.2f}%")
