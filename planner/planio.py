"""The plan folder (DESIGN §2.5): moves.csv, unplaced.csv and plan.yaml, written atomically.

plan.yaml holds no clock time, so the same inputs give byte-identical files; provenance
(sha256 of every input, versions, solver settings) and one run hash identify the run.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
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


def _yaml() -> YAML:
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    yaml.allow_unicode = True
    yaml.sort_base_mapping_type_on_output = False  # type: ignore[assignment]
    return yaml


def _dump(yaml: YAML, data: Any) -> str:
    buffer = io.StringIO()
    yaml.dump(data, buffer)
    return buffer.getvalue()


def yaml_text(data: Any) -> str:
    """`data` as block YAML. The long top-level lists of flat records (a plan's moves and
    unplaced: ruamel's pure emitter takes ~1 s for hanoi-2023's) are written record by record
    from each distinct (field, value)'s own text, as ruamel writes it in that place; the rest
    of the document, and any list that does not qualify, by ruamel as a whole."""
    yaml = _yaml()
    if not isinstance(data, dict) or type(data) is not dict:
        return _dump(yaml, data)
    lists = [k for k, v in data.items() if type(k) is str and _flat_records(v)]
    if not lists:
        return _dump(yaml, data)
    elsewhere = _containers({k: v for k, v in data.items() if k not in lists})
    inside: set[int] = set()
    for key in lists:
        for item in data[key]:
            inside.add(id(item))
            inside.update(id(v) for v in item.values() if type(v) is list)
    count = sum(len(data[key]) + sum(type(v) is list for item in data[key]
                                     for v in item.values()) for key in lists)
    if len(inside) != count or inside & elsewhere:
        return _dump(yaml, data)  # a shared object: ruamel writes an anchor and aliases
    text = _dump(yaml, {k: ([] if k in lists else v) for k, v in data.items()})
    for key in lists:
        block = _records_text(yaml, key, data[key])
        placeholder = f"{key}: []\n"
        starts = [0] if text.startswith(placeholder) else []
        at = text.find("\n" + placeholder)
        while at >= 0:
            starts.append(at + 1)
            at = text.find("\n" + placeholder, at + 1)
        if block is None or len(starts) != 1:
            return _dump(yaml, data)
        start = starts[0]
        text = text[:start] + block + text[start + len(placeholder):]
    return text


_SCALARS = (str, int, float, bool, type(None))
_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9_.\-]{0,59}", re.ASCII)


def _flat_records(value: Any) -> bool:
    return (type(value) is list and len(value) > 0 and all(
        type(item) is dict and len(item) > 0 and all(
            type(k) is str and (type(v) in _SCALARS or (
                type(v) is list and all(type(e) is str for e in v)))
            for k, v in item.items()) for item in value))


def _containers(data: Any) -> set[int]:
    found: set[int] = set()
    stack = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, dict | list | tuple | set):
            found.add(id(value))
            stack.extend(value.values() if isinstance(value, dict) else value)
    return found


def _plain(text: str, resolve: Any) -> bool:
    from ruamel.yaml.nodes import ScalarNode

    return bool(_PLAIN.fullmatch(text)) and resolve(
        ScalarNode, text, (True, False)) == "tag:yaml.org,2002:str"


def _records_text(yaml: YAML, key: str, records: list[dict[str, Any]]) -> str | None:
    """`key:` and its records, from each (field, value)'s text as ruamel writes it as the
    only field of a record: a field starts at the same column ("- " or "  ") first or not."""
    head = f"{key}:\n- "
    pieces: dict[tuple[str, Any], str] = {}
    resolve = yaml.resolver.resolve
    out = [f"{key}:\n"]
    for record in records:
        for number, (field, value) in enumerate(record.items()):
            # the type and, for a float, its repr: True is not 1, nor -0.0 0.0
            cache_key = (field, tuple(value) if type(value) is list else (
                type(value), repr(value) if type(value) is float else value))
            piece = pieces.get(cache_key)
            if piece is None and type(value) is str and _plain(field, resolve) and _plain(
                    value, resolve):
                # an id or code: no indicator, space or line break, short, read back as
                # text: written plain, as is (ruamel's dump of one costs ~0.2 ms)
                piece = pieces[cache_key] = f"{field}: {value}\n"
            if piece is None:
                dumped = _dump(yaml, {key: [{field: value}]})
                if not dumped.startswith(head):
                    return None
                piece = pieces[cache_key] = dumped[len(head):]
            out.append("  " if number else "- ")
            out.append(piece)
    return "".join(out)


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
