"""`rotation report`: one self-contained HTML page and an .xlsx workbook (issue 6).

Every report is built from one plan folder: the demo's hand-made compliant plan
(scenarios/demo/moves/clean.csv) written as `rotation plan` would write it. The browser test
opens the page in headless Chromium (Debian packages `chromium`, `chromium-driver`) and is
skipped only where Chromium is not installed.
"""

from __future__ import annotations

import hashlib
import html
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import DEMO, RosterFiles, copy_demo, plan_folder_from_moves
from openpyxl import load_workbook

from planner.cli import main
from planner.report import build_report, write_report
from planner.roster_io import load_roster

SCENARIO = DEMO / "scenario.yaml"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def plan_folder(moves_file: Path, folder: Path) -> Path:
    return plan_folder_from_moves(moves_file, folder, SCENARIO)


@pytest.fixture(scope="module")
def plan_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo's hand-made compliant plan (moves/clean.csv) as a plan folder."""
    return plan_folder(DEMO / "moves" / "clean.csv", tmp_path_factory.mktemp("report") / "plan")


@pytest.fixture(scope="module")
def page(plan_dir: Path) -> str:
    return build_report(plan_dir, SCENARIO).html


def test_the_page_is_self_contained_with_no_network_reference(page: str):
    # The only URL is the SVG namespace the script uses to create elements.
    urls = set(re.findall(r"https?://[^\s\"'<>)]+", page))
    assert urls <= {"http://www.w3.org/2000/svg"}
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)=\"(?!data:)", page)
    assert "default-src 'none'" in page  # the CSP forbids loading anything
    for section in ("summary", "flows", "rounds", "units", "moves", "unplaced", "penalties"):
        assert f"id='{section}'" in page


def test_the_interface_switches_language_and_rule_labels_come_from_the_rule_files(
        plan_dir: Path, page: str):
    english = build_report(plan_dir, SCENARIO, lang="en").html
    assert "Tóm tắt" in page and "Summary" not in page
    assert "Summary" in english and '<html lang="en">' in english
    # the adaptation rule's label is the one written in rules/continuity.yaml, in both
    label = re.search(r"label: \"([^\"]+)\"",
                      (DEMO.parents[1] / "rules" / "continuity.yaml").read_text("utf-8"))
    assert label is not None
    assert label.group(1) in page and label.group(1) in english


def test_redaction_replaces_every_name_and_id_by_a_pseudonym(plan_dir: Path, tmp_path: Path):
    report = build_report(plan_dir, SCENARIO, redact=True)
    xlsx = write_report(report, tmp_path / "r.html")
    cadres = load_roster(DEMO / "roster").cadres
    moved = report.data.moves[0]
    cells = " ".join(str(c) for sheet in load_workbook(xlsx) for row in
                     sheet.iter_rows(values_only=True) for c in row if c is not None)
    page = (tmp_path / "r.html").read_text("utf-8")
    for cadre in cadres:
        assert cadre.name not in page and cadre.name not in cells
        assert not re.search(rf"\b{cadre.id}\b", page + cells)
    assert re.fullmatch(r"Cán bộ [0-9A-F]{4,}", moved["cadre"])
    # leaders' titles name their one holder: generalised to role and level
    leaders = [p for p in load_roster(DEMO / "roster").positions if p.role != "staff"]
    assert leaders and not any(p.title in page or p.title in cells for p in leaders)
    assert "Cấp trưởng (Quận/huyện)" in page or "Cấp phó (Quận/huyện)" in page
    # no absolute path (it names the machine's user and folders)
    assert str(tmp_path) not in page and str(DEMO) not in page
    # a user key gives the same pseudonyms in every report made with it
    keyed = [build_report(plan_dir, SCENARIO, redact=True, key=b"k").data.moves[0]["cadre"]
             for _ in range(2)]
    assert keyed[0] == keyed[1]


