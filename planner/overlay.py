"""Roster patches of what-if scenarios (the `roster:` key of a scenario.yaml).

A scenario that `extends` another may change the roster it inherits; the patches apply in
memory to a copy, base first and each overlay on top, so no base file is ever written:

```yaml
roster:
  vacancies: {add: [{id: P-QA-CV-MT, unit: U-QA-UB, title: "…", role: staff, grade: 2}],
              close: [P-XL-PBT]}
  cadres: {status: [{cadre: C017, status: illness, until: 2025-06-30}], leave: [C018]}
  relations: {add: [{a: C001, b: C002, relation: sibling}], remove: [{a: C012, b: C013}]}
  merge: [{locality: TH-XL, into: TH-NT, on: 2025-07-01, mapping: mapping.csv}]
```

Within one file the steps run in this order: vacancies.add, cadres.leave, cadres.status,
merge, vacancies.close, relations.remove, relations.add — so a post opened by a patch can
receive a merged post's holder, and a post whose holder leaves can be closed.

- `cadres.status` sets `status` and `status_until` (e.g. study, illness: the exemption rules
  then defer or exempt the cadre). A cadre *on leave* is modelled this way.
- `cadres.leave` means the cadre leaves the organisation (retirement, transfer out of the
  city's management, resignation): the row is removed, their post falls vacant, and their
  relations and history rows go with them. A pin or forbid naming them is then an error.
- `vacancies.close` removes a vacant post; closing a held post is an error (let the holder
  `leave`, or pin a move away instead). History rows of a closed post are dropped.
- `merge` ends a locality on `on` (`valid_to`, `successor`) and moves its child localities
  under the successor; its natives count as natives of the successor (planner.graph). It
  acts on its date, not at the horizon's start: until `on` the old posts exist and keep their
  holders, from `on` they are gone (planner.graph: existence). The mapping CSV (relative to
  the scenario file) has either `old_unit,new_unit` — every unit of the locality, whose
  posts (with their holders) carry on in the new unit from `on` — or
  `old_position,new_position` — every post of the locality, each handed to its new post on
  `on` (the holder goes with it, keeping their `position_start`: a merger is not a move), or
  abolished by an empty `new_position` (its holder must then be moved by `on`, or is
  reported unplaced). Without a mapping the units carry on in the successor unchanged. `on`
  must fall inside the horizon; `rotation apply` carries the holders over to the new posts.

Every bad patch is reported with the scenario file, line and column, and the closest valid id.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from planner.errors import (
    InputError,
    Problem,
    ProblemCollector,
    did_you_mean,
    read_input_bytes,
    unknown,
)
from planner.models import LEVELS, Cadre, Horizon, Locality, Merge, RosterPatches
from planner.roster_io import TABLES, Origin, Roster
from planner.yamlio import Locator

UNIT_MAPPING = ("old_unit", "new_unit")
POSITION_MAPPING = ("old_position", "new_position")


@dataclass(frozen=True)
class PatchSource:
    """The `roster:` patches of one scenario file, with its path and key locator."""

    file: Path
    locate: Locator
    patches: RosterPatches

    def mapping_files(self) -> list[Path]:
        return [self.file.parent / m.mapping for m in self.patches.merge if m.mapping]


@dataclass
class PatchResult:
    """The patched roster, a note per change, and who left (id → where it was said)."""

    roster: Roster
    notes: list[str] = field(default_factory=list)
    departed: dict[str, str] = field(default_factory=dict)


def apply_patches(roster: Roster, sources: Sequence[PatchSource],
                  horizon: Horizon | None = None) -> PatchResult:
    """Apply each file's patches in chain order (base first); InputError on a bad patch."""
    editor = _Editor(roster, horizon)
    for source in sources:
        editor.apply(source)
    return PatchResult(editor.build(), editor.notes, editor.departed)


Row = tuple[Any, Origin]


