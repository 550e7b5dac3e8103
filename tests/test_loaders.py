"""Reading and writing rosters: CSV folders and .xlsx workbooks round-trip record for record."""

from __future__ import annotations

import csv
import datetime as dt
import tempfile
import unicodedata
from pathlib import Path

import pytest
from conftest import DEMO, RosterFiles
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.models import Cadre
from planner.roster_io import COLUMNS, TABLES, Roster, load_roster, write_roster, write_workbook
from planner.scenario import load_scenario


@pytest.fixture(scope="module")
def demo() -> Roster:
    return load_roster(DEMO / "roster")


def records(roster: Roster) -> dict[str, tuple]:
    return {name: roster.table(name) for name in TABLES}


def test_the_demo_roster_loads_with_its_hand_counted_sizes(demo: Roster):
    sizes = {name: len(rows) for name, rows in records(demo).items()}
    assert sizes == {
        "localities": 7,
        "units": 17,
        "positions": 48,
        "cadres": 44,
        "relations": 2,
        "history": 3,
    }
    # P-TH-TNMT-PP, P-TH-UB-CV, P-NT-TC and P-XL-PBT have no holder in cadres.csv.
    assert sorted(p.id for p in demo.vacant_positions) == [
        "P-NT-TC", "P-TH-TNMT-PP", "P-TH-UB-CV", "P-XL-PBT"]


def test_records_remember_the_file_and_line_they_came_from(demo: Roster):
    # Line 1 is the header, so the first cadre is on line 2 and the 44th on line 45.
    assert demo.origin("cadres", 0).line == 2
    assert demo.origin("cadres", 43).line == 45
    assert demo.origin("cadres", 43).file.endswith("cadres.csv")


def test_csv_round_trip_gives_equal_records(demo: Roster, tmp_path: Path):
    write_roster(demo, tmp_path / "copy")
    assert records(load_roster(tmp_path / "copy")) == records(demo)


def test_csv_round_trip_is_byte_stable(demo: Roster, tmp_path: Path):
    # Writing what was read and reading it again writes the same bytes: a save after a
    # no-op edit shows no diff in version control.
    write_roster(demo, tmp_path / "one")
    write_roster(load_roster(tmp_path / "one"), tmp_path / "two")
    for name in TABLES:
        assert (tmp_path / "one" / f"{name}.csv").read_bytes() == (
            tmp_path / "two" / f"{name}.csv"
        ).read_bytes()


def test_workbook_round_trip_gives_equal_records(demo: Roster, tmp_path: Path):
    workbook = tmp_path / "roster.xlsx"
    write_workbook(demo, workbook)
    loaded = load_roster(workbook)
    assert records(loaded) == records(demo)
    # Problems in a workbook point at the sheet and its row.
    assert loaded.origin("cadres", 0).file == f"{workbook}[cadres]"
    assert loaded.origin("cadres", 0).line == 2


def test_vietnamese_text_round_trips_unchanged_in_nfc(demo: Roster, tmp_path: Path):
    write_roster(demo, tmp_path / "csv")
    write_workbook(demo, tmp_path / "roster.xlsx")
    for path in (tmp_path / "csv", tmp_path / "roster.xlsx"):
        names = [c.name for c in load_roster(path).cadres]
        assert names[0] == "Nguyễn Văn Hùng"
        assert names == [c.name for c in demo.cadres]
        assert all(unicodedata.is_normalized("NFC", n) for n in names)


def test_decomposed_vietnamese_is_read_as_nfc(demo_roster: RosterFiles):
    # A file saved on macOS may hold "Hồ" as H + o + combining circumflex + combining grave;
    # the loader reads it as the composed form so names and ids compare equal.
    line = demo_roster.line_of("cadres", "id", "C001")
    demo_roster.set_cell("cadres", line, "name", unicodedata.normalize("NFD", "Nguyễn Văn Hồ"))
    cadre = load_roster(demo_roster.folder).cadre_by_id["C001"]
    assert cadre.name == "Nguyễn Văn Hồ"
    assert unicodedata.is_normalized("NFC", cadre.name)


def test_a_byte_order_mark_from_excel_is_ignored(demo_roster: RosterFiles):
    path = demo_roster.path("units")
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())  # Excel's "CSV UTF-8" adds a BOM
    assert len(load_roster(demo_roster.folder).units) == 17


