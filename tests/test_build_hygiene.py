"""Build hygiene (issue 11, point 8): CI sets CI=true itself, the license is an SPDX string,
and building the package prints no deprecation warning."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def test_ci_sets_ci_true_itself_before_it_runs_the_tests():
    """The suite's fixed hypothesis examples depend on CI (conftest), whoever runs CI."""
    lines = (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    exported = next(i for i, line in enumerate(lines) if line.strip() == "export CI=true")
    tests = next(i for i, line in enumerate(lines) if "pytest" in line
                 and not line.lstrip().startswith("#"))
    assert exported < tests


def test_the_license_is_an_spdx_string_with_a_setuptools_that_reads_it():
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["license"] == "MIT"  # the table form stops working in 2027
    assert "setuptools>=77" in project["build-system"]["requires"]


@pytest.mark.slow
def test_building_the_package_prints_no_deprecation_warning(tmp_path: Path):
    """`pip wheel -v` shows the build backend's own warnings (a plain install hides them);
    the table-form license printed a SetuptoolsDeprecationWarning here."""
    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, source / name)
    shutil.copytree(REPO / "planner", source / "planner",
                    ignore=shutil.ignore_patterns("__pycache__"))
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "-v", "--no-deps", "-w",
                            str(tmp_path / "wheel"), str(source)],
                           capture_output=True, text=True, timeout=900, check=False)
    assert built.returncode == 0, built.stderr[-2000:]
    output = built.stdout + built.stderr
    assert "deprecat" not in output.lower(), [line for line in output.splitlines()
                                              if "deprecat" in line.lower()][:5]
