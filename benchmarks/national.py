"""National scale (≥ 200,000 cadres, 34 provinces) by decomposition into provinces.

`python -m benchmarks national [--seed N] [--workers 2] [--time-limit S]`

1. Split: the national roster is cut into one roster per province (every locality row is
   kept — hometowns point anywhere; units, positions and their holders go to their
   province; cadres without a post go to their hometown's province; history rows follow
   their cadre; relation pairs spanning two provinces are dropped from the province rosters,
   which is safe because every relatives conflict needs one unit or one locality, and the
   merged plan is re-checked against the full roster anyway).
2. Solve: each province runs the whole shipped pipeline (`load_workspace` →
   `solve_workspace`: candidates → model → components → HiGHS → plan → checker) in a
   `multiprocessing` pool of `--workers` spawned processes, one fresh process per province
   (`maxtasksperchild=1`, so a province's peak RSS is its own), largest provinces first.
3. Merge: the provinces' moves are concatenated into one moves.csv, read back against the
   full national scenario and checked by `planner.checker.check_plan` on the full roster,
   in a fresh process. Objective and bound are the sums over provinces (independent
   subproblems of the split).

What the split assumes, and what is measured to support it: a province's cadres only get
destinations inside their province. The rules themselves would allow many cross-province
moves (a commune→commune rotation to "another locality", a position change anywhere), and
in the two-tier roster there is no district level, so the candidate ranking's "same
district" term does not prefer the home province; the merge step samples movers of the
full roster and counts how many of the closest-ranked open posts lie in another province.

Peak memory: a sampler thread sums the RSS of all descendant processes every second (the
concurrent peak), and each process reports its own VmHWM.
"""

from __future__ import annotations

import csv
import math
import multiprocessing
import os
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

from benchmarks.instances import REPO, prepare
from benchmarks.peers import peak_rss_mib
from benchmarks.results import (
    RESULTS,
    code_note,
    machine_line,
    markdown_table,
    planner_digest,
    text_table,
    update_section,
)

ROSTER_FILES = ("localities.csv", "units.csv", "positions.csv", "cadres.csv",
                "relations.csv", "history.csv")


