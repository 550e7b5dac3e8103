"""Rule kinds min_tenure, eligibility, adaptation, relatives, non_local and quota on the demo.

Each kind gets a violating and a clean case on a plan of one to four hand-picked moves in
the demo (quận Tây Hồ, 44 cadres) carried through 2025 (`through-2025.yaml`: horizon 2024-Q1
… 2025-Q4), with the expected numbers worked out in comments. Rules are written to a small
rule file next to an overlay of the demo scenario (`extends`), so the repository's own files
are read, never written.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest
from conftest import DEMO, RULES, RosterFiles, copy_demo
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.checker import check_plan
from planner.errors import InputError
from planner.kinds.adaptation import adaptation_until, leadership_cap
from planner.kinds.base import Violation
from planner.kinds.relatives import QD114_SECTORS, RelativesParams, conflicts_between
from planner.models import FORMS
from planner.plan import Move, Plan, make_move
from planner.workspace import Workspace, load_workspace


def rules_file(*rules: str, include_plan_188: bool = False) -> str:
    """A rule file with the given rules (YAML mappings without the leading dash)."""
    include = f"include: [{RULES}]\n" if include_plan_188 else ""
    body = "".join("  - " + textwrap.indent(textwrap.dedent(r).strip(), "    ")[4:] + "\n"
                   for r in rules)
    return f"ruleset: test\n{include}rules:\n{body}"


def workspace(folder: Path, rules: str, base: Path = DEMO / "through-2025.yaml") -> Workspace:
    """The demo (or another base scenario) under the given rule file, via an overlay."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "rules.yaml").write_text(rules, encoding="utf-8")
    overlay = folder / "overlay.yaml"
    overlay.write_text(f"extends: {base}\nrules: [rules.yaml]\n", encoding="utf-8")
    return load_workspace(overlay)


def plan_of(ws: Workspace, *moves: tuple[str, str, str, int]) -> Plan:
    """A plan of (cadre, form, to_position, round index) moves."""
    return Plan([make_move(ws.scenario, cadre, form, to, index,
                           months=12 if form == "secondment" else None)
                 for cadre, form, to, index in moves])


def violations_of(ws: Workspace, plan: Plan, rule_id: str) -> list[Violation]:
    return [v for v in check_plan(ws.facts, plan).violations if v.rule_id == rule_id]


# ---------------------------------------------------------------------------- min_tenure

MIN_TENURE = """
    id: rotation-duration
    kind: min_tenure
    label: "Thời gian luân chuyển tối thiểu 36 tháng"
    basis: "QĐ 65-QĐ/TW Đ.7"
    params: {min_months: 36}
"""


@pytest.fixture(scope="module")
def tenure_ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    return workspace(tmp_path_factory.mktemp("tenure"), rules_file(MIN_TENURE))


def test_a_move_before_36_months_in_post_is_short_by_the_missing_months(tenure_ws):
    # C005 holds P-TH-PCT2 since 2022-03-01: 22 months on 2024-01-01, 14 short of 36.
    found = violations_of(tenure_ws, plan_of(tenure_ws, ("C005", "transfer", "P-TH-NV-PP", 0)),
                          "rotation-duration")
    assert [(v.cadres, v.amount, v.unit, v.rounds) for v in found] == [
        (("C005",), 14, "months short", ("2024-Q1",))]
    assert "22 months in P-TH-PCT2" in found[0].message


def test_a_move_after_36_months_in_post_is_allowed(tenure_ws):
    # C001 holds P-TH-BT since 2020-10-15: 38 months on 2024-01-01.
    plan = plan_of(tenure_ws, ("C001", "rotation", "P-QA-BT", 0))
    assert violations_of(tenure_ws, plan, "rotation-duration") == []


def test_the_minimum_in_force_on_the_move_date_applies(tmp_path):
    # From 2025-01-01 the (made-up) minimum drops to 12 months: C005 moving in 2025-Q1 has 34.
    dated = MIN_TENURE.replace("{min_months: 36}", "{min_months: {2019-01-01: 36, 2025-01-01: 12}}")
    ws = workspace(tmp_path, rules_file(dated))
    assert violations_of(ws, plan_of(ws, ("C005", "transfer", "P-TH-NV-PP", 4)),
                         "rotation-duration") == []
    short = violations_of(ws, plan_of(ws, ("C005", "transfer", "P-TH-NV-PP", 3)),
                          "rotation-duration")
    # 2024-Q4 is still under the 36-month minimum: 31 months on 2024-10-01, 5 short.
    assert [v.amount for v in short] == [5]


