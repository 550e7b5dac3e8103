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

import datetime as dt
import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass
from operator import attrgetter

import numpy as np
import scipy.sparse as sp

from planner import deadline
from planner.facts import Facts
from planner.forms import away_posts, secondment_end
from planner.linear import CandidateArrays, CandidateColumns, LinearModel
from planner.plan import Plan
from planner.solver.candidates import CandidateSet, Option
from planner.solver.collector import collector_paused

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


@dataclass
class OptionTable:
    """The options' fields read once into codes and arrays, shared by the objective, the
    candidates and the structure rows (each read the options in its own Python pass before:
    on hanoi-2023, 333,301 options, those passes were most of the model's build)."""

    cadres: list[str]  # distinct cadres, in order of their first option
    cadre: np.ndarray  # per option: its cadre's code
    posts: list[str]  # distinct destinations in order of first option, then origins
    to: np.ndarray  # per option: its destination's code
    origin: np.ndarray  # per option: its cadre's post's code (−1: the cadre holds none)
    round: np.ndarray
    forms: list[str]  # per option
    soft_cost: np.ndarray
    soft_rules: list[tuple[str, ...]]
    num_destinations: int  # posts[:num_destinations] are the destinations

    @classmethod
    def of(cls, facts: Facts, options: Sequence[Option]) -> OptionTable:
        # attrgetter and the dicts' own methods through map: no Python frame per option
        count = len(options)
        cadre_ids = list(map(attrgetter("cadre"), options))
        destinations = list(map(attrgetter("to_position"), options))
        cadres = list(dict.fromkeys(cadre_ids))
        cadre_code = {c: i for i, c in enumerate(cadres)}
        cadre = np.fromiter(map(cadre_code.__getitem__, cadre_ids), np.int64, count)
        post_code = {p: i for i, p in enumerate(dict.fromkeys(destinations))}
        to = np.fromiter(map(post_code.__getitem__, destinations), np.int64, count)
        num_destinations = len(post_code)
        cadre_by_id = facts.roster.cadre_by_id
        home = [cadre_by_id[c].position for c in cadres]  # per distinct cadre
        # origins after every destination, in order of their first option (CandidateArrays)
        home_code = np.array([-1 if h is None else post_code.setdefault(h, len(post_code))
                              for h in home], dtype=np.int64)
        origin = home_code[cadre] if count else np.zeros(0, dtype=np.int64)
        return cls(cadres, cadre, list(post_code), to, origin,
                   np.fromiter(map(attrgetter("round_index"), options), np.int64, count),
                   list(map(attrgetter("form"), options)),
                   np.fromiter(map(attrgetter("soft_cost"), options), np.float64, count),
                   list(map(attrgetter("soft_rules"), options)), num_destinations)


def option_costs(facts: Facts, options: list[Option], previous: Plan | None,
                 has_vacancy_rule: bool, table: OptionTable | None = None) -> np.ndarray:
    """Σ cost_terms of every option, as one array (the same terms, vectorised: per cadre,
    per post, per round, and per distinct (cadre, post, form) for the tie-break's digest)."""
    table = table if table is not None else OptionTable.of(facts, options)
    weights = facts.scenario.weights
    num_rounds = len(facts.rounds)
    rounds = table.round.astype(np.float64)
    cost = table.soft_cost.copy()
    dues = [facts.due(c) for c in table.cadres]
    cadre_due = np.array([np.nan if d is None else float(d.round_index) for d in dues])
    cadre_has_post = np.array([bool(facts.cadre(c).position) for c in table.cadres],
                              dtype=bool)
    due_round = cadre_due[table.cadre] if len(cost) else np.zeros(0)
    has_post = cadre_has_post[table.cadre] if len(cost) else np.zeros(0, dtype=bool)
    # skill fit and the tie-break digest, once per distinct (cadre, post, form)
    form_names = list(dict.fromkeys(table.forms))
    form_code = {f: i for i, f in enumerate(form_names)}
    form = np.fromiter(map(form_code.__getitem__, table.forms), np.int64, len(cost))
    key = (table.cadre * table.num_destinations + table.to) * max(1, len(form_names)) + form
    _distinct, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    # skills as bit masks: the fit is the count of bits a cadre's and a post's masks share
    skill_bit: dict[str, int] = {}
    cadre_mask = [_mask(facts.cadre(c).skills, skill_bit) for c in table.cadres]
    post_mask = [_mask(facts.position(p).skills, skill_bit)
                 for p in table.posts[:table.num_destinations]]
    cadres, posts = table.cadres, table.posts
    sha = hashlib.sha256
    first_cadre = table.cadre[first].tolist()
    first_post = table.to[first].tolist()
    first_form = form[first].tolist()
    fit = np.array([(cadre_mask[c] & post_mask[p]).bit_count()
                    for c, p in zip(first_cadre, first_post, strict=True)], dtype=np.float64)
    digest = np.array([sha(f"{cadres[c]}|{posts[p]}|{form_names[f]}".encode()).digest()[0]
                       for c, p, f in zip(first_cadre, first_post, first_form, strict=True)],
                      dtype=np.float64)
    fixed_of = -weights.skill_fit * fit + 1e-6 * (digest % 97)
    fixed = fixed_of[inverse.reshape(-1)] if len(cost) else np.zeros(0)
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


