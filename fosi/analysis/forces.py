"""Comparing forces: outcome mix, rates per force with intervals, counts per year and per
100,000 residents, the pooled rate, funnel plots, differences and trends.

Small, pure functions over a dataset's figure table and manifest. Every function that
combines responses runs the comparability guard (fosi.analysis.comparison) first and returns its
verdict with the result, so the caveats travel with every table, chart and sentence.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace

import pandas as pd

from fosi.analysis.comparison import (
    DEFAULT_OFFENCES,
    Verdict,
    age_group,
    comparable_responses,
    set_verdict,
)
from fosi.analysis.rates import (
    ALL_OFFENCES,
    NOT_COMPUTED,
    OFFENCE,
    outcome_rates,
    proportion_interval,
    with_intervals,
)
from fosi.model.periods import annualise, column_period
from fosi.reference import offence_order, outcome_introduced, populations, within

# Funnel limits (Spiegelhalter 2005): about 2 and 3 standard deviations.
FUNNEL_LEVELS = (0.95, 0.998)
# Over-dispersion (Spiegelhalter 2005, "Handling over-dispersion of performance indicators",
# Qual Saf Health Care 14:347-351): z-scores are Winsorised at their 10th and 90th percentiles
# (linear interpolation between order statistics: numpy's default, R's type 7), and the
# dispersion is significant when n*phi exceeds the 95% point of chi-squared on n - 1 degrees
# of freedom.
WINSOR = 0.10
DISPERSION_TEST = 0.05


@dataclass(frozen=True)
class Dispersion:
    """How much more the rates vary around the pooled rate than chance alone would make them."""

    responses: int  # n: the rates the estimate uses
    phi: float  # mean of the squared Winsorised z-scores
    statistic: float  # n * phi, chi-squared on n - 1 degrees of freedom when there is no over-dispersion
    critical: float  # the 95% point of that chi-squared
    p_value: float
    tau2: float  # between-response variance of the rate (additive random effects); 0 when n*phi <= n - 1

    @property
    def significant(self) -> bool:
        """Over-dispersed: the funnel's limits are widened by tau2."""
        return self.p_value < DISPERSION_TEST and self.tau2 > 0


@dataclass(frozen=True)
class Comparison:
    """A result across responses, with the comparability verdict it was computed under. The outcome
    mix and the counts by year are computed under the same verdict, or not at all."""

    table: pd.DataFrame
    verdict: Verdict
    pooled: float | None = None
    synthetic: bool = False  # made from fosi.analysis.synthetic's demonstration data, never real figures
    dispersion: Dispersion | None = None
    mix: pd.DataFrame = field(default_factory=pd.DataFrame, compare=False, repr=False)
    years: pd.DataFrame = field(default_factory=pd.DataFrame, compare=False, repr=False)
    asked: tuple[str, str] | None = None  # the period the request asked about (ISO dates), when it states one

    @property
    def rated(self) -> int:
        """How many responses have a rate (a withheld rate enters no pooled rate or funnel)."""
        return int(self.table["rate"].notna().sum()) if "rate" in self.table else 0


def outcome_mix(figures: pd.DataFrame, confidence: float = 0.95, findings: pd.DataFrame | None = None,
                offence_codes: list[str] | None = None, method: str = "wilson") -> pd.DataFrame:
    """For each response and offence, the share of its crimes closed with each outcome it reports.

    Shares are not added across outcomes: sub-codes (1A) are inside their parents, and a
    response need not list every outcome. No guard: across responses, use compare_forces.
    """
    codes = sorted(figures["outcome_code"].dropna().unique(), key=lambda c: (int(c.rstrip("ABCD")), c))
    pieces = [outcome_rates(figures, code, confidence, method, offence_codes, findings=findings)
              for code in codes]
    pieces = [p for p in pieces if not p.empty]
    if not pieces:
        return pd.DataFrame()
    mix = pd.concat(pieces, ignore_index=True)
    mix["sub_code"] = mix["outcome_code"].str.contains(r"[A-Z]$", regex=True)
    return mix


