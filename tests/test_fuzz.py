"""Fuzzing: a seeded mutator over the demo's scenario, roster, rule and moves files.

Every mutated input must end in exit 0, 1 or 2 — never a traceback — within a time bound;
exit 2 must name a file (and the line, for a problem inside the mutated file's text).
A second family of targeted mutations breaks one value each in a way the loaders must
refuse: accepting one silently (exit 0) fails the test.

The default run tries FUZZ_CASES inputs (≥ 300) through `validate` and `check` in-process;
`-m slow` tries FUZZ_CASES_SLOW more, one in PLAN_EVERY through a full `plan` (bounded by
the demo's time limit × 1.2, the planner's own promise, plus loading).
Figures: `pytest tests/test_fuzz.py -q -s` prints, per input class, inputs tried, exit codes,
crashes, unlocated exit-2 messages and hangs, and for the targeted values the silent accepts
(FUZZ_REPORT=1 also writes them to fuzz-report.json in the tmp folder).
"""

from __future__ import annotations

import json
import os
import random
import re
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import copy_repo_inputs

from planner.cli import main

FUZZ_CASES = 320
FUZZ_CASES_SLOW = 2000
CHUNKS = 8  # spread over pytest-xdist workers
SECONDS_PER_INPUT = 20.0  # generous: CI shares 2 cores; a hang is far past this
PLAN_EVERY = 40  # under -m slow: this share of the inputs is planned, not only validated
# a plan stops within its time limit × 1.2 (the demo's 60 s; a mutation cannot raise it
# past what `validate` refuses, but may drop the line: the default is 60 s too) + loading
SECONDS_PER_PLAN = 60 * 1.2 + 20
SCENARIO = "scenarios/demo/scenario.yaml"

TARGETS: dict[str, list[str]] = {
    "scenario": [SCENARIO],
    "roster": [f"scenarios/demo/roster/{t}.csv" for t in
               ("localities", "units", "positions", "cadres", "relations", "history")],
    "rules": ["rules/decree-59.yaml", "rules/qd-65.yaml", "rules/continuity.yaml",
              "rules/qd-114.yaml", "rules/plan-188.yaml", "rules/non-local.yaml"],
    "moves": ["scenarios/demo/moves/clean.csv", "scenarios/demo/moves/relatives.csv"],
}

INTERESTING = ["-1", "0", "true", "false", "null", "~", ".inf", "-.inf", ".nan", "1e308",
               "9999-12-31", "0001-01-01", "2024-02-30", "1700000000", "1_0", "0x10", "",
               "[]", "{}", "*x", "&x", "[/x]", "[bold]", "\x00", "\x1b[31m", "\u0421001",
               "\ufeff", "\u200b", "x" * 300, "C001", "P-TH-BT", "2024-Q5", "2024-13",
               "secondment", "rotation", "'", '"', ",", ";", ":", "- ", "? ", "!!python/x",
               "%YAML 1.1", "---", "...", "#", "\\", "\t", "\r", "\n", "\u00a0", "∞"]
INSERT_CHARS = ["\x00", "\x1b", "\n", "\r", '"', "'", ",", ";", ":", "[", "]", "{", "}",
                "&", "*", "\t", "\u0421", "\ufeff", "\u00a0", "#", "-", "|", ">"]


@dataclass
class Outcome:
    cls: str
    file: str
    mutation: str
    command: str
    code: int
    seconds: float
    crash: str = ""
    unlocated: str = ""


