"""Find the tables in a sequence of Lines and turn their cells into figure records.

Shared by every reader (text, web tables, spreadsheets, PDFs). A table is an optional
header row followed by rows of a label and values; its title is the last short line
above it, and the outcome it counts is named in that title (by number or wording),
on the line under the title, or, for a table whose rows are outcomes, in each row.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache

from fosi.findings import Finding
from fosi.readers.cells import (
    is_period_label, is_total_label, is_value, parse_value, split_code_prefix, split_glued,
    split_trailing_values,
)
from fosi.readers.lines import Line
from fosi.reference import (
    known_outcome_codes, normalise_outcome_code, offence_code_for_label, outcome_from_number,
    outcome_from_wording,
)
from fosi.response import Located, Metadata, TableInfo

# A first header cell that names what the rows are.
_HEADER_WORDS = re.compile(
    r"^(?:offen[cs]es?(?:\s+\w+)?|crimes?(?:\s+(?:type|class|category|outcome|group))?|outcomes?(?:\s+\w+)?|"
    r"positive outcomes?|category|description|classification|total|count|number|no\.?|year|month|"
    r"age(?:\s+\w+)?|sex|gender|period|date|quarter|financial year|calendar year)$",
    re.IGNORECASE,
)
_PERIOD_HEADER = re.compile(r"^(?:year|month|period|date|quarter|financial year|calendar year|fy)s?\b", re.I)
_OUTCOME_HEADER = re.compile(r"\boutcomes?\b", re.IGNORECASE)
_TITLE_MAX_CHARS = 150
_MAX_GAP = 2  # a table may have one blank line between rows (common in text from PDFs)


class LayoutError(Exception):
    """A table that cannot be read exactly: ragged rows, no header, cut off. The reader turns
    it into an InputError naming the file and the line."""

    def __init__(self, line: Line, problem: str) -> None:
        super().__init__(problem)
        self.line = line
        self.problem = problem


@dataclass
class Block:
    header: list[str] | None
    header_line: Line | None
    rows: list[tuple[Line, list[str]]] = field(default_factory=list)
    groups: list[str | None] = field(default_factory=list)  # each row's merged group label
    start: int = 0  # index of the header (or first row) in the Line sequence
    end: int = 0  # index of the last row


def _is_row(cells: Sequence[str], periods: bool, blanks: bool = False) -> bool:
    """A label followed by values; with ``blanks``, values may all be blank (inside a table)."""
    if len(cells) < 2 or not cells[0]:
        return False
    if parse_value(cells[0]) is not None and not (periods and is_period_label(cells[0])):
        return False
    printed = blanks
    for index in range(1, len(cells)):
        cell = cells[index]
        if parse_value(cell) is None:
            return False
        if cell:
            printed = True
    return printed


def _fit(cells: list[str], width: int | None) -> list[str]:
    """Drop blank cells past the table's width (trailing tabs)."""
    if width is not None and len(cells) > width and not any(cells[width:]):
        return cells[:width]
    return cells


def _grouped(cells: Sequence[str]) -> tuple[str, list[str]] | None:
    """('Possession', ['Under 18', '12']) from ['Possession', 'Under 18', '12']: a row whose first
    column is a group label (a merged cell, printed once) and whose second is the row label.
    An empty group cell means the group above goes on; a Total spanning both columns is a row label."""
    if len(cells) < 3 or is_value(cells[0]) or not all(is_value(c) for c in cells[2:]):
        return None
    if cells[0] and not cells[1] and is_total_label(cells[0]):
        return "", [cells[0], *cells[2:]]
    if not cells[1] or is_value(cells[1]):
        return None
    return cells[0], list(cells[1:])


# A row ends in a value: a digit, or a marker such as *, -, n/a, [c], "..".
_VALUE_ENDINGS = frozenset("0123456789*-–—]aA")


def _row_cells(line: Line, width: int | None, periods: bool, in_table: bool) -> list[str] | None:
    """The cells of a data row (of ``width`` cells, when given), or None.

    Asked of nearly every line, often more than once, so the common answers come first:
    a blank line, a line of words, a row whose cells are already split.
    """
    if line.blank:
        return None
    cells = line.cells
    if len(cells) == 1:
        text = line.text.rstrip()
        if text[-1:] not in _VALUE_ENDINGS and not text.endswith(".."):
            return None  # one cell of words: prose or a title
    elif width is not None:
        cells = _fit(cells, width)
    if (width is None or len(cells) == width) and _is_row(cells, periods, in_table and width is not None):
        return cells
    if line.separated:
        return None
    split = split_trailing_values(line.text, None if width is None else width - 1)
    if split and _is_row(split, periods):
        return split
    if in_table and width in (None, 2):
        glued = split_glued(line.text)
        if glued and _is_row(glued, periods):
            return glued
    return None


