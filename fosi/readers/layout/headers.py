"""Fit the lines above a table's rows to the columns its values define.

The rows say how many value columns a table has; the header lines above them only
have to be split into that many names. Three ways, tried in this order:

1. explicit cells (tabs, pipes, spreadsheet or PDF cells): one cell per column, a
   spanning cell (printed once, followed by empty cells) covering the columns after it;
2. character alignment, when the rows are laid out in columns: each header word belongs
   to the column it is printed over, a word over several columns spans them, and a
   header broken over several lines is joined column by column;
3. counting, when the header is separated by single spaces: its words are grouped into
   exactly as many names as there are columns. A number belongs to the word before it
   ("Outcome 2"), small words join their neighbours ("Number of arrests"), phrases
   known from police tables stay whole ("Grand Total"), a sentence-case header starts a
   name at each capital, and a spanning line over repeating sub-headers ("Female Male
   Female Male") spans one repeat each. If more than one grouping remains, the header
   is ambiguous and the table is not read (never guessed).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import combinations

from fosi.readers.layout.cells import is_period_label, is_value
from fosi.readers.layout.lines import Line
from fosi.readers.layout.rowshapes import NUMBER_WORDS, is_letterhead, owns_year

# Words that never begin or end a column name: they join the words on either side.
_JOINERS = frozenset("of and or the in on for to by per with a an & / - – — + from at as vs".split())
# Names of the row-label column (a header's first cell): what the rows are.
_CORNER = re.compile(
    r"^(?:offen[cs]es?|crimes?|outcomes?|positive outcomes?|category|categories|description|classification|"
    r"year|years|month|months|quarter|period|date|financial year|calendar year|fy|age|age band|age group|"
    r"age range|ages?|sex|gender|ethnicity|ethnic group|nationality|area|district|division|region|location|"
    r"force|station|borough|ward|type|crime type|offence type|offence group|crime group|crime category|"
    r"crime outcome|outcome type|outcome group|outcome category|disposal|disposal type|result|status|"
    r"ho code|home office code|code|offence code|crime code|question|measure|time|day|hour|role|rank|"
    r"department|unit|reason|power|legislation|act|section|item|detail|details|breakdown|group|class|"
    r"subject|victim age|suspect age|offender age|age of suspect|age of victim|age of offender|"
    r"crime classification|offence description|crime description|home office classification|"
    r"local policing area|policing area|local authority|local authority area|community safety partnership|"
    r"basic command unit|command unit|neighbourhood|policing district|policing division)s?"
    r"(?:\s+(?:description|type|category|group|name|title|band|range|code|class|recorded|reported|"
    r"(?:of|at) (?:offence|arrest|suspect|victim|offender)))?:?$",
    re.IGNORECASE,
)
# Multi-word names seen as column headers in police tables, kept whole when a header is split by counting.
_PHRASES = tuple(p.split() for p in (
    "grand total", "sub total", "total number", "crime type", "offence type", "offence group", "crime group",
    "age band", "age group", "age range", "financial year", "calendar year", "crime outcome", "outcome type",
    "not recorded", "not known", "not stated", "no further action", "community resolution",
    "youth caution", "adult caution", "simple caution", "conditional caution", "penalty notice",
    "charge summons", "charged summonsed", "further investigation", "public interest", "year ending",
    "year end", "home office", "ho code", "offence code", "crime code", "ethnic group", "positive outcome",
    "positive outcomes", "all crimes", "all offences", "all outcomes", "crime category", "police decision",
    "other outcomes", "no suspect", "evidential difficulties", "victim age", "suspect age", "offender age",
    "per cent", "percentage of", "number of", "no. of", "count of", "recorded crimes", "recorded crime",
    "recorded offences", "crimes recorded", "offences recorded", "total crimes", "total offences",
    "total outcomes", "total recorded",
))
_SENTENCE_END = re.compile(r"[.?!]\s*$")
_TOKEN = re.compile(r"\S+")
# A column name of more words than this, split from a single-spaced line, is a title or a sentence.
_MAX_NAME_WORDS = 6
# A header this long is a sentence or a title, not column names.
_MAX_HEADER_CHARS = 200


@dataclass
class Header:
    """Column names for a table's value columns, read from the lines above its rows."""

    labels: list[str | None]  # one per value column
    groups: list[str | None]  # the spanning name over each value column (two-level headers)
    corner: str | None = None  # the name of the row-label column, where printed
    lines: list[int] = field(default_factory=list)  # indexes of the header lines, top to bottom