def mutate(text: str, rng: random.Random, cls: str) -> tuple[str, str]:
    """One random mutation of a file's text: (new text, description)."""
    lines = text.split("\n")
    op = rng.choice(["delete-line", "duplicate-line", "swap-lines", "truncate", "insert-char",
                     "replace-token", "replace-token", "replace-token", "invalid-utf8",
                     "structure"])
    if op == "delete-line" and len(lines) > 1:
        i = rng.randrange(len(lines))
        return "\n".join(lines[:i] + lines[i + 1:]), f"delete line {i + 1}"
    if op == "duplicate-line":
        i = rng.randrange(len(lines))
        return "\n".join(lines[:i + 1] + lines[i:]), f"duplicate line {i + 1}"
    if op == "swap-lines" and len(lines) > 2:
        i = rng.randrange(len(lines) - 1)
        lines[i], lines[i + 1] = lines[i + 1], lines[i]
        return "\n".join(lines), f"swap lines {i + 1}/{i + 2}"
    if op == "truncate":
        cut = rng.randrange(len(text) + 1)
        return text[:cut], f"truncate at {cut}"
    if op == "insert-char":
        at = rng.randrange(len(text) + 1)
        char = rng.choice(INSERT_CHARS)
        return text[:at] + char + text[at:], f"insert {char!r} at {at}"
    if op == "invalid-utf8":
        return text + "\udcff", "append an undecodable byte"
    if op == "structure":
        return _structure(text, rng, cls)
    tokens = list(re.finditer(r"[\w.@-]+", text))
    if not tokens:
        return text + rng.choice(INTERESTING), "append a value"
    token = rng.choice(tokens)
    value = rng.choice(INTERESTING)
    return (text[:token.start()] + value + text[token.end():],
            f"replace {token.group()!r} at {token.start()} by {value!r}")


def _structure(text: str, rng: random.Random, cls: str) -> tuple[str, str]:
    if cls in ("roster", "moves"):
        choice = rng.choice(["semicolons", "dup-header", "tabs", "quote"])
        if choice == "semicolons":
            return text.replace(",", ";"), "comma → semicolon delimiter"
        if choice == "tabs":
            return text.replace(",", "\t"), "comma → tab delimiter"
        if choice == "quote":
            return text.replace(",", ',"', 1), "unbalanced quote"
        header, _, rest = text.partition("\n")
        first = header.split(",")[0]
        return f"{header},{first}\n{rest}", f"duplicate header column {first!r}"
    choice = rng.choice(["alias-bomb", "deep", "self-alias", "tab-indent", "doc-end"])
    if choice == "alias-bomb":
        bomb = ["zz0: &z0 [a, a, a, a, a, a, a, a, a, a]"]
        bomb += [f"zz{i}: &z{i} [{', '.join([f'*z{i - 1}'] * 10)}]" for i in range(1, 8)]
        return text + "\n" + "\n".join(bomb) + "\n", "alias bomb"
    if choice == "deep":
        return text + "\nzz: " + "[" * 500 + "]" * 500 + "\n", "500-deep nesting"
    if choice == "self-alias":
        return text + "\nzz: &loop [*loop]\n", "self-referencing alias"
    if choice == "tab-indent":
        return text.replace("  ", "\t", 1), "tab indentation"
    return text + "\n---\nname: second\n", "second YAML document"


def command_for(cls: str, file: str, rng: random.Random, plans: bool = False) -> list[str]:
    as_json = ["--json"] if rng.random() < 0.5 else []
    if plans and rng.randrange(PLAN_EVERY) == 0:
        return ["plan", SCENARIO, "-o", "plans/fuzz", *as_json] + (
            ["--from", file] if cls == "moves" else [])
    if cls == "moves":
        return ["check", SCENARIO, file, *as_json]
    return ["validate", SCENARIO, *as_json]


def bound(outcome: Outcome) -> float:
    return SECONDS_PER_PLAN if outcome.command.startswith("plan") else SECONDS_PER_INPUT


LOCATION = re.compile(r"^\s+(\S[^:\n]*?)(?::(\d+))?(?::\d+)?: ", re.MULTILINE)
# problems about a file as a whole, which have no line to name
FILE_LEVEL = ("not UTF-8", "file not found", "not found", "is too large", "missing table",
              "expands to more than", "nests deeper", "is a folder", "not a regular file",
              "no rules", "roster must be", "unknown roster file", "empty", "no value in force",
              "mapping", "expected a YAML mapping", "is not a rule file", "scenario file",
              "required field is missing")


