"""The rule-kind protocol: every caller goes through a kind's hooks, never through its name.

Adding a kind is one module plus one line in the registry (README, Contributing); these tests
keep it so: no import cycle, no kind named outside planner/kinds, hooks declared on RuleKind.
"""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import networkx as nx
import pytest
from conftest import REPO

from planner.kinds import KIND_BY_NAME, KINDS
from planner.kinds.base import RuleKind, Violation
from planner.rulefiles import load_ruleset

PACKAGE = REPO / "planner"
HOOKS = ("judge_move", "check", "encode", "due", "exempts", "allows", "adapts_until", "relax",
         "recruits",
         "explain", "move_class", "cadre_class", "post_class", "pair_reads")


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        name = ".".join(path.relative_to(REPO).with_suffix("").parts)
        found[name.removesuffix(".__init__")] = path
    return found


def _runtime_imports(tree: ast.AST):
    """Import nodes, function-level ones included, TYPE_CHECKING blocks excluded."""
    for child in ast.iter_child_nodes(tree):
        if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
            continue
        if isinstance(child, (ast.Import, ast.ImportFrom)):
            yield child
        yield from _runtime_imports(child)


# the rules engine: a cycle through these would tie a kind to its callers again
ENGINE = ("planner.kinds", "planner.facts", "planner.ruleset", "planner.rulefiles",
          "planner.checker", "planner.calendar", "planner.solver")


def test_the_rules_engine_has_no_import_cycle_even_through_function_level_imports():
    modules = _modules()
    graph = nx.DiGraph()
    for name, path in modules.items():
        for node in _runtime_imports(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                targets = [node.module or ""] + [f"{node.module}.{a.name}" for a in node.names]
            else:
                targets = [a.name for a in node.names]
            graph.add_edges_from((name, t) for t in targets if t in modules and t != name)
    cycles = [sorted(c) for c in nx.strongly_connected_components(graph) if len(c) > 1
              and any(m == e or m.startswith(e + ".") for m in c for e in ENGINE)]
    assert cycles == []


@pytest.mark.parametrize("path", ["planner/facts.py", "planner/checker.py", "planner/explain.py",
                                  *sorted(str(p.relative_to(REPO))
                                          for p in (PACKAGE / "solver").glob("*.py"))])
def test_facts_checker_explain_and_solver_never_name_a_rule_kind(path: str):
    tree = ast.parse((REPO / path).read_text(encoding="utf-8"))
    named = [node.value for node in ast.walk(tree)
             if isinstance(node, ast.Constant) and node.value in KIND_BY_NAME]
    imported = [node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
                and (node.module or "").startswith("planner.kinds.")
                and node.module != "planner.kinds.base"]
    assert (named, imported) == ([], [])


def test_every_registered_kind_has_a_unique_name_and_a_parameter_schema():
    names = [kind.name for kind in KINDS]
    assert len(names) == len(set(names))
    for kind in KINDS:
        assert isinstance(kind, RuleKind)
        assert kind.Params.model_config.get("extra") == "forbid", kind.name


def test_a_per_move_kind_judges_moves_and_a_coupling_kind_checks_and_encodes_whole_plans():
    for kind in KINDS:
        if kind.per_move:
            assert kind.has("judge_move"), kind.name
        else:
            assert kind.has("check") and kind.has("encode"), kind.name


def test_hooks_are_declared_on_rule_kind_and_a_kind_has_only_declared_hooks():
    for hook in HOOKS:
        assert callable(getattr(RuleKind, hook))
    public = {f"{kind.name}.{name}" for kind in KINDS for name, value in vars(type(kind)).items()
              if callable(value) and not isinstance(value, type) and not name.startswith("_")
              and name not in HOOKS and "ǁ" not in name}  # ǁ: mutmut's trampolined copies
    # a public method outside the hooks invites callers to name the kind: make it a module
    # function or a private method, or declare it as a hook on RuleKind
    assert public - {"vacancy.selects"} == set()


def test_every_rule_loaded_from_the_bundled_files_carries_its_kind():
    ruleset = load_ruleset([REPO / "rules" / "plan-188.yaml"])
    assert ruleset.rules
    for rule in ruleset.rules:
        assert rule.impl is KIND_BY_NAME[rule.kind]


def test_due_and_exempt_rules_are_found_by_their_hooks_not_their_kind_names():
    ruleset = load_ruleset([REPO / "rules" / "plan-188.yaml"])
    due = ruleset.with_hook("due")
    exempting = ruleset.with_hook("exempts")
    assert due and all(r.impl.has("due") for r in due)
    assert exempting and all(r.impl.has("exempts") for r in exempting)
    assert not set(r.id for r in due) & set(r.id for r in exempting)


def test_explain_names_the_failed_clause_and_its_value_in_force():
    ruleset = load_ruleset([REPO / "rules" / "plan-188.yaml"])
    rule = ruleset.with_hook("due")[0]
    found = Violation(rule.id, rule.label, rule.basis, "hard", "C1 reaches the limit",
                      clause="max_months")
    words = rule.impl.explain(rule, found)
    assert words.startswith("clause max_months = ")
    assert str(rule.param("max_months", dt.date(2024, 1, 1))) in words
    assert words.endswith("C1 reaches the limit")


def test_explain_without_a_clause_is_the_violation_message():
    kind = KINDS[0]
    found = Violation("r", "l", "b", "hard", "what happened")
    assert kind.explain(None, found) == "what happened"  # type: ignore[arg-type]
