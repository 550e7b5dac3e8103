"""The planner as a Python library: one function per `rotation` command.

Each function takes paths (or loaded objects) and returns domain objects — no printing, no
exit codes; the CLI (`planner.cli`) only parses arguments, calls these and formats. Bad input
raises `planner.errors.InputError` (its `.problems` name file, line and field); a pinned
move the hard rules forbid raises `PinConflict`; a time limit without any plan raises
`NoPlanInTime` (both from `planner.solver.run`).

    from pathlib import Path
    from planner import api

    outcome = api.plan(Path("scenarios/demo/scenario.yaml"))
    print(outcome.status, len(outcome.plan.moves))
    api.write_plan(outcome, Path("plans/demo"))
    checked = api.check(Path("scenarios/demo/scenario.yaml"), Path("plans/demo"))
    print(checked.report.ok, checked.report.verdict())
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from planner import deadline
from planner.checker import CheckReport, check_plan
from planner.facts import Facts
from planner.i18n.messages import listed, say
from planner.plan import Plan
from planner.workspace import Workspace, load_workspace

if TYPE_CHECKING:
    from planner.apply import Applied
    from planner.candidates_query import CandidateList
    from planner.cluster import LocalStart
    from planner.compare import Comparison
    from planner.explain import Diagnosis
    from planner.relax import Relaxation
    from planner.report import Report
    from planner.ruletests import RuleTestReport
    from planner.solver.run import PlanResult
    from planner.sweep import SweepResult

__all__ = [
    "ApplyOutcome",
    "CheckOutcome",
    "Explanation",
    "PlanOutcome",
    "Validation",
    "apply",
    "candidates",
    "check",
    "check_plan_folder",
    "compare",
    "explain",
    "hard_unplaced",
    "moves_file_of",
    "plan",
    "plan_by_parts",
    "plan_status",
    "read_plan",
    "report",
    "rule_tests",
    "sweep",
    "validate",
    "write_plan",
]

Progress = Callable[[str], None]


# ------------------------------------------------------------------------------ validate


@dataclass
class Validation:
    """A loaded scenario: its workspace and the counts `rotation validate` prints."""

    workspace: Workspace
    summary: dict[str, Any]


def validate(scenario: Path) -> Validation:
    """Load and check a scenario; counts, active rules and due cadres (InputError if bad)."""
    from planner.summary import roster_summary

    workspace = load_workspace(scenario)
    loaded = workspace.scenario
    summary = roster_summary(loaded)
    summary["rules"] = [r.id for r in workspace.ruleset.active]
    summary["due"] = {
        cadre_id: {"rule": due.rule.id, "round": loaded.rounds[due.round_index].name,
                   "reached_on": due.reached_on.isoformat()}
        for cadre_id in workspace.facts.due_cadres
        if (due := workspace.facts.due(cadre_id)) is not None
    }
    return Validation(workspace, summary)


# ------------------------------------------------------------------------------ reading plans


def moves_file_of(path: Path) -> Path:
    """A plan folder's moves.csv, or the moves file itself (.csv or .xlsx)."""
    return path / "moves.csv" if path.is_dir() else path


def read_plan(path: Path, facts: Facts, drop_stale: bool = False,
              with_unplaced: bool = False) -> Plan:
    """The moves of a plan folder or moves file (CSV or the report's .xlsx) for a scenario."""
    from planner.plan import read_moves
    from planner.planio import read_unplaced

    moves_file = moves_file_of(path)
    plan = read_moves(moves_file, facts.scenario, drop_stale=drop_stale)
    if with_unplaced:
        plan.unplaced = read_unplaced(moves_file.parent / "unplaced.csv")
    return plan


# ------------------------------------------------------------------------------ check


@dataclass
class CheckOutcome:
    workspace: Workspace
    plan: Plan
    report: CheckReport


def check(scenario: Path, moves: Path) -> CheckOutcome:
    """Check a moves file (CSV or .xlsx) or a plan folder against every rule."""
    workspace = load_workspace(scenario)
    plan = read_plan(moves, workspace.facts)
    return CheckOutcome(workspace, plan, check_plan(workspace.facts, plan))


# ------------------------------------------------------------------------------ plan


