"""What each objective weight means, which ones act in a scenario, and the warnings for
those that cannot (so a weight never silently does nothing).

- `overdue`: per round a cadre due under a *soft* tenure limit moves late (or stays, to the
  horizon's end). Hard limits cannot be late: a due cadre left in place makes the plan
  infeasible, whatever the weight — so with only hard limits it has no effect.
- `vacancy`: per round a post stays vacant, when no `vacancy` rule is active; an active
  vacancy rule prices vacancies itself (its `weight` × the post's priority, as its checker
  counts them), so change that rule's weight with `set: {rule: {weight: W}}` instead.
- `skill_fit`: subtracted per skill the cadre brings that the destination lists.
- `disruption`: per round a move comes before it is due (a cadre not due: the whole horizon).
- each soft rule: its `weight` (per unit of its violation), overridable per scenario with
  `set: {rule: {weight: W}}`, and `severity` likewise (`soft` needs a weight).
"""

from __future__ import annotations

from typing import Any

from planner.facts import Facts

MEANINGS = {
    "overdue": "per round a cadre due under a soft tenure limit moves late (or stays)",
    "vacancy": "per round a post stays vacant (only without an active vacancy rule)",
    "skill_fit": "subtracted per skill the cadre brings that the post lists",
    "disruption": "per round a move comes before it is due (not due: the whole horizon)",
}


def acting(facts: Facts) -> dict[str, bool]:
    """Whether each scenario weight can change the plan in this scenario."""
    tenure = facts.ruleset.with_hook("due")
    return {
        "overdue": any(not r.hard for r in tenure),
        "vacancy": not facts.ruleset.of_kind("vacancy"),
        "skill_fit": True,
        "disruption": True,
    }


def weight_notes(facts: Facts) -> list[str]:
    """Warnings for weights the scenario sets that have no effect here, and for `set`
    overrides that change nothing (from the rule files' loading)."""
    notes = list(facts.ruleset.notes)
    explicit = facts.scenario.weights.model_fields_set
    works = acting(facts)
    where = str(facts.scenario.path)
    if "overdue" in explicit and not works["overdue"]:
        notes.append(f"{where}: weights.overdue has no effect: every tenure limit is hard "
                     "(a due cadre cannot be late; left in place, the plan is infeasible)")
    if "vacancy" in explicit and not works["vacancy"]:
        ids = [r.id for r in facts.ruleset.of_kind("vacancy")]
        rules = ", ".join(ids)
        # a pasteable `set:` (one entry per rule: `{a, b: …}` would be YAML for a: null)
        overlay = ", ".join(f"{i}: {{weight: W}}" for i in ids)
        notes.append(f"{where}: weights.vacancy has no effect: the vacancy "
                     f"{'rules' if len(ids) > 1 else 'rule'} {rules} "
                     f"{'price' if len(ids) > 1 else 'prices'} vacant rounds (set: "
                     f"{{{overlay}}} to change it)")
    return notes


def weights_document(facts: Facts) -> dict[str, Any]:
    """Each objective term's weight and meaning, for plan.yaml and the report."""
    works = acting(facts)
    weights = facts.scenario.weights
    terms: dict[str, Any] = {
        name: {"weight": getattr(weights, name), "acts": works[name], "meaning": meaning}
        for name, meaning in MEANINGS.items()}
    soft = {r.id: {"weight": r.weight, "label": r.label} for r in facts.ruleset.active
            if not r.hard}
    return {"terms": terms, "soft_rules": soft}