def force_rates(figures: pd.DataFrame, manifest: pd.DataFrame, outcome: str = "21",
                offence_codes: list[str] | None = None, confidence: float = 0.95, method: str = "wilson",
                override: bool = False, findings: pd.DataFrame | None = None, *,
                period_start: str | None = None, period_end: str | None = None, unit: str | None = None,
                asked: tuple[str, ...] | None = None) -> Comparison:
    """One rate per comparable response: crimes closed with ``outcome`` over all crimes, for the
    requested offences (default 86/*, the indecent-images-of-children group), with its interval,
    annualised counts and rate per 100,000.

    Which responses take part is decided per response (fosi.analysis.comparison.comparable_responses,
    given the requested period, offences, outcome and unit): the others are listed in the verdict
    with their reasons and never block the rest; ``override`` pools them anyway, and every output
    says so. The row for the requested offences of each response (fosi.analysis.rates) is its rate,
    so a rate withheld there is withheld here, with its reason, and enters no pooled rate or funnel."""
    chosen = list(offence_codes) if offence_codes else list(DEFAULT_OFFENCES)
    responses = comparable_responses(manifest, figures, outcome, period_start=period_start, period_end=period_end,
                                     offence_codes=chosen, unit=unit, asked=asked)
    verdict = set_verdict(responses, override)
    usable = responses["comparable"] | (override & ~responses["reasons"].str.startswith(
        ("it gives no figures", "it could not")))
    kept = set(responses.loc[usable, "file"])
    figures = figures[figures["source"].isin(kept)]
    rates = outcome_rates(figures, outcome, confidence, method, chosen, findings)
    table = one_rate_per_response(rates)
    ages = dict(zip(responses["file"], responses["age_restriction"]))
    table["age_filter"] = [ages.get(source) for source in table["source"]]
    table = with_intervals(table, confidence, method)
    table = per_year_and_population(table, outcome)
    comparison = Comparison(table, verdict, pooled_rate(table))
    return replace(comparison, dispersion=dispersion(comparison))


_RATE_ROW = ["source", "force", "period_start", "period_end", "date_basis", "unit", "row_label", "count", "base",
             "reason"]


