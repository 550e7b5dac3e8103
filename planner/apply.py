"""`rotation apply`: the roster as it stands after a plan, and a scenario for the next cycle.

Applying a plan to a scenario's roster (with its what-if patches) gives the organisation at
the end of the horizon, which is where the next planning cycle starts:

- A cadre moved by rotation, transfer or position change holds the new post from the move's
  start (`position_start`), so tenure and adaptation restart there; the post they left gets
  a history row `cadre, old post, old start, move start, form` (the form by which they left
  it, as in the demo's history.csv).
- A secondment that ends within the horizon leaves the cadre in their home post (they kept
  it throughout, on the sender's payroll); a history row records the secondment with its
  start, end and form `secondment`. A secondment still running when the horizon ends holds
  both posts into the next cycle: the cadre keeps their home post and holds the destination
  as `secondment_post` until `secondment_end` (the return), with status `seconded` until the
  day before it (so the exemption rules keep them from other moves, and the existence rule
  keeps anyone else out of the destination). Extending it is an explicit move: a secondment
  to the same post with a later end. A move with an `end` is a secondment only (the checker
  refuses any other); this file never guesses a return for another form.
- A post that ended by the new start (planner.graph: existence) hands its holder to its
  successor post (keeping `position_start`: a merger is not a move); a holder of an
  abolished post the plan did not move stays recorded on it (awaiting assignment, with a
  note): the next cycle makes them due in its first round (the `existence` rule's holders
  half) and moves them out of it by the directions out of an abolished body, or reports
  them unplaced — a cadre without a post would be invisible to the plan.
- Cadres who reach retirement age (NĐ 135/2020) by the new start leave the roster, with
  their relations and history rows; a status whose `status_until` (its last day, inclusive)
  is before the new start reverts to active. Existence dates, successors, running
  secondments and deferrals are roster columns, so the next cycle reads them as they are.

The new scenario.yaml keeps the rule files — except one whose `replaced_by` takes effect by
the new start (Plan 188 for 2024–2025 gives way to rules/hanoi-2025.yaml on 1 Jul 2025), which
is replaced by its successors, with a note — `set`, `disable`, `enable`, weights and solver
settings, drops pins and forbids (they named rounds of the old horizon), and shifts the
horizon to start where the old one ended, with the same length and round.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from planner import outputs
from planner.calendar import add_months, months_between, retirement_date
from planner.errors import InputError, Problem
from planner.forms import covers_absence
from planner.graph import OrgGraph
from planner.models import Cadre, HistoryEntry, Horizon, Unit
from planner.plan import Plan
from planner.roster_io import Roster, write_atomically, write_roster
from planner.rulefiles import load_ruleset, rule_files_on
from planner.scenario import Scenario


@dataclass
class Applied:
    """The roster after the plan, the next cycle's horizon, and what changed."""

    roster: Roster
    horizon: Horizon
    moved: list[str] = field(default_factory=list)
    handed_over: list[str] = field(default_factory=list)
    awaiting_assignment: list[str] = field(default_factory=list)
    returned: list[str] = field(default_factory=list)
    still_seconded: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)
    status_reset: list[str] = field(default_factory=list)
    #: units of a locality that ended by the new start, carried on into its successor
    rehomed: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: the next cycle's rule files (`replaced_by` applied) and the rule ids they hold
    rules: list[Path] = field(default_factory=list)
    rule_ids: set[str] = field(default_factory=set)

    def counts(self) -> dict[str, int]:
        return {"moved": len(self.moved), "handed_to_successor_post": len(self.handed_over),
                "awaiting_assignment": len(self.awaiting_assignment),
                "returned_from_secondment": len(self.returned),
                "still_seconded": len(self.still_seconded), "retired": len(self.retired),
                "status_reset": len(self.status_reset),
                "units_rehomed_in_successor_locality": len(self.rehomed)}


def next_horizon(horizon: Horizon) -> Horizon:
    """The horizon of the next cycle: starts where this one ends, same length and rounds."""
    months = months_between(horizon.start, horizon.end)
    return Horizon(start=horizon.end, end=add_months(horizon.end, months), round=horizon.round)


