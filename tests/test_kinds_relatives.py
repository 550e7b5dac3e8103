"""The relatives kind (QĐ 114-QĐ/TW Đ.6 k.5, Luật PCTN 2018 Đ.20 k.3): its clauses, its
solver encoding — which must accept exactly the plans its checker accepts — and the solver
steering around relatives on the demo.

The demo's relations: C012 (head of the district natural resources office) is the parent of
C013 (ward land clerk); C030 (Party secretary of ward Nhật Tân) and C039 (chair of ward Xuân
La) are spouses.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from conftest import DEMO
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.kinds.relatives import CONFLICTS, RelativesParams, conflicts_between
from planner.plan import Plan, make_move
from planner.solver.model import Candidate, LinearModel, candidate_move
from planner.solver.run import solve_workspace
from planner.workspace import Workspace, load_workspace


@pytest.fixture(scope="module")
def demo() -> Workspace:
    return load_workspace(DEMO / "scenario.yaml")


@pytest.fixture(scope="module")
def demo_model(demo: Workspace) -> LinearModel:
    """A model with only the relatives' options: every post of their wards and the district
    (but their own) in every round, as transfers, encoded by the two relatives rules."""
    facts = demo.facts
    model = LinearModel()
    cadres = ("C030", "C039", "C012", "C013")
    for cadre in cadres:
        home = facts.cadre(cadre).position
        for position in facts.roster.positions:
            place = facts.place(position.id)
            if position.id == home or place["locality"] not in ("TH", "TH-NT", "TH-XL"):
                continue
            for round_ in facts.rounds:
                model.add_candidate(Candidate(
                    model.num_candidates, cadre, "transfer", home, position.id, round_.index,
                    round_.start, 0.0, place["unit"], place["locality"], place["role"],
                    bool(place["key"])))
    for rule_id in ("relatives-qd114", "relatives-pctn-20"):
        rule = facts.ruleset.by_id(rule_id)
        rule.impl.encode(rule, facts, model)
    return model


def clauses(demo: Workspace, post_a: str, post_b: str, **params: object) -> list[str]:
    facts = demo.facts
    chosen = RelativesParams.model_validate(params)
    return list(conflicts_between(chosen, facts.place(post_a), facts.place(post_b)))


# ---------------------------------------------------------------------------- the clauses


def test_a_wards_party_secretary_and_its_chair_sit_in_one_locality_collective(demo):
    assert clauses(demo, "P-NT-BT", "P-NT-CT") == ["locality_collective"]


def test_a_wards_secretary_and_its_vice_chair_are_also_head_and_deputy_in_the_locality(demo):
    assert clauses(demo, "P-NT-BT", "P-NT-PCT") == ["locality_collective",
                                                     "head_deputy_same_locality"]


def test_a_deputy_secretary_and_a_vice_chair_share_the_collective_but_neither_is_head(demo):
    assert clauses(demo, "P-QA-PBT", "P-QA-PCT") == ["locality_collective"]


def test_the_same_posts_in_two_wards_do_not_clash(demo):
    assert clauses(demo, "P-NT-BT", "P-XL-CT") == []
    assert clauses(demo, "P-NT-BT", "P-QA-PCT") == []


def test_the_wards_front_chair_is_outside_the_default_collective_but_can_be_added(demo):
    assert clauses(demo, "P-NT-BT", "P-NT-MT") == []
    wider = dict(collective_units=["dang_uy", "ubnd", "hdnd", "mttq"],
                 collective_roles=["secretary", "chair", "front_chair"])
    assert clauses(demo, "P-NT-BT", "P-NT-MT", **wider) == ["locality_collective"]


def test_head_and_deputy_of_one_office_are_two_clauses_and_never_the_locality_ones(demo):
    assert clauses(demo, "P-TH-TNMT-TP", "P-TH-TNMT-PP") == ["same_collective",
                                                               "head_deputy_same_unit"]


def test_the_district_chair_and_the_head_of_a_listed_sector_clash_in_either_order(demo):
    assert clauses(demo, "P-TH-CT", "P-TH-TT-CT") == ["head_and_sector_head"]
    assert clauses(demo, "P-TH-TT-CT", "P-TH-CT") == ["head_and_sector_head"]
    assert clauses(demo, "P-TH-CT", "P-TH-TT-CT", sectors=["finance"]) == []


def test_a_deputy_secretary_is_not_the_levels_head_for_the_sector_clause(demo):
    assert "head_and_sector_head" not in clauses(demo, "P-TH-PBT", "P-TH-TT-CT")


def test_a_head_or_deputy_with_a_relative_in_the_units_personnel_post_breaks_pctn_20(demo):
    assert clauses(demo, "P-TH-NV-TP", "P-TH-NV-CV") == ["pctn_unit_post"]
    assert clauses(demo, "P-TH-NV-CV", "P-TH-NV-PP") == ["pctn_unit_post"]
    assert clauses(demo, "P-NT-CT", "P-NT-TC") == []  # finance_budget: not in the default
    assert clauses(demo, "P-NT-CT", "P-NT-TC",
                   pctn_posts={"listed_sector": ["finance_budget"]}) == ["pctn_unit_post"]


def test_two_staff_of_one_unit_break_nothing(demo):
    assert clauses(demo, "P-TH-NV-CV", "P-TH-TC-CV1") == []
    assert clauses(demo, "P-NT-TC", "P-NT-DC") == []


def test_forbid_picks_the_clauses(demo):
    assert clauses(demo, "P-NT-BT", "P-NT-PCT", forbid=["head_deputy_same_locality"]) == [
        "head_deputy_same_locality"]
    assert set(CONFLICTS) == set(RelativesParams().forbid)


def test_explain_names_the_clause_in_words(demo):
    rule = demo.facts.ruleset.by_id("relatives-qd114")
    plan = Plan([make_move(demo.scenario, "C039", "transfer", "P-NT-CT", 0),
                 make_move(demo.scenario, "C032", "transfer", "P-XL-CT", 0)])
    [found] = rule.impl.check(rule, demo.facts, plan)
    assert found.clause == "forbid.locality_collective"
    assert rule.impl.explain(rule, found).startswith(
        "clause locality_collective (relatives who sit in one locality's leadership")


# ---------------------------------------------------------------------------- the encoding


def rows_hold(model: LinearModel, rule_id: str, chosen: set[int]) -> bool:
    """Whether the rule's rows hold with exactly `chosen` candidate columns at 1."""
    for row in model.rows:
        if row.rule != rule_id:
            continue
        value = sum(coef for column, coef in zip(row.columns, row.coefs, strict=True)
                    if column in chosen)
        if value > row.upper + 1e-9 or (not math.isinf(row.lower) and value < row.lower - 1e-9):
            return False
    return True


