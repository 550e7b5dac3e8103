"""Boundaries of the rule kinds, the checker and the calendar: the day before, on and after
every date and limit, so a `>=` turned `>` or a date off by one day is caught.

Moves are built with exact start days (not only round starts) and judged by the kinds' own
hooks, as the checker and the solver call them. Demo facts used: C005 holds P-TH-PCT2 since
2022-03-01; C014 (male, born 1964-04-01) retires on 2025-07-01 under NĐ 135/2020.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest
from conftest import DEMO, RosterFiles, copy_demo

from planner.calendar import add_months, months_between, retirement_date
from planner.checker import check_plan
from planner.plan import Move, Plan
from planner.ruleset import Rule, value_on
from planner.workspace import Workspace, load_workspace

DAY = dt.timedelta(days=1)


def workspace(folder: Path, rules: str, base: Path = DEMO / "scenario.yaml",
              extra: str = "") -> Workspace:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "rules.yaml").write_text("ruleset: test\nrules:\n" + textwrap.indent(
        textwrap.dedent(rules).strip(), "  ") + "\n", encoding="utf-8")
    overlay = folder / "overlay.yaml"
    overlay.write_text(f"extends: {base}\nrules: [rules.yaml]\n{extra}", encoding="utf-8")
    return load_workspace(overlay)


def move_on(ws: Workspace, cadre: str, form: str, to: str, start: dt.date,
            end: dt.date | None = None) -> Move:
    """A move starting on an exact day (in the round containing it)."""
    round_ = ws.facts.rounds[ws.facts.round_at(start)]
    return Move(cadre, form, ws.facts.cadre(cadre).position, to, round_.name, round_.index,
                start, end)


def judged(ws: Workspace, rule_id: str, move: Move) -> bool:
    """True if the rule finds this single move at fault."""
    rule = ws.facts.ruleset.by_id(rule_id)
    return rule.impl.judge_move(rule, ws.facts, move) is not None


# ---------------------------------------------------------------------------- min_tenure

MIN_TENURE = """
- id: min-36
  kind: min_tenure
  label: "Thời gian tối thiểu"
  basis: "QĐ 65-QĐ/TW Đ.7"
  params: {min_months: 36}
- id: min-dated
  kind: min_tenure
  label: "Thời gian tối thiểu (đổi ngày 2025-03-01)"
  basis: "[I] test"
  params: {min_months: {2020-01-01: 40, 2025-03-01: 36}}
"""


@pytest.fixture(scope="module")
def tenure_ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    return workspace(tmp_path_factory.mktemp("tenure"), MIN_TENURE)


@pytest.mark.parametrize("start,short", [
    (dt.date(2025, 2, 28), True),    # 35 whole months since 2022-03-01
    (dt.date(2025, 3, 1), False),    # exactly 36
    (dt.date(2025, 3, 2), False),
])
def test_min_tenure_allows_a_move_from_the_day_the_months_are_complete(tenure_ws, start, short):
    move = move_on(tenure_ws, "C005", "transfer", "P-TH-NV-PP", start)
    assert judged(tenure_ws, "min-36", move) is short


def test_min_tenure_reports_the_months_short_on_the_day_before(tenure_ws):
    rule = tenure_ws.facts.ruleset.by_id("min-36")
    found = rule.impl.judge_move(rule, tenure_ws.facts, move_on(
        tenure_ws, "C005", "transfer", "P-TH-NV-PP", dt.date(2025, 2, 28)))
    assert found is not None and (found.amount, found.unit) == (1, "months short")
    assert found.clause in ("", "min_months")


@pytest.mark.parametrize("start,short", [
    (dt.date(2025, 2, 28), True),    # 35 months, 40 needed until the switch
    (dt.date(2025, 3, 1), False),    # the switch day: 36 needed, 36 served
])
def test_a_dated_minimum_switches_on_its_date(tenure_ws, start, short):
    move = move_on(tenure_ws, "C005", "transfer", "P-TH-NV-PP", start)
    assert judged(tenure_ws, "min-dated", move) is short


@pytest.mark.parametrize("day,value", [
    (dt.date(2025, 6, 30), 36), (dt.date(2025, 7, 1), 24), (dt.date(2025, 7, 2), 24),
    (dt.date(2019, 12, 31), None),   # before the first date nothing is in force
    (dt.date(2020, 1, 1), 48),
])
def test_a_dated_parameter_is_the_value_in_force_on_the_day(day, value):
    param = {dt.date(2025, 7, 1): 24, dt.date(2020, 1, 1): 48, dt.date(2023, 1, 1): 36}
    assert value_on(param, day) == value
    assert value_on(60, day) == 60


# ---------------------------------------------------------------------------- exemptions

EXEMPT = """
- id: near-retirement
  kind: exemption
  label: "Còn dưới 18 tháng đến tuổi nghỉ hưu"
  basis: "NĐ 59/2019/NĐ-CP"
  params: {forms: [position_change], months_to_retirement_lt: 18}