# ------------------------------------------------------------------------------------ split
def _read(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        return header, list(reader)


def split_roster(roster: Path, out: Path) -> dict[str, Any]:
    """One roster folder per province under `out/<province>/roster`; counts per province."""
    tables = {name: _read(roster / name) for name in ROSTER_FILES if (roster / name).exists()}
    loc_header, localities = tables["localities.csv"]
    col = {name: {c: i for i, c in enumerate(header)} for name, (header, _rows) in tables.items()}
    parent = {row[col["localities.csv"]["id"]]: row[col["localities.csv"]["parent"]]
              for row in localities}
    root = next(loc for loc, up in parent.items() if not up)

    def province_of(locality: str) -> str:
        while parent.get(locality) not in (root, "", None):
            locality = parent[locality]
        return locality

    provinces = sorted(loc for loc, up in parent.items() if up == root)
    units_h, units = tables["units.csv"]
    unit_province = {r[col["units.csv"]["id"]]: province_of(r[col["units.csv"]["locality"]])
                     for r in units}
    pos_h, positions = tables["positions.csv"]
    pos_province = {r[col["positions.csv"]["id"]]: unit_province[r[col["positions.csv"]["unit"]]]
                    for r in positions}
    cad_h, cadres = tables["cadres.csv"]
    cc = col["cadres.csv"]
    cadre_province: dict[str, str] = {}
    for r in cadres:
        if r[cc["position"]]:
            cadre_province[r[cc["id"]]] = pos_province[r[cc["position"]]]
        else:
            home = r[cc["hometown"]]
            cadre_province[r[cc["id"]]] = province_of(home) if home else provinces[0]
    buckets: dict[str, dict[str, list[list[str]]]] = {
        p: {name: [] for name in tables} for p in provinces}
    for p in provinces:
        buckets[p]["localities.csv"] = localities
    for r in units:
        buckets[unit_province[r[col["units.csv"]["id"]]]]["units.csv"].append(r)
    for r in positions:
        buckets[pos_province[r[col["positions.csv"]["id"]]]]["positions.csv"].append(r)
    for r in cadres:
        buckets[cadre_province[r[cc["id"]]]]["cadres.csv"].append(r)
    dropped = Counter[str]()
    if "relations.csv" in tables:
        rc = col["relations.csv"]
        for r in tables["relations.csv"][1]:
            a, b = cadre_province[r[rc["a"]]], cadre_province[r[rc["b"]]]
            if a == b:
                buckets[a]["relations.csv"].append(r)
            else:
                dropped["relations"] += 1
    if "history.csv" in tables:
        hc = col["history.csv"]
        for r in tables["history.csv"][1]:
            home = cadre_province[r[hc["cadre"]]]
            if pos_province.get(r[hc["position"]]) == home:
                buckets[home]["history.csv"].append(r)
            else:
                dropped["history"] += 1
    sizes: dict[str, int] = {}
    for p in provinces:
        folder = out / p / "roster"
        folder.mkdir(parents=True, exist_ok=True)
        for name, (header, _rows) in tables.items():
            with (folder / name).open("w", encoding="utf-8", newline="") as handle:
                writer = csv.writer(handle, lineterminator="\n")
                writer.writerow(header)
                writer.writerows(buckets[p][name])
        sizes[p] = len(buckets[p]["cadres.csv"])
    _ = (loc_header, units_h, pos_h, cad_h)
    return {"provinces": sizes, "dropped": dict(dropped)}


def province_scenario(base: Path, folder: Path, time_limit_s: float | None) -> Path:
    lines = [f"extends: {base}", f"data: {folder / 'roster'}"]
    if time_limit_s is not None:
        lines.append(f"solver: {{time_limit_s: {time_limit_s:g}}}")
    scenario = folder / "scenario.yaml"
    scenario.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return scenario


# ------------------------------------------------------------------------------------ solve
def solve_province(task: tuple[str, str]) -> dict[str, Any]:
    """The shipped pipeline on one province (runs in a pool worker)."""
    province, scenario = task
    started = time.perf_counter()
    result: dict[str, Any] = {"province": province}
    try:
        from planner.plan import moves_csv
        from planner.solver.run import solve_workspace
        from planner.workspace import load_workspace

        workspace = load_workspace(Path(scenario))
        result["load_s"] = time.perf_counter() - started
        planned = solve_workspace(workspace.facts)
        solution = planned.solution
        folder = Path(scenario).parent
        (folder / "moves.csv").write_text(moves_csv(planned.plan), encoding="utf-8",
                                          newline="")
        hard_due = sum(1 for u in planned.plan.unplaced
                       if (due := workspace.facts.due(u.cadre)) is not None and due.rule.hard)
        result |= {
            "cadres": len(workspace.scenario.roster.cadres),
            "movers": len(planned.candidates.movers), "options": len(planned.candidates.options),
            "columns": len(planned.model.costs), "rows": len(planned.model.rows),
            "status": solution.status, "objective": solution.objective,
            "bound": solution.bound, "gap": solution.gap, "moves": len(planned.plan.moves),
            "unplaced": len(planned.plan.unplaced), "hard_unplaced": hard_due,
            "hard_violations": len(planned.report.hard), **{
                f"{k}_s": v for k, v in planned.timings.items()},
        }
    except Exception as exc:  # one failed province is reported, the others still run
        result["error"] = f"{type(exc).__name__}: {exc}"[:500]
    result["seconds"] = time.perf_counter() - started
    result["peak_rss_mib"] = peak_rss_mib()
    return result


class RssSampler(threading.Thread):
    """Peak of the summed RSS of this process and all its descendants, sampled each second."""

    def __init__(self, every_s: float = 1.0):
        super().__init__(daemon=True)
        self.every_s = every_s
        self.peak_mib = 0.0
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.is_set():
            self.peak_mib = max(self.peak_mib, tree_rss_mib(os.getpid()))
            self._stop_event.wait(self.every_s)

    def stop(self) -> None:
        self._stop_event.set()
        self.join(5)


def tree_rss_mib(root: int) -> float:
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/status", encoding="ascii", errors="replace") as handle:
                ppid = kib = 0
                for line in handle:
                    if line.startswith("PPid:"):
                        ppid = int(line.split()[1])
                    elif line.startswith("VmRSS:"):
                        kib = int(line.split()[1])
        except OSError:
            continue
        children.setdefault(ppid, []).append(int(entry))
        rss[int(entry)] = kib
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, []))
    return total / 1024


