"""Every number in a response accounted for: a figure, a total, part of a label, metadata,
a figure stated in prose, part of the request, part of a refusal's reasoning, or not read.

The table finder reads the numbers inside tables; this module gives every other number
on every other line its role, by what is printed around it. A plausible count that is
none of those is *not read*, and the reader reports it (``numbers-not-read``) at its
line, so a response is never under-read in silence.

Roles of numbers:
- ``figure``, ``total``: a value cell of a table;
- ``label``: a number inside a row label, a header or a title ("Under 18", "Outcome 21");
- ``metadata``: a date, a year, a period, a reference, a legal section, an offence or
  outcome code, a phone number, money, a duration, an age, a percentage, list numbering;
- ``prose``: a count stated in a sentence of the answer ("there were 1,535 crimes");
- ``request``: a number in the request's own words ("in the last 5 years");
- ``refusal``: a number in a refusal's reasoning ("reading 7,069 records would take ...");
- ``not read``: a plausible count fosi could not place.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from fosi.readers.layout.cells import has_digit, is_total_label
from fosi.readers.layout.lines import Line
from fosi.readers.layout.metadata import DAY_OF_MONTH, MONTH_NAME
from fosi.readers.layout.rowshapes import split_glued

# A number as printed: digits with thousands commas and decimals, and any letters glued to it.
NUMBER = re.compile(r"(?<![\w/.])[£$€]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?%?(?:st|nd|rd|th)?(?![\w/]|\.\d)")

_MONTHS = MONTH_NAME
# A label naming an identifier ("Reference Number", "FOI No.", "Crime ID"): the number it labels is
# the page's or a record's reference, never a count.
_IDENTIFIER = (r"(?:\b(?:(?:our|your|foi|foia|request|case|crime|incident|occurrence|log|disclosure|file|unique)\s+)?"
               r"(?:ref(?:erence)?\.?|id|identifier)(?:\s+(?:number|no\.?|id|code))?(?!\w)"
               r"|\b(?:foi|foia|request|case|crime|incident|occurrence|log|disclosure|file|collar|warrant)\s+"
               r"(?:number|no\.?)(?=\s|$|[|:#.=\-–]))")
_IDENTIFIER_LABEL = re.compile(r"^\s*(?:" + _IDENTIFIER + r")\s*:?\s*$", re.I)


# The identifier's name and its own value in one label: "Enquiry Reference: 699" (before "- 24").
_IDENTIFIER_AND_VALUE = re.compile(r"^\s*(?:[A-Za-z]+\s+)?(?:" + _IDENTIFIER + r")\s*:?\s*[\w/.\-]*\d[\w/.\-]*\s*$", re.I)


def names_an_identifier(label: str) -> bool:
    """Does a row label name an identifier ("Reference Number", "FOI number", "Crime ref"), or
    give one ("Enquiry Reference: 699")?"""
    return bool(_IDENTIFIER_LABEL.match(label) or _IDENTIFIER_AND_VALUE.match(label))


_DAY = r"\b" + DAY_OF_MONTH
# Whole expressions whose digits are metadata, matched on the line before single numbers.
_METADATA_SPANS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(_DAY + r"(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTHS + r"\.?,?\s+\d{2,4}\b", re.I), "a date"),
    (re.compile(r"\b" + _MONTHS + r"\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}\b", re.I), "a date"),
    (re.compile(r"\b" + _MONTHS + r"[\s\-']+(?:19|20)?\d{2}\b", re.I), "a month"),
    (re.compile(_DAY + r"(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTHS + r"\b", re.I), "a date"),
    (re.compile(r"\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b"), "a date"),
    (re.compile(r"\b\d{1,2}[:.]\d{2}\s*(?:am|pm|hrs)?\b|\b\d{1,2}\s*(?:am|pm)\b", re.I), "a time of day"),
    (re.compile(r"\b(?:19|20)\d{2}\s*[/-]\s*(?:19|20)?\d{2}\b"), "a financial year"),
    (re.compile(r"\b(?:FOI|FOIA|ref(?:erence)?|request|case|our ref|your ref|disclosure|log)\s*(?:no\.?|number|"
                r"ref\.?)?\s*[:#.]?\s*[A-Z]*[-/ ]?\d[\w/.-]*", re.I), "a reference"),
    (re.compile(_IDENTIFIER + r"\s*[|:#.=\-–]?\s*[A-Z]{0,4}[-/]?\d[\w/.-]*", re.I), "a reference"),
    (re.compile(r"\b[A-Z]{1,4}[/-]?\d+(?:[/-]\w+)+\b"), "a reference"),
    (re.compile(r"\b\d+(?:[/-]\d+){1,}[A-Za-z]?\b"), "a reference or code"),
    (re.compile(r"\bs\d+(?:\(\w+\))*\b", re.I), "a legal section"),
    (re.compile(r"\b(?:sections?|s\.|ss\.|sec\.?|subsection|schedule|paragraph|para\.?|article|regulations?|"
                r"chapter|part|rule)\s*\d+[A-Za-z]?(?:\s*\(\w+\))*(?:\s*(?:,|and|or|&|to)\s*\d+[A-Za-z]?(?:\s*\(\w+\))*)*",
                re.I), "a legal section"),
    (re.compile(r"\b(?:act|regulations|order|rules)\s+(?:of\s+)?(?:19|20)\d{2}\b", re.I), "a year of an Act"),
    (re.compile(r"\(\d+\)(?:\([a-z]+\))*"), "a legal section"),
    (re.compile(r"\b(?:outcome|oc|outcome code|outcome type)s?\s*(?:no\.?)?\s*\d{1,2}[a-z]?"
                r"(?:\s*(?:,|and|or|&|to|-)\s*\d{1,2}[a-z]?)*\b", re.I), "an outcome code"),
    (re.compile(r"(?:\+44\s?|\b0)\d{2,4}[\s-]?\d{3,4}[\s-]?\d{3,4}\b|\b(?:101|999|111)\b"), "a phone number"),
    (re.compile(r"\b(?:ext(?:ension)?\.?|tel(?:ephone)?\.?|fax|phone|mobile|call|dial)\s*:?\s*[\d ]{3,}", re.I),
     "a phone number"),
    (re.compile(r"\b[A-Z]{1,2}\d{1,2}[A-Z]?\s+\d[A-Z]{2}\b"), "a postcode"),
    (re.compile(r"[£$€]\s?\d[\d,]*(?:\.\d+)?(?:\s?(?:k|m|million|bn|billion))?|\b\d[\d,]*(?:\.\d+)?\s?"
                r"(?:pounds|pence|p\b)", re.I), "money"),
    (re.compile(r"\b\d[\d,]*(?:\.\d+)?\s?(?:%|per\s?cent|percent)", re.I), "a percentage"),
    (re.compile(r"\b\d[\d,.]*\s*(?:-|to|–)?\s*\d*\s*(?:working\s+)?(?:hours?|hrs?|minutes?|mins?|seconds?|"
                r"days?|weeks?|months?|years?|yrs?|decades?)\b(?!\s+(?:old|of age))", re.I), "a duration"),
    (re.compile(r"\b(?:aged?|ages|under(?:\s+the\s+age\s+of)?|over|at least|minimum age of|age of|"
                r"under-|over-)\s*\d{1,2}(?:\s*(?:-|to|–|and)\s*\d{1,2})?s?\b|\b\d{1,2}\s*(?:-|to|–)\s*\d{1,2}\s*"
                r"(?:years?[\s-]olds?|yrs?)|\b\d{1,2}\s*(?:years?[\s-]olds?|yrs? old|or under|and under|or over|"
                r"and over|or younger|or older|\+)", re.I), "an age"),
    (re.compile(r"\b(?:page|p\.|pp\.|table|figure|annex|appendix|questions?|q|requests?|parts?|points?|items?|"
                r"no\.|number|tier|level|stage|step|phase|version|v|volume|issue|wave|round|year)\s*\d+[a-z]?\b"
                r"(?:\s*(?:,|and|&|or|to)\s*\d+[a-z]?\b)*", re.I), "a numbered item"),
    (re.compile(r"^\s*(?:\(?\d{1,2}[a-z]?[.):]|\(?[a-z][.)]|[ivx]+[.)])(?=\s)", re.I), "list numbering"),
    (re.compile(r"\b\d+(?:st|nd|rd|th)\b", re.I), "an ordinal"),
    (re.compile(r"(?:<|&lt;|≤|\b(?:below|under|less than|fewer than|lower than|between \d+ and))\s*\d+\b", re.I),
     "a suppression threshold or marker"),
    (re.compile(r"\b(?:19|20)\d{2}s?\b"), "a year"),
    (re.compile(r"\b\d+\.\d+\b"), "a decimal"),
)
# Nouns of things counted: a number before one of them in a sentence states a count.
COUNTED = re.compile(
    r"^\s*(?:of\s+(?:these|those|which|them)\s+)?(?:\w+\s+){0,2}?(?:crimes?|offences?|offenders?|arrests?|people|persons?|"
    r"individuals?|incidents?|reports?|cases?|occasions?|victims?|suspects?|children|child|young people|"
    r"juveniles?|adults?|males?|females?|men|women|boys?|girls?|officers?|staff|employees?|members?|stops?|"
    r"searches|calls?|complaints?|referrals?|charges?|cautions?|summonses|records?|occurrences?|vehicles?|"
    r"weapons?|knives|firearms?|items?|images?|photographs?|photos?|videos?|devices?|deaths?|injuries|"
    r"investigations?|outcomes?|notices?|fines?|penalties|warrants?|orders?|applications?|requests?|"
    r"disclosures?|allegations?|detentions?|convictions?|prosecutions?|instances?|times|dogs?|drones?|"
    r"cameras?|tasers?|deployments?|discharges?|uses?|pursuits?|collisions?|accidents?|seizures?|"
    r"crime reports?|offences? recorded)\b", re.I)
_STATED = re.compile(r"(?:=|\bwas|\bwere|\bis|\bare|\btotal(?:led|s)?(?:\s+of)?|\bthere\s+(?:were|was|have\s+been|"
                     r"has\s+been|are|is)|\brecorded|\bidentified|\bamounts?\s+to|\bcame\s+to|\bfigure\s+(?:is|was)|"
                     r"\bnumber\s+(?:is|was)|\bas follows)\s*:?\s*$", re.I)
# In a refusal, a line of at least this many words is its reasoning; a shorter one ("Further
# investigation - 782") is an answer, whose numbers are never passed over as reasoning.
_REASONING_WORDS = 8
# Lines that ask rather than answer: the request's own words.
# A line that asks rather than answers: the request's own words. Tested with plain substring
# searches: a pattern of many alternatives is slow on long lines.
_QUESTION_STARTS = ("request", "question", "you asked", "your request")
_QUESTION_START_NUMBERED = re.compile(r"\s*(?:q\d+\b(?!\s*(?:19|20)\d\d)|\(?\d{1,2}[a-z]?[.):]\s*(?:what (?:is|was|are|were)|the number "
                                      r"of|details of))", re.I)
_QUESTION_PHRASES = ("how many", "please provide", "please supply", "please could", "please can", "please send",
                     "please tell", "please confirm", "please disclose", "please state", "please include",
                     "please break", "i would like", "i would be grateful", "could you", "can you", "would you",
                     "under the freedom of information act i", "under the freedom of information act, i",
                     "under the freedom of information act please", "under the freedom of information act, please")
_REQUEST_HEADING = re.compile(r"^\s*(?:your request|request(?:\s*\d+)?|the request|you asked|you have asked|"
                              r"information requested|questions?(?:\s*\d+)?|details of request|request details)"
                              r"\s*[:.]?\s*$", re.I)
_ANSWER_HEADING = re.compile(r"^\s*(?:our response|in response|response|answer(?:\s*\d+)?|reply|our reply|disclosure|"
                             r"information disclosed|the response|decision|results?)(?:\s*(?:to|for)\s*"
                             r"(?:question|request)?\s*\d*)?\s*[:.]?\s*$", re.I)
# First words of the headings above: a cheap test before the patterns.
_HEADING_WORDS = frozenset("your request the you information questions question details our response answer "
                           "reply disclosure decision result results in".split())
_HEADING_INITIALS = frozenset(w[0] for w in _HEADING_WORDS) | frozenset(w[0].upper() for w in _HEADING_WORDS)
_REFUSAL_WORDS = re.compile(r"section\s*(?:12|14|40|30|31|21|17)\b|cost limit|appropriate limit|exceed|"
                            r"18 hours|£450|vexatious|manually|individually|each (?:record|report|crime|file)|"
                            r"would (?:need|have) to|would take|estimate", re.I)


@dataclass(frozen=True, slots=True)
class NumberRole:
    """A number printed in a response and what fosi made of it."""

    index: int  # the Line it is on
    start: int  # character span in the line's text
    end: int
    text: str
    role: str  # figure | total | label | metadata | prose | request | refusal | not read
    reason: str = ""


_ADDRESS_TOKEN = re.compile(r"://|www\.|@")
# How far around a number its metadata can reach: "1st January 2016", "section 40(2)(a) and 41", ...
_BEFORE, _AFTER = 48, 32


def metadata_of(text: str, start: int, end: int) -> str | None:
    """What the number at ``text[start:end]`` is, if it is metadata: the first pattern whose match
    covers it, among matches near it (a window around the number keeps this fast)."""
    left = text.rfind(" ", 0, start) + 1
    right = text.find(" ", end)
    if _ADDRESS_TOKEN.search(text, left, len(text) if right < 0 else right):
        return "an address"
    if _GLUED_COUNT.match(text, left):
        return None  # "2019/20456": a financial year with its count glued on, not a reference
    low, high = max(0, start - _BEFORE), min(len(text), end + _AFTER)
    window = text[low:high]
    for pattern, what in _METADATA_SPANS:
        if pattern.pattern.startswith("^") and low:
            continue  # anchored at the start of the line, which is outside the window
        for match in pattern.finditer(window):
            if match.start() + low <= start and end <= match.end() + low:
                return what
            if match.start() + low > start:
                break
    return None


_ANSWERED_ITEM = re.compile(r"^(?:[-•·*]\s+)?[A-Za-z][^?–—]{0,60}?\s[-–—]\s(?:\d{1,3}(?:,\d{3})+|\d+)(?:\s|$)")


@lru_cache(maxsize=8192)  # a reply's lines are asked several times (sections, own lines, titles, numbers)
def is_request_line(text: str) -> bool:
    """Does the line ask rather than answer: a question, or a line of the request's wording?"""
    stripped = text.strip()
    if _ANSWERED_ITEM.match(stripped):
        return False  # "Questions – 187 - We are able to ...": a line that opens with its count answers
    if stripped.endswith("?"):
        return True
    lower = stripped.lower()
    if lower.startswith(_QUESTION_STARTS) or _QUESTION_START_NUMBERED.match(lower):
        return True
    return any(phrase in lower for phrase in _QUESTION_PHRASES)


