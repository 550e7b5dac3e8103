"""Audit a plan for the unlawful move classes issue 9 lists, from the roster itself.

    python benchmarks/lawful_audit.py SCENARIO PLAN_FOLDER [--json]

The checker judges a plan by the rule files; this audit re-reads the plan with its own plain
reading of the roster, so a rule file that encodes the law wrongly (the bug issue 9 was
about) shows up here as a count above zero:
- an upward move (a higher post by the equivalence table, or staff → leadership) by any form
  but appointment (or a rotation pinned `higher: true`), or by a cadre in no planning pool;
- a move of a cadre under discipline, investigation, prosecution or trial on its date;
- relatives both in one locality's leadership (Party, People's Committee, Council, Front)
  after the plan, where the plan moved one of them there;
- a secondment without an end date, longer than 36 months, or of an elected (non civil
  servant) post holder;
It also counts what should appear: secondments with their end dates, appointments, and
appointments into posts that were vacant or opened by another move of the plan.
Exit 1 if any unlawful class is above zero.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

from planner.calendar import add_months
from planner.forms import relation
from planner.plan import read_moves
from planner.workspace import load_workspace

BLOCKING = ("discipline", "investigation", "prosecution", "trial")
ELECTED = ("secretary", "deputy_secretary", "chair", "vice_chair", "council_chair",
           "front_chair")
LEADERSHIP_KINDS = ("dang_uy", "ubnd", "hdnd", "mttq")


def audit(scenario: Path, plan_folder: Path) -> dict[str, object]:
    ws = load_workspace(scenario)
    facts, roster = ws.facts, ws.scenario.roster
    plan = read_moves(plan_folder / "moves.csv", ws.scenario)
    pinned_higher = {p.value.cadre for p in ws.scenario.pins if getattr(p.value, "higher", False)}
    unlawful: Counter[str] = Counter()
    examples: dict[str, str] = {}

    def flag(kind: str, move_text: str) -> None:
        unlawful[kind] += 1
        examples.setdefault(kind, move_text)

    holder = dict(roster.holder_by_position)
    vacated = {m.from_position for m in plan.moves if m.from_position and m.form != "secondment"}
    counts: Counter[str] = Counter()
    for move in plan.moves:
        cadre = roster.cadre_by_id[move.cadre]
        text = f"{move.cadre} {move.form} {move.from_position} → {move.to_position} {move.round}"
        counts[move.form] += 1
        origin = roster.position_by_id[move.from_position] if move.from_position else None
        target = roster.position_by_id[move.to_position]
        upward = (relation(facts, move.from_position, move.to_position, move.start) == "higher"
                  or (origin is not None and origin.role == "staff" and target.role != "staff"))
        if origin is not None and target.grade > origin.grade and move.form != "appointment":
            # grade only orders posts (the table judges them): reported, not flagged
            counts["grade up, not an appointment"] += 1
            examples.setdefault("(info) grade up, not an appointment", text)
        if upward:
            counts["upward"] += 1
            if move.form != "appointment" and not (move.form == "rotation"
                                                   and move.cadre in pinned_higher):
                flag(f"promotion by {move.form}", text)
            if not cadre.pool:
                flag("promotion without a planning pool", text)
        if cadre.status in BLOCKING and (cadre.status_until is None
                                         or move.start <= cadre.status_until):
            flag(f"move under {cadre.status}", text)
        if move.form == "secondment":
            if move.end is None:
                flag("secondment without an end date", text)
            else:
                counts["secondment with an end date"] += 1
                if move.end > add_months(move.start, 36):
                    flag("secondment over 36 months", text)
            if origin is not None and origin.role in ELECTED:
                flag("secondment of an elected cadre", text)
        if move.form == "appointment" and (move.to_position not in holder
                                           or move.to_position in vacated):
            counts["appointment into a vacant or opened post"] += 1
    # relatives in one locality's leadership after the plan
    post_after = {c.id: c.position for c in roster.cadres}
    for move in plan.moves:
        if move.form != "secondment":
            post_after[move.cadre] = move.to_position
    moved = {m.cadre for m in plan.moves if m.form != "secondment"}

    def leadership_locality(post: str | None) -> str | None:
        if post is None:
            return None
        place = facts.place(post)
        if place["role"] == "staff" or place["unit_kind"] not in LEADERSHIP_KINDS:
            return None
        return str(place["locality"])

    for relation_row in roster.relations:
        a, b = relation_row.a, relation_row.b
        if a not in post_after or b not in post_after or not ({a, b} & moved):
            continue
        where = leadership_locality(post_after[a])
        if where is not None and where == leadership_locality(post_after[b]):
            flag("relatives in one locality's leadership",
                 f"{a} {post_after[a]} and {b} {post_after[b]} ({relation_row.relation})")
    return {"moves": len(plan.moves), "counts": dict(sorted(counts.items())),
            "unlawful": dict(sorted(unlawful.items())), "examples": examples}


def main(argv: list[str]) -> int:
    args = [a for a in argv if a != "--json"]
    result = audit(Path(args[0]), Path(args[1]))
    if "--json" in argv:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print(f"{result['moves']} moves; {result['counts']}")
        unlawful = result["unlawful"]
        assert isinstance(unlawful, dict)
        print("unlawful move classes: " + (", ".join(f"{k} {v}" for k, v in unlawful.items())
                                           or "none"))
        for kind, example in dict(result["examples"]).items():  # type: ignore[call-overload]
            print(f"  e.g. {kind}: {example}")
    return 1 if result["unlawful"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
