"""`rotation sweep`: variants as tasks on a real Dask cluster (a scheduler and two workers
started with the `dask` command line on 127.0.0.1), a worker killed mid-run, failing
variants, grid files, and the same bytes on any number of workers and in a serial run."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REPO, tree_digest

from planner.cli import main
from planner.errors import InputError
from planner.sweep import folder_name, read_grid

DEMO = REPO / "scenarios" / "demo" / "scenario.yaml"
DASK = Path(sys.executable).parent / "dask"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def dask_cluster() -> Iterator[dict[str, object]]:
    """`dask scheduler` and two `dask worker`s (with their nannies) as subprocesses."""
    from distributed import Client

    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    processes = [subprocess.Popen([str(DASK), "scheduler", "--host", "127.0.0.1", "--port",
                                   str(port), "--no-dashboard"], **quiet)]  # type: ignore
    processes += [subprocess.Popen([str(DASK), "worker", address, "--nthreads", "1",
                                    "--nworkers", "1", "--host", "127.0.0.1",
                                    "--no-dashboard"], cwd="/", **quiet)  # type: ignore
                  for _ in range(2)]
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                client = Client(address, timeout="5s")
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
        client.wait_for_workers(2, timeout=90)
        yield {"address": address, "client": client}
        client.close()
    finally:
        for process in processes[::-1]:
            process.terminate()
        for process in processes[::-1]:
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)


@pytest.fixture
def variants(tmp_path: Path) -> list[Path]:
    """Two small variants of the demo and one that cannot load (a cadre who does not
    exist leaves)."""
    short = tmp_path / "period-56.yaml"
    short.write_text(f"extends: {DEMO}\nset: {{position-change-period: {{max_months: 56}}}}\n",
                     encoding="utf-8")
    cheap = tmp_path / "vacancy-5.yaml"
    cheap.write_text(f"extends: {DEMO}\nweights: {{vacancy: 5}}\n", encoding="utf-8")
    broken = tmp_path / "broken.yaml"
    broken.write_text(f"extends: {DEMO}\nroster:\n  cadres: {{leave: [C999]}}\n",
                      encoding="utf-8")
    return [short, cheap, broken]


def sweep_args(variants: list[Path], out: Path, *extra: str) -> list[str]:
    args = ["sweep", str(DEMO), "-o", str(out), *extra]
    for path in variants:
        args += ["--variant", str(path)]
    return args


def plan_files(folder: Path) -> dict[str, str]:
    """Every file's digest but the plan folders' markers (they name the scenario relative
    to where the folder is)."""
    return {name: digest for name, digest in tree_digest(folder).items()
            if not name.endswith(".rotation-plan")}


def test_a_sweep_survives_a_killed_worker_and_matches_a_local_cluster_and_a_serial_run(
        dask_cluster: dict[str, object], variants: list[Path], tmp_path: Path) -> None:
    from distributed import Client

    address = str(dask_cluster["address"])
    client: Client = dask_cluster["client"]  # type: ignore[assignment]
    remote = tmp_path / "remote"
    command = [sys.executable, "-m", "planner", *sweep_args(variants, remote, "--scheduler",
                                                               address)]
    sweep = subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    killed = None
    deadline = time.monotonic() + 120
    while killed is None and sweep.poll() is None and time.monotonic() < deadline:
        busy = [worker for worker, keys in client.processing().items()
                if any(str(key).startswith("rotation-") for key in keys)]
        if busy:
            killed = client.run(os.getpid, workers=[busy[0]])[busy[0]]
            os.kill(killed, signal.SIGKILL)  # the worker process; its nanny restarts it
        time.sleep(0.05)
    stdout, stderr = sweep.communicate(timeout=300)
    assert killed is not None, "no worker was busy planning: nothing was killed"
    assert sweep.returncode == 1, stderr  # the broken variant fails, the others are planned
    assert "FAILED broken" in stdout and "unknown cadre 'C999'" in stdout

    local = tmp_path / "local"
    serial = tmp_path / "serial"
    runner = CliRunner()
    for out, workers in ((local, "2"), (serial, "0")):
        previous = Path.cwd()
        os.chdir(tmp_path)  # the same folder as the remote run: provenance paths agree
        try:
            result = runner.invoke(main, sweep_args(variants, out, "--workers", workers))
        finally:
            os.chdir(previous)
        assert result.exit_code == 1, result.output
    expected = plan_files(serial)
    assert sorted(p.name for p in serial.iterdir()) == [
        ".rotation-sweep", "base", "comparison.csv", "comparison.html", "diff.csv", "period-56",
        "sweep.yaml", "vacancy-5"]
    assert plan_files(remote) == expected
    assert plan_files(local) == expected
    assert "broken" in (serial / "sweep.yaml").read_text(encoding="utf-8")


def test_each_variant_folder_is_the_plan_rotation_plan_writes(variants: list[Path],
                                                              tmp_path: Path) -> None:
    runner = CliRunner()
    previous = Path.cwd()
    os.chdir(tmp_path)
    try:
        swept = runner.invoke(main, sweep_args(variants[:1], tmp_path / "s", "--workers", "0"))
        planned = runner.invoke(main, ["plan", str(variants[0]), "-o", str(tmp_path / "p")])
    finally:
        os.chdir(previous)
    assert swept.exit_code == 0, swept.output
    assert planned.exit_code == 0, planned.output
    assert plan_files(tmp_path / "s" / "period-56") == plan_files(tmp_path / "p")
    kpis = (tmp_path / "s" / "comparison.csv").read_text(encoding="utf-8").splitlines()
    assert kpis[0] == "kpi,base,period-56"
    assert (tmp_path / "s" / "comparison.html").read_text(encoding="utf-8").startswith(
        "<!doctype html>")


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_a_grid_crosses_its_axes_into_variants_with_stable_names(tmp_path: Path) -> None:
    grid = write(tmp_path / "grid.yaml", """\
