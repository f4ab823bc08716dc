"""Where a reply prints the base of a rate: beside the outcome (a column), beneath it (a row under
each offence), or as the Total row of an outcome mix. Each reply here is a few lines written for
the test; the expected counts and bases are read from those lines."""

from __future__ import annotations

import pandas as pd
import pytest

from fosi.analysis.rates import OFFENCE, outcome_rates
from fosi.checks.validate import validate
from fosi.readers import read_response

HEAD = "Example Constabulary\nCrimes recorded 1 January 2021 to 31 December 2023.\n\n"


def _read(tmp_path, body: str, name: str = "reply.txt", head: str = HEAD):
    path = tmp_path / name
    path.write_text(head + body, encoding="utf-8")
    return read_response(path)


def _offence_rates(response) -> dict[str, tuple[object, object]]:
    rates = outcome_rates(response.figures, "21", findings=None)
    rows = rates[rates["scope"] == OFFENCE]
    return {row.offence_code: (row.count, row.base) for row in rows.itertuples()}


def test_a_base_column_beside_the_outcome_column(tmp_path):
    response = _read(tmp_path, "Offence\tCrimes recorded\tOutcome 21\n"
                               "86/2 Take, make or distribute\t512\t140\n"
                               "86/10 Possession\t238\t19\n"
                               "Total\t750\t159\n")
    assert _offence_rates(response) == {"86/2": (140, 512), "86/10": (19, 238)}


def test_a_column_of_people_is_the_base_only_in_a_table_of_people(tmp_path):
    rows = "Offence\tPeople\tPeople - Outcome 21\n86/2 Take, make or distribute\t612\t170\n"
    people = _read(tmp_path, rows, "people.txt", head="Example Constabulary\n"
                   "The number of people dealt with, 1 January 2021 to 31 December 2023:\n\n")
    assert people.figures["unit"].iloc[0] == "people"
    assert _offence_rates(people) == {"86/2": (170, 612)}
    crimes = _read(tmp_path, rows, "crimes.txt")  # a table of crimes: "People" is not all of them
    assert crimes.figures["unit"].iloc[0] == "crimes"
    assert pd.isna(_offence_rates(crimes)["86/2"][1])


def test_a_bare_total_column_says_nothing_of_what_it_counts(tmp_path):
    # "Total" beside Outcome 21 and Outcome 22 may be their sum: no positive sign of all crimes.
    response = _read(tmp_path, "Offence\tOutcome 21\tOutcome 22\tTotal\n"
                               "86/2 Take, make or distribute\t140\t30\t170\n")
    counts = _offence_rates(response)
    assert pd.isna(counts["86/2"][1])


def test_columns_per_year_pair_by_the_year_they_name(tmp_path):
    response = _read(tmp_path, "Offence\tCrimes 2021\tOutcome 21 2021\tCrimes 2022\tOutcome 21 2022\n"
                               "86/2 Take, make or distribute\t200\t50\t210\t61\n")
    rates = outcome_rates(response.figures, "21")
    rows = rates[rates["scope"] == OFFENCE].set_index("column_label")
    assert (rows.loc["2021", "count"], rows.loc["2021", "base"]) == (50, 200)
    assert (rows.loc["2022", "count"], rows.loc["2022", "base"]) == (61, 210)
    assert rows.loc["2022", "period_start"] == "2022-01-01"


def test_all_crimes_beside_a_selection_of_outcomes_is_not_a_total_mismatch(tmp_path):
    response = _read(tmp_path, "Offence\tAll crimes\tOutcome 21\n86/2 Take, make or distribute\t644\t201\n")
    assert [f.rule for f in validate(response) if f.severity == "error"] == []
    more = _read(tmp_path, "Offence\tAll crimes\tOutcome 21\n86/2 Take, make or distribute\t100\t201\n", "more.txt")
    assert any(f.severity == "error" for f in validate(more))  # more closed than there were crimes


def test_a_base_row_beneath_each_offence(tmp_path):
    response = _read(tmp_path, "Offence\tMeasure\tCrimes\n"
                               "86/2 Take, make or distribute\tAll crimes\t1650\n"
                               "\tOutcome 21\t472\n"
                               "86/10 Possession\tAll crimes\t801\n"
                               "\tOutcome 21\t60\n"
                               "Total\tAll crimes\t2451\n"
                               "\tOutcome 21\t532\n")
    assert _offence_rates(response) == {"86/2": (472, 1650), "86/10": (60, 801)}
    assert [f for f in validate(response) if f.severity == "error"] == []