def _mask(skills: Sequence[str], bit: dict[str, int]) -> int:
    mask = 0
    for skill in skills:
        mask |= 1 << bit.setdefault(skill, len(bit))
    return mask


def build_model(facts: Facts, candidate_set: CandidateSet,
                previous: Plan | None = None) -> LinearModel:
    with collector_paused():
        return _build_model(facts, candidate_set, previous)


def _build_model(facts: Facts, candidate_set: CandidateSet,
                 previous: Plan | None) -> LinearModel:
    model = LinearModel()
    holder_of = facts.roster.holder_by_position
    movers = set(candidate_set.movers)
    pinned = {entry.value.cadre for entry in facts.scenario.pins}
    has_vacancy_rule = any("weights.vacancy" in r.impl.prices for r in facts.ruleset.active)
    options = candidate_set.options
    deadline.check("building the model", 0, len(options), "options priced")
    table = OptionTable.of(facts, options)
    costs = option_costs(facts, options, previous, has_vacancy_rule, table)
    count = len(options)
    # what a candidate carries of its post, once per post; a secondment's end once per
    # (post, round); the candidates themselves are made when read (CandidateColumns)
    places = [facts.place(p) for p in table.posts[:table.num_destinations]]
    posts, cadres = table.posts, table.cadres
    starts = [r.start for r in facts.rounds]
    ends: dict[tuple[int, int], dt.date] = {}
    end_of: dict[int, dt.date] = {}
    for i in np.flatnonzero(np.array([f == "secondment" for f in table.forms],
                                     dtype=bool)).tolist():
        at = (int(table.to[i]), int(table.round[i]))
        if at not in ends:
            ends[at] = secondment_end(facts, posts[at[0]], starts[at[1]])
        end_of[i] = ends[at]
    made = CandidateColumns(
        cadres, table.cadre, [facts.roster.cadre_by_id[c].position for c in cadres],
        table.forms, posts, table.to, table.round, starts, costs,
        [p["unit"] for p in places], [p["locality"] for p in places],
        [p["role"] for p in places], [bool(p["key"]) for p in places], table.soft_rules,
        end_of)
    model.add_candidate_columns(made, CandidateArrays(
        list(posts), {p: i for i, p in enumerate(posts)}, table.to, table.origin, table.round,
        np.array([f == "secondment" for f in table.forms], dtype=bool), table.cadre,
        list(cadres)))

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
    code_of = {c: i for i, c in enumerate(cadres)}
    row_of_code = np.full(len(cadres) + 1, -1, dtype=np.int64)
    row_of_code[[code_of[c] for c in plain]] = np.arange(len(plain))
    cadre_row = row_of_code[table.cadre]
    take = cadre_row >= 0
    once = sp.csr_matrix((np.ones(int(take.sum())), (cadre_row[take], np.flatnonzero(take))),
                         shape=(len(plain), count))
    model.add_rows(once, -math.inf, 1.0, [f"{c} moves at most once" for c in plain],
                   "structure")
    deadline.check("building the model (one holder per post)")
    _one_holder_rows(facts, model, table, movers, holder_of)

    for rule in facts.ruleset.active:
        deadline.check(f"building the model (encoding rule {rule.id})")
        rule.impl.encode(rule, facts, model)
    return model


def _one_holder_rows(facts: Facts, model: LinearModel, table: OptionTable,
                     movers: set[str], holder_of: dict[str, str]) -> None:
    """One holder per post per round: arrivals so far ≤ vacant at start + departures so far,
    one row per post and round in which someone may arrive, as one sparse block."""
    roster = facts.roster
    num_rounds = len(facts.rounds)
    # posts in order of their first arrival (the row order of the row-by-row build): the
    # table's destinations; an origin that is no destination has no row
    to_post, rounds = table.to, table.round
    from_post = np.where(table.origin < table.num_destinations, table.origin, -1)
    posts = table.posts[:table.num_destinations]
    post_index = {p: i for i, p in enumerate(posts)}
    arrives = np.zeros((len(posts), num_rounds), dtype=bool)
    arrives[to_post, rounds] = True
    row_id = np.full(arrives.shape, -1, dtype=np.int64)
    row_id[arrives] = np.arange(int(arrives.sum()))  # row-major: by post, then by round
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
    count = len(to_post)
    row_ids, cols, coefs = [], [], []
    away_index = np.array([post_index[p] for p in away if p in post_index], dtype=np.int64)
    secondment = np.array([f == "secondment" for f in table.forms], dtype=bool)
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
