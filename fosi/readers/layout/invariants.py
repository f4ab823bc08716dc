"""Four things every reading must hold, checked on every reply after it is read. A broken one is an
error finding at its line, so a wrong reading can never pass `fosi validate` in silence:

(a) no two figures of a reply share every label (table title, row group, row, column group, column):
    two such figures cannot be told apart, so at least one of them is at a wrong label;
(b) a number is the request's only inside the quoted request (under a request heading, or on a line
    that asks), never after the reply's own words begin;
(c) explicit cell boundaries (tabs, pipes, a web page's or an office file's cells) are never overruled
    by inference: every figure read from such a line is one of its cells, as printed;
(d) a count is never metadata because of what it is glued to ("Making/Taking26" is no reference).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from fosi.model.findings import Finding
from fosi.readers.layout.accounting import (
    NumberRole,
    glued_count,
    is_reply_line,
    is_request_line,
    starts_request,
)
from fosi.readers.layout.inference import Table
from fosi.readers.layout.lines import Line

# Metadata reasons that come from what a number is printed against, not from the number itself.
_BY_NEIGHBOURS = ("a reference or code", "part of a word", "a reference")


def shared_labels(records: Sequence[dict], source: str) -> list[Finding]:
    """(a) A figure whose every label another figure of the reply has too."""
    first: dict[tuple, dict] = {}
    findings = []
    flagged: set[int] = set()  # the first figure of each shared key, once put in doubt with the second
    for record in records:
        if record["kind"] not in ("figure", "total"):
            continue
        key = (record["table_title"], record["row_group"], record["row_label"], record["column_group"],
               record["column_label"])
        earlier = first.setdefault(key, record)
        if earlier is record:
            continue
        pairs = [(record, earlier)] if id(earlier) in flagged else [(earlier, record), (record, earlier)]
        flagged.add(id(earlier))
        for this, other in pairs:  # each figure in doubt at its own place, so neither is used
            column = " / ".join(p for p in (this["column_group"], this["column_label"]) if p) or "no column name"
            findings.append(Finding(
                "figure-labels-shared", "error", source, this["line"],
                f"table {this['table']}: row {this['row_label']!r}, {column}, has the same title, row and column "
                f"as the figure at {other['location']} (table {other['table']}): nothing printed tells them "
                "apart, so neither is used; a sidecar reading hint can name the tables",
                None, None, this["location"], this["table"]))
    return findings


def _labels(record: dict) -> tuple:
    return (record["table_title"], record["row_group"], record["row_label"], record["column_group"],
            record["column_label"])


_DECIMAL_AMOUNT = re.compile(r"^-?[£$€]?\s*(?:\d{1,3}(?:,\d{3})+|\d+)\.\d+$")


def refuse_decimal_columns(records: list[dict], source: str) -> tuple[list[dict], list[Finding]]:
    """A column with two or more decimals (17873.71, 14149.71), or one with a currency sign, holds
    amounts, rates or averages, not counts: none of its cells is read as a count, and a
    table-not-read error at its first decimal says why (a whole number among them, 13539 beside
    17873.71, is an amount too). One decimal among counts is a count printed wrong: validation
    reports it (count-invalid)."""
    found: dict[tuple, list[dict]] = {}
    for record in records:
        marker = str(record["marker"] or "").strip()
        if record["kind"] in ("figure", "total") and record["count"] is None and _DECIMAL_AMOUNT.match(marker):
            found.setdefault((record["table"], record["column_group"], record["column_label"]), []).append(record)
    decimal = {key: cells[0] for key, cells in found.items()
               if len(cells) >= 2 or any(c in str(cells[0]["marker"]) for c in "£$€")}
    if not decimal:
        return records, []
    kept = [r for r in records if r["kind"] not in ("figure", "total")
            or (r["table"], r["column_group"], r["column_label"]) not in decimal]
    findings = []
    for (table, group, column), first in decimal.items():
        name = " / ".join(str(p) for p in (group, column) if p) or "its one column"
        findings.append(Finding(
            "table-not-read", "error", source, first["line"],
            f"a table here was not read: {name} holds decimals ({str(first['marker']).strip()}): amounts, rates or "
            "averages, not counts", None, str(first["marker"]).strip(), first["location"], table))
    return kept, findings


def refuse_shared_labels(records: list[dict], source: str) -> tuple[list[dict], list[Finding]]:
    """Figures that share every label with another figure of the reply are a wrong read by definition:
    nothing printed tells them apart (a row label printed twice, untitled tables repeating one header,
    lists each under a question the request asked). They are not read; a table-not-read error at the
    first of them in each table says why. (What no title, question or label tells apart is refused,
    never guessed.)"""
    counted: dict[tuple, int] = {}
    for record in records:
        if record["kind"] in ("figure", "total"):
            counted[_labels(record)] = counted.get(_labels(record), 0) + 1
    if all(n == 1 for n in counted.values()):
        return records, []  # the common case
    kept, findings = [], []
    previous_refused: dict[object, bool] = {}  # per table: was its last figure refused?
    for record in records:
        if record["kind"] not in ("figure", "total") or counted[_labels(record)] == 1:
            kept.append(record)
            previous_refused[record["table"]] = False
            continue
        if not previous_refused.get(record["table"]):  # the first of each run of refused figures
            previous_refused[record["table"]] = True
            shared = sum(1 for r in records if r["table"] == record["table"] and r["kind"] in ("figure", "total")
                         and counted[_labels(r)] > 1)
            findings.append(Finding(
                "table-not-read", "error", source, record["line"],
                f"a table here was not read: {shared} of its figures have the same title, row and column as other "
                "figures of this reply, and nothing printed tells them apart; a sidecar reading hint can name the "
                "tables", None, str(shared), record["location"], record["table"]))
    return kept, findings


def request_after_reply(lines: Sequence[Line], roles: Sequence[str], numbers: Sequence[NumberRole],
                        source: str) -> list[Finding]:
    """(b) A number taken for the request's words where the request is no longer quoted: after the
    reply's own words (or a table) begin, on a line that does not ask, with no request heading since."""
    asked = {n.index for n in numbers if n.role == "request"}
    if not asked:
        return []
    findings = []
    quoted = False
    for index, line in enumerate(lines):
        if line.blank:
            continue
        text = line.text
        if starts_request(text):
            quoted = True
        elif is_reply_line(text) or roles[index] in ("row", "total", "header"):
            quoted = False
        if index in asked and not quoted and not is_request_line(text):
            shown = ", ".join(n.text for n in numbers if n.index == index and n.role == "request")
            findings.append(Finding(
                "request-outside-request", "error", source, line.line,
                f"{shown}: taken for the request's words after the reply's own words began; the request is "
                "quoted only under its heading or in a question", None, None, line.location))
    return findings


