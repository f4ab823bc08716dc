"""Hostile and careless input: every file ends within its budget, in one line, and the others still build."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import CORPUS, SEED


def _run(*args, cwd=None, timeout=120):
    return subprocess.run([sys.executable, "-m", "fosi", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=timeout)


# Tiny files that once never finished: each loop of the readers must advance.
ENDLESS = {
    # Two lines split by pipes into 2 and 3 cells: the header-over-run step went back and forth.
    "pipes.txt": b"a | b\nx | y | z\n",
    # Cells one per paragraph ending in a no-break space: a region that could not be read began on a
    # blank line, and the search for its end went above its start.
    "paragraphs.txt": b"247\n\n\n327\n\n\xc2\xa0",
}


@pytest.mark.parametrize("name", list(ENDLESS))
def test_a_tiny_file_that_once_looped_forever_ends(name, tmp_path):
    path = tmp_path / name
    path.write_bytes(ENDLESS[name])
    result = _run("parse", str(path), timeout=60)
    assert result.returncode in (0, 1), result.stderr
    assert "Traceback" not in result.stderr


def test_a_real_reply_with_an_extra_blank_line_is_read(tmp_path):
    from fosi.readers import read_response

    lines = (CORPUS / "real" / "cleveland_11241.txt").read_text(
        encoding="utf-8").split("\n")
    path = tmp_path / "cleveland.txt"
    path.write_text("\n".join(lines[:42] + [""] + lines[42:]), encoding="utf-8")
    assert not read_response(path).figures.empty  # the blank line once made the table finder loop for ever


# --- fosi only ever deletes or replaces what it wrote ---------------------------------------------

@pytest.fixture
def raw(tmp_path):
    folder = tmp_path / "raw"
    folder.mkdir()
    (folder / SEED.name).write_bytes(SEED.read_bytes())
    return folder


def _refused(result, *words):
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


def _contents(folder):
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_folder_that_is_not_fosi_s_is_refused_and_left_as_it_was(raw, tmp_path):
    home = tmp_path / "home"
    (home / ".cache").mkdir(parents=True)
    (home / ".cache" / "thumbnails.db").write_bytes(b"the user's cache")
    (home / "figures.csv").write_text("the user's own figures\n")
    (home / "notes.csv").write_text("the user's own notes\n")
    before = _contents(home)
    _refused(_run("build", str(raw), "-o", str(home)), str(home), "holds files fosi did not write", "-o DIR")
    assert _contents(home) == before


def test_the_root_folder_is_refused(raw):
    # Refused whichever way it is named: the responses are inside it, and it holds what fosi did not write.
    _refused(_run("build", str(raw), "-o", "/"), "inside the output folder /,", "-o DIR")
    elsewhere = _run("build", str(raw), "-o", "/", cwd="/")
    assert elsewhere.returncode == 2 and "Traceback" not in elsewhere.stderr


def test_the_responses_folder_is_never_an_output(raw, tmp_path):
    before = _contents(raw)
    _refused(_run("build", str(raw), "-o", str(raw)), "inside the responses fosi reads")
    _refused(_run("build", str(raw), "-o", str(raw / "out")), "inside the responses fosi reads")
    assert _contents(raw) == before and not (raw / "out").exists()
    out = tmp_path / "out"
    assert _run("build", str(raw), "-o", str(out), "-q").returncode == 0
    inner = out / "raw"
    inner.mkdir()
    (inner / SEED.name).write_bytes(SEED.read_bytes())
    _refused(_run("build", str(inner), "-o", str(out)), "are inside the output folder")


def test_a_user_s_file_in_fosi_s_folder_is_never_replaced(raw, tmp_path):
    out = tmp_path / "out"
    assert _run("build", str(raw), "-o", str(out), "-q").returncode == 0
    assert (out / ".fosi-output").is_file()  # fosi's marker
    (out / "notes.csv").unlink()
    (out / "notes.csv").write_text("mine\n")
    (raw / "kent.txt").write_bytes(SEED.read_bytes().replace(b"Hertfordshire", b"Kent"))
    _refused(_run("build", str(raw), "-o", str(out)), "notes.csv is a file fosi did not write", "move it away")
    assert (out / "notes.csv").read_text() == "mine\n"


def test_a_lock_that_is_a_symbolic_link_is_refused_and_its_target_kept(raw, tmp_path):
    out = tmp_path / "out"
    assert _run("build", str(raw), "-o", str(out), "-q").returncode == 0
    victim = tmp_path / "precious.txt"
    victim.write_text("keep me\n")
    (out / ".lock").unlink(missing_ok=True)  # a finished run leaves no lock
    (out / ".lock").symlink_to(victim)
    _refused(_run("build", str(raw), "-o", str(out), "--force"), ".lock is a symbolic link")
    assert victim.read_text() == "keep me\n"


def test_a_report_into_a_user_s_site_is_refused(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<p>my own site</p>\n")
    _refused(_run("report", str(SEED), "-o", str(site), "-q"), "holds files fosi did not write (index.html)")
    assert (site / "index.html").read_text() == "<p>my own site</p>\n"


# --- Hostile documents: one line each, within the budget; the other files still build --------------

# What `fosi parse` says of each (tests/hostile.py builds them): its exit status and the words of its line.
HOSTILE = {
    "repeat_x.ods": (2, "is damaged: it declares a row repeat (number-rows-repeated) of 'x'"),
    "repeat_billion.ods": (2, "too large or too complex to read: it declares a row repeat (number-rows-repeated) "
                              "of 1,000,000,000; fosi reads at most 1,048,576"),
    "unpacks_to_gigabytes.ods": (2, "it would unpack to 201 MB; fosi unpacks at most 200 MB"),
    "span_x.docx": (2, "is damaged: it declares a column span (gridSpan) of 'x'"),
    "grid_before_huge.docx": (2, "it declares a grid offset (gridBefore) of 100,000,000; fosi reads at most 1,000"),
    # One cell at the sheet's last address: read where it is, not by making every cell before it.
    "last_cell.xlsx": (1, "last_cell.xlsx:Sheet!1048576: warning numbers-not-read"),
    "huge_colspan.html": (0, None),  # a span of 4,301 digits is cut to HTML's limit, as browsers do
    # Spans of 1,000 by 1,000: refused at the first cell, never laid out (10^8 cells).
    "spans_over_millions.html": (2, "too large or too complex to read: a table of 10,000 cells spans more than "
                                    "300,000 once laid out"),
    "huge_count.txt": (0, None),  # kept as printed, a marker: no count has 4,301 digits
    "long_field.csv": (2, "long_field.csv:2: is not a table fosi can read (field larger than field limit"),
    "drawings.pdf": (2, "too large or too complex to read: page 1 draws 30,000 lines and shapes"),
    "nested_parts.eml": (2, "too large or too complex to read"),
    "zip_chain.eml": (0, None),  # its body is read; the attachments nested past 5 are findings (below)
}


@pytest.fixture(scope="module")
def hostile_folder(tmp_path_factory):
    from hostile import DOCUMENTS

    folder = tmp_path_factory.mktemp("hostile") / "raw"
    folder.mkdir()
    for name, make in DOCUMENTS.items():
        (folder / name).write_bytes(make())
    return folder


def test_every_hostile_document_is_named_here():
    from hostile import DOCUMENTS

    assert set(HOSTILE) == set(DOCUMENTS)


@pytest.mark.parametrize("name", list(HOSTILE))
def test_a_hostile_document_gets_one_line_within_its_budget(name, hostile_folder):
    status, words = HOSTILE[name]
    result = _run("parse", str(hostile_folder / name), timeout=90)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == status, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == (0 if words is None else 1), result.stderr
    if words:
        assert str(hostile_folder / name) in lines[0] and words in lines[0], lines[0]


def test_a_huge_count_is_kept_as_printed_and_a_huge_span_read_as_html_s_limit(hostile_folder):
    from fosi.readers import read_response

    figures = read_response(hostile_folder / "huge_count.txt").figures
    huge = figures[figures["row_label"] == "Possession"].iloc[0]
    assert pd_isna(huge["count"]) and huge["marker"] == "1" + "0" * 4300
    assert figures[figures["row_label"] == "Taking"].iloc[0]["count"] == 3
    page = read_response(hostile_folder / "huge_colspan.html").figures
    assert list(page["count"]) == [4]


def pd_isna(value) -> bool:
    import pandas as pd

    return bool(pd.isna(value))


def test_one_hostile_file_never_stops_the_others(hostile_folder, tmp_path):
    """Every hostile document, sidecar and name in one folder with the seed: the seed is built, each
    other file is one line, and exit 1 says how many failed."""
    import csv
    import os
    import shutil

    from hostile import SIDECARS

    raw = tmp_path / "raw"
    shutil.copytree(hostile_folder, raw)
    (raw / SEED.name).write_bytes(SEED.read_bytes())
    for name, text in SIDECARS.items():
        (raw / f"{name}.txt").write_bytes(SEED.read_bytes())
        (raw / f"{name}.yml").write_text(text)
    latin = os.fsencode(raw) + b"/caf\xe9.txt"  # a Latin-1 file name, not UTF-8
    with open(latin, "wb") as handle:
        handle.write(SEED.read_bytes())
    out = tmp_path / "out"
    result = _run("build", str(raw), "-o", str(out), timeout=300)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 1, result.stderr
    failed = [line for line in result.stderr.splitlines() if line.startswith("fosi build: failed: ")]
    expected_failures = {name for name, (status, _) in HOSTILE.items() if status == 2} | {
        f"{name}.txt" for name in SIDECARS}
    assert len(failed) == len(expected_failures), result.stderr
    for name in expected_failures:
        assert sum(name.split(".")[0] in line for line in failed) >= 1, (name, result.stderr)
    assert f"{len(failed)} could not be read" in result.stderr.splitlines()[-1]
    assert "aliases.yml:2: is not valid YAML: an alias (*name)" in result.stderr
    with open(out / "manifest.csv", newline="", encoding="utf-8") as handle:
        manifest = {row["file"]: row for row in csv.DictReader(handle)}
    assert any(source.endswith("caf\\xe9.txt") for source in manifest), list(manifest)  # carried as an escape
    with open(out / "figures.csv", newline="", encoding="utf-8") as handle:
        sources = {row["source"] for row in csv.DictReader(handle)}
    assert any(source.endswith(SEED.name) for source in sources)
    with open(out / "findings.csv", newline="", encoding="utf-8") as handle:
        findings = [row["message"] for row in csv.DictReader(handle) if row["source"].endswith("zip_chain.eml")]
    assert any("nested at most 5 deep" in message for message in findings), findings


# --- A report reads one dataset, fixed at its start --------------------------------------------------

_WAIT_FOR_GO = """import pathlib, time
pathlib.Path("started-{name}").touch()
for _ in range(600):
    if pathlib.Path("go").exists():
        break
    time.sleep(0.1)
