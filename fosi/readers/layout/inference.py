"""Find the tables in a sequence of Lines from their runs of values.

Rows come first: consecutive lines that end in runs of values of the same length are
the body of a table (fosi.readers.layout.rowshapes). Then the lines above them are fitted to
the columns those values define (fosi.readers.layout.headers), and the line above the header
is the title (fosi.readers.layout.tables describes it).

A table that cannot be read exactly is not guessed: it becomes an ``Unread`` region
with what was ambiguous, which the reader reports as a ``table-not-read`` error at its
line, while the rest of the response is still read.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache

from fosi.readers.layout.accounting import COUNTED, names_an_identifier
from fosi.readers.layout.cells import (
    is_period_label,
    is_total_label,
    is_value,
    parse_cell,
)
from fosi.readers.layout.headers import (
    Columns,
    Header,
    HeaderAmbiguous,
    _explicit_cells,
    _fit_aligned,
    _fit_explicit,
    _spread,
    _units,
    counted_options,
    is_corner,
    is_header_like,
    repeat_period,
    spanning_by_count,
    spanning_in_corner,
)
from fosi.readers.layout.lines import Line
from fosi.readers.layout.rowshapes import (
    Shape,
    counted_shape,
    glued_shape,
    has_wide_gaps,
    shape_of,
)
from fosi.reference import force_in_text, names_an_offence, outcome_from_wording

_MAX_GAP = 1  # blank lines allowed between rows (text copied from PDFs)
_NUMBERED = re.compile(r"^\s*(?:\d{1,2}[.)]|\(?[a-z]\)|\(?[ivx]+\))\s+\S")
# The name of a column of counts: "Number of ...", "Count", "Volume", "Frequency".
_MEASURE = re.compile(r"^(?:(?:total\s+)?(?:number|no\.?|count|volume|frequency|amount|quantity|figures?|"
                      r"totals?|sum)\b|of which\b)", re.IGNORECASE)
_MAX_HEADER_LINES = 3
# A label this much like a sentence is prose ending in a number, not a row (unless under a header).
_PROSE_WORDS = frozenset("was were is are has have had there we our this which will would been it they "
                         "you your please i".split())


@dataclass
class Cell:
    """A value cell as printed, and where."""

    text: str
    line: int | None
    location: str


@dataclass
class Row:
    index: int  # the row's Line in the sequence
    label: str
    group: str | None
    cells: list[Cell | None]  # None: a cell never printed (the text ends inside the row)


@dataclass
class Table:
    header: Header | None
    rows: list[Row]
    start: int  # index of the first header line (or the first row)
    end: int  # index of the last row
    width: int  # value columns


@dataclass
class Unread:
    """A table-like region fosi could not read exactly: where, and why."""

    start: int
    end: int
    problem: str


@dataclass
class Found:
    tables: list[Table] = field(default_factory=list)
    unread: list[Unread] = field(default_factory=list)


def _sentence_like(label: str) -> bool:
    words = label.lower().split()
    return len(words) >= 6 and any(w.strip(",;") in _PROSE_WORDS for w in words)


_FAMILY = re.compile(r"^\s*([A-Za-z]{0,2})\s*\d{1,2}\s*[.)\-–:]")


def _same_family(label: str, previous: str) -> bool:
    """Are two row labels numbered alike ("Q1- The count of ...", "Q2 – The count of ...")? A long
    label is then a row of the same table, not a sentence after it."""
    a, b = _FAMILY.match(label), _FAMILY.match(previous)
    return bool(a and b and a.group(1).lower() == b.group(1).lower())


def _next_content(lines: Sequence[Line], start: int) -> int | None:
    stop = min(len(lines), start + _MAX_GAP + 1)
    while start < stop:
        if not lines[start].blank:
            return start
        start += 1
    return None


def _previous_content(lines: Sequence[Line], start: int) -> int | None:
    stop = max(-1, start - _MAX_GAP - 1)
    while start > stop:
        if not lines[start].blank:
            return start
        start -= 1
    return None


def _all_periods(shape: Shape) -> bool:
    printed = [v for v in shape.values if v]
    return bool(printed) and all(is_period_label(v) for v in printed)


def _is_group_label(line: Line) -> bool:
    """A label on a line of its own inside a table: a group printed once above its rows (a period
    such as "2023" above "e-scooters - 103" too)."""
    text = line.text.strip()
    if line.blank or len(text) > 80 or text.endswith((".", ":")) or sum(1 for c in line.cells if c) != 1:
        return False
    if line.separated and line.cells[0] == "" :
        return False  # an empty first cell: a value column's cell, not a label
    if _NUMBERED.match(text):
        return False  # "2. Charge/summons": a numbered heading starts a new table
    cell = next(c for c in line.cells if c)
    return not is_value(cell) or is_period_label(cell)


_AGE_BAND = re.compile(r"^(?:aged?\s+)?(?:under\s+\d+|\d+\s*(?:-|to|–)\s*\d+|\d+\s*(?:\+|and over|or over))$", re.I)


@lru_cache(maxsize=4096)
def _label_kind(label: str) -> str | None:
    """What a row label names, where fosi can tell: a period, an age band, an outcome or an offence.
    A label alone on its line among rows of the same kind is one of them (its cells blank), never a
    group heading over them: headings name another kind ("Possession" over age bands)."""
    text = label.strip()
    if is_period_label(text):
        return "period"
    if _AGE_BAND.match(text):
        return "age"
    if outcome_from_wording(text):
        return "outcome"
    if names_an_offence(text):
        return "offence"
    return None


def _same_kind(label: str, other: str) -> bool:
    kind = _label_kind(label)
    return kind is not None and kind == _label_kind(other)


# An answer's number before a heading: "1. ", "2) ", "(3) ".
_ANSWER_NUMBER = re.compile(r"^\s*\(?\d{1,2}[a-z]?[.)]\s+(?=\S)")
_DIGITS = re.compile(r"\d+")


def _names_in_order(lines: Sequence[Line], first_row: int, width: int) -> Header | None:
    """The line above a table's rows naming exactly its value columns, short names and nothing else
    ("Northbound   Southbound" over rows whose values a proportional font moved): the columns
    in the order printed, though not under their names. None when it is anything else."""
    above = _previous_content(lines, first_row - 1)
    if above is None or lines[above].separated:
        return None
    names = [cell for cell in lines[above].cells if cell]
    if len(names) != width or any(is_value(name) or len(name.split()) > 4 or name[-1] in ".,:;" for name in names):
        return None
    return Header(names, [None] * width, None, [above])


def _run(lines: Sequence[Line], shapes: list[Shape | None], start: int) -> tuple[list[int], dict[int, str]]:
    """Indexes of consecutive row lines from ``start`` (blank lines and group labels between
    them allowed), and the group label each row is under."""
    separated = lines[start].separated
    rows = [start]
    groups: dict[int, str] = {}
    group: str | None = None
    cursor = start
    above = _previous_content(lines, start - 1)
    header_cells = lines[above].cells if above is not None and shapes[above] is None else None
    # Tables with group headings start with one: a label alone after rows that are under no
    # group is a row of blank cells, not a heading ("2020," between "2019,282" and "2021,0").
    led_by_group = above is not None and _is_group_label(lines[above])
    while True:
        following = _next_content(lines, cursor + 1)
        if following is None:
            break
        if header_cells and lines[following].cells == header_cells and not is_total_label(shapes[rows[-1]].label):
            cursor = following  # the header repeated at the top of the next page: the table goes on
            continue  # (after a Total row, the header starts a table of its own)
        shape = shapes[following]
        if shape is None and shapes[rows[-1]].width == 1 and not separated:
            shape = glued_shape(lines[following].text)  # "Making/Taking26": a lost tab, inside a table
            shapes[following] = shape
        after_row = _next_content(lines, following + 1)
        if shape is not None and separated and not any(shape.values) and len(shape.labels) == 1 and (
                group is not None or led_by_group) and (
                after_row is not None and shapes[after_row] is not None and any(shapes[after_row].values)) and not (
                _same_kind(shape.labels[0], shapes[after_row].label)):
            shape = None  # "Possession<TAB>" with rows under it: a group heading, not a row of blanks
        if shape is not None and lines[following].separated == separated and (
                separated or not _sentence_like(shape.label) or _same_family(shape.label, shapes[rows[-1]].label)):
            if group is not None:
                groups[following] = group
            rows.append(following)
            cursor = following
            continue
        # A label alone on its line among rows of its kind ("Nov 2020" between "Oct 2020 20" and "Dec 2020 46",
        # "Caution - adults" among outcomes): a row whose cells are all blank, not a group.
        if (not separated and len(lines[following].cells) == 1 and _is_group_label(lines[following])
                and not _sentence_like(lines[following].text) and len(lines[following].text.split()) <= 8
                and _same_kind(lines[following].text, shapes[rows[-1]].label)):
            shapes[following] = Shape([lines[following].text.strip()], [], [])
            rows.append(following)
            cursor = following
            continue
        # A label alone on its line, then more rows: a group printed once above them.
        after = _next_content(lines, following + 1)
        if (after is not None and shapes[after] is not None and _is_group_label(lines[following])
                and lines[after].separated == separated and shapes[after].width == shapes[rows[-1]].width
                and not _all_periods(shapes[after]) and not _sentence_like(lines[following].text)
                and (separated or not _sentence_like(shapes[after].label))
                and not _same_kind(lines[following].text, shapes[after].label)):
            group = next(c for c in lines[following].cells if c)
            groups[after] = group
            rows.append(after)
            cursor = after
            continue
        break
    return rows, groups


def _columns(shapes: Sequence[Shape], width: int) -> Columns | None:
    """Character extents of the value columns, from rows laid out in columns."""
    full = [s for s in shapes if s.width == width and s.spans]
    if not full:
        return None
    starts = [min(s.spans[k][0] for s in full) for k in range(width)]
    ends = [max(s.spans[k][1] for s in full) for k in range(width)]
    if any(ends[k] > starts[k + 1] for k in range(width - 1)):
        return None  # columns overlap: the text is not laid out in columns
    return Columns(starts, ends, 0)


def _aligned(lines: Sequence[Line], rows: Sequence[int], shapes: Sequence[Shape], width: int) -> Columns | None:
    """The column extents, when the rows are laid out in columns (runs of spaces between values)."""
    if not any(has_wide_gaps(lines[i].text) for i in rows):
        return None
    columns = _columns(shapes, width)
    if columns is not None:
        columns.label_start = min(len(lines[i].text) - len(lines[i].text.lstrip()) for i in rows)
    return columns


def _place_by_alignment(shape: Shape, columns: Columns) -> list[str] | None:
    """A short row of a laid-out table: its values placed in the columns they are printed
    under, the others blank. None if any value is not under exactly one column."""
    if len(shape.spans) != len(shape.values):
        return None  # a row whose values' places are not known ("Female - 4" read as an item)
    placed = [""] * len(columns.starts)
    used = set()
    for text, (start, end) in zip(shape.values, shape.spans):
        owners = [k for k in range(len(columns.starts)) if start < columns.ends[k] and end > columns.starts[k]]
        if len(owners) != 1 or owners[0] in used:
            return None
        placed[owners[0]] = text
        used.add(owners[0])
    return placed


def _cells_of(line: Line, shape: Shape, values: list[str | None], width: int) -> list[Cell | None]:
    """Value cells with where each is printed."""
    printed = line.cells
    per_cell = bool(line.cell_lines or line.cell_locations) and len(printed) >= width and (
        printed[len(printed) - width:] == values or printed[-width:] == values)
    if not per_cell and (line.cell_lines or line.cell_locations) and len(printed) > width:
        # trailing blank cells past the table's width
        stripped = list(printed)
        while len(stripped) > width + 1 and not stripped[-1]:
            stripped.pop()
        per_cell = stripped[len(stripped) - width:] == values
        printed = stripped
    offset = len(printed) - width
    cells: list[Cell | None] = []
    for k, text in enumerate(values):
        if text is None:
            cells.append(None)  # never printed: the text ends before it
        elif per_cell:
            cells.append(Cell(text, line.cell_line(k + offset), line.cell_location(k + offset)))
        else:
            cells.append(Cell(text, line.line, line.location))
    return cells


def _label_and_group(shape: Shape, previous_group: str | None, line: Line) -> tuple[str, str | None, bool]:
    """(label, group, carried) of a row from its label cells: a first label cell is a group
    (a merged cell, empty on the rows below it); a Total spanning both columns has no group."""
    labels = shape.labels
    if line.group is not None:
        return labels[-1], line.group, False
    if len(labels) == 1:
        return labels[0], None, False
    if not labels[-1] and is_total_label(labels[0]):
        return labels[0], None, False
    group = " ".join(c for c in labels[:-1] if c)
    if not group:
        return labels[-1], previous_group, True
    return labels[-1], group, False


def _fit_header(lines: Sequence[Line], table_start: int, shapes: Sequence[Shape], width: int,
                columns: Columns | None, label_columns: int = 1) -> Header | None:
    """The header over a table whose first row is at ``table_start``; None when there is none.

    Raises HeaderAmbiguous when header lines are there but cannot be split into the columns.
    """
    if shapes and shapes[0].names and all(s.names == shapes[0].names for s in shapes):
        return Header(list(shapes[0].names), [None] * width)  # each count names its column
    above = _previous_content(lines, table_start - 1)
    if above is None or not is_header_like(lines[above]):
        return None
    line = lines[above]
    row_cells = label_columns + width
    if line.separated or (line.cell_lines or line.cell_locations):
        return _fit_explicit_header(lines, above, width, row_cells)
    if lines[table_start].separated and (width > 1 or len(line.text.split()) > 4):
        return None  # rows in cells have their header in cells: a line of words above them is a title
    if force_in_text(line.text) and len(line.text.split()) <= 4:
        return None  # a letterhead ("Kent Police"), not column names
    if columns is not None:
        return _fit_aligned_header(lines, above, width, columns)
    if width == 1 and (sum(1 for s in shapes if s.joined) * 2 > len(shapes) or above < table_start - 1):
        return None  # a list's items ("Female - 10") have no column header: the line above is a title
    if above < table_start - 1 and len(shapes) < 2 and not has_wide_gaps(line.text) and "\u00a0" not in line.text:
        return None  # one row under a single-spaced line set apart by a blank line: a title, not its header
    try:
        header = _fit_counted_header(lines, above, width)
    except HeaderAmbiguous:
        if width == 1 or above < table_start - 1:
            return None  # a line set apart from the rows, or over a single column: a title
        raise
    if header is not None and width == 1 and not _names_a_count(header) and not (
            header.corner and is_corner(header.corner)):
        return None  # a line over a list is its title unless it reads as a column's name (or names the rows)
    return header


def _names_a_count(header: Header) -> bool:
    """Does a one-column header name what is counted ("Number of arrests", "Crimes", "2019")?"""
    name = header.labels[0] or ""
    return (is_period_label(name) or is_total_label(name) or bool(COUNTED.match(name))
            or bool(_MEASURE.match(name)))


def _fit_explicit_header(lines: Sequence[Line], index: int, width: int, row_cells: int) -> Header | None:
    cells = _explicit_cells(lines[index])
    fitted = _fit_explicit(cells, width, row_cells)
    top = index - 1
    spanning_above = top >= 0 and lines[top].separated and is_header_like(lines[top])
    if spanning_above:
        # Trailing empty cells count when the line above names those columns ("Grand Total" printed
        # on the spanning line, its cell below left empty).
        with_empty = _fit_explicit(_explicit_cells(lines[index], keep_trailing=True), width, row_cells)
        above = _explicit_cells(lines[top], keep_trailing=True)
        if with_empty is not None and with_empty != fitted and len(above) >= row_cells and above[row_cells - 1]:
            fitted = with_empty
    if fitted is None:
        if len(cells) < width and len(cells) >= 1:
            raise HeaderAmbiguous(index, f"the header names {len(cells)} columns but the rows below it have "
                                         f"{width} values")
        return None
    corner, names = fitted
    header = Header(list(names), [None] * width, corner, [index])
    # A line of spanning names above (two-level header)?
    if spanning_above:
        top_cells = _explicit_cells(lines[top])
        # Names printed without the corner cell ("Female<TAB>Male..." over "North<TAB>60<TAB>..."): the
        # spanning line above them starts at the first value column too, unless it leaves a corner empty.
        cornerless = corner is None and names == cells and bool(top_cells) and bool(top_cells[0])
        spans = _spread(top_cells, width, width if cornerless else row_cells)
        if spans is not None and len({s for s in spans if s}) < sum(1 for n in names if n) and any(spans):
            header.groups = spans
            for k, name in enumerate(names):
                if not name:  # named only on the spanning line ("Grand Total"): a column of its own
                    header.labels[k], header.groups[k] = spans[k], None
            header.lines.insert(0, top)
            if header.corner is None and top_cells and top_cells[0] and row_cells - width >= 1 and len(top_cells) > 0:
                header.corner = top_cells[0] if not spans or top_cells[0] != spans[0] else None
    return header


def _fit_aligned_header(lines: Sequence[Line], index: int, width: int, columns: Columns) -> Header | None:
    """Header lines laid out over the columns, read bottom up. The line right above the rows
    names the columns; a line above it either spans them (names over repeating sub-headers,
    "2018" over "Male Female", one repeat each) or continues them (a header broken over lines,
    joined column by column). A column left unnamed below takes its name from above ("Total"
    printed on the spanning line)."""
    fits = []  # (index, corner words, words per column, spanning), nearest the rows first
    cursor = index
    while cursor >= 0 and len(fits) < _MAX_HEADER_LINES and not lines[cursor].blank and is_header_like(
            lines[cursor]) and (cursor == index or shape_of(lines[cursor]) is None):
        fitted = _fit_aligned(lines[cursor], columns)
        if fitted is None:
            break
        fits.append((cursor, *fitted))
        if cursor == index:
            # The lines above are placed over the columns as wide as the names right above the rows
            # print them ("Voluntary" centred over "interviews", over a narrow column of values).
            columns = _widened(columns, lines[index])
        cursor -= 1
    if not fits:
        return None
    _, corner_words, names, spanning = fits[0]
    if spanning:
        return _fit_counted_header(lines, index, width)
    labels: list[str | None] = [" ".join(n) or None for n in names]
    corner = " ".join(corner_words) or None
    header = Header(labels, [None] * width, corner, [index])
    for position, (line_index, corner_words, names, spanning) in enumerate(fits[1:], start=1):
        above = [" ".join(n) or None for n in names]
        groups = _spanning_groups(labels, above, columns, lines[line_index], lines[index])
        if groups is not None:
            header.groups = groups
            header.labels = [label if label else above_name for label, above_name in zip(labels, above)]
            for k, (label, above_name) in enumerate(zip(labels, above)):
                if not label:
                    header.groups[k] = None  # named only on the spanning line: a column of its own
            header.lines.insert(0, line_index)
            if corner_words:
                header.corner = " ".join([*corner_words, *([header.corner] if header.corner else [])])
            break
        if spanning:
            break
        # A header broken over lines: join each column's words, top line first.
        labels = [" ".join(p for p in (a, b) if p) or None for a, b in zip(above, labels)]
        header.labels = labels
        if corner_words:
            header.corner = " ".join([*corner_words, *([header.corner] if header.corner else [])])
        header.lines.insert(0, line_index)
    if not all(header.labels):
        raise HeaderAmbiguous(header.lines[0], f"the header above this table does not name all of its {width} "
                                               "columns; a sidecar reading hint can name them")
    return header


def _widened(columns: Columns, names_line: Line) -> Columns:
    """The columns' extents stretched over the names printed on the line above the rows."""
    starts, ends = list(columns.starts), list(columns.ends)
    for s, e, _ in _units(names_line.text.rstrip()):
        owner = columns.owner(s, e)
        if len(owner) == 1:
            starts[owner[0]], ends[owner[0]] = min(starts[owner[0]], s), max(ends[owner[0]], e)
    return Columns(starts, ends, columns.label_start)


