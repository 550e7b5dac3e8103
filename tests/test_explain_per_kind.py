"""`explain --why-not` and `rotation candidates` name, kind by kind, the hard rule that forbids
a move and the clause that fails (issue 12). Each case is one where that rule alone refuses
the form on the demo (or a tiny overlay adding the rule), hand-checked: the why-not lists it,
and the candidates' judging (`_first_allowed`, the function `rotation candidates` judges each
cadre of the post's column with) gives it as that form's refusal."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from planner import api
from planner.candidates_query import (
    Candidate,
    Neighbourhood,
    _first_allowed,
    _verify,
)
from planner.explain import refusals
from planner.facts import Facts
from planner.kinds import KINDS
from planner.plan import Move, Plan
from planner.solver.candidates import per_move_rules
from planner.workspace import load_workspace

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "scenarios" / "demo" / "scenario.yaml"


def demo(_tmp: Path) -> Path:
    return DEMO


def demo_with_rule(tmp: Path, rule: str) -> Path:
    """An overlay of the demo whose rules are Plan 188's plus `rule` (YAML lines of one
    list item, indented under `rules:`)."""
    (tmp / "rules.yaml").write_text(
        "ruleset: extra\ninclude: [" + str(REPO / "rules" / "plan-188.yaml") + "]\nrules:\n"
        + rule, encoding="utf-8")
    (tmp / "scenario.yaml").write_text(f"extends: {DEMO}\nrules: [rules.yaml]\n",
                                       encoding="utf-8")
    return tmp / "scenario.yaml"


def with_min_tenure(tmp: Path) -> Path:
    """The demo with a minimum tenure before a rotation (QĐ 65 Đ.7's 36 months, as an
    illustration): the demo's rule files have no min_tenure rule."""
    return demo_with_rule(
        tmp, "  - id: rotation-min-36\n    kind: min_tenure\n"
        "    label: \"Luân chuyển tối thiểu 36 tháng\"\n    basis: \"QĐ 65-QĐ/TW Đ.7\"\n"
        "    applies_to: {move.form: rotation}\n    params: {min_months: 36}\n")


def with_xuan_la_abolished(tmp: Path) -> Path:
    """Phường Xuân La merges into Nhật Tân on 2025-01-01 and its posts are abolished."""
    posts = ["P-XL-BT", "P-XL-PBT", "P-XL-CT", "P-XL-PCT", "P-XL-DC", "P-XL-TC", "P-XL-TP",
             "P-XL-VP", "P-XL-MT"]
    (tmp / "mapping.csv").write_text("old_position,new_position\n"
                                     + "".join(f"{p},\n" for p in posts), encoding="utf-8")
    (tmp / "scenario.yaml").write_text(
        f"extends: {DEMO}\nroster:\n  merge: [{{locality: TH-XL, into: TH-NT, on: 2025-01-01,"
        " mapping: mapping.csv}]\n", encoding="utf-8")
    return tmp / "scenario.yaml"


def with_freeze(tmp: Path) -> Path:
    """The demo under KL 128's freeze (off unless a scenario opts in)."""
    (tmp / "scenario.yaml").write_text(f"extends: {DEMO}\nenable: [freeze-kl-128]\n",
                                       encoding="utf-8")
    return tmp / "scenario.yaml"


def with_short_secondments(tmp: Path) -> Path:
    """A stricter, local secondment limit beside the law's 36 months (an illustration): the
    planner ends a secondment by the first limit in force or the away holder's return."""
    return demo_with_rule(
        tmp, "  - id: secondment-max-12-quang-an\n    kind: secondment_max\n"
        "    label: \"Biệt phái về UBND phường Quảng An tối đa 12 tháng\"\n"
        "    basis: \"minh họa\"\n    applies_to: {to.unit: U-QA-UB}\n"
        "    params: {max_months: 12}\n")


