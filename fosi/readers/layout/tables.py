"""Describe the tables found in a response and turn their cells into figure records.

Shared by every reader (text, web tables, spreadsheets, PDFs). fosi.readers.layout.inference
finds each table (its header and rows); here its title is the last short line above
it, and the outcome it counts is named in that title (by number or wording), on the
line under the title, in a column's name, or, for a table whose rows are outcomes, in
each row.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache

from fosi.model.findings import Finding
from fosi.model.response import Located, Metadata, TableInfo
from fosi.readers.layout.accounting import is_request_line
from fosi.readers.layout.cells import is_total_label, parse_cell, split_code_prefix
from fosi.readers.layout.inference import Table
from fosi.readers.layout.lines import Line
from fosi.readers.layout.metadata import detect_unit
from fosi.reference import (
    known_outcome_codes,
    normalise_outcome_code,
    offence_code_for_label,
    offence_codes_in,
    outcome_from_number,
    outcome_from_wording,
    presents_all_of_unit,
    together,
)

_OUTCOME_HEADER = re.compile(r"\boutcomes?\b", re.IGNORECASE)
# Two or more outcomes named together: "Outcome 21/22", "OC21/OC22", "Outcomes 21 and 22",
# "Outcome 16 and Outcome 21", "Outcome 2/3 cautions".
_CODE = r"0*\d{1,2}[a-z]?\b"
_OUTCOME_LIST = re.compile(r"\b(?:outcomes?(?:\s+(?:types?|codes?))?|oc)\s*(?:no\.?\s*)?[:#]?\s*(" + _CODE
                           + r"(?:\s*(?:/|&|,|\+|\band\b|\bor\b)\s*(?:(?:outcomes?|oc)\s*)?" + _CODE + r")+)",
                           re.IGNORECASE)
# Whom a table or note restricts its figures to, by the suspect's age (victims of these offences
# are children by definition: a victim's age, or "children under 18" in an offence's name,
# restricts nothing).
_PERSON = r"(?:suspects?|offenders?|perpetrators?|accused|persons?|people|individuals)"
_UNDER = r"(?:under\s*(?:the\s+age\s+of\s*)?(\d{2})s?|(\d{2})\s+(?:and|or)\s+under|(?:aged\s+)?0\s*[-–]\s*(\d{2}))"
_AGE_RESTRICTION = re.compile(
    r"\b(?:" + _PERSON + r"\s+(?:who\s+)?(?:was|were|is|are)?\s*(?:aged\s+)?" + _UNDER
    + r"|aged\s+" + _UNDER + r"|juvenile\s+" + _PERSON + r")", re.IGNORECASE)
_VICTIM_AGE = re.compile(r"\bvictims?\b", re.IGNORECASE)
_TITLE_MAX_CHARS = 150


def title_candidates(lines: Sequence[Line], start: int, stop: int) -> list[Located]:
    """The last two short, title-like lines between the previous table and this one (nearest
    last): the title, and the line above it in case the nearest only words an outcome."""
    found: list[Located] = []
    for index in range(stop - 1, start - 1, -1):
        line = lines[index]
        text = line.text.strip()
        if text and not line.blank and len(text) <= _TITLE_MAX_CHARS and not text.lower().startswith(
                ("http", "[http", "www.")):  # (a line a reading hint skips is blank, its text kept)
            found.insert(0, Located(" ".join(c for c in line.cells if c) or text, line.line, line.location))
            if len(found) == 2:
                break
    return found


def _outcome_rows(table: Table, title_outcome: str | None) -> bool:
    """Is each row of the table an outcome (an outcome mix), rather than an offence or a period?
    Rows that name two or more different outcomes say so whatever the title names (a heading
    "... and Outcome 21" above a table of every outcome is the request's subject, not the table's)."""
    labels = [row.label for row in table.rows if not is_total_label(row.label)]
    if len(set(labels)) < len(labels) and all(row.group for row in table.rows):
        return False  # the same labels under each group: measures of each offence (_measure_rows)
    codes = [code for label in labels if (code := _row_outcome(label, False)[0]) is not None]
    if len(set(codes)) >= 2 and len(codes) * 2 >= len(labels):
        return True
    if title_outcome is not None:
        return False
    corner = table.header.corner if table.header else None
    if corner and _OUTCOME_HEADER.search(corner):
        return True
    return bool(labels) and len(codes) * 2 >= len(labels) and len(codes) >= 2


_FOOTNOTE_MARK = re.compile(r"(?<=\S)\s+(?:\*{1,3}|†|‡)$")


def _outcome_mix_offence(info: TableInfo, labels: Sequence[str | None]) -> str | None:
    """The offence a table of outcomes counts, where no column names one: the one its title names,
    or the offences its title or the reply's line introducing it names together ("the outcomes of
    ... (86/2) and ... (86/10) ..., the two offences together": 86/2+86/10)."""
    title_text = info.title.text if info.title else ""
    if any(offence_code_for_label(label or "", title_text) for label in labels):
        return None  # offences across the top: each column names its own
    named = offence_code_for_label(title_text)
    if named:
        return named
    for located in (info.title, info.introduction):
        codes = offence_codes_in(located.text) if located is not None else []
        if len(codes) >= 2:
            return together(codes)
    return None


