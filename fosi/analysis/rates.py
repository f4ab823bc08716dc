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
from collections import Counter
from collections.abc import Callable, Iterable
from functools import lru_cache
from math import sqrt

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
    within,
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
    """Two-sided confidence interval for count/base: scipy's binomtest(...).proportion_ci (its Wilson
    interval computed as it does, without the rest of the test)."""
    if method not in CI_METHODS:
        raise ValueError(f"unknown interval method {method!r}; choose one of {', '.join(CI_METHODS)}")
    return _interval(int(count), int(base), float(confidence), method)


@lru_cache(maxsize=65_536)
def _interval(count: int, base: int, confidence: float, method: str) -> tuple[float, float]:
    # Cached: a build rates every offence of every response, and the same (count, base) recurs.
    if method == "wilson" and 0 <= count <= base and base > 0 and 0 <= confidence <= 1:  # else binomtest says why not
        return _wilson_interval(count, base, confidence)
    # scipy's binomtest costs about half a millisecond a call, mostly the p-value it computes first.
    # scipy is slow to import: only when a rate is computed.
    from scipy.stats import binomtest

    interval = binomtest(count, base).proportion_ci(confidence_level=confidence, method=method)
    return float(interval.low), float(interval.high)


def _wilson_interval(count: int, base: int, confidence: float) -> tuple[float, float]:
    """The two-sided Wilson score interval exactly as scipy.stats.binomtest(count, base)
    .proportion_ci(confidence, "wilson") computes it (Newcombe 1998, method 3; the same operations
    in the same order, so the same floating-point result), without the p-value binomtest works out
    first and fosi never reads."""
    from scipy.special import ndtri

    p = count / base
    z = ndtri(0.5 + 0.5 * confidence)
    denom = 2 * (base + z**2)
    center = (2 * base * p + z**2) / denom
    q = 1 - p
    delta = z / denom * sqrt(4 * base * p * q + z**2)
    low = 0.0 if count == 0 else center - delta
    high = 1.0 if count == base else center + delta
    return float(low), float(high)


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


Figure = dict  # one row of the figure table as a plain dict (None where the table holds <NA>)


def _records(frame: pd.DataFrame) -> list[Figure]:
    """A frame's rows as plain dicts, None for every missing value: one conversion per call, since
    pandas costs far more than the work on a response's few dozen figures."""
    columns = [frame[column].to_numpy(dtype=object, na_value=None).tolist() for column in frame.columns]
    return [dict(zip(frame.columns, values)) for values in zip(*columns)]


def _by_table(mine: list[Figure]) -> dict[object, list[Figure]]:
    """A response's figures by table number, tables in the order first printed (None: no number)."""
    tables: dict[object, list[Figure]] = {}
    for figure in mine:
        tables.setdefault(figure["table"], []).append(figure)
    return tables


def _stated_tables(findings: list[dict]) -> set[int]:
    return {int(finding["table"]) for finding in findings
            if finding["rule"] == BASE_STATED and finding["table"] is not None}


def stated_bases(findings: pd.DataFrame | None) -> set[int]:
    """The tables a sidecar states count all crimes (its ``base_table``, carried as a finding)."""
    if findings is None or findings.empty:
        return set()
    return _stated_tables(_records(findings))


def _base_positions(mine: list[Figure], stated: set[int] | None = None) -> list[int]:
    """Where, among one response's figures, the figures that count all crimes are (base_figures)."""
    tables = set(stated) if stated else {
        number for number, cells in _by_table(mine).items()
        if presents_all_crimes(_text(cells[0]["table_title"]), [_text(cell["outcome_code"]) for cell in cells])}
    return [position for position, figure in enumerate(mine)
            if figure["kind"] == "figure" and figure["table"] is not None and figure["table"] in tables
            and figure["outcome_code"] is None and outcome_named(_text(figure["row_label"])) is None
            and outcome_named(_text(figure["column_label"])) is None]


def base_figures(mine: pd.DataFrame, stated: set[int] | None = None) -> pd.DataFrame:
    """The figures of one response that count all crimes: printed in a table that presents itself
    as all crimes (or, where a sidecar states which table does, that table and no other), in a row
    and a column that name no outcome or disposal."""
    return mine.iloc[_base_positions(_records(mine), stated)]


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


