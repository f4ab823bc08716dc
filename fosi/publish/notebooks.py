"""Keep committed notebooks clean (GUIDE §6): no run metadata, no outputs except those
nbval compares (cells tagged ``nbval-check-output``), kernelspec and tags kept.

``python -m fosi.publish.notebooks store-checked-outputs NOTEBOOK...`` re-runs each notebook
with its default parameters and stores only the checked outputs (``make notebooks``).
``python -m fosi.publish.notebooks install-kernel`` installs the ``fosi`` kernel spec into the
running environment; ``configure-lab`` does that too and configures its Jupyter server's
pre-save hook (``make lab``): a committed notebook saved in JupyterLab is saved clean.
"""

from __future__ import annotations

import json
import sys
import tempfile
from collections.abc import Sequence
from fnmatch import fnmatch
from pathlib import Path

from fosi.publish.report import cell_tags

CHECKED_TAG = "nbval-check-output"
_RUN_KEYS = ("execution", "papermill", "ExecuteTime", "collapsed", "scrolled")
# The kernel the committed notebooks name: fosi's environment, wherever JupyterLab runs.
KERNEL_NAME = "fosi"
KERNEL_DISPLAY_NAME = "Python (fosi)"
HOOK = "fosi.publish.notebooks.pre_save_hook"


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
    elif notebook.metadata.kernelspec.get("name") != KERNEL_NAME:
        found.append(f"names the kernel {notebook.metadata.kernelspec.get('name')!r}, not {KERNEL_NAME!r}")
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
    from fosi.publish.report import SharedKernel, run_notebook

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


def with_stored_outputs(notebook, stored):
    """``notebook`` cleaned (``clean``), with each checked cell's outputs and the kernelspec as the
    stored copy has them: what a Lab session computed never replaces what nbval compares."""
    import copy

    result = clean(notebook)
    checked = [c for c in (stored.cells if stored is not None else []) if CHECKED_TAG in cell_tags(c)]
    by_id = {c.get("id"): c for c in checked if c.get("id")}
    by_source = {c.source: c for c in checked}
    for cell in result.cells:
        if cell.cell_type == "code" and CHECKED_TAG in cell_tags(cell):
            match = by_id.get(cell.get("id")) or by_source.get(cell.source)
            cell.outputs = copy.deepcopy(match.outputs) if match is not None else []
            cell.execution_count = match.execution_count if match is not None else None
    if stored is not None and "kernelspec" in stored.metadata:
        result.metadata["kernelspec"] = copy.deepcopy(stored.metadata["kernelspec"])
    return result


def is_committed_notebook(path: Path) -> bool:
    """Is this one of a project's numbered notebooks (notebooks/NN_*.ipynb beside pyproject.toml)?"""
    from fosi.publish.report import NOTEBOOK_GLOB

    folder = path.parent
    return folder.name == "notebooks" and fnmatch(path.name, NOTEBOOK_GLOB) \
        and (folder.parent / "pyproject.toml").is_file()


def pre_save_hook(model: dict, path: str, contents_manager, **kwargs) -> None:
    """Jupyter server's pre-save hook (``make lab`` configures it as ContentsManager.pre_save_hook):
    a numbered notebook of a fosi project is saved without run metadata and with no outputs
    but those nbval compares, which keep what the notebook on disk holds (``make notebooks``
    stores new ones). Other notebooks are saved as they are."""
    import nbformat

    if model.get("type") != "notebook" or model.get("content", {}).get("nbformat") != 4:
        return
    target = Path(contents_manager.root_dir, path.lstrip("/"))
    if not is_committed_notebook(target):
        return
    try:
        stored = nbformat.read(target, as_version=4)
    except (OSError, ValueError):  # a new notebook: nothing stored to keep
        stored = None
    model["content"] = with_stored_outputs(nbformat.from_dict(model["content"]), stored)


def install_kernel(prefix: str | None = None) -> None:
    """The ``fosi`` kernel spec, running this environment's Python, in ``prefix`` (default: this
    environment) where Jupyter looks for kernels."""
    from ipykernel.kernelspec import install

    install(kernel_name=KERNEL_NAME, display_name=KERNEL_DISPLAY_NAME, prefix=prefix or sys.prefix)


def configure_lab(prefix: str | None = None) -> None:
    """For JupyterLab's environment (``prefix``, default: this one): the ``fosi`` kernel spec,
    and the server's pre-save hook."""
    install_kernel(prefix)
    # The environment's own server configuration (the .d folder beside it is read for server
    # extensions only); other settings in it are kept.
    path = Path(prefix or sys.prefix) / "etc" / "jupyter" / "jupyter_server_config.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    config = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    config.setdefault("ContentsManager", {})["pre_save_hook"] = HOOK
    path.write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    commands = {"store-checked-outputs": lambda: store_checked_outputs(sys.argv[2:]),
                "install-kernel": install_kernel, "configure-lab": configure_lab}
    if len(sys.argv) < 2 or sys.argv[1] not in commands or (sys.argv[1] == "store-checked-outputs"
                                                              and len(sys.argv) < 3):
        sys.exit("usage: python -m fosi.publish.notebooks store-checked-outputs NOTEBOOK... "
                 "| install-kernel | configure-lab")
    commands[sys.argv[1]]()