def test_pseudonyms_cannot_be_reversed_by_hashing_every_possible_id(plan_dir: Path):
    """The old scheme (sha256 of the id) fell to hashing C000…C999: an attacker matched 11 of
    12 pseudonyms. With an HMAC under a secret that is never written, no guessed hash of the
    true id gives its pseudonym."""
    report = build_report(plan_dir, SCENARIO, redact=True)
    true_ids = [line.split(",")[0] for line in
                (plan_dir / "moves.csv").read_text("utf-8").splitlines()[1:]]
    shown = [m["cadre"].split()[-1] for m in report.data.moves]
    assert len(shown) == len(true_ids) > 5
    candidates = [f"C{n:03d}" for n in range(1000)] + [f"C{n:04d}" for n in range(10000)]
    guesses: dict[str, set[str]] = {}
    for cadre_id in candidates:
        for digest in (hashlib.sha256(cadre_id.encode()).hexdigest(),
                       hashlib.sha1(cadre_id.encode()).hexdigest(),
                       hashlib.md5(cadre_id.encode()).hexdigest()):
            for width in {len(a) for a in shown}:
                guesses.setdefault(digest.upper()[:width], set()).add(cadre_id)
    reversed_ = [a for a, true in zip(shown, true_ids, strict=True)
                 if true in guesses.get(a, set())]
    assert reversed_ == []
    # and two reports (two secrets) give unrelated pseudonyms
    again = [m["cadre"] for m in build_report(plan_dir, SCENARIO, redact=True).data.moves]
    assert sum(a == b for a, b in zip(again, [m["cadre"] for m in report.data.moves],
                                      strict=True)) <= 1


def test_text_from_the_inputs_is_escaped(plan_dir: Path, tmp_path: Path):
    scenario = copy_demo(tmp_path / "demo")
    roster = RosterFiles(scenario.parent / "roster")
    first = (plan_dir / "moves.csv").read_text("utf-8").splitlines()[1].split(",")
    cadre_id, to_position = first[0], first[3]
    unit_id = load_roster(DEMO / "roster").position_by_id[to_position].unit
    roster.set_cell("units", roster.line_of("units", "id", unit_id), "name",
                    "<script>alert(1)</script> & <b>")
    roster.set_cell("cadres", roster.line_of("cadres", "id", cadre_id), "name", "Lê <i>Văn</i>")
    html = build_report(plan_dir, scenario).html
    assert "<script>alert(1)" not in html and "<b>" not in html and "<i>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;" in html
    assert "Lê &lt;i&gt;Văn&lt;/i&gt;" in html


def test_the_workbook_has_moves_unplaced_and_kpi_sheets_with_vietnamese_headers(
        plan_dir: Path, tmp_path: Path):
    report = build_report(plan_dir, SCENARIO)
    workbook = load_workbook(write_report(report, tmp_path / "report.html"))
    assert workbook.sheetnames == ["moves", "unplaced", "KPIs", "rules", "assumptions",
                                   "exempt", "lists"]
    assert workbook["lists"].sheet_state == "hidden"  # the dropdowns' values
    moves = list(workbook["moves"].iter_rows(values_only=True))
    assert moves[0][:3] == ("Mã cán bộ", "Họ và tên", "Hình thức")
    assert len(moves) == 1 + len(report.data.moves)
    assert next(workbook["unplaced"].iter_rows(values_only=True))[-2:] == (
        "Lý do", "Căn cứ quy tắc")
    kpis = {row[0]: row[1] for row in workbook["KPIs"].iter_rows(values_only=True)}
    assert kpis["Tổng số lượt điều chuyển"] == len(report.data.moves)


