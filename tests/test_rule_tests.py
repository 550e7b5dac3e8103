"""YAML rule tests: every case under rules/tests/ runs as a pytest case, and the runner
(`rotation test`) reports diffs, exits 1 on a failed case and 2 on a bad test file."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import DEMO, REPO, RULES

from planner.cli import main
from planner.errors import InputError
from planner.rulefiles import load_ruleset
from planner.ruletests import RuleCase, case_ids, load_cases, run_case

RULE_TESTS = REPO / "rules" / "tests"
SCENARIO = DEMO / "scenario.yaml"
THROUGH_2025 = DEMO / "through-2025.yaml"  # the demo carried past 1 July 2025 (NĐ 170's cases)

try:
    CASES: list[RuleCase] = load_cases(RULE_TESTS)
    LOAD_PROBLEMS: list[str] = []
except InputError as exc:  # reported by the test below instead of a collection error
    CASES, LOAD_PROBLEMS = [], [str(p) for p in exc.problems]


def test_the_rule_test_files_are_valid():
    assert LOAD_PROBLEMS == []


@pytest.mark.parametrize("case", CASES, ids=case_ids(CASES))
def test_rule_case(case: RuleCase):
    result = run_case(case)
    assert result.passed, "\n".join([case.where, *result.diff_lines()])


def test_every_plan_188_rule_has_a_violating_and_a_clean_case():
    rule_ids = [r.id for r in load_ruleset([RULES]).rules]
    violating = {rule for case in CASES for rule, n in case.expect.items() if n > 0}
    clean = {rule for case in CASES for rule, n in case.expect.items() if n == 0}
    clean |= {rule for case in CASES if case.only for rule in rule_ids
              if rule not in case.expect and rule not in case.ignore}
    assert [r for r in rule_ids if r not in violating] == []
    assert [r for r in rule_ids if r not in clean] == []


# ---------------------------------------------------------------------------- the runner


def rotation(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def write_cases(folder: Path, text: str) -> Path:
    path = folder / "cases.yaml"
    text = text.replace("THROUGH_2025", str(THROUGH_2025)).replace("SCENARIO", str(SCENARIO))
    path.write_text(text, encoding="utf-8")
    return path


DAUGHTER_AS_DEPUTY = """
- name: A daughter as deputy of her father's office
  scenario: SCENARIO
  moves:
    - {cadre: C013, form: appointment, to_position: P-TH-TNMT-PP, round: 2024-Q2}
"""


def test_a_passing_file_exits_0_and_counts_its_cases(tmp_path: Path):
    path = write_cases(tmp_path, DAUGHTER_AS_DEPUTY + "  expect: {relatives-qd114: 2}\n")
    result = rotation("test", str(path))
    assert result.exit_code == 0, result.output
    assert f"PASS {path}:2: A daughter as deputy" in result.output
    assert "1 case passed" in result.output


def test_a_wrong_count_fails_with_the_expected_and_found_counts(tmp_path: Path):
    path = write_cases(tmp_path, DAUGHTER_AS_DEPUTY + "  expect: {relatives-qd114: 1}\n")
    result = rotation("test", str(path))
    assert result.exit_code == 1
    assert "relatives-qd114: expected 1, found 2" in result.output
    assert "C012 and C013 (parent) are head and deputy of one unit" in result.output
    assert "1 of 1 cases failed" in result.output


def test_only_true_fails_on_violations_of_rules_not_named(tmp_path: Path):
    # The empty rest of the plan leaves 7 due cadres unmoved; 4 posts vacant, 2 posts of
    # holders away, and C013's own post, vacated in 2024-Q2 (two of them leadership posts:
    # the one C013 fills costs one round); and C013, a ward officer, is appointed to a
    # district office without being recruited into the district's civil service first.
    path = write_cases(tmp_path, DAUGHTER_AS_DEPUTY
                       + "  expect: {relatives-qd114: 2}\n  only: true\n")
    result = rotation("test", str(path))
    assert result.exit_code == 1
    assert ("unexpected violations (only: true): "
            "position-change-period 7, commune-to-district-recruitment 1, "
            "vacancy-fill-leadership 2, vacancy-fill 7") in result.output


def test_expect_none_passes_when_every_violation_is_ignored(tmp_path: Path):
    path = write_cases(tmp_path, DAUGHTER_AS_DEPUTY + "  expect: none\n  ignore: "
                       "[relatives-qd114, rotation-two-terms, position-change-period, "
                       "vacancy-fill, vacancy-fill-leadership, "
                       "commune-to-district-recruitment]\n")
    assert rotation("test", str(path)).exit_code == 0


def test_a_roster_patch_changes_only_the_fields_it_names(tmp_path: Path):
    # C042 (child born 2023-02-10) volunteers: NĐ 170's child case no longer applies.
    path = write_cases(tmp_path, """
- name: A volunteer father may be transferred
  scenario: THROUGH_2025
  roster: {cadres: [{id: C042, volunteer: true}]}
  moves: [{cadre: C042, form: transfer, to_position: P-NT-TC, round: 2025-Q3}]
  expect: {secondment-transfer-exempt: 0, position-change-deferral: 0}
""")
    (case,) = load_cases(path)
    cadre = case.facts.cadre("C042")
    assert cadre.volunteer and cadre.child_birth_date is not None
    assert run_case(case).passed


def test_the_name_filter_runs_only_matching_cases():
    result = rotation("test", str(RULE_TESTS), "-k", "volunteer")
    assert result.exit_code == 0, result.output
    assert "1 case passed" in result.output


BAD_FILE = """
- name: typos everywhere
  scenario: SCENARIO
  set: {skill-demand: {skils: [x]}}
  roster: {cadres: [{id: C042, volunteer: maybe}]}
  moves:
    - {cadre: C0422, form: transfer, to_position: P-NT-TC, round: 2024-Q9}
  expect: {relatives-qd11: 1}
- name: misspelt key
  scenario: SCENARIO
  expct: none
- name: no scenario
  scenario: nowhere/scenario.yaml
  expect: none
"""


def test_a_bad_test_file_exits_2_with_every_problem_at_its_line(tmp_path: Path):
    path = write_cases(tmp_path, BAD_FILE)
    result = rotation("test", str(path))
    assert result.exit_code == 2
    for expected in (
        f"{path}:4: set.skill-demand.skils: unknown field 'skils' (did you mean 'skills'?)",
        f"{path}:5:", "roster.cadres.0.volunteer",
        f"{path}:7: moves.0.cadre: unknown cadre 'C0422' (did you mean 'C042'?)",
        f"{path}:7: moves.0.round: '2024-Q9' is not a round",
        "expect: unknown rule id 'relatives-qd11' (did you mean 'relatives-qd114'?)",
        "expct: unknown field 'expct' (did you mean 'expect'?)",
        f"{path}:13:", "scenario: scenario 'nowhere/scenario.yaml' not found",
    ):
        assert expected in result.output
    assert "PASS" not in result.output and "Traceback" not in result.output


def test_a_test_file_that_is_not_a_list_is_refused(tmp_path: Path):
    path = tmp_path / "cases.yaml"
    path.write_text("name: one case\n", encoding="utf-8")
    result = rotation("test", str(path))
    assert result.exit_code == 2
    assert f"{path}:1: a rule test file must be a YAML list of cases" in result.output
