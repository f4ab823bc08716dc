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


def narrow(total: int, parts: Sequence[Range]) -> list[Range]:
    """Each part's range once the parts are known to add up to ``total``: at most the total less
    the least the others can reach, at least the total less the most they can reach. For one
    total these bounds are exact: every whole number left in a range is reached by some values
    of the others. A range left empty (low above high) means the total cannot be met."""
    least = sum(p.low for p in parts)
    open_above = sum(1 for p in parts if p.high is None)
    most = sum(p.high for p in parts if p.high is not None)
    narrowed = []
    for part in parts:
        high = total - (least - part.low)
        if part.high is not None:
            high = min(high, part.high)
        low = part.low
        others_open = open_above - (part.high is None)
        if others_open == 0:  # the others have a most: this part is at least what they leave
            low = max(low, total - (most - (part.high or 0)))
        narrowed.append(Range(low, high))
    return narrowed


def fixed_by_totals(ranges: Sequence[Range], totals: Sequence[tuple[int, Sequence[int]]]) -> list[Range]:
    """The cells' ranges once every printed total (a total and the indexes of the cells it adds
    up) has narrowed them, each total in turn until none narrows any further. A cell whose range
    ends as one value can be worked out from the table as printed. The propagation is sound (a
    single value left is the only one possible) but, across several totals at once, not always
    complete."""
    current = list(ranges)
    changed = True
    while changed:
        changed = False
        for total, members in totals:
            for index, narrowed in zip(members, narrow(total, [current[i] for i in members])):
                if narrowed.high is not None and narrowed.low > narrowed.high:
                    return current  # the totals contradict each other: reported elsewhere, nothing is fixed
                if narrowed != current[index]:
                    current[index] = narrowed
                    changed = True
    return current
