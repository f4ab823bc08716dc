"""Reading hints: a sidecar's ``reading:`` list, for the rare text response that inference reads wrong.

    reading:
      - table: 14-22            # the table's lines, first to last (header included)
        header: 14-15           # its header lines (default: its first line; "none" for rows only)
        columns: [2019 > Female, 2019 > Male, Total]   # names of its value columns, left to right;
                                # "GROUP > NAME" for a spanning name over a column (two-level header)
        corner: Month recorded  # the name of its label column, when the header prints one
        separator: spaces       # how its cells are split: tab, spaces (two or more), space (any:
                                # the last len(columns) words are the values), or the text between
                                # cells: "|", ",", ";", " / ", " - "
        skip: [18, 20-21]       # lines inside it that are not rows (notes, sub-headings)
      - skip: 30-31             # lines anywhere that fosi should not read at all

A hint changes how the text is read, never the file: each hinted table's lines are given
to the table finder as rows of explicit cells under the header the hint names, and every
figure keeps the line it is printed on. A row that the hint cannot split into the table's
columns is a ``table-not-read`` error at its line, never a guess. Hints apply to text
responses (.txt): other kinds carry their cells already.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from fosi.errors import InputError
from fosi.readers.layout.cells import parse_value
from fosi.readers.layout.lines import Line

_RANGE = re.compile(r"^\s*(\d+)\s*(?:-\s*(\d+))?\s*$")
_NAMED_SEPARATORS = {"tab": "\t", "spaces": "  ", "space": " "}
_KEYS = {"table", "header", "columns", "corner", "separator", "skip"}
# A spanning name and a column's name, in a hint's column: "2019 > Female".
GROUP_MARK = " > "


@dataclass(frozen=True)
class TableHint:
    first: int  # 1-based lines, inclusive
    last: int
    header: tuple[int, int] | None  # None: the table prints no header (its columns are named by the hint)
    columns: tuple[str, ...] | None
    corner: str | None
    separator: str | None  # "\t", "  " (two or more spaces), " " (any spaces), or the text between cells
    skip: frozenset[int]


@dataclass(frozen=True)
class ReadingHints:
    tables: tuple[TableHint, ...]
    skip: frozenset[int]  # lines not read at all

    def lines(self) -> int:
        """The last line any hint names (to check against the file)."""
        return max([t.last for t in self.tables] + list(self.skip) + [0])


def parse_hints(value: object, shown_as: str) -> ReadingHints:
    """The ``reading:`` field of a sidecar, checked; InputError naming the sidecar for anything wrong."""
    if not isinstance(value, list) or not value:
        raise InputError(shown_as, "reading: must be a list of hints (each '- table: FIRST-LAST ...' or '- skip: ...')")
    tables: list[TableHint] = []
    skip: set[int] = set()
    for number, item in enumerate(value, start=1):
        where = f"reading hint {number}"
        if not isinstance(item, dict):
            raise InputError(shown_as, f"{where}: must hold 'key: value' lines (table, header, columns, corner, "
                                       "separator, skip)")
        unknown = sorted(set(map(str, item)) - _KEYS)
        if unknown:
            raise InputError(shown_as, f"{where}: unknown key(s) {', '.join(unknown)}; known: {', '.join(sorted(_KEYS))}")
        if "table" not in item:
            if set(item) != {"skip"}:
                raise InputError(shown_as, f"{where}: header, columns, corner and separator describe a table: "
                                           "add 'table: FIRST-LAST'")
            skip |= _lines(item["skip"], shown_as, f"{where} skip")
            continue
        first, last = _range(item["table"], shown_as, f"{where} table")
        stated = item.get("header", first)
        header = None if str(stated).strip().lower() == "none" else _range(stated, shown_as, f"{where} header")
        if header is not None and not (first <= header[0] and header[1] < last):
            raise InputError(shown_as, f"{where}: header lines {header[0]}-{header[1]} must lie inside the table's "
                                       f"lines {first}-{last}, above its last line")
        columns = item.get("columns")
        if columns is not None and (not isinstance(columns, list) or not columns
                                    or not all(isinstance(c, (str, int)) and str(c).strip() for c in columns)):
            raise InputError(shown_as, f"{where} columns: must be a list of column names, e.g. [2019, 2020, Total]")
        separator = item.get("separator")
        if separator is not None:
            separator = str(separator)
            separator = _NAMED_SEPARATORS.get(separator.strip().lower(), separator)
            if not separator:
                raise InputError(shown_as, f"{where} separator: must not be empty")
        inner = _lines(item["skip"], shown_as, f"{where} skip") if item.get("skip") is not None else set()
        if any(not first <= line <= last for line in inner):
            raise InputError(shown_as, f"{where} skip: lines to skip inside a table lie within its lines {first}-{last}")
        corner = item.get("corner")
        tables.append(TableHint(first, last, header, tuple(str(c).strip() for c in columns) if columns else None,
                                None if corner is None else str(corner).strip(), separator, frozenset(inner)))
    ordered = sorted(tables, key=lambda t: t.first)
    for before, after in zip(ordered, ordered[1:]):
        if after.first <= before.last:
            raise InputError(shown_as, f"reading: tables at lines {before.first}-{before.last} and "
                                       f"{after.first}-{after.last} overlap")
    return ReadingHints(tuple(ordered), frozenset(skip))


def _range(value: object, shown_as: str, where: str) -> tuple[int, int]:
    match = _RANGE.match(str(value))
    if not match or isinstance(value, bool):
        raise InputError(shown_as, f"{where}: {value!r} is not a line or a range of lines (write 14 or 14-22)")
    first, last = int(match.group(1)), int(match.group(2) or match.group(1))
    if first < 1 or last < first:
        raise InputError(shown_as, f"{where}: {value!r} is not a range of lines (first 1 or more, last not before it)")
    return first, last


def _lines(value: object, shown_as: str, where: str) -> set[int]:
    items = value if isinstance(value, list) else [value]
    lines: set[int] = set()
    for item in items:
        first, last = _range(item, shown_as, where)
        lines.update(range(first, last + 1))
    return lines


# ---- applying hints to a text's Lines ----------------------------------------------------------

def apply_hints(lines: Sequence[Line], hints: ReadingHints, shown_as: str) -> list[Line]:
    """The text's Lines with each hinted table given as explicit cells and skipped lines emptied
    (their text kept, for fosi inspect). Lines are those of a text file: ``line`` is 1-based."""
    count = len(lines)
    if hints.lines() > count:
        raise InputError(shown_as, f"a reading hint names line {hints.lines()}, but the response has {count} lines")
    by_number = {line.line: index for index, line in enumerate(lines)}
    result = list(lines)
    for number in hints.skip:
        index = by_number[number]
        result[index] = _skipped(result[index])
    # From the last table up, so earlier lines keep their places while a table's lines are replaced.
    for table in reversed(hints.tables):
        start, end = by_number[table.first], by_number[table.last]
        result[start:end + 1] = _table_lines(result[start:end + 1], table, shown_as)
    return result


def _skipped(line: Line) -> Line:
    return replace(line, cells=[])  # blank to the table finder; its text stays, shown as skipped


def _table_lines(lines: Sequence[Line], hint: TableHint, shown_as: str) -> list[Line]:
    """A hinted table's lines: its header lines giving the header the hint names (at the last of
    them, or right above the first row when it prints none), skipped lines emptied, and each row
    split into a label and the table's values."""
    header_numbers = set(range(hint.header[0], hint.header[1] + 1)) if hint.header else set()
    header_lines = [line for line in lines if line.line in header_numbers]
    rows = [line for line in lines if line.line not in header_numbers and line.line not in hint.skip
            and line.text.strip()]
    corner = hint.corner
    if hint.columns:
        columns: list[str] | None = list(hint.columns)
    else:
        columns, printed_corner = _names_from(header_lines, hint.separator, rows)
        corner = corner or printed_corner
    unsplit = None
    if columns is None:
        unsplit = "the reading hint names this table's header lines but not how to split them: add its columns"
        columns = []
    header = _header(columns, corner)
    # The header's lines, top down, end with the names (a spanning line above them): the last
    # lines carry them, and the first carries any more than there are lines.
    offset = len(header_lines) - len(header)
    result: list[Line] = []
    for line in lines:
        if line.line in hint.skip:
            result.append(_skipped(line))
        elif line.line in header_numbers:
            place = header_lines.index(line)
            if offset < 0 and place == 0:
                result.append(replace(line, cells=header[0], separated=True))
                result.extend(Line(cells, " ".join(c for c in cells if c), line.line, line.location, separated=True)
                              for cells in header[1:1 - offset])
            elif place - offset >= 0 and header:
                result.append(replace(line, cells=header[place - offset], separated=True))
            else:
                result.append(_skipped(line))
        elif not line.text.strip():
            result.append(line)
        else:
            if line is rows[0] and not header_lines:
                result.extend(Line(cells, " ".join(c for c in cells if c), line.line, line.location, separated=True)
                              for cells in header)
            cells, problem = _row_cells(line.text, hint.separator, len(columns))
            problem = unsplit or problem
            result.append(replace(line, cells=cells, separated=True,
                                  problem=f"{problem} (reading hint in {shown_as})" if problem else None))
    return result


