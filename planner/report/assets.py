"""The report page's inline style sheet and script: no network, no CDN, no package data.

The charts are SVG drawn in Python (planner.report.charts); the script only adds search,
filters, sorting by the server-side keys (`data-k`) and paging to the moves table — the
page is complete without it. It only sets classes, attributes and `textContent`, never
`innerHTML`, so data cannot inject markup. It counts errors in `data-errors` on <html>, and
when done sets `data-ready-ms` (time since navigation start) and `data-shown` (rows shown).
"""

from __future__ import annotations

FORM_COLOURS: dict[str, str] = {
    "rotation": "#2563eb",
    "transfer": "#16a34a",
    "secondment": "#d97706",
    "position_change": "#9333ea",
    "appointment": "#0891b2",
}
LEVEL_COLOURS: dict[str, str] = {
    "city": "#b91c1c",
    "district": "#0e7490",
    "commune": "#4d7c0f",
    "none": "#6b7280",
}

CSS = """
:root { --ink: #1f2937; --muted: #6b7280; --line: #e5e7eb; --accent: #b91c1c;
        --bg: #ffffff; --panel: #f9fafb; }
* { box-sizing: border-box; }
html { font-family: "Segoe UI", "Noto Sans", "Helvetica Neue", Arial, sans-serif;
       color: var(--ink); background: var(--bg); font-size: 15px; }
body { margin: 0 auto; max-width: 1280px; padding: 24px 28px 60px; line-height: 1.45; }
header h1 { font-size: 1.6rem; margin: 0 0 4px; color: var(--accent); }
header .subtitle { color: var(--muted); margin: 0 0 12px; }
nav { position: sticky; top: 0; background: var(--bg); border-bottom: 1px solid var(--line);
      padding: 6px 0; margin-bottom: 12px; z-index: 3; }
nav a { margin-right: 14px; color: var(--ink); text-decoration: none; font-size: .9rem; }
nav a:hover { text-decoration: underline; }
/* sections off screen are not laid out until scrolled to (Hà Nội size: 1,500 moves, 600
   units); the browser keeps their last size so the scroll bar does not jump */
section { content-visibility: auto; contain-intrinsic-size: auto 900px; }
h2 { font-size: 1.2rem; border-left: 4px solid var(--accent); padding-left: 8px;
     margin: 32px 0 8px; }
.note { color: var(--muted); font-size: .88rem; margin: 2px 0 10px; }
.note a { color: var(--ink); }
.warning { background: #fef3c7; border: 1px solid #f59e0b; padding: 8px 12px;
           border-radius: 6px; }
.banner { background: #fef2f2; border: 2px solid #dc2626; border-radius: 8px;
          padding: 4px 16px 10px; margin: 12px 0; }
.banner h2 { border: 0; padding: 0; color: #b91c1c; margin: 10px 0 4px; }
.banner pre { background: #fff; border: 1px solid var(--line); padding: 6px 10px; }
.redacted { background: #e0e7ff; border: 1px solid #6366f1; padding: 6px 12px;
            border-radius: 6px; display: inline-block; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(170px, 1fr));
         gap: 10px; margin: 10px 0; }
.card { background: var(--panel); border: 1px solid var(--line); border-radius: 8px;
        padding: 10px 12px; }
.card .value { font-size: 1.6rem; font-weight: 600; }
.card .label { color: var(--muted); font-size: .85rem; }
.status-optimal, .status-feasible { color: #15803d; }
.status-infeasible, .status-time_limit { color: #b91c1c; }
table { border-collapse: separate; border-spacing: 0; width: 100%; font-size: .88rem;
        margin: 6px 0 12px; }
th, td { border-bottom: 1px solid var(--line); padding: 5px 7px; text-align: left;
         vertical-align: top; }
th { background: var(--panel); font-weight: 600; }
thead th { position: sticky; top: 0; z-index: 2; box-shadow: 0 1px 0 var(--line); }
.js th.sortable { cursor: pointer; }
.js th.sortable::after { content: " \\2195"; color: var(--muted); font-size: .75rem; }
th[data-order="asc"]::after { content: " \\2191" !important; }
th[data-order="desc"]::after { content: " \\2193" !important; }
tr.grp-head th { background: #eef2f7; position: static; font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.scroll { overflow: auto; }
.scroll.tall { max-height: 80vh; border: 1px solid var(--line); }
.id { color: var(--muted); font-size: .8rem; }
.rule { display: inline-block; background: #f3f4f6; border-radius: 4px; padding: 0 5px;
        margin: 1px 2px 1px 0; font-size: .8rem; }
.form { display: inline-block; border-radius: 4px; padding: 0 6px; color: #fff;
        font-size: .8rem; white-space: nowrap; }
td.share { text-align: center; font-size: .8rem; min-width: 44px; }
td.share.over { outline: 2px solid #dc2626; outline-offset: -2px; font-weight: 600; }
.chart { width: 100%; overflow-x: auto; }
.chart svg { max-width: 100%; height: auto; font-size: 12px; }
.legend { display: flex; flex-wrap: wrap; gap: 12px; font-size: .85rem; margin: 4px 0; }
.legend span::before { content: ""; display: inline-block; width: 11px; height: 11px;
                       margin-right: 5px; vertical-align: -1px; background: var(--swatch);
                       border-radius: 2px; }
.filters { display: flex; flex-wrap: wrap; gap: 6px 16px; align-items: center;
           margin: 6px 0; font-size: .88rem; }
.filters fieldset { border: 1px solid var(--line); border-radius: 6px; padding: 2px 8px; }
input.filter { position: absolute; opacity: 0; pointer-events: none; }
.filters label { margin-left: 8px; cursor: pointer; }
.filters input[type=search] { min-width: 260px; padding: 3px 6px; }
.js .nojs-only, .js-only { display: none; }
.js .js-only { display: flex; }
tr.hidden, tbody.hidden { display: none; }
details.names p { margin: 2px 0; font-size: .85rem; }
details summary { cursor: pointer; color: var(--ink); }
details ul { margin: 4px 0 4px 18px; padding: 0; }
footer { margin-top: 40px; color: var(--muted); font-size: .8rem;
         border-top: 1px solid var(--line); padding-top: 10px; }
footer code { word-break: break-all; }
a.rule { color: var(--ink); text-decoration: none; }
tr:target td { background: #fef3c7; }
@media print {
  nav, .filters, .pager, .find-help, details.names { display: none !important; }
  th.sortable::after, .js th.sortable::after { content: none !important; }
  section { content-visibility: visible; }
  html { font-size: 10pt; }
  body { max-width: none; padding: 0; }
  .scroll, .scroll.tall { overflow: visible; max-height: none; border: 0; }
  thead { display: table-header-group; }
  thead th { position: static; }
  tr, .card, svg { break-inside: avoid; }
  tr.hidden, tbody.hidden { display: table-row-group; }
  tr.m.hidden { display: table-row; }
  table.units td.share { min-width: 0; }
  /* denser on paper (hanoi-2023, 1,255 moves: 327 → about 180 pages) */
  table { font-size: 8pt; }
  th, td { padding: 1px 4px; }
  .id, .rule, .form { font-size: 7pt; }
  .rule { padding: 0 3px; }
  .form { white-space: normal; }
  svg.spark { height: 14px; width: 80px; }
  h2 { break-after: avoid; }
}
"""

