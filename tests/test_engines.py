"""The solver's building blocks against their references: factored candidate judging against
the kinds' own per-move `judge`, the numpy closeness ranking against `closest`, the vectorised
objective against `cost_terms`, column generation against the whole LP, and the engine
setting's validation."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from conftest import REPO
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.errors import InputError
from planner.generate import write_roster
from planner.linear import LinearModel
from planner.solver import candidates as cand
from planner.solver.build import build_model, cost_terms, option_costs
from planner.solver.engines import Status
from planner.solver.run import solve_workspace
from planner.solver.solve import cheapest_per_group, solve_model
from planner.workspace import load_workspace

RULES_188 = REPO / "rules" / "plan-188.yaml"


def demo_facts(folder: Path, seed: int, extra: str = ""):
    roster = folder / "roster"
    if not roster.exists():
        write_roster("demo", seed, roster)
    scenario = folder / "scenario.yaml"
    scenario.write_text(
        "name: engines\nhorizon: {start: 2024-01-01, end: 2026-01-01, round: quarter}\n"
        f"data: roster/\nrules: [{RULES_188}]\nenable: [freeze-kl-128]\n{extra}",
        encoding="utf-8")
    return load_workspace(scenario).facts


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(1, 10_000), picks=st.randoms(use_true_random=False))
def test_factored_judging_agrees_with_the_per_move_judge_on_random_rosters(
        tmp_path_factory: pytest.TempPathFactory, seed: int, picks) -> None:
    facts = demo_facts(tmp_path_factory.mktemp("judge"), seed)
    rules = cand.per_move_rules(facts)
    judge = cand.FactoredJudge(facts, rules)
    cadres = [c for c in facts.roster.cadres if c.position]
    posts = [p.id for p in facts.roster.positions]
    for _ in range(60):
        cadre = picks.choice(cadres)
        post = picks.choice(posts)
        form = picks.choice(cand.PROPOSED_FORMS)
        probe = cand.Move(cadre.id, form, cadre.position, post, "", 0, facts.rounds[0].start)
        context = facts.move_context(probe)
        matching = [r for r in rules if r.selector.matches(context)]
        rounds = list(facts.rounds)
        factored = judge.by_round(matching, cadre.id, form, cadre.position, post, rounds)
        # settled early: the same rounds allowed at the same cost, a refusal names some of
        # the rules that refuse (those judged before every round was refused)
        early = judge.by_round(judge.ordered(matching), cadre.id, form, cadre.position, post,
                               rounds, settle_early=True)
        for round_, (hard, soft_cost, soft), (early_hard, early_cost, early_soft) in zip(
                rounds, factored, early, strict=True):
            move = cand.Move(cadre.id, form, cadre.position, post, round_.name, round_.index,
                             round_.start)
            ref_hard, ref_cost, ref_soft = cand.judge(facts, rules, move)
            assert sorted(hard) == sorted(ref_hard), move
            assert sorted(soft) == sorted(ref_soft), move
            assert soft_cost == pytest.approx(ref_cost)
            assert bool(early_hard) == bool(ref_hard) and set(early_hard) <= set(ref_hard)
            if not ref_hard:
                assert sorted(early_soft) == sorted(ref_soft), move
                assert early_cost == pytest.approx(ref_cost)


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(1, 10_000))
def test_the_numpy_closeness_ranking_is_the_reference_ranking(
        tmp_path_factory: pytest.TempPathFactory, seed: int) -> None:
    facts = demo_facts(tmp_path_factory.mktemp("rank"), seed)
    posts = sorted(p.id for p in facts.roster.positions)
    features = {p: cand.post_features(facts, p) for p in posts}
    table = cand.PostTable(facts, posts, features)
    for number, cadre in enumerate(facts.roster.cadres):
        for limit in (1, 5, 120):
            assert table.closest(cadre.id, limit) == cand.closest(facts, cadre.id, posts,
                                                                  features, limit)
        # over a cadre's own targets only (an appointee's covered posts), own post included
        among = posts[number % 3::3] + ([cadre.position] if cadre.position else [])
        for limit in (1, 7):
            assert table.closest(cadre.id, limit, among=among) == cand.closest(
                facts, cadre.id, among, features, limit)


def test_the_vectorised_objective_is_the_sum_of_the_explained_cost_terms(
        tmp_path: Path) -> None:
    facts = demo_facts(tmp_path, 7)
    options = cand.build_candidates(facts).options
    has_vacancy = any("weights.vacancy" in r.impl.prices for r in facts.ruleset.active)
    costs = option_costs(facts, options, None, has_vacancy)
    expected = [sum(cost_terms(facts, o, None, has_vacancy).values()) for o in options]
    assert costs.tolist() == pytest.approx(expected, abs=1e-9)


def test_column_generation_reaches_the_whole_lps_optimum(tmp_path: Path) -> None:
    facts = demo_facts(tmp_path, 11)
    model = build_model(facts, cand.build_candidates(facts))
    relaxed = LinearModel()
    relaxed.__dict__.update(model.__dict__)
    relaxed.integral = [False] * model.num_columns
    notes: list[str] = []
    by_columns = solve_model(relaxed, "highs", 30, 0.0, 0, progress=notes.append)
    whole = solve_model(relaxed, "scip", 30, 0.0, 0)  # SCIP: the whole LP, no pricing
    assert by_columns.status is Status.OPTIMAL and whole.status is Status.OPTIMAL
    assert by_columns.objective == pytest.approx(whole.objective, abs=1e-6)
    assert any("column generation" in n for n in notes)


def test_the_restricted_master_holds_each_cadres_cheapest_options_and_every_slack() -> None:
    cost = np.array([5.0, 1.0, 3.0, 2.0, 9.0, 0.5, 7.0])
    group = np.array([0, 0, 0, 1, 1, 1, -1])
    keep = cheapest_per_group(cost, group, 2)
    assert keep.tolist() == [False, True, True, True, False, True, True]


def odd_cycle() -> LinearModel:
    """Three moves, any two of which conflict: the LP takes ½ of each (−1.5), a plan one (−1)."""
    model = LinearModel()
    for _ in range(3):
        model.add_column(-1.0, 1.0, "move", integral=True)
    for a, b in ((0, 1), (1, 2), (0, 2)):
        model.add_row([(a, 1.0), (b, 1.0)], upper=1.0)
    return model


def test_a_plan_within_the_gap_but_not_proven_is_never_called_optimal() -> None:
    # the finish's plan (−1) is 50% from the LP bound (−1.5): within a 60% gap, not proven
    loose = solve_model(odd_cycle(), "highs", 10, 0.6, 0)
    assert (loose.status, loose.objective, loose.bound) == (Status.WITHIN_GAP, -1.0, -1.5)
    # CP-SAT proves −1 optimal (its bound meets the plan); HiGHS inside OR-Tools reports no
    # MIP bound, so its answer at a 10% gap stays "within the gap"
    proven = solve_model(odd_cycle(), "sat", 10, 0.1, 0)
    assert (proven.status, proven.objective) == (Status.OPTIMAL, -1.0)
    unproven = solve_model(odd_cycle(), "highs", 10, 0.1, 0)
    assert (unproven.status, unproven.objective) == (Status.WITHIN_GAP, -1.0)


def odd_cycle_of_cadres(spare: int) -> LinearModel:
    """Cadres A, B, C: a good move each (−1), any two of which conflict, and `spare` moves
    of no value each into a post of their own; each cadre moves at most once."""
    import datetime as dt

    from planner.linear import Candidate

    model = LinearModel()
    good = []
    for cadre in "ABC":
        for k in range(spare + 1):
            index = model.num_columns
            model.add_candidate(Candidate(index, cadre, "transfer", None, f"P-{cadre}{k}", 0,
                                          dt.date(2024, 1, 1), -1.0 if k == 0 else 0.0,
                                          "U", "L", "staff", False))
            if k == 0:
                good.append(index)
        model.add_row([(i, 1.0) for i in model.by_cadre[cadre]], upper=1.0)
    for a, b in ((0, 1), (1, 2), (0, 2)):
        model.add_row([(good[a], 1.0), (good[b], 1.0)], upper=1.0)
    return model


def test_a_fractional_lp_the_finish_cannot_close_is_solved_over_the_priced_in_columns():
    # 20 options per cadre: the master holds the 16 cheapest; the LP takes ½ of each good
    # move (−1.5), the integral finish one of them (−1): 50% from the bound, over a 10% gap,
    # so the MIP over the priced-in columns is solved before the whole model's
    solution = solve_model(odd_cycle_of_cadres(19), "highs", 20, 0.1, 0)
    notes = solution.notes
    assert any(n.startswith("MIP over the 48 priced-in columns") for n in notes), notes
    whole = solve_model(odd_cycle_of_cadres(19), "scip", 20, 0.0, 0)  # no pricing at all
    assert solution.objective == pytest.approx(whole.objective) == pytest.approx(-1.0)
    assert sum(solution.values[i] for i in (0, 20, 40)) == pytest.approx(1.0)  # one good move


def test_an_unknown_engine_is_reported_with_the_closest_name(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        demo_facts(tmp_path, 1, "solver: {engine: glpo}\n")
    message = str(caught.value)
    assert "scenario.yaml" in message and "solver.engine" in message
    assert "unknown engine 'glpo' (did you mean 'glop'?)" in message


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(1, 10_000))
def test_appointees_found_by_class_of_post_are_those_the_per_post_conditions_find(
        tmp_path_factory: pytest.TempPathFactory, seed: int) -> None:
    from planner.forms import pool_covers, relation

    facts = demo_facts(tmp_path_factory.mktemp("pooled"), seed)
    roster = facts.roster
    day = facts.rounds[0].start
    movers = [c for c in facts.due_cadres if roster.cadre_by_id[c].position][:5]
    found = cand._pooled_movers(facts, movers, lambda c: bool(roster.cadre_by_id[c].position))
    posts = sorted({p.id for p in roster.vacant_positions}
                   | {roster.cadre_by_id[c].position or "" for c in movers} - {""})
    expected = {}
    for cadre in roster.cadres:
        if not cadre.pool or not cadre.position or cadre.id in movers:
            continue
        fits = [p for p in posts if facts.place(p)["role"] != "staff"
                and pool_covers(facts, cadre.id, p, day)
                and relation(facts, cadre.position, p, day) == "higher"]
        if fits:
            expected[cadre.id] = ("appointment", fits)
    assert found == expected


def test_a_whole_mip_that_meets_the_finish_to_the_last_digit_proves_it_optimal(
        tmp_path: Path) -> None:
    # found by the planner property test (demo roster 492): the integral finish's plan was
    # optimal, the whole-model MIP returned the same objective plus 1e-14 and the plan was
    # labelled "feasible" with the LP's bound (gap 132%)
    facts = demo_facts(tmp_path, 492, extra=(
        "solver: {time_limit_s: 30, gap: 0.0, seed: 0, engine: highs, threads: 1}\n"
        'set: {"position-change-period": {"max_months": 25}, "rotation-two-terms": '
        '{"max_months": 116}, "position-change-exempt-retirement": '
        '{"months_to_retirement_lt": 24}, "secondment-max-36": {"max_months": 6}, '
        '"rotation-eligibility": {"remaining_service_months_min": 0}, "adaptation-share": '
        '{"max_share_per_unit": 0.34}}\n'))
    result = solve_workspace(facts)
    assert result.status == "optimal"
    assert result.solution.gap == pytest.approx(0.0, abs=1e-9)
