"""Benchmark instances: a preset's roster from a seed, and a scenario overlay that points at it.

Every instance lives in `benchmarks/out/<preset>-s<seed>/` (gitignored):
- `roster/` — written by `rotation generate --preset <preset> --seed <seed>` (the library
  call `planner.generate.write_roster`, byte-identical to the CLI) unless it exists already
  and `roster.stamp` beside it says it was made by the same generator code (a roster left
  by an older generator is made afresh: results on a stale roster would mislead);
- `scenario.yaml` — `extends:` the repository's `scenarios/<preset>/scenario.yaml` (horizon,
  rules, weights) and overrides only `data:` (the roster above) and, when asked, the solver's
  time limit. The base scenario is never modified.

The `demo` preset is the committed, hand-made `scenarios/demo` (quận Tây Hồ, 44 cadres): its
roster is what the planner's tests and docs use, so the benchmark overlays it instead of
generating the synthetic `demo` roster (the seed is ignored for demo).
"""

from __future__ import annotations

import hashlib
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "benchmarks" / "out"
PRESETS = ("demo", "district", "hanoi-2025", "hanoi-2023", "national")


@dataclass(frozen=True)
class Instance:
    preset: str
    seed: int
    folder: Path
    scenario: Path
    roster: Path
    generate_command: str
    generated_s: float | None  # seconds to generate the roster in this run (None: reused)


# the code a generated roster depends on: a change to any of them makes rosters afresh
GENERATOR_SOURCES = ("planner/generate.py", "planner/vn_names.py")


def generator_stamp(preset: str, seed: int) -> str:
    digest = hashlib.sha256()
    for name in GENERATOR_SOURCES:
        digest.update((REPO / name).read_bytes())
    return f"{preset} seed {seed} generator {digest.hexdigest()[:16]}\n"


def instance_folder(preset: str, seed: int, out: Path = OUT) -> Path:
    return out / f"{preset}-s{seed}"


def prepare(preset: str, seed: int = 1, time_limit_s: float | None = None,
            gap: float | None = None, out: Path = OUT) -> Instance:
    """Generate the roster if missing and write the scenario overlay; return the instance.
    `out` is the folder of instances (default benchmarks/out; tests pass a temporary one)."""
    if preset not in PRESETS:
        raise SystemExit(f"unknown preset {preset!r}; valid: {', '.join(PRESETS)}")
    base = REPO / "scenarios" / preset / "scenario.yaml"
    folder = instance_folder(preset, seed, out)
    folder.mkdir(parents=True, exist_ok=True)
    generated: float | None = None
    if preset == "demo":
        roster = REPO / "scenarios" / "demo" / "roster"
        command = "(committed) scenarios/demo/roster"
    else:
        roster = folder / "roster"
        shown = roster.relative_to(REPO) if roster.is_relative_to(REPO) else roster
        command = f"rotation generate --preset {preset} --seed {seed} -o {shown}"
        stamp = folder / "roster.stamp"
        wanted = generator_stamp(preset, seed)
        made = stamp.read_text(encoding="utf-8") if stamp.exists() else ""
        if not (roster / "cadres.csv").exists() or made != wanted:
            from planner.generate import write_roster

            shutil.rmtree(roster, ignore_errors=True)
            started = time.perf_counter()
            write_roster(preset, seed, roster)
            generated = time.perf_counter() - started
            stamp.write_text(wanted, encoding="utf-8")
    lines = [f"# benchmark overlay of {base.relative_to(REPO)} (written by benchmarks)",
             f"extends: {base}", f"data: {roster}"]
    solver = {}
    if time_limit_s is not None:
        solver["time_limit_s"] = f"{time_limit_s:g}"
    if gap is not None:
        solver["gap"] = f"{gap:g}"
    if solver:
        lines.append("solver: {" + ", ".join(f"{k}: {v}" for k, v in solver.items()) + "}")
    scenario = folder / "scenario.yaml"
    text = "\n".join(lines) + "\n"
    if not scenario.exists() or scenario.read_text(encoding="utf-8") != text:
        scenario.write_text(text, encoding="utf-8")
    return Instance(preset, seed, folder, scenario, roster, command, generated)
