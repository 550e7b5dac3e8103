"""The vectorised candidate judge against its references: its verdicts against the kinds' own
per-move `judge` on random moves, and a whole candidate generation against the per-cadre path
(`_options_for`), on random rosters with pins, decided-higher pins and forbids."""

from __future__ import annotations

import csv
import random
from pathlib import Path

import pytest
from conftest import REPO
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from planner.generate import write_roster
from planner.solver import candidates as cand
from planner.solver.vectorised import BatchJudge, Rows
from planner.workspace import load_workspace

# no shrinking: each example generates a roster and its candidates, so a failure would take
# minutes to shrink; the failing seed and picks are printed as they are
QUICK = (Phase.explicit, Phase.reuse, Phase.generate)
RULE_SETS = {
    "plan-188": f"rules: [{REPO / 'rules' / 'plan-188.yaml'}]\nenable: [freeze-kl-128]\n",
    "hanoi-2023": f"rules: [{REPO / 'rules' / 'plan-188.yaml'}, "
                  f"{REPO / 'rules' / 'reform-2025.yaml'}]\n",
}


def random_facts(folder: Path, seed: int, rules: str, picks: random.Random,
                 preset: str = "demo"):
    """A roster of `seed` with a few holders away (study, illness: their posts take
    secondees), random pins (some decided higher) and forbids."""
    roster = folder / "roster"
    write_roster(preset, seed, roster)
    path = roster / "cadres.csv"
    with path.open(encoding="utf-8", newline="") as stream:
        table = list(csv.DictReader(stream))
    holders = [row for row in table if row["position"] and row["status"] == "active"]
    for row, until in zip(picks.sample(holders, 3), ("2024-08-31", "2025-03-15", "2025-11-30"),
                          strict=True):
        row["status"], row["status_until"] = picks.choice(("study", "illness")), until
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(table[0]))
        writer.writeheader()
        writer.writerows(table)
    facts = load_workspace(_scenario(folder, rules, "")).facts
    cadres = sorted(c.id for c in facts.roster.cadres if c.position)
    posts = sorted(p.id for p in facts.roster.positions)
    chosen = picks.sample(cadres, 4)
    pins = ", ".join(f"{{cadre: {c}, to: {picks.choice(posts)}"
                     f"{', higher: true' if n % 2 else ''}}}" for n, c in enumerate(chosen[:2]))
    forbids = f"{{cadre: {chosen[2]}, to: {picks.choice(posts)}}}, {{cadre: {chosen[3]}}}"
    return load_workspace(_scenario(folder, rules, f"pin: [{pins}]\nforbid: [{forbids}]\n")
                          ).facts


def _scenario(folder: Path, rules: str, extra: str) -> Path:
    scenario = folder / "scenario.yaml"
    scenario.write_text("name: vectorised\nhorizon: {start: 2024-01-01, end: 2026-01-01, "
                        f"round: quarter}}\ndata: roster/\n{rules}{extra}", encoding="utf-8")
    return scenario


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow],
          phases=QUICK)
@given(seed=st.integers(1, 10_000), rules=st.sampled_from(sorted(RULE_SETS)),
       picks=st.randoms(use_true_random=False))
def test_vectorised_verdicts_are_the_per_move_judges_verdicts_on_random_moves(
        tmp_path_factory: pytest.TempPathFactory, seed: int, rules: str,
        picks: random.Random) -> None:
    facts = random_facts(tmp_path_factory.mktemp("verdicts"), seed, RULE_SETS[rules], picks)
    rules_ = cand.per_move_rules(facts)
    batch = BatchJudge(facts, rules_, rules_)
    cadres = [c for c in facts.roster.cadres if c.position]
    posts = [p.id for p in facts.roster.positions]
    # pinned cadres and their pinned posts too: the decided-higher path
    triples = [(pin.value.cadre, pin.value.to, form) for pin in facts.scenario.pins
               for form in cand.PROPOSED_FORMS]
    triples += [(picks.choice(cadres).id, picks.choice(posts), picks.choice(
        [*cand.PROPOSED_FORMS, "secondment"])) for _ in range(150)]
    rows = Rows()
    every_round = (1 << len(facts.rounds)) - 1
    for cadre_id, post, form in triples:
        rows.cadre.append(batch.cadre(cadre_id))
        rows.post.append(batch.codes.index[post])
        rows.form.append(batch.form(form))
        rows.valid.append(every_round)
    verdicts = batch.judge(rows)
    for row, (cadre_id, post, form) in enumerate(triples):
        origin = facts.cadre(cadre_id).position
        for round_ in facts.rounds:
            end = cand.secondment_end(facts, post, round_.start) if form == "secondment" \
                else None
            move = cand.Move(cadre_id, form, origin, post, round_.name, round_.index,
                             round_.start, end)
            ref_hard, ref_cost, ref_soft = cand.judge(facts, rules_, move)
            hard, cost, soft = [], 0.0, []
            for table, rows_of, slots in verdicts:
                at = [i for i, r in enumerate(rows_of.tolist()) if r == row]
                if not at:
                    continue
                value = table.matrix[slots[at[0]], round_.index]
                if value != value:  # NaN: allowed
                    continue
                if table.hard:
                    hard.append(table.rule_id)
                else:
                    cost += value
                    soft.append(table.rule_id)
            assert sorted(hard) == sorted(ref_hard), move
            assert sorted(soft) == sorted(ref_soft), move
            assert cost == pytest.approx(ref_cost), move


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow],
          phases=QUICK)
