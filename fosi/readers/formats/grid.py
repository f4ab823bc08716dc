"""Tables marked up cell by cell (HTML, Word): spanning cells expanded into a grid, then Lines.

A cell spanning several columns of the header is repeated over each column it covers, so a
two-level header ("Outcome 2" over "Female", "Male") names every column; a title spanning
the whole table, or a body cell spanning columns, stays in its first cell. A label spanning
several rows (an offence over its age bands) belongs to each of them; a number or marker
spanning rows stays in its first: a figure is never printed twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from fosi.readers.formats.limits import MAX_CELLS, MAX_SPAN, SPREAD, too_large
from fosi.readers.layout.cells import parse_value
from fosi.readers.layout.lines import Line


@dataclass(frozen=True, slots=True)
class Cell:
    text: str  # as printed, white space collapsed
    colspan: int = 1
    rowspan: int = 1  # 0: to the last row of the table
    line: int | None = None  # where it is printed in the source file, when it has lines


def _printed_value(text: str) -> bool:
    return bool(text) and parse_value(text) is not None


def carried_down(text: str) -> bool:
    """Is a cell merged down over several rows repeated on each of them? A label is (it names
    every row it covers); a figure never is (it is printed, and counted, once). Every reader of
    merged cells follows this rule: web pages, Word tables and spreadsheets."""
    return not _printed_value(text)


def expand(rows: Sequence[Sequence[Cell]]) -> list[list[tuple[str, int | None, bool]]]:
    """The grid of (text, line, covered) the rows describe, one entry per column, every row as
    wide; ``covered`` marks a column a cell to its left spans (not a cell of its own). Spans are
    cut to MAX_SPAN (HTML's own limit for colspan); a table laid out over more than SPREAD times
    its printed cells (beyond 100,000), or more than MAX_CELLS, is refused before they are made."""
    placed: dict[tuple[int, int], tuple[Cell, int, int]] = {}  # (row, column) -> (cell, rows down, columns across)
    count = len(rows)
    # Spans make a table a few times larger than it is printed, never thousands of times: the grid is
    # refused before it grows past that (and past MAX_CELLS whatever its size).
    printed = sum(len(cells) for cells in rows)
    most = min(MAX_CELLS, MAX_SPAN * 100 + SPREAD * printed)
    for row, cells in enumerate(rows):
        column = 0
        for cell in cells:
            while (row, column) in placed:
                column += 1
            down = min(count - row, MAX_SPAN) if cell.rowspan == 0 else min(max(cell.rowspan, 1), count - row, MAX_SPAN)
            across = min(max(cell.colspan, 1), MAX_SPAN)
            if len(placed) + down * across > most or (column + across) * count > most:
                raise too_large(f"a table of {printed:,} cells spans more than {most:,} once laid out")
            for dr in range(down):
                for dc in range(across):
                    placed.setdefault((row + dr, column + dc), (cell, dr, dc))
            column += across
    width = max((column + 1 for _, column in placed), default=0)
    # Header rows: those above the first row printing a figure after its label.
    first_data = next((row for row in range(count) if any(
        _printed_value(placed[(row, c)][0].text) for c in range(1, width)
        if (row, c) in placed and placed[(row, c)][1:] == (0, 0))), count)
    grid: list[list[tuple[str, int | None, bool]]] = []
    for row in range(count):
        out = []
        for column in range(width):
            entry = placed.get((row, column))
            if entry is None:
                out.append(("", None, False))
                continue
            cell, down, across = entry
            text = cell.text
            if across and not (row < first_data and cell.colspan < width):
                text = ""  # spanning columns outside the header, or the whole width: printed once
            elif down and not carried_down(text):
                text = ""
            out.append((text, cell.line, bool(across)))
        grid.append(out)
    return grid


def grid_lines(grid: Sequence[Sequence[tuple[str, int | None, bool]]], table: int,
               row_numbers: Sequence[int] | None = None, line: int | None = None) -> list[Line]:
    """One separated Line per row that prints anything, each cell located as "t2 r3 c4" (table,
    row and column as displayed) and, where the source has lines, on its own line. Columns
    empty in every row are left out; their neighbours keep their numbers. The columns a cell
    spans at the end of its row are not cells of their own (a title across the table is one
    cell, not a label over blank figures)."""
    if not grid:
        return []
    columns = [c for c in range(len(grid[0])) if any(row[c][0] for row in grid)]
    lines = []
    for index, row in enumerate(grid):
        keep = list(columns)
        while keep and row[keep[-1]][2] and not row[keep[-1]][0]:
            keep.pop()
        cells = [row[c][0] for c in keep]
        if not any(cells):
            continue  # a spacer row
        number = row_numbers[index] if row_numbers else index + 1
        cell_lines = [row[c][1] for c in keep]
        first = next((n for n in cell_lines if n is not None), line)
        has_lines = any(n is not None for n in cell_lines)
        lines.append(Line(cells, " ".join(c for c in cells if c), first, f"t{table} r{number}", separated=True,
                          cell_lines=[n if n is not None else (first or 0) for n in cell_lines] if has_lines else None,
                          cell_locations=[f"t{table} r{number} c{c + 1}" for c in keep]))
    return lines
