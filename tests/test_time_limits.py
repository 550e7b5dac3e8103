"""Every phase obeys the time limit: candidates, model, solve, conflict core and relaxation
search share one deadline made from `solver.time_limit_s`, and a run cut short says in
planner terms what it reached (issue 11).

The wall-clock tests check that the limit is obeyed, not how fast anything is: their bound
is twice the limit (the promise is limit × 1.2; the rest absorbs a loaded machine), against
runs that took 5–20 times the limit before. The tests of what a cut-short core or search
reports move the deadline's clock instead of waiting for it, so they are exact.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import copy_demo

from planner import api, deadline
from planner.cli import main
from planner.conflicts import Core, Instance, conflict_core, describe_core
from planner.relax import describe_search, search
from planner.solver import run as run_module
from planner.solver.run import NoPlanInTime
from planner.workspace import load_rules_for, load_workspace

REPO = Path(__file__).resolve().parents[1]
IMPOSSIBLE = REPO / "scenarios" / "impossible" / "scenario.yaml"
# before: ~195 s and 2.3–4.8 GB against a 20 s limit (issue 11)
TEN_YEARS_MONTHLY = "horizon: {start: 2024-01-01, end: 2034-01-01, round: month}\n"


def overlay(tmp_path: Path, base: Path, text: str) -> Path:
    path = tmp_path / "overlay.yaml"
    path.write_text(f"extends: {base}\nname: cut-short\n{text}", encoding="utf-8")
    return path


def long_horizon(tmp_path: Path, limit: float) -> Path:
    base = copy_demo(tmp_path / "demo")
    return overlay(tmp_path, base, TEN_YEARS_MONTHLY + f"solver: {{time_limit_s: {limit}}}\n")


class MovedClock:
    """The deadline module's clock, moved forward on demand (no waiting, no flakiness)."""

    def __init__(self) -> None:
        self.offset = 0.0

    def perf_counter(self) -> float:
        return time.perf_counter() + self.offset

    def run_out(self) -> None:
        self.offset += 1e6


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> MovedClock:
    moved = MovedClock()
    monkeypatch.setattr(deadline, "time", moved)
    return moved


# ------------------------------------------------------------------------ the deadline


def test_a_nested_scope_can_shorten_the_deadline_but_never_extend_it():
    with deadline.scope(10.0) as outer:
        with deadline.scope(1000.0) as inner:
            assert inner == outer
        with deadline.scope(0.5) as shorter:
            assert shorter.at < outer.at
            assert deadline.current() == shorter
        assert deadline.current() == outer
    assert deadline.current() is None


def test_check_passes_before_the_deadline_and_names_the_phase_after_it(clock: MovedClock):
    with deadline.scope(20.0):
        deadline.check("generating candidates", 3, 44, "cadres judged")
        clock.run_out()
        with pytest.raises(deadline.TimeLimitReached) as reached:
            deadline.check("generating candidates", 3, 44, "cadres judged")
    assert str(reached.value) == ("time limit of 20 s reached while generating candidates "
                                  "(3 of 44 cadres judged)")


def test_without_a_scope_nothing_is_limited(clock: MovedClock):
    clock.run_out()
    deadline.check("anything")
    assert deadline.remaining(7.0) == 7.0


# ------------------------------------------------------------------- whole runs, wall clock


def test_a_ten_year_monthly_horizon_stops_at_the_limit_and_says_which_phase(tmp_path: Path):
    limit = 5.0
    workspace = load_workspace(long_horizon(tmp_path, limit))
    started = time.perf_counter()
    with pytest.raises(NoPlanInTime) as stopped:
        api.plan(workspace)
    elapsed = time.perf_counter() - started
    assert elapsed < 2 * limit, f"{elapsed:.1f} s for a {limit:g} s limit"
    message = str(stopped.value)
    assert "time limit of 5 s reached while" in message
    assert "raise solver.time_limit_s" in message


def test_the_cli_reports_a_run_cut_short_in_planner_terms_with_exit_1(tmp_path: Path):
    result = CliRunner().invoke(main, ["plan", str(long_horizon(tmp_path, 3)), "-o",
                                       str(tmp_path / "plan")])
    assert result.exit_code == 1, result.output
    assert "NO PLAN: time limit of 3 s reached while" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "plan").exists()  # nothing half-made is written


