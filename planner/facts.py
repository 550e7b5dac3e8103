"""Derived facts every rule kind, the checker and the solver share — computed in one place.

Who is due and by which round, who is exempt or deferred and why, remaining service, the
form and direction of a move, the selector contexts: all live here, so the candidate
generator of the solver and the independent checker can never disagree about them. Due and
exempt come from the rules' own `due` and `exempts` hooks (`rule.impl`): this module never
names or imports a rule kind.
"""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from planner.calendar import months_between, retirement_date
from planner.graph import OrgGraph
from planner.models import Cadre, Position
from planner.ruleset import Rule, RuleSet
from planner.scenario import Scenario

if TYPE_CHECKING:
    from planner.kinds.base import Due
    from planner.plan import Move


@dataclass(frozen=True)
class Exemption:
    """A rule that keeps a cadre from being moved by some form, with the reason in words."""

    rule: Rule
    reason: str


class Facts:
    """Facts about one scenario under one rule set (cached; the roster is immutable)."""

    def __init__(self, scenario: Scenario, ruleset: RuleSet):
        self.scenario = scenario
        self.ruleset = ruleset
        self.roster = scenario.roster
        self.graph = OrgGraph(scenario.roster)
        self.rounds = scenario.rounds
        self._place: dict[str, dict[str, Any]] = {}
        self._cadre_ctx: dict[str, dict[str, Any]] = {}
        self._dues: dict[str, list[Due]] = {}
        self._retirement: dict[str, dt.date] = {}
        self._move_ctx: dict[tuple[str, str, str | None, str], dict[str, Any]] = {}
        # posts whose holder is away at the horizon's start (planner.forms.away_posts): read
        # by the checker, the vacancy kind (three hooks), candidates and the model build
        self.away_at_start: dict[str, dt.date] | None = None

    # ------------------------------------------------------------------ places and contexts
    def place(self, position_id: str) -> dict[str, Any]:
        """Fields of a position with its unit and locality, as selectors read them."""
        cached = self._place.get(position_id)
        if cached is not None:
            return cached
        position = self.roster.position_by_id[position_id]
        unit = self.roster.unit_by_id[position.unit]
        locality = self.roster.locality_by_id[unit.locality]
        place = {
            "id": position.id, "role": position.role, "grade": position.grade,
            "key": position.key, "listed_sector": position.listed_sector,
            "profession": position.profession, "skills": position.skills,
            "title": position.title, "unit": unit.id, "bloc": unit.bloc,
            "unit_kind": unit.kind, "sector": unit.sector, "locality": locality.id,
            "level": locality.level, "locality_kind": locality.kind,
        }
        self._place[position_id] = place
        return place

    def cadre_context(self, cadre_id: str) -> dict[str, Any]:
        """Selector context of a cadre in their current post (no move fields)."""
        cached = self._cadre_ctx.get(cadre_id)
        if cached is not None:
            return cached
        cadre = self.roster.cadre_by_id[cadre_id]
        ctx: dict[str, Any] = {
            "cadre.id": cadre.id, "cadre.gender": cadre.gender, "cadre.status": cadre.status,
            "cadre.profession": cadre.profession, "cadre.skills": cadre.skills,
            "cadre.pool": tuple(str(p) for p in cadre.pool), "cadre.volunteer": cadre.volunteer,
            "cadre.hometown": cadre.hometown or "",
            "cadre.age": months_between(cadre.birth_date, self.scenario.horizon.start) // 12,
        }
        if cadre.position:
            place = self.place(cadre.position)
            ctx.update({f"position.{k}": v for k, v in place.items()})
            ctx.update({"unit.id": place["unit"], "unit.bloc": place["bloc"],
                        "unit.kind": place["unit_kind"], "unit.sector": place["sector"],
                        "locality.id": place["locality"], "locality.level": place["level"],
                        "locality.kind": place["locality_kind"]})
        self._cadre_ctx[cadre_id] = ctx
        return ctx

    def move_context(self, move: Move) -> dict[str, Any]:
        """Selector context of a move: the cadre's context plus move.*, from.* and to.*.

        Cached by (cadre, form, from, to): the context does not depend on the round. Callers
        only read it."""
        key = (move.cadre, move.form, move.from_position, move.to_position)
        cached = self._move_ctx.get(key)
        if cached is not None:
            return cached
        ctx = dict(self.cadre_context(move.cadre))
        ctx["move.form"] = move.form
        ctx["move.direction"] = self.direction(move.from_position, move.to_position)
        if move.from_position:
            ctx.update({f"from.{k}": v for k, v in self.place(move.from_position).items()})
        ctx.update({f"to.{k}": v for k, v in self.place(move.to_position).items()})
        self._move_ctx[key] = ctx
        return ctx

    def applies(self, rule: Rule, context: dict[str, Any], day: dt.date) -> bool:
        return rule.in_force(day) and rule.selector.matches(context)

    # ------------------------------------------------------------------ time
    def round_at(self, day: dt.date) -> int:
        """Index of the round containing `day` (0 before the horizon, last after it)."""
        for round_ in self.rounds:
            if round_.start <= day < round_.end:
                return round_.index
        return 0 if day < self.rounds[0].start else len(self.rounds) - 1

    def months_in_post(self, cadre_id: str, day: dt.date) -> int | None:
        cadre = self.roster.cadre_by_id[cadre_id]
        if cadre.position_start is None:
            return None
        return months_between(cadre.position_start, day)

    def tenure_start(self, cadre_id: str, restart: bool) -> dt.date | None:
        """When the cadre's time in post counts from: `position_start`, or — where the law
        re-designated the leaders of a new body (`restart`) — the day their post came to be."""
        start = self.roster.cadre_by_id[cadre_id].position_start
        post = self.roster.cadre_by_id[cadre_id].position
        if start is None or post is None or not restart:
            return start
        created = self.graph.window(post)[0]
        return max(start, created) if created else start

    def retirement_date(self, cadre_id: str) -> dt.date:
        """NĐ 135/2020 retirement date (computed on first use, then cached)."""
        found = self._retirement.get(cadre_id)
        if found is None:
            cadre = self.roster.cadre_by_id[cadre_id]
            found = self._retirement[cadre_id] = retirement_date(cadre.birth_date, cadre.gender)
        return found

    def months_to_retirement(self, cadre_id: str, day: dt.date) -> int:
        """Remaining service in whole months on `day` (0 once retired)."""
        return max(0, months_between(day, self.retirement_date(cadre_id)))

    # ------------------------------------------------------------------ due and exempt
    def exemptions(self, cadre_id: str, form: str, day: dt.date) -> list[Exemption]:
        """Rules that keep this cadre from being moved by `form` on `day` (`exempts` hooks)."""
        context = self.cadre_context(cadre_id)
        found = []
        for rule in self.ruleset.with_hook("exempts"):
            if not self.applies(rule, context, day):
                continue
            reason = rule.impl.exempts(rule, self, cadre_id, form, day)
            if reason:
                found.append(Exemption(rule, reason))
        return found

    def dues(self, cadre_id: str) -> list[Due]:
        """Every limit this cadre reaches in the horizon (`due` hooks), earliest first."""
        found = self._dues.get(cadre_id)
        if found is None:
            found = [due for rule in self.ruleset.with_hook("due")
                     if (due := rule.impl.due(rule, self, cadre_id)) is not None]
            found.sort(key=lambda due: due.round_index)  # stable: rule order breaks ties
            self._dues[cadre_id] = found
        return found

    def due(self, cadre_id: str) -> Due | None:
        """The earliest limit this cadre reaches in the horizon, unless exempted."""
        dues = self.dues(cadre_id)
        return dues[0] if dues else None

    @cached_property
    def _position_starts(self) -> list[tuple[dt.date, int]]:
        return sorted((c.position_start, i) for i, c in enumerate(self.roster.cadres)
                      if c.position_start is not None)

    def started_between(self, earliest: dt.date, latest: dt.date) -> list[Cadre]:
        """Cadres who took their post in [earliest, latest], in roster order (by a list
        sorted once, not a scan of the roster per rule and round)."""
        starts = self._position_starts
        low = bisect.bisect_left(starts, (earliest, -1))
        high = bisect.bisect_right(starts, (latest, len(self.roster.cadres)))
        return [self.roster.cadres[i] for i in sorted(i for _day, i in starts[low:high])]

    @cached_property
    def due_cadres(self) -> list[str]:
        return [c.id for c in self.roster.cadres if self.due(c.id) is not None]

    # ------------------------------------------------------------------ directions
    def direction(self, from_position: str | None, to_position: str) -> str:
        """A planner's name for a move's direction: 'district→commune', 'state→party', …"""
        to = self.place(to_position)
        if from_position is None:
            return f"none→{to['level']}"
        source = self.place(from_position)
        if source["level"] != to["level"]:
            return f"{source['level']}→{to['level']}"
        if source["bloc"] != to["bloc"]:
            return f"{source['bloc']}→{to['bloc']}"
        if source["unit_kind"] == "so" and to["unit_kind"] == "so":
            return "department→department"
        if source["locality"] != to["locality"]:
            return f"{source['level']}→{to['level']} (other locality)"
        if source["unit"] != to["unit"]:
            return "unit→unit"
        return "within unit"

    # ------------------------------------------------------------------ helpers for kinds
    def cadre(self, cadre_id: str) -> Cadre:
        return self.roster.cadre_by_id[cadre_id]

    def position(self, position_id: str) -> Position:
        return self.roster.position_by_id[position_id]
