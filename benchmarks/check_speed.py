"""How long the independent checker takes on a 3,000-move plan of hanoi-2023 (target ≤ 1 s).

`python -m benchmarks check-speed [--moves 3000]` (or `python -m benchmarks.check_speed`).

The plan is our planner's own hanoi-2023 plan (`benchmarks/out/hanoi-2023-s1/plans/ours/
moves.csv` from `python -m benchmarks run --preset hanoi-2023`, else planned here), padded
to the requested size with rotation cycles inside units: cadres the plan leaves in place,
grouped by unit, each take the next one's post in the same round (position changes). Every
post keeps one holder in every round, so the padding is structurally sound; the rules may
still object to some padded moves, which is fine — the timing is what is measured.

Timed: `planner.checker.check_plan(facts, plan)` alone — the first call on fresh facts
(what `rotation check` pays) and the median of three more (warm caches).
"""

from __future__ import annotations

import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from benchmarks.instances import REPO, prepare
from benchmarks.results import RESULTS, machine_line, markdown_table, text_table, update_section

TARGET_S = 1.0


def padded_plan(facts: Any, base: Any, size: int) -> Any:
    from planner.plan import Plan, make_move

    moves = list(base.moves)
    if len(moves) >= size:
        return Plan(moves[:size])
    touched = {m.cadre for m in moves} | {m.from_position or "" for m in moves} \
        | {m.to_position for m in moves}
    last = len(facts.rounds) - 1
    # first cycles a planner could sign (staff of one unit, one profession and grade: a
    # lawful position change under the move graph), then any cadres of one unit
    for strict in (True, False):
        groups: dict[tuple[str, ...], list[str]] = defaultdict(list)
        for cadre in facts.roster.cadres:
            if cadre.id in touched or not cadre.position or cadre.position in touched:
                continue
            place = facts.place(cadre.position)
            if strict and (place["role"] != "staff" or cadre.status != "active"):
                continue
            key: tuple[str, ...] = (place["unit"], place["profession"], str(place["grade"])) \
                if strict else (place["unit"],)
            groups[key].append(cadre.id)
        for name in sorted(groups):
            group = groups[name][: size - len(moves)]
            if len(group) < 2:
                continue
            for i, cadre_id in enumerate(group):
                target = facts.cadre(group[(i + 1) % len(group)]).position or ""
                moves.append(make_move(facts.scenario, cadre_id, "position_change", target,
                                       last))
                touched |= {cadre_id, target}
        if len(moves) >= size:
            break
    return Plan(moves)


def run_check_speed(size: int = 3000, seed: int = 1, results_path: Path | None = RESULTS,
                    command: str = "python -m benchmarks check-speed") -> int:
    from planner.checker import check_plan
    from planner.plan import read_moves
    from planner.workspace import load_workspace

    instance = prepare("hanoi-2023", seed)
    started = time.perf_counter()
    workspace = load_workspace(instance.scenario)
    load_s = time.perf_counter() - started
    facts = workspace.facts
    ours = instance.folder / "plans" / "ours" / "moves.csv"
    if ours.exists():
        base = read_moves(ours, workspace.scenario)
        origin = str(ours.relative_to(REPO))
    else:
        from planner.solver.run import solve_workspace

        base = solve_workspace(facts).plan
        origin = "planned in this run"
        workspace = load_workspace(instance.scenario)  # fresh facts for a cold check
        facts = workspace.facts
    plan = padded_plan(facts, base, size)
    times = []
    report = None
    for _ in range(4):
        started = time.perf_counter()
        report = check_plan(facts, plan)
        times.append(time.perf_counter() - started)
    assert report is not None
    cold, warm = times[0], statistics.median(times[1:])
    header = ["plan", "moves", "check_plan cold s", "warm s (median of 3)", "target s",
              "meets", "violations (hard/soft)"]
    row = [f"ours ({len(base.moves):,} moves) + {len(plan.moves) - len(base.moves):,} in "
           "rotation cycles", f"{len(plan.moves):,}",
           f"{cold:.2f}", f"{warm:.2f}", f"{TARGET_S:g}", "yes" if cold <= TARGET_S else "NO",
           f"{len(report.hard)}/{len(report.soft)}"]
    notes = [f"hanoi-2023, seed {seed}: {len(facts.roster.cadres):,} cadres, "
             f"{len(facts.roster.positions):,} positions, {len(facts.rounds)} rounds; "
             f"workspace loaded in {load_s:.1f} s (not timed); base plan: {origin}"]
    print(text_table(header, [row]) + "".join(f"  {n}\n" for n in notes))
    if results_path is not None:
        update_section("check-speed", f"## check speed (hanoi-2023)\n\n{machine_line()}\n\n"
                       f"```bash\n{instance.generate_command}\n{command}\n```\n\n"
                       + markdown_table(header, [row]) + "\n"
                       + "".join(f"- {n}\n" for n in notes), results_path)
    return 0 if cold <= TARGET_S else 1


if __name__ == "__main__":
    sys.exit(run_check_speed())
