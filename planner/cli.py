"""The `rotation` command line: parse, call the library, format. Nothing else lives here."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from planner.errors import InputError

F = TypeVar("F", bound=Callable[..., Any])

EXIT_OK, EXIT_VIOLATIONS, EXIT_BAD_INPUT = 0, 1, 2


def cli_lang() -> str:
    """The language of the CLI's own messages: ROTATION_LANG=vi or en; without it, vi in a
    Vietnamese locale (LC_ALL, LC_MESSAGES or LANG vi_…), else en."""
    import os

    lang = os.environ.get("ROTATION_LANG")
    if lang is None:
        locale = next((os.environ[k] for k in ("LC_ALL", "LC_MESSAGES", "LANG")
                       if os.environ.get(k)), "")
        lang = "vi" if locale.lower().startswith("vi") else "en"
    return lang if lang in ("vi", "en") else "en"


def catalogue(key: str, lang: str, **values: Any) -> str:
    """A CLI message from the catalogue (planner.i18n) in `lang`."""
    from planner.i18n import message

    return message(key, lang, **values)


def console() -> Console:
    return Console(highlight=False, soft_wrap=True)


def reports_bad_input(command: F) -> F:
    """Turn InputError into 'file:line:col: field: message' lines on stderr and exit 2."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except InputError as exc:
            report_bad_input(exc, as_json=bool(kwargs.get("as_json")))

    return wrapper  # type: ignore[return-value]


def report_bad_input(exc: InputError, as_json: bool = False) -> None:
    """Print every problem on stderr (with --json: as JSON on stdout) and exit 2."""
    if as_json:
        print_json({"ok": False, "exit_code": EXIT_BAD_INPUT,
                    "problems": [{"file": p.file, "line": p.line, "column": p.column,
                                  "field": p.field, "message": p.message, "text": str(p)}
                                 for p in exc.problems]})
        sys.exit(EXIT_BAD_INPUT)
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    count = len(exc.problems)
    err.print(f"[bold red]error:[/] {count} problem{'s' * (count != 1)} in the input:")
    for problem in exc.problems:
        err.print(f"  {problem}", markup=False)
    sys.exit(EXIT_BAD_INPUT)


def warn_lookalikes(workspace: Any) -> None:
    """Warn (stderr) of roster ids with letters that only look Latin (Cyrillic С …)."""
    from planner.roster_io import lookalike_warnings, scenario_lookalike_warnings

    err = Console(stderr=True, highlight=False, soft_wrap=True)
    scenario = workspace.scenario
    for warning in [*lookalike_warnings(scenario.roster),
                    *scenario_lookalike_warnings([*scenario.pins, *scenario.forbids])]:
        err.print(f"warning: {warning}", markup=False)


def print_weight_notes(facts: Any) -> None:
    """Warnings (stderr) for weights and `set` overrides that have no effect here."""
    from planner.weights import weight_notes

    err = Console(stderr=True, highlight=False, soft_wrap=True)
    for note in weight_notes(facts):
        err.print(f"warning: {note}", markup=False)


def print_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def counts_table(title: str, counts: dict[str, int]) -> Table:
    # keys and titles come from user files (ids, folder names): Text, never Rich markup
    table = Table(title=Text(title), title_justify="left", show_edge=False)
    table.add_column("")
    table.add_column("count", justify="right")
    for key, value in counts.items():
        table.add_row(Text(str(key)), Text(str(value)))
    return table


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="rotation")
def main() -> None:
    """rotation — plan cadre rotation under Plan 188-KH/TU and the rules beneath it."""


SCENARIO = click.argument("scenario", type=click.Path(path_type=Path, dir_okay=False))