def test_blank_lines_are_skipped_and_later_lines_keep_their_numbers(demo_roster: RosterFiles):
    path = demo_roster.path("localities")
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join([*lines[:3], "\n", ",,,,,,,\n", *lines[3:]]), encoding="utf-8")
    roster = load_roster(demo_roster.folder)
    assert len(roster.localities) == 7
    # TH-QA was on line 4; two blank lines now stand before it.
    index = next(i for i, loc in enumerate(roster.localities) if loc.id == "TH-QA")
    assert roster.origin("localities", index).line == 6


def test_optional_tables_may_be_left_out(demo_roster: RosterFiles):
    demo_roster.path("relations").unlink()
    demo_roster.path("history").unlink()
    roster = load_roster(demo_roster.folder)
    assert roster.relations == () and roster.history == ()
    assert len(roster.cadres) == 44


def test_columns_may_come_in_any_order(demo_roster: RosterFiles):
    rows = demo_roster.rows("units")
    demo_roster.write_rows("units", [list(reversed(row)) for row in rows])
    assert [u.id for u in load_roster(demo_roster.folder).units][:2] == ["U-TH-DU", "U-TH-UB"]


def test_optional_columns_may_be_left_out(demo_roster: RosterFiles):
    # A minimal cadres.csv with only the required columns plus position and its start.
    keep = ["id", "name", "gender", "birth_date", "position", "position_start"]
    rows = demo_roster.rows("cadres")
    indices = [rows[0].index(column) for column in keep]
    demo_roster.write_rows("cadres", [[row[i] for i in indices] for row in rows])
    cadre = load_roster(demo_roster.folder).cadre_by_id["C002"]
    assert (cadre.status, cadre.pool, cadre.volunteer) == ("active", (), False)


def test_list_and_flag_cells_are_parsed(demo: Roster):
    c004 = demo.cadre_by_id["C004"]
    assert c004.skills == ("urban_management", "planning")
    assert [str(p) for p in c004.pool] == ["chair@district"]
    assert demo.position_by_id["P-TH-BT"].key is True
    assert demo.position_by_id["P-TH-BT"].grade == 7


def test_write_roster_uses_the_contract_column_order(demo: Roster, tmp_path: Path):
    write_roster(demo, tmp_path)
    with (tmp_path / "cadres.csv").open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    assert tuple(header) == COLUMNS["cadres"]
    assert header[:4] == ["id", "name", "gender", "birth_date"]
    # Every file is written via a temporary file and a rename: none may be left behind.
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"{t}.csv" for t in TABLES)


def test_a_workbook_scenario_validates_like_the_csv_one(demo_scenario: Path, demo: Roster):
    write_workbook(demo, demo_scenario.parent / "roster.xlsx")
    text = demo_scenario.read_text(encoding="utf-8").replace("data: roster/", "data: roster.xlsx")
    demo_scenario.write_text(text, encoding="utf-8")
    scenario = load_scenario(demo_scenario)
    assert len(scenario.roster.cadres) == 44 and len(scenario.roster.vacant_positions) == 4


# Letters of Vietnamese (composed), plus the characters a CSV writer must quote.
VIETNAMESE = (
    "aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ"
)
NAME_CHARS = VIETNAMESE + VIETNAMESE.upper() + ' ,"-;'


@settings(max_examples=30, deadline=None)
@given(
    st.text(alphabet=NAME_CHARS, min_size=1, max_size=40).filter(
        lambda s: s.strip() and unicodedata.is_normalized("NFC", s)
    )
)
def test_any_vietnamese_name_round_trips_through_csv(name: str):
    # Names are stripped on load (str_strip_whitespace), so compare with the stripped form.
    cadre = Cadre(
        id="C1", name=name, gender="female", birth_date=dt.date(1980, 1, 1), skills=("a", "b")
    )
    with tempfile.TemporaryDirectory() as folder:
        write_roster(Roster(cadres=(cadre,)), Path(folder))
        (loaded,) = load_roster(Path(folder)).cadres
    assert loaded == cadre.model_copy(update={"name": name.strip()})


# ------------------------------------------------------------------ HR exports (issue 14)

VI_SHEETS = {"localities": "Địa bàn", "units": "Đơn vị", "positions": "Vị trí",
             "cadres": "Cán bộ", "relations": "Quan hệ gia đình", "history": "Quá trình công tác"}
VI_CADRE_HEADERS = {"id": "Mã cán bộ", "name": "Họ và tên", "gender": "Giới tính",
                    "birth_date": "Ngày sinh", "position": "Vị trí",
                    "position_start": "Ngày bổ nhiệm", "volunteer": "Tự nguyện"}


