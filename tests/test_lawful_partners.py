"""A due cadre with no open post they may take gets partners whose posts they may take.

On large rosters the movers are the due cadres and few others; a due cadre with too few
options recruits "chain partners", the holders of the posts closest to them — by a ranking
that knows nothing of the rules. hanoi-2025 left a ward accountant stuck that way: her only
lawful changes were the other accountant posts of her own commune, far down the ranking.
The last stage scans the closest held posts with the rules themselves.

Two wards, one accountant each, no vacancy: A is due for her periodic change, B is not. The
only way A moves is a swap with B. SMALL_ROSTER is patched below the roster's size (the
large-roster path) and MIN_OPTIONS to 0 (no closeness-ranked partners at all).
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

import planner.solver.candidates as candidates
from planner.solver.run import solve_workspace
from planner.workspace import load_workspace

ROSTER = {
    "localities": """\
id,name,level,kind,parent,valid_from,valid_to,successor
HN,Thành phố Hà Nội,city,thanh_pho,,,,
D,Quận D,district,quan,HN,,,
W1,Phường W1,commune,phuong,D,,,
W2,Phường W2,commune,phuong,D,,,
""",
    "units": """\
id,name,locality,bloc,kind,sector
U-W1,UBND phường W1,W1,state,ubnd,
U-W2,UBND phường W2,W2,state,ubnd,
""",
    "positions": """\
id,unit,title,role,grade,key,listed_sector,profession,skills
P-W1-KT,U-W1,Kế toán phường W1,staff,2,false,finance_budget,finance_accounting,finance
P-W2-KT,U-W2,Kế toán phường W2,staff,2,false,finance_budget,finance_accounting,finance
""",
    "cadres": """\
id,name,gender,birth_date,hometown,position,position_start,profession,skills,pool,status,\
status_until,child_birth_date,volunteer
A,Nguyễn Thị A,female,1985-01-01,W1,P-W1-KT,2020-01-01,finance_accounting,finance,,active,,,false
B,Trần Văn B,male,1986-01-01,W2,P-W2-KT,2023-06-01,finance_accounting,finance,,active,,,false
""",
}

RULES = """\
ruleset: partners
rules:
  - id: period
    kind: tenure_limit
    label: "Định kỳ chuyển đổi vị trí công tác"
    basis: "NĐ 59/2019 Đ.36"
    applies_to: {position.listed_sector: {not: ""}}
    params: {max_months: 48, form: position_change}
"""


def workspace(folder: Path):
    roster = folder / "roster"
    roster.mkdir(parents=True)
    for name, text in ROSTER.items():
        (roster / f"{name}.csv").write_text(text, encoding="utf-8")
    (folder / "rules.yaml").write_text(RULES, encoding="utf-8")
    scenario = folder / "scenario.yaml"
    scenario.write_text(textwrap.dedent("""\
        name: partners
        horizon: {start: 2024-01-01, end: 2025-01-01, round: quarter}
        data: roster/
        rules: [rules.yaml]
        solver: {time_limit_s: 10, gap: 0.0, seed: 0}
        """), encoding="utf-8")
    return load_workspace(scenario)


@pytest.fixture
def large_roster_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(candidates, "SMALL_ROSTER", 1)
    monkeypatch.setattr(candidates, "MIN_OPTIONS", 0)


def test_a_due_cadre_with_no_open_post_swaps_with_the_holder_of_a_post_she_may_take(
        tmp_path: Path, large_roster_path: None) -> None:
    ws = workspace(tmp_path)
    assert ws.facts.due_cadres == ["A"]
    plan = solve_workspace(ws.facts).plan
    assert {(m.cadre, m.to_position, m.round) for m in plan.moves} == {
        ("A", "P-W2-KT", "2024-Q1"), ("B", "P-W1-KT", "2024-Q1")}
    assert plan.unplaced == []


def test_without_the_lawful_partners_the_same_cadre_has_no_destination(
        tmp_path: Path, large_roster_path: None, monkeypatch: pytest.MonkeyPatch) -> None:
    # the control: the swap above comes from the rule-aware scan, not from elsewhere
    monkeypatch.setattr(candidates, "_recruit_lawful_partners",
                        lambda job, result, movers, judged, may_move: job.open_posts)
    plan = solve_workspace(workspace(tmp_path).facts).plan
    assert plan.moves == []
    assert [u.cadre for u in plan.unplaced] == ["A"]
    assert "no allowed destination among the open posts" in plan.unplaced[0].reason
