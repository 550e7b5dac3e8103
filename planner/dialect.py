"""What planners' spreadsheets look like, read back into codes: CSV saved by Excel (UTF-8
BOM, `;` or `,`), `.xlsx` workbooks, Vietnamese or English headers and labels, `dd/mm/yyyy`.

One reader for every tabular input a planner edits (moves files, the report's workbook, HR
roster exports): `read_table` gives the header and rows with the file, sheet and line each
came from; `canonical_header` maps header names to the columns a model knows (through
aliases, without case or diacritics); `code_for` turns a label ("Điều động", "Nữ", "Có")
into its code; `parse_date` reads ISO and day-first dates.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from planner.errors import InputError, Problem, read_input_text
from planner.i18n.catalog import ALIASES, VOCABULARY


def fold(text: Any) -> str:
    """Text compared loosely: no case, no diacritics (đ → d), spaces/_/- collapsed."""
    decomposed = unicodedata.normalize("NFD", str(text).strip().casefold())
    bare = "".join(c for c in decomposed if unicodedata.category(c) != "Mn").replace("đ", "d")
    return re.sub(r"[\s_\-]+", " ", bare).strip()


def _code_table(kind: str, langs: tuple[str, ...]) -> dict[str, str]:
    table: dict[str, str] = {}
    for lang in langs:
        for code, text in VOCABULARY[lang].get(kind, {}).items():
            table.setdefault(fold(text), code)
    for code, spellings in ALIASES.get(kind, {}).items():
        for spelling in spellings:
            table.setdefault(fold(spelling), code)
    return table


_CODES: dict[tuple[str, tuple[str, ...]], dict[str, str]] = {}


def code_for(kind: str, text: str, langs: tuple[str, ...] = ("vi", "en")) -> str | None:
    """The code a label stands for ('Điều động' → 'transfer'), or None if it is none.

    Codes, the labels of `langs` and the aliases of the catalogue are understood."""
    key = (kind, langs)
    if key not in _CODES:
        _CODES[key] = _code_table(kind, langs)
    if text.strip() in _CODES[key].values():
        return text.strip()  # a code, exactly as the contract writes it
    return _CODES[key].get(fold(text))


_DAY_FIRST = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?$")


def parse_date(text: str) -> dt.date:
    """A date written 2024-01-31, 31/01/2024, 31-01-2024 or 31.01.2024; ValueError else."""
    value = text.strip()
    if match := _ISO.match(value):
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    if match := _DAY_FIRST.match(value):
        return dt.date(int(match[3]), int(match[2]), int(match[1]))
    raise ValueError(f"'{text}' is not a date (write 2024-01-31 or 31/01/2024)")


def normal_date(text: str) -> str:
    """ISO text for a date in any accepted spelling; the text unchanged if it is not one."""
    try:
        return parse_date(text).isoformat() if text.strip() else text
    except ValueError:
        return text


# ------------------------------------------------------------------------------ tables


@dataclass
class Table:
    """A header and its rows, with where they came from (`file` names the sheet too)."""

    file: str
    header_line: int
    header: list[str]
    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    sheet: str | None = None


def cell_text(value: Any) -> str:
    """A workbook cell as text: dates ISO, whole floats without '.0', booleans true/false."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def sniff_delimiter(header_line: str) -> str:
    """`;` (Excel in a Vietnamese or European locale), tab or `,`, by the header's count."""
    counts = {d: header_line.count(d) for d in (";", "\t", ",")}
    best = max(counts, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


def read_csv_table(path: Path, missing: str = "file not found") -> Table:
    """A CSV file (UTF-8 with or without BOM; `,`, `;` or tab) as a Table."""
    text = read_input_text(path, missing)
    first = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(first),
                        strict=True)
    table = Table(str(path), 1, [])
    record_start = 1
    try:
        for record in reader:
            if not table.header:
                table.header = [cell.strip() for cell in record]
                table.header_line = record_start
            elif any(cell.strip() for cell in record):
                table.rows.append((record_start, record))
            record_start = reader.line_num + 1
    except csv.Error as exc:
        raise InputError([Problem(str(path), record_start, None, None,
                                  f"malformed CSV: {exc}")]) from None
    if not table.header:
        raise InputError([Problem(str(path), 1, None, None, "empty file: a header row is needed")])
    return table


def read_workbook_tables(path: Path) -> list[Table]:
    """Every sheet of an .xlsx workbook as a Table (values, not formulas), in order."""
    try:
        from openpyxl import load_workbook

        workbook = load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError:
        raise InputError([Problem(str(path), message="workbook not found")]) from None
    except Exception as exc:  # openpyxl raises zipfile/KeyError/etc. for damaged files
        raise InputError([Problem(str(path), message=f"not a readable .xlsx workbook: {exc}")]) \
            from None
    tables = []
    try:
        for name in workbook.sheetnames:
            table = Table(f"{path}[{name}]", 1, [], sheet=name)
            for line, values in enumerate(workbook[name].iter_rows(values_only=True), start=1):
                cells = [cell_text(v) for v in values]
                if not table.header:
                    header = [c.strip() for c in cells]
                    while header and not header[-1]:
                        header.pop()
                    if header:
                        table.header, table.header_line = header, line
                    continue
                if any(c.strip() for c in cells):
                    table.rows.append((line, cells[: len(table.header)]))
            tables.append(table)
    finally:
        workbook.close()
    return tables


