"""A minimum quota over cadres who are not due makes them optional movers on large rosters.

Plan 188's targets count unit leaders and key ward cadres, most of whom are not due. On a
roster above SMALL_ROSTER only due cadres, pinned cadres, pooled appointees, secondees and
chain partners may move, so without `recruits` a target could be met only by chance (the
district realism check met 4 of its 63 unit leaders). The demo (44 cadres) stands in for a
large roster with SMALL_ROSTER patched below its size.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from conftest import DEMO, RULES

import planner.solver.candidates as candidates
from planner.checker import check_plan
from planner.kinds.quota import RECRUITS_PER_MOVE, Quota
from planner.solver.run import solve_workspace
from planner.workspace import Workspace, load_workspace

TARGET = """ruleset: targets
rules:
  - id: target-district-leaders
    kind: quota
    label: "Chỉ tiêu điều động, luân chuyển lãnh đạo các phòng của quận"
    basis: "test"
    severity: soft
    weight: 500
    applies_to: {from.level: district, from.role: [head, deputy_head]}
    params: {min: 2, per: horizon}
"""


def workspace(tmp_path: Path) -> Workspace:
    (tmp_path / "targets.yaml").write_text(TARGET, encoding="utf-8")
    overlay = tmp_path / "scenario.yaml"
    overlay.write_text(f"extends: {DEMO / 'scenario.yaml'}\nrules: [{RULES}, targets.yaml]\n",
                       encoding="utf-8")
    return load_workspace(overlay)


def district_leaders_by_tenure() -> list[str]:
    """From the roster files: holders of district head / deputy head posts, longest first."""
    folder = DEMO / "roster"
    with (folder / "localities.csv").open(encoding="utf-8") as handle:
        district = {row["id"] for row in csv.DictReader(handle) if row["level"] == "district"}
    with (folder / "units.csv").open(encoding="utf-8") as handle:
        units = {row["id"] for row in csv.DictReader(handle) if row["locality"] in district}
    with (folder / "positions.csv").open(encoding="utf-8") as handle:
        posts = {row["id"] for row in csv.DictReader(handle)
                 if row["unit"] in units and row["role"] in ("head", "deputy_head")}
    with (folder / "cadres.csv").open(encoding="utf-8") as handle:
        holders = [(row["position_start"], row["id"]) for row in csv.DictReader(handle)
                   if row["position"] in posts]
    return [cadre for _, cadre in sorted(holders)]


def moves_counted(ws: Workspace) -> int:
    """Moves of the proposed plan the target counts (the checker's shortfall agrees)."""
    plan = solve_workspace(ws.facts).plan
    short = [v.amount for v in check_plan(ws.facts, plan).violations
             if v.rule_id == "target-district-leaders"]
    counted = sum(1 for m in plan.moves if m.from_position
               and ws.facts.place(m.from_position)["level"] == "district"
               and ws.facts.place(m.from_position)["role"] in ("head", "deputy_head"))
    assert sum(short) == max(0, 2 - counted)
    return counted


def test_a_minimum_recruits_the_cadres_it_counts_longest_in_post_first_three_per_move(
        tmp_path: Path) -> None:
    ws = workspace(tmp_path)
    rule = ws.facts.ruleset.by_id("target-district-leaders")
    expected = district_leaders_by_tenure()
    assert len(expected) > 2 * RECRUITS_PER_MOVE  # the cap bites on the demo
    assert rule.impl.recruits(rule, ws.facts) == expected[: 2 * RECRUITS_PER_MOVE]


def test_a_maximum_recruits_nobody(tmp_path: Path) -> None:
    (tmp_path / "targets.yaml").write_text(TARGET.replace("min: 2", "max: 2"),
                                           encoding="utf-8")
    overlay = tmp_path / "scenario.yaml"
    overlay.write_text(f"extends: {DEMO / 'scenario.yaml'}\nrules: [{RULES}, targets.yaml]\n",
                       encoding="utf-8")
    ws = load_workspace(overlay)
    rule = ws.facts.ruleset.by_id("target-district-leaders")
    assert rule.impl.recruits(rule, ws.facts) == []


def test_on_a_large_roster_a_target_over_leaders_who_are_not_due_is_met(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(candidates, "SMALL_ROSTER", 10)
    ws = workspace(tmp_path)
    assert not any(ws.facts.due(c) for c in district_leaders_by_tenure()[:6])
    assert moves_counted(ws) >= 2


def test_without_recruits_the_same_target_falls_short(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # the control: the target is met above because of the recruits, not by chance
    monkeypatch.setattr(candidates, "SMALL_ROSTER", 10)
    monkeypatch.setattr(Quota, "recruits", lambda self, rule, facts: [])
    assert moves_counted(workspace(tmp_path)) < 2
