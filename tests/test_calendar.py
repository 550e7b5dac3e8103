"""Rounds, month arithmetic and retirement dates (NĐ 135/2020/NĐ-CP), with hand-computed dates."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.calendar import (
    add_months,
    earliest_reaching,
    make_rounds,
    months_between,
    months_to_retirement,
    parse_round,
    retirement_age_months,
    retirement_date,
    round_name,
)

D = dt.date

# ---------------------------------------------------------------------------- rounds


@pytest.mark.parametrize(
    ("name", "first_day", "kind"),
    [
        ("2024-Q1", D(2024, 1, 1), "quarter"),
        ("2024-Q2", D(2024, 4, 1), "quarter"),
        ("2025-Q4", D(2025, 10, 1), "quarter"),
        ("2024-05", D(2024, 5, 1), "month"),
        ("2024-12", D(2024, 12, 1), "month"),
        (" 2024-01 ", D(2024, 1, 1), "month"),  # a cell typed with spaces still reads
    ],
)
def test_a_round_name_gives_its_first_day_and_kind(name: str, first_day: dt.date, kind: str):
    assert parse_round(name) == (first_day, kind)


@pytest.mark.parametrize(
    "bad", ["2024-Q5", "2024-Q0", "2024-13", "2024-00", "2024-5", "Q2-2024", "2024Q2", "", "soon"]
)
def test_a_malformed_round_name_raises_value_error_naming_it(bad: str):
    with pytest.raises(ValueError, match="is not a round"):
        parse_round(bad)


@pytest.mark.parametrize(
    ("day", "kind", "name"),
    [
        (D(2024, 1, 1), "quarter", "2024-Q1"),
        (D(2024, 6, 30), "quarter", "2024-Q2"),  # the quarter a day falls in, not its start
        (D(2024, 7, 1), "quarter", "2024-Q3"),
        (D(2024, 12, 31), "quarter", "2024-Q4"),
        (D(2024, 5, 17), "month", "2024-05"),
    ],
)
def test_round_name_names_the_period_a_day_falls_in(day: dt.date, kind, name: str):
    assert round_name(day, kind) == name


def test_a_two_year_quarterly_horizon_has_eight_back_to_back_rounds():
    rounds = make_rounds(D(2024, 1, 1), D(2026, 1, 1), "quarter")
    assert [r.name for r in rounds] == [
        "2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4", "2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4",
    ]  # fmt: skip
    assert [r.index for r in rounds] == list(range(8))
    assert rounds[0].start == D(2024, 1, 1) and rounds[-1].end == D(2026, 1, 1)
    # Each round ends (exclusive) where the next begins: no gap, no overlap.
    assert all(a.end == b.start for a, b in itertools.pairwise(rounds))


def test_monthly_rounds_cross_the_new_year():
    rounds = make_rounds(D(2024, 11, 1), D(2025, 2, 1), "month")
    assert [(r.name, r.start, r.end) for r in rounds] == [
        ("2024-11", D(2024, 11, 1), D(2024, 12, 1)),
        ("2024-12", D(2024, 12, 1), D(2025, 1, 1)),
        ("2025-01", D(2025, 1, 1), D(2025, 2, 1)),
    ]


def test_a_horizon_starting_mid_quarter_begins_with_that_whole_quarter():
    # 15 Feb lies in Q1, so the first round is 2024-Q1 from 1 Jan; an end on 1 Apr
    # (exclusive) leaves exactly that one round.
    rounds = make_rounds(D(2024, 2, 15), D(2024, 4, 1), "quarter")
    assert [(r.name, r.start) for r in rounds] == [("2024-Q1", D(2024, 1, 1))]


def test_every_round_name_parses_back_to_its_first_day():
    for kind in ("quarter", "month"):
        for r in make_rounds(D(2023, 1, 1), D(2026, 1, 1), kind):
            assert parse_round(r.name) == (r.start, kind)


# ---------------------------------------------------------------------------- months


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2024, 1, 15), 1, D(2024, 2, 15)),
        (D(2024, 1, 31), 1, D(2024, 2, 29)),  # clipped: 2024 is a leap year
        (D(2023, 1, 31), 1, D(2023, 2, 28)),  # clipped: 2023 is not
        (D(2024, 3, 31), 1, D(2024, 4, 30)),
        (D(2024, 2, 29), 12, D(2025, 2, 28)),  # a leap day a year on
        (D(2024, 11, 30), 3, D(2025, 2, 28)),  # across the new year, clipped
        (D(2024, 3, 31), -1, D(2024, 2, 29)),  # backwards, clipped
        (D(2024, 1, 10), -13, D(2022, 12, 10)),
        (D(2024, 1, 10), 0, D(2024, 1, 10)),
    ],
)
def test_add_months_clips_the_day_to_the_target_month(day, months, expected):
    assert add_months(day, months) == expected


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (D(2019, 6, 1), D(2024, 6, 1), 60),  # "đủ 60 tháng" on the same day five years on
        (D(2019, 6, 1), D(2024, 5, 31), 59),  # one day short
        (D(2024, 1, 15), D(2024, 1, 20), 0),
        (D(2024, 1, 15), D(2024, 1, 15), 0),
        # Month ends: 31 Jan → 29 Feb is one whole month, since February has no 31st
        # (BLDS 2015 Đ.148); 28 Feb of a leap year is a day short of it.
        (D(2024, 1, 31), D(2024, 2, 29), 1),
        (D(2024, 1, 31), D(2024, 2, 28), 0),
        (D(2023, 1, 31), D(2023, 2, 28), 1),
        (D(2024, 3, 31), D(2024, 4, 30), 1),
        (D(2024, 1, 30), D(2024, 2, 29), 1),
        # Negative: an end before the start counts whole months backwards.
        (D(2024, 6, 1), D(2019, 6, 1), -60),
        (D(2024, 3, 15), D(2024, 1, 20), -1),  # 20 Jan → 15 Mar is 1 whole month
        (D(2024, 3, 15), D(2024, 1, 10), -2),
        (D(2024, 2, 29), D(2024, 1, 31), -1),
    ],
)
def test_months_between_counts_whole_calendar_months(start, end, expected):
    assert months_between(start, end) == expected


@settings(max_examples=200, deadline=None)
@given(
    st.dates(min_value=D(1950, 1, 1), max_value=D(2080, 12, 31)),
    st.integers(min_value=-600, max_value=600),
)
def test_months_between_undoes_add_months(day: dt.date, months: int):
    # The tenure rules compute "due on" with add_months and "months in post" with
    # months_between; they must agree even when the day is clipped to a month end.
    assert months_between(day, add_months(day, months)) == months


@settings(max_examples=200, deadline=None)
@given(st.dates(), st.dates())
def test_months_between_is_antisymmetric(a: dt.date, b: dt.date):
    assert months_between(a, b) == -months_between(b, a)


# ----------------------------------------------------------------------- retirement
#
# NĐ 135/2020/NĐ-CP Đ.4 (under Bộ luật Lao động 2019 Đ.169): from 2021 the age rises from
# 60 (men) and 55 (women): men 60y3m in 2021 and +3 months each year up to 62y in 2028;
# women 55y4m in 2021 and +4 months each year up to 60y in 2035. A worker retires at the age
# in force for the calendar year in which they reach it. Annex I of the decree tabulates
# this by month of birth; its dates are when the pension starts, the month after the age is
# reached. The library returns the day the age is reached.


@pytest.mark.parametrize(
    ("gender", "year", "age"),
    [
        ("male", 2020, (60, 0)),  # before the reform: the old age
        ("male", 2021, (60, 3)),
        ("male", 2022, (60, 6)),
        ("male", 2024, (61, 0)),
        ("male", 2027, (61, 9)),
        ("male", 2028, (62, 0)),  # the cap
        ("male", 2040, (62, 0)),  # and it stays there
        ("female", 2020, (55, 0)),
        ("female", 2021, (55, 4)),
        ("female", 2022, (55, 8)),
        ("female", 2023, (56, 0)),
        ("female", 2034, (59, 8)),
        ("female", 2035, (60, 0)),  # the cap
        ("female", 2050, (60, 0)),
    ],
)
def test_retirement_age_follows_the_decree_135_schedule(gender, year, age):
    years, months = age
    assert retirement_age_months(gender, year) == years * 12 + months


@pytest.mark.parametrize(
    ("gender", "birth", "expected", "why"),
    [
        # Reached the old age (60) in 2020, before the reform: retires at exactly 60.
        ("male", D(1960, 6, 1), D(2020, 6, 1), "60y, reached in 2020"),
        ("male", D(1960, 12, 15), D(2020, 12, 15), "60y, reached in Dec 2020"),
        # First row of Annex I (men): born 01/1961 → 60y3m, reached 04/2021.
        ("male", D(1961, 1, 5), D(2021, 4, 5), "60y3m reached in 2021"),
        # Born 09/1961: 60y3m falls on 30 Dec 2021, still inside 2021.
        ("male", D(1961, 9, 30), D(2021, 12, 30), "60y3m reached in Dec 2021"),
        # Born 10/1961: 60y3m would be Jan 2022, where the 2022 age 60y6m applies: 04/2022.
        ("male", D(1961, 10, 5), D(2022, 4, 5), "late in the year: 60y6m in 2022"),
        # Born 31/12/1961: 60y6m → 31 Jun 2022, which does not exist → 30 Jun 2022.
        ("male", D(1961, 12, 31), D(2022, 6, 30), "60y6m, clipped to month end"),
        # Born 03/1966: 61y9m lands in Dec 2027, the last year before the cap.
        ("male", D(1966, 3, 1), D(2027, 12, 1), "61y9m in 2027"),
        # Born 04/1966: 61y9m would be Jan 2028, where the cap 62y applies: 04/2028.
        ("male", D(1966, 4, 1), D(2028, 4, 1), "capped at 62y in 2028"),
        ("male", D(1980, 5, 1), D(2042, 5, 1), "62y long after the cap"),
        ("female", D(1965, 6, 1), D(2020, 6, 1), "55y, reached in 2020"),
        # First row of Annex I (women): born 01/1966 → 55y4m, reached 05/2021.
        ("female", D(1966, 1, 10), D(2021, 5, 10), "55y4m reached in 2021"),
        # Born 09/1966: 55y4m would be Jan 2022, where the 2022 age 55y8m applies: 05/2022.
        ("female", D(1966, 9, 1), D(2022, 5, 1), "late in the year: 55y8m in 2022"),
        # Born 01/1975: 59y8m → Sep 2034, inside 2034.
        ("female", D(1975, 1, 1), D(2034, 9, 1), "59y8m in 2034"),
        # Born 05/1975: 59y8m would be Jan 2035, where the cap 60y applies: 05/2035.
        ("female", D(1975, 5, 1), D(2035, 5, 1), "capped at 60y in 2035"),
        ("female", D(1990, 2, 28), D(2050, 2, 28), "60y long after the cap"),
    ],
)
def test_retirement_date_by_decree_135(gender, birth, expected, why):
    assert retirement_date(birth, gender) == expected, why


def test_remaining_service_counts_whole_months_and_stops_at_zero():
    # Man born 1966-04-01 retires 2028-04-01 (above): 51 months after 2024-01-01.
    assert months_to_retirement(D(1966, 4, 1), "male", D(2024, 1, 1)) == 51
    # The day before he retires a month is not complete yet: 0 whole months left.
    assert months_to_retirement(D(1966, 4, 1), "male", D(2028, 3, 31)) == 0
    assert months_to_retirement(D(1960, 6, 1), "male", D(2024, 1, 1)) == 0  # long retired


@given(st.dates(dt.date(1950, 1, 1), dt.date(2090, 12, 31)), st.integers(-240, 240),
       st.dates(dt.date(1960, 1, 1), dt.date(2080, 12, 31)))
@settings(max_examples=400, deadline=None)
def test_a_start_reaches_a_day_in_whole_months_exactly_from_the_earliest_reaching_date(
        start: dt.date, months: int, day: dt.date) -> None:
    assert (add_months(start, months) >= day) == (start >= earliest_reaching(months, day))


def test_the_earliest_start_reaching_a_day_is_exact_at_month_ends() -> None:
    # 60 months before 2026-01-01 is 2021-01-01; the day before falls short
    assert earliest_reaching(60, dt.date(2026, 1, 1)) == dt.date(2021, 1, 1)
    # clipping: 2025-02-28 is reached from 2024-11-28 (+3) and from 29–30 Nov (clipped)
    assert earliest_reaching(3, dt.date(2025, 2, 28)) == dt.date(2024, 11, 28)
    assert add_months(dt.date(2024, 11, 27), 3) < dt.date(2025, 2, 28)


@given(st.dates(dt.date(1940, 1, 1), dt.date(2005, 12, 31)), st.sampled_from(["male", "female"]))
@settings(max_examples=300, deadline=None)
def test_the_retirement_date_is_the_first_year_in_which_the_age_of_that_year_is_reached(
        birth: dt.date, gender: str) -> None:
    # NĐ 135/2020 Art 4 read literally: the age applying in year Y, reached by the end of Y
    base = retirement_age_months(gender, 2000)
    if add_months(birth, base).year < 2021:
        expected = add_months(birth, base)
    else:
        expected = next(add_months(birth, retirement_age_months(gender, y))
                        for y in range(2021, 2100)
                        if add_months(birth, retirement_age_months(gender, y)).year <= y)
    assert retirement_date(birth, gender) == expected
