"""Round trip: a random logical table, printed in each text layout of issue 11, reads back exactly.

For every layout the property is: the records fosi reads equal the table's figures exactly
(row_label, column_label, column_group, row_group, count, marker, kind, labels as printed),
or a 'table-not-read' finding says the table could not be read and every record produced is
one of the table's figures; and every record's line is a line where its value is printed.
Never a different number, never a number at another label. See tests/tablegen.py for the
tables and layouts, and benchmarks/coverage.py for the same measured over many tables.
"""

from __future__ import annotations

import random

import pytest
import tablegen
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tablegen import LAYOUTS, read_and_judge, renderings

# Layouts today's reader does not yet read in every case: between 1 table in 30 and 1 in 900 of
# these still comes back with a figure at a wrong label, or a table left out with only a warning
# (benchmarks/coverage.py counts them). Each is a strict expected failure: a fixed draw of tables
# meets one it reads wrongly, and once the reader reads them all the test fails as XPASS, asking
# for the layout's entry to be removed; its random round trip then has to pass. (two_level_tab left
# the list when 2,100 tables over five seeds all read back exactly.)
NOT_YET_READ: dict[str, str] = {
    "tab": "a row of blank cells under a merged group column or group headings taken for a heading",
    "aligned": "a dash marker in a column of values read as a blank; a column of periods after the labels",
    "single_space": "rows whose blank cells were lost placed wrongly; a corner of several words split wrongly",
    "web_cells": "a merged group column or a |---| rule that counts fewer columns: rows cut at the wrong width",
    "cell_lines": "an empty cell, or title lines, cutting the stream at the wrong width",
    "cell_paragraphs": "an empty paragraph (a blank cell or a break) cutting the stream at the wrong width",
    "markdown": "a merged group column whose Total row leaves the group cell empty: rows cut wrongly",
    "flattened": "a title above the line taken as its header; a one-row table left with only a warning",
    "list": "a hard-wrapped note after the list read as an item",
    "broken_header": "a header line of a single name, or blank cells, joined to the wrong column",
    "two_level_aligned": "rows with blank cells placed under the wrong column; a Total named only above joined to a group",
    "two_level_single": "rows whose blank cells were lost placed under the wrong spanning name",
    "csv": "a row of blank cells between period rows read as part of the next row",
}
assert set(NOT_YET_READ) <= set(LAYOUTS), "NOT_YET_READ names a layout tablegen does not draw"

EXAMPLES = 60  # per layout: about 7 s for all 14 layouts when every one is read (one core)


def _layout_params():
    for name in LAYOUTS:
        marks = [pytest.mark.xfail(strict=True, reason=f"layout not yet read ({NOT_YET_READ[name]})")] \
            if name in NOT_YET_READ else []
        yield pytest.param(name, marks=marks, id=name)


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("roundtrip")


# A layout not yet read is read from the same seeded tables on every run (the generator
# benchmarks/coverage.py uses) until the first one it gets wrong: its known faults come once in 30
# to 900 tables, so within this many.
TABLES_NOT_YET_READ = 2000


def _settings():
    # A failure shrinks to the smallest table that shows it.
    return settings(max_examples=EXAMPLES, deadline=None, print_blob=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@pytest.mark.parametrize("layout", list(_layout_params()))
def test_round_trip_is_exact_or_refused(layout, folder):
    if layout in NOT_YET_READ:
        # Strict: the same tables every run, stopping at the first one read wrongly.
        rng = random.Random(f"roundtrip-{layout}")
        for index in range(TABLES_NOT_YET_READ):
            rendering = tablegen.random_rendering(rng, layout)
            verdict = read_and_judge(rendering, folder, layout)
            assert verdict.passes, f"table {index}\n" + verdict.explain(rendering)
        return

    @_settings()
    @given(st.data())
    def round_trip(data):
        rendering = data.draw(renderings(layout), label="rendering")
        verdict = read_and_judge(rendering, folder, layout)
        assert verdict.passes, "\n" + verdict.explain(rendering)

    round_trip()


# --- the generator itself: what the round trip expects must be what the text prints ------------

@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_every_expected_figure_is_printed_on_its_line(layout):
    rng = random.Random(f"printed-{layout}")
    for _ in range(30):
        rendering = tablegen.random_rendering(rng, layout)
        lines = rendering.text.split("\n")
        keys = [(f.row_label, f.row_group, f.column_label, f.column_group) for f in rendering.figures]
        assert len(keys) == len(set(keys)), rendering.numbered()  # one figure per cell
        for figure, line in rendering.figures.items():
            printed = rendering.printed[figure]
            assert (figure.count is None) == (figure.marker is not None)
            if figure.count is not None:
                assert int(printed.replace(",", "")) == figure.count
            if printed:
                assert printed in tablegen.tokens_of(lines[line - 1], rendering.suffix == ".csv"), (
                    f"{figure} not on line {line}\n{rendering.numbered()}")
            if figure.column_label is not None:  # its labels are printed too (a broken header on two lines)
                words = figure.column_label.split()
                assert all(word in rendering.text for word in words)
            assert figure.row_label in rendering.text


def _sum_consistent(table: tablegen.LogicalTable) -> None:
    """Totals equal the sum of their parts where every part is a number, and are at least the
    visible sum where a marker hides a part."""
    body = [r for r in table.rows if not r.total]
    figure_columns = [k for k, c in enumerate(table.columns) if not c.total]
    for row in table.rows:
        if any(c.total for c in table.columns):
            parts = [row.cells[k] for k in figure_columns]
            visible = sum(c.count for c in parts if c.count is not None)
            total = row.cells[-1].count
            assert total == visible if all(c.count is not None for c in parts) else total >= visible
    for total_row in (r for r in table.rows if r.total):
        for k in range(len(table.columns)):
            parts = [r.cells[k] for r in body]
            visible = sum(c.count for c in parts if c.count is not None)
            total = total_row.cells[k].count
            assert total == visible if all(c.count is not None for c in parts) else total >= visible


def test_generated_totals_are_consistent():
    rng = random.Random("totals")
    chooser = tablegen.RandomChooser(rng)
    for layout in LAYOUTS.values():
        for _ in range(40):
            _sum_consistent(tablegen.logical_table(chooser, layout.options))