# ---------------------------------------------------------------------------- eligibility

ELIGIBILITY = """
    id: test-rotation-eligibility
    kind: eligibility
    label: "Đối tượng luân chuyển"
    basis: "QĐ 65-QĐ/TW Đ.5, Đ.6"
    params:
      form: rotation
      pool: destination
      remaining_service_months_min: 120
      key_post_remaining_service_months_min: 60
      key_post_holders_eligible: true
"""


@pytest.fixture(scope="module")
def eligibility_ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    return workspace(tmp_path_factory.mktemp("eligibility"), rules_file(ELIGIBILITY))


def test_a_rotation_outside_the_planning_pool_names_the_missing_pool_token(eligibility_ws):
    # C033, a ward vice chair with no pool, rotated to another ward's vice chair post.
    found = violations_of(eligibility_ws,
                          plan_of(eligibility_ws, ("C033", "rotation", "P-QA-PCT", 0)),
                          "test-rotation-eligibility")
    assert len(found) == 1
    assert "not in a planning pool for vice_chair@commune" in found[0].message
    assert (found[0].cadres, found[0].positions) == (("C033",), ("P-NT-PCT", "P-QA-PCT"))


def test_a_cadre_pooled_for_other_titles_is_told_the_pool_they_hold(eligibility_ws):
    found = violations_of(eligibility_ws,
                          plan_of(eligibility_ws, ("C018", "rotation", "P-QA-PCT", 0)),
                          "test-rotation-eligibility")
    assert [v.message for v in found] == [
        "C018 may not take a rotation to P-QA-PCT: is not in a planning pool for "
        "vice_chair@commune (pool: head@district, secretary@commune)"]


def test_a_rotation_into_the_post_the_cadre_is_planned_for_is_eligible(eligibility_ws):
    # C024's pool holds chair@commune; she retires in 2046, far beyond 120 months.
    plan = plan_of(eligibility_ws, ("C024", "rotation", "P-NT-CT", 0))
    assert violations_of(eligibility_ws, plan, "test-rotation-eligibility") == []


def test_other_forms_are_not_judged_by_a_rotation_eligibility_rule(eligibility_ws):
    plan = plan_of(eligibility_ws, ("C033", "transfer", "P-QA-PCT", 0))
    assert violations_of(eligibility_ws, plan, "test-rotation-eligibility") == []


def test_a_native_key_post_holder_needs_no_pool_and_one_term_of_service_for_a_key_post(
        tmp_path):
    # C001 (born 1968-03-12, male) retires 2030-03-12 by NĐ 135/2020: 74 months left on
    # 2024-01-01. As district secretary (a key post) and a native of Tây Hồ he is moved under
    # the non-local policy (QĐ 65 Đ.4(2)): no pool needed, and 74 ≥ 60 for a key destination.
    scenario = copy_demo(tmp_path / "demo")
    roster = RosterFiles(tmp_path / "demo" / "roster")
    roster.set_cell("cadres", roster.line_of("cadres", "id", "C001"), "hometown", "TH")
    ws = workspace(tmp_path / "ws", rules_file(ELIGIBILITY), base=scenario)
    plan = plan_of(ws, ("C001", "rotation", "P-QA-BT", 0))
    assert violations_of(ws, plan, "test-rotation-eligibility") == []


def test_a_key_post_holder_without_a_pool_or_a_policy_motive_is_not_rotated(eligibility_ws):
    # C001's hometown is Ba Vì and no tenure limit makes him due: holding a key post alone
    # does not make him an object of rotation.
    found = violations_of(eligibility_ws, plan_of(eligibility_ws, ("C001", "rotation",
                                                                   "P-QA-BT", 0)),
                          "test-rotation-eligibility")
    assert len(found) == 1 and "not in a planning pool for secretary@commune" in found[0].message


