"""Comparing forces: intervals and funnel limits against independent computations, rates per
year and per 100,000, the guard, and the comparison notebook under papermill."""

from __future__ import annotations

import csv
import json
import math
import subprocess
import sys
from statistics import NormalDist

import pytest
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint

from conftest import CORPUS, ROOT, SEED
from fosi.analysis.forces import (
    binomial_limit,
    compare_forces,
    difference,
    force_rates,
    funnel,
    outcome_mix,
    outliers,
    yearly,
)
from fosi.analysis.forces import limits as fosi_limits
from fosi.analysis.rates import proportion_interval
from fosi.analysis.synthetic import synthetic_dataset
from fosi.build import load_dataset


@pytest.mark.parametrize(("count", "base"), [(139, 358), (0, 12), (1, 1), (9, 358), (149, 685)])
@pytest.mark.parametrize("confidence", [0.9, 0.95, 0.998])
def test_intervals_match_statsmodels(count, base, confidence):
    alpha = 1 - confidence
    assert proportion_interval(count, base, confidence, "wilson") == pytest.approx(
        proportion_confint(count, base, alpha, method="wilson"), abs=1e-9)
    assert proportion_interval(count, base, confidence, "exact") == pytest.approx(
        proportion_confint(count, base, alpha, method="beta"), abs=1e-9)


def test_difference_matches_statsmodels_newcombe():
    # Seed: 139 of 358 distribution crimes closed as Outcome 21, 9 of 358 as Outcome 10.
    d, low, high = difference(139, 358, 9, 358)
    ref_low, ref_high = confint_proportions_2indep(139, 358, 9, 358, method="newcomb", compare="diff")
    assert d == pytest.approx(139 / 358 - 9 / 358)
    assert (low, high) == pytest.approx((ref_low, ref_high), abs=1e-9)


def _limit_by_hand(probability, n, p0):
    """Spiegelhalter (2005) appendix A.1.1, from binomial probabilities summed with math.comb."""
    cdf, r = 0.0, 0
    pmf = [math.comb(n, k) * p0 ** k * (1 - p0) ** (n - k) for k in range(n + 1)]
    while True:
        cdf += pmf[r]
        if cdf >= probability - 1e-15:
            break
        r += 1
    below = cdf - pmf[r]
    alpha = (cdf - probability) / (cdf - below)
    return min(1.0, max(0.0, (r - alpha) / n))  # a proportion's limit lies in [0, 1]


@pytest.mark.parametrize("n", [10, 57, 140, 640])
@pytest.mark.parametrize("probability", [0.001, 0.025, 0.975, 0.999])
def test_funnel_limits_match_an_independent_computation(n, probability):
    assert binomial_limit(probability, n, 0.2) == pytest.approx(_limit_by_hand(probability, n, 0.2), abs=1e-9)


def _quantile(values, q):
    """Linear interpolation between order statistics (Hyndman and Fan type 7), written out."""
    ordered = sorted(values)
    h = (len(ordered) - 1) * q
    below = math.floor(h)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (h - below) * (ordered[above] - ordered[below])


def _synthetic_counts():
    data = synthetic_dataset()
    rows = list(csv.DictReader(data.figures.astype(str).to_csv(index=False).splitlines()))
    counts: dict[str, dict[str, int]] = {}
    for row in rows:
        counts.setdefault(row["source"], {})["closed" if row["outcome_code"] == "21" else "all"] = int(row["count"])
    return data, counts


def test_over_dispersion_matches_spiegelhalter_2005_computed_here():
    # Spiegelhalter (2005), "Handling over-dispersion of performance indicators", Qual Saf Health Care
    # 14:347-351, written out: z-scores around the pooled rate, Winsorised at the 10th and 90th
    # percentiles, phi = mean z^2, n*phi against chi-squared(n-1), tau^2 by the method of moments.
    data, counts = _synthetic_counts()
    result = force_rates(data.figures, data.manifest, "21")
    pooled = sum(c["closed"] for c in counts.values()) / sum(c["all"] for c in counts.values())
    variance = {s: pooled * (1 - pooled) / c["all"] for s, c in counts.items()}
    z = [(c["closed"] / c["all"] - pooled) / math.sqrt(variance[s]) for s, c in counts.items()]
    low, high = _quantile(z, 0.1), _quantile(z, 0.9)
    phi = sum(min(max(v, low), high) ** 2 for v in z) / len(z)
    n = len(z)
    weights = [1 / v for v in variance.values()]
    tau2 = (n * phi - (n - 1)) / (sum(weights) - sum(w * w for w in weights) / sum(weights))
    spread = result.dispersion
    assert spread.phi == pytest.approx(phi, rel=1e-12) and spread.tau2 == pytest.approx(tau2, rel=1e-12)
    assert spread.statistic == pytest.approx(n * phi, rel=1e-12)
    # 19.675 is the 95% point of chi-squared on 11 degrees of freedom (statistical tables).
    assert spread.critical == pytest.approx(19.675, abs=5e-4)
    assert round(phi, 2) == 1.69 and n * phi > 19.675 and spread.significant
    # Limits drawn: p0 +- z sqrt(s^2 + tau^2); forces outside them, at each level.
    expected = {}
    for level in (0.95, 0.998):
        k = NormalDist().inv_cdf(1 - (1 - level) / 2)
        for source, c in counts.items():
            half = k * math.sqrt(variance[source] + tau2)
            if not pooled - half <= c["closed"] / c["all"] <= pooled + half:
                expected[source] = level
    found = outliers(result)
    assert dict(zip(found["source"], found["level"])) == expected and expected
    drawn = funnel(result)
    for _, row in drawn.iloc[::40].iterrows():
        half = NormalDist().inv_cdf(0.999) * math.sqrt(pooled * (1 - pooled) / row["base"] + tau2)
        assert row["upper_99.8"] == pytest.approx(min(1.0, pooled + half), rel=1e-12)
    upper = drawn.set_index("base")["upper_99.8_unadjusted"]
    upper = upper[upper.index <= 640]  # math.comb in floats overflows beyond about 1,000
    assert upper.iloc[-1] == pytest.approx(_limit_by_hand(0.999, int(upper.index[-1]), pooled), abs=1e-9)


