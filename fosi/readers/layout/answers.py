"""Answers given one to a line under the question's number: "1. 118 Dogs seized.", "1.  288
(Headcount).", "1. 10". Once the reply's own words have begun, such a line states one count and,
in a few words after it, what it counts: a row of its own (a "label - count" item), so its count is
a figure at its line, named by those words (or, with none, by the answer's number)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from fosi.readers.layout.accounting import is_reply_line
from fosi.readers.layout.lines import Line

_NUMBERED_COUNT = re.compile(r"^\s*(\d{1,2})[.)]\s+(\d{1,3}(?:,\d{3})+|\d+)(?:\s+(.*?))?\s*$")
_YEAR = re.compile(r"^(?:19|20)\d\d$")
# What the count counts ends where a clause starts: "571 vehicles in total, as at 4.1.17."
_CLAUSE = re.compile(r"\s*(?:[,;:(]|\bas at\b|\bas of\b|\bwhich\b|\bof which\b).*$", re.IGNORECASE)
_MAX_WORDS = 4


def _label(rest: str | None, number: str) -> str | None:
    """The words naming the count ("Dogs seized" of "Dogs seized."), the answer's number when none
    follow, or None when what follows is not a short name (a sentence, or more numbers)."""
    if not rest:
        return f"{number}."
    rest = rest.strip().rstrip(".").strip()
    if rest.startswith("(") and rest.endswith(")") and rest.count("(") == 1:
        rest = rest[1:-1].strip()  # "288 (Headcount)."
    rest = _CLAUSE.sub("", rest).strip().rstrip(".").strip()
    words = rest.split()
    if not words or len(words) > _MAX_WORDS or any(any(c.isdigit() for c in word) for word in words):
        return None
    return rest


def numbered_answers(lines: Sequence[Line]) -> list[Line]:
    """The lines, each numbered answer of one count after the reply has begun written as the item
    it is ("Dogs seized - 118"); every other line as it was."""
    result, replied = [], False
    for line in lines:
        match = None if line.blank or line.separated else _NUMBERED_COUNT.match(line.text)
        if replied and match and not _YEAR.match(match.group(2).replace(",", "")):
            label = _label(match.group(3), match.group(1))
            if label is not None:
                item = f"{label} - {match.group(2)}"
                result.append(replace(line, text=item, cells=[item]))
                continue
        replied = replied or is_reply_line(line.text)
        result.append(line)
    return result
