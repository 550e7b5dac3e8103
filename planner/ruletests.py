"""YAML rule tests (`rotation test`), in the spirit of OpenFisca's YAML tests.

A test file holds a list of cases. Each case names a scenario (relative to the test file),
may patch its roster and rules, lists the moves of a plan, and says which violations the
independent checker must find:

```yaml
- name: A father heading an office cannot have his daughter as its deputy
  scenario: ../../scenarios/demo/scenario.yaml
  moves:
    - {cadre: C013, form: transfer, to_position: P-TH-TNMT-PP, round: 2024-Q2}
  expect: {relatives-qd114: 2}
```

`expect` is either `none` — no violation of any rule, except the rules listed in `ignore` —
or a mapping {rule id: number of violations, hard and soft}. With a mapping only the named
rules are compared, unless `only: true` also requires no violation of any other rule (again
except `ignore`). `set`, `disable` and `enable` work as in a scenario, on top of it.
`roster` patches the scenario's roster: `{cadres: [{id: C042, volunteer: true}], …}` — a row
whose id exists changes only the fields it names, a new id adds a row (relations are matched
by their pair of cadres, history rows by cadre, position and start).

Every test file is read and every case prepared before any runs: a bad file (exit 2) is
reported with file:line like every other input, and never yields half a report.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, ValidationError

from planner.checker import check_plan
from planner.errors import InputError, Problem, ProblemCollector, unknown
from planner.facts import Facts
from planner.kinds.base import Violation
from planner.models import Config
from planner.plan import Move, Plan, _parse_move
from planner.roster_io import TABLES, Origin, Roster
from planner.rulefiles import load_ruleset
from planner.ruleset import RuleSet
from planner.scenario import Scenario, load_scenario
from planner.validate import check_roster
from planner.yamlio import Locator, read_yaml, validation_problems

# Rule ids of the checker's structural checks, which a case may also expect.
STRUCTURE_RULE_IDS = ("structure.one-holder", "scenario.pin", "scenario.forbid")
TEST_SUFFIXES = (".yaml", ".yml")
MAX_MESSAGES = 12  # violation messages shown under a failed case


class MoveEntry(Config):
    """One move of a case's plan (the columns of a moves file)."""

    cadre: str
    form: str
    to_position: str
    round: str
    from_position: str | None = None
    end: dt.date | None = None


class RosterPatch(Config):
    """Rows to change or add, per roster table (DESIGN §2.2 columns)."""

    localities: list[dict[str, Any]] = Field(default_factory=list)
    units: list[dict[str, Any]] = Field(default_factory=list)
    positions: list[dict[str, Any]] = Field(default_factory=list)
    cadres: list[dict[str, Any]] = Field(default_factory=list)
    relations: list[dict[str, Any]] = Field(default_factory=list)
    history: list[dict[str, Any]] = Field(default_factory=list)


class CaseSpec(Config):
    """One case as written in a test file."""

    name: str = Field(min_length=1, description="what the case shows, as a sentence")
    scenario: str = Field(description="scenario.yaml, relative to the test file")
    roster: RosterPatch | None = None
    set: dict[str, dict[str, Any]] = Field(default_factory=dict)
    disable: list[str] = Field(default_factory=list)
    enable: list[str] = Field(default_factory=list)
    moves: list[MoveEntry] = Field(default_factory=list)
    expect: Literal["none"] | dict[str, Annotated[int, Field(ge=0)]]
    only: bool = False
    ignore: list[str] = Field(default_factory=list)


@dataclass
class RuleCase:
    """A case ready to run: its scenario and rules loaded, its plan built."""

    name: str
    file: Path
    line: int | None
    expect: dict[str, int]
    only: bool
    ignore: frozenset[str]
    facts: Facts
    plan: Plan

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}" if self.line else str(self.file)


