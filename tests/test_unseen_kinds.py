"""Kinds of reply that unseen real responses showed the reader getting wrong, each written small
from the description of the real case: a tab table with long column names, an answer taken for
the request, tables whose cells were glued together, figures sharing every label, a reference
number read as a count, and pipe tables and answer sentences left unread."""

from __future__ import annotations

import pytest

from fosi.readers.formats.text import read_text

SITES = ("Brampton War Memorial Hospital", "Carleton Clinic", "Cumberland Infirmary Carlisle",
         "West Cumberland Hospital Whitehaven", "Workington Community Hospital", "Cockermouth Community Hospital",
         "Keswick Community Hospital")


def _figures(response, kinds=("figure", "total")):
    return [(r["row_label"], r["column_label"], r["count"], r["kind"]) for r in response.records if r["kind"] in kinds]


def _rules(response, severity=None):
    return [f.rule for f in response.findings if severity is None or f.severity == severity]


def _roles(text: str) -> dict[str, set[str]]:
    from fosi.readers import read_response  # noqa: F401  (the text reader keeps the reading)

    response = read_text(text, "x.txt")
    roles: dict[str, set[str]] = {}
    for number in response.reading.numbers:
        roles.setdefault(number.text, set()).add(number.role)
    return roles


# --- 1. tabs decide cells, whatever the line's length -------------------------------------------

def test_a_tab_header_of_long_names_is_the_header_however_long_its_line():
    header = "Outcome\t" + "\t".join(SITES)
    assert len(header) > 200
    rows = ["Charged/Summonsed\t3\t\t\t1\t\t\t", "Community Resolution\t\t2\t\t\t\t\t1",
            "Evidential difficulties - victim does not support\t4\t5\t6\t\t1\t\t"]
    response = read_text("Incidents by site\n\n" + "\n".join([header, *rows]) + "\n", "x.txt")
    assert "table-not-read" not in _rules(response)
    got = _figures(response)
    assert len(got) == 21
    assert ("Charged/Summonsed", "Brampton War Memorial Hospital", 3, "figure") in got
    assert ("Community Resolution", "Keswick Community Hospital", 1, "figure") in got
    assert ("Evidential difficulties - victim does not support", "Cockermouth Community Hospital", None,
            "figure") in got


# --- 2. a number is the request's only inside the quoted request ------------------------------

ANSWER_AFTER_REQUEST = """You asked:
How many shoplifting crimes were recorded in the Sunderland Area Command between January 2011 and December 2013? Please break this down by year.
I have today decided to disclose the located information to you as follows.
1. There were 6017 shoplifting crimes recorded in the Sunderland Area Command over the period of Jan 2011 - Dec 2013.
2011 2120
2012 1953
2013 1944
"""


def test_the_reply_s_own_words_end_the_request():
    response = read_text(ANSWER_AFTER_REQUEST, "x.txt")
    assert [n for n in response.reading.numbers if n.role == "request"] == []
    assert _figures(response) == [("2011", None, 2120, "figure"), ("2012", None, 1953, "figure"),
                                  ("2013", None, 1944, "figure")]


def test_an_answer_sentence_after_the_reply_begins_is_prose_not_the_request():
    text = ANSWER_AFTER_REQUEST.split("2011 2120")[0]
    response = read_text(text, "x.txt")
    assert [r["count"] for r in response.records if r["kind"] == "prose"] == [6017]


def test_a_count_that_looks_like_a_year_beside_a_year_is_never_passed_over():
    response = read_text("Figures are below.\n2012 1953\n\nWe hope this helps.\n", "x.txt")
    unread = [n.text for n in response.reading.numbers if n.role == "not read"]
    assert unread == ["1953"]
    assert "numbers-not-read" in _rules(response)


def test_a_request_heading_still_holds_the_request_until_the_reply_begins():
    text = ("Request\nPlease provide the number of arrests in 2019 and the 5 years before.\n"
            "Response\nThere were 45 arrests.\n")
    response = read_text(text, "x.txt")
    roles = {n.text: n.role for n in response.reading.numbers}
    assert roles["5"] in ("request", "metadata")
    assert roles["45"] == "prose"


