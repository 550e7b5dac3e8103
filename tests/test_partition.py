"""Partitioned planning (`solver.partition: province`): two copies of the demo district
under one city, planned as two parts (serially and on a Dask LocalCluster), merged and
checked against the whole roster; what crosses parts is reported."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import DEMO, RULES, tree_digest

from planner.cli import main
from planner.partition import split_by_province
from planner.scenario import load_scenario

TABLES = ("localities", "units", "positions", "cadres", "relations", "history")


def twin_roster(folder: Path) -> Path:
    """The demo roster plus a copy of quận Tây Hồ as `XTH` (every id in it prefixed X)."""
    folder.mkdir(parents=True)
    rows = {}
    for table in TABLES:
        with (DEMO / "roster" / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
            rows[table] = list(csv.DictReader(handle))
    tree = {"TH"} | {r["id"] for r in rows["localities"] if r["parent"] == "TH"}

    def x(value: str, inside: set[str] | None = None) -> str:
        return ("X" + value) if value and (inside is None or value in inside) else value

    copies = {
        "localities": [{**r, "id": x(r["id"]), "parent": x(r["parent"], tree),
                        "name": r["name"] + " (bản sao)"}
                       for r in rows["localities"] if r["id"] in tree],
        "units": [{**r, "id": x(r["id"]), "locality": x(r["locality"])} for r in rows["units"]],
        "positions": [{**r, "id": x(r["id"]), "unit": x(r["unit"])} for r in rows["positions"]],
        "cadres": [{**r, "id": x(r["id"]), "position": x(r["position"]),
                    "hometown": x(r["hometown"], tree)} for r in rows["cadres"]],
        "relations": [{**r, "a": x(r["a"]), "b": x(r["b"])} for r in rows["relations"]],
        "history": [{**r, "cadre": x(r["cadre"]), "position": x(r["position"])}
                    for r in rows["history"]],
    }
    for table in TABLES:
        with (folder / f"{table}.csv").open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[table][0]),
                                    lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows[table] + copies[table])
    return folder


def twin_scenario(tmp_path: Path, extra: str = "") -> Path:
    twin_roster(tmp_path / "roster")
    scenario = tmp_path / "scenario.yaml"
    scenario.write_text(
        "name: twins\nhorizon: {start: 2024-01-01, end: 2025-07-01, round: quarter}\n"
        f"data: roster/\nrules: [{RULES}]\n"
        "weights: {overdue: 100, vacancy: 20, skill_fit: 5, disruption: 1}\n"
        "solver: {time_limit_s: 60, gap: 0.0, seed: 0, partition: province}\n" + extra,
        encoding="utf-8")
    return scenario


def plan(scenario: Path, out: Path, *extra: str) -> tuple[int, str]:
    previous = Path.cwd()
    os.chdir(scenario.parent)
    try:
        result = CliRunner().invoke(main, ["plan", str(scenario), "-o", str(out), *extra])
    finally:
        os.chdir(previous)
    return result.exit_code, result.output


def moves_of(folder: Path) -> list[dict[str, str]]:
    with (folder / "moves.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_the_province_split_keeps_each_district_whole_and_counts_what_crosses(
        tmp_path: Path) -> None:
    relation = "C001,XC002,sibling\n"
    scenario = twin_scenario(tmp_path)
    with (tmp_path / "roster" / "relations.csv").open("a", encoding="utf-8") as handle:
        handle.write(relation)
    loaded = load_scenario(scenario)
    split = split_by_province(loaded)
    assert [p.name for p in split.parts] == ["TH", "XTH"]
    assert [p.cadres for p in split.parts] == [44, 44]
    assert all(p.scenario.roster.localities == loaded.roster.localities for p in split.parts)
    first = split.parts[0].scenario.roster
    assert {c.id for c in first.cadres} == {f"C{n:03d}" for n in range(1, 45)}
    assert len(first.relations) == 2  # the demo's own pairs; the cross pair is left out
    assert split.cross["relations"] == 1
    assert split.cross["relation_examples"] == ["C001 (TH) – XC002 (XTH): sibling"]


def test_each_part_plans_as_it_would_alone_and_dask_gives_the_serial_bytes(
        tmp_path: Path) -> None:
    scenario = twin_scenario(tmp_path)
    code, output = plan(scenario, tmp_path / "serial", "--workers", "0")
    assert code == 0, output
    moves = moves_of(tmp_path / "serial")
    demo = plan(DEMO / "scenario.yaml", tmp_path / "demo")
    assert demo[0] == 0, demo[1]
    alone = [(m["cadre"], m["to_position"], m["round"]) for m in moves_of(tmp_path / "demo")]
    assert sorted((m["cadre"], m["to_position"], m["round"]) for m in moves
                  if not m["cadre"].startswith("X")) == sorted(alone)
    twins = [m for m in moves if m["cadre"].startswith("X")]
    # the copy plans its own district (ties between equally close posts fall by id, so
    # not necessarily onto the same posts as the original)
    assert len(twins) == len(alone) and all(m["to_position"].startswith("XP-") for m in twins)
    plan_yaml = (tmp_path / "serial" / "plan.yaml").read_text(encoding="utf-8")
    assert "partition:\n  by: province" in plan_yaml
    assert "compliant with every hard rule" in plan_yaml  # the full check, merged plan
    code, output = plan(scenario, tmp_path / "dask", "--workers", "2")
    assert code == 0, output
    assert "planned 2 parts by province on 2 Dask workers" in output
    assert tree_digest(tmp_path / "dask") == tree_digest(tmp_path / "serial")


def test_a_part_planned_under_the_clients_rule_set_is_the_part_its_worker_would_plan(
        tmp_path: Path) -> None:
    """The client sends its rule set with each part; the outcome is the one the worker
    gets by reading the rule files itself."""
    from planner.partition import plan_part
    from planner.workspace import load_workspace

    facts = load_workspace(twin_scenario(tmp_path)).facts
    part = split_by_province(facts.scenario, facts).parts[1]
    shipped = plan_part(part.name, part.scenario, facts.ruleset)
    read = plan_part(part.name, part.scenario)
    assert shipped.status == "optimal" and shipped.moves
    assert (shipped.moves, shipped.unplaced, shipped.objective, shipped.refusals) == \
        (read.moves, read.unplaced, read.objective, read.refusals)


def test_a_rule_over_all_parts_that_the_merged_plan_breaks_is_reported_not_dropped(
        tmp_path: Path) -> None:
    """A hard horizon quota of 12 moves: each part moves 9 (within it), together 18."""
    quota = tmp_path / "quota.yaml"
    quota.write_text(
        f"ruleset: cap\ninclude: [{RULES}]\nrules:\n"
        "  - id: cap-moves\n    kind: quota\n    label: \"Không quá 12 lượt trong kỳ\"\n"
        "    basis: \"[I] kiểm thử\"\n    severity: hard\n    verified: false\n"
        "    params: {max: 12, per: horizon}\n", encoding="utf-8")
    scenario = twin_scenario(tmp_path)
    text = scenario.read_text(encoding="utf-8").replace(f"rules: [{RULES}]",
                                                        f"rules: [{quota}]")
    scenario.write_text(text, encoding="utf-8")
    code, output = plan(scenario, tmp_path / "out", "--workers", "0")
    assert code == 1, output
    assert "ACROSS PARTS: cap-moves" in output
    plan_yaml = (tmp_path / "out" / "plan.yaml").read_text(encoding="utf-8")
    assert "status: infeasible" in plan_yaml
    assert "rules_held_per_part:\n    - cap-moves" in plan_yaml


def test_minimal_change_replanning_is_refused_with_partitions(tmp_path: Path) -> None:
    scenario = twin_scenario(tmp_path)
    (tmp_path / "earlier").mkdir()
    code, output = plan(scenario, tmp_path / "out", "--from", str(tmp_path / "earlier"))
    assert code == 2, output
    assert "not available with solver.partition" in output


@pytest.mark.parametrize("value", ["provnce", "districts"])
def test_an_unknown_partition_is_bad_input(tmp_path: Path, value: str) -> None:
    scenario = twin_scenario(tmp_path)
    scenario.write_text(scenario.read_text(encoding="utf-8").replace(
        "partition: province", f"partition: {value}"), encoding="utf-8")
    code, output = plan(scenario, tmp_path / "out")
    assert code == 2, output
    assert "solver.partition" in output


# ---------------------------------------------------------------- automatic partition

# A second district beside the tiny instance of test_planner: two ward justice officers of
# Ba Đình, C11 due (60 months in P-BA-TP on 2024-03-01), C12 not. The tiny rules let a
# position change keep the profession (land ≠ justice) and a transfer go down only within
# its district: no option joins the two districts, so the candidate graph has two
# components.
BA_DINH = {
    "localities": "BD,Quận Ba Đình,district,quan,HN,,,\nBA,Phường A,commune,phuong,BD,,,\n"
                  "BB,Phường B,commune,phuong,BD,,,\n",
    "units": "U-BA-UB,UBND phường A,BA,state,ubnd,\nU-BB-UB,UBND phường B,BB,state,ubnd,\n",
    "positions": "P-BA-TP,U-BA-UB,Công chức Tư pháp phường A,staff,1,false,justice,justice,\n"
                 "P-BB-TP,U-BB-UB,Công chức Tư pháp phường B,staff,1,false,justice,justice,\n",
    "cadres": "C11,Đỗ Văn Giang,male,1982-01-01,BD,P-BA-TP,2019-03-01,justice,,,active,,,false\n"
              "C12,Vũ Thị Hà,female,1987-01-01,BD,P-BB-TP,2022-06-01,justice,,,active,,,false\n",
}


def two_districts(folder: Path, solver: str = "") -> Path:
    from test_planner import write_tiny

    scenario = write_tiny(folder)
    for table, rows in BA_DINH.items():
        with (folder / "roster" / f"{table}.csv").open("a", encoding="utf-8") as handle:
            handle.write(rows)
    if solver:
        text = scenario.read_text(encoding="utf-8")
        scenario.write_text(text.replace("seed: 0}", f"seed: 0, {solver}}}"), encoding="utf-8")
    return scenario


def test_auto_partition_cuts_along_the_candidate_graphs_components_and_reports_relatives(
        tmp_path: Path) -> None:
    from planner.partition import split_auto
    from planner.workspace import load_workspace

    scenario = two_districts(tmp_path)
    (tmp_path / "roster" / "relations.csv").write_text("a,b,relation\nC01,C11,sibling\n",
                                                       encoding="utf-8")
    facts = load_workspace(scenario).facts
    split = split_auto(facts, 2)
    assert split.about["components"] == 2 and split.about["largest_component"] == 5
    assert [sorted(c.id for c in p.scenario.roster.cadres) for p in split.parts] == [
        ["C01", "C02", "C03", "C04", "C05"], ["C11", "C12"]]
    assert [sorted(u.id for u in p.scenario.roster.units) for p in split.parts][1] == [
        "U-BA-UB", "U-BB-UB"]
    # the sibling pair spans the parts: left out of both, counted, judged by the full check
    assert split.cross["relations"] == 1
    assert split.cross["relation_examples"] == ["C01 (part-1) – C11 (part-2): sibling"]
    # never more parts than components; one part when asked for one
    assert len(split_auto(facts, 8).parts) == 2
    assert [p.cadres for p in split_auto(facts, 1).parts] == [7]


def test_an_auto_partitioned_plan_is_the_whole_rosters_plan(tmp_path: Path) -> None:
    """Independent components: planning them apart gives the moves of the whole, byte for
    byte, serially and on Dask."""
    whole = two_districts(tmp_path / "whole")
    code, output = plan(whole, tmp_path / "whole-plan")
    assert code == 0, output
    auto = two_districts(tmp_path / "auto", "partition: auto, parts: 2")
    code, output = plan(auto, tmp_path / "auto-plan", "--workers", "0")
    assert code == 0, output
    assert "split into 2 parts by auto (2 components of the candidate graph" in output
    moves = (tmp_path / "auto-plan" / "moves.csv").read_bytes()
    assert moves == (tmp_path / "whole-plan" / "moves.csv").read_bytes()
    assert {m["cadre"] for m in moves_of(tmp_path / "auto-plan")} >= {"C01", "C11"}
    plan_yaml = (tmp_path / "auto-plan" / "plan.yaml").read_text(encoding="utf-8")
    assert "partition:\n  by: auto\n  components: 2\n" in plan_yaml
    assert "verdict: 'compliant: no rule is violated'" in plan_yaml  # the full check
    code, output = plan(auto, tmp_path / "dask-plan", "--workers", "2")
    assert code == 0, output
    assert (tmp_path / "dask-plan" / "moves.csv").read_bytes() == moves
