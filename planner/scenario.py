"""Scenarios: a scenario.yaml (possibly extending another) resolved into one object.

An overlay (`extends`) never changes its base: the base is read, then the overlay's fields
replace or extend it in memory. Relative paths resolve against the file that names them.
Roster patches (`roster:`, planner.overlay) apply in chain order to the roster in force: a
file that sets `data` starts from that roster, and the patches of the files it overlays are
dropped with the roster they patched.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from planner.calendar import Round, make_rounds, parse_round
from planner.errors import InputError, Problem, ProblemCollector, unknown
from planner.models import Forbid, Horizon, Pin, ScenarioFile, SolverSettings, Weights
from planner.overlay import PatchSource, apply_patches
from planner.roster_io import Roster, load_roster
from planner.validate import check_roster
from planner.yamlio import Locator, read_yaml, validation_problems


@dataclass(frozen=True)
class Located:
    """A scenario entry (pin, forbid, …) with the file and line that wrote it."""

    file: str
    line: int | None
    value: Any
    column: int | None = None


@dataclass
class Scenario:
    """A fully resolved scenario: horizon, roster, rule files and the planner's settings."""

    path: Path
    name: str
    title: str
    horizon: Horizon
    rounds: tuple[Round, ...]
    data_path: Path
    rule_paths: list[Path]
    overrides: dict[str, dict[str, Any]]
    override_origins: dict[str, tuple[str, int | None]]
    disabled: list[Located]
    enabled: list[Located]
    pins: list[Located]
    forbids: list[Located]
    weights: Weights
    solver: SolverSettings
    files: list[Path] = field(default_factory=list)
    roster: Roster = field(default_factory=Roster)
    #: roster patches of the chain, base first (applied when the roster is loaded)
    patches: list[PatchSource] = field(default_factory=list)
    #: one line per change the patches made, `file:line: what`
    patch_notes: list[str] = field(default_factory=list)
    #: cadres who left by `roster.cadres.leave`: id → file:line that said so
    departed: dict[str, str] = field(default_factory=dict)

    def round_by_name(self, name: str) -> Round | None:
        return next((r for r in self.rounds if r.name == name), None)


def _located(file_path: Path, locate: Locator, key: str, index: int, value: Any) -> Located:
    line, column = locate([key, index])
    return Located(str(file_path), line, value, column)


def _read_scenario_file(path: Path) -> tuple[ScenarioFile, Locator]:
    data, locate = read_yaml(path)
    if not isinstance(data, dict):
        raise InputError([Problem(str(path), 1, 1, None, "a scenario must be a YAML mapping")])
    try:
        return ScenarioFile.model_validate(data), locate
    except ValidationError as exc:
        raise InputError(validation_problems(exc, str(path), locate, ScenarioFile)) from None


