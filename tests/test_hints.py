"""Reading hints in a sidecar: tables read as the hint says, never a guess, the file unchanged."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from fosi.errors import InputError
from fosi.readers import read_response

REAL = Path(__file__).parent / "corpus" / "real"


def _figures(response) -> list[tuple]:
    return [(r["row_label"], r["column_group"], r["column_label"], r["count"], r["marker"], r["line"])
            for r in response.records if r["kind"] != "prose"]


def _response(tmp_path: Path, text: str, sidecar: str, name: str = "reply.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    path.with_suffix(".yml").write_text(sidecar, encoding="utf-8")
    return read_response(path)


def test_the_readme_example_reads_the_real_response_as_its_expected_figures(tmp_path):
    # The README's worked example: Avon and Somerset 307-23, its first table stated by a hint.
    path = tmp_path / "avon-and-somerset_307-23.txt"
    shutil.copy(REAL / path.name, path)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    path.with_suffix(".yml").write_text(
        "reading:\n  - table: 19-24\n    corner: Year\n    columns: [FOI Requests received]\n", encoding="utf-8")
    response = read_response(path)
    expected = json.loads((REAL / "expected.json").read_text(encoding="utf-8"))[path.name]
    wanted = sorted((f["keys"][0], f["keys"][1], f["count"], f["line"]) for f in expected["figures"]
                    if 19 <= f["line"] <= 24)
    got = sorted((r["row_label"], r["column_label"], r["count"], r["line"]) for r in response.records
                 if 19 <= r["line"] <= 24)
    assert got == wanted and len(got) == 5
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before  # a hint never changes the file


def test_a_hint_reads_a_table_that_inference_splits_wrongly(tmp_path):
    # "Outcome 2 Outcome 3 Grand Total" over single-spaced rows: the hint names the columns.
    text = ("Outcomes by year\n\nYear Outcome 2 Outcome 3 Grand Total\n2021 249 1072 1321\n2022 5 <5 9\n")
    hint = "reading:\n  - table: 3-5\n    corner: Year\n    columns: [Outcome 2, Outcome 3, Grand Total]\n"
    response = _response(tmp_path, text, hint)
    assert _figures(response) == [
        ("2021", None, "Outcome 2", 249, None, 4), ("2021", None, "Outcome 3", 1072, None, 4),
        ("2021", None, "Grand Total", 1321, None, 4), ("2022", None, "Outcome 2", 5, None, 5),
        ("2022", None, "Outcome 3", None, "<5", 5), ("2022", None, "Grand Total", 9, None, 5),
    ]


def test_a_separator_splits_blank_cells_and_groups_name_spanning_columns(tmp_path):
    text = ("Arrests\n\nArea / 2019 F / 2019 M / 2020 F / 2020 M\nNorth / 3 /  / 7 / 1\n"
            "South / 0 / 2 / * / 4\nA note that is not a row\n")
    hint = ("reading:\n  - table: 3-6\n    separator: ' / '\n    corner: Area\n"
            "    columns: [2019 > Female, 2019 > Male, 2020 > Female, 2020 > Male]\n    skip: [6]\n")
    response = _response(tmp_path, text, hint)
    assert _figures(response) == [
        ("North", "2019", "Female", 3, None, 4), ("North", "2019", "Male", None, "", 4),
        ("North", "2020", "Female", 7, None, 4), ("North", "2020", "Male", 1, None, 4),
        ("South", "2019", "Female", 0, None, 5), ("South", "2019", "Male", 2, None, 5),
        ("South", "2020", "Female", None, "*", 5), ("South", "2020", "Male", 4, None, 5),
    ]


def test_header_lines_split_by_the_separator_name_the_columns(tmp_path):
    text = "Offence\tCrimes\tOutcome 21\nPossession\t12\t4\nTaking\t8\t\n"
    response = _response(tmp_path, text, "reading:\n  - table: 1-3\n    header: 1\n    separator: tab\n")
    assert _figures(response) == [
        ("Possession", None, "Crimes", 12, None, 2), ("Possession", None, "Outcome 21", 4, None, 2),
        ("Taking", None, "Crimes", 8, None, 3), ("Taking", None, "Outcome 21", None, "", 3),
    ]


def test_a_row_the_hint_cannot_split_is_refused_at_its_line(tmp_path):
    text = "Year Arrests Charged\n2019 4 2\n2020 7\n"
    hint = "reading:\n  - table: 1-3\n    corner: Year\n    columns: [Arrests, Charged]\n"
    response = _response(tmp_path, text, hint)
    assert [(r["row_label"], r["count"]) for r in response.records] == [("2019", 4), ("2019", 2)]
    refusals = [f for f in response.findings if f.rule == "table-not-read"]
    assert [f.line for f in refusals] == [3] and "does not print a label and 2 values" in refusals[0].message
    assert "reply.yml" in refusals[0].message


def test_skipped_lines_are_not_read_at_all(tmp_path):
    text = "Call us on 101 or 0800 555 111 about 5 things\n\nYear Crimes\n2019 4\n2020 6\n"
    response = _response(tmp_path, text, "reading:\n  - skip: 1\n")
    assert not [f for f in response.findings if f.rule == "numbers-not-read"]
    assert [r["count"] for r in response.records] == [4, 6]


@pytest.mark.parametrize("sidecar, message", [
    ("reading: 12\n", "must be a list of hints"),
    ("reading:\n  - table: 9-12\n", "names line 12, but the response has 5 lines"),
    ("reading:\n  - table: 3-1\n", "is not a range of lines"),
    ("reading:\n  - table: 1-3\n    rows: 2\n", "unknown key(s) rows"),
    ("reading:\n  - columns: [A]\n", "add 'table: FIRST-LAST'"),
    ("reading:\n  - table: 1-3\n  - table: 3-4\n", "overlap"),
    ("reading:\n  - table: 2-4\n    header: 5\n", "must lie inside the table"),
    ("reading:\n  - table: 1-3\n    skip: 5\n", "lie within its lines 1-3"),
])
def test_bad_hints_name_the_sidecar(tmp_path, sidecar, message):
    with pytest.raises(InputError) as raised:
        _response(tmp_path, "Year Crimes\n2019 4\n2020 6\n2021 1\n2022 0\n", sidecar)
    assert "reply.yml" in str(raised.value) and message in str(raised.value)


def test_hints_are_refused_for_kinds_that_print_their_cells(tmp_path):
    with pytest.raises(InputError, match="reading hints apply to text responses"):
        _response(tmp_path, "Year,Crimes\n2019,4\n", "reading:\n  - table: 1-2\n", name="reply.csv")
