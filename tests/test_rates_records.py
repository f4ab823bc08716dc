"""outcome_rates works on plain records rather than per-response DataFrames; these properties pin the
two places where it reproduces a library's behaviour: pandas' outer merge (order of keys, a key
printed more than once on a side) and scipy's Wilson interval (to the last bit)."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import binomtest

from fosi.analysis.rates import (
    _KEY,
    _outer_join,
    _records,
    outcome_rates,
    proportion_interval,
)
from fosi.model.figures import figures_frame

# Few labels, some missing and some differing only in case, so that keys collide, repeat and sort
# across case and <NA>.
LABELS = st.sampled_from(["a", "B", "b", "2021", None])
_VALUE_COLUMNS = ["count", "location"]


def _side(rows: list[tuple[str | None, str | None, int]]) -> pd.DataFrame:
    frame = pd.DataFrame({"source": ["reply.txt"] * len(rows), "row_label": [r[0] for r in rows],
                          "column_label": [r[1] for r in rows], "count": [r[2] for r in rows],
                          "location": [str(r[2]) for r in rows]})
    return frame.astype({"source": "string", "row_label": "string", "column_label": "string", "count": "Int64",
                         "location": "string"})


side_rows = st.lists(st.tuples(LABELS, LABELS, st.integers(0, 999)), max_size=6)


@settings(max_examples=300, deadline=None)
@given(side_rows, side_rows)
def test_the_outer_join_gives_what_pandas_merge_gives(left_rows, right_rows):
    left, right = _side(left_rows), _side(right_rows)
    expected = left.merge(right, on=_KEY, how="outer", suffixes=("_base", ""), indicator=True)
    joined = _outer_join(_records(left), _records(right), _VALUE_COLUMNS)
    assert [how for _row, how in joined] == list(expected["_merge"].astype(str))
    columns = [*_KEY, "count_base", "location_base", "count", "location"]
    assert [[row[c] for c in columns] for row, _how in joined] == [[row[c] for c in columns]
                                                                    for row in _records(expected)]


@settings(max_examples=400, deadline=None)
@given(st.integers(1, 50_000), st.floats(0, 1), st.sampled_from([0.95, 0.9, 0.99, 0.998, 0.5]))
def test_the_wilson_interval_is_scipys_to_the_last_bit(base, share, confidence):
    count = round(base * share)
    interval = binomtest(count, base).proportion_ci(confidence_level=confidence, method="wilson")
    assert proportion_interval(count, base, confidence) == (float(interval.low), float(interval.high))


def test_an_impossible_interval_is_refused_as_scipy_refuses_it():
    for count, base in ((5, 4), (0, 0), (-1, 3)):
        try:
            proportion_interval(count, base)
        except ValueError:
            continue
        raise AssertionError(f"{count} of {base} gave an interval")


def _response(source: str, counts: tuple[int, int, int, int]) -> list[dict]:
    """A seed-like reply: an all-crimes table and an Outcome 21 table with a printed total."""
    possess, distribute, possess_21, distribute_21 = counts
    common = {"source": source, "force": "Kent", "period_start": "2019-04-01", "period_end": "2020-03-31",
              "date_basis": "outcome", "unit": "crimes", "column_label": "Crimes"}
    rows = [(1, "Total crimes", "Child - Having Indecent Photo Of", "86/10", None, possess, "figure"),
            (1, "Total crimes", "Child-Distribute Indecent Photo", "86/2", None, distribute, "figure"),
            (2, "Outcome 21", "Child - Having Indecent Photo Of", "86/10", "21", possess_21, "figure"),
            (2, "Outcome 21", "Child-Distribute Indecent Photo", "86/2", "21", distribute_21, "figure"),
            (2, "Outcome 21", "Total", None, "21", possess_21 + distribute_21, "total")]
    return [{**common, "table": table, "table_title": title, "row_label": label, "offence_code": code,
             "outcome_code": outcome, "count": count, "kind": kind, "line": line, "location": str(line)}
            for line, (table, title, label, code, outcome, count, kind) in enumerate(rows, start=10)]


counts = st.tuples(st.integers(0, 40), st.integers(0, 40), st.integers(0, 40), st.integers(0, 40))


@settings(max_examples=60, deadline=None)
@given(counts, counts)
def test_rates_over_a_dataset_are_the_rates_of_each_reply_in_turn(first, second):
    figures = figures_frame(_response("one.txt", first) + _response("two.txt", second))
    together = outcome_rates(figures, "21")
    apart = pd.concat([outcome_rates(figures[figures["source"] == source], "21") for source in ("one.txt", "two.txt")],
                      ignore_index=True)
    pd.testing.assert_frame_equal(together, apart, check_exact=True)
