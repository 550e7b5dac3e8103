"""Candidates: for each cadre who may move, the (position, round, form) options the hard
per-move rules allow, judged by the rule kinds' own `judge_move` — never a second copy.

Who may move: cadres who are due (a tenure limit falls in the horizon) and pinned cadres;
cadres in a planning pool, for an appointment to a post their pool covers; and, for a post
whose holder is away for a known period (study, illness…), the closest civil servants on
equivalent posts, for a secondment that ends when the holder returns.
Where: open posts — vacant ones and those the movers leave — so chains of moves fill the
posts that due cadres vacate. A due cadre under a hard tenure limit may only move by its due
round; under a soft one, later rounds cost a penalty per round late.
Which form (planner.forms): the lateral forms first, an appointment for an upward move, a
secondment into an away holder's post, and a secondment first when a district civil servant
not due fills a ward's vacancy (reinforcement of the base, "tăng cường cho cơ sở").
"""

from __future__ import annotations

import datetime as dt
import heapq
import zlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from planner import deadline
from planner.calendar import Round, add_months
from planner.facts import Facts
from planner.forms import (
    MIN_COVER_MONTHS,
    away_posts,
    pool_covers,
    rank,
    rank_signature,
    relation,
    secondment_end,
)
from planner.kinds.base import Due, RuleKind, Violation
from planner.models import Pin
from planner.plan import Move
from planner.ruleset import Rule
from planner.solver.collector import collector_paused
from planner.solver.parallel import judge_chunks
from planner.solver.vectorised import BatchJudge, Rows, open_rounds_of, round_bits

# Forms the planner proposes, in order of preference once the due rule's own form is tried
# (an appointment only where the lateral forms are refused: an upward move).
PROPOSED_FORMS = ("position_change", "rotation", "transfer", "appointment")
# Cadres recruited per post whose holder is away, as possible secondees.
SECONDEES_PER_POST = 3


@dataclass(slots=True)  # hundreds of thousands on a city's roster: no __dict__ each
class Option:
    cadre: str
    form: str
    to_position: str
    round_index: int
    soft_cost: float
    soft_rules: tuple[str, ...]


@dataclass
class CandidateSet:
    """Options per cadre, and why options were refused (for explanations)."""

    options: list[Option] = field(default_factory=list)
    movers: list[str] = field(default_factory=list)
    open_posts: list[str] = field(default_factory=list)
    refusals: dict[str, Counter[str]] = field(default_factory=dict)
    pairs_judged: int = 0
    # distinct destinations kept per cadre, counted as the passes merge (what
    # posts_per_cadre answers, without scanning every option after each pass)
    kept: Counter[str] = field(default_factory=Counter, compare=False, repr=False)

    def per_cadre(self) -> Counter[str]:
        return Counter(o.cadre for o in self.options)

    def posts_per_cadre(self) -> Counter[str]:
        """Distinct destinations per cadre (an option is a destination in one round)."""
        return Counter(cadre for cadre, _post in {(o.cadre, o.to_position)
                                                  for o in self.options})


def per_move_rules(facts: Facts) -> list[Rule]:
    return [r for r in facts.ruleset.active if r.impl.per_move]


def judge(facts: Facts, rules: list[Rule], move: Move,
          context: dict[str, dt.date] | None = None,
          timeless: dict[str, Violation | None] | None = None,
          ) -> tuple[list[str], float, list[str]]:
    """(hard rule ids violated, soft cost, soft rule ids) of one move under per-move rules:
    the reference, the kinds' own `judge_move` on this very move.

    `timeless` holds verdicts of rules whose kind does not depend on the move's date (judged
    once per cadre, post and form instead of once per round); their `in_force` still is.
    """
    context = context if context is not None else facts.move_context(move)
    hard: list[str] = []
    soft_cost = 0.0
    soft: list[str] = []
    for rule in rules:
        if not rule.in_force(move.start) or not rule.selector.matches(context):
            continue
        if timeless is not None and rule.id in timeless:
            found = timeless[rule.id]
        else:
            found = rule.impl.judge_move(rule, facts, move)
        if found is None:
            continue
        if rule.hard:
            hard.append(rule.id)
        else:
            soft_cost += found.penalty
            soft.append(rule.id)
    return hard, soft_cost, soft


# A verdict as the candidate generator needs it: None (allowed) or the penalty (hard: inf).
Verdict = float | None


