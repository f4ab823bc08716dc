"""Readers: one per kind of input, each returning a Response whose figures follow fosi.model.figures.

``read_response`` is the I/O edge and the stage's one entry: it reads the file, checks what
it is, picks the reader by its content (and extension), and applies a sidecar ``NAME.yml`` if
one is beside it. ``read_archive`` does the same for each response in a zip archive.
``formats/`` turns each file format into lines and cells; ``layout/`` turns lines into tables
and figures. May import ``fosi.model`` and the base modules; never checks, analysis or publish.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import replace
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from fosi.errors import InputError
from fosi.model.response import Response
from fosi.readers.budget import guarded
from fosi.readers.formats.kinds import (
    DESCRIPTIONS,
    KNOWN_SUFFIXES,
    MAX_BYTES,
    NOT_READ,
    READ_LIST,
    SUFFIX_NOT_READ,
    kind_of_content,
    reader_for,
)
from fosi.readers.formats.limits import MAX_NESTING, check_unpacked, too_large
from fosi.readers.formats.sidecar import apply_sidecar, read_sidecar, sidecar_path

if TYPE_CHECKING:
    from fosi.readers.layout.hints import ReadingHints

SIDECAR_SUFFIXES = {".yml", ".yaml"}
DELIMITED = {".csv": ",", ".tsv": "\t"}

# read_response's default: look for the NAME.yml beside the file.
BESIDE: Literal["beside"] = "beside"


def read_response(path: str | Path, source: str | None = None, data: bytes | None = None,
                  sha256: str | None = None, sidecar: Path | None | Literal["beside"] = BESIDE,
                  keep_reading: bool = False, hints: tuple[ReadingHints, str] | None = None) -> Response:
    """Read one response file. ``source`` is the name recorded in the figure table (default: the path);
    ``data``, ``sha256`` and ``sidecar`` (a path, or None for none), when the caller has already
    read and hashed the file and looked for its sidecar (or holds a part of one: an email's
    attachment, a zip's member, whose ``path`` is only a name). ``keep_reading`` keeps how each
    line was read (Response.reading, for fosi inspect); otherwise it is dropped, which keeps the
    response small to cache and to send between processes. ``hints``: reading hints and the
    sidecar they come from, for a response whose sidecar the caller applies itself (a zip's member).

    Raises InputError, naming the file (and line), for anything that is not a readable response,
    and for a file beyond the reading budget or one that meets a fault in fosi (fosi.readers.budget).
    A zip archive is several responses: read it with ``read_archive``.
    """
    path = path if isinstance(path, Path) else Path(path)
    source = str(path) if source is None else source
    with guarded(source), _nested():
        return _read_response(path, source, data, sha256, sidecar, keep_reading, hints)


_DEPTH: ContextVar[int] = ContextVar("fosi_reading_depth", default=0)


@contextmanager
def _nested() -> Iterator[None]:
    """One level deeper in files inside files (an email's attachment, an archive's member): refused
    past MAX_NESTING, so an email in a zip in an email ... two hundred deep ends in one line."""
    depth = _DEPTH.get()
    if depth >= MAX_NESTING:
        raise too_large(f"it is a file inside {depth} others (emails, archives); fosi reads files nested at "
                        f"most {MAX_NESTING} deep")
    token = _DEPTH.set(depth + 1)
    try:
        yield
    finally:
        _DEPTH.reset(token)


def _read_response(path: Path, source: str, data: bytes | None, sha256: str | None,
                   sidecar: Path | None | Literal["beside"], keep_reading: bool,
                   hints: tuple[ReadingHints, str] | None) -> Response:
    data, reader = _checked_bytes(path, source, data)
    if reader == "zip":
        raise InputError(source, "is a zip archive: each file in it is a response of its own; "
                                 "read it with fosi parse or fosi build (in Python, fosi.readers.read_archive)")
    if sidecar == BESIDE:
        sidecar = sidecar_path(path)
    fields, shown_as = None, ""
    if isinstance(sidecar, Path):
        shown_as = str(Path(source).with_suffix(sidecar.suffix))
        fields = read_sidecar(sidecar, shown_as)
        if "reading" in fields:
            hints = (fields["reading"], shown_as)
    response = _read(reader, path, data, source, hints)
    response = replace(response, sha256=sha256 or hashlib.sha256(data).hexdigest(),
                       reading=response.reading if keep_reading else None)
    if fields is not None:
        response = apply_sidecar(response, fields, shown_as)
    return response


def read_archive(path: str | Path, source: str | None = None, data: bytes | None = None,
                 sidecar: Path | None | Literal["beside"] = BESIDE) -> list:
    """Every response in a zip archive, each named ``ARCHIVE/MEMBER``: a list of
    fosi.readers.formats.archive.MemberRead (the member's Response, or the InputError it raised).

    Raises InputError for the archive as a whole: not a zip, damaged, or refused (a zip
    bomb, too many files, a member named outside the archive).
    """
    from fosi.readers.formats.archive import read_members

    path = path if isinstance(path, Path) else Path(path)
    source = str(path) if source is None else source
    with guarded(source), _nested():
        data, reader = _checked_bytes(path, source, data)
        if reader != "zip":
            raise InputError(source, f"is {DESCRIPTIONS.get(reader, reader)}, not a zip archive")
        if sidecar == BESIDE:
            sidecar = sidecar_path(path)
        return read_members(data, source, sidecar if isinstance(sidecar, Path) else None, read_response)


def is_archive(path: Path) -> bool:
    """Is this file (by its name) a zip archive of responses, to be read with ``read_archive``?"""
    return path.suffix.lower() == ".zip"


def _checked_bytes(path: Path, source: str, data: bytes | None) -> tuple[bytes, str]:
    """The file's bytes and the reader for them; InputError for anything fosi does not read."""
    suffix = path.suffix.lower()
    if data is None:  # otherwise the caller has read the file already
        if not path.exists():
            raise InputError(source, "no such file")
        if path.is_dir():
            raise InputError(source, "is a folder, not a response file")
    if suffix not in KNOWN_SUFFIXES and suffix not in SUFFIX_NOT_READ:
        raise InputError(source, f"unknown kind of response file '{path.suffix}' (fosi reads {READ_LIST})")
    size = path.stat().st_size if data is None else len(data)
    if size > MAX_BYTES:
        raise InputError(source, f"is {size / 1024 / 1024:.0f} MB; a response is at most {MAX_BYTES // 1024 // 1024} MB")
    try:
        data = path.read_bytes() if data is None else data
    except OSError as error:
        raise InputError(source, f"cannot read: {error.strerror}") from None
    if not data or data.isspace():
        raise InputError(source, "is empty")
    content = kind_of_content(data)
    if content in NOT_READ:
        raise InputError(source, NOT_READ[content])
    if suffix in SUFFIX_NOT_READ:
        raise InputError(source, NOT_READ[SUFFIX_NOT_READ[suffix]])
    if content == "binary":
        raise InputError(source, "is a binary file, not a response fosi can read")
    reader = reader_for(suffix, content)
    if reader is None:
        raise InputError(source, f"holds {DESCRIPTIONS.get(content, content)} but is named "
                                 f"'{path.suffix}': rename it to match what it is")
    if reader in _ZIPPED:
        check_unpacked(data, DESCRIPTIONS[reader])
    return data, reader


def _read(reader: str, path: Path, data: bytes, source: str, hints: tuple[ReadingHints, str] | None) -> Response:
    if hints is not None and (reader != "text" or path.suffix.lower() in DELIMITED):
        raise InputError(hints[1], f"reading hints apply to text responses (.txt); {source} is "
                                   f"{DESCRIPTIONS.get(reader, reader)}, whose cells fosi reads as they are")
    if reader == "text":
        from fosi.readers.formats.decode import decode_text
        from fosi.readers.formats.text import read_delimited, read_text

        text = decode_text(data, source)
        if path.suffix.lower() in DELIMITED:
            return read_delimited(text, source, DELIMITED[path.suffix.lower()])
        return read_text(text, source, hints)
    module, function = _READERS[reader]
    read = getattr(import_module(module), function)
    if reader in _CONTAINERS:  # its attachments are responses of their own, read by read_response
        return read(data, source, read_response)
    return read(data, source)


# Each kind's reader: (module, function taking the file's bytes and its name). Imported when
# first needed, so `import fosi` loads none of their libraries.
_READERS = {
    "pdf": ("fosi.readers.formats.pdf", "read_pdf"),
    "xlsx": ("fosi.readers.formats.spreadsheet", "read_xlsx"),
    "xls": ("fosi.readers.formats.oldsheets", "read_xls"),
    "ods": ("fosi.readers.formats.oldsheets", "read_ods"),
    "html": ("fosi.readers.formats.webpage", "read_html"),
    "docx": ("fosi.readers.formats.word", "read_docx"),
    "email": ("fosi.readers.formats.mail", "read_eml"),
    "msg": ("fosi.readers.formats.mail", "read_msg"),
}
# Kinds stored as zip archives of parts, whose unpacked size is checked before they are opened.
_ZIPPED = {"xlsx", "docx", "ods"}
# Kinds that hold other files: their readers are handed read_response for what they hold, so
# the formats never import the package that dispatches to them (no import circle).
_CONTAINERS = {"email", "msg"}


def resolve_sources(sources: object, base: Path | None = None) -> list[Path]:
    """The one rule for naming responses, used by ``fosi.load``, every command and the notebooks.

    ``sources`` is a file, a folder (read recursively), a ``str`` or ``Path``, or a list or tuple
    of them. ``~`` is the home folder; a relative path is taken from ``base`` (default: the current
    folder; the notebooks pass the project root). A string written as a YAML list (papermill's
    ``-p sources '["a", "b"]'``) is read as that list. Each path must exist and hold at least one
    response file; the paths come back absolute, in the order given, without repeats.
    """
    if isinstance(sources, str) and sources.strip().startswith("["):
        import yaml

        try:
            listed = yaml.safe_load(sources)
        except yaml.YAMLError:
            listed = None
        if isinstance(listed, list):
            sources = listed
    if isinstance(sources, (str, os.PathLike)):
        sources = [sources]
    if not isinstance(sources, (list, tuple)) or not sources:
        raise InputError("sources", "name at least one response file or folder (a str, a Path, or a list of them)")
    base = Path(base) if base is not None else Path.cwd()
    paths: list[Path] = []
    for source in sources:
        if not isinstance(source, (str, os.PathLike)) or not str(source).strip():
            raise InputError("sources", f"{source!r} is not a path: name a response file or folder")
        path = Path(source).expanduser()
        path = Path(os.path.abspath(path if path.is_absolute() else base / path))
        if not path.exists():
            where = "" if Path(source).expanduser().is_absolute() else f" (relative paths are taken from {base})"
            raise InputError(str(source), f"no such file or folder{where}")
        if path.is_dir() and not response_files([path]):
            raise InputError(str(source), "holds no response files (hidden files, READMEs and .yml sidecars are "
                                          "not responses): add responses, or name another folder")
        if path not in paths:
            paths.append(path)
    return paths


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
        elif entry.is_symlink() and not path.exists():
            raise InputError(display_path(path), "is a broken symbolic link: fix or remove it")
        else:
            raise InputError(display_path(path), "is not a regular file (a pipe, socket or device): "
                                                 "move it out of the responses' folder")