def _measure_rows(table: Table, unit: str | None) -> dict[str, str | None]:
    """Rows that say what they count under each offence (its group): "All crimes" (None: no
    outcome) and "Outcome 21" ("21"). Only where both kinds are printed under a group, so that a
    lone "Outcome 21" row keeps the meaning the rest of the table gives it."""
    grouped = [row.label for row in table.rows if row.group and row.label]
    alls = {label for label in grouped if presents_all_of_unit(label, unit)}
    outcomes = {label: code for label in grouped if label not in alls
                and (code := outcome_from_number(label))}
    if not alls or not outcomes:
        return {}
    return {**dict.fromkeys(alls), **outcomes}


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
    return outcome_from_number(label) or outcome_from_wording(label), label, None


@lru_cache(maxsize=4096)
def column_outcome(name: str | None) -> str | None:
    """The outcome a column's name (or spanning name) gives its figures: "Outcome 2", "OC21",
    or wording such as "Community resolution"."""
    if not name:
        return None
    return outcome_from_number(name) or outcome_from_wording(name)


def _column_outcomes(labels: Sequence[str | None], groups: Sequence[str | None]) -> list[str | None]:
    """The outcome each column (or its spanning name) counts. A number names one plainly ("Outcome 2",
    "OC21"); wording ("Charged", "Community resolution") only where most columns are outcomes, as
    in a grid of outcomes: a lone "Charges" column beside "Arrests" is not Home Office outcome 1."""
    numbered = [outcome_from_number(label or "") or outcome_from_number(group or "")
                for label, group in zip(labels, groups)]
    worded = [column_outcome(label) or column_outcome(group) for label, group in zip(labels, groups)]
    named = sum(1 for w in worded if w)
    if named >= 2 and named * 2 >= len([label for label in labels if label and not is_total_label(label)]):
        return [n or w for n, w in zip(numbered, worded)]
    return numbered


_NOTE_START = re.compile(r"^\s*(?:please\s+note|note\b|n\.?b\.?\b|\*)", re.IGNORECASE)


def _is_note(text: str) -> bool:
    """A sentence (four words or more ending in a full stop) or a line marked as a note: never a title."""
    stripped = text.strip()
    return bool(_NOTE_START.match(stripped)) or (stripped.endswith(".") and len(stripped.split()) >= 4)


@lru_cache(maxsize=4096)
def combined_outcomes(text: str | None) -> tuple[str, ...]:
    """The outcome codes a title names together ("Outcome 21/22" -> ("21", "22")); empty when it
    names fewer than two."""
    match = _OUTCOME_LIST.search(text or "")
    if not match:
        return ()
    codes = [normalise_outcome_code(code) for code in re.findall(r"\d{1,2}[a-z]?(?=\b)", match.group(1), re.I)]
    unique = tuple(dict.fromkeys(codes))
    return unique if len(unique) > 1 else ()


@lru_cache(maxsize=4096)
def age_restriction_in(text: str | None) -> str | None:
    """The suspects' ages a title or note restricts figures to ("... where the suspect was aged under 18"
    -> "under 18"); None when it states none. A victim's age is no restriction."""
    match = _AGE_RESTRICTION.search(text or "")
    if not match or (_VICTIM_AGE.search(text or "") and not re.search(r"suspect|offender|perpetrator|accused",
                                                                       text or "", re.I)):
        return None
    ages = [int(g) for g in match.groups() if g]
    if not ages:
        return "under 18"  # "juvenile suspects": under 18 in England and Wales
    # "under 18", "17 and under" and "0-17" all mean under 18.
    limit = ages[0] if re.search(r"under\s*(?:the\s+age\s+of\s*)?\d", match.group(0), re.I) and \
        not re.search(r"\d\s+(?:and|or)\s+under", match.group(0), re.I) else ages[0] + 1
    return f"under {limit}"


