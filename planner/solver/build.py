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

The objective and the structure rows are computed as numpy arrays over all options at once
(`cost_terms` stays the per-option reference `rotation explain` prints; a test holds the two
equal); the rule kinds then add their rows (planner/linear.py).
"""

from __future__ import annotations

import hashlib
import math

import numpy as np
import scipy.sparse as sp

from planner import deadline
from planner.facts import Facts
from planner.forms import away_posts, secondment_end
from planner.linear import Candidate, LinearModel
from planner.plan import Plan
from planner.solver.candidates import CandidateSet, Option

# Each move of the earlier plan (`rotation plan --from`) that the new plan changes or drops,
# and each move it adds, costs this much — more than the soft terms of a move, so only what
# the rules force is changed. The objective of such a plan includes it.
CHANGE_PENALTY = 1_000.0
# A pin left unmet costs more than any hard-due cadre left in place (tenure's stay cost).
PIN_MISSED_COST = 1e8


def tie_break(option: Option) -> float:
    """Tiny tie-breaks make the optimum unique, so plans do not flip between equally good
    answers when the model is reformulated or another engine solves it: earlier rounds
    first, then a fixed pseudo-random order of (cadre, post, form) no input order changes."""
    digest = hashlib.sha256(f"{option.cadre}|{option.to_position}|{option.form}".encode())
    return 1e-3 * option.round_index + 1e-6 * (digest.digest()[0] % 97)


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
    terms["tie-break"] = tie_break(option)
    return terms


def option_costs(facts: Facts, options: list[Option], previous: Plan | None,
                 has_vacancy_rule: bool) -> np.ndarray:
    """Σ cost_terms of every option, as one array (the same terms, vectorised by round)."""
    weights = facts.scenario.weights
    num_rounds = len(facts.rounds)
    count = len(options)
    rounds = np.fromiter((o.round_index for o in options), dtype=np.float64, count=count)
    cost = np.fromiter((o.soft_cost for o in options), dtype=np.float64, count=count)
    cache: dict[tuple[str, str, str], float] = {}
    per_cadre: dict[str, tuple[float, bool, set[str]]] = {}  # due round, has a post, skills
    # plain lists, made arrays once: setting numpy elements one by one costs more than the
    # sums themselves (333,301 options on hanoi-2023)
    due_list: list[float] = []
    post_list: list[bool] = []
    fixed_list: list[float] = []  # per (cadre, post, form): skill fit and the tie-break digest
    for option in options:
        found = per_cadre.get(option.cadre)
        if found is None:
            cadre = facts.cadre(option.cadre)
            due = facts.due(option.cadre)
            found = per_cadre[option.cadre] = (
                np.nan if due is None else float(due.round_index), bool(cadre.position),
                set(cadre.skills))
        due_list.append(found[0])
        post_list.append(found[1])
        key = (option.cadre, option.to_position, option.form)
        value = cache.get(key)
        if value is None:
            fit = len(found[2] & set(facts.position(option.to_position).skills))
            digest = hashlib.sha256("|".join(key).encode()).digest()
            value = -weights.skill_fit * fit + 1e-6 * (digest[0] % 97)
            cache[key] = value
        fixed_list.append(value)
    due_round = np.array(due_list, dtype=np.float64)
    has_post = np.array(post_list, dtype=bool)
    fixed = np.array(fixed_list, dtype=np.float64)
    remaining = num_rounds - rounds
    if not has_vacancy_rule:
        cost += -weights.vacancy * remaining + np.where(has_post, weights.vacancy * remaining,
                                                        0.0)
    is_due = ~np.isnan(due_round)
    safe_due = np.where(is_due, due_round, 0.0)
    cost += np.where(is_due & (rounds > safe_due), weights.overdue * (rounds - safe_due), 0.0)
    cost += np.where(is_due, np.where(safe_due > rounds, weights.disruption * (
        safe_due - rounds), 0.0), weights.disruption * num_rounds)
    cost += fixed + 1e-3 * rounds
    if previous is not None:
        for i, option in enumerate(options):
            earlier = previous.move_by_cadre.get(option.cadre)
            if earlier is None or (earlier.to_position, earlier.round_index, earlier.form) != (
                    option.to_position, option.round_index, option.form):
                cost[i] += CHANGE_PENALTY
    return cost


def build_model(facts: Facts, candidate_set: CandidateSet,
                previous: Plan | None = None) -> LinearModel:
    roster = facts.roster
    model = LinearModel()
    holder_of = facts.roster.holder_by_position
    movers = set(candidate_set.movers)
    pinned = {entry.value.cadre for entry in facts.scenario.pins}
    has_vacancy_rule = any("weights.vacancy" in r.impl.prices for r in facts.ruleset.active)
    options = candidate_set.options
    deadline.check("building the model", 0, len(options), "options priced")
    costs = option_costs(facts, options, previous, has_vacancy_rule).tolist()
    starts = [r.start for r in facts.rounds]
    # what a candidate carries of its post, once per post
    posts: dict[str, tuple[str, str, str, bool]] = {}
    for post in {o.to_position for o in options}:
        place = facts.place(post)
        posts[post] = (place["unit"], place["locality"], place["role"], bool(place["key"]))
    cadre_by_id = roster.cadre_by_id
    made = []
    for index, option in enumerate(options):
        to, round_index = option.to_position, option.round_index
        start = starts[round_index]
        unit, locality, role, key = posts[to]
        made.append(Candidate(
            index, option.cadre, option.form, cadre_by_id[option.cadre].position, to,
            round_index, start, costs[index], unit, locality, role, key, option.soft_rules,
            secondment_end(facts, to, start) if option.form == "secondment" else None))
    model.add_candidates(made)
    count = len(options)

    # a cadre moves at most once (a pinned cadre exactly once); whether a due cadre may stay
    # is the tenure_limit kind's business (its encode adds the stay column)
    plain: list[str] = []
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
        elif columns:
            plain.append(cadre_id)
    deadline.check("building the model (one move per cadre)")
    row_of_cadre = {cadre_id: i for i, cadre_id in enumerate(plain)}
    cadre_row = np.fromiter((row_of_cadre.get(o.cadre, -1) for o in options), dtype=np.int64,
                            count=count)
    take = cadre_row >= 0
    once = sp.csr_matrix((np.ones(int(take.sum())), (cadre_row[take], np.flatnonzero(take))),
                         shape=(len(plain), count))
    model.add_rows(once, -math.inf, 1.0, [f"{c} moves at most once" for c in plain],
                   "structure")
    deadline.check("building the model (one holder per post)")
    _one_holder_rows(facts, model, options, movers, holder_of)

    for rule in facts.ruleset.active:
        deadline.check(f"building the model (encoding rule {rule.id})")
        rule.impl.encode(rule, facts, model)
    return model


def _one_holder_rows(facts: Facts, model: LinearModel, options: list[Option],
                     movers: set[str], holder_of: dict[str, str]) -> None:
    """One holder per post per round: arrivals so far ≤ vacant at start + departures so far,
    one row per post and round in which someone may arrive, as one sparse block."""
    roster = facts.roster
    count = len(options)
    num_rounds = len(facts.rounds)
    # posts in order of their first arrival (the row order of the row-by-row build)
    post_index: dict[str, int] = {}
    for option in options:
        post_index.setdefault(option.to_position, len(post_index))
    to_post = np.fromiter((post_index[o.to_position] for o in options), dtype=np.int64,
                          count=count)
    from_post = np.fromiter((post_index.get(roster.cadre_by_id[o.cadre].position or "", -1)
                             for o in options), dtype=np.int64, count=count)
    rounds = np.fromiter((o.round_index for o in options), dtype=np.int64, count=count)
    arrives = np.zeros((len(post_index), num_rounds), dtype=bool)
    arrives[to_post, rounds] = True
    row_id = np.full(arrives.shape, -1, dtype=np.int64)
    row_id[arrives] = np.arange(int(arrives.sum()))  # row-major: by post, then by round
    posts = list(post_index)
    # a seconded cadre keeps their home post; a post whose holder is away for a known period
    # takes one secondee, whose secondment ends by the holder's return (the only candidates
    # it takes), and the away holder's own departure opens nothing more
    away = away_posts(facts)
    vacant = np.ones(len(posts))
    for position_id, i in post_index.items():
        holder = holder_of.get(position_id)
        if holder is not None and holder in roster.cadre_by_id and position_id not in away:
            vacant[i] = 0.0
            if holder not in movers:
                raise AssertionError(f"{position_id} is not open but has candidates")
    row_ids, cols, coefs = [], [], []
    away_index = np.array([post_index[p] for p in away if p in post_index], dtype=np.int64)
    secondment = np.fromiter((o.form == "secondment" for o in options), dtype=bool,
                             count=count)
    leaves = (from_post >= 0) & ~secondment & ~np.isin(from_post, away_index)
    for round_index in range(num_rounds):
        # a move in round rc counts in every row of its post from round rc on
        here = row_id[:, round_index]
        arriving = np.flatnonzero((rounds <= round_index) & (here[to_post] >= 0))
        row_ids.append(here[to_post[arriving]])
        cols.append(arriving)
        coefs.append(np.ones(len(arriving)))
        leaving = np.flatnonzero(leaves & (rounds <= round_index))
        leaving = leaving[here[from_post[leaving]] >= 0]
        row_ids.append(here[from_post[leaving]])
        cols.append(leaving)
        coefs.append(-np.ones(len(leaving)))
    num_rows = int(arrives.sum())
    matrix = sp.csr_matrix((np.concatenate(coefs), (np.concatenate(row_ids),
                                                    np.concatenate(cols))),
                           shape=(num_rows, count))
    post_of_row, round_of_row = np.nonzero(arrives)
    names = [r.name for r in facts.rounds]
    labels = [f"{posts[p]} one holder by {names[r]}"
              for p, r in zip(post_of_row.tolist(), round_of_row.tolist(), strict=True)]
    model.add_rows(matrix, -math.inf, vacant[post_of_row], labels, "structure")