@main.command()
@SCENARIO
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON.")
@reports_bad_input
def validate(scenario: Path, as_json: bool) -> None:
    """Load and check a scenario; print counts, tenure and vacancies."""
    from planner import api

    validation = api.validate(scenario)
    workspace, summary = validation.workspace, validation.summary
    if not as_json:  # JSON readers get the document alone
        print_weight_notes(workspace.facts)
    loaded = workspace.scenario
    warn_lookalikes(workspace)
    if as_json:
        print_json(summary)
        return
    out = console()
    out.print(f"[bold]{escape(loaded.title or loaded.name)}[/]  ({escape(str(scenario))})")
    horizon = summary["horizon"]
    out.print(
        f"horizon {horizon['start']} → {horizon['end']}, {len(horizon['rounds'])} rounds "
        f"({horizon['rounds'][0]} … {horizon['rounds'][-1]})"
    )
    out.print(
        f"{summary['cadres']} cadres, {summary['positions']} positions, "
        f"{summary['vacancies']} vacant, {summary['relations']} relative pairs"
    )
    out.print(counts_table("localities by level", summary["localities_by_level"]))
    out.print(counts_table("units by bloc", summary["units_by_bloc"]))
    out.print(counts_table("positions by role", summary["positions_by_role"]))
    out.print(counts_table("cadres by status", summary["statuses"]))
    out.print(
        counts_table(f"months in post on {horizon['start']}", summary["months_in_post_at_start"])
    )
    out.print(f"{len(summary['rules'])} active rules from "
              f"{', '.join(workspace.ruleset.names)}", markup=False)
    due_rounds: dict[str, int] = {}
    for item in summary["due"].values():
        due_rounds[item["round"]] = due_rounds.get(item["round"], 0) + 1
    out.print(counts_table(f"{len(summary['due'])} cadres due, by round",
                           dict(sorted(due_rounds.items()))))
    out.print("[green]valid[/]")


@main.command()
@SCENARIO
@click.argument("moves", type=click.Path(path_type=Path, dir_okay=True))
@click.option("--json", "as_json", is_flag=True, help="Print the violations as JSON.")
@reports_bad_input
def check(scenario: Path, moves: Path, as_json: bool) -> None:
    """Check a moves file (or a plan folder) against every rule; exit 1 on hard violations."""
    from planner import api

    checked = api.check(scenario, moves)
    plan, report = checked.plan, checked.report
    if as_json:
        print_json({"moves": len(plan.moves), **report.as_dict()})
    else:
        roster = checked.workspace.scenario.roster
        names = {c.id: c.name for c in roster.cadres}
        titles = {p.id: p.title for p in roster.positions}
        print_check_report(report, len(plan.moves), names, titles)
    sys.exit(EXIT_OK if report.ok else EXIT_VIOLATIONS)


def print_check_report(report: Any, num_moves: int, names: dict[str, str] | None = None,
                       titles: dict[str, str] | None = None) -> None:
    """Violations grouped by rule, with label, basis, amounts and the cadres' names and the
    posts' titles beside their ids; then the verdict (in ROTATION_LANG: en or vi)."""
    from planner.i18n import label, verdict
    from planner.i18n.messages import translate

    lang = cli_lang()
    names = names or {}
    out = console()
    out.print(catalogue("check.checked", lang, count=num_moves), markup=False)
    for rule_id, items in report.by_rule().items():
        first = items[0]
        colour = "red" if first.hard else "yellow"
        total = sum(v.amount for v in items)
        unit = f", {total:g} {escape(label('unit', first.unit, lang))}" if first.unit else ""
        count = catalogue("check.count" if len(items) == 1 else "check.counts", lang,
                          count=len(items))
        out.print(f"[{colour}]{label('severity', first.severity, lang).upper()}[/] "
                  f"[bold]{escape(rule_id)}[/] — {escape(first.label)}  ({count}{unit})",
                  markup=True)
        out.print(f"    {catalogue('check.basis', lang)}: {first.basis}", markup=False)
        for item in items[:20]:
            text = translate(item.said or item.message, lang)
            who = ", ".join([*(f"{c} {names[c]}" for c in item.cadres if names.get(c)),
                             *(f"{p} {titles[p]}" for p in dict.fromkeys(item.positions)
                               if titles and titles.get(p) and titles[p] not in text)])
            out.print(f"    • {text}"
                      + (f" [{who}]" if who else ""), markup=False)
        if len(items) > 20:
            out.print("    " + catalogue("check.more", lang, count=len(items) - 20),
                      markup=False)
    colour = "green" if report.ok else "red"
    hard_rules = len({v.rule_id for v in report.hard})
    text = report.verdict() if lang == "en" else verdict(
        len(report.hard), hard_rules, len(report.soft), sum(report.penalties().values()), lang)
    out.print(f"[bold {colour}]{escape(text)}[/]")