def one_rate_per_response(rates: pd.DataFrame) -> pd.DataFrame:
    """Each response's rate for the offences chosen: its overall row. A response that gives its
    figures in year columns (2016, 2017) is one response, not one per year: its years are added up
    (fosi.analysis.combine.total, so only years that count the same things over days that do not
    overlap) into one rate over the whole span; so are columns of one offence each (offences
    across the top, years down the side); figures in other columns (age bands, sex) have no
    single rate for the response, and its row says so."""
    from fosi.analysis import combine

    rows = []
    overall = rates[rates["scope"] == ALL_OFFENCES] if len(rates) else rates
    for source, mine in overall.groupby("source", sort=False):
        record = mine.iloc[0][_RATE_ROW].to_dict()
        # The span of the offence rows it adds up (years down the side each date their own row).
        columns = set(mine["column_label"].astype(object).fillna(""))
        span = _span(rates[(rates["scope"] == OFFENCE) & (rates["source"] == source)
                           & rates["column_label"].astype(object).fillna("").isin(columns)])
        record.update(span)
        if len(mine) == 1:
            rows.append(record)
            continue
        columns = [str(c) for c in mine["column_label"]]
        # Offences across the top (years down the side): each column one offence, added like years.
        by_offence = mine["offence_code"].notna().all() and mine["offence_code"].nunique() == len(mine) \
            and not mine["offence_code"].str.contains(",").any()
        if not by_offence and not all(column_period(c) is not None for c in columns):
            record.update(count=pd.NA, base=pd.NA, reason=f"{NOT_COMPUTED}the response gives its figures in "
                          f"{len(columns)} columns ({', '.join(columns)}), and no one figure for all of them")
            rows.append(record)
            continue
        unrated = mine[mine["reason"].notna()]
        parts = [combine.Part(source, None, row.unit if isinstance(row.unit, str) else None,
                              row.date_basis if isinstance(row.date_basis, str) else None,
                              row.period_start, row.period_end, frozenset([str(row.offence_code)]), row.outcome_code,
                              force=row.force if isinstance(row.force, str) else None) for row in mine.itertuples()]
        counts = combine.total([None if pd.isna(v) else int(v) for v in mine["count"]], parts)
        bases = combine.total([None if pd.isna(v) else int(v) for v in mine["base"]],
                              [replace(p, outcome=None) for p in parts])
        whole = combine.merged(parts)
        record.update({"period_start": whole.period_start, "period_end": whole.period_end, **span})
        what = "offence" if by_offence else "year"
        if len(unrated):
            record.update(count=pd.NA, base=pd.NA, reason=f"{NOT_COMPUTED}its {what} {unrated['column_label'].iloc[0]} "
                          f"has no rate: {str(unrated['reason'].iloc[0]).removeprefix(NOT_COMPUTED)}")
        elif counts.refused or bases.refused:
            record.update(count=pd.NA, base=pd.NA, reason=f"{NOT_COMPUTED}{counts.reason or bases.reason}")
        else:
            record.update(count=counts.value, base=bases.value, reason=pd.NA,
                          row_label=f"{record['row_label']}, {what}s {', '.join(columns)} added")
        rows.append(record)
    table = pd.DataFrame(rows, columns=_RATE_ROW).rename(columns={"row_label": "offences"})
    table["count"] = table["count"].astype("Int64")
    table["base"] = table["base"].astype("Int64")
    table["reason"] = table["reason"].astype("string")
    return table.reset_index(drop=True)


def _span(rows: pd.DataFrame) -> dict:
    """The first and last day the rows cover, when every row states its period; else nothing."""
    starts, ends = rows["period_start"].dropna(), rows["period_end"].dropna()
    if rows.empty or len(starts) < len(rows) or len(ends) < len(rows):
        return {}
    return {"period_start": min(starts), "period_end": max(ends)}


_MID_YEAR = re.compile(r"^mid-(\d{4})$")


def _rounded(population: int) -> int:
    """To the nearest 100, halves up, as ONS asks of population estimates it publishes."""
    return (int(population) + 50) // 100 * 100


def population_for(force: str | None, start: str | None, end: str | None, age_filter: str | None = None) -> dict:
    """The reference population that matches a count: the force's area, the age group of the
    response's age filter (all ages when it states none), and a mid-year estimate (30 June) that
    falls within the period, the one nearest its middle. Returns the population (rounded to the
    nearest 100), its year, age group, source and confidence; or, with ``reason``, why there is none."""
    if not isinstance(force, str) or not isinstance(start, str) or not isinstance(end, str):
        return {"reason": f"{NOT_COMPUTED}the response does not state its force and period"}
    group = age_group(age_filter)
    if group in ("all ages", "under 18"):
        column = "population_all_ages" if group == "all ages" else "population_under_18"
    else:
        return {"reason": f"{NOT_COMPUTED}no population for the age group “{group}” in the reference list"}
    table = populations()
    rows = table[(table["police_force_area"] == force) & table[column].notna()
                 & table["reference_date"].str.match(_MID_YEAR.pattern)]
    if rows.empty:
        return {"reason": f"{NOT_COMPUTED}no {group} population for {force} in the reference list"}
    first, last = pd.Timestamp(start), pd.Timestamp(end)
    middle = first + (last - first) / 2
    candidates = []
    for row in rows.itertuples():
        year = int(_MID_YEAR.match(row.reference_date).group(1))
        mid_year = pd.Timestamp(year=year, month=6, day=30)
        if first <= mid_year <= last:
            candidates.append((abs(mid_year - middle), year, row))
    if not candidates:
        held = ", ".join(sorted(rows["reference_date"]))
        return {"reason": f"{NOT_COMPUTED}no {group} population for {force} in a year of the period "
                          f"(the reference list has {held})"}
    _, _, best = min(candidates, key=lambda c: (c[0], c[1]))
    return {"population": _rounded(getattr(best, column)), "reference_date": best.reference_date, "age_group": group,
            "source": best.source_type, "confidence": best.confidence, "caveat": best.notes}


