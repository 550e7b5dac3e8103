"""Dates of the domain: rounds of a horizon, months in post, retirement by NĐ 135/2020.

A round is a quarter (`2024-Q2`) or a month (`2024-05`); a move takes effect on its round's
first day. Month arithmetic counts whole calendar months, the way personnel offices count
tenure ("đủ 60 tháng").
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from typing import Literal

RoundKind = Literal["quarter", "month"]

_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` moved by whole months; the day is clipped to the target month's length."""
    index = day.year * 12 + (day.month - 1) + months
    year, month0 = divmod(index, 12)
    month = month0 + 1
    if day.day <= 28:  # every month has a 28th: the common case needs no month length
        return dt.date(year, month, day.day)
    return dt.date(year, month, min(day.day, _days_in_month(year, month)))


@functools.lru_cache(maxsize=256)
def earliest_reaching(months: int, day: dt.date) -> dt.date:
    """The first date d with add_months(d, months) >= day.

    add_months never decreases as its day grows, so "add_months(start, m) >= day" is
    "start >= earliest_reaching(m, day)": one comparison per cadre instead of a date
    built per cadre (tenure limits scan the whole roster). Found by bisection between
    bounds that hold for any month lengths (28–31 days)."""
    low = day.toordinal() - max(31 * months, 28 * months) - 62  # add_months(low, …) < day
    high = day.toordinal() - min(31 * months, 28 * months) + 62  # add_months(high, …) >= day
    while high - low > 1:
        middle = (low + high) // 2
        if add_months(dt.date.fromordinal(middle), months) >= day:
            high = middle
        else:
            low = middle
    return dt.date.fromordinal(high)


_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _days_in_month(year: int, month: int) -> int:
    if month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
        return 29
    return _MONTH_DAYS[month - 1]


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole months from `start` to `end` (negative if end is earlier).

    A month is complete on the same day-of-month, or on the last day of a shorter month
    (Bộ luật Dân sự 2015 Đ.148: a period in months with no corresponding day ends on the
    month's last day), so `months_between(d, add_months(d, n)) == n` for every n ≥ 0.
    """
    if end < start:
        return -months_between(end, start)
    months = (end.year - start.year) * 12 + (end.month - start.month)
    if end.day < start.day and end.day != _days_in_month(end.year, end.month):
        months -= 1
    return months


@dataclass(frozen=True, order=True)
class Round:
    """One planning round: its position in the horizon, name, first day and end (exclusive)."""

    index: int
    name: str
    start: dt.date
    end: dt.date


def round_name(start: dt.date, kind: RoundKind) -> str:
    if kind == "quarter":
        return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    return f"{start.year}-{start.month:02d}"


def parse_round(name: str) -> tuple[dt.date, RoundKind]:
    """First day and kind of a round name; ValueError for anything else."""
    text = str(name).strip()
    if match := _QUARTER.match(text):
        return dt.date(int(match[1]), 3 * (int(match[2]) - 1) + 1, 1), "quarter"
    if match := _MONTH.match(text):
        return dt.date(int(match[1]), int(match[2]), 1), "month"
    raise ValueError(f"'{name}' is not a round (expected e.g. 2024-Q2 or 2024-05)")


def make_rounds(start: dt.date, end: dt.date, kind: RoundKind) -> tuple[Round, ...]:
    """The rounds of a horizon [start, end); the first starts at `start`'s period."""
    step = 3 if kind == "quarter" else 1
    first_month = (start.month - 1) // step * step + 1
    day = dt.date(start.year, first_month, 1)
    rounds: list[Round] = []
    while day < end:
        following = add_months(day, step)
        rounds.append(Round(len(rounds), round_name(day, kind), day, following))
        day = following
    return tuple(rounds)


# NĐ 135/2020/NĐ-CP Art. 4: in 2021 men retire at 60y3m and women at 55y4m; each later year
# adds 3 months (men) up to 62y in 2028, and 4 months (women) up to 60y in 2035. Someone
# retires at the age that applies in the calendar year in which they reach it.
_SCHEDULE = {
    "male": (60 * 12, 3, 3, 62 * 12),
    "female": (55 * 12, 4, 4, 60 * 12),
}


def retirement_age_months(gender: str, year: int) -> int:
    """Statutory retirement age in months for someone reaching it in `year` (NĐ 135/2020)."""
    base, first_step, step, cap = _SCHEDULE[gender]
    if year < 2021:
        return base
    return min(base + first_step + step * (year - 2021), cap)


def retirement_date(birth_date: dt.date, gender: str) -> dt.date:
    """The day a cadre reaches statutory retirement age by the NĐ 135/2020 schedule."""
    base = _SCHEDULE[gender][0]
    if add_months(birth_date, base).year < 2021:
        return add_months(birth_date, base)
    # before the year they turn the base age nobody reaches any age of the schedule (every
    # age is at least the base): start there rather than at 2021
    for year in range(max(2021, birth_date.year + base // 12), 2100):
        day = add_months(birth_date, retirement_age_months(gender, year))
        if day.year <= year:
            return day
    raise AssertionError("unreachable: the schedule reaches its cap by 2035")


def months_to_retirement(birth_date: dt.date, gender: str, on: dt.date) -> int:
    """Remaining service in whole months on a date (0 once retired)."""
    return max(0, months_between(on, retirement_date(birth_date, gender)))
