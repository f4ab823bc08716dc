"""Comparing forces: outcome mix, rates per force with intervals, counts per year and per
100,000 residents, the pooled rate, funnel plots, differences and trends.

Small, pure functions over a dataset's figure table and manifest. Every function that
combines responses runs the comparability guard (fosi.compare) first and returns its
verdict with the result, so the caveats travel with every table, chart and sentence.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from fosi.analysis import outcome_rates, proportion_interval, with_intervals
from fosi.compare import Verdict, require
from fosi.periods import annualise, column_period
from fosi.reference import populations

# Funnel limits (Spiegelhalter 2005): about 2 and 3 standard deviations.
FUNNEL_LEVELS = (0.95, 0.998)


@dataclass(frozen=True)
class Comparison:
    """A result across responses, with the comparability verdict it was computed under."""

    table: pd.DataFrame
    verdict: Verdict
    pooled: float | None = None
    synthetic: bool = False  # made from fosi.synthetic's demonstration data, never real figures


def outcome_mix(figures: pd.DataFrame, confidence: float = 0.95) -> pd.DataFrame:
    """For each response and offence, the share of its crimes closed with each outcome it reports.

    Shares are not added across outcomes: sub-codes (1A) are inside their parents, and a
    response need not list every outcome.
    """
    codes = sorted(figures["outcome_code"].dropna().unique(), key=lambda c: (int(c.rstrip("ABCD")), c))
    pieces = [outcome_rates(figures, code, confidence) for code in codes]
    pieces = [p for p in pieces if not p.empty]
    if not pieces:
        return pd.DataFrame()
    mix = pd.concat(pieces, ignore_index=True)
    mix["sub_code"] = mix["outcome_code"].str.contains(r"[A-Z]$", regex=True)
    return mix


def _selected(figures: pd.DataFrame, offence_codes: list[str] | None) -> pd.DataFrame:
    if not offence_codes:
        return figures
    keep = figures["offence_code"].isin(offence_codes) | figures["kind"].eq("total")
    return figures[keep]


def force_rates(figures: pd.DataFrame, manifest: pd.DataFrame, outcome: str = "21",
                offence_codes: list[str] | None = None, confidence: float = 0.95, method: str = "wilson",
                override: bool = False) -> Comparison:
    """One rate per response: crimes closed with ``outcome`` over all crimes, for the chosen
    offences (default: all), with its interval, annualised counts and rate per 100,000."""
    verdict = require(manifest, figures, outcome, override)
    chosen = _selected(figures, offence_codes)
    rates = outcome_rates(chosen, outcome, confidence, method)
    if offence_codes:
        rates = rates[(rates["scope"] == "offence")]
        grouped = rates.groupby("source", sort=False).agg(
            force=("force", "first"), period_start=("period_start", "first"), period_end=("period_end", "first"),
            unit=("unit", "first"), count=("count", lambda s: s.sum(min_count=len(s))),
            base=("base", lambda s: s.sum(min_count=len(s)))).reset_index()
    else:
        grouped = rates[rates["scope"] == "all offences"][
            ["source", "force", "period_start", "period_end", "unit", "count", "base"]].reset_index(drop=True)
    table = with_intervals(grouped, confidence, method)
    table["offences"] = ", ".join(offence_codes) if offence_codes else "all"
    table = per_year_and_population(table)
    pooled = pooled_rate(table)
    return Comparison(table, verdict, pooled)


def population_for(force: str | None, start: str | None, end: str | None) -> dict | None:
    """The reference population of a force's area for the mid-year nearest the period's middle."""
    if not isinstance(force, str) or not isinstance(start, str) or not isinstance(end, str):
        return None
    table = populations()
    rows = table[table["police_force_area"] == force]
    if rows.empty:
        return None
    middle = pd.Timestamp(start) + (pd.Timestamp(end) - pd.Timestamp(start)) / 2
    years_of = rows["reference_date"].str.extract(r"(\d{4})")[0].astype(int)
    best = rows.loc[(years_of + 0.5 - (middle.year + middle.day_of_year / 366)).abs().idxmin()]
    return {"population": int(best["population_all_ages"]), "reference_date": best["reference_date"],
            "source": best["source_type"], "confidence": best["confidence"], "caveat": best["notes"]}


def per_year_and_population(table: pd.DataFrame) -> pd.DataFrame:
    """Counts per year of the true period length, and per 100,000 residents per year where the
    reference list has the force's population (with its source and confidence); otherwise the
    row says why not."""
    table = table.copy()
    per_year, per_100k, population_note = [], [], []
    for row in table.itertuples():
        if pd.isna(row.count) or not isinstance(row.period_start, str) or not isinstance(row.period_end, str):
            per_year.append(math.nan)
            per_100k.append(math.nan)
            population_note.append("no count or no period: not computed")
            continue
        annual = annualise(int(row.count), row.period_start, row.period_end)
        per_year.append(annual)
        population = population_for(row.force, row.period_start, row.period_end)
        if population is None:
            per_100k.append(math.nan)
            population_note.append(f"no population for {row.force} in the reference list: not computed")
        else:
            per_100k.append(annual / population["population"] * 100_000)
            population_note.append(f"{population['reference_date']} population {population['population']:,} "
                                   f"({population['source']}, {population['confidence']})")
    table["count_per_year"] = per_year
    table["per_100k_per_year"] = per_100k
    table["population_note"] = population_note
    return table


def pooled_rate(table: pd.DataFrame) -> float | None:
    usable = table[table["count"].notna() & table["base"].notna()]
    if usable.empty or usable["base"].sum() == 0:
        return None
    return float(usable["count"].sum() / usable["base"].sum())


def binomial_limit(probability: float, base: int, p0: float) -> float:
    """The exact binomial control limit for a proportion, interpolated between whole counts
    (Spiegelhalter 2005, Statistics in Medicine 24:1185, appendix A.1.1)."""
    from scipy.stats import binom

    r = binom.ppf(probability, base, p0)
    upper_cdf, lower_cdf = binom.cdf(r, base, p0), binom.cdf(r - 1, base, p0)
    alpha = (upper_cdf - probability) / (upper_cdf - lower_cdf) if upper_cdf > lower_cdf else 0.0
    return float(min(1.0, max(0.0, (r - alpha) / base)))


def funnel(comparison: Comparison, levels: tuple[float, ...] = FUNNEL_LEVELS, points: int = 200) -> pd.DataFrame:
    """Control limits around the pooled rate for bases from 1 to the largest base:
    columns base, and lower/upper for each level (e.g. lower_95, upper_99.8)."""
    p0 = comparison.pooled
    top = int(comparison.table["base"].max()) if len(comparison.table) else 1
    bases = sorted({max(1, int(round(b))) for b in
                    [1, *[math.exp(math.log(top * 1.1) * k / points) for k in range(points + 1)]]})
    rows = []
    for base in bases:
        row = {"base": base}
        for level in levels:
            tail = (1 - level) / 2
            label = f"{level * 100:g}"
            row[f"lower_{label}"] = binomial_limit(tail, base, p0) if p0 is not None else math.nan
            row[f"upper_{label}"] = binomial_limit(1 - tail, base, p0) if p0 is not None else math.nan
        rows.append(row)
    return pd.DataFrame(rows)


def outliers(comparison: Comparison, level: float = 0.998) -> pd.DataFrame:
    """The responses whose rate lies outside the funnel's limits at ``level``, and on which side."""
    table = comparison.table.copy()
    if comparison.pooled is None:
        table["outside"] = ""
        return table.iloc[0:0]
    tail = (1 - level) / 2
    sides = []
    for row in table.itertuples():
        if pd.isna(row.rate):
            sides.append("")
            continue
        low = binomial_limit(tail, int(row.base), comparison.pooled)
        high = binomial_limit(1 - tail, int(row.base), comparison.pooled)
        sides.append("above" if row.rate > high else "below" if row.rate < low else "")
    table["outside"] = sides
    return table[table["outside"] != ""]


