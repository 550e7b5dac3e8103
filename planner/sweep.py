"""What-if sweeps (`rotation sweep`): many variants of one scenario planned as Dask tasks.

Each variant is one task on a dask.distributed cluster — an in-process `LocalCluster` (one
single-threaded worker process per core: planning is pure Python, so threads would share
one GIL; how it starts: planner.cluster) or an existing cluster given by its scheduler
address. A task carries the rule set the client loaded to validate it, loads the scenario
and roster on the worker, plans it exactly as `rotation plan` does and returns the plan
folder's three files as text; the client writes them. Nothing a worker returns depends
on the worker (no clock, no host, input paths relative to the client's folder), so a
sweep gives the same bytes on any number of workers, after a worker died mid-task (the
scheduler re-runs its tasks elsewhere) and in a serial run (`workers=0`: the same function
in this process).

Variants come from scenario files (overlays that `extends` the base) or from a grid file
that crosses parameter values — see `GridFile` and the README's "Sweeps and national runs".
Workers must see the input files at the same paths as the client (a shared folder).
"""

from __future__ import annotations

import hashlib
import itertools
import re
import time
import unicodedata
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError, model_validator

from planner import outputs
from planner.cluster import LocalStart, close_client, open_client, start_local
from planner.errors import InputError, Problem, ProblemCollector, did_you_mean
from planner.models import Config, Weights
from planner.yamlio import read_yaml, validation_problems

PLAN_FILES = ("moves.csv", "unplaced.csv", "plan.yaml")
SWEEP = outputs.FolderKind("rotation sweep", ".rotation-sweep",
                           frozenset({"comparison.csv", "diff.csv", "comparison.html",
                                      "sweep.yaml"}))
ON_VALUES = (True, "on", "enable", "enabled")
OFF_VALUES = (False, "off", "disable", "disabled")


# ------------------------------------------------------------------------------ grid file
class GridOption(Config):
    """One named alternative of an `options` axis: any mix of a scenario's own keys."""

    name: str = Field(min_length=1)
    set: dict[str, dict[str, Any]] = Field(default_factory=dict)
    weights: dict[str, float] = Field(default_factory=dict)
    enable: list[str] = Field(default_factory=list)
    disable: list[str] = Field(default_factory=list)


class GridAxis(Config):
    """One axis of the grid: a parameter with its values, or named options.

    `set: RULE.PARAM` (a rule parameter), `weight: KEY` (an objective weight) or
    `rule: RULE` (values `on`/`off`: enabled or disabled) with `values: [...]`; or
    `options: [{name, set, weights, enable, disable}, ...]`. `name` labels the axis in the
    variants' names (default: the parameter, weight or rule id as written).
    """

    name: str | None = None
    set: str | None = Field(None, pattern=r"^[^.\s]+\.[^.\s]+$")
    weight: str | None = None
    rule: str | None = None
    values: list[Any] | None = Field(None, min_length=1)
    options: list[GridOption] | None = Field(None, min_length=1)

    @model_validator(mode="after")
    def one_target(self) -> GridAxis:
        targets = [k for k in ("set", "weight", "rule", "options") if getattr(self, k)]
        if len(targets) != 1:
            raise ValueError("an axis has exactly one of set, weight, rule or options "
                             f"(got {', '.join(targets) or 'none'})")
        if targets[0] != "options" and self.values is None:
            raise ValueError(f"an axis with {targets[0]} needs values: [...]")
        if targets[0] == "options" and self.values is not None:
            raise ValueError("an options axis names its values in options: drop values")
        return self

    @property
    def label(self) -> str:
        return self.name or self.set or self.weight or self.rule or "option"


class GridFile(Config):
    """A grid: every combination of one value per axis is a variant of the base."""

    axes: list[GridAxis] = Field(min_length=1)


# ------------------------------------------------------------------------------ variants
@dataclass(frozen=True)
class Change:
    """One change a grid variant makes to the base, with the grid line that asks for it."""

    kind: str  # set | weight | enable | disable
    target: str  # rule id (set, enable, disable) or weight key
    param: str | None
    value: Any
    file: str
    line: int | None

    def as_dict(self) -> dict[str, Any]:
        if self.kind == "set":
            return {"set": {self.target: {self.param: self.value}}}
        if self.kind == "weight":
            return {"weights": {self.target: self.value}}
        return {self.kind: self.target}


