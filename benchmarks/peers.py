"""The peers of the benchmark, each run in a fresh process on the same instance.

- `ours`: the planner as shipped — `planner.solver.run.solve_workspace` (candidates → model
  → LP by column generation and the integral finish, `planner.solver.solve.solve_model`,
  with the scenario's engine → plan → checker). It saves its candidate set and LinearModel
  (pickle) so the next peers solve exactly the same problem.
- `highs-mono`: the same LinearModel in one piece, `planner.solver.highs.solve` (HiGHS
  through highspy, 1 thread, same gap and time limit): the planner's solver before OR-Tools
  and column generation (the whole LP, fix-and-finish, MIP).
- `cpsat`: the textbook CP-SAT model — a Boolean for every (mover × open post × round)
  option the per-move rules allow (our candidate options without the closeness pruning
  cap, or with a documented cap on large presets), the same rows (`build_model`), one
  piece, 2 workers, same time limit and gap.
- `ours-wide`: our solve (`solve_model`, default engine) on the textbook model's
  options — the same problem as `cpsat`, so the solver comparison is like for like, and
  the difference to `ours` is what the candidate pruning costs.
- `cpsat-pruned` (optional): CP-SAT, 2 workers, on our own pruned LinearModel, one piece.
- `greedy`: a spreadsheet workflow — most overdue cadre first, each to their cheapest
  allowed option by the model's costs that keeps every hard row (one holder per post,
  adaptation caps, relatives) satisfied given the moves already made; then the checker.
- `timefold`: Timefold (`[bench]` extra, Java 17): movers as planning entities over their
  own options, constraint streams for one arrival per post, held posts, due stays and the
  option costs; local search to the same time limit (benchmarks/timefold_peer.py).
- `lp`: the LP relaxation of our LinearModel (HiGHS, integrality dropped): a bound.
- `mcf`: a min-cost-flow relaxation (OR-Tools SimpleMinCostFlow): cadre → post at the
  cheapest (round, form) cost, stays at their cost, each post taking one arrival, every side
  row and the rounds ignored: a weaker bound, found much faster.

A peer returns a dict of numbers (see `PeerResult` fields in `runner.py`); its peak RSS is
the process's VmHWM read from /proc/self/status at the end.
"""

from __future__ import annotations

import copy
import math
import os
import pickle
import random
import time
import traceback
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from benchmarks.trace import (
    Point,
    Tracer,
    gap_of,
    install_highs_tracer,
    milestones,
    series_milestones,
)

CPSAT_SCALE = 1000  # CP-SAT needs integer costs: the model's costs × 1000, rounded


@dataclass(frozen=True)
class PeerSpec:
    peer: str
    scenario: str
    shared: str  # pickle of (CandidateSet, LinearModel) written by `ours` or `build`
    plans_dir: str
    time_limit_s: float
    gap: float
    seed: int
    cpsat_scan: int  # 0: every open post (no cap)
    cpsat_keep: int  # 0: every allowed option


def peak_rss_mib() -> float:
    """VmHWM of this process (peak resident set) in MiB; ru_maxrss as a fallback."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child_main(spec: PeerSpec, conn: Any) -> None:
    """Entry point of a peer's process: run it, send back its numbers."""
    started = time.perf_counter()
    load_before = os.getloadavg()[0]
    try:
        result = PEERS[spec.peer](spec)
    except Exception as exc:  # a failed peer is a row in the table, not a crash
        result = {"error": f"{type(exc).__name__}: {exc}",
                  "traceback": traceback.format_exc(limit=6)}
    result["peer"] = spec.peer
    result["loadavg"] = (load_before, os.getloadavg()[0])
    result["process_s"] = time.perf_counter() - started
    result["peak_rss_mib"] = peak_rss_mib()
    conn.send(result)
    conn.close()


# ---------------------------------------------------------------------------------- helpers
def _load(spec: PeerSpec) -> tuple[Any, float]:
    from planner.workspace import load_workspace

    started = time.perf_counter()
    workspace = load_workspace(Path(spec.scenario))
    facts = workspace.facts
    facts.due_cadres  # noqa: B018 — warm the cached due list outside the timed phases
    return facts, time.perf_counter() - started


def _load_shared(spec: PeerSpec) -> tuple[Any, Any, Any, dict[str, float]]:
    facts, load_s = _load(spec)
    started = time.perf_counter()
    with open(spec.shared, "rb") as handle:
        candidate_set, model = pickle.load(handle)
    return facts, candidate_set, model, {"load_s": load_s,
                                         "unpickle_s": time.perf_counter() - started}


