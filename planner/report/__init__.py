"""`rotation report`: one self-contained HTML page and an .xlsx workbook for a plan folder.

The page has no network dependency (inline CSS, script and SVG, and a Content-Security-Policy
that forbids loading anything), switches interface text with `lang` (vi, en; rule labels and
bases come from the rule files as written), and with `redact` shows every cadre under a
pseudonym (`Cán bộ 7F3A`, an HMAC of the id with a per-report secret or the caller's `key`)
instead of their name and id.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from planner import atomic
from planner.report.data import Redactor, ReportData, find_scenario, gather, leader_posts
from planner.report.page import render_html
from planner.report.text import LANGS, text_for
from planner.report.workbook import workbook_rows, write_workbook

__all__ = ["LANGS", "Report", "ReportData", "build_report", "find_scenario", "render_html",
           "workbook_rows", "write_report"]


@dataclass
class Report:
    data: ReportData
    lang: str
    # what the report was made from (scenario, rules, roster, plan files): never overwritten
    inputs: tuple[Path, ...] = ()

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
                        redact, key, lang,
                        leader_posts(workspace.facts, lang) if redact else None)
    from planner.planio import input_files

    plan_files = [p for p in sorted(plan_dir.iterdir()) if p.name not in REPORT_FILES]
    return Report(gather(workspace.facts, plan_dir, redactor), lang,
                  (*input_files(workspace.facts), *plan_files))


REPORT_FILES = frozenset({"report.html", "report.xlsx"})


def write_report(report: Report, html_path: Path) -> Path:
    """Write the page and, beside it, the workbook (same name, .xlsx); return the latter.

    Refuses (InputError, `planner.outputs`) to overwrite an input of the report, or an
    existing file that is not an earlier report page or workbook.
    """
    from planner import outputs

    xlsx_path = html_path.with_suffix(".xlsx")
    if xlsx_path == html_path:
        raise outputs.refuse(html_path, "-o", "the page needs an .html name (the workbook "
                             "goes beside it, named .xlsx)")
    outputs.check_file(html_path, report.inputs, outputs.is_report_page, "report page")
    outputs.check_file(xlsx_path, report.inputs, outputs.is_workbook, "report workbook")
    html = report.html
    folder = outputs.pair_folder(html_path.parent)
    if folder is None:
        # a folder of the user's own: both prepared and flushed, then renamed one after
        # the other (microseconds apart); README: a folder of its own swaps them together
        atomic.write_files({
            html_path: lambda temp: temp.write_text(html, encoding="utf-8", newline=""),
            xlsx_path: lambda temp: write_workbook(report.data, report.lang, temp),
        })
        return xlsx_path

    def fill(staging: Path) -> None:
        """The folder as it is (other reports, the plan's files) with the new pair."""
        if folder.is_dir():
            shutil.copymode(folder, staging)
            for entry in sorted(folder.iterdir()):
                if entry.name in (html_path.name, xlsx_path.name) \
                        or atomic.is_temporary(entry.name):
                    continue
                if entry.is_dir() and not entry.is_symlink():
                    shutil.copytree(entry, staging / entry.name, symlinks=True)
                else:
                    shutil.copy2(entry, staging / entry.name, follow_symlinks=False)
        (staging / html_path.name).write_text(html, encoding="utf-8", newline="")
        write_workbook(report.data, report.lang, staging / xlsx_path.name)
        if not (staging / outputs.PLAN.marker).exists():
            (staging / outputs.REPORT.marker).write_text(outputs.REPORT.marker_text(),
                                                         encoding="utf-8")

    # one folder swap (planner.atomic): the page and the workbook are old+old or new+new
    atomic.write_folder(folder, fill)
    return xlsx_path
