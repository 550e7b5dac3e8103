"""The synthetic roster generator: determinism, Hanoi's shape, and rosters that hold together.

hanoi-2023 and hanoi-2025 are generated once per module; the national preset (≈20 s) runs
only with `pytest -m slow`. Facts about Hanoi are written out here rather than imported from
`planner.vn_names`, so that a slip in the data module cannot confirm itself.
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import itertools
import os
import subprocess
import sys
import time
import unicodedata
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.generate import PRESETS, generate_roster, reference_date, write_roster
from planner.roster_io import load_roster
from planner.validate import check_roster

Rows = dict[str, list[dict[str, str]]]

COLUMNS = {
    "localities.csv": "id,name,level,kind,parent,valid_from,valid_to,successor",
    "units.csv": "id,name,locality,bloc,kind,sector,valid_from,valid_to,successor",
    "positions.csv": "id,unit,title,role,grade,key,listed_sector,profession,skills,"
    "valid_from,valid_to,successor",
    "cadres.csv": "id,name,gender,birth_date,hometown,position,position_start,profession,"
    "skills,pool,status,status_until,child_birth_date,volunteer,secondment_post,secondment_end,"
    "sole_carer",
    "relations.csv": "a,b,relation",
    "history.csv": "cadre,position,start,end,form",
}

# DOMAIN §4: Hanoi's 30 district-level units in 2023.
HANOI_DISTRICTS = {
    "Quận Ba Đình",
    "Quận Hoàn Kiếm",
    "Quận Tây Hồ",
    "Quận Long Biên",
    "Quận Cầu Giấy",
    "Quận Đống Đa",
    "Quận Hai Bà Trưng",
    "Quận Hoàng Mai",
    "Quận Thanh Xuân",
    "Quận Nam Từ Liêm",
    "Quận Bắc Từ Liêm",
    "Quận Hà Đông",
    "Thị xã Sơn Tây",
    "Huyện Ba Vì",
    "Huyện Chương Mỹ",
    "Huyện Đan Phượng",
    "Huyện Đông Anh",
    "Huyện Gia Lâm",
    "Huyện Hoài Đức",
    "Huyện Mê Linh",
    "Huyện Mỹ Đức",
    "Huyện Phú Xuyên",
    "Huyện Phúc Thọ",
    "Huyện Quốc Oai",
    "Huyện Sóc Sơn",
    "Huyện Thạch Thất",
    "Huyện Thanh Oai",
    "Huyện Thanh Trì",
    "Huyện Thường Tín",
    "Huyện Ứng Hòa",
}

LEADING_ROLES = {"secretary", "chair", "council_chair", "front_chair", "head"}

# NĐ 135/2020/NĐ-CP Art. 4, as the decree's table: retirement age in months for someone
# reaching it in a given year. Men 60y3m in 2021 (+3 months a year, 62y from 2028); women
# 55y4m in 2021 (+4 months a year, 60y from 2035). Before 2021: 60 and 55.
MEN_RETIREMENT_MONTHS = {
    2021: 723,
    2022: 726,
    2023: 729,
    2024: 732,
    2025: 735,
    2026: 738,
    2027: 741,
}
WOMEN_RETIREMENT_MONTHS = {2021 + i: 664 + 4 * i for i in range(14)}  # 2021: 664 … 2034: 716


def retirement_age_months(gender: str, year: int) -> int:
    if gender == "male":
        return 720 if year < 2021 else MEN_RETIREMENT_MONTHS.get(year, 744)
    return 660 if year < 2021 else WOMEN_RETIREMENT_MONTHS.get(year, 720)


def plus_months(day: dt.date, months: int) -> dt.date:
    year, month0 = divmod(day.year * 12 + day.month - 1 + months, 12)
    return dt.date(year, month0 + 1, min(day.day, calendar.monthrange(year, month0 + 1)[1]))


def retired_on(birth: dt.date, gender: str, day: dt.date) -> bool:
    """Whether someone has reached retirement age by `day`: in some year up to `day`'s, they
    reached that year's age within that year."""
    for year in range(birth.year + 50, day.year + 1):
        reached = plus_months(birth, retirement_age_months(gender, year))
        if reached <= min(day, dt.date(year, 12, 31)):
            return True
    return False