# ------------------------------------------------------------------------- merge and check
def merge_and_check(scenario: str, moves_path: str, sample: int, conn: Any) -> None:
    """Runs in a fresh process: full national workspace, merged plan, checker, and the
    cross-province sample of the candidate ranking."""
    out: dict[str, Any] = {}
    try:
        from planner.checker import check_plan
        from planner.plan import read_moves
        from planner.workspace import load_workspace

        started = time.perf_counter()
        workspace = load_workspace(Path(scenario))
        out["load_s"] = time.perf_counter() - started
        started = time.perf_counter()
        plan = read_moves(Path(moves_path), workspace.scenario)
        out["read_s"] = time.perf_counter() - started
        started = time.perf_counter()
        report = check_plan(workspace.facts, plan)
        out["check_s"] = time.perf_counter() - started
        out["moves"] = len(plan.moves)
        out["hard_violations"] = len(report.hard)
        out["hard_rules"] = dict(Counter(v.rule_id for v in report.hard))
        kinds = {r.id: r.kind for r in workspace.facts.ruleset.rules}
        out["hard_not_due"] = sum(n for rule, n in out["hard_rules"].items()
                                  if kinds.get(rule) != "tenure_limit")
        out["soft_penalty"] = sum(report.penalties().values())
        out["check_peak_rss_mib"] = peak_rss_mib()
        out |= cross_province_sample(workspace.facts, sample)
    except Exception as exc:
        import traceback

        out["error"] = f"{type(exc).__name__}: {exc}"
        out["traceback"] = traceback.format_exc(limit=8)
    out["peak_rss_mib"] = peak_rss_mib()
    conn.send(out)
    conn.close()


def cross_province_sample(facts: Any, sample: int) -> dict[str, Any]:
    """For `sample` due cadres of the full roster: of their SCAN_LIMIT closest open posts
    (the planner's own ranking over the national open posts), how many lie in another
    province, and how many of those the per-move rules allow (at the due round)."""
    import random

    from planner.plan import Move
    from planner.solver import candidates as cand

    started = time.perf_counter()
    due = facts.due_cadres
    due_s = time.perf_counter() - started
    roster = facts.roster
    movers = [c for c in due if roster.cadre_by_id[c].position]
    open_posts = sorted({p.id for p in roster.vacant_positions}
                        | {roster.cadre_by_id[c].position or "" for c in movers} - {""})
    parent = {loc.id: loc.parent for loc in roster.localities}

    def province(position_id: str) -> str:
        locality = facts.place(position_id)["locality"]
        while parent.get(locality) and parent.get(parent[locality]):
            locality = parent[locality]
        return locality

    rng = random.Random(0)
    picked = rng.sample(movers, min(sample, len(movers)))
    limit = getattr(cand, "SCAN_LIMIT", 120)
    rules = cand.per_move_rules(facts)
    ranked = outside = allowed_outside = judged = 0
    # the planner's ranking as of this writing: `closest(facts, cadre, posts, features, n)`
    features = {p: cand.post_features(facts, p) for p in open_posts}
    for cadre_id in picked:
        top = cand.closest(facts, cadre_id, open_posts, features, limit)
        home = province(roster.cadre_by_id[cadre_id].position or "")
        cadre = roster.cadre_by_id[cadre_id]
        due_round = facts.rounds[facts.due(cadre_id).round_index]
        for post in top:
            ranked += 1
            if province(post) == home:
                continue
            outside += 1
            for form in cand.PROPOSED_FORMS:
                move = Move(cadre_id, form, cadre.position, post, due_round.name,
                            due_round.index, due_round.start)
                judged += 1
                if not cand.judge(facts, rules, move)[0]:
                    allowed_outside += 1
                    break
    return {"due_cadres": len(due), "due_s": due_s, "national_movers": len(movers),
            "national_open_posts": len(open_posts), "sampled_movers": len(picked),
            "ranked": ranked, "ranked_outside": outside, "allowed_outside": allowed_outside,
            "sample_s": time.perf_counter() - started - due_s}


