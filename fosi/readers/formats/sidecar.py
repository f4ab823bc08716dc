"""Sidecar metadata: a ``NAME.yml`` beside a response states what the file cannot say.

Fields (all optional):

    force: Hertfordshire            # a force's name, short name or common alias (fosi.reference.match_force)
    period_start: 2016-01-01        # first day covered (inclusive)
    period_end: 2018-01-31          # last day covered (inclusive)
    date_basis: outcome             # outcome | recorded
    unit: crimes                    # crimes | offences | people | arrests | suspects
    age_filter: all ages            # who is counted: "all ages", "under 18", ...
    request_reference: FOI 586/26
    url: https://...                # http or https, with its host name
    date_received: 2018-03-01
    notes: free text
    suppression_threshold: 5        # '*' then means 1 to threshold - 1
    blank_means: not stated         # not stated | zero | unknown
    reading: [...]                  # reading hints for a text response (fosi.readers.layout.hints)

A stated value takes precedence over what fosi detects in the file; where the two
disagree, a finding says so.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from fosi.errors import InputError
from fosi.model.findings import Finding
from fosi.model.response import (
    METADATA_FIELDS,
    RESPONSE_FIELDS,
    Located,
    Metadata,
    Response,
)
from fosi.reference import match_force

FIELDS = {
    "force", "period_start", "period_end", "date_basis", "unit", "age_filter", "request_reference", "url",
    "date_received", "notes", "suppression_threshold", "blank_means", "reading", "base_table",
}
# The finding that carries a sidecar's base_table to the rates (fosi.analysis.rates reads it).
BASE_STATED = "base-stated"
_CHOICES = {
    "date_basis": {"outcome", "recorded"},
    "unit": {"crimes", "offences", "people", "arrests", "suspects"},
    "blank_means": {"not stated", "zero", "unknown"},
}
_DATES = {"period_start", "period_end", "date_received"}


def check_url(value: str) -> str | None:
    """Why ``value`` is not a web address fosi can link to (None when it is): http or https, a
    host name, no spaces."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(value)
    except ValueError:
        return "is not a web address"
    if parts.scheme not in ("http", "https"):
        return "is not a web address: it must start with https:// or http://"
    if not parts.hostname or "." not in parts.hostname or any(c.isspace() for c in value):
        return "is not a web address: give the whole address, with its host name and no spaces"
    return None


def sidecar_path(response_path: Path) -> Path | None:
    """The NAME.yml (or NAME.yaml) beside a response, if there is one."""
    folder, name = os.path.split(os.path.abspath(response_path))
    stem = os.path.splitext(name)[0]
    names = _names_in(folder, _mtime(folder))
    for suffix in (".yml", ".yaml"):
        if stem + suffix in names and stem + suffix != name:
            return Path(folder) / (stem + suffix)
    return None


def _mtime(folder: str) -> int:
    try:
        return os.stat(folder).st_mtime_ns
    except OSError:
        return -1


@lru_cache(maxsize=256)
def _names_in(folder: str, _mtime_ns: int) -> frozenset[str]:
    """The files in a folder, listed once while the folder is unchanged (its mtime is in the key)."""
    try:
        return frozenset(entry.name for entry in os.scandir(folder) if entry.is_file())
    except OSError:
        return frozenset()


