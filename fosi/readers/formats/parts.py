"""A response in parts: an email's body and each attachment, read by its own reader, make
one response.

Every part keeps its own tables, titles and metadata (a letter attached to an email is
read exactly as the same letter on its own); the parts are then joined: tables numbered
on, each location prefixed with the part it is in ("attachment letter.docx, t1 r3 c2",
"body l12"), and what one part does not say about a figure (force, period, basis, unit)
taken from the first part that says it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from fosi.model.findings import Finding
from fosi.model.response import (
    METADATA_FIELDS,
    RESPONSE_FIELDS,
    Located,
    Metadata,
    Reading,
    Response,
    TableInfo,
)

NO_TABLE, TABLE, PROSE = "no table found", "table", "prose figures"


def with_findings(response: Response, findings: Sequence[Finding]) -> Response:
    """The response with what its reader noticed added to its findings."""
    return replace(response, findings=(*response.findings, *findings)) if findings else response


@dataclass(frozen=True)
class Part:
    prefix: str  # how its locations begin: "body ", "attachment letter.docx, "
    response: Response


def part_location(prefix: str, location: str | None) -> str:
    """A part's location as a location in the whole: a text line "12" becomes "PREFIX l12"."""
    if location is None or location == "":
        return prefix.rstrip(", ")
    return f"{prefix}l{location}" if location.isdigit() else f"{prefix}{location}"


def _moved(located: Located | None, prefix: str) -> Located | None:
    return None if located is None else Located(located.text, None, part_location(prefix, located.where()))


def join_parts(parts: Sequence[Part], source: str, reader: str, metadata: Metadata | None = None) -> Response:
    """One response from its parts, in order. ``metadata`` holds what the whole states of itself
    (an email's reference and date); the rest is taken from the first part that states it."""
    values = {name: getattr(metadata, name) if metadata else None for name in (*METADATA_FIELDS, *RESPONSE_FIELDS)}
    for part in parts:
        for name in values:
            if values[name] is None:
                values[name] = _moved(getattr(part.response.metadata, name), part.prefix)
    joined = Metadata(**values)
    fill = {name: joined.value(name) for name in METADATA_FIELDS}
    records: list[dict] = []
    tables: list[TableInfo] = []
    notes: list[Located] = []
    findings: list[Finding] = []
    for part in parts:
        prefix, response, offset = part.prefix, part.response, len(tables)
        for record in response.records:
            table = record["table"]  # None for a figure stated in prose
            moved = {**record, "source": source, "table": None if table is None else table + offset, "line": None,
                     "location": part_location(prefix, record["location"])}
            for name, value in fill.items():
                if moved[name] is None:
                    moved[name] = value
            records.append(moved)
        tables.extend(replace(table, number=table.number + offset, title=_moved(table.title, prefix),
                              outcome_by_number=_moved(table.outcome_by_number, prefix),
                              outcome_by_wording=_moved(table.outcome_by_wording, prefix))
                      for table in response.tables)
        notes.extend(_moved(note, prefix) for note in response.notes)
        findings.extend(replace(finding, source=source, line=None,
                                location=part_location(prefix, finding.location or (
                                    None if finding.line is None else str(finding.line))))
                        for finding in response.findings)
    kinds = [part.response.kind for part in parts]
    kind = next((k for k in (TABLE, PROSE) if k in kinds), None) or next((k for k in kinds if k != NO_TABLE), NO_TABLE)
    return Response(source=source, reader=reader, kind=kind, metadata=joined, records=tuple(records),
                    tables=tuple(tables), notes=tuple(notes), findings=tuple(findings),
                    unread_numbers=sum(part.response.unread_numbers for part in parts),
                    sections=tuple(sorted({s for part in parts for s in part.response.sections}, key=_section_order)),
                    statement=next((part.response.statement for part in parts if part.response.statement), ""),
                    reading=_reading(parts))


def _section_order(section: str) -> int:
    return int(section.removeprefix("s"))


def _reading(parts: Sequence[Part]) -> Reading | None:
    """How every line of every part was read (for fosi inspect), each located in the whole."""
    if any(part.response.reading is None for part in parts):
        return None
    lines, roles, numbers = [], [], []
    for part in parts:
        reading = part.response.reading
        offset = len(lines)
        lines.extend((part_location(part.prefix, location), text) for location, text in reading.lines)
        roles.extend(reading.roles)
        numbers.extend(replace(number, index=number.index + offset) for number in reading.numbers)
    return Reading(tuple(lines), tuple(roles), tuple(numbers))