# -------------------------------------------------------------------------------------- run
def run_national(seed: int = 1, workers: int = 2, time_limit_s: float | None = None,
                 only: list[str] | None = None, results_path: Path | None = RESULTS,
                 command: str = "python -m benchmarks national", sample: int = 60) -> int:
    started = time.perf_counter()
    code = planner_digest()
    instance = prepare("national", seed)
    base = REPO / "scenarios" / "national" / "scenario.yaml"
    split_dir = instance.folder / "provinces"
    sampler = RssSampler()
    sampler.start()
    t0 = time.perf_counter()
    split = split_roster(instance.roster, split_dir)
    split_s = time.perf_counter() - t0
    provinces = [p for p in split["provinces"] if not only or p in only]
    provinces.sort(key=lambda p: -split["provinces"][p])  # largest first: better balance
    tasks = [(p, str(province_scenario(base, split_dir / p, time_limit_s))) for p in provinces]
    print(f"split {sum(split['provinces'].values()):,} cadres into {len(provinces)} provinces "
          f"in {split_s:.1f} s (dropped {split['dropped']}); solving with {workers} workers",
          flush=True)
    t0 = time.perf_counter()
    results: list[dict[str, Any]] = []
    context = multiprocessing.get_context("spawn")
    with context.Pool(workers, maxtasksperchild=1) as pool:
        for result in pool.imap_unordered(solve_province, tasks):
            results.append(result)
            print(f"  {result['province']}: " + (
                f"ERROR {result['error']}" if "error" in result else
                f"{result['cadres']:,} cadres, {result['movers']:,} movers, "
                f"{result['status']}, objective {result['objective']:.1f}, gap "
                f"{100 * result['gap']:.2f}%, {result['seconds']:.0f} s, "
                f"{result['peak_rss_mib']:.0f} MiB") + f" [{len(results)}/{len(tasks)}, "
                f"{time.perf_counter() - started:.0f} s]", flush=True)
    solve_s = time.perf_counter() - t0
    merged = instance.folder / "national-moves.csv"
    header: str | None = None
    lines: list[str] = []
    for p in sorted(provinces):
        path = split_dir / p / "moves.csv"
        if not path.exists():
            continue
        text = path.read_text(encoding="utf-8").splitlines()
        header = header or text[0]
        lines += text[1:]
    merged.write_text("\n".join([header or "", *lines]) + "\n", encoding="utf-8")
    t0 = time.perf_counter()
    receiver, sender = context.Pipe(duplex=False)
    checker = context.Process(target=merge_and_check,
                              args=(str(instance.scenario), str(merged), sample, sender))
    checker.start()
    sender.close()
    check = receiver.recv() if receiver.poll(7200) else {"error": "no result"}
    checker.join(60)
    merge_s = time.perf_counter() - t0
    sampler.stop()
    total_s = time.perf_counter() - started
    summary = summarise(results, split, split_s, solve_s, merge_s, total_s, sampler.peak_mib,
                        check, workers)
    summary["code_note"] = code_note(code)
    text, markdown = render_national(summary, results, instance.generate_command, command)
    print(text)
    if results_path is not None:
        update_section("national", markdown, results_path)
        print(f"updated {results_path}")
    return 0 if summary["check"].get("hard_not_due") == 0 and summary["errors"] == 0 else 1


def summarise(results: list[dict[str, Any]], split: dict[str, Any], split_s: float,
              solve_s: float, merge_s: float, total_s: float, peak_mib: float,
              check: dict[str, Any], workers: int) -> dict[str, Any]:
    ok = [r for r in results if "error" not in r]
    objective = sum(r["objective"] for r in ok)
    bound = sum(r["bound"] for r in ok)
    gap = abs(objective - bound) / max(1e-9, abs(objective)) if ok else math.inf
    return {
        "provinces": len(results), "errors": len(results) - len(ok),
        "cadres": sum(split["provinces"].values()),
        "movers": sum(r["movers"] for r in ok), "options": sum(r["options"] for r in ok),
        "moves": sum(r["moves"] for r in ok), "unplaced": sum(r["unplaced"] for r in ok),
        "hard_unplaced": sum(r["hard_unplaced"] for r in ok),
        "statuses": dict(Counter(r["status"] for r in ok)),
        "objective": objective, "bound": bound, "gap": gap,
        "split_s": split_s, "solve_s": solve_s, "merge_check_s": merge_s, "total_s": total_s,
        "province_s_sum": sum(r["seconds"] for r in results),
        "province_s_max": max((r["seconds"] for r in results), default=0.0),
        "province_rss_max_mib": max((r["peak_rss_mib"] for r in results), default=0.0),
        "concurrent_peak_mib": peak_mib, "check": check, "dropped": split["dropped"],
        "hard_violations": check.get("hard_violations", -1), "workers": workers,
        "phase_s": {k: sum(r.get(f"{k}_s", 0.0) for r in ok)
                    for k in ("load", "candidates", "model", "solve", "check")},
    }


