"""Where things are: paths resolve from the project root, so JupyterLab and headless runs agree."""

from __future__ import annotations

import os
from pathlib import Path

ROOT_ENV = "FOSI_ROOT"


def project_root(start: Path | None = None) -> Path:
    """The fosi project folder: $FOSI_ROOT; else the nearest folder above ``start`` (default: the
    working directory) holding both pyproject.toml and notebooks/; else the folder this package
    was installed from (an editable install); else the working directory."""
    if os.environ.get(ROOT_ENV):
        return Path(os.environ[ROOT_ENV]).resolve()
    here = (start or Path.cwd()).resolve()
    package_home = Path(__file__).resolve().parents[1]
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
    path = Path(path)
    try:
        return path.resolve().relative_to((root or project_root()).resolve()).as_posix()
    except ValueError:
        return str(path)