import fosi
print("responses=%d" % len(fosi.load().manifest))"""


def test_a_reply_added_during_a_report_is_in_none_of_its_pages(tmp_path):
    """Both notebooks load the dataset after a reply is added and `fosi build` is started: every page,
    and the report's data/, still count the one reply the report started with; the build waits for
    the report, then adds the second."""
    import csv
    import os
    import time

    from conftest import small_project

    project = small_project(tmp_path / "project", {"00_first": [_WAIT_FOR_GO.format(name="first")],
                                                   "01_second": [_WAIT_FOR_GO.format(name="second")]})
    env = {**os.environ, "FOSI_ROOT": str(project)}
    command = [sys.executable, "-m", "fosi"]
    report = subprocess.Popen([*command, "report", "-q"], cwd=project, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    try:
        for _ in range(1200):
            if (project / "started-first").exists() or report.poll() is not None:
                break
            time.sleep(0.1)
        assert (project / "started-first").exists(), report.communicate()[1]
        (project / "data" / "raw" / "kent.txt").write_bytes(SEED.read_bytes().replace(b"Hertfordshire", b"Kent"))
        build = subprocess.Popen([*command, "build"], cwd=project, env=env, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True)
        time.sleep(3)
        assert build.poll() is None  # waiting for the report to finish with the dataset
        (project / "go").touch()
        _, errors = report.communicate(timeout=300)
        assert report.returncode == 0, errors
        _, built = build.communicate(timeout=300)
        assert build.returncode == 0, built
        assert "waiting for fosi report (process" in built and "to finish reading data/processed/" in built
    finally:
        for process in (report, locals().get("build")):
            if process is not None and process.poll() is None:
                process.kill()
    for page in ("00_first.html", "01_second.html"):
        text = (project / "reports" / page).read_text(encoding="utf-8")
        assert "responses=1" in text and "responses=2" not in text, page
    with open(project / "reports" / "data" / "manifest.csv", newline="", encoding="utf-8") as handle:
        assert len(list(csv.DictReader(handle))) == 1
    with open(project / "data" / "processed" / "manifest.csv", newline="", encoding="utf-8") as handle:
        assert len(list(csv.DictReader(handle))) == 2  # the build went on once the report was done


def test_a_fault_in_fosi_itself_is_one_line_never_a_traceback(raw, tmp_path, monkeypatch, capsys):
    import fosi.build
    from fosi.cli import main

    def broken(*args, **kwargs):
        raise ValueError("something fosi did not expect")

    monkeypatch.setattr(fosi.build, "build", broken)
    monkeypatch.delenv("FOSI_DEBUG", raising=False)
    assert main(["build", str(raw), "-o", str(tmp_path / "out")]) == 1
    line = capsys.readouterr().err.strip()
    assert line == ("fosi build: stopped by a fault in fosi (ValueError: something fosi did not expect); please "
                    "report it (run again with FOSI_DEBUG=1 to see where it happened)")


def test_responses_outside_the_project_are_built_beside_them(tmp_path):
    import os

    from conftest import small_project

    project = small_project(tmp_path / "project", {})
    replies = tmp_path / "elsewhere" / "foi"
    replies.mkdir(parents=True)
    (replies / SEED.name).write_bytes(SEED.read_bytes())
    env = {**os.environ, "FOSI_ROOT": str(project)}
    result = subprocess.run([sys.executable, "-m", "fosi", "build", "foi"], capture_output=True, text=True,
                            cwd=tmp_path / "elsewhere", env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stderr.rstrip().endswith("in fosi-output/dataset/")  # a path that works from where the user is
    assert (tmp_path / "elsewhere" / "fosi-output" / "dataset" / "figures.csv").is_file()
    assert not (project / "data" / "processed").exists()  # the project's own dataset is never touched


# --- Text as printed, links only where fosi makes them ---------------------------------------------

HOSTILE_LABELS = ["<https://evil.example/track.png>", r"\(x\)", '<iframe src="https://evil.example/"></iframe>',
                  "see https://evil.example/page and www.evil.example", "$x^2$ and $$y$$", "counts <5 and &lt;5"]


def test_reply_text_in_a_report_is_shown_as_printed_and_makes_no_link():
    import nbformat
    from lxml import html

    from fosi.publish.formatting import escape_text
    from fosi.publish.report import export_html

    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("", outputs=[
        nbformat.v4.new_output("display_data", data={"text/markdown": f"Note {n}: {escape_text(label)}",
                                                     "text/plain": label})
        for n, label in enumerate(HOSTILE_LABELS)])])
    page = html.fromstring(export_html(notebook, "Hostile"))
    shown = page.text_content()
    for n, label in enumerate(HOSTILE_LABELS):
        assert f"Note {n}: {label}" in shown, label
    links = [a.get("href") for a in page.iter("a")]
    assert not [href for href in links if href and "evil.example" in href], links
    assert not list(page.iter("iframe"))


def test_every_csv_fosi_publishes_neutralises_formulas_and_reads_back_exactly(tmp_path):
    import csv

    from fosi.model.dataset import read_dataset, write_dataset
    from fosi.readers import read_response

    labels = ['=HYPERLINK("https://evil.example","click")', "+cmd|' /C calc'!A0", "@SUM(1+1)", "'quoted", "-2+3"]
    reply = tmp_path / "reply.txt"
    reply.write_text("Kent Police\nOffence\tTotal\n" + "".join(f"{label}\t{n}\n" for n, label in enumerate(labels, 1)),
                     encoding="utf-8")
    from fosi.build import load_dataset

    dataset = load_dataset([reply])
    assert sorted(dataset.figures["row_label"]) == sorted(labels)  # read as printed
    write_dataset(dataset, tmp_path / "data")
    with open(tmp_path / "data" / "figures.csv", newline="", encoding="utf-8") as handle:
        written = {row["row_label"] for row in csv.DictReader(handle)}
    assert written == {"'" + label for label in labels}  # none starts as a formula in a spreadsheet
    again = read_dataset(tmp_path / "data")
    assert sorted(again.figures["row_label"]) == sorted(labels)  # and fosi reads back what was printed
    assert read_response(reply).figures.shape[0] == len(labels)


# --- Smaller items ------------------------------------------------------------------------------------

def test_a_file_dropped_into_the_current_generation_is_never_published(raw, tmp_path):
    from fosi.build import build

    out = tmp_path / "out"
    build(raw, out)
    (out / "current" / "extra.csv").write_text("=HYPERLINK(\"https://evil.example\")\n")
    result = build(raw, out)
    assert result.changed  # not "up to date": the generation holds what fosi did not write
    assert not (out / "current" / "extra.csv").exists() and not (out / "extra.csv").exists()


def test_pdfminer_s_warnings_are_not_printed(tmp_path):
    from hostile import pdf_of_drawings

    path = tmp_path / "unknown_font.pdf"  # its text names a font the page does not define: pdfminer warns
    path.write_bytes(pdf_of_drawings(10).replace(b"BT /F1 12 Tf", b"BT /F9 12 Tf"))
    result = _run("parse", str(path))
    assert "Traceback" not in result.stderr and "FontBBox" not in result.stderr, result.stderr
    assert all(line.startswith(str(path)) for line in result.stderr.strip().splitlines()), result.stderr


_INTERRUPTED = """import sys
import fosi.build
from fosi.cli import main

