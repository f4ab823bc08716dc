"""Checks that a response agrees with itself (GUIDE §2-§4).

Each rule is a small function from a Response to a list of Findings. A finding has a
rule id, a severity, the place it points at (file and line) and a plain message,
plus the expected and found values where the rule compares numbers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass

import pandas as pd

from fosi.readers.cells import is_total_label, parse_value
from fosi.reference import known_outcome_codes, outcome_introduced
from fosi.response import Response

SEVERITIES = ("error", "warning", "info")

FINDING_COLUMNS: dict[str, str] = {
    "rule": "string",
    "severity": "string",  # error | warning | info
    "source": "string",
    "line": "Int64",
    "message": "string",
    "expected": "string",
    "found": "string",
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

    def location(self) -> str:
        return self.source if self.line is None else f"{self.source}:{self.line}"


Rule = Callable[[Response], list[Finding]]


def check_totals(response: Response) -> list[Finding]:
    """A printed Total row differs from the sum of the rows above it (per column)."""
    findings = []
    figures = response.figures
    for (table, column), group in figures.groupby(["table", "column_label"], dropna=False, sort=False):
        parts = group[(group["kind"] == "figure")]
        for _, total in group[(group["kind"] == "total") & group["row_label"].notna()].iterrows():
            if pd.isna(total["count"]) or not is_total_label(total["row_label"]):
                continue
            if parts["count"].isna().any():
                continue  # suppressed or non-numeric parts: checked with suppression-aware rules
            expected = int(parts["count"].sum())
            if expected != int(total["count"]):
                findings.append(Finding(
                    "total-mismatch", "error", response.source, int(total["line"]),
                    f"table {table}: printed {total['row_label']!r} is {int(total['count'])} "
                    f"but the {len(parts)} rows above it sum to {expected}",
                    str(expected), str(int(total["count"]))))
    return findings


def _base_tables(response: Response) -> list[int]:
    """Tables that count all crimes, whatever their outcome (no outcome named)."""
    return [t.number for t in response.tables if t.outcome_code is None]


def check_outcome_within_base(response: Response) -> list[Finding]:
    """An outcome's figure exceeds the all-crimes figure for the same offence (or total)."""
    figures = response.figures
    bases = _base_tables(response)
    if len(bases) != 1:
        return []  # no single all-crimes table to compare against
    base = figures[figures["table"] == bases[0]]
    # A label printed twice has no single base; duplicate-row-label reports it.
    unique = base[~base.duplicated(["row_label", "column_label"], keep=False)]
    ambiguous = set(zip(base["row_label"], base["column_label"])) - set(zip(unique["row_label"], unique["column_label"]))
    base_by_key = {(r.row_label, r.column_label): r for r in unique.itertuples()}
    base_total = base[(base["kind"] == "total")]
    findings = []
    for table in response.tables:
        if table.outcome_code is None:
            continue
        rows = figures[(figures["table"] == table.number)]
        for row in rows.itertuples():
            if pd.isna(row.count):
                continue
            if row.kind == "total" and is_total_label(row.row_label):
                match = base_total[base_total["column_label"].fillna("") == (row.column_label or "")]
                if len(match) == 1 and pd.notna(match["count"].iloc[0]) and row.count > match["count"].iloc[0]:
                    findings.append(Finding(
                        "outcome-exceeds-all", "error", response.source, int(row.line),
                        f"outcome {table.outcome_code} total {row.count} exceeds the all-crimes total "
                        f"{int(match['count'].iloc[0])} (line {int(match['line'].iloc[0])})",
                        f"<= {int(match['count'].iloc[0])}", str(row.count)))
                continue
            if (row.row_label, row.column_label) in ambiguous:
                continue
            match = base_by_key.get((row.row_label, row.column_label))
            if match is None:
                findings.append(Finding(
                    "outcome-row-not-in-all", "warning", response.source, int(row.line),
                    f"{row.row_label!r} appears under outcome {table.outcome_code} "
                    f"but not in the all-crimes table (table {bases[0]})"))
            elif pd.notna(match.count) and row.count > match.count:
                findings.append(Finding(
                    "outcome-exceeds-all", "error", response.source, int(row.line),
                    f"{row.row_label!r}: {row.count} crimes closed as outcome {table.outcome_code} "
                    f"exceeds the {match.count} crimes in the all-crimes table (line {match.line})",
                    f"<= {match.count}", str(row.count)))
    return findings


def check_duplicate_labels(response: Response) -> list[Finding]:
    """The same row label appears twice in one table (figures could not be told apart)."""
    figures = response.figures
    findings = []
    rows = figures.drop_duplicates(["table", "row_label", "line"])
    for (table, label), group in rows.groupby(["table", "row_label"], sort=False):
        if len(group) > 1:
            lines = [int(v) for v in group["line"]]
            findings.append(Finding(
                "duplicate-row-label", "warning", response.source, lines[1],
                f"table {table}: row {label!r} is printed twice (lines {', '.join(map(str, lines))})"))
    return findings


