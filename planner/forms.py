"""The forms of move as the law has them: which post is higher, equivalent or lower, what a
move must record, and when a secondment ends (DOMAIN §3, "the four forms").

Posts are compared by the equivalence table of the rule files (kind `equivalence`: title
class × level → rank), never by `grade` arithmetic; `grade` only orders posts where no
table is in force. A staff post is always below a leadership post (staff → leadership is an
appointment whatever the ranks say). Kinds, the candidate generator and the plan writer all
ask this module, so they can never disagree.
"""

from __future__ import annotations

import datetime as dt
import weakref
from typing import TYPE_CHECKING, Any, Literal

from planner.calendar import add_months

if TYPE_CHECKING:
    from planner.facts import Facts
    from planner.models import Cadre
    from planner.plan import Move
    from planner.ruleset import Rule

Relation = Literal["higher", "equivalent", "lower", "unknown"]

# Filled by election or designation, not by appointment: the plan flags the move so the
# decision is a designation (chỉ định) or a nomination for election (giới thiệu để bầu).
ELECTED_ROLES: frozenset[str] = frozenset(
    {"secretary", "deputy_secretary", "chair", "council_chair", "front_chair"})
# A holder with one of these statuses and a `status_until` is away for a known period: their
# post may be filled by a secondment that ends when they return (DOMAIN §3, secondment:
# study, illness; a holder seconded elsewhere likewise). Maternity leave is covered inside
# the unit, not by a secondment [I].
AWAY_STATUSES: frozenset[str] = frozenset({"study", "illness", "seconded"})
# The planner proposes a secondment into an away holder's post only for an absence at least
# this long from the secondment's start (a shorter one is covered inside the unit) [I].
MIN_COVER_MONTHS = 6
# Used when no secondment_max rule is in force (Luật CBCC 2008 Đ.53: at most 36 months).
DEFAULT_SECONDMENT_MONTHS = 36


def post_tokens(place: dict[str, Any]) -> tuple[str, str]:
    """The table keys of a post, most specific first: role@level/unit_kind, role@level."""
    base = f"{place['role']}@{place['level']}"
    return f"{base}/{place['unit_kind']}", base


def equivalence_rule(facts: Facts, day: dt.date) -> Rule | None:
    """The equivalence table in force on `day` (the first active one), if any; cached per
    Facts and day (a few dozen days: rounds and their ends)."""
    cache = _TABLES.get(facts)
    if cache is None:
        cache = _TABLES[facts] = {}
    if day in cache:
        return cache[day]
    found = None
    for rule in facts.ruleset.of_kind("equivalence"):
        if rule.in_force(day):
            found = rule
            break
    cache[day] = found
    return found


# ranks and tables per Facts (the roster and rules are immutable): candidate generation
# asks millions of times on large rosters
_RANKS: weakref.WeakKeyDictionary[Facts, dict[tuple[str, str], int | None]] = \
    weakref.WeakKeyDictionary()
_TABLES: weakref.WeakKeyDictionary[Facts, dict[dt.date, Rule | None]] = \
    weakref.WeakKeyDictionary()


def rank_in(table: dict[str, int], place: dict[str, Any]) -> int | None:
    """A post's rank in one table (None: not listed)."""
    for token in post_tokens(place):
        if token in table:
            return table[token]
    return None


def rank(facts: Facts, position_id: str, day: dt.date) -> int | None:
    """The post's rank in the table in force (grade without a table; None: not listed)."""
    rule = equivalence_rule(facts, day)
    if rule is None:
        return int(facts.place(position_id)["grade"])
    return rank_by(facts, rule, position_id)


def rank_signature(facts: Facts, position_id: str) -> tuple[object, ...]:
    """Everything `rank`, `relation` and `pool_covers` read of a post, whatever the day:
    its role, level and grade, and its rank in every equivalence table (a move_class key)."""
    place = facts.place(position_id)
    return (place["role"], place["level"], place["grade"],
            *(rank_by(facts, rule, position_id) for rule in facts.ruleset.of_kind("equivalence")))


def rank_by(facts: Facts, rule: Rule, position_id: str) -> int | None:
    """The post's rank in one equivalence rule's table (None: not listed), cached."""
    cache = _RANKS.get(facts)
    if cache is None:
        cache = _RANKS[facts] = {}
    key = (rule.id, position_id)
    if key not in cache:
        cache[key] = rank_in(rule.params.table, facts.place(position_id))
    return cache[key]


def token_rank(facts: Facts, token: str, day: dt.date) -> int | None:
    """Rank of a planning-pool token role@level (its default class in the table)."""
    rule = equivalence_rule(facts, day)
    if rule is None:
        return None
    found: int | None = rule.params.table.get(token)
    return found