def test_without_over_dispersion_the_exact_binomial_limits_are_drawn():
    # Three forces at 20 of 100, 41 of 200 and 59 of 300: z-scores near 0, phi far below 1.
    figures, manifest = [], []
    for name, closed, base in (("Kent", 20, 100), ("Essex", 41, 200), ("Surrey", 59, 300)):
        source = f"{name.lower()}.txt"
        common = {"source": source, "force": name, "period_start": "2019-04-01", "period_end": "2020-03-31",
                  "date_basis": "outcome", "unit": "crimes", "row_label": "Possession", "column_label": "Crimes",
                  "offence_code": "86/10", "kind": "figure", "marker": None}
        # A base must say it counts all crimes: its title does.
        figures += [{**common, "table": 1, "table_title": "Crimes", "outcome_code": None, "count": base,
                     "line": 5, "location": "5"},
                    {**common, "table": 2, "table_title": "Outcome 21", "outcome_code": "21", "count": closed,
                     "line": 9, "location": "9"}]
        manifest.append({"file": source, "force": name, "period_start": "2019-04-01", "period_end": "2020-03-31",
                         "date_basis": "outcome", "unit": "crimes", "age_filter": "all ages", "figures": 2,
                         "status": "ok"})
    from fosi.model.dataset import MANIFEST_COLUMNS
    from fosi.model.figures import figures_frame, table_of

    result = force_rates(figures_frame(figures), table_of(manifest, MANIFEST_COLUMNS), "21")
    assert result.dispersion.tau2 == 0 and not result.dispersion.significant
    pooled = 120 / 600
    drawn = funnel(result)
    assert list(drawn["lower_95"]) == list(drawn["lower_95_unadjusted"])
    assert fosi_limits(result, 100, 0.95)[0] == pytest.approx(_limit_by_hand(0.025, 100, pooled), abs=1e-9)
    assert outliers(result).empty


def test_rate_per_year_and_per_100000():
    data = load_dataset([SEED])
    result = force_rates(data.figures, data.manifest, "21")
    [row] = result.table.itertuples()
    # The comparison rates the indecent-images group (86/2, 86/10), not the disclosure offence 8/71:
    # seed lines 26-29, 2 + 139 + 6 + 1 = 148 Outcome 21 crimes, over 762 days; Hertfordshire mid-2017
    # population 1,180,934 (reference CSV), 1,180,900 to the nearest 100 as ONS asks; the seed states
    # no age filter: all ages.
    assert (row.count, row.base) == (148, 685 - 79)  # line 19's total less line 18's 8/71 crimes
    assert row.count_per_year == pytest.approx(148 * 365.2425 / 762)
    assert row.per_100k_per_year == pytest.approx(148 * 365.2425 / 762 / 1_180_900 * 100_000)
    assert "mid-2017 population 1,180,900 (all ages" in row.population_note and "SECONDARY" in row.population_note


def test_no_population_is_said_not_computed(tmp_path):
    # Cheshire is not in the reference populations: the rate is given, the per-100,000 figure is not.
    path = tmp_path / "cheshire.txt"
    path.write_bytes(SEED.read_bytes().replace(b"Hertfordshire Constabulary", b"Cheshire Constabulary"))
    data = load_dataset([path])
    [row] = force_rates(data.figures, data.manifest, "21").table.itertuples()
    assert math.isnan(row.per_100k_per_year) and row.rate == pytest.approx(148 / 606)  # 86/2 and 86/10
    assert row.population_note == "not computed: no all ages population for Cheshire in the reference list"


def test_offence_filter_and_outcome_mix():
    data = load_dataset([SEED])
    result = force_rates(data.figures, data.manifest, "21", ["86/10"])
    [row] = result.table.itertuples()
    assert (row.count, row.base) == (2, 125)  # "Child - Having Indecent Photo Of": seed lines 12 and 26
    mix = outcome_mix(data.figures)
    overall = mix[mix["scope"] == "all offences"].set_index("outcome_code")
    assert overall.loc["21", "count"] == 149 and overall.loc["10", "count"] == 9


