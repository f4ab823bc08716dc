"""Properties of the checks on generated tables: consistent tables with suppression raise no
false error; a single corrupted cell is found, at the line it is printed on."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from fosi.checks.validate import validate
from fosi.readers.formats.text import read_text

OFFENCES = ["Possession of indecent images", "Taking indecent images", "Making indecent images",
            "Distributing indecent images", "Showing indecent images", "Publishing indecent images"]
HEADER_LINES = 4  # force, period, blank, header: the first row is on line 5


@st.composite
def tables(draw):
    """A grid of offences x years with a Total column and a Total row; some small cells suppressed."""
    rows = draw(st.integers(2, len(OFFENCES)))
    years = draw(st.integers(1, 3))
    counts = [[draw(st.integers(0, 60)) for _ in range(years)] for _ in range(rows)]
    marks = [[None] * years for _ in range(rows)]
    for r in range(rows):
        for c in range(years):
            if 1 <= counts[r][c] <= 4 and draw(st.booleans()):
                marks[r][c] = draw(st.sampled_from(["<5", "*"]))
    return counts, marks


def render(counts, marks, corrupt=None) -> str:
    rows, years = len(counts), len(counts[0])
    lines = ["Kent Police", "Crimes recorded 1 January 2019 to 31 December 2021", "",
             "\t".join(["Offence", *[str(2019 + y) for y in range(years)], "Total"])]
    grid = [[counts[r][c] for c in range(years)] + [sum(counts[r])] for r in range(rows)]
    grid.append([sum(counts[r][c] for r in range(rows)) for c in range(years)] + [sum(map(sum, counts))])
    if corrupt:
        r, c, delta = corrupt
        grid[r][c] += delta
    for r, values in enumerate(grid):
        label = OFFENCES[r] if r < rows else "Total"
        cells = [marks[r][c] if r < rows and c < years and marks[r][c] else str(v) for c, v in enumerate(values)]
        lines.append("\t".join([label, *cells]))
    return "\n".join(lines) + "\n"


@settings(max_examples=200, deadline=dt.timedelta(seconds=1))
@given(tables())
def test_consistent_tables_with_suppression_raise_no_error(table):
    counts, marks = table
    findings = validate(read_text(render(counts, marks), "generated.txt"))
    assert [f for f in findings if f.severity == "error"] == []


@st.composite
def corrupted(draw):
    counts, marks = draw(tables())
    rows, years = len(counts), len(counts[0])
    # A cell in a row with no suppressed cell (the Total row never has one): its row check is exact.
    clean_rows = [r for r in range(rows) if not any(marks[r])] + [rows]
    r = draw(st.sampled_from(clean_rows))
    c = draw(st.integers(0, years))
    delta = draw(st.integers(-5, 5).filter(lambda d: d != 0))
    return counts, marks, (r, c, delta)


@settings(max_examples=200, deadline=dt.timedelta(seconds=1))
@given(corrupted())
def test_a_corrupted_cell_is_found_at_its_line(case):
    counts, marks, corruption = case
    findings = validate(read_text(render(counts, marks, corruption), "generated.txt"))
    line = HEADER_LINES + 1 + corruption[0]
    assert any(f.severity == "error" and f.line == line for f in findings), (corruption, findings)
