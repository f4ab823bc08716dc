"""Periods: their true length, overlaps, year columns, and annualised counts.

Responses cover calendar years, financial years (1 April to 31 March), part years and odd
spans such as 1 January 2016 to 31 January 2018. Counts are annualised by the period's
length in days, so a 25-month response is not compared with a 12-month one as if alike.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

# The mean Gregorian year: annualised counts do not depend on which years hold a 29 February.
DAYS_PER_YEAR = 365.2425

_YEAR_COLUMN = re.compile(r"^((?:19|20)\d{2})(?:\s*[/-]\s*(\d{2}|\d{4}))?$")


def as_date(value: str | dt.date) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def days(start: str | dt.date, end: str | dt.date) -> int:
    """Days covered, both ends included: 1 January to 31 December 2019 is 365."""
    return (as_date(end) - as_date(start)).days + 1


def months_and_days(start: str | dt.date, end: str | dt.date) -> tuple[int, int]:
    """Whole calendar months covered, and the days left over (both ends included).

    1 January 2016 to 31 January 2018 is (25, 0); 1 January to 1 February 2019 is (1, 1).
    """
    start, after = as_date(start), as_date(end) + dt.timedelta(days=1)
    months = (after.year - start.year) * 12 + after.month - start.month
    if after.day < start.day:
        months -= 1
    anchor_year, anchor_month = divmod(start.month - 1 + months, 12)
    anchor = _clamped(start.year + anchor_year, anchor_month + 1, start.day)
    return months, (after - anchor).days


def _clamped(year: int, month: int, day: int) -> dt.date:
    while True:
        try:
            return dt.date(year, month, day)
        except ValueError:
            day -= 1


def length_text(start: str | dt.date, end: str | dt.date) -> str:
    """'25 months (762 days)', '12 months and 1 day (366 days)'."""
    months, extra = months_and_days(start, end)
    parts = []
    if months:
        parts.append(f"{months} month{'s' if months != 1 else ''}")
    if extra or not months:
        parts.append(f"{extra} day{'s' if extra != 1 else ''}")
    return f"{' and '.join(parts)} ({days(start, end)} days)"


def years(start: str | dt.date, end: str | dt.date) -> float:
    return days(start, end) / DAYS_PER_YEAR


def annualise(count: float, start: str | dt.date, end: str | dt.date) -> float:
    """A count per year of the period's true length."""
    return count / years(start, end)


def overlap_days(a_start, a_end, b_start, b_end) -> int:
    """Days two periods share (0 when they do not meet)."""
    first = max(as_date(a_start), as_date(b_start))
    last = min(as_date(a_end), as_date(b_end))
    return max(0, (last - first).days + 1)


def calendar_year(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def financial_year(first_year: int) -> tuple[dt.date, dt.date]:
    """The UK financial year starting 1 April of ``first_year``: 2019 -> 1 April 2019 to 31 March 2020."""
    return dt.date(first_year, 4, 1), dt.date(first_year + 1, 3, 31)


@lru_cache(maxsize=4096)
def column_period(label: str | None) -> tuple[dt.date, dt.date] | None:
    """The dates a year column covers: '2019' is the calendar year, '2019/20' the financial year."""
    match = _YEAR_COLUMN.match((label or "").strip())
    if not match:
        return None
    year = int(match.group(1))
    return financial_year(year) if match.group(2) else calendar_year(year)
