"""A plan: the moves (DESIGN §2.5 `moves.csv`) and the cadres left unplaced.

`read_moves` also accepts a moves file a planner wrote by hand in a spreadsheet: only
`cadre,form,to_position,round` are required (the form decides which rules apply);
`from_position` defaults to the cadre's current post and `start` to the round's first day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from planner.calendar import Round, add_months, parse_round
from planner.dialect import parse_date, read_move_rows
from planner.errors import ProblemCollector, did_you_mean, unknown
from planner.models import FORMS
from planner.roster_io import Roster, csv_text
from planner.scenario import Scenario

# `note` came last so moves files written before it still read (and hand-made ones may omit
# it): what the decision must record — `keeps_allowance` (a rotation to a lower-allowance
# post, NĐ 170 Đ.27), `nomination` (an elected post: designated or nominated for election).
MOVE_COLUMNS = ("cadre", "form", "from_position", "to_position", "round", "start", "end",
                "adaptation_until", "rules", "note")
REQUIRED_MOVE_COLUMNS = ("cadre", "form", "to_position", "round")


@dataclass(frozen=True)
class Move:
    """One cadre moving by a form to a position from a round's first day.

    `end` is the return date of a secondment (the cadre goes back to `from_position`).
    """

    cadre: str
    form: str
    from_position: str | None
    to_position: str
    round: str
    round_index: int
    start: dt.date
    end: dt.date | None = None
    adaptation_until: dt.date | None = None
    rules: tuple[str, ...] = ()
    line: int | None = None
    note: str = ""

    def row(self) -> list[str]:
        return [self.cadre, self.form, self.from_position or "", self.to_position, self.round,
                self.start.isoformat(), self.end.isoformat() if self.end else "",
                self.adaptation_until.isoformat() if self.adaptation_until else "",
                ";".join(self.rules), self.note]


@dataclass(frozen=True)
class Unplaced:
    cadre: str
    reason: str
    rules: tuple[str, ...] = ()


@dataclass
class Plan:
    """Moves keyed by cadre (at most one each in the horizon), plus unplaced due cadres."""

    moves: list[Move] = field(default_factory=list)
    unplaced: list[Unplaced] = field(default_factory=list)
    source: str = ""

    def __post_init__(self) -> None:
        self.moves.sort(key=lambda m: (m.round_index, m.cadre))
        self.move_by_cadre = {m.cadre: m for m in self.moves}

    def with_move(self, move: Move) -> Plan:
        others = [m for m in self.moves if m.cadre != move.cadre]
        return Plan([*others, move], list(self.unplaced), self.source)


#: appended after the documented columns so people read names, not only ids (never read)
NAME_COLUMNS = ("name", "from_title", "to_title", "to_unit")


def moves_csv(plan: Plan, roster: Roster | None = None) -> str:
    """moves.csv: the documented columns, then (with a roster) the names beside the ids."""
    if roster is None:
        return csv_text(MOVE_COLUMNS, (m.row() for m in plan.moves))

    def title(position_id: str | None) -> str:
        position = roster.position_by_id.get(position_id or "")
        return position.title if position else ""

    def unit(position_id: str) -> str:
        position = roster.position_by_id.get(position_id)
        found = roster.unit_by_id.get(position.unit) if position else None
        return found.name if found else ""

    def names(move: Move) -> list[str]:
        cadre = roster.cadre_by_id.get(move.cadre)
        return [cadre.name if cadre else "", title(move.from_position),
                title(move.to_position), unit(move.to_position)]

    return csv_text((*MOVE_COLUMNS, *NAME_COLUMNS),
                    ([*m.row(), *names(m)] for m in plan.moves))


def read_moves(path: Path, scenario: Scenario, drop_stale: bool = False) -> Plan:
    """Read a moves file (planner-made or hand-made, CSV or the report's .xlsx); every problem
    at once, with lines.

    Headers may be the documented ones or the workbook's Vietnamese/English labels; forms
    may be labels ("Điều động"); dates ISO or dd/mm/yyyy. Derived columns (names, titles,
    units, direction, `start`, `adaptation_until`) are for people and are not read: the start
    is always the round's first day, so changing a move's round needs no other edit.
    With `drop_stale` (an earlier plan re-read under a changed scenario), moves that no longer
    fit the roster or horizon are dropped instead of reported: they cannot be kept anyway.
    """
    table = read_move_rows(path)
    problems = ProblemCollector()
    file = table.file
    moves: list[Move] = []
    seen: dict[str, int] = {}
    hint = header_hint(list(table.header))
    if hint:
        problems.add(file, table.header_line, None, hint)
        problems.raise_if_any()
    for index, column in enumerate(table.columns):
        if column is not None and column in table.columns[:index]:
            first = table.columns.index(column)
            problems.add(file, table.header_line, column,
                         f"column '{column}' appears twice (columns {first + 1} "
                         f"'{table.header[first]}' and {index + 1} '{table.header[index]}'): "
                         "keep one")
    for name, column in zip(table.header, table.columns, strict=True):
        if column is None and name:
            problems.add(file, table.header_line, name,
                         f"unknown column '{name}'{did_you_mean(name, MOVE_COLUMNS)}")
    for column in REQUIRED_MOVE_COLUMNS:
        if column not in table.columns:
            problems.add(file, table.header_line, column, "required column is missing")
    problems.raise_if_any()
    for line, row in table.rows:
        if line in table.too_wide:
            problems.add(file, line, None, f"{table.too_wide[line]} cells but the header has "
                         f"{len(table.header)} columns")
            continue
        if not any(row.values()):
            continue
        checked = ProblemCollector() if drop_stale else problems
        move = _parse_move(row, line, file, scenario, checked)
        if move is None:
            continue
        if move.cadre in seen:
            problems.add(file, line, "cadre", f"cadre {move.cadre} already moves on line "
                         f"{seen[move.cadre]} (at most one move per cadre in the horizon)")
            continue
        seen[move.cadre] = line
        moves.append(move)
    problems.raise_if_any()
    return Plan(moves, source=str(path))


def header_hint(header: list[str]) -> str:
    """A one-column header holding another delimiter: say which, and how to fix it."""
    if len(header) != 1:
        return ""
    for delimiter, name in (("|", "bars"), (":", "colons"), (" ", "spaces")):
        if delimiter in header[0].strip():
            return (f"the header is one column '{header[0][:60]}': the file seems separated "
                    f"by {name} — save it as CSV with commas or semicolons (Excel: CSV UTF-8)")
    return ""


def _parse_move(row: dict[str, str], line: int, file: str, scenario: Scenario,
                problems: ProblemCollector) -> Move | None:
    roster = scenario.roster
    before = len(problems.problems)
    cadre = roster.cadre_by_id.get(row.get("cadre", ""))
    if cadre is None:
        problems.add(file, line, "cadre", unknown("cadre", row.get("cadre", ""),
                                                  roster.cadre_by_id))
    form = row.get("form", "")
    if form not in FORMS:
        problems.add(file, line, "form", unknown("form", form, FORMS))
    to_position = row.get("to_position", "")
    if to_position not in roster.position_by_id:
        problems.add(file, line, "to_position", unknown("position", to_position,
                                                        roster.position_by_id))
    from_position = row.get("from_position") or (cadre.position if cadre else None)
    if cadre is not None and from_position != cadre.position:
        problems.add(file, line, "from_position",
                     f"{cadre.id} holds {cadre.position or 'no post'}, not {from_position}")
    if cadre is not None and to_position == cadre.position:
        problems.add(file, line, "to_position", f"{cadre.id} already holds {to_position}")
    round_name = row.get("round", "")
    round_ = scenario.round_by_name(round_name) or _round_on(scenario, round_name)
    if round_ is None:
        try:
            parse_round(round_name)
            names = [r.name for r in scenario.rounds]
            problems.add(file, line, "round", f"round '{round_name}' is outside the horizon "
                         f"({names[0]}…{names[-1]})")
        except ValueError as exc:
            problems.add(file, line, "round", str(exc))
    end = None
    if row.get("end"):
        try:
            end = parse_date(row["end"])
        except ValueError as exc:
            problems.add(file, line, "end", str(exc))
    if len(problems.problems) > before or round_ is None or cadre is None:
        return None
    if end is not None and end <= round_.start:
        problems.add(file, line, "end", f"end {end} is not after the start {round_.start}")
        return None
    if form == "secondment" and end is None:
        problems.add(file, line, "end", "a secondment needs an end date (its return)")
        return None
    rules = tuple(r for r in row.get("rules", "").split(";") if r)
    adaptation = None
    if row.get("adaptation_until"):  # derived (recomputed by the checker); kept if readable
        try:
            adaptation = parse_date(row["adaptation_until"])
        except ValueError:
            adaptation = None
    return Move(cadre.id, form, from_position, to_position, round_.name, round_.index,
                round_.start, end, adaptation, rules, line, row.get("note", ""))


def _round_on(scenario: Scenario, text: str) -> Round | None:
    """The round containing a date, for a round cell that a spreadsheet turned into one."""
    try:
        day = parse_date(text)
    except ValueError:
        return None
    return next((r for r in scenario.rounds if r.start <= day < r.end), None)


def make_move(scenario: Scenario, cadre_id: str, form: str, to_position: str, round_index: int,
              months: int | None = None) -> Move:
    """A move built in code (tests, solver), with a secondment ending after `months`."""
    cadre = scenario.roster.cadre_by_id[cadre_id]
    round_ = scenario.rounds[round_index]
    end = add_months(round_.start, months) if months is not None else None
    return Move(cadre_id, form, cadre.position, to_position, round_.name, round_index,
                round_.start, end)
