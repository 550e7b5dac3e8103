"""Bad-input reporting: every problem names the file, line (and column), field and the fix.

Loaders collect all problems of a file before raising, so a planner sees every mistake in one
run instead of fixing them one at a time.
"""

from __future__ import annotations

import difflib
import os
import stat
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


#: the largest input file read (a national roster's cadres.csv is ~40 MB); past it, exit 2
MAX_INPUT_BYTES = 512 * 1024 * 1024


def unreadable(path: Path, missing: str = "file not found",
               limit: int | None = None) -> str | None:
    """Why `path` is not an input file we may read whole, or None: only regular files of
    a bounded size (a folder, FIFO, device such as /dev/zero or a dangling link is not)."""
    limit = MAX_INPUT_BYTES if limit is None else limit
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return f"{missing} (a link to a missing file)" if os.path.islink(path) else missing
    except OSError as exc:
        return f"cannot read: {exc.strerror}"
    if stat.S_ISDIR(info.st_mode):
        return "is a folder, expected a file"
    if not stat.S_ISREG(info.st_mode):
        return "is not a regular file (a pipe, device or socket): give a file"
    if info.st_size > limit:
        return (f"is too large ({_size(info.st_size)}; inputs are read whole, "
                f"at most {_size(limit)})")
    return None


def _size(count: int) -> str:
    return f"{count / 2**20:.0f} MiB" if count >= 2**20 else f"{count:,} bytes"


def read_input_bytes(path: Path, missing: str = "file not found",
                     limit: int | None = None) -> bytes:
    """A bounded input file's bytes; InputError (naming the file) if it is not one."""
    limit = MAX_INPUT_BYTES if limit is None else limit
    why = unreadable(path, missing, limit)
    if why is None:
        try:
            with path.open("rb") as handle:
                raw = handle.read(limit + 1)  # a file growing while read stays bounded
        except OSError as exc:
            why = f"cannot read: {exc.strerror}"
        else:
            if len(raw) <= limit:
                return raw
            why = f"is too large (inputs are read whole, at most {_size(limit)})"
    raise InputError([Problem(str(path), message=why)])


def read_input_text(path: Path, missing: str = "file not found") -> str:
    """A UTF-8 input file's text (a BOM from Excel is dropped); InputError if unreadable."""
    raw = read_input_bytes(path, missing)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise InputError([Problem(str(path), line, None, None,
                                  f"not UTF-8 text (byte {exc.start})")]) from None