def _spanning_groups(labels: list[str | None], above: list[str | None], columns: Columns, line: Line,
                     names_line: Line) -> list[str | None] | None:
    """Names on the line above that span repeating sub-headers, one repeat each; None if the line
    does not read that way. A repeat's extent runs from its first name (or value) to its last."""
    # The names printed from the first column on (a column after them may be named only above).
    named: list[str] = []
    for label in labels:
        if not label:
            break
        named.append(label)
    found = repeat_period(named) if len(named) >= 2 else None
    if found is None:
        return None
    period, repeated = found
    widened = _widened(columns, names_line)
    starts, ends = widened.starts, widened.ends
    phrases = [(s, e, p) for s, e, p in _units(line.text.rstrip()) if e > starts[0] - 2]
    groups: list[str | None] = [None] * len(labels)
    for block in range(repeated // period):
        first, last = block * period, (block + 1) * period - 1
        left, right = starts[first], ends[last]
        inside = [p for s, e, p in phrases if left - 2 <= (s + e) / 2 <= right + 2]
        if len(inside) != 1:
            return None
        for k in range(first, last + 1):
            groups[k] = inside[0]
    return groups


def _fit_counted_header(lines: Sequence[Line], index: int, width: int) -> Header | None:
    """A single-spaced header: split into exactly ``width`` names (or one more, naming the
    row-label column). A spanning line above repeating names is a second level."""
    text = lines[index].text.strip()
    if ";" in text:
        return None  # words split by semicolons are a list of keywords, not single-spaced column names
    found = counted_options(text, width)
    if width > 2:
        # "Outcome 22 Outcome 8 Total" over "Month recorded Female Male Female Male": the last column
        # named only above beats a reading of the line alone that the line above cannot span.
        extra = _named_above(lines, index, width)
        if extra is not None and not any(_spans_above(lines, index, names) for _, names in found):
            return extra
    if not found:
        return None
    if len(found) > 1:
        # Of several readings, the one whose names the line above spans ("Local policing area 18 and
        # over Unknown 18 and over Unknown" under "FY 2020/21 FY 2021/22") is the header's.
        spanned = [f for f in found if _spans_above(lines, index, f[1])]
        found = spanned if len(spanned) == 1 else found
    if len(found) > 1 and width == 1:
        # Over one column, the reading whose name says what is counted ("... released? | Total").
        counting = [f for f in found if _names_a_count(Header(list(f[1]), [None], f[0]))]
        if len(counting) > 1:  # the shortest name that counts: "Total", not "Information released? Total"
            shortest = min(len(f[1][0].split()) for f in counting)
            counting = [f for f in counting if len(f[1][0].split()) == shortest]
        found = counting if len(counting) == 1 else found
    if len(found) > 1:
        # With and without a corner both fit: a corner that names the rows decides.
        cornered = [f for f in found if f[0] is not None and is_corner(f[0])]
        if len(cornered) == 1:
            found = cornered
        elif not cornered:
            uncornered = [f for f in found if f[0] is None]
            found = uncornered if len(uncornered) == 1 else found
    if len(found) > 1:
        shown = " | ".join(n for n in ([found[0][0]] if found[0][0] else []) + found[0][1])
        other = " | ".join(n for n in ([found[1][0]] if found[1][0] else []) + found[1][1])
        raise HeaderAmbiguous(index, f"the header {text!r} can be split into the table's {width} columns in more "
                                     f"than one way (e.g. '{shown}' or '{other}'); a sidecar reading hint can "
                                     "name the columns")
    corner, names = found[0]
    header = Header(list(names), [None] * width, corner, [index])
    spans = _spans_above(lines, index, names)
    if spans is not None:
        header.groups = spans
        header.lines.insert(0, index - 1)
    elif corner and (levels := spanning_in_corner(corner, list(names))) is not None:
        header.corner, header.groups = levels  # the spanning names run onto the line before the corner
    return header


def _spans_above(lines: Sequence[Line], index: int, names: Sequence[str]) -> list[str | None] | None:
    """The names on the single-spaced line above a header line that span its columns, if it reads so."""
    top = index - 1
    if top < 0 or lines[top].blank or not is_header_like(lines[top]) or lines[top].separated:
        return None
    text = lines[top].text.strip()
    return spanning_by_count(text, list(names)) or _period_span(text, names)


def _named_above(lines: Sequence[Line], index: int, width: int) -> Header | None:
    """A two-level header whose last column is named only on the line above ("Outcome 22 Outcome 8
    Total" over "Month Female Male Female Male", rows of five values): the names below cover all
    but that column, and the line above spans their repeats and names the last one."""
    top = index - 1
    if top < 0 or lines[top].blank or lines[top].separated or not is_header_like(lines[top]):
        return None
    fits = []
    for corner, names in counted_options(lines[index].text.strip(), width - 1):
        spans = spanning_by_count(lines[top].text.strip(), [*names, ""])
        if spans is not None and spans[-1] is not None and spans[-1] not in spans[:-1]:
            fits.append((corner, names, spans))
    if len(fits) > 1:
        fits = [fit for fit in fits if fit[0] is not None]  # the reading whose first words name the rows
    if len(fits) != 1:
        return None
    corner, names, spans = fits[0]
    groups = [*spans[:-1], None]
    return Header([*names, spans[-1]], groups, corner, [top, index])


_PERIOD_DIMENSION = re.compile(r"(?:^|\s)((?:financial |calendar )?(?:years?|months?|quarters?|periods?))\s*$", re.I)


def _period_span(text: str, names: Sequence[str]) -> list[str | None] | None:
    """'Crimes Year' over 'Home Office Code 2012 2013 2014': a period dimension ending the line above
    columns that are all periods spans them all (the words before it are the table's subject)."""
    match = _PERIOD_DIMENSION.search(text)
    if not match or len(text.split()) > 4 or not names or not all(is_period_label(n) for n in names):
        return None
    return [match.group(1)] * len(names)


def _counted_runs(lines: Sequence[Line], shapes: list[Shape | None]) -> None:
    """Lines led by a period whose counts each name what they count ("2006 - 740 requests, 2185
    questions"), two or more with the same names: a table written as sentences."""
    found: list[tuple[int, Shape]] = []
    for index, (line, shape) in enumerate(zip(lines, shapes)):
        if shape is None and not line.blank and not line.separated and line.text[:1].isdigit():
            counted = counted_shape(line.text)
            if counted is not None:
                found.append((index, counted))
    for position, (index, shape) in enumerate(found):
        neighbours = [other for k, (_, other) in enumerate(found) if abs(k - position) == 1]
        if any(other.names == shape.names for other in neighbours):
            shapes[index] = shape


def _glued_runs(lines: Sequence[Line], shapes: list[Shape | None]) -> None:
    """Rows whose values were glued to their labels ("2019/20456"), two or more one under the other:
    a table that lost its separators. A single glued line is left alone (a footnote digit)."""
    glued = [None if shape is not None or line.separated or line.blank or not line.text.rstrip()[-1:].isdigit()
             else glued_shape(line.text) for line, shape in zip(lines, shapes)]
    for index, shape in enumerate(glued):
        if shape is not None and ((index > 0 and glued[index - 1]) or (index + 1 < len(glued) and glued[index + 1])
                                  or _under_a_count_name(lines, index)):
            shapes[index] = shape


def _under_a_count_name(lines: Sequence[Line], index: int) -> bool:
    """Is the line right above a column's name that counts (" Total", "Number of crimes")? A glued row
    alone under it ("Making/Taking26") is that column's count, not a footnote mark."""
    above = _previous_content(lines, index - 1)
    if above is None or lines[above].separated:
        return False
    text = lines[above].text.strip()
    return len(text.split()) <= 4 and (is_total_label(text) or bool(COUNTED.match(text)) or bool(_MEASURE.match(text)))


_YEAR_AND_COUNT = re.compile(r"^\s*((?:19|20)\d\d)\s+(\d{1,3}(?:,\d{3})+|\d+)\s*$")


def _year_count_runs(lines: Sequence[Line], shapes: list[Shape | None]) -> None:
    """'2012 1953' under '2011 2120': a count that looks like a year, beside its year. Alone such a
    line may be a header of two periods; in a run of two or more lines led by consecutive years,
    none of them a range ('2019 2020'), each is a row."""
    found = [(index, _YEAR_AND_COUNT.match(line.text)) for index, line in enumerate(lines)
             if not line.separated and not line.blank and line.text[:1] in "12 "]
    matched = [(index, match) for index, match in found if match]
    run: list[tuple[int, re.Match[str]]] = []
    for item in [*matched, None]:
        if item is not None and run and item[0] == run[-1][0] + 1 and int(item[1].group(1)) - int(
                run[-1][1].group(1)) in (1, -1):
            run.append(item)
            continue
        years = [(int(m.group(1)), int(m.group(2).replace(",", ""))) for _, m in run]
        if len(run) >= 2 and not any(0 < count - year <= 10 for year, count in years):
            for index, match in run:
                if shapes[index] is None:
                    shapes[index] = Shape([match.group(1)], [match.group(2)], [match.span(2)], match.end(1))
        run = [item] if item is not None else []


def _converter_problems(lines: Sequence[Line], found: Found) -> None:
    """Regions a converter (fosi.readers.layout.cellstreams) could not read: one Unread each."""
    index = 0
    while index < len(lines):
        if not lines[index].problem:
            index += 1
            continue
        end = index
        while end + 1 < len(lines) and (lines[end + 1].problem == lines[index].problem or lines[end + 1].blank):
            end += 1
        while end > index and lines[end].blank:  # never above where the region starts: the loop advances
            end -= 1
        found.unread.append(Unread(index, end, lines[index].problem))
        index = end + 1


def find_tables(lines: Sequence[Line]) -> Found:
    """Every table in the lines, and every table-like region that could not be read exactly."""
    shapes = [None if line.problem else shape_of(line) for line in lines]
    _glued_runs(lines, shapes)
    _counted_runs(lines, shapes)
    _year_count_runs(lines, shapes)
    found = Found()
    _converter_problems(lines, found)
    index, count = 0, len(lines)
    while index < count:
        shape = shapes[index]
        if shape is None or not any(shape.values) or (not lines[index].separated and _sentence_like(shape.label)):
            index += 1  # a row of blank cells, or a sentence ending in a number, never starts a table
            continue
        if shape.width == 1 and not lines[index].separated:
            above = _previous_content(lines, index - 1)
            if above is not None and shapes[above] is None and (glued := glued_shape(lines[above].text)):
                shapes[above] = glued  # the table's first row, its value glued to its label
                index = above
        rows, groups = _run(lines, shapes, index)
        if groups and rows[0] not in groups:
            # Groups further down: a line of the same kind right above the first row is the first group.
            above = _previous_content(lines, rows[0] - 1)
            first_group = groups[min(groups)]
            # The answer's number may lead it ("1. 1 April 2020 – 31 March 2021" over later "1 April 2019 – ...").
            heading = _ANSWER_NUMBER.sub("", next(c for c in lines[above].cells if c)) if above is not None else ""
            numbered_alike = above is not None and sum(1 for c in lines[above].cells if c) == 1 and \
                _ANSWER_NUMBER.match(lines[above].text) is not None and _DIGITS.sub("0", heading) == \
                _DIGITS.sub("0", first_group)  # the same heading but for its numbers
            if above is not None and (_is_group_label(lines[above]) or numbered_alike) and (
                    is_period_label(heading) == is_period_label(first_group)) and not (
                    _same_kind(heading, shapes[rows[0]].label)):
                for row in rows:
                    if row in groups:
                        break
                    groups[row] = heading
                groups[-1] = str(above)  # the header, if any, is above this line
        # A first "row" of periods over rows that are not is the header ("Offence 2019 2020").
        if len(rows) >= 2 and _all_periods(shapes[rows[0]]) and not _all_periods(shapes[rows[1]]) \
                and shapes[rows[0]].width == shapes[rows[1]].width:
            shapes[rows[0]] = None
            index = rows[1]
            continue
        consumed = _read_run(lines, shapes, rows, groups, found)
        index = max(consumed, index) + 1
    return found


def _read_run(lines: Sequence[Line], shapes: list[Shape | None], rows: list[int], groups: dict[int, str],
              found: Found) -> int:
    """Read one run of rows as a table (or more than one, where the width changes for good).
    Returns the index of the last line it consumed."""
    run_shapes = [shapes[i] for i in rows]
    assert all(s is not None for s in run_shapes)
    # Split where the run changes width for good: two tables one under the other.
    widths_of_rows = [shapes[i].width for i in rows]  # type: ignore[union-attr]
    if len(set(widths_of_rows)) == 1:
        segments = [rows]  # the common case: one width throughout
    else:
        segments = []
        current: list[int] = []
        current_widths: Counter[int] = Counter()
        for position, (i, width) in enumerate(zip(rows, widths_of_rows)):
            if len(current) >= 2 and width != widths_of_rows[position - 1]:
                usual = max(current_widths, key=lambda w: (current_widths[w], w))
                following = widths_of_rows[position + 1] if position + 1 < len(rows) else None
                # A new width that lasts (this row and the next) and never returns to the usual one
                # starts a new table; a few short rows (blank cells lost in copying) do not.
                if width != usual and following == width and usual not in widths_of_rows[position:]:
                    segments.append(current)
                    current, current_widths = [], Counter()
            current.append(i)
            current_widths[width] += 1
        segments.append(current)
    last = rows[-1]
    for segment in segments:
        _read_segment(lines, shapes, segment, groups, found)
    return last


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip())


