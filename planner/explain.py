"""Explanations in planner terms: why a cadre moves or stays, why not that post, and why a
scenario is impossible — with the smallest relaxation that makes it possible, re-solved."""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from planner import deadline
from planner.conflicts import Core
from planner.facts import Facts
from planner.forms import secondment_end
from planner.i18n.messages import listed, say
from planner.models import Pin
from planner.plan import Move, Plan
from planner.relax import Relaxation
from planner.scenario import Located, Scenario
from planner.solver.build import cost_terms
from planner.solver.candidates import Option, judge, per_move_rules
from planner.solver.run import allowing_rules

# ------------------------------------------------------------------------- one cadre


def post_words(facts: Facts, position_id: str | None) -> str:
    """A post as the planner reads it: its id with its title ('P00655 Chuyên viên …')."""
    return f"{position_id} {facts.position(position_id).title}" if position_id else "no post"


def explain_cadre(facts: Facts, plan: Plan, cadre_id: str) -> list[str]:
    """Why this cadre moves where they move (or why they stay), rule by rule."""
    cadre = facts.cadre(cadre_id)
    lines = [f"{cadre.id} {cadre.name}: {post_words(facts, cadre.position)}"
             + (f" since {cadre.position_start}" if cadre.position_start else "")]
    start = facts.rounds[0].start
    if cadre.position:
        lines.append(f"  {facts.months_in_post(cadre_id, start)} months in post on {start}; "
                     f"retires {facts.retirement_date(cadre_id)} "
                     f"({facts.months_to_retirement(cadre_id, start)} months of service left)")
    due = facts.due(cadre_id)
    if due is not None:
        lines.append(f"  due under {due.rule.id} — {due.rule.label} [{due.rule.basis}]: "
                     f"{due.why or 'falls due on ' + str(due.reached_on)}, must move by "
                     f"{facts.rounds[due.round_index].name} ({due.rule.spec.severity})")
    else:
        lines.append("  not due: no tenure limit falls in the horizon"
                     + _exempt_note(facts, cadre_id))
    move = plan.move_by_cadre.get(cadre_id)
    if move is None:
        if due is not None:
            unplaced = next((u for u in plan.unplaced if u.cadre == cadre_id), None)
            lines.append(f"  stays: {unplaced.reason if unplaced else 'left in place'}")
        else:
            lines.append(say("  stays: not due, and no move of theirs improves the plan"))
        return lines
    lines.append(f"  moves by {move.form} to {move.to_position} "
                 f"({facts.position(move.to_position).title}) in {move.round} "
                 f"[{facts.direction(move.from_position, move.to_position)}]")
    context = facts.move_context(move)
    for rule in allowing_rules(per_move_rules(facts), move):
        if rule.selector.matches(context):
            lines.append(f"    allowed by {rule.id} ({rule.kind}) — {rule.label} [{rule.basis}]")
    others = [r.id for r in per_move_rules(facts) if r.hard and r.in_force(move.start)
              and r.selector.matches(context) and r not in allowing_rules([r], move)]
    if others:
        lines.append(f"    and not forbidden by {', '.join(others)}")
    if move.adaptation_until:
        lines.append(f"  adapts until {move.adaptation_until}")
    option = Option(cadre_id, move.form, move.to_position, move.round_index, 0.0, ())
    _hard, soft_cost, soft = judge(facts, per_move_rules(facts), move, context)
    option = dataclasses.replace(option, soft_cost=soft_cost, soft_rules=tuple(soft))
    terms = cost_terms(facts, option)
    shown = [say("{term} {value}", term=term_words(name), value=f"{value:+g}")
             for name, value in terms.items() if abs(value) >= 0.01]
    lines.append(say("  objective terms of this move: {terms}",
                     terms=listed(", ", shown) if shown else say("none")))
    return lines


def term_words(name: str) -> Any:
    """An objective term's name (`cost_terms`), said through the catalogue: 'skill fit',
    'disruption (not due)', 'soft rules: a, b' (the rule ids kept)."""
    if name.startswith("soft rules: "):
        return say("soft rules: {rules}", rules=name.removeprefix("soft rules: "))
    return say(name)