# Set before anything else runs, so that an error anywhere on the page is counted.
ERROR_TRAP = """
window.__reportErrors = [];
window.addEventListener("error", function (event) {
  window.__reportErrors.push(String(event.message || event));
  document.documentElement.setAttribute("data-errors", String(window.__reportErrors.length));
});
"""

SCRIPT = r"""
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.add("js");
  var data = JSON.parse(document.getElementById("report-data").textContent);
  var table = document.getElementById("moves-table");
  function fold(text) {
    return String(text).toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/\u0111/g, "d");
  }
  function finish(shown) {
    if (shown !== undefined) { root.setAttribute("data-shown", String(shown)); }
    root.setAttribute("data-ready-ms", String(Math.round(performance.now())));
  }
  if (!table) { finish(); return; }
  var size = parseInt(table.getAttribute("data-page-size"), 10) || 100;
  var total = parseInt(table.getAttribute("data-total"), 10) || 0;
  var rows = Array.prototype.slice.call(table.querySelectorAll("tr.m"));
  var groups = Array.prototype.slice.call(table.tBodies);
  var q = document.getElementById("q"), form = document.getElementById("f-form");
  var round = document.getElementById("f-round"), counter = document.getElementById("counter");
  var pageLabel = document.getElementById("page");
  var page = 0, sorted = false;

  var folded = {};  // each row's text, folded once, on the first search
  function textOf(row) {
    var n = row.getAttribute("data-n");
    if (folded[n] === undefined) { folded[n] = fold(row.textContent); }
    return folded[n];
  }
  function matches(row) {
    var needle = fold(q.value.trim());
    if (needle && textOf(row).indexOf(needle) < 0) { return false; }
    if (form.value && row.getAttribute("data-form") !== form.value) { return false; }
    if (round.value && row.getAttribute("data-round") !== round.value) { return false; }
    return true;
  }
  function render() {
    var hits = rows.filter(matches);
    var pages = Math.max(1, Math.ceil(hits.length / size));
    page = Math.min(page, pages - 1);
    var first = page * size, last = first + size, seen = {};
    hits.forEach(function (row, i) {
      if (i >= first && i < last) { seen[row.getAttribute("data-n")] = 1; }
    });
    rows.forEach(function (row) {
      row.classList.toggle("hidden", !seen[row.getAttribute("data-n")]);
    });
    groups.forEach(function (body) {
      var any = body.querySelector("tr.m:not(.hidden)") !== null;
      body.classList.toggle("hidden", !any);
      var head = body.querySelector("tr.grp-head");
      if (head) { head.classList.toggle("hidden", sorted); }
    });
    var from = hits.length ? first + 1 : 0, to = Math.min(last, hits.length);
    counter.textContent = from + "\u2013" + to + " " + data.text.of + " " + hits.length +
      " (" + total + ")";
    pageLabel.textContent = data.text.page + " " + (page + 1) + "/" + pages;
    finish(Math.max(0, to - first));
  }
  function key(cell) {
    var k = cell.getAttribute("data-k");
    return k === null ? fold(cell.textContent.trim()) : k;
  }
  function sortBy(column, ascending) {
    sorted = true;
    rows.sort(function (a, b) {
      var x = key(a.cells[column]), y = key(b.cells[column]);
      var order = x < y ? -1 : x > y ? 1 : 0;
      if (!order) {
        order = parseInt(a.getAttribute("data-n"), 10) - parseInt(b.getAttribute("data-n"), 10);
      }
      return ascending ? order : -order;
    });
    var body = groups[0];
    rows.forEach(function (row) { body.appendChild(row); });
    page = 0;
    render();
  }
  var heads = table.tHead.rows[0].cells;
  Array.prototype.forEach.call(heads, function (th, column) {
    th.classList.add("sortable");
    th.addEventListener("click", function () {
      var ascending = th.getAttribute("data-order") !== "asc";
      Array.prototype.forEach.call(heads, function (o) { o.removeAttribute("data-order"); });
      th.setAttribute("data-order", ascending ? "asc" : "desc");
      sortBy(column, ascending);
    });
  });
  [q, form, round].forEach(function (input) {
    input.addEventListener("input", function () { page = 0; render(); });
  });
  document.getElementById("prev").addEventListener("click", function () {
    page = Math.max(0, page - 1);
    render();
  });
  document.getElementById("next").addEventListener("click", function () {
    page += 1;
    render();
  });
  // a link can carry the filters: report.html#q=nguyen&form=transfer&round=3&sort=5
  var hash = {};
  location.hash.replace(/^#/, "").split("&").forEach(function (pair) {
    var kv = pair.split("=");
    if (kv.length === 2) { hash[kv[0]] = decodeURIComponent(kv[1]); }
  });
  if (hash.q) { q.value = hash.q; }
  if (hash.form) { form.value = hash.form; }
  if (hash.round) { round.value = hash.round; }
  if (hash.sort && heads[parseInt(hash.sort, 10)]) {
    heads[parseInt(hash.sort, 10)].click();
  } else {
    render();
  }
})();
"""
