"""One way to name responses (a file, a folder, a str or Path, or a list of them) and one rule for
corrections, the same in every command, in fosi.load and in the reports: a corrected figure is
the same figure everywhere, and a response that cannot be read is named everywhere."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import fosi
from conftest import ROOT, SEED
from fosi.errors import InputError, ParameterError
from fosi.readers import resolve_sources

HEADER = "file,location,printed_value,corrected_value,reason,reviewed_by,reviewed_on\n"
# The seed prints "Child-Distribute Indecent Photo<TAB>358" on line 13 (all crimes of that offence).
CORRECTION = f"{SEED.name},13,358,357,Force confirmed one crime was recorded twice,A. Analyst,2024-05-01\n"


def _fosi(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "fosi", *args], capture_output=True, text=True, cwd=cwd)


@pytest.fixture
def replies(tmp_path) -> Path:
    """~/foi/replies with the seed, and ~/foi/corrections.csv beside the folder."""
    folder = tmp_path / "foi" / "replies"
    folder.mkdir(parents=True)
    shutil.copyfile(SEED, folder / SEED.name)
    (tmp_path / "foi" / "corrections.csv").write_text(HEADER + CORRECTION, encoding="utf-8")
    return folder


def _distribute(figures: pd.DataFrame) -> list:
    line = figures[(figures["line"] == 13)]
    return line["count"].tolist()


def test_load_takes_a_file_a_folder_a_str_a_path_or_a_list(replies, monkeypatch):
    seed = replies / SEED.name
    monkeypatch.chdir(replies.parent)
    for sources in ("replies", Path("replies"), str(replies), replies, ["replies"], [seed], (seed,),
                    f"replies/{SEED.name}"):
        assert fosi.load(sources).manifest["file"].tolist() == [str(seed)], sources
    monkeypatch.setenv("HOME", str(replies.parent))
    assert resolve_sources("~/replies") == [replies]
    assert resolve_sources('["replies"]') == [replies]  # papermill's -p sources '["replies"]'


def test_a_source_that_does_not_exist_or_holds_nothing_is_one_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InputError, match=rf"^missing: no such file or folder \(relative paths are taken from "
                                         rf"{tmp_path}\)$"):
        fosi.load("missing")
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="empty: holds no response files"):
        fosi.load(["empty"])
    with pytest.raises(InputError, match="name at least one response file or folder"):
        fosi.load([])


def test_dir_and_all_list_the_public_api():
    for name in ("load", "outcome_rates", "compare_forces", "read_response", "validate", "validate_all"):
        assert name in fosi.__all__ and name in dir(fosi)
        assert callable(getattr(fosi, name))


def test_a_corrected_figure_is_the_same_in_every_command_in_python_and_in_the_report(replies, tmp_path):
    # Beside the folder: a response that cannot be read, so every summary names it.
    (replies / "empty.txt").write_bytes(b"")
    parse = _fosi("parse", str(replies), cwd=tmp_path)
    assert parse.returncode == 2  # one response could not be read; the other was still written
    figures = pd.read_csv(pd.io.common.StringIO(parse.stdout), dtype={"location": str})
    assert _distribute(figures) == [357]
    assert parse.stderr.splitlines()[-1] == "fosi parse: 2 responses: 1 read, 1 could not be read; " \
                                            "1 error finding"
    assert f"{replies / 'empty.txt'}: " in parse.stderr

    rates = json.loads(_fosi("rates", str(replies), "--format", "json", cwd=tmp_path).stdout)
    assert [r["base"] for r in rates if r["row_label"] == "Child-Distribute Indecent Photo"] == [357]

    assert _distribute(fosi.load(replies).figures) == [357]

    out = tmp_path / "built"
    build = _fosi("build", str(replies), "-o", str(out), cwd=tmp_path)
    assert build.returncode == 1
    assert "2 responses: 1 read, 1 could not be read; 1 error finding" in build.stderr
    assert _distribute(pd.read_csv(out / "figures.csv")) == [357]

    reports = tmp_path / "reports"
    report = _fosi("report", str(replies), "-o", str(reports), "--quiet", cwd=tmp_path)
    assert report.returncode == 1, report.stderr
    lines = report.stderr.splitlines()
    assert lines[-1] == "fosi report: 2 responses: 1 read, 1 could not be read; 1 error finding"
    assert any(line.startswith(f"fosi report: could not read {replies / 'empty.txt'}: ") for line in lines)
    assert _distribute(pd.read_csv(reports / "data" / "figures.csv")) == [357]


def test_corrections_come_only_from_beside_a_folder_named_or_from_the_file_named(replies, tmp_path):
    # A folder inside ~/foi/replies is not ~/foi/replies: ~/foi/corrections.csv is not beside it.
    inner = replies / "inner"
    inner.mkdir()
    shutil.move(replies / SEED.name, inner / SEED.name)
    assert _distribute(fosi.load(inner).figures) == [358]
    assert _distribute(fosi.load(replies).figures) == [357]  # the file's path ends with the one named
    named = tmp_path / "fixes.csv"
    named.write_text(HEADER + CORRECTION.replace(",357,", ",356,"), encoding="utf-8")
    assert _distribute(fosi.load(inner, corrections=named).figures) == [356]
    parse = _fosi("parse", str(inner), "--corrections", str(named))
    assert _distribute(pd.read_csv(pd.io.common.StringIO(parse.stdout))) == [356]


def test_every_interval_method_of_rates_is_a_report_parameter():
    from fosi.analysis.rates import CI_METHODS
    from fosi.cli import INTERVAL_METHODS
    from fosi.publish.parameters import check_parameters, notebook_parameters

    assert INTERVAL_METHODS == CI_METHODS
    for method in CI_METHODS:
        assert check_parameters({"method": method}) == {"method": method}
    with pytest.raises(ParameterError, match="method must be one of wilson, exact"):
        check_parameters({"method": "bayes"})
    declared = {p["name"]: p for p in notebook_parameters(ROOT)}
    assert declared["method"]["notebooks"] == "01, 02" and declared["offences"]["default"] == "[]"


def test_report_help_lists_every_notebook_parameter_with_its_type_and_default():
    import nbformat
    import papermill

    result = _fosi("report", "--help")
    assert result.returncode == 0
    for book in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        nbformat.read(book, as_version=4)
        for name, declared in papermill.inspect_notebook(str(book)).items():
            assert f"  {name} ({declared['inferred_type_name']}, default {declared['default']};" in result.stdout


def test_the_former_name_offence_codes_is_accepted_with_a_note():
    from fosi.publish.parameters import check_rates_parameters, renamed

    with pytest.warns(FutureWarning, match="offence_codes is now called offences"):
        run = check_rates_parameters([str(SEED)], "21", 0.95, offence_codes=["86/2"])
    assert run.offences == ["86/2"]
    assert renamed({"offence_codes": ["86/2"]}) == ({"offences": ["86/2"]}, [
        "the parameter offence_codes is now called offences; offence_codes is still accepted in this release, "
        "but will not be in the next"])
    with pytest.raises(ParameterError, match="not both"):
        renamed({"offence_codes": ["86/2"], "offences": ["86/10"]})


def test_rates_text_fits_100_columns_and_says_why_when_there_is_none(replies, tmp_path):
    result = _fosi("rates", str(replies / SEED.name), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines and all(len(line) <= 100 for line in lines)
    # The seed's line 13 (corrected beside the folder to 357) and its Outcome 21 count, line 23.
    distribute = next(i for i, line in enumerate(lines) if line.startswith("Child-Distribute"))
    assert lines[distribute].split()[2:4] == ["139", "357"] and "Force" not in lines[0]
    assert "Empty DataFrame" not in result.stdout
    none = _fosi("rates", str(replies / SEED.name), "--outcome", "1", cwd=tmp_path)
    assert none.stdout == "no rates: no response read prints a table for outcome 1 for offences 86/2, 86/10, 86/15\n"


def test_validate_and_rates_read_the_rest_of_a_folder_when_one_file_cannot_be_read(replies, tmp_path):
    (replies / "scan.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 32)
    validate = _fosi("validate", str(replies), cwd=tmp_path)
    assert validate.returncode == 2  # unreadable input; the seed was still checked
    assert validate.stdout.splitlines()[-1].startswith("2 responses: 1 read, 1 could not be read; ")
    assert f"{replies / 'scan.png'}: " in validate.stderr
    rates = _fosi("rates", str(replies), "--format", "csv", cwd=tmp_path)
    assert rates.returncode == 2 and "Child-Distribute Indecent Photo" in rates.stdout
    # The correction beside the folder leaves line 13 short of the printed total: 1 error finding.
    assert rates.stderr.splitlines()[-1] == "fosi rates: 2 responses: 1 read, 1 could not be read; 1 error finding"


def test_report_takes_method_exact_and_offences_by_their_one_name(tmp_path):
    out = tmp_path / "out"
    result = _fosi("report", str(SEED), "-o", str(out), "-p", "method=exact", "-p", "offences=[86/*]", "--quiet")
    assert result.returncode == 0, result.stderr
    html = (out / "01_outcome_rates.html").read_text(encoding="utf-8")
    assert "Clopper" in html and "Wilson" not in html.split("Method")[0]
    # The seed's 86/* offences: 148 of 606 crimes closed with Outcome 21 (README, Method).
    assert "148" in html and "606" in html
