"""Readers for old and open spreadsheets: .xls (Excel 97-2003, with xlrd) and .ods
(OpenDocument, with odfpy).

They mean what an .xlsx means (fosi.readers.formats.spreadsheet, whose sheet layout they share):
every sheet, title rows, several tables per sheet, a label merged down carried to each of
its rows, numbers stored as text read as numbers, dates as dates, formulas by the value
last calculated. Location: "Sheet!C7".
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from fosi.errors import InputError
from fosi.model.findings import Finding
from fosi.model.response import Response
from fosi.readers.formats.kinds import NOT_READ
from fosi.readers.formats.limits import (
    MAX_SHEET_COLUMNS,
    MAX_SHEET_ROWS,
    declared_count,
)
from fosi.readers.formats.parts import with_findings
from fosi.readers.formats.spreadsheet import cell_text, column_letter, sheet_lines
from fosi.readers.layout.assemble import assemble
from fosi.readers.layout.lines import Line

# A row or cell repeated more often than this is a sheet's empty filler, or damage.
_MAX_REPEAT = 1000


def read_xls(data: bytes, source: str) -> Response:
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True)
    except xlrd.XLRDError as error:
        if "encrypted" in str(error).lower():
            raise InputError(source, NOT_READ["encrypted"]) from None
        raise InputError(source, f"is not a readable .xls workbook ({error})") from None
    except Exception as error:  # noqa: BLE001 - xlrd raises many kinds for a damaged file
        raise InputError(source, f"is not a readable .xls workbook ({type(error).__name__}: {error})") from None
    lines: list[Line] = []
    for sheet in book.sheets():
        grid = {}
        for row in range(sheet.nrows):
            for column in range(sheet.ncols):
                text = _xls_text(xlrd, book, sheet.cell(row, column))
                if text:
                    grid[(row + 1, column + 1)] = text
        merged_down = [(low_column + 1, low_row + 1, high_row)
                       for low_row, high_row, low_column, high_column in sheet.merged_cells
                       if high_column - low_column == 1]
        lines.extend(sheet_lines(sheet.name, grid, merged_down, sheet.nrows, sheet.ncols))
    return assemble(lines, source, "xls")


def _xls_text(xlrd, book, cell) -> str:
    kind, value = cell.ctype, cell.value
    if kind in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return ""
    if kind == xlrd.XL_CELL_DATE:
        try:
            return cell_text(xlrd.xldate.xldate_as_datetime(value, book.datemode))
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return cell_text(value)
    if kind == xlrd.XL_CELL_BOOLEAN:
        return str(bool(value))
    if kind == xlrd.XL_CELL_ERROR:
        return xlrd.error_text_from_code.get(value, "#ERROR")
    return cell_text(value)


_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"


def read_ods(data: bytes, source: str) -> Response:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            with archive.open("META-INF/manifest.xml") as manifest:
                if b"encryption-data" in manifest.read(1024 * 1024):
                    raise InputError(source, NOT_READ["encrypted"])
        from odf.opendocument import load

        document = load(io.BytesIO(data))
        tables = document.spreadsheet.getElementsByType(_odf_table())
    except InputError:
        raise
    except Exception as error:  # noqa: BLE001 - odfpy raises many kinds for a damaged file
        raise InputError(source, f"is not a readable .ods spreadsheet ({type(error).__name__}: {error})") from None
    lines: list[Line] = []
    findings: list[Finding] = []
    for table in tables:
        name = table.attributes.get((_TABLE, "name"), "Sheet")
        grid, merged_down, formulas = _ods_grid(table)
        rows = max((row for row, _ in grid), default=0)
        columns = max((column for _, column in grid), default=0)
        findings.extend(Finding(
            "formula-not-calculated", "warning", source, None,
            f"cell holds the formula {formula} but no calculated value was saved with it; "
            "open and save the file in a spreadsheet program to store one",
            location=f"{name}!{column_letter(column)}{row}") for (row, column), formula in formulas.items())
        lines.extend(sheet_lines(name, grid, merged_down, rows, columns))
    return with_findings(assemble(lines, source, "ods"), findings)


def _odf_table():
    from odf.table import Table

    return Table


def _rows(element):
    """The table's rows in order, through header-row, row-group and rows wrappers."""
    for child in element.childNodes:
        if child.qname == (_TABLE, "table-row"):
            yield child
        elif child.qname in ((_TABLE, "table-header-rows"), (_TABLE, "table-row-group"), (_TABLE, "table-rows")):
            yield from _rows(child)