axes:
  - set: position-change-period.max_months
    name: period
    values: [48, 60]
  - weight: vacancy
    values: [10, 40]
  - rule: freeze-kl-128
    values: [on, off]
  - name: style
    options:
      - {name: calm, weights: {disruption: 5}}
      - {name: bold, set: {secondment-max-36: {max_months: 24}}, disable: [skill-demand]}
""")
    variants = read_grid(grid, DEMO)
    assert len(variants) == 16
    assert variants[0].name == "period=48+vacancy=10+freeze-kl-128=on+style=calm"
    assert variants[-1].name == "period=60+vacancy=40+freeze-kl-128=off+style=bold"
    assert [c.as_dict() for c in variants[-1].changes] == [
        {"set": {"position-change-period": {"max_months": 60}}}, {"weights": {"vacancy": 40}},
        {"disable": "freeze-kl-128"}, {"set": {"secondment-max-36": {"max_months": 24}}},
        {"disable": "skill-demand"}]
    assert [v.name for v in read_grid(grid, DEMO)] == [v.name for v in variants]
    assert folder_name("Phường Xuân La / 2025") == "Phuong-Xuan-La-2025"


def test_a_grid_changes_the_plan_as_the_same_overlay_would(tmp_path: Path) -> None:
    """A grid variant planned in memory gives the moves of the overlay file it stands for."""
    grid = write(tmp_path / "grid.yaml",
                 "axes:\n  - {set: position-change-period.max_months, values: [56]}\n")
    overlay = write(tmp_path / "period-56.yaml",
                    f"extends: {DEMO}\nset: {{position-change-period: {{max_months: 56}}}}\n")
    runner = CliRunner()
    from_grid = runner.invoke(main, ["sweep", str(DEMO), "--grid", str(grid), "-o",
                                     str(tmp_path / "g"), "--workers", "0"])
    from_file = runner.invoke(main, ["sweep", str(DEMO), "--variant", str(overlay), "-o",
                                     str(tmp_path / "f"), "--workers", "0"])
    assert from_grid.exit_code == 0 and from_file.exit_code == 0, from_grid.output
    grid_moves = tmp_path / "g" / "position-change-period.max_months=56" / "moves.csv"
    assert grid_moves.read_bytes() == (tmp_path / "f" / "period-56" / "moves.csv").read_bytes()
    assert grid_moves.read_bytes() != (tmp_path / "f" / "base" / "moves.csv").read_bytes()
    plan_yaml = grid_moves.with_name("plan.yaml").read_text(encoding="utf-8")
    assert "variant:" in plan_yaml and "grid.yaml" in plan_yaml


@pytest.mark.parametrize(("text", "expected"), [
    ("axes:\n  - {set: position-change-period.max_month, values: [56]}\n",
     "grid.yaml:2: set.position-change-period.max_month: unknown field 'max_month' "
     "(did you mean 'max_months'?)"),
    ("axes:\n  - {set: position-change-priod.max_months, values: [56]}\n",
     "grid.yaml:2: set.position-change-priod: unknown rule id 'position-change-priod' "
     "(did you mean 'position-change-period'?)"),
    ("axes:\n  - {weight: vacancy, values: [10]}\n  - {weight: vacncy, values: [5]}\n",
     "grid.yaml:3: weight: unknown weight 'vacncy' (did you mean 'vacancy'?)"),
    ("axes:\n  - {weight: vacancy, values: [-1]}\n",
     "grid.yaml:2: weights.vacancy: Input should be greater than or equal to 0 (got -1)"),
    ("axes:\n  - {rule: freeze-kl-128, values: [maybe]}\n",
     "grid.yaml:2: axes.0.values.0: a rule axis takes on or off (got 'maybe')"),
    ("axes:\n  - {set: position-change-period.max_months, valuse: [48]}\n",
     "grid.yaml:2:46: axes.0.valuse: unknown field 'valuse' (did you mean 'values'?)"),
    ("axes:\n  - {set: position-change-period.max_months}\n",
     "grid.yaml:2:5: axes.0: an axis with set needs values: [...]"),
    ("axes:\n  - {weight: vacancy, values: [10, 10]}\n",
     "grid.yaml:2: axes.0: value '10' appears twice on axis 'vacancy'"),
])
def test_a_bad_grid_is_reported_at_its_line_with_exit_2(tmp_path: Path, text: str,
                                                        expected: str) -> None:
    write(tmp_path / "grid.yaml", text)
    previous = Path.cwd()
    os.chdir(tmp_path)
    try:
        result = CliRunner().invoke(main, ["sweep", str(DEMO), "--grid", "grid.yaml",
                                           "-o", "out", "--workers", "0"])
    finally:
        os.chdir(previous)
    assert result.exit_code == 2, result.output
    assert expected in result.output, result.output
    assert not (tmp_path / "out").exists()


def test_sweep_needs_variants_or_a_grid_and_an_address_that_answers(tmp_path: Path) -> None:
    runner = CliRunner()
    neither = runner.invoke(main, ["sweep", str(DEMO), "-o", str(tmp_path / "o")])
    assert neither.exit_code == 2 and "give variant files" in neither.output
    grid = write(tmp_path / "grid.yaml", "axes:\n  - {weight: vacancy, values: [10]}\n")
    nobody = runner.invoke(main, ["sweep", str(DEMO), "--grid", str(grid), "-o",
                                  str(tmp_path / "o"), "--scheduler",
                                  f"tcp://127.0.0.1:{free_port()}"])
    assert nobody.exit_code == 2, nobody.output
    assert "no Dask scheduler answers" in nobody.output
    assert not (tmp_path / "o").exists()


def test_a_grid_that_is_not_a_mapping_is_bad_input(tmp_path: Path) -> None:
    grid = write(tmp_path / "grid.yaml", "- 1\n")
    with pytest.raises(InputError, match="a grid must be a YAML mapping"):
        read_grid(grid, DEMO)


def test_a_sweep_never_writes_over_its_inputs(variants: list[Path], tmp_path: Path) -> None:
    before = tree_digest(tmp_path)
    result = CliRunner().invoke(main, sweep_args(variants[:1], tmp_path, "--workers", "0"))
    assert result.exit_code == 2, result.output
    assert "refusing to replace or overwrite it" in result.output
    assert tree_digest(tmp_path) == before


def test_a_task_planned_under_the_clients_rule_set_writes_what_loading_the_rules_would(
        tmp_path: Path) -> None:
    """The client ships each variant's rule set (parsed once, to validate) with its task;
    the plan is the one the task gets when it reads the rule files itself."""
    from dataclasses import replace

    from planner.sweep import Task, plan_task, validate_variants

    grid = write(tmp_path / "grid.yaml", "axes:\n  - {rule: rotation-two-terms-other-heads, "
                                         "values: [on]}\n")
    variant = read_grid(grid, DEMO)[0]
    rulesets = validate_variants(DEMO, [variant]).rulesets
    for name, changes in (("base", ()), (variant.name, variant.changes)):
        task = Task(name, str(DEMO), changes, str(tmp_path), name, rulesets[name])
        shipped, loaded = plan_task(task), plan_task(replace(task, ruleset=None))
        assert shipped.status == "optimal", shipped.error
        assert shipped.files == loaded.files
    assert shipped.summary["moves"] == 14  # the variant: one more head is due than the base


def test_a_grid_named_relative_to_the_clients_folder_is_found_by_a_worker_elsewhere(
        tmp_path: Path) -> None:
    """A worker may run in another folder (a `dask worker` started anywhere): the grid
    file the plan records is looked up in the client's folder, and the plan is the same."""
    from planner.sweep import Task, plan_task

    client = tmp_path / "client"
    client.mkdir()
    write(client / "grid.yaml", "axes:\n  - {weight: skill_fit, values: [10]}\n")
    previous = Path.cwd()
    os.chdir(client)
    try:
        variant = read_grid(Path("grid.yaml"), DEMO)[0]
        task = Task(variant.name, str(DEMO), variant.changes, str(client), variant.source)
        here = plan_task(task)
        os.chdir(tmp_path)  # the worker's folder: no grid.yaml here
        elsewhere = plan_task(task)
    finally:
        os.chdir(previous)
    assert here.status == "optimal", here.error
    assert elsewhere.files == here.files
    assert "client/grid.yaml" in here.files["plan.yaml"]


def test_bad_input_while_the_local_cluster_starts_is_exit_2_and_the_cluster_is_closed(
        tmp_path: Path) -> None:
    """The in-process cluster starts before the variants are validated; a bad variant
    still stops the sweep with its message, writes nothing and leaves no cluster behind."""
    import threading

    grid = write(tmp_path / "grid.yaml", "axes:\n  - {weight: vacncy, values: [5]}\n")
    result = CliRunner().invoke(main, ["sweep", str(DEMO), "--grid", str(grid), "-o",
                                       str(tmp_path / "out"), "--workers", "1"])
    assert result.exit_code == 2, result.output
    assert "unknown weight 'vacncy' (did you mean 'vacancy'?)" in result.output
    assert not (tmp_path / "out").exists()
    assert not [t for t in threading.enumerate() if t.name == "rotation-local-cluster"]
