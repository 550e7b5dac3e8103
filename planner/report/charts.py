"""The report's charts as SVG text, drawn here in Python (they show without JavaScript and
print): moves per round (stacked by form), flows between levels and blocs, and per-unit
sparklines of the adapting share.

Axes are honest: the value axis starts at 0 and ends at a "nice" number (1, 2 or 5 × 10ⁿ
steps) at or above the largest bar, so every tick is a round number and no bar overshoots
its axis (the old script's 0/11/22/33/44 under a bar of 53).
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from typing import Any


def esc(value: Any) -> str:
    return html.escape(str(value), quote=True)


def nice_ticks(maximum: float, most: int = 6) -> list[float]:
    """Ticks 0, s, 2s … up to the first multiple of s ≥ maximum, s in {1, 2, 5} × 10ⁿ, at
    most `most` + 1 of them (whole numbers only when the maximum is a count ≥ 1)."""
    if maximum <= 0:
        return [0.0, 1.0]
    raw = maximum / most
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    if maximum >= 1:
        step = max(1.0, step)
    count = math.ceil(maximum / step - 1e-9)
    return [round(i * step, 10) for i in range(count + 1)]


def _tick_label(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def bar_chart(rounds: Sequence[dict[str, Any]], forms: Sequence[str],
              colours: dict[str, str], labels: dict[str, str], title: str,
              axis_label: str) -> str:
    """Moves per round, one stacked bar per round (rounds in horizon order)."""
    width, height, left, right, top = 860, 280, 52, 12, 16
    many = len(rounds) > 12
    bottom = 64 if many else 36
    plot_w, plot_h = width - left - right, height - top - bottom
    totals = [sum(r["forms"].values()) for r in rounds]
    ticks = nice_ticks(max(totals, default=0))
    top_value = ticks[-1]
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" role="img" aria-label="{esc(title)}" '
             'class="chart-svg" data-chart="rounds">', f"<title>{esc(title)}</title>"]

    def y(value: float) -> float:
        return top + plot_h - value / top_value * plot_h

    for tick in ticks:
        ty = y(tick)
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{ty:.1f}" y2="{ty:.1f}" '
                     'stroke="#e5e7eb"/>')
        parts.append(f'<text x="{left - 6}" y="{ty + 4:.1f}" text-anchor="end" '
                     f'fill="#4b5563" class="tick">{_tick_label(tick)}</text>')
    parts.append(f'<text x="14" y="{top + plot_h / 2:.1f}" transform="rotate(-90 14 '
                 f'{top + plot_h / 2:.1f})" text-anchor="middle" fill="#4b5563">'
                 f"{esc(axis_label)}</text>")
    band = plot_w / max(1, len(rounds))
    bar_w = min(44.0, band * 0.7)
    for index, (item, total) in enumerate(zip(rounds, totals, strict=True)):
        x = left + index * band + (band - bar_w) / 2
        base = 0
        for form in forms:
            count = item["forms"].get(form, 0)
            if not count:
                continue
            y0, y1 = y(base + count), y(base)
            parts.append(f'<rect class="bar" x="{x:.1f}" y="{y0:.1f}" width="{bar_w:.1f}" '
                         f'height="{y1 - y0:.1f}" fill="{colours.get(form, "#6b7280")}">'
                         f"<title>{esc(item['round'])} — {esc(labels.get(form, form))}: "
                         f"{count}</title></rect>")
            base += count
        if total:
            parts.append(f'<text x="{x + bar_w / 2:.1f}" y="{y(total) - 4:.1f}" '
                         f'text-anchor="middle" font-size="11" class="total">{total}</text>')
        lx, ly = x + bar_w / 2, top + plot_h + 16
        rotate = f' transform="rotate(-45 {lx:.1f} {ly:.1f})"' if many else ""
        anchor = "end" if many else "middle"
        parts.append(f'<text x="{lx:.1f}" y="{ly:.1f}" text-anchor="{anchor}" '
                     f'font-size="11"{rotate}>{esc(item["round"])}</text>')
    parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y(0):.1f}" y2="{y(0):.1f}" '
                 'stroke="#6b7280"/>')
    parts.append(f'<line x1="{left}" x2="{left}" y1="{top}" y2="{y(0):.1f}" '
                 'stroke="#6b7280"/>')
    parts.append("</svg>")
    return "".join(parts)


def flow_chart(flows: Sequence[dict[str, Any]], order: dict[str, int],
               node_label: dict[str, str], node_colour: dict[str, str],
               labels: dict[str, str], title: str, from_side: str, to_side: str) -> str:
    """Bands from origin groups (left) to destination groups (right), width ∝ moves."""
    if not flows:
        return ""
    left_nodes = sorted({f["source"] for f in flows}, key=lambda k: order[k])
    right_nodes = sorted({f["target"] for f in flows}, key=lambda k: order[k])
    outflow: dict[str, int] = {}
    inflow: dict[str, int] = {}
    for f in flows:
        outflow[f["source"]] = outflow.get(f["source"], 0) + f["count"]
        inflow[f["target"]] = inflow.get(f["target"], 0) + f["count"]
    total = sum(f["count"] for f in flows)
    gap, node_w, width, top = 14, 14, 860, 24
    rows = max(len(left_nodes), len(right_nodes))
    height = max(220, rows * 56 + 40)
    scale = (height - top - 16 - gap * (rows - 1)) / total
    x0, x1 = 230, width - 230 - node_w

    def layout(nodes: list[str], values: dict[str, int]) -> dict[str, list[float]]:
        place, y = {}, float(top)
        for node in nodes:
            h = max(2.0, values[node] * scale)
            place[node] = [y, h, 0.0]
            y += h + gap
        return place

    sources, targets = layout(left_nodes, outflow), layout(right_nodes, inflow)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" role="img" aria-label="{esc(title)}" '
             'class="chart-svg" data-chart="flows">', f"<title>{esc(title)}</title>",
             f'<text x="{x0 + node_w / 2}" y="14" text-anchor="middle" font-weight="600">'
             f"{esc(from_side)}</text>",
             f'<text x="{x1 + node_w / 2}" y="14" text-anchor="middle" font-weight="600">'
             f"{esc(to_side)}</text>"]
    for f in sorted(flows, key=lambda f: (order[f["source"]], order[f["target"]])):
        s, t, h = sources[f["source"]], targets[f["target"]], f["count"] * scale
        ys, yt = s[0] + s[2], t[0] + t[2]
        s[2] += h
        t[2] += h
        xa, xb = x0 + node_w, x1
        xm = (xa + xb) / 2
        d = (f"M{xa},{ys:.1f} C{xm},{ys:.1f} {xm},{yt:.1f} {xb},{yt:.1f} L{xb},{yt + h:.1f} "
             f"C{xm},{yt + h:.1f} {xm},{ys + h:.1f} {xa},{ys + h:.1f} Z")
        forms = ", ".join(f"{labels.get(k, k)}: {n}" for k, n in f["forms"].items())
        parts.append(f'<path class="band" d="{d}" fill="{node_colour[f["source"]]}" '
                     f'fill-opacity="0.42"><title>{esc(node_label[f["source"]])} → '
                     f'{esc(node_label[f["target"]])}: {f["count"]} ({esc(forms)})</title>'
                     "</path>")
    for place, values, x, anchor_left in ((sources, outflow, x0, True),
                                          (targets, inflow, x1, False)):
        for node, (y, h, _used) in place.items():
            parts.append(f'<rect class="node" x="{x}" y="{y:.1f}" width="{node_w}" '
                         f'height="{h:.1f}" fill="{node_colour[node]}"><title>'
                         f"{esc(node_label[node])}: {values[node]}</title></rect>")
            tx = x - 6 if anchor_left else x + node_w + 6
            parts.append(f'<text x="{tx}" y="{y + h / 2 + 4:.1f}" text-anchor='
                         f'"{"end" if anchor_left else "start"}">{esc(node_label[node])} '
                         f"({values[node]})</text>")
    parts.append("</svg>")
    return "".join(parts)


def sparkline(shares: Sequence[float], cap: float | None, rounds: Sequence[str],
              label: str) -> str:
    """A unit's adapting share per round (0…max(cap, 1)), the cap dashed, overs in red."""
    if not shares:
        return ""
    width, height, pad = 130, 30, 3
    top = max(1.0, cap or 0.0)

    def y(v: float) -> float:
        return height - pad - v / top * (height - 2 * pad)

    def x(i: int) -> float:
        return pad + (i / (len(shares) - 1) if len(shares) > 1 else 0.5) * (width - 2 * pad)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" role="img" aria-label="{esc(label)}" '
             'class="spark">']
    if cap is not None:
        parts.append(f'<line x1="{pad}" x2="{width - pad}" y1="{y(cap):.1f}" '
                     f'y2="{y(cap):.1f}" stroke="#dc2626" stroke-dasharray="3 2"/>')
    points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(shares))
    parts.append(f'<polyline points="{points}" fill="none" stroke="#0e7490" '
                 'stroke-width="1.6"/>')
    for i, v in enumerate(shares):
        over = cap is not None and v > cap + 1e-9
        parts.append(f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="{2.8 if over else 1.8}" '
                     f'fill="{"#dc2626" if over else "#0e7490"}"><title>{esc(rounds[i])}: '
                     f"{round(100 * v)}%</title></circle>")
    parts.append("</svg>")
    return "".join(parts)
