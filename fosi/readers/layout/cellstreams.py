"""Tables printed one cell per line: web tables copied as text (GUIDE §3 kind 3).

Two forms: cells each ending in ' |' (a bare '|' is an empty cell; '---|---|' rules
mark the header), and cells each on a line or paragraph of their own, with no pipes (a
line holding only a non-breaking space is an empty cell). Either way the cells arrive
as one stream, and the rows have to be found again: the stream is cut into rows of
the width under which every column holds only labels or only values (blanks fit
either), after an optional header row (with or without its corner cell) and, for
streams without pipes, after any title lines before it. A rule's column count is tried
first, but it is a hint, not the truth. When no width fits, bare '|' cells that start
every row are taken as row breaks. Columns empty in every row and spacer rows are
dropped; a merged label printed once is carried down to the rows below it.

The result is ordinary Lines (one per table row), each cell keeping the line it was
printed on, for the shared table finder.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from fosi.readers.layout.cells import is_period_label, is_total_label, is_value
from fosi.readers.layout.lines import Line

_RULE = re.compile(r"^\s*\|?\s*(?::?-{3,}:?\s*\|\s*)+(?::?-{3,}:?\s*)?$")
_MAX_COLUMNS = 16
_MAX_TITLE_CELLS = 3  # cells before a stream's header that may be its title lines
# A cell on a line of its own is short: a label, a header or a value, not a sentence.
_MAX_CELL_CHARS = 80


# A line holding one value alone (a count, a marker, an empty cell's non-breaking space): the sign,
# in a whole text, of a table printed one cell per line.
# Searched in "\n" + text: a literal "\n" first lets the search skip to line starts quickly.
LONE_CELL = re.compile(r"\n[ \t\u00a0]*(?:[0-9][0-9,]*|\*+|<\s?[0-9]+|-|–|n/a|N/A|\[[a-z]\]|\u00a0+)[ \t\u00a0]*"
                       r"(?:\r?\n|\r|$)")


@dataclass(frozen=True, slots=True)
class Token:
    text: str  # the cell as printed ("" for an empty cell)
    line: int  # 1-based line it is printed on


def is_pipe_line(text: str) -> bool:
    stripped = text.strip()
    return stripped.endswith("|") or ("---" in stripped and bool(_RULE.match(stripped)))


def _cells_of(text: str, cut: bool = False) -> list[str]:
    """The cells of a line of a pipe table; ``cut``: the line is cut short, its last pipe lost."""
    stripped = text.strip()
    if stripped.startswith("|") and len(stripped) > 1:
        stripped = stripped[1:]
    if stripped.endswith("|"):
        return [cell.strip(" \u00a0") for cell in stripped[:-1].split("|")]
    return [cell.strip(" \u00a0") for cell in stripped.split("|")] if cut else [stripped]


def _is_label(text: str) -> bool:
    return not text or not is_value(text) or is_period_label(text)


@dataclass(frozen=True)
class Fit:
    """A table found in a stream of cells: where it starts, its rows (header first, if any)."""

    skip: int  # cells before it (title lines)
    header: int  # cells in its header row (0: none)
    width: int
    rows: list[list[Token]]
    used: int  # cells it takes, from the start of the stream
    labels: int = 1  # label columns (2: a group and a label)

    def score(self) -> tuple[int, int, int, bool]:
        """More cells read first; then fewer left after it; then one label column rather than a group
        (a "Grand Total" header cell is not a group over the row under it); then a header with its corner."""
        return self.used - self.skip, self.used, -self.labels, self.header == self.width


def _label_columns(first: Sequence[Token], head: Sequence[Token]) -> tuple[int, int] | None:
    """(empty leading columns, label columns) from a table's first row: a web table's leading
    empty column, then the label, or a group and a label."""
    lead = 0
    while lead < len(first) - 1 and not first[lead].text and (lead >= len(head) or not head[lead].text):
        lead += 1
    if lead >= len(first) - 1 or not first[lead].text or not _is_label(first[lead].text):
        return None
    labels = 1
    if lead + 1 < len(first) - 1 and first[lead + 1].text and not is_value(first[lead + 1].text):
        labels = 2  # a group and a label
    return lead, labels


def _periods_in_order(cells: Sequence[str]) -> bool:
    """Two or more periods one after another ("2015 2016 2017", "2019/20 2020/21"), as a header
    names its columns; two counts that happen to look like years ("1902 2072") are not."""
    if len(cells) < 2 or not all(is_period_label(c) for c in cells):
        return False
    years = [int(c[:4]) if c[:4].isdigit() else None for c in cells]
    return None in years or all(b == a + 1 for a, b in zip(years, years[1:]))


def _fit(tokens: Sequence[Token], skip: int, width: int, header: int, cut: bool, titled: bool = False) -> Fit | None:
    """The table that ``tokens[skip:]`` cut into rows of ``width`` cells (after a header of
    ``header`` cells) makes, for as many rows as every column holds only labels or only values;
    None if it makes none. ``cut``: the stream ends the text, so its last row may be short.
    ``titled``: the stream may start with title lines (cells on lines of their own, no pipes)."""
    start = skip + header
    head = list(tokens[skip:start])
    if len(tokens) - start < width:
        return None
    if header and (not all(_is_label(t.text) for t in head) or not any(t.text for t in head)):
        return None
    if titled and header and any(not t.text for t in head[1:]):
        return None  # a header leaves only its corner empty: empty lines further on are breaks between titles
    found = _label_columns(tokens[start:start + width], head if header == width else [])
    if found is None:
        return None
    lead, labels = found
    first_value = lead + labels
    rows: list[list[Token]] = []
    position = start
    while position < len(tokens):
        row = list(tokens[position:position + width])
        if len(row) < width and not (cut and position + len(row) == len(tokens)):
            break
        if any(t.text and not _is_label(t.text) for t in row[:first_value]):
            break
        if any(t.text and not is_value(t.text) for t in row[first_value:]):
            break
        if _periods_in_order([t.text for t in row[first_value:] if t.text]):
            break  # "2015 2016 2017": periods name columns, they are not a row's counts
        label_cell = row[first_value - 1].text if first_value - 1 < len(row) else ""
        if is_period_label(label_cell) and any(is_period_label(t.text) and len(t.text) == len(label_cell)
                                               for t in row[first_value:] if t.text):
            break  # "2016 | 34 | 2017": the next period starts the next row; it is not a count of this one
        label = row[first_value - 1].text if first_value - 1 < len(row) else ""
        group = row[lead].text if lead < len(row) else ""  # a cut last row may stop before its group cell
        grouped_total = labels == 2 and is_total_label(group) and not label
        carried = labels == 2 and not group and label  # a merged group goes on
        if any(t.text for t in row) and not label and not grouped_total and not carried:
            break  # values with no label
        rows.append(row)
        position += len(row)
    while rows and not any(t.text for t in rows[-1]):
        position -= len(rows.pop())  # spacer rows closing the table are not part of it
    body = [row for row in rows if any(t.text for t in row)]
    if len(body) < (1 if header else 2) or not any(t.text and is_value(t.text) for row in body
                                                  for t in row[first_value:]):
        return None
    if labels == 2 and len(body) < 2:
        return None  # a group column over a single row is no group: the first cell is a header's or a title's
    return Fit(skip, header, width, ([head] if header else []) + rows, position, labels)


def _best_fit(tokens: Sequence[Token], rule: tuple[int, int] | None, titles: bool, cut: bool) -> Fit | None:
    """The reading of the stream's first table that takes the most cells (the fewest title
    cells skipped, then the fullest header, then the narrowest, on a tie)."""
    values = [k for k, t in enumerate(tokens) if t.text and is_value(t.text) and not is_period_label(t.text)]
    if not values:
        return None
    first_value = values[0]
    best: Fit | None = None
    if rule is not None:
        before, columns = rule
        for width in (columns, columns + 1):
            if before in (width, width - 1) and (fit := _fit(tokens, 0, width, before, cut)):
                if best is None or fit.used > best.used:
                    best = fit
    for skip in range(0, min(first_value, _MAX_TITLE_CELLS + _MAX_COLUMNS) + 1 if titles else 1):
        if skip and tokens[skip - 1].text and is_value(tokens[skip - 1].text) and not is_period_label(
                tokens[skip - 1].text):
            break  # a count is never a title
        for width in range(2, min(_MAX_COLUMNS, len(tokens) - skip) + 1):
            for header in (width, width - 1, 0):
                if skip + header > first_value:
                    continue  # a header holds no counts
                fit = _fit(tokens, skip, width, header, cut, titles)
                if fit is not None and (best is None or fit.score() > best.score()):
                    best = fit
    return best


def _unlabelled_row(tokens: Sequence[Token]) -> list[Line] | None:
    """'2021/2022 |' '2022/2023 |' '2023/2024 |' then '72 |' '98 |' '107 |': the whole stream a header
    with no corner over a single row with no label. Both get their empty first cell back."""
    half = len(tokens) // 2
    if half < 2 or len(tokens) != 2 * half:
        return None
    head, row = tokens[:half], tokens[half:]
    if not all(t.text and _is_label(t.text) for t in head) or not all(
            t.text and is_value(t.text) and not is_period_label(t.text) for t in row):
        return None
    return [Line(["", *(t.text for t in part)], " | ".join(t.text for t in part), part[0].line, str(part[0].line),
                 separated=True, cell_lines=[part[0].line, *(t.line for t in part)]) for part in (head, row)]


def stream_tables(tokens: Sequence[Token], rule: tuple[int, int] | None, titles: bool, cut: bool
                  ) -> list[Fit]:
    """Every table in a stream of cells, in order; cells between them are left out."""
    fits: list[Fit] = []
    offset = 0
    while offset < len(tokens):
        fit = _best_fit(tokens[offset:], rule if offset == 0 else None, titles, cut)
        if fit is None:
            break
        fits.append(Fit(offset + fit.skip, fit.header, fit.width, fit.rows, offset + fit.used, fit.labels))
        offset += fit.used
        titles = True  # after the first table, any cells before the next one are its title
    return fits


def _row_breaks(tokens: Sequence[Token]) -> list[list[Token]]:
    """No consistent width: each bare '|' starts a new row."""
    rows: list[list[Token]] = []
    current: list[Token] = []
    for token in tokens:
        if token.text:
            current.append(token)
        elif current:
            rows.append(current)
            current = []
    return rows + ([current] if current else [])


def _ragged_lines(rows: list[list[Token]]) -> list[Line]:
    """Rows found by row breaks, each as printed: a table finder's row each (no padding)."""
    return [Line([t.text for t in row], " | ".join(t.text for t in row), row[0].line, str(row[0].line),
                 separated=True, cell_lines=[t.line for t in row]) for row in rows]


