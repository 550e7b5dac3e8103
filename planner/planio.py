"""The plan folder (DESIGN §2.5): moves.csv, unplaced.csv and plan.yaml, written atomically.

plan.yaml holds no clock time, so the same inputs give byte-identical files; provenance
(sha256 of every input, versions, solver settings) and one run hash identify the run.
"""

from __future__ import annotations

import hashlib
import io
import os
from collections import Counter
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from planner import outputs
from planner.checker import CheckReport
from planner.facts import Facts
from planner.plan import Plan, Unplaced, moves_csv
from planner.roster_io import Roster, csv_text


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def input_files(facts: Facts) -> list[Path]:
    """Every file the plan depends on: scenario chain, rule files, roster files."""
    files = list(facts.scenario.files) + list(facts.ruleset.files)
    data = facts.scenario.data_path
    files += sorted(data.glob("*.csv")) if data.is_dir() else [data]
    return files


def relative_name(path: Path, base: Path) -> str:
    """`path` relative to `base` in POSIX form (`../../rules/qd-65.yaml`): never absolute."""
    try:
        return Path(os.path.relpath(path.resolve(), base.resolve())).as_posix()
    except ValueError:  # another drive (Windows): the name alone
        return path.name


def provenance(facts: Facts, previous: Path | None = None) -> dict[str, Any]:
    """sha256 of every input named relative to the scenario's folder (so the record is the
    same wherever the command runs from and holds no machine paths), versions, settings,
    and a run hash over all of it — including the `--from` plan's moves, if any."""
    base = facts.scenario.path.resolve().parent
    hashes = {relative_name(path, base): sha256_of(path) for path in input_files(facts)}
    settings = facts.scenario.solver
    record: dict[str, Any] = {
        "scenario": relative_name(facts.scenario.path, base),
        "inputs": dict(sorted(hashes.items())),
        "rulesets": list(facts.ruleset.names),
        "versions": {name: _version(name) for name in ("rotation", "ortools", "highspy")},
        # the engine inside OR-Tools that solved the model (its version is above)
        "solver": {"engine": settings.engine, "time_limit_s": settings.time_limit_s,
                   "gap": settings.gap, "seed": settings.seed, "threads": settings.threads},
    }
    if previous is not None:
        record["from"] = {"moves": sha256_of(previous)}
    digest = hashlib.sha256(repr(sorted(_flatten(record))).encode("utf-8")).hexdigest()
    record["run_hash"] = digest
    return record


def _flatten(data: Any, prefix: str = "") -> list[tuple[str, str]]:
    if isinstance(data, dict):
        return [item for k, v in data.items() for item in _flatten(v, f"{prefix}{k}.")]
    if isinstance(data, list):
        return [item for i, v in enumerate(data) for item in _flatten(v, f"{prefix}{i}.")]
    return [(prefix, str(data))]


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "unknown"


def kpis(facts: Facts, plan: Plan) -> dict[str, Any]:
    """Moves by form and direction, due cadres moved and left, vacancies filled."""
    due = set(facts.due_cadres)
    moved = {m.cadre for m in plan.moves}
    vacant = {p.id for p in facts.roster.vacant_positions}
    vacated = {m.from_position for m in plan.moves if m.from_position}
    filled = {m.to_position for m in plan.moves}
    return {
        "moves": len(plan.moves),
        "moves_by_form": dict(sorted(Counter(m.form for m in plan.moves).items())),
        "moves_by_direction": dict(sorted(Counter(
            facts.direction(m.from_position, m.to_position) for m in plan.moves).items())),
        "moves_by_round": dict(sorted(Counter(m.round for m in plan.moves).items())),
        "due_cadres": len(due),
        "due_moved": len(due & moved),
        "due_left": len(due - moved),
        "vacancies_at_start": len(vacant),
        "vacancies_filled": len(vacant & filled),
        "vacant_at_end": len((vacant | vacated) - filled),
    }


def weights_document(facts: Facts) -> dict[str, Any]:
    from planner.weights import weights_document as document

    return document(facts)


