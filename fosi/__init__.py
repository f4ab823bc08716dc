"""fosi: checked, tidy figures and honest analysis from UK police FOI responses about
indecent-images-of-children offences.

One package per stage, each importing only the stages below it (tests/test_layout.py):

    publish   -> analysis -> checks -> readers -> model
    (reports)    (rates)     (findings) (file -> Response)  (figure table, Dataset)

At the top, ``cli`` and ``build`` drive the stages; ``errors``, ``paths``, ``reference``,
``generations`` and ``yamlfiles`` are the base every stage may use. The path of a figure:
``fosi.readers`` (file -> Response with its figure table) -> ``fosi.checks.validate`` (findings) ->
``fosi.analysis.rates`` (rates) -> ``fosi.publish`` (sentences, charts, tables) ->
``fosi.publish.report`` (notebooks to HTML).

The public API (``fosi.__all__``), loaded on first use so that ``import fosi`` stays cheap:
``load`` (a dataset from files or folders), ``outcome_rates``, ``compare_forces``,
``read_response`` (one file), ``validate`` and ``validate_all`` (the checks).
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "read_response": "fosi.readers",
    "validate": "fosi.checks.validate",
    "validate_all": "fosi.checks.validate",
    "outcome_rates": "fosi.analysis.rates",
    "load": "fosi.build",
    "compare_forces": "fosi.analysis.forces",
}

__all__ = ["__version__", *_EXPORTS]
# The stages, reachable as attributes (fosi.analysis.forces.funnel) and listed for tab completion.
_SUBPACKAGES = ("analysis", "build", "checks", "cli", "errors", "model", "paths", "publish", "readers", "reference")


def __dir__() -> list[str]:
    """The public API first (tab completion in IPython and JupyterLab lists these), then the stages."""
    return sorted({*__all__, *_SUBPACKAGES, *(n for n in globals() if n.startswith("__") and n.endswith("__"))})


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    # Submodules (fosi.publish.charts, fosi.publish.narrative, ...) also load on first attribute access.
    try:
        return importlib.import_module(f"fosi.{name}")
    except ModuleNotFoundError as error:
        if error.name != f"fosi.{name}":
            raise  # a dependency of that module is missing: say so, do not hide it
        raise AttributeError(f"module 'fosi' has no attribute {name!r}") from None
