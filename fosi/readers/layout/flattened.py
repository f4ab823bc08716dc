"""Tables run onto one line: text copied out of a PDF or a web page that lost its line breaks.

"Q1 Gender Number of Arrests Female 4046 Male 21175 Not Recorded 210 Grand Total 25432" is a
title, a header and four rows on one line. Such a line alternates runs of words and runs of
values; where every run of values has the same length (the table's value columns), each
run of words before one is a row label. The first run of words also carries the title and
the header: its last words are the first row's label, and the rest must split into the
header's names exactly one way (fosi.readers.layout.headers), or the line is left unread.

The line is replaced by one Line per part (title, header, each row), all at the line's own
place in the file, for the shared table finder.
"""

from __future__ import annotations

import re
import string
from collections.abc import Sequence
from dataclasses import replace

from fosi.readers.layout.cells import (
    is_period_label,
    is_total_label,
    is_value,
    parse_value,
)
from fosi.readers.layout.headers import counted_options, is_corner
from fosi.readers.layout.lines import Line
from fosi.readers.layout.rowshapes import joined_shape, owned_number

_TOKEN = re.compile(r"[^ \t]+")
# A question's or item's number before a table: "Q1", "1.", "Question 3:", "a)".
_LEAD = re.compile(r"^(?:q\d+[a-z]?[.:)]?|question\s+\d+[.:)]?|\d{1,2}[.)]|\(?[a-z]\))\s+(?!(?:19|20)\d\d)",
                   re.IGNORECASE)  # (never "Q1 2019": a quarter, not a question)
_MAX_LABEL_WORDS = 8
_JOINERS = frozenset("of and or the in on for to by per with a an & / from at as".split())


def _runs(text: str) -> list[tuple[bool, list[tuple[int, int, str]]]]:
    """Alternating runs of words (False) and values (True), each a list of (start, end, token)."""
    tokens = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]
    kinds = []
    for k, (start, end, token) in enumerate(tokens):
        value = parse_value(token) is not None
        if value and token in ("-", "–", "—", "*") and 0 < k < len(tokens) - 1 and (
                parse_value(tokens[k - 1][2]) is None and parse_value(tokens[k + 1][2]) is None):
            value = False  # a dash between words belongs to a label ("Caution - youths")
        if value and k > 0 and owned_number(tokens[k - 1][2], token):
            value = False  # "Under 18", "Outcome 21": part of a label
        kinds.append(value)
    runs: list[tuple[bool, list[tuple[int, int, str]]]] = []
    for kind, token in zip(kinds, tokens):
        if runs and runs[-1][0] == kind:
            runs[-1][1].append(token)
        else:
            runs.append((kind, [token]))
    return runs


def _plausible_label(words: Sequence[str]) -> bool:
    if not words or len(words) > _MAX_LABEL_WORDS:
        return False
    first = words[0]
    if len(words) > 1 and (is_period_label(first) or len(words) > 2 and is_period_label(" ".join(words[:2]))):
        return False  # "Sep-23 Action ...", "October 2022 Female": a header's period run into the first label
    if first.lower() in _JOINERS or words[-1].lower() in _JOINERS or words[-1].endswith((",", ";")):
        return False
    return not first[:1].islower()


def _text(text: str, tokens: Sequence[tuple[int, int, str]]) -> str:
    return text[tokens[0][0]:tokens[-1][1]]


