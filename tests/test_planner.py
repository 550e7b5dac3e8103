"""The planner on tiny hand-checked instances, and crafted bad plans the checker must catch.

The tiny instance (quận Tây Hồ with three wards, five cadres, one year in quarters) is small
enough that every option can be listed by hand; each test derives its one optimal plan in
comments and asserts the exact moves. The crafted bad plans start from the plan the solver
proposes for the demo and change one move, so the one rule they break is the one named.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import DEMO

from planner.checker import check_plan
from planner.plan import Move, Plan, make_move
from planner.solver.run import PinConflict, PlanResult, solve_workspace
from planner.workspace import Workspace, load_workspace

# ---------------------------------------------------------------------------- tiny instance

LOCALITIES = """\
id,name,level,kind,parent,valid_from,valid_to,successor
HN,Thành phố Hà Nội,city,thanh_pho,,,,
TH,Quận Tây Hồ,district,quan,HN,,,
QA,Phường Quảng An,commune,phuong,TH,,,
NT,Phường Nhật Tân,commune,phuong,TH,,,
XL,Phường Xuân La,commune,phuong,TH,,,
"""

UNITS = """\
id,name,locality,bloc,kind,sector
U-TH-TNMT,Phòng Tài nguyên và Môi trường quận Tây Hồ,TH,state,phong,natural_resources_environment
U-QA-UB,UBND phường Quảng An,QA,state,ubnd,
U-NT-UB,UBND phường Nhật Tân,NT,state,ubnd,
U-XL-UB,UBND phường Xuân La,XL,state,ubnd,
"""

# Three ward land officers of grade 1, a district land officer of grade 2, a district deputy
# head of grade 4, and one vacant post: the vice chair of Nhật Tân (grade 3).
POSITIONS = """\
id,unit,title,role,grade,key,listed_sector,profession,skills
P-TH-PP,U-TH-TNMT,Phó Trưởng phòng TN&MT,deputy_head,4,false,,land_management,
P-TH-CV,U-TH-TNMT,Chuyên viên đất đai quận,staff,2,false,land,land_management,
P-QA-DC,U-QA-UB,Công chức Địa chính phường Quảng An,staff,1,false,land,land_management,
P-NT-DC,U-NT-UB,Công chức Địa chính phường Nhật Tân,staff,1,false,land,land_management,
P-XL-DC,U-XL-UB,Công chức Địa chính phường Xuân La,staff,1,false,land,land_management,
P-NT-PCT,U-NT-UB,Phó Chủ tịch UBND phường Nhật Tân,vice_chair,3,false,,administration,
"""

# C01 reaches 60 months in P-QA-DC on 2024-05-15 (due by 2024-Q2); C02 has 24 months and
# C04 12: neither is due. C03 has 72 months but is pregnant (no end date): deferred.
CADRES = """\
id,name,gender,birth_date,hometown,position,position_start,profession,skills,pool,status,\
status_until,child_birth_date,volunteer
C01,Nguyễn Văn An,male,1980-01-01,TH,P-QA-DC,2019-05-15,land_management,,,active,,,false
C02,Trần Thị Bình,female,1985-01-01,TH,P-NT-DC,2022-01-01,land_management,,,active,,,false
C03,Lê Thị Chi,female,1990-01-01,TH,P-XL-DC,2018-01-01,land_management,,,pregnant,,,false
C04,Phạm Văn Dũng,male,1988-01-01,TH,P-TH-CV,2023-01-01,land_management,,,active,,,false
C05,Hoàng Văn Em,male,1975-01-01,TH,P-TH-PP,2021-01-01,land_management,,,active,,,false
"""

TENURE = """\
  - id: land-period
    kind: tenure_limit
    label: "Định kỳ chuyển đổi vị trí công tác (địa chính)"
    basis: "NĐ 59/2019/NĐ-CP Đ.36"
    applies_to: {position.listed_sector: {not: ""}, position.role: staff}
    params: {max_months: 60, form: position_change}
"""

# A position change keeps the profession and the grade; a transfer goes from the district
# down to one of its wards, at most one grade up. Nothing else is allowed.
DIRECTIONS = """\
  - id: rotation-directions
    kind: move_graph
    label: "Hướng điều chuyển được phép"
    basis: "QĐ 65-QĐ/TW Đ.4"
    params:
      edges:
        - {from: any, to: any, forms: [position_change]}
        - {from: district, to: commune, forms: [transfer], scope: same_district}
      same_profession: [position_change]
      grade: {position_change: equivalent, transfer: up_one}