# The reply's own words: where a quoted request ends even with no answer heading ("I have today
# decided to disclose the located information to you as follows.", "I can confirm that ...").
_REPLY_WORDS = re.compile(
    r"^\s*(?:\(?\d{1,2}[a-z]?[.)]\s*)?(?:i|we)\s+(?:can\s+(?:confirm|advise|inform|tell|provide|disclose|now)|"
    r"(?:am|are)\s+(?:able|unable|pleased)|have\s+(?:today\s+)?(?:decided|located|been able|considered|completed|"
    r"attached|enclosed|now)|attach|enclose|confirm)\b|"
    r"\b(?:searches|enquiries)\s+(?:were|have been)\s+(?:conducted|carried out|made|completed)\b|"
    r"\bfollowing receipt of your\b|\bdisclose the (?:located |requested )?information\b|"
    r"\bplease (?:find|see) (?:attached|enclosed|below)\b|\b(?:our|my) (?:response|reply|answer) (?:is|follows)\b", re.I)


@lru_cache(maxsize=8192)  # asked of every line by several readings (sections, titles, answers)
def is_reply_line(text: str) -> bool:
    """Is the line in the reply's own voice ("I can confirm ...", "searches were conducted ...")?"""
    return bool(_REPLY_WORDS.search(text))


