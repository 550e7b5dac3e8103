"""The Python API (`planner.api`): one function per command, returning domain objects that
the CLI only formats. Each test runs a function on the demo and checks what a caller of the
library relies on, and that the CLI says the same thing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import DEMO

from planner import api
from planner.cli import main
from planner.errors import InputError

SCENARIO = DEMO / "scenario.yaml"
IMPOSSIBLE = DEMO.parent / "impossible" / "scenario.yaml"


@pytest.fixture(scope="module")
def demo_plan(tmp_path_factory: pytest.TempPathFactory) -> tuple[api.PlanOutcome, Path]:
    outcome = api.plan(SCENARIO)
    folder = api.write_plan(outcome, tmp_path_factory.mktemp("api") / "plan")
    return outcome, folder


def test_validate_returns_the_workspace_and_the_counts_the_cli_prints():
    validation = api.validate(SCENARIO)
    assert validation.summary["cadres"] == len(validation.workspace.scenario.roster.cadres)
    printed = json.loads(CliRunner().invoke(main, ["validate", str(SCENARIO), "--json"]).output)
    assert printed == json.loads(json.dumps(validation.summary, default=str))


def test_plan_returns_a_checked_plan_and_writes_the_plan_folder_only_when_asked(
        demo_plan: tuple[api.PlanOutcome, Path]):
    outcome, folder = demo_plan
    assert outcome.status in ("optimal", "feasible")
    assert outcome.result.report.ok and outcome.stuck == []
    assert sorted(p.name for p in folder.iterdir()) == [".rotation-plan", "moves.csv",
                                                        "plan.yaml", "unplaced.csv"]
    assert outcome.document["kpis"]["moves"] == len(outcome.plan.moves)


def test_check_of_the_written_plan_agrees_with_the_solver(
        demo_plan: tuple[api.PlanOutcome, Path]):
    outcome, folder = demo_plan
    checked = api.check(SCENARIO, folder)
    assert checked.report.ok
    assert [m.cadre for m in checked.plan.moves] == [m.cadre for m in outcome.plan.moves]


def test_plan_from_an_earlier_plan_keeps_its_moves(demo_plan: tuple[api.PlanOutcome, Path]):
    outcome, folder = demo_plan
    again = api.plan(SCENARIO, previous=folder)
    assert again.document["previous"]["kept"] == len(outcome.plan.moves)
    assert again.dropped == []


@pytest.fixture(scope="module")
def impossible() -> api.PlanOutcome:
    return api.plan(IMPOSSIBLE)


def test_an_impossible_scenario_is_infeasible_with_a_verified_relaxation(
        impossible: api.PlanOutcome):
    outcome = impossible
    assert outcome.status == "infeasible"
    assert outcome.stuck == ["C006"]
    assert outcome.relaxation is not None and outcome.relaxation.verified
    record = outcome.document["infeasibility"]
    assert record["stuck"][0]["cadre"] == "C006"
    assert record["relaxation"]["verified"] is True
    assert "C006" in outcome.infeasibility()


def test_the_report_of_an_infeasible_plan_opens_with_the_conflict_and_the_relaxation(
        impossible: api.PlanOutcome, tmp_path: Path):
    outcome = impossible
    folder = api.write_plan(outcome, tmp_path / "impossible")
    html = api.report(folder, IMPOSSIBLE).html
    banner = html.split("id='infeasible'>", 1)[1].split("</section>", 1)[0]
    assert "KHÔNG KHẢ THI" in banner and "C006" in banner
    assert outcome.relaxation is not None and outcome.relaxation.verified
    assert "đã kiểm chứng" in banner  # verified, with the overlay to paste
    assert "unforbid" in banner or "disable" in banner or "set:" in banner
    assert "/work/" not in banner and str(Path.cwd()) not in html  # no absolute path
    # the objective (a large number when infeasible) is only in the appendix
    objective = api.report(folder, IMPOSSIBLE, lang="en").data.document["objective"]
    head = html.split("id='appendix'", 1)[0]
    from planner.i18n import format_number

    assert format_number(objective, "vi") not in head


def test_explain_returns_the_reasons_as_lines(demo_plan: tuple[api.PlanOutcome, Path]):
    outcome, folder = demo_plan
    moved = outcome.plan.moves[0]
    explanation = api.explain(SCENARIO, folder, moved.cadre)
    assert explanation.lines[0].startswith(moved.cadre)
    assert any(moved.to_position in line for line in explanation.lines)


def test_explain_of_an_unknown_cadre_is_bad_input(demo_plan: tuple[api.PlanOutcome, Path]):
    _outcome, folder = demo_plan
    with pytest.raises(InputError, match="C99"):
        api.explain(SCENARIO, folder, "C999")


def test_compare_a_plan_with_itself_has_no_move_differences(
        demo_plan: tuple[api.PlanOutcome, Path]):
    _outcome, folder = demo_plan
    comparison = api.compare([folder, folder])
    assert list(comparison.diffs.values()) == [[]]


def test_report_and_apply_return_objects_without_printing(
        demo_plan: tuple[api.PlanOutcome, Path], tmp_path: Path):
    _outcome, folder = demo_plan
    built = api.report(folder, SCENARIO, lang="en")
    assert built.html.startswith("<!DOCTYPE html>")
    applied = api.apply(SCENARIO, folder, tmp_path / "next")
    assert applied.report.ok
    assert (tmp_path / "next" / "scenario.yaml").exists()
    assert applied.applied.counts()["moved"] >= 1
