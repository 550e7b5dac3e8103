"""One call to load a scenario with its rules and derived facts (what every command needs)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from planner.errors import InputError, Problem
from planner.facts import Facts
from planner.rulefiles import load_ruleset, replaced_notes
from planner.ruleset import RuleSet, dated_gaps
from planner.scenario import Scenario, load_scenario


@dataclass
class Workspace:
    scenario: Scenario
    ruleset: RuleSet
    facts: Facts


def load_rules_for(scenario: Scenario) -> RuleSet:
    """The scenario's rule files with its `set`, `disable` and `enable` applied, warned
    (`notes`) where a file's `replaced_by` took effect before the horizon starts."""
    ruleset = load_ruleset(
        scenario.rule_paths,
        scenario.overrides,
        scenario.override_origins,
        disable=[(d.value, d.file, d.line) for d in scenario.disabled],
        enable=[(e.value, e.file, e.line) for e in scenario.enabled],
    )
    ruleset.notes += replaced_notes(ruleset, scenario.horizon.start)
    return ruleset


def load_workspace(path: Path) -> Workspace:
    """Load and validate a scenario, its roster and its rules; InputError on bad input."""
    try:
        scenario = load_scenario(path)
    except InputError as failed:
        raise InputError([*failed.problems, *independent_problems(path)]) from None
    ruleset = load_rules_for(scenario)
    gaps = dated_gaps(ruleset, scenario.horizon.start)
    if gaps:
        raise InputError(gaps)
    return Workspace(scenario, ruleset, Facts(scenario, ruleset))


def independent_problems(path: Path) -> list[Problem]:
    """When a scenario fails to load, the problems of its roster and rule files too, where
    the scenario's own mistake does not stop them being read: one run reports them all."""
    from planner.roster_io import load_roster
    from planner.yamlio import read_yaml

    actions: list[Callable[[], object]] = []
    try:
        scenario = load_scenario(path, with_roster=False)
        actions.append(lambda: load_rules_for(scenario))  # the roster failed: rules too?
    except InputError:
        try:
            raw, _locate = read_yaml(path)
        except InputError:
            return []
        if not isinstance(raw, dict):
            return []
        if isinstance(raw.get("data"), str):
            roster_path = path.parent / raw["data"]
            actions.append(lambda: load_roster(roster_path))
        rules = raw.get("rules")
        if isinstance(rules, list) and rules and all(isinstance(r, str) for r in rules):
            actions.append(lambda: load_ruleset([path.parent / r for r in rules]))
    found: list[Problem] = []
    for action in actions:
        try:
            action()
        except InputError as exc:
            found += exc.problems
        except Exception:  # a second opinion only: the first error stands
            continue
    return found
