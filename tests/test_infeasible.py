"""An impossible scenario is explained in rule terms, with a relaxation that works (issue 4).

scenarios/impossible forbids moving C006, whom the hard two-term rule makes due in 2024-Q1.
"""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from planner.cli import main

REPO = Path(__file__).resolve().parents[1]
IMPOSSIBLE = REPO / "scenarios" / "impossible" / "scenario.yaml"


def test_the_impossible_scenario_names_the_conflicting_rules_and_a_relaxation_that_works(
        tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["plan", str(IMPOSSIBLE), "-o", str(tmp_path / "plan")])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    # the conflicting rule instances: the tenure rule, the cadre, and the scenario's forbid
    assert "INFEASIBLE" in result.output and "rotation-two-terms" in result.output
    assert "C006" in result.output and "forbid" in result.output
    assert "verified: re-solved with it" in result.output
    suggestion = re.search(r"^\s+(set|disable): (.+)$", result.output, re.MULTILINE)
    assert suggestion is not None, result.output
    # paste the suggested overlay over the impossible scenario: now it plans (exit 0)
    relaxed = tmp_path / "relaxed.yaml"
    relaxed.write_text(f"extends: {IMPOSSIBLE}\n{suggestion[1]}: {suggestion[2]}\n",
                       encoding="utf-8")
    again = CliRunner().invoke(main, ["plan", str(relaxed), "-o", str(tmp_path / "relaxed")])
    assert again.exit_code == 0, again.output
    assert "0 left" in again.output
