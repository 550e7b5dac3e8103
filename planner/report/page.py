"""The self-contained HTML page of a report: tables and SVG charts rendered here, in Python.

It works without JavaScript: charts are inline SVG; the moves are grouped by destination unit
in a fixed order (unit, round in horizon order, cadre); form and round filters and three
sorts are radio buttons that CSS applies (over ranks computed here); an index by unit (under
its locality) and one by given name link to the rows. Typed search is the one thing a static
page cannot do: without script the page says so and points to the indexes and the browser's
find in page (every move is on the page). With JavaScript, a search box (diacritics-
insensitive), filters, column sorting by server-side keys (`data-k`: rounds sort by their
place in the horizon, 2024-Q1 < 2025-Q1) and paging are added; a URL hash
`#q=…&form=…&round=…` sets them. Rule ids link to one "rules cited" section (label and
basis once). Print: A4 landscape, "Trang 3 / 12" in the margin. Every text from the inputs
goes through `html.escape`."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from typing import Any

from planner.i18n import direction_text, format_date, format_number, verdict
from planner.models import LEVELS
from planner.relax import overlay_yaml
from planner.report.assets import CSS, ERROR_TRAP, FORM_COLOURS, LEVEL_COLOURS, SCRIPT
from planner.report.charts import bar_chart, flow_chart, sparkline
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
    return direction_text(direction, texts["lang"])


def form_badge(form: str, texts: dict[str, Any]) -> str:
    colour = FORM_COLOURS.get(form, "#6b7280")
    return (f'<span class="form" style="background:{colour}">'
            f"{esc(texts['forms'].get(form, form))}</span>")


def rule_chips(rule_ids: list[str], rules: dict[str, RuleRef]) -> str:
    """Each rule id a link to its line in the rules section (label and basis written once
    there: at Hà Nội size the basis on every row weighed a megabyte), its label on hover."""
    chips = []
    for rule_id in rule_ids:
        ref = rules.get(rule_id)
        if ref is None:
            chips.append(f'<span class="rule">{esc(rule_id)}</span>')
            continue
        chips.append(f'<a class="rule" href="#rule-{esc(rule_id)}" title="{esc(ref.label)}">'
                     f"{esc(rule_id)}</a>")
    return " ".join(chips)


def number(value: Any, lang: str = "en") -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return esc(format_number(value, lang))
    return esc(value)


PAGE_SIZE = 100  # moves per page when the script pages the table
FOLD_OVER = 20  # exempt/deferred cadres beyond this: the list is folded (opened on a click)
EXEMPT_SHOWN = 300  # exempt/deferred cadres listed on the page (all of them in the workbook)


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
        f"<style>{CSS}{_print_css(texts)}{_filter_css(data)}</style>",
        f"<script>{ERROR_TRAP}</script>",
        "</head>",
        "<body>",
        _header(data, texts, lang),
        _nav(data, texts),
        _summary(data, texts, lang),
        _assumptions(data, texts),
        _exempt(data, texts),
        _flows(data, texts),
        _rounds(data, texts),
        _units(data, texts),
        _moves(data, texts, lang),
        _unplaced(data, texts),
        _violations("penalties", texts["penalties"], data.penalties, texts,
                    texts["none_penalties"], lang),
        _violations("hard", texts["hard"], data.hard, texts, None, lang) if data.hard else "",
        _objective(data, texts, lang),
        RULES_CITED,
        _appendix(data, texts, lang),
        _footer(data, texts),
        f'<script type="application/json" id="report-data">'
        f"{json_for_script(_payload(data, texts, lang))}</script>",
        f"<script>{SCRIPT}</script>",
        "</body>",
        "</html>",
    ]
    page = "\n".join(p for p in parts if p) + "\n"
    # the rules section lists the rules the sections above link to, once each
    cited = set(re.findall(r'<a class="rule" href="#rule-([^"]+)"', page))
    return page.replace(RULES_CITED, _rules_cited(data, texts, cited), 1)


def _verdict(data: ReportData, lang: str) -> str:
    check = data.check
    if not check:
        return str(data.document.get("verdict", ""))
    return verdict(check["hard"], check["hard_rules"], check["soft"], check["penalty_total"],
                   lang)


def _header(data: ReportData, texts: dict[str, Any], lang: str) -> str:
    document = data.document
    status = str(document.get("status", ""))
    rows = [
        (texts["scenario"], f"{esc(data.scenario)} <span class='id'>{esc(data.scenario_path)}"
                            "</span>"),
        (texts["horizon"], f"{esc(format_date(data.horizon[0], lang))} → "
                           f"{esc(format_date(data.horizon[1], lang))} "
                           f"({len(data.rounds)} {esc(texts['rounds'])})"),
        (texts["status"], f"<strong class='status-{esc(status)}'>"
                          f"{esc(texts['statuses'].get(status, status))}</strong>"),
        (texts["verdict"], esc(_verdict(data, lang))),
    ]
    table = "".join(f"<tr><th>{esc(k)}</th><td>{v}</td></tr>" for k, v in rows)
    out = [f"<header><h1>{esc(texts['report'])}</h1>",
           f"<p class='subtitle'>{esc(data.title)}</p>",
           f"<table class='meta'><tbody>{table}</tbody></table>"]
    if data.infeasibility:
        out.append(_banner(data, texts))
    if data.redacted:
        out.append(f"<p class='redacted'>{esc(texts['redacted'])}</p>")
    if data.inputs_changed:
        out.append(f"<p class='warning'>{esc(texts['inputs_changed'])}: "
                   f"{esc(', '.join(data.inputs_changed))}</p>")
    out.append("</header>")
    return "\n".join(out)


def _banner(data: ReportData, texts: dict[str, Any]) -> str:
    """Why the plan is infeasible: the stuck cadres, the rules refusing them (the conflict
    core), and the smallest relaxation found, as an overlay to paste."""
    record = data.infeasibility or {}
    items = []
    for item in record.get("stuck", []):
        rule = data.rules.get(item.get("rule", ""))
        due = f"{item['rule']} — {rule.label} [{rule.basis}]" if rule else item.get("rule", "")
        name = item.get("name", "")
        who = f"{item['cadre']} {name}" if name and name != item["cadre"] else item["cadre"]
        post = f" ({item['title']})" if item.get("title") else ""
        refusals = ", ".join(
            f"{rule_id}{' — ' + data.rules[rule_id].label if rule_id in data.rules else ''}"
            + (f" ×{count}" if count else "") for rule_id, count in
            (item.get("refused_by") or {}).items())
        items.append(f"<li><strong>{esc(who)}</strong>{esc(post)}: {esc(texts['due_under'])} "
                     f"{esc(due)} ({esc(item.get('round', ''))})"
                     + (f"; {esc(texts['refused_by'])} {esc(refusals)}" if refusals else "")
                     + "</li>")
    out = [f"<section class='banner' id='infeasible'><h2>{esc(texts['infeasible_title'])}"
           f"</h2><p>{esc(texts['infeasible_intro'])}</p><ul>{''.join(items)}</ul>"]
    core = record.get("core") or []
    if core:
        members = "".join(
            f"<li><span class='rule'>{esc(m.get('rule', ''))}</span> {esc(m.get('instance', ''))}"
            f" — {esc(m.get('label', ''))} <span class='id'>[{esc(m.get('basis', ''))}]</span>"
            "</li>" for m in core)
        out.append(f"<p>{esc(texts['core'])}</p><ul>{members}</ul>")
    relaxation = record.get("relaxation")
    if relaxation:
        state = texts["relaxation_verified"] if relaxation.get("verified") else \
            texts["relaxation_unverified"]
        overlay = "\n".join(overlay_yaml(relaxation.get("overlay") or {}))
        out.append(f"<p><strong>{esc(texts['relaxation'])}:</strong> "
                   f"{esc(relaxation.get('description', ''))} ({esc(state)})</p>"
                   f"<p>{esc(texts['paste_overlay'])}</p><pre>{esc(overlay)}</pre>")
    out.append("</section>")
    return "".join(out)


def _nav(data: ReportData, texts: dict[str, Any]) -> str:
    links = [("summary", texts["summary"]), ("assumptions", texts["assumptions"]),
             ("exempt", texts["exempt"]), ("flows", texts["flows"]),
             ("rounds", texts["by_round"]), ("units", texts["units_nav"]),
             ("moves", texts["moves"]), ("unplaced", texts["unplaced"]),
             ("penalties", texts["penalties"])]
    if data.hard:
        links.append(("hard", texts["hard"]))
    links += [("objective", texts["objective_terms"]), ("rules", texts["rules_cited"]),
              ("appendix", texts["appendix"])]
    return "<nav>" + "".join(f'<a href="#{k}">{esc(v)}</a>' for k, v in links) + "</nav>"


def _summary(data: ReportData, texts: dict[str, Any], lang: str) -> str:
    kpis = data.kpis
    labels = texts["kpi_labels"]
    cards = [
        (number(kpis["moves"], lang), labels["moves"]),
        (f"{kpis['due_moved']}/{kpis['due_cadres']}", labels["due_moved"]),
        (number(kpis["due_left"], lang), labels["due_left"]),
        (f"{kpis['vacancies_filled']}/{kpis['vacancies_at_start']}", labels["vacancies_filled"]),
        (number(kpis["penalty_total"], lang), labels["penalty_total"]),
    ]
    card_html = "".join(f"<div class='card'><div class='value'>{v}</div>"
                        f"<div class='label'>{esc(label)}</div></div>" for v, label in cards)
    rows = [(labels[k], kpis[k]) for k in ("moves", "due_cadres", "due_moved", "due_left",
                                            "vacancies_at_start", "vacancies_filled",
                                            "vacant_at_end", "penalty_total")]
    rows += [(f"{texts['form']}: {texts['forms'].get(k, k)}", v)
             for k, v in kpis["moves_by_form"].items()]
    rows += [(f"{texts['direction']}: {direction_label(k, texts)}", v)
             for k, v in kpis["moves_by_direction"].items()]
    table = "".join(f"<tr><td>{esc(k)}</td><td class='num'>{number(v, lang)}</td></tr>"
                    for k, v in rows)
    return (f"<section id='summary'><h2>{esc(texts['summary'])}</h2>"
            f"<div class='cards'>{card_html}</div>"
            f"<table class='kpis'><thead><tr><th>{esc(texts['kpi'])}</th>"
            f"<th class='num'>{esc(texts['value'])}</th></tr></thead>"
            f"<tbody>{table}</tbody></table></section>")


def _assumptions(data: ReportData, texts: dict[str, Any]) -> str:
    if not data.assumptions:
        return (f"<section id='assumptions'><h2>{esc(texts['assumptions'])}</h2>"
                f"<p>{esc(texts['no_assumptions'])}</p></section>")
    head = "".join(f"<th>{esc(texts[k])}</th>" for k in ("assumption_kind", "subject",
                                                         "change", "before", "where"))
    rows = "".join(
        f"<tr><td>{esc(texts['assumption_kinds'].get(a['kind'], a['kind']))}</td>"
        f"<td>{esc(a['subject'])}{_rule_label(a, data)}</td><td>{esc(a['detail'])}</td>"
        f"<td>{esc(a['before'])}</td><td class='id'>{esc(a['where'])}</td></tr>"
        for a in data.assumptions)
    return (f"<section id='assumptions'><h2>{esc(texts['assumptions'])}</h2>"
            f"<p class='note'>{esc(texts['assumptions_note'])}</p><div class='scroll'>"
            f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div>"
            "</section>")


def _rule_label(assumption: dict[str, str], data: ReportData) -> str:
    ref = data.rules.get(assumption["subject"]) if assumption["kind"] in (
        "set", "disable", "enable") else None
    return f" <span class='id'>{esc(ref.label)}</span>" if ref else ""


def _exempt(data: ReportData, texts: dict[str, Any]) -> str:
    return _cadre_section(
        "exempt", texts["exempt"], texts["none_exempt"], texts["exempt_note"],
        [texts["rule"], texts["reason"], texts["forms_kept"]],
        [(e, f"<td>{rule_chips([e['rule']['id']], data.rules)} {esc(e['rule']['label'])}</td>"
             f"<td>{esc(e['reason'])}</td>"
             f"<td>{esc(', '.join(texts['forms'].get(f, f) for f in e['forms']))}</td>")
         for e in data.exempt], data, texts, EXEMPT_SHOWN, fold_over=FOLD_OVER)


def _cadre_section(anchor: str, title: str, empty: str, note: str | None, heads: list[str],
                   rows: list[tuple[dict[str, Any], str]], data: ReportData,
                   texts: dict[str, Any], shown: int | None = None,
                   fold_over: int | None = None) -> str:
    """A section listing cadres (id and name, or the pseudonym) with further cells; `shown`
    rows at most on the page (the workbook has them all), folded in a <details> when more
    than `fold_over` (the charts stay near the top of the page)."""
    if not rows:
        return f"<section id='{anchor}'><h2>{esc(title)}</h2><p>{esc(empty)}</p></section>"
    head = [*_cadre_heads(data, texts), *heads]
    body = "".join(f"<tr>{_cadre_cells(row, data)}{cells}</tr>" for row, cells in
                   rows[:shown])
    if shown is not None and len(rows) > shown:
        body += (f"<tr><td colspan='{len(head)}'>… +{len(rows) - shown} "
                 f"({esc(texts['see_workbook'])})</td></tr>")
    header = "".join(f"<th>{esc(h)}</th>" for h in head)
    remark = f"<p class='note'>{esc(note)}</p>" if note else ""
    table = (f"<div class='scroll'><table><thead><tr>{header}</tr></thead><tbody>{body}"
             "</tbody></table></div>")
    if fold_over is not None and len(rows) > fold_over:
        table = (f"<details class='list'><summary>{esc(texts['show_list'])} ({len(rows)})"
                 f"</summary>{table}</details>")
    return f"<section id='{anchor}'><h2>{esc(title)} ({len(rows)})</h2>{remark}{table}</section>"


def _node_order(data: ReportData) -> list[str]:
    return sorted({node_key(f[end]) for f in data.flows for end in ("source", "target")},
                  key=lambda k: ([*LEVELS, "none"].index(k.split("|")[0]),
                                 BLOC_ORDER.index(k.split("|")[1])))


def _flows(data: ReportData, texts: dict[str, Any]) -> str:
    keys = _node_order(data)
    chart = flow_chart(
        [{"source": node_key(f["source"]), "target": node_key(f["target"]),
          "count": f["count"], "forms": f["forms"]} for f in data.flows],
        {k: i for i, k in enumerate(keys)}, {k: node_label(k, texts) for k in keys},
        {k: LEVEL_COLOURS.get(k.split("|")[0], "#6b7280") for k in keys}, texts["forms"],
        texts["flows"], texts["from"], texts["to"]) or f"<p>{esc(texts['no_moves'])}</p>"
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
            f"<div class='chart' id='chart-flows'>{chart}</div>"
            f"<details><summary>{esc(texts['details'])}</summary>{table}</details></section>")


def _legend(texts: dict[str, Any]) -> str:
    return "<div class='legend'>" + "".join(
        f"<span style='--swatch:{colour}'>{esc(texts['forms'][form])}</span>"
        for form, colour in FORM_COLOURS.items()) + "</div>"


def _rounds(data: ReportData, texts: dict[str, Any]) -> str:
    chart = bar_chart(data.by_round, list(FORM_COLOURS), FORM_COLOURS, texts["forms"],
                      texts["by_round"], texts["count_axis"])
    return (f"<section id='rounds'><h2>{esc(texts['by_round'])}</h2>{_legend(texts)}"
            f"<div class='chart' id='chart-rounds'>{chart}</div></section>")


def _share_cell(share: float, cap_share: float | None, ids: list[str]) -> str:
    if not share:
        return "<td class='share'></td>"
    over = cap_share is not None and share > cap_share + 1e-9
    alpha = min(1.0, share) * 0.55
    title = ", ".join(ids)
    return (f"<td class='share{' over' if over else ''}' title='{esc(title)}' "
            f"style='background:rgba(14,116,144,{alpha:.2f})'>"
            f"{f'{round(100 * share)}%' if share else ''}</td>")


UNIT_LISTS_UP_TO = 150  # units beyond this: a link to the unit's group of moves instead


def _unit_moves(unit: dict[str, Any], texts: dict[str, Any], units: int = 0) -> str:
    counts = f"{len(unit['arrivals'])}/{len(unit['departures'])}"
    if units > UNIT_LISTS_UP_TO:
        target = f"<a href='#g-{esc(unit['id'])}'>{counts}</a>" if unit["arrivals"] else counts
        return target
    items = []
    for key, arrow in (("arrivals", "→"), ("departures", "←")):
        for move in unit[key]:
            who = move["cadre"] + (f" {move['name']}" if move["name"] != move["cadre"] else "")
            items.append(f"<li>{arrow} {esc(move['round'])} {form_badge(move['form'], texts)} "
                         f"{esc(who)}: {esc(move['title'])} <span class='id'>"
                         f"{esc(move['post'])}</span></li>")
    return f"<details><summary>{counts}</summary><ul>{''.join(items)}</ul></details>"


def _units(data: ReportData, texts: dict[str, Any]) -> str:
    head = [texts["unit"], texts["locality"], texts["leaders"], texts["cap"], texts["arrivals"],
            texts["departures"], *data.rounds, texts["trend"], texts["moves_in_out"]]
    rows = []
    for unit in data.units:
        shares = unit["shares"] or [0.0] * len(data.rounds)
        adapting = unit["adapting"] or [[] for _ in data.rounds]
        cells = "".join(_share_cell(s, unit["cap_share"], ids)
                        for s, ids in zip(shares, adapting, strict=True))
        # drawn only where someone adapts (a flat line at 0 says nothing, and 1,100 of them
        # weigh a megabyte at Hà Nội size)
        spark = sparkline(unit["shares"], unit["cap_share"], data.rounds, unit["id"]) \
            if any(unit["shares"]) else ""
        rows.append(
            f"<tr id='unit-{esc(unit['id'])}'><td>{esc(unit['name'])} <span class='id'>"
            f"{esc(unit['id'])}</span></td>"
            f"<td>{esc(unit['locality_name'])}</td><td class='num'>{unit['leaders']}</td>"
            f"<td class='num'>{esc(unit['cap'] if unit['cap'] is not None else '—')}</td>"
            f"<td class='num'>{len(unit['arrivals'])}</td>"
            f"<td class='num'>{len(unit['departures'])}</td>{cells}"
            f"<td class='sparkcell'>{spark}</td><td>{_unit_moves(unit, texts, len(data.units))}"
            "</td></tr>")
    rule = data.adaptation_rule
    note = (f"{texts['units_note']} ({rule.id}: {rule.label} — {rule.basis})." if rule
            else texts["no_adaptation_rule"])
    header = "".join(f"<th>{esc(h)}</th>" for h in head)
    return (f"<section id='units'><h2>{esc(texts['units'])} ({len(data.units)})</h2>"
            f"<p class='note'>{esc(note)}</p><div class='scroll tall'><table class='units'>"
            f"<thead><tr>{header}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
            "</section>")


def _cadre_cells(row: dict[str, Any], data: ReportData) -> str:
    if data.redacted:
        return f"<td>{esc(row['cadre'])}</td>"
    return f"<td>{esc(row['cadre'])}</td><td>{esc(row['name'])}</td>"


def _cadre_heads(data: ReportData, texts: dict[str, Any]) -> list[str]:
    return [texts["cadre"]] if data.redacted else [texts["cadre_id"], texts["name"]]


def _post_cell(post: dict[str, Any]) -> str:
    if not post["title"]:
        return "<td>—</td>"
    # generated and real titles often end with their unit ("… phường Xuân La"): said once
    unit = post["unit_name"] if post["unit_name"] not in post["title"] else ""
    where = " · ".join(x for x in (post["id"], unit) if x)
    return (f"<td>{esc(post['title'])}"
            + (f" <span class='id'>{esc(where)}</span>" if where else "") + "</td>")


def _plain(cell: str) -> str:
    """A cell's text without tags (what the script would sort by without a key)."""
    return html.unescape(re.sub(r"<[^>]+>", "", cell)).strip()


