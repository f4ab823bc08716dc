"""What may be divided, summed, compared and pooled (fosi.analysis.combine), comparability per
response (fosi.analysis.comparison.comparable_responses), and rates that never combine figures
that count different things. Expected values come from the small texts written here."""

from __future__ import annotations

import pandas as pd
import pytest

from conftest import SEED
from fosi.analysis.comparison import comparable_responses
from fosi.analysis.forces import compare_forces
from fosi.build import load_dataset

HERTS = b"Hertfordshire Constabulary"
PERIOD = b"1st January 2016 - 31st January 2018"


def _round_robin(folder, files: dict[str, bytes]):
    folder.mkdir(exist_ok=True)
    for name, text in files.items():
        (folder / name).write_bytes(text)
    return load_dataset([folder])


def test_comparability_is_decided_per_response_with_readable_reasons(tmp_path):
    seed = SEED.read_bytes()
    data = _round_robin(tmp_path / "replies", {
        "a_herts.txt": seed,
        "b_copy.txt": seed,  # the same bytes again
        "c_herts_again.txt": seed.replace(HERTS, b"Herts Police").replace(b"\t139", b"\t138"),
        "d_no_period.txt": seed.replace(PERIOD, b"").replace(b"\t139", b"\t137"),
        "e_kent.txt": seed.replace(HERTS, b"Kent Police").replace(PERIOD, b"1st April 2015 - 31st March 2016"),
        "f_essex.txt": seed.replace(HERTS, b"Essex Police").replace(b"\t139", b"\t130"),
        "g_nobody.txt": seed.replace(HERTS, b"A police force").replace(b"\t139", b"\t120"),
    })
    table = comparable_responses(data.manifest, data.figures).set_index(
        data.manifest["file"].str.rsplit("/", n=1).str[-1])
    # "Herts Police" is Hertfordshire again, over the same period: the later reply (by name, with no
    # date received) supersedes the earlier, as in fosi status.
    assert table.loc[["c_herts_again.txt", "f_essex.txt"], "comparable"].all()
    reasons = table["reasons"]
    assert "byte-identical to" in reasons["b_copy.txt"] and "a_herts.txt" in reasons["b_copy.txt"]
    assert reasons["a_herts.txt"].startswith("superseded by") and "c_herts_again.txt" in reasons["a_herts.txt"]
    assert "period is not stated" in reasons["d_no_period.txt"]
    # Outcome 21 came into use in January 2016: 91 of the 366 days of 2015/16 (1 January to 31 March).
    assert "could be used on 91 of its 366 days" in reasons["e_kent.txt"]
    assert "force is not stated" in reasons["g_nobody.txt"]
    assert not table.loc[["a_herts.txt", "b_copy.txt", "d_no_period.txt", "e_kent.txt", "g_nobody.txt"],
                         "comparable"].any()
    assert all(isinstance(text, str) and text for text in table["reasons"])  # never None or nan
    # The comparison pools only the comparable ones, and lists the rest without stopping.
    result = compare_forces(data, "21")
    assert sorted(result.table["force"]) == ["Essex", "Hertfordshire"]
    assert sum(c.startswith("left out") for c in result.verdict.caveats) == 5


def test_the_requested_period_offences_and_unit_are_plain_arguments(tmp_path):
    seed = SEED.read_bytes()
    data = _round_robin(tmp_path / "replies", {"herts.txt": seed})
    inside = comparable_responses(data.manifest, data.figures, "21", period_start="2016-01-01",
                                  period_end="2018-12-31", offence_codes=["86/2"], unit="crimes")
    assert inside["comparable"].tolist() == [True] and inside["offences"].tolist() == ["86/2"]
    outside = comparable_responses(data.manifest, data.figures, "21", period_start="2016-01-01",
                                   period_end="2017-12-31")
    assert "lies outside the one asked about" in outside["reasons"].iloc[0]
    people = comparable_responses(data.manifest, data.figures, "21", unit="people")
    assert people["reasons"].iloc[0] == "it counts crimes; the set counts people"
    other = comparable_responses(data.manifest, data.figures, "21", offence_codes=["86/15"])
    assert "no figures for the offences asked about (86/15)" in other["reasons"].iloc[0]


