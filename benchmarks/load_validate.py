"""Time loading and validating a roster: `python -m benchmarks.load_validate [--preset …]`.

What is timed is what `rotation validate` needs before any rule runs: parse scenario.yaml,
read every CSV file into records (`load_roster`), cross-check them (`check_roster`, pins,
forbids) — together `load_scenario` — and count them (`roster_summary`). `--with-rules`
also times `load_workspace` (rule files and derived facts), which the CLI runs today.

The roster is read from `scenarios/<preset>/roster` when that folder exists (written there
by `rotation generate`); otherwise, or with `--fresh`, it is generated with
`planner.generate` into a temporary folder. A scenario.yaml pointing at the roster and at the
repository's rules is written into a temporary folder; nothing in the repository changes.

Timing runs without tracemalloc (it slows allocation-heavy code several-fold); a separate
run under tracemalloc reports the peak Python heap, and getrusage the process's peak RSS.
Target (issue "foundation"): hanoi-2023 in at most 5 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import platform
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

from planner.roster_io import load_roster
from planner.scenario import load_scenario
from planner.summary import roster_summary
from planner.validate import check_roster

REPO = Path(__file__).resolve().parents[1]
RULES = REPO / "rules" / "plan-188.yaml"
TARGET_S = {"hanoi-2023": 5.0}


def prepare(preset: str, seed: int, fresh: bool, workdir: Path) -> tuple[Path, str]:
    """Write scenario.yaml into `workdir`; return it and a note on where the roster is from."""
    existing = REPO / "scenarios" / preset / "roster"
    if existing.is_dir() and not fresh:
        roster, origin = existing, f"{existing.relative_to(REPO)} (existing files; --seed ignored)"
    else:
        from planner.generate import write_roster

        roster = workdir / "roster"
        started = time.perf_counter()
        write_roster(preset, seed, roster)
        origin = f"generated, seed {seed}, in {time.perf_counter() - started:.1f} s"
    start = _horizon_start(preset)
    scenario = workdir / "scenario.yaml"
    scenario.write_text(
        f"name: bench-{preset}\n"
        f"horizon: {{start: {start}, end: {start.replace(year=start.year + 2)}, round: quarter}}\n"
        f"data: {roster}\n"
        f"rules: [{RULES}]\n",
        encoding="utf-8",
    )
    return scenario, origin


def _horizon_start(preset: str) -> dt.date:
    try:
        from planner.generate import reference_date
    except ImportError:
        return dt.date(2024, 1, 1)
    return reference_date(preset)


def timed(action: Callable[..., Any], *args: Any) -> tuple[float, Any]:
    """Seconds `action(*args)` took, and its result (after a collection, for steadier runs)."""
    gc.collect()
    started = time.perf_counter()
    result = action(*args)
    return time.perf_counter() - started, result


def validate(scenario_path: Path) -> dict[str, Any]:
    """What the target is for: the scenario with its roster, cross-checked, then counted."""
    return roster_summary(load_scenario(scenario_path))


def run(scenario_path: Path, repeats: int, with_rules: bool) -> dict[str, Any]:
    """Median and spread of each phase over `repeats` runs, and the peak memory of one."""
    phases: dict[str, list[float]] = {"load_roster": [], "check_roster": [], "validate": []}
    if with_rules:
        phases["load_workspace"] = []
    sizes: dict[str, int] = {}
    for _ in range(repeats):
        # The phases one by one, to see where time goes ...
        bare = load_scenario(scenario_path, with_roster=False)
        seconds, roster = timed(load_roster, bare.data_path)
        phases["load_roster"].append(seconds)
        seconds, _ = timed(check_roster, roster, bare.horizon.start)
        phases["check_roster"].append(seconds)
        # ... and the whole of it as the library is called: the number the target is for.
        seconds, summary = timed(validate, scenario_path)
        phases["validate"].append(seconds)
        sizes = {k: summary[k] for k in ("cadres", "positions", "vacancies", "relations")}
        if with_rules:
            from planner.workspace import load_workspace

            seconds, _ = timed(load_workspace, scenario_path)
            phases["load_workspace"].append(seconds)

    tracemalloc.start()
    validate(scenario_path)
    _current, peak_heap = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    # ru_maxrss is in KiB on Linux, bytes on macOS.
    max_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    rss_mib = max_rss / (1024 * 1024 if sys.platform == "darwin" else 1024)
    return {
        "sizes": sizes,
        "median_s": {name: statistics.median(times) for name, times in phases.items()},
        "runs_s": phases,
        "peak_heap_mib": peak_heap / 2**20,
        "peak_rss_mib": rss_mib,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", default="hanoi-2023")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--fresh", action="store_true", help="generate even if the folder exists")
    parser.add_argument("--with-rules", action="store_true", help="also time load_workspace")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="bench-load-") as folder:
        scenario, origin = prepare(args.preset, args.seed, args.fresh, Path(folder))
        results = run(scenario, args.repeats, args.with_rules)
    target = TARGET_S.get(args.preset)
    results |= {
        "preset": args.preset,
        "roster": origin,
        "repeats": args.repeats,
        "target_s": target,
        "python": platform.python_version(),
    }
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        print(f"preset {args.preset}: roster {origin}")
        print("  " + ", ".join(f"{v} {k}" for k, v in results["sizes"].items()))
        for name, median in results["median_s"].items():
            runs = ", ".join(f"{s:.2f}" for s in results["runs_s"][name])
            print(f"  {name:<15} median {median:6.2f} s   (runs: {runs})")
        print(
            f"  peak memory: {results['peak_heap_mib']:.0f} MiB Python heap (tracemalloc), "
            f"{results['peak_rss_mib']:.0f} MiB process RSS"
        )
        if target is not None:
            verdict = "meets" if results["median_s"]["validate"] <= target else "MISSES"
            print(f"  {verdict} the target of {target:g} s for load_scenario + roster_summary")
    return 0 if target is None or results["median_s"]["validate"] <= target else 1


if __name__ == "__main__":
    sys.exit(main())
