"""Reader for PDF letters (GUIDE §3 kind 8), with pdfplumber.

Ruled tables are read cell by cell; the text around them, and unruled tables, are read
as laid out on the page, keeping the gaps between columns. Locations are "p2 l14" (page
2, line 14 of the laid-out text) or "p2 t1 r3" (page 2, ruled table 1, row 3). Page
numbers printed as footers are dropped, so a table running onto the next page goes on;
a header repeated at the top of the next page is not read as data.

A scanned page (an image with no text layer) is never guessed at: a PDF with no text
at all is refused, and each scanned page of a partly scanned one is an error finding.
"""

from __future__ import annotations

import contextlib
import io
import re

from fosi.errors import InputError
from fosi.model.findings import Finding
from fosi.model.response import Response
from fosi.readers.formats.kinds import NOT_READ
from fosi.readers.formats.limits import MAX_PDF_DRAWINGS, Refused, too_large
from fosi.readers.formats.parts import with_findings
from fosi.readers.layout.assemble import assemble
from fosi.readers.layout.lines import Line

READER = "pdf"
_PAGE_FOOTER = re.compile(r"^\s*(?:page\s+)?\d+\s*(?:of|/)\s*\d+\s*$|^\s*page\s+\d+\s*$", re.IGNORECASE)


def _layout_lines(text: str, page: int, start: int) -> list[Line]:
    """Laid-out text as Lines, runs of blank lines folded into one, footers dropped."""
    from fosi.readers.layout.cells import split_cells

    lines: list[Line] = []
    for offset, raw in enumerate(text.split("\n"), start=start):
        raw = raw.rstrip()
        if _PAGE_FOOTER.match(raw):
            continue
        if not raw.strip() and lines and lines[-1].blank:
            continue
        lines.append(Line(split_cells(raw), raw, None, f"p{page} l{offset}"))
    # Blank space at the edges of a band (the page margin above a table, the foot of a page)
    # is not a break in the text: a table running onto the next page goes on.
    while lines and lines[0].blank:
        lines.pop(0)
    while lines and lines[-1].blank:
        lines.pop()
    return lines


def read_pdf(data: bytes, source: str) -> Response:
    import pdfplumber

    try:
        with _quiet_pdfminer():
            lines, scanned, text_pages = _pdf_lines(pdfplumber, data)
    except (InputError, Refused):
        raise
    except Exception as error:  # noqa: BLE001 - pdfminer raises many kinds for a damaged file
        if _is_password_error(error):
            raise InputError(source, NOT_READ["encrypted"]) from None
        raise InputError(source, f"is not a readable PDF ({type(error).__name__}: {error})") from None
    if not text_pages:
        # An image of a table is not a table: a misread digit would be a wrong figure.
        raise InputError(source, SCANNED if scanned else "has no text on any page: " + SCANNED_ADVICE)
    response = assemble(lines, source, READER)
    return with_findings(response, [Finding(
        "scanned-page", "error", source, None,
        f"page {page} is scanned (an image with no text layer), so its figures are not read: "
        f"fosi does not guess figures from images; {SCANNED_FIX}", location=f"p{page}") for page in scanned])


@contextlib.contextmanager
def _quiet_pdfminer():
    """pdfminer logs a warning for each damaged object it passes over; fosi says what matters in one
    line (the file, and why it is not read), so its warnings are not printed."""
    import logging

    logger = logging.getLogger("pdfminer")
    level = logger.level
    logger.setLevel(logging.ERROR + 10)
    try:
        yield
    finally:
        logger.setLevel(level)


def _is_password_error(error: BaseException) -> bool:
    """pdfminer's password errors, however pdfplumber wraps them."""
    seen: BaseException | None = error
    for _ in range(4):
        if seen is None:
            return False
        if type(seen).__name__ in ("PDFPasswordIncorrect", "PDFEncryptionError"):
            return True
        inner = seen.args[0] if seen.args and isinstance(seen.args[0], BaseException) else None
        seen = inner or seen.__cause__ or seen.__context__
    return False


SCANNED_FIX = ("OCR it (for example with ocrmypdf) and check the result, or transcribe the table into a .csv "
               "beside it")
SCANNED_ADVICE = f"fosi does not guess figures from images; {SCANNED_FIX}"
SCANNED = f"is a scanned PDF with no text layer: {SCANNED_ADVICE}"
# A page is scanned when it shows an image and has next to no text: a stamped reference or a
# page number over a scan is not a text layer.
_SCANNED_MAX_CHARACTERS = 20
_SCANNED_MIN_IMAGE_SHARE = 0.25


def _is_scanned(page, characters: int) -> bool:
    if characters > _SCANNED_MAX_CHARACTERS or not page.images:
        return False
    page_area = float(page.width * page.height) or 1.0
    image_area = sum(max(0.0, float(i["x1"] - i["x0"])) * max(0.0, float(i["bottom"] - i["top"]))
                     for i in page.images)
    return characters == 0 or image_area / page_area >= _SCANNED_MIN_IMAGE_SHARE


def _pdf_lines(pdfplumber, data: bytes) -> tuple[list[Line], list[int], int]:
    """The document's Lines, the numbers of its scanned pages, and how many pages have text."""
    lines: list[Line] = []
    scanned: list[int] = []
    text_pages = 0
    with pdfplumber.open(io.BytesIO(data)) as document:
        for number, page in enumerate(document.pages, start=1):
            characters = sum(1 for c in page.chars if not c["text"].isspace())
            if _is_scanned(page, characters):
                scanned.append(number)
                continue
            text_pages += characters > 0
            drawings = len(page.lines) + len(page.rects) + len(page.curves)
            if drawings > MAX_PDF_DRAWINGS:  # finding ruled tables among them takes time and memory beyond measure
                raise too_large(f"page {number} draws {drawings:,} lines and shapes; fosi reads pages of at most "
                                f"{MAX_PDF_DRAWINGS:,}")
            tables = sorted(page.find_tables(), key=lambda t: t.bbox[1])
            top, line_count = 0.0, 1
            for index, table in enumerate(tables, start=1):
                above = page.crop((0, top, page.width, max(top, table.bbox[1]))).extract_text(layout=True) or ""
                lines.extend(_layout_lines(above, number, line_count))
                line_count += above.count("\n") + 1
                for row_number, row in enumerate(table.extract(), start=1):
                    cells = [" ".join((cell or "").split()) for cell in row]
                    lines.append(Line(cells, " ".join(c for c in cells if c), None,
                                      f"p{number} t{index} r{row_number}", separated=True))
                top = table.bbox[3]
            rest = page.crop((0, top, page.width, page.height)).extract_text(layout=True) or ""
            lines.extend(_layout_lines(rest, number, line_count))
    return lines, scanned, text_pages
