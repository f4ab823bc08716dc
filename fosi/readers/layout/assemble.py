"""From Lines to a Response: find the tables, read the metadata, make the figure records.

Every reader ends here, so a figure from a letter, a web page, a spreadsheet or a PDF
is found, titled and described by the same rules.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from fosi.model.findings import Finding
from fosi.model.response import Located, Metadata, Reading, Response, TableInfo
from fosi.readers.layout.accounting import (
    account_numbers,
    count_numbers,
    is_answer_heading,
    is_reply_line,
    names_no_table,
    prose_record,
    request_sections,
    unread_findings,
)
from fosi.readers.layout.cells import is_period_label, is_total_label
from fosi.readers.layout.headers import Header
from fosi.readers.layout.inference import Table, Unread, find_tables
from fosi.readers.layout.invariants import (
    check_invariants,
    refuse_decimal_columns,
    refuse_shared_labels,
)
from fosi.readers.layout.lines import Line
from fosi.readers.layout.metadata import (
    date_basis_statements,
    detect_force,
    detect_period,
    detect_unit,
    table_date_basis,
    tables_named,
)
from fosi.readers.layout.reply import (
    cited_sections,
    classify_without_table,
    own_lines,
    statement,
)
from fosi.readers.layout.tables import (
    age_restriction_in,
    describe_table,
    table_records,
    title_candidates,
)
from fosi.readers.layout.truncation import check_truncation, cut_fragment

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


def _line_roles(lines: Sequence[Line], blocks: Sequence[Table], tables: Sequence[TableInfo],
                unread: Sequence[Unread]) -> list[str]:
    """How each line was read: title, header, row, total, group, not read (the rest filled in later)."""
    roles = [""] * len(lines)
    for block in blocks:
        for index in range(block.start, block.end + 1):
            if not lines[index].blank:
                roles[index] = "group"
        for index in (block.header.lines if block.header else ()):
            roles[index] = "header"
        for row in block.rows:
            roles[row.index] = "total" if is_total_label(row.label) else "row"
    previous_end = 0
    for info, block in zip(tables, blocks):
        # A table's title lines are printed between the table before it and its own header.
        keys = {(located.line, located.location) for located in (info.title, info.outcome_by_wording) if located}
        for index in range(previous_end, block.start):
            if (lines[index].line, lines[index].location) in keys:
                roles[index] = "title"
        previous_end = block.end + 1
    for region in unread:
        for index in range(region.start, region.end + 1):
            if not lines[index].blank:
                roles[index] = "not read"
    for index, line in enumerate(lines):
        if line.blank and line.text.strip():
            roles[index] = "skipped"  # emptied by a reading hint: its text is shown, never read
    return roles


def _noted_age_restriction(lines: Sequence[Line], roles: Sequence[str], asking: Sequence[bool]) -> Located | None:
    """Whom every figure is restricted to, where a note outside the tables and their titles says so
    ("All figures relate to suspects aged under 18"); a note that names a table is that table's."""
    for index, line in enumerate(lines):
        if roles[index] or asking[index] or line.blank or "table" in line.text.lower():
            continue
        ages = age_restriction_in(line.text)
        if ages:
            return Located(ages, line.line, line.location)
    return None


