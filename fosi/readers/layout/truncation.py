"""A response that ends inside a table: its last figures may be cut off.

Copied excerpts and damaged files end mid-table. Two signs are read: the text ends with
no line end straight after a value (so that value may itself be cut: "13" of "139"),
and a table that runs to the end of the text without the Total row that the response's
other tables close with. Either gives a ``table-truncated`` warning at the table's last
line; a value that may be cut is not read (never a wrong number).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from fosi.model.findings import Finding
from fosi.readers.layout.cells import is_period_label, is_total_label, is_value
from fosi.readers.layout.inference import Table
from fosi.readers.layout.lines import Line


@dataclass
class Truncation:
    records: list[dict]
    findings: list[Finding]


def _runs_to_end(lines: Sequence[Line], table: Table) -> bool:
    return all(line.blank for line in lines[table.end + 1:])


def _header_at_end(lines: Sequence[Line], tables: Sequence[Table], ends_cut: str | None) -> Line | None:
    """The last line, when it names columns and nothing follows it: a table cut off under its header."""
    last = next((line for line in reversed(lines) if not line.blank), None)
    if last is None or (tables and lines[tables[-1].end] is last):
        return None
    cells = [c for c in last.cells if c]
    if len(cells) < 2 or any(is_value(c) and not is_period_label(c) for c in cells):
        return None
    return last if last.separated or ends_cut is not None else None


def check_truncation(lines: Sequence[Line], tables: Sequence[Table], records: list[dict], ends_cut: str | None,
                     source: str) -> Truncation:
    header = _header_at_end(lines, tables, ends_cut)
    if header is not None:
        return Truncation(records, [Finding(
            "table-truncated", "warning", source, header.line,
            "the text ends under this header: the table below it is cut off, and none of its figures could be read",
            None, None, header.location)])
    if not tables or not _runs_to_end(lines, tables[-1]):
        return Truncation(records, [])
    last = tables[-1]
    line = lines[last.end]
    final = next((line for line in reversed(lines) if not line.blank), None)
    cell = [c for c in last.rows[-1].cells if c is not None][-1]
    # The text stops right after the value (no line end, nothing printed after it): it may be cut.
    if ends_cut is not None and final is not None and cell.line == final.line and ends_cut.rstrip(
            " \t").endswith(cell.text):
        last_record = records[-1]  # the last table's records come last, its last cell last of all
        assert last_record["location"] == cell.location
        return Truncation(records[:-1], [Finding(
            "table-truncated", "warning", source, line.line,
            f"the text ends inside table {len(tables)}, straight after the value {cell.text!r}: the value may be "
            "cut short, so it is not read, and rows after it may be missing", None, cell.text, line.location)])
    closed = [t for t in tables[:-1] if is_total_label(t.rows[-1].label)]
    if closed and not is_total_label(last.rows[-1].label):
        return Truncation(records, [Finding(
            "table-truncated", "warning", source, line.line,
            f"table {len(tables)} runs to the end of the text without the Total row that the response's other "
            "tables close with: rows may be missing", None, None, line.location)])
    return Truncation(records, [])


def cut_fragment(lines: Sequence[Line]) -> int | None:
    """Where the text is cut: the index of a last line of one word or number right under a printed
    line ("20" where "2018/19 ..." was cut), a fragment that is no cell of any table and no guide to
    a table's shape; None when the last line is not such a fragment."""
    last = next((k for k in range(len(lines) - 1, -1, -1) if not lines[k].blank), None)
    if last is None or last == 0 or lines[last - 1].blank or lines[last].separated \
            or len(lines[last].text.split()) != 1:
        return None
    return last
