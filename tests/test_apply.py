"""`rotation apply`: the roster after a plan, and the next cycle's scenario (issue 6).

The plan applied is the demo's hand-made compliant plan (scenarios/demo/moves/clean.csv), so
the expected roster is known without a solver: e.g. C006 moves from P-TH-NV-TP (held since
2015-08-01) to P-TH-BTC-TB on 2024-01-01, the first day of 2024-Q1.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import DEMO, copy_demo, tree_digest

from planner.apply import apply_plan, next_horizon
from planner.calendar import months_between
from planner.cli import main
from planner.models import HistoryEntry
from planner.plan import Plan, make_move
from planner.scenario import load_scenario
from planner.workspace import load_workspace

CLEAN = DEMO / "moves" / "clean.csv"


def rotation(*args: str | Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, [str(a) for a in args])
    return result.exit_code, result.output


@pytest.fixture
def applied(tmp_path: Path) -> Path:
    """The next-cycle folder written by applying clean.csv to a private demo copy."""
    scenario = copy_demo(tmp_path / "demo")
    before = tree_digest(scenario.parent)
    code, output = rotation("apply", scenario, CLEAN, "-o", tmp_path / "next")
    assert code == 0, output
    assert tree_digest(scenario.parent) == before  # the base is never written
    return tmp_path / "next"


def test_applying_a_plan_then_validating_the_next_cycle_works(applied: Path):
    code, output = rotation("validate", applied / "scenario.yaml")
    assert code == 0, output
    assert "valid" in output


def test_the_next_cycle_starts_where_the_horizon_ended_with_the_same_settings(applied: Path):
    scenario = load_scenario(applied / "scenario.yaml")
    base = load_scenario(DEMO / "scenario.yaml")
    assert (scenario.horizon.start, scenario.horizon.end) == (dt.date(2025, 7, 1),
                                                               dt.date(2027, 1, 1))
    assert [r.name for r in scenario.rounds][:2] == ["2025-Q3", "2025-Q4"]
    # Plan 188 (2024–2025, with districts) gives way to the two-tier rule set on 1 Jul 2025
    assert [p.resolve() for p in base.rule_paths] == [(DEMO / "../../rules/plan-188.yaml")
                                                      .resolve()]
    assert [p.resolve() for p in scenario.rule_paths] == [
        (DEMO / "../../rules/hanoi-2025.yaml").resolve()]
    assert (scenario.weights, scenario.solver) == (base.weights, base.solver)


def test_months_in_post_of_moved_cadres_restart_at_the_move(applied: Path):
    workspace = load_workspace(applied / "scenario.yaml")
    roster = workspace.scenario.roster
    c006 = roster.cadre_by_id["C006"]
    assert (c006.position, c006.position_start) == ("P-TH-BTC-TB", dt.date(2024, 1, 1))
    # 24 months in the new post at the new start, not 125 since 2015-08-01
    assert workspace.facts.months_in_post("C006", dt.date(2026, 1, 1)) == 24
    assert HistoryEntry(cadre="C006", position="P-TH-NV-TP", start=dt.date(2015, 8, 1),
                        end=dt.date(2024, 1, 1), form="transfer") in roster.history
    # C041 moved in 2025-Q1: 12 months in post, so not due again by the 48–60-month periods
    assert workspace.facts.months_in_post("C041", dt.date(2026, 1, 1)) == 12
    # unmoved cadres keep their start
    assert roster.cadre_by_id["C001"].position_start == dt.date(2020, 10, 15)


def test_a_status_that_has_ended_reverts_to_active(applied: Path):
    roster = load_scenario(applied / "scenario.yaml").roster
    assert roster.cadre_by_id["C011"].status == "active"  # pregnant until 2024-06-30


def test_a_secondment_returns_home_or_stays_recorded_when_it_outlasts_the_horizon():
    scenario = load_scenario(DEMO / "scenario.yaml")
    short = make_move(scenario, "C042", "secondment", "P-XL-PBT", 0, months=12)
    long = make_move(scenario, "C043", "secondment", "P-NT-TC", 4, months=36)
    result = apply_plan(scenario, Plan([short, long]))
    roster = result.roster
    back, away = roster.cadre_by_id["C042"], roster.cadre_by_id["C043"]
    # back in the home post, which they kept throughout: tenure unchanged
    assert (back.position, back.position_start) == ("P-XL-TP", dt.date(2022, 5, 1))
    assert HistoryEntry(cadre="C042", position="P-XL-PBT", start=dt.date(2024, 1, 1),
                        end=dt.date(2025, 1, 1), form="secondment") in roster.history
    # 2025-Q1 + 36 months returns on 2028-01-01: still away when the next cycle starts
    assert (away.position, away.status, away.status_until) == (
        "P-XL-VP", "seconded", dt.date(2027, 12, 31))
    # …and holds the destination too until the return
    assert (away.secondment_post, away.secondment_end) == ("P-NT-TC", dt.date(2028, 1, 1))
    assert (back.secondment_post, back.secondment_end) == (None, None)
    assert (result.returned, result.still_seconded) == (["C042"], ["C043"])


def test_a_running_secondment_holds_its_post_in_the_next_cycle_until_an_explicit_extension(
        tmp_path: Path):
    from planner.apply import write_applied
    from planner.checker import check_plan
    from planner.plan import Move

    # the demo carried through 2025, so that the next cycle starts on 2026-01-01
    scenario = load_scenario(DEMO / "through-2025.yaml")
    long = make_move(scenario, "C043", "secondment", "P-NT-TC", 4, months=30)  # to 2027-07-01
    applied = apply_plan(scenario, Plan([long]))
    write_applied(tmp_path / "next", scenario, applied, "plan")
    facts = load_workspace(tmp_path / "next" / "scenario.yaml").facts
    assert "P-NT-TC" not in {p.id for p in facts.roster.vacant_positions} or \
        facts.graph.reserved["P-NT-TC"][0] == dt.date(2027, 7, 1)
    first = facts.rounds[0]

    def plan_of(cadre: str, form: str, end: dt.date | None, index: int = 0) -> Plan:
        round_ = facts.rounds[index]
        return Plan([Move(cadre, form, facts.cadre(cadre).position, "P-NT-TC", round_.name,
                          round_.index, round_.start, end)])

    # another cadre may not take the post while C043 holds it (before 2027-07-01)…
    taken = check_plan(facts, plan_of("C042", "transfer", None))
    assert "post-exists" in {v.rule_id for v in taken.hard}
    assert "on secondment until 2027-06-30" in next(
        v.message for v in taken.hard if v.rule_id == "post-exists")
    # …and C043 is not moved elsewhere while seconded, but extending is an explicit move
    extension = check_plan(facts, plan_of("C043", "secondment", dt.date(2027, 12, 1)))
    assert "post-exists" not in {v.rule_id for v in extension.hard}
    assert not any(v.rule_id.startswith("secondment-transfer-exempt") for v in extension.hard)
    assert first.name == "2026-Q1"
    # from the return on, the post is free again
    after = check_plan(facts, plan_of("C042", "transfer", None, index=6))  # 2027-Q3
    assert "post-exists" not in {v.rule_id for v in after.hard}


def test_the_next_horizon_keeps_length_and_round_kind():
    scenario = load_scenario(DEMO / "scenario.yaml")
    horizon = next_horizon(scenario.horizon)
    assert horizon.start == scenario.horizon.end == dt.date(2025, 7, 1)
    assert months_between(horizon.start, horizon.end) == 18 and horizon.round == "quarter"


def test_apply_refuses_to_overwrite_an_input_folder(tmp_path: Path):
    scenario = copy_demo(tmp_path / "demo")
    before = tree_digest(scenario.parent)
    code, output = rotation("apply", scenario, CLEAN, "-o", scenario.parent)
    assert code == 2 and "refusing to replace" in output
    assert tree_digest(scenario.parent) == before


def test_a_plan_that_leaves_two_holders_in_a_post_is_bad_input(tmp_path: Path):
    moves = tmp_path / "moves.csv"
    moves.write_text("cadre,form,to_position,round\nC042,transfer,P-XL-PBT,2024-Q1\n"
                     "C043,transfer,P-XL-PBT,2024-Q2\n", encoding="utf-8")
    code, output = rotation("apply", DEMO / "scenario.yaml", moves, "-o", tmp_path / "next")
    assert code == 2
    assert f"{moves}:2: to_position: after the plan P-XL-PBT would have 2 holders" in output
    assert not (tmp_path / "next").exists()