def test_the_cli_finds_the_scenario_in_the_plan_provenance(plan_dir: Path, tmp_path: Path):
    out = tmp_path / "out" / "demo.html"
    result = CliRunner().invoke(main, ["report", str(plan_dir), "--lang", "en", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.exists() and out.with_suffix(".xlsx").exists()


def test_a_folder_without_plan_yaml_is_bad_input(tmp_path: Path):
    result = CliRunner().invoke(main, ["report", str(tmp_path), "--scenario", str(SCENARIO)])
    assert result.exit_code == 2
    assert "plan.yaml not found" in result.output


def open_in_chromium(html_path: Path, profile: Path, fragment: str = "") -> tuple[str, float]:
    """The page's DOM after its script ran (headless Chromium), and the wall time taken."""
    import time

    assert CHROMIUM is not None
    browser = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
               "--disable-background-networking", "--no-first-run", "--hide-scrollbars",
               f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0",
               "--virtual-time-budget=5000"]
    started = time.perf_counter()
    dumped = subprocess.run([*browser, "--dump-dom", html_path.as_uri() + fragment],
                            capture_output=True, text=True, timeout=180, check=False)
    seconds = time.perf_counter() - started
    assert dumped.returncode == 0, dumped.stderr[-2000:]
    console = [line for line in dumped.stderr.splitlines() if ":CONSOLE" in line]
    assert not console, "\n".join(console)  # the page logs nothing, errors included
    return dumped.stdout, seconds


def screenshot(html_path: Path, profile: Path, shot: Path, width: int, height: int
               ) -> tuple[int, int]:
    """Take a PNG screenshot; return its pixel width and height (from the IHDR chunk)."""
    import struct

    assert CHROMIUM is not None
    taken = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
                            "--hide-scrollbars", f"--user-data-dir={profile}",
                            f"--window-size={width},{height}", f"--screenshot={shot}",
                            html_path.as_uri()], capture_output=True, text=True, timeout=180,
                           check=False)
    assert taken.returncode == 0, taken.stderr[-2000:]
    head = shot.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    png_width, png_height = struct.unpack(">II", head[16:24])
    return png_width, png_height


def html_attribute(dom: str, name: str) -> str | None:
    tag = re.search(r"<html[^>]*>", dom)
    assert tag is not None
    found = re.search(rf'{name}="([^"]*)"', tag.group(0))
    return found.group(1) if found else None


CHROMIUM_MISSING = "Chromium is not installed (Debian packages chromium and chromium-driver)"


@pytest.mark.skipif(CHROMIUM is None, reason=CHROMIUM_MISSING)
def test_the_page_renders_in_headless_chromium_without_errors_and_its_search_works(
        plan_dir: Path, tmp_path: Path):
    html_path = tmp_path / "report.html"
    report = build_report(plan_dir, SCENARIO)
    write_report(report, html_path)
    dom, _seconds = open_in_chromium(html_path, tmp_path / "profile")
    assert html_attribute(dom, "data-errors") is None  # the page's own error trap
    assert html_attribute(dom, "data-ready-ms") is not None
    assert int(html_attribute(dom, "data-shown") or 0) == len(report.data.moves)
    for chart in ("chart-flows", "chart-rounds"):
        body = dom.split(f'id="{chart}"', 1)[1].split("</section>", 1)[0]
        assert "<svg" in body and ("<path" in body or "<rect" in body)
    # search by a cadre's name without diacritics, and filter by form, from the URL
    moved = report.data.moves[0]
    plain = re.sub(r"[\u0300-\u036f]", "", __import__("unicodedata").normalize(
        "NFD", moved["name"])).replace("đ", "d").replace("Đ", "D")
    dom, _seconds = open_in_chromium(html_path, tmp_path / "profile", f"#q={plain}")
    assert html_attribute(dom, "data-shown") == "1"
    transfers = sum(1 for m in report.data.moves if m["form"] == "transfer")
    dom, _seconds = open_in_chromium(html_path, tmp_path / "profile", "#form=transfer")
    assert html_attribute(dom, "data-shown") == str(transfers)


@pytest.mark.skipif(CHROMIUM is None, reason=CHROMIUM_MISSING)
def test_a_screenshot_of_the_demo_report_has_the_page_size_and_content(plan_dir: Path,
                                                                       tmp_path: Path):
    html_path = tmp_path / "report.html"
    write_report(build_report(plan_dir, SCENARIO), html_path)
    shot = tmp_path / "report.png"
    assert screenshot(html_path, tmp_path / "profile", shot, 1280, 2400) == (1280, 2400)
    assert shot.stat().st_size > 40_000  # text, tables and charts, not a blank page


