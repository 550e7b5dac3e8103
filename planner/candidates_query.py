"""Who can fill this post: the cadres who may lawfully take a post, ranked by what it costs
the plan, and for the closest excluded ones the rule that stops them (`rotation candidates`).

1. Every cadre holding another post is judged for the post by the per-move hard rules
   (the kinds' `judge_move`, as the candidate generator judges options), form by form, in
   the asked round or the first round that allows it.
2. Cadres are taken in closeness order (same profession, nearby grade, same area — the
   planner's own ranking); the lawful ones are checked with the coupled hard rules
   (relatives, adaptation shares, quotas, tenure) on the plan with the move added, until k
   pass (and the closest refusals are known): a city is never judged whole.
3. Each of the k is verified by re-solving the scenario with the move pinned: the objective
   delta against the plan, bounded by a time budget (`time_limit_s`); a candidate the
   pinned re-solve cannot place (the other rules leave no plan with it) is excluded with the
   reason, one whose re-solve does not fit in the budget keeps the move's own cost terms,
   labelled as an estimate.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass, field
from typing import Any

from planner.facts import Facts
from planner.models import Pin
from planner.plan import Move, Plan
from planner.solver.build import cost_terms
from planner.solver.candidates import (
    KEEP_LIMIT,
    PROPOSED_FORMS,
    SCAN_LIMIT,
    CandidateSet,
    Option,
    PostFeatures,
    judge,
    per_move_rules,
    post_features,
)


@dataclass
class Candidate:
    """A cadre who may take the post: the move, its delta and how it was established."""

    cadre: str
    name: str
    position: str | None
    form: str
    round: str
    delta: float | None = None  # objective change of the plan, by a pinned re-solve
    estimate: float = 0.0  # the move's own objective terms (when the re-solve is not run)
    verified: bool = False
    note: str = ""
    changes: int = 0  # other cadres whose move the pinned plan changes
    changed: list[str] = field(default_factory=list)
    freed: int = 0  # cadres the neighbourhood's re-solve let move (the rest fixed)

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass
class Excluded:
    """A close cadre who may not take the post, and the rule that stops them."""

    cadre: str
    name: str
    position: str | None
    rule_id: str
    label: str
    clause: str
    form: str = ""  # the form that refusal is for ('' : every form)
    by_form: list[dict[str, str]] = field(default_factory=list)  # each form's refusal

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass
class CandidateList:
    post: str
    title: str
    round: str | None
    candidates: list[Candidate] = field(default_factory=list)
    excluded: list[Excluded] = field(default_factory=list)
    judged: int = 0
    lawful: int = 0
    base_objective: float | None = None
    seconds: float = 0.0
    note: str = ""  # what limits who may take the post (an away holder)

    def as_dict(self) -> dict[str, Any]:
        return {"post": self.post, "title": self.title, "round": self.round,
                "note": self.note,
                "judged": self.judged, "lawful_by_per_move_rules": self.lawful,
                "base_objective": self.base_objective, "seconds": round(self.seconds, 3),
                "candidates": [c.as_dict() for c in self.candidates],
                "excluded": [e.as_dict() for e in self.excluded]}


def _closeness(facts: Facts, cadre_id: str, target: PostFeatures,
               cache: dict[str, PostFeatures]) -> tuple[int, int]:
    """The planner's closeness (grade gap, leader vs staff, profession, area), smaller first."""
    cadre = facts.cadre(cadre_id)
    assert cadre.position is not None
    origin = cache.get(cadre.position)
    if origin is None:
        origin = cache[cadre.position] = post_features(facts, cadre.position)
    gap = abs(origin.grade - target.grade) + 3 * (origin.staff != target.staff)
    return (gap + int(cadre.profession != target.profession) + int(origin.area != target.area),
            -len(set(cadre.skills) & target.skills))


