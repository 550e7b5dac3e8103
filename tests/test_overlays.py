"""What-if overlays: `roster:` patches on top of a base scenario (issue 6).

Every test works on a private copy of the demo (conftest.copy_demo) and writes small
overlays beside it; the base files are hashed before and after to prove nothing is written.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REPO, copy_demo, problems_of, tree_digest

from planner.cli import main
from planner.errors import Problem
from planner.scenario import load_scenario
from planner.workspace import load_workspace

# Merges on 1 July 2025 need the demo carried through 2025 (the demo itself stops on 30 June).
THROUGH_2025 = "through-2025.yaml"


def overlay(folder: Path, body: str, name: str = "what-if.yaml",
            extends: str = "scenario.yaml") -> Path:
    """An overlay scenario beside the demo copy's scenario.yaml."""
    path = folder / name
    path.write_text(f"extends: {extends}\n{body}", encoding="utf-8")
    return path


def through_2025(folder: Path, body: str) -> Path:
    """An overlay of the demo carried through 2025, where merges on 1 July 2025 fall."""
    return overlay(folder, body, extends=THROUGH_2025)


def only_problem(problems: list[Problem]) -> Problem:
    assert len(problems) == 1, "\n".join(map(str, problems))
    return problems[0]


@pytest.fixture
def base(tmp_path: Path) -> Path:
    return copy_demo(tmp_path / "demo")


def test_the_repository_what_if_scenario_loads_with_its_patches():
    scenario = load_scenario(REPO / "scenarios" / "what-if" / "scenario.yaml")
    assert scenario.roster.cadre_by_id["C017"].status == "study"
    assert "P-QA-DC2" in scenario.roster.position_by_id
    assert "P-QA-DC2" in {p.id for p in scenario.roster.vacant_positions}


def test_patches_change_status_open_posts_add_relatives_and_let_a_cadre_leave(base: Path):
    before = tree_digest(base.parent)
    path = overlay(base.parent, """\
roster:
  vacancies:
    add: [{id: P-NEW-1, unit: U-QA-UB, title: "Công chức mới", role: staff, grade: 2}]
  cadres:
    status: [{cadre: C017, status: illness, until: 2025-06-30}]
    leave: [C030]
  relations:
    add: [{a: C001, b: C002, relation: sibling}]
""")
    scenario = load_scenario(path)
    roster = scenario.roster
    assert roster.cadre_by_id["C017"].status == "illness"
    assert str(roster.cadre_by_id["C017"].status_until) == "2025-06-30"
    # C030 left: gone, the ward secretary post is vacant, the C030–C039 spouses are unlisted
    assert "C030" not in roster.cadre_by_id
    assert {"P-NEW-1", "P-NT-BT"} <= {p.id for p in roster.vacant_positions}
    pairs = {frozenset((r.a, r.b)) for r in roster.relations}
    assert frozenset(("C030", "C039")) not in pairs
    assert frozenset(("C001", "C002")) in pairs
    assert len(scenario.patch_notes) == 4
    assert tree_digest(base.parent) == before | {"what-if.yaml": tree_digest(base.parent)[
        "what-if.yaml"]}
    # the base alone is unchanged in memory too
    assert load_scenario(base).roster.cadre_by_id["C017"].status == "active"


def test_overlays_chain_and_each_patches_the_roster_the_one_below_left(base: Path):
    overlay(base.parent, """\
roster:
  vacancies: {add: [{id: P-NEW-1, unit: U-QA-UB, title: "Công chức mới", role: staff, grade: 2}]}
  cadres: {leave: [C043]}
""", name="first.yaml")
    second = overlay(base.parent, "roster:\n  vacancies: {close: [P-NEW-1, P-XL-VP]}\n",
                     name="second.yaml", extends="first.yaml")
    roster = load_scenario(second).roster
    assert "P-NEW-1" not in roster.position_by_id
    assert "P-XL-VP" not in roster.position_by_id  # vacated by C043 leaving one file below


def test_a_file_that_sets_data_starts_from_its_own_roster_and_drops_earlier_patches(base: Path):
    overlay(base.parent, "roster:\n  cadres: {leave: [C043]}\n", name="first.yaml")
    second = overlay(base.parent, "data: roster/\n", name="second.yaml", extends="first.yaml")
    assert "C043" in load_scenario(second).roster.cadre_by_id


def test_the_workspace_of_a_variant_sees_the_patched_roster(base: Path):
    path = overlay(base.parent, "roster:\n  cadres: {status: [{cadre: C014, status: study}]}\n")
    facts = load_workspace(path).facts
    assert "C014" not in facts.due_cadres  # full-time study defers the periodic change
    assert "C014" in load_workspace(base).facts.due_cadres


# ----------------------------------------------------------------------------- merges


