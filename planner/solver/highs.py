"""Solve a LinearModel with HiGHS through highspy, monolithically: the benchmark's
`highs-mono` peer (the planner's solver before OR-Tools and column generation). Deterministic
single thread, fixed seed."""

from __future__ import annotations

import math
import os
import sys
import time
from collections.abc import Callable
from typing import Any

import highspy
import numpy as np

from planner.linear import LinearModel
from planner.solver.engines import Status
from planner.solver.solve import Solution


def _quiet_highs() -> highspy.Highs:
    """A Highs instance, constructed with the C library's banner kept off our stdout."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 1)
            highs = highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)
    return highs


Incumbent = Callable[[float, float, float], None]


def solve(model: LinearModel, time_limit_s: float, gap: float, seed: int,
          log: bool = False, start: list[float] | None = None,
          on_incumbent: Incumbent | None = None) -> Solution:
    """Solve to the requested relative gap (or the time limit); values rounded to 0/1."""
    started = time.perf_counter()
    highs = _quiet_highs()
    highs.setOptionValue("output_flag", log)
    highs.setOptionValue("threads", 1)
    highs.setOptionValue("random_seed", seed)
    highs.setOptionValue("mip_rel_gap", gap)
    highs.setOptionValue("time_limit", float(time_limit_s))
    inf = highspy.kHighsInf
    num_cols = len(model.costs)
    lower = np.zeros(num_cols)
    upper = np.array([u if math.isfinite(u) else inf for u in model.upper])
    highs.addVars(num_cols, lower, upper)
    highs.changeColsCost(num_cols, np.arange(num_cols, dtype=np.int32),
                         np.array(model.costs, dtype=np.float64))
    integral = [i for i, flag in enumerate(model.integral) if flag]
    if integral:
        highs.changeColsIntegrality(len(integral), np.array(integral, dtype=np.int32),
                                    np.full(len(integral), highspy.HighsVarType.kInteger))
    if model.num_rows:
        matrix = model.matrix()
        row_lower, row_upper = model.row_bounds()
        highs.addRows(matrix.shape[0], np.where(np.isfinite(row_lower), row_lower, -inf),
                      np.where(np.isfinite(row_upper), row_upper, inf), matrix.nnz,
                      matrix.indptr[:-1].astype(np.int32), matrix.indices.astype(np.int32),
                      matrix.data.astype(np.float64))
    if integral and (start is None or not any(start)):
        # LP first: the model is nearly a network (one move per cadre, one holder per post),
        # so its LP optimum is integral or a few fractional moves away from it
        found, start = _lp_and_fix(highs, model, integral, gap, time_limit_s, started)
        if found is not None:
            return found
    if start is not None and any(start):
        # a partial start (the earlier plan's moves, or the LP-and-fix plan); HiGHS completes
        # or repairs it
        guess = highspy.HighsSolution()
        guess.col_value = list(start)
        guess.value_valid = True
        highs.setSolution(guess)
    highs.setOptionValue("time_limit", max(
        1.0, highs.getRunTime() + time_limit_s - (time.perf_counter() - started)))
    if on_incumbent is not None:
        def improving(event: Any) -> None:
            data = event.data_out
            on_incumbent(data.objective_function_value, data.mip_dual_bound, data.mip_gap)

        highs.cbMipImprovingSolution.subscribe(improving)
    highs.run()
    status = highs.getModelStatus()
    info = highs.getInfo()
    has_solution = info.primal_solution_status == 2  # kSolutionStatusFeasible
    values = list(highs.getSolution().col_value) if has_solution else [0.0] * num_cols
    if status == highspy.HighsModelStatus.kOptimal:
        # HiGHS stops at mip_rel_gap: proven optimal only when its gap is closed
        label = Status.OPTIMAL if not integral or info.mip_gap <= 1e-9 else Status.WITHIN_GAP
    elif status == highspy.HighsModelStatus.kInfeasible:
        label = Status.INFEASIBLE
    elif has_solution:
        label = Status.FEASIBLE
    else:
        label = Status.NO_SOLUTION
    objective = info.objective_function_value if has_solution else math.nan
    bound = info.mip_dual_bound if integral else objective
    gap_value = info.mip_gap if integral and has_solution else 0.0
    if not math.isfinite(gap_value) or gap_value > 1e20:
        gap_value = math.inf
    return Solution(label, [round(v) if model.integral[i] else v for i, v in enumerate(values)],
                    objective, bound, gap_value, time.perf_counter() - started,
                    int(info.mip_node_count) if integral else 0)


def _lp_and_fix(highs: highspy.Highs, model: LinearModel, integral: list[int], gap: float,
                time_limit_s: float, started: float) -> tuple[Solution | None, list[float] | None]:
    """Solve the LP relaxation; if it is integral, that is the optimum. Otherwise fix every
    column the LP already made 0 or 1 and solve the small MIP over the fractional rest: a
    plan whose gap to the LP bound is known. Return it if within `gap`, else only its values
    (a warm start for the full MIP). The model's integrality and bounds are restored."""
    columns = np.array(integral, dtype=np.int32)
    highs.changeColsIntegrality(len(columns), columns,
                                np.full(len(columns), highspy.HighsVarType.kContinuous))
    highs.run()
    lp_ok = highs.getModelStatus() == highspy.HighsModelStatus.kOptimal
    values = np.array(highs.getSolution().col_value) if lp_ok else None
    bound = highs.getInfo().objective_function_value if lp_ok else -math.inf
    highs.changeColsIntegrality(len(columns), columns,
                                np.full(len(columns), highspy.HighsVarType.kInteger))
    if values is None:
        return None, None
    integral_values = values[columns]
    fractional = np.abs(integral_values - np.round(integral_values)) > 1e-6
    if not fractional.any():
        rounded = [float(round(v)) if model.integral[i] else float(v)
                   for i, v in enumerate(values)]
        return Solution(Status.OPTIMAL, rounded, bound, bound, 0.0,
                        time.perf_counter() - started, 0), None
    fixed = columns[~fractional]
    fixed_values = np.round(values[fixed])
    highs.changeColsBounds(len(fixed), fixed, fixed_values, fixed_values)
    highs.setOptionValue("time_limit", max(
        1.0, highs.getRunTime() + time_limit_s - (time.perf_counter() - started)))
    highs.run()
    info = highs.getInfo()
    found = info.primal_solution_status == 2
    fixed_values_all = list(highs.getSolution().col_value) if found else None
    objective = info.objective_function_value if found else math.nan
    inf = highspy.kHighsInf
    highs.changeColsBounds(len(fixed), fixed, np.zeros(len(fixed)),
                           np.array([model.upper[c] if math.isfinite(model.upper[c]) else inf
                                     for c in fixed]))
    if fixed_values_all is None:
        return None, None
    rounded = [float(round(v)) if model.integral[i] else float(v)
               for i, v in enumerate(fixed_values_all)]
    rel_gap = abs(objective - bound) / max(abs(objective), 1e-9)
    if rel_gap <= gap + 1e-9:
        return Solution(Status.OPTIMAL if rel_gap <= 1e-9 else Status.WITHIN_GAP, rounded,
                        objective, bound, rel_gap, time.perf_counter() - started,
                        int(info.mip_node_count)), None
    return None, rounded