def test_secondments_into_quang_an_end_within_the_local_12_months_and_others_within_36(
        tmp_path: Path) -> None:
    from planner.calendar import add_months
    from planner.checker import check_plan
    from planner.solver.run import solve_workspace

    facts = load_workspace(with_short_secondments(tmp_path)).facts
    result = solve_workspace(facts)
    seconded = [m for m in result.plan.moves if m.form == "secondment"]
    assert seconded and all(m.end is not None for m in seconded)
    for m in seconded:
        limit = 12 if facts.place(m.to_position)["unit"] == "U-QA-UB" else 36
        assert m.end is not None and m.end <= add_months(m.start, limit), m
    # C043 covers C028 (back on 2025-07-01) in P-QA-VP: 12 months, before her return
    assert any(m.to_position == "P-QA-VP" and m.end == add_months(m.start, 12)
               for m in seconded)
    assert not check_plan(facts, result.plan).hard


# kind → (scenario, cadre, post, form, rule, words of the failing clause[, round]); the
# round is 2024-Q1 unless given
PER_MOVE: dict[str, tuple[Any, ...]] = {
    "move_graph": (demo, "C001", "P-TH-PBT", "transfer", "rotation-directions",
                   "transfer P-TH-BT → P-TH-PBT (within unit) matches no allowed direction"),
    "eligibility": (demo, "C001", "P-TH-CT", "rotation", "rotation-eligibility",
                    "may not take a rotation to P-TH-CT: is in no planning pool"),
    "exemption": (demo, "C009", "P-TH-NV-TP", "transfer", "no-move-under-discipline",
                  "exempt from transfer on 2024-01-01: status investigation until 2026-06-30"),
    "non_local": (demo, "C002", "P-TH-BT", "appointment", "non-local-key-posts",
                  "C002 (hometown TH-QA) is local to TH and may not take secretary post"),
    "equivalence": (demo, "C001", "P-TH-PBT", "appointment", "equivalent-posts",
                    "P-TH-BT → P-TH-PBT is a lower post"),
    "appointment_conditions": (
        demo, "C005", "P-TH-BT", "appointment", "appointment-conditions-qd80",
        "22 months in the current post (since 2022-03-01), 24 needed"),
    "qualification": (demo, "C008", "P-TH-TC-CV1", "transfer", "transfer-qualification",
                      "P-TH-TC-CV1 needs profession finance_accounting or one of the skills "
                      "finance; C008 is administration"),
    "min_tenure": (with_min_tenure, "C018", "P-TH-NV-PP", "rotation", "rotation-min-36",
                   "has served 26 months in P-TH-BTC-PB (since 2021-11-01) on 2024-01-01; 36 "
                   "are needed before a rotation"),
    "existence": (with_xuan_la_abolished, "C001", "P-XL-BT", "transfer", "post-exists",
                  "P-XL-BT ends on 2025-01-01, before the horizon ends"),
    # KL 128 freezes transfers into leadership posts from 2025-03-07 to 2025-07-01
    "freeze": (with_freeze, "C021", "P-QA-CT", "transfer", "freeze-kl-128",
               "C021: transfer to P-QA-CT (chair) on 2025-04-01 falls in the freeze from "
               "2025-03-07 until 2025-07-01", "2025-Q2"),
}
# kinds whose why-not and candidates cases live elsewhere (named here so that a new kind
# without a case fails the registry test below)
ELSEWHERE = {
    # test_explain.py: the tenure limit's late or non-ending move, adaptation and continuity
    # naming the other arrival, relatives naming the relative, a hard quota's maximum;
    # candidates: below
    "tenure_limit": "below: test_candidates_exclude_a_due_cadre_whose_only_way_in_does_not_"
                    "end_his_tenure",
    "adaptation": "test_explain.py::test_adaptation_rules_name_the_other_arrival; below: "
                  "test_candidates_name_the_adaptation_share_a_pinned_arrival_leaves_full",
    "relatives": "below: test_a_candidate_whose_spouse_heads_the_unit_is_priced_with_her_moved",
    "quota": "below: test_candidates_name_a_hard_quota_that_the_move_breaks",
    # the planner ends each secondment by the tightest limit that may govern it, so no
    # planned secondment breaks one; the checker's case: test_kinds_b.py (40 months)
    "secondment_max": "test_kinds_b.py::test_a_40_month_secondment_is_4_months_over_36",
    # soft kinds forbid nothing: they price the move (test_explain.py prices an allowed move)
    "skill_demand": "soft",
    "vacancy": "soft",
}


def test_every_registered_kind_has_a_why_not_and_candidates_case() -> None:
    assert {k.name for k in KINDS} == set(PER_MOVE) | set(ELSEWHERE)