def _to_lines(rows: list[list[Token]], cut: bool, cornerless: bool = False) -> list[Line]:
    """Rows as Lines; ``cornerless``: the first row is a header printed without its corner cell."""
    if not rows:
        return []
    width = max(len(r) for r in rows)
    last_short = len(rows[-1]) < width
    padded = [r + [Token("", r[-1].line)] * (width - len(r)) for r in rows]
    if cornerless and len(rows[0]) == width - 1:
        padded[0] = [Token("", rows[0][0].line), *rows[0]]  # the missing cell is the corner, on the left
    keep = [c for c in range(width) if any(row[c].text for row in padded)]
    kept_rows = []
    for index, row in enumerate(padded):
        if any(row[c].text for c in keep):
            kept_rows.append((index, [row[c] for c in keep]))
    text_columns = [c for c in range(len(keep)) if all(_is_label(row[c].text) for _, row in kept_rows[1:])
                    and any(not is_value(row[c].text) for _, row in kept_rows[1:] if row[c].text)]
    # Two label columns: the first is a group (a merged cell), carried down to the rows below.
    grouped = len(text_columns) >= 2 and text_columns[:2] == [0, 1] and len(keep) >= 3
    lines, group = [], None
    for position, (index, row) in enumerate(kept_rows):
        cells = [t.text for t in row]
        numbers = [t.line for t in row]
        if grouped and position > 0 and cells[0] and not cells[1] and is_total_label(cells[0]):
            cells, numbers = [cells[0], *cells[2:]], [numbers[0], *numbers[2:]]  # a Total row spans both
            group = None
        elif grouped and position > 0:
            group = cells[0] or group
            cells, numbers = cells[1:], numbers[1:]
        elif grouped:
            cells, numbers = cells[1:], numbers[1:]  # the header's group column names the grouping
        printed = len(cells)
        if cut and last_short and index == len(rows) - 1:
            # The text ends inside this row: only the cells printed before the end are its own.
            printed = len(rows[-1]) - (width - len(keep)) - (1 if grouped else 0)
        line_number = next((n for t, n in zip(cells, numbers) if t), numbers[0])
        lines.append(Line(cells, " | ".join(cells), line_number, str(line_number), separated=True,
                          cell_lines=numbers, group=group if grouped and position > 0 and group else None,
                          printed_cells=printed if printed < len(cells) else None))
    return lines


