"""fosi.xlsx: the built dataset for Excel (figures, findings, rates, manifest, data dictionary)."""

from __future__ import annotations

import json
import shutil

import pytest
from openpyxl import load_workbook

import fosi.build
from conftest import SEED
from fosi.build import build


@pytest.fixture
def built(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copyfile(SEED, raw / SEED.name)
    # A label a spreadsheet would run as a formula, as a force might print it.
    (raw / "evil.txt").write_text("Offence\tTotal\n=HYPERLINK(\"http://example.org\")\t5\n", encoding="utf-8")
    build(raw, tmp_path / "out")
    return tmp_path / "out"


def _rows(sheet):
    rows = list(sheet.iter_rows())
    header = [c.value for c in rows[0]]
    return header, [dict(zip(header, row)) for row in rows[1:]]


def test_the_workbook_has_every_sheet_a_frozen_header_and_sized_columns(built):
    book = load_workbook(built / "fosi.xlsx")
    assert book.sheetnames == ["figures", "findings", "rates", "manifest", "data dictionary"]
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2", sheet.title
        assert all(cell.font.b for cell in sheet[1]), sheet.title
    figures = book["figures"]
    header, _ = _rows(figures)
    label = header.index("row_label") + 1
    from openpyxl.utils import get_column_letter

    # "Child-Make Indecent Photo/Pseudo Photo Of Child" (47 characters) fits its column.
    assert figures.column_dimensions[get_column_letter(label)].width >= 47


def test_counts_are_numbers_a_blank_stays_blank_and_formula_text_stays_text(built):
    book = load_workbook(built / "fosi.xlsx")
    _, rows = _rows(book["figures"])
    seed = [r for r in rows if r["line"].value == 13 and r["source"].value.endswith(SEED.name)]
    assert [(r["count"].value, r["count"].data_type) for r in seed] == [(358, "n")]  # the seed's line 13
    evil = [r for r in rows if r["source"].value.endswith("evil.txt")]
    assert [(r["row_label"].value, r["row_label"].data_type, r["row_label"].quotePrefix) for r in evil] == \
        [('=HYPERLINK("http://example.org")', "s", True)]
    assert all(r["marker"].value is None for r in seed)  # no marker printed: an empty cell, not "nan"
    _, rates = _rows(book["rates"])
    distribute = [r for r in rates if r["row_label"].value == "Child-Distribute Indecent Photo"]
    assert [(r["count"].value, r["base"].value) for r in distribute] == [(139, 358)]  # the seed's lines 13 and 23


def test_the_data_dictionary_describes_every_figure_column_as_the_datapackage_does(built):
    book = load_workbook(built / "fosi.xlsx")
    _, rows = _rows(book["data dictionary"])
    described = {r["column"].value: r["meaning"].value for r in rows if r["sheet"].value == "figures"}
    package = json.loads((built / "datapackage.json").read_text(encoding="utf-8"))
    fields = next(r for r in package["resources"] if r["name"] == "figures")["schema"]["fields"]
    assert described == {f["name"]: f.get("description") for f in fields}


def test_a_dataset_too_large_for_a_quick_workbook_has_only_its_csvs(tmp_path, monkeypatch):
    monkeypatch.setattr(fosi.build, "MAX_FIGURES", 10)  # the seed prints more than 10 figures
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copyfile(SEED, raw / SEED.name)
    build(raw, tmp_path / "out")
    assert (tmp_path / "out" / "figures.csv").exists() and not (tmp_path / "out" / "fosi.xlsx").exists()


def test_control_characters_in_a_file_name_are_written_as_escapes(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copyfile(SEED, raw / "escape\x1b[2J.txt")
    build(raw, tmp_path / "out")
    _, rows = _rows(load_workbook(tmp_path / "out" / "fosi.xlsx")["manifest"])
    assert [r["file"].value for r in rows] == [str(raw / "escape\\x1b[2J.txt")]