- id: status-defer
  kind: exemption
  label: "Hoãn khi đang mang thai"
  basis: "NĐ 59/2019/NĐ-CP"
  params: {forms: [position_change], statuses: [pregnant], effect: defer}
- id: young-child
  kind: exemption
  label: "Nuôi con dưới 36 tháng"
  basis: "NĐ 59/2019/NĐ-CP"
  params: {forms: [position_change], child_months_lt: 36}
"""


@pytest.fixture(scope="module")
def exempt_ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    folder = tmp_path_factory.mktemp("exempt")
    scenario = copy_demo(folder / "demo")
    roster = RosterFiles(scenario.parent / "roster")
    line = roster.line_of("cadres", "id", "C011")
    roster.set_cell("cadres", line, "status_until", "2024-09-15")
    line = roster.line_of("cadres", "id", "C028")
    roster.set_cell("cadres", line, "child_birth_date", "2022-05-31")
    return workspace(folder / "rules", EXEMPT, base=scenario)


def exempts(ws: Workspace, rule_id: str, cadre: str, day: dt.date, form: str = "position_change"
            ) -> str | None:
    rule = ws.facts.ruleset.by_id(rule_id)
    return rule.impl.exempts(rule, ws.facts, cadre, form, day)


def test_c014_retires_on_the_decree_135_date():
    # born 1964-04-01, male: in 2024 the age is 61y0m (reached in 2025: too late for 2024's
    # age); in 2025 it is 61y3m, reached on 2025-07-01 — inside that year
    assert retirement_date(dt.date(1964, 4, 1), "male") == dt.date(2025, 7, 1)


@pytest.mark.parametrize("offset,exempt", [(-1, False), (0, False), (1, True)])
def test_the_retirement_exemption_starts_the_day_fewer_than_18_months_remain(exempt_ws, offset,
                                                                             exempt):
    retires = exempt_ws.facts.retirement_date("C014")
    exactly = add_months(retires, -18)  # 18 whole months left: not yet exempt
    day = exactly + offset * DAY
    assert months_between(exactly, retires) == 18
    assert (exempts(exempt_ws, "near-retirement", "C014", day) is not None) is exempt


def test_the_retirement_exemption_covers_only_its_forms(exempt_ws):
    late = add_months(exempt_ws.facts.retirement_date("C014"), -2)
    assert exempts(exempt_ws, "near-retirement", "C014", late) is not None
    assert exempts(exempt_ws, "near-retirement", "C014", late, form="rotation") is None


@pytest.mark.parametrize("day,deferred", [
    (dt.date(2024, 9, 14), True), (dt.date(2024, 9, 15), True), (dt.date(2024, 9, 16), False)])
def test_a_status_defers_through_status_until_its_last_day(exempt_ws, day, deferred):
    reason = exempts(exempt_ws, "status-defer", "C011", day)
    assert (reason is not None) is deferred
    if deferred:
        assert reason == "status pregnant until 2024-09-15"


def test_a_status_without_an_end_defers_for_good(exempt_ws, tmp_path):
    scenario = copy_demo(tmp_path / "demo")
    roster = RosterFiles(scenario.parent / "roster")
    roster.set_cell("cadres", roster.line_of("cadres", "id", "C011"), "status_until", "")
    ws = workspace(tmp_path / "rules", EXEMPT, base=scenario)
    assert exempts(ws, "status-defer", "C011", dt.date(2030, 1, 1)) is not None
    assert exempts(ws, "status-defer", "C010", dt.date(2024, 1, 1)) is None  # active


@pytest.mark.parametrize("day,deferred", [
    (dt.date(2025, 5, 30), True),    # 35 months and 30 days old
    (dt.date(2025, 5, 31), False),   # 36 months to the day
    (dt.date(2025, 6, 1), False)])
def test_a_child_under_36_months_defers_until_the_day_the_child_is_36_months_old(exempt_ws, day,
                                                                                deferred):
    assert (exempts(exempt_ws, "young-child", "C028", day) is not None) is deferred


# ---------------------------------------------------------------------------- the checker


def pin_ws(tmp_path: Path, pin: str) -> Workspace:
    return workspace(tmp_path, MIN_TENURE, extra=f"pin: [{pin}]\n")


def pin_violations(ws: Workspace, *moves: Move) -> list[str]:
    return [v.message for v in check_plan(ws.facts, Plan(list(moves))).violations
            if v.rule_id == "scenario.pin"]


def test_a_pin_with_a_round_is_met_only_in_that_round(tmp_path):
    ws = pin_ws(tmp_path, "{cadre: C013, to: P-TH-TNMT-PP, round: 2024-Q2}")
    q2 = move_on(ws, "C013", "transfer", "P-TH-TNMT-PP", dt.date(2024, 4, 1))
    q3 = move_on(ws, "C013", "transfer", "P-TH-TNMT-PP", dt.date(2024, 7, 1))
    q1 = move_on(ws, "C013", "transfer", "P-TH-TNMT-PP", dt.date(2024, 1, 1))
    assert pin_violations(ws, q2) == []
    assert pin_violations(ws, q3) == ["pinned move C013 → P-TH-TNMT-PP in 2024-Q2 is not in "
                                      "the plan"]
    assert len(pin_violations(ws, q1)) == 1
    assert len(pin_violations(ws)) == 1


def test_a_pin_without_a_round_is_met_in_any_round_but_only_to_its_post(tmp_path):
    ws = pin_ws(tmp_path, "{cadre: C013, to: P-TH-TNMT-PP}")
    assert pin_violations(ws, move_on(ws, "C013", "transfer", "P-TH-TNMT-PP",
                                      dt.date(2025, 10, 1))) == []
    assert len(pin_violations(ws, move_on(ws, "C013", "transfer", "P-NT-TC",
                                          dt.date(2024, 4, 1)))) == 1


def test_a_pin_with_a_form_is_met_only_by_that_form(tmp_path):
    ws = pin_ws(tmp_path, "{cadre: C013, to: P-TH-TNMT-PP, form: rotation}")
    assert pin_violations(ws, move_on(ws, "C013", "rotation", "P-TH-TNMT-PP",
                                      dt.date(2024, 4, 1))) == []
    assert len(pin_violations(ws, move_on(ws, "C013", "transfer", "P-TH-TNMT-PP",
                                          dt.date(2024, 4, 1)))) == 1


def test_a_forbid_is_broken_by_the_forbidden_post_only_or_by_any_move(tmp_path):
    ws = workspace(tmp_path / "one", MIN_TENURE,
                   extra="forbid: [{cadre: C013, to: P-TH-TNMT-PP}]\n")
    there = move_on(ws, "C013", "transfer", "P-TH-TNMT-PP", dt.date(2024, 4, 1))
    elsewhere = move_on(ws, "C013", "transfer", "P-NT-TC", dt.date(2024, 4, 1))
    forbids = [v for v in check_plan(ws.facts, Plan([there])).violations
               if v.rule_id == "scenario.forbid"]
    assert len(forbids) == 1
    assert not [v for v in check_plan(ws.facts, Plan([elsewhere])).violations
                if v.rule_id == "scenario.forbid"]
    ws_any = workspace(tmp_path / "any", MIN_TENURE, extra="forbid: [{cadre: C013}]\n")
    assert [v.rule_id for v in check_plan(ws_any.facts, Plan([elsewhere])).violations
            if v.rule_id == "scenario.forbid"] == ["scenario.forbid"]


def test_two_cadres_moved_into_one_post_in_one_round_are_two_holders(tmp_path):
    ws = workspace(tmp_path, MIN_TENURE)
    day = dt.date(2024, 4, 1)
    plan = Plan([move_on(ws, "C013", "transfer", "P-TH-TNMT-PP", day),
                 move_on(ws, "C016", "transfer", "P-TH-TNMT-PP", day)])
    found = [v for v in check_plan(ws.facts, plan).violations
             if v.rule_id == "structure.one-holder"]
    assert [v.rounds[0] for v in found] == [r.name for r in ws.facts.rounds[1:]]
    assert (found[0].amount, set(found[0].cadres)) == (1, {"C013", "C016"})


def test_a_post_taken_the_round_its_holder_leaves_has_one_holder(tmp_path):
    ws = workspace(tmp_path, MIN_TENURE)
    day = dt.date(2024, 4, 1)
    plan = Plan([move_on(ws, "C013", "transfer", "P-TH-NV-CV", day),
                 move_on(ws, "C008", "transfer", "P-XL-DC", day)])
    assert not [v for v in check_plan(ws.facts, plan).violations
                if v.rule_id == "structure.one-holder"]
    # the holder leaving a round later: two holders in the round between
    late = Plan([move_on(ws, "C013", "transfer", "P-TH-NV-CV", day),
                 move_on(ws, "C008", "transfer", "P-XL-DC", dt.date(2024, 7, 1))])
    found = [v.rounds for v in check_plan(ws.facts, late).violations
             if v.rule_id == "structure.one-holder" and "P-TH-NV-CV" in v.positions]
    assert found == [("2024-Q2",)]


def test_a_seconded_cadre_leaves_the_destination_on_the_end_date(tmp_path):
    ws = workspace(tmp_path, MIN_TENURE)
    # C008 is seconded to the vacant P-NT-TC for 2024-Q2 and 2024-Q3, back home 2024-10-01
    away = move_on(ws, "C008", "secondment", "P-NT-TC", dt.date(2024, 4, 1),
                   end=dt.date(2024, 10, 1))

    def two_holders(arrival: dt.date) -> list[tuple[str, ...]]:
        newcomer = move_on(ws, "C013", "transfer", "P-NT-TC", arrival)
        return [v.rounds for v in check_plan(ws.facts, Plan([away, newcomer])).violations
                if v.rule_id == "structure.one-holder" and "P-NT-TC" in v.positions]

    assert two_holders(dt.date(2024, 7, 1)) == [("2024-Q3",)]   # the round before the end
    assert two_holders(dt.date(2024, 10, 1)) == []              # on the end date


def test_a_seconded_cadre_keeps_the_home_post_while_away(tmp_path):
    ws = workspace(tmp_path, MIN_TENURE)
    away = move_on(ws, "C008", "secondment", "P-NT-TC", dt.date(2024, 4, 1),
                   end=dt.date(2024, 10, 1))
    newcomer = move_on(ws, "C013", "transfer", "P-TH-NV-CV", dt.date(2024, 7, 1))
    rounds = [v.rounds[0] for v in check_plan(ws.facts, Plan([away, newcomer])).violations
              if v.rule_id == "structure.one-holder"]
    assert rounds[0] == "2024-Q3"  # while he is away, and on after his return


def test_every_rule_loaded_is_unverified_unless_its_file_says_so(tmp_path):
    ws = workspace(tmp_path, MIN_TENURE)
    rule: Rule = ws.facts.ruleset.by_id("min-36")
    assert rule.spec.verified is False


# ------------------------------------------------------------- tenure_limit: what is reported

def demo_overlay(tmp_path: Path, body: str) -> Workspace:
    overlay = tmp_path / "overlay.yaml"
    overlay.write_text(f"extends: {DEMO / 'scenario.yaml'}\n{body}", encoding="utf-8")
    return load_workspace(overlay)


def test_a_due_cadre_left_in_place_is_reported_with_the_limit_the_day_and_the_due_round():
    """C008 holds P-TH-NV-CV since 2019-09-01: 60 months on 2024-09-01, due by 2024-Q3."""
    facts = load_workspace(DEMO / "scenario.yaml").facts
    due = facts.due("C008")
    assert due is not None
    assert (due.rule.id, due.reached_on, due.round_index, due.months_at_start) == (
        "position-change-period", dt.date(2024, 9, 1), 2, 52)  # 52 months at 2024-01-01
    assert due.why == "reaches 60 months in post on 2024-09-01"
    [found] = [v for v in check_plan(facts, Plan([])).violations
               if v.rule_id == "position-change-period" and v.cadres == ("C008",)]
    assert found.message == ("C008 reaches 60 months in post on 2024-09-01 (due by 2024-Q3) "
                             "and is not moved in the horizon")
    # late from 2024-Q3 to the demo's last round 2025-Q2: 4 rounds
    assert (found.amount, found.clause, found.positions, found.rounds) == (
        4, "max_months", ("P-TH-NV-CV",), ("2024-Q3",))


def test_a_due_cadre_moved_by_a_form_that_keeps_the_tenure_names_the_forms_that_end_it():
    facts = load_workspace(DEMO / "scenario.yaml").facts
    plan = Plan([move_on(load_workspace(DEMO / "scenario.yaml"), "C008", "secondment",
                         "P-XL-VP", dt.date(2024, 7, 1))])
    [found] = [v for v in check_plan(facts, plan).violations
               if v.rule_id == "position-change-period" and v.cadres == ("C008",)]
    assert found.clause == "satisfied_by"
    assert "moves only by secondment, which does not end the tenure" in found.message


def test_a_dated_limit_is_read_in_force_in_each_round(tmp_path):
    """72 months until 2024-03-31, 48 from 2024-04-01: C008 (since 2019-09-01) passed 48
    months on 2023-09-01, so the 2024-Q2 value makes him due in 2024-Q2, and the report
    quotes the 48 in force then."""
    ws = demo_overlay(tmp_path, "set:\n  position-change-period:\n    max_months: "
                                "{2019-11-15: 60, 2024-04-01: 48}\n")
    due = ws.facts.due("C008")
    assert due is not None and (due.reached_on, due.round_index) == (dt.date(2023, 9, 1), 1)
    [found] = [v for v in check_plan(ws.facts, Plan([])).violations
               if v.rule_id == "position-change-period" and v.cadres == ("C008",)]
    assert found.message.startswith("C008 reaches 48 months in post on 2023-09-01 (due by "
                                    "2024-Q2)")


def test_a_deferral_says_deferred_and_an_exemption_says_exempt(tmp_path):
    facts = load_workspace(DEMO / "scenario.yaml").facts
    ws = load_workspace(DEMO / "scenario.yaml")
    # C011 is pregnant until 2024-06-30 (deferred); C014 retires within 18 months (exempt)
    deferral = facts.ruleset.by_id("position-change-deferral")
    exempt = facts.ruleset.by_id("position-change-exempt-retirement")
    assert deferral is not None and exempt is not None
    pregnant = deferral.impl.judge_move(deferral, facts, move_on(
        ws, "C011", "position_change", "P-NT-TC", dt.date(2024, 1, 1)))
    assert pregnant is not None and pregnant.message.startswith(
        "C011 is deferred from position_change on 2024-01-01: status pregnant")
    retiring = exempt.impl.judge_move(exempt, facts, move_on(
        ws, "C014", "position_change", "P-QA-DC", dt.date(2024, 7, 1)))
    assert retiring is not None and retiring.message.startswith(
        "C014 is exempt from position_change on 2024-07-01: ")


def test_an_appointment_short_of_service_is_short_by_the_missing_months():
    """C012 (head of Phòng TNMT, no pool) retires 2026-07-15: 30 months left on 2024-01-01,
    60 needed to move up to district vice chair (QĐ 80)."""
    ws = load_workspace(DEMO / "scenario.yaml")
    rule = ws.facts.ruleset.by_id("appointment-conditions-qd80")
    found = rule.impl.judge_move(rule, ws.facts, move_on(
        ws, "C012", "appointment", "P-TH-PCT2", dt.date(2024, 1, 1)))
    assert found is not None
    assert (found.amount, found.unit) == (30.0, "months of service short")
    assert (found.cadres, found.positions, found.units, found.rounds) == (
        ("C012",), ("P-TH-TNMT-TP", "P-TH-PCT2"), ("U-TH-UB",), ("2024-Q1",))
    assert "30 months of service left (retires 2026-07-15), 60 needed" in found.message
    assert "no planning pool for vice_chair@district" in found.message


# ------------------------------------------------- rules in force from inside the horizon

DATED_FROM_INSIDE = """
- id: change-48-from-q3
  kind: tenure_limit
  label: "Định kỳ chuyển đổi 48 tháng (từ 2024-07-01)"
  basis: "[I] test"
  effective: {from: 2024-07-01}
  params: {max_months: 48}
