"""Tables whose cells lost their separators in copying (web pages copied as text, GUIDE §3 kind 9).

'YearClass AClass BClass CYearly Total' over '2009912613148' is a header of five names and a
row 2009 | 9 | 126 | 13 | 148 with every boundary lost. The header's names are parted where a
capital follows a small letter (or starts a word after a capital: 'CYearly'); a row's label is a
financial year, a year, or its words, and its digits must be split into as many counts as the
header names value columns. Most rows can be split many ways: a split is read only where the
table prints totals (a Total column, a Total row) and exactly one split of every row satisfies
all of them at once. Otherwise the table is refused at its line, never guessed.

Money printed after the counts ('245£1,382,709.25') keeps its own boundary (the '£'), and is never a
count: its column is left out of the cells.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import combinations

from fosi.readers.layout.cells import is_total_label
from fosi.readers.layout.lines import Line

# Where two names were glued: a capital after a small letter ("YearClass"), or a capital starting
# a word right after a capital ("CYearly": "Class C" and "Yearly").
_GLUE = re.compile(r"(?<=[a-z)])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
# The sign, in a whole text, of a header glued so: a small letter then a capital inside a word.
SIGN = re.compile(r"[a-z][A-Z][a-z]")
# A run of digits this long alone on a line may be a year glued to its counts ("2009912613148").
_LONG_DIGITS = 7


def may_be_glued(lines: Sequence[str], text: str) -> bool:
    """Could the text hold a table whose cells were glued together? A line ending in digits glued to
    a word, a slash or a bracket ("Making/Taking26", "2019/20456"), or money after a count
    ("245£1,382,709.25"), or a long run of digits alone;
    and a header glued the same way. (String tests per line first: far cheaper than a search of the
    whole text for a small letter before a capital.)"""
    for line in lines:
        end = line.rstrip()
        if not end[-1:].isdigit():
            continue
        before = end.rstrip("0123456789")
        if (before[-1:].isalpha() or before[-1:] in ("/", ")", ".", ",")) or (not before.strip() and len(end.strip()) >= _LONG_DIGITS):
            return bool(SIGN.search(text))
    return False


_ROW = re.compile(r"^\s*(?P<body>[^£]*?\d)(?P<money>(?:£\s?[\d,]+(?:\.\d+)?)*)\s*$")
_FINANCIAL_YEAR = re.compile(r"^((?:19|20)(\d\d)/(\d\d))(\d+)$")
_YEAR = re.compile(r"^((?:19|20)\d\d)(\d+)$")
_WORDS = re.compile(r"^(?P<label>.*[^\d\s,])(?P<digits>\d+)$")
_MONEY = re.compile(r"£\s?[\d,]+(?:\.\d+)?")
# Splits of one row tried at most: a row of more digits than this is not split by counting.
_MAX_SPLITS = 20000
_MAX_SOLUTIONS = 2


@dataclass
class _Row:
    index: int
    label: str
    digits: str  # the glued counts
    money: int  # money cells printed after them


def header_names(text: str) -> list[str] | None:
    """The names of a header whose cells were glued together, or None if the line is not one."""
    stripped = text.strip()
    if not stripped or any(c.isdigit() for c in stripped) or stripped.endswith((".", ":", "?")):
        return None
    names = [name.strip() for name in _GLUE.split(stripped) if name.strip()]
    return names if len(names) >= 2 and all(len(n) >= 1 for n in names) else None


def _row_label(text: str, years: bool) -> tuple[str, str] | None:
    """(label, digits) of a glued row: a financial year, a year (where the rows are labelled by years),
    or its words, then digits only."""
    body = text.strip().replace("\u00a0", " ").strip()
    fy = _FINANCIAL_YEAR.match(body)
    if fy and int(fy.group(3)) == (int(fy.group(2)) + 1) % 100:
        return fy.group(1), fy.group(4)
    if years and (year := _YEAR.match(body)):
        return year.group(1), year.group(2)
    words = _WORDS.match(body)
    if words and any(c.isalpha() for c in words.group("label")):
        return words.group("label").strip(), words.group("digits")
    return None


def _splits(digits: str, parts: int) -> list[tuple[int, ...]]:
    """Every way to cut ``digits`` into ``parts`` whole numbers, none with a leading zero."""
    n = len(digits)
    if parts > n:
        return []
    found = []
    for cuts in combinations(range(1, n), parts - 1):
        bounds = (0, *cuts, n)
        pieces = [digits[bounds[k]:bounds[k + 1]] for k in range(parts)]
        if any(len(p) > 1 and p[0] == "0" for p in pieces):
            continue
        found.append(tuple(int(p) for p in pieces))
        if len(found) > _MAX_SPLITS:
            return []
    return found


def _solve(rows: list[_Row], parts: int, total_column: bool) -> tuple[list[tuple[int, ...]], int]:
    """(the split of every row, how many splits satisfy every printed total, at most 2)."""
    options = []
    for row in rows:
        found = _splits(row.digits, parts)
        if total_column and parts >= 2:
            found = [s for s in found if sum(s[:-1]) == s[-1]]
        options.append(found)
    if any(not found for found in options):
        return [], 0
    totals = [k for k, row in enumerate(rows) if is_total_label(row.label)]
    if len(totals) > 1:
        return [], 0
    if not totals:
        unique = all(len(found) == 1 for found in options)
        return ([found[0] for found in options], 1) if unique else ([], 2)
    total_at = totals[0]
    body = [k for k in range(len(rows)) if k != total_at]
    solutions: list[list[tuple[int, ...]]] = []
    for total in options[total_at]:
        # Depth-first over the rows, never letting a column's running sum pass its printed total.
        chosen: list[tuple[int, ...]] = []

        def search(position: int, sums: tuple[int, ...]) -> None:
            if len(solutions) >= _MAX_SOLUTIONS:
                return
            if position == len(body):
                if sums == total:
                    picked = dict(zip(body, chosen))
                    picked[total_at] = total
                    solutions.append([picked[k] for k in range(len(rows))])
                return
            for split in options[body[position]]:
                after = tuple(a + b for a, b in zip(sums, split))
                if all(a <= t for a, t in zip(after, total)):
                    chosen.append(split)
                    search(position + 1, after)
                    chosen.pop()

        search(0, (0,) * parts)
        if len(solutions) >= _MAX_SOLUTIONS:
            break
    return (solutions[0] if len(solutions) == 1 else []), len(solutions)


def _table_at(lines: Sequence[Line], start: int) -> tuple[list[str], list[_Row], int] | None:
    """The glued table whose header is at ``start``: its names, its rows, and its last line."""
    names = header_names(lines[start].text)
    if names is None:
        return None
    texts: list[tuple[int, str, int]] = []  # (index, text before any money, money cells)
    index = start + 1
    while index < len(lines):
        line = lines[index]
        if line.blank:
            if texts:
                break
            index += 1
            continue
        match = None if line.separated else _ROW.match(line.text)
        if match is None or _row_label(match.group("body"), True) is None:
            break
        texts.append((index, match.group("body"), len(_MONEY.findall(match.group("money")))))
        index += 1
    if len(texts) < 2:
        return None
    leading = [t[:4] for _, t, _ in texts]
    years = all(y.isdigit() for y in leading[:-1]) and all(
        int(b) - int(a) == 1 for a, b in zip(leading, leading[1:-1] + ([leading[-1]] if leading[-1].isdigit() else [])))
    rows = []
    for position, body, money in texts:
        parsed = _row_label(body, years)
        if parsed is None:
            return None
        rows.append(_Row(position, parsed[0], parsed[1], money))
    return names, rows, texts[-1][0]


def split_glued_tables(lines: Sequence[Line]) -> list[Line]:
    """The lines, each glued table read into cells (or marked as not readable, with why)."""
    result = list(lines)
    index = 0
    while index < len(result):
        line = result[index]
        if line.blank or line.separated or line.cell_lines or not SIGN.search(line.text):
            index += 1
            continue
        found = _table_at(result, index)
        if found is None:
            index += 1
            continue
        names, rows, last = found
        money = max(row.money for row in rows)
        parts = len(names) - 1 - money
        if parts < 1 or any(row.money != money for row in rows):
            index += 1
            continue
        count_names = names[1:1 + parts]
        total_column = parts >= 2 and is_total_label(count_names[-1])
        split, solutions = _solve(rows, parts, total_column)
        if parts == 1 and solutions == 1:
            note = None  # one count a row: nothing to choose
        elif solutions == 1:
            checked = " and ".join(p for p, on in (("the Total column", total_column),
                                                     ("the Total row", any(is_total_label(r.label) for r in rows))) if on)
            note = (f"a table whose cells were glued together: its digits were split the only way that "
                    f"satisfies {checked} (row {rows[0].label!r} read as {' | '.join(map(str, split[0]))})")
        else:
            problem = ("a table whose cells were glued together (its separators lost in copying): "
                       + ("no split of its digits satisfies its printed totals" if solutions == 0 else
                          "its digits can be split in more than one way that satisfies every printed total"
                          if any(is_total_label(r.label) for r in rows) or total_column else
                          "it prints no total that could tell how its digits split"))
            for k in range(index, last + 1):
                if not result[k].blank:
                    result[k] = replace(result[k], problem=problem)
            index = last + 1
            continue
        result[index] = Line([names[0], *count_names], lines[index].text, line.line, line.location, separated=True,
                             note=note)
        for row, values in zip(rows, split):
            original = result[row.index]
            result[row.index] = Line([row.label, *map(str, values)], original.text, original.line, original.location,
                                     separated=True)
        index = last + 1
    return result
