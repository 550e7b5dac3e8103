"""Message catalogues (Vietnamese and English) for the CLI, the checker's verdict and the
report, plus numbers and dates formatted by Babel for the language's locale.

`vocabulary(lang)` holds the labels of domain codes (forms, roles, levels, blocs, genders,
statuses, relations); the readers of spreadsheets use every language's labels to turn what a
planner typed ("Điều động", "Nữ", "Có") back into codes. `message(key, lang, **values)`
gives one message of the catalogue with its placeholders filled.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from planner.i18n.catalog import MESSAGES, VOCABULARY

LANGS: tuple[str, ...] = ("vi", "en")
LOCALES = {"vi": "vi_VN", "en": "en_GB"}
DATE_PATTERNS = {"vi": "dd/MM/yyyy", "en": "d MMM yyyy"}

__all__ = ["LANGS", "MESSAGES", "VOCABULARY", "direction_text", "format_date", "format_number",
           "label", "message", "verdict", "vocabulary"]


def vocabulary(lang: str) -> dict[str, dict[str, str]]:
    return VOCABULARY[lang]


def label(kind: str, code: str, lang: str) -> str:
    """The label of a code in a language ('transfer' → 'Điều động'); the code if unknown."""
    return VOCABULARY[lang].get(kind, {}).get(code, code)


def direction_text(direction: str, lang: str) -> str:
    """A move's direction in a language: 'commune→district (other locality)' →
    'Phường/xã → Quận/huyện (địa bàn khác)'."""
    import re

    from planner.i18n.catalog import REPORT

    words = {**VOCABULARY[lang]["level"], **VOCABULARY[lang]["bloc"],
             **REPORT[lang]["direction_words"]}
    if direction in words:
        return str(words[direction])
    suffix = ""
    match = re.fullmatch(r"(.*) \((.*)\)", direction)
    if match:
        direction, extra = match.group(1), match.group(2)
        suffix = f" ({words.get(extra, extra)})"
    return " → ".join(str(words.get(part, part)) for part in direction.split("→")) + suffix


def message(key: str, lang: str = "en", **values: Any) -> str:
    """A catalogue message with its `{placeholders}` filled (English if a key lacks vi)."""
    template = MESSAGES[lang].get(key) or MESSAGES["en"][key]
    return template.format(**values)


def format_date(value: dt.date | str | None, lang: str) -> str:
    """A date as the language writes it (vi: 05/01/2024); '' for none."""
    from babel.dates import format_date as babel_date

    if value in (None, ""):
        return ""
    day = dt.date.fromisoformat(value) if isinstance(value, str) else value
    return str(babel_date(day, DATE_PATTERNS[lang], locale=LOCALES[lang]))


def format_number(value: float | int | None, lang: str, digits: int = 2) -> str:
    """A number with the locale's separators (vi: 1.234,5); '—' for none."""
    from babel.numbers import format_decimal

    if value is None:
        return "—"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    pattern = "#,##0" if isinstance(value, int) else "#,##0." + "#" * digits
    return str(format_decimal(value, pattern, locale=LOCALES[lang]))


def verdict(hard: int, hard_rules: int, soft: int, penalty_total: float, lang: str) -> str:
    """The checker's verdict in a language (the same three cases as CheckReport.verdict)."""
    if hard:
        return message("verdict.hard", lang, count=hard, rules=hard_rules)
    if soft:
        return message("verdict.soft", lang, count=soft,
                       total=format_number(penalty_total, lang))
    return message("verdict.clean", lang)