def hard_unplaced(facts: Facts, plan: Plan) -> list[str]:
    """Due cadres under a hard tenure limit the plan leaves in place (the plan is unlawful)."""
    from planner.explain import stuck_cadres

    return stuck_cadres(facts, plan)


def plan_status(facts: Facts, result: PlanResult) -> str:
    """The plan's status as reported to planners: the solver's, or `infeasible` when a due
    cadre under a hard limit has no lawful move (the solver's elastic rows hide that)."""
    return "infeasible" if hard_unplaced(facts, result.plan) or result.report.hard \
        else result.status


@dataclass
class PlanOutcome:
    """A proposed plan, checked, with its plan.yaml document and what `--from` kept."""

    workspace: Workspace
    result: PlanResult
    document: dict[str, Any]
    previous: Plan | None = None
    dropped: list[str] = field(default_factory=list)
    relaxation: Relaxation | None = None
    diagnosis: Diagnosis | None = None
    #: hard violations across parts of a partitioned plan (planner.partition)
    conflicts: list[str] = field(default_factory=list)

    @property
    def facts(self) -> Facts:
        return self.workspace.facts

    @property
    def plan(self) -> Plan:
        return self.result.plan

    @property
    def status(self) -> str:
        return str(self.document["status"])

    @property
    def stuck(self) -> list[str]:
        return hard_unplaced(self.facts, self.result.plan)

    @property
    def infeasible(self) -> bool:
        """Some hard rule cannot hold: a due cadre stuck, or a hard quota's minimum unmet."""
        return bool(self.stuck or self.result.report.hard)

    def infeasibility(self) -> str:
        """The conflict core over rule instances and the verified lawful relaxations, in
        planner terms ('' if the plan is lawful)."""
        if not self.infeasible:
            return ""
        if "partition" in self.document:
            return partitioned_infeasibility(self)
        if self.diagnosis is None:
            from planner.explain import explain_infeasible
            from planner.workspace import load_rules_for

            self.diagnosis = explain_infeasible(self.facts, load_rules_for, self.result)
            self.relaxation = self.diagnosis.relaxation
        return "\n".join(self.diagnosis.lines)


def plan(scenario: Path | Workspace, previous: Path | None = None,
         progress: Progress | None = None, log: bool = False,
         incumbent: Progress | None = None, relax: bool = True,
         scheduler: str | None = None, workers: int | None = None,
         client: Any = None) -> PlanOutcome:
    """Propose a plan and check it independently (nothing is written: see `write_plan`).

    `previous`: an earlier plan folder or moves file (CSV/xlsx) whose moves are kept where
    the rules allow; moves that no longer fit the scenario are dropped with a note each
    (`outcome.dropped`). With `relax`, an infeasible plan gets the smallest verified
    relaxation (`outcome.relaxation`; costs extra solves). `client`: with
    `solver.partition`, a Dask client or a started `cluster.LocalStart` to plan the parts
    on (the caller closes it).
    """
    workspace = scenario if isinstance(scenario, Workspace) else load_workspace(scenario)
    facts = workspace.facts
    if facts.scenario.solver.partition != "none":
        return plan_by_parts(workspace, previous, progress, scheduler, workers, client)
    earlier: Plan | None = None
    dropped: list[str] = []
    if previous is not None:
        from planner.compare import dropped_moves

        earlier = read_plan(previous, facts, drop_stale=True)
        dropped = dropped_moves(moves_file_of(previous), earlier, workspace.scenario)
        for note in dropped:
            if progress is not None:
                progress(note)
    # one deadline for the whole run: the plan, then the conflict core and relaxations
    with deadline.scope(facts.scenario.solver.time_limit_s):
        return _plan(workspace, earlier, dropped, previous, progress, log, incumbent, relax)


