"""Reference facts shipped with fosi: Home Office outcome and offence codes, forces, populations.

The CSVs in ``fosi/reference_data/`` are copies of the project's reference files, each
row with its source and confidence (see the README there). Two small rule files,
``outcome_wording.csv`` and ``offence_labels.csv``, say how printed wording maps to a
code; each rule names its basis. Nothing here guesses: a label no rule matches maps
to ``None``.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

MONTHS = {
    name: number
    for number, name in enumerate(
        ["january", "february", "march", "april", "may", "june", "july",
         "august", "september", "october", "november", "december"],
        start=1,
    )
}


@lru_cache(maxsize=16)
def _rows(name: str) -> tuple[dict[str, str], ...]:
    """A reference CSV as rows of text (csv, not pandas: the readers must not need pandas)."""
    with resources.files("fosi.reference_data").joinpath(name).open("r", encoding="utf-8", newline="") as handle:
        return tuple(csv.DictReader(handle))


def _frame(name: str) -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame(list(_rows(name))).astype("string")


def normalise_words(text: str) -> str:
    """Lower-case, every run of non-alphanumerics as one space, padded: ' further investigation '."""
    return " " + re.sub(r"[^0-9a-z]+", " ", text.lower()).strip() + " "


def _has_term(normalised: str, term: str) -> bool:
    # A term matches at the start of a word, so "distribut" matches "distribute" and "distribution".
    return (" " + term) in normalised


def _rules(name: str) -> list[tuple[str, tuple[str, ...], tuple[str, ...]]]:
    rows = _rows(name)
    code_column = next(iter(rows[0]))
    split = lambda cell: tuple(t.strip().lower() for t in cell.split(";") if t.strip())  # noqa: E731
    return [(row[code_column], split(row["all_of"]), split(row["none_of"])) for row in rows]


def _first_rule(rules, text: str) -> str | None:
    words = normalise_words(text)
    for code, all_of, none_of in rules:
        if all(_has_term(words, t) for t in all_of) and not any(_has_term(words, t) for t in none_of):
            return code
    return None


# --- outcomes ---------------------------------------------------------------------------

def outcome_codes() -> pd.DataFrame:
    """Home Office outcome types, with ``introduced_date`` parsed from the free-text ``introduced``."""
    table = _frame("outcome_codes.csv")
    table["introduced_date"] = table["introduced"].map(_confirmed_start).astype("string")
    return table


def _confirmed_start(introduced: str) -> str | None:
    """The ISO date a reference row's ``introduced`` text gives, unless it says the date is NOT
    CONFIRMED ("April 2013 framework (code-specific date NOT CONFIRMED)"): a date fosi checks
    figures against, or prints, must be one the reference stands behind."""
    return None if "NOT CONFIRMED" in (introduced or "") else parse_month_date(introduced)


@lru_cache(maxsize=1)
def _outcome_wording_rules():
    return _rules("outcome_wording.csv")


@lru_cache(maxsize=8192)
def outcome_from_wording(text: str) -> str | None:
    """The outcome code a printed wording names ("Further Investigation not in the Public Interest" -> "21").

    Ambiguous wording (a bare "Caution") gives None rather than a guess.
    """
    return _first_rule(_outcome_wording_rules(), text)


_OUTCOME_NUMBER = re.compile(
    r"\b(?:outcome(?:\s+(?:type|code|group))?|oc)\s*(?:no\.?\s*)?[:#]?\s*0*(\d{1,2})([a-z])?\b",
    re.IGNORECASE,
)


@lru_cache(maxsize=8192)
def outcome_from_number(text: str) -> str | None:
    """The outcome code named by number ("Outcome 21", "OC21", "outcome type 1a" -> "1A")."""
    match = _OUTCOME_NUMBER.search(text)
    if not match:
        return None
    return normalise_outcome_code(match.group(1) + (match.group(2) or ""))


def normalise_outcome_code(code: str | int) -> str:
    """'01' -> '1', '1a' -> '1A', 21 -> '21'. Codes are strings: '1A' is not 1."""
    text = str(code).strip().upper()
    match = re.fullmatch(r"0*(\d{1,2})([A-Z]?)", text)
    if not match:
        return text
    return str(int(match.group(1))) + match.group(2)


@lru_cache(maxsize=1)
def known_outcome_codes() -> frozenset[str]:
    return frozenset(row["code"] for row in _rows("outcome_codes.csv"))


def _outcome_row(code: str) -> dict[str, str] | None:
    return next((row for row in _rows("outcome_codes.csv") if row["code"] == code), None)


@lru_cache(maxsize=64)
def outcome_introduced(code: str) -> dt.date | None:
    """The first day an outcome could be used, where the reference states (and confirms) a date."""
    row = _outcome_row(code)
    introduced = _confirmed_start(row["introduced"]) if row else None
    return None if introduced is None else dt.date.fromisoformat(introduced)


def parse_month_date(text: str) -> str | None:
    """The first '[day] Month Year' in a free-text date ('1 April 2019 (voluntary ...)', 'January 2016').

    A month with no day means its first day. Returns an ISO date or None.
    """
    match = re.search(r"(?:(\d{1,2})\s+)?([A-Za-z]+)\s+(\d{4})", text or "")
    if not match or match.group(2).lower() not in MONTHS:
        return None
    day = int(match.group(1) or 1)
    return dt.date(int(match.group(3)), MONTHS[match.group(2).lower()], day).isoformat()


@lru_cache(maxsize=1)
def _disposal_rules():
    return _rules("disposal_wording.csv")


@lru_cache(maxsize=8192)
def disposal_named(text: str) -> str | None:
    """The outcome or disposal a title or label names in words that map to no one Home Office
    outcome ("Caution", "Charged", "NFA", "Other outcomes"), by ``disposal_wording.csv``; None
    when it names none. Ask only after outcome_from_number and outcome_from_wording found nothing."""
    return _first_rule(_disposal_rules(), text)


def outcome_named(text: str | None) -> str | None:
    """What outcome a title or label names, in words for a reader: "Outcome 21", or the
    disposal it names that fosi cannot map ("caution"); None when it names no outcome."""
    if not text:
        return None
    code = outcome_from_number(text) or outcome_from_wording(text)
    return f"Outcome {code}" if code else disposal_named(text)


# A base must say it counts crimes (or offences), or name the offences it counts; and never name
# what happened to some of them, nor count arrests (a table's unit is compared where a rate is made).
_ALL_CRIMES_SIGNAL = re.compile(r"\b(?:crimes?|offences?|offenses?|recorded|reported)\b", re.IGNORECASE)
_NOT_ALL_CRIMES = re.compile(r"\b(?:arrest\w*|prosecut\w*|charged?|charges|convict\w*|caution\w*|sanction\w*|"
                             r"disposals?|dealt with|detected)\b",
                             re.IGNORECASE)


def presents_all_crimes(title: str | None, outcome_codes: Iterable[str | None]) -> bool:
    """Does a table present itself as all crimes, whatever their outcome: the only kind of
    table a rate may use as its base? Only with a positive sign: its title says it counts crimes
    or offences ("Total Crimes concerning ...", "Crimes recorded") or names the offences it counts.
    Not when any of its figures has an outcome code, nor when its title names an outcome or a
    disposal, mapped or not (a table titled "... - Caution" or "... - Prosecuted" counts what
    happened to some crimes, never all of them), nor arrests. A table with no
    title says nothing about itself: never a base."""
    if not title or not all(code is None for code in outcome_codes) or outcome_named(title) is not None:
        return False
    if _NOT_ALL_CRIMES.search(title):
        return False
    return bool(_ALL_CRIMES_SIGNAL.search(title)) or names_an_offence(title)


# A column of people (the unit some forces count) says so in these words.
_ALL_PEOPLE_SIGNAL = re.compile(r"\b(?:people|persons?|suspects?|individuals|offenders)\b", re.IGNORECASE)


def presents_all_of_unit(label: str | None, unit: str | None) -> bool:
    """Does a column's label say it counts every crime (or, in a table of people, every person)
    of its row, whatever the outcome: "Crimes recorded", "All crimes", "People"? The same positive
    sign as a base table's title (presents_all_crimes), for a column beside an outcome's column;
    a bare "Total" says nothing of what it counts."""
    if not label or outcome_named(label) is not None or _NOT_ALL_CRIMES.search(label):
        return False
    if _ALL_CRIMES_SIGNAL.search(label):
        return True
    return unit in ("people", "suspects") and bool(_ALL_PEOPLE_SIGNAL.search(label))


# --- offences ---------------------------------------------------------------------------

def offence_codes() -> pd.DataFrame:
    return _frame("offence_codes.csv")


@lru_cache(maxsize=1)
def _offence_label_rules():
    return _rules("offence_labels.csv")


_OFFENCE_CODE = re.compile(r"\b0*(\d{1,3})\s*/\s*0*(\d{1,3})\b")
# Words that tie a label to images; without one, "Making" could be any offence.
_IMAGE_WORDS = (" indecent", " photo", " image", " pseudo", " iioc", " private sexual")


def normalise_offence_code(code: str) -> str:
    """'086/02', '86 / 2', '86/02' -> '86/2'."""
    match = _OFFENCE_CODE.search(code)
    return f"{int(match.group(1))}/{int(match.group(2))}" if match else code.strip()


@lru_cache(maxsize=1)
def known_offence_codes() -> frozenset[str]:
    return frozenset(normalise_offence_code(row["ho_code"]) for row in _rows("offence_codes.csv"))


def offence_codes_in(text: str) -> list[str]:
    """The known offence codes a text prints, each once, in the reference's order."""
    printed = {f"{int(m.group(1))}/{int(m.group(2))}" for m in _OFFENCE_CODE.finditer(text)}
    return sorted(printed & known_offence_codes(), key=offence_order)


