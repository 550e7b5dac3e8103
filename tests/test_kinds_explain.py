"""The `explain` hook says which clause of a rule failed and its value, as a planner reads the
rule file (issue 9, point 7: "explain: which clause failed, in words"). Hand-checked on the
demo's rules; each violation is the one the kind itself reports for that clause."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from planner.facts import Facts
from planner.kinds.base import Violation, _shown, violation
from planner.plan import Move, Plan
from planner.ruleset import Rule
from planner.workspace import load_workspace

DEMO = Path(__file__).resolve().parents[1] / "scenarios" / "demo" / "scenario.yaml"


@pytest.fixture(scope="module")
def demo() -> Facts:
    return load_workspace(DEMO).facts


def rule(facts: Facts, rule_id: str) -> Rule:
    found = facts.ruleset.by_id(rule_id)
    assert found is not None
    return found


def found_by(rule_: Rule, clause: str, message: str = "the facts") -> Violation:
    return violation(rule_, message, clause=clause)


def test_a_violation_without_a_clause_is_explained_by_its_message(demo: Facts) -> None:
    freeze = rule(demo, "freeze-kl-128")
    assert freeze.impl.explain(freeze, found_by(freeze, "")) == "the facts"


def test_a_keyword_parameter_is_read_under_its_python_name(demo: Facts) -> None:
    """KL 128's freeze reports clause `from`, stored as `from_` (a Python keyword)."""
    freeze = rule(demo, "freeze-kl-128")
    assert freeze.impl.explain(freeze, found_by(freeze, "from")) == (
        "clause from = 2025-03-07 fails: the facts")


def test_a_list_parameter_is_shown_comma_separated(demo: Facts) -> None:
    freeze = rule(demo, "freeze-kl-128")
    assert freeze.impl.explain(freeze, found_by(freeze, "forms")) == (
        "clause forms = rotation, transfer fails: the facts")


def test_a_dotted_clause_shows_the_parameter_before_the_dot(demo: Facts) -> None:
    deferral = rule(demo, "position-change-deferral")
    text = deferral.impl.explain(deferral, found_by(deferral, "statuses.pregnant"))
    assert text.startswith("clause statuses.pregnant = discipline, investigation, ")
    assert text.endswith(", maternity fails: the facts")


def test_a_clause_naming_no_parameter_shows_no_value(demo: Facts) -> None:
    deferral = rule(demo, "position-change-deferral")
    assert deferral.impl.explain(deferral, found_by(deferral, "child")) == (
        "clause child fails: the facts")


def test_a_table_of_edges_is_shown_with_the_rule_files_own_keys(demo: Facts) -> None:
    """Edges are models whose `from` is stored as `from_`: shown as the file spells them."""
    directions = rule(demo, "rotation-directions")
    text = directions.impl.explain(directions, found_by(directions, "edges"))
    assert text.startswith("clause edges = {'from': {'level': 'district'}, 'to': {'level': "
                           "'commune'}, 'forms': ['rotation', 'transfer', 'secondment'], "
                           "'scope': 'same_district'}, {'from': {'level': 'commune'}")
    assert "from_" not in text


def test_a_dated_parameter_is_shown_with_each_value_from_its_date() -> None:
    assert _shown({dt.date(2020, 11, 27): 36, dt.date(2025, 7, 1): 24}) == (
        "36 from 2020-11-27, 24 from 2025-07-01")


def test_a_relatives_conflict_is_said_in_words(demo: Facts) -> None:
    relatives = rule(demo, "relatives-qd114")
    found = relatives.impl.check(relatives, demo, Plan([Move(
        cadre="C013", form="appointment", from_position="P-XL-DC",
        to_position="P-TH-TNMT-PP", round="2024-Q1", round_index=0,
        start=demo.rounds[0].start)]))
    texts = sorted(relatives.impl.explain(relatives, v) for v in found)
    assert [t.split(" fails: ")[0] for t in texts] == [
        "clause head_deputy_same_unit (relatives who are head and deputy of one unit)",
        "clause same_collective (relatives who sit in one unit's leadership collective)"]
    assert all("C012 and C013 (parent)" in t for t in texts)


def test_a_relatives_clause_without_words_falls_back_to_the_parameter(demo: Facts) -> None:
    relatives = rule(demo, "relatives-qd114")
    text = relatives.impl.explain(relatives, found_by(relatives, "sectors"))
    assert text.startswith("clause sectors = internal_affairs, inspection, finance, ")
