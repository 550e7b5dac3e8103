"""Split a LinearModel into independent components (networkx) and solve them one by one.

Two columns are linked when a row holds both; the connected components of that graph share
no constraint, so each can be solved alone and the optima add up. Most candidate moves stay
inside one district (the candidate ranking prefers it), so Hanoi's model falls apart into
dozens of small MIPs that HiGHS solves far faster than the monolith.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import networkx as nx

from planner.solver.highs import Solution, solve
from planner.solver.model import LinearModel, Row


def components(model: LinearModel) -> list[list[int]]:
    """Column index groups that share no row, largest first (ties by first column)."""
    graph = nx.Graph()
    graph.add_nodes_from(range(len(model.costs)))
    for row in model.rows:
        first = row.columns[0]
        graph.add_edges_from((first, other) for other in row.columns[1:])
    groups = [sorted(group) for group in nx.connected_components(graph)]
    groups.sort(key=lambda g: (-len(g), g[0]))
    return groups


def submodel(model: LinearModel, columns: list[int], rows: list[Row]) -> LinearModel:
    local = {column: i for i, column in enumerate(columns)}
    part = LinearModel()
    part.costs = [model.costs[c] for c in columns]
    part.upper = [model.upper[c] for c in columns]
    part.integral = [model.integral[c] for c in columns]
    part.rows = [Row([local[c] for c in row.columns], row.coefs, row.lower, row.upper,
                     row.label, row.rule) for row in rows]
    return part


def solve_by_components(model: LinearModel, time_limit_s: float, gap: float, seed: int,
                        log: bool = False,
                        progress: Callable[[str], None] | None = None,
                        start: list[float] | None = None,
                        on_incumbent: Callable[[str], None] | None = None) -> Solution:
    """Solve each component; the result is the same Solution a monolithic solve returns."""
    groups = components(model)
    row_groups: dict[int, list[Row]] = {}
    group_of = {}
    for index, group in enumerate(groups):
        for column in group:
            group_of[column] = index
    for row in model.rows:
        row_groups.setdefault(group_of[row.columns[0]], []).append(row)
    values = [0.0] * len(model.costs)
    objective = bound = seconds = 0.0
    nodes = 0
    statuses = []
    total = sum(len(g) for g in groups) or 1
    for index, group in enumerate(groups):
        rows = row_groups.get(index, [])
        if not rows:  # a free column: take it when it lowers the objective
            for column in group:
                take = model.costs[column] < 0
                values[column] = model.upper[column] if take else 0.0
                if take and not math.isfinite(model.upper[column]):
                    return Solution("unbounded", values, -math.inf, -math.inf, math.inf, 0, 0)
                objective += model.costs[column] * values[column]
            bound = objective if index == 0 else bound + sum(
                model.costs[c] * values[c] for c in group)
            statuses.append("optimal")
            continue
        share = max(1.0, time_limit_s * len(group) / total)
        part_start = [start[c] for c in group] if start is not None else None
        report = None
        if on_incumbent is not None:
            done, known, name = objective, bound, f"component {index + 1}/{len(groups)}"

            def report(value: float, best: float, rel_gap: float, done: float = done,
                       known: float = known, name: str = name) -> None:
                assert on_incumbent is not None
                on_incumbent(f"{name}: incumbent {done + value:g}, bound {known + best:g}, "
                             f"gap {100 * rel_gap:.2f}%")
        part = solve(submodel(model, group, rows), share, gap, seed, log=log, start=part_start,
                     on_incumbent=report)
        statuses.append(part.status)
        if part.status in ("infeasible", "no_solution", "unbounded"):
            return Solution(part.status, values, math.nan, -math.inf, math.inf,
                            seconds + part.seconds, nodes + part.nodes)
        for local, column in enumerate(group):
            values[column] = part.values[local]
        objective += part.objective
        bound += part.bound
        seconds += part.seconds
        nodes += part.nodes
    if progress is not None:
        progress(f"solved {len(groups)} independent components "
                 f"(largest {len(groups[0]) if groups else 0} columns)")
    status = "optimal" if all(s == "optimal" for s in statuses) else "feasible"
    gap_value = abs(objective - bound) / max(1e-9, abs(objective)) if objective else 0.0
    return Solution(status, values, objective, bound, gap_value, seconds, nodes)
