"""`existence`: moves only into posts that exist, and holders of posts that end are placed.

A locality, unit or post exists in [`valid_from`, `valid_to`) (planner.graph). The rule has
two halves, both read by the candidate generator and the checker alike:

- a move's destination must exist for the whole stay: from the move's start to the
  secondment's return, or to the horizon's end for the other forms (a plan moves a cadre once,
  so a cadre moved into a post abolished inside the horizon would be left without one); a
  post promised to someone else (the successor of a held post, the destination of a
  secondment still running from the last cycle) takes no other move; a seconded cadre must
  have a home post to return to;
- the holder of a post that ends inside the horizon without a successor post is due by its
  end (their own due reason, "post ends"), and a plan that leaves them there breaks the rule
  by the rounds they would sit in a post that no longer exists. That half is a rule of its
  own (`holders: true, moves: false`), soft in rules/territory.yaml: when no lawful post is
  open the holder is reported (awaiting assignment, as the 2025 reorganisation allowed),
  never dropped silently; made hard, such a holder makes the plan infeasible.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable
from typing import TYPE_CHECKING

from pydantic import Field

from planner.i18n.messages import say
from planner.kinds.base import PASSES, Due, Params, RuleKind, Violation, violation
from planner.kinds.tenure_limit import HARD_STAY_COST
from planner.models import FORMS_EXCEPT_SECONDMENT, Cadre, Form
from planner.ruleset import Rule

if TYPE_CHECKING:
    from planner.facts import Facts
    from planner.linear import LinearModel
    from planner.plan import Move, Plan


class ExistenceParams(Params):
    form: Form = Field("transfer", description="the form a holder of an ending post moves by "
                       "first (điều động)")
    satisfied_by: list[Form] = Field(
        default_factory=lambda: list(FORMS_EXCEPT_SECONDMENT),
        description="forms that take a holder out of an ending post for good (a secondment "
        "returns to it, so it does not)")
    moves: bool = Field(True, description="judge moves: destinations must exist")
    holders: bool = Field(True, description="holders of posts that end are due by the end")


def post_end(facts: Facts, position_id: str) -> dt.date | None:
    """The day an abolished post ends (None if it lasts, or hands its holder to a successor)."""
    if facts.graph.handed_to(position_id):
        return None
    return facts.graph.window(position_id)[1]


def _holder(facts: Facts, position_id: str) -> Cadre | None:
    holder = facts.roster.holder_by_position.get(position_id)
    return facts.roster.cadre_by_id.get(holder) if holder is not None else None


def abolished_in_horizon(facts: Facts, position_id: str) -> bool:
    """True if the post is abolished before the horizon ends, so its holder is placed in
    this plan (the posts `due_by_end` makes their holders due for)."""
    end = post_end(facts, position_id)
    return end is not None and end < facts.rounds[-1].end


def due_by_end(rule: Rule, facts: Facts, cadre_id: str) -> Due | None:
    """The holder of a post abolished inside the horizon is due by the round of its end."""
    cadre = facts.cadre(cadre_id)
    if cadre.position is None or not rule.params.holders:
        return None
    end = post_end(facts, cadre.position)
    if end is None or end >= facts.rounds[-1].end or not rule.in_force(end):
        return None
    if not rule.selector.matches(facts.cadre_context(cadre_id)):
        return None
    # the last round that starts on or before the end: a move then leaves the post in time
    index = max([r.index for r in facts.rounds if r.start <= end] or [0])
    months = facts.months_in_post(cadre_id, facts.rounds[0].start) or 0
    return Due(rule, end, index, months, rule.params.form, tuple(rule.params.satisfied_by),
               f"post {cadre.position} ends on {end}")


def stay_end(facts: Facts, move: Move) -> dt.date:
    """The end of the stay a move's destination must exist for."""
    if move.form == "secondment" and move.end is not None:
        return move.end
    if move.form == "secondment":
        return move.start + dt.timedelta(days=1)
    return max(facts.rounds[-1].end, move.start + dt.timedelta(days=1))