def _pipe_region(region: Sequence[Line], cut: bool) -> list[Line]:
    last = region[-1]
    tokens: list[Token] = []
    rule = None
    whole_rows: list[list[Token]] = []
    single_cell_lines = 0
    for line in region:
        if line.blank:
            continue
        text = line.text.strip()
        if _RULE.match(text):
            if rule is None:
                rule = (len(tokens), len([part for part in text.strip("|").split("|") if "-" in part]))
            continue
        cells = _cells_of(line.text, cut and line is last)
        if len(cells) > 1:
            whole_rows.append([Token(c, line.line or 0) for c in cells])
        else:
            single_cell_lines += 1
        tokens.extend(Token(c, line.line or 0) for c in cells)
    if whole_rows and not single_cell_lines:
        return _to_lines(whole_rows, cut)  # markdown style: one row per line
    fits = stream_tables(tokens, rule, titles=False, cut=cut)
    if (not fits or fits[0].skip or fits[-1].used < len(tokens)) and (lone := _unlabelled_row(tokens)) is not None:
        return lone
    rest = tokens[fits[-1].used:] if fits else tokens
    if not fits or fits[0].skip or any(t.text and is_value(t.text) for t in rest):
        return _ragged_lines(_row_breaks(tokens))  # no width reads every cell: bare '|' cells break rows
    # Cells after the last table holding no value (the next table's header, cut off by the end of the
    # text; a note) are lines of their own.
    return [line for fit in fits for line in _to_lines(fit.rows, cut and fit.used == len(tokens),
                                                        fit.header == fit.width - 1)] + _ragged_lines(_row_breaks(rest))


