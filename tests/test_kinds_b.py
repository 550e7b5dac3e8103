"""Rule kinds skill_demand, secondment_max, freeze and vacancy on the demo.

Each kind gets a violating and a clean case on a plan of one to three hand-picked moves in
the demo (quận Tây Hồ, 44 cadres) carried through 2025 (`through-2025.yaml`: horizon 2024-Q1
… 2025-Q4), with the expected numbers worked out in comments. Each kind is loaded alone from
a small rule file beside an overlay of the demo scenario (`extends`), so no other rule
interferes and the repository's own files are read, never written.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest
from conftest import DEMO
from hypothesis import given
from hypothesis import strategies as st

from planner.calendar import add_months
from planner.checker import check_plan
from planner.errors import InputError
from planner.kinds.base import Violation
from planner.kinds.secondment_max import months_over
from planner.plan import Plan, make_move
from planner.workspace import Workspace, load_workspace


def workspace(folder: Path, rule: str) -> Workspace:
    """The demo under a rule file holding just `rule` (a YAML mapping)."""
    folder.mkdir(parents=True, exist_ok=True)
    body = textwrap.indent(textwrap.dedent(rule).strip(), "    ")
    (folder / "rules.yaml").write_text(f"ruleset: test\nrules:\n  -{body[3:]}\n",
                                       encoding="utf-8")
    overlay = folder / "overlay.yaml"
    overlay.write_text(f"extends: {DEMO / 'through-2025.yaml'}\nrules: [rules.yaml]\n",
                       encoding="utf-8")
    return load_workspace(overlay)


def plan_of(ws: Workspace, *moves: tuple[str, str, str, int, int | None]) -> Plan:
    """A plan of (cadre, form, to_position, round index, secondment months) moves."""
    return Plan([make_move(ws.scenario, cadre, form, to, index, months=months)
                 for cadre, form, to, index, months in moves])


def violations(ws: Workspace, plan: Plan) -> list[Violation]:
    return check_plan(ws.facts, plan).violations


# ---------------------------------------------------------------------------- skill_demand

SKILL_DEMAND = """
    id: skill-demand
    kind: skill_demand
    label: "Ưu tiên cán bộ có chuyên môn phù hợp"
    basis: "test"
    severity: soft
    weight: 5
    params: {skills: [urban_management, natural_resources, environment, health]}
"""


@pytest.fixture(scope="module")
def skill_ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    return workspace(tmp_path_factory.mktemp("skill"), SKILL_DEMAND)


def test_a_cadre_without_any_demanded_skill_misses_every_one_of_them(skill_ws):
    # P-TH-TNMT-PP lists natural_resources and environment, both demanded; C018 (party work)
    # has no skills: 2 missing, penalty 5 × 2.
    found = violations(skill_ws, plan_of(skill_ws, ("C018", "transfer", "P-TH-TNMT-PP", 1, None)))
    assert [(v.rule_id, v.amount, v.unit, v.cadres, v.positions) for v in found] == [
        ("skill-demand", 2, "skills missing", ("C018",), ("P-TH-TNMT-PP",))]
    assert found[0].penalty == 10
    assert not found[0].hard


def test_a_cadre_with_one_of_the_demanded_skills_meets_the_demand(skill_ws):
    # C034 has natural_resources, one of the two skills P-TH-TNMT-PP demands.
    assert violations(skill_ws, plan_of(skill_ws, ("C034", "transfer", "P-TH-TNMT-PP", 1,
                                                   None))) == []


def test_a_post_listing_no_demanded_skill_demands_nothing(skill_ws):
    # P-NT-TC lists only finance, which the rule does not name; C008 has none of it.
    assert violations(skill_ws, plan_of(skill_ws, ("C008", "transfer", "P-NT-TC", 2,
                                                   None))) == []


# ---------------------------------------------------------------------------- secondment_max

SECONDMENT_MAX = """
    id: secondment-max
    kind: secondment_max
    label: "Biệt phái không quá 36 tháng"
    basis: "test"
    params: {max_months: {2020-11-27: 36, 2025-07-01: 24}}
