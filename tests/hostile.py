"""Small hostile documents, built here rather than stored: each is a few bytes to a few hundred KB
that once cost fosi a traceback, a hang or gigabytes. ``DOCUMENTS`` maps a file name to a function
making its bytes (a sidecar, where there is one, is the same name with .yml)."""

from __future__ import annotations

import email.message
import io
import re
import zipfile
from collections.abc import Callable

from conftest import SEED

HUGE = "1" + "0" * 4300  # 4,301 digits: Python refuses to make a number of it


def _docx(patch: Callable[[str], str]) -> bytes:
    """A Word letter with one table, its document.xml passed through ``patch``."""
    import docx

    document = docx.Document()
    document.add_paragraph("Hertfordshire Constabulary")
    table = document.add_table(rows=2, cols=2)
    for row, (label, count) in enumerate((("Offence", "Total"), ("Possession", "4"))):
        table.rows[row].cells[0].text, table.rows[row].cells[1].text = label, count
    buffer = io.BytesIO()
    document.save(buffer)
    return _patched(buffer.getvalue(), "word/document.xml", patch)


def _ods(patch: Callable[[str], str]) -> bytes:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    document = OpenDocumentSpreadsheet()
    table = Table(name="Response")
    for label, count in (("Offence", "Total"), ("Possession", "4")):
        row = TableRow()
        for text in (label, count):
            cell = TableCell()
            cell.addElement(P(text=text))
            row.addElement(cell)
        table.addElement(row)
    document.spreadsheet.addElement(table)
    buffer = io.BytesIO()
    document.save(buffer)
    return _patched(buffer.getvalue(), "content.xml", patch)


def _patched(data: bytes, member: str, patch: Callable[[str], str]) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == member:
                content = patch(content.decode("utf-8")).encode("utf-8")
            target.writestr(info, content)
    return out.getvalue()


def _first(pattern: str, replacement: str) -> Callable[[str], str]:
    def patch(text: str) -> str:
        patched, count = re.subn(pattern, replacement, text, count=1)
        assert count == 1, pattern
        return patched

    return patch


def ods_repeat_x() -> bytes:
    return _ods(_first(r"<table:table-row>", '<table:table-row table:number-rows-repeated="x">'))


def ods_repeat_billion() -> bytes:
    return _ods(_first(r"<table:table-row>", '<table:table-row table:number-rows-repeated="1000000000">'))


def ods_unpacking_to_gigabytes() -> bytes:
    """An .ods whose content.xml unpacks to 201 MB of spaces (the real one: 3 MB to 3 GB)."""
    data = _ods(lambda text: text)
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename != "content.xml":
                target.writestr(info, source.read(info))
                continue
            with target.open("content.xml", "w") as member:
                member.write(source.read(info)[:-len("</office:document-content>")])
                for _ in range(201):
                    member.write(b" " * 1024 * 1024)
                member.write(b"</office:document-content>")
    return out.getvalue()


def docx_grid_span_x() -> bytes:
    return _docx(_first(r"<w:tcPr>", '<w:tcPr><w:gridSpan w:val="x"/>'))


def docx_grid_before_huge() -> bytes:
    return _docx(_first(r"<w:tr>", '<w:tr><w:trPr><w:gridBefore w:val="100000000"/></w:trPr>'))


def xlsx_last_cell() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet["A1"], sheet["A2"], sheet["B2"] = "Offence", "Possession", 4
    sheet["XFD1048576"] = 1
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def html_huge_colspan() -> bytes:
    return (f'<html><body><table><tr><th>Offence</th><th colspan="{HUGE}">Total</th></tr>'
            '<tr><td>Possession</td><td>4</td></tr></table></body></html>').encode()


def html_spans_over_millions() -> bytes:
    """Cells spanning 1,000 columns and 1,000 rows each, a hundred of them: 10^8 cells once laid out."""
    row = "<tr>" + '<td colspan="1000" rowspan="1000">1</td>' * 10 + "</tr>"
    return f"<html><body><table>{row * 1000}</table></body></html>".encode()


def text_huge_count() -> bytes:
    return f"Hertfordshire Constabulary\nOffence\tTotal\nPossession\t{HUGE}\nTaking\t3\n".encode()


def text_one_line_of_numbers(count: int = 8000) -> bytes:
    return ("Figures: " + " ".join(str(n % 997) for n in range(count)) + "\n").encode()


def csv_long_field() -> bytes:
    return b'Offence,Total\n"' + b"x" * (129 * 1024) + b'",4\n'


def pdf_of_drawings(operators: int = 30_000) -> bytes:
    """One page of text and thousands of stroked lines (the real one: 408 KB of drawing operators)."""
    drawing = "".join(f"{i % 500} {i % 700} m {i % 500 + 5} {i % 700 + 5} l S\n" for i in range(operators))
    content = f"BT /F1 12 Tf 72 720 Td (Possession 4) Tj ET\n{drawing}".encode()
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def eml_nested_multiparts(depth: int = 1000) -> bytes:
    head = "From: foi@example.police.uk\nTo: requester@example.org\nSubject: FOI 1/23\nMIME-Version: 1.0\n"
    parts = [head]
    for level in range(depth):
        parts.append(f'Content-Type: multipart/mixed; boundary="b{level}"\n\n--b{level}\n')
    parts.append("Content-Type: text/plain\n\nPossession 4\n")
    for level in reversed(range(depth)):
        parts.append(f"--b{level}--\n")
    return "".join(parts).encode()


def _email_with(attachment: bytes, name: str, maintype: str, subtype: str) -> bytes:
    message = email.message.EmailMessage()
    message["From"], message["To"], message["Subject"] = "foi@example.police.uk", "requester@example.org", "FOI 1/23"
    message.set_content("Please find our response attached.\n")
    message.add_attachment(attachment, maintype=maintype, subtype=subtype, filename=name)
    return message.as_bytes()


def eml_zip_chain(depth: int = 200) -> bytes:
    """An email holding a zip holding an email holding a zip ..., ``depth`` files deep."""
    data = _email_with(SEED.read_bytes(), "reply.txt", "text", "plain")
    for level in range(depth - 1):
        if level % 2 == 0:
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
                archive.writestr("reply.eml", data)
            data = buffer.getvalue()
        else:
            data = _email_with(data, "replies.zip", "application", "zip")
    return data if depth % 2 == 1 else _email_with(data, "replies.zip", "application", "zip")


# Sidecars beside a copy of the seed.
SIDECARS = {
    "impossible_date": "period_start: 2019-02-30\n",
    "huge_number": f"suppression_threshold: {HUGE}\n",
    "aliases": "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
               "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
               "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
               "g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]\nh: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]\n"
               "notes: *h\n",
}

# Each hostile document by the name it is saved under, and what it is, as the once-failing kind.
DOCUMENTS: dict[str, Callable[[], bytes]] = {
    "repeat_x.ods": ods_repeat_x,
    "repeat_billion.ods": ods_repeat_billion,
    "unpacks_to_gigabytes.ods": ods_unpacking_to_gigabytes,
    "span_x.docx": docx_grid_span_x,
    "grid_before_huge.docx": docx_grid_before_huge,
    "last_cell.xlsx": xlsx_last_cell,
    "huge_colspan.html": html_huge_colspan,
    "spans_over_millions.html": html_spans_over_millions,
    "huge_count.txt": text_huge_count,
    "long_field.csv": csv_long_field,
    "drawings.pdf": pdf_of_drawings,
    "nested_parts.eml": eml_nested_multiparts,
    "zip_chain.eml": eml_zip_chain,
}