def _table_date_bases(lines: Sequence[Line], blocks: Sequence[Table], tables: list[TableInfo],
                      bases: Sequence[tuple[int, Located]], source: str
                      ) -> tuple[list[TableInfo], list[Finding], set[int]]:
    """Each table's own date basis. A statement that names tables ("Table 2", a note marker its
    title carries, the outcome only it counts) belongs to them, in the order named; one that names
    none belongs to the table below it (its title, the lines above its header) or, under the last
    table, to that table. A line stating two bases for one table is an error: no basis is taken
    (the numbers of such tables are returned too)."""
    if not bases:
        return tables, [], set()
    titles = [t.title.text if t.title else None for t in tables]
    outcomes = [t.outcome_code for t in tables]
    by_line: dict[int, list[Located]] = {}
    for index, located in bases:
        by_line.setdefault(index, []).append(located)
    own: dict[int, Located | None] = {}
    findings: list[Finding] = []
    unnamed: list[tuple[int, Located]] = []
    for index, stated in by_line.items():
        named = tables_named(lines[index].text, titles, outcomes)
        kinds = list(dict.fromkeys(s.text for s in stated))
        if named and (len(kinds) == 1 or len(named) == len(kinds)):
            for k, number in enumerate(named):
                own.setdefault(number, stated[k] if len(kinds) > 1 else stated[0])
            continue
        if len(kinds) > 1:
            conflicted = named or [number for number, block in enumerate(blocks, start=1)
                                   if _belongs(index, number, blocks)]
            for number in conflicted or range(1, len(tables) + 1):
                own[number] = None
            findings.append(Finding(
                "date-basis-conflict", "error", source, stated[0].line,
                f"this note states two date bases ({' and '.join(kinds)}) for "
                f"{'table ' + ', '.join(map(str, conflicted)) if conflicted else 'the tables'}: "
                "no rate can use their figures until the force says which", location=stated[0].location))
            continue
        unnamed.append((index, stated[0]))
    previous_end = 0
    result = []
    for number, (info, block) in enumerate(zip(tables, blocks), start=1):
        below = range(block.end + 1, len(lines)) if number == len(blocks) else range(0)
        if number in own:
            basis = own[number]
        else:
            basis = table_date_basis(unnamed, range(previous_end, block.start), below) if unnamed else None
        result.append(info if basis is None else replace(info, date_basis=basis))
        previous_end = block.end + 1
    return result, findings, {number for number, basis in own.items() if basis is None}


def _belongs(index: int, number: int, blocks: Sequence[Table]) -> bool:
    """Is the line at ``index`` one of table ``number``'s own lines: above its header (after the
    table before it), or under the last table?"""
    block = blocks[number - 1]
    start = blocks[number - 2].end + 1 if number > 1 else 0
    return start <= index < block.start or (number == len(blocks) and index > block.end)


_REQUESTER_INTRODUCES = re.compile(r"\b(?:I|we)\s+(?:would\s+like|want|wish|request)\b[^?]*:\s*$", re.I)


def _with_requested_tables(lines: Sequence[Line], blocks, sections: list[bool]) -> list[bool]:
    """``sections`` (lines under a request heading), with each table that the requester's own words
    introduce ("I would like the data to cover the following police codes:") before any line of the
    reply's own: the requester's example of what is wanted, quoted without a heading above it."""
    sections = list(sections)
    for block in blocks:
        above = next((k for k in range(block.start - 1, -1, -1) if not lines[k].blank), None)
        # Only the requester's wish introducing what follows: a question above a table ("2. How many
        # ...?", "Q1") is the question the table answers.
        if above is None or not _REQUESTER_INTRODUCES.search(lines[above].text):
            continue
        if any(is_reply_line(lines[k].text) or is_answer_heading(lines[k].text) for k in range(above)):
            continue
        sections[above:block.end + 1] = [True] * (block.end + 1 - above)
    return sections


_BARE_ANSWER_NUMBER = re.compile(r"^\s*(?:q(?:uestion)?\s*)?(\d{1,2})\s*[.):]?\s*$", re.IGNORECASE)
_QUESTION_NUMBERED = re.compile(r"^\s*(?:q(?:uestion)?\s*)?(\d{1,2})\s*[.):]\s*(\S.*)$", re.IGNORECASE)