def relation(facts: Facts, from_position: str | None, to_position: str,
             day: dt.date, table: dict[str, int] | None = None) -> Relation:
    """How the destination compares with the origin on `day` (or in the `table` given)."""
    if from_position is None:
        return "higher" if facts.place(to_position)["role"] != "staff" else "equivalent"
    source, target = facts.place(from_position), facts.place(to_position)
    if source["role"] == "staff" and target["role"] == "staff":
        return "equivalent"  # civil-service grades (ngạch) are not modelled: staff is staff
    if (source["role"] == "staff") != (target["role"] == "staff"):
        return "higher" if source["role"] == "staff" else "lower"
    if table is not None:
        here, there = rank_in(table, source), rank_in(table, target)
    else:
        here, there = rank(facts, from_position, day), rank(facts, to_position, day)
    if here is None or there is None:
        return "unknown"
    if there > here:
        return "higher"
    return "equivalent" if there == here else "lower"


def is_upward(facts: Facts, move: Move) -> bool:
    """An upward move (higher post, or staff → leadership): an appointment in substance."""
    return relation(facts, move.from_position, move.to_position, move.start) == "higher"


def pool_covers(facts: Facts, cadre_id: str, position_id: str, day: dt.date) -> bool:
    """The cadre's planning pool holds the post's title, or an equivalent or higher one
    (QĐ 377 Đ.34; QĐ 80 the same)."""
    place = facts.place(position_id)
    wanted = rank(facts, position_id, day)
    for entry in facts.cadre(cadre_id).pool:
        token = str(entry)
        if token == f"{place['role']}@{place['level']}":
            return True
        have = token_rank(facts, token, day)
        if have is not None and wanted is not None and have >= wanted:
            return True
    return False


def away_until(facts: Facts, cadre_id: str, day: dt.date) -> dt.date | None:
    """The day an away holder is back (the day after `status_until`, the status's last day),
    if they are away on `day` for a known period."""
    cadre = facts.cadre(cadre_id)
    if cadre.status in AWAY_STATUSES and cadre.status_until is not None \
            and day <= cadre.status_until:
        return cadre.status_until + dt.timedelta(days=1)
    return None


def covers_absence(holder: Cadre, secondee: Cadre) -> bool:
    """A running secondment into `holder`'s post that ends by the day they are back: the
    lawful second person in a post (its holder away for a known period, DOMAIN §3)."""
    return (holder.position == secondee.secondment_post and holder.status in AWAY_STATUSES
            and holder.status_until is not None and secondee.secondment_end is not None
            and secondee.secondment_end <= holder.status_until + dt.timedelta(days=1))


def away_posts(facts: Facts) -> dict[str, dt.date]:
    """Posts whose holder is away when the horizon starts → the day they are back (a
    fresh dict each call, computed once per Facts)."""
    if facts.away_at_start is not None:
        return dict(facts.away_at_start)
    start = facts.rounds[0].start
    found = {}
    for position_id, cadre_id in facts.roster.holder_by_position.items():
        if cadre_id in facts.roster.cadre_by_id:
            until = away_until(facts, cadre_id, start)
            if until is not None:
                found[position_id] = until
    facts.away_at_start = found
    return dict(found)


def secondment_months(facts: Facts, day: dt.date, to_position: str | None = None) -> int:
    """The longest secondment the planner proposes from `day` into `to_position`: the
    tightest `max_months` of the `secondment_max` rules in force that limit secondments and
    may govern a secondment there. The end is fixed per post and day, before any cadre, so a
    selector is matched on the destination only (`to.*`, `move.form`); conditions on the
    cadre or the origin do not constrain here (selector semantics: absent paths match), so
    such a rule counts for every cadre — each planned secondment is lawful under each rule,
    and a cadre outside a narrower rule merely returns sooner."""
    context: dict[str, object] = {"move.form": "secondment"}
    if to_position is not None:
        context.update({f"to.{k}": v for k, v in facts.place(to_position).items()})
    limits = [int(value) for rule in facts.ruleset.of_kind("secondment_max")
              if rule.in_force(day) and "secondment" in rule.params.forms
              and rule.selector.matches(context)
              and (value := rule.param("max_months", day)) is not None]
    return min(limits, default=DEFAULT_SECONDMENT_MONTHS)


def secondment_end(facts: Facts, to_position: str, start: dt.date) -> dt.date:
    """When a secondment starting on `start` ends: the away holder's return, else the
    longest lawful secondment (the cadre then returns or the decision is extended)."""
    longest = add_months(start, secondment_months(facts, start, to_position))
    holder = facts.roster.holder_by_position.get(to_position)
    if holder is not None and holder in facts.roster.cadre_by_id:
        until = away_until(facts, holder, start)
        if until is not None:
            return min(until, longest)
    return longest


def move_note(facts: Facts, move: Move) -> str:
    """What the decision must record about a move, as `;`-joined words (see plan.py)."""
    notes = []
    if move.form == "rotation" and relation(
            facts, move.from_position, move.to_position, move.start) == "lower":
        notes.append("keeps_allowance")  # NĐ 170/2025 Đ.27: the higher allowance is kept
    if facts.place(move.to_position)["role"] in ELECTED_ROLES:
        notes.append("nomination")
    return ";".join(notes)