def _header(columns: Sequence[str], corner: str | None) -> list[list[str]]:
    """The cells of the header the hint names: a spanning line first when columns name groups
    ("2019 > Female"), then the names under the corner."""
    if not columns:
        return []
    parts = [c.split(GROUP_MARK, 1) if GROUP_MARK in c else ["", c] for c in columns]
    lines = []
    if any(group.strip() for group, _ in parts):
        spanning, previous = [""], None
        for group, _ in parts:
            spanning.append(group.strip() if group.strip() != previous else "")
            previous = group.strip()
        lines.append(spanning)
    lines.append([corner or "", *(name.strip() for _, name in parts)])
    return lines


def _names_from(header_lines: Sequence[Line], separator: str | None, rows: Sequence[Line]
                ) -> tuple[list[str] | None, str | None]:
    """(column names, corner) split from the hint's header lines by its separator (lines joined
    column by column); no names when the hint gives no separator that splits them."""
    if not header_lines or separator is None or separator == " ":
        return None, None
    split = [_split(line.text, separator) for line in header_lines]
    width = max(len(cells) for cells in split)
    joined = [" ".join(cells[k] for cells in split if k < len(cells) and cells[k]) for k in range(width)]
    # A header with as many cells as the rows prints its corner; one fewer names the values only.
    if {len(_split(row.text, separator)) for row in rows} == {width}:
        return joined[1:], joined[0] or None
    return joined, None


