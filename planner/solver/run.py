"""From a loaded workspace to a checked Plan: candidates → model → OR-Tools engine → moves →
checker."""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from planner import deadline
from planner.checker import CheckReport, check_plan
from planner.facts import Facts
from planner.forms import move_note, secondment_end
from planner.i18n.messages import say
from planner.kinds.base import Due
from planner.linear import LinearModel
from planner.plan import Move, Plan, Unplaced
from planner.ruleset import Rule
from planner.solver.build import build_model
from planner.solver.candidates import CandidateSet, build_candidates, per_move_rules
from planner.solver.solve import Solution, solve_model
from planner.solver.vectorised import open_rounds_of


def allowing_rules(rules: list[Rule], move: Move) -> list[Rule]:
    """Hard rules that positively allow this move's form (their kinds' `allows` hook;
    selectors aside)."""
    return [r for r in rules if r.hard and r.in_force(move.start) and r.impl.allows(r, move)]


class PlannerBug(RuntimeError):
    """The independent checker rejected a plan the solver proposed: a bug, never shipped."""


@dataclass
class PlanResult:
    plan: Plan
    solution: Solution
    report: CheckReport
    candidates: CandidateSet
    model: LinearModel
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def status(self) -> str:
        return self.solution.status.value


class NoPlanInTime(Exception):
    """The time limit ran out before the solver found any plan (exit code 1)."""


class PinConflict(Exception):
    """A pinned move that the hard rules forbid: reported in rule terms, exit code 1.

    `result`: the elastic plan solved all the same (the pin missed), checked, so the plan
    folder can be written with the infeasibility (None from a partitioned run)."""

    def __init__(self, messages: list[str], result: PlanResult | None = None):
        super().__init__("\n".join(messages))
        self.messages = messages
        self.result = result


def pin_conflicts(facts: Facts, candidate_set: CandidateSet) -> list[str]:
    """Pins with no allowed option, each with the hard rules that forbid it."""
    messages = []
    counts = candidate_set.per_cadre()
    for entry in facts.scenario.pins:
        pin = entry.value
        if counts.get(pin.cadre, 0):
            continue
        refusals = candidate_set.refusals.get(pin.cadre, Counter())
        reasons = []
        for rule_id, _n in refusals.most_common():
            if rule_id == "structure.one-holder":
                holder = facts.roster.holder_by_position.get(pin.to, "?")
                reasons.append(f"{pin.to} is held by {holder}, who may not move")
            else:
                rule = facts.ruleset.by_id(rule_id)
                reasons.append(f"{rule.id} — {rule.label} [{rule.basis}]")
        because = "; ".join(reasons) or "the cadre holds no post or is forbidden to move"
        messages.append(f"{entry.file}:{entry.line}: pin {pin.cadre} → {pin.to}"
                        f"{' in ' + pin.round if pin.round else ''} breaks hard rules: {because}")
    return messages


def unmet_pins(facts: Facts, plan: Plan, candidate_set: CandidateSet,
               skip: set[str] | None = None) -> list[str]:
    """Pins the solved plan could not honour, with the hard rules that stand in the way
    (`skip`: the cadres whose pins are reported otherwise)."""
    messages = []
    options = candidate_set.per_cadre()
    for entry in facts.scenario.pins:
        pin = entry.value
        if skip and pin.cadre in skip:
            continue
        move = plan.move_by_cadre.get(pin.cadre)
        if move is not None and move.to_position == pin.to and (
                pin.round is None or move.round == pin.round):
            continue
        reasons = []
        due = facts.due(pin.cadre)
        if due is not None and due.rule.hard:
            reasons.append(f"{pin.cadre} must move by {facts.rounds[due.round_index].name} "
                           f"under {due.rule.id} — {due.rule.label}")
        holder = facts.roster.holder_by_position.get(pin.to)
        if holder is not None and holder != pin.cadre and holder not in plan.move_by_cadre:
            # the rules refusing the holder's moves stand in the way only if no move is left
            # (a holder with options stays for the coupled rules: the conflict core says which)
            blocked = candidate_set.refusals.get(holder, Counter()) \
                if not options.get(holder) else Counter()
            why = ", ".join(rule_id for rule_id, _n in blocked.most_common(3))
            reasons.append(f"{pin.to} stays held by {holder}"
                           + (f", whose moves {why} forbid" if why else "")
                           + (f" by {pin.round}" if pin.round else ""))
        reasons.append("the other hard rules (one holder per post and round, adaptation, "
                       "quotas, relatives) leave no plan that contains it")
        messages.append(f"{entry.file}:{entry.line}: pin {pin.cadre} → {pin.to}"
                        f"{' in ' + pin.round if pin.round else ''} cannot be met: "
                        + "; ".join(reasons))
    return messages


