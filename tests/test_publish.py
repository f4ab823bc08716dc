"""Never publish a number the responses do not support: bases, offence groups, date bases,
contradictions, the comparability guard, periods and populations, disclosure and wording.

Each test reads a small response in the seed's layout; expected values are read off the
fixture (line numbers given) or computed here, never taken from fosi's own output.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import re
import subprocess
import sys

import pandas as pd
import pytest

from conftest import CORPUS, FIXTURES, ROOT, SEED
from fosi.analysis.comparison import comparable_responses
from fosi.analysis.forces import (
    apply_period_policy,
    compare_forces,
    demonstration,
    outliers,
    population_for,
)
from fosi.analysis.rates import outcome_rates
from fosi.build import load_dataset
from fosi.checks.validate import INEFFECTIVE, validate
from fosi.publish.narrative import (
    comparison_text,
    outcome_introduction,
    rate_sentence,
    rates_narrative,
)
from fosi.publish.sections import force_table, key_figure, rates_table
from fosi.readers import read_response
from fosi.readers.formats.sidecar import apply_sidecar
from fosi.readers.formats.text import read_text


def fosi(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "fosi", *args], capture_output=True, text=True, cwd=ROOT, env=env)


def _rates(*paths, outcome="21", offences=None):
    data = load_dataset(list(paths))
    return outcome_rates(data.figures, outcome, offences=offences, findings=data.findings)


def _row(rates, label):
    [row] = [row for _, row in rates.iterrows() if row["row_label"] == label]
    return row


def _overall(rates):
    [row] = [row for _, row in rates.iterrows() if row["scope"] == "all offences"]
    return row


# --- 1. a base is only a table presented as all crimes ---------------------------------------

def test_a_table_titled_with_an_unmapped_disposal_is_never_a_base():
    # base_caution_unmapped.txt: table 1 is titled "... - Caution" (line 7), table 2 is Outcome 21
    # (line 14): 25 of the Caution table's 30 distribution crimes must not become a rate.
    rates = _rates(FIXTURES / "base_caution_unmapped.txt")
    assert rates["rate"].isna().all() and rates["base"].isna().all()
    reason = _row(rates, "Child-Distribute Indecent Photo")["reason"]
    assert reason.startswith("not computed: the response has no table of all crimes")
    assert "Caution" in reason and "cannot map" in reason
    findings = validate(read_response(FIXTURES / "base_caution_unmapped.txt"))
    assert [(f.rule, f.severity, f.line) for f in findings] == [("outcome-unmapped", "warning", 7)]
    assert "Caution" not in rates_table(rates).index


def test_beside_an_all_crimes_table_the_disposal_table_is_left_out():
    # base_beside_caution.txt: all crimes, lines 10-11 (100 distribution, 20 taking); Outcome 21,
    # lines 25-26 (25 and 3). The Caution table (lines 17-18) is neither.
    rates = _rates(FIXTURES / "base_beside_caution.txt")
    row = _row(rates, "Child-Distribute Indecent Photo")
    assert (row["count"], row["base"]) == (25, 100)
    assert (_overall(rates)["count"], _overall(rates)["base"]) == (25 + 3, 100 + 20)


def test_west_yorkshire_caution_row_is_an_unmapped_outcome_not_an_offence():
    # Corpus: the "Caution" row (line 18) of a table whose rows are outcomes.
    path = CORPUS / "west-yorkshire_1711564-23.txt"
    rates = _rates(path)
    assert "Caution" not in set(rates["row_label"])
    assert rates["base"].isna().all()  # no table of all crimes in this response
    assert ("outcome-unmapped", 18) in [(f.rule, f.line) for f in validate(read_response(path))]


# --- 2. offence groups --------------------------------------------------------------------------

# Seed, lines 12-17 and 26-29: the six "Child" offences (86/2 and 86/10) and their Outcome 21 figures;
# line 18 and 30: 79 and 1 for "Harassment-Disclose Private Sexual Photographs" (8/71).
SEED_86_BASE = 125 + 358 + 98 + 12 + 1 + 12
SEED_86_COUNT = 2 + 139 + 6 + 1


def test_the_seeds_overall_row_is_named_for_the_mixed_groups_and_has_subtotals():
    rates = _rates(SEED)
    groups = rates[rates["scope"] == "offence group"]
    assert list(groups["row_label"]) == ["Indecent images of children (86/2, 86/10)",
                                         "Disclosing private sexual images (8/71)"]
    assert list(zip(groups["count"], groups["base"])) == [(SEED_86_COUNT, SEED_86_BASE), (1, 79)]
    assert _overall(rates)["row_label"] == "All offences listed, mixed groups (86/2, 86/10, 8/71)"


def test_fosi_rates_offences_gives_148_of_606_on_the_seed():
    assert (SEED_86_COUNT, SEED_86_BASE) == (148, 606)
    result = fosi("rates", str(SEED), "--offences", "86/2,86/10", "--format", "csv")
    assert result.returncode == 0, result.stderr
    rates = pd.read_csv(io.StringIO(result.stdout))
    overall = rates[rates["scope"] == "all offences"].iloc[0]
    assert (overall["count"], overall["base"]) == (148, 606)
    assert overall["row_label"] == "Offences chosen: Indecent images of children (86/2, 86/10)"
    assert "8/71" not in set(rates["offence_code"].dropna())
    # 148/606 = 24.4%, Wilson 95% 21.2%-28.0% (the independent check).
    assert round(overall["rate"] * 100, 1) == 24.4
    assert (round(overall["ci_low"] * 100, 1), round(overall["ci_high"] * 100, 1)) == (21.2, 28.0)


@pytest.mark.parametrize("offences", ["86/*", "086/02, 86/10", ["86/2", "86/10"]])
def test_every_way_of_naming_the_86_offences_gives_148_of_606(offences):
    from fosi.publish.parameters import check_offence_codes

    overall = _overall(_rates(SEED, offences=check_offence_codes(offences)))
    assert (overall["count"], overall["base"]) == (148, 606)


def test_unlisted_is_zero_is_decided_on_the_whole_table():
    # Outcome 21's printed total (149, line 31) equals the five rows it lists (lines 26-30): the two
    # 86/2 offences it does not list are 0 even when 8/71 (line 30) is filtered out.
    rates = _rates(SEED, offences=["86/2"])
    row = _row(rates, "Child-Possess Indecent Photo For Distribution")
    assert (row["count"], row["base"]) == (0, 12)
    assert (_overall(rates)["count"], _overall(rates)["base"]) == (139 + 6 + 1, 358 + 98 + 12 + 1 + 12)


def test_the_comparison_notebooks_offence_codes_filter(tmp_path):
    data = load_dataset([SEED])
    [row] = compare_forces(data, "21", ["86/*"]).table.itertuples()
    assert (row.count, row.base) == (148, 606)


def test_the_rates_notebook_takes_offence_codes(tmp_path):
    out = tmp_path / "out.ipynb"
    result = subprocess.run([sys.executable, "-m", "papermill", str(ROOT / "notebooks" / "01_outcome_rates.ipynb"),
                             str(out), "-y", "offence_codes: ['86/2', '86/10']", "--no-progress-bar"],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr[-2000:]
    text = json.dumps(json.load(out.open())["cells"])
    assert "148 of the 606 crimes" in text and "Harassment" not in text.split("## Rates")[-1].split("## The forces")[0]


# --- 3. date basis per table ----------------------------------------------------------------------

def test_each_table_carries_its_own_date_basis():
    # date_basis_mixed.txt: "Crimes recorded in the period" (line 5) over table 1; "Crimes with an
    # outcome assigned in the period - Outcome 21" (line 12) over table 2.
    response = read_response(FIXTURES / "date_basis_mixed.txt")
    assert [(t.date_basis.text, t.date_basis.line) for t in response.tables] == [("recorded", 5), ("outcome", 12)]
    assert set(response.figures.groupby("table")["date_basis"].first().items()) == {(1, "recorded"), (2, "outcome")}


def test_a_rate_whose_count_and_base_differ_in_basis_is_not_computed():
    rates = _rates(FIXTURES / "date_basis_mixed.txt")
    assert rates["rate"].isna().all()  # 65/350 = 18.6% would mix the two bases
    assert "different date bases" in _row(rates, "Possession of indecent images")["reason"]
    [finding] = validate(read_response(FIXTURES / "date_basis_mixed.txt"))
    assert (finding.rule, finding.line) == ("date-basis-mixed", 12)
    assert "(line 12)" in finding.message and "(line 5)" in finding.message


def test_a_basis_stated_under_the_last_table_is_that_tables():
    # West Yorkshire: "crimes recorded during the period" in the notes under its only table (line 31).
    response = read_response(CORPUS / "west-yorkshire_1711564-23.txt")
    assert response.tables[-1].date_basis.text == "recorded"


def test_tables_that_state_no_basis_follow_the_response():
    response = read_response(SEED)  # line 7: "Outcome assignment date", above table 1 only
    assert [t.date_basis.line if t.date_basis else None for t in response.tables] == [7, None, None]
    assert set(response.figures["date_basis"]) == {"outcome"}
    assert not [f for f in validate(response) if f.rule == "date-basis-mixed"]


# --- 4. contradictions withhold --------------------------------------------------------------------

def test_a_contradicted_rate_says_which_lines_disagree_and_is_used_nowhere():
    # outcome_above_base.txt: 7 taking crimes closed (line 21) against 3 in all (line 11).
    path = FIXTURES / "outcome_above_base.txt"
    rates = _rates(path)
    taking = _row(rates, "Child-Taking Indecent Photo")
    assert pd.isna(taking["rate"]) and taking["reason"] == "not computed: lines 11 and 21 disagree (outcome-exceeds-all)"
    assert "7 of the 3" not in rates_narrative(rates)
    assert pd.isna(_overall(rates)["rate"]) and "lines 11 and 21 disagree" in _overall(rates)["reason"]
    assert "no rate for indecent images of children offences" in key_figure(rates) and "19 of 43" not in key_figure(rates)
    distribution = _row(rates, "Child-Distribute Indecent Photo")  # lines 10 and 20: 12 of 40, not in doubt
    assert (distribution["count"], distribution["base"], distribution["rate"]) == (12, 40, 12 / 40)
    # In a comparison it enters no pooled rate and no funnel.
    data = load_dataset([path, FIXTURES / "base_beside_caution.txt"])
    result = compare_forces(data, "21", override=True)
    assert result.rated == 1 and result.pooled == pytest.approx(28 / 120)
    assert "lines 11 and 21 disagree" in force_table(result).iloc[0]["Rate"] + force_table(result).iloc[1]["Rate"]


def test_a_base_of_zero_reads_no_crimes():
    # outcome_above_base.txt line 12: "Child-Show Indecent Photo" 0, and not listed under Outcome 21.
    row = _row(_rates(FIXTURES / "outcome_above_base.txt"), "Child-Show Indecent Photo")
    assert row["reason"] == "no crimes" and pd.isna(row["rate"])
    sentence = rate_sentence(row)
    assert sentence == "No rate for “Child-Show Indecent Photo”: there are no such crimes in the response."
    assert "0 of the 0" not in sentence


# --- 5. one guard ----------------------------------------------------------------------------------

def _copy(tmp_path, name, replacements=(), sidecar=None, source=SEED):
    text = source.read_text(encoding="utf-8")
    for old, new in replacements:
        text = text.replace(old, new)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    if sidecar:
        path.with_suffix(".yml").write_text(sidecar, encoding="utf-8")
    return path


KENT = [("Hertfordshire Constabulary", "Kent Police")]


def test_crimes_against_people_leaves_the_people_out_of_the_rates_the_mix_and_years(tmp_path):
    kent = _copy(tmp_path, "kent.txt", KENT, "unit: people\n")
    result = compare_forces(load_dataset([SEED, kent]), "21")
    assert any(c.startswith("left out") and "kent.txt" in c and "it counts people; the set counts crimes" in c
               for c in result.verdict.caveats)
    assert list(result.table["force"]) == ["Hertfordshire"]
    assert set(result.mix["source"]) == {str(SEED.relative_to(ROOT))} and result.years.empty


def test_an_unstated_unit_is_refused_until_a_sidecar_states_it(tmp_path):
    unstated = [*KENT, ("Total Crimes concerning ", ""), ("Total Crimes", "Indecent Photos")]
    kent = _copy(tmp_path, "kent.txt", unstated)
    assert load_dataset([kent]).manifest["unit"].isna().all()
    result = compare_forces(load_dataset([SEED, kent]), "21")
    assert list(result.table["force"]) == ["Hertfordshire"]
    assert any("kent.txt" in c and "does not state what it counts (a sidecar can state its unit)" in c
               for c in result.verdict.caveats)
    kent.with_suffix(".yml").write_text("unit: crimes\n", encoding="utf-8")
    assert compare_forces(load_dataset([SEED, kent]), "21").rated == 2


def test_the_same_force_over_overlapping_periods_is_refused(tmp_path):
    later = _copy(tmp_path, "herts_later.txt", [("1st January 2016 - 31st January 2018",
                                                 "1st January 2017 - 31st January 2019")])
    data = load_dataset([SEED, later])
    table = comparable_responses(data.manifest, data.figures, "21")
    assert table["comparable"].tolist() == [True, False]
    # 1 January 2017 to 31 January 2018: 365 + 31 days in common.
    assert "of the same force (396 days in common): the same crimes would be counted twice" in table["reasons"].iloc[1]
    forced = compare_forces(data, "21", override=True)
    assert forced.verdict.override and forced.rated == 2 and len(forced.mix)


def test_caveats_travel_beside_the_outputs(tmp_path):
    # Kent over a later period that does not overlap: comparable with caveats, listed with the verdict.
    kent = _copy(tmp_path, "kent.txt", [*KENT, ("1st January 2016 - 31st January 2018",
                                                "1st February 2018 - 28th February 2020")])
    result = compare_forces(load_dataset([SEED, kent]), "21")
    # 1 January 2016 to 31 January 2018 is 762 days; 1 February 2018 to 28 February 2020, 758.
    assert result.rated == 2 and any("periods differ in length" in c for c in result.verdict.caveats)
    from fosi.publish.narrative import beside

    assert "periods differ in length" in beside(result.verdict)


def _five_forces(tmp_path):
    """The seed's reply as four forces over its period (1 January 2016 to 31 January 2018: 25 months,
    762 days), and Kent over 1 April 2019 to 31 March 2020 (12 months, 366 days: 29 February 2020 is in it)."""
    copies = [_copy(tmp_path, f"{name.split()[0].lower()}.txt", [("Hertfordshire Constabulary", name)])
              for name in ("Essex Police", "Surrey Police", "Sussex Police")]
    kent = _copy(tmp_path, "kent.txt", [*KENT, ("1st January 2016 - 31st January 2018",
                                                "1st April 2019 - 31st March 2020")])
    return compare_forces(load_dataset([SEED, *copies, kent]), "21")


def test_a_caveat_many_responses_share_is_said_once_with_the_responses_it_concerns(tmp_path):
    from fosi.analysis.comparison import PERIOD_LENGTHS, caveat_groups
    from fosi.publish.narrative import beside, verdict_text

    result = _five_forces(tmp_path)
    assert result.rated == 5
    assert caveat_groups(result.verdict.per_response) == [
        (PERIOD_LENGTHS, [("12 months (366 days)", ["Kent"]),
                          ("25 months (762 days)", ["Hertfordshire", "Essex", "Surrey", "Sussex"])])]
    full, short = verdict_text(result.verdict, listed=True), beside(result.verdict)
    for text in (full, short):
        assert text.count("periods differ in length") + text.count("Periods differ in length") == 1
        assert "12 months (366 days) for Kent" in text
        assert ".txt" not in text  # said of the forces, not file by file
    # Where the verdict is given every response is named; beside each output the largest group is counted.
    assert "25 months (762 days) for the other 4 responses: Hertfordshire, Essex, Surrey and Sussex" in full
    assert short == ("*Comparability: comparable with caveats; caveats: periods differ in length (compare rates, "
                     "or counts per year, not counts): 12 months (366 days) for Kent; 25 months (762 days) for the "
                     "other 4 responses.*")
    # Each response keeps its own caveat in the table of responses (and its CSV).
    own = dict(zip(result.verdict.per_response["force"], result.verdict.per_response["caveats"]))
    assert own["Kent"].startswith("periods differ in length: its 12 months (366 days) vs 25 months (762 days)")


def test_the_force_table_shows_each_rate_with_its_interval_in_one_cell_and_downloads_them_apart(tmp_path):
    import base64

    from fosi.publish.sections import force_display

    result = _five_forces(tmp_path)
    shown = force_display(result)
    page = shown.html
    encoded = page.split('href="data:text/csv;charset=utf-8;base64,')[1].split('"')[0]
    records = list(csv.DictReader(io.StringIO(base64.b64decode(encoded).decode("utf-8-sig"))))
    assert len(records) == 5 and {"File", "Offences", "Rate", "95% CI, low", "95% CI, high"} <= set(records[0])
    for record in records:
        cell = f"{record['Rate']} ({record['95% CI, low']}–{record['95% CI, high']})"
        assert f'<td class="num nowrap">{cell}</td>' in page  # the page's cell is the download's three
    # Seed lines 12-18: 148 of 606 crimes of 86/2 and 86/10 closed with Outcome 21 (24.4%).
    assert "148" in page and "606" in page and "24.4% (" in page
    assert "Rate (95% CI)" in page and ">File<" not in page  # the file is in the table of responses


def test_a_small_base_is_flagged_in_the_rate_cell():
    from fosi.publish.sections import rate_cell

    # 2 of 5 (Wilson 95%: 11.8%-76.9%) and 4 of 10 (16.8%-68.7%), worked by hand from the score formula
    assert rate_cell(0.4, 0.1176, 0.7693, True, None) == "40.0% (11.8%–76.9%), base under 10"
    assert rate_cell(0.4, 0.1682, 0.6873, False, None) == "40.0% (16.8%–68.7%)"
    assert rate_cell(float("nan"), float("nan"), float("nan"), False, "no crimes") == "no crimes"


def test_the_funnels_source_line_counts_the_responses_that_share_the_common_period(tmp_path):
    from fosi.publish.charts import periods_by_response

    table = _five_forces(tmp_path).table
    assert periods_by_response(table) == ("Kent: 1 April 2019 to 31 March 2020; the other 4 responses: "
                                          "1 January 2016 to 31 January 2018")


def test_the_rates_chart_draws_one_response():
    from fosi.publish.charts import plot_rates

    rates = _rates(SEED, FIXTURES / "base_beside_caution.txt")
    with pytest.raises(ValueError, match="one response"):
        plot_rates(rates)


def test_period_policy_same_breaks_ties_by_the_latest_period_whatever_the_hash_seed(tmp_path):
    kent = _copy(tmp_path, "kent.txt", [*KENT, ("1st January 2016 - 31st January 2018",
                                                "1st April 2019 - 31st March 2020")])
    manifest = load_dataset([SEED, kent]).manifest
    kept, left_out = apply_period_policy(manifest, "same")
    assert list(kept["file"]) == [str(kent)] and left_out == [manifest["file"].iloc[0]]
    script = ("import sys; sys.path.insert(0, 'tests'); from fosi.build import load_dataset; "
              "from fosi.analysis.forces import apply_period_policy; from pathlib import Path; "
              f"m = load_dataset([Path({str(SEED)!r}), Path({str(kent)!r})]).manifest; "
              "print(list(apply_period_policy(m, 'same')[0]['file']))")
    outputs = {subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT,
                              env={"PYTHONHASHSEED": seed, "PATH": ""}).stdout for seed in ("1", "2", "3")}
    assert len(outputs) == 1 and str(kent) in outputs.pop()


# --- 6. funnel narrative against the limits drawn ------------------------------------------------------

def test_the_funnel_narrative_counts_against_the_limits_drawn_and_what_chance_would_give():
    demo = demonstration()
    outside = outliers(demo)
    text = comparison_text(demo, outside)
    n = demo.rated
    assert f"about {n * 0.05:.2g} there" in text and f"about {n * 0.002:.2g} there" in text
    assert f"{int((outside['level'] >= 0.95).sum())} of {n} responses lie outside the 95% limits drawn" in text
    assert "widened" in text and "no more than chance" not in text
    for force in outside["force"]:
        assert force in text


# --- 7. periods and populations ---------------------------------------------------------------------

def test_every_combined_output_shows_each_responses_period(tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    from fosi.analysis.forces import funnel
    from fosi.publish.charts import plot_funnel

    kent = _copy(tmp_path, "kent.txt", [*KENT, ("1st January 2016 - 31st January 2018",
                                                "1st April 2019 - 31st March 2020")])
    essex = _copy(tmp_path, "essex.txt", [("Hertfordshire Constabulary", "Essex Police")])
    result = compare_forces(load_dataset([SEED, kent, essex]), "21", override=True)
    assert result.rated == 3
    shown = force_table(result)
    assert set(shown["Period"]) == {"1 January 2016 to 31 January 2018", "1 April 2019 to 31 March 2020"}
    figure = plot_funnel(result, funnel(result), outliers(result))
    from matplotlib.text import Text

    source = " ".join(t.get_text() for t in figure.findobj(Text)).replace("\n", " ")
    assert "Kent: 1 April 2019 to 31 March 2020" in source
    assert "Hertfordshire: 1 January 2016 to 31 January 2018" in source
    assert "Essex: 1 January 2016 to 31 January 2018" in source


def _reference_population(force, year):
    with (ROOT / "fosi" / "reference_data" / "populations.csv").open(encoding="utf-8") as handle:
        return next(int(r["population_all_ages"]) for r in csv.DictReader(handle)
                    if r["police_force_area"] == force and r["reference_date"] == f"mid-{year}")


def test_populations_are_rounded_to_100_and_match_the_period():
    found = population_for("Hertfordshire", "2019-04-01", "2020-03-31")
    exact = _reference_population("Hertfordshire", 2019)
    assert found["reference_date"] == "mid-2019" and found["population"] == (exact + 50) // 100 * 100
    assert found["population"] % 100 == 0


@pytest.mark.parametrize(("start", "end"), [("2015-01-01", "2015-12-31"), ("2020-04-01", "2021-03-31"),
                                            ("2014-06-01", "2016-05-31"), ("2021-01-01", "2023-12-31")])
def test_a_population_lookup_never_crashes(start, end):
    found = population_for("Hertfordshire", start, end)
    assert found["reason"].startswith("not computed: no all ages population for Hertfordshire in a year of the period")


@pytest.mark.parametrize(("age_filter", "reason"), [
    ("under 18", "not computed: no under 18 population for Hertfordshire in the reference list"),
    ("10-17", "not computed: no population for the age group “10-17” in the reference list"),
])
def test_the_population_matches_the_age_filter_or_is_not_used(age_filter, reason):
    assert population_for("Hertfordshire", "2016-01-01", "2018-01-31", age_filter) == {"reason": reason}


def test_an_age_filtered_count_gets_no_per_100000_rate(tmp_path):
    young = _copy(tmp_path, "herts.txt", sidecar="age_filter: under 18\n")
    [row] = compare_forces(load_dataset([young]), "21").table.itertuples()
    assert pd.isna(row.per_100k_per_year) and "no under 18 population" in row.population_note


# --- 8. disclosure control -------------------------------------------------------------------------

_SPANS = {"<5": (1, 4), "*": (1, None), "[c]": (1, None)}


def _span(marker, threshold):
    low, high = _SPANS[marker]
    return low, high if high is not None else (threshold - 1 if threshold else None)


def _fixed(markers, threshold, withheld_sum):
    """Brute force: (feasible, some cell has one possible value) for withheld cells adding to withheld_sum."""
    spans = [_span(m, threshold) for m in markers]
    values = [range(low, (high if high is not None else withheld_sum) + 1) for low, high in spans]
    solutions = [v for v in itertools.product(*values) if sum(v) == withheld_sum]
    if not solutions:
        return False, False
    return True, any(len({s[i] for s in solutions}) == 1 for i in range(len(markers)))


_CASES = [(markers, threshold, withheld_sum)
          for k in (2, 3) for markers in itertools.combinations_with_replacement(["<5", "*", "[c]"], k)
          for threshold in (None, 5) for withheld_sum in range(k - 1, 4 * k + 3)]


@pytest.mark.parametrize(("markers", "threshold", "withheld_sum"), _CASES)
def test_no_output_lets_a_reader_work_out_a_withheld_cell(markers, threshold, withheld_sum):
    # All crimes: 40 and 30 shown, then the withheld cells; Outcome 21 the same offences, 12 and 9.
    labels = ["Possession of indecent images", "Taking indecent images", "Making indecent images",
              "Showing indecent images", "Publishing indecent images"]
    rows = list(zip(labels, ["40", "30", *markers]))
    text = ("Kent Police\nCrimes recorded 1 April 2020 to 31 March 2021\n\nAll crimes\n\nOffence\tCrimes\n"
            + "".join(f"{label}\t{value}\n" for label, value in rows) + f"Total\t{70 + withheld_sum}\n\n"
            "All crimes - Outcome 21\n\nOffence\tCrimes\n"
            + "".join(f"{label}\t{n}\n" for label, n in zip(labels, ["12", "9"])) + "Total\t21\n")
    response = read_text(text, "generated.txt")
    if threshold:
        response = apply_sidecar(response, {"suppression_threshold": threshold}, "generated.yml")
    findings = validate(response)
    feasible, fixed = _fixed(markers, threshold, withheld_sum)
    if not feasible:
        assert [f.rule for f in findings] == ["total-contradicts-suppression"]
        return
    assert [(f.rule, f.message) for f in findings] == ([("suppression-ineffective", INEFFECTIVE)] if fixed else [])
    for finding in findings:
        assert not re.search(r"\d", f"{finding.message}{finding.expected or ''}{finding.found or ''}")
    if not fixed and withheld_sum != 2 * len(markers):
        return  # the rates below do not depend on the total: checked where it fixes cells, and once more
    # No rate, subtotal or overall figure is made from a withheld cell.
    from fosi.model.figures import figures_frame

    rates = outcome_rates(figures_frame(response.records), "21")
    withheld = rates[rates["row_label"].isin(labels[2:2 + len(markers)])]
    assert withheld["base"].isna().all() and withheld["rate"].isna().all()
    assert set(withheld["reason"]) == {f"not computed: the base is withheld ({m})" for m in markers}
    assert pd.isna(_overall(rates)["base"]) and pd.isna(_overall(rates)["count"])
    shown = rates_table(rates)
    assert {f"withheld ({m})" for m in markers} <= set(shown["All crimes of this offence"])


def test_two_totals_together_can_fix_a_withheld_cell():
    # suppression_fixed_by_two_totals.txt: cells a, b (line 5) and c, d (line 6), each <5:
    # a + b = 5 (line 5), a + c = 6 and b + d = 7 (line 7). No total alone fixes a cell; together
    # they leave only a = 2, b = 3, c = 4, d = 4.
    solutions = [v for v in itertools.product(range(1, 5), repeat=4)
                 if v[0] + v[1] == 5 and v[0] + v[2] == 6 and v[1] + v[3] == 7]
    assert solutions == [(2, 3, 4, 4)]
    for total, members in ((5, 2), (6, 2), (7, 2)):
        assert len({v for v in itertools.product(range(1, 5), repeat=members) if sum(v) == total}) > 1
    [finding] = validate(read_response(FIXTURES / "suppression_fixed_by_two_totals.txt"))
    assert (finding.rule, finding.severity, finding.message) == ("suppression-ineffective", "warning", INEFFECTIVE)


def test_validate_prints_no_sum_of_withheld_cells(tmp_path):
    # The case: two <5 cells under a total that leaves them 8 (so both are 4).
    path = tmp_path / "two_cells.txt"
    path.write_text("Kent Police\nCrimes recorded 1 April 2020 to 31 March 2021\n\nOffence\tCrimes\n"
                    "Possession of indecent images\t30\nTaking indecent images\t<5\nMaking indecent images\t<5\n"
                    "Total\t38\n", encoding="utf-8")
    result = fosi("validate", str(path))
    [line, summary] = result.stdout.splitlines()  # the finding, then every command's summary line
    assert line == f"{path}:8: warning suppression-ineffective: {INEFFECTIVE}"
    assert summary.startswith("1 response: ") and not any(str(n) in summary for n in (4, 8, 30, 38))


# --- 9. words --------------------------------------------------------------------------------------

def test_the_method_says_what_an_interval_means_when_every_crime_was_counted():
    text = rates_narrative(_rates(SEED))
    assert "Every crime in a response was counted, so an interval does not describe sampling error" in text


def test_the_introduction_explains_the_chosen_outcome_from_the_reference():
    with (ROOT / "fosi" / "reference_data" / "outcome_codes.csv").open(encoding="utf-8") as handle:
        labels = {row["code"]: row["label"] for row in csv.DictReader(handle)}
    for code in ("10", "21", "1A"):
        assert f"Outcome {code}: {labels[code]}" in outcome_introduction(code)
    assert "children who share images of themselves" not in outcome_introduction("10")


def test_the_synthetic_demonstration_uses_the_chosen_outcome():
    demo = demonstration("10")
    assert demo.synthetic and demo.table.attrs["outcome"] == "10"
    assert "Crimes closed with Outcome 10" in force_table(demo).columns
    assert "Outcome 21" not in " ".join(force_table(demo).columns)