class HeaderAmbiguous(Exception):
    """The header above a table cannot be split into its columns in exactly one way."""

    def __init__(self, index: int, problem: str) -> None:
        super().__init__(problem)
        self.index = index
        self.problem = problem


def is_header_like(line: Line) -> bool:
    """Could this line hold column names? Not blank, not a sentence, no run of counts."""
    if line.blank:
        return False
    text = line.text.strip()
    if text.lower().startswith(("http", "www.")) or is_letterhead(text):
        return False
    if line.separated:
        # Tabs, pipes and a file's own cells decide the cells, whatever the line's length: seven long
        # site names make a long header, not a sentence.
        return not any(is_value(c) and c and not is_period_label(c) for c in line.cells[1:])
    if len(text) > _MAX_HEADER_CHARS:
        return False
    if _SENTENCE_END.search(text) and not text.lower().endswith(("no.", "etc.")) and not (
            text.endswith("?") or "? " in text) or (("?" in text) and len(text.split()) > 8):
        return False  # a sentence; a short question ("Information released? Total") may name columns
    return True


def is_corner(text: str) -> bool:
    return bool(_CORNER.match(text.strip()))


# ---- 1. explicit cells ---------------------------------------------------------------------


def _explicit_cells(line: Line, keep_trailing: bool = False) -> list[str]:
    """The line's cells with empty cells kept in place (a tab-separated line keeps its leading
    empty corner, which Line.cells drops); trailing empty cells only with ``keep_trailing``."""
    if line.cell_lines or line.cell_locations or "\t" not in line.text:
        cells = list(line.cells)
    else:
        cells = [c.strip() for c in line.text.rstrip("\r\n").split("\t")]
    while cells and not cells[-1] and not keep_trailing:
        cells.pop()
    return cells


def _fit_explicit(cells: list[str], width: int, row_cells: int) -> tuple[str | None, list[str]] | None:
    """(corner, names) from a separated header over rows of ``row_cells`` cells (label cells included).
    ``cells`` keeps its trailing empty cells: the last column's name may be printed above, not here."""
    labels_before = row_cells - width  # label columns in the rows (1, or 2 with a group column)
    if len(cells) > row_cells and not any(cells[row_cells:]):
        cells = cells[:row_cells]  # separators after the last column
    if len(cells) == width + labels_before:
        return (" ".join(c for c in cells[:labels_before] if c) or None), cells[labels_before:]
    while cells and not cells[-1]:
        cells = cells[:-1]
    if len(cells) == width and cells[0]:  # (an empty first cell is the corner's, never a column's name)
        return None, cells
    if len(cells) == width + 1 and labels_before > 1:
        return cells[0] or None, cells[1:]
    return None


def _spread(cells: list[str], width: int, row_cells: int) -> list[str | None] | None:
    """A spanning line of explicit cells: each name covers the empty cells after it."""
    labels_before = row_cells - width
    if len(cells) > width + labels_before:
        return None
    cells = cells + [""] * (width + labels_before - len(cells))
    spans: list[str | None] = []
    current: str | None = None
    for cell in cells[labels_before:]:
        current = cell or current
        spans.append(current)
    return spans


# ---- 2. alignment -------------------------------------------------------------------------