- id: non-local-from-q2
  kind: non_local
  label: "Bí thư, Chủ tịch không là người địa phương (từ 2024-04-01)"
  basis: "[I] test"
  effective: {from: 2024-04-01}
  params: {roles: [secretary, chair]}
"""


def test_a_limit_in_force_from_inside_the_horizon_makes_the_cadre_due_from_its_first_round(
        tmp_path):
    # C008 (in post since 2019-09-01) passed 48 months on 2023-09-01; the limit binds from
    # 2024-Q3, the first round it is in force
    ws = workspace(tmp_path, DATED_FROM_INSIDE)
    [due] = [d for d in ws.facts.dues("C008") if d.rule.id == "change-48-from-q3"]
    assert (due.reached_on, due.round_index) == (dt.date(2023, 9, 1), 2)


def test_a_move_rule_in_force_from_inside_the_horizon_judges_every_later_move(tmp_path):
    # C022's hometown is Quảng An: a chair post there breaks the rule from 2024-04-01 only,
    # whatever moves of earlier rounds the plan lists first
    ws = workspace(tmp_path, DATED_FROM_INSIDE)
    early = move_on(ws, "C001", "rotation", "P-NT-BT", dt.date(2024, 1, 1))
    found = [v for v in check_plan(ws.facts, Plan([early, move_on(
        ws, "C022", "rotation", "P-QA-CT", dt.date(2024, 4, 1))])).violations
        if v.rule_id == "non-local-from-q2"]
    assert [v.cadres for v in found] == [("C022",)]
    assert [v for v in check_plan(ws.facts, Plan([move_on(
        ws, "C022", "rotation", "P-QA-CT", dt.date(2024, 1, 1))])).violations
        if v.rule_id == "non-local-from-q2"] == []


@pytest.mark.parametrize(("valid_to", "due_by_the_limit"), [
    ("2024-08-31", False), ("2024-09-01", False), ("2024-09-02", True)])
def test_a_post_ending_by_the_day_its_holder_reaches_the_limit_moves_them_by_its_end(
        tmp_path, valid_to, due_by_the_limit):
    # C008 reaches 60 months in P-TH-NV-CV on 2024-09-01: a post gone by then (valid_to is
    # its first day without it) moves its holder by the post's end, not by the limit
    scenario = copy_demo(tmp_path / "demo")
    files = RosterFiles(tmp_path / "demo" / "roster")
    rows = files.rows("positions")
    rows[0].append("valid_to")
    for row in rows[1:]:
        row.append(valid_to if row[0] == "P-TH-NV-CV" else "")
    files.write_rows("positions", rows)
    facts = load_workspace(scenario).facts
    by_limit = [d for d in facts.dues("C008") if d.rule.id == "position-change-period"]
    assert bool(by_limit) is due_by_the_limit
