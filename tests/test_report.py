"""fosi report: code-free, self-contained HTML, and a failed run leaves the last good reports."""

from __future__ import annotations

import re

import pytest

from conftest import ROOT, SEED, small_project
from fosi.errors import ParameterError
from fosi.publish.report import ReportError, build_reports


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


def _opened(folder):
    """What a reader opens in a reports folder: every file by its stable name, with its bytes."""
    return {p.name: p.read_bytes() for p in folder.iterdir()
            if p.is_file() and not p.name.startswith(".") and not p.name.endswith(".failed.ipynb")}


def test_failed_run_leaves_previous_reports_untouched(reports, tmp_path):
    before = _opened(reports)
    project = small_project(tmp_path, {"00_fine": ["x = 1"],
                                       "01_fails": ["x = 1", "raise ValueError('the parts do not add up')"]})
    with pytest.raises(ReportError, match=r"notebooks/01_fails.ipynb: code cell 2 failed: ValueError: the parts do "
                                          r"not add up"):
        build_reports(project, reports)
    assert _opened(reports) == before
    assert (reports / "01_fails.failed.ipynb").exists()


def test_a_bad_parameter_value_is_refused_before_any_kernel_starts(tmp_path, monkeypatch):
    from fosi.publish.report import SharedKernel

    def start(self, root):
        raise AssertionError("a kernel was started")

    monkeypatch.setattr(SharedKernel, "start", start)
    with pytest.raises(ParameterError, match="outcome '99' is not a Home Office outcome type"):
        build_reports(ROOT, tmp_path, parameters={"outcome": "99"})
    with pytest.raises(ParameterError, match="period_policy must be one of any, same"):
        build_reports(ROOT, tmp_path, parameters={"period_policy": "sometimes"})
    assert not (tmp_path / "current").exists()


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
    # The index names the source as a reader of the published folder can find it, never by this machine's path.
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert f"data/raw/{SEED.name}" in index and str(ROOT) not in index