def test_the_default_comparison_rates_the_requested_group_not_all_offences():
    # Item: the seed's "all offences" row mixes 8/71 (line 18: 79 crimes, line 30: 1 closed) into the
    # rate; the comparison rates the indecent-images group, 86/2 and 86/10 here, and says so.
    result = compare_forces(load_dataset([SEED]), "21")
    [row] = result.table.itertuples()
    assert (row.count, row.base) == (149 - 1, 685 - 79)
    assert "8/71" not in row.offences and "86/2" in row.offences


@pytest.mark.parametrize("bad", ["unit", "date_basis"])
def test_an_unstated_unit_or_basis_excludes_only_that_response(tmp_path, bad):
    seed = SEED.read_bytes()
    data = _round_robin(tmp_path / "replies", {"a.txt": seed, "b.txt": seed.replace(HERTS, b"Kent Police")})
    manifest = data.manifest.copy()
    manifest.loc[1, bad] = None
    table = comparable_responses(manifest, data.figures)
    assert table["comparable"].tolist() == [True, False]
    assert "a sidecar can state" in table["reasons"].iloc[1]


# --- wrong numbers published: each case a short response written from its description ----------------

from fosi.analysis.rates import outcome_rates  # noqa: E402
from fosi.checks.validate import validate  # noqa: E402
from fosi.readers import read_response  # noqa: E402


def _text(tmp_path, body: str, name: str = "reply.txt", sidecar: str | None = None):
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    if sidecar:
        path.with_suffix(".yml").write_text(sidecar, encoding="utf-8")
    return path


def _rates(path, outcome="21", offence_codes=None):
    data = load_dataset([path])
    return outcome_rates(data.figures, outcome, offence_codes=offence_codes, findings=data.findings)


def _rule(path, rule):
    return [f for f in validate(read_response(path)) if f.rule == rule]


HEAD = "Kent Police\nCrimes whose outcome was assigned between 1 April 2019 and 31 March 2020.\n\n"


def test_1_a_zero_is_never_inferred_from_a_spelling_difference(tmp_path):
    path = _text(tmp_path, HEAD + "Total crimes\n\nOffence\tTotal\nChild-Distribute Indecent Photo\t100\n"
                 "Child - Having Indecent Photo Of\t50\nTotal\t150\n\nTotal crimes - Outcome 21\n\nOffence\tTotal\n"
                 "Child-Dist. Indecent Photo\t40\nChild - Having Indecent Photo Of\t5\nTotal\t45\n")
    rates = _rates(path).set_index("row_label")
    distribute = rates.loc["Child-Distribute Indecent Photo"]
    assert pd.isna(distribute["count"]) and "Child-Dist. Indecent Photo" in distribute["reason"]
    group = rates[rates["scope"] != "offence"]
    assert group["rate"].isna().all()  # never 5 of 150; the truth (45 of 150) is not known to fosi


def test_2_a_zero_is_never_inferred_where_small_counts_are_left_out(tmp_path):
    path = _text(tmp_path, HEAD + "Total crimes\n\nOffence\tTotal\nChild-Distribute Indecent Photo\t312\n"
                 "Child-Taking Indecent Photo\t40\nTotal\t352\n\nTotal crimes - Outcome 21\n\nOffence\tTotal\n"
                 "Child-Distribute Indecent Photo\t120\nTotal\t120\n\n"
                 "Please note that offences with fewer than 5 crimes are not shown in these tables.\n")
    assert _rule(path, "small-counts-omitted")
    rates = _rates(path).set_index("row_label")
    taking = rates.loc["Child-Taking Indecent Photo"]
    assert pd.isna(taking["rate"]) and "1 to 4" in taking["reason"]
    assert rates[rates["scope"] != "offence"]["rate"].isna().all()  # never 120 of 352


def test_3_year_columns_are_one_response_dated_by_their_years(tmp_path):
    path = _text(tmp_path, "Essex Police\nCrimes recorded between 1 January 2016 and 31 December 2017.\n\n"
                 "Crimes recorded\n\nOffence\t2016\t2017\nPossession of indecent images of children\t100\t120\n\n"
                 "Crimes recorded - Outcome 21\n\nOffence\t2016\t2017\n"
                 "Possession of indecent images of children\t24\t30\n")
    rates = _rates(path)
    year = rates[(rates["scope"] == "offence") & (rates["column_label"] == "2016")].iloc[0]
    assert (year["period_start"], year["period_end"]) == ("2016-01-01", "2016-12-31")
    result = compare_forces(load_dataset([path]), "21")
    [row] = result.table.itertuples()  # one response, not one per year
    assert (row.count, row.base) == (54, 220) and (row.period_start, row.period_end) == ("2016-01-01", "2017-12-31")