def find_candidates(facts: Facts, post: str, plan: Plan | None = None,
                    round_name: str | None = None, k: int = 10, excluded: int = 5,
                    time_limit_s: float | None = None,
                    base_objective: float | None = None) -> CandidateList:
    """The k best cadres for `post` (see the module docstring); `plan`: the plan to compare
    with (solved if not given); `time_limit_s`: the budget of the pinned re-solves."""
    from planner.checker import structure_violations
    from planner.solver.run import solve_workspace

    started = time.perf_counter()
    budget = time_limit_s if time_limit_s is not None else facts.scenario.solver.time_limit_s
    position = facts.position(post)
    result = CandidateList(post, position.title, round_name)
    rounds = [r for r in facts.rounds if round_name is None or r.name == round_name]
    if plan is None:
        solved = solve_workspace(facts)
        plan = solved.plan
        base_objective = solved.solution.objective
    # the budget is the pinned re-solves' (the plan to compare with is made before)
    deadline = time.perf_counter() + budget
    rules = per_move_rules(facts)
    target = post_features(facts, post)
    cache: dict[str, PostFeatures] = {}
    holder = facts.roster.holder_by_position.get(post)
    people = [c for c in facts.roster.cadres if c.position and c.position != post]
    people.sort(key=lambda c: (_closeness(facts, c.id, target, cache), c.id))
    refused: list[tuple[str, list[Refusal]]] = []  # closest first, each form's refusal
    forbidden = {(f.value.cadre, f.value.to) for f in facts.scenario.forbids}
    coupled = [r for r in facts.ruleset.active if r.hard and r not in rules]

    def hard_of(candidate_plan: Plan) -> set[tuple[str, str, tuple[str, ...]]]:
        """The independent checker's hard findings of the coupled rules and the structure."""
        found = [v for v in structure_violations(facts, candidate_plan) if v.hard]
        for rule in coupled:
            found += [v for v in rule.impl.check(rule, facts, candidate_plan) if v.hard]
        return {(v.rule_id, v.message, tuple(v.cadres)) for v in found}

    local = Neighbourhood(facts, plan, post)
    forms: tuple[str, ...] = PROPOSED_FORMS
    back = local.away.get(post)
    if back is not None:
        # the holder is away (study, illness…): only a secondment ending by their return
        forms = ("secondment",)
        rounds = [r for r in rounds if r.start < back]
        result.note = (f"{post}'s holder {holder} is away until {back}: only a secondment "
                       "ending by then may fill it")
    # closest first; stop once k are verified and enough refusals are known to show the
    # closest excluded (a city of 15,000 cadres is never judged whole: only this post's
    # column, cadre by cadre)
    after_k = 0  # cadres judged once k are found (for the closest refusals)
    for cadre in people:
        if len(result.candidates) >= k and (len(refused) >= excluded
                                            or after_k >= REFUSAL_SCAN):
            break
        if time.perf_counter() > deadline:
            result.note = (result.note + "; " if result.note else "") + (
                f"time budget of {budget:g} s reached after judging {result.judged} cadres")
            break
        result.judged += 1
        after_k += len(result.candidates) >= k
        if (cadre.id, None) in forbidden or (cadre.id, post) in forbidden:
            refused.append((cadre.id, [Refusal("", "scenario.forbid",
                                               "the scenario forbids this move")]))
            continue
        first = _first_allowed(facts, rules, cadre.id, cadre.position, post, rounds, forms)
        if not isinstance(first, Move):
            if first:
                refused.append((cadre.id, first))
            continue
        result.lawful += 1
        if len(result.candidates) >= k:
            continue
        option = Option(first.cadre, first.form, post, first.round_index, 0.0, ())
        item = Candidate(first.cadre, cadre.name, cadre.position, first.form, first.round,
                         estimate=round(sum(cost_terms(facts, option).values()), 3))
        remaining = deadline - time.perf_counter()
        if remaining >= 0.5:
            _verify(local, item, first, remaining / max(1, k - len(result.candidates)),
                    round_name, hard_of)
        else:
            item.note = "estimate: the pinned re-solve did not fit in the time budget"
        if item.note.startswith("excluded:"):
            reason = item.note.removeprefix("excluded: ")
            named = reason.split(":", 1)[0]
            rule_id = named if named == "scenario.pin" or any(
                r.id == named for r in facts.ruleset.rules) \
                else "pinned re-solve"
            refused.append((first.cadre, [Refusal(
                first.form, rule_id, reason.split(": ", 1)[1] if rule_id == named else reason)]))
            continue
        result.candidates.append(item)
    # the plan's objective (its plan.yaml's), else the plan's own moves re-solved
    result.base_objective = base_objective if base_objective is not None else (
        local.base[0].objective if local.base is not None else None)
    result.candidates.sort(key=lambda c: (c.delta if c.delta is not None else c.estimate,
                                          c.cadre))
    for cadre_id, by_form in refused[:excluded]:
        cadre = facts.cadre(cadre_id)
        main = by_form[0]
        rule = next((r for r in facts.ruleset.rules if r.id == main.rule_id), None)
        label = rule.label if rule else ("the holder stays" if cadre_id == holder
                                         else main.rule_id)
        result.excluded.append(Excluded(cadre_id, cadre.name, cadre.position, main.rule_id,
                                        label, main.clause, main.form,
                                        [dataclasses.asdict(r) for r in by_form]))
    result.seconds = time.perf_counter() - started
    return result


