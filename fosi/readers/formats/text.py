"""Reader for plain-text responses: GUIDE §3 kinds 1-6, 9 and 10.

Letters and pages saved as text: titled sections of ``label<TAB>count`` rows (or runs
of spaces, or single spaces from a PDF copy), web tables copied one cell per line,
grids of outcomes or offences against years or other columns, whitespace-aligned
grids, and answers with no table at all. Works on decoded text, so it needs no file.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from fosi.errors import InputError
from fosi.model.response import Response
from fosi.readers.formats.decode import needs_repair, repair_mojibake, split_lines
from fosi.readers.layout import answers, cellstreams, flattened, glued, separators
from fosi.readers.layout.assemble import assemble
from fosi.readers.layout.lines import Line, text_lines
from fosi.readers.layout.truncation import cut_fragment

if TYPE_CHECKING:
    from fosi.readers.layout.hints import ReadingHints

READER = "text"
_NUMBERED_ANSWER = re.compile(r"^\s*\d{1,2}[.)]\s+\d", re.MULTILINE)


def read_text(text: str, source: str, hints: tuple[ReadingHints, str] | None = None) -> Response:
    """A plain-text response; ``hints``: a sidecar's reading hints and the sidecar's name."""
    raw_lines = split_lines(text)
    if needs_repair(text):
        raw_lines = [repair_mojibake(line) for line in raw_lines]
    lines = text_lines(raw_lines)
    if hints is not None:
        from fosi.readers.layout.hints import apply_hints

        lines = apply_hints(lines, *hints)  # the hinted tables as explicit cells, before any inference
    # No line end after the last line: the text may be an excerpt cut short mid-line.
    cut = not text.endswith(("\n", "\r"))
    # A last line cut to one word or number (truncation.cut_fragment) is no cell of any table:
    # kept aside from the layouts below, then given back as a line of its own (assemble reports
    # its numbers as not read).
    fragment = None
    if cut and lines and cut_fragment(lines) == len(lines) - 1:
        fragment, lines, cut = lines[-1], lines[:-1], False
    # Each layout below is looked for only where the whole text has a sign of it: one search of
    # the text is far cheaper than a question to every line.
    if glued.may_be_glued(raw_lines, text):
        lines = glued.split_glued_tables(lines)  # cells glued together by lost separators
    if "|" in text or cellstreams.LONE_CELL.search("\n" + text):
        lines = cellstreams.convert(lines, cut)  # web tables copied one cell per line
    if "|" in text or " / " in text or "; " in text:
        lines = separators.split_runs(lines, cut)  # cells split by " | ", " / " or "; "
    if flattened.may_be_flattened(text):
        lines = flattened.unflatten_lines(lines)  # tables run onto one line
    if _NUMBERED_ANSWER.search(text):
        lines = answers.numbered_answers(lines)  # "1. 118 Dogs seized.": one count, named, per answer
    if fragment is not None:
        lines = [*lines, fragment]
    return assemble(lines, source, READER, ends_cut=raw_lines[-1] if raw_lines and (cut or fragment) else None)


def read_delimited(text: str, source: str, delimiter: str) -> Response:
    """A .csv or .tsv export: each record a separated Line (quoted cells may hold commas)."""
    import csv

    lines = []
    rows = csv.reader(split_lines(text), delimiter=delimiter)
    try:
        for number, row in enumerate(rows, start=1):
            cells = [cell.strip() for cell in row]  # trailing empty cells are blank values: the table decides
            lines.append(Line(cells, " ".join(c for c in cells if c), number, str(number), separated=True))
    except csv.Error as error:  # a field over the csv module's limit (128 KB), a stray NUL: no table's cell
        raise InputError(source, f"is not a table fosi can read ({error})", line=rows.line_num) from None
    return assemble(lines, source, "csv")
