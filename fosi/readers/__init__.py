"""Readers: one per kind of input, each returning a Response whose figures follow fosi.figures.

``read_response`` is the I/O edge: it reads the file, checks what it is, picks the
reader by its content (and extension), and applies a sidecar ``NAME.yml`` if one is
beside it.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import replace
from pathlib import Path
from typing import Literal

from fosi.errors import InputError
from fosi.readers.sidecar import apply_sidecar, read_sidecar, sidecar_path
from fosi.response import Response

TEXT_SUFFIXES = {".txt", ".text", ".md", ".csv", ".tsv", ""}
SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm"}
PDF_SUFFIXES = {".pdf"}
KNOWN_SUFFIXES = TEXT_SUFFIXES | SPREADSHEET_SUFFIXES | PDF_SUFFIXES
# A response is a letter, a page or a workbook: anything larger is not one (and would be slow).
MAX_BYTES = 20 * 1024 * 1024
SIDECAR_SUFFIXES = {".yml", ".yaml"}
DELIMITED = {".csv": ",", ".tsv": "\t"}


def _kind_of_content(data: bytes) -> str:
    if data.startswith(b"%PDF"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return "xlsx"
    if data.startswith((b"\xd0\xcf\x11\xe0", b"\x7fELF", b"MZ", b"\x89PNG", b"GIF8", b"\xff\xd8\xff")):
        return "binary"
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "binary"
    return "text"


def _expected_kind(suffix: str) -> str:
    if suffix in PDF_SUFFIXES:
        return "pdf"
    if suffix in SPREADSHEET_SUFFIXES:
        return "xlsx"
    return "text"


# read_response's default: look for the NAME.yml beside the file.
BESIDE: Literal["beside"] = "beside"


def read_response(path: str | Path, source: str | None = None, data: bytes | None = None,
                  sha256: str | None = None, sidecar: Path | None | Literal["beside"] = BESIDE) -> Response:
    """Read one response file. ``source`` is the name recorded in the figure table (default: the path);
    ``data``, ``sha256`` and ``sidecar`` (a path, or None for none), when the caller has already
    read and hashed the file and looked for its sidecar.

    Raises InputError, naming the file (and line), for anything that is not a readable response.
    """
    path = path if isinstance(path, Path) else Path(path)
    source = str(path) if source is None else source
    suffix = path.suffix.lower()
    if data is None:  # otherwise the caller has read the file already
        if not path.exists():
            raise InputError(source, "no such file")
        if path.is_dir():
            raise InputError(source, "is a folder, not a response file")
    if suffix not in KNOWN_SUFFIXES:
        raise InputError(source, f"unknown kind of response file '{path.suffix}' "
                                 "(fosi reads .txt, .md, .csv, .tsv, .xlsx and .pdf)")
    size = path.stat().st_size if data is None else len(data)
    if size > MAX_BYTES:
        raise InputError(source, f"is {size / 1024 / 1024:.0f} MB; a response is at most {MAX_BYTES // 1024 // 1024} MB")
    try:
        data = path.read_bytes() if data is None else data
    except OSError as error:
        raise InputError(source, f"cannot read: {error.strerror}") from None
    if not data or data.isspace():
        raise InputError(source, "is empty")
    content, expected = _kind_of_content(data), _expected_kind(suffix)
    if content == "binary":
        raise InputError(source, "is a binary file, not a response fosi can read")
    if content != expected:
        raise InputError(source, f"holds a {content.upper() if content == 'pdf' else content} file but is named "
                                 f"'{path.suffix}': rename it to match what it is")
    response = _read(path, data, content, source)
    response = replace(response, sha256=sha256 or hashlib.sha256(data).hexdigest())
    if sidecar == BESIDE:
        sidecar = sidecar_path(path)
    if isinstance(sidecar, Path):
        shown_as = str(Path(source).with_suffix(sidecar.suffix))
        response = apply_sidecar(response, read_sidecar(sidecar, shown_as), shown_as)
    return response


def _read(path: Path, data: bytes, content: str, source: str) -> Response:
    if content == "pdf":
        from fosi.readers.pdf import read_pdf

        return read_pdf(path, source)
    if content == "xlsx":
        from fosi.readers.spreadsheet import read_xlsx

        return read_xlsx(path, source)
    from fosi.readers.decode import decode_text
    from fosi.readers.text import read_delimited, read_text

    text = decode_text(data, source)
    if path.suffix.lower() in DELIMITED:
        return read_delimited(text, source, DELIMITED[path.suffix.lower()])
    return read_text(text, source)


def response_files(paths: list[str | Path], allow_folders: bool = True) -> list[Path]:
    """The response files named by ``paths``; a folder stands for every file under it (sorted).

    Hidden files, READMEs and sidecar files (.yml) inside a folder are not responses. A sub-folder
    that cannot be listed, a symbolic link loop or a broken link stops with an InputError naming
    it: a response is never skipped without a word.
    """
    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            if not allow_folders:
                raise InputError(str(path), "is a folder; name the response files inside it")
            _walk(path, files, {_identity(path)})
        else:
            files.append(path)
    return files


def _identity(folder: Path | os.DirEntry) -> tuple[int, int]:
    info = folder.stat()
    return info.st_dev, info.st_ino


def _walk(folder: Path, files: list[Path], ancestors: set[tuple[int, int]]) -> None:
    from fosi.paths import display_path

    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError as error:
        raise InputError(display_path(folder), f"cannot list this folder ({error.strerror}): give this user "
                                               "access to it, or move it out of the responses' folder") from None
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = folder / entry.name
        try:
            is_folder, is_file = entry.is_dir(), entry.is_file()
        except OSError as error:  # ELOOP: a link that leads back to itself
            raise InputError(display_path(path), f"cannot follow this link ({error.strerror}): fix or remove it") \
                from None
        if is_folder:
            identity = _identity(entry)
            if identity in ancestors:
                raise InputError(display_path(path), "is a symbolic link loop (it leads back to a folder that "
                                                     "holds it): fix or remove the link")
            _walk(path, files, ancestors | {identity})
        elif is_file:
            if path.suffix.lower() not in SIDECAR_SUFFIXES and path.stem.upper() != "README":
                files.append(path)
        elif entry.is_symlink():
            raise InputError(display_path(path), "is a broken symbolic link: fix or remove it")
        else:
            raise InputError(display_path(path), "is not a regular file (a pipe, socket or device): "
                                                 "move it out of the responses' folder")
