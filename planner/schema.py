"""JSON Schema of scenario and rule files (`rotation schema`), for editors.

Generated from the same pydantic models that load the files, so it cannot drift from them:
`ScenarioFile` for scenario.yaml, `RuleSetFile` for rule files, and each rule kind's own
`Params` under `$defs`, tied to a rule by its `kind` (an if/then per kind). `applies_to`
keys are the selector paths. Dates are strings in JSON (`2025-07-01`); YAML writes them bare.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel

from planner import atomic
from planner.kinds import KINDS, RuleKind
from planner.models import ScenarioFile
from planner.ruleset import RuleSetFile
from planner.selectors import PATHS

DRAFT = "https://json-schema.org/draft/2020-12/schema"
REF = "#/$defs/{model}"
Which = Literal["all", "scenario", "rules"]
WHICH: tuple[str, ...] = ("all", "scenario", "rules")


def params_def_name(kind_name: str) -> str:
    """`$defs` name of a kind's parameter schema: `params.move_graph`."""
    return f"params.{kind_name}"


def _model_schema(model: type[BaseModel]) -> tuple[dict[str, Any], dict[str, Any]]:
    """A model's schema without its `$defs`, and those `$defs`."""
    schema = model.model_json_schema(by_alias=True, ref_template=REF)
    return schema, schema.pop("$defs", {})


def kind_summary(kind: RuleKind) -> str:
    """The first paragraph of a kind's module docstring (what the kind means)."""
    doc = sys.modules[type(kind).__module__].__doc__ or ""
    return " ".join(doc.strip().split("\n\n")[0].split()) or f"parameters of {kind.name}"


def _merge_defs(target: dict[str, Any], new: dict[str, Any]) -> None:
    for name, schema in new.items():
        if name in target and target[name] != schema:
            raise ValueError(f"two different schemas are named '{name}'")  # a naming bug
        target[name] = schema


def _place_spec() -> dict[str, Any]:
    """Edge ends of move_graph accept a level name, 'any', or a mapping of place fields."""
    return {"anyOf": [{"type": "string", "description": "a level (city, district, commune) "
                       "or 'any'"},
                      {"type": "object", "additionalProperties": True}]}


def scenario_schema() -> dict[str, Any]:
    """The JSON Schema of a scenario.yaml."""
    root, defs = _model_schema(ScenarioFile)
    return {"$schema": DRAFT, "$id": "rotation-scenario.schema.json", **root,
            "title": "rotation scenario file", "$defs": defs}


def ruleset_schema() -> dict[str, Any]:
    """The JSON Schema of a rule file, with every kind's parameters under `$defs`."""
    root, defs = _model_schema(RuleSetFile)
    rule = defs["RuleSpec"]
    kind_names = [kind.name for kind in KINDS]
    rule["properties"]["kind"] = {"title": "Kind", "enum": kind_names,
                                  "description": "the rule kind (DESIGN §2.4)"}
    rule["properties"]["applies_to"] = {
        "title": "Applies To", "type": "object", "propertyNames": {"enum": list(PATHS)},
        "description": "selector: a value (equals), a list (any of), {not: …} or "
                       "{min: …, max: …} per dotted path"}
    cases = []
    for kind in KINDS:
        params, nested = _model_schema(kind.Params)
        _merge_defs(defs, nested)
        params["description"] = kind_summary(kind)
        defs[params_def_name(kind.name)] = params
        cases.append({"if": {"properties": {"kind": {"const": kind.name}}, "required": ["kind"]},
                      "then": {"properties": {
                          "params": {"$ref": REF.format(model=params_def_name(kind.name))}}}})
    rule["allOf"] = cases
    if "Edge" in defs:
        for end in ("from", "to"):
            defs["Edge"]["properties"][end] = {**defs["Edge"]["properties"][end],
                                               **_place_spec()}
            defs["Edge"]["properties"][end].pop("type", None)
            defs["Edge"]["properties"][end].pop("additionalProperties", None)
    return {"$schema": DRAFT, "$id": "rotation-rules.schema.json", **root,
            "title": "rotation rule file", "$defs": defs}


def combined_schema() -> dict[str, Any]:
    """One schema accepting either a scenario file or a rule file."""
    scenario, rules = scenario_schema(), ruleset_schema()
    defs: dict[str, Any] = {}
    _merge_defs(defs, scenario.pop("$defs"))
    _merge_defs(defs, rules.pop("$defs"))
    for part in (scenario, rules):
        for key in ("$schema", "$id"):
            part.pop(key)
    defs["ScenarioFile"] = scenario
    defs["RuleSetFile"] = rules
    return {"$schema": DRAFT, "$id": "rotation.schema.json",
            "title": "rotation scenario or rule file",
            "oneOf": [{"$ref": REF.format(model="ScenarioFile")},
                      {"$ref": REF.format(model="RuleSetFile")}],
            "$defs": defs}


def schema_for(which: str) -> dict[str, Any]:
    """The schema `rotation schema WHICH` prints: all (either file), scenario or rules."""
    if which == "scenario":
        return scenario_schema()
    if which == "rules":
        return ruleset_schema()
    return combined_schema()


def schema_text(which: str) -> str:
    return json.dumps(schema_for(which), ensure_ascii=False, indent=2) + "\n"


def write_schema(which: str, path: Path) -> None:
    """Write the schema atomically: a failed run never leaves a half-written file.

    Refuses (InputError) to overwrite a file that is not an earlier JSON Schema.
    """
    from planner import outputs

    outputs.check_file(path, earlier=outputs.is_json_schema, what="JSON Schema")
    atomic.write_text(path, schema_text(which))
