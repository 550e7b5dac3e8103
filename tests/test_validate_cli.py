"""`rotation validate` on the demo and on bad input: counts, exit codes, no tracebacks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import DEMO, REPO, RULES, RosterFiles, tree_digest

from planner.cli import main


def rotation(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def test_validating_the_demo_prints_its_hand_counted_sizes():
    result = rotation("validate", str(DEMO / "scenario.yaml"))
    assert result.exit_code == 0, result.output
    assert "44 cadres, 48 positions, 4 vacant, 2 relative pairs" in result.output
    assert "6 rounds (2024-Q1 … 2025-Q2)" in result.output
    assert result.output.rstrip().endswith("valid")


def test_validate_json_parses_and_carries_the_counts():
    result = rotation("validate", "--json", str(DEMO / "scenario.yaml"))
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert (summary["cadres"], summary["positions"], summary["vacancies"]) == (44, 48, 4)
    assert summary["localities_by_level"] == {"city": 1, "commune": 4, "district": 2}
    assert summary["units_by_bloc"] == {"front": 4, "party": 5, "state": 8}
    # The three vacancies: one district deputy head, two ward posts.
    assert summary["vacancies_by_level"] == {"commune": 2, "district": 2}
    assert sum(summary["months_in_post_at_start"].values()) == 44
    # Hand-counted: C006 has held P-TH-NV-TP since 2015-08-01, 101 months on 2024-01-01.
    assert summary["months_in_post"]["C006"] == 101


def test_validating_leaves_every_input_file_unchanged(demo_scenario: Path):
    before = tree_digest(demo_scenario.parent)
    assert rotation("validate", str(demo_scenario)).exit_code == 0
    assert tree_digest(demo_scenario.parent) == before


def break_yaml(scenario: Path, roster: RosterFiles) -> tuple[Path, int]:
    scenario.write_text("name: t\nhorizon: {start: 2024-01-01\n  end: [\n", encoding="utf-8")
    return scenario, 3


def break_csv_row(scenario: Path, roster: RosterFiles) -> tuple[Path, int]:
    roster.set_cell("cadres", 5, "gender", "M")
    return roster.path("cadres"), 5


def break_reference(scenario: Path, roster: RosterFiles) -> tuple[Path, int]:
    roster.set_cell("positions", 10, "unit", "U-NOWHERE")
    return roster.path("positions"), 10


def break_encoding(scenario: Path, roster: RosterFiles) -> tuple[Path, int]:
    path = roster.path("units")
    path.write_bytes(path.read_bytes().replace("Quận ủy".encode(), b"Qu\xe2n \xfby", 1))
    return path, 2


def break_quote(scenario: Path, roster: RosterFiles) -> tuple[Path, int]:
    roster.set_cell("relations", 2, "relation", "spouse")
    path = roster.path("relations")
    path.write_text(path.read_text(encoding="utf-8").replace("C030,", '"C030,'), encoding="utf-8")
    return path, 3


@pytest.mark.parametrize(
    "breakage", [break_yaml, break_csv_row, break_reference, break_encoding, break_quote]
)
def test_bad_input_exits_2_naming_file_and_line_without_a_traceback(
    demo_scenario: Path, demo_roster: RosterFiles, breakage
):
    bad_file, line = breakage(demo_scenario, demo_roster)
    before = tree_digest(demo_scenario.parent)
    result = rotation("validate", str(demo_scenario))
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert f"{bad_file}:{line}" in result.output
    assert "problem" in result.output
    # Bad input is only read, never rewritten or "repaired".
    assert tree_digest(demo_scenario.parent) == before


def test_a_missing_scenario_file_exits_2(tmp_path: Path):
    result = rotation("validate", str(tmp_path / "nope.yaml"))
    assert result.exit_code == 2
    assert "Traceback" not in result.output and "file not found" in result.output


def test_generated_demo_roster_validates(tmp_path: Path):
    pytest.importorskip(
        "planner.generate", reason="planner.generate (the roster generator) is not written yet"
    )
    roster = tmp_path / "roster"
    generated = rotation("generate", "--preset", "demo", "--seed", "3", "-o", str(roster))
    assert generated.exit_code == 0, generated.output
    scenario = tmp_path / "scenario.yaml"
    scenario.write_text(
        "name: generated-demo\n"
        "horizon: {start: 2024-01-01, end: 2026-01-01, round: quarter}\n"
        f"data: roster/\nrules: [{RULES}]\n",
        encoding="utf-8",
    )
    result = rotation("validate", "--json", str(scenario))
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["cadres"] > 0


def test_the_repository_rules_path_exists_for_copied_scenarios():
    # Copies of the demo point at this file; if it moves, the copies above stop loading.
    assert RULES.is_file() and RULES.is_relative_to(REPO)
