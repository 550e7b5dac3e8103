"""Comparing plans (`rotation compare`), and what became of an earlier plan (`plan --from`).

`rotation compare BASE VARIANT…` takes plan folders (the output of `rotation plan`: its
plan.yaml gives status, objective, gap, KPIs and penalties; its moves.csv the moves), bare
moves files (a moves.csv, the report's .xlsx or a CSV saved from it: read as `check` reads
them and checked against the scenario for their KPIs and penalties) or scenario files,
which are planned in memory first (nothing is written; `planner.api.compare` reads each).
The first argument is the base: every other plan is shown beside it with the difference,
and its moves are diffed against the base's by cadre — added (the cadre moves only in the
variant), removed (only in the base) and changed (both move them, to another post, form or
round).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from planner.errors import InputError, Problem
from planner.facts import Facts
from planner.plan import REQUIRED_MOVE_COLUMNS, Plan
from planner.roster_io import csv_text
from planner.scenario import Scenario
from planner.workspace import Workspace
from planner.yamlio import read_yaml

MOVE_FIELDS = ("form", "to_position", "round")


@dataclass(frozen=True)
class MoveRow:
    """A move as the comparison sees it (ids only: the plans may have different rosters)."""

    cadre: str
    form: str
    from_position: str
    to_position: str
    round: str
    #: for people, when the moves file has them (moves.csv and the workbook do)
    name: str = field(default="", compare=False)
    from_title: str = field(default="", compare=False)
    to_title: str = field(default="", compare=False)

    def describe(self) -> str:
        to = f"{self.to_title} ({self.to_position})" if self.to_title else self.to_position
        origin = (f"{self.from_title} ({self.from_position})" if self.from_title
                  else self.from_position or "—")
        return f"{self.form} {origin} → {to} ({self.round})"

    def as_dict(self) -> dict[str, str]:
        return {"form": self.form, "from": self.from_position, "to": self.to_position,
                "round": self.round}


@dataclass
class PlanRun:
    """One plan to compare: its label, where it came from, plan.yaml's document, its moves."""

    label: str
    source: str
    document: dict[str, Any]
    moves: dict[str, MoveRow] = field(default_factory=dict)

    @property
    def kpis(self) -> dict[str, Any]:
        kpis: dict[str, Any] = self.document.get("kpis") or {}
        return kpis

    @property
    def penalties(self) -> dict[str, float]:
        penalties: dict[str, float] = self.document.get("penalties") or {}
        return penalties


@dataclass(frozen=True)
class MoveChange:
    """A difference between a variant's moves and the base's, for one cadre."""

    change: str  # added | removed | changed
    cadre: str
    base: MoveRow | None
    variant: MoveRow | None
    fields: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        """The cadre's name, from whichever side knows it."""
        return (self.variant.name if self.variant else "") or (
            self.base.name if self.base else "")

    def as_dict(self) -> dict[str, Any]:
        return {"change": self.change, "cadre": self.cadre, "name": self.name,
                "base": self.base.as_dict() if self.base else None,
                "variant": self.variant.as_dict() if self.variant else None,
                "fields": list(self.fields)}


@dataclass(frozen=True)
class KpiRow:
    """One line of the side-by-side table: a key and the value in each plan (None: absent)."""

    key: str
    values: tuple[Any, ...]

    def delta(self, index: int) -> float | None:
        """Variant minus base for numbers; None for text or missing values."""
        base, value = self.values[0], self.values[index]
        if isinstance(base, int | float) and isinstance(value, int | float) \
                and not isinstance(base, bool):
            return value - base
        return None


@dataclass
class Comparison:
    runs: list[PlanRun]
    rows: list[KpiRow]
    diffs: dict[str, list[MoveChange]]

    def as_dict(self) -> dict[str, Any]:
        return {
            "base": self.runs[0].label,
            "plans": [{"label": r.label, "source": r.source,
                       "status": r.document.get("status"),
                       "objective": r.document.get("objective"),
                       "gap": r.document.get("gap")} for r in self.runs],
            "kpis": [{"kpi": row.key, "values": dict(zip(self.labels, row.values, strict=True))}
                     for row in self.rows],
            "diffs": {label: [c.as_dict() for c in changes]
                      for label, changes in self.diffs.items()},
        }

    @property
    def labels(self) -> list[str]:
        return [r.label for r in self.runs]


# ------------------------------------------------------------------------------ reading


def is_plan_folder(path: Path) -> bool:
    return path.is_dir() and (path / "plan.yaml").exists()


def read_plan_folder(folder: Path, label: str | None = None) -> PlanRun:
    """A plan folder written by `rotation plan`: plan.yaml and moves.csv."""
    if not folder.is_dir():
        raise InputError([Problem(str(folder), message="plan folder not found")])
    document_path = folder / "plan.yaml"
    if not document_path.exists():
        raise InputError([Problem(str(document_path), message="plan.yaml not found: not a plan "
                                  "folder written by `rotation plan`")])
    document, locate = read_yaml(document_path)
    if not isinstance(document, dict) or not isinstance(document.get("kpis"), dict):
        line, column = locate(["kpis"])
        raise InputError([Problem(str(document_path), line, column, "kpis",
                                  "no KPIs: not a plan.yaml written by `rotation plan`")])
    return PlanRun(label or folder.name, str(folder), document,
                   read_move_rows(folder / "moves.csv"))