# --- 3. cells glued together ------------------------------------------------------------------

GLUED = """Class A, B and C drugs seized

YearClass AClass BClass CYearly Total
2009912613148
2010751018761169
20116311191451327
Total14722632342644
"""


def test_glued_digits_are_split_the_only_way_every_printed_total_allows():
    response = read_text(GLUED, "x.txt")
    got = _figures(response)
    assert ("2009", "Class A", 9, "figure") in got and ("2009", "Class B", 126, "figure") in got
    assert ("2009", "Class C", 13, "figure") in got and ("2009", "Yearly Total", 148, "total") in got
    assert ("2010", "Class B", 1018, "figure") in got and ("2011", "Class C", 145, "figure") in got
    assert ("Total", "Class B", 2263, "total") in got and ("Total", "Yearly Total", 2644, "total") in got
    assert len(got) == 16
    notes = [f for f in response.findings if f.rule == "cells-split"]
    assert [(f.severity, f.line) for f in notes] == [("info", 3)]
    assert "9 | 126 | 13 | 148" in notes[0].message


def test_glued_digits_without_a_total_to_decide_them_are_refused_at_their_line():
    text = "YearClass AClass B\n2009912\n2010751\n"
    response = read_text(text, "x.txt")
    assert _figures(response) == []
    refused = [f for f in response.findings if f.rule == "table-not-read"]
    assert refused and refused[0].line == 1 and "glued" in refused[0].message


def test_glued_digits_that_no_split_adds_up_are_refused():
    text = "YearClass AClass BTotal\n2009912\n2010751\nTotal1663\n"
    response = read_text(text, "x.txt")
    assert _figures(response) == []
    assert "table-not-read" in _rules(response, "error")


def test_money_glued_after_a_count_keeps_its_own_boundary_and_is_never_a_count():
    text = ("Financial YearClaims ClosedTotal Compensation paid\n2019/20245£1,382,709.25\n"
            "2020/2189£768,403.35\n Total£2,151,112.60\n")
    response = read_text(text, "x.txt")
    assert _figures(response) == [("2019/20", "Claims Closed", 245, "figure"), ("2020/21", "Claims Closed", 89, "figure")]


def test_a_count_glued_to_its_label_under_a_total_column_is_read_never_metadata():
    response = read_text("Offences recorded in 2015\n\n Total\nMaking/Taking26\n\nThese are provisional.\n", "x.txt")
    assert _figures(response) == [("Making/Taking", "Total", 26, "figure")]
    alone = read_text("Our case Making/Taking26 was closed and the file archived last week.\n", "x.txt")
    assert [n.role for n in alone.reading.numbers if n.text.endswith("26")] == ["not read"]


# --- 4. figures that share every label ----------------------------------------------------------

TWO_ANSWERS = """1. How many arrests were made for possession of indecent images in each year?
Answer
2019 - 12
2020 - 15

2. How many charges followed in each year?
Answer
2019 - 7
2020 - 9
"""


def test_two_lists_each_under_its_own_answer_are_told_apart_by_their_questions():
    response = read_text(TWO_ANSWERS, "x.txt")
    titles = sorted({r["table_title"] for r in response.records if r["kind"] == "figure"})
    assert titles == ["1. How many arrests were made for possession of indecent images in each year?",
                      "2. How many charges followed in each year?"]
    assert "figure-labels-shared" not in _rules(response)


def test_figures_sharing_every_label_are_refused_at_their_lines():
    text = "Offence\tCount\nPossession\t12\nDistribution\t4\nPossession\t9\n"
    response = read_text(text, "x.txt")
    assert _figures(response) == [("Distribution", "Count", 4, "figure")]
    refused = [f for f in response.findings if f.rule == "table-not-read"]
    assert [(f.severity, f.line, f.table) for f in refused] == [("error", 2, 1), ("error", 4, 1)]
    assert "nothing printed tells them apart" in refused[0].message