# A letter's courtesies ("Dear Requester,", "Thank you for your request about ...") name no table.
_COURTESY = re.compile(r"^\s*(?:dear\b|thank you for your\b|many thanks for your\b|yours\s+(?:sincerely|faithfully)\b)",
                       re.IGNORECASE)


# A web page's cookie notice, and a line giving the request's reference: the page's, never a table's.
_PAGE_LINE = re.compile(r"\bcookies?\b|^\s*(?:enquiry|our|your|foi|request|freedom of information)?\s*"
                        r"(?:ref(?:erence)?\.?|request number)\s*(?:no\.?|number)?\s*:", re.IGNORECASE)


def names_no_table(text: str) -> bool:
    """Is the line a salutation, a thanks for the request or a sign-off, a web page's cookie notice
    or the request's reference ("Enquiry Reference: 416-24"): never a table's title?"""
    return bool(_COURTESY.match(text) or _PAGE_LINE.search(text))


def starts_request(text: str) -> bool:
    """Is the line a heading over the quoted request ("Request", "You asked:", "Question 2")?"""
    return len(text) <= 60 and bool(_REQUEST_HEADING.match(text))


def is_answer_heading(text: str) -> bool:
    """Is the line a heading over the answer ("Answer", "Response", "Our response:")? It names no table."""
    return len(text) <= 60 and bool(_ANSWER_HEADING.match(text))