def _header_cells(cells: Sequence[str]) -> bool:
    """A row of column names: text cells (or period labels such as 2019) after a text first cell."""
    if len(cells) < 2 or not cells[0] or is_value(cells[0]):
        return False
    return all(c and (not is_value(c) or is_period_label(c)) for c in cells[1:])


def _align_header(header: Line, row: Line, width: int) -> list[str] | None:
    """Split a single-spaced header ("Year Arrest Caution") into ``width`` column names."""
    words = [(m.start(), m.end(), m.group()) for m in re.finditer(r"\S+", header.text)]
    if len(words) == width:
        return [w[2] for w in words]
    if len(words) < width or row.separated:
        return None
    # Columns as printed in the row below: each value's character span.
    spans = [(m.start(), m.end()) for m in re.finditer(r"\S+", row.text)][-(width - 1):]
    if len(spans) != width - 1:
        return None
    names = [[] for _ in range(width)]
    for start, end, word in words:
        centre = (start + end) / 2
        if centre < spans[0][0] - 1:
            names[0].append(word)
            continue
        nearest = min(range(width - 1), key=lambda k: abs((spans[k][0] + spans[k][1]) / 2 - centre))
        names[nearest + 1].append(word)
    return [" ".join(n) for n in names] if all(names[1:]) and names[0] else None


def _next_content(lines: Sequence[Line], start: int) -> int | None:
    stop = min(len(lines), start + _MAX_GAP)
    while start < stop:
        if not lines[start].blank:
            return start
        start += 1
    return None


def _header_at(lines: Sequence[Line], index: int) -> tuple[list[str], int, bool] | None:
    """A header at ``index`` with a data row right under it: (names, row index, period rows)."""
    line = lines[index]
    if line.blank:
        return None
    names: list[str] | None
    if len(line.cells) == 1:
        text = line.text
        if (line.separated or len(text) > _TITLE_MAX_CHARS or text.rstrip().endswith(".")
                or is_value(line.cells[0]) or not _HEADER_WORDS.match(line.cells[0].split(" ", 1)[0])):
            return None  # prose or a title, not a header
        names = None  # maybe a single-spaced header ("Offence Total"): split once the row's width is known
    else:
        names = list(line.cells)
        while len(names) > 2 and not names[-1]:
            names.pop()  # trailing tabs after the last column name
        if not _header_cells(names):
            return None
    following = _next_content(lines, index + 1)
    if following is None:
        return None
    periods = bool(_PERIOD_HEADER.match((names or line.text.split() or [""])[0]))
    row = _row_cells(lines[following], None, periods, in_table=True)
    if row is None and lines[following].separated and (grouped := _grouped(lines[following].cells)):
        row = [grouped[0], *grouped[1]]  # width as printed, group column included
    if row is None:
        return None
    width = len(row)
    if names is None:
        names = _align_header(line, lines[following], width)
        if names is None or not _HEADER_WORDS.match(names[0]):
            return None
    if len(names) in (width, width - 1) or (line.separated and lines[following].separated):
        return names, following, periods  # a mismatch between separated rows is reported as ragged
    return None


def _check_cut_off(lines: Sequence[Line], index: int) -> None:
    """A header with nothing under it at the end of the file: the table was cut off."""
    line = lines[index]
    if not (line.separated and _header_cells(line.cells) and _HEADER_WORDS.match(line.cells[0])):
        return
    if all(later.blank for later in lines[index + 1:]):
        raise LayoutError(line, "the table under this header is cut off: the file ends before its first row")


def _check_ragged(line: Line, width: int, header: Sequence[str] | None) -> None:
    """A tab-, pipe- or cell-separated row whose cell count differs from its table's."""
    cells = [c for c in line.cells]
    while cells and not cells[-1]:
        cells.pop()
    if line.separated and len(cells) >= 2 and _is_row(cells, True) and len(cells) != width:
        if header is not None and list(line.cells[:len(header)]) == list(header):
            return
        raise LayoutError(line, f"this row has {len(cells)} cells but the table above it has {width}: ragged rows "
                                "cannot be matched to their columns")