def apply_plan(scenario: Scenario, plan: Plan) -> Applied:
    """The roster after `plan`; InputError if two cadres would end in one post."""
    roster = scenario.roster
    horizon = next_horizon(scenario.horizon)
    new_start = horizon.start
    applied = Applied(roster, horizon)
    cadres: dict[str, Cadre] = {c.id: c for c in roster.cadres}
    history: list[HistoryEntry] = list(roster.history)
    # a secondment from the last cycle that ends by the new start is over (unless extended)
    for cadre_id, cadre in list(cadres.items()):
        if cadre.secondment_post and cadre.secondment_end and cadre.secondment_end <= new_start \
                and cadre_id not in plan.move_by_cadre:
            cadres[cadre_id] = cadre.model_copy(update={"secondment_post": None,
                                                        "secondment_end": None})
            applied.returned.append(cadre_id)
    for move in plan.moves:
        cadre = cadres[move.cadre]
        if move.form == "secondment":
            end = move.end or scenario.horizon.end
            history.append(HistoryEntry(cadre=cadre.id, position=move.to_position,
                                        start=move.start, end=end, form="secondment"))
            if end <= new_start:
                cadres[cadre.id] = cadre.model_copy(update={"secondment_post": None,
                                                            "secondment_end": None})
                applied.returned.append(cadre.id)
            else:
                cadres[cadre.id] = cadre.model_copy(update={
                    "status": "seconded", "status_until": end - dt.timedelta(days=1),
                    "secondment_post": move.to_position, "secondment_end": end})
                applied.still_seconded.append(cadre.id)
                applied.notes.append(f"{cadre.id} is seconded to {move.to_position} until "
                                     f"{end - dt.timedelta(days=1)} and holds that post "
                                     "until then (secondment_post)")
            continue
        if cadre.position and cadre.position_start:
            history.append(HistoryEntry(cadre=cadre.id, position=cadre.position,
                                        start=cadre.position_start, end=move.start,
                                        form=move.form))
        cadres[cadre.id] = cadre.model_copy(update={"position": move.to_position,
                                                    "position_start": move.start})
        applied.moved.append(cadre.id)
    _hand_over_ended_posts(scenario, cadres, applied)
    _check_one_holder(cadres, plan)
    for cadre_id, cadre in list(cadres.items()):
        if retirement_date(cadre.birth_date, cadre.gender) <= new_start:
            del cadres[cadre_id]
            applied.retired.append(cadre_id)
            continue
        if cadre.status != "active" and cadre.status_until is not None \
                and cadre.status_until < new_start:
            cadres[cadre_id] = cadre.model_copy(update={"status": "active",
                                                        "status_until": None})
            applied.status_reset.append(cadre_id)
    gone = set(applied.retired)
    _next_rules(scenario, applied)
    applied.roster = Roster(
        localities=roster.localities, units=_rehome_units(roster, new_start, applied),
        positions=roster.positions,
        cadres=tuple(cadres.values()),
        relations=tuple(r for r in roster.relations if not {r.a, r.b} & gone),
        history=tuple(sorted((h for h in history if h.cadre not in gone),
                             key=lambda h: (h.cadre, h.start))),
        source=f"{roster.source} after {plan.source or 'the plan'}")
    return applied


def _rehome_units(roster: Roster, new_start: dt.date, applied: Applied) -> tuple[Unit, ...]:
    """Units that outlive their locality: a locality ended by the new start whose successor
    carries its units on (a district's offices in its seat ward, a merged ward's office in
    the ward it joined) is recorded in that successor in the next cycle, so a post there
    has the successor's level and place — not the level of a body that no longer exists,
    whose directions (ward ↔ district) the next cycle's rules no longer have."""
    locality = {loc.id: loc for loc in roster.localities}

    def carried_to(locality_id: str) -> str:
        seen = {locality_id}
        loc = locality[locality_id]
        while loc.valid_to is not None and loc.valid_to <= new_start and loc.successor \
                and loc.successor in locality and loc.successor not in seen:
            seen.add(loc.successor)
            loc = locality[loc.successor]
        return loc.id

    units = []
    for unit in roster.units:
        home = locality.get(unit.locality)
        if home is not None and (unit.valid_to is None or unit.valid_to > new_start):
            target = carried_to(unit.locality)
            if target != unit.locality:
                unit = unit.model_copy(update={"locality": target})
                applied.rehomed.append(unit.id)
        units.append(unit)
    if applied.rehomed:
        applied.notes.append(f"{len(applied.rehomed)} units of localities ended by "
                             f"{new_start} carry on in their successors and are recorded "
                             f"there (e.g. {applied.rehomed[0]})")
    return tuple(units)


def _next_rules(scenario: Scenario, applied: Applied) -> None:
    """The rule files of the next cycle, and notes for the `set`, `disable` and `enable`
    entries that name rules the replacing files no longer have (they are dropped)."""
    applied.rules, replaced = rule_files_on(scenario.rule_paths, applied.horizon.start)
    applied.notes += [f"rules: {note}" for note in replaced]
    applied.rule_ids = {rule.id for rule in load_ruleset(applied.rules).rules}
    named = [*scenario.overrides, *(d.value for d in scenario.disabled),
             *(e.value for e in scenario.enabled)]
    for rule_id in dict.fromkeys(named):
        if rule_id not in applied.rule_ids:
            applied.notes.append(f"rules: {rule_id} is not in the next cycle's rule files: "
                                 "its set/disable/enable entry is dropped")