@dataclass(frozen=True)
class Variant:
    """A variant to plan: a scenario file, or the base with grid changes."""

    name: str
    scenario: Path
    source: str
    changes: tuple[Change, ...] = ()

    def describe(self) -> list[dict[str, Any]]:
        return [c.as_dict() for c in self.changes]


def folder_name(text: str) -> str:
    """A stable, portable folder name for a variant label (ASCII, no separators)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^A-Za-z0-9._=+-]+", "-", ascii_text).strip("-.")
    return slug[:120] or "variant"


def variant_from_file(path: Path) -> Variant:
    """A variant scenario file, named by its folder when it is called scenario.yaml."""
    stem = path.parent.name if path.stem == "scenario" else path.stem
    return Variant(folder_name(stem), path, str(path))


def _value_text(value: Any) -> str:
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_grid(path: Path, base: Path) -> list[Variant]:
    """The grid file's variants, in the order of the axes and their values as written."""
    data, locate = read_yaml(path)
    if not isinstance(data, dict):
        raise InputError([Problem(str(path), 1, 1, None, "a grid must be a YAML mapping "
                                  "with axes: [...]")])
    try:
        grid = GridFile.model_validate(data)
    except ValidationError as exc:
        raise InputError(validation_problems(exc, str(path), locate, GridFile)) from None
    problems = ProblemCollector()
    axes: list[list[tuple[str, tuple[Change, ...]]]] = []
    labels: dict[str, int] = {}
    for a, axis in enumerate(grid.axes):
        line = locate(["axes", a])[0]
        if axis.label in labels:
            problems.add(str(path), line, "name", f"axis name '{axis.label}' is used twice "
                         "(give one of them a name:)")
        labels[axis.label] = a
        choices: list[tuple[str, tuple[Change, ...]]] = []
        if axis.options is not None:
            for o, option in enumerate(axis.options):
                at = locate(["axes", a, "options", o])[0]
                changes = [Change("set", rule, param, value, str(path), at)
                           for rule, params in option.set.items()
                           for param, value in params.items()]
                changes += [Change("weight", key, None, value, str(path), at)
                            for key, value in option.weights.items()]
                changes += [Change("enable", rule, None, True, str(path), at)
                            for rule in option.enable]
                changes += [Change("disable", rule, None, False, str(path), at)
                            for rule in option.disable]
                choices.append((option.name, tuple(changes)))
        else:
            assert axis.values is not None
            for v, value in enumerate(axis.values):
                at = locate(["axes", a, "values", v])[0]
                if axis.set is not None:
                    rule, param = axis.set.split(".", 1)
                    change = Change("set", rule, param, value, str(path), at)
                elif axis.weight is not None:
                    change = Change("weight", axis.weight, None, value, str(path), at)
                else:
                    assert axis.rule is not None
                    if value in ON_VALUES:
                        change = Change("enable", axis.rule, None, True, str(path), at)
                    elif value in OFF_VALUES:
                        change = Change("disable", axis.rule, None, False, str(path), at)
                    else:
                        problems.add(str(path), at, f"axes.{a}.values.{v}",
                                     f"a rule axis takes on or off (got {value!r})")
                        continue
                choices.append((_value_text(value), (change,)))
        seen: dict[str, int] = {}
        for index, (name, _changes) in enumerate(choices):
            if name in seen:
                problems.add(str(path), line, f"axes.{a}",
                             f"value '{name}' appears twice on axis '{axis.label}'")
            seen[name] = index
        axes.append(choices)
    problems.raise_if_any()
    variants = []
    for combination in itertools.product(*axes):
        label = "+".join(f"{axis.label}={name}"
                         for axis, (name, _c) in zip(grid.axes, combination, strict=True))
        crossed = tuple(c for _name, cs in combination for c in cs)
        variants.append(Variant(folder_name(label), base, f"{path}: {label}", crossed))
    return variants