"""

DEFERRAL = """\
  - id: pregnancy-deferral
    kind: exemption
    label: "Chưa chuyển đổi vị trí khi mang thai"
    basis: "NĐ 59/2019/NĐ-CP Đ.37 k.2"
    params: {forms: [position_change], statuses: [pregnant], effect: defer}
"""

# Only a vacant vice chair post is worth filling: 20 per round it stands empty.
VACANCY = """\
  - id: vice-chair-vacancy
    kind: vacancy
    label: "Lấp vị trí Phó Chủ tịch trống"
    basis: "KH 188-KH/TU"
    severity: soft
    weight: 20
    params: {roles: [vice_chair]}
"""

TINY_RULES = (TENURE, DIRECTIONS, DEFERRAL, VACANCY)
# The same rules without the position-change edge: no land post is reachable for C01.
NO_POSITION_CHANGE_RULES = (
    TENURE, DIRECTIONS.replace("        - {from: any, to: any, forms: [position_change]}\n", ""),
    DEFERRAL, VACANCY)


def write_tiny(folder: Path, rules: tuple[str, ...] = TINY_RULES, cadres: str = CADRES,
               extra: str = "") -> Path:
    """Write the tiny instance under the given rules; `extra` is appended to scenario.yaml.

    Returns the scenario.yaml (the roster in roster/ and the rules in rules.yaml beside it).
    """
    roster = folder / "roster"
    roster.mkdir(parents=True, exist_ok=True)
    for name, text in (("localities", LOCALITIES), ("units", UNITS),
                       ("positions", POSITIONS), ("cadres", cadres)):
        (roster / f"{name}.csv").write_text(text, encoding="utf-8")
    (folder / "rules.yaml").write_text("ruleset: tiny\nrules:\n" + "".join(rules),
                                       encoding="utf-8")
    scenario = folder / "scenario.yaml"
    scenario.write_text(textwrap.dedent("""\
        name: tiny
        horizon: {start: 2024-01-01, end: 2025-01-01, round: quarter}
        data: roster/
        rules: [rules.yaml]
        weights: {overdue: 100, vacancy: 20, skill_fit: 5, disruption: 1}
        solver: {time_limit_s: 10, gap: 0.0, seed: 0}
        """) + extra, encoding="utf-8")
    return scenario


def tiny_workspace(folder: Path, rules: tuple[str, ...] = TINY_RULES, cadres: str = CADRES,
                   extra: str = "") -> Workspace:
    """The tiny instance, loaded (see `write_tiny`)."""
    return load_workspace(write_tiny(folder, rules, cadres, extra))


def moves_of(result: PlanResult) -> list[tuple[str, str, str, str]]:
    return sorted((m.cadre, m.form, m.to_position, m.round) for m in result.plan.moves)


def test_a_due_land_officer_swaps_with_the_only_other_movable_one_in_his_due_round(tmp_path):
    # Who may go where (the rules above, judged by hand):
    # - C01 (due by 2024-Q2) may only take a grade-1 land post by position change: P-NT-DC
    #   or P-XL-DC. C03 in P-XL-DC is pregnant and deferred, so she never leaves: P-NT-DC.
    # - C02 must leave P-NT-DC in the round C01 arrives, and her only open post of grade 1
    #   is the one C01 leaves: a swap. Both in 2024-Q2 — moving C01 a round early costs 1.
    # - The vacant vice chair post (grade 3) takes a transfer from the district one grade
    #   up: C04 (grade 2) only; C05 (grade 4) would go down, ward officers have no edge.
    #   Filling it in 2024-Q1 saves 20 × 4 rounds for a disruption of 1 × 4.
    # - Nobody can take the post C04 leaves (grade 2: no equal grade, no commune→district).
    result = solve_workspace(tiny_workspace(tmp_path).facts)
    assert result.status == "optimal"
    assert moves_of(result) == [
        ("C01", "position_change", "P-NT-DC", "2024-Q2"),
        ("C02", "position_change", "P-QA-DC", "2024-Q2"),
        ("C04", "transfer", "P-NT-PCT", "2024-Q1"),
    ]
    assert result.plan.unplaced == []
    assert result.report.violations == []  # the vacancy was filled from the first round
    assert result.plan.move_by_cadre["C01"].rules[0] == "land-period"


def test_an_active_overdue_officer_swaps_with_the_due_one_rather_than_move_a_third(tmp_path):
    # Without the pregnancy C03 (72 months) is due by 2024-Q1 and must leave P-XL-DC then.
    # Swapping C01 ↔ C03 in 2024-Q1 costs 1 (C01 one round early); any plan that moves C02
    # costs at least 4 (a cadre not due disrupts the whole horizon). So C02 stays.
    cadres = CADRES.replace("land_management,,,pregnant", "land_management,,,active")
    result = solve_workspace(tiny_workspace(tmp_path, cadres=cadres).facts)
    assert moves_of(result) == [
        ("C01", "position_change", "P-XL-DC", "2024-Q1"),
        ("C03", "position_change", "P-QA-DC", "2024-Q1"),
        ("C04", "transfer", "P-NT-PCT", "2024-Q1"),
    ]


def test_a_forbidden_filling_leaves_the_vacancy_open_and_its_penalty_counted(tmp_path):
    # C04 is the only cadre who may fill P-NT-PCT: with that move forbidden the post stays
    # vacant all four rounds, 20 × 4 = 80 in the checker's soft penalties.
    ws = tiny_workspace(tmp_path, extra="forbid: [{cadre: C04, to: P-NT-PCT}]\n")
    result = solve_workspace(ws.facts)
    assert moves_of(result) == [
        ("C01", "position_change", "P-NT-DC", "2024-Q2"),
        ("C02", "position_change", "P-QA-DC", "2024-Q2"),
    ]
    assert result.report.ok
    assert result.report.penalties() == {"vice-chair-vacancy": 80.0}


def test_a_pinned_move_is_made_even_when_it_costs_more(tmp_path):
    # Pinning C04's transfer to 2024-Q3 costs 40 of vacancy the free plan avoids.
    ws = tiny_workspace(tmp_path,
                        extra="pin: [{cadre: C04, to: P-NT-PCT, round: 2024-Q3}]\n")
    result = solve_workspace(ws.facts)
    assert moves_of(result) == [
        ("C01", "position_change", "P-NT-DC", "2024-Q2"),
        ("C02", "position_change", "P-QA-DC", "2024-Q2"),
        ("C04", "transfer", "P-NT-PCT", "2024-Q3"),
    ]
    assert result.report.ok
    assert result.report.penalties() == {"vice-chair-vacancy": 40.0}


def test_a_due_officer_with_no_allowed_direction_is_unplaced_with_the_refusing_rule(tmp_path):
    # Without the position-change edge no grade-1 land post is reachable for C01: every
    # option is refused by rotation-directions; the plan leaves him, under land-period.
    ws = tiny_workspace(tmp_path, rules=NO_POSITION_CHANGE_RULES)
    result = solve_workspace(ws.facts)
    assert [(u.cadre, u.rules) for u in result.plan.unplaced] == [
        ("C01", ("land-period", "rotation-directions"))]
    assert [(v.rule_id, v.cadres) for v in result.report.hard] == [("land-period", ("C01",))]
    assert moves_of(result) == [("C04", "transfer", "P-NT-PCT", "2024-Q1")]


@pytest.mark.parametrize("pins", [
    # C01 is due by 2024-Q2 under the hard land-period; the pin asks for 2024-Q3.
    "[{cadre: C01, to: P-NT-DC, round: 2024-Q3}]",
    # No round for C01, but C02 may only leave P-NT-DC in 2024-Q3: C01 can arrive no sooner.
    "[{cadre: C01, to: P-NT-DC}, {cadre: C02, to: P-QA-DC, round: 2024-Q3}]",
])
def test_pins_that_make_a_hard_due_cadre_late_are_refused_naming_the_tenure_rule(tmp_path,
                                                                                   pins):
    # Regression guard (fixed in 8c44043): the solver used to honour such pins, propose a
    # plan its own checker rejects and raise PlannerBug. The plan cannot obey both the pins
    # and the hard limit: the pin is refused in rule terms.
    ws = tiny_workspace(tmp_path, extra=f"pin: {pins}\n")
    with pytest.raises(PinConflict, match="pin C01 → P-NT-DC") as info:
        solve_workspace(ws.facts)
    assert "land-period" in str(info.value)


# ---------------------------------------------------------------------------- crafted bad plans


@pytest.fixture(scope="module")
def demo_result() -> tuple[Workspace, PlanResult]:
    """The demo's plan, as the planner proposes it (solved once for this module)."""
    ws = load_workspace(DEMO / "scenario.yaml")
    return ws, solve_workspace(ws.facts)


