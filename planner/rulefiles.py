"""Rule-set files (DESIGN §2.3): loading, `include`, scenario overrides, validation.

Parameters are checked against the kind's own schema, so `max_month` is reported with its
line and "did you mean 'max_months'?". A rule is `verified: false` unless its file says true.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from planner.errors import Problem, ProblemCollector, unknown
from planner.kinds import KIND_BY_NAME
from planner.ruleset import (
    RULE_FIELDS_SETTABLE,
    Replacement,
    Rule,
    RuleSet,
    RuleSetFile,
    RuleSpec,
)
from planner.selectors import SelectorError, compile_selector
from planner.yamlio import Locator, read_yaml, validation_problems


@dataclass
class _RawRule:
    spec: RuleSpec
    file: str
    locate: Locator
    index: int


def replaced_notes(ruleset: RuleSet, start: dt.date) -> list[str]:
    """Warnings for rule files whose `replaced_by` took effect by the horizon's start."""
    return [f"{r.file}:{r.line}: replaced_by: from {r.on} this rule set is replaced by "
            f"{', '.join(p.name for p in r.files)} (the horizon starts on {start})"
            for r in ruleset.replacements.values() if r.on <= start]


def rule_files_on(paths: Sequence[Path], start: dt.date) -> tuple[list[Path], list[str]]:
    """The rule files for a horizon that starts on `start`: each file whose `replaced_by`
    took effect by then gives way to its replacing files (and those to theirs), and a file
    another one of the list includes is dropped (it is read through the include). Returns
    the files and a note per replacement."""
    current = [p.resolve() for p in paths]
    notes: list[str] = []
    for _ in range(len(current) + 16):  # a chain of replacements, never a loop
        replaced = {file: r for file, r in load_ruleset(current).replacements.items()
                    if r.on <= start}
        if not replaced:
            break
        after: list[Path] = []
        for path in current:
            found = replaced.get(path)
            after += list(found.files) if found else [path]
            if found:
                notes.append(f"{path.name} is replaced by "
                             f"{', '.join(p.name for p in found.files)} from {found.on}")
        unique = list(dict.fromkeys(after))
        if unique == current:
            break
        current = unique
    # each file's include closure once, not once per pair
    closure = {other: set(load_ruleset([other]).files) - {other} for other in current}
    kept = [path for path in current
            if not any(path in closure[other] for other in current if other != path)]
    return kept, notes


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
        if file_spec.replaced_by is not None:
            line = locate(["replaced_by", "on"])[0]
            targets = []
            for index, name in enumerate(file_spec.replaced_by.files):
                target = (path.parent / name).resolve()
                if not target.is_file():
                    found_line, col = locate(["replaced_by", "files", index])
                    problems.add(str(path), found_line, "replaced_by.files",
                                 f"replacing rule file '{name}' not found", col)
                elif target == resolved:
                    found_line, col = locate(["replaced_by", "files", index])
                    problems.add(str(path), found_line, "replaced_by.files",
                                 "a rule file cannot replace itself", col)
                targets.append(target)
            ruleset.replacements[resolved] = Replacement(
                resolved, line, file_spec.replaced_by.on, tuple(targets),
                file_spec.replaced_by.basis)
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
        override = dict(overrides.get(spec.id, {}))
        origin = override_origins.get(spec.id, (item.file, None))
        changed = _with_settable_fields(spec, item, override, origin, problems, ruleset.notes)
        if changed is None:
            continue
        spec = changed
        params = {**spec.params, **override}
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
        if not _ranges_hold(spec, params, override, item, origin, problems, kind.Params):
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


def _with_settable_fields(spec: RuleSpec, item: _RawRule, override: dict[str, Any],
                          origin: tuple[str, int | None], problems: ProblemCollector,
                          notes: list[str]) -> RuleSpec | None:
    """The spec with the scenario's `set` of `severity`/`weight` applied (popped from
    `override`, which keeps the parameters); a `set` that changes nothing is noted. None if
    the result is invalid (a soft rule without a weight), reported at the `set` line."""
    fields = {k: override.pop(k) for k in RULE_FIELDS_SETTABLE if k in override}
    where = f"{origin[0]}:{origin[1]}: set.{spec.id}"
    for name, value in override.items():
        if name in spec.params and spec.params[name] == value:
            notes.append(f"{where}.{name} = {value} has no effect (the rule file says the same)")
    if not fields:
        return spec
    try:
        changed = RuleSpec.model_validate({**spec.model_dump(by_alias=True), **fields})
    except ValidationError as exc:
        for error in exc.errors():
            problems.add(origin[0], origin[1], f"set.{spec.id}",
                         str(error["msg"]).removeprefix("Value error, "))
        return None
    for name, value in fields.items():
        if getattr(item.spec, name) == value:
            notes.append(f"{where}.{name} = {value} has no effect (the rule file says the same)")
    if changed.severity == "hard" and "weight" in fields:
        notes.append(f"{where}.weight has no effect on a hard rule (set severity: soft too)")
    return changed


def _ranges_hold(spec: RuleSpec, params: dict[str, Any], override: dict[str, Any],
                 item: _RawRule, origin: tuple[str, int | None], problems: ProblemCollector,
                 schema: Any) -> bool:
    """Every declared range names a parameter, and every value (each dated value) is in it;
    a value from the scenario's `set` is reported at the `set` line."""
    fine = True
    for name, lawful in spec.ranges.items():
        if name not in schema.model_fields:
            line, col = item.locate(["rules", item.index, "ranges", name])
            problems.add(item.file, line, f"ranges.{name}",
                         unknown("parameter", name, list(schema.model_fields)), col)
            fine = False
            continue
        value = params.get(name)
        values = list(value.values()) if isinstance(value, dict) else [value]
        for single in values:
            if single is None or not isinstance(single, int | float) or lawful.holds(single):
                continue
            if name in override:
                file, line = origin
            else:
                file, line = item.file, item.locate(["rules", item.index, "params"])[0]
            problems.add(file, line, f"{spec.id}.{name}",
                         f"{single:g} is outside the lawful range {lawful.describe()}")
            fine = False
    return fine