@main.command("test")
@click.argument("path", type=click.Path(path_type=Path), default=Path("rules/tests"),
                required=False)
@click.option("-k", "name_filter", help="Run only cases whose name contains this text.")
@click.option("--json", "as_json", is_flag=True, help="Print the results as JSON.")
@reports_bad_input
def test_command(path: Path, name_filter: str | None, as_json: bool) -> None:
    """Run YAML rule tests (default: rules/tests/); exit 1 if any case fails."""
    from planner import api

    report = api.rule_tests(path, name_filter)
    if as_json:
        print_json({"ok": report.ok, "summary": report.summary(),
                    "cases": [r.as_dict() for r in report.results]})
    else:
        out = console()
        for result in report.results:
            mark = "[green]PASS[/]" if result.passed else "[bold red]FAIL[/]"
            out.print(f"{mark} {escape(str(result.case.where))}: ", end="")
            out.print(result.case.name, markup=False)
            for line in [] if result.passed else result.diff_lines():
                out.print(f"    {line}", markup=False)
        colour = "green" if report.ok else "red"
        out.print(f"[bold {colour}]{escape(report.summary())}[/]")
    sys.exit(EXIT_OK if report.ok else EXIT_VIOLATIONS)


@main.command()
@click.argument("which", type=click.Choice(["all", "scenario", "rules"]), default="all",
                required=False)
@click.option("-o", "--out", "out_file", type=click.Path(path_type=Path, dir_okay=False),
              help="Write the schema to this file instead of printing it.")
@reports_bad_input
def schema(which: str, out_file: Path | None) -> None:
    """JSON Schema of scenario files, rule files, or either (all), for editors."""
    from planner.schema import schema_text, write_schema

    if out_file is None:
        click.echo(schema_text(which), nl=False)
        return
    write_schema(which, out_file)
    console().print(f"wrote the JSON Schema ({which}) to {out_file}", markup=False)


@main.command()
@click.option("--preset", required=True, help="demo, district, hanoi-2023, hanoi-2025, national")
@click.option("--seed", default=1, show_default=True, type=int, help="Random seed.")
@click.option(
    "-o",
    "--out",
    "out_dir",
    required=True,
    type=click.Path(path_type=Path),
    help="Folder to write the CSV files into.",
)
@reports_bad_input
def generate(preset: str, seed: int, out_dir: Path) -> None:
    """Write a seeded synthetic roster (same seed, same bytes)."""
    from planner.generate import PRESETS, write_roster

    if preset not in PRESETS:
        from planner.errors import Problem, unknown

        raise InputError(
            [Problem("--preset", None, None, "preset", unknown("preset", preset, PRESETS))]
        )
    counts = write_roster(preset, seed, out_dir)
    console().print(counts_table(f"wrote {out_dir} (preset {preset}, seed {seed})", counts))


@main.command()
@SCENARIO
@click.option("-o", "--out", "out_dir", type=click.Path(path_type=Path, file_okay=False),
              help="Plan folder to write (default: plans/<scenario name>).")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.option("-v", "--verbose", is_flag=True, help="Show candidate counts and solver log.")