def apply_changes(scenario: Any, changes: Sequence[Change]) -> Any:
    """The scenario with a grid variant's changes, in memory (the base is never written).

    `rule: X` on enables X even where the base disables it, and off disables it even where
    the base enables it: the grid value wins, as an overlay's would.
    """
    from planner.scenario import Located

    if not changes:
        return scenario
    overrides = {k: dict(v) for k, v in scenario.overrides.items()}
    origins = dict(scenario.override_origins)
    weights = scenario.weights.model_dump()
    enabled, disabled = list(scenario.enabled), list(scenario.disabled)
    problems = ProblemCollector()
    files = list(scenario.files)
    for change in changes:
        if Path(change.file) not in files:
            files.append(Path(change.file))
        if change.kind == "set":
            assert change.param is not None
            overrides.setdefault(change.target, {})[change.param] = change.value
            origins[change.target] = (change.file, change.line)
        elif change.kind == "weight":
            if change.target not in Weights.model_fields:
                problems.add(change.file, change.line, "weight",
                             f"unknown weight '{change.target}'"
                             f"{did_you_mean(change.target, Weights.model_fields)} (weights: "
                             f"{', '.join(Weights.model_fields)})")
                continue
            weights[change.target] = change.value
        elif change.kind == "enable":
            disabled = [d for d in disabled if d.value != change.target]
            enabled.append(Located(change.file, change.line, change.target))
        else:
            enabled = [e for e in enabled if e.value != change.target]
            disabled.append(Located(change.file, change.line, change.target))
    try:
        new_weights = Weights(**weights)
    except ValidationError as exc:
        for error in exc.errors():
            key = str(error["loc"][0]) if error["loc"] else ""
            where = next((c for c in reversed(changes)
                          if c.kind == "weight" and c.target == key), changes[0])
            problems.add(where.file, where.line, f"weights.{key}",
                         error["msg"].removeprefix("Value error, ")
                         + f" (got {error.get('input')!r})")
        new_weights = scenario.weights
    problems.raise_if_any()
    return replace(scenario, overrides=overrides, override_origins=origins,
                   weights=new_weights, enabled=enabled, disabled=disabled, files=files)


@dataclass
class Validated:
    """What validating the variants found: the input files and folders (never to be
    overwritten by the sweep's output) and each variant's rule set ("base" too), loaded
    from the paths the tasks use, so a task plans under it without reading the files."""

    inputs: list[Path]
    rulesets: dict[str, Any]


def validate_variants(base: Path, variants: Sequence[Variant]) -> Validated:
    """Every variant's scenario and rules load (roster aside: that is each task's job);
    all problems of all variants at once, each at its file and line.

    The files are loaded by their resolved paths, as the tasks load them (a rule's origin
    keeps the path it was read by); when something is wrong, they are read again as the
    user named them, so that the problems name the files as given."""
    try:
        return _validate(base.resolve(),
                         [replace(v, scenario=v.scenario.resolve()) for v in variants])
    except InputError as in_task_terms:
        _validate(base, variants)  # the same problems, with the paths as the user gave them
        raise in_task_terms from None


def _validate(base: Path, variants: Sequence[Variant]) -> Validated:
    from planner.scenario import load_scenario
    from planner.workspace import load_rules_for

    problems: list[Problem] = []
    names: dict[str, str] = {"base": str(base)}
    base_scenario = None
    inputs: list[Path] = []
    rulesets: dict[str, Any] = {}
    try:
        base_scenario = load_scenario(base, with_roster=False)
        rulesets["base"] = ruleset = load_rules_for(base_scenario)
        inputs += [*base_scenario.files, *ruleset.files, base_scenario.data_path]
    except InputError as exc:
        problems.extend(exc.problems)
    for variant in variants:
        if variant.name in names:
            problems.append(Problem(variant.source, None, None, "variant",
                                    f"variant name '{variant.name}' is taken by "
                                    f"{names[variant.name]}: rename the file or the axis"))
        names[variant.name] = variant.source
        try:
            if variant.changes:
                if base_scenario is not None:
                    rulesets[variant.name] = load_rules_for(
                        apply_changes(base_scenario, variant.changes))
                    inputs += [Path(c.file) for c in variant.changes]
            else:
                loaded = load_scenario(variant.scenario, with_roster=False)
                rulesets[variant.name] = ruleset = load_rules_for(loaded)
                inputs += [*loaded.files, *ruleset.files, loaded.data_path]
        except InputError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InputError(problems)
    return Validated(inputs, rulesets)


# ------------------------------------------------------------------------------ one task
@dataclass(frozen=True)
class Task:
    """What a worker needs to plan one variant (plain data: it travels to the worker)."""

    name: str
    scenario: str
    changes: tuple[Change, ...]
    root: str
    source: str
    #: the variant's rule set as the client loaded it (None: the worker loads it); the
    #: client parsed every rule file to validate the variants, and a worker would spend
    #: its first task re-parsing them (~0.1 s a file with line numbers)
    ruleset: Any = None


