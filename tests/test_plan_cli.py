"""`rotation plan`: the plan folder (DESIGN §2.5), its provenance, exit codes, atomic writes.

The demo is planned twice in fresh processes with different hash seeds (set and dict order
must not leak into a plan), once with `--json`; the tiny instance of test_planner shows the
infeasible case. Bad input and a failing write must leave no folder and no partial file.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from conftest import DEMO, REPO, RosterFiles, copy_demo, tree_digest
from ruamel.yaml import YAML
from test_planner import CADRES, NO_POSITION_CHANGE_RULES, write_tiny

from planner.cli import main
from planner.plan import Plan
from planner.planio import provenance, write_plan_folder
from planner.workspace import load_workspace

PLAN_FILES = ["moves.csv", "plan.yaml", "unplaced.csv"]
DEMO_SCENARIO = "scenarios/demo/scenario.yaml"


def rotation(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def read_yaml(path: Path) -> Any:
    return YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def demo_plans(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Two runs of `rotation plan` on the demo in separate processes (run from the
    repository, as a planner would): `json` with --json and hash seed 1, `plain` with 2."""
    folder = tmp_path_factory.mktemp("demo-plans")
    runs = {"json": ("1", ["--json"]), "plain": ("2", [])}
    processes = {}
    for name, (hash_seed, extra) in runs.items():
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        processes[name] = subprocess.Popen(
            [sys.executable, "-m", "planner", "plan", DEMO_SCENARIO, "-o",
             str(folder / name), *extra],
            cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    done: dict[str, Any] = {"folder": folder}
    for name, process in processes.items():
        stdout, stderr = process.communicate(timeout=300)
        done[name] = (process.returncode, stdout, stderr)
    return done


def test_plan_on_the_demo_exits_0_and_writes_the_three_plan_files(demo_plans):
    for name in ("json", "plain"):
        code, _stdout, stderr = demo_plans[name]
        assert code == 0, stderr
        names = sorted(p.name for p in (demo_plans["folder"] / name).iterdir())
        assert names == [".rotation-plan", *PLAN_FILES]
    assert "compliant" in demo_plans["plain"][1]
    header = (demo_plans["folder"] / "plain" / "moves.csv").read_text(encoding="utf-8")
    # the documented columns first and in order; then names beside the ids, for people
    assert header.splitlines()[0] == (
        "cadre,form,from_position,to_position,round,start,end,adaptation_until,rules,note,"
        "name,from_title,to_title,to_unit")


def test_two_runs_in_different_processes_write_byte_identical_files(demo_plans):
    folder = demo_plans["folder"]
    for name in PLAN_FILES:
        assert (folder / "json" / name).read_bytes() == (folder / "plain" / name).read_bytes()


def test_the_written_plan_passes_rotation_check(demo_plans):
    result = rotation("check", str(REPO / DEMO_SCENARIO), str(demo_plans["folder"] / "plain"))
    assert result.exit_code == 0, result.output
    document = read_yaml(demo_plans["folder"] / "plain" / "plan.yaml")
    assert f"checked {len(document['moves'])} moves" in result.output


def test_plan_yaml_records_the_sha256_of_every_input_and_a_run_hash(demo_plans):
    document = read_yaml(demo_plans["folder"] / "plain" / "plan.yaml")
    assert document["status"] == "optimal"
    record = document["provenance"]
    inputs = record["inputs"]
    # named relative to the scenario's folder: the same wherever the plan is made; every
    # rule file but those of the two-level city after 1 Jul 2025, which Plan 188 omits
    later = {"reform-2025.yaml", "hanoi-2025.yaml"}
    expected = {"scenario.yaml",
                *(f"../../rules/{p.name}" for p in (REPO / "rules").glob("*.yaml")
                  if p.name not in later),
                *(f"roster/{p.name}" for p in (DEMO / "roster").glob("*.csv"))}
    assert set(inputs) == expected and record["scenario"] == "scenario.yaml"
    for name, digest in inputs.items():
        assert digest == hashlib.sha256((DEMO / name).read_bytes()).hexdigest(), name
    assert "plan-188" in record["rulesets"] and "qd-65" in record["rulesets"]
    assert record["solver"]["seed"] == 0
    assert len(record["run_hash"]) == 64 and int(record["run_hash"], 16) >= 0


def test_json_output_parses_and_agrees_with_plan_yaml(demo_plans):
    _code, stdout, _stderr = demo_plans["json"]
    summary = json.loads(stdout)
    document = read_yaml(demo_plans["folder"] / "json" / "plan.yaml")
    for key in ("status", "objective", "kpis", "unplaced", "verdict"):
        assert summary[key] == document[key], key
    assert summary["folder"] == str(demo_plans["folder"] / "json")


def test_the_run_hash_changes_with_one_roster_cell_and_only_that_files_hash(tmp_path):
    scenario = copy_demo(tmp_path / "demo")
    before = provenance(load_workspace(scenario).facts)
    assert provenance(load_workspace(scenario).facts) == before  # a pure function of inputs
    roster = RosterFiles(scenario.parent / "roster")
    roster.set_cell("cadres", roster.line_of("cadres", "id", "C005"), "skills", "legal")
    after = provenance(load_workspace(scenario).facts)
    changed = {name for name in before["inputs"] if before["inputs"][name] !=
               after["inputs"][name]}
    assert [Path(name).name for name in changed] == ["cadres.csv"]
    assert after["run_hash"] != before["run_hash"]


# ---------------------------------------------------------------------------- failures


def test_bad_input_exits_2_without_a_traceback_and_writes_no_folder(tmp_path):
    scenario = copy_demo(tmp_path / "demo")
    scenario.write_text(scenario.read_text(encoding="utf-8").replace("horizon:", "horizn:"),
                        encoding="utf-8")
    out = tmp_path / "plans" / "demo"
    result = rotation("plan", str(scenario), "-o", str(out))
    assert result.exit_code == 2
    assert "did you mean 'horizon'" in result.stderr
    assert "Traceback" not in result.output
    assert not out.exists() and not out.parent.exists()


def test_bad_input_leaves_an_earlier_plan_folder_untouched(tmp_path):
    scenario = copy_demo(tmp_path / "demo")
    roster = RosterFiles(scenario.parent / "roster")
    roster.set_cell("cadres", 2, "position", "P-NOWHERE")
    out = tmp_path / "plan"
    out.mkdir()
    (out / "moves.csv").write_text("cadre,form,to_position,round\n", encoding="utf-8")
    before = tree_digest(tmp_path)
    result = rotation("plan", str(scenario), "-o", str(out))
    assert result.exit_code == 2
    assert "unknown position 'P-NOWHERE'" in result.stderr
    assert tree_digest(tmp_path) == before  # nothing written, nothing left behind
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo", "plan"]


def test_a_write_that_fails_midway_leaves_no_partial_folder_or_file(tmp_path):
    facts = load_workspace(DEMO / "scenario.yaml").facts
    out = tmp_path / "plan"
    unwritable = {"status": "optimal", "oops": object()}  # YAML cannot represent this
    with pytest.raises(Exception, match="cannot represent"):
        write_plan_folder(out, facts, Plan(), unwritable)
    assert list(tmp_path.iterdir()) == []
    out.mkdir()
    (out / "plan.yaml").write_text("status: optimal\n", encoding="utf-8")
    with pytest.raises(Exception, match="cannot represent"):
        write_plan_folder(out, facts, Plan(), unwritable)
    assert [p.name for p in tmp_path.iterdir()] == ["plan"]
    assert [p.name for p in out.iterdir()] == ["plan.yaml"]
    assert (out / "plan.yaml").read_text(encoding="utf-8") == "status: optimal\n"


def test_an_infeasible_instance_exits_1_naming_the_tenure_and_refusing_rules(tmp_path):
    # The tiny instance without the position-change edge: C01 is due under land-period by
    # 2024-Q2 and every option is refused by rotation-directions (test_planner).
    scenario = write_tiny(tmp_path / "tiny", rules=NO_POSITION_CHANGE_RULES)
    out = tmp_path / "plan"
    result = rotation("plan", str(scenario), "-o", str(out))
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    for rule_id in ("land-period", "rotation-directions"):
        assert rule_id in result.stderr
    assert "C01" in result.stderr
    document = read_yaml(out / "plan.yaml")
    assert document["status"] == "infeasible"
    assert [(u["cadre"], u["rules"]) for u in document["unplaced"]] == [
        ("C01", ["land-period", "rotation-directions"])]
    unplaced = (out / "unplaced.csv").read_text(encoding="utf-8").splitlines()
    # the name, the post and its title are appended, for people
    assert unplaced[0] == "cadre,reason,rules,name,post,title"
    assert unplaced[1].startswith("C01,") and ",land-period;rotation-directions," in unplaced[1]
    # the moves that were possible are still proposed, and only C01's tenure is broken
    check = rotation("check", str(scenario), str(out), "--json")
    assert check.exit_code == 1
    assert [(v["rule"], v["cadres"]) for v in json.loads(check.stdout)["violations"]
            if v["severity"] == "hard"] == [("land-period", ["C01"])]
    moves = (out / "moves.csv").read_text(encoding="utf-8").splitlines()[1:]
    assert [m.split(",")[:5] for m in moves] == [
        ["C04", "transfer", "P-TH-CV", "P-NT-PCT", "2024-Q1"]]


def test_a_pin_that_makes_the_plan_impossible_exits_1_naming_the_pin_and_the_blocker(tmp_path):
    # Regression guard (fixed in 8c44043): such a run said "infeasible" in
    # plan.yaml yet exited 0, explaining nothing. C01 starts in 2022 here, so nobody is due;
    # C02 is pinned to P-XL-DC in 2024-Q1, but its holder C03 is pregnant (deferred) and has
    # no other direction: no plan contains the pin.
    cadres = CADRES.replace("P-QA-DC,2019-05-15", "P-QA-DC,2022-05-15")
    scenario = write_tiny(tmp_path / "tiny", cadres=cadres,
                          extra="pin: [{cadre: C02, to: P-XL-DC, round: 2024-Q1}]\n")
    out = tmp_path / "plan"
    result = rotation("plan", str(scenario), "-o", str(out))
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert "pin C02 → P-XL-DC" in result.stderr
    for blocker in ("C03", "pregnancy-deferral", "rotation-directions"):
        assert blocker in result.stderr
    # no plan folder, or one that says so
    assert not out.exists() or read_yaml(out / "plan.yaml")["status"] == "infeasible"