def run_one(root: Path, cls: str, file: str, text: str, mutation: str,
            args: list[str]) -> Outcome:
    path = root / file
    original = path.read_bytes()
    try:
        path.write_bytes(text.encode("utf-8", errors="surrogateescape"))
        started = time.perf_counter()
        result = CliRunner().invoke(main, args)
        seconds = time.perf_counter() - started
    finally:
        path.write_bytes(original)
    outcome = Outcome(cls, file, mutation, " ".join(args), result.exit_code, seconds)
    output = result.output + result.stderr
    exception = result.exception
    if exception is not None and not isinstance(exception, SystemExit):
        outcome.crash = f"{type(exception).__name__}: {exception}"[:300]
    elif "Traceback" in output or result.exit_code not in (0, 1, 2):
        outcome.crash = output[-300:]
    elif result.exit_code == 2 and not _located(output, Path(file).name):
        outcome.unlocated = output[-400:]
    return outcome


def _located(output: str, mutated: str) -> bool:
    """Exit 2 names a file for every problem, and a line for a problem in the text of the
    mutated file (unless it is about the file as a whole)."""
    if "Usage:" in output:  # click refused an argument: names it
        return True
    if output.lstrip().startswith("{") or output.lstrip().startswith("["):
        try:
            problems = json.loads(output[output.index("{") if "{" in output else 0:])
        except ValueError:
            return False
        items = problems.get("problems", []) if isinstance(problems, dict) else []
        return bool(items) and all(p.get("file") for p in items)
    found = LOCATION.findall(output)
    if not found:
        return False
    for file, line in found:
        if file.endswith(mutated) and not line:
            message_lines = [m for m in output.splitlines() if file in m]
            if not all(any(tag in m for tag in FILE_LEVEL) for m in message_lines):
                return False
    return True


def fuzz_inputs(seed: int, count: int, plans: bool = False,
                ) -> list[tuple[str, str, str, list[str]]]:
    """`count` (class, file, mutation, command) inputs from one seed, classes in turn."""
    rng = random.Random(seed)
    classes = list(TARGETS)
    cases = []
    for index in range(count):
        cls = classes[index % len(classes)]
        file = rng.choice(TARGETS[cls])
        cases.append((cls, file, str(rng.random()), command_for(cls, file, rng, plans)))
    return cases


def fuzz(root: Path, seed: int, count: int, plans: bool = False) -> list[Outcome]:
    outcomes = []
    for cls, file, salt, args in fuzz_inputs(seed, count, plans):
        rng = random.Random(f"{seed}:{salt}")
        text = (root / file).read_bytes().decode("utf-8")
        mutated, mutation = mutate(text, rng, cls)
        if rng.random() < 0.3:  # a second mutation on top
            mutated, second = mutate(mutated, rng, cls)
            mutation += "; " + second
        outcomes.append(run_one(root, cls, file, mutated, mutation, args))
    return outcomes


def summary(outcomes: list[Outcome], silent: list[Outcome] | None = None,
            ) -> dict[str, object]:
    """The figures, in all and per input class (scenario, roster, rules, moves)."""
    def figures(group: list[Outcome]) -> dict[str, object]:
        found: dict[str, object] = {
            "tried": len(group),
            "planned": sum(o.command.startswith("plan") for o in group),
            "exit_codes": dict(sorted(Counter(str(o.code) for o in group).items())),
            "crashes": sum(bool(o.crash) for o in group),
            "unlocated_exit_2": sum(bool(o.unlocated) for o in group),
            "hangs": sum(o.seconds > bound(o) for o in group),
            "slowest_s": round(max((o.seconds for o in group), default=0.0), 2),
        }
        if silent is not None:
            found["silent_accepts"] = sum(o in silent for o in group)
        return found

    return {"all": figures(outcomes),
            **{cls: figures([o for o in outcomes if o.cls == cls]) for cls in TARGETS
               if any(o.cls == cls for o in outcomes)}}