"""


@pytest.fixture(scope="module")
def secondment_ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    return workspace(tmp_path_factory.mktemp("secondment"), SECONDMENT_MAX)


def test_a_40_month_secondment_is_4_months_over_36(secondment_ws):
    plan = plan_of(secondment_ws, ("C022", "secondment", "P-XL-PBT", 1, 40))
    found = violations(secondment_ws, plan)
    assert [(v.amount, v.unit, v.rounds) for v in found] == [(4, "months over", ("2024-Q2",))]
    assert "2024-04-01 → 2027-08-01 lasts 40 months" in found[0].message


def test_a_36_month_secondment_is_within_the_limit(secondment_ws):
    assert violations(secondment_ws, plan_of(secondment_ws,
                                             ("C022", "secondment", "P-XL-PBT", 1, 36))) == []


def test_the_limit_in_force_on_the_start_date_applies(secondment_ws):
    # A dated parameter: from 2025-07-01 (round index 6) the test rule allows 24 months.
    found = violations(secondment_ws, plan_of(secondment_ws,
                                              ("C022", "secondment", "P-XL-PBT", 6, 30)))
    assert [v.amount for v in found] == [6]


def test_a_secondment_without_an_end_is_a_violation(secondment_ws):
    # Built in code (a moves file refuses it): open-ended from 2024-04-01; the horizon ends
    # 2026-01-01, 21 months later — within 36, so it counts as 1 month over.
    found = violations(secondment_ws, plan_of(secondment_ws,
                                              ("C022", "secondment", "P-XL-PBT", 1, None)))
    assert [(v.amount, v.unit) for v in found] == [(1, "months over")]
    assert "no end date" in found[0].message


def test_other_forms_are_not_judged_by_the_secondment_limit(secondment_ws):
    assert violations(secondment_ws, plan_of(secondment_ws,
                                             ("C022", "transfer", "P-XL-PBT", 1, None))) == []


@given(start=st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31)),
       months=st.integers(0, 80), limit=st.integers(1, 60))
def test_whole_months_over_the_limit_are_counted_exactly(start, months, limit):
    assert months_over(start, add_months(start, months), limit) == max(0, months - limit)


def test_a_part_month_over_the_limit_counts_as_a_month():
    assert months_over(dt.date(2024, 4, 1), dt.date(2027, 4, 2), 36) == 1


# ---------------------------------------------------------------------------- freeze

FREEZE = """
    id: freeze
    kind: freeze
    label: "Tạm dừng luân chuyển, điều động"
    basis: "KL 128-KL/TW"
    params:
      from: 2025-03-07
      to: 2025-07-01
      forms: [rotation, transfer]
      roles: [secretary, chair]
"""


@pytest.fixture(scope="module")
def freeze_ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    return workspace(tmp_path_factory.mktemp("freeze"), FREEZE)


def test_a_rotation_into_a_frozen_role_inside_the_window_is_frozen(freeze_ws):
    # Round index 5 is 2025-Q2 (2025-04-01), inside [2025-03-07, 2025-07-01).
    plan = plan_of(freeze_ws, ("C021", "rotation", "P-XL-BT", 5, None),
                   ("C038", "rotation", "P-QA-BT", 5, None))
    found = violations(freeze_ws, plan)
    assert sorted(v.cadres for v in found) == [("C021",), ("C038",)]
    assert all(v.hard and v.rounds == ("2025-Q2",) for v in found)


def test_the_same_rotation_on_the_day_the_freeze_ends_is_allowed(freeze_ws):
    # Round index 6 starts 2025-07-01, the first day after the freeze ([from, to)).
    plan = plan_of(freeze_ws, ("C021", "rotation", "P-XL-BT", 6, None),
                   ("C038", "rotation", "P-QA-BT", 6, None))
    assert violations(freeze_ws, plan) == []


def test_roles_and_forms_outside_the_freeze_are_not_frozen(freeze_ws):
    # A deputy secretary's post (role not frozen); a secondment (form not frozen).
    plan = plan_of(freeze_ws, ("C022", "transfer", "P-XL-PBT", 5, None),
                   ("C026", "secondment", "P-NT-TC", 5, 12))
    assert violations(freeze_ws, plan) == []


def test_a_freeze_ending_before_it_starts_is_refused_with_its_line(tmp_path):
    rule = FREEZE.replace("to: 2025-07-01", "to: 2025-03-01")
    with pytest.raises(InputError, match=r"rules\.yaml:\d+.*must be after 'from'"):
        workspace(tmp_path, rule)


# ---------------------------------------------------------------------------- vacancy

VACANCY = """
    id: vacancy
    kind: vacancy
    label: "Lấp vị trí trống"
    basis: "test"
    severity: soft
    weight: 20
    params: {priority: 1.5}
