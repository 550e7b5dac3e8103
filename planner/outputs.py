"""Output guards: what a command may replace, decided in one place for every command.

A command never deletes or overwrites
- an input: any file the scenario, its rules or its roster were read from (or the plan,
  for report and compare), nor a folder holding one;
- the current directory or a folder above it;
- a folder that is not an earlier output of the same command. Folders a command writes
  carry a marker file (`.rotation-plan`, `.rotation-apply`, `.rotation-roster`); a folder
  without one is replaced only if it is empty or holds nothing but the files that command
  writes (outputs of versions before the marker);
- a file that is not an earlier output of the same kind (a JSON Schema for `schema -o`,
  a KPI table for `compare --csv` …), nor a folder where a file should go.

A refusal is an InputError (exit 2) naming the path and what would have been lost.
Writing itself (temporary folder, fsync, rename) is `planner.atomic`.
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from planner import atomic
from planner.errors import InputError, Problem


@dataclass(frozen=True)
class FolderKind:
    """The folders one command writes: its marker and the entries it puts there."""

    command: str
    marker: str
    entries: frozenset[str]

    def marker_text(self) -> str:
        return f"written by `{self.command}`; this folder may be replaced by its next run\n"


PLAN = FolderKind("rotation plan", ".rotation-plan",
                  frozenset({"moves.csv", "unplaced.csv", "plan.yaml", "report.html",
                             "report.xlsx"}))
APPLY = FolderKind("rotation apply", ".rotation-apply", frozenset({"scenario.yaml", "roster"}))
# a folder of reports: any number of page + workbook pairs (their names are the user's)
REPORT = FolderKind("rotation report", ".rotation-report", frozenset())
ROSTER = FolderKind("rotation generate", ".rotation-roster",
                    frozenset({"localities.csv", "units.csv", "positions.csv", "cadres.csv",
                               "relations.csv", "history.csv"}))


def refuse(path: Path, option: str, why: str) -> InputError:
    return InputError([Problem(str(path), None, None, option,
                               f"refusing to replace or overwrite it: {why}")])


def _resolved(paths: Iterable[Path]) -> set[Path]:
    out = set()
    for path in paths:
        try:
            out.add(Path(os.path.realpath(path)))
        except OSError:
            continue
    return out


def _common_checks(shown: Path, target: Path, option: str, inputs: set[Path]) -> None:
    cwd = Path.cwd().resolve()
    if target == cwd or target in cwd.parents:
        raise refuse(shown, option, "it is the current directory or a folder above it "
                     "(everything in it would be replaced)")
    if target in inputs:
        raise refuse(shown, option, "it is an input of this run")
    held = sorted(p for p in inputs if target in p.parents)
    if held:
        names = ", ".join(str(p.relative_to(target)) for p in held[:5])
        more = f" and {len(held) - 5} more" if len(held) > 5 else ""
        raise refuse(shown, option, f"it holds inputs of this run ({names}{more})")


def check_folder(out_dir: Path, kind: FolderKind, inputs: Iterable[Path] = (),
                 option: str = "-o") -> Path:
    """The resolved folder, if `kind`'s command may replace it; InputError otherwise."""
    target = Path(os.path.realpath(out_dir))
    _common_checks(out_dir, target, option, _resolved(inputs))
    if target.exists() or target.is_symlink():
        if not target.is_dir():
            raise refuse(out_dir, option, "it is a file, not a folder (it would be lost)")
        names = sorted(p.name for p in target.iterdir())
        if kind.marker not in names:
            extra = [n for n in names if n not in kind.entries]
            if extra:
                shown = ", ".join(extra[:5]) + (f" and {len(extra) - 5} more"
                                                if len(extra) > 5 else "")
                raise refuse(out_dir, option, f"it is not an earlier output of `{kind.command}` "
                             f"(it holds {shown}, which would be lost); choose a new or empty "
                             "folder")
    return target


