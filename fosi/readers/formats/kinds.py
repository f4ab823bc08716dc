"""What a response file is: its kind from its name and from its content, and the one-line
answer for a kind fosi does not read (an old Word file, a password, an image).

A file is read by what its bytes are, and its extension must agree: a .docx holding a PDF
is named wrongly, not read as a Word file. Zip-based and OLE-based formats are told apart by
the parts inside them (``word/``, ``xl/``, an OpenDocument ``mimetype``; ``Workbook``,
``__substg1.0_``, ``EncryptedPackage``).
"""

from __future__ import annotations

import io
import re

# A response is a letter, a page or a workbook: anything larger is not one (and would be slow).
MAX_BYTES = 20 * 1024 * 1024
TEXT_SUFFIXES = {".txt", ".text", ".md", ".csv", ".tsv", ""}
# Each reader's extensions; the kind names are the readers' names (the manifest's reader column).
SUFFIX_KINDS = {
    **{suffix: "text" for suffix in TEXT_SUFFIXES},
    ".xlsx": "xlsx", ".xlsm": "xlsx",
    ".pdf": "pdf",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".docx": "docx", ".docm": "docx",
    ".xls": "xls",
    ".ods": "ods",
    ".eml": "email",
    ".msg": "msg",
    ".zip": "zip",
}
KNOWN_SUFFIXES = set(SUFFIX_KINDS)
READ_LIST = ".txt, .md, .csv, .tsv, .html, .docx, .xlsx, .xls, .ods, .pdf, .eml, .msg and .zip"

# Kinds fosi names but does not read, each with what to do instead.
CONVERT = "open it and save it as .docx or .pdf, and read that"
NOT_READ = {
    "doc": f"is a Word 97-2003 (.doc) document, which fosi does not read: {CONVERT}",
    "rtf": f"is a Rich Text (.rtf) document, which fosi does not read: {CONVERT}",
    "odt": f"is an OpenDocument text (.odt) document, which fosi does not read: {CONVERT}",
    "encrypted": "is password-protected, so fosi cannot open it: open it with the password and save a copy "
                 "without one (or ask the force for one), and read that",
    "image": "is an image: fosi does not guess figures from images; transcribe the table into a .csv beside it",
    "xml-spreadsheet": "is an XML Spreadsheet 2003 file, which fosi does not read: open it and save it as .xlsx, "
                       "and read that",
}
SUFFIX_NOT_READ = {".doc": "doc", ".dot": "doc", ".rtf": "rtf", ".odt": "odt", ".png": "image", ".jpg": "image",
                   ".jpeg": "image", ".gif": "image", ".tif": "image", ".tiff": "image", ".bmp": "image"}

# How a kind is named in "holds X but is named '.Y'".
DESCRIPTIONS = {
    "text": "a text file", "pdf": "a PDF file", "xlsx": "an .xlsx workbook", "docx": "a Word (.docx) document",
    "ods": "an .ods spreadsheet", "xls": "an .xls workbook", "zip": "a zip archive", "msg": "an Outlook .msg email",
    "html": "an HTML page", "email": "an email",
}

_HTML_START = re.compile(rb"^(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b",
                         re.IGNORECASE | re.DOTALL)
_IMAGE_MAGIC = (b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*", b"BM")


def kind_of_content(data: bytes) -> str:
    """What the bytes are: a reader's kind ("pdf", "xlsx", "docx", "ods", "zip", "xls", "msg",
    "html", "text"), a kind fosi names but does not read (NOT_READ), "damaged-zip" or
    "damaged-ole" (the reader of the expected kind says what is wrong), or "binary"."""
    if data.startswith(b"%PDF"):
        return "pdf"
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _zip_kind(data)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return _ole_kind(data)
    if data.startswith(b"{\\rtf"):
        return "rtf"
    if data.startswith(_IMAGE_MAGIC):
        return "image"
    if data.startswith((b"\x7fELF", b"MZ")):
        return "binary"
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "binary"
    head = data[:4096]
    if _HTML_START.match(head):
        return "html"
    if head.lstrip().startswith(b"<?xml") and b"urn:schemas-microsoft-com:office:spreadsheet" in data[:65536]:
        return "xml-spreadsheet"
    return "text"


_OPEN_DOCUMENT = {b"application/vnd.oasis.opendocument.spreadsheet": "ods",
                  b"application/vnd.oasis.opendocument.text": "odt"}


def _zip_kind(data: bytes) -> str:
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                with archive.open("mimetype") as member:
                    mimetype = member.read(100).strip()
                return _OPEN_DOCUMENT.get(mimetype, "zip")
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError, ValueError):
        return "damaged-zip"
    if "[Content_Types].xml" in names:
        if any(name.startswith("word/") for name in names):
            return "docx"
        if any(name.startswith("xl/") for name in names):
            return "xlsx"
    return "zip"


def _ole_kind(data: bytes) -> str:
    """An OLE2 compound file: old Office formats, Outlook emails, and encrypted Office 2007+ files."""
    import olefile

    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            streams = {"/".join(entry) for entry in ole.listdir(streams=True, storages=True)}
    except (OSError, ValueError, IndexError, TypeError, AttributeError):
        return "damaged-ole"
    if "EncryptedPackage" in streams or "EncryptionInfo" in streams:
        return "encrypted"  # an .xlsx or .docx saved with a password (ECMA-376 encryption)
    if any(name.startswith("__substg1.0_") for name in streams):
        return "msg"
    if "Workbook" in streams or "Book" in streams:
        return "xls"
    if "WordDocument" in streams:
        return "doc"
    return "binary"


_FAMILY = {"zip": {"xlsx", "docx", "ods", "zip"}, "ole": {"xls", "msg"}}


def reader_for(suffix: str, content: str) -> str | None:
    """The reader for a file with this extension and content, or None when they disagree.

    An .htm(l) may be a fragment with no <html> tag; an .xls is often an HTML table saved by a
    web system; an .eml is text. A damaged zip or OLE file goes to the reader its extension
    names, which says what is wrong with it.
    """
    expected = SUFFIX_KINDS[suffix]
    if content == expected:
        return expected
    if expected in ("html", "email") and content == "text":
        return expected
    if expected == "xls" and content == "html":
        return "html"
    if content == "damaged-zip" and expected in _FAMILY["zip"]:
        return expected
    if content == "damaged-ole" and expected in _FAMILY["ole"]:
        return expected
    return None
