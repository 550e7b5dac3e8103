"""Bounded reads and values in range: every odd input file or value gets exit 2 with the
file, line and field — never a traceback, unbounded memory or a silently wrong reading."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import copy_repo_inputs

from planner.cli import main

SCENARIO = "scenarios/demo/scenario.yaml"


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = copy_repo_inputs(tmp_path / "work")
    monkeypatch.chdir(root)
    return root


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        f"traceback: {result.exception!r}"
    return result.exit_code, result.output + result.stderr


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as handle:
        handle.write(text)


# ------------------------------------------------------------------------ bounded reads


def test_a_folder_given_as_the_scenario_is_refused(workdir: Path):
    code, output = run("validate", "scenarios/demo")
    assert code == 2 and "scenarios/demo" in output


@pytest.mark.parametrize("kind", ["fifo", "dangling", "devzero", "folder"])
def test_a_roster_file_that_is_not_a_regular_file_is_refused(workdir: Path, kind: str):
    units = workdir / "scenarios/demo/roster/units.csv"
    units.unlink()
    if kind == "fifo":
        os.mkfifo(units)
    elif kind == "dangling":
        units.symlink_to(workdir / "nowhere.csv")
    elif kind == "devzero":
        units.symlink_to("/dev/zero")
    else:
        units.mkdir()
    code, output = run("validate", SCENARIO)
    assert code == 2, output
    assert "units.csv" in output


@pytest.mark.parametrize("target", ["/dev/zero", "fifo.yaml"])
def test_a_scenario_that_is_a_device_or_pipe_is_refused_without_reading_it(workdir: Path,
                                                                           target: str):
    if target == "fifo.yaml":
        os.mkfifo(workdir / target)
    code, output = run("validate", target)
    assert code == 2 and "not a regular file" in output


def test_a_moves_file_that_is_a_pipe_is_refused(workdir: Path):
    os.mkfifo(workdir / "moves.csv")
    code, output = run("check", SCENARIO, "moves.csv")
    assert code == 2 and "not a regular file" in output


def test_an_oversized_input_is_refused_naming_the_limit(workdir: Path,
                                                        monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr("planner.errors.MAX_INPUT_BYTES", 1000)
    code, output = run("validate", SCENARIO)
    assert code == 2 and "too large" in output and "at most 1,000 bytes" in output
    assert "roster/" in output


def test_a_yaml_alias_bomb_is_refused_before_it_grows(workdir: Path):
    lines = ["x0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"x{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    append(workdir / SCENARIO, "\n".join(lines) + "\n")  # 10^9 values once expanded
    code, output = run("validate", SCENARIO)
    assert code == 2 and "aliases" in output


def test_yaml_nested_thousands_deep_is_refused_with_its_line(workdir: Path):
    append(workdir / SCENARIO, "title: " + "[" * 3000 + "]" * 3000 + "\n")
    code, output = run("validate", SCENARIO)
    assert code == 2 and "scenario.yaml:10:" in output and "nested deeper" in output


@pytest.mark.parametrize("parser", ["libyaml", "ruamel"])
def test_yaml_nesting_is_refused_from_one_level_past_the_limit_with_either_parser(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parser: str):
    from planner import yamlio
    from planner.errors import InputError

    if parser == "ruamel":  # PyYAML without libyaml: ruamel's own parser checks the nesting
        monkeypatch.setattr(yamlio, "_C_PARSER", None)
    path = tmp_path / "deep.yaml"
    for depth, refused in ((yamlio.MAX_DEPTH - 1, False), (yamlio.MAX_DEPTH, False),
                           (yamlio.MAX_DEPTH + 1, True)):
        # the top mapping is one level: depth − 1 brackets inside it
        path.write_text("a: 1\nb: " + "[" * (depth - 1) + "]" * (depth - 1) + "\n",
                        encoding="utf-8")
        if not refused:
            yamlio._PARSED.clear()
            yamlio.read_yaml(path)
            continue
        with pytest.raises(InputError) as raised:
            yamlio.read_yaml(path)
        problem = raised.value.problems[0]
        assert (problem.line, problem.column) == (2, 4 + yamlio.MAX_DEPTH - 1)
        assert f"nested deeper than {yamlio.MAX_DEPTH} levels" in problem.message


def test_a_self_referencing_alias_is_refused(workdir: Path):
    append(workdir / SCENARIO, "disable: &loop [*loop]\n")
    code, output = run("validate", SCENARIO)
    assert code == 2 and "scenario.yaml:10" in output


@pytest.mark.parametrize("bad", ["C0\x0001", "C0\x1b[31m01", "C0\n01", "C0\t01"])
def test_ids_with_nul_control_characters_or_newlines_are_refused(workdir: Path, bad: str):
    cadres = workdir / "scenarios/demo/roster/cadres.csv"
    text = cadres.read_text(encoding="utf-8")
    quoted = '"' + bad + '"' if "\n" in bad else bad
    cadres.write_text(text.replace("\nC001,", f"\n{quoted},", 1), encoding="utf-8")
    code, output = run("validate", SCENARIO)
    assert code == 2, output
    assert "cadres.csv:2" in output and "id" in output


def test_a_look_alike_cyrillic_id_is_warned_about(workdir: Path):
    cadres = workdir / "scenarios/demo/roster/cadres.csv"
    edit(cadres, "\nC044,", "\n\u0421044,")  # Cyrillic Es, looks like a Latin C
    code, output = run("validate", SCENARIO)
    assert code == 0, output
    assert "cadres.csv:45" in output and "look Latin" in output and "CYRILLIC" in output


# YAML's double-quoted escapes make the same characters: "\\0", "\\e", "\\n", "\\u202e"
YAML_CONTROLS = [("\\0", "U+0000"), ("\\e[31m", "U+001B"), ("\\n", "U+000A"),
                 ("\\t", "U+0009"), ("\\u202e", "U+202E")]


@pytest.mark.parametrize(("escape", "code_point"), YAML_CONTROLS)
@pytest.mark.parametrize(("entry", "field"), [
    ('pin: [{{cadre: "C0{}06", to: P-QA-CT}}]', "pin.0.cadre"),
    ('forbid: [{{cadre: C006, to: "P-QA{}-CT"}}]', "forbid.0.to"),
    ('disable: ["rotation{}-two-terms"]', "disable"),
    ('roster: {{vacancies: {{close: ["P-QA{}-CT"]}}}}', "roster.vacancies.close"),
    ('roster: {{vacancies: {{add: [{{id: "P-{}NEW", unit: U-QA-UB, title: t, role: staff, '
     'grade: 3}}]}}}}', "roster.vacancies.add.0.id"),
])
def test_ids_in_a_scenario_with_control_characters_or_newlines_are_refused(
        workdir: Path, entry: str, field: str, escape: str, code_point: str):
    append(workdir / SCENARIO, entry.format(escape) + "\n")
    code, output = run("validate", SCENARIO)
    assert code == 2, output
    assert "scenario.yaml:10" in output and field in output and code_point in output


@pytest.mark.parametrize(("escape", "code_point"), YAML_CONTROLS)
def test_ids_in_a_rule_file_with_control_characters_are_refused(workdir: Path, escape: str,
                                                                code_point: str):
    rules = workdir / "rules/decree-59.yaml"
    edit(rules, "position.role: staff}", f'position.role: "sta{escape}ff"}}')
    line = rules.read_text(encoding="utf-8").split("position.role: \"sta")[0].count("\n") + 1
    code, output = run("validate", SCENARIO)
    assert code == 2, output
    assert f"decree-59.yaml:{line}" in output and "applies_to" in output
    assert code_point in output


def test_a_rule_id_with_a_newline_or_a_cyrillic_letter_is_refused(workdir: Path):
    rules = workdir / "rules/decree-59.yaml"
    for bad in ('"position-change-period\\n"', "position-ch\u0430nge-period"):  # Cyrillic а
        original = rules.read_text(encoding="utf-8")
        edit(rules, "id: position-change-period", f"id: {bad}")
        code, output = run("validate", SCENARIO)
        assert code == 2 and "decree-59.yaml:" in output and "id" in output, output
        rules.write_text(original, encoding="utf-8")


def test_free_text_in_yaml_may_break_lines_but_holds_no_escape(workdir: Path):
    scenario = workdir / SCENARIO
    original = scenario.read_text(encoding="utf-8")
    edit(scenario, 'title: "Quận Tây Hồ', 'title: "Dòng một\\nQuận Tây Hồ')
    assert run("validate", SCENARIO)[0] == 0
    scenario.write_text(original, encoding="utf-8")
    edit(scenario, 'title: "Quận Tây Hồ', 'title: "\\e[2JQuận Tây Hồ')  # clears a terminal
    code, output = run("validate", SCENARIO)
    assert code == 2 and "title" in output and "U+001B" in output


def test_a_look_alike_cyrillic_id_in_a_pin_is_warned_about(workdir: Path):
    cadres = workdir / "scenarios/demo/roster/cadres.csv"
    edit(cadres, "\nC044,", "\n\u0421044,")  # the roster defines the look-alike too
    append(workdir / SCENARIO, "forbid: [{cadre: \u0421044}]\n")
    code, output = run("validate", SCENARIO)
    assert code == 0, output
    assert "scenario.yaml:10: cadre: '\u0421044' holds letters that look Latin" in output


# ----------------------------------------------------------------------- values in range


@pytest.mark.parametrize(("old", "new", "field"), [
    ("skill_fit: 5", "skill_fit: .inf", "weights.skill_fit"),
    ("skill_fit: 5", "skill_fit: .nan", "weights.skill_fit"),
    ("skill_fit: 5", "skill_fit: 1e308", "weights.skill_fit"),
    ("seed: 0", "seed: 4294967296", "solver.seed"),
    ("seed: 0", "seed: -1", "solver.seed"),
    ("seed: 0", "seed: true", "solver.seed"),
    ("time_limit_s: 60", "time_limit_s: .inf", "solver.time_limit_s"),
    ("end: 2025-07-01", "end: 9999-01-01", "horizon.end"),
    ("start: 2024-01-01", "start: 1704067200", "horizon.start"),
    ("start: 2024-01-01", "start: 1899-12-31", "horizon.start"),
])
def test_scenario_values_out_of_range_are_refused(workdir: Path, old: str, new: str,
                                                  field: str):
    edit(workdir / SCENARIO, old, new)
    code, output = run("validate", SCENARIO)
    assert code == 2, output
    assert "scenario.yaml:" in output and field in output


@pytest.mark.parametrize(("day", "ok"), [
    ("1899-12-31", False), ("1900-01-01", True), ("2100-12-31", True), ("2101-01-01", False)])
def test_dates_are_accepted_from_1900_to_2100_inclusive(day: str, ok: bool):
    import datetime as dt

    from pydantic import ValidationError

    from planner.models import HistoryEntry

    build = lambda: HistoryEntry(cadre="C1", position="P1", start=dt.date.fromisoformat(day))  # noqa: E731
    if ok:
        assert build().start.isoformat() == day
    else:
        with pytest.raises(ValidationError, match="outside the years 1900–2100"):
            build()


@pytest.mark.parametrize(("value", "ok"), [
    ("-3", False), ("true", False), ("1.5", False), ('"36"', False), ("24", True), ("36", True),
    ("{2020-01-01: -1}", False), ("{2020-01-01: 24, 2025-01-01: 36}", True), ("{}", False),
])
def test_months_are_whole_non_negative_numbers(workdir: Path, value: str, ok: bool):
    append(workdir / SCENARIO, f"set: {{position-change-period: {{max_months: {value}}}}}\n")
    code, output = run("validate", SCENARIO)
    assert code == (0 if ok else 2), output
    if not ok:
        assert "scenario.yaml:10" in output and "max_months" in output


@pytest.mark.parametrize("grade", ["1_0", "+7", "7.0", "0x7", " 7 7"])
def test_grades_are_plain_whole_numbers(workdir: Path, grade: str):
    positions = workdir / "scenarios/demo/roster/positions.csv"
    edit(positions, ",secretary,7,", f",secretary,{grade},")
    code, output = run("validate", SCENARIO)
    assert code == 2 and "positions.csv:2" in output and "grade" in output


@pytest.mark.parametrize("birth", ["-10000000", "1700000000", "0", "9999-01-01"])
def test_digit_strings_and_far_years_are_not_read_as_dates(workdir: Path, birth: str):
    edit(workdir / "scenarios/demo/roster/cadres.csv", "1968-03-12", birth)
    code, output = run("validate", SCENARIO)
    assert code == 2 and "cadres.csv:2" in output and "birth_date" in output


def test_an_empty_selector_condition_is_refused(workdir: Path):
    rules = workdir / "rules/decree-59.yaml"
    text = rules.read_text(encoding="utf-8")
    first = text.index("params:")
    rules.write_text(text[:first] + "applies_to: {cadre.status: {}}\n    " + text[first:],
                     encoding="utf-8")
    code, output = run("validate", SCENARIO)
    assert code == 2 and "decree-59.yaml" in output and "cadre.status" in output


def test_a_dated_parameter_without_a_value_at_the_start_is_reported(workdir: Path):
    append(workdir / SCENARIO,
           "set: {position-change-period: {max_months: {2030-01-01: 30}}}\n")
    code, output = run("validate", SCENARIO)
    assert code == 2 and "no value in force from 2024-01-01" in output


# ----------------------------------------------------------------------- no traceback


def test_rich_markup_in_a_title_is_printed_as_written(workdir: Path):
    edit(workdir / SCENARIO, 'title: "', 'title: "[/x] [bold]')
    code, output = run("validate", SCENARIO)
    assert code == 0 and "[/x] [bold]" in output


def test_an_unmeetable_hard_minimum_is_an_explained_infeasibility(workdir: Path):
    (workdir / "rules/at-least.yaml").write_text(
        "ruleset: at-least\nrules:\n  - id: min-rotations\n    kind: quota\n"
        "    label: at least 40 rotations\n    basis: test\n"
        "    applies_to: {move.form: rotation}\n    params: {min: 40, per: horizon}\n",
        encoding="utf-8")
    edit(workdir / SCENARIO, "rules: [../../rules/plan-188.yaml]",
         "rules: [../../rules/plan-188.yaml, ../../rules/at-least.yaml]")
    code, output = run("plan", SCENARIO, "-o", "plans/q")
    assert code == 1, output
    assert "INFEASIBLE" in output and "min-rotations" in output and "at least 40" in output


# ------------------------------------------------------------------ one report of all


def test_scenario_roster_and_rule_mistakes_are_reported_in_one_run(workdir: Path):
    edit(workdir / SCENARIO, "skill_fit: 5", "skill_fit: -2")
    edit(workdir / "rules/decree-59.yaml", "max_months: 60", "max_months: -60")
    edit(workdir / "scenarios/demo/roster/cadres.csv", ",male,", ",mail,")
    code, output = run("validate", SCENARIO)
    assert code == 2
    assert "3 problems" in output
    for where in ("scenario.yaml:8", "decree-59.yaml:15", "cadres.csv:2"):
        assert where in output, where


def test_json_errors_are_json_naming_file_line_and_field(workdir: Path):
    import json

    edit(workdir / SCENARIO, "skill_fit: 5", "skill_fit: -2")
    result = CliRunner().invoke(main, ["validate", SCENARIO, "--json"])
    assert result.exit_code == 2
    data = json.loads(result.stdout)
    assert data["ok"] is False and data["exit_code"] == 2
    [problem] = data["problems"]
    assert problem["file"].endswith("scenario.yaml") and problem["line"] == 8
    assert problem["field"] == "weights.skill_fit"


@pytest.mark.parametrize(("delimiter", "name"), [("|", "bars"), (":", "colons")])
def test_a_moves_file_with_an_unknown_delimiter_says_so(workdir: Path, delimiter: str,
                                                        name: str):
    moves = workdir / "scenarios/demo/moves/clean.csv"
    moves.write_text(moves.read_text(encoding="utf-8").replace(",", delimiter),
                     encoding="utf-8")
    code, output = run("check", SCENARIO, str(moves))
    assert code == 2 and "clean.csv:1" in output and f"separated by {name}" in output
    assert "1 problem" in output  # one hint, not a list of every missing column


def test_a_moves_file_with_a_duplicate_header_names_both_columns(workdir: Path):
    moves = workdir / "scenarios/demo/moves/clean.csv"
    text = moves.read_text(encoding="utf-8")
    moves.write_text(text.replace("cadre,", "cadre,cadre,", 1), encoding="utf-8")
    code, output = run("check", SCENARIO, str(moves))
    assert code == 2 and "column 'cadre' appears twice (columns 1 'cadre' and 2" in output