def cells_overruled(lines: Sequence[Line], tables: Sequence[Table], source: str) -> list[Finding]:
    """(c) A figure read from a line of explicit cells that is not one of its cells as printed."""
    findings = []
    for number, table in enumerate(tables, start=1):
        for row in table.rows:
            line = lines[row.index]
            if not line.separated:
                continue
            printed = set(line.cells)
            for cell in row.cells:
                if cell is not None and cell.text not in printed:
                    findings.append(Finding(
                        "cells-overruled", "error", source, cell.line,
                        f"table {number}: {cell.text!r} is not one of the cells printed on this line: its cells "
                        "were split or joined by inference against the file's own separators",
                        None, cell.text, cell.location, number))
    return findings


def glued_metadata(lines: Sequence[Line], numbers: Sequence[NumberRole], source: str) -> list[Finding]:
    """(d) A count taken for metadata because of the word it is glued to."""
    findings = []
    for number in numbers:
        if number.role != "metadata" or number.reason not in _BY_NEIGHBOURS:
            continue
        text = lines[number.index].text
        left = text.rfind(" ", 0, number.start) + 1
        right = text.find(" ", number.end)
        token = text[left:len(text) if right < 0 else right].strip(".,;:()[]")
        if token.endswith(number.text) and glued_count(token):
            line = lines[number.index]
            findings.append(Finding(
                "count-taken-for-metadata", "error", source, line.line,
                f"{number.text} in {token!r} was taken for {number.reason} because of what it is glued to; a count "
                "glued to its label is a count", None, number.text, line.location))
    return findings


def check_invariants(lines: Sequence[Line], tables: Sequence[Table], records: Sequence[dict], roles: Sequence[str],
                     numbers: Sequence[NumberRole], source: str) -> list[Finding]:
    """Every broken invariant of one reading, as error findings at their lines."""
    return [*shared_labels(records, source), *request_after_reply(lines, roles, numbers, source),
            *cells_overruled(lines, tables, source), *glued_metadata(lines, numbers, source)]
