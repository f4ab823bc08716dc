"""GUIDE §3 kind 3: web tables copied as text, one cell per line, each ending in ' |'.

A bare '|' is an empty cell; '---|---|' rules, when present, give the number of
columns; otherwise the column count is the smallest one under which every column
holds only text or only numbers. Columns empty in every row and spacer rows are
dropped; a merged label printed once is carried down to the rows below it. The
result is ordinary Lines (one per table row), each cell keeping the line it was
printed on, for the shared table finder.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from fosi.readers.cells import is_total_label, is_value
from fosi.readers.lines import Line

_RULE = re.compile(r"^\s*\|?\s*(?::?-{3,}:?\s*\|\s*)+(?::?-{3,}:?\s*)?$")
_MAX_COLUMNS = 16


def is_pipe_line(text: str) -> bool:
    stripped = text.strip()
    return stripped.endswith("|") or ("---" in stripped and bool(_RULE.match(stripped)))


def _cells_of(text: str) -> list[str]:
    stripped = text.strip()
    if stripped.startswith("|") and len(stripped) > 1:
        stripped = stripped[1:]
    return [cell.strip() for cell in stripped[:-1].split("|")] if stripped.endswith("|") else [stripped]


def _pure(rows: Sequence[Sequence[tuple[str, int]]]) -> bool:
    """Every column holds only text or only numbers (blanks fit either), and one holds numbers."""
    body = rows[1:] if len(rows) > 1 else rows
    any_values = False
    for column in range(len(rows[0])):
        kinds = {is_value(row[column][0]) for row in body if row[column][0]}
        if len(kinds) > 1:
            return False
        any_values |= kinds == {True}
    return any_values


def _chunk(tokens: list[tuple[str, int]], width: int) -> list[list[tuple[str, int]]]:
    return [tokens[k:k + width] for k in range(0, len(tokens), width)]


def _infer_rows(tokens: list[tuple[str, int]]) -> list[list[tuple[str, int]]]:
    while tokens and not tokens[-1][0]:
        tokens = tokens[:-1]
    for width in range(2, min(_MAX_COLUMNS, len(tokens)) + 1):
        for padded in (tokens, tokens + [("", tokens[-1][1])] * (-len(tokens) % width)):
            if len(padded) % width == 0 and _pure(rows := _chunk(padded, width)):
                return rows
    # No consistent width: take each bare '|' as a row break.
    rows, current = [], []
    for token in tokens:
        if token[0]:
            current.append(token)
        elif current:
            rows.append(current)
            current = []
    return rows + ([current] if current else [])


def _region_rows(region: Sequence[Line]) -> list[Line]:
    tokens: list[tuple[str, int]] = []
    rule_width = None
    header_tokens = None
    whole_rows: list[list[tuple[str, int]]] = []
    single_cell_lines = 0
    for line in region:
        if line.blank:
            continue
        if _RULE.match(line.text.strip()):
            rule_width = len([part for part in line.text.strip().strip("|").split("|") if "-" in part])
            header_tokens = len(tokens)
            continue
        cells = _cells_of(line.text)
        if len(cells) > 1:
            whole_rows.append([(c, line.line or 0) for c in cells])
        else:
            single_cell_lines += 1
        tokens.extend((c, line.line or 0) for c in cells)
    if whole_rows and not single_cell_lines:
        rows = whole_rows  # markdown style: one row per line
    elif rule_width and header_tokens is not None and header_tokens % rule_width == 0:
        rows = _chunk(tokens[:header_tokens], rule_width) + _infer_rows_fixed(tokens[header_tokens:], rule_width)
    else:
        rows = _infer_rows(tokens)
    return _to_lines(rows)


def _infer_rows_fixed(tokens: list[tuple[str, int]], width: int) -> list[list[tuple[str, int]]]:
    while tokens and not tokens[-1][0] and len(tokens) % width:
        tokens = tokens[:-1]
    return _chunk(tokens, width)


def _to_lines(rows: list[list[tuple[str, int]]]) -> list[Line]:
    if not rows:
        return []
    width = max(len(r) for r in rows)
    rows = [r + [("", r[-1][1])] * (width - len(r)) for r in rows]
    keep = [c for c in range(width) if any(row[c][0] for row in rows)]
    rows = [[row[c] for c in keep] for row in rows if any(row[c][0] for c in keep)]
    text_columns = [c for c in range(len(keep)) if all(not is_value(row[c][0]) for row in rows[1:] if row[c][0])]
    # Two label columns: the first is a group (a merged cell), carried down to the rows below.
    grouped = len(text_columns) >= 2 and text_columns[:2] == [0, 1] and len(keep) >= 3
    lines, group = [], None
    for index, row in enumerate(rows):
        cells = [text for text, _ in row]
        numbers = [number for _, number in row]
        if grouped and index > 0 and cells[0] and not cells[1] and is_total_label(cells[0]):
            cells, numbers = [cells[0], *cells[2:]], [numbers[0], *numbers[2:]]  # a Total row spans both
            group = None
        elif grouped and index > 0:
            group = cells[0] or group
            cells, numbers = cells[1:], numbers[1:]
        elif grouped:
            cells, numbers = cells[1:], numbers[1:]  # the header's group column names the grouping
        line_number = next((n for t, n in zip(cells, numbers) if t), numbers[0])
        lines.append(Line(cells, " | ".join(cells), line_number, str(line_number), separated=True,
                          cell_lines=numbers, group=group if grouped and index > 0 and group else None))
    return lines


def convert(lines: Sequence[Line]) -> list[Line]:
    """The same lines, with every run of pipe-table lines replaced by one Line per table row."""
    result: list[Line] = []
    index = 0
    while index < len(lines):
        end = index
        while end < len(lines) and (is_pipe_line(lines[end].text) or (
                lines[end].blank and end + 1 < len(lines) and end > index and is_pipe_line(lines[end + 1].text))):
            end += 1
        if end - index >= 2:
            result.extend(_region_rows(lines[index:end]))
            index = end
        else:
            result.append(lines[index])
            index += 1
    return result