def read_move_rows(path: Path) -> dict[str, MoveRow]:
    """The moves of a moves file (CSV or .xlsx) by cadre, as text (no roster needed)."""
    from planner.dialect import read_move_rows as read_rows

    table = read_rows(path)
    missing = [c for c in REQUIRED_MOVE_COLUMNS if c not in table.columns]
    if missing:
        raise InputError([Problem(table.file, table.header_line, None, column,
                                  "required column is missing") for column in missing])
    moves: dict[str, MoveRow] = {}
    for _line, cells in table.rows:
        if not cells.get("cadre"):
            continue
        moves[cells["cadre"]] = MoveRow(cells["cadre"], cells.get("form", ""),
                                        cells.get("from_position", ""),
                                        cells.get("to_position", ""), cells.get("round", ""),
                                        cells.get("name", ""), cells.get("from_title", ""),
                                        cells.get("to_title", ""))
    return moves


def run_of(facts: Facts, plan: Plan, document: dict[str, Any], label: str,
           source: str) -> PlanRun:
    """A plan in memory as a PlanRun, with the names and titles from the roster."""
    roster = facts.roster

    def title(position_id: str | None) -> str:
        position = roster.position_by_id.get(position_id or "")
        return position.title if position else ""

    moves = {m.cadre: MoveRow(m.cadre, m.form, m.from_position or "", m.to_position, m.round,
                              roster.cadre_by_id[m.cadre].name, title(m.from_position),
                              title(m.to_position))
             for m in plan.moves}
    return PlanRun(label, source, document, moves)


#: how a moves file's plan is described where a solved plan has the solver's status
CHECKED = "checked"
MOVES_SUFFIXES = (".csv", ".xlsx", ".xlsm")


def is_moves_file(path: Path) -> bool:
    return path.is_file() and path.suffix.lower() in MOVES_SUFFIXES


def moves_file_label(path: Path) -> str:
    """'what-if' for what-if.csv; 'demo/report.xlsx' for the generic names a plan folder or
    report holds (moves.csv, report.xlsx), which alone would not say which plan it is."""
    if path.stem.lower() in ("moves", "report"):
        return f"{path.resolve().parent.name}/{path.name}"
    return path.stem


def read_moves_run(path: Path, workspace: Workspace, label: str | None = None) -> PlanRun:
    """A bare moves file — CSV (`,`/`;`, BOM, Vietnamese headers and labels) or the report's
    workbook — read as `rotation check` reads it and checked against the scenario, which
    gives its KPIs, penalties and verdict. Status `checked`: no solver ran, so there is no
    objective or gap."""
    from planner.checker import check_plan
    from planner.plan import read_moves
    from planner.planio import plan_document

    facts = workspace.facts
    plan = read_moves(path, workspace.scenario)
    report = check_plan(facts, plan)
    document = plan_document(facts, plan, report, CHECKED, 0.0, 0.0, 0.0)
    document["objective"] = document["gap"] = document["bound"] = None
    return run_of(facts, plan, document, label or moves_file_label(path), str(path))


def unique_labels(runs: Sequence[PlanRun]) -> None:
    """Make labels unique in place (plans/a/x and plans/b/x are both called 'x')."""
    seen: dict[str, int] = {}
    for run in runs:
        count = seen.get(run.label, 0)
        seen[run.label] = count + 1
        if count:
            run.label = f"{run.label}#{count + 1}"


# ------------------------------------------------------------------------------ comparing


def diff_moves(base: PlanRun, variant: PlanRun) -> list[MoveChange]:
    """Moves added, removed and changed in the variant, by cadre (base order, then new)."""
    changes: list[MoveChange] = []
    for cadre, before in base.moves.items():
        after = variant.moves.get(cadre)
        if after is None:
            changes.append(MoveChange("removed", cadre, before, None))
            continue
        fields = tuple(f for f in MOVE_FIELDS if getattr(before, f) != getattr(after, f))
        if fields:
            changes.append(MoveChange("changed", cadre, before, after, fields))
    changes += [MoveChange("added", cadre, None, after)
                for cadre, after in variant.moves.items() if cadre not in base.moves]
    return changes


SCALAR_KPIS = ("moves", "due_cadres", "due_moved", "due_left", "vacancies_at_start",
               "vacancies_filled", "vacant_at_end")
GROUPED_KPIS = ("moves_by_form", "moves_by_direction")


