"""The notebooks: clean when committed, parameterised for papermill, runnable headlessly."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from conftest import ROOT
from fosi.notebook_tools import CHECKED_TAG, problems
from fosi.report import notebooks

NOTEBOOKS = notebooks(ROOT)
RATES = ROOT / "notebooks" / "01_outcome_rates.ipynb"


def _papermill(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "papermill", *args], capture_output=True, text=True, cwd=cwd)


def test_there_is_a_numbered_rates_notebook():
    assert RATES in NOTEBOOKS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_notebook_is_clean(path):
    assert problems(nbformat.read(path, as_version=4)) == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_parameters_are_typed_and_explained(path):
    notebook = nbformat.read(path, as_version=4)
    cell = next(c for c in notebook.cells if "parameters" in c.metadata.get("tags", []))
    assignments = [line for line in cell.source.splitlines() if line and not line.startswith("#")]
    assert assignments
    for line in assignments:
        assert ":" in line.split("=")[0] and "#" in line, f"untyped or unexplained parameter: {line}"
    help_text = _papermill("--help-notebook", str(path)).stdout
    for line in assignments:
        name = line.split(":")[0].strip()
        comment = line.split("#", 1)[1].strip()
        assert name in help_text and comment[:30] in help_text


def test_stored_rates_output_holds_the_seeds_numbers():
    # What nbval compares against must itself be right: 139 of 358 (seed lines 13 and 27),
    # 38.8% with Wilson 95% interval 33.9%-44.0% (GUIDE §1).
    notebook = nbformat.read(RATES, as_version=4)
    checked = [c for c in notebook.cells if CHECKED_TAG in c.metadata.get("tags", [])]
    assert len(checked) == 1
    text = "".join(o["data"]["text/plain"] for o in checked[0].outputs if "data" in o)
    for needle in ("139", "358", "38.8%", "33.9%–44.0%", "149", "685"):
        assert needle in text


def test_papermill_runs_with_non_default_parameters(tmp_path):
    out = tmp_path / "out.ipynb"
    # Run from another folder: paths still resolve from the project root.
    result = _papermill(str(RATES), str(out), "-p", "outcome", "10", "-p", "confidence", "0.9",
                        "--cwd", str(ROOT / "notebooks"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    text = json.dumps(nbformat.read(out, as_version=4).cells)
    assert "9 of the 358" in text  # seed line 38
    assert "90% CI" in text
    assert "Outcome 10" in text


def test_bad_parameter_stops_with_a_clear_message(tmp_path):
    result = _papermill(str(RATES), str(tmp_path / "out.ipynb"), "-p", "outcome", "99")
    assert result.returncode != 0
    assert "ParameterError: outcome 99 is not a Home Office outcome type" in result.stderr
    assert "params.py" not in result.stderr  # the message, not a traceback through fosi