def _aligned_labels(lines: Sequence[Line], rows: Sequence[int], shapes: list[Shape]) -> list[Shape]:
    """In text laid out in columns, rows may print their labels in two columns: a group printed once
    (left empty on the rows under it) and a label, such as a period ("Possession  2021  255" over
    "  2022  395"). Where the columns say so, each row's labels are split that way."""
    if not any(has_wide_gaps(lines[i].text) for i in rows):
        return shapes
    margin = min(_indent(lines[i].text) for i in rows)
    second: set[int] = set()  # where the second label column starts
    for i, shape in zip(rows, shapes):
        if shape.width and not shape.spans:
            continue
        if len(shape.labels) == 2:
            second.add(lines[i].text.index(shape.labels[1], _indent(lines[i].text) + len(shape.labels[0])))
        elif _indent(lines[i].text) > margin + 1:
            second.add(_indent(lines[i].text))
    if len(second) != 1:
        return shapes
    column = second.pop()
    result = []
    for i, shape in zip(rows, shapes):
        text = lines[i].text
        if len(shape.labels) == 1 and abs(_indent(text) - column) <= 1:
            shape = Shape(["", shape.labels[0]], shape.values, shape.spans, shape.label_end)  # its group goes on
        elif (len(shape.labels) == 1 and shape.spans and abs(shape.spans[0][0] - column) <= 1
              and is_period_label(shape.values[0])):
            shape = Shape([shape.labels[0], shape.values[0]], shape.values[1:], shape.spans[1:], shape.label_end)
        result.append(shape)
    return result