def test_too_little_service_left_for_an_ordinary_post_is_short_by_the_missing_months(
        eligibility_ws):
    # The same 74 months do not reach the 120 needed for a non-key post: 46 short.
    found = violations_of(eligibility_ws,
                          plan_of(eligibility_ws, ("C001", "rotation", "P-TH-MT-CT", 0)),
                          "test-rotation-eligibility")
    assert [(v.amount, v.unit) for v in found] == [(46, "months of service short")]
    assert "74 months of service left on 2024-01-01" in found[0].message
    assert "120 needed" in found[0].message


def test_pool_any_accepts_a_pool_for_another_post(tmp_path):
    # C018's pool (head@district; secretary@commune) does not name vice_chair@commune.
    ws = workspace(tmp_path, rules_file(ELIGIBILITY.replace("pool: destination", "pool: any")))
    plan = plan_of(ws, ("C018", "rotation", "P-QA-PCT", 0))
    assert violations_of(ws, plan, "test-rotation-eligibility") == []
    found = violations_of(ws, plan_of(ws, ("C033", "rotation", "P-QA-PCT", 0)),
                          "test-rotation-eligibility")
    assert [v.message for v in found] == [
        "C033 may not take a rotation to P-QA-PCT: is in no planning pool"]


# ---------------------------------------------------------------------------- non_local

NON_LOCAL = """
    id: test-non-local-key-posts
    kind: non_local
    label: "Bí thư, Chủ tịch không là người địa phương"
    basis: "KL 14-KL/TW; QĐ 65-QĐ/TW; HD 09-HD/TU (2025)"
    params: {roles: [secretary, chair]}
"""


@pytest.fixture(scope="module")
def non_local_ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    return workspace(tmp_path_factory.mktemp("non_local"), rules_file(NON_LOCAL))


@pytest.mark.parametrize(("to", "local"), [
    ("P-QA-CT", True),    # C022's hometown is Quảng An itself
    ("P-TH-CT", True),    # Quảng An lies inside Tây Hồ, so she is local to the district too
    ("P-NT-CT", False),   # another ward: not local at ward scope
    ("P-QA-PCT", False),  # a vice chair post is not listed in roles
])
def test_a_native_of_the_locality_may_not_take_its_secretary_or_chair_post(non_local_ws, to,
                                                                          local):
    found = violations_of(non_local_ws, plan_of(non_local_ws, ("C022", "rotation", to, 0)),
                          "test-non-local-key-posts")
    assert len(found) == int(local)
    if local:
        assert "hometown TH-QA" in found[0].message


def test_district_scope_makes_every_native_of_the_district_local(tmp_path):
    rule = NON_LOCAL.replace("{roles: [secretary, chair]}",
                             "{roles: [secretary, chair], scope: district}")
    ws = workspace(tmp_path, rules_file(rule))
    # Nhật Tân and Quảng An are both wards of Tây Hồ: the area named is the district.
    found = violations_of(ws, plan_of(ws, ("C022", "rotation", "P-NT-CT", 0)),
                          "test-non-local-key-posts")
    assert [v.message for v in found] == [
        "C022 (hometown TH-QA) is local to TH and may not take chair post P-NT-CT there"]
    assert (found[0].positions, found[0].units, found[0].rounds, found[0].clause) == (
        ("P-QA-PBT", "P-NT-CT"), ("U-NT-UB",), ("2024-Q1",), "scope")
    # C001's hometown is Ba Vì, another district.
    assert violations_of(ws, plan_of(ws, ("C001", "rotation", "P-QA-BT", 0)),
                         "test-non-local-key-posts") == []


def test_applies_to_can_limit_the_policy_to_commune_posts(tmp_path):
    rule = NON_LOCAL + "    applies_to: {to.level: commune}\n"
    ws = workspace(tmp_path, rules_file(rule))
    assert violations_of(ws, plan_of(ws, ("C022", "rotation", "P-TH-CT", 0)),
                         "test-non-local-key-posts") == []


# ---------------------------------------------------------------------------- adaptation

ADAPTATION = """
    id: adaptation
    kind: adaptation
    label: "Thời gian thích ứng; không thay đồng thời Bí thư và Chủ tịch"
    basis: "QĐ 65-QĐ/TW Đ.8; KH 188-KH/TU (thông lệ)"
    params:
      months: 3
      key_months: 6
      max_share_per_unit: 0.5
      key_roles_not_together: [secretary, chair]
"""