PAIRS = [("relatives-qd114", "C030", "C039"), ("relatives-qd114", "C012", "C013")]


def near(model: LinearModel, demo: Workspace, cadre: str, other: str) -> list[int]:
    """The cadre's options in the localities of the pair (where clashes happen)."""
    localities = {demo.facts.place(demo.facts.cadre(c).position)["locality"]
                  for c in (cadre, other)}
    return [i for i in model.by_cadre[cadre]
            if model.candidates[i].locality in localities] or model.by_cadre[cadre]


@pytest.mark.parametrize("rule_id,a,b", PAIRS)
@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_the_encoding_accepts_exactly_the_plans_the_checker_accepts(demo, demo_model, rule_id,
                                                                    a, b, data):
    rule = demo.facts.ruleset.by_id(rule_id)
    options_a = [None, *near(demo_model, demo, a, b)]
    options_b = [None, *near(demo_model, demo, b, a)]
    choice_a = data.draw(st.sampled_from(options_a), label=a)
    choice_b = data.draw(st.sampled_from(options_b), label=b)
    chosen = {c for c in (choice_a, choice_b) if c is not None}
    moves = [candidate_move(demo_model.candidates[c],
                            demo.facts.rounds[demo_model.candidates[c].round_index].name)
             for c in sorted(chosen)]
    lawful = not rule.impl.check(rule, demo.facts, Plan(moves))
    assert rows_hold(demo_model, rule_id, chosen) == lawful, [
        (m.cadre, m.to_position, m.round) for m in moves]


def test_the_encoding_forbids_the_wife_chairing_her_husbands_ward_while_he_is_there(
        demo, demo_model):
    wife = [i for i in demo_model.by_cadre["C039"]
            if demo_model.candidates[i].to_position == "P-NT-CT"]
    assert wife, "the demo should offer C039 the chair of Nhật Tân"
    assert not rows_hold(demo_model, "relatives-qd114", {wife[0]})
    # the husband leaving the ward in the same round makes it lawful
    column = wife[0]
    round_index = demo_model.candidates[column].round_index
    away = [i for i in demo_model.by_cadre["C030"]
            if demo_model.candidates[i].round_index == round_index
            and demo_model.candidates[i].locality not in ("TH-NT", "TH-XL")]
    assert away and rows_hold(demo_model, "relatives-qd114", {column, away[0]})


def test_a_pinned_wife_to_her_husbands_ward_makes_the_plan_move_the_husband_out_first(
        tmp_path: Path):
    overlay = tmp_path / "overlay.yaml"
    overlay.write_text(f"extends: {DEMO / 'scenario.yaml'}\n"
                       "pin: [{cadre: C039, to: P-NT-CT, round: 2024-Q2}]\n", encoding="utf-8")
    ws = load_workspace(overlay)
    result = solve_workspace(ws.facts)  # raises PlannerBug if the checker rejects the plan
    moves = result.plan.move_by_cadre
    assert (moves["C039"].to_position, moves["C039"].round) == ("P-NT-CT", "2024-Q2")
    husband = moves["C030"]
    assert husband.round_index <= 1
    assert ws.facts.place(husband.to_position)["locality"] != "TH-NT"
    assert not [v for v in result.report.violations if v.rule_id.startswith("relatives")]
