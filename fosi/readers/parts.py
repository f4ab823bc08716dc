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

from fosi.findings import Finding
from fosi.response import METADATA_FIELDS, RESPONSE_FIELDS, Located, Metadata, Response, TableInfo

NO_TABLE = "no table found"


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
            moved = {**record, "source": source, "table": record["table"] + offset, "line": None,
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
    kind = "table" if records else next((k for k in kinds if k not in ("table", NO_TABLE)), NO_TABLE)
    return Response(source=source, reader=reader, kind=kind, metadata=joined, records=tuple(records),
                    tables=tuple(tables), notes=tuple(notes), findings=tuple(findings))
