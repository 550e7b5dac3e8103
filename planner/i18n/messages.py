"""Messages that can be said in any language: the checker's kinds build their messages with
`say(template, **values)`, an English text (what every English output shows, unchanged)
that keeps its template and values; `translate(message, lang)` says it in another language
through the catalogue (`planner.i18n.catalog.TEMPLATES`, keyed by the English template).

Text that has lost its template — a reason read back from unplaced.csv, an exemption reason —
is matched against the same catalogue's templates (each placeholder matches any text, which is
translated in turn), so one catalogue serves both. What the catalogue does not know stays in
English rather than being guessed.
"""

from __future__ import annotations

import datetime as dt
import re
import string
from functools import cache
from typing import Any

#: values named like this are domain codes, said by their label ('transfer' → 'Điều động')
CODE_VALUES = {"form": "form", "forms": "form", "role": "role", "status": "status",
               "relation": "relation", "level": "level", "severity": "severity"}


class Said(str):
    """An English message that remembers its template and values."""

    template: str
    values: dict[str, Any]

    def __new__(cls, template: str, values: dict[str, Any]) -> Said:
        text = articles(template.format(**{k: _english(v) for k, v in values.items()}))
        said = super().__new__(cls, text)
        said.template, said.values = template, values
        return said

    def __reduce__(self) -> tuple[Any, ...]:  # pickled across Dask workers
        return (Said, (self.template, self.values))


class Listed(str):
    """Messages or values joined by a separator (`; `, ` or `, ` and `): each item is said in
    the language, and the separator too."""

    items: tuple[Any, ...]
    separator: str

    def __new__(cls, separator: str, items: Any) -> Listed:
        items = tuple(items)
        listed = super().__new__(cls, separator.join(_english(i) for i in items))
        listed.items, listed.separator = items, separator
        return listed

    def __reduce__(self) -> tuple[Any, ...]:
        return (Listed, (self.separator, self.items))


# "a" before a word said with a vowel: the templates write "a {form}", "is a {relation}
# post", and the values decide ("an appointment", "an equivalent post"); words in u- are left
# alone ("a unit"), as are ids and codes in capitals
_BEFORE_VOWEL = re.compile(r"(?<![\w'’])([Aa]) (?=[aeioAEIO][a-z])")


def articles(text: str) -> str:
    """English text with "a" made "an" before a vowel ("a appointment" → "an appointment")."""
    return _BEFORE_VOWEL.sub(lambda m: m.group(1) + "n ", text)


def say(template: str, **values: Any) -> Said:
    """A message: `template` is English with `{name}` placeholders (no format specs: format
    numbers before), the key of its entry in the catalogue."""
    return Said(template, values)


def listed(separator: str, items: Any) -> Listed:
    return Listed(separator, items)


def _english(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def translate(message: Any, lang: str) -> str:
    """The message in `lang` (English: the message as it is)."""
    if lang == "en":
        return str(message)
    from planner.i18n.catalog import SEPARATORS, TEMPLATES

    if isinstance(message, Listed):
        separator = SEPARATORS.get(lang, {}).get(message.separator, message.separator)
        return separator.join(translate(item, lang) for item in message.items)
    if isinstance(message, Said):
        # a line said with its indent (`rotation explain`): the catalogue has it without
        body = message.template.lstrip(" ")
        indent = message.template[:len(message.template) - len(body)]
        found = TEMPLATES.get(lang, {}).get(message.template) or \
            TEMPLATES.get(lang, {}).get(body)
        template = message.template if found is None else \
            found if found.startswith(indent) else indent + found
        return template.format(**{k: _value(k, v, lang) for k, v in message.values.items()})
    if isinstance(message, str):
        return _translate_text(message, lang)
    return _value("", message, lang)


def _value(name: str, value: Any, lang: str) -> str:
    from planner.i18n import direction_text, format_date, label

    if isinstance(value, Said | Listed):
        return translate(value, lang)
    if isinstance(value, dt.date):
        return format_date(value, lang)
    if name == "direction" and isinstance(value, str):
        return direction_text(value, lang)
    if name in CODE_VALUES and isinstance(value, str):
        said = label(CODE_VALUES[name], value, lang)
        if said != value:
            return said  # a code of another vocabulary (a move's relation: higher…) below
    if isinstance(value, str) and _ISO_DAY.fullmatch(value):
        return format_date(value, lang)
    if isinstance(value, str):
        return _translate_text(value, lang)
    return str(value)


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_ARTICLE_END = re.compile(r"(?:^|\s)a $")


def _translate_text(text: str, lang: str) -> str:
    """Plain English text by the first catalogue template that matches all of it."""
    from planner.i18n.catalog import TEMPLATES

    for template, pattern, names in _patterns():
        match = pattern.fullmatch(text)
        if match is None:
            continue
        target = TEMPLATES.get(lang, {}).get(template)
        if target is None:
            return text
        values = {name: match.group(f"v{index}") for index, name in enumerate(names)}
        return target.format(**{k: _value(k, v, lang) for k, v in values.items()})
    from planner.i18n.catalog import SEPARATORS

    # fragments joined as `listed` joins them ("a; b", "x or y")
    for separator in ("; ", *SEPARATORS.get(lang, {})):
        if separator in text:
            joiner = SEPARATORS.get(lang, {}).get(separator, separator)
            return joiner.join(_value("", part, lang) for part in text.split(separator))
    return text


@cache
def _patterns() -> list[tuple[str, re.Pattern[str], list[str]]]:
    """Each English template as a regular expression, the most literal text first (so a
    specific template wins over a general one)."""
    from planner.i18n.catalog import TEMPLATES

    compiled = []
    for template in TEMPLATES["vi"]:
        parts = list(string.Formatter().parse(template))
        literal = "".join(p[0] for p in parts)
        if not literal.strip():
            continue  # all placeholders: would match anything
        names: list[str] = []
        regex = ""
        for text, field, _spec, _conv in parts:
            if field is not None and _ARTICLE_END.search(text):
                # "a {form}" reads "an appointment" once said (`articles`)
                regex += re.escape(text[:-2]) + "an? "
            else:
                regex += re.escape(text)
            if field is not None:
                if field in names:  # the same value twice: a back-reference
                    regex += f"(?P=v{names.index(field)})"
                else:
                    regex += f"(?P<v{len(names)}>.+?)"
                    names.append(field)
        compiled.append((len(literal), template, re.compile(regex, re.DOTALL), names))
    compiled.sort(key=lambda item: -item[0])
    return [(template, pattern, names) for _n, template, pattern, names in compiled]


def placeholders(template: str) -> set[str]:
    """The `{names}` of a template (for the catalogue's consistency test)."""
    return {field for _t, field, _s, _c in string.Formatter().parse(template)
            if field is not None}