@click.option("--from", "from_plan", type=click.Path(path_type=Path, exists=True),
              help="An earlier plan folder or moves file (CSV or the report's .xlsx): keep "
                   "its moves where the rules allow.")
@click.option("--scheduler", help="With solver.partition: the Dask scheduler to plan the parts "
              "on (tcp://host:port; default: an in-process LocalCluster).")
@click.option("--workers", type=click.IntRange(min=0),
              help="With solver.partition: LocalCluster workers (default: one per core; 0: "
                   "plan the parts one after another in this process).")
@reports_bad_input
def plan(scenario: Path, out_dir: Path | None, as_json: bool, verbose: bool,
         from_plan: Path | None, scheduler: str | None = None,
         workers: int | None = None) -> None:
    """Propose a rotation plan, check it independently, and write the plan folder."""
    import time

    from planner import api, deadline
    from planner.solver.run import NoPlanInTime, PinConflict

    started = time.perf_counter()
    out = console()
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    from planner.cluster import start_for_partitions

    local = start_for_partitions(scenario, scheduler, workers)  # up while the roster loads
    if local is not None:
        click.get_current_context().call_on_close(local.close)
    workspace = api.load_workspace(scenario)
    by_parts = workspace.scenario.solver.partition != "none"
    warn_lookalikes(workspace)
    if not as_json:
        print_weight_notes(workspace.facts)
    from planner import outputs

    target = out_dir or Path("plans") / outputs.slug(workspace.scenario.name)
    api.check_plan_folder(workspace, target, from_plan)  # refused before solving, not after
    # one deadline for the run from the command's start (reading the input included), a pin
    # conflict's diagnosis too (planner.deadline)
    limit = workspace.scenario.solver.time_limit_s
    with deadline.scope(deadline=deadline.Deadline(started + limit, limit)), \
            err.status("solving…") as status:

        def progress(message: str) -> None:
            status.update(message)
            err.print(message, markup=False)

        try:
            outcome = api.plan(workspace, previous=from_plan, progress=progress, log=verbose,
                               incumbent=status.update, scheduler=scheduler, workers=workers,
                               client=local)
        except NoPlanInTime as timeout:
            status.stop()
            err.print(f"NO PLAN: {timeout}", markup=False)
            sys.exit(EXIT_VIOLATIONS)
        except PinConflict as conflict:
            status.stop()
            # the plan folder is written all the same: the elastic plan (pins missed) with
            # the conflict core and relaxations in plan.yaml
            failed = api.pin_conflict_outcome(workspace, conflict)
            if failed is not None and failed.diagnosis is not None:
                api.write_plan(failed, target)
                lines = failed.diagnosis.lines
            else:
                from planner.explain import explain_infeasible
                from planner.workspace import load_rules_for

                lines = explain_infeasible(workspace.facts, load_rules_for,
                                           pin_messages=conflict.messages).lines
            for line in lines:
                err.print(line, markup=False)
            if failed is not None:
                err.print(catalogue("plan.wrote", cli_lang(), folder=target), markup=False)
            sys.exit(EXIT_VIOLATIONS)
    document, result = outcome.document, outcome.result
    api.write_plan(outcome, target)
    elapsed = time.perf_counter() - started
    if as_json:
        print_json({**{k: v for k, v in document.items() if k not in ("moves", "provenance")},
                    "folder": str(target), "seconds": round(elapsed, 3)})
    else:
        print_plan_summary(out, document, result, elapsed, verbose and not by_parts)
        if by_parts:
            out.print(f"planned {len(result.parts)} parts by {result.by} on "  # type: ignore
                      f"{result.workers or 'no'} Dask workers", markup=False)  # type: ignore
        if "previous" in document:
            kept = document["previous"]
            out.print(catalogue("plan.kept", cli_lang(), source=from_plan, kept=kept["kept"],
                              total=kept["moves"], changed=kept["changed_or_dropped"],
                              dropped=len(outcome.dropped)), markup=False)
        out.print(catalogue("plan.wrote", cli_lang(), folder=target), markup=False)
    for across in outcome.conflicts[:50]:
        err.print(f"ACROSS PARTS: {across}", markup=False)
    if outcome.infeasible:
        err.print(outcome.infeasibility(), markup=False)
        sys.exit(EXIT_VIOLATIONS)