def _set_aside(mine: list[Figure]) -> list[str]:
    """Tables with no outcome code whose titles name an outcome fosi cannot map: never a base."""
    found = []
    for number, cells in _by_table(mine).items():
        title = _text(cells[0]["table_title"])
        if all(cell["outcome_code"] is None for cell in cells) and (named := outcome_named(title)):
            found.append(f"table {_shown(number)}, “{title}”, counts {named}, an outcome fosi cannot map, "
                         "not all crimes")
    return found


def _shown(value: object) -> object:
    """A value as pandas prints it in text: <NA> for a missing one."""
    return "<NA>" if value is None else value


def _contested(findings: list[dict], mine: list[Figure]) -> tuple[dict, dict]:
    """What the findings put in doubt: figures by (table, location) and whole tables by number,
    each with (the finding's location, its rule). A finding placed at a figure concerns that
    figure; one placed elsewhere in a table (its title, its date basis) concerns the table."""
    figures: dict[tuple, tuple[str, str]] = {}
    tables: dict[int, tuple[str, str]] = {}
    if not findings:
        return figures, tables
    source = mine[0]["source"]
    printed = {(figure["table"], figure["location"]) for figure in mine}
    for finding in findings:
        table, location, rule = finding["table"], finding["location"], finding["rule"]
        if finding["source"] != source or table is None or not (
                finding["severity"] == "error" or rule in _CONTESTING_RULES):
            continue
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


def _paired_elsewhere(mine: list[Figure], closed: list[Figure]) -> bool:
    """Could a base be printed beside, beneath or across from the outcome's figures (the tables
    _bases_beside, _bases_beneath and _bases_of_outcome_mix read)? None of them finds one when
    every figure of the outcome's tables names an outcome, and that one outcome throughout."""
    tables = {figure["table"] for figure in closed if figure["table"] is not None}
    shared = [figure for figure in mine if figure["table"] in tables]
    outcomes = {figure["outcome_code"] for figure in shared}
    return None in outcomes or len(outcomes) >= 2


def _bases_and_closed(mine: list[Figure], outcome: str, stated: set[int],
                      frame: Callable[[], pd.DataFrame]) -> tuple[list[Figure], list[Figure]]:
    """The figures that count all crimes and the outcome's figures of one response (``frame()``:
    the same figures as a DataFrame, built only for the rarer tables that print a base beside,
    beneath or across from the outcome), labelled so that a count meets its base."""
    closed = [figure for figure in mine if figure["kind"] == "figure" and figure["outcome_code"] == outcome]
    if stated:  # the sidecar says which table counts all crimes: that one only
        return [mine[position] for position in _base_positions(mine, stated)], closed
    if not _paired_elsewhere(mine, closed):
        return [mine[position] for position in _base_positions(mine)], closed
    figures = frame()
    paired = figures[(figures["kind"] == "figure") & (figures["outcome_code"] == outcome)]
    beside, paired = _bases_beside(figures, paired)
    beneath, paired = _bases_beneath(figures, paired)
    mixed, paired = _bases_of_outcome_mix(figures, paired)
    found = [bases for bases in (beside, beneath, mixed) if len(bases)]
    base = pd.concat([base_figures(figures), *found]) if found else base_figures(figures)
    return _records(base), _records(paired)


def _key_order(key: tuple) -> tuple:
    """pandas' order of outer-merge keys: lexicographic, a missing value after every text."""
    return tuple((value is None, "" if value is None else value) for value in key)


def _outer_join(base: list[Figure], closed: list[Figure], columns: list[str]) -> list[tuple[dict, str]]:
    """Each base figure beside the outcome figure of the same (source, row, column), as pandas'
    outer merge gives them (suffix "_base" on the base's side): keys in sorted order, a key printed
    more than once on a side giving every pairing. Each row comes with where its key was found:
    "both", "left_only" (a base, no count) or "right_only" (a count, no base)."""
    def key(figure: Figure) -> tuple:
        return tuple(figure[column] for column in _KEY)
    lefts: dict[tuple, list[Figure]] = {}
    rights: dict[tuple, list[Figure]] = {}
    for figure in base:
        lefts.setdefault(key(figure), []).append(figure)
    for figure in closed:
        rights.setdefault(key(figure), []).append(figure)
    joined = []
    for found in sorted(lefts.keys() | rights.keys(), key=_key_order):
        pairs = [(left, right) for left in lefts.get(found, [None]) for right in rights.get(found, [None])]
        how = "both" if found in lefts and found in rights else "left_only" if found in lefts else "right_only"
        for left, right in pairs:
            row = dict(zip(_KEY, found))
            row.update({f"{column}_base": None if left is None else left[column] for column in columns})
            row.update({column: None if right is None else right[column] for column in columns})
            joined.append((row, how))
    return joined


