"""Cells of a printed table: how a line splits into cells and what a cell holds.

Shared by every reader, so "12", "1,204", "<5" and "*" mean the same wherever they
are printed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_INTEGER = re.compile(r"-?(?:\d{1,3}(?:,\d{3})+|\d+)")
_DECIMAL = re.compile(r"-?(?:\d{1,3}(?:,\d{3})+|\d+)?\.\d+")
# Printed stand-ins for a number: suppressed, not applicable, not available.
# Each is kept as printed; none is zero (GUIDE §2, "Missing is not zero").
_MARKER = re.compile(
    r"\*+|-|–|—|\.\.|n/?a|N/?A|nil|Nil|\[[a-z]\]|[<≤]\s*\d+|&lt;\s*\d+|less than \d+|fewer than \d+",
    re.IGNORECASE,
)
# A whole number carrying a footnote mark: "12*", "12 *", "12†".
_FOOTNOTED = re.compile(r"(-?(?:\d{1,3}(?:,\d{3})+|\d+))\s?[*†‡]")
# "Total", "Grand total", "Sum:", and a subtotal named for its group ("2017 Total", "Possession total").
_TOTAL_LABEL = re.compile(r"^(?:grand\s+)?(?:sub-?)?totals?\b|^sum\b|^all\s+(?:crimes|offences|outcomes)$|"
                          r"^\S.{0,40}(?<!\bin)\s(?:sub-?)?totals?:?$", re.IGNORECASE)  # "vehicles in total" counts, not sums
_CELL_GAP = re.compile(r"[ \u00a0]{2,}")
# Row labels that are periods: 2019, 2019/20, 2019-20, Jan-19, January 2019, Q1 2019.
_PERIOD_LABEL = re.compile(
    r"(?:(?:fy|cy)\s*)?(?:19|20)\d{2}(?:\s*[/-]\s*\d{2,4})?|"
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*[\s-]+(?:19|20)?\d{2}|"
    r"q[1-4]\s+(?:19|20)\d{2}|(?:19|20)\d{2}\s+q[1-4]",
    re.IGNORECASE,
)


# Digits of the longest whole number read as a number: far beyond any count (the checks name any count
# over a billion), far short of the 4,300 digits past which Python refuses to make a number at all.
MAX_DIGITS = 100


@dataclass(frozen=True, slots=True)
class Value:
    """A cell that stands for a number: ``count`` when it is a whole number; ``marker`` holds
    the printed text when that is not a plain whole number."""

    count: int | None
    marker: str | None


@lru_cache(maxsize=8192)
def parse_value(cell: str) -> Value | None:
    """What a cell holds if it is a figure (a number or a marker), else None for text.

    A blank cell is a figure with marker "" (blank is not zero). A decimal keeps its
    printed text as the marker, so validation can report it rather than round it.
    """
    text = cell.strip()
    if text == "":
        return Value(None, "")
    if len(text) > MAX_DIGITS and sum(c.isdigit() for c in text) > MAX_DIGITS:
        return Value(None, text)  # no count has that many digits: kept as printed, for the checks to name
    if _INTEGER.fullmatch(text):
        return Value(int(text.replace(",", "")), None)
    footnoted = _FOOTNOTED.fullmatch(text)
    if footnoted:
        return Value(int(footnoted.group(1).replace(",", "")), text)
    if _DECIMAL.fullmatch(text) or _MARKER.fullmatch(text):
        return Value(None, text)
    return None


def has_digit(text: str) -> bool:
    """Does the text hold a digit? (Ten substring tests: several times faster than a regex on long prose.)"""
    return any(digit in text for digit in "0123456789")


def is_value(cell: str) -> bool:
    return parse_value(cell) is not None


# Words printed in a value cell instead of a number: kept as markers, never zero. Only a cell of a
# table's value columns is read this way ("Not recorded" is also a common row label).
_WORD_MARKER = re.compile(r"(?:not (?:recorded|known|available|applicable|held|collected|stated)|"
                          r"no (?:data|record|records|information(?: held)?)|none|n/k|n/r|nk|unknown|"
                          r"redacted|withheld|suppressed)\.?", re.IGNORECASE)


def is_word_marker(cell: str) -> bool:
    return bool(_WORD_MARKER.fullmatch(cell.strip()))


def ends_in_marker(text: str) -> bool:
    """Does the line end in a marker printed in words ("2016 – no information held", "2019 - nil")?
    Only its last three words are looked at."""
    words = text.split()[-3:]
    return any(is_word_marker(" ".join(words[k:])) for k in range(len(words))) or (
        bool(words) and parse_value(words[-1]) is not None)


def parse_cell(cell: str) -> Value | None:
    """What a cell of a table's value columns holds: a number or a marker, words such as
    "Not recorded" included."""
    value = parse_value(cell)
    if value is None and is_word_marker(cell):
        return Value(None, cell.strip())
    return value


def is_period_label(cell: str) -> bool:
    return bool(_PERIOD_LABEL.fullmatch(cell.strip()))


@lru_cache(maxsize=4096)
def is_total_label(label: str) -> bool:
    """'Total', 'Grand total', 'Sum:' and the like: a printed total, not a figure."""
    return bool(_TOTAL_LABEL.match(label.strip()))


def split_cells(line: str) -> list[str]:
    """Split a line into cells at tabs, or else at runs of two or more spaces.

    Leading and trailing white space is dropped; a blank line has no cells. Tabs are kept at both
    ends: "Label<TAB>" is a label with a blank cell (blank is not zero), and "<TAB>18 to 20<TAB>47"
    has an empty first cell (a merged label printed once above).
    """
    stripped = line.strip(" \r\n\u00a0")
    if not stripped.strip():
        return []
    if "\t" in stripped:
        return [cell.strip() for cell in stripped.split("\t")]
    if "  " not in stripped and "\u00a0" not in stripped:
        return [stripped]  # most lines of prose: no run of spaces, one cell
    return [cell.strip() for cell in _CELL_GAP.split(stripped)]


_CODE_PREFIX = re.compile(r"^\s*(?:outcome\s*|oc\s*)?0*(\d{1,2}[A-Za-z]?)\s*([:.\-–)])\s*(\S.*)$", re.IGNORECASE)
# "OC21 Further investigation ...", "Outcome 8 Community resolution": the word makes a code of the number.
_NAMED_CODE_PREFIX = re.compile(r"^\s*(?:outcome|oc)\s*0*(\d{1,2}[A-Za-z]?)\s+(\S.*)$", re.IGNORECASE)


def split_code_prefix(label: str) -> tuple[str, str, str] | None:
    """'01a: Charged/summonsed [alternate]' -> ('01a', ':', 'Charged/summonsed [alternate]');
    'OC21 Further investigation ...' -> ('21', 'OC', 'Further investigation ...')."""
    match = _CODE_PREFIX.match(label)
    if match:
        return match.group(1), match.group(2), match.group(3).strip()
    match = _NAMED_CODE_PREFIX.match(label)
    return (match.group(1), "OC", match.group(2).strip()) if match else None
