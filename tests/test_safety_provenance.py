"""Provenance independent of where a command runs: plan.yaml names inputs relative to the
scenario, holds no absolute machine path, and its run hash covers the `--from` plan."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import copy_repo_inputs

from planner.cli import main
from planner.planio import provenance, yaml_text
from planner.workspace import load_workspace


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return copy_repo_inputs(tmp_path / "work")


def provenance_from(folder: Path, scenario: str, monkeypatch: pytest.MonkeyPatch,
                    previous: Path | None = None) -> dict[str, object]:
    monkeypatch.chdir(folder)
    return provenance(load_workspace(Path(scenario)).facts, previous)


def test_provenance_is_the_same_from_any_folder_and_holds_no_absolute_path(
        root: Path, monkeypatch: pytest.MonkeyPatch):
    from_root = provenance_from(root, "scenarios/demo/scenario.yaml", monkeypatch)
    from_inside = provenance_from(root / "scenarios/demo", "scenario.yaml", monkeypatch)
    from_rules = provenance_from(root / "rules", "../scenarios/demo/scenario.yaml", monkeypatch)
    assert from_root == from_inside == from_rules
    text = yaml_text(from_root)
    assert str(root) not in text and "/tmp" not in text
    assert all(not os.path.isabs(name) for name in from_root["inputs"])  # type: ignore[union-attr]


def test_the_run_hash_covers_the_from_plan(root: Path, monkeypatch: pytest.MonkeyPatch):
    moves = root / "scenarios/demo/moves"
    scenario = "scenarios/demo/scenario.yaml"
    plain = provenance_from(root, scenario, monkeypatch)
    clean = provenance_from(root, scenario, monkeypatch, moves / "clean.csv")
    other = provenance_from(root, scenario, monkeypatch, moves / "relatives.csv")
    assert len({plain["run_hash"], clean["run_hash"], other["run_hash"]}) == 3
    assert provenance_from(root, scenario, monkeypatch, moves / "clean.csv") == clean


def test_the_same_plan_from_another_folder_gives_a_byte_identical_plan_yaml(
        root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    out = tmp_path / "out"
    monkeypatch.chdir(root)
    first = CliRunner().invoke(main, ["plan", "scenarios/demo/scenario.yaml", "-o",
                                      str(out / "a")])
    monkeypatch.chdir(root / "scenarios/demo")
    second = CliRunner().invoke(main, ["plan", "scenario.yaml", "-o", str(out / "b")])
    assert first.exit_code == 0 and second.exit_code == 0, first.output + second.output
    assert (out / "a/plan.yaml").read_bytes() == (out / "b/plan.yaml").read_bytes()
    assert (out / "a/moves.csv").read_bytes() == (out / "b/moves.csv").read_bytes()


def test_report_finds_the_scenario_of_a_plan_made_from_another_folder(
        root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(root / "scenarios/demo")
    made = CliRunner().invoke(main, ["plan", "scenario.yaml", "-o", str(tmp_path / "p")])
    assert made.exit_code == 0, made.output
    monkeypatch.chdir(tmp_path)
    reported = CliRunner().invoke(main, ["report", "p", "-o", "r.html"])
    assert reported.exit_code == 0, reported.output + reported.stderr
    assert (tmp_path / "r.html").is_file() and (tmp_path / "r.xlsx").is_file()
