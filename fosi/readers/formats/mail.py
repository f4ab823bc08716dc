"""Readers for emails: .eml (RFC 5322, with the standard library) and Outlook .msg (with
extract-msg).

An email is one response made of parts (fosi.readers.formats.parts): its body, and each attachment
read by its own reader (a letter, a spreadsheet, a PDF, a zip of them, a forwarded email).
Of a body sent both as plain text and as HTML, the HTML is read when it holds a table (its
cells are then read exactly), the plain text otherwise. Pictures shown inside the body
(logos, signatures) are not attachments. An attachment that cannot be read is an
``attachment-not-read`` finding (an error; a warning for a picture or a kind fosi does not
know), and an email with no readable part is refused.

The request reference is read from the Subject: where it has one ("FOI 586/26"), and the
date received from the Date: header. A sidecar beside the email applies to all its parts.

Locations: "body l12" (line 12 of the plain-text body), "body t1 r3 c2", and
"attachment letter.docx, t1 r3 c2" (each attachment's own locations).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from pathlib import PurePosixPath

from fosi.errors import InputError
from fosi.model.findings import Finding
from fosi.model.response import Located, Metadata, Response
from fosi.readers.formats.archive import ReadResponse
from fosi.readers.formats.kinds import KNOWN_SUFFIXES, NOT_READ, SUFFIX_NOT_READ
from fosi.readers.formats.limits import MAX_PART_DEPTH, too_large
from fosi.readers.formats.parts import Part, join_parts, part_location, with_findings

# "FOI 586/26", "FOI Request 2019/123", "Our ref: FOI-1234-19", "Freedom of Information Request 01/2020"
_REFERENCE = re.compile(
    r"\b(?:(?:FOIA?|FOIR|freedom\s+of\s+information)(?:\s+(?:request|act))?|our\s+ref(?:erence)?|"
    r"ref(?:erence)?|request)\b(?:\s*(?:no\.?|number|ref(?:erence)?))?[\s.:#-]*"
    r"(?:[A-Z]{1,6}[-/ ]?)?\d[\dA-Z]*(?:[-/.]\d[\dA-Z]*)*",
    re.IGNORECASE)
# What is not a reference, though it follows such a word: a year alone, an outcome, a section of the Act.
_NOT_REFERENCE = re.compile(r"(?:outcome|section|s\.)\s*\d", re.IGNORECASE)
_MAX_DEPTH = 3  # an email forwarded inside an email inside an email; deeper is not a response


def request_reference(subject: str) -> str | None:
    """The force's reference in a subject line, as printed ("FOI 586/26"), or None."""
    for match in _REFERENCE.finditer(subject or ""):
        text = match.group().strip(" .:#-")
        if not _NOT_REFERENCE.search(text) and re.search(r"\d", text):
            return " ".join(text.split())
    return None


def _date(value: object) -> str | None:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, str) and value.strip():
        from email.utils import parsedate_to_datetime

        try:
            return parsedate_to_datetime(value).date().isoformat()
        except (TypeError, ValueError, IndexError):
            return None
    return None


def _header_metadata(subject: str | None, date: object, archived_at: object = None) -> Metadata:
    reference = request_reference(subject or "")
    received = _date(date)
    # Archived-At: (RFC 5064) gives the address where the message is published, in angle brackets.
    url = re.fullmatch(r"\s*<?(https?://[^\s<>]+)>?\s*", str(archived_at)) if archived_at else None
    return Metadata(request_reference=Located(reference, None, "subject") if reference else None,
                    date_received=Located(received, None, "date") if received else None,
                    url=Located(url.group(1), None, "archived-at") if url else None)


def _has_table(html: bytes) -> bool:
    return b"<table" in html.lower()


