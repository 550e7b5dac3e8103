"""The engines inside OR-Tools that solve the planner's linear model, behind one interface.

The model arrives as arrays (planner/linear.py) and goes to OR-Tools' model_builder in one
call, `ModelBuilderHelper.fill_model_from_sparse_data` (a scipy CSR matrix); the engine is
picked by name. Engines differ in what they give back, which decides how the solve uses them:

  glop   GLOP simplex: LP with duals → column generation; integral finish by SCIP
  highs  HiGHS: the LP through highspy, kept between rounds of column generation (a warm
         start; OR-Tools' HiGHS wrapper returns no duals), the MIPs by HiGHS inside
         OR-Tools (which reports no MIP bound: a MIP it ends at the gap is `within_gap`)
  scip   SCIP: LP and MIP, no duals → the whole LP at once, then its MIP
  sat    CP-SAT: MIP only (no LP) → straight to the MIP

Every engine runs single-threaded unless `solver.threads` says otherwise, with the scenario's
seed; statuses map to the planner's own `Status`.
"""

from __future__ import annotations

import math
import os
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import numpy as np
import scipy.sparse as sp
from ortools.linear_solver.python import model_builder_helper as mbh

from planner.models import ENGINES


class Status(StrEnum):
    """How a solve ended, in the planner's terms (plan.yaml's `status`)."""

    OPTIMAL = "optimal"  # proven optimal: the plan's objective meets the bound
    WITHIN_GAP = "within_gap"  # within the requested gap of the bound, not proven optimal
    FEASIBLE = "feasible"  # a plan, but the time limit ended the search outside the gap
    INFEASIBLE = "infeasible"
    UNBOUNDED = "unbounded"
    NO_SOLUTION = "no_solution"  # the time limit passed before any plan was found

    @property
    def has_plan(self) -> bool:
        return self in (Status.OPTIMAL, Status.WITHIN_GAP, Status.FEASIBLE)


@dataclass(frozen=True)
class Engine:
    name: str
    lp: str | None  # OR-Tools solver for the LP relaxation (None: no LP step)
    duals: bool  # the LP solver returns duals: column generation prices with them
    mip: str  # OR-Tools solver for integral solves
    mip_bound: bool  # the MIP solver reports its dual bound


ENGINE_BY_NAME = {
    "glop": Engine("glop", "glop", True, "scip", True),
    "highs": Engine("highs", "highspy", True, "highs", False),
    "scip": Engine("scip", "scip", False, "scip", True),
    "sat": Engine("sat", None, False, "sat", True),
}
assert tuple(sorted(ENGINE_BY_NAME)) == tuple(sorted(ENGINES))


@dataclass
class Arrays:
    """min cost·x, row_lower ≤ A·x ≤ row_upper, 0 ≤ x ≤ upper, x integral where marked."""

    cost: np.ndarray
    upper: np.ndarray
    integral: np.ndarray
    matrix: sp.csr_matrix
    row_lower: np.ndarray
    row_upper: np.ndarray

    def columns(self, keep: np.ndarray) -> Arrays:
        """The same rows over a subset of columns (the restricted master)."""
        csc = self.matrix.tocsc() if not sp.isspmatrix_csc(self.matrix) else self.matrix
        return Arrays(self.cost[keep], self.upper[keep], self.integral[keep],
                      csc[:, keep].tocsr(), self.row_lower, self.row_upper)


@dataclass
class Result:
    status: Status
    values: np.ndarray
    objective: float
    bound: float  # -inf when the engine does not report one
    duals: np.ndarray | None = None


_STATUS = {
    mbh.SolveStatus.OPTIMAL: Status.OPTIMAL,
    mbh.SolveStatus.FEASIBLE: Status.FEASIBLE,
    mbh.SolveStatus.INFEASIBLE: Status.INFEASIBLE,
    mbh.SolveStatus.UNBOUNDED: Status.UNBOUNDED,
}


def _parameters(solver: str, gap: float, seed: int, threads: int) -> str:
    """Engine-specific parameter text (each engine's own syntax)."""
    if solver == "highs":
        return f"mip_rel_gap={gap:g}\nrandom_seed={seed}\nthreads={threads}"
    if solver == "scip":
        return f"limits/gap = {gap:g}\nrandomization/randomseedshift = {seed}"
    if solver == "sat":
        return f"relative_gap_limit:{gap:g} num_workers:{threads} random_seed:{seed}"
    return ""


