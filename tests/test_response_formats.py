"""Every format a response arrives in: the seed rendered by these tests into a web page, a Word
letter, an .xls and an .ods workbook, an email with the letter attached, and a zip of them all,
each read back to the seed's figures; spanning headers, merged cells, scanned PDFs and bad input.

Expected figures are read off the seed's text here, by the test's own reading of its tab-separated
rows, never from fosi's output.
"""

from __future__ import annotations

import datetime as dt
import email.message
import email.utils
import html
import io
import re
import subprocess
import sys
import zipfile
from collections import Counter

import pandas as pd
import pytest
from cfb import outlook_message

from conftest import SEED
from fosi.build import build
from fosi.checks.validate import validate
from fosi.errors import InputError
from fosi.readers import read_archive, read_response

SEED_LINES = SEED.read_text(encoding="utf-8").split("\n")


def _seed_blocks() -> list[tuple[str, object]]:
    """The seed as printed: ("text", line) and ("table", [[label, value], ...]) in order."""
    blocks: list[tuple[str, object]] = []
    for line in SEED_LINES:
        if "\t" in line:
            if not blocks or blocks[-1][0] != "table":
                blocks.append(("table", []))
            blocks[-1][1].append(line.split("\t"))
        else:
            blocks.append(("text", line))
    return blocks


def _expected_seed() -> Counter:
    """(row label, count, outcome code, kind) of every number in the seed, by its own words: the
    outcome is the number after "Outcome" in the title above the table; "Total" rows are totals."""
    expected, outcome = Counter(), None
    for kind, content in _seed_blocks():
        if kind == "text" and content.startswith("Total Crimes"):
            found = re.search(r"Outcome (\d+)", content)
            outcome = found.group(1) if found else None
        elif kind == "table":
            for label, value in content[1:]:  # under the header row
                expected[(label, int(value), outcome, "total" if label == "Total" else "figure")] += 1
    return expected


def _read_cells(response) -> Counter:
    return Counter((r["row_label"], r["count"], r["outcome_code"], r["kind"]) for r in response.records)


def _assert_reads_as_seed(response) -> None:
    expected = _expected_seed()
    assert sum(n for (_, _, _, kind), n in expected.items() if kind == "figure") == 13
    assert sum(n for (_, _, _, kind), n in expected.items() if kind == "total") == 3
    assert _read_cells(response) == expected
    metadata = response.metadata
    # Printed in the seed: "Hertfordshire Constabulary", "1st January 2016 - 31st January 2018",
    # "... where the Outcome assignment date was in the period stated", "Total Crimes ...".
    assert (metadata.value("force"), metadata.value("period_start"), metadata.value("period_end"),
            metadata.value("date_basis"), metadata.value("unit")) == (
        "Hertfordshire", "2016-01-01", "2018-01-31", "outcome", "crimes")
    assert [f for f in validate(response) if f.severity == "error"] == []
    assert any(note.text.startswith("Unfortunately due to the way") for note in response.notes)


# --- the seed in each format ---------------------------------------------------------------

