"""The catalogue of bad input: each gets one line naming the file (and line), exit 2, no traceback."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import SEED


def _run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "fosi", *args], capture_output=True, text=True, cwd=cwd)


def _seed_text():
    return SEED.read_text(encoding="utf-8")


CASES = {
    "empty.txt": (b"", "empty.txt: is empty"),
    "blank.txt": (b"  \n\n\t\n", "blank.txt: is empty"),
    "binary.txt": (bytes(range(256)) * 8, "binary.txt: is a binary file"),
    "undecodable.txt": (b"Kent Police\nOffence\tTotal\nPossession\x81\t4\n", "undecodable.txt:3: cannot decode byte 0x81"),
    "letter.pdf": (_seed_text().encode(), "letter.pdf: holds a text file but is named '.pdf'"),
    "sheet.xlsx": (b"%PDF-1.4\n%%EOF\n", "sheet.xlsx: holds a PDF file but is named '.xlsx'"),
    "broken.xlsx": (b"PK\x03\x04not really a zip", "broken.xlsx: is not a readable .xlsx workbook"),
    "broken.pdf": (b"%PDF-1.4\nnot really a pdf", "broken.pdf: is not a readable PDF"),
    "notes.pages": (b"anything", "notes.pages: unknown kind of response file '.pages'"),
    "notes.docx": (b"anything", "notes.docx: holds a text file but is named '.docx'"),
}

# A table that cannot be read exactly is not a reason to refuse the whole file: the rest is read,
# and what was not read is named at its line (exit 1, one line each, no traceback).
TABLE_CASES = {
    "ragged.txt": (b"Kent Police\nOffence\tTotal\nPossession\t4\nTaking\t3\t9\n",
                   "ragged.txt:4: error table-not-read: a table here was not read: this row has 2 cells of values",
                   [("Possession", "Total", "4")]),
    "truncated.txt": (b"Kent Police\n\nOffence\tTotal\n",
                      "truncated.txt:3: warning table-truncated: the text ends under this header", []),
    "cut_mid_row.txt": (b"Kent Police\nOffence\tTotal\nPossession\t4\nTaking\t13",
                        "cut_mid_row.txt:4: warning table-truncated: the text ends inside table 1",
                        [("Possession", "Total", "4")]),
}


@pytest.mark.parametrize("name", list(TABLE_CASES))
def test_a_table_that_cannot_be_read_is_named_at_its_line_and_the_rest_is_read(name, tmp_path):
    import csv
    import io

    data, message, figures = TABLE_CASES[name]
    path = tmp_path / name
    path.write_bytes(data)
    result = _run("parse", str(path))
    assert result.returncode == 1, result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["row_label"], r["column_label"], r["count"]) for r in rows] == figures


def test_a_list_with_no_header_is_read_with_no_column_name(tmp_path):
    import csv
    import io

    path = tmp_path / "list.txt"
    path.write_bytes(b"Kent Police\n\nPossession\t4\nTaking\t3\n")
    result = _run("parse", str(path))
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["row_label"], r["column_label"], r["count"]) for r in rows] == [("Possession", "", "4"), ("Taking", "", "3")]


@pytest.mark.parametrize("name", list(CASES))
def test_bad_file_gets_one_line_exit_2(name, tmp_path):
    data, message = CASES[name]
    path = tmp_path / name
    path.write_bytes(data)
    result = _run("parse", str(path))
    assert result.returncode == 2, result.stderr
    assert message in result.stderr
    assert str(tmp_path) in result.stderr  # the file is named in full
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_50_mb_file_is_refused_quickly(tmp_path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    result = _run("validate", str(path))
    assert result.returncode == 2
    assert "huge.txt: is 50 MB; a response is at most 20 MB" in result.stderr