def solve_workspace(facts: Facts, progress: Callable[[str], None] | None = None,
                    log: bool = False, previous: Plan | None = None,
                    incumbent: Callable[[str], None] | None = None) -> PlanResult:
    """Propose a plan for the scenario; the checker must accept it or PlannerBug is raised.

    With `previous` (an earlier plan), moves of that plan are kept where the rules allow
    (each change costs CHANGE_PENALTY) and the solver starts from it.
    """
    settings = facts.scenario.solver
    # one deadline for every phase; inside an enclosing run (the relaxation search
    # re-planning) the earlier of the two holds
    with deadline.scope(settings.time_limit_s):
        try:
            return _solve(facts, progress, log, previous, incumbent)
        except deadline.TimeLimitReached as reached:
            raise NoPlanInTime(
                f"{reached}, before any plan: raise solver.time_limit_s in the scenario "
                f"(now {settings.time_limit_s:g} s), or shorten the horizon") from None


def _solve(facts: Facts, progress: Callable[[str], None] | None, log: bool,
           previous: Plan | None, incumbent: Callable[[str], None] | None) -> PlanResult:
    say = progress or (lambda _message: None)
    settings = facts.scenario.solver
    timings: dict[str, float] = {}
    started = time.perf_counter()
    candidate_set = build_candidates(facts)
    timings["candidates"] = time.perf_counter() - started
    say(f"{len(candidate_set.movers)} cadres may move, {len(candidate_set.open_posts)} open "
        f"posts, {len(candidate_set.options)} options ({candidate_set.pairs_judged} judged)")
    # a pin no option honours is reported after the solve: the elastic model misses it, and
    # the plan folder is written with the infeasibility all the same
    conflicts = pin_conflicts(facts, candidate_set)
    started = time.perf_counter()
    model = build_model(facts, candidate_set, previous)
    timings["model"] = time.perf_counter() - started
    say(f"model: {model.num_columns} columns, {model.num_rows} rows")
    start = warm_start(model, previous) if previous is not None else None
    deadline.check("starting the solve")
    solution = solve_model(model, settings.engine, deadline.remaining(settings.time_limit_s),
                           settings.gap, settings.seed, threads=settings.threads, log=log,
                           start=start, progress=say, on_incumbent=incumbent)
    timings["solve"] = solution.seconds
    for name, seconds in solution.phases.items():
        timings[f"solve.{name}"] = seconds
    for note in solution.notes:
        say(note)
    if not solution.status.has_plan:
        # every row of the model is elastic, so only the clock can leave us without a plan
        raise NoPlanInTime(
            f"the solver found no plan within solver.time_limit_s = {settings.time_limit_s:g} s "
            f"({model.num_columns} columns, {model.num_rows} rows, engine {solution.engine}; "
            f"status {solution.status}): "
            "raise solver.time_limit_s in the scenario, or shorten the horizon")
    plan = extract_plan(facts, model, solution, candidate_set)
    options = candidate_set.per_cadre()
    without = {c for c in (e.value.cadre for e in facts.scenario.pins)
               if not options.get(c, 0)}  # said by pin_conflicts
    missed = conflicts + unmet_pins(facts, plan, candidate_set, skip=without)
    started = time.perf_counter()
    report = check_plan(facts, plan)
    timings["check"] = time.perf_counter() - started
    if missed:
        raise PinConflict(missed, PlanResult(plan, solution, report, candidate_set, model,
                                             timings))
    if solution.status.has_plan:
        stuck = [u for u in plan.unplaced if _hard_due(facts, u.cadre)]
        stuck_ids = {u.cadre for u in stuck}
        # a hard rule whose violation column the solver had to use (a quota minimum no
        # lawful move can meet) is infeasible, reported as such with its conflict core
        violated = {rule_id for column, rule_id in model.column_rules.items()
                    if solution.values[column] > 1e-6}
        unexpected = [v for v in report.hard
                      if not (v.cadres and set(v.cadres) <= stuck_ids
                              and _makes_due(facts, v.rule_id))
                      and v.rule_id not in violated]
        if unexpected:
            raise PlannerBug("the checker rejects the proposed plan:\n" + "\n".join(
                f"  {v.rule_id}: {v.message}" for v in unexpected))
    return PlanResult(plan, solution, report, candidate_set, model, timings)


def _makes_due(facts: Facts, rule_id: str) -> bool:
    """True for a rule that makes cadres due (its violations name the stuck cadres)."""
    return any(r.id == rule_id for r in facts.ruleset.with_hook("due"))


def _hard_due(facts: Facts, cadre_id: str) -> bool:
    due = facts.due(cadre_id)
    return due is not None and due.rule.hard


