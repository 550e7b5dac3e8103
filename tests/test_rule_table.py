"""The README's per-rule table names every bundled rule with the [C]/[I] mark its rule file
gives it (issue 9: "README's rule table and `rules/` say which items are [I]")."""

from __future__ import annotations

import re
from pathlib import Path

from ruamel.yaml import YAML

REPO = Path(__file__).resolve().parents[1]
HEADING = "### Every bundled rule, its basis and what is [I]"


def bundled_rules() -> dict[str, dict]:
    rules = {}
    for path in sorted((REPO / "rules").glob("*.yaml")):
        for rule in YAML(typ="safe").load(path.read_text(encoding="utf-8")).get("rules") or []:
            rules[rule["id"]] = {"file": path.stem, **rule}
    return rules


def table_rows() -> dict[str, list[str]]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split(HEADING, 1)[1].split("\n### ", 1)[0].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        match = re.match(r"\| `([a-z0-9-]+)`", line)
        if match:
            rows[match.group(1)] = [cell.strip() for cell in line.strip("|").split("|")]
    return rows


def test_the_readme_table_lists_every_bundled_rule_once_and_nothing_else():
    rows = table_rows()
    assert sorted(rows) == sorted(bundled_rules())


def test_each_row_marks_the_rule_as_its_file_does():
    rules = bundled_rules()
    for rule_id, cells in table_rows().items():
        rule, mark = rules[rule_id], cells[-1]
        inferred_detail = "[I" in " ".join(str(rule.get("basis", "")).split())
        if rule.get("verified", False):
            assert mark.startswith("[C]"), rule_id
            assert ("[I]" in mark) == inferred_detail, rule_id
        else:
            # unverified: an interpretation, and the rule file says what is inferred
            assert mark.startswith("[I]"), rule_id
            assert inferred_detail, f"{rule_id}: verified: false but no [I] in its basis"


def test_each_row_names_the_rules_file_severity_and_switch():
    rules = bundled_rules()
    for rule_id, cells in table_rows().items():
        rule = rules[rule_id]
        assert cells[1] == rule["file"], rule_id
        assert cells[2].endswith(rule.get("severity", "hard")), rule_id
        assert cells[2].startswith(rule["kind"]), rule_id
        assert ("(off: `enable:` it)" in cells[0]) == (rule.get("enabled", True) is False), \
            rule_id
