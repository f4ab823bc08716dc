"""Checks that a response agrees with itself (GUIDE §2-§4).

Each rule is a small function from a Response to a list of Findings (fosi.model.findings).
Rules read the response's figure records directly: they run on every file of a build,
so they avoid building DataFrames.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from fosi.checks.suppression import (
    MASKED,
    Range,
    check_total,
    exact_bounds,
    is_suppressed,
    value_range,
)
from fosi.model.figures import MAX_COUNT, in_range
from fosi.model.findings import Finding, findings_frame
from fosi.model.periods import column_period
from fosi.model.response import Located, Response, TableInfo
from fosi.readers.layout.cells import is_total_label
from fosi.reference import (
    disposal_named,
    known_outcome_codes,
    outcome_introduced,
    outcome_named,
    presents_all_crimes,
    presents_all_of_unit,
)

if TYPE_CHECKING:
    import pandas as pd

Rule = Callable[[Response], list[Finding]]

__all__ = ["Finding", "RULES", "findings_frame", "validate", "validate_all"]


def _at(response: Response, record: dict, rule: str, severity: str, message: str,
        expected: object = None, found: object = None) -> Finding:
    return Finding(rule, severity, response.source, record["line"], message,
                   None if expected is None else str(expected), None if found is None else str(found),
                   record["location"], record["table"])


def _is_total_row(record: dict) -> bool:
    return record["kind"] == "total" and is_total_label(record["row_label"] or "")


_SUB_CODE = re.compile(r"^\d+[A-Z]$")


def _range(response: Response, record: dict) -> Range:
    return value_range(record["count"], record["marker"], response.sidecar.get("suppression_threshold"),
                       response.sidecar.get("blank_means", "not stated"))


def _total_findings(response: Response, total: dict, parts: list[dict], describe: Callable[[], str],
                    constraints: list[tuple[dict, list[dict]]]) -> list[Finding]:
    """Check one printed total against its parts, suppressed cells taken as ranges.
    ``describe`` names the total in a message (called only when there is one to write). A total
    its parts can meet with unknown cells among them is added to ``constraints``, for the check
    that no withheld cell can be worked out."""
    if all(p["count"] is not None and not (p["outcome_code"] or "0")[-1].isalpha() for p in parts):
        # The common case, every part a printed number: plain addition.
        visible = sum(p["count"] for p in parts)
        if visible == total["count"]:
            return []
    # Sub-codes (1A within 1) are already inside their parent: never add them again.
    sub_codes = [p for p in parts if _SUB_CODE.match(p["outcome_code"] or "")]
    parts = [p for p in parts if p not in sub_codes]
    ranges = [_range(response, p) for p in parts]
    suppressed = sum(1 for p in parts if is_suppressed(p["count"], p["marker"]))
    result = check_total(total["count"], ranges, suppressed)
    n = len(parts)
    if result.status == "agrees":
        return []
    if result.status == "implies":
        # Consistent: say nothing here. What the total implies is never printed (it would give
        # the withheld cells away); check_totals warns when it fixes any of them.
        constraints.append((total, parts))
        return []
    what = describe()
    if result.status == "mismatch":
        message = f"{what}: printed {total['count']} but the {n} parts sum to {result.visible}"
        if sub_codes and result.visible + sum(p["count"] or 0 for p in sub_codes) == total["count"]:
            message += f" (it matches only if sub-code {sub_codes[0]['outcome_code']} is added to its parent again)"
        return [_at(response, total, "total-mismatch", "error", message, result.visible, total["count"])]
    unknown = f"{result.unknown} cell{'s' if result.unknown != 1 else ''} not printed as numbers"
    if result.status == "below":
        if result.visible == total["count"]:
            message = (f"{what}: printed {total['count']}, the sum of the numbers shown, yet {result.suppressed} "
                       f"suppressed cell(s) must add at least 1 each")
        else:
            message = (f"{what}: printed {total['count']} is below its parts: {result.visible} shown plus at least "
                       f"{result.low - result.visible} in the {unknown}")
        return [_at(response, total, "total-contradicts-suppression", "error", message,
                    f">= {result.low}", total["count"])]
    return [_at(response, total, "total-contradicts-suppression", "error",
                f"{what}: printed {total['count']} is above the most its parts can reach ({result.high}: "
                f"{result.visible} shown plus the largest values of the {unknown})",
                f"<= {result.high}", total["count"])]


INEFFECTIVE = "the printed total fixes the withheld cells: do not republish this table as printed"
INEFFECTIVE_ACROSS = ("the printed figures of this table and of table {other}, which count the same crimes, fix a "
                      "withheld cell: do not republish them as printed")


def _same_crimes(response: Response) -> list[tuple[list[dict], list[dict], int, int]]:
    """Pairs of columns, in two tables of the response, that count the same crimes: tables of the
    same single outcome (or both of all crimes), on the same unit, date basis and ages, whose rows
    are different breakdowns (by offence, by quarter) of one column of figures each (or of the same
    year columns). Returns (left cells, right cells, left table, right table)."""
    tables: dict[int, list[dict]] = defaultdict(list)
    for record in response.records:
        if record["kind"] == "figure" and not _SUB_CODE.match(record["outcome_code"] or ""):
            tables[record["table"]].append(record)
    if len(tables) < 2:
        return []
    described = {}
    for number, cells in tables.items():
        kinds = {(r["outcome_code"], r["unit"], r["date_basis"], r.get("age_restriction")) for r in cells}
        if len(kinds) != 1:
            continue  # a table of several outcomes (or bases) counts no one set of crimes
        [(code, *_rest)] = kinds
        if code is None and _base_table(response) != number:
            continue
        columns: dict[str | None, list[dict]] = defaultdict(list)
        for record in cells:
            columns[record["column_label"]].append(record)
        described[number] = (kinds.pop(), columns, frozenset(r["row_label"] for r in cells))
    pairs = []
    numbers = sorted(described)
    for i, left in enumerate(numbers):
        for right in numbers[i + 1:]:
            kind_l, columns_l, rows_l = described[left]
            kind_r, columns_r, rows_r = described[right]
            if kind_l != kind_r or rows_l & rows_r:
                continue  # other crimes, or the same breakdown (a repeated table is checked as a duplicate)
            if len(columns_l) == 1 and len(columns_r) == 1:
                pairs.append((next(iter(columns_l.values())), next(iter(columns_r.values())), left, right))
            else:
                pairs += [(columns_l[c], columns_r[c], left, right) for c in columns_l
                          if c in columns_r and column_period(c) is not None]
    return pairs


def disclosure(response: Response, constraints: list[tuple[dict, list[dict]]] | None = None
               ) -> tuple[set[int], dict[int, set[int]], dict[int, int | None]]:
    """Which withheld cells every printed figure of the response, taken together, fixes to one
    value (exact bounds by integer linear programming, fosi.checks.suppression.exact_bounds): the
    ids of those cells; for each, the ids of the printed figures of the constraints that hold it
    (what must be masked for it to stay withheld); and for each table with a fixed cell, the other
    table that fixed it with its own figures (None: its printed totals did)."""
    if constraints is None:
        constraints = []
        check_totals(response, constraints)
    across = _same_crimes(response)
    if not constraints and not any(any(is_suppressed(r["count"], r["marker"]) for r in (*a, *b))
                                   for a, b, _, _ in across):
        return set(), {}, {}
    index: dict[int, int] = {}
    records: list[dict] = []

    def position(record: dict) -> int:
        if id(record) not in index:
            index[id(record)] = len(records)
            records.append(record)
        return index[id(record)]

    totals = [(total["count"], [position(p) for p in parts]) for total, parts in constraints]
    sums = [([position(r) for r in left], [position(r) for r in right]) for left, right, _, _ in across]
    ranges = [_range(response, r) for r in records]
    bounds = exact_bounds(ranges, totals, sums)
    if bounds is None:
        return set(), {}, {}
    fixed = {id(r) for r, span in zip(records, bounds) if span.exact and is_suppressed(r["count"], r["marker"])}
    holding: dict[int, set[int]] = {}
    tables: dict[int, int | None] = {}
    for cell in fixed:
        printed: set[int] = set()
        for total, parts in constraints:
            if any(id(p) == cell for p in parts):
                printed |= {id(total)} | {id(p) for p in parts if p["count"] is not None}
                tables.setdefault(total["table"], None)
        for left, right, table_l, table_r in across:
            if any(id(r) == cell for r in (*left, *right)):
                printed |= {id(r) for r in (*left, *right) if r["count"] is not None}
                mine, other = (table_l, table_r) if any(id(r) == cell for r in left) else (table_r, table_l)
                tables.setdefault(mine, other)
        holding[cell] = printed
    return fixed, holding, tables


def _ineffective_suppression(response: Response, constraints: list[tuple[dict, list[dict]]]) -> list[Finding]:
    """A warning for each table where the printed figures, taken together (its totals, and tables
    that count the same crimes), leave a withheld cell only one possible value: the force's
    suppression does not protect it. The message gives no number: fosi must never be the tool that
    undoes a force's suppression."""
    fixed, _, tables = disclosure(response, constraints)
    if not fixed:
        return []
    findings = []
    for table, other in sorted(tables.items()):
        total = next((t for t, parts in constraints if t["table"] == table and any(id(p) in fixed for p in parts)),
                     None)
        if total is None:  # fixed by another table: reported at the table's withheld cell
            total = next(r for r in response.records if r["table"] == table and id(r) in fixed) if any(
                r["table"] == table and id(r) in fixed for r in response.records) else next(
                r for r in response.records if r["table"] == table)
        message = INEFFECTIVE if other is None else INEFFECTIVE_ACROSS.format(other=other)
        findings.append(_at(response, total, "suppression-ineffective", "warning", message))
    return findings