def _exempt_note(facts: Facts, cadre_id: str) -> str:
    notes = []
    for form in ("position_change", "rotation", "transfer", "secondment", "appointment"):
        for exemption in facts.exemptions(cadre_id, form, facts.rounds[0].start):
            notes.append(f"{form}: {exemption.rule.id} ({exemption.reason})")
    return ("; exempt or deferred — " + "; ".join(notes)) if notes else ""


# the forms a why-not considers: every form the planner proposes (secondment ends on its
# lawful end date)
WHY_NOT_FORMS = ("position_change", "rotation", "transfer", "secondment", "appointment")


@dataclasses.dataclass
class Refusal:
    """One hard rule that forbids the move in some rounds, with the failing clause in words."""

    form: str
    rule_id: str
    label: str
    basis: str
    clause: str
    rounds: list[str]
    cadres: tuple[str, ...] = ()  # the other cadres involved (relatives, the post's holder…)
    #: a coupled rule, forbidding the move next to this plan's other moves (re-planning
    #: may move the others: the pinned re-solve says whether it can)
    coupled: bool = False


def refusals(facts: Facts, plan: Plan, cadre_id: str, position_id: str,
             ) -> tuple[list[Refusal], list[tuple[str, str]]]:
    """Every hard rule forbidding `cadre → post`, form by form and round by round, and the
    (form, round) pairs no per-move rule forbids (coupled clashes with this plan's other
    moves are listed, but re-planning may move the others).

    Per-move rules are judged alone (the kind's `judge_move`, its `explain` gives the
    clause); coupled rules (relatives, adaptation shares, quotas, tenure, one holder per
    post) by the checker on the plan with this move in place of the cadre's own: each hard
    violation the move adds is a refusal, with the other cadres it names.
    """
    from planner.checker import structure_violations

    cadre = facts.cadre(cadre_id)
    rules = per_move_rules(facts)
    coupled = [r for r in facts.ruleset.active if r.hard and r not in rules]
    base_plan = Plan([m for m in plan.moves])

    def hard_found(candidate: Plan) -> set[tuple[str, str]]:
        found = [v for v in structure_violations(facts, candidate) if v.hard]
        for rule in coupled:
            found += [v for v in rule.impl.check(rule, facts, candidate) if v.hard]
        return {(v.rule_id, v.message) for v in found}

    before = hard_found(base_plan)
    grouped: dict[tuple[str, str, str], Refusal] = {}
    allowed: list[tuple[str, str]] = []
    others = [m for m in plan.moves if m.cadre != cadre_id]
    for form in WHY_NOT_FORMS:
        for round_ in facts.rounds:
            # a secondment ends when the planner would end it (the away holder's return,
            # else the longest lawful secondment): judged as it would be proposed
            end = secondment_end(facts, position_id, round_.start) \
                if form == "secondment" else None
            move = Move(cadre_id, form, cadre.position, position_id, round_.name, round_.index,
                        round_.start, end)
            context = facts.move_context(move)
            refused = False  # by a per-move rule: no plan can contain the move
            for rule in rules:
                if not rule.hard or not rule.in_force(move.start) or \
                        not rule.selector.matches(context):
                    continue
                found = rule.impl.judge_move(rule, facts, move)
                if found is None:
                    continue
                refused = True
                clause = rule.impl.explain(rule, found)
                _add(grouped, Refusal(form, rule.id, rule.label, rule.basis, clause,
                                      [round_.name], _others(found.cadres, cadre_id)))
            with_move = Plan([*others, move])
            said: set[tuple[str, str]] = set()
            for rule_id, message in sorted(hard_found(with_move) - before,
                                           key=lambda item: _round_order(facts, item[1])):
                # the cadre stays in the post after arriving: a clash in a later round is
                # the same clash; say it once, at its first round
                if (rule_id, _without_rounds(facts, message)) in said:
                    continue
                said.add((rule_id, _without_rounds(facts, message)))
                owner = next((r for r in facts.ruleset.rules if r.id == rule_id), None)
                label = owner.label if owner else "one holder per post and round; one move each"
                basis = owner.basis if owner else "structure of the plan"
                _add(grouped, Refusal(form, rule_id, label, basis, message, [round_.name],
                                      _mentioned(facts, message, cadre_id), coupled=True))
            if not refused:
                allowed.append((form, round_.name))
    return list(grouped.values()), allowed


