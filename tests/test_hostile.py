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