def unflatten(line: Line, header_above: bool) -> list[Line] | None:
    """The parts of a table run onto one line, or None when the line is not one.
    ``header_above``: the line above names columns, so the line may hold rows only."""
    text = line.text
    runs = _runs(text)
    if runs and runs[0][0]:
        return None  # a table's line starts with words (a title, a header or a label)
    pairs = [(runs[k][1], runs[k + 1][1]) for k in range(0, len(runs) - 1, 2) if not runs[k][0]]
    if len(pairs) == 1 and len(runs) <= 3:
        return _period_rows(line, runs)
    if len(pairs) < 2:
        return None
    width = len(pairs[0][1])
    # Every run of values but the last (which the end of a cut text may shorten) has the table's width.
    if any(len(values) != width for _, values in pairs[:-1]) or len(pairs[-1][1]) > width:
        return None
    if not all(_plausible_label([t[2] for t in words]) for words, _ in pairs[1:]):
        return None  # words between numbers that are not labels: a sentence, not a table
    first_words = pairs[0][0]
    parts: list[Line] = []
    words = [t[2] for t in first_words]
    found = []
    for size in range(1, min(_MAX_LABEL_WORDS, len(words) - 1) + 1):
        if not _plausible_label(words[-size:]) or (is_total_label(words[-size]) and size > 1):
            continue  # (the first row is never a Total: "Total East Division" is a header's "Total", then a label)
        head = _text(text, first_words[:-size])
        lead = _LEAD.match(head)
        names = head[lead.end():] if lead else head
        options = counted_options(names, width) if names else []
        if len(options) == 1:
            found.append((size, options[0][0] is not None and is_corner(options[0][0])))
    if len(found) > 1 and sum(1 for _, cornered in found if cornered) == 1:
        found = [f for f in found if f[1]]  # the reading whose header names its rows ("Gender ...")
    if not found and header_above and _plausible_label(words):
        split = len(first_words)  # the line holds rows only, under a header above it
    elif len(found) != 1:
        return None
    else:
        split = found[0][0]
        head = _text(text, first_words[:-split])
        lead = _LEAD.match(head)
        if lead:
            parts.append(replace(line, text=head[:lead.end()].strip(), cells=[head[:lead.end()].strip()]))
            head = head[lead.end():]
        parts.append(replace(line, text=head, cells=[head]))
    for index, (label_tokens, values) in enumerate(pairs):
        if index == 0:
            label_tokens = label_tokens[len(label_tokens) - split:]
        row = text[label_tokens[0][0]:values[-1][1]]
        parts.append(replace(line, text=row, cells=[row]))
    if len(runs) % 2 == 1 and not runs[-1][0]:
        rest = _text(text, runs[-1][1])
        parts.append(replace(line, text=rest, cells=[rest]))  # words after the last value: not a row
    return parts


def _period_rows(line: Line, runs: list[tuple[bool, list[tuple[int, int, str]]]]) -> list[Line] | None:
    """'Year Female Male 2018 13 6 2019 25 50': rows labelled by periods run on after their header.
    The rows are the chunks of values that each start with a period, and only there; the header
    must split into as many names."""
    text = line.text
    words, values = runs[0][1], runs[1][1]
    for size in range(2, min(16, len(values)) + 1):
        if len(values) % size:
            continue
        chunks = [values[k:k + size] for k in range(0, len(values), size)]
        if len(chunks) < 2 or not all(is_period_label(c[0][2]) and not any(is_period_label(t[2]) for t in c[1:])
                                      for c in chunks):
            continue
        head = _text(text, words)
        lead = _LEAD.match(head)
        names = head[lead.end():] if lead else head
        options = counted_options(names, size - 1)
        prose = None
        if len(options) != 1 or options[0][0] is None:
            # The header may end a paragraph: "... see the table below. Year Seized 2014 16 2015 33".
            found = [k for k in range(2, min(6, len(words)) + 1)
                     if len(opts := counted_options(_text(text, words[-k:]), size - 1)) == 1
                     and opts[0][0] is not None and is_corner(opts[0][0])]
            if not found:
                return None
            names = _text(text, words[-found[0]:])
            prose, lead = _text(text, words[:-found[0]]), None
        parts = []
        if prose:
            parts.append(replace(line, text=prose, cells=[prose]))
        if lead:
            parts.append(replace(line, text=head[:lead.end()].strip(), cells=[head[:lead.end()].strip()]))
        parts.append(replace(line, text=names, cells=[names]))
        for chunk in chunks:
            row = text[chunk[0][0]:chunk[-1][1]]
            parts.append(replace(line, text=row, cells=[row]))
        if len(runs) == 3:
            rest = _text(text, runs[2][1])
            parts.append(replace(line, text=rest, cells=[rest]))
        return parts
    return None


# A value followed by a word: where one row of a table run onto a line ends and the next begins.
# Searched in text whose digits read "0" and ASCII letters "a" (_SHAPES): a pattern that starts
# with a literal is found far faster than one that starts with a class, and whole texts are searched.
_SHAPES = str.maketrans({**{c: "0" for c in string.digits}, **{c: "a" for c in string.ascii_letters}})
_VALUE_THEN_WORD = re.compile(r"0[ \t]+[a(]|a[ \t]+(?:0[0,]*[ \t]+){3}0")


# Between the items of a list run onto one line: "2014 – 2679, 2015 – 3549 & 2016 – 3420".
_ITEM_BREAK = re.compile(r",\s+|\s+&\s+|;\s+")
# The sign of such a list in a whole text: a value, a break, then a label and a separator.
_INLINE_ITEM = re.compile(r"0(?:,|\s+&|;)\s+\S+\s+(?:\S+\s+)?[-–—:=]\s*0")


def may_be_flattened(text: str) -> bool:
    """Could the text hold a table run onto a line, or a list of items run onto one? (a value
    followed by a word, or "2014 – 2679, 2015 – 3549"): one search of the whole text."""
    shaped = text.translate(_SHAPES)
    return bool(_VALUE_THEN_WORD.search(shaped) or _INLINE_ITEM.search(shaped))


