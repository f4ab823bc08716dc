"""Reader for Word letters (.docx), with python-docx.

Paragraphs and tables are read in document order, as the letter prints them. A paragraph
is a line of text (a line break inside it starts another line; tabs separate cells, as in
a .txt). A table is read cell by cell: cells merged across (``gridSpan``) and down
(``vMerge``) are expanded into the grid as in a web page (fosi.readers.formats.grid), rows Word
leaves short (``gridBefore``) keep their columns. A table split across pages (a second
table after a page break, often repeating the header row) goes on as one table.

Locations: "t1 r3 c2" (table 1 of the document, row 3, column 3 of the grid) for a cell,
"para 12" (the 12th paragraph outside tables) for text.
"""

from __future__ import annotations

import io

from fosi.errors import InputError
from fosi.model.response import Response
from fosi.readers.formats.grid import Cell, expand, grid_lines
from fosi.readers.formats.limits import MAX_SPAN, declared_count
from fosi.readers.layout.assemble import assemble
from fosi.readers.layout.cells import split_cells
from fosi.readers.layout.lines import Line

READER = "docx"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
# Word's own text in a run: a tab separates cells; breaks start a new line.
_RUN_TEXT = {f"{_W}t": None, f"{_W}tab": "\t", f"{_W}br": "\n", f"{_W}cr": "\n", f"{_W}noBreakHyphen": "-"}
# Not the paragraph's own text: a text box's paragraphs, and the copy of a drawing kept for old readers.
_NOT_OWN_TEXT = frozenset((f"{_W}txbxContent", _MC_FALLBACK, f"{_W}del"))


def read_docx(data: bytes, source: str) -> Response:
    import docx

    try:
        body = docx.Document(io.BytesIO(data)).element.body
    except Exception as error:  # noqa: BLE001 - python-docx raises many kinds for a damaged package
        raise InputError(source, f"is not a readable Word (.docx) document ({type(error).__name__}: {error})") from None
    return assemble(_Document().read(body), source, READER)


def paragraph_text(paragraph) -> str:
    """The paragraph as printed: its runs' text, tabs and breaks (deleted text is not printed)."""
    parts: list[str] = []

    def collect(element) -> None:
        for child in element:
            tag = child.tag
            if tag in _NOT_OWN_TEXT:
                continue
            if tag in _RUN_TEXT:
                parts.append((child.text or "") if _RUN_TEXT[tag] is None else _RUN_TEXT[tag])
            elif len(child):
                collect(child)

    collect(paragraph)
    return "".join(parts)


def _cell_text(cell) -> str:
    texts = [paragraph_text(p) for p in cell.iter(f"{_W}p")]
    return " ".join(" ".join(texts).split())


def _value(element, path: str) -> str | None:
    found = element.find(path)
    return None if found is None else found.get(f"{_W}val")


def _table_cells(table) -> list[list[Cell]]:
    """The table's rows as Cells, with spans: gridSpan across, vMerge down (counted from the
    "continue" cells under a "restart" one, which are then left out)."""
    placed: list[list[tuple[int, int, str | None, str]]] = []  # per row: (column, span, vMerge, text)
    for row in table.iterchildren(f"{_W}tr"):
        column = declared_count(_value(row, f"{_W}trPr/{_W}gridBefore"), 0, MAX_SPAN, "grid offset (gridBefore)")
        cells = [(c, 1, None, "") for c in range(column)]
        for cell in row.xpath("./w:tc | ./w:sdt/w:sdtContent/w:tc | ./w:customXml/w:tc"):
            span = declared_count(_value(cell, f"{_W}tcPr/{_W}gridSpan"), 1, MAX_SPAN, "column span (gridSpan)")
            merge = cell.find(f"{_W}tcPr/{_W}vMerge")
            state = None if merge is None else (merge.get(f"{_W}val") or "continue")
            cells.append((column, span, state, _cell_text(cell)))
            column += span
        placed.append(cells)
    rows: list[list[Cell]] = []
    for index, cells in enumerate(placed):
        row = []
        for column, span, state, text in cells:
            if state == "continue":
                continue  # covered by the cell above
            down = 1
            while index + down < len(placed) and any(
                    c == column and s == "continue" for c, _, s, _ in placed[index + down]):
                down += 1
            row.append(Cell(text, span, down))
        rows.append(row)
    return rows


class _Document:
    def __init__(self) -> None:
        self.lines: list[Line] = []
        self.paragraphs = 0
        self.tables = 0
        self._previous_table: list[list[tuple[str, int | None, bool]]] | None = None  # a table split across pages
        self._blank_since_table: list[Line] = []

    def read(self, body) -> list[Line]:
        self.children(body)
        self.lines.extend(self._blank_since_table)
        return self.lines

    def children(self, element) -> None:
        for child in element:
            if child.tag == f"{_W}p":
                self.paragraph(child)
            elif child.tag == f"{_W}tbl":
                self.table(child)
            elif child.tag in (f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml"):
                self.children(child)  # content controls hold paragraphs and tables

    def paragraph(self, element) -> None:
        self.paragraphs += 1
        location = f"para {self.paragraphs}"
        text = paragraph_text(element)
        if not text.strip() and self._previous_table is not None:
            self._blank_since_table.append(Line([], "", None, location))  # maybe a page break inside a table
            return
        self.lines.extend(self._blank_since_table)
        self._blank_since_table = []
        self._previous_table = None
        for raw in text.split("\n"):
            self.lines.append(Line(split_cells(raw), raw.strip(), None, location, "\t" in raw.strip("\t ")))

    def table(self, element) -> None:
        self.tables += 1
        grid = expand(_table_cells(element))
        rows = list(range(1, len(grid) + 1))
        previous = self._previous_table
        if previous and grid and len(grid[0]) == len(previous[0]):
            # The rest of the table above, after a page break: its repeated header is not data.
            header = [entry[0] for entry in previous[0]]
            while grid and [entry[0] for entry in grid[0]] == header:
                grid, rows = grid[1:], rows[1:]
            self._blank_since_table = []
        else:
            self.lines.extend(self._blank_since_table)
            self._blank_since_table = []
            self.lines.append(Line([], "", None, f"t{self.tables}"))
            previous = grid
        self.lines.extend(grid_lines(grid, self.tables, rows))
        self._previous_table = previous
        self._blank_since_table.append(Line([], "", None, f"t{self.tables} end"))