@dataclass
class CaseResult:
    """The outcome of one case: counts per rule compared with the expectation."""

    case: RuleCase
    violations: list[Violation]
    found: dict[str, int]
    mismatches: list[tuple[str, int, int]] = field(default_factory=list)
    unexpected: dict[str, int] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        return not self.mismatches and not self.unexpected

    def diff_lines(self) -> list[str]:
        """Expected against found counts per rule, with the messages of the rules involved."""
        lines = [f"{rule_id}: expected {expected}, found {found}"
                 for rule_id, expected, found in self.mismatches]
        if self.unexpected:
            why = "expect: none" if not self.case.expect else "only: true"
            lines.append(f"unexpected violations ({why}): "
                         + ", ".join(f"{r} {n}" for r, n in self.unexpected.items()))
        involved = {r for r, _e, _f in self.mismatches} | set(self.unexpected)
        messages = [f"  • {v.rule_id}: {v.message}" for v in self.violations
                    if v.rule_id in involved]
        lines += messages[:MAX_MESSAGES]
        if len(messages) > MAX_MESSAGES:
            lines.append(f"  … and {len(messages) - MAX_MESSAGES} more")
        return lines

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.case.name, "file": str(self.case.file), "line": self.case.line,
                "passed": self.passed, "expected": self.case.expect, "found": self.found,
                "mismatches": [{"rule": r, "expected": e, "found": f}
                               for r, e, f in self.mismatches],
                "unexpected": self.unexpected}


@dataclass
class RuleTestReport:
    """Every case's result, in file order."""

    results: list[CaseResult]

    @property
    def failed(self) -> list[CaseResult]:
        return [r for r in self.results if not r.passed]

    @property
    def ok(self) -> bool:
        return not self.failed

    def summary(self) -> str:
        failed = len(self.failed)
        total = len(self.results)
        if not failed:
            return f"{total} case{'s' * (total != 1)} passed"
        return f"{failed} of {total} cases failed"


# ---------------------------------------------------------------------------- loading


def find_test_files(path: Path) -> list[Path]:
    """The YAML test files under `path` (a file, or a folder searched recursively)."""
    if path.is_file():
        return [path]
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.suffix in TEST_SUFFIXES and p.is_file())
    raise InputError([Problem(str(path), message="no such test file or folder")])


class ScenarioCache:
    """Scenarios loaded once per path; rule sets once per (scenario, set, disable, enable)."""

    def __init__(self) -> None:
        self._scenarios: dict[Path, Scenario] = {}
        self._rulesets: dict[tuple[Any, ...], RuleSet] = {}

    def scenario(self, path: Path) -> Scenario:
        key = path.resolve()
        if key not in self._scenarios:
            self._scenarios[key] = load_scenario(path)
        return self._scenarios[key]

    def ruleset(self, scenario: Scenario, spec: CaseSpec, file: str, locate: Locator,
                base: list[int | str]) -> RuleSet:
        # a case that changes the rules gets its own set: problems point at its lines
        changes = bool(spec.set or spec.disable or spec.enable)
        where = scenario.path.resolve()
        key = (where, file, tuple(base)) if changes else (where,)
        if key not in self._rulesets:
            overrides = {rule_id: dict(params) for rule_id, params in scenario.overrides.items()}
            origins = dict(scenario.override_origins)
            for rule_id, params in spec.set.items():
                overrides[rule_id] = {**overrides.get(rule_id, {}), **params}
                origins[rule_id] = (file, locate([*base, "set", rule_id])[0])
            disable = [(d.value, d.file, d.line) for d in scenario.disabled]
            disable += [(rule_id, file, locate([*base, "disable", i])[0])
                        for i, rule_id in enumerate(spec.disable)]
            enable = [(e.value, e.file, e.line) for e in scenario.enabled]
            enable += [(rule_id, file, locate([*base, "enable", i])[0])
                       for i, rule_id in enumerate(spec.enable)]
            self._rulesets[key] = load_ruleset(scenario.rule_paths, overrides, origins,
                                               disable=disable, enable=enable)
        return self._rulesets[key]


def load_cases(path: Path, cache: ScenarioCache | None = None) -> list[RuleCase]:
    """Read and prepare every case under `path`; InputError lists every problem found."""
    cache = cache or ScenarioCache()
    problems = ProblemCollector()
    cases: list[RuleCase] = []
    for file in find_test_files(path):
        try:
            cases += _load_file(file, cache, problems)
        except InputError as exc:
            problems.extend(exc.problems)
    problems.raise_if_any()
    return cases