def in_use(start: str, end: str, outcome: str | None) -> tuple[str, str] | None:
    """The part of a period in which ``outcome`` could be used (from the day the reference says it
    came into use); None when none of it could."""
    introduced = outcome_introduced(outcome) if outcome else None
    if introduced is None or introduced.isoformat() <= start:
        return start, end
    return (introduced.isoformat(), end) if introduced.isoformat() <= end else None


def per_year_and_population(table: pd.DataFrame, outcome: str | None = None) -> pd.DataFrame:
    """Counts per year of the true period length (only the days in which ``outcome`` was in use:
    Outcome 21 from January 2016), and per 100,000 residents per year where the reference list has
    a population that matches the count (fosi.analysis.forces.population_for); the population is
    named (year, age group, source, confidence), or the row says why there is none."""
    table = table.copy()
    per_year, per_100k, population_note = [], [], []
    ages = table["age_filter"] if "age_filter" in table else [None] * len(table)
    for row, age_filter in zip(table.itertuples(), ages):
        if pd.isna(row.rate) or not isinstance(row.period_start, str) or not isinstance(row.period_end, str):
            per_year.append(math.nan)
            per_100k.append(math.nan)
            population_note.append(f"{NOT_COMPUTED}no rate, or no period")
            continue
        span = in_use(row.period_start, row.period_end, outcome)
        if span is None:
            per_year.append(math.nan)
            per_100k.append(math.nan)
            population_note.append(f"{NOT_COMPUTED}Outcome {outcome} was not in use in the period")
            continue
        annual = annualise(int(row.count), *span)
        per_year.append(annual)
        population = population_for(row.force, row.period_start, row.period_end, age_filter)
        if "reason" in population:
            per_100k.append(math.nan)
            population_note.append(population["reason"])
        else:
            per_100k.append(annual / population["population"] * 100_000)
            population_note.append(f"{population['reference_date']} population {population['population']:,} "
                                   f"({population['age_group']}; {population['source']}, {population['confidence']})")
    table["count_per_year"] = per_year
    table["per_100k_per_year"] = per_100k
    table["population_note"] = population_note
    return table


def pooled_rate(table: pd.DataFrame) -> float | None:
    """The pooled rate over the responses whose own rate was computed (no withheld rate enters it),
    pooled by fosi.analysis.combine.pooled: None when any two of them may not be pooled. Every rate
    of a comparison holds the offences requested (force_rates keeps no other), so the parts' offence
    sets are the same by construction and left empty here."""
    from fosi.analysis import combine

    usable = table[table["rate"].notna()]
    if usable.empty:
        return None
    parts = [combine.Part(row.source, None, _or_none(row.unit), _or_none(row.date_basis), _or_none(row.period_start),
                          _or_none(row.period_end), frozenset(), "rate",
                          age_group(getattr(row, "age_filter", None)), _or_none(row.force))
             for row in usable.itertuples()]
    result = combine.pooled([int(c) for c in usable["count"]], [int(b) for b in usable["base"]], parts)
    return None if result.refused else float(result.value)