def test_a_merge_with_a_position_mapping_hands_posts_over_on_its_date(base: Path):
    rows = ["old_position,new_position"]
    xl_posts = [p.id for p in load_scenario(base).roster.positions if p.id.startswith("P-XL-")]
    for post in xl_posts:
        # two Xuân La posts go to new Nhật Tân posts, the rest are abolished
        rows.append(f"{post},{ {'P-XL-TC': 'P-NT-TC2', 'P-XL-DC': 'P-NT-DC2'}.get(post, '')}")
    (base.parent / "mapping.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    path = through_2025(base.parent, """\
roster:
  vacancies:
    add:
      - {id: P-NT-TC2, unit: U-NT-UB, title: "Công chức Tài chính 2", role: staff, grade: 2}
      - {id: P-NT-DC2, unit: U-NT-UB, title: "Công chức Địa chính 2", role: staff, grade: 2}
  merge: [{locality: TH-XL, into: TH-NT, on: 2025-07-01, mapping: mapping.csv}]
""")
    scenario = load_scenario(path)
    roster = scenario.roster
    xuan_la = roster.locality_by_id["TH-XL"]
    assert (str(xuan_la.valid_to), xuan_la.successor) == ("2025-07-01", "TH-NT")
    # until the merge date everyone keeps their post; then the post is handed over
    assert roster.cadre_by_id["C041"].position == "P-XL-TC"
    handed = roster.position_by_id["P-XL-TC"]
    assert (str(handed.valid_to), handed.successor) == ("2025-07-01", "P-NT-TC2")
    facts = load_workspace(path).facts
    assert facts.due("C041") is None or "ends" not in facts.due("C041").why
    # the ward secretary post is abolished: its holder is due by the merge date, as such
    due = facts.due("C038")
    assert due is not None and due.why == "post P-XL-BT ends on 2025-07-01"
    assert facts.rounds[due.round_index].name == "2025-Q3"
    assert base.parent / "mapping.csv" in scenario.files  # hashed into plan provenance


def test_a_merge_with_a_unit_mapping_hands_the_units_posts_over_on_its_date(base: Path):
    (base.parent / "units.csv").write_text(
        "old_unit,new_unit\nU-XL-DU,U-NT-DU\nU-XL-UB,U-NT-UB\nU-XL-MT,U-NT-MT\n",
        encoding="utf-8")
    path = through_2025(base.parent, "roster:\n  merge: [{locality: TH-XL, into: TH-NT, "
                                "on: 2025-07-01, mapping: units.csv}]\n")
    workspace = load_workspace(path)
    roster = workspace.scenario.roster
    unit = roster.unit_by_id["U-XL-UB"]
    assert (str(unit.valid_to), unit.successor) == ("2025-07-01", "U-NT-UB")
    assert roster.cadre_by_id["C038"].position == "P-XL-BT"
    # carried on: the posts still exist after the merge, and nobody is due for it
    assert workspace.facts.graph.window("P-XL-BT") == (None, None)


def test_a_merge_without_a_mapping_keeps_the_units_which_carry_on_in_the_successor(base: Path):
    path = through_2025(base.parent, "roster:\n  merge: [{locality: TH-XL, into: TH-NT, "
                                "on: 2025-07-01}]\n")
    workspace = load_workspace(path)
    assert workspace.scenario.roster.unit_by_id["U-XL-UB"].locality == "TH-XL"
    assert workspace.facts.graph.exists("P-XL-BT", load_scenario(path).horizon.end)
    # a native of Xuân La now counts as a native of Nhật Tân (hometowns map to the successor)
    assert workspace.facts.graph.is_within("TH-XL", "TH-NT")


@pytest.mark.parametrize("day", ["2023-12-31", "2026-01-01"])
def test_a_merge_dated_outside_the_horizon_is_bad_input_at_its_line(base: Path, day: str):
    path = through_2025(base.parent, "roster:\n  merge:\n    - {locality: TH-XL, into: TH-NT, "
                                f"on: {day}}}\n")
    problem = only_problem(problems_of(lambda: load_scenario(path)))
    assert (problem.line, problem.field) == (4, "roster.merge.on")
    assert "outside the horizon" in problem.message


def test_a_merge_on_the_first_and_on_the_last_day_of_the_horizon_loads(base: Path):
    for day in ("2024-01-01", "2025-12-31"):
        path = through_2025(base.parent, "roster:\n  merge: [{locality: TH-XL, into: TH-NT, "
                                    f"on: {day}}}]\n")
        assert str(load_scenario(path).roster.locality_by_id["TH-XL"].valid_to) == day


def test_a_mapping_to_a_post_that_does_not_exist_on_the_merge_date_is_reported(base: Path):
    (base.parent / "mapping.csv").write_text(
        "old_position,new_position\n" + "\n".join(
            f"{p},{'P-NT-NEW' if p == 'P-XL-BT' else ''}" for p in
            [p.id for p in load_scenario(base).roster.positions if p.id.startswith("P-XL-")])
        + "\n", encoding="utf-8")
    path = through_2025(base.parent, """\
roster:
  vacancies:
    add: [{id: P-NT-NEW, unit: U-NT-DU, title: "x", role: secretary, grade: 4,
           valid_from: 2025-10-01}]
  merge: [{locality: TH-XL, into: TH-NT, on: 2025-07-01, mapping: mapping.csv}]
""")
    problems = problems_of(lambda: load_scenario(path))
    mine = [p for p in problems if p.file == str(base.parent / "mapping.csv")]
    assert mine and mine[0].field == "new_position"
    assert "does not exist on 2025-07-01" in mine[0].message


def test_a_mapping_that_forgets_a_post_or_targets_a_held_one_is_reported(base: Path):
    (base.parent / "mapping.csv").write_text(
        "old_position,new_position\nP-XL-BT,P-NT-BT\n", encoding="utf-8")
    path = through_2025(base.parent, "roster:\n  merge: [{locality: TH-XL, into: TH-NT, "
                                "on: 2025-07-01, mapping: mapping.csv}]\n")
    problems = problems_of(lambda: load_scenario(path))
    held = [p for p in problems if p.file == str(base.parent / "mapping.csv")]
    assert held and held[0].line == 2 and "held by C030" in held[0].message
    unmapped = [p for p in problems if p.file == str(path)]
    assert unmapped and unmapped[0].line == 3 and "P-XL-CT" in unmapped[0].message


# ----------------------------------------------------------------------------- bad patches


def test_an_unknown_cadre_in_a_patch_is_reported_at_its_line_with_the_closest_id(base: Path):
    path = overlay(base.parent, "roster:\n  cadres:\n    status:\n"
                                "      - {cadre: C0017, status: illness}\n")
    problem = only_problem(problems_of(lambda: load_scenario(path)))
    assert str(problem).startswith(f"{path}:5:")
    assert "did you mean 'C017'" in problem.message


def test_closing_an_occupied_post_is_bad_input(base: Path):
    path = overlay(base.parent, "roster:\n  vacancies: {close: [P-XL-TP]}\n")
    problem = only_problem(problems_of(lambda: load_scenario(path)))
    assert (problem.line, problem.field) == (3, "roster.vacancies.close")
    assert "held by C042" in problem.message


def test_a_new_post_with_an_existing_or_repeated_id_is_bad_input(base: Path):
    path = overlay(base.parent, """\
roster:
  vacancies:
    add:
      - {id: P-XL-TP, unit: U-XL-UB, title: "x", role: staff, grade: 2}
      - {id: P-NEW, unit: U-XL-UB, title: "x", role: staff, grade: 2}
      - {id: P-NEW, unit: U-XL-UBB, title: "x", role: staff, grade: 2}
""")
    problems = problems_of(lambda: load_scenario(path))
    assert [(p.line, p.field) for p in problems] == [
        (5, "roster.vacancies.add.id"), (7, "roster.vacancies.add.id")]
    assert "already exists" in problems[0].message


def test_a_pin_on_a_cadre_who_left_says_so(base: Path):
    path = overlay(base.parent, "roster:\n  cadres: {leave: [C017]}\n"
                                "pin: [{cadre: C017, to: P-TH-NV-TP}]\n")
    problem = only_problem(problems_of(lambda: load_scenario(path)))
    assert (problem.line, problem.field) == (4, "pin.cadre")
    assert f"has left (roster.cadres.leave at {path}:3)" in problem.message


def test_relations_already_listed_or_unlisted_are_bad_input(base: Path):
    path = overlay(base.parent, "roster:\n  relations:\n"
                                "    add: [{a: C013, b: C012, relation: child}]\n"
                                "    remove: [{a: C001, b: C002}]\n")
    problems = problems_of(lambda: load_scenario(path))
    assert [p.line for p in problems] == [4, 5]
    assert "already relatives (parent" in problems[0].message


def test_a_misspelt_patch_key_names_the_valid_ones(base: Path):
    path = overlay(base.parent, "roster:\n  cadres: {leaves: [C017]}\n")
    problem = only_problem(problems_of(lambda: load_scenario(path)))
    assert "did you mean 'leave'" in problem.message


def test_the_cli_reports_a_bad_patch_with_file_and_line_and_exit_2(base: Path):
    path = overlay(base.parent, "roster:\n  cadres: {leave: [C999]}\n")
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 2
    assert f"{path}:3:" in result.output
    assert "Traceback" not in result.output