def interrupted(*args, **kwargs):
    raise KeyboardInterrupt

fosi.build.process_files = interrupted
sys.exit(main(sys.argv[1:]))"""


def test_an_interrupted_first_build_does_not_claim_a_last_good_dataset(raw, tmp_path):
    out = tmp_path / "out"
    first = subprocess.run([sys.executable, "-c", _INTERRUPTED, "build", str(raw), "-o", str(out)],
                           capture_output=True, text=True, timeout=120)
    assert first.returncode == 130
    assert first.stderr.strip() == "fosi build: interrupted; nothing was written"
    assert _run("build", str(raw), "-o", str(out), "-q").returncode == 0
    (raw / "kent.txt").write_bytes(SEED.read_bytes().replace(b"Hertfordshire", b"Kent"))
    again = subprocess.run([sys.executable, "-c", _INTERRUPTED, "build", str(raw), "-o", str(out)],
                           capture_output=True, text=True, timeout=120)
    assert again.stderr.strip() == "fosi build: interrupted; the last good dataset is kept"


def test_a_link_to_a_device_is_not_called_broken(raw, tmp_path):
    (raw / "zero.txt").symlink_to("/dev/zero")
    line = _refused(_run("build", str(raw), "-o", str(tmp_path / "out")), "zero.txt")
    assert "is not a regular file (a pipe, socket or device)" in line and "broken" not in line


_SYNC_FAILS_AFTER_THE_SWITCH = """import errno, os, sys
import fosi.generations as generations
from fosi.cli import main