class _Editor:
    """Mutable copy of a roster's tables, each row with the file and line it came from."""

    def __init__(self, roster: Roster, horizon: Horizon | None = None):
        self.horizon = horizon
        self.source = roster.source
        self.rows: dict[str, list[Row]] = {
            name: [(r, roster.origin(name, i)) for i, r in enumerate(roster.table(name))]
            for name in TABLES
        }
        self.notes: list[str] = []
        self.departed: dict[str, str] = {}
        self.problems = ProblemCollector()
        self.file = ""
        self.locate: Locator = lambda _path: (None, None)

    # ------------------------------------------------------------------ table helpers
    def by_id(self, table: str) -> dict[str, Row]:
        return {row[0].id: row for row in self.rows[table]}

    def replace(self, table: str, record_id: str, **changes: Any) -> None:
        self.rows[table] = [(r.model_copy(update=changes), o) if r.id == record_id else (r, o)
                            for r, o in self.rows[table]]

    def holder_of(self, position_id: str) -> Cadre | None:
        return next((c for c, _o in self.rows["cadres"] if c.position == position_id), None)

    def build(self) -> Roster:
        tables = {name: tuple(r for r, _o in rows) for name, rows in self.rows.items()}
        origins = {(name, i): o for name, rows in self.rows.items() for i, (_r, o) in
                   enumerate(rows)}
        return Roster(**tables, origins=origins, source=self.source)

    def problem(self, path: Sequence[int | str], field_name: str, message: str) -> None:
        line, column = self.locate(list(path))
        self.problems.add(self.file, line, f"roster.{field_name}", message, column)

    def where(self, path: Sequence[int | str]) -> str:
        return f"{self.file}:{self.locate(list(path))[0]}"

    def unknown_cadre(self, cadre_id: str) -> str:
        if cadre_id in self.departed:
            return f"cadre '{cadre_id}' has left (roster.cadres.leave at {self.departed[cadre_id]})"
        return unknown("cadre", cadre_id, self.by_id("cadres"))

    # ------------------------------------------------------------------ one file
    def apply(self, source: PatchSource) -> None:
        self.file, self.locate = str(source.file), source.locate
        patches = source.patches
        self._add_vacancies(patches)
        self._leave(patches)
        self._status(patches)
        for index, merge in enumerate(patches.merge):
            self._merge(index, merge, source.file.parent)
        self._close_vacancies(patches)
        self._relations(patches)
        self.problems.raise_if_any()

    def _add_vacancies(self, patches: RosterPatches) -> None:
        positions = self.by_id("positions")
        units = self.by_id("units")
        for index, position in enumerate(patches.vacancies.add):
            path: list[int | str] = ["roster", "vacancies", "add", index]
            if position.id in positions:
                origin = positions[position.id][1]
                self.problem([*path, "id"], "vacancies.add.id",
                             f"position '{position.id}' already exists ({origin.file}:"
                             f"{origin.line}); a new post needs a new id")
                continue
            if position.unit not in units:
                self.problem([*path, "unit"], "vacancies.add.unit",
                             unknown("unit", position.unit, units))
                continue
            line = self.locate(path)[0] or 0
            row = (position, Origin(self.file, line))
            self.rows["positions"].append(row)
            positions[position.id] = row
            self.notes.append(f"{self.where(path)}: new vacant post {position.id} in "
                              f"{position.unit}")

    def _leave(self, patches: RosterPatches) -> None:
        for index, cadre_id in enumerate(patches.cadres.leave):
            path: list[int | str] = ["roster", "cadres", "leave", index]
            cadre = self.by_id("cadres").get(cadre_id)
            if cadre is None:
                self.problem(path, "cadres.leave", self.unknown_cadre(cadre_id))
                continue
            post = cadre[0].position
            self.rows["cadres"] = [row for row in self.rows["cadres"] if row[0].id != cadre_id]
            relations = len(self.rows["relations"])
            self.rows["relations"] = [row for row in self.rows["relations"]
                                      if cadre_id not in (row[0].a, row[0].b)]
            history = len(self.rows["history"])
            self.rows["history"] = [row for row in self.rows["history"]
                                    if row[0].cadre != cadre_id]
            self.departed[cadre_id] = self.where(path)
            self.notes.append(
                f"{self.where(path)}: {cadre_id} leaves the organisation"
                + (f"; {post} falls vacant" if post else "")
                + f" ({relations - len(self.rows['relations'])} relations, "
                f"{history - len(self.rows['history'])} history rows removed)")

    def _status(self, patches: RosterPatches) -> None:
        for index, change in enumerate(patches.cadres.status):
            path: list[int | str] = ["roster", "cadres", "status", index]
            if change.cadre not in self.by_id("cadres"):
                self.problem([*path, "cadre"], "cadres.status.cadre",
                             self.unknown_cadre(change.cadre))
                continue
            self.replace("cadres", change.cadre, status=change.status,
                         status_until=change.until)
            until = f" until {change.until}" if change.until else ""
            self.notes.append(f"{self.where(path)}: {change.cadre} is {change.status}{until}")

    def _close_vacancies(self, patches: RosterPatches) -> None:
        for index, position_id in enumerate(patches.vacancies.close):
            path: list[int | str] = ["roster", "vacancies", "close", index]
            if position_id not in self.by_id("positions"):
                self.problem(path, "vacancies.close",
                             unknown("position", position_id, self.by_id("positions")))
                continue
            holder = self.holder_of(position_id)
            if holder is not None:
                self.problem(path, "vacancies.close",
                             f"position '{position_id}' is held by {holder.id} ({holder.name}): "
                             "only a vacant post can be closed (let the holder leave with "
                             "roster.cadres.leave, or close another post)")
                continue
            self.rows["positions"] = [row for row in self.rows["positions"]
                                      if row[0].id != position_id]
            dropped = self._drop_history(position_id)
            self.notes.append(f"{self.where(path)}: post {position_id} closed"
                              + (f" ({dropped} history rows dropped)" if dropped else ""))

    def _drop_history(self, position_id: str) -> int:
        before = len(self.rows["history"])
        self.rows["history"] = [row for row in self.rows["history"]
                                if row[0].position != position_id]
        return before - len(self.rows["history"])

    def _relations(self, patches: RosterPatches) -> None:
        def pair_index() -> dict[frozenset[str], Row]:
            return {frozenset((r.a, r.b)): (r, o) for r, o in self.rows["relations"]}

        for index, pair in enumerate(patches.relations.remove):
            path: list[int | str] = ["roster", "relations", "remove", index]
            key = frozenset((pair.a, pair.b))
            if key not in pair_index():
                known = sorted(f"{r.a}–{r.b}" for r, _o in self.rows["relations"]
                               if {r.a, r.b} & key)
                self.problem(path, "relations.remove",
                             f"{pair.a} and {pair.b} are not listed as relatives"
                             + (f" (their relations: {', '.join(known)})" if known else ""))
                continue
            self.rows["relations"] = [row for row in self.rows["relations"]
                                      if frozenset((row[0].a, row[0].b)) != key]
            self.notes.append(f"{self.where(path)}: relation {pair.a}–{pair.b} removed")
        cadres = self.by_id("cadres")
        for index, relation in enumerate(patches.relations.add):
            path = ["roster", "relations", "add", index]
            bad = False
            for end in ("a", "b"):
                cadre_id = getattr(relation, end)
                if cadre_id not in cadres:
                    self.problem([*path, end], f"relations.add.{end}",
                                 self.unknown_cadre(cadre_id))
                    bad = True
            existing = pair_index().get(frozenset((relation.a, relation.b)))
            if existing is not None:
                self.problem(path, "relations.add",
                             f"{relation.a} and {relation.b} are already relatives "
                             f"({existing[0].relation}, {existing[1].file}:{existing[1].line})")
                bad = True
            if bad:
                continue
            self.rows["relations"].append((relation, Origin(self.file,
                                                            self.locate(path)[0] or 0)))
            self.notes.append(f"{self.where(path)}: {relation.a} and {relation.b} are "
                              f"relatives ({relation.relation})")

    # ------------------------------------------------------------------ merge
    def _merge(self, index: int, merge: Merge, base: Path) -> None:
        path: list[int | str] = ["roster", "merge", index]
        localities = self.by_id("localities")
        bad = False
        for key in ("locality", "into"):
            locality_id = getattr(merge, key)
            if locality_id not in localities:
                self.problem([*path, key], f"merge.{key}",
                             unknown("locality", locality_id, localities))
                bad = True
        if bad:
            return
        merged: Locality = localities[merge.locality][0]
        if self.horizon is not None and not self.horizon.start <= merge.on < self.horizon.end:
            self.problem([*path, "on"], "merge.on",
                         f"{merge.on} is outside the horizon ({self.horizon.start} – "
                         f"{self.horizon.end}): a merge acts on its date inside the plan; a "
                         "merge done before it belongs in the roster (valid_to, successor)")
            return
        if merge.into == merge.locality or merge.locality in self._ancestors(merge.into):
            self.problem([*path, "into"], "merge.into",
                         f"'{merge.into}' lies inside '{merge.locality}': a locality merges "
                         "into another one outside it")
            return
        if merged.successor:
            self.problem([*path, "locality"], "merge.locality",
                         f"'{merge.locality}' already ended on {merged.valid_to} (merged into "
                         f"{merged.successor})")
            return
        try:
            ended = Locality.model_validate({**merged.model_dump(), "valid_to": merge.on,
                                             "successor": merge.into})
        except ValidationError as exc:
            self.problem([*path, "on"], "merge.on", "; ".join(
                e["msg"].removeprefix("Value error, ") for e in exc.errors()))
            return
        unit_ids = [u.id for u, _o in self.rows["units"] if u.locality == merge.locality]
        if merge.mapping is None:
            what = f"its {len(unit_ids)} units carry on in {merge.into} unchanged"
        else:
            mapping_path = base / merge.mapping
            if not mapping_path.exists():
                self.problem([*path, "mapping"], "merge.mapping",
                             f"mapping file '{merge.mapping}' not found")
                return
            header, rows = _read_mapping(mapping_path)
            if tuple(sorted(header)) == tuple(sorted(UNIT_MAPPING)):
                done = self._map_units(mapping_path, rows, merge, unit_ids, path)
            else:
                done = self._map_positions(mapping_path, rows, merge, unit_ids, path)
            if done is None:
                return
            what = done
        self.replace("localities", merge.locality, valid_to=ended.valid_to,
                     successor=ended.successor)
        into_rank = LEVELS.index(localities[merge.into][0].level)
        children = [loc.id for loc, _o in self.rows["localities"]
                    if loc.parent == merge.locality and LEVELS.index(loc.level) > into_rank]
        for child in children:
            self.replace("localities", child, parent=merge.into)
        self.notes.append(f"{self.where(path)}: {merge.locality} merged into {merge.into} on "
                          f"{merge.on}: {what}"
                          + (f"; {', '.join(children)} now under {merge.into}"
                             if children else ""))

    def _ancestors(self, locality_id: str) -> list[str]:
        parents = {loc.id: loc.parent for loc, _o in self.rows["localities"]}
        chain: list[str] = []
        current = parents.get(locality_id)
        while current and current not in chain:
            chain.append(current)
            current = parents.get(current)
        return chain

    def _map_units(self, file: Path, rows: list[tuple[int, dict[str, str]]], merge: Merge,
                   unit_ids: list[str], path: list[int | str]) -> str | None:
        units = self.by_id("units")
        mapping: dict[str, str] = {}
        problems = ProblemCollector()
        for line, row in rows:
            old, new = row["old_unit"], row["new_unit"]
            if old not in unit_ids:
                problems.add(str(file), line, "old_unit",
                             unknown(f"unit of {merge.locality}", old, unit_ids))
            elif old in mapping:
                problems.add(str(file), line, "old_unit", f"unit '{old}' is mapped twice")
            if not new:
                problems.add(str(file), line, "new_unit", "required value is empty")
            elif new not in units:
                problems.add(str(file), line, "new_unit", unknown("unit", new, units))
            elif new in unit_ids:
                problems.add(str(file), line, "new_unit",
                             f"'{new}' is a unit of {merge.locality}, which ends")
            mapping[old] = new
        missing = [u for u in unit_ids if u not in mapping]
        if missing:
            self.problem([*path, "mapping"], "merge.mapping",
                         f"{file.name} does not map these units of {merge.locality}: "
                         f"{', '.join(missing)}")
        if problems.problems or missing:
            self.problems.extend(problems.problems)
            return None
        # the units end on the merge date and hand their posts (and holders) to the new ones
        self.rows["units"] = [(u.model_copy(update={"valid_to": merge.on,
                                                    "successor": mapping[u.id]}), o)
                              if u.id in mapping else (u, o) for u, o in self.rows["units"]]
        return f"posts of {len(mapping)} units carried over by {file.name} on {merge.on}"

    def _map_positions(self, file: Path, rows: list[tuple[int, dict[str, str]]], merge: Merge,
                       unit_ids: list[str], path: list[int | str]) -> str | None:
        positions = self.by_id("positions")
        old_ids = [p.id for p, _o in self.rows["positions"] if p.unit in unit_ids]
        mapping: dict[str, str] = {}
        targets: dict[str, int] = {}
        problems = ProblemCollector()
        for line, row in rows:
            old, new = row["old_position"], row["new_position"]
            if old not in old_ids:
                problems.add(str(file), line, "old_position",
                             unknown(f"position of {merge.locality}", old, old_ids))
            elif old in mapping:
                problems.add(str(file), line, "old_position", f"'{old}' is mapped twice")
            if new:
                holder = self.holder_of(new)
                if new not in positions:
                    problems.add(str(file), line, "new_position",
                                 unknown("position", new, positions))
                elif new in old_ids:
                    problems.add(str(file), line, "new_position",
                                 f"'{new}' is a post of {merge.locality}, which ends")
                elif new in targets:
                    problems.add(str(file), line, "new_position",
                                 f"'{new}' already receives a post on line {targets[new]}")
                elif holder is not None:
                    problems.add(str(file), line, "new_position",
                                 f"'{new}' is held by {holder.id}: map to a vacant post "
                                 "(open one with roster.vacancies.add)")
                elif not _open_on(positions[new][0], merge.on):
                    target = positions[new][0]
                    problems.add(str(file), line, "new_position",
                                 f"'{new}' does not exist on {merge.on} (it exists "
                                 f"{target.valid_from or '…'} – {target.valid_to or '…'}): "
                                 "the holder would have nowhere to go")
                targets[new] = line
            mapping[old] = new
        missing = [p for p in old_ids if p not in mapping]
        if missing:
            self.problem([*path, "mapping"], "merge.mapping",
                         f"{file.name} does not map these posts of {merge.locality}: "
                         f"{', '.join(missing)} (an empty new_position abolishes a post)")
        if problems.problems or missing:
            self.problems.extend(problems.problems)
            return None
        abolished = [old for old, new in mapping.items() if not new]
        # every old post ends on the merge date: handed to its new post, or abolished (its
        # holder is then due by that date: the existence rule)
        self.rows["positions"] = [(p.model_copy(update={"valid_to": merge.on,
                                                        "successor": mapping[p.id] or None}), o)
                                  if p.id in mapping else (p, o)
                                  for p, o in self.rows["positions"]]
        holders = [c.id for old in abolished if (c := self.holder_of(old)) is not None]
        text = f"{len(mapping) - len(abolished)} posts handed over by {file.name} on {merge.on}"
        if abolished:
            text += f", {len(abolished)} abolished ({', '.join(abolished)})"
        if holders:
            text += f"; their holders {', '.join(holders)} must be placed by then"
        return text


def _open_on(position: Any, day: Any) -> bool:
    """Whether a post's own dates cover `day`."""
    return (position.valid_from is None or position.valid_from <= day) and (
        position.valid_to is None or day < position.valid_to)


def _read_mapping(path: Path) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """Header and rows (with lines) of a merge mapping CSV; InputError if malformed."""
    try:
        text = read_input_bytes(path).decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError([Problem(str(path), None, None, None,
                                  f"not UTF-8 text (byte {exc.start})")]) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [cell.strip() for cell in next(reader, [])]
    expected = (",".join(POSITION_MAPPING), ",".join(UNIT_MAPPING))
    if sorted(header) not in (sorted(POSITION_MAPPING), sorted(UNIT_MAPPING)):
        hint = did_you_mean(",".join(header), expected)
        raise InputError([Problem(str(path), 1, None, None,
                                  f"header must be {expected[0]} or {expected[1]}"
                                  f"{hint} (got '{','.join(header)}')")])
    rows = []
    for cells in reader:
        if any(cell.strip() for cell in cells):
            rows.append((reader.line_num,
                         {k: v.strip() for k, v in zip(header, cells, strict=False)} |
                         {k: "" for k in header[len(cells):]}))
    return header, rows
