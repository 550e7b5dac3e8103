"""`rotation plan` end to end: time, gap, peak memory, and determinism across two runs.

`python -m benchmarks plan-speed [--presets demo,hanoi-2023]` (or
`python -m benchmarks.plan_speed`).

Each run is the real command (`python -m planner plan SCENARIO -o DIR --json`) in a child
process; wall time is measured around it and peak RSS is the child's `ru_maxrss` from
`os.wait4` (what `/usr/bin/time -v` reports as "Maximum resident set size"). The preset is
planned twice into two folders and their moves.csv (and plan.yaml) compared byte for byte.
Targets (issue 13): demo ≤ 5 s; hanoi-2023 ≤ 10 s end to end, gap ≤ 1%, ≤ 1 GB peak RSS.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.instances import REPO, prepare
from benchmarks.results import RESULTS, machine_line, markdown_table, text_table, update_section

TARGETS: dict[str, dict[str, float]] = {
    "demo": {"seconds": 5.0},
    "hanoi-2023": {"seconds": 10.0, "gap": 0.01, "rss_gib": 1.0},
}


def plan_measured(scenario: Path, out_dir: Path) -> dict[str, Any]:
    """One `rotation plan` in a child process; wall seconds and the child's peak RSS."""
    command = [sys.executable, "-m", "planner", "plan", str(scenario), "-o", str(out_dir),
               "--json"]
    log = out_dir.parent / f"{out_dir.name}.log"
    started = time.perf_counter()
    with open(log, "w", encoding="utf-8") as stdout_file:
        process = subprocess.Popen(command, cwd=REPO, stdout=stdout_file,
                                   stderr=subprocess.STDOUT)
        _pid, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    text = log.read_text(encoding="utf-8")
    summary: dict[str, Any] = {}
    start = text.find("{")
    if start >= 0:
        try:
            summary = json.loads(text[start: text.rfind("}") + 1])
        except json.JSONDecodeError:
            summary = {}
    return {"seconds": seconds, "exit": process.returncode, "rss_mib": usage.ru_maxrss / 1024,
            "status": summary.get("status"), "gap": summary.get("gap"),
            "objective": summary.get("objective"), "inner_s": summary.get("seconds"),
            "moves": (summary.get("kpis") or {}).get("moves"), "log": str(log)}


def run_plan_speed(presets: list[str], seed: int = 1, results_path: Path | None = RESULTS,
                   command: str = "python -m benchmarks plan-speed") -> int:
    header = ["preset", "run", "wall s", "status", "gap", "objective", "moves",
              "peak RSS MiB", "targets", "meets"]
    rows: list[list[str]] = []
    notes: list[str] = []
    failed = False
    generate: list[str] = []
    for preset in presets:
        instance = prepare(preset, seed)
        generate.append(instance.generate_command)
        outs = [instance.folder / f"plan-run{i}" for i in (1, 2)]
        runs = [plan_measured(instance.scenario, out) for out in outs]
        same_moves = all((outs[0] / name).read_bytes() == (outs[1] / name).read_bytes()
                         for name in ("moves.csv",)) if all(
            (o / "moves.csv").exists() for o in outs) else False
        same_yaml = all((o / "plan.yaml").exists() for o in outs) and \
            (outs[0] / "plan.yaml").read_bytes() == (outs[1] / "plan.yaml").read_bytes()
        target = TARGETS.get(preset, {})
        for index, run in enumerate(runs, start=1):
            checks = []
            if "seconds" in target:
                checks.append(run["seconds"] <= target["seconds"])
            if "gap" in target:
                checks.append(run["gap"] is not None and run["gap"] <= target["gap"] + 1e-12)
            if "rss_gib" in target:
                checks.append(run["rss_mib"] <= target["rss_gib"] * 1024)
            meets = all(checks) and run["exit"] == 0
            failed |= not meets
            rows.append([preset, str(index), f"{run['seconds']:.1f}", str(run["status"]),
                         "—" if run["gap"] is None else f"{100 * run['gap']:.2f}%",
                         "—" if run["objective"] is None else f"{run['objective']:.6g}",
                         str(run["moves"]), f"{run['rss_mib']:.0f}",
                         ", ".join(f"{k} ≤ {v:g}" for k, v in target.items()) or "—",
                         "yes" if meets else f"NO (exit {run['exit']})"])
        failed |= not same_moves
        inner = ", ".join(f"{r['inner_s']:.1f} s" for r in runs if r["inner_s"])
        notes.append(f"{preset}: two runs give {'byte-identical' if same_moves else 'DIFFERENT'}"
                     f" moves.csv and {'identical' if same_yaml else 'different'} plan.yaml; "
                     f"`rotation plan` reports {inner} inside the process (the rest of the wall "
                     "time is interpreter start and imports)")
    print(text_table(header, rows) + "".join(f"  {n}\n" for n in notes))
    if results_path is not None:
        scenarios = ", ".join(f"`{p}`" for p in presets)
        update_section("plan-speed", f"## `rotation plan` speed and determinism ({scenarios})\n\n"
                       f"{machine_line()}\n\n```bash\n" + "\n".join(generate) + f"\n{command}\n"
                       "# each run: python -m planner plan "
                       "benchmarks/out/<preset>-s1/scenario.yaml -o … --json\n```\n\n"
                       + markdown_table(header, rows) + "\n"
                       + "".join(f"- {n}\n" for n in notes), results_path)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(run_plan_speed(["demo", "hanoi-2023"]))
