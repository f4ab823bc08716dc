"""What a report shows, piece by piece: tables and their CSV, charts, the key results, the source and
citation, the glossary, the contents and the index. The browser tests (test_browser.py) check the
pages as a whole; these check each piece's content, with expected values read off the fixtures."""

from __future__ import annotations

import csv
import html
import io
import re

import pandas as pd
import pytest

from conftest import FIXTURES, ROOT, SEED
from fosi.analysis.rates import outcome_rates
from fosi.build import load_dataset
from fosi.errors import InputError

SEED_FORCE = "Hertfordshire Constabulary"  # seed line 3


@pytest.fixture(scope="module")
def seed():
    data = load_dataset([SEED])
    return data, outcome_rates(data.figures, "21", findings=data.findings)


# --- tables --------------------------------------------------------------------------------------

def test_a_tables_csv_is_ready_for_a_spreadsheet_and_runs_nothing():
    from fosi.publish.html import csv_text

    frame = pd.DataFrame({"Offence": ["=HYPERLINK(\"http://x\")", "+1 taking", "-", "@sum", "Child-Distribute"],
                          "Crimes": ["1,250", "withheld (<5)", "-", "12", "0"],
                          "95% CI": ["22.5%–27.3%", "–", "–", "0.4%–5.6%", "0.0%–79.3%"]}).set_index("Offence")
    rows = list(csv.reader(io.StringIO(csv_text(frame, {"Force": "Essex"}))))
    assert rows[0] == ["Force", "Offence", "Crimes", "95% CI, low", "95% CI, high"]
    assert rows[1] == ["Essex", "'=HYPERLINK(\"http://x\")", "1250", "22.5%", "27.3%"]
    assert rows[2][1:3] == ["'+1 taking", "withheld (<5)"]  # a marker is kept as printed
    assert rows[3][1:3] == ["-", "-"] and rows[4][1] == "'@sum" and rows[5][1] == "Child-Distribute"


def test_whole_numbers_in_a_table_get_thousands_separators():
    from fosi.publish.html import table

    shown = table(pd.DataFrame({"File": ["a.xlsx"], "Figures": pd.array([12345], dtype="Int64"),
                                "Errors": pd.array([pd.NA], dtype="Int64")}).set_index("File"), "Files", "f.csv")
    assert '<td class="num nowrap">12,345</td>' in shown.html and "12345" not in shown.text


def test_a_table_escapes_text_once_and_aligns_text_left_numbers_right():
    from fosi.publish.html import table

    label = '<script>alert(1)</script> & &lt;5'
    shown = table(pd.DataFrame({"Offence": [label], "Crimes": ["1,250"], "Rate": ["24.8%"],
                                "95% CI": ["22.5%–27.3%"]}).set_index("Offence"), "Caption <b>", "t.csv")
    assert html.escape(label) in shown.html and "&amp;lt;5" in shown.html  # '&lt;5' as printed: escaped once
    assert "<script>" not in shown.html and "<b>" not in shown.html
    assert shown.html.count("<tr>") == 2  # one header row, one body row
    assert '<th scope="col" class="text">Offence</th>' in shown.html
    assert '<th scope="col" class="num">Crimes</th>' in shown.html
    assert '<td class="num nowrap">22.5%–27.3%</td>' in shown.html
    assert 'download="t.csv" href="data:text/csv;charset=utf-8;base64,' in shown.html


# --- charts --------------------------------------------------------------------------------------

def test_the_rates_chart_stands_alone_and_draws_0_and_100_percent_whole(seed):
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.text import Text

    from fosi.publish.charts import plot_rates

    _, rates = seed
    for narrow in (False, True):
        figure = plot_rates(rates, narrow=narrow)
        texts = " ".join(t.get_text() for t in figure.findobj(Text)).replace("\n", " ")
        assert "Outcome 21 rate by offence: Hertfordshire, 1 January 2016 to 31 January 2018" in texts  # lines 3, 5
        chart = figure.axes[0]
        low, high = chart.get_xlim()
        assert low < 0 and high > 100  # 'Child-Show Indecent Photo' is 0 of 1 (lines 16, and absent under line 27)
        legend = [t.get_text() for t in figure.axes[1].get_legend().get_texts()]
        # Offences, groups, the overall rate, a hollow point (a base under 10: line 16) and the interval bar.
        assert legend == ["Offence", "Offence group (subtotal)", "All offences listed (overall)",
                          "Base under 10 (hollow)", "95% Wilson interval"]
        assert min(t.get_fontsize() for t in figure.findobj(Text) if t.get_text().strip()) >= 9