def plan_document(facts: Facts, plan: Plan, report: CheckReport, status: str,
                  objective: float, bound: float, gap: float,
                  previous: Path | None = None) -> dict[str, Any]:
    return {
        "scenario": facts.scenario.name,
        "title": facts.scenario.title,
        "status": status,
        "objective": round(objective, 6),
        "bound": round(bound, 6),
        "gap": round(gap, 6),
        "verdict": report.verdict(),
        "kpis": kpis(facts, plan),
        "penalties": {k: round(v, 6) for k, v in sorted(report.penalties().items())},
        "weights": weights_document(facts),
        "moves": [{"cadre": m.cadre, "form": m.form, "from": m.from_position, "to":
                   m.to_position, "round": m.round} for m in plan.moves],
        "unplaced": [{"cadre": u.cadre, "reason": u.reason, "rules": list(u.rules)}
                     for u in plan.unplaced],
        "provenance": provenance(facts, previous),
    }


def yaml_text(data: Any) -> str:
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    yaml.allow_unicode = True
    yaml.sort_base_mapping_type_on_output = False  # type: ignore[assignment]
    buffer = io.StringIO()
    yaml.dump(data, buffer)
    return buffer.getvalue()


def unplaced_csv(plan: Plan, roster: Roster) -> str:
    """unplaced.csv: cadre, reason, rules, then for people the cadre's name, and the post
    they stay in with its title (appended: readers take the first three by name)."""
    def said(cadre_id: str) -> list[str]:
        cadre = roster.cadre_by_id.get(cadre_id)
        post = roster.position_by_id.get(cadre.position) if cadre and cadre.position else None
        return [cadre.name if cadre else "", post.id if post else "", post.title if post else ""]

    return csv_text(("cadre", "reason", "rules", "name", "post", "title"),
                    ([u.cadre, u.reason, ";".join(u.rules), *said(u.cadre)]
                     for u in plan.unplaced))


def write_plan_folder(out_dir: Path, facts: Facts, plan: Plan, document: dict[str, Any],
                      inputs: Iterable[Path] | None = None) -> None:
    """Write the three files into a fresh temporary folder, then swap it into place.

    Refuses (InputError) a folder that is not an earlier plan folder or holds an input
    (`planner.outputs`); `inputs` defaults to the files the facts were read from.
    """
    def fill(staging: Path) -> None:
        roster = facts.roster
        (staging / "moves.csv").write_text(moves_csv(plan, roster), encoding="utf-8",
                                           newline="")
        (staging / "unplaced.csv").write_text(unplaced_csv(plan, roster), encoding="utf-8",
                                              newline="")
        (staging / "plan.yaml").write_text(yaml_text(document), encoding="utf-8")

    # the marker (not plan.yaml, which stays the same wherever it is written) says where the
    # scenario is from the folder, for `rotation report` without --scenario
    where = relative_name(facts.scenario.path, out_dir.resolve())
    outputs.write_folder(out_dir, outputs.PLAN, fill,
                         input_files(facts) if inputs is None else inputs,
                         marker_extra=f"{SCENARIO_KEY}{where}\n")


SCENARIO_KEY = "scenario: "


def marked_scenario(plan_dir: Path) -> Path | None:
    """The scenario a plan folder's marker names (None for folders without one)."""
    marker = plan_dir / outputs.PLAN.marker
    try:
        lines = marker.read_text(encoding="utf-8").splitlines()[:10]
    except (OSError, UnicodeDecodeError):
        return None
    for line in lines:
        if line.startswith(SCENARIO_KEY):
            path = plan_dir / line[len(SCENARIO_KEY):].strip()
            return path if path.is_file() else None
    return None


def read_unplaced(path: Path) -> list[Unplaced]:
    """unplaced.csv as records (an absent file: nobody unplaced)."""
    import csv

    if not path.exists():
        return []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [Unplaced(row.get("cadre", ""), row.get("reason", ""),
                         tuple(r for r in (row.get("rules") or "").split(";") if r))
                for row in csv.DictReader(handle) if row.get("cadre")]
