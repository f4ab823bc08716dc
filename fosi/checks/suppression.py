"""Suppressed and missing cells as ranges of whole numbers, and what printed totals imply.

A suppressed cell is not zero and not unknown: it is a small positive number (GUIDE §2).
``<5`` is 1 to 4; ``*`` (or ``[c]``) is at least 1, or 1 to threshold - 1 where a sidecar
states the threshold; a blank follows the sidecar's ``blank_means`` (zero, or unknown when
it says "unknown" or says nothing); other markers (``-``, ``n/a``, ``[x]``, ``..``) are
unknown. A printed total then constrains the cells it adds up.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

_BELOW = re.compile(r"^(?:<|&lt;|less than|fewer than)\s*(\d{1,18})$", re.IGNORECASE)
_AT_MOST = re.compile(r"^≤\s*(\d{1,18})$")
_SUPPRESSED = {"*", "**", "***", "[c]"}


@dataclass(frozen=True)
class Range:
    low: int
    high: int | None  # None: no upper bound

    @property
    def exact(self) -> bool:
        return self.high == self.low


def value_range(count: int | None, marker: str | None, threshold: int | None = None,
                blank_means: str = "not stated") -> Range:
    """The whole numbers a printed cell can stand for."""
    if count is not None:
        return Range(count, count)
    text = (marker or "").strip()
    if match := _BELOW.match(text):
        return Range(1, max(1, int(match.group(1)) - 1))
    if match := _AT_MOST.match(text):
        return Range(1, int(match.group(1)))
    if text in _SUPPRESSED:
        return Range(1, threshold - 1 if threshold else None)
    if text == "" and blank_means == "zero":
        return Range(0, 0)
    return Range(0, None)


def is_suppressed(count: int | None, marker: str | None) -> bool:
    """A cell withheld as small (its range starts at 1), not merely missing."""
    return count is None and value_range(None, marker).low >= 1


@dataclass(frozen=True)
class TotalCheck:
    """What a printed total says about its parts."""

    status: str  # "agrees" | "mismatch" | "below" | "above" | "implies"
    visible: int  # sum of the parts printed as numbers
    low: int  # least the parts can sum to
    high: int | None  # most they can sum to (None: no bound)
    unknown: int  # parts not printed as numbers
    suppressed: int  # of those, cells withheld as small (at least 1 each)


def check_total(total: int, parts: Sequence[Range], suppressed: int = 0) -> TotalCheck:
    """Parts = total, with each unknown part somewhere in its range."""
    visible = sum(p.low for p in parts if p.exact)
    low = sum(p.low for p in parts)
    high = None if any(p.high is None for p in parts) else sum(p.high for p in parts)  # type: ignore[misc]
    unknown = sum(1 for p in parts if not p.exact)
    if unknown == 0:
        status = "agrees" if visible == total else "mismatch"
    elif total < low:
        status = "below"
    elif high is not None and total > high:
        status = "above"
    else:
        status = "implies"
    return TotalCheck(status, visible, low, high, unknown, suppressed)


# What a masked figure prints instead of its number (fosi.checks.validate.mask_revealing): with the
# other printed figures it would let a reader work out a cell the force withheld.
MASKED = "[masked]"


def exact_bounds(ranges: Sequence[Range], totals: Sequence[tuple[int, Sequence[int]]],
                 equal_sums: Sequence[tuple[Sequence[int], Sequence[int]]] = ()) -> list[Range] | None:
    """The exact range of every cell given every printed total (a total and the indexes of the cells
    it adds up) and every pair of sets of cells that count the same crimes (two tables of one
    outcome, one by offence and one by quarter): the least and the most whole number each unknown
    cell can take while every constraint holds, each found by integer linear programming
    (scipy.optimize.linprog with HiGHS). Totals alone give a totally unimodular system, so these
    are the bounds of the linear relaxation too. A cell in no constraint keeps its range. None when
    the constraints contradict each other (reported by the total checks, not here)."""
    unknown = [i for i, r in enumerate(ranges) if not r.exact]
    constrained = {m for _, members in totals for m in members} | {
        m for left, right in equal_sums for m in (*left, *right)}
    variables = [i for i in unknown if i in constrained]
    if not variables:
        return list(ranges)
    import numpy as np
    from scipy.optimize import (
        linprog,  # scipy is slow to import: only when a withheld cell is constrained
    )

    column = {cell: k for k, cell in enumerate(variables)}
    rows, rhs = [], []

    def add(plus: Sequence[int], minus: Sequence[int], value: int) -> bool:
        row, constant = np.zeros(len(variables)), 0
        for sign, members in ((1, plus), (-1, minus)):
            for member in members:
                if member in column:
                    row[column[member]] += sign
                else:
                    constant += sign * ranges[member].low  # an exact cell, or an unknown in no constraint
        if row.any():
            rows.append(row)
            rhs.append(value - constant)
            return True
        return constant == value

    for total, members in totals:
        if not add(members, (), total):
            return None
    for left, right in equal_sums:
        if not add(left, right, 0):
            return None
    bounds = [(ranges[i].low, ranges[i].high) for i in variables]
    integral = np.ones(len(variables))
    result = list(ranges)
    for k, cell in enumerate(variables):
        objective = np.zeros(len(variables))
        objective[k] = 1
        least = linprog(objective, A_eq=np.array(rows), b_eq=np.array(rhs), bounds=bounds, integrality=integral)
        if least.status == 2:
            return None  # infeasible
        most = linprog(-objective, A_eq=np.array(rows), b_eq=np.array(rhs), bounds=bounds, integrality=integral)
        low = int(round(least.x[k])) if least.status == 0 else ranges[cell].low
        high = int(round(most.x[k])) if most.status == 0 else None  # status 3: no upper bound
        result[cell] = Range(low, high)
    return result
