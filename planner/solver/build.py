"""Build the linear model: core structure, objective, and each rule kind's own encoding.

Core structure (not a rule): a cadre moves at most once; a post holds at most one cadre in
every round, so a post vacated in round r can be filled from round r on (chains of moves).
Objective (minimised), from the scenario's `weights` and the soft rules' weights:
  overdue    × rounds a due cadre moves late (soft tenure limits) or stays,
  vacancy    × rounds a post stays vacant (only when no `vacancy` rule is active: the rule's
               own weight × priority then prices it, exactly as its checker counts it),
  skill_fit  × (−skills the cadre brings that the post lists),
  disruption × rounds a move comes before it is due (a cadre not due: the whole horizon),
  + penalties of soft per-move rules on the chosen options.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict

from planner import deadline
from planner.facts import Facts
from planner.forms import away_posts, secondment_end
from planner.plan import Plan
from planner.solver.candidates import CandidateSet, Option
from planner.solver.model import Candidate, LinearModel

# Each move of the earlier plan (`rotation plan --from`) that the new plan changes or drops,
# and each move it adds, costs this much — more than the soft terms of a move, so only what
# the rules force is changed. The objective of such a plan includes it.
CHANGE_PENALTY = 1_000.0
# A pin left unmet costs more than any hard-due cadre left in place (tenure's stay cost).
PIN_MISSED_COST = 1e8


def cost_terms(facts: Facts, option: Option, previous: Plan | None = None,
               has_vacancy_rule: bool | None = None) -> dict[str, float]:
    """The objective terms of one option, by name (the explanation reads the same numbers)."""
    if has_vacancy_rule is None:
        has_vacancy_rule = any("weights.vacancy" in r.impl.prices for r in facts.ruleset.active)
    weights = facts.scenario.weights
    cadre = facts.cadre(option.cadre)
    position = facts.position(option.to_position)
    num_rounds = len(facts.rounds)
    due = facts.due(option.cadre)
    terms: dict[str, float] = {}
    if option.soft_cost:
        terms["soft rules: " + ", ".join(option.soft_rules)] = option.soft_cost
    remaining = num_rounds - option.round_index
    if not has_vacancy_rule:
        # no vacancy rule in the rule set: the scenario's weight prices rounds vacant
        terms["vacancy filled"] = -weights.vacancy * remaining
        if cadre.position:
            terms["vacancy opened"] = weights.vacancy * remaining
    if due is not None and option.round_index > due.round_index:
        terms["overdue"] = weights.overdue * (option.round_index - due.round_index)
    if due is None:
        terms["disruption (not due)"] = weights.disruption * num_rounds
    elif due.round_index > option.round_index:
        # moving earlier than the rules require disrupts the unit sooner than needed
        terms["disruption (early)"] = weights.disruption * (due.round_index - option.round_index)
    fit = len(set(cadre.skills) & set(position.skills))
    if fit:
        terms["skill fit"] = -weights.skill_fit * fit
    if previous is not None:
        earlier = previous.move_by_cadre.get(option.cadre)
        if earlier is None:
            terms["change: a move the earlier plan did not have"] = CHANGE_PENALTY
        elif (earlier.to_position, earlier.round_index, earlier.form) != (
                option.to_position, option.round_index, option.form):
            terms["change: differs from the earlier plan's move"] = CHANGE_PENALTY
    # tiny tie-breaks make the optimum unique, so plans do not flip between equally good
    # answers when the model is reformulated: earlier rounds first, then a fixed
    # pseudo-random order of (cadre, post, form) that no input order can change
    digest = hashlib.sha256(f"{option.cadre}|{option.to_position}|{option.form}".encode())
    terms["tie-break"] = 1e-3 * option.round_index + 1e-6 * (digest.digest()[0] % 97)
    return terms


def build_model(facts: Facts, candidate_set: CandidateSet,
                previous: Plan | None = None) -> LinearModel:
    roster = facts.roster
    model = LinearModel()
    holder_of = facts.roster.holder_by_position
    movers = set(candidate_set.movers)
    pinned = {entry.value.cadre for entry in facts.scenario.pins}
    has_vacancy_rule = any("weights.vacancy" in r.impl.prices for r in facts.ruleset.active)
    for number, option in enumerate(candidate_set.options):
        deadline.check("building the model", number, len(candidate_set.options), "options priced")
        cadre = roster.cadre_by_id[option.cadre]
        place = facts.place(option.to_position)
        cost = sum(cost_terms(facts, option, previous, has_vacancy_rule).values())
        model.add_candidate(Candidate(
            index=model.num_candidates, cadre=option.cadre, form=option.form,
            from_position=cadre.position, to_position=option.to_position,
            round_index=option.round_index, start=facts.rounds[option.round_index].start,
            cost=cost, unit=place["unit"], locality=place["locality"], role=place["role"],
            key=bool(place["key"]), soft_rules=option.soft_rules,
            end=secondment_end(facts, option.to_position, facts.rounds[option.round_index].start)
            if option.form == "secondment" else None))

    # a cadre moves at most once (a pinned cadre exactly once); whether a due cadre may stay
    # is the tenure_limit kind's business (its encode adds the stay column)
    for cadre_id in candidate_set.movers:
        columns = model.by_cadre.get(cadre_id, [])
        if previous is not None and cadre_id in previous.move_by_cadre and cadre_id not in pinned:
            # dropping a move of the earlier plan is a change too
            dropped = model.add_column(CHANGE_PENALTY, 1.0, f"{cadre_id} drops earlier move",
                                       "structure")
            model.add_row([*((c, 1.0) for c in columns), (dropped, 1.0)], lower=1.0,
                          label=f"{cadre_id} keeps or changes the earlier move",
                          rule="structure")
        if cadre_id in pinned:
            # elastic, so a pin the other hard rules make impossible is still solved, then
            # reported in rule terms rather than as a bare "infeasible"
            missed = model.add_column(PIN_MISSED_COST, 1.0, f"{cadre_id} pin missed",
                                      "scenario.pin")
            model.add_row([*((c, 1.0) for c in columns), (missed, 1.0)], lower=1.0,
                          upper=1.0, label=f"{cadre_id} pinned", rule="scenario.pin")
        else:
            model.add_row(((c, 1.0) for c in columns), upper=1.0,
                          label=f"{cadre_id} moves at most once", rule="structure")

    # one holder per post per round: arrivals so far ≤ vacant at start + departures so far
    # (a seconded cadre keeps their home post; a post whose holder is away for a known
    # period takes a secondee, whose secondment ends by the holder's return)
    away = away_posts(facts)
    leaving: dict[str, list[Candidate]] = defaultdict(list)
    for candidate in model.candidates:
        if candidate.from_position and candidate.form != "secondment" \
                and candidate.from_position not in away:
            leaving[candidate.from_position].append(candidate)
    for position_id, arriving_columns in model.by_position.items():
        deadline.check("building the model (one holder per post)")
        arriving = [model.candidates[c] for c in arriving_columns]
        vacant = 0.0 if position_id in holder_of and holder_of[position_id] in roster.cadre_by_id \
            else 1.0
        if vacant == 0.0 and position_id in away:
            # one secondee, ending by the holder's return (the only candidates it takes);
            # the away holder's own departure opens nothing more
            vacant = 1.0
        if vacant == 0.0 and holder_of[position_id] not in movers:
            raise AssertionError(f"{position_id} is not open but has candidates")
        for round_index in sorted({c.round_index for c in arriving}):
            terms = [(c.index, 1.0) for c in arriving if c.round_index <= round_index]
            terms += [(c.index, -1.0) for c in leaving.get(position_id, [])
                      if c.round_index <= round_index]
            model.add_row(terms, upper=vacant, label=f"{position_id} one holder by "
                          f"{facts.rounds[round_index].name}", rule="structure")

    for rule in facts.ruleset.active:
        deadline.check(f"building the model (encoding rule {rule.id})")
        rule.impl.encode(rule, facts, model)
    return model