def evaluate(model: Any, values: list[float]) -> tuple[float, int]:
    """Objective of a 0/1 choice of candidate columns, auxiliary columns (stays, slacks,
    shortfalls) set to the least value their row needs; and the number of rows violated."""
    n = model.num_candidates
    total = sum(model.costs[i] for i in range(n) if values[i] > 0.5)
    violated = 0
    for row in model.rows:
        activity = 0.0
        aux: list[tuple[int, float]] = []
        for column, coef in zip(row.columns, row.coefs, strict=True):
            if column < n:
                activity += coef * (1.0 if values[column] > 0.5 else 0.0)
            else:
                aux.append((column, coef))
        for column, coef in aux:  # one auxiliary column per row in every encoding
            if coef > 0 and math.isfinite(row.lower):
                need = max(0.0, (row.lower - activity) / coef)
            elif coef < 0 and math.isfinite(row.upper):
                need = max(0.0, (activity - row.upper) / -coef)
            else:
                need = 0.0
            need = min(need, model.upper[column])
            total += model.costs[column] * need
            activity += coef * need
        if activity > row.upper + 1e-6 or activity < row.lower - 1e-6:
            violated += 1
    return total, violated


def _finish(facts: Any, model: Any, candidate_set: Any, solution: Any, spec: PeerSpec,
            ) -> dict[str, Any]:
    """Plan from a solution, the independent checker on it, and the plan's moves.csv."""
    from planner.checker import check_plan
    from planner.plan import moves_csv
    from planner.solver.run import extract_plan

    started = time.perf_counter()
    plan = extract_plan(facts, model, solution, candidate_set)
    report = check_plan(facts, plan)
    out = Path(spec.plans_dir) / spec.peer
    out.mkdir(parents=True, exist_ok=True)
    (out / "moves.csv").write_text(moves_csv(plan), encoding="utf-8", newline="")
    return {"moves": len(plan.moves), "unplaced": len(plan.unplaced),
            "hard_due_left": hard_due_left(facts, plan), **hard_summary(facts, report),
            "soft_penalty": sum(report.penalties().values()),
            "check_s": time.perf_counter() - started}


def hard_due_left(facts: Any, plan: Any) -> int:
    """Cadres under a hard tenure limit the plan leaves in place (each costs 1e6 in the
    model's objective: the stay column of `build_model`)."""
    return sum(1 for u in plan.unplaced
               if (due := facts.due(u.cadre)) is not None and due.rule.hard)


def hard_summary(facts: Any, report: Any) -> dict[str, Any]:
    """Hard violations in total, by rule, and those that are not a due cadre left in place
    (a tenure_limit violation: the instance may leave no allowed destination)."""
    kinds = {r.id: r.kind for r in facts.ruleset.rules}
    by_rule: dict[str, int] = {}
    for item in report.hard:
        by_rule[item.rule_id] = by_rule.get(item.rule_id, 0) + 1
    return {"hard_violations": len(report.hard), "hard_rules": by_rule,
            "hard_not_due": sum(n for rule, n in by_rule.items()
                                if kinds.get(rule) != "tenure_limit")}


def _size(model: Any) -> dict[str, int]:
    return {"columns": model.num_columns, "rows": model.num_rows,
            "booleans": model.num_candidates, "nonzeros": int(model.matrix().nnz)}


