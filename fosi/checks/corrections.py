"""Corrections to printed figures, the reviewed way (TheEconomist/big-mac-data style).

``data/corrections.csv`` lists each correction with its reason and reviewer; the build
applies it in code and records the printed value beside the corrected one. The raw
file is never touched. A correction that no longer matches what is printed (the file
changed, or a typo in the location) is reported, never applied blindly.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from fosi.errors import InputError
from fosi.model.dataset import Correction
from fosi.model.figures import MAX_COUNT, in_range
from fosi.model.findings import Finding
from fosi.model.response import Response

COLUMNS = ("file", "location", "printed_value", "corrected_value", "reason", "reviewed_by", "reviewed_on")


def corrections_by_file(corrections: list[Correction]) -> Callable[[str], list[Correction]]:
    """A lookup of the corrections naming a source (as Correction.matches_file decides), for many
    sources at once: each source asks only for its own path and the paths it ends with."""
    index: dict[str, list[Correction]] = defaultdict(list)
    for correction in corrections:
        index[correction.file].append(correction)

    def lookup(source: str) -> list[Correction]:
        if not index:
            return []
        parts = source.split("/")
        found = [c for i in range(len(parts)) for c in index.get("/".join(parts[i:]), ())]
        return [c for c in corrections if c in found and c.matches_file(source)] if found else []

    return lookup


def read_corrections(path: Path, shown_as: str | None = None) -> list[Correction]:
    """The corrections file, checked: every column present, a whole-number correction, a reason and a reviewer."""
    shown_as = shown_as or str(path)
    if not path.exists():
        return []
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise InputError(shown_as, f"missing column(s) {', '.join(missing)}; needs {', '.join(COLUMNS)}", 1)
        corrections = []
        for number, row in enumerate(reader, start=2):
            values = {k: (row.get(k) or "").strip() for k in COLUMNS}
            if not any(values.values()):
                continue
            for required in ("file", "location", "printed_value", "reason", "reviewed_by", "reviewed_on"):
                if not values[required]:
                    raise InputError(shown_as, f"{required} is empty: every correction needs it", number)
            try:
                corrected = int(values["corrected_value"].replace(",", ""))
            except ValueError:
                raise InputError(shown_as, f"corrected_value {values['corrected_value']!r} is not a whole number",
                                 number) from None
            if not in_range(corrected):
                raise InputError(shown_as, f"corrected_value {values['corrected_value']} is beyond {MAX_COUNT:,}, "
                                           "more than any response can count", number)
            try:
                dt.date.fromisoformat(values["reviewed_on"])
            except ValueError:
                raise InputError(shown_as, f"reviewed_on {values['reviewed_on']!r} is not a date (YYYY-MM-DD)",
                                 number) from None
            corrections.append(Correction(values["file"], values["location"], values["printed_value"], corrected,
                                          values["reason"], values["reviewed_by"], values["reviewed_on"], number))
    return corrections


def _printed(record: dict) -> str:
    return record["marker"] if record["marker"] is not None else str(record["count"])


def apply_corrections(response: Response, corrections: list[Correction], shown_as: str) -> tuple[Response, list[Correction]]:
    """The response with its corrections applied, and the corrections that were applied.

    A correction whose location or printed value does not match is a finding (error).
    """
    mine = [c for c in corrections if c.matches_file(response.source)]
    if not mine:
        return response, []
    records = list(response.records)
    applied, findings = [], []
    for correction in mine:
        index = next((i for i, r in enumerate(records) if r["location"] == correction.location), None)
        if index is None or _printed(records[index]) != correction.printed_value:
            found = "nothing" if index is None else repr(_printed(records[index]))
            findings.append(Finding(
                "correction-unmatched", "error", response.source, None,
                f"{shown_as} line {correction.line} corrects {correction.printed_value!r} at {correction.location}, "
                f"but {found} is printed there: not applied", correction.printed_value,
                None if index is None else _printed(records[index]), correction.location))
            continue
        records[index] = {**records[index], "count": correction.corrected_value,
                          "corrected_from": correction.printed_value}
        applied.append(correction)
    return replace(response, records=tuple(records), findings=(*response.findings, *findings)), applied
