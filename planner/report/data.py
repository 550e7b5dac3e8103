"""What a report shows, gathered once from the plan folder, the scenario and the checker.

The HTML page and the workbook both render this; names go through one `Redactor`, so
`--redact` replaces every name and cadre id in both with the same stable pseudonym.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from planner.checker import check_plan
from planner.errors import InputError, Problem
from planner.facts import Facts
from planner.kinds.adaptation import adapting_in_round, leadership_cap
from planner.kinds.base import Timeline
from planner.models import LEADER_ROLES, LEVELS
from planner.plan import Plan, read_moves
from planner.planio import kpis as plan_kpis
from planner.planio import read_unplaced, sha256_of
from planner.yamlio import read_yaml


class Redactor:
    """Pseudonyms for cadres: a prefix and the first hex digits of HMAC-SHA256(key, id).

    The key is a fresh random secret per report unless the caller gives one (the same key
    gives the same pseudonyms across reports); it is never written anywhere, so hashing
    every possible id (C000…C999) does not reverse a pseudonym. Four digits, or more if two
    cadres of the roster would share them. With `active` False names and ids pass through.
    """

    def __init__(self, cadre_names: dict[str, str], prefix: str, active: bool,
                 key: bytes | None = None):
        self.active = active
        self.names = cadre_names
        self.alias: dict[str, str] = {}
        if not active:
            return
        secret = key if key is not None else secrets.token_bytes(32)
        digests = {cid: hmac.new(secret, cid.encode("utf-8"), hashlib.sha256).hexdigest()
                   .upper() for cid in cadre_names}
        width = 4
        while len({d[:width] for d in digests.values()}) < len(digests) and width < 64:
            width += 1
        self.alias = {cid: f"{prefix} {digest[:width]}" for cid, digest in digests.items()}
        # longest first, so that C0012 is replaced before C001 could match inside it
        tokens = sorted({*cadre_names, *(n for n in cadre_names.values() if n)},
                        key=len, reverse=True)
        self._pattern = re.compile("|".join(rf"(?<![\w-]){re.escape(t)}(?![\w-])"
                                            for t in tokens)) if tokens else None
        self._by_token = {**{n: self.alias[c] for c, n in cadre_names.items() if n},
                          **self.alias}

    def cadre(self, cadre_id: str) -> str:
        """How a cadre is named: 'C017' (plain) or 'Cán bộ 7F3A' (redacted)."""
        return self.alias.get(cadre_id, cadre_id) if self.active else cadre_id

    def name(self, cadre_id: str) -> str:
        if self.active:
            return self.alias.get(cadre_id, cadre_id)
        return self.names.get(cadre_id, "")

    def text(self, text: str) -> str:
        """Free text (reasons, violation messages) with every id and name replaced."""
        if not self.active or self._pattern is None:
            return text
        return self._pattern.sub(lambda m: self._by_token[m.group(0)], text)


@dataclass
class RuleRef:
    id: str
    label: str
    basis: str


@dataclass
class ReportData:
    """Everything the report shows; texts not yet translated (ids and codes)."""

    title: str
    scenario: str
    scenario_path: str
    plan_path: str
    horizon: tuple[str, str]
    rounds: list[str]
    document: dict[str, Any]
    kpis: dict[str, Any]
    moves: list[dict[str, Any]]
    flows: list[dict[str, Any]]
    by_round: list[dict[str, Any]]
    units: list[dict[str, Any]]
    adaptation_rule: RuleRef | None
    unplaced: list[dict[str, Any]]
    penalties: list[dict[str, Any]]
    hard: list[dict[str, Any]]
    rules: dict[str, RuleRef]
    inputs_changed: list[str] = field(default_factory=list)
    redacted: bool = False


def find_scenario(plan_dir: Path) -> Path:
    """The scenario a plan was made from, from plan.yaml's provenance, if unambiguous.

    Candidates are the YAML inputs that are scenario files; the one no other extends is it.
    """
    from planner.planio import marked_scenario

    marked = marked_scenario(plan_dir)
    if marked is not None:
        return marked
    document = read_plan_document(plan_dir)
    inputs = (document.get("provenance") or {}).get("inputs") or {}
    candidates: dict[Path, Any] = {}
    for name in inputs:
        path = Path(name)
        if path.suffix not in (".yaml", ".yml") or not path.exists():
            continue
        try:
            data, _locate = read_yaml(path)
        except InputError:
            continue
        if isinstance(data, dict) and "ruleset" not in data and (
                "horizon" in data or "extends" in data):
            candidates[path.resolve()] = data
    extended = {(path.parent / data["extends"]).resolve() for path, data in candidates.items()
                if data.get("extends")}
    tops = [path for path in candidates if path not in extended]
    if len(tops) != 1:
        raise InputError([Problem(str(plan_dir / "plan.yaml"), None, None, "--scenario",
                                  "cannot tell which scenario this plan was made from "
                                  f"({len(tops)} candidates in its provenance): "
                                  "give it with --scenario")])
    return tops[0]


def read_plan_document(plan_dir: Path) -> dict[str, Any]:
    path = plan_dir / "plan.yaml"
    if not plan_dir.is_dir() or not path.exists():
        raise InputError([Problem(str(path), message="plan.yaml not found: PLAN must be a plan "
                                  "folder written by `rotation plan`")])
    document, locate = read_yaml(path)
    if not isinstance(document, dict) or "kpis" not in document:
        raise InputError([Problem(str(path), *locate(["kpis"]), "kpis",
                                  "no KPIs: not a plan.yaml written by `rotation plan`")])
    return document


def changed_inputs(document: dict[str, Any], base: Path = Path()) -> list[str]:
    """Inputs named in the provenance whose sha256 differs now (or that are gone); names
    are relative to the scenario's folder `base` (older plans: to where they were made)."""
    record = document.get("provenance") or {}
    if "scenario" not in record:
        base = Path()
    changed = []
    for name, digest in (record.get("inputs") or {}).items():
        path = base / name
        if not path.exists() or sha256_of(path) != digest:
            changed.append(name)
    return changed


