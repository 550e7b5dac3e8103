"""Forms as the law has them (issue 9, points 1–4) on the demo: exact-day boundaries the
quarterly rule tests cannot reach, the explicit decision for a higher rotation, and the
plans the planner proposes (appointments fill opened posts, secondments end, nobody under
investigation moves, no promotion by transfer or secondment).

Moves are built with explicit start dates, so the day before, on and after a switch are
judged by the same `judge_move` the checker and the candidate generator use.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import DEMO, copy_demo

from planner.forms import is_upward, relation, secondment_end
from planner.kinds import KIND_BY_NAME
from planner.plan import Move, Plan
from planner.workspace import Workspace, load_workspace


@pytest.fixture(scope="module")
def demo() -> Workspace:
    return load_workspace(DEMO / "scenario.yaml")


def move_on(ws: Workspace, cadre: str, form: str, to: str, day: dt.date,
            end: dt.date | None = None) -> Move:
    """A move starting on any day (round fields from the round containing it)."""
    index = ws.facts.round_at(day)
    origin = ws.scenario.roster.cadre_by_id[cadre].position
    return Move(cadre, form, origin, to, ws.facts.rounds[index].name, index, day, end)


def verdicts(ws: Workspace, move: Move) -> set[str]:
    """Ids of the rules in force that this one move breaks (per-move kinds)."""
    broken = set()
    context = ws.facts.move_context(move)
    for rule in ws.facts.ruleset.active:
        kind = KIND_BY_NAME[rule.kind]
        if not kind.per_move or not rule.in_force(move.start):
            continue
        if rule.selector.matches(context) and kind.judge_move(rule, ws.facts, move):
            broken.add(rule.id)
    return broken


# ------------------------------------------------------------ dated rules: the day of a switch

@pytest.mark.parametrize(("day", "rule_id"), [
    (dt.date(2025, 10, 7), "appointment-conditions-qd80"),
    (dt.date(2025, 10, 8), "appointment-conditions-qd377"),
    (dt.date(2025, 10, 9), "appointment-conditions-qd377"),
])
def test_an_unpooled_appointment_is_judged_by_qd80_until_7_october_2025_and_by_qd377_from_the_8th(
        demo: Workspace, day: dt.date, rule_id: str):
    move = move_on(demo, "C036", "appointment", "P-XL-PBT", day)
    broken = verdicts(demo, move)
    assert rule_id in broken
    other = ({"appointment-conditions-qd80", "appointment-conditions-qd377"} - {rule_id}).pop()
    assert other not in broken


@pytest.mark.parametrize(("day", "expected"), [
    (dt.date(2025, 6, 30), "equivalent"),  # 2023 table: both rank 5
    (dt.date(2025, 7, 1), "higher"),  # two-level table: a commune vice chair is rank 6
    (dt.date(2025, 7, 2), "higher"),
])
def test_the_equivalence_table_switches_to_the_two_level_model_on_1_july_2025(
        demo: Workspace, day: dt.date, expected: str):
    assert relation(demo.facts, "P-TH-NV-PP", "P-QA-PCT", day) == expected


@pytest.mark.parametrize("form", ["transfer", "rotation", "secondment", "position_change"])
def test_no_form_takes_a_leader_to_a_staff_post(demo: Workspace, form: str):
    # the district chair to a specialist post: leaving leadership is a dismissal or a
    # resignation (QĐ 41-QĐ/TW), which a plan never proposes — the demo once did, to fill
    # the post a due cadre left
    move = move_on(demo, "C003", form, "P-TH-NV-CV", dt.date(2024, 7, 1))
    rule = demo.facts.ruleset.by_id("equivalent-posts")
    found = rule.impl.judge_move(rule, demo.facts, move)
    assert found is not None and found.clause == "leader_to_staff"
    assert "takes a leader to a staff post" in found.message


def test_a_transfer_to_a_lower_leadership_post_is_not_a_move_to_staff(demo: Workspace):
    # a deputy head of a district office to a ward's Party deputy secretary: lower, lawful
    move = move_on(demo, "C007", "transfer", "P-XL-PBT", dt.date(2024, 7, 1))
    rule = demo.facts.ruleset.by_id("equivalent-posts")
    found = rule.impl.judge_move(rule, demo.facts, move)
    assert found is None or found.clause != "leader_to_staff"


@pytest.mark.parametrize(("valid_to", "refused"), [
    ("", True),             # the chair's People's Committee lasts: no move down to staff
    ("2025-06-30", False),  # abolished the day before the horizon ends: placed in this plan
    ("2025-07-01", True),   # on the horizon's end (the demo's district): the next cycle places
    ("2025-07-02", True),   # after it: not this plan's to place
])
def test_the_holder_of_a_post_abolished_inside_the_horizon_may_be_placed_on_a_staff_post(
        tmp_path: Path, valid_to: str, refused: bool):
    scenario = copy_demo(tmp_path)
    units = tmp_path / "roster" / "units.csv"
    text = units.read_text(encoding="utf-8")
    row = "U-TH-UB,UBND quận Tây Hồ,TH,state,ubnd,,,2025-07-01,"
    assert row in text
    units.write_text(text.replace(row, row.replace("2025-07-01", valid_to)), encoding="utf-8")
    ws = load_workspace(scenario)
    move = move_on(ws, "C003", "transfer", "P-QA-VP", dt.date(2024, 7, 1))
    rule = ws.facts.ruleset.by_id("equivalent-posts")
    found = rule.impl.judge_move(rule, ws.facts, move)
    assert (found is not None and found.clause == "leader_to_staff") is refused


@pytest.mark.parametrize(("day", "blocked"), [
    (dt.date(2026, 6, 29), True),  # the day before the last day of C009's investigation
    (dt.date(2026, 6, 30), True),  # status_until is the status's last day
    (dt.date(2026, 7, 1), False),
])
def test_the_investigation_blocks_a_transfer_through_its_last_day(
        demo: Workspace, day: dt.date, blocked: bool):
    move = move_on(demo, "C009", "transfer", "P-TH-TNMT-TP", day)
    rule = next(r for r in demo.facts.ruleset.active if r.id == "no-move-under-discipline")
    assert (KIND_BY_NAME["exemption"].judge_move(rule, demo.facts, move) is not None) is blocked


@pytest.mark.parametrize("status", ["discipline", "investigation", "prosecution", "trial"])
@pytest.mark.parametrize("form", ["rotation", "transfer", "secondment", "appointment"])
def test_each_blocking_status_bars_each_of_the_four_forms(tmp_path: Path, status: str,
                                                          form: str):
    scenario = copy_demo(tmp_path)
    cadres = tmp_path / "roster" / "cadres.csv"
    rows = cadres.read_text(encoding="utf-8").splitlines()
    rows = [row.replace(",active,,,false", f",{status},,,false") if row.startswith("C007,")
            else row for row in rows]
    cadres.write_text("\n".join(rows) + "\n", encoding="utf-8")
    ws = load_workspace(scenario)
    move = move_on(ws, "C007", form, "P-TH-TNMT-PP", dt.date(2024, 4, 1),
                   dt.date(2025, 4, 1) if form == "secondment" else None)
    assert "no-move-under-discipline" in verdicts(ws, move)


# ------------------------------------------------------------ a higher rotation, by decision

def test_a_higher_rotation_is_lawful_only_with_a_pin_recording_the_decision(tmp_path: Path):
    scenario = copy_demo(tmp_path)
    without = load_workspace(scenario)
    move = move_on(without, "C021", "rotation", "P-TH-PCT2", dt.date(2024, 4, 1))
    assert is_upward(without.facts, move)
    assert "equivalent-posts" in verdicts(without, move)
    overlay = tmp_path / "decided.yaml"
    overlay.write_text(f"extends: {scenario}\npin:\n  - {{cadre: C021, to: P-TH-PCT2, "
                       "form: rotation, higher: true}\n", encoding="utf-8")
    decided = load_workspace(overlay)
    broken = verdicts(decided, move_on(decided, "C021", "rotation", "P-TH-PCT2",
                                       dt.date(2024, 4, 1)))
    assert "equivalent-posts" not in broken
    # the decision does not waive the appointment conditions: C021 is pooled for
    # secretary@district (rank 8 ≥ 7), has the service and the months in post
    assert "appointment-conditions-qd80" not in broken


# ------------------------------------------------------------ secondment ends

def test_a_secondment_into_an_away_holders_post_ends_on_their_return(demo: Workspace):
    # C028 studies until 2025-06-30 (her last day away): the secondee goes home when she is
    # back, on 2025-07-01
    assert secondment_end(demo.facts, "P-QA-VP", dt.date(2024, 1, 1)) == dt.date(2025, 7, 1)
    # a vacant post: the longest lawful secondment, 36 months
    assert secondment_end(demo.facts, "P-NT-TC", dt.date(2024, 1, 1)) == dt.date(2027, 1, 1)


def test_a_secondment_is_planned_within_the_tightest_limit_that_governs_secondments(
        tmp_path: Path):
    # a narrower rule (24 months into commune posts) governs secondments there beside the
    # 36 months;
    # a limit on another form (6 months for transfers) does not shorten a secondment
    scenario = copy_demo(tmp_path)
    (tmp_path / "tighter.yaml").write_text(
        "ruleset: tighter\ntitle: t\nrules:\n"
        "  - {id: secondment-max-commune, kind: secondment_max, label: l, basis: b,\n"
        "     applies_to: {to.level: commune}, params: {max_months: 24}}\n"
        "  - {id: transfer-max, kind: secondment_max, label: l, basis: b,\n"
        "     params: {max_months: 6, forms: [transfer]}}\n", encoding="utf-8")
    text = scenario.read_text(encoding="utf-8")
    scenario.write_text(text.replace("rules: [", "rules: [tighter.yaml, "), encoding="utf-8")
    ws = load_workspace(scenario)
    assert secondment_end(ws.facts, "P-NT-TC", dt.date(2024, 1, 1)) == dt.date(2026, 1, 1)
    # a district post: the commune rule does not govern it, the 36 months do
    assert secondment_end(ws.facts, "P-TH-TC-CV1", dt.date(2024, 1, 1)) == dt.date(2027, 1, 1)
    # disabled, the narrower rule no longer shortens it: the 36 months govern
    ws.facts.ruleset.disabled.add("secondment-max-commune")
    assert secondment_end(ws.facts, "P-NT-TC", dt.date(2024, 1, 1)) == dt.date(2027, 1, 1)


def test_the_checker_refuses_a_transfer_into_an_away_holders_post(demo: Workspace):
    from planner.checker import check_plan

    moved = Plan([move_on(demo, "C036", "transfer", "P-QA-VP", dt.date(2024, 4, 1))])
    assert any(v.rule_id == "structure.one-holder" and "back on 2025-07-01" in v.message
               for v in check_plan(demo.facts, moved).hard)
    late = Plan([move_on(demo, "C036", "secondment", "P-QA-VP", dt.date(2024, 4, 1),
                         dt.date(2025, 7, 2))])
    assert any(v.rule_id == "structure.one-holder" for v in check_plan(demo.facts, late).hard)
    timely = Plan([move_on(demo, "C036", "secondment", "P-QA-VP", dt.date(2024, 4, 1),
                           dt.date(2025, 7, 1))])
    assert not [v for v in check_plan(demo.facts, timely).hard
                if v.rule_id == "structure.one-holder"]


# ------------------------------------------------------------ the demo plan

@pytest.fixture(scope="module")
def demo_plan(demo: Workspace) -> Plan:
    from planner.solver.run import solve_workspace

    return solve_workspace(demo.facts).plan


def test_the_demo_plan_appoints_pooled_cadres_into_posts_and_never_promotes_by_other_forms(
        demo: Workspace, demo_plan: Plan):
    appointments = [m for m in demo_plan.moves if m.form == "appointment"]
    assert appointments
    for move in demo_plan.moves:
        if is_upward(demo.facts, move):
            assert move.form == "appointment", move
            assert demo.scenario.roster.cadre_by_id[move.cadre].pool, move


def test_the_demo_plan_seconds_cadres_with_end_dates_and_moves_nobody_under_investigation(
        demo: Workspace, demo_plan: Plan):
    secondments = [m for m in demo_plan.moves if m.form == "secondment"]
    assert secondments and all(m.end is not None for m in secondments)
    # C028 studies until 2025-06-30: her post is filled by a secondee who leaves by then
    into_away = [m for m in secondments if m.to_position == "P-QA-VP"]
    assert into_away and all(m.end <= dt.date(2025, 7, 1) for m in into_away if m.end)
    assert "C009" not in demo_plan.move_by_cadre


def test_moves_into_elected_posts_are_flagged_as_nominations(demo: Workspace, demo_plan: Plan):
    for move in demo_plan.moves:
        elected = demo.facts.place(move.to_position)["role"] in {
            "secretary", "deputy_secretary", "chair", "council_chair", "front_chair"}
        assert ("nomination" in move.note.split(";")) is elected
