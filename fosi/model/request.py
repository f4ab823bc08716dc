"""The request of a round robin, stated once: ``request.yml`` at the top of the responses' folder.

    title: Outcome 21 for indecent images of children offences, 2021-2023
    question: |                      # the words sent
      Please provide ...
    offences: 86/x                   # the indecent-images-of-children group (default), or a list of codes
    outcomes: ["21"]                 # Home Office outcome codes asked about (default 21)
    period: {start: 2021-01-01, end: 2023-12-31}
    unit: crimes                     # crimes | people
    forces: all                      # the 43 territorial forces of England and Wales, or a list of names
    sent: 2026-10-01                 # the date the request was sent
    references: {Kent: "FOI 2026-0412"}   # optional: each force's own reference
    contact: Research Unit <foi@example.org>   # optional: who to write to about the release

Force names match through the reference list with its common aliases ("Avon & Somerset", "Met",
"Herts"); an unknown name is a one-line error with the nearest names. Every field but ``sent``
and ``period`` has a default; without a ``request.yml`` fosi keeps its own defaults
(``Request.default``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from fosi.errors import InputError
from fosi.reference import (
    expand_offence_codes,
    known_offence_codes,
    known_outcome_codes,
    match_force,
    normalise_outcome_code,
    offence_group,
    territorial_forces,
)

REQUEST_FILE = "request.yml"
# The group a request names by default, and the ways of writing it ("86/x" is how requests write it).
CHILD_IMAGES = "Indecent images of children"
_GROUP_NAMES = {"86/x": CHILD_IMAGES, "86/x (indecent images of children)": CHILD_IMAGES,
                CHILD_IMAGES.lower(): CHILD_IMAGES}
UNITS = ("crimes", "people")
# FOIA s.10(1): a reply is due within 20 working days of receipt; weekends and bank holidays
# (England and Wales: the `holidays` package, GB subdivision ENG, whose dates Wales shares) do not count.
WORKING_DAYS_TO_REPLY = 20
FIELDS = ("title", "question", "offences", "outcomes", "period", "unit", "forces", "sent", "references", "contact")


@dataclass(frozen=True)
class Request:
    """One round-robin request. ``forces`` are reference short names; ``offences`` Home Office codes."""

    title: str
    question: str = ""
    offences: tuple[str, ...] = ()
    offence_label: str = CHILD_IMAGES  # how the offences are named in headlines: the group, or the codes
    outcomes: tuple[str, ...] = ("21",)
    period_start: str | None = None  # ISO dates
    period_end: str | None = None
    unit: str = "crimes"
    forces: tuple[str, ...] = ()  # empty: no request file, so the forces are those that replied
    sent: str | None = None  # ISO date
    references: dict[str, str] = field(default_factory=dict)  # force short name -> reference
    contact: str | None = None
    stated: bool = True  # False for the defaults used when the folder holds no request.yml

    @property
    def outcome(self) -> str:
        return self.outcomes[0]

    @property
    def group(self) -> str:
        """The offence group the headline is about: the one every requested offence belongs to
        (the indecent-images group when they span several)."""
        groups = {offence_group(code) for code in self.offences}
        return groups.pop() if len(groups) == 1 else CHILD_IMAGES

    @staticmethod
    def default() -> Request:
        """fosi's defaults without a request file: the indecent-images group, Outcome 21, any period."""
        return Request(title="Outcome 21 for indecent images of children offences", offences=child_image_codes(),
                       stated=False)

    def deadline(self) -> dt.date | None:
        """The last day for a reply: 20 working days after ``sent`` (FOIA s.10)."""
        return None if self.sent is None else working_days_after(dt.date.fromisoformat(self.sent),
                                                                 WORKING_DAYS_TO_REPLY)


def child_image_codes() -> tuple[str, ...]:
    return group_codes(CHILD_IMAGES)


def group_codes(group: str) -> tuple[str, ...]:
    return tuple(code for code in sorted(known_offence_codes(), key=_code_order) if offence_group(code) == group)


def _code_order(code: str) -> tuple[int, ...]:
    return tuple(int(part) if part.isdigit() else 0 for part in code.split("/"))


@lru_cache(maxsize=8)
def _bank_holidays(first_year: int, last_year: int) -> frozenset[dt.date]:
    import holidays  # only when a deadline is wanted

    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=range(first_year, last_year + 1)))


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year, day.year)


def working_days_after(start: dt.date, count: int) -> dt.date:
    """The ``count``-th working day after ``start`` (the day after receipt is the first: FOIA s.10(6))."""
    day, left = start, count
    while left:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            left -= 1
    return day


def request_for(sources) -> Request:
    """The request the sources were answering: the request.yml of the one folder named, else fosi's
    defaults (Request.default). ``sources``: paths, as resolved by fosi.readers.resolve_sources."""
    paths = [Path(p) for p in ([sources] if isinstance(sources, (str, Path)) else sources)]
    if len(paths) == 1 and paths[0].is_dir():
        return read_request(paths[0]) or Request.default()
    return Request.default()


def request_path(folder: Path) -> Path | None:
    path = Path(folder) / REQUEST_FILE
    return path if path.is_file() else None


def read_request(folder: Path, shown_as: str | None = None) -> Request | None:
    """The request stated in FOLDER/request.yml, or None when there is none."""
    path = request_path(folder)
    if path is None:
        return None
    name = shown_as or str(path)
    import yaml

    from fosi.yamlfiles import yaml_without_aliases

    try:
        loaded = yaml_without_aliases(path.read_text(encoding="utf-8-sig"))
    except OSError as error:
        raise InputError(name, f"cannot read the request ({error.strerror})") from None
    except UnicodeDecodeError:
        raise InputError(name, "is not UTF-8 text: save it as UTF-8") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise InputError(name, f"is not valid YAML: {getattr(error, 'problem', None) or error}",
                         line=None if mark is None else mark.line + 1) from None
    return request_from(loaded, name)