def test_lists_told_apart_only_by_questions_in_the_request_are_refused():
    text = ("You asked:\n1: How many hate crimes were reported in each year\n2: How many had female victims\n"
            "In Response:\nI am able to disclose the located information to you as follows.\n\n"
            "2013 – 578\n2014 – 731\n\n2013 – 117\n2014 – 181\n")
    response = read_text(text, "x.txt")
    assert _figures(response) == []
    assert [(f.line, f.found) for f in response.findings if f.rule == "table-not-read"] == [(7, "4")]


def test_the_shared_labels_invariant_names_both_figures_at_their_lines():
    from fosi.readers.layout.invariants import shared_labels

    def record(count, line):
        return {"kind": "figure", "table": 1, "table_title": None, "row_group": None, "row_label": "Possession",
                "column_group": None, "column_label": "Count", "count": count, "line": line, "location": str(line)}

    found = shared_labels([record(12, 2), record(9, 4)], "x.txt")
    assert [(f.rule, f.severity, f.line, f.table) for f in found] == [("figure-labels-shared", "error", 2, 1),
                                                                        ("figure-labels-shared", "error", 4, 1)]


# --- 5. a reference is never a count ----------------------------------------------------------

def test_a_reference_number_under_its_label_is_metadata_not_a_figure():
    for text in ("Disclosure log\n\nReference Number\n2953\nSubject\nDrones\n",
                 "Reference Number |\n2953 |\nTitle |\nDrones |\n", "FOI No.\t2953\nSubject\tDrones\n"):
        response = read_text(text, "x.txt")
        assert _figures(response) == [], text
        assert [n.role for n in response.reading.numbers if n.text == "2953"] == ["metadata"], text


# --- 6. pipe tables without a corner or a row label; counts in answer sentences ---------------

def test_a_pipe_table_whose_only_row_has_no_label_is_read_under_its_header():
    text = "Taser discharges by financial year:\n\n2021/2022 |\n2022/2023 |\n2023/2024 |\n72 |\n98 |\n107 |\n"
    response = read_text(text, "x.txt")
    assert _figures(response) == [("", "2021/2022", 72, "figure"), ("", "2022/2023", 98, "figure"),
                                  ("", "2023/2024", 107, "figure")]
    assert [r["line"] for r in response.records] == [6, 7, 8]


def test_two_rows_without_labels_are_not_read():
    text = "Year\t2021\t2022\n\t5\t6\n\t7\t8\n"
    response = read_text(text, "x.txt")
    assert _figures(response) == []
    assert "table-not-read" in _rules(response)


def test_a_count_in_a_sentence_above_a_table_is_never_silent():
    text = ("Response\nTaser use on young persons aged 17 and under for 2014 was as follows: 47\n\n"
            "Drawn\t30\nAimed\t17\n")
    response = read_text(text, "x.txt")
    forty_seven = [n.role for n in response.reading.numbers if n.text == "47"]
    assert forty_seven == ["prose"]
    assert 47 in [r["count"] for r in response.records if r["kind"] == "prose"]


# --- the invariants, broken on purpose ----------------------------------------------------------

def test_each_invariant_is_an_error_at_its_line_when_broken():
    from fosi.readers.layout.accounting import NumberRole
    from fosi.readers.layout.inference import Cell, Row, Table
    from fosi.readers.layout.invariants import (
        cells_overruled,
        glued_metadata,
        request_after_reply,
    )
    from fosi.readers.layout.lines import text_lines

    lines = text_lines(["You asked:", "How many?", "I can confirm the figures.", "2011 2120", "Making/Taking26",
                        "Possession\t1204"])
    request = [NumberRole(3, 5, 9, "2120", "request", "in the request's own words")]
    assert [(f.rule, f.severity, f.line) for f in request_after_reply(lines, [""] * 6, request, "x.txt")] == [
        ("request-outside-request", "error", 4)]
    inside = [NumberRole(1, 0, 1, "5", "request", "")]
    assert request_after_reply(lines, [""] * 6, inside, "x.txt") == []
    glued = [NumberRole(4, 13, 15, "26", "metadata", "a reference or code")]
    assert [(f.rule, f.line) for f in glued_metadata(lines, glued, "x.txt")] == [("count-taken-for-metadata", 5)]
    split_again = Table(None, [Row(5, "Possession", None, [Cell("204", 6, "6")])], 5, 5, 1)
    assert [(f.rule, f.line) for f in cells_overruled(lines, [split_again], "x.txt")] == [("cells-overruled", 6)]
    as_printed = Table(None, [Row(5, "Possession", None, [Cell("1204", 6, "6")])], 5, 5, 1)
    assert cells_overruled(lines, [as_printed], "x.txt") == []