def request_sections(lines: Sequence[Line]) -> list[bool]:
    """For each line: is it under a "Request" heading (until an answer heading, or the first line in
    the reply's own words)? Headings are short lines, so only those are matched."""
    inside = replied = False
    under: list[bool] = []
    for line in lines:
        text = line.text
        words = text.split(None, 1) if len(text) <= 60 and text.lstrip()[:1] in _HEADING_INITIALS else None
        if words and words[0].lower().rstrip(":.") in _HEADING_WORDS:
            if _ANSWER_HEADING.match(text):
                inside = False
            elif _REQUEST_HEADING.match(text):
                inside = True
        elif inside and is_reply_line(text):
            inside = False  # the reply's own words begin: what follows is the answer, not the request
        elif inside and replied and not line.blank and not is_request_line(text):
            # "Question 1" once the reply has begun heads its answer: a line that does not ask answers.
            inside = False
        replied = replied or is_reply_line(text)
        under.append(inside)
    return under


def classify_numbers(index: int, text: str, context: str) -> list[NumberRole]:
    """Roles of the numbers on a line outside every table. ``context`` is "request",
    "refusal" or "answer": where the line stands in the response; or "cells": a row of cells."""
    if not has_digit(text):
        return []
    return [NumberRole(index, *role) for role in _line_roles_of(text, context)]


