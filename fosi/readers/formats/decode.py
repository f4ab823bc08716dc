"""Bytes to lines: the encodings and line ends real responses arrive in."""

from __future__ import annotations

import codecs
import re

from fosi.errors import InputError

# Split on CRLF, CR or LF only: str.splitlines() also splits on form feeds and
# Unicode separators, which would shift every line number after them.
_LINE_END = re.compile(r"\r\n|\r|\n")


def decode_text(data: bytes, path: str) -> str:
    """Decode a response: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252.

    Raises InputError naming the first line that no encoding can decode.
    """
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[len(codecs.BOM_UTF8):], "utf-8", path)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16", path)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        # Letters saved from Word on Windows: Windows-1252 ("smart" quotes, en dashes).
        return _strict(data, "cp1252", path)


def _strict(data: bytes, encoding: str, path: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise InputError(path, f"cannot decode byte 0x{data[error.start]:02x} as {encoding}", line) from None


def split_lines(text: str) -> list[str]:
    """Lines without their ends; a trailing line end does not make an extra empty line."""
    lines = text.split("\n") if "\r" not in text else _LINE_END.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines


# Sequences that UTF-8 text shows when it was decoded as Windows-1252 ("â€“" for "–").
_MOJIBAKE_SIGNS = ("â€", "Ã", "Â")


def needs_repair(text: str) -> bool:
    return any(sign in text for sign in _MOJIBAKE_SIGNS)


def repair_mojibake(line: str) -> str:
    """Undo UTF-8 read as Windows-1252 in a line ("1 April 2019 â€“ 31 March 2020"), when
    the repair is exact; otherwise the line is returned as printed."""
    if not needs_repair(line):
        return line
    try:
        return line.encode("cp1252").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return line