def mask_revealing(response: Response) -> Response:
    """The response with every printed figure that, with the others, fixes a withheld cell masked
    (no count; marker fosi.checks.suppression.MASKED), so no output made from it (the dataset, its
    CSV downloads, tables, charts, alt text) can be used to undo the force's suppression. Masked
    until no withheld cell is fixed any more; the response itself is unchanged when none is."""
    from dataclasses import replace as replaced

    current = response
    for _ in range(10):  # each round masks every figure holding a fixed cell; one round is the usual
        fixed, holding, _ = disclosure(current)
        if not fixed:
            return current
        masked = set().union(*holding.values())
        records = tuple({**r, "count": None, "marker": MASKED} if id(r) in masked else r for r in current.records)
        current = replaced(current, records=records)
    return current


def _totals_and_parts(cells: list[dict]) -> list[tuple[dict, list[dict]]]:
    """Each Total row of a column with the rows it adds up. A column with subtotals ("2017 Total"
    after the 2017 rows, "2018 Total" after 2018's) checks each against the rows since the one
    before it; a total with no rows above it since the last (a grand total, or a Total printed
    first) adds up every row of the column."""
    in_total_group = [record for record in cells
                      if record["kind"] == "total" and is_total_label(record.get("row_group") or "")]
    if in_total_group:
        # A "Total" group of measures ("All crimes", "Outcome 21" under each offence, then under
        # Total): each adds up the rows of the same measure in the groups above.
        others = [record for record in cells if record not in in_total_group and not _is_total_row(record)]
        return [(total, [r for r in others if r["row_label"] == total["row_label"]]) for total in in_total_group]
    parts = [record for record in cells if not _is_total_row(record)]
    totals = [record for record in cells if _is_total_row(record)]
    groups = [total.get("row_group") for total in totals]
    if len(totals) > 1 and all(groups) and len(set(groups)) == len(groups):
        # Each group's own Total, printed before its rows or after them: the rows of its group.
        return [(total, [r for r in parts if r.get("row_group") == total["row_group"]]) for total in totals]
    if len(totals) <= 1:
        return [(total, parts) for total in totals]
    paired, since = [], []
    for record in cells:
        if not _is_total_row(record):
            since.append(record)
            continue
        paired.append((record, since if since else parts))
        since = []
    return paired


