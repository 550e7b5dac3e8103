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
from planner.dialect import cell_text
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

# What HR systems and planners call the tables and columns (matched without case or
# diacritics); a `columns.yaml` mapping file beside the roster adds an export's own names.
SHEET_ALIASES: dict[str, tuple[str, ...]] = {
    "localities": ("địa bàn", "địa phương", "đơn vị hành chính"),
    "units": ("đơn vị", "cơ quan", "cơ quan đơn vị"),
    "positions": ("vị trí", "chức danh", "vị trí việc làm"),
    "cadres": ("cán bộ", "danh sách cán bộ", "nhân sự", "hồ sơ cán bộ"),
    "relations": ("quan hệ gia đình", "quan hệ", "người thân"),
    "history": ("quá trình công tác", "lịch sử công tác"),
}
COLUMN_ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    "localities": {"id": ("mã", "mã địa bàn"), "name": ("tên", "tên địa bàn"),
                   "level": ("cấp",), "kind": ("loại",), "parent": ("trực thuộc", "cấp trên"),
                   "valid_from": ("hiệu lực từ",), "valid_to": ("hiệu lực đến",),
                   "successor": ("sáp nhập vào", "đơn vị kế thừa")},
    "units": {"id": ("mã", "mã đơn vị"), "name": ("tên", "tên đơn vị"),
              "locality": ("địa bàn", "mã địa bàn"), "bloc": ("khối",), "kind": ("loại",),
              "sector": ("lĩnh vực", "ngành")},
    "positions": {"id": ("mã", "mã vị trí"), "unit": ("đơn vị", "mã đơn vị"),
                  "title": ("chức danh", "tên vị trí"), "role": ("vai trò", "loại chức vụ"),
                  "grade": ("bậc", "hạng"), "key": ("chủ chốt", "vị trí chủ chốt"),
                  "listed_sector": ("lĩnh vực chuyển đổi", "danh mục chuyển đổi"),
                  "profession": ("chuyên môn",), "skills": ("kỹ năng", "yêu cầu kỹ năng")},
    "cadres": {"id": ("mã", "mã cán bộ", "số hiệu"), "name": ("họ và tên", "họ tên", "tên"),
               "gender": ("giới tính",), "birth_date": ("ngày sinh",),
               "hometown": ("quê quán",), "position": ("vị trí", "mã vị trí", "chức vụ"),
               "position_start": ("ngày bổ nhiệm", "ngày giữ chức vụ", "giữ chức vụ từ"),
               "profession": ("chuyên môn", "chuyên ngành"), "skills": ("kỹ năng",),
               "pool": ("quy hoạch",), "status": ("tình trạng", "trạng thái"),
               "status_until": ("tình trạng đến", "trạng thái đến"),
               "child_birth_date": ("ngày sinh con",),
               "volunteer": ("tự nguyện", "tình nguyện", "xin luân chuyển"),
               "sole_carer": ("một mình nuôi con", "trực tiếp nuôi con")},
    "relations": {"a": ("cán bộ 1", "mã cán bộ 1"), "b": ("cán bộ 2", "mã cán bộ 2"),
                  "relation": ("quan hệ",)},
    "history": {"cadre": ("cán bộ", "mã cán bộ"), "position": ("vị trí", "mã vị trí"),
                "start": ("từ ngày", "bắt đầu"), "end": ("đến ngày", "kết thúc"),
                "form": ("hình thức",)},
}
# columns whose values may be written as labels ("Nữ", "Có", "Trưởng phòng") or dd/mm/yyyy
VALUE_KINDS: dict[str, str] = {"gender": "gender", "key": "bool", "volunteer": "bool",
                               "sole_carer": "bool",
                               "role": "role", "level": "level", "bloc": "bloc",
                               "status": "status", "relation": "relation"}
DATE_COLUMNS = frozenset({"birth_date", "position_start", "status_until", "child_birth_date",
                          "valid_from", "valid_to", "start", "end"})


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
    """Load a roster from a folder of CSV files or an .xlsx workbook; all problems at once.

    Vietnamese sheet and column names, labels (Nam/Nữ, Có/Không, roles) and dd/mm/yyyy dates
    are read as the contract's; sheets that are no table are ignored; a `columns.yaml` in
    the folder (or `<workbook>.columns.yaml` beside it) maps an HR export's own names.
    """
    mapping = _read_mapping(path)
    if path.suffix.lower() == ".xlsx":
        raw = dict(_read_workbook(path, mapping))
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
        tables[name] = _parse_rows(name, model, file, header_line, header, rows, problems, origins,
                                   mapping.get(name, {}).get("columns", {}))
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
            elif "".join(record).strip():  # some cell is not blank (one join, not a scan)
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