def _plan(workspace: Workspace, earlier: Plan | None, dropped: list[str],
          previous: Path | None, progress: Progress | None, log: bool,
          incumbent: Progress | None, relax: bool) -> PlanOutcome:
    from planner.planio import plan_document
    from planner.solver.run import solve_workspace

    facts = workspace.facts
    result = solve_workspace(facts, progress=progress, log=log, previous=earlier,
                             incumbent=incumbent)
    document = plan_document(facts, result.plan, result.report, plan_status(facts, result),
                             result.solution.objective, result.solution.bound,
                             result.solution.gap,
                             moves_file_of(previous) if previous is not None else None)
    if earlier is not None:
        from planner.compare import carry_over_summary

        document["previous"] = carry_over_summary(earlier, dropped, result.plan)
    outcome = PlanOutcome(workspace, result, document, earlier, dropped)
    if relax and outcome.infeasible:
        outcome.infeasibility()  # the conflict core and verified relaxations
        document["infeasibility"] = infeasibility_record(outcome)
    return outcome


def plan_by_parts(workspace: Workspace, previous: Path | None = None,
                  progress: Progress | None = None, scheduler: str | None = None,
                  workers: int | None = None, client: Any = None) -> PlanOutcome:
    """`plan` of a scenario with `solver.partition`: the parts as Dask tasks (on the cluster
    at `scheduler`, or an in-process LocalCluster of `workers`; `workers=0`: one after
    another here), merged and checked against the whole roster (planner.partition).
    `outcome.conflicts` lists hard violations across parts; no relaxation is searched."""
    from planner.errors import InputError, Problem
    from planner.partition import PartitionFailed, plan_partitioned
    from planner.planio import plan_document
    from planner.solver.run import NoPlanInTime, PinConflict

    if previous is not None:
        raise InputError([Problem("--from", None, None, "from", "minimal-change re-planning "
                                  "is not available with solver.partition: plan without it")])
    facts = workspace.facts
    try:
        result = plan_partitioned(facts, scheduler=scheduler, workers=workers,
                                  progress=progress, client=client)
    except PartitionFailed as failure:
        if failure.pins:
            raise PinConflict(failure.messages) from None
        raise NoPlanInTime("; ".join(failure.messages)) from None
    status = "infeasible" if result.conflicts else plan_status(facts, result)  # type: ignore
    document = plan_document(facts, result.plan, result.report, status,
                             result.solution.objective, result.solution.bound,
                             result.solution.gap)
    document["partition"] = result.record()
    # a Partitioned result carries what a PlanResult's readers use: plan, solution,
    # report, candidates.refusals
    outcome = PlanOutcome(workspace, result, document, conflicts=result.conflicts)  # type: ignore
    if outcome.stuck:
        document["infeasibility"] = infeasibility_record(outcome)
    return outcome


def partitioned_infeasibility(outcome: PlanOutcome) -> str:
    """The stuck cadres with their due rule and the refusing rules, and the violations
    across parts; no conflict core or relaxation (each re-solves the whole roster: plan the
    part alone for them)."""
    from planner.explain import stuck_lines

    lines = []
    if outcome.stuck:
        lines.append("INFEASIBLE: the hard rules leave these due cadres without a lawful move:")
        lines += stuck_lines(outcome.facts, outcome.plan)
    if outcome.conflicts:
        lines.append(f"INFEASIBLE: {len(outcome.conflicts)} hard violations across parts "
                     "(see ACROSS PARTS above)")
    lines.append("  (no conflict core or relaxation for a partitioned plan: plan the part "
                 "alone for them)")
    return "\n".join(lines)


def infeasibility_record(outcome: PlanOutcome) -> dict[str, Any]:
    """What plan.yaml keeps of an infeasibility, for the report's banner: the stuck cadres
    with their rule and the refusing rules (the conflict core), and the relaxation."""
    facts = outcome.facts
    stuck = []
    for cadre_id in outcome.stuck:
        due = facts.due(cadre_id)
        refusals: dict[str, int] = dict(outcome.result.candidates.refusals.get(cadre_id) or {})
        stuck.append({"cadre": cadre_id, "rule": due.rule.id if due else "",
                      "round": facts.rounds[due.round_index].name if due else "",
                      "refused_by": dict(sorted(refusals.items(),
                                                key=lambda item: (-item[1], item[0]))[:3])})
    record: dict[str, Any] = {"stuck": stuck}
    diagnosis = outcome.diagnosis
    if diagnosis is not None and diagnosis.core is not None:
        record["core"] = [{"rule": m.rule_id, "instance": m.what, "label": m.label,
                           "basis": m.basis, "cadres": list(m.cadres), "posts": list(m.posts)}
                          for m in diagnosis.core.members]
        record["core_irreducible"] = diagnosis.core.irreducible
    relaxation = outcome.relaxation
    if relaxation is not None:
        record["relaxation"] = {"description": relaxation.description,
                                "overlay": relaxation.overlay,
                                "verified": relaxation.verified}
    return record