class FactoredJudge:
    """Judges candidate moves once per distinct value of each kind's `judged_on` factors
    and reuses the verdict for every option that shares them: a rule that ignores the
    round is judged once per (cadre, post, form); one that ignores the post once per
    (cadre, form, round); others once per their declared factors (e.g. freeze per form,
    post and round). Kinds without the declaration are judged move by move (the generic
    fallback). `judge` above is the reference; tests hold the two equal on random rosters."""

    def __init__(self, facts: Facts, rules: list[Rule]):
        self.facts = facts
        self.kinds = {rule.id: rule.impl for rule in rules}
        self.ids = {id(rule): rule.id for rule in rules}
        self.in_force = {rule.id: tuple(rule.in_force(r.start) for r in facts.rounds)
                         for rule in rules}
        self.hard = {rule.id: rule.hard for rule in rules}
        self.classed = {rule.id: rule.impl.has("move_class") for rule in rules}
        self.verdicts: dict[tuple[object, ...], Verdict] = {}
        self.vectors: dict[tuple[object, ...], list[Verdict]] = {}

    def verdict(self, rule: Rule, move: Move) -> Verdict:
        kind = self.kinds[rule.id]
        fields = factors(kind)
        if fields is None:
            return _as_verdict(rule, kind.judge_move(rule, self.facts, move))
        key = (rule.id, *(_FIELDS[f](move) for f in fields))
        if key in self.verdicts:
            return self.verdicts[key]
        found = _as_verdict(rule, kind.judge_move(rule, self.facts, move))
        self.verdicts[key] = found
        return found

    def judge(self, rules: list[Rule], move: Move) -> tuple[list[str], float, list[str]]:
        """As `judge`, for rules whose selectors already match the move's context."""
        hard: list[str] = []
        soft_cost = 0.0
        soft: list[str] = []
        for rule in rules:
            if not self.in_force[rule.id][move.round_index]:
                continue
            found = self.verdict(rule, move)
            if found is None:
                continue
            if rule.hard:
                hard.append(rule.id)
            else:
                soft_cost += found
                soft.append(rule.id)
        return hard, soft_cost, soft

    def ordered(self, rules: list[Rule]) -> list[Rule]:
        """The rules that ignore the round first (the order `by_round` settles early in)."""
        return sorted(rules, key=lambda rule: "round" in (
            factors(self.kinds[self.ids[id(rule)]]) or ("round",)))

    def by_round(self, rules: list[Rule], cadre_id: str, form: str, from_position: str | None,
                 to_position: str, rounds: list[Round],
                 ends: list[dt.date | None] | None = None, settle_early: bool = False,
                 ) -> list[tuple[list[str], float, list[str]]]:
        """`judge` of the move to `to_position` by `form` in each of `rounds` (ending on
        `ends`, a secondment's return), each rule judged at the coarsest grain its factors
        allow: once for all rounds when it ignores the round, else once per round for each
        value of its other factors.

        `settle_early` (with `rules` in `ordered` order): once the rules that ignore the
        round are judged, if hard ones among them refuse every round the rest are not
        judged — the same rounds are allowed, a refused round names fewer of the rules that
        refuse it (most scanned posts are refused by direction or equivalence alone)."""
        facts = self.facts
        if not rounds:
            return []
        end_of = dict(zip((r.index for r in rounds), ends or [None] * len(rounds),
                          strict=True))
        hard_ids: list[list[str]] = [[] for _ in rounds]
        soft_ids: list[list[str]] = [[] for _ in rounds]
        costs = [0.0] * len(rounds)
        values = {"cadre": cadre_id, "form": form, "to": to_position}
        moves: list[Move] | None = None
        settled = False
        for rule in rules:
            rule_id = self.ids[id(rule)]
            kind = self.kinds[rule_id]
            fields = factors(kind)
            if settle_early and not settled and (fields is None or "round" in fields):
                settled = True  # the round-free rules are judged: stop if all are refused
                if all(hard_ids):
                    break
            in_force = self.in_force[rule_id]
            hard = self.hard[rule_id]
            if fields is None:
                if moves is None:  # one Move per round, shared by every per-move rule
                    moves = [Move(cadre_id, form, from_position, to_position, r.name,
                                  r.index, r.start, end_of[r.index]) for r in rounds]
                vector: list[Verdict] = [
                    _as_verdict(rule, kind.judge_move(rule, facts, move))
                    if in_force[move.round_index] else None for move in moves]
            else:
                found_class = kind.move_class(rule, facts, cadre_id, form, to_position) \
                    if self.classed[rule_id] else None
                key: tuple[object, ...]
                if found_class is None:
                    key = (rule_id, *(values[f] for f in fields if f != "round"))
                else:  # the class stands for the cadre and the post
                    key = (rule_id, _CLASS, found_class,
                           *(values[f] for f in fields if f not in _CLASSED))
                per_round = self.vectors.get(key)
                if per_round is None:
                    per_round = [_UNKNOWN] * len(facts.rounds)
                    if "round" not in fields:  # one verdict for every round: the probe's
                        first = facts.rounds[0]
                        per_round = [_as_verdict(rule, kind.judge_move(rule, facts, Move(
                            cadre_id, form, from_position, to_position, "", 0,
                            first.start)))] * len(facts.rounds)
                    self.vectors[key] = per_round
                vector = []
                for r in rounds:
                    found = per_round[r.index]
                    if found is _UNKNOWN:
                        found = _as_verdict(rule, kind.judge_move(rule, facts, Move(
                            cadre_id, form, from_position, to_position, r.name, r.index,
                            r.start, end_of[r.index])))
                        per_round[r.index] = found
                    vector.append(found)
            for i, round_ in enumerate(rounds):
                found = vector[i]
                if found is None or not in_force[round_.index]:
                    continue
                if hard:
                    hard_ids[i].append(rule_id)
                else:
                    costs[i] += found
                    soft_ids[i].append(rule_id)
        return list(zip(hard_ids, costs, soft_ids, strict=True))


def factors(kind: RuleKind) -> tuple[str, ...] | None:
    """The move fields a kind's verdict depends on: its `judged_on`, else the cadre, form
    and post for a `timeless` kind (judged once on a probe move, as `judge` does)."""
    if kind.judged_on is not None:
        return kind.judged_on
    return ("cadre", "form", "to") if kind.timeless else None


_CLASS = "class"  # marks a verdict key made from a kind's move_class
_CLASSED = ("cadre", "to", "round")  # what a class stands for (the round is per slot)

_UNKNOWN: Verdict = -1.0  # not judged yet (a real verdict is None, a penalty ≥ 0 or inf)

_FIELDS = {
    "cadre": lambda move: move.cadre,
    "form": lambda move: move.form,
    "to": lambda move: move.to_position,
    "round": lambda move: move.round_index,
}


def _as_verdict(rule: Rule, found: Violation | None) -> Verdict:
    if found is None:
        return None
    return float("inf") if rule.hard else found.penalty


# Candidate pruning: each mover's open posts are ranked by closeness (same district, same
# profession, nearby grade, shared skills); the first SCAN_LIMIT are judged by the rules and
# the first KEEP_LIMIT allowed ones are kept. Pruning only removes options — every kept one
# is judged by the rules — so it can cost optimality, never compliance.
SCAN_LIMIT = 120
KEEP_LIMIT = 60
# Appointees (pooled cadres who are not due) are optional movers, a thousand on a city's
# roster: the closest RECRUIT_SCAN of the posts their pool covers are judged and the first
# RECRUIT_KEEP allowed kept — enough to fill the posts that rotations open near them
# without doubling the model (measured on hanoi-2023: 40,254 appointee pairs uncapped).
RECRUIT_SCAN = 30
RECRUIT_KEEP = 10


@dataclass(frozen=True)
class PostFeatures:
    """What the closeness ranking reads of a post, computed once per post."""

    locality: str
    area: str  # the district (2023) or, without a district level, the parent locality
    grade: int
    staff: bool
    profession: str
    skills: frozenset[str]


def post_features(facts: Facts, position_id: str) -> PostFeatures:
    place = facts.place(position_id)
    locality = place["locality"]
    area = facts.graph.district_of(locality) or next(iter(facts.graph.ancestors(locality)),
                                                     locality)
    return PostFeatures(locality, area, int(place["grade"]), place["role"] == "staff",
                        place["profession"], frozenset(place["skills"]))


def closest(facts: Facts, cadre_id: str, posts: list[str],
            features: dict[str, PostFeatures], limit: int) -> list[str]:
    """The `limit` posts closest to the cadre: nearby grade (leader vs staff counts as 3
    grades), same profession, same area, shared skills, then another locality before the
    same one; ties by a fixed pseudo-random order of (cadre, post) — deterministic, and it
    spreads cadres over equally close posts instead of crowding the lowest ids."""
    cadre = facts.cadre(cadre_id)
    origin = features.get(cadre.position) if cadre.position else None
    if origin is None and cadre.position:
        origin = post_features(facts, cadre.position)
    skills = frozenset(cadre.skills)
    salt = cadre_id.encode()

    def key(position_id: str) -> tuple[int, int, int, int]:
        target = features[position_id]
        other_area = grade_gap = same_locality = 0
        if origin is not None:
            other_area = int(origin.area != target.area)
            same_locality = int(origin.locality == target.locality)
            grade_gap = abs(origin.grade - target.grade) + 3 * (origin.staff != target.staff)
        other_profession = int(cadre.profession != target.profession)
        return (grade_gap + other_profession + other_area, -len(skills & target.skills),
                same_locality, zlib.crc32(position_id.encode(), zlib.crc32(salt)))

    return heapq.nsmallest(limit, (p for p in posts if p != cadre.position), key=key)


