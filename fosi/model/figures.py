"""The figure table: one row per number printed in a response (GUIDE §4).

Every reader returns rows in this shape, so validation, analysis, notebooks and
exports never need to know which layout a figure came from. Readers and checks work
on plain records (dicts keyed by the column names), which is fast; analysis works on
the DataFrame. The README's data dictionary and datapackage.json are written from the
same descriptions; keep the README in step.
"""

from __future__ import annotations

from collections.abc import Iterable
from operator import itemgetter
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

# Column name -> (pandas dtype, description). Order is the order of the CSV export.
FIGURE_SCHEMA: dict[str, tuple[str, str]] = {
    "source": ("string", "the response file, relative to the project root where it is inside it"),
    "force": ("string", "the force's short name from the reference list; empty if the response does not say"),
    "period_start": ("string", "first day covered, ISO date (inclusive)"),
    "period_end": ("string", "last day covered, ISO date (inclusive)"),
    "date_basis": ("string", "what places a crime in the period: outcome (outcome assigned) or recorded, as the "
                             "figure's own table states it, else as the response does"),
    "unit": ("string", "what is counted: crimes, offences, people, arrests, suspects (the figure's own table's unit "
                       "where its title names one, else the response's)"),
    "age_restriction": ("string", "the ages the figure is restricted to where its table, a note or a sidecar says "
                                  "so ('under 18': suspects aged under 18); empty: all ages"),
    "table": ("Int64", "the table's number within the file, from 1"),
    "table_title": ("string", "the table's title as printed"),
    "row_group": ("string", "a merged label printed once above the rows it covers; empty if none"),
    "row_label": ("string", "the row's label as printed (an outcome code prefix such as '01:' goes to outcome_code)"),
    "column_group": ("string", "a spanning column name printed once over the columns it covers (e.g. 'Outcome 2' "
                               "over 'Female', 'Male'); empty if none"),
    "column_label": ("string", "the column's label as printed"),
    "offence_code": ("string", "Home Office offence code the force's label maps to (86/2, 86/10, 8/71), or codes "
                               "joined by + for offences counted together (86/2+86/10); empty if none"),
    "outcome_code": ("string", "Home Office outcome code as a string (21, 1A); empty for all-outcome figures"),
    "count": ("Int64", "the number; empty when the cell holds a marker instead"),
    "marker": ("string", "the printed text when it is not a plain whole number (*, <5, -, blank); blank is not zero"),
    "kind": ("string", "figure; total for a printed total (checked, never summed again); prose for a count "
                       "stated in a sentence (kept and shown, never used as a table's figure)"),
    "line": ("Int64", "1-based line of a text or HTML file where the number is printed"),
    "location": ("string", "where the number is printed, for any kind of file: 19, Sheet1!C7, p2 l14, t2 r3 c4"),
    "corrected_from": ("string", "the printed value, where a reviewed correction replaced it; else empty"),
}
FIGURE_COLUMNS: dict[str, str] = {name: dtype for name, (dtype, _) in FIGURE_SCHEMA.items()}
FIGURE_DESCRIPTIONS: dict[str, str] = {name: text for name, (_, text) in FIGURE_SCHEMA.items()}

# The largest count fosi takes as a number. All crime the police record in England and Wales is
# under ten million a year, so no response can honestly print a count of a billion; and with every
# count at most 10^9, any sum of counts (up to nine billion of them) stays within the 64-bit
# integers of pandas' Int64 and numpy. A larger count is a count-invalid error (fosi.checks.validate) and
# its figure keeps the printed digits as its marker, with no count: never an overflow or a wrap.
MAX_COUNT = 10**9

# A record's values in FIGURE_COLUMNS order (every reader's record has every column).
_figure_row = itemgetter(*FIGURE_COLUMNS)


def in_range(count: int | None) -> bool:
    """Is the count one fosi keeps as a number (see MAX_COUNT)? A missing count is."""
    return count is None or -MAX_COUNT <= count <= MAX_COUNT


def within_range(record: dict) -> dict:
    """The record itself; or, when its count is beyond MAX_COUNT, a copy with no count and the
    count's digits as its marker."""
    count = record.get("count")
    if in_range(count):
        return record
    return {**record, "count": None, "marker": record.get("marker") or str(count)}


def figure_rows(records: Iterable[dict]) -> list[tuple]:
    """Each record as a row of the figure table, in FIGURE_COLUMNS order (counts within range)."""
    return [_figure_row(within_range(record)) for record in records]


def figures_frame(records: Iterable[dict]) -> pd.DataFrame:
    """A typed figure table from records keyed by FIGURE_COLUMNS (missing keys become <NA>)."""
    return table_of([within_range(record) for record in records], FIGURE_COLUMNS)


def table_of(records: Iterable[dict | tuple], dtypes: dict[str, str]) -> pd.DataFrame:
    """A typed table from records: dicts (missing keys become <NA>) or tuples in column order."""
    import pandas as pd

    return pd.DataFrame.from_records(list(records), columns=list(dtypes)).astype(dtypes)
