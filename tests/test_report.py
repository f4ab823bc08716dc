"""fosi report: code-free, self-contained HTML, and a failed run leaves the last good reports."""

from __future__ import annotations

import re

import pytest

from conftest import ROOT, SEED
from fosi.errors import ParameterError
from fosi.report import ReportError, build_reports


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    output = tmp_path_factory.mktemp("reports")
    build_reports(ROOT, output, each=True)
    return output


def test_report_shows_the_seeds_key_figures(reports):
    html = (reports / "01_outcome_rates.html").read_text(encoding="utf-8")
    assert "139 of the 358" in html
    assert "38.8%" in html and "33.9%–44.0%" in html
    assert (reports / "01_outcome_rates.ipynb").exists()


def test_report_has_no_code_and_loads_nothing_from_a_network(reports):
    html = (reports / "01_outcome_rates.html").read_text(encoding="utf-8")
    assert "import fosi" not in html and "check_rates_parameters" not in html
    assert not re.search(r"""<script[^>]+src=|<link[^>]+href=["']https?:""", html)
    assert "data:image/svg+xml;base64," in html


def test_failed_run_leaves_previous_reports_untouched(reports):
    before = {p.relative_to(reports): p.read_bytes() for p in reports.rglob("*") if p.is_file()}
    # The parameters and setup are code cells 1 and 2 of notebooks/00_check_responses.ipynb.
    with pytest.raises(ReportError, match=r"00_check_responses.ipynb: code cell 2 failed: ParameterError: outcome '99'"):
        build_reports(ROOT, reports, parameters={"outcome": "99"})
    after = {p.relative_to(reports): p.read_bytes() for p in reports.rglob("*")
             if p.is_file() and not p.name.endswith(".failed.ipynb")}
    assert after == before
    assert (reports / "00_check_responses.failed.ipynb").exists()


def test_unknown_parameter_is_refused_before_running(tmp_path):
    with pytest.raises(ParameterError, match="no notebook takes the parameter"):
        build_reports(ROOT, tmp_path, parameters={"colour": "red"})


def test_cli_report_with_a_path_and_parameter(tmp_path):
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "fosi", "report", str(SEED), "-o", str(tmp_path), "-p", "outcome=10", "--quiet",
         "--each"],
        capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "" and result.stderr == ""
    html = (tmp_path / "01_outcome_rates.html").read_text(encoding="utf-8")
    assert "9 of the 358" in html
    own = (tmp_path / "responses" / "hertfordshire_iioc-outcomes_2016-01_2018-01.html").read_text(encoding="utf-8")
    assert "9 of the 358" in own and "Outcome 10 rates by offence: Hertfordshire" in own  # -p applies to each


def test_index_and_provenance(reports):
    index = (reports / "index.html").read_text(encoding="utf-8")
    assert 'href="01_outcome_rates.html"' in index and 'href="01_outcome_rates.ipynb"' in index
    # The one-line summary: the force, the period, and the key figure (seed lines 3, 5, 19 and 31),
    # named for the offences it mixes (seed lines 12-18: 86/10, 86/2 and 8/71).
    assert "Hertfordshire; 1 January 2016 to 31 January 2018; Hertfordshire, all offences listed, mixed groups " \
           "(86/2, 86/10, 8/71): 149 of 685 crimes closed with Outcome 21 (21.8%; 95% CI 18.8%–25.0%)" in index
    assert "<script" not in index
    html = (reports / "01_outcome_rates.html").read_text(encoding="utf-8")
    provenance = html[html.index('id="Provenance"'):]
    assert "16a48a2cb30bb98b13930b8056d7f72675590db87c0337a753d73ad7b6594245" in provenance
    assert "fosi version:" in provenance and "run:" in provenance and "outcome:" in provenance
    assert html.index('id="Provenance"') > html.index('id="Method"')  # the report closes with it


def test_cli_report_parameters_file_and_override(tmp_path):
    import subprocess
    import sys

    params = tmp_path / "params.yml"
    params.write_text("outcome: '10'\nconfidence: 0.9\n")
    # An earlier run's per-response reports: a run without --each no longer lists them, so removes them.
    (tmp_path / "out" / "responses").mkdir(parents=True)
    (tmp_path / "out" / "responses" / "old.html").write_text("an earlier run's report")
    result = subprocess.run(
        [sys.executable, "-m", "fosi", "report", str(SEED), "-o", str(tmp_path / "out"), "-f", str(params),
         "-p", "confidence=0.8"], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert "[2/3] notebooks/01_outcome_rates.ipynb: running" in result.stderr  # progress per notebook
    html = (tmp_path / "out" / "01_outcome_rates.html").read_text(encoding="utf-8")
    assert "9 of the 358" in html and "80% CI" in html  # outcome from the file, confidence from -p
    assert not (tmp_path / "out" / "responses").exists()
    assert "responses/" not in (tmp_path / "out" / "index.html").read_text(encoding="utf-8")


def test_a_failure_in_a_later_notebook_names_its_own_cell(tmp_path):
    # 00 and 01 run first in the same kernel; 02's check is its own code cell 2, whatever the kernel counted.
    with pytest.raises(ReportError, match=r"^notebooks/02_compare_forces.ipynb: code cell 2 failed: ParameterError: "
                                          r"period_policy must be one of any, same"):
        build_reports(ROOT, tmp_path, parameters={"period_policy": "sometimes"})
    assert not (tmp_path / "02_compare_forces.html").exists()
    assert (tmp_path / "02_compare_forces.failed.ipynb").exists()


def test_export_leaves_the_notebook_and_its_summary_alone():
    # Exports run in threads beside the index's reading of each summary: they must not remove it.
    import nbformat

    from fosi.presentation import SUMMARY_MIMETYPE
    from fosi.report import export_html, read_summary

    notebook = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("summary()")
    cell.outputs = [nbformat.v4.new_output("display_data", data={SUMMARY_MIMETYPE: {"title": "Outcome rates"},
                                                                 "text/plain": "shown"})]
    notebook.cells = [cell]
    html = export_html(notebook, "Outcome rates")
    assert "vnd.fosi.summary" not in html
    assert read_summary(notebook) == {"title": "Outcome rates"}


def test_each_response_has_its_own_report_listed_in_the_index_with_the_dataset(reports):
    # --each: the rates notebook once more for the seed alone, in responses/, linked from the index by
    # force and period (seed lines 3 and 5), with a way back; the dataset's files beside the reports.
    own = reports / "responses" / "hertfordshire_iioc-outcomes_2016-01_2018-01.html"
    page = own.read_text(encoding="utf-8")
    assert "Outcome 21 rates by offence: Hertfordshire, 1 January 2016 to 31 January 2018" in page
    assert 'href="../index.html"' in page and "139 of the 358" in page
    index = (reports / "index.html").read_text(encoding="utf-8")
    row = index[index.index("Reports for each response"):]
    assert ">Hertfordshire</th><td class=\"text\">1 January 2016 to 31 January 2018</td>" in row
    assert 'href="responses/hertfordshire_iioc-outcomes_2016-01_2018-01.html"' in row
    figures = (reports / "data" / "figures.csv").read_text(encoding="utf-8")
    assert "Child-Distribute Indecent Photo" in figures and 'href="data/figures.csv"' in index
    assert (reports / "data" / "datapackage.json").exists()

