"""benchmarks/coverage.py counts a real response's figures as exact, invented, misplaced, unread
but flagged, and unread silently; and the round trip's judge tells exact from refused from wrong."""

from __future__ import annotations

import importlib.util
import random
import sys

import pytest
import tablegen

from conftest import ROOT
from fosi.model.findings import Finding
from fosi.model.response import Metadata, Response


@pytest.fixture(scope="module")
def coverage():
    spec = importlib.util.spec_from_file_location("coverage_benchmark", ROOT / "benchmarks" / "coverage.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["coverage_benchmark"] = module
    spec.loader.exec_module(module)
    return module


def _record(row, column, count, line, kind="figure", outcome=None, marker=None, row_group=None):
    return {"row_label": row, "column_label": column, "row_group": row_group, "count": count, "marker": marker,
            "kind": kind, "outcome_code": outcome, "line": line}


def _response(records, findings=()):
    return Response(source="x.txt", reader="text", kind="table", metadata=Metadata(), records=tuple(records),
                    findings=tuple(findings))


ENTRY = {
    "layout": "tab",
    "figures": [
        {"keys": ["Possession", "2021"], "count": 12, "outcome": "21", "line": 5},
        {"keys": ["Possession", "2022"], "count": 40, "outcome": "21", "line": 5},
        {"keys": ["Distribution", "2021"], "count": None, "marker": "<5", "outcome": "21", "line": 6},
        {"keys": ["Voyeurism", "2021"], "count": 3, "outcome": None, "line": 12},
    ],
    "totals": [{"keys": ["Total", "2021"], "count": 15, "outcome": "21", "line": 7}],
}


def test_exact_reading_is_exact(coverage):
    records = [_record("Possession", "2021", 12, 5, outcome="21"), _record("Possession", "2022", 40, 5, outcome="21"),
               _record("Distribution", "2021", None, 6, outcome="21", marker="<5"),
               _record("Voyeurism", "2021", 3, 12), _record("Total", "2021", 15, 7, kind="total", outcome="21")]
    score = coverage.score_file(ENTRY, _response(records), last_line=20)
    assert score == {"expected": 5, "figures_exact": 5, "invented": 0, "misplaced": 0, "unread_flagged": 0,
                     "unread_silent": 0, "verdict": "exact", "prose_expected": 0, "prose_exact": 0,
                     "prose_invented": 0}


def test_other_number_outcome_or_line_is_not_exact(coverage):
    records = [_record("Possession", "2021", 13, 5, outcome="21"),  # another number: invented, and 12 unread
               _record("Possession", "2022", 40, 5, outcome=None),  # another outcome: invented, and unread
               _record("Distribution", "2021", None, 9, outcome="21", marker="<5"),  # at the wrong line
               _record("Voyeurism", "2021", 3, 12), _record("Total", "2021", 15, 7, kind="total", outcome="21")]
    score = coverage.score_file(ENTRY, _response(records), last_line=20)
    assert (score["figures_exact"], score["invented"], score["misplaced"], score["unread_silent"]) == (3, 2, 1, 2)
    assert score["verdict"] == "wrong"


def test_unread_figures_are_flagged_only_where_a_finding_covers_their_line(coverage):
    refusal = Finding("table-not-read", "error", "x.txt", 4, "columns could not be matched")
    records = [_record("Voyeurism", "2021", 3, 12)]  # read below the refused table: the finding stops there
    score = coverage.score_file(ENTRY, _response(records, [refusal]), last_line=20)
    assert (score["figures_exact"], score["unread_flagged"], score["unread_silent"]) == (1, 4, 0)
    assert score["verdict"] == "refused"
    score = coverage.score_file(ENTRY, _response([], [refusal]), last_line=20)
    assert (score["unread_flagged"], score["unread_silent"]) == (5, 0)
    later = Finding("numbers-not-read", "warning", "x.txt", 6, "2 numbers not read")
    score = coverage.score_file(ENTRY, _response([_record("Voyeurism", "2021", 3, 12)], [later]), last_line=20)
    assert (score["unread_flagged"], score["unread_silent"], score["verdict"]) == (2, 2, "missed")


def _rendering():
    table = tablegen.LogicalTable(
        title=None, row_header="Offence", group_header=None, column_groups=(),
        columns=(tablegen.Column("2021", None, False), tablegen.Column("2022", None, False)),
        rows=(tablegen.Row("Possession", None, False,
                           (tablegen.Cell(1204, None, "1,204"), tablegen.Cell(None, "<5", "<5"))),))
    return tablegen.render_tab(tablegen.RandomChooser(random.Random(1)), table)


def _figure_record(figure, line):
    return {"row_label": figure.row_label, "column_label": figure.column_label, "column_group": figure.column_group,
            "row_group": figure.row_group, "count": figure.count, "marker": figure.marker, "kind": figure.kind,
            "line": line}


def test_judge_tells_exact_refused_and_wrong():
    rendering = _rendering()
    figures = sorted(rendering.figures, key=repr)
    right = [_figure_record(f, rendering.figures[f]) for f in figures]
    assert tablegen.judge(rendering, _response(right)).verdict == "exact"
    refusal = Finding("table-not-read", "error", "x.txt", 1, "ambiguous")
    assert tablegen.judge(rendering, _response(right[:1], [refusal])).verdict == "refused"
    assert tablegen.judge(rendering, _response(right[:1])).verdict == "missed"
    assert tablegen.judge(rendering, _response(right + right[:1])).verdict == "wrong"  # read twice
    other_number = [{**right[0], "count": 1205}, right[1]]
    assert tablegen.judge(rendering, _response(other_number, [refusal])).verdict == "wrong"
    other_label = [{**right[0], "column_label": "2022"}, right[1]]
    assert tablegen.judge(rendering, _response(other_label)).verdict == "wrong"
    first_line = [{**right[0], "line": 1}, right[1]]  # a line where the number is not printed
    assert tablegen.judge(rendering, _response(first_line)).verdict == "wrong"


def _scored(exact, invented=0, misplaced=0):
    return {"figures_exact": exact, "invented": invented, "misplaced": misplaced}


def test_a_file_reading_fewer_exactly_or_more_at_a_wrong_label_is_a_regression(coverage):
    baseline = {"a.txt": {"exact": 10, "wrong": 0}, "b.txt": {"exact": 5, "wrong": 1}, "gone.txt": {"exact": 1, "wrong": 0}}
    files = {"a.txt": _scored(9), "b.txt": _scored(6, invented=1, misplaced=1), "new.txt": _scored(3)}
    found = coverage.regressions(files, baseline)
    assert [line.split(":")[0] for line in found] == ["a.txt", "b.txt", "gone.txt"]
    assert "9 figures read exactly, 10 in the baseline" in found[0]
    assert "2 figures at a wrong label, 1 in the baseline" in found[1]
    kept = {name: counts for name, counts in baseline.items() if name != "gone.txt"}
    assert coverage.regressions({"a.txt": _scored(11), "b.txt": _scored(5, invented=1)}, kept) == []


def test_no_corpus_file_reads_worse_than_the_committed_baseline(coverage):
    """CI's guard (benchmarks/coverage.py --check): improving the baseline is a commit of its own."""
    worse, _ = coverage.check_baseline(coverage.REAL_CORPUS)
    assert worse == []