def _period_labels(shapes: list[Shape]) -> list[Shape]:
    """A column of periods right after the labels of every row labels the rows too ("Child - Having
    Indecent Photo Of   2017   21   26": the year is not a count), as in a table of cells
    (_labels_periods); a Total row may leave it empty."""
    if len(shapes) < 2 or not all(len(s.labels) == 1 and s.labels[0] and len(s.values) >= 2 for s in shapes
                                  if not is_total_label(s.label)):
        return shapes
    body = [s for s in shapes if not is_total_label(s.label)]
    if not body or not all(is_period_label(s.values[0]) for s in body) or all(is_period_label(s.label) for s in body):
        return shapes
    widths = {len(s.values) for s in body}
    if len(widths) != 1:
        return shapes
    return [s if is_total_label(s.label) and len(s.values) < len(body[0].values)
            else Shape([s.labels[0], s.values[0]], s.values[1:], s.spans[1:], s.label_end) for s in shapes]


def _fit_rows(lines: Sequence[Line], rows: Sequence[int], shapes: Sequence[Shape], width: int, separated: bool,
              labels_count: int) -> tuple[list[tuple[Shape, str | None]], Columns | None]:
    """Each row fitted to ``width`` value columns (or the problem that stops it), and the
    columns' extents where the rows are laid out in columns."""
    if separated:
        return [_explicit_row(s, labels_count, width, lines[i]) for i, s in zip(rows, shapes)], None
    columns = _aligned(lines, rows, shapes, width)
    fitted: list[tuple[Shape, str | None]] = []
    for shape in shapes:
        if shape.width == width:
            fitted.append((shape, None))
        elif shape.width == 0:
            fitted.append((Shape(shape.labels, [""] * width, []), None))  # a label alone: every cell blank
        elif shape.alternative is not None and shape.alternative.width == width:
            fitted.append((shape.alternative, None))  # "Area 2 | 15 20": the table's width says the 2 is a label's
        elif columns is not None and (placed := _place_by_alignment(shape, columns)):
            fitted.append((Shape(shape.labels, placed, []), None))
        else:
            fitted.append((shape, f"this row has {shape.width} values but the table has {width} columns"))
    return fitted, columns


