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
from planner.i18n.messages import translate
from planner.kinds.adaptation import adapting_in_round, leadership_cap
from planner.kinds.base import Timeline
from planner.models import LEADER_ROLES, LEVELS
from planner.plan import Plan, read_moves
from planner.planio import kpis as plan_kpis
from planner.planio import read_unplaced, sha256_of
from planner.ruleset import Rule
from planner.yamlio import read_yaml


class Redactor:
    """Pseudonyms for cadres: a prefix and the first hex digits of HMAC-SHA256(key, id).

    The key is a fresh random secret per report unless the caller gives one (the same key
    gives the same pseudonyms across reports); it is never written anywhere, so hashing
    every possible id (C000…C999) does not reverse a pseudonym. Four digits, or more if two
    cadres of the roster would share them. With `active` False names and ids pass through.
    """

    def __init__(self, cadre_names: dict[str, str], prefix: str, active: bool,
                 key: bytes | None = None, lang: str = "vi",
                 posts: dict[str, str] | None = None):
        self.active = active
        self.lang = lang
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
        posts = posts or {}  # leader post ids and titles → their generalised title
        tokens = sorted({*cadre_names, *(n for n in cadre_names.values() if n), *posts},
                        key=len, reverse=True)
        self._pattern = re.compile("|".join(rf"(?<![\w-]){re.escape(t)}(?![\w-])"
                                            for t in tokens)) if tokens else None
        self._by_token = {**posts, **{n: self.alias[c] for c, n in cadre_names.items() if n},
                          **self.alias}

    def cadre(self, cadre_id: str) -> str:
        """How a cadre is named: 'C017' (plain) or 'Cán bộ 7F3A' (redacted)."""
        return self.alias.get(cadre_id, cadre_id) if self.active else cadre_id

    def name(self, cadre_id: str) -> str:
        if self.active:
            return self.alias.get(cadre_id, cadre_id)
        return self.names.get(cadre_id, "")

    def post(self, post: dict[str, Any]) -> dict[str, Any]:
        """A post as shown: a leader's post (one holder: its title names them) generalised
        to role and level, its id and unit dropped; other posts as they are."""
        if not self.active or post.get("role") not in LEADER_ROLES:
            return post
        title = generalised_title(post["role"], post["level"], self.lang)
        return {**post, "id": "", "title": title, "unit": "", "unit_name": ""}

    def text(self, text: str) -> str:
        """Free text (reasons, violation messages) with every id and name replaced."""
        if not self.active or self._pattern is None:
            return text
        return self._pattern.sub(lambda m: self._by_token[m.group(0)], text)


def generalised_title(role: str, level: str, lang: str) -> str:
    """'Cấp trưởng (Quận/huyện)': what a redacted report says instead of a leader's title."""
    from planner.i18n import label

    return f"{label('role', role, lang)} ({label('level', level, lang)})"


def leader_posts(facts: Facts, lang: str) -> dict[str, str]:
    """Each leader post's id and title → its generalised title (for redacting free text)."""
    found: dict[str, str] = {}
    for position in facts.roster.positions:
        if position.role in LEADER_ROLES:
            place = facts.place(position.id)
            general = generalised_title(position.role, place["level"], lang)
            found[position.id] = general
            found[position.title] = general
    return found


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
    #: what the scenario changes against its base and rule files (kind, subject, detail, where)
    assumptions: list[dict[str, str]] = field(default_factory=list)
    #: cadres an exemption or deferral rule keeps from moves at the horizon start
    exempt: list[dict[str, Any]] = field(default_factory=list)
    #: plan.yaml's infeasibility record (stuck cadres, refusing rules, relaxation), or None
    infeasibility: dict[str, Any] | None = None
    #: every rule of the rule set: id, label, basis, kind, severity, weight, active
    rule_table: list[dict[str, Any]] = field(default_factory=list)
    #: the checker's counts behind the verdict (ok, hard, soft, hard_rules, penalty_total)
    check: dict[str, Any] = field(default_factory=dict)
    #: the rounds' first days (ISO), for date cells
    round_starts: dict[str, str] = field(default_factory=dict)
    #: each objective term (the scenario's weights, then the active soft rules) with its
    #: weight, whether it acts and its contribution to this plan
    objective: list[dict[str, Any]] = field(default_factory=list)
    #: open posts a move may go to (id, title, unit name), for the workbook's dropdown
    posts: list[tuple[str, str, str]] = field(default_factory=list)


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
        scenario_path=shown_path(scenario.path),
        plan_path=shown_path(plan_dir),
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
        penalties=_violations(facts, report.soft, redactor),
        hard=_violations(facts, report.hard, redactor),
        check={"ok": report.ok, "hard": len(report.hard), "soft": len(report.soft),
               "hard_rules": len({v.rule_id for v in report.hard}),
               "penalty_total": round(sum(report.penalties().values()), 6)},
        rules=rules,
        inputs_changed=changed_inputs(document, scenario.path.parent),
        redacted=redactor.active,
        assumptions=_assumptions(facts, redactor),
        exempt=_exempt(facts, redactor, rules),
        infeasibility=_infeasibility(facts, plan, document, redactor),
        rule_table=[{"id": r.id, "label": r.label, "basis": r.basis, "kind": r.kind,
                     "severity": r.spec.severity, "weight": r.weight,
                     "active": r.id not in facts.ruleset.disabled}
                    for r in facts.ruleset.rules],
        objective=_objective(facts, plan, report.penalties()),
        round_starts={r.name: r.start.isoformat() for r in scenario.rounds},
        posts=[] if redactor.active else sorted(
            (p.id, p.title, facts.roster.unit_by_id[p.unit].name)
            for p in facts.roster.positions),
    )