# ------------------------------------------------------------------------------------ peers
def peer_ours(spec: PeerSpec) -> dict[str, Any]:
    import planner.solver.run as run_module

    facts, load_s = _load(spec)
    original = run_module.solve_model
    marks: dict[str, float] = {}

    def traced(*args: Any, **kwargs: Any) -> Any:
        clock = time.perf_counter()
        marks["solve_started_s"] = clock - started
        solution = original(*args, **kwargs)
        marks["solve_wall_s"] = time.perf_counter() - clock
        return solution

    run_module.solve_model = traced
    messages: list[str] = []
    started = time.perf_counter()
    result = run_module.solve_workspace(facts, progress=messages.append)
    total = time.perf_counter() - started
    rss = peak_rss_mib()
    solution = result.solution
    # our solve returns one plan, with its bound: the first plan is also the one at the gap
    first = solution.first_plan_s
    at_gap = first if first is not None and solution.gap <= 0.01 + 1e-9 else None
    with open(spec.shared + ".tmp", "wb") as handle:
        pickle.dump((result.candidates, result.model), handle, protocol=pickle.HIGHEST_PROTOCOL)
    Path(spec.shared + ".tmp").replace(spec.shared)
    from planner.plan import moves_csv

    out = Path(spec.plans_dir) / spec.peer
    out.mkdir(parents=True, exist_ok=True)
    (out / "moves.csv").write_text(moves_csv(result.plan), encoding="utf-8", newline="")
    timings = result.timings
    return {
        **_size(result.model), "load_s": load_s,
        "build_s": timings.get("candidates", 0.0) + timings.get("model", 0.0),
        "candidates_s": timings.get("candidates", 0.0), "model_s": timings.get("model", 0.0),
        "solve_s": marks.get("solve_wall_s", timings.get("solve", 0.0)),
        "first_plan_s": first, "gap_1pct_s": at_gap,
        "first_plan_total_s": None if first is None else
        marks.get("solve_started_s", 0.0) + first,
        "status": str(solution.status), "objective": solution.objective,
        "bound": solution.bound, "gap": solution.gap, "engine": solution.engine,
        "solve_phases": solution.phases, "solve_notes": solution.notes, "progress": messages,
        "moves": len(result.plan.moves), "unplaced": len(result.plan.unplaced),
        **hard_summary(facts, result.report),
        "hard_due_left": hard_due_left(facts, result.plan),
        "soft_penalty": sum(result.report.penalties().values()),
        "check_s": timings.get("check", 0.0), "pipeline_s": total, "peak_rss_mib": rss,
        "problem": "pruned", "movers": len(result.candidates.movers),
        "open_posts": len(result.candidates.open_posts),
        "pairs_judged": result.candidates.pairs_judged,
    }


def peer_build(spec: PeerSpec) -> dict[str, Any]:
    """Only the shared problem (when `ours` is not among the peers)."""
    from planner.solver.build import build_model
    from planner.solver.candidates import build_candidates

    facts, load_s = _load(spec)
    started = time.perf_counter()
    candidate_set = build_candidates(facts)
    model = build_model(facts, candidate_set)
    build_s = time.perf_counter() - started
    with open(spec.shared + ".tmp", "wb") as handle:
        pickle.dump((candidate_set, model), handle, protocol=pickle.HIGHEST_PROTOCOL)
    Path(spec.shared + ".tmp").replace(spec.shared)
    return {**_size(model), "load_s": load_s, "build_s": build_s, "problem": "pruned"}


def peer_highs_mono(spec: PeerSpec) -> dict[str, Any]:
    from planner.solver.highs import solve

    facts, candidate_set, model, loads = _load_shared(spec)
    tracer = Tracer()
    install_highs_tracer(tracer)
    tracer.reset()
    solution = solve(model, spec.time_limit_s, spec.gap, spec.seed)
    solve_s = tracer.now()
    found = milestones(tracer.solves, solution.objective, solution.bound)
    return {**_size(model), **loads, "solve_s": solve_s, "first_plan_s": found.first_plan_s,
            "gap_1pct_s": found.gap_1pct_s, "status": solution.status,
            "objective": solution.objective, "bound": solution.bound, "gap": solution.gap,
            "problem": "pruned",
            **_finish(facts, model, candidate_set, solution, spec)}