def test_4_outcome_21_by_year_keeps_to_the_offences_and_never_adds_a_table_twice(tmp_path):
    path = _text(tmp_path, "Kent Police\nCrimes recorded between 1 January 2016 and 31 December 2016.\n\n"
                 "Outcome 21 by offence\n\nOffence\t2016\nTake, make or distribute indecent photographs of children"
                 "\t30\nPossession of indecent images of children\t5\nDisclosing private sexual photographs\t50\n"
                 "Total\t85\n\n"
                 "Outcome 21 by suspect age\n\nAge\t2016\nUnder 18\t60\n18 and over\t25\nTotal\t85\n")
    from fosi.analysis.forces import yearly

    years = yearly(load_dataset([path]).figures, "21")
    assert years["count"].tolist() == [35]  # 86/2 and 86/10 (30 + 5); never 170, nor 85 with 8/71


def test_5_a_base_must_count_all_crimes(tmp_path):
    prosecuted = _text(tmp_path, HEAD + "Crimes - Prosecuted\n\nOffence\tTotal\nChild-Distribute Indecent Photo\t16\n\n"
                       "Crimes - Outcome 21\n\nOffence\tTotal\nChild-Distribute Indecent Photo\t5\n", "prosecuted.txt")
    assert _rates(prosecuted)["rate"].isna().all()  # never 5/16
    young = _text(tmp_path, HEAD + "Crimes where the suspect was aged under 18\n\nOffence\tTotal\n"
                  "Child-Distribute Indecent Photo\t16\n\nCrimes - Outcome 21\n\nOffence\tTotal\n"
                  "Child-Distribute Indecent Photo\t5\n", "young.txt")
    [offence] = _rates(young).query("scope == 'offence'").itertuples()
    assert pd.isna(offence.rate) and "age restriction" in offence.reason
    arrests = load_dataset([SEED.parent.parent.parent / "tests/corpus/real/northumbria_217-19.txt"])
    rates = outcome_rates(arrests.figures, "1", findings=arrests.findings)
    assert rates["rate"].isna().all()  # never 6/7 arrests "charged"


def test_6_units_are_per_table(tmp_path):
    path = _text(tmp_path, HEAD + "Total Crimes\n\nOffence\tTotal\nChild-Distribute Indecent Photo\t70\n\n"
                 "Number of people (suspects) dealt with by Outcome 21\n\nOffence\tTotal\n"
                 "Child-Distribute Indecent Photo\t45\n")
    [offence] = _rates(path).query("scope == 'offence'").itertuples()
    assert pd.isna(offence.rate) and "unit" in offence.reason  # never 45/70 as crimes


def test_7_each_date_basis_statement_belongs_to_the_table_it_names(tmp_path):
    body = ("Kent Police\n1 April 2019 to 31 March 2020\n\nTable 1: all crimes\n\nOffence\tTotal\n"
            "Child-Distribute Indecent Photo\t70\n\nTable 2: Outcome 21\n\nOffence\tTotal\n"
            "Child-Distribute Indecent Photo\t20\n\n")
    named = _text(tmp_path, body + "Note 1: Table 1 counts crimes recorded in the period.\n"
                  "Note 2: Table 2 counts crimes by outcome date.\n", "named.txt")
    tables = read_response(named).tables
    assert [t.date_basis.text for t in tables] == ["recorded", "outcome"]
    [offence] = _rates(named).query("scope == 'offence'").itertuples()
    assert pd.isna(offence.rate)  # different bases: no rate
    both = _text(tmp_path, body + "Note: figures are of crimes reported between these dates and finalised in "
                 "the period.\n", "both.txt")
    assert _rule(both, "date-basis-conflict")
    assert _rates(both)["rate"].isna().all()