def gather(facts: Facts, plan_dir: Path, redactor: Redactor) -> ReportData:
    """Read the plan folder against the scenario of `facts` and gather the report's data."""
    document = read_plan_document(plan_dir)
    scenario = facts.scenario
    plan = read_moves(plan_dir / "moves.csv", scenario)
    plan.unplaced = read_unplaced(plan_dir / "unplaced.csv")
    report = check_plan(facts, plan)
    rules = {r.id: RuleRef(r.id, r.label, r.basis) for r in facts.ruleset.rules}
    kpis = plan_kpis(facts, plan)
    kpis["penalty_total"] = round(sum(report.penalties().values()), 6)
    return ReportData(
        title=scenario.title or scenario.name,
        scenario=scenario.name,
        scenario_path=str(scenario.path),
        plan_path=str(plan_dir),
        horizon=(scenario.horizon.start.isoformat(), scenario.horizon.end.isoformat()),
        rounds=[r.name for r in scenario.rounds],
        document=document,
        kpis=kpis,
        moves=_moves(facts, plan, redactor),
        flows=_flows(facts, plan),
        by_round=_by_round(facts, plan),
        units=_units(facts, plan, redactor),
        adaptation_rule=_adaptation_rule(facts),
        unplaced=_unplaced(facts, plan, redactor, rules),
        penalties=_violations(report.soft, redactor),
        hard=_violations(report.hard, redactor),
        rules=rules,
        inputs_changed=changed_inputs(document, scenario.path.parent),
        redacted=redactor.active,
    )


def _post(facts: Facts, position_id: str | None) -> dict[str, Any]:
    if position_id is None:
        return {"id": "", "title": "", "unit": "", "unit_name": "", "level": "none",
                "bloc": ""}
    place = facts.place(position_id)
    unit = facts.roster.unit_by_id[place["unit"]]
    return {"id": position_id, "title": place["title"], "unit": unit.id,
            "unit_name": unit.name, "level": place["level"], "bloc": place["bloc"]}


def _moves(facts: Facts, plan: Plan, redactor: Redactor) -> list[dict[str, Any]]:
    rows = []
    for move in plan.moves:
        rows.append({
            "cadre": redactor.cadre(move.cadre), "name": redactor.name(move.cadre),
            "form": move.form, "from": _post(facts, move.from_position),
            "to": _post(facts, move.to_position), "round": move.round,
            "start": move.start.isoformat(), "end": move.end.isoformat() if move.end else "",
            "adaptation_until": move.adaptation_until.isoformat() if move.adaptation_until
            else "", "direction": facts.direction(move.from_position, move.to_position),
            "rules": list(move.rules),
        })
    return rows


def _group(facts: Facts, position_id: str | None) -> tuple[str, str]:
    if position_id is None:
        return ("none", "")
    place = facts.place(position_id)
    return (place["level"], place["bloc"])


def _flows(facts: Facts, plan: Plan) -> list[dict[str, Any]]:
    """Moves counted by (level, bloc) of origin and destination, with their forms."""
    counts: dict[tuple[tuple[str, str], tuple[str, str]], Counter[str]] = {}
    for move in plan.moves:
        key = (_group(facts, move.from_position), _group(facts, move.to_position))
        counts.setdefault(key, Counter())[move.form] += 1
    order = {level: i for i, level in enumerate([*LEVELS, "none"])}
    return [{"source": {"level": s[0], "bloc": s[1]}, "target": {"level": t[0], "bloc": t[1]},
             "count": sum(forms.values()), "forms": dict(sorted(forms.items()))}
            for (s, t), forms in sorted(counts.items(), key=lambda item: (
                order[item[0][0][0]], item[0][0][1], order[item[0][1][0]], item[0][1][1]))]