def _is_stream_cell(line: Line) -> bool:
    """A line that can be one cell of a table printed one cell per line: short, one cell, not a sentence."""
    if line.separated or line.problem:
        return False  # its cells are known already, or another converter could not read them
    text = line.text.strip(" \t")
    if not text or text.strip("\u00a0") == "":
        return bool(text)  # a non-breaking space alone is an empty cell
    if len(text) > _MAX_CELL_CHARS or len(line.cells) > 1 or "\t" in text:
        return False
    return not text.endswith((".", ":", "?", ";")) or is_value(text) or is_total_label(text)


def _empty_paragraphs(region: Sequence[Line]) -> bool:
    """Cells in paragraphs (an empty line between each) with, somewhere, two empty lines between
    two cells."""
    gaps, current, cells = [], 0, 0
    for line in region:
        if _empty(line):
            current += 1
        else:
            if cells:
                gaps.append(current)
            cells, current = cells + 1, 0
    return bool(gaps) and sum(1 for g in gaps if g >= 1) * 2 > len(gaps) and any(g >= 2 for g in gaps)


def _stream_tokens(region: Sequence[Line]) -> list[Token]:
    """The cells of a run of one-cell lines. Cells on consecutive lines: an empty line among them
    is an empty cell. Cells in paragraphs (an empty line between each): an empty line is the break,
    and a second one an empty cell (its paragraph printed nothing)."""
    gaps = [0]
    for line in region:
        if _empty(line):
            gaps[-1] += 1
        else:
            gaps.append(0)
    inner = gaps[1:-1] or [0]
    paragraphs = sum(1 for g in inner if g >= 1) * 2 > len(inner)
    tokens: list[Token] = []
    empties = 0
    for line in region:
        if _empty(line):
            empties += 1
            continue
        if tokens:
            blanks = empties - 1 if paragraphs else empties
            tokens.extend(Token("", (line.line or 1) - 1) for _ in range(max(0, blanks)))
        empties = 0
        tokens.append(Token(line.text.strip(" \t\u00a0"), line.line or 0))
    return tokens


def _empty(line: Line) -> bool:
    return not line.text.strip(" \t")


def _grow(lines: Sequence[Line], index: int, step: int) -> int:
    """How far a run of one-cell lines goes from ``index`` in direction ``step`` (a blank line
    between cells, as between paragraphs, does not end it)."""
    count = len(lines)
    while True:
        following = index + step
        if not 0 <= following < count:
            return index
        if _is_stream_cell(lines[following]) and not _empty(lines[following]):
            index = following
        elif _empty(lines[following]) and 0 <= following + step < count and _is_stream_cell(
                lines[following + step]) and not _empty(lines[following + step]) and not _wrapped_prose(
                lines, following + step):
            index = following + step
        elif _empty(lines[following]) and 0 <= following + 2 * step < count and _empty(lines[following + step]) \
                and _is_stream_cell(lines[following + 2 * step]) and not _empty(lines[following + 2 * step]) \
                and is_value(lines[following + 2 * step].text.strip()):
            index = following + 2 * step  # an empty paragraph: an empty cell, then a value goes on
        else:
            return index


