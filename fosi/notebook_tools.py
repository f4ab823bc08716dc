"""Keep committed notebooks clean (GUIDE §6): no run metadata, no outputs except those
nbval compares (cells tagged ``nbval-check-output``), kernelspec and tags kept.

``python -m fosi.notebook_tools store-checked-outputs NOTEBOOK...`` re-runs each notebook
with its default parameters and stores only the checked outputs (``make notebooks``).
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

CHECKED_TAG = "nbval-check-output"
_RUN_KEYS = ("execution", "papermill", "ExecuteTime", "collapsed", "scrolled")


def cell_tags(cell) -> list[str]:
    """A notebook cell's tags (none when it has no metadata)."""
    return list(cell.get("metadata", {}).get("tags", []))


def clean(notebook, keep_outputs_from=None):
    """A copy of ``notebook`` without run metadata, and with outputs only on checked cells.

    ``keep_outputs_from``: an executed copy of the same notebook whose checked outputs to store.
    """
    import copy

    result = copy.deepcopy(notebook)
    result.metadata.pop("papermill", None)
    result.metadata["language_info"] = {"name": "python"}
    executed_cells = None
    if keep_outputs_from is not None:
        executed_cells = [c for c in keep_outputs_from.cells if "injected-parameters" not in cell_tags(c)]
    for index, cell in enumerate(result.cells):
        for key in _RUN_KEYS:
            cell.metadata.pop(key, None)
        if cell.cell_type != "code":
            continue
        if CHECKED_TAG in cell_tags(cell):
            # nbval needs the stored outputs and an execution count (it skips unrun cells).
            if executed_cells is not None:
                cell.outputs = copy.deepcopy(executed_cells[index].outputs)
                cell.execution_count = executed_cells[index].execution_count
        else:
            cell.outputs = []
            cell.execution_count = None
    return result


def problems(notebook) -> list[str]:
    """What makes a committed notebook unclean; empty when it is clean."""
    found = []
    if "papermill" in notebook.metadata:
        found.append("carries papermill run metadata")
    if "kernelspec" not in notebook.metadata:
        found.append("has no kernelspec (papermill needs it)")
    parameters = [c for c in notebook.cells if "parameters" in cell_tags(c)]
    if len(parameters) != 1:
        found.append(f"has {len(parameters)} cells tagged 'parameters' (needs exactly 1)")
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code":
            continue
        if "injected-parameters" in cell_tags(cell):
            found.append(f"cell {index} is papermill's injected parameters")
        if any(key in cell.metadata for key in _RUN_KEYS):
            found.append(f"cell {index} carries run metadata")
        if cell.outputs and CHECKED_TAG not in cell_tags(cell):
            found.append(f"cell {index} has outputs but is not checked by nbval")
        if any(o.get("output_type") == "error" for o in cell.outputs):
            found.append(f"cell {index} has an error output")
    return found


def store_checked_outputs(paths: Sequence[str]) -> None:
    import nbformat

    from fosi.paths import project_root
    from fosi.report import SharedKernel, run_notebook

    for path in map(Path, paths):
        kernel = SharedKernel()  # a fresh kernel per notebook: the stored outputs are its own
        with tempfile.TemporaryDirectory() as folder:
            executed_path = Path(folder) / path.name
            try:
                executed = run_notebook(path.resolve(), executed_path, {}, project_root(), kernel)
            finally:
                kernel.shutdown()
        original = nbformat.read(path, as_version=4)
        nbformat.write(clean(original, keep_outputs_from=executed), path)
        print(f"{path}: checked outputs stored", file=sys.stderr)


if __name__ == "__main__":
    if len(sys.argv) < 3 or sys.argv[1] != "store-checked-outputs":
        sys.exit("usage: python -m fosi.notebook_tools store-checked-outputs NOTEBOOK...")
    store_checked_outputs(sys.argv[2:])
