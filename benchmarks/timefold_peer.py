"""The Timefold peer: the same options as planning entities solved by Timefold's local search.

A user who would not write an LP picks a constraint solver. Here every mover is a planning
entity whose planning variable is one of its own options (the judged candidate moves, the
entity's value range) or unassigned (stays); constraint streams score:
  hard  two movers take the same post in overlapping time (the later arrival before the
        earlier one's holder leaves is not modelled: any two arrivals at one post collide);
  hard  an arrival at a post whose holder (a mover) has not left by that round;
  hard  a hard-due mover left unassigned;
  soft  the option's cost (the LinearModel's objective, ×1000 as an integer), a soft-due
        mover's stay cost.
The coupled rules (adaptation caps, relatives, quotas) are not modelled: the checker then
counts what they find, which is the point of the row. Same time limit as the other peers.
Timefold is in the optional `[bench]` extra (`pip install -e '.[bench]'`; needs Java 17).
"""

import time
from dataclasses import dataclass, field  # no __future__ annotations: Timefold reads them
from typing import Annotated, Any

from timefold.solver import SolverFactory
from timefold.solver.config import (
    Duration,
    ScoreDirectorFactoryConfig,
    SolverConfig,
    TerminationConfig,
)
from timefold.solver.domain import (
    PlanningEntityCollectionProperty,
    PlanningId,
    PlanningScore,
    PlanningVariable,
    ValueRangeProvider,
    planning_entity,
    planning_solution,
)
from timefold.solver.score import (
    ConstraintFactory,
    HardSoftScore,
    Joiners,
    constraint_provider,
)


@dataclass
class Choice:
    id: Annotated[int, PlanningId]
    post: int
    round: int
    cost: int

@planning_entity
@dataclass
class Mover:
    id: Annotated[int, PlanningId]
    home: int
    stay_cost: int
    hard_due: bool
    options: Annotated[list[Choice], ValueRangeProvider(id="options")] = field(
        default_factory=list)
    choice: Annotated[Choice | None, PlanningVariable(
        value_range_provider_refs=["options"], allows_unassigned=True)] = None

@planning_solution
@dataclass
class Rotation:
    movers: Annotated[list[Mover], PlanningEntityCollectionProperty]
    score: Annotated[HardSoftScore | None, PlanningScore] = None

@constraint_provider
def constraints(factory: ConstraintFactory) -> list[Any]:
    return [
        factory.for_each_unique_pair(
            Mover, Joiners.equal(lambda m: m.choice.post))
        .penalize(HardSoftScore.ONE_HARD).as_constraint("one arrival per post"),
        factory.for_each(Mover)
        .join(factory.for_each_including_unassigned(Mover),
              Joiners.equal(lambda a: a.choice.post, lambda b: b.home))
        .filter(lambda a, b: a.id != b.id and (b.choice is None
                                               or b.choice.round > a.choice.round))
        .penalize(HardSoftScore.ONE_HARD).as_constraint("post still held"),
        factory.for_each_including_unassigned(Mover)
        .filter(lambda m: m.choice is None and m.hard_due)
        .penalize(HardSoftScore.ONE_HARD).as_constraint("hard-due cadre stays"),
        factory.for_each_including_unassigned(Mover)
        .filter(lambda m: m.choice is None and not m.hard_due)
        .penalize(HardSoftScore.ONE_SOFT, lambda m: m.stay_cost)
        .as_constraint("soft-due cadre stays"),
        factory.for_each(Mover)
        .penalize(HardSoftScore.ONE_SOFT, lambda m: m.choice.cost)
        .as_constraint("option cost"),
    ]


def solve_timefold(model: Any, candidate_set: Any, facts: Any, time_limit_s: float,
                   ) -> tuple[list[float], dict[str, Any]]:
    started = time.perf_counter()

    posts: dict[str, int] = {}
    movers: list[Mover] = []
    offset = min(model.costs[: model.num_candidates], default=0.0)
    for number, cadre_id in enumerate(candidate_set.movers):
        home = facts.cadre(cadre_id).position or ""
        due = facts.due(cadre_id)
        mover = Mover(number, posts.setdefault(home, len(posts)), int(
            1000 * facts.scenario.weights.overdue * len(facts.rounds)),
            due is not None and due.rule.hard)
        for column in model.by_cadre.get(cadre_id, []):
            candidate = model.candidates[column]
            choice = Choice(column, posts.setdefault(candidate.to_position, len(posts)),
                            candidate.round_index,
                            round(1000 * (model.costs[column] - offset)))
            mover.options.append(choice)
        movers.append(mover)
    built_s = time.perf_counter() - started
    config = SolverConfig(
        solution_class=Rotation, entity_class_list=[Mover],
        score_director_factory_config=ScoreDirectorFactoryConfig(
            constraint_provider_function=constraints),
        termination_config=TerminationConfig(
            spent_limit=Duration(seconds=max(1, int(time_limit_s - built_s)))))
    solver = SolverFactory.create(config).build_solver()
    ready_s = time.perf_counter() - started
    best = solver.solve(Rotation(movers))
    values = [0.0] * model.num_columns
    for mover in best.movers:
        if mover.choice is not None:
            values[mover.choice.id] = 1.0
    return values, {"translate_s": built_s, "solver_ready_s": ready_s,
                    "score": str(best.score), "solve_s": time.perf_counter() - started}
