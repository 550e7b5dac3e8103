"""Relaxations within the law: changes to a scenario that make an impossible one plan.

Candidates come only from a conflict core's members (planner.conflicts), and only lawful ones:
- the scenario's own pin or forbid: drop it (`unpin`, `unforbid` in an overlay);
- a parameter that declares its lawful `range` in the rule file: move it inside the range,
  never beyond (a tenure limit raised just past the stuck cadres' horizon, a quota minimum
  lowered, a maximum raised);
- a rule the rule files mark [I] (`verified: false`, an interpretation, not the letter of the
  law): soft instead of hard, at the scenario's `weights.overdue` per violation.
Each is verified by re-planning the scenario with it, and ranked by how few cadres it
touches: cadres whose due status it changes, plus those it names (the pinned or forbidden
cadre) or whose moves now break the softened rule. Every phase stops at the scenario's time
limit, saying so.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from planner import deadline
from planner.conflicts import Core, Instance
from planner.facts import Facts
from planner.models import Forbid
from planner.ruleset import ParamRange, Rule, RuleSet
from planner.scenario import Scenario

# which way widens a parameter of a kind (tenure limits up, quota minimums down, …)
WIDENS: dict[tuple[str, str], int] = {
    ("tenure_limit", "max_months"): +1, ("quota", "min"): -1, ("quota", "max"): +1,
    ("eligibility", "min_service_months"): -1, ("min_tenure", "min_months"): -1,
    ("secondment_max", "max_months"): +1,
}


@dataclass
class Relaxation:
    """A change to the scenario (as an overlay to paste) and what re-planning with it gave."""

    description: str
    overlay: dict[str, Any]
    lawful: str  # why it stays within the law
    touched: tuple[str, ...] = ()
    verified: bool | None = None
    seconds: float = 0.0
    note: str = ""


@dataclass
class RelaxationSearch:
    found: list[Relaxation] = field(default_factory=list)  # verified ones, best first
    tried: list[Relaxation] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # unlawful or impossible, in words
    seconds: float = 0.0
    timed_out: bool = False  # the time limit stopped the search
    candidates: int = 0  # lawful relaxations there were to try


def apply_overlay(scenario: Scenario, overlay: dict[str, Any]) -> Scenario:
    """The scenario with an overlay's `set`, `disable`, `unpin` and `unforbid` applied in
    memory, as `extends` would apply them."""
    from planner.scenario import Located

    overrides = {k: dict(v) for k, v in scenario.overrides.items()}
    for rule_id, params in overlay.get("set", {}).items():
        overrides[rule_id] = {**overrides.get(rule_id, {}), **params}
    disabled = list(scenario.disabled) + [Located("relaxation", None, rule_id)
                                          for rule_id in overlay.get("disable", [])]
    pins = [p for p in scenario.pins if p.value.cadre not in set(overlay.get("unpin", []))]
    dropped = [Forbid(**f) for f in overlay.get("unforbid", [])]
    forbids = [f for f in scenario.forbids if f.value not in dropped]
    return dataclasses.replace(scenario, overrides=overrides, disabled=disabled, pins=pins,
                               forbids=forbids)


def candidates(facts: Facts, core: Core) -> tuple[list[Relaxation], list[str]]:
    """Lawful relaxations of the core's members (not yet verified), and what was ruled out."""
    found: list[Relaxation] = []
    skipped: list[str] = []
    seen: set[str] = set()

    def add(relaxation: Relaxation) -> None:
        key = repr(relaxation.overlay)
        if key not in seen:
            seen.add(key)
            found.append(relaxation)

    start = facts.rounds[0].start
    by_rule: dict[str, list[Instance]] = {}
    for member in core.members:
        if member.kind == "pin":
            add(Relaxation(f"drop the scenario's {member.label} ({member.basis})",
                           {"unpin": [member.cadres[0]]}, "the scenario's own pin",
                           member.cadres))
        elif member.kind == "forbid":
            forbid = {"cadre": member.cadres[0]}
            if member.posts:
                forbid["to"] = member.posts[0]
            add(Relaxation(f"drop the scenario's {member.label} ({member.basis})",
                           {"unforbid": [forbid]}, "the scenario's own forbid", member.cadres))
        else:
            by_rule.setdefault(member.rule_id, []).append(member)
    for rule_id, members in by_rule.items():
        rule = facts.ruleset.by_id(rule_id)
        for name, lawful in rule.spec.ranges.items():
            step = WIDENS.get((rule.kind, name))
            current = rule.param(name, start)
            if current is None:
                continue
            # the kind's own relax hook knows the smallest change that frees the cadres
            # (a tenure limit just past their horizon); it is kept only inside the range
            cadres = sorted({c for m in members for c in m.cadres})
            hooked = rule.impl.relax(rule, facts, cadres)
            if hooked is not None and name in hooked.params:
                needed = hooked.params[name]
                if not lawful.holds(needed):
                    skipped.append(f"{hooked.description}: {needed} would leave the lawful "
                                   f"range {lawful.describe()}")
                    continue
                values: list[float] = [needed]
            else:
                values = _range_values(current, lawful, step)
            for value in values:
                add(Relaxation(f"{rule_id}: {name} {current:g} → {value:g}, inside its lawful "
                               f"range {lawful.describe()}",
                               {"set": {rule_id: {name: _number(value)}}},
                               f"inside the range {lawful.describe()}"))
        if interpreted(rule):
            weight = facts.scenario.weights.overdue
            add(Relaxation(f"{rule_id} soft instead of hard (weight {weight:g}): its basis is "
                           "marked [I], an interpretation rather than the letter of the law",
                           {"set": {rule_id: {"severity": "soft", "weight": _number(weight)}}},
                           "an [I] rule (verified: false)",
                           # at least the cadres its core instances name (its refusals of
                           # them are what softening waives), so that it is not ranked
                           # ahead of dropping a forbid of the same cadre before it is tried
                           tuple(sorted({c for m in members for c in m.cadres}))))
        elif not rule.spec.ranges:
            hooked = rule.impl.relax(rule, facts, sorted({c for m in members for c in m.cadres}))
            because = f" ({hooked.description})" if hooked is not None else ""
            skipped.append(f"{rule_id} is not marked [I] and declares no lawful range, so it "
                           f"is not relaxed{because}")
    return found, skipped