def read_sidecar(path: Path | bytes, shown_as: str) -> dict[str, Any]:
    """The sidecar's fields, checked: known names, valid dates and choices, a known force.
    ``path`` may be the sidecar's bytes (one inside a zip archive)."""
    import yaml

    from fosi.yamlfiles import yaml_without_aliases

    try:
        text = path.decode("utf-8") if isinstance(path, bytes) else path.read_text(encoding="utf-8")
        loaded = yaml_without_aliases(text) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problem = " ".join(str(getattr(error, "problem", None) or error).split())
        raise InputError(shown_as, f"is not valid YAML: {problem}", None if mark is None else mark.line + 1) from None
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(shown_as, f"cannot read: {error}") from None
    except (ValueError, RecursionError) as error:  # a value PyYAML cannot build (a nesting too deep, say)
        raise InputError(shown_as, f"is not valid YAML: {type(error).__name__}") from None
    if not isinstance(loaded, dict):
        raise InputError(shown_as, "must hold 'field: value' lines")
    unknown = sorted(set(map(str, loaded)) - FIELDS)
    if unknown:
        raise InputError(shown_as, f"unknown field(s) {', '.join(unknown)}; known: {', '.join(sorted(FIELDS))}")
    fields: dict[str, Any] = {}
    for name, value in loaded.items():
        if value is None:
            continue
        if name != "reading" and not isinstance(value, (str, int, float, dt.date)):
            raise InputError(shown_as, f"{name}: give one value on its line, not a list or a mapping")
        if name in _DATES:
            value = _date(name, value, shown_as)
        elif name in _CHOICES and str(value) not in _CHOICES[name]:
            raise InputError(shown_as, f"{name}: {value!r} is not one of {', '.join(sorted(_CHOICES[name]))}")
        elif name == "force":
            try:
                value = match_force(str(value))  # the alias table and 'did you mean' of the request file
            except ValueError as error:
                raise InputError(shown_as, f"force: {error}") from None
        elif name == "url":
            problem = check_url(str(value).strip())
            if problem:
                raise InputError(shown_as, f"url: {str(value)!r} {problem}")
            value = str(value).strip()
        elif name == "reading":
            from fosi.readers.layout.hints import parse_hints

            fields[name] = parse_hints(value, shown_as)
            continue
        elif name == "suppression_threshold":
            if not isinstance(value, int) or isinstance(value, bool) or value < 2:
                raise InputError(shown_as, f"suppression_threshold: {value!r} must be a whole number of 2 or more")
        elif name == "base_table":
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise InputError(shown_as, f"base_table: {value!r} must be a table's number as fosi inspect shows "
                                           "it (1, 2, ...)")
        whole = name in ("suppression_threshold", "base_table")
        fields[name] = value if isinstance(value, int) and whole else str(value)
    return fields


def _date(name: str, value: object, shown_as: str) -> str:
    """A sidecar date as YYYY-MM-DD; one line naming the field when it is not a real day."""
    text = str(value).strip()
    try:
        day = value if isinstance(value, dt.date) else dt.date.fromisoformat(text)
    except ValueError:
        if len(text) == 10 and text[4] == "-" and text[7] == "-":
            raise InputError(shown_as, f"{name}: {text!r} is not a day of the calendar (check the month and "
                                       "the day)") from None
        raise InputError(shown_as, f"{name}: {text!r} is not a date (write YYYY-MM-DD)") from None
    if len(text) != 10 and not isinstance(value, dt.date):  # fromisoformat also takes 20230401
        raise InputError(shown_as, f"{name}: {text!r} is not a date (write YYYY-MM-DD)")
    return day.isoformat()


def apply_sidecar(response: Response, fields: dict[str, Any], shown_as: str) -> Response:
    """The response with the sidecar's metadata in place of what was detected, and a
    finding for every stated value that disagrees with a detected one."""
    findings = []
    values = {}
    for name in (*METADATA_FIELDS, *RESPONSE_FIELDS):
        detected = getattr(response.metadata, name)
        stated = fields.get(name)
        if stated is None:
            values[name] = detected
            continue
        if detected is not None and detected.text != stated:
            findings.append(Finding(
                "sidecar-disagrees", "warning", response.source, detected.line,
                f"{shown_as} states {name.replace('_', ' ')} {stated!r}, but the response says {detected.text!r}; "
                "the stated value is used", stated, detected.text, detected.location))
        values[name] = Located(stated, None, shown_as)
    metadata = Metadata(**values, age_restriction=response.metadata.age_restriction)
    overrides = {name: metadata.value(name) for name in METADATA_FIELDS}
    if fields.get("age_filter") is not None:  # stated whom the figures count: every figure, whatever its table says
        overrides["age_restriction"] = fields["age_filter"]
    records = tuple({**record, **overrides} for record in response.records)
    if fields.get("base_table") is not None:
        findings.append(_stated_base(response, fields["base_table"], shown_as))
    return replace(response, metadata=metadata, records=records, sidecar=fields,
                   findings=(*response.findings, *findings))


def _stated_base(response: Response, number: int, shown_as: str) -> Finding:
    """The finding that says which table the sidecar names as all crimes (the base of every rate);
    one line naming the sidecar when the response has no such table."""
    table = next((t for t in response.tables if t.number == number), None)
    if table is None:
        count = len(response.tables)
        raise InputError(shown_as, f"base_table: {number} is not a table of the response, which has {count} "
                                   f"table{'s' if count != 1 else ''} (fosi inspect numbers them)")
    lines = [record["line"] for record in response.records if record["table"] == number and record["line"]]
    line = table.title.line if table.title is not None else min(lines, default=None)
    title = f" (“{table.title.text}”)" if table.title is not None else ""
    return Finding(BASE_STATED, "info", response.source, line,
                   f"{shown_as} states that table {number}{title} counts all crimes of each offence: the base "
                   "of every rate, and no other table is", str(number), None,
                   table.title.location if table.title is not None else None, number)
