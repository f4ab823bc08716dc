"""The common currency of every reader: a sequence of printed lines, each split into cells.

A text file gives one Line per line of text (cells split at tabs or runs of spaces); a
web table copied as text, a spreadsheet row or a PDF line gives one Line per table row.
The table finder (fosi.readers.layout.tables) works on Lines only, so every kind of input is
read by the same rules.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from fosi.readers.layout.cells import split_cells


@dataclass(slots=True)
class Line:
    cells: list[str]  # cells as printed; [] for a blank line
    text: str  # the line as printed (cells joined for spreadsheets)
    line: int | None  # 1-based line of a text file
    location: str  # where it is printed: "19", "Sheet1!5", "p2 l14"
    separated: bool = False  # cells came from explicit separators (tab, pipes, cells), not spaces
    cell_lines: list[int] | None = None  # per-cell text line, when cells sit on separate lines
    cell_locations: list[str] | None = None  # per-cell location ("Sheet1!C5")
    group: str | None = None  # a merged label printed once above this row (carried down)
    printed_cells: int | None = None  # the text ends inside this row: only its first cells were printed
    problem: str | None = None  # the line is part of a table a converter could not read exactly: why
    note: str | None = None  # how a converter read this line's cells where it had to choose (an info finding)
    blank: bool = field(init=False, repr=False, compare=False)  # no printed cell: asked of every line, often

    def __post_init__(self) -> None:
        self.blank = not any(self.cells)

    def cell_line(self, index: int) -> int | None:
        return self.cell_lines[index] if self.cell_lines else self.line

    def cell_location(self, index: int) -> str:
        if self.cell_locations:
            return self.cell_locations[index]
        if self.cell_lines:
            return str(self.cell_lines[index])
        return self.location


def text_lines(lines: Sequence[str], first_line: int = 1, prefix: str = "") -> list[Line]:
    """One Line per line of text; ``prefix`` qualifies locations (a PDF's "p2 l")."""
    return [Line(split_cells(text), text, None if prefix else number, f"{prefix}{number}" if prefix else str(number),
                 "\t" in text)
            for number, text in enumerate(lines, start=first_line)]