# --- kinds from the second collection of real replies --------------------------------------------

def test_counts_printed_before_their_labels_are_a_list():
    text = ("d) The ranks of those interviewed were as follows: 1 x Assistant Chief Constable 2 x Detective "
            "Inspector 1 x Disclosure Officer A further breakdown is exempt under Section 40(2).\n")
    response = read_text(text, "x.txt")
    assert _figures(response) == [("Assistant Chief Constable", None, 1, "figure"),
                                  ("Detective Inspector", None, 2, "figure"), ("Disclosure Officer", None, 1, "figure")]


def test_a_web_table_cut_under_the_next_table_s_header_is_still_read():
    cells = ["", "Crime Class", "", "2023", "2024", "2025",
             "", "086/02 - Take or make indecent photographs", "Solved outcomes", "38", "34", "6",
             "", "", "Out of court disposals", "20", "", "19",
             "", "Crime Class", "Grouped outcome"]
    text = "Out of court disposals\n" + "".join(f"{cell} |\n" if cell else "|\n" for cell in cells)
    response = read_text(text, "x.txt")
    got = [(r["row_group"], r["row_label"], r["column_label"], r["count"], r["marker"], r["line"])
           for r in response.records if r["kind"] == "figure"]
    group = "086/02 - Take or make indecent photographs"
    assert got == [(group, "Solved outcomes", "2023", 38, None, 11), (group, "Solved outcomes", "2024", 34, None, 12),
                   (group, "Solved outcomes", "2025", 6, None, 13), (group, "Out of court disposals", "2023", 20, None, 17),
                   (group, "Out of court disposals", "2024", None, "", 18),
                   (group, "Out of court disposals", "2025", 19, None, 19)]


def test_the_emergency_number_in_a_page_s_banner_is_never_a_figure():
    text = "Skip to content\nREPORT CRIME ONLINEEMERGENCY CALL 999\nREPORT CRIME ONLINEEMERGENCY CALL 999\n\nLetter.\n"
    response = read_text(text, "x.txt")
    assert _figures(response) == []
    assert {n.role for n in response.reading.numbers} == {"metadata"}


def test_a_refusal_word_in_another_sentence_of_a_letter_run_onto_one_line_says_nothing_of_a_count():
    filler = "We have considered your request for information carefully and in full. " * 5
    text = filler + "We hold 17 files. They date from 2019. They are paper files. The rest is exempt under Section 40(2).\n"
    response = read_text(text, "x.txt")
    roles = {n.text: n.role for n in response.reading.numbers}
    assert roles["17"] in ("prose", "not read")


def test_a_two_level_header_run_onto_one_line_keeps_its_spanning_level():
    text = ("Bail offences recorded and detected\nRecorded Detected Crime Classification 2020 2021 2020 2021 "
            "Bail offences (other than absconding) 3 4 3 4 Absconding from lawful custody 12 9 10 8\n")
    response = read_text(text, "x.txt")
    got = [(r["row_label"], r["column_group"], r["column_label"], r["count"]) for r in response.records
           if r["kind"] == "figure"]
    bail = "Bail offences (other than absconding)"
    assert got[:4] == [(bail, "Recorded", "2020", 3), (bail, "Recorded", "2021", 4), (bail, "Detected", "2020", 3),
                       (bail, "Detected", "2021", 4)]
    assert len(got) == 8
    assert "figure-labels-shared" not in _rules(response)


def test_a_table_with_a_stated_date_basis_cut_before_its_first_figure_is_read_without_a_fault():
    text = ("Reported Offences concerning Indecent Photos of Children\n\nPlease Note: The following Crime details "
            "relate to Reported Crimes where the Outcome assignment date was in the period stated.\n\n"
            "Total Crimes\n\nOffence\tTotal\nChild -")
    response = read_text(text, "x.txt")
    assert _figures(response) == []