def _filter_css(data: ReportData) -> str:
    """CSS-only filters (no JavaScript): a checked radio hides the rows that do not match.

    The radios are siblings before the table (`~`), cheaper for the browser than `:has()`
    at 1,500 rows; their labels sit in the filter bar."""
    rules = []
    for form in FORM_COLOURS:
        rules.append(f"#ff-{form}:checked ~ .scroll tr.m:not([data-form='{form}'])"
                     "{display:none!important}")
        rules.append(f"#ff-{form}:checked ~ .filters label[for='ff-{form}']{{font-weight:700}}")
    for index in range(len(data.rounds)):
        rules.append(f"#fr-{index}:checked ~ .scroll tr.m:not([data-round='{index}'])"
                     "{display:none!important}")
        rules.append(f"#fr-{index}:checked ~ .filters label[for='fr-{index}']"
                     "{font-weight:700}")
    rules.append("#ff-all:checked ~ .filters label[for='ff-all'],"
                 "#fr-all:checked ~ .filters label[for='fr-all'],"
                 "#fs-all:checked ~ .filters label[for='fs-all']{font-weight:700}")
    # sorting without JavaScript: the table becomes a grid of its cells (rows and bodies
    # `display: contents`), the unit headings go, and each cell takes its row's rank
    columns = 9 if data.redacted else 10
    for key, name in SORTS.items():
        sorted_ = f"#fs-{name}:checked ~ .scroll"
        rules.append(f"{sorted_} table.moves{{display:grid;"
                     f"grid-template-columns:repeat({columns},auto)}}"
                     f"{sorted_} table.moves :is(thead,tbody,tr){{display:contents}}"
                     f"{sorted_} table.moves tr.grp-head{{display:none}}"
                     f"{sorted_} tr.m>td{{order:var(--{key})}}"
                     f"#fs-{name}:checked ~ .filters label[for='fs-{name}']{{font-weight:700}}")
    return "\n" + "\n".join(rules) + "\n"


