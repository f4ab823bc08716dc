"""Suppression-aware arithmetic, outcome mixes, the comparability guard and periods (issue: checks
a statistician would trust). Expected values are read off the fixtures."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import pandas as pd
import pytest

from conftest import CORPUS, FIXTURES, SEED
from fosi.analysis.comparison import COMPARABLE, comparable_responses, set_verdict
from fosi.build import load_dataset
from fosi.checks.suppression import Range, value_range
from fosi.checks.validate import validate
from fosi.model.periods import (
    annualise,
    column_period,
    days,
    length_text,
    months_and_days,
    overlap_days,
)
from fosi.readers import read_response


def found(name):
    return [(f.rule, f.severity, f.line) for f in validate(read_response(FIXTURES / name))]


# --- suppressed cells as ranges ----------------------------------------------------------

@pytest.mark.parametrize(("marker", "threshold", "blank", "expected"), [
    ("<5", None, "not stated", Range(1, 4)),
    ("*", None, "not stated", Range(1, None)),
    ("*", 5, "not stated", Range(1, 4)),
    ("[c]", 10, "not stated", Range(1, 9)),
    ("", None, "zero", Range(0, 0)),
    ("", None, "not stated", Range(0, None)),
    ("", None, "unknown", Range(0, None)),
    ("-", None, "not stated", Range(0, None)),
    ("n/a", None, "not stated", Range(0, None)),
])
def test_markers_as_ranges(marker, threshold, blank, expected):
    assert value_range(None, marker, threshold, blank) == expected


def test_a_consistent_total_that_fixes_no_withheld_cell_says_nothing():
    # 52 printed over 30 + 16 shown and three withheld cells (*, <5, *): they share 6, which leaves
    # each of them more than one value (1 to 4), so the total is consistent and no cell is exposed.
    # fosi prints no sum of withheld cells at all: with two cells it could give both away.
    assert validate(read_response(FIXTURES / "suppression_consistent.txt")) == []


def test_a_single_suppressed_cell_fixed_by_its_total_is_a_warning_without_numbers(tmp_path):
    path = tmp_path / "one.txt"
    path.write_text("Kent Police\nCrimes recorded 1 April 2020 to 31 March 2021\n\nOffence\tCrimes\n"
                    "Possession of indecent images\t30\nTaking indecent images\t<5\nTotal\t33\n")
    [finding] = validate(read_response(path))
    assert (finding.rule, finding.severity, finding.line) == ("suppression-ineffective", "warning", 7)
    assert finding.message == "the printed total fixes the withheld cells: do not republish this table as printed"
    assert (finding.expected, finding.found) == (None, None)


@pytest.mark.parametrize(("fixture", "line"), [
    ("suppression_total_equals_visible.txt", 12),  # 46 printed = 30 + 16, yet three cells are at least 1
    ("suppression_total_below_visible.txt", 12),  # 40 printed, below the 46 shown
    ("suppression_sum_zero.txt", 6),  # a printed sum of 0 over a suppressed cell
    ("suppression_threshold.txt", 12),  # 60 printed; with threshold 5 the parts reach at most 46 + 4 + 4 + 4
])
def test_contradictions_with_suppressed_cells(fixture, line):
    assert ("total-contradicts-suppression", "error", line) in found(fixture)


def test_outcome_mix_within_all_crimes_and_sub_codes_not_added():
    assert [r for r in found("outcome_mix.txt") if r[1] != "info"] == []
    assert ("outcome-mix-exceeds-all", "error", 17) in found("outcome_mix_exceeds.txt")  # 30+10+70 > 100
    mismatch = [f for f in validate(read_response(FIXTURES / "outcome_mix_subcode_added.txt"))
                if f.rule == "total-mismatch"]
    assert [(f.line, f.expected, f.found) for f in mismatch] == [(18, "90", "95")]
    assert "sub-code 1A is added to its parent again" in mismatch[0].message


def test_outcome_above_a_suppressed_base_is_a_contradiction(tmp_path):
    path = tmp_path / "base.txt"
    path.write_text("Kent Police\nCrimes recorded 1 April 2020 to 31 March 2021\n\nTotal crimes\n\n"
                    "Offence\tCrimes\nPossession of indecent images\t<5\n\nTotal crimes - Outcome 21\n\n"
                    "Offence\tCrimes\nPossession of indecent images\t7\n")
    assert ("outcome-exceeds-all", "error", 12) in [(f.rule, f.severity, f.line) for f in validate(read_response(path))]


def test_validate_json_fields(tmp_path):
    result = subprocess.run([sys.executable, "-m", "fosi", "validate", "--format", "json",
                             str(FIXTURES / "suppression_total_below_visible.txt")], capture_output=True, text=True)
    assert result.returncode == 1
    [record] = json.loads(result.stdout)
    assert {k: record[k] for k in ("rule", "severity", "line", "location", "expected", "found")} == {
        "rule": "total-contradicts-suppression", "severity": "error", "line": 12, "location": "12",
        "expected": ">= 49", "found": "40"}
    assert record["file"].endswith("suppression_total_below_visible.txt") and record["message"]


# --- periods -------------------------------------------------------------------------------

def test_period_length_and_annualisation():
    # 1 January 2016 to 31 January 2018: 366 (2016) + 365 (2017) + 31 days = 762 days, 25 whole months.
    assert days("2016-01-01", "2018-01-31") == 762
    assert months_and_days("2016-01-01", "2018-01-31") == (25, 0)
    assert length_text("2016-01-01", "2018-01-31") == "25 months (762 days)"
    assert months_and_days("2019-01-01", "2019-02-01") == (1, 1)
    # 149 crimes over 762 days, per mean Gregorian year of 365.2425 days:
    assert annualise(149, "2016-01-01", "2018-01-31") == pytest.approx(149 * 365.2425 / 762)
    # A financial year and a calendar year with 29 February are both 366 days long.
    assert annualise(366, "2019-04-01", "2020-03-31") == pytest.approx(365.2425)
    assert column_period("2019/20") == (dt.date(2019, 4, 1), dt.date(2020, 3, 31))
    assert column_period("2021") == (dt.date(2021, 1, 1), dt.date(2021, 12, 31))
    assert length_text("2020-04-01", "2020-09-30") == "6 months (183 days)"  # a part year
    assert overlap_days("2019-01-01", "2019-12-31", "2019-04-01", "2020-03-31") == 275


# --- the comparability guard: per response -------------------------------------------------------

def _dataset(*paths):
    return load_dataset(list(paths))


def test_a_response_on_another_date_basis_is_left_out_with_its_reason(tmp_path):
    data = _dataset(SEED, CORPUS / "west-yorkshire_1711564-23.txt", CORPUS / "cheshire_2357_refusal.txt")
    table = comparable_responses(data.manifest, data.figures).set_index("file")
    assert table["comparable"].tolist() == [True, False, False]
    # Seed line 7: outcome assigned in the period; West Yorkshire's notes: crimes recorded in it.
    assert "it counts crimes recorded in the period; the set counts crimes whose outcome was assigned" in \
        table["reasons"].iloc[1]
    assert table["reasons"].iloc[2] == "it gives no figures (refusal: section 12 cost limit)"


def test_same_kind_of_responses_are_comparable(tmp_path):
    # Two forces over the same period (the same force twice would count the same crimes twice).
    first, other = tmp_path / "herts.txt", tmp_path / "kent.txt"
    first.write_bytes(SEED.read_bytes())
    other.write_bytes(SEED.read_bytes().replace(b"\t139", b"\t138").replace(b"Total\t149", b"Total\t148")
                      .replace(b"Hertfordshire Constabulary", b"Kent Police"))
    data = _dataset(first, other)
    table = comparable_responses(data.manifest, data.figures, "21")
    assert table["comparable"].tolist() == [True, True] and table["caveats"].tolist() == ["none", "none"]
    assert set_verdict(table).verdict == COMPARABLE
    shifted = tmp_path / "kent_later.txt"
    shifted.write_bytes(SEED.read_bytes().replace(b"1st January 2016 - 31st January 2018",
                                                  b"1st February 2016 - 28th February 2018")
                        .replace(b"Hertfordshire Constabulary", b"Kent Police"))
    data = _dataset(first, shifted)
    table = comparable_responses(data.manifest, data.figures, "21")
    # 1 February 2016 to 28 February 2018 is 25 months and 0 days as well: alike in length.
    assert table["comparable"].all() and table["caveats"].tolist() == ["none", "none"]


def test_an_age_restriction_from_a_sidecar_leaves_that_response_out(tmp_path):
    young = tmp_path / "young.txt"
    young.write_bytes(SEED.read_bytes().replace(b"Hertfordshire Constabulary", b"Kent Police"))
    young.with_suffix(".yml").write_text("age_filter: under 18\n")
    everyone = tmp_path / "everyone.txt"
    everyone.write_bytes(SEED.read_bytes())
    everyone.with_suffix(".yml").write_text("age_filter: all ages\n")
    data = _dataset(everyone, young)
    table = comparable_responses(data.manifest, data.figures, "21")
    assert table["comparable"].tolist() == [True, False]
    assert table["reasons"].iloc[1] == "its figures are restricted to under 18; the set covers all ages"
    verdict = set_verdict(table, override=True)
    assert verdict.override and "POOLED BY OVERRIDE" in verdict.label and verdict.responses == 2


def test_one_response_says_there_is_nothing_to_compare():
    data = _dataset(SEED)
    verdict = set_verdict(comparable_responses(data.manifest, data.figures, "21"))
    assert verdict.label == "only 1 response with figures: nothing to compare it with"
    assert isinstance(data.manifest, pd.DataFrame)
