"""benchmarks/RESULTS.md: one section per preset (or per benchmark), updated in place.

Each section sits between `<!-- begin NAME -->` and `<!-- end NAME -->`; re-running one
preset replaces only its section, the others keep the numbers of their own run (each
section names its date, machine and command). The file is written atomically (a temporary
file in the same folder, then `os.replace`).
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import re
import subprocess
import tempfile
from importlib import metadata
from pathlib import Path

from benchmarks.instances import REPO

RESULTS = REPO / "benchmarks" / "RESULTS.md"
ORDER = ("demo", "district", "hanoi-2025", "hanoi-2023", "national", "national-provinces",
         "check-speed", "plan-speed")
HEADER = """# Benchmark results

Measured by `python -m benchmarks …` (see `benchmarks/__main__.py`); every section below is
rewritten by its own command and names the date, machine and exact command of its run. All
peers of one preset run in the same invocation, one after another, each in a fresh process
(peak memory = that process's VmHWM), on the same roster and — except the textbook CP-SAT
model — on the very same LinearModel (candidates and rows pickled by `ours`).

Columns: *build* = candidates + LinearModel (peers marked "shared" reuse ours');
*first plan*, *1% gap*, *solve* = seconds from the start of the solve phase (the model
given); *gap (own)* = against the peer's own bound; *gap vs best* = against the best bound
any peer proved for that problem in the run; *hard* = hard violations the independent
checker (`planner.checker.check_plan`) finds in the peer's plan; ratios are ours / peer for
times and peer / ours for objectives (objectives are costs, minimised; negative = net gain).
"""


def machine() -> dict[str, str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("MemTotal:"):
                ram = f"{int(line.split()[1]) / 2**20:.1f} GiB"
                break
    except OSError:
        pass
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {"nproc": str(cores), "ram": ram, "cpu": cpu,
            "python": platform.python_version(),
            "ortools": _version("ortools"), "highspy": _version("highspy"),
            "git": git_state()}


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "?"


def git_state() -> str:
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, text=True,
                              capture_output=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "planner"], cwd=REPO,
                               text=True, capture_output=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + (" + uncommitted changes in planner/" if dirty else "")


def planner_digest() -> str:
    """A short hash of every planner/*.py file: which code a run measured, dirty tree or not."""
    import hashlib

    digest = hashlib.sha256()
    for path in sorted((REPO / "planner").rglob("*.py")):
        digest.update(str(path.relative_to(REPO)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def code_note(started_digest: str) -> str:
    """A note when planner/ changed while the benchmark ran (others edit the tree too)."""
    now = planner_digest()
    if now == started_digest:
        return f"planner code {now} unchanged during the run"
    return (f"planner/ CHANGED during the run (code {started_digest} at the start, {now} at "
            "the end): processes started later measured newer code")


def machine_line() -> str:
    info = machine()
    return (f"{dt.datetime.now().strftime('%Y-%m-%d %H:%M')} · {info['nproc']} cores "
            f"({info['cpu']}), {info['ram']} RAM · Python {info['python']}, OR-Tools "
            f"{info['ortools']}, highspy {info['highspy']} · git {info['git']} · planner code "
            f"{planner_digest()}")


_SECTION = re.compile(r"<!-- begin (?P<name>[\w.-]+) -->\n(?P<body>.*?)<!-- end (?P=name) -->\n",
                      re.S)


def update_section(name: str, body: str, path: Path = RESULTS) -> None:
    """Replace (or add) one section and rewrite the file atomically."""
    sections: dict[str, str] = {}
    if path.exists():
        for match in _SECTION.finditer(path.read_text(encoding="utf-8")):
            sections[match["name"]] = match["body"]
    sections[name] = body.rstrip("\n") + "\n"
    names = [n for n in ORDER if n in sections] + sorted(n for n in sections if n not in ORDER)
    text = HEADER + "".join(f"\n<!-- begin {n} -->\n{sections[n]}<!-- end {n} -->\n"
                            for n in names)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def markdown_table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |",
             "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def text_table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h)
              for i, h in enumerate(header)]
    out = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))]
    out.append("  ".join("-" * w for w in widths))
    out += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    return "\n".join(out) + "\n"