def _radio_inputs(name: str, prefix: str, values: list[str]) -> str:
    return "".join(f"<input type='radio' class='filter' name='{name}' id='{prefix}-{esc(v)}'"
                   f"{' checked' if v == 'all' else ''}>" for v in ["all", *values])


def _radio_labels(prefix: str, options: list[tuple[str, str]], all_label: str) -> str:
    return "".join(f"<label for='{prefix}-{esc(value)}'>{esc(label)}</label>"
                   for value, label in [("all", all_label), *options])


def _moves(data: ReportData, texts: dict[str, Any], lang: str) -> str:
    if not data.moves:
        return (f"<section id='moves'><h2>{esc(texts['moves'])}</h2>"
                f"<p>{esc(texts['no_moves'])}</p></section>")
    head = [*_cadre_heads(data, texts), texts["form"], texts["from"], texts["to"],
            texts["round"], texts["direction"], texts["adaptation_until"], texts["end"],
            texts["rules"]]
    round_index = {name: i for i, name in enumerate(data.rounds)}
    # server-side order: destination unit (as the units table), round in horizon order, cadre
    unit_order = {u["id"]: i for i, u in enumerate(data.units)}
    ordered = sorted(data.moves, key=lambda m: (unit_order.get(m["to"]["unit"], len(unit_order)),
                                                m["to"]["unit_name"],
                                                round_index.get(m["round"], 0), m["cadre"]))
    forms_order = {form: i for i, form in enumerate(FORM_COLOURS)}
    rank = _ranks(ordered, round_index, forms_order)
    groups: dict[str, list[str]] = {}
    names: dict[str, str] = {}
    for number_, m in enumerate(ordered):
        unit_key = m["to"]["unit"] or m["to"]["level"]
        names[unit_key] = m["to"]["unit_name"] or texts["levels"].get(m["to"]["level"], "")
        # keys where the text would sort wrongly (forms by their order, rounds by their place
        # in the horizon, dates ISO); the script folds the text of the other cells
        keys = ["", ""] if not data.redacted else [""]
        keys += [str(forms_order.get(m["form"], 9)), "", "",
                 f"{round_index.get(m['round'], 0):03d}", "", m["adaptation_until"] or "0",
                 m["end"] or "0", ""]
        cells = [*(f"<td>{esc(x)}</td>" for x in
                   ([m["cadre"]] if data.redacted else [m["cadre"], m["name"]])),
                 f"<td>{form_badge(m['form'], texts)}</td>", _post_cell(m["from"]),
                 _post_cell(m["to"]), f"<td>{esc(m['round'])}</td>",
                 f"<td>{esc(direction_label(m['direction'], texts))}</td>",
                 f"<td>{esc(format_date(m['adaptation_until'], lang))}</td>",
                 f"<td>{esc(format_date(m['end'], lang))}</td>",
                 f"<td>{rule_chips(m['rules'], data.rules)}</td>"]
        # a sort key only where it differs from the cell's text (page size at 1,500 moves)
        keyed = "".join(cell.replace("<td", f"<td data-k='{esc(key)}'", 1)
                        if key and key != _plain(cell) else cell
                        for cell, key in zip(cells, keys, strict=True))
        ranks = ";".join(f"--{key}:{rank[key][id(m)]}" for key in SORTS)
        groups.setdefault(unit_key, []).append(
            f"<tr class='m' id='mv-{number_}' data-n='{number_}' data-form='{esc(m['form'])}' "
            f"data-round='{round_index.get(m['round'], 0)}' style='{ranks}'>{keyed}</tr>")
    header = "".join(f"<th scope='col' data-col='{i}'>{esc(h)}</th>" for i, h in enumerate(head))
    bodies = "".join(
        f"<tbody class='grp' data-unit='{esc(unit)}'><tr class='grp-head'><th colspan="
        f"'{len(head)}'>{esc(names[unit])} <span class='id'>({len(rows)})</span></th></tr>"
        f"{''.join(rows)}</tbody>" for unit, rows in groups.items())
    radios = (_radio_inputs("form", "ff", list(FORM_COLOURS))
              + _radio_inputs("round", "fr", [str(i) for i in range(len(data.rounds))])
              + _radio_inputs("sort", "fs", list(SORTS.values())))
    filters = (f"<div class='filters nojs-only'><fieldset><legend>{esc(texts['form'])}</legend>"
               + _radio_labels("ff", [(f, texts["forms"][f]) for f in FORM_COLOURS],
                               texts["all"])
               + f"</fieldset><fieldset><legend>{esc(texts['round'])}</legend>"
               + _radio_labels("fr", [(str(i), r) for i, r in enumerate(data.rounds)],
                               texts["all"])
               + f"</fieldset><fieldset><legend>{esc(texts['sort_by'])}</legend>"
               + _radio_labels("fs", [(name, texts[name]) for name in SORTS.values()],
                               texts["unit"]) + "</fieldset></div>")
    form_options = "".join(f"<option value='{esc(f)}'>{esc(texts['forms'][f])}</option>"
                           for f in FORM_COLOURS)
    round_options = "".join(f"<option value='{i}'>{esc(r)}</option>"
                            for i, r in enumerate(data.rounds))
    tools = (f"<div class='filters js-only' role='search'><label>{esc(texts['search'])} "
             f"<input type='search' id='q' placeholder='{esc(texts['search_placeholder'])}'>"
             f"</label> <label>{esc(texts['form'])} <select id='f-form'><option value=''>"
             f"{esc(texts['all'])}</option>{form_options}</select></label> "
             f"<label>{esc(texts['round'])} <select id='f-round'><option value=''>"
             f"{esc(texts['all'])}</option>{round_options}</select></label> "
             f"<span id='counter' aria-live='polite'></span> <span class='pager'>"
             f"<button type='button' id='prev'>‹</button> <span id='page'></span> "
             f"<button type='button' id='next'>›</button></span></div>")
    return (f"<section id='moves'><h2>{esc(texts['moves'])} ({len(data.moves)})</h2>"
            f"<p class='note find-help nojs-only'>{esc(texts['find_nojs'])}</p>"
            f"<p class='note find-help js-only'>{esc(texts['find_js'])}</p>"
            f"{_unit_index(groups, names, data, texts)}"
            f"{'' if data.redacted else _name_index(ordered, texts)}{radios}{filters}{tools}"
            f"<div class='scroll tall'><table class='moves' id='moves-table' "
            f"data-page-size='{PAGE_SIZE}' data-total='{len(data.moves)}'><thead><tr>{header}"
            f"</tr></thead>{_group_ids(bodies)}</table></div></section>")


