"""Explanations in planner terms: why a cadre moves or stays, why not that post, and why a
scenario is impossible — with the smallest relaxation that makes it possible, re-solved."""

from __future__ import annotations

import dataclasses
from collections import Counter
from typing import Any

from planner.facts import Facts
from planner.models import Pin
from planner.plan import Move, Plan
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


@dataclasses.dataclass
class Relaxation:
    """A change to the scenario (as YAML a planner pastes into an overlay) and its effect."""

    description: str
    overlay: dict[str, Any]
    verified: bool | None = None


def stuck_cadres(facts: Facts, plan: Plan) -> list[str]:
    """Due cadres under a hard tenure limit that the plan could not move."""
    return [u.cadre for u in plan.unplaced
            if (due := facts.due(u.cadre)) is not None and due.rule.hard]


def explain_infeasible(facts: Facts, result: Any,
                       relaxation: Relaxation | None = None) -> str:
    """The conflicting rule instances, the cadres and units involved, and what to relax."""
    lines = ["INFEASIBLE: the hard rules leave these due cadres without a lawful move:"]
    for cadre_id in stuck_cadres(facts, result.plan):
        due = facts.due(cadre_id)
        assert due is not None
        cadre = facts.cadre(cadre_id)
        unit = facts.place(cadre.position)["unit"] if cadre.position else "-"
        unplaced = next(u for u in result.plan.unplaced if u.cadre == cadre_id)
        lines.append(f"  • {cadre_id} {cadre.name} ({cadre.position}, unit {unit}) is due under "
                     f"{due.rule.id} — {due.rule.label} [{due.rule.basis}] by "
                     f"{facts.rounds[due.round_index].name}; {unplaced.reason}")
        for entry in facts.scenario.forbids:
            if entry.value.cadre == cadre_id:
                target = f"→ {entry.value.to}" if entry.value.to else "any move"
                lines.append(f"      conflicts with the scenario's forbid ({target}) at "
                             f"{entry.file}:{entry.line}")
        refusals = result.candidates.refusals.get(cadre_id, Counter())
        for rule_id, count in refusals.most_common(3):
            rule = facts.ruleset.by_id(rule_id)
            lines.append(f"      conflicts with {rule_id} — {rule.label} [{rule.basis}]: "
                         f"refused {count} options")
    if relaxation is not None:
        state = {True: "verified: re-solved with it, every due cadre is placed",
                 False: "not enough on its own (re-solved: cadres still stuck)",
                 None: "not verified"}[relaxation.verified]
        lines.append(f"  smallest relaxation found: {relaxation.description} ({state})")
        lines.append("  as an overlay (scenario.yaml):")
        for key, value in relaxation.overlay.items():
            lines.append(f"    {key}: {flow_yaml(value)}")
    return "\n".join(lines)


def find_relaxation(facts: Facts, result: Any, ruleset_loader: Any) -> Relaxation | None:
    """Try, smallest first: switching off the one per-move rule that refuses most options of
    the stuck cadres; else raising the tenure limit past their horizon; verify by re-solving.

    `ruleset_loader(scenario) -> RuleSet` reloads rules with a scenario's changes.
    """
    from planner.facts import Facts as FactsClass
    from planner.solver.run import solve_workspace

    stuck = stuck_cadres(facts, result.plan)
    if not stuck:
        return None
    due_of = {c: due for c in stuck if (due := facts.due(c)) is not None}
    refusals: Counter[str] = Counter()
    for cadre_id in stuck:
        refusals.update(result.candidates.refusals.get(cadre_id, Counter()))
    tries: list[Relaxation] = []
    for rule_id, _count in refusals.most_common(2):
        tries.append(Relaxation(f"switch off {rule_id} ({facts.ruleset.by_id(rule_id).label})",
                                {"disable": [rule_id]}))
    for rule_id in sorted({due.rule.id for due in due_of.values()}):
        rule = facts.ruleset.by_id(rule_id)
        change = rule.impl.relax(rule, facts, [c for c, due in due_of.items()
                                               if due.rule.id == rule_id])
        if change is not None:
            tries.append(Relaxation(change.description, {"set": {rule_id: change.params}}))
    for attempt in tries:
        scenario = _apply_overlay(facts.scenario, attempt.overlay)
        relaxed = FactsClass(scenario, ruleset_loader(scenario))
        attempt.verified = not stuck_cadres(relaxed, solve_workspace(relaxed).plan)
        if attempt.verified:
            return attempt
    return tries[-1] if tries else None


def _apply_overlay(scenario: Scenario, overlay: dict[str, Any]) -> Scenario:
    disabled = list(scenario.disabled) + [Located("relaxation", None, rule_id)
                                          for rule_id in overlay.get("disable", [])]
    overrides = {k: dict(v) for k, v in scenario.overrides.items()}
    for rule_id, params in overlay.get("set", {}).items():
        overrides[rule_id] = {**overrides.get(rule_id, {}), **params}
    return dataclasses.replace(scenario, disabled=disabled, overrides=overrides)


def flow_yaml(value: Any) -> str:
    """A value as YAML flow text (`{rule: {max_months: 126}}`), as a planner would type it."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {flow_yaml(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(flow_yaml(v) for v in value) + "]"
    return str(value)
