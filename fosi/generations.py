"""Output folders that change all at once: ``fosi build``'s data/processed/ and ``fosi report``'s
reports/.

Each run writes a complete new *generation* of files into a folder of its own, then switches it
in with one atomic operation: a new symbolic link renamed over ``current``. Every file a reader
opens keeps a stable name, a link through ``current``, so a reader sees one whole generation, the
old one or the new one, never a mixture::

    FOLDER/current -> .generations/ID    the switch: replaced by one rename
    FOLDER/.generations/ID/              the last good generation (older ones are removed)
    FOLDER/NAME -> current/NAME          a stable name for each file of the generation
    FOLDER/.lock                         held by the run writing the next generation
    FOLDER/.fosi-output                  fosi's marker: this folder is fosi's to write

fosi only ever deletes or replaces what it wrote. It writes into a folder that holds its marker,
or is new or empty (and then marks it), or was written by an earlier fosi (its ``current`` links
into ``.generations/``); any other folder (a home folder, a web site, the responses themselves)
is refused in one line, before anything in it is touched. A run never writes inside the
folder it reads, nor reads inside the folder it writes (``check_apart``).

A run killed at any moment leaves either the old generation current or the new one; what it
had half-written (a generation never switched in, a temporary link) is removed by the next run.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from fosi.errors import OutputError, describe_os_error, printable

CURRENT = "current"
GENERATIONS = ".generations"
LOCK = ".lock"
MARKER = ".fosi-output"
_MARKER_TEXT = ("This folder is written by fosi ({holder}). fosi replaces and removes only what it wrote here;\n"
                "anything else you put in it stops the next run until you move it away.\n")
_TEMPORARY_LINK = ".current-"
# Left by earlier versions of fosi, which staged files and moved them into place one by one.
_LEGACY_STAGING = ".staging-"


def _shown(path: Path) -> str:
    from fosi.paths import display_path

    return display_path(path)


@contextlib.contextmanager
def writing(folder: Path) -> Iterator[None]:
    """Turn an operating-system error while writing into ``folder`` into a one-line OutputError
    naming the path (the folder itself when the error names none, as a full disk's does) and the fix."""
    try:
        yield
    except OSError as error:
        raise OutputError(describe_os_error(error, _shown(Path(error.filename or folder)))) from None


# Set by a report run for its kernels: the dataset generation every notebook of the run reads, fixed
# at the run's start (fosi.build.load_dataset), so no page of one report sees another dataset.
PINNED_ENV = "FOSI_DATASET_GENERATION"


def pinned_generation() -> Path | None:
    """The dataset generation a report run fixed for its notebooks, if this runs in one."""
    pinned = os.environ.get(PINNED_ENV)
    return Path(pinned) if pinned and Path(pinned).is_dir() else None


def current_generation(folder: Path) -> Path | None:
    """The generation a reader should read, resolved once (so every file comes from the same one);
    None when the folder holds none."""
    try:
        target = os.readlink(folder / CURRENT)
    except OSError:
        return None
    generation = folder / target
    return generation if generation.is_dir() else None


def check_folder(folder: Path) -> None:
    """Refuse, in one line, an output folder that is a file or a broken link, or whose ``current``
    is not fosi's link."""
    if folder.is_symlink() and not folder.exists():
        raise OutputError(f"{_shown(folder)} is a broken symbolic link or a link loop: fix or remove it")
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{_shown(folder)} is a file; name a folder to write into (-o DIR)")
    current = folder / CURRENT
    if current.exists() and not current.is_symlink():
        raise OutputError(f"{_shown(current)} is not fosi's link to the current generation: move it away")
    generations = folder / GENERATIONS
    if generations.exists() and not generations.is_dir():
        raise OutputError(f"{_shown(generations)} is a file where fosi keeps its generations: remove it")


def _fosi_s(folder: Path) -> bool:
    """Does the folder hold fosi's marker, or the generations of an earlier fosi (which had none)?"""
    marker = folder / MARKER
    if marker.is_file() and not marker.is_symlink():
        return True
    try:
        return os.readlink(folder / CURRENT).startswith(f"{GENERATIONS}/") and (folder / GENERATIONS).is_dir()
    except OSError:
        return False


def claim(folder: Path, holder: str) -> None:
    """Make sure ``folder`` is fosi's to write (see the module's note): create and mark it when new or
    empty; refuse it, in one line naming it and the flag to choose another, when it holds anything
    fosi did not write."""
    check_folder(folder)
    with writing(folder):
        if folder.is_dir():
            if _fosi_s(folder):
                if not (folder / MARKER).is_file():
                    _write_marker(folder, holder)
                return
            found = sorted(entry.name for entry in os.scandir(folder))
            if found:
                shown = ", ".join(found[:3]) + (f" and {len(found) - 3} more" if len(found) > 3 else "")
                raise OutputError(f"{_shown(folder).rstrip('/')}/ holds files fosi did not write ({printable(shown)}): fosi writes "
                                  "only into a new or empty folder, or one it wrote before; name another with -o DIR")
        folder.mkdir(parents=True, exist_ok=True)
        _write_marker(folder, holder)


def _write_marker(folder: Path, holder: str) -> None:
    descriptor = os.open(folder / MARKER, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(_MARKER_TEXT.format(holder=holder))


def check_apart(output: Path, sources: Iterable[Path]) -> None:
    """Refuse an output folder inside what a run reads, or a source inside the output folder: fosi
    would read its own output as responses, or replace the responses with its output."""
    written = output.resolve()
    for source in sources:
        read = Path(source).resolve()
        if written == read or written.is_relative_to(read):
            raise OutputError(f"{_shown(output)} is inside the responses fosi reads ({_shown(source)}): it would read "
                              "its own output as responses; name an output folder elsewhere with -o DIR")
        if read.is_relative_to(written):
            raise OutputError(f"the responses {_shown(source)} are inside the output folder {_shown(output)}, which "
                              "fosi replaces as a whole; name an output folder elsewhere with -o DIR")


@contextlib.contextmanager
def locked(folder: Path, holder: str, say: Callable[[str], None] | None = None,
           shared: bool = False, unless_busy: Callable[[], bool] | None = None) -> Iterator[bool]:
    """Hold the folder's lock, as ``holder`` ("fosi build"): a second run writing into the same
    folder waits for the first (saying so once), so two runs never interleave. ``shared``: a
    reader's hold (a report reading the dataset), which any number share, and which a writer
    waits for. ``unless_busy``: when the lock is held by another run and this says there is nothing
    to do, do not wait: the block runs at once, given False (it holds nothing). Otherwise it is given
    True. The lock is released when the process ends, however it ends. The folder must be fosi's
    (``claim``)."""
    import fcntl

    claim(folder, holder)
    mode = fcntl.LOCK_SH if shared else fcntl.LOCK_EX
    said = False
    while True:
        handle = _open_lock(folder)
        try:
            fcntl.flock(handle, mode | fcntl.LOCK_NB)
        except BlockingIOError:
            if unless_busy is not None and unless_busy():
                handle.close()
                yield False
                return
            handle.seek(0)
            other = handle.read().strip() or "another fosi run"
            if say and not said:
                other, reading = other.removesuffix(_READING), other.endswith(_READING)
                say(f"waiting for {printable(other)} to finish {'reading' if reading else 'writing into'} "
                    f"{_shown(folder)}/")
                said = True
            fcntl.flock(handle, mode)
        if _same_file(handle, folder / LOCK):
            break
        handle.close()  # the run before removed the lock as it finished: take the one there now
    with handle:
        handle.seek(0)
        handle.truncate()
        handle.write(f"{holder} (process {os.getpid()}){_READING if shared else ''}\n")
        handle.flush()
        try:
            yield True
        finally:
            # Removed while still held, so that no lock naming a finished process is left behind;
            # a run waiting on this file sees it gone and opens a new one (_same_file). A shared
            # hold removes it only when no other run shares it (its hold then becomes exclusive).
            if not shared or _alone(handle):
                with contextlib.suppress(OSError):
                    (folder / LOCK).unlink()


def _alone(handle) -> bool:
    """Whether no other run holds this lock: its shared hold becomes exclusive without waiting."""
    import fcntl

    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _same_file(handle, path: Path) -> bool:
    """Whether the open lock is still the file at ``path`` (not one removed by the run before)."""
    try:
        here = os.stat(path, follow_symlinks=False)
    except OSError:
        return False
    mine = os.fstat(handle.fileno())
    return (here.st_dev, here.st_ino) == (mine.st_dev, mine.st_ino)


_READING = ", reading"  # how a shared holder names itself in the lock file


def _open_lock(folder: Path):
    """The folder's lock file, opened without following a symbolic link (a link would have fosi
    truncate the file it points to) and refused unless it is a plain file."""
    import errno
    import stat

    lock = folder / LOCK
    try:
        descriptor = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, 0o644)
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise OutputError(f"{_shown(lock)} is a symbolic link where fosi keeps its lock: remove it") from None
        raise OutputError(describe_os_error(error, _shown(folder))) from None
    if not stat.S_ISREG(os.fstat(descriptor).st_mode):
        os.close(descriptor)
        raise OutputError(f"{_shown(lock)} is not a plain file where fosi keeps its lock: remove it")
    os.set_blocking(descriptor, True)
    return os.fdopen(descriptor, "r+", encoding="utf-8")


def tidy(folder: Path, legacy: Iterable[str] = ()) -> None:
    """Remove what killed runs left behind: generations never switched in, temporary links, and the
    staging folders of earlier versions (``legacy``: other names fosi itself once kept there).
    Then make sure every stable name links into the current generation. Call it holding the lock."""
    current = current_generation(folder)
    generations = folder / GENERATIONS
    if generations.is_dir():
        for generation in generations.iterdir():
            if current is None or generation.name != current.name:
                _remove(generation)
    for entry in folder.iterdir() if folder.is_dir() else ():
        if entry.name.startswith((_TEMPORARY_LINK, _LEGACY_STAGING)) or entry.name in legacy:
            _remove(entry)
    if current is not None:
        link_names(folder, current)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


@contextlib.contextmanager
def new_generation(folder: Path) -> Iterator[Path]:
    """A fresh, empty generation folder to write into; removed again unless ``switch_to`` made it
    current (a failed or interrupted run leaves the last good generation as it was)."""
    with writing(folder):
        (folder / GENERATIONS).mkdir(parents=True, exist_ok=True)
        while True:
            path = folder / GENERATIONS / f"{time.strftime('%Y%m%dT%H%M%S')}-{secrets.token_hex(4)}"
            try:
                path.mkdir()  # readable as the user's umask allows, like any folder they make
                break
            except FileExistsError:
                continue
    try:
        yield path
    finally:
        if current_generation(folder) != path:
            shutil.rmtree(path, ignore_errors=True)


def switch_to(folder: Path, generation: Path) -> None:
    """Make ``generation`` current in one atomic step, then give each of its files its stable
    name and remove older generations."""
    for entry in generation.iterdir():  # before the switch: nothing of the user's stands at a new name
        problem = _not_fosi_s(folder, entry.name)
        if problem:
            raise OutputError(problem)
    with writing(folder):
        _sync(generation)
        link = folder / f"{_TEMPORARY_LINK}{secrets.token_hex(4)}"
        os.symlink(os.path.relpath(generation, folder), link)
        os.replace(link, folder / CURRENT)  # the switch: before it the old generation, after it the new
    try:  # the new generation is live from here: a failure to flush the folder changes nothing of that
        _sync_folder(folder)
    except OSError:
        pass
    link_names(folder, generation)
    for old in (folder / GENERATIONS).iterdir():
        if old.name != generation.name:
            _remove(old)


def link_names(folder: Path, generation: Path) -> None:
    """FOLDER/NAME -> current/NAME for every file of the generation; stable links to files the
    generation no longer has are removed."""
    names = {entry.name for entry in generation.iterdir()}
    with writing(folder):
        for name in sorted(names):
            link, target = folder / name, f"{CURRENT}/{name}"
            problem = _not_fosi_s(folder, name)
            if problem == "":
                continue  # the link is there already
            if problem is not None:
                raise OutputError(problem)
            temporary = folder / f"{_TEMPORARY_LINK}{secrets.token_hex(4)}"
            os.symlink(target, temporary)
            os.replace(temporary, link)
        for entry in folder.iterdir():
            if entry.is_symlink():
                target = os.readlink(entry)
                if target.startswith(f"{CURRENT}/") and target[len(CURRENT) + 1:] not in names:
                    entry.unlink()


def _not_fosi_s(folder: Path, name: str) -> str | None:
    """Why FOLDER/NAME cannot become fosi's link to current/NAME (one line), or None when it can
    be made or replaced, or "" when it is that link already. What fosi did not write it never replaces."""
    link, target = folder / name, f"{CURRENT}/{name}"
    try:
        found = os.readlink(link)
    except FileNotFoundError:
        return None
    except OSError:  # a file or folder of that name, not a link
        kind = "a folder" if link.is_dir() else "a file fosi did not write"
        return f"{_shown(link)} is {kind}, where fosi keeps a link to {target}: move it away"
    if found == target:
        return ""
    if not found.startswith(f"{CURRENT}/"):
        return f"{_shown(link)} is a link fosi did not make, where fosi keeps a link to {target}: move it away"
    return None


def _sync(generation: Path) -> None:
    # So that after a power cut the switch never points at files whose contents were not yet on disk
    # (a generation's sub-folders, a report run's responses/ and data/, with all their files).
    for entry in generation.iterdir():
        if entry.is_dir() and not entry.is_symlink():
            _sync(entry)
            continue
        with open(entry, "rb") as handle:
            os.fsync(handle.fileno())
    _sync_folder(generation)


def _sync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