# Swaps between the wards Quảng An and Nhật Tân keep every post singly held.
CHAIRS = (("C023", "rotation", "P-NT-CT"), ("C032", "rotation", "P-QA-CT"))
VICE_CHAIRS = (("C024", "rotation", "P-NT-PCT"), ("C033", "rotation", "P-QA-PCT"))
SECRETARIES = (("C021", "rotation", "P-NT-BT"), ("C030", "rotation", "P-QA-BT"))


def swaps(*groups: tuple[tuple[tuple[str, str, str], ...], int]) -> list[tuple[str, str, str, int]]:
    return [(*move, index) for group, index in groups for move in group]


@pytest.fixture(scope="module")
def adaptation_ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    return workspace(tmp_path_factory.mktemp("adaptation"), rules_file(ADAPTATION))


def test_a_new_chair_and_vice_chair_in_one_round_exceed_half_of_two_leaders(adaptation_ws):
    # Each ward People's Committee has 2 leadership posts: cap max(1, ⌊0.5 × 2⌋) = 1.
    plan = plan_of(adaptation_ws, *swaps((CHAIRS, 0), (VICE_CHAIRS, 0)))
    found = violations_of(adaptation_ws, plan, "adaptation")
    assert sorted((v.units, v.rounds, v.amount) for v in found) == [
        (("U-NT-UB",), ("2024-Q1",), 1), (("U-QA-UB",), ("2024-Q1",), 1)]
    assert found[0].unit == "cadres over the cap"


def test_a_chair_adapts_six_months_so_the_vice_chair_may_not_follow_a_quarter_later(
        adaptation_ws):
    # Chairs arrive 2024-01-01 and adapt until 2024-07-01 (key post: 6 months).
    plan = plan_of(adaptation_ws, *swaps((CHAIRS, 0), (VICE_CHAIRS, 1)))
    assert {v.rounds for v in violations_of(adaptation_ws, plan, "adaptation")} == {
        ("2024-Q2",)}


def test_a_vice_chair_may_arrive_once_the_chair_has_adapted(adaptation_ws):
    plan = plan_of(adaptation_ws, *swaps((CHAIRS, 0), (VICE_CHAIRS, 2)))
    assert violations_of(adaptation_ws, plan, "adaptation") == []


def test_secretary_and_chair_of_a_ward_are_not_replaced_while_either_adapts(adaptation_ws):
    # Secretaries arrive 2024-01-01 (adapting until 2024-07-01), chairs 2024-04-01: both
    # wards have a new secretary and a new chair in 2024-Q2 only.
    plan = plan_of(adaptation_ws, *swaps((SECRETARIES, 0), (CHAIRS, 1)))
    found = violations_of(adaptation_ws, plan, "adaptation")
    assert sorted((v.rounds, v.amount, v.cadres) for v in found) == [
        (("2024-Q2",), 1, ("C021", "C023")), (("2024-Q2",), 1, ("C030", "C032"))]
    assert "chair and secretary adapt together in 2024-Q2" in found[0].message


def test_secretary_and_chair_replaced_two_quarters_apart_are_fine(adaptation_ws):
    plan = plan_of(adaptation_ws, *swaps((SECRETARIES, 0), (CHAIRS, 2)))
    assert violations_of(adaptation_ws, plan, "adaptation") == []


def test_a_violation_names_each_adapting_cadre_with_post_and_period(adaptation_ws):
    plan = plan_of(adaptation_ws, *swaps((SECRETARIES, 0), (CHAIRS, 1)))
    found = violations_of(adaptation_ws, plan, "adaptation")
    quang_an = next(v for v in found if "C030" in v.cadres)
    # secretary from 2024-01-01 (key post: 6 months), chair from 2024-04-01 (6 months)
    assert "C030 in P-QA-BT 2024-01-01…2024-07-01" in quang_an.message
    assert "C032 in P-QA-CT 2024-04-01…2024-10-01" in quang_an.message


@pytest.mark.parametrize(("form", "limited"), [("rotation", True), ("transfer", False)])
def test_applies_to_on_the_move_form_limits_only_the_arrivals_it_selects(tmp_path, form,
                                                                        limited):
    # the chairs and vice chairs arrive by rotation: a rule for transfers leaves them be
    rule = ADAPTATION + f"    applies_to: {{move.form: {form}}}\n"
    ws = workspace(tmp_path, rules_file(rule))
    found = violations_of(ws, plan_of(ws, *swaps((CHAIRS, 0), (VICE_CHAIRS, 0))), "adaptation")
    assert bool(found) == limited