def inline_items(line: Line) -> list[Line] | None:
    """'2014 – 2679, 2015 – 3549, 2016 – 3420': a list of "label – value" items run onto one line,
    one Line per item; None unless every part of the line is such an item."""
    parts = _ITEM_BREAK.split(line.text.strip())
    if len(parts) < 2 or not all(joined_shape(part) for part in parts):
        return None
    return [replace(line, text=part, cells=[part]) for part in parts]


# "1 x Assistant Chief Constable 2 x Detective Superintendent": counts printed before what they count,
# joined by " x ". A label is capitalised words (small joining words between them allowed); it ends at
# the next count, or where a capitalised word starts a sentence ("... Officer A further breakdown").
_COUNT_FIRST = re.compile(r"(?<![\w/.,£$€])(\d{1,3}(?:,\d{3})+|\d+)\s+[x×]\s+((?:[A-Z][\w'’/&-]*)(?:\s+(?:(?:of|and|the|for|in|&)\s+)?"
                          r"(?!\d)[A-Z][\w'’/&-]*)*)")
_MIN_COUNT_FIRST = 2
# A row's label before its items, ending in a dash or a colon: "2019, 2020 –", "Northern area:".
_ROW_LEAD = re.compile(r"(\S(?:.{0,58}\S)?)\s*[-–—:]")


def count_first_items(line: Line) -> list[Line] | None:
    """'... as follows: 1 x Assistant Chief Constable 2 x Detective Superintendent ...': a run of two or
    more "count x label" items, each a row of its own (a label and its count, as cells); the words
    before and after the run are lines of their own. None if the line holds no such run."""
    text = line.text
    items = list(_COUNT_FIRST.finditer(text))
    if len(items) < _MIN_COUNT_FIRST:
        return None
    # The run: items one after another, nothing but spaces, commas or semicolons between them.
    run = [items[0]]
    for item in items[1:]:
        if text[run[-1].end():item.start()].strip(" ,;\u00a0") == "":
            run.append(item)
        elif len(run) < _MIN_COUNT_FIRST:
            run = [item]
        else:
            break
    if len(run) < _MIN_COUNT_FIRST:
        return None
    parts: list[Line] = []
    before = text[:run[0].start()].strip()
    lead = _ROW_LEAD.fullmatch(before)
    if lead and text[run[-1].end():].strip(" .,;\u00a0") == "":
        # "2015, 2016 – 34 x General Purpose Dogs, 6 x Explosives": the items of the row the lead
        # names, one column each (their labels, as a header of this row alone: lines differ in them).
        labels = [item.group(2) for item in run]
        return [replace(line, text=" ".join(labels), cells=["", *labels], separated=True),
                replace(line, cells=[lead.group(1), *(item.group(1) for item in run)], separated=True)]
    if before:
        parts.append(replace(line, text=before, cells=[before]))
    end = run[0].start()
    for item in run:
        label = item.group(2)
        words = label.split()
        if item is run[-1] and len(words) > 1 and len(words[-1]) == 1:
            label = " ".join(words[:-1])  # "... Officer A further breakdown": "A" starts the next sentence
        parts.append(replace(line, text=text[item.start():item.start(2) + len(label)], cells=[label, item.group(1)],
                             separated=True))
        end = item.start(2) + len(label)
    after = text[end:].strip()
    if after:
        parts.append(replace(line, text=after, cells=[after]))
    return parts


def unflatten_lines(lines: Sequence[Line]) -> list[Line]:
    """The lines, each table run onto one line split into its parts."""
    result: list[Line] = []
    for line in lines:
        if line.blank or line.separated or line.cell_lines or len(line.text) < 20:
            result.append(line)
            continue
        shaped = line.text.translate(_SHAPES)
        if not _VALUE_THEN_WORD.search(shaped):
            items = inline_items(line) if _INLINE_ITEM.search(shaped) else None
            result.extend(items or [line])
            continue
        above = next((previous for previous in reversed(result) if not previous.blank), None)
        parts = inline_items(line) or count_first_items(line) or unflatten(line, above is not None and _heads_rows(above))
        result.extend(parts if parts else [line])
    return result


def _heads_rows(line: Line) -> bool:
    """Can the rows on the next line belong under this one: column names (words and periods
    only), or a row of a table run onto lines before (it ends in a value)?"""
    words = line.text.split()
    if not words:
        return False
    if is_value(words[-1]) and not is_period_label(words[-1]):
        return True
    return not any(is_value(w) and not is_period_label(w) for w in words)