def _add(grouped: dict[tuple[str, str, str], Refusal], refusal: Refusal) -> None:
    # the same clause in several rounds is said once, with its rounds; a dated limit whose
    # value changes gives a clause per value, each with the rounds it holds in
    key = (refusal.form, refusal.rule_id, _ROUNDS.sub("…", refusal.clause))
    if key in grouped:
        grouped[key].rounds += refusal.rounds
    else:
        grouped[key] = refusal


_ROUNDS = re.compile(r"\b\d{4}-(?:Q[1-4]|H[12]|\d{2}|M\d{1,2})\b")


def _without_rounds(facts: Facts, text: str) -> str:
    return _ROUNDS.sub("…", text)


def _round_order(facts: Facts, text: str) -> tuple[int, str]:
    names = {r.name: r.index for r in facts.rounds}
    found = [names[m] for m in _ROUNDS.findall(text) if m in names]
    return (min(found) if found else -1, text)


def _others(cadres: tuple[str, ...], cadre_id: str) -> tuple[str, ...]:
    return tuple(c for c in cadres if c != cadre_id)


def _mentioned(facts: Facts, message: str, cadre_id: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(c for c in re.findall(r"\b[A-Z]\w*\d+\b", message)
                               if c != cadre_id and c in facts.roster.cadre_by_id))


def why_not(facts: Facts, plan: Plan, cadre_id: str, position_id: str) -> tuple[list[str], bool]:
    """The hard rules that forbid moving this cadre to that post, form by form and round by
    round, each with its failing clause and the other cadres involved.

    Returns the lines and whether some round allows it (then forcing it is a matter of cost).
    """
    found, allowed = refusals(facts, plan, cadre_id, position_id)
    lines = [f"{cadre_id} → {position_id} ({facts.position(position_id).title}):"]
    every = len(facts.rounds)
    introduced: set[str] = set()
    for form in WHY_NOT_FORMS:
        mine = [r for r in found if r.form == form]
        if not mine:
            continue
        header = f"  {form}:"
        if form == "secondment":
            first = facts.rounds[0]
            header = (f"  secondment (ending on its lawful end, e.g. "
                      f"{secondment_end(facts, position_id, first.start)} if it starts in "
                      f"{first.name}):")
        lines.append(header)
        for refusal in mine:
            when = "every round" if len(refusal.rounds) == every else \
                ", ".join(refusal.rounds)
            involved = (" (with " + ", ".join(f"{c} {facts.cadre(c).name}" for c in
                                               refusal.cadres) + ")") if refusal.cadres else ""
            named = refusal.rule_id
            if refusal.rule_id not in introduced:  # label and basis once per rule
                introduced.add(refusal.rule_id)
                named += f" — {refusal.label} [{refusal.basis}]"
            verb = "in this plan, clashes with" if refusal.coupled else "forbidden by"
            lines.append(f"    {verb} {named} (moving in {when}){involved}")
            lines.append(f"        {refusal.clause}")
    if allowed:
        options = [say("{form} in {round}", form=f, round=r) for f, r in allowed[:4]]
        lines.append(say("  allowed by every per-move hard rule as {options}{more}",
                         options=listed(", ", options), more=" …" if len(allowed) > 4 else ""))
    return lines, bool(allowed)


def with_pin(scenario: Scenario, cadre_id: str, position_id: str) -> Scenario:
    """A copy of the scenario that pins this move (any round), for a forcing re-solve."""
    pin = Located("--why-not", None, Pin(cadre=cadre_id, to=position_id))
    pins = [p for p in scenario.pins if p.value.cadre != cadre_id] + [pin]
    return dataclasses.replace(scenario, pins=pins)


def plan_diff(before: Plan, after: Plan) -> list[str]:
    """Moves added, removed or changed between two plans."""
    lines: list[str] = []
    for cadre_id in sorted(set(before.move_by_cadre) | set(after.move_by_cadre)):
        old = before.move_by_cadre.get(cadre_id)
        new = after.move_by_cadre.get(cadre_id)
        if old == new or (old and new and (old.to_position, old.round, old.form) ==
                          (new.to_position, new.round, new.form)):
            continue
        if old is None and new is not None:
            lines.append(say("  + {cadre} {form} → {post} in {round}", cadre=cadre_id,
                             form=new.form, post=new.to_position, round=new.round))
        elif new is None and old is not None:
            lines.append(say("  − {cadre} no longer moves (was → {post})", cadre=cadre_id,
                             post=old.to_position))
        elif old is not None and new is not None:
            lines.append(say("  ~ {cadre} → {post} in {round} (was → {old} in {old_round})",
                             cadre=cadre_id, post=new.to_position, round=new.round,
                             old=old.to_position, old_round=old.round))
    return lines


