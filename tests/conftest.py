"""Shared fixtures: a private copy of the hand-made demo scenario, and small CSV editors.

Every test that changes input works on a copy in a temporary folder, so the demo in the
repository is never touched (and tests can run in parallel). Test modules import the plain
helpers (`from conftest import …`); pytest puts this folder on sys.path.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import settings

from planner.errors import InputError, Problem
from planner.roster_io import load_roster
from planner.validate import check_roster

# CI runs every property with a fixed derandomised seed, so a red build is reproducible and
# never depends on luck; locally hypothesis explores freely.
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "scenarios" / "demo"
RULES = REPO / "rules" / "plan-188.yaml"
# The demo horizon starts here; cross-checks that need a date use it.
HORIZON_START = dt.date(2024, 1, 1)


def copy_demo(folder: Path) -> Path:
    """Copy scenarios/demo into `folder`; return the copied scenario.yaml.

    The rules path is made absolute so the copy still finds the repository's rule files.
    """
    shutil.copytree(DEMO, folder, dirs_exist_ok=True)
    scenario = folder / "scenario.yaml"
    text = scenario.read_text(encoding="utf-8")
    scenario.write_text(text.replace("../../rules/plan-188.yaml", str(RULES)), encoding="utf-8")
    return scenario


class RosterFiles:
    """A roster folder of CSV files, edited by (table, line, column) as a planner would."""

    def __init__(self, folder: Path):
        self.folder = folder

    def path(self, table: str) -> Path:
        return self.folder / f"{table}.csv"

    def rows(self, table: str) -> list[list[str]]:
        """All rows including the header (row 0 is line 1)."""
        with self.path(table).open(encoding="utf-8", newline="") as handle:
            return list(csv.reader(handle))

    def write_rows(self, table: str, rows: list[list[str]]) -> None:
        with self.path(table).open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle, lineterminator="\n").writerows(rows)

    def line_of(self, table: str, column: str, value: str) -> int:
        """The file line of the first row whose `column` equals `value`."""
        rows = self.rows(table)
        index = rows[0].index(column)
        return next(n for n, row in enumerate(rows[1:], start=2) if row[index] == value)

    def set_cell(self, table: str, line: int, column: str, value: str) -> None:
        rows = self.rows(table)
        rows[line - 1][rows[0].index(column)] = value
        self.write_rows(table, rows)

    def append(self, table: str, **values: str) -> int:
        """Append a row (unnamed columns empty); return its line number."""
        rows = self.rows(table)
        rows.append([values.get(column, "") for column in rows[0]])
        self.write_rows(table, rows)
        return len(rows)


@pytest.fixture
def demo_scenario(tmp_path: Path) -> Path:
    """scenario.yaml of a private copy of the demo (roster in roster/ beside it)."""
    return copy_demo(tmp_path / "demo")


@pytest.fixture
def demo_roster(demo_scenario: Path) -> RosterFiles:
    """The CSV files of the private demo copy."""
    return RosterFiles(demo_scenario.parent / "roster")


def problems_of(action: Callable[[], object]) -> list[Problem]:
    """The problems an action reports; fails the test if it reports none."""
    with pytest.raises(InputError) as info:
        action()
    return info.value.problems


def roster_problems(folder: Path) -> list[Problem]:
    """Problems from loading and cross-checking a roster folder (demo horizon start)."""
    return problems_of(lambda: check_roster(load_roster(folder), HORIZON_START))


def tree_digest(folder: Path) -> dict[str, str]:
    """sha256 of every file under a folder, to prove that a command changed nothing."""
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def plan_folder_from_moves(moves_file: Path, folder: Path, scenario: Path) -> Path:
    """A plan folder as `rotation plan` writes it, holding the moves of a moves file (no
    solver: tests of compare and report must not depend on which plan the solver finds)."""
    from planner.checker import check_plan
    from planner.plan import read_moves
    from planner.planio import plan_document, write_plan_folder
    from planner.workspace import load_workspace

    workspace = load_workspace(scenario)
    plan = read_moves(moves_file, workspace.scenario)
    report = check_plan(workspace.facts, plan)
    document = plan_document(workspace.facts, plan, report, "feasible", 0.0, 0.0, 0.0)
    write_plan_folder(folder, workspace.facts, plan, document)
    return folder


def copy_repo_inputs(root: Path) -> Path:
    """Copy the demo scenario and rules/ into `root` with their relative layout (so the
    scenario's `../../rules/…` still resolves); return `root`."""
    shutil.copytree(DEMO, root / "scenarios" / "demo")
    shutil.copytree(REPO / "rules", root / "rules")
    return root
