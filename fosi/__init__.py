"""fosi: checked, tidy figures and honest analysis from UK police FOI responses about
indecent-images-of-children offences.

The path of a figure: ``fosi.readers`` (file -> Response with its figure table) ->
``fosi.validate`` (findings) -> ``fosi.analysis`` (rates) -> ``fosi.presentation``,
``fosi.narrative`` and ``fosi.plots`` (tables, sentences, charts) -> ``fosi.report``
(notebooks to HTML).

The names below are loaded on first use, so ``import fosi`` stays cheap.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "read_response": "fosi.readers",
    "validate": "fosi.validate",
    "validate_all": "fosi.validate",
    "outcome_rates": "fosi.analysis",
    "load": "fosi.build",
    "compare_forces": "fosi.forces",
}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    # Submodules (fosi.plots, fosi.narrative, ...) also load on first attribute access.
    try:
        return importlib.import_module(f"fosi.{name}")
    except ModuleNotFoundError as error:
        if error.name != f"fosi.{name}":
            raise  # a dependency of that module is missing: say so, do not hide it
        raise AttributeError(f"module 'fosi' has no attribute {name!r}") from None