def pin_conflict_outcome(workspace: Workspace, conflict: Any) -> PlanOutcome | None:
    """A scenario whose pins the hard rules forbid (`PinConflict`): the elastic plan solved
    all the same (the pins missed), status infeasible, with the conflict core and the lawful
    relaxations in its document — what `rotation plan` writes as the plan folder. None when
    no plan was solved (a partitioned run)."""
    from planner.explain import explain_infeasible
    from planner.planio import plan_document
    from planner.workspace import load_rules_for

    result = conflict.result
    if result is None:
        return None
    facts = workspace.facts
    document = plan_document(facts, result.plan, result.report, "infeasible",
                             result.solution.objective, result.solution.bound,
                             result.solution.gap)
    outcome = PlanOutcome(workspace, result, document)
    outcome.diagnosis = explain_infeasible(facts, load_rules_for, result,
                                           pin_messages=conflict.messages)
    outcome.relaxation = outcome.diagnosis.relaxation
    document["infeasibility"] = {**infeasibility_record(outcome), "pins": conflict.messages}
    return outcome


def write_plan(outcome: PlanOutcome, folder: Path) -> Path:
    """Write moves.csv, unplaced.csv and plan.yaml into `folder` (atomically); return it.

    Refuses (InputError) a folder that holds an input or is not an earlier plan folder.
    """
    from planner.planio import input_files, write_plan_folder

    earlier = [Path(outcome.previous.source)] if outcome.previous is not None \
        and outcome.previous.source else []
    write_plan_folder(folder, outcome.facts, outcome.plan, outcome.document,
                      [*input_files(outcome.facts), *earlier])
    return folder


def check_plan_folder(workspace: Workspace, folder: Path, previous: Path | None = None) -> None:
    """InputError unless `write_plan` may write `folder` (checked before a long solve)."""
    from planner import outputs
    from planner.planio import input_files

    outputs.check_folder(folder, outputs.PLAN, [*input_files(workspace.facts),
                                                *([previous] if previous is not None else [])])


# ------------------------------------------------------------------------------ sweep


def sweep(base: Path, out_dir: Path, variants: Sequence[Path] = (), grid: Path | None = None,
          scheduler: str | None = None, workers: int | None = None,
          progress: Progress | None = None, local: LocalStart | None = None) -> SweepResult:
    """`rotation sweep`: plan the base and each variant (scenario files, or the grid file's
    combinations) as Dask tasks; write a plan folder each, the comparison (CSV, HTML) and
    sweep.yaml into `out_dir` (atomically). `scheduler`: an existing cluster's address;
    else an in-process LocalCluster of `workers` (default one per core; 0: serial);
    `local`: that cluster, if the caller started it already (`cluster.start_local`)."""
    from planner.cluster import start_local
    from planner.errors import InputError, Problem
    from planner.sweep import read_grid, run_sweep, variant_from_file

    try:
        if bool(variants) == (grid is not None):
            raise InputError([Problem("rotation sweep", None, None, "--variant/--grid",
                                      "give variant files (--variant V.yaml …) or one --grid "
                                      "file, not both and not neither")])
        if scheduler and workers is not None:
            raise InputError([Problem("rotation sweep", None, None, "--workers",
                                      "--workers sizes the in-process LocalCluster; an "
                                      "existing cluster (--scheduler) is used as it is")])
        local = local or start_local(scheduler, workers)  # up while the variants are read
        chosen = (read_grid(grid, base) if grid is not None
                  else [variant_from_file(path) for path in variants])
    except BaseException:
        if local is not None:
            local.close()
        raise
    return run_sweep(base, chosen, out_dir, scheduler=scheduler, workers=workers,
                     progress=progress, local=local)


# ------------------------------------------------------------------------------ explain