def print_plan_summary(out: Console, document: dict[str, Any], result: Any, elapsed: float,
                       verbose: bool) -> None:
    kpis = document["kpis"]
    out.print(f"[bold]{escape(document['title'] or document['scenario'])}[/]: "
              f"{document['status']}, "
              f"objective {document['objective']:g}, bound {document['bound']:g}, "
              f"gap {100 * document['gap']:.2f}%, {elapsed:.1f} s")
    out.print(f"{kpis['moves']} moves; due cadres: {kpis['due_cadres']} "
              f"({kpis['due_moved']} moved, {kpis['due_left']} left); vacancies filled: "
              f"{kpis['vacancies_filled']} of {kpis['vacancies_at_start']}")
    out.print(counts_table("moves by form", kpis["moves_by_form"]))
    out.print(counts_table("moves by direction", kpis["moves_by_direction"]))
    if document["penalties"]:
        out.print(counts_table("soft-rule penalties", document["penalties"]))
    if verbose:
        counts = result.candidates.per_cadre()
        timings = ", ".join(f"{k} {v:.2f}s" for k, v in result.timings.items())
        out.print(f"candidates: {len(result.candidates.options)} options for "
                  f"{len(result.candidates.movers)} cadres (min {min(counts.values(), default=0)},"
                  f" max {max(counts.values(), default=0)} per cadre); timings {timings}")
    out.print(f"[green]{escape(document['verdict'])}[/]")


@main.command()
@SCENARIO
@click.argument("plan_dir", metavar="PLAN", type=click.Path(path_type=Path, exists=True))
@click.option("--cadre", "cadre_id", required=True, help="The cadre to explain.")
@click.option("--why-not", "position_id", help="A post: which rules forbid it, or its cost.")
@reports_bad_input
def explain(scenario: Path, plan_dir: Path, cadre_id: str, position_id: str | None) -> None:
    """Why this cadre moves where they move (or stays); --why-not: why not that post."""
    from planner import api
    from planner.i18n.messages import Said, translate

    explanation = api.explain(scenario, plan_dir, cadre_id, position_id)
    out = console()
    lang = cli_lang()
    for line in explanation.all_lines():
        # each line said in the CLI's language through the catalogue, its indent kept (a
        # line built with `say` by its own template)
        if isinstance(line, Said):
            said = translate(line, lang)
        else:
            text = line.lstrip(" ")
            said = line[: len(line) - len(text)] + translate(text, lang)
        out.print(said, markup=False)


@main.command()
@SCENARIO
@click.option("--post", "position_id", required=True, help="The post to fill.")
@click.option("--round", "round_name", help="Only this round (default: any round).")
@click.option("-k", "k", type=click.IntRange(1, 100), default=10, show_default=True,
              help="How many lawful cadres to rank.")
@click.option("--plan", "plan_dir", type=click.Path(path_type=Path, exists=True),
              help="Compare with this plan (default: plan the scenario first).")
@click.option("--time-limit", "time_limit_s", type=click.FloatRange(min=0.0),
              help="Seconds for the pinned re-solves (default: the scenario's limit).")
@click.option("--json", "as_json", is_flag=True, help="Print the ranking as JSON.")
@reports_bad_input
def candidates(scenario: Path, position_id: str, round_name: str | None, k: int,
               plan_dir: Path | None, time_limit_s: float | None, as_json: bool) -> None:
    """Who can fill this post: the cadres who may lawfully take it, with the objective
    delta of each (a pinned re-solve), and the rule that stops the closest excluded ones."""
    from planner import api
    from planner.candidates_query import describe

    found = api.candidates(scenario, position_id, round_name=round_name, k=k, plan=plan_dir,
                           time_limit_s=time_limit_s)
    if as_json:
        print_json(found.as_dict())
        return
    out = console()
    for line in describe(found):
        out.print(line, markup=False)