def _titled_by_question(info: TableInfo, lines: Sequence[Line]) -> TableInfo:
    """A table under a bare answer number ("1.", "Q2") is the answer to the question of that number:
    the question's words, printed earlier, are its title (they tell its figures apart from the next
    answer's, which "1." and "2." hardly do)."""
    title = info.title
    answer = _BARE_ANSWER_NUMBER.match(title.text) if title is not None else None
    if answer is None:
        return info
    for line in lines:
        if line.line is not None and title.line is not None and line.line >= title.line:
            break
        asked = _QUESTION_NUMBERED.match(line.text)
        if asked and asked.group(1) == answer.group(1):
            words = asked.group(2).strip()
            question = words[:words.index("?") + 1] if "?" in words else words
            return replace(info, title=Located(question, line.line, line.location))
    return info


def _dated_by_heading(block: Table, candidates: Sequence[Located]) -> Table:
    """A table of one unnamed value column under a heading that is one period alone ("2018" above
    "Reasons for uplift:" and its rows): the period names that column, as a header would."""
    if block.width != 1 or (block.header is not None and any(block.header.labels)) or \
            any(row.group for row in block.rows):
        return block  # (a period heading over groups of rows is the first group: inference reads it)
    periods = [c.text.strip() for c in candidates if is_period_label(c.text.strip())]
    if len(periods) != 1:
        return block
    header = block.header
    return replace(block, header=Header([periods[0]], [None], header.corner if header else None,
                                        header.lines if header else []))


def _without_cut_fragment(lines: Sequence[Line]) -> Sequence[Line]:
    """The lines for finding tables when the text is cut, its last fragment (truncation.cut_fragment)
    left out: its numbers are then reported as not read, never taken as a row."""
    last = cut_fragment(lines)
    if last is None:
        return lines
    return [*lines[:last], Line([], "", lines[last].line, lines[last].location), *lines[last + 1:]]


def _introduced(lines: Sequence[Line], blocks: Sequence[Table], asking: Sequence[bool]) -> dict[int, Located]:
    """The line that introduces each table (by its number) in the reply's own words: the nearest
    printed line above it ("Crimes of ... closed with Outcome 21, recorded ...:"), unless it is the
    request's."""
    found = {}
    for number, block in enumerate(blocks, start=1):
        above = next((k for k in range(block.start - 1, -1, -1) if lines[k].text.strip()), None)
        if above is not None and not asking[above]:
            found[number] = Located(lines[above].text, lines[above].line, lines[above].location)
    return found