# once k candidates are found, at most this many more cadres are judged to show the closest
# refusals (the rest of a city's column is not needed)
REFUSAL_SCAN = 200


@dataclass(frozen=True)
class Refusal:
    """Why one form of the move is refused: the first hard rule that forbids it."""

    form: str
    rule_id: str
    clause: str


def _first_allowed(facts: Facts, rules: list[Any], cadre_id: str, origin: str | None,
                   post: str, rounds: list[Any],
                   forms: tuple[str, ...] = PROPOSED_FORMS) -> Move | list[Refusal]:
    """The first (form, round) the per-move hard rules allow, or each form's refusal (rule
    id, clause in words): the form the cadre's due rule asks for first, then the planner's
    order of preference."""
    from planner.forms import secondment_end

    refusals: list[Refusal] = []
    if not rounds:
        return refusals
    ordered = list(forms)
    due = facts.due(cadre_id)
    if due is not None:
        ordered.sort(key=lambda f: f != due.form)
    for form in ordered:

        def end_of(round_: Any, form: str = form) -> Any:
            return secondment_end(facts, post, round_.start) if form == "secondment" else None

        probe = Move(cadre_id, form, origin, post, rounds[0].name, rounds[0].index,
                     rounds[0].start, end_of(rounds[0]))
        context = facts.move_context(probe)
        matching = [r for r in rules if r.hard and r.selector.matches(context)]
        timeless: dict[str, Any] = {}
        blocked = None
        for rule in matching:
            if rule.impl.timeless:
                found = rule.impl.judge_move(rule, facts, probe)
                timeless[rule.id] = found
                # a dated rule blocks every round only if it is in force in every one
                if found is not None and blocked is None and \
                        all(rule.in_force(r.start) for r in rounds):
                    blocked = Refusal(form, rule.id, rule.impl.explain(rule, found))
        if blocked is not None:
            refusals.append(blocked)
            continue
        refusal = None
        for round_ in rounds:
            move = Move(cadre_id, form, origin, post, round_.name, round_.index, round_.start,
                        end_of(round_))
            hard, _cost, _soft = judge(facts, matching, move, context, timeless)
            if not hard:
                return move
            if refusal is None:
                rule = facts.ruleset.by_id(hard[0])
                found = rule.impl.judge_move(rule, facts, move)
                clause = rule.impl.explain(rule, found) if found else rule.label
                if len(rounds) > 1:
                    clause = f"{clause} (in {round_.name}; no later round allows it either)"
                refusal = Refusal(form, rule.id, clause)
        if refusal is not None:
            refusals.append(refusal)
    return refusals