def test_a_header_repeated_after_a_total_row_starts_a_table_of_its_own():
    text = ("Stops by ethnicity, April to June\nEthnicity\tStopped\nWhite\t120\nMixed\t7\nTotal\t127\n"
            "Ethnicity\tStopped\nWhite\t130\nMixed\t9\nTotal\t139\n")
    response = read_text(text, "x.txt")
    assert [t.number for t in response.tables] == [1, 2]
    assert {(r["table"], r["row_label"], r["count"]) for r in response.records if r["row_label"] == "White"} == {
        (1, "White", 120), (2, "White", 130)}
    # Nothing printed tells the second table from a third like it, but the first has its title.
    assert "figure-labels-shared" not in _rules(response)


def test_a_table_in_the_quoted_request_is_the_requester_s_example_not_data():
    text = ("You asked:\n1. The number of times force was used. Ideally this should look like:\n"
            "January to March 2020\nTasers used: 5\nBatons: 10\nTotal Use of Force: 15\n"
            "2. Please break it down by ethnicity.\nIn Response:\nI can confirm the information is held.\n"
            "Tasers used: 31\nBatons: 44\n")
    response = read_text(text, "x.txt")
    assert [(r["row_label"], r["count"]) for r in response.records if r["kind"] in ("figure", "total")] == [
        ("Tasers used", 31), ("Batons", 44)]
    assert {n.role for n in response.reading.numbers if n.text in ("5", "10", "15")} == {"request"}


def test_a_table_the_requester_s_wish_introduces_without_a_request_heading_is_not_data():
    # No "You asked:" heading: the letter quotes the request after "... your request ... as follows:",
    # and the requester's own line introduces the codes they mean, as a web table of one cell a line.
    text = ("I write in connection with your request for information received on 7 November 2024 as follows:\n"
            "I would like to know the number of offences over the last three years.\n"
            "I would like the data to cover the following codes:\n"
            "Code |\nOffence |\nPoints |\n"
            "AB10 |\nDriving while over the limit |\n10 |\n"
            "AB20 |\nDriving while unfit |\n10 |\n"
            "Please find our response below.\n"
            "Offence\tNumber\nAB10\t41\nAB20\t7\n")
    response = read_text(text, "x.txt")
    assert _figures(response) == [("AB10", "Number", 41, "figure"), ("AB20", "Number", 7, "figure")]


def test_a_question_above_its_answer_table_still_introduces_the_answer():
    text = ("2. How many reports were made in each year?\n"
            "Year\tReports\n2021\t12\n2022\t15\n")
    assert [r[2] for r in _figures(read_text(text, "x.txt"))] == [12, 15]


# --- groups that each end with their own Total ---------------------------------------------------

def test_each_group_ending_with_its_own_total_keeps_it():
    # A web page of one-column tables, one cell per line: a heading, its rows, its Total; then the next.
    text = ("Please see the below tables.\n"
            "Gender |\n|\nMale |\n3045 |\nFemale |\n2344 |\nTotal |\n5389 |\n"
            "Ethnicity |\n|\nWhite British |\n4684 |\nNot Stated |\n705 |\nTotal |\n5389 |\n")
    response = read_text(text, "x.txt")
    totals = [(r["row_group"], r["count"]) for r in response.records if r["kind"] == "total"]
    assert totals == [("Gender", 5389), ("Ethnicity", 5389)]
    assert "table-not-read" not in _rules(response)


def test_one_total_after_the_last_group_is_the_tables():
    text = "Offence\tCrimes\n2017\t\nTheft\t10\nBurglary\t5\n2018\t\nTheft\t12\nBurglary\t6\nTotal\t33\n"
    response = read_text(text, "x.txt")
    assert [(r["row_group"], r["count"]) for r in response.records if r["kind"] == "total"] == [(None, 33)]


