"""Output guards: no command deletes or overwrites an input, the current folder or a folder
that is not its own earlier output; refusals exit 2 and leave every file as it was."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import copy_repo_inputs, tree_digest

from planner import atomic, outputs
from planner.cli import main


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the repository's scenarios/ and rules/, and the current folder there."""
    root = copy_repo_inputs(tmp_path / "work")
    monkeypatch.chdir(root)
    return root


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.output + result.stderr


def everything(root: Path) -> dict[str, str]:
    """sha256 of every file under the tmp folder holding `root` (so `..` is covered too)."""
    return tree_digest(root.parent)


@pytest.mark.parametrize("out", ["scenarios/demo", ".", "rules", "..", "scenarios/demo/roster",
                                 "scenarios", "scenarios/demo/scenario.yaml", "rules/"])
def test_plan_refuses_to_replace_an_input_the_current_folder_or_above(workdir: Path, out: str):
    before = everything(workdir)
    code, output = run("plan", "scenarios/demo/scenario.yaml", "-o", out)
    assert code == 2, output
    assert out.rstrip("/") in output
    assert everything(workdir) == before


def test_the_refusal_names_what_would_have_been_lost(workdir: Path):
    code, output = run("plan", "scenarios/demo/scenario.yaml", "-o", "rules")
    assert code == 2
    assert "it holds inputs of this run" in output and "appointment.yaml" in output


def test_plan_refuses_a_folder_that_is_not_an_earlier_plan(workdir: Path):
    notes = workdir / "notes"
    notes.mkdir()
    (notes / "minutes.docx").write_bytes(b"board minutes")
    before = everything(workdir)
    code, output = run("plan", "scenarios/demo/scenario.yaml", "-o", "notes")
    assert code == 2 and "minutes.docx" in output and "rotation plan" in output
    assert everything(workdir) == before


def test_plan_refuses_a_file_where_its_folder_would_go(workdir: Path):
    (workdir / "out").write_text("keep me", encoding="utf-8")
    code, output = run("plan", "scenarios/demo/scenario.yaml", "-o", "out")
    assert code == 2 and "is a file" in output
    assert (workdir / "out").read_text(encoding="utf-8") == "keep me"


def test_plan_replaces_its_own_earlier_plan_folder_and_marks_it(workdir: Path):
    assert run("plan", "scenarios/demo/scenario.yaml", "-o", "plans/demo")[0] == 0
    folder = workdir / "plans" / "demo"
    assert (folder / outputs.PLAN.marker).is_file()
    (folder / "plan.yaml").write_text("stale\n", encoding="utf-8")
    assert run("plan", "scenarios/demo/scenario.yaml", "-o", "plans/demo")[0] == 0
    assert (folder / "plan.yaml").read_text(encoding="utf-8") != "stale\n"
    assert sorted(p.name for p in folder.parent.iterdir()) == ["demo"]  # no leftovers


def test_a_plan_folder_from_before_the_marker_is_still_replaced(tmp_path: Path):
    legacy = tmp_path / "plan"
    legacy.mkdir()
    for name in ("moves.csv", "unplaced.csv", "plan.yaml", "report.html"):
        (legacy / name).write_text("old\n", encoding="utf-8")
    assert outputs.check_folder(legacy, outputs.PLAN) == legacy.resolve()


def test_a_scenario_named_dot_dot_plans_into_a_safe_folder(workdir: Path):
    scenario = workdir / "scenarios" / "demo" / "scenario.yaml"
    text = scenario.read_text(encoding="utf-8")
    lines = [('name: ".."' if line.startswith("name:") else line) for line in text.splitlines()]
    scenario.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = everything(workdir)
    code, output = run("plan", "scenarios/demo/scenario.yaml", "--json")
    assert code == 0, output
    assert (workdir / "plans" / "scenario" / "plan.yaml").is_file()
    after = everything(workdir)
    assert {k: v for k, v in after.items() if k in before} == before


@pytest.mark.parametrize(("name", "expected"), [
    ("..", "scenario"), ("/etc/passwd", "etc-passwd"), ("../../x", "x"), ("demo", "demo"),
    ("Hà Nội 2025", "Hà-Nội-2025"), ("a\\b", "a-b"), ("", "scenario"), (".hidden", "hidden"),
])
def test_scenario_names_become_one_safe_path_component(name: str, expected: str):
    assert outputs.slug(name) == expected


def test_report_refuses_to_overwrite_inputs(workdir: Path):
    assert run("plan", "scenarios/demo/scenario.yaml", "-o", "plans/demo")[0] == 0
    before = everything(workdir)
    for target in ("scenarios/demo/scenario.yaml", "plans/demo/moves.csv",
                   "scenarios/demo/roster/cadres.csv", "plans/demo/plan.xlsx", "rules"):
        code, output = run("report", "plans/demo", "-o", target)
        assert code == 2, (target, output)
        assert everything(workdir) == before, target


def test_report_refuses_a_users_spreadsheet_beside_the_page(workdir: Path):
    assert run("plan", "scenarios/demo/scenario.yaml", "-o", "plans/demo")[0] == 0
    (workdir / "budget.xlsx").write_bytes(b"PK\x03\x04 a user's workbook")
    code, output = run("report", "plans/demo", "-o", "budget.html")
    assert code == 2 and "budget.xlsx" in output
    assert (workdir / "budget.xlsx").read_bytes() == b"PK\x03\x04 a user's workbook"
    assert not (workdir / "budget.html").exists()


def test_report_replaces_its_own_page_and_workbook(workdir: Path):
    assert run("plan", "scenarios/demo/scenario.yaml", "-o", "plans/demo")[0] == 0
    assert run("report", "plans/demo", "-o", "out/r.html")[0] == 0
    assert run("report", "plans/demo", "--lang", "en", "-o", "out/r.html")[0] == 0
    # the pair and the report folder's marker (the folder is swapped whole), nothing else
    assert sorted(p.name for p in (workdir / "out").iterdir()) == [
        outputs.REPORT.marker, "r.html", "r.xlsx"]