@dataclass
class Explanation:
    """Why a cadre moves or stays; with `why_not`, why not that post and what forcing costs."""

    lines: list[str]
    why_not: list[str] = field(default_factory=list)
    possible: bool = False
    forcing: list[str] = field(default_factory=list)
    base_objective: float | None = None
    forced_objective: float | None = None
    changes: list[str] = field(default_factory=list)

    def all_lines(self) -> list[str]:
        return [*self.lines, *self.why_not, *self.forcing, *self.changes]


def explain(scenario: Path, plan_path: Path, cadre_id: str,
            position_id: str | None = None) -> Explanation:
    """`rotation explain`: the rule-by-rule reasons; with a post, the refusing rules, the
    cost of forcing it (re-solved with a pin) and the nearest plan's other changes."""
    from planner.errors import InputError, Problem, unknown
    from planner.explain import explain_cadre, plan_diff, why_not, with_pin
    from planner.solver.run import PinConflict, solve_workspace

    workspace = load_workspace(scenario)
    facts = workspace.facts
    roster = workspace.scenario.roster
    if cadre_id not in roster.cadre_by_id:
        raise InputError([Problem("--cadre", None, None, "cadre",
                                  unknown("cadre", cadre_id, roster.cadre_by_id))])
    if position_id is not None and position_id not in roster.position_by_id:
        raise InputError([Problem("--why-not", None, None, "position",
                                  unknown("position", position_id, roster.position_by_id))])
    current = read_plan(plan_path, facts, with_unplaced=True)
    explanation = Explanation(explain_cadre(facts, current, cadre_id))
    if position_id is None:
        return explanation
    explanation.why_not, explanation.possible = why_not(facts, current, cadre_id, position_id)
    if not explanation.possible:
        return explanation
    base = solve_workspace(facts)
    forced_scenario = with_pin(workspace.scenario, cadre_id, position_id)
    try:
        forced = solve_workspace(Facts(forced_scenario, workspace.ruleset))
    except PinConflict as conflict:
        explanation.forcing = [say("  forcing it is impossible with the other rules: "
                                   "{messages}", messages=listed("; ", conflict.messages))]
        return explanation
    stuck = hard_unplaced(facts, forced.plan)
    explanation.base_objective = base.solution.objective
    explanation.forced_objective = forced.solution.objective
    delta = forced.solution.objective - base.solution.objective
    leaves = say("; leaves {cadres} without a lawful move", cadres=", ".join(stuck)) \
        if stuck else ""
    explanation.forcing = [say(
        "  forcing it costs {delta} in the objective ({before} → {after}){leaves}",
        delta=f"{delta:+g}", before=f"{base.solution.objective:g}",
        after=f"{forced.solution.objective:g}", leaves=leaves)]
    # what else must change: the forced plan re-solved to stay as close to this plan as it can
    nearest = solve_workspace(Facts(forced_scenario, workspace.ruleset), previous=current)
    changes = plan_diff(current, nearest.plan)
    explanation.changes = [say("  what else must change ({count} moves, nearest plan to "
                               "{plan}):", count=len(changes), plan=str(plan_path)),
                           *changes[:30]]
    return explanation


# ------------------------------------------------------------------------------ candidates


def candidates(scenario: Path | Workspace, post: str, round_name: str | None = None,
               k: int = 10, plan: Path | None = None,
               time_limit_s: float | None = None) -> CandidateList:
    """`rotation candidates`: the k cadres who may lawfully take `post` (in `round_name`, or
    any round), each with the objective delta of a pinned re-solve against `plan` (or a
    fresh plan), and the rule that stops the closest excluded ones."""
    from planner.candidates_query import find_candidates
    from planner.errors import InputError, Problem, unknown

    workspace = scenario if isinstance(scenario, Workspace) else load_workspace(scenario)
    facts = workspace.facts
    roster = workspace.scenario.roster
    if post not in roster.position_by_id:
        raise InputError([Problem("--post", None, None, "post",
                                  unknown("position", post, roster.position_by_id))])
    if round_name is not None and all(r.name != round_name for r in facts.rounds):
        raise InputError([Problem("--round", None, None, "round",
                                  unknown("round", round_name, [r.name for r in facts.rounds]))])
    # the deltas are against the plan's own moves re-solved (`candidates_query`), so its
    # plan.yaml (seconds to parse on a city) is not read
    base = read_plan(plan, facts) if plan is not None else None
    return find_candidates(facts, post, base, round_name, k, time_limit_s=time_limit_s)


