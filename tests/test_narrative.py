"""Prose is generated from the rates table, and response text is escaped wherever it appears."""

from __future__ import annotations

from fosi.analysis import outcome_rates
from fosi.formatting import escape_text
from fosi.narrative import rates_narrative
from fosi.presentation import rates_table


def test_sentence_carries_the_same_numbers_as_the_table(seed_response):
    rates = outcome_rates(seed_response.figures, "21")
    text = rates_narrative(rates)
    assert "139 of the 358 “Child\\-Distribute Indecent Photo”".replace("\\-", "-") in text
    assert "(38.8%; 95% CI 33.9%–44.0%)" in text
    table = rates_table(rates)
    row = table.loc["Child-Distribute Indecent Photo"]
    assert row["Rate"] == "38.8%" and row["95% CI"] == "33.9%–44.0%"
    assert "149 of the 685 crimes (21.8%" in text


def test_hostile_label_is_escaped():
    hostile = '<script>alert(1)</script><img src=x onerror="alert(2)">'
    escaped = escape_text(hostile)
    assert "<" not in escaped and ">" not in escaped and '"' not in escaped
