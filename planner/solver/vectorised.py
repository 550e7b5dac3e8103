"""Vectorised candidate judging: every (cadre, post, form) row of a judging pass at once.

The per-cadre loop (`candidates._options_for`, with `FactoredJudge`) spends most of its time in
Python bookkeeping around each rule and each destination. Here a pass first lists every row
it may judge (a mover, a scanned destination, a form to try, the rounds open to it), then
judges rule by rule over arrays: a rule's verdict is a function of its kind's `cadre_class`,
`post_class`, `pair_reads` relations and (unless `judged_on` leaves it out) the round
(planner/kinds/base.py), so each distinct key is judged once by the kind's own `judge_move`
and the verdict is gathered to every row sharing it (`np.unique`). Then each cadre takes its
rows in closeness order exactly as `_options_for` does: the first allowed form per post, up
to the keep limit, with the same refusal counts. A property test holds the two paths to the
same candidate set, and the verdicts to the reference `candidates.judge`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable
from dataclasses import dataclass, field

import numpy as np

from planner import deadline
from planner.calendar import add_months
from planner.facts import Facts
from planner.forms import MIN_COVER_MONTHS, away_until, secondment_end
from planner.kinds.base import PASSES, RuleKind, verdict_factors
from planner.plan import Move
from planner.ruleset import Rule

# Relations between a cadre's origin (or the cadre) and a destination a kind may read
# besides its two classes (`pair_reads`), each a comparison of per-post codes.
PAIR_RELATIONS = ("same_locality", "same_unit", "same_district", "same_authority",
                  "same_profession")


class PostCodes:
    """Integer codes of the post fields the pair relations compare, over every position."""

    def __init__(self, facts: Facts):
        self.posts = [p.id for p in facts.roster.positions]
        self.index = {p: i for i, p in enumerate(self.posts)}
        graph = facts.graph
        self.values: dict[str, dict[object, int]] = {}
        columns: dict[str, list[object]] = {name: [] for name in PAIR_RELATIONS}
        for position_id in self.posts:
            place = facts.place(position_id)
            district = graph.district_of(place["locality"])
            columns["same_locality"].append(place["locality"])
            columns["same_unit"].append(place["unit"])
            columns["same_district"].append(district)
            columns["same_authority"].append(district or place["locality"])
            columns["same_profession"].append(place["profession"])
        self.codes = {}
        for name, column in columns.items():
            seen = self.values.setdefault(name, {})
            self.codes[name] = np.array([seen.setdefault(v, len(seen)) for v in column],
                                        dtype=np.int64)

    def code(self, name: str, value: object) -> int:
        return self.values[name].get(value, -1)


@dataclass
class _RuleTable:
    """One rule's verdicts by key: rows of `vectors` (NaN: allowed; else the penalty, inf
    for a hard rule), one per distinct (cadre class, post class, relations) key."""

    rule: Rule
    kind: RuleKind
    rule_id: str
    hard: bool
    in_force: np.ndarray  # per round
    per_round: bool
    pairs: tuple[str, ...]
    to_conditions: tuple[object, ...]
    form_conditions: tuple[object, ...]
    cadre_conditions: tuple[object, ...]
    direction: bool  # a move.direction condition: matched row by row
    cadre_codes: dict[Hashable, int] = field(default_factory=dict)
    post_codes: dict[Hashable, int] = field(default_factory=dict)
    post_code: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    post_match: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int8))
    slots: dict[int, int] = field(default_factory=dict)
    vectors: list[np.ndarray] = field(default_factory=list)
    matrix: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))
    known: list[int] = field(default_factory=list)  # per slot: the rounds judged (bits)
    group_codes: dict[tuple[int, int], int] = field(default_factory=dict)  # (cadre, form)


@dataclass
class Rows:
    """The rows of one pass: cadre index, post index (PostCodes), form index, open rounds."""

    cadre: list[int] = field(default_factory=list)
    post: list[int] = field(default_factory=list)
    form: list[int] = field(default_factory=list)
    valid: list[int] = field(default_factory=list)  # bit r: round r may be judged


class BatchJudge:
    """Judges rows of (cadre, post, form) under the per-move rules, rule by rule over arrays;
    verdicts are cached by key across passes."""

    def __init__(self, facts: Facts, rules: list[Rule], ordered: list[Rule]):
        self.facts = facts
        self.codes = PostCodes(facts)
        self.rounds = list(facts.rounds)
        self.num_rounds = len(self.rounds)
        self.forms: list[str] = []
        self.form_index: dict[str, int] = {}
        self.cadres: list[str] = []
        self.cadre_index: dict[str, int] = {}
        self.origin: list[int] = []  # post index of each cadre's own post (-1: none)
        self.profession: dict[str, list[int]] = {}
        self.ends: dict[tuple[int, int], dt.date] = {}
        # the rules in judging order (round-free first, as FactoredJudge.ordered)
        self.tables = [self._table(rule) for rule in ordered]
        self.order = {t.rule_id: i for i, t in enumerate(self.tables)}
        del rules

    def _table(self, rule: Rule) -> _RuleTable:
        kind = rule.impl
        conditions = rule.selector.conditions
        to_c = tuple(c for c in conditions if c.path.startswith("to."))
        form_c = tuple(c for c in conditions if c.path == "move.form")
        direction = any(c.path == "move.direction" for c in conditions)
        cadre_c = tuple(c for c in conditions if not c.path.startswith(("to.", "move.")))
        count = len(self.codes.posts)
        table = _RuleTable(
            rule, kind, rule.id, rule.hard,
            np.array([rule.in_force(r.start) for r in self.rounds], dtype=bool),
            "round" in verdict_factors(kind), kind.pair_reads(rule), to_c, form_c, cadre_c,
            direction)
        table.post_code = np.full(count, -1, dtype=np.int64)
        table.post_match = np.full(count, -1, dtype=np.int8)
        return table

    # -- indices -------------------------------------------------------------------------
    def cadre(self, cadre_id: str) -> int:
        found = self.cadre_index.get(cadre_id)
        if found is None:
            found = self.cadre_index[cadre_id] = len(self.cadres)
            self.cadres.append(cadre_id)
            position = self.facts.cadre(cadre_id).position
            self.origin.append(self.codes.index.get(position, -1) if position else -1)
        return found

    def form(self, form: str) -> int:
        found = self.form_index.get(form)
        if found is None:
            found = self.form_index[form] = len(self.forms)
            self.forms.append(form)
        return found

    def secondment_end(self, post: int, round_index: int) -> dt.date:
        key = (post, round_index)
        found = self.ends.get(key)
        if found is None:
            found = self.ends[key] = secondment_end(self.facts, self.codes.posts[post],
                                                    self.rounds[round_index].start)
        return found

    # -- judging -------------------------------------------------------------------------
    def judge(self, rows: Rows) -> list[tuple[_RuleTable, np.ndarray, np.ndarray]]:
        """Per rule (in order): its table, the rows it judges (selected and not passed) and
        each one's slot in the table's `matrix` (verdicts per round: NaN allowed, else the
        penalty, inf for a hard rule; NaN in rounds the rule is not in force)."""
        cadre = np.asarray(rows.cadre, dtype=np.int64)
        post = np.asarray(rows.post, dtype=np.int64)
        form = np.asarray(rows.form, dtype=np.int64)
        valid = np.asarray(rows.valid, dtype=np.int64)
        found = []
        none = np.zeros(0, dtype=np.int64)
        if not len(cadre):
            return [(t, none, none) for t in self.tables]
        # the (cadre, form) groups: cadre keys and cadre-level selectors per group
        group_key = cadre * max(1, len(self.forms)) + form
        groups, group_of = np.unique(group_key, return_inverse=True)
        group_cadre = (groups // max(1, len(self.forms))).tolist()
        group_form = (groups % max(1, len(self.forms))).tolist()
        origin = np.asarray(self.origin, dtype=np.int64)[cadre]
        for table in self.tables:
            deadline.check(f"generating candidates (judging rule {table.rule_id})")
            if not table.in_force.any():
                found.append((table, none, none))
                continue
            # a (cadre, form)'s code is the same in every pass: worked out once
            codes = table.group_codes
            get = codes.get
            keys_of = []
            for c, f in zip(group_cadre, group_form, strict=True):
                code = get((c, f))
                if code is None:
                    code = codes[c, f] = self._cadre_code(table, self.cadres[c], self.forms[f])
                keys_of.append(code)
            keys = np.array(keys_of, dtype=np.int64)
            row_key = keys[group_of]
            selected = row_key != _PASS
            if table.to_conditions:
                selected &= self._post_matches(table, post) == 1
            if table.direction:
                selected &= self._direction_matches(table, cadre, post, form, selected)
            rows_of = np.flatnonzero(selected)
            if not len(rows_of):
                found.append((table, rows_of, none))
                continue
            ckey = row_key[rows_of]
            identity = ckey == _IDENTITY
            pcode = self._post_codes(table, post[rows_of])
            # a cadre judged post by post: its own key, the post itself
            if identity.any():
                for i in np.flatnonzero(identity).tolist():
                    r = int(rows_of[i])
                    ckey[i] = table.cadre_codes.setdefault(
                        ("\0identity", self.cadres[int(cadre[r])], self.forms[int(form[r])]),
                        len(table.cadre_codes))
                pcode = np.where(identity, _POST_SPACE + post[rows_of], pcode)
            bits = np.zeros(len(rows_of), dtype=np.int64)
            for b, name in enumerate(table.pairs):
                bits |= self._relation(name, cadre[rows_of], origin[rows_of],
                                       post[rows_of]).astype(np.int64) << b
            combined = (ckey * (2 * _POST_SPACE) + pcode) * (1 << len(table.pairs)) + bits
            unique, first, inverse = np.unique(combined, return_index=True,
                                               return_inverse=True)
            # the rounds each key is needed in (a per-round kind is judged in those only)
            need = np.zeros(len(unique), dtype=np.int64)
            if table.per_round:
                np.bitwise_or.at(need, inverse, valid[rows_of])
            slots = np.empty(len(unique), dtype=np.int64)
            known = table.known
            for u, (value, at, needed) in enumerate(zip(unique.tolist(), first.tolist(),
                                                        need.tolist(), strict=True)):
                slot = table.slots.get(value)
                if slot is None:
                    slot = table.slots[value] = len(table.vectors)
                    table.vectors.append(np.full(self.num_rounds, np.nan))
                    known.append(0)
                elif not needed & ~known[slot]:
                    slots[u] = slot
                    continue
                r = int(rows_of[at])
                known[slot] = self._evaluate(table, table.vectors[slot], known[slot], needed,
                                             self.cadres[int(cadre[r])],
                                             self.forms[int(form[r])], int(post[r]))
                slots[u] = slot
            table.matrix = np.array(table.vectors).reshape(-1, self.num_rounds)
            found.append((table, rows_of, slots[inverse]))
        return found

    def warm(self, posts: list[str]) -> None:
        """Work out every rule's post codes and `to.*` selector matches of `posts` now (what
        `judge` works out as rows need them): done once before forking workers, each
        worker would otherwise work them out again."""
        index = np.array([self.codes.index[p] for p in posts], dtype=np.int64)
        if not len(index):
            return
        for table in self.tables:
            if not table.in_force.any():
                continue
            matching = index[self._post_matches(table, index) == 1] if table.to_conditions \
                else index
            if len(matching):
                self._post_codes(table, matching)

    def _cadre_code(self, table: _RuleTable, cadre_id: str, form: str) -> int:
        facts = self.facts
        if table.form_conditions and not all(
                c.holds(form) for c in table.form_conditions):  # type: ignore[attr-defined]
            return _PASS
        if table.cadre_conditions:
            context = facts.cadre_context(cadre_id)
            position = facts.cadre(cadre_id).position
            place = facts.place(position) if position else None
            for c in table.cadre_conditions:
                path = c.path  # type: ignore[attr-defined]
                if path.startswith("from."):
                    if place is None or path[5:] not in place:
                        continue  # as in a move context: an absent path does not constrain
                    value = place[path[5:]]
                elif path in context:
                    value = context[path]
                else:
                    continue
                if not c.holds(value):  # type: ignore[attr-defined]
                    return _PASS
        key = table.kind.cadre_class(table.rule, facts, cadre_id, form)
        if key is None:
            return _IDENTITY
        if isinstance(key, str) and key == PASSES:
            return _PASS
        return table.cadre_codes.setdefault(key, len(table.cadre_codes))

    def _post_matches(self, table: _RuleTable, post: np.ndarray) -> np.ndarray:
        known = table.post_match[post]
        if (known < 0).any():
            for p in np.unique(post[known < 0]).tolist():
                place = self.facts.place(self.codes.posts[p])
                table.post_match[p] = int(all(
                    c.holds(place[c.path[3:]])  # type: ignore[attr-defined]
                    for c in table.to_conditions if c.path[3:] in place))  # type: ignore
            known = table.post_match[post]
        return known

    def _direction_matches(self, table: _RuleTable, cadre: np.ndarray, post: np.ndarray,
                           form: np.ndarray, selected: np.ndarray) -> np.ndarray:
        facts = self.facts
        out = np.zeros(len(cadre), dtype=bool)
        conditions = [c for c in table.rule.selector.conditions if c.path == "move.direction"]
        for i in np.flatnonzero(selected).tolist():
            origin = facts.cadre(self.cadres[int(cadre[i])]).position
            value = facts.direction(origin, self.codes.posts[int(post[i])])
            out[i] = all(c.holds(value) for c in conditions)
        return out

    def _post_codes(self, table: _RuleTable, post: np.ndarray) -> np.ndarray:
        known = table.post_code[post]
        if (known < 0).any():
            kind, rule, facts = table.kind, table.rule, self.facts
            for p in np.unique(post[known < 0]).tolist():
                key = kind.post_class(rule, facts, self.codes.posts[p])
                table.post_code[p] = table.post_codes.setdefault(key, len(table.post_codes))
            known = table.post_code[post]
        return known

    def _relation(self, name: str, cadre: np.ndarray, origin: np.ndarray,
                  post: np.ndarray) -> np.ndarray:
        codes = self.codes.codes[name]
        if name == "same_profession":  # the cadre's profession, not the origin post's
            professions = self.profession.get(name)
            if professions is None or len(professions) < len(self.cadres):
                professions = self.profession[name] = [
                    self.codes.code(name, self.facts.cadre(c).profession)
                    for c in self.cadres]
            mine = np.asarray(professions, dtype=np.int64)[cadre]
            return (mine >= 0) & (mine == codes[post])
        has_origin = origin >= 0
        return has_origin & (codes[np.where(has_origin, origin, 0)] == codes[post])

    def _evaluate(self, table: _RuleTable, vector: np.ndarray, known: int, needed: int,
                  cadre_id: str, form: str, post: int) -> int:
        """The kind's own `judge_move` on a representative move of a key, in the `needed`
        rounds not `known` yet (once on a probe for a kind that ignores the round), into
        `vector`; returns the rounds now known. Rounds the rule is not in force stay NaN."""
        facts, rule, kind = self.facts, table.rule, table.kind
        origin = facts.cadre(cadre_id).position
        to = self.codes.posts[post]
        if not table.per_round:
            first = self.rounds[0]
            verdict = kind.judge_move(rule, facts, Move(cadre_id, form, origin, to, "", 0,
                                                        first.start))
            if verdict is not None:
                vector[table.in_force] = np.inf if table.hard else verdict.penalty
            return -1
        for r in self.rounds:
            if not (needed >> r.index & 1) or known >> r.index & 1:
                continue
            known |= 1 << r.index
            if not table.in_force[r.index]:
                continue
            end = self.secondment_end(post, r.index) if form == "secondment" else None
            verdict = kind.judge_move(rule, facts, Move(cadre_id, form, origin, to, r.name,
                                                        r.index, r.start, end))
            if verdict is not None:
                vector[r.index] = np.inf if table.hard else verdict.penalty
        return known


_PASS = -2
_IDENTITY = -1
_POST_SPACE = 1 << 16  # post codes and post indices both stay below it


def round_bits(facts: Facts, job_away: dict[str, dt.date], batch: BatchJudge, cadre_id: str,
               position_id: str, form: str, open_rounds: list[int]) -> int:
    """The rounds a (cadre, post, form) row may be judged in (as `_options_for` lists them):
    not after an away holder is back, nor a secondment too short to cover an absence."""
    back = job_away.get(position_id) if batch.facts.roster.holder_by_position.get(
        position_id) != cadre_id else None
    if back is None and form != "secondment":
        bits = 0
        for r in open_rounds:
            bits |= 1 << r
        return bits
    if back is not None and form != "secondment":
        return 0
    post = batch.codes.index[position_id]
    bits = 0
    for r in open_rounds:
        start = batch.rounds[r].start
        if back is not None and start >= back:
            continue
        end = batch.secondment_end(post, r)
        if position_id in job_away and end < add_months(start, MIN_COVER_MONTHS):
            continue
        bits |= 1 << r
    return bits


def open_rounds_of(facts: Facts, cadre_id: str, latest: int, pin_round: str | None,
                   pinned: bool) -> list[int]:
    """The rounds the cadre may move in, whatever the post (as `_options_for`)."""
    found = []
    away = not pinned  # away until a round starts after they are back (then never again)
    for r in facts.rounds[: latest + 1]:
        if away:
            away = away_until(facts, cadre_id, r.start) is not None
        if not away and (pin_round is None or r.name == pin_round):
            found.append(r.index)
    return found
