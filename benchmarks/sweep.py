"""`rotation sweep` on Dask against the same sweep planned serially (the demo grid).

`python -m benchmarks sweep [--workers 2] [--repeat 2] [--grid scenarios/sweep/grid.yaml]`

Each run is the command a user types, in a fresh process, timed wall clock from start to
exit: `rotation sweep scenarios/demo/scenario.yaml --grid GRID -o DIR --workers W --json`
with W = 0 (serial: one plan after another in that process, no Dask — what `rotation
compare` of scenario files does) and W = --workers (an in-process LocalCluster: its start
is inside the time). Runs alternate serial/Dask `--repeat` times; the table gives the
median of each and their ratio, and checks that every run wrote byte-identical folders.
"""

from __future__ import annotations

import hashlib
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.instances import OUT, REPO
from benchmarks.results import (
    RESULTS,
    code_note,
    machine_line,
    markdown_table,
    planner_digest,
    text_table,
    update_section,
)

BASE = REPO / "scenarios" / "demo" / "scenario.yaml"
GRID = REPO / "scenarios" / "sweep" / "grid.yaml"


def digest(folder: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            h.update(str(path.relative_to(folder)).encode())
            h.update(path.read_bytes())
    return h.hexdigest()[:16]


def one_run(workers: int, out: Path, grid: Path) -> dict[str, Any]:
    command = [sys.executable, "-m", "planner", "sweep", str(BASE), "--grid", str(grid), "-o",
               str(out), "--workers", str(workers), "--json"]
    load = os.getloadavg()[0]
    started = time.perf_counter()
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise SystemExit(f"sweep failed ({done.returncode}):\n{done.stderr[-3000:]}")
    report = json.loads(done.stdout)
    return {"workers": workers, "wall_s": wall, "inside_s": report["seconds"],
            "variants": len(report["variants"]) - 1, "digest": digest(out),
            "failed": sum(v["status"] == "failed" for v in report["variants"]),
            "load": (load, os.getloadavg()[0])}


def run_sweep_benchmark(workers: int = 2, repeat: int = 2, grid: Path = GRID,
                        results_path: Path | None = RESULTS,
                        command: str = "python -m benchmarks sweep") -> int:
    code = planner_digest()
    runs: list[dict[str, Any]] = []
    for index in range(repeat):
        for count in (0, workers):
            run = one_run(count, OUT / "sweep" / f"w{count}-{index}", grid)
            runs.append(run)
            print(f"  {'serial' if count == 0 else f'{count} Dask workers'}: "
                  f"{run['wall_s']:.1f} s wall ({run['inside_s']:.1f} s inside), "
                  f"{run['variants']} variants, load {run['load'][0]:.1f}–{run['load'][1]:.1f}",
                  flush=True)
    serial = statistics.median(r["wall_s"] for r in runs if r["workers"] == 0)
    dask = statistics.median(r["wall_s"] for r in runs if r["workers"] == workers)
    same = len({r["digest"] for r in runs}) == 1
    speedup = serial / dask
    header = ["sweep", "variants (+ base)", "runs each", "serial s (median)",
              f"{workers} Dask workers s (median)", "speed-up", "≥ 1.7×",
              "byte-identical outputs"]
    row = [f"demo × {grid.name}", f"{runs[0]['variants']} (+1)", str(repeat), f"{serial:.1f}",
           f"{dask:.1f}", f"{speedup:.2f}×", "yes" if speedup >= 1.7 else "NO",
           "yes" if same else "NO"]
    loads = [x for r in runs for x in r["load"]]
    notes = [code_note(code),
             "each run: `python -m planner sweep scenarios/demo/scenario.yaml --grid "
             f"{grid.relative_to(REPO)} -o … --workers W --json` in a fresh process, wall clock "
             "(interpreter start, imports and the LocalCluster's start included); W = 0 plans "
             "serially without Dask",
             "runs: " + ", ".join(f"{'serial' if r['workers'] == 0 else 'dask'} "
                                  f"{r['wall_s']:.1f} s" for r in runs),
             f"machine load (1-min load average over the runs): {min(loads):.1f}–"
             f"{max(loads):.1f} on 2 cores — other helpers shared the machine when above ~2; "
             "with two workers on a loaded machine the speed-up is bounded by the cores left"]
    text = "\n" + text_table(header, [row]) + "".join(f"  {n}\n" for n in notes)
    print(text)
    if results_path is not None:
        markdown = (f"## sweep (demo grid) on Dask vs serial\n\n{machine_line()}\n\n"
                    f"```bash\n{command}\n```\n\n" + markdown_table(header, [row]) + "\n"
                    + "".join(f"- {n}\n" for n in notes))
        update_section("sweep", markdown, results_path)
        print(f"updated {results_path}")
    return 0 if same else 1