@dataclass
class Outcome:
    """A variant's result: the plan folder's files, or why there is none."""

    name: str
    source: str
    status: str  # optimal | feasible | infeasible | failed
    files: dict[str, str] = field(default_factory=dict)
    error: str = ""
    summary: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def failed(self) -> bool:
        return self.status == "failed"


def plan_task(task: Task) -> Outcome:
    """Plan one variant as `rotation plan` would (runs on a worker, or here when serial).

    Bad input, pins that break hard rules and a time limit without a plan are answers,
    returned as a failed outcome with the planner's message; anything else raises, so that
    Dask retries it once and then reports it.
    """
    from planner.facts import Facts
    from planner.plan import moves_csv
    from planner.planio import plan_document, unplaced_csv, yaml_text
    from planner.scenario import load_scenario
    from planner.solver.run import NoPlanInTime, PinConflict, solve_workspace
    from planner.workspace import load_rules_for

    started = time.perf_counter()
    try:
        # a grid named relative to the client's folder is found from any worker's
        changes = tuple(c if Path(c.file).is_absolute()
                        else replace(c, file=str(Path(task.root, c.file)))
                        for c in task.changes)
        scenario = apply_changes(load_scenario(Path(task.scenario)), changes)
        ruleset = task.ruleset if task.ruleset is not None else load_rules_for(scenario)
        facts = Facts(scenario, ruleset)
        result = solve_workspace(facts)
    except InputError as exc:
        return Outcome(task.name, task.source, "failed",
                       error="bad input: " + "; ".join(str(p) for p in exc.problems),
                       seconds=time.perf_counter() - started)
    except PinConflict as exc:
        return Outcome(task.name, task.source, "failed",
                       error="a pinned move breaks the hard rules: " + "; ".join(exc.messages),
                       seconds=time.perf_counter() - started)
    except NoPlanInTime as exc:
        return Outcome(task.name, task.source, "failed", error=f"no plan: {exc}",
                       seconds=time.perf_counter() - started)
    document = plan_document(facts, result.plan, result.report, result.status,
                             result.solution.objective, result.solution.bound,
                             result.solution.gap)
    if any((due := facts.due(u.cadre)) is not None and due.rule.hard
           for u in result.plan.unplaced):
        document["status"] = "infeasible"  # as `rotation plan` reports it
    if task.changes:
        record = document["provenance"]
        record["variant"] = [c.as_dict() for c in task.changes]
        record["run_hash"] = hashlib.sha256(
            (record["run_hash"] + repr(record["variant"])).encode("utf-8")).hexdigest()
    files = {"moves.csv": moves_csv(result.plan, facts.roster),
             "unplaced.csv": unplaced_csv(result.plan, facts.roster),
             "plan.yaml": yaml_text(document)}
    kpis = document["kpis"]
    summary = {"objective": document["objective"], "gap": document["gap"],
               "moves": kpis["moves"], "due_left": kpis["due_left"],
               "run_hash": document["provenance"]["run_hash"]}
    return Outcome(task.name, task.source, document["status"], files, summary=summary,
                   seconds=time.perf_counter() - started)


# ------------------------------------------------------------------------------ the sweep
@dataclass
class SweepResult:
    out_dir: Path
    outcomes: list[Outcome]
    comparison: Any = None
    workers: int = 0
    seconds: float = 0.0

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.failed]

    @property
    def ok(self) -> bool:
        return not any(o.status in ("failed", "infeasible") for o in self.outcomes)


Progress = Callable[[str], None]