@lru_cache(maxsize=4096)
def offence_code_for_label(label: str, context: str = "") -> str | None:
    """The Home Office offence code a force's crime title maps to, or None.

    A code printed in the label wins; a label printing two or more codes ("taking (86/2) and
    possessing (86/10)") counts them together and is no one offence's: None. Otherwise the rules in
    ``offence_labels.csv`` apply, but only where the label or its table's title (``context``) is
    about images.
    """
    printed = {f"{int(match.group(1))}/{int(match.group(2))}" for match in _OFFENCE_CODE.finditer(label)}
    printed &= known_offence_codes()
    if len(printed) > 1:
        return None
    if printed:
        return printed.pop()
    if not any(w in normalise_words(label + " " + context) for w in _IMAGE_WORDS):
        return None
    return _first_rule(_offence_label_rules(), label)


# Words that name an offence of this field: images, and the sexual offences tables list beside them.
_OFFENCE_WORDS = (*_IMAGE_WORDS, " voyeur", " sexual")


def names_an_offence(label: str) -> bool:
    """Does a row label name an offence (a code, or words of the field), rather than a period, an
    age band or an outcome?"""
    return offence_code_for_label(label) is not None or any(w in normalise_words(label) for w in _OFFENCE_WORDS)


# --- forces and populations ---------------------------------------------------------------

