"""Outcome rates: how often crimes of each offence were closed with a given outcome.

Pure functions over the figure table (fosi.figures). A rate's base is the all-crimes
figure for the same offence in the same response; its count is the same offence's
figure in the table for the outcome. Printed totals are never used as data: the
"All offences" row adds the figures, and validation has already compared that sum
with the printed total.
"""

from __future__ import annotations

import pandas as pd

# Intervals: Wilson score by default (GUIDE §5); "exact" is Clopper-Pearson.
CI_METHODS = ("wilson", "exact")
# Rates over fewer than this many crimes are shown with their interval and flagged, not ranked.
SMALL_BASE = 10
ALL_OFFENCES = "All offences"

_KEY = ["source", "row_label", "column_label"]
_METADATA = ["force", "period_start", "period_end", "date_basis", "unit"]

RATE_COLUMNS = [
    "source", *_METADATA, "outcome_code", "scope", "row_label", "column_label", "offence_code",
    "count", "base", "rate", "ci_low", "ci_high", "ci_method", "confidence", "small_base", "note",
]


def proportion_interval(count: int, base: int, confidence: float = 0.95, method: str = "wilson") -> tuple[float, float]:
    """Two-sided confidence interval for count/base (scipy's binomtest)."""
    from scipy.stats import binomtest  # scipy is slow to import: only when a rate is computed

    if method not in CI_METHODS:
        raise ValueError(f"unknown interval method {method!r}; choose one of {', '.join(CI_METHODS)}")
    interval = binomtest(int(count), int(base)).proportion_ci(confidence_level=confidence, method=method)
    return float(interval.low), float(interval.high)


def _offence_rows(figures: pd.DataFrame, source: str, outcome: str) -> pd.DataFrame:
    """One row per offence: its all-crimes figure (base) and its outcome figure (count)."""
    mine = figures[(figures["source"] == source) & (figures["kind"] == "figure")]
    base = mine[mine["outcome_code"].isna()]
    closed = mine[mine["outcome_code"] == outcome]
    totals = figures[(figures["source"] == source) & (figures["kind"] == "total") & (figures["outcome_code"] == outcome)]

    merged = base.merge(closed[_KEY + ["count"]], on=_KEY, how="outer", suffixes=("_base", ""), indicator=True)
    merged = merged.rename(columns={"count_base": "base"})
    merged["note"] = pd.Series(pd.NA, index=merged.index, dtype="string")

    # An offence absent from the outcome table is 0 only when the table's printed total
    # equals the sum of the rows it does list: then nothing is left for unlisted offences.
    listed_sum = closed["count"].sum(min_count=1)
    complete = len(totals) == 1 and pd.notna(totals["count"].iloc[0]) and closed["count"].notna().all() \
        and listed_sum == totals["count"].iloc[0]
    absent = merged["_merge"] == "left_only"
    if complete:
        merged.loc[absent, "count"] = 0
        merged.loc[absent, "note"] = "not listed; the printed total implies 0"
    else:
        merged.loc[absent, "note"] = "not listed, and no complete total: count unknown"
    merged.loc[merged["_merge"] == "right_only", "note"] = "not in the all-crimes table: base unknown"
    # A label printed twice in either table has no single count or base.
    twice = merged.duplicated(_KEY, keep=False)
    merged.loc[twice, ["count", "base"]] = pd.NA
    merged.loc[twice, "note"] = "printed more than once: count or base ambiguous"
    merged = merged.drop(columns="_merge")
    merged["scope"] = "offence"
    return merged


def _all_offences_row(rows: pd.DataFrame) -> pd.DataFrame:
    """The response's overall rate: sums of the offence figures (not the printed totals)."""
    known = rows["count"].notna().all() and rows["base"].notna().all()
    first = rows.iloc[0]
    record = {column: first[column] for column in ["source", *_METADATA]}
    record.update({
        "scope": "all offences",
        "row_label": ALL_OFFENCES,
        "column_label": first["column_label"],
        "offence_code": pd.NA,
        "count": rows["count"].sum() if known else pd.NA,
        "base": rows["base"].sum() if known else pd.NA,
        "note": pd.NA if known else "some offence figures are unknown: no overall rate",
    })
    return pd.DataFrame([record])


def outcome_rates(
    figures: pd.DataFrame,
    outcome: str,
    confidence: float = 0.95,
    method: str = "wilson",
) -> pd.DataFrame:
    """Share of each offence's crimes closed with ``outcome``, per response, with intervals.

    Only responses that print a table for ``outcome`` appear. Columns: RATE_COLUMNS.
    """
    pieces = []
    for source in figures.loc[figures["outcome_code"] == outcome, "source"].unique():
        rows = _offence_rows(figures, source, outcome)
        # Fill metadata on outcome-only rows from the response's other figures.
        for column in _METADATA:
            rows[column] = figures.loc[figures["source"] == source, column].iloc[0]
        for _, group in rows.groupby("column_label", dropna=False, sort=False):
            pieces.append(group)
            pieces.append(_all_offences_row(group))
    if not pieces:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in RATE_COLUMNS})
    rates = pd.concat(pieces, ignore_index=True)
    rates["outcome_code"] = outcome
    rates["count"] = rates["count"].astype("Int64")
    rates["base"] = rates["base"].astype("Int64")
    rates = with_intervals(rates, confidence, method)
    return rates[RATE_COLUMNS]


def with_intervals(rates: pd.DataFrame, confidence: float, method: str = "wilson") -> pd.DataFrame:
    """Add rate, ci_low, ci_high, ci_method, confidence and small_base to a table of count and base.

    Used for rates within a response and for rates per force, so both are computed alike."""
    rates = rates.copy()
    usable = rates["count"].notna() & rates["base"].notna() & (rates["base"] > 0) & (rates["count"] <= rates["base"])
    low, high, rate = [], [], []
    for count, base, ok in zip(rates["count"], rates["base"], usable):
        if ok:
            interval = proportion_interval(int(count), int(base), confidence, method)
            low.append(interval[0])
            high.append(interval[1])
            rate.append(count / base)
        else:
            low.append(float("nan"))
            high.append(float("nan"))
            rate.append(float("nan"))
    rates["rate"], rates["ci_low"], rates["ci_high"] = rate, low, high
    rates["ci_method"] = method
    rates["confidence"] = confidence
    rates["small_base"] = (rates["base"] < SMALL_BASE).fillna(False).astype(bool)
    return rates
