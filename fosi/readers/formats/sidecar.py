"""Sidecar metadata: a ``NAME.yml`` beside a response states what the file cannot say.

Fields (all optional):

    force: Hertfordshire            # a force's name or short name, from the reference list
    period_start: 2016-01-01        # first day covered (inclusive)
    period_end: 2018-01-31          # last day covered (inclusive)
    date_basis: outcome             # outcome | recorded
    unit: crimes                    # crimes | offences | people | arrests | suspects
    age_filter: all ages            # who is counted: "all ages", "under 18", ...
    request_reference: FOI 586/26
    url: https://...
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
from fosi.reference import canonical_force

FIELDS = {
    "force", "period_start", "period_end", "date_basis", "unit", "age_filter", "request_reference", "url",
    "date_received", "notes", "suppression_threshold", "blank_means", "reading",
}
_CHOICES = {
    "date_basis": {"outcome", "recorded"},
    "unit": {"crimes", "offences", "people", "arrests", "suspects"},
    "blank_means": {"not stated", "zero", "unknown"},
}
_DATES = {"period_start", "period_end", "date_received"}


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

    try:
        text = path.decode("utf-8") if isinstance(path, bytes) else path.read_text(encoding="utf-8")
        loaded = yaml.safe_load(text) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise InputError(shown_as, f"is not valid YAML: {getattr(error, 'problem', error)}",
                         None if mark is None else mark.line + 1) from None
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(shown_as, f"cannot read: {error}") from None
    if not isinstance(loaded, dict):
        raise InputError(shown_as, "must hold 'field: value' lines")
    unknown = sorted(set(map(str, loaded)) - FIELDS)
    if unknown:
        raise InputError(shown_as, f"unknown field(s) {', '.join(unknown)}; known: {', '.join(sorted(FIELDS))}")
    fields: dict[str, Any] = {}
    for name, value in loaded.items():
        if value is None:
            continue
        if name in _DATES:
            try:
                value = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
            except ValueError:
                raise InputError(shown_as, f"{name}: {value!r} is not a date (write YYYY-MM-DD)") from None
            value = value.isoformat()
        elif name in _CHOICES and str(value) not in _CHOICES[name]:
            raise InputError(shown_as, f"{name}: {value!r} is not one of {', '.join(sorted(_CHOICES[name]))}")
        elif name == "force":
            canonical = canonical_force(str(value))
            if canonical is None:
                raise InputError(shown_as, f"force: {value!r} is not a police force in the reference list")
            value = canonical
        elif name == "reading":
            from fosi.readers.layout.hints import parse_hints

            fields[name] = parse_hints(value, shown_as)
            continue
        elif name == "suppression_threshold":
            if not isinstance(value, int) or value < 2:
                raise InputError(shown_as, f"suppression_threshold: {value!r} must be a whole number of 2 or more")
        fields[name] = value if isinstance(value, int) and name == "suppression_threshold" else str(value)
    return fields


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
    return replace(response, metadata=metadata, records=records, sidecar=fields,
                   findings=(*response.findings, *findings))