def test_8_period_and_basis_come_from_the_answer_not_the_quoted_request(tmp_path):
    path = _text(tmp_path, "Kent Police\n\nYou asked: how many crimes were recorded between 1 January 2010 and "
                 "31 December 2018?\n\nOur answer: the figures below cover 1 January 2016 to 31 December 2018, by "
                 "outcome date.\n\nTotal crimes\n\nOffence\tTotal\nChild-Distribute Indecent Photo\t300\n\n"
                 "Total crimes - Outcome 21\n\nOffence\tTotal\nChild-Distribute Indecent Photo\t100\n")
    meta = read_response(path).metadata
    assert (meta.period_start.text, meta.period_end.text, meta.date_basis.text) == ("2016-01-01", "2018-12-31",
                                                                                    "outcome")
    [row] = compare_forces(load_dataset([path]), "21").table.itertuples()
    assert row.count_per_year == pytest.approx(100 / (1096 / 365.2425))  # 33.3 a year, not 11.1


@pytest.mark.parametrize("title", ["Outcome 21/22", "OC21/OC22", "Outcome 16 and Outcome 21", "Outcome 2/3 cautions"])
def test_9_a_title_naming_two_outcomes_is_no_single_outcomes_table(tmp_path, title):
    path = _text(tmp_path, HEAD + f"Total crimes\n\nOffence\tTotal\nChild-Distribute Indecent Photo\t100\n\n"
                 f"{title}\n\nOffence\tTotal\nChild-Distribute Indecent Photo\t40\n")
    assert _rule(path, "outcome-combined")
    for code in ("21", "22", "16", "2", "3"):
        assert _rates(path, code).empty or _rates(path, code)["rate"].isna().all()


def test_10_separate_outcome_tables_that_add_up_to_more_than_the_base(tmp_path):
    path = _text(tmp_path, HEAD + "Total crimes\n\nOffence\tTotal\nChild-Distribute Indecent Photo\t10\n\n"
                 "Total crimes - Outcome 21\n\nOffence\tTotal\nChild-Distribute Indecent Photo\t7\n\n"
                 "Total crimes - Outcome 10\n\nOffence\tTotal\nChild-Distribute Indecent Photo\t6\n\n"
                 "Total crimes - Outcome 1\n\nOffence\tTotal\nChild-Distribute Indecent Photo\t5\n")
    [finding] = _rule(path, "outcome-mix-exceeds-all")
    assert finding.severity == "error" and finding.found == "18" and finding.expected == "<= 10"
    for code in ("21", "10", "1"):
        assert _rates(path, code)["rate"].isna().all()


def test_11_an_age_restriction_is_read_from_titles_and_notes(tmp_path):
    titled = _text(tmp_path, HEAD + "Total crimes where the suspect was aged under 18\n\nOffence\tTotal\n"
                   "Child-Distribute Indecent Photo\t100\n\nOutcome 21 where the suspect was aged under 18\n\n"
                   "Offence\tTotal\nChild-Distribute Indecent Photo\t40\n", "titled.txt")
    noted = _text(tmp_path, HEAD.replace("Kent", "Essex") + "Total crimes\n\nOffence\tTotal\n"
                  "Child-Distribute Indecent Photo\t100\n\nTotal crimes - Outcome 21\n\nOffence\tTotal\n"
                  "Child-Distribute Indecent Photo\t40\n\nAll of these figures relate to suspects aged under 18 at "
                  "the time of the offence.\n", "noted.txt")
    for path in (titled, noted):
        data = load_dataset([path])
        assert set(data.figures["age_restriction"].dropna()) == {"under 18"}
        [row] = compare_forces(data, "21").table.itertuples()
        assert row.rate == pytest.approx(0.4) and "no under 18 population" in row.population_note \
            or "under 18" in row.population_note
    everyone = _text(tmp_path, HEAD.replace("Kent", "Surrey") + "Total crimes\n\nOffence\tTotal\n"
                     "Child-Distribute Indecent Photo\t100\n\nTotal crimes - Outcome 21\n\nOffence\tTotal\n"
                     "Child-Distribute Indecent Photo\t40\n", "everyone.txt")
    table = comparable_responses(*(lambda d: (d.manifest, d.figures))(load_dataset([titled, everyone])))
    assert table["comparable"].tolist().count(False) == 1
    assert "under 18" in " ".join(table["reasons"])


# --- withheld cells revealed ---------------------------------------------------------------------------

