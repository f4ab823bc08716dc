"""``fosi inspect``: a response printed with a gutter saying how each line was read.

What a user runs when a figure looks wrong, and what a developer runs on a new real
file: every line with its role (title, header, row, total, group, note, metadata,
prose, request, refusal, not read), and under it which of its numbers became which
figures, and which were not read and why. Plain text, at most 100 columns.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict

from fosi.model.response import Response

WIDTH = 100
_WHERE = 8  # characters for the line number or location
_ROLE = 9


def _fit(text: str, width: int) -> str:
    """One line, the response's own text, shown whole: a long one continues on more lines (see _wrap)."""
    return "\n".join(_wrap(text, width))


def _wrap(text: str, width: int, indent: str | None = None) -> list[str]:
    """``text`` on lines of at most ``width`` columns, never cut: a long line continues on the next,
    under ``indent`` (default: the gutter, its '|' kept, then four spaces)."""
    import textwrap

    text = text.replace("\t", " → ").rstrip()
    if len(text) <= width:
        return [text]
    if indent is None:
        bar = text.find("| ")
        lead = len(text) - len(text.lstrip())
        indent = " " * bar + "|    " if 0 <= bar < width // 2 else " " * (lead + 3)
    return textwrap.wrap(text, width, subsequent_indent=indent, drop_whitespace=True, break_on_hyphens=False,
                         replace_whitespace=False) or [text[:width]]


def _figure_note(record: dict) -> str:
    value = record["marker"] if record["count"] is None else f"{record['count']:,}"
    if record["kind"] == "prose":
        return f"{value} -> prose figure: {record['row_label']!r} (never used as a table's figure)"
    parts = [f"{value!r}" if record["count"] is None else value, f"-> {record['kind']} t{record['table']}"]
    column = " / ".join(p for p in (record["column_group"], record["column_label"]) if p)
    parts.append(f"col {column!r}" if column else "no column name")
    if record["outcome_code"]:
        parts.append(f"outcome {record['outcome_code']}")
    if record["offence_code"]:
        parts.append(f"offence {record['offence_code']}")
    if record["corrected_from"]:
        parts.append(f"corrected from {record['corrected_from']}")
    if record["row_group"]:
        parts.append(f"group {record['row_group']!r}")
    parts.append(f"row {record['row_label']!r}")
    return "  ".join(parts)


def inspect_lines(response: Response) -> list[str]:
    """The gutter view of a response read with its Reading kept (read_response(..., keep_reading=True))."""
    reading = response.reading
    if reading is None:
        raise ValueError("the response was read without keeping how each line was read")
    meta = response.metadata
    out = [_fit(f"{response.source}: read by the {response.reader} reader; {response.kind}", WIDTH)]
    facts = []
    for name in ("force", "period_start", "period_end", "date_basis", "unit"):
        located = getattr(meta, name)
        if located is not None:
            facts.append(f"{name.replace('_', ' ')} {located.text} ({located.where() or 'stated'})")
    for fact in facts or ["states no force, period, date basis or unit"]:
        out.append(_fit("  " + fact, WIDTH))
    kinds = defaultdict(int)
    for record in response.records:
        kinds[record["kind"]] += 1
    not_read = [f for f in response.findings if f.rule == "table-not-read"]
    out.append(_fit(f"  {len(response.tables)} table(s) read: {kinds['figure']} figures, {kinds['total']} totals, "
                    f"{kinds['prose']} prose figure(s)", WIDTH))
    out.append(_fit(f"  not read: {len(not_read)} table(s), {response.unread_numbers} number(s)", WIDTH))
    out.append("")
    own, cells, rest = _placed(reading.lines, response.records)
    numbers = defaultdict(list)
    for number in reading.numbers:
        numbers[number.index].append(number)
    findings = defaultdict(list)
    for finding in response.findings:
        if finding.location is not None:
            findings[finding.location].append(finding)
    text_width = WIDTH - _WHERE - _ROLE - 4
    pad = " " * (_WHERE + _ROLE + 2) + "| "
    for index, ((location, text), role) in enumerate(zip(reading.lines, reading.roles)):
        shown = _wrap(text, text_width, indent="")
        out.append(f"{location[-_WHERE:]:>{_WHERE}} {role or '':<{_ROLE}} | {shown[0]}".rstrip())
        out.extend(f"{pad}{more}".rstrip() for more in shown[1:])
        out.extend(line for record in own.get(index, []) for line in _wrap(pad + "  " + _figure_note(record), WIDTH))
        out.extend(line for record in cells.get(index, []) for line in _cell_lines(record))
        grouped: dict[tuple[str, str], list[str]] = defaultdict(list)
        for number in numbers.get(index, []):
            if number.role != "prose":  # a prose figure is shown with its record above
                grouped[(number.role, number.reason)].append(number.text)
        for (role, reason), texts in grouped.items():
            mark = "!!" if role == "not read" else "  "
            out.extend(_wrap(f"{pad}{mark}{', '.join(texts)} -> {role}: {reason}", WIDTH))
        for finding in findings.pop(location, []):
            if finding.rule != "numbers-not-read":
                out.extend(_wrap(f"{pad}!! {finding.severity} {finding.rule}: {finding.message}", WIDTH))
    # Figures in cells with no line of text (a spreadsheet's C7, a PDF's t1 r3) come last.
    out.extend(line for record in rest for line in _cell_lines(record))
    return out


def _placed(lines: tuple, records: tuple) -> tuple[dict[int, list[dict]], dict[int, list[dict]], list[dict]]:
    """Where each figure is shown: under the line printed at its location; else, for a figure on a
    line of its own (a web table copied one cell per line), as a cell under the nearest line above
    it; else (a spreadsheet's cell, a PDF's), at the end."""
    index_of = {location: index for index, (location, _) in enumerate(lines)}
    numbered = sorted((int(location), index) for location, index in index_of.items() if location.isdigit())
    starts = [number for number, _ in numbered]
    own: dict[int, list[dict]] = defaultdict(list)
    cells: dict[int, list[dict]] = defaultdict(list)
    rest = []
    for record in records:
        line = record["line"]
        if record["location"] in index_of:
            own[index_of[record["location"]]].append(record)
        elif isinstance(line, int) and str(line) == record["location"] and bisect_right(starts, line):
            cells[numbered[bisect_right(starts, line) - 1][1]].append(record)
        else:
            rest.append(record)
    return own, cells, rest


def _cell_lines(record: dict) -> list[str]:
    location = record["location"]
    return _wrap(f"{location[-_WHERE:]:>{_WHERE}} {'cell':<{_ROLE}} | " + _figure_note(record), WIDTH)
