"""`rotation compare` and minimal-change re-planning with `rotation plan --from` (issue 6).

The KPI and diff tests compare plan folders holding hand-made moves (no solver), so every
expected number is known: the variant is the demo's clean plan without C041's move, with
C008 moved a round later, and with C026 added. Only the `--from` and scenario-argument tests
solve (the demo, twice).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import DEMO, REPO, copy_demo, plan_folder_from_moves, tree_digest

from planner.cli import main
from planner.compare import compare, diff_moves, read_plan_folder

SCENARIO = DEMO / "scenario.yaml"
CLEAN = DEMO / "moves" / "clean.csv"


def plan_folder(moves_file: Path, folder: Path, scenario: Path = SCENARIO) -> Path:
    return plan_folder_from_moves(moves_file, folder, scenario)


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(base, variant) plan folders: clean.csv, and clean.csv with three changes."""
    root = tmp_path_factory.mktemp("compare")
    lines = CLEAN.read_text(encoding="utf-8").splitlines()
    changed = [line.replace("C008,position_change,P-XL-VP,2024-Q3",
                            "C008,position_change,P-XL-VP,2024-Q4")
               for line in lines if not line.startswith("C041,")]
    changed.append("C026,position_change,P-NT-TC,2025-Q2")  # the post C041 no longer takes
    (root / "variant.csv").write_text("\n".join(changed) + "\n", encoding="utf-8")
    return (plan_folder(CLEAN, root / "base"), plan_folder(root / "variant.csv",
                                                           root / "variant"))


def rotation(*args: str | Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, [str(a) for a in args])
    return result.exit_code, result.output


def test_the_move_diff_lists_added_removed_and_changed_moves(folders: tuple[Path, Path]):
    base, variant = (read_plan_folder(f) for f in folders)
    changes = {c.cadre: c for c in diff_moves(base, variant)}
    assert {c: (x.change, x.fields) for c, x in changes.items()} == {
        "C041": ("removed", ()), "C008": ("changed", ("round",)), "C026": ("added", ())}


def test_kpis_stand_side_by_side_with_the_variant_minus_the_base(folders: tuple[Path, Path]):
    comparison = compare([read_plan_folder(f) for f in folders])
    rows = {row.key: row for row in comparison.rows}
    assert rows["moves"].values == (13, 13)
    assert rows["moves_by_form.position_change"].values == (7, 7)
    assert rows["moves_changed_vs_base"].values == (0, 3)
    # the base plan vacates P-XL-TC in 2025-Q1 (C041 leaves), the variant does not
    assert rows["penalty.vacancy-fill"].delta(1) is not None
    assert rows["status"].delta(1) is None


def test_json_and_csv_outputs_carry_the_same_comparison(folders: tuple[Path, Path],
                                                        tmp_path: Path):
    kpi_file, diff_file = tmp_path / "kpis.csv", tmp_path / "diff.csv"
    code, output = rotation("compare", *folders, "--json", "--csv", kpi_file,
                            "--diff-csv", diff_file)
    assert code == 0, output
    data = json.loads(output)
    assert data["base"] == "base" and [p["label"] for p in data["plans"]] == ["base", "variant"]
    assert {c["cadre"] for c in data["diffs"]["variant"]} == {"C041", "C008", "C026"}
    kpis = {row["kpi"]: row for row in csv.DictReader(kpi_file.open(encoding="utf-8"))}
    assert (kpis["moves"]["base"], kpis["moves"]["variant"]) == ("13", "13")
    diff = list(csv.DictReader(diff_file.open(encoding="utf-8")))
    assert {(r["change"], r["cadre"]) for r in diff} == {
        ("removed", "C041"), ("changed", "C008"), ("added", "C026")}


def test_the_terminal_table_names_both_plans_and_the_differences(folders: tuple[Path, Path]):
    code, output = rotation("compare", *folders)
    assert code == 0, output
    assert "base (base)" in output and "variant: 3 moves differ from the base" in output
    assert "C026" in output


def test_an_argument_that_is_neither_a_plan_folder_nor_a_scenario_is_bad_input(
        tmp_path: Path, folders: tuple[Path, Path]):
    code, output = rotation("compare", folders[0], tmp_path)
    assert code == 2 and "plan.yaml not found" in output


def test_a_scenario_argument_is_planned_in_memory_and_nothing_is_written(
        folders: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    what_if = REPO / "scenarios" / "what-if"
    before = tree_digest(what_if)
    monkeypatch.chdir(tmp_path)
    code, output = rotation("compare", folders[0], what_if / "scenario.yaml", "--json")
    assert code == 0, output
    data = json.loads(output[output.index("{"):])
    assert [p["label"] for p in data["plans"]] == ["base", "demo-what-if"]
    assert tree_digest(what_if) == before and not list(tmp_path.iterdir())


def test_replanning_from_a_plan_keeps_its_moves_and_drops_those_that_no_longer_fit(
        folders: tuple[Path, Path], tmp_path: Path):
    base = copy_demo(tmp_path / "demo")
    variant = base.parent / "what-if.yaml"
    variant.write_text("extends: scenario.yaml\nname: leave\n"
                       "roster: {cadres: {leave: [C041]}}\n", encoding="utf-8")
    out = tmp_path / "replanned"
    code, output = rotation("plan", variant, "--from", folders[0], "-o", out)
    assert code in (0, 1), output
    assert (f"{folders[0] / 'moves.csv'}:13: earlier move C041 → P-NT-TC dropped: cadre C041 "
            "is not in the scenario") in output
    document = json.loads(json.dumps(read_plan_folder(out).document, default=str))
    previous = document["previous"]
    assert previous["moves"] == 12 and previous["kept"] + previous["changed_or_dropped"] == 12
    assert previous["kept"] > 0


def test_compare_writes_an_html_page_with_kpis_side_by_side_and_names_in_the_diff(
        tmp_path: Path):
    scenario = DEMO / "scenario.yaml"
    base = plan_folder_from_moves(DEMO / "moves" / "clean.csv", tmp_path / "base", scenario)
    variant = plan_folder_from_moves(DEMO / "moves" / "due-left.csv", tmp_path / "variant",
                                     scenario)
    page = tmp_path / "compare.html"
    result = CliRunner().invoke(main, ["compare", str(base), str(variant), "--html",
                                       str(page)])
    assert result.exit_code == 0, result.output
    html = page.read_text("utf-8")
    assert "Content-Security-Policy" in html and "base (gốc)" in html
    assert "Tổng số lượt điều chuyển" in html  # KPI labels in Vietnamese
    from planner.roster_io import load_roster

    names = {c.id: c.name for c in load_roster(DEMO / "roster").cadres}
    diff = html.split("id='diffs'", 1)[1]
    changed = [line.split(",")[0] for line in
               (DEMO / "moves" / "clean.csv").read_text("utf-8").splitlines()[1:]]
    assert any(names[c] in diff for c in changed)  # names beside the ids
    # a second run may replace the page it wrote, never a compared file
    again = CliRunner().invoke(main, ["compare", str(base), str(variant), "--html",
                                      str(base / "moves.csv")])
    assert again.exit_code == 2