def greedy_values(facts: Any, model: Any, candidate_set: Any) -> list[float]:
    """Most overdue first; each cadre to the cheapest option that keeps the hard rows."""
    n = model.num_candidates
    rows = model.rows
    rows_of: list[list[tuple[int, float]]] = [[] for _ in range(len(model.costs))]
    aux_of_row: dict[int, tuple[int, float]] = {}
    for index, row in enumerate(rows):
        for column, coef in zip(row.columns, row.coefs, strict=True):
            rows_of[column].append((index, coef))
            if column >= n:
                aux_of_row[index] = (column, coef)
    activity = [0.0] * len(rows)
    values = [0.0] * len(model.costs)

    def urgency(cadre_id: str) -> tuple[int, int, str]:
        due = facts.due(cadre_id)
        return (due.round_index, -due.months_at_start, cadre_id)

    due_movers = sorted((c for c in candidate_set.movers if facts.due(c) is not None),
                        key=urgency)
    for cadre_id in due_movers:
        best: tuple[float, int] | None = None
        for column in model.by_cadre.get(cadre_id, []):
            marginal = model.costs[column]
            feasible = True
            for index, coef in rows_of[column]:
                row = rows[index]
                before, after = activity[index], activity[index] + coef
                aux = aux_of_row.get(index)
                if aux is None:
                    if after > row.upper + 1e-9:
                        feasible = False
                        break
                    continue
                aux_column, aux_coef = aux
                if aux_coef < 0:  # soft maximum: its slack pays per unit over
                    marginal += model.costs[aux_column] * (
                        max(0.0, after - row.upper) - max(0.0, before - row.upper)) / -aux_coef
                else:  # a minimum (or the cadre's own stay column): shortfall shrinks
                    marginal += model.costs[aux_column] * (
                        max(0.0, row.lower - after) - max(0.0, row.lower - before)) / aux_coef
                    if after > row.upper + 1e-9:
                        feasible = False
                        break
            if feasible and (best is None or (marginal, column) < best):
                best = (marginal, column)
        if best is None or best[0] >= 0:
            continue
        column = best[1]
        values[column] = 1.0
        for index, coef in rows_of[column]:
            activity[index] += coef
    return values


def peer_greedy(spec: PeerSpec) -> dict[str, Any]:
    from planner.solver.highs import Solution

    facts, candidate_set, model, loads = _load_shared(spec)
    started = time.perf_counter()
    values = greedy_values(facts, model, candidate_set)
    objective, violated = evaluate(model, values)
    seconds = time.perf_counter() - started
    solution = Solution("feasible", values, objective, -math.inf, math.inf, seconds, 0)
    return {**_size(model), **loads, "solve_s": seconds, "first_plan_s": seconds,
            "gap_1pct_s": None, "status": "heuristic", "objective": objective,
            "bound": None, "gap": None, "rows_violated": violated, "problem": "pruned",
            **_finish(facts, model, candidate_set, solution, spec)}


def peer_timefold(spec: PeerSpec) -> dict[str, Any]:
    """Timefold (local search, constraint streams) on our options: benchmarks/timefold_peer.py."""
    from benchmarks.timefold_peer import solve_timefold
    from planner.solver.engines import Status
    from planner.solver.solve import Solution

    facts, candidate_set, model, loads = _load_shared(spec)
    started = time.perf_counter()
    values, info = solve_timefold(model, candidate_set, facts, spec.time_limit_s)
    seconds = time.perf_counter() - started
    objective, violated = evaluate(model, values)
    solution = Solution(Status.FEASIBLE, values, objective, -math.inf, math.inf, seconds)
    # local search ends at the time limit: its first plan is the construction heuristic's,
    # and it never proves a gap
    return {**_size(model), **loads, "solve_s": seconds, "first_plan_s": None,
            "gap_1pct_s": None, "status": f"time limit ({info['score']})",
            "objective": objective, "bound": None, "gap": None, "rows_violated": violated,
            "translate_s": info["translate_s"], "solver_ready_s": info["solver_ready_s"],
            "problem": "pruned", **_finish(facts, model, candidate_set, solution, spec),
            "peak_rss_mib": peak_rss_mib()}


def peer_lp(spec: PeerSpec) -> dict[str, Any]:
    from planner.solver.highs import solve

    _facts, _cs, model, loads = _load_shared(spec)
    relaxed = copy.copy(model)
    relaxed.integral = [False] * len(model.costs)
    started = time.perf_counter()
    solution = solve(relaxed, spec.time_limit_s, 0.0, spec.seed)
    seconds = time.perf_counter() - started
    fractional = sum(1 for v in solution.values[: model.num_candidates]
                     if 1e-6 < v < 1 - 1e-6)
    return {**_size(model), **loads, "solve_s": seconds, "status": solution.status,
            "objective": None, "bound": solution.objective if solution.status == "optimal"
            else None, "relaxation": solution.objective, "problem": "pruned",
            "fractional": fractional}