def test_leaders_who_took_their_post_before_the_plan_still_count(tmp_path):
    # With 36 months of adaptation, C033 (Nhật Tân vice chair since 2022-01-01) adapts until
    # 2025-01-01 and C024 (Quảng An vice chair since 2021-06-01) until 2024-06-01. New chairs
    # in 2024-Q1 then exceed the cap of 1 in Nhật Tân for four rounds, in Quảng An for two.
    rule = ADAPTATION.replace("months: 3\n      key_months: 6", "months: 36").replace(
        "      key_roles_not_together: [secretary, chair]\n", "")
    ws = workspace(tmp_path, rules_file(rule))
    assert violations_of(ws, Plan(), "adaptation") == []
    found = violations_of(ws, plan_of(ws, *swaps((CHAIRS, 0))), "adaptation")
    rounds_by_unit: dict[str, list[str]] = {}
    for item in found:
        rounds_by_unit.setdefault(item.units[0], []).extend(item.rounds)
    assert rounds_by_unit == {"U-NT-UB": ["2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4"],
                              "U-QA-UB": ["2024-Q1", "2024-Q2"]}


def test_adaptation_until_is_six_months_after_a_key_post_and_three_otherwise(adaptation_ws):
    rule = adaptation_ws.ruleset.by_id("adaptation")
    chair, vice = plan_of(adaptation_ws, ("C032", "rotation", "P-QA-CT", 0),
                          ("C033", "rotation", "P-QA-PCT", 0)).moves
    assert adaptation_until(rule, adaptation_ws.facts, chair) == dt.date(2024, 7, 1)
    assert adaptation_until(rule, adaptation_ws.facts, vice) == dt.date(2024, 4, 1)


@pytest.mark.parametrize(("share", "posts", "cap"), [
    (0.5, 2, 1), (0.5, 5, 2), (0.5, 0, 1),  # never below one: a unit can always renew
    (0.29, 100, 29),  # 0.29 × 100 is 28.999… in binary floating point
])
def test_leadership_cap_is_the_share_of_posts_rounded_down_but_at_least_one(share, posts, cap):
    assert leadership_cap(share, posts) == cap


# ---------------------------------------------------------------------------- relatives

RELATIVES = """
    id: relatives
    kind: relatives
    label: "Không bố trí người thân cùng tập thể lãnh đạo, cấp trưởng - cấp phó"
    basis: "QĐ 114-QĐ/TW Đ.6 k.5; Luật PCTN 2018 Đ.20 k.3"
"""


@pytest.fixture(scope="module")
def relatives_ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    return workspace(tmp_path_factory.mktemp("relatives"), rules_file(RELATIVES))


def test_a_child_made_deputy_of_the_parents_unit_is_reported_once_per_conflict(relatives_ws):
    # C012 heads the district natural resources office; his daughter C013 takes its vacant
    # deputy post in 2024-Q2: one collective, and head + deputy — each reported once.
    plan = plan_of(relatives_ws, ("C013", "transfer", "P-TH-TNMT-PP", 1))
    found = violations_of(relatives_ws, plan, "relatives")
    assert [(v.cadres, v.rounds, v.units) for v in found] == [
        (("C012", "C013"), ("2024-Q2",), ("U-TH-TNMT",))] * 2
    assert "sit in one unit's leadership collective" in found[0].message
    assert "are head and deputy of one unit" in found[1].message


def test_a_child_made_district_chair_while_the_parent_heads_a_listed_sector(relatives_ws):
    # natural_resources_environment is one of the 13 sectors of QĐ 114; C003 makes room.
    plan = plan_of(relatives_ws, ("C013", "rotation", "P-TH-CT", 0),
                   ("C003", "transfer", "P-TH-TNMT-PP", 0))
    found = violations_of(relatives_ws, plan, "relatives")
    assert len(found) == 1
    assert "head a level and one of its listed sectors from 2024-Q1" in found[0].message


def test_relatives_in_separate_units_are_fine(relatives_ws):
    plan = plan_of(relatives_ws, ("C013", "transfer", "P-QA-DC", 0))
    assert violations_of(relatives_ws, plan, "relatives") == []


