"""`python -m benchmarks run --preset X`: every peer on one instance, one table, RESULTS.md.

Peers run one after another (never two at once: the machine has 2 cores and CP-SAT uses
both), each in a fresh `spawn` process so its peak memory is its own. `ours` runs first and
pickles its candidate set and LinearModel; `highs-mono`, `greedy`, `lp`, `mcf` and
`cpsat-pruned` load that pickle, so they solve exactly our problem. `cpsat` builds its own
unpruned model (see `benchmarks/peers.py`).
"""

from __future__ import annotations

import json
import math
import multiprocessing
import os
import shlex
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.instances import OUT, REPO, Instance, prepare
from benchmarks.peers import ALIASES, DEFAULT_PEERS, PEERS, PeerSpec, child_main
from benchmarks.results import (
    RESULTS,
    code_note,
    machine_line,
    markdown_table,
    planner_digest,
    text_table,
    update_section,
)
from benchmarks.trace import gap_of

# Presets where judging every (mover × open post × round) triple would take tens of minutes
# in pure Python: the textbook model there keeps every allowed option among each mover's
# SCAN closest open posts (the same posts ours scans), instead of ours' first 30.
CPSAT_CAP = {"hanoi-2025": 120, "hanoi-2023": 120, "national": 120}
STAY_HARD = 1e6  # build_model's cost of a hard-due cadre's stay column
PRUNED_PEERS = ("highs-mono", "cpsat-pruned", "greedy", "timefold", "lp", "mcf")
LABELS = {"ours": "ours (column generation, OR-Tools)", "highs-mono": "HiGHS monolithic",
          "cpsat": "CP-SAT textbook, 2 workers", "cpsat-pruned": "CP-SAT on our model",
          "ours-wide": "ours on the textbook options",
          "greedy": "greedy (spreadsheet)", "timefold": "Timefold 1.24, local search",
          "lp": "bound: LP relaxation",
          "mcf": "bound: min-cost flow", "build": "build"}


@dataclass
class PresetRun:
    instance: Instance
    command: str
    time_limit_s: float
    gap: float
    results: dict[str, dict[str, Any]] = field(default_factory=dict)
    facts: dict[str, Any] = field(default_factory=dict)
    code: str = field(default_factory=planner_digest)


def expand(peers: str | list[str] | tuple[str, ...]) -> list[str]:
    names = peers.split(",") if isinstance(peers, str) else list(peers)
    out: list[str] = []
    for name in (n.strip() for n in names if n.strip()):
        for item in ALIASES.get(name, (name,)):
            if item not in PEERS:
                raise SystemExit(f"unknown peer {item!r}; valid: "
                                 f"{', '.join([*PEERS, *ALIASES])}")
            if item not in out:
                out.append(item)
    if "ours" in out:
        out.remove("ours")
        out.insert(0, "ours")
    elif any(p in PRUNED_PEERS for p in out):
        out.insert(0, "build")
    return out


def run_peer(spec: PeerSpec, timeout_s: float) -> dict[str, Any]:
    """Run one peer in a fresh spawned process; its result dict (or an error row)."""
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=child_main, args=(spec, sender), daemon=True)
    started = time.perf_counter()
    process.start()
    sender.close()
    result: dict[str, Any] | None = None
    try:
        if receiver.poll(timeout_s):
            result = receiver.recv()
    except EOFError:
        result = None
    if result is None and process.is_alive():
        process.terminate()  # our own child, by its handle
    process.join(60)
    if result is None:
        result = {"peer": spec.peer, "error": f"no result (exit code {process.exitcode}, "
                  f"timeout {timeout_s:g} s)"}
    result["wall_s"] = time.perf_counter() - started
    return result


def instance_facts(scenario: Path) -> dict[str, Any]:
    from planner.scenario import load_scenario

    loaded = load_scenario(scenario)
    roster = loaded.roster
    return {"cadres": len(roster.cadres), "positions": len(roster.positions),
            "vacant": len(roster.vacant_positions), "rounds": len(loaded.rounds),
            "time_limit_s": loaded.solver.time_limit_s, "gap": loaded.solver.gap,
            "seed": loaded.solver.seed}