@dataclass
class Columns:
    """Where a table's value columns are printed: character extents from its rows."""

    starts: list[int]
    ends: list[int]
    label_start: int

    def owner(self, start: int, end: int) -> list[int]:
        """The value columns a word printed at [start, end) lies over (by overlap, else nearest)."""
        over = [k for k in range(len(self.starts)) if start < self.ends[k] and end > self.starts[k]]
        if over:
            return over
        centre = (start + end) / 2
        if end <= self.starts[0]:
            return []  # left of every value: the corner
        return [min(range(len(self.starts)), key=lambda k: abs((self.starts[k] + self.ends[k]) / 2 - centre))]


def _units(text: str) -> list[tuple[int, int, str]]:
    """Phrases of a laid-out line: words joined by single spaces, split at runs of spaces."""
    return [(m.start(), m.end(), m.group()) for m in re.finditer(r"\S+(?: \S+)*", text)]


def _fit_aligned(line: Line, columns: Columns) -> tuple[list[str], list[list[str]], bool] | None:
    """(corner words, words per column, spans) of one header line laid out over the columns.
    ``spans`` is True when a phrase lies over more than one column (a spanning name)."""
    width = len(columns.starts)
    names: list[list[str]] = [[] for _ in range(width)]
    corner: list[str] = []
    spanning = False
    for start, end, phrase in _units(line.text.rstrip()):
        owners = columns.owner(start, end)
        if not owners:
            corner.append(phrase)
            continue
        if start <= columns.label_start + 1 and end > columns.starts[0]:
            return None  # from the rows' left margin across their values: a title, not column names
        if len(owners) > 1:
            # A phrase over several columns: a spanning name, or words of separate names set
            # one space apart. Try its words one by one first.
            words = [(start + m.start(), start + m.end(), m.group()) for m in _TOKEN.finditer(phrase)]
            owned = [columns.owner(s, e) for s, e, _ in words]
            if len(words) > 1 and all(len(o) == 1 for o in owned) and owned == sorted(owned):
                for (_, _, word), o in zip(words, owned):
                    names[o[0]].append(word)
                continue
            spanning = True
            for k in owners:
                names[k].append(phrase)
            continue
        if names[owners[0]] and not spanning:
            return None  # two names apart over one column: the line does not fit these columns
        names[owners[0]].append(phrase)
    return corner, names, spanning


# ---- 3. counting --------------------------------------------------------------------------


def atoms(text: str) -> list[str]:
    """Header words, a number joined to the word before it ("Outcome 2", "Q1 2019")."""
    result: list[str] = []
    tokens = text.split()
    for position, token in enumerate(tokens):
        last = result[-1].split()[-1] if result else ""
        # A number starting a band ("10 to 13", "21 and over") is a name of its own after any word
        # but one that names ages ("Aged 18 to 24").
        band = position + 1 < len(tokens) and tokens[position + 1].lower() in _BAND_JOINERS and (
            last.lower() not in _NAMES_NUMBERS)
        # "21 and over 14 to 17": "and over" ends a band; the number after it starts the next name.
        band = band or (position >= 2 and last.lower() in ("over", "under")
                        and tokens[position - 2].lower() in ("and", "or"))
        if last and token[:1].isdigit() and not is_value(last) and not _joined(last) and not band and (
                (is_value(token) and not is_period_label(token)) or (is_period_label(token) and owns_year(last))):
            result[-1] += " " + token  # "Outcome 2", "Under 18", "Q1 2019": not "Under 18 18"
        else:
            result.append(token)
    return result


_BAND_JOINERS = frozenset(("to", "and", "or", "-", "–"))
# Words a band's first number belongs to ("Aged 18 to 24", "Outcome 2 and 3"); a year's is not
# ("Financial year 18 to 20", "Offence type 18 and over": a corner, then a band).
_NAMES_NUMBERS = (NUMBER_WORDS | {"between", "from"}) - {"year", "years", "type", "act"}


def _joined(word: str) -> bool:
    return word.lower() in _JOINERS