#: the orders a reader can choose without JavaScript besides the default (unit, round,
#: cadre): each row carries its rank in each (`--r`, `--n`, `--f`), which CSS `order` applies
SORTS = {"r": "round", "n": "name", "f": "form"}


def given_name_key(name: str) -> tuple[str, str]:
    """Vietnamese names sort by the given name (the last word), then the whole name."""
    from planner.dialect import fold

    words = name.split()
    return (fold(words[-1]) if words else "", fold(name))


def _ranks(ordered: list[dict[str, Any]], round_index: dict[str, int],
           forms_order: dict[str, int]) -> dict[str, dict[int, int]]:
    """Each move's place (from 1: the header's cells come first) in each order of SORTS."""
    keys: dict[str, Callable[[dict[str, Any]], tuple[Any, ...]]] = {
        "r": lambda m: (round_index.get(m["round"], 0), m["cadre"]),
        "n": lambda m: (*given_name_key(m["name"]), m["cadre"]),
        "f": lambda m: (forms_order.get(m["form"], 9), round_index.get(m["round"], 0),
                        m["cadre"]),
    }
    ranks: dict[str, dict[int, int]] = {}
    for name, key in keys.items():
        # the default order breaks ties, so every order is total and the same on every run
        chosen = sorted(enumerate(ordered), key=lambda item, k=key: (  # type: ignore[misc]
            k(item[1]), item[0]))
        ranks[name] = {id(m): place for place, (_n, m) in enumerate(chosen, start=1)}
    return ranks