def extract_plan(facts: Facts, model: LinearModel, solution: Solution,
                 candidate_set: CandidateSet) -> Plan:
    moves: list[Move] = []
    rules = per_move_rules(facts)
    values = solution.values
    for index in range(model.num_candidates):
        if values[index] < 0.5:
            continue
        candidate = model.candidates[index]  # (made when read: only the chosen ones)
        due = facts.due(candidate.cadre)
        round_ = facts.rounds[candidate.round_index]
        probe = Move(candidate.cadre, candidate.form, candidate.from_position,
                     candidate.to_position, round_.name, round_.index, round_.start)
        context = facts.move_context(probe)
        allowed_by = [r.id for r in allowing_rules(rules, probe)
                      if r.selector.matches(context)]
        reasons = ([due.rule.id] if due else []) + allowed_by
        end = (secondment_end(facts, candidate.to_position, round_.start)
               if candidate.form == "secondment" else None)
        moves.append(Move(candidate.cadre, candidate.form, candidate.from_position,
                          candidate.to_position, round_.name, round_.index, round_.start, end,
                          adaptation_end(facts, probe), tuple(reasons),
                          note=move_note(facts, probe)))
    moved = {m.cadre for m in moves}
    # where the plan's moves put cadres, and the round each holder leaves for good (a
    # secondee keeps their home post): read by every unplaced cadre's reason
    arrivals = {m.to_position for m in moves}
    left_at = {m.from_position: m.round_index for m in moves
               if m.from_position and m.form != "secondment"}
    unplaced = []
    for cadre_id in candidate_set.movers:
        due = facts.due(cadre_id)
        if cadre_id in moved or due is None:
            continue
        options = model.by_cadre.get(cadre_id, [])
        if not options:
            refusals = candidate_set.refusals.get(cadre_id, Counter())
            top = ", ".join(f"{rule} ({n})" for rule, n in refusals.most_common(3))
            back = _away_throughout(facts, cadre_id, due)
            reason = (say("away ({status}) until {day}, in every round they may move in",
                          status=facts.cadre(cadre_id).status, day=back)
                      if back is not None else
                      "no allowed destination among the open posts"
                      + (f"; refused by {top}" if top else ""))
            rule_ids = tuple([due.rule.id, *(r for r, _n in refusals.most_common(3))])
        else:
            reason = _why_no_option_taken(facts, model, options, arrivals, left_at)
            rule_ids = (due.rule.id,)
        if due.why:  # e.g. "post P ends on 2025-07-01": why they had to move at all
            reason = f"{due.why}; {reason}"
        unplaced.append(Unplaced(cadre_id, reason, rule_ids))
    return Plan(moves, unplaced)


def _away_throughout(facts: Facts, cadre_id: str, due: Due) -> dt.date | None:
    """The last day away of a due cadre who is away (studying, seconded out, on leave) in
    every round they may move in — by the due round for a hard rule — else None."""
    latest = due.round_index if due.rule.hard else len(facts.rounds) - 1
    if open_rounds_of(facts, cadre_id, latest, None, False):
        return None
    return facts.cadre(cadre_id).status_until


def _why_no_option_taken(facts: Facts, model: LinearModel, options: list[int],
                         arrivals: set[str], left_at: dict[str, int]) -> str:
    """Why a cadre with allowed options stays: where every option went.

    An option (post P from round r on) is lost when P receives another cadre of the plan,
    keeps a holder who stays, or is left by its holder only after r (a post freed after
    the rounds the cadre may move in: the holders of abolished posts in 2025 must be placed
    before their posts end). When every option is lost that way the reason is capacity,
    said as such; otherwise the coupled rules or the objective left the free ones."""
    holder = facts.roster.holder_by_position
    lost: dict[str, set[str]] = {"taken": set(), "kept": set(), "late": set()}
    free = False
    for index in options:
        candidate = model.candidates[index]
        post = candidate.to_position
        if post in arrivals:
            lost["taken"].add(post)
        elif holder.get(post) and post not in left_at:
            lost["kept"].add(post)
        elif holder.get(post) and left_at[post] > candidate.round_index:
            lost["late"].add(post)
        else:
            free = True
    posts = len(set().union(*lost.values()))
    if not free:
        return say("{count} allowed options in {posts} posts, each taken by another cadre of "
                   "the plan ({taken}), kept by its holder ({kept}) or freed only after the "
                   "rounds they may move in ({late}): more cadres than posts they may take "
                   "(stays)", count=len(options), posts=posts, taken=len(lost["taken"]),
                   kept=len(lost["kept"]), late=len(lost["late"]))
    return say("{count} allowed options, none compatible with the rest of the plan (stays)",
               count=len(options))


def adaptation_end(facts: Facts, move: Move) -> Any:
    """The latest adaptation end any adaptation rule gives this move (None without rules)."""
    ends = [end for rule in facts.ruleset.with_hook("adapts_until") if rule.in_force(move.start)
            and (end := rule.impl.adapts_until(rule, facts, move)) is not None]
    return max(ends) if ends else None


def warm_start(model: LinearModel, previous: Plan) -> list[float]:
    """Column values that reproduce the earlier plan where its moves are still candidates."""
    values = [0.0] * len(model.costs)
    for cadre_id, earlier in previous.move_by_cadre.items():
        for index in model.by_cadre.get(cadre_id, []):
            candidate = model.candidates[index]
            if (earlier.to_position, earlier.round_index, earlier.form) == (
                    candidate.to_position, candidate.round_index, candidate.form):
                values[index] = 1.0
    return values