@main.command()
@click.argument("plans", nargs=-1, required=True,
                type=click.Path(path_type=Path, exists=True), metavar="BASE VARIANT…")
@click.option("--json", "as_json", is_flag=True, help="Print the comparison as JSON.")
@click.option("--csv", "kpi_file", type=click.Path(path_type=Path, dir_okay=False),
              help="Write the KPIs side by side to this CSV file.")
@click.option("--diff-csv", "diff_file", type=click.Path(path_type=Path, dir_okay=False),
              help="Write the move-level differences to this CSV file.")
@click.option("--html", "html_file", type=click.Path(path_type=Path, dir_okay=False),
              help="Write the comparison as a self-contained HTML page.")
@click.option("--lang", type=click.Choice(["vi", "en"]), default="vi", show_default=True,
              help="Language of the HTML page.")
@click.option("--scenario", "scenario", type=click.Path(path_type=Path, exists=True,
                                                        dir_okay=False),
              help="Scenario to check bare moves files against (default: the one recorded "
                   "in their plan folder, else in the first plan folder compared).")
@reports_bad_input
def compare(plans: tuple[Path, ...], as_json: bool, kpi_file: Path | None,
            diff_file: Path | None, html_file: Path | None = None, lang: str = "vi",
            scenario: Path | None = None) -> None:
    """KPIs side by side and each variant's move diff against the base (the first plan).

    Each argument is a plan folder written by `rotation plan`; a moves file (a moves.csv,
    the report's .xlsx or a CSV saved from it), checked against the scenario for its KPIs;
    or a scenario file, which is planned first (in memory; nothing is written).
    """
    from planner import api
    from planner.compare import diff_csv, kpi_csv
    from planner.roster_io import write_atomically
    from planner.solver.run import PinConflict

    err = Console(stderr=True, highlight=False, soft_wrap=True)
    check_compare_outputs(plans, kpi_file, diff_file)
    if html_file is not None:
        from planner import outputs

        compared = [f for p in plans for f in (sorted(p.rglob("*")) if p.is_dir() else [p])]
        outputs.check_file(html_file, compared, outputs.is_report_page,
                           "`rotation compare --html` page", "--html")
    try:
        comparison = api.compare(plans, progress=lambda message: err.print(message,
                                                                           markup=False),
                                 scenario=scenario)
    except PinConflict as conflict:
        err.print("INFEASIBLE: a pinned move of a compared scenario breaks the hard rules:",
                  markup=False)
        for message in conflict.messages:
            err.print(f"  • {message}", markup=False)
        sys.exit(EXIT_VIOLATIONS)
    if kpi_file is not None:
        write_atomically(kpi_file, kpi_csv(comparison))
    if diff_file is not None:
        write_atomically(diff_file, diff_csv(comparison))
    if html_file is not None:
        from planner.report.compare_page import render_comparison

        write_atomically(html_file, render_comparison(comparison, lang))
    if as_json:
        print_json(comparison.as_dict())
        return
    print_comparison(console(), comparison)
    for written in (kpi_file, diff_file, html_file):
        if written is not None:
            console().print(f"wrote {written}", markup=False)


def check_compare_outputs(plans: tuple[Path, ...], kpi_file: Path | None,
                          diff_file: Path | None) -> None:
    """--csv and --diff-csv: never a compared file, each other, or a file of another kind."""
    from planner import outputs
    from planner.compare import DIFF_COLUMNS

    compared = [f for p in plans for f in (sorted(p.rglob("*")) if p.is_dir() else [p])]
    if kpi_file is not None and diff_file is not None \
            and kpi_file.resolve() == diff_file.resolve():
        raise outputs.refuse(diff_file, "--diff-csv", "--csv names the same file")
    for option, written, header in (("--csv", kpi_file, ("kpi",)),
                                    ("--diff-csv", diff_file, DIFF_COLUMNS[:3])):
        if written is not None:
            outputs.check_file(written, compared, outputs.csv_with_header(header),
                               f"`rotation compare {option}` table", option)