def test_index_and_provenance(reports):
    index = (reports / "index.html").read_text(encoding="utf-8")
    assert 'href="01_outcome_rates.html"' in index and 'href="01_outcome_rates.ipynb"' in index
    # The one-line summary: the force, the period, and the key figure (seed lines 3, 5 and 12-18) for the
    # indecent-images group alone (86/2, 86/10: 148 of 606), never mixed with 8/71 (149 of 685).
    assert "Hertfordshire; 1 January 2016 to 31 January 2018; Hertfordshire, indecent images of children " \
           "offences: 148 of 606 crimes closed with Outcome 21 (24.4%;" in index
    assert "149 of 685" not in index
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
    # An earlier run's per-response reports (its stable name, a link into its generation): a run
    # without --each has none, so the name goes.
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / ".fosi-output").write_text("written by fosi\n")  # fosi's folder: its marker
    (tmp_path / "out" / "responses").symlink_to("current/responses")
    result = subprocess.run(
        [sys.executable, "-m", "fosi", "report", str(SEED), "-o", str(tmp_path / "out"), "-f", str(params),
         "-p", "confidence=0.8"], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert "[2/3] notebooks/01_outcome_rates.ipynb: running" in result.stderr  # progress per notebook
    html = (tmp_path / "out" / "01_outcome_rates.html").read_text(encoding="utf-8")
    assert "9 of the 358" in html and "80% CI" in html  # outcome from the file, confidence from -p
    assert not (tmp_path / "out" / "responses").is_symlink()
    assert "responses/" not in (tmp_path / "out" / "index.html").read_text(encoding="utf-8")


def test_a_failure_in_a_later_notebook_names_its_own_cell(tmp_path):
    # Two kernels: the third notebook runs in a kernel that has run another notebook already, after
    # a reset cell; its failing cell is still its own code cell 2, whatever the kernel counted.
    project = small_project(tmp_path / "project", {"00_a": ["a = 1"], "01_b": ["b = 2"],
                                                   "02_c": ["c = 3", "import math\nmath.sqrt(-c)"]})
    output = tmp_path / "reports"
    with pytest.raises(ReportError, match=r"^notebooks/02_c.ipynb: code cell 2 failed: ValueError: math domain error"):
        build_reports(project, output)
    assert not (output / "02_c.html").exists()
    assert (output / "02_c.failed.ipynb").exists()


def test_export_leaves_the_notebook_and_its_summary_alone():
    # Exports run in threads beside the index's reading of each summary: they must not remove it.
    import nbformat

    from fosi.publish.report import export_html, read_summary
    from fosi.publish.sections import SUMMARY_MIMETYPE

    notebook = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("summary()")
    cell.outputs = [nbformat.v4.new_output("display_data", data={SUMMARY_MIMETYPE: {"title": "Outcome rates"},
                                                                 "text/plain": "shown"})]
    notebook.cells = [cell]
    html = export_html(notebook, "Outcome rates")
    assert "vnd.fosi.summary" not in html
    assert read_summary(notebook) == {"title": "Outcome rates"}


def _fosi(*args, cwd=ROOT, env=None):
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-m", "fosi", *args], capture_output=True, text=True, cwd=cwd, env=env)


def test_source_paths_follow_one_rule_on_the_command_line_and_in_notebooks(tmp_path, monkeypatch):
    from fosi.publish.parameters import check_parameters

    relative = f"data/raw/{SEED.name}"
    monkeypatch.chdir(tmp_path)  # anywhere but the project root
    # A notebook run by itself (JupyterLab, papermill) takes a relative path from the project root.
    assert check_parameters({"sources": relative})["sources"] == [ROOT / relative]
    assert check_parameters({"sources": [relative]})["sources"] == [ROOT / relative]
    # On the command line, in -p and in a -f file: from the current folder, one rule, one message.
    (tmp_path / "params.yml").write_text("sources: [missing.txt]\n")
    expected = (f"fosi report: sources: missing.txt: no such file or folder (relative paths are taken from "
                f"{tmp_path})\n")
    for args in (["missing.txt"], ["-p", "sources=missing.txt"], ["-f", "params.yml"]):
        result = _fosi("report", *args, "-o", str(tmp_path / "out"), cwd=tmp_path)
        assert (result.returncode, result.stderr) == (2, expected), args
    assert not (tmp_path / "out").exists()  # refused before anything was written or started


def test_a_source_with_no_response_files_is_an_error_naming_it(tmp_path):
    from fosi.publish.parameters import check_rates_parameters

    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "README.md").write_text("Responses go here.\n")
    message = f"sources: {empty}: holds no response files"
    with pytest.raises(ParameterError, match=message):  # what the notebooks call first
        check_rates_parameters([str(empty)], "21", 0.95)
    result = _fosi("report", str(empty), "-o", str(tmp_path / "out"))
    assert result.returncode == 2 and result.stderr.startswith(f"fosi report: {message}")


def test_a_quoted_outcome_is_accepted():
    from fosi.publish.parameters import check_outcome

    assert check_outcome('"21"') == check_outcome("'21'") == check_outcome("21") == check_outcome(21) == "21"
    assert check_outcome('"1a"') == "1A"
    with pytest.raises(ParameterError):
        check_outcome('"21')


def test_progress_from_parallel_notebooks_is_one_line_per_event(capfd):
    import threading

    from fosi.publish.report import print_progress

    def report(worker):
        for step in range(300):
            print_progress(f"[{worker}/8] notebooks/0{worker}_x.ipynb: step {step}")

    threads = [threading.Thread(target=report, args=(worker,)) for worker in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    lines = capfd.readouterr().err.splitlines()
    assert len(lines) == 8 * 300
    assert all(re.fullmatch(r"fosi report: \[\d/8\] notebooks/0\d_x\.ipynb: step \d+", line) for line in lines)


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

