"""plan.yaml's record-by-record writer (planner.planio.yaml_text) gives the very text ruamel
writes for the whole document: the same plan.yaml byte for byte, only faster."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from planner.planio import _dump, _yaml, yaml_text

AWKWARD = ["C001", "P-QA-DC", "2024-Q1", "yes", "no", "true", "True", "Null", "null", "~",
           "1", "1.0", "-0.0", ".inf", "e10", "", " x", "x ", "a: b", "- x", "#c", "a #c",
           "2024-01-31", "x\ny", "'q'", '"d"', "@at", "%p", "*al", "&an", "!t", "{}", "[]",
           "a" * 59, "a" * 60, "a" * 200, "Điều động cán bộ " * 8, "\t", "\ufeff", "\u2028"]
scalars = st.one_of(st.sampled_from(AWKWARD), st.text(max_size=90), st.none(),
                    st.booleans(), st.integers(), st.floats(allow_nan=False))
values = st.one_of(scalars, st.lists(st.one_of(st.sampled_from(AWKWARD), st.text(max_size=20)),
                                     max_size=3))
records = st.lists(st.dictionaries(st.one_of(st.sampled_from(["cadre", "from", "yes", "a b"]),
                                             st.text(max_size=8)), values, min_size=1,
                                   max_size=4), max_size=5)
documents = st.dictionaries(st.sampled_from(["moves", "unplaced", "title", "1", "yes", "x y"]),
                            st.one_of(records, scalars), min_size=1, max_size=4)


def ruamel_text(data: Any) -> str:
    return _dump(_yaml(), data)


@settings(max_examples=300, deadline=None)
@given(documents)
def test_the_writer_gives_ruamel_s_text_for_any_document(document: dict[str, Any]) -> None:
    assert yaml_text(document) == ruamel_text(document)


def test_a_list_shared_by_two_records_keeps_ruamel_s_anchor() -> None:
    shared = ["age-limit"]
    document = {"unplaced": [{"cadre": "C1", "rules": shared},
                             {"cadre": "C2", "rules": shared}]}
    assert yaml_text(document) == ruamel_text(document)
    assert "&id001" in yaml_text(document)


def test_a_plan_s_moves_are_written_one_field_a_line() -> None:
    document = {"scenario": "demo", "moves": [
        {"cadre": "C010", "form": "appointment", "from": None, "to": "P-XL-PBT",
         "round": "2024-Q1"}], "unplaced": [], "provenance": {"run": "x"}}
    assert yaml_text(document) == (
        "scenario: demo\nmoves:\n- cadre: C010\n  form: appointment\n  from: null\n"
        "  to: P-XL-PBT\n  round: 2024-Q1\nunplaced: []\nprovenance:\n  run: x\n")