def _name_index(ordered: list[dict[str, Any]], texts: dict[str, Any]) -> str:
    """Every moved cadre by given name, A to Z, each a link to the move's row: finding a
    person without JavaScript (the browser's find-in-page finds them here too)."""
    by_letter: dict[str, list[str]] = {}
    for number_, m in sorted(enumerate(ordered), key=lambda item: (
            *given_name_key(item[1]["name"]), item[1]["cadre"])):
        letter = given_name_key(m["name"])[0][:1].upper() or "?"
        by_letter.setdefault(letter, []).append(
            f"<a href='#mv-{number_}'>{esc(m['name'])} <span class='id'>{esc(m['cadre'])}"
            "</span></a>")
    rows = "".join(f"<p><strong>{esc(letter)}</strong> {' · '.join(links)}</p>"
                   for letter, links in by_letter.items())
    return (f"<details class='names' id='names'><summary>{esc(texts['name_index'])}"
            f"</summary>{rows}</details>")


INDEX_OPEN_UP_TO = 30  # units: a short index is shown open, a long one folded


def _unit_index(groups: dict[str, list[str]], names: dict[str, str], data: ReportData,
                texts: dict[str, Any]) -> str:
    """Every destination unit, grouped by its locality in the units table's order (city,
    districts, communes), each a link to its group of moves with their count: finding a
    unit without JavaScript."""
    locality = {u["id"]: u["locality_name"] for u in data.units}
    by_place: dict[str, list[str]] = {}
    for unit, rows in groups.items():
        by_place.setdefault(locality.get(unit, ""), []).append(
            f"<a href='#g-{esc(unit)}'>{esc(names[unit])}</a> <span class='id'>({len(rows)})"
            "</span>")
    lines = "".join(f"<p>{f'<strong>{esc(place)}</strong> ' if place else ''}"
                    f"{' · '.join(links)}</p>" for place, links in by_place.items())
    shown = " open" if len(groups) <= INDEX_OPEN_UP_TO else ""
    return (f"<details class='names' id='unit-index'{shown}><summary>"
            f"{esc(texts['unit_index'])} ({len(groups)})</summary>{lines}</details>")


