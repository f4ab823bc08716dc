"""Build the binary replies of the round-robin fixture: .xlsx, .docx, .pdf and .eml.

TEST DATA: every figure below is invented; the force names are real. Run from anywhere with
the project's environment (openpyxl and fpdf2 are in .venv):

    .venv/bin/python tests/roundrobin/make_binaries.py

The output is deterministic: zip members carry a fixed timestamp, document properties a fixed
date, the PDF a fixed creation date and file id, and the email a fixed boundary and Message-ID.
Running it again rewrites the same bytes.
"""

from __future__ import annotations

import datetime as dt
import email.message
import email.policy
import email.utils
import io
import re
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

HERE = Path(__file__).resolve().parent / "responses"
FIXED = dt.datetime(2026, 10, 20, 9, 0, 0, tzinfo=dt.timezone.utc)
ZIP_TIME = (2026, 10, 20, 9, 0, 0)
TEST_NOTE = "TEST DATA - invented figures, not a real police response (fosi round-robin fixture)."

# --- Derbyshire: a spreadsheet with title rows, a merged title cell, and one row of numbers stored as text.
DERBYSHIRE_TITLE = [
    "Derbyshire Constabulary - Freedom of Information Request 26-1877",
    "Indecent photographs of children: crimes recorded 1 January 2021 to 31 December 2023",
]
DERBYSHIRE_HEADER = ["Offence", "Home Office code", "All crimes", "Outcome 21"]
DERBYSHIRE_ROWS = [
    ["Take, make or distribute indecent photographs of children", "86/2", 644, 201],
    ["Possess indecent photographs of children", "86/10", "287", "25"],  # stored as text, as sent
    ["Total", None, 931, 226],
]

# --- Lancashire: a Word letter; prose as paragraphs, each table a Word table.
LANCASHIRE = [
    ("p", "Lancashire Constabulary"),
    ("p", "Freedom of Information Request LC-20261021-0517"),
    ("p", "21 October 2026"),
    ("p", "Dear Requester,"),
    ("p", "Lancashire Constabulary holds the information you asked for. The figures are crimes recorded "
          "from 1 January 2021 to 31 December 2023."),
    ("p", "Total Crimes"),
    ("t", [["Offence", "Total"],
           ["86/2 Take, make or distribute indecent photographs of children", "1120"],
           ["86/10 Possess indecent photographs of children", "540"],
           ["Total", "1660"]]),
    ("p", "Total Crimes - Outcome 21"),
    ("t", [["Offence", "Total"],
           ["86/2 Take, make or distribute indecent photographs of children", "330"],
           ["86/10 Possess indecent photographs of children", "36"],
           ["Total", "366"]]),
    ("p", "Yours sincerely,"),
    ("p", "Information Compliance and Disclosure"),
    ("p", TEST_NOTE),
]

# --- Greater Manchester: a PDF letter with ruled tables.
GMP_LINES = [
    "Greater Manchester Police",
    "Information Governance Branch",
    "Freedom of Information Request 003318/26",
    "27 October 2026",
    "",
    "Dear Requester,",
    "",
    "Greater Manchester Police holds the information. Crimes recorded 1 January 2021 to 31 December 2023:",
    "",
]
GMP_TABLES = [
    ("Total Crimes", [["Offence", "Crimes"],
                      ["86/2 Take, make or distribute indecent photographs of children", "2210"],
                      ["86/10 Possess indecent photographs of children", "1190"],
                      ["Total", "3400"]]),
    ("Total Crimes - Outcome 21", [["Offence", "Crimes"],
                                   ["86/2 Take, make or distribute indecent photographs of children", "615"],
                                   ["86/10 Possess indecent photographs of children", "88"],
                                   ["Total", "703"]]),
]
GMP_CLOSING = ["", "Yours sincerely,", "", "Information Governance Branch", "", TEST_NOTE]

# --- Merseyside: an email, the reply attached as a Word document.
MERSEYSIDE_BODY = (
    "Dear Requester,\n\n"
    "Please find attached the response to your Freedom of Information request FOI 26-3391.\n\n"
    "Merseyside Police - Corporate Information Unit\n\n"
    + TEST_NOTE + "\n"
)
MERSEYSIDE_ATTACHMENT = [
    ("p", "Merseyside Police"),
    ("p", "Freedom of Information Request FOI 26-3391"),
    ("p", "Merseyside Police holds the information. Crimes recorded from 1 January 2021 to 31 December 2023."),
    ("p", "Total Crimes"),
    ("t", [["Offence", "Total"],
           ["86/2 Take, make or distribute indecent photographs of children", "1010"],
           ["86/10 Possess indecent photographs of children", "495"],
           ["Total", "1505"]]),
    ("p", "Total Crimes - Outcome 21"),
    ("t", [["Offence", "Total"],
           ["86/2 Take, make or distribute indecent photographs of children", "301"],
           ["86/10 Possess indecent photographs of children", "33"],
           ["Total", "334"]]),
    ("p", "Corporate Information Unit"),
    ("p", TEST_NOTE),
]