def test_without_javascript_the_moves_are_grouped_by_unit_and_filterable_by_css(page: str):
    assert "<tbody class='grp' id='g-" in page
    assert "#ff-transfer:checked ~ .scroll tr.m:not([data-form='transfer'])" in page
    # every move row carries its sort keys; rounds sort by their place in the horizon
    assert re.search(r"data-round='\d+'", page)
    assert "<svg" in page.split("id='chart-rounds'", 1)[1].split("</section>", 1)[0]


def test_the_round_chart_axis_ends_at_a_round_number_above_the_tallest_bar():
    from planner.report.charts import nice_ticks

    assert nice_ticks(53) == [0, 10, 20, 30, 40, 50, 60]
    assert nice_ticks(5) == [0, 1, 2, 3, 4, 5]
    assert nice_ticks(7) == [0, 2, 4, 6, 8]
    assert nice_ticks(1) == [0, 1]
    assert nice_ticks(0) == [0, 1]
    assert nice_ticks(1400)[-1] >= 1400 and nice_ticks(1400)[1] in (200, 250, 500)


def test_the_verdict_and_violation_messages_are_vietnamese(plan_dir: Path):
    html = build_report(plan_dir, SCENARIO).html
    assert "tuân thủ mọi quy tắc bắt buộc" in html
    assert "compliant" not in html.split("<footer>")[0]


#: A4 landscape in points, and the report's side margin (10 mm) with a point of slack
A4_LANDSCAPE = (842, 595)
SIDE_MARGIN_PT = 10 / 25.4 * 72 - 1


def printed_pages(html_path: Path, profile: Path) -> list[dict[str, Any]]:
    """The page as Chromium prints it (DevTools `Page.printToPDF`, the page's own @page
    rules), read back page by page."""
    from chromium_cdp import Page, pdf_pages, print_to_pdf

    with Page(profile) as page:
        page.open(html_path.as_uri())
        return pdf_pages(print_to_pdf(page))


#: the printed page's content box (A4 landscape less the 10 mm side margins) in CSS pixels
PRINT_WIDTH_PX = int((297 - 2 * 10) / 25.4 * 96)


def print_overflow(html_path: Path, profile: Path) -> dict[str, Any]:
    """The page laid out for print at the printed width: how wide it is, and the boxes whose
    content is wider than they are. Chromium shrinks a page wider than the paper (smaller
    text) and a box that scrolls on screen cuts what it hides: neither may happen."""
    from chromium_cdp import Page

    with Page(profile, PRINT_WIDTH_PX, 700) as page:
        page.open(html_path.as_uri())
        page.call("Emulation.setEmulatedMedia", {"media": "print"})
        return dict(page.evaluate("""(() => ({
          width: document.documentElement.scrollWidth,
          cut: [...document.querySelectorAll('section *')]
            .filter(e => e.scrollWidth > e.clientWidth + 1 && e.clientWidth > 0
                         && getComputedStyle(e).overflowX !== 'visible')
            .map(e => e.closest('section').id)}))()"""))


def assert_numbered_and_unclipped(pages: list[dict[str, Any]], word: str,
                                  total: int | None = None) -> None:
    """Every page A4 landscape, numbered "<word> i / N" in its bottom margin (N: `total`,
    or the pages given), and no text starting in the right margin or past the page's edge
    (a clipped table's columns would)."""
    total = total or len(pages)
    for number_, page in enumerate(pages, start=1):
        assert (round(page["width"]), round(page["height"])) == A4_LANDSCAPE
        footer = " ".join(t for x, y, t in page["runs"] if y < 14 / 25.4 * 72)
        assert re.sub(r"\s+", " ", footer).strip() == f"{word} {number_} / {total}", footer
        body = [(x, t) for x, y, t in page["runs"] if y >= 14 / 25.4 * 72]
        past = [(round(x), t) for x, t in body if x > page["width"] - SIDE_MARGIN_PT]
        assert not past, (number_, past[:5])


