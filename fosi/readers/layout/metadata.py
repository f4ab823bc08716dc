"""What a response says about itself in prose: force, period, date basis, unit, and, when it
has no table, what kind of answer it is (a refusal, "not held", an answer in words).

Each detector takes the response's Lines and returns the value with where it was
printed, or None when the text does not say. Nothing is guessed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from fosi.model.response import Located
from fosi.readers.layout.lines import Line
from fosi.reference import MONTHS, force_in_text

# A month's name, full or short, and a day of a month (1 to 31: "0 January 2023" is a count and a
# month): the one spelling of each for every pattern of dates (fosi.readers.layout.accounting's too).
MONTH_NAME = (r"(?:january|february|march|april|may|june|july|august|september|october|november|december|"
              r"jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)")
DAY_OF_MONTH = r"(?:0?[1-9]|[12]\d|3[01])"
_MONTH = f"({MONTH_NAME})"
_DAY = f"({DAY_OF_MONTH})(?:st|nd|rd|th)?"
_TO = r"\s*(?:-|–|—|to|until|and|through)\s*"
# "1st January 2016 - 31st January 2018", "1 January to 31 December 2025", "01/04/2019 – 31/03/2020"
_WORD_RANGE = re.compile(
    _DAY + r"\s+" + _MONTH + r"\.?(?:,?\s+(\d{4}))?" + _TO + _DAY + r"\s+" + _MONTH + r"\.?,?\s+(\d{4})",
    re.IGNORECASE,
)
_NUMERIC_RANGE = re.compile(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})" + _TO + r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})",
                            re.IGNORECASE)
_CALENDAR_YEARS = re.compile(r"calendar\s+years?\s+((?:19|20)\d{2}(?:\s*(?:,|and|&|to|-|–)\s*(?:19|20)\d{2})*)",
                             re.IGNORECASE)
_FINANCIAL_YEARS = re.compile(
    r"financial\s+years?\s+((?:19|20)\d{2}\s*[/-]\s*\d{2,4}(?:\s*(?:,|and|&|to|-|–)\s*(?:19|20)\d{2}\s*[/-]\s*\d{2,4})*)",
    re.IGNORECASE)


def _month(name: str) -> int:
    return MONTHS.get(name.lower()) or MONTHS[next(m for m in MONTHS if m.startswith(name.lower()[:3]))]


def _date(year: str, month: str, day: str) -> dt.date | None:
    try:
        return dt.date(int(year), int(month) if month.isdigit() else _month(month), int(day))
    except (KeyError, ValueError, StopIteration):
        return None


def parse_period(text: str) -> tuple[str, str] | None:
    """The first period named in a line, as ISO dates (start, end), or None.

    Date ranges ("1 January to 31 December 2025": a start with no year takes the end's),
    calendar years ("calendar years 2019, 2020 and 2021") and financial years
    ("financial years 2017/18 to 2019/20", April to March). A reversed range is returned
    as printed: validation reports it.
    """
    match = _WORD_RANGE.search(text)
    if match:
        d1, m1, y1, d2, m2, y2 = match.groups()
        start, end = _date(y1 or y2, m1, d1), _date(y2, m2, d2)
    elif (match := _NUMERIC_RANGE.search(text)):
        d1, m1, y1, d2, m2, y2 = match.groups()  # UK order: day/month/year
        start, end = _date(y1, m1, d1), _date(y2, m2, d2)
    elif (match := _CALENDAR_YEARS.search(text)):
        years = [int(y) for y in re.findall(r"(?:19|20)\d{2}", match.group(1))]
        start, end = dt.date(min(years), 1, 1), dt.date(max(years), 12, 31)
    elif (match := _FINANCIAL_YEARS.search(text)):
        starts = [int(y) for y in re.findall(r"((?:19|20)\d{2})\s*[/-]", match.group(1))]
        start, end = dt.date(min(starts), 4, 1), dt.date(max(starts) + 1, 3, 31)
    else:
        return None
    if start is None or end is None:
        return None
    return start.isoformat(), end.isoformat()


def _located(value: str, line: Line) -> Located:
    return Located(value, line.line, line.location)


def detect_force(lines: Sequence[Line]) -> Located | None:
    for line in lines:
        found = force_in_text(line.text)
        if found:
            return _located(found[0], line)
    return None


_YEAR = re.compile(r"(?:19|20)\d\d")


def detect_period(lines: Sequence[Line]) -> tuple[Located, Located] | None:
    for line in lines:
        if not _YEAR.search(line.text):
            continue  # every period fosi reads names a year
        period = parse_period(line.text)
        if period:
            return _located(period[0], line), _located(period[1], line)
    return None


# (the word every match contains, pattern, basis): a line without the word is not searched.
_DATE_BASIS = (
    ("outcome", re.compile(r"outcomes?\s+(?:(?:was|were|has been|have been)\s+)?(?:assignment|assigned)|outcome\s+date|date\s+(?:the|an)\s+outcome|"
                           r"outcomes?\s+(?:were\s+)?(?:recorded|assigned|given)\s+(?:during|in|between)", re.I),
     "outcome"),
    ("finali", re.compile(r"\bfinali[sz]ed\b", re.I), "outcome"),
    ("recorded", re.compile(r"\brecorded\s+(?:during|in|between|within|from)\b|\brecorded\s+date|date\s+recorded|"
                            r"crimes?\s+recorded\b", re.I), "recorded"),
    ("reported", re.compile(r"\breported\s+(?:during|in|between|within|from)\b", re.I), "recorded"),
)


def date_basis_statements(lines: Sequence[Line]) -> list[tuple[int, Located]]:
    """Every statement of which date places a crime in the period (its outcome date or its
    recording date): (its index among the lines, the basis it states), in order. A line that states
    both bases gives both, in the order printed."""
    found = []
    for index, line in enumerate(lines):
        if line.blank:
            continue
        lowered = line.text.lower()
        stated: dict[str, int] = {}
        for word, pattern, basis in _DATE_BASIS:
            if word in lowered:
                for start, window in _around(lowered, word):
                    match = pattern.search(window)
                    if match:
                        stated[basis] = min(stated.get(basis, len(lowered)), start + match.start())
                        break
        for basis in sorted(stated, key=stated.get):
            found.append((index, _located(basis, line)))
    return found


def _around(text: str, word: str, before: int = 30, after: int = 60):
    """The stretches of text around each occurrence of a word (with where each begins): every
    date-basis pattern lies within one, and searching them rather than a whole paragraph keeps long
    notes cheap."""
    start = text.find(word)
    while start != -1:
        low = max(0, start - before)
        yield low, text[low:start + len(word) + after]
        start = text.find(word, start + 1)


_TABLE_NAMED = re.compile(r"\btables?\s+(\d{1,2})\b", re.I)
_NOTE_MARK = re.compile(r"^\s*(?:note\s*(\d{1,2})|\((\d{1,2})\)|(\d{1,2})[.)]\s)", re.I)


def tables_named(text: str, titles: Sequence[str | None], outcomes: Sequence[str | None]) -> list[int]:
    """The tables (their numbers, from 1) a note names: "Table 2", a note marker its title carries
    ("Note 1" under a title marked "(Note 1)" or "Note 1"), or the one outcome only one table counts
    ("the Outcome 21 figures ..."), in the order the note names them."""
    named = [(m.start(), int(m.group(1))) for m in _TABLE_NAMED.finditer(text) if 1 <= int(m.group(1)) <= len(titles)]
    mark = _NOTE_MARK.match(text)
    if mark:
        number = next(g for g in mark.groups() if g)
        glued = rf"|[a-z]{number}$" if len(number) == 1 else ""  # a footnote digit glued to a title's last word
        marked = re.compile(rf"(?:\bnote\s*{number}\b|\({number}\){glued})", re.I)
        named += [(0, k + 1) for k, title in enumerate(titles) if title and marked.search(title)]
    for match in re.finditer(r"\b(?:outcome|oc)\s*0*(\d{1,2}[a-z]?)\b", text, re.I):
        holders = [k + 1 for k, code in enumerate(outcomes) if code == match.group(1).upper()]
        if len(holders) == 1:
            named.append((match.start(), holders[0]))
    return list(dict.fromkeys(number for _, number in sorted(named)))


def table_date_basis(statements: Sequence[tuple[int, Located]], above: range, below: range = range(0)) -> Located | None:
    """The date basis a table states for itself, or None: the first statement (from
    date_basis_statements) in its title and the other lines between the previous table and its
    header (``above``), else in the notes under it (``below``: the reader passes these for the last
    table only, as notes between two tables are read as the next table's). Tables that state none
    follow the response's basis."""
    for lines in (above, below):
        for index, located in statements:
            if index in lines:
                return located
    return None


_UNITS = (
    (re.compile(r"\bcrimes?\b", re.I), "crimes"),
    (re.compile(r"\boffences\b", re.I), "offences"),
    (re.compile(r"\barrests\b", re.I), "arrests"),
    (re.compile(r"\bsuspects\b", re.I), "suspects"),
    (re.compile(r"\b(?:people|persons|individuals)\b", re.I), "people"),
)
# Lines of the request ("2. The number of people arrested ...") say what was asked, not what is counted.
_QUESTION = re.compile(r"^\s*(?:\d+[.)]|q\d+\b|question|request)", re.IGNORECASE)
_NUMBER_OF = re.compile(r"\bnumber of (crimes?|offences|arrests|suspects|people|persons|individuals)\b", re.I)


def detect_unit(titles: Sequence[Located], headers: Sequence[Located], lines: Sequence[Line],
                introductions: Sequence[Located] = ()) -> Located | None:
    """The unit counted: from the table titles, then the header cells that name the rows
    ("Crime outcome"), then the reply's own line introducing a table ("Crimes of ... recorded
    ...:"), then a note saying "the number of crimes ...".

    A request's prose is not read: it often asks about people while the table counts crimes.
    """
    for located in (*titles, *headers, *introductions):
        # The earliest unit word is the head noun: "People arrested for offences ..." counts people.
        found = [(m.start(), unit) for pattern, unit in _UNITS if (m := pattern.search(located.text))]
        if found:
            return Located(min(found)[1], located.line, located.location)
    for line in lines:
        match = _NUMBER_OF.search(line.text)
        if match and not _QUESTION.match(line.text):
            word = match.group(1).lower()
            unit = {"crime": "crimes", "persons": "people", "individuals": "people"}.get(word, word)
            return _located(unit, line)
    return None
