"""Explanations in planner terms: why a cadre moves or stays, and why a plan is impossible."""

from __future__ import annotations

from typing import Any

from planner.facts import Facts


def explain_infeasible(facts: Facts, result: Any) -> str:
    """Which hard rules leave which due cadres without a place, and what to relax."""
    lines = ["INFEASIBLE under the hard rules — the conflicting rule instances:"]
    for unplaced in result.plan.unplaced:
        due = facts.due(unplaced.cadre)
        if due is None or not due.rule.hard:
            continue
        rule = due.rule
        lines.append(f"  • {unplaced.cadre} ({facts.cadre(unplaced.cadre).name}) is due under "
                     f"{rule.id} — {rule.label} [{rule.basis}] by "
                     f"{facts.rounds[due.round_index].name}: {unplaced.reason}")
        refusals = result.candidates.refusals.get(unplaced.cadre)
        for rule_id, count in (refusals.most_common(3) if refusals else []):
            other = facts.ruleset.by_id(rule_id)
            lines.append(f"      {rule_id} — {other.label} [{other.basis}] refused {count} "
                         "options")
    lines.append("  relax: make the tenure rule soft (severity: soft, weight: …) so late moves "
                 "are penalised instead of forbidden, or relax the refusing rules above")
    return "\n".join(lines)