def _table_of_sheet(sheet_name: str, mapping: dict[str, Any]) -> str | None:
    from planner.dialect import fold

    for table, spec in mapping.items():
        if spec.get("sheet") and fold(spec["sheet"]) == fold(sheet_name):
            return table
    for table in TABLES:
        if fold(sheet_name) in {fold(table), *(fold(a) for a in SHEET_ALIASES[table])}:
            return table
    return None


def _read_mapping(path: Path) -> dict[str, Any]:
    """The column-mapping file of a roster, if any: {table: {sheet?, columns: {field: name}}}.

        cadres:
          sheet: DS_CanBo            # the workbook's sheet for this table
          columns: {id: MaNV, name: HoTen, birth_date: NgaySinh, position: MaViTri}
    """
    from planner.yamlio import read_yaml

    mapping_path = path / "columns.yaml" if path.is_dir() else \
        path.with_name(path.stem + ".columns.yaml")
    if not mapping_path.exists():
        return {}
    data, locate = read_yaml(mapping_path)
    problems = ProblemCollector()
    if not isinstance(data, dict):
        raise InputError([Problem(str(mapping_path), 1, 1, None,
                                  "a column mapping must be a mapping of table names")])
    for table, spec in data.items():
        line, _column = locate([table])
        if table not in TABLES:
            problems.add(str(mapping_path), line, str(table),
                         f"unknown table '{table}'{did_you_mean(str(table), TABLES)}")
            continue
        if not isinstance(spec, dict) or set(spec) - {"sheet", "columns"}:
            problems.add(str(mapping_path), line, str(table),
                         "expected `sheet:` and/or `columns: {field: name in the export}`")
            continue
        fields = TABLES[table][0].model_fields
        for field_name in (spec.get("columns") or {}):
            if field_name not in fields:
                f_line, _col = locate([table, "columns", field_name])
                problems.add(str(mapping_path), f_line, f"{table}.{field_name}",
                             f"unknown column '{field_name}'"
                             + did_you_mean(str(field_name), list(fields)))
    problems.raise_if_any()
    return {table: {"sheet": spec.get("sheet"), "columns": dict(spec.get("columns") or {})}
            for table, spec in data.items()}


def _read_workbook(path: Path, mapping: dict[str, Any] | None = None
                   ) -> Iterator[tuple[str, RawTable]]:
    mapping = mapping or {}
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
        chosen: dict[str, str] = {}
        for sheet_name in workbook.sheetnames:
            table = _table_of_sheet(sheet_name, mapping)
            if table is not None and table not in chosen:
                chosen[table] = sheet_name
            elif table is None and did_you_mean(sheet_name, known):
                # close to a table's name: a typo, not an extra sheet
                raise InputError([Problem(str(path), message=f"unknown sheet '{sheet_name}'"
                                          + did_you_mean(sheet_name, known))])
            # any other sheet (notes, a pivot, an HR system's cover page) is not a table
        for name in TABLES:
            if name not in chosen:
                continue
            sheet_name = chosen[name]
            sheet = workbook[sheet_name]
            header: list[str] = []
            header_line = 1
            rows: list[tuple[int, list[str]]] = []
            for line, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                cells = [cell_text(v) for v in values]
                if not header:
                    header = [c.strip() for c in cells]
                    while header and not header[-1]:
                        header.pop()
                    header_line = line
                    continue
                if any(c.strip() for c in cells):
                    rows.append((line, cells[: len(header)]))
            yield name, (f"{path}[{sheet_name}]", header_line, header, rows)
    finally:
        workbook.close()


