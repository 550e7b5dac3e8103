"""The territory tree and unit lookups, on the demo: Hà Nội ⊃ Tây Hồ ⊃ 3 wards, Ba Vì ⊃ Tây Đằng."""

from __future__ import annotations

import pytest
from conftest import DEMO

from planner.graph import OrgGraph
from planner.roster_io import load_roster


@pytest.fixture(scope="module")
def graph() -> OrgGraph:
    # Read-only use of the repository's demo: nothing here writes.
    return OrgGraph(load_roster(DEMO / "roster"))


@pytest.mark.parametrize(
    ("locality", "ancestors"),
    [
        ("HN", ()),  # the city is the root
        ("TH", ("HN",)),
        ("TH-QA", ("TH", "HN")),  # nearest first
        ("BV-TD", ("BV", "HN")),
        ("NOWHERE", ()),  # unknown ids have no ancestors rather than raising
    ],
)
def test_ancestors_run_from_the_parent_up_to_the_city(graph, locality, ancestors):
    assert graph.ancestors(locality) == ancestors


@pytest.mark.parametrize(
    ("locality", "container", "inside"),
    [
        ("TH-QA", "TH", True),
        ("TH-QA", "HN", True),  # transitively
        ("TH", "TH", True),  # a locality lies within itself
        ("BV-TD", "TH", False),  # a commune of another district
        ("TH", "TH-QA", False),  # a district is not inside its own ward
        (None, "HN", False),  # no hometown recorded: not within anything
    ],
)
def test_is_within_follows_the_tree(graph, locality, container, inside):
    assert graph.is_within(locality, container) is inside


@pytest.mark.parametrize(
    ("locality", "district"),
    [("TH-NT", "TH"), ("BV-TD", "BV"), ("TH", "TH"), ("HN", None)],
)
def test_district_of_is_the_district_containing_a_locality(graph, locality, district):
    assert graph.district_of(locality) == district


def test_level_rank_grows_down_the_hierarchy(graph):
    assert [graph.level_rank(x) for x in ("HN", "TH", "TH-XL")] == [0, 1, 2]


def test_the_demo_territory_has_no_cycle(graph):
    assert graph.find_cycle() == []


def test_positions_know_their_locality_bloc_and_level(graph):
    position_by_id = graph.roster.position_by_id
    ward_chair = position_by_id["P-QA-CT"]
    assert graph.locality_of(ward_chair) == "TH-QA"
    assert graph.bloc_of(ward_chair) == "state"
    assert graph.level_of(ward_chair) == "commune"
    assert graph.level_of(position_by_id["P-TH-BT"]) == "district"


def test_leadership_of_a_unit_is_every_post_but_staff(graph):
    # UBND phường Quảng An: chair, one vice-chair, and four staff posts.
    assert [p.id for p in graph.leadership("U-QA-UB")] == ["P-QA-CT", "P-QA-PCT"]
    assert graph.leadership("U-NO-SUCH") == []


def test_units_are_grouped_by_locality(graph):
    assert graph.units_by_locality["TH-XL"] == ["U-XL-DU", "U-XL-UB", "U-XL-MT"]
    assert "BV" not in graph.units_by_locality  # Ba Vì only appears as hometowns