def check_totals(response: Response, constraints: list[tuple[dict, list[dict]]] | None = None) -> list[Finding]:
    """A printed total disagrees with its parts: down a column (a Total row) or across a row
    (a Total column). Suppressed cells count as the ranges they stand for, so a total that
    no values in those ranges could reach is a contradiction; and printed figures that, together,
    fix the value of a withheld cell make the force's suppression ineffective. ``constraints``,
    when given, receives every consistent total with unknown parts (and no ineffective-suppression
    finding is made: disclosure() is then the caller's)."""
    findings: list[Finding] = []
    collecting = constraints is not None
    constraints = [] if constraints is None else constraints
    columns: dict[tuple, list[dict]] = defaultdict(list)
    rows: dict[tuple, list[dict]] = defaultdict(list)
    # Only tables with a Total column need the check across rows.
    with_total_column = {r["table"] for r in response.records
                         if r["kind"] == "total" and not _is_total_row(r) and is_total_label(r["column_label"] or "")}
    # A table the reader refused part of (figures it could not tell apart) has no parts to add up.
    part_refused = {f.table for f in response.findings if f.rule == "table-not-read" and f.table is not None}
    for record in response.records:
        if record["kind"] == "prose" or record["table"] in part_refused:
            continue  # a number stated in a sentence is no part of a table's sums
        columns[(record["table"], record.get("column_group"), record["column_label"])].append(record)
        if with_total_column and record["table"] in with_total_column:
            rows[(record["table"], record["row_group"], record["row_label"])].append(record)
    for (table, _group, column), cells in columns.items():
        # In a Total column the parts are the row totals above the corner cell.
        for total, parts in _totals_and_parts(cells):
            if total["count"] is not None:
                findings += _total_findings(response, total, parts, lambda total=total, table=table, column=column: (
                    f"table {table}, {total['row_label']!r}" + (f" of {column!r}" if column else "")), constraints)
    for cells in rows.values():
        # Across a row (the Total row too): the cell under a Total column against the others.
        in_total_column = [is_total_label(r["column_label"] or "") and r["kind"] == "total" for r in cells]
        totals = [r for r, t in zip(cells, in_total_column) if t and r["count"] is not None]
        parts = [r for r, t in zip(cells, in_total_column) if not t]
        if len(totals) == 1 and parts:
            total = totals[0]
            if _outcomes_within_all(total, parts):
                continue
            findings += _total_findings(response, total, parts, lambda total=total: (
                f"row {total['row_label']!r}, {total['column_label']!r}"), constraints)
    if not collecting:
        findings += _ineffective_suppression(response, constraints)
    return findings


