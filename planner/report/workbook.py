"""The report's .xlsx workbook, made to be edited and read back (`rotation check`, `plan
--from` and `compare` accept it): sheets `moves`, `unplaced`, `KPIs`, `rules`,
`assumptions` (and a hidden `lists` behind the dropdowns); headers in the report's language.

- dates are date cells (dd/mm/yyyy), rounds and ids text; the header row is frozen (with
  the cadre's id and name) and has an autofilter;
- form, round and destination post have dropdowns (data validation) of the lawful values;
- every text that starts with `=`, `+`, `-` or `@` is stored as text (never a formula).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from planner import atomic
from planner.report.data import ReportData
from planner.report.page import direction_label
from planner.report.text import text_for

FORMULA_START = ("=", "+", "-", "@")
DATE_FORMAT = "DD/MM/YYYY"


def _day(text: str) -> dt.date | str:
    return dt.date.fromisoformat(text) if text else ""


def workbook_rows(data: ReportData, lang: str) -> dict[str, list[list[Any]]]:
    """Sheet name → rows (header first); the same cells the workbook gets."""
    texts = text_for(lang)
    forms = texts["forms"]
    who = [texts["cadre"]] if data.redacted else [texts["cadre_id"], texts["name"]]

    def cadre(row: dict[str, Any]) -> list[Any]:
        return [row["cadre"]] if data.redacted else [row["cadre"], row["name"]]

    moves = [[*who, texts["form"], texts["from"], texts["from_title"], texts["to"],
              texts["to_title"], texts["to_unit"], texts["round"], texts["start"], texts["end"],
              texts["adaptation_until"], texts["direction"], texts["rules"]]]
    for m in data.moves:
        moves.append([*cadre(m), forms.get(m["form"], m["form"]), m["from"]["id"],
                      m["from"]["title"], m["to"]["id"], m["to"]["title"],
                      m["to"]["unit_name"], m["round"], _day(m["start"]), _day(m["end"]),
                      _day(m["adaptation_until"]), direction_label(m["direction"], texts),
                      ";".join(m["rules"])])
    unplaced = [[*who, texts["post"], texts["reason"], texts["rules"]]]
    for u in data.unplaced:
        unplaced.append([*cadre(u), f"{u['title']} ({u['post']})" if u["post"] else u["title"],
                         u["reason"], "; ".join(f"{r['id']} — {r['label']}" if r["label"]
                                                else r["id"] for r in u["rules"])])
    labels = texts["kpi_labels"]
    kpis: list[list[Any]] = [[texts["kpi"], texts["value"]]]
    document = data.document
    kpis.append([texts["status"], texts["statuses"].get(document.get("status"),
                                                        document.get("status"))])
    kpis += [[labels[k], data.kpis[k]] for k in ("moves", "due_cadres", "due_moved",
                                                  "due_left", "vacancies_at_start",
                                                  "vacancies_filled", "vacant_at_end",
                                                  "penalty_total")]
    kpis += [[f"{texts['form']}: {forms.get(k, k)}", v]
             for k, v in data.kpis["moves_by_form"].items()]
    kpis += [[f"{texts['direction']}: {direction_label(k, texts)}", v]
             for k, v in data.kpis["moves_by_direction"].items()]
    kpis += [[f"{texts['round']}: {k}", v] for k, v in data.kpis["moves_by_round"].items()]
    kpis += [[f"{texts['penalty']}: {g['rule']} — {g['label']}", g["penalty"]]
             for g in data.penalties]
    # the objective is a solver figure, not a KPI: last, under its own heading
    kpis += [[f"{texts['appendix']}: {texts['objective']}", document.get("objective")],
             [f"{texts['appendix']}: {texts['gap']}", document.get("gap")]]
    rules = [[texts["rule"], texts["label"], texts["basis"], texts["kind"], texts["severity"],
              texts["weight"], texts["active"]]]
    rules += [[r["id"], r["label"], r["basis"], r["kind"],
               texts["severities"].get(r["severity"], r["severity"]), r["weight"],
               texts["yes"] if r["active"] else texts["no"]] for r in data.rule_table]
    assumptions = [[texts["assumption_kind"], texts["subject"], texts["change"],
                    texts["before"], texts["where"]]]
    assumptions += [[texts["assumption_kinds"].get(a["kind"], a["kind"]), a["subject"],
                     a["detail"], a["before"], a["where"]] for a in data.assumptions]
    exempt = [[*who, texts["rule"], texts["label"], texts["reason"], texts["forms_kept"]]]
    exempt += [[*cadre(e), e["rule"]["id"], e["rule"]["label"], e["reason"],
                ", ".join(forms.get(f, f) for f in e["forms"])] for e in data.exempt]
    return {"moves": moves, "unplaced": unplaced, "KPIs": kpis, "rules": rules,
            "assumptions": assumptions, "exempt": exempt}


def _set(cell: Any, value: Any) -> None:
    """A cell's value; text that Excel would take for a formula stays text."""
    cell.value = value
    if isinstance(value, str) and value.startswith(FORMULA_START):
        cell.data_type = "s"
        cell.quotePrefix = True
    elif isinstance(value, dt.date):
        cell.number_format = DATE_FORMAT


def write_workbook(data: ReportData, lang: str, path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    texts = text_for(lang)
    workbook = Workbook()
    workbook.remove(workbook.active)
    bold = Font(bold=True)
    for name, rows in workbook_rows(data, lang).items():
        sheet = workbook.create_sheet(name)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                _set(sheet.cell(row=r, column=c), value)
        for cell in sheet[1]:
            cell.font = bold
        width = len(rows[0])
        sheet.freeze_panes = "C2" if name == "moves" and not data.redacted else "A2"
        sheet.auto_filter.ref = f"A1:{get_column_letter(width)}{max(2, len(rows))}"
        for column in sheet.columns:
            longest = max(len(str(c.value or "")) for c in column)
            sheet.column_dimensions[column[0].column_letter].width = min(60, max(10, longest + 2))
    # dropdowns: lists on a hidden sheet (a list typed into the rule is capped at 255 chars)
    lists = workbook.create_sheet("lists")
    lists.sheet_state = "hidden"
    values = {"A": list(texts["forms"].values()), "B": list(data.rounds),
              "C": [p[0] for p in data.posts]}
    for column, items in values.items():
        for index, item in enumerate(items, start=1):
            _set(lists[f"{column}{index}"], item)
    moves = workbook["moves"]
    header = [c.value for c in moves[1]]
    last = max(1000, moves.max_row + 200)  # room for the rows a planner adds
    for title, column, items in ((texts["form"], "A", values["A"]),
                                 (texts["round"], "B", values["B"]),
                                 (texts["to"], "C", values["C"])):
        if title not in header or not items:
            continue
        letter = get_column_letter(header.index(title) + 1)
        rule = DataValidation(type="list", formula1=f"=lists!${column}$1:${column}$"
                              f"{len(items)}", allow_blank=True)
        rule.error = texts["dropdown_error"]
        rule.errorTitle = title
        rule.showErrorMessage = True
        moves.add_data_validation(rule)
        rule.add(f"{letter}2:{letter}{last}")
    atomic.write_file(path, lambda temp: workbook.save(temp))