def test_schema_refuses_to_overwrite_a_file_that_is_not_a_schema(workdir: Path):
    before = everything(workdir)
    code, output = run("schema", "-o", "scenarios/demo/scenario.yaml")
    assert code == 2 and "not an earlier JSON Schema" in output
    assert everything(workdir) == before
    assert run("schema", "-o", "s.json")[0] == 0
    assert run("schema", "rules", "-o", "s.json")[0] == 0  # its own earlier output


def test_compare_csv_refuses_to_overwrite_an_input(workdir: Path):
    assert run("plan", "scenarios/demo/scenario.yaml", "-o", "plans/demo")[0] == 0
    before = everything(workdir)
    for option in ("--csv", "--diff-csv"):
        for target in ("plans/demo/moves.csv", "scenarios/demo/roster/cadres.csv"):
            code, output = run("compare", "plans/demo", "plans/demo", option, target)
            assert code == 2, (option, target, output)
    code, output = run("compare", "plans/demo", "plans/demo", "--csv", "k.csv",
                       "--diff-csv", "k.csv")
    assert code == 2
    assert everything(workdir) == before
    assert run("compare", "plans/demo", "plans/demo", "--csv", "k.csv")[0] == 0
    assert run("compare", "plans/demo", "plans/demo", "--csv", "k.csv")[0] == 0


def test_generate_refuses_a_folder_that_is_not_a_roster(workdir: Path):
    before = everything(workdir)
    for out in ("scenarios/demo", ".", "rules"):
        code, output = run("generate", "--preset", "demo", "-o", out)
        assert code == 2, (out, output)
    assert everything(workdir) == before


def test_generate_replaces_the_whole_roster_folder_never_mixing_seeds(workdir: Path):
    roster = workdir / "gen"
    assert run("generate", "--preset", "demo", "--seed", "1", "-o", "gen")[0] == 0
    (roster / "stray.csv").unlink(missing_ok=True)
    assert run("generate", "--preset", "demo", "--seed", "2", "-o", "gen")[0] == 0
    fresh = workdir / "fresh"
    assert run("generate", "--preset", "demo", "--seed", "2", "-o", "fresh")[0] == 0
    assert tree_digest(roster) == tree_digest(fresh)


def test_apply_refuses_the_scenario_folder_and_the_current_folder(workdir: Path):
    assert run("plan", "scenarios/demo/scenario.yaml", "-o", "plans/demo")[0] == 0
    before = everything(workdir)
    for out in ("scenarios/demo", ".", "..", "plans/demo", "rules"):
        code, output = run("apply", "scenarios/demo/scenario.yaml", "plans/demo", "-o", out)
        assert code == 2, (out, output)
    assert everything(workdir) == before


def test_leftovers_of_a_killed_writer_are_removed_by_the_next_run(tmp_path: Path):
    dead = _dead_pid()
    stale_dir = tmp_path / f".out{atomic.TEMP_TAG}{dead}.abc"
    stale_dir.mkdir()
    (stale_dir / "moves.csv").write_text("half", encoding="utf-8")
    stale_file = tmp_path / f".r.html{atomic.TEMP_TAG}{dead}.xyz.html"
    stale_file.write_text("half", encoding="utf-8")
    live = tmp_path / f".out{atomic.TEMP_TAG}{os.getpid()}.mine"
    live.mkdir()
    atomic.write_folder(tmp_path / "out", lambda d: (d / "a").write_text("1"))
    atomic.write_text(tmp_path / "r.html", "page")
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == sorted([live.name, "out", "r.html"])


def test_every_write_is_flushed_to_disk_before_its_rename(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch):
    """A power loss after the rename must find the new contents on disk, not an empty file:
    each temporary (a file, or every file of a staged folder) is fsynced before it is
    renamed or swapped into place."""
    events: list[tuple[str, str]] = []
    fsync, replace, exchange = atomic.fsync_path, os.replace, atomic._exchange
    monkeypatch.setattr(atomic, "fsync_path",
                        lambda path: (events.append(("fsync", str(path))), fsync(path))[1])
    monkeypatch.setattr(os, "replace", lambda a, b: (events.append(("rename", str(a))),
                                                     replace(a, b))[1])
    monkeypatch.setattr(atomic, "_exchange", lambda a, b: (events.append(("rename", str(a))),
                                                           exchange(a, b))[1])
    atomic.write_text(tmp_path / "f.txt", "x")
    atomic.write_folder(tmp_path / "out", lambda d: (d / "a.csv").write_text("1"))
    atomic.write_folder(tmp_path / "out", lambda d: (d / "a.csv").write_text("2"))
    renamed = [(i, path) for i, (what, path) in enumerate(events) if what == "rename"]
    assert len(renamed) == 3
    for index, path in renamed:
        flushed = {p for what, p in events[:index] if what == "fsync"}
        assert path in flushed, f"{path} renamed before it was flushed"
        if Path(path).is_dir() or "out" in Path(path).name:  # a staged folder: its files too
            assert any(p.startswith(path + os.sep) for p in flushed), path
    assert (tmp_path / "out" / "a.csv").read_text() == "2"


def test_written_files_have_ordinary_permissions(tmp_path: Path):
    atomic.write_text(tmp_path / "f.txt", "x")
    mode = (tmp_path / "f.txt").stat().st_mode & 0o777
    assert mode == 0o666 & ~atomic.current_umask()


def _dead_pid() -> int:
    """A process id that is not running (a child that has exited and been reaped)."""
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)
    return pid