def test_15_exact_bounds_find_a_cell_fixed_only_by_the_whole_grid(tmp_path):
    # Withheld cells in a 4x4 grid whose row and column totals, taken together, allow only 2 for the
    # cell under Q2 of "Making" (cell by cell, each total alone leaves every withheld cell 1 to 4 or more).
    path = _text(tmp_path, "Kent Police\nCrimes recorded between 1 April 2019 and 31 March 2020.\n\n"
                 "Crimes recorded by quarter\n\nOffence\tQ1\tQ2\tQ3\tQ4\tTotal\n"
                 "Possession of indecent images\t<5\t<5\t4\t1\t11\nDistribution of indecent images\t<5\t<5\t1\t3\t10\n"
                 "Making indecent images\t3\t<5\t<5\t<5\t12\nTaking indecent images\t1\t4\t<5\t<5\t11\n"
                 "Total\t10\t12\t11\t11\t44\n")
    [finding] = _rule(path, "suppression-ineffective")
    assert finding.severity == "warning" and not any(ch.isdigit() for ch in finding.message)


def test_15_a_withheld_cell_fixed_by_another_table_of_the_same_crimes(tmp_path):
    path = _text(tmp_path, HEAD + "Outcome 21 by offence\n\nOffence\tCrimes\nPossession of indecent images\t15\n"
                 "Taking indecent images\t<5\nDistribution of indecent images\t12\n\n"
                 "Outcome 21 by quarter\n\nQuarter\tCrimes\nApril to June\t8\nJuly to September\t7\n"
                 "October to December\t6\nJanuary to March\t9\n")
    [finding] = _rule(path, "suppression-ineffective")
    assert "table 2" in finding.message and not any(ch.isdigit() for ch in finding.message.replace("table 2", ""))
    figures = load_dataset([path]).figures
    shown = figures[figures["count"].notna()]
    # 30 - 27 = 3: once masked, the published figures no longer fix the withheld cell.
    assert not (set(shown["table"]) == {1, 2} and len(shown) == 6)
    assert (figures["marker"] == "[masked]").any()


def test_16_figures_that_fix_a_withheld_cell_are_masked_in_the_dataset_and_its_outputs(tmp_path):
    path = _text(tmp_path, HEAD + "Total crimes - Outcome 21\n\nOffence\tCrimes\nPossession of indecent images\t<5\n"
                 "Taking indecent images\t<5\nDistribution of indecent images\t12\nTotal\t20\n")
    assert _rule(path, "suppression-ineffective")
    data = load_dataset([path])
    assert not data.figures["count"].isin([12, 20]).any()
    assert (data.figures["marker"] == "[masked]").sum() == 2
    csv_text = data.figures.to_csv(index=False)
    assert ",12," not in csv_text and ",20," not in csv_text
    rates = outcome_rates(data.figures, "21", findings=data.findings)
    assert not rates["count"].isin([12, 20]).any() and not rates["base"].isin([12, 20]).any()
    from fosi.checks.validate import disclosure, mask_revealing

    masked = mask_revealing(read_response(path))
    assert disclosure(masked)[0] == set()  # what is published fixes no withheld cell


def test_13_a_rate_per_year_counts_only_the_days_the_outcome_was_in_use(tmp_path):
    # 2015/16: Outcome 21 could be used from 1 January 2016, 91 of the year's 366 days.
    path = _text(tmp_path, "Kent Police\nCrimes whose outcome was assigned between 1 April 2015 and 31 March 2016.\n\n"
                 "Total crimes\n\nOffence\tTotal\nChild-Distribute Indecent Photo\t420\n\n"
                 "Total crimes - Outcome 21\n\nOffence\tTotal\nChild-Distribute Indecent Photo\t25\n")
    data = load_dataset([path])
    assert not comparable_responses(data.manifest, data.figures)["comparable"].any()
    from fosi.analysis.forces import force_rates

    [row] = force_rates(data.figures, data.manifest, "21", override=True).table.itertuples()
    assert row.count_per_year == pytest.approx(25 / (91 / 365.2425))


# --- wording ----------------------------------------------------------------------------------------------