def test_the_demo_plan_passes_every_hard_check(demo_result):
    ws, result = demo_result
    assert result.status == "optimal"
    assert result.report.hard == [] and result.plan.unplaced == []
    # the checker run afresh agrees with the report the solver returned
    assert check_plan(ws.facts, result.plan).violations == result.report.violations


def test_a_move_redirected_into_a_post_whose_holder_stays_breaks_one_holder(demo_result):
    ws, result = demo_result
    # The first cadre the plan leaves in place keeps their post every round; the plan's
    # first move is redirected there, so from its round on the post has two holders.
    stayer = next(c for c in ws.scenario.roster.cadres
                  if c.position and c.id not in result.plan.move_by_cadre)
    first = result.plan.moves[0]
    plan = result.plan.with_move(replace(first, to_position=stayer.position or ""))
    found = [v for v in check_plan(ws.facts, plan).hard if v.rule_id == "structure.one-holder"]
    assert [v.rounds for v in found] == [(r.name,) for r in ws.scenario.rounds[first.round_index:]]
    assert all(set(v.cadres) == {stayer.id, first.cadre} for v in found)
    assert all(v.positions == (stayer.position,) for v in found)


def test_a_move_turned_into_a_secondment_up_a_level_breaks_rotation_directions(demo_result):
    ws, result = demo_result
    # A secondment goes between wards, between district agencies, from the city, and from a
    # district down to its wards (reinforcing the base); never from a ward up to the
    # district: the same move as a secondment is refused.
    # Xuân La's office clerk C043 seconded up to the district office's vacant specialist
    # post: refused.
    facts = ws.facts
    assert facts.place("P-XL-VP")["level"] == "commune"
    assert facts.place("P-TH-UB-CV")["level"] == "district"
    seconded = make_move(ws.scenario, "C043", "secondment", "P-TH-UB-CV", 0, months=12)
    found = [v for v in check_plan(ws.facts, result.plan.with_move(seconded)).hard
             if v.rule_id == "rotation-directions"]
    assert [v.cadres for v in found] == [("C043",)]
    assert "matches no allowed direction" in found[0].message


