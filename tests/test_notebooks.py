"""The notebooks: clean when committed, parameterised for papermill, runnable headlessly."""

from __future__ import annotations

import copy
import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest

from conftest import ROOT
from fosi.publish.notebooks import CHECKED_TAG, problems
from fosi.publish.report import notebooks

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
    # '"10"': a quoted outcome, as a shell user keeps it a string (papermill passes the quotes on).
    result = _papermill(str(RATES), str(out), "-p", "outcome", '"10"', "-p", "confidence", "0.9",
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


def _lab_session(notebook):
    """The notebook as JupyterLab holds it after a user ran it: outputs on every code cell, run
    metadata, and the kernel the user happened to pick."""
    session = copy.deepcopy(notebook)
    for cell in session.cells:
        if cell.cell_type == "code":
            cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="from a Lab session\n")]
            cell.execution_count = 7
            cell.metadata["execution"] = {"iopub.status.busy": "2024-05-01T10:00:00Z"}
    session.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return session


def _project_copy(folder):
    (folder / "notebooks").mkdir(parents=True)
    shutil.copyfile(ROOT / "pyproject.toml", folder / "pyproject.toml")
    shutil.copyfile(RATES, folder / "notebooks" / RATES.name)
    return folder


def test_the_pre_save_hook_keeps_only_the_checked_outputs_stored(tmp_path):
    from fosi.publish.notebooks import pre_save_hook

    project = _project_copy(tmp_path / "project")
    committed = nbformat.read(RATES, as_version=4)
    model = {"type": "notebook", "format": "json", "content": json.loads(nbformat.writes(_lab_session(committed)))}
    manager = SimpleNamespace(root_dir=str(project))
    pre_save_hook(model=model, path=f"notebooks/{RATES.name}", contents_manager=manager)
    saved = nbformat.from_dict(model["content"])
    assert problems(saved) == []
    assert nbformat.writes(saved) == nbformat.writes(committed)  # exactly what was committed
    # A notebook of one's own is saved as it is.
    scratch = {"type": "notebook", "format": "json", "content": json.loads(nbformat.writes(_lab_session(committed)))}
    pre_save_hook(model=scratch, path="notebooks/scratch.ipynb", contents_manager=manager)
    assert scratch["content"]["cells"][2]["outputs"]


LAB = ROOT / ".venv-lab"


@pytest.mark.skipif(not (LAB / "etc" / "jupyter" / "jupyter_server_config.json").exists(),
                    reason="make lab has not built .venv-lab/ (JupyterLab is kept out of .venv/ on purpose)")
def test_a_save_through_jupyter_lab_s_server_leaves_the_notebook_clean(tmp_path):
    project = _project_copy(tmp_path / "project")
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    server = subprocess.Popen([str(LAB / "bin" / "jupyter"), "server", "--no-browser", f"--port={port}",
                               "--ServerApp.ip=127.0.0.1", "--ServerApp.token=fosi-test", "--allow-root",
                               f"--ServerApp.root_dir={project}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/api/contents/notebooks/{RATES.name}"
    headers = {"Authorization": "token fosi-test", "Content-Type": "application/json"}
    try:
        for _ in range(300):
            try:
                with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=5) as answer:
                    model = json.load(answer)
                break
            except OSError:
                time.sleep(0.1)
        session = _lab_session(nbformat.from_dict(model["content"]))
        body = json.dumps({"type": "notebook", "format": "json", "content": session}).encode()
        with urllib.request.urlopen(urllib.request.Request(url, data=body, method="PUT", headers=headers)) as saved:
            assert saved.status == 200
    finally:
        server.terminate()
        server.wait(timeout=20)
    on_disk = nbformat.read(project / "notebooks" / RATES.name, as_version=4)
    assert problems(on_disk) == []
    assert (project / "notebooks" / RATES.name).read_bytes() == RATES.read_bytes()


def test_the_kernel_spec_and_the_lab_configuration(tmp_path):
    from fosi.publish.notebooks import HOOK, configure_lab

    config = tmp_path / "etc" / "jupyter" / "jupyter_server_config.json"
    config.parent.mkdir(parents=True)
    config.write_text(json.dumps({"ServerApp": {"open_browser": False}}))
    configure_lab(str(tmp_path))
    assert json.loads(config.read_text()) == {"ServerApp": {"open_browser": False},
                                              "ContentsManager": {"pre_save_hook": HOOK}}
    spec = json.loads((tmp_path / "share" / "jupyter" / "kernels" / "fosi" / "kernel.json").read_text())
    assert spec["argv"][0] == sys.executable and spec["display_name"] == "Python (fosi)"
    for path in NOTEBOOKS:  # the notebooks name that kernel, so JupyterLab and papermill pick it
        assert nbformat.read(path, as_version=4).metadata.kernelspec.name == "fosi"
