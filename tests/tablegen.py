"""Random logical tables of the kind police FOI responses print, and their renderings as text.

A *logical table* is what a response means: row labels (optionally in merged groups), one or
two levels of column headers, counts or markers in every cell, and optional Total rows and
columns whose sums are consistent with the cells (a suppressed cell stands for a small
positive number, so a total is the visible parts plus something consistent). A *rendering*
prints it in one of the text layouts of GUIDE §3 and issue 11 and says exactly which figures a
reader must recover: (row_label, column_label, column_group, row_group, count, marker, kind),
labels as printed.

The same code draws from hypothesis (``renderings(layout)``, so failures shrink) and from a
seeded ``random.Random`` (``random_rendering``, for benchmarks/coverage.py). Labels come from
vocabularies of real police tables.
"""

from __future__ import annotations

import csv
import io
import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple, TypeVar

T = TypeVar("T")


# --- choosing: one interface over random.Random and hypothesis ---------------------------------

class Chooser:
    """Every random choice the generator makes goes through here."""

    def pick(self, options: Sequence[T]) -> T:
        raise NotImplementedError

    def integer(self, low: int, high: int) -> int:
        raise NotImplementedError

    def chance(self, p: float) -> bool:
        raise NotImplementedError

    def sample(self, options: Sequence[T], k: int) -> list[T]:
        """k distinct options, in the order drawn."""
        pool = list(options)
        chosen = []
        for _ in range(min(k, len(pool))):
            chosen.append(pool.pop(self.integer(0, len(pool) - 1)))
        return chosen


class RandomChooser(Chooser):
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def pick(self, options: Sequence[T]) -> T:
        return options[self.rng.randrange(len(options))]

    def integer(self, low: int, high: int) -> int:
        return self.rng.randint(low, high)

    def chance(self, p: float) -> bool:
        return self.rng.random() < p


class HypothesisChooser(Chooser):
    """Draws through hypothesis, so a failing example shrinks: options shrink to the first,
    integers to the low end, chances to False (the plainer table)."""

    def __init__(self, draw: Callable) -> None:
        from hypothesis import strategies as st

        self.draw, self.st = draw, st

    def pick(self, options: Sequence[T]) -> T:
        return self.draw(self.st.sampled_from(list(options)))

    def integer(self, low: int, high: int) -> int:
        return self.draw(self.st.integers(low, high))

    def chance(self, p: float) -> bool:
        return self.draw(self.st.integers(0, 999)) >= 1000 - round(p * 1000)


# --- vocabularies from real police tables ------------------------------------------------------

OFFENCES = [
    "Possession of indecent images", "Child-Distribute Indecent Photo", "Child - Having Indecent Photo Of",
    "Child-Make Indecent Photo/Pseudo Photo Of Child", "Child-Possess Indecent Photo For Distribution",
    "Child-Show Indecent Photo", "Child-Taking Indecent Photo", "Child-Distribute Indecent Photo",
    "Harassment-Disclose Private Sexual Photographs", "86/2 Possession", "86/2 Take/make/distribute",
    "86/10 Possession of indecent photograph of a child", "86/15 Possession of prohibited images",
    "8/71 Disclosing private sexual images", "Taking, making or distributing", "Sexual communication with a child",
    "Causing a child to watch a sexual act", "Voyeurism", "Possession of extreme pornographic images",
    "Publish indecent photograph", "Other indecent image offences",
]
OUTCOME_WORDING = [
    "Charge/summons", "Caution - youths", "Caution - adults", "Community resolution",
    "Further investigation not in public interest", "Evidential difficulties - victim does not support",
    "Investigation complete - no suspect identified", "Action undertaken by another body/agency",
    "Diversionary, educational or intervention activity", "Taken into consideration", "Penalty notice for disorder",
]
AGE_BANDS = [
    ["Under 10", "10-13", "14-15", "16-17", "18-24", "25-34", "35-44", "45+"],
    ["Under 18", "18 and over", "Unknown"],
    ["Aged 10 to 17", "Aged 18 to 24", "Aged 25 to 39", "Aged 40 to 59", "Aged 60 and over"],
    ["10 to 13", "14 to 17", "18 to 20", "21 and over"],
    ["0-9", "10-15", "16-17", "18+"],
]
SEXES = ["Female", "Male", "Unknown/Other", "Not recorded"]
AREAS = ["North Area", "South Area", "East Division", "West Division", "Central", "Force HQ", "Unknown",
         "Dacorum", "St Albans", "North Herts"]
MEASURES = ["Arrests", "Charged", "Cautioned", "Recorded crimes", "Suspects", "Voluntary interviews",
            "Community resolution", "Further investigation"]
OUTCOME_COLUMNS = [["Outcome 1", "Outcome 2", "Outcome 3", "Outcome 8", "Outcome 10", "Outcome 21", "Outcome 22"],
                   ["OC1", "OC2", "OC3", "OC8", "OC21"],
                   ["Charged", "Caution", "Community resolution", "Outcome 21", "No further action"]]
SINGLE_COLUMNS = ["Total", "Crimes", "Number of crimes", "Offences", "Arrests", "Count", "Number", "Recorded crimes",
                  "Number of offences"]
MONTH_ABBR = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

ROW_HEADERS = {
    "offence": ["Offence", "Crime type", "Offence description", "Crime Class", "Offence type", "Offence Title"],
    "outcome": ["Crime outcome", "Outcome", "Outcome type", "Outcome description"],
    "year": ["Year", "Calendar year", "Period"],
    "financial_year": ["Financial year", "Year", "FY"],
    "age": ["Age band", "Age", "Age of suspect", "Age group", "Age at offence"],
    "sex": ["Sex", "Gender", "Sex of suspect"],
    "month": ["Month", "Month recorded"],
    "quarter": ["Quarter", "Period"],
    "area": ["Area", "District", "Local policing area", "Division"],
}
TOTAL_ROW_LABELS = ["Total", "Grand Total", "Totals", "Total crimes", "Sum:", "TOTAL", "All crimes"]
TOTAL_COLUMN_LABELS = ["Total", "Grand Total", "Totals", "Total crimes"]

