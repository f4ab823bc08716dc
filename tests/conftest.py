"""Shared paths and helpers for the tests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
CORPUS = ROOT / "tests" / "corpus"
SEED = ROOT / "data" / "raw" / "hertfordshire_iioc-outcomes_2016-01_2018-01.txt"
SEED_KEY = "../seeds/000_c169afbff6e176f3.txt"  # the seed's name in corpus/expected.json


@pytest.fixture(scope="session")
def expected() -> dict:
    return json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def seed_response():
    from fosi.readers import read_response

    return read_response(SEED)


def small_project(folder: Path, notebooks: dict[str, list[str]]) -> Path:
    """A fosi project of its own (pyproject.toml, notebooks/, data/raw/ with the seed) whose
    notebooks are small: NAME -> the source of each code cell (a cell starting "# parameters" is
    tagged as papermill's parameters cell). Report runs on it take seconds."""
    import shutil

    import nbformat

    (folder / "notebooks").mkdir(parents=True)
    (folder / "pyproject.toml").write_text("[project]\nname = 'a-small-fosi-project'\n")
    (folder / "data" / "raw").mkdir(parents=True)
    shutil.copyfile(SEED, folder / "data" / "raw" / SEED.name)
    for name, cells in notebooks.items():
        notebook = nbformat.v4.new_notebook(cells=[
            nbformat.v4.new_code_cell(source, metadata={"tags": ["parameters"]} if source.startswith("# parameters")
                                      else {}) for source in cells])
        notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nbformat.write(notebook, folder / "notebooks" / f"{name}.ipynb")
    return folder