def test_only_the_listed_relations_and_conflicts_count(tmp_path):
    rule = RELATIVES + "    params: {relations: [spouse], forbid: [same_collective]}\n"
    ws = workspace(tmp_path, rules_file(rule))
    plan = plan_of(ws, ("C013", "transfer", "P-TH-TNMT-PP", 1))  # a parent, not a spouse
    assert violations_of(ws, plan, "relatives") == []


def test_a_conflict_already_in_the_roster_is_not_the_plans_doing(tmp_path):
    # Make the head and the deputy head of the district internal affairs office siblings.
    scenario = copy_demo(tmp_path / "demo")
    RosterFiles(scenario.parent / "roster").append("relations", a="C006", b="C007",
                                                    relation="sibling")
    ws = workspace(tmp_path / "rules", rules_file(RELATIVES), base=scenario)
    assert violations_of(ws, Plan(), "relatives") == []
    # The plan moves the deputy away in 2024-Q3: it ends the conflict, it does not cause it.
    plan = plan_of(ws, ("C007", "transfer", "P-TH-TNMT-PP", 2))
    assert violations_of(ws, plan, "relatives") == []


def test_conflicts_between_posts_is_a_pure_function_of_the_two_places(relatives_ws):
    facts = relatives_ws.facts
    params = RelativesParams()
    assert conflicts_between(params, facts.place("P-TH-CT"), facts.place("P-TH-TC-TP")) == [
        "head_and_sector_head"]  # finance is a listed sector
    assert conflicts_between(params, facts.place("P-TH-CT"), facts.place("P-TH-BTC-TB")) == []
    assert "finance" in QD114_SECTORS and "personnel" not in QD114_SECTORS


# ---------------------------------------------------------------------------- quota

def quota(params: str, rule_id: str = "quota", applies_to: str = "{move.form: rotation}") -> str:
    return f"""
        id: {rule_id}
        kind: quota
        label: "Chỉ tiêu luân chuyển"
        basis: "KH 188-KH/TU"
        applies_to: {applies_to}
        params: {params}
    """


def test_two_rotations_in_a_round_capped_at_one_are_one_over(tmp_path):
    ws = workspace(tmp_path, rules_file(quota("{max: 1, per: round}")))
    plan = plan_of(ws, ("C001", "rotation", "P-QA-BT", 0), ("C021", "rotation", "P-TH-BT", 0),
                   ("C033", "transfer", "P-QA-PCT", 0))  # a transfer is not counted
    found = violations_of(ws, plan, "quota")
    assert [(v.amount, v.rounds, v.cadres) for v in found] == [(1, ("2024-Q1",), ("C001", "C021"))]
    spread = plan_of(ws, ("C001", "rotation", "P-QA-BT", 0), ("C021", "rotation", "P-TH-BT", 1))
    assert violations_of(ws, spread, "quota") == []


def test_a_horizon_target_reports_the_shortfall(tmp_path):
    ws = workspace(tmp_path, rules_file(quota("{min: 3, per: horizon}")))
    plan = plan_of(ws, ("C001", "rotation", "P-QA-BT", 0), ("C021", "rotation", "P-TH-BT", 0))
    assert [(v.amount, v.unit) for v in violations_of(ws, plan, "quota")] == [
        (1, "moves short of the minimum")]
    assert [v.amount for v in violations_of(ws, Plan(), "quota")] == [3]


def test_a_yearly_minimum_names_the_empty_year_and_its_rounds(tmp_path):
    ws = workspace(tmp_path, rules_file(quota("{min: 1, per: year}")))
    found = violations_of(ws, plan_of(ws, ("C001", "rotation", "P-QA-BT", 0)), "quota")
    assert [(v.amount, v.rounds) for v in found] == [
        (1, ("2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"))]


def test_a_unit_cap_counts_arrivals_per_destination_unit(tmp_path):
    ws = workspace(tmp_path, rules_file(quota("{max: 1, per: unit}", applies_to="{}")))
    plan = plan_of(ws, ("C032", "rotation", "P-QA-CT", 0), ("C033", "transfer", "P-QA-PCT", 3),
                   ("C030", "rotation", "P-QA-BT", 0))  # another unit: the ward Party committee
    found = violations_of(ws, plan, "quota")
    assert [(v.units, v.amount, v.cadres) for v in found] == [(("U-QA-UB",), 1, ("C032", "C033"))]