def print_comparison(out: Console, comparison: Any) -> None:
    """The KPI table (variants with their difference to the base) and the move diffs."""
    from planner.compare import format_delta, format_value

    table = Table(title="KPIs (Δ against the base)", title_justify="left", show_edge=False)
    table.add_column("kpi", overflow="fold")
    for index, label in enumerate(comparison.labels):
        table.add_column(Text(label + (" (base)" if index == 0 else "")), justify="right",
                         no_wrap=True)
    for row in comparison.rows:
        cells = [format_value(row.values[0])]
        cells += [format_value(value) + format_delta(row.delta(index))
                  for index, value in enumerate(row.values) if index > 0]
        short = row.key.replace("moves_by_form.", "form: ").replace("moves_by_direction.", "")
        table.add_row(Text(short), *(Text(cell) for cell in cells))
    out.print(table)
    for label, changes in comparison.diffs.items():
        if not changes:
            out.print(f"{label}: the same moves as the base", markup=False)
            continue
        diff = Table(title=Text(f"{label}: {len(changes)} moves differ from the base"),
                     title_justify="left", show_edge=False)
        for column in ("change", "cadre", "base", label):
            diff.add_column(Text(column))
        for change in changes:
            colour = {"added": "green", "removed": "red"}.get(change.change, "yellow")
            diff.add_row(Text(change.change, style=colour),
                         Text(f"{change.cadre} {change.name}".strip()),
                         Text(change.base.describe() if change.base else "—"),
                         Text(change.variant.describe() if change.variant else "—"))
        out.print(diff)


@main.command("apply")
@SCENARIO
@click.argument("plan_dir", metavar="PLAN", type=click.Path(path_type=Path, exists=True))
@click.option("-o", "--out", "out_dir", required=True,
              type=click.Path(path_type=Path, file_okay=False),
              help="Folder to write roster/ and scenario.yaml of the next cycle into.")
@click.option("--json", "as_json", is_flag=True, help="Print what changed as JSON.")
@reports_bad_input
def apply_command(scenario: Path, plan_dir: Path, out_dir: Path, as_json: bool) -> None:
    """Write the roster after a plan (a plan folder or moves.csv) and the next scenario.

    Exit 1 (after writing) if the plan breaks hard rules.
    """
    from planner import api

    outcome = api.apply(scenario, plan_dir, out_dir)
    plan, report, applied, moves_file = (outcome.plan, outcome.report, outcome.applied,
                                         outcome.moves_file)
    if as_json:
        print_json({"folder": str(out_dir), "horizon": applied.horizon.model_dump(mode="json"),
                    **applied.counts(), "notes": applied.notes, "verdict": report.verdict()})
    else:
        out = console()
        out.print(counts_table(f"applied {len(plan.moves)} moves of {moves_file}",
                               applied.counts()))
        for note in applied.notes:
            out.print(f"note: {note}", markup=False)
        out.print(f"next cycle {applied.horizon.start} → {applied.horizon.end}: wrote "
                  f"{out_dir}/scenario.yaml and {out_dir}/roster/", markup=False)
        colour = "green" if report.ok else "red"
        out.print(f"[{colour}]{escape(report.verdict())}[/]")
    sys.exit(EXIT_OK if report.ok else EXIT_VIOLATIONS)


@main.command()
@click.argument("plan_dir", metavar="PLAN", type=click.Path(path_type=Path, file_okay=False,
                                                            exists=True))
@click.option("--scenario", "scenario_path", type=click.Path(path_type=Path, dir_okay=False),
              help="The scenario the plan was made for (default: from plan.yaml's provenance).")
