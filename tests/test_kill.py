"""SIGKILL at any moment: the output is the old one or the new one, never partial, and the
inputs are unchanged; the next run removes what the killed one left behind.

Each command is started in a subprocess over an earlier output of its own and killed after
a range of delays (from "still loading" to "about to finish"); `-m slow` tries many more.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import copy_repo_inputs, plan_folder_from_moves, tree_digest

from planner.yamlio import read_yaml

DELAYS = (0.3, 1.5, 5.0)
DELAYS_SLOW = tuple(round(0.1 * 1.35 ** k, 2) for k in range(18))  # 0.1 s … ≈16 s
SCENARIO = "scenarios/demo/scenario.yaml"


def rotation(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "planner", *args], cwd=root,
                          capture_output=True, text=True, timeout=600, check=False)


def killed(root: Path, delay: float, *args: str) -> int | None:
    """Run the command, SIGKILL it after `delay` s; its exit code if it finished first."""
    process = subprocess.Popen([sys.executable, "-m", "planner", *args], cwd=root,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        return process.wait(timeout=delay)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGKILL)
        process.wait()
        return None


def inputs_digest(root: Path) -> dict[str, str]:
    return {**{f"scenarios/{k}": v for k, v in tree_digest(root / "scenarios").items()},
            **{f"rules/{k}": v for k, v in tree_digest(root / "rules").items()}}


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".rotation-tmp." in p.name
                  or ".rotation-old." in p.name)


def whole_plan(folder: Path) -> bool:
    names = {p.name for p in folder.iterdir()}
    if not {"moves.csv", "unplaced.csv", "plan.yaml", ".rotation-plan"} <= names:
        return False
    document, _locate = read_yaml(folder / "plan.yaml")
    return isinstance(document, dict) and "kpis" in document and "provenance" in document


def whole_roster(folder: Path) -> bool:
    names = {p.name for p in folder.iterdir()}
    tables = ("localities", "units", "positions", "cadres", "relations", "history")
    return {f"{t}.csv" for t in tables} | {".rotation-roster"} <= names


def whole_report(folder: Path) -> bool:
    html, xlsx = folder / "r.html", folder / "r.xlsx"
    return (html.is_file() and html.read_text(encoding="utf-8").rstrip().endswith("</html>")
            and xlsx.is_file() and xlsx.read_bytes()[:2] == b"PK")


def whole_apply(folder: Path) -> bool:
    return (folder / "scenario.yaml").is_file() and whole_roster_tables(folder / "roster")


def whole_roster_tables(folder: Path) -> bool:
    return folder.is_dir() and {"cadres.csv", "positions.csv"} <= {p.name for p in
                                                                  folder.iterdir()}


def sweep(root: Path, out: Path, args: tuple[str, ...], whole: Callable[[Path], bool],
          delays: tuple[float, ...], digest_of: Callable[[Path], dict[str, str]]) -> None:
    """Kill the command after each delay; the output is old or whole, inputs untouched."""
    before_inputs = inputs_digest(root)
    old = digest_of(out)
    finished = 0
    for delay in delays:
        code = killed(root, delay, *args)
        now = digest_of(out)
        assert now == old or whole(out), f"partial output after a kill at {delay} s"
        assert inputs_digest(root) == before_inputs, f"an input changed (kill at {delay} s)"
        if code is not None:
            assert code in (0, 1), f"exit {code}"
            finished += 1
        old = digest_of(out)
    result = rotation(root, *args)  # a clean run after the kills: whole, nothing left over
    assert result.returncode in (0, 1), result.stderr
    assert whole(out)
    assert leftovers(out.parent) == []


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return copy_repo_inputs(tmp_path / "work")


def test_a_killed_plan_leaves_the_old_plan_folder_or_the_new_one(root: Path):
    assert rotation(root, "plan", SCENARIO, "-o", "plans/demo").returncode == 0
    sweep(root, root / "plans/demo", ("plan", SCENARIO, "-o", "plans/demo"), whole_plan,
          DELAYS, tree_digest)


def test_a_killed_generate_never_mixes_two_seeds(root: Path):
    assert rotation(root, "generate", "--preset", "demo", "--seed", "1", "-o", "gen"
                    ).returncode == 0
    seed_one = tree_digest(root / "gen")
    for delay in (0.05, 0.2, 0.5, 1.0, 2.0):
        killed(root, delay, "generate", "--preset", "demo", "--seed", "2", "-o", "gen")
        now = tree_digest(root / "gen")
        assert now == seed_one or whole_roster(root / "gen")
    assert rotation(root, "generate", "--preset", "demo", "--seed", "2", "-o", "gen"
                    ).returncode == 0
    assert rotation(root, "generate", "--preset", "demo", "--seed", "2", "-o", "fresh"
                    ).returncode == 0
    assert tree_digest(root / "gen") == tree_digest(root / "fresh")  # never seed 1 rows
    assert leftovers(root) == []


def demo_plan(root: Path) -> None:
    """plans/demo as `rotation plan` writes it, from the demo's clean moves (no solve)."""
    plan_folder_from_moves(root / "scenarios/demo/moves/clean.csv", root / "plans/demo",
                           root / SCENARIO)