def test_an_outcome_mix_with_offences_across_the_top(tmp_path):
    # A heading naming Outcome 21 does not make every row Outcome 21: the rows name their own.
    response = _read(tmp_path, "Indecent images of children and Outcome 21\n\n"
                               "Outcome\t86/2\t86/10\tTotal\n"
                               "Charge/summons\t61\t74\t135\n"
                               "Caution\t9\t12\t21\n"
                               "Outcome 21\t118\t16\t134\n"
                               "Other outcomes\t201\t118\t319\n"
                               "Total\t389\t220\t609\n")
    assert _offence_rates(response) == {"86/2": (118, 389), "86/10": (16, 220)}


def test_an_outcome_mix_whose_total_disagrees_gives_no_rate(tmp_path):
    response = _read(tmp_path, "Outcome\t86/2\n"
                               "Charge/summons\t61\n"
                               "Outcome 21\t118\n"
                               "Other outcomes\t201\n"
                               "Total\t500\n")
    rates = outcome_rates(response.figures, "21", findings=validate_frame(response))
    row = rates[rates["scope"] == OFFENCE].iloc[0]
    assert pd.isna(row["rate"]) and "disagree" in row["reason"]


def test_years_down_the_side_date_their_rows(tmp_path):
    response = _read(tmp_path, "Crimes recorded\n\nYear\t86/2\t86/10\n2021\t1480\t702\n2022\t1555\t688\n\n"
                               "Crimes recorded - Outcome 21\n\nYear\t86/2\t86/10\n2021\t402\t55\n2022\t431\t61\n")
    rates = outcome_rates(response.figures, "21")
    row = rates[(rates["scope"] == OFFENCE) & (rates["row_label"] == "2022") & (rates["offence_code"] == "86/10")]
    assert (int(row["count"].iloc[0]), int(row["base"].iloc[0])) == (61, 688)
    assert (row["period_start"].iloc[0], row["period_end"].iloc[0]) == ("2022-01-01", "2022-12-31")


@pytest.mark.parametrize("line", ["Dear Requester,", "Thank you for your request about images offences."])
def test_courtesies_name_no_table(tmp_path, line):
    response = _read(tmp_path, f"{line}\n\nOffence\tCrimes\n86/2 Take, make or distribute\t12\n")
    assert all(table.title is None or table.title.text != line for table in response.tables)


def validate_frame(response):
    from fosi.model.findings import findings_frame

    return findings_frame(validate(response))


def test_a_label_naming_two_offence_codes_is_no_one_offences():
    from fosi.reference import offence_code_for_label

    # "the two offences together": a count of both is neither 86/2's nor 86/10's
    assert offence_code_for_label("Crimes of taking (86/2) and possessing (86/10) indecent photographs") is None
    assert offence_code_for_label("86/10 Possess indecent photographs of children") == "86/10"
    assert offence_code_for_label("086/02 and 86/2 (the same code twice)") == "86/2"


def test_a_sum_over_years_down_the_side_covers_all_their_days(tmp_path):
    response = _read(tmp_path, "Crimes recorded\n\nYear\t86/2\t86/10\n2021\t1480\t702\n2022\t1555\t688\n\n"
                               "Crimes recorded - Outcome 21\n\nYear\t86/2\t86/10\n2021\t402\t55\n2022\t431\t61\n")
    rates = outcome_rates(response.figures, "21")
    overall = rates[(rates["scope"] != OFFENCE) & (rates["column_label"] == "86/2")].iloc[-1]
    assert (overall["count"], overall["base"]) == (402 + 431, 1480 + 1555)
    assert (overall["period_start"], overall["period_end"]) == ("2021-01-01", "2022-12-31")  # not 2021's alone


def test_offences_counted_together_are_one_code_and_kept_only_when_all_are_asked_about(tmp_path):
    from fosi.reference import offence_group, together, within

    assert together(["86/10", "86/2"]) == "86/2+86/10"
    assert within("86/2+86/10", ["86/2", "86/10", "86/15"]) and not within("86/2+8/71", ["86/2", "86/10"])
    assert offence_group("86/2+86/10") == "Indecent images of children"
    # "the two offences together": a table of outcomes whose line names two codes and no column one.
    response = _read(tmp_path, "The table gives the outcomes of crimes of taking (86/2) and possessing (86/10) "
                               "indecent photographs of children, the two offences together.\n"
                               "Outcome\tCrimes\nCharge/summons\t40\nOutcome 21\t51\nOther outcomes\t70\nTotal\t161\n")
    rates = outcome_rates(response.figures, "21", offences=["86/*"])
    row = rates[rates["scope"] == OFFENCE].iloc[0]
    assert (row["offence_code"], row["count"], row["base"]) == ("86/2+86/10", 51, 161)