def _hand_over_ended_posts(scenario: Scenario, cadres: dict[str, Cadre],
                           applied: Applied) -> None:
    """Holders of posts that ended by the new start: to the successor post, or left on
    the abolished one (awaiting assignment)."""
    graph = OrgGraph(scenario.roster)
    new_start = applied.horizon.start
    for cadre_id, cadre in list(cadres.items()):
        post = cadre.position
        if post is None or post not in scenario.roster.position_by_id:
            continue
        end = graph.window(post)[1]
        if end is None or end > new_start:
            continue
        target = graph.handed_to(post)
        while target and (graph.window(target)[1] or dt.date.max) <= new_start \
                and graph.handed_to(target):
            target = graph.handed_to(target)  # handed on again (two merges)
        if target:
            cadres[cadre_id] = cadre.model_copy(update={"position": target})
            applied.handed_over.append(cadre_id)
            continue
        # abolished: the holder stays recorded on the post it ended, so the next cycle
        # knows where they come from (the directions out of an abolished body) and places
        # them in its first round — or reports them unplaced, never drops them
        applied.awaiting_assignment.append(cadre_id)
        applied.notes.append(f"{cadre_id}'s post {post} ends on {end} and the plan did not "
                             "move them: awaiting assignment, due in the next cycle's first "
                             "round (still recorded on the abolished post)")


def _check_one_holder(cadres: dict[str, Cadre], plan: Plan) -> None:
    holders: dict[str, list[str]] = {}
    secondees: dict[str, list[Cadre]] = {}
    for cadre in cadres.values():
        for post in (cadre.position, cadre.secondment_post):
            if post:
                holders.setdefault(post, []).append(cadre.id)
        if cadre.secondment_post:
            secondees.setdefault(cadre.secondment_post, []).append(cadre)
    problems = []
    for post, ids in holders.items():
        found = secondees.get(post, [])
        if len(ids) == 2 and len(found) == 1 and covers_absence(cadres[next(
                i for i in ids if i != found[0].id)], found[0]):
            continue  # a secondee covers the away holder's post until they are back
        if len(ids) > 1:
            lines = [m.line for m in plan.moves if m.cadre in ids and m.line]
            problems.append(Problem(
                plan.source or "plan", lines[0] if lines else None, None, "to_position",
                f"after the plan {post} would have {len(ids)} holders ({', '.join(ids)}): "
                "the plan breaks the one-holder rule (see `rotation check`)"))
    if problems:
        raise InputError(problems)


def next_scenario(scenario: Scenario, applied: Applied, out_dir: Path) -> dict[str, Any]:
    """The next cycle's scenario.yaml contents (paths relative to `out_dir`)."""
    out = out_dir.resolve()
    horizon = applied.horizon
    document: dict[str, Any] = {
        "name": f"{scenario.name}-{horizon.start.year}",
        "title": f"{scenario.title or scenario.name} — chu kỳ tiếp theo từ {horizon.start}",
        "horizon": {"start": horizon.start, "end": horizon.end, "round": horizon.round},
        "data": "roster/",
        "rules": [Path(os.path.relpath(p, out)).as_posix() for p in applied.rules],
    }
    kept = applied.rule_ids
    overrides = {k: dict(v) for k, v in scenario.overrides.items() if k in kept}
    disabled = [d.value for d in scenario.disabled if d.value in kept]
    enabled = [e.value for e in scenario.enabled if e.value in kept]
    if overrides:
        document["set"] = overrides
    if disabled:
        document["disable"] = disabled
    if enabled:
        document["enable"] = enabled
    # only the weights the scenario set: a default written out would read as a choice (and
    # weights.vacancy, when a vacancy rule prices vacancies, warns that it has no effect)
    weights = scenario.weights.model_dump(include=scenario.weights.model_fields_set)
    if weights:
        document["weights"] = weights
    document["solver"] = scenario.solver.model_dump()
    return document


def scenario_text(document: dict[str, Any], scenario: Scenario, plan_source: str,
                  applied: Applied) -> str:
    from planner.planio import yaml_text

    header = [f"# Written by `rotation apply` from {scenario.path} and {plan_source}.",
              "# roster/ is the organisation after that plan: moved cadres hold their new",
              "# posts from the move's start, so tenure and adaptation carry over.",
              "# Pins and forbids of the earlier scenario are not carried over."]
    header += [f"# NOTE: {note}" for note in applied.notes]
    return "\n".join(header) + "\n" + yaml_text(document)


def write_applied(out_dir: Path, scenario: Scenario, applied: Applied, plan_source: str,
                  inputs: Iterable[Path] = ()) -> None:
    """Write roster/ and scenario.yaml into a fresh folder, then swap it into place.

    Refuses (`planner.outputs`) a folder that is not an earlier output of `rotation apply`
    or that holds anything the scenario reads: applying never overwrites input.
    """
    data = scenario.data_path
    read = [*scenario.files, *scenario.rule_paths, data,
            *(sorted(data.rglob("*")) if data.is_dir() else []), *inputs]
    target = outputs.check_folder(out_dir, outputs.APPLY, read)
    text = scenario_text(next_scenario(scenario, applied, target), scenario, plan_source,
                         applied)

    def fill(staging: Path) -> None:
        write_roster(applied.roster, staging / "roster")
        write_atomically(staging / "scenario.yaml", text)

    outputs.write_folder(target, outputs.APPLY, fill, read)
