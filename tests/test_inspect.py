"""`fosi inspect`: each line of a response with its role, and what became of each number."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "corpus"


def _inspect(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "fosi", "inspect", str(path)], capture_output=True, text=True,
                          cwd=ROOT)


def test_a_web_table_copied_one_cell_per_line_shows_each_figure_under_its_row():
    # South Wales 586/26 prints "01: Charged/summonsed |" on line 12 and "363 |" on line 13.
    result = _inspect(CORPUS / "south-wales_586-26.txt")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    row = next(i for i, line in enumerate(lines) if line.startswith("      12 row "))
    assert lines[row + 1].startswith("      13 cell      | 363  -> figure t1  col 'Count'  outcome 1")
    assert all(len(line) <= 100 for line in lines)


def test_numbers_not_read_are_marked_with_their_reason(tmp_path):
    path = tmp_path / "reply.txt"
    path.write_text("Reference: FOI 123/24\n\nCrimes by year\nYear Crimes\n2019 4\n2020 6\n\nThere were 12 more that we counted later\n"
                    "on 3 3 7 and 9 in the list\n", encoding="utf-8")
    lines = _inspect(path).stdout.splitlines()
    assert any(line.startswith("       5 row       | 2019 4") for line in lines)
    assert any("4  -> figure t1  col 'Crimes'  row '2019'" in line for line in lines)
    assert any("123, 24 -> metadata: a reference" in line for line in lines)
    assert any(line.lstrip(" |").startswith("!!") and "not read" in line for line in lines)


def test_a_folder_is_refused_in_one_line(tmp_path):
    result = _inspect(tmp_path)
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "name one response file" in result.stderr