def load_scenario(path: Path, *, with_roster: bool = True) -> Scenario:
    """Read a scenario and everything it names; raise InputError listing every problem."""
    chain: list[tuple[Path, ScenarioFile, Locator]] = []
    current: Path | None = path
    while current is not None:
        if any(p.resolve() == current.resolve() for p, _f, _l in chain):
            # Reported at the `extends` line that closes the loop: that is the line to change.
            closing_file, _sf, closing_locate = chain[-1]
            line, col = closing_locate(["extends"])
            raise InputError(
                [
                    Problem(
                        str(closing_file),
                        line,
                        col,
                        "extends",
                        "'extends' forms a cycle: "
                        + " → ".join(str(p) for p in [*(p for p, _f, _l in chain), current]),
                    )
                ]
            )
        scenario_file, locate = _read_scenario_file(current)
        chain.append((current, scenario_file, locate))
        current = (current.parent / scenario_file.extends) if scenario_file.extends else None
        if current is not None and not current.exists():
            line, col = locate(["extends"])
            raise InputError(
                [
                    Problem(
                        str(chain[-1][0]),
                        line,
                        col,
                        "extends",
                        f"base scenario '{scenario_file.extends}' not found",
                    )
                ]
            )

    name = title = ""
    horizon: Horizon | None = None
    data_path: Path | None = None
    rule_paths: list[Path] | None = None
    overrides: dict[str, dict[str, Any]] = {}
    override_origins: dict[str, tuple[str, int | None]] = {}
    disabled: list[Located] = []
    enabled: list[Located] = []
    pins: list[Located] = []
    forbids: list[Located] = []
    weights: dict[str, Any] = {}
    solver: dict[str, Any] = {}
    patches: list[PatchSource] = []
    for file_path, sf, locate in reversed(chain):  # base first, overlays on top
        base = file_path.parent
        name = sf.name or name
        title = sf.title or title
        horizon = sf.horizon or horizon
        if sf.data:
            data_path = base / sf.data
            patches = []  # a new roster: earlier patches patched the one it replaces
        if sf.roster is not None:
            patches.append(PatchSource(file_path, locate, sf.roster))
        if sf.rules is not None:
            rule_paths = [base / r for r in sf.rules]
        for rule_id, params in sf.set.items():
            overrides[rule_id] = {**overrides.get(rule_id, {}), **params}
            override_origins[rule_id] = (str(file_path), locate(["set", rule_id])[0])
        disabled += [_located(file_path, locate, "disable", i, v) for i, v in enumerate(sf.disable)]
        enabled += [_located(file_path, locate, "enable", i, v) for i, v in enumerate(sf.enable)]
        pins += [_located(file_path, locate, "pin", i, v) for i, v in enumerate(sf.pin)]
        forbids += [_located(file_path, locate, "forbid", i, v) for i, v in enumerate(sf.forbid)]
        pins, forbids = _drop_pins_and_forbids(file_path, locate, sf, pins, forbids)
        if sf.weights:
            weights.update(sf.weights.model_dump(exclude_unset=True))
        if sf.solver:
            solver.update(sf.solver.model_dump(exclude_unset=True))

    missing = [
        f
        for f, v in (("horizon", horizon), ("data", data_path), ("rules", rule_paths))
        if v is None
    ]
    if missing:
        raise InputError(
            [
                Problem(
                    str(path),
                    None,
                    None,
                    f,
                    "required field is missing (here or in the base it extends)",
                )
                for f in missing
            ]
        )
    assert horizon is not None and data_path is not None and rule_paths is not None
    scenario = Scenario(
        path=path,
        name=name or path.parent.name,
        title=title,
        horizon=horizon,
        rounds=make_rounds(horizon.start, horizon.end, horizon.round),
        data_path=data_path,
        rule_paths=rule_paths,
        overrides=overrides,
        override_origins=override_origins,
        disabled=disabled,
        enabled=enabled,
        pins=pins,
        forbids=forbids,
        weights=Weights(**weights),
        solver=SolverSettings(**solver),
        files=[p for p, _f, _l in chain]
        + [mapping for source in patches for mapping in source.mapping_files()],
        patches=patches,
    )
    if with_roster:
        scenario.roster = load_roster(data_path)
        if patches:
            # the roster as loaded must be sound before it is patched, so that a problem
            # is reported against the CSV row (or the patch) that causes it
            check_roster(scenario.roster, horizon.start)
            patched = apply_patches(scenario.roster, patches, horizon)
            scenario.roster = patched.roster
            scenario.patch_notes = patched.notes
            scenario.departed = patched.departed
        check_roster(scenario.roster, horizon.start)
        check_pins_and_forbids(scenario)
    return scenario


def _drop_pins_and_forbids(file_path: Path, locate: Locator, sf: ScenarioFile,
                           pins: list[Located], forbids: list[Located],
                           ) -> tuple[list[Located], list[Located]]:
    """`unpin: [C006]` and `unforbid: [{cadre: C006}]` drop what the bases pinned or forbade;
    naming something that is not there is an error (a typo would silently change nothing)."""
    problems = []
    for index, cadre_id in enumerate(sf.unpin):
        kept = [p for p in pins if p.value.cadre != cadre_id]
        if len(kept) == len(pins):
            line, col = locate(["unpin", index])
            problems.append(Problem(str(file_path), line, col, "unpin",
                                    f"no pin of {cadre_id} to drop"))
        pins = kept
    for index, forbid in enumerate(sf.unforbid):
        kept = [f for f in forbids if f.value != forbid]
        if len(kept) == len(forbids):
            line, col = locate(["unforbid", index])
            problems.append(Problem(str(file_path), line, col, "unforbid",
                                    f"no forbid {forbid.cadre} → {forbid.to or 'any move'} "
                                    "to drop"))
        forbids = kept
    if problems:
        raise InputError(problems)
    return pins, forbids


def check_pins_and_forbids(scenario: Scenario) -> None:
    """Pins and forbids must name existing cadres, positions and rounds of the horizon."""
    roster = scenario.roster
    problems = ProblemCollector()
    round_names = [r.name for r in scenario.rounds]
    for kind, entries in (("pin", scenario.pins), ("forbid", scenario.forbids)):
        for entry in entries:
            item: Pin | Forbid = entry.value
            if item.cadre not in roster.cadre_by_id:
                left = scenario.departed.get(item.cadre)
                problems.add(
                    entry.file,
                    entry.line,
                    f"{kind}.cadre",
                    f"cadre '{item.cadre}' has left (roster.cadres.leave at {left})"
                    if left
                    else unknown("cadre", item.cadre, roster.cadre_by_id),
                    entry.column,
                )
            if item.to is not None and item.to not in roster.position_by_id:
                problems.add(
                    entry.file,
                    entry.line,
                    f"{kind}.to",
                    unknown("position", item.to, roster.position_by_id),
                    entry.column,
                )
            if isinstance(item, Pin) and item.round is not None:
                try:
                    parse_round(item.round)
                except ValueError as exc:
                    problems.add(entry.file, entry.line, "pin.round", str(exc), entry.column)
                    continue
                if item.round not in round_names:
                    problems.add(
                        entry.file,
                        entry.line,
                        "pin.round",
                        unknown("round", item.round, round_names)
                        + f" — the horizon runs {round_names[0]}…{round_names[-1]}",
                        entry.column,
                    )
    problems.raise_if_any()

