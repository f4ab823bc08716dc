"""fosi report under faults: killed at each rename, interrupted with Ctrl-C, run twice at once.
Each run uses a small project of its own, so it takes seconds (tests/conftest.small_project)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time

import pytest

from conftest import ROOT, small_project

# One notebook: one kernel per run, and still three files (the HTML, the executed notebook and the
# index) that must all come from the same run.
NOTEBOOKS = {
    "00_first": ["# parameters\nlabel = 'old'  # which run wrote it\nnap = 0.0  # seconds to sleep",
                 "import time\ntime.sleep(nap)\nprint(f'label-{label}')"],
}


@pytest.fixture(scope="module")
def reported(tmp_path_factory):
    """A small project whose reports/ holds a first, good run's reports (label-old)."""
    project = small_project(tmp_path_factory.mktemp("reported") / "project", NOTEBOOKS)
    first = _report(project)
    assert first.returncode == 0, first.stderr
    return project


@pytest.fixture()
def project(reported, tmp_path):
    """A copy of that project for one test."""
    return shutil.copytree(reported, tmp_path / "project", symlinks=True)


def _report(project, *args, kill_at=0, when="before"):
    return subprocess.run([sys.executable, str(ROOT / "tests" / "killed_run.py"), str(kill_at), when, "report",
                           "--quiet", *args], capture_output=True, text=True, cwd=project,
                          env={**os.environ, "FOSI_ROOT": str(project)})


def _reports(folder):
    """Which run's reports a reader sees (every stable name resolving into the current generation,
    all of them written by the same run); None when there are none yet."""
    if not (folder / "current").is_symlink():
        return None
    labels = set()
    for entry in folder.iterdir():
        if entry.name.startswith(".") or entry.name == "current" or entry.name.endswith(".failed.ipynb"):
            continue
        assert os.readlink(entry) == f"current/{entry.name}", entry
        if entry.is_dir():
            continue  # data/: the dataset the reports were made from
        text = entry.read_text(encoding="utf-8")
        labels |= {label for label in ("label-old", "label-new") if label in text}
    assert {p.name for p in (folder / "current").iterdir()} == {"index.html", "00_first.html", "00_first.ipynb", "data"}
    assert len(labels) == 1, labels  # never some files of one run beside files of another
    return labels.pop()


def test_a_kill_at_any_rename_leaves_the_old_reports_or_the_new_ones(project, tmp_path):
    out, saved = project / "reports", tmp_path / "saved"
    assert _reports(out) == "label-old"
    shutil.copytree(out, saved, symlinks=True)
    kill_at, renames = 1, 1
    while kill_at <= renames:
        for when in ("before", "after"):
            shutil.rmtree(out)
            shutil.copytree(saved, out, symlinks=True)
            killed = _report(project, "-p", "label=new", kill_at=kill_at, when=when)
            assert killed.returncode == -signal.SIGKILL, killed.stderr
            state = _reports(out)
            assert state in ("label-old", "label-new")
            if kill_at == 1:  # the first rename is the switch itself
                assert state == {"before": "label-old", "after": "label-new"}[when]
        again = _report(project, "-p", "label=new")  # the next run continues from there
        assert again.returncode == 0, again.stderr
        assert _reports(out) == "label-new"
        assert len(list((out / ".generations").iterdir())) == 1  # what the killed run left is removed
        renames = int(again.stderr.rsplit("renames: ", 1)[1])  # how many a whole run makes
        kill_at += 1


def _children(pid):
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    if int(stat.read().rsplit(")", 1)[1].split()[1]) == pid:
                        found.append(int(entry))
            except (OSError, ValueError, IndexError):
                pass
    return found


def _alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _start(command, cwd, env=None):
    """A fosi command in a process group of its own (as a terminal runs it), its stderr read by a thread."""
    process = subprocess.Popen([sys.executable, "-m", "fosi", *command], cwd=cwd, env=env, text=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(process.stderr), daemon=True)
    reader.start()
    return process, lines, reader


def _wait_for(lines, text, seconds=60):
    deadline = time.monotonic() + seconds
    while not any(text in line for line in lines):
        assert time.monotonic() < deadline, f"no {text!r} in {lines}"
        time.sleep(0.02)


@pytest.mark.parametrize("moment", ["while a notebook runs", 0.3, 1.0], ids=["while a notebook runs", "at 0.3 s",
                                                                         "at 1 s"])
def test_ctrl_c_stops_a_report_within_2_seconds_with_one_line(project, moment):
    env = {**os.environ, "FOSI_ROOT": str(project)}
    before = _reports(project / "reports")
    process, lines, reader = _start(["report", "-p", "label=new", "-p", "nap=60"], project, env)
    if moment == "while a notebook runs":
        _wait_for(lines, "00_first.ipynb: running")
        time.sleep(0.3)
    else:  # while it imports, builds, waits for the lock or starts its kernels
        time.sleep(moment)
    kernels = _children(process.pid)
    started = time.monotonic()
    os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
    time.sleep(0.05)
    os.killpg(process.pid, signal.SIGINT)  # and a second one: never needed, never a traceback
    process.wait(timeout=10)
    took = time.monotonic() - started
    reader.join(timeout=5)
    assert took <= 2.0, (took, lines)
    assert process.returncode == 130, (process.returncode, lines)
    messages = [line for line in lines if "running" not in line]
    assert messages == ["fosi report: interrupted; the last good reports are kept\n"], lines
    time.sleep(0.5)
    assert not [pid for pid in kernels if _alive(pid)]  # the kernels are gone
    assert _reports(project / "reports") == before


def test_a_second_report_into_the_same_folder_waits_for_the_first(project):
    env = {**os.environ, "FOSI_ROOT": str(project)}
    first, first_lines, first_reader = _start(["report", "-p", "label=new", "-p", "nap=1"], project, env)
    _wait_for(first_lines, "00_first.ipynb: running")
    second, second_lines, second_reader = _start(["report"], project, env)
    _wait_for(second_lines, "waiting for")
    assert second.poll() is None  # it waits, holding no kernel, and stops at once on Ctrl-C
    os.killpg(second.pid, signal.SIGINT)
    assert second.wait(timeout=5) == 130
    assert first.wait(timeout=60) == 0
    first_reader.join(5)
    second_reader.join(5)
    assert second_lines == [
        f"fosi report: waiting for fosi report (process {first.pid}) to finish writing into reports/\n",
        "fosi report: interrupted; the last good reports are kept\n"]
    assert _reports(project / "reports") == "label-new"  # the first run's, whole


def test_ctrl_c_stops_a_parallel_build_within_2_seconds_with_one_line(tmp_path):
    from conftest import SEED

    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    for index in range(3000):
        (raw / f"response_{index:04d}.txt").write_bytes(SEED.read_bytes())
    process, lines, reader = _start(["build", str(raw), "-o", str(out)], ROOT)
    _wait_for(lines, "files")  # progress: the workers are reading
    workers = _children(process.pid)
    started = time.monotonic()
    os.killpg(process.pid, signal.SIGINT)
    process.wait(timeout=10)
    took = time.monotonic() - started
    reader.join(timeout=5)
    assert took <= 2.0 and process.returncode == 130, (took, lines)
    # No dataset was there before this first build: none is said to be kept.
    assert [line for line in lines if "files" not in line] == ["fosi build: interrupted; nothing was written\n"]
    time.sleep(0.3)
    assert workers and not [pid for pid in workers if _alive(pid)]
    assert not (out / "current").exists() and not list((out / ".generations").glob("*"))