def test_17_pooled_by_override_is_on_the_mix_its_csv_and_the_funnels_alt_text(tmp_path):
    import base64

    from fosi.analysis.forces import outliers
    from fosi.publish.narrative import funnel_chart_description
    from fosi.publish.sections import mix_display

    seed = SEED.read_bytes()
    data = _round_robin(tmp_path / "replies", {"a.txt": seed, "b.txt": seed.replace(HERTS, b"Kent Police"),
                                               "c.txt": seed.replace(HERTS, b"Essex Police").replace(b"\t139", b"\t90")
                                               .replace(b"Total\t149", b"Total\t100"),
                                               "d.txt": seed.replace(HERTS, b"Surrey Police").replace(
                                                   PERIOD, b"1st April 2015 - 31st March 2016")})
    result = compare_forces(data, "21", override=True)
    assert result.verdict.override
    shown = mix_display(result)
    assert "POOLED BY OVERRIDE" in shown.text
    encoded = shown._repr_html_().split("base64,")[1].split('"')[0]
    assert "POOLED BY OVERRIDE" in base64.b64decode(encoded).decode("utf-8-sig")
    assert "POOLED BY OVERRIDE" in funnel_chart_description(result, outliers(result))


def test_17_a_count_above_a_withheld_base_names_the_real_problem(tmp_path):
    path = _text(tmp_path, HEAD + "Total crimes\n\nOffence\tTotal\nChild-Distribute Indecent Photo\t<5\n\n"
                 "Total crimes - Outcome 21\n\nOffence\tTotal\nChild-Distribute Indecent Photo\t7\n")
    [offence] = outcome_rates(load_dataset([path]).figures, "21").query("scope == 'offence'").itertuples()
    assert "7 closed is more than the base" in offence.reason and "at most 4" in offence.reason


def test_17_quarters_are_not_called_offences(tmp_path):
    path = _text(tmp_path, HEAD + "Total crimes\n\nQuarter\tTotal\nApril to June\t10\nJuly to September\t12\n"
                 "October to December\t9\nJanuary to March\t11\n\nTotal crimes - Outcome 21\n\nQuarter\tTotal\n"
                 "April to June\t2\nJuly to September\t3\nOctober to December\t1\nJanuary to March\t4\n")
    overall = outcome_rates(load_dataset([path]).figures, "21").query("scope == 'all offences'")
    assert "4 rows that name no offence" in overall["row_label"].iloc[0]
    assert "offences without a code" not in overall["row_label"].iloc[0]


def test_17_a_note_between_the_heading_and_its_table(tmp_path):
    path = _text(tmp_path, HEAD + "Total crimes\n\nOffence\tTotal\nChild-Distribute Indecent Photo\t100\n\n"
                 "Outcome 21\n\nPlease note these figures are provisional.\n\nOffence\tTotal\n"
                 "Child-Distribute Indecent Photo\t40\n")
    [offence] = _rates(path).query("scope == 'offence'").itertuples()
    assert (offence.count, offence.base) == (40, 100)


def test_17_grammar_of_counts_and_periods(tmp_path):
    from fosi.publish.narrative import dispersion_text, rate_sentence

    row = pd.Series({"outcome_code": "21", "scope": "offence", "row_label": "Child-Show Indecent Photo",
                     "rate": 0.0, "reason": pd.NA, "count": 0, "base": 1, "ci_low": 0.0, "ci_high": 0.79,
                     "confidence": 0.95, "unit": "crimes", "note": pd.NA, "small_base": True})
    assert "0 of the 1 “Child-Show Indecent Photo” crime" in rate_sentence(row)
    assert " was closed with Outcome 21" in rate_sentence(row)
    seed = SEED.read_bytes()
    leap = seed.replace(PERIOD, b"1st April 2015 - 31st March 2016")  # 366 days, 12 months
    plain = seed.replace(PERIOD, b"1st April 2016 - 31st March 2017").replace(HERTS, b"Kent Police")  # 365 days
    data = _round_robin(tmp_path / "replies", {"a.txt": leap.replace(HERTS, b"Essex Police"), "b.txt": plain})
    table = comparable_responses(data.manifest, data.figures, outcome="10")
    assert table["caveats"].tolist() == ["none", "none"]  # 12 months each, whatever 29 February
    from fosi.analysis.synthetic import synthetic_dataset

    text = dispersion_text(compare_forces(synthetic_dataset(), "21", ["86/2"]))
    assert "10th and 90th percentiles" in text and "type 7" in text


