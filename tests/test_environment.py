"""environment.yml (conda) names the same packages as pyproject.toml (pip), and the layout holds."""

from __future__ import annotations

import re
import tomllib

import yaml

from conftest import ROOT


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[ ;]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pip_names = {_name(r) for r in project["dependencies"]}
    for extra in project["optional-dependencies"].values():
        pip_names |= {_name(r) for r in extra}
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = [d for d in environment["dependencies"] if isinstance(d, str)]
    conda_names = {_name(d) for d in conda} - {"python", "pip"}
    assert conda_names == pip_names
    pip_section = next(d["pip"] for d in environment["dependencies"] if isinstance(d, dict))
    assert "-e ." in pip_section  # fosi itself, editable, as make builds it


def test_python_version_agrees():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert project["requires-python"] == ">=3.11"
    assert "python=3.11" in environment["dependencies"]


def test_reports_and_venvs_are_git_ignored():
    ignored = (ROOT / ".gitignore").read_text().split()
    for entry in ("reports/", ".venv/", ".venv-lab/"):
        assert entry in ignored


def test_import_fosi_loads_no_heavy_library():
    import subprocess
    import sys

    code = ("import sys, fosi, fosi.readers; heavy = [m for m in ('matplotlib', 'seaborn', 'papermill', 'scipy', "
            "'pandas', 'nbconvert', 'pdfplumber', 'openpyxl', 'lxml', 'docx', 'xlrd', 'odf', 'extract_msg', "
            "'olefile') if m in sys.modules]; print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
