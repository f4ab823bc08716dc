"""Readers: one per kind of input, each returning a Response whose figures follow fosi.figures.

``read_response`` is the I/O edge: it reads the file, decodes it and picks the reader.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from fosi.errors import InputError
from fosi.readers.decode import decode_text
from fosi.readers.text import read_text
from fosi.response import Response

if TYPE_CHECKING:
    import pandas as pd

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
    response = read_text(decode_text(data, source), source)
    return replace(response, sha256=hashlib.sha256(data).hexdigest())


def response_files(paths: list[str | Path], allow_folders: bool = True) -> list[Path]:
    """The response files named by ``paths``; a folder stands for every file under it (sorted).

    Hidden files, READMEs and sidecar files (.yml) inside a folder are not responses.
    """
    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            if not allow_folders:
                raise InputError(str(path), "is a folder; name the response files inside it")
            files.extend(
                f for f in sorted(path.rglob("*"))
                if f.is_file() and not any(part.startswith(".") for part in f.relative_to(path).parts)
                and f.suffix.lower() not in {".yml", ".yaml"} and f.stem.upper() != "README"
            )
        else:
            files.append(path)
    return files


def read_responses(paths: list[str | Path], allow_folders: bool = True) -> list[Response]:
    """Read every response named (files, or folders of them). Sources are recorded relative to the
    project root, so the same file has the same name on every machine."""
    from fosi.paths import display_path

    return [read_response(f, source=display_path(f)) for f in response_files(paths, allow_folders)]


def figure_table(responses: list[Response]) -> pd.DataFrame:
    """The figure tables of several responses as one."""
    from fosi.figures import figures_frame

    return figures_frame(record for r in responses for record in r.records)
