"""What a reader returns for one response file: its figures plus what surrounds them."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd


@dataclass(frozen=True)
class Located:
    """A piece of printed text and the 1-based line it was printed on."""

    text: str
    line: int | None


@dataclass(frozen=True)
class Metadata:
    """What a response says about itself; each value with the line it was read from."""

    force: Located | None = None  # text = canonical short name of the force
    period_start: Located | None = None  # text = ISO date
    period_end: Located | None = None
    date_basis: Located | None = None  # text = "outcome" | "recorded"
    unit: Located | None = None  # text = "crimes" | "people" | ...

    def value(self, name: str) -> str | None:
        located = getattr(self, name)
        return None if located is None else located.text


@dataclass(frozen=True)
class TableInfo:
    """One table as printed: where it is, what it is titled, and which outcome it names."""

    number: int
    title: Located | None
    header: tuple[str, ...]
    header_line: int | None
    first_line: int
    last_line: int
    outcome_by_number: Located | None = None  # text = code, e.g. "21", from "Outcome 21"
    outcome_by_wording: Located | None = None  # text = code, from "Further investigation ..."
    outcome_wording: str | None = None  # the printed wording the code was read from

    @property
    def outcome_code(self) -> str | None:
        # The printed number wins; a wording that disagrees is reported by validation.
        if self.outcome_by_number is not None:
            return self.outcome_by_number.text
        return None if self.outcome_by_wording is None else self.outcome_by_wording.text


@dataclass(frozen=True)
class Response:
    """One response file, read.

    ``kind`` says what the response is: "table" when figures were found, otherwise a
    plain statement such as "no table found".
    """

    source: str
    reader: str
    kind: str
    metadata: Metadata
    figures: pd.DataFrame
    tables: tuple[TableInfo, ...] = ()
    notes: tuple[Located, ...] = field(default=())  # the response's own prose: caveats, notes
    sha256: str = ""