RULES_CITED = "<!-- rules cited -->"  # where the rules section goes once the rest is drawn


def _rules_cited(data: ReportData, texts: dict[str, Any], cited: set[str]) -> str:
    """Each rule the page links to: its id (the anchor of the links), label and basis."""
    rows = "".join(
        f"<tr id='rule-{esc(rule_id)}'><td><span class='rule'>{esc(rule_id)}</span></td>"
        f"<td>{esc(ref.label)}</td><td>{esc(ref.basis)}</td></tr>"
        for rule_id, ref in sorted(data.rules.items()) if esc(rule_id) in cited)
    return (f"<section id='rules'><h2>{esc(texts['rules_cited'])}</h2>"
            f"<p class='note'>{esc(texts['rules_cited_note'])}</p><div class='scroll'><table>"
            f"<thead><tr><th>{esc(texts['rule'])}</th><th>{esc(texts['label'])}</th>"
            f"<th>{esc(texts['basis'])}</th></tr></thead><tbody>{rows}</tbody></table></div>"
            "</section>")


def css_string(text: str) -> str:
    """A CSS string literal of `text` (quotes, backslashes and '<' escaped)."""
    return '"' + "".join(c if c.isalnum() or c in " ./-" else f"\\{ord(c):x} "
                         for c in text) + '"'