class PostTable:
    """The closeness ranking's post features as numpy arrays, for ranking every post against
    one cadre at once (`closest` is the reference; a test holds the two equal)."""

    def __init__(self, facts: Facts, posts: list[str], features: dict[str, PostFeatures]):
        self.facts = facts
        self.posts = posts
        self.features = features
        table = [features[p] for p in posts]
        self.areas: dict[str, int] = {}
        self.professions: dict[str, int] = {}
        self.localities: dict[str, int] = {}
        self.skills: dict[str, int] = {}
        self.area = np.array([self.areas.setdefault(f.area, len(self.areas)) for f in table],
                             dtype=np.int64)
        self.locality = np.array([self.localities.setdefault(f.locality, len(self.localities))
                                  for f in table], dtype=np.int64)
        self.profession = np.array([self.professions.setdefault(f.profession,
                                                                len(self.professions))
                                    for f in table], dtype=np.int64)
        self.grade = np.array([f.grade for f in table], dtype=np.int64)
        self.staff = np.array([f.staff for f in table], dtype=bool)
        self.skill_mask = np.array([self._mask(f.skills, grow=True) for f in table],
                                   dtype=np.uint64)
        self.index = {p: i for i, p in enumerate(posts)}
        self.encoded = [p.encode() for p in posts]  # for the tie-break's crc32

    def _mask(self, skills: frozenset[str] | tuple[str, ...], grow: bool = False) -> int:
        mask = 0
        for skill in sorted(skills):
            bit = self.skills.get(skill)
            if bit is None and grow and len(self.skills) < 64:
                bit = self.skills.setdefault(skill, len(self.skills))
            if bit is not None:
                mask |= 1 << bit
        return mask

    def closest(self, cadre_id: str, limit: int, among: list[str] | None = None) -> list[str]:
        """The same ranking as `closest`, computed over the arrays (over the posts `among`
        only, when given: an appointee's or a secondee's own targets)."""
        facts = self.facts
        cadre = facts.cadre(cadre_id)
        if len(self.skills) >= 64:  # more skills than a mask holds: the reference
            return closest(facts, cadre_id, self.posts if among is None else among,
                           self.features, limit)
        origin = self.features.get(cadre.position) if cadre.position else None
        if origin is None and cadre.position:
            origin = post_features(facts, cadre.position)
        count = len(self.posts)
        primary = np.zeros(count, dtype=np.int64)
        same_locality = np.zeros(count, dtype=np.int64)
        if origin is not None:
            primary += (self.area != self.areas.get(origin.area, -1)).astype(np.int64)
            same_locality = (self.locality == self.localities.get(origin.locality, -1)).astype(
                np.int64)
            primary += np.abs(self.grade - origin.grade) + 3 * (self.staff != origin.staff)
        primary += (self.profession != self.professions.get(cadre.profession, -1))
        shared = np.bitwise_count(self.skill_mask & np.uint64(self._mask(tuple(cadre.skills))))
        key = (primary * 128 + (64 - shared.astype(np.int64))) * 2 + same_locality
        own = self.index.get(cadre.position or "")
        excluded = 0
        if own is not None:
            key[own] = np.iinfo(np.int64).max  # never the cadre's own post
            excluded = 1
        if among is not None:
            outside = np.ones(count, dtype=bool)
            outside[[self.index[p] for p in among if p in self.index]] = False
            if own is not None:
                outside[own] = True
            key[outside] = np.iinfo(np.int64).max
            excluded = int(outside.sum())
        available = count - excluded
        if available <= 0:
            return []
        take = min(limit, available)
        threshold = np.partition(key, take - 1)[take - 1]
        inside = np.flatnonzero(key < threshold)
        tied = np.flatnonzero(key == threshold)
        salt = zlib.crc32(cadre_id.encode())
        encoded = self.encoded
        # (key, tie-break, index): the index keeps a stable sort's order on equal pairs
        inside_at = inside.tolist()
        ranked = sorted(zip(key[inside].tolist(), [zlib.crc32(encoded[i], salt)
                                                   for i in inside_at], inside_at,
                            strict=True))
        tied_at = tied.tolist()
        ties = sorted(zip([zlib.crc32(encoded[i], salt) for i in tied_at], tied_at,
                          strict=True))
        order = [i for *_k, i in ranked] + [i for _c, i in ties]
        return [self.posts[i] for i in order[:take]]


def build_candidates(facts: Facts, scan_limit: int = SCAN_LIMIT,
                     keep_limit: int = KEEP_LIMIT) -> CandidateSet:
    """Every allowed option of every mover (see the module docstring).

    Movers are the due and pinned cadres. A due cadre with fewer than MIN_OPTIONS options
    also recruits "chain partners": the holders (not due) of the posts closest to them, who
    may move too so that their posts open up — swaps and longer chains. Small rosters
    (≤ SMALL_ROSTER cadres) let every cadre move. The garbage collector is paused meanwhile
    (planner/solver/collector.py).
    """
    with collector_paused():
        return _build_candidates(facts, scan_limit, keep_limit)