def describe_table(number: int, table: Table, candidates: Sequence[Located]) -> TableInfo:
    """Title and outcome of a table from the lines above it.

    The title is the last short line above the header; if that line only names an
    outcome in words ("Further Investigation not in the Public Interest - Police
    decision"), it is the line under the title and the title is the one before it.
    """
    title = candidates[-1] if candidates else None
    if (title is not None and len(candidates) > 1 and _is_note(title.text) and not outcome_from_number(title.text)
            and not outcome_from_wording(title.text)):
        title = candidates[-2]  # a note printed between a heading and its table: the heading is the title
    wording_line = None
    if (title is not None and len(candidates) > 1 and outcome_from_wording(title.text)
            and not outcome_from_number(title.text)):
        wording_line, title = title, candidates[-2]
    named = [c for c in (title, wording_line) if c is not None]
    by_number = next((Located(code, c.line, c.location) for c in named if (code := outcome_from_number(c.text))),
                     None)
    by_wording, wording_text = None, None
    for line in reversed(named):
        if is_request_line(line.text):
            continue  # a question's words ("how many were charged?") name what was asked, not the table's outcome
        code = outcome_from_wording(line.text)
        if code:
            by_wording, wording_text = Located(code, line.line, line.location), line.text
            break
    header = table.header
    names = tuple(name or "" for name in header.labels) if header else ()
    together = next((codes for c in named if (codes := combined_outcomes(c.text))), ())
    if together:  # "Outcome 21/22": the two counted as one, neither outcome's own figure
        by_number, by_wording, wording_text = None, None, None
    restriction = next((Located(ages, c.line, c.location) for c in named if (ages := age_restriction_in(c.text))),
                       None)
    own_unit = detect_unit([title], [], []) if title is not None else None
    info = TableInfo(
        number=number, title=title, header=((header.corner or "",) + names) if header else (),
        first_line=table.start, last_line=table.end,
        outcome_by_number=by_number, outcome_by_wording=by_wording, outcome_wording=wording_text,
        unit=own_unit, age_restriction=restriction, outcomes_combined=together,
    )
    if _outcome_rows(table, info.outcome_code):
        # Each row names its own outcome: the title's (if any) is not the table's.
        info = replace(info, row_dimension="outcome", outcome_by_number=None, outcome_by_wording=None,
                       outcome_wording=None)
    return info


def table_records(info: TableInfo, table: Table, source: str, metadata: Metadata) -> tuple[list[dict], list[Finding]]:
    """One record per value cell of the table, and any finding about a row's outcome."""
    records, findings = [], []
    title = info.title.text if info.title else None
    title_text = title or ""
    number, table_outcome = info.number, info.outcome_code
    outcome_rows = info.row_dimension == "outcome"
    table_offence = _outcome_mix_offence(info, table.header.labels if table.header else []) if outcome_rows else None
    force, start, end = metadata.value("force"), metadata.value("period_start"), metadata.value("period_end")
    basis = metadata.value("date_basis")
    unit = info.unit.text if info.unit is not None else metadata.value("unit")
    ages = (info.age_restriction or metadata.age_restriction or Located("", None)).text or None
    width = table.width
    header = table.header
    labels: list[str | None] = list(header.labels) if header else [None] * width
    groups: list[str | None] = list(header.groups) if header else [None] * width
    total_columns = [label is not None and width > 1 and is_total_label(label) for label in labels]
    columns_outcome = _column_outcomes(labels, groups) if not (table_outcome or outcome_rows) else [None] * width
    column_offences = [None if label is None or total_columns[k] else offence_code_for_label(label, title_text)
                       for k, label in enumerate(labels)]
    measures = _measure_rows(table, unit)
    for row in table.rows:
        # A footnote's mark after a label ("2024/25 *") is no part of it: the note says what it marks.
        row_label, group = _FOOTNOTE_MARK.sub("", row.label), row.group
        total_row = is_total_label(row_label)
        outcome = table_outcome
        if row_label in measures:
            # A measure under each offence ("All crimes", then "Outcome 21"): the row says what it
            # counts, whatever the title names; the offence is the group's, a total only under "Total".
            outcome, total_row = measures[row_label], is_total_label(group or "")
        if outcome_rows and not total_row:
            outcome, row_label, by_wording = _row_outcome(row_label, True)
            line = next(c for c in row.cells if c is not None)
            if outcome and by_wording and by_wording != outcome:
                findings.append(Finding(
                    "outcome-number-wording", "error", source, line.line,
                    f"row {row.label!r}: code {outcome} but the wording is outcome {by_wording}",
                    outcome, by_wording, line.location))
        offence = table_offence if outcome_rows or total_row else (
            offence_code_for_label(row_label, title_text) or offence_code_for_label(group or "", title_text))
        row_outcome = None if total_row and outcome_rows else outcome
        for k, cell in enumerate(row.cells):
            if cell is None:
                continue  # never printed: the text ends inside this row
            value = parse_cell(cell.text)
            # Offences across the top (a year or outcome per row): the column names the offence.
            offence_here = offence or column_offences[k]
            records.append({
                "source": source,
                "force": force,
                "period_start": start,
                "period_end": end,
                "date_basis": basis,
                "unit": unit,
                "age_restriction": ages,
                "table": number,
                "table_title": title,
                "row_group": group,
                "row_label": row_label,
                "column_group": groups[k],
                "column_label": labels[k],
                "offence_code": offence_here,
                "outcome_code": row_outcome or columns_outcome[k],
                "count": value.count,
                "marker": value.marker,
                "kind": "total" if total_row or total_columns[k] else "figure",
                "line": cell.line,
                "location": cell.location,
                "corrected_from": None,  # set by fosi.checks.corrections where a reviewed correction applies
            })
    return records, findings
