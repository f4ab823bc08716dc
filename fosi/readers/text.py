"""Reader for plain-text responses of GUIDE §3 kinds 1-2.

Titled sections of ``label<TAB>count`` rows (or runs of spaces), each under a header
row and usually closed by a ``Total`` row; the section title or the line under it
names the outcome. Works on decoded text, so it is pure and needs no file.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from fosi.figures import figures_from_records
from fosi.readers.cells import is_total_label, is_value, parse_value, split_cells, split_trailing_value
from fosi.readers.decode import split_lines
from fosi.readers.metadata import detect_date_basis, detect_force, detect_period, detect_unit
from fosi.reference import offence_code_for_label, outcome_from_number, outcome_from_wording
from fosi.response import Located, Metadata, Response, TableInfo

READER = "text-sections"

# A header cell that names what the rows are, or what a column counts.
_HEADER_WORDS = re.compile(
    r"^(?:offen[cs]es?|crimes?|crime\s+(?:type|class|outcome)|outcomes?|category|description|"
    r"total|count|number|no\.?|year|month|age|sex|gender)$",
    re.IGNORECASE,
)
_YEAR = re.compile(r"^(?:19|20)\d{2}(?:/\d{2,4})?$")
# Prose longer than this is a note, never a title.
_TITLE_MAX_CHARS = 150


@dataclass
class _Block:
    header: list[str] | None
    header_line: int | None
    rows: list[tuple[int, list[str]]]  # (line number, cells)


def _is_data_row(cells: Sequence[str]) -> bool:
    return len(cells) >= 2 and bool(cells[0]) and not is_value(cells[0]) and all(is_value(c) for c in cells[1:])


def _looks_like_header(cells: Sequence[str]) -> bool:
    """A row of column names: text cells, or a dimension word followed by years."""
    if len(cells) < 2 or not cells[0] or is_value(cells[0]):
        return False
    rest = cells[1:]
    if all(c and not is_value(c) for c in rest):
        return True
    return bool(_HEADER_WORDS.match(cells[0])) and all(_YEAR.match(c) for c in rest)


def _single_spaced_header(line: str) -> list[str] | None:
    """'Offence Total' copied with one space: split off a last word that names a column."""
    words = line.strip().rsplit(" ", 1)
    if len(words) == 2 and _HEADER_WORDS.match(words[1]) and not is_value(words[0]):
        return words
    return None


def _row_cells(line: str, width: int | None, single_spaced: bool = True) -> list[str] | None:
    """The cells of a data row of the given width.

    With ``single_spaced``, a label and a number separated by one space also count
    (text copied out of a PDF); a table whose rows are split by tabs never uses that.
    """
    cells = split_cells(line)
    if _is_data_row(cells) and (width is None or len(cells) == width):
        return cells
    if single_spaced and width in (None, 2):
        split = split_trailing_value(line)
        if split and _is_data_row(split):
            return split
    return None


def _next_nonblank(lines: Sequence[str], start: int) -> int | None:
    for index in range(start, len(lines)):
        if lines[index].strip():
            return index
    return None


def find_blocks(lines: Sequence[str]) -> list[_Block]:
    """Find every table: an optional header row, then consecutive data rows."""
    blocks: list[_Block] = []
    index = 0
    while index < len(lines):
        cells = split_cells(lines[index])
        following = _next_nonblank(lines, index + 1)
        header: list[str] | None = None
        first_row = None
        if following is not None and following - index <= 2:
            candidate = cells if _looks_like_header(cells) else (
                _single_spaced_header(lines[index]) if len(cells) == 1 else None)
            if candidate and _row_cells(lines[following], None):
                header, first_row = candidate, following
        if header is None:
            tab_separated = "\t" in lines[index]
            if _is_data_row(cells) and (tab_separated or (following is not None and _row_cells(lines[following], len(cells)))):
                first_row = index
        if first_row is None:
            index += 1
            continue
        block = _Block(header, index + 1 if header else None, [])
        width: int | None = None
        # Single-spaced rows only in a table that is itself single-spaced.
        single_spaced = _is_data_row(split_cells(lines[first_row])) is False
        cursor: int | None = first_row
        while cursor is not None and cursor < len(lines):
            row = _row_cells(lines[cursor], width, single_spaced)
            if row is None:
                break
            width = len(row)
            block.rows.append((cursor + 1, row))
            after = _next_nonblank(lines, cursor + 1)
            # A blank line inside a table (common in text copied from a PDF) does not end it,
            # provided the next line is a row of the same shape.
            cursor = after if after is not None and after - cursor <= 2 else None
        blocks.append(block)
        index = block.rows[-1][0]  # resume after the last row (line numbers are 1-based)
    return blocks


def _title_candidates(lines: Sequence[str], start: int, stop: int) -> list[Located]:
    """Short, title-like lines between the previous table and this one (0-based, stop exclusive)."""
    found = []
    for index in range(start, stop):
        text = lines[index].strip()
        if text and len(text) <= _TITLE_MAX_CHARS and not text.lower().startswith(("http", "[http", "www.")):
            found.append(Located(text, index + 1))
    return found


def describe_table(number: int, block: _Block, candidates: Sequence[Located]) -> TableInfo:
    """Title and outcome of a table from the lines above it.

    The title is the last short line above the header; if that line only names an
    outcome in words ("Further Investigation not in the Public Interest - Police
    decision"), it is the line under the title and the title is the one before it.
    """
    title = candidates[-1] if candidates else None
    wording_line = None
    if title is not None and outcome_from_wording(title.text) and not outcome_from_number(title.text) and len(candidates) > 1:
        wording_line, title = title, candidates[-2]
    named = [c for c in (title, wording_line) if c is not None]
    by_number = next((Located(code, c.line) for c in named if (code := outcome_from_number(c.text))), None)
    by_wording = None
    wording_text = None
    for line in reversed(named):
        code = outcome_from_wording(line.text)
        if code:
            by_wording, wording_text = Located(code, line.line), line.text
            break
    return TableInfo(
        number=number,
        title=title,
        header=tuple(block.header or ()),
        header_line=block.header_line,
        first_line=block.header_line or block.rows[0][0],
        last_line=block.rows[-1][0],
        outcome_by_number=by_number,
        outcome_by_wording=by_wording,
        outcome_wording=wording_text,
    )


def _column_labels(header: Sequence[str], width: int) -> list[str | None]:
    """Labels of a row's value cells; a header may or may not label the row-label column."""
    if len(header) == width:
        return list(header[1:])
    if len(header) == width - 1:
        return list(header)
    return [None] * (width - 1)


def table_records(info: TableInfo, block: _Block, source: str) -> list[dict]:
    records = []
    title = info.title.text if info.title else None
    for line, cells in block.rows:
        labels = _column_labels(block.header or [], len(cells))
        row_label = cells[0]
        total_row = is_total_label(row_label)
        for column_label, cell in zip(labels, cells[1:]):
            value = parse_value(cell)
            total_column = column_label is not None and len(labels) > 1 and is_total_label(column_label)
            records.append({
                "source": source,
                "table": info.number,
                "table_title": title,
                "row_label": row_label,
                "column_label": column_label,
                "offence_code": None if total_row else offence_code_for_label(row_label, title or ""),
                "outcome_code": info.outcome_code,
                "count": value.count,
                "marker": value.marker,
                "kind": "total" if (total_row or total_column) else "figure",
                "line": line,
            })
    return records


def _notes(lines: Sequence[str], table_lines: set[int], titles: set[int]) -> list[Located]:
    """The response's own prose (notes and caveats): sentences outside tables and titles."""
    notes = []
    for number, line in enumerate(lines, start=1):
        text = line.strip()
        if number in table_lines or number in titles or len(text.split()) < 8:
            continue
        if text.lower().startswith(("http", "[http")):
            continue
        notes.append(Located(text, number))
    return notes


def apply_metadata(figures: pd.DataFrame, metadata: Metadata) -> pd.DataFrame:
    """Broadcast the response-level metadata onto each of its figures."""
    figures = figures.copy()
    for column in ("force", "period_start", "period_end", "date_basis", "unit"):
        figures[column] = pd.Series([metadata.value(column)] * len(figures), dtype="string", index=figures.index)
    return figures


def read_sections(text: str, source: str) -> Response:
    """Read a plain-text response of titled ``label / count`` sections."""
    lines = split_lines(text)
    blocks = find_blocks(lines)
    tables: list[TableInfo] = []
    records: list[dict] = []
    previous_end = 0
    for number, block in enumerate(blocks, start=1):
        start = (block.header_line or block.rows[0][0]) - 1
        info = describe_table(number, block, _title_candidates(lines, previous_end, start))
        tables.append(info)
        records.extend(table_records(info, block, source))
        previous_end = block.rows[-1][0]

    period = detect_period(lines)
    titles = [t.title for t in tables if t.title is not None]
    metadata = Metadata(
        force=detect_force(lines),
        period_start=period[0] if period else None,
        period_end=period[1] if period else None,
        date_basis=detect_date_basis(lines),
        unit=detect_unit(titles),
    )
    table_lines = {line for t in tables for line in range(t.first_line, t.last_line + 1)}
    title_lines = {t.title.line for t in tables if t.title} | {
        t.outcome_by_wording.line for t in tables if t.outcome_by_wording}
    figures = apply_metadata(figures_from_records(records), metadata)
    return Response(
        source=source,
        reader=READER,
        kind="table" if records else "no table found",
        metadata=metadata,
        figures=figures,
        tables=tuple(tables),
        notes=tuple(_notes(lines, table_lines, title_lines)),
    )