def hr_export(demo: Roster, path: Path, headers: dict[str, str] | None = None,
              sheets: dict[str, str] | None = None) -> Path:
    """The demo roster as an HR system would export it: Vietnamese sheet and column names,
    Nam/Nữ, Có/Không, dd/mm/yyyy, and a cover sheet that is no table."""
    from openpyxl import Workbook

    headers = VI_CADRE_HEADERS if headers is None else headers
    workbook = Workbook()
    workbook.active.title = "Thông tin chung"
    workbook.active.append(["Xuất từ phần mềm quản lý cán bộ", "01/12/2026"])
    for table in TABLES:
        sheet = workbook.create_sheet((sheets or VI_SHEETS)[table])
        columns = COLUMNS[table]
        sheet.append([headers.get(c, c) if table == "cadres" else c for c in columns])
        for record in demo.table(table):
            row = []
            for column in columns:
                value = getattr(record, column)
                if column == "gender":
                    value = {"male": "Nam", "female": "Nữ"}[value]
                elif isinstance(value, bool):
                    value = "Có" if value else "Không"
                elif isinstance(value, dt.date):
                    value = value.strftime("%d/%m/%Y")
                elif isinstance(value, tuple):
                    value = ";".join(str(v) for v in value)
                row.append("" if value is None else value)
            sheet.append(row)
    workbook.save(path)
    return path


def test_an_hr_export_with_vietnamese_names_labels_and_dates_loads_as_the_demo(
        demo: Roster, tmp_path: Path):
    loaded = load_roster(hr_export(demo, tmp_path / "hr.xlsx"))
    assert records(loaded) == records(demo)
    assert loaded.origin("cadres", 0).file.endswith("[Cán bộ]")


def test_a_column_mapping_file_maps_another_exports_names(demo: Roster, tmp_path: Path):
    headers = {"id": "MaNV", "name": "HoTen", "birth_date": "NgaySinh", "gender": "GT"}
    path = hr_export(demo, tmp_path / "other.xlsx", headers,
                     {**VI_SHEETS, "cadres": "DS_NhanVien"})
    (tmp_path / "other.columns.yaml").write_text(
        "cadres:\n  sheet: DS_NhanVien\n  columns: {id: MaNV, name: HoTen, birth_date: "
        "NgaySinh, gender: GT}\n", encoding="utf-8")
    assert records(load_roster(path)) == records(demo)


def test_a_mapping_to_an_unknown_column_names_the_mapping_file_and_line(demo: Roster,
                                                                        tmp_path: Path):
    from planner.errors import InputError

    path = hr_export(demo, tmp_path / "x.xlsx")
    (tmp_path / "x.columns.yaml").write_text("cadres:\n  columns: {birthday: NgaySinh}\n",
                                             encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_roster(path)
    (problem,) = caught.value.problems
    assert problem.file.endswith("x.columns.yaml") and problem.line == 2
    assert "unknown column 'birthday'" in problem.message and "birth_date" in problem.message


def test_a_bad_value_in_an_export_names_file_sheet_row_and_column_in_plain_words(
        demo: Roster, tmp_path: Path):
    from openpyxl import load_workbook

    from planner.errors import InputError

    path = hr_export(demo, tmp_path / "bad.xlsx")
    workbook = load_workbook(path)
    workbook["Cán bộ"].cell(row=3, column=3).value = "Khác"  # Giới tính
    workbook["Cán bộ"].cell(row=4, column=4).value = "31/13/1980"  # Ngày sinh
    workbook.save(path)
    with pytest.raises(InputError) as caught:
        load_roster(path)
    problems = {(p.file, p.line, p.field): p.message for p in caught.value.problems}
    sheet = f"{path}[Cán bộ]"
    assert problems[(sheet, 3, "gender (Giới tính)")] == \
        "'Khác' is not one of 'male' or 'female'"
    assert "is not a valid date" in problems[(sheet, 4, "birth_date (Ngày sinh)")]
    assert not any("Input should" in m for m in problems.values())  # no pydantic phrasing


def test_a_sheet_named_almost_like_a_table_is_a_typo_not_an_extra_sheet(demo: Roster,
                                                                         tmp_path: Path):
    from planner.errors import InputError

    path = hr_export(demo, tmp_path / "typo.xlsx", sheets={**VI_SHEETS, "cadres": "cadre"})
    with pytest.raises(InputError, match="unknown sheet 'cadre'"):
        load_roster(path)
