"""Small fixtures, one per kind of layout in GUIDE §3; expected values are read off each fixture."""

from __future__ import annotations

from collections import Counter

import pytest

from conftest import FIXTURES
from fosi.checks.validate import validate
from fosi.readers import read_response


def cells(name, kind="figure"):
    response = read_response(FIXTURES / name)
    return Counter((r["row_group"], r["row_label"], r["column_label"], r["count"], r["marker"], r["outcome_code"])
                   for r in response.records if r["kind"] == kind)


def test_web_table_with_merged_labels_rules_spacers_and_markers():
    assert cells("webtable_merged_labels.txt") == Counter({
        ("Possession of indecent images", "Under 18", "Crimes", 12, None, None): 1,
        ("Possession of indecent images", "18 and over", "Crimes", 40, None, None): 1,
        ("Taking, making or distributing", "Under 18", "Crimes", None, "<5", None): 1,
        ("Taking, making or distributing", "18 and over", "Crimes", None, "*", None): 1,
    })
    assert cells("webtable_merged_labels.txt", "total") == Counter({(None, "Total", "Crimes", 60, None, None): 1})


def test_web_table_cells_keep_their_own_lines():
    response = read_response(FIXTURES / "webtable_merged_labels.txt")
    assert [r["line"] for r in response.records] == [11, 14, 20, 23, 26]


def test_grid_of_outcomes_by_year_with_sum_row_and_total_column():
    figures = cells("grid_outcomes_by_year.txt")
    assert figures[(None, "Further investigation not in public interest", "2020", 62, None, "21")] == 1
    assert figures[(None, "Charge/summons", "2019", 4, None, "1")] == 1
    assert sum(figures.values()) == 9
    totals = cells("grid_outcomes_by_year.txt", "total")
    assert totals[(None, "Sum:", "Total", 193, None, None)] == 1
    assert totals[(None, "Charge/summons", "Total", 23, "1", None)] == 0  # totals keep their outcome
    assert totals[(None, "Charge/summons", "Total", 23, None, "1")] == 1
    assert sum(totals.values()) == 7
    assert [f for f in validate(read_response(FIXTURES / "grid_outcomes_by_year.txt")) if f.severity == "error"] == []


def test_grid_total_check_finds_a_wrong_row_total(tmp_path):
    path = tmp_path / "grid.txt"
    path.write_text((FIXTURES / "grid_outcomes_by_year.txt").read_text().replace("1\t8\n", "1\t9\n"))
    found = [(f.rule, f.line) for f in validate(read_response(path))]
    assert ("total-mismatch", 6) in found  # Community resolution: 5 + 2 + 1 is not 9


def test_whitespace_aligned_grid_with_year_rows():
    assert cells("aligned_grid_years.txt") == Counter({
        (None, "2012", "Arrest", 153, None, None): 1, (None, "2012", "Caution", 5, None, None): 1,
        (None, "2013", "Arrest", 171, None, None): 1, (None, "2013", "Caution", 9, None, None): 1,
        (None, "2014", "Arrest", 160, None, None): 1, (None, "2014", "Caution", 12, None, None): 1,
    })
    assert read_response(FIXTURES / "aligned_grid_years.txt").metadata.value("unit") == "people"


def test_code_prefixed_labels_give_string_codes_and_a_bare_caution_stays_unknown():
    codes = {label: code for (_, label, _, _, _, code) in cells("code_prefixed_outcomes.txt")}
    assert codes == {
        "Charged/summonsed": "1",
        "Charged/summonsed - alternate offence": "1A",
        "Caution - youths": "2",
        "Caution": None,
        "Community resolution": "8",
        "Further investigation not in the public interest": "21",
    }


def test_damaged_text():
    figures = cells("damaged_text.txt")
    assert figures == Counter({
        (None, "Making/Taking", "Crimes", 26, None, None): 1,  # glued label and value split
        (None, "Possession", "Crimes", 14, None, None): 1,
        (None, "Distribution", "Crimes", 3, None, None): 1,
    })  # "arrested1" (a footnote mark) and the *...* footnote give no figure


def test_markers_are_kept_as_printed_and_never_zero():
    markers = {label: (count, marker) for (_, label, _, count, marker, _) in cells("markers.txt")}
    assert markers == {
        "Possession of indecent photo or pseudo images of a child": (None, "*"),
        "Take/make/distribute indecent photographs of children": (None, "<5"),
        "Possess prohibited images of children": (None, "-"),
        "Disclose private sexual photographs": (None, "n/a"),
        "Show indecent photograph": (None, "[c]"),
        "Publish indecent photograph": (None, "[x]"),
        "Other indecent image offences": (None, ""),
    }


def test_mojibake_does_not_stop_the_read():
    response = read_response(FIXTURES / "mojibake_period.txt")
    assert (response.metadata.value("period_start"), response.metadata.value("period_end")) == ("2019-04-01", "2020-03-31")
    assert [r["count"] for r in response.records] == [7]


@pytest.mark.parametrize(("name", "kind"), [
    ("refusal_section14.txt", "refusal: section 14 vexatious or repeated request"),
    ("not_held.txt", "information not held"),
])
def test_answers_without_tables_give_no_figures_and_say_what_they_are(name, kind):
    response = read_response(FIXTURES / name)
    assert response.records == ()  # "12 months", "1,200 case files", "18 hours", "86/2" are prose
    assert response.kind == kind


def test_markdown_style_table_with_financial_year_columns():
    response = read_response(FIXTURES / "markdown_table_financial_years.txt")
    assert (response.metadata.value("period_start"), response.metadata.value("period_end")) == ("2017-04-01", "2020-03-31")
    figures = {(r["row_label"], r["column_label"]): (r["count"], r["marker"]) for r in response.records
               if r["kind"] == "figure"}
    assert figures[("Taking, making, distributing", "2019/20")] == (None, "<5")
    assert figures[("Possession of indecent images", "2018/19")] == (131, None)
    assert len(figures) == 6


def test_csv_export_with_quoted_commas():
    response = read_response(FIXTURES / "export.csv")
    assert cells("export.csv") == Counter({
        (None, "Taking, making or distributing indecent images", "2019", 7, None, None): 1,
        (None, "Taking, making or distributing indecent images", "2020", None, "<5", None): 1,
        (None, "Possession of indecent images", "2019", 4, None, None): 1,
        (None, "Possession of indecent images", "2020", 5, None, None): 1,
    })
    assert [r["line"] for r in response.records if r["kind"] == "total"] == [4, 4]


def test_oc_prefixed_outcomes_by_month():
    response = read_response(FIXTURES / "oc_prefixed_months.txt")
    figures = {(r["row_label"], r["column_label"]): (r["count"], r["outcome_code"]) for r in response.records
               if r["kind"] == "figure"}
    assert figures[("Further investigation not in the public interest", "May-19")] == (4, "21")
    assert figures[("Charge/Summons", "Jun-19")] == (2, "1")
    assert [f for f in validate(response) if f.severity == "error"] == []  # Total: 4, 4, 4