def _split(text: str, separator: str) -> list[str]:
    stripped = text.strip(" \r\n") if separator == "\t" else text.strip()  # a tab at the end is a blank cell
    if separator == "  ":
        parts = re.split(r" {2,}|\t", stripped)
    else:
        if separator.strip() == "|":
            stripped = stripped.strip("|")  # a table's outer pipes are not cells
        parts = stripped.split(separator)
    return [part.strip() for part in parts]


def _row_cells(text: str, separator: str | None, width: int) -> tuple[list[str], str | None]:
    """A row's cells (label, then ``width`` values), or its cells as printed and why they do not fit."""
    if separator is None or separator == " ":
        tokens = _value_tokens(text)
        label = text[:tokens[-width][0]].strip() if 0 < width <= len(tokens) else ""
        if not label:
            return [text.strip()], (f"this row does not print a label and {width} values, as the hint's table has; "
                                    "state a separator that shows its blank cells")
        return [label, *(value for _, value in tokens[-width:])], None
    cells = _split(text, separator)
    if len(cells) != width + 1:
        return cells, f"the hint's separator splits this row into {len(cells)} cells, but its table has {width + 1}"
    return cells, None


_TOKEN = re.compile(r"(?:<|&lt;|≤)\s?\d[\d,]*|\S+")


def _value_tokens(text: str) -> list[tuple[int, str]]:
    """The run of values that ends the line, as (start, token) ("<5" and "< 5" are one value)."""
    tokens = [(m.start(), m.group()) for m in _TOKEN.finditer(text)]
    run: list[tuple[int, str]] = []
    for start, token in reversed(tokens):
        if parse_value(token.replace(" ", "")) is None:
            break
        run.append((start, token.replace(" ", "") if token.startswith(("<", "≤")) else token))
    return list(reversed(run))
