"""Hostile and careless input: every file ends within its budget, in one line, and the others still build."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import CORPUS


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