def _by_round(facts: Facts, plan: Plan) -> list[dict[str, Any]]:
    return [{"round": r.name, "forms": dict(sorted(Counter(
        m.form for m in plan.moves if m.round_index == r.index).items()))}
        for r in facts.rounds]


def _adaptation_rule(facts: Facts) -> RuleRef | None:
    rule = next((r for r in facts.ruleset.of_kind("adaptation")
                 if r.params.max_share_per_unit is not None), None)
    return RuleRef(rule.id, rule.label, rule.basis) if rule else None


def _units(facts: Facts, plan: Plan, redactor: Redactor) -> list[dict[str, Any]]:
    """Units the plan touches: moves in and out, and the share of leaders adapting."""
    touched: dict[str, dict[str, list[dict[str, str]]]] = {}
    for move in plan.moves:
        arrival = {"cadre": redactor.cadre(move.cadre), "name": redactor.name(move.cadre),
                   "form": move.form, "round": move.round, "post": move.to_position,
                   "title": facts.place(move.to_position)["title"]}
        touched.setdefault(facts.place(move.to_position)["unit"],
                           {"in": [], "out": []})["in"].append(arrival)
        if move.from_position:
            departure = {**arrival, "post": move.from_position,
                         "title": facts.place(move.from_position)["title"]}
            touched.setdefault(facts.place(move.from_position)["unit"],
                               {"in": [], "out": []})["out"].append(departure)
    rule = next((r for r in facts.ruleset.of_kind("adaptation")
                 if r.params.max_share_per_unit is not None), None)
    shares: dict[str, list[float]] = {u: [] for u in touched}
    adapting_ids: dict[str, list[list[str]]] = {u: [] for u in touched}
    if rule is not None:
        timeline = Timeline(facts, plan)
        for round_ in facts.rounds:
            adapting = adapting_in_round(rule, facts, plan, timeline, round_) \
                if rule.in_force(round_.start) else []
            per_unit: dict[str, list[str]] = {}
            for item in adapting:
                place = facts.place(item.position)
                if place["role"] in LEADER_ROLES:
                    per_unit.setdefault(place["unit"], []).append(redactor.cadre(item.cadre))
            for unit_id in touched:
                posts = len(facts.graph.leadership(unit_id))
                ids = per_unit.get(unit_id, [])
                shares[unit_id].append(round(len(ids) / posts, 4) if posts else 0.0)
                adapting_ids[unit_id].append(ids)
    rows: list[dict[str, Any]] = []
    for unit_id, moves in touched.items():
        unit = facts.roster.unit_by_id[unit_id]
        posts = len(facts.graph.leadership(unit_id))
        cap = None
        if rule is not None and posts:
            cap = leadership_cap(rule.params.max_share_per_unit, posts)
        rows.append({"id": unit_id, "name": unit.name, "locality": unit.locality,
                     "locality_name": facts.roster.locality_by_id[unit.locality].name,
                     "leaders": posts, "cap": cap,
                     "cap_share": round(cap / posts, 4) if cap and posts else None,
                     "arrivals": moves["in"], "departures": moves["out"],
                     "shares": shares[unit_id], "adapting": adapting_ids[unit_id]})
    order = {level: i for i, level in enumerate(LEVELS)}
    rows.sort(key=lambda r: (order[facts.roster.locality_by_id[r["locality"]].level],
                             r["locality"], r["id"]))
    return rows


def _unplaced(facts: Facts, plan: Plan, redactor: Redactor,
              rules: dict[str, RuleRef]) -> list[dict[str, Any]]:
    rows = []
    for item in plan.unplaced:
        cadre = facts.roster.cadre_by_id.get(item.cadre)
        post = cadre.position if cadre else None
        rows.append({"cadre": redactor.cadre(item.cadre), "name": redactor.name(item.cadre),
                     "post": post or "", "title": facts.place(post)["title"] if post else "",
                     "reason": redactor.text(item.reason),
                     "rules": [rules[r].__dict__ if r in rules else {"id": r, "label": "",
                                                                     "basis": ""}
                               for r in item.rules]})
    return rows


def _violations(violations: list[Any], redactor: Redactor) -> list[dict[str, Any]]:
    """Violations grouped by rule: label, basis, count, total amount and penalty, messages."""
    grouped: dict[str, dict[str, Any]] = {}
    for item in violations:
        entry = grouped.setdefault(item.rule_id, {
            "rule": item.rule_id, "label": item.label, "basis": item.basis,
            "severity": item.severity, "weight": item.weight, "unit": item.unit, "count": 0,
            "amount": 0.0, "penalty": 0.0, "messages": []})
        entry["count"] += 1
        entry["amount"] += item.amount
        entry["penalty"] += item.penalty
        entry["messages"].append(redactor.text(item.message))
    return list(grouped.values())
