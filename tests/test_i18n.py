"""Vietnamese end to end: the checker's messages (built with `say` in the kinds) are said in
Vietnamese through one catalogue keyed by their English template, in the report and in the
CLI under ROTATION_LANG=vi; English stays exactly as the kinds write it.
"""

from __future__ import annotations

import ast
import datetime as dt
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import DEMO, REPO

from planner.i18n.catalog import TEMPLATES
from planner.i18n.messages import listed, placeholders, say, translate

SCENARIO = DEMO / "scenario.yaml"
BAD_PLANS = sorted((DEMO / "moves").glob("*.csv"))
#: English words that no Vietnamese message keeps (ids and codes have no spaces)
ENGLISH = re.compile(r"\b(is|are|may|not|the|needs?|moves?|and|of|from|in|to|has|holds|"
                     r"post|months|rounds?|without|by)\b")


def said_templates() -> list[tuple[str, int, str]]:
    """Every template passed to `say(...)` in the planner's source: (file, line, template)."""
    found = []
    for path in sorted((REPO / "planner").rglob("*.py")):
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                    and node.func.id == "say" and node.args \
                    and isinstance(node.args[0], ast.Constant):
                found.append((str(path.relative_to(REPO)), node.lineno, node.args[0].value))
    return found


def test_every_message_template_of_the_kinds_has_a_vietnamese_entry():
    templates = said_templates()
    assert len(templates) >= 25  # every kind's messages
    missing = [f"{file}:{line}: {template}" for file, line, template in templates
               if template.lstrip(" ") not in TEMPLATES["vi"]  # explain's lines: indented
               and placeholders(template) != {"role"}]
    assert not missing, "\n".join(missing)


def test_a_vietnamese_template_uses_only_the_values_its_english_template_has():
    wrong = {english: sorted(placeholders(vi) - placeholders(english))
             for english, vi in TEMPLATES["vi"].items()
             if not placeholders(vi) <= placeholders(english)}
    assert not wrong


def test_a_message_is_unchanged_in_english_and_said_with_labels_and_dates_in_vietnamese():
    message = say("{cadre} is exempt from {form} on {day}: {reason}", cadre="C1",
                  form="transfer", day=dt.date(2024, 4, 1), reason="status pregnant")
    assert message == "C1 is exempt from transfer on 2024-04-01: status pregnant"
    assert translate(message, "en") == str(message)
    assert translate(message, "vi") == "C1 được miễn Điều động ngày 01/04/2024: Đang mang thai"


def test_listed_fragments_are_each_translated_and_so_is_their_separator():
    message = say("{cadre} may not take a {form} to {post}: {missing}", cadre="C1",
                  form="rotation", post="P1",
                  missing=listed("; ", ["is in no planning pool",
                                        say("holds a {role} post; a {form} moves {roles} only",
                                            role="staff", form="rotation", roles="head")]))
    assert str(message).endswith("is in no planning pool; holds a staff post; a rotation "
                                 "moves head only")
    assert translate(message, "vi") == (
        "C1 không được Luân chuyển đến P1: không thuộc diện quy hoạch; đang giữ vị trí Công "
        "chức; hình thức Luân chuyển chỉ áp dụng cho head")


def test_text_read_back_from_a_file_is_matched_against_the_templates():
    reason = ("reaches 60 months in post on 2024-09-01; no allowed destination among the "
              "open posts; refused by non-local-key (3)")
    assert translate(reason, "vi") == ("đủ 60 tháng giữ vị trí vào ngày 01/09/2024; không có "
                                       "vị trí trống nào được phép bố trí; bị loại bởi "
                                       "non-local-key (3)")
    assert translate("something no catalogue knows", "vi") == "something no catalogue knows"


def _violations(moves_file: Path) -> list[object]:
    from planner.checker import check_plan
    from planner.plan import read_moves
    from planner.workspace import load_workspace

    workspace = load_workspace(SCENARIO)
    return check_plan(workspace.facts, read_moves(moves_file, workspace.scenario)).violations


