"""`rotation report`: one self-contained HTML page and an .xlsx workbook for a plan folder.

The page has no network dependency (inline CSS, script and SVG, and a Content-Security-Policy
that forbids loading anything), switches interface text with `lang` (vi, en; rule labels and
bases come from the rule files as written), and with `redact` shows every cadre under a
pseudonym (`Cán bộ 7F3A`, an HMAC of the id with a per-report secret or the caller's `key`)
instead of their name and id.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from planner.report.data import Redactor, ReportData, find_scenario, gather
from planner.report.page import render_html
from planner.report.text import LANGS, text_for
from planner.report.workbook import workbook_rows, write_workbook
from planner.roster_io import write_atomically

__all__ = ["LANGS", "Report", "ReportData", "build_report", "find_scenario", "render_html",
           "workbook_rows", "write_report"]


@dataclass
class Report:
    data: ReportData
    lang: str

    @property
    def html(self) -> str:
        return render_html(self.data, self.lang)


def build_report(plan_dir: Path, scenario_path: Path | None = None, lang: str = "vi",
                 redact: bool = False, key: bytes | None = None) -> Report:
    """Gather a plan folder's report (the scenario defaults to the one in its provenance)."""
    from planner.workspace import load_workspace

    if lang not in LANGS:
        raise ValueError(f"lang must be one of {', '.join(LANGS)}")
    workspace = load_workspace(scenario_path or find_scenario(plan_dir))
    roster = workspace.scenario.roster
    redactor = Redactor({c.id: c.name for c in roster.cadres}, text_for(lang)["pseudonym"],
                        redact, key)
    return Report(gather(workspace.facts, plan_dir, redactor), lang)


def write_report(report: Report, html_path: Path) -> Path:
    """Write the page and, beside it, the workbook (same name, .xlsx); return the latter."""
    xlsx_path = html_path.with_suffix(".xlsx")
    write_atomically(html_path, report.html)
    write_workbook(report.data, report.lang, xlsx_path)
    return xlsx_path
