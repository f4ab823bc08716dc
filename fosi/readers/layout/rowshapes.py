"""Rows found by their runs of values: what each printed line offers as a table row.

A table row is a label followed by a run of values (numbers or markers). This module
says, for one Line, whether it has that shape and where its values are printed; it
knows nothing of tables. The table finder (fosi.readers.layout.inference) then groups rows
whose runs have the same length and fits the lines above them to the columns the
values define.

Lines split by explicit separators (tabs, pipes, spreadsheet or PDF cells) keep their
cells. Lines of text split at spaces are read token by token: the values are the run
of value tokens at the end of the line, a number that belongs to the word before it
("Outcome 21", "Under 18", "Section 12") stays in the label, and a leading period
("2021", "2019/20") is the label of a row whose other cells are all values.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from fosi.readers.layout.cells import (
    ends_in_marker,
    is_period_label,
    is_value,
    is_word_marker,
    parse_value,
)
from fosi.readers.layout.lines import Line

# A number right after one of these words is part of the label, not a count: "Outcome 21",
# "Under 18", "Section 12", "Aged 10 to 17", "Q1 2019", "Tier 2". A month name before a year
# makes a date. Prepositions own a year ("in 2019"), not any number (handled below).
NUMBER_WORDS = frozenset((
    "outcome outcomes oc code codes type section sections s s. sec year years page table question q age aged "
    "ages under over no. no request reference ref foi to act tier level category cat stage part "
    "schedule article paragraph para chapter step phase subsection regulation rule").split())
# Words that name a numbered thing only sometimes ("Area 2", but "North Area 49"): a number after one
# is a value unless the table's other rows say it is part of the label (Shape.alternative).
WEAK_NUMBER_WORDS = frozenset(("group class band division district sector zone area ward unit team wave round "
                               "week day quarter item grade version appendix annex").split())
# A month owns a year after it ("January 2018"), never a count ("November 1739").
MONTH_WORDS = frozenset(("january february march april may june july august september october november december "
                         "jan feb mar apr jun jul aug sep sept oct nov dec").split())
# Words after which a year is a date or a period, not a count: "arrested in 2019".
_YEAR_WORDS = frozenset("in since from during of for between and until till before after ending ended "
                        "by fy cy year years".split())
_YEAR = re.compile(r"(?:19|20)\d\d$")
# Tokens are split at ordinary spaces only: a non-breaking space on its own between spaces is an
# empty cell of a web table copied as text ("2 \u00a0 9": 2, blank, 9).
_TOKEN = re.compile(r"[^ \t\r\n]+")
_WIDE_GAP = re.compile(r"\S(?: {2,}|\u00a0|\t)\S")
# "Label - 10", "2022/23 – 10", "Label / 10", "Label: 10", "Label = 10", "- label; 10", "Label- 10" (the
# dash glued to the label's last word): a label, a
# separator and one value.
_SEPARATED_PAIR = re.compile(r"^(?P<label>\S.*?)\s*(?:\s[-–—/=]\s|[:;]\s*|\s=|(?<=[A-Za-z)\]])[-–—]\s)\s*(?P<value>\S+)$")
_NUMBERS_ONLY = re.compile(r"^[\d\s&,;]+$")
# A remark after a value: "(none of which were juveniles)", or " - The information held ..." (a sentence).
_REMARK_AFTER = re.compile(r"^(.*\S)\s+(?:\([A-Za-z][^()]*\)\.?|[-–—]\s+[A-Z][a-z]+\s+\w.*)$")
_ITEM_INSIDE = re.compile(r"[:=]\s*\d[\d,]*\s{2,}\S")
_WORDED_PAIR = re.compile(r"^(?P<label>\S.*?)\s[-–—]\s(?P<value>[A-Za-z][A-Za-z ]+)$")
# A list item's bullet: "- ", "• ", "a) ", "(ii) ". Not part of the label.
_BULLET = re.compile(r"^(?:[-–—•·*▪◦]\s+|\(?[a-z]\)\s+|\(?[ivx]+\)\s+)", re.IGNORECASE)


# Lines of a letter's letterhead and signature: their numbers are contact details, not counts.
_CONTACT = re.compile(r"^\s*(?:tel|telephone|phone|fax|mobile|ext|extension|e-?mail|our ref|your ref|ref|"
                      r"reference|date\s*:|date\s+\d|dated|postcode|request (?:no|number)|foi (?:no|number|ref)|"
                      r"(?:pub|foi|ref|case|request)\s*(?:no\.?|number)?\s*[:#]?\s*\d)\b[.:]?", re.IGNORECASE)


# A telephone number: a leading 0 and a group of digits after it ("0191 3752582", "01234 567890").
# Or the emergency and non-emergency numbers after a word that says so ("EMERGENCY CALL 999", "dial 101").
_PHONE = re.compile(r"\b0\d{2,4}[ -]?\d{3,4}[ -]?\d{3,4}\b|\b(?:tel|telephone|phone|fax|mobile)\b[.:]?\s*(?:no\.?)?\s*\d|"
                    r"\b(?:call|dial|ring|phone|text)\s*:?\s*(?:999|101|111|112)\b", re.IGNORECASE)


@dataclass(slots=True)
class Shape:
    """A line read as a table row: label cells, then value cells.

    ``spans`` are the values' character spans in the line's text (for alignment with
    the header above); empty for rows whose cells came from explicit separators.
    ``joined`` marks a row made of a label and a value joined by " - ", ":" or "=";
    ``glued`` one whose value was glued to its label ("Making/Taking26").
    """

    labels: list[str]
    values: list[str]
    spans: list[tuple[int, int]]
    label_end: int = 0  # character where the label ends (spaced rows)
    joined: str | None = None
    glued: bool = False
    names: list[str] | None = None  # columns named by the words after each value ("740 requests")
    alternative: Shape | None = None  # the row with its first value kept in the label ("Area 2 | 15")

    @property
    def width(self) -> int:
        return len(self.values)

    @property
    def label(self) -> str:
        return self.labels[-1] if self.labels else ""


# Words after which a number is an age in a label ("Under 18 - 5", "Aged 10 to 17 - 3").
_AGE_WORDS = frozenset("under over aged age ages to".split())
_PERIOD_PREFIX = re.compile(r"^(?:q[1-4]|h[12]|fy|cy|w/?e)$", re.IGNORECASE)


def owns_year(word: str) -> bool:
    """Does a year after this word belong to it ("Q1 2019", "January 2018", "FY 2019")?"""
    word = word.lower().rstrip(":,.")
    return word in MONTH_WORDS or bool(_PERIOD_PREFIX.match(word))


def owned_number(previous: str, token: str) -> bool:
    """Does ``token`` (a number) belong to the word before it?"""
    word = previous.lower().rstrip(":,")
    if word == "act":
        return bool(_YEAR.match(token))  # "Act 2000", but "a sexual act 0 12": a label, then values
    if word in NUMBER_WORDS or word.lstrip("(-/") in NUMBER_WORDS or _PERIOD_PREFIX.match(word):
        return True
    return (word in _YEAR_WORDS or word in MONTH_WORDS) and bool(_YEAR.match(token))


def explicit_shape(cells: list[str]) -> Shape | None:
    """A row of explicitly separated cells: label cells (up to the last text cell), then value
    cells. Blank cells after the label are values (blank is not zero); the table decides how
    many label columns it has (fosi.readers.layout.inference), as a merged label leaves its cell empty."""
    if len(cells) == 2:  # the common row, a label and a value, answered at once
        label, value = cells
        if label and parse_value(label) is None and parse_value(value) is not None:
            return Shape([label], [value], [])
    return _explicit_general(cells)


def _explicit_general(cells: list[str]) -> Shape | None:
    last_text = -1
    # A word marker ("Not recorded") after the first cell is a value, in a row that prints numbers too
    # (a header's "Unknown" column name is not).
    numbers = any(cell and parse_value(cell) is not None for cell in cells[1:])
    for k, cell in enumerate(cells):
        if cell and parse_value(cell) is None and not (k > 0 and numbers and is_word_marker(cell)):
            last_text = k
    if last_text < 0:
        if len(cells) >= 2 and not cells[0] and any(cells[1:]):
            return Shape([""], cells[1:], [])  # values under an empty label cell: the table decides
        if len(cells) < 2 or not is_period_label(cells[0]):
            return None
        if sum(1 for cell in cells if cell) >= 2 and all(is_period_label(cell) for cell in cells if cell):
            return None  # "2020<TAB><TAB>2021": periods alone name a header's columns
        last_text = 0  # a row labelled by a period: "2021<TAB>249<TAB>1072"
    values = cells[last_text + 1:]
    if not values:
        return None
    return Shape(cells[:last_text + 1], values, [])


def _cell(token: str) -> str:
    return "" if not token.strip("\u00a0") else token.strip("\u00a0")


def spaced_shape(text: str) -> Shape | None:
    """A row of text separated by spaces: the run of values at its end, after a label."""
    tail = text.rsplit(None, 2)
    if len(tail) >= 2 and parse_value(tail[-2]) is None and owned_number(tail[-2], tail[-1]) and (
            text.rstrip().endswith(" " + tail[-1]) and f"{tail[-2]} {tail[-1]}" in text) and not (
            len(tail) == 3 and tail[0].rsplit(None, 1)[-1].lower() in ("and", "or")):
        return None  # fast exit: the number belongs to the word before it ("... - Outcome 21")
    tokens = []
    padding = False
    for match in _TOKEN.finditer(text):
        token = match.group()
        cell = _cell(token)
        if not cell and padding:
            continue  # non-breaking spaces laid out after a word ("Year\u00a0 \u00a0 2016"): padding, not cells
        padding = bool(cell) and token.endswith("\u00a0")
        tokens.append((match.start(), match.end(), cell))
    if len(tokens) < 2:
        return None
    values: list[tuple[int, int, str]] = []
    index = len(tokens)
    while index > 0:
        start, end, token = tokens[index - 1]
        if parse_value(token) is None:
            break
        before = tokens[index - 2][2] if index >= 2 else ""
        if before in ("<", "≤", "&lt;"):
            values.append((tokens[index - 2][0], end, before + " " + token))
            index -= 2
            continue
        # A number right after a word that owns it stays in the label, unless a wide gap (a column
        # boundary, in text laid out in columns) separates them: "Area 2" but "North Area      49".
        if index >= 2 and any(c.isdigit() for c in token) and parse_value(before) is None and owned_number(
                before, token) and start - tokens[index - 2][1] < 2 and not (
                values and _YEAR.match(token) and _YEAR.match(values[-1][2])) and not (
                index >= 3 and tokens[index - 3][2].lower() in ("and", "or")):
            # ("21 and over 0 21": "and over" ends an age band; the number after it is a value)
            break  # (a year in a run of years is a column of a header: "Home Office Code 2012 2013")
        values.append((start, end, token))
        index -= 1
    if not values:
        return None
    values.reverse()
    alternative = None
    first = len(tokens) - len(values) - sum(1 for v in values if v[2].startswith(("<", "≤", "&lt;")) and " " in v[2])
    if len(values) >= 2 and first >= 1 and tokens[first - 1][2].lower().rstrip(":,") in WEAK_NUMBER_WORDS \
            and values[0][0] - tokens[first - 1][1] < 2 and values[0][2][:1].isdigit():
        alternative = spaced_shape_from(text, values[0][1], values[1:])
    if index == 0:
        # Every token is a value: a row labelled by a period ("2021 249 1072"), else not a row; periods
        # alone ("2018  2019  2020") name a header's columns.
        if not is_period_label(values[0][2]) or len(values) < 2 or all(is_period_label(v[2]) for v in values):
            return None
        label_end = values[0][1]
        labels = [values[0][2]]
        values = values[1:]
    else:
        label_end = tokens[index - 1][1]
        labels = [cell for cell in re.split(r" {2,}|\t", text[:label_end].strip()) if cell]
        if _NUMBERS_ONLY.match(labels[-1]):
            return None  # "1 & 2": numbers joined by "&" or commas are not a label and a value
        if any(is_value(cell) and not is_period_label(cell) for cell in labels):
            return None  # "Disclosures:  2     Rates:  6": a value set apart among the labels, not one row
        if _counts_inside(tokens[:index]) >= 2:
            return None  # "Female Male Sep 2020 47 44 3 Oct 2020 58 ...": a table run onto one line, not a row
    return Shape(labels, [v[2] for v in values], [(v[0], v[1]) for v in values], label_end, alternative=alternative)


def _counts_inside(tokens: Sequence[tuple[int, int, str]]) -> int:
    """Numbers among a label's words that no word before them owns ("Outcome 21", "Aged 18 to 24",
    "Q4 2021" own theirs): counts or periods, of which a row's label never holds two
    ("Age of suspect 2017 2018 Aged 18 to 24" is a header and a label run together)."""
    found = 0
    for k, (_, _, token) in enumerate(tokens):
        if token[:1].isdigit() and parse_value(token) is not None and not (
                k and owned_number(tokens[k - 1][2], token)) and not (
                k >= 2 and tokens[k - 1][2].lower() in ("and", "or", "to", "-")):
            found += 1
    return found


def spaced_shape_from(text: str, label_end: int, values: list[tuple[int, int, str]]) -> Shape:
    """The row with its label running to ``label_end`` and these values."""
    labels = [cell for cell in re.split(r" {2,}|\t", text[:label_end].strip()) if cell]
    return Shape(labels, [v[2] for v in values], [(v[0], v[1]) for v in values], label_end)


def joined_shape(text: str) -> Shape | None:
    """'2022/23 - 10', 'Possession: 12', 'Total = 111', '- in 2023; 16': one label and one value
    joined by a separator (a list item's bullet is not part of the label)."""
    stripped = text.strip()
    bullet = _BULLET.match(stripped)
    if bullet:
        stripped = stripped[bullet.end():]
        if (ended := re.match(r"^(?P<label>.*\S)\.\s+(?P<value>\S+)$", stripped)) and is_value(ended.group("value")):
            stripped = f"{ended.group('label')}: {ended.group('value')}"  # "- in 2024. 4": the last item of a list
    # "2015 – 4 (none of which were juveniles)", "Questions – 187 - We are able to ...": a remark on the
    # value, after it, is no part of it.
    remarked = _REMARK_AFTER.match(stripped)
    if remarked and is_value(remarked.group(1).split()[-1]) and _SEPARATED_PAIR.match(remarked.group(1)) \
            and not _YEAR.match(remarked.group(1).split()[-1]):
        stripped = remarked.group(1)  # (the item before the remark is a label, a separator and a count)
    worded = _WORDED_PAIR.match(stripped)
    if worded and is_word_marker(worded.group("value")):
        return Shape([worded.group("label").strip()], [worded.group("value")], [], joined="-")  # "2016 – no information held"
    match = _SEPARATED_PAIR.match(stripped)
    if not match:
        return None
    value, label = match.group("value"), match.group("label").strip()
    if parse_value(value) is None or value in ("-", "–", "—", "") or not label or (
            is_value(label) and not is_period_label(label)):
        return None
    first = label.split()[-1]
    if _YEAR.match(value) and _YEAR.match(first) and 0 < int(value) - int(first) <= 10:
        return None  # "2019 - 2020": a period, not a count ("2018 – 1991" is a count)
    if _ITEM_INSIDE.search(label):
        return None  # "Disclosures not RSO:  2   Disclosures RSO: 6": two items on a line, not one
    words = label.split()
    last = words[-1]
    between = stripped[match.end("label"):match.start("value")]
    separator = between.strip()[:1]
    if separator == ":" and ("  " in between or "\t" in between):
        return None  # "Sum:            17": a label printed with its colon, in a column of labels
    if separator in "-–—" and between.startswith(("  ", "\t")) and between.endswith(("  ", "\t")):
        return None  # "Female      -      4": a dash in a column of values, between wide gaps
    if separator in ":;=" and owned_number(last, value):
        return None  # "Enquiry Reference: 419": the number belongs to the words ("Aged 60 and over - 299" is a row)
    if parse_value(last) is not None and not is_period_label(last) and not (
            len(words) > 1 and words[-2].lower() in _AGE_WORDS):
        return None  # "Possession 12 - 4", "Reference: 419 - 24": numbers on both sides, not a label and a value
    return Shape([label], [value], [], joined=separator)


# A financial year glued to its count: "2019/20456" is 2019/20 and 456, the year after the slash
# being the one after the year before it (so where the year ends is never a guess).
_GLUED_YEAR = re.compile(r"^((?:19|20)(\d\d)[/-](\d\d))(\d{1,3}(?:,\d{3})+|\d+)$")


_GLUED = re.compile(r"^(.*[A-Za-z)\]])(\d{2,}|\d{1,3}(?:,\d{3})+)$")


def split_glued(text: str) -> list[str] | None:
    """'Making/Taking26' -> ['Making/Taking', '26']: a label glued to its value by a lost tab.

    Only two or more digits are split off: a single digit glued to a word ("arrested1") is far
    more often a footnote mark than a count, and a figure must never be invented. Nor is a number
    split from a word it belongs to ("Outcome21", "January2018").
    """
    match = _GLUED.match(text.strip())
    if not match or len(re.sub(r"[^A-Za-z]", "", match.group(1))) < 3:
        return None
    words = match.group(1).rsplit(None, 1)
    last = words[-1].lower().lstrip("(-/") if words else ""
    if last in NUMBER_WORDS or last in MONTH_WORDS:
        return None
    return [match.group(1).strip(), match.group(2)]


def glued_shape(text: str) -> Shape | None:
    """'Making/Taking26', '2019/20456': a label glued to its value by a lost separator (two or
    more digits after a word; any count after a financial year)."""
    stripped = text.strip()
    year = _GLUED_YEAR.match(stripped)
    if year and int(year.group(3)) == (int(year.group(2)) + 1) % 100:
        return Shape([year.group(1)], [year.group(4)], [], glued=True)
    split = split_glued(stripped)
    return None if split is None else Shape([split[0]], [split[1]], [], glued=True)


# "2006 - 740 requests: comprising 2185 questions, regarding 808 subjects.": a line per period whose
# counts each name what they count. The word after each number names its column.
_COUNT_AND_NOUN = re.compile(r"(?<![\w/.,])(\d{1,3}(?:,\d{3})+|\d+)\s+([A-Za-z][A-Za-z-]*)")
_LEADING_PERIOD = re.compile(r"^\s*((?:19|20)\d\d(?:/(?:19|20)?\d\d|-\d\d)?)(?!\d)\s*[-–—:]?\s+")


def counted_shape(text: str) -> Shape | None:
    """A line led by a period whose every other number is followed by the word it counts."""
    lead = _LEADING_PERIOD.match(text)
    if not lead:
        return None
    rest = text[lead.end():]
    pairs = list(_COUNT_AND_NOUN.finditer(rest))
    if len(pairs) < 2 or sum(1 for c in rest if c.isdigit()) != sum(len(m.group(1).replace(",", "")) for m in pairs):
        return None  # fewer than two counts, or a number that names nothing
    names = [m.group(2).lower() for m in pairs]
    if len(set(names)) != len(names):
        return None
    return Shape([lead.group(1)], [m.group(1) for m in pairs], [], names=names)


def shape_of(line: Line) -> Shape | None:
    """The row this line would be, or None. Glued and joined rows are offered separately
    (``joined_shape``, ``glued_shape``): they are rows only inside a table that has them."""
    if line.blank:
        return None
    if line.separated:
        return explicit_shape(line.cells)
    text = line.text
    last = text.rstrip(" \t")[-1:]
    if not last.isdigit() and last != "\u00a0" and parse_value(text.rsplit(None, 1)[-1]) is None:
        # Ends in words: a row only where they are a marker ("2016 – no information held"); most
        # lines of prose end in a word or a full stop. A remark after the value is no part of it.
        return joined_shape(text) if ends_in_marker(text) or _REMARK_AFTER.match(text.strip()) else None
    if is_letterhead(text):
        return None
    return joined_shape(text) or spaced_shape(text)


def is_letterhead(text: str) -> bool:
    """A line of a letter's head or signature (telephone, date, reference): its numbers are not counts."""
    return bool(_CONTACT.match(text) or _PHONE.search(text))


def has_wide_gaps(text: str) -> bool:
    """Is the line laid out in columns (runs of spaces or tabs between words)?"""
    return bool(_WIDE_GAP.search(text))


__all__ = ["NUMBER_WORDS", "Shape", "owned_number", "owns_year", "explicit_shape", "glued_shape", "has_wide_gaps", "joined_shape",
           "shape_of", "spaced_shape"]