def canonical_header(header: Sequence[str], aliases: Mapping[str, Iterable[str]]
                     ) -> list[str | None]:
    """Each header name as the column it stands for (None: not a known column)."""
    lookup: dict[str, str] = {}
    for column, names in aliases.items():
        lookup.setdefault(fold(column), column)
        for name in names:
            lookup.setdefault(fold(name), column)
    return [lookup.get(fold(name)) for name in header]


# ------------------------------------------------------------------------------ moves


#: every column of a moves file (as `rotation plan` writes it, and as the report's workbook
#: labels it in Vietnamese and English); DERIVED ones are shown to people and never read
MOVE_HEADERS: dict[str, tuple[str, ...]] = {
    "cadre": ("Mã cán bộ", "Cadre id", "Cán bộ", "Cadre", "ma cb", "cadre_id"),
    "form": ("Hình thức", "Form"),
    "from_position": ("Từ vị trí", "From post", "Mã vị trí cũ", "from"),
    "to_position": ("Đến vị trí", "To post", "Mã vị trí mới", "to"),
    "round": ("Đợt", "Round"),
    "start": ("Ngày bắt đầu", "Start"),
    "end": ("Ngày kết thúc", "End", "Ngày trở về"),
    "adaptation_until": ("Thích ứng đến", "Adapting until"),
    "rules": ("Căn cứ quy tắc", "Rules"),
    "note": ("Ghi chú", "Note"),
    "name": ("Họ và tên", "Name", "Họ tên"),
    "from_title": ("Chức danh cũ", "Former title", "from title"),
    "from_unit": ("Đơn vị cũ", "Former unit"),
    "to_title": ("Chức danh mới", "New title", "to title"),
    "to_unit": ("Đơn vị mới", "New unit"),
    "direction": ("Hướng", "Direction"),
}
#: shown beside the ids for people; recomputed from the roster and the round, never read
DERIVED_MOVE_COLUMNS = ("start", "adaptation_until", "name", "from_title", "from_unit",
                        "to_title", "to_unit", "direction")
MOVE_SHEETS = ("moves", "điều chuyển", "danh sách điều chuyển", "luân chuyển")


@dataclass
class MoveRows:
    """A moves file's rows as {column: text} with canonical columns and form codes."""

    file: str
    header_line: int
    header: list[str]
    columns: list[str | None]
    rows: list[tuple[int, dict[str, str]]]
    sheet: str | None = None
    #: lines with more cells than the header has columns, and their cell count
    too_wide: dict[int, int] = field(default_factory=dict)


def read_move_rows(path: Path, missing: str = "moves file not found") -> MoveRows:
    """A moves file — CSV, or the moves sheet of an .xlsx — with labels turned into codes."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        tables = read_workbook_tables(path)
        table = _moves_sheet(path, tables)
    else:
        table = read_csv_table(path, missing)
    columns = canonical_header(table.header, MOVE_HEADERS)
    rows = []
    too_wide = {line: len(cells) for line, cells in table.rows
                if len(cells) > len(table.header) and any(c.strip() for c in
                                                          cells[len(table.header):])}
    for line, cells in table.rows:
        row: dict[str, str] = {}
        for column, cell in zip(columns, cells, strict=False):
            if column is not None and column not in row:
                row[column] = unicodedata.normalize("NFC", cell.strip())
        if row.get("form"):
            row["form"] = code_for("form", row["form"]) or row["form"]
        for name in ("end", "start", "adaptation_until"):
            if row.get(name):
                row[name] = normal_date(row[name])
        rows.append((line, row))
    return MoveRows(table.file, table.header_line, table.header, columns, rows, table.sheet,
                    too_wide)


def _moves_sheet(path: Path, tables: list[Table]) -> Table:
    by_name = {fold(t.sheet or ""): t for t in tables}
    for name in MOVE_SHEETS:
        if fold(name) in by_name:
            return by_name[fold(name)]
    for table in tables:  # else the first sheet that has the required columns
        columns = set(canonical_header(table.header, MOVE_HEADERS))
        if {"cadre", "to_position", "round"} <= columns:
            return table
    raise InputError([Problem(str(path), message="no sheet of moves in this workbook (a sheet "
                              f"'moves' or 'Điều chuyển'; sheets: "
                              f"{', '.join(t.sheet or '' for t in tables)})")])