def _phrase_spans(words: list[str]) -> list[tuple[int, int]]:
    """Positions of known multi-word names in a header's atoms (kept whole)."""
    lowered = [re.sub(r"[^a-z0-9.%]", "", w.lower()) or w.lower() for w in words]
    spans = []
    for phrase in _PHRASES:
        n = len(phrase)
        for i in range(len(words) - n + 1):
            if lowered[i:i + n] == phrase:
                spans.append((i, i + n))
    return spans


def _groupings(words: list[str], count: int) -> list[list[str]]:
    """Every way of cutting ``words`` into ``count`` names that keeps joiners and known phrases whole."""
    n = len(words)
    if count > n or count < 1:
        return []
    forbidden: set[int] = set()
    for i, word in enumerate(words):
        if _joined(word):
            forbidden.add(i)  # no cut before a joiner
            forbidden.add(i + 1)  # nor after it
    for start, end in _phrase_spans(words):
        forbidden.update(range(start + 1, end))
    cuts_allowed = [c for c in range(1, n) if c not in forbidden]
    results = []
    if count - 1 > len(cuts_allowed):
        return []
    if len(cuts_allowed) > 18:  # far too many words for a header: it is a sentence
        return []
    for cuts in combinations(cuts_allowed, count - 1):
        bounds = (0, *cuts, n)
        results.append([" ".join(words[bounds[k]:bounds[k + 1]]) for k in range(count)])
    return results


def _sentence_case(name: str) -> bool:
    """A name written in sentence case: a capital (or digit) first, then lower-case words;
    acronyms and known phrases aside."""
    words = name.split()
    if words[0][:1].islower():
        return False
    if _known_inside(name):
        return True
    return all(not (w[:1].isupper() and not w.isupper()) for w in words[1:])


def _sentence_case_groupings(words: list[str], options: list[list[str]]) -> list[list[str]]:
    """Keep the groupings in which every name is in sentence case, when the header is written
    that way ("Number of arrests Number charged"); a Title Case header says nothing by capitals.
    A name never starts with a small letter ("Month recorded" is one name, not two)."""
    if not any(w[:1].islower() and not _joined(w) for w in words):
        return options
    options = [option for option in options if not any(name[:1].islower() for name in option)]
    kept = [option for option in options if all(_sentence_case(name) for name in option)]
    return kept or options


def _known_inside(name: str) -> bool:
    return bool(_phrase_spans(name.split()))


def _repeating(words: list[str], options: list[list[str]]) -> list[list[str]]:
    """Where the header's words repeat ("Female Male Female Male"), keep the groupings in which
    the repeated words stay names of their own (a second level's columns); otherwise all."""
    repeated = {w for w in words if words.count(w) > 1}
    if not repeated:
        return options
    kept = [o for o in options if not any(len(name.split()) > 1 and set(name.split()) & repeated for name in o)]
    return kept or options


def split_by_count(text: str, count: int) -> list[list[str]]:
    """The plausible ways to split a single-spaced header into ``count`` names (best first); more
    than one means the header is ambiguous."""
    words = atoms(text)
    periods = [is_period_label(w) for w in words]
    options = [o for o in _groupings(words, count) if all(
        len(name.split()) <= _MAX_NAME_WORDS and not _joined(name.split()[0]) and not _joined(name.split()[-1])
        for name in o)]
    if sum(periods) >= 2:
        # Periods are names of their own: "August 2022 September 2022" is two columns, never one.
        options = [o for o in options if all(sum(1 for a in atoms(name) if is_period_label(a)) <= 1 for name in o)]
    if any(w[:1].isupper() for w in words):
        # In a header with capitals, a name never starts with a small letter ("Voluntary interviews").
        options = [o for o in options if not any(name[:1].islower() and not _joined(name.split()[0]) for name in o)]
    if len(options) <= 1:
        return options
    options = _sentence_case_groupings(words, options)
    if len(options) <= 1:
        return options
    return _repeating(words, options)


_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z][a-z])")