@lru_cache(maxsize=4096)  # letters repeat their boilerplate (dates, references, notes) file to file
def _line_roles_of(text: str, context: str) -> tuple[tuple[int, int, str, str, str], ...]:
    roles = []
    matches = [(match.start(), match.end(), match.group()) for match in NUMBER.finditer(text)]
    metadata = [metadata_of(text, start, end) for start, end, _ in matches]
    counts = [(start, end) for (start, end, _), what in zip(matches, metadata) if what is None]
    if len(counts) >= 2 and [text[s:e] for s, e in counts] == [str(k) for k in range(1, len(counts) + 1)]:
        # "1 Gender 2 Religion 3 Nationality": items numbered 1, 2, 3 on one line, not counts.
        metadata = ["list numbering" if what is None else what for what in metadata]
        counts = []
    table_like = _table_like(text, counts)

    @lru_cache(maxsize=None)
    def refusal(sentences: str, sentence: str) -> bool:  # once a sentence, not once a number: a line may hold 8,000
        # Refusal words in the sentence or one beside it; or, in a refusal, a sentence of reasoning's length.
        return bool(_REFUSAL_WORDS.search(sentences)) or (context == "refusal" and sum(
            1 for word in sentence.split() if any(c.isalpha() for c in word)) >= _REASONING_WORDS)

    for (start, end, number), what in zip(matches, metadata):
        if what is not None:
            roles.append((start, end, number, "metadata", what))
        elif table_like:
            # Whatever section it stands in, a line of counts is a table, not a sentence: never
            # taken as prose, a request's or a refusal's words.
            roles.append((start, end, number, "not read", _IN_TABLE_LINE))
        elif context == "cells":
            roles.append((start, end, number, "not read", "a number in a row of cells that is not part of any "
                                                           "table fosi could read"))
        elif context == "request":
            roles.append((start, end, number, "request", "in the request's own words"))
        elif refusal(_sentence_of(text, start, end, 1), _sentence_of(text, start, end)):
            roles.append((start, end, number, "refusal", "in a refusal's reasoning"))
        elif _prose_count(text, start, end):
            roles.append((start, end, number, "prose", "a count stated in a sentence"))
        else:
            roles.append((start, end, number, "not read", _unread_reason(text)))
    # Digits inside other characters ("2019/20245£1,382", "SRT/DC/FOI/162/15") are accounted for
    # too: metadata where a pattern says so (a reference, a code), else not read.
    taken = [(start, end) for start, end, *_ in roles]  # in order, never overlapping (NUMBER's matches)
    starts = [start for start, _ in taken]
    for match in _DIGIT_RUN.finditer(text):
        start, end = match.start(), match.end()
        place = bisect_right(starts, start) - 1  # the one number that can hold this run: a search, not a scan
        if place >= 0 and end <= taken[place][1]:
            continue
        what = metadata_of(text, start, end) or _embedded_metadata(text, start, end)
        if what is not None:
            roles.append((start, end, match.group(), "metadata", what))
        elif context in ("request", "refusal"):
            roles.append((start, end, match.group(), context, "in the request's own words" if context == "request"
                          else "in a refusal's reasoning"))
        else:
            roles.append((start, end, match.group(), "not read", "digits joined to other characters: the number "
                          "cannot be told apart"))
    roles.sort()
    return tuple(roles)