def find_blocks(lines: Sequence[Line]) -> list[Block]:
    """Every table in the lines: a header, then consecutive rows of the same width.

    Raises LayoutError for a table that cannot be read exactly: no header row (its
    columns cannot be named), ragged rows, or a header with the file cut off under it.
    """
    blocks: list[Block] = []
    index = 0
    count = len(lines)
    while index < count:
        if lines[index].blank:
            index += 1
            continue
        header = _header_at(lines, index)
        if header:
            names, first_row, periods = header
            block = Block(names, lines[index], start=index)
        else:
            line = lines[index]
            if line.separated:
                _check_cut_off(lines, index)
            row = _row_cells(line, None, False, in_table=False)
            if row is not None:
                following = _next_content(lines, index + 1)
                if following is not None and _row_cells(lines[following], len(row), False, True):
                    raise LayoutError(line, "a table starts here with no header row, so its columns cannot be named")
            index += 1
            continue
        width: int | None = None
        cursor: int | None = first_row
        while cursor is not None:
            line = lines[cursor]
            if width is not None and line.cells == block.header:
                cursor = _next_content(lines, cursor + 1)  # a header repeated after a page break
                continue
            cells = _row_cells(line, width, periods, in_table=True)
            group = line.group
            if cells is None and line.separated and (grouped := _grouped(_fit(line.cells, width))) and (
                    width is None or len(grouped[1]) == width):
                printed_group, cells = grouped
                if printed_group:
                    group = printed_group
                elif is_total_label(cells[0]):
                    group = None  # a Total spanning the group and label columns belongs to no group
                else:
                    group = block.groups[-1] if block.groups else None  # merged cell: the group goes on
                if block.header and len(block.header) == len(line.cells):
                    block.header = block.header[1:]  # the group column's header names the grouping
            if cells is None:
                if width is not None:
                    _check_ragged(line, width, block.header)
                break
            if width is None and len(block.header or ()) not in (len(cells), len(cells) - 1):
                raise LayoutError(line, f"this row has {len(cells)} cells but the header above it names "
                                        f"{len(block.header or ())} columns")
            width = len(cells)
            block.rows.append((line, cells))
            block.groups.append(group)
            block.end = cursor
            cursor += 1
            if cursor >= count or lines[cursor].blank:  # else the next row follows at once, as usual
                cursor = _next_content(lines, cursor)
        blocks.append(block)
        index = block.end + 1
    return blocks


def title_candidates(lines: Sequence[Line], start: int, stop: int) -> list[Located]:
    """The last two short, title-like lines between the previous table and this one (nearest
    last): the title, and the line above it in case the nearest only words an outcome."""
    found: list[Located] = []
    for index in range(stop - 1, start - 1, -1):
        line = lines[index]
        text = line.text.strip()
        if text and len(text) <= _TITLE_MAX_CHARS and not text.lower().startswith(("http", "[http", "www.")):
            found.insert(0, Located(" ".join(c for c in line.cells if c) or text, line.line, line.location))
            if len(found) == 2:
                break
    return found


def _outcome_rows(block: Block, title_outcome: str | None) -> bool:
    """Is each row of the table an outcome (an outcome mix), rather than an offence or a period?"""
    if title_outcome is not None:
        return False
    if block.header and _OUTCOME_HEADER.search(block.header[0]):
        return True
    labels = [cells[0] for _, cells in block.rows if not is_total_label(cells[0])]
    named = sum(1 for label in labels if _row_outcome(label, False)[0] is not None)
    return bool(labels) and named * 2 >= len(labels) and named >= 2


@lru_cache(maxsize=4096)  # row labels repeat from table to table and file to file
def _row_outcome(label: str, outcome_rows: bool) -> tuple[str | None, str, str | None]:
    """(outcome code, label without its code prefix, code named by the wording) of a row label."""
    prefix = split_code_prefix(label)
    if prefix:
        code, separator, rest = prefix
        code = normalise_outcome_code(code)
        by_wording = outcome_from_wording(rest)
        if code in known_outcome_codes() and (separator in (":", "OC") or outcome_rows or by_wording == code):
            return code, rest, by_wording
    return outcome_from_wording(label), label, None


