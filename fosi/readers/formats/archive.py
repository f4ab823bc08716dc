"""Zip archives (WhatDoTheyKnow offers every attachment of a request as one .zip): a folder
of responses, read in memory and never extracted to disk.

Each member is a response of its own, named ``ARCHIVE/MEMBER`` (``requests/kent.zip/letter.pdf``),
read by the reader for its kind. As in a folder, hidden files, ``__MACOSX/``, READMEs and
sidecars are not responses; a sidecar inside the archive applies to the member beside it,
and a sidecar beside the archive (``kent.yml`` for ``kent.zip``) to every member without
its own.

An archive is refused whole, with one line saying why, when it is damaged, names a member
outside itself (``../``, an absolute path, a drive) or a link, holds more than
MAX_MEMBERS files, or would unpack to more than MAX_UNPACKED bytes (a zip bomb). A
member over fosi's size for a response, password-protected, itself an archive, or
unreadable fails alone, as a file in a folder does.
"""

from __future__ import annotations

import hashlib
import io
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from fosi.errors import InputError
from fosi.model.response import Response
from fosi.readers.formats.kinds import MAX_BYTES, NOT_READ
from fosi.readers.formats.limits import MAX_UNPACKED

# fosi.readers.read_response, handed in by the caller: a member is a response of its own.
ReadResponse = Callable[..., Response]

MAX_MEMBERS = 500
_SIDECAR_SUFFIXES = (".yml", ".yaml")
_DRIVE = re.compile(r"^[A-Za-z]:")


@dataclass(frozen=True)
class MemberRead:
    """One member of an archive: its name in the figure table, hash, sidecar, and what reading it gave."""

    source: str  # ARCHIVE/MEMBER
    sha256: str  # of the member's bytes
    sidecar: str | None  # the sidecar applied, as shown
    outcome: Response | InputError


def _refuse(source: str, problem: str) -> InputError:
    return InputError(source, problem)


def _is_response(name: str) -> bool:
    parts = PurePosixPath(name).parts
    if any(part.startswith(".") or part == "__MACOSX" for part in parts):
        return False
    path = PurePosixPath(name)
    return path.suffix.lower() not in _SIDECAR_SUFFIXES and path.stem.upper() != "README"


def members(data: bytes, source: str) -> list[tuple[str, bytes | InputError]]:
    """The archive's files in name order, each as its bytes (or why it cannot be taken out),
    after the checks that refuse the archive whole."""
    import zipfile

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as error:
        raise _refuse(source, f"is not a readable zip archive ({error})") from None
    with archive:
        infos = archive.infolist()
        for info in infos:
            name = info.filename
            if (name.startswith(("/", "\\")) or _DRIVE.match(name)
                    or ".." in re.split(r"[/\\]", name)):
                raise _refuse(source, f"holds a file named {name!r}, which points outside the archive: "
                                      "fosi refuses such an archive")
            if stat.S_ISLNK(info.external_attr >> 16):
                raise _refuse(source, f"holds {name!r}, a link to another file: fosi refuses such an archive")
        files = [info for info in infos if not info.is_dir()]
        if len(files) > MAX_MEMBERS:
            raise _refuse(source, f"holds {len(files)} files; fosi reads at most {MAX_MEMBERS} from one archive")
        unpacked = sum(info.file_size for info in files)
        if unpacked > MAX_UNPACKED:
            raise _refuse(source, f"would unpack to {unpacked / 1024 / 1024:,.0f} MB, more than the "
                                  f"{MAX_UNPACKED // 1024 // 1024} MB fosi takes from one archive: refused as a "
                                  "possible zip bomb")
        taken: list[tuple[str, bytes | InputError]] = []
        for info in sorted(files, key=lambda i: i.filename):
            shown = f"{source}/{info.filename}"
            if info.file_size > MAX_BYTES:
                taken.append((info.filename, InputError(
                    shown, f"is {info.file_size / 1024 / 1024:.0f} MB; a response is at most "
                           f"{MAX_BYTES // 1024 // 1024} MB")))
            elif info.flag_bits & 0x1:
                taken.append((info.filename, InputError(shown, NOT_READ["encrypted"])))
            else:
                taken.append((info.filename, _take(archive, info, shown)))
        return taken


def _take(archive, info, shown: str) -> bytes | InputError:
    """A member's bytes, never more than it declares (a bomb can lie about its size)."""
    import zipfile

    try:
        with archive.open(info) as member:
            data = member.read(info.file_size + 1)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, RuntimeError) as error:
        return InputError(shown, f"cannot be taken out of the archive ({type(error).__name__}: {error})")
    if len(data) > info.file_size:
        return InputError(shown, "unpacks to more than the archive says it holds: refused as a possible zip bomb")
    return data


def read_members(data: bytes, source: str, sidecar: Path | None, read_response: ReadResponse,
                 keep_reading: bool = False) -> list[MemberRead]:
    """Every response in the archive, read; ``sidecar`` is the one beside the archive, if any
    (``keep_reading`` as for read_response); ``read_response`` reads each member (fosi.readers')."""
    from fosi.readers.formats.kinds import kind_of_content
    from fosi.readers.formats.sidecar import apply_sidecar, read_sidecar

    taken = members(data, source)
    sidecars = {name: content for name, content in taken
                if PurePosixPath(name).suffix.lower() in _SIDECAR_SUFFIXES and isinstance(content, bytes)}
    outer = None
    if sidecar is not None:
        shown = str(Path(source).with_suffix(sidecar.suffix))
        outer = (read_sidecar(sidecar, shown), shown)
        if "reading" in outer[0]:
            raise InputError(shown, "reading hints name the lines of one response: put them in the sidecar of "
                                    "that member, beside it inside the archive")
    results = []
    for name, content in taken:
        if not _is_response(name):
            continue
        member_source = f"{source}/{name}"
        digest = hashlib.sha256(content).hexdigest() if isinstance(content, bytes) else ""
        own = next((f"{PurePosixPath(name).with_suffix(suffix)}" for suffix in _SIDECAR_SUFFIXES
                    if f"{PurePosixPath(name).with_suffix(suffix)}" in sidecars), None)
        applied = f"{source}/{own}" if own else (outer[1] if outer else None)
        try:
            if isinstance(content, InputError):
                raise content
            if PurePosixPath(name).suffix.lower() == ".zip" or kind_of_content(content) == "zip":
                raise InputError(member_source, "is a zip archive inside the archive: unzip it and read its files")
            fields = read_sidecar(sidecars[own], applied) if own else None
            hints = (fields["reading"], applied) if fields and "reading" in fields else None
            outcome: Response | InputError = read_response(PurePosixPath(name), source=member_source, data=content,
                                                           sha256=digest, sidecar=None, keep_reading=keep_reading,
                                                           hints=hints)
            if fields is not None:
                outcome = apply_sidecar(outcome, fields, applied)
            elif outer:
                outcome = apply_sidecar(outcome, *outer)
        except InputError as error:
            outcome = error
        results.append(MemberRead(member_source, digest, applied, outcome))
    if not results:
        raise _refuse(source, "holds no response files")
    return results
