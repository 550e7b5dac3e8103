"""Reading and writing the roster: a folder of CSV files or one .xlsx workbook (DESIGN §2.2).

Every record remembers the file and line it came from, so cross-reference errors found later
still point at the row a planner has to fix.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from planner import atomic
from planner.errors import (
    InputError,
    Problem,
    ProblemCollector,
    did_you_mean,
    read_input_bytes,
    unreadable,
)
from planner.models import Cadre, HistoryEntry, Locality, Position, Relation, Unit
from planner.yamlio import byte_position

# table name -> (model, required?) ; order is the order files are read and reported.
TABLES: dict[str, tuple[type[BaseModel], bool]] = {
    "localities": (Locality, True),
    "units": (Unit, True),
    "positions": (Position, True),
    "cadres": (Cadre, True),
    "relations": (Relation, False),
    "history": (HistoryEntry, False),
}

# Column order when writing, one source of truth with the DESIGN contract.
COLUMNS: dict[str, tuple[str, ...]] = {
    name: tuple(model.model_fields) for name, (model, _required) in TABLES.items()
}


@dataclass(frozen=True)
class Origin:
    """Where a record was read from."""

    file: str
    line: int


@dataclass
class Roster:
    """The organisation and its people, as loaded; indices by id are built once."""

    localities: tuple[Locality, ...] = ()
    units: tuple[Unit, ...] = ()
    positions: tuple[Position, ...] = ()
    cadres: tuple[Cadre, ...] = ()
    relations: tuple[Relation, ...] = ()
    history: tuple[HistoryEntry, ...] = ()
    origins: dict[tuple[str, int], Origin] = field(default_factory=dict, repr=False)
    source: str = ""

    def __post_init__(self) -> None:
        self.locality_by_id = {loc.id: loc for loc in self.localities}
        self.unit_by_id = {unit.id: unit for unit in self.units}
        self.position_by_id = {pos.id: pos for pos in self.positions}
        self.cadre_by_id = {cadre.id: cadre for cadre in self.cadres}
        self.holder_by_position = {c.position: c.id for c in self.cadres if c.position}

    def origin(self, table: str, index: int) -> Origin:
        """The file and line of the index-th record of a table."""
        return self.origins.get((table, index), Origin(self.source or table, 0))

    def table(self, name: str) -> tuple[BaseModel, ...]:
        records: tuple[BaseModel, ...] = getattr(self, name)
        return records

    @property
    def vacant_positions(self) -> list[Position]:
        return [p for p in self.positions if p.id not in self.holder_by_position]


def load_roster(path: Path) -> Roster:
    """Load a roster from a folder of CSV files or an .xlsx workbook; all problems at once."""
    if path.suffix.lower() == ".xlsx":
        raw = dict(_read_workbook(path))
    elif path.is_dir():
        raw = dict(_read_folder(path))
    elif path.exists():
        raise InputError(
            [
                Problem(
                    str(path), message="roster must be a folder of CSV files or an .xlsx workbook"
                )
            ]
        )
    else:
        raise InputError([Problem(str(path), message="roster folder or workbook not found")])
    problems = ProblemCollector()
    tables: dict[str, list[BaseModel]] = {}
    origins: dict[tuple[str, int], Origin] = {}
    for name, (model, required) in TABLES.items():
        if name not in raw:
            if required:
                where = path / f"{name}.csv" if path.is_dir() else path
                problems.add(
                    str(where),
                    None,
                    None,
                    f"missing table '{name}'"
                    + (f" (sheet '{name}')" if path.suffix == ".xlsx" else ""),
                )
            tables[name] = []
            continue
        file, header_line, header, rows = raw[name]
        tables[name] = _parse_rows(name, model, file, header_line, header, rows, problems, origins)
    problems.raise_if_any()
    return Roster(
        localities=tuple(tables["localities"]),  # type: ignore[arg-type]
        units=tuple(tables["units"]),  # type: ignore[arg-type]
        positions=tuple(tables["positions"]),  # type: ignore[arg-type]
        cadres=tuple(tables["cadres"]),  # type: ignore[arg-type]
        relations=tuple(tables["relations"]),  # type: ignore[arg-type]
        history=tuple(tables["history"]),  # type: ignore[arg-type]
        origins=origins,
        source=str(path),
    )


RawTable = tuple[str, int, list[str], list[tuple[int, list[str]]]]


def _read_folder(folder: Path) -> Iterator[tuple[str, RawTable]]:
    known = set(TABLES)
    for csv_path in sorted(folder.glob("*.csv")):
        if csv_path.stem not in known:
            raise InputError(
                [
                    Problem(
                        str(csv_path),
                        message="unknown roster file"
                        + did_you_mean(csv_path.stem, known)
                        + f" (expected: {', '.join(f + '.csv' for f in TABLES)})",
                    )
                ]
            )
    for name in TABLES:
        csv_path = folder / f"{name}.csv"
        if csv_path.exists():
            yield name, _read_csv(csv_path)


def _read_csv(path: Path) -> RawTable:
    raw = read_input_bytes(path)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, column = byte_position(raw, exc.start)
        line_text = raw[raw.rfind(b"\n", 0, exc.start) + 1 : exc.start]
        header_cells = next(csv.reader([raw.split(b"\n", 1)[0].decode("utf-8-sig", "replace")]))
        field_name = _column_at(line_text.decode("utf-8", "replace"), header_cells, line > 1)
        raise InputError(
            [
                Problem(
                    str(path),
                    line,
                    column,
                    field_name,
                    f"not UTF-8 text (byte {exc.start} is {raw[exc.start]:#04x};"
                    " save the file as CSV UTF-8)",
                )
            ]
        ) from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[tuple[int, list[str]]] = []
    header: list[str] = []
    header_line = 1
    # A record may span lines (a quoted cell with a newline); report the line it starts on.
    record_start = 1
    try:
        for record in reader:
            if not header:
                header = [cell.strip() for cell in record]
                header_line = record_start
            elif any(cell.strip() for cell in record):
                rows.append((record_start, record))
            record_start = reader.line_num + 1
    except csv.Error as exc:
        # The usual cause is a quote opened and never closed, which swallows the rest of the
        # file: name the line and column where that record starts, not the end of the file.
        lines = text.splitlines()
        start_text = lines[record_start - 1] if record_start <= len(lines) else ""
        field_name = _column_at(start_text, header, bool(header), unclosed_quote=True)
        quoted_to_end = '"' in start_text and "end of data" in str(exc)
        raise InputError(
            [
                Problem(
                    str(path),
                    record_start,
                    None,
                    field_name,
                    f"malformed CSV: {exc}"
                    + (" (a quote opened on this line is never closed)" if quoted_to_end else ""),
                )
            ]
        ) from None
    if not header:
        raise InputError([Problem(str(path), 1, None, None, "empty file: a header row is needed")])
    return str(path), header_line, header, rows


def _column_at(
    line_text: str, header: Sequence[str], in_body: bool, unclosed_quote: bool = False
) -> str | None:
    """The header name of the cell at the end of `line_text` (or of its last opened quote).

    Used only to make an error message point at a column; quotes are tracked roughly.
    """
    if not in_body:
        return None
    index, quoted, quote_index = 0, False, None
    for char in line_text:
        if char == '"':
            quoted = not quoted
            quote_index = index if quoted else quote_index
        elif char == "," and not quoted:
            index += 1
    if unclosed_quote:
        if quote_index is None:
            return None
        index = quote_index
    return header[index] if index < len(header) else None


def _read_workbook(path: Path) -> Iterator[tuple[str, RawTable]]:
    why = unreadable(path, "workbook not found")
    if why is not None:
        raise InputError([Problem(str(path), message=why)])
    try:
        from openpyxl import load_workbook

        workbook = load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError:
        raise InputError([Problem(str(path), message="workbook not found")]) from None
    except Exception as exc:  # openpyxl raises zipfile/KeyError/etc. for damaged files
        raise InputError(
            [Problem(str(path), message=f"not a readable .xlsx workbook: {exc}")]
        ) from None
    try:
        known = set(TABLES)
        for sheet_name in workbook.sheetnames:
            if sheet_name not in known:
                raise InputError(
                    [
                        Problem(
                            str(path),
                            message=f"unknown sheet '{sheet_name}'"
                            + did_you_mean(sheet_name, known),
                        )
                    ]
                )
        for name in TABLES:
            if name not in workbook.sheetnames:
                continue
            sheet = workbook[name]
            header: list[str] = []
            header_line = 1
            rows: list[tuple[int, list[str]]] = []
            for line, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                cells = [_cell_text(v) for v in values]
                if not header:
                    header = [c.strip() for c in cells]
                    while header and not header[-1]:
                        header.pop()
                    header_line = line
                    continue
                if any(c.strip() for c in cells):
                    rows.append((line, cells[: len(header)]))
            yield name, (f"{path}[{name}]", header_line, header, rows)
    finally:
        workbook.close()


def _cell_text(value: Any) -> str:
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


def _parse_rows(
    name: str,
    model: type[BaseModel],
    file: str,
    header_line: int,
    header: list[str],
    rows: list[tuple[int, list[str]]],
    problems: ProblemCollector,
    origins: dict[tuple[str, int], Origin],
) -> list[BaseModel]:
    columns = list(model.model_fields)
    required = [c for c, info in model.model_fields.items() if info.is_required()]
    header_ok = True
    seen: set[str] = set()
    for column in header:
        if column in seen:
            problems.add(file, header_line, column, "column appears twice in the header")
            header_ok = False
        seen.add(column)
        if column not in columns:
            problems.add(
                file,
                header_line,
                column,
                f"unknown column '{column}'{did_you_mean(column, columns)}",
            )
            header_ok = False
    for column in required:
        if column not in seen:
            problems.add(file, header_line, column, "required column is missing")
            header_ok = False
    if not header_ok:
        return []
    records: list[BaseModel] = []
    for line, cells in rows:
        if len(cells) > len(header):
            problems.add(
                file, line, None, f"{len(cells)} cells but the header has {len(header)} columns"
            )
            continue
        # NFC: the same Vietnamese name typed on two systems (NFD from macOS, NFC elsewhere)
        # must compare equal, or ids and names would silently fail to match.
        values = {column: _nfc(cell) for column, cell in zip(header, cells, strict=False)}
        try:
            record = model.model_validate(values)
        except ValidationError as exc:
            for error in exc.errors():
                field_name = str(error["loc"][0]) if error["loc"] else None
                message = error["msg"].removeprefix("Value error, ")
                if error["type"] == "missing":
                    message = "required value is empty"
                elif field_name is not None:
                    message += f" (got '{values.get(field_name, '')}')"
                problems.add(file, line, field_name, message)
            continue
        origins[(name, len(records))] = Origin(file, line)
        records.append(record)
    return records


def _nfc(text: str) -> str:
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def _row_text(record: BaseModel, columns: Sequence[str]) -> list[str]:
    cells = []
    for column in columns:
        value = getattr(record, column)
        if value is None:
            cells.append("")
        elif isinstance(value, bool):
            cells.append("true" if value else "false")
        elif isinstance(value, tuple):
            cells.append(";".join(str(v) for v in value))
        elif isinstance(value, dt.date):
            cells.append(value.isoformat())
        else:
            cells.append(str(value))
    return cells


#: id columns of each table (references included): where a look-alike letter misleads
ID_COLUMNS: dict[str, tuple[str, ...]] = {
    "localities": ("id", "parent", "successor"), "units": ("id", "locality"),
    "positions": ("id", "unit"), "cadres": ("id", "position", "hometown"),
    "relations": ("a", "b"), "history": ("cadre", "position"),
}
_LOOKALIKE_SCRIPTS = ("CYRILLIC", "GREEK", "FULLWIDTH", "ARMENIAN", "CHEROKEE")


def lookalike_warnings(roster: Roster) -> list[str]:
    """`file:line: column: …` for ids holding letters that look like Latin ones (Cyrillic
    С, Greek Ο, fullwidth Ｃ): such an id never matches the one a planner types. Warnings,
    not errors: the roster is readable, only probably mistyped."""
    found = []
    for table, columns in ID_COLUMNS.items():
        for index, record in enumerate(roster.table(table)):
            for column in columns:
                value = getattr(record, column, None)
                if not isinstance(value, str):
                    continue
                odd = [c for c in value if ord(c) > 127
                       and unicodedata.name(c, "").startswith(_LOOKALIKE_SCRIPTS)]
                if odd:
                    origin = roster.origin(table, index)
                    names = ", ".join(f"\\u{ord(c):04X} {unicodedata.name(c)}"
                                      for c in dict.fromkeys(odd))
                    found.append(f"{origin.file}:{origin.line}: {column}: '{value}' holds "
                                 f"letters that look Latin but are not ({names})")
    return found


def write_atomically(path: Path, text: str) -> None:
    """Write text (UTF-8) to path via a temporary file and rename: never half-written."""
    atomic.write_text(path, text)


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """CSV text with `\\n` line endings, as every file this project writes."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def write_roster(roster: Roster, folder: Path) -> None:
    """Write a roster as a folder of CSV files (atomically per file)."""
    for name in TABLES:
        columns = COLUMNS[name]
        records = roster.table(name)
        write_atomically(
            folder / f"{name}.csv", csv_text(columns, (_row_text(r, columns) for r in records))
        )


def write_workbook(roster: Roster, path: Path) -> None:
    """Write a roster as one .xlsx workbook with a sheet per table (atomically)."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    for name in TABLES:
        sheet = workbook.create_sheet(name)
        columns = COLUMNS[name]
        sheet.append(list(columns))
        for record in roster.table(name):
            sheet.append(_row_text(record, columns))
    atomic.write_file(path, lambda temp: workbook.save(temp))
