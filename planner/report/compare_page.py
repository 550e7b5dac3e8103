"""`rotation compare --html FILE`: the comparison as one self-contained page — the KPIs side
by side (each variant with its difference to the base) and each variant's move diff against
the base, with names and titles beside the ids. Same style sheet and CSP as the report."""

from __future__ import annotations

from typing import Any

from planner.compare import Comparison, MoveRow
from planner.i18n import format_number
from planner.report.assets import CSS
from planner.report.page import CSP, esc
from planner.report.text import compare_words, text_for


def _kpi_label(key: str, texts: dict[str, Any], words: dict[str, Any]) -> str:
    labels = texts["kpi_labels"]
    if key in labels:
        return str(labels[key])
    if key in words:
        return str(words[key])
    group, _dot, item = key.partition(".")
    if group == "moves_by_form":
        return f"{texts['form']}: {texts['forms'].get(item, item)}"
    if group == "moves_by_direction":
        return f"{texts['direction']}: {item}"
    if group == "penalty":
        return f"{words['penalty']}: {words['total'] if item == 'total' else item}"
    return key


def _value(value: Any, lang: str, texts: dict[str, Any]) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        return format_number(value, lang)
    return str(texts["statuses"].get(value, value))


def _move(move: MoveRow | None, texts: dict[str, Any]) -> str:
    if move is None:
        return "—"
    to = f"{move.to_title} ({move.to_position})" if move.to_title else move.to_position
    origin = f"{move.from_title} ({move.from_position})" if move.from_title \
        else move.from_position or "—"
    return f"{texts['forms'].get(move.form, move.form)} {origin} → {to}, {move.round}"


def render_comparison(comparison: Comparison, lang: str = "vi") -> str:
    texts, words = text_for(lang), compare_words(lang)
    labels = comparison.labels
    head = "".join(f"<th class='num'>{esc(label)}{' (' + words['base'] + ')' if i == 0 else ''}"
                   "</th>" for i, label in enumerate(labels))
    rows = []
    for row in comparison.rows:
        if row.key in ("objective", "gap"):
            continue  # solver figures: in the appendix below
        cells = [f"<td class='num'>{esc(_value(row.values[0], lang, texts))}</td>"]
        for index in range(1, len(row.values)):
            delta = row.delta(index)
            shown = "" if not delta else (f" <span class='id'>({'+' if delta > 0 else ''}"
                                          f"{esc(format_number(delta, lang))})</span>")
            cells.append(f"<td class='num'>{esc(_value(row.values[index], lang, texts))}"
                         f"{shown}</td>")
        rows.append(f"<tr><td>{esc(_kpi_label(row.key, texts, words))}</td>{''.join(cells)}"
                    "</tr>")
    diffs = []
    for label, changes in comparison.diffs.items():
        if not changes:
            diffs.append(f"<h2>{esc(label)}</h2><p>{esc(words['same'])}</p>")
            continue
        body = "".join(
            f"<tr class='{esc(c.change)}'><td>{esc(words['changes'][c.change])}</td>"
            f"<td>{esc(c.cadre)}</td><td>{esc(c.name)}</td>"
            f"<td>{esc(_move(c.base, texts))}</td><td>{esc(_move(c.variant, texts))}</td></tr>"
            for c in changes)
        diffs.append(f"<h2>{esc(label)}: {len(changes)} {esc(words['differ'])}</h2>"
                     f"<div class='scroll tall'><table><thead><tr><th>{esc(words['change'])}"
                     f"</th><th>{esc(texts['cadre_id'])}</th><th>{esc(texts['name'])}</th>"
                     f"<th>{esc(labels[0])}</th><th>{esc(label)}</th></tr></thead>"
                     f"<tbody>{body}</tbody></table></div>")
    appendix = "".join(
        f"<tr><td>{esc(words[row.key])}</td>"
        + "".join(f"<td class='num'>{esc(_value(v, lang, texts))}</td>" for v in row.values)
        + "</tr>" for row in comparison.rows if row.key in ("objective", "gap"))
    return "\n".join([
        "<!DOCTYPE html>", f'<html lang="{esc(lang)}">', "<head>", '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        f"<title>{esc(words['title'])}</title>", f"<style>{CSS}"
        "tr.added td:first-child{color:#15803d}tr.removed td:first-child{color:#b91c1c}"
        "</style>", "</head>", "<body>", f"<header><h1>{esc(words['title'])}</h1>"
        f"<p class='subtitle'>{esc(' · '.join(labels))}</p></header>",
        f"<section id='kpis'><h2>{esc(words['kpis'])}</h2><table><thead><tr><th></th>{head}"
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table></section>",
        f"<section id='diffs'>{''.join(diffs)}</section>",
        f"<section id='appendix'><h2>{esc(texts['appendix'])}</h2><table><thead><tr><th></th>"
        f"{head}</tr></thead><tbody>{appendix}</tbody></table></section>",
        "</body>", "</html>"]) + "\n"