def _outcomes_within_all(total: dict, parts: list[dict]) -> bool:
    """A row's all-crimes cell ("All crimes", "Crimes recorded") beside a selection of outcomes
    (Outcome 21 alone, or 21 and 22): the outcomes are some of the crimes, not a split of them, so
    they may add to less than it; more than it is still a contradiction (check_outcome_mix)."""
    if not presents_all_of_unit(total["column_label"], total.get("unit")):
        return False
    if not all(part["outcome_code"] for part in parts):
        return False
    return sum(part["count"] or 0 for part in parts) <= (total["count"] or 0)


def _base_table(response: Response) -> int | None:
    """The one table counting all crimes whatever their outcome, if there is exactly one: a table
    that presents itself as all crimes (fosi.reference.presents_all_crimes)."""
    stated = response.sidecar.get("base_table") if response.sidecar else None
    if stated is not None:
        return int(stated)  # the sidecar says which table counts all crimes
    candidates = [t for t in response.tables if t.outcome_code is None and t.row_dimension != "outcome"]
    if not candidates:
        return None
    coded = {r["table"] for r in response.records if r["outcome_code"] is not None}
    bases = [t.number for t in candidates
             if t.number not in coded and presents_all_crimes(t.title.text if t.title else None, ())]
    return bases[0] if len(bases) == 1 else None


def check_outcome_within_base(response: Response) -> list[Finding]:
    """An outcome's figure exceeds the all-crimes figure for the same offence (or total)."""
    base_number = _base_table(response)
    if base_number is None:
        return []
    base: dict[tuple, list[dict]] = defaultdict(list)
    for record in response.records:
        if record["table"] == base_number:
            base[(record["row_group"], record["row_label"] if not _is_total_row(record) else "\0total",
                  record["column_label"])].append(record)
    outcome_tables = {t.number: t.outcome_code for t in response.tables if t.outcome_code is not None}
    findings = []
    for record in response.records:
        code = outcome_tables.get(record["table"])
        if code is None or record["count"] is None:
            continue
        total = _is_total_row(record)
        matches = base.get((record["row_group"], "\0total" if total else record["row_label"], record["column_label"]))
        if not matches:
            if not total:
                findings.append(_at(response, record, "outcome-row-not-in-all", "warning",
                                    f"{record['row_label']!r} appears under outcome {code} but not in the "
                                    f"all-crimes table (table {base_number})"))
            continue
        if len(matches) > 1:
            continue  # printed twice: duplicate-row-label reports it
        limit = matches[0]
        if limit["count"] is not None and record["count"] <= limit["count"]:
            continue  # the common case, both printed as numbers and within the limit
        most = _range(response, limit).high
        if most is not None and _range(response, record).low > most:
            shown = limit["count"] if limit["count"] is not None else f"{limit['marker']} (at most {most})"
            what = f"outcome {code} total {record['count']} exceeds the all-crimes total" if total else (
                f"{record['row_label']!r}: {record['count']} closed as outcome {code} exceeds the")
            findings.append(_at(response, record, "outcome-exceeds-all", "error",
                                f"{what} {shown} (location {limit['location']})", f"<= {most}", record["count"]))
    return findings + _outcome_mix_within_base(response, base_number) + _outcomes_across_tables(response, base_number)