def assemble(lines: Sequence[Line], source: str, reader: str, ends_cut: str | None = None) -> Response:
    """The Response of a reader's Lines. ``ends_cut``: the text ends without a line end, so its
    last line (this text, as printed) may be cut short (a copied excerpt)."""
    found = find_tables(_without_cut_fragment(lines) if ends_cut is not None else lines)
    sections = _with_requested_tables(lines, found.tables, request_sections(lines))
    # A table inside the first quoted request (under its heading, the reply's own words beginning
    # after it) is the requester's example of the format wanted, not data: its numbers are the
    # request's words. Where that request is never closed, or a table stands after the reply began
    # (under "Question 1:" as the answer's heading), the table is the answer's.
    reply_starts = next((k for k in range(1, len(lines)) if sections[k - 1] and not sections[k]), None)
    blocks = [block for block in found.tables if reply_starts is None or block.end >= reply_starts
              or not all(sections[row.index] for row in block.rows)]
    tables = []
    previous_end = 0
    own = own_lines(lines, sections)
    theirs = {id(line) for line in own}
    asking = [id(line) not in theirs for line in lines]
    introduced = _introduced(lines, blocks, asking)
    # The request's own words (quoted back in many replies) say what was asked, not what is answered:
    # the period and date basis come from the answer, and from the request only when the answer says
    # none (``own`` and ``asking``, above).
    every_basis = date_basis_statements(lines) if blocks else []
    bases = [s for s in every_basis if not asking[s[0]]] or every_basis
    for number, block in enumerate(blocks, start=1):
        # An answer heading ("Answer", "Response") names no table, nor does a line in the reply's own voice
        # ("I am able to disclose the located information to you as follows."): the question above does,
        # which tells apart two tables each under its own "Answer".
        candidates = [c for c in title_candidates(lines, previous_end, block.start)
                      if not is_answer_heading(c.text) and not is_reply_line(c.text) and not names_no_table(c.text)]
        block = blocks[number - 1] = _dated_by_heading(block, candidates)
        info = _titled_by_question(describe_table(number, block, candidates), lines)
        tables.append(replace(info, introduction=introduced.get(number)))
        previous_end = block.end + 1  # a table's title is printed after the table before it
    tables, basis_findings, conflicted = _table_date_bases(lines, blocks, tables, bases, source)

    # The reply's own statement of its period wins over the request's, which it may quote first.
    period = detect_period(own) or detect_period(lines)
    titles = [t.title for t in tables if t.title is not None]
    headers = [Located(b.header.corner, lines[b.header.lines[-1]].line, lines[b.header.lines[-1]].location)
               for b in blocks if b.header and b.header.corner and b.header.lines]
    roles = _line_roles(lines, blocks, tables, found.unread)
    metadata = Metadata(
        force=detect_force(lines),
        period_start=period[0] if period else None,
        period_end=period[1] if period else None,
        date_basis=bases[0][1] if bases else None,
        unit=detect_unit(titles, headers, lines, [t.introduction for t in tables if t.introduction]) if blocks else None,
        age_restriction=_noted_age_restriction(lines, roles, asking) if blocks else None,
    )
    records: list[dict] = []
    findings = [Finding("table-not-read", "error", source, lines[u.start].line,
                        f"a table here was not read: {u.problem}", location=lines[u.start].location)
                for u in found.unread]
    findings += [Finding("cells-split", "info", source, line.line, line.note, location=line.location)
                 for line in lines if line.note]
    findings.extend(basis_findings)
    for info, block in zip(tables, blocks):
        # A table that states its own date basis carries it on its figures; the rest, the response's.
        basis = info.date_basis  # (not ``own``: that holds the reply's own lines, used below)
        if info.number in conflicted:  # the response states two bases for this table: none is taken
            stated = replace(metadata, date_basis=None)
        else:
            stated = metadata if basis is None or basis == metadata.date_basis else replace(metadata, date_basis=basis)
        table_rows, table_findings = table_records(info, block, source, stated)
        records.extend(table_rows)
        findings.extend(table_findings)
    truncated = check_truncation(lines, blocks, records, ends_cut, source)
    findings.extend(truncated.findings)
    records, amounts = refuse_decimal_columns(truncated.records, source)
    records, refused = refuse_shared_labels(records, source)
    findings.extend(amounts + refused)

    used = {i for i, role in enumerate(roles) if role}  # tables and titles: the rest may be notes
    answer_kind = classify_without_table(lines, own) if not records else "table"
    numbers = account_numbers(lines, roles, "refusal" if answer_kind.startswith("refusal") else "answer", sections)
    prose = [prose_record(lines[n.index], n, source, metadata) for n in numbers if n.role == "prose"]
    findings.extend(unread_findings(lines, numbers, source))
    findings.extend(check_invariants(lines, blocks, records, roles, numbers, source))
    unread_count = sum(1 for n in numbers if n.role == "not read") + sum(
        count_numbers(lines[i].text) for u in found.unread for i in range(u.start, u.end + 1))

    kind = "table" if records else ("prose figures" if prose else answer_kind)
    return Response(
        source=source, reader=reader, kind=kind, metadata=metadata, records=tuple(records + prose),
        tables=tuple(tables), notes=tuple(_notes(lines, used)), findings=tuple(findings),
        unread_numbers=unread_count, sections=cited_sections(lines, own), statement=statement(lines, own),
        reading=Reading(tuple((line.location, line.text) for line in lines), tuple(roles), tuple(numbers)),
    )