class _Parts:
    """The readable parts of an email, and what could not be read, in order."""

    def __init__(self, source: str, read_response: ReadResponse) -> None:
        self.source = source
        self.read_response = read_response  # fosi.readers': an attachment is a response of its own
        self.parts: list[Part] = []
        self.findings: list[Finding] = []
        self.bodies = 0
        self.problems: list[str] = []

    def body_text(self, text: str, prefix: str) -> None:
        from fosi.readers.formats.text import read_text

        if text.strip():
            where = self._body_prefix(prefix)
            self.parts.append(Part(where, self._body(lambda: read_text(text, self.source), where)))

    def body_html(self, data: bytes, encoding: str | None, prefix: str) -> None:
        from fosi.readers.formats.webpage import READER, html_lines
        from fosi.readers.layout.assemble import assemble

        lines = html_lines(data, self.source, encoding)
        if any(not line.blank for line in lines):
            where = self._body_prefix(prefix)
            self.parts.append(Part(where, self._body(lambda: assemble(lines, self.source, READER), where)))

    def _body(self, read, where: str) -> Response:
        """A body that cannot be read exactly (a ragged table) refuses the email, as it would a letter."""
        try:
            return read()
        except InputError as error:
            raise InputError(self.source, error.problem, None, part_location(where, error.location)) from None

    def _body_prefix(self, prefix: str) -> str:
        self.bodies += 1
        return f"{prefix}body " if self.bodies == 1 or prefix else f"{prefix}body {self.bodies} "

    def attachment(self, name: str, data: bytes, prefix: str) -> None:
        from fosi.readers.formats.archive import read_members
        from fosi.readers.formats.kinds import kind_of_content

        where = f"{prefix}attachment {name}, "
        try:
            if PurePosixPath(name).suffix.lower() == ".zip" and kind_of_content(data) == "zip":
                for member in read_members(data, name, None, self.read_response, keep_reading=True):
                    if isinstance(member.outcome, InputError):
                        self.not_read(member.source, member.outcome, f"{prefix}attachment {member.source}, ")
                    else:
                        self.parts.append(Part(f"{prefix}attachment {member.source}, ", member.outcome))
                return
            self.parts.append(Part(where, self.read_response(PurePosixPath(name), source=name, data=data, sidecar=None,
                                                          keep_reading=True)))
        except InputError as error:
            self.not_read(name, error, where)

    def not_read(self, name: str, error: InputError, where: str) -> None:
        # A picture, or a kind of file fosi does not know (a signature, a calendar invite), is a warning;
        # a response fosi reads but could not is an error.
        suffix = PurePosixPath(name).suffix.lower()
        minor = error.problem == NOT_READ["image"] or (suffix not in KNOWN_SUFFIXES and suffix not in SUFFIX_NOT_READ)
        message = f"attachment {name}: {error.problem}"
        self.problems.append(message)
        self.findings.append(Finding("attachment-not-read", "warning" if minor else "error", self.source, None,
                                     message, location=part_location(where, error.location)))

    def response(self, reader: str, metadata: Metadata) -> Response:
        if not self.parts:
            reasons = f" ({'; '.join(self.problems)})" if self.problems else ""
            raise InputError(self.source, f"has no readable part: no text in its body and no attachment fosi can "
                                          f"read{reasons}")
        return with_findings(join_parts(self.parts, self.source, reader, metadata), self.findings)


def _name(raw: str | None, content_type: str, number: int) -> str:
    """An attachment's file name without any folder; one made from its type when it has none."""
    if raw:
        name = raw.replace("\\", "/").rsplit("/", 1)[-1].strip()
        if name:
            return name
    import mimetypes

    return f"attachment-{number}{mimetypes.guess_extension(content_type) or ''}"


def read_eml(data: bytes, source: str, read_response: ReadResponse) -> Response:
    import email
    from email import policy

    message = email.message_from_bytes(data, policy=policy.default)
    if not any(message.get(header) for header in ("From", "To", "Subject", "Date", "Message-ID")):
        raise InputError(source, "is not an email: it has no From:, To:, Subject: or Date: header")
    parts = _Parts(source, read_response)
    _eml_message(message, parts, "", 0)
    return parts.response("email", _header_metadata(message.get("Subject"), message.get("Date"),
                                                    message.get("Archived-At")))


def _payload_text(part) -> str:
    from fosi.readers.formats.decode import decode_text

    payload = part.get_payload(decode=True) or b""
    charset = part.get_content_charset()
    if charset:
        try:
            return payload.decode(charset)
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_text(payload, part.get_filename() or "body")


