"""Before/after the corrected forms (issue 9): how the moves of an earlier plan fare under the
rules of this checkout — kept, changed form, changed destination or round, or vanished — and
which rule refuses each earlier move now.

    python benchmarks/forms_diff.py SCENARIO BEFORE_PLAN_FOLDER AFTER_PLAN_FOLDER

BEFORE is a plan folder written by the planner before the change (on the same roster);
AFTER by this checkout. Prints a JSON summary: counts per category, and per refusing rule.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

from planner.checker import check_plan
from planner.forms import is_upward
from planner.plan import Plan, read_moves
from planner.workspace import load_workspace

# rules that make a cadre due (the two-term rules, the periodic change): not a refusal of a move
DUE_RULES = ("rotation-two-terms", "position-change-period")


def main(scenario: str, before: str, after: str) -> dict[str, object]:
    ws = load_workspace(Path(scenario))
    old = read_moves(Path(before) / "moves.csv", ws.scenario, drop_stale=True)
    new = read_moves(Path(after) / "moves.csv", ws.scenario)
    categories: Counter[str] = Counter()
    refused_by: Counter[str] = Counter()
    old_forms: Counter[str] = Counter(m.form for m in old.moves)
    new_forms: Counter[str] = Counter(m.form for m in new.moves)
    upward_by_form: Counter[str] = Counter(m.form for m in old.moves
                                           if is_upward(ws.facts, m))
    for move in old.moves:
        later = new.move_by_cadre.get(move.cadre)
        if later is None:
            categories["vanished"] += 1
        elif later.form != move.form:
            categories["changed form"] += 1
        elif (later.to_position, later.round) != (move.to_position, move.round):
            categories["changed destination or round"] += 1
        else:
            categories["kept"] += 1
        # which per-move rule of this checkout refuses the earlier move on its own
        alone = check_plan(ws.facts, Plan([move]))
        rules = sorted({v.rule_id for v in alone.hard if move.cadre in v.cadres
                        and not v.rule_id.startswith(("structure", "scenario"))
                        and not v.rule_id.startswith(DUE_RULES)})
        for rule in rules:
            refused_by[rule] += 1
        if not rules:
            refused_by["(still lawful alone)"] += 1
    categories["new"] = sum(1 for m in new.moves if m.cadre not in old.move_by_cadre)
    return {"before": {"moves": len(old.moves), "by_form": dict(old_forms),
                       "upward_by_form": dict(upward_by_form)},
            "after": {"moves": len(new.moves), "by_form": dict(new_forms),
                      "upward_by_form": dict(Counter(m.form for m in new.moves
                                                     if is_upward(ws.facts, m)))},
            "earlier_moves": dict(categories), "earlier_moves_refused_now_by": dict(refused_by)}


if __name__ == "__main__":
    print(json.dumps(main(*sys.argv[1:4]), indent=1, ensure_ascii=False))