@lru_cache(maxsize=1)
def _offence_groups() -> dict[str, str]:
    """Home Office offence code -> the group it belongs to (``offence_groups.csv``)."""
    return {normalise_offence_code(code): row["group"] for row in _rows("offence_groups.csv")
            for code in row["codes"].split(";") if code.strip()}


# Offences a reply counts together, in one figure: "86/2+86/10" (its codes in the reference's order).
TOGETHER = "+"


def together(codes: Iterable[str]) -> str:
    """The code of several offences counted together: "86/2+86/10"; one code is itself."""
    return TOGETHER.join(sorted(set(codes), key=offence_order))


def offence_parts(code: str) -> list[str]:
    """The offences a code counts: ["86/2", "86/10"] of "86/2+86/10", [code] of one offence's."""
    return code.split(TOGETHER)


def within(code: object, chosen: Iterable[str]) -> bool:
    """Does a figure's offence code count only offences among ``chosen`` (each of a combined code's)?"""
    wanted = set(chosen)
    return isinstance(code, str) and bool(code) and all(part in wanted for part in offence_parts(code))


def offence_group(code: str) -> str:
    """The group an offence code belongs to ("Indecent images of children" for 86/2, and for
    86/2+86/10); a code in no group is a group of its own ("Offence 86/1")."""
    groups = {_offence_groups().get(part, f"Offence {part}") for part in offence_parts(code)}
    return groups.pop() if len(groups) == 1 else f"Offences {code}"