def assert_clean(outcomes: list[Outcome], tmp_path: Path,
                 silent: list[Outcome] | None = None) -> None:
    figures = summary(outcomes, silent)
    print(json.dumps(figures))
    if os.environ.get("FUZZ_REPORT"):
        # FUZZ_REPORT=DIR gathers every chunk's report there (`python tests/test_fuzz.py DIR`
        # adds them up); any other value writes into the test's tmp folder
        folder = Path(os.environ["FUZZ_REPORT"])
        folder = folder if folder.is_dir() else tmp_path
        # the tmp folder's parent names the xdist worker: one file per worker and test
        name = f"{tmp_path.parent.name}-{tmp_path.name}"
        (folder / f"fuzz-report-{name}.json").write_text(json.dumps(
            {"summary": figures, "outcomes": [o.__dict__ for o in outcomes]},
            ensure_ascii=False, indent=1), encoding="utf-8")
    bad = [o for o in outcomes if o.crash or o.unlocated or o.seconds > bound(o)]
    assert not bad, "\n\n".join(
        f"{o.cls} {o.file} [{o.mutation}] `{o.command}` exit {o.code} {o.seconds:.1f}s\n"
        f"{o.crash or o.unlocated}" for o in bad[:8])


@pytest.fixture
def fuzz_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = copy_repo_inputs(tmp_path / "work")
    monkeypatch.chdir(root)
    return root


