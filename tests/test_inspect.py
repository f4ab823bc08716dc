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


def test_a_folder_with_no_response_is_refused_in_one_line(tmp_path):
    result = _inspect(tmp_path)
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "holds no response files" in result.stderr


def test_a_folder_is_inspected_file_by_file_and_a_bad_file_does_not_stop_the_others(tmp_path):
    (tmp_path / "a.txt").write_text("Crimes by year\nYear\tCrimes\n2019\t4\n2020\t6\n", encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(b"")  # empty: cannot be read
    (tmp_path / "c.txt").write_text("Arrests\nYear\tArrests\n2021\t9\n", encoding="utf-8")
    result = _inspect(tmp_path)
    assert result.returncode == 2  # unreadable input, as for one file; the others are still shown
    assert f"== {tmp_path / 'a.txt'}" in result.stdout and f"== {tmp_path / 'c.txt'}" in result.stdout
    assert "9  -> figure t1" in result.stdout
    assert f"fosi inspect: {tmp_path / 'b.txt'}: " in result.stderr
    assert result.stderr.splitlines()[-1] == "fosi inspect: 3 responses: 2 read, 1 could not be read"


def test_a_long_message_is_wrapped_not_cut(tmp_path):
    # A row with one value under a table of two columns: the message says so in full.
    path = tmp_path / "reply.txt"
    path.write_text("Vehicles recorded by year\nYear Vehicles recorded section 59 Number that were e-scooters\n"
                    "2018/19 4 0\n2019/20 4 0\n2020/21 43\n2021/22 5 1\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "fosi", "inspect", str(path), "-o", str(tmp_path / "out.txt")],
                            capture_output=True, text=True, cwd=ROOT)
    text = (tmp_path / "out.txt").read_text(encoding="utf-8")
    assert "…" not in text
    assert all(len(line) <= 100 for line in text.splitlines())
    flowed = " ".join(line.split("|", 1)[1].strip() for line in text.splitlines() if "|" in line)
    assert "this row has 1 values but the table has 2 columns" in flowed, (result.stderr, text)
