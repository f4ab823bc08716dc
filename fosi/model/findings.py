"""A finding: something a check or a reader noticed, with where it is and how serious."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

SEVERITIES = ("error", "warning", "info")
# What the reader could not read: a table, numbers outside tables, the end of a cut-off text.
READING_RULES = frozenset({"table-not-read", "numbers-not-read", "table-truncated"})

FINDING_COLUMNS: dict[str, str] = {
    "rule": "string",
    "severity": "string",  # error | warning | info
    "source": "string",
    "line": "Int64",  # 1-based line of a text file
    "location": "string",  # where, for any kind of file: "19", "Sheet1!C7", "p2 l14"
    "message": "string",
    "expected": "string",
    "found": "string",
    "table": "Int64",  # the table it concerns, where it concerns one (its figures are then not used)
}


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: str
    source: str
    line: int | None
    message: str
    expected: str | None = None
    found: str | None = None
    location: str | None = None
    table: int | None = None  # the table it concerns: a figure in it (at location), or the whole table

    def where(self) -> str:
        """'file:line' (or 'file:Sheet1!C7'), or just the file when the finding has no place."""
        place = self.location if self.location is not None else self.line
        return self.source if place is None else f"{self.source}:{place}"


def finding_row(finding: Finding) -> tuple:
    """The finding as a row of the findings table, in FINDING_COLUMNS order."""
    location = finding.location
    if location is None and finding.line is not None:
        location = str(finding.line)
    return (finding.rule, finding.severity, finding.source, finding.line, location, finding.message,
            finding.expected, finding.found, finding.table)


def findings_frame(findings: Iterable[Finding]) -> pd.DataFrame:
    from fosi.model.figures import table_of

    return table_of((finding_row(f) for f in findings), FINDING_COLUMNS)