def peer_mcf(spec: PeerSpec) -> dict[str, Any]:
    import numpy as np
    from ortools.graph.python import min_cost_flow

    facts, candidate_set, model, loads = _load_shared(spec)
    started = time.perf_counter()
    cadres = list(candidate_set.movers)
    cadre_node = {c: i + 1 for i, c in enumerate(cadres)}
    posts = sorted({c.to_position for c in model.candidates})
    post_node = {p: len(cadres) + 1 + i for i, p in enumerate(posts)}
    sink = len(cadres) + len(posts) + 1
    cheapest: dict[tuple[str, str], float] = {}
    for candidate in model.candidates:
        key = (candidate.cadre, candidate.to_position)
        cost = model.costs[candidate.index]
        if cost < cheapest.get(key, math.inf):
            cheapest[key] = cost
    stay: dict[str, float] = {}
    for column, label in model.column_labels.items():  # "<cadre> stays" columns
        cadre_id, _, rest = label.partition(" ")
        if rest == "stays":
            stay[cadre_id] = stay.get(cadre_id, 0.0) + model.costs[column]
    tails: list[int] = []
    heads: list[int] = []
    costs: list[int] = []
    for cadre_id in cadres:
        tails.append(0)
        heads.append(cadre_node[cadre_id])
        costs.append(0)
        tails.append(cadre_node[cadre_id])
        heads.append(sink)
        costs.append(math.floor(stay.get(cadre_id, 0.0) * CPSAT_SCALE))
    for (cadre_id, post), cost in cheapest.items():
        tails.append(cadre_node[cadre_id])
        heads.append(post_node[post])
        costs.append(math.floor(cost * CPSAT_SCALE))  # floor keeps it a valid lower bound
    for post in posts:
        tails.append(post_node[post])
        heads.append(sink)
        costs.append(0)
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(
        np.array(tails, dtype=np.int32), np.array(heads, dtype=np.int32),
        np.ones(len(tails), dtype=np.int64), np.array(costs, dtype=np.int64))
    flow.set_node_supply(0, len(cadres))
    flow.set_node_supply(sink, -len(cadres))
    status = flow.solve()
    seconds = time.perf_counter() - started
    ok = status == flow.OPTIMAL
    value = flow.optimal_cost() / CPSAT_SCALE if ok else None
    _ = facts
    return {**_size(model), **loads, "solve_s": seconds, "status": "optimal" if ok
            else f"status {status}", "objective": None, "bound": value, "relaxation": value,
            "arcs": len(tails), "problem": "pruned"}


# ----------------------------------------------------------------------------------- CP-SAT
def cpsat_solve(model: Any, time_limit_s: float, gap: float, seed: int, workers: int = 2,
                ) -> tuple[Any, list[Point], float]:
    """Translate a LinearModel row by row into CP-SAT and solve it; (Solution, trace points,
    translation seconds)."""
    from ortools.sat.python import cp_model

    from planner.solver.highs import Solution

    started = time.perf_counter()
    cp = cp_model.CpModel()
    n_cols = len(model.costs)
    aux_bound = [0.0] * n_cols
    for row in model.rows:
        reach = sum(abs(c) for col, c in zip(row.columns, row.coefs, strict=True)
                    if model.integral[col])
        for col in row.columns:
            if not model.integral[col]:
                aux_bound[col] = max(aux_bound[col], reach)
    variables = []
    for col in range(n_cols):
        upper = model.upper[col]
        if model.integral[col] and upper == 1.0:
            variables.append(cp.new_bool_var(""))
        else:
            bound = upper if math.isfinite(upper) else aux_bound[col]
            variables.append(cp.new_int_var(0, max(0, math.ceil(bound)), ""))
    for row in model.rows:
        coefs = [round(c) for c in row.coefs]
        if any(abs(c - f) > 1e-9 for c, f in zip(coefs, row.coefs, strict=True)):
            raise ValueError(f"row {row.label!r} has non-integral coefficients")
        expr = cp_model.LinearExpr.weighted_sum([variables[c] for c in row.columns], coefs)
        lower = math.ceil(row.lower - 1e-9) if math.isfinite(row.lower) else None
        upper = math.floor(row.upper + 1e-9) if math.isfinite(row.upper) else None
        if lower is not None and upper is not None:
            cp.add_linear_constraint(expr, lower, upper)
        elif upper is not None:
            cp.add(expr <= upper)
        elif lower is not None:
            cp.add(expr >= lower)
    cp.minimize(cp_model.LinearExpr.weighted_sum(
        variables, [round(c * CPSAT_SCALE) for c in model.costs]))
    translate_s = time.perf_counter() - started

    solver = cp_model.CpSolver()
    solver.parameters.num_workers = workers
    solver.parameters.max_time_in_seconds = float(time_limit_s)
    solver.parameters.relative_gap_limit = float(gap)
    solver.parameters.random_seed = seed
    points: list[Point] = []
    origin = time.perf_counter()

    class Recorder(cp_model.CpSolverSolutionCallback):
        def on_solution_callback(self) -> None:
            points.append(Point(time.perf_counter() - origin,
                                self.objective_value / CPSAT_SCALE,
                                self.best_objective_bound / CPSAT_SCALE))

    solver.best_bound_callback = lambda bound: points.append(
        Point(time.perf_counter() - origin, math.inf, bound / CPSAT_SCALE))
    status = solver.solve(cp, Recorder())
    seconds = time.perf_counter() - origin
    names = {cp_model.OPTIMAL: "optimal", cp_model.FEASIBLE: "feasible",
             cp_model.INFEASIBLE: "infeasible", cp_model.MODEL_INVALID: "model_invalid"}
    label = names.get(status, "no_solution")
    has = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    values = [float(v) for v in solver.response_proto.solution] if has else [0.0] * n_cols
    objective = solver.objective_value / CPSAT_SCALE if has else math.nan
    bound = solver.best_objective_bound / CPSAT_SCALE
    if has:  # the final state (e.g. optimality proved after the last callback)
        points.append(Point(seconds, objective, bound))
    solution = Solution(label, values, objective, bound, gap_of(objective, bound) if has
                        else math.inf, seconds, 0)
    return solution, points, translate_s