def _build_candidates(facts: Facts, scan_limit: int, keep_limit: int) -> CandidateSet:
    roster = facts.roster
    pins: dict[str, Pin] = {p.value.cadre: p.value for p in facts.scenario.pins}
    forbidden: dict[str, set[str | None]] = {}
    for entry in facts.scenario.forbids:
        forbidden.setdefault(entry.value.cadre, set()).add(entry.value.to)

    def may_move(cadre_id: str) -> bool:
        return bool(roster.cadre_by_id[cadre_id].position) and \
            None not in forbidden.get(cadre_id, set())

    # a due cadre is a mover even when forbidden to move: left without options, the plan
    # reports them as unplaced (and explains why) instead of silently breaking the limit
    movers = [c for c in facts.due_cadres if roster.cadre_by_id[c].position]
    movers += [c for c in pins if c not in movers and c in roster.cadre_by_id]
    # a pin into a held post needs its holder to be able to leave
    for pin in pins.values():
        holder = roster.holder_by_position.get(pin.to)
        if holder is not None and holder not in movers and may_move(holder):
            movers.append(holder)
    if len(roster.cadres) <= SMALL_ROSTER:
        movers += [c.id for c in roster.cadres if c.id not in movers and may_move(c.id)]
    else:
        # cadres a minimum quota counts (targets over leaders who are not due)
        taken = set(movers)
        for rule in facts.ruleset.with_hook("recruits"):
            for cadre_id in rule.impl.recruits(rule, facts):
                if cadre_id not in taken and may_move(cadre_id):
                    taken.add(cadre_id)
                    movers.append(cadre_id)
    away = away_posts(facts)
    # recruits for one form only, to the posts named: appointees and secondees
    restricted = _pooled_movers(facts, movers, may_move)
    features: dict[str, PostFeatures] = {}  # per post, filled as posts are ranked
    restricted.update(_secondees(facts, [*movers, *restricted], away, may_move, features))
    movers += list(restricted)
    result = CandidateSet()
    rules = per_move_rules(facts)
    open_posts = _open_posts(facts, movers, away)
    features.update({p: post_features(facts, p) for p in open_posts if p not in features})
    judged: dict[str, set[str]] = {}
    job = _Job(facts, rules, open_posts, features, away, restricted, pins, forbidden,
               scan_limit, keep_limit)
    _judge_all(job, result, movers, judged)
    if len(roster.cadres) > SMALL_ROSTER:
        # few destinations (not options: one post in three rounds is one way out)
        counts = result.kept
        partners: list[str] = []
        mover_set = set(movers)
        holder_of = roster.holder_by_position
        held = held_table(facts, features,
                          lambda _post, holder: holder not in mover_set and may_move(holder))
        for cadre_id in movers:
            # appointees and secondees go to their own targets only: partners cannot help
            if counts.get(cadre_id, 0) >= MIN_OPTIONS or cadre_id in pins \
                    or cadre_id in restricted:
                continue
            nearest = held.closest(cadre_id, PARTNERS_PER_CADRE)
            for position_id in nearest:
                partner = holder_of[position_id]
                if partner not in mover_set:
                    mover_set.add(partner)
                    partners.append(partner)
        if partners:
            movers += partners
            open_posts = _open_posts(facts, movers, away)
            features.update({p: post_features(facts, p) for p in open_posts
                             if p not in features})
            # judges only the (cadre, post) pairs not judged yet
            job = _Job(facts, rules, open_posts, features, away, restricted, pins, forbidden,
                       scan_limit, keep_limit, job.batch)
            _judge_all(job, result, movers, judged)
        open_posts = _recruit_lawful_partners(job, result, movers, judged, may_move)
    result.movers = movers
    result.open_posts = open_posts
    return result


SMALL_ROSTER = 300
MIN_OPTIONS = 3
PARTNERS_PER_CADRE = 6


def _open_posts(facts: Facts, movers: list[str], away: dict[str, dt.date]) -> list[str]:
    """Vacant posts, the movers' posts, and posts whose holder is away (secondment only)."""
    roster = facts.roster
    posts = sorted({p.id for p in roster.vacant_positions}
                   | {roster.cadre_by_id[c].position or "" for c in movers}
                   | {p for p in away if roster.holder_by_position[p] not in movers} - {""})
    # posts abolished inside the horizon take no proposed move (the existence rule refuses
    # them; dropping them here keeps the closeness scan on posts that can be judged allowed)
    last = facts.rounds[-1].end
    ends = {p: facts.graph.window(p)[1] for p in posts}
    return [p for p in posts if (end := ends[p]) is None or end >= last]


Restricted = dict[str, tuple[str, list[str]]]  # cadre → (the one form, the posts to try)


def held_table(facts: Facts, features: dict[str, PostFeatures],
               keep: Callable[[str, str], bool]) -> PostTable:
    """The closeness table over the held posts whose (post, holder) `keep` accepts — the
    posts chain partners leave — filling in `features` for the posts new to it."""
    posts = sorted(p for p, c in facts.roster.holder_by_position.items() if keep(p, c))
    features.update({p: post_features(facts, p) for p in posts if p not in features})
    return PostTable(facts, posts, features)

# A due cadre left with no option after the closeness-ranked partners: the closest held
# posts scanned for ones the rules allow them (their holders become partners).
STUCK_SCAN = 400


def _recruit_lawful_partners(job: _Job, result: CandidateSet, movers: list[str],
                             judged: dict[str, set[str]],
                             may_move: Callable[[str], bool]) -> list[str]:
    """Partners for the due cadres still without any option: the holders of the closest
    posts the per-move rules allow them in their due form and round.

    The closeness ranking of the partners above knows nothing of the rules: a ward
    accountant's only lawful changes may be the other accountant posts of the ward's own
    authority, far down the ranking (hanoi-2025 left one such cadre stuck). Each stuck
    cadre then tries exactly those posts, once their holders may move (a swap or a chain);
    the partners are judged as every mover is. Few cadres are stuck, so the reference
    `judge` is cheap here. Returns the open posts (more, if partners were found)."""
    facts = job.facts
    kept = result.kept
    holder_of = facts.roster.holder_by_position
    mover_set = set(movers)
    stuck = [c for c in movers if not kept.get(c) and c not in job.restricted
             and c not in job.pins and (due := facts.due(c)) is not None and due.rule.hard]
    if not stuck:
        return job.open_posts
    features = dict(job.features)
    held = held_table(facts, features, lambda post, holder: holder not in mover_set
                      and may_move(holder) and post not in job.away)
    targets: Restricted = {}
    partners: list[str] = []
    for cadre_id in stuck:
        due = facts.due(cadre_id)
        assert due is not None
        round_ = facts.rounds[due.round_index]
        origin = facts.cadre(cadre_id).position
        lawful = []
        for position_id in held.closest(cadre_id, STUCK_SCAN):
            deadline.check("generating candidates")
            move = Move(cadre_id, due.form, origin, position_id, round_.name, round_.index,
                        round_.start)
            if not judge(facts, job.rules, move)[0]:
                lawful.append(position_id)
                if len(lawful) >= PARTNERS_PER_CADRE:
                    break
        if lawful:
            targets[cadre_id] = (due.form, lawful)
            for position_id in lawful:
                partner = holder_of[position_id]
                if partner not in mover_set:
                    mover_set.add(partner)
                    partners.append(partner)
    if not partners:
        return job.open_posts
    movers += partners
    open_posts = _open_posts(facts, movers, job.away)
    features.update({p: post_features(facts, p) for p in open_posts if p not in features})
    restricted = {**job.restricted, **targets}
    job = _Job(facts, job.rules, open_posts, features, job.away, restricted, job.pins,
               job.forbidden, job.scan_limit, job.keep_limit, job.batch)
    _judge_all(job, result, [*targets, *partners], judged)
    return open_posts