def expand_offence_codes(pattern: str) -> list[str]:
    """A code, or a class of codes written with a wildcard: "86/*" is every 86/ code in the
    reference list, in the list's order; "86/02" is "86/2"."""
    text = pattern.strip()
    if text.endswith("/*"):
        prefix = text[:-2].lstrip("0") + "/"
        return [code for code in _reference_offence_order() if code.startswith(prefix)]
    return [normalise_offence_code(text)]


@lru_cache(maxsize=1)
def _reference_offence_order() -> tuple[str, ...]:
    return tuple(normalise_offence_code(row["ho_code"]) for row in _rows("offence_codes.csv"))


def offence_order(code: str) -> tuple[int, str]:
    """A sort key: codes in the reference list's order (86/2, 86/10, ... 8/71), others after it."""
    order = _reference_offence_order()
    first = code.split(TOGETHER)[0]  # offences counted together sort with their first
    return (order.index(first), code) if first in order else (len(order), code)


def forces() -> pd.DataFrame:
    return _frame("police_forces.csv")


@lru_cache(maxsize=1)
def _force_pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    names: dict[str, str] = {}
    for row in _rows("police_forces.csv"):
        names[row["force"].lower()] = row["short_name"]
        names[row["short_name"].lower()] = row["short_name"]
    # Aliases that are ordinary words in running text ("met", "beds", "MPs") are matched only
    # where a user names a force (match_force), never found in a response's text.
    for row in _rows("force_aliases.csv"):
        if row["in_text"] == "yes":
            names[row["alias"].lower()] = row["short_name"]
    # Longest first, so at one position "West Midlands Police" wins over a shorter name.
    ordered = sorted(names, key=len, reverse=True)
    pattern = re.compile(r"\b(" + "|".join(re.escape(n) for n in ordered) + r")\b", re.IGNORECASE)
    return pattern, names


@lru_cache(maxsize=8192)
def force_in_text(text: str) -> tuple[str, int] | None:
    """The force named earliest in a text, as (short name from the reference list, offset)."""
    pattern, names = _force_pattern()
    match = pattern.search(text)
    return None if match is None else (names[match.group(1).lower()], match.start())


def force_name(short_name: str) -> str:
    """A force's full name from its short name ('Hertfordshire' -> 'Hertfordshire Constabulary');
    the name itself when the reference list does not hold it."""
    for row in _rows("police_forces.csv"):
        if row["short_name"] == short_name:
            return row["force"]
    return short_name


def canonical_force(name: str) -> str | None:
    """A force's reference short name from its full or short name, or a common alias
    (force_aliases.csv: "Avon & Somerset", "Met", "Herts"), case-insensitively."""
    found = force_in_text(name)
    return found[0] if found else None


# The 43 territorial police forces of England and Wales: "forces: all" in a request.
TERRITORIAL_COUNTRIES = ("England", "Wales")


def territorial_forces() -> tuple[str, ...]:
    """The short names of the 43 territorial forces of England and Wales, in reference order."""
    return tuple(row["short_name"] for row in _rows("police_forces.csv") if row["country"] in TERRITORIAL_COUNTRIES)


def match_force(name: str) -> str:
    """The reference short name for a force named by a user (a sidecar, a request file):
    its full name, short name or a common alias, exactly as a whole (case and spacing aside).
    Raises ValueError with a one-line message, suggesting the nearest names, for anything else."""
    import difflib

    _, in_text = _force_pattern()
    names = {**in_text, **{row["alias"].lower(): row["short_name"] for row in _rows("force_aliases.csv")}}
    key = " ".join(str(name).split()).lower()
    if key in names:
        return names[key]
    near = difflib.get_close_matches(key, list(names), n=3, cutoff=0.6)
    suggestions = list(dict.fromkeys(names[n] for n in near))
    hint = f"; did you mean {' or '.join(repr(s) for s in suggestions)}?" if suggestions else \
        "; use a name from the reference list (fosi/reference_data/police_forces.csv)"
    raise ValueError(f"unknown force {str(name)!r}{hint}")


def populations() -> pd.DataFrame:
    import pandas as pd

    table = _frame("populations.csv")
    for column in ("population_all_ages", "population_under_18"):
        table[column] = pd.to_numeric(table[column], errors="coerce").astype("Int64")
    return table
