"""Every kind of bad input is reported with its file, line, field (and column for YAML).

Each test breaks one thing in a private copy of the demo and checks the message a planner
would read: `path:line[:column]: field: what is wrong (did you mean …?)`.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest
from conftest import DEMO, RULES, RosterFiles, copy_demo, problems_of, roster_problems
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.errors import Problem
from planner.roster_io import load_roster
from planner.scenario import load_scenario


def the_problem(
    problems: list[Problem],
    file: Path | str,
    line: int | None,
    field: str | None,
    only_one: bool = True,
) -> Problem:
    """The problem reported at file:line for field (fails listing all if absent).

    `only_one=False` accepts several (a bad pool token fails both its role and its level).
    """
    found = [p for p in problems if (p.file, p.line, p.field) == (str(file), line, field)]
    assert found if not only_one else len(found) == 1, "\n".join(str(p) for p in problems)
    where = f"{file}:{line}" if line is not None else str(file)
    assert str(found[0]).startswith(where)
    if field is not None:
        assert f": {field}: " in str(found[0])
    return found[0]


def write_scenario(folder: Path, body: str, name: str = "scenario.yaml") -> Path:
    """A scenario.yaml in `folder` (beside the demo roster copy) with the given YAML body."""
    path = folder / name
    path.write_text(body, encoding="utf-8")
    return path


HEAD = f"""name: t
horizon: {{start: 2024-01-01, end: 2026-01-01, round: quarter}}
data: roster/
rules: [{RULES}]
"""

# ------------------------------------------------------------------------------ YAML


def test_malformed_yaml_names_line_and_column(demo_scenario: Path):
    path = write_scenario(demo_scenario.parent, "name: t\nhorizon: {start: 2024-01-01\n  end: [\n")
    (problem,) = problems_of(lambda: load_scenario(path))
    assert (problem.line, problem.column) == (3, 6)
    assert str(problem).startswith(f"{path}:3:6: malformed YAML")


def test_a_non_utf8_yaml_file_names_the_line_and_column_of_the_bad_byte(tmp_path: Path):
    path = tmp_path / "scenario.yaml"
    # "Tây Hồ" saved in the Windows-1258 code page: 0xE2 is "â" there, invalid in UTF-8.
    path.write_bytes(b"name: t\ntitle: T\xe2y\n")
    (problem,) = problems_of(lambda: load_scenario(path))
    assert str(problem).startswith(f"{path}:2:9: not UTF-8")


@pytest.mark.parametrize(
    ("typo", "fix", "line", "column", "field"),
    [
        # A top-level key on line 2.
        ("horizn: {start: 2024-01-01, end: 2026-01-01}", "horizon", 2, 1, "horizn"),
        # Nested keys, the "max_month for max_months" kind of slip.
        ("solver: {time_limt_s: 5}", "time_limit_s", 5, 10, "solver.time_limt_s"),
        ("weights: {overdue: 1, skil_fit: 2}", "skill_fit", 5, 23, "weights.skil_fit"),
        ("pin: [{cadre: C001, too: P-QA-CT}]", "to", 5, 21, "pin.0.too"),
    ],
)
def test_an_unknown_yaml_field_suggests_the_closest_name(
    demo_scenario: Path, typo: str, fix: str, line: int, column: int, field: str
):
    body = HEAD + typo + "\n"
    if typo.startswith("horizn"):
        body = "name: t\n" + typo + "\ndata: roster/\nrules: []\n"
    path = write_scenario(demo_scenario.parent, body)
    # A misspelt required key also makes it missing (a second problem); look for the typo.
    problem = the_problem(problems_of(lambda: load_scenario(path)), path, line, field)
    assert problem.column == column
    assert f"(did you mean '{fix}'?)" in problem.message
    assert str(problem).startswith(f"{path}:{line}:{column}: {field}: unknown field")


def test_an_impossible_date_in_yaml_names_its_key_and_position(demo_scenario: Path):
    path = write_scenario(
        demo_scenario.parent, HEAD.replace("start: 2024-01-01", "start: 2024-13-01")
    )
    (problem,) = problems_of(lambda: load_scenario(path))
    assert str(problem).startswith(f"{path}:2:18: horizon.start: '2024-13-01' is not a valid date")


def test_a_horizon_ending_before_it_starts_is_reported_at_its_end(demo_scenario: Path):
    path = write_scenario(demo_scenario.parent, HEAD.replace("end: 2026-01-01", "end: 2023-01-01"))
    problem = the_problem(problems_of(lambda: load_scenario(path)), path, 2, "horizon.end")
    assert problem.column == 30 and "must be before end 2023-01-01" in problem.message


def test_a_bad_enum_in_yaml_lists_the_valid_values(demo_scenario: Path):
    path = write_scenario(demo_scenario.parent, HEAD.replace("round: quarter", "round: week"))
    problem = the_problem(problems_of(lambda: load_scenario(path)), path, 2, "horizon.round")
    assert "'quarter' or 'month'" in problem.message and "'week'" in problem.message


def test_an_extends_cycle_is_reported_at_the_extends_that_closes_it(tmp_path: Path):
    first = write_scenario(tmp_path, "name: a\nextends: b.yaml\n", "a.yaml")
    second = write_scenario(tmp_path, "# what-if\nextends: a.yaml\n", "b.yaml")
    (problem,) = problems_of(lambda: load_scenario(first))
    assert str(problem).startswith(f"{second}:2:1: extends: 'extends' forms a cycle")
    assert "a.yaml → " in problem.message


def test_a_scenario_extending_itself_is_a_cycle(tmp_path: Path):
    path = write_scenario(tmp_path, "extends: scenario.yaml\n")
    (problem,) = problems_of(lambda: load_scenario(path))
    assert str(problem).startswith(f"{path}:1:1: extends: ")


def test_a_missing_base_scenario_is_named_at_the_extends_line(tmp_path: Path):
    path = write_scenario(tmp_path, "name: what-if\nextends: ../base/scenario.yaml\n")
    (problem,) = problems_of(lambda: load_scenario(path))
    assert str(problem) == (f"{path}:2:1: extends: base scenario '../base/scenario.yaml' not found")


def test_pins_and_forbids_must_name_known_cadres_positions_and_rounds(demo_scenario: Path):
    body = HEAD + (
        "pin:\n"
        "  - {cadre: C0001, to: P-QA-CT, round: 2024-Q2}\n"  # line 6: one zero too many
        "  - {cadre: C002, to: P-QA-CTT}\n"  # line 7: unknown position
        "  - {cadre: C003, to: P-QA-CT, round: 2024-Q5}\n"  # line 8: not a round name
        "  - {cadre: C004, to: P-QA-CT, round: 2027-Q1}\n"  # line 9: outside the horizon
        "forbid: [{cadre: C999, to: P-QA-CT}]\n"  # line 10
    )
    path = write_scenario(demo_scenario.parent, body)
    problems = problems_of(lambda: load_scenario(path))
    assert len(problems) == 5
    assert "did you mean 'C001'" in the_problem(problems, path, 6, "pin.cadre").message
    assert "did you mean 'P-QA-CT'" in the_problem(problems, path, 7, "pin.to").message
    assert "is not a round" in the_problem(problems, path, 8, "pin.round").message
    assert "horizon runs 2024-Q1…2025-Q4" in the_problem(problems, path, 9, "pin.round").message
    forbid = the_problem(problems, path, 10, "forbid.cadre")
    assert forbid.column == 10 and "unknown cadre 'C999'" in forbid.message
    assert all(p.column is not None for p in problems)


# ------------------------------------------------------------------------- CSV files


def test_an_unbalanced_quote_names_the_line_and_column_where_it_opens(demo_roster: RosterFiles):
    path = demo_roster.path("cadres")
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[2] = lines[2].replace("Lê Thị Mai", '"Lê Thị Mai')  # line 3; swallows the rest
    path.write_text("".join(lines), encoding="utf-8")
    problem = the_problem(roster_problems(demo_roster.folder), path, 3, "name")
    assert "malformed CSV" in problem.message and "never closed" in problem.message


def test_a_non_utf8_csv_names_the_line_and_column(demo_roster: RosterFiles):
    path = demo_roster.path("units")
    # "Quận" typed in Windows-1258 on line 2: the name column holds an invalid byte.
    path.write_bytes(path.read_bytes().replace("Quận ủy Tây Hồ".encode(), b"Qu\xe2n", 1))
    problem = the_problem(roster_problems(demo_roster.folder), path, 2, "name")
    assert problem.column == 11 and "not UTF-8" in problem.message


def test_an_unknown_column_suggests_the_closest_name(demo_roster: RosterFiles):
    rows = demo_roster.rows("cadres")
    rows[0][rows[0].index("birth_date")] = "birthdate"
    demo_roster.write_rows("cadres", rows)
    problems = roster_problems(demo_roster.folder)
    path = demo_roster.path("cadres")
    typo = the_problem(problems, path, 1, "birthdate")
    assert "unknown column 'birthdate' (did you mean 'birth_date'?)" in typo.message
    # ... and the column it was meant to be is then missing.
    assert "required column is missing" in the_problem(problems, path, 1, "birth_date").message


def test_a_missing_required_column_is_named(demo_roster: RosterFiles):
    rows = demo_roster.rows("positions")
    index = rows[0].index("role")
    demo_roster.write_rows("positions", [row[:index] + row[index + 1 :] for row in rows])
    (problem,) = roster_problems(demo_roster.folder)
    assert str(problem) == f"{demo_roster.path('positions')}:1: role: required column is missing"


def test_a_missing_required_table_is_named(demo_roster: RosterFiles):
    demo_roster.path("positions").unlink()
    (problem,) = roster_problems(demo_roster.folder)
    assert problem.file == str(demo_roster.path("positions"))
    assert "missing table 'positions'" in problem.message


def test_a_misnamed_roster_file_suggests_the_expected_name(demo_roster: RosterFiles):
    demo_roster.path("cadres").rename(demo_roster.folder / "cadre.csv")
    (problem,) = roster_problems(demo_roster.folder)
    assert "(did you mean 'cadres'?)" in problem.message


def test_a_row_with_too_many_cells_is_reported(demo_roster: RosterFiles):
    line = demo_roster.append("units", id="U-X", name="X", locality="TH", bloc="state")
    path = demo_roster.path("units")
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + ",extra\n", encoding="utf-8")
    (problem,) = roster_problems(demo_roster.folder)
    assert (problem.line, "10 cells but the header has 9 columns") == (line, problem.message)


@pytest.mark.parametrize(
    ("table", "row_id", "field", "value", "expected"),
    [
        ("cadres", "C002", "gender", "F", "'male' or 'female'"),
        ("cadres", "C002", "status", "retired", "'active'"),
        ("cadres", "C002", "pool", "boss@district", "'secretary'"),
        ("cadres", "C002", "pool", "chair", "must look like role@level"),
        ("positions", "P-QA-CT", "role", "chairman", "'chair'"),
        ("positions", "P-QA-CT", "grade", "high", "not a whole number"),
        ("positions", "P-QA-CT", "key", "maybe", "valid boolean"),
        ("localities", "TH", "level", "province", "'city', 'district' or 'commune'"),
        ("units", "U-TH-DU", "bloc", "government", "'party', 'state' or 'front'"),
        ("relations", "C012", "relation", "cousin", "'spouse'"),
        ("history", "C001", "form", "promotion", "is not one of rotation"),
    ],
)
def test_a_bad_enum_or_number_names_row_field_and_value(
    demo_roster: RosterFiles, table, row_id, field, value, expected
):
    first_column = demo_roster.rows(table)[0][0]
    line = demo_roster.line_of(table, first_column, row_id)
    demo_roster.set_cell(table, line, field, value)
    problem = the_problem(roster_problems(demo_roster.folder), demo_roster.path(table), line, field)
    assert expected in problem.message


@pytest.mark.parametrize(
    ("table", "field", "bad_id", "hint"),
    [
        ("units", "locality", "TH-Q", "did you mean 'TH-QA'"),
        ("positions", "unit", "U-TH-UBB", "did you mean 'U-TH-UB'"),
        ("cadres", "position", "P-TH-CT9", "did you mean 'P-TH-CT'"),
        ("cadres", "hometown", "HCM", "unknown locality 'HCM'"),
        ("relations", "a", "C0012", "did you mean 'C012'"),
        ("relations", "b", "C0013", "did you mean 'C013'"),
        ("history", "cadre", "C1001", "unknown cadre 'C1001'"),
        ("history", "position", "P-NT-BX", "did you mean 'P-NT-BT'"),
        ("localities", "parent", "HNN", "did you mean 'HN'"),
        ("localities", "successor", "TH-QAA", "did you mean 'TH-QA'"),
    ],
)
def test_a_dangling_reference_names_the_row_and_the_closest_id(
    demo_roster: RosterFiles, table, field, bad_id, hint
):
    line = 3  # the second data row of each table
    demo_roster.set_cell(table, line, field, bad_id)
    problem = the_problem(roster_problems(demo_roster.folder), demo_roster.path(table), line, field)
    assert hint in problem.message


@pytest.mark.parametrize("table", ["localities", "units", "positions", "cadres"])
def test_a_duplicate_id_names_the_line_of_the_first(demo_roster: RosterFiles, table: str):
    rows = demo_roster.rows(table)
    demo_roster.write_rows(table, [*rows, rows[2]])  # repeat the row on line 3
    line = len(rows) + 1
    problems = roster_problems(demo_roster.folder)
    problem = the_problem(problems, demo_roster.path(table), line, "id")
    assert f"duplicate id '{rows[2][0]}' (first on line 3)" == problem.message


@pytest.mark.parametrize(
    ("a", "b"), [("C012", "C013"), ("C013", "C012")], ids=["same order", "reversed"]
)
def test_a_relation_pair_listed_twice_is_reported_in_either_order(demo_roster, a, b):
    line = demo_roster.append("relations", a=a, b=b, relation="parent")
    problem = the_problem(
        roster_problems(demo_roster.folder), demo_roster.path("relations"), line, "b"
    )
    assert "already listed on line 2" in problem.message


def test_a_cadre_cannot_be_their_own_relative(demo_roster: RosterFiles):
    line = demo_roster.append("relations", a="C001", b="C001", relation="sibling")
    problem = the_problem(
        roster_problems(demo_roster.folder), demo_roster.path("relations"), line, "b"
    )
    assert "their own relative" in problem.message


def test_two_holders_of_one_position_are_reported_at_the_second(demo_roster: RosterFiles):
    line = demo_roster.line_of("cadres", "id", "C002")
    demo_roster.set_cell("cadres", line, "position", "P-TH-BT")  # C001's post
    problem = the_problem(
        roster_problems(demo_roster.folder), demo_roster.path("cadres"), line, "position"
    )
    assert "already held by C001" in problem.message


@pytest.mark.parametrize(
    ("table", "row_id", "changes", "field", "expected"),
    [
        ("cadres", "C002", {"birth_date": "1975-13-01"}, "birth_date", "month value is outside"),
        ("cadres", "C002", {"birth_date": "1975-02-30"}, "birth_date", "day value is outside"),
        ("cadres", "C002", {"position_start": "1970-01-01"}, "position_start", "before birth_date"),
        # Born 1975-07-01, so 18 on 1993-07-01.
        ("cadres", "C002", {"position_start": "1990-01-01"}, "position_start", "turned 18 (1993"),
        # The demo horizon starts 2024-01-01: a post taken after it is not yet held.
        ("cadres", "C002", {"position_start": "2024-02-01"}, "position_start", "after the horizon"),
        ("cadres", "C002", {"position_start": ""}, "position_start", "required when position"),
        ("cadres", "C002", {"child_birth_date": "1960-01-01"}, "child_birth_date", "not after"),
        (
            "cadres",
            "C002",
            {"birth_date": "2010-01-01", "position": "", "position_start": ""},
            "birth_date",
            "under 18",
        ),
        (
            "localities",
            "TH",
            {"valid_from": "2020-01-01", "valid_to": "2020-01-01"},
            "valid_to",
            "before valid_to",
        ),
        ("history", "C001", {"end": "2014-01-01"}, "end", "before start 2015-10-01"),
        ("history", "C001", {"start": "1960-01-01"}, "start", "before the cadre turned 18"),
    ],
)
def test_an_impossible_date_names_the_row_and_field(
    demo_roster: RosterFiles, table, row_id, changes, field, expected
):
    first_column = demo_roster.rows(table)[0][0]
    line = demo_roster.line_of(table, first_column, row_id)
    for column, value in changes.items():
        demo_roster.set_cell(table, line, column, value)
    problem = the_problem(roster_problems(demo_roster.folder), demo_roster.path(table), line, field)
    assert expected in problem.message


def test_a_locality_cycle_is_reported_with_its_path(demo_roster: RosterFiles):
    # Two wards made each other's parent: a loop the tree cannot have.
    qa = demo_roster.line_of("localities", "id", "TH-QA")
    nt = demo_roster.line_of("localities", "id", "TH-NT")
    demo_roster.set_cell("localities", qa, "parent", "TH-NT")
    demo_roster.set_cell("localities", nt, "parent", "TH-QA")
    (problem,) = roster_problems(demo_roster.folder)
    assert (problem.file, problem.field) == (str(demo_roster.path("localities")), "parent")
    assert problem.line in (qa, nt)
    assert re.search(r"cycle: TH-(QA|NT) → TH-(QA|NT) → TH-(QA|NT)", problem.message)


def test_a_district_inside_a_commune_is_reported(demo_roster: RosterFiles):
    line = demo_roster.line_of("localities", "id", "BV")
    demo_roster.set_cell("localities", line, "parent", "TH-QA")
    problem = the_problem(
        roster_problems(demo_roster.folder), demo_roster.path("localities"), line, "parent"
    )
    assert "a district cannot lie inside the commune 'TH-QA'" in problem.message


# ----------------------------------------------------------------- all at once


def test_all_bad_rows_of_a_file_are_reported_at_once(demo_roster: RosterFiles):
    for cadre_id, value in (("C003", "M"), ("C010", "man"), ("C030", "")):
        demo_roster.set_cell(
            "cadres", demo_roster.line_of("cadres", "id", cadre_id), "gender", value
        )
    problems = roster_problems(demo_roster.folder)
    assert [(p.line, p.field) for p in problems] == [(4, "gender"), (11, "gender"), (31, "gender")]


def test_problems_in_several_files_are_reported_together(demo_roster: RosterFiles):
    demo_roster.set_cell("units", 2, "bloc", "army")
    demo_roster.set_cell("cadres", 2, "gender", "M")
    demo_roster.set_cell("history", 2, "start", "yesterday")
    problems = roster_problems(demo_roster.folder)
    assert {(Path(p.file).name, p.line, p.field) for p in problems} == {
        ("units.csv", 2, "bloc"),
        ("cadres.csv", 2, "gender"),
        ("history.csv", 2, "start"),
    }


def test_all_dangling_references_are_reported_at_once(demo_roster: RosterFiles):
    demo_roster.set_cell("units", 2, "locality", "XX")
    demo_roster.set_cell("positions", 5, "unit", "YY")
    demo_roster.set_cell("cadres", 7, "hometown", "ZZ")
    assert len(roster_problems(demo_roster.folder)) == 3


# --------------------------------------------------------- one corrupted field

# Per table: field → kind of corruption. Ids are left alone (renaming one breaks references
# elsewhere, which is reported at those rows instead), as are free-text fields.
CORRUPTIBLE: dict[str, dict[str, str]] = {
    "localities": {"level": "enum", "parent": "ref", "successor": "ref",
                   "valid_from": "date", "valid_to": "date"},
    "units": {"locality": "ref", "bloc": "enum"},
    "positions": {"unit": "ref", "role": "enum", "grade": "int", "key": "bool"},
    "cadres": {"gender": "enum", "birth_date": "date", "hometown": "ref", "position": "ref",
               "position_start": "date", "pool": "enum", "status": "enum",
               "status_until": "date", "child_birth_date": "date", "volunteer": "bool"},
    "relations": {"a": "ref", "b": "ref", "relation": "enum"},
    "history": {"cadre": "ref", "position": "ref", "start": "date", "end": "date",
                "form": "enum"},
}  # fmt: skip
GARBAGE = {
    "enum": st.sampled_from(["garbage", "Male", "chairman", "x@y", "1"]),
    # 31/12/2020 is a date (day first, as Vietnamese exports write it); 31/13/2020 is not
    "date": st.sampled_from(["2024-13-01", "2023-02-29", "31/13/2020", "soon", "2020-1"]),
    "int": st.sampled_from(["seven", "2.5", "-1", "99"]),
    "bool": st.sampled_from(["maybe", "2", "yess"]),
    # Never a real id: real ids are upper-case letters, digits and dashes.
    "ref": st.text(alphabet="abcxyz_", min_size=1, max_size=6).map(lambda s: f"no_such_{s}"),
}
# Data rows per table (no demo cell spans lines, so a row's line is its index + 2).
DEMO_ROWS = {name: len(RosterFiles(DEMO / "roster").rows(name)) - 1 for name in CORRUPTIBLE}


@st.composite
def corruptions(draw: st.DrawFn) -> tuple[str, int, str, str]:
    table = draw(st.sampled_from(sorted(CORRUPTIBLE)))
    field = draw(st.sampled_from(sorted(CORRUPTIBLE[table])))
    line = draw(st.integers(min_value=2, max_value=DEMO_ROWS[table] + 1))
    value = draw(GARBAGE[CORRUPTIBLE[table][field]])
    return table, line, field, value


@settings(max_examples=30, deadline=None)
@given(corruptions())
def test_a_single_corrupted_field_is_reported_with_its_file_line_and_field(corruption):
    table, line, field, value = corruption
    with tempfile.TemporaryDirectory() as folder:
        scenario = copy_demo(Path(folder))
        roster = RosterFiles(scenario.parent / "roster")
        roster.set_cell(table, line, field, value)
        problems = problems_of(lambda: load_scenario(scenario))
        the_problem(problems, roster.path(table), line, field, only_one=False)


def test_the_demo_itself_is_clean(demo_scenario: Path):
    # The property above relies on this: every problem it sees comes from the corruption.
    assert len(load_scenario(demo_scenario).roster.cadres) == 44
    assert len(load_roster(DEMO / "roster").cadres) == 44
