"""Reader for spreadsheets (.xlsx, GUIDE §3 kind 7), with openpyxl.

Each sheet row becomes a Line whose cells keep their addresses ("Outcomes!C7"), then
the shared table finder reads them like any other table. Merged cells: a label merged
down several rows is carried to each of them; a title merged across columns stays in
its first cell. Numbers stored as text read as numbers. A formula is read by the value
the spreadsheet last calculated; where none is stored, the cell is blank and a finding
says so.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

from fosi.errors import InputError
from fosi.findings import Finding
from fosi.readers.assemble import assemble
from fosi.readers.lines import Line
from fosi.response import Response

READER = "xlsx"


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.datetime, dt.date)):
        return value.strftime("%d %B %Y")
    return str(value).strip()


def read_xlsx(path: Path, source: str) -> Response:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        values = load_workbook(path, data_only=True)  # the values last calculated and saved
        formulas = load_workbook(path, data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise InputError(source, f"is not a readable .xlsx workbook ({type(error).__name__})") from None
    except Exception as error:  # noqa: BLE001 - openpyxl raises many kinds for a damaged file
        raise InputError(source, f"is not a readable .xlsx workbook ({type(error).__name__}: {error})") from None

    lines: list[Line] = []
    findings: list[Finding] = []
    for sheet in values.worksheets:
        grid = {(c.row, c.column): _text(c.value) for row in sheet.iter_rows() for c in row}
        for merged in sheet.merged_cells.ranges:
            top = grid.get((merged.min_row, merged.min_col), "")
            if merged.min_col == merged.max_col:  # merged down: the label belongs to every row
                for row in range(merged.min_row + 1, merged.max_row + 1):
                    grid[(row, merged.min_col)] = top
        formula_sheet = formulas[sheet.title]
        for (row, column), text in list(grid.items()):
            cell = formula_sheet.cell(row, column)
            if text == "" and cell.data_type == "f":
                findings.append(Finding(
                    "formula-not-calculated", "warning", source, None,
                    f"cell holds the formula {cell.value} but no calculated value was saved with it; "
                    "open and save the file in a spreadsheet program to store one", location=f"{sheet.title}!{cell.coordinate}"))
        lines.append(Line([sheet.title], sheet.title, None, f"{sheet.title}!", separated=True))
        for row in range(1, sheet.max_row + 1):
            columns = [c for c in range(1, sheet.max_column + 1) if grid.get((row, c), "")]
            if not columns:
                lines.append(Line([], "", None, f"{sheet.title}!{row}", separated=True))
                continue
            span = range(columns[0], columns[-1] + 1)
            cells = [grid.get((row, c), "") for c in span]
            addresses = [f"{sheet.title}!{formula_sheet.cell(row, c).coordinate}" for c in span]
            lines.append(Line(cells, " ".join(c for c in cells if c), None, f"{sheet.title}!{row}",
                              separated=True, cell_locations=addresses))
        lines.append(Line([], "", None, f"{sheet.title}!end", separated=True))
    response = assemble(lines, source, READER)
    return _with_findings(response, findings)


def _with_findings(response: Response, findings: list[Finding]) -> Response:
    from dataclasses import replace

    return replace(response, findings=(*response.findings, *findings)) if findings else response
