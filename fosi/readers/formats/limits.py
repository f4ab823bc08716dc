"""How far fosi expands what a file declares, checked before anything is allocated.

A few bytes can declare gigabytes: a cell at the last address of a sheet, a row repeated a
billion times, a span or a grid offset of a hundred million, a zip member that unpacks a
thousandfold, thousands of drawing operators on a PDF page, files nested in files. Real replies
stay far inside each limit; a file beyond one is refused in one line (a ``Refused`` raised
anywhere inside its reader, which fosi.readers.budget.guarded turns into the file's InputError),
and the other files are still read. The README lists these limits.
"""

from __future__ import annotations

import re

TOO_COMPLEX = "too large or too complex to read"
MAX_UNPACKED = 200 * 1024 * 1024  # bytes a zip-based file (.xlsx, .docx, .ods, .zip) may unpack to
MAX_SHEET_ROWS = 1_048_576  # a spreadsheet's rows (Excel's and LibreOffice's limit)
MAX_SHEET_COLUMNS = 16_384  # and its columns (XFD)
MAX_CELLS = 2_000_000  # cells of one table or sheet once spans, repeats and merges are laid out
SPREAD = 20  # and at most this many times the cells a marked-up table prints (beyond 100,000)
MAX_SPAN = 1000  # columns or rows one table cell spans (HTML's own limit for colspan; also Word's and ODF's here)
MAX_PDF_DRAWINGS = 20_000  # lines, rectangles and curves drawn on one PDF page
MAX_NESTING = 5  # files inside files: an email in an archive in an email ...
MAX_PART_DEPTH = 50  # multiparts inside multiparts of one email

# A declared span, repeat or offset: a whole number of at most 18 digits (10^18 is beyond every limit below).
_WHOLE = re.compile(r"\d{1,18}")


class Refused(Exception):
    """A file beyond a limit, or declaring what cannot be: the message is the problem, in one
    line, without the file's name (the reader's guard adds it)."""


def too_large(what: str) -> Refused:
    """The refusal of a file beyond a limit: ``what`` says which, with the limit."""
    return Refused(f"{TOO_COMPLEX}: {what}")


def declared_count(value: object, default: int, most: int, what: str) -> int:
    """A whole number a file declares in its markup (a span, a repeat, an offset): ``default`` when
    absent; refused in one line when it is not a whole number, or is above ``most``."""
    if value is None:
        return default
    text = str(value).strip()
    if not _WHOLE.fullmatch(text):
        shown = text if len(text) <= 20 else f"{text[:20]}... ({len(text)} characters)"
        raise Refused(f"is damaged: it declares a {what} of {shown!r}, which is not a whole number fosi can use")
    number = int(text)
    if number > most:
        raise too_large(f"it declares a {what} of {number:,}; fosi reads at most {most:,}")
    return number


def check_unpacked(data: bytes, kind: str) -> None:
    """Refuse a zip-based file (a workbook, a Word document) whose parts would unpack to more than
    MAX_UNPACKED, by the sizes its directory declares (a part is never read past its declared size)."""
    import io
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        return  # the reader says what is wrong with it
    if unpacked > MAX_UNPACKED:
        raise too_large(f"as {kind} it would unpack to {unpacked / 1024 / 1024:,.0f} MB; fosi unpacks at "
                                f"most {MAX_UNPACKED // 1024 // 1024} MB from one file")