def interpreted(rule: Rule) -> bool:
    """An [I] rule: the rule file says its basis is inferred, not checked (DOMAIN: ship it as a
    configurable parameter), so a planner may run it soft."""
    return not rule.spec.verified and "[I" in rule.basis


def _range_values(current: float, lawful: ParamRange, step: int | None) -> list[float]:
    """Values to try inside the range, nearest first, in the widening direction."""
    values: list[float] = []
    directions = [step] if step else [+1, -1]
    for direction in directions:
        bound = lawful.max if direction > 0 else lawful.min
        if bound is None:
            bound = current + direction * 12
        value = current + direction
        while (value <= bound if direction > 0 else value >= bound) and len(values) < 12:
            values.append(value)
            value += direction
    return values


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def search(facts: Facts, core: Core, ruleset_loader: Callable[[Scenario], RuleSet],
           time_limit_s: float | None = None, want: int = 3) -> RelaxationSearch:
    """Verify the core's lawful relaxations by re-planning, fewest cadres touched first."""
    limit = time_limit_s if time_limit_s is not None else facts.scenario.solver.time_limit_s
    with deadline.scope(limit) as until:
        return _search(facts, core, ruleset_loader, until, want)


def _search(facts: Facts, core: Core, ruleset_loader: Callable[[Scenario], RuleSet],
            until: deadline.Deadline, want: int) -> RelaxationSearch:
    from planner.errors import InputError
    from planner.solver.run import NoPlanInTime, PinConflict, solve_workspace

    started = time.perf_counter()
    result = RelaxationSearch()
    tries, result.skipped = candidates(facts, core)
    result.candidates = len(tries)
    before = set(facts.due_cadres)
    prepared = []
    for attempt in tries:
        if until.expired():  # loading each variant's rules takes time too
            result.timed_out = True
            break
        scenario = apply_overlay(facts.scenario, attempt.overlay)
        try:
            relaxed = Facts(scenario, ruleset_loader(scenario))
        except InputError as error:
            result.skipped.append(f"{attempt.description}: {error}")
            continue
        flips = before ^ set(relaxed.due_cadres)
        attempt.touched = tuple(sorted(set(attempt.touched) | flips))
        prepared.append((attempt, relaxed))
    # fewest cadres touched first; a dropped pin/forbid before a rule change on a tie
    prepared.sort(key=lambda pair: (len(pair[0].touched), "set" in pair[0].overlay))
    settled: set[str] = set()  # (rule, parameter) pairs a verified value was found for
    for attempt, relaxed in prepared:
        if _parameter(attempt) in settled:
            continue  # a nearer value of the same parameter already plans
        remaining = until.remaining()
        if remaining <= 0 or len(result.found) >= want:
            result.timed_out = result.timed_out or remaining <= 0
            break
        relaxed = Facts(dataclasses.replace(relaxed.scenario, solver=relaxed.scenario.solver
                                            .model_copy(update={"time_limit_s": max(
                                                min(remaining, relaxed.scenario.solver
                                                    .time_limit_s), 1.0)})),
                        relaxed.ruleset)
        began = time.perf_counter()
        try:
            solved = solve_workspace(relaxed)
            stuck = [u.cadre for u in solved.plan.unplaced
                     if (due := relaxed.due(u.cadre)) is not None and due.rule.hard]
            attempt.verified = not stuck and not solved.report.hard
            if not attempt.verified:
                attempt.note = ("still infeasible: " + ", ".join(stuck)) if stuck else (
                    "still breaks " + ", ".join(sorted({v.rule_id for v in solved.report.hard})))
            else:
                softened = _softened(attempt)
                named = {c for v in solved.report.violations if v.rule_id in softened
                         for c in v.cadres}
                attempt.touched = tuple(sorted(set(attempt.touched) | named))
        except PinConflict as conflict:
            attempt.verified = False
            attempt.note = "; ".join(conflict.messages)
        except NoPlanInTime as timeout:
            attempt.verified = None
            attempt.note = str(timeout)
            result.timed_out = result.timed_out or until.expired()
        attempt.seconds = time.perf_counter() - began
        result.tried.append(attempt)
        if attempt.verified:
            result.found.append(attempt)
            if _parameter(attempt):
                settled.add(_parameter(attempt))
    result.found.sort(key=lambda r: (len(r.touched), "set" in r.overlay))
    result.seconds = time.perf_counter() - started
    return result