def _print_css(texts: dict[str, Any]) -> str:
    """Landscape A4 with "Trang 3 / 12" (or "Page 3 / 12") in the bottom-right margin."""
    return ("\n@page { size: A4 landscape; margin: 12mm 10mm 14mm; @bottom-right { content: "
            f"{css_string(texts['page'])} \" \" counter(page) \" / \" counter(pages); "
            "font-size: 9pt; color: #6b7280; } }\n")


def _group_ids(bodies: str) -> str:
    """Give each unit's tbody an id (its anchor in the unit index)."""
    return re.sub(r"<tbody class='grp' data-unit='([^']*)'>",
                  lambda m: f"<tbody class='grp' id='g-{m.group(1)}' data-unit='{m.group(1)}'>",
                  bodies)


def _unplaced(data: ReportData, texts: dict[str, Any]) -> str:
    return _cadre_section(
        "unplaced", texts["unplaced"], texts["none_unplaced"], None,
        [texts["post"], texts["reason"], texts["rules"]],
        [(u, f"<td>{esc(u['title'])} <span class='id'>{esc(u['post'])}</span></td>"
             f"<td>{esc(u['reason'])}</td>"
             f"<td>{rule_chips([r['id'] for r in u['rules']], data.rules)}</td>")
         for u in data.unplaced], data, texts)