def _fixed_zip(data: bytes) -> bytes:
    """The same zip with every member at one timestamp and the document dates fixed."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in sorted(source.namelist(), key=lambda n: (n != "[Content_Types].xml", n)):
            content = source.read(name)
            if name == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*",
                                 rb"\g<1>2026-10-20T09:00:00Z", content)
            info = zipfile.ZipInfo(name, ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            target.writestr(info, content)
    return out.getvalue()


def xlsx() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Response"
    for row, text in enumerate(DERBYSHIRE_TITLE, start=1):
        sheet.cell(row=row, column=1, value=text)
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=4)
    sheet.append([])
    sheet.append(DERBYSHIRE_HEADER)
    for values in DERBYSHIRE_ROWS:
        sheet.append(values)
    sheet.append([])
    sheet.append([TEST_NOTE])
    sheet.column_dimensions["A"].width = 60
    book.properties.creator = "fosi round-robin fixture"
    book.properties.created = FIXED.replace(tzinfo=None)
    book.properties.modified = FIXED.replace(tzinfo=None)
    buffer = io.BytesIO()
    book.save(buffer)
    return _fixed_zip(buffer.getvalue())


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _paragraph(text: str) -> str:
    return f'<w:p><w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'


def _table(rows: list[list[str]]) -> str:
    border = "".join(f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
                     for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    out = [f'<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/><w:tblBorders>{border}</w:tblBorders></w:tblPr>',
           "<w:tblGrid>" + '<w:gridCol w:w="6500"/><w:gridCol w:w="1800"/>' + "</w:tblGrid>"]
    for row in rows:
        out.append("<w:tr>" + "".join(f"<w:tc><w:tcPr><w:tcW w:w=\"0\" w:type=\"auto\"/></w:tcPr>{_paragraph(cell)}</w:tc>"
                                      for cell in row) + "</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


def docx(blocks: list[tuple[str, object]]) -> bytes:
    """A minimal Word document, written as a zip of XML."""
    body = "".join(_paragraph(content) if kind == "p" else _table(content) + _paragraph("")
                   for kind, content in blocks)
    document = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                f'<w:document xmlns:w="{_W}"><w:body>{body}<w:sectPr/></w:body></w:document>')
    content_types = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/document.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
        '</Types>')
    rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        'Target="word/document.xml"/></Relationships>')
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in (("[Content_Types].xml", content_types), ("_rels/.rels", rels),
                           ("word/document.xml", document)):
            info = zipfile.ZipInfo(name, ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            archive.writestr(info, text.encode("utf-8"))
    return out.getvalue()


def pdf() -> bytes:
    import fpdf

    document = fpdf.FPDF()
    document.set_creation_date(FIXED)
    document.set_producer("fosi round-robin fixture")
    document.set_font("Helvetica", size=10)
    document.add_page()

    def line(text: str) -> None:
        if text:
            document.multi_cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")
        else:
            document.ln(3)

    for text in GMP_LINES:
        line(text)
    for title, rows in GMP_TABLES:
        line(title)
        with document.table(col_widths=(130, 30), first_row_as_headings=True) as table:
            for row in rows:
                table.row(row)
        line("")
    for text in GMP_CLOSING:
        line(text)
    data = bytes(document.output())
    # fpdf2 derives the file /ID from the content and creation date; pin it anyway.
    return re.sub(rb"/ID \[<[0-9A-F]+><[0-9A-F]+>\]", b"/ID [<" + b"0" * 32 + b"><" + b"0" * 32 + b">]", data)


def scanned_pdf() -> bytes:
    """Wiltshire's reply as a scanned letter: a PDF of drawn marks with no text layer, which no
    reader can take figures from (fosi status: unreadable). Only its document properties say it
    is test data, since a page with no text cannot."""
    import fpdf

    document = fpdf.FPDF()
    document.set_creation_date(FIXED)
    document.set_producer("fosi round-robin fixture")
    document.set_title("TEST DATA - invented scanned reply, not a real police response (fosi round-robin fixture)")
    document.add_page()
    document.set_fill_color(40, 40, 40)
    for row in range(30):  # grey bars where a scan would show lines of type
        document.rect(20, 30 + row * 7, 120 + (row * 37) % 50, 2.5, style="F")
    data = bytes(document.output())
    return re.sub(rb"/ID \[<[0-9A-F]+><[0-9A-F]+>\]", b"/ID [<" + b"0" * 32 + b"><" + b"0" * 32 + b">]", data)


def eml() -> bytes:
    message = email.message.EmailMessage(policy=email.policy.SMTP)
    message["From"] = "Merseyside Police Corporate Information Unit <foi@example.invalid>"
    message["To"] = "Example Research Unit <foi-research@example.org>"
    message["Subject"] = "FOI 26-3391 - Indecent images of children: Outcome 21"
    message["Date"] = email.utils.format_datetime(dt.datetime(2026, 10, 21, 14, 5, tzinfo=dt.timezone.utc))
    message["Message-ID"] = "<foi-26-3391@example.invalid>"
    message.set_content(MERSEYSIDE_BODY)
    message.add_attachment(docx(MERSEYSIDE_ATTACHMENT), maintype="application",
                           subtype="vnd.openxmlformats-officedocument.wordprocessingml.document",
                           filename="FOI 26-3391 response.docx")
    message.set_boundary("fosi-roundrobin-boundary-0001")
    return message.as_bytes()


OUTPUTS = {
    "derbyshire_foi-26-1877.xlsx": xlsx,
    "lancashire_lc-20261021-0517.docx": lambda: docx(LANCASHIRE),
    "gmp_foi-003318-26.pdf": pdf,
    "wiltshire_foi-2026-1022.pdf": scanned_pdf,
    "merseyside_foi-26-3391.eml": eml,
}


def main() -> None:
    for name, build in OUTPUTS.items():
        (HERE / name).write_bytes(build())
        print("wrote", name)


if __name__ == "__main__":
    main()
