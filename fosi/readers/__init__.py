"""Readers: one per kind of input, each returning a Response whose figures follow fosi.figures.

``read_response`` is the I/O edge: it reads the file, decodes it and picks the reader.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path

from fosi.errors import InputError
from fosi.readers.decode import decode_text
from fosi.readers.text import read_sections
from fosi.response import Response

TEXT_SUFFIXES = {".txt", ".text", ".md", ""}


def read_response(path: str | Path, source: str | None = None) -> Response:
    """Read one response file. ``source`` is the name recorded in the figure table (default: the path)."""
    path = Path(path)
    source = str(path) if source is None else source
    if not path.exists():
        raise InputError(source, "no such file")
    if path.is_dir():
        raise InputError(source, "is a folder, not a response file")
    if path.suffix.lower() not in TEXT_SUFFIXES:
        raise InputError(source, f"unknown kind of response file '{path.suffix}' (fosi reads .txt)")
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(source, f"cannot read: {error.strerror}") from None
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(source, "is a binary file, not text")
    response = read_sections(decode_text(data, source), source)
    return replace(response, sha256=hashlib.sha256(data).hexdigest())