def render_national(summary: dict[str, Any], results: list[dict[str, Any]], generate: str,
                    command: str) -> tuple[str, str]:
    check = summary["check"]
    header = ["preset", "cadres", "provinces", "workers", "movers", "moves", "status",
              "objective", "bound", "gap", "hard (merged check)", "hard besides due left",
              "wall s", "≤ 30 min", "peak RSS MiB (all processes)", "≤ 16 GB"]
    row = [
        "national", f"{summary['cadres']:,}", str(summary["provinces"]), str(summary["workers"]),
        f"{summary['movers']:,}", f"{summary['moves']:,}",
        ", ".join(f"{n} {s}" for s, n in summary["statuses"].items()),
        f"{summary['objective']:.6g}", f"{summary['bound']:.6g}",
        f"{100 * summary['gap']:.2f}%", str(summary["hard_violations"]),
        str(check.get("hard_not_due", "—")),
        f"{summary['total_s']:.0f}", "yes" if summary["total_s"] <= 1800 else "NO",
        f"{summary['concurrent_peak_mib']:.0f}",
        "yes" if summary["concurrent_peak_mib"] <= 16 * 1024 else "NO"]
    phases = summary["phase_s"]
    notes = [
        summary.get("code_note", ""),
        f"wall time: split {summary['split_s']:.0f} s, provinces {summary['solve_s']:.0f} s "
        f"(sum over provinces {summary['province_s_sum']:.0f} s, slowest "
        f"{summary['province_s_max']:.0f} s), merge + full check "
        f"{summary['merge_check_s']:.0f} s",
        "province pipelines, summed: " + ", ".join(f"{k} {v:.0f} s" for k, v in phases.items()),
        f"largest province process peak {summary['province_rss_max_mib']:.0f} MiB; merged "
        f"check process peak {check.get('peak_rss_mib', 0):.0f} MiB",
        f"split dropped {summary['dropped'] or 'nothing'} (cross-province relation pairs; "
        "no relatives conflict can span provinces when every move stays inside one)",
        f"unplaced due cadres {summary['unplaced']:,} (hard-due {summary['hard_unplaced']:,})",
    ]
    if "error" in check:
        notes.append(f"merged check ERROR: {check['error']}")
    else:
        notes.append(
            f"merged check on the full roster: load {check['load_s']:.0f} s, read moves "
            f"{check['read_s']:.1f} s, check_plan {check['check_s']:.1f} s; hard violations "
            f"{check['hard_violations']} {check.get('hard_rules') or ''}")
        if check.get("ranked"):
            notes.append(
                f"why split by province: of the {check['ranked']:,} closest-ranked open posts "
                f"of {check['sampled_movers']} sampled due cadres (the planner's ranking over "
                f"all {check['national_open_posts']:,} national open posts; "
                f"{check['national_movers']:,} due movers), {check['ranked_outside']:,} lie in "
                f"another province and {check['allowed_outside']:,} of those the per-move "
                f"rules allow: a monolithic national run would plan cross-province moves "
                f"nobody in a province's organisation board decides")
    prov_header = ["province", "cadres", "movers", "columns", "rows", "status", "objective",
                   "gap", "moves", "unplaced", "s", "peak MiB"]
    prov_rows = [[r["province"], *(["ERROR " + r["error"][:80]] + ["—"] * 10
                                   if "error" in r else [
                 f"{r['cadres']:,}", f"{r['movers']:,}", f"{r['columns']:,}", f"{r['rows']:,}",
                 r["status"], f"{r['objective']:.6g}", f"{100 * r['gap']:.2f}%",
                 str(r["moves"]), str(r["unplaced"]), f"{r['seconds']:.0f}",
                 f"{r['peak_rss_mib']:.0f}"])]
                 for r in sorted(results, key=lambda r: r["province"])]
    text = "\n" + text_table(header, [row]) + "".join(f"  {n}\n" for n in notes)
    markdown = (f"## national (seed 1), by province\n\n{machine_line()}\n\n"
                f"```bash\n{generate}\n{command}\n```\n\n" + markdown_table(header, [row])
                + "\n" + "".join(f"- {n}\n" for n in notes)
                + "\n<details><summary>per province</summary>\n\n"
                + markdown_table(prov_header, prov_rows) + "\n</details>\n")
    return text, markdown
