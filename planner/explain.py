"""Explanations in planner terms: why a cadre moves or stays, why not that post, and why a
scenario is impossible — with the smallest relaxation that makes it possible, re-solved."""

from __future__ import annotations

import dataclasses
from typing import Any

from planner.facts import Facts
from planner.models import Pin
from planner.plan import Move, Plan
from planner.relax import Relaxation
from planner.scenario import Located, Scenario
from planner.solver.build import cost_terms
from planner.solver.candidates import Option, judge, per_move_rules
from planner.solver.run import allowing_rules

# ------------------------------------------------------------------------- one cadre


def explain_cadre(facts: Facts, plan: Plan, cadre_id: str) -> list[str]:
    """Why this cadre moves where they move (or why they stay), rule by rule."""
    cadre = facts.cadre(cadre_id)
    lines = [f"{cadre.id} {cadre.name}: {cadre.position or 'no post'}"
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
            lines.append("  stays: not due, and no move of theirs improves the plan")
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
    lines.append("  objective terms of this move: " + (", ".join(
        f"{name} {value:+g}" for name, value in terms.items() if abs(value) >= 0.01) or "none"))
    return lines


def _exempt_note(facts: Facts, cadre_id: str) -> str:
    notes = []
    for form in ("position_change", "rotation", "transfer", "secondment"):
        for exemption in facts.exemptions(cadre_id, form, facts.rounds[0].start):
            notes.append(f"{form}: {exemption.rule.id} ({exemption.reason})")
    return ("; exempt or deferred — " + "; ".join(notes)) if notes else ""


def why_not(facts: Facts, plan: Plan, cadre_id: str, position_id: str) -> tuple[list[str], bool]:
    """The hard rules that forbid moving this cadre to that post, round by round.

    Returns the lines and whether some round allows it (then forcing it is a matter of cost).
    """
    cadre = facts.cadre(cadre_id)
    lines = [f"{cadre_id} → {position_id} ({facts.position(position_id).title}):"]
    rules = per_move_rules(facts)
    allowed_rounds = []
    for form in ("position_change", "rotation", "transfer"):
        refusals: dict[str, list[str]] = {}
        first: dict[str, Move] = {}
        for round_ in facts.rounds:
            move = Move(cadre_id, form, cadre.position, position_id, round_.name, round_.index,
                        round_.start)
            hard, _cost, _soft = judge(facts, rules, move)
            if hard:
                for rule_id in hard:
                    refusals.setdefault(rule_id, []).append(round_.name)
                    first.setdefault(rule_id, move)
            else:
                allowed_rounds.append((form, round_.name))
        for rule_id, rounds in refusals.items():
            rule = facts.ruleset.by_id(rule_id)
            when = "every round" if len(rounds) == len(facts.rounds) else ", ".join(rounds)
            lines.append(f"  {form}: forbidden by {rule_id} — {rule.label} [{rule.basis}] "
                         f"({when})")
            found = rule.impl.judge_move(rule, facts, first[rule_id])
            if found is not None:
                # the kind says which of the rule's clauses the move breaks, in words
                lines.append(f"      {rule.impl.explain(rule, found)}")
    if allowed_rounds:
        lines.append("  allowed by every per-move hard rule as "
                     + ", ".join(f"{f} in {r}" for f, r in allowed_rounds[:4])
                     + (" …" if len(allowed_rounds) > 4 else ""))
    return lines, bool(allowed_rounds)


def with_pin(scenario: Scenario, cadre_id: str, position_id: str) -> Scenario:
    """A copy of the scenario that pins this move (any round), for a forcing re-solve."""
    pin = Located("--why-not", None, Pin(cadre=cadre_id, to=position_id))
    pins = [p for p in scenario.pins if p.value.cadre != cadre_id] + [pin]
    return dataclasses.replace(scenario, pins=pins)


def plan_diff(before: Plan, after: Plan) -> list[str]:
    """Moves added, removed or changed between two plans."""
    lines = []
    for cadre_id in sorted(set(before.move_by_cadre) | set(after.move_by_cadre)):
        old = before.move_by_cadre.get(cadre_id)
        new = after.move_by_cadre.get(cadre_id)
        if old == new or (old and new and (old.to_position, old.round, old.form) ==
                          (new.to_position, new.round, new.form)):
            continue
        if old is None and new is not None:
            lines.append(f"  + {cadre_id} {new.form} → {new.to_position} in {new.round}")
        elif new is None and old is not None:
            lines.append(f"  − {cadre_id} no longer moves (was → {old.to_position})")
        elif old is not None and new is not None:
            lines.append(f"  ~ {cadre_id} → {new.to_position} in {new.round} (was → "
                         f"{old.to_position} in {old.round})")
    return lines


# ------------------------------------------------------------------------- infeasibility


def stuck_cadres(facts: Facts, plan: Plan) -> list[str]:
    """Due cadres under a hard tenure limit that the plan could not move."""
    return [u.cadre for u in plan.unplaced
            if (due := facts.due(u.cadre)) is not None and due.rule.hard]


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
    from planner.conflicts import conflict_core, describe_core
    from planner.relax import describe_search, search

    lines = ["INFEASIBLE: the hard rules cannot all hold in this scenario."]
    if result is not None:
        for cadre_id in stuck_cadres(facts, result.plan):
            due = facts.due(cadre_id)
            assert due is not None
            cadre = facts.cadre(cadre_id)
            unplaced = next(u for u in result.plan.unplaced if u.cadre == cadre_id)
            lines.append(f"  • {cadre_id} {cadre.name} ({cadre.position}) is due under "
                         f"{due.rule.id} by {facts.rounds[due.round_index].name}; "
                         f"{unplaced.reason}")
        tenure = {r.id for r in facts.ruleset.of_kind("tenure_limit")}
        for found in result.report.hard:
            if found.rule_id not in tenure:  # stuck cadres are listed above
                lines.append(f"  • {found.rule_id}: {found.message}")
    for message in pin_messages or []:
        lines.append(f"  • {message}")
    core = conflict_core(facts, prefer=("rule", "row"))
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
