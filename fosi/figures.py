"""The figure table: one row per number printed in a response (GUIDE §4).

Every reader returns rows in this shape, so validation, analysis, notebooks and
exports never need to know which layout a figure came from. The README's data
dictionary documents each column; keep the two in step.
"""

from __future__ import annotations

import pandas as pd

# Column name -> pandas dtype. Order is the order of the CSV export.
FIGURE_COLUMNS: dict[str, str] = {
    "source": "string",  # file path as given, relative to the project root where possible
    "force": "string",  # canonical force name from the reference list; <NA> if unknown
    "period_start": "string",  # ISO date, first day covered (inclusive)
    "period_end": "string",  # ISO date, last day covered (inclusive)
    "date_basis": "string",  # "outcome" (outcome assigned in period) | "recorded" | <NA>
    "unit": "string",  # what is counted: "crimes", "people", "offences", "arrests", ...
    "table": "Int64",  # table number within the file, from 1
    "table_title": "string",  # the table's title as printed
    "row_label": "string",  # as printed
    "column_label": "string",  # as printed
    "offence_code": "string",  # Home Office offence code, e.g. "86/2"; <NA> if not mapped
    "outcome_code": "string",  # Home Office outcome code as a string ("21", "1A"); <NA> = all outcomes
    "count": "Int64",  # the number; <NA> when the cell holds a marker instead
    "marker": "string",  # the printed text when it is not a plain whole number ("*", "<5", blank)
    "kind": "string",  # "figure" or "total" (printed totals are checked, never summed again)
    "line": "Int64",  # 1-based line of the file where the number was printed
}

FIGURE_KINDS = ("figure", "total")


def empty_figures() -> pd.DataFrame:
    """An empty figure table with every column typed."""
    return pd.DataFrame({name: pd.Series(dtype=dtype) for name, dtype in FIGURE_COLUMNS.items()})


def figures_from_records(records: list[dict]) -> pd.DataFrame:
    """Build a typed figure table from dicts keyed by FIGURE_COLUMNS (missing keys become <NA>)."""
    if not records:
        return empty_figures()
    frame = pd.DataFrame.from_records(records, columns=list(FIGURE_COLUMNS))
    return frame.astype(FIGURE_COLUMNS)


def concat_figures(tables: list[pd.DataFrame]) -> pd.DataFrame:
    """Stack figure tables from several responses, keeping the dtypes."""
    tables = [t for t in tables if len(t)]
    if not tables:
        return empty_figures()
    return pd.concat(tables, ignore_index=True).astype(FIGURE_COLUMNS)
