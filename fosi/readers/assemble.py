"""From Lines to a Response: find the tables, read the metadata, make the figure records.

Every reader ends here, so a figure from a letter, a web page, a spreadsheet or a PDF
is found, titled and described by the same rules.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from fosi.readers.lines import Line
from fosi.readers.metadata import (
    classify_without_table, date_basis_statements, detect_force, detect_period, detect_unit, table_date_basis,
)
from fosi.errors import InputError
from fosi.readers.tables import LayoutError, title_candidates, describe_table, find_blocks, table_records
from fosi.response import Located, Metadata, Response

# Prose shorter than this many words is a heading or a label, not a note.
_NOTE_MIN_WORDS = 8


def _notes(lines: Sequence[Line], used: set[int]) -> list[Located]:
    """The response's own prose (notes and caveats): sentences outside tables and titles."""
    notes = []
    # Fewer characters than this cannot make _NOTE_MIN_WORDS words: a blank, a label, a row.
    shortest = 2 * _NOTE_MIN_WORDS - 1
    for index, line in enumerate(lines):
        if len(line.text) < shortest or index in used:
            continue
        text = line.text.strip()
        if len(text.split()) < _NOTE_MIN_WORDS or text.lower().startswith(("http", "[http")):
            continue
        notes.append(Located(text, line.line, line.location))
    return notes


def assemble(lines: Sequence[Line], source: str, reader: str) -> Response:
    try:
        blocks = find_blocks(lines)
    except LayoutError as error:
        raise InputError(source, error.problem, error.line.line, error.line.location) from None
    tables = []
    previous_end = 0
    bases = date_basis_statements(lines) if blocks else []
    for number, block in enumerate(blocks, start=1):
        info = describe_table(number, block, title_candidates(lines, previous_end, block.start))
        below = range(block.end + 1, len(lines)) if number == len(blocks) else range(0)
        own = table_date_basis(bases, range(previous_end, block.start), below) if bases else None
        tables.append(info if own is None else replace(info, date_basis=own))
        previous_end = block.end + 1

    period = detect_period(lines)
    titles = [t.title for t in tables if t.title is not None]
    headers = [Located(b.header[0], b.header_line.line, b.header_line.location)
               for b in blocks if b.header and b.header_line is not None]
    metadata = Metadata(
        force=detect_force(lines),
        period_start=period[0] if period else None,
        period_end=period[1] if period else None,
        date_basis=bases[0][1] if bases else None,
        unit=detect_unit(titles, headers, lines) if blocks else None,
    )
    records, findings = [], []
    for info, block in zip(tables, blocks):
        # A table that states its own date basis carries it on its figures; the rest, the response's.
        own = info.date_basis
        stated = metadata if own is None or own == metadata.date_basis else replace(metadata, date_basis=own)
        table_rows, table_findings = table_records(info, block, source, stated)
        records.extend(table_rows)
        findings.extend(table_findings)

    used = {i for b in blocks for i in range(b.start, b.end + 1)}
    title_keys = {(t.title.line, t.title.location) for t in tables if t.title} | {
        (t.outcome_by_wording.line, t.outcome_by_wording.location) for t in tables if t.outcome_by_wording}
    used |= {i for i, line in enumerate(lines) if (line.line, line.location) in title_keys}
    kind = "table" if records else classify_without_table(lines)
    return Response(
        source=source, reader=reader, kind=kind, metadata=metadata, records=tuple(records),
        tables=tuple(tables), notes=tuple(_notes(lines, used)), findings=tuple(findings),
    )