def age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def broken_references(rows: Rows) -> list[str]:
    """Every id that is duplicated or that a row names without it existing."""
    problems: list[str] = []
    ids: dict[str, set[str]] = {}
    for file in ("localities.csv", "units.csv", "positions.csv", "cadres.csv"):
        counts = Counter(row["id"] for row in rows[file])
        problems += [f"{file}: duplicate id {i}" for i, n in counts.items() if n > 1]
        ids[file] = set(counts)
    localities, units = ids["localities.csv"], ids["units.csv"]
    positions, cadres = ids["positions.csv"], ids["cadres.csv"]
    for loc in rows["localities.csv"]:
        for field in ("parent", "successor"):
            if loc[field] and loc[field] not in localities:
                problems.append(f"locality {loc['id']}: {field} {loc[field]}")
    problems += [f"unit {u['id']}" for u in rows["units.csv"] if u["locality"] not in localities]
    problems += [f"position {p['id']}" for p in rows["positions.csv"] if p["unit"] not in units]
    holders = Counter(c["position"] for c in rows["cadres.csv"] if c["position"])
    problems += [f"position {p} has {n} holders" for p, n in holders.items() if n > 1]
    current_post = {c["id"]: c["position"] for c in rows["cadres.csv"]}
    for cadre in rows["cadres.csv"]:
        if cadre["position"] and cadre["position"] not in positions:
            problems.append(f"cadre {cadre['id']}: position {cadre['position']}")
        if cadre["hometown"] not in localities:
            problems.append(f"cadre {cadre['id']}: hometown {cadre['hometown']}")
    pairs: set[frozenset[str]] = set()
    for relation in rows["relations.csv"]:
        pair = frozenset((relation["a"], relation["b"]))
        if len(pair) != 2 or pair in pairs or not pair <= cadres:
            problems.append(f"relation {relation}")
        pairs.add(pair)
    for entry in rows["history.csv"]:
        if (
            entry["cadre"] not in cadres
            or entry["position"] not in positions
            or entry["position"] == current_post[entry["cadre"]]
            or entry["start"] >= entry["end"]
        ):
            problems.append(f"history {entry}")
    return problems


def retired_cadres(rows: Rows, day: dt.date) -> list[str]:
    return [
        c["id"]
        for c in rows["cadres.csv"]
        if retired_on(dt.date.fromisoformat(c["birth_date"]), c["gender"], day)
    ]


@pytest.fixture(scope="module")
def hanoi_2023() -> Rows:
    return generate_roster("hanoi-2023", 1)


@pytest.fixture(scope="module")
def hanoi_2025() -> Rows:
    return generate_roster("hanoi-2025", 1)


# ------------------------------------------------------------------------- determinism


def test_same_seed_gives_byte_identical_files(tmp_path: Path) -> None:
    write_roster("district", 7, tmp_path / "first")
    write_roster("district", 7, tmp_path / "second")
    for file in COLUMNS:
        assert (tmp_path / "first" / file).read_bytes() == (tmp_path / "second" / file).read_bytes()


def test_the_files_do_not_depend_on_the_string_hash_seed(tmp_path: Path) -> None:
    # Iterating a set of strings would make the output change from one process to the next.
    script = (
        "import sys, pathlib, planner.generate as g;"
        " g.write_roster('district', 3, pathlib.Path(sys.argv[1]))"
    )
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        subprocess.run(
            [sys.executable, "-c", script, str(tmp_path / hash_seed)], env=env, check=True
        )
    for file in COLUMNS:
        assert (tmp_path / "1" / file).read_bytes() == (tmp_path / "2" / file).read_bytes()


def test_a_different_seed_gives_a_different_roster() -> None:
    first, second = generate_roster("district", 1), generate_roster("district", 2)
    assert first["cadres.csv"] != second["cadres.csv"]
    assert first["positions.csv"] != second["positions.csv"]


def test_files_have_the_documented_columns_utf8_without_bom_and_newline_endings(
    tmp_path: Path,
) -> None:
    counts = write_roster("demo", 3, tmp_path)
    assert set(counts) == set(COLUMNS)
    for file, header in COLUMNS.items():
        data = (tmp_path / file).read_bytes()
        assert data.startswith(header.encode() + b"\n")
        assert b"\r" not in data
        assert not data.startswith(b"\xef\xbb\xbf")
        assert data.count(b"\n") == counts[file] + 1


