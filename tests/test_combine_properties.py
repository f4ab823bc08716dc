"""Property: no published rate combines two tables that differ in unit, date basis, period,
offences, outcome or age restriction (random pairs of tables, random attributes)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from fosi.analysis.combine import RATE, Part, refusals
from fosi.analysis.rates import outcome_rates
from fosi.model.figures import figures_frame

UNITS = ["crimes", "people", None]
BASES = ["outcome", "recorded", None]
PERIODS = [("2019-04-01", "2020-03-31"), ("2020-04-01", "2021-03-31")]
OFFENCES = [("Possession of indecent images of children", "86/10"), ("Distribution of indecent images", "86/2")]
AGES = [None, "under 18"]
# What a table without an outcome code may be titled: all crimes, or not (a disposal, arrests, none).
PLAIN_TITLES = ["Total crimes", "Crimes - Prosecuted", "Arrests", None]

table_attributes = st.fixed_dictionaries({
    "unit": st.sampled_from(UNITS), "date_basis": st.sampled_from(BASES), "period": st.sampled_from(PERIODS),
    "offence": st.sampled_from(OFFENCES), "outcome": st.sampled_from([None, "21", "10"]),
    "age": st.sampled_from(AGES), "plain_title": st.sampled_from(PLAIN_TITLES), "count": st.integers(0, 60),
})


def _record(number: int, table: dict) -> dict:
    label, code = table["offence"]
    title = f"Outcome {table['outcome']}" if table["outcome"] else table["plain_title"]
    return {"source": "reply.txt", "force": "Kent", "period_start": table["period"][0],
            "period_end": table["period"][1], "date_basis": table["date_basis"], "unit": table["unit"],
            "age_restriction": table["age"], "table": number, "table_title": title, "row_label": label,
            "column_label": "Crimes", "offence_code": code, "outcome_code": table["outcome"],
            "count": table["count"], "marker": None, "kind": "figure", "line": number * 10,
            "location": str(number * 10)}


@settings(max_examples=300, deadline=None)
@given(table_attributes, table_attributes)
def test_no_published_rate_combines_tables_that_differ(first, second):
    figures = figures_frame([_record(1, first), _record(2, second)])
    rates = outcome_rates(figures, "21")
    published = rates[rates["rate"].notna()]
    if published.empty:
        return
    count_table, base_table = (first, second) if first["outcome"] == "21" else (second, first)
    assert count_table["outcome"] == "21" and base_table["outcome"] is None
    assert base_table["plain_title"] == "Total crimes"  # only a table that says it counts all crimes
    for name in ("unit", "date_basis", "period", "offence", "age"):
        assert count_table[name] == base_table[name], name
    assert set(published["count"]) == {count_table["count"]} and set(published["base"]) == {base_table["count"]}


parts = st.builds(Part, source=st.just("reply.txt"), table=st.integers(1, 2), unit=st.sampled_from(UNITS),
                  date_basis=st.sampled_from(BASES), period_start=st.sampled_from([p[0] for p in PERIODS]),
                  period_end=st.sampled_from([p[1] for p in PERIODS]),
                  offences=st.sampled_from([frozenset({"86/2"}), frozenset({"86/10"})]),
                  outcome=st.sampled_from([None, "21", "10", "21+22"]), age_restriction=st.sampled_from(
                      ["all ages", "under 18"]))


@settings(max_examples=500, deadline=None)
@given(parts, parts)
def test_a_rate_is_refused_whenever_its_two_sides_differ(count, base):
    alike = all(getattr(count, name) == getattr(base, name) for name in
                ("unit", "date_basis", "period_start", "period_end", "offences", "age_restriction"))
    allowed = not refusals(count, base, RATE)
    assert allowed == (alike and count.outcome in ("21", "10") and base.outcome is None)


def test_two_tables_alike_in_every_way_give_a_rate():
    # The property above is not vacuous: a count and a base that agree in everything make a rate.
    alike = {"unit": "crimes", "date_basis": "outcome", "period": PERIODS[0], "offence": OFFENCES[0],
             "age": None, "plain_title": "Total crimes"}
    figures = figures_frame([_record(1, {**alike, "outcome": None, "count": 40}),
                             _record(2, {**alike, "outcome": "21", "count": 10})])
    [rate] = outcome_rates(figures, "21").query("scope == 'offence'")["rate"]
    assert rate == 10 / 40
