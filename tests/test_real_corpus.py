"""The real development corpus (tests/corpus/real/): 109 police FOI responses copied from stored
copies of public pages, byte for byte, their figures read by hand into expected.json.

Judged as issue 11 asks: overall at least 95% of the figures read exactly, none invented, and
every figure that is not read named by a finding at its line, so that `fosi validate --strict`
never passes a response that was under-read.
"""

from __future__ import annotations

import json
from collections import Counter
from functools import lru_cache
from pathlib import Path

import pytest

from fosi.checks.validate import validate
from fosi.model.findings import READING_RULES
from fosi.readers import read_response

REAL = Path(__file__).parent / "corpus" / "real"


@lru_cache(maxsize=1)
def _cases() -> dict:
    return json.loads((REAL / "expected.json").read_text(encoding="utf-8"))


def _expected(entry: dict) -> Counter:
    return Counter((item.get("row_group"), item["keys"][0], item.get("column_group"), item["keys"][1],
                    item["count"], item.get("marker") if item["count"] is None else None, kind, item.get("outcome"),
                    item["line"])
                   for kind, name in (("figure", "figures"), ("total", "totals")) for item in entry.get(name, []))


def _read(response) -> Counter:
    return Counter((r["row_group"], r["row_label"], r["column_group"], r["column_label"], r["count"],
                    r["marker"] if r["count"] is None else None, r["kind"], r["outcome_code"], r["line"])
                   for r in response.records if r["kind"] in ("figure", "total"))


@lru_cache(maxsize=None)
def _scored(name: str) -> tuple[int, int, int, tuple[int, ...], tuple[int, ...]]:
    """(expected, exact, invented, lines of unread figures, lines the reader flagged) of one file."""
    response = read_response(REAL / name)
    want, got = _expected(_cases()[name]), _read(response)
    # A count read as a prose figure at its own line is in the figure table, under its sentence:
    # not read as the table figure expected, but not passed over in silence either.
    as_prose = {(r["line"], r["count"]) for r in response.records if r["kind"] == "prose"}
    unread = tuple(sorted(key[-1] for key in (want - got).elements() if (key[-1], key[4]) not in as_prose))
    flagged = tuple(sorted({f.line for f in validate(response) if f.rule in READING_RULES and f.line}))
    return sum(want.values()), sum((want & got).values()), sum((got - want).values()), unread, flagged


def test_the_corpus_is_real_and_broad():
    cases = _cases()
    assert len(cases) >= 40
    with_figures = [v for v in cases.values() if v.get("figures")]
    assert len(with_figures) >= 40
    forces = {name.split("_")[0] for name in cases}  # files are named force_reference
    assert len(forces) >= 15
    for name in cases:
        assert (REAL / name).is_file(), name


# Read wrongly when the held-back replies were measured, and not yet mended: each stays a strict
# expected failure (it fails the suite once it is read right, so the mark is then removed).
NOT_YET_RIGHT = {
    "cleveland_53-26.txt": "a reference broken by a space ('FOI 53- 26', under 'Date: 23/02/26') is read as a "
                           "one-row table",
    "northumbria_643-18.txt": "two 'year - count' lists under bare answer numbers are titled by their numbered "
                              "questions; the answer key groups them by part of each question, which no row "
                              "group of fosi's names",
    # The sixth collection, held back whole and measured once before it joined (DEVELOPMENT.md):
    "avon-and-somerset_929-20.txt": "lists under their headings: fosi titles each list by its heading, the answer "
                                    "key gives the heading as each figure's row group",
    "northumbria_1396-20.txt": "lists titled by their whole questions; the answer key groups them by part of each",
    "cleveland_432-25.txt": "two lists told apart by the question above each: read without its row group",
    "cleveland_416-24.txt": "row labels run together with bracketed notes ('(Missing from Care - 11) and no DOB') "
                            "across a table copied one cell per line",
    "cleveland_699-24.txt": "tables under headings ('Of those high risk:') read without the heading as row group",
    "cleveland_373-25.txt": "a grid of ages by sex under ethnicity headings, one cell per line, read at other labels",
    "cleveland_40-25.txt": "'Total Officers injured' beside 'Hospitalised Officers' read as a Total column; the "
                           "answer key counts it as a figure",
    "northumbria_665-19.txt": "'NUFC – Burnley - 1': the match's label kept whole where the answer key names the "
                              "opponent alone, and one row given a row group of 'offence'",
    "suffolk_foi-004227-18.txt": "a table flattened onto lines, with a Grand Total row by year, read as other rows",
}
# Expected figures neither read at the answer key's labels nor reported at their lines (most of them
# read at other labels: see NOT_YET_RIGHT).
NOT_YET_NAMED = {
    "avon-and-somerset_929-20.txt": NOT_YET_RIGHT["avon-and-somerset_929-20.txt"],
    "cleveland_40-25.txt": NOT_YET_RIGHT["cleveland_40-25.txt"],
    "northumbria_665-19.txt": NOT_YET_RIGHT["northumbria_665-19.txt"],
    "dorset_01-fin-25-003830-j.txt": "a month-by-year grid of 170 cells one per line: two of its cells fall "
                                     "outside the lines the table-not-read errors cover",
}


def _known(names) -> list:
    return [pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=NOT_YET_RIGHT[name]))
            if name in NOT_YET_RIGHT else name for name in names]


@pytest.mark.parametrize("name", _known(sorted(_cases())))
def test_no_figure_is_invented(name):
    _, _, invented, _, _ = _scored(name)
    assert invented == 0


@pytest.mark.parametrize("name", [pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=NOT_YET_NAMED[name]))
                                  if name in NOT_YET_NAMED else name for name in sorted(_cases())])
def test_every_unread_figure_is_named_at_or_near_its_line(name):
    """An unread figure always has a reading finding (table-not-read, numbers-not-read or
    table-truncated) at its line or on a line of the table above it, so `validate --strict` fails."""
    _, _, _, unread, flagged = _scored(name)
    for line in unread:
        assert any(f <= line for f in flagged), f"figure at line {line} not read and not reported"


# Not yet met. The corpus read 95% when it held the first 75 replies. Since then two checks refuse
# what they once let through: figures that share every label are a wrong read by definition, and a
# table that the request quotes is the requester's. The second and third collections also came
# from forces and layouts the reader had not seen. Every file is held to its committed baseline
# (tests/test_coverage.py), so none reads worse meanwhile.
@pytest.mark.xfail(strict=True, reason="goal not yet met: the whole development corpus reads about 73% of its "
                                       "figures exactly since the fifth and sixth collections (goal 95%)")
def test_at_least_95_percent_of_the_figures_are_read_exactly():
    expected = exact = 0
    for name in _cases():
        e, x, _, _, _ = _scored(name)
        expected, exact = expected + e, exact + x
    assert exact / expected >= 0.95, f"{exact} of {expected} figures read exactly"


@pytest.mark.parametrize("name", _known(sorted(n for n, v in _cases().items() if v.get("refusal") or v.get("no_table"))))
def test_responses_without_figures_give_none(name):
    response = read_response(REAL / name)
    assert [r for r in response.records if r["kind"] in ("figure", "total")] == []
