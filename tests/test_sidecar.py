"""A NAME.yml beside a response states what the file cannot say, and takes precedence."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from conftest import FIXTURES, SEED
from fosi.checks.validate import validate
from fosi.errors import InputError
from fosi.readers import read_response


def _copy(tmp_path, source=FIXTURES / "aligned_grid_years.txt"):
    target = tmp_path / source.name
    shutil.copyfile(source, target)
    return target


def test_sidecar_fills_what_the_file_does_not_say(tmp_path):
    path = _copy(tmp_path)
    path.with_suffix(".yml").write_text(
        "date_basis: recorded\nage_filter: all ages\nrequest_reference: FOI 123/15\n"
        "url: https://example.org/foi/123\ndate_received: 2015-02-01\nnotes: Arrests, not crimes.\n")
    response = read_response(path)
    assert response.metadata.value("date_basis") == "recorded"
    assert {r["date_basis"] for r in response.records} == {"recorded"}
    assert response.sidecar["request_reference"] == "FOI 123/15"
    assert response.sidecar["date_received"] == "2015-02-01"
    assert not [f for f in validate(response) if f.rule == "metadata-missing"]


def test_sidecar_wins_and_a_disagreement_is_a_finding(tmp_path):
    path = _copy(tmp_path, SEED)
    path.with_suffix(".yml").write_text("force: Hertfordshire Constabulary\nperiod_start: 2016-02-01\n")
    response = read_response(path)
    assert response.metadata.value("period_start") == "2016-02-01"
    assert {r["period_start"] for r in response.records} == {"2016-02-01"}
    findings = [(f.rule, f.line, f.expected, f.found) for f in validate(response)]
    assert findings == [("sidecar-disagrees", 5, "2016-02-01", "2016-01-01")]  # force agrees: no finding


@pytest.mark.parametrize(("text", "message"), [
    ("forse: Kent\n", "unknown field(s) forse"),
    ("force: Gotham City Police\n", "force: unknown force 'Gotham City Police'"),
    ("force: Hertfordshre\n", "force: unknown force 'Hertfordshre'; did you mean 'Hertfordshire'"),
    ("period_start: 2023-13-01\n", "period_start: '2023-13-01' is not a day of the calendar"),
    ("period_end: 2023-04-31\n", "period_end: '2023-04-31' is not a day of the calendar"),
    ("date_received: 20230401\n", "date_received: '20230401' is not a date (write YYYY-MM-DD)"),
    ("url: not a url\n", "url: 'not a url' is not a web address"),
    ("url: https://\n", "url: 'https://' is not a web address"),
    ("notes: [a, b]\n", "notes: give one value on its line"),
    ("period_start: 31/01/2016\n", "period_start: '31/01/2016' is not a date"),
    ("date_basis: reported\n", "date_basis: 'reported' is not one of outcome, recorded"),
    ("force: [unclosed\n", "is not valid YAML"),
])
def test_bad_sidecar_names_the_sidecar(tmp_path, text, message):
    path = _copy(tmp_path)
    path.with_suffix(".yml").write_text(text)
    with pytest.raises(InputError, match="aligned_grid_years.yml") as caught:
        read_response(path)
    assert message in str(caught.value)


def test_a_force_named_by_a_common_alias_is_matched_and_an_unknown_one_gets_a_suggestion():
    from fosi.reference import match_force

    assert match_force("Avon & Somerset") == "Avon and Somerset"
    assert match_force("Met") == "Metropolitan Police"
    assert match_force("herts") == "Hertfordshire"
    assert match_force("Devon  &  Cornwall") == "Devon and Cornwall"
    with pytest.raises(ValueError, match="did you mean 'Hertfordshire'"):
        match_force("Hertfordshre")


def test_an_alias_that_is_an_ordinary_word_is_never_taken_from_a_response_text():
    from fosi.reference import canonical_force

    assert canonical_force("We met the deadline; the MPs asked") is None
    assert canonical_force("Avon & Somerset Constabulary") == "Avon and Somerset"


@pytest.mark.parametrize(("stated", "force"), [
    ("Avon & Somerset", "Avon and Somerset"), ("Devon & Cornwall", "Devon and Cornwall"),
    ("Met", "Metropolitan Police"), ("Herts", "Hertfordshire"),
])
def test_a_sidecar_names_a_force_by_its_common_alias(tmp_path, stated, force):
    path = _copy(tmp_path)
    path.with_suffix(".yml").write_text(f"force: {stated}\n")
    assert read_response(path).metadata.value("force") == force


_TWO_TABLES = (
    "Example Constabulary\nFigures for 1 January 2021 to 31 December 2023.\n\n"
    "Table A\n\nOffence\tNumber\n86/2 Take, make or distribute\t400\n86/10 Possession\t200\n\n"
    "Table B - Outcome 21\n\nOffence\tNumber\n86/2 Take, make or distribute\t100\n86/10 Possession\t20\n"
)


def _rates_of(path):
    from fosi.analysis.rates import OFFENCE, outcome_rates
    from fosi.model.findings import findings_frame

    response = read_response(path)
    frame = findings_frame([*response.findings, *validate(response)])
    rates = outcome_rates(response.figures, "21", findings=frame)
    return {row.offence_code: (row.count, row.base) for row in rates[rates["scope"] == OFFENCE].itertuples()}


def test_a_sidecar_states_which_table_counts_all_crimes(tmp_path):
    # "Table A" says nothing of what it counts: never a base on its own (a base needs a positive
    # sign); the sidecar's base_table says it counts all crimes.
    path = tmp_path / "reply.txt"
    path.write_text(_TWO_TABLES, encoding="utf-8")
    without = _rates_of(path)
    assert without["86/2"][0] == 100 and without["86/2"][1] is pd.NA
    (tmp_path / "reply.yml").write_text("base_table: 1\n", encoding="utf-8")
    assert _rates_of(path) == {"86/2": (100, 400), "86/10": (20, 200)}
    said = [f for f in read_response(path).findings if f.rule == "base-stated"]
    assert len(said) == 1 and said[0].table == 1 and said[0].line == 4 and "reply.yml" in said[0].message


def test_a_sidecar_base_table_that_does_not_exist_is_one_line(tmp_path):
    path = tmp_path / "reply.txt"
    path.write_text(_TWO_TABLES, encoding="utf-8")
    (tmp_path / "reply.yml").write_text("base_table: 3\n", encoding="utf-8")
    with pytest.raises(InputError) as raised:
        read_response(path)
    assert "base_table" in str(raised.value) and "2 tables" in str(raised.value)
    (tmp_path / "reply.yml").write_text("base_table: first\n", encoding="utf-8")
    with pytest.raises(InputError, match="base_table"):
        read_response(path)
