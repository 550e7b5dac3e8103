"""The independent compliance checker: every rule's checker over a finished plan.

It never imports the solver. Besides the rule kinds it checks the plan's structure: a
position has at most one holder in every round, and the scenario's pins and forbids hold.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from planner.facts import Facts
from planner.forms import away_posts
from planner.kinds.base import Timeline, Violation
from planner.models import Pin
from planner.plan import Plan

STRUCTURE_BASIS = "DESIGN §2.5: a position has at most one holder in every round"


@dataclass
class CheckReport:
    """Violations of a plan, hard first, grouped by rule in rule-file order."""

    violations: list[Violation] = field(default_factory=list)

    @property
    def hard(self) -> list[Violation]:
        return [v for v in self.violations if v.hard]

    @property
    def soft(self) -> list[Violation]:
        return [v for v in self.violations if not v.hard]

    @property
    def ok(self) -> bool:
        return not self.hard

    def by_rule(self) -> dict[str, list[Violation]]:
        grouped: dict[str, list[Violation]] = {}
        for item in self.violations:
            grouped.setdefault(item.rule_id, []).append(item)
        return grouped

    def penalties(self) -> dict[str, float]:
        totals: dict[str, float] = {}
        for item in self.soft:
            totals[item.rule_id] = totals.get(item.rule_id, 0.0) + item.penalty
        return totals

    def counts(self) -> dict[str, int]:
        return dict(Counter(v.rule_id for v in self.violations))

    def verdict(self) -> str:
        if self.ok and not self.soft:
            return "compliant: no rule is violated"
        if self.ok:
            return (f"compliant with every hard rule; {len(self.soft)} soft penalties "
                    f"(total {sum(self.penalties().values()):g})")
        rules = len({v.rule_id for v in self.hard})
        return f"NOT compliant: {len(self.hard)} hard violations of {rules} rules"

    def as_dict(self) -> dict[str, Any]:
        return {"verdict": self.verdict(), "ok": self.ok, "hard": len(self.hard),
                "soft": len(self.soft), "penalties": self.penalties(),
                "violations": [v.as_dict() for v in self.violations]}


def check_plan(facts: Facts, plan: Plan) -> CheckReport:
    """Run every active rule's checker and the structural checks on a plan."""
    found: list[Violation] = []
    found += structure_violations(facts, plan)
    for rule in facts.ruleset.active:
        found += rule.impl.check(rule, facts, plan)
    order = {rule.id: index for index, rule in enumerate(facts.ruleset.rules)}
    found.sort(key=lambda v: (not v.hard, order.get(v.rule_id, -1)))
    return CheckReport(found)


def structure_violations(facts: Facts, plan: Plan) -> list[Violation]:
    """Two holders of one post in a round; pins missing; forbidden moves present."""
    found: list[Violation] = []
    timeline = Timeline.of(facts, plan)
    # only posts a move enters (or a secondment keeps) can get a second holder; their
    # possible holders are the movers and the posts' holders at the start
    touched: set[str] = set()
    for planned in plan.moves:
        touched.add(planned.to_position)
        if planned.form == "secondment" and planned.from_position:
            touched.add(planned.from_position)
    holder_of = facts.roster.holder_by_position
    relevant = sorted({m.cadre for m in plan.moves} | {holder_of[p] for p in touched
                                                        if p in holder_of})
    # a holder away for a known period (study, illness…) leaves the post to a secondee
    # until they return; any other arrival, or a secondment past the return, is a second
    # holder
    away = away_posts(facts)
    for planned in plan.moves:
        until = away.get(planned.to_position)
        if until is None or planned.start >= until or planned.cadre == holder_of[
                planned.to_position]:
            continue
        if planned.form != "secondment" or planned.end is None or planned.end > until:
            found.append(Violation(
                "structure.one-holder", "Mỗi vị trí tối đa một người đảm nhiệm",
                STRUCTURE_BASIS, "hard",
                f"{planned.to_position}'s holder {holder_of[planned.to_position]} is away, "
                f"back on {until}: only a secondment ending by then may fill it, not "
                f"{planned.cadre}'s {planned.form}"
                + (f" ending {planned.end}" if planned.end else ""),
                cadres=(planned.cadre, holder_of[planned.to_position]),
                positions=(planned.to_position,), rounds=(planned.round,)))
    for round_ in facts.rounds:
        posts: dict[str, list[str]] = {}
        for cadre_id in relevant:
            post = timeline.post_of(cadre_id, round_.index)
            if (post in away and holder_of.get(post) == cadre_id
                    and round_.start < away[post]):
                continue  # away: the secondee (if any) holds the post
            if post is not None and post in touched:
                posts.setdefault(post, []).append(cadre_id)
            move = plan.move_by_cadre.get(cadre_id)
            if move and move.form == "secondment" and move.round_index <= round_.index \
                    and move.from_position and (move.end is None or round_.start < move.end) \
                    and not (move.from_position in away and round_.start < away[
                        move.from_position] and holder_of.get(move.from_position) == cadre_id):
                # the seconded cadre's home post stays theirs while they are away
                posts.setdefault(move.from_position, []).append(cadre_id)
        for post, holders in posts.items():
            if len(holders) > 1:
                found.append(Violation(
                    "structure.one-holder", "Mỗi vị trí tối đa một người đảm nhiệm",
                    STRUCTURE_BASIS, "hard",
                    f"{post} has {len(holders)} holders in {round_.name}: {', '.join(holders)}",
                    amount=len(holders) - 1, unit="extra holders", cadres=tuple(holders),
                    positions=(post,), rounds=(round_.name,)))
    for planned in plan.moves:
        if planned.end is not None and planned.form != "secondment":
            # only a secondment returns; a transfer with an end would be temporary here and
            # permanent in `rotation apply` — refuse it rather than guess
            found.append(Violation(
                "structure.end-only-secondment", "Chỉ biệt phái mới có thời hạn trở về",
                "Luật CBCC 2008 Đ.53; NĐ 170/2025/NĐ-CP: biệt phái có thời hạn, điều động, "
                "luân chuyển, chuyển đổi vị trí thì không", "hard",
                f"{planned.cadre}'s {planned.form} to {planned.to_position} has an end "
                f"({planned.end}): only a secondment returns (make it a secondment, or drop "
                "the end)", cadres=(planned.cadre,), positions=(planned.to_position,),
                rounds=(planned.round,)))
    for entry in facts.scenario.pins:
        pin: Pin = entry.value
        move = plan.move_by_cadre.get(pin.cadre)
        if (move is None or move.to_position != pin.to
                or (pin.round is not None and move.round != pin.round)
                or (pin.form is not None and move.form != pin.form)):
            found.append(Violation("scenario.pin", "Điều chuyển được chỉ định (pin)",
                                   f"{entry.file}:{entry.line}", "hard",
                                   f"pinned move {pin.cadre} → {pin.to}"
                                   f"{' in ' + pin.round if pin.round else ''} is not in the plan",
                                   cadres=(pin.cadre,), positions=(pin.to,)))
    for entry in facts.scenario.forbids:
        forbid = entry.value
        move = plan.move_by_cadre.get(forbid.cadre)
        if move is not None and (forbid.to is None or move.to_position == forbid.to):
            found.append(Violation("scenario.forbid", "Điều chuyển bị cấm (forbid)",
                                   f"{entry.file}:{entry.line}", "hard",
                                   f"forbidden move {forbid.cadre} → {move.to_position} is in "
                                   "the plan", cadres=(forbid.cadre,),
                                   positions=(move.to_position,)))
    return found