def _outcomes_across_tables(response: Response, base_number: int) -> list[Finding]:
    """Separate tables, one per outcome, whose figures for the same offence (or totals) add up to
    more than the all-crimes figure: a crime is closed with one outcome, so the outcomes of one
    offence can never together exceed its crimes (sub-codes such as 1A are inside their parent)."""
    outcome_tables = {t.number: t.outcome_code for t in response.tables
                      if t.outcome_code is not None and not _SUB_CODE.match(t.outcome_code)}
    if len(set(outcome_tables.values())) < 2:
        return []
    limits: dict[tuple, dict] = {}
    for record in response.records:
        if record["table"] == base_number and record["count"] is not None:
            key = ("\0total" if _is_total_row(record) else record["row_label"], record["column_label"])
            limits.setdefault(key, record)
    sums: dict[tuple, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for record in response.records:
        code = outcome_tables.get(record["table"])
        if code is not None and record["kind"] != "prose":
            key = ("\0total" if _is_total_row(record) else record["row_label"], record["column_label"])
            sums[key][code].append(record)
    findings = []
    for key, by_outcome in sums.items():
        limit = limits.get(key)
        if limit is None or len(by_outcome) < 2 or any(len(v) > 1 for v in by_outcome.values()):
            continue
        least = sum(_range(response, v[0]).low for v in by_outcome.values())
        if least > limit["count"]:
            codes = sorted(by_outcome, key=lambda c: (int(c.rstrip("ABCD")), c))
            places = ", ".join(v[0]["location"] for v in by_outcome.values())
            what = "the outcome totals" if key[0] == "\0total" else repr(key[0])
            # Placed at the all-crimes figure: every rate over it is then withheld, whichever outcome.
            findings.append(_at(response, limit, "outcome-mix-exceeds-all", "error",
                                f"{what}: Outcomes {', '.join(codes)} in separate tables (locations {places}) add up "
                                f"to at least {least}, more than the {limit['count']} crimes in all; a crime has one "
                                "outcome", f"<= {limit['count']}", least))
    return findings


def _outcome_mix_within_base(response: Response, base_number: int) -> list[Finding]:
    """Across a table whose rows are outcomes, the outcomes of a column cannot add up to more
    than the all-crimes total of that column (sub-codes such as 1A are not added again)."""
    mixes = {t.number for t in response.tables if t.row_dimension == "outcome"}
    if not mixes:
        return []
    base_totals = {r["column_label"]: r for r in response.records
                   if r["table"] == base_number and _is_total_row(r)}
    columns: dict[tuple, list[dict]] = defaultdict(list)
    for record in response.records:
        if record["table"] in mixes and record["kind"] == "figure" and record["outcome_code"] \
                and not _SUB_CODE.match(record["outcome_code"]):
            columns[(record["table"], record["column_label"])].append(record)
    findings = []
    for (table, column), cells in columns.items():
        limit = base_totals.get(column)
        if limit is None or limit["count"] is None:
            continue
        least = sum(_range(response, c).low for c in cells)
        if least > limit["count"]:
            findings.append(_at(response, cells[-1], "outcome-mix-exceeds-all", "error",
                                f"table {table}{f', {column!r}' if column else ''}: the outcomes add up to at "
                                f"least {least}, more than the {limit['count']} crimes in all (location "
                                f"{limit['location']})", f"<= {limit['count']}", least))
    return findings


def check_duplicate_labels(response: Response) -> list[Finding]:
    """The same row label appears twice in one table (its figures could not be told apart)."""
    keys = [(r["table"], r["row_group"], r["row_label"], r["column_label"]) for r in response.records]
    if len(set(keys)) == len(keys):
        return []  # the common case: every label once
    seen: dict[tuple, list[dict]] = defaultdict(list)
    for key, record in zip(keys, response.records):
        seen[key].append(record)
    findings = []
    reported = set()
    for (table, _group, label, _column), records in seen.items():
        if len(records) > 1 and (table, label) not in reported:
            reported.add((table, label))
            places = ", ".join(r["location"] for r in records)
            findings.append(_at(response, records[1], "duplicate-row-label", "warning",
                                f"table {table}: row {label!r} is printed more than once ({places})"))
    return findings


_DECIMAL = re.compile(r"^-?[\d,]*\.\d+$")


def check_counts(response: Response) -> list[Finding]:
    """A count is negative, not a whole number, or beyond MAX_COUNT (kept then as text, not a number)."""
    findings = []
    for record in response.records:
        if not in_range(record["count"]) and record["count"] > 0:
            findings.append(_at(response, record, "count-invalid", "error",
                                f"{record['row_label']!r}: count {record['count']} is beyond {MAX_COUNT:,}, more "
                                "than any response can count; it is kept as printed text, not as a number",
                                f"<= {MAX_COUNT}", record["count"]))
        elif record["count"] is not None and record["count"] < 0:
            findings.append(_at(response, record, "count-invalid", "error",
                                f"{record['row_label']!r}: count {record['count']} is negative", ">= 0",
                                record["count"]))
        elif record["count"] is None and _DECIMAL.match(record["marker"] or ""):
            findings.append(_at(response, record, "count-invalid", "error",
                                f"{record['row_label']!r}: count {record['marker']} is not a whole number",
                                "a whole number", record["marker"]))
    return findings


def check_period(response: Response) -> list[Finding]:
    """The period ends before it starts."""
    start, end = response.metadata.period_start, response.metadata.period_end
    if start is None or end is None or end.text >= start.text:
        return []
    return [Finding("period-reversed", "error", response.source, end.line,
                    f"the period ends ({end.text}) before it starts ({start.text})", f">= {start.text}", end.text,
                    end.location)]


def check_outcome_naming(response: Response) -> list[Finding]:
    """An outcome's printed number and its wording name different outcomes, or the number is unknown."""
    findings = list(f for f in response.findings if f.rule == "outcome-number-wording")
    for table in response.tables:
        number, wording = table.outcome_by_number, table.outcome_by_wording
        if number is not None and number.text not in known_outcome_codes():
            findings.append(Finding("outcome-unknown", "error", response.source, number.line,
                                    f"table {table.number}: outcome {number.text} is not a Home Office outcome type",
                                    location=number.location, table=table.number))
        if number is not None and wording is not None and number.text != wording.text:
            findings.append(Finding(
                "outcome-number-wording", "error", response.source, wording.line,
                f"table {table.number}: the title names outcome {number.text} but the wording "
                f"{table.outcome_wording!r} is outcome {wording.text}", number.text, wording.text, wording.location,
                table.number))
    return findings


def check_outcome_dates(response: Response) -> list[Finding]:
    """An outcome counted in a period that ended before the outcome existed (an error), or
    that began before it (a note: part of the period could not have used it).

    An outcome named in a table's title is reported once, at the title; an outcome named
    in a row, at each cell whose column or response period predates it.
    """
    meta = response.metadata
    spans: dict[str | None, tuple[dt.date, dt.date] | None] = {}  # column label -> the dates it covers
    titled = {t.number: t for t in response.tables if t.outcome_code is not None}
    findings, reported = [], set()
    for record in response.records:
        code = record["outcome_code"]
        introduced = outcome_introduced(code) if code else None
        if introduced is None:
            continue
        column = record["column_label"]
        if column not in spans:
            span = column_period(column)
            if span is None and meta.period_start and meta.period_end:
                span = dt.date.fromisoformat(meta.period_start.text), dt.date.fromisoformat(meta.period_end.text)
            spans[column] = span
        span = spans[column]
        if span is None:
            continue
        start, end = span
        if end < introduced:
            rule, severity = "outcome-before-introduced", "error"
            message = (f"outcome {code} was introduced on {introduced.isoformat()}, but it is counted "
                       f"for a period ending {end.isoformat()}")
        elif start < introduced:
            rule, severity = "outcome-partly-before-introduced", "info"
            message = (f"outcome {code} was introduced on {introduced.isoformat()}; the period from "
                       f"{start.isoformat()} partly predates it")
        else:
            continue
        table = titled.get(record["table"])
        key = (rule, record["table"], code, span) if table is None else (rule, record["table"])
        if key in reported:
            continue
        reported.add(key)
        if table is not None:
            named = table.outcome_by_number or table.outcome_by_wording
            findings.append(Finding(rule, severity, response.source, named.line, f"table {table.number}: {message}",
                                    f"on or after {introduced.isoformat()}", end.isoformat(), named.location,
                                    table.number))
        elif rule == "outcome-before-introduced":
            findings.append(_at(response, record, rule, severity, message,
                                f"on or after {introduced.isoformat()}", end.isoformat()))
        else:
            findings.append(_at(response, record, rule, severity, message))
    return findings


_BASIS_WORDS = {"outcome": "crimes whose outcome was assigned in the period", "recorded": "crimes recorded in the period"}


def _basis_of(table: TableInfo, response: Response) -> Located | None:
    """The date basis a table's figures follow: its own, else the response's."""
    return table.date_basis or response.metadata.date_basis


def _place(located: Located) -> str:
    return f"line {located.line}" if located.line is not None else f"{located.where() or 'a sidecar'}"


def check_date_bases(response: Response) -> list[Finding]:
    """An outcome table counted on a different date basis from the all-crimes table it would be
    divided by (crimes recorded in the period against outcomes assigned in it): no rate can
    divide one by the other. The finding names the line where each basis is stated."""
    stated = {(t.date_basis or response.metadata.date_basis or Located("", None)).text for t in response.tables}
    if len(stated) < 2:
        return []  # every table on the same basis (or none stated): the common case
    base_number = _base_table(response)
    if base_number is None:
        return []
    base = next(t for t in response.tables if t.number == base_number)
    base_basis = _basis_of(base, response)
    findings = []
    for table in response.tables:
        basis = _basis_of(table, response)
        if table.number == base_number or basis is None or base_basis is None or basis.text == base_basis.text:
            continue
        findings.append(Finding(
            "date-basis-mixed", "warning", response.source, basis.line,
            f"table {table.number} counts {_BASIS_WORDS[basis.text]} ({_place(basis)}), but the all-crimes table "
            f"{base_number} counts {_BASIS_WORDS[base_basis.text]} ({_place(base_basis)}): no rate divides one by "
            "the other", base_basis.text, basis.text, basis.location, table.number))
    return findings


def check_unmapped_outcomes(response: Response) -> list[Finding]:
    """A table whose title names an outcome or disposal that maps to no one Home Office outcome
    ("... - Caution"), or a row of outcomes that does: its figures are neither all crimes nor any
    one outcome's, so no rate uses them."""
    findings = []
    for table in response.tables:
        title = table.title
        if table.outcome_code is not None or title is None or table.row_dimension == "outcome" \
                or table.outcomes_combined:
            continue  # (a title naming outcomes together has its own finding, outcome-combined)
        named = disposal_named(title.text)
        if named is not None:
            findings.append(Finding(
                "outcome-unmapped", "warning", response.source, title.line,
                f"table {table.number}: the title names an outcome fosi cannot map to one Home Office outcome "
                f"({named}): its figures are not all crimes, and no rate uses them", location=title.location,
                table=table.number))
    mixes = {t.number for t in response.tables if t.row_dimension == "outcome"}
    if not mixes:
        return findings
    seen = set()
    for record in response.records:
        key = (record["table"], record["row_group"], record["row_label"])
        if record["table"] in mixes and record["outcome_code"] is None and record["kind"] == "figure" \
                and key not in seen:
            seen.add(key)
            named = outcome_named(record["row_label"])
            findings.append(_at(response, record, "outcome-unmapped", "warning",
                                f"table {record['table']}: row {record['row_label']!r} names an outcome fosi cannot "
                                f"map to one Home Office outcome{f' ({named})' if named else ''}: no rate uses it"))
    return findings


def check_combined_outcomes(response: Response) -> list[Finding]:
    """A table whose title names two or more outcomes together ("Outcome 21/22", "Outcome 2/3
    cautions"): its figures are neither any one outcome's nor all crimes, so no rate uses them."""
    findings = []
    for table in response.tables:
        if table.outcomes_combined and table.title is not None:
            codes = " and ".join(table.outcomes_combined)
            findings.append(Finding(
                "outcome-combined", "warning", response.source, table.title.line,
                f"table {table.number}: the title names outcomes {codes} together; its figures are no one "
                f"outcome's, so no single-outcome rate uses them", location=table.title.location,
                table=table.number))
    return findings


# "Offences with fewer than 5 crimes are not shown", "counts below 10 have been omitted".
_OMITTED = re.compile(r"(?:fewer|less)\s+than\s+(\d{1,3})\b|\bbelow\s+(\d{1,3})\b|\bunder\s+(\d{1,3})\b", re.I)
_LEFT_OUT = re.compile(r"\bnot\s+(?:been\s+)?(?:shown|included|listed|displayed|published|reported)\b|\bomitted\b|"
                       r"\bexcluded\b|\bremoved\b|\bleft\s+out\b", re.I)


def check_small_counts_omitted(response: Response) -> list[Finding]:
    """A note saying small counts are left out of the tables: a row missing from a table may then
    stand for 1 to threshold - 1, never 0 (no rate infers a zero from such a table)."""
    for note in response.notes:
        match = _OMITTED.search(note.text)
        if match and _LEFT_OUT.search(note.text) and re.search(r"crime|offence|count|figure|number|row", note.text, re.I):
            threshold = next(int(g) for g in match.groups() if g)
            if threshold < 2:
                continue
            return [Finding("small-counts-omitted", "info", response.source, note.line,
                            f"the response says counts below {threshold} are not shown: a row a table leaves out "
                            f"may be 1 to {threshold - 1}, so no rate takes it as 0", str(threshold), None,
                            note.location)]
    return []


def check_metadata(response: Response) -> list[Finding]:
    """What the response does not say about itself (needed before comparing it with others)."""
    missing = [name.replace("_", " ") for name in ("force", "period_start", "date_basis", "unit")
               if getattr(response.metadata, name) is None]
    if not missing or not response.records:
        return []
    return [Finding("metadata-missing", "info", response.source, None,
                    f"the response does not state its {', '.join(missing)}; a sidecar file can state it")]


RULES: tuple[Rule, ...] = (
    check_totals,
    check_outcome_within_base,
    check_duplicate_labels,
    check_counts,
    check_period,
    check_outcome_naming,
    check_outcome_dates,
    check_date_bases,
    check_unmapped_outcomes,
    check_combined_outcomes,
    check_small_counts_omitted,
    check_metadata,
)


def validate(response: Response) -> list[Finding]:
    """Every rule's findings for one response (and what its reader noticed), in file order."""
    findings = [finding for rule in RULES for finding in rule(response)]
    findings += [f for f in response.findings if f.rule != "outcome-number-wording"]
    return sorted(findings, key=lambda f: (f.line is None, f.line or 0, f.location or "", f.rule))


def validate_all(responses: Iterable[Response]) -> pd.DataFrame:
    """Findings for several responses as one table (columns: fosi.model.findings.FINDING_COLUMNS)."""
    return findings_frame(f for response in responses for f in validate(response))


ACROSS_RESPONSES = ("another reply of the same force and period ({other}) prints figures that, with this one's, fix a "
                    "withheld cell here: they are masked; do not republish them side by side")


def mask_across_responses(figures: pd.DataFrame, findings: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Disclosure control across replies of the same force and period (a reply and its correction, or
    two requests answered alike): a cell one withholds and another prints, or that the other's figures
    fix with this one's totals, is worked out by integer linear programming over both (each printed
    Total with the figures of its column; the same outcome, offence (or row) and column in each reply
    counting the same crimes). The figures that fix such a cell are masked, in every reply, and a
    suppression-ineffective warning names the other reply. Returns the figures and findings."""
    import pandas as pd

    known = figures[figures["force"].notna() & figures["period_start"].notna() & figures["period_end"].notna()
                    & (figures["kind"] != "prose")]
    groups = [g for _, g in known.groupby(["force", "period_start", "period_end"], sort=False)
              if g["source"].nunique() > 1 and any(is_suppressed(None, m) for m in g["marker"].dropna().astype(str))]
    if not groups:
        return figures, findings
    figures = figures.copy()
    added = []
    for group in groups:
        for _ in range(10):
            rows = figures.loc[group.index]
            fixed, holding = _fixed_across(rows)
            if not fixed:
                break
            masked = sorted(set().union(*holding.values()))
            figures.loc[masked, "count"] = pd.NA
            figures.loc[masked, "marker"] = MASKED
            for cell in sorted(fixed):
                mine = figures.loc[cell]
                others = sorted(set(figures.loc[sorted(holding[cell]), "source"]) - {mine["source"]})
                added.append(Finding("suppression-ineffective", "warning", mine["source"],
                                     None if pd.isna(mine["line"]) else int(mine["line"]),
                                     ACROSS_RESPONSES.format(other=", ".join(others) or "another reply"),
                                     location=mine["location"], table=int(mine["table"])))
    if added:
        findings = pd.concat([findings, findings_frame(added)], ignore_index=True)
    return figures, findings


def _fixed_across(rows: pd.DataFrame) -> tuple[set, dict]:
    """The withheld cells (by index) that the replies' printed figures fix together, and for each the
    indexes of the printed figures that hold it."""
    import pandas as pd

    index = list(rows.index)
    position = {label: k for k, label in enumerate(index)}
    ranges = [value_range(None if pd.isna(c) else int(c), m if isinstance(m, str) else None)
              for c, m in zip(rows["count"], rows["marker"])]
    totals, members_of = [], []
    for _, column in rows.groupby(["source", "table", "column_label"], dropna=False, sort=False):
        total_rows = column[(column["kind"] == "total") & column["row_label"].map(lambda t: is_total_label(t or ""))]
        parts = column[column["kind"] == "figure"]
        if len(total_rows) == 1 and pd.notna(total_rows["count"].iloc[0]) and len(parts):
            totals.append((int(total_rows["count"].iloc[0]), [position[i] for i in parts.index]))
            members_of.append([total_rows.index[0], *parts.index])
    keyed: dict[tuple, list] = defaultdict(list)
    figures_only = rows[rows["kind"] == "figure"]
    for label, row in figures_only.iterrows():
        what = row["offence_code"] if isinstance(row["offence_code"], str) else row["row_label"]
        keyed[(row["outcome_code"], what, row["column_label"], row["unit"], row["date_basis"],
               row.get("age_restriction"))].append(label)
    sums, pairs = [], []
    for labels in keyed.values():
        by_source = {rows.loc[label, "source"]: label for label in labels}
        if len(by_source) != len(labels) or len(by_source) < 2:
            continue  # several rows of one key in a reply (two labels of one code): no one-to-one pairing
        first, *rest = by_source.values()
        for other in rest:
            sums.append(([position[first]], [position[other]]))
            pairs.append((first, other))
    if not sums:
        return set(), {}
    bounds = exact_bounds(ranges, totals, sums)
    if bounds is None:
        return set(), {}
    markers = [m if isinstance(m, str) else None for m in rows["marker"]]
    fixed = {index[k] for k, span in enumerate(bounds)
             if span.exact and pd.isna(rows.loc[index[k], "count"]) and is_suppressed(None, markers[k])}
    holding = {}
    for cell in fixed:
        printed = {label for members in members_of if cell in members for label in members}
        printed |= {label for pair in pairs if cell in pair for label in pair}
        holding[cell] = {label for label in printed if pd.notna(rows.loc[label, "count"])}
    return fixed, holding