def _or_none(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def dispersion(comparison: Comparison, winsor: float = WINSOR) -> Dispersion | None:
    """Over-dispersion of the responses' rates around the pooled rate p0 (Spiegelhalter 2005, QSHC):
    z_i = (y_i - p0) / s_i with s_i^2 = p0 (1 - p0) / n_i; z Winsorised at its ``winsor`` and
    1 - ``winsor`` quantiles; phi = mean of z^2; n*phi tested against chi-squared on n - 1 degrees
    of freedom; tau^2 = (n*phi - (n - 1)) / (sum w - sum w^2 / sum w), w_i = 1 / s_i^2, and 0
    when n*phi <= n - 1. None when fewer than 3 rates are usable or p0 is 0 or 1."""
    import numpy as np
    from scipy.stats import chi2

    p0 = comparison.pooled
    usable = comparison.table[comparison.table["rate"].notna()]
    if p0 is None or not 0 < p0 < 1 or len(usable) < 3:
        return None
    base = usable["base"].astype(float).to_numpy()
    variance = p0 * (1 - p0) / base
    z = (usable["rate"].astype(float).to_numpy() - p0) / np.sqrt(variance)
    low, high = np.quantile(z, [winsor, 1 - winsor])
    z = np.clip(z, low, high)
    n = len(z)
    phi = float(np.mean(z ** 2))
    statistic = n * phi
    weights = 1 / variance
    tau2 = max(0.0, (statistic - (n - 1)) / (weights.sum() - (weights ** 2).sum() / weights.sum()))
    return Dispersion(n, phi, statistic, float(chi2.ppf(1 - DISPERSION_TEST, n - 1)),
                      float(chi2.sf(statistic, n - 1)), float(tau2))


def binomial_limit(probability: float, base: int, p0: float) -> float:
    """The exact binomial control limit for a proportion, interpolated between whole counts
    (Spiegelhalter 2005, Statistics in Medicine 24:1185, appendix A.1.1)."""
    from scipy.stats import binom

    r = binom.ppf(probability, base, p0)
    upper_cdf, lower_cdf = binom.cdf(r, base, p0), binom.cdf(r - 1, base, p0)
    alpha = (upper_cdf - probability) / (upper_cdf - lower_cdf) if upper_cdf > lower_cdf else 0.0
    return float(min(1.0, max(0.0, (r - alpha) / base)))


def limits(comparison: Comparison, base: int, level: float, adjusted: bool = True) -> tuple[float, float]:
    """The funnel's limits at a base: exact binomial around the pooled rate (Spiegelhalter 2005,
    Statistics in Medicine) or, when the rates are over-dispersed and ``adjusted``, the additive
    random-effects limits p0 ± z sqrt(p0 (1 - p0) / n + tau^2) (Spiegelhalter 2005, QSHC)."""
    from statistics import NormalDist

    p0 = comparison.pooled
    if p0 is None:
        return math.nan, math.nan
    tail = (1 - level) / 2
    spread = comparison.dispersion
    if adjusted and spread is not None and spread.significant:
        z = NormalDist().inv_cdf(1 - tail)
        half = z * math.sqrt(p0 * (1 - p0) / base + spread.tau2)
        return max(0.0, p0 - half), min(1.0, p0 + half)
    return binomial_limit(tail, base, p0), binomial_limit(1 - tail, base, p0)


def funnel(comparison: Comparison, levels: tuple[float, ...] = FUNNEL_LEVELS, points: int = 200) -> pd.DataFrame:
    """Control limits around the pooled rate for bases from 1 to beyond the largest base: columns
    base, lower/upper for each level (e.g. lower_95, upper_99.8) as drawn (widened for
    over-dispersion when it is significant), and the exact binomial ones unadjusted
    (lower_95_unadjusted, ...)."""
    top = int(comparison.table["base"].max()) if len(comparison.table) and comparison.table["base"].notna().any() else 1
    bases = sorted({max(1, int(round(b))) for b in
                    [1, *[math.exp(math.log(top * 1.1) * k / points) for k in range(points + 1)]]})
    rows = []
    for base in bases:
        row = {"base": base}
        for level in levels:
            label = f"{level * 100:g}"
            row[f"lower_{label}"], row[f"upper_{label}"] = limits(comparison, base, level)
            row[f"lower_{label}_unadjusted"], row[f"upper_{label}_unadjusted"] = limits(comparison, base, level, False)
        rows.append(row)
    return pd.DataFrame(rows)


def outliers(comparison: Comparison, levels: tuple[float, ...] = FUNNEL_LEVELS) -> pd.DataFrame:
    """The responses whose rate lies outside the limits drawn at the narrowest level: the side
    (``outside``: above or below) and the widest level whose limits they lie outside (``level``)."""
    table = comparison.table.copy()
    table["outside"], table["level"] = "", math.nan
    if comparison.pooled is None:
        return table.iloc[0:0]
    for index, row in table.iterrows():
        if pd.isna(row["rate"]):
            continue
        for level in sorted(levels):
            low, high = limits(comparison, int(row["base"]), level)
            side = "above" if row["rate"] > high else "below" if row["rate"] < low else ""
            if not side:
                break
            table.loc[index, ["outside", "level"]] = side, level
    return table[table["outside"] != ""]


def difference(count_a: int, base_a: int, count_b: int, base_b: int, confidence: float = 0.95) -> tuple[float, float, float]:
    """Difference of two proportions with Newcombe's hybrid score interval (Newcombe 1998,
    method 10, built from Wilson intervals): (difference, low, high)."""
    p1, p2 = count_a / base_a, count_b / base_b
    l1, u1 = proportion_interval(count_a, base_a, confidence)
    l2, u2 = proportion_interval(count_b, base_b, confidence)
    d = p1 - p2
    return d, d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2), d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)