@pytest.mark.parametrize("kind", sorted(PER_MOVE))
def test_why_not_and_candidates_name_the_rule_and_clause_of_each_per_move_kind(
        kind: str, tmp_path: Path) -> None:
    make, cadre, post, form, rule_id, words, *when = PER_MOVE[kind]
    round_name = when[0] if when else "2024-Q1"
    facts = load_workspace(make(tmp_path)).facts
    assert facts.ruleset.by_id(rule_id).kind == kind
    # why-not: the rule is listed for that form with the failing clause
    found, _allowed = refusals(facts, Plan([]), cadre, post)
    hits = [r for r in found if r.rule_id == rule_id and r.form == form]
    assert hits and words in hits[0].clause, [(r.rule_id, r.form, r.clause) for r in found]
    assert round_name in hits[0].rounds
    # candidates: the same refusal is that form's, for the closest-excluded list
    rounds = [r for r in facts.rounds if r.name == round_name]
    judged = _first_allowed(facts, per_move_rules(facts), cadre, facts.cadre(cadre).position,
                            post, rounds, (form,))
    assert isinstance(judged, list) and len(judged) == 1, judged
    assert (judged[0].form, judged[0].rule_id) == (form, rule_id)
    assert words in judged[0].clause


@pytest.fixture(scope="module")
def demo_plan(tmp_path_factory: pytest.TempPathFactory) -> tuple[Facts, Plan]:
    workspace = api.load_workspace(DEMO)
    outcome = api.plan(workspace)
    return workspace.facts, outcome.plan


def test_candidates_name_a_hard_quota_that_the_move_breaks(tmp_path: Path) -> None:
    scenario = demo_with_rule(
        tmp_path, "  - id: no-arrival-in-quang-an\n    kind: quota\n"
        "    label: \"Không điều về UBND phường Quảng An\"\n    basis: \"minh họa\"\n"
        "    applies_to: {to.unit: U-QA-UB}\n    params: {max: 0, per: horizon}\n")
    found = api.candidates(scenario, "P-QA-CT", k=1, time_limit_s=20)
    quota = [e for e in found.excluded if e.rule_id == "no-arrival-in-quang-an"]
    assert quota, [(e.cadre, e.rule_id, e.clause) for e in found.excluded]
    assert f"1 matching move in the horizon, at most 0: {quota[0].cadre}→P-QA-CT" in \
        quota[0].clause


def test_a_candidate_whose_spouse_heads_the_unit_is_priced_with_her_moved(
        demo_plan: tuple[Facts, Plan]) -> None:
    """C030 as vice-chair of phường Xuân La, whose chair is his wife C039 (relatives-qd114:
    head and deputy of one unit): lawful only if C039 moves too, and the verified plan does
    move her (the checker finds no relatives clash in it)."""
    facts, plan = demo_plan
    rules = per_move_rules(facts)
    move = _first_allowed(facts, rules, "C030", "P-NT-BT", "P-XL-PCT", facts.rounds)
    assert not isinstance(move, list), move
    coupled = [r for r in facts.ruleset.active if r.hard and r not in rules]

    def hard_of(candidate: Plan) -> set[tuple[str, str, tuple[str, ...]]]:
        return {(v.rule_id, v.message, tuple(v.cadres)) for r in coupled
                for v in r.impl.check(r, facts, candidate) if v.hard}

    clash = [v for v in hard_of(plan.with_move(move)) if v[0] == "relatives-qd114"]
    # in the plan as it stands, the pair clashes: the rule, its clauses and the wife named
    # (head and deputy of one unit; one unit's leadership collective)
    assert clash and all("C039" in cadres for _rule, _message, cadres in clash)
    assert any("C030 and C039 (spouse) are head and deputy of one unit" in message
               for _rule, message, _c in clash), clash
    item = Candidate("C030", "", "P-NT-BT", move.form, move.round)
    _verify(Neighbourhood(facts, plan, "P-XL-PCT"), item, move, 60, None, hard_of)
    assert item.verified and item.delta is not None, item
    assert "C039" in item.changed