def _joined(base: list[Figure], closed: list[Figure], keep: list[str]) -> list[tuple[dict, str]]:
    """Each offence's base beside its count (_outer_join), named as a rate row names them (``base``
    and ``base_marker``, ``count`` and ``count_marker``; the base's offence code, else the count's),
    with no note or reason yet, and dated by a year column or row where there is one."""
    joined = []
    for row, how in _outer_join(base, closed, keep + ["offence_code"]):
        code = row.pop("offence_code_base")
        row["offence_code"] = code if code is not None else row["offence_code"]
        row["base"], row["base_marker"] = row.pop("count_base"), row.pop("marker_base")
        row["count_marker"] = row.pop("marker")
        row["note"] = row["reason"] = None
        joined.append((row, how))
    # A year column counts that year: its figures are dated by the column, not the whole response.
    # So does a year row (years down the side, offences across the top), where the column is no period.
    labels = {row[name] for row, _how in joined for name in ("column_label", "row_label")}
    spans = {label: column_period(label) for label in labels if isinstance(label, str)}
    for row, _how in joined:
        span = spans.get(row["column_label"]) or spans.get(row["row_label"])
        if span and "period_start" in keep:
            for side in ("", "_base"):
                row[f"period_start{side}"], row[f"period_end{side}"] = span[0].isoformat(), span[1].isoformat()
    return joined


def _complete(closed: list[Figure], totals: list[Figure], unmatched: list[object], omitted: int | None) -> bool:
    """May an offence absent from the outcome table be taken as 0? Only when the table's printed
    total equals the sum of the rows it does list, every row it lists is one of the all-crimes
    table's (a row under another spelling may be the offence itself), and no note says small counts
    were left out. Decided on the whole table, before any offence filter."""
    listed = [figure["count"] for figure in closed if figure["count"] is not None]
    return len(totals) == 1 and totals[0]["count"] is not None and len(listed) == len(closed) \
        and bool(listed) and sum(listed) == totals[0]["count"] and not unmatched and omitted is None


def _why_absent(outcome: str, complete: bool, omitted: int | None, unmatched: list[object]) -> tuple:
    """The note and the reason of an offence in the all-crimes table but not under the outcome."""
    if complete:
        return "not listed; the printed total implies 0", None
    if omitted is not None:
        return None, (f"{NOT_COMPUTED}not listed under Outcome {outcome}, and the response says counts below "
                      f"{omitted} are not shown, so it may be 1 to {omitted - 1}")
    if unmatched:
        return None, (f"{NOT_COMPUTED}not listed under Outcome {outcome} under this label; the outcome table "
                      f"lists “{_shown(unmatched[0])}”, which is not in the all-crimes table, so it is not known "
                      "to be 0")
    return None, f"{NOT_COMPUTED}not listed under Outcome {outcome}, and no complete printed total says it is 0"


def _offence_rows(mine: list[Figure], source: str, outcome: str, findings: list[dict],
                  frame: Callable[[], pd.DataFrame]) -> list[dict]:
    """One row per offence of one response's figures (``mine``; ``frame()`` the same as a
    DataFrame): its all-crimes figure (base) and its outcome figure (count), with the reason when
    no rate can be computed from them (fosi.analysis.combine.rate decides)."""
    base, closed = _bases_and_closed(mine, outcome, _stated_tables(findings), frame)
    totals = [figure for figure in mine if figure["kind"] == "total" and figure["outcome_code"] == outcome]
    keep = [column for column in ("count", "marker", "location", "table", "date_basis", "unit", "age_restriction",
                                  "period_start", "period_end", "force") if column in mine[0]]
    joined = _joined(base, closed, keep)
    unmatched = [row["row_label"] for row, how in joined if how == "right_only"]
    omitted = _small_counts_omitted(findings, source)
    complete = _complete(closed, totals, unmatched, omitted)
    absent_note, absent_reason = _why_absent(outcome, complete, omitted, unmatched)
    implied = {column: _only([figure[column] for figure in closed], None)
               for column in ("table", "date_basis", "unit", "age_restriction", "period_start", "period_end", "force")
               if column in keep}  # the implied 0 is the outcome table's
    if base:
        no_base = f"{NOT_COMPUTED}not in the all-crimes table, so its base is unknown"
    else:
        no_base = (f"{NOT_COMPUTED}the response has no table of all crimes to divide by"
                   + "".join(f"; {text}" for text in _set_aside(mine)))
    # A label printed twice in either table has no single count or base.
    printed = Counter(tuple(row[column] for column in _KEY) for row, _how in joined)
    contested_figures, contested_tables = _contested(findings, mine)
    rows = []
    for row, how in joined:
        if how == "left_only":
            row["note"], row["reason"] = absent_note, absent_reason
            if complete:
                row["count"] = 0
                row.update(implied)
        elif how == "right_only":
            row["reason"] = no_base
        if printed[tuple(row[column] for column in _KEY)] > 1:
            row["count"] = row["base"] = None
            row["reason"] = f"{NOT_COMPUTED}printed more than once, so its count or base is ambiguous"
        count_part, base_part = _part(row, "", source, outcome), _part(row, "_base", source, None)
        if not isinstance(row["reason"], str):
            row["reason"] = _doubt(row, count_part, base_part, contested_figures, contested_tables)
        row["count_part"], row["base_part"], row["scope"] = count_part, base_part, OFFENCE
        rows.append(row)
    return rows


