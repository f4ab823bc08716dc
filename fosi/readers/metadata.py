"""What a response says about itself in prose: force, period, date basis, unit.

Each detector takes the response's lines (and, for the unit, its table titles) and
returns the value with the line it came from, or None when the text does not say.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from fosi.reference import MONTHS, force_in_text
from fosi.response import Located

_MONTH = r"(january|february|march|april|may|june|july|august|september|october|november|december)"
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
# "1st January 2016 - 31st January 2018", "1 January to 31 December 2025", "01/04/2019 – 31/03/2020"
_WORD_RANGE = re.compile(
    _DAY + r"\s+" + _MONTH + r"(?:,?\s+(\d{4}))?\s*(?:-|–|—|to|until|and)\s*" + _DAY + r"\s+" + _MONTH + r",?\s+(\d{4})",
    re.IGNORECASE,
)
_NUMERIC_RANGE = re.compile(
    r"(\d{1,2})/(\d{1,2})/(\d{4})\s*(?:-|–|—|to|until|and)\s*(\d{1,2})/(\d{1,2})/(\d{4})", re.IGNORECASE
)


def detect_force(lines: Sequence[str]) -> Located | None:
    for number, line in enumerate(lines, start=1):
        found = force_in_text(line)
        if found:
            return Located(found[0], number)
    return None


def _date(year: str, month: str, day: str) -> dt.date | None:
    try:
        month_number = MONTHS[month.lower()] if not month.isdigit() else int(month)
        return dt.date(int(year), month_number, int(day))
    except (KeyError, ValueError):
        return None


def parse_period(text: str) -> tuple[str, str] | None:
    """The first date range in a line, as ISO dates (start, end), or None.

    A start with no year takes the end's year ("1 January to 31 December 2025").
    The range is returned as printed, even if reversed: validation reports that.
    """
    match = _WORD_RANGE.search(text)
    if match:
        d1, m1, y1, d2, m2, y2 = match.groups()
        start, end = _date(y1 or y2, m1, d1), _date(y2, m2, d2)
    else:
        match = _NUMERIC_RANGE.search(text)
        if not match:
            return None
        d1, m1, y1, d2, m2, y2 = match.groups()  # UK order: day/month/year
        start, end = _date(y1, m1, d1), _date(y2, m2, d2)
    if start is None or end is None:
        return None
    return start.isoformat(), end.isoformat()


def detect_period(lines: Sequence[str]) -> tuple[Located, Located] | None:
    for number, line in enumerate(lines, start=1):
        period = parse_period(line)
        if period:
            return Located(period[0], number), Located(period[1], number)
    return None


_DATE_BASIS = (
    (re.compile(r"outcome\s+(?:assignment|assigned)|outcome\s+date|date\s+(?:the|an)\s+outcome", re.I), "outcome"),
    (re.compile(r"\brecorded\s+(?:during|in|between|within|from)\b|\brecorded\s+date|date\s+recorded", re.I), "recorded"),
)


def detect_date_basis(lines: Sequence[str]) -> Located | None:
    """Which date places a crime in the period: its outcome date or its recording date."""
    for number, line in enumerate(lines, start=1):
        for pattern, basis in _DATE_BASIS:
            if pattern.search(line):
                return Located(basis, number)
    return None


_UNITS = (
    (re.compile(r"\bcrimes?\b", re.I), "crimes"),
    (re.compile(r"\boffences\b", re.I), "offences"),
    (re.compile(r"\barrests\b", re.I), "arrests"),
    (re.compile(r"\bsuspects\b", re.I), "suspects"),
    (re.compile(r"\b(?:people|persons|individuals)\b", re.I), "people"),
)


def detect_unit(titles: Sequence[Located]) -> Located | None:
    """The unit counted, from the table titles ('Total Crimes concerning ...' -> crimes).

    Only titles are read: a request's prose often asks about people while the table
    counts crimes.
    """
    for title in titles:
        for pattern, unit in _UNITS:
            if pattern.search(title.text):
                return Located(unit, title.line)
    return None
