"""Corrections to printed figures, the reviewed way (TheEconomist/big-mac-data style).

``corrections.csv`` beside a folder of responses (``data/corrections.csv`` for ``data/raw/``)
lists each correction with its reason and reviewer (``corrections_for`` is the one rule for
which file applies); every command applies it in code and records the printed value beside the corrected one. The raw
file is never touched. A correction that no longer matches what is printed (the file
changed, or a typo in the location) is reported, never applied blindly.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Sequence
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


CORRECTIONS_NAMES = ("corrections.csv", "corrections.xlsx")


def corrections_beside(source: Path) -> Path | None:
    """The corrections file of a named source: ``corrections.csv`` (or ``corrections.xlsx``)
    beside the folder named, that is in its parent (data/corrections.csv for data/raw/); for a
    file named, beside the folder holding it. None when there is none."""
    folder = source if source.is_dir() else source.parent
    found = [folder.parent / name for name in CORRECTIONS_NAMES if (folder.parent / name).is_file()]
    if len(found) > 1:
        raise InputError(str(found[0]), f"and {found[1].name} both stand beside {folder.name}/: keep one "
                                        "corrections file")
    return found[0] if found else None


def corrections_for(sources: Sequence[Path], named: Path | None = None) -> dict[Path, Path | None]:
    """The one rule for which corrections apply, used by every command, ``fosi.load``, the build
    and the reports: for each named source, the file named outright (``--corrections``,
    ``corrections=``), else the one beside it (``corrections_beside``). Never a file beside a
    folder that was not named."""
    return {source: named if named is not None else corrections_beside(source) for source in sources}


def read_corrections(path: Path | None, shown_as: str | None = None) -> list[Correction]:
    """The corrections file, checked: every column present, a whole-number correction, a reason
    and a reviewer. A ``.csv`` as Excel saves it (UTF-8 with or without a BOM, Windows-1252, ``,``
    or ``;`` between fields) or an ``.xlsx`` (its first sheet). No file: no corrections."""
    if path is None:
        return []
    shown_as = shown_as or str(path)
    if not path.exists():
        return []
    try:
        header, rows = _xlsx_rows(path, shown_as) if path.suffix.lower() == ".xlsx" else _csv_rows(path, shown_as)
    except OSError as error:
        from fosi.errors import describe_os_error

        raise InputError(shown_as, f"cannot read the corrections: {describe_os_error(error, '')}") from None
    names = [str(name or "").strip().lower() for name in header]
    missing = [c for c in COLUMNS if c not in names]
    if missing:
        raise InputError(shown_as, f"missing column(s) {', '.join(missing)}; needs {', '.join(COLUMNS)}", 1)
    corrections = []
    for number, cells in rows:
        row = dict(zip(names, cells))
        values = {k: _cell_text(row.get(k)) for k in COLUMNS}
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


def _cell_text(value: object) -> str:
    """A cell as text: Excel gives numbers as numbers (358.0 is '358') and dates as dates."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _csv_rows(path: Path, shown_as: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")  # Excel's "CSV UTF-8" starts with a byte-order mark
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")  # Excel's plain "CSV" on Windows
    lines = text.splitlines()
    first = lines[0] if lines else ""
    separator = _separator(first)
    header_cells = [c.strip().lower() for c in first.split(separator)]
    if not all(c in header_cells for c in COLUMNS):
        shown = {",": "','", ";": "';'", "\t": "tabs"}.get(separator, repr(separator))
        missing = [c for c in COLUMNS if c not in header_cells]
        raise InputError(shown_as, f"missing column(s) {', '.join(missing)} in its first line, read as fields "
                                   f"separated by {shown}; needs {', '.join(COLUMNS)}, separated by ',' or ';'", 1)
    rows = list(csv.reader(text.splitlines(keepends=True), delimiter=separator))
    return rows[0], [(number, cells) for number, cells in enumerate(rows[1:], start=2)]


def _separator(header: str) -> str:
    """The field separator of a corrections file, from its header line: ',' or ';' (Excel uses ';'
    where the decimal mark is a comma), or a tab."""
    counts = {sep: header.count(sep) for sep in (",", ";", "\t")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def _xlsx_rows(path: Path, shown_as: str) -> tuple[list, list[tuple[int, list]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # noqa: BLE001 - openpyxl raises many kinds for a damaged or foreign file
        raise InputError(shown_as, f"cannot be read as an Excel workbook ({type(error).__name__}): save it "
                                   "again from Excel as .xlsx, or as CSV") from None
    try:
        rows = [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]
    finally:
        book.close()
    if not rows:
        return [], []
    return rows[0], [(number, cells) for number, cells in enumerate(rows[1:], start=2)]


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