real, switched = generations._sync_folder, {"done": False}
replace = os.replace

def replacing(source, target, *args, **kwargs):
    replace(source, target, *args, **kwargs)
    if str(target).endswith("/current"):
        switched["done"] = True

def sync(folder):
    if switched["done"]:
        raise OSError(errno.EIO, "Input/output error")
    real(folder)

os.replace, generations._sync_folder = replacing, sync
sys.exit(main(sys.argv[1:]))"""


def test_a_flush_failing_after_the_switch_is_no_failure(raw, tmp_path):
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, "-c", _SYNC_FAILS_AFTER_THE_SWITCH, "build", str(raw), "-o", str(out)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr  # the new generation is live: the build succeeded
    assert (out / "figures.csv").is_file()


def test_a_build_s_workers_end_with_their_parent():
    import os
    import signal
    import time

    script = ("import os, sys, time\nfrom fosi.build import _die_with_parent\n"
              "child = os.fork()\nif child == 0:\n    _die_with_parent()\n    time.sleep(60)\n    os._exit(0)\n"
              "print(child, flush=True)\ntime.sleep(60)\n")
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    child = int(parent.stdout.readline())
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait()
    for _ in range(50):  # at once, not after a poll interval
        try:
            with open(f"/proc/{child}/status", encoding="utf-8") as handle:
                state = next(line for line in handle if line.startswith("State:"))
        except (FileNotFoundError, ProcessLookupError):
            break
        if "Z" in state.split()[1]:  # ended, waiting only to be reaped
            break
        time.sleep(0.01)
    else:
        os.kill(child, signal.SIGKILL)
        raise AssertionError("the worker outlived its parent")