# ------------------------------------------------------------------------------ compare


def compare(plans: Sequence[Path], progress: Progress | None = None,
            scenario: Path | None = None) -> Comparison:
    """KPIs side by side and each variant's move diff against the first.

    Each path is a plan folder, a bare moves file (a moves.csv, the report's .xlsx or a CSV
    saved from it: checked against `scenario` for its KPIs; by default the scenario recorded
    in the file's own plan folder, else in the first plan folder compared) or a scenario
    file (planned in memory, without relaxation search; nothing is written)."""
    from planner.compare import compare as compare_runs
    from planner.compare import is_moves_file, read_moves_run, read_plan_folder, run_of
    from planner.errors import InputError, Problem

    workspaces: dict[Path, Workspace] = {}

    def workspace_for(moves_file: Path) -> Workspace:
        chosen = scenario or _recorded_scenario([moves_file.parent, *plans])
        if chosen is None:
            raise InputError([Problem(str(moves_file), None, None, "--scenario",
                                      "a moves file is compared as checked against its "
                                      "scenario: give --scenario SCENARIO (or compare a plan "
                                      "folder written by `rotation plan`)")])
        key = chosen.resolve()
        if key not in workspaces:
            workspaces[key] = load_workspace(chosen)
        return workspaces[key]

    runs = []
    for path in plans:
        if path.is_dir():
            runs.append(read_plan_folder(path))
        elif is_moves_file(path):
            runs.append(read_moves_run(path, workspace_for(path)))
        elif path.is_file() and path.suffix.lower() in (".yaml", ".yml"):
            if progress is not None:
                progress(f"planning {path}…")
            outcome = plan(path, relax=False)
            runs.append(run_of(outcome.facts, outcome.plan, outcome.document,
                               outcome.facts.scenario.name, str(path)))
        else:
            raise InputError([Problem(str(path), message="expected a plan folder (with "
                                      "plan.yaml), a moves file (.csv, .xlsx) or a scenario "
                                      ".yaml file")])
    return compare_runs(runs)


def _recorded_scenario(places: Sequence[Path]) -> Path | None:
    """The scenario recorded in the first of these plan folders that records one."""
    from planner.planio import marked_scenario

    for place in places:
        if place.is_dir() and (found := marked_scenario(place)) is not None:
            return found
    return None


# ------------------------------------------------------------------------------ report


def report(plan_dir: Path, scenario: Path | None = None, lang: str = "vi",
           redact: bool = False, key: bytes | None = None) -> Report:
    """The report of a plan folder (`.html` and `.write(path)` for the page and workbook)."""
    from planner.report import build_report

    return build_report(plan_dir, scenario, lang, redact, key=key)


# ------------------------------------------------------------------------------ apply


@dataclass
class ApplyOutcome:
    plan: Plan
    report: CheckReport
    applied: Applied
    moves_file: Path


def apply(scenario: Path, plan_path: Path, out_dir: Path | None = None) -> ApplyOutcome:
    """The roster after a plan and the next cycle's scenario; written to `out_dir` if given."""
    from planner.apply import apply_plan, write_applied

    workspace = load_workspace(scenario)
    moves_file = moves_file_of(plan_path)
    current = read_plan(plan_path, workspace.facts)
    checked = check_plan(workspace.facts, current)
    applied = apply_plan(workspace.scenario, current)
    if out_dir is not None:
        write_applied(out_dir, workspace.scenario, applied, str(moves_file), [moves_file])
    return ApplyOutcome(current, checked, applied, moves_file)


# ------------------------------------------------------------------------------ test


def rule_tests(path: Path = Path("rules/tests"), name_filter: str | None = None) -> RuleTestReport:
    """Run the YAML rule tests under `path` (`rotation test`)."""
    from planner.ruletests import run_tests

    return run_tests(path, name_filter)
