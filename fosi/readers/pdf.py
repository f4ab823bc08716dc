"""Reader for PDF letters (GUIDE §3 kind 8), with pdfplumber.

Ruled tables are read cell by cell; the text around them, and unruled tables, are read
as laid out on the page, keeping the gaps between columns. Locations are "p2 l14" (page
2, line 14 of the laid-out text) or "p2 t1 r3" (page 2, ruled table 1, row 3). Page
numbers printed as footers are dropped, so a table running onto the next page goes on;
a header repeated at the top of the next page is not read as data.
"""

from __future__ import annotations

import re
from pathlib import Path

from fosi.errors import InputError
from fosi.readers.assemble import assemble
from fosi.readers.lines import Line
from fosi.response import Response

READER = "pdf"
_PAGE_FOOTER = re.compile(r"^\s*(?:page\s+)?\d+\s*(?:of|/)\s*\d+\s*$|^\s*page\s+\d+\s*$", re.IGNORECASE)


def _layout_lines(text: str, page: int, start: int) -> list[Line]:
    """Laid-out text as Lines, runs of blank lines folded into one, footers dropped."""
    from fosi.readers.cells import split_cells

    lines: list[Line] = []
    for offset, raw in enumerate(text.split("\n"), start=start):
        raw = raw.rstrip()
        if _PAGE_FOOTER.match(raw):
            continue
        if not raw.strip() and lines and lines[-1].blank:
            continue
        lines.append(Line(split_cells(raw), raw, None, f"p{page} l{offset}"))
    # Blank space at the edges of a band (the page margin above a table, the foot of a page)
    # is not a break in the text: a table running onto the next page goes on.
    while lines and lines[0].blank:
        lines.pop(0)
    while lines and lines[-1].blank:
        lines.pop()
    return lines


def read_pdf(path: Path, source: str) -> Response:
    import pdfplumber

    try:
        return assemble(_pdf_lines(pdfplumber, path), source, READER)
    except InputError:
        raise
    except Exception as error:  # noqa: BLE001 - pdfminer raises many kinds for a damaged file
        raise InputError(source, f"is not a readable PDF ({type(error).__name__}: {error})") from None


def _pdf_lines(pdfplumber, path: Path) -> list[Line]:
    lines: list[Line] = []
    with pdfplumber.open(path) as document:
        for number, page in enumerate(document.pages, start=1):
            tables = sorted(page.find_tables(), key=lambda t: t.bbox[1])
            top, line_count = 0.0, 1
            for index, table in enumerate(tables, start=1):
                above = page.crop((0, top, page.width, max(top, table.bbox[1]))).extract_text(layout=True) or ""
                lines.extend(_layout_lines(above, number, line_count))
                line_count += above.count("\n") + 1
                for row_number, row in enumerate(table.extract(), start=1):
                    cells = [" ".join((cell or "").split()) for cell in row]
                    lines.append(Line(cells, " ".join(c for c in cells if c), None,
                                      f"p{number} t{index} r{row_number}", separated=True))
                top = table.bbox[3]
            rest = page.crop((0, top, page.width, page.height)).extract_text(layout=True) or ""
            lines.extend(_layout_lines(rest, number, line_count))
    return lines
