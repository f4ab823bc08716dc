"""What a reply says in its own words, as opposed to the request it quotes: the sections of the
Freedom of Information Act it relies on, that the information is not held, or a question back.

A reply often quotes the request ("If any part of this information is not held ...", "... under
section 12 ..."); those words are the requester's and decide nothing. A line under a "Your
request" heading (fosi.readers.layout.accounting), a line in quotation marks, and a line labelled
as the request ("You asked: ...", "Request: ...") are the request's; every other line is the
reply's own, questions included: "Could you clarify which period you mean?" is the force asking.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from fosi.readers.layout.accounting import request_sections
from fosi.readers.layout.lines import Line

# Sections a refusal relies on: s.12 (cost) and s.14 (vexatious or repeated) in Part I, and the
# exemptions of Part II (s.21 to s.44) of the Freedom of Information Act 2000. Sections 1 (the
# duty to confirm and to communicate; s.1(3) asks for clarification), 10 (time), 16 (advice) and
# 17 (the refusal notice itself) are cited by every kind of reply and rely on nothing.
REFUSAL_SECTIONS = frozenset({12, 14, *range(21, 45)})
# "section 40(2)", "Section 31(1)(a) and (b)", "s.12", "s12", "sections 30 and 31"
_SECTION = re.compile(r"\b(?:sections?|s\.?)\s*(\d{1,2})(?![\d/])((?:\s*(?:,|and|&|or)\s*\d{1,2}(?![\d/]))*)", re.I)
_MORE = re.compile(r"\d{1,2}")
_NOT_HELD = re.compile(r"\bnot held\b|\bdoes not hold\b|\bdo not hold\b|\bholds? no (?:recorded )?information\b|"
                       r"\bno (?:recorded )?information (?:is|was) held\b", re.I)
# A question back (s.1(3)): the force asks the requester to say more before it answers.
# "If you need further clarification, contact us" closes many answers and asks nothing.
_CLARIFICATION = re.compile(r"\brequest for clarification\b|\bseek(?:ing)? clarification\b|\bplease clarify\b|"
                            r"\bclarify (?:which|what|whether|if)\b|\bsection\s*1\s*\(\s*3\s*\)|"
                            r"\bbefore we can (?:answer|process|respond|proceed)\b", re.I)

NOT_HELD, CLARIFICATION = "not held", "clarification"
# "You asked: ...", "Your request: ...", "Request 1 - ...", "You requested the number of ...": the
# request restated. "Your request for X is refused under section 14" is the force's answer.
_QUOTED = re.compile(r"^\s*(?:[\"“‘'«]|you (?:asked|requested|wrote)\b|(?:your )?(?:request|question)s?\s*\d*\s*[:\-–])",
                     re.I)


def own_lines(lines: Sequence[Line], under_request: Sequence[bool] | None = None) -> list[Line]:
    """The reply's own lines: not under a request heading, not quoted, not labelled as the request.
    ``under_request``: request_sections(lines), where the caller has it already."""
    under_request = request_sections(lines) if under_request is None else under_request
    return [line for line, quoted in zip(lines, under_request)
            if not line.blank and not quoted and not _QUOTED.match(line.text)]


def cited_sections(lines: Sequence[Line], own: Sequence[Line] | None = None) -> tuple[str, ...]:
    """The refusal sections the reply's own words cite, in order: ("s31", "s40"). ``own``: the
    reply's own lines, where the caller has them already (own_lines)."""
    found: set[int] = set()
    for line in own_lines(lines) if own is None else own:
        for match in _SECTION.finditer(line.text):
            numbers = [int(match.group(1)), *(int(n) for n in _MORE.findall(match.group(2) or ""))]
            found.update(n for n in numbers if n in REFUSAL_SECTIONS)
    return tuple(f"s{n}" for n in sorted(found))


def statement(lines: Sequence[Line], own: Sequence[Line] | None = None) -> str:
    """What the reply's own words say besides figures: "clarification" (a question back), "not
    held", or "" for neither. A question back wins: it stops the clock whatever else it says.
    ``own``: the reply's own lines, where the caller has them already."""
    text = "\n".join(line.text for line in (own_lines(lines) if own is None else own))
    if _CLARIFICATION.search(text):
        return CLARIFICATION
    if _NOT_HELD.search(text):
        return NOT_HELD
    return ""


# What a reply without a table is, by the first of these it relies on (its own words, as above);
# the words alone ("cost limit", "vexatious") name s.12 and s.14 where the section number is not given.
_REFUSAL_KINDS = (
    ("s12", re.compile(r"\bcost limit\b|\bappropriate limit\b", re.I), "refusal: section 12 cost limit"),
    ("s14", re.compile(r"\bvexatious\b", re.I), "refusal: section 14 vexatious or repeated request"),
    ("s40", None, "refusal: section 40 personal information"),
    ("s30", None, "refusal: section 30/31 investigations and law enforcement"),
    ("s31", None, "refusal: section 30/31 investigations and law enforcement"),
    ("s21", None, "refusal: section 21 information already accessible"),
)


def classify_without_table(lines: Sequence[Line], own: Sequence[Line] | None = None) -> str:
    """What a response with no table is: a refusal (and under which section), 'information not
    held', or 'no table found' (an answer in words). Read from the reply's own words, as
    cited_sections and statement read them; ``own`` as for those."""
    own = own_lines(lines) if own is None else own
    sections = set(cited_sections(lines, own))
    text = "\n".join(line.text for line in own)
    for section, words, kind in _REFUSAL_KINDS:
        if section in sections or (words is not None and words.search(text)):
            return kind
    return "information not held" if _NOT_HELD.search(text) else "no table found"