def _load_file(file: Path, cache: ScenarioCache, problems: ProblemCollector) -> list[RuleCase]:
    data, locate = read_yaml(file)
    name = str(file)
    if not isinstance(data, list):
        problems.add(name, 1, None, "a rule test file must be a YAML list of cases "
                     "(each with name, scenario, moves and expect)")
        return []
    cases = []
    for index, raw in enumerate(data):
        line = locate([index])[0]
        if not isinstance(raw, dict):
            problems.add(name, line, None, "a case must be a mapping (name, scenario, moves, "
                         "expect)")
            continue
        try:
            spec = CaseSpec.model_validate(raw)
        except ValidationError as exc:
            problems.extend(_in_case(validation_problems(exc, name, locate, CaseSpec, [index])))
            continue
        before = len(problems.problems)
        try:
            case = _prepare(spec, file, index, locate, cache, problems)
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        if case is not None and len(problems.problems) == before:
            cases.append(case)
    return cases


def _prepare(spec: CaseSpec, file: Path, index: int, locate: Locator, cache: ScenarioCache,
             problems: ProblemCollector) -> RuleCase | None:
    name = str(file)
    base: list[int | str] = [index]
    scenario_path = file.parent / spec.scenario
    if not scenario_path.is_file():
        line, col = locate([*base, "scenario"])
        problems.add(name, line, "scenario", f"scenario '{spec.scenario}' not found (looked "
                     f"for {scenario_path})", col)
        return None
    scenario = cache.scenario(scenario_path)
    # A bad roster patch or rule change is reported, and the case is still checked against
    # the scenario as it stands, so one run lists every problem of the file.
    if spec.roster is not None:
        try:
            scenario = dataclasses.replace(
                scenario, roster=_patched_roster(scenario, spec.roster, name, locate,
                                                 [*base, "roster"]))
        except InputError as exc:
            problems.extend(exc.problems)
    try:
        ruleset = cache.ruleset(scenario, spec, name, locate, base)
    except InputError as exc:
        problems.extend(exc.problems)
        ruleset = cache.ruleset(scenario, CaseSpec(name=spec.name, scenario=spec.scenario,
                                                   expect="none"), name, locate, base)
    known = [r.id for r in ruleset.rules] + list(STRUCTURE_RULE_IDS)
    expect = {} if spec.expect == "none" else dict(spec.expect)
    for key, rule_ids in (("expect", list(expect)), ("ignore", spec.ignore)):
        for position, rule_id in enumerate(rule_ids):
            if rule_id not in known:
                line, col = locate([*base, key, rule_id if key == "expect" else position])
                problems.add(name, line, key, unknown("rule id", rule_id, known), col)
    plan = _plan(spec.moves, scenario, name, locate, [*base, "moves"], problems)
    return RuleCase(spec.name, file, locate(base)[0], expect,
                    spec.only or spec.expect == "none", frozenset(spec.ignore),
                    Facts(scenario, ruleset), plan)


def _plan(entries: Sequence[MoveEntry], scenario: Scenario, file: str, locate: Locator,
          base: list[int | str], problems: ProblemCollector) -> Plan:
    moves: list[Move] = []
    seen: dict[str, int | None] = {}
    for position, entry in enumerate(entries):
        line = locate([*base, position])[0] or 0
        row = {"cadre": entry.cadre, "form": entry.form, "to_position": entry.to_position,
               "round": entry.round, "from_position": entry.from_position or "",
               "end": entry.end.isoformat() if entry.end else ""}
        found = ProblemCollector()
        move = _parse_move(row, line, file, scenario, found)
        prefix = f"moves.{position}"
        problems.extend(dataclasses.replace(p, field=f"{prefix}.{p.field}" if p.field else prefix)
                        for p in found.problems)
        if move is None:
            continue
        if move.cadre in seen:
            problems.add(file, line, f"moves.{position}.cadre", f"cadre {move.cadre} already "
                         f"moves on line {seen[move.cadre]} (at most one move per cadre in the "
                         "horizon)")
            continue
        seen[move.cadre] = line
        moves.append(move)
    return Plan(moves, source=file)