@pytest.mark.parametrize("chunk", range(CHUNKS))
def test_mutated_inputs_never_crash_and_exit_2_names_file_and_line(fuzz_root: Path,
                                                                   tmp_path: Path,
                                                                   chunk: int):
    outcomes = fuzz(fuzz_root, seed=1000 + chunk, count=FUZZ_CASES // CHUNKS)
    assert_clean(outcomes, tmp_path)


@pytest.mark.slow
@pytest.mark.parametrize("chunk", range(CHUNKS))
def test_many_more_mutated_inputs_never_crash(fuzz_root: Path, tmp_path: Path, chunk: int):
    outcomes = fuzz(fuzz_root, seed=5000 + chunk, count=FUZZ_CASES_SLOW // CHUNKS, plans=True)
    assert_clean(outcomes, tmp_path)


# ------------------------------------------------------------ targeted: must be refused

MUST_REFUSE: list[tuple[str, str, str]] = [
    # (file, old text, new text): each makes the input wrong in a way a loader must see
    (SCENARIO, "skill_fit: 5", "skill_fit: .inf"),
    (SCENARIO, "skill_fit: 5", "skill_fit: -5"),
    (SCENARIO, "seed: 0", "seed: 3000000000"),
    (SCENARIO, "seed: 0", "seed: yes"),
    (SCENARIO, "time_limit_s: 60", "time_limit_s: 0"),
    (SCENARIO, "gap: 0.0", "gap: .nan"),
    (SCENARIO, "end: 2025-07-01", "end: 2024-01-01"),
    (SCENARIO, "end: 2025-07-01", "end: 2100-01-01"),
    (SCENARIO, "start: 2024-01-01", "start: 20240101"),
    (SCENARIO, "round: quarter", "round: week"),
    (SCENARIO, "data: roster/", "data: nowhere/"),
    (SCENARIO, "name: demo", "name: demo\nname: twice"),
    (SCENARIO, "name: demo", "nmae: demo"),
    ("rules/decree-59.yaml", "max_months: 60", "max_months: -60"),
    ("rules/decree-59.yaml", "max_months: 60", "max_months: true"),
    ("rules/decree-59.yaml", "max_months: 60", "max_months: 6.5"),
    ("rules/decree-59.yaml", "max_months: 60", "max_months: {}"),
    ("rules/decree-59.yaml", "max_months: 60", "max_month: 60"),
    ("rules/decree-59.yaml", "months_to_retirement_lt: 18", "months_to_retirement_lt: -1"),
    ("rules/continuity.yaml", "max_share_per_unit: 0.5", "max_share_per_unit: .inf"),
    ("scenarios/demo/roster/positions.csv", ",secretary,7,", ",secretary,1_0,"),
    ("scenarios/demo/roster/positions.csv", ",secretary,7,", ",secretary,99,"),
    ("scenarios/demo/roster/positions.csv", ",secretary,7,", ",secretary,true,"),
    ("scenarios/demo/roster/cadres.csv", "1968-03-12", "1700000000"),
    ("scenarios/demo/roster/cadres.csv", "1968-03-12", "9999-03-12"),
    ("scenarios/demo/roster/cadres.csv", "1968-03-12", "1968-02-30"),
    ("scenarios/demo/roster/cadres.csv", "\nC001,", "\nC0\x0001,"),
    ("scenarios/demo/roster/cadres.csv", "\nC001,", "\nC0\x1b01,"),
    ("scenarios/demo/roster/cadres.csv", "\nC002,", "\nC001,"),
    ("scenarios/demo/roster/cadres.csv", ",male,", ",mail,"),
    ("scenarios/demo/roster/cadres.csv", ",active,", ",retired,"),
    ("scenarios/demo/roster/cadres.csv", ",P-TH-BT,", ",P-NOWHERE,"),
    ("scenarios/demo/roster/units.csv", "id,", "id,id,"),
    ("scenarios/demo/moves/clean.csv", "cadre,", "cadre;"),
    ("scenarios/demo/moves/clean.csv", "cadre,form", "cadre,cadre,form"),
    # ids in YAML: escapes make control characters and line breaks
    (SCENARIO, "name: demo", 'name: demo\npin: [{cadre: "C0\\006", to: P-QA-CT}]'),
    (SCENARIO, 'title: "Quận', 'title: "\\e[2JQuận'),  # an escape that clears a terminal
    (SCENARIO, "name: demo", 'name: demo\nforbid: [{cadre: "C0\\n06"}]'),
    (SCENARIO, "name: demo", 'name: demo\ndisable: ["rotation-two-terms\\e"]'),
    ("rules/decree-59.yaml", "position.role: staff}", 'position.role: "st\\u202eaff"}'),
    ("rules/decree-59.yaml", "id: position-change-period", 'id: "position-change-period\\n"'),
]


def test_targeted_bad_values_are_all_refused_never_silently_accepted(fuzz_root: Path,
                                                                     tmp_path: Path):
    outcomes, silent = [], []
    for file, old, new in MUST_REFUSE:
        text = (fuzz_root / file).read_text(encoding="utf-8")
        assert old in text, (file, old)
        cls = next(c for c, files in TARGETS.items() if file in files) \
            if any(file in files for files in TARGETS.values()) else "roster"
        args = ["check", SCENARIO, file] if file.endswith("clean.csv") else ["validate",
                                                                             SCENARIO]
        outcome = run_one(fuzz_root, cls, file, text.replace(old, new, 1),
                          f"{old!r} → {new!r}", args)
        outcomes.append(outcome)
        if outcome.code != 2:
            silent.append(outcome)
    assert_clean(outcomes, tmp_path, silent)
    assert not silent, "\n".join(f"{o.file}: {o.mutation} exits {o.code}" for o in silent)


def _add_up(folder: Path) -> dict[str, object]:
    """Figures of every report a FUZZ_REPORT=DIR run wrote, per input class and in all."""
    outcomes = []
    for path in sorted(folder.glob("fuzz-report-*.json")):
        outcomes += [Outcome(**o) for o in json.loads(path.read_text("utf-8"))["outcomes"]]
    return summary(outcomes)


if __name__ == "__main__":
    import sys

    print(json.dumps(_add_up(Path(sys.argv[1])), indent=1))
