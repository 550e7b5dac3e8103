"""One call to load a scenario with its rules and derived facts (what every command needs)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from planner.facts import Facts
from planner.rulefiles import load_ruleset
from planner.ruleset import RuleSet
from planner.scenario import Scenario, load_scenario


@dataclass
class Workspace:
    scenario: Scenario
    ruleset: RuleSet
    facts: Facts


def load_rules_for(scenario: Scenario) -> RuleSet:
    """The scenario's rule files with its `set`, `disable` and `enable` applied."""
    return load_ruleset(
        scenario.rule_paths,
        scenario.overrides,
        scenario.override_origins,
        disable=[(d.value, d.file, d.line) for d in scenario.disabled],
        enable=[(e.value, e.file, e.line) for e in scenario.enabled],
    )


def load_workspace(path: Path) -> Workspace:
    """Load and validate a scenario, its roster and its rules; InputError on bad input."""
    scenario = load_scenario(path)
    ruleset = load_rules_for(scenario)
    return Workspace(scenario, ruleset, Facts(scenario, ruleset))
