"""fosi.xlsx: the built dataset for Excel, written with openpyxl.

Sheets: figures, findings, rates (the default run: Outcome 21, 95% Wilson intervals, every
offence), manifest, and a data dictionary. Each sheet's header row is frozen and its columns sized
to their text; counts are numbers, and a blank count stays blank (missing is not zero). Text
starting with '=', '+', '-' or '@' (a formula to a spreadsheet) is stored as text, marked so that
Excel never runs it, even after an edit.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from fosi.model.dataset import read_dataset

if TYPE_CHECKING:
    import pandas as pd

WORKBOOK = "fosi.xlsx"
# Above this many figures the workbook is not written: openpyxl takes about a second per few
# thousand rows, and a build of thousands of files must stay quick; figures.csv holds them all.
MAX_FIGURES = 20_000
_FORMULA_STARTS = ("=", "+", "-", "@")
_MAX_WIDTH = 60  # columns wider than this wrap in Excel's own way; the full text is in the cell


def dictionary() -> pd.DataFrame:
    """One row per column of each sheet: sheet, column, type, meaning (the figure table's from its
    schema, the same text as datapackage.json and the README)."""
    import pandas as pd

    from fosi.analysis.rates import RATE_COLUMNS
    from fosi.model.dataset import FILES, _dtypes
    from fosi.model.figures import FIGURE_DESCRIPTIONS

    rows = []
    for name in ("figures", "findings", "manifest"):
        for column, dtype in _dtypes(name).items():
            meaning = FIGURE_DESCRIPTIONS.get(column, "") if name == "figures" else ""
            rows.append((name, column, "whole number" if dtype == "Int64" else "text", meaning,
                         FILES[name]))
    for column in RATE_COLUMNS:
        rows.append(("rates", column, "number" if column in _RATE_NUMBERS else "text", _RATE_MEANINGS.get(column, ""),
                     "fosi rates --format csv"))
    return pd.DataFrame(rows, columns=["sheet", "column", "type", "meaning", "same as"])


_RATE_NUMBERS = {"count", "base", "rate", "ci_low", "ci_high", "confidence"}
_RATE_MEANINGS = {
    "count": "crimes of the offence closed with the outcome",
    "base": "all crimes of the offence in the same response",
    "rate": "count / base, as a fraction (0.218 is 21.8%); empty when not computed (see reason)",
    "ci_low": "lower end of the confidence interval, as a fraction",
    "ci_high": "upper end of the confidence interval, as a fraction",
    "ci_method": "wilson (Wilson score) or exact (Clopper-Pearson)",
    "confidence": "confidence level of the interval (0.95 is 95%)",
    "small_base": "True when the base is under 10 crimes: show the interval, do not rank",
    "reason": "why the rate is not computed, where it is not",
}


def _column_cells(sheet, values: list[object]) -> list[object]:
    """What openpyxl is given for each value of a column: None for a missing value, a plain int or
    float for a numpy number, text with control characters shown as escapes, and text a spreadsheet
    would run as a formula as a cell marked as text. Per column, with the imports done once: a
    build writes half a million cells."""
    import pandas as pd
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    cells = []
    for value in values:
        if value is None or value is pd.NA or (isinstance(value, float) and value != value):
            cells.append(None)
            continue
        if hasattr(value, "item"):  # a numpy number: a plain int or float
            value = value.item()
        if isinstance(value, str):
            # Control characters cannot be stored in a worksheet: shown as escapes (\r, \x1b), as on a terminal.
            value = ILLEGAL_CHARACTERS_RE.sub(lambda found: repr(found.group())[1:-1], value)
            if value.startswith(_FORMULA_STARTS):
                cell = WriteOnlyCell(sheet, value)
                cell.data_type = "s"  # text, never a formula
                cell.quotePrefix = True  # and Excel keeps it text when the cell is edited
                value = cell
        cells.append(value)
    return cells


def _width(values: list[object]) -> int:
    """The longest text among a column's values (missing ones have none)."""
    import pandas as pd

    return max((len(str(value)) for value in values
                if value is not None and value is not pd.NA and not (isinstance(value, float) and value != value)),
               default=0)


def _sheet(book, title: str, frame: pd.DataFrame) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    sheet = book.create_sheet(title)
    sheet.freeze_panes = "A2"
    names = [str(c) for c in frame.columns]
    columns = [frame.iloc[:, i].astype(object).tolist() for i in range(frame.shape[1])]
    for i, (name, values) in enumerate(zip(names, columns), start=1):
        sheet.column_dimensions[get_column_letter(i)].width = min(_MAX_WIDTH, max(len(name), _width(values)) + 2)
    header = []
    for name in names:
        cell = WriteOnlyCell(sheet, name)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for row in zip(*(_column_cells(sheet, values) for values in columns)):
        sheet.append(list(row))


def write_workbook(path: Path, folder: Path) -> bool:
    """fosi.xlsx at ``path`` from the tables a build wrote into ``folder``; False (nothing written)
    when the dataset has more than MAX_FIGURES figures."""
    from openpyxl import Workbook

    from fosi.analysis.rates import outcome_rates

    data = read_dataset(folder)
    if len(data.figures) > MAX_FIGURES:
        return False
    rates = outcome_rates(data.figures, "21", findings=data.findings)
    book = Workbook(write_only=True)
    for title, frame in (("figures", data.figures), ("findings", data.findings), ("rates", rates),
                         ("manifest", data.manifest), ("data dictionary", dictionary())):
        _sheet(book, title, frame)
    book.save(path)
    _fix_stamps(path)
    return True


# Same tables, same bytes: a build of unchanged inputs writes an identical workbook.
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest a zip can record
_FIXED_W3C = "1980-01-01T00:00:00Z"


def _fix_stamps(path: Path) -> None:
    """Replace the times openpyxl records (each zip member's, and the document's created and
    modified) with one fixed time."""
    import re
    import zipfile

    with zipfile.ZipFile(path) as source:
        members = [(info, source.read(info)) for info in source.infolist()]
    temporary = path.with_name(f".{path.name}.tmp")
    with zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in members:
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" + _FIXED_W3C.encode(), data)
            target.writestr(zipfile.ZipInfo(info.filename, _FIXED_TIME), data, zipfile.ZIP_DEFLATED)
    temporary.replace(path)