def difference(count_a: int, base_a: int, count_b: int, base_b: int, confidence: float = 0.95) -> tuple[float, float, float]:
    """Difference of two proportions with Newcombe's hybrid score interval (Newcombe 1998,
    method 10, built from Wilson intervals): (difference, low, high)."""
    p1, p2 = count_a / base_a, count_b / base_b
    l1, u1 = proportion_interval(count_a, base_a, confidence)
    l2, u2 = proportion_interval(count_b, base_b, confidence)
    d = p1 - p2
    return d, d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2), d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)


def yearly(figures: pd.DataFrame, outcome: str) -> pd.DataFrame:
    """Where a response gives year columns (2019, 2019/20): the outcome's count in each year.

    Whole years are compared as they are; a year column's dates come from its label.
    """
    rows = []
    closed = figures[(figures["kind"] == "figure") & (figures["outcome_code"] == outcome)]
    for (source, year), cells in closed.groupby(["source", "column_label"], sort=False):
        span = column_period(year)
        if span is None:
            continue
        rows.append({"source": source, "force": cells["force"].iloc[0], "year": year,
                     "year_start": span[0].isoformat(), "year_end": span[1].isoformat(), "outcome_code": outcome,
                     "count": cells["count"].sum(min_count=len(cells)), "unit": cells["unit"].iloc[0]})
    return pd.DataFrame(rows, columns=["source", "force", "year", "year_start", "year_end", "outcome_code",
                                       "count", "unit"])


