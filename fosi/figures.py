"""The figure table: one row per number printed in a response (GUIDE §4).

Every reader returns rows in this shape, so validation, analysis, notebooks and
exports never need to know which layout a figure came from. Readers and checks work
on plain records (dicts keyed by FIGURE_COLUMNS), which is fast; analysis works on
the DataFrame. The README's data dictionary documents each column; keep the two in step.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

# Column name -> pandas dtype. Order is the order of the CSV export.
FIGURE_COLUMNS: dict[str, str] = {
    "source": "string",  # file path, relative to the project root where possible
    "force": "string",  # the force's short name from the reference list; <NA> if unknown
    "period_start": "string",  # ISO date, first day covered (inclusive)
    "period_end": "string",  # ISO date, last day covered (inclusive)
    "date_basis": "string",  # "outcome" (outcome assigned in period) | "recorded" | <NA>
    "unit": "string",  # what is counted: "crimes", "people", "offences", "arrests", ...
    "table": "Int64",  # table number within the file, from 1
    "table_title": "string",  # the table's title as printed
    "row_group": "string",  # a merged label printed once above the rows it covers; <NA> if none
    "row_label": "string",  # as printed (an outcome code prefix such as "01:" goes to outcome_code)
    "column_label": "string",  # as printed
    "offence_code": "string",  # Home Office offence code, e.g. "86/2"; <NA> if not mapped
    "outcome_code": "string",  # Home Office outcome code as a string ("21", "1A"); <NA> = all outcomes
    "count": "Int64",  # the number; <NA> when the cell holds a marker instead
    "marker": "string",  # the printed text when it is not a plain whole number ("*", "<5", blank)
    "kind": "string",  # "figure" or "total" (printed totals are checked, never summed again)
    "line": "Int64",  # 1-based line of a text file where the number is printed
    "location": "string",  # where it is printed, for every kind of file: "19", "Sheet1!C7", "p2 l14"
}

FIGURE_KINDS = ("figure", "total")


def empty_figures() -> pd.DataFrame:
    """An empty figure table with every column typed."""
    return pd.DataFrame({name: pd.Series(dtype=dtype) for name, dtype in FIGURE_COLUMNS.items()})


def figures_frame(records: Iterable[dict]) -> pd.DataFrame:
    """A typed figure table from records keyed by FIGURE_COLUMNS (missing keys become <NA>)."""
    records = list(records)
    if not records:
        return empty_figures()
    frame = pd.DataFrame.from_records(records, columns=list(FIGURE_COLUMNS))
    return frame.astype(FIGURE_COLUMNS)