def run_preset(preset: str, peers: str | list[str] | tuple[str, ...] = DEFAULT_PEERS,
               time_limit_s: float | None = None, seed: int = 1,
               cpsat_scan: int | None = None, cpsat_keep: int = 0,
               results_path: Path | None = RESULTS, command: str = "",
               echo: bool = True, out: Path = OUT) -> PresetRun:
    say = print if echo else (lambda *_a, **_k: None)
    instance = prepare(preset, seed, time_limit_s, out=out)
    if instance.generated_s is not None:
        say(f"generated {instance.roster} in {instance.generated_s:.1f} s")
    info = instance_facts(instance.scenario)
    limit = float(info["time_limit_s"])
    gap = float(info["gap"])
    scan = CPSAT_CAP.get(preset, 0) if cpsat_scan is None else cpsat_scan
    run = PresetRun(instance, command or f"python -m benchmarks run --preset {preset}",
                    limit, gap, facts=info)
    shared = instance.folder / "shared-model.pkl"
    shared.unlink(missing_ok=True)
    for peer in expand(peers):
        spec = PeerSpec(peer, str(instance.scenario), str(shared),
                        str(instance.folder / "plans"), limit, gap, int(info["seed"]),
                        scan, cpsat_keep)
        say(f"[{preset}] {peer} …", flush=True)
        result = run_peer(spec, timeout_s=3600 + 4 * limit)
        run.results[peer] = result
        say(f"[{preset}] {peer}: " + summary_line(result), flush=True)
        if peer in ("ours", "build") and "error" in result:
            break  # nothing else can load the shared model
    (instance.folder / "results.json").write_text(
        json.dumps({"command": run.command, "facts": info, "results": run.results},
                   indent=1, default=str), encoding="utf-8")
    text, markdown = render(run)
    say(text)
    if results_path is not None:
        update_section(preset, markdown, results_path)
        say(f"updated {results_path}")
    return run


def summary_line(result: dict[str, Any]) -> str:
    if "error" in result:
        return "ERROR " + result["error"]
    parts = [f"{k} {_fmt(result.get(k))}" for k in
             ("status", "objective", "bound", "solve_s", "hard_violations", "peak_rss_mib")
             if k in result]
    return ", ".join(parts) + f" (process {result.get('wall_s', 0):.1f} s)"


# ------------------------------------------------------------------------------- rendering
def _fmt(value: Any, digits: int = 1) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        if math.isnan(value):
            return "—"
        if math.isinf(value):
            return "∞" if value > 0 else "−∞"
        if abs(value) >= 1e6:
            return f"{value:.4g}"
        return f"{value:,.{digits}f}"
    return str(value)


def _pct(value: float | None) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if math.isinf(value):
        return "∞"
    return f"{100 * value:.2f}%"


def _ratio(a: float | None, b: float | None) -> str:
    if a is None or b is None or not (math.isfinite(a) and math.isfinite(b)) or b == 0:
        return "—"
    return f"{a / b:.2f}"


def best_bounds(results: dict[str, dict[str, Any]]) -> dict[str, float]:
    best: dict[str, float] = {}
    for result in results.values():
        bound = result.get("bound")
        if "error" in result or bound is None or not math.isfinite(bound):
            continue
        problem = result.get("problem", "")
        best[problem] = max(best.get(problem, -math.inf), bound)
    return best


def rows_of(run: PresetRun) -> tuple[list[str], list[list[str]]]:
    header = ["peer", "problem: bools / rows", "build s", "first plan s", "1% gap s",
              "solve s", "status", "objective", "bound", "gap (own)", "gap vs best",
              "hard", "hard besides due left", "moves", "peak RSS MiB", "t1% ours/peer",
              "obj peer/ours"]
    results = run.results
    best = best_bounds(results)
    ours = results.get("ours", {})
    rows = []
    for peer, r in results.items():
        if peer == "build":
            continue
        if "error" in r:
            rows.append([LABELS.get(peer, peer), "ERROR: " + r["error"][:120],
                         *["—"] * (len(header) - 2)])
            continue
        objective = r.get("objective")
        best_bound = best.get(r.get("problem", ""))
        gap_best = (gap_of(objective, best_bound) if objective is not None
                    and best_bound is not None and math.isfinite(objective) else None)
        shared = peer in PRUNED_PEERS
        build = "shared" if shared else _fmt(r.get("build_s"))
        size = f"{_fmt(r.get('booleans'))} / {_fmt(r.get('rows'))}"
        if r.get("problem") == "textbook":
            size += f" (textbook, cap: {r.get('cap')})"
            build = _fmt(r.get("build_s"))
        rows.append([
            LABELS.get(peer, peer), size, build, _fmt(r.get("first_plan_s")),
            _fmt(r.get("gap_1pct_s")), _fmt(r.get("solve_s")), str(r.get("status", "—")),
            _fmt(objective), _fmt(r.get("bound")), _pct(r.get("gap")), _pct(gap_best),
            _fmt(r.get("hard_violations")), _fmt(r.get("hard_not_due")), _fmt(r.get("moves")),
            _fmt(r.get("peak_rss_mib"), 0),
            "—" if peer == "ours" else _ratio(ours.get("gap_1pct_s"), r.get("gap_1pct_s")),
            "—" if peer == "ours" else _ratio(objective, ours.get("objective")),
        ])
    return header, rows


