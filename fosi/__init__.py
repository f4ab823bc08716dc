"""fosi: checked, tidy figures and honest analysis from UK police FOI responses about
indecent-images-of-children offences.

One package per stage, each importing only the stages below it (tests/test_layout.py):

    publish   -> analysis -> checks -> readers -> model
    (reports)    (rates)     (findings) (file -> Response)  (figure table, Dataset)

At the top, ``cli`` and ``build`` drive the stages; ``errors``, ``paths``, ``reference`` and
``generations`` are the base every stage may use. The path of a figure: ``fosi.readers``
(file -> Response with its figure table) -> ``fosi.checks.validate`` (findings) ->
``fosi.analysis.rates`` (rates) -> ``fosi.publish`` (sentences, charts, tables) ->
``fosi.publish.report`` (notebooks to HTML).

The names below are loaded on first use, so ``import fosi`` stays cheap.
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