def test_years_where_a_response_gives_them():
    data = load_dataset([CORPUS / "west-yorkshire_1711564-23.txt"])
    years = yearly(data.figures, "21").set_index("year")
    assert years["count"].to_dict() == {"2019": 540, "2020": 629, "2021": 600}


def test_a_response_that_is_not_comparable_is_left_out_without_blocking_the_others():
    # West Yorkshire counts crimes recorded in the period (its notes); the seed, crimes whose outcome
    # was assigned in it (line 7). Each response is judged on its own: one is left out, with its
    # reasons, and the other still has its rate.
    data = load_dataset([SEED, CORPUS / "west-yorkshire_1711564-23.txt"])
    result = compare_forces(data, "21")
    assert list(result.table["source"]) == [str(SEED.relative_to(ROOT))]
    [left_out] = [c for c in result.verdict.caveats if c.startswith("left out")]
    assert "west-yorkshire_1711564-23.txt" in left_out and "crimes recorded in the period" in left_out
    forced = compare_forces(data, "21", override=True)
    assert forced.verdict.override and "POOLED BY OVERRIDE" in forced.verdict.label


def test_three_lines_from_python():
    import fosi

    result = fosi.compare_forces(fosi.load(), outcome="21")
    assert result.table["count"].tolist() == [148]  # the seed's 86/2 and 86/10 rows (lines 26-29), not 8/71


def test_compare_notebook_with_non_default_parameters(tmp_path):
    out = tmp_path / "out.ipynb"
    command = [sys.executable, "-m", "papermill", str(ROOT / "notebooks" / "02_compare_forces.ipynb"), str(out),
               "-p", "outcome", "10", "-y", "offence_codes: ['86/2']", "-p", "period_policy", "same",
               "-p", "synthetic_demo", "False", "-p", "confidence", "0.9", "--no-progress-bar"]
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr[-2000:]
    text = json.dumps(json.load(out.open())["cells"])
    # One response (the seed): nothing to compare, and the demonstration is off; the page says how to ask for it.
    assert "Fewer than two responses can be compared" in text and "synthetic_demo true" in text
    assert "SYNTHETIC force" not in text
    assert "9 of 358" in text or "only 1 response" in text


def test_compare_notebook_default_run_shows_no_synthetic_data_and_the_demonstration_only_when_asked(tmp_path):
    # A release never shows synthetic forces unless the parameter asks for them (then labelled SYNTHETIC).
    out, asked = tmp_path / "out.ipynb", tmp_path / "asked.ipynb"
    result = subprocess.run([sys.executable, "-m", "papermill", str(ROOT / "notebooks" / "02_compare_forces.ipynb"),
                             str(out), "--no-progress-bar"], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr[-2000:]
    plain = json.dumps([c.get("outputs", []) for c in json.load(out.open())["cells"]])
    assert "Comparability: only 1 response with figures" in plain and "SYNTHETIC force" not in plain
    result = subprocess.run([sys.executable, "-m", "papermill", str(ROOT / "notebooks" / "02_compare_forces.ipynb"),
                             str(asked), "-p", "synthetic_demo", "True", "--no-progress-bar"],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr[-2000:]
    cells = json.load(asked.open())["cells"]
    text = json.dumps(cells)
    assert "outside the 99.8% limits" in text and "SYNTHETIC force" in text
    assert sum("data:image/svg+xml;base64," in json.dumps(c.get("outputs", [])) for c in cells) >= 1  # the funnel


def test_outcome_mix_table_heads_each_row_with_its_own_outcome():
    from fosi.publish.sections import outcome_mix_table, yearly_table

    # Seed: of 685 crimes (line 19), 149 closed as Outcome 21 (line 31) and 9 as Outcome 10 (line 39).
    table = outcome_mix_table(outcome_mix(load_dataset([SEED]).figures))
    assert list(table.index) == ["Outcome 10", "Outcome 21"]
    assert "Crimes closed with this outcome" in table.columns and not any(c.startswith("Outcome") for c in table.columns)
    assert table.loc["Outcome 21", ["Crimes closed with this outcome", "All crimes"]].tolist() == ["149", "685"]
    assert table.loc["Outcome 10", ["Crimes closed with this outcome", "All crimes"]].tolist() == ["9", "685"]
    years = yearly_table(yearly(load_dataset([CORPUS / "west-yorkshire_1711564-23.txt"]).figures, "21"))
    assert years["Crimes closed with Outcome 21"].tolist() == ["540", "629", "600"]


@pytest.mark.parametrize(("method", "named"), [("wilson", "95% Wilson score intervals"),
                                              ("exact", "95% exact Clopper–Pearson intervals")])
def test_the_force_table_names_the_interval_method_it_was_given(method, named):
    from fosi.publish.sections import force_display

    shown = force_display(compare_forces(synthetic_dataset(), "21", method=method))
    assert named in shown.text


def test_the_outcome_mix_takes_the_comparisons_interval_method():
    data = load_dataset([SEED])
    mix = compare_forces(data, "21", method="exact").mix
    assert set(mix["ci_method"]) == {"exact"}