def ratio_lines(run: PresetRun) -> list[str]:
    results = run.results
    ours = results.get("ours", {})
    lines: list[str] = []
    if not ours or "error" in ours:
        return lines
    for peer, r in results.items():
        if peer == "ours" or "error" in r:
            continue
        if r.get("gap_1pct_s") is not None and ours.get("gap_1pct_s") is not None:
            lines.append(f"time to 1% gap, ours / {peer}: {ours['gap_1pct_s']:.1f} s / "
                         f"{r['gap_1pct_s']:.1f} s = "
                         f"{_ratio(ours['gap_1pct_s'], r['gap_1pct_s'])}")
        elif peer in ("highs-mono", "cpsat", "cpsat-pruned", "ours-wide"):
            lines.append(f"time to 1% gap, {peer}: not reached within "
                         f"{run.time_limit_s:g} s (ours: {_fmt(ours.get('gap_1pct_s'))} s)")
    wide, cpsat = results.get("ours-wide") or {}, results.get("cpsat") or {}
    if wide and cpsat and "error" not in wide and "error" not in cpsat:
        lines.append(f"same textbook problem, ours-wide vs cpsat: time to 1% gap "
                     f"{_fmt(wide.get('gap_1pct_s'))} s vs {_fmt(cpsat.get('gap_1pct_s'))} s "
                     f"(ratio {_ratio(wide.get('gap_1pct_s'), cpsat.get('gap_1pct_s'))}); "
                     f"objective {_fmt(wide.get('objective'))} vs {_fmt(cpsat.get('objective'))}"
                     f" (cpsat / ours-wide {_ratio(cpsat.get('objective'), wide.get('objective'))}"
                     f"); peak RSS {_fmt(wide.get('peak_rss_mib'), 0)} vs "
                     f"{_fmt(cpsat.get('peak_rss_mib'), 0)} MiB")
        if "hard_due_left" in wide and "hard_due_left" in ours:
            lines.append(f"what the candidate pruning costs: ours leaves "
                         f"{ours['hard_due_left']} hard-due cadres in place, ours-wide "
                         f"{wide['hard_due_left']}; objective {_fmt(ours.get('objective'))} vs "
                         f"{_fmt(wide.get('objective'))}; build {_fmt(ours.get('build_s'))} s "
                         f"vs {_fmt(wide.get('build_s'))} s, solve {_fmt(ours.get('solve_s'))} s"
                         f" vs {_fmt(wide.get('solve_s'))} s")
    greedy = results.get("greedy")
    if greedy and "error" not in greedy and greedy.get("objective") is not None:
        lines.append(f"objective greedy / ours: {_fmt(greedy['objective'])} / "
                     f"{_fmt(ours.get('objective'))} = "
                     f"{_ratio(greedy['objective'], ours.get('objective'))} (difference "
                     f"{_fmt(greedy['objective'] - ours['objective'])} in cost units; "
                     f"{greedy.get('hard_violations')} hard violations, "
                     f"{greedy.get('moves')} moves vs ours {ours.get('moves')})")
        left_g, left_o = greedy.get("hard_due_left", 0), ours.get("hard_due_left", 0)
        if left_g or left_o:
            net_g = greedy["objective"] - STAY_HARD * left_g
            net_o = ours["objective"] - STAY_HARD * left_o
            lines.append(f"hard-due cadres left in place (1e6 each in the objective): greedy "
                         f"{left_g}, ours {left_o}; objective without those penalties: greedy "
                         f"{_fmt(net_g)} / ours {_fmt(net_o)} = {_ratio(net_g, net_o)}")
    for peer in ("lp", "mcf"):
        bound = results.get(peer) or {}
        if bound and "error" not in bound and bound.get("solve_s"):
            lines.append(f"our solve time / {peer} relaxation time: {ours['solve_s']:.1f} s / "
                         f"{bound['solve_s']:.2f} s = "
                         f"{_ratio(ours['solve_s'], bound['solve_s'])}; "
                         f"relaxation value {_fmt(bound.get('relaxation'))} vs our objective "
                         f"{_fmt(ours.get('objective'))}"
                         + (f"; {bound['fractional']:,} of {bound.get('booleans', 0):,} "
                            "candidate columns fractional in the LP optimum"
                            if "fractional" in bound else ""))
    return lines