class Existence(RuleKind):
    name = "existence"
    Params = ExistenceParams
    move_rule = True
    per_move = True
    vacates = True  # the holders' posts end

    def due(self, rule: Rule, facts: Facts, cadre_id: str) -> Due | None:
        return due_by_end(rule, facts, cadre_id)

    def cadre_class(self, rule: Rule, facts: Facts, cadre_id: str, form: str
                    ) -> Hashable | None:
        """The form and what the verdict reads of the cadre (the post is read whole)."""
        if not rule.params.moves:
            return PASSES
        cadre = facts.cadre(cadre_id)
        if cadre.secondment_post is not None:
            return None  # the post they are seconded to is theirs: judged post by post
        home = post_end(facts, cadre.position) if cadre.position and form == "secondment" \
            else None
        return form, home

    def post_class(self, rule: Rule, facts: Facts, to_position: str) -> Hashable:
        """The post's window and reservation, and (for a secondment's end) whether its
        holder is away and until when."""
        holder = _holder(facts, to_position)
        return (facts.graph.window(to_position), facts.graph.reserved.get(to_position),
                None if holder is None else (holder.status, holder.status_until))

    def judge_move(self, rule: Rule, facts: Facts, move: Move) -> Violation | None:
        if not rule.params.moves:
            return None
        graph = facts.graph
        start, end = graph.window(move.to_position)
        until = stay_end(facts, move)
        problem = None
        if start is not None and move.start < start:
            problem = f"{move.to_position} exists only from {start}"
        elif end is not None and end < until:
            problem = (f"{move.to_position} ends on {end}"
                       + (f", before the secondment's return on {move.end}"
                          if move.form == "secondment" else
                          f", before the horizon ends ({facts.rounds[-1].end}): the cadre "
                          "would need a second move"))
        reserved = graph.reserved.get(move.to_position)
        cadre = facts.cadre(move.cadre)
        if problem is None and reserved is not None and cadre.secondment_post != \
                move.to_position and (reserved[0] is None or move.start < reserved[0]):
            problem = f"{move.to_position} is {reserved[1]}"
        if problem is None and move.form == "secondment" and move.from_position:
            home_end = post_end(facts, move.from_position)
            if home_end is not None and home_end < until:
                problem = (f"the home post {move.from_position} ends on {home_end}, before the "
                           f"return on {until}")
        if problem is None:
            return None
        return violation(rule, say("{cadre} cannot move to {post} in {round}: {problem}",
                                   cadre=move.cadre, post=move.to_position, round=move.round,
                                   problem=problem), cadres=(move.cadre,),
                         positions=(move.to_position,), rounds=(move.round,))

    def encode(self, rule: Rule, facts: Facts, model: LinearModel) -> None:
        """A holder due by a post's end moves or stays at the rule's weight per round from the
        end to the horizon's end (a hard rule: at the price of an infeasible plan)."""
        for cadre_id in facts.due_cadres:
            due = facts.due(cadre_id)
            if due is None or due.rule.id != rule.id:
                continue
            if any(entry.value.cadre == cadre_id for entry in facts.scenario.pins):
                continue
            cost = HARD_STAY_COST if rule.hard else rule.weight * (
                len(facts.rounds) - due.round_index)
            stay = model.add_column(cost, 1.0, f"{cadre_id} stays in an ending post", rule.id)
            model.add_row([*((c, 1.0) for c in model.by_cadre.get(cadre_id, [])), (stay, 1.0)],
                          lower=1.0, label=f"{cadre_id} placed before {due.reached_on}",
                          rule=rule.id)

    def check(self, rule: Rule, facts: Facts, plan: Plan) -> list[Violation]:
        found = super().check(rule, facts, plan) if rule.params.moves else []
        last = len(facts.rounds)
        for cadre in facts.roster.cadres:
            due = due_by_end(rule, facts, cadre.id)
            if due is None:
                continue
            move = plan.move_by_cadre.get(cadre.id)
            if move is not None and move.form in rule.params.satisfied_by and \
                    move.start <= due.reached_on:
                continue
            how = ("is not moved" if move is None else
                   f"moves only by {move.form} in {move.round}")
            found.append(violation(
                rule, say("{cadre}'s post {post} ends on {day} and {cadre} {how}: awaiting "
                          "assignment (no lawful open post)", cadre=cadre.id,
                          post=cadre.position, day=due.reached_on, how=how),
                amount=last - due.round_index, unit="rounds in an ended post",
                cadres=(cadre.id,), positions=(cadre.position or "",),
                rounds=(facts.rounds[due.round_index].name,)))
        return found
