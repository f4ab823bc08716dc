"""What a reader returns for one response file: its figures plus what surrounds them."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class Located:
    """A value read from a response, and where it was printed (1-based line, or a location)."""

    text: str
    line: int | None
    location: str | None = None

    def where(self) -> str | None:
        return self.location if self.location is not None else (None if self.line is None else str(self.line))


@dataclass(frozen=True)
class Metadata:
    """What a response says about itself; each value with where it was read."""

    force: Located | None = None  # text = the force's short name
    period_start: Located | None = None  # text = ISO date
    period_end: Located | None = None
    date_basis: Located | None = None  # text = "outcome" | "recorded"
    unit: Located | None = None  # text = "crimes" | "people" | ...
    # Of the response as a whole, not of each figure: from an email's Subject: and Date:, or a sidecar.
    request_reference: Located | None = None  # text = the force's reference, e.g. "FOI 586/26"
    date_received: Located | None = None  # text = ISO date
    # The response's own address: a saved web page's (its canonical link, or the browser's "saved
    # from url" mark), an email's Archived-At: header, or a sidecar's url.
    url: Located | None = None
    # Whom every figure is restricted to, where a note says so ("suspects aged under 18"); a table's
    # own title may say it for that table alone (TableInfo.age_restriction).
    age_restriction: Located | None = None

    def value(self, name: str) -> str | None:
        located = getattr(self, name)
        return None if located is None else located.text


METADATA_FIELDS = ("force", "period_start", "period_end", "date_basis", "unit")  # carried by every figure
RESPONSE_FIELDS = ("request_reference", "date_received", "url")  # of the response as a whole


@dataclass(frozen=True)
class TableInfo:
    """One table as printed: where it is, what it is titled, and which outcome it names."""

    number: int
    title: Located | None
    header: tuple[str, ...]
    first_line: int  # position of its first and last rows in the reader's sequence of lines
    last_line: int
    outcome_by_number: Located | None = None  # text = code, e.g. "21", from "Outcome 21"
    outcome_by_wording: Located | None = None  # text = code, from "Further investigation ..."
    outcome_wording: str | None = None  # the printed wording the code was read from
    row_dimension: str | None = None  # "outcome" when each row is an outcome, else None
    date_basis: Located | None = None  # text = "outcome" | "recorded", where the table states its own
    unit: Located | None = None  # text = "crimes" | "people" | ..., where the table's title names its own
    age_restriction: Located | None = None  # text = "under 18", where the title restricts the table's ages
    # Codes of the outcomes a title names together ("Outcome 21/22"): the table counts them as one,
    # so it is neither any one outcome's nor all crimes.
    outcomes_combined: tuple[str, ...] = ()
    # The reply's own line introducing the table ("The table gives the outcomes of ... (86/2) and ...
    # (86/10) ..., the two offences together."), where there is one.
    introduction: Located | None = None

    @property
    def outcome_code(self) -> str | None:
        # The printed number wins; a wording that disagrees is reported by validation.
        if self.outcome_by_number is not None:
            return self.outcome_by_number.text
        return None if self.outcome_by_wording is None else self.outcome_by_wording.text


@dataclass(frozen=True)
class Reading:
    """How every line of a response was read, for ``fosi inspect``: each line's location and
    text, its role (title, header, row, total, group, not read, prose, ...; "" for a line
    with nothing to say), and the role of every number outside the tables
    (fosi.readers.layout.accounting.NumberRole)."""

    lines: tuple[tuple[str, str], ...]
    roles: tuple[str, ...]
    numbers: tuple[Any, ...]


@dataclass(frozen=True)
class Response:
    """One response file, read.

    ``kind`` says what the response is: "table" when figures were found, otherwise a
    plain statement such as "refusal: section 12 cost limit" or "no table found".
    ``records`` are its figures as dicts (fast to check); ``figures`` is the same as a
    typed DataFrame, built on first use.
    """

    source: str
    reader: str
    kind: str
    metadata: Metadata
    records: tuple[dict, ...]
    tables: tuple[TableInfo, ...] = ()
    notes: tuple[Located, ...] = field(default=())  # the response's own prose: caveats, notes
    findings: tuple[Any, ...] = ()  # what the reader itself noticed (fosi.checks.validate.Finding)
    sidecar: dict[str, Any] = field(default_factory=dict)  # what the NAME.yml beside it states
    sha256: str = ""
    unread_numbers: int = 0  # plausible counts printed but not read (each reported by a finding)
    # What the reply says in its own words, never in the request it quotes (fosi.readers.layout.reply):
    sections: tuple[str, ...] = ()  # the refusal sections it relies on: ("s31", "s40")
    statement: str = ""  # "not held", "clarification" (a question back), or ""
    reading: Reading | None = field(default=None, compare=False, repr=False)  # kept only for fosi inspect

    @cached_property
    def figures(self) -> pd.DataFrame:
        from fosi.model.figures import (
            figures_frame,  # pandas only when a table is wanted
        )

        return figures_frame(self.records)

    @property
    def is_refusal(self) -> bool:
        return self.kind.startswith("refusal")