TITLES = [
    "Crimes recorded by offence", "Arrests by age band", "Indecent images of children offences by outcome",
    "Number of crimes recorded", "Total Crimes concerning Indecent Photos of Children", "Table 1: Recorded crimes",
    "Question 2", "Suspects by sex and outcome", "Crimes recorded, financial years 2017/18 to 2019/20",
    "Offences where the suspect was under 18", "Response to question 3",
]
OUTCOME_TITLES = [
    "Total Crimes concerning Indecent Photos of Children - Outcome 21",
    "Outcome 21 - Further investigation not in the public interest",
    "Crimes closed as Outcome 21", "Outcome 10 - Prosecution not in the Public Interest - Police decision",
    "Further investigation not in the public interest (Outcome 21) by year",
]
PROSE_BEFORE = [
    "Please see the table below, which shows the information you requested.",
    "We consulted our Business Intelligence Analysts, who provided the following information for "
    "1 April 2019 to 31 March 2022.",
    "Your request has been handled under the Freedom of Information Act 2000. The information is below.",
    "Crimes are counted by the date they were recorded, between 1 January 2019 and 31 December 2021, "
    "and were not subsequently cancelled.",
    "Thank you for your request for information (reference FOI 2022/0456), which we received on 4 May 2022.",
]
PROSE_AFTER = [
    "Figures below 5 have been suppressed to protect the identity of individuals and are shown as <5.",
    "Please note that the data are taken from a live crime recording system and may change.",
    "If you are unhappy with the way your request has been handled, you may ask for an internal review "
    "within 40 working days.",
    "The figures relate to the offence codes 86/2 and 86/10 recorded on our systems.",
    "Where a cell is marked with an asterisk, the number has been withheld under section 40(2) of the Act.",
]
LETTERHEADS = ["Kent Police", "Freedom of Information request 2023/1234", "Hertfordshire Constabulary",
               "Our reference: FOI 000123/22", "West Yorkshire Police"]
GROUP_HEADERS = ["Offence", "Crime type", "Offence description"]


def _months(chooser: Chooser, count: int) -> list[str]:
    start, year = chooser.integer(0, 11), chooser.integer(16, 23)
    style = chooser.pick(["abbr-yy", "abbr yyyy", "full yyyy"])
    labels = []
    for k in range(count):
        month, yy = (start + k) % 12, year + (start + k) // 12
        if style == "abbr-yy":
            labels.append(f"{MONTH_ABBR[month]}-{yy:02d}")
        elif style == "abbr yyyy":
            labels.append(f"{MONTH_ABBR[month]} 20{yy:02d}")
        else:
            labels.append(["January", "February", "March", "April", "May", "June", "July", "August", "September",
                           "October", "November", "December"][month] + f" 20{yy:02d}")
    return labels


def _years(chooser: Chooser, count: int) -> list[str]:
    start = chooser.integer(2014, 2024 - count)
    return [str(start + k) for k in range(count)]


def _financial_years(chooser: Chooser, count: int) -> list[str]:
    start = chooser.integer(2014, 2024 - count)
    style = chooser.pick(["{a}/{b:02d}", "{a}-{b:02d}", "{a}/{c}", "FY {a}/{b:02d}"])
    return [style.format(a=start + k, b=(start + k + 1) % 100, c=start + k + 1) for k in range(count)]


def _quarters(chooser: Chooser, count: int) -> list[str]:
    quarter, year = chooser.integer(0, 3), chooser.integer(2019, 2023)
    return [f"Q{(quarter + k) % 4 + 1} {year + (quarter + k) // 4}" for k in range(count)]


def dimension_labels(chooser: Chooser, dimension: str, count: int) -> list[str]:
    """``count`` distinct labels of one dimension, in a realistic order."""
    if dimension == "offence":
        return chooser.sample(list(dict.fromkeys(OFFENCES)), count)
    if dimension == "outcome":
        return chooser.sample(OUTCOME_WORDING, count)
    if dimension == "year":
        return _years(chooser, count)
    if dimension == "financial_year":
        return _financial_years(chooser, count)
    if dimension == "age":
        bands = [b for b in AGE_BANDS if len(b) >= count]
        band = chooser.pick(bands)
        first = chooser.integer(0, len(band) - count)
        return band[first:first + count]
    if dimension == "sex":
        return SEXES[:count]
    if dimension == "month":
        return _months(chooser, count)
    if dimension == "quarter":
        return _quarters(chooser, count)
    if dimension == "area":
        return chooser.sample(AREAS, count)
    if dimension == "measure":
        return chooser.sample(MEASURES, count)
    if dimension == "outcome_column":
        return chooser.sample(chooser.pick(OUTCOME_COLUMNS), count)
    raise ValueError(dimension)


DIMENSION_SIZES = {"sex": 4, "age": 8, "outcome": len(OUTCOME_WORDING), "offence": 14, "year": 8,
                   "financial_year": 8, "month": 12, "quarter": 8, "area": len(AREAS), "measure": len(MEASURES),
                   "outcome_column": 5}


# --- the logical table -------------------------------------------------------------------------

@dataclass(frozen=True)
class Cell:
    count: int | None  # the number, when printed as one
    marker: str | None  # the printed text when not a plain number ("*", "<5", "-", "n/a", "[c]", "")
    printed: str  # as printed: "1,234", "<5", ""


@dataclass(frozen=True)
class Column:
    label: str
    group: str | None  # the spanning header over it (two-level tables), else None
    total: bool