@click.option("--lang", type=click.Choice(["vi", "en"]), default="vi", show_default=True,
              help="Language of the report's interface text.")
@click.option("--redact", is_flag=True, help="Replace names and cadre ids by stable pseudonyms.")
@click.option("-o", "--out", "out_file", type=click.Path(path_type=Path, dir_okay=False),
              help="HTML file to write (default: PLAN/report.html); the .xlsx goes beside it.")
@reports_bad_input
def report(plan_dir: Path, scenario_path: Path | None, lang: str, redact: bool,
           out_file: Path | None) -> None:
    """A self-contained HTML report of a plan folder, and an .xlsx workbook beside it."""
    from planner import api
    from planner.report import write_report

    built = api.report(plan_dir, scenario_path, lang, redact)
    html_path = out_file or plan_dir / "report.html"
    xlsx_path = write_report(built, html_path)
    console().print(f"wrote {html_path} and {xlsx_path}", markup=False)


@main.command()
@SCENARIO
@click.option("--variant", "variant_files", multiple=True,
              type=click.Path(path_type=Path, dir_okay=False),
              help="A variant scenario file (an overlay of BASE); repeat for more.")
@click.option("--grid", "grid_file", type=click.Path(path_type=Path, dir_okay=False),
              help="A grid file: every combination of its axes' values is a variant.")
@click.option("-o", "--out", "out_dir", type=click.Path(path_type=Path, file_okay=False),
              help="Folder to write (default: sweeps/<base scenario name>).")
@click.option("--scheduler", help="Address of a running Dask scheduler (tcp://host:port); "
              "default: an in-process LocalCluster.")
@click.option("--workers", type=click.IntRange(min=0),
              help="LocalCluster worker processes (default: one per core; 0: plan serially "
                   "in this process, without Dask).")
@click.option("--json", "as_json", is_flag=True, help="Print the sweep's outcome as JSON.")
@reports_bad_input
def sweep(scenario: Path, variant_files: tuple[Path, ...], grid_file: Path | None,
          out_dir: Path | None, scheduler: str | None, workers: int | None,
          as_json: bool) -> None:
    """Plan BASE and many variants as Dask tasks; a plan folder each and the comparison.

    Exit 1 if a variant failed or leaves hard-due cadres unplaced (the others are written).
    """
    from planner.cluster import start_local

    # the in-process cluster starts before the planner is imported: its worker processes
    # come up while this one loads and validates the variants
    wanted = bool(variant_files) != (grid_file is not None)  # else api.sweep refuses
    local = start_local(scheduler, workers) if wanted else None
    from planner import api

    err = Console(stderr=True, highlight=False, soft_wrap=True)
    from planner import outputs

    target = out_dir or Path("sweeps") / outputs.slug(scenario.parent.name)
    result = api.sweep(scenario, target, variant_files, grid_file, scheduler, workers,
                       progress=lambda message: err.print(message, markup=False), local=local)
    if as_json:
        print_json({"folder": str(target), "workers": result.workers,
                    "seconds": round(result.seconds, 3),
                    "variants": [{"name": o.name, "status": o.status, "error": o.error,
                                  **o.summary} for o in result.outcomes],
                    **({"comparison": result.comparison.as_dict()}
                       if result.comparison is not None else {})})
    else:
        out = console()
        if result.comparison is not None:
            print_comparison(out, result.comparison)
        for outcome in result.failed:
            out.print(f"FAILED {outcome.name} ({outcome.source}): {outcome.error}",
                      markup=False)
        out.print(f"wrote {target}/: {len(result.outcomes) - len(result.failed)} plan folders"
                  f", comparison.csv, diff.csv, comparison.html, sweep.yaml "
                  f"({result.seconds:.1f} s on {result.workers or 'no'} Dask workers)",
                  markup=False)
    sys.exit(EXIT_OK if result.ok else EXIT_VIOLATIONS)