@pytest.mark.parametrize(("params", "message"), [
    ("{min: 1, per: unit}", "min cannot be used with per: unit"),
    ("{per: round}", "a quota needs min, max or both"),
    ("{min: 3, max: 2}", "min 3 is above max 2"),
    ("{max: 1, per: month}", "per"),
])
def test_bad_quota_parameters_are_refused_with_the_rule_file_line(tmp_path, params, message):
    with pytest.raises(InputError, match=message) as info:
        workspace(tmp_path, rules_file(quota(params)))
    assert info.value.problems[0].file.endswith("rules.yaml")
    assert info.value.problems[0].line is not None


# ---------------------------------------------------------------------------- all together

ALL_RULES = rules_file(
    MIN_TENURE, ELIGIBILITY, NON_LOCAL, ADAPTATION, RELATIVES,
    quota("{max: 1, per: round}", rule_id="rotations-per-round"),
    include_plan_188=True)
PER_MOVE_RULES = ("rotation-duration", "test-rotation-eligibility", "test-non-local-key-posts")
DEMO_CADRES = [f"C{n:03d}" for n in range(1, 45)]
DEMO_POSITIONS = [line.split(",")[0] for line in
                  (DEMO / "roster" / "positions.csv").read_text(encoding="utf-8").splitlines()[1:]]


@pytest.fixture(scope="module")
def all_ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    return workspace(tmp_path_factory.mktemp("all"), ALL_RULES)


def test_an_empty_plan_breaks_none_of_these_rules(all_ws):
    # (tenure_limit does complain: the demo has due cadres who are then never moved; and a
    # quota with a minimum would, which is why this one has only a maximum)
    mine = {*PER_MOVE_RULES, "adaptation", "relatives", "rotations-per-round"}
    assert [v for v in check_plan(all_ws.facts, Plan()).violations if v.rule_id in mine] == []


move_specs = st.tuples(st.sampled_from(DEMO_POSITIONS), st.integers(0, 7),
                       st.sampled_from(FORMS), st.integers(1, 36))
# C022 is kept out of the random plans: the crafted move below is hers.
random_plans = st.dictionaries(st.sampled_from([c for c in DEMO_CADRES if c != "C022"]),
                               move_specs, max_size=12)


def build(ws: Workspace, specs: dict[str, tuple[str, int, str, int]]) -> list[Move]:
    moves = []
    for cadre_id, (to, index, form, months) in specs.items():
        if to == ws.scenario.roster.cadre_by_id[cadre_id].position:
            continue  # moving to one's own post is refused by read_moves; not a plan
        moves.append(make_move(ws.scenario, cadre_id, form, to, index,
                               months if form == "secondment" else None))
    return moves


def about(violations: list[Violation], rule_id: str, cadre_id: str | None = None) -> list:
    return [v for v in violations if v.rule_id == rule_id
            and (cadre_id is None or cadre_id in v.cadres)]


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(specs=random_plans, crafted=move_specs)
def test_random_plans_check_cleanly_and_a_crafted_non_local_move_adds_exactly_its_violation(
        all_ws, specs, crafted):
    moves = build(all_ws, specs)
    before = check_plan(all_ws.facts, Plan(moves)).violations
    rule_ids = {r.id for r in all_ws.ruleset.rules}
    for item in before:
        assert item.rule_id in rule_ids or item.rule_id.startswith(("structure.", "scenario."))
        assert item.amount >= 0 and item.message

    # C022 (hometown Quảng An) made chair of Quảng An: local, whatever the round or form.
    _to, index, form, months = crafted
    move = make_move(all_ws.scenario, "C022", form, "P-QA-CT", index,
                     months if form == "secondment" else None)
    after = check_plan(all_ws.facts, Plan([*moves, move])).violations
    added = about(after, "test-non-local-key-posts", "C022")
    assert len(added) == 1 and added[0].rounds == (move.round,)
    for rule_id in PER_MOVE_RULES:
        # per-move rules judge each move alone: the other moves' verdicts do not change
        others = [v for v in about(after, rule_id) if "C022" not in v.cadres]
        assert others == about(before, rule_id)