def _pooled_movers(facts: Facts, movers: list[str], may_move: Callable[[str], bool]
                   ) -> Restricted:
    """Cadres in a planning pool whose pool covers an open leadership post above theirs:
    candidates for an appointment into the posts vacant or opened by the plan."""
    roster = facts.roster
    day = facts.rounds[0].start
    taken = set(movers)
    pooled = [c for c in roster.cadres if c.pool and c.position and c.id not in taken
              and may_move(c.id)]
    if not pooled:
        return {}
    posts = sorted({p.id for p in roster.vacant_positions}
                   | {roster.cadre_by_id[c].position or "" for c in movers} - {""})
    leadership = [p for p in posts if facts.place(p)["role"] != "staff"]
    # whether a pool covers a post and the post is higher depends only on the post's title,
    # level and rank, and on the cadre's pool and origin: judged once per class of post
    # and kind of cadre (a few dozen each), not per cadre and post (millions on hanoi-2023)
    classes: dict[tuple[object, ...], list[str]] = {}
    for p in leadership:
        place = facts.place(p)
        classes.setdefault((place["role"], place["level"], rank(facts, p, day)), []).append(p)
    found: Restricted = {}
    verdicts: dict[tuple[object, ...], list[bool]] = {}
    for cadre in pooled:
        origin = cadre.position
        assert origin is not None
        source = facts.place(origin)
        kind = (source["role"], rank(facts, origin, day), tuple(str(t) for t in cadre.pool))
        fits_class = verdicts.get(kind)
        if fits_class is None:
            fits_class = [pool_covers(facts, cadre.id, members[0], day)
                          and relation(facts, origin, members[0], day) == "higher"
                          for members in classes.values()]
            verdicts[kind] = fits_class
        chosen = {p for ok, members in zip(fits_class, classes.values(), strict=True) if ok
                  for p in members}
        fits = [p for p in leadership if p in chosen]
        if fits:
            found[cadre.id] = ("appointment", fits)
    return found


def _secondees(facts: Facts, movers: list[str], away: dict[str, dt.date],
               may_move: Callable[[str], bool], features: dict[str, PostFeatures]
               ) -> Restricted:
    """For each post whose holder is away, the closest cadres on an equivalent post (same
    profession first) who could be seconded into it."""
    if not away:
        return {}
    roster = facts.roster
    day = facts.rounds[0].start
    taken = set(movers)
    holders = sorted(p for p, c in roster.holder_by_position.items()
                     if c not in taken and c in roster.cadre_by_id and p not in away
                     and may_move(c))
    features.update({p: post_features(facts, p) for p in [*holders, *away]
                     if p not in features})
    by_area: dict[str, list[str]] = {}  # the holders' posts per area, in order
    for p in holders:
        by_area.setdefault(features[p].area, []).append(p)
    # `relation` reads a post's rank signature only: judged once per signature and away post
    signature: dict[str, tuple[object, ...]] = {}
    found: Restricted = {}
    for position_id in sorted(away):
        target = features[position_id]
        equivalent: dict[tuple[object, ...], bool] = {}
        near = []
        for p in by_area.get(target.area, []):
            key = signature.get(p)
            if key is None:
                key = signature[p] = rank_signature(facts, p)
            fits = equivalent.get(key)
            if fits is None:
                fits = equivalent[key] = relation(facts, p, position_id, day) == "equivalent"
            if fits:
                near.append(p)
        near.sort(key=lambda p: (features[p].profession != target.profession,
                                 zlib.crc32(f"{position_id}|{p}".encode())))
        for p in near[:SECONDEES_PER_POST]:
            cadre_id = roster.holder_by_position[p]
            if cadre_id not in taken:
                found.setdefault(cadre_id, ("secondment", []))[1].append(position_id)
    return found


@dataclass
class CadreOptions:
    """What judging one cadre's targets produced (merged into the CandidateSet in order)."""

    cadre: str
    options: list[Option] = field(default_factory=list)
    refusals: Counter[str] = field(default_factory=Counter)
    judged: set[str] = field(default_factory=set)
    pairs_judged: int = 0


@dataclass
class _Job:
    """Everything `_options_for` reads besides the cadre."""

    facts: Facts
    rules: list[Rule]
    open_posts: list[str]
    features: dict[str, PostFeatures]
    away: dict[str, dt.date]
    restricted: Restricted
    pins: dict[str, Pin]
    forbidden: dict[str, set[str | None]]
    scan_limit: int
    keep_limit: int
    # the vectorised judge (its verdicts cached across the passes of one generation)
    batch: BatchJudge | None = None

    def ward_vacancy(self, position_id: str) -> bool:
        """A vacant staff post of a commune (what a district reinforces), cached per post."""
        found = self.wards.get(position_id)
        if found is None:
            place = self.facts.place(position_id)
            found = self.wards[position_id] = (
                place["level"] == "commune" and place["role"] == "staff"
                and position_id not in self.facts.roster.holder_by_position)
        return found

    def __post_init__(self) -> None:
        self.wards: dict[str, bool] = {}
        self.judge = FactoredJudge(self.facts, self.rules)
        self.rules = self.judge.ordered(self.rules)
        # rules without a selector apply to every move: no move context needed for them
        self.conditional = [bool(r.selector.conditions) for r in self.rules]
        self.table = PostTable(self.facts, self.open_posts, self.features)
        self.open_set = set(self.open_posts)



@dataclass
class _Scope:
    """What one cadre's judging reads before any post is judged: the due reason and pin,
    the forms to try (fixed by a pin or a recruitment, else chosen per post), the keep
    limit, the posts to scan in closeness order, the forbidden posts, the open rounds."""

    due: Due | None
    pin: Pin | None
    forms: list[str]
    fixed_forms: bool
    keep_limit: int
    targets: list[str]
    forbidden: set[str | None]
    open_rounds: list[int]


def _scope(job: _Job, cadre_id: str, refusals: Counter[str]) -> _Scope:
    """A cadre's `_Scope` (shared by `_options_for` and `_plan_for`); counts in `refusals`
    what refuses the cadre before any post is judged."""
    facts = job.facts
    due = facts.due(cadre_id)
    pin = job.pins.get(cadre_id)
    keep_limit = job.keep_limit
    latest = len(facts.rounds) - 1
    if due is not None and due.rule.hard:
        latest = due.round_index  # a pin cannot make a hard-due cadre late either
        if pin is not None and pin.round is not None and all(
                r.name != pin.round for r in facts.rounds[: latest + 1]):
            refusals[due.rule.id] += 1
    forms = list(PROPOSED_FORMS)
    if due is not None:
        # only forms that end every tenure limit the cadre reaches, the due form first
        for reached in facts.dues(cadre_id):
            forms = [f for f in forms if f in reached.satisfied_by]
        forms.sort(key=lambda f: f != due.form)
    if pin is not None and pin.form is not None:
        forms = [pin.form]
    recruited = job.restricted.get(cadre_id) if pin is None else None
    if recruited is not None:
        forms = [recruited[0]]
        # the closest of the posts they are recruited for, as many as other movers scan
        targets = [p for p in recruited[1] if p in job.open_set]
        if recruited[0] == "appointment":
            keep_limit = min(keep_limit, RECRUIT_KEEP)
            if len(targets) > RECRUIT_SCAN:
                targets = job.table.closest(cadre_id, RECRUIT_SCAN, among=targets)
    elif pin is not None:
        # a post that never opens (its holder may not move) cannot take the pinned cadre
        targets = [pin.to] if pin.to in job.open_set else []
        if not targets:
            refusals["structure.one-holder"] += 1
    else:
        targets = job.table.closest(cadre_id, job.scan_limit)
        if due is not None and due.rule.impl.vacates:
            # their post ends, so they must go; the closest allowed posts are contested by
            # the other holders of the same abolished body: every allowed one scanned is
            # kept (hanoi-2023: 40 more of 228 district holders placed; the objective
            # within 0.12% of the unpruned candidates' optimum, 25% above it at 60)
            keep_limit = max(keep_limit, job.scan_limit)
    # the rounds the cadre may move in, whatever the post: the pin's, and not while away
    # (study, illness…) before they are back
    open_rounds = open_rounds_of(facts, cadre_id, latest,
                                 pin.round if pin is not None else None, pin is not None)
    return _Scope(due, pin, forms, (pin is not None and pin.form is not None)
                  or recruited is not None, keep_limit, targets,
                  job.forbidden.get(cadre_id, set()), open_rounds)