def test_the_charts_alt_text_gives_every_rate_drawn(seed):
    from fosi.publish.narrative import rates_chart_description

    _, rates = seed
    text = rates_chart_description(rates)
    assert text.startswith("Chart of the Outcome 21 rate by offence for Hertfordshire")
    # Seed lines 13 and 27: 139 of 358; Wilson 95% interval 33.9%-44.0% (GUIDE §1).
    assert "Child-Distribute Indecent Photo: 38.8% (95% CI 33.9%–44.0%), 139 of 358" in text
    assert text.count("%)") == len(rates)  # every row has a rate here, and each is described


def test_the_funnel_says_how_to_read_it_and_names_every_mark():
    import matplotlib

    matplotlib.use("Agg")
    from fosi.analysis.forces import demonstration, funnel, outliers
    from fosi.publish.charts import plot_funnel
    from fosi.publish.narrative import funnel_how_to_read

    demo = demonstration()
    outside = outliers(demo)
    figure = plot_funnel(demo, funnel(demo), outside)
    legend = [t.get_text() for t in figure.axes[1].get_legend().get_texts()]
    assert legend[0] == f"Pooled rate {demo.pooled:.1%}"
    widest = list(outside["level"])
    kinds = (["A response inside the 95% limits"] if demo.rated > len(widest) else []) \
        + (["Outside the 95% limits"] if any(0.95 <= level < 0.998 for level in widest) else []) \
        + (["Outside the 99.8% limits"] if any(level >= 0.998 for level in widest) else [])
    assert legend[-len(kinds):] == kinds  # one entry for each kind of point drawn, and only those
    assert figure.axes[0].get_ylim()[0] < 0  # a rate of 0% drawn whole
    assert "pooled rate" in funnel_how_to_read(demo) and "not a ranking" in funnel_how_to_read(demo)


# --- the top of a report ----------------------------------------------------------------------------

def test_key_results_lead_with_the_requested_groups_rate_then_the_caveat_then_other_groups_apart(seed):
    """The headline is the indecent-images group (86/x), never the mix with 8/71 (a group of adult
    victims), which is shown apart below the caveat with the 8/71 rate."""
    from statsmodels.stats.proportion import proportion_confint

    from fosi.publish.sections import key_results

    data, rates = seed
    shown = key_results(rates, data.notes, data.manifest, "9.9", "1 May 2020")
    text = shown.text
    # Seed lines 12-18: the six 86/ offences, 125 + 358 + 98 + 12 + 1 + 12 crimes, closed 2 + 139 + 6 + 0 + 0 + 1.
    count, base = 2 + 139 + 6 + 0 + 0 + 1, 125 + 358 + 98 + 12 + 1 + 12
    low, high = proportion_confint(count, base, alpha=0.05, method="wilson")
    assert (f"{count / base:.1%} of crimes ({count} of {base}; 95% CI {low:.1%}–{high:.1%}) were closed with "
            "Outcome 21: indecent images of children (86/2, 86/10).") in text
    headline = next(line for line in text.splitlines() if line.startswith("- "))
    assert "24.4%" in headline and "8/71" not in headline and "149 of 685" not in headline
    # Apart: the 8/71 offence (line 18: 1 of 79) and the mixed overall of lines 19 and 31 (149 of 685).
    assert "1.3% of crimes (1 of 79;" in text and "Shown apart: not the offence group asked about." in text
    assert "21.8% of crimes (149 of 685; 95% CI 18.8%–25.0%)" in text and "Shown apart: it mixes offence groups." in text
    assert "38.8% of crimes (139 of 358; 95% CI 33.9%–44.0%)" in text  # the offence with most crimes (line 13)
    # The caveat of line 41, its first sentence quoted as printed, the rest marked as left out.
    assert "“Unfortunately due to the way the Crime details are recorded on our Crime Information System - it is not " \
           "possible to identify which of these crimes relate to Images of the Young people themselves as opposed " \
           "to photos of others. […]” (Hertfordshire, line 41)" in text
    assert f"Cite as: {SEED_FORCE} (date received not stated)." in text and "request reference not stated" in text
    assert "SHA-256 16a48a2cb30b…; analysed with fosi 9.9, 1 May 2020." in text
    order = [text.index(part) for part in ("24.4%", "The force's own caveat", "21.8%", "38.8%", "Cite as")]
    assert order == sorted(order)