def test_vietnamese_text_round_trips_through_the_files_in_nfc(tmp_path: Path) -> None:
    rows = generate_roster("district", 5)
    write_roster("district", 5, tmp_path)
    for file, generated in rows.items():
        with (tmp_path / file).open(encoding="utf-8", newline="") as handle:
            assert list(csv.DictReader(handle)) == generated
        for row in generated:
            assert all(unicodedata.normalize("NFC", value) == value for value in row.values())
    assert "Phường Văn Miếu" in {loc["name"] for loc in rows["localities.csv"]}
    assert "Bí thư Quận ủy Đống Đa" in {p["title"] for p in rows["positions.csv"]}


def test_a_failed_run_leaves_no_file_behind_and_keeps_the_old_roster(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = tmp_path / "localities.csv"
    old.write_text("old roster\n", encoding="utf-8")

    def fail(*_args: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr("planner.generate._Generator.relatives", fail)
    with pytest.raises(RuntimeError, match="disk full"):
        write_roster("demo", 1, tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["localities.csv"]
    assert old.read_text(encoding="utf-8") == "old roster\n"


def test_an_unknown_preset_is_refused_naming_the_valid_ones(tmp_path: Path) -> None:
    with pytest.raises(
        ValueError, match=r"'hanoi-2024'.*valid presets: demo, district, hanoi-2023"
    ):
        write_roster("hanoi-2024", 1, tmp_path / "out")
    assert not (tmp_path / "out").exists()
    assert PRESETS == ("demo", "district", "hanoi-2023", "hanoi-2025", "national")


# -------------------------------------------------------------------------------- shape


def test_hanoi_2023_has_about_15000_positions_and_the_30_real_districts(hanoi_2023: Rows) -> None:
    assert 13_500 <= len(hanoi_2023["positions.csv"]) <= 16_500
    levels = Counter(loc["level"] for loc in hanoi_2023["localities.csv"])
    assert levels == {"city": 1, "district": 30, "commune": 579}
    districts = {loc["name"] for loc in hanoi_2023["localities.csv"] if loc["level"] == "district"}
    assert districts == HANOI_DISTRICTS
    root = [loc for loc in hanoi_2023["localities.csv"] if not loc["parent"]]
    assert [(r["id"], r["name"], r["kind"]) for r in root] == [
        ("HN", "Thành phố Hà Nội", "thanh_pho")
    ]


def test_hanoi_2023_merges_53_communes_into_a_surviving_neighbour_on_1_january_2025(
    hanoi_2023: Rows,
) -> None:
    by_id = {loc["id"]: loc for loc in hanoi_2023["localities.csv"]}
    merged = [loc for loc in by_id.values() if loc["valid_to"] and loc["level"] == "commune"]
    assert len(merged) == 579 - 526
    for loc in merged:
        successor = by_id[loc["successor"]]
        assert loc["valid_to"] == "2025-01-01"
        assert successor["parent"] == loc["parent"] and not successor["valid_to"]


def test_hanoi_2025_has_126_communes_and_no_district_level(hanoi_2025: Rows) -> None:
    levels = Counter(loc["level"] for loc in hanoi_2025["localities.csv"])
    assert levels == {"city": 1, "commune": 126}
    kinds = Counter(loc["kind"] for loc in hanoi_2025["localities.csv"])
    assert (kinds["phuong"], kinds["xa"]) == (51, 75)
    assert 7_000 <= len(hanoi_2025["cadres.csv"]) <= 9_000


def test_every_id_is_unique_and_every_reference_resolves(
    hanoi_2023: Rows, hanoi_2025: Rows
) -> None:
    assert broken_references(hanoi_2023) == []
    assert broken_references(hanoi_2025) == []


def test_about_three_percent_of_positions_are_vacant(hanoi_2023: Rows) -> None:
    held = {c["position"] for c in hanoi_2023["cadres.csv"] if c["position"]}
    vacant = [p for p in hanoi_2023["positions.csv"] if p["id"] not in held]
    assert 0.02 <= len(vacant) / len(hanoi_2023["positions.csv"]) <= 0.04


def test_every_holder_of_a_listed_post_has_its_profession_and_others_mostly_do(
        hanoi_2023: Rows) -> None:
    # a periodic change keeps the holder's profession: a listed post held by someone of
    # another profession would have no lawful change anywhere (the stuck cadres of old)
    post = {p["id"]: p for p in hanoi_2023["positions.csv"]}
    held = [(c, post[c["position"]]) for c in hanoi_2023["cadres.csv"] if c["position"]]
    listed = [(c, p) for c, p in held if p["listed_sector"]]
    assert len(listed) > 1000
    assert all(c["profession"] == p["profession"] for c, p in listed)
    other = [c["profession"] == p["profession"] for c, p in held if not p["listed_sector"]]
    assert 0.8 < sum(other) / len(other) < 0.95


def test_nobody_is_past_retirement_age_on_2024_01_01(hanoi_2023: Rows, hanoi_2025: Rows) -> None:
    assert retired_cadres(hanoi_2023, dt.date(2024, 1, 1)) == []
    # hanoi-2025 starts later: nobody is retired on its first day either.
    assert retired_cadres(hanoi_2025, reference_date("hanoi-2025")) == []


def test_the_retirement_check_knows_the_schedule() -> None:
    # A man born 1963-03-15 reaches 60y9m (the 2023 age) on 2023-12-15: retired by 2024.
    assert retired_on(dt.date(1963, 3, 15), "male", dt.date(2024, 1, 1))
    # Born 1963-05-15 he reaches 60y9m only in 2024, and 61y (the 2024 age) on 2024-05-15.
    assert not retired_on(dt.date(1963, 5, 15), "male", dt.date(2024, 1, 1))
    assert retired_on(dt.date(1963, 5, 15), "male", dt.date(2024, 5, 15))
    # A woman born 1968-02-15: 56y (the 2023 age) falls in 2024, 56y4m on 2024-06-15.
    assert not retired_on(dt.date(1968, 2, 15), "female", dt.date(2024, 6, 14))
    assert retired_on(dt.date(1968, 2, 15), "female", dt.date(2024, 6, 15))


def test_ages_range_from_25_to_61_with_some_close_to_retirement(hanoi_2023: Rows) -> None:
    start = dt.date(2024, 1, 1)
    births = [
        (dt.date.fromisoformat(c["birth_date"]), c["gender"]) for c in hanoi_2023["cadres.csv"]
    ]
    ages = [age_on(birth, start) for birth, _ in births]
    assert min(ages) == 25 and max(ages) <= 61
    near = sum(retired_on(birth, gender, plus_months(start, 18)) for birth, gender in births)
    assert 0.01 <= near / len(births) <= 0.08


def test_a_realistic_share_of_cadres_reach_their_tenure_limit_by_the_end_of_2025(
    hanoi_2023: Rows,
) -> None:
    positions = {p["id"]: p for p in hanoi_2023["positions.csv"]}
    end, reached, counted = dt.date(2025, 12, 31), 0, 0
    for cadre in hanoi_2023["cadres.csv"]:
        post = positions.get(cadre["position"])
        if post is None or not (post["role"] in LEADING_ROLES or post["listed_sector"]):
            continue
        limit = 96 if post["role"] in LEADING_ROLES else 60
        counted += 1
        reached += plus_months(dt.date.fromisoformat(cadre["position_start"]), limit) <= end
    assert 0.15 <= reached / counted <= 0.25


def test_cadres_look_like_a_hanoi_organisation(hanoi_2023: Rows) -> None:
    cadres = hanoi_2023["cadres.csv"]
    total = len(cadres)
    positions = {p["id"]: p for p in hanoi_2023["positions.csv"]}
    units = {u["id"]: u for u in hanoi_2023["units.csv"]}
    parent = {loc["id"]: loc["parent"] for loc in hanoi_2023["localities.csv"]}

    def inside(town: str, locality: str) -> bool:
        while town and town != locality:
            town = parent[town]
        return town == locality

    posted = [c for c in cadres if c["position"]]
    local = sum(
        inside(c["hometown"], units[positions[c["position"]]["unit"]]["locality"]) for c in posted
    )
    assert 0.30 <= local / len(posted) <= 0.40
    statuses = Counter(c["status"] for c in cadres)
    assert statuses["active"] / total > 0.9
    for status in (
        "discipline",
        "investigation",
        "illness",
        "study",
        "seconded",
        "hardship",
        "pregnant",
        "maternity",
    ):
        assert 0.003 <= statuses[status] / total <= 0.012, status
    start = dt.date(2024, 1, 1)
    for cadre in cadres:
        assert (cadre["status"] == "active") == (cadre["status_until"] == "")
        if cadre["status"] in ("pregnant", "maternity"):
            assert cadre["gender"] == "female"
            assert age_on(dt.date.fromisoformat(cadre["birth_date"]), start) < 45
        if cadre["child_birth_date"]:
            assert "2021-01-01" <= cadre["child_birth_date"] <= "2023-12-31"
    assert 0.03 <= sum(bool(c["child_birth_date"]) for c in cadres) / total <= 0.05
    assert 0.005 <= sum(c["volunteer"] == "true" for c in cadres) / total <= 0.02
    leaders = [c for c in posted if positions[c["position"]]["role"] != "staff"]
    pooled = [c for c in leaders if c["pool"]]
    assert 0.10 <= len(pooled) / len(leaders) <= 0.20
    for cadre in pooled:
        for token in cadre["pool"].split(";"):
            role, level = token.split("@")
            assert level in ("commune", "district", "city") and role in LEADING_ROLES | {
                "deputy_secretary",
                "vice_chair",
                "deputy_head",
            }
    in_pairs = 2 * len(hanoi_2023["relations.csv"]) / total
    assert 0.015 <= in_pairs <= 0.03
    with_history = {h["cadre"] for h in hanoi_2023["history.csv"]}
    assert 0.15 <= len(with_history) / total <= 0.25


def test_the_latest_earlier_posting_ends_when_the_current_post_began(hanoi_2023: Rows) -> None:
    start_of = {c["id"]: c["position_start"] for c in hanoi_2023["cadres.csv"]}
    ends: dict[str, list[tuple[str, str]]] = {}
    for entry in hanoi_2023["history.csv"]:
        ends.setdefault(entry["cadre"], []).append((entry["start"], entry["end"]))
    for cadre_id, spans in ends.items():
        spans.sort()
        assert spans[-1][1] == start_of[cadre_id]
        assert all(earlier[1] == later[0] for earlier, later in itertools.pairwise(spans))


def test_some_relatives_serve_in_the_same_district(hanoi_2023: Rows) -> None:
    positions = {p["id"]: p for p in hanoi_2023["positions.csv"]}
    locality_of_unit = {u["id"]: u["locality"] for u in hanoi_2023["units.csv"]}
    district = {
        loc["id"]: loc["parent"] if loc["level"] == "commune" else loc["id"]
        for loc in hanoi_2023["localities.csv"]
    }

    def district_of(cadre_id: str) -> str:
        post = post_of.get(cadre_id)
        return district[locality_of_unit[positions[post]["unit"]]] if post else "-"

    post_of = {c["id"]: c["position"] for c in hanoi_2023["cadres.csv"]}
    same = [r for r in hanoi_2023["relations.csv"] if district_of(r["a"]) == district_of(r["b"])]
    assert len(same) >= 10


def test_a_generated_roster_passes_the_loader_and_its_cross_checks(tmp_path: Path) -> None:
    write_roster("district", 11, tmp_path)
    check_roster(load_roster(tmp_path), reference_date("district"))  # raises on any problem


@settings(max_examples=15, deadline=None)
@given(preset=st.sampled_from(["demo", "district"]), seed=st.integers(0, 1000))
def test_small_presets_hold_together_for_any_seed(preset: str, seed: int) -> None:
    rows = generate_roster(preset, seed)
    assert broken_references(rows) == []
    assert retired_cadres(rows, reference_date(preset)) == []
    assert [list(rows[file][0]) for file in ("localities.csv", "cadres.csv")] == [
        COLUMNS[file].split(",") for file in ("localities.csv", "cadres.csv")
    ]


@pytest.mark.slow
def test_national_preset_has_200000_cadres_in_two_tiers_within_a_minute(tmp_path: Path) -> None:
    began = time.perf_counter()
    counts = write_roster("national", 1, tmp_path)
    assert time.perf_counter() - began < 60
    assert counts["cadres.csv"] >= 200_000
    with (tmp_path / "localities.csv").open(encoding="utf-8", newline="") as handle:
        localities = list(csv.DictReader(handle))
    assert Counter(loc["level"] for loc in localities) == {"city": 35, "commune": 3321}
    assert [loc["id"] for loc in localities if not loc["parent"]] == ["VN"]