def _post(facts: Facts, position_id: str | None) -> dict[str, Any]:
    if position_id is None:
        return {"id": "", "title": "", "unit": "", "unit_name": "", "level": "none",
                "bloc": "", "role": ""}
    place = facts.place(position_id)
    unit = facts.roster.unit_by_id[place["unit"]]
    return {"id": position_id, "title": place["title"], "unit": unit.id,
            "unit_name": unit.name, "level": place["level"], "bloc": place["bloc"],
            "role": place["role"]}


def _moves(facts: Facts, plan: Plan, redactor: Redactor) -> list[dict[str, Any]]:
    rows = []
    for move in plan.moves:
        rows.append({
            "cadre": redactor.cadre(move.cadre), "name": redactor.name(move.cadre),
            "form": move.form, "from": redactor.post(_post(facts, move.from_position)),
            "to": redactor.post(_post(facts, move.to_position)), "round": move.round,
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


def _share_rule(facts: Facts) -> Rule | None:
    """The adaptation rule that caps a unit's share of adapting leaders, if any."""
    return next((r for r in facts.ruleset.of_kind("adaptation")
                 if r.params.max_share_per_unit is not None), None)


def _adaptation_rule(facts: Facts) -> RuleRef | None:
    rule = _share_rule(facts)
    return RuleRef(rule.id, rule.label, rule.basis) if rule else None


def _units(facts: Facts, plan: Plan, redactor: Redactor) -> list[dict[str, Any]]:
    """Units the plan touches: moves in and out, and the share of leaders adapting."""
    touched: dict[str, dict[str, list[dict[str, str]]]] = {}
    for move in plan.moves:
        shown_to = redactor.post(_post(facts, move.to_position))
        arrival = {"cadre": redactor.cadre(move.cadre), "name": redactor.name(move.cadre),
                   "form": move.form, "round": move.round, "post": shown_to["id"],
                   "title": shown_to["title"]}
        touched.setdefault(facts.place(move.to_position)["unit"],
                           {"in": [], "out": []})["in"].append(arrival)
        if move.from_position:
            shown_from = redactor.post(_post(facts, move.from_position))
            departure = {**arrival, "post": shown_from["id"], "title": shown_from["title"]}
            touched.setdefault(facts.place(move.from_position)["unit"],
                               {"in": [], "out": []})["out"].append(departure)
    rule = _share_rule(facts)
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
        shown = redactor.post(_post(facts, post))
        rows.append({"cadre": redactor.cadre(item.cadre), "name": redactor.name(item.cadre),
                     "post": shown["id"], "title": shown["title"],
                     "reason": redactor.text(translate(item.reason, redactor.lang)),
                     "rules": [rules[r].__dict__ if r in rules else {"id": r, "label": "",
                                                                     "basis": ""}
                               for r in item.rules]})
    return rows


def _violations(facts: Facts, violations: list[Any], redactor: Redactor
                ) -> list[dict[str, Any]]:
    """Violations grouped by rule: label, basis, count, total amount and penalty, and each
    violation's message in the report's language (planner.i18n.messages)."""
    grouped: dict[str, dict[str, Any]] = {}
    for item in violations:
        entry = grouped.setdefault(item.rule_id, {
            "rule": item.rule_id, "label": item.label, "basis": item.basis,
            "severity": item.severity, "weight": item.weight, "unit": item.unit, "count": 0,
            "amount": 0.0, "penalty": 0.0, "messages": []})
        entry["count"] += 1
        entry["amount"] += item.amount
        entry["penalty"] += item.penalty
        entry["messages"].append(redactor.text(translate(item.said or item.message,
                                                         redactor.lang)))
    return list(grouped.values())


def shown_path(path: Path) -> str:
    """A path as a report shows it: relative to the working folder, else only its last two
    parts — never an absolute path (it names the machine's user and folders)."""
    resolved = path.resolve()
    try:
        return str(resolved.relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(Path(*resolved.parts[-2:]))


def _where(file: str, line: int | None) -> str:
    return f"{shown_path(Path(file))}:{line}" if line else shown_path(Path(file))


# objective terms of `cost_terms` → the scenario weight they price
_WEIGHT_OF_TERM = {"vacancy filled": "vacancy", "vacancy opened": "vacancy",
                   "overdue": "overdue", "disruption (not due)": "disruption",
                   "disruption (early)": "disruption", "skill fit": "skill_fit"}


def _objective(facts: Facts, plan: Plan, penalties: dict[str, float]) -> list[dict[str, Any]]:
    """Each objective term with its weight and its part of this plan's objective: the
    scenario's weights by the objective's own per-move terms (`cost_terms`, as `explain`
    prints them) summed over the plan's moves; each active soft rule by the checker's
    penalty (its weight × the amount of each violation)."""
    from planner.solver.build import cost_terms
    from planner.solver.candidates import Option
    from planner.weights import MEANINGS, acting

    works = acting(facts)
    totals = dict.fromkeys(MEANINGS, 0.0)
    has_vacancy_rule = any("weights.vacancy" in r.impl.prices for r in facts.ruleset.active)
    for move in plan.moves:
        option = Option(move.cadre, move.form, move.to_position, move.round_index, 0.0, ())
        for name, value in cost_terms(facts, option,
                                      has_vacancy_rule=has_vacancy_rule).items():
            if name in _WEIGHT_OF_TERM:
                totals[_WEIGHT_OF_TERM[name]] += value
    rows: list[dict[str, Any]] = [
        {"term": name, "kind": "weight", "label": meaning,
         "weight": getattr(facts.scenario.weights, name), "acts": works[name],
         "contribution": round(totals[name], 6)} for name, meaning in MEANINGS.items()]
    rows += [{"term": r.id, "kind": "soft", "label": r.label, "weight": r.weight,
              "acts": True, "contribution": round(penalties.get(r.id, 0.0), 6)}
             for r in facts.ruleset.active if not r.hard]
    return rows


def _assumptions(facts: Facts, redactor: Redactor) -> list[dict[str, str]]:
    """What this scenario assumes beyond its rule files: parameters set (with the rule
    file's value), rules disabled/enabled, pins, forbids, roster patches, weights."""
    from planner.models import SolverSettings, Weights
    from planner.rulefiles import load_ruleset

    scenario = facts.scenario
    rows: list[dict[str, str]] = []
    base = None
    if scenario.overrides:
        try:
            base = load_ruleset(scenario.rule_paths)
        except InputError:
            base = None
    for rule_id, params in scenario.overrides.items():
        file, line = scenario.override_origins.get(rule_id, (str(scenario.path), None))
        for name, value in params.items():
            before = ""
            if base is not None:
                spec = next((r for r in base.rules if r.id == rule_id), None)
                raw = getattr(spec.params, name, None) if spec is not None else None
                before = "" if raw is None else str(raw)
            rows.append({"kind": "set", "subject": rule_id, "detail": f"{name}: {value}",
                         "before": before, "where": _where(file, line)})
    for entry in scenario.disabled:
        rows.append({"kind": "disable", "subject": str(entry.value), "detail": "",
                     "before": "", "where": _where(entry.file, entry.line)})
    for entry in scenario.enabled:
        rows.append({"kind": "enable", "subject": str(entry.value), "detail": "",
                     "before": "", "where": _where(entry.file, entry.line)})
    for entry in scenario.pins:
        pin = entry.value
        rows.append({"kind": "pin", "subject": redactor.cadre(pin.cadre),
                     "detail": f"→ {pin.to}" + (f" ({pin.round})" if pin.round else "")
                     + (f" [{pin.form}]" if pin.form else ""),
                     "before": "", "where": _where(entry.file, entry.line)})
    for entry in scenario.forbids:
        forbid = entry.value
        rows.append({"kind": "forbid", "subject": redactor.cadre(forbid.cadre),
                     "detail": f"→ {forbid.to}" if forbid.to else "*", "before": "",
                     "where": _where(entry.file, entry.line)})
    for note in scenario.patch_notes:
        where, _sep, what = note.rpartition(": ")
        rows.append({"kind": "patch", "subject": "", "detail": redactor.text(what or note),
                     "before": "", "where": where and _where(*_split_where(where))})
    for name, value in scenario.weights.model_dump().items():
        default = Weights().model_dump()[name]
        if value != default:
            rows.append({"kind": "weight", "subject": name, "detail": str(value),
                         "before": str(default), "where": shown_path(scenario.path)})
    for name, value in scenario.solver.model_dump().items():
        default = SolverSettings().model_dump()[name]
        if value != default:
            rows.append({"kind": "solver", "subject": name, "detail": str(value),
                         "before": str(default), "where": shown_path(scenario.path)})
    return rows


def _split_where(text: str) -> tuple[str, int | None]:
    file, _sep, line = text.rpartition(":")
    return (file, int(line)) if file and line.isdigit() else (text, None)


def _exempt(facts: Facts, redactor: Redactor, rules: dict[str, RuleRef]) -> list[dict[str, Any]]:
    """Cadres kept from some forms of move at the horizon start, with the rule and reason."""
    from planner.models import ALL_FORMS

    day = facts.rounds[0].start
    rows = []
    for cadre in facts.roster.cadres:
        if not cadre.position:
            continue
        found: dict[str, dict[str, Any]] = {}
        for form in ALL_FORMS:
            for exemption in facts.exemptions(cadre.id, form, day):
                entry = found.setdefault(exemption.rule.id, {
                    "rule": rules.get(exemption.rule.id, RuleRef(exemption.rule.id, "", "")
                                      ).__dict__,
                    "reason": redactor.text(translate(exemption.reason, redactor.lang)),
                    "forms": []})
                entry["forms"].append(form)
        for entry in found.values():
            rows.append({"cadre": redactor.cadre(cadre.id), "name": redactor.name(cadre.id),
                         "status": cadre.status, **entry})
    return rows


def _infeasibility(facts: Facts, plan: Plan, document: dict[str, Any],
                   redactor: Redactor) -> dict[str, Any] | None:
    """The banner's content: plan.yaml's record, or (older plan folders) the due cadres
    under a hard limit that the plan leaves in place."""
    record = document.get("infeasibility")
    if not record and document.get("status") != "infeasible":
        return None
    stuck = list((record or {}).get("stuck") or [])
    if not stuck:
        for item in plan.unplaced:
            due = facts.due(item.cadre)
            if due is not None and due.rule.hard:
                stuck.append({"cadre": item.cadre, "rule": due.rule.id,
                              "round": facts.rounds[due.round_index].name,
                              "refused_by": {r: 0 for r in item.rules}})
    shown = []
    for item in stuck:
        cadre = facts.roster.cadre_by_id.get(item["cadre"])
        post = cadre.position if cadre else None
        shown.append({**item, "cadre": redactor.cadre(item["cadre"]),
                      "name": redactor.name(item["cadre"]),
                      "post": "" if redactor.active else (post or ""),
                      "title": "" if redactor.active or not post else
                      facts.place(post)["title"]})
    core = [{**member, **{key: redactor.text(short_paths(str(member.get(key, ""))))
                          for key in ("instance", "label", "basis")},
             "cadres": [redactor.cadre(c) for c in member.get("cadres") or []]}
            for member in (record or {}).get("core") or []]
    relaxation = dict((record or {}).get("relaxation") or {})
    if relaxation:
        relaxation["description"] = redactor.text(short_paths(str(
            relaxation.get("description", ""))))
    return {"stuck": shown, "relaxation": relaxation or None, "core": core}


def short_paths(text: str) -> str:
    """Free text with every absolute path shown as `shown_path` shows it."""
    return re.sub(r"(?<![\w.\-])/[^\s:()\[\],]+", lambda m: shown_path(Path(m.group(0))),
                  text)