def test_a_group_total_printed_first_adds_up_the_rows_of_its_group():
    from fosi.checks.validate import validate

    text = ("I am able to disclose the located information to you as follows.\n"
            "1. 1 April 2020 – 31 March 2021\nTotal - 6\nWhite British - 4\nAsian - 2\n"
            "1 April 2019 – 31 March 2020\nTotal - 5\nWhite British - 3\nUnknown - 2\n"
            "1 April 2018 – 31 March 2019\nTotal - 3\nWhite British - 2\nAsian- 1\n")
    response = read_text(text, "x.txt")
    rows = [(r["row_group"], r["row_label"], r["count"]) for r in response.records if r["kind"] in ("figure", "total")]
    # The answer's number leads the first heading: it is the first group, not the table's title.
    assert rows[:3] == [("1 April 2020 – 31 March 2021", "Total", 6), ("1 April 2020 – 31 March 2021", "White British", 4),
                        ("1 April 2020 – 31 March 2021", "Asian", 2)]
    assert rows[-1] == ("1 April 2018 – 31 March 2019", "Asian", 1)  # the dash glued to the label is no part of it
    assert [f for f in validate(response) if f.severity == "error"] == []


def test_a_question_heading_after_the_reply_began_heads_its_answer():
    # A copy that starts at the response: "Question 1" then lines that answer, not ask.
    text = ("In accordance with section 1 (1) (b) of the Act our response is\nprovided below;\nQuestion 1\n"
            "2006 - 2007 - 11 claims received, of which 5 were settled\n")
    roles = _roles(text)
    assert "request" not in roles["11"] and "request" not in roles["5"]
    # Under a request heading, a line that asks is still the request's.
    asked = _roles("Our response is below.\nQuestion 1\nHow many of the 12 claims were settled?\n")
    assert asked["12"] == {"request"}


def test_a_last_line_cut_to_one_number_is_no_row_of_the_table_above():
    text = "Year Count\n2015/16 32056\n2016/17 32877\n2017/18 33993\n20"  # cut: no line end after "20"
    response = read_text(text, "x.txt")
    assert _figures(response) == [("2015/16", "Count", 32056, "figure"), ("2016/17", "Count", 32877, "figure"),
                                  ("2017/18", "Count", 33993, "figure")]
    assert "numbers-not-read" in _rules(response)  # the fragment is reported, never dropped in silence


def test_a_column_of_amounts_is_not_read_as_counts():
    cells = "".join(f"|\n{month} |\n{value} |\n" for month, value in
                    (("Feb-24", "13539"), ("Mar-24", "17873.71"), ("Apr-24", "14149.71"), ("May-24", "12140")))
    response = read_text("It can cost up to £1,000 per month to kennel a dog.\n" + cells, "x.txt")
    assert [r for r in response.records if r["kind"] == "figure"] == []  # 13539 beside 17873.71: an amount too
    assert any(f.rule == "table-not-read" and "decimals (17873.71)" in f.message for f in response.findings)


def test_a_row_label_before_count_first_items_heads_its_row():
    text = ("I am able to disclose the located information to you as follows.\n"
            "2012, 2013 – 54 x General Purpose Dogs, 4 x Explosives.\n"
            "2021 - 28 x General Purpose Dogs, 7 x Explosives, 5 x FES/VR/DVR\n")
    response = read_text(text, "x.txt")
    assert _figures(response) == [("2012, 2013", "General Purpose Dogs", 54, "figure"),
                                  ("2012, 2013", "Explosives", 4, "figure"),
                                  ("2021", "General Purpose Dogs", 28, "figure"), ("2021", "Explosives", 7, "figure"),
                                  ("2021", "FES/VR/DVR", 5, "figure")]


def test_a_lone_period_heading_names_a_one_column_list():
    # A web page copied one cell per paragraph: the year stands alone above the list's title.
    text = ("I am able to disclose the located information to you as follows.\n\nUplifts Per Year\n\n2018\n\n"
            "Reasons for uplift:\n\n \n\nAbandoned\n\n673\n\nStolen\n\n983\n\nUsed In Crime\n\n437\n")
    response = read_text(text, "x.txt")
    assert _figures(response) == [("Abandoned", "2018", 673, "figure"), ("Stolen", "2018", 983, "figure"),
                                  ("Used In Crime", "2018", 437, "figure")]