def check_counts(response: Response) -> list[Finding]:
    """A count is negative or not a whole number."""
    findings = []
    for row in response.figures.itertuples():
        if pd.notna(row.count) and row.count < 0:
            findings.append(Finding(
                "count-invalid", "error", response.source, int(row.line),
                f"{row.row_label!r}: count {row.count} is negative", ">= 0", str(row.count)))
        elif pd.isna(row.count) and isinstance(row.marker, str) and any(ch.isdigit() for ch in row.marker):
            value = parse_value(row.marker)
            if value is not None and value.marker is not None and "." in value.marker:
                findings.append(Finding(
                    "count-invalid", "error", response.source, int(row.line),
                    f"{row.row_label!r}: count {row.marker} is not a whole number", "a whole number", row.marker))
    return findings


def check_period(response: Response) -> list[Finding]:
    """The period ends before it starts."""
    start, end = response.metadata.period_start, response.metadata.period_end
    if start is None or end is None or end.text >= start.text:
        return []
    return [Finding(
        "period-reversed", "error", response.source, end.line,
        f"the period ends ({end.text}) before it starts ({start.text})", f">= {start.text}", end.text)]


def check_outcome_naming(response: Response) -> list[Finding]:
    """An outcome's printed number and its wording name different outcomes, or the number is unknown."""
    findings = []
    for table in response.tables:
        number, wording = table.outcome_by_number, table.outcome_by_wording
        if number is not None and number.text not in known_outcome_codes():
            findings.append(Finding(
                "outcome-unknown", "error", response.source, number.line,
                f"table {table.number}: outcome {number.text} is not a Home Office outcome type"))
        if number is not None and wording is not None and number.text != wording.text:
            findings.append(Finding(
                "outcome-number-wording", "error", response.source, wording.line,
                f"table {table.number}: the title names outcome {number.text} but the wording "
                f"{table.outcome_wording!r} is outcome {wording.text}", number.text, wording.text))
    return findings


def check_outcome_dates(response: Response) -> list[Finding]:
    """An outcome is counted in a period that starts before the outcome existed."""
    start = response.metadata.period_start
    if start is None:
        return []
    findings = []
    for table in response.tables:
        code = table.outcome_code
        introduced = outcome_introduced(code) if code else None
        if introduced and dt.date.fromisoformat(start.text) < introduced:
            where = table.outcome_by_number or table.outcome_by_wording
            findings.append(Finding(
                "outcome-before-introduced", "error", response.source, where.line if where else start.line,
                f"table {table.number}: outcome {code} was introduced on {introduced.isoformat()}, "
                f"but the period starts on {start.text}", f">= {introduced.isoformat()}", start.text))
    return findings


def check_metadata(response: Response) -> list[Finding]:
    """What the response does not say about itself (needed before comparing it with others)."""
    missing = [name.replace("_", " ") for name in ("force", "period_start", "date_basis", "unit")
               if getattr(response.metadata, name) is None]
    if not missing or response.figures.empty:
        return []
    return [Finding(
        "metadata-missing", "info", response.source, None,
        f"the response does not state its {', '.join(missing)}")]


RULES: tuple[Rule, ...] = (
    check_totals,
    check_outcome_within_base,
    check_duplicate_labels,
    check_counts,
    check_period,
    check_outcome_naming,
    check_outcome_dates,
    check_metadata,
)


def findings_frame(findings: Iterable[Finding]) -> pd.DataFrame:
    records = [asdict(f) for f in findings]
    frame = pd.DataFrame.from_records(records, columns=list(FINDING_COLUMNS))
    return frame.astype(FINDING_COLUMNS)


def validate(response: Response) -> list[Finding]:
    """Every rule's findings for one response, in file order."""
    findings = [finding for rule in RULES for finding in rule(response)]
    return sorted(findings, key=lambda f: (f.line is None, f.line or 0, f.rule))


def validate_all(responses: Iterable[Response]) -> pd.DataFrame:
    """Findings for several responses as one table (columns: FINDING_COLUMNS)."""
    return findings_frame(f for response in responses for f in validate(response))


def summarise(findings: pd.DataFrame, sources: Iterable[str]) -> pd.DataFrame:
    """Count of findings per file and severity; every file and severity shown, zero where none."""
    counts = findings.groupby(["source", "severity"]).size().unstack(fill_value=0)
    counts = counts.reindex(index=list(sources), columns=list(SEVERITIES), fill_value=0)
    counts.index.name = "source"
    return counts.astype(int)