def _parse_rows(
    name: str,
    model: type[BaseModel],
    file: str,
    header_line: int,
    header: list[str],
    rows: list[tuple[int, list[str]]],
    problems: ProblemCollector,
    origins: dict[tuple[str, int], Origin],
    mapped: dict[str, str] | None = None,
) -> list[BaseModel]:
    from planner.dialect import canonical_header

    columns = list(model.model_fields)
    required = [c for c, info in model.model_fields.items() if info.is_required()]
    aliases = {c: (*COLUMN_ALIASES.get(name, {}).get(c, ()),
                   *([mapped[c]] if mapped and c in mapped else ())) for c in columns}
    # a header that is a field's name is that field, whatever the aliases say
    fields = [h if h in columns else canonical for h, canonical in
              zip(header, canonical_header(header, aliases), strict=True)]
    written = {f: h for f, h in zip(fields, header, strict=True) if f}
    header_ok = True
    seen: set[str] = set()
    for column, field_name in zip(header, fields, strict=True):
        key = field_name or column
        if key in seen:
            problems.add(file, header_line, column, "column appears twice in the header")
            header_ok = False
        seen.add(key)
        if field_name is None:
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
    # Labels and dates repeat down a column (a few hundred distinct values in 15,000 rows):
    # convert each distinct (column, cell) once; the conversion is a pure function of both.
    converted: dict[tuple[str, str], str] = {}
    plain = [not (f in VALUE_KINDS or f in DATE_COLUMNS) for f in fields]
    for line, cells in rows:
        if len(cells) > len(header):
            problems.add(
                file, line, None, f"{len(cells)} cells but the header has {len(header)} columns"
            )
            continue
        # NFC: the same Vietnamese name typed on two systems (NFD from macOS, NFC elsewhere)
        # must compare equal, or ids and names would silently fail to match.
        values: dict[str, str] = {}
        for name_of, cell, is_plain in zip(fields, cells, plain, strict=False):
            if not name_of:
                continue
            if is_plain:
                values[name_of] = _nfc(cell)
                continue
            seen_value = converted.get((name_of, cell))
            if seen_value is None:
                seen_value = converted[(name_of, cell)] = _value(name_of, _nfc(cell))
            values[name_of] = seen_value
        try:
            record = model.model_validate(values)
        except ValidationError as exc:
            for error in exc.errors():
                field_name = str(error["loc"][0]) if error["loc"] else None
                shown = field_name
                if field_name and written.get(field_name, field_name) != field_name:
                    shown = f"{field_name} ({written[field_name]})"
                problems.add(file, line, shown, _message(error, values.get(field_name or "")))
            continue
        origins[(name, len(records))] = Origin(file, line)
        records.append(record)
    return records


def _value(column: str, cell: str) -> str:
    """A cell as the model reads it: Vietnamese labels to codes, day-first dates to ISO."""
    from planner.dialect import code_for, normal_date

    text = cell.strip()
    if column in VALUE_KINDS and text:
        # codes and Vietnamese labels only: an English word ("government") stays an error
        return code_for(VALUE_KINDS[column], text, ("vi",)) or cell
    if column in DATE_COLUMNS and text:
        return normal_date(text)
    return cell


def _message(error: Any, got: Any) -> str:
    """A validation error in planners' words (never pydantic's own phrasing)."""
    kind = error["type"]
    value = "" if got is None else str(got)
    if kind == "missing":
        return "required value is empty"
    if kind == "literal_error":
        expected = str(error.get("ctx", {}).get("expected", ""))
        return f"'{value}' is not one of {expected}"
    if kind in ("date_parsing", "date_from_datetime_parsing", "date_from_datetime_inexact",
                "date_type"):
        detail = str(error["msg"]).partition(", ")[2]
        return (f"'{value}' is not a valid date ({detail + '; ' if detail else ''}"
                "write 2024-01-31 or 31/01/2024)")
    if kind in ("int_parsing", "int_from_float", "int_type"):
        return f"'{value}' is not a valid integer (a whole number)"
    if kind in ("bool_parsing", "bool_type"):
        return f"'{value}' is not a valid boolean (true/false, Có/Không)"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        limit = next(iter(error.get("ctx", {}).values()), "")
        word = {"greater_than_equal": "at least", "less_than_equal": "at most",
                "greater_than": "more than", "less_than": "less than"}[kind]
        return f"'{value}' must be {word} {limit}"
    if kind == "string_too_short":
        return "required value is empty"
    message = str(error["msg"]).removeprefix("Value error, ")
    return f"{message} (got '{value}')" if value else message


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
                names = lookalike_letters(value)
                if names:
                    origin = roster.origin(table, index)
                    found.append(f"{origin.file}:{origin.line}: {column}: '{value}' holds "
                                 f"letters that look Latin but are not ({names})")
    return found


def lookalike_letters(value: str) -> str:
    """The letters of `value` that only look Latin, named ('\\u0421 CYRILLIC CAPITAL LETTER
    ES'), or '' if it has none."""
    if value.isascii():  # nearly every id: no letter to name
        return ""
    odd = [c for c in value if ord(c) > 127
           and unicodedata.name(c, "").startswith(_LOOKALIKE_SCRIPTS)]
    return ", ".join(f"\\u{ord(c):04X} {unicodedata.name(c)}" for c in dict.fromkeys(odd))


def scenario_lookalike_warnings(entries: Iterable[Any]) -> list[str]:
    """The same warning for the ids a scenario's YAML names (pins, forbids: Located entries
    with file and line): a look-alike id there matches nothing the planner types."""
    found = []
    for entry in entries:
        for column in ("cadre", "to", "round"):
            value = getattr(entry.value, column, None)
            names = lookalike_letters(value) if isinstance(value, str) else ""
            if names:
                found.append(f"{entry.file}:{entry.line}: {column}: '{value}' holds letters "
                             f"that look Latin but are not ({names})")
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