def _estimate_full(facts: Any, candidate_set: Any, sample: int = 300) -> dict[str, Any]:
    """Size and build time of the uncapped textbook model, from a seeded sample of (mover,
    open post) pairs judged like the candidate generator does (all forms, all rounds)."""
    from planner.plan import Move
    from planner.solver.candidates import PROPOSED_FORMS, judge, per_move_rules

    rules = per_move_rules(facts)
    movers = list(candidate_set.movers)
    posts = list(candidate_set.open_posts)
    rng = random.Random(0)
    post_set = set(posts)
    pairs = sum(len(posts) - (1 if facts.cadre(c).position in post_set else 0)
                for c in movers)
    judged = allowed = 0
    started = time.perf_counter()
    for _ in range(sample):
        cadre_id = rng.choice(movers)
        post = rng.choice(posts)
        cadre = facts.cadre(cadre_id)
        if post == cadre.position:
            continue
        due = facts.due(cadre_id)
        latest = len(facts.rounds) - 1
        if due is not None and due.rule.hard:
            latest = due.round_index
        for form in PROPOSED_FORMS:
            probe = Move(cadre_id, form, cadre.position, post, "", 0, facts.rounds[0].start)
            context = facts.move_context(probe)
            found = 0
            for round_ in facts.rounds[: latest + 1]:
                move = Move(cadre_id, form, cadre.position, post, round_.name, round_.index,
                            round_.start)
                judged += 1
                if not judge(facts, rules, move, context)[0]:
                    found += 1
            if found:
                allowed += found
                break
    seconds = time.perf_counter() - started
    per_judge = seconds / max(1, judged)
    return {"full_pairs": pairs, "full_booleans_est": round(pairs * allowed / sample),
            "full_judge_calls_est": round(pairs * judged / sample),
            "judge_us": per_judge * 1e6,
            "full_build_s_est": pairs * judged / sample * per_judge}


def peer_cpsat(spec: PeerSpec) -> dict[str, Any]:
    from planner.solver.build import build_model
    from planner.solver.candidates import build_candidates

    facts, load_s = _load(spec)
    scan = spec.cpsat_scan or 10**9
    keep = spec.cpsat_keep or 10**9
    started = time.perf_counter()
    candidate_set = build_candidates(facts, scan_limit=scan, keep_limit=keep)
    candidates_s = time.perf_counter() - started
    model = build_model(facts, candidate_set)
    build_s = time.perf_counter() - started
    solution, points, translate_s = cpsat_solve(model, spec.time_limit_s, spec.gap, spec.seed)
    found = series_milestones(points)
    rss = peak_rss_mib()
    objective, _violated = evaluate(model, solution.values)
    if solution.status not in ("optimal", "feasible"):
        objective = math.nan
    result = {
        **_size(model), "load_s": load_s, "candidates_s": candidates_s, "build_s": build_s,
        "translate_s": translate_s, "solve_s": translate_s + solution.seconds,
        "first_plan_s": None if found.first_plan_s is None else translate_s + found.first_plan_s,
        "gap_1pct_s": None if found.gap_1pct_s is None else translate_s + found.gap_1pct_s,
        "status": solution.status, "objective": objective, "bound": solution.bound,
        "gap": gap_of(objective, solution.bound), "problem": "textbook",
        "cap": "none" if not (spec.cpsat_scan or spec.cpsat_keep)
        else f"scan {spec.cpsat_scan or '∞'}, keep {spec.cpsat_keep or '∞'}",
        "movers": len(candidate_set.movers), "open_posts": len(candidate_set.open_posts),
        "pairs_judged": candidate_set.pairs_judged, "peak_rss_mib": rss,
    }
    if solution.status in ("optimal", "feasible"):
        result |= _finish(facts, model, candidate_set, solution, spec)
    if spec.cpsat_scan or spec.cpsat_keep:
        result |= _estimate_full(facts, candidate_set)
    return result


