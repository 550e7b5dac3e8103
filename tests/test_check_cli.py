"""`rotation check` on the demo's moves files: each catches its rule; bad files exit 2.

Every file in scenarios/demo/moves/ is the clean plan (clean.csv) with one change, so the
hard rule it breaks is the one its name says (documented incidental violations aside).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import DEMO

from planner.cli import main

MOVES = DEMO / "moves"
SCENARIO = str(DEMO / "scenario.yaml")

# moves file → the hard rules it breaks, with how many violations of each.
CAUGHT = {
    # the Party personnel specialist moved by position change to the government's personnel
    # post, of another profession: a position change keeps the profession
    "forbidden-direction.csv": {"rotation-directions": 1},
    # a ward clerk made ward deputy Party secretary by transfer: a promotion by transfer (she
    # is in the pool for the post, so only the form is wrong: it is an appointment)
    "promotion-by-transfer.csv": {"equivalent-posts": 1},
    # before 1 Jul 2025 a ward officer enters the district's civil service by recruitment
    # (tiếp nhận, formerly xét chuyển), not by transfer
    "commune-to-district.csv": {"commune-to-district-recruitment": 1},
    # C009 is under investigation until 2026-06-30 (Luật CBCC 2008 Đ.82(3))
    "investigation.csv": {"no-move-under-discipline": 1},
    # head/deputy and leadership collective; appointing the ward officer C013 straight to a
    # district office also needs her recruitment first
    "relatives.csv": {"relatives-qd114": 2, "commune-to-district-recruitment": 1},
    # C041 takes the district post C011 leaves: a ward officer, she needs recruitment first
    "pregnant.csv": {"position-change-deferral": 1, "commune-to-district-recruitment": 1},
    # C014 was due by 2024-Q1 (18 months to retirement then): moving him in 2024-Q3, when
    # only 12 remain, is both late and inside the retirement exemption.
    "retirement.csv": {"position-change-exempt-retirement": 1, "position-change-period": 1},
    # C016's transfer made a 40-month secondment: too long, and a secondment returns, so it
    # does not end her five years in post; her home post (the district inspectorate) ends with
    # the district on 2025-07-01, before the return: nothing to return to (post-exists)
    "secondment-40.csv": {"secondment-max-36": 1, "position-change-period": 1,
                          "post-exists": 1},
    "due-left.csv": {"position-change-period": 1},
    "no-pool.csv": {"rotation-eligibility": 1},
}


# moves file → the soft rules it breaks (continuity is practice, soft by default [I]): the
# plan stays compliant (exit 0) and pays their penalties.
SOFT_CAUGHT = {
    "adaptation.csv": {"adaptation-share": 1},
    "secretary-chair.csv": {"secretary-chair-not-together": 2},  # 2024-Q2 and 2024-Q3
}


def rotation(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def hard_counts(output: str) -> dict[str, int]:
    report = json.loads(output)
    counts: dict[str, int] = {}
    for item in report["violations"]:
        if item["severity"] == "hard":
            counts[item["rule"]] = counts.get(item["rule"], 0) + 1
    return counts


def test_every_demo_moves_file_is_listed_here():
    assert {p.name for p in MOVES.glob("*.csv")} == {*CAUGHT, *SOFT_CAUGHT, "clean.csv"}


@pytest.mark.parametrize("name", sorted(SOFT_CAUGHT))
def test_each_continuity_moves_file_pays_its_soft_rules_and_stays_compliant(name: str):
    result = rotation("check", SCENARIO, str(MOVES / name))
    assert result.exit_code == 0, result.output
    report = json.loads(rotation("check", "--json", SCENARIO, str(MOVES / name)).output)
    assert report["hard"] == 0
    for rule_id, count in SOFT_CAUGHT[name].items():
        found = [v for v in report["violations"] if v["rule"] == rule_id]
        assert len(found) == count and all(v["severity"] == "soft" for v in found)
        assert all(v["penalty"] > 0 for v in found)


@pytest.mark.parametrize("name", sorted(CAUGHT))
def test_each_demo_moves_file_breaks_exactly_its_rules(name: str):
    result = rotation("check", SCENARIO, str(MOVES / name))
    assert result.exit_code == 1, result.output
    for rule_id in CAUGHT[name]:
        assert rule_id in result.output
    assert "NOT compliant" in result.output
    as_json = rotation("check", "--json", SCENARIO, str(MOVES / name))
    assert hard_counts(as_json.output) == CAUGHT[name]


def test_the_clean_plan_passes_every_hard_rule_and_pays_only_for_vacant_rounds():
    result = rotation("check", SCENARIO, str(MOVES / "clean.csv"))
    assert result.exit_code == 0, result.output
    # eight posts vacant for some rounds (the four vacant at the start — the district
    # office's specialist post all the horizon, and the leadership post filled in 2024-Q3,
    # counted again by vacancy-fill-leadership; the three district posts whose officers go
    # down to wards, which no ward officer may take before 1 Jul 2025 without recruitment;
    # two holders away), and the ward deputy secretary rotated to the environment office
    # lacks its demanded skills: 10
    assert "compliant with every hard rule; 10 soft penalties" in result.output
    report = json.loads(rotation("check", "--json", SCENARIO, str(MOVES / "clean.csv")).output)
    assert report["hard"] == 0
    assert {v["rule"] for v in report["violations"]} == {"vacancy-fill",
                                                         "vacancy-fill-leadership", "skill-demand"}


def test_the_clean_plan_moves_every_due_cadre_by_its_due_round():
    due = json.loads(rotation("validate", "--json", SCENARIO).output)["due"]
    rows = (MOVES / "clean.csv").read_text(encoding="utf-8").splitlines()[1:]
    moved = {row.split(",")[0]: row.split(",")[3] for row in rows}
    assert set(due) <= set(moved)
    assert all(moved[cadre] <= item["round"] for cadre, item in due.items())


def bad_moves(tmp_path: Path, row: str) -> Path:
    path = tmp_path / "moves.csv"
    text = (MOVES / "clean.csv").read_text(encoding="utf-8")
    path.write_text(text + row + "\n", encoding="utf-8")
    return path


BAD_ROWS = {
    "unknown cadre": ("C999,transfer,P-NT-TC,2024-Q2", "cadre: unknown cadre 'C999'"),
    "unknown position": ("C036,transfer,P-NT-TCX,2024-Q2",
                         "to_position: unknown position 'P-NT-TCX' (did you mean 'P-NT-TC'?)"),
    "bad round": ("C036,transfer,P-NT-TC,2024-Q5", "round: '2024-Q5' is not a round"),
    "round outside the horizon": ("C036,transfer,P-NT-TC,2026-Q1",
                                  "round: round '2026-Q1' is outside the horizon"),
    "duplicate cadre": ("C006,transfer,P-NT-TC,2024-Q2",
                        "cadre: cadre C006 already moves on line 2"),
}


@pytest.mark.parametrize("case", sorted(BAD_ROWS))
def test_a_bad_moves_file_exits_2_naming_file_and_line(tmp_path: Path, case: str):
    row, message = BAD_ROWS[case]
    path = bad_moves(tmp_path, row)
    result = rotation("check", SCENARIO, str(path))
    assert result.exit_code == 2
    # clean.csv has a header and 13 moves: the added row is line 15
    assert f"{path}:15: {message}" in result.output
    assert "Traceback" not in result.output


def test_the_json_report_carries_each_violation_with_its_facts_and_the_penalties_per_rule():
    """secondment-40.csv: C016 seconded 2025-04-01 → 2028-08-01, 40 months (hand-counted),
    from a home post that ends with the district on 2025-07-01 (post-exists)."""
    report = json.loads(rotation("check", "--json", SCENARIO,
                                 str(MOVES / "secondment-40.csv")).output)
    assert (report["ok"], report["hard"], report["moves"]) == (False, 3, 13)
    assert report["verdict"] == "NOT compliant: 3 hard violations of 3 rules"
    hard = next(v for v in report["violations"] if v["rule"] == "secondment-max-36")
    basis = hard.pop("basis")
    assert basis.startswith("Luật CBCC 2008 Đ.53")
    assert hard == {
        "rule": "secondment-max-36", "label": "Thời hạn biệt phái không quá 36 tháng",
        "severity": "hard",
        "message": "C016: secondment to P-XL-TC 2025-04-01 → 2028-08-01 lasts 40 "
                   "months, 4 over the limit of 36",
        "amount": 4, "unit": "months over", "cadres": ["C016"],
        "positions": ["P-XL-TC"], "units": [], "rounds": ["2025-Q2"], "penalty": 0.0}
    # a violation naming its failing clause carries it; the others carry no empty one
    # (C016's secondment fails position-change-period's satisfied_by)
    assert all(("clause" in v) == (v["rule"] in ("skill-demand", "position-change-period"))
               for v in report["violations"])
    soft = [v for v in report["violations"] if v["severity"] == "soft"]
    assert report["soft"] == len(soft)
    totals: dict[str, float] = {}
    for v in soft:
        totals[v["rule"]] = totals.get(v["rule"], 0.0) + v["penalty"]
    assert report["penalties"] == totals