def run_tasks(tasks: Sequence[Task], run: Callable[[Task], Outcome] = plan_task, *,
              scheduler: str | None = None, workers: int | None = None,
              progress: Progress | None = None,
              on_outcome: Callable[[Outcome], None] | None = None,
              client: Any = None) -> tuple[list[Outcome], int]:
    """Run every task (serially when workers == 0 and no scheduler); outcomes in task order,
    and the number of workers that ran them."""
    say = progress or (lambda _m: None)
    started = time.perf_counter()
    outcomes: dict[str, Outcome] = {}

    running: Callable[[], int] = lambda: 0  # noqa: E731  (replaced once a cluster is up)

    def finished(outcome: Outcome) -> None:
        outcomes[outcome.name] = outcome
        if on_outcome is not None:
            on_outcome(outcome)
        failed = sum(o.failed for o in outcomes.values())
        what = (f"FAILED: {outcome.error}" if outcome.failed else
                f"{outcome.status}, objective {outcome.summary.get('objective', 0):g}, "
                f"{outcome.summary.get('moves', 0)} moves")
        say(f"[{len(outcomes)}/{len(tasks)} done, {running()} running, {failed} failed, "
            f"{time.perf_counter() - started:.0f} s] {outcome.name}: {what} "
            f"({outcome.seconds:.1f} s)")

    if workers == 0 and not scheduler and client is None:
        for task in tasks:
            finished(run(task))
        return [outcomes[t.name] for t in tasks], 0
    if isinstance(client, LocalStart):
        client = client.client()
    from distributed import TimeoutError as DaskTimeout
    from distributed import wait

    own = client is None
    client = client or open_client(scheduler, workers)
    try:
        count = len(client.scheduler_info().get("workers", {}))
        say(f"planning {len(tasks)} variants on {count} Dask workers "
            f"({scheduler or 'in-process LocalCluster'})")
        token = uuid.uuid4().hex[:8]

        def running() -> int:
            return sum(len(keys) for keys in client.processing().values())

        # one task group ("rotation-sweep": the token ends Dask's key prefix) submitted at
        # once, so that the scheduler queues the tasks and hands each to the next free
        # worker (tasks submitted one by one go to workers before the group looks large
        # enough to queue)
        keys = [f"rotation-sweep-{token}-{folder_name(task.name)}" for task in tasks]
        futures = dict(zip(client.map(run, list(tasks), key=keys, retries=1, pure=False),
                           tasks, strict=True))
        pending = set(futures)
        last = time.perf_counter()
        while pending:
            try:
                done, pending = wait(pending, timeout=1.0, return_when="FIRST_COMPLETED")
            except (DaskTimeout, TimeoutError):
                done = set()
            for future in sorted(done, key=lambda f: futures[f].name):
                task = futures[future]
                if future.status == "finished":
                    finished(future.result())
                else:
                    error = future.exception()
                    finished(Outcome(task.name, task.source, "failed",
                                     error=f"{type(error).__name__}: {error}"))
            if not done and time.perf_counter() - last >= 10:
                last = time.perf_counter()
                say(f"[{len(outcomes)}/{len(tasks)} done, {running()} running, "
                    f"{sum(o.failed for o in outcomes.values())} failed, "
                    f"{last - started:.0f} s]")
        count = max(count, len(client.scheduler_info().get("workers", {})))
    finally:
        if own:
            close_client(client, scheduler)
    return [outcomes[t.name] for t in tasks], count


def run_sweep(base: Path, variants: Sequence[Variant], out_dir: Path, *,
              scheduler: str | None = None, workers: int | None = None,
              progress: Progress | None = None,
              local: LocalStart | None = None) -> SweepResult:
    """Plan the base and every variant, write a plan folder each and the comparison.

    `local`: the in-process cluster, if the caller started it already (`start_local`);
    it is closed at the end either way."""
    started = time.perf_counter()
    local = local or start_local(scheduler, workers)
    try:
        validated = validate_variants(base, variants)
        outputs.check_folder(out_dir, SWEEP, validated.inputs)  # refused before planning
        return _run_sweep(base, variants, out_dir, validated, started, scheduler=scheduler,
                          workers=workers, progress=progress, local=local)
    finally:
        if local is not None:
            local.close()


def _run_sweep(base: Path, variants: Sequence[Variant], out_dir: Path, validated: Validated,
               started: float, *, scheduler: str | None, workers: int | None,
               progress: Progress | None, local: LocalStart | None) -> SweepResult:
    from planner.compare import compare, diff_csv, kpi_csv, read_plan_folder

    root = str(Path.cwd())
    rulesets = validated.rulesets
    tasks = [Task("base", str(base.resolve()), (), root, str(base), rulesets["base"])]
    tasks += [Task(v.name, str(v.scenario.resolve()), v.changes, root, v.source,
                   rulesets[v.name]) for v in variants]
    result = SweepResult(out_dir, [])

    def fill(staging: Path) -> None:
        def write(outcome: Outcome) -> None:
            if outcome.files:
                folder = staging / outcome.name
                folder.mkdir()
                for name in PLAN_FILES:
                    (folder / name).write_text(outcome.files[name], encoding="utf-8",
                                               newline="")
                (folder / outputs.PLAN.marker).write_text(outputs.PLAN.marker_text(),
                                                          encoding="utf-8")

        outcomes, result.workers = run_tasks(tasks, scheduler=scheduler, workers=workers,
                                             progress=progress, on_outcome=write,
                                             client=local)
        result.outcomes = outcomes
        planned = [o for o in outcomes if o.files]
        if planned and planned[0].name == "base":
            runs = [read_plan_folder(staging / o.name, o.name) for o in planned]
            result.comparison = compare(runs)
            (staging / "comparison.csv").write_text(kpi_csv(result.comparison),
                                                    encoding="utf-8", newline="")
            (staging / "diff.csv").write_text(diff_csv(result.comparison), encoding="utf-8",
                                              newline="")
            (staging / "comparison.html").write_text(
                comparison_html(result.comparison, outcomes), encoding="utf-8")
        (staging / "sweep.yaml").write_text(sweep_yaml(base, variants, outcomes),
                                            encoding="utf-8")

    outputs.write_folder(out_dir, SWEEP, fill, validated.inputs)
    result.seconds = time.perf_counter() - started
    return result


