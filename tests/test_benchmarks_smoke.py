"""CI smoke test of the benchmark suite: the demo preset with the fast peers (< 30 s).

The real benchmark runs (district … national) are long and are not tests: run them with
`python -m benchmarks run --preset NAME` (see benchmarks/RESULTS.md).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmarks/ is not installed

from benchmarks.runner import run_preset


def test_demo_benchmark_table(tmp_path: Path) -> None:
    results = tmp_path / "RESULTS.md"
    # the limit bounds the whole run (candidates included): generous for a shared machine
    run = run_preset("demo", "ours,greedy,bound", time_limit_s=60, results_path=results,
                     command="python -m benchmarks run --preset demo --peers ours,greedy,bound "
                             "--time-limit 60", echo=False, out=tmp_path / "out")
    ours = run.results["ours"]
    assert "error" not in ours, ours.get("traceback", ours.get("error"))
    assert ours["hard_violations"] == 0
    assert ours["status"] == "optimal"
    for peer in ("greedy", "lp", "mcf"):
        assert "error" not in run.results[peer], run.results[peer].get("traceback")
    # the relaxations bound our optimum from below; the greedy plan is no better
    assert run.results["lp"]["bound"] <= ours["objective"] + 1e-6
    assert run.results["mcf"]["bound"] <= ours["objective"] + 1e-6
    assert run.results["greedy"]["objective"] >= ours["objective"] - 1e-6
    text = results.read_text(encoding="utf-8")
    assert "<!-- begin demo -->" in text and "<!-- end demo -->" in text
    rows = [line for line in text.splitlines() if line.startswith("| ")]
    labels = [row.split("|")[1].strip() for row in rows[1:]]
    assert labels[:4] == ["ours (column generation, OR-Tools)", "greedy (spreadsheet)",
                          "bound: LP relaxation", "bound: min-cost flow"]
    # re-running one preset keeps the other sections
    results.write_text(text + "\n<!-- begin district -->\nkept\n<!-- end district -->\n",
                       encoding="utf-8")
    from benchmarks.results import update_section

    update_section("demo", "replaced\n", results)
    updated = results.read_text(encoding="utf-8")
    assert "kept" in updated and "replaced" in updated and "ours (column" not in updated


def test_a_benchmark_roster_left_by_another_generator_is_made_afresh(tmp_path: Path) -> None:
    from benchmarks.instances import prepare

    first = prepare("district", 1, out=tmp_path)
    assert first.generated_s is not None
    cadres = (first.roster / "cadres.csv").read_bytes()
    again = prepare("district", 1, out=tmp_path)
    assert again.generated_s is None  # same generator: the roster is reused
    # a roster an older generator wrote (its stamp differs, its rows too) is not reused
    (first.folder / "roster.stamp").write_text("district seed 1 generator old\n",
                                               encoding="utf-8")
    (first.roster / "cadres.csv").write_text("stale\n", encoding="utf-8")
    fresh = prepare("district", 1, out=tmp_path)
    assert fresh.generated_s is not None
    assert (fresh.roster / "cadres.csv").read_bytes() == cadres