@given(seed=st.integers(1, 10_000), rules=st.sampled_from(sorted(RULE_SETS)),
       picks=st.randoms(use_true_random=False))
def test_vectorised_generation_keeps_the_per_cadre_paths_candidates_refusals_and_counts(
        tmp_path_factory: pytest.TempPathFactory, seed: int, rules: str,
        picks: random.Random) -> None:
    facts = random_facts(tmp_path_factory.mktemp("generation"), seed, RULE_SETS[rules], picks)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(cand, "VECTORISED", False)
        reference = cand.build_candidates(facts)
    found = cand.build_candidates(facts)
    assert found.options == reference.options
    assert found.movers == reference.movers and found.open_posts == reference.open_posts
    assert found.pairs_judged == reference.pairs_judged
    # the same refusal counts, first met in the same order (most_common breaks ties by it)
    assert {c: list(r.items()) for c, r in found.refusals.items()} == \
        {c: list(r.items()) for c, r in reference.refusals.items()}
    # pruning never admits a forbidden option: each kept one is hard-clean, priced as judged
    rules_ = cand.per_move_rules(facts)
    for option in picks.sample(found.options, min(200, len(found.options))):
        round_ = facts.rounds[option.round_index]
        end = cand.secondment_end(facts, option.to_position, round_.start) \
            if option.form == "secondment" else None
        move = cand.Move(option.cadre, option.form, facts.cadre(option.cadre).position,
                         option.to_position, round_.name, round_.index, round_.start, end)
        hard, cost, soft = cand.judge(facts, rules_, move)
        assert not hard, move
        assert option.soft_cost == pytest.approx(cost) and sorted(option.soft_rules) == \
            sorted(soft)


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow],
          phases=QUICK)
@given(seed=st.integers(1, 10_000), picks=st.randoms(use_true_random=False))
def test_the_vacancy_price_of_each_candidate_is_what_its_checker_counts_for_that_move(
        tmp_path_factory: pytest.TempPathFactory, seed: int, picks: random.Random) -> None:
    """The vacancy rule prices all candidates at once over arrays; a plan of one move into a
    vacant post changes the checker's vacancy penalty by exactly that price."""
    from planner.forms import away_posts
    from planner.linear import LinearModel, candidate_move
    from planner.plan import Plan
    from planner.solver.build import build_model

    facts = random_facts(tmp_path_factory.mktemp("vacancy"), seed, RULE_SETS["hanoi-2023"],
                         picks, "district")
    built = build_model(facts, cand.build_candidates(facts))
    rules = [r for r in facts.ruleset.active if r.kind == "vacancy"]
    assert rules
    held = facts.roster.holder_by_position
    away = away_posts(facts)  # a secondee fills an away holder's post until the return
    vacant = [c for c in built.candidates if c.to_position not in held]
    seconded = [c for c in built.candidates if c.to_position in away]
    assert seconded
    for rule in rules:
        model = LinearModel()
        model.add_candidates([c._replace(cost=0.0) for c in built.candidates])
        rule.impl.encode(rule, facts, model)
        base = sum(v.penalty for v in rule.impl.check(rule, facts, Plan([])))
        for candidate in picks.sample(vacant, min(25, len(vacant))) + picks.sample(
                seconded, min(10, len(seconded))):
            move = candidate_move(candidate, facts.rounds[candidate.round_index].name)
            found = sum(v.penalty for v in rule.impl.check(rule, facts, Plan([move])))
            assert model.costs[candidate.index] == pytest.approx(found - base), candidate