@pytest.mark.parametrize("moves_file", BAD_PLANS, ids=[p.stem for p in BAD_PLANS])
def test_every_violation_of_the_demos_crafted_plans_reads_in_vietnamese(moves_file: Path):
    for violation in _violations(moves_file):
        said = violation.said  # type: ignore[attr-defined]
        if not violation.rule_id.startswith(("structure.", "scenario.")):  # type: ignore
            assert said is not None, f"{violation.rule_id}: no template"  # type: ignore
        text = translate(said or violation.message, "vi")  # type: ignore[attr-defined]
        assert not ENGLISH.findall(text), f"{violation.rule_id}: {text}"  # type: ignore


def test_the_checkers_structural_messages_read_in_vietnamese_too(tmp_path: Path):
    """Two cadres into one post in one round, and a transfer with an end date."""
    lines = (DEMO / "moves" / "clean.csv").read_text("utf-8").splitlines()
    header, first = lines[0].split(","), lines[1].split(",")
    to, round_ = first[header.index("to_position")], first[header.index("round")]
    from planner.workspace import load_workspace

    moving = {line.split(",")[0] for line in lines[1:]}
    other = next(c.id for c in load_workspace(SCENARIO).scenario.roster.cadres
                 if c.position and c.id not in moving)
    lines.append(f"{other},transfer,{to},{round_}")
    crafted = tmp_path / "crafted.csv"
    crafted.write_text("\n".join(lines) + "\n", encoding="utf-8")
    found = {v.rule_id: v for v in _violations(crafted)}  # type: ignore[attr-defined]
    assert "structure.one-holder" in found
    text = translate(found["structure.one-holder"].message, "vi")  # type: ignore
    assert "người đảm nhiệm trong đợt" in text and not ENGLISH.findall(text), text


def test_rotation_check_speaks_vietnamese_messages_under_rotation_lang_vi(
        monkeypatch: pytest.MonkeyPatch):
    from planner.cli import main

    monkeypatch.setenv("ROTATION_LANG", "vi")
    result = CliRunner().invoke(main, ["check", str(SCENARIO),
                                       str(DEMO / "moves" / "pregnant.csv")])
    assert result.exit_code == 1
    assert "được hoãn Chuyển đổi vị trí công tác ngày 01/04/2024" in result.output
    assert "BẮT BUỘC" in result.output and "KHÔNG tuân thủ" in result.output
    assert "C011 Đặng Thị Hoa" in result.output  # the name beside the id


def test_the_vietnamese_report_says_every_violation_and_unplaced_reason_in_vietnamese(
        tmp_path: Path):
    from conftest import plan_folder_from_moves

    from planner.report import build_report

    plan = plan_folder_from_moves(DEMO / "moves" / "due-left.csv", tmp_path / "plan", SCENARIO)
    report = build_report(plan, SCENARIO, "vi")
    messages = [m for group in [*report.data.penalties, *report.data.hard]
                for m in group["messages"]]
    assert messages and all(not ENGLISH.findall(m) for m in messages), messages
    english = build_report(plan, SCENARIO, "en")
    assert [m for g in english.data.hard for m in g["messages"]] == [
        v.message for v in _violations(DEMO / "moves" / "due-left.csv")
        if v.hard]  # type: ignore[attr-defined]


def test_a_vietnamese_locale_makes_the_cli_vietnamese_unless_rotation_lang_says_otherwise(
        monkeypatch: pytest.MonkeyPatch):
    from planner.cli import cli_lang

    for name in ("ROTATION_LANG", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "vi_VN.UTF-8")
    assert cli_lang() == "vi"
    monkeypatch.setenv("ROTATION_LANG", "en")
    assert cli_lang() == "en"
    monkeypatch.delenv("ROTATION_LANG")
    monkeypatch.setenv("LANG", "C.UTF-8")
    assert cli_lang() == "en"
