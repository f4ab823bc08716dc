"""Outcome rates: how often crimes of each offence were closed with a given outcome.

Pure functions over the figure table (fosi.model.figures) and, where given, the findings
(fosi.model.findings). A rate's base is the all-crimes figure for the same offence in the same
response, taken only from a table that presents itself as all crimes
(fosi.reference.presents_all_crimes); its count is the same offence's figure in the table
for the outcome. Printed totals are never used as data: an overall or group row adds the
offence figures, and validation has already compared that sum with the printed total.

A rate is not computed, and its ``reason`` says why, when a figure is unknown or
withheld, when the count and base follow different date bases, when a finding says its
own figures contradict each other, or when there are no crimes to rate.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pandas as pd

from fosi.analysis import combine
from fosi.analysis.combine import MORE_THAN_ALL, NO_CRIMES, Part, total
from fosi.analysis.comparison import age_group
from fosi.checks.suppression import is_suppressed, value_range
from fosi.model.periods import column_period
from fosi.readers.formats.sidecar import BASE_STATED
from fosi.readers.layout.cells import is_total_label
from fosi.reference import (
    expand_offence_codes,
    names_an_offence,
    offence_group,
    offence_order,
    outcome_named,
    presents_all_crimes,
    presents_all_of_unit,
)

# Intervals: Wilson score by default (GUIDE §5); "exact" is Clopper-Pearson.
CI_METHODS = ("wilson", "exact")
# Rates over fewer than this many crimes are shown with their interval and flagged, not ranked.
SMALL_BASE = 10
NOT_COMPUTED = "not computed: "
# Scopes of a rate row: one offence as printed, a group of offences (86/x), or every offence kept.
OFFENCE, GROUP, ALL_OFFENCES = "offence", "offence group", "all offences"

_KEY = ["source", "row_label", "column_label"]
_METADATA = ["force", "period_start", "period_end", "date_basis", "unit"]
# Findings that put the figures they concern in doubt, besides every error.
_CONTESTING_RULES = frozenset({"date-basis-mixed"})

RATE_COLUMNS = [
    "source", *_METADATA, "outcome_code", "scope", "row_label", "column_label", "offence_code",
    "count", "base", "count_marker", "base_marker", "rate", "ci_low", "ci_high", "ci_method", "confidence",
    "small_base", "note", "reason",
]


def proportion_interval(count: int, base: int, confidence: float = 0.95, method: str = "wilson") -> tuple[float, float]:
    """Two-sided confidence interval for count/base (scipy's binomtest)."""
    if method not in CI_METHODS:
        raise ValueError(f"unknown interval method {method!r}; choose one of {', '.join(CI_METHODS)}")
    return _interval(int(count), int(base), float(confidence), method)


@lru_cache(maxsize=65_536)
def _interval(count: int, base: int, confidence: float, method: str) -> tuple[float, float]:
    # Cached: a build rates every offence of every response, and the same (count, base) recurs;
    # scipy's binomtest costs about a millisecond a call, mostly its own set-up. scipy is slow to
    # import: only when a rate is computed.
    from scipy.stats import binomtest

    interval = binomtest(count, base).proportion_ci(confidence_level=confidence, method=method)
    return float(interval.low), float(interval.high)


def select_offences(codes: list[str] | None) -> list[str]:
    """The offence codes a filter keeps, wildcards expanded ("86/*" is every 86/ code); empty: all."""
    return [code for pattern in codes or [] for code in expand_offence_codes(pattern)]


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _places(locations: list[object]) -> str:
    """'lines 11 and 20' (text files) or 'Sheet1!B2 and Sheet1!B9': where the figures are printed."""
    unique = sorted({str(place) for place in locations if not pd.isna(place) and str(place)},
                    key=lambda p: (not p.isdigit(), int(p) if p.isdigit() else 0, p))
    if not unique:
        return "the figures"
    joined = unique[0] if len(unique) == 1 else ", ".join(unique[:-1]) + " and " + unique[-1]
    if all(p.isdigit() for p in unique):
        return f"line{'s' if len(unique) > 1 else ''} {joined}"
    return joined


def stated_bases(findings: pd.DataFrame | None) -> set[int]:
    """The tables a sidecar states count all crimes (its ``base_table``, carried as a finding)."""
    if findings is None or findings.empty:
        return set()
    return {int(table) for table in findings.loc[findings["rule"] == BASE_STATED, "table"].dropna()}


def base_figures(mine: pd.DataFrame, stated: set[int] | None = None) -> pd.DataFrame:
    """The figures of one response that count all crimes: printed in a table that presents itself
    as all crimes (or, where a sidecar states which table does, that table and no other), in a row
    and a column that name no outcome or disposal."""
    tables = sorted(stated) if stated else [
        number for number, cells in mine.groupby("table", sort=False, dropna=False)
        if presents_all_crimes(_text(cells["table_title"].iloc[0]), [_text(code) for code in cells["outcome_code"]])]
    base = mine[(mine["kind"] == "figure") & mine["table"].isin(tables) & mine["outcome_code"].isna()]
    plain = [outcome_named(_text(row)) is None and outcome_named(_text(column)) is None
             for row, column in zip(base["row_label"], base["column_label"])]
    return base[pd.Series(plain, index=base.index, dtype=bool)]


# What is left of a column's label once it no longer says what it counts: "2021" of "Crimes recorded
# 2021" and of "Outcome 21 (2021)", so that the two columns of one year pair up.
_OUTCOME_WORDS = re.compile(r"\b(?:home\s+office\s+)?(?:outcome|oc|ho)\s*(?:code\s*)?\d{1,2}\b", re.IGNORECASE)
_COUNTED_WORDS = re.compile(r"\b(?:all|total|number|no|of|the|crimes?|offences?|offenses?|recorded|reported|people|"
                            r"persons?|suspects?|individuals|offenders|closed|with)\b", re.IGNORECASE)


def _residue(label: str) -> str:
    left = _COUNTED_WORDS.sub(" ", _OUTCOME_WORDS.sub(" ", label))
    return " ".join(re.sub(r"[^\w/]+", " ", left).split())


def _pairs(bases: list[str], outcomes: list[str]) -> dict[str, str]:
    """Each base column's label and each outcome column's, to the label the two share: one base
    column and one outcome column pair up whole; several pair by what is left of their labels
    (the year both name), and only where that pairing is one to one."""
    if len(bases) == 1 and len(outcomes) == 1:
        return {bases[0]: "", outcomes[0]: ""}
    keys = {label: _residue(label) for label in [*bases, *outcomes]}
    shared = {key for key in keys.values() if key and [keys[b] for b in bases].count(key) == 1
              and [keys[o] for o in outcomes].count(key) == 1}
    return {label: key for label, key in keys.items() if key in shared}


def _bases_beside(mine: pd.DataFrame, closed: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Bases printed beside the outcome, in one table ("Offence | Crimes recorded | Outcome 21"):
    the figures of each column that says it counts all crimes of its row (presents_all_of_unit),
    in rows that are not totals, each paired with the outcome's column of the same column group.
    Returns those bases and the outcome figures, both with the column label the pair shares (the
    group or the year both name; none for a single pair), so that a count meets its base."""
    shared = mine[mine["table"].isin(closed["table"].dropna().unique())]
    if shared["outcome_code"].notna().all():
        return mine.iloc[0:0], closed  # every figure beside the outcome's names an outcome: no base here
    found, closed = [], closed.copy()
    for _number, cells in shared.groupby("table", sort=False):
        unit = _only(cells["unit"])
        rows_counted = set(zip(cells.loc[cells["kind"] == "figure", "row_group"].fillna(""),
                               cells.loc[cells["kind"] == "figure", "row_label"]))
        in_counted_row = pd.Series([key in rows_counted for key in zip(cells["row_group"].fillna(""), cells["row_label"])],
                                   index=cells.index, dtype=bool)
        says_all = cells["column_label"].map(lambda label: presents_all_of_unit(_text(label), _text(unit)))
        candidates = cells[cells["outcome_code"].isna() & says_all.astype(bool) & in_counted_row]
        mine_closed = closed[closed.index.isin(cells.index)]
        for group in cells["column_group"].drop_duplicates():
            def same(frame: pd.DataFrame) -> pd.Series:
                return frame["column_group"].isna() if pd.isna(group) else frame["column_group"] == group
            outcomes = mine_closed[same(mine_closed)]
            # A column that holds the outcome's figures is no base column (the measure is in the rows).
            bases = candidates[same(candidates) & ~candidates["column_label"].isin(outcomes["column_label"])]
            pairs = _pairs(list(bases["column_label"].dropna().unique()), list(outcomes["column_label"].dropna().unique()))
            if not pairs:
                continue
            prefix = "" if pd.isna(group) else str(group)

            def shared(label: object) -> object:
                return " ".join(filter(None, [prefix, pairs[label]])) or pd.NA
            paired = bases[bases["column_label"].isin(pairs)].copy()
            paired["column_label"] = paired["column_label"].map(shared).astype("string")
            found.append(paired)
            relabel = outcomes.index[outcomes["column_label"].isin(pairs)]
            closed.loc[relabel, "column_label"] = closed.loc[relabel, "column_label"].map(shared).astype("string")
    return (pd.concat(found) if found else mine.iloc[0:0]), closed


def _bases_beneath(mine: pd.DataFrame, closed: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Bases printed as a row under each offence, above or below the outcome's row (an offence as
    the row group, then "All crimes" and "Outcome 21"): the row that says it counts all crimes
    (presents_all_of_unit), paired with the outcome's row of the same group when each is the only
    one. Returns those bases and the outcome's figures, both labelled with the group (the offence)."""
    shared = mine[mine["table"].isin(closed["table"].dropna().unique())]
    if shared["row_group"].isna().all() or shared["outcome_code"].notna().all():
        return mine.iloc[0:0], closed  # no offence as a group over its measures
    found, closed = [], closed.copy()
    for _number, cells in shared.groupby("table", sort=False):
        unit = _text(_only(cells["unit"]))
        grouped = cells[cells["row_group"].notna() & cells["outcome_code"].isna() & (cells["kind"] == "figure")]
        says_all = grouped["row_label"].map(lambda label: presents_all_of_unit(_text(label), unit)).astype(bool)
        candidates = grouped[says_all]
        mine_closed = closed[closed.index.isin(cells.index) & closed["row_group"].notna()]
        for group in candidates["row_group"].unique():
            bases = candidates[candidates["row_group"] == group]
            outcomes = mine_closed[mine_closed["row_group"] == group]
            if bases["row_label"].nunique() != 1 or outcomes["row_label"].nunique() != 1:
                continue
            found.append(bases.assign(row_label=group))
            closed.loc[outcomes.index, "row_label"] = group
    return (pd.concat(found) if found else mine.iloc[0:0]), closed


def _bases_of_outcome_mix(mine: pd.DataFrame, closed: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Bases of a table whose rows are outcomes (every outcome the crimes received, one per row,
    offences or periods across the top): each column's Total row counts all its crimes. The one
    place a printed total is a base: in an outcome mix it is what "all crimes" means, and
    validation has compared it with the rows above it (a finding withholds the rate where they
    disagree). Returns those bases and the outcome's figures, both turned so that the column (the
    offence or period) is the row label a count and its base share."""
    shared = mine[mine["table"].isin(closed["table"].dropna().unique())]
    if shared["outcome_code"].nunique() < 2:
        return mine.iloc[0:0], closed  # one outcome throughout: no mix
    found, closed = [], closed.copy()
    for _number, cells in shared.groupby("table", sort=False):
        rows = cells[~cells["row_label"].map(lambda label: isinstance(label, str) and is_total_label(label))]
        if rows["outcome_code"].dropna().nunique() < 2:
            continue  # one outcome throughout: not a mix
        total_row = cells[(cells["kind"] == "total") & ~cells.index.isin(rows.index)]
        columns = set(rows.loc[rows["kind"] == "figure", "column_label"].dropna())  # not a Total column
        bases = total_row[total_row["column_label"].isin(columns) & total_row["outcome_code"].isna()]
        if bases.empty:
            continue
        turned = bases.assign(row_label=bases["column_label"], column_label=pd.NA, kind="figure")
        found.append(turned)
        mine_closed = closed.index[closed.index.isin(rows.index) & closed["column_label"].isin(columns)]
        closed.loc[mine_closed, "row_label"] = closed.loc[mine_closed, "column_label"]
        closed.loc[mine_closed, "column_label"] = pd.NA
    return (pd.concat(found) if found else mine.iloc[0:0]), closed


def _set_aside(mine: pd.DataFrame) -> list[str]:
    """Tables with no outcome code whose titles name an outcome fosi cannot map: never a base."""
    found = []
    for number, cells in mine.groupby("table", sort=False, dropna=False):
        title = _text(cells["table_title"].iloc[0])
        if cells["outcome_code"].isna().all() and (named := outcome_named(title)):
            found.append(f"table {number}, “{title}”, counts {named}, an outcome fosi cannot map, not all crimes")
    return found


def _contested(findings: pd.DataFrame | None, mine: pd.DataFrame) -> tuple[dict, dict]:
    """What the findings put in doubt: figures by (table, location) and whole tables by number,
    each with (the finding's location, its rule). A finding placed at a figure concerns that
    figure; one placed elsewhere in a table (its title, its date basis) concerns the table."""
    figures: dict[tuple, tuple[str, str]] = {}
    tables: dict[int, tuple[str, str]] = {}
    if findings is None or findings.empty:
        return figures, tables
    source = mine["source"].iloc[0]
    doubt = findings[(findings["source"] == source) & findings["table"].notna()
                     & ((findings["severity"] == "error") | findings["rule"].isin(_CONTESTING_RULES))]
    printed = set(zip(mine["table"], mine["location"]))
    for table, location, rule in zip(doubt["table"], doubt["location"], doubt["rule"]):
        if (table, location) in printed:
            figures.setdefault((table, location), (location, rule))
        else:
            tables.setdefault(int(table), (location, rule))
    return figures, tables


def _missing(what: str, marker: object) -> str:
    """Why a count or base is not a number: withheld as small, or not given."""
    if not isinstance(marker, str):
        return f"{NOT_COMPUTED}the {what} is not printed"
    if is_suppressed(None, marker):
        return f"{NOT_COMPUTED}the {what} is withheld ({marker.strip()})"
    return f"{NOT_COMPUTED}the {what} is not given (printed “{marker.strip()}”)" if marker.strip() else \
        f"{NOT_COMPUTED}the {what} is blank"


SMALL_COUNTS_OMITTED = "small-counts-omitted"  # a note says small counts are left out of the tables


def _part(row: dict | pd.Series, side: str, source: str, outcome: str | None) -> Part:
    """What one side of a rate row counts (``side`` "" for the count, "_base" for the base)."""
    def value(name: str) -> str | None:
        return _text(row.get(name + side))
    # The offence as printed (its row's label: several labels may share one code, and each row of
    # a table counts its own crimes), with its code where it has one.
    code, label = _text(row.get("offence_code")), _text(row.get("row_label"))
    table = row.get("table" + side)
    return Part(source, None if pd.isna(table) else int(table), value("unit"), value("date_basis"),
                value("period_start"), value("period_end"),
                frozenset([f"{code or 'no code'}: “{label}”"]), outcome,
                age_group(value("age_restriction")), value("force"))


def _offence_rows(mine: pd.DataFrame, source: str, outcome: str, findings: pd.DataFrame | None) -> pd.DataFrame:
    """One row per offence of one response's figures (``mine``): its all-crimes figure (base) and
    its outcome figure (count), with the reason when no rate can be computed from them
    (fosi.analysis.combine.rate decides)."""
    closed = mine[(mine["kind"] == "figure") & (mine["outcome_code"] == outcome)]
    stated = stated_bases(findings)
    if stated:  # the sidecar says which table counts all crimes: that one only
        base = base_figures(mine, stated)
    else:
        beside, closed = _bases_beside(mine, closed)
        beneath, closed = _bases_beneath(mine, closed)
        mixed, closed = _bases_of_outcome_mix(mine, closed)
        found = [frame for frame in (beside, beneath, mixed) if len(frame)]
        base = pd.concat([base_figures(mine), *found]) if found else base_figures(mine)
    totals = mine[(mine["kind"] == "total") & (mine["outcome_code"] == outcome)]

    keep = _KEY + ["count", "marker", "location", "table", "date_basis", "unit", "age_restriction", "period_start",
                   "period_end", "force"]
    keep = [c for c in keep if c in mine]
    merged = base[keep + ["offence_code"]].merge(closed[keep + ["offence_code"]], on=_KEY, how="outer",
                                                  suffixes=("_base", ""), indicator=True)
    merged["offence_code"] = merged["offence_code_base"].fillna(merged["offence_code"])
    merged = merged.rename(columns={"count_base": "base", "marker_base": "base_marker", "marker": "count_marker"})
    merged["note"] = pd.Series(pd.NA, index=merged.index, dtype="string")
    merged["reason"] = pd.Series(pd.NA, index=merged.index, dtype="string")
    # A year column counts that year: its figures are dated by the column, not the whole response.
    # So does a year row (years down the side, offences across the top), where the column is no period.
    labels = set(merged["column_label"].dropna()) | set(merged["row_label"].dropna())
    spans = {label: column_period(label) for label in labels if isinstance(label, str)}
    dated = pd.Series([spans.get(column) or spans.get(row) for column, row in
                       zip(merged["column_label"], merged["row_label"])], index=merged.index, dtype=object)
    dated = dated[dated.notna()]
    if len(dated):
        for side in ("", "_base"):
            if f"period_start{side}" in merged:
                merged.loc[dated.index, f"period_start{side}"] = [span[0].isoformat() for span in dated]
                merged.loc[dated.index, f"period_end{side}"] = [span[1].isoformat() for span in dated]

    # An offence absent from the outcome table is 0 only when the table's printed total equals
    # the sum of the rows it does list, every row it lists is one of the all-crimes table's (a row
    # under another spelling may be the offence itself), and no note says small counts were left
    # out. Decided on the whole table, before any offence filter.
    listed_sum = closed["count"].sum(min_count=1)
    unmatched = merged.loc[merged["_merge"] == "right_only", "row_label"]
    omitted = _small_counts_omitted(findings, source)
    complete = len(totals) == 1 and pd.notna(totals["count"].iloc[0]) and closed["count"].notna().all() \
        and listed_sum == totals["count"].iloc[0] and unmatched.empty and omitted is None
    absent = merged["_merge"] == "left_only"
    if complete:
        merged.loc[absent, "count"] = 0
        merged.loc[absent, "note"] = "not listed; the printed total implies 0"
        for column in ("table", "date_basis", "unit", "age_restriction", "period_start", "period_end", "force"):
            if column in merged:  # the implied 0 is the outcome table's
                merged.loc[absent, column] = _only(closed[column]) if column in closed else pd.NA
    elif omitted is not None:
        merged.loc[absent, "reason"] = (f"{NOT_COMPUTED}not listed under Outcome {outcome}, and the response says "
                                        f"counts below {omitted} are not shown, so it may be 1 to {omitted - 1}")
    elif len(unmatched):
        merged.loc[absent, "reason"] = (f"{NOT_COMPUTED}not listed under Outcome {outcome} under this label; the "
                                        f"outcome table lists “{unmatched.iloc[0]}”, which is not in the all-crimes "
                                        "table, so it is not known to be 0")
    else:
        merged.loc[absent, "reason"] = (f"{NOT_COMPUTED}not listed under Outcome {outcome}, and no complete "
                                        "printed total says it is 0")
    no_base = merged["_merge"] == "right_only"
    if base.empty:
        aside = _set_aside(mine)
        merged.loc[no_base, "reason"] = (f"{NOT_COMPUTED}the response has no table of all crimes to divide by"
                                         + "".join(f"; {text}" for text in aside))
    else:
        merged.loc[no_base, "reason"] = f"{NOT_COMPUTED}not in the all-crimes table, so its base is unknown"
    # A label printed twice in either table has no single count or base.
    twice = merged.duplicated(_KEY, keep=False)
    merged.loc[twice, ["count", "base"]] = pd.NA
    merged.loc[twice, "reason"] = f"{NOT_COMPUTED}printed more than once, so its count or base is ambiguous"

    contested_figures, contested_tables = _contested(findings, mine)
    reasons, count_parts, base_parts = [], [], []
    for record in merged.to_dict("records"):
        count_part, base_part = _part(record, "", source, outcome), _part(record, "_base", source, None)
        count_parts.append(count_part)
        base_parts.append(base_part)
        reason = record["reason"]
        reasons.append(reason if isinstance(reason, str) else
                       _doubt(record, count_part, base_part, contested_figures, contested_tables))
    merged["reason"] = pd.Series(reasons, index=merged.index, dtype="string")
    merged["count_part"], merged["base_part"] = count_parts, base_parts
    merged["scope"] = OFFENCE
    return merged.drop(columns=["_merge", "offence_code_base"])


def _only(values: pd.Series) -> object:
    """The one value a column holds (NA when it holds none or several)."""
    unique = values.dropna().unique()
    return unique[0] if len(unique) == 1 else pd.NA


def _small_counts_omitted(findings: pd.DataFrame | None, source: str) -> int | None:
    """The threshold below which the response says it leaves counts out (a finding of
    fosi.checks.validate.check_small_counts_omitted), or None."""
    if findings is None or findings.empty:
        return None
    said = findings[(findings["source"] == source) & (findings["rule"] == SMALL_COUNTS_OMITTED)]
    if said.empty:
        return None
    expected = str(said["expected"].iloc[0] or "")
    return int(expected) if expected.isdigit() else 5


def _contradiction(rule: str, places: list[object]) -> str:
    """'not computed: lines 11 and 20 disagree (outcome-exceeds-all)'."""
    if rule == "date-basis-mixed":
        return f"{NOT_COMPUTED}the count and its base follow different date bases ({_places(places)}; {rule})"
    return f"{NOT_COMPUTED}{_places(places)} disagree ({rule})"


def _doubt(row: dict, count_part: Part, base_part: Part, contested_figures: dict,
           contested_tables: dict) -> str | None:
    """Why a rate with both figures present cannot be computed, or None when it can."""
    most = value_range(None, row["base_marker"]).high if pd.isna(row["base"]) and \
        isinstance(row["base_marker"], str) else None
    if most is not None and not pd.isna(row["count"]) and int(row["count"]) > most:
        # The real problem is not that the base is withheld: the count is more than it can be.
        return (f"{NOT_COMPUTED}{_places([row['location_base'], row['location']])} disagree: "
                f"{int(row['count'])} closed is more than the base, withheld as {row['base_marker'].strip()}, "
                f"can be (at most {most})")
    if pd.isna(row["base"]):
        return _missing("base", row["base_marker"])
    if pd.isna(row["count"]):
        return _missing("count", row["count_marker"])
    own = [row["location_base"], row["location"]]
    if count_part.date_basis and base_part.date_basis and count_part.date_basis != base_part.date_basis:
        return _contradiction("date-basis-mixed", own)
    for table, location in ((row["table_base"], row["location_base"]), (row["table"], row["location"])):
        if (table, location) in contested_figures:
            return _contradiction(contested_figures[(table, location)][1], own)
    for table in (row["table_base"], row["table"]):
        if not pd.isna(table) and int(table) in contested_tables:
            place, rule = contested_tables[int(table)]
            return _contradiction(rule, [*own, place])
    decided = combine.rate(int(row["count"]), count_part, int(row["base"]), base_part)
    if not decided.refused:
        return None
    if decided.reasons == (NO_CRIMES,):
        return NO_CRIMES
    if decided.reasons == (MORE_THAN_ALL,):
        return f"{NOT_COMPUTED}{_places(own)} disagree ({MORE_THAN_ALL})"
    return f"{NOT_COMPUTED}{decided.reason}"


def _total_doubt(mine: pd.DataFrame, outcome: str, column: object, findings: pd.DataFrame | None) -> str | None:
    """Why no sum of offence figures may be given: a printed total of the base or outcome table
    (of one response's figures, ``mine``), in this column, that a finding says its rows contradict."""
    contested, _ = _contested(findings, mine)
    if not contested:
        return None
    same_column = mine["column_label"].isna() if pd.isna(column) else mine["column_label"] == column
    totals = mine[(mine["kind"] == "total") & same_column & (mine["outcome_code"].isna() | (mine["outcome_code"] == outcome))]
    for table, location in zip(totals["table"], totals["location"]):
        if (table, location) in contested:
            return (f"{NOT_COMPUTED}the printed total ({_places([location])}) and the rows above it disagree "
                    f"({contested[(table, location)][1]})")
    return None


def _summary_row(rows: pd.DataFrame, scope: str, label: str, doubt: str | None) -> dict:
    """A group's or the response's rate: sums of the offence figures it holds (not printed totals)."""
    first = rows.iloc[0]
    codes = _ordered_codes(rows)
    record = {column: first[column] for column in ["source", *_METADATA]}
    record.update({"scope": scope, "row_label": label, "column_label": first["column_label"],
                   "offence_code": ", ".join(codes) if codes else pd.NA,
                   "count": pd.NA, "base": pd.NA, "note": pd.NA, "reason": doubt})
    unrated = rows[rows["reason"].notna() & (rows["reason"] != NO_CRIMES)]
    if doubt is None and len(unrated):
        name, why = unrated["row_label"].iloc[0], unrated["reason"].iloc[0]
        more = f"; and {len(unrated) - 1} more" if len(unrated) > 1 else ""
        record["reason"] = f"{NOT_COMPUTED}it holds “{name}”, which has no rate: {why.removeprefix(NOT_COMPUTED)}{more}"
    elif doubt is None:
        counts = total([_whole(v) for v in rows["count"]], list(rows["count_part"]))
        bases = total([_whole(v) for v in rows["base"]], list(rows["base_part"]))
        if counts.refused or bases.refused:
            record["reason"] = f"{NOT_COMPUTED}{counts.reason or bases.reason}"
        else:
            record["count"], record["base"] = counts.value, bases.value
    return record


def _whole(value: object) -> int | None:
    return None if pd.isna(value) else int(value)


def _ordered_codes(rows: pd.DataFrame) -> list[str]:
    """The offence codes among the rows, in the reference list's order."""
    return sorted(set(rows["offence_code"].dropna()), key=offence_order)


def _overall_label(rows: pd.DataFrame, chosen: bool) -> str:
    """What the overall row holds, named: 'All offences listed, mixed groups (86/2, 86/10, 8/71)'."""
    prefix = "Offences chosen" if chosen else "All offences listed"
    codes = _ordered_codes(rows)
    uncoded = int(rows["offence_code"].isna().sum())
    # Rows with no code that name no offence either (quarters, years, age bands) are not offences.
    offences = sum(1 for label in rows.loc[rows["offence_code"].isna(), "row_label"]
                   if isinstance(label, str) and names_an_offence(label))
    what = ", ".join(codes)
    if uncoded:
        rows_text = (f"{uncoded} offence{'s' if uncoded != 1 else ''} without a code" if offences == uncoded else
                     f"{uncoded} row{'s' if uncoded != 1 else ''} that name no offence" if offences == 0 else
                     f"{uncoded} rows without an offence code")
        what = f"{what} and {rows_text}" if codes else rows_text
    groups = list(dict.fromkeys(offence_group(code) for code in codes))
    if len(groups) == 1 and not uncoded:
        return f"{prefix}: {groups[0]} ({what})"
    if len(groups) > 1:
        return f"{prefix}, mixed groups ({what})"
    return f"{prefix}, groups not all known ({what})"


def _with_summaries(rows: pd.DataFrame, chosen: bool, doubt: str | None) -> list[dict]:
    """The offence rows, a subtotal per offence group where the rows mix groups (or include
    offences with no code), and the overall row."""
    records = rows.to_dict("records")
    codes = _ordered_codes(rows)
    groups = list(dict.fromkeys(offence_group(code) for code in codes))
    if len(groups) > 1 or (groups and rows["offence_code"].isna().any()):
        for group in groups:
            members = rows[rows["offence_code"].map(lambda c: isinstance(c, str) and offence_group(c) == group)]
            label = f"{group} ({', '.join(_ordered_codes(members))})"
            records.append(_summary_row(members, GROUP, label, doubt))
    records.append(_summary_row(rows, ALL_OFFENCES, _overall_label(rows, chosen), doubt))
    return records


def outcome_rates(
    figures: pd.DataFrame,
    outcome: str,
    confidence: float = 0.95,
    method: str = "wilson",
    offences: list[str] | None = None,
    findings: pd.DataFrame | None = None,
    *,
    offence_codes: list[str] | None = None,
) -> pd.DataFrame:
    """Share of each offence's crimes closed with ``outcome``, per response, with intervals.

    Only responses that print figures for ``outcome`` appear. ``offences`` keeps only those
    offences ("86/2", or "86/*" for a class), after every rule that reads the whole table
    (``offence_codes`` is its former name, accepted for one release). ``method``: "wilson" or
    "exact" (CI_METHODS). ``findings`` (the dataset's) withhold a rate whose own figures a finding
    contradicts. Columns: RATE_COLUMNS; ``reason`` says why a rate is not computed.
    """
    if offence_codes is not None:
        import warnings

        warnings.warn("outcome_rates: offence_codes is now called offences; the old name is accepted in this "
                      "release only", FutureWarning, stacklevel=2)
        offences = offences or offence_codes
    chosen = select_offences(offences)
    pieces: list[dict] = []
    rated = figures.loc[figures["outcome_code"] == outcome, "source"].unique()
    responses = dict(tuple(figures[figures["source"].isin(rated)].groupby("source", sort=False)))
    said = {} if findings is None else dict(tuple(findings[findings["source"].isin(rated)].groupby("source", sort=False)))
    for source in rated:
        mine, own_findings = responses[source], said.get(source)
        rows = _offence_rows(mine, source, outcome, own_findings)
        # Each row's force, period, unit and date basis are its base's, else its count's (a year
        # column's period is that year's), else the response's.
        for column in ("force", "period_start", "period_end", "unit", "date_basis"):
            own = rows[f"{column}_base"].fillna(rows[column]) if f"{column}_base" in rows else rows[column]
            rows[column] = own.fillna(mine[column].iloc[0]) if column != "date_basis" else own
        if chosen:
            rows = rows[rows["offence_code"].isin(chosen)]
        for column, group in rows.groupby("column_label", dropna=False, sort=False):
            pieces += _with_summaries(group, bool(chosen), _total_doubt(mine, outcome, column, own_findings))
    if not pieces:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in RATE_COLUMNS})
    rates = pd.DataFrame(pieces)
    rates["outcome_code"] = outcome
    rates["count"] = rates["count"].astype("Int64")
    rates["base"] = rates["base"].astype("Int64")
    for column in ("count_marker", "base_marker", "note", "reason"):
        rates[column] = rates[column].astype("string") if column in rates else pd.NA
    rates = with_intervals(rates, confidence, method)
    return rates[RATE_COLUMNS]


def with_intervals(rates: pd.DataFrame, confidence: float, method: str = "wilson") -> pd.DataFrame:
    """Add rate, ci_low, ci_high, ci_method, confidence and small_base to a table of count and base,
    and a ``reason`` where no rate can be given (a reason already there is kept: such a rate stays
    uncomputed whatever its count and base).

    Used for rates within a response and for rates per force, so both are computed alike."""
    rates = rates.copy()
    if "reason" not in rates:
        rates["reason"] = pd.Series(pd.NA, index=rates.index, dtype="string")
    low, high, rate, reasons = [], [], [], []
    for count, base, reason in zip(rates["count"], rates["base"], rates["reason"]):
        if not isinstance(reason, str):
            if pd.isna(count) or pd.isna(base):
                reason = f"{NOT_COMPUTED}a figure is unknown"
            elif base == 0:
                reason = NO_CRIMES
            elif count > base:
                reason = f"{NOT_COMPUTED}{MORE_THAN_ALL}"
        reasons.append(reason)
        if isinstance(reason, str):
            low.append(float("nan"))
            high.append(float("nan"))
            rate.append(float("nan"))
            continue
        interval = proportion_interval(int(count), int(base), confidence, method)
        low.append(interval[0])
        high.append(interval[1])
        rate.append(count / base)
    rates["rate"], rates["ci_low"], rates["ci_high"] = rate, low, high
    rates["reason"] = pd.Series(reasons, index=rates.index, dtype="string")
    rates["ci_method"] = method
    rates["confidence"] = confidence
    rates["small_base"] = (rates["base"] < SMALL_BASE).fillna(False).astype(bool) & rates["rate"].notna()
    return rates
