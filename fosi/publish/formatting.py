"""How numbers and response text are written out: one place, so a number in prose
equals the number in the table beside it."""

from __future__ import annotations

import datetime as dt
import math
import re

import pandas as pd


def percent(proportion: float, decimals: int = 1) -> str:
    """0.38827 -> '38.8%'; missing -> '–'."""
    if proportion is None or pd.isna(proportion) or math.isnan(proportion):
        return "–"
    return f"{proportion * 100:.{decimals}f}%"


def interval(low: float, high: float, decimals: int = 1) -> str:
    """(0.3392, 0.4397) -> '33.9%–44.0%'."""
    if pd.isna(low) or pd.isna(high):
        return "–"
    return f"{percent(low, decimals)}–{percent(high, decimals)}"


def interval_method(method: str, short: bool = False) -> str:
    """How an interval method is named in reports: 'Wilson score' ('Wilson' where space is short,
    on a chart) or 'exact Clopper–Pearson' (fosi.analysis.rates.CI_METHODS)."""
    if method == "wilson":
        return "Wilson" if short else "Wilson score"
    return "exact Clopper–Pearson"


def rate_and_interval(rate: float, low: float, high: float) -> str:
    """'22.2% (19.9%–24.8%)': a rate and its interval in one table cell (the interval's level in the
    column's heading)."""
    return f"{percent(rate)} ({interval(low, high)})"


def rate_with_interval(rate: float, low: float, high: float, confidence: float) -> str:
    """'(38.8%; 95% CI 33.9%–44.0%)': how every rate is written beside its count, in prose and index."""
    return f"({percent(rate)}; {confidence_label(confidence)} CI {interval(low, high)})"


def confidence_label(confidence: float) -> str:
    """0.95 -> '95%', 0.998 -> '99.8%'."""
    return f"{confidence * 100:g}%"


def long_date(iso: str | None) -> str:
    """'2016-01-01' -> '1 January 2016'."""
    if iso is None or pd.isna(iso):
        return "an unstated date"
    day = dt.date.fromisoformat(str(iso))
    return f"{day.day} {day.strftime('%B')} {day.year}"


def period_text(start: str | None, end: str | None) -> str:
    if start is None or pd.isna(start) or end is None or pd.isna(end):
        return "an unstated period"
    return f"{long_date(start)} to {long_date(end)}"


# Characters that start Markdown syntax inside a line (emphasis, links, code, tables, HTML, entities).
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]#!|~<>&$])")
# What starts a block at the beginning of a line: a list item, a heading underline, a numbered item.
_BLOCK_START = re.compile(r"^(\s*)([-+=]|\d+[.)])", re.MULTILINE)


def escape_text(text: object) -> str:
    """Response text made literal inside Markdown: shown exactly as printed, never run.

    Every piece of text that came from a response goes through this before it is shown in
    Markdown. Characters that Markdown would read as syntax or as HTML are escaped with a
    backslash (CommonMark), so the renderer prints them as themselves: '<5' shows as '<5',
    '&lt;' as '&lt;', and '<script>' as text. (Escaping them for HTML as well would show the
    entities themselves: 'counts &lt;5'.) Text written into HTML goes through html.escape
    instead, once.
    """
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))
    return _BLOCK_START.sub(lambda m: m.group(1) + re.sub(r"([-+=.)])", r"\\\1", m.group(2)), escaped)


def count_text(count: object) -> str:
    """A whole number as tables and prose write it: 1234 -> '1,234' (thousands separated)."""
    return f"{int(count):,}"