# A line this long, run on into the next line, is a wrapped sentence, not a cell.
_LONGEST_CELL_RUN_ON = 40


def _wrapped_prose(lines: Sequence[Line], index: int) -> bool:
    """Is this line the start of a paragraph wrapped over lines ("... you may ask" / "for an internal
    review ...")? Long, and followed at once by a line that is no cell of a table."""
    text = lines[index].text.strip(" \t\u00a0")
    if len(text) <= _LONGEST_CELL_RUN_ON or is_value(text) or index + 1 >= len(lines):
        return False
    after = lines[index + 1]
    return not _empty(after) and not _is_stream_cell(after)


def _stream_regions(lines: Sequence[Line]) -> list[tuple[int, int]]:
    """Runs of one-cell lines (cells on lines or paragraphs of their own) holding values: (start, end)."""
    regions = []
    index, count = 0, len(lines)
    while index < count:
        text = lines[index].text.strip(" \t\u00a0")
        if not text or not is_value(text) or not _is_stream_cell(lines[index]):
            index += 1
            continue
        start, end = _grow(lines, index, -1), _grow(lines, index, 1)
        tokens = _stream_tokens(lines[start:end + 1])
        values = [t.text for t in tokens if t.text and is_value(t.text)]
        counts = sum(1 for v in values if v[:1].isdigit() and not is_period_label(v))
        # Two values, or one count under its header ("Quarter / Offences / Q3 2023 / 1"); a marker
        # alone ("Partial / 05/10/20 / N/A") is a web page's status line, not a table.
        if len(tokens) >= 4 and (len(values) >= 2 or counts >= 1):
            regions.append((start, end))
        index = end + 1
    return regions


def convert(lines: Sequence[Line], cut: bool = False) -> list[Line]:
    """The same lines, with every table printed one cell per line replaced by one Line per row.
    ``cut``: the text ends without a line end, so a table running to the end may be cut short."""
    lines = _convert_pipes(lines, cut) if any(line.text.rstrip().endswith("|") or "---" in line.text
                                              for line in lines) else list(lines)
    # A table one cell per line has lines that hold one value alone: without any, there is none.
    if not any(len(line.cells) == 1 and not line.separated and is_value(line.cells[0]) for line in lines):
        return lines
    regions = _stream_regions(lines)
    if not regions:
        return lines
    result: list[Line] = []
    previous = 0
    for start, end in regions:
        result.extend(lines[previous:start])
        at_end = cut and all(_empty(line) for line in lines[end + 1:])
        region = lines[start:end + 1]
        if _empty_paragraphs(region):
            # An empty paragraph may be an empty cell or only a longer break: the cells cannot be placed.
            problem = ("a table printed one cell per paragraph, where an empty paragraph may be an empty cell or "
                       "only a longer break, so its cells cannot be placed in their columns")
            result.extend(line if _empty(line) else replace(line, problem=problem) for line in region)
            previous = end + 1
            continue
        tokens = _stream_tokens(region)
        after = 0  # the line after the last table read so far
        for fit in stream_tables(tokens, None, titles=True, cut=at_end):
            first = min(t.line for row in fit.rows for t in row)
            result.extend(line for line in region if after <= (line.line or 0) < first)  # titles, notes
            result.extend(_to_lines(fit.rows, at_end and fit.used == len(tokens), fit.header == fit.width - 1))
            after = max(t.line for row in fit.rows for t in row) + 1
        result.extend(line for line in region if (line.line or 0) >= after)
        previous = end + 1
    result.extend(lines[previous:])
    return result


def _convert_pipes(lines: Sequence[Line], cut: bool) -> list[Line]:
    result: list[Line] = []
    index = 0
    while index < len(lines):
        end = index
        while end < len(lines) and (is_pipe_line(lines[end].text) or (
                lines[end].blank and end + 1 < len(lines) and end > index and is_pipe_line(lines[end + 1].text))):
            end += 1
        if cut and end > index and end == len(lines) - 1 and " | " in lines[end].text:
            end += 1  # the text ends inside the table's last row, its closing pipe cut off
        if end - index >= 2:
            at_end = cut and all(_empty(line) for line in lines[end:])
            result.extend(_pipe_region(lines[index:end], at_end))
            index = end
        else:
            result.append(lines[index])
            index += 1
    return result
