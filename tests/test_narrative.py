"""Prose is generated from the rates table, and response text is escaped wherever it appears."""

from __future__ import annotations

from fosi.analysis.rates import outcome_rates
from fosi.publish.formatting import escape_text
from fosi.publish.narrative import rates_narrative
from fosi.publish.sections import rates_table


def test_sentence_carries_the_same_numbers_as_the_table(seed_response):
    rates = outcome_rates(seed_response.figures, "21")
    text = rates_narrative(rates)
    assert "139 of the 358 “Child\\-Distribute Indecent Photo”".replace("\\-", "-") in text
    assert "(38.8%; 95% CI 33.9%–44.0%)" in text
    table = rates_table(rates)
    row = table.loc["Child-Distribute Indecent Photo"]
    assert row["Rate"] == "38.8%" and row["95% CI"] == "33.9%–44.0%"
    assert "149 of the 685 crimes (21.8%" in text


def test_response_text_in_markdown_shows_exactly_as_printed():
    # What the report shows is what nbconvert's Markdown renderer makes of the escaped text: the text
    # itself, every character as printed, with no element made from it (no double escaping either:
    # "counts <5" must not show as "counts &lt;5").
    import html

    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    printed = ['<script>alert(1)</script><img src=x onerror="alert(2)">', "counts <5 are shown as *",
               "&lt;5 is printed as an entity", "Cost of $x^2$ images [a](b) `c` _d_", "- 1. a list? # no",
               "a \\ backslash", "1) numbered"]
    for text in printed:
        rendered = markdown2html_mistune(escape_text(text)).strip()
        assert rendered.startswith("<p>") and rendered.endswith("</p>")
        inner = rendered[3:-4]
        assert "<" not in inner and ">" not in inner  # no element: every < is &lt;
        assert html.unescape(inner) == text


def test_one_comparable_answer_gives_its_own_figure_and_no_range_across_forces():
    from fosi.model.request import Request
    from fosi.publish.narrative import key_points

    force = {"force": "Hertfordshire", "rate": 148 / 606}
    result = {"forces": 1, "count": 148, "base": 606, "rate": 148 / 606, "ci_low": 0.212, "ci_high": 0.280,
              "lowest": force, "highest": force, "above": [], "below": []}
    points = key_points({"answered": 1}, result, 0, Request.default(), "2026-12-05")
    said = " ".join(points)
    assert "In the one answer that can be compared (Hertfordshire), 148 of 606 crimes" in said
    assert "ranged" not in said and "funnel" not in said
