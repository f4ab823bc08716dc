"""A notebook's kernel that dies is started again once; one that dies twice, or never starts, is
one line saying what to do, never a traceback, and never a wait of minutes."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest

from conftest import small_project
from fosi.publish.report import ReportError, SharedKernel, build_reports

# Dies the first time it runs (the marker file is not there yet), then runs to the end.
DIES_ONCE = ["import os, pathlib\nmarker = pathlib.Path(os.environ['FOSI_TEST_MARKER'])\n"
             "if not marker.exists():\n    marker.write_text('died once')\n    os._exit(9)",
             "finished = True"]
DIES_ALWAYS = ["import os\nos._exit(9)"]


def _report(project, *args, env=None):
    return subprocess.run([sys.executable, "-m", "fosi", "report", "-o", str(project / "reports"), *args],
                          capture_output=True, text=True, cwd=project, env=env)


def test_a_kernel_that_dies_is_started_again_once(tmp_path, monkeypatch):
    project = small_project(tmp_path / "project", {"00_dies_once": DIES_ONCE})
    marker = tmp_path / "marker"
    env = {**__import__("os").environ, "FOSI_TEST_MARKER": str(marker), "FOSI_ROOT": str(project)}
    result = _report(project, env=env)
    assert result.returncode == 0, result.stderr
    assert "notebooks/00_dies_once.ipynb: its kernel stopped; running it again in a new kernel" in result.stderr
    assert marker.read_text() == "died once" and (project / "reports" / "00_dies_once.html").is_file()
    assert "Traceback" not in result.stderr


def test_a_kernel_that_dies_twice_is_one_line(tmp_path):
    project = small_project(tmp_path / "project", {"00_dies": DIES_ALWAYS})
    env = {**__import__("os").environ, "FOSI_ROOT": str(project)}
    result = _report(project, "--quiet", env=env)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "fosi report: notebooks/00_dies.ipynb: its kernel stopped twice while it ran (the machine may be short of memory): "
        "close other programs, or run fewer reports at once (without --each), and run again"]
    assert not (project / "reports" / "index.html").exists()


def _kernel_spec(tmp_path, monkeypatch, argv):
    """A 'python3' kernel spec found before any other (JUPYTER_PATH comes first)."""
    spec = tmp_path / "jupyter" / "kernels" / "python3"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({"argv": argv, "display_name": "broken", "language": "python"}))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))


@pytest.mark.parametrize(("argv", "message"), [
    (["/bin/sh", "-c", "exit 3"], "the notebook kernel stopped as it started (exit status 3)"),
    (["/bin/sh", "-c", "sleep 60"], "the notebook kernel did not start within 2 s"),
])
def test_a_kernel_that_cannot_start_fails_soon_in_one_line(tmp_path, monkeypatch, argv, message):
    _kernel_spec(tmp_path, monkeypatch, argv)
    monkeypatch.setattr(SharedKernel, "START_SECONDS", 2)  # 30 s in use
    project = small_project(tmp_path / "project", {"00_fine": ["x = 1"]})
    started = time.monotonic()
    with pytest.raises(ReportError) as raised:
        build_reports(project, project / "reports")
    assert time.monotonic() - started < 20
    assert str(raised.value).startswith(message) and "\n" not in str(raised.value)
    assert "run 'make' again" in str(raised.value)