@pytest.mark.skipif(CHROMIUM is None, reason=CHROMIUM_MISSING)
def test_the_printed_report_numbers_its_landscape_pages_and_clips_no_column(
        plan_dir: Path, tmp_path: Path):
    """Printed to PDF by headless Chromium and read back with pypdf: "Trang 1 / N" on each
    A4 landscape page (the English report: "Page 1 / N"), every column of the units table
    printed (its headings and the last round's), no text cut at the right edge."""
    report = build_report(plan_dir, SCENARIO)
    html_path = tmp_path / "report.html"
    write_report(report, html_path)
    pages = printed_pages(html_path, tmp_path / "profile")
    assert 1 <= len(pages) <= 12
    assert_numbered_and_unclipped(pages, "Trang")
    text = re.sub(r"\s+", " ", " ".join(p["text"] for p in pages))
    for heading in ("Diễn biến", "Các lượt đến và đi", "Vị trí lãnh đạo"):
        assert heading in text
    units = text.split("Theo đơn vị: tỉ lệ lãnh đạo", 1)[1]
    assert re.search(report.data.rounds[-1].replace("-", r"-\s?"), units)
    assert "↕" not in text  # the script's sort arrows are not printed
    laid_out = print_overflow(html_path, tmp_path / "p3")
    assert laid_out == {"width": PRINT_WIDTH_PX, "cut": []}
    english = build_report(plan_dir, SCENARIO, lang="en")
    write_report(english, tmp_path / "en.html")
    assert_numbered_and_unclipped(printed_pages(tmp_path / "en.html", tmp_path / "p2"), "Page")


def test_every_rule_id_on_the_page_links_to_its_label_and_basis_in_the_rules_section(
        plan_dir: Path, page: str):
    links = set(re.findall(r'href="#rule-([^"]+)"', page))
    rows = dict(re.findall(r"<tr id='rule-([^']+)'>(.*?)</tr>", page))
    assert links and set(rows) == links  # the rules cited, each once; not every rule file's
    rules = build_report(plan_dir, SCENARIO).data.rules
    for rule_id in links:
        assert html.escape(rules[rule_id].label) in rows[rule_id]
        assert html.escape(rules[rule_id].basis) in rows[rule_id]


def test_the_unit_index_links_every_group_of_moves_under_its_locality(page: str):
    index = page.split("id='unit-index'", 1)[1].split("</details>", 1)[0]
    groups = re.findall(r"<tbody class='grp' id='g-([^']+)'", page)
    assert groups and re.findall(r"href='#g-([^']+)'", index) == groups
    assert "<strong>Phường Xuân La</strong>" in index


@pytest.mark.skipif(CHROMIUM is None, reason=CHROMIUM_MISSING)
def test_without_javascript_the_page_says_typed_search_needs_it_and_find_in_page_finds_a_move(
        plan_dir: Path, tmp_path: Path):
    """No script: the help text says the search box needs JavaScript and points to the
    indexes and the browser's find in page, which reaches a person's move row typed without
    diacritics (tested with `window.find`, the browser's own text search); a unit index link
    opens that unit's group. With script: the other help text."""
    import unicodedata

    from chromium_cdp import Page

    html_path = tmp_path / "report.html"
    report = build_report(plan_dir, SCENARIO)
    write_report(report, html_path)
    moved = next(m for m in report.data.moves if "Đ" in m["name"] or "đ" in m["name"]
                 or unicodedata.normalize("NFD", m["name"]) != m["name"])
    plain = re.sub(r"[\u0300-\u036f]", "", unicodedata.normalize("NFD", moved["name"])) \
        .replace("đ", "d").replace("Đ", "D")
    assert plain != moved["name"]
    shown = "(sel => document.querySelector(sel).getClientRects().length > 0)"
    with Page(tmp_path / "profile") as page:
        page.open(html_path.as_uri(), javascript=False)
        assert page.evaluate(f"{shown}('.find-help.nojs-only')")
        assert not page.evaluate(f"{shown}('.find-help.js-only')")
        assert "Ctrl+F" in page.evaluate("document.querySelector('.find-help').textContent")
        assert not page.evaluate(f"{shown}('#q')")  # the search box is not offered
        row = page.evaluate(f"""(() => {{
          getSelection().removeAllRanges();
          for (let i = 0; i < 50 && window.find({plain!r}, false, false, true); i++) {{
            const at = getSelection().anchorNode.parentElement.closest('#moves-table tr.m');
            if (at) return at.cells[0].textContent;
          }}
          return null; }})()""")
        assert row == moved["cadre"]
        unit = moved["to"]["unit"]
        group = page.evaluate(f"""(() => {{
          document.querySelector("#unit-index a[href='#g-{unit}']").click();
          return document.querySelector(':target').id; }})()""")
        assert group == f"g-{unit}"
        page.open(html_path.as_uri(), javascript=True)
        assert page.evaluate(f"{shown}('.find-help.js-only')")
        assert not page.evaluate(f"{shown}('.find-help.nojs-only')")