def _in_case(problems: Iterable[Problem]) -> list[Problem]:
    """Problems named by their field inside the case (`moves.0.round`, not `3.moves.0.round`):
    the line already says which case."""
    return [dataclasses.replace(p, field=p.field.split(".", 1)[1])
            if p.field and "." in p.field and p.field.split(".", 1)[0].isdigit() else p
            for p in problems]


# Keys that identify a row of each roster table, to match a patch row with the row it changes.
_ROW_KEYS: dict[str, tuple[str, ...]] = {
    "localities": ("id",), "units": ("id",), "positions": ("id",), "cadres": ("id",),
    "relations": ("a", "b"), "history": ("cadre", "position", "start"),
}


def _row_key(table: str, values: dict[str, Any]) -> tuple[str, ...]:
    key = tuple(str(values.get(k, "")) for k in _ROW_KEYS[table])
    return tuple(sorted(key)) if table == "relations" else key


def _patched_roster(scenario: Scenario, patch: RosterPatch, file: str, locate: Locator,
                    base: list[int | str]) -> Roster:
    """The scenario's roster with the patch's rows merged in by id; checked like a roster."""
    roster = scenario.roster
    problems = ProblemCollector()
    tables: dict[str, list[Any]] = {}
    origins = dict(roster.origins)
    for table, (model, _required) in TABLES.items():
        records: list[Any] = list(roster.table(table))
        index_by_key = {_row_key(table, {k: getattr(r, k) for k in _ROW_KEYS[table]}): i
                        for i, r in enumerate(records)}
        for position, row in enumerate(getattr(patch, table)):
            where = [*base, table, position]
            line = locate(where)[0]
            values = {k: ";".join(map(str, v)) if isinstance(v, list) else v
                      for k, v in row.items()}
            existing = index_by_key.get(_row_key(table, values))
            if existing is not None:
                current = records[existing]
                values = {**{k: getattr(current, k) for k in type(current).model_fields}, **values}
            try:
                record = model.model_validate(values)
            except ValidationError as exc:
                problems.extend(_in_case(validation_problems(exc, file, locate, model, where)))
                continue
            if existing is not None:
                records[existing] = record
                origins[(table, existing)] = Origin(file, line or 0)
            else:
                origins[(table, len(records))] = Origin(file, line or 0)
                index_by_key[_row_key(table, values)] = len(records)
                records.append(record)
        tables[table] = records
    problems.raise_if_any()
    patched = Roster(
        localities=tuple(tables["localities"]), units=tuple(tables["units"]),
        positions=tuple(tables["positions"]), cadres=tuple(tables["cadres"]),
        relations=tuple(tables["relations"]), history=tuple(tables["history"]),
        origins=origins, source=roster.source)
    check_roster(patched, scenario.horizon.start)
    return patched


# ---------------------------------------------------------------------------- running


def run_case(case: RuleCase) -> CaseResult:
    """Check the case's plan and compare the violations with the expectation."""
    report = check_plan(case.facts, case.plan)
    found = dict(Counter(v.rule_id for v in report.violations))
    result = CaseResult(case, report.violations, found)
    for rule_id, expected in case.expect.items():
        if found.get(rule_id, 0) != expected:
            result.mismatches.append((rule_id, expected, found.get(rule_id, 0)))
    if case.only:
        result.unexpected = {rule_id: count for rule_id, count in found.items()
                             if rule_id not in case.expect and rule_id not in case.ignore}
    return result


def run_tests(path: Path, name_filter: str | None = None) -> RuleTestReport:
    """Load every case under `path` (InputError if any file is bad) and run them."""
    cases = load_cases(path)
    if name_filter:
        cases = [c for c in cases if name_filter.lower() in c.name.lower()]
    return RuleTestReport([run_case(case) for case in cases])


def case_ids(cases: Iterable[RuleCase]) -> list[str]:
    """Readable, unique ids for pytest parametrisation: `file.yaml:line name`."""
    return [f"{c.file.name}:{c.line} {c.name}" for c in cases]
