"""Reader for spreadsheets (.xlsx, GUIDE §3 kind 7), with openpyxl; the sheet layout shared
with the .xls and .ods readers (fosi.readers.formats.oldsheets).

Each sheet row becomes a Line whose cells keep their addresses ("Outcomes!C7"), then
the shared table finder reads them like any other table. Merged cells: a label merged
down several rows is carried to each of them; a title merged across columns stays in
its first cell. Numbers stored as text read as numbers. A formula is read by the value
the spreadsheet last calculated; where none is stored, the cell is blank and a finding
says so.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterable
from functools import lru_cache

from fosi.errors import InputError
from fosi.model.findings import Finding
from fosi.model.response import Response
from fosi.readers.formats.limits import MAX_CELLS, too_large
from fosi.readers.formats.parts import with_findings
from fosi.readers.layout.assemble import assemble
from fosi.readers.layout.lines import Line

READER = "xlsx"


def cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.datetime, dt.date)):
        return value.strftime("%d %B %Y")
    return str(value).strip()


@lru_cache(maxsize=1024)
def column_letter(column: int) -> str:
    """1 -> A, 27 -> AA: a spreadsheet column as its program names it."""
    letters = ""
    while column:
        column, remainder = divmod(column - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


# Blank lines kept for a run of empty rows: enough to break a table (fosi.readers.layout allows one blank
# line inside a table), never a million Lines for a sheet whose one cell is at its last row.
_EMPTY_ROWS_KEPT = 3


def sheet_lines(sheet: str, grid: dict[tuple[int, int], str], merged_down: Iterable[tuple[int, int, int]],
                rows: int, columns: int) -> list[Line]:
    """One Line per row of a sheet (every spreadsheet reader's), each cell keeping its address.

    ``grid`` maps (row, column), from 1, to the cell's text; ``merged_down`` lists cells merged
    down one column as (column, first row, last row): a label belongs to every row, a figure
    only to the first (fosi.readers.formats.grid.carried_down). Rows past ``rows`` and columns
    past ``columns`` are not read. A run of empty rows becomes at most _EMPTY_ROWS_KEPT blank
    Lines; a sheet whose rows span more than MAX_CELLS cells is refused before they are made.
    """
    from fosi.readers.formats.grid import carried_down

    carried = 0
    for column, first, last in merged_down:
        top = grid.get((first, column), "")
        if not carried_down(top):
            continue
        last = min(last, rows)
        carried += max(0, last - first)
        if carried > MAX_CELLS:
            raise too_large(f"sheet {sheet} merges cells over more than {MAX_CELLS:,} rows")
        for row in range(first + 1, last + 1):
            grid[(row, column)] = top
    filled_by_row: dict[int, list[int]] = {}
    for (row, column), text in grid.items():
        if text and row <= rows and column <= columns:
            filled_by_row.setdefault(row, []).append(column)
    if sum(max(filled) - min(filled) + 1 for filled in filled_by_row.values()) > MAX_CELLS:
        raise too_large(f"sheet {sheet} spans more than {MAX_CELLS:,} cells")
    lines = [Line([sheet], sheet, None, f"{sheet}!", separated=True)]
    previous = 0
    for row in [*sorted(filled_by_row), rows + 1]:
        for empty in range(previous + 1, min(row, previous + 1 + _EMPTY_ROWS_KEPT)):
            lines.append(Line([], "", None, f"{sheet}!{empty}", separated=True))
        previous = row
        if row > rows:
            break
        filled = sorted(filled_by_row[row])
        span = range(filled[0], filled[-1] + 1)
        cells = [grid.get((row, c), "") for c in span]
        addresses = [f"{sheet}!{column_letter(c)}{row}" for c in span]
        lines.append(Line(cells, " ".join(c for c in cells if c), None, f"{sheet}!{row}",
                          separated=True, cell_locations=addresses))
    lines.append(Line([], "", None, f"{sheet}!end", separated=True))
    return lines


def read_xlsx(data: bytes, source: str) -> Response:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        values = load_workbook(io.BytesIO(data), data_only=True)  # the values last calculated and saved
        formulas = load_workbook(io.BytesIO(data), data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise InputError(source, f"is not a readable .xlsx workbook ({type(error).__name__})") from None
    except Exception as error:  # noqa: BLE001 - openpyxl raises many kinds for a damaged file
        raise InputError(source, f"is not a readable .xlsx workbook ({type(error).__name__}: {error})") from None

    lines: list[Line] = []
    findings: list[Finding] = []
    for sheet in values.worksheets:
        # The cells the sheet holds, never every address up to its last (one cell at XFD1048576
        # would be seventeen billion): openpyxl keeps them in _cells, which iter_rows fills out.
        grid = {(c.row, c.column): cell_text(c.value) for c in list(sheet._cells.values())}
        formula_sheet = formulas[sheet.title]
        for (row, column), text in list(grid.items()):
            cell = formula_sheet.cell(row, column)
            if text == "" and cell.data_type == "f":
                findings.append(Finding(
                    "formula-not-calculated", "warning", source, None,
                    f"cell holds the formula {cell.value} but no calculated value was saved with it; "
                    "open and save the file in a spreadsheet program to store one", location=f"{sheet.title}!{cell.coordinate}"))
        merged_down = [(m.min_col, m.min_row, m.max_row) for m in sheet.merged_cells.ranges if m.min_col == m.max_col]
        lines.extend(sheet_lines(sheet.title, grid, merged_down, max((r for r, _ in grid), default=0),
                                 max((c for _, c in grid), default=0)))
    response = assemble(lines, source, READER)
    return with_findings(response, findings)

