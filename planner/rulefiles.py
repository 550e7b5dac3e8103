"""Rule-set files (DESIGN §2.3): loading, `include`, scenario overrides, validation.

Parameters are checked against the kind's own schema, so `max_month` is reported with its
line and "did you mean 'max_months'?". A rule is `verified: false` unless its file says true.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from planner.errors import Problem, ProblemCollector, unknown
from planner.kinds import KIND_BY_NAME
from planner.ruleset import Rule, RuleSet, RuleSetFile, RuleSpec
from planner.selectors import SelectorError, compile_selector
from planner.yamlio import Locator, read_yaml, validation_problems


@dataclass
class _RawRule:
    spec: RuleSpec
    file: str
    locate: Locator
    index: int


def load_ruleset(
    paths: Sequence[Path],
    overrides: dict[str, dict[str, Any]] | None = None,
    override_origins: dict[str, tuple[str, int | None]] | None = None,
    disable: Sequence[tuple[str, str, int | None]] = (),
    enable: Sequence[tuple[str, str, int | None]] = (),
) -> RuleSet:
    """Load rule files with their includes, apply scenario overrides, check everything.

    `disable`/`enable` entries are (rule id, file, line) of the scenario that names them.
    """
    problems = ProblemCollector()
    raw: list[_RawRule] = []
    ruleset = RuleSet()
    visiting: list[Path] = []

    def visit(path: Path) -> None:
        resolved = path.resolve()
        if resolved in visiting:
            problems.add(str(path), None, "include", "include cycle: "
                         + " → ".join(str(p) for p in [*visiting, resolved]))
            return
        if resolved in ruleset.files:
            return
        visiting.append(resolved)
        data, locate = read_yaml(path)
        if not isinstance(data, dict):
            problems.add(str(path), 1, None, "a rule file must be a YAML mapping")
            visiting.pop()
            return
        try:
            file_spec = RuleSetFile.model_validate(data)
        except ValidationError as exc:
            problems.extend(validation_problems(exc, str(path), locate, RuleSetFile))
            visiting.pop()
            return
        for index, included in enumerate(file_spec.include):
            target = path.parent / included
            if not target.exists():
                line, col = locate(["include", index])
                problems.add(str(path), line, "include", f"included file '{included}' not found",
                             col)
                continue
            visit(target)
        ruleset.files.append(resolved)
        ruleset.names.append(file_spec.ruleset)
        raw.extend(_RawRule(spec, str(path), locate, i) for i, spec in enumerate(file_spec.rules))
        visiting.pop()

    for path in paths:
        if not path.exists():
            problems.add(str(path), None, "rules", "rule file not found")
            continue
        visit(path)
    problems.raise_if_any()

    seen: dict[str, _RawRule] = {}
    for item in raw:
        line, col = item.locate(["rules", item.index, "id"])
        if item.spec.id in seen:
            first = seen[item.spec.id]
            first_line = first.locate(["rules", first.index, "id"])[0]
            problems.add(item.file, line, "id", f"duplicate rule id '{item.spec.id}' (first in "
                         f"{first.file}:{first_line})", col)
            continue
        seen[item.spec.id] = item

    overrides = overrides or {}
    override_origins = override_origins or {}
    for rule_id in overrides:
        if rule_id not in seen:
            file, line = override_origins.get(rule_id, ("scenario", None))
            problems.add(file, line, f"set.{rule_id}", unknown("rule id", rule_id, seen))
    for rule_id, file, line in [*disable, *enable]:
        if rule_id not in seen:
            problems.add(file, line, "disable/enable", unknown("rule id", rule_id, list(seen)))

    for item in seen.values():
        spec = item.spec
        base: list[int | str] = ["rules", item.index]
        kind = KIND_BY_NAME.get(spec.kind)
        if kind is None:
            line, col = item.locate([*base, "kind"])
            problems.add(item.file, line, "kind", unknown("rule kind", spec.kind, KIND_BY_NAME),
                         col)
            continue
        params = {**spec.params, **overrides.get(spec.id, {})}
        try:
            parsed = kind.Params.model_validate(params)
        except ValidationError as exc:
            for problem in validation_problems(exc, item.file, item.locate, kind.Params,
                                               [*base, "params"]):
                param = (problem.field or "").split(".")[3:4]
                if param and param[0] in overrides.get(spec.id, {}):
                    # the bad value came from the scenario's `set`: point there
                    file, line = override_origins.get(spec.id, (item.file, None))
                    problem = Problem(file, line, None, f"set.{spec.id}.{param[0]}",
                                      problem.message)
                problems.extend([problem])
            continue
        try:
            selector = compile_selector(spec.applies_to)
        except SelectorError as exc:
            line, col = item.locate([*base, "applies_to", exc.path])
            problems.add(item.file, line, f"applies_to.{exc.path}", str(exc), col)
            continue
        if selector.needs_move and not kind.move_rule:
            line, col = item.locate([*base, "applies_to"])
            problems.add(item.file, line, "applies_to",
                         f"a {spec.kind} rule judges cadres, not moves: move.*, from.* and to.*"
                         " paths cannot be used here", col)
            continue
        line = item.locate([*base])[0]
        ruleset.rules.append(Rule(spec, parsed, selector, item.file, line, kind))
    problems.raise_if_any()

    enabled_ids = {rule_id for rule_id, _f, _l in enable}
    ruleset.disabled = {r.id for r in ruleset.rules if not r.spec.enabled} - enabled_ids
    ruleset.disabled |= {rule_id for rule_id, _f, _l in disable}
    return ruleset

