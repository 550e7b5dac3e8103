"""`rotation schema`: JSON Schema of scenario and rule files, checked against the real files.

No JSON Schema library is a dependency, so a small validator below covers the keywords the
generated schema uses; every file in rules/ and the demo scenario must pass it, and typical
mistakes (a misspelt parameter, an unknown kind, a bad selector path) must fail it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import DEMO, REPO

from planner.cli import main
from planner.kinds import KINDS
from planner.schema import combined_schema, params_def_name, ruleset_schema, scenario_schema
from planner.yamlio import read_yaml


def errors(schema: dict[str, Any], value: Any, root: dict[str, Any] | None = None,
           path: str = "$") -> list[str]:
    """Why `value` does not match `schema` (a subset of draft 2020-12); [] if it does."""
    root = root or schema
    if "$ref" in schema:
        name = schema["$ref"].removeprefix("#/$defs/")
        return errors(root["$defs"][name], value, root, path)
    found: list[str] = []
    kind = schema.get("type")
    checks = {"object": dict, "array": list, "string": str, "boolean": bool, "null": type(None)}
    if kind == "integer" and (not isinstance(value, int) or isinstance(value, bool)):
        return [f"{path}: not an integer"]
    if kind == "number" and (not isinstance(value, int | float) or isinstance(value, bool)):
        return [f"{path}: not a number"]
    if kind in checks and not isinstance(value, checks[kind]):
        return [f"{path}: not a {kind}"]
    if "enum" in schema and value not in schema["enum"]:
        found.append(f"{path}: {value!r} not in enum")
    if "const" in schema and value != schema["const"]:
        found.append(f"{path}: {value!r} != {schema['const']!r}")
    if "pattern" in schema and isinstance(value, str) and not re.search(schema["pattern"], value):
        found.append(f"{path}: {value!r} does not match {schema['pattern']}")
    if "minimum" in schema and isinstance(value, int | float) and value < schema["minimum"]:
        found.append(f"{path}: below minimum")
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        for key in schema.get("required", []):
            if key not in value:
                found.append(f"{path}: missing {key}")
        for key, item in value.items():
            if "propertyNames" in schema:
                found += errors(schema["propertyNames"], key, root, f"{path}.{key} (name)")
            if key in properties:
                found += errors(properties[key], item, root, f"{path}.{key}")
            elif schema.get("additionalProperties") is False:
                found.append(f"{path}: unknown key {key!r}")
            elif isinstance(schema.get("additionalProperties"), dict):
                found += errors(schema["additionalProperties"], item, root, f"{path}.{key}")
    if isinstance(value, list) and "items" in schema:
        for index, item in enumerate(value):
            found += errors(schema["items"], item, root, f"{path}[{index}]")
    if "anyOf" in schema and all(errors(s, value, root, path) for s in schema["anyOf"]):
        found.append(f"{path}: matches none of anyOf")
    if "oneOf" in schema and sum(not errors(s, value, root, path) for s in schema["oneOf"]) != 1:
        found.append(f"{path}: does not match exactly one of oneOf")
    for part in schema.get("allOf", []):
        if "if" in part:
            if not errors(part["if"], value, root, path):
                found += errors(part["then"], value, root, path)
        else:
            found += errors(part, value, root, path)
    return found


def as_json(value: Any) -> Any:
    """YAML data as it would be in JSON: dates become ISO strings (keys too)."""
    if isinstance(value, dict):
        return {(k.isoformat() if isinstance(k, dt.date) else k): as_json(v)
                for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    return value.isoformat() if isinstance(value, dt.date) else value


def load(path: Path) -> Any:
    return as_json(read_yaml(path)[0])


RULE_FILES = sorted((REPO / "rules").glob("*.yaml"))


@pytest.mark.parametrize("path", RULE_FILES, ids=[p.name for p in RULE_FILES])
def test_every_rule_file_in_the_repository_matches_the_rules_schema(path: Path):
    assert errors(ruleset_schema(), load(path)) == []
    assert errors(combined_schema(), load(path)) == []


def test_the_demo_scenario_matches_the_scenario_schema():
    scenario = load(DEMO / "scenario.yaml")
    assert errors(scenario_schema(), scenario) == []
    assert errors(combined_schema(), scenario) == []


def test_every_kind_has_its_parameters_under_defs_tied_to_its_name():
    schema = ruleset_schema()
    names = [kind.name for kind in KINDS]
    assert schema["$defs"]["RuleSpec"]["properties"]["kind"]["enum"] == names
    for name in names:
        assert params_def_name(name) in schema["$defs"]
        assert schema["$defs"][params_def_name(name)]["description"]


def rule_file(**rule: Any) -> dict[str, Any]:
    base = {"id": "r", "kind": "secondment_max", "label": "l", "basis": "b",
            "params": {"max_months": 36}}
    return {"ruleset": "t", "rules": [{**base, **rule}]}


@pytest.mark.parametrize(("rule", "why"), [
    ({"params": {"max_month": 36}}, "unknown key 'max_month'"),
    ({"kind": "secondment_maximum"}, "not in enum"),
    ({"applies_to": {"cadre.statu": "active"}}, "(name)"),
    ({"severity": "sometimes"}, "not in enum"),
    ({"params": {"max_months": {"2025-07-01": "long"}}}, "matches none of anyOf"),
])
def test_typical_mistakes_in_a_rule_file_fail_the_schema(rule: dict[str, Any], why: str):
    assert any(why in message for message in errors(ruleset_schema(), rule_file(**rule)))


def test_a_dated_parameter_and_a_move_graph_shorthand_pass_the_schema():
    graph = {"kind": "move_graph", "params": {"edges": [
        {"from": "district", "to": {"level": "commune", "bloc": "party"},
         "forms": ["rotation"]}]}}
    assert errors(ruleset_schema(), rule_file(**graph)) == []
    dated = {"params": {"max_months": {"2020-11-27": 36, "2025-07-01": 24}}}
    assert errors(ruleset_schema(), rule_file(**dated)) == []


def test_schema_prints_json_and_writes_a_file(tmp_path: Path):
    printed = CliRunner().invoke(main, ["schema", "scenario"])
    assert printed.exit_code == 0
    assert json.loads(printed.output)["title"] == "rotation scenario file"
    out = tmp_path / "schemas" / "rotation.schema.json"
    written = CliRunner().invoke(main, ["schema", "-o", str(out)])
    assert written.exit_code == 0, written.output
    assert json.loads(out.read_text(encoding="utf-8")) == combined_schema()
    assert [p.name for p in out.parent.iterdir()] == ["rotation.schema.json"]


def test_an_unknown_schema_name_is_a_usage_error():
    result = CliRunner().invoke(main, ["schema", "rule"])
    assert result.exit_code == 2
    assert "'rule' is not one of" in result.output