def _parameter(attempt: Relaxation) -> str:
    """'rule.param' for a parameter change (severity changes and drops give '')."""
    for rule_id, fields in attempt.overlay.get("set", {}).items():
        names = [n for n in fields if n not in ("severity", "weight")]
        if names:
            return f"{rule_id}.{names[0]}"
    return ""


def _softened(attempt: Relaxation) -> set[str]:
    return {rule_id for rule_id, fields in attempt.overlay.get("set", {}).items()
            if fields.get("severity") == "soft"}


def overlay_yaml(overlay: dict[str, Any]) -> list[str]:
    """An overlay as scenario.yaml lines a planner pastes (flow style, one key a line)."""
    return [f"{key}: {flow_yaml(value)}" for key, value in overlay.items()]


def flow_yaml(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {flow_yaml(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(flow_yaml(v) for v in value) + "]"
    return str(value)


def describe_search(search_result: RelaxationSearch) -> list[str]:
    lines = []
    if search_result.timed_out:
        best = (f"best found: {search_result.found[0].description}" if search_result.found
                else "none verified yet")
        lines.append(f"  time limit reached while searching relaxations: "
                     f"{len(search_result.tried)} of {search_result.candidates} tried; {best}")
    if search_result.found:
        lines.append(f"  lawful relaxations that plan (verified by re-planning; "
                     f"{len(search_result.tried)} tried, {search_result.seconds:.1f} s), "
                     "fewest cadres touched first:")
        for number, found in enumerate(search_result.found, 1):
            touched = ", ".join(found.touched) or "none"
            lines.append(f"    {number}. {found.description} — touches {len(found.touched)} "
                         f"cadre(s): {touched}")
            lines.append("       as an overlay (a scenario.yaml with `extends:` this one):")
            lines += [f"         {line}" for line in overlay_yaml(found.overlay)]
    elif not search_result.timed_out:
        lines.append("  no lawful relaxation found"
                     + (" within the time limit" if search_result.timed_out else "")
                     + f" ({len(search_result.tried)} tried, {search_result.seconds:.1f} s)")
    for attempt in search_result.tried:
        if not attempt.verified:
            lines.append(f"    tried: {attempt.description} — {attempt.note}")
    for reason in search_result.skipped:
        lines.append(f"    not suggested: {reason}")
    return lines


def rule_of(facts: Facts, rule_id: str) -> Rule | None:
    return next((r for r in facts.ruleset.rules if r.id == rule_id), None)