def _violations(anchor: str, title: str, groups: list[dict[str, Any]], texts: dict[str, Any],
                empty: str | None, lang: str) -> str:
    if not groups:
        return (f"<section id='{anchor}'><h2>{esc(title)}</h2><p>{esc(empty or '')}</p>"
                "</section>")
    head = [texts["rule"], texts["label"], texts["basis"], texts["count"], texts["penalty"],
            texts["details"]]
    rows = []
    for group in groups:
        lines = group["messages"]  # in the report's language already (report.data)
        messages = "".join(f"<li>{esc(m)}</li>" for m in lines[:100])
        more = len(lines) - 100
        if more > 0:
            messages += f"<li>… +{more}</li>"
        unit = texts["units_of_amount"].get(group["unit"], group["unit"])
        amount = f"{format_number(group['amount'], lang)} {unit}".strip()
        rows.append(
            f"<tr><td><span class='rule'>{esc(group['rule'])}</span></td>"
            f"<td>{esc(group['label'])}</td><td>{esc(group['basis'])}</td>"
            f"<td class='num'>{group['count']}</td>"
            f"<td class='num'>{number(group['penalty'], lang)}</td>"
            f"<td><details><summary>{esc(amount)}</summary><ul>{messages}</ul></details></td>"
            "</tr>")
    total = sum(g["penalty"] for g in groups)
    header = "".join(f"<th>{esc(h)}</th>" for h in head)
    return (f"<section id='{anchor}'><h2>{esc(title)}</h2><div class='scroll'><table><thead>"
            f"<tr>{header}</tr></thead><tbody>{''.join(rows)}</tbody><tfoot><tr><th "
            f"colspan='4'>{esc(texts['total'])}</th><th class='num'>{number(total, lang)}</th>"
            "<th></th></tr></tfoot></table></div></section>")


def _objective(data: ReportData, texts: dict[str, Any], lang: str) -> str:
    """Each objective term with its weight and its contribution to this plan (plan.yaml's
    `weights:` says the same): the scenario's weights, then the soft rules."""
    from planner.i18n import label

    head = [texts["term"], texts["label"], texts["weight"], texts["acts"],
            texts["contribution"]]
    rows = []
    for term in data.objective:
        meaning = texts["weight_meanings"].get(term["term"], term["label"]) \
            if term["kind"] == "weight" else term["label"]
        name = f"<span class='rule'>{esc(term['term'])}</span>" if term["kind"] == "soft" \
            else f"<code>weights.{esc(term['term'])}</code>"
        rows.append(f"<tr><td>{name} <span class='id'>{esc(texts['term_kinds'][term['kind']])}"
                    f"</span></td><td>{esc(meaning)}</td>"
                    f"<td class='num'>{number(term['weight'], lang)}</td>"
                    f"<td>{esc(label('bool', 'true' if term['acts'] else 'false', lang))}</td>"
                    f"<td class='num'>{number(term['contribution'], lang)}</td></tr>")
    header = "".join(f"<th>{esc(h)}</th>" for h in head)
    return (f"<section id='objective'><h2>{esc(texts['objective_terms'])}</h2>"
            f"<p class='note'>{esc(texts['objective_note'])}</p><div class='scroll'><table>"
            f"<thead><tr>{header}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
            "</section>")


def _appendix(data: ReportData, texts: dict[str, Any], lang: str) -> str:
    """Solver figures (objective, bound, gap): for the technical reader, not the KPIs."""
    document = data.document
    rows = [(texts["objective"], number(document.get("objective"), lang)),
            (texts["bound"], number(document.get("bound"), lang)),
            (texts["gap"], f"{format_number(100 * float(document.get('gap') or 0), lang)}%")]
    table = "".join(f"<tr><th>{esc(k)}</th><td class='num'>{v}</td></tr>" for k, v in rows)
    return (f"<section id='appendix'><h2>{esc(texts['appendix'])}</h2>"
            f"<p class='note'>{esc(texts['appendix_note'])}</p><table class='meta'><tbody>"
            f"{table}</tbody></table></section>")


def _footer(data: ReportData, texts: dict[str, Any]) -> str:
    provenance = data.document.get("provenance") or {}
    versions = ", ".join(f"{k} {v}" for k, v in (provenance.get("versions") or {}).items())
    return (f"<footer>{esc(texts['generated_from'])}: <code>{esc(data.plan_path)}</code> · "
            f"<code>{esc(data.scenario_path)}</code><br>{esc(texts['run_hash'])}: "
            f"<code>{esc(provenance.get('run_hash', ''))}</code><br>{esc(versions)}</footer>")


def _payload(data: ReportData, texts: dict[str, Any], lang: str) -> dict[str, Any]:
    """What the script needs: its few interface texts (charts are already drawn)."""
    return {"lang": lang, "text": {"shown": texts["shown"], "of": texts["of"],
                                   "page": texts["page"]}}
