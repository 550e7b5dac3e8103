"""Conflict cores in rule terms: when the hard rules cannot all hold, which rule *instances*
(a rule for one cadre, one unit's quota, one pair of relatives, the scenario's own pins and
forbids) clash — an irreducible set, each member proven necessary by re-solving.

How. The planner's own model is elastic (a hard-due cadre may "stay" at a huge price, a pin
may be "missed"), so it always has a plan; here the same model is rebuilt strictly, over a
*wide* option set: every (mover, open post, form, round) the planner could consider, kept
even when hard per-move rules refuse it, tagged with the instances that refuse it. Each
instance gets a CP-SAT literal; enforcing it forbids its tagged options, switches its rows on
(quotas, adaptation shares, relatives) or its violation column off (a due cadre staying, a
quota shortfall). CP-SAT, solving under all literals as *assumptions*, returns a sufficient
set for infeasibility; a deletion filter then drops every member whose removal leaves the
rest infeasible. Each answer is validated (a returned literal must be one we assumed, since
presolve may report others), and a member is kept only when the solve without it finds a
plan: the core is irreducible by construction and every step is a re-solve. Assumptions need
a single worker and no objective (OR-Tools discussion #4110), so these are feasibility solves.

The rows a kind encodes (quota, adaptation, relatives, tenure) are reused as the kinds build
them (`build_model`), so the core speaks about exactly the constraints the planner solves.
Options are judged by the same `judge` as the candidate generator; one-holder-per-post and
one-move-per-cadre are background (they are structure, never relaxed).
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from planner import deadline
from planner.facts import Facts
from planner.kinds import KIND_BY_NAME
from planner.plan import Move
from planner.ruleset import Rule
from planner.solver.build import build_model
from planner.solver.candidates import (
    PROPOSED_FORMS,
    SCAN_LIMIT,
    CandidateSet,
    Option,
    build_candidates,
    closest,
    judge,
    per_move_rules,
    post_features,
)
from planner.solver.model import LinearModel

# rows and columns the kinds tag with these are structure: never members of a core
STRUCTURE = {"structure", ""}
# a wide model larger than this many options is cut to each mover's closest posts (the same
# closeness ranking the candidate generator uses), so the analysis stays bounded
MAX_WIDE_OPTIONS = 400_000
# Beyond this many movers the strict model (every option, refused or not, judged move by
# move) is not built: on hanoi-2023 (3,350 movers) it took over 9 minutes and 5 GB before
# its first solve. The stuck cadres and what refused them are still listed.
MAX_CORE_MOVERS = 1000
# Options refused by more than this many instances are left out: a move two separate rule
# instances forbid is never one relaxation away, and keeping them all makes the pairwise rows
# (relatives) grow with the square of the options. Irreducibility is unaffected (a plan found
# without them is a plan); the core's infeasibility is proven over the options kept.
MAX_TAGS = 1


@dataclass(frozen=True)
class Instance:
    """One rule instance: a rule for one cadre, one row group of a coupled rule, a pin…"""

    key: str
    kind: str  # "rule" (a per-move rule for one cadre), "row" (a coupled rule's group),
    #            "pin", "forbid"
    rule_id: str  # the rule id, or scenario.pin / scenario.forbid
    label: str
    basis: str
    what: str  # the instance in words: "C006 must move by 2024-Q1", "quota U-TH-NV"
    cadres: tuple[str, ...] = ()
    posts: tuple[str, ...] = ()
    rounds: tuple[str, ...] = ()

    def describe(self) -> str:
        people = f"; cadres {', '.join(self.cadres[:8])}" + (
            " …" if len(self.cadres) > 8 else "") if self.cadres else ""
        posts = f"; posts {', '.join(self.posts[:6])}" + (
            " …" if len(self.posts) > 6 else "") if self.posts else ""
        return f"{self.rule_id}: {self.what} — {self.label} [{self.basis}]{people}{posts}"


@dataclass
class Core:
    """An irreducible conflicting set of instances, with how it was proven."""

    members: list[Instance]
    irreducible: bool  # every member was shown necessary by a feasible re-solve without it
    verified: bool  # the members alone were re-solved and proven infeasible
    solves: int
    seconds: float
    note: str = ""


@dataclass
class WideModel:
    """The strict model: instances, the linear model over the wide options, and the tags."""

    facts: Facts
    options: list[Option]
    model: LinearModel
    instances: dict[str, Instance]
    option_tags: list[frozenset[str]]
    row_instance: dict[int, str]  # row index → instance key (hard rule rows)
    column_instance: dict[int, str]  # violation column → instance key
    pin_instance: dict[str, str] = field(default_factory=dict)  # cadre → pin instance
    pin_options: dict[str, list[int]] = field(default_factory=dict)


def _rule_instance(rule: Rule, cadre_id: str) -> Instance:
    return Instance(f"rule:{rule.id}:{cadre_id}", "rule", rule.id, rule.label, rule.basis,
                    f"applies to {cadre_id}'s moves", (cadre_id,))


def build_wide(facts: Facts, candidate_set: CandidateSet | None = None) -> WideModel:
    """Every option of every mover, refused or not, tagged with the instances refusing it."""
    candidate_set = candidate_set or build_candidates(facts)
    scenario = facts.scenario
    roster = facts.roster
    # pins become our own instances: the model is built without them (a pinned due cadre
    # then keeps the tenure row the kinds would skip for a pinned cadre)
    bare = Facts(dataclasses.replace(scenario, pins=[]), facts.ruleset)
    rules = per_move_rules(facts)
    instances: dict[str, Instance] = {}
    pins = {e.value.cadre: (f"pin:{e.file}:{e.line}", e) for e in scenario.pins}
    for key, entry in pins.values():
        pin = entry.value
        instances[key] = Instance(
            key, "pin", "scenario.pin", f"pin {pin.cadre} → {pin.to}"
            + (f" in {pin.round}" if pin.round else "") + (f" by {pin.form}" if pin.form else ""),
            f"{entry.file}:{entry.line}", "the scenario pins this move", (pin.cadre,), (pin.to,))
    forbids: dict[str, list[tuple[str, str | None]]] = defaultdict(list)
    for entry in scenario.forbids:
        key = f"forbid:{entry.file}:{entry.line}"
        forbid = entry.value
        forbids[forbid.cadre].append((key, forbid.to))
        instances[key] = Instance(
            key, "forbid", "scenario.forbid",
            f"forbid {forbid.cadre} " + (f"→ {forbid.to}" if forbid.to else "any move"),
            f"{entry.file}:{entry.line}", "the scenario forbids this", (forbid.cadre,),
            (forbid.to,) if forbid.to else ())
    movers = [c for c in candidate_set.movers if roster.cadre_by_id[c].position]
    open_posts = candidate_set.open_posts
    per_mover = len(open_posts) * len(PROPOSED_FORMS) * len(facts.rounds)
    limit = len(open_posts)
    if per_mover * len(movers) > MAX_WIDE_OPTIONS:
        limit = max(SCAN_LIMIT, MAX_WIDE_OPTIONS // max(
            1, len(movers) * len(PROPOSED_FORMS) * len(facts.rounds)))
    features = {p: post_features(facts, p) for p in open_posts}
    # a coupled hard rule that selects by form (a quota of rotations) tells forms apart
    form_matters = any(r.hard and not r.impl.per_move and r.selector.conditions
                       for r in facts.ruleset.active)
    options: list[Option] = []
    tags: list[frozenset[str]] = []
    refused_posts: dict[str, set[str]] = defaultdict(set)
    for number, cadre_id in enumerate(movers):
        deadline.check("building the strict model", number, len(movers), "movers")
        cadre = facts.cadre(cadre_id)
        due = facts.due(cadre_id)
        hard_due = due is not None and due.rule.hard
        due_key = f"row:{due.rule.id}:{cadre_id} due under {due.rule.id}" if due else ""
        ending = set(PROPOSED_FORMS)
        if due is not None:
            for rule in facts.ruleset.with_hook("due"):
                if rule.impl.due(rule, facts, cadre_id) is not None:
                    ending &= set(rule.params.satisfied_by)
        pin_key, pin_entry = pins.get(cadre_id, ("", None))
        targets = open_posts if limit >= len(open_posts) else closest(
            facts, cadre_id, open_posts, features, limit)
        if pin_entry is not None and pin_entry.value.to not in targets \
                and pin_entry.value.to in features:
            targets = [*targets, pin_entry.value.to]
        seen: set[tuple[str, int, frozenset[str]]] = set()
        for position_id in targets:
            if position_id == cadre.position:
                continue
            forbid_keys = {k for k, to in forbids.get(cadre_id, []) if to in (None, position_id)}
            for form in PROPOSED_FORMS:
                probe = Move(cadre_id, form, cadre.position, position_id, "", 0,
                             facts.rounds[0].start)
                context = facts.move_context(probe)
                matching = [r for r in rules if r.selector.matches(context)]
                timeless = {r.id: KIND_BY_NAME[r.kind].judge_move(r, facts, probe)
                            for r in matching if KIND_BY_NAME[r.kind].timeless}
                for round_ in facts.rounds:
                    move = Move(cadre_id, form, cadre.position, position_id, round_.name,
                                round_.index, round_.start)
                    hard, soft_cost, soft = judge(facts, matching, move, context, timeless)
                    option_tags = set(forbid_keys)
                    for rule_id in hard:
                        rule = facts.ruleset.by_id(rule_id)
                        instance = _rule_instance(rule, cadre_id)
                        instances.setdefault(instance.key, instance)
                        option_tags.add(instance.key)
                        refused_posts[instance.key].add(position_id)
                    if hard_due and (round_.index > due.round_index  # type: ignore[union-attr]
                                     or form not in ending):
                        option_tags.add(due_key)
                    if pin_entry is not None:
                        pin = pin_entry.value
                        if position_id != pin.to or (pin.round and pin.round != round_.name) \
                                or (pin.form and pin.form != form):
                            option_tags.add(pin_key)
                    if len(option_tags) > MAX_TAGS:
                        continue
                    signature = (position_id, round_.index, frozenset(option_tags))
                    if signature in seen and not form_matters:
                        continue  # the planner keeps one form per destination, too
                    seen.add(signature)
                    options.append(Option(cadre_id, form, position_id, round_.index,
                                          soft_cost, tuple(soft)))
                    tags.append(frozenset(option_tags))
    for key, posts in refused_posts.items():
        instances[key] = dataclasses.replace(instances[key], posts=tuple(sorted(posts)))
    wide_set = CandidateSet(options=options, movers=movers, open_posts=open_posts)
    model = build_model(bare, wide_set)
    wide = WideModel(facts, options, model, instances, tags, {}, {})
    _map_rows(wide)
    for cadre_id, (key, _entry) in pins.items():
        wide.pin_instance[cadre_id] = key
        wide.pin_options[cadre_id] = list(model.by_cadre.get(cadre_id, []))
    return wide


def _map_rows(wide: WideModel) -> None:
    """Hard rule rows and violation columns → instances (soft rows are dropped later)."""
    facts, model = wide.facts, wide.model
    hard_ids = {r.id for r in facts.ruleset.active if r.hard}
    column_rows: dict[int, list[int]] = defaultdict(list)
    groups: dict[str, list[int]] = defaultdict(list)
    for index, row in enumerate(model.rows):
        for column in row.columns:
            if column >= model.num_candidates:
                column_rows[column].append(index)
        if row.rule in hard_ids:
            key = f"row:{row.rule}:{row.label}"
            groups[key].append(index)
            wide.row_instance[index] = key
    for key, rows in groups.items():
        first = model.rows[rows[0]]
        rule = facts.ruleset.by_id(first.rule)
        columns = [c for r in rows for c in model.rows[r].columns if c < model.num_candidates]
        wide.instances[key] = _row_instance(facts, model, rule, key, first.label, columns)
    for column, rule_id in model.column_rules.items():
        if rule_id in hard_ids:
            found = column_rows.get(column, [])
            if found:
                wide.column_instance[column] = wide.row_instance[found[0]]


def _row_instance(facts: Facts, model: LinearModel, rule: Rule, key: str, label: str,
                  columns: list[int]) -> Instance:
    cadres = tuple(dict.fromkeys(model.candidates[c].cadre for c in columns))
    posts = tuple(dict.fromkeys(model.candidates[c].to_position for c in columns))
    rounds = tuple(dict.fromkeys(facts.rounds[model.candidates[c].round_index].name
                                 for c in columns))
    what = label
    if rule.impl.has("due"):  # a tenure limit: the instance is one due cadre
        cadre_id = label.split(" ", 1)[0]
        due = facts.due(cadre_id)
        cadres = (cadre_id,)
        posts = (facts.cadre(cadre_id).position or "",)
        if due is not None:
            rounds = (facts.rounds[due.round_index].name,)
            what = (f"{cadre_id} reaches {rule.param('max_months', due.reached_on)} months in "
                    f"post on {due.reached_on} and must move by {rounds[0]}")
    return Instance(key, "row", rule.id, rule.label, rule.basis, what, cadres, posts, rounds)


class _Strict:
    """The wide model in CP-SAT with one literal per instance (built once, solved often)."""

    def __init__(self, wide: WideModel):
        from ortools.sat.python import cp_model

        self.cp_model = cp_model
        self.wide = wide
        model = wide.model
        cp = cp_model.CpModel()
        self.cp = cp
        keys = sorted(wide.instances)
        self.keys = keys
        self.literal = {k: cp.new_bool_var(k) for k in keys}
        self.by_index = {self.literal[k].index: k for k in keys}
        soft_ids = {r.id for r in wide.facts.ruleset.active if not r.hard}
        elastic = {c for c in range(model.num_candidates, len(model.costs))
                   if c not in wide.column_instance}
        variables: dict[int, Any] = {}

        def var(column: int) -> Any:
            found = variables.get(column)
            if found is None:
                upper = model.upper[column]
                bound = int(upper) if math.isfinite(upper) else 10_000
                found = cp.new_bool_var(f"x{column}") if bound == 1 else \
                    cp.new_int_var(0, bound, f"x{column}")
                variables[column] = found
            return found

        for index, option_tags in enumerate(wide.option_tags):
            if index % 1024 == 0:
                deadline.check("building the strict model in CP-SAT")
            if option_tags:
                x = var(index)
                for key in option_tags:
                    cp.add_implication(x, self.literal[key].negated())
        for column, key in wide.column_instance.items():
            cp.add(var(column) == 0).only_enforce_if(self.literal[key])
        for index, row in enumerate(model.rows):
            if index % 1024 == 0:
                deadline.check("building the strict model in CP-SAT")
            if row.rule in soft_ids or any(c in elastic for c in row.columns):
                continue  # a soft rule's row always holds (its slack pays); so does an
                #           elastic structure row (a dropped earlier move)
            row_key = wide.row_instance.get(index)
            gated = row_key is not None and not any(c in wide.column_instance
                                                    for c in row.columns)
            enforce = [self.literal[row_key]] if gated and row_key else []
            if len(row.columns) <= 2 and row.coefs == [1.0] * len(row.columns) and \
                    row.upper == len(row.columns) - 1 and not math.isfinite(row.lower):
                # "not both" / "not this one" (relatives): a clause, far cheaper than a sum
                cp.add_bool_or([var(c).negated() for c in row.columns]).only_enforce_if(enforce)
                continue
            scale = 1
            if any(abs(v - round(v)) > 1e-9 for v in row.coefs):
                scale = 1000
            expr = sum(round(v * scale) * var(c) for c, v in zip(row.columns, row.coefs,
                                                                      strict=True))
            constraints = []
            if math.isfinite(row.lower):
                constraints.append(expr >= math.ceil(row.lower * scale - 1e-9))
            if math.isfinite(row.upper):
                constraints.append(expr <= math.floor(row.upper * scale + 1e-9))
            for constraint in constraints:
                cp.add(constraint).only_enforce_if(enforce)
        for cadre_id, key in wide.pin_instance.items():
            columns = wide.pin_options.get(cadre_id, [])
            if columns:
                cp.add(sum(var(c) for c in columns) >= 1).only_enforce_if(self.literal[key])
            else:
                cp.add(self.literal[key] == 0)  # the pinned post is never an option
        self.solves = 0
        self.variables = variables
        self.hint: dict[int, int] = {}  # the last plan found: feasible trials start from it

    def feasible(self, assumed: list[str], seconds: float) -> tuple[bool | None, list[str]]:
        """(True, []) if a plan exists enforcing `assumed`; (False, sufficient subset) if
        not; (None, []) if the time ran out."""
        cp_model = self.cp_model
        self.cp.clear_assumptions()
        self.cp.add_assumptions([self.literal[k] for k in assumed])
        self.cp.clear_hints()
        for column, value in self.hint.items():
            self.cp.add_hint(self.variables[column], value)
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1  # assumptions need the single-worker search
        solver.parameters.max_time_in_seconds = max(seconds, 0.05)
        solver.parameters.random_seed = 0
        solver.parameters.cp_model_presolve = False
        solver.parameters.stop_after_first_solution = True
        status = solver.solve(self.cp)
        self.solves += 1
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            self.hint = {c: int(solver.value(v)) for c, v in self.variables.items()}
            return True, []
        if status == cp_model.INFEASIBLE:
            wanted = set(assumed)
            # validate: presolve may return literals that were never assumptions
            core = [self.by_index[i] for i in solver.sufficient_assumptions_for_infeasibility()
                    if i in self.by_index and self.by_index[i] in wanted]
            return False, core or list(assumed)
        return None, []


def conflict_core(facts: Facts, time_limit_s: float | None = None,
                  candidate_set: CandidateSet | None = None,
                  prefer: Iterable[str] = ()) -> Core | None:
    """An irreducible set of rule instances that cannot all hold, or None if they can.

    `prefer`: instance kinds tried for removal first (the deletion filter keeps what it
    tries last, so the members a planner would rather see stay are tried first).
    Building the strict model and every solve share one deadline (`time_limit_s`, default
    the scenario's, or an enclosing run's if earlier): past it the core found so far is
    returned, marked as not proven irreducible.
    """
    started = time.perf_counter()
    limit = time_limit_s if time_limit_s is not None else facts.scenario.solver.time_limit_s
    with deadline.scope(limit) as until:
        return _conflict_core(facts, until, started, candidate_set, prefer)


def _conflict_core(facts: Facts, until: deadline.Deadline, started: float,
                   candidate_set: CandidateSet | None, prefer: Iterable[str]) -> Core | None:
    movers = len(candidate_set.movers) if candidate_set is not None else None
    if movers is not None and movers > MAX_CORE_MOVERS:
        return Core([], False, False, 0, time.perf_counter() - started,
                    f"{movers} cadres may move, more than the {MAX_CORE_MOVERS} the strict "
                    "model is built for; the stuck cadres and the rules that refused their "
                    "moves are listed above (`rotation explain` answers for one), or plan a "
                    "part of the roster (a district) to get its core")
    try:
        wide = build_wide(facts, candidate_set)
        strict = _Strict(wide)
    except deadline.TimeLimitReached as reached:
        return Core([], False, False, 0, time.perf_counter() - started,
                    f"{reached}, before any solve")
    everything = list(strict.keys)
    ok, core = strict.feasible(everything, until.remaining())
    if ok is True:
        return None
    if ok is None:
        return Core([], False, False, strict.solves, time.perf_counter() - started,
                    f"time limit of {until.limit:g} s reached before infeasibility was proven "
                    f"({len(everything)} rule instances in the strict model)")
    order = {kind: i for i, kind in enumerate(prefer)}
    members = sorted(core, key=lambda k: (order.get(wide.instances[k].kind, len(order)), k))
    proven: list[str] = []
    irreducible = True
    unproven = 0
    while len(proven) < len(members):
        candidate = next(m for m in members if m not in proven)
        trial = [m for m in members if m != candidate]
        ok, sub = strict.feasible(trial, until.remaining()) if not until.expired() \
            else (None, [])
        if ok is False:
            kept = set(sub) | set(proven)  # a proven member is in every sub-core (see doc)
            members = [m for m in trial if m in kept]
        elif ok is True:
            proven.append(candidate)
        else:
            irreducible = False
            unproven += 1
            proven.append(candidate)  # kept unproven: the clock ran out
    # the members alone, re-solved: infeasible proves the core (skipped past the deadline)
    final = strict.feasible(members, until.remaining())[0] if not until.expired() else None
    note = "" if not unproven and final is not None else (
        f"time limit of {until.limit:g} s reached in the deletion filter: "
        f"{len(members) - unproven} of {len(members)} members shown necessary"
        + ("" if final is False else "; the members alone not re-solved"))
    return Core([wide.instances[k] for k in members], irreducible, final is False,
                strict.solves, time.perf_counter() - started, note)


def describe_core(core: Core) -> list[str]:
    """The core as lines a planner reads: each rule once (label, basis), then its instances
    with the cadres and posts involved."""
    if not core.members:
        return [f"  (no conflict core: {core.note})"]
    state = ("irreducible: without any one of them a plan exists (re-solved)"
             if core.irreducible else f"not proven irreducible: {core.note}")
    if core.irreducible and not core.verified and core.note:
        state += f"; {core.note}"
    lines = [f"  conflict core: {len(core.members)} rule instances that cannot all hold "
             f"({state}; {core.solves} solves, {core.seconds:.1f} s):"]
    by_rule: dict[str, list[Instance]] = {}
    for member in core.members:
        by_rule.setdefault(member.rule_id, []).append(member)
    for rule_id, members in by_rule.items():
        first = members[0]
        if first.kind in ("pin", "forbid"):
            for member in members:
                lines.append(f"    • {member.label} [{member.basis}]")
            continue
        lines.append(f"    • {rule_id} — {first.label} [{first.basis}]:")
        for member in members:
            people = ""
            if member.cadres and member.kind == "row":
                people = f"; cadres {', '.join(member.cadres[:8])}" + (
                    " …" if len(member.cadres) > 8 else "")
            posts = f"; posts {', '.join(member.posts[:6])}" + (
                " …" if len(member.posts) > 6 else "") if member.posts else ""
            what = member.what if member.kind == "row" else \
                f"{member.cadres[0]}'s moves it refuses"
            lines.append(f"        – {what}{people}{posts}")
    return lines