_DIGIT_RUN = re.compile(r"[0-9]+")
# Lines holding at least this many counts, making at least this share of their words, are a
# table (run onto one line, or of a shape fosi does not know), not numbers in sentences.
_TABLE_LIKE_NUMBERS = 4
_TABLE_LIKE_SHARE = 0.25
# Or at least this many counts, each ending a cell, on a line with no sentence punctuation.
_CELL_ENDING_NUMBERS = 3
_IN_TABLE_LINE = "numbers in a line that reads as a table fosi could not split into its cells"
# Sentences end or pause at these; a table's labels hold commas and colons ("Diversionary, educational").
_SENTENCE_MARK = re.compile(r"[.;?!](?:\s|$)")


def _table_like(text: str, counts: Sequence[tuple[int, int]]) -> bool:
    """Is this a line of a table (or a table run onto one line) rather than a sentence: four or
    more counts that are a quarter of its words, or that each end a cell (a capitalised word or
    the end of the line follows) in a line with no sentence punctuation?"""
    if len(counts) < _CELL_ENDING_NUMBERS:
        return False
    words = sum(1 for word in text.split() if word not in ("|", "/", "-", "–"))
    if len(counts) >= _TABLE_LIKE_NUMBERS and len(counts) >= _TABLE_LIKE_SHARE * words:
        return True
    if _SENTENCE_MARK.search(text):
        return False
    # What follows each count starts the next cell: a capitalised word, a code ("8/71"), a marker
    # ("<5", "*", "[c]", "-", "n/a"), or nothing.
    return all(not (after := text[end:].lstrip()) or after[:1].isupper() or after[:1].isdigit()
               or after[:1] in "<*[-–|" or after[:3].lower() == "n/a" for _, end in counts)


def _embedded_metadata(text: str, start: int, end: int) -> str | None:
    """Digits inside a token that is a reference, a code, an address or a date as printed."""
    left = text.rfind(" ", 0, start) + 1
    right = text.find(" ", end)
    token = text[left:len(text) if right < 0 else right].strip(".,;:()[]")
    if glued_count(token):
        return None  # "Making/Taking26": a count glued to its label is never a reference (nor part of a word)
    if ("/" in token or "_" in token) and not any(c in token for c in "£$€") and len(token) <= 30 and not (
            _GLUED_COUNT.match(token)):
        return "a reference or code"
    if token[:1].isalpha() and (not token[-1:].isdigit() or _NAME_NUMBER.match(token)):
        return "part of a word"  # "18s", "COVID-19", "A1M"
    return None


_NAME_NUMBER = re.compile(r"^[A-Za-z]+-\d+$")


def glued_count(token: str) -> bool:
    """Is the token words with a count glued after them ("Making/Taking26", "2019/20456")? Two or more
    digits after a word (one digit is more often a footnote mark), never a number its word owns
    ("Outcome21")."""
    year = _GLUED_FINANCIAL_YEAR.match(token)
    if year:
        return int(year.group(2)) == (int(year.group(1)) + 1) % 100  # "2022/25114" is a reference
    split = split_glued(token)
    return split is not None and not has_digit(split[0])  # "IM-FOI-2016-O541" is a reference


_GLUED_FINANCIAL_YEAR = re.compile(r"^(?:19|20)(\d\d)/(\d\d)\d+$")


# A financial year with a count glued after it ("2019/20456"): that is a count, never a reference.
_GLUED_COUNT = re.compile(r"^(?:19|20)\d\d/\d\d\d+")


# A number right before a word that is not itself a unit of time or money ("41 EV's", "16 Corsa-e on
# order", "41 purchased"): a count stated in the sentence.
_COUNT_BEFORE_WORD = re.compile(r"\s+(?!(?:of|and|or|to|in|on|at|by|for|the|a|an|per|x)\b)(?:[a-z][a-z’'-]*|"
                                r"[A-Z]{2,}(?:[’']?s)?)\b")


