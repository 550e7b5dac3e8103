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
    from planner.scenario import load_scenario
    from planner.summary import roster_summary

    loaded = load_scenario(scenario)
    summary = roster_summary(loaded)
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
    out.print("[green]valid[/]")


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