def test_an_impossible_scenario_with_a_short_limit_stops_the_diagnosis_at_it(tmp_path: Path):
    """The conflict core and the relaxation search share the run's deadline (before they had
    one limit each: ~30 s for the impossible scenario whatever its limit)."""
    limit = 8.0
    workspace = load_workspace(overlay(tmp_path, IMPOSSIBLE,
                                       f"solver: {{time_limit_s: {limit}}}\n"))
    started = time.perf_counter()
    try:
        outcome = api.plan(workspace)
        text = outcome.infeasibility()
    except NoPlanInTime as stopped:  # a loaded machine may not even finish the plan
        text = str(stopped)
    elapsed = time.perf_counter() - started
    assert elapsed < 2 * limit, f"{elapsed:.1f} s for a {limit:g} s limit"
    assert "time limit" in text


# ------------------------------------------------------- what a cut-short phase reports


def test_a_core_cut_short_in_the_deletion_filter_is_marked_not_proven_irreducible(
        clock: MovedClock, monkeypatch: pytest.MonkeyPatch):
    from planner import conflicts

    original = conflicts._Strict.feasible

    def first_solve_then_out_of_time(self: conflicts._Strict, assumed: list[str],
                                     seconds: float) -> tuple[bool | None, list[str]]:
        found = original(self, assumed, seconds)
        clock.run_out()
        return found

    monkeypatch.setattr(conflicts._Strict, "feasible", first_solve_then_out_of_time)
    core = conflict_core(load_workspace(IMPOSSIBLE).facts, time_limit_s=600)
    assert core is not None and core.members  # infeasibility was proven by the first solve
    assert not core.irreducible and not core.verified
    assert core.solves == 1  # nothing was solved past the deadline
    line = describe_core(core)[0]
    assert "not proven irreducible: time limit of 600 s reached in the deletion filter" in line
    assert f"0 of {len(core.members)} members shown necessary" in line


def test_a_core_with_no_time_left_solves_nothing_and_says_so(clock: MovedClock):
    facts = load_workspace(IMPOSSIBLE).facts
    with deadline.scope(600):
        clock.run_out()
        core = conflict_core(facts)
    assert core is not None and core.members == [] and core.solves == 0
    [line] = describe_core(core)
    assert line.startswith("  (no conflict core: time limit of 600 s reached while ")
    assert line.endswith(", before any solve)")


def hand_made_core() -> Core:
    """A core of the impossible scenario written out (C006, due under the two-term rule, is
    forbidden to move), so the search can be tested without solving for it: the scenario's
    forbid, and a second forbid of one post, each dropped by its own relaxation."""
    def forbid(line: int, post: str | None) -> Instance:
        label = f"forbid C006 {'→ ' + post if post else 'any move'}"
        return Instance(f"forbid:scenarios/impossible/scenario.yaml:{line}", "forbid",
                        "scenario.forbid", label, f"scenarios/impossible/scenario.yaml:{line}",
                        "the scenario forbids this", ("C006",), (post,) if post else ())

    return Core([forbid(13, None), forbid(14, "P-TH-BTC-TB")], True, True, 4, 1.0)


def test_a_relaxation_search_cut_short_says_how_many_it_tried_and_the_best_found(
        clock: MovedClock, monkeypatch: pytest.MonkeyPatch):
    original = run_module.solve_workspace

    def replan_then_out_of_time(*args: object, **kwargs: object) -> run_module.PlanResult:
        found = original(*args, **kwargs)  # type: ignore[arg-type]
        clock.run_out()
        return found

    monkeypatch.setattr(run_module, "solve_workspace", replan_then_out_of_time)
    facts = load_workspace(IMPOSSIBLE).facts
    found = search(facts, hand_made_core(), load_rules_for, time_limit_s=600)
    assert found.timed_out
    assert len(found.tried) == 1 and found.candidates == 2
    assert found.found == found.tried and found.found[0].verified  # the one tried plans
    assert describe_search(found)[0] == (
        "  time limit reached while searching relaxations: 1 of 2 tried; best found: "
        + found.found[0].description)


def test_a_relaxation_search_with_no_time_left_tries_nothing_and_says_so(clock: MovedClock):
    facts = load_workspace(IMPOSSIBLE).facts
    with deadline.scope(600):
        clock.run_out()
        found = search(facts, hand_made_core(), load_rules_for)
    assert found.timed_out and found.tried == [] and found.found == []
    assert describe_search(found)[0] == (
        "  time limit reached while searching relaxations: 0 of 2 tried; none verified yet")