def _label_click(page: object, target: str) -> None:
    page.evaluate(f"document.querySelector(\"label[for='{target}']\").click()")  # type: ignore


@pytest.mark.skipif(CHROMIUM is None, reason=CHROMIUM_MISSING)
def test_without_javascript_a_reader_sorts_by_round_or_given_name_and_filters_by_form(
        plan_dir: Path, tmp_path: Path):
    """Scripts disabled: the radio labels (CSS `order` over server-side ranks) sort the
    moves by round in horizon order or by given name, and the form filter combines."""
    from chromium_cdp import VISIBLE_ROWS, Page

    from planner.report.page import given_name_key

    html_path = tmp_path / "report.html"
    report = build_report(plan_dir, SCENARIO)
    write_report(report, html_path)
    with Page(tmp_path / "profile") as page:
        page.open(html_path.as_uri(), javascript=False)
        assert page.evaluate("document.documentElement.className") == ""  # no script ran
        default = page.evaluate(VISIBLE_ROWS)
        assert [r["n"] for r in default] == list(range(len(report.data.moves)))
        _label_click(page, "fs-round")
        by_round = page.evaluate(VISIBLE_ROWS)
        assert all(r["aligned"] for r in default + by_round)  # still a table, cells in columns
        assert [r["round"] for r in by_round] == sorted(r["round"] for r in default)
        assert [r["round"] for r in by_round] != [r["round"] for r in default]
        _label_click(page, "fs-name")
        by_name = page.evaluate(VISIBLE_ROWS)
        names = [r["name"] for r in by_name]
        assert names == sorted(names, key=given_name_key) and all(r["aligned"] for r in by_name)
        _label_click(page, "ff-transfer")
        shown = page.evaluate(VISIBLE_ROWS)
        assert {r["form"] for r in shown} == {"transfer"}
        assert len(shown) == sum(1 for m in report.data.moves if m["form"] == "transfer")
        # the index by given name links to the person's row
        first = page.evaluate("(() => { const a = document.querySelector('#names a');"
                              " a.click(); return a.textContent; })()")
        target = page.evaluate("document.querySelector(':target').cells[1].textContent")
        assert first.startswith(target)


@pytest.mark.skipif(CHROMIUM is None, reason=CHROMIUM_MISSING)
def test_the_moves_header_stays_in_view_when_its_table_scrolls(plan_dir: Path,
                                                             tmp_path: Path):
    from chromium_cdp import Page

    html_path = tmp_path / "report.html"
    write_report(build_report(plan_dir, SCENARIO), html_path)
    with Page(tmp_path / "profile", height=300) as page:  # 80vh: the ten moves overflow
        page.open(html_path.as_uri(), javascript=False)
        offsets = page.evaluate("""(() => {
          const box = document.querySelector('#moves .scroll');
          box.scrollIntoView(); box.scrollTop = 120;
          const head = box.querySelector('thead th');
          return [box.getBoundingClientRect().top, head.getBoundingClientRect().top,
                  box.scrollHeight > box.clientHeight];
        })()""")
        box_top, head_top, overflows = offsets
        assert overflows and abs(head_top - box_top) <= 2