def _options_for(job: _Job, cadre_id: str, judged: set[str], kept: int) -> CadreOptions:
    """Judge the cadre's closest open posts (skipping those judged before) by every per-move
    rule, round by round; keep the first allowed form per post, up to the keep limit."""
    facts = job.facts
    cadre = facts.cadre(cadre_id)
    found = CadreOptions(cadre_id, judged=set(judged))
    scope = _scope(job, cadre_id, found.refusals)
    due, forms, keep_limit = scope.due, scope.forms, scope.keep_limit
    forbidden, targets = scope.forbidden, scope.targets
    open_rounds = [facts.rounds[i] for i in scope.open_rounds]
    for position_id in targets:
        deadline.check("generating candidates")
        if kept >= keep_limit:
            break
        if position_id in found.judged:
            continue
        found.judged.add(position_id)
        if position_id == cadre.position or forbidden & {None, position_id}:
            continue
        tried = forms if scope.fixed_forms \
            else forms_for(facts, job, cadre_id, due is not None, position_id, forms)
        for form in tried:
            matching = job.rules
            if any(job.conditional):
                context = facts.move_context(Move(cadre_id, form, cadre.position, position_id,
                                                  "", 0, facts.rounds[0].start))
                matching = [r for r, conditional in zip(job.rules, job.conditional, strict=True)
                            if not conditional or r.selector.matches(context)]
            found_any = False
            rounds, ends = [], []
            # an away holder's post takes one secondee while they are away, and no one once
            # they are back (all the model's one-holder rows allow)
            back = job.away.get(position_id) if facts.roster.holder_by_position.get(
                position_id) != cadre_id else None
            if back is not None and form != "secondment":
                continue
            for round_ in open_rounds:
                if back is not None and round_.start >= back:
                    continue
                end = (secondment_end(facts, position_id, round_.start)
                       if form == "secondment" else None)
                if end is not None and position_id in job.away \
                        and end < add_months(round_.start, MIN_COVER_MONTHS):
                    continue  # too short an absence left to send a secondee
                rounds.append(round_)
                ends.append(end)
            verdicts = job.judge.by_round(matching, cadre_id, form, cadre.position,
                                          position_id, rounds, ends, settle_early=True)
            for round_, (hard, soft_cost, soft) in zip(rounds, verdicts, strict=True):
                found.pairs_judged += 1
                if hard:
                    found.refusals.update(hard)
                    continue
                found_any = True
                found.options.append(Option(cadre_id, form, position_id, round_.index,
                                            soft_cost, tuple(soft)))
            if found_any:
                kept += 1
                break  # one form per destination: the most fitting one that is allowed
    return found


def forms_for(facts: Facts, job: _Job, cadre_id: str, due: bool, position_id: str,
              forms: list[str]) -> list[str]:
    """The forms to try for one destination, most fitting first."""
    if position_id in job.away and facts.roster.holder_by_position.get(position_id) != cadre_id:
        # the holder comes back: only a secondment that ends by then fits
        return ["secondment"] if "secondment" in forms or not due else []
    origin = facts.cadre(cadre_id).position
    if (not due and origin is not None and facts.place(origin)["level"] == "district"
            and facts.place(position_id)["level"] == "commune"
            and facts.place(position_id)["role"] == "staff"
            and position_id not in facts.roster.holder_by_position):
        return ["secondment", *forms]  # reinforcement of a ward by its district
    return forms


# Judge a pass's rows all at once (planner/solver/vectorised.py) rather than cadre by cadre
# with `_options_for` (the reference path; a test holds the two to the same candidate set).
# The rows carry their rounds as 64-bit masks: longer horizons (a ten-year monthly one) take
# the reference path.
VECTORISED = True
VECTORISED_MAX_ROUNDS = 62


def _judge_all(job: _Job, result: CandidateSet, cadre_ids: list[str],
               judged: dict[str, set[str]]) -> None:
    """Judge cadres in order and merge what each produced into the result."""
    if VECTORISED and len(job.facts.rounds) <= VECTORISED_MAX_ROUNDS:
        _judge_pass(job, result, cadre_ids, judged)
        return
    counts = Counter(result.kept)  # the posts each cadre kept before this pass
    for number, cadre_id in enumerate(cadre_ids):
        try:
            item = _options_for(job, cadre_id, judged.get(cadre_id, set()),
                                counts.get(cadre_id, 0))
        except deadline.TimeLimitReached as reached:  # say how far the judging got
            raise deadline.TimeLimitReached(reached.phase, number, len(cadre_ids),
                                            "cadres judged", reached.limit) from None
        result.options.extend(item.options)
        result.refusals.setdefault(item.cadre, Counter()).update(item.refusals)
        judged[item.cadre] = item.judged
        result.pairs_judged += item.pairs_judged
        kept = len({o.to_position for o in item.options})
        if kept:
            result.kept[item.cadre] += kept


@dataclass
class _Plan:
    """What one cadre's part of a vectorised pass needs besides the rows' verdicts."""

    cadre: str
    refusals: Counter[str]
    keep_limit: int
    kept: int


@dataclass
class _Entries:
    """The posts a pass's cadres scan, cadre after cadre, each in closeness order: its
    PostCodes index (-1 - index: skipped, the cadre's own post or a forbidden one) and its
    first row (its rows end where the next entry's begin)."""

    post: list[int] = field(default_factory=list)
    first: list[int] = field(default_factory=list)


