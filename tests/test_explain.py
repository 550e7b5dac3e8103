"""`explain --why-not` names, for every hard rule kind that forbids a move, the rule and the
clause that fails, with the other cadres involved (issue 12). Hand-checked on the demo."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from planner.cli import main
from planner.explain import refusals, why_not
from planner.facts import Facts
from planner.plan import Move, Plan
from planner.workspace import load_workspace

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "scenarios" / "demo" / "scenario.yaml"


@pytest.fixture(scope="module")
def demo() -> Facts:
    return load_workspace(DEMO).facts


def text(facts: Facts, cadre: str, post: str, plan: Plan | None = None) -> str:
    lines, _possible = why_not(facts, plan or Plan([]), cadre, post)
    return "\n".join(lines)


def refusal(facts: Facts, cadre: str, post: str, rule_id: str, form: str,
            plan: Plan | None = None) -> tuple[str, list[str], tuple[str, ...]]:
    found, _allowed = refusals(facts, plan or Plan([]), cadre, post)
    hits = [r for r in found if r.rule_id == rule_id and r.form == form]
    assert hits, [(r.rule_id, r.form) for r in found]
    return hits[0].clause, hits[0].rounds, hits[0].cadres


# (cadre, post, rule, form, words of the failing clause, other cadres named)
PER_KIND = [
    # move_graph: a periodic position change moves non-leaders only (a ward secretary here)
    ("C030", "P-XL-PCT", "rotation-directions", "position_change",
     "matches no allowed direction", ()),
    # eligibility: service left
    ("C001", "P-TH-PBT", "rotation-eligibility", "rotation",
     "74 months of service left on 2024-01-01 (retires 2030-03-12), 120 needed", ()),
    # non_local: key posts not held by locals
    ("C002", "P-TH-BT", "non-local-key-posts", "position_change",
     "(hometown TH-QA) is local to TH and may not take secretary post P-TH-BT", ()),
    # exemption (deferral): pregnant until 2024-06-30
    ("C011", "P-TH-BT", "position-change-deferral", "position_change",
     "deferred from position_change on 2024-01-01: status pregnant until 2024-06-30", ()),
    # exemption (retirement): the clause holds only from 2025-Q2
    ("C012", "P-TH-BT", "position-change-exempt-retirement", "position_change",
     "15 months to retirement on 2025-04-01", ()),
    # relatives: the husband/parent named, with the clause
    ("C013", "P-TH-BT", "relatives-qd114", "position_change",
     "C012 and C013 (parent) head a level and one of its listed sectors", ("C012",)),
    ("C030", "P-XL-PCT", "relatives-qd114", "position_change",
     "C030 and C039 (spouse) are head and deputy of one unit", ("C039",)),
    # tenure_limit: a due cadre's move that does not end the tenure (C008, staff of Phòng
    # Nội vụ, due under the periodic change by 2024-Q3; a transfer would end it too)
    ("C008", "P-TH-TNMT-CV", "position-change-period", "secondment",
     "moves only by secondment, which does not end the tenure", ()),
    # one holder per post: the holder who stays is named
    ("C001", "P-TH-PBT", "structure.one-holder", "position_change",
     "P-TH-PBT has 2 holders in 2024-Q1: C001, C002", ("C002",)),
]


@pytest.mark.parametrize(("cadre", "post", "rule_id", "form", "clause", "others"), PER_KIND,
                         ids=[f"{case[2]}-{case[0]}" for case in PER_KIND])
def test_why_not_names_the_rule_and_the_failing_clause_for_each_kind(
        demo: Facts, cadre: str, post: str, rule_id: str, form: str, clause: str,
        others: tuple[str, ...]) -> None:
    found_clause, _rounds, involved = refusal(demo, cadre, post, rule_id, form)
    assert clause in found_clause
    assert set(others) <= set(involved)


def test_a_dated_exemption_is_quoted_for_the_rounds_it_holds_in(demo: Facts) -> None:
    """C012 retires 2026-07-15: under 18 months to retirement only from 2025-Q2 on."""
    _clause, rounds, _others = refusal(demo, "C012", "P-TH-BT",
                                       "position-change-exempt-retirement", "position_change")
    assert rounds[0] == "2025-Q2" and "2025-Q1" not in rounds


def test_a_head_opted_into_the_two_term_rule_is_told_which_forms_end_it(
        tmp_path_factory: pytest.TempPathFactory) -> None:
    """C006 (head of Phòng Nội vụ since 2015) is due only where the district opts its other
    heads in (QĐ 65 Đ.4 k.2): then a position change does not end his tenure."""
    overlay = tmp_path_factory.mktemp("opted") / "overlay.yaml"
    overlay.write_text(f"extends: {DEMO}\nenable: [rotation-two-terms-other-heads]\n",
                       encoding="utf-8")
    opted = load_workspace(overlay).facts
    clause, _rounds, _others = refusal(opted, "C006", "P-TH-BT", "rotation-two-terms-other-heads",
                                       "position_change")
    assert ("moves only by position_change, which does not end the tenure (rotation, transfer, "
            "appointment would)") in clause
    found, _allowed = refusals(load_workspace(DEMO).facts, Plan([]), "C006", "P-TH-BT")
    assert not any(r.rule_id.startswith("rotation-two-terms") for r in found)


def test_a_late_move_of_a_due_cadre_names_the_due_round(demo: Facts) -> None:
    clause, rounds, _others = refusal(demo, "C008", "P-TH-BT", "position-change-period",
                                      "position_change")
    assert "due by 2024-Q3" in clause
    assert "2024-Q3" not in rounds and "2024-Q4" in rounds


@pytest.fixture(scope="module")
def hard_continuity(tmp_path_factory: pytest.TempPathFactory) -> Facts:
    """The demo with its continuity rules made hard (they are soft by default [I])."""
    overlay = tmp_path_factory.mktemp("hard") / "overlay.yaml"
    overlay.write_text(f"extends: {DEMO}\nset:\n"
                       "  adaptation-share: {severity: hard}\n"
                       "  secretary-chair-not-together: {severity: hard}\n", encoding="utf-8")
    return load_workspace(overlay).facts


def test_adaptation_rules_name_the_other_arrival(hard_continuity: Facts) -> None:
    """With C032 becoming chair of phường Quảng An in 2024-Q1, a new secretary (C031) or a
    second new leader of its People's Committee (C001) in 2024-Q1 breaks continuity (made
    hard here: why-not lists the hard rules)."""
    demo = hard_continuity
    first = demo.rounds[0]
    plan = Plan([Move("C032", "position_change", "P-NT-CT", "P-QA-CT", first.name, 0,
                      first.start)])
    clause, rounds, others = refusal(demo, "C031", "P-QA-BT", "secretary-chair-not-together",
                                     "position_change", plan)
    assert "chair and secretary adapt together in 2024-Q1" in clause and others == ("C032",)
    assert "2024-Q1" in rounds
    clause, _rounds, others = refusal(demo, "C001", "P-QA-PCT", "adaptation-share",
                                      "position_change", plan)
    assert "2 of its 2 leaders adapt in 2024-Q1, at most 1 (50% of 2)" in clause
    assert others == ("C032",)


def test_secondment_is_judged_with_its_end_date(demo: Facts) -> None:
    """A secondment ends on its lawful end (36 months, secondment-max-36): the pregnant C011
    is exempt from it."""
    said = text(demo, "C011", "P-TH-BT")
    assert "secondment (ending on its lawful end, e.g. 2027-01-01" in said
    clause, _rounds, _others = refusal(demo, "C011", "P-TH-BT", "secondment-exempt-child",
                                       "secondment")
    assert "exempt from secondment on 2024-01-01: status pregnant until 2024-06-30" in clause


def test_a_freeze_forbids_moves_in_its_window_only(tmp_path: Path) -> None:
    """KL 128 stops transfers into leadership posts from 2025-03-07 to 2025-07-01: a transfer
    of C021 to chair P-QA-CT starting 2025-04-01 (2025-Q2), not one in 2025-Q1 or Q3."""
    overlay = tmp_path / "freeze.yaml"
    overlay.write_text(f"extends: {DEMO}\nenable: [freeze-kl-128]\n", encoding="utf-8")
    facts = load_workspace(overlay).facts
    found, _allowed = refusals(facts, Plan([]), "C021", "P-QA-CT")
    frozen = [r for r in found if r.rule_id == "freeze-kl-128" and r.form == "transfer"]
    assert frozen, [(r.rule_id, r.rounds) for r in found]
    rounds = {name for r in frozen for name in r.rounds}
    assert rounds == {"2025-Q2"}
    assert ("C021: transfer to P-QA-CT (chair) on 2025-04-01 falls in the freeze from "
            "2025-03-07 until 2025-07-01") in frozen[0].clause


def test_a_hard_quota_maximum_names_the_quota(tmp_path: Path) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_text(
        "ruleset: cap\ninclude: [" + str(REPO / "rules" / "plan-188.yaml") + "]\nrules:\n"
        "  - id: no-position-change-into-quang-an\n    kind: quota\n"
        "    label: \"Không chuyển đổi vị trí về UBND phường Quảng An\"\n"
        "    basis: \"chỉ tiêu của quận (minh họa)\"\n"
        "    applies_to: {move.form: position_change, to.unit: U-QA-UB}\n"
        "    params: {max: 0, per: horizon}\n", encoding="utf-8")
    overlay = tmp_path / "scenario.yaml"
    overlay.write_text(f"extends: {DEMO}\nrules: [rules.yaml]\n", encoding="utf-8")
    facts = load_workspace(overlay).facts
    clause, _rounds, _others = refusal(facts, "C032", "P-QA-CT",
                                       "no-position-change-into-quang-an", "position_change")
    assert "1 matching move in the horizon, at most 0: C032→P-QA-CT" in clause


def test_explain_why_not_on_the_command_line_prices_an_allowed_move(tmp_path: Path) -> None:
    plan_dir = tmp_path / "plan"
    planned = CliRunner().invoke(main, ["plan", str(DEMO), "-o", str(plan_dir)])
    assert planned.exit_code == 0, planned.output
    result = CliRunner().invoke(main, ["explain", str(DEMO), str(plan_dir), "--cadre", "C032",
                                       "--why-not", "P-QA-CT"])
    assert result.exit_code == 0, result.output
    assert "C032 → P-QA-CT" in result.output
    # the chair C023 holds the post in this plan: a clash re-planning resolves
    assert "in this plan, clashes with structure.one-holder" in result.output
    assert "P-QA-CT has 2 holders in 2024-Q1: C023, C032" in result.output
    # a ward chair is a leader: rotated, never moved by a periodic position change
    assert "allowed by every per-move hard rule as rotation in 2024-Q1" in result.output
    assert "forcing it costs" in result.output