@dataclass(frozen=True)
class Row:
    label: str
    group: str | None  # the merged label printed once above its rows, else None
    total: bool
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class LogicalTable:
    title: str | None
    row_header: str | None  # the corner cell naming the row dimension; None when not printed
    group_header: str | None  # names the row groups ("Offence"), when rows are grouped
    column_groups: tuple[str, ...]  # spanning headers in order; () for one header level
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]

    @property
    def levels(self) -> int:
        return 2 if self.column_groups else 1


class Figure(NamedTuple):
    row_label: str
    column_label: str | None
    column_group: str | None
    row_group: str | None
    count: int | None
    marker: str | None
    kind: str  # "figure" | "total"


@dataclass(frozen=True)
class Options:
    """What a layout can print: the generator draws only tables the layout can carry."""

    levels: tuple[int, ...] = (1,)  # allowed header levels
    max_columns: int = 5  # value columns at one level (groups x sub-columns at two)
    single_column: bool = False  # exactly one value column, no column header
    row_groups: bool = True
    column_dimensions: tuple[str, ...] = ("year", "financial_year", "outcome_column", "sex", "age", "measure", "month",
                                          "quarter", "single")
    markers: tuple[str, ...] = ("*", "<5", "-", "n/a", "[c]", "")


def _print_count(value: int, commas: bool) -> str:
    return f"{value:,}" if commas else str(value)


def _cells(chooser: Chooser, count: int, scale: int, style: dict) -> tuple[list[Cell], list[int]]:
    """``count`` cells and the true values behind them (a suppressed cell is 1 to 4)."""
    cells, values = [], []
    for _ in range(count):
        roll = chooser.integer(0, 99)
        if roll < style["zero_rate"]:
            value = 0
        elif roll < style["zero_rate"] + style["small_rate"]:
            value = chooser.integer(1, 4)
        else:
            value = chooser.integer(0, scale)
        printed = _print_count(value, style["commas"])
        cell = Cell(value, None, printed)
        if value == 0 and style["zero_marker"] is not None and chooser.chance(0.7):
            cell = Cell(None, style["zero_marker"], style["zero_marker"])
        elif 1 <= value <= 4 and style["suppress"] is not None:
            cell = Cell(None, style["suppress"], style["suppress"])
        elif style["blank"] and chooser.chance(0.15):
            cell = Cell(None, "", "")
            value = 0 if chooser.chance(0.5) else value  # a blank may hide anything; the total says what
        cells.append(cell)
        values.append(value)
    return cells, values


def _total_cell(value: int, commas: bool) -> Cell:
    return Cell(value, None, _print_count(value, commas))


# Dimensions that cannot be both the rows and the columns of one table.
_CLASHES = {"year": "period", "financial_year": "period", "month": "period", "quarter": "period",
            "outcome": "outcome", "outcome_column": "outcome", "measure": "outcome"}