def note_lines(run: PresetRun) -> list[str]:
    results = run.results
    info = run.facts
    lines = [code_note(run.code),
             f"instance: {info['cadres']:,} cadres, {info['positions']:,} positions "
             f"({info['vacant']:,} vacant), {info['rounds']} rounds; solver time limit "
             f"{run.time_limit_s:g} s, gap {run.gap:g}, seed {info['seed']}"]
    ours = results.get("ours", {})
    if ours and "error" not in ours:
        lines.append(f"ours: {ours.get('movers'):,} movers, {ours.get('open_posts'):,} open "
                     f"posts, {ours.get('pairs_judged'):,} options judged; candidates "
                     f"{ours.get('candidates_s', 0):.1f} s, model {ours.get('model_s', 0):.1f} s,"
                     f" solve {ours.get('solve_s', 0):.1f} s "
                     f"({'; '.join(ours.get('solve_notes') or []) or 'one solve'}), "
                     f"check {ours.get('check_s', 0):.1f} s; whole pipeline "
                     f"{ours.get('pipeline_s', 0):.1f} s after loading "
                     f"({ours.get('load_s', 0):.1f} s)")
        for message in ours.get("progress", []):
            if "components" in message:
                lines.append(f"ours: {message}")
    loads = [x for r in results.values() for x in r.get("loadavg", ())]
    if loads:
        lines.append(f"machine load (1-min load average at each peer's start and end): "
                     f"{min(loads):.1f}–{max(loads):.1f} on {os.cpu_count()} cores — other "
                     "jobs shared the machine when this is above ~2; times are then inflated")
    cpsat = results.get("cpsat") or {}
    if cpsat and "error" not in cpsat:
        lines.append(f"cpsat: {cpsat.get('movers'):,} movers × {cpsat.get('open_posts'):,} open "
                     f"posts, {cpsat.get('pairs_judged'):,} options judged in "
                     f"{cpsat.get('candidates_s', 0):.1f} s, model built in "
                     f"{cpsat.get('build_s', 0):.1f} s, CP-SAT model written in "
                     f"{cpsat.get('translate_s', 0):.1f} s (inside 'solve s')")
        if cpsat.get("full_pairs"):
            lines.append(
                f"cpsat cap ({cpsat.get('cap')}): the uncapped textbook model would judge "
                f"{cpsat['full_pairs']:,} (mover, post) pairs — about "
                f"{cpsat['full_judge_calls_est']:,} rule judgements at "
                f"{cpsat['judge_us']:.0f} µs ≈ {cpsat['full_build_s_est'] / 60:.0f} min of "
                f"candidate generation — for ≈ {cpsat['full_booleans_est']:,} Booleans "
                f"(estimated from a seeded sample of 300 pairs)")
    for peer, r in results.items():
        if r.get("hard_rules"):
            lines.append(f"{peer}: hard violations by rule: " + ", ".join(
                f"{rule} {n}" for rule, n in r["hard_rules"].items()))
        if "error" in r and r.get("traceback"):
            lines.append(f"{peer}: {r['traceback'].strip().splitlines()[-1]}")
    return lines


def render(run: PresetRun) -> tuple[str, str]:
    header, rows = rows_of(run)
    inst = run.instance
    ratio = ratio_lines(run)
    notes = note_lines(run)
    text = (f"\n{inst.preset} (seed {inst.seed})\n" + text_table(header, rows)
            + "".join(f"  {line}\n" for line in ratio + notes))
    markdown = (f"## {inst.preset} (seed {inst.seed})\n\n"
                f"{machine_line()}\n\n"
                f"```bash\n{inst.generate_command}\n{run.command}\n```\n\n"
                + markdown_table(header, rows) + "\n"
                + "".join(f"- {line}\n" for line in ratio)
                + ("\n" if ratio else "")
                + "".join(f"- {line}\n" for line in notes))
    return text, markdown


def command_line(argv: list[str]) -> str:
    return "python -m benchmarks " + " ".join(shlex.quote(a) for a in argv)


def relative(path: Path) -> str:
    try:
        return str(path.relative_to(REPO))
    except ValueError:
        return str(path)


if __name__ == "__main__":
    sys.exit("use: python -m benchmarks run --preset NAME")
