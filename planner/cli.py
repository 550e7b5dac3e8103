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
from rich.table import Table

from planner.errors import InputError

F = TypeVar("F", bound=Callable[..., Any])

EXIT_OK, EXIT_VIOLATIONS, EXIT_BAD_INPUT = 0, 1, 2


def console() -> Console:
    return Console(highlight=False, soft_wrap=True)


def reports_bad_input(command: F) -> F:
    """Turn InputError into 'file:line:col: field: message' lines on stderr and exit 2."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except InputError as exc:
            err = Console(stderr=True, highlight=False, soft_wrap=True)
            count = len(exc.problems)
            err.print(f"[bold red]error:[/] {count} problem{'s' * (count != 1)} in the input:")
            for problem in exc.problems:
                err.print(f"  {problem}", markup=False)
            sys.exit(EXIT_BAD_INPUT)

    return wrapper  # type: ignore[return-value]


def print_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def counts_table(title: str, counts: dict[str, int]) -> Table:
    table = Table(title=title, title_justify="left", show_edge=False)
    table.add_column("")
    table.add_column("count", justify="right")
    for key, value in counts.items():
        table.add_row(str(key), str(value))
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
    from planner.summary import roster_summary
    from planner.workspace import load_workspace

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
    if as_json:
        print_json(summary)
        return
    out = console()
    out.print(f"[bold]{loaded.title or loaded.name}[/]  ({scenario})")
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
              f"{', '.join(workspace.ruleset.names)}")
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
    from planner.checker import check_plan
    from planner.plan import read_moves
    from planner.workspace import load_workspace

    workspace = load_workspace(scenario)
    moves_file = moves / "moves.csv" if moves.is_dir() else moves
    plan = read_moves(moves_file, workspace.scenario)
    report = check_plan(workspace.facts, plan)
    if as_json:
        print_json({"moves": len(plan.moves), **report.as_dict()})
    else:
        print_check_report(report, len(plan.moves))
    sys.exit(EXIT_OK if report.ok else EXIT_VIOLATIONS)


def print_check_report(report: Any, num_moves: int) -> None:
    """Violations grouped by rule, with label, basis, amounts; then the verdict."""
    out = console()
    out.print(f"checked {num_moves} moves")
    for rule_id, items in report.by_rule().items():
        first = items[0]
        colour = "red" if first.hard else "yellow"
        total = sum(v.amount for v in items)
        out.print(f"[{colour}]{first.severity.upper()}[/] [bold]{rule_id}[/] — {first.label}  "
                  f"({len(items)} violation{'s' * (len(items) != 1)}"
                  f"{f', {total:g} {first.unit}' if first.unit else ''})", markup=True)
        out.print(f"    basis: {first.basis}", markup=False)
        for item in items[:20]:
            out.print(f"    • {item.message}", markup=False)
        if len(items) > 20:
            out.print(f"    … and {len(items) - 20} more (use --json for all)")
    colour = "green" if report.ok else "red"
    out.print(f"[bold {colour}]{report.verdict()}[/]")


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