def test_a_killed_report_leaves_both_files_old_or_both_new(root: Path):
    demo_plan(root)
    out = root / "out"
    assert rotation(root, "report", "plans/demo", "-o", "out/r.html").returncode == 0
    plan_before = tree_digest(root / "plans/demo")
    sweep(root, out, ("report", "plans/demo", "-o", "out/r.html"), whole_report,
          (0.3, 1.0, 2.5), tree_digest)
    assert tree_digest(root / "plans/demo") == plan_before


# Run the CLI with every rename (os.replace) and folder swap (atomic._exchange) counted,
# and SIGKILL the process right after the Nth: the kill lands exactly between two renames,
# where a random delay almost never does.
KILL_AFTER_RENAME = """
import os, signal, sys
from planner import atomic
from planner.cli import main

limit, calls = int(sys.argv[1]), [0]

def counted(function):
    def call(*args, **kwargs):
        result = function(*args, **kwargs)
        calls[0] += 1
        if calls[0] == limit:
            os.kill(os.getpid(), signal.SIGKILL)
        return result
    return call

os.replace = counted(os.replace)
atomic._exchange = counted(atomic._exchange)
main(sys.argv[2:])
"""


def report_language(folder: Path) -> tuple[str, str]:
    """(the page's language, the workbook's language), read from the files themselves."""
    from openpyxl import load_workbook

    from planner.report.text import text_for

    page = (folder / "r.html").read_text(encoding="utf-8")
    page_lang = "vi" if '<html lang="vi">' in page else "en"
    book = load_workbook(folder / "r.xlsx", read_only=True)
    header = [cell.value for cell in next(book["moves"].iter_rows(max_row=1))]
    book_lang = "vi" if text_for("vi")["form"] in header else "en"
    return page_lang, book_lang


@pytest.mark.parametrize("kill_after", [1, 2, 3, 4])
def test_a_report_killed_between_any_two_renames_leaves_a_pair_in_one_language(
        root: Path, kill_after: int):
    demo_plan(root)
    assert rotation(root, "report", "plans/demo", "-o", "out/r.html").returncode == 0
    assert report_language(root / "out") == ("vi", "vi")
    plan_before = tree_digest(root / "plans/demo")
    process = subprocess.run([sys.executable, "-c", KILL_AFTER_RENAME, str(kill_after),
                              "report", "plans/demo", "--lang", "en", "-o", "out/r.html"],
                             cwd=root, capture_output=True, text=True, timeout=600,
                             check=False)
    assert process.returncode in (-signal.SIGKILL, 0), process.stderr
    page, book = report_language(root / "out")
    assert page == book, f"killed after rename {kill_after}: page {page}, workbook {book}"
    assert tree_digest(root / "plans/demo") == plan_before
    assert rotation(root, "report", "plans/demo", "--lang", "en", "-o", "out/r.html"
                    ).returncode == 0
    assert report_language(root / "out") == ("en", "en")
    assert leftovers(root) == [] and leftovers(root / "out") == []


def test_the_default_report_swaps_the_plan_folder_whole(root: Path):
    """PLAN/report.html: the plan folder is swapped with its files unchanged and the pair."""
    demo_plan(root)
    plan_before = tree_digest(root / "plans/demo")
    assert rotation(root, "report", "plans/demo").returncode == 0
    after = tree_digest(root / "plans/demo")
    assert {k: v for k, v in after.items() if not k.startswith("report.")} == plan_before
    assert {"report.html", "report.xlsx"} <= set(after)


def test_a_killed_apply_leaves_the_old_next_cycle_or_the_new_one(root: Path):
    demo_plan(root)
    args = ("apply", SCENARIO, "plans/demo", "-o", "next")
    assert rotation(root, *args).returncode in (0, 1)
    plan_before = tree_digest(root / "plans/demo")
    sweep(root, root / "next", args, whole_apply, (0.3, 1.0, 2.5), tree_digest)
    assert tree_digest(root / "plans/demo") == plan_before


@pytest.mark.slow
def test_a_plan_killed_at_many_moments_is_never_partial(root: Path):
    assert rotation(root, "plan", SCENARIO, "-o", "plans/demo").returncode == 0
    started = time.perf_counter()
    sweep(root, root / "plans/demo", ("plan", SCENARIO, "-o", "plans/demo"), whole_plan,
          DELAYS_SLOW, tree_digest)
    assert time.perf_counter() - started < 1200