def test_answers_under_bare_numbers_are_titled_by_their_numbered_questions():
    text = ("You asked:\n1. How many dogs were seized in the following years?\n"
            "2. How many of those dogs were destroyed?\n"
            "I am able to disclose the located information to you as follows.\n"
            "1.\n2015 – 9\n2016 – 8\n2.\n2015 – 4 (none of which were puppies)\n2016 – 3\n")
    response = read_text(text, "x.txt")
    rows = [(r["table_title"], r["row_label"], r["count"]) for r in response.records if r["kind"] == "figure"]
    assert rows == [("How many dogs were seized in the following years?", "2015", 9),
                    ("How many dogs were seized in the following years?", "2016", 8),
                    ("How many of those dogs were destroyed?", "2015", 4),  # a remark after a value is no part of it
                    ("How many of those dogs were destroyed?", "2016", 3)]


def test_a_line_naming_exactly_the_value_columns_heads_them_in_order_though_not_aligned():
    text = ("I am able to disclose the located information to you as follows.\n\n"
            "                                               Northbound        Southbound\n\n"
            "September 2019                     372                      841\n\n"
            "October 2019                          1,663                   328\n")
    response = read_text(text, "x.txt")
    assert _figures(response) == [("September 2019", "Northbound", 372, "figure"),
                                  ("September 2019", "Southbound", 841, "figure"),
                                  ("October 2019", "Northbound", 1663, "figure"), ("October 2019", "Southbound", 328, "figure")]


def test_a_numbered_answer_of_one_count_is_a_figure_named_by_its_words():
    text = ("You asked:\n1. How many vehicles? 2. How many dogs? 3. How many staff?\n"
            "I am able to disclose the located information to you as follows.\n"
            "1.  571 vehicles in total, as at 4.1.17.\n2. 118 Dogs seized.\n3.  288 (Headcount).\n4. 10\n"
            "5. 2019 was the last year of the scheme.\n")
    response = read_text(text, "x.txt")
    # "in total" names the one count asked for: a table's only row totals nothing.
    assert _figures(response) == [("vehicles in total", None, 571, "figure"), ("Dogs seized", None, 118, "figure"),
                                  ("Headcount", None, 288, "figure"), ("4.", None, 10, "figure")]
    # Before the reply begins, a numbered line is the request's; a year is never such a count.
    assert "request" in _roles("1. 35 crimes in each year?\n")["35"]


def test_a_sentence_after_an_items_count_is_a_remark_not_the_request():
    text = ("I am able to disclose the located information to you as follows.\n"
            "- Antisocial behaviour – 638\nVehicle speeding – 50\n"
            "Questions – 187 - We are able to provide information about how the reports were handled. You would "
            "need to request this via their FOI team.\n"
            "2023 – October to December = 5\n")
    response = read_text(text, "x.txt")
    figures = _figures(response)
    assert ("Questions", None, 187, "figure") in figures  # never "in the request's own words"
    assert ("2023 – October to December", None, 5, "figure") in figures  # a period's words are no remark


@pytest.mark.parametrize("line", ["Your cookie preferences have been saved. You can update your cookie settings.",
                                  "Enquiry Reference: 416 - 24"])
def test_a_cookie_notice_or_the_requests_reference_names_no_table(line):
    response = read_text(f"{line}\n\nMonth\tMissing\nMarch 2021\t12\nApril 2021\t9\n", "x.txt")
    assert all(table.title is None or table.title.text != line for table in response.tables)
    assert [r["count"] for r in response.records if r["kind"] == "figure"] == [12, 9]


def test_a_reference_given_as_a_label_is_no_row_and_a_footnote_mark_no_part_of_a_label():
    text = ("Dear Sir/Madam\nEnquiry Reference: 699 - 24\nI write in connection with your request.\n\n"
            "Year\tAssaults\n2023/24\t30\n2024/25 *\t32\n\n* to 31 January\n")
    response = read_text(text, "x.txt")
    assert _figures(response) == [("2023/24", "Assaults", 30, "figure"), ("2024/25", "Assaults", 32, "figure")]