def _only(values: Iterable[object], missing: object = pd.NA) -> object:
    """The one value a column holds (``missing`` when it holds none or several)."""
    unique = {value for value in values if not _absent(value)}
    return next(iter(unique)) if len(unique) == 1 else missing


def _absent(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and value != value)


def _small_counts_omitted(findings: list[dict], source: str) -> int | None:
    """The threshold below which the response says it leaves counts out (a finding of
    fosi.checks.validate.check_small_counts_omitted), or None."""
    said = [finding for finding in findings if finding["source"] == source and finding["rule"] == SMALL_COUNTS_OMITTED]
    if not said:
        return None
    expected = str(said[0]["expected"] or "")
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


def _total_doubt(mine: list[Figure], outcome: str, column: object, contested: dict) -> str | None:
    """Why no sum of offence figures may be given: a printed total of the base or outcome table
    (of one response's figures, ``mine``), in this column, that a finding (``contested``, the
    figures _contested puts in doubt) says its rows contradict."""
    if not contested:
        return None
    for figure in mine:
        if figure["kind"] == "total" and figure["column_label"] == column \
                and figure["outcome_code"] in (None, outcome) and (figure["table"], figure["location"]) in contested:
            return (f"{NOT_COMPUTED}the printed total ({_places([figure['location']])}) and the rows above it "
                    f"disagree ({contested[(figure['table'], figure['location'])][1]})")
    return None


def _summary_row(rows: list[dict], scope: str, label: str, doubt: str | None) -> dict:
    """A group's or the response's rate: sums of the offence figures it holds (not printed totals)."""
    first = {column: pd.NA if value is None else value for column, value in rows[0].items()}  # as pandas gives a row
    codes = _ordered_codes(rows)
    record = {column: first[column] for column in ["source", *_METADATA]}
    starts, ends = [row["period_start"] for row in rows], [row["period_end"] for row in rows]
    if all(isinstance(day, str) and day for day in starts + ends) and len(set(zip(starts, ends))) > 1:
        # Rows dated by their own years (years down the side): the sum covers all their days.
        record["period_start"], record["period_end"] = min(starts), max(ends)
    record.update({"scope": scope, "row_label": label, "column_label": first["column_label"],
                   "offence_code": ", ".join(codes) if codes else pd.NA,
                   "count": pd.NA, "base": pd.NA, "note": pd.NA, "reason": doubt})
    unrated = [row for row in rows if row["reason"] is not None and row["reason"] != NO_CRIMES]
    if doubt is None and unrated:
        name, why = unrated[0]["row_label"], unrated[0]["reason"]
        more = f"; and {len(unrated) - 1} more" if len(unrated) > 1 else ""
        record["reason"] = (f"{NOT_COMPUTED}it holds “{_shown(name)}”, which has no rate: "
                            f"{why.removeprefix(NOT_COMPUTED)}{more}")
    elif doubt is None:
        counts = total([_whole(row["count"]) for row in rows], [row["count_part"] for row in rows])
        bases = total([_whole(row["base"]) for row in rows], [row["base_part"] for row in rows])
        if counts.refused or bases.refused:
            record["reason"] = f"{NOT_COMPUTED}{counts.reason or bases.reason}"
        else:
            record["count"], record["base"] = counts.value, bases.value
    return record


