"""The report's .xlsx workbook: sheets `moves`, `unplaced` and `KPIs`, headers in the report's
language (Vietnamese by default), written atomically."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from planner import atomic
from planner.report.data import ReportData
from planner.report.page import direction_label
from planner.report.text import text_for


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
                      m["to"]["unit_name"], m["round"], m["start"], m["end"],
                      m["adaptation_until"], direction_label(m["direction"], texts),
                      "; ".join(m["rules"])])
    unplaced = [[*who, texts["post"], texts["reason"], texts["rules"]]]
    for u in data.unplaced:
        unplaced.append([*cadre(u), f"{u['title']} ({u['post']})" if u["post"] else "",
                         u["reason"], "; ".join(f"{r['id']} — {r['label']}" if r["label"]
                                                else r["id"] for r in u["rules"])])
    labels = texts["kpi_labels"]
    kpis: list[list[Any]] = [[texts["kpi"], texts["value"]]]
    document = data.document
    kpis.append([texts["status"], texts["statuses"].get(document.get("status"),
                                                        document.get("status"))])
    kpis += [[texts["objective"], document.get("objective")], [texts["gap"],
                                                               document.get("gap")]]
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
    return {"moves": moves, "unplaced": unplaced, "KPIs": kpis}


def write_workbook(data: ReportData, lang: str, path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    bold = Font(bold=True)
    for name, rows in workbook_rows(data, lang).items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
        for cell in sheet[1]:
            cell.font = bold
        sheet.freeze_panes = "A2"
        for column in sheet.columns:
            width = max(len(str(c.value or "")) for c in column)
            sheet.column_dimensions[column[0].column_letter].width = min(60, max(10, width + 2))
    atomic.write_file(path, lambda temp: workbook.save(temp))