def test_moving_a_pregnant_cadre_by_position_change_breaks_the_deferral(demo_result):
    ws, result = demo_result
    # C011 is pregnant until 2024-06-30 (the demo roster); the planner does not move her
    # before then (it may second her to a ward once the pregnancy is over).
    facts = ws.facts
    pregnant = facts.cadre("C011")
    assert pregnant.status == "pregnant"
    earlier = result.plan.move_by_cadre.get("C011")
    assert earlier is None or earlier.start >= dt.date(2024, 6, 30)
    others = [m for m in result.plan.moves
              if m.cadre != "C011" and m.to_position != "P-NT-TC"]
    # Move her in 2024-Q2 into the ward's vacant finance post (her profession and grade): every
    # other rule allows that position change, only the deferral objects.
    assert facts.place("P-NT-TC")["profession"] == pregnant.profession
    swap = [make_move(ws.scenario, pregnant.id, "position_change", "P-NT-TC", 1)]
    report = check_plan(ws.facts, Plan([*others, *swap]))
    # a due cadre whose move into that post was dropped is left due (the plan's C041, who
    # cannot go up to a district post before 1 Jul 2025 instead)
    dropped = {m.cadre for m in result.plan.moves
               if m.cadre != "C011" and m.to_position == "P-NT-TC"}
    assert [(v.rule_id, v.cadres) for v in report.hard
            if not (v.rule_id == "position-change-period" and set(v.cadres) <= dropped)] == [
        ("position-change-deferral", ("C011",))]
    deferral = next(v for v in report.hard if v.rule_id == "position-change-deferral")
    assert "status pregnant until 2024-06-30" in deferral.message


def test_dropping_a_due_cadres_move_breaks_the_tenure_limit_that_made_them_due(demo_result):
    ws, result = demo_result
    due_move: Move = next(m for m in result.plan.moves
                          if m.rules and m.rules[0] == "position-change-period")
    # Drop the due cadre's move and the moves into the post they would have left (or it
    # would have two holders).
    plan = Plan([m for m in result.plan.moves if m.cadre != due_move.cadre
                 and m.to_position != due_move.from_position])
    found = [v for v in check_plan(ws.facts, plan).hard if due_move.cadre in v.cadres]
    assert [v.rule_id for v in found] == ["position-change-period"]