"""


@pytest.fixture(scope="module")
def vacancy_ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    return workspace(tmp_path_factory.mktemp("vacancy"), VACANCY)


def test_posts_vacant_all_horizon_cost_weight_times_priority_per_round(vacancy_ws):
    # The demo's four vacancies stay empty for all 8 rounds: 20 × 1.5 × 8 = 240 each; the
    # posts of two holders away count until they return: P-QA-VP (C028 studies until
    # 2025-06-30: 6 rounds, 180) and P-XL-TC (C041 seconded elsewhere until 2024-12-31: 4, 120).
    # The two district posts end with the district on 2025-07-01: a post that no longer
    # exists is not vacant, so they count the 6 rounds up to then (180).
    found = violations(vacancy_ws, Plan())
    assert sorted(v.positions[0] for v in found) == [
        "P-NT-TC", "P-QA-VP", "P-TH-TNMT-PP", "P-TH-UB-CV", "P-XL-PBT", "P-XL-TC"]
    by_post = {v.positions[0]: (v.amount, v.penalty) for v in found}
    assert by_post["P-QA-VP"] == (6, 180) and by_post["P-XL-TC"] == (4, 120)
    assert {by_post[p] for p in ("P-NT-TC", "P-XL-PBT")} == {(8, 240)}
    assert {by_post[p] for p in ("P-TH-TNMT-PP", "P-TH-UB-CV")} == {(6, 180)}


def test_a_post_vacated_by_a_move_counts_from_the_round_it_empties(vacancy_ws):
    # C036 leaves P-NT-VP for the vacant P-NT-TC in 2025-Q1 (index 4): P-NT-TC waited
    # 2024-Q1 … 2024-Q4 (4 rounds) and P-NT-VP stands empty in 2025-Q1 … 2025-Q4, 4 rounds.
    found = violations(vacancy_ws, plan_of(vacancy_ws, ("C036", "transfer", "P-NT-TC", 4, None)))
    by_post = {v.positions[0]: v for v in found}
    assert set(by_post) == {"P-NT-VP", "P-NT-TC", "P-TH-TNMT-PP", "P-TH-UB-CV", "P-XL-PBT",
                            "P-QA-VP", "P-XL-TC"}
    assert by_post["P-NT-VP"].rounds == ("2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4")
    assert by_post["P-NT-TC"].rounds == ("2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4")


def test_secondments_filling_every_vacancy_leave_no_post_vacant(vacancy_ws):
    # Seconded cadres keep their home posts, so the secondments vacate nothing; the two
    # into away holders' posts end on their return (17 and 11 months after 2024-01-01).
    plan = plan_of(vacancy_ws, ("C022", "secondment", "P-XL-PBT", 0, 24),
                   ("C026", "secondment", "P-NT-TC", 0, 24),
                   ("C018", "secondment", "P-TH-TNMT-PP", 0, 24),
                   ("C036", "secondment", "P-QA-VP", 0, 17),
                   ("C010", "secondment", "P-XL-TC", 0, 11),
                   ("C019", "secondment", "P-TH-UB-CV", 0, 24))
    assert violations(vacancy_ws, plan) == []


def test_roles_and_levels_pick_the_posts_a_vacancy_rule_covers(tmp_path):
    # Only ward (commune) deputy secretaries: P-XL-PBT is the one vacancy of that kind.
    ws = workspace(tmp_path, VACANCY.replace("{priority: 1.5}",
                                             "{roles: [deputy_secretary], levels: [commune]}"))
    assert [v.positions for v in violations(ws, Plan())] == [("P-XL-PBT",)]


@pytest.mark.parametrize(("day", "frozen"), [
    (dt.date(2025, 3, 6), False),   # the day before the freeze
    (dt.date(2025, 3, 7), True),    # its first day
    (dt.date(2025, 6, 30), True),   # its last day
    (dt.date(2025, 7, 1), False),   # `to` is the first day after it
])
def test_the_freeze_covers_from_its_first_day_up_to_the_day_before_to(freeze_ws, day, frozen):
    assert freeze_ws.ruleset.by_id("freeze").params.covers(day) is frozen


def test_a_freeze_without_an_end_covers_every_day_from_its_start(tmp_path):
    ws = workspace(tmp_path, FREEZE.replace("      to: 2025-07-01\n", ""))
    params = ws.ruleset.by_id("freeze").params
    assert not params.covers(dt.date(2025, 3, 6))
    assert params.covers(dt.date(2025, 3, 7)) and params.covers(dt.date(2100, 1, 1))


def test_a_freeze_ending_on_the_day_it_starts_is_refused(tmp_path):
    with pytest.raises(InputError, match="must be after 'from'"):
        workspace(tmp_path, FREEZE.replace("to: 2025-07-01", "to: 2025-03-07"))


# ---------------------------------------------------------------------------- equivalence

EQUIVALENCE = """
    id: equivalent
    kind: equivalence
    label: "Chức vụ tương đương"
    basis: "test"
    params:
      ranks:
        - {rank: 6, posts: [head@district, secretary@commune, chair@commune]}
        - {rank: 5, posts: [deputy_secretary@commune, vice_chair@commune]}
      forms: {transfer: [equivalent, lower]}