# ------------------------------------------------------------------------- infeasibility


def stuck_cadres(facts: Facts, plan: Plan) -> list[str]:
    """Due cadres under a hard tenure limit that the plan could not move."""
    return [u.cadre for u in plan.unplaced
            if (due := facts.due(u.cadre)) is not None and due.rule.hard]


def stuck_lines(facts: Facts, plan: Plan) -> list[str]:
    """An INFEASIBLE line per stuck cadre: who, in which post, due under which rule by
    which round, and why the plan leaves them (a whole plan's and a partitioned one's)."""
    lines: list[str] = []
    unplaced = {u.cadre: u for u in plan.unplaced}
    for cadre_id in stuck_cadres(facts, plan):
        due = facts.due(cadre_id)
        assert due is not None  # stuck: due under a hard rule
        cadre = facts.cadre(cadre_id)
        lines.append("  • " + say("{cadre} {name} ({post}) is due under {rule} by {round}; "
                                  "{reason}", cadre=cadre_id, name=cadre.name,
                                  post=post_words(facts, cadre.position), rule=due.rule.id,
                                  round=facts.rounds[due.round_index].name,
                                  reason=unplaced[cadre_id].reason))
    return lines


@dataclasses.dataclass
class Diagnosis:
    """Why a scenario is impossible: the lines to print, the core and the relaxations."""

    lines: list[str]
    core: Any = None  # planner.conflicts.Core
    search: Any = None  # planner.relax.RelaxationSearch

    @property
    def relaxation(self) -> Relaxation | None:
        """The verified relaxation touching the fewest cadres (None if none was found)."""
        return self.search.found[0] if self.search is not None and self.search.found else None


def explain_infeasible(facts: Facts, ruleset_loader: Any, result: Any = None,
                       pin_messages: list[str] | None = None) -> Diagnosis:
    """Why the scenario is impossible: what the elastic plan could not do, the conflict core
    over rule instances (irreducible, re-solved), and lawful relaxations that plan.

    `ruleset_loader(scenario) -> RuleSet` reloads rules with a relaxation's changes.
    """
    from planner.conflicts import conflict_core

    lines = ["INFEASIBLE: the hard rules cannot all hold in this scenario."]
    if result is not None:
        lines += stuck_lines(facts, result.plan)
        tenure = {r.id for r in facts.ruleset.with_hook("due")}
        for found in result.report.hard:
            if found.rule_id == "scenario.pin" and pin_messages:
                continue  # said with its reasons below
            if found.rule_id not in tenure:  # stuck cadres are listed above
                lines.append(f"  • {found.rule_id}: {found.message}")
    for message in pin_messages or []:
        lines.append(f"  • {message}")
    with deadline.scope(facts.scenario.solver.time_limit_s) as until:
        # one deadline for the diagnosis (or the rest of the run's): the core may take
        # CORE_SHARE of what is left, the relaxation search the rest
        with deadline.scope(deadline=until.share(CORE_SHARE)):
            core = conflict_core(facts, prefer=("rule", "row"),
                                 candidate_set=result.candidates if result is not None else None)
        return _diagnose(facts, ruleset_loader, lines, core)


# the conflict core's part of the time left for a diagnosis (the relaxation search gets the
# rest): a core proves each member by a solve, a relaxation is one re-plan
CORE_SHARE = 2 / 3


def _diagnose(facts: Facts, ruleset_loader: Any, lines: list[str],
              core: Core | None) -> Diagnosis:
    from planner.conflicts import describe_core
    from planner.relax import describe_search, search

    if core is None:
        lines.append("  the strict model over the planner's options finds a plan: the conflict "
                     "comes from candidate pruning, not from the rules (raise solver limits)")
        return Diagnosis(lines)
    lines += describe_core(core)
    if not core.members:
        return Diagnosis(lines, core)
    found = search(facts, core, ruleset_loader)
    lines += describe_search(found)
    return Diagnosis(lines, core, found)