def seed_html() -> bytes:
    """The seed as a disclosure-log page: each table's title in a heading, the outcome's wording as
    a header spanning the table, the Total row in <tfoot> (written before <tbody>, as HTML 4
    required), and a menu, a cookie banner, a script and a footer around it."""
    out = ["<!DOCTYPE html>", "<html lang='en'><head><meta charset='utf-8'><title>Disclosure log 2018</title>",
           "<script>document.write('<table><tr><th>Offence</th><th>Total</th></tr><tr><td>Total</td>"
           "<td>999</td></tr></table>')</script><style>td {padding: 2px}</style></head><body>",
           "<nav><ul><li><a href='/'>Home</a></li><li><a href='/foi'>FOI requests 2017 (25)</a></li></ul></nav>",
           "<div id='cookie-banner'><p>We use 3 cookies. Accept all cookies 1 of 2</p></div>",
           "<main>"]
    wording = None
    for kind, content in _seed_blocks():
        if kind == "text":
            if not content.strip():
                continue
            if content.endswith("Police decision"):
                wording = content  # the line under a title that words the outcome
            elif content.startswith("Total Crimes"):
                out.append(f"<h2>{html.escape(content)}</h2>")
            else:
                out.append(f"<p>{html.escape(content)}</p>")
            continue
        header, *body = content
        out.append("<table>\n<thead>")
        if wording:
            out.append(f"<tr><th colspan='2'>{html.escape(wording)}</th></tr>")
            wording = None
        out.append("<tr>" + "".join(f"<th>{html.escape(c)}</th>" for c in header) + "</tr>\n</thead>")
        out.append("<tfoot>\n<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in body[-1]) + "</tr>\n</tfoot>")
        out.append("<tbody>")
        out.extend("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in body[:-1])
        out.append("</tbody>\n</table>")
    out.append("</main><footer><p>Copyright 2018 Hertfordshire. Page 1 of 2. Total 12</p></footer></body></html>")
    return "\n".join(out).encode("utf-8")


def seed_docx(split_first_table: bool = False) -> bytes:
    """The seed as a Word letter: prose as paragraphs, each table as a Word table; optionally the
    first table split across two pages, its header row repeated on the second."""
    import docx
    from docx.enum.text import WD_BREAK

    document = docx.Document()
    first = True
    for kind, content in _seed_blocks():
        if kind == "text":
            document.add_paragraph(content)
            continue
        header, *body = content
        parts = [body[:4], body[4:]] if split_first_table and first else [body]
        for index, rows in enumerate(parts):
            if index:
                document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
            table = document.add_table(rows=0, cols=2)
            for row in [header, *rows]:
                cells = table.add_row().cells
                cells[0].text, cells[1].text = row
        first = False
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def seed_xls(path) -> None:
    """The seed as an Excel 97-2003 workbook, one line per row; the numbers of the first table
    stored as text, as many forces send them."""
    xlwt = pytest.importorskip("xlwt")
    book = xlwt.Workbook()
    sheet = book.add_sheet("Response")
    in_first_table = True
    for row, line in enumerate(SEED_LINES):
        if line.startswith("Total Crimes concerning Indecent Photos of Children - Outcome"):
            in_first_table = False
        for column, cell in enumerate(line.split("\t")):
            if cell:
                number = column == 1 and cell.isdigit() and not in_first_table
                sheet.write(row, column, int(cell) if number else cell)
    book.save(str(path))


def seed_ods() -> bytes:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    document = OpenDocumentSpreadsheet()
    table = Table(name="Response")
    for line in SEED_LINES:
        row = TableRow()
        for cell in line.split("\t"):
            element = TableCell(valuetype="float", value=cell) if cell.isdigit() else TableCell()
            if cell:
                element.addElement(P(text=cell))
            row.addElement(element)
        table.addElement(row)
    document.spreadsheet.addElement(table)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def seed_eml(subject: str = "FOI 586/26 - Indecent images of children: outcomes") -> bytes:
    message = email.message.EmailMessage()
    message["From"] = "Freedom of Information <foi@example.police.uk>"
    message["To"] = "requester@example.org"
    message["Subject"] = subject
    message["Date"] = email.utils.format_datetime(dt.datetime(2018, 3, 1, 9, 30, tzinfo=dt.timezone.utc))
    message.set_content("Dear requester,\n\nPlease find our response attached.\n\nFreedom of Information Unit\n")
    message.add_attachment(seed_docx(), maintype="application",
                           subtype="vnd.openxmlformats-officedocument.wordprocessingml.document",
                           filename="seed.docx")
    return message.as_bytes()


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    folder = tmp_path_factory.mktemp("rendered")
    (folder / "seed.html").write_bytes(seed_html())
    (folder / "seed.docx").write_bytes(seed_docx(split_first_table=True))
    seed_xls(folder / "seed.xls")
    (folder / "seed.ods").write_bytes(seed_ods())
    (folder / "seed.eml").write_bytes(seed_eml())
    (folder / "seed.msg").write_bytes(outlook_message(
        "FOI 586/26 - Indecent images of children: outcomes", "Dear requester,\r\nPlease find our response attached.\r\n",
        dt.datetime(2018, 3, 1, 9, 30, tzinfo=dt.timezone.utc), {"seed.docx": seed_docx()}))
    return folder


@pytest.mark.parametrize("name", ["seed.html", "seed.docx", "seed.xls", "seed.ods", "seed.eml", "seed.msg"])
def test_seed_in_every_format_reads_back_to_its_figures(rendered, name):
    _assert_reads_as_seed(read_response(rendered / name))


def test_html_locations_name_table_row_column_and_the_line_in_the_file(rendered):
    response = read_response(rendered / "seed.html")
    page = (rendered / "seed.html").read_text().split("\n")
    total = next(r for r in response.records if r["count"] == 685)
    assert total["location"] == "t1 r9 c2"  # the foot comes last as displayed: after the header and 7 body rows
    assert "<td>685</td>" in page[total["line"] - 1]
    distribute = next(r for r in response.records if r["count"] == 139)
    assert distribute["location"] == "t2 r4 c2" and "<td>139</td>" in page[distribute["line"] - 1]
    # The table's title is the heading above it; the wording spanning the header names the outcome.
    assert distribute["table_title"] == "Total Crimes concerning Indecent Photos of Children - Outcome 21"
    # Nothing from the script, the menu, the cookie banner or the footer.
    assert 999 not in {r["count"] for r in response.records}
    assert not any("cookies" in n.text or "Copyright" in n.text for n in response.notes)


def test_docx_table_split_across_pages_goes_on_and_cells_are_located(rendered):
    response = read_response(rendered / "seed.docx")
    located = {r["count"]: r["location"] for r in response.records if r["table"] == 1}
    assert located[125] == "t1 r2 c2"
    assert located[685] == "t2 r5 c2"  # second page: the repeated header is row 1, then 4 rows, then Total
    assert response.metadata.force.location == "para 3"


def test_word_letter_with_tab_separated_paragraphs_reads_as_the_text_does():
    import docx

    document = docx.Document()
    for line in SEED_LINES:
        document.add_paragraph(line)  # the seed pasted into Word: one paragraph a line, tabs kept
    buffer = io.BytesIO()
    document.save(buffer)
    response = read_response("letter.docx", data=buffer.getvalue(), sidecar=None)
    _assert_reads_as_seed(response)
    assert next(r for r in response.records if r["count"] == 685)["location"] == "para 19"  # the seed's line 19


def test_xls_and_ods_locate_cells_by_sheet_and_address(rendered):
    for name in ("seed.xls", "seed.ods"):
        response = read_response(rendered / name)
        total = next(r for r in response.records if r["count"] == 685)
        assert total["location"] == "Response!B19"  # line 19 of the seed, second column
        assert response.reader == name.split(".")[1]


@pytest.mark.parametrize("name", ["seed.eml", "seed.msg"])
def test_email_reads_its_attachment_as_part_of_one_response(rendered, name):
    response = read_response(rendered / name)
    assert response.reader == {"seed.eml": "email", "seed.msg": "msg"}[name]
    total = next(r for r in response.records if r["count"] == 685)
    assert total["location"] == "attachment seed.docx, t1 r9 c2"
    assert {r["source"] for r in response.records} == {str(rendered / name)}
    assert response.metadata.value("request_reference") == "FOI 586/26"  # from the subject
    assert response.metadata.value("date_received") == "2018-03-01"  # from the Date: header


def test_a_sidecar_beside_an_email_applies_to_all_its_parts(tmp_path):
    (tmp_path / "reply.eml").write_bytes(seed_eml(subject="Your request"))
    (tmp_path / "reply.yml").write_text("date_basis: recorded\nrequest_reference: FOI 123/18\n")
    response = read_response(tmp_path / "reply.eml")
    assert {r["date_basis"] for r in response.records} == {"recorded"}
    assert response.metadata.value("request_reference") == "FOI 123/18"
    assert ("sidecar-disagrees", "warning") in {(f.rule, f.severity) for f in validate(response)}


def test_email_html_body_with_a_table_is_read_from_its_cells():
    message = email.message.EmailMessage()
    message["Subject"] = "RE: Freedom of Information Request 2019/0412"
    message["Date"] = "Tue, 14 May 2019 10:00:00 +0100"
    message.set_content("Kent Police\nplain text version without the table\n")
    message.add_alternative(
        "<html><body><p>Kent Police</p><p>Crimes recorded 1 April 2018 to 31 March 2019 - Outcome 21</p>"
        "<table><tr><th>Offence</th><th>Crimes</th></tr><tr><td>Possession of indecent images</td><td>17</td></tr>"
        "<tr><td>Total</td><td>17</td></tr></table></body></html>", subtype="html")
    response = read_response("reply.eml", data=message.as_bytes(), sidecar=None)
    assert [(r["row_label"], r["count"], r["outcome_code"], r["location"]) for r in response.records] == [
        ("Possession of indecent images", 17, "21", "body t1 r2 c2"), ("Total", 17, "21", "body t1 r3 c2")]
    assert response.metadata.value("request_reference") == "Freedom of Information Request 2019/0412"
    assert response.metadata.value("force") == "Kent"


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_zip_of_every_format_builds_as_one_response_per_member(rendered, tmp_path):
    raw = tmp_path / "data" / "raw"
    raw.mkdir(parents=True)
    names = ["seed.html", "seed.docx", "seed.xls", "seed.ods", "seed.eml", "seed.msg"]
    (raw / "request.zip").write_bytes(_zip({f"attachments/{n}": (rendered / n).read_bytes() for n in names}
                                           | {"__MACOSX/._seed.docx": b"\x00\x05\x16\x07"}))
    (raw / "request.yml").write_text("age_filter: all ages\n")  # beside the archive: every member
    out = tmp_path / "data" / "processed"
    result = build(raw, out)
    assert not result.failed
    manifest = result.dataset.manifest.set_index("file")
    assert sorted(manifest.index) == sorted(f"{raw}/request.zip/attachments/{n}" for n in names)
    assert set(manifest["age_filter"]) == {"all ages"}
    assert sorted(manifest["reader"]) == ["docx", "email", "html", "msg", "ods", "xls"]
    figures = result.dataset.figures
    for name in names:
        member = figures[figures["source"] == f"{raw}/request.zip/attachments/{name}"]
        outcomes = [None if code is pd.NA else code for code in member["outcome_code"]]
        assert Counter(zip(member["row_label"], member["count"].astype(int), outcomes, member["kind"])) == \
            _expected_seed()
    unchanged = build(raw, out)
    assert (unchanged.changed, unchanged.reread) == (False, 0)
    (raw / "other.txt").write_bytes(SEED.read_bytes())
    again = build(raw, out)
    assert again.reread == 1  # the archive came from the cache


def test_fosi_parse_reads_a_zip_and_corrections_match_member_locations(rendered, tmp_path):
    archive = tmp_path / "request.zip"
    archive.write_bytes(_zip({"seed.html": (rendered / "seed.html").read_bytes()}))
    result = subprocess.run([sys.executable, "-m", "fosi", "parse", str(archive)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("request.zip/seed.html,") == 16
    from fosi.checks.corrections import Correction, apply_corrections

    [member] = read_archive(archive)
    correction = Correction("request.zip/seed.html", "t1 r3 c2", "358", 357, "recorded twice", "A. Analyst",
                            "2024-05-01", 2)
    corrected, applied = apply_corrections(member.outcome, [correction], "corrections.csv")
    assert applied and next(r for r in corrected.records if r["location"] == "t1 r3 c2")["count"] == 357


# --- spans and merged cells ----------------------------------------------------------------

TWO_LEVEL = """<!DOCTYPE html>
<html><body>
<p>Hampshire Constabulary: crimes with an outcome assigned 1 April 2019 to 31 March 2020</p>
<table>
<caption>Crimes by outcome and sex of the suspect</caption>
<thead>
<tr><th rowspan="2">Offence</th><th colspan="2">Outcome 2</th><th colspan="2">Outcome 21</th></tr>
<tr><th>Female</th><th>Male</th><th>Female</th><th>Male</th></tr>
</thead>
<tbody>
<tr><td>Possession of indecent images</td><td>1</td><td>4</td><td>3</td><td>12</td></tr>
<tr><td>Taking, making or distributing</td><td>&lt;5</td><td>7</td><td>2</td><td>9</td></tr>
</tbody>
</table>
</body></html>
"""


def test_two_level_header_spans_are_expanded_over_their_columns():
    from fosi.readers.formats.webpage import html_lines

    lines = [line for line in html_lines(TWO_LEVEL.encode(), "page.html") if line.cell_locations]
    assert [line.cells for line in lines[:2]] == [
        ["Offence", "Outcome 2", "Outcome 2", "Outcome 21", "Outcome 21"],
        ["Offence", "Female", "Male", "Female", "Male"],
    ]
    source = TWO_LEVEL.split("\n")
    twelve = lines[2]
    assert twelve.cell_locations[4] == "t1 r3 c5"
    assert "<td>12</td>" in source[twelve.cell_lines[4] - 1]


def test_two_level_header_gives_column_groups_and_outcomes():
    response = read_response("page.html", data=TWO_LEVEL.encode(), sidecar=None)
    figures = {(r["row_label"], r.get("column_group"), r["column_label"]): (r["count"], r["marker"], r["outcome_code"])
               for r in response.records}
    assert figures == {
        ("Possession of indecent images", "Outcome 2", "Female"): (1, None, "2"),
        ("Possession of indecent images", "Outcome 2", "Male"): (4, None, "2"),
        ("Possession of indecent images", "Outcome 21", "Female"): (3, None, "21"),
        ("Possession of indecent images", "Outcome 21", "Male"): (12, None, "21"),
        ("Taking, making or distributing", "Outcome 2", "Female"): (None, "<5", "2"),
        ("Taking, making or distributing", "Outcome 2", "Male"): (7, None, "2"),
        ("Taking, making or distributing", "Outcome 21", "Female"): (2, None, "21"),
        ("Taking, making or distributing", "Outcome 21", "Male"): (9, None, "21"),
    }


def _row_groups(response) -> Counter:
    return Counter((r["row_group"], r["row_label"], r["count"], r["kind"]) for r in response.records)


def test_html_label_spanning_rows_is_each_rows_group_and_a_spanning_total_is_once():
    page = b"""<table><tr><th>Offence</th><th>Age group</th><th>Crimes</th></tr>
    <tr><td rowspan="2">Possession of indecent images</td><td>Under 18</td><td>12</td></tr>
    <tr><td>18 and over</td><td>40</td></tr>
    <tr><td colspan="2">Total</td><td>52</td></tr></table>"""
    response = read_response("grouped.html", data=page, sidecar=None)
    assert _row_groups(response) == Counter({
        ("Possession of indecent images", "Under 18", 12, "figure"): 1,
        ("Possession of indecent images", "18 and over", 40, "figure"): 1,
        (None, "Total", 52, "total"): 1,
    })


def test_docx_merged_cells_down_and_across():
    import docx

    document = docx.Document()
    document.add_paragraph("Crimes recorded 1 April 2019 to 31 March 2020")
    table = document.add_table(rows=4, cols=3)
    for row, values in enumerate([["Offence", "Age group", "Crimes"], ["Possession of indecent images", "Under 18", "12"],
                                  ["", "18 and over", "40"], ["Total", "", "52"]]):
        for column, value in enumerate(values):
            table.cell(row, column).text = value
    table.cell(1, 0).merge(table.cell(2, 0))  # the offence merged down over its age bands
    table.cell(3, 0).merge(table.cell(3, 1))  # Total merged across the two label columns
    buffer = io.BytesIO()
    document.save(buffer)
    response = read_response("merged.docx", data=buffer.getvalue(), sidecar=None)
    assert _row_groups(response) == Counter({
        ("Possession of indecent images", "Under 18", 12, "figure"): 1,
        ("Possession of indecent images", "18 and over", 40, "figure"): 1,
        (None, "Total", 52, "total"): 1,
    })
    assert {r["count"]: r["location"] for r in response.records}[40] == "t1 r3 c3"


def test_xls_merged_label_down_and_numbers_as_text(tmp_path):
    xlwt = pytest.importorskip("xlwt")
    book = xlwt.Workbook()
    sheet = book.add_sheet("All crimes")
    sheet.write_merge(0, 0, 0, 2, "Hampshire Constabulary: crimes recorded 1 April 2019 to 31 March 2020")
    for column, name in enumerate(["Offence", "Age group", "Crimes"]):
        sheet.write(2, column, name)
    sheet.write_merge(3, 4, 0, 0, "Possession of indecent images")
    sheet.write(3, 1, "Under 18")
    sheet.write(3, 2, "12")  # a number stored as text
    sheet.write(4, 1, "18 and over")
    sheet.write(4, 2, 40.0)
    sheet.write(5, 0, "Total")
    sheet.write(5, 2, 52)
    book.save(str(tmp_path / "book.xls"))
    response = read_response(tmp_path / "book.xls")
    assert Counter((r["row_group"], r["row_label"], r["count"], r["location"]) for r in response.records) == Counter({
        ("Possession of indecent images", "Under 18", 12, "All crimes!C4"): 1,
        ("Possession of indecent images", "18 and over", 40, "All crimes!C5"): 1,
        (None, "Total", 52, "All crimes!C6"): 1,
    })
    assert response.metadata.value("force") == "Hampshire"


# --- scanned PDFs --------------------------------------------------------------------------

def _scan_image():
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (600, 300), "white")
    draw = ImageDraw.Draw(image)
    draw.text((20, 20), "Offence                Total", fill="black")
    draw.text((20, 50), "Child-Distribute Indecent Photo    358", fill="black")
    return image


def _pdf(pages: list[str]) -> bytes:
    """Pages of "text" (the seed, as text) or "scan" (a picture of a table, no text layer)."""
    fpdf = pytest.importorskip("fpdf")
    pdf = fpdf.FPDF()
    pdf.set_font("Helvetica", size=10)
    for page in pages:
        pdf.add_page()
        if page == "scan":
            pdf.image(_scan_image(), x=0, y=0, w=pdf.w)
            continue
        for line in SEED_LINES:
            if "\t" in line:
                label, value = line.split("\t")
                pdf.cell(120, 5, label)
                pdf.cell(30, 5, value, new_x="LMARGIN", new_y="NEXT")
            elif line.startswith("Unfortunately"):
                pdf.multi_cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")
            elif not line.startswith("["):
                pdf.cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")
    assert pdf.page_no() == len(pages)  # each text page fits on one page
    return bytes(pdf.output())


SCANNED = ("is a scanned PDF with no text layer: fosi does not guess figures from images; OCR it (for example with "
           "ocrmypdf) and check the result, or transcribe the table into a .csv beside it")


def test_image_only_pdf_is_named_as_scanned_exit_2_and_failed_in_build(tmp_path):
    path = tmp_path / "scan.pdf"
    path.write_bytes(_pdf(["scan", "scan"]))
    with pytest.raises(InputError) as raised:
        read_response(path)
    assert raised.value.problem == SCANNED
    for command in ("parse", "validate"):
        result = subprocess.run([sys.executable, "-m", "fosi", command, str(path)], capture_output=True, text=True)
        assert result.returncode == 2
        assert result.stderr.strip() == f"fosi {command}: {path}: {SCANNED}"
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "scan.pdf").write_bytes(path.read_bytes())
    assert [reason.endswith(SCANNED) for reason in build(raw, tmp_path / "out").failed] == [True]


def test_partly_scanned_pdf_reads_its_text_pages_and_names_each_scanned_page(tmp_path):
    path = tmp_path / "letter.pdf"
    path.write_bytes(_pdf(["scan", "text", "scan"]))
    response = read_response(path)
    assert _read_cells(response) == _expected_seed()
    scanned = [(f.rule, f.severity, f.location) for f in validate(response) if f.rule == "scanned-page"]
    assert scanned == [("scanned-page", "error", "p1"), ("scanned-page", "error", "p3")]


# --- bad input -----------------------------------------------------------------------------

def _rtf() -> bytes:
    return b"{\\rtf1\\ansi Kent Police\\par Offence\\tab Total\\par}"


def _odt() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


def _bomb() -> bytes:
    """Eleven members of 20 MB of zeros each: 220 MB from a zip of about 220 KB."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for number in range(11):
            with archive.open(f"part{number}.txt", "w") as member:
                for _ in range(20):
                    member.write(bytes(1024 * 1024))
    return buffer.getvalue()


def _encrypted_docx() -> bytes:
    from msoffcrypto.format.ooxml import OOXMLFile

    encrypted = io.BytesIO()
    OOXMLFile(io.BytesIO(seed_docx())).encrypt("secret", encrypted)
    return encrypted.getvalue()


def _encrypted_pdf() -> bytes:
    fpdf = pytest.importorskip("fpdf")
    from fpdf.enums import EncryptionMethod

    pdf = fpdf.FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    pdf.cell(0, 6, "Kent Police")
    pdf.set_encryption(owner_password="owner", user_password="secret", encryption_method=EncryptionMethod.RC4)
    return bytes(pdf.output())


def _email_without_readable_part() -> bytes:
    message = email.message.EmailMessage()
    message["Subject"] = "FOI 12/19"
    message.set_content("")
    message.add_attachment(b"\x89PNG\r\n\x1a\n" + bytes(64), maintype="image", subtype="png", filename="scan.png")
    return message.as_bytes()


PASSWORD = "is password-protected, so fosi cannot open it: open it with the password and save a copy without one"
BAD = {
    "corrupt.zip": (lambda: b"PK\x03\x04" + bytes(40), "corrupt.zip: is not a readable zip archive"),
    "bomb.zip": (_bomb, "bomb.zip: would unpack to 220 MB, more than the 200 MB fosi takes from one archive: "
                        "refused as a possible zip bomb"),
    "many.zip": (lambda: _zip({f"r{k}.txt": b"x" for k in range(501)}),
                 "many.zip: holds 501 files; fosi reads at most 500 from one archive"),
    "traversal.zip": (lambda: _zip({"../../etc/cron.d/evil.txt": SEED.read_bytes()}),
                      "traversal.zip: holds a file named '../../etc/cron.d/evil.txt', which points outside the archive"),
    "absolute.zip": (lambda: _zip({"/tmp/evil.txt": SEED.read_bytes()}), "which points outside the archive"),
    "no_part.eml": (_email_without_readable_part, "no_part.eml: has no readable part: no text in its body and no "
                                                  "attachment fosi can read (attachment scan.png: is an image"),
    "truncated.docx": (lambda: seed_docx()[:3000], "truncated.docx: is not a readable Word (.docx) document"),
    "protected.docx": (_encrypted_docx, f"protected.docx: {PASSWORD}"),
    "protected.pdf": (_encrypted_pdf, f"protected.pdf: {PASSWORD}"),
    "letter.doc": (_rtf, "letter.doc: is a Rich Text (.rtf) document, which fosi does not read: open it and save it "
                         "as .docx or .pdf"),
    "letter.rtf": (_rtf, "letter.rtf: is a Rich Text (.rtf) document"),
    "old.doc": (lambda: b"anything at all", "old.doc: is a Word 97-2003 (.doc) document, which fosi does not read: "
                                            "open it and save it as .docx or .pdf"),
    "letter.odt": (_odt, "letter.odt: is an OpenDocument text (.odt) document, which fosi does not read"),
    "letter.docx": (lambda: _pdf(["text"]), "letter.docx: holds a PDF file but is named '.docx'"),
    "page.xls": (seed_html, None),  # a web system's table saved as .xls: read as the page it is
}


@pytest.mark.parametrize("name", list(BAD))
def test_bad_input_gets_one_line_naming_the_file_and_exit_2(name, tmp_path):
    make, message = BAD[name]
    if name == "protected.docx":
        pytest.importorskip("msoffcrypto")
    path = tmp_path / name
    path.write_bytes(make())
    result = subprocess.run([sys.executable, "-m", "fosi", "parse", str(path)], capture_output=True, text=True)
    if message is None:
        assert result.returncode == 0, result.stderr
        return
    assert result.returncode == 2, result.stderr
    assert message in result.stderr
    assert str(tmp_path) in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_bad_member_fails_alone_and_the_rest_of_the_archive_builds(rendered, tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "request.zip").write_bytes(_zip({"seed.html": (rendered / "seed.html").read_bytes(),
                                            "scan.pdf": _pdf(["scan"]), "inner.zip": _zip({"a.txt": b"x"})}))
    result = build(raw, tmp_path / "out")
    assert sorted(result.failed) == [
        f"{raw}/request.zip/inner.zip: is a zip archive inside the archive: unzip it and read its files",
        f"{raw}/request.zip/scan.pdf: {SCANNED}",
    ]
    assert len(result.dataset.figures) == 16


def test_an_attachment_that_cannot_be_read_is_an_error_finding(rendered):
    message = email.message.EmailMessage()
    message["Subject"] = "FOI 586/26"
    message.set_content("Please find our response attached.")
    message.add_attachment(seed_docx(), maintype="application", subtype="octet-stream", filename="seed.docx")
    message.add_attachment(_pdf(["scan"]), maintype="application", subtype="pdf", filename="table.pdf")
    message.add_attachment(b"\x89PNG\r\n\x1a\n" + bytes(64), maintype="image", subtype="png", filename="logo.png")
    response = read_response("reply.eml", data=message.as_bytes(), sidecar=None)
    assert _read_cells(response) == _expected_seed()
    found = {(f.rule, f.severity, f.location, f.message.split(":")[0]) for f in validate(response)
             if f.rule == "attachment-not-read"}
    assert found == {("attachment-not-read", "error", "attachment table.pdf", "attachment table.pdf"),
                     ("attachment-not-read", "warning", "attachment logo.png", "attachment logo.png")}