def test_17_one_response_lies_outside(tmp_path):
    from fosi.analysis.forces import outliers
    from fosi.analysis.synthetic import synthetic_dataset
    from fosi.publish.narrative import comparison_text

    result = compare_forces(synthetic_dataset(), "21", ["86/2"])
    one = outliers(result).sort_values("level").head(1)  # one response outside the 95% limits only
    one["level"] = 0.95
    text = comparison_text(result, one)
    assert "1 of 12 responses lies outside the 95% limits" in text
    assert "0 of 12 responses lie outside the 99.8% limits" in text


def test_15_a_cell_withheld_in_one_reply_and_printed_in_another_of_the_same_force_and_period(tmp_path):
    body = (HEAD + "Total crimes - Outcome 21\n\nOffence\tCrimes\nPossession of indecent images of children\t30\n"
            "Taking indecent photographs of children\t{taking}\nTotal\t{total}\n")
    # The first reply withholds the 86/2 cell; a later reply for the same force and period prints the
    # other figure and a total, from which 33 - 30 = 3 (its own cell printed as <5 too, but totals differ).
    data = _round_robin(tmp_path / "replies", {
        "a_first.txt": body.format(taking="<5", total="").replace("Total\t\n", "").encode(),
        "b_second.txt": body.format(taking="<5", total="33").encode(),
    })
    shown = data.figures[data.figures["count"].notna()]
    assert not shown["count"].isin([33]).any()  # the second reply's total is masked: it fixes the cell
    assert (data.figures["marker"] == "[masked]").any()


def test_15_a_cell_printed_in_a_second_reply_of_the_same_force_is_masked_there(tmp_path):
    body = HEAD + "Total crimes - Outcome 21\n\nOffence\tCrimes\nTaking indecent photographs of children\t{taking}\n" \
        "Possession of indecent images of children\t30\n"
    data = _round_robin(tmp_path / "replies", {"a.txt": body.format(taking="<5").encode(),
                                               "b.txt": body.format(taking="3").encode()})
    assert 3 not in set(data.figures["count"].dropna())
    warned = data.findings[data.findings["rule"] == "suppression-ineffective"]
    assert len(warned) == 1 and "b.txt" in warned["message"].iloc[0]


def test_a_later_reply_of_the_same_force_supersedes_the_earlier_in_the_comparison_as_in_status(tmp_path):
    seed = SEED.read_bytes()
    folder = tmp_path / "replies"
    folder.mkdir()
    (folder / "herts.txt").write_bytes(seed)
    (folder / "herts_revised.txt").write_bytes(seed.replace(b"\t139", b"\t138"))
    # Dates received (sidecars) decide which is later, whatever the names.
    (folder / "herts.yml").write_text("date_received: 2026-11-02\n", encoding="utf-8")
    (folder / "herts_revised.yml").write_text("date_received: 2026-10-01\n", encoding="utf-8")
    data = load_dataset([folder])
    table = comparable_responses(data.manifest, data.figures).set_index(
        data.manifest["file"].str.rsplit("/", n=1).str[-1])
    assert table.loc["herts.txt", "comparable"] and not table.loc["herts_revised.txt", "comparable"]
    assert "the same crimes would be counted twice, and that reply is the later" in table.loc["herts_revised.txt",
                                                                                              "reasons"]
    (folder / "herts_revised.yml").write_text("date_received: 2026-12-01\n", encoding="utf-8")
    data = load_dataset([folder])
    table = comparable_responses(data.manifest, data.figures).set_index(
        data.manifest["file"].str.rsplit("/", n=1).str[-1])
    assert table.loc["herts_revised.txt", "comparable"]
    assert table.loc["herts.txt", "reasons"].startswith("superseded by") and not table.loc["herts.txt", "comparable"]


def test_a_reply_from_a_force_not_asked_is_left_out_of_the_comparison(tmp_path):
    data = _round_robin(tmp_path / "replies", {"a_herts.txt": SEED.read_bytes(),
                                               "b_essex.txt": SEED.read_bytes().replace(HERTS, b"Essex Police")})
    table = comparable_responses(data.manifest, data.figures, asked=("Essex",))
    reasons = dict(zip(table["force"], table["reasons"]))
    assert reasons["Hertfordshire"] == "its force is not one of the forces asked (request.yml)"
    assert table.set_index("force").loc["Essex", "comparable"]
