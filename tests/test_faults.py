"""File system faults: each is one line naming the path and the fix, exit 2, never a traceback,
and the last good output is kept. Read-only and full disks are real tmpfs mounts where the test
can make one (root with CAP_SYS_ADMIN); permissions are tested without root's privileges."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pandas as pd
import pytest

from conftest import ROOT, SEED


def fosi(*args: str, cwd=ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "fosi", *args], capture_output=True, text=True, cwd=cwd)


def _one_line(result: subprocess.CompletedProcess, status: int, *needles: str) -> str:
    assert result.returncode == status, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


@contextlib.contextmanager
def tmpfs(folder: Path, options: str):
    folder.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)], capture_output=True,
                             text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({mounted.stderr.strip() or 'mount failed'}): the read-only and "
                    "full-disk faults need root with CAP_SYS_ADMIN")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def _remount_read_only(folder: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True, capture_output=True)


def _digests(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")}


@pytest.fixture()
def raw(tmp_path):
    folder = tmp_path / "raw"
    folder.mkdir()
    shutil.copyfile(SEED, folder / SEED.name)
    return folder


def test_an_output_that_is_a_file(raw, tmp_path):
    taken = tmp_path / "taken"
    taken.write_text("not a folder\n")
    _one_line(fosi("build", str(raw), "-o", str(taken)), 2, f"{taken} is a file; name a folder")
    _one_line(fosi("report", str(SEED), "-o", str(taken)), 2, f"{taken} is a file; name a folder")
    _one_line(fosi("parse", str(SEED), "-o", str(tmp_path)), 2, f"{tmp_path}: is a folder; -o takes a file name")
    assert taken.read_text() == "not a folder\n"


def test_fosi_s_own_names_taken_by_something_else(raw, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / ".generations").write_text("a file\n")
    _one_line(fosi("build", str(raw), "-o", str(out)), 2, ".generations is a file where fosi keeps its generations")
    (out / ".generations").unlink()
    (out / "current").mkdir()
    _one_line(fosi("build", str(raw), "-o", str(out)), 2, "current is not fosi's link to the current generation")
    (out / "current").rmdir()
    (out / ".cache").write_text("where earlier versions kept a cache, or the user's own\n")
    # Not fosi's folder (no marker, not empty): refused, and nothing in it touched (-o ~ holds ~/.cache).
    _one_line(fosi("build", str(raw), "-o", str(out)), 2, "holds files fosi did not write (.cache)")
    assert (out / ".cache").read_text() == "where earlier versions kept a cache, or the user's own\n"


def test_a_read_only_output_folder(raw, tmp_path):
    with tmpfs(tmp_path / "disk", "size=4m") as disk:
        out = disk / "processed"
        assert fosi("build", str(raw), "-o", str(out), "--quiet").returncode == 0
        good = _digests(out)
        _remount_read_only(disk)
        (raw / "kent.txt").write_bytes(SEED.read_bytes().replace(b"Hertfordshire", b"Kent"))
        line = _one_line(fosi("build", str(raw), "-o", str(out)), 2, "the file system is read-only",
                         "choose another folder (-o DIR) or make it writable")
        assert str(disk) in line or "processed" in line
        assert _digests(out) == good
        _one_line(fosi("build", str(raw), "-o", str(disk / "new")), 2, "read-only")
        _one_line(fosi("report", str(SEED), "-o", str(disk / "reports")), 2, "read-only")
        _one_line(fosi("parse", str(SEED), "-o", str(disk / "figures.csv")), 2, "figures.csv", "read-only")


def test_read_only_responses_are_read_as_usual(raw, tmp_path):
    with tmpfs(tmp_path / "disk", "size=1m") as disk:
        shutil.copytree(raw, disk / "raw")
        _remount_read_only(disk)
        assert fosi("build", str(disk / "raw"), "-o", str(tmp_path / "out"), "--quiet").returncode == 0


def test_a_full_disk_keeps_the_last_good_dataset(raw, tmp_path):
    with tmpfs(tmp_path / "disk", "size=256k") as disk:
        out = disk / "processed"
        assert fosi("build", str(raw), "-o", str(out), "--quiet").returncode == 0
        good = _digests(out)
        for index in range(400):  # about a megabyte of tables: more than the disk holds
            (raw / f"copy_{index:03d}.txt").write_bytes(SEED.read_bytes())
        _one_line(fosi("build", str(raw), "-o", str(out), "--quiet"), 2, "no space left on the device",
                  "the last good output is kept")
        assert _digests(out) == good
        assert len(list((out / ".generations").iterdir())) == 1  # the half-written generation is gone


def _as_nobody(argv: list[str]) -> tuple[int, str]:
    """fosi's command line run in a forked child without root's privileges (root reads a folder
    whatever its permissions), as the user nobody; its exit status and what it printed on stderr.
    The child is forked, not started afresh: the interpreter lives where nobody may not read."""
    from fosi.cli import main

    read_end, write_end = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the child
        status = 99
        try:
            os.close(read_end)
            sys.stderr = os.fdopen(write_end, "w")
            if os.geteuid() == 0:
                os.setgroups([])
                os.setgid(65534)
                os.setuid(65534)
            status = main(argv)
        except BaseException as error:  # noqa: BLE001 - reported to the test, which fails on it
            print(f"Traceback: {error!r}", file=sys.stderr)
        finally:
            sys.stderr.flush()
            os._exit(status)
    os.close(write_end)
    with os.fdopen(read_end) as printed:
        text = printed.read()
    _, waited = os.waitpid(child, 0)
    return os.waitstatus_to_exitcode(waited), text


@pytest.fixture()
def open_folder():
    """A folder anyone may enter (pytest's own temporary folders are root's alone)."""
    folder = Path(tempfile.mkdtemp(prefix="fosi-faults-"))
    folder.chmod(0o777)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def test_a_sub_folder_that_cannot_be_read_is_an_error_never_a_silent_skip(open_folder):
    from fosi.build import build

    raw, out = open_folder / "raw", open_folder / "out"
    (raw / "locked").mkdir(parents=True)
    shutil.copyfile(SEED, raw / SEED.name)
    shutil.copyfile(SEED, raw / "locked" / "kent.txt")
    for path in (open_folder, raw, raw / SEED.name, raw / "locked" / "kent.txt"):
        path.chmod(0o777 if path.is_dir() else 0o666)
    build(raw, out)  # every module this needs is imported before the child drops its privileges
    shutil.rmtree(out)
    out.mkdir()
    out.chmod(0o777)
    (raw / "locked").chmod(0o000)
    try:
        status, printed = _as_nobody(["build", str(raw), "-o", str(out)])
    finally:
        (raw / "locked").chmod(0o777)
    assert status == 2, printed
    assert "Traceback" not in printed and len(printed.strip().splitlines()) == 1, printed
    assert "locked: cannot list this folder (Permission denied): give this user access to it" in printed
    assert not (out / "current").exists()  # nothing published with a folder missing


def test_a_response_that_cannot_be_read_is_a_failed_file(open_folder):
    from fosi.build import build

    raw, out = open_folder / "raw", open_folder / "out"
    raw.mkdir()
    shutil.copyfile(SEED, raw / SEED.name)
    shutil.copyfile(SEED, raw / "kent.txt")
    for path in (open_folder, raw, raw / SEED.name):
        path.chmod(0o777 if path.is_dir() else 0o666)
    build(raw, out)
    shutil.rmtree(out)
    out.mkdir()
    out.chmod(0o777)
    (raw / "kent.txt").chmod(0o000)
    status, printed = _as_nobody(["build", str(raw), "-o", str(out), "--quiet"])
    assert status == 1, printed
    assert printed.strip().splitlines() == [f"fosi build: failed: {raw / 'kent.txt'}: cannot read: Permission denied"]
    manifest = pd.read_csv(out / "manifest.csv", dtype=str).set_index("status")
    assert manifest.loc["failed", "reason"].endswith("kent.txt: cannot read: Permission denied")


@pytest.mark.parametrize("kind", ["a link to itself", "a link to a folder above it", "a broken link"])
def test_symbolic_link_faults_in_the_responses(raw, tmp_path, kind):
    if kind == "a link to itself":
        os.symlink("loop.txt", raw / "loop.txt")
        needle = "loop.txt: cannot follow this link (Too many levels of symbolic links): fix or remove it"
    elif kind == "a link to a folder above it":
        (raw / "sub").mkdir()
        os.symlink("..", raw / "sub" / "up")
        needle = "up: is a symbolic link loop (it leads back to a folder that holds it): fix or remove the link"
    else:
        os.symlink("gone.txt", raw / "dangling.txt")
        needle = "dangling.txt: is a broken symbolic link: fix or remove it"
    for command in (["build", str(raw), "-o", str(tmp_path / "out")], ["report", str(raw), "-o", str(tmp_path / "r")]):
        _one_line(fosi(*command), 2, needle)
    assert not (tmp_path / "out" / "current").exists()


def test_an_output_that_is_a_symbolic_link_loop(raw, tmp_path):
    os.symlink("out", tmp_path / "out")
    _one_line(fosi("build", str(raw), "-o", str(tmp_path / "out")), 2, "out")


NAMES = ["carriage\rreturn.txt", "new\nline.txt", "tab\tand,comma.txt", 'quote".txt', "escape\x1b[2J.txt"]


def test_control_characters_in_file_names_are_quoted_and_read_back_equal(raw, tmp_path):
    for name in NAMES:
        shutil.copyfile(SEED, raw / name)
    (raw / "empty\r\x1b[2J.txt").write_bytes(b"")
    out = tmp_path / "out"
    result = fosi("build", str(raw), "-o", str(out), "--quiet")
    assert result.returncode == 1  # the empty one cannot be read
    assert result.stderr.splitlines() == [f"fosi build: failed: {raw}/empty\\r\\x1b[2J.txt: is empty"]  # one line
    manifest = pd.read_csv(out / "manifest.csv", dtype=str, keep_default_na=False)
    assert sorted(manifest["file"]) == sorted(str(raw / name) for name in [*NAMES, "empty\r\x1b[2J.txt", SEED.name])
    figures = pd.read_csv(out / "figures.csv", dtype=str, keep_default_na=False)
    assert figures.groupby("source").size().to_dict() == {str(raw / name): 16 for name in [*NAMES, SEED.name]}
    from fosi.model.dataset import read_dataset

    assert len(read_dataset(out).figures) == 16 * (len(NAMES) + 1)
    parsed = subprocess.run([sys.executable, "-m", "fosi", "parse", str(raw / NAMES[0])], capture_output=True)
    # (bytes: text mode would turn the carriage return into a line end before pandas sees it)
    assert pd.read_csv(io.BytesIO(parsed.stdout), dtype=str)["source"].unique().tolist() == [str(raw / NAMES[0])]