def _place_short_rows(fitted: list[tuple[Shape, str | None]], width: int) -> list[tuple[Shape, str | None]]:
    """Rows of a single-spaced table that print fewer values than it has columns lost their blank
    cells in copying, and cannot be placed by sight. Where the table prints a Total row, the
    placement (all blanks at the end of the row, or all at the start) under which every column
    adds up to its printed total is taken; otherwise the rows stay unread."""
    short = [k for k, (shape, problem) in enumerate(fitted) if problem and 0 < shape.width < width]
    totals = [shape for shape, problem in fitted if problem is None and is_total_label(shape.label)]
    if not short or len(totals) != 1:
        return fitted
    total = totals[0]
    if any(parse_cell(v) is None or parse_cell(v).count in (None, 0) for k in short for v in fitted[k][0].values):
        # A zero (or a marker) can stand in another column without changing any sum: such a row
        # cannot be placed by the totals.
        return fitted
    placed = []
    for at_end in (True, False):
        trial = list(fitted)
        for k in short:
            shape = fitted[k][0]
            blanks = [""] * (width - shape.width)
            trial[k] = (Shape(shape.labels, shape.values + blanks if at_end else blanks + shape.values, []), None)
        parts = [shape for shape, problem in trial if problem is None and shape is not total]
        if all(_column_adds_up([p.values[c] for p in parts], total.values[c]) for c in range(width)):
            placed.append(trial)
    return placed[0] if len(placed) == 1 else fitted  # both placements adding up: neither is known


