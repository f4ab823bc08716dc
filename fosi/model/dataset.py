"""A dataset: everything read from a set of responses, as tables.

- ``figures``: the figure table (fosi.model.figures), corrections applied;
- ``findings``: every check's findings (fosi.model.findings);
- ``manifest``: one row per file: its hash, reader, what it is, its metadata, counts;
- ``notes``: the responses' own notes and caveats, as printed;
- ``corrections``: the reviewed corrections applied.

``fosi build`` writes one to ``data/processed/`` (one CSV file per table, written from each
file's rows as CSV text); notebooks read it from there when it is up to date with ``data/raw/``,
or build one in memory from the files they are given.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from fosi.model.figures import (
    FIGURE_COLUMNS,
    FIGURE_DESCRIPTIONS,
    figure_rows,
    table_of,
)
from fosi.model.findings import FINDING_COLUMNS, Finding, finding_row
from fosi.model.response import METADATA_FIELDS, RESPONSE_FIELDS, Response

if TYPE_CHECKING:
    import pandas as pd

MANIFEST_COLUMNS: dict[str, str] = {
    "file": "string",  # as in the figure table's source column
    "sha256": "string",  # of the file's bytes, as received
    "sidecar": "string",  # the NAME.yml beside it, if any
    "reader": "string",  # text | csv | xlsx | xls | ods | pdf | html | docx | email | msg
    "response": "string",  # what it is: "table", "refusal: section 12 cost limit", "no table found", ...
    "sections": "string",  # the refusal sections the reply relies on in its own words: "s31;s40"
    "statement": "string",  # what its own words say besides figures: "not held", "clarification", or empty
    "force": "string",
    "period_start": "string",
    "period_end": "string",
    "date_basis": "string",
    "unit": "string",
    "age_filter": "string",
    "request_reference": "string",  # the force's reference: from a sidecar, or an email's subject
    "date_received": "string",  # ISO date: from a sidecar, or an email's Date: header
    "url": "string",  # the response's address: from a sidecar, a saved web page, or an email's Archived-At:
    "figures": "Int64",
    "totals": "Int64",
    "numbers_not_read": "Int64",  # plausible counts printed but not read, each reported by a finding
    "errors": "Int64",
    "warnings": "Int64",
    "infos": "Int64",
    "corrections": "Int64",  # reviewed corrections applied
    "status": "string",  # "ok", or "failed" when the file could not be read
    "reason": "string",  # why it failed
}
NOTE_COLUMNS = {"source": "string", "location": "string", "text": "string"}
CORRECTION_COLUMNS = {"file": "string", "location": "string", "printed_value": "string", "corrected_value": "Int64",
                      "reason": "string", "reviewed_by": "string", "reviewed_on": "string"}
FILES = {"figures": "figures.csv", "findings": "findings.csv", "manifest": "manifest.csv", "notes": "notes.csv",
         "corrections": "corrections_applied.csv"}


def _dtypes(name: str) -> dict[str, str]:
    return {"figures": FIGURE_COLUMNS, "findings": FINDING_COLUMNS, "manifest": MANIFEST_COLUMNS,
            "notes": NOTE_COLUMNS, "corrections": CORRECTION_COLUMNS}[name]


@dataclass(frozen=True)
class Correction:
    file: str  # the response, relative to data/raw/ (or as recorded in the figure table)
    location: str  # where the figure is printed, as in the figure table's location column
    printed_value: str  # as printed: "685", "*"
    corrected_value: int
    reason: str
    reviewed_by: str
    reviewed_on: str
    line: int  # line of corrections.csv, for messages

    def matches_file(self, source: str) -> bool:
        return source == self.file or source.endswith("/" + self.file)


@dataclass(frozen=True)
class Dataset:
    figures: pd.DataFrame
    findings: pd.DataFrame
    manifest: pd.DataFrame
    notes: pd.DataFrame
    corrections: pd.DataFrame

    @property
    def sources(self) -> list[str]:
        return list(self.manifest["file"])


@dataclass(frozen=True)
class FileResult:
    """One file of a build: its response (when it could be read) and what happened."""

    file: str
    sha256: str
    sidecar: str | None
    response: Response | None
    findings: tuple[Finding, ...]
    corrections: tuple[Correction, ...] = ()
    reason: str | None = None  # why it could not be read: the InputError's one-line message
    error: Exception | None = None


def manifest_row(result: FileResult) -> dict:
    response = result.response
    severities = [f.severity for f in result.findings]
    row = {
        "file": result.file, "sha256": result.sha256, "sidecar": result.sidecar,
        "reader": response.reader if response else None,
        "response": response.kind if response else None,
        "sections": ";".join(response.sections) if response else None,
        "statement": response.statement if response else None,
        "figures": sum(1 for r in response.records if r["kind"] == "figure") if response else 0,
        "totals": sum(1 for r in response.records if r["kind"] == "total") if response else 0,
        "numbers_not_read": response.unread_numbers if response else None,
        "errors": severities.count("error"), "warnings": severities.count("warning"),
        "infos": severities.count("info"), "corrections": len(result.corrections),
        "status": "ok" if response else "failed", "reason": result.reason,
        "age_filter": (response.sidecar.get("age_filter") or response.metadata.value("age_restriction"))
        if response else None,
    }
    for name in (*METADATA_FIELDS, *RESPONSE_FIELDS):
        row[name] = response.metadata.value(name) if response else None
    return row


class FileRows(NamedTuple):
    """What one file adds to each table of a dataset: rows as tuples in the tables' column order.

    A build's workers turn them into each table's CSV text (fosi.build.FilePart) rather than
    sending the Response back; load_dataset joins them into the dataset's frames.
    """

    figures: list[tuple]
    findings: list[tuple]
    manifest: tuple
    notes: list[tuple]
    corrections: list[tuple]


def file_rows(result: FileResult) -> FileRows:
    """The rows one file adds to each table of the dataset."""
    records = result.response.records if result.response else ()
    manifest = manifest_row(result)
    return FileRows(
        figures=figure_rows(records),
        findings=[finding_row(f) for f in result.findings],
        manifest=tuple([manifest[name] for name in MANIFEST_COLUMNS]),
        notes=[(result.file, n.where(), n.text) for n in result.response.notes] if result.response else [],
        corrections=[tuple([getattr(c, name) for name in CORRECTION_COLUMNS]) for c in result.corrections],
    )


def dataset_from_rows(parts: Iterable[FileRows]) -> Dataset:
    """One dataset from the rows of each file, in the order given."""
    parts = list(parts)
    return Dataset(
        figures=table_of((row for part in parts for row in part.figures), FIGURE_COLUMNS),
        findings=table_of((row for part in parts for row in part.findings), FINDING_COLUMNS),
        manifest=table_of((part.manifest for part in parts), MANIFEST_COLUMNS),
        notes=table_of((row for part in parts for row in part.notes), NOTE_COLUMNS),
        corrections=table_of((row for part in parts for row in part.corrections), CORRECTION_COLUMNS),
    )


def with_names(dataset: Dataset, names: dict[str, str]) -> Dataset:
    """The dataset with its files named anew (``names``: {name: new name}) wherever a file is named:
    the figures', findings' and notes' source, the manifest's file and sidecar, the corrections'
    file, and inside the
    texts that quote a name (a reason why a file could not be read, a finding's message)."""
    if not names:
        return dataset
    # Longest first, so that a name inside a longer one (a zip and its members) is not cut.
    ordered = sorted(names, key=len, reverse=True)

    def within(text: object) -> object:
        if not isinstance(text, str):
            return text
        for old in ordered:
            if old in text:
                text = text.replace(old, names[old])
        return text

    def renamed(frame: pd.DataFrame, columns: tuple[str, ...], texts: tuple[str, ...]) -> pd.DataFrame:
        frame = frame.copy()
        for column in columns:
            if column in frame:
                frame[column] = frame[column].map(lambda name: names.get(name, name)).astype(frame[column].dtype)
        for column in texts:
            if column in frame:
                frame[column] = frame[column].map(within).astype(frame[column].dtype)
        return frame

    return Dataset(figures=renamed(dataset.figures, ("source",), ()),
                   findings=renamed(dataset.findings, ("source",), ("message",)),
                   manifest=renamed(dataset.manifest, ("file", "sidecar"), ("reason",)),
                   notes=renamed(dataset.notes, ("source",), ()),
                   corrections=renamed(dataset.corrections, ("file",), ()))


def read_dataset(folder: Path) -> Dataset:
    """A dataset written by ``fosi build``: ``folder`` is the output folder (its current generation
    is read, resolved once) or one generation."""
    import pandas as pd

    from fosi.generations import current_generation

    folder = current_generation(folder) or folder
    tables = {}
    for name, filename in FILES.items():
        table = pd.read_csv(folder / filename, dtype="string", keep_default_na=False, na_values=[""])
        tables[name] = table.apply(_as_printed).astype(_dtypes(name))
    return Dataset(**tables)


def write_dataset(dataset: Dataset, folder: Path) -> None:
    """Write every table of a dataset, and datapackage.json, into ``folder`` as ``fosi build``
    writes them (a report run's data/: inside a generation that is switched in whole)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, filename in FILES.items():
        table = getattr(dataset, name)
        rows = table.astype(object).where(table.notna(), None).itertuples(index=False, name=None)
        (folder / filename).write_text(csv_header(name) + csv_text(rows), encoding="utf-8")
    (folder / "datapackage.json").write_text(datapackage(), encoding="utf-8")


# Text a spreadsheet would run as a formula ("=HYPERLINK(...)", "+cmd|...", "@SUM(...)", "-2+3"), but not
# a negative number or percentage ("-5", "-1.5%"): OWASP's list for CSV injection.
FORMULA = re.compile(r"^[=+@\t\r]|^-(?![\d.,]*%?$)(?=.)")
_INERT = "'"  # a spreadsheet shows a cell starting with an apostrophe as the text after it


def formula_safe(text: str) -> str:
    """Text for a spreadsheet cell: formula-like text behind an apostrophe, so it is shown, never run."""
    return _INERT + text if FORMULA.search(text) else text


def _may_be_formula(value: object) -> bool:
    return isinstance(value, str) and value[:1] in ("=", "+", "@", "\t", "\r", "-", _INERT)


def _inert(value: object) -> object:
    """A value as a dataset's CSV stores it: formula-like text neutralised as the reports' downloads
    neutralise it, and text that starts with the apostrophe itself given one more, so that reading
    it back (_as_printed) gives every value exactly."""
    if isinstance(value, str) and (value.startswith(_INERT) or FORMULA.search(value)):
        return _INERT + value
    return value


def _as_printed(column):
    """A text column read back from a dataset's CSV: the apostrophe _inert put in front taken away."""
    marked = column.str.startswith(_INERT).fillna(False)
    return column.mask(marked, column.str.slice(1)) if marked.any() else column


def csv_text(rows: Iterable[tuple]) -> str:
    """Rows as CSV text, as pandas writes a table (commas, quotes only where needed, "\n" line
    ends, nothing for a missing value), except that a value holding a carriage return is quoted
    too: Python's csv module quotes only the characters of its line end, and an unquoted "\r" (in a
    file name, say) ends the row for every reader; and text a spreadsheet would run as a formula
    is stored behind an apostrophe (``_inert``), as in every CSV fosi publishes."""
    rows = [tuple(_inert(v) for v in row) if any(_may_be_formula(v) for v in row) else row for row in rows]
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    text = buffer.getvalue()
    if "\r" not in text:
        return text  # the common case, found in one scan
    return "".join(",".join(_csv_field(value) for value in row) + "\n" for row in rows)


def _csv_field(value: object) -> str:
    if value is None:
        return ""
    text = str(value)
    if any(c in text for c in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def table_texts(part: FileRows) -> tuple[str, ...]:
    """What one file adds to each table file of a built dataset (FILES order), as CSV text."""
    return tuple(csv_text(rows) for rows in (part.figures, part.findings, [part.manifest], part.notes,
                                             part.corrections))


def csv_header(name: str) -> str:
    """The first line of a table's CSV file."""
    return csv_text([tuple(_dtypes(name))])


def datapackage() -> str:
    """A Frictionless Data Package descriptor (Table Schema for each CSV), as JSON text."""
    def schema(dtypes: dict[str, str], descriptions: dict[str, str] | None = None) -> dict:
        return {"fields": [
            {"name": name, "type": "integer" if dtype == "Int64" else "string",
             **({"description": descriptions[name]} if descriptions and name in descriptions else {})}
            for name, dtype in dtypes.items()
        ], "missingValues": [""]}

    resources = [
        {"name": name, "path": FILES[name], "profile": "tabular-data-resource", "format": "csv",
         "mediatype": "text/csv", "encoding": "utf-8",
         "schema": schema(_dtypes(name), FIGURE_DESCRIPTIONS if name == "figures" else None)}
        for name in FILES
    ]
    descriptor = {
        "profile": "tabular-data-package",
        "name": "fosi-figures",
        "title": "Figures read from police FOI responses on indecent-images-of-children offences",
        "description": "One row per number printed in each response, traceable to its file and location. "
                       "Printed totals have kind=total and are kept for checking, never to be summed again. "
                       "A blank count with a marker is not zero.",
        "resources": resources,
    }
    return json.dumps(descriptor, indent=1, ensure_ascii=False) + "\n"


def summary_line(responses: int, failed: int, errors: int = 0, tables_not_read: int = 0) -> str:
    """The last line of every command that reads responses: '11 responses: 10 read, 1 could not be
    read; 3 error findings (1 table not read)'."""
    text = f"{responses} response{'s' if responses != 1 else ''}: {responses - failed} read, {failed} could not be read"
    if errors:
        text += f"; {errors} error finding{'s' if errors != 1 else ''}"
        if tables_not_read:
            text += f" ({tables_not_read} table{'s' if tables_not_read != 1 else ''} not read)"
    return text


def dataset_summary(dataset: Dataset) -> str:
    """summary_line for a dataset read now (fosi parse, validate, rates)."""
    manifest, findings = dataset.manifest, dataset.findings
    return summary_line(len(manifest), int((manifest["status"] == "failed").sum()),
                        int((findings["severity"] == "error").sum()),
                        int((findings["rule"] == "table-not-read").sum()))
