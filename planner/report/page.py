"""The self-contained HTML page of a report: tables rendered here, charts drawn by the inline
script from a JSON block. Every text from the inputs goes through `html.escape`."""

from __future__ import annotations

import html
import json
import re
from typing import Any

from planner.models import LEVELS
from planner.report.assets import CSS, ERROR_TRAP, FORM_COLOURS, LEVEL_COLOURS, SCRIPT
from planner.report.data import ReportData, RuleRef
from planner.report.text import text_for

CSP = ("default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
       "img-src data:")
BLOC_ORDER = ("party", "state", "front", "")


def esc(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def json_for_script(value: Any) -> str:
    """JSON safe inside <script>: no '<', '>' or '&' that could close or confuse the tag."""
    return (json.dumps(value, ensure_ascii=False, sort_keys=True)
            .replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def node_key(place: dict[str, str]) -> str:
    return f"{place['level']}|{place['bloc']}"


def node_label(key: str, texts: dict[str, Any]) -> str:
    level, bloc = key.split("|")
    label = texts["levels"].get(level, level)
    return f"{label} · {texts['blocs'].get(bloc, bloc)}" if bloc else label


def direction_label(direction: str, texts: dict[str, Any]) -> str:
    """'commune→district' in the report's language ('Phường/xã → Quận/huyện')."""
    words = {**texts["levels"], **texts["blocs"], **texts["direction_words"]}
    if direction in words:
        return str(words[direction])
    suffix = ""
    match = re.fullmatch(r"(.*) \((.*)\)", direction)
    if match:
        direction, extra = match.group(1), match.group(2)
        suffix = f" ({words.get(extra, extra)})"
    return " → ".join(str(words.get(part, part)) for part in direction.split("→")) + suffix


def form_badge(form: str, texts: dict[str, Any]) -> str:
    colour = FORM_COLOURS.get(form, "#6b7280")
    return (f'<span class="form" style="background:{colour}">'
            f"{esc(texts['forms'].get(form, form))}</span>")


def rule_chips(rule_ids: list[str], rules: dict[str, RuleRef]) -> str:
    chips = []
    for rule_id in rule_ids:
        ref = rules.get(rule_id)
        title = f"{ref.label} — {ref.basis}" if ref else rule_id
        chips.append(f'<span class="rule" title="{esc(title)}">{esc(rule_id)}</span>')
    return " ".join(chips)


def number(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.6g}" if abs(value) < 1e6 else f"{value:,.0f}"
    return esc(value)


def render_html(data: ReportData, lang: str) -> str:
    """The whole page as one string."""
    texts = text_for(lang)
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{esc(lang)}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',  # a constant
        '<link rel="icon" href="data:,">',
        f"<title>{esc(texts['report'])} — {esc(data.title)}</title>",
        f"<style>{CSS}</style>",
        f"<script>{ERROR_TRAP}</script>",
        "</head>",
        "<body>",
        _header(data, texts),
        _nav(data, texts),
        _summary(data, texts),
        _flows(data, texts),
        _rounds(data, texts),
        _units(data, texts),
        _moves(data, texts),
        _unplaced(data, texts),
        _violations("penalties", texts["penalties"], data.penalties, texts,
                    texts["none_penalties"]),
        _violations("hard", texts["hard"], data.hard, texts, None) if data.hard else "",
        _footer(data, texts),
        f'<script type="application/json" id="report-data">'
        f"{json_for_script(_payload(data, texts, lang))}</script>",
        f"<script>{SCRIPT}</script>",
        "</body>",
        "</html>",
    ]
    return "\n".join(p for p in parts if p) + "\n"


def _header(data: ReportData, texts: dict[str, Any]) -> str:
    document = data.document
    status = str(document.get("status", ""))
    rows = [
        (texts["scenario"], f"{esc(data.scenario)} <span class='id'>{esc(data.scenario_path)}"
                            "</span>"),
        (texts["horizon"], f"{esc(data.horizon[0])} → {esc(data.horizon[1])} "
                           f"({len(data.rounds)} {esc(texts['rounds'])})"),
        (texts["status"], f"<strong class='status-{esc(status)}'>"
                          f"{esc(texts['statuses'].get(status, status))}</strong>"),
        (texts["verdict"], esc(document.get("verdict", ""))),
        (texts["objective"], number(document.get("objective"))),
        (texts["gap"], f"{100 * float(document.get('gap') or 0):.2f}%"),
    ]
    table = "".join(f"<tr><th>{esc(k)}</th><td>{v}</td></tr>" for k, v in rows)
    out = [f"<header><h1>{esc(texts['report'])}</h1>",
           f"<p class='subtitle'>{esc(data.title)}</p>",
           f"<table class='meta'><tbody>{table}</tbody></table>"]
    if data.redacted:
        out.append(f"<p class='redacted'>{esc(texts['redacted'])}</p>")
    if data.inputs_changed:
        out.append(f"<p class='warning'>{esc(texts['inputs_changed'])}: "
                   f"{esc(', '.join(data.inputs_changed))}</p>")
    out.append("</header>")
    return "\n".join(out)


def _nav(data: ReportData, texts: dict[str, Any]) -> str:
    links = [("summary", texts["summary"]), ("flows", texts["flows"]),
             ("rounds", texts["by_round"]), ("units", texts["units_nav"]),
             ("moves", texts["moves"]), ("unplaced", texts["unplaced"]),
             ("penalties", texts["penalties"])]
    if data.hard:
        links.append(("hard", texts["hard"]))
    return "<nav>" + "".join(f'<a href="#{k}">{esc(v)}</a>' for k, v in links) + "</nav>"


def _summary(data: ReportData, texts: dict[str, Any]) -> str:
    kpis = data.kpis
    labels = texts["kpi_labels"]
    cards = [
        (kpis["moves"], labels["moves"]),
        (f"{kpis['due_moved']}/{kpis['due_cadres']}", labels["due_moved"]),
        (kpis["due_left"], labels["due_left"]),
        (f"{kpis['vacancies_filled']}/{kpis['vacancies_at_start']}", labels["vacancies_filled"]),
        (number(kpis["penalty_total"]), labels["penalty_total"]),
    ]
    card_html = "".join(f"<div class='card'><div class='value'>{esc(v)}</div>"
                        f"<div class='label'>{esc(label)}</div></div>" for v, label in cards)
    rows = [(labels[k], kpis[k]) for k in ("moves", "due_cadres", "due_moved", "due_left",
                                            "vacancies_at_start", "vacancies_filled",
                                            "vacant_at_end", "penalty_total")]
    rows += [(f"{texts['form']}: {texts['forms'].get(k, k)}", v)
             for k, v in kpis["moves_by_form"].items()]
    rows += [(f"{texts['direction']}: {direction_label(k, texts)}", v)
             for k, v in kpis["moves_by_direction"].items()]
    table = "".join(f"<tr><td>{esc(k)}</td><td class='num'>{number(v)}</td></tr>"
                    for k, v in rows)
    return (f"<section id='summary'><h2>{esc(texts['summary'])}</h2>"
            f"<div class='cards'>{card_html}</div>"
            f"<table class='kpis'><thead><tr><th>{esc(texts['kpi'])}</th>"
            f"<th class='num'>{esc(texts['value'])}</th></tr></thead>"
            f"<tbody>{table}</tbody></table></section>")


def _flows(data: ReportData, texts: dict[str, Any]) -> str:
    rows = "".join(
        f"<tr><td>{esc(node_label(node_key(f['source']), texts))}</td>"
        f"<td>{esc(node_label(node_key(f['target']), texts))}</td>"
        f"<td class='num'>{f['count']}</td>"
        f"<td>{' '.join(form_badge(k, texts) + f' {n}' for k, n in f['forms'].items())}</td>"
        "</tr>" for f in data.flows)
    table = (f"<table class='flows'><thead><tr><th>{esc(texts['from'])}</th>"
             f"<th>{esc(texts['to'])}</th><th class='num'>{esc(texts['count'])}</th>"
             f"<th>{esc(texts['form'])}</th></tr></thead><tbody>{rows}</tbody></table>")
    return (f"<section id='flows'><h2>{esc(texts['flows'])}</h2>"
            f"<p class='note'>{esc(texts['flows_note'])}</p>"
            f"<noscript><p class='note'>{esc(texts['noscript'])}</p></noscript>"
            f"<div class='chart' id='chart-flows'></div>"
            f"<details><summary>{esc(texts['details'])}</summary>{table}</details></section>")


def _legend(texts: dict[str, Any]) -> str:
    return "<div class='legend'>" + "".join(
        f"<span style='--swatch:{colour}'>{esc(texts['forms'][form])}</span>"
        for form, colour in FORM_COLOURS.items()) + "</div>"


def _rounds(data: ReportData, texts: dict[str, Any]) -> str:
    return (f"<section id='rounds'><h2>{esc(texts['by_round'])}</h2>{_legend(texts)}"
            f"<div class='chart' id='chart-rounds'></div></section>")


def _share_cell(share: float, cap_share: float | None, ids: list[str]) -> str:
    over = cap_share is not None and share > cap_share + 1e-9
    alpha = min(1.0, share) * 0.55
    title = ", ".join(ids)
    return (f"<td class='share{' over' if over else ''}' title='{esc(title)}' "
            f"style='background:rgba(14,116,144,{alpha:.2f})'>"
            f"{f'{round(100 * share)}%' if share else ''}</td>")


def _unit_moves(unit: dict[str, Any], texts: dict[str, Any]) -> str:
    items = []
    for key, arrow in (("arrivals", "→"), ("departures", "←")):
        for move in unit[key]:
            who = move["cadre"] + (f" {move['name']}" if move["name"] != move["cadre"] else "")
            items.append(f"<li>{arrow} {esc(move['round'])} {form_badge(move['form'], texts)} "
                         f"{esc(who)}: {esc(move['title'])} <span class='id'>"
                         f"{esc(move['post'])}</span></li>")
    return (f"<details><summary>{len(unit['arrivals'])}/{len(unit['departures'])}</summary>"
            f"<ul>{''.join(items)}</ul></details>")


def _units(data: ReportData, texts: dict[str, Any]) -> str:
    head = [texts["unit"], texts["locality"], texts["leaders"], texts["cap"], texts["arrivals"],
            texts["departures"], *data.rounds, texts["trend"], texts["moves_in_out"]]
    rows = []
    for unit in data.units:
        shares = unit["shares"] or [0.0] * len(data.rounds)
        adapting = unit["adapting"] or [[] for _ in data.rounds]
        cells = "".join(_share_cell(s, unit["cap_share"], ids)
                        for s, ids in zip(shares, adapting, strict=True))
        rows.append(
            f"<tr><td>{esc(unit['name'])} <span class='id'>{esc(unit['id'])}</span></td>"
            f"<td>{esc(unit['locality_name'])}</td><td class='num'>{unit['leaders']}</td>"
            f"<td class='num'>{esc(unit['cap'] if unit['cap'] is not None else '—')}</td>"
            f"<td class='num'>{len(unit['arrivals'])}</td>"
            f"<td class='num'>{len(unit['departures'])}</td>{cells}"
            f"<td data-spark='{esc(unit['id'])}'></td><td>{_unit_moves(unit, texts)}</td></tr>")
    rule = data.adaptation_rule
    note = (f"{texts['units_note']} ({rule.id}: {rule.label} — {rule.basis})." if rule
            else texts["no_adaptation_rule"])
    header = "".join(f"<th>{esc(h)}</th>" for h in head)
    return (f"<section id='units'><h2>{esc(texts['units'])}</h2><p class='note'>{esc(note)}"
            f"</p><div class='scroll'><table class='units'><thead><tr>{header}"
            f"</tr></thead><tbody>{''.join(rows)}</tbody></table></div></section>")


def _cadre_cells(row: dict[str, Any], data: ReportData) -> str:
    if data.redacted:
        return f"<td>{esc(row['cadre'])}</td>"
    return f"<td>{esc(row['cadre'])}</td><td>{esc(row['name'])}</td>"


def _cadre_heads(data: ReportData, texts: dict[str, Any]) -> list[str]:
    return [texts["cadre"]] if data.redacted else [texts["cadre_id"], texts["name"]]


def _post_cell(post: dict[str, Any]) -> str:
    if not post["id"]:
        return "<td>—</td>"
    return (f"<td>{esc(post['title'])} <span class='id'>{esc(post['id'])} · "
            f"{esc(post['unit_name'])}</span></td>")


def _moves(data: ReportData, texts: dict[str, Any]) -> str:
    if not data.moves:
        return (f"<section id='moves'><h2>{esc(texts['moves'])}</h2>"
                f"<p>{esc(texts['no_moves'])}</p></section>")
    head = [*_cadre_heads(data, texts), texts["form"], texts["from"], texts["to"],
            texts["round"], texts["direction"], texts["adaptation_until"], texts["end"],
            texts["rules"]]
    rows = "".join(
        f"<tr>{_cadre_cells(m, data)}<td>{form_badge(m['form'], texts)}</td>"
        f"{_post_cell(m['from'])}{_post_cell(m['to'])}<td>{esc(m['round'])}</td>"
        f"<td>{esc(direction_label(m['direction'], texts))}</td>"
        f"<td>{esc(m['adaptation_until'])}</td><td>{esc(m['end'])}</td>"
        f"<td>{rule_chips(m['rules'], data.rules)}</td></tr>" for m in data.moves)
    header = "".join(f"<th>{esc(h)}</th>" for h in head)
    return (f"<section id='moves'><h2>{esc(texts['moves'])} ({len(data.moves)})</h2>"
            f"<div class='scroll'><table class='sortable'><thead><tr>{header}</tr></thead>"
            f"<tbody>{rows}</tbody></table></div></section>")


def _unplaced(data: ReportData, texts: dict[str, Any]) -> str:
    if not data.unplaced:
        return (f"<section id='unplaced'><h2>{esc(texts['unplaced'])}</h2>"
                f"<p>{esc(texts['none_unplaced'])}</p></section>")
    head = [*_cadre_heads(data, texts), texts["post"], texts["reason"], texts["rules"]]
    rows = "".join(
        f"<tr>{_cadre_cells(u, data)}<td>{esc(u['title'])} <span class='id'>"
        f"{esc(u['post'])}</span></td><td>{esc(u['reason'])}</td>"
        f"<td>{rule_chips([r['id'] for r in u['rules']], data.rules)}</td></tr>"
        for u in data.unplaced)
    header = "".join(f"<th>{esc(h)}</th>" for h in head)
    return (f"<section id='unplaced'><h2>{esc(texts['unplaced'])} ({len(data.unplaced)})</h2>"
            f"<table class='sortable'><thead><tr>{header}</tr></thead><tbody>{rows}</tbody>"
            "</table></section>")


def _violations(anchor: str, title: str, groups: list[dict[str, Any]], texts: dict[str, Any],
                empty: str | None) -> str:
    if not groups:
        return (f"<section id='{anchor}'><h2>{esc(title)}</h2><p>{esc(empty or '')}</p>"
                "</section>")
    head = [texts["rule"], texts["label"], texts["basis"], texts["count"], texts["penalty"],
            texts["details"]]
    rows = []
    for group in groups:
        messages = "".join(f"<li>{esc(m)}</li>" for m in group["messages"][:100])
        more = len(group["messages"]) - 100
        if more > 0:
            messages += f"<li>… +{more}</li>"
        amount = f"{group['amount']:g} {group['unit']}".strip()
        rows.append(
            f"<tr><td><span class='rule'>{esc(group['rule'])}</span></td>"
            f"<td>{esc(group['label'])}</td><td>{esc(group['basis'])}</td>"
            f"<td class='num'>{group['count']}</td>"
            f"<td class='num'>{number(group['penalty'])}</td>"
            f"<td><details><summary>{esc(amount)}</summary><ul>{messages}</ul></details></td>"
            "</tr>")
    total = sum(g["penalty"] for g in groups)
    header = "".join(f"<th>{esc(h)}</th>" for h in head)
    return (f"<section id='{anchor}'><h2>{esc(title)}</h2><table><thead><tr>{header}</tr>"
            f"</thead><tbody>{''.join(rows)}</tbody><tfoot><tr><th colspan='4'>"
            f"{esc(texts['total'])}</th><th class='num'>{number(total)}</th><th></th></tr>"
            "</tfoot></table></section>")


def _footer(data: ReportData, texts: dict[str, Any]) -> str:
    provenance = data.document.get("provenance") or {}
    versions = ", ".join(f"{k} {v}" for k, v in (provenance.get("versions") or {}).items())
    return (f"<footer>{esc(texts['generated_from'])}: <code>{esc(data.plan_path)}</code> · "
            f"<code>{esc(data.scenario_path)}</code><br>{esc(texts['run_hash'])}: "
            f"<code>{esc(provenance.get('run_hash', ''))}</code><br>{esc(versions)}</footer>")


def _payload(data: ReportData, texts: dict[str, Any], lang: str) -> dict[str, Any]:
    """What the script needs: flows, rounds, unit shares, labels and colours."""
    keys = sorted({node_key(f[end]) for f in data.flows for end in ("source", "target")},
                  key=lambda k: ([*LEVELS, "none"].index(k.split("|")[0]),
                                 BLOC_ORDER.index(k.split("|")[1])))
    return {
        "lang": lang,
        "text": {"no_moves": texts["no_moves"], "flows": texts["flows"],
                 "by_round": texts["by_round"], "from_side": texts["from"],
                 "to_side": texts["to"]},
        "flows": [{"source": node_key(f["source"]), "target": node_key(f["target"]),
                   "count": f["count"], "forms": f["forms"]} for f in data.flows],
        "nodeLabel": {k: node_label(k, texts) for k in keys},
        "nodeColour": {k: LEVEL_COLOURS.get(k.split("|")[0], "#6b7280") for k in keys},
        "nodeOrder": {k: i for i, k in enumerate(keys)},
        "byRound": data.by_round,
        "rounds": data.rounds,
        "forms": list(FORM_COLOURS),
        "formLabel": texts["forms"],
        "formColour": FORM_COLOURS,
        "units": [{"id": u["id"], "shares": u["shares"], "cap_share": u["cap_share"]}
                  for u in data.units],
    }