def _whole(value: object) -> int | None:
    return None if pd.isna(value) else int(value)


def _ordered_codes(rows: list[dict]) -> list[str]:
    """The offence codes among the rows, in the reference list's order."""
    return sorted({row["offence_code"] for row in rows if row["offence_code"] is not None}, key=offence_order)


def _overall_label(rows: list[dict], chosen: bool) -> str:
    """What the overall row holds, named: 'All offences listed, mixed groups (86/2, 86/10, 8/71)'."""
    prefix = "Offences chosen" if chosen else "All offences listed"
    codes = _ordered_codes(rows)
    uncoded_labels = [row["row_label"] for row in rows if row["offence_code"] is None]
    uncoded = len(uncoded_labels)
    # Rows with no code that name no offence either (quarters, years, age bands) are not offences.
    offences = sum(1 for label in uncoded_labels if isinstance(label, str) and names_an_offence(label))
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


def _with_summaries(rows: list[dict], chosen: bool, doubt: str | None) -> list[dict]:
    """The offence rows, a subtotal per offence group where the rows mix groups (or include
    offences with no code), and the overall row."""
    records = list(rows)
    codes = _ordered_codes(rows)
    groups = list(dict.fromkeys(offence_group(code) for code in codes))
    if len(groups) > 1 or (groups and any(row["offence_code"] is None for row in rows)):
        for group in groups:
            members = [row for row in rows
                       if isinstance(row["offence_code"], str) and offence_group(row["offence_code"]) == group]
            label = f"{group} ({', '.join(_ordered_codes(members))})"
            records.append(_summary_row(members, GROUP, label, doubt))
    records.append(_summary_row(rows, ALL_OFFENCES, _overall_label(rows, chosen), doubt))
    return records


def _dated_by_response(rows: list[dict], first: Figure) -> list[dict]:
    """Each row's force, period, unit and date basis: its base's, else its count's (a year column's
    period is that year's), else the response's (``first``, its first figure; never its date basis)."""
    for row in rows:
        for column in ("force", "period_start", "period_end", "unit", "date_basis"):
            own = row.get(f"{column}_base")
            own = own if own is not None else row[column]
            row[column] = own if own is not None or column == "date_basis" else first[column]
    return rows


def _by_source(records: list[dict]) -> dict[str, list[int]]:
    """Where each source's rows are, sources in the order first seen."""
    found: dict[str, list[int]] = {}
    for position, record in enumerate(records):
        found.setdefault(record["source"], []).append(position)
    return found


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
    chosen = set(select_offences(offences))
    pieces: list[dict] = []
    rated = figures.loc[figures["outcome_code"] == outcome, "source"].unique()
    kept = figures[figures["source"].isin(rated)]
    records = _records(kept)
    responses = _by_source(records)
    said: dict[str, list[dict]] = {}
    if findings is not None:
        for finding in _records(findings[findings["source"].isin(rated)]):
            said.setdefault(finding["source"], []).append(finding)
    for source in rated:
        positions = responses[source]
        mine, own_findings = [records[position] for position in positions], said.get(source, [])
        rows = _offence_rows(mine, source, outcome, own_findings, lambda positions=positions: kept.iloc[positions])
        rows = _dated_by_response(rows, mine[0])
        if chosen:
            rows = [row for row in rows if within(row["offence_code"], chosen)]
        contested, _ = _contested(own_findings, mine)
        columns: dict[object, list[dict]] = {}
        for row in rows:
            columns.setdefault(row["column_label"], []).append(row)
        for column, group in columns.items():
            pieces += _with_summaries(group, bool(chosen), _total_doubt(mine, outcome, column, contested))
    if not pieces:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in RATE_COLUMNS})
    rates = pd.DataFrame(pieces, columns=[c for c in RATE_COLUMNS if c not in _COMPUTED_COLUMNS])
    rates["outcome_code"] = outcome
    rates["count"] = rates["count"].astype("Int64")
    rates["base"] = rates["base"].astype("Int64")
    for column in ("count_marker", "base_marker", "note", "reason"):
        rates[column] = rates[column].astype("string")
    rates = with_intervals(rates, confidence, method)
    return rates[RATE_COLUMNS]


# Columns outcome_rates adds to the offence and summary rows, rather than reads from them.
_COMPUTED_COLUMNS = frozenset({"outcome_code", "rate", "ci_low", "ci_high", "ci_method", "confidence", "small_base"})


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
