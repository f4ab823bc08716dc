"""Outcome rates, checked against counts read from the seed and an independent Wilson formula."""

from __future__ import annotations

import math
from statistics import NormalDist

import pandas as pd
import pytest

from conftest import FIXTURES
from fosi.analysis.rates import outcome_rates
from fosi.publish.formatting import interval, percent
from fosi.readers import read_response


def wilson(count: int, base: int, confidence: float) -> tuple[float, float]:
    """Wilson score interval written out from Wilson (1927), independent of fosi and scipy."""
    z = NormalDist().inv_cdf(1 - (1 - confidence) / 2)
    p = count / base
    centre = (p + z * z / (2 * base)) / (1 + z * z / base)
    half = z / (1 + z * z / base) * math.sqrt(p * (1 - p) / base + z * z / (4 * base * base))
    return centre - half, centre + half


def _row(rates, label):
    return rates.set_index("row_label").loc[label]


def test_distribution_rate_matches_the_seed(seed_response):
    # Seed, lines 13 and 27: 358 distribution crimes, 139 of them closed as Outcome 21.
    row = _row(outcome_rates(seed_response.figures, "21"), "Child-Distribute Indecent Photo")
    assert (row["count"], row["base"]) == (139, 358)
    assert row["rate"] == pytest.approx(139 / 358)
    low, high = wilson(139, 358, 0.95)
    assert row["ci_low"] == pytest.approx(low, abs=1e-12)
    assert row["ci_high"] == pytest.approx(high, abs=1e-12)
    assert percent(row["rate"]) == "38.8%"
    assert interval(row["ci_low"], row["ci_high"]) == "33.9%–44.0%"


def _overall(rates):
    [row] = [row for _, row in rates.iterrows() if row["scope"] == "all offences"]
    return row


def test_overall_rate_is_149_of_685_and_named_for_the_groups_it_mixes(seed_response):
    row = _overall(outcome_rates(seed_response.figures, "21"))
    assert (row["count"], row["base"]) == (149, 685)
    assert percent(row["rate"]) == "21.8%"
    # Seed lines 12-18: 86/10, 86/2 and 8/71 (disclosing private sexual photographs) crimes.
    assert row["row_label"] == "All offences listed, mixed groups (86/2, 86/10, 8/71)"


def test_outcome_10_distribution_is_9_of_358(seed_response):
    row = _row(outcome_rates(seed_response.figures, "10", confidence=0.9), "Child-Distribute Indecent Photo")
    assert (row["count"], row["base"]) == (9, 358)
    low, high = wilson(9, 358, 0.9)
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((low, high), abs=1e-12)


def test_offence_missing_under_a_complete_total_counts_as_zero(seed_response):
    # Outcome 21 lists five offences summing to its printed total of 149: nothing is left for
    # "Child-Possess Indecent Photo For Distribution" (12 crimes in all).
    row = _row(outcome_rates(seed_response.figures, "21"), "Child-Possess Indecent Photo For Distribution")
    assert (row["count"], row["base"]) == (0, 12)
    assert "implies 0" in row["note"]


def test_offence_missing_without_a_total_is_unknown(tmp_path):
    text = (FIXTURES / "sections_clean.txt").read_text().replace("Total\t15\n", "").replace(
        "Child-Taking Indecent Photo\t3\n", "")
    path = tmp_path / "no_total.txt"
    path.write_text(text)
    rates = outcome_rates(read_response(path).figures, "21")
    row = _row(rates, "Child-Taking Indecent Photo")
    assert pd.isna(row["count"]) and pd.isna(row["rate"])
    overall = _overall(rates)
    assert pd.isna(overall["rate"]) and overall["reason"].startswith(
        "not computed: it holds “Child-Taking Indecent Photo”, which has no rate")


def test_small_bases_are_flagged(seed_response):
    rates = outcome_rates(seed_response.figures, "21")
    flagged = set(rates.loc[rates["small_base"], "row_label"])
    assert flagged == {"Child-Show Indecent Photo"}  # base of 1 crime (seed line 16)


def test_exact_intervals_are_wider_than_wilson_at_zero(seed_response):
    wilson_row = _row(outcome_rates(seed_response.figures, "21"), "Child-Show Indecent Photo")
    exact_row = _row(outcome_rates(seed_response.figures, "21", method="exact"), "Child-Show Indecent Photo")
    # Clopper-Pearson upper limit for 0 of 1 at 95%: 1 - 0.025 ** (1/1) = 0.975
    assert exact_row["ci_high"] == pytest.approx(0.975)
    assert exact_row["ci_high"] > wilson_row["ci_high"]


def test_no_table_for_the_outcome_gives_no_rows(seed_response):
    assert outcome_rates(seed_response.figures, "22").empty