def run(solver: str, arrays: Arrays, *, integral: bool, time_limit_s: float, gap: float = 0.0,
        seed: int = 0, threads: int = 1, log: bool = False,
        hint: np.ndarray | None = None) -> Result:
    """Solve the arrays with one OR-Tools solver (LP if not `integral`)."""
    model = mbh.ModelBuilderHelper()
    as_float = np.ascontiguousarray
    fill: Any = model.fill_model_from_sparse_data  # its stub mistypes numpy arrays
    fill(
        np.zeros(len(arrays.cost)), as_float(arrays.upper, dtype=np.float64),
        as_float(arrays.cost, dtype=np.float64), as_float(arrays.row_lower, dtype=np.float64),
        as_float(arrays.row_upper, dtype=np.float64), arrays.matrix)
    if integral:
        for column in np.flatnonzero(arrays.integral).tolist():
            model.set_var_integrality(column, True)
        if hint is not None and solver != "highs":  # OR-Tools drops HiGHS hints
            for column in np.flatnonzero(hint).tolist():
                model.add_hint(column, float(hint[column]))
    engine = mbh.ModelSolverHelper(solver)
    engine.set_time_limit_in_seconds(max(0.5, float(time_limit_s)))
    parameters = _parameters(solver, gap, seed, threads)
    if parameters:
        engine.set_solver_specific_parameters(parameters)
    engine.enable_output(log)
    with _banner_off(not log):
        if solver == "highs":
            _in_own_thread(lambda: engine.solve(model))
        else:
            engine.solve(model)
    status = _STATUS.get(engine.status(), Status.NO_SOLUTION)
    if not engine.has_solution() or not status.has_plan:
        status = status if status in (Status.INFEASIBLE, Status.UNBOUNDED) else \
            Status.NO_SOLUTION
        return Result(status, np.zeros(len(arrays.cost)), math.nan, -math.inf)
    values = np.asarray(engine.variable_values(), dtype=np.float64)
    objective = float(engine.objective_value())
    bound = float(engine.best_objective_bound()) if integral else objective
    duals = None
    if not integral and ENGINE_BY_NAME.get(solver, ENGINE_BY_NAME["glop"]).duals:
        duals = np.asarray(engine.dual_values(), dtype=np.float64)
    return Result(status, values, objective, bound, duals)


def _in_own_thread(work: Callable[[], object]) -> None:
    """Run `work` on a fresh thread. HiGHS sizes its task scheduler once per calling thread
    and then refuses any solve asking another `threads` count (no plan, "global scheduler
    has already been initialized"); a fresh thread gets a scheduler of its own, which ends
    with the thread (HiGHS PR #818)."""
    failed: list[BaseException] = []

    def body() -> None:
        try:
            work()
        except BaseException as error:  # re-raised on the caller's thread
            failed.append(error)

    thread = threading.Thread(target=body, name="highs-solve")
    thread.start()
    thread.join()
    if failed:
        raise failed[0]


class _banner_off:
    """Keep a C library's banner (HiGHS prints one per solve) off the planner's stdout."""

    def __init__(self, active: bool):
        self.active = active
        self.saved = -1

    def __enter__(self) -> None:
        if not self.active:
            return
        sys.stdout.flush()
        self.saved = os.dup(1)
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 1)

    def __exit__(self, *_exc: object) -> None:
        if self.saved >= 0:
            os.dup2(self.saved, 1)
            os.close(self.saved)
            self.saved = -1


class WarmLP:
    """HiGHS (highspy) holding the restricted master between rounds of column generation:
    new columns join the solved LP, and the dual simplex goes on from the last basis."""

    def __init__(self, arrays: Arrays, csc: sp.csc_matrix | None = None):
        import highspy

        self.highspy = highspy
        with _banner_off(True):
            self.highs = highspy.Highs()
        self.highs.setOptionValue("output_flag", False)
        self.highs.setOptionValue("threads", 1)
        self.highs.setOptionValue("random_seed", 0)
        # the objective's own tie-breaks (planner.solver.build.tie_break) already make the
        # optimum unique; the dual simplex's cost perturbation on top doubled its iterations
        # (hanoi-2023's first master: 8,997 → 4,995 iterations, the same optimum)
        self.highs.setOptionValue("dual_simplex_cost_perturbation_multiplier", 0.0)
        self.arrays = arrays
        self.csc = csc if csc is not None else arrays.matrix.tocsc()
        self.columns: list[int] = []
        inf = highspy.kHighsInf
        rows = arrays.matrix.shape[0]
        self.highs.addRows(rows, np.where(np.isfinite(arrays.row_lower), arrays.row_lower, -inf),
                           np.where(np.isfinite(arrays.row_upper), arrays.row_upper, inf), 0,
                           np.zeros(rows, dtype=np.int32), np.zeros(0, dtype=np.int32),
                           np.zeros(0))

    def add(self, columns: np.ndarray) -> None:
        part = self.csc[:, columns]
        upper = self.arrays.upper[columns]
        self.highs.addCols(len(columns), self.arrays.cost[columns], np.zeros(len(columns)),
                           np.where(np.isfinite(upper), upper, self.highspy.kHighsInf),
                           part.nnz, part.indptr[:-1].astype(np.int32),
                           part.indices.astype(np.int32), part.data.astype(np.float64))
        self.columns.extend(columns.tolist())

    def solve(self, time_limit_s: float) -> Result:
        self.highs.setOptionValue("time_limit", max(0.5, float(time_limit_s)))
        self.highs.run()
        # later rounds only add columns and go on from the last basis (no presolve, which
        # would drop it), by dual simplex: measured on hanoi-2023 against the primal
        # simplex the added columns leave feasible, 3,102 iterations against 3,756, and
        # 0.5 s of CPU against 1.6 s
        self.highs.setOptionValue("presolve", "off")
        self.highs.setOptionValue("simplex_strategy", 1)
        if self.highs.getModelStatus() != self.highspy.HighsModelStatus.kOptimal:
            return Result(Status.NO_SOLUTION, np.zeros(len(self.arrays.cost)), math.nan,
                          -math.inf)
        solution = self.highs.getSolution()
        values = np.zeros(len(self.arrays.cost))
        values[np.asarray(self.columns, dtype=np.int64)] = np.asarray(solution.col_value)
        objective = float(self.highs.getInfo().objective_function_value)
        return Result(Status.OPTIMAL, values, objective, objective,
                      np.asarray(solution.row_dual, dtype=np.float64))


def ortools_version() -> str:
    import ortools

    return str(getattr(ortools, "__version__", "unknown"))