def _prose_count(text: str, start: int, end: int) -> bool:
    """Does the sentence state this number as a count: before a counted noun ("1,535 crimes"),
    or after "=", "were", "a total of"?"""
    number = text[start:end]
    if not number[0].isdigit() or "." in number:
        return False
    if COUNTED.match(text[end:]) or _STATED.search(text[:start]):
        return True
    # A number before a lower-case word or an acronym, in a sentence with few numbers (a run of numbers
    # and words is a table fragment, not prose).
    return len(NUMBER.findall(text)) <= 3 and len(text.split()) >= 4 and bool(_COUNT_BEFORE_WORD.match(text[end:]))


def _sentence_of(text: str, start: int, end: int, around: int = 0) -> str:
    """The sentence a number stands in, with ``around`` sentences on either side (a refusal's reasoning
    runs over a few), on a line that is a whole letter run together (its other sentences say nothing
    of this number); the line itself otherwise."""
    if len(text) <= _LONGEST_REQUEST_LINE:
        return text
    starts, ends = _sentence_marks(text)
    before = bisect_right(ends, start) - around  # marks ending at or before the number
    after = bisect_right(starts, end - 1) + around  # the first mark starting at or after its end
    return text[ends[before - 1] if before > 0 else 0:starts[after] if after < len(starts) else len(text)]


@lru_cache(maxsize=1)
def _sentence_marks(text: str) -> tuple[list[int], list[int]]:
    """Where each sentence mark of a line starts and ends, found once a line (not once a number)."""
    marks = list(_SENTENCE_MARK.finditer(text))
    return [m.start() for m in marks], [m.end() for m in marks]


def _unread_reason(text: str) -> str:
    if len(text.split()) <= 12:
        return "a number on a line that is not part of any table fosi could read"
    return "a number in a sentence that fosi cannot tell is a count of anything"


def prose_label(text: str, start: int, end: int) -> str:
    """The words around a count stated in prose, as its label: its clause, at most six words
    before the number and four after it ("there were 1,535 crimes recorded")."""
    before = re.split(r"[.;:!?](?:\s|$)", text[:start])[-1].split()[-6:]
    after = re.split(r"[.;:!?](?:\s|$)", text[end:])[0].split()[:4]
    return " ".join([*before, text[start:end], *after])


def count_numbers(text: str) -> int:
    return len(NUMBER.findall(text)) if has_digit(text) else 0


def account_numbers(lines: Sequence[Line], roles: list[str], context: str,
                    under_request: Sequence[bool] | None = None) -> list[NumberRole]:
    """The role of every number on every line outside the tables; fills in those lines' roles
    (prose, request, refusal, metadata, note, not read). ``under_request``: request_sections(lines),
    where the caller has it already."""
    under_request = request_sections(lines) if under_request is None else under_request
    numbers: list[NumberRole] = []
    for index, line in enumerate(lines):
        # A table's title is accounted too: "... for 2014 was as follows: 47" is a count, never silent.
        title = roles[index] == "title"
        if (roles[index] and not title) or line.blank or (title and not has_digit(line.text)):
            continue
        text = line.text
        if not has_digit(text):
            roles[index] = "request" if under_request[index] else "note"
            continue
        # (A line of a whole letter run together asks and answers: its words say nothing of its numbers.
        # A row of cells is a table's, wherever it stands: its numbers are read or reported, never
        # taken for the request's words.)
        in_cells = line.separated and sum(1 for cell in line.cells if cell) >= 2
        asks = not in_cells and (under_request[index] or (len(text) <= _LONGEST_REQUEST_LINE
                                                          and is_request_line(text)))
        found = classify_numbers(index, text, "cells" if in_cells else "request" if asks else context)
        if len(found) == 1 and found[0].reason == "a year" and text.strip() == found[0].text and _after_total(
                lines, index):
            # "Total" then "1923" alone: the Total's value cut from its row, not a year; never passed over.
            found = [replace(found[0], role="not read", reason="a number alone on its line after a Total label")]
        elif len(found) == 2 and found[1].reason == "a year" and _YEAR_THEN_COUNT.match(text) and not (
                0 < int(found[1].text) - int(found[0].text) <= 10):
            # "2012 1953": a year and a count that looks like one (never a period: it runs backwards).
            found = [found[0], replace(found[1], role="not read", reason="a count beside a year")]
        numbers.extend(found)
        kinds = {n.role for n in found}
        if title:
            continue  # the line stays the table's title; its numbers are placed above
        if "not read" in kinds:
            roles[index] = "not read"
        elif "prose" in kinds:
            roles[index] = "prose"
        elif asks:
            roles[index] = "request"
        elif "refusal" in kinds or (context == "refusal" and len(text.split()) >= 6):
            roles[index] = "refusal"
        elif "metadata" in kinds:
            roles[index] = "metadata"
        else:
            roles[index] = "note"
    return numbers