def _column_adds_up(cells: Sequence[str], total: str) -> bool:
    """Do the printed numbers of a column sum to its printed total (blank cells as nothing)?"""
    printed = [parse_cell(c) for c in cells if c]
    expected = parse_cell(total)
    if expected is None or expected.count is None or any(v is None or v.count is None for v in printed):
        return False
    return sum(v.count for v in printed) == expected.count  # type: ignore[misc]


def _widths_of(shapes: Sequence[Shape]) -> list[int]:
    """Candidate value-column counts: the most common run length first (the longest on a tie)."""
    counts = Counter(s.width for s in shapes)
    return sorted(counts, key=lambda w: (-counts[w], -w))


def _explicit_columns(shapes: Sequence[Shape]) -> tuple[int, list[int]]:
    """(label columns, candidate value columns) of a table of separated cells, the most common
    first. A merged label leaves its cell empty, and trailing separators add empty cells:
    neither makes a column."""
    first = shapes[0]
    if len(first.labels) == 1 and first.values[-1] and all(
            len(s.labels) == 1 and len(s.values) == len(first.values) and s.values[-1] for s in shapes) and not (
            len(first.values) > 1 and _labels_periods(shapes, 1)):
        return 1, [len(first.values)]  # the common case: one label, the same number of values in every row
    label_counts = Counter(len(s.labels) for s in shapes)
    labels = max(label_counts, key=lambda k: (label_counts[k], k))
    while _labels_periods(shapes, labels):
        labels += 1
    widths: Counter[int] = Counter()
    for shape in shapes:
        if len(shape.labels) <= labels:
            widths[_core_width(shape, labels)] += 1
    ranked = sorted(widths, key=lambda w: (-widths[w], -w)) or [1]
    # Trailing blank cells are a column of their own where the header names it ("Unknown<TAB>0<TAB>554<TAB>"
    # under four names): the printed width is a candidate too, after the others.
    printed = max(len(s.labels) + len(s.values) for s in shapes) - labels
    return labels, ranked + ([printed] if printed not in ranked and printed > 0 else [])


