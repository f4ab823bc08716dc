"""Where things are: paths resolve from the project root, so JupyterLab and headless runs agree."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

ROOT_ENV = "FOSI_ROOT"


def project_root(start: Path | None = None) -> Path:
    """The fosi project folder: $FOSI_ROOT; else the nearest folder above ``start`` (default: the
    working directory) holding both pyproject.toml and notebooks/; else the folder this package
    was installed from (an editable install); else the working directory."""
    return _project_root(os.environ.get(ROOT_ENV) or "", str(start) if start else os.getcwd())


@lru_cache(maxsize=16)
def _project_root(root_env: str, start: str) -> Path:
    # Absolute, not symlink-resolved, paths throughout: display_path compares against this.
    if root_env:
        return Path(os.path.abspath(root_env))
    here = Path(os.path.abspath(start))
    package_home = Path(os.path.abspath(__file__)).parents[1]
    for folder in (*(here, *here.parents), package_home):
        if (folder / "pyproject.toml").is_file() and (folder / "notebooks").is_dir():
            return folder
    return here


def resolve(path: str | Path, root: Path | None = None) -> Path:
    """An absolute path; a relative one is taken from the project root."""
    path = Path(path).expanduser()
    return path if path.is_absolute() else (root or project_root()) / path


def display_path(path: str | Path, root: Path | None = None) -> str:
    """A path as shown to readers and recorded in the figure table: relative to the project root
    when inside it, so the same file has the same name on every machine."""
    # Plain string work, no symlink resolution: this runs once per file of a build.
    absolute = os.path.abspath(path)
    prefix = str(root or project_root()).rstrip(os.sep) + os.sep
    if absolute.startswith(prefix):
        return text_name(absolute[len(prefix):].replace(os.sep, "/"))
    return text_name(str(path))


def text_name(name: str) -> str:
    """A file name as text that can be written anywhere: bytes of a name that are not UTF-8 (a
    Latin-1 'caf\\xe9.txt', which Python holds as a lone surrogate) are shown as \\xNN escapes."""
    if name.isascii():
        return name
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


OUTSIDE_OUTPUT = "fosi-output"  # beside responses kept outside the project: FOLDER/../fosi-output/


def beside_sources(sources: list[Path], name: str, root: Path | None = None) -> Path | None:
    """Where a run's output goes by default when none of its sources is in the project: the folder
    ``fosi-output/NAME`` beside the first source's folder (``~/foi`` -> ``~/fosi-output/NAME``), so
    that a user's own responses never overwrite the project's bundled data/ or reports/. None when
    a source is inside the project (its data/ and reports/ are then the outputs)."""
    inside = Path(os.path.abspath(root or project_root()))
    folders = [Path(os.path.abspath(source)) for source in sources]
    if not folders or any(folder == inside or folder.is_relative_to(inside) for folder in folders):
        return None
    first = folders[0] if folders[0].is_dir() else folders[0].parent
    return first.parent / OUTSIDE_OUTPUT / name


def from_here(path: str | Path) -> str:
    """A path as the user can type it from the current folder: relative when that is shorter and
    climbs at most two folders, else absolute."""
    absolute = os.path.abspath(path)
    relative = os.path.relpath(absolute)
    if relative.startswith(os.path.join(os.pardir, os.pardir, os.pardir)) or len(relative) >= len(absolute):
        return text_name(absolute)
    return text_name(relative)


def responses_folder(sources: list[str | Path]) -> str | None:
    """The folder the sources share (the one folder given, or the common folder of the files and
    folders given), as an absolute path; None without sources."""
    folders = [os.path.abspath(s) if os.path.isdir(s) else os.path.dirname(os.path.abspath(s)) for s in sources]
    return os.path.commonpath(folders) if folders else None


def reader_name(source: str, base: str | None) -> str:
    """A file's name as readers are shown it: relative to ``base`` (the responses' folder) when it
    is an absolute path under it, else its own name alone if absolute, else unchanged (a name
    inside the project, relative already)."""
    if not source or not os.path.isabs(source):
        return source
    if base and base != os.sep and (source == base or source.startswith(base.rstrip(os.sep) + os.sep)):
        return text_name(os.path.relpath(source, base).replace(os.sep, "/"))
    return text_name(os.path.basename(source))


def public_name(path: str | Path) -> str:
    """A path as a published page may show it: relative to the project root inside the project,
    else its own name alone (a folder of replies is named, never where it is on this machine)."""
    return reader_name(display_path(path), None)
