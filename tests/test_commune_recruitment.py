"""Before 1 Jul 2025 a commune's cadres and civil servants entered the district's or city's
civil service only by recruitment (tiếp nhận, formerly xét chuyển: Luật CBCC 2008 Đ.4 k.2–3,
Đ.37 k.3; NĐ 24/2010 Đ.25 as amended by NĐ 161/2018), never by a plain transfer, position
change or appointment; Luật CBCC 2025 (No. 80/2025/QH15) ends that on 1 Jul 2025. The bundled
rule `commune-to-district-recruitment` (rules/secondment-transfer.yaml) encodes it.

Demo facts used: C042 holds the ward justice post P-XL-TP; P-TH-TT-TTV is the district
inspectorate's inspector post (held by C016, who goes down to a ward in the crafted plan).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import DEMO

from planner.checker import check_plan
from planner.cli import main
from planner.plan import Move, Plan
from planner.rulefiles import load_ruleset
from planner.workspace import Workspace, load_workspace

RULE = "commune-to-district-recruitment"
CLEAN = DEMO / "moves" / "clean.csv"
REPO = Path(__file__).resolve().parents[1]


def crafted(tmp_path: Path, row: str) -> Path:
    """The demo's clean plan plus one row."""
    path = tmp_path / "moves.csv"
    path.write_text(CLEAN.read_text(encoding="utf-8") + row + "\n", encoding="utf-8")
    return path


def test_rotation_check_rejects_a_ward_officer_transferred_to_a_district_post(tmp_path: Path):
    moves = crafted(tmp_path, "C042,transfer,P-TH-TT-TTV,2025-Q2")
    result = CliRunner().invoke(main, ["check", str(DEMO / "scenario.yaml"), str(moves)])
    assert result.exit_code == 1, result.output
    assert "NOT compliant: 1 hard violations of 1 rules" in result.output
    assert f"HARD {RULE}" in result.output
    assert ("C042: transfer P-XL-TP → P-TH-TT-TTV (commune→district) matches no allowed "
            "direction") in result.output


def test_the_same_plan_without_that_transfer_passes(tmp_path: Path):
    result = CliRunner().invoke(main, ["check", str(DEMO / "scenario.yaml"), str(CLEAN)])
    assert result.exit_code == 0, result.output
    assert RULE not in result.output


@pytest.fixture(scope="module")
def through_2025() -> Workspace:
    return load_workspace(DEMO / "through-2025.yaml")


def transfer_on(ws: Workspace, start: dt.date) -> Move:
    """C042's transfer to the district inspectorate, starting on an exact day."""
    round_ = ws.facts.rounds[ws.facts.round_at(start)]
    return Move("C042", "transfer", "P-XL-TP", "P-TH-TT-TTV", round_.name, round_.index, start)


@pytest.mark.parametrize("start,refused", [
    (dt.date(2025, 6, 30), True),   # the last day before Luật CBCC 2025
    (dt.date(2025, 7, 1), False),   # its first day: one civil service
    (dt.date(2025, 7, 2), False),
])
def test_the_rule_holds_for_moves_starting_before_1_july_2025(through_2025: Workspace,
                                                              start: dt.date, refused: bool):
    found = [v for v in check_plan(through_2025.facts, Plan([transfer_on(through_2025, start)]))
             .violations if v.rule_id == RULE]
    assert bool(found) == refused


@pytest.mark.parametrize("rules", ["plan-188.yaml", "hanoi-2025.yaml"])
def test_both_rule_sets_carry_the_rule_in_force_until_30_june_2025(rules: str):
    """plan-188 (demo, district, hanoi-2023) and hanoi-2025 (horizons from 1 Jul 2025, where
    it then judges nothing) both include it through secondment-transfer.yaml."""
    rule = load_ruleset([REPO / "rules" / rules]).by_id(RULE)
    assert rule.in_force(dt.date(2025, 6, 30)) and not rule.in_force(dt.date(2025, 7, 1))