class Neighbourhood:
    """The given plan with everything fixed but a few cadres, as the planner's own model: a
    candidate's move is priced by solving it with the move pinned (built once per query).

    The neighbourhood of "cadre c takes post P" is c, P's holder and whoever the plan moves
    into P: they get the options the candidate generator would give them over the posts the
    fixed moves leave free (vacant posts, posts their holders leave, c's own); every other
    cadre keeps the plan's move or stays. The model is the planner's (`build_model`: every
    rule kind's rows, the same objective), so the pinned solve is a lawful plan that contains
    the move, and its objective minus the plan's (solved the same way, with the plan's own
    moves only) is the delta. A full re-plan could only do as well or better: the delta is an
    upper bound, exact when nothing outside the neighbourhood would change."""

    def __init__(self, facts: Facts, plan: Plan, post: str):
        from planner.forms import away_posts
        from planner.solver.candidates import _Job

        self.facts = facts
        self.plan = plan
        self.post = post
        self.rules = per_move_rules(facts)
        roster = facts.roster
        self.holder = roster.holder_by_position.get(post)
        # the plan's own moves as options (their soft terms judged as the generator does)
        self.fixed: dict[str, Option] = {}
        for move in plan.moves:
            self.fixed[move.cadre] = self._option(move)
        held = roster.holder_by_position
        free = {p.id for p in roster.positions if p.id not in held}
        # a secondee keeps their home post: only the other forms open one
        free |= {m.from_position for m in plan.moves if m.from_position
                 and m.form != "secondment"}
        free.add(post)
        self.free = sorted(free)
        self.away = away_posts(facts)
        # the scenario's own pins hold for every cadre the neighbourhood frees (a candidate
        # is never priced by breaking one)
        self.pins: dict[str, Pin] = {p.value.cadre: p.value for p in facts.scenario.pins}
        self.forbidden: dict[str, set[str | None]] = {}
        for entry in facts.scenario.forbids:
            self.forbidden.setdefault(entry.value.cadre, set()).add(entry.value.to)
        self.features = {p: post_features(facts, p) for p in self.free}
        self.job_class = _Job
        self._held: Any = None  # PostTable of the posts whose holders the plan keeps
        # the plan re-solved with its own moves only: objective, plan, hard rules whose
        # violation it uses, the checker's hard findings
        self.base: tuple[Solved, set[tuple[str, str, tuple[str, ...]]]] | None = None

    def _option(self, move: Move) -> Option:
        context = self.facts.move_context(move)
        matching = [r for r in self.rules if r.selector.matches(context)]
        _hard, cost, soft = judge(self.facts, matching, move, context, {})
        return Option(move.cadre, move.form, move.to_position, move.round_index, cost,
                      tuple(soft))

    def options_of(self, cadre_id: str, pin: Pin | None, opened: set[str]) -> list[Option]:
        """What the candidate generator would offer the cadre over the free posts and those
        `opened` by freeing their holders (only P, with `pin`)."""
        from planner.solver.candidates import _options_for

        posts = self.free if not opened else sorted({*self.free, *opened})
        for position_id in opened:
            if position_id not in self.features:
                self.features[position_id] = post_features(self.facts, position_id)
        pinned = {cadre_id: pin} if pin is not None else \
            {cadre_id: self.pins[cadre_id]} if cadre_id in self.pins else {}
        job = self.job_class(self.facts, self.rules, posts, self.features, self.away, {},
                             pinned, self.forbidden,
                             SCAN_LIMIT, KEEP_LIMIT)
        found = _options_for(job, cadre_id, set(), 0).options
        own = self.fixed.get(cadre_id)
        if pin is None and own is not None and own.to_position != self.post and all(
                (o.form, o.to_position, o.round_index) != (own.form, own.to_position,
                                                           own.round_index) for o in found):
            found.append(own)  # the plan's own move stays possible
        return found

    def partners(self, cadre_id: str, taken: set[str]) -> list[str]:
        """Holders the plan does not move of the posts closest to the cadre (as the
        generator's chain partners): freeing them opens their posts."""
        from planner.solver.candidates import PARTNERS_PER_CADRE, held_table

        if self._held is None:
            self._held = held_table(
                self.facts, self.features, lambda post, holder: holder not in self.fixed
                and post not in self.away and self.facts.cadre(holder).position == post)
        holder_of = self.facts.roster.holder_by_position
        found = []
        for position_id in self._held.closest(cadre_id, PARTNERS_PER_CADRE + len(taken)):
            holder = holder_of[position_id]
            if holder not in taken and holder != cadre_id:
                found.append(holder)
        return found[:PARTNERS_PER_CADRE]

    def solve(self, free: dict[str, list[Option]], forced: str | None,
              seconds: float) -> Solved | str:
        """The plan with the cadres in `free` given those options (the others keep their
        moves or stay); `forced`: the cadre who must take one of theirs. Returns the solve,
        or why there is none (the time ran out)."""
        from planner.solver.build import PIN_MISSED_COST, build_model
        from planner.solver.run import extract_plan
        from planner.solver.solve import solve_model

        facts = self.facts
        options = [o for cadre_id, o in sorted(self.fixed.items()) if cadre_id not in free]
        for cadre_id in sorted(free):
            options += free[cadre_id]
        movers = sorted({*self.fixed, *free})
        candidate_set = CandidateSet(options=options, movers=movers, open_posts=self.free)
        model = build_model(facts, candidate_set)
        missed = None
        if forced is not None:
            missed = model.add_column(PIN_MISSED_COST, 1.0, f"{forced} pin missed",
                                      "scenario.pin")
            model.add_row([*((c, 1.0) for c in model.by_cadre.get(forced, [])),
                           (missed, 1.0)], lower=1.0, upper=1.0, label=f"{forced} pinned",
                          rule="scenario.pin")
        settings = facts.scenario.solver
        solution = solve_model(model, settings.engine, max(seconds, 0.5), settings.gap,
                               settings.seed, threads=settings.threads)
        if not solution.status.has_plan:
            return f"the re-solve found no plan within {max(seconds, 0.5):.1f} s"
        # the scenario's pins count as hard rules here (their missed columns are elastic)
        hard = {r.id for r in facts.ruleset.active if r.hard} | {"scenario.pin"}
        # the hard rules' violation columns the solver had to use ("C016 stays", a quota's
        # shortfall, "C013 pin missed"): each a hard rule that cannot hold in this
        # neighbourhood
        violated = {(rule_id, model.column_labels.get(column, rule_id))
                    for column, rule_id in model.column_rules.items()
                    if rule_id in hard and solution.values[column] > 1e-6}
        return Solved(solution.objective, extract_plan(facts, model, solution, candidate_set),
                      violated, missed is not None and solution.values[missed] > 0.5,
                      solution.status.value == "optimal")

    def grow(self, free: dict[str, list[Option]], solved: Solved,
             base: Solved, forced: str) -> list[str]:
        """Cadres to free next when the pinned solve breaks a hard rule the plan kept: the
        fixed movers the solve left in place, those the plan moves into the posts the free
        cadres could take, then chain partners (holders the plan keeps of the posts closest
        to the cadres left stuck, and to the post's holder), EXPAND at most."""
        found = [c for c in sorted(self.fixed) if c not in free
                 and c in base.plan.move_by_cadre and c not in solved.plan.move_by_cadre]
        taken = {m.to_position: m.cadre for m in self.plan.moves}
        for options in free.values():
            for option in options:
                other = taken.get(option.to_position)
                if other is not None and other not in free and other not in found:
                    found.append(other)
        stuck = [label.split(" ", 1)[0] for _rule, label in sorted(solved.violated)]
        stuck = [c for c in stuck if c in self.facts.roster.cadre_by_id]
        if self.holder is not None:
            stuck.append(self.holder)
        if solved.missed:
            stuck.append(forced)
        for cadre_id in dict.fromkeys(stuck):
            for partner in self.partners(cadre_id, {*free, *found}):
                found.append(partner)
        return found[:EXPAND]