def _plan_for(job: _Job, batch: BatchJudge, rows: Rows, entries: _Entries, cadre_id: str,
              judged: set[str], kept: int) -> _Plan:
    """`_options_for` up to the judging: the targets in order (appended to `entries`), the
    forms each tries and the rounds open to each (form, post) — appended to `rows` —
    without judging any."""
    facts = job.facts
    cadre = facts.cadre(cadre_id)
    refusals: Counter[str] = Counter()
    scope = _scope(job, cadre_id, refusals)
    plan = _Plan(cadre_id, refusals, scope.keep_limit, kept)
    due, forms, forbidden, open_rounds = scope.due, scope.forms, scope.forbidden, \
        scope.open_rounds
    fixed_forms, targets = scope.fixed_forms, scope.targets
    # a district civil servant not due may reinforce a ward (forms_for)
    reinforces = due is None and cadre.position is not None \
        and facts.place(cadre.position)["level"] == "district"
    index = batch.cadre(cadre_id)
    plain = sum(1 << r for r in open_rounds)  # the rounds of a plain move: every open one
    form_index = batch.form_index
    add_cadre, add_post, add_form, add_valid = (rows.cadre.append, rows.post.append,
                                                rows.form.append, rows.valid.append)
    seen: set[str] = set()
    own, away, index_of = cadre.position, job.away, batch.codes.index
    blocked = None in forbidden  # forbidden to move at all: every post is skipped
    entry_post, entry_first = entries.post.append, entries.first.append
    # a plain post (not away, no reinforcement) takes the same rows for every post: one per
    # form, in every open round — listed in bulk
    form_codes = [form_index[f] if f in form_index else batch.form(f) for f in forms]
    bulk = plain != 0 and "secondment" not in forms
    width = len(forms)
    bulk_cadre, bulk_valid = [index] * width, [plain] * width
    more_cadre, more_post, more_form, more_valid = (rows.cadre.extend, rows.post.extend,
                                                    rows.form.extend, rows.valid.extend)
    for position_id in targets:
        if position_id in judged or position_id in seen:
            continue
        seen.add(position_id)
        if position_id == own or blocked or position_id in forbidden:
            entry_post(-1 - index_of[position_id])
            entry_first(len(rows.cadre))
            continue
        is_away = position_id in away
        if bulk and not is_away and (fixed_forms or not reinforces
                                     or not job.ward_vacancy(position_id)):
            post = index_of[position_id]
            entry_post(post)
            entry_first(len(rows.cadre))
            more_cadre(bulk_cadre)
            more_post([post] * width)
            more_form(form_codes)
            more_valid(bulk_valid)
            continue
        if fixed_forms:
            tried = forms
        elif is_away or (reinforces and job.ward_vacancy(position_id)):
            tried = forms_for(facts, job, cadre_id, due is not None, position_id, forms)
        else:
            tried = forms  # what forms_for answers for any other post
        post = index_of[position_id]
        entry_post(post)
        entry_first(len(rows.cadre))
        for form in tried:
            bits = plain if not is_away and form != "secondment" else round_bits(
                facts, away, batch, cadre_id, position_id, form, open_rounds)
            if not bits:
                continue  # no round to judge: `_options_for` tries the next form
            add_cadre(index)
            add_post(post)
            add_form(form_index[form] if form in form_index else batch.form(form))
            add_valid(bits)
    return plan


def _judge_pass(job: _Job, result: CandidateSet, cadre_ids: list[str],
                judged: dict[str, set[str]]) -> None:
    """`_judge_all` over arrays: list every row the cadres may judge, judge them rule by
    rule (BatchJudge), then let each cadre take its rows in order as `_options_for` does.

    The cadres are judged independently of each other, so a large pass is split into
    contiguous chunks judged in parallel (`parallel.judge_chunks`: forked workers) and the
    chunks merged in order — the same candidate set as one chunk, whatever the workers."""
    if job.batch is None:  # made on first use, then handed to the next passes' jobs
        job.batch = BatchJudge(job.facts, job.rules, job.rules)
    before = dict(judged)  # what each cadre had judged when the pass began
    counts = Counter(result.kept)  # the destinations kept before this pass
    batch = job.batch
    for part in judge_chunks(job, cadre_ids, before, counts, _judge_chunk,
                             lambda: batch.warm(job.open_posts)):
        _merge(job.batch, result, before, judged, part)


@dataclass
class _Judged:
    """What judging a chunk of a pass's cadres produced, as compact arrays (what a forked
    worker sends back): per option in order, its cadre (a number into `cadres`), form (into
    `forms`), post (a PostCodes index), round, soft cost and soft rules (into `names`); per
    cadre, its refusals (in the order first met), the posts newly judged (`judged_posts`,
    cadre by cadre up to `judged_ends`) and the destinations kept."""

    cadres: list[str]
    option_cadre: np.ndarray
    option_form: np.ndarray
    option_post: np.ndarray
    option_round: np.ndarray
    option_cost: np.ndarray
    option_soft: np.ndarray
    forms: list[str]
    names: list[tuple[str, ...]]
    refusals: list[list[tuple[str, int]]]
    judged_posts: np.ndarray
    judged_ends: np.ndarray
    kept: list[int]
    pairs_judged: int


def _merge(batch: BatchJudge, result: CandidateSet, before: dict[str, set[str]],
           judged: dict[str, set[str]], part: _Judged) -> None:
    """Add a chunk's options, refusals, judged posts and counts to the result, in order."""
    posts = batch.codes.posts
    cadres, forms, names = part.cadres, part.forms, part.names
    result.options.extend([
        Option(cadres[c], forms[f], posts[p], r, cost, names[n])
        for c, f, p, r, cost, n in zip(
            part.option_cadre.tolist(), part.option_form.tolist(), part.option_post.tolist(),
            part.option_round.tolist(), part.option_cost.tolist(), part.option_soft.tolist(),
            strict=True)])
    new_posts = part.judged_posts.tolist()
    start = 0
    for cadre_id, refusals, end, kept in zip(cadres, part.refusals, part.judged_ends.tolist(),
                                             part.kept, strict=True):
        # a Counter updated from a dict keeps the order the refusals were first met in
        result.refusals.setdefault(cadre_id, Counter()).update(dict(refusals))
        seen = set(before.get(cadre_id, ()))
        seen.update([posts[p] for p in new_posts[start:end]])
        judged[cadre_id] = seen
        start = end
        if kept:
            result.kept[cadre_id] += kept
    result.pairs_judged += part.pairs_judged


