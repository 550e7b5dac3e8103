"""The report page's inline style sheet and script: no network, no CDN, no package data.

The script draws the charts (hand-written SVG) from the JSON block `#report-data`; it only
creates elements and sets `textContent`, never `innerHTML`, so data cannot inject markup.
It counts errors in `data-errors` and drawn charts in `data-charts` on <html> (the browser
test reads both).
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
body { margin: 0 auto; max-width: 1180px; padding: 24px 28px 60px; line-height: 1.45; }
header h1 { font-size: 1.6rem; margin: 0 0 4px; color: var(--accent); }
header .subtitle { color: var(--muted); margin: 0 0 12px; }
nav { position: sticky; top: 0; background: var(--bg); border-bottom: 1px solid var(--line);
      padding: 6px 0; margin-bottom: 12px; z-index: 2; }
nav a { margin-right: 14px; color: var(--ink); text-decoration: none; font-size: .9rem; }
nav a:hover { text-decoration: underline; }
h2 { font-size: 1.2rem; border-left: 4px solid var(--accent); padding-left: 8px;
     margin: 32px 0 8px; }
.note { color: var(--muted); font-size: .88rem; margin: 2px 0 10px; }
.warning { background: #fef3c7; border: 1px solid #f59e0b; padding: 8px 12px;
           border-radius: 6px; }
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
table { border-collapse: collapse; width: 100%; font-size: .88rem; margin: 6px 0 12px; }
th, td { border-bottom: 1px solid var(--line); padding: 5px 7px; text-align: left;
         vertical-align: top; }
th { background: var(--panel); font-weight: 600; position: relative; }
th.sortable { cursor: pointer; }
th.sortable::after { content: " \\2195"; color: var(--muted); font-size: .75rem; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.scroll { overflow-x: auto; }
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
details summary { cursor: pointer; color: var(--ink); }
details ul { margin: 4px 0 4px 18px; padding: 0; }
footer { margin-top: 40px; color: var(--muted); font-size: .8rem;
         border-top: 1px solid var(--line); padding-top: 10px; }
footer code { word-break: break-all; }
@media print {
  nav { display: none; }
  body { max-width: none; padding: 0; }
  section { break-inside: avoid-page; }
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
  var SVG = "http://www.w3.org/2000/svg";
  var data = JSON.parse(document.getElementById("report-data").textContent);
  var drawn = 0;

  function el(name, attrs, parent) {
    var node = document.createElementNS(SVG, name);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (parent) { parent.appendChild(node); }
    return node;
  }
  function text(parent, x, y, content, attrs) {
    var node = el("text", Object.assign({ x: x, y: y }, attrs || {}), parent);
    node.textContent = content;
    return node;
  }
  function tip(parent, content) {
    var title = el("title", {}, parent);
    title.textContent = content;
  }
  function svgRoot(host, width, height, label) {
    var svg = el("svg", { viewBox: "0 0 " + width + " " + height, width: width,
                          height: height, role: "img" });
    svg.setAttribute("aria-label", label);
    host.appendChild(svg);
    drawn += 1;
    return svg;
  }

  // ------------------------------------------------------------------ Sankey of flows
  function drawFlows(host) {
    var flows = data.flows;
    if (!flows.length) { host.textContent = data.text.no_moves; return; }
    var left = [], right = [], inflow = {}, outflow = {};
    flows.forEach(function (f) {
      if (left.indexOf(f.source) < 0) { left.push(f.source); }
      if (right.indexOf(f.target) < 0) { right.push(f.target); }
      outflow[f.source] = (outflow[f.source] || 0) + f.count;
      inflow[f.target] = (inflow[f.target] || 0) + f.count;
    });
    right.sort(function (a, b) { return data.nodeOrder[a] - data.nodeOrder[b]; });
    var total = flows.reduce(function (sum, f) { return sum + f.count; }, 0);
    var gap = 14, nodeWidth = 14, width = 860, top = 24;
    var rows = Math.max(left.length, right.length);
    var height = Math.max(220, rows * 56 + 40);
    var scale = (height - top - 16 - gap * (rows - 1)) / total;
    var x0 = 230, x1 = width - 230 - nodeWidth;
    var svg = svgRoot(host, width, height, data.text.flows);
    text(svg, x0 + nodeWidth / 2, 14, data.text.from_side, { "text-anchor": "middle",
         "font-weight": "600" });
    text(svg, x1 + nodeWidth / 2, 14, data.text.to_side, { "text-anchor": "middle",
         "font-weight": "600" });
    function layout(nodes, values) {
      var y = top, place = {};
      nodes.forEach(function (node) {
        var h = Math.max(2, values[node] * scale);
        place[node] = { y: y, h: h, used: 0 };
        y += h + gap;
      });
      return place;
    }
    var sources = layout(left, outflow), targets = layout(right, inflow);
    var bands = el("g", { "class": "bands" }, svg);
    flows.forEach(function (f) {
      var s = sources[f.source], t = targets[f.target], h = f.count * scale;
      var ys = s.y + s.used, yt = t.y + t.used;
      s.used += h; t.used += h;
      var xa = x0 + nodeWidth, xb = x1, xm = (xa + xb) / 2;
      var d = "M" + xa + "," + ys + " C" + xm + "," + ys + " " + xm + "," + yt + " " + xb +
              "," + yt + " L" + xb + "," + (yt + h) + " C" + xm + "," + (yt + h) + " " + xm +
              "," + (ys + h) + " " + xa + "," + (ys + h) + " Z";
      var band = el("path", { d: d, fill: data.nodeColour[f.source], "fill-opacity": "0.42",
                              stroke: "none", "class": "band" }, bands);
      var forms = Object.keys(f.forms).map(function (k) {
        return data.formLabel[k] + ": " + f.forms[k];
      }).join(", ");
      tip(band, data.nodeLabel[f.source] + " \u2192 " + data.nodeLabel[f.target] + ": " +
          f.count + " (" + forms + ")");
    });
    function nodes(place, values, x, anchorLeft) {
      Object.keys(place).forEach(function (node) {
        var p = place[node];
        var rect = el("rect", { x: x, y: p.y, width: nodeWidth, height: p.h,
                                fill: data.nodeColour[node], "class": "node" }, svg);
        tip(rect, data.nodeLabel[node] + ": " + values[node]);
        var tx = anchorLeft ? x - 6 : x + nodeWidth + 6;
        text(svg, tx, p.y + p.h / 2 + 4, data.nodeLabel[node] + " (" + values[node] + ")",
             { "text-anchor": anchorLeft ? "end" : "start" });
      });
    }
    nodes(sources, outflow, x0, true);
    nodes(targets, inflow, x1, false);
  }

  // ------------------------------------------------------------------ moves per round
  function drawRounds(host) {
    var rounds = data.byRound, forms = data.forms;
    var width = 860, height = 260, left = 40, bottom = rounds.length > 12 ? 62 : 34;
    var plotH = height - bottom - 14, plotW = width - left - 10;
    var max = 1;
    rounds.forEach(function (r) {
      var sum = 0;
      Object.keys(r.forms).forEach(function (k) { sum += r.forms[k]; });
      max = Math.max(max, sum);
    });
    var svg = svgRoot(host, width, height, data.text.by_round);
    var step = Math.max(1, Math.ceil(max / 5));
    for (var tick = 0; tick <= max; tick += step) {
      var ty = 14 + plotH - tick / max * plotH;
      el("line", { x1: left, x2: width - 10, y1: ty, y2: ty, stroke: "#e5e7eb" }, svg);
      text(svg, left - 6, ty + 4, String(tick), { "text-anchor": "end", fill: "#6b7280" });
    }
    var band = plotW / rounds.length, barW = Math.min(44, band * 0.7);
    rounds.forEach(function (r, i) {
      var x = left + i * band + (band - barW) / 2, y = 14 + plotH, sum = 0;
      forms.forEach(function (form) {
        var n = r.forms[form] || 0;
        if (!n) { return; }
        var h = n / max * plotH;
        y -= h; sum += n;
        var rect = el("rect", { x: x, y: y, width: barW, height: h,
                                fill: data.formColour[form], "class": "bar" }, svg);
        tip(rect, r.round + " \u2014 " + data.formLabel[form] + ": " + n);
      });
      if (sum) {
        text(svg, x + barW / 2, y - 4, String(sum), { "text-anchor": "middle",
             "font-size": "11" });
      }
      var lx = x + barW / 2, ly = 14 + plotH + 16;
      var label = text(svg, lx, ly, r.round, { "text-anchor": rounds.length > 12 ? "end" :
                                                "middle", "font-size": "11" });
      if (rounds.length > 12) { label.setAttribute("transform", "rotate(-45 " + lx + " " +
                                                   ly + ")"); }
    });
    el("line", { x1: left, x2: width - 10, y1: 14 + plotH, y2: 14 + plotH,
                 stroke: "#9ca3af" }, svg);
  }

  // ------------------------------------------------------------------ unit sparklines
  function drawSpark(host, unit) {
    var width = 130, height = 30, pad = 3, values = unit.shares;
    if (!values.length) { return; }
    var svg = svgRoot(host, width, height, unit.id);
    var top = Math.max(1, unit.cap_share || 0);
    function y(v) { return height - pad - v / top * (height - 2 * pad); }
    function x(i) { return pad + (values.length > 1 ? i / (values.length - 1) : 0.5) *
                           (width - 2 * pad); }
    if (unit.cap_share !== null) {
      el("line", { x1: pad, x2: width - pad, y1: y(unit.cap_share), y2: y(unit.cap_share),
                   stroke: "#dc2626", "stroke-dasharray": "3 2", "stroke-width": "1" }, svg);
    }
    var points = values.map(function (v, i) { return x(i) + "," + y(v); }).join(" ");
    el("polyline", { points: points, fill: "none", stroke: "#0e7490",
                     "stroke-width": "1.6" }, svg);
    values.forEach(function (v, i) {
      var over = unit.cap_share !== null && v > unit.cap_share + 1e-9;
      var dot = el("circle", { cx: x(i), cy: y(v), r: over ? 2.8 : 1.8,
                               fill: over ? "#dc2626" : "#0e7490" }, svg);
      tip(dot, data.rounds[i] + ": " + Math.round(v * 100) + "%");
    });
  }

  // ------------------------------------------------------------------ sortable tables
  function sortable(table) {
    var heads = table.querySelectorAll("th");
    heads.forEach(function (th, column) {
      th.classList.add("sortable");
      th.addEventListener("click", function () {
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        var ascending = th.getAttribute("data-order") !== "asc";
        heads.forEach(function (other) { other.removeAttribute("data-order"); });
        th.setAttribute("data-order", ascending ? "asc" : "desc");
        rows.sort(function (a, b) {
          var x = a.cells[column] ? a.cells[column].textContent.trim() : "";
          var y = b.cells[column] ? b.cells[column].textContent.trim() : "";
          var nx = parseFloat(x), ny = parseFloat(y);
          var order = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y, data.lang);
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  }

  var flows = document.getElementById("chart-flows");
  if (flows) { drawFlows(flows); }
  var rounds = document.getElementById("chart-rounds");
  if (rounds && data.byRound.length) { drawRounds(rounds); }
  var unitById = {};
  data.units.forEach(function (unit) { unitById[unit.id] = unit; });
  document.querySelectorAll("[data-spark]").forEach(function (host) {
    var unit = unitById[host.getAttribute("data-spark")];
    if (unit) { drawSpark(host, unit); }
  });
  document.querySelectorAll("table.sortable").forEach(sortable);
  document.documentElement.setAttribute("data-charts", String(drawn));
})();
"""
