"""Interface text of the report in Vietnamese (default) and English: the catalogue's
`REPORT` strings with the vocabulary's labels (forms, levels, blocs, roles, severities) and
the infeasibility messages, all kept once in `planner.i18n.catalog`.

Rule labels and legal bases are not here: they come from the rule files, as written there.
"""

from __future__ import annotations

from typing import Any

from planner.i18n import LANGS
from planner.i18n.catalog import COMPARE_PAGE, MESSAGES, REPORT

__all__ = ["LANGS", "compare_words", "text_for"]


def text_for(lang: str) -> dict[str, Any]:
    """The interface strings of a language (vi or en), with the domain labels of the
    catalogue so every output names them alike."""
    from planner.i18n import vocabulary

    words = vocabulary(lang)
    messages = MESSAGES[lang]
    return {**REPORT[lang], "lang": lang, "forms": dict(words["form"]), "levels": words["level"],
            "blocs": words["bloc"], "roles": words["role"], "units_of_amount": words["unit"],
            "severities": words["severity"], "yes": words["bool"]["true"],
            "no": words["bool"]["false"],
            "relaxation_verified": messages["infeasible.verified"],
            "relaxation_unverified": messages["infeasible.unverified"],
            "paste_overlay": messages["infeasible.overlay"]}


def compare_words(lang: str) -> dict[str, Any]:
    """The comparison page's own words."""
    return COMPARE_PAGE[lang]