def _judge_chunk(job: _Job, cadre_ids: list[str], judged: dict[str, set[str]],
                 counts: Counter[str], offset: int, total: int) -> _Judged:
    """Judge one chunk of a pass's cadres (the `offset`-th on of `total`, for the deadline's
    message): plan every cadre's rows, judge them all, take each cadre's in order."""
    assert job.batch is not None
    batch = job.batch
    rows = Rows()
    entries = _Entries()
    plans: list[_Plan] = []
    plan_entries: list[int] = []  # per plan: its entries
    for number, cadre_id in enumerate(cadre_ids):
        try:
            deadline.check("generating candidates")
        except deadline.TimeLimitReached as reached:
            raise deadline.TimeLimitReached(reached.phase, offset + number, total,
                                            "cadres judged", reached.limit) from None
        before = len(entries.post)
        plans.append(_plan_for(job, batch, rows, entries, cadre_id,
                               judged.get(cadre_id, set()), counts.get(cadre_id, 0)))
        plan_entries.append(len(entries.post) - before)
    verdicts = batch.judge(rows)
    deadline.check("generating candidates")
    count = len(rows.cadre)
    num_rounds = batch.num_rounds
    powers = np.left_shift(np.int64(1), np.arange(num_rounds, dtype=np.int64))
    hard_bits = np.zeros(count, dtype=np.int64)
    free_bits = np.zeros(count, dtype=np.int64)  # refused by the rules that ignore the round
    slot_bits: list[np.ndarray] = []
    for table, rows_of, slots in verdicts:
        bits = (~np.isnan(table.matrix)).astype(np.int64) @ powers if len(rows_of) else \
            np.zeros(0, dtype=np.int64)
        slot_bits.append(bits)
        if table.hard and len(rows_of):
            hard_bits[rows_of] |= bits[slots]
            if not table.per_round:
                free_bits[rows_of] |= bits[slots]
    # each cadre takes its entries in order as `_options_for` does: an entry's rows (its
    # forms) until one has an allowed round — kept, with all its allowed rounds — and the
    # entries until the cadre keeps its limit (then the rest are not judged)
    valid = np.asarray(rows.valid, dtype=np.int64)
    allowed = valid & ~hard_bits
    entry_post = np.asarray(entries.post, dtype=np.int64)
    entry_first = np.asarray(entries.first, dtype=np.int64)
    entry_end = np.append(entry_first[1:], count)[: len(entry_first)].astype(np.int64)
    entry_plan = np.repeat(np.arange(len(plans), dtype=np.int64), plan_entries)
    width = entry_end - entry_first  # skipped entries have no rows
    # the first allowed row of each entry (its end if none)
    has_rows = width > 0
    row_number = np.where(allowed != 0, np.arange(count, dtype=np.int64), count)
    first_allowed = entry_end.copy()
    if count:
        first_allowed[has_rows] = np.minimum(
            np.minimum.reduceat(row_number, entry_first[has_rows]), entry_end[has_rows])
    keeps = first_allowed < entry_end
    # judged while the cadre keeps fewer than its limit (counting the entries before it)
    numbers = np.asarray(plan_entries, dtype=np.int64)
    kept_before: np.ndarray = np.cumsum(keeps) - keeps
    kept_before -= kept_before[np.repeat(np.cumsum(numbers) - numbers, numbers)]
    start_kept = np.asarray([plan.kept for plan in plans], dtype=np.int64)
    limit = np.asarray([plan.keep_limit for plan in plans], dtype=np.int64)
    processed = start_kept[entry_plan] + kept_before < limit[entry_plan]
    kept_entry = processed & keeps
    # the rows judged: of each processed entry, up to its kept row (all if none is allowed)
    last = np.where(keeps, first_allowed + 1, entry_end)
    entry_of_row = np.repeat(np.arange(len(entry_first), dtype=np.int64), width)
    tried_rows = np.flatnonzero(processed[entry_of_row]
                                & (np.arange(count) < last[entry_of_row]))
    valid_tried = valid[tried_rows]
    pairs = int(np.bitwise_count(valid_tried.astype(np.uint64)).sum())
    plan_of_tried = entry_plan[entry_of_row[tried_rows]]
    # the options: each kept row in each of its allowed rounds, rounds in order
    kept_rows = first_allowed[kept_entry]
    in_round = (allowed[kept_rows, None] >> np.arange(num_rounds, dtype=np.int64)) & 1
    which, emitted_rounds = np.nonzero(in_round)
    emitted_rows = kept_rows[which]
    emitted_plan = entry_plan[kept_entry][which]
    judged_posts = entry_post[processed]
    judged_posts = np.where(judged_posts < 0, -1 - judged_posts, judged_posts)
    judged_ends = np.cumsum(np.bincount(entry_plan[processed], minlength=len(plans)))
    kept_now = np.bincount(entry_plan[kept_entry], minlength=len(plans)).tolist()
    # soft costs and the soft rules' names of each option, summed in rule order
    costs = np.zeros(len(emitted_rows))
    names = np.zeros(len(emitted_rows), dtype=np.int64)
    soft_ids: list[str] = []
    for table, rows_of, slots in verdicts:
        if table.hard or not len(rows_of):
            continue
        slot_of = np.full(count, -1, dtype=np.int64)
        slot_of[rows_of] = slots
        found = slot_of[emitted_rows]
        value = np.where(found >= 0, table.matrix[np.maximum(found, 0), emitted_rounds], np.nan)
        fires = ~np.isnan(value)
        costs += np.where(fires, value, 0.0)
        names |= fires.astype(np.int64) << len(soft_ids)
        soft_ids.append(table.rule_id)
    # the soft rules of each option, as a number into the distinct tuples of names
    distinct, name_of = np.unique(names, return_inverse=True)
    named = [tuple(n for b, n in enumerate(soft_ids) if bits >> b & 1)
             for bits in distinct.tolist()]
    # refusals: each hard rule per refused round of each row judged, but for a row the
    # round-free rules refuse in every round, only those (`by_round`'s settle_early)
    settled = (valid_tried & ~free_bits[tried_rows]) == 0
    firsts: list[list[tuple[int, int, int, str, int]]] = [[] for _ in plans]
    for order, ((table, rows_of, slots), bits) in enumerate(zip(verdicts, slot_bits,
                                                                strict=True)):
        if not table.hard or not len(rows_of) or not len(tried_rows):
            continue
        slot_of = np.full(count, -1, dtype=np.int64)
        slot_of[rows_of] = slots
        found = slot_of[tried_rows]
        fired = np.where(found >= 0, bits[np.maximum(found, 0)], 0) & valid_tried
        if table.per_round:
            fired = np.where(settled, 0, fired)
        times = np.bitwise_count(fired.astype(np.uint64)).astype(np.int64)
        hit = np.flatnonzero(times)
        if not len(hit):
            continue
        per_plan = np.bincount(plan_of_tried[hit], weights=times[hit],
                               minlength=len(plans)).astype(np.int64)
        who, at = np.unique(plan_of_tried[hit], return_index=True)
        for p, i in zip(who.tolist(), hit[at].tolist(), strict=True):
            low = int(fired[i])
            firsts[p].append((i, (low & -low).bit_length() - 1, order, table.rule_id,
                              int(per_plan[p])))
    refusals: list[list[tuple[str, int]]] = []
    for plan, first_hits in zip(plans, firsts, strict=True):
        found_refusals = plan.refusals
        for _i, _r, _o, rule_id, number in sorted(first_hits):
            found_refusals[rule_id] += number
        refusals.append(list(found_refusals.items()))
    return _Judged(
        [plan.cadre for plan in plans], emitted_plan,
        np.asarray(rows.form, dtype=np.int64)[emitted_rows],
        np.asarray(rows.post, dtype=np.int64)[emitted_rows], emitted_rounds, costs,
        name_of.reshape(-1).astype(np.int64), list(batch.forms), named, refusals,
        judged_posts, judged_ends.astype(np.int64), kept_now, pairs)