def yearly(figures: pd.DataFrame, outcome: str, offence_codes: list[str] | None = None) -> pd.DataFrame:
    """Where a response gives year columns (2019, 2019/20): the outcome's count in each year, for
    the requested offences (default 86/*), added up by fosi.analysis.combine.total: the same
    offence printed in two tables for the same year (a table by offence and one by suspect age
    count the same crimes) is never added twice; such a year's count is not given, and ``reason``
    says why. A year column's dates come from its label."""
    from fosi.analysis import combine
    from fosi.analysis.rates import select_offences

    chosen = select_offences(list(offence_codes) if offence_codes else list(DEFAULT_OFFENCES))
    rows = []
    closed = figures[(figures["kind"] == "figure") & (figures["outcome_code"] == outcome)]
    coded = closed.groupby("source")["offence_code"].transform(lambda codes: codes.notna().any())
    # A response whose outcome figures name no offence at all (a table of outcomes by year, its
    # offences stated in a note) is taken as printed, one table only; otherwise only the offences chosen.
    kept = pd.Series([within(code, chosen) for code in closed["offence_code"]], index=closed.index, dtype=bool)
    closed = closed[kept | ~coded.astype(bool)]
    for (source, year), cells in closed.groupby(["source", "column_label"], sort=False):
        span = column_period(year)
        if span is None:
            continue
        parts = [combine.Part(source, int(row.table), _or_none(row.unit), _or_none(row.date_basis),
                              span[0].isoformat(), span[1].isoformat(),
                              # the offence as printed: rows of one table count disjoint crimes, whatever their code
                              frozenset([f"{row.offence_code if isinstance(row.offence_code, str) else 'no code'}: "
                                         f"{row.row_label}"]),
                              outcome,
                              age_group(getattr(row, "age_restriction", None)), _or_none(row.force))
                 for row in cells.itertuples()]
        added = combine.total([None if pd.isna(v) else int(v) for v in cells["count"]], parts)
        rows.append({"source": source, "force": cells["force"].iloc[0], "year": year,
                     "year_start": span[0].isoformat(), "year_end": span[1].isoformat(), "outcome_code": outcome,
                     "offences": ", ".join(sorted(set(cells["offence_code"].fillna("not coded")), key=offence_order)),
                     "count": pd.NA if added.refused else added.value, "unit": cells["unit"].iloc[0],
                     "reason": added.reason if added.refused else pd.NA})
    table = pd.DataFrame(rows, columns=["source", "force", "year", "year_start", "year_end", "outcome_code",
                                        "offences", "count", "unit", "reason"])
    table["count"] = table["count"].astype("Int64")
    return table