def _labels_periods(shapes: Sequence[Shape], column: int) -> bool:
    """Is cell ``column`` (after the labels, before the last value) a period in every row, so that it
    labels the rows too ("Crime type,Period,14-15,..." over "Possession,2018,0,607": a year is not a
    count there)? A Total row may leave it empty ("Grand Total,,890,257")."""
    cells = [s.labels + s.values for s in shapes]
    return all(len(s.labels) <= column < len(c) - 1 and (is_period_label(c[column]) or (
        not c[column] and is_total_label(s.labels[0]))) for s, c in zip(shapes, cells)) and any(
        is_period_label(c[column]) for c in cells)


def _core_width(shape: Shape, labels: int) -> int:
    cells = shape.labels + shape.values
    end = len(cells)
    while end > labels + 1 and not cells[end - 1]:
        end -= 1
    return end - labels


def _explicit_row(shape: Shape, labels: int, width: int, line: Line) -> tuple[Shape, str | None]:
    """The row re-split at the table's label columns, or a problem."""
    if len(shape.labels) == labels and len(shape.values) == width and line.printed_cells is None:
        return shape, None  # the common case: already split as the table is
    if line.printed_cells is not None:
        # The text ends inside this row: the cells never printed are missing, not blank.
        cells = shape.labels + shape.values
        if len(cells) == labels + width and line.printed_cells > labels:
            return Shape(cells[:labels], cells[labels:line.printed_cells] + [None] * (len(cells) - line.printed_cells),
                         []), None
    if len(shape.labels) > labels:
        return shape, f"this row has text where the table has values ({shape.labels[-1]!r})"
    cells = shape.labels + shape.values
    head, values = cells[:labels], cells[labels:]
    if any(parse_cell(c) is not None and c and not is_period_label(c) for c in head[len(shape.labels):]):
        return shape, "this row has a value where the table has labels"
    if len(values) > width and not any(values[width:]):
        values = values[:width]
    if len(values) != width:
        return shape, f"this row has {len(values)} cells of values but the table has {width} columns"
    return Shape(head, values, []), None


