"""Cells of a printed table: how a line splits into cells and what a cell holds.

Shared by every text-based reader, so "12", "1,204", "<5" and "*" mean the same
wherever they are printed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_INTEGER = re.compile(r"-?(?:\d{1,3}(?:,\d{3})+|\d+)")
_DECIMAL = re.compile(r"-?(?:\d{1,3}(?:,\d{3})+|\d+)?\.\d+")
# Printed stand-ins for a number: suppressed, not applicable, not available.
# Each is kept as printed; none is zero (GUIDE §2, "Missing is not zero").
_MARKER = re.compile(r"\*|-|–|—|\.\.|n/?a|N/?A|\[[a-z]\]|<\s*\d+|&lt;\s*\d+", re.IGNORECASE)
_TOTAL_LABEL = re.compile(r"^(?:grand\s+)?(?:sub-?)?totals?\b|^sum\b", re.IGNORECASE)
_CELL_GAP = re.compile(r"[ \u00a0]{2,}")


@dataclass(frozen=True)
class Value:
    """A cell that stands for a number: ``count`` when it is a whole number, else ``marker``."""

    count: int | None
    marker: str | None


def parse_value(cell: str) -> Value | None:
    """What a cell holds if it is a figure (a number or a marker), else None for text.

    A blank cell is a figure with marker "" (blank is not zero). A decimal keeps its
    printed text as the marker, so validation can report it rather than round it.
    """
    text = cell.strip()
    if text == "":
        return Value(None, "")
    if _INTEGER.fullmatch(text):
        return Value(int(text.replace(",", "")), None)
    if _DECIMAL.fullmatch(text) or _MARKER.fullmatch(text):
        return Value(None, text)
    return None


def is_value(cell: str) -> bool:
    return parse_value(cell) is not None


def is_total_label(label: str) -> bool:
    """'Total', 'Grand total', 'Sum:' and the like: a printed total, not a figure."""
    return bool(_TOTAL_LABEL.match(label.strip()))


def split_cells(line: str) -> list[str]:
    """Split a line into cells at tabs, or else at runs of two or more spaces.

    Leading and trailing white space is dropped; a blank line has no cells.
    """
    stripped = line.strip()
    if not stripped:
        return []
    if "\t" in stripped:
        return [cell.strip() for cell in stripped.split("\t")]
    return [cell.strip() for cell in _CELL_GAP.split(stripped)]


_TRAILING_VALUE = re.compile(r"^(.*?\S)\s+(-?[\d,]+|<\s*\d+|\*)$")
# A number after these words is part of the label ("... - Outcome 21", "section 12"), not a count.
_LABEL_NUMBER_WORDS = re.compile(r"\b(?:outcome|oc|code|type|section|s\.|year|years|page|table|question|q)$", re.IGNORECASE)


def split_trailing_value(line: str) -> list[str] | None:
    """'Child-Show Indecent Photo 1' -> ['Child-Show Indecent Photo', '1'], for single-spaced rows.

    Used only inside a table already found, where a label followed by one number is a row.
    """
    match = _TRAILING_VALUE.match(line.strip())
    if not match or not is_value(match.group(2)) or is_value(match.group(1)):
        return None
    if _LABEL_NUMBER_WORDS.search(match.group(1)):
        return None
    return [match.group(1), match.group(2)]