def compare(runs: Sequence[PlanRun]) -> Comparison:
    """The side-by-side KPI table and each variant's move diff against the first plan."""
    if not runs:
        raise ValueError("nothing to compare")
    runs = list(runs)
    unique_labels(runs)
    rows: list[KpiRow] = []

    def add(key: str, values: Sequence[Any]) -> None:
        rows.append(KpiRow(key, tuple(values)))

    add("status", [r.document.get("status") for r in runs])
    for name in ("objective", "gap"):
        add(name, [r.document.get(name) for r in runs])
    for name in SCALAR_KPIS:
        add(name, [r.kpis.get(name) for r in runs])
    for group in GROUPED_KPIS:
        keys = sorted({k for r in runs for k in (r.kpis.get(group) or {})})
        for key in keys:
            add(f"{group}.{key}", [(r.kpis.get(group) or {}).get(key, 0) for r in runs])
    rules = sorted({k for r in runs for k in r.penalties})
    for rule_id in rules:
        add(f"penalty.{rule_id}", [r.penalties.get(rule_id, 0.0) for r in runs])
    add("penalty.total", [round(sum(r.penalties.values()), 6) for r in runs])
    diffs = {run.label: diff_moves(runs[0], run) for run in runs[1:]}
    add("moves_changed_vs_base", [0, *(len(diffs[r.label]) for r in runs[1:])])
    return Comparison(runs, rows, diffs)


def kpi_csv(comparison: Comparison) -> str:
    """The side-by-side table: `kpi,<base>,<variant>…`."""
    return csv_text(("kpi", *comparison.labels),
                    ([row.key, *("" if v is None else v for v in row.values)]
                     for row in comparison.rows))


DIFF_COLUMNS = ("variant", "change", "cadre", "base_form", "base_from", "base_to", "base_round",
                "variant_form", "variant_from", "variant_to", "variant_round", "fields",
                "name", "base_to_title", "variant_to_title", "from_title")


def diff_csv(comparison: Comparison) -> str:
    """Every move-level difference, one row each: `variant,change,cadre,base_…,variant_…`."""
    def cells(move: MoveRow | None) -> list[str]:
        return [move.form, move.from_position, move.to_position, move.round] if move else \
            ["", "", "", ""]

    return csv_text(DIFF_COLUMNS, ([label, c.change, c.cadre, *cells(c.base), *cells(c.variant),
                                    ";".join(c.fields), c.name,
                                    c.base.to_title if c.base else "",
                                    c.variant.to_title if c.variant else "",
                                    _from_title(c.base, c.variant)]
                                   for label, changes in comparison.diffs.items()
                                   for c in changes))


def _from_title(*moves: MoveRow | None) -> str:
    """The title of the post the cadre leaves, from whichever side has the move."""
    return next((m.from_title for m in moves if m is not None and m.from_title), "")


def format_value(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def format_delta(delta: float | None) -> str:
    if delta is None or delta == 0:
        return ""
    return f" ({'+' if delta > 0 else ''}{delta:g})"


# ------------------------------------------------------------------------------ plan --from


def dropped_moves(moves_file: Path, kept: Plan, scenario: Scenario) -> list[str]:
    """A note for each move of an earlier plan that `read_moves(…, drop_stale=True)` dropped
    because it no longer fits the (variant) scenario, saying why."""
    roster = scenario.roster
    rounds = {r.name for r in scenario.rounds}
    notes = []
    for line, row in _raw_move_rows(moves_file):
        cadre_id, to_position = row.get("cadre", ""), row.get("to_position", "")
        if cadre_id in kept.move_by_cadre:
            continue
        cadre = roster.cadre_by_id.get(cadre_id)
        from_position = row.get("from_position") or None
        if cadre is None:
            why = f"cadre {cadre_id} is not in the scenario"
        elif to_position not in roster.position_by_id:
            why = f"post {to_position} is not in the scenario"
        elif from_position and from_position != cadre.position:
            why = f"{cadre_id} now holds {cadre.position or 'no post'}, not {from_position}"
        elif row.get("round") not in rounds:
            why = f"round {row.get('round')} is outside the horizon"
        else:
            why = "it no longer fits the scenario (see `rotation check`)"
        notes.append(f"{moves_file}:{line}: earlier move {cadre_id} → {to_position} dropped: "
                     f"{why}")
    return notes


def _raw_move_rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    from planner.dialect import read_move_rows as read_rows

    try:
        return [(line, row) for line, row in read_rows(path).rows if any(row.values())]
    except InputError:
        return []  # read_moves has already reported an unreadable file


def carry_over_summary(previous: Plan, notes: list[str], plan: Plan) -> dict[str, Any]:
    """What became of the earlier plan's moves in the new one (recorded in plan.yaml)."""
    kept = changed = 0
    for move in previous.moves:
        now = plan.move_by_cadre.get(move.cadre)
        if now is not None and (now.to_position, now.form, now.round) == (
                move.to_position, move.form, move.round):
            kept += 1
        else:
            changed += 1
    return {"plan": previous.source, "moves": len(previous.moves), "kept": kept,
            "changed_or_dropped": changed, "dropped_before_solving": notes}