def describe_table(number: int, block: Block, candidates: Sequence[Located]) -> TableInfo:
    """Title and outcome of a table from the lines above it.

    The title is the last short line above the header; if that line only names an
    outcome in words ("Further Investigation not in the Public Interest - Police
    decision"), it is the line under the title and the title is the one before it.
    """
    title = candidates[-1] if candidates else None
    wording_line = None
    if (title is not None and len(candidates) > 1 and outcome_from_wording(title.text)
            and not outcome_from_number(title.text)):
        wording_line, title = title, candidates[-2]
    named = [c for c in (title, wording_line) if c is not None]
    by_number = next((Located(code, c.line, c.location) for c in named if (code := outcome_from_number(c.text))),
                     None)
    by_wording, wording_text = None, None
    for line in reversed(named):
        code = outcome_from_wording(line.text)
        if code:
            by_wording, wording_text = Located(code, line.line, line.location), line.text
            break
    info = TableInfo(
        number=number, title=title, header=tuple(block.header or ()),
        first_line=block.start, last_line=block.end,
        outcome_by_number=by_number, outcome_by_wording=by_wording, outcome_wording=wording_text,
    )
    if _outcome_rows(block, info.outcome_code):
        info = replace(info, row_dimension="outcome")
    return info


def _column_labels(header: Sequence[str], width: int) -> list[str | None]:
    """Labels of a row's value cells; a header may or may not label the row-label column."""
    if len(header) == width:
        return list(header[1:])
    if len(header) == width - 1:
        return list(header)
    return [None] * (width - 1)


def table_records(info: TableInfo, block: Block, source: str, metadata: Metadata) -> tuple[list[dict], list[Finding]]:
    """One record per value cell of the table, and any finding about a row's outcome."""
    records, findings = [], []
    title = info.title.text if info.title else None
    title_text = title or ""
    number, table_outcome = info.number, info.outcome_code
    outcome_rows = info.row_dimension == "outcome"
    table_offence = None if not outcome_rows else offence_code_for_label(title_text)
    force, start, end = metadata.value("force"), metadata.value("period_start"), metadata.value("period_end")
    basis, unit = metadata.value("date_basis"), metadata.value("unit")
    column_cache: dict[int, tuple[list[str | None], list[bool]]] = {}  # row width -> labels, total columns
    for (line, cells), group in zip(block.rows, block.groups):
        width = len(cells)
        if width not in column_cache:
            labels = _column_labels(block.header or [], width)
            column_cache[width] = labels, [
                label is not None and len(labels) > 1 and is_total_label(label) for label in labels]
        labels, total_columns = column_cache[width]
        row_label = cells[0]
        total_row = is_total_label(row_label)
        outcome = table_outcome
        if outcome_rows and not total_row:
            outcome, row_label, by_wording = _row_outcome(row_label, True)
            if outcome and by_wording and by_wording != outcome:
                findings.append(Finding(
                    "outcome-number-wording", "error", source, line.line,
                    f"row {cells[0]!r}: code {outcome} but the wording is outcome {by_wording}",
                    outcome, by_wording, line.location))
        offence = table_offence if outcome_rows or total_row else (
            offence_code_for_label(row_label, title_text) or offence_code_for_label(group or "", title_text))
        # Value cells are the tail of the printed cells, unless the row was split from raw text:
        # then each is placed at the line, not at a cell.
        printed = line.cells
        per_cell = (printed is cells or printed[1 - width:] == cells[1:]) and bool(
            line.cell_lines or line.cell_locations)
        offset = len(printed) - width
        row_outcome = None if total_row and outcome_rows else outcome
        for k in range(1, width):
            value = parse_value(cells[k])
            records.append({
                "source": source,
                "force": force,
                "period_start": start,
                "period_end": end,
                "date_basis": basis,
                "unit": unit,
                "table": number,
                "table_title": title,
                "row_group": group,
                "row_label": row_label,
                "column_label": labels[k - 1],
                "offence_code": offence,
                "outcome_code": row_outcome,
                "count": value.count,
                "marker": value.marker,
                "kind": "total" if total_row or total_columns[k - 1] else "figure",
                "line": line.cell_line(k + offset) if per_cell else line.line,
                "location": line.cell_location(k + offset) if per_cell else line.location,
                "corrected_from": None,  # set by fosi.corrections where a reviewed correction applies
            })
    return records, findings