# a neighbourhood grows by at most this many cadres a step, GROWTH steps
EXPAND = 12
GROWTH = 8


@dataclass
class Solved:
    objective: float
    plan: Plan
    violated: set[tuple[str, str]]  # (hard rule, its violation column's label)
    missed: bool  # the forced cadre could not take the post
    optimal: bool


def _verify(local: Neighbourhood, item: Candidate, move: Move, seconds: float,
            round_name: str | None, hard_of: Any) -> None:
    """The objective delta of the plan with this move pinned: the neighbourhood re-solved
    (see `Neighbourhood`; grown while the pinned solve breaks a hard rule the plan keeps),
    its plan checked by the independent checker's coupled rules."""
    facts = local.facts
    until = time.perf_counter() + seconds
    if local.base is None:
        base = local.solve({}, None, seconds / 2)
        if isinstance(base, str):
            item.note = f"estimate: {base}"
            return
        local.base = (base, hard_of(base.plan))
    base, base_hard = local.base
    pin = Pin(cadre=move.cadre, to=local.post, round=round_name)
    roster = facts.roster
    held = set(roster.holder_by_position)
    chosen_ids = {m.cadre for m in local.plan.moves if m.to_position == local.post}
    if local.holder is not None:
        chosen_ids.add(local.holder)
    chosen_ids.add(move.cadre)
    free: dict[str, list[Option]] = {}
    for step in range(GROWTH + 1):
        # the posts freed cadres hold open up to the others (a chain), unless the plan's
        # fixed part already moves someone there
        opened = {p for c in chosen_ids if (p := roster.cadre_by_id[c].position) in held
                  and p not in local.away}
        free = {c: local.options_of(c, pin if c == move.cadre else None, opened)
                for c in sorted(chosen_ids)}
        solved = local.solve(free, move.cadre, until - time.perf_counter())
        if isinstance(solved, str):
            item.note = f"estimate: {solved}"
            return
        broken = sorted(solved.violated - base.violated)
        if not solved.missed and not broken:
            break
        more = local.grow(free, solved, base, move.cadre) if step < GROWTH and \
            until - time.perf_counter() > 0.5 else []
        if not more:
            # the checker on the plan with the move added names the coupled rule and the
            # other cadres (re-planning beyond the neighbourhood might move them)
            clash = sorted((r, m) for r, m, _c in hard_of(base.plan.with_move(move)) - base_hard
                           if not r.startswith("structure."))
            if clash:
                item.note = (f"excluded: {clash[0][0]}: {clash[0][1]} (in this plan; only "
                             f"{_few(free)} may change)")
            elif solved.missed and local.holder in free and not free[local.holder]:
                item.note = (f"excluded: the post's holder {local.holder} has no lawful move "
                             "to a post this plan leaves free")
            elif solved.missed:
                item.note = ("excluded: no lawful plan contains it while only "
                             f"{_few(free)} may change (the rest of the plan fixed)")
            else:
                item.note = (f"excluded: {broken[0][0]}: {broken[0][1]} with it "
                             f"(only {_few(free)} may change)")
            return
        chosen_ids.update(more)
    assert isinstance(solved, Solved)  # the loop returns on every other outcome
    new = sorted(hard_of(solved.plan) - base_hard)
    if new:
        rule_id, message, _cadres = new[0]
        item.note = f"excluded: {rule_id}: {message}"
        return
    chosen = solved.plan.move_by_cadre[move.cadre]
    item.form, item.round = chosen.form, chosen.round
    item.delta = round(solved.objective - base.objective, 3)
    item.verified = solved.optimal
    if not solved.optimal:
        item.note = "the neighbourhood's re-solve was not proven optimal in the time budget"
    before = {(m.cadre, m.form, m.to_position, m.round) for m in base.plan.moves}
    after = {(m.cadre, m.form, m.to_position, m.round) for m in solved.plan.moves}
    item.changed = sorted({c for c, *_rest in before ^ after} - {move.cadre})
    item.changes = len(item.changed)
    item.freed = len(free)


