"""Benchmarks of the rotation planner (issue 5). Results go to benchmarks/RESULTS.md.

  python -m benchmarks run --preset hanoi-2023 [--peers ours,cpsat,highs-mono,greedy,bound]
                           [--time-limit S] [--seed N] [--results PATH]
  python -m benchmarks national [--seed N] [--workers 2] [--scheduler ADDRESS] [--sample N]
  python -m benchmarks sweep [--workers 2] [--variants 8]
  python -m benchmarks check-speed [--moves 3000]
  python -m benchmarks plan-speed [--presets demo,hanoi-2023]
  python -m benchmarks load-validate [--preset hanoi-2023]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from benchmarks.instances import PRESETS
from benchmarks.peers import DEFAULT_PEERS
from benchmarks.results import RESULTS


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="every peer on one preset; one table; RESULTS.md")
    run.add_argument("--preset", required=True, choices=PRESETS)
    run.add_argument("--peers", default=",".join(DEFAULT_PEERS),
                     help="comma-separated: ours, highs-mono, cpsat, cpsat-pruned, greedy, "
                          "bound (= lp,mcf), lp, mcf")
    run.add_argument("--time-limit", type=float, default=None,
                     help="seconds per solver (default: the scenario's solver.time_limit_s)")
    run.add_argument("--seed", type=int, default=1, help="roster seed (ignored for demo)")
    run.add_argument("--cpsat-scan", type=int, default=None,
                     help="textbook CP-SAT: open posts scanned per mover (0 = all; default "
                          "all, 120 on the Hanoi and national presets)")
    run.add_argument("--results", type=Path, default=RESULTS, help="RESULTS.md to update")
    run.add_argument("--no-results", action="store_true", help="do not write RESULTS.md")

    national = sub.add_parser("national", help="national preset by province on Dask")
    national.add_argument("--seed", type=int, default=1)
    national.add_argument("--workers", type=int, default=2, help="LocalCluster workers")
    national.add_argument("--scheduler", default=None, help="an existing Dask scheduler")
    national.add_argument("--sample", type=int, default=60,
                          help="due cadres sampled for the cross-province count (0: none)")
    national.add_argument("--time-limit", type=float, default=None)
    national.add_argument("--results", type=Path, default=RESULTS)
    national.add_argument("--no-results", action="store_true")

    sweep = sub.add_parser("sweep", help="`rotation sweep` of the demo grid: Dask vs serial")
    sweep.add_argument("--workers", type=int, default=2)
    sweep.add_argument("--repeat", type=int, default=2)
    sweep.add_argument("--results", type=Path, default=RESULTS)
    sweep.add_argument("--no-results", action="store_true")

    check = sub.add_parser("check-speed", help="check_plan on a 3,000-move hanoi-2023 plan")
    check.add_argument("--moves", type=int, default=3000)
    check.add_argument("--seed", type=int, default=1)
    check.add_argument("--results", type=Path, default=RESULTS)
    check.add_argument("--no-results", action="store_true")

    speed = sub.add_parser("plan-speed", help="`rotation plan` time, gap, memory, determinism")
    speed.add_argument("--presets", default="demo,hanoi-2023")
    speed.add_argument("--seed", type=int, default=1)
    speed.add_argument("--results", type=Path, default=RESULTS)
    speed.add_argument("--no-results", action="store_true")

    sub.add_parser("load-validate", help="time loading and validating (benchmarks.load_validate)",
                   add_help=False)
    if argv and argv[0] == "load-validate":
        from benchmarks.load_validate import main as load_main

        return load_main(argv[1:])
    args = parser.parse_args(argv)
    results = None if getattr(args, "no_results", False) else args.results
    if args.command == "run":
        from benchmarks.runner import command_line, run_preset

        run_preset(args.preset, args.peers, args.time_limit, args.seed, args.cpsat_scan,
                   results_path=results, command=command_line(argv))
        return 0
    if args.command == "national":
        from benchmarks.national import run_national
        from benchmarks.runner import command_line

        return run_national(args.seed, args.workers, args.time_limit, results,
                            command_line(argv), args.sample, args.scheduler)
    if args.command == "sweep":
        from benchmarks.runner import command_line
        from benchmarks.sweep import run_sweep_benchmark

        return run_sweep_benchmark(args.workers, args.repeat, results_path=results,
                                   command=command_line(argv))
    if args.command == "check-speed":
        from benchmarks.check_speed import run_check_speed
        from benchmarks.runner import command_line

        return run_check_speed(args.moves, args.seed, results, command_line(argv))
    from benchmarks.plan_speed import run_plan_speed
    from benchmarks.runner import command_line

    return run_plan_speed([p for p in args.presets.split(",") if p], args.seed, results,
                          command_line(argv))


if __name__ == "__main__":
    sys.exit(main())