def _eml_message(message, parts: _Parts, prefix: str, depth: int) -> None:
    for number, part in enumerate(_leaves(message), start=1):
        content_type = part.get_content_type()
        disposition = part.get_content_disposition()
        filename = part.get_filename()
        if content_type == "message/rfc822":
            inner = part.get_payload()
            inner = inner[0] if isinstance(inner, list) and inner else inner
            name = _name(filename, "message/rfc822", number)
            if depth < _MAX_DEPTH and hasattr(inner, "walk"):
                _eml_message(inner, parts, f"{prefix}attachment {name}, ", depth + 1)
            continue
        if part.get_content_maintype() == "image" and disposition != "attachment":
            continue  # a picture shown in the body: a logo, a signature
        if filename or disposition == "attachment":
            name = _name(filename, content_type, number)
            parts.attachment(name, part.get_payload(decode=True) or b"", prefix)
        elif content_type == "text/plain":
            try:
                parts.body_text(_payload_text(part), prefix)
            except InputError as error:
                parts.not_read("body", error, f"{prefix}body ")
        elif content_type == "text/html":
            charset = part.get_content_charset()
            parts.body_html(part.get_payload(decode=True) or b"", charset, prefix)


def _leaves(message, depth: int = 0) -> Iterable:
    """The parts to read, in order: of each multipart/alternative only the one to read. Parts
    nested more than MAX_PART_DEPTH deep are refused (no mail program writes such a message)."""
    if message.get_content_type() == "message/rfc822" or not message.is_multipart():
        yield message
        return
    if depth >= MAX_PART_DEPTH:
        raise too_large(f"its parts are nested more than {MAX_PART_DEPTH} deep")
    children = list(message.iter_parts())
    if message.get_content_type() == "multipart/alternative" and children:
        yield from _leaves(_preferred(children), depth + 1)
        return
    for child in children:
        yield from _leaves(child, depth + 1)


def _preferred(alternatives: list):
    """The HTML alternative when it holds a table, else the plain text, else the richest."""
    def html_with_table(part) -> bool:
        if part.is_multipart():
            return any(html_with_table(p) for p in part.iter_parts())
        return part.get_content_type() == "text/html" and _has_table(part.get_payload(decode=True) or b"")

    for part in alternatives:
        if html_with_table(part):
            return part
    plain = [p for p in alternatives if p.get_content_type() == "text/plain"]
    return plain[0] if plain else alternatives[-1]


def read_msg(data: bytes, source: str, read_response: ReadResponse) -> Response:
    import extract_msg

    try:
        message = extract_msg.openMsg(data)
    except Exception as error:  # noqa: BLE001 - extract-msg raises many kinds for a damaged file
        raise InputError(source, f"is not a readable Outlook .msg email ({type(error).__name__}: {error})") from None
    try:
        parts = _Parts(source, read_response)
        _msg_message(message, parts, "", 0)
        headers = _property(message, "header")  # the transport headers, when the .msg kept them
        metadata = _header_metadata(_property(message, "subject"), _property(message, "date"),
                                    headers.get("Archived-At") if headers is not None else None)
    finally:
        message.close()
    return parts.response("msg", metadata)


def _property(message, name: str):
    """A property of a .msg, or None where extract-msg cannot decode it (a body only in RTF, a bad date)."""
    try:
        return getattr(message, name, None)
    except Exception:  # noqa: BLE001 - extract-msg raises many kinds for one damaged property
        return None


def _msg_message(message, parts: _Parts, prefix: str, depth: int) -> None:
    from extract_msg.enums import AttachmentType

    html = _property(message, "htmlBody")
    body = _property(message, "body")
    if html and (_has_table(html) or not (body or "").strip()):
        parts.body_html(html, None, prefix)
    elif body:
        parts.body_text(body, prefix)
    for number, attachment in enumerate(getattr(message, "attachments", ()), start=1):
        name = _name(getattr(attachment, "longFilename", None) or getattr(attachment, "shortFilename", None),
                     getattr(attachment, "mimetype", None) or "application/octet-stream", number)
        kind = getattr(attachment, "type", None)
        if kind == AttachmentType.MSG:
            if depth < _MAX_DEPTH:
                _msg_message(attachment.data, parts, f"{prefix}attachment {name}, ", depth + 1)
            continue
        data = attachment.data if isinstance(getattr(attachment, "data", None), bytes) else None
        inline = getattr(attachment, "hidden", False) or getattr(attachment, "cid", None)
        if data is None or (inline and (getattr(attachment, "mimetype", "") or "").startswith("image/")):
            continue
        if inline and PurePosixPath(name).suffix.lower() in (".png", ".jpg", ".jpeg", ".gif", ".bmp"):
            continue
        parts.attachment(name, data, prefix)
