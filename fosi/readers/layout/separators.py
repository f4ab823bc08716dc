"""Cells split by a separator printed between them: "a | b | c" (a markdown table without its
outer pipes), "2008 - Quarter 1 / 33 / 18 / 9" (" / "), "Possession; 12; 4" ("; ").

A separator is taken as one only where consecutive lines agree: every line of the run
splits into the same number of cells by it (a rule line such as "---|---" aside), so a
slash inside a label ("Burma / Myanmar") on one line never splits it. The lines of such
a run become separated Lines, for the table finder; the last line of a text that ends
inside the run may have fewer cells (it is cut short).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from fosi.readers.layout.cells import is_value
from fosi.readers.layout.lines import Line

# Separators in the order tried, each as printed between two cells, with the fewest cells a line
# must split into: a label and one value joined by " / " or "; " is a list item (rowshapes reads it).
_SEPARATORS = ((re.compile(r"\s*\|\s*"), 2), (re.compile(r" / "), 3), (re.compile(r"; "), 3))
_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)+\|?\s*$")
_MIN_LINES = 2


def _split(text: str, separator: re.Pattern[str]) -> list[str]:
    stripped = text.strip()
    if separator.pattern.startswith(r"\s*\|"):
        stripped = stripped.strip("|")
    return [cell.strip(" \u00a0") for cell in separator.split(stripped)]


def _cells(text: str, separator: re.Pattern[str]) -> int:
    return len(_split(text, separator)) if separator.search(text.strip().strip("|")) else 0


def split_runs(lines: Sequence[Line], cut: bool = False) -> list[Line]:
    """The lines, with every run that a separator splits consistently turned into separated Lines."""
    result: list[Line] = list(lines)
    index, count = 0, len(result)
    while index < count:
        line = result[index]
        text = line.text
        if line.blank or line.separated or line.cell_lines or not ("|" in text or " / " in text or "; " in text):
            index += 1
            continue
        for separator, fewest in _SEPARATORS:
            width = _cells(line.text, separator)
            if width < fewest:
                continue
            end = index + 1
            while end < count and (_RULE.match(result[end].text) or (
                    not result[end].blank and not result[end].separated and _cells(result[end].text, separator) == width)):
                end += 1
            cut_row = None
            if cut and end < count and all(later.blank for later in result[end + 1:]) and 2 <= _cells(
                    result[end].text, separator) < width:
                cut_row = end  # the text ends inside this row
                end += 1
            start = index
            if index > 0 and not result[index - 1].blank and not result[index - 1].separated and _cells(
                    result[index - 1].text, separator) == width - 1:
                start = index - 1  # a header over the run, printed without its corner cell
            run = [k for k in range(start, end) if not _RULE.match(result[k].text)]
            rows_with_values = sum(1 for k in run if any(is_value(c) for c in _split(result[k].text, separator)[1:]))
            if len(run) >= _MIN_LINES and rows_with_values >= 1:
                for k in run:
                    cells = _split(result[k].text, separator)
                    printed = len(cells) if k == cut_row else None
                    if printed is not None:
                        cells += [""] * (width - len(cells))
                    result[k] = Line(cells, result[k].text, result[k].line, result[k].location, separated=True,
                                     printed_cells=printed)
                for k in range(start, end):
                    if _RULE.match(result[k].text):
                        result[k] = Line([], result[k].text, result[k].line, result[k].location)  # layout, not cells
                index = end - 1
                break
        index += 1
    return result