@pytest.mark.skipif(CHROMIUM is None, reason=CHROMIUM_MISSING)
def test_the_first_screen_of_the_demo_report_shows_header_summary_and_drawn_charts(
        plan_dir: Path, tmp_path: Path):
    """The screenshot's structure: what lies in a 1280×2400 first screen, in order, drawn
    (SVG with marks, no part wider than the page)."""
    from chromium_cdp import Page

    html_path = tmp_path / "report.html"
    write_report(build_report(plan_dir, SCENARIO), html_path)
    with Page(tmp_path / "profile", 1280, 2400) as page:
        wall = page.open(html_path.as_uri())
        timings = page.evaluate("(() => { const n = performance.getEntriesByType("
                                "'navigation')[0]; return [n.loadEventEnd, "
                                "document.documentElement.dataset.readyMs]; })()")
        print(f"\ndemo report: {html_path.stat().st_size:,} bytes; load event "
              f"{timings[0]:.0f} ms, script ready {timings[1]} ms, wall {wall:.1f} s")
        layout = page.evaluate("""(() => {
          const box = id => { const e = document.getElementById(id) || document.querySelector(id);
                              const r = e.getBoundingClientRect();
                              return [r.top, r.height, r.right]; };
          return {header: box('header'), summary: box('summary'), flows: box('chart-flows'),
                  rounds: box('chart-rounds'), width: document.documentElement.scrollWidth,
                  bars: document.querySelectorAll('#chart-rounds rect').length,
                  bands: document.querySelectorAll('#chart-flows path').length};
        })()""")
        tops = [layout[k][0] for k in ("header", "summary", "flows", "rounds")]
        assert tops == sorted(tops) and tops[-1] < 2400
        assert all(layout[k][1] > 40 for k in ("header", "summary", "flows", "rounds"))
        assert layout["width"] <= 1280 and layout["bars"] > 3 and layout["bands"] > 0


def objective_rows(page: str) -> dict[str, list[str]]:
    """The objective section's rows, by term (weights.X or the soft rule's id): its cells."""
    section = page[page.index("<section id='objective'>"):]
    section = section[:section.index("</section>")]
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", section)[1:]:
        cells = [html.unescape(re.sub(r"<[^>]+>", "", c)).strip()
                 for c in re.findall(r"<td[^>]*>(.*?)</td>", row)]
        rows[cells[0].split(" ")[0]] = cells
    return rows


def test_the_report_shows_each_objective_terms_weight_and_its_part_of_the_plan(plan_dir: Path):
    """Beside plan.yaml's `weights:`, the page lists each term with its weight: the
    scenario's weights (vacancy does not act: vacancy rules price vacancies) and every
    active soft rule. The clean demo plan, hand-checked: 6 moves of cadres not due (C006,
    C017, C013, C035, C031, C043) disrupt the whole horizon of 6 rounds at weight 1: 36;
    skill-demand's one violation (C031 lacks 2 of P-TH-TNMT-PP's skills, weight 5): 10."""
    import yaml

    english = build_report(plan_dir, SCENARIO, lang="en").html
    rows = objective_rows(english)
    weights = yaml.safe_load((plan_dir / "plan.yaml").read_text("utf-8"))["weights"]
    for rule_id, soft in weights["soft_rules"].items():
        assert rows[rule_id][2] == f"{soft['weight']:,.0f}", rows[rule_id]
    for name, term in weights["terms"].items():
        assert rows[f"weights.{name}"][2] == f"{term['weight']:g}"
        assert rows[f"weights.{name}"][3] == ("Yes" if term["acts"] else "No")
    assert rows["weights.vacancy"][3] == "No"
    assert rows["weights.disruption"][4] == "36"
    assert rows["skill-demand"][4] == "10"
    assert "Objective weights" in english and 'href="#objective"' in english
    vietnamese = objective_rows(build_report(plan_dir, SCENARIO).html)
    assert vietnamese["weights.disruption"][1].startswith("mỗi đợt một lượt điều chuyển")
