"""The seed rendered into .xlsx (openpyxl) and PDF (fpdf2, tests only) reads back to the seed's figures."""

from __future__ import annotations

import re
import zipfile
from collections import Counter

import pytest
from openpyxl import Workbook

from conftest import SEED
from fosi.checks.validate import validate
from fosi.readers import read_response


def _seed_cells(response):
    return Counter((r["row_label"], r["column_label"], r["count"], r["outcome_code"], r["kind"])
                   for r in response.records)


def _seed_lines():
    return SEED.read_text(encoding="utf-8").split("\n")


def test_seed_as_xlsx_reads_back_with_cell_addresses(tmp_path, seed_response):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Response"
    for number, line in enumerate(_seed_lines(), start=1):
        for column, cell in enumerate(line.split("\t"), start=1):
            sheet.cell(number, column, cell)  # numbers stored as text, as many forces send them
    path = tmp_path / "seed.xlsx"
    workbook.save(path)
    response = read_response(path)
    assert _seed_cells(response) == _seed_cells(seed_response)
    total = next(r for r in response.records if r["count"] == 685)
    assert total["location"] == "Response!B19"
    assert response.metadata.value("period_start") == "2016-01-01"
    assert [f for f in validate(response) if f.severity == "error"] == []


def _workbook_with_two_sheets(path, cached_total: int | None):
    workbook = Workbook()
    first = workbook.active
    first.title = "All crimes"
    first["A1"] = "Hampshire Constabulary: crimes recorded 1 April 2019 to 31 March 2020"
    first.merge_cells("A1:C1")  # a title merged across columns
    first.append([])
    first.append(["Offence", "Age group", "Crimes"])
    first.append(["Possession of indecent images", "Under 18", 12])
    first.append([None, "18 and over", 40.0])  # a float that is a whole number
    first.merge_cells("A4:A5")  # the offence label merged down two rows
    first.append(["Total", None, "=SUM(C4:C5)"])
    second = workbook.create_sheet("Outcome 21")
    second.append(["Crimes closed as Outcome 21"])
    second.append([])
    second.append(["Offence", "Age group", "Crimes"])
    second.append(["Possession of indecent images", "Under 18", "9"])
    workbook.save(path)
    if cached_total is not None:  # store a calculated value, as a spreadsheet program does on saving
        with zipfile.ZipFile(path) as archive:
            contents = {name: archive.read(name) for name in archive.namelist()}
        sheet_xml = contents["xl/worksheets/sheet1.xml"].decode()
        sheet_xml = re.sub(r'(<c r="C6"[^>]*>)<f>(.*?)</f><v\s*/>|(<c r="C6"[^>]*>)<f>(.*?)</f>(<v></v>)?',
                           lambda m: f'{m.group(1) or m.group(3)}<f>{m.group(2) or m.group(4)}</f><v>{cached_total}</v>',
                           sheet_xml)
        contents["xl/worksheets/sheet1.xml"] = sheet_xml.encode()
        with zipfile.ZipFile(path, "w") as archive:
            for name, data in contents.items():
                archive.writestr(name, data)


def test_xlsx_merged_cells_sheets_and_cached_formula(tmp_path):
    path = tmp_path / "book.xlsx"
    _workbook_with_two_sheets(path, cached_total=52)
    response = read_response(path)
    cells = Counter((r["row_group"], r["row_label"], r["count"], r["outcome_code"], r["kind"], r["location"])
                    for r in response.records)
    assert cells == Counter({
        ("Possession of indecent images", "Under 18", 12, None, "figure", "All crimes!C4"): 1,
        ("Possession of indecent images", "18 and over", 40, None, "figure", "All crimes!C5"): 1,
        (None, "Total", 52, None, "total", "All crimes!C6"): 1,
        ("Possession of indecent images", "Under 18", 9, "21", "figure", "Outcome 21!C4"): 1,
    })
    assert response.metadata.value("force") == "Hampshire"
    assert not [f for f in validate(response) if f.rule == "formula-not-calculated"]


def test_xlsx_figure_merged_down_is_counted_once(tmp_path):
    # A label merged down names every row it covers; a figure merged down is printed once, so it is
    # one figure, as in a web page's or a Word table's merged cells (it stays on the row it starts on).
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Offence", "Crimes"])
    sheet.append(["Possession", 5])
    sheet.append(["Other", None])
    sheet.merge_cells("B2:B3")
    path = tmp_path / "merged.xlsx"
    workbook.save(path)
    records = [(r["row_label"], r["count"]) for r in read_response(path).records]
    assert records == [("Possession", 5)]  # never ("Other", 5) as well


def test_xlsx_formula_without_a_cached_value_is_reported(tmp_path):
    path = tmp_path / "book.xlsx"
    _workbook_with_two_sheets(path, cached_total=None)
    findings = [f for f in validate(read_response(path)) if f.rule == "formula-not-calculated"]
    assert [(f.location, f.severity) for f in findings] == [("All crimes!C6", "warning")]


def _pdf(tmp_path, ruled: bool):
    fpdf = pytest.importorskip("fpdf")
    pdf = fpdf.FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    for line in _seed_lines():
        if "\t" in line and not ruled:
            label, value = line.split("\t")
            pdf.cell(120, 6, label)
            pdf.cell(30, 6, value, new_x="LMARGIN", new_y="NEXT")
        elif "\t" in line and ruled:
            continue
        elif line.startswith("Unfortunately"):
            pdf.multi_cell(0, 5, line.encode("latin-1", "replace").decode("latin-1"), new_x="LMARGIN", new_y="NEXT")
        elif not line.startswith("["):
            pdf.cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
        if ruled and line.startswith(("Total Crimes", "Further", "Prosecution")):
            pass
    path = tmp_path / ("ruled.pdf" if ruled else "letter.pdf")
    pdf.output(str(path))
    return path


def test_seed_as_unruled_pdf_reads_back(tmp_path, seed_response):
    response = read_response(_pdf(tmp_path, ruled=False))
    assert _seed_cells(response) == _seed_cells(seed_response)
    assert next(r for r in response.records if r["count"] == 685)["location"].startswith("p1 l")
    assert response.metadata.value("period_end") == "2018-01-31"


def test_ruled_pdf_table_across_two_pages(tmp_path):
    fpdf = pytest.importorskip("fpdf")
    pdf = fpdf.FPDF()
    pdf.set_font("Helvetica", size=10)
    pdf.add_page()
    pdf.cell(0, 8, "Hertfordshire Constabulary", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 8, "Crimes recorded 1 April 2018 to 31 March 2019", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 8, "Total Crimes - Outcome 21", new_x="LMARGIN", new_y="NEXT")
    rows = [("Offence", "Crimes")] + [(f"Child-Taking Indecent Photo {k:02d}", str(k + 1)) for k in range(60)]
    with pdf.table(col_widths=(120, 40), repeat_headings=1) as table:
        for row in rows:
            table.row(row)
    path = tmp_path / "ruled.pdf"
    pdf.output(str(path))
    response = read_response(path)
    figures = [r for r in response.records if r["kind"] == "figure"]
    assert [r["count"] for r in figures] == list(range(1, 61))
    assert {r["outcome_code"] for r in figures} == {"21"}
    assert {r["location"].split()[0] for r in figures} == {"p1", "p2"}
