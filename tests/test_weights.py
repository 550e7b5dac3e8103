"""Weights that mean what they say (issue 12, point 5), end to end on the demo: an unknown
`weights:` key is refused with a did-you-mean, a soft rule's weight and severity change per
scenario through `set:`, an override or weight with no effect is warned about, and plan.yaml
shows each soft term's weight."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from planner.cli import main
from planner.workspace import load_workspace
from planner.yamlio import read_yaml

DEMO = Path(__file__).resolve().parents[1] / "scenarios" / "demo" / "scenario.yaml"


def overlay(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "scenario.yaml"
    path.write_text(f"extends: {DEMO}\n{body}", encoding="utf-8")
    return path


def test_an_unknown_weight_is_an_input_error_with_did_you_mean(tmp_path: Path) -> None:
    scenario = overlay(tmp_path, "weights: {vacncy: 5}\n")
    result = CliRunner().invoke(main, ["validate", str(scenario)])
    assert result.exit_code == 2
    assert "scenario.yaml:2" in result.output
    assert "weights.vacncy: unknown field 'vacncy' (did you mean 'vacancy'?)" in result.output


def test_a_soft_rules_weight_set_per_scenario_is_the_weight_the_plan_records(
        tmp_path: Path) -> None:
    scenario = overlay(tmp_path, "set: {skill-demand: {weight: 7}}\n")
    assert load_workspace(scenario).ruleset.by_id("skill-demand").weight == 7
    folder = tmp_path / "plan"
    result = CliRunner().invoke(main, ["plan", str(scenario), "-o", str(folder)])
    assert result.exit_code == 0, result.output
    document, _locate = read_yaml(folder / "plan.yaml")
    weights = document["weights"]
    assert weights["soft_rules"]["skill-demand"]["weight"] == 7
    # each objective term with its weight and whether it acts here
    assert weights["terms"]["skill_fit"]["weight"] == load_workspace(DEMO).facts.scenario \
        .weights.skill_fit
    assert weights["terms"]["vacancy"]["acts"] is False  # the demo's vacancy rules price it


def test_a_severity_set_per_scenario_makes_a_soft_rule_hard(tmp_path: Path) -> None:
    base = load_workspace(DEMO).ruleset.by_id("secretary-chair-not-together")
    assert not base.hard
    hard = load_workspace(overlay(tmp_path, "set: {secretary-chair-not-together: "
                                            "{severity: hard}}\n"))
    rule = hard.ruleset.by_id("secretary-chair-not-together")
    assert rule.hard
    # a hard rule carries no weight in plan.yaml's soft terms
    from planner.weights import weights_document

    assert "secretary-chair-not-together" not in weights_document(hard.facts)["soft_rules"]


def test_overrides_and_weights_with_no_effect_are_warned_about(tmp_path: Path) -> None:
    scenario = overlay(tmp_path, "weights: {vacancy: 5}\nset: {adaptation-share: {weight: 40}}\n")
    result = CliRunner().invoke(main, ["validate", str(scenario)])
    assert result.exit_code == 0, result.output
    # the rule file says 40 already
    assert "set.adaptation-share.weight = 40 has no effect (the rule file says the same)" \
        in result.output
    # the demo's vacancy rules price vacant rounds: the scenario weight does nothing, and the
    # advice is a `set:` one can paste
    assert "weights.vacancy has no effect: the vacancy rules vacancy-fill-leadership, " \
        "vacancy-fill price vacant rounds" in result.output
    assert "set: {vacancy-fill-leadership: {weight: W}, vacancy-fill: {weight: W}}" \
        in result.output


def test_no_bundled_scenario_warns_about_its_own_weights() -> None:
    """The scenarios shipped with the project set no weight that has no effect (they set
    `weights.vacancy` while vacancy rules price vacancies: a warning on every run). The
    generated rosters' scenarios are read for their `weights:` against their rule files'
    kinds (their rosters are not checked in)."""
    from planner.weights import weight_notes

    scenarios = DEMO.parents[1]
    for name in ("demo", "what-if", "impossible", "impossible-forbid", "impossible-pin",
                 "impossible-quota"):
        facts = load_workspace(scenarios / name / "scenario.yaml").facts
        assert weight_notes(facts) == [], name
    for path in sorted(scenarios.glob("*/scenario.yaml")):
        weights = read_yaml(path)[0].get("weights") or {}
        # every bundled rule set has vacancy rules (rules/appointment.yaml, skills.yaml)
        assert "vacancy" not in weights, path