def counted_options(text: str, width: int) -> list[tuple[str | None, list[str]]]:
    """The ways to read a single-spaced header as (corner, ``width`` names). A first word that
    names the rows ("Year", "Crime type") is taken as the corner. Names glued together by a lost
    separator ("Financial YearClaims Received") are parted where a capital follows a small letter."""
    if _CAMEL.search(text):
        parted = _counted_options(_CAMEL.sub(" ", text), width)
        if parted:
            return parted
    return _counted_options(text, width)


def _counted_options(text: str, width: int) -> list[tuple[str | None, list[str]]]:
    words = atoms(text)
    if width >= 2 and len(words) > width and all(is_period_label(w) for w in words[-width:]) and not any(
            is_period_label(w) for w in words[:-width]):
        return [(" ".join(words[:-width]), words[-width:])]  # "Year Nationality 2007 ... 2016": periods name the columns
    phrases = _phrase_spans(words)
    for size in (3, 2, 1):
        if any(start < size < end for start, end in phrases):
            continue  # "Period Recorded crimes": the corner does not cut a known name in two
        if len(words) > size and is_corner(" ".join(words[:size])):
            options = split_by_count(" ".join(words[size:]), width)
            if options:
                return [(" ".join(words[:size]), option) for option in options]
    found: list[tuple[str | None, list[str]]] = []
    for count, corner in ((width + 1, True), (width, False)):
        for option in split_by_count(text, count):
            if not corner and is_corner(option[0]):
                continue  # "Sex Female Male": the first name names the rows, it is not a column
            if corner and is_period_label(option[0]):
                continue  # "FY 2018/19 FY 2019/20 Total crimes": a period names a column, never the rows
            found.append((option[0], option[1:]) if corner else (None, option))
    return found


def repeat_period(names: list[str]) -> tuple[int, int] | None:
    """(period, repeated columns) of sub-headers that repeat ("Female Male Female Male Total" -> (2, 4))."""
    width = len(names)
    for period in range(1, width // 2 + 1):
        span = period
        while span + period <= width and names[span:span + period] == names[:period]:
            span += period
        if span >= 2 * period:
            return period, span
    return None


def spanning_in_corner(corner: str, names: list[str]) -> tuple[str, list[str | None]] | None:
    """'Recorded Detected Crime Classification' before '2020 2021 2020 2021': a two-level header run onto
    one line, its spanning names before the corner. Where the names repeat (one run per spanning name)
    and the corner's words part exactly one way into as many names and a corner that names the rows,
    (the corner, the spanning name over each column); else None."""
    found = repeat_period(names)
    if found is None or found[1] != len(names) or len(names) // found[0] < 2:
        return None
    repeats, period = len(names) // found[0], found[0]
    words = atoms(corner)
    fits = [k for k in range(repeats, len(words)) if is_corner(" ".join(words[k:]))
            and len(split_by_count(" ".join(words[:k]), repeats)) == 1]
    if len(fits) != 1:
        return None
    spanning = split_by_count(" ".join(words[:fits[0]]), repeats)[0]
    return " ".join(words[fits[0]:]), [spanning[k // period] for k in range(len(names))]


def spanning_by_count(text: str, sub: list[str]) -> list[str | None] | None:
    """Spanning names over repeating sub-headers, split by counting: each covers one repeat,
    and names after the repeats cover one column each (a Total). None if that does not fit."""
    found = repeat_period(sub)
    if found is None:
        return None
    period, repeated = found
    groups_needed = repeated // period + (len(sub) - repeated)
    for corner in (False, True):
        options = split_by_count(text, groups_needed + corner)
        if len(options) == 1:
            names = options[0][1:] if corner else options[0]
            spans: list[str | None] = []
            for k in range(repeated // period):
                spans.extend([names[k]] * period)
            spans.extend(names[repeated // period:])
            return spans
    return None


__all__ = ["Columns", "Header", "HeaderAmbiguous", "atoms", "is_corner", "is_header_like", "repeat_period",
           "spanning_by_count", "spanning_in_corner", "split_by_count"]