def test_candidates_exclude_a_due_cadre_whose_only_way_in_does_not_end_his_tenure() -> None:
    """P-QA-VP's holder C028 studies until 2025-06-30: only a secondment may fill it. C008,
    due for his periodic change by 2024-Q3, would go there only by secondment, which
    returns him home and so does not end his five years (position-change-period)."""
    found = api.candidates(DEMO, "P-QA-VP", k=3, time_limit_s=20)
    assert "C008" not in {c.cadre for c in found.candidates}
    tenure = [e for e in found.excluded if e.cadre == "C008"]
    assert tenure and tenure[0].rule_id == "position-change-period", \
        [(e.cadre, e.rule_id, e.clause) for e in found.excluded]
    assert "reaches 60 months in post on 2024-09-01" in tenure[0].clause
    assert "moves only by secondment" in tenure[0].clause


def hard_of_coupled(facts: Facts) -> Any:
    """The independent checker's hard findings of the coupled rules (those the candidates'
    per-move judging leaves to the plan), as `find_candidates` computes them."""
    rules = per_move_rules(facts)
    coupled = [r for r in facts.ruleset.active if r.hard and r not in rules]

    def hard_of(candidate: Plan) -> set[tuple[str, str, tuple[str, ...]]]:
        return {(v.rule_id, v.message, tuple(v.cadres)) for r in coupled
                for v in r.impl.check(r, facts, candidate) if v.hard}
    return hard_of


def continuity_hard(tmp: Path, pin: str = "") -> Path:
    """The demo with its continuity rules hard (soft by default [I]); `pin`: pin lines."""
    (tmp / "scenario.yaml").write_text(
        f"extends: {DEMO}\nset:\n  adaptation-share: {{severity: hard}}\n"
        "  secretary-chair-not-together: {severity: hard}\n" + pin, encoding="utf-8")
    return tmp / "scenario.yaml"


ADAPTATION_CLAUSE = ("U-XL-DU: 2 of its 2 leaders adapt in 2024-Q1, at most 1 (50% of 2): C013 "
                     "in P-XL-PBT 2024-01-01…2024-04-01, C021 in P-XL-BT 2024-01-01…2024-07-01")


@pytest.mark.parametrize("pinned", [False, True], ids=["free", "pinned"])
def test_candidates_name_the_adaptation_share_a_pinned_arrival_leaves_full(
        tmp_path: Path, pinned: bool) -> None:
    """With continuity hard, the demo plan appoints C013 deputy secretary of phường Xuân La
    in 2024-Q1; the party committee U-XL-DU has 2 leadership posts, so at most 1 (50%) may
    adapt at once. C021 rotated in as its secretary in 2024-Q1 makes 2 of 2: the plan as it
    stands breaks adaptation-share, naming C013. Free, the verified re-solve moves C013
    (another round or post) and prices C021; with C013's appointment pinned by the scenario,
    nothing may give: C021 is excluded naming the rule and its clause, and the scenario's
    pin is never broken to price him."""
    pin = "pin:\n  - {cadre: C013, to: P-XL-PBT, round: 2024-Q1}\n" if pinned else ""
    workspace = api.load_workspace(continuity_hard(tmp_path, pin))
    facts = workspace.facts
    plan = api.plan(workspace).plan
    assert ("C013", "P-XL-PBT", "2024-Q1") in {(m.cadre, m.to_position, m.round)
                                                for m in plan.moves}
    move = _first_allowed(facts, per_move_rules(facts), "C021", "P-QA-BT", "P-XL-BT",
                          facts.rounds[:1])
    assert isinstance(move, Move) and move.form == "rotation", move
    hard_of = hard_of_coupled(facts)
    clash = hard_of(plan.with_move(move)) - hard_of(plan)
    assert clash == {("adaptation-share", ADAPTATION_CLAUSE, ("C013", "C021"))}
    item = Candidate("C021", "", "P-QA-BT", move.form, move.round)
    _verify(Neighbourhood(facts, plan, "P-XL-BT"), item, move, 60, "2024-Q1", hard_of)
    if not pinned:
        assert item.verified and item.delta is not None, item
        assert "C013" in item.changed
    else:
        assert item.delta is None and "C013" not in item.changed, item
        assert item.note.startswith("excluded: adaptation-share: " + ADAPTATION_CLAUSE), item