def logical_table(chooser: Chooser, options: Options = Options()) -> LogicalTable:
    levels = chooser.pick(options.levels)
    # Columns.
    groups: list[str] = []
    if options.single_column:
        used = ["single"]
        subs = [chooser.pick(SINGLE_COLUMNS)]
    elif levels == 2:
        group_dimension = chooser.pick(["outcome_column", "financial_year", "year"])
        # Outcomes over sexes or age bands; years over those or over measures ("Arrests", "Charged").
        sub_dimension = chooser.pick(["sex", "age"] if group_dimension == "outcome_column"
                                     else ["sex", "age", "measure"])
        group_count = chooser.integer(2, 3)
        sub_count = chooser.integer(2, max(2, min(3, options.max_columns // group_count)))
        groups = dimension_labels(chooser, group_dimension, group_count)
        subs = dimension_labels(chooser, sub_dimension, sub_count)
        used = [group_dimension, sub_dimension]
    else:
        dimension = chooser.pick(options.column_dimensions)
        used = [dimension]
        if dimension == "single":
            subs = [chooser.pick(SINGLE_COLUMNS)]
        else:
            subs = dimension_labels(chooser, dimension,
                                    chooser.integer(2, min(options.max_columns, DIMENSION_SIZES[dimension])))
    columns = [Column(label, group, False) for group in (groups or [None]) for label in subs]
    total_column = len(columns) >= 2 and chooser.chance(0.35)
    if total_column:
        columns.append(Column(chooser.pick(TOTAL_COLUMN_LABELS), None, True))

    # Rows: a dimension other than the columns', maybe grouped under offences.
    clashes = {_CLASHES.get(d, d) for d in used}
    row_dimensions = [d for d in ("offence", "outcome", "year", "financial_year", "age", "sex", "month", "quarter",
                                  "area") if d not in used and _CLASHES.get(d, d) not in clashes]
    row_dimension = chooser.pick(row_dimensions)
    grouped = (options.row_groups and levels == 1 and row_dimension in ("age", "sex", "year", "financial_year")
               and chooser.chance(0.25))
    if grouped:
        group_labels = dimension_labels(chooser, "offence", chooser.integer(2, 3))
        per_group = dimension_labels(chooser, row_dimension, chooser.integer(1, min(3, DIMENSION_SIZES[row_dimension])))
        row_keys = [(label, group) for group in group_labels for label in per_group]
    else:
        count = chooser.integer(1, min(8, DIMENSION_SIZES[row_dimension]))
        row_keys = [(label, None) for label in dimension_labels(chooser, row_dimension, count)]

    # Values: a scale per table, markers per table.
    scale = chooser.pick([60, 60, 900, 900, 60000])
    markers = options.markers
    suppress_choices = [m for m in ("*", "<5", "[c]") if m in markers]
    zero_choices = [m for m in ("-", "n/a") if m in markers]
    style = {
        "zero_rate": chooser.integer(0, 25),
        "small_rate": chooser.integer(0, 25),
        "commas": scale > 900 and chooser.chance(0.6),
        "suppress": chooser.pick(suppress_choices) if suppress_choices and chooser.chance(0.4) else None,
        "zero_marker": chooser.pick(zero_choices) if zero_choices and chooser.chance(0.25) else None,
        "blank": "" in markers and chooser.chance(0.12),
    }
    figure_columns = [c for c in columns if not c.total]
    rows, values = [], []
    for label, group in row_keys:
        cells, truth = _cells(chooser, len(figure_columns), scale, style)
        if total_column:
            cells.append(_total_cell(sum(truth), style["commas"]))
        rows.append(Row(label, group, False, tuple(cells)))
        values.append(truth)
    if chooser.chance(0.5):
        sums = [sum(v[k] for v in values) for k in range(len(figure_columns))]
        cells = [_total_cell(s, style["commas"]) for s in sums]
        if total_column:
            cells.append(_total_cell(sum(sums), style["commas"]))
        rows.append(Row(chooser.pick(TOTAL_ROW_LABELS), None, True, tuple(cells)))

    if chooser.chance(0.3):
        title = chooser.pick(OUTCOME_TITLES)
    elif chooser.chance(0.6):
        title = chooser.pick(TITLES)
    else:
        title = None
    # A one-column table always names its rows: without a corner cell its header would be one short
    # line over the rows, a title as much as a column name, and no reader could tell which.
    row_header = (chooser.pick(ROW_HEADERS[row_dimension]) if len(columns) == 1 or chooser.chance(0.8)
                  else None)
    return LogicalTable(
        title=title, row_header=row_header, group_header=chooser.pick(GROUP_HEADERS) if grouped else None,
        column_groups=tuple(groups), columns=tuple(columns), rows=tuple(rows))


# --- renderings --------------------------------------------------------------------------------

@dataclass
class Rendering:
    layout: str
    variant: str  # the layout's options drawn for this rendering, for the printout
    text: str
    suffix: str  # ".txt" or ".csv"
    # Every expected figure -> the 1-based line where it is printed, and its cell as printed ("1,234", "<5", "").
    figures: dict[Figure, int] = field(repr=False)
    printed: dict[Figure, str] = field(repr=False)
    lost: str | None = None  # information the layout could not print (a reader can only refuse)
    only_table: bool = True  # no title, prose or other text outside the table

    @property
    def expected(self) -> set[Figure]:
        return set(self.figures)

    def numbered(self) -> str:
        return "\n".join(f"{n:4d} | {line}" for n, line in enumerate(self.text.split("\n"), start=1))


@dataclass
class _Page:
    """Lines of a rendering being written, and the line each figure lands on."""

    lines: list[str] = field(default_factory=list)
    figures: dict[Figure, int] = field(default_factory=dict)

    def add(self, text: str, figures: Sequence[Figure] = ()) -> int:
        self.lines.append(text)
        for figure in figures:
            self.figures[figure] = len(self.lines)
        return len(self.lines)

    def blank(self) -> None:
        self.lines.append("")


def figure_of(table: LogicalTable, row: Row, index: int, headed: bool = True) -> Figure:
    column = table.columns[index]
    cell = row.cells[index]
    return Figure(row.label, column.label if headed else None, column.group if headed else None, row.group,
                  cell.count, cell.marker, "total" if row.total or column.total else "figure")


def row_figures(table: LogicalTable, row: Row, headed: bool = True) -> list[Figure]:
    return [figure_of(table, row, k, headed) for k in range(len(row.cells))]


def _wrap(text: str, width: int) -> list[str]:
    lines, current = [], ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    return lines + ([current] if current else [])


def _prose(chooser: Chooser, options: Sequence[str]) -> list[str]:
    text = chooser.pick(options)
    if chooser.chance(0.25):  # a hard-wrapped letter
        return _wrap(text, chooser.integer(50, 80))
    return [text]


@dataclass
class _Frame:
    before: list[list[str]]  # paragraphs before the title
    title: list[str]
    gap_after_title: bool
    after: list[list[str]]


def _frame(chooser: Chooser, table: LogicalTable) -> _Frame:
    before = []
    if chooser.chance(0.3):
        before.append([chooser.pick(LETTERHEADS)])
    if chooser.chance(0.6):
        before.append(_prose(chooser, PROSE_BEFORE))
    after = [_prose(chooser, PROSE_AFTER)] if chooser.chance(0.5) else []
    return _Frame(before, [table.title] if table.title else [], chooser.chance(0.7), after)


def _compose(chooser: Chooser, table: LogicalTable, layout: str, variant: str, body: Callable[[_Page], None],
             suffix: str = ".txt", lost: str | None = None, frame: _Frame | None = None) -> Rendering:
    frame = frame or _frame(chooser, table)
    page = _Page()
    for paragraph in frame.before:
        for line in paragraph:
            page.add(line)
        page.blank()
    for line in frame.title:
        page.add(line)
    if frame.title and frame.gap_after_title:
        page.blank()
    body(page)
    for paragraph in frame.after:
        page.blank()
        for line in paragraph:
            page.add(line)
    text = "\n".join(page.lines) + "\n"
    printed = {figure_of(table, row, k, headed): row.cells[k].printed
               for row in table.rows for k in range(len(row.cells)) for headed in (True, False)}
    return Rendering(layout, variant, text, suffix, page.figures, {f: printed[f] for f in page.figures}, lost,
                     only_table=not (frame.before or frame.title or frame.after))


def _header_names(table: LogicalTable) -> list[str]:
    return [c.label for c in table.columns]


def _row_cells_printed(row: Row) -> list[str]:
    return [c.printed for c in row.cells]


def _lost_blanks(table: LogicalTable) -> str | None:
    if any(c.marker == "" for r in table.rows for c in r.cells):
        return "blank cells are not printed in this layout"
    return None


# (a) tab-separated, (j) two-level tab -------------------------------------------------------

def _grid_lines(table: LogicalTable, corner_style: str, group_style: str) -> list[tuple[list[str], list[Figure], str]]:
    """The table as rows of cells (header rows first), each with the figures printed in it and
    its role: 'header', 'row' or 'heading' (a row group's label on its own line)."""
    out: list[tuple[list[str], list[Figure], str]] = []
    corner = table.row_header or ""
    lead: list[str] = []
    if group_style == "column":
        lead = [table.group_header or ""]
    if table.levels == 2:
        top = [""] * len(lead) + ([] if corner_style == "missing" else [""]) + _spanning_names(table, True)
        out.append((top, [], "header"))
        sub = lead + ([] if corner_style == "missing" else [corner if corner_style == "named" else ""])
        sub += ["" if c.total else c.label for c in table.columns]
        out.append((sub, [], "header"))
    else:
        header = lead + ([] if corner_style == "missing" else [corner if corner_style == "named" else ""])
        out.append((header + _header_names(table), [], "header"))
    previous_group = None
    for row in table.rows:
        figures = row_figures(table, row)
        if group_style == "column":
            if row.total:
                out.append(([row.label, "", *_row_cells_printed(row)], figures, "row"))
            else:
                shown = row.group if row.group != previous_group else ""
                previous_group = row.group
                out.append(([shown, row.label, *_row_cells_printed(row)], figures, "row"))
            continue
        if group_style == "heading" and row.group is not None and row.group != previous_group:
            previous_group = row.group
            out.append(([row.group], [], "heading"))
        out.append(([row.label, *_row_cells_printed(row)], figures, "row"))
    return out


def _corner_style(chooser: Chooser, table: LogicalTable, allow_missing: bool = True) -> str:
    if table.row_header is not None:
        return "named"
    return chooser.pick(["empty", "missing"] if allow_missing else ["empty"])


def _group_style(chooser: Chooser, table: LogicalTable, styles: Sequence[str]) -> str:
    if table.group_header is None:
        return "none"
    return chooser.pick(list(styles))


def render_tab(chooser: Chooser, table: LogicalTable, layout: str = "tab") -> Rendering:
    group_style = _group_style(chooser, table, ["column", "heading", "heading-tabs"])
    corner = _corner_style(chooser, table, allow_missing=group_style != "column")
    width = len(table.columns) + 1
    trailing_tab = chooser.chance(0.15)

    def body(page: _Page) -> None:
        for cells, figures, role in _grid_lines(table, corner, group_style.split("-")[0]):
            if role == "heading" and group_style == "heading-tabs":
                cells = cells + [""] * (width - 1)  # a spreadsheet copy: the group's row, its cells empty
            page.add("\t".join(cells) + ("\t" if trailing_tab else ""), figures)

    return _compose(chooser, table, layout, f"corner={corner} groups={group_style} trailing_tab={trailing_tab}", body)


# (b) runs of spaces, aligned; (i) headers over two lines; (j) two-level aligned --------------

def _split_header(label: str) -> tuple[str, str] | None:
    """'Number of crimes' -> ('Number of', 'crimes'): two lines at the most even word boundary,
    each part holding a letter (a lone number under a word would read as a row of values)."""
    words = label.split(" ")
    if len(words) < 2:
        return None
    best = None
    for k in range(1, len(words)):
        top, bottom = " ".join(words[:k]), " ".join(words[k:])
        if not any(ch.isalpha() for ch in top) or not any(ch.isalpha() for ch in bottom):
            continue
        score = abs(len(top) - len(bottom))
        if best is None or score < best[0]:
            best = (score, top, bottom)
    return None if best is None else (best[1], best[2])


def _place(text: str, width: int, align: str) -> str:
    if align == "right":
        return text.rjust(width)
    if align == "centre":
        return text.center(width)
    return text.ljust(width)


def render_aligned(chooser: Chooser, table: LogicalTable, layout: str = "aligned", break_headers: bool = False
                   ) -> Rendering:
    group_style = _group_style(chooser, table, ["column", "heading"])
    gap = chooser.integer(2, 5)
    indent = " " * chooser.pick([0, 0, 2, 4])
    value_align = chooser.pick(["right", "right", "left"])
    header_align = chooser.pick([value_align, value_align, "centre"])
    valign = chooser.pick(["bottom", "top"])
    group_indent = " " * (2 if group_style == "heading" and chooser.chance(0.5) else 0)

    lead_columns = 2 if group_style == "column" else 1
    n = len(table.columns)
    # Header cells per column, as one or two lines (top, bottom).
    corner = table.row_header or ""
    heads: list[list[str]] = [[table.group_header or ""]] if group_style == "column" else []
    heads.append([corner])
    for column in table.columns:
        heads.append(["" if (table.levels == 2 and column.total) else column.label])
    broken_any = False
    if break_headers:
        for k, head in enumerate(heads):
            is_value_column = k >= lead_columns
            parts = _split_header(head[0])
            if parts and (chooser.chance(0.7) or (not broken_any and is_value_column)):
                heads[k] = list(parts)
                broken_any = broken_any or is_value_column
    header_lines = max(len(h) for h in heads)
    heads = [h if len(h) == header_lines else ([""] * (header_lines - len(h)) + h if valign == "bottom"
                                               else h + [""] * (header_lines - len(h))) for h in heads]
    grid = _grid_lines(table, "named", group_style if group_style != "none" else "none")
    body_rows = [(cells, figures, role) for cells, figures, role in grid if role != "header"]
    if group_indent:  # rows under a group heading are indented within the label column
        body_rows = [([group_indent + cells[0], *cells[1:]] if figures and figures[0].row_group else cells, figures,
                      role) for cells, figures, role in body_rows]
    widths = [max(len(part) for part in head) for head in heads]
    for cells, _, role in body_rows:
        if role == "heading":
            continue
        for k, cell in enumerate(cells):
            widths[k] = max(widths[k], len(cell))
    # Two-level: each spanning header is centred (or left) over its sub-columns, which widen to fit it.
    top_line = None
    if table.levels == 2:
        starts = []
        position = len(indent)
        for k, width in enumerate(widths):
            starts.append(position)
            position += width + gap
        group_align = chooser.pick(["centre", "left"])
        spans: list[tuple[int, int, str, bool]] = []
        k = lead_columns
        while k < lead_columns + n:
            column = table.columns[k - lead_columns]
            label = column.label if column.total else column.group or ""
            last = k
            while (not column.total and last + 1 < lead_columns + n
                   and table.columns[last + 1 - lead_columns].group == column.group
                   and not table.columns[last + 1 - lead_columns].total):
                last += 1
            span_width = sum(widths[k:last + 1]) + gap * (last - k)
            if len(label) > span_width:  # widen the group's last column so the label fits over it
                widths[last] += len(label) - span_width
            spans.append((k, last, label, column.total))
            k = last + 1
        starts, position = [], len(indent)
        for width in widths:
            starts.append(position)
            position += width + gap
        chars = [" "] * position
        for first, last, label, total in spans:
            span_start, span_end = starts[first], starts[last] + widths[last]
            chars[span_start:span_end] = _place(label, span_end - span_start, header_align if total else group_align)
        top_line = "".join(chars).rstrip()

    def line_of(cells: Sequence[str], header: bool) -> str:
        parts = []
        for k, cell in enumerate(cells):
            align = "left" if k < lead_columns else (header_align if header else value_align)
            parts.append(_place(cell, widths[k], align))
        return (indent + (" " * gap).join(parts)).rstrip()

    def body(page: _Page) -> None:
        if top_line is not None:
            page.add(top_line)
        for level in range(header_lines):
            page.add(line_of([h[level] for h in heads], True))
        for cells, figures, role in body_rows:
            if role == "heading":
                page.add(indent + cells[0])
            else:
                page.add(line_of(cells, False), figures)

    variant = (f"gap={gap} indent={len(indent)} values={value_align} header={header_align} groups={group_style} "
               f"header_lines={header_lines} valign={valign}")
    return _compose(chooser, table, layout, variant, body)


def _spanning_names(table: LogicalTable, cells: bool) -> list[str]:
    """A two-level header's spanning line: each group's name once (a Total column's own name over it);
    ``cells``: one cell per column, empty under a group already named."""
    top: list[str] = []
    previous = None
    for column in table.columns:
        if column.total:
            top.append(column.label)
        elif column.group != previous:
            top.append(column.group or "")
            previous = column.group
        elif cells:
            top.append("")
    return top


# (c) single spaces, (j) two-level single, (g) flattened --------------------------------------

def _single_lines(table: LogicalTable) -> list[tuple[str, list[Figure]]]:
    out = []
    if table.levels == 2:
        out.append((" ".join(_spanning_names(table, False)), []))
        subs = [c.label for c in table.columns if not c.total]
        out.append((" ".join(([table.row_header] if table.row_header else []) + subs), []))
    else:
        out.append((" ".join(([table.row_header] if table.row_header else []) + _header_names(table)), []))
    previous_group = None
    for row in table.rows:
        if row.group is not None and row.group != previous_group:
            previous_group = row.group
            out.append((row.group, []))
        printed = " ".join([row.label] + [c.printed for c in row.cells if c.printed])
        out.append((printed, row_figures(table, row)))
    return out


def render_single_space(chooser: Chooser, table: LogicalTable, layout: str = "single_space") -> Rendering:
    def body(page: _Page) -> None:
        for text, figures in _single_lines(table):
            page.add(text, figures)

    return _compose(chooser, table, layout, "single spaces", body, lost=_lost_blanks(table))


def render_flattened(chooser: Chooser, table: LogicalTable) -> Rendering:
    def body(page: _Page) -> None:
        lines = _single_lines(table)
        figures = [f for _, fs in lines for f in fs]
        page.add(" ".join(text for text, _ in lines), figures)

    return _compose(chooser, table, "flattened", "one line", body, lost=_lost_blanks(table))


# (d) web table, one cell per line ending in ' |' ----------------------------------------------

def render_web_cells(chooser: Chooser, table: LogicalTable) -> Rendering:
    group_style = "column" if table.group_header is not None else "none"
    leading_empty = chooser.chance(0.3)
    rule = chooser.pick(["none", "full", "short"])
    spacer = group_style == "column" and chooser.chance(0.3)
    grid = _grid_lines(table, "named" if table.row_header else "empty", group_style)
    width = len(grid[0][0])

    def body(page: _Page) -> None:
        previous_group = None
        for index, (cells, figures, role) in enumerate(grid):
            if spacer and role == "row" and index > 1 and cells[0] and cells[0] != previous_group:
                for _ in range(width + leading_empty):
                    page.add("|")
            if role == "row" and cells[0]:
                previous_group = cells[0]
            if leading_empty:
                page.add("|")
            value_figures = dict(zip(range(width - len(figures), width), figures))
            for k, cell in enumerate(cells):
                page.add(f"{cell} |" if cell else "|", [value_figures[k]] if k in value_figures else [])
            if index == 0 and rule != "none":
                count = width + leading_empty - (chooser.integer(1, max(1, width - 2)) if rule == "short" else 0)
                page.add("---|" * count)

    variant = f"leading_empty={leading_empty} rule={rule} groups={group_style} spacer={spacer}"
    return _compose(chooser, table, "web_cells", variant, body)


# (e) one cell per line, no pipes; one cell per paragraph --------------------------------------

def render_cell_lines(chooser: Chooser, table: LogicalTable, paragraphs: bool = False) -> Rendering:
    corner = _corner_style(chooser, table)
    grid = _grid_lines(table, corner, "none")

    def body(page: _Page) -> None:
        first = True
        for cells, figures, _ in grid:
            offset = len(cells) - len(figures)
            for k, cell in enumerate(cells):
                if paragraphs and not first:
                    page.blank()
                first = False
                if paragraphs and not cell:
                    continue  # an empty cell leaves only the paragraph break
                page.add(cell, [figures[k - offset]] if k >= offset else [])

    lost = None
    if paragraphs and (corner == "empty" or any(c.marker == "" for r in table.rows for c in r.cells)):
        lost = "empty cells are not printed one per paragraph"
    layout = "cell_paragraphs" if paragraphs else "cell_lines"
    return _compose(chooser, table, layout, f"corner={corner}", body, lost=lost)


# (f) markdown pipe table ------------------------------------------------------------------------

def render_markdown(chooser: Chooser, table: LogicalTable) -> Rendering:
    group_style = "column" if table.group_header is not None else "none"
    grid = _grid_lines(table, "named" if table.row_header else "empty", group_style)
    outer = chooser.chance(0.85)
    align = chooser.pick(["---", ":---", "---:"])

    def line_of(cells: Sequence[str]) -> str:
        inner = " | ".join(cells)
        return f"| {inner} |" if outer else inner

    def body(page: _Page) -> None:
        for index, (cells, figures, _) in enumerate(grid):
            page.add(line_of(cells), figures)
            if index == 0:
                rule = "|".join([align] * len(cells))
                page.add(f"|{rule}|" if outer else rule)

    return _compose(chooser, table, "markdown", f"outer_pipes={outer} groups={group_style}", body)


# (h) label - value lists ----------------------------------------------------------------------

def render_list(chooser: Chooser, table: LogicalTable) -> Rendering:
    separator = chooser.pick([" - ", " / ", " – ", " - "])

    def body(page: _Page) -> None:
        for row in table.rows:
            page.add(f"{row.label}{separator}{row.cells[0].printed}", row_figures(table, row, headed=False))

    return _compose(chooser, table, "list", f"separator={separator!r}", body)


# (k) CSV ----------------------------------------------------------------------------------------

def render_csv(chooser: Chooser, table: LogicalTable) -> Rendering:
    group_style = "column" if table.group_header is not None else "none"
    grid = _grid_lines(table, _corner_style(chooser, table, allow_missing=False), group_style)
    frame = _frame(chooser, table)

    def record(cells: Sequence[str]) -> str:
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="").writerow(cells)
        return buffer.getvalue()

    def body(page: _Page) -> None:
        for cells, figures, _ in grid:
            page.add(record(cells), figures)

    # A CSV export carries its title and notes as one-cell records, each on its own line.
    frame.before = [[record([" ".join(p)])] for p in frame.before]
    frame.after = [[record([" ".join(p)])] for p in frame.after]
    frame.title = [record([t]) for t in frame.title]
    return _compose(chooser, table, "csv", f"groups={group_style}", body, suffix=".csv", frame=frame)


# --- the layouts -------------------------------------------------------------------------------

WITHOUT_BLANKS = ("*", "<5", "-", "n/a", "[c]")


@dataclass(frozen=True)
class Layout:
    name: str
    family: str  # issue 11's letter for it
    description: str
    options: Options
    render: Callable[[Chooser, LogicalTable], Rendering]


LAYOUTS: dict[str, Layout] = {layout.name: layout for layout in [
    Layout("tab", "a", "tab-separated cells", Options(), render_tab),
    Layout("aligned", "b", "runs of spaces, column-aligned", Options(), render_aligned),
    Layout("single_space", "c", "single spaces between cells (web copy)", Options(), render_single_space),
    Layout("web_cells", "d", "web table, one cell per line ending in ' |'", Options(), render_web_cells),
    Layout("cell_lines", "e", "one cell per line, no pipes", Options(row_groups=False), render_cell_lines),
    Layout("cell_paragraphs", "e", "one cell per paragraph", Options(row_groups=False),
           lambda c, t: render_cell_lines(c, t, paragraphs=True)),
    Layout("markdown", "f", "markdown pipe table", Options(), render_markdown),
    Layout("flattened", "g", "the whole table on one line", Options(row_groups=False), render_flattened),
    Layout("list", "h", "'label - value' lines, one value column",
           Options(single_column=True, row_groups=False, markers=("*", "<5", "n/a", "[c]")), render_list),
    Layout("broken_header", "i", "aligned, headers broken over two lines",
           Options(column_dimensions=("measure", "outcome_column", "age", "single")),
           lambda c, t: render_aligned(c, t, "broken_header", break_headers=True)),
    Layout("two_level_tab", "j", "two header levels, tab-separated", Options(levels=(2,), max_columns=9),
           lambda c, t: render_tab(c, t, "two_level_tab")),
    Layout("two_level_aligned", "j", "two header levels, aligned", Options(levels=(2,), max_columns=9),
           lambda c, t: render_aligned(c, t, "two_level_aligned")),
    Layout("two_level_single", "j", "two header levels, single spaces", Options(levels=(2,), max_columns=9),
           lambda c, t: render_single_space(c, t, "two_level_single")),
    Layout("csv", "k", "CSV file", Options(levels=(1, 1, 1, 2), max_columns=6), render_csv),
]}


def _two_word_header(table: LogicalTable) -> bool:
    return any(_split_header(c.label) for c in table.columns)


def render(chooser: Chooser, layout_name: str) -> Rendering:
    """A random logical table rendered in the named layout."""
    layout = LAYOUTS[layout_name]
    table = logical_table(chooser, layout.options)
    if layout_name == "broken_header":
        # The layout is about a header printed over two lines: draw until a column header has two words
        # (most tables have one), else name the first column by what it counts.
        for _ in range(4):
            if _two_word_header(table):
                break
            table = logical_table(chooser, layout.options)
        if not _two_word_header(table):
            taken = {c.label for c in table.columns}
            label = chooser.pick([h for h in ("Number of crimes", "Recorded crimes", "Number of offences")
                                  if h not in taken])
            columns = (Column(label, None, False), *table.columns[1:])
            table = LogicalTable(table.title, table.row_header, table.group_header, table.column_groups, columns,
                                 table.rows)
    return layout.render(chooser, table)


def random_rendering(rng: random.Random, layout_name: str) -> Rendering:
    return render(RandomChooser(rng), layout_name)


def renderings(layout_name: str):
    """A hypothesis strategy of renderings in the named layout."""
    from hypothesis import strategies as st

    @st.composite
    def strategy(draw):
        return render(HypothesisChooser(draw), layout_name)

    return strategy()


# --- judging a reading -------------------------------------------------------------------------

REFUSAL_RULE = "table-not-read"
VERDICTS = ("exact", "refused", "wrong", "missed", "rejected", "crashed")


def record_figure(record: dict) -> Figure:
    """A figure record of fosi as the generator's tuple (column_group may not exist yet)."""
    return Figure(record["row_label"], record["column_label"], record.get("column_group"), record["row_group"],
                  record["count"], record["marker"], record["kind"])


def tokens_of(line: str, delimited: bool) -> set[str]:
    if delimited:
        return {cell.strip() for row in csv.reader([line]) for cell in row}
    return set(re.split(r"[\s|]+", line))


@dataclass
class Verdict:
    """How a reading of a rendering came out.

    exact: every expected figure and nothing else; refused: a table-not-read finding and only
    expected figures, each at a line where it is printed; wrong: a figure that is not in the
    table (a different number, an invented one, one at another label) or placed at a line where
    it is not printed; missed: figures left out with no finding to say so; rejected: the whole
    file refused (InputError); crashed: any other exception.
    """

    verdict: str
    missing: list[Figure] = field(default_factory=list)  # expected, not produced
    unexpected: list[Figure] = field(default_factory=list)  # produced, not expected (or produced twice)
    misplaced: list[tuple[Figure, int | None]] = field(default_factory=list)  # produced at a line without it
    findings: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def passes(self) -> bool:
        return self.verdict in ("exact", "refused")

    def explain(self, rendering: Rendering) -> str:
        parts = [f"layout {rendering.layout} ({rendering.variant}): {self.verdict}",
                 "text (line | content):", rendering.numbered()]
        if self.error:
            parts.append(f"error: {self.error}")
        for title, items in (("expected but not read", self.missing), ("read but not in the table", self.unexpected),
                             ("read at a line where it is not printed", self.misplaced)):
            if items:
                parts.append(f"{title} ({len(items)}):")
                parts.extend(f"  {item}" for item in sorted(items, key=repr))
        if self.findings:
            parts.append("findings:")
            parts.extend(f"  {finding}" for finding in self.findings)
        return "\n".join(parts)


def judge(rendering: Rendering, response) -> Verdict:
    """Compare what fosi read (a Response) with the rendering's figures."""
    expected = rendering.figures
    lines = rendering.text.split("\n")
    delimited = rendering.suffix == ".csv"
    # Numbers stated in sentences (kind "prose") are not a table's figures: the table is judged alone.
    records = [r for r in response.records if r["kind"] != "prose"]
    produced = [record_figure(r) for r in records]
    seen: set[Figure] = set()
    unexpected, misplaced = [], []
    for figure, record in zip(produced, records):
        if figure not in expected or figure in seen:
            unexpected.append(figure)
            continue
        seen.add(figure)
        line = record.get("line")
        printed = rendering.printed[figure]
        if printed == "":  # a blank cell is printed nowhere: it belongs to its row's (or cell's) line
            if line != expected[figure]:
                misplaced.append((figure, line))
        elif not (isinstance(line, int) and 1 <= line <= len(lines)
                  and printed in tokens_of(lines[line - 1], delimited)):
            misplaced.append((figure, line))
    findings = [f"{f.rule} ({f.severity}) line {f.line}: {f.message}" for f in response.findings]
    refused = any(f.rule == REFUSAL_RULE for f in response.findings)
    missing = [f for f in expected if f not in seen]
    if unexpected or misplaced:
        verdict = "wrong"
    elif not missing:
        verdict = "exact"
    else:
        verdict = "refused" if refused else "missed"
    return Verdict(verdict, missing, unexpected, misplaced, findings)


def read_and_judge(rendering: Rendering, folder: Path, name: str = "response") -> Verdict:
    """Write the rendering to ``folder`` and read it with fosi.readers.read_response.

    A whole-file refusal (InputError) is accepted as a refusal only where the layout lost
    information no reader could recover and nothing but the table is in the file; otherwise a
    file with a table in it must be read, with at most a per-table refusal.
    """
    from fosi.errors import InputError
    from fosi.readers import read_response

    path = folder / f"{name}{rendering.suffix}"
    path.write_text(rendering.text, encoding="utf-8")
    try:
        response = read_response(path, sidecar=None)
    except InputError as error:
        verdict = "refused" if rendering.lost and rendering.only_table else "rejected"
        return Verdict(verdict, missing=list(rendering.figures), error=str(error))
    except Exception as error:  # noqa: BLE001 - a crash is a verdict here, with its message
        return Verdict("crashed", missing=list(rendering.figures), error=f"{type(error).__name__}: {error}")
    return judge(rendering, response)
