"""Bad-input reporting: every problem names the file, line (and column), field and the fix.

Loaders collect all problems of a file before raising, so a planner sees every mistake in one
run instead of fixing them one at a time.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with an input file, located as precisely as the format allows."""

    file: str
    line: int | None = None
    column: int | None = None
    field: str | None = None
    message: str = ""

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        what = f"{self.field}: " if self.field else ""
        return f"{where}: {what}{self.message}"


class InputError(Exception):
    """Raised with every problem found; the CLI prints them and exits with code 2."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted(set(problems), key=_problem_order)
        super().__init__("\n".join(str(p) for p in self.problems))


def _problem_order(problem: Problem) -> tuple[str, int, int, str, str]:
    return (
        problem.file,
        problem.line or 0,
        problem.column or 0,
        problem.field or "",
        problem.message,
    )


def did_you_mean(name: str, choices: Iterable[str]) -> str:
    """A ' (did you mean …?)' suffix naming the closest valid choice, or '' if none is close."""
    close = difflib.get_close_matches(str(name), sorted(set(choices)), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def unknown(what: str, name: str, choices: Iterable[str]) -> str:
    """Message for an unknown name, with the closest valid one."""
    choice_list = sorted(set(choices))
    hint = did_you_mean(name, choice_list)
    if not hint and len(choice_list) <= 12:
        hint = f" (expected one of: {', '.join(choice_list)})"
    return f"unknown {what} '{name}'{hint}"


@dataclass
class ProblemCollector:
    """Accumulates problems; `raise_if_any` raises one InputError carrying all of them."""

    problems: list[Problem] = field(default_factory=list)

    def add(
        self,
        file: str,
        line: int | None,
        field_name: str | None,
        message: str,
        column: int | None = None,
    ) -> None:
        self.problems.append(Problem(file, line, column, field_name, message))

    def extend(self, problems: Iterable[Problem]) -> None:
        self.problems.extend(problems)

    def raise_if_any(self) -> None:
        if self.problems:
            raise InputError(self.problems)


def read_input_text(path: Path, missing: str = "file not found") -> str:
    """A UTF-8 input file's text (a BOM from Excel is dropped); InputError if unreadable."""
    try:
        return path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise InputError([Problem(str(path), message=missing)]) from None
    except UnicodeDecodeError as exc:
        raise InputError([Problem(str(path), message=f"not UTF-8 text (byte {exc.start})")]) \
            from None