def sweep_yaml(base: Path, variants: Sequence[Variant], outcomes: Sequence[Outcome]) -> str:
    """The sweep's record: every variant, what it changes, its status or error (no clock
    time and no worker names, so the same sweep gives the same file)."""
    from planner.planio import yaml_text

    by_name = {v.name: v for v in variants}
    rows = []
    for outcome in outcomes:
        variant = by_name.get(outcome.name)
        row: dict[str, Any] = {"name": outcome.name, "source": outcome.source,
                               "status": outcome.status}
        if variant is not None and variant.changes:
            row["changes"] = variant.describe()
        if outcome.failed:
            row["error"] = outcome.error
        else:
            row |= outcome.summary
        rows.append(row)
    return yaml_text({"base": str(base), "variants": rows,
                      "failed": sum(o.failed for o in outcomes)})


def comparison_html(comparison: Any, outcomes: Sequence[Outcome]) -> str:
    """A self-contained page: the KPI table with differences to the base, failed variants,
    and each variant's move diff."""
    from html import escape

    from planner.compare import format_delta, format_value

    labels = comparison.labels
    head = "".join(f"<th>{escape(label)}{' (base)' if i == 0 else ''}</th>"
                   for i, label in enumerate(labels))
    body = []
    for row in comparison.rows:
        cells = [f"<td>{escape(format_value(row.values[0]))}</td>"]
        for index in range(1, len(labels)):
            delta = row.delta(index)
            mark = "" if not delta else (" class=up" if delta > 0 else " class=down")
            cells.append(f"<td{mark}>{escape(format_value(row.values[index]))}"
                         f"{escape(format_delta(delta))}</td>")
        body.append(f"<tr><th>{escape(row.key)}</th>{''.join(cells)}</tr>")
    failed = "".join(f"<li><b>{escape(o.name)}</b> ({escape(o.source)}): {escape(o.error)}</li>"
                     for o in outcomes if o.failed)
    diffs = []
    for label, changes in comparison.diffs.items():
        rows = "".join(
            f"<tr><td>{escape(c.change)}</td><td>{escape(c.cadre)}</td>"
            f"<td>{escape(c.base.describe()) if c.base else '—'}</td>"
            f"<td>{escape(c.variant.describe()) if c.variant else '—'}</td></tr>"
            for c in changes)
        diffs.append(f"<h2>{escape(label)}: {len(changes)} moves differ from the base</h2>"
                     + (f"<table><tr><th>change</th><th>cadre</th><th>base</th>"
                        f"<th>{escape(label)}</th></tr>{rows}</table>" if changes else ""))
    style = ("body{font-family:sans-serif;margin:1em}table{border-collapse:collapse}"
             "td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}"
             "th{background:#f4f4f4}.up{color:#a40}.down{color:#06a}")
    return ("<!doctype html><html lang=en><head><meta charset=utf-8>"
            "<meta http-equiv=Content-Security-Policy content=\"default-src 'none'; "
            "style-src 'unsafe-inline'\"><title>rotation sweep</title>"
            f"<style>{style}</style></head><body><h1>Sweep: {len(labels)} plans</h1>"
            f"<table><tr><th>kpi</th>{head}</tr>{''.join(body)}</table>"
            + (f"<h2>Failed variants</h2><ul>{failed}</ul>" if failed else "")
            + "".join(diffs) + "</body></html>\n")
