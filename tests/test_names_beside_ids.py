"""Names beside ids (issue 14): a planner reads "C014 Lý Văn Thành" and "P-TH-TNMT-CV
Chuyên viên quản lý đất đai", not bare ids, in what `explain` prints."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import DEMO, plan_folder_from_moves

from planner.api import read_plan
from planner.cli import main
from planner.explain import explain_cadre, why_not
from planner.workspace import load_workspace

SCENARIO = DEMO / "scenario.yaml"


@pytest.fixture(scope="module")
def demo_plan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return plan_folder_from_moves(DEMO / "moves" / "clean.csv",
                                  tmp_path_factory.mktemp("names") / "plan", SCENARIO)


def test_explain_names_the_cadre_and_the_title_of_the_post_they_hold(demo_plan: Path):
    facts = load_workspace(SCENARIO).facts
    plan = read_plan(demo_plan, facts)
    first = explain_cadre(facts, plan, "C014")[0]
    assert first.startswith("C014 Lý Văn Thành: P-TH-TNMT-CV Chuyên viên quản lý đất đai")


def test_why_not_names_the_other_cadres_a_clash_involves(demo_plan: Path):
    facts = load_workspace(SCENARIO).facts
    plan = read_plan(demo_plan, facts)
    holder = next(m for m in plan.moves if m.cadre != "C014" and m.to_position)
    lines, _possible = why_not(facts, plan, "C014", holder.to_position)
    clashes = [line for line in lines if "(with " in line]
    assert clashes
    name = facts.cadre(holder.cadre).name
    assert any(f"{holder.cadre} {name}" in line for line in clashes)


def test_explain_on_the_command_line_prints_titles_beside_post_ids(demo_plan: Path):
    result = CliRunner().invoke(main, ["explain", str(SCENARIO), str(demo_plan),
                                       "--cadre", "C014"])
    assert result.exit_code == 0, result.output
    assert "P-TH-TNMT-CV Chuyên viên quản lý đất đai" in result.output


def test_unplaced_csv_names_the_cadre_and_the_post_they_stay_in(demo_plan: Path):
    from planner.plan import Plan, Unplaced
    from planner.planio import unplaced_csv

    roster = load_workspace(SCENARIO).facts.roster
    text = unplaced_csv(Plan([], [Unplaced("C014", "left in place", ("position-change-period",))]),
                        roster)
    assert text.splitlines() == [
        "cadre,reason,rules,name,post,title",
        "C014,left in place,position-change-period,Lý Văn Thành,P-TH-TNMT-CV,"
        "Chuyên viên quản lý đất đai"]


def test_compare_names_the_post_a_cadre_leaves_and_the_one_they_take(demo_plan: Path,
                                                                        tmp_path: Path):
    # the clean plan against itself with one move changed: C016's transfer a round earlier
    moves = (DEMO / "moves" / "clean.csv").read_text(encoding="utf-8").replace(
        "C016,transfer,P-XL-TC,2025-Q2", "C016,transfer,P-XL-TC,2025-Q1")
    (tmp_path / "variant.csv").write_text(moves, encoding="utf-8")
    variant = plan_folder_from_moves(tmp_path / "variant.csv", tmp_path / "variant", SCENARIO)
    result = CliRunner().invoke(main, ["compare", str(demo_plan), str(variant),
                                       "--diff-csv", str(tmp_path / "diff.csv"),
                                       "--html", str(tmp_path / "cmp.html")])
    assert result.exit_code == 0, result.output
    assert "Thanh tra viên" in result.output  # the post C016 leaves, by its title
    diff = (tmp_path / "diff.csv").read_text(encoding="utf-8")
    assert "Thanh tra viên" in diff
    page = (tmp_path / "cmp.html").read_text(encoding="utf-8")
    assert "Thanh tra viên (P-TH-TT-TTV)" in page


def test_explain_speaks_vietnamese_under_a_vietnamese_cli_and_english_otherwise(
        demo_plan: Path, monkeypatch: pytest.MonkeyPatch):
    args = ["explain", str(SCENARIO), str(demo_plan), "--cadre", "C043", "--why-not", "P-XL-PBT"]
    monkeypatch.setenv("ROTATION_LANG", "vi")
    vi = CliRunner().invoke(main, args)
    assert vi.exit_code == 0, vi.output
    assert "tháng giữ vị trí tính đến ngày 01/01/2024" in vi.output
    assert "bị cấm bởi equivalent-posts" in vi.output
    assert "là vị trí cao hơn" in vi.output  # the clause: the kind's own message, said in vi
    for english in ("months in post", "forbidden by", "moving in", "is a higher post"):
        assert english not in vi.output
    monkeypatch.setenv("ROTATION_LANG", "en")
    en = CliRunner().invoke(main, args)
    assert "months in post on 2024-01-01" in en.output and "forbidden by" in en.output


def test_explain_says_the_objective_terms_and_the_cost_of_forcing_in_vietnamese(
        demo_plan: Path, monkeypatch: pytest.MonkeyPatch):
    """The objective's term names and the forcing re-solve's lines go through the catalogue
    too (they were English under ROTATION_LANG=vi); English stays as it was."""
    terms = ["explain", str(SCENARIO), str(demo_plan), "--cadre", "C031"]
    forcing = ["explain", str(SCENARIO), str(demo_plan), "--cadre", "C032", "--why-not",
               "P-QA-CT"]
    monkeypatch.setenv("ROTATION_LANG", "vi")
    vi = CliRunner().invoke(main, terms)
    assert vi.exit_code == 0, vi.output
    assert ("các thành phần mục tiêu của lượt điều chuyển này: quy tắc khuyến nghị: "
            "skill-demand +10, xáo trộn (chưa đến hạn) +6") in vi.output
    vi_forcing = CliRunner().invoke(main, forcing)
    assert vi_forcing.exit_code == 0, vi_forcing.output
    assert "buộc phương án này làm hàm mục tiêu thay đổi +" in vi_forcing.output
    assert "Luân chuyển đợt 2024-Q1, Luân chuyển đợt 2024-Q2" in vi_forcing.output
    assert "+ C032 Luân chuyển → P-QA-CT đợt 2024-Q1" in vi_forcing.output
    stays = CliRunner().invoke(main, [*terms[:-1], "C010"])  # not due, stays
    assert "ở lại: chưa đến hạn, và không có lượt điều chuyển nào của họ làm kế hoạch tốt " \
           "hơn" in stays.output
    for english in ("disruption", "soft rules", "objective", "forcing it costs", "rotation in",
                    "what else must change", "improves the plan"):
        assert english not in vi.output + vi_forcing.output + stays.output
    monkeypatch.setenv("ROTATION_LANG", "en")
    en = CliRunner().invoke(main, terms)
    assert "objective terms of this move: soft rules: skill-demand +10, disruption (not due) " \
           "+6" in en.output


def test_a_catalogue_template_says_an_before_a_vowel_and_reads_back_either_way():
    """'is a {relation} post' with 'equivalent', 'a {form}' with 'appointment': English says
    "an"; the Vietnamese read-back of the text still finds the template."""
    from planner.i18n.messages import say, translate

    message = say("{cadre}: {origin} → {post} is a {relation} post; {why}", cadre="C1",
                  origin="P-A", post="P-B", relation="equivalent",
                  why="a appointment may go higher only")
    assert str(message) == "C1: P-A → P-B is an equivalent post; an appointment may go higher only"
    vi = "C1: P-A → P-B là vị trí tương đương; hình thức Bổ nhiệm chỉ được sang vị trí cao hơn"
    assert translate(message, "vi") == vi
    assert translate(str(message), "vi") == vi  # read back from a file
    assert str(say("{cadre} holds no post; a {form} needs an origin", cadre="C1",
                   form="transfer")) == "C1 holds no post; a transfer needs an origin"