def _ods_grid(table) -> tuple[dict[tuple[int, int], str], list[tuple[int, int, int]], dict[tuple[int, int], str]]:
    """(row, column) -> text from 1, the cells merged down, and formulas saved without a value."""
    grid: dict[tuple[int, int], str] = {}
    merged_down: list[tuple[int, int, int]] = []
    formulas: dict[tuple[int, int], str] = {}
    row = 0
    for element in _rows(table):
        repeat = declared_count(element.attributes.get((_TABLE, "number-rows-repeated")), 1, MAX_SHEET_ROWS,
                                "row repeat (number-rows-repeated)")
        cells = _ods_row(element)
        if not any(text for _, _, text, _, _ in cells):
            row += repeat  # empty rows, often a million of them at the end of a sheet
            continue
        for _ in range(min(repeat, _MAX_REPEAT)):
            row += 1
            for column, down, text, formula, across in cells:
                if text:
                    grid[(row, column)] = text
                if down > 1 and across == 1:
                    merged_down.append((column, row, row + down - 1))
                if formula and not text:
                    formulas[(row, column)] = formula
    return grid, merged_down, formulas


def _ods_row(element) -> list[tuple[int, int, str, str | None, int]]:
    """(column, rows spanned, text, formula, columns spanned) of each cell of a row."""
    cells = []
    column = 0
    for cell in element.childNodes:
        if cell.qname not in ((_TABLE, "table-cell"), (_TABLE, "covered-table-cell")):
            continue
        attributes = cell.attributes
        repeat = declared_count(attributes.get((_TABLE, "number-columns-repeated")), 1, MAX_SHEET_COLUMNS,
                                "column repeat (number-columns-repeated)")
        text = _ods_text(cell) if cell.qname[1] == "table-cell" else ""
        formula = attributes.get((_TABLE, "formula"))
        if not text and not formula:
            column += repeat
            continue
        down = declared_count(attributes.get((_TABLE, "number-rows-spanned")), 1, MAX_SHEET_ROWS,
                              "row span (number-rows-spanned)")
        across = declared_count(attributes.get((_TABLE, "number-columns-spanned")), 1, MAX_SHEET_COLUMNS,
                                "column span (number-columns-spanned)")
        for _ in range(min(repeat, _MAX_REPEAT)):
            column += 1
            cells.append((column, down, text, formula, across))
    return cells


def _ods_text(cell) -> str:
    attributes = cell.attributes
    kind = attributes.get((_OFFICE, "value-type"))
    if kind in ("float", "percentage", "currency"):
        value = attributes.get((_OFFICE, "value"))
        if value is not None:
            try:
                return cell_text(float(value)) if kind != "percentage" else _paragraphs(cell)
            except ValueError:
                pass
    elif kind == "date":
        value = attributes.get((_OFFICE, "date-value"), "")
        try:
            return cell_text(dt.datetime.fromisoformat(value))
        except ValueError:
            pass
    elif kind == "boolean":
        return "True" if str(attributes.get((_OFFICE, "boolean-value"), "")).lower() == "true" else "False"
    return _paragraphs(cell)


def _paragraphs(cell) -> str:
    from odf import teletype

    texts = [teletype.extractText(child) for child in cell.childNodes if child.qname == (_TEXT, "p")]
    return " ".join(" ".join(texts).split())