def request_from(loaded: Any, name: str) -> Request:
    """A Request from the parsed YAML; every problem is an InputError naming the file and field."""
    if not isinstance(loaded, dict):
        raise InputError(name, "must hold FIELD: value pairs (fosi request init writes a template)")
    unknown = sorted(set(map(str, loaded)) - set(FIELDS))
    if unknown:
        raise InputError(name, f"unknown field {unknown[0]!r}; the fields are {', '.join(FIELDS)}")

    def problem(what: str) -> InputError:
        return InputError(name, what)

    title = loaded.get("title")
    if not isinstance(title, str) or not title.strip():
        raise problem("title: give the request a title (it titles the release)")
    offences, label = _offences(loaded.get("offences", "86/x"), problem)
    outcomes = _outcomes(loaded.get("outcomes", ["21"]), problem)
    period = loaded.get("period")
    if not isinstance(period, dict) or set(period) != {"start", "end"}:
        raise problem("period: give its start and end dates (period: {start: 2021-01-01, end: 2023-12-31})")
    start, end = _date(period["start"], "period start", problem), _date(period["end"], "period end", problem)
    if end < start:
        raise problem(f"period: its end {end} is before its start {start}")
    unit = loaded.get("unit", "crimes")
    if unit not in UNITS:
        raise problem(f"unit: {unit!r} is not one of {', '.join(UNITS)}")
    forces = _forces(loaded.get("forces", "all"), problem)
    sent = _date(loaded["sent"], "sent", problem) if "sent" in loaded else None
    references = loaded.get("references") or {}
    if not isinstance(references, dict):
        raise problem("references: give each force's reference as FORCE: REFERENCE")
    by_force = {}
    for force, reference in references.items():
        by_force[_force(force, "references", problem)] = str(reference)
    contact = loaded.get("contact")
    question = loaded.get("question") or ""
    return Request(title=" ".join(title.split()), question=str(question).strip(), offences=offences,
                   offence_label=label, outcomes=outcomes, period_start=start.isoformat(),
                   period_end=end.isoformat(), unit=unit, forces=forces,
                   sent=None if sent is None else sent.isoformat(), references=by_force,
                   contact=None if contact is None else " ".join(str(contact).split()))


def _date(value: Any, what: str, problem) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise problem(f"{what}: {value!r} is not a date; write it as YYYY-MM-DD") from None


def _offences(value: Any, problem) -> tuple[tuple[str, ...], str]:
    if isinstance(value, str) and value.strip().lower() in _GROUP_NAMES:
        group = _GROUP_NAMES[value.strip().lower()]
        return group_codes(group), group
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not items:
        raise problem("offences: give 86/x (indecent images of children) or a list of Home Office codes")
    codes: list[str] = []
    for item in items:
        expanded = [c for c in expand_offence_codes(str(item)) if c in known_offence_codes()]
        if not expanded:
            raise problem(f"offences: {item!r} is not a Home Office offence code in the reference list")
        codes.extend(c for c in expanded if c not in codes)
    groups = {offence_group(code) for code in codes}
    label = next(iter(groups)) if len(groups) == 1 and set(codes) == set(group_codes(next(iter(groups)))) \
        else ", ".join(codes)
    return tuple(codes), label


def _outcomes(value: Any, problem) -> tuple[str, ...]:
    items = value if isinstance(value, list) else [value]
    codes = []
    for item in items:
        code = normalise_outcome_code(str(item))
        if code not in known_outcome_codes():
            raise problem(f"outcomes: {item!r} is not a Home Office outcome code")
        codes.append(code)
    if not codes:
        raise problem("outcomes: name at least one outcome code, such as \"21\"")
    return tuple(codes)


def _force(value: Any, what: str, problem) -> str:
    try:
        return match_force(str(value))
    except ValueError as error:
        raise problem(f"{what}: {error}") from None


def _forces(value: Any, problem) -> tuple[str, ...]:
    if isinstance(value, str) and value.strip().lower() == "all":
        return territorial_forces()
    if not isinstance(value, list) or not value:
        raise problem("forces: write all (the 43 territorial forces of England and Wales) or a list of names")
    return tuple(dict.fromkeys(_force(item, "forces", problem) for item in value))


def request_template(today: dt.date) -> str:
    """A commented request.yml to fill in (fosi request init)."""
    return f"""\
# The request of this round robin, stated once. fosi reads it to tell who was asked, who answered,
# refused, said "not held", asked a question back or is overdue (fosi status), and to choose the
# figures the release leads with. Fill in every field, then run: fosi status
title: Outcome 21 for indecent images of children offences, 2021-2023
# The words you sent, as sent.
question: |
  Please provide, for each calendar year 2021, 2022 and 2023, the number of crimes of taking,
  making or distributing indecent photographs of children (Home Office offence code 86/2) and of
  possessing them (86/10), and of those crimes the number closed with Outcome 21.
# 86/x is the indecent-images-of-children group (86/2, 86/10, 86/15); or a list: [86/2, 86/10]
offences: 86/x
# Home Office outcome codes, as strings ("1A" is not 1)
outcomes: ["21"]
period:
  start: 2021-01-01
  end: 2023-12-31
# crimes or people
unit: crimes
# all: the 43 territorial forces of England and Wales; or a list, such as [Kent, Met, Herts]
forces: all
# The date the request was sent: a reply is due within 20 working days (bank holidays excluded).
sent: {today.isoformat()}
# Optional: each force's own reference for the request, as FORCE: REFERENCE
references: {{}}
# Optional: who to write to about the release (shown in its "About this release")
contact:
"""