def write_folder(out_dir: Path, kind: FolderKind, fill: Callable[[Path], object],
                 inputs: Iterable[Path] = (), option: str = "-o",
                 marker_extra: str = "") -> Path:
    """Check `out_dir`, then let `fill` populate a new folder (with the marker) swapped in."""
    target = check_folder(out_dir, kind, inputs, option)

    def fill_marked(staging: Path) -> None:
        fill(staging)
        (staging / kind.marker).write_text(kind.marker_text() + marker_extra,
                                           encoding="utf-8")

    atomic.write_folder(target, fill_marked)
    return target


def pair_folder(folder: Path) -> Path | None:
    """The resolved folder of a report's page and workbook if it may be swapped whole, so
    the two change together: a new or empty folder, a plan folder, a folder of reports (its
    marker, or nothing but report pages and workbooks). None for a folder of the user's own
    files or the current directory (swapping it would move what others have open)."""
    target = Path(os.path.realpath(folder))
    cwd = Path.cwd().resolve()
    if target == cwd or target in cwd.parents:
        return None
    if not target.exists():
        return target
    if not target.is_dir() or target.is_symlink():
        return None
    names = [p.name for p in target.iterdir() if not atomic.is_temporary(p.name)]
    if PLAN.marker in names or REPORT.marker in names:
        return target
    if all((target / n).is_file() and not (target / n).is_symlink()
           and (_safely(is_report_page, target / n) or _safely(is_workbook, target / n))
           for n in names):
        return target
    return None


# ----------------------------------------------------------------------------- files

Recognizer = Callable[[Path], bool]


def check_file(path: Path, inputs: Iterable[Path] = (), earlier: Recognizer | None = None,
               what: str = "output", option: str = "-o") -> Path:
    """The resolved file, if it may be (over)written; InputError otherwise.

    `earlier` recognises an earlier output of the same kind: an existing file it does not
    recognise is refused.
    """
    target = Path(os.path.realpath(path))
    _common_checks(path, target, option, _resolved(inputs))
    if target.is_dir():
        raise refuse(path, option, "it is a folder, not a file")
    if target.exists():
        if not target.is_file():
            raise refuse(path, option, "it is not a regular file")
        if earlier is not None and not _safely(earlier, target):
            raise refuse(path, option, f"it exists and is not an earlier {what} (it would "
                         "be overwritten); choose another file name or remove it yourself")
    return target


def _safely(recognise: Recognizer, path: Path) -> bool:
    try:
        return recognise(path)
    except (OSError, ValueError, zipfile.BadZipFile):
        return False


def _head(path: Path, size: int = 65536) -> str:
    with path.open("rb") as handle:
        return handle.read(size).decode("utf-8", errors="replace")


def is_json_schema(path: Path) -> bool:
    if path.stat().st_size > 16 * 1024 * 1024:
        return False
    data = json.loads(path.read_text(encoding="utf-8"))
    return isinstance(data, dict) and "$schema" in data


def csv_with_header(first_cells: tuple[str, ...]) -> Recognizer:
    """Recognise a CSV file whose header starts with these cells."""
    def recognise(path: Path) -> bool:
        header = _head(path, 4096).lstrip("\ufeff").splitlines()
        cells = tuple(header[0].split(",")) if header else ()
        return path.stat().st_size == 0 or cells[:len(first_cells)] == first_cells

    return recognise


def is_report_page(path: Path) -> bool:
    text = _head(path)
    return "<!doctype html>" in text.lower()[:200] and "Content-Security-Policy" in text


def is_workbook(path: Path) -> bool:
    """An .xlsx written by openpyxl (as the report's), not any spreadsheet a user keeps."""
    with zipfile.ZipFile(path) as book:
        if "xl/workbook.xml" not in book.namelist():
            return False
        core = book.read("docProps/core.xml").decode("utf-8", errors="replace") \
            if "docProps/core.xml" in book.namelist() else ""
    return "<dc:creator>openpyxl</dc:creator>" in core


# ----------------------------------------------------------------------------- names

def slug(name: str, fallback: str = "scenario") -> str:
    """A scenario name as one safe path component: `..`, `a/b`, `/etc` cannot escape."""
    text = unicodedata.normalize("NFC", name)
    text = re.sub(r"[^\w.-]+", "-", text, flags=re.UNICODE)
    text = text.strip(".-_ ")
    return text[:80] or fallback
