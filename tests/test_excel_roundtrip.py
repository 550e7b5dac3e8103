"""Excel both ways: the report's workbook (and CSVs saved from it) read back by `check`,
`plan --from` and `compare`, edited the way a planner edits it.

Every test starts from the demo's hand-made compliant plan written as a plan folder and its
report workbook; edits are made with openpyxl (as Excel would save them) or by rewriting a
CSV the way Excel in a Vietnamese locale saves it (BOM, `;`, dd/mm/yyyy).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import DEMO, plan_folder_from_moves
from openpyxl import load_workbook

from planner.cli import main
from planner.report import build_report, write_report

SCENARIO = DEMO / "scenario.yaml"


def rotation(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.fixture(scope="module")
def plan_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return plan_folder_from_moves(DEMO / "moves" / "clean.csv",
                                  tmp_path_factory.mktemp("excel") / "plan", SCENARIO)


@pytest.fixture(scope="module")
def workbook_path(plan_dir: Path) -> Path:
    return write_report(build_report(plan_dir, SCENARIO), plan_dir / "report.html")


def moves_sheet_as_rows(path: Path) -> list[list[object]]:
    sheet = load_workbook(path)["moves"]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_check_accepts_the_reports_own_workbook_of_a_clean_plan(workbook_path: Path):
    result = rotation("check", str(SCENARIO), str(workbook_path))
    assert result.exit_code == 0, result.output
    assert "compliant with every hard rule" in result.output


def test_the_workbook_has_date_cells_frozen_headers_filters_and_dropdowns(workbook_path: Path):
    workbook = load_workbook(workbook_path)
    assert {"moves", "unplaced", "KPIs", "rules", "assumptions"} <= set(workbook.sheetnames)
    moves = workbook["moves"]
    header = [c.value for c in moves[1]]
    start = moves.cell(row=2, column=header.index("Ngày bắt đầu") + 1)
    assert isinstance(start.value, dt.datetime) and start.number_format == "DD/MM/YYYY"
    assert moves.freeze_panes == "C2" and moves.auto_filter.ref.startswith("A1:")
    validated = {str(rule.sqref).split(":")[0][:-1]
                 for rule in moves.data_validations.dataValidation}
    letters = {moves.cell(row=1, column=header.index(h) + 1).column_letter
               for h in ("Hình thức", "Đợt", "Đến vị trí")}
    assert letters <= validated
    rules = workbook["rules"]
    assert rules.max_row > 10 and rules.cell(row=1, column=1).value == "Quy tắc"


def test_a_planner_edits_the_workbook_and_check_reads_the_edits(workbook_path: Path,
                                                               tmp_path: Path):
    """Change a move's round (without touching the derived start) and clear a derived
    column's value: check reads the edited move, in its new round."""
    workbook = load_workbook(workbook_path)
    sheet = workbook["moves"]
    header = [c.value for c in sheet[1]]
    col = {name: header.index(name) + 1 for name in header}
    first = 2
    cadre = sheet.cell(row=first, column=col["Mã cán bộ"]).value
    old_round = sheet.cell(row=first, column=col["Đợt"]).value
    sheet.cell(row=first, column=col["Đợt"]).value = "2024-Q2" if old_round != "2024-Q2" \
        else "2024-Q3"
    sheet.cell(row=first, column=col["Họ và tên"]).value = None  # derived: may go
    edited = tmp_path / "edited.xlsx"
    workbook.save(edited)
    result = rotation("check", "--json", str(SCENARIO), str(edited))
    assert result.exit_code in (0, 1), result.output
    report = json.loads(result.output)
    assert report["moves"] == sheet.max_row - 1
    # nothing complains about the stale start date: it is derived from the round
    assert "first day of round" not in result.output
    from planner.plan import read_moves
    from planner.workspace import load_workspace

    plan = read_moves(edited, load_workspace(SCENARIO).scenario)
    moved = plan.move_by_cadre[cadre]
    assert moved.round == sheet.cell(row=first, column=col["Đợt"]).value
    assert moved.start == dt.date(2024, 4 if moved.round == "2024-Q2" else 7, 1)


def test_a_form_label_typed_in_vietnamese_is_read_as_its_code(workbook_path: Path,
                                                              tmp_path: Path):
    workbook = load_workbook(workbook_path)
    sheet = workbook["moves"]
    header = [c.value for c in sheet[1]]
    forms = [sheet.cell(row=r, column=header.index("Hình thức") + 1).value
             for r in range(2, sheet.max_row + 1)]
    assert "Điều động" in forms or "Luân chuyển" in forms  # labels, not codes
    from planner.plan import read_moves
    from planner.workspace import load_workspace

    plan = read_moves(workbook_path, load_workspace(SCENARIO).scenario)
    assert {m.form for m in plan.moves} <= {"rotation", "transfer", "secondment",
                                            "position_change", "appointment"}


def test_a_csv_saved_by_excel_in_a_vietnamese_locale_is_read(workbook_path: Path,
                                                             tmp_path: Path):
    """UTF-8 with BOM, `;` between cells, dates as dd/mm/yyyy, Vietnamese headers."""
    rows = moves_sheet_as_rows(workbook_path)

    def cell(value: object) -> str:
        if isinstance(value, dt.datetime | dt.date):
            return value.strftime("%d/%m/%Y")
        return "" if value is None else str(value)

    text = "\n".join(";".join(cell(v) for v in row) for row in rows) + "\n"
    saved = tmp_path / "moves-vi.csv"
    saved.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    result = rotation("check", str(SCENARIO), str(saved))
    assert result.exit_code == 0, result.output
    comma = tmp_path / "moves-comma.csv"
    comma.write_text(text.replace(";", ","), encoding="utf-8-sig")
    assert rotation("check", str(SCENARIO), str(comma)).exit_code == 0