def _few(cadres: Any, shown: int = 6) -> str:
    ids = sorted(cadres)
    return ", ".join(ids[:shown]) + (f" and {len(ids) - shown} others" if len(ids) > shown
                                     else "")


def describe(result: CandidateList) -> list[str]:
    against = f"{result.base_objective:g}" if result.base_objective is not None else "the plan"
    lines = [f"{result.post} ({result.title})"
             + (f" in {result.round}" if result.round else "")
             + f": {result.lawful} of the {result.judged} closest cadres judged may take it by "
             f"the per-move rules; best {len(result.candidates)} (objective delta against "
             f"{against}, by re-solving the plan's neighbourhood with the move pinned; "
             f"{result.seconds:.1f} s):"]
    if result.note:
        lines.insert(1, f"  ({result.note})")
    for number, item in enumerate(result.candidates, 1):
        delta = f"{item.delta:+g}" if item.delta is not None else f"≈{item.estimate:+g}"
        note = f" ({item.note})" if item.note else ""
        changes = ""
        if item.delta is not None:
            changes = (f", {item.changes} other move changes" if item.changes == 1 else
                       f", {item.changes} other moves change") + (
                f" ({', '.join(item.changed)})" if item.changed else "")
        lines.append(f"  {number:>2}. {item.cadre} {item.name} ({item.position}) by "
                     f"{item.form} in {item.round}: {delta}{changes}{note}")
    if result.excluded:
        lines.append("closest excluded:")
        for other in result.excluded:
            form = f" by {other.form}" if other.form else ""
            lines.append(f"  - {other.cadre} {other.name} ({other.position}){form}: "
                         f"{other.rule_id} — {other.label}: {other.clause}")
            for refusal in other.by_form[1:]:
                lines.append(f"      by {refusal['form']}: {refusal['rule_id']}: "
                             f"{refusal['clause']}")
    return lines