def _read_segment(lines: Sequence[Line], shapes: list[Shape | None], rows: list[int], groups: dict[int, str],
                  found: Found) -> None:
    seg_shapes: list[Shape] = [shapes[i] for i in rows]  # type: ignore[misc]
    separated = lines[rows[0]].separated
    if not separated:
        seg_shapes = _period_labels(_aligned_labels(lines, rows, seg_shapes))
    top = int(groups[-1]) if -1 in groups and rows[0] < int(groups[-1]) + 3 else rows[0]
    labels_count = 1
    if separated:
        labels_count, candidates = _explicit_columns(seg_shapes)
        above = _previous_content(lines, top - 1)
        named = sum(1 for c in lines[above].cells if c) if above is not None else 0
        # The width that counts the rows' trailing blank cells (the last candidate, the widest) only
        # where the header names those columns.
        if len(candidates) > 1 and candidates[-1] == max(candidates) and labels_count + candidates[-1] > named:
            candidates = candidates[:-1]
    else:
        candidates = _widths_of(seg_shapes)
    # Where rows disagree on their width, the width that reads most rows under a header wins.
    choice, best = None, None
    widest = None if separated else max(candidates)  # (cells of their own keep their blanks: no row is short)
    for order, width in enumerate(candidates):
        fitted, columns = _fit_rows(lines, rows, seg_shapes, width, separated, labels_count)
        try:
            header = _fit_header(lines, top, [s for s, problem in fitted if problem is None] or seg_shapes,
                                 width, columns, labels_count)
        except HeaderAmbiguous as ambiguous:
            header = ambiguous
        named = isinstance(header, Header)
        # A header whose first cell names the rows ("Offence") is the surest fit, one without a corner next.
        fit = 0 if not named else 2 if header.corner and is_corner(header.corner) else 1 if header.corner is None else 0
        # A row may print fewer values than the table has columns (blank cells lost in copying), never
        # more: a header naming as many columns as the fullest row beats one merging two of its names.
        score = (fit, named and width == widest,
                 sum(1 for _, problem in fitted if problem is None), named, -order)
        if best is None or score > best:
            choice, best = (width, fitted, header), score
    assert choice is not None
    width, fitted, header = choice
    if not separated:
        fitted = _place_short_rows(fitted, width)
    if isinstance(header, HeaderAmbiguous):
        found.unread.append(Unread(header.index, rows[-1], header.problem))
        return
    lone = seg_shapes[0]
    if len(rows) < 2 and header is None and not (lone.joined and len(lone.label.split()) <= 4 and not (
            is_period_label(lone.values[0]))):
        # A single line ending in a number, with no header, is not a table; a "label - 10" item alone
        # is one, unless its number is a year ("Taser use in Cambridgeshire - 2014" is a title).
        return
    if header is None and width > 1:
        header = _names_in_order(lines, rows[0], width)
    if header is None and width > 1:
        found.unread.append(Unread(rows[0], rows[-1], f"a table of {width} value columns starts here with no "
                                                      "header row, so its columns cannot be named"))
        return
    table_rows: list[Row] = []
    closing: list[int] = []  # Total rows printed under a group heading
    group: str | None = None
    for i, (shape, problem) in zip(rows, fitted):
        line = lines[i]
        if problem is None and not shape.labels[-1] and not any(shape.labels) and not (
                len(rows) == 1 and header is not None and all(header.labels)):
            # (A table's only row may leave its label out under a header naming every column: its
            # figures are told apart by their columns.)
            problem = "this row has values but no label"
        if problem is not None:
            found.unread.append(Unread(i, i, problem))
            continue
        label, group_of_row, carried = _label_and_group(shape, group, line)
        if names_an_identifier(label):
            continue  # "Reference Number | 2953": the page's reference, never a count (accounting: metadata)
        if shape.joined == ":" and not all(s.joined for s, _ in fitted):
            label += ":"  # "Sum: 116,897" among rows of cells: the colon is printed as part of the label
        if i in groups:
            group_of_row, carried = groups[i], True
        group = group_of_row
        if carried and is_total_label(label) and not (group_of_row and label.startswith(group_of_row)):
            closing.append(len(table_rows))
        table_rows.append(Row(i, label, group_of_row, _cells_of(line, shape, shape.values, width)))
    if len(closing) == 1:
        # The table's one Total, under the last group, belongs to no group ("2017 Total" does); where
        # each group ends with its own Total, each belongs to its group.
        table_rows[closing[0]] = replace(table_rows[closing[0]], group=None)
    if not table_rows:
        return
    start = header.lines[0] if header and header.lines else table_rows[0].index
    found.tables.append(Table(header, table_rows, start, table_rows[-1].index, width))