def test_an_unknown_form_label_is_bad_input_naming_sheet_row_and_column(
        workbook_path: Path, tmp_path: Path):
    workbook = load_workbook(workbook_path)
    sheet = workbook["moves"]
    header = [c.value for c in sheet[1]]
    sheet.cell(row=3, column=header.index("Hình thức") + 1).value = "Điều hành"
    bad = tmp_path / "bad.xlsx"
    workbook.save(bad)
    result = rotation("check", str(SCENARIO), str(bad))
    assert result.exit_code == 2
    assert f"{bad}[moves]:3" in result.output and "form" in result.output
    assert "Traceback" not in result.output


def test_text_that_looks_like_a_formula_is_stored_as_text(plan_dir: Path, tmp_path: Path):
    from conftest import RosterFiles, copy_demo

    scenario = copy_demo(tmp_path / "demo")
    roster = RosterFiles(scenario.parent / "roster")
    cadre_id = (plan_dir / "moves.csv").read_text("utf-8").splitlines()[1].split(",")[0]
    roster.set_cell("cadres", roster.line_of("cadres", "id", cadre_id), "name",
                    "=HYPERLINK(\"http://x\")")
    xlsx = write_report(build_report(plan_dir, scenario), tmp_path / "r.html")
    sheet = load_workbook(xlsx)["moves"]
    cells = [c for row in sheet.iter_rows() for c in row
             if isinstance(c.value, str) and c.value.startswith("=")]
    assert cells and all(c.data_type == "s" for c in cells)


def test_plan_from_accepts_the_workbook_and_says_what_it_kept(workbook_path: Path,
                                                             tmp_path: Path):
    out = tmp_path / "again"
    result = rotation("plan", str(SCENARIO), "--from", str(workbook_path), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "kept" in result.output


def test_compare_reads_a_workbook_as_a_variant(plan_dir: Path, workbook_path: Path):
    from planner.compare import read_move_rows

    from_csv = read_move_rows(plan_dir / "moves.csv")
    from_xlsx = read_move_rows(workbook_path)
    assert from_csv == from_xlsx


def test_compare_takes_the_reports_workbook_and_finds_the_same_moves(plan_dir: Path,
                                                                    workbook_path: Path):
    """The scenario comes from the workbook's plan folder: no --scenario needed."""
    result = rotation("compare", str(plan_dir), str(workbook_path), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [p["label"] for p in data["plans"]] == ["plan", "plan/report.xlsx"]
    assert data["plans"][1]["status"] == "checked" and data["plans"][1]["objective"] is None
    kpis = {row["kpi"]: list(row["values"].values()) for row in data["kpis"]}
    assert kpis["moves"][0] == kpis["moves"][1] == 13
    assert data["diffs"]["plan/report.xlsx"] == []


def test_compare_takes_an_edited_csv_saved_from_the_workbook_with_names_in_the_diff(
        plan_dir: Path, workbook_path: Path, tmp_path: Path):
    """A planner moves one cadre's round and deletes another's row, saves as CSV from Excel
    (BOM, `;`, dd/mm/yyyy), and compares it with the plan, giving the scenario."""
    rows = moves_sheet_as_rows(workbook_path)
    header = [str(h) for h in rows[0]]
    cadre, name, round_ = (header.index(h) for h in ("Mã cán bộ", "Họ và tên", "Đợt"))
    moved, dropped = rows[1], rows[2]
    moved[round_] = "2025-Q2" if moved[round_] != "2025-Q2" else "2025-Q1"

    def cell(value: object) -> str:
        if isinstance(value, dt.datetime | dt.date):
            return value.strftime("%d/%m/%Y")
        return "" if value is None else str(value)

    kept = [row for row in rows if row is not dropped]
    saved = tmp_path / "edited.csv"
    saved.write_bytes(b"\xef\xbb\xbf" + ("\n".join(";".join(cell(v) for v in row)
                                                   for row in kept) + "\n").encode("utf-8"))
    result = rotation("compare", str(plan_dir), str(saved), "--scenario", str(SCENARIO),
                      "--diff-csv", str(tmp_path / "diff.csv"), "--html",
                      str(tmp_path / "compare.html"))
    assert result.exit_code == 0, result.output
    page = (tmp_path / "compare.html").read_text("utf-8")
    assert "đã kiểm tra (không giải)" in page and str(moved[name]) in page
    assert "edited: 2 moves differ from the base" in result.output
    assert f"{moved[cadre]} {moved[name]}" in result.output
    diff = (tmp_path / "diff.csv").read_text("utf-8").splitlines()
    changes = {line.split(",")[2]: line.split(",")[1] for line in diff[1:]}
    assert changes == {moved[cadre]: "changed", dropped[cadre]: "removed"}
    assert all(str(dropped[name]) in line for line in diff if line.split(",")[2] ==
               dropped[cadre])


def test_a_moves_file_with_no_scenario_to_check_it_against_is_bad_input(tmp_path: Path):
    alone = tmp_path / "alone.csv"
    alone.write_bytes((DEMO / "moves" / "clean.csv").read_bytes())
    result = rotation("compare", str(alone), str(alone))
    assert result.exit_code == 2 and "--scenario" in result.output
    assert "Traceback" not in result.output