PERIOD_POLICIES = ("any", "same")


def apply_period_policy(manifest: pd.DataFrame, policy: str) -> tuple[pd.DataFrame, list[str]]:
    """'any' keeps every response (period differences become caveats); 'same' keeps only the
    responses covering the period most of them cover, and on a tie the latest (the later end,
    then the later start). Returns the kept manifest and the files left out."""
    if policy not in PERIOD_POLICIES:
        raise ValueError(f"period_policy must be one of {', '.join(PERIOD_POLICIES)}, not {policy!r}")
    if policy == "any" or manifest.empty:
        return manifest, []
    periods = [(s if isinstance(s, str) else "", e if isinstance(e, str) else "")
               for s, e in zip(manifest["period_start"], manifest["period_end"])]
    common = max(sorted(set(periods)), key=lambda p: (periods.count(p), p[1], p[0]))
    keep = [p == common for p in periods]
    return manifest[keep], list(manifest.loc[[not k for k in keep], "file"])


def compare_forces(dataset, outcome: str = "21", offences: list[str] | None = None,
                   period_policy: str = "any", confidence: float = 0.95, override: bool = False,
                   method: str = "wilson", *, period_start: str | None = None, period_end: str | None = None,
                   unit: str | None = None, asked: tuple[str, ...] | None = None,
                   offence_codes: list[str] | None = None) -> Comparison:
    """The force comparison in one call: which responses are comparable (each decided on its own,
    against the requested period, offences, outcome and unit; the others listed with their reasons),
    one rate per comparable response, the pooled rate and its dispersion, the outcome mix and the
    counts by year, all on the same responses and offences (default 86/*). ``offences`` keeps
    chosen offences (``offence_codes``, its former name, is accepted for one release); ``asked``,
    the forces the request named (a reply from any other is left out, as on the index)."""
    if offence_codes is not None:
        import warnings

        warnings.warn("compare_forces: offence_codes is now called offences; the old name is accepted in this "
                      "release only", FutureWarning, stacklevel=2)
        offences = offences or offence_codes
    offence_codes = offences
    manifest, left_out = apply_period_policy(dataset.manifest, period_policy)
    chosen = list(offence_codes) if offence_codes else list(DEFAULT_OFFENCES)
    figures = dataset.figures[dataset.figures["source"].isin(manifest["file"])]
    findings = dataset.findings[dataset.findings["source"].isin(manifest["file"])]
    result = force_rates(figures, manifest, outcome, chosen, confidence, method, override, findings,
                         period_start=period_start, period_end=period_end, unit=unit, asked=asked)
    taking_part = figures[figures["source"].isin(result.table["source"])]
    result = replace(result, mix=outcome_mix(taking_part, confidence, findings, chosen, method),
                     years=yearly(taking_part, outcome, chosen))
    if left_out:
        caveat = f"left out by period policy 'same': {', '.join(left_out)}"
        result = replace(result, verdict=replace(result.verdict, caveats=(*result.verdict.caveats, caveat)))
    if period_start and period_end:
        result = replace(result, asked=(period_start, period_end))
    result.table.attrs["outcome"] = outcome
    return result


def demonstration(outcome: str = "21", confidence: float = 0.95) -> Comparison:
    """The comparison on fosi.analysis.synthetic's SYNTHETIC forces, for the chosen outcome, marked as such."""
    from fosi.analysis.synthetic import synthetic_dataset

    data = synthetic_dataset(outcome=outcome)
    result = force_rates(data.figures, data.manifest, outcome, None, confidence)
    result.table.attrs["outcome"] = outcome
    return replace(result, synthetic=True)
