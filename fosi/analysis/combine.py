"""What may be divided, summed, compared and pooled: the one place that decides.

Every rate, sum, comparison or pooled figure fosi publishes goes through a function here, which
checks the two sides, table by table, on the attributes that make figures commensurable
(GUIDE §2): the unit counted, the date basis, the period, the offences, the outcome and the age
restriction. Each returns the figure, or the reasons it is refused, never both.

| operation | may combine two sides when                                                        |
|-----------|-----------------------------------------------------------------------------------|
| rate      | count and base: same unit, basis, period, offences, ages; the count one outcome,  |
|           | the base all crimes                                                               |
| sum       | same unit, basis, outcome, ages; no offence counted twice over the same days      |
| compare   | same unit, basis, outcome, offences, ages (periods may differ: rates, per year)   |
| pool      | as compare, from different responses, never the same force over the same days     |
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

from fosi.model.periods import overlap_days

RATE, SUM, COMPARE, POOL = "rate", "sum", "compare", "pool"
OPERATIONS = (RATE, SUM, COMPARE, POOL)
ALL_CRIMES = None  # the outcome of a figure that counts crimes whatever their outcome
ALL_AGES = "all ages"
MORE_THAN_ALL = "more crimes closed than in all"
NO_CRIMES = "no crimes"


@dataclass(frozen=True)
class Part:
    """What one printed figure (or a table of them) counts, as far as combining it goes."""

    source: str
    table: int | None
    unit: str | None
    date_basis: str | None
    period_start: str | None
    period_end: str | None
    offences: frozenset[str]  # offence codes, or the printed label of an offence with no code
    outcome: str | None  # "21"; None: all crimes; "21+22": a table that counts two outcomes together
    age_restriction: str = ALL_AGES
    force: str | None = None

    @property
    def where(self) -> str:
        return f"table {self.table}" if self.table is not None else self.source

    @property
    def single_outcome(self) -> bool:
        return self.outcome is not None and "+" not in self.outcome


@dataclass(frozen=True)
class Combined:
    """A figure combined from others, or why it is refused (``value`` None, ``reasons`` given)."""

    value: float | int | None
    reasons: tuple[str, ...] = ()

    @property
    def refused(self) -> bool:
        return bool(self.reasons)

    @property
    def reason(self) -> str | None:
        return "; ".join(self.reasons) if self.reasons else None


def _outcome_words(outcome: str | None) -> str:
    if outcome is None:
        return "all crimes"
    return "outcomes " + " and ".join(outcome.split("+")) + " together" if "+" in outcome else f"Outcome {outcome}"


def _differs(name: str, left: object, right: object, a: Part, b: Part, operation: str) -> str | None:
    if left is None and right is None and operation in (RATE, SUM) and a.source == b.source:
        return None  # one response that states it nowhere: its tables are alike in this (unknown) way
    if left is None or right is None:
        missing = a if left is None else b
        return f"{missing.where} does not state its {name}"
    if left != right:
        return f"{a.where} and {b.where} differ in {name} ({left} vs {right})"
    return None


def refusals(a: Part, b: Part, operation: str) -> list[str]:
    """Why ``a`` and ``b`` may not be combined by ``operation`` (empty: they may). For a rate, ``a``
    is the count and ``b`` the base."""
    if operation not in OPERATIONS:
        raise ValueError(f"unknown operation {operation!r}; one of {', '.join(OPERATIONS)}")
    found = [reason for reason in (
        _differs("unit", a.unit, b.unit, a, b, operation),
        _differs("date basis", a.date_basis, b.date_basis, a, b, operation),
        _differs("age restriction", a.age_restriction, b.age_restriction, a, b, operation),
    ) if reason]
    period_a, period_b = (a.period_start, a.period_end), (b.period_start, b.period_end)
    known = None not in period_a and None not in period_b
    if None in period_a or None in period_b:
        found.append(f"{(a if None in period_a else b).where} does not state its period")
    if operation == RATE:
        if a.source != b.source:
            found.append("the count and the base come from different responses")
        if known and period_a != period_b:
            found.append(f"the count covers {period_a[0]} to {period_a[1]}, the base {period_b[0]} to {period_b[1]}")
        if a.offences != b.offences:
            found.append(f"the count and the base count different offences ({', '.join(sorted(a.offences))} vs "
                         f"{', '.join(sorted(b.offences))})")
        if not a.single_outcome:
            found.append(f"{a.where} counts {_outcome_words(a.outcome)}, not one outcome")
        if b.outcome is not ALL_CRIMES:
            found.append(f"{b.where} counts {_outcome_words(b.outcome)}, not all crimes")
        return found
    if a.outcome != b.outcome:
        found.append(f"{a.where} counts {_outcome_words(a.outcome)}, {b.where} {_outcome_words(b.outcome)}")
    if operation == SUM:
        if known and a.offences & b.offences and overlap_days(*period_a, *period_b):
            found.append(f"{a.where} and {b.where} both count {', '.join(sorted(a.offences & b.offences))} over the "
                         "same days: the same crimes would be added twice")
        return found
    if a.offences != b.offences:
        found.append(f"{a.where} and {b.where} count different offences ({', '.join(sorted(a.offences))} vs "
                     f"{', '.join(sorted(b.offences))})")
    if operation == POOL:
        if a.source == b.source:
            found.append("both figures come from the same response")
        elif a.force is not None and a.force == b.force and known and overlap_days(*period_a, *period_b):
            found.append(f"the same force ({a.force}) over overlapping periods: the same crimes would be pooled twice")
    return found


def rate(count: int | None, count_part: Part, base: int | None, base_part: Part) -> Combined:
    """count / base, when the two count the same things and the count is within the base."""
    reasons = refusals(count_part, base_part, RATE)
    if reasons:
        return Combined(None, tuple(reasons))
    if count is None or base is None:
        return Combined(None, ("a figure is unknown",))
    if base == 0:
        return Combined(None, (NO_CRIMES,))
    if count > base:
        return Combined(None, (MORE_THAN_ALL,))
    return Combined(count / base)


def merged(parts: Sequence[Part]) -> Part:
    """The part a sum of ``parts`` counts (only meaningful when ``total`` accepted them)."""
    first = parts[0]
    starts = [p.period_start for p in parts if p.period_start]
    ends = [p.period_end for p in parts if p.period_end]
    return Part(first.source, first.table if len({p.table for p in parts}) == 1 else None, first.unit,
                first.date_basis, min(starts) if starts else None, max(ends) if ends else None,
                frozenset().union(*(p.offences for p in parts)), first.outcome, first.age_restriction, first.force)


def total(values: Sequence[int | None], parts: Sequence[Part]) -> Combined:
    """The sum of figures that count disjoint crimes of one kind (every pair checked)."""
    reasons = list(dict.fromkeys(r for a, b in combinations(parts, 2) for r in refusals(a, b, SUM)))
    if reasons:
        return Combined(None, tuple(reasons))
    if any(v is None for v in values):
        return Combined(None, ("a figure is unknown",))
    return Combined(sum(int(v) for v in values))


def pooled(counts: Sequence[int], bases: Sequence[int], parts: Sequence[Part]) -> Combined:
    """The pooled rate sum(counts) / sum(bases) of rates from different responses (every pair checked)."""
    reasons = list(dict.fromkeys(r for a, b in combinations(parts, 2) for r in refusals(a, b, POOL)))
    if reasons:
        return Combined(None, tuple(reasons))
    if not bases or sum(bases) == 0:
        return Combined(None, (NO_CRIMES,))
    return Combined(sum(counts) / sum(bases))