"""


def test_a_post_missing_from_the_table_is_named_with_its_tokens(tmp_path):
    # C007's post, a district deputy head, is not in this table: the move cannot be judged
    ws = workspace(tmp_path, EQUIVALENCE)
    found = violations(ws, plan_of(ws, ("C007", "transfer", "P-XL-PBT", 1, None)))
    assert [v.message for v in found] == [
        "P-TH-NV-PP (deputy_head@district/phong or deputy_head@district) is not in the table "
        "of equivalent posts"]
    assert (found[0].cadres, found[0].positions, found[0].units, found[0].rounds) == (
        ("C007",), ("P-TH-NV-PP", "P-XL-PBT"), ("U-XL-DU",), ("2024-Q2",))


def test_a_transfer_up_the_table_is_named_a_higher_post(tmp_path):
    ws = workspace(tmp_path, EQUIVALENCE)

    def judged(*move: tuple[str, str, str, int, int | None]) -> list[str]:
        return [v.message for v in violations(ws, plan_of(ws, *move)) if v.rule_id == "equivalent"]

    assert judged(("C022", "transfer", "P-XL-BT", 1, None)) == [
        "C022: P-QA-PBT → P-XL-BT is a higher post; a transfer may go equivalent or lower only"]
    assert judged(("C021", "transfer", "P-XL-PBT", 1, None)) == []  # secretary → deputy: lower


# ---------------------------------------------------------------------------- qualification

QUALIFICATION = """
    id: qualified
    kind: qualification
    label: "Đáp ứng yêu cầu chuyên môn của vị trí mới"
    basis: "Luật CBCC 2008 Đ.50 k.2"
    params: {forms: [transfer]}
"""


def test_a_transfer_without_the_posts_profession_or_skills_says_what_is_missing(tmp_path):
    ws = workspace(tmp_path, QUALIFICATION)
    found = [v for v in violations(ws, plan_of(ws, ("C008", "transfer", "P-TH-TT-TTV", 2, None),
                                               ("C006", "transfer", "P-NT-TC", 2, None)))
             if v.rule_id == "qualified"]
    assert sorted(v.message for v in found) == [
        "C006 may not take a transfer to P-NT-TC: P-NT-TC needs profession "
        "finance_accounting or one of the skills finance; C006 is administration with skills "
        "(none)",
        "C008 may not take a transfer to P-TH-TT-TTV: P-TH-TT-TTV needs profession inspection "
        "or one of the skills legal; C008 is administration with skills it"]
    assert sorted((v.positions, v.units, v.rounds) for v in found) == [
        (("P-TH-NV-CV", "P-TH-TT-TTV"), ("U-TH-TT",), ("2024-Q3",)),
        (("P-TH-NV-TP", "P-NT-TC"), ("U-NT-UB",), ("2024-Q3",))]