def test_a_rate_not_computed_is_a_key_result_in_words_only():
    from fosi.publish.sections import key_results

    data = load_dataset([FIXTURES / "withheld_note.txt"])
    rates = outcome_rates(data.figures, "21", findings=data.findings)
    text = key_results(rates, data.notes, data.manifest, "9.9", "1 May 2020").text
    overall = next(line for line in text.splitlines() if line.startswith("- No rate for all offences"))
    assert "withheld (<5)" in overall and not re.search(r"\d+ of \d+", overall)
    # Lines 10 and 17: the one offence with a rate is still given, 310 of 1,250.
    assert "24.8% of crimes (310 of 1,250; 95% CI" in text


def test_the_source_block_and_citation_take_the_sidecars_reference_date_and_url(tmp_path):
    from fosi.publish.narrative import cite_as
    from fosi.publish.sections import source_block

    response = tmp_path / "kent.txt"
    response.write_bytes((FIXTURES / "hostile_labels.txt").read_bytes())
    sidecar = tmp_path / "kent.yml"
    sidecar.write_text('request_reference: "FOI 586/26"\ndate_received: 2020-05-01\n'
                       'url: "javascript:alert(1)"\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"kent.yml: url: 'javascript:alert\(1\)' is not a web address"):
        load_dataset([response], strict=True)  # a sidecar states only a web address
    sidecar.write_text('request_reference: "FOI 586/26"\ndate_received: 2020-05-01\n', encoding="utf-8")
    data = load_dataset([response])
    # Other ways in (a saved page's canonical link) are not checked as strictly: the page still
    # links only a web address.
    manifest = data.manifest.assign(url="javascript:alert(1)")
    row = manifest.iloc[0]
    assert (row["request_reference"], row["date_received"]) == ("FOI 586/26", "2020-05-01")
    shown = source_block(manifest)
    assert "<dd>FOI 586/26</dd>" in shown.html and "<dd>1 May 2020</dd>" in shown.html
    assert "href=" not in shown.html  # only a web address becomes a link
    assert cite_as(row.to_dict(), "2 May 2020", "9.9").startswith(
        "Kent Police (2020). Response to a Freedom of Information request on indecent-images-of-children offences, "
        "1 April 2019 to 31 March 2020, reference FOI 586/26, received 1 May 2020. javascript:alert(1).")


def test_a_saved_web_page_and_an_email_give_their_own_address(tmp_path):
    from fosi.readers import read_response

    page = tmp_path / "disclosure.html"
    page.write_text("<!-- saved from url=(0047)https://www.example.org/disclosure-log/foi-586 -->\n<html><body>"
                    "<p>Kent Police</p><table><tr><th>Offence</th><th>Total</th></tr>"
                    "<tr><td>Child-Distribute Indecent Photo</td><td>5</td></tr></table></body></html>",
                    encoding="utf-8")
    assert read_response(page).metadata.url.text == "https://www.example.org/disclosure-log/foi-586"
    mail = tmp_path / "reply.eml"
    mail.write_text("From: foi@kent.police.uk\nTo: me@example.org\nSubject: FOI 586/26\n"
                    "Date: Fri, 1 May 2020 10:00:00 +0100\nArchived-At: <https://www.example.org/request/586>\n"
                    "Content-Type: text/plain; charset=utf-8\n\nKent Police\n\nOffence\tTotal\n"
                    "Child-Distribute Indecent Photo\t5\n", encoding="utf-8")
    assert read_response(mail).metadata.url.text == "https://www.example.org/request/586"
    import datetime as dt

    from cfb import outlook_message

    outlook = tmp_path / "reply.msg"
    outlook.write_bytes(outlook_message(
        "FOI 586/26", "Kent Police\r\n\r\nOffence\tTotal\r\nChild-Distribute Indecent Photo\t5\r\n",
        dt.datetime(2020, 5, 1, 9, tzinfo=dt.timezone.utc), {},
        headers="Subject: FOI 586/26\r\nArchived-At: <https://www.example.org/request/586>\r\n\r\n"))
    assert read_response(outlook).metadata.url.text == "https://www.example.org/request/586"


def test_the_glossary_describes_each_code_used_from_the_reference():
    from fosi.publish.narrative import glossary

    with (ROOT / "fosi" / "reference_data" / "outcome_codes.csv").open(encoding="utf-8") as handle:
        labels = {row["code"]: row["label"] for row in csv.DictReader(handle)}
    text = glossary(["21", "10", "21", "1A"])
    lines = text.splitlines()
    assert [line.split(":")[0] for line in lines] == ["- **Outcome 1A", "- **Outcome 10", "- **Outcome 21"]
    assert labels["10"] in lines[1] and labels["21"] in lines[2]
    assert "never add the two" in lines[0]


def test_things_to_know_give_the_count_the_period_the_date_basis_and_the_interval(seed):
    from fosi.publish.narrative import things_to_know

    data, rates = seed
    text = things_to_know(rates, data.manifest)
    # Seed lines 5 and 7: 1 January 2016 to 31 January 2018, counted by the date the outcome was assigned.
    assert "**Hertfordshire** counts crimes from 1 January 2016 to 31 January 2018, 25 months (762 days)" in text
    assert "by the date its outcome was assigned, not the date it was recorded" in text
    assert "does not describe sampling error" in text and "Crimes, not children" in text


# --- pages and the index ---------------------------------------------------------------------------

def test_a_print_header_cannot_end_its_style():
    from fosi.publish.pages import css_string

    written = css_string('Kent </style><script>"x"\\ – 1')
    assert written.startswith('"') and written.endswith('"')
    assert not re.search(r"[<>\"]", written[1:-1]) and "\\" + "3c " in written


def test_contents_list_every_section_and_go_where_the_report_asks():
    from fosi.publish.pages import CONTENTS_MARKER, with_contents

    page = (f'<main><h1>T</h1><h2 id="Key-results">Key results</h2>{CONTENTS_MARKER}'
            '<h2 id="Rates">Rates<a class="anchor-link" href="#Rates">¶</a></h2><h2 id="Method">Method</h2></main>')
    made = with_contents(page)
    nav = made[made.index('<nav class="toc"'):made.index("</nav>")]
    assert re.findall(r'href="#([^"]+)">([^<]+)<', nav) == [("Key-results", "Key results"), ("Rates", "Rates"),
                                                           ("Method", "Method")]
    assert made.index("<nav") > made.index('id="Key-results"') and CONTENTS_MARKER not in made


def test_each_response_gets_a_safe_name_of_its_own(tmp_path):
    from fosi.publish.report import response_stems

    files = [tmp_path / "a" / "kent.txt", tmp_path / "b" / "kent.txt", tmp_path / "b" / "essex 2019 (1).pdf",
             tmp_path / "b" / "essex 2019 (1).txt"]
    for file in files:
        file.parent.mkdir(exist_ok=True)
        file.write_text("x")
    assert response_stems(files) == ["a--kent", "b--kent", "b--essex_2019__1_.pdf", "b--essex_2019__1_.txt"]
    assert response_stems([files[0]]) == ["kent"]