# Longer than this, a line is a whole letter run together, not one line of a request.
_LONGEST_REQUEST_LINE = 400


_YEAR_THEN_COUNT = re.compile(r"^\s*(?:19|20)\d\d\s+\d{4}\s*$")


def _after_total(lines: Sequence[Line], index: int) -> bool:
    """Is the nearest printed line above this one a Total's label alone?"""
    for previous in range(index - 1, max(-1, index - 4), -1):
        if not lines[previous].blank:
            return is_total_label(lines[previous].text.strip())
    return False


def prose_record(line: Line, number: NumberRole, source: str, metadata) -> dict:
    """A count stated in prose as a figure-table record of kind "prose": kept and shown, never
    used as a table's figure."""
    from fosi.readers.layout.cells import parse_value

    value = parse_value(number.text)
    return {
        "source": source, "force": metadata.value("force"), "period_start": metadata.value("period_start"),
        "period_end": metadata.value("period_end"), "date_basis": metadata.value("date_basis"),
        "unit": metadata.value("unit"), "table": None, "table_title": None, "row_group": None,
        "row_label": prose_label(line.text, number.start, number.end), "column_group": None, "column_label": None,
        "offence_code": None, "outcome_code": None,
        "count": value.count if value else None, "marker": value.marker if value else number.text,
        "kind": "prose", "age_restriction": None, "line": line.line, "location": line.location, "corrected_from": None,
    }


def unread_findings(lines: Sequence[Line], numbers: Sequence[NumberRole], source: str) -> list:
    """For plausible counts that were not read: a ``table-not-read`` error for each run of lines
    that reads as a table (rows of separate cells, or many counts among few words), and a
    ``numbers-not-read`` warning for each other line."""
    from fosi.model.findings import Finding

    by_line: dict[int, list[NumberRole]] = {}
    for number in numbers:
        if number.role == "not read":
            by_line.setdefault(number.index, []).append(number)
    findings = []
    for run in _runs(lines, sorted(by_line)):
        unread = [n for index in run for n in by_line[index]]
        words = sum(len(lines[index].text.split()) for index in run)
        first = lines[run[0]]
        in_cells = any(lines[index].separated and len(lines[index].cells) >= 3 for index in run)
        if in_cells or any(n.reason == _IN_TABLE_LINE for n in unread) or (
                len(unread) >= _TABLE_LIKE_NUMBERS and len(unread) >= _TABLE_LIKE_SHARE * words):
            span = f"lines {first.line}-{lines[run[-1]].line}" if len(run) > 1 else "this line"
            findings.append(Finding(
                "table-not-read", "error", source, first.line,
                f"a table here was not read: {len(unread)} numbers on {span} ({_shown(unread)}) "
                "fit no table shape fosi knows; check the lines, or state a reading hint in a sidecar",
                None, str(len(unread)), first.location))
            continue
        for index in run:
            line, mine = lines[index], by_line[index]
            many = len(mine) != 1
            findings.append(Finding(
                "numbers-not-read", "warning", source, line.line,
                f"{len(mine)} number{'s' if many else ''} here {'were' if many else 'was'} not read "
                f"({_shown(mine)}): {mine[0].reason}; check the line, or state a reading hint in a sidecar",
                None, str(len(mine)), line.location))
    return findings


# Lines of at most this many words, without digits, between lines of unread numbers: a table's
# labels or blank cells (a table one cell per line or paragraph), so the run goes on over them.
_LABEL_WORDS = 8


def _runs(lines: Sequence[Line], indexes: Sequence[int]) -> list[list[int]]:
    """Line indexes in runs: lines with only blank lines or short labels between them."""
    runs: list[list[int]] = []
    for index in indexes:
        if runs and all(lines[i].blank or (not has_digit(lines[i].text) and len(lines[i].text.split()) <= _LABEL_WORDS)
                        for i in range(runs[-1][-1] + 1, index)):
            runs[-1].append(index)
        else:
            runs.append([index])
    return runs


def _shown(numbers: Sequence[NumberRole]) -> str:
    return ", ".join(n.text for n in numbers[:6]) + (", ..." if len(numbers) > 6 else "")