def peer_ours_wide(spec: PeerSpec) -> dict[str, Any]:
    """Our decomposition + HiGHS on the textbook model's options (what `cpsat` solves)."""
    from planner.solver.build import build_model
    from planner.solver.candidates import build_candidates
    from planner.solver.solve import solve_model

    facts, load_s = _load(spec)
    started = time.perf_counter()
    candidate_set = build_candidates(facts, scan_limit=spec.cpsat_scan or 10**9,
                                     keep_limit=spec.cpsat_keep or 10**9)
    candidates_s = time.perf_counter() - started
    model = build_model(facts, candidate_set)
    build_s = time.perf_counter() - started
    messages: list[str] = []
    clock = time.perf_counter()
    solution = solve_model(model, facts.scenario.solver.engine, spec.time_limit_s, spec.gap,
                           spec.seed, progress=messages.append)
    solve_s = time.perf_counter() - clock
    first = solution.first_plan_s
    rss = peak_rss_mib()
    result = {**_size(model), "load_s": load_s, "candidates_s": candidates_s,
              "build_s": build_s, "solve_s": solve_s, "first_plan_s": first,
              "gap_1pct_s": first if first is not None and solution.gap <= 0.01 + 1e-9
              else None, "status": str(solution.status),
              "objective": solution.objective, "bound": solution.bound, "gap": solution.gap,
              "problem": "textbook", "engine": solution.engine, "progress": messages,
              "cap": "none" if not (spec.cpsat_scan or spec.cpsat_keep)
              else f"scan {spec.cpsat_scan or '∞'}, keep {spec.cpsat_keep or '∞'}"}
    result |= _finish(facts, model, candidate_set, solution, spec)
    result["peak_rss_mib"] = rss
    return result


def peer_cpsat_pruned(spec: PeerSpec) -> dict[str, Any]:
    facts, candidate_set, model, loads = _load_shared(spec)
    solution, points, translate_s = cpsat_solve(model, spec.time_limit_s, spec.gap, spec.seed)
    found = series_milestones(points)
    objective, _violated = evaluate(model, solution.values)
    if solution.status not in ("optimal", "feasible"):
        objective = math.nan
    result = {**_size(model), **loads, "translate_s": translate_s,
              "solve_s": translate_s + solution.seconds,
              "first_plan_s": None if found.first_plan_s is None
              else translate_s + found.first_plan_s,
              "gap_1pct_s": None if found.gap_1pct_s is None else translate_s + found.gap_1pct_s,
              "status": solution.status, "objective": objective, "bound": solution.bound,
              "gap": gap_of(objective, solution.bound), "problem": "pruned"}
    if solution.status in ("optimal", "feasible"):
        result |= _finish(facts, model, candidate_set, solution, spec)
    return result


PEERS: dict[str, Callable[[PeerSpec], dict[str, Any]]] = {
    "ours": peer_ours,
    "highs-mono": peer_highs_mono,
    "cpsat": peer_cpsat,
    "cpsat-pruned": peer_cpsat_pruned,
    "ours-wide": peer_ours_wide,
    "greedy": peer_greedy,
    "timefold": peer_timefold,
    "lp": peer_lp,
    "mcf": peer_mcf,
    "build": peer_build,
}
# `bound` on the command line expands to both relaxations.
ALIASES = {"bound": ("lp", "mcf")}
DEFAULT_PEERS = ("ours", "highs-mono", "cpsat", "ours-wide", "greedy", "timefold", "bound")


def spec_dict(spec: PeerSpec) -> dict[str, Any]:
    return asdict(spec)