PERIOD_POLICIES = ("any", "same")


def apply_period_policy(manifest: pd.DataFrame, policy: str) -> tuple[pd.DataFrame, list[str]]:
    """'any' keeps every response (period differences become caveats); 'same' keeps only the
    responses covering the most common period. Returns the kept manifest and the files left out."""
    if policy not in PERIOD_POLICIES:
        raise ValueError(f"period_policy must be one of {', '.join(PERIOD_POLICIES)}, not {policy!r}")
    if policy == "any" or manifest.empty:
        return manifest, []
    periods = list(zip(manifest["period_start"], manifest["period_end"]))
    common = max(set(periods), key=periods.count)
    keep = [p == common for p in periods]
    return manifest[keep], list(manifest.loc[[not k for k in keep], "file"])


def compare_forces(dataset, outcome: str = "21", offence_codes: list[str] | None = None,
                   period_policy: str = "any", confidence: float = 0.95, override: bool = False,
                   method: str = "wilson") -> Comparison:
    """The force comparison in one call: the guard's verdict, one rate per response, the pooled
    rate. A set that is not comparable (without ``override``) gives an empty table and the verdict
    saying why, so a notebook still shows what stopped it."""
    from fosi.compare import NotComparableError, assess

    manifest, left_out = apply_period_policy(dataset.manifest, period_policy)
    figures = dataset.figures[dataset.figures["source"].isin(manifest["file"])]
    try:
        result = force_rates(figures, manifest, outcome, offence_codes, confidence, method, override)
    except NotComparableError:
        result = Comparison(pd.DataFrame(columns=["source", "force", "count", "base", "rate"]),
                            assess(manifest, figures, outcome), None)
    if left_out:
        caveat = f"left out by period policy 'same': {', '.join(left_out)}"
        result = Comparison(result.table, Verdict(result.verdict.verdict, result.verdict.responses,
                                                  (*result.verdict.caveats, caveat), result.verdict.override,
                                                  result.verdict.pairs), result.pooled, result.synthetic)
    result.table.attrs["outcome"] = outcome
    return result


def demonstration(outcome: str = "21", confidence: float = 0.95) -> Comparison:
    """The comparison on fosi.synthetic's SYNTHETIC forces, marked as such."""
    from fosi.synthetic import synthetic_dataset

    data = synthetic_dataset()
    result = force_rates(data.figures, data.manifest, "21", None, confidence)
    result.table.attrs["outcome"] = "21"
    return Comparison(result.table, result.verdict, result.pooled, synthetic=True)
